/*
 * replay/healed.c — stalls that heal (see check.h): an epoch that waited at
 * phase 1 for a party whose wakeup was lost or ignored, told even when the
 * party's sleep or guest wait ended by itself and the run went on.  No
 * locks.
 *
 * A party P was sent a wakeup (wakeup_sent, a = P's group) for epoch E and
 * did not take it: P's sleep or guest wait ran to its end (wait_end how =
 * full) with no wakeup_received since the wakeup, although the wakeup came
 * while the wait still had at least HEALED_MIN_NS to run by its duration;
 * then P arrived at phase 1 of E.  The delay is the time from the wakeup to
 * P's arrival at phase 1: how long E waited for P beyond a wakeup taken at
 * once.  HEALED_MIN_NS leaves out a wakeup that meets the wait's own
 * timeout: under the OS scheduler the correct protocol can lose that race
 * by a few microseconds (the signal then stays pending for P's next wait).
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/grow.h"
#include "replay/check.h"
#include "replay/names.h"

enum { HEALED_MIN_NS = 10 * 1000 * 1000 };

/* A wakeup sent to a thread. */
struct wake {
    int64_t seq, ts, epoch; /* seq 0: none */
    const struct mthread *from;
};

/* Per thread (by id): the wakeup it has not taken, and the one its last
 * full wait ran past, with that wait. */
struct party {
    struct wake pending, missed;
    int64_t wait_kind, dur_us, wb_seq, wb_ts, we_seq, we_ts;
};

struct healed {
    struct party *v;
    size_t cap;
};

struct healed *healed_new(void)
{
    struct healed *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    return h;
}

void healed_free(struct healed *h)
{
    if (h)
        free(h->v);
    free(h);
}

static struct party *party(struct healed *h, const struct mthread *t)
{
    size_t old = h->cap;
    h->v = grow(h->v, &h->cap, (size_t)t->id + 1, sizeof *h->v);
    for (size_t i = old; i < h->cap; i++)
        h->v[i] = (struct party){0};
    return &h->v[t->id];
}

static void report(struct findings *f, struct model *m, struct mthread *t, struct party *p,
                   const struct rev *e)
{
    tname_t a, b;
    char key[48], th[80], w[32], wb[32], we[32], ar[32];
    model_thread_name(t, a, sizeof a);
    model_thread_name(p->missed.from, b, sizeof b);
    snprintf(key, sizeof key, "%lld", (long long)t->id);
    snprintf(th, sizeof th, "%s %s", a, b);
    int64_t seqs[4] = {p->missed.seq, p->wb_seq, p->we_seq, e->seq};
    if (seqs[1] < seqs[0]) { /* the wakeup came before the wait began */
        seqs[0] = p->wb_seq;
        seqs[1] = p->missed.seq;
    }
    struct finding *d = findings_add(
        f, "healed-stall", key, th, "wakeup, barrier", seqs, 4,
        "epoch %lld was delayed by %.3f ms at phase 1 waiting for %s: %s sent %s the wakeup at "
        "seq %lld (%s), but %s's %s from seq %lld (%s, %lld us) ran to its end at seq %lld (%s) "
        "without taking it (no wakeup_received), and %s arrived at phase 1 only at seq %lld "
        "(%s), %.3f ms after the wakeup — a stall that healed",
        (long long)e->epoch, (double)(e->ts - p->missed.ts) / 1e6, a, b, a,
        (long long)p->missed.seq, rn_ms(p->missed.ts, m->t0, w, sizeof w), a,
        ev_wait_name(p->wait_kind), (long long)p->wb_seq, rn_ms(p->wb_ts, m->t0, wb, sizeof wb),
        (long long)p->dur_us, (long long)p->we_seq, rn_ms(p->we_ts, m->t0, we, sizeof we), a,
        (long long)e->seq, rn_ms(e->ts, m->t0, ar, sizeof ar),
        (double)(e->ts - p->missed.ts) / 1e6);
    int64_t from = p->wb_ts < p->missed.ts ? p->wb_ts : p->missed.ts;
    finding_evidence(d,
                     finding_kind(EV_WAKEUP_RECEIVED) | finding_kind(EV_WAIT_BEGIN) |
                         finding_kind(EV_WAIT_END) | finding_kind(EV_BARRIER_ARRIVE),
                     from, e->ts);
}

void healed_event(struct healed *h, struct findings *f, struct model *m, struct mthread *t,
                  const struct rev *e)
{
    switch (e->kind) {
    case EV_WAKEUP_SENT: {
        struct mthread *to = e->epoch > 0 ? model_thread(m, e->a) : NULL;
        if (to)
            party(h, to)->pending = (struct wake){e->seq, e->ts, e->epoch, t};
        return;
    }
    case EV_WAKEUP_RECEIVED:
        party(h, t)->pending.seq = 0;
        return;
    case EV_WAIT_END: {
        struct party *p = party(h, t);
        int timed = t->wait_seq && (t->wait_kind == WAIT_SLEEP || t->wait_kind == WAIT_GUEST);
        if (!timed || e->how != WAITED_FULL || !p->pending.seq)
            return;
        if (t->wait_ts + t->wait_arg * 1000 - p->pending.ts < HEALED_MIN_NS)
            return;
        p->missed = p->pending;
        p->wait_kind = t->wait_kind;
        p->dur_us = t->wait_arg;
        p->wb_seq = t->wait_seq;
        p->wb_ts = t->wait_ts;
        p->we_seq = e->seq;
        p->we_ts = e->ts;
        return;
    }
    case EV_BARRIER_ARRIVE: {
        struct party *p = party(h, t);
        if (e->phase != 1 || !p->missed.seq || p->missed.epoch != e->epoch)
            return;
        const struct epoch_rec *ep = model_epoch(m, e->epoch);
        if (ep && ep->bcast_seq && !ep->p1_seq)
            report(f, m, t, p, e);
        p->missed.seq = 0;
        return;
    }
    }
}
