/*
 * flag.c — the pending flag (see flag.h).  No locks.
 */
#include "lib/flag.h"

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void flag_init(struct pending_flag *f)
{
    atomic_init(&f->v, 0);
}

void flag_set(struct pending_flag *f, int64_t epoch)
{
    sched_point();
    atomic_store_explicit(&f->v, 1, memory_order_seq_cst);
    ev_emit(EV_FLAG_SET, &(struct ev){.obj = OBJ_PENDING_FLAG, .epoch = epoch});
}

void flag_clear(struct pending_flag *f, int64_t epoch)
{
    sched_point();
    atomic_store_explicit(&f->v, 0, memory_order_seq_cst);
    ev_emit(EV_FLAG_CLEAR, &(struct ev){.obj = OBJ_PENDING_FLAG, .epoch = epoch});
}

static int observed(int v, int ordering)
{
    struct dl_thread *self = thread_self();
    if (self)
        self->flag_view = v;
    ev_emit(EV_FLAG_LOAD, &(struct ev){.obj = OBJ_PENDING_FLAG, .mode = ordering, .a = v});
    return v;
}

int flag_load(struct pending_flag *f, int ordering)
{
    memory_order mo = ordering == ORDER_SEQ_CST ? memory_order_seq_cst : memory_order_relaxed;
    sched_point();
    return observed(atomic_load_explicit(&f->v, mo), ordering);
}

int flag_load_stale(struct pending_flag *f)
{
    struct dl_thread *self = thread_self();
    sched_point();
    if (self && rng_below(&self->rng, 4) != 0)
        return observed(self->flag_view, ORDER_RELAXED);
    return observed(atomic_load_explicit(&f->v, memory_order_relaxed), ORDER_RELAXED);
}
