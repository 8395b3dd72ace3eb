/*
 * waitword.c — bounded spin and wait word (see waitword.h).  No locks: the
 * word is a C11 atomic; sleeping is a Linux futex on it.
 */
#include "lib/waitword.h"

#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <assert.h>

#include "lib/clock.h"
#include "lib/sched.h"

void spin_begin(struct spin *s, int64_t budget_ns)
{
    s->until = budget_ns > 0 ? now_ns() + budget_ns : 0;
}

int spin_step(struct spin *s)
{
    if (s->until == 0)
        return 0;
    sched_yield();
    if (now_ns() >= s->until) {
        s->until = 0;
        return 0;
    }
    return 1;
}

void waitword_init(struct waitword *w)
{
    atomic_init(&w->word, 0);
    atomic_init(&w->sleepers, 0);
}

void waitword_wait(struct waitword *w, uint32_t seen)
{
    /* Controlled, the scheduler has waited already: the word has moved. */
    assert(sched_mode() == SCHED_OS || atomic_load(&w->word) != seen);
    struct spin s;
    spin_begin(&s, SPIN_NS);
    do {
        if (atomic_load_explicit(&w->word, memory_order_acquire) != seen)
            return;
    } while (spin_step(&s));
    /* Announce the sleep before the last check: a waker stores the word and
     * then reads `sleepers` (both seq_cst), so either it sees us or we see
     * its store.  The kernel checks the word again before sleeping. */
    atomic_fetch_add(&w->sleepers, 1);
    while (atomic_load(&w->word) == seen)
        syscall(SYS_futex, &w->word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
    atomic_fetch_sub(&w->sleepers, 1);
}

void waitword_wake(struct waitword *w)
{
    if (atomic_load(&w->sleepers) > 0)
        syscall(SYS_futex, &w->word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}
