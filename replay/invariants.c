/*
 * replay/invariants.c — invariants I1–I9 of docs/protocol.md §4, judged event by
 * event against the model's state just before the event (see check.h).
 * No locks.
 *
 * Each finding's key folds repeats of the same fault by the same thread (a
 * naive blocking write on every closure allocation is one finding, counted).
 */
#include <stdint.h>
#include <stdio.h>

#include "replay/check.h"
#include "replay/names.h"

static const char *nm(const struct mthread *t, tname_t buf)
{
    return model_thread_name(t, buf, sizeof(tname_t));
}

static uint64_t kinds2(int a, int b)
{
    return finding_kind(a) | finding_kind(b);
}

/* I1: one lease holder at a time. */
static void lease_acquired(struct findings *f, struct model *m, struct mthread *t,
                           const struct rev *e)
{
    struct mthread *h = m->lease_holder;
    if (!h || h == t)
        return;
    tname_t a, b;
    char key[64], th[80];
    snprintf(key, sizeof key, "%lld", (long long)t->id);
    snprintf(th, sizeof th, "%s %s", nm(h, a), nm(t, b));
    int64_t seqs[] = {m->lease_seq, e->seq};
    struct finding *d = findings_add(
        f, "I1", key, th, "lease", seqs, 2,
        "%s took lease %lld (seq %lld) while %s still held lease %lld (since seq %lld): "
        "two lease holders",
        b, (long long)e->lease, (long long)e->seq, a, (long long)m->lease_id,
        (long long)m->lease_seq);
    finding_evidence(d, kinds2(EV_LOCK_RELEASED, EV_LEASE_HANDOVER), m->lease_ts, e->ts);
}

/* I2: never a lease try while holding the state lock for write. */
static void lease_attempt(struct findings *f, struct mthread *t, const struct rev *e)
{
    struct mhold *w = model_held(t, OBJ_STATE_LOCK);
    if (!w || w->mode != MODE_WRITE)
        return;
    tname_t a;
    char key[64];
    snprintf(key, sizeof key, "%lld", (long long)t->id);
    int64_t seqs[] = {w->acq_seq, e->seq};
    struct finding *d =
        findings_add(f, "I2", key, nm(t, a), "state lock, lease", seqs, 2,
                     "%s tries for the lease (seq %lld) while it holds the state lock for write "
                     "(since seq %lld): the order is lease, then write",
                     a, (long long)e->seq, (long long)w->acq_seq);
    finding_evidence(d, finding_kind(EV_LOCK_RELEASED), w->acq_ts, e->ts);
}

/* I2: the lease is the outer lock: released after the write lock, never while
 * its holder still has the state lock for write. */
static void lease_released(struct findings *f, struct mthread *t, const struct rev *e)
{
    struct mhold *w = model_held(t, OBJ_STATE_LOCK);
    if (!w || w->mode != MODE_WRITE)
        return;
    tname_t a;
    char key[64];
    snprintf(key, sizeof key, "release/%lld", (long long)t->id);
    int64_t seqs[] = {w->acq_seq, e->seq};
    struct finding *d = findings_add(
        f, "I2", key, nm(t, a), "lease, state lock", seqs, 2,
        "%s releases lease %lld (seq %lld) while it still holds the state lock for "
        "write (since seq %lld): the lease goes last, else another instigator can start "
        "while this write is held",
        a, (long long)e->lease, (long long)e->seq, (long long)w->acq_seq);
    finding_evidence(d, finding_kind(EV_LOCK_RELEASED), w->acq_ts, e->ts);
}

/* I3: no blocking read/write of the state lock from a group path, except
 * bootstrap (one subscriber), a holder of the lease (spawn finalisation,
 * dlopen/dlsym after the lease) and the rendezvous's own read after phase 1. */
