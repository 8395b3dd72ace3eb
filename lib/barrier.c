/*
 * barrier.c — the rendezvous barrier (see barrier.h).  Takes only the
 * barrier's own mutex, never while waiting.
 */
#include "lib/barrier.h"

#include <assert.h>

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void barrier_init(struct barrier *b, int parties, int64_t epoch)
{
    assert(parties > 0);
    pthread_mutex_init(&b->mu, NULL);
    b->parties = parties;
    b->arrived = 0;
    b->generation = 0;
    b->epoch = epoch;
    waitword_init(&b->gen);
}

void barrier_destroy(struct barrier *b)
{
    pthread_mutex_destroy(&b->mu);
}

struct gen_wait {
    const struct barrier *b;
    uint32_t gen;
};

/* Has the generation the caller arrived in completed? */
static int passed(const void *arg)
{
    const struct gen_wait *w = arg;
    return atomic_load(&w->b->gen.word) != w->gen;
}

int barrier_wait(struct barrier *b)
{
    struct dl_thread *self = thread_self();
    pthread_mutex_lock(&b->mu);
    int64_t gen = b->generation;
    int phase = (int)gen + 1;
    int index = ++b->arrived;
    assert(index <= b->parties);
    /* Emitted under the barrier's mutex so arrival indices appear in order. */
    ev_emit(
        EV_BARRIER_ARRIVE,
        &(struct ev){
            .obj = OBJ_BARRIER, .epoch = b->epoch, .phase = phase, .a = b->parties, .b = index});
    if (index == b->parties) {
        b->arrived = 0;
        b->generation++;
        atomic_store(&b->gen.word, (uint32_t)b->generation);
        pthread_mutex_unlock(&b->mu);
        /* b is still alive: this party has not returned yet. */
        waitword_wake(&b->gen);
    } else {
        pthread_mutex_unlock(&b->mu);
        if (self)
            position_set(&self->pos, POS_BARRIER, OBJ_BARRIER, 0, b->epoch, phase, b->parties);
        sched_wait(&(struct sched_wait){
            .ready = passed, .arg = &(struct gen_wait){b, (uint32_t)gen}, .timeout_ns = -1});
        waitword_wait(&b->gen, (uint32_t)gen);
        if (self)
            position_clear(&self->pos);
    }
    ev_emit(EV_BARRIER_DEPART,
            &(struct ev){.obj = OBJ_BARRIER, .epoch = b->epoch, .phase = phase, .a = b->parties});
    return phase;
}
