/*
 * replay/invariants.c — invariants I1–I9 of docs/protocol.md §4, judged event by
 * event against the model's state just before the event (see check.h).
 * No locks.
 *
 * Each finding's key folds repeats of the same fault by the same thread (a
 * naive blocking write on every closure allocation is one finding, counted).
 */
#include <stdio.h>

#include "replay/check.h"
#include "replay/names.h"

#define TN(g) rn_thread((g), nb, sizeof nb)

/* I1: one lease holder at a time. */
static void lease_acquired(struct findings *f, struct model *m, const struct rev *e)
{
    if (m->lease_holder < 0 || m->lease_holder == e->grp)
        return;
    char nb[32], nb2[32], key[64], th[64];
    snprintf(key, sizeof key, "%lld", (long long)e->grp);
    snprintf(th, sizeof th, "%s %s", TN(m->lease_holder), rn_thread(e->grp, nb2, sizeof nb2));
    int64_t seqs[] = {m->lease_seq, e->seq};
    findings_add(f, "I1", key, th, "lease", seqs, 2,
                 "%s took lease %lld (seq %lld) while %s still held lease %lld (since seq %lld): "
                 "two lease holders",
                 nb2, (long long)e->lease, (long long)e->seq, nb, (long long)m->lease_id,
                 (long long)m->lease_seq);
}

/* I2: never a lease try while holding the state lock for write. */
static void lease_attempt(struct findings *f, struct model *m, struct mthread *t,
                          const struct rev *e)
{
    struct mhold *w = model_held(t, OBJ_STATE_LOCK);
    if (!w || w->mode != MODE_WRITE)
        return;
    char nb[32], key[64];
    (void)m;
    snprintf(key, sizeof key, "%lld", (long long)t->grp);
    int64_t seqs[] = {w->acq_seq, e->seq};
    findings_add(f, "I2", key, TN(t->grp), "state lock, lease", seqs, 2,
                 "%s tries for the lease (seq %lld) while it holds the state lock for write "
                 "(since seq %lld): the order is lease, then write",
                 nb, (long long)e->seq, (long long)w->acq_seq);
}

/* I2: the lease is the outer lock: released after the write lock, never while
 * its holder still has the state lock for write. */
static void lease_released(struct findings *f, struct mthread *t, const struct rev *e)
{
    struct mhold *w = model_held(t, OBJ_STATE_LOCK);
    if (!w || w->mode != MODE_WRITE)
        return;
    char nb[32], key[64];
    snprintf(key, sizeof key, "release/%lld", (long long)t->grp);
    int64_t seqs[] = {w->acq_seq, e->seq};
    findings_add(f, "I2", key, TN(t->grp), "lease, state lock", seqs, 2,
                 "%s releases lease %lld (seq %lld) while it still holds the state lock for "
                 "write (since seq %lld): the lease goes last, else another instigator can start "
                 "while this write is held",
                 nb, (long long)e->lease, (long long)e->seq, (long long)w->acq_seq);
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
    char nb[32], key[64];
    snprintf(key, sizeof key, "%lld/%lld", (long long)t->grp, (long long)e->mode);
    int64_t seqs[] = {e->seq};
    findings_add(f, "I3", key, TN(t->grp), "state lock", seqs, 1,
                 "%s takes a blocking %s of the state lock (seq %lld) on a group path, "
                 "without the lease and outside a rendezvous%s%s: an instigator holding the "
                 "write lock would wait for it at phase 1 forever",
                 nb, ev_mode_name(e->mode), (long long)e->seq, t->action ? " during " : "",
                 t->action ? rn_action(t->action) : "");
}

