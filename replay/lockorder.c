/*
 * replay/lockorder.c — lock-order prediction in the spirit of lockdep (see
 * check.h): from a trace that may well have completed, the orders in which
 * threads waited for one resource while holding another, and the cycles
 * among them that another interleaving could close into a deadlock.
 * No locks.
 *
 * Resources are classes, not instances: W (the state lock held for write),
 * R (held for read), L (the lease), P (the process mutex) and B (the phase-1
 * barrier, which every subscribed group "holds" until it arrives).  Group
 * mutexes are left out: only their own group ever takes them.  An edge X→Y
 * says "some thread held X while it waited for Y"; waiting for a write
 * conflicts with W and R holders, a read with W.  Observed edges:
 *   - held X, attempt on Y (blocking, or the try of a cooperative loop);
 *   - held X, arrival at phase 1 of an epoch → X→B;
 *   - a subscribed thread without the lease, outside a rendezvous, blocking
 *     on Y → B→Y (an epoch starting meanwhile waits for it).
 * The protocol itself adds, by design, L→W and L→R (a lease holder takes a
 * blocking write: dlopen, dlsym, spawn finalisation) and W→B, L→B (the
 * instigator holds the lease and the write lock at phase 1).  A cycle with at
 * least one observed edge that is not one of these is reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/names.h"

enum res { RES_W, RES_R, RES_L, RES_P, RES_B, RES_N };
static const char *const res_name[RES_N] = {"write lock", "read lock", "lease", "process mutex",
                                            "phase-1 barrier"};

/* What a thread waited in: a lock attempt (obj, mode, how) or arrival at
 * phase 1 (obj OBJ_BARRIER). */
struct wait {
    int64_t obj, mode, how;
};

struct edge {
    int seen, design;
    const struct mthread *who[2]; /* up to two distinct threads that made it */
    int64_t seq[2][2];            /* per thread: the held resource's acquisition, the wait */
    struct wait w[2];             /* per thread: what it waited in */
};

struct lockorder {
    struct edge e[RES_N][RES_N];
};

struct lockorder *lockorder_new(void)
{
    struct lockorder *lo = calloc(1, sizeof *lo);
    if (!lo)
        abort();
    lo->e[RES_L][RES_W].design = lo->e[RES_L][RES_R].design = 1;
    lo->e[RES_W][RES_B].design = lo->e[RES_L][RES_B].design = 1;
    return lo;
}

void lockorder_free(struct lockorder *lo)
{
    free(lo);
}

static void observe(struct lockorder *lo, int from, int to, const struct mthread *t,
                    int64_t held_seq, int64_t seq, struct wait w)
{
    struct edge *e = &lo->e[from][to];
    if (!e->seen) {
        e->seen = 1;
        e->who[0] = e->who[1] = t;
        e->seq[0][0] = e->seq[1][0] = held_seq;
        e->seq[0][1] = e->seq[1][1] = seq;
        e->w[0] = e->w[1] = w;
    } else if (e->who[1] == e->who[0] && t != e->who[0]) {
        e->who[1] = t;
        e->seq[1][0] = held_seq;
        e->seq[1][1] = seq;
        e->w[1] = w;
    }
}

/* The resource class a hold is, or -1. */
static int held_class(const struct mhold *h)
{
    switch (h->obj) {
    case OBJ_STATE_LOCK:
        return h->mode == MODE_WRITE ? RES_W : RES_R;
    case OBJ_LEASE:
        return RES_L;
    case OBJ_PROCESS_MUTEX:
        return RES_P;
    default:
        return -1;
    }
}

/* The held classes a wait for (obj, mode) conflicts with: up to two. */
static int wanted_classes(int64_t obj, int64_t mode, int out[2])
{
    switch (obj) {
    case OBJ_STATE_LOCK:
        out[0] = RES_W;
        out[1] = RES_R;
        return mode == MODE_WRITE ? 2 : 1;
    case OBJ_LEASE:
        out[0] = RES_L;
        return 1;
    case OBJ_PROCESS_MUTEX:
        out[0] = RES_P;
        return 1;
    default:
        return 0;
    }
}

