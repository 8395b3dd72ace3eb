/*
 * viz/waitfor.c — the wait-for graph (see waitfor.h).  No locks.
 */
#include "viz/waitfor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/describe.h"
#include "replay/names.h"

void wf_free(struct wf_graph *g)
{
    free(g->n);
    free(g->e);
    memset(g, 0, sizeof *g);
}

int wf_node_of(const struct wf_graph *g, int64_t grp)
{
    for (int i = 0; i < g->nn; i++)
        if (g->n[i].grp == grp)
            return i;
    return -1;
}

static void add_edge(struct wf_graph *g, int from, int to, int64_t obj, const char *kind)
{
    if (from < 0 || to < 0 || from == to)
        return;
    g->e = realloc(g->e, (size_t)(g->ne + 1) * sizeof *g->e);
    if (!g->e)
        abort();
    struct wf_edge *e = &g->e[g->ne++];
    *e = (struct wf_edge){.from = from, .to = to, .obj = obj};
    snprintf(e->kind, sizeof e->kind, "%s", kind);
}

static int live(const struct mthread *t)
{
    return t && t->pos != MP_UNSEEN && t->pos != MP_EXITED;
}

/* Exited without leaving the buses, counted by the newest barrier: the
 * parties at that barrier wait for it forever (docs/protocol.md §5, PR 7015). */
static int gone(const struct model *m, const struct mthread *t)
{
    return t && t->pos == MP_EXITED && t->subscribed && t->counted_epoch > 0 &&
           t->counted_epoch == m->epoch_last;
}

/* Where t is, in the words of `dlsync state`, into n->what and n->holds;
 * sets n->blocked (a blocking wait, or a try loop that has not yet
 * succeeded) and n->gone. */
static void describe(const struct model *m, const struct mthread *t, struct wf_node *n)
{
    if (gone(m, t)) {
        snprintf(n->what, sizeof n->what,
                 "exited at seq %lld without leaving the buses: still counted in rx_count",
                 (long long)t->exit_seq);
        n->gone = 1;
    } else {
        describe_position(m, t, n->what, sizeof n->what);
    }
    describe_holds(t, n->holds, sizeof n->holds);
    n->blocked = !n->gone && (describe_is_blocked(t) || t->retry_obj != 0);
}

struct holders_ctx {
    struct wf_graph *g;
    int from;
    int64_t obj;
    char kind[64];
};

static void holder_edge(void *arg, struct mthread *h)
{
    struct holders_ctx *c = arg;
    add_edge(c->g, c->from, wf_node_of(c->g, h->grp), c->obj, c->kind);
}

/* Edges from node i to whoever keeps it waiting. */
static void edges_of(const struct model *m, struct wf_graph *g, int i, const struct mthread *t)
{
    char ob[40];
    struct holders_ctx c = {.g = g, .from = i};
    int64_t obj = t->pos == MP_LOCK ? t->pos_obj : t->retry_obj;
    if (t->pos == MP_LOCK || (t->pos == MP_RUNNING && t->retry_obj)) {
        c.obj = obj;
        snprintf(c.kind, sizeof c.kind, "%s held", rn_obj(obj, ob, sizeof ob));
        model_holders(m, obj, holder_edge, &c);
    } else if (t->pos == MP_BUS) {
        /* The message comes from the instigator: the lease holder. */
        if (m->lease_holder)
            add_edge(g, i, wf_node_of(g, m->lease_holder->grp), t->pos_obj, "broadcast not sent");
    } else if (t->pos == MP_BARRIER) {
        char k[64];
        snprintf(k, sizeof k, "barrier e%lld p%lld: not arrived", (long long)t->pos_epoch,
                 (long long)t->pos_phase);
        for (int j = 0; j < g->nn; j++) {
            const struct mthread *o = g->n[j].t;
            int there = o->rdv_epoch == t->pos_epoch &&
                        (o->rdv_phase > t->pos_phase ||
                         (o->rdv_phase == t->pos_phase && o->rdv_stage != 0));
            if (o != t && o->counted_epoch == t->pos_epoch && !there)
                add_edge(g, i, j, OBJ_BARRIER, k);
        }
    } else if (t->pos == MP_WAIT && t->pos_mode == WAIT_CHILD) {
        add_edge(g, i, wf_node_of(g, t->pos_arg), 0, "child not finalised");
    }
}

/* Colour for the DFS. */
enum { WHITE, GREY, BLACK };

/* Marks the cycle closed by the edge into node `to` (on the stack). */
static void mark_cycle(struct wf_graph *g, const int *stack_edge, const int *stack, int depth,
                       int to)
{
    int k = depth - 1;
    while (k >= 0 && stack[k] != to)
        k--;
    for (int j = k; j < depth; j++) {
        g->n[stack[j]].cycle = 1;
        if (j + 1 < depth)
            g->e[stack_edge[j + 1]].cycle = 1;
    }
    g->cycle = 1;
}

static void dfs(struct wf_graph *g, int v, int *color, int *stack, int *stack_edge, int depth)
{
    color[v] = GREY;
    stack[depth] = v;
    for (int k = 0; k < g->ne; k++) {
        if (g->e[k].from != v)
            continue;
        int w = g->e[k].to;
        if (color[w] == GREY) {
            stack_edge[depth + 1] = k;
            mark_cycle(g, stack_edge, stack, depth + 1, w);
            g->e[k].cycle = 1;
        } else if (color[w] == WHITE) {
            stack_edge[depth + 1] = k;
            dfs(g, w, color, stack, stack_edge, depth + 1);
        }
    }
    color[v] = BLACK;
}

void wf_build(const struct model *m, struct wf_graph *g)
{
    memset(g, 0, sizeof *g);
    for (int64_t i = 0; i < m->nthreads; i++)
        if (live(m->threads[i]) || gone(m, m->threads[i]))
            g->nn++;
    g->n = calloc((size_t)g->nn + 1, sizeof *g->n);
    if (!g->n)
        abort();
    g->nn = 0;
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        if (!live(t) && !gone(m, t))
            continue;
        struct wf_node *n = &g->n[g->nn++];
        n->t = t;
        n->grp = t->grp;
        describe(m, t, n);
        g->blocked |= n->blocked;
    }
    for (int i = 0; i < g->nn; i++)
        edges_of(m, g, i, g->n[i].t);
    int *color = calloc((size_t)g->nn + 1, sizeof *color);
    int *stack = calloc((size_t)g->nn + 2, sizeof *stack);
    int *stack_edge = calloc((size_t)g->nn + 2, sizeof *stack_edge);
    if (!color || !stack || !stack_edge)
        abort();
    for (int v = 0; v < g->nn; v++)
        if (color[v] == WHITE)
            dfs(g, v, color, stack, stack_edge, 0);
    free(color);
    free(stack);
    free(stack_edge);
}