/* I4: broadcasts never fail; one epoch in flight. */
static void broadcast(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    char nb[32], key[64];
    if (e->how != BROADCAST_OK) {
        snprintf(key, sizeof key, "full/%lld", (long long)e->epoch);
        int64_t seqs[] = {e->seq};
        findings_add(f, "I4", key, TN(t->grp), ev_object_name(e->obj), seqs, 1,
                     "%s's broadcast of epoch %lld on the %s found it full (seq %lld): a "
                     "receiver, %s, has not taken the previous message",
                     nb, (long long)e->epoch, ev_object_name(e->obj), (long long)e->seq,
                     "the instigator's own receiver included");
        return;
    }
    if (e->obj != OBJ_BARRIER_BUS)
        return;
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (!u || !u->rdv_stage || u->rdv_epoch == e->epoch || u->pos == MP_EXITED)
            continue;
        char nb2[32], th[64];
        snprintf(key, sizeof key, "flight/%lld", (long long)e->epoch);
        snprintf(th, sizeof th, "%s %s", TN(t->grp), rn_thread(u->grp, nb2, sizeof nb2));
        int64_t seqs[] = {u->rdv_arr_seq, e->seq};
        findings_add(f, "I4", key, th, "barrier bus, barrier", seqs, 2,
                     "%s broadcasts epoch %lld (seq %lld) while %s is still in epoch %lld "
                     "(arrived at phase %lld at seq %lld): two epochs in flight",
                     nb, (long long)e->epoch, (long long)e->seq, nb2, (long long)u->rdv_epoch,
                     (long long)u->rdv_phase, (long long)u->rdv_arr_seq);
        return;
    }
}

/* I5: the barrier has rx_count parties. */
static void arrive(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = model_epoch(m, e->epoch);
    char nb[32], key[64];
    if (ep && ep->bcast_seq && e->a != ep->rx) {
        snprintf(key, sizeof key, "parties/%lld", (long long)e->epoch);
        int64_t seqs[] = {ep->bcast_seq, e->seq};
        findings_add(f, "I5", key, TN(t->grp), "barrier", seqs, 2,
                     "epoch %lld: the barrier has %lld parties but rx_count was %lld at the "
                     "broadcast (seq %lld)",
                     (long long)e->epoch, (long long)e->a, (long long)ep->rx,
                     (long long)ep->bcast_seq);
    }
    /* I6: a follower applies the operation between phase 1 and phase 2. */
    if (e->phase == 2 && ep && ep->instigator != t->grp && t->replay_epoch != e->epoch) {
        snprintf(key, sizeof key, "noapply/%lld/%lld", (long long)e->epoch, (long long)t->grp);
        int64_t seqs[] = {e->seq};
        findings_add(f, "I6", key, TN(t->grp), "barrier", seqs, 1,
                     "%s arrives at phase 2 of epoch %lld (seq %lld) without having applied "
                     "its operation",
                     nb, (long long)e->epoch, (long long)e->seq);
    }
}

/* I5 at the end of an epoch: every counted group arrived at both phases.
 * I6: every follower's table agrees with the instigator's. */
static void epoch_end(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = model_epoch(m, e->epoch);
    char nb[32], key[64];
    if (ep && ep->bcast_seq) {
        for (int p = 1; p <= 2; p++) {
            if (ep->arrivals[p] == ep->rx)
                continue;
            snprintf(key, sizeof key, "phase/%lld/%d", (long long)e->epoch, p);
            int64_t seqs[] = {ep->bcast_seq, e->seq};
            findings_add(f, "I5", key, TN(t->grp), "barrier", seqs, 2,
                         "epoch %lld ended (seq %lld) with %lld of %lld parties arrived at "
                         "phase %d",
                         (long long)e->epoch, (long long)e->seq, (long long)ep->arrivals[p],
                         (long long)ep->rx, p);
        }
    }
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (!u || u == t || u->replay_epoch != e->epoch)
            continue;
        if (u->replay_digest == e->a && u->replay_size == e->b)
            continue;
        char nb2[32], th[64];
        snprintf(key, sizeof key, "diverge/%lld/%lld", (long long)e->epoch, (long long)u->grp);
        snprintf(th, sizeof th, "%s %s", TN(t->grp), rn_thread(u->grp, nb2, sizeof nb2));
        int64_t seqs[] = {u->replay_seq, e->seq};
        findings_add(f, "I6", key, th, "function table", seqs, 2,
                     "after epoch %lld, %s's function table (%lld slots, digest %llx, seq %lld) "
                     "differs from the instigator %s's (%lld slots, digest %llx, seq %lld)",
                     (long long)e->epoch, nb2, (long long)u->replay_size,
                     (unsigned long long)u->replay_digest, (long long)u->replay_seq, nb,
                     (long long)e->b, (unsigned long long)e->a, (long long)e->seq);
    }
}