static void waits(struct lockorder *lo, struct mthread *t, const int *to, int nto, int64_t seq,
                  struct wait w)
{
    for (int i = 0; i < t->nholds; i++) {
        int from = held_class(&t->holds[i]);
        for (int k = 0; from >= 0 && k < nto; k++)
            if (from != to[k])
                observe(lo, from, to[k], t, t->holds[i].acq_seq, seq, w);
    }
}

void lockorder_event(struct lockorder *lo, struct model *m, struct mthread *t, const struct rev *e)
{
    if (t->grp < 0 && !t->start_seq) /* not a protocol thread: the run's own */
        return;
    int to[2] = {0, 0}, n;
    struct wait w = {.obj = e->obj, .mode = e->mode, .how = e->how};
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
        /* A lone try-read (dlsym's cache lookup) does not wait. */
        if (e->how == HOW_TRY && e->obj == OBJ_STATE_LOCK && e->mode == MODE_READ)
            return;
        n = wanted_classes(e->obj, e->mode, to);
        waits(lo, t, to, n, e->seq, w);
        if (e->how == HOW_BLOCKING && n && t->subscribed && !model_held(t, OBJ_LEASE) &&
            !t->rdv_stage && !(m->rx_count <= 1 && !m->epoch_last))
            for (int k = 0; k < n; k++)
                observe(lo, RES_B, to[k], t, t->sub_seq, e->seq, w);
        return;
    case EV_BARRIER_ARRIVE:
        if (e->phase == 1) {
            to[0] = RES_B;
            w = (struct wait){.obj = OBJ_BARRIER};
            waits(lo, t, to, 1, e->seq, w);
        }
        return;
    }
}

/* May consecutive edges a→b (from threads of ea) and b→c (of eb) come from
 * different threads?  Design edges stand for any thread. */
static int distinct(const struct edge *ea, const struct edge *eb)
{
    if (!ea->seen || !eb->seen)
        return 1;
    return ea->who[0] != eb->who[0] || ea->who[1] != ea->who[0] || eb->who[1] != eb->who[0];
}

static int usable(const struct edge *e)
{
    return e->seen || e->design;
}

/* What a thread did that waits for the class want, in the protocol's words:
 * "blocks in read(state lock), which waits for the write lock". */
static void wait_words(const struct wait *w, const char *want, int64_t seq, char *buf, size_t n)
{
    char ob[48];
    switch (w->obj) {
    case OBJ_BARRIER:
        snprintf(buf, n, "waits for the %s (seq %lld)", want, (long long)seq);
        return;
    case OBJ_LEASE:
        snprintf(buf, n, "tries for the lease (seq %lld)", (long long)seq);
        return;
    case OBJ_STATE_LOCK:
        snprintf(buf, n, "%s %s(state lock) (seq %lld), which waits for the %s",
                 w->how == HOW_TRY ? "tries" : "blocks in", ev_mode_name(w->mode), (long long)seq,
                 want);
        return;
    default:
        snprintf(buf, n, "blocks in lock(%s) (seq %lld)", rn_obj(w->obj, ob, sizeof ob),
                 (long long)seq);
        return;
    }
}

