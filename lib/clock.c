/*
 * clock.c — monotonic time helpers (see clock.h).  No locks.
 */
#include "lib/clock.h"

#include <errno.h>

int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cond_init_monotonic(pthread_cond_t *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

void deadline_after(struct timespec *ts, int64_t usec)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    int64_t ns = ts->tv_nsec + (usec % 1000000) * 1000;
    ts->tv_sec += (time_t)(usec / 1000000 + ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
}

void sleep_us(int64_t usec)
{
    struct timespec ts = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}
