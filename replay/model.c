/*
 * replay/model.c — the protocol's state rebuilt from events (see model.h).
 *
 * Owns the model's memory.  Takes no locks: a model is used by one thread.
 * Every event is applied in seq order; nothing here judges the events (that
 * is check's job): an event the protocol would not produce (a release of a
 * lock nobody holds) only leaves the state as close to the events as it can.
 */
#include "replay/model.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "replay/names.h"

const char *model_via_name(int via)
{
    static const char *const names[] = {
        [VIA_NONE] = NULL,
        [VIA_INSTIGATOR] = "instigator",
        [VIA_FAST] = "fast path",
        [VIA_SLOW] = "slow path",
        [VIA_WOKEN] = "woken",
        [VIA_COOP_WRITE] = "cooperative write loop",
        [VIA_COOP_LEASE] = "cooperative lease loop",
        [VIA_CHECKPOINT] = "checkpoint thaw",
    };
    return via > 0 && via <= VIA_CHECKPOINT ? names[via] : NULL;
}

const char *model_outcome_name(int outcome)
{
    switch (outcome) {
    case HOLD_BUSY:
        return "busy";
    case HOLD_HELD:
        return "acquired";
    case HOLD_HANDED:
        return "handed over";
    default:
        return NULL;
    }
}

void model_init(struct model *m, const struct model_sink *sink)
{
    memset(m, 0, sizeof *m);
    if (sink)
        m->sink = *sink;
    m->run_status = -1;
    m->seed = -1;
}

void model_free(struct model *m)
{
    free(m->schedule);
    m->schedule = NULL;
    for (int64_t i = 0; i < m->nthreads; i++)
        free(m->threads[i]);
    free(m->threads);
    free(m->by_id);
    free(m->by_vtid);
    free(m->by_grp);
    m->threads = m->by_id = NULL;
    m->by_vtid = m->by_grp = NULL;
    m->nthreads = m->nvtid = m->ngrp = 0;
    m->cap_threads = m->cap_by_id = m->cap_vtid = m->cap_grp = 0;
    m->cur = m->lease_holder = m->lease_giver = m->writer = m->run_thread = NULL;
}

/* ---- the thread indexes ---------------------------------------------------
 * Memory and time are bounded by the number of threads: no field of an event
 * sizes or indexes an array.  Lookups bisect a sorted array of keys. */

/* The newest thread of key in v[0..n) (NULL if none); *pos: where key is or
 * would go. */
static struct mthread *key_find(const struct mkey *v, int64_t n, int64_t key, int64_t *pos)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (pos)
        *pos = lo;
    return lo < n && v[lo].key == key ? v[lo].t : NULL;
}

/* Make t the newest thread of key in *v. */
static void key_set(struct mkey **v, int64_t *n, size_t *cap, int64_t key, struct mthread *t)
{
    int64_t pos;
    if (key_find(*v, *n, key, &pos)) {
        (*v)[pos].t = t;
        return;
    }
    *v = grow(*v, cap, (size_t)*n + 1, sizeof **v);
    memmove(*v + pos + 1, *v + pos, (size_t)(*n - pos) * sizeof **v);
    (*v)[pos] = (struct mkey){.key = key, .t = t};
    (*n)++;
}

/* Does a come before b in m->threads (group, then vtid, then id)? */
static int before(const struct mthread *a, const struct mthread *b)
{
    if (a->grp != b->grp)
        return a->grp < b->grp;
    if (a->vtid != b->vtid)
        return a->vtid < b->vtid;
    return a->id < b->id;
}

