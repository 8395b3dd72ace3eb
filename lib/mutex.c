/*
 * mutex.c — traced mutexes and their condition variable (see mutex.h).
 * Takes only the mutex it wraps (and the scheduler's, to wait).
 */
#include "lib/mutex.h"

#include <assert.h>

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void tmutex_init(struct tmutex *m, int64_t obj)
{
    pthread_mutex_init(&m->mu, NULL);
    m->obj = obj;
    m->held = 0;
    m->owner = -1;
    atomic_init(&m->holder, 0);
}

void tmutex_destroy(struct tmutex *m)
{
    pthread_mutex_destroy(&m->mu);
}

static int is_free(const void *arg)
{
    return !((const struct tmutex *)arg)->held;
}

/* m's pthread mutex was just locked by self: record and trace the hold. */
static void held_by(struct tmutex *m, struct dl_thread *self)
{
    m->held = 1;
    m->owner = self ? self->id : -1;
    atomic_store_explicit(&m->holder, thread_key(), memory_order_relaxed);
    ev_emit(EV_LOCK_ACQUIRED,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
}

/* Take m (the attempt is traced by the caller). */
static void take(struct tmutex *m, struct dl_thread *self)
{
    if (self)
        position_set(&self->pos, POS_LOCK, m->obj, MODE_EXCLUSIVE, 0, 0, 0);
    sched_wait(&(struct sched_wait){.ready = is_free, .arg = m, .timeout_ns = -1});
    pthread_mutex_lock(&m->mu);
    if (self)
        position_clear(&self->pos);
    held_by(m, self);
}

void tmutex_lock(struct tmutex *m)
{
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
    take(m, thread_self());
}

/* Give m up (still locked underneath: the caller unlocks or waits). */
static void give_up(struct tmutex *m)
{
    assert(m->held);
    ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE});
    assert(tmutex_held_by_me(m));
    m->held = 0;
    m->owner = -1;
    atomic_store_explicit(&m->holder, 0, memory_order_relaxed);
}

void tmutex_unlock(struct tmutex *m)
{
    give_up(m);
    pthread_mutex_unlock(&m->mu);
}

int tmutex_held_by_me(const struct tmutex *m)
{
    return atomic_load_explicit(&m->holder, memory_order_relaxed) == thread_key();
}

void tcond_init(struct tcond *c)
{
    pthread_cond_init(&c->cv, NULL);
    c->broadcasts = 0;
}

void tcond_destroy(struct tcond *c)
{
    pthread_cond_destroy(&c->cv);
}

void tcond_broadcast(struct tcond *c)
{
    c->broadcasts++;
    pthread_cond_broadcast(&c->cv);
}

struct cond_wait {
    const struct tcond *c;
    unsigned seen;
};

static int broadcast_since(const void *arg)
{
    const struct cond_wait *w = arg;
    return w->c->broadcasts != w->seen;
}

void tmutex_wait(struct tmutex *m, struct tcond *c)
{
    struct dl_thread *self = thread_self();
    struct cond_wait w = {c, c->broadcasts};
    give_up(m);
    if (sched_mode() == SCHED_CONTROLLED && self) {
        pthread_mutex_unlock(&m->mu);
        sched_wait(&(struct sched_wait){.ready = broadcast_since, .arg = &w, .timeout_ns = -1});
        tmutex_lock(m);
        return;
    }
    pthread_cond_wait(&c->cv, &m->mu);
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
    held_by(m, self);
}
