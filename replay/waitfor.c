/*
 * replay/waitfor.c — a hang at the end of the trace (see check.h): the
 * deadlocks (cycles) and the stalls without a cycle (a party that never
 * arrives) of the wait-for graph (waitgraph.h), each told as a finding.
 * No locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/describe.h"
#include "replay/names.h"
#include "replay/textbuf.h"
#include "replay/waitgraph.h"

/* ---- stories ------------------------------------------------------------- */

/* "group-2 blocks in write(state lock) since 1.234 ms (seq 1995)" */
static void how_it_waits(struct vbuf *x, const struct model *m, const struct mthread *t, int named)
{
    char nb[32], ob[48], ms[32];
    if (named)
        vbuf_printf(x, "%s ", model_thread_name(t, nb, sizeof nb));
    int64_t seq = t->pos_seq, ts = t->pos_ts;
    switch (t->pos) {
    case MP_LOCK:
        vbuf_printf(x, "blocks in %s(%s)", ev_lock_call_name(t->pos_obj, t->pos_mode),
                    rn_obj(t->pos_obj, ob, sizeof ob));
        break;
    case MP_BARRIER:
        vbuf_printf(x, "waits at epoch %lld phase %lld", (long long)t->pos_epoch,
                    (long long)t->pos_phase);
        break;
    case MP_BUS:
        vbuf_printf(x, "blocks in receive(%s)", rn_obj(t->pos_obj, ob, sizeof ob));
        break;
    case MP_WAIT:
        if (t->pos_mode == WAIT_CHILD)
            vbuf_printf(x, "waits for its child group-%lld to finalise", (long long)t->pos_arg);
        else
            vbuf_printf(x, "is frozen at a checkpoint");
        break;
    default:
        vbuf_printf(x, "retries %s",
                    t->retry_obj == OBJ_LEASE ? "try-lease" : "try-write(state lock)");
        seq = t->retry_seq;
        ts = t->retry_ts;
        break;
    }
    vbuf_printf(x, " since %s (seq %lld)", rn_ms(ts, m->t0, ms, sizeof ms), (long long)seq);
}

/* A receive that no epoch in the trace answers, and why t is in it: the
 * flag load that sent it down the follower path. */
static void no_sender(struct vbuf *x, struct model *m, const struct mthread *t)
{
    char ms[32];
    vbuf_printf(x, ", but no epoch sends on it");
    struct epoch_rec *ep = model_epoch(m, m->epoch_last);
    if (ep && ep->end_seq)
        vbuf_printf(x, " (the latest, epoch %lld, ended at seq %lld)", (long long)ep->epoch,
                    (long long)ep->end_seq);
    else if (!m->epoch_last)
        vbuf_printf(x, " (no epoch has begun)");
    if (!t->flag_load_seq || t->pos_obj != OBJ_BARRIER_BUS)
        return;
    vbuf_printf(
        x, ": it took the follower path because its %s flag load at seq %lld%s read the flag %s",
        ev_ordering_name(t->flag_load_order), (long long)t->flag_load_seq,
        t->follow_via == VIA_WOKEN ? " on the woken path" : "", t->flag_load_val ? "set" : "clear");
    if (m->flag_seq < t->flag_load_seq && !!m->flag != !!t->flag_load_val)
        vbuf_printf(x, ", while the flag was %s since %s (seq %lld): a stale read",
                    m->flag ? "set" : "clear", rn_ms(m->flag_ts, m->t0, ms, sizeof ms),
                    (long long)m->flag_seq);
}

/* What t waits on when it waits for a holder: a lock, a mutex, the lease (0
 * for anything else). */
static int64_t held_obj(const struct mthread *t)
{
    if (t->pos == MP_LOCK)
        return t->pos_obj;
    return t->pos == MP_RUNNING ? t->retry_obj : 0;
}

