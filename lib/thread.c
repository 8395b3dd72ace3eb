/*
 * thread.c — protocol thread records and the wakeup signal (see thread.h).
 *
 * Locks: a thread's wakeup.mu (leaf); wakeup_send also takes the process
 * mutex to wake a thread frozen on the process condition variable, so it may
 * be called with the state lock or the lease held but never with the process
 * mutex held.
 */
#include "lib/thread.h"

#include <errno.h>
#include <stdio.h>

#include "lib/clock.h"

static _Thread_local struct dl_thread *self_tls;

struct dl_thread *thread_self(void)
{
    return self_tls;
}

void thread_enter(struct dl_thread *t)
{
    self_tls = t;
    ev_thread_attach(&t->ev);
}

void thread_init(struct dl_thread *t, struct process *proc, int id, int parent, int role,
                 const struct script *script, uint64_t seed)
{
    t->id = id;
    t->parent = parent;
    t->role = role;
    snprintf(t->name, sizeof t->name, "group-%d", id);
    t->script = script;
    t->proc = proc;
    t->group = NULL;
    t->ev.group = id;
    for (int k = 0; k < EV_KIND_COUNT; k++)
        atomic_init(&t->ev.counts[k], 0);
    t->ev.next = NULL;
    sched_init(&t->sched, seed, (uint64_t)id);
    pthread_mutex_init(&t->wakeup.mu, NULL);
    cond_init_monotonic(&t->wakeup.cv);
    t->wakeup.pending = 0;
    atomic_init(&t->pos.kind, POS_RUNNING);
    atomic_init(&t->pos.obj, 0);
    atomic_init(&t->pos.mode, 0);
    atomic_init(&t->pos.epoch, 0);
    atomic_init(&t->pos.phase, 0);
    atomic_init(&t->pos.arg, 0);
    atomic_init(&t->pos.since_ns, 0);
    t->flag_view = 0;
    t->checkpointing = 0;
    t->deep_sleeping = 0;
    t->live = 0;
    t->result = RESULT_OK;
    t->digest = 0;
    t->last_epoch = 0;
    t->lease = 0;
    pthread_mutex_init(&t->fin_mu, NULL);
    cond_init_monotonic(&t->fin_cv);
    t->finalised = 0;
    t->next = NULL;
}

void thread_destroy(struct dl_thread *t)
{
    pthread_mutex_destroy(&t->wakeup.mu);
    pthread_cond_destroy(&t->wakeup.cv);
    pthread_mutex_destroy(&t->fin_mu);
    pthread_cond_destroy(&t->fin_cv);
}

void wakeup_send(struct dl_thread *t, int64_t epoch)
{
    ev_emit(EV_WAKEUP_SENT, &(struct ev){.epoch = epoch, .a = t->id});
    pthread_mutex_lock(&t->wakeup.mu);
    t->wakeup.pending = 1;
    pthread_cond_broadcast(&t->wakeup.cv);
    pthread_mutex_unlock(&t->wakeup.mu);
}

int wakeup_take(struct dl_thread *self)
{
    pthread_mutex_lock(&self->wakeup.mu);
    int was = self->wakeup.pending;
    self->wakeup.pending = 0;
    pthread_mutex_unlock(&self->wakeup.mu);
    return was;
}

void wakeup_discard(struct dl_thread *self)
{
    (void)wakeup_take(self);
}

int wakeup_wait(struct dl_thread *self, int64_t usec, int interruptible, const _Atomic int *stop)
{
    struct timespec deadline;
    deadline_after(&deadline, usec);
    int result = WAITED_FULL;
    pthread_mutex_lock(&self->wakeup.mu);
    for (;;) {
        if (interruptible && self->wakeup.pending) {
            self->wakeup.pending = 0;
            result = WAITED_WOKEN;
            break;
        }
        if (stop && atomic_load(stop)) {
            result = WAITED_DONE;
            break;
        }
        int rc = pthread_cond_timedwait(&self->wakeup.cv, &self->wakeup.mu, &deadline);
        if (rc == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&self->wakeup.mu);
    return result;
}
