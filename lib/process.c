/*
 * process.c — the process and its threads (see process.h).
 *
 * Locks: the process mutex; a thread's wakeup mutex under it (leaf; the
 * sleepers that process_wake_all signals are notified after the process
 * mutex is released, without a lock).
 */
#include "lib/process.h"

#include <stdlib.h>

#include "lib/clock.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void process_init(struct process *p, struct linker *ls, const struct scenario *scn, int ops,
                  uint64_t seed, int max_threads)
{
    tmutex_init(&p->mu, OBJ_PROCESS_MUTEX);
    tcond_init(&p->cv);
    atomic_init(&p->checkpoint, CHECKPOINT_EXECUTE);
    p->threads = NULL;
    p->next_id = 0;
    p->live = 0;
    p->workers_live = 0;
    p->max_threads = max_threads;
    atomic_init(&p->draining, 0);
    atomic_init(&p->progress, 0);
    atomic_init(&p->snapshots, 0);
    atomic_init(&p->rendezvous_ns, 0);
    atomic_init(&p->rendezvous, 0);
    cond_init_monotonic(&p->done_cv);
    p->linker = ls;
    p->scn = scn;
    p->ops = ops;
    p->seed = seed;
}

void process_destroy(struct process *p)
{
    struct dl_thread *t = p->threads;
    while (t) {
        struct dl_thread *next = t->next;
        thread_destroy(t);
        free(t);
        t = next;
    }
    tmutex_destroy(&p->mu);
    tcond_destroy(&p->cv);
    pthread_cond_destroy(&p->done_cv);
}

struct dl_thread *process_new_thread(struct process *p, int parent, int role,
                                     const struct script *script)
{
    struct dl_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    tmutex_lock(&p->mu);
    if (p->live >= p->max_threads) {
        tmutex_unlock(&p->mu);
        free(t);
        return NULL;
    }
    thread_init(t, p, p->next_id++, parent, role, script, p->seed);
    t->live = 1;
    t->next = p->threads;
    p->threads = t;
    p->live++;
    if (role != ROLE_DAEMON)
        p->workers_live++;
    sched_thread_add(&t->st);
    tmutex_unlock(&p->mu);
    return t;
}

/* Remove t from the live counts (mu held); returns non-zero when the last
 * worker left. */
static int leave(struct process *p, struct dl_thread *t)
{
    t->live = 0;
    p->live--;
    if (t->role != ROLE_DAEMON && --p->workers_live == 0)
        return 1;
    return 0;
}

void process_drop_thread(struct process *p, struct dl_thread *t)
{
    sched_thread_remove(&t->st); /* before any schedule point: t never runs */
    tmutex_lock(&p->mu);
    leave(p, t);
    t->result = RESULT_ERROR;
    atomic_store(&t->pos.kind, POS_EXITED);
    tmutex_unlock(&p->mu);
}

void process_thread_exit(struct process *p, struct dl_thread *t, int result, uint64_t digest,
                         int64_t last_epoch)
{
    tmutex_lock(&p->mu);
    t->result = result;
    t->digest = digest;
    t->last_epoch = last_epoch;
    if (leave(p, t)) { /* the last worker: the daemons stop */
        atomic_store(&p->draining, 1);
        for (struct dl_thread *d = p->threads; d; d = d->next)
            if (d->live)
                wakeup_send(d, 0);
    }
    /* A checkpoint may have been waiting for this thread to freeze. */
    tcond_broadcast(&p->cv);
    if (p->live == 0)
        pthread_cond_broadcast(&p->done_cv);
    /* Nothing of p is touched after this: the run may end at once. */
    tmutex_unlock(&p->mu);
}

void process_wake_all(struct process *p, const struct dl_thread *except, int64_t epoch)
{
    /* Deliver every signal under the mutex, but notify the sleepers after
     * releasing it: a woken thread's first step (checkpoint_deep_sleep)
     * takes this mutex, and would otherwise block on it at once. */
    struct dl_thread *sleepers[64];
    int n = 0;
    tmutex_lock(&p->mu);
    for (struct dl_thread *t = p->threads; t; t = t->next) {
        if (!t->live || t == except || !wakeup_post(t, epoch))
            continue;
        if (n < (int)(sizeof sleepers / sizeof sleepers[0]))
            sleepers[n++] = t;
        else
            wakeup_notify(t);
    }
    tcond_broadcast(&p->cv);
    tmutex_unlock(&p->mu);
    for (int i = 0; i < n; i++)
        wakeup_notify(sleepers[i]);
}

void process_progress(struct process *p)
{
    atomic_fetch_add_explicit(&p->progress, 1, memory_order_relaxed);
}
