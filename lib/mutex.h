/*
 * mutex.h — a traced mutex (the group mutex and the process mutex) and the
 * condition variable that goes with it (the process condition variable).
 *
 * A pthread mutex that emits lock_attempt / lock_acquired / lock_released
 * with its object id, records its holder, publishes the caller's position
 * while it blocks, and blocks through the scheduler (lib/sched.h): in a
 * controlled run a thread waiting for it is not runnable until it is free.
 * The condition variable counts its broadcasts, so that a controlled waiter
 * is runnable exactly when one has happened since it began to wait.
 */
#ifndef DLSYNC_MUTEX_H
#define DLSYNC_MUTEX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct tmutex {
    pthread_mutex_t mu;
    int64_t obj;              /* enum ev_object id */
    int held;                 /* (mu) */
    int owner;                /* (mu) group id of the holder, -1 when free or unattached */
    _Atomic uintptr_t holder; /* thread_key() of the holder, 0 when free */
};

struct tcond {
    pthread_cond_t cv;
    unsigned broadcasts; /* (the mutex waited with) */
};

void tmutex_init(struct tmutex *m, int64_t obj);
void tmutex_destroy(struct tmutex *m);

/* Blocking lock (attempt, then acquired). */
void tmutex_lock(struct tmutex *m);

void tmutex_unlock(struct tmutex *m);

/* Does the calling thread hold m?  For assertions: no tracing, no lock
 * (only the holder writes its own key, and clears it before it unlocks). */
int tmutex_held_by_me(const struct tmutex *m);

void tcond_init(struct tcond *c);
void tcond_destroy(struct tcond *c);

/* Wake every waiter of c; the caller holds the mutex they wait with. */
void tcond_broadcast(struct tcond *c);

/* Wait on c, releasing m meanwhile; the release and re-acquisition are
 * traced so that holds stay exact.  May return without a broadcast (OS
 * mode): callers re-check their condition in a loop. */
void tmutex_wait(struct tmutex *m, struct tcond *c);

#endif