static void report(struct lockorder *lo, struct findings *f, const int *cyc, int len)
{
    char msg[1024], th[160] = "", objs[160] = "", key[64] = "", nb[32];
    size_t ml = 0;
    int64_t seqs[FINDING_MAX_SEQS];
    const struct mthread *who[RES_N + 1];
    int nseqs = 0;
    /* Tell each edge with a thread other than its neighbours', if it has one. */
    for (int i = 0; i < len; i++) {
        const struct edge *e = &lo->e[cyc[i]][cyc[(i + 1) % len]];
        who[i] = i && e->who[0] == who[i - 1] ? e->who[1] : e->who[0];
    }
    const struct edge *e0 = &lo->e[cyc[0]][cyc[1 % len]];
    if (len > 1 && who[0] == who[len - 1])
        who[0] = e0->who[1];
    ml += (size_t)snprintf(msg, sizeof msg, "lock-order cycle ");
    for (int i = 0; i < len; i++) {
        snprintf(key + strlen(key), sizeof key - strlen(key), "%d", cyc[i]);
        snprintf(objs + strlen(objs), sizeof objs - strlen(objs), "%s%s", i ? ", " : "",
                 res_name[cyc[i]]);
        ml += (size_t)snprintf(msg + ml, sizeof msg - ml, "%s -> ", res_name[cyc[i]]);
    }
    ml += (size_t)snprintf(msg + ml, sizeof msg - ml, "%s: ", res_name[cyc[0]]);
    for (int i = 0; i < len && ml < sizeof msg; i++) {
        const struct edge *e = &lo->e[cyc[i]][cyc[(i + 1) % len]];
        const char *held = res_name[cyc[i]], *want = res_name[cyc[(i + 1) % len]];
        if (!e->seen) {
            ml += (size_t)snprintf(msg + ml, sizeof msg - ml,
                                   "%sby design, a thread holding the %s waits for the %s",
                                   i ? "; " : "", held, want);
            continue;
        }
        const char *name = model_thread_name(who[i], nb, sizeof nb);
        int k = who[i] == e->who[0] ? 0 : 1;
        const int64_t *sq = e->seq[k];
        char how[128];
        wait_words(&e->w[k], want, sq[1], how, sizeof how);
        finding_list_add(th, sizeof th, " ", name);
        if (cyc[i] == RES_B)
            ml += (size_t)snprintf(msg + ml, sizeof msg - ml,
                                   "%s%s, subscribed and without the lease, %s, so a phase-1 "
                                   "barrier starting meanwhile would wait for it",
                                   i ? "; " : "", name, how);
        else
            ml += (size_t)snprintf(msg + ml, sizeof msg - ml,
                                   "%s%s holds the %s (since seq %lld) while it %s", i ? "; " : "",
                                   name, held, (long long)sq[0], how);
        if (nseqs + 2 <= FINDING_MAX_SEQS) {
            seqs[nseqs++] = sq[0];
            seqs[nseqs++] = sq[1];
        }
    }
    if (ml < sizeof msg)
        snprintf(msg + ml, sizeof msg - ml, ". Another interleaving of these paths deadlocks.");
    /* A lost release would make a thread seem to hold what it had let go. */
    struct finding *d = findings_add(f, "lock-order", key, th, objs, seqs, nseqs, "%s", msg);
    finding_evidence(d,
                     finding_kind(EV_LOCK_RELEASED) | finding_kind(EV_LEASE_HANDOVER) |
                         finding_kind(EV_BARRIER_ARRIVE),
                     0, INT64_MAX);
}

/* Report each simple cycle once (starting at its smallest class). */
static void search(struct lockorder *lo, struct findings *f, int *path, int len, int *on)
{
    int last = path[len - 1];
    for (int next = path[0]; next < RES_N; next++) {
        const struct edge *e = &lo->e[last][next];
        if (!usable(e))
            continue;
        if (len > 1 && !distinct(&lo->e[path[len - 2]][last], e))
            continue;
        if (next == path[0] && len > 1) {
            int observed = 0;
            for (int i = 0; i < len; i++) {
                const struct edge *c = &lo->e[path[i]][path[(i + 1) % len]];
                observed |= c->seen && !c->design;
            }
            if (observed && distinct(e, &lo->e[path[0]][path[1]]))
                report(lo, f, path, len);
            continue;
        }
        if (on[next] || next == path[0])
            continue;
        on[next] = 1;
        path[len] = next;
        search(lo, f, path, len + 1, on);
        on[next] = 0;
    }
}

void lockorder_end(struct lockorder *lo, struct findings *f)
{
    int path[RES_N + 1], on[RES_N] = {0};
    for (int s = 0; s < RES_N; s++) {
        path[0] = s;
        on[s] = 1;
        search(lo, f, path, 1, on);
        on[s] = 0;
    }
}
