/*
 * replay/waitfor.c — a hang at the end of the trace (see check.h): the
 * wait-for graph over threads, its cycles (deadlocks) and the stalls that
 * have no cycle (a party that never arrives).  No locks.
 *
 * Edges, from a thread to the threads it waits for:
 *   blocked in read/write of the state lock → its holders (for write: all;
 *     for read: the writer); blocked on a mutex → its holder;
 *   retrying try-lease → the lease holder; retrying try-write → the state
 *     lock's holders (a cooperative loop runs the follower path, but it
 *     cannot finish its own action until they let go);
 *   at the barrier, epoch E phase P → every group counted at E's broadcast
 *     (rx_count parties) that has not arrived at phase P;
 *   receiving from a bus → the sender (bus_epoch): the instigator of the
 *     epoch it is in (operation bus) or is to enter (barrier bus); nobody
 *     when no epoch will send (no_sender tells the flag load that led it);
 *   waiting for a child → the child; frozen at a checkpoint → every live
 *     thread neither frozen nor deep-sleeping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/describe.h"
#include "replay/names.h"

struct node {
    struct mthread *t;
    int64_t *to; /* groups waited for */
    int nto;
    int blocked;
    /* Tarjan */
    int index, low, on_stack, scc;
};

struct graph {
    struct model *m;
    struct node *v; /* by grp + 1, like model threads */
    int64_t n;
    int64_t *stack;
    int sp, next_index, nscc;
};

static void add_edge(struct node *a, int64_t grp)
{
    for (int i = 0; i < a->nto; i++)
        if (a->to[i] == grp)
            return;
    int64_t *to = realloc(a->to, (size_t)(a->nto + 1) * sizeof *to);
    if (!to)
        abort();
    a->to = to;
    a->to[a->nto++] = grp;
}