/* ", held for write by group-0" / " for group-2 and group-5" */
static void whom(struct vbuf *x, struct model *m, const struct mthread *t, const struct wg_node *a)
{
    char nb[32], ob[48];
    int64_t obj = held_obj(t);
    int nto = waitgraph_nthreads(a); /* a's edges to nobody, if any, are its only ones */
    if (obj) {
        vbuf_printf(x, "; the %s is held", rn_obj(obj, ob, sizeof ob));
        for (int i = 0; i < nto; i++) {
            struct mthread *u = a->out[i].to;
            struct mhold *h = model_held(u, obj);
            vbuf_printf(x, "%s", i ? " and" : "");
            if (h && obj == OBJ_STATE_LOCK)
                vbuf_printf(x, " for %s", ev_mode_name(h->mode));
            if (h && obj == OBJ_LEASE)
                vbuf_printf(x, " (lease %lld)", (long long)h->lease);
            if (u == t)
                vbuf_printf(x, " by %s itself (since seq %lld)",
                            model_thread_name(u, nb, sizeof nb), (long long)(h ? h->acq_seq : 0));
            else
                vbuf_printf(x, " by %s", model_thread_name(u, nb, sizeof nb));
        }
        if (!nto)
            vbuf_printf(x, " by nobody the trace shows");
        return;
    }
    if (t->pos == MP_WAIT && t->pos_mode == WAIT_CHILD)
        return;
    if (t->pos == MP_BUS && !nto) {
        no_sender(x, m, t);
        return;
    }
    vbuf_printf(x, " for");
    for (int i = 0; i < nto; i++) {
        struct mthread *u = a->out[i].to;
        vbuf_printf(x, "%s %s%s",
                    i == 0         ? ""
                    : i == nto - 1 ? " and"
                                   : ",",
                    model_thread_name(u, nb, sizeof nb), u == t ? " itself" : "");
    }
    if (!nto)
        vbuf_printf(x, " nobody the trace shows");
}

/* Why a thread that waits for nobody never gets where the others need it. */
static void root_cause(struct vbuf *x, const struct model *m, const struct mthread *u)
{
    char nb[32], ms[32];
    const char *name = model_thread_name(u, nb, sizeof nb);
    switch (u->pos) {
    case MP_UNSEEN:
        vbuf_printf(x, "%s never started (no thread_start)", name);
        return;
    case MP_EXITED:
        vbuf_printf(x, "%s exited at seq %lld", name, (long long)u->exit_seq);
        if (u->subscribed)
            vbuf_printf(
                x,
                " without leaving the buses (no group_unsubscribe after its subscribe at seq "
                "%lld): rx_count still counts it, so it never arrives",
                (long long)u->sub_seq);
        return;
    case MP_WAIT:
        if (u->pos_mode == WAIT_SLEEP) {
            vbuf_printf(x, "%s sleeps since %s (seq %lld)", name,
                        rn_ms(u->pos_ts, m->t0, ms, sizeof ms), (long long)u->pos_seq);
            if (u->woken_seq > m->flag_seq && m->flag_seq)
                vbuf_printf(
                    x,
                    "; it was woken at seq %lld but its flag load at seq %lld (%s) read the "
                    "flag %s, so it went back to sleep",
                    (long long)u->woken_seq, (long long)u->flag_load_seq,
                    ev_ordering_name(u->flag_load_order), u->flag_load_val ? "set" : "clear");
            else if (u->wakeup_sent_seq > m->flag_seq && m->flag_seq)
                vbuf_printf(
                    x,
                    " and was never woken: the wakeup sent to it at seq %lld (after the flag "
                    "was set at seq %lld) never reached it (lost wakeup)",
                    (long long)u->wakeup_sent_seq, (long long)m->flag_seq);
            else
                vbuf_printf(
                    x, " and was never woken: no wakeup was sent to it after the flag was set%s",
                    m->flag ? "" : " (the flag is clear)");
        } else {
            vbuf_printf(x, "%s is in a guest wait since %s (seq %lld)", name,
                        rn_ms(u->pos_ts, m->t0, ms, sizeof ms), (long long)u->pos_seq);
            if (u->wakeup_sent_seq > u->pos_seq)
                vbuf_printf(x, " that the wakeup sent at seq %lld did not interrupt",
                            (long long)u->wakeup_sent_seq);
            vbuf_printf(x, ": it makes no syscall, so it never arrives");
        }
        return;
    default:
        vbuf_printf(x,
                    "%s waits for nothing the trace shows, yet never comes: its latest event is %s "
                    "at seq %lld",
                    name, ev_kind_name((enum ev_kind)u->last_kind), (long long)u->last_seq);
        return;
    }
}

/* One finding's story as it is told: its text, the threads and objects it
 * names, the seqs that show it, and since when the first of them waits. */
struct story {
    struct vbuf x;
    char th[160];
    int64_t seqs[FINDING_MAX_SEQS];
    int nseqs;
    char objs[160];
    int64_t since_ts;
};

static void story_init(struct story *s)
{
    memset(s, 0, sizeof *s);
    s->since_ts = INT64_MAX;
}

/* Name thread t in s (marked seen), with seq as one of the finding's seqs
 * (0: none). */
