/*
 * statelock.c — the state lock (see statelock.h).  Takes only the rwlock.
 */
#include "lib/statelock.h"

#include <assert.h>

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void statelock_init(struct state_lock *l)
{
    pthread_rwlock_init(&l->rw, NULL);
    atomic_init(&l->writing, 0);
    atomic_init(&l->writer, -1);
    atomic_init(&l->readers, 0);
    atomic_init(&l->writer_key, 0);
}

void statelock_destroy(struct state_lock *l)
{
    pthread_rwlock_destroy(&l->rw);
}

static void attempt(int64_t mode, int64_t how, int64_t lease)
{
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = OBJ_STATE_LOCK, .mode = mode, .how = how, .lease = lease});
}

static void granted(struct state_lock *l, int64_t mode, int64_t how, int64_t lease)
{
    struct dl_thread *self = thread_self();
    if (mode == MODE_WRITE) {
        atomic_store(&l->writing, 1);
        atomic_store(&l->writer, self ? self->id : -1);
        atomic_store_explicit(&l->writer_key, thread_key(), memory_order_relaxed);
    } else
        atomic_fetch_add(&l->readers, 1);
    ev_emit(EV_LOCK_ACQUIRED,
            &(struct ev){.obj = OBJ_STATE_LOCK, .mode = mode, .how = how, .lease = lease});
}

static void busy(int64_t mode, int64_t lease)
{
    ev_emit(EV_LOCK_BUSY,
            &(struct ev){.obj = OBJ_STATE_LOCK, .mode = mode, .how = HOW_TRY, .lease = lease});
}

int statelock_try_read(struct state_lock *l)
{
    sched_point();
    attempt(MODE_READ, HOW_TRY, 0);
    if (pthread_rwlock_tryrdlock(&l->rw) != 0) {
        busy(MODE_READ, 0);
        return 0;
    }
    granted(l, MODE_READ, HOW_TRY, 0);
    return 1;
}

int statelock_try_write(struct state_lock *l, int64_t lease)
{
    sched_point();
    attempt(MODE_WRITE, HOW_TRY, lease);
    if (pthread_rwlock_trywrlock(&l->rw) != 0) {
        busy(MODE_WRITE, lease);
        return 0;
    }
    granted(l, MODE_WRITE, HOW_TRY, lease);
    return 1;
}

struct lock_want {
    const struct state_lock *l;
    int64_t mode;
};

/* Would a blocking `mode` be granted now?  Readers are preferred, like
 * glibc's default rwlock: a read waits only for a writer. */
static int grantable(const void *arg)
{
    const struct lock_want *w = arg;
    return !atomic_load(&w->l->writing) &&
           (w->mode == MODE_READ || atomic_load(&w->l->readers) == 0);
}

static void block(struct state_lock *l, int64_t mode, int64_t lease)
{
    struct dl_thread *self = thread_self();
    attempt(mode, HOW_BLOCKING, lease);
    if (self)
        position_set(&self->pos, POS_LOCK, OBJ_STATE_LOCK, mode, 0, 0, 0);
    sched_wait(&(struct sched_wait){
        .ready = grantable, .arg = &(struct lock_want){l, mode}, .timeout_ns = -1});
    int rc = mode == MODE_WRITE ? pthread_rwlock_wrlock(&l->rw) : pthread_rwlock_rdlock(&l->rw);
    assert(rc == 0);
    (void)rc;
    if (self)
        position_clear(&self->pos);
    granted(l, mode, HOW_BLOCKING, lease);
}

void statelock_read(struct state_lock *l)
{
    block(l, MODE_READ, 0);
}

void statelock_write(struct state_lock *l, int64_t lease)
{
    block(l, MODE_WRITE, lease);
}

void statelock_unlock_read(struct state_lock *l)
{
    ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = OBJ_STATE_LOCK, .mode = MODE_READ});
    atomic_fetch_sub(&l->readers, 1);
    pthread_rwlock_unlock(&l->rw);
}

void statelock_unlock_write(struct state_lock *l, int64_t lease)
{
    ev_emit(EV_LOCK_RELEASED,
            &(struct ev){.obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .lease = lease});
    assert(statelock_write_held_by_me(l));
    atomic_store_explicit(&l->writer_key, 0, memory_order_relaxed);
    atomic_store(&l->writer, -1);
    atomic_store(&l->writing, 0);
    pthread_rwlock_unlock(&l->rw);
}

int statelock_write_held_by_me(const struct state_lock *l)
{
    return atomic_load_explicit(&l->writer_key, memory_order_relaxed) == thread_key();
}