/* I6: each operation applied once, in epoch order, successfully. */
static void replay(struct findings *f, struct mthread *t, const struct rev *e)
{
    char nb[32], key[64];
    if (e->kind == EV_REPLAY_BEGIN && t->replay_epoch >= e->epoch) {
        snprintf(key, sizeof key, "order/%lld", (long long)t->grp);
        int64_t seqs[] = {t->replay_seq, e->seq};
        findings_add(f, "I6", key, TN(t->grp), "operation bus", seqs, 2,
                     "%s applies epoch %lld (seq %lld) after already applying epoch %lld "
                     "(seq %lld): twice or out of order",
                     nb, (long long)e->epoch, (long long)e->seq, (long long)t->replay_epoch,
                     (long long)t->replay_seq);
    }
    if (e->kind == EV_REPLAY_END && e->how != RESULT_OK) {
        snprintf(key, sizeof key, "fail/%lld", (long long)t->grp);
        int64_t seqs[] = {e->seq};
        findings_add(f, "I6", key, TN(t->grp), "function table", seqs, 1,
                     "%s failed to apply epoch %lld (%s, seq %lld): its table no longer matches "
                     "the recorded layout",
                     nb, (long long)e->epoch, rn_op(e->mode), (long long)e->seq);
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
        if (!u || u == t || u->pos == MP_EXITED || !past_phase1_release(m, u))
            continue;
        char nb[32], nb2[32], key[64], th[64];
        snprintf(key, sizeof key, "%lld", (long long)u->rdv_epoch);
        snprintf(th, sizeof th, "%s %s", TN(t->grp), rn_thread(u->grp, nb2, sizeof nb2));
        int64_t seqs[] = {u->rdv_arr_seq, e->seq};
        findings_add(f, "I7", key, th, "state lock, barrier", seqs, 2,
                     "%s is granted the state lock for write (seq %lld) while %s is still in "
                     "epoch %lld past phase 1 (since seq %lld): a new writer can change the "
                     "state under a follower that is still applying",
                     nb, (long long)e->seq, nb2, (long long)u->rdv_epoch,
                     (long long)u->rdv_arr_seq);
        return;
    }
}

/* I8: flag set before any wakeup; cleared only after phase 1. */
static void flag_order(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    char nb[32], key[64];
    if (e->kind == EV_WAKEUP_SENT && e->epoch > 0 && !(m->flag && m->flag_epoch == e->epoch)) {
        snprintf(key, sizeof key, "wake/%lld", (long long)e->epoch);
        int64_t seqs[] = {e->seq};
        findings_add(f, "I8", key, TN(t->grp), "pending flag", seqs, 1,
                     "%s sends a wakeup for epoch %lld (seq %lld) while the pending flag is not "
                     "set for it: a woken thread would find nothing to do",
                     nb, (long long)e->epoch, (long long)e->seq);
    }
    if (e->kind == EV_FLAG_CLEAR && e->epoch > 0) {
        struct epoch_rec *ep = model_epoch(m, e->epoch);
        if (ep && ep->bcast_seq && !ep->p1_seq) {
            snprintf(key, sizeof key, "clear/%lld", (long long)e->epoch);
            int64_t seqs[] = {e->seq};
            findings_add(f, "I8", key, TN(t->grp), "pending flag, barrier", seqs, 1,
                         "%s clears the pending flag of epoch %lld (seq %lld) before phase 1 "
                         "completed",
                         nb, (long long)e->epoch, (long long)e->seq);
        }
    }
}

