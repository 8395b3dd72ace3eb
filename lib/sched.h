/*
 * sched.h — seeded schedule points.
 *
 * Owns the per-thread pseudo-random generator that decides, at every protocol
 * step, whether the thread runs on, yields the CPU or sleeps briefly.  The
 * same seed repeats the same choices (as far as the OS scheduler allows);
 * different seeds explore different interleavings.  Takes no locks.
 */
#ifndef DLSYNC_SCHED_H
#define DLSYNC_SCHED_H

#include <stdint.h>

struct sched {
    uint64_t state;
    int perturb; /* 0: schedule points only check for a halted run */
};

/* Seed a generator for one stream (one thread) of a run.  Seed 0: schedule
 * points do not perturb the schedule (the generator still serves choices). */
void sched_init(struct sched *s, uint64_t seed, uint64_t stream);

/* Next 64 random bits. */
uint64_t sched_next(struct sched *s);

/* Uniform integer in [0, n). n > 0. */
uint64_t sched_below(struct sched *s, uint64_t n);

/* A schedule point of the calling protocol thread: run on (most often),
 * yield, or sleep a few microseconds.  Also the place where a halted run
 * parks its threads (see process_halt). */
void sched_point(void);

#endif
