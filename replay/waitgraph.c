/*
 * replay/waitgraph.c — the wait-for graph of a moment of the model and its
 * strongly connected components (see waitgraph.h).  No locks.
 */
#include "replay/waitgraph.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "replay/describe.h"

struct wg_node *waitgraph_node(const struct waitgraph *g, int64_t id)
{
    return id >= 0 && id < g->n && g->v[id].t ? &g->v[id] : NULL;
}

int waitgraph_nthreads(const struct wg_node *a)
{
    int n = 0;
    for (int i = 0; i < a->nout; i++)
        n += a->out[i].to != NULL;
    return n;
}

int waitgraph_edge_cycle(const struct waitgraph *g, const struct wg_node *a,
                         const struct wg_edge *e)
{
    const struct wg_node *b = e->to ? waitgraph_node(g, e->to->id) : NULL;
    return a->cycle && b && b->scc == a->scc;
}

/* The event that began t's wait: its position's, or its try loop's. */
static int64_t wait_seq(const struct mthread *t)
{
    return t->pos == MP_RUNNING ? t->retry_seq : t->pos_seq;
}

/* An edge from a to u (NULL: nobody) for obj, once per thread. */
static void add_edge(struct wg_node *a, struct mthread *u, int64_t obj, int64_t to_seq)
{
    for (int i = 0; i < a->nout; i++)
        if (a->out[i].to == u)
            return;
    struct wg_edge *out = realloc(a->out, (size_t)(a->nout + 1) * sizeof *out);
    if (!out)
        abort();
    a->out = out;
    a->out[a->nout++] =
        (struct wg_edge){.to = u, .obj = obj, .seq = wait_seq(a->t), .to_seq = to_seq};
}

/* Add edges from a to every holder of obj conflicting with mode: a's own
 * thread too, when it waits for what it already holds. */
static void to_holders(struct waitgraph *g, struct wg_node *a, int64_t obj, int64_t mode)
{
    for (int64_t i = 0; i < g->m->nthreads; i++) {
        struct mthread *u = g->m->threads[i];
        struct mhold *h = model_held(u, obj);
        if (!h)
            continue;
        if (obj == OBJ_STATE_LOCK && mode == MODE_READ && h->mode == MODE_READ)
            continue;
        add_edge(a, u, obj, h->acq_seq);
    }
}

static int is_live(const struct mthread *t)
{
    return t->pos != MP_EXITED && t->pos != MP_UNSEEN;
}

/* The epoch whose message t, blocked in a receive, waits for; 0 if no epoch
 * in the trace will send one.  The operation bus: the epoch t is in.  The
 * barrier bus: the newest epoch whose broadcast counted t and that t has not
 * entered, or an epoch begun and not yet broadcast. */
static int64_t bus_epoch(struct model *m, const struct mthread *t)
{
    if (t->pos_obj == OBJ_OPERATION_BUS || t->rdv_stage)
        return t->rdv_epoch;
    if (t->counted_epoch > t->rdv_epoch)
        return t->counted_epoch;
    struct epoch_rec *ep = model_epoch(m, m->epoch_last);
    if (ep && ep->epoch > t->rdv_epoch && !ep->bcast_seq && !ep->end_seq)
        return ep->epoch;
    return 0;
}

/* The object a blocked t waits on (0: a child or a checkpoint). */
static int64_t wait_obj(const struct mthread *t)
{
    switch (t->pos) {
    case MP_LOCK:
    case MP_BUS:
        return t->pos_obj;
    case MP_BARRIER:
        return OBJ_BARRIER;
    case MP_WAIT:
        return 0;
    default:
        return t->retry_obj;
    }
}

