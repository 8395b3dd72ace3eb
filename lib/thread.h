/*
 * thread.h — a protocol thread: one OS thread running one instance group.
 *
 * Owns the per-thread record every module reaches through thread_self():
 * the group, the thread's seeded generator, its record in the scheduler,
 * the event counters, the wakeup signal, the published position and the
 * spawn handshake.  Fields marked (proc) are
 * guarded by the process mutex; (own) are touched only by the thread itself;
 * (fin) by fin_mu.
 */
#ifndef DLSYNC_THREAD_H
#define DLSYNC_THREAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "lib/position.h"
#include "lib/rng.h"
#include "lib/sched.h"
#include "tracer/events.h"

struct process;
struct group;
struct script;

/* The per-thread wakeup signal (host-only, like WASIX's Sigwakeup). */
struct wakeup {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pending;        /* (mu) a signal arrived and was not consumed yet */
    int waiting;        /* (mu) threads blocked on cv in wakeup_wait */
    _Atomic int posted; /* copy of pending, written under mu, read by a
                           spinning wakeup_wait without it */
    /* (mu) The last wakeup sent for an epoch since the thread last took
     * one: its epoch (0: none) and its sender's group id.  A discarded
     * wakeup stays untaken. */
    int64_t untaken_epoch;
    int untaken_from;
    /* (mu) untaken_epoch and untaken_from as the thread's last wait that ran
     * to its end (WAITED_FULL) left them, read at its end in the same
     * critical section: a wakeup sent after that end delayed nothing. */
    int64_t full_epoch;
    int full_from;
};

struct dl_thread {
    int id;     /* group id, also the thread's index in the run */
    int parent; /* group id of the parent, -1 for the main group */
    int role;   /* enum ev_role */
    char name[16];
    const struct script *script;
    struct process *proc;
    struct group *group; /* (own) */
    struct ev_thread ev;
    struct rng rng;         /* (own) the thread's own choices (`any`, stale reads) */
    struct sched_thread st; /* the scheduler's record of this thread */
    struct wakeup wakeup;
    struct position pos;
    int flag_view; /* (own) last value read from the pending flag */

    int checkpointing;   /* (proc) frozen at a checkpoint */
    int deep_sleeping;   /* (proc) in a scripted sleep: counts as frozen */
    int live;            /* (proc) in the process's thread list */
    int result;          /* (proc) exit status, enum ev_result */
    uint64_t digest;     /* (proc) final table digest, set at exit */
    int64_t last_epoch;  /* (proc) last epoch the group took part in, set at exit */
    int left_subscribed; /* (proc) exited with its receivers still on the buses */

    int64_t lease; /* lease handed over by the parent (spawn), 0 if none */
    pthread_mutex_t fin_mu;
    pthread_cond_t fin_cv;
    _Atomic int finalised; /* (fin) the child finished spawn finalisation */

    pthread_t pt;
    struct dl_thread *next; /* (proc) every thread of the run */
};

/* The calling thread's record, or NULL outside protocol threads. */
struct dl_thread *thread_self(void);

/* A non-zero number unique to the calling thread among the live threads,
 * protocol thread or not: what a lock records as its holder so that "held
 * by the caller" can be asserted.  No tracing, no lock. */
uintptr_t thread_key(void);

/* Make t the calling thread's record, attach its event counters and enter
 * the scheduler (controlled: wait for the first turn).  NULL: the calling
 * thread is no protocol thread any more. */
void thread_enter(struct dl_thread *t);

/* Initialise a record (not yet running). */
void thread_init(struct dl_thread *t, struct process *proc, int id, int parent, int role,
                 const struct script *script, uint64_t seed);

void thread_destroy(struct dl_thread *t);

/* Send the wakeup signal to t (from the calling thread): it interrupts t's
 * sleep or guest wait.  Emits wakeup_sent.  To reach a thread frozen at a
 * checkpoint as well, use process_wake_all. */
void wakeup_send(struct dl_thread *t, int64_t epoch);

/* wakeup_send in two halves, so that a caller holding a lock can deliver the
 * signal under it and notify the sleeper after releasing it (the woken
 * thread then does not run straight into that lock).  wakeup_post emits
 * wakeup_sent and marks the signal pending: from then on every check of t
 * sees it.  It returns non-zero when t is blocked in wakeup_wait and must be
 * notified with wakeup_notify (no lock needed; t's record outlives the
 * run). */
int wakeup_post(struct dl_thread *t, int64_t epoch);
void wakeup_notify(struct dl_thread *t);

/* Consume a pending wakeup of the calling thread; returns 1 if there was one
 * (the thread takes it: it acts on it). */
int wakeup_take(struct dl_thread *self);

/* Discard a pending wakeup without acting on it (the lost-wakeup variant):
 * it stays untaken (wakeup_untaken). */
void wakeup_discard(struct dl_thread *self);

/* Ask after a wait of the calling thread that ended WAITED_FULL: the epoch
 * of the last wakeup sent to it for an epoch (epoch > 0) after it last took
 * one, as the wait's end saw it, or 0 if none; *from: the group that sent
 * it.  In the correct protocol an interruptible wait that ended WAITED_FULL
 * leaves none: a wakeup pending at its end ends it as woken. */
int64_t wakeup_untaken(struct dl_thread *self, int *from);

/*
 * Wait up to `usec` microseconds on the calling thread's wakeup signal: a
 * guest's sleep or wait (controlled: on the logical clock; OS: an
 * interruptible wait spins briefly first, see waitword.h).
 * interruptible: a wakeup (pending already, arriving, or pending when the
 * deadline passes) ends the wait and is taken.  stop (may be NULL): when it
 * reads non-zero the wait ends.
 * Returns enum ev_wait_result; the caller traces the wait.
 */
int wakeup_wait(struct dl_thread *self, int64_t usec, int interruptible, const _Atomic int *stop);

#endif