/* Where t is, or would go, in m->threads. */
static int64_t order_pos(const struct model *m, const struct mthread *t)
{
    int64_t lo = 0, hi = m->nthreads;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (before(m->threads[mid], t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void order_insert(struct model *m, struct mthread *t)
{
    int64_t pos = order_pos(m, t);
    m->threads = grow(m->threads, &m->cap_threads, (size_t)m->nthreads + 1, sizeof *m->threads);
    memmove(m->threads + pos + 1, m->threads + pos,
            (size_t)(m->nthreads - pos) * sizeof *m->threads);
    m->threads[pos] = t;
    m->nthreads++;
}

static void order_remove(struct model *m, struct mthread *t)
{
    int64_t pos = order_pos(m, t);
    assert(pos < m->nthreads && m->threads[pos] == t);
    memmove(m->threads + pos, m->threads + pos + 1,
            (size_t)(m->nthreads - pos - 1) * sizeof *m->threads);
    m->nthreads--;
}

/* A new thread of group grp (vtid -1: known by its group only), not yet
 * seen (MP_UNSEEN): the newest of its group and of its vtid. */
static struct mthread *new_thread(struct model *m, int64_t grp, int64_t vtid)
{
    struct mthread *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->id = m->nthreads;
    t->grp = grp;
    t->vtid = vtid;
    t->parent = -1;
    t->role = -1;
    t->pos = MP_UNSEEN;
    t->counted_epoch = -1;
    t->rdv_epoch = -1;
    t->replay_epoch = -1;
    t->wakeup_sent_epoch = -1;
    m->by_id = grow(m->by_id, &m->cap_by_id, (size_t)t->id + 1, sizeof *m->by_id);
    m->by_id[t->id] = t;
    order_insert(m, t);
    key_set(&m->by_grp, &m->ngrp, &m->cap_grp, grp, t);
    if (vtid >= 0)
        key_set(&m->by_vtid, &m->nvtid, &m->cap_vtid, vtid, t);
    return t;
}

struct mthread *model_thread(const struct model *m, int64_t grp)
{
    return key_find(m->by_grp, m->ngrp, grp, NULL);
}

struct mthread *model_thread_by_id(const struct model *m, int64_t id)
{
    return id >= 0 && id < m->nthreads ? m->by_id[id] : NULL;
}

/* The thread e is an event of, if the model has met it (see model_enter). */
static struct mthread *event_thread(const struct model *m, const struct rev *e)
{
    struct mthread *t;
    if (e->vtid >= 0)
        t = m->cur && m->cur->vtid == e->vtid ? m->cur
                                              : key_find(m->by_vtid, m->nvtid, e->vtid, NULL);
    else
        t = model_thread(m, e->grp);
    if (t && e->kind == EV_THREAD_START && t->start_seq)
        t = NULL; /* a thread that has started once does not start again: a new one */
    if (!t && e->vtid >= 0) {
        struct mthread *p = model_thread(m, e->grp);
        if (p && !p->first_seq && p->vtid < 0)
            t = p; /* the placeholder its group was named by */
    }
    return t;
}

struct mthread *model_enter(struct model *m, const struct rev *e)
{
    struct mthread *t = event_thread(m, e);
    if (!t) {
        t = new_thread(m, e->grp, e->vtid);
    } else if (!t->first_seq && e->vtid >= 0 && t->vtid < 0) { /* adopt the placeholder */
        order_remove(m, t);
        t->vtid = e->vtid;
        order_insert(m, t);
        key_set(&m->by_vtid, &m->nvtid, &m->cap_vtid, t->vtid, t);
    }
    m->cur = t;
    return t;
}

/* The thread another thread's event names by its group: the newest of that
 * group, or a placeholder (MP_UNSEEN) until the thread's own events come. */
static struct mthread *named(struct model *m, int64_t grp)
{
    struct mthread *t = model_thread(m, grp);
    return t ? t : new_thread(m, grp, -1);
}

const char *model_thread_name(const struct mthread *t, char *buf, size_t n)
{
    return rn_thread_tid(t->grp, t->run_own ? -1 : t->vtid, buf, n);
}

struct epoch_rec *model_epoch(struct model *m, int64_t epoch)
{
    struct epoch_rec *r = &m->ring[epoch % MODEL_EPOCH_RING];
    return epoch > 0 && r->epoch == epoch ? r : NULL;
}

static void emit_epoch(struct model *m, struct epoch_rec *r)
{
    if (r->epoch > 0 && !r->emitted && m->sink.epoch)
        m->sink.epoch(m->sink.ctx, r);
    r->emitted = 1;
}

/* The record of epoch, created when first mentioned (an older epoch in the
 * same ring slot is handed to the sink first). */
static struct epoch_rec *epoch_of(struct model *m, int64_t epoch)
{
    assert(epoch > 0);
    struct epoch_rec *r = &m->ring[epoch % MODEL_EPOCH_RING];
    if (r->epoch != epoch) {
        emit_epoch(m, r);
        memset(r, 0, sizeof *r);
        r->epoch = epoch;
        r->instigator = -1;
        r->status = -1;
        if (epoch > m->epoch_last)
            m->epoch_last = epoch;
    }
    return r;
}

struct mhold *model_held(struct mthread *t, int64_t obj)
{
    for (int i = 0; i < t->nholds; i++)
        if (t->holds[i].obj == obj)
            return &t->holds[i];
    return NULL;
}

int model_holders(const struct model *m, int64_t obj, void (*fn)(void *, struct mthread *),
                  void *arg)
{
    int n = 0;
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *t = m->threads[i];
        if (model_held(t, obj)) {
            n++;
            if (fn)
                fn(arg, t);
        }
    }
    return n;
}

static void set_pos(struct mthread *t, int pos, const struct rev *e)
{
    t->pos = pos;
    t->pos_obj = t->pos_mode = t->pos_epoch = t->pos_phase = t->pos_arg = 0;
    t->pos_seq = e->seq;
    t->pos_ts = e->ts;
}

static void hold_record(struct model *m, const struct mthread *t, const struct mhold *h,
                        int outcome, const struct rev *end, int64_t handed_to)
{
    if (!m->sink.hold)
        return;
    struct hold_rec r = {
        .grp = t->grp,
        .obj = h->obj,
        .mode = h->mode,
        .how = h->how,
        .lease = h->lease,
        .att_seq = h->att_seq,
        .att_ts = h->att_ts,
        .acq_seq = h->acq_seq,
        .acq_ts = h->acq_ts,
        .handed_to = handed_to,
        .outcome = outcome,
    };
    if (outcome == HOLD_BUSY) {
        r.acq_seq = end->seq;
        r.acq_ts = end->ts;
    } else if (end) {
        r.rel_seq = end->seq;
        r.rel_ts = end->ts;
    }
    m->sink.hold(m->sink.ctx, &r);
}

/* A trace may show more holds than MODEL_MAX_HOLDS (check reports it): the
 * extra one is not kept. */
static void push_hold(struct mthread *t, const struct mhold *h)
{
    if (t->nholds < MODEL_MAX_HOLDS)
        t->holds[t->nholds++] = *h;
}

static void drop_hold(struct mthread *t, struct mhold *h)
{
    *h = t->holds[--t->nholds];
}

/* The hold released by e in t: same object and mode (the lease by id). */
static struct mhold *find_release(struct mthread *t, const struct rev *e)
{
    for (int i = t->nholds - 1; i >= 0; i--) {
        struct mhold *h = &t->holds[i];
        if (h->obj != e->obj)
            continue;
        if (e->obj == OBJ_LEASE ? h->lease == e->lease : h->mode == e->mode)
            return h;
    }
    return NULL;
}

static void lock_acquired(struct model *m, struct mthread *t, const struct rev *e)
{
    struct mhold h = t->att;
    if (!h.att_seq || h.obj != e->obj) { /* no attempt seen: the hold starts here */
        h = (struct mhold){.obj = e->obj, .mode = e->mode, .att_seq = e->seq, .att_ts = e->ts};
    }
    h.mode = e->mode;
    h.how = e->how;
    h.lease = e->lease;
    h.acq_seq = e->seq;
    h.acq_ts = e->ts;
    push_hold(t, &h);
    t->att.att_seq = 0;
    if (t->pos == MP_LOCK)
        set_pos(t, MP_RUNNING, e);
    if (t->retry_obj == e->obj)
        t->retry_obj = 0;
    switch (e->obj) {
    case OBJ_LEASE:
        m->lease_id = e->lease;
        m->lease_holder = t;
        m->lease_giver = NULL;
        m->lease_seq = e->seq;
        m->lease_ts = e->ts;
        break;
    case OBJ_STATE_LOCK:
        if (e->mode == MODE_WRITE) {
            m->writer = t;
            m->write_seq = e->seq;
        } else {
            m->readers++;
        }
        break;
    case OBJ_PROCESS_MUTEX:
        if (t->sleep_stage == 2) { /* checkpoint_deep_sleep(0) after the sleep */
            t->deep_sleeping = 0;
            t->sleep_stage = 3;
        }
        break;
    }
}

static void lock_busy(struct model *m, struct mthread *t, const struct rev *e)
{
    struct mhold h = t->att;
    if (!h.att_seq || h.obj != e->obj)
        h = (struct mhold){.obj = e->obj, .mode = e->mode, .att_seq = e->seq, .att_ts = e->ts};
    h.how = e->how;
    hold_record(m, t, &h, HOLD_BUSY, e, -1);
    t->att.att_seq = 0;
    /* Lease tries and write tries are retried in a cooperative loop. */
    if (e->obj == OBJ_LEASE || (e->obj == OBJ_STATE_LOCK && e->mode == MODE_WRITE)) {
        if (t->retry_obj != e->obj) {
            t->retry_obj = e->obj;
            t->retry_mode = e->mode;
            t->retry_seq = e->seq;
            t->retry_ts = e->ts;
            t->retries = 0;
        }
        t->retries++;
    }
}

static void lock_released(struct model *m, struct mthread *t, const struct rev *e)
{
    struct mthread *owner = t;
    struct mhold *h = find_release(t, e);
    if (!h && e->obj == OBJ_LEASE) { /* released by someone other than the holder */
        if (m->lease_holder && (h = find_release(m->lease_holder, e)))
            owner = m->lease_holder;
        for (int64_t i = 0; i < m->nthreads && !h; i++)
            if ((h = find_release(m->threads[i], e)))
                owner = m->threads[i];
    }
    if (h) {
        hold_record(m, owner, h, HOLD_HELD, e, -1);
        drop_hold(owner, h);
    }
    switch (e->obj) {
    case OBJ_LEASE:
        if (m->lease_id == e->lease || !h) {
            m->lease_id = 0;
            m->lease_holder = m->lease_giver = NULL;
        }
        break;
    case OBJ_STATE_LOCK:
        if (e->mode == MODE_WRITE) {
            if (m->writer == t)
                m->writer = NULL;
        } else {
            if (m->readers > 0)
                m->readers--;
            /* A follower's read release ends its part in the epoch. */
            if (t->rdv_stage >= 2 && t->rdv_via != VIA_INSTIGATOR)
                t->rdv_stage = 0;
        }
        break;
    case OBJ_PROCESS_MUTEX:
        if (t->sleep_stage == 1) { /* checkpoint_deep_sleep(1) before the sleep */
            t->deep_sleeping = 1;
            t->sleep_stage = 2;
        }
        break;
    }
}

/* The lease moves from t to the group named by the handover. */
static void lease_handover(struct model *m, struct mthread *t, const struct rev *e)
{
    struct mthread *to = named(m, e->a), *owner = t;
    struct mhold *h = find_release(t, e);
    struct mhold moved = {.obj = OBJ_LEASE, .mode = MODE_EXCLUSIVE, .lease = e->lease};
    if (!h && m->lease_holder && (h = find_release(m->lease_holder, e)))
        owner = m->lease_holder; /* handed back from a child that never ran (a failed spawn) */
    if (h) {
        hold_record(m, owner, h, HOLD_HANDED, e, e->a);
        moved = *h;
        drop_hold(owner, h);
    }
    moved.how = HOW_TRY;
    moved.att_seq = moved.acq_seq = e->seq;
    moved.att_ts = moved.acq_ts = e->ts;
    push_hold(to, &moved);
    m->lease_id = e->lease;
    m->lease_holder = to;
    m->lease_giver = t;
    m->lease_seq = e->seq;
    m->lease_ts = e->ts;
}

/* The record of t's wait: a bus receive (its position) or a wait_begin
 * (t->wait_*, kept apart from the position: a sleeper takes the process
 * mutex inside its sleep, lib/checkpoint.c). */
static void wait_record(struct model *m, const struct mthread *t, int64_t what, int64_t epoch,
                        const struct rev *end, int64_t result)
{
    if (!m->sink.wait)
        return;
    int bus = what >= WAITK_RECV_BARRIER_BUS;
    struct wait_rec r = {
        .grp = t->grp,
        .what = what,
        .arg = bus ? t->pos_arg : t->wait_arg,
        .epoch = epoch,
        .beg_seq = bus ? t->pos_seq : t->wait_seq,
        .beg_ts = bus ? t->pos_ts : t->wait_ts,
        .end_seq = end ? end->seq : 0,
        .end_ts = end ? end->ts : 0,
        .result = result,
    };
    m->sink.wait(m->sink.ctx, &r);
}

static void rdv_record(struct model *m, const struct mthread *t, const struct rev *end)
{
    if (!m->sink.rdv)
        return;
    struct rdv_rec r = {
        .epoch = t->rdv_epoch,
        .phase = t->rdv_phase,
        .grp = t->grp,
        .instigator = t->rdv_via == VIA_INSTIGATOR,
        .via = t->rdv_via,
        .arr_seq = t->rdv_arr_seq,
        .arr_ts = t->rdv_arr_ts,
        .index = t->rdv_index,
        .parties = t->rdv_parties,
        .dep_seq = end ? end->seq : 0,
        .dep_ts = end ? end->ts : 0,
    };
    if (t->rdv_woken) {
        r.woken_seq = t->woken_seq;
        r.woken_ts = t->woken_ts;
    }
    m->sink.rdv(m->sink.ctx, &r);
}

static void barrier_arrive(struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = epoch_of(m, e->epoch);
    if (e->phase == 1 || t->rdv_epoch != e->epoch) {
        /* Entering the epoch: instigator, or how the follower path began. */
        t->rdv_via = ep->inst == t ? VIA_INSTIGATOR : (t->follow_via ? t->follow_via : VIA_NONE);
        t->rdv_woken = t->woken_seq > ep->bcast_seq && ep->bcast_seq > 0;
    }
    t->rdv_epoch = e->epoch;
    t->rdv_phase = e->phase;
    t->rdv_arr_seq = e->seq;
    t->rdv_arr_ts = e->ts;
    t->rdv_index = e->b;
    t->rdv_parties = e->a;
    t->rdv_stage = e->phase == 1 ? 1 : 3;
    set_pos(t, MP_BARRIER, e);
    t->pos_obj = OBJ_BARRIER;
    t->pos_epoch = e->epoch;
    t->pos_phase = e->phase;
    t->pos_arg = e->a;
    if (e->phase >= 1 && e->phase <= 2) {
        ep->arrivals[e->phase]++;
        if (e->b >= e->a) {
            if (e->phase == 1) {
                ep->p1_seq = e->seq;
                ep->p1_ts = e->ts;
            } else {
                ep->p2_seq = e->seq;
                ep->p2_ts = e->ts;
            }
        }
    }
}

static void barrier_depart(struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = epoch_of(m, e->epoch);
    if (e->phase >= 1 && e->phase <= 2)
        ep->departures[e->phase]++;
    if (t->rdv_epoch == e->epoch && t->rdv_phase == e->phase)
        rdv_record(m, t, e);
    t->rdv_stage = e->phase == 1 ? 2 : 0;
    set_pos(t, MP_RUNNING, e);
}

static void bus_broadcast(struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = epoch_of(m, e->epoch);
    if (e->how != BROADCAST_OK) {
        if (!ep->full_seq)
            ep->full_seq = e->seq;
        return;
    }
    if (e->obj == OBJ_BARRIER_BUS) {
        ep->instigator = t->grp;
        ep->inst = t;
        ep->rx = e->a;
        ep->bcast_seq = e->seq;
        ep->bcast_ts = e->ts;
        /* The barrier's parties: every group subscribed now. */
        for (int64_t i = 0; i < m->nthreads; i++)
            if (m->threads[i]->subscribed)
                m->threads[i]->counted_epoch = e->epoch;
    } else {
        ep->opcast_seq = e->seq;
    }
}

static void op_begin(struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = epoch_of(m, e->epoch);
    ep->instigator = t->grp;
    ep->inst = t;
    ep->kind = e->mode;
    ep->a = e->a;
    ep->b = e->b;
    ep->op_seq = e->seq;
    ep->op_ts = e->ts;
    snprintf(ep->name, sizeof ep->name, "%s", e->str ? e->str : "");
    struct mhold *lease = model_held(t, OBJ_LEASE);
    if (lease) {
        ep->lease = lease->lease;
        ep->lease_seq = lease->acq_seq;
        ep->lease_ts = lease->acq_ts;
    }
}

static void op_end(struct model *m, struct mthread *t, const struct rev *e)
{
    struct epoch_rec *ep = epoch_of(m, e->epoch);
    ep->end_seq = e->seq;
    ep->end_ts = e->ts;
    ep->status = e->how;
    ep->digest = e->a;
    ep->table_size = e->b;
    if (t->rdv_epoch == e->epoch)
        t->rdv_stage = 0;
    emit_epoch(m, ep);
}

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* One part of the schedule string: parts must come in order, each at most
 * EV_SCHEDULE_PART characters, all of the same count; anything else (a part
 * without its string too) drops
 * the schedule (a damaged one would replay another run). */
enum { SCHEDULE_MAX_PARTS = 1 << 22 };

static void schedule_part(struct model *m, const struct rev *e)
{
    size_t n = e->str ? strlen(e->str) : 0;
    int ok = e->str && e->a == m->schedule_next && e->b > 0 && e->b <= SCHEDULE_MAX_PARTS &&
             (e->a == 0 || e->b == m->schedule_parts) && e->a < e->b && n <= EV_SCHEDULE_PART &&
             (e->a == 0 || m->schedule);
    if (!ok) {
        free(m->schedule);
        m->schedule = NULL;
        m->schedule_next = -1; /* no later part is taken either */
        return;
    }
    char *s = realloc(m->schedule, m->schedule_len + n + 1);
    if (!s) {
        free(m->schedule);
        m->schedule = NULL;
        m->schedule_next = -1;
        return;
    }
    memcpy(s + m->schedule_len, e->str, n);
    m->schedule_len += n;
    s[m->schedule_len] = '\0';
    m->schedule = s;
    m->schedule_parts = e->b;
    m->schedule_next = e->a + 1;
}

void model_apply(struct model *m, const struct rev *e)
{
    struct mthread *t = model_enter(m, e);
    if (!m->nevents++)
        m->t0 = e->ts;
    m->last_seq = e->seq;
    m->last_ts = e->ts;
    if (!t->first_seq)
        t->first_seq = e->seq;
    t->last_seq = e->seq;
    t->last_kind = e->kind;
    if (t->pos == MP_UNSEEN)
        set_pos(t, MP_RUNNING, e);
    switch (e->kind) {
    case EV_RUN_BEGIN:
        m->run_begin_seq = e->seq;
        m->run_thread = t;
        t->run_own = 1;
        m->seed = e->a;
        m->groups = e->b;
        copy_str(m->scenario, sizeof m->scenario, e->str);
        copy_str(m->variant, sizeof m->variant, e->str2);
        m->ops = e->epoch;
        m->sched = e->mode;
        m->strategy = e->how;
        m->pct_depth = e->phase;
        break;
    case EV_SCHEDULE:
        schedule_part(m, e);
        break;
    case EV_RUN_END:
        m->run_end_seq = e->seq;
        m->run_status = e->how;
        break;
    case EV_THREAD_START:
        t->role = e->mode;
        t->parent = e->a;
        copy_str(t->name, sizeof t->name, e->str);
        t->start_seq = e->seq;
        t->start_ts = e->ts;
        break;
    case EV_THREAD_EXIT:
        t->exit_seq = e->seq;
        t->exit_ts = e->ts;
        t->exit_status = e->how;
        set_pos(t, MP_EXITED, e);
        break;
    case EV_ACTION_BEGIN:
        t->action = e->mode;
        t->action_seq = e->seq;
        copy_str(t->action_arg, sizeof t->action_arg, e->str);
        t->sleep_stage = e->mode == ACT_SLEEP ? 1 : 0;
        t->ctx = VIA_NONE;
        break;
    case EV_ACTION_END:
        t->action = 0;
        t->sleep_stage = 0;
        break;
    case EV_LOCK_ATTEMPT:
        t->att = (struct mhold){.obj = e->obj,
                                .mode = e->mode,
                                .how = e->how,
                                .lease = e->lease,
                                .att_seq = e->seq,
                                .att_ts = e->ts};
        if (e->how == HOW_BLOCKING) {
            set_pos(t, MP_LOCK, e);
            t->pos_obj = e->obj;
            t->pos_mode = e->mode;
        }
        break;
    case EV_LOCK_ACQUIRED:
        lock_acquired(m, t, e);
        break;
    case EV_LOCK_BUSY:
        lock_busy(m, t, e);
        break;
    case EV_LOCK_RELEASED:
        lock_released(m, t, e);
        break;
    case EV_LEASE_HANDOVER:
        lease_handover(m, t, e);
        break;
    case EV_BUS_BROADCAST:
        if (e->epoch > 0)
            bus_broadcast(m, t, e);
        break;
    case EV_BUS_RECV_BEGIN:
        if (e->obj == OBJ_BARRIER_BUS)
            t->follow_via = t->ctx;
        set_pos(t, MP_BUS, e);
        t->pos_obj = e->obj;
        break;
    case EV_BUS_RECV_END:
        if (t->pos == MP_BUS)
            wait_record(m, t, 100 + e->obj, e->epoch, e, WAITED_DONE);
        set_pos(t, MP_RUNNING, e);
        break;
    case EV_BARRIER_ARRIVE:
        if (e->epoch > 0)
            barrier_arrive(m, t, e);
        break;
    case EV_BARRIER_DEPART:
        if (e->epoch > 0)
            barrier_depart(m, t, e);
        break;
    case EV_FLAG_SET:
        m->flag = 1;
        m->flag_epoch = e->epoch;
        m->flag_seq = e->seq;
        m->flag_ts = e->ts;
        if (e->epoch > 0)
            epoch_of(m, e->epoch)->flag_set_seq = e->seq;
        break;
    case EV_FLAG_CLEAR:
        m->flag = 0;
        m->flag_seq = e->seq;
        m->flag_ts = e->ts;
        if (e->epoch > 0)
            epoch_of(m, e->epoch)->flag_clear_seq = e->seq;
        break;
    case EV_FLAG_LOAD:
        t->flag_load_seq = e->seq;
        t->flag_load_val = e->a;
        t->flag_load_order = e->mode;
        t->woken_entry_seq = 0;
        break;
    case EV_WAKEUP_SENT: {
        struct mthread *to = named(m, e->a);
        to->wakeup_sent_seq = e->seq;
        to->wakeup_sent_epoch = e->epoch;
        break;
    }
    case EV_WAKEUP_RECEIVED:
        t->woken_seq = e->seq;
        t->woken_ts = e->ts;
        break;
    case EV_BACKOFF:
        t->ctx = t->retry_obj == OBJ_LEASE ? VIA_COOP_LEASE : VIA_COOP_WRITE;
        break;
    case EV_OP_BEGIN:
        if (e->epoch > 0)
            op_begin(m, t, e);
        break;
    case EV_OP_END:
        if (e->epoch > 0)
            op_end(m, t, e);
        break;
    case EV_REPLAY_BEGIN:
        break;
    case EV_REPLAY_END:
        t->replay_epoch = e->epoch;
        t->replay_digest = e->a;
        t->replay_size = e->b;
        t->replay_how = e->how;
        t->replay_seq = e->seq;
        break;
    case EV_SYSCALL_ENTRY:
        t->ctx = e->how == PATH_FAST ? VIA_FAST : e->how == PATH_WOKEN ? VIA_WOKEN : VIA_SLOW;
        t->woken_entry_seq = e->how == PATH_WOKEN ? e->seq : 0;
        break;
    case EV_GROUP_SUBSCRIBE:
    case EV_GROUP_UNSUBSCRIBE:
        if (e->obj == OBJ_OPERATION_BUS) {
            m->rx_count = e->a;
            t->subscribed = e->kind == EV_GROUP_SUBSCRIBE;
            if (t->subscribed)
                t->sub_seq = e->seq;
            else
                t->unsub_seq = e->seq;
        } else {
            m->rx_barrier = e->a;
        }
        break;
    case EV_WAIT_BEGIN:
        set_pos(t, MP_WAIT, e);
        t->pos_mode = t->wait_kind = e->mode;
        t->pos_arg = t->wait_arg = e->mode == WAIT_CHILD ? e->a : e->b;
        t->wait_seq = e->seq;
        t->wait_ts = e->ts;
        if (e->mode == WAIT_CHILD)
            named(m, e->a);
        break;
    case EV_WAIT_END:
        if (t->wait_seq)
            wait_record(m, t, t->wait_kind, 0, e, e->how);
        t->wait_seq = 0;
        set_pos(t, MP_RUNNING, e);
        break;
    case EV_CHECKPOINT_REQUEST:
        m->ckpt_request_seq = e->seq;
        break;
    case EV_CHECKPOINT_FREEZE:
        t->frozen = 1;
        break;
    case EV_CHECKPOINT_SNAPSHOT:
        m->ckpt_snapshot_seq = e->seq;
        break;
    case EV_CHECKPOINT_RESUME:
        t->frozen = 0;
        t->ctx = VIA_CHECKPOINT;
        break;
    }
    /* After thread_exit a thread only leaves the process's lists (process
     * mutex): it stays exited. */
    if (t->exit_seq && t->pos != MP_EXITED) {
        t->pos = MP_EXITED;
        t->pos_seq = t->exit_seq;
        t->pos_ts = t->exit_ts;
    }
}

int model_arrived_at(const struct mthread *t, int64_t epoch, int64_t phase)
{
    return t->rdv_epoch == epoch && t->rdv_phase == phase && t->rdv_arr_seq;
}

int model_missing_at(const struct mthread *t, int64_t epoch, int64_t phase)
{
    return t->counted_epoch == epoch && !(t->rdv_epoch == epoch && t->rdv_phase >= phase);
}

void model_flush(struct model *m)
{
    for (int64_t i = 0; i < m->nthreads; i++) {
        struct mthread *t = m->threads[i];
        for (int h = 0; h < t->nholds; h++)
            hold_record(m, t, &t->holds[h], HOLD_HELD, NULL, -1);
        if (t->att.att_seq && t->pos == MP_LOCK)
            hold_record(m, t, &t->att, HOLD_WAITING, NULL, -1);
        if (t->pos == MP_BUS)
            wait_record(m, t, 100 + t->pos_obj, 0, NULL, -1);
        else if (t->wait_seq)
            wait_record(m, t, t->wait_kind, 0, NULL, -1);
        else if (t->pos == MP_BARRIER)
            rdv_record(m, t, NULL);
    }
    for (int i = 0; i < MODEL_EPOCH_RING; i++)
        emit_epoch(m, &m->ring[i]);
    if (m->sink.thread)
        for (int64_t i = 0; i < m->nthreads; i++)
            m->sink.thread(m->sink.ctx, m->threads[i]);
}
