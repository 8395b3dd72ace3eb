/*
 * position.c — published thread positions (see position.h).  No locks.
 */
#include "lib/position.h"

#include "lib/clock.h"

void position_set(struct position *p, int kind, int64_t obj, int64_t mode, int64_t epoch,
                  int64_t phase, int64_t arg)
{
    /* The same wait again (a retry loop): keep its start. */
    int same = atomic_load_explicit(&p->kind, memory_order_relaxed) == kind &&
               atomic_load_explicit(&p->obj, memory_order_relaxed) == obj &&
               atomic_load_explicit(&p->mode, memory_order_relaxed) == mode;
    atomic_store_explicit(&p->obj, obj, memory_order_relaxed);
    atomic_store_explicit(&p->mode, mode, memory_order_relaxed);
    atomic_store_explicit(&p->epoch, epoch, memory_order_relaxed);
    atomic_store_explicit(&p->phase, phase, memory_order_relaxed);
    atomic_store_explicit(&p->arg, arg, memory_order_relaxed);
    if (!same)
        atomic_store_explicit(&p->since_ns, now_ns(), memory_order_relaxed);
    atomic_store_explicit(&p->kind, kind, memory_order_release);
}

void position_clear(struct position *p)
{
    atomic_store_explicit(&p->kind, POS_RUNNING, memory_order_release);
}

struct position_view position_read(const struct position *p)
{
    struct position_view v;
    v.kind = atomic_load_explicit(&p->kind, memory_order_acquire);
    v.obj = atomic_load_explicit(&p->obj, memory_order_relaxed);
    v.mode = atomic_load_explicit(&p->mode, memory_order_relaxed);
    v.epoch = atomic_load_explicit(&p->epoch, memory_order_relaxed);
    v.phase = atomic_load_explicit(&p->phase, memory_order_relaxed);
    v.arg = atomic_load_explicit(&p->arg, memory_order_relaxed);
    v.since_ns = atomic_load_explicit(&p->since_ns, memory_order_relaxed);
    return v;
}

int position_is_protocol_wait(int kind)
{
    switch (kind) {
    case POS_LOCK:
    case POS_RETRY:
    case POS_BUS:
    case POS_BARRIER:
    case POS_CHILD:
    case POS_CHECKPOINT:
        return 1;
    default:
        return 0;
    }
}