static void story_thread(struct story *s, char *seen, const struct mthread *t, int64_t seq)
{
    char nb[32];
    size_t len = strlen(s->th);
    seen[t->id] = 1;
    snprintf(s->th + len, sizeof s->th - len, "%s%s", len ? " " : "",
             model_thread_name(t, nb, sizeof nb));
    if (seq && s->nseqs < FINDING_MAX_SEQS)
        s->seqs[s->nseqs++] = seq;
    int64_t ts = t->pos == MP_RUNNING ? t->retry_ts : t->pos_ts;
    if (ts && ts < s->since_ts)
        s->since_ts = ts;
}

/* Append the names of blocked threads not yet mentioned whose first wait
 * leads into the set marked in seen[] (by thread id), in the model's order. */
static void behind(struct story *s, struct waitgraph *g, char *seen)
{
    int added = 0, progress = 1;
    while (progress) {
        progress = 0;
        for (int64_t i = 0; i < g->m->nthreads; i++) {
            struct wg_node *a = &g->v[g->m->threads[i]->id];
            if (!a->t || !a->blocked || seen[a->t->id])
                continue;
            for (int k = 0; k < a->nout; k++) {
                if (a->out[k].to && seen[a->out[k].to->id]) {
                    vbuf_printf(&s->x, "%s", added++ ? "; " : ". Also waiting behind it: ");
                    story_thread(s, seen, a->t, 0);
                    how_it_waits(&s->x, g->m, a->t, 1);
                    progress = 1;
                    break;
                }
            }
        }
    }
}

/* One hop: after sep, how a's thread waits and for whom. */
static void story_hop(struct story *s, struct waitgraph *g, const struct wg_node *a,
                      const char *sep, char *seen)
{
    const struct mthread *t = a->t;
    story_thread(s, seen, t, t->pos == MP_RUNNING ? t->retry_seq : t->pos_seq);
    vbuf_printf(&s->x, "%s", sep);
    how_it_waits(&s->x, g->m, t, 1);
    whom(&s->x, g->m, t, a);
    finding_list_add(s->objs, sizeof s->objs, ", ", describe_wait_object(t));
}

/* The threads waiting behind it, then the finding: a hang could be a gap
 * that hid a release or an arrival, so any lost event after the first wait
 * makes it unreliable.  Frees s. */
static void story_end(struct story *s, struct findings *f, struct waitgraph *g, char *seen,
                      const char *rule, const char *key)
{
    behind(s, g, seen);
    for (int i = 1; i < s->nseqs; i++) /* earliest first */
        for (int k = i; k > 0 && s->seqs[k] < s->seqs[k - 1]; k--) {
            int64_t x = s->seqs[k];
            s->seqs[k] = s->seqs[k - 1];
            s->seqs[k - 1] = x;
        }
    struct finding *d =
        findings_add(f, rule, key, s->th, s->objs, s->seqs, s->nseqs, "%s", vbuf_str(&s->x));
    finding_evidence(d, ~(uint64_t)0, s->since_ts == INT64_MAX ? 0 : s->since_ts, INT64_MAX);
    vbuf_free(&s->x);
}

/* A thread that waits for itself: what it already holds, or a message or a
 * child that only it could bring. */
static void self_deadlock(struct findings *f, struct waitgraph *g, struct wg_node *a, char *seen)
{
    struct story s;
    story_init(&s);
    const struct mthread *t = a->t;
    char ob[48], key[64];
    story_thread(&s, seen, t, t->pos == MP_RUNNING ? t->retry_seq : t->pos_seq);
    how_it_waits(&s.x, g->m, t, 1);
    finding_list_add(s.objs, sizeof s.objs, ", ", describe_wait_object(t));
    int64_t obj = held_obj(t);
    struct mhold *h = obj ? model_held((struct mthread *)t, obj) : NULL;
    if (h) {
        vbuf_printf(&s.x, ": it waits for ");
        if (obj == OBJ_GROUP_MUTEX + t->grp)
            vbuf_printf(&s.x, "its own group mutex");
        else
            vbuf_printf(&s.x, "the %s", rn_obj(obj, ob, sizeof ob));
        vbuf_printf(&s.x, ", which it already holds");
        if (obj == OBJ_STATE_LOCK)
            vbuf_printf(&s.x, " for %s", ev_mode_name(h->mode));
        if (obj == OBJ_LEASE)
            vbuf_printf(&s.x, " (lease %lld)", (long long)h->lease);
        vbuf_printf(&s.x, " since seq %lld", (long long)h->acq_seq);
        if (s.nseqs < FINDING_MAX_SEQS)
            s.seqs[s.nseqs++] = h->acq_seq;
    } else {
        vbuf_printf(&s.x, ": it waits for itself");
    }
    vbuf_printf(&s.x, " — a self-deadlock");
    snprintf(key, sizeof key, "self/%lld", (long long)t->id);
    story_end(&s, f, g, seen, "deadlock", key);
}

