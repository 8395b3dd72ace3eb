/*
 * sched.c — seeded schedule points (see sched.h).
 *
 * The generator is splitmix64, one stream per thread.  A schedule point draws
 * once: 84% run on, 12% sched_yield(), 4% sleep 1–50 µs.  Seed 0 turns the
 * perturbation off (benchmarks): the OS alone schedules.  No locks.
 */
#include "lib/sched.h"

#include <sched.h>
#include <time.h>

#include "lib/process.h"
#include "lib/thread.h"

void sched_init(struct sched *s, uint64_t seed, uint64_t stream)
{
    s->perturb = seed != 0;
    s->state = seed * 0x9E3779B97F4A7C15ull ^ (stream + 1) * 0xD1B54A32D192ED03ull;
}

uint64_t sched_next(struct sched *s)
{
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t sched_below(struct sched *s, uint64_t n)
{
    return sched_next(s) % n;
}

void sched_point(void)
{
    struct dl_thread *self = thread_self();
    if (!self)
        return;
    process_park_if_halted(self->proc);
    if (!self->sched.perturb)
        return;
    uint64_t r = sched_below(&self->sched, 100);
    if (r < 84)
        return;
    if (r < 96) {
        sched_yield();
        return;
    }
    struct timespec ts = {0, (long)(1000 + sched_below(&self->sched, 49000))};
    nanosleep(&ts, NULL);
}
