/*
 * clock.h — the monotonic clock and timed waits on it.  Owns nothing.
 */
#ifndef DLSYNC_CLOCK_H
#define DLSYNC_CLOCK_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Monotonic clock in nanoseconds. */
int64_t now_ns(void);

/* Initialise c so that pthread_cond_timedwait takes CLOCK_MONOTONIC deadlines. */
void cond_init_monotonic(pthread_cond_t *c);

/* *ts = now (CLOCK_MONOTONIC) + usec microseconds. */
void deadline_after(struct timespec *ts, int64_t usec);

/* Sleep for usec microseconds (restarts after signals). */
void sleep_us(int64_t usec);

#endif