static void edges(struct waitgraph *g, struct wg_node *a)
{
    struct mthread *t = a->t;
    struct model *m = g->m;
    a->blocked = is_live(t) && (describe_is_blocked(t) || t->retry_obj);
    if (!a->blocked)
        return;
    switch (t->pos) {
    case MP_LOCK:
        to_holders(g, a, t->pos_obj, t->pos_mode);
        break;
    case MP_BARRIER:
        for (int64_t i = 0; i < m->nthreads; i++) {
            struct mthread *u = m->threads[i];
            if (u != t && model_missing_at(u, t->pos_epoch, t->pos_phase))
                add_edge(a, u, OBJ_BARRIER, 0);
        }
        break;
    case MP_BUS: {
        int64_t epoch = bus_epoch(m, t);
        struct epoch_rec *ep = epoch > 0 ? model_epoch(m, epoch) : NULL;
        if (ep && ep->inst)
            add_edge(a, model_thread_by_id(m, ep->inst->id), t->pos_obj,
                     0); /* itself, when only it would send */
        break;
    }
    case MP_WAIT:
        if (t->pos_mode == WAIT_CHILD) {
            struct mthread *c = model_thread(m, t->pos_arg);
            if (c)
                add_edge(a, c, 0, 0);
        } else if (t->pos_mode == WAIT_CHECKPOINT) {
            for (int64_t i = 0; i < m->nthreads; i++) {
                struct mthread *u = m->threads[i];
                if (u != t && u->start_seq && is_live(u) && !u->frozen && !u->deep_sleeping)
                    add_edge(a, u, 0, 0);
            }
        } else {
            a->blocked = 0; /* a sleep or guest wait waits for no thread */
            return;
        }
        break;
    default:
        if (t->retry_obj == OBJ_LEASE && m->lease_holder) {
            struct mhold *h = model_held(m->lease_holder, OBJ_LEASE);
            add_edge(a, m->lease_holder, OBJ_LEASE, h ? h->acq_seq : 0);
        } else if (t->retry_obj == OBJ_STATE_LOCK) {
            to_holders(g, a, OBJ_STATE_LOCK, MODE_WRITE);
        }
        break;
    }
    if (!a->nout)
        add_edge(a, NULL, wait_obj(t), 0);
}

static void strongconnect(struct waitgraph *g, struct wg_node *a, int64_t *stack, int *sp,
                          int *next_index)
{
    a->index = a->low = ++*next_index;
    stack[(*sp)++] = a->t->id;
    a->on_stack = 1;
    for (int i = 0; i < a->nout; i++) {
        struct wg_node *b = a->out[i].to ? waitgraph_node(g, a->out[i].to->id) : NULL;
        if (!b)
            continue;
        if (!b->index) {
            strongconnect(g, b, stack, sp, next_index);
            if (b->low < a->low)
                a->low = b->low;
        } else if (b->on_stack && b->index < a->low) {
            a->low = b->index;
        }
    }
    if (a->low == a->index) {
        int id = ++g->nscc;
        struct wg_node *b;
        do {
            assert(*sp > 0);
            b = waitgraph_node(g, stack[--*sp]);
            b->on_stack = 0;
            b->scc = id;
        } while (b != a);
    }
}

/* Mark the nodes on a cycle: an SCC of two or more, or a wait for itself. */
static void mark_cycles(struct waitgraph *g)
{
    int *size = calloc((size_t)g->nscc + 1, sizeof *size);
    if (!size)
        abort();
    for (int64_t i = 0; i < g->n; i++)
        size[g->v[i].scc]++;
    for (int64_t i = 0; i < g->n; i++) {
        struct wg_node *a = &g->v[i];
        if (!a->scc)
            continue;
        a->cycle = size[a->scc] > 1;
        for (int k = 0; k < a->nout; k++)
            a->cycle |= a->out[k].to == a->t;
        g->cycle |= a->cycle;
    }
    free(size);
}

void waitgraph_build(struct waitgraph *g, struct model *m)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    g->n = m->nthreads;
    g->v = calloc((size_t)g->n + 1, sizeof *g->v);
    if (!g->v)
        abort();
    for (int64_t i = 0; i < g->n; i++) {
        struct mthread *t = m->threads[i];
        assert(t->id >= 0 && t->id < g->n);
        g->v[t->id].t = t;
    }
    for (int64_t i = 0; i < g->n; i++) {
        edges(g, &g->v[i]);
        g->blocked |= g->v[i].blocked;
    }
    if (!g->blocked)
        return;
    int64_t *stack = calloc((size_t)g->n + 1, sizeof *stack);
    if (!stack)
        abort();
    int sp = 0, next_index = 0;
    for (int64_t i = 0; i < g->n; i++) { /* in the model's order */
        struct wg_node *a = &g->v[m->threads[i]->id];
        if (a->blocked && !a->index)
            strongconnect(g, a, stack, &sp, &next_index);
    }
    free(stack);
    mark_cycles(g);
}

void waitgraph_free(struct waitgraph *g)
{
    for (int64_t i = 0; i < g->n; i++)
        free(g->v[i].out);
    free(g->v);
    memset(g, 0, sizeof *g);
}