static void blocking_statelock(struct findings *f, struct model *m, struct mthread *t,
                               const struct rev *e)
{
    if (model_held(t, OBJ_LEASE))
        return;
    if (e->mode == MODE_READ && t->rdv_stage == 2)
        return;
    if (e->mode == MODE_WRITE && m->rx_count <= 1 && t->role == ROLE_MAIN && !m->epoch_last)
        return;
    tname_t a;
    char key[64];
    snprintf(key, sizeof key, "%lld/%lld", (long long)t->id, (long long)e->mode);
    int64_t seqs[] = {e->seq};
    struct finding *d =
        findings_add(f, "I3", key, nm(t, a), "state lock", seqs, 1,
                     "%s takes a blocking %s of the state lock (seq %lld) on a group path, "
                     "without the lease and outside a rendezvous%s%s: an instigator holding the "
                     "write lock would wait for it at phase 1 forever",
                     a, ev_mode_name(e->mode), (long long)e->seq, t->action ? " during " : "",
                     t->action ? ev_action_name(t->action) : "");
    finding_evidence(d,
                     kinds2(EV_LOCK_ACQUIRED, EV_LEASE_HANDOVER) |
                         kinds2(EV_BARRIER_DEPART, EV_GROUP_SUBSCRIBE) |
                         finding_kind(EV_THREAD_START),
                     0, e->ts);
}

/* I4: broadcasts never fail; one epoch in flight. */
static void broadcast(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    tname_t a;
    char key[64];
    if (e->how != BROADCAST_OK) {
        snprintf(key, sizeof key, "full/%lld", (long long)e->epoch);
        int64_t seqs[] = {e->seq};
        struct finding *d =
            findings_add(f, "I4", key, nm(t, a), ev_object_name(e->obj), seqs, 1,
                         "%s's broadcast of epoch %lld on the %s found it full (seq %lld): a "
                         "receiver, %s, has not taken the previous message",
                         a, (long long)e->epoch, ev_object_name(e->obj), (long long)e->seq,
                         "the instigator's own receiver included");
        finding_evidence(d, 0, e->ts, e->ts); /* the event says so itself */
        return;
    }
    if (e->obj != OBJ_BARRIER_BUS)
        return;
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (!u->rdv_stage || u->rdv_epoch == e->epoch || u->pos == MP_EXITED)
            continue;
        tname_t b;
        char th[80];
        snprintf(key, sizeof key, "flight/%lld", (long long)e->epoch);
        snprintf(th, sizeof th, "%s %s", nm(t, a), nm(u, b));
        int64_t seqs[] = {u->rdv_arr_seq, e->seq};
        struct finding *d =
            findings_add(f, "I4", key, th, "barrier bus, barrier", seqs, 2,
                         "%s broadcasts epoch %lld (seq %lld) while %s is still in epoch %lld "
                         "(arrived at phase %lld at seq %lld): two epochs in flight",
                         a, (long long)e->epoch, (long long)e->seq, b, (long long)u->rdv_epoch,
                         (long long)u->rdv_phase, (long long)u->rdv_arr_seq);
        finding_evidence(d, kinds2(EV_BARRIER_DEPART, EV_LOCK_RELEASED) | finding_kind(EV_OP_END),
                         u->rdv_arr_ts, e->ts);
        return;
    }
}

/* I5: the barrier has rx_count parties. */
static void arrive(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = model_epoch(m, e->epoch);
    tname_t a;
    char key[64];
    if (ep && ep->bcast_seq && e->a != ep->rx) {
        snprintf(key, sizeof key, "parties/%lld", (long long)e->epoch);
        int64_t seqs[] = {ep->bcast_seq, e->seq};
        struct finding *d = findings_add(
            f, "I5", key, nm(t, a), "barrier", seqs, 2,
            "epoch %lld: the barrier has %lld parties but rx_count was %lld at the "
            "broadcast (seq %lld)",
            (long long)e->epoch, (long long)e->a, (long long)ep->rx, (long long)ep->bcast_seq);
        finding_evidence(d, 0, ep->bcast_ts, e->ts); /* both counts are in the events */
    }
    /* I6: a follower applies the operation between phase 1 and phase 2. */
    if (e->phase == 2 && ep && ep->inst != t && t->replay_epoch != e->epoch) {
        snprintf(key, sizeof key, "noapply/%lld/%lld", (long long)e->epoch, (long long)t->id);
        int64_t seqs[] = {e->seq};
        struct finding *d =
            findings_add(f, "I6", key, nm(t, a), "barrier", seqs, 1,
                         "%s arrives at phase 2 of epoch %lld (seq %lld) without having applied "
                         "its operation",
                         a, (long long)e->epoch, (long long)e->seq);
        finding_evidence(d, finding_kind(EV_REPLAY_END), t->rdv_arr_ts, e->ts);
    }
}

