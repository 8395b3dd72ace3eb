/*
 * barrier.h — the per-epoch rendezvous barrier, used for phase 1 and phase 2.
 *
 * A counting barrier for `parties` threads that may be passed any number of
 * times; generation g is phase g + 1 of its epoch.  Owns its mutex and cv
 * (a leaf lock).
 */
#ifndef DLSYNC_BARRIER_H
#define DLSYNC_BARRIER_H

#include <pthread.h>
#include <stdint.h>

struct barrier {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int parties;
    int arrived;        /* (mu) arrivals in the current generation */
    int64_t generation; /* (mu) completed generations */
    int64_t epoch;
};

void barrier_init(struct barrier *b, int parties, int64_t epoch);
void barrier_destroy(struct barrier *b);

/* Arrive and wait until all parties have arrived in this generation.
 * Emits barrier_arrive (epoch, phase, parties, arrival index) and
 * barrier_depart.  Returns the phase (1, 2, ...) that was passed. */
int barrier_wait(struct barrier *b);

#endif
