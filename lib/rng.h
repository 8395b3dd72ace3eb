/*
 * rng.h — seeded pseudo-random streams (splitmix64).
 *
 * One stream per use: a protocol thread's own choices (which module `dlopen
 * any` loads, the emulated stale read), the controlled scheduler's
 * decisions, the OS mode's perturbation.  The same seed and stream give the
 * same numbers.  Owns nothing shared; takes no locks.
 */
#ifndef DLSYNC_RNG_H
#define DLSYNC_RNG_H

#include <stdint.h>

struct rng {
    uint64_t state;
};

/* Seed stream `stream` of seed `seed`. */
void rng_init(struct rng *r, uint64_t seed, uint64_t stream);

/* Next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* Uniform integer in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

#endif