/* I5 at the end of an epoch: every counted group arrived at both phases.
 * I6: every follower's table agrees with the instigator's. */
static void epoch_end(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = model_epoch(m, e->epoch);
    tname_t a;
    char key[64];
    if (ep && ep->bcast_seq) {
        for (int p = 1; p <= 2; p++) {
            if (ep->arrivals[p] == ep->rx)
                continue;
            snprintf(key, sizeof key, "phase/%lld/%d", (long long)e->epoch, p);
            int64_t seqs[] = {ep->bcast_seq, e->seq};
            struct finding *d =
                findings_add(f, "I5", key, nm(t, a), "barrier", seqs, 2,
                             "epoch %lld ended (seq %lld) with %lld of %lld parties arrived at "
                             "phase %d",
                             (long long)e->epoch, (long long)e->seq, (long long)ep->arrivals[p],
                             (long long)ep->rx, p);
            finding_evidence(d, finding_kind(EV_BARRIER_ARRIVE), ep->bcast_ts, e->ts);
        }
    }
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (u == t || u->replay_epoch != e->epoch)
            continue;
        if (u->replay_digest == e->a && u->replay_size == e->b)
            continue;
        tname_t b;
        char th[80];
        snprintf(key, sizeof key, "diverge/%lld/%lld", (long long)e->epoch, (long long)u->id);
        snprintf(th, sizeof th, "%s %s", nm(t, a), nm(u, b));
        int64_t seqs[] = {u->replay_seq, e->seq};
        struct finding *d = findings_add(
            f, "I6", key, th, "function table", seqs, 2,
            "after epoch %lld, %s's function table (%lld slots, digest %llx, seq %lld) "
            "differs from the instigator %s's (%lld slots, digest %llx, seq %lld)",
            (long long)e->epoch, b, (long long)u->replay_size, (unsigned long long)u->replay_digest,
            (long long)u->replay_seq, a, (long long)e->b, (unsigned long long)e->a,
            (long long)e->seq);
        finding_evidence(d, 0, e->ts, e->ts); /* both tables are in the events */
    }
}

/* I6: each operation applied once, in epoch order, successfully. */
static void replay(struct findings *f, struct mthread *t, const struct rev *e)
{
    tname_t a;
    char key[64];
    if (e->kind == EV_REPLAY_BEGIN && t->replay_epoch >= e->epoch) {
        snprintf(key, sizeof key, "order/%lld", (long long)t->id);
        int64_t seqs[] = {t->replay_seq, e->seq};
        struct finding *d =
            findings_add(f, "I6", key, nm(t, a), "operation bus", seqs, 2,
                         "%s applies epoch %lld (seq %lld) after already applying epoch %lld "
                         "(seq %lld): twice or out of order",
                         a, (long long)e->epoch, (long long)e->seq, (long long)t->replay_epoch,
                         (long long)t->replay_seq);
        finding_evidence(d, 0, e->ts, e->ts);
    }
    if (e->kind == EV_REPLAY_END && e->how != RESULT_OK) {
        snprintf(key, sizeof key, "fail/%lld", (long long)t->id);
        int64_t seqs[] = {e->seq};
        struct finding *d = findings_add(
            f, "I6", key, nm(t, a), "function table", seqs, 1,
            "%s failed to apply epoch %lld (%s, seq %lld): its table no longer matches "
            "the recorded layout",
            a, (long long)e->epoch, ev_op_name(e->mode), (long long)e->seq);
        finding_evidence(d, 0, e->ts, e->ts);
    }
}

/* Is u inside its epoch's window between the phase-1 release and its own
 * phase-2 departure?  The window opens at the release (the last arrival),
 * even for a party that has not yet been scheduled to depart. */
static int past_phase1_release(struct model *m, const struct mthread *u)
{
    if (u->rdv_stage >= 2)
        return 1;
    if (u->rdv_stage != 1)
        return 0;
    const struct epoch_rec *r = model_epoch(m, u->rdv_epoch);
    return r && r->p1_seq != 0;
}

