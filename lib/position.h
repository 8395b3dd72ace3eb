/*
 * position.h — where a protocol thread is, for the watchdog.
 *
 * Each thread publishes, before it blocks or starts a retry loop, what it
 * waits on (object, mode, epoch and phase) and since when; it clears the
 * record when the wait ends.  Written only by the owning thread, read by the
 * watchdog: every field is a relaxed atomic.  No locks.
 */
#ifndef DLSYNC_POSITION_H
#define DLSYNC_POSITION_H

#include <stdatomic.h>
#include <stdint.h>

enum pos_kind {
    POS_RUNNING = 0,
    POS_LOCK,       /* blocked in a blocking lock: obj, mode */
    POS_RETRY,      /* in a cooperative try loop: obj, mode */
    POS_BUS,        /* blocked in a bus receive: obj */
    POS_BARRIER,    /* blocked at the barrier: epoch, phase, arg=parties */
    POS_CHILD,      /* waiting for child arg to finalise */
    POS_CHECKPOINT, /* frozen at a checkpoint */
    POS_SLEEP,      /* scripted sleep: not a protocol wait */
    POS_GUEST_WAIT, /* guest wait: not a protocol wait */
    POS_EXITED,
};

struct position {
    _Atomic int kind;
    _Atomic int64_t obj, mode, epoch, phase, arg, since_ns;
};

struct position_view {
    int kind;
    int64_t obj, mode, epoch, phase, arg, since_ns;
};

/* Publish the calling thread's wait (its own position record p).  Setting
 * the same kind, object and mode again keeps the time the wait began. */
void position_set(struct position *p, int kind, int64_t obj, int64_t mode, int64_t epoch,
                  int64_t phase, int64_t arg);

/* Back to running. */
void position_clear(struct position *p);

/* A snapshot of p, for the watchdog. */
struct position_view position_read(const struct position *p);

/* Non-zero when kind is a protocol wait (one that a hang consists of). */
int position_is_protocol_wait(int kind);

#endif
