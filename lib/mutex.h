/*
 * mutex.h — a traced mutex: the group mutex and the process mutex.
 *
 * A pthread mutex that emits lock_attempt / lock_acquired / lock_released
 * with its object id and publishes the caller's position while it blocks.
 */
#ifndef DLSYNC_MUTEX_H
#define DLSYNC_MUTEX_H

#include <pthread.h>
#include <stdint.h>

struct tmutex {
    pthread_mutex_t mu;
    int64_t obj; /* enum ev_object id */
};

void tmutex_init(struct tmutex *m, int64_t obj);
void tmutex_destroy(struct tmutex *m);

/* Blocking lock (attempt, then acquired). */
void tmutex_lock(struct tmutex *m);

void tmutex_unlock(struct tmutex *m);

/* Wait on cv, releasing m meanwhile; the release and re-acquisition are
 * traced so that holds stay exact.  Returns pthread_cond_wait's result. */
int tmutex_wait(struct tmutex *m, pthread_cond_t *cv);

#endif