/* Add edges from a to every holder of obj conflicting with mode. */
static void to_holders(struct graph *g, struct node *a, int64_t obj, int64_t mode)
{
    for (int64_t i = 0; i < g->m->nthreads; i++) {
        struct mthread *u = g->m->threads[i];
        if (!u || u == a->t)
            continue;
        struct mhold *h = model_held(u, obj);
        if (!h)
            continue;
        if (obj == OBJ_STATE_LOCK && mode == MODE_READ && h->mode == MODE_READ)
            continue;
        add_edge(a, u->grp);
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

static void edges(struct graph *g, struct node *a)
{
    struct mthread *t = a->t;
    struct model *m = g->m;
    a->blocked = is_live(t) && (describe_is_blocked(t) || t->retry_obj);
    if (!a->blocked)
        return;
    switch (t->pos) {
    case MP_LOCK:
        to_holders(g, a, t->pos_obj, t->pos_mode);
        return;
    case MP_BARRIER:
        for (int64_t i = 0; i < m->nthreads; i++) {
            struct mthread *u = m->threads[i];
            if (u && u != t && model_missing_at(u, t->pos_epoch, t->pos_phase))
                add_edge(a, u->grp);
        }
        return;
    case MP_BUS: {
        int64_t epoch = bus_epoch(m, t);
        struct epoch_rec *ep = epoch > 0 ? model_epoch(m, epoch) : NULL;
        if (ep && ep->instigator >= 0 && ep->instigator != t->grp)
            add_edge(a, ep->instigator);
        return; /* no sender: a root of its own (no_sender tells why) */
    }
    case MP_WAIT:
        if (t->pos_mode == WAIT_CHILD) {
            add_edge(a, t->pos_arg);
        } else if (t->pos_mode == WAIT_CHECKPOINT) {
            for (int64_t i = 0; i < m->nthreads; i++) {
                struct mthread *u = m->threads[i];
                if (u && u != t && u->grp >= 0 && is_live(u) && !u->frozen && !u->deep_sleeping)
                    add_edge(a, u->grp);
            }
        } else {
            a->blocked = 0; /* a sleep or guest wait waits for no thread */
        }
        return;
    default:
        if (t->retry_obj == OBJ_LEASE && m->lease_holder >= 0 && m->lease_holder != t->grp)
            add_edge(a, m->lease_holder);
        else if (t->retry_obj == OBJ_STATE_LOCK)
            to_holders(g, a, OBJ_STATE_LOCK, MODE_WRITE);
        return;
    }
}

static struct node *node_of(struct graph *g, int64_t grp)
{
    int64_t i = grp + 1;
    return i >= 0 && i < g->n && g->v[i].t ? &g->v[i] : NULL;
}

static void strongconnect(struct graph *g, struct node *a)
{
    a->index = a->low = ++g->next_index;
    g->stack[g->sp++] = a->t->grp;
    a->on_stack = 1;
    for (int i = 0; i < a->nto; i++) {
        struct node *b = node_of(g, a->to[i]);
        if (!b)
            continue;
        if (!b->index) {
            strongconnect(g, b);
            if (b->low < a->low)
                a->low = b->low;
        } else if (b->on_stack && b->index < a->low) {
            a->low = b->index;
        }
    }
    if (a->low == a->index) {
        int id = ++g->nscc;
        struct node *b;
        do {
            b = node_of(g, g->stack[--g->sp]);
            b->on_stack = 0;
            b->scc = id;
        } while (b != a);
    }
}

/* ---- stories ------------------------------------------------------------- */

struct text {
    char *s;
    size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *add = NULL;
    int n = vasprintf(&add, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (x->len + (size_t)n + 1 > x->cap) {
        x->cap = (x->len + (size_t)n + 1) * 2;
        char *s = realloc(x->s, x->cap);
        if (!s)
            abort();
        x->s = s;
    }
    memcpy(x->s + x->len, add, (size_t)n + 1);
    x->len += (size_t)n;
    free(add);
}

/* "group-2 blocks in write(state lock) since 1.234 ms (seq 1995)" */
static void how_it_waits(struct text *x, const struct model *m, const struct mthread *t, int named)
{
    char nb[32], ob[48], ms[32];
    if (named)
        put(x, "%s ", rn_thread(t->grp, nb, sizeof nb));
    int64_t seq = t->pos_seq, ts = t->pos_ts;
    switch (t->pos) {
    case MP_LOCK:
        put(x, "blocks in %s(%s)", ev_lock_call_name(t->pos_obj, t->pos_mode),
            rn_obj(t->pos_obj, ob, sizeof ob));
        break;
    case MP_BARRIER:
        put(x, "waits at epoch %lld phase %lld", (long long)t->pos_epoch, (long long)t->pos_phase);
        break;
    case MP_BUS:
        put(x, "blocks in receive(%s)", rn_obj(t->pos_obj, ob, sizeof ob));
        break;
    case MP_WAIT:
        if (t->pos_mode == WAIT_CHILD)
            put(x, "waits for its child group-%lld to finalise", (long long)t->pos_arg);
        else
            put(x, "is frozen at a checkpoint");
        break;
    default:
        put(x, "retries %s", t->retry_obj == OBJ_LEASE ? "try-lease" : "try-write(state lock)");
        seq = t->retry_seq;
        ts = t->retry_ts;
        break;
    }
    put(x, " since %s (seq %lld)", rn_ms(ts, m->t0, ms, sizeof ms), (long long)seq);
}

/* A receive that no epoch in the trace answers, and why t is in it: the
 * flag load that sent it down the follower path. */
static void no_sender(struct text *x, struct model *m, const struct mthread *t)
{
    char ms[32];
    put(x, ", but no epoch sends on it");
    struct epoch_rec *ep = model_epoch(m, m->epoch_last);
    if (ep && ep->end_seq)
        put(x, " (the latest, epoch %lld, ended at seq %lld)", (long long)ep->epoch,
            (long long)ep->end_seq);
    else if (!m->epoch_last)
        put(x, " (no epoch has begun)");
    if (!t->flag_load_seq || t->pos_obj != OBJ_BARRIER_BUS)
        return;
    put(x, ": it took the follower path because its %s flag load at seq %lld%s read the flag %s",
        t->flag_load_order == ORDER_RELAXED ? "relaxed" : "seq_cst", (long long)t->flag_load_seq,
        t->follow_via == VIA_WOKEN ? " on the woken path" : "", t->flag_load_val ? "set" : "clear");
    if (m->flag_seq < t->flag_load_seq && !!m->flag != !!t->flag_load_val)
        put(x, ", while the flag was %s since %s (seq %lld): a stale read",
            m->flag ? "set" : "clear", rn_ms(m->flag_ts, m->t0, ms, sizeof ms),
            (long long)m->flag_seq);
}

/* ", held for write by group-0" / " for group-2 and group-5" */
static void whom(struct text *x, struct model *m, const struct mthread *t, const struct node *a)
{
    char nb[32], ob[48];
    int64_t obj = t->pos == MP_LOCK ? t->pos_obj : t->retry_obj;
    if (t->pos == MP_LOCK || (t->pos == MP_RUNNING && t->retry_obj)) {
        put(x, "; the %s is held", obj == OBJ_LEASE ? "lease" : rn_obj(obj, ob, sizeof ob));
        for (int i = 0; i < a->nto; i++) {
            struct mthread *u = model_thread(m, a->to[i]);
            struct mhold *h = u ? model_held(u, obj) : NULL;
            put(x, "%s", i ? " and" : "");
            if (h && obj == OBJ_STATE_LOCK)
                put(x, " for %s", ev_mode_name(h->mode));
            if (h && obj == OBJ_LEASE)
                put(x, " (lease %lld)", (long long)h->lease);
            put(x, " by %s", rn_thread(a->to[i], nb, sizeof nb));
        }
        if (!a->nto)
            put(x, " by nobody the trace shows");
        return;
    }
    if (t->pos == MP_WAIT && t->pos_mode == WAIT_CHILD)
        return;
    if (t->pos == MP_BUS && !a->nto) {
        no_sender(x, m, t);
        return;
    }
    put(x, " for");
    for (int i = 0; i < a->nto; i++)
        put(x, "%s %s",
            i == 0            ? ""
            : i == a->nto - 1 ? " and"
                              : ",",
            rn_thread(a->to[i], nb, sizeof nb));
    if (!a->nto)
        put(x, " nobody the trace shows");
}

/* Why a thread that waits for nobody never gets where the others need it. */
static void root_cause(struct text *x, const struct model *m, const struct mthread *u)
{
    char nb[32], ms[32];
    const char *name = rn_thread(u->grp, nb, sizeof nb);
    switch (u->pos) {
    case MP_UNSEEN:
        put(x, "%s never started (no thread_start)", name);
        return;
    case MP_EXITED:
        put(x, "%s exited at seq %lld", name, (long long)u->exit_seq);
        if (u->subscribed)
            put(x,
                " without leaving the buses (no group_unsubscribe after its subscribe at seq "
                "%lld): rx_count still counts it, so it never arrives",
                (long long)u->sub_seq);
        return;
    case MP_WAIT:
        if (u->pos_mode == WAIT_SLEEP) {
            put(x, "%s sleeps since %s (seq %lld)", name, rn_ms(u->pos_ts, m->t0, ms, sizeof ms),
                (long long)u->pos_seq);
            if (u->woken_seq > m->flag_seq && m->flag_seq)
                put(x,
                    "; it was woken at seq %lld but its flag load at seq %lld (%s) read the "
                    "flag %s, so it went back to sleep",
                    (long long)u->woken_seq, (long long)u->flag_load_seq,
                    u->flag_load_order == ORDER_RELAXED ? "relaxed" : "seq_cst",
                    u->flag_load_val ? "set" : "clear");
            else if (u->wakeup_sent_seq > m->flag_seq && m->flag_seq)
                put(x,
                    " and was never woken: the wakeup sent to it at seq %lld (after the flag "
                    "was set at seq %lld) never reached it (lost wakeup)",
                    (long long)u->wakeup_sent_seq, (long long)m->flag_seq);
            else
                put(x, " and was never woken: no wakeup was sent to it after the flag was set%s",
                    m->flag ? "" : " (the flag is clear)");
        } else {
            put(x, "%s is in a guest wait since %s (seq %lld)", name,
                rn_ms(u->pos_ts, m->t0, ms, sizeof ms), (long long)u->pos_seq);
            if (u->wakeup_sent_seq > u->pos_seq)
                put(x, " that the wakeup sent at seq %lld did not interrupt",
                    (long long)u->wakeup_sent_seq);
            put(x, ": it makes no syscall, so it never arrives");
        }
        return;
    default:
        put(x,
            "%s waits for nothing the trace shows, yet never comes: its latest event is %s "
            "at seq %lld",
            name, ev_kind_name((enum ev_kind)u->last_kind), (long long)u->last_seq);
        return;
    }
}

/* Append the names of blocked threads not yet mentioned whose first wait
 * leads into the set marked in seen[]. */
static void behind(struct text *x, struct graph *g, char *seen, int64_t *grps, int *ngrps)
{
    int added = 0, progress = 1;
    while (progress) {
        progress = 0;
        for (int64_t i = 0; i < g->n; i++) {
            struct node *a = &g->v[i];
            if (!a->t || !a->blocked || seen[i])
                continue;
            for (int k = 0; k < a->nto; k++) {
                struct node *b = node_of(g, a->to[k]);
                if (b && seen[a->to[k] + 1]) {
                    seen[i] = 1;
                    grps[(*ngrps)++] = a->t->grp;
                    put(x, "%s", added++ ? "; " : ". Also waiting behind it: ");
                    how_it_waits(x, g->m, a->t, 1);
                    progress = 1;
                    break;
                }
            }
        }
    }
}

/* The object t waits on, for the findings' objects column. */
static const char *wait_object(const struct mthread *t)
{
    switch (t->pos) {
    case MP_BARRIER:
        return "barrier";
    case MP_LOCK:
    case MP_BUS:
        return ev_object_name(t->pos_obj);
    case MP_WAIT:
        return t->pos_mode == WAIT_CHILD ? "child" : "checkpoint";
    default:
        return ev_object_name(t->retry_obj);
    }
}

static void add_object(char *objs, size_t n, const char *o)
{
    if (!strstr(objs, o))
        snprintf(objs + strlen(objs), n - strlen(objs), "%s%s", objs[0] ? ", " : "", o);
}

/* One finding's story as it is told: its text, the threads and objects it
 * names, the seqs that show it. */
struct story {
    struct text x;
    int64_t *grps; /* room for every thread */
    int ngrps;
    int64_t seqs[FINDING_MAX_SEQS];
    int nseqs;
    char objs[160];
};

static void story_init(struct story *s, const struct graph *g)
{
    memset(s, 0, sizeof *s);
    s->grps = calloc((size_t)g->n + 1, sizeof *s->grps);
    if (!s->grps)
        abort();
}

/* Name thread t in s (marked seen), with seq as one of the finding's seqs. */
static void story_thread(struct story *s, char *seen, const struct mthread *t, int64_t seq)
{
    seen[t->grp + 1] = 1;
    s->grps[s->ngrps++] = t->grp;
    if (s->nseqs < FINDING_MAX_SEQS)
        s->seqs[s->nseqs++] = seq;
}

/* One hop: after sep, how a's thread waits and for whom. */
static void story_hop(struct story *s, struct graph *g, const struct node *a, const char *sep,
                      char *seen)
{
    const struct mthread *t = a->t;
    story_thread(s, seen, t, t->pos == MP_RUNNING ? t->retry_seq : t->pos_seq);
    put(&s->x, "%s", sep);
    how_it_waits(&s->x, g->m, t, 1);
    whom(&s->x, g->m, t, a);
    add_object(s->objs, sizeof s->objs, wait_object(t));
}

/* The threads waiting behind it, the note on lost events (gap: what they
 * could hide), then the finding; frees s. */
static void story_end(struct story *s, struct findings *f, struct graph *g, char *seen,
                      const char *rule, const char *key, int64_t discarded, const char *gap)
{
    behind(&s->x, g, seen, s->grps, &s->ngrps);
    if (discarded)
        put(&s->x, " (note: the trace lost %lld events; %s)", (long long)discarded, gap);
    char th[160];
    findings_threads(s->grps, s->ngrps, th, sizeof th);
    findings_add(f, rule, key, th, s->objs, s->seqs, s->nseqs, "%s", s->x.s ? s->x.s : "");
    free(s->x.s);
    free(s->grps);
}

static void deadlock(struct findings *f, struct graph *g, int scc, char *seen, int64_t discarded)
{
    struct story s;
    story_init(&s, g);
    /* Walk the cycle from the smallest group in the SCC. */
    struct node *start = NULL;
    for (int64_t i = 0; i < g->n && !start; i++)
        if (g->v[i].t && g->v[i].scc == scc)
            start = &g->v[i];
    struct node *a = start;
    do {
        story_hop(&s, g, a, a == start ? "" : ", and ", seen);
        /* Next: the first target inside the SCC not yet on the path. */
        struct node *next = NULL;
        for (int i = 0; i < a->nto && !next; i++) {
            struct node *b = node_of(g, a->to[i]);
            if (b && b->scc == scc && (!seen[a->to[i] + 1] || b == start))
                next = b;
        }
        a = next;
    } while (a && a != start);
    put(&s.x, " — a cycle: none of them can move");
    char key[64];
    snprintf(key, sizeof key, "cycle/%d", scc);
    story_end(&s, f, g, seen, "deadlock", key, discarded, "a gap could hide a release");
}

/* A blocked thread outside any cycle: follow its first waits to a thread
 * that waits for nobody, and tell why that one never comes — and so for
 * every other such thread the last hop waits for (a barrier waits for all
 * its missing parties: two sleepers are two causes). */
static void stall(struct findings *f, struct graph *g, struct node *a, char *seen,
                  int64_t discarded)
{
    struct model *m = g->m;
    struct story s;
    story_init(&s, g);
    char *path = calloc((size_t)g->n + 1, 1);
    if (!path)
        abort();
    struct node *cur = a, *root = NULL, *last = NULL, *from = NULL;
    while (cur && cur->blocked && !path[cur->t->grp + 1]) {
        last = cur;
        path[cur->t->grp + 1] = 1;
        story_hop(&s, g, cur, cur == a ? "" : "; ", seen);
        /* Prefer a target that is itself stuck for good (not blocked). */
        struct node *next = NULL;
        for (int i = 0; i < cur->nto; i++) {
            struct node *b = node_of(g, cur->to[i]);
            if (b && !b->blocked) {
                next = b;
                break;
            }
            if (b && !next)
                next = b;
        }
        if (next && !next->blocked) {
            root = next;
            from = cur;
        }
        cur = next;
    }
    if (root) {
        for (int i = 0, told = 0; i < from->nto; i++) {
            struct node *b = node_of(g, from->to[i]);
            if (!b || b->blocked || (seen[b->t->grp + 1] && (told || b != root)))
                continue;
            told++;
            const struct mthread *r = b->t;
            put(&s.x, "; ");
            root_cause(&s.x, m, r);
            story_thread(&s, seen, r,
                         r->pos == MP_EXITED ? r->exit_seq
                         : r->pos == MP_WAIT ? r->pos_seq
                                             : r->last_seq);
        }
    } else if (!cur && last->t->pos == MP_BUS && last->t->flag_load_seq) {
        /* no_sender told the flag load that led it there */
        add_object(s.objs, sizeof s.objs, "pending flag");
        if (s.nseqs < FINDING_MAX_SEQS)
            s.seqs[s.nseqs++] = last->t->flag_load_seq;
    } else if (!cur) {
        put(&s.x, "; nothing in the trace will release it");
    }
    char key[64];
    snprintf(key, sizeof key, "stall/%lld", (long long)(root ? root->t->grp : a->t->grp));
    story_end(&s, f, g, seen, "stall", key, discarded, "this may be a gap, not a hang");
    free(path);
}

void waitfor_end(struct findings *f, struct model *m, int64_t discarded)
{
    struct graph g = {.m = m, .n = m->nthreads};
    g.v = calloc((size_t)g.n + 1, sizeof *g.v);
    g.stack = calloc((size_t)g.n + 1, sizeof *g.stack);
    char *seen = calloc((size_t)g.n + 1, 1);
    if (!g.v || !g.stack || !seen)
        abort();
    int any = 0;
    for (int64_t i = 0; i < g.n; i++) {
        if (!m->threads[i] || m->threads[i]->grp < 0)
            continue;
        g.v[i].t = m->threads[i];
        edges(&g, &g.v[i]);
        any |= g.v[i].blocked;
    }
    if (any) {
        for (int64_t i = 0; i < g.n; i++)
            if (g.v[i].t && g.v[i].blocked && !g.v[i].index)
                strongconnect(&g, &g.v[i]);
        /* Cycles first: an SCC of two or more, or a thread waiting for itself. */
        for (int scc = 1; scc <= g.nscc; scc++) {
            int size = 0, self = 0;
            for (int64_t i = 0; i < g.n; i++) {
                if (!g.v[i].t || g.v[i].scc != scc)
                    continue;
                size++;
                for (int k = 0; k < g.v[i].nto; k++)
                    self |= g.v[i].to[k] == g.v[i].t->grp;
            }
            if (size > 1 || self)
                deadlock(f, &g, scc, seen, discarded);
        }
        for (int64_t i = 0; i < g.n; i++)
            if (g.v[i].t && g.v[i].blocked && !seen[i])
                stall(f, &g, &g.v[i], seen, discarded);
    }
    for (int64_t i = 0; i < g.n; i++)
        free(g.v[i].to);
    free(g.v);
    free(g.stack);
    free(seen);
}