/* I7: no write granted between phase-1 release and the last phase-2
 * departure. */
static void write_granted(struct findings *f, struct model *m, struct mthread *t,
                          const struct rev *e)
{
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (u == t || !u->rdv_stage || u->pos == MP_EXITED || !past_phase1_release(m, u))
            continue;
        tname_t a, b;
        char key[64], th[80];
        snprintf(key, sizeof key, "%lld", (long long)u->rdv_epoch);
        snprintf(th, sizeof th, "%s %s", nm(t, a), nm(u, b));
        int64_t seqs[] = {u->rdv_arr_seq, e->seq};
        struct finding *d = findings_add(
            f, "I7", key, th, "state lock, barrier", seqs, 2,
            "%s is granted the state lock for write (seq %lld) while %s is still in "
            "epoch %lld past phase 1 (since seq %lld): a new writer can change the "
            "state under a follower that is still applying",
            a, (long long)e->seq, b, (long long)u->rdv_epoch, (long long)u->rdv_arr_seq);
        finding_evidence(d, kinds2(EV_BARRIER_DEPART, EV_LOCK_RELEASED), u->rdv_arr_ts, e->ts);
        return;
    }
}

/* I8: flag set before any wakeup; cleared only after phase 1. */
static void flag_order(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    tname_t a;
    char key[64];
    if (e->kind == EV_WAKEUP_SENT && e->epoch > 0 && !(m->flag && m->flag_epoch == e->epoch)) {
        snprintf(key, sizeof key, "wake/%lld", (long long)e->epoch);
        int64_t seqs[] = {e->seq};
        struct finding *d = findings_add(
            f, "I8", key, nm(t, a), "pending flag", seqs, 1,
            "%s sends a wakeup for epoch %lld (seq %lld) while the pending flag is not "
            "set for it: a woken thread would find nothing to do",
            a, (long long)e->epoch, (long long)e->seq);
        finding_evidence(d, finding_kind(EV_FLAG_SET), 0, e->ts);
    }
    if (e->kind == EV_FLAG_CLEAR && e->epoch > 0) {
        struct epoch_rec *ep = model_epoch(m, e->epoch);
        if (ep && ep->bcast_seq && !ep->p1_seq) {
            snprintf(key, sizeof key, "clear/%lld", (long long)e->epoch);
            int64_t seqs[] = {e->seq};
            struct finding *d =
                findings_add(f, "I8", key, nm(t, a), "pending flag, barrier", seqs, 1,
                             "%s clears the pending flag of epoch %lld (seq %lld) before phase 1 "
                             "completed",
                             a, (long long)e->epoch, (long long)e->seq);
            finding_evidence(d, finding_kind(EV_BARRIER_ARRIVE), ep->bcast_ts, e->ts);
        }
    }
}

/* I8 (the flag's orderings, docs/protocol.md §3): a thread woken by the signal
 * reads the flag with a sequentially consistent load, never a relaxed one. */
static void flag_load(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    if (!t->woken_entry_seq || e->mode != ORDER_RELAXED)
        return;
    tname_t a;
    char key[64], stale[128] = "";
    snprintf(key, sizeof key, "relaxed/%lld", (long long)t->id);
    if (!!e->a != !!m->flag)
        snprintf(stale, sizeof stale,
                 " and read it %s while it was %s since seq %lld (a stale read)",
                 e->a ? "set" : "clear", m->flag ? "set" : "clear", (long long)m->flag_seq);
    int64_t seqs[] = {t->woken_entry_seq, e->seq};
    struct finding *d =
        findings_add(f, "I8", key, nm(t, a), "pending flag", seqs, 2,
                     "%s, woken by the signal (syscall entry at seq %lld), loads the pending flag "
                     "with a relaxed load (seq %lld)%s: the woken path must load it sequentially "
                     "consistent",
                     a, (long long)t->woken_entry_seq, (long long)e->seq, stale);
    finding_evidence(d, finding_kind(EV_FLAG_LOAD), t->woken_ts, e->ts);
}

