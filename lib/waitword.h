/*
 * waitword.h — how the protocol's threads block: a bounded spin, then a wait
 * word.  Used by the barrier, the buses and the wakeup signal.  No locks.
 */
#ifndef DLSYNC_WAITWORD_H
#define DLSYNC_WAITWORD_H

#include <stdatomic.h>
#include <stdint.h>

/*
 * A bounded spin, the first stage of every blocking wait:
 *
 *     struct spin s;
 *     spin_begin(&s, budget_ns);
 *     while (!done() && spin_step(&s)) {}
 *     if (!done()) ...block...
 *
 * Each step yields the CPU (sched_yield), so a spinner never keeps a thread
 * that could run — perhaps the one it waits for — off its CPU: with 16
 * threads on 2 CPUs a spinner costs a runnable thread one switch, not a
 * time slice.  spin_step returns 0 once budget_ns have passed since
 * spin_begin (at once if budget_ns <= 0).  Why spin at all: a waiter that
 * sleeps lets its CPU halt, and on a virtual machine waking a halted CPU
 * costs the waker and the woken tens of microseconds, more than a whole
 * rendezvous; the budgets are of that order, so a spin never costs much
 * more than the sleep it avoids.  No locks.
 */
enum {
    SPIN_NS = 20000, /* barrier and bus waits */
};

struct spin {
    int64_t until; /* 0: spent */
};

void spin_begin(struct spin *s, int64_t budget_ns);
int spin_step(struct spin *s);

/*
 * A wait word: a 32-bit counter that waiters watch for a change.  The writer
 * changes `word` (seq_cst) and calls waitword_wake; a waiter that saw value
 * `seen` calls waitword_wait, which spins (see above) and then sleeps on the
 * word (a Linux futex) until `word` differs from `seen`; the change
 * happens-before its return.  waitword_wake makes the system call only when
 * a waiter sleeps.  No locks.
 */
struct waitword {
    _Atomic uint32_t word;
    _Atomic int sleepers; /* waiters inside the futex wait, or about to be */
};

void waitword_init(struct waitword *w);
void waitword_wait(struct waitword *w, uint32_t seen);
void waitword_wake(struct waitword *w);

#endif
