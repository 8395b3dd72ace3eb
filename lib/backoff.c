/*
 * backoff.c — the cooperative retry backoff (see backoff.h).  No locks.
 */
#include "lib/backoff.h"

#include "lib/sched.h"
#include "tracer/events.h"

enum {
    SPIN_CALLS = 64,
    YIELD_CALLS = 88,
    SLEEP_BASE_NS = 48000,
    SLEEP_MAX_SHIFT = 8,
    SLEEP_CAP_NS = 10000000,
    /* Past this the schedule no longer changes: the counter stops here. */
    SATURATE = YIELD_CALLS + SLEEP_MAX_SHIFT,
};

int backoff_phase(unsigned call)
{
    if (call < SPIN_CALLS)
        return BACKOFF_SPIN;
    if (call < YIELD_CALLS)
        return BACKOFF_YIELD;
    return BACKOFF_SLEEP;
}

uint64_t backoff_sleep_ns(unsigned call)
{
    if (call < YIELD_CALLS)
        return 0;
    unsigned shift = call - YIELD_CALLS;
    if (shift > SLEEP_MAX_SHIFT)
        shift = SLEEP_MAX_SHIFT;
    uint64_t ns = (uint64_t)SLEEP_BASE_NS << shift;
    return ns > SLEEP_CAP_NS ? SLEEP_CAP_NS : ns;
}

void backoff_init(struct backoff *b)
{
    b->calls = 0;
}

static void spin_hint(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

void backoff_step(struct backoff *b)
{
    unsigned call = b->calls;
    int phase = backoff_phase(call);
    uint64_t ns = backoff_sleep_ns(call);
    ev_emit(EV_BACKOFF, &(struct ev){.phase = phase, .a = call, .b = (int64_t)ns});
    if (phase == BACKOFF_SPIN && sched_mode() == SCHED_OS)
        spin_hint();
    else if (phase != BACKOFF_SLEEP)
        sched_yield_point(); /* controlled: a spin lets another thread run too */
    else
        sched_sleep((int64_t)ns);
    if (b->calls < SATURATE)
        b->calls++;
}