/* I9: the snapshot is written by the last thread to freeze. */
static void snapshot(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (u == t || !u->start_seq || u->pos == MP_EXITED)
            continue;
        if (u->frozen || u->deep_sleeping)
            continue;
        tname_t a, b;
        char key[64], th[80];
        snprintf(key, sizeof key, "%lld", (long long)e->seq);
        snprintf(th, sizeof th, "%s %s", nm(t, a), nm(u, b));
        int64_t seqs[] = {e->seq, u->last_seq};
        struct finding *d = findings_add(
            f, "I9", key, th, "process mutex", seqs, 2,
            "%s writes a checkpoint snapshot (seq %lld) while %s is neither frozen nor "
            "deep-sleeping (its latest event: %s at seq %lld)",
            a, (long long)e->seq, b, ev_kind_name((enum ev_kind)u->last_kind),
            (long long)u->last_seq);
        finding_evidence(d,
                         kinds2(EV_CHECKPOINT_FREEZE, EV_LOCK_RELEASED) |
                             kinds2(EV_THREAD_EXIT, EV_WAIT_BEGIN),
                         0, e->ts);
        return;
    }
}

/* ---- exclusion: who may hold what, and do what with it ------------------- */

/* t's hold of obj in mode (any mode for the lease and mutexes), or NULL. */
static struct mhold *held_as(struct mthread *t, int64_t obj, int64_t mode)
{
    for (int i = 0; i < t->nholds; i++)
        if (t->holds[i].obj == obj && (obj != OBJ_STATE_LOCK || t->holds[i].mode == mode))
            return &t->holds[i];
    return NULL;
}

/* The state lock granted against its holders: two writers, a reader during
 * a write, a writer during reads. */
static void exclusion_granted(struct findings *f, struct model *m, struct mthread *t,
                              const struct rev *e)
{
    struct mthread *w = m->writer;
    struct mhold *wh = w ? held_as(w, OBJ_STATE_LOCK, MODE_WRITE) : NULL;
    struct mthread *r = NULL;
    struct mhold *rh = NULL;
    if (!wh && e->mode == MODE_WRITE && m->readers > 0) /* who reads: the first in order */
        for (int64_t i = 0; i < m->nthreads && !rh; i++)
            if ((rh = held_as(m->threads[i], OBJ_STATE_LOCK, MODE_READ)))
                r = m->threads[i];
    if (!wh && !rh)
        return;
    struct mthread *other = wh ? w : r;
    struct mhold *oh = wh ? wh : rh;
    tname_t a, b;
    char key[64], th[80];
    const char *what = wh ? (e->mode == MODE_WRITE ? "two writers" : "a reader during a write")
                          : "a writer during reads";
    snprintf(key, sizeof key, "%s/%lld", what, (long long)t->id);
    snprintf(th, sizeof th, "%s %s", nm(other, a), nm(t, b));
    if (other == t)
        snprintf(th, sizeof th, "%s", b);
    int64_t seqs[] = {oh->acq_seq, e->seq};
    struct finding *d = findings_add(
        f, "exclusion", key, th, "state lock", seqs, 2,
        "%s is granted the state lock for %s (seq %lld) while %s%s holds it for %s "
        "(since seq %lld): %s",
        b, ev_mode_name(e->mode), (long long)e->seq, other == t ? "it" : a,
        other == t ? " already" : "", ev_mode_name(oh->mode), (long long)oh->acq_seq, what);
    finding_evidence(d, finding_kind(EV_LOCK_RELEASED), oh->acq_ts, e->ts);
}

/* Is t using a lease it does not hold?  what: "releases lease 3", ...  A
 * lease handed to a child that has not run is still its giver's to hand
 * back: a spawn whose thread fails to start takes it back (a handover to
 * itself), then releases it (lib/spawn.c). */
