/*
 * fuzz/fuzz_model.c — the libFuzzer target of the event model and the
 * checker: any sequence of events, valid or not, must leave them neither
 * crashing, nor reading or writing out of bounds, nor asserting.
 *
 * Covers, on the events of one input (fuzz/model_input.h decodes them):
 *   - replay/event.c rev_check() on every event, and its contract (a refused
 *     event is described in why);
 *   - the events it accepts, numbered as a database numbers them, through
 *     `dlsync check`'s own pass (check.c: struct check_pass: every family,
 *     then model_apply, whose records `dlsync ingest` stores), and its end
 *     with the input's discarded count as a gap of unknown place;
 *   - every finding's text, every thread's position and holds as `dlsync
 *     state` tells them (describe.c), and model_flush;
 *   - a sink that reads every field of every record the model hands over
 *     (during the events and at the flush) and names it as the database's
 *     sink does, so that a record with a stale or out-of-range value is seen.
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined; the
 * same function, built with gcc and fuzz/run_inputs.c, replays the inputs
 * that found bugs in `make test`.  One input at a time: no locks.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/model_input.h"
#include "replay/check.h"
#include "replay/describe.h"
#include "replay/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where every field read ends up, so that no read is optimised away. */
static volatile uint64_t touched;

static void touch(const int64_t *v, size_t n)
{
    uint64_t s = touched;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + (uint64_t)v[i];
    touched = s;
}

static void touch_str(const char *s)
{
    uint64_t h = touched;
    for (; s && *s; s++)
        h = h * 31 + (unsigned char)*s;
    touched = h;
}

static void touch_obj(int64_t obj)
{
    char buf[48];
    touch_str(ev_object_name(obj));
    touch_str(rn_obj(obj, buf, sizeof buf));
}

static void sink_hold(void *ctx, const struct hold_rec *r)
{
    (void)ctx;
    const int64_t v[] = {r->grp,     r->obj,       r->mode,    r->how,    r->lease,
                         r->att_seq, r->att_ts,    r->acq_seq, r->acq_ts, r->rel_seq,
                         r->rel_ts,  r->handed_to, r->outcome};
    touch(v, sizeof v / sizeof v[0]);
    touch_obj(r->obj);
    touch_str(ev_mode_name(r->mode));
    touch_str(model_outcome_name(r->outcome));
}

static void sink_wait(void *ctx, const struct wait_rec *r)
{
    (void)ctx;
    const int64_t v[] = {r->grp,    r->what,    r->arg,    r->epoch, r->beg_seq,
                         r->beg_ts, r->end_seq, r->end_ts, r->result};
    touch(v, sizeof v / sizeof v[0]);
    touch_str(ev_wait_name(r->what));
}

static void sink_rdv(void *ctx, const struct rdv_rec *r)
{
    (void)ctx;
    const int64_t v[] = {r->epoch,     r->phase,    r->grp,     r->instigator, r->via,
                         r->woken_seq, r->woken_ts, r->arr_seq, r->arr_ts,     r->index,
                         r->parties,   r->dep_seq,  r->dep_ts};
    touch(v, sizeof v / sizeof v[0]);
    touch_str(model_via_name(r->via));
}

static void sink_epoch(void *ctx, const struct epoch_rec *r)
{
    (void)ctx;
    const int64_t v[] = {r->epoch,
                         r->kind,
                         r->instigator,
                         r->a,
                         r->b,
                         r->lease,
                         r->lease_seq,
                         r->lease_ts,
                         r->op_seq,
                         r->op_ts,
                         r->rx,
                         r->bcast_seq,
                         r->bcast_ts,
                         r->full_seq,
                         r->flag_set_seq,
                         r->flag_clear_seq,
                         r->p1_seq,
                         r->p1_ts,
                         r->opcast_seq,
                         r->p2_seq,
                         r->p2_ts,
                         r->end_seq,
                         r->end_ts,
                         r->status,
                         r->digest,
                         r->table_size,
                         r->arrivals[1],
                         r->arrivals[2],
                         r->departures[1],
                         r->departures[2],
                         r->emitted};
    touch(v, sizeof v / sizeof v[0]);
    assert(memchr(r->name, 0, sizeof r->name));
    touch_str(r->name);
    touch_str(r->kind ? ev_op_name(r->kind) : NULL);
}

static void sink_thread(void *ctx, const struct mthread *t)
{
    (void)ctx;
    const int64_t v[] = {t->grp,     t->vtid,        t->role,     t->parent,
                         t->pos,     t->start_seq,   t->start_ts, t->exit_seq,
                         t->exit_ts, t->exit_status, t->nholds};
    touch(v, sizeof v / sizeof v[0]);
    assert(memchr(t->name, 0, sizeof t->name));
    assert(memchr(t->action_arg, 0, sizeof t->action_arg));
    touch_str(t->name);
    touch_str(t->action_arg);
    touch_str(ev_role_name(t->role));
    for (int i = 0; i < t->nholds; i++)
        touch_obj(t->holds[i].obj);
}

static const struct model_sink touching_sink = {
    .hold = sink_hold,
    .wait = sink_wait,
    .rdv = sink_rdv,
    .epoch = sink_epoch,
    .thread = sink_thread,
};

static void touch_findings(const struct findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct finding *d = &f->v[i];
        assert(d->nseqs >= 0 && d->nseqs <= FINDING_MAX_SEQS);
        assert(memchr(d->rule, 0, sizeof d->rule) && memchr(d->key, 0, sizeof d->key));
        assert(memchr(d->threads, 0, sizeof d->threads));
        assert(memchr(d->objects, 0, sizeof d->objects));
        touch(d->seqs, (size_t)d->nseqs);
        touch_str(d->rule);
        touch_str(d->threads);
        touch_str(d->objects);
        touch_str(d->message);
        touch_str(d->unreliable);
    }
}

/* What `dlsync state` prints of every thread. */
static void touch_state(const struct model *m)
{
    char pos[256], holds[256];
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        if (!t)
            continue;
        touch_str(describe_position(m, t, pos, sizeof pos));
        touch_str(describe_holds(t, holds, sizeof holds));
        touched += (uint64_t)describe_is_blocked(t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mi_reader r;
    int64_t discarded;
    mi_reader_init(&r, data, size, &discarded);
    struct check_pass p;
    check_pass_init(&p, &touching_sink);
    struct rev e;
    int64_t seq = 0;
    while (mi_next(&r, &e)) {
        char why[128];
        if (rev_check(&e, why, sizeof why) != 0) {
            assert(why[0]);
            continue;
        }
        e.seq = ++seq;
        check_pass_event(&p, &e);
    }
    mi_reader_free(&r);
    struct gaps g = {0};
    g.discarded = discarded;
    if (discarded)
        gaps_add_span(&g, discarded, -1, -1);
    check_pass_end(&p, &g);
    gaps_free(&g);
    touch_findings(&p.f);
    touched += (uint64_t)check_pass_status(&p);
    touch_state(&p.m);
    model_flush(&p.m);
    check_pass_free(&p);
    return 0;
}