static void deadlock(struct findings *f, struct waitgraph *g, int scc, char *seen)
{
    struct story s;
    story_init(&s);
    /* Walk the cycle from the first of its threads in the model's order. */
    struct wg_node *start = NULL;
    for (int64_t i = 0; i < g->m->nthreads && !start; i++) {
        struct wg_node *a = &g->v[g->m->threads[i]->id];
        if (a->t && a->scc == scc)
            start = a;
    }
    struct wg_node *a = start;
    do {
        story_hop(&s, g, a, a == start ? "" : ", and ", seen);
        /* Next: the first target inside the SCC not yet on the path. */
        struct wg_node *next = NULL;
        for (int i = 0; i < a->nout && !next; i++) {
            struct wg_node *b = a->out[i].to ? waitgraph_node(g, a->out[i].to->id) : NULL;
            if (b && b != a && b->scc == scc && (!seen[b->t->id] || b == start))
                next = b;
        }
        a = next;
    } while (a && a != start);
    vbuf_printf(&s.x, " — a cycle: none of them can move");
    char key[64];
    snprintf(key, sizeof key, "cycle/%d", scc);
    story_end(&s, f, g, seen, "deadlock", key);
}

/* A blocked thread outside any cycle: follow its first waits to a thread
 * that waits for nobody, and tell why that one never comes — and so for
 * every other such thread the last hop waits for (a barrier waits for all
 * its missing parties: two sleepers are two causes). */
static void stall(struct findings *f, struct waitgraph *g, struct wg_node *a, char *seen)
{
    struct model *m = g->m;
    struct story s;
    story_init(&s);
    char *path = calloc((size_t)g->n + 1, 1);
    if (!path)
        abort();
    struct wg_node *cur = a, *root = NULL, *last = NULL, *from = NULL;
    while (cur && cur->blocked && !path[cur->t->id]) {
        last = cur;
        path[cur->t->id] = 1;
        story_hop(&s, g, cur, cur == a ? "" : "; ", seen);
        /* Prefer a target that is itself stuck for good (not blocked). */
        struct wg_node *next = NULL;
        for (int i = 0; i < cur->nout; i++) {
            struct wg_node *b = cur->out[i].to ? waitgraph_node(g, cur->out[i].to->id) : NULL;
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
        for (int i = 0, told = 0; i < from->nout; i++) {
            struct wg_node *b = from->out[i].to ? waitgraph_node(g, from->out[i].to->id) : NULL;
            if (!b || b->blocked || (seen[b->t->id] && (told || b != root)))
                continue;
            told++;
            const struct mthread *r = b->t;
            vbuf_printf(&s.x, "; ");
            root_cause(&s.x, m, r);
            story_thread(&s, seen, r,
                         r->pos == MP_EXITED ? r->exit_seq
                         : r->pos == MP_WAIT ? r->pos_seq
                                             : r->last_seq);
        }
    } else if (!cur && last->t->pos == MP_BUS && last->t->flag_load_seq) {
        /* no_sender told the flag load that led it there */
        finding_list_add(s.objs, sizeof s.objs, ", ", "pending flag");
        if (s.nseqs < FINDING_MAX_SEQS)
            s.seqs[s.nseqs++] = last->t->flag_load_seq;
    } else if (!cur) {
        vbuf_printf(&s.x, "; nothing in the trace will release it");
    }
    char key[64];
    snprintf(key, sizeof key, "stall/%lld", (long long)(root ? root->t->id : a->t->id));
    story_end(&s, f, g, seen, "stall", key);
    free(path);
}

void waitfor_end(struct findings *f, struct model *m)
{
    struct waitgraph g;
    waitgraph_build(&g, m);
    char *seen = calloc((size_t)g.n + 1, 1);
    if (!seen)
        abort();
    if (g.blocked) {
        /* Cycles first: an SCC of two or more, or a thread waiting for itself. */
        for (int scc = 1; scc <= g.nscc; scc++) {
            int size = 0, cycle = 0;
            struct wg_node *one = NULL;
            for (int64_t i = 0; i < g.n; i++) {
                if (g.v[i].scc != scc)
                    continue;
                size++;
                one = &g.v[i];
                cycle |= g.v[i].cycle;
            }
            if (size > 1)
                deadlock(f, &g, scc, seen);
            else if (cycle)
                self_deadlock(f, &g, one, seen);
        }
        for (int64_t i = 0; i < g.n; i++) {
            struct wg_node *a = &g.v[m->threads[i]->id];
            if (a->blocked && !seen[a->t->id])
                stall(f, &g, a, seen);
        }
    }
    waitgraph_free(&g);
    free(seen);
}
