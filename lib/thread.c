/*
 * thread.c — protocol thread records and the wakeup signal (see thread.h).
 *
 * Locks: a thread's wakeup.mu only (a leaf, held for a few instructions and
 * while blocked on its own cv).  The condition variable is signalled after
 * wakeup.mu is released, and only when a thread waits on it.
 */
#include "lib/thread.h"

#include <errno.h>
#include <stdio.h>

#include "lib/waitword.h"
#include "lib/clock.h"

enum { WAKEUP_SPIN_NS = 40000 }; /* the spin of an interruptible wait */

static _Thread_local struct dl_thread *self_tls;

struct dl_thread *thread_self(void)
{
    return self_tls;
}

/* The address of a thread-local: distinct for every live thread. */
static _Thread_local char key_tls;

uintptr_t thread_key(void)
{
    return (uintptr_t)&key_tls;
}

void thread_enter(struct dl_thread *t)
{
    self_tls = t;
    ev_thread_attach(t ? &t->ev : NULL);
    sched_thread_enter(t ? &t->st : NULL);
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
    rng_init(&t->rng, seed, (uint64_t)id);
    sched_thread_init(&t->st, id, seed);
    pthread_mutex_init(&t->wakeup.mu, NULL);
    cond_init_monotonic(&t->wakeup.cv);
    t->wakeup.pending = 0;
    t->wakeup.waiting = 0;
    atomic_init(&t->wakeup.posted, 0);
    t->wakeup.untaken_epoch = 0;
    t->wakeup.untaken_from = -1;
    t->wakeup.full_epoch = 0;
    t->wakeup.full_from = -1;
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
    t->left_subscribed = 0;
    t->lease = 0;
    pthread_mutex_init(&t->fin_mu, NULL);
    cond_init_monotonic(&t->fin_cv);
    atomic_init(&t->finalised, 0);
    t->next = NULL;
}

void thread_destroy(struct dl_thread *t)
{
    pthread_mutex_destroy(&t->wakeup.mu);
    pthread_cond_destroy(&t->wakeup.cv);
    pthread_mutex_destroy(&t->fin_mu);
    pthread_cond_destroy(&t->fin_cv);
}

int wakeup_post(struct dl_thread *t, int64_t epoch)
{
    ev_emit(EV_WAKEUP_SENT, &(struct ev){.epoch = epoch, .a = t->id});
    const struct dl_thread *sender = thread_self();
    pthread_mutex_lock(&t->wakeup.mu);
    t->wakeup.pending = 1;
    atomic_store_explicit(&t->wakeup.posted, 1, memory_order_release);
    if (epoch > 0) {
        t->wakeup.untaken_epoch = epoch;
        t->wakeup.untaken_from = sender ? sender->id : -1;
    }
    int sleeping = t->wakeup.waiting > 0;
    pthread_mutex_unlock(&t->wakeup.mu);
    return sleeping;
}

void wakeup_notify(struct dl_thread *t)
{
    /* Outside wakeup.mu: a waiter registered itself (waiting) in the same
     * critical section in which it found no signal pending, and is blocked
     * on cv or about to re-check `pending`; either way it sees the signal. */
    pthread_cond_broadcast(&t->wakeup.cv);
}

void wakeup_send(struct dl_thread *t, int64_t epoch)
{
    if (wakeup_post(t, epoch))
        wakeup_notify(t);
}

/* Clear the calling thread's pending signal (wakeup.mu held); returns 1 if
 * there was one.  taken: the thread acts on it, so no wakeup sent so far is
 * untaken any more; else (discarded) the record stays. */
static int consume(struct dl_thread *self, int taken)
{
    int was = self->wakeup.pending;
    self->wakeup.pending = 0;
    atomic_store_explicit(&self->wakeup.posted, 0, memory_order_relaxed);
    if (was && taken)
        self->wakeup.untaken_epoch = 0;
    return was;
}

int wakeup_take(struct dl_thread *self)
{
    pthread_mutex_lock(&self->wakeup.mu);
    int was = consume(self, 1);
    pthread_mutex_unlock(&self->wakeup.mu);
    return was;
}

void wakeup_discard(struct dl_thread *self)
{
    pthread_mutex_lock(&self->wakeup.mu);
    (void)consume(self, 0);
    pthread_mutex_unlock(&self->wakeup.mu);
}

int64_t wakeup_untaken(struct dl_thread *self, int *from)
{
    pthread_mutex_lock(&self->wakeup.mu);
    int64_t epoch = self->wakeup.full_epoch;
    *from = self->wakeup.full_from;
    pthread_mutex_unlock(&self->wakeup.mu);
    return epoch;
}

/* A wait of wakeup_wait in controlled mode. */
struct wake_wait {
    const struct dl_thread *self;
    int interruptible;
    const _Atomic int *stop;
};

static int woken_or_stopped(const void *arg)
{
    const struct wake_wait *w = arg;
    return (w->interruptible &&
            atomic_load_explicit(&w->self->wakeup.posted, memory_order_acquire)) ||
           (w->stop && atomic_load(w->stop));
}

int wakeup_wait(struct dl_thread *self, int64_t usec, int interruptible, const _Atomic int *stop)
{
    struct wake_wait ww = {self, interruptible, stop};
    int sw = sched_wait(&(struct sched_wait){
        .ready = woken_or_stopped, .arg = &ww, .timeout_ns = usec * 1000, .guest = 1});
    struct timespec deadline;
    deadline_after(&deadline, usec);
    int result = WAITED_FULL;
    if (sw == SW_OS && interruptible) {
        /* Spin first (see waitword.h): a signal posted meanwhile needs no
         * notification, and this CPU does not halt.  Longer than a barrier
         * spin: the next signal comes after a whole operation path. */
        struct spin s;
        spin_begin(&s, usec * 1000 < WAKEUP_SPIN_NS ? usec * 1000 : WAKEUP_SPIN_NS);
        while (!atomic_load_explicit(&self->wakeup.posted, memory_order_acquire) &&
               !(stop && atomic_load(stop)) && spin_step(&s)) {
        }
    }
    /* Controlled, the scheduler waited (to the deadline, or until ready);
     * OS, the deadline passes on cv.  Either way the signal and stop are
     * checked once more at the end: a signal posted as the deadline passed
     * ends the wait as woken, so WAITED_FULL means that none was pending. */
    int waited = sw != SW_OS; /* the waiting is over: check once more, then end */
    pthread_mutex_lock(&self->wakeup.mu);
    for (;;) {
        if (interruptible && consume(self, 1)) {
            result = WAITED_WOKEN;
            break;
        }
        if (stop && atomic_load(stop)) {
            result = WAITED_DONE;
            break;
        }
        if (waited) {
            self->wakeup.full_epoch = self->wakeup.untaken_epoch;
            self->wakeup.full_from = self->wakeup.untaken_from;
            break;
        }
        self->wakeup.waiting++;
        waited = pthread_cond_timedwait(&self->wakeup.cv, &self->wakeup.mu, &deadline) == ETIMEDOUT;
        self->wakeup.waiting--;
    }
    pthread_mutex_unlock(&self->wakeup.mu);
    return result;
}