static void lease_used(struct findings *f, struct model *m, struct mthread *t, const struct rev *e,
                       int64_t lease, const char *what)
{
    struct mhold *h = model_held(t, OBJ_LEASE);
    if (h && (lease == 0 || h->lease == lease))
        return;
    if (e->kind == EV_LEASE_HANDOVER && m->lease_holder && m->lease_holder->pos == MP_UNSEEN &&
        m->lease_giver == t && lease == m->lease_id)
        return;
    tname_t a, b;
    char key[64], th[80], holder[96];
    struct mthread *o = m->lease_holder;
    int64_t seqs[2] = {e->seq, e->seq};
    int n = 1;
    snprintf(key, sizeof key, "lease/%lld/%d", (long long)t->id, e->kind);
    snprintf(th, sizeof th, "%s", nm(t, a));
    if (o && o != t) {
        snprintf(th, sizeof th, "%s %s", a, nm(o, b));
        snprintf(holder, sizeof holder, "%s holds lease %lld since seq %lld", b,
                 (long long)m->lease_id, (long long)m->lease_seq);
        seqs[0] = m->lease_seq;
        n = 2;
    } else if (h) {
        snprintf(holder, sizeof holder, "it holds lease %lld since seq %lld", (long long)h->lease,
                 (long long)h->acq_seq);
    } else {
        snprintf(holder, sizeof holder, "nobody holds it");
    }
    struct finding *d =
        findings_add(f, "exclusion", key, th, "lease", n == 2 ? seqs : seqs + 1, n,
                     "%s %s (seq %lld) without holding the lease (%s): only the lease holder "
                     "may release it, hand it over or instigate an epoch",
                     a, what, (long long)e->seq, holder);
    finding_evidence(d, kinds2(EV_LOCK_ACQUIRED, EV_LEASE_HANDOVER), 0, e->ts);
}

/* A release of a lock, mutex or lease that t does not hold. */
static void released(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    char what[64];
    if (e->obj == OBJ_LEASE) {
        snprintf(what, sizeof what, "releases lease %lld", (long long)e->lease);
        lease_used(f, m, t, e, e->lease, what);
        return;
    }
    if (held_as(t, e->obj, e->mode))
        return;
    tname_t a;
    char key[64], obuf[48], mode[32] = "";
    const char *ob = rn_obj(e->obj, obuf, sizeof obuf);
    if (e->obj == OBJ_STATE_LOCK)
        snprintf(mode, sizeof mode, " (%s)", ev_mode_name(e->mode));
    snprintf(key, sizeof key, "release/%lld/%lld/%lld", (long long)t->id, (long long)e->obj,
             (long long)e->mode);
    int64_t seqs[] = {e->seq};
    struct finding *d = findings_add(
        f, "exclusion", key, nm(t, a), ob, seqs, 1,
        "%s releases the %s%s (seq %lld) without holding it: a release without an acquire", a, ob,
        mode, (long long)e->seq);
    finding_evidence(d, kinds2(EV_LOCK_ACQUIRED, EV_LEASE_HANDOVER), 0, e->ts);
}

/* After thread_exit a thread only leaves the process's lists: it takes the
 * process mutex and may wake the daemons (lib/process.c).  Anything else is
 * an event of a thread that no longer exists. */
static void after_exit(struct findings *f, struct mthread *t, const struct rev *e)
{
    if (!t->exit_seq)
        return;
    int leaving =
        e->kind == EV_WAKEUP_SENT || ((e->kind == EV_LOCK_ATTEMPT || e->kind == EV_LOCK_ACQUIRED ||
                                       e->kind == EV_LOCK_RELEASED) &&
                                      e->obj == OBJ_PROCESS_MUTEX);
    if (leaving)
        return;
    tname_t a;
    char key[64];
    nm(t, a);
    snprintf(key, sizeof key, "exited/%lld", (long long)t->id);
    int64_t seqs[] = {t->exit_seq, e->seq};
    struct finding *d = findings_add(
        f, "exclusion", key, a, "thread", seqs, 2,
        "%s emits %s (seq %lld) after its thread_exit (seq %lld): a thread that "
        "has exited acts no more",
        a, ev_kind_name((enum ev_kind)e->kind), (long long)e->seq, (long long)t->exit_seq);
    finding_evidence(d, finding_kind(EV_THREAD_START), t->exit_ts, e->ts);
}

/* A lock granted to a thread that already holds MODEL_MAX_HOLDS locks, the
 * lease and mutexes, never released: more than the protocol ever takes at
 * once (its releases were lost, or it never releases). */
