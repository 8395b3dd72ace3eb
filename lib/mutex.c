/*
 * mutex.c — traced mutexes (see mutex.h).  Takes only the mutex it wraps.
 */
#include "lib/mutex.h"

#include "lib/thread.h"
#include "tracer/events.h"

void tmutex_init(struct tmutex *m, int64_t obj)
{
    pthread_mutex_init(&m->mu, NULL);
    m->obj = obj;
}

void tmutex_destroy(struct tmutex *m)
{
    pthread_mutex_destroy(&m->mu);
}

void tmutex_lock(struct tmutex *m)
{
    struct dl_thread *self = thread_self();
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
    if (self)
        position_set(&self->pos, POS_LOCK, m->obj, MODE_EXCLUSIVE, 0, 0, 0);
    pthread_mutex_lock(&m->mu);
    if (self)
        position_clear(&self->pos);
    ev_emit(EV_LOCK_ACQUIRED,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
}

void tmutex_unlock(struct tmutex *m)
{
    ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE});
    pthread_mutex_unlock(&m->mu);
}

int tmutex_wait(struct tmutex *m, pthread_cond_t *cv)
{
    ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE});
    int rc = pthread_cond_wait(cv, &m->mu);
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
    ev_emit(EV_LOCK_ACQUIRED,
            &(struct ev){.obj = m->obj, .mode = MODE_EXCLUSIVE, .how = HOW_BLOCKING});
    return rc;
}
