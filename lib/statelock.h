/*
 * statelock.h — the linker state lock (reader-writer).
 *
 * Try and blocking read and write on a pthread rwlock, each traced
 * (attempt, acquired or busy, released) with the caller's lease id when it
 * holds one, and with the caller's position published while it blocks.
 * Every call is a schedule point; a blocking one blocks through the
 * scheduler (lib/sched.h).  Records whether it is held for write, by whom,
 * and how many readers hold it: the truth the controlled scheduler and the
 * reports go by.
 */
#ifndef DLSYNC_STATELOCK_H
#define DLSYNC_STATELOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct state_lock {
    pthread_rwlock_t rw;
    _Atomic int writing;          /* held for write */
    _Atomic int writer;           /* group id of the writer, -1 none or unattached */
    _Atomic int readers;          /* current readers */
    _Atomic uintptr_t writer_key; /* thread_key() of the writer, 0 none */
};

void statelock_init(struct state_lock *l);
void statelock_destroy(struct state_lock *l);

/* 1 when acquired, 0 when busy. */
int statelock_try_read(struct state_lock *l);
int statelock_try_write(struct state_lock *l, int64_t lease);

void statelock_read(struct state_lock *l);
void statelock_write(struct state_lock *l, int64_t lease);

void statelock_unlock_read(struct state_lock *l);
void statelock_unlock_write(struct state_lock *l, int64_t lease);

/* Does the calling thread hold l for write?  For assertions: no tracing,
 * no lock (only the writer writes its own key, and clears it before it
 * unlocks). */
int statelock_write_held_by_me(const struct state_lock *l);

#endif