static void too_many_holds(struct findings *f, struct mthread *t, const struct rev *e)
{
    if (t->nholds < MODEL_MAX_HOLDS)
        return;
    tname_t a;
    char key[64], obuf[48];
    snprintf(key, sizeof key, "holds/%lld", (long long)t->id);
    int64_t seqs[] = {t->holds[0].acq_seq, e->seq};
    struct finding *d = findings_add(
        f, "exclusion", key, nm(t, a), rn_obj(e->obj, obuf, sizeof obuf), seqs, 2,
        "%s is granted the %s (seq %lld) while it holds %d locks, leases and mutexes, the "
        "first since seq %lld: more than the protocol ever holds at once (releases missing)",
        a, obuf, (long long)e->seq, t->nholds, (long long)t->holds[0].acq_seq);
    finding_evidence(d, finding_kind(EV_LOCK_RELEASED), t->holds[0].acq_ts, e->ts);
}

void invariants_event(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    char what[64];
    after_exit(f, t, e);
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
        if (e->obj == OBJ_LEASE)
            lease_attempt(f, t, e);
        else if (e->obj == OBJ_STATE_LOCK && e->how == HOW_BLOCKING)
            blocking_statelock(f, m, t, e);
        break;
    case EV_LOCK_RELEASED:
        if (e->obj == OBJ_LEASE)
            lease_released(f, t, e);
        released(f, m, t, e);
        break;
    case EV_LEASE_HANDOVER:
        snprintf(what, sizeof what, "hands lease %lld to group-%lld", (long long)e->lease,
                 (long long)e->a);
        lease_used(f, m, t, e, e->lease, what);
        break;
    case EV_FLAG_LOAD:
        flag_load(f, m, t, e);
        break;
    case EV_LOCK_ACQUIRED:
        too_many_holds(f, t, e);
        if (e->obj == OBJ_LEASE)
            lease_acquired(f, m, t, e);
        else if (e->obj == OBJ_STATE_LOCK)
            exclusion_granted(f, m, t, e);
        if (e->obj == OBJ_STATE_LOCK && e->mode == MODE_WRITE)
            write_granted(f, m, t, e);
        break;
    case EV_BUS_BROADCAST:
        if (e->epoch > 0) {
            snprintf(what, sizeof what, "broadcasts epoch %lld on the %s", (long long)e->epoch,
                     ev_object_name(e->obj));
            lease_used(f, m, t, e, 0, what);
        }
        broadcast(f, m, t, e);
        break;
    case EV_OP_BEGIN:
        if (e->epoch > 0) {
            snprintf(what, sizeof what, "instigates epoch %lld", (long long)e->epoch);
            lease_used(f, m, t, e, 0, what);
        }
        break;
    case EV_BARRIER_ARRIVE:
        arrive(f, m, t, e);
        break;
    case EV_OP_END:
        epoch_end(f, m, t, e);
        break;
    case EV_REPLAY_BEGIN:
    case EV_REPLAY_END:
        replay(f, t, e);
        break;
    case EV_WAKEUP_SENT:
    case EV_FLAG_CLEAR:
        flag_order(f, m, t, e);
        break;
    case EV_CHECKPOINT_SNAPSHOT:
        snapshot(f, m, t, e);
        break;
    }
}

void invariants_end(struct findings *f, struct model *m)
{
    /* I1: every lease is released (a holder blocked in a hang is waitfor's). */
    struct mthread *h = m->lease_holder;
    if (h && (h->pos == MP_EXITED || h->pos == MP_RUNNING) && !h->retry_obj) {
        tname_t a;
        int64_t seqs[] = {m->lease_seq, h->last_seq};
        struct finding *d = findings_add(
            f, "I1", "unreleased", nm(h, a), "lease", seqs, 2,
            "lease %lld, held by %s since seq %lld, is never released (%s; its latest "
            "event is seq %lld)",
            (long long)m->lease_id, a, (long long)m->lease_seq,
            h->pos == MP_EXITED ? "the thread exited" : "the trace ends", (long long)h->last_seq);
        finding_evidence(d, kinds2(EV_LOCK_RELEASED, EV_LEASE_HANDOVER), m->lease_ts, INT64_MAX);
    }
}
