/*
 * backoff.h — the cooperative retry backoff of docs/protocol.md §1.
 *
 * Calls 0–63 issue one CPU spin hint each, calls 64–87 yield the CPU, and
 * from call 88 on sleep 48 µs × 2^min(call − 88, 8), capped at 10 ms.  The
 * call counter saturates.  Owns nothing shared; takes no locks.
 */
#ifndef DLSYNC_BACKOFF_H
#define DLSYNC_BACKOFF_H

#include <stdint.h>

struct backoff {
    unsigned calls;
};

/* Phase (enum ev_backoff) of call number `call`. */
int backoff_phase(unsigned call);

/* Sleep length in nanoseconds of call number `call` (0 unless sleeping). */
uint64_t backoff_sleep_ns(unsigned call);

void backoff_init(struct backoff *b);

/* One backoff step: emit a backoff event, then spin, yield or sleep (a
 * controlled run: a spin and a yield are both a yield of lib/sched.h, a
 * sleep runs on the logical clock). */
void backoff_step(struct backoff *b);

#endif
