/*
 * lease.c — the topology lease (see lease.h).  Takes only its own mutex.
 */
#include "lib/lease.h"

#include <assert.h>

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void lease_init(struct lease *l)
{
    pthread_mutex_init(&l->mu, NULL);
    l->held_id = 0;
    l->holder = -1;
    l->next_id = 0;
}

void lease_destroy(struct lease *l)
{
    pthread_mutex_destroy(&l->mu);
}

int64_t lease_try(struct lease *l)
{
    struct dl_thread *self = thread_self();
    sched_point();
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){.obj = OBJ_LEASE, .mode = MODE_EXCLUSIVE, .how = HOW_TRY});
    int64_t id = 0;
    pthread_mutex_lock(&l->mu);
    if (l->held_id == 0) {
        id = ++l->next_id;
        l->held_id = id;
        l->holder = self ? self->id : -1;
    }
    pthread_mutex_unlock(&l->mu);
    if (id)
        ev_emit(
            EV_LOCK_ACQUIRED,
            &(struct ev){.obj = OBJ_LEASE, .mode = MODE_EXCLUSIVE, .how = HOW_TRY, .lease = id});
    else
        ev_emit(EV_LOCK_BUSY,
                &(struct ev){.obj = OBJ_LEASE, .mode = MODE_EXCLUSIVE, .how = HOW_TRY});
    return id;
}

void lease_handover(struct lease *l, int64_t id, int to)
{
    pthread_mutex_lock(&l->mu);
    assert(l->held_id == id);
    l->holder = to;
    pthread_mutex_unlock(&l->mu);
    ev_emit(EV_LEASE_HANDOVER, &(struct ev){.obj = OBJ_LEASE, .lease = id, .a = to});
}

void lease_release(struct lease *l, int64_t id)
{
    ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = OBJ_LEASE, .mode = MODE_EXCLUSIVE, .lease = id});
    pthread_mutex_lock(&l->mu);
    assert(l->held_id == id);
    l->held_id = 0;
    l->holder = -1;
    pthread_mutex_unlock(&l->mu);
}

int lease_holder(struct lease *l)
{
    pthread_mutex_lock(&l->mu);
    int h = l->holder;
    pthread_mutex_unlock(&l->mu);
    return h;
}

int lease_held_by(struct lease *l, int64_t id, int group)
{
    pthread_mutex_lock(&l->mu);
    int held = id != 0 && l->held_id == id && l->holder == group;
    pthread_mutex_unlock(&l->mu);
    return held;
}
