/*
 * barrier.h — the per-epoch rendezvous barrier (phase 1 and phase 2).
 *
 * A counting barrier for `parties` threads that may be passed any number of
 * times; generation g is phase g + 1 of its epoch.  Owns its mutex (a leaf
 * lock, held only to count an arrival, never while waiting) and its wait
 * word.  A party that is not the last waits through the scheduler, then (OS
 * mode) on the wait word.
 */
#ifndef DLSYNC_BARRIER_H
#define DLSYNC_BARRIER_H

#include <pthread.h>
#include <stdint.h>

#include "lib/waitword.h"

struct barrier {
    pthread_mutex_t mu;
    int parties;
    int arrived;        /* (mu) arrivals in the current generation */
    int64_t generation; /* (mu) completed generations */
    int64_t epoch;
    struct waitword gen; /* low 32 bits of generation, stored under mu */
};

void barrier_init(struct barrier *b, int parties, int64_t epoch);
void barrier_destroy(struct barrier *b);

/* Arrive and wait until all parties have arrived in this generation.
 * Emits barrier_arrive (epoch, phase, parties, arrival index) under the
 * mutex, so that arrival indices appear in order, before waiting, and
 * barrier_depart after.  Returns the phase (1, 2, ...) that was passed.
 * The caller keeps b alive until every party has returned. */
int barrier_wait(struct barrier *b);

#endif