/* I8 (the flag's orderings, docs/protocol.md §3): a thread woken by the signal
 * reads the flag with a sequentially consistent load, never a relaxed one. */
static void flag_load(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    if (!t->woken_entry_seq || e->mode != ORDER_RELAXED)
        return;
    char nb[32], key[64], stale[128] = "";
    snprintf(key, sizeof key, "relaxed/%lld", (long long)t->grp);
    if (!!e->a != !!m->flag)
        snprintf(stale, sizeof stale,
                 " and read it %s while it was %s since seq %lld (a stale read)",
                 e->a ? "set" : "clear", m->flag ? "set" : "clear", (long long)m->flag_seq);
    int64_t seqs[] = {t->woken_entry_seq, e->seq};
    findings_add(f, "I8", key, TN(t->grp), "pending flag", seqs, 2,
                 "%s, woken by the signal (syscall entry at seq %lld), loads the pending flag "
                 "with a relaxed load (seq %lld)%s: the woken path must load it sequentially "
                 "consistent",
                 nb, (long long)t->woken_entry_seq, (long long)e->seq, stale);
}

/* I9: the snapshot is written by the last thread to freeze. */
static void snapshot(struct findings *f, struct model *m, struct mthread *t, const struct rev *e)
{
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *u = m->threads[i];
        if (!u || u == t || u->grp < 0 || !u->start_seq || u->pos == MP_EXITED)
            continue;
        if (u->frozen || u->deep_sleeping)
            continue;
        char nb[32], nb2[32], key[64], th[64];
        snprintf(key, sizeof key, "%lld", (long long)e->seq);
        snprintf(th, sizeof th, "%s %s", TN(t->grp), rn_thread(u->grp, nb2, sizeof nb2));
        int64_t seqs[] = {e->seq, u->last_seq};
        findings_add(f, "I9", key, th, "process mutex", seqs, 2,
                     "%s writes a checkpoint snapshot (seq %lld) while %s is neither frozen nor "
                     "deep-sleeping (its latest event: %s at seq %lld)",
                     nb, (long long)e->seq, nb2, ev_kind_name((enum ev_kind)u->last_kind),
                     (long long)u->last_seq);
        return;
    }
}

void invariants_event(struct findings *f, struct model *m, const struct rev *e)
{
    struct mthread *t = model_thread(m, e->grp);
    if (!t) /* first event of this thread: nothing held, nothing to judge */
        return;
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
        if (e->obj == OBJ_LEASE)
            lease_attempt(f, m, t, e);
        else if (e->obj == OBJ_STATE_LOCK && e->how == HOW_BLOCKING)
            blocking_statelock(f, m, t, e);
        break;
    case EV_LOCK_RELEASED:
        if (e->obj == OBJ_LEASE)
            lease_released(f, t, e);
        break;
    case EV_FLAG_LOAD:
        flag_load(f, m, t, e);
        break;
    case EV_LOCK_ACQUIRED:
        if (e->obj == OBJ_LEASE)
            lease_acquired(f, m, e);
        else if (e->obj == OBJ_STATE_LOCK && e->mode == MODE_WRITE)
            write_granted(f, m, t, e);
        break;
    case EV_BUS_BROADCAST:
        broadcast(f, m, t, e);
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
    struct mthread *h = m->lease_holder >= 0 ? model_thread(m, m->lease_holder) : NULL;
    if (h && (h->pos == MP_EXITED || h->pos == MP_RUNNING) && !h->retry_obj) {
        char nb[32];
        int64_t seqs[] = {m->lease_seq, h->last_seq};
        findings_add(f, "I1", "unreleased", TN(h->grp), "lease", seqs, 2,
                     "lease %lld, held by %s since seq %lld, is never released (%s; its latest "
                     "event is seq %lld)",
                     (long long)m->lease_id, nb, (long long)m->lease_seq,
                     h->pos == MP_EXITED ? "the thread exited" : "the trace ends",
                     (long long)h->last_seq);
    }
}
