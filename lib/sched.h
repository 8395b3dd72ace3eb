/*
 * sched.h — the scheduler: who runs, and when a protocol thread may go on.
 *
 * Two modes, chosen once per run (sched_configure):
 *
 *   SCHED_OS          real parallelism: every thread runs when the OS lets it
 *                     and blocks in its primitive's own OS wait (lib/waitword.h,
 *                     pthread locks).  A schedule point draws from the thread's
 *                     seeded perturbation stream whether to run on, yield the
 *                     CPU or sleep a few microseconds (seed 0: never).
 *
 *   SCHED_CONTROLLED  exactly one protocol thread runs at a time; the others
 *                     wait for their turn.  At every schedule point the running
 *                     thread hands control to the scheduler, which picks the
 *                     next runnable thread by its strategy (random, PCT, or
 *                     the round-robin default of dfs), or by the next decision
 *                     of a schedule being replayed.  A thread blocked in a
 *                     primitive (struct sched_wait) is not runnable until the
 *                     primitive's `ready` says so or the logical clock reaches
 *                     its deadline.  The clock is a discrete-event clock: it
 *                     advances to the next deadline only when no thread is
 *                     runnable.  The run ends when every thread has exited, or
 *                     when no thread can ever run again (see enum
 *                     sched_outcome): the scheduler sees a deadlock at the
 *                     step it happens.
 *
 * Every choice among two or more runnable threads is recorded (the schedule:
 * lib/schedule.h turns it into a string), so that a run replays decision by
 * decision.  Threads are named by their group id.
 *
 * The primitives of lib/ call the scheduler in one place each: sched_point()
 * before a step another thread could race with, sched_wait() where they may
 * block, sched_yield_point() / sched_sleep() for the backoff.  Outside a
 * protocol thread (the orchestrating thread) every call returns at once.
 *
 * Locks: the scheduler's own mutex, a leaf taken by every call above; a
 * controlled thread waits for its turn on its own wait word (a futex),
 * without it.  Callers must hold no leaf lock of lib/ (a bus, barrier, lease or
 * wakeup mutex) at a schedule point: only the group and process mutexes
 * (lib/mutex.h), which the scheduler knows how to wait for, may be held.
 */
#ifndef DLSYNC_SCHED_H
#define DLSYNC_SCHED_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rng.h"

enum sched_mode { SCHED_OS = 0, SCHED_CONTROLLED = 1 };

enum sched_strategy {
    STRATEGY_RANDOM = 0, /* a uniformly random runnable thread at every point */
    STRATEGY_PCT = 1,    /* priorities with depth-1 change points (Burckhardt 2010) */
    STRATEGY_DFS = 2,    /* the round-robin default; explore enumerates deviations */
};

/* How a controlled run ended (sched_run). */
enum sched_outcome {
    SCHED_RUNNING = 0,
    SCHED_DONE,     /* every thread exited */
    SCHED_DEADLOCK, /* no thread runnable, no deadline pending */
    SCHED_STALL,    /* only the end of a guest's sleep or wait could release a
                       thread blocked in the protocol: in the runtime that sleep
                       may have no end */
    SCHED_LIVELOCK, /* threads run (retry, back off) but nothing progresses */
    SCHED_ENDED,    /* a thread ended the run (a fatal protocol error) */
    SCHED_STOPPED,  /* stop_after_replay: the run stopped before its first
                       choice that no replayed decision made */
};

struct sched_config {
    int mode;     /* enum sched_mode */
    int strategy; /* enum sched_strategy */
    uint64_t seed;
    int pct_depth;     /* PCT: d >= 1 (d - 1 priority change points) */
    int64_t pct_steps; /* PCT: the k over which change points are drawn */
    /* Decisions to replay first (thread ids, one per choice), then the
     * strategy continues.  NULL/0: none. */
    const int32_t *replay;
    size_t nreplay;
    /* A livelock: this much logical time, or this many steps, without a
     * tick of *progress.  0: no limit. */
    int64_t livelock_ns;
    int64_t livelock_steps;
    const _Atomic uint64_t *progress;
    int keep_choices; /* record the runnable set of every choice (dfs) */
    /* Stop the run (SCHED_STOPPED) at the first choice of two or more
     * runnable threads that the replayed decisions do not make (they ran
     * out or one did not apply), instead of going on by the strategy
     * (dlsync step: the student makes that decision). */
    int stop_after_replay;
};

/* A protocol thread's record in the scheduler (embedded in struct dl_thread).
 * Fields other than `id` are the scheduler's. */
struct sched_thread {
    int id;                        /* group id */
    int state;                     /* (mu) */
    const struct sched_wait *wait; /* (mu) while blocked */
    int64_t deadline;              /* (mu) logical ns; INT64_MAX: none */
    int timed_out;                 /* (mu) the last wait ended by its deadline */
    _Atomic uint32_t go;           /* its turn: set under mu, waited on (a futex) without */
    int64_t prio;                  /* (mu) PCT priority, higher runs first */
    struct rng perturb;            /* (own) OS mode perturbation */
};

/* What a blocked thread waits for.  `ready(arg)` is evaluated by the
 * scheduler (under its mutex, while no other protocol thread runs) and must
 * only read the state it names; NULL: only the timeout ends the wait.
 * `guest`: a wait of guest code (a scripted sleep, a guest wait), which the
 * protocol does not control; every other wait is the protocol's own. */
struct sched_wait {
    int (*ready)(const void *arg);
    const void *arg;
    int64_t timeout_ns; /* < 0: none */
    int guest;
};

/* Results of sched_wait. */
enum { SW_READY = 0, SW_TIMEOUT = 1, SW_OS = 2 };

/* One recorded choice, with what was possible (keep_choices). */
struct sched_choice {
    int32_t chosen;
    int32_t dflt; /* what the dfs default would have chosen */
    int32_t nrunnable;
    int32_t *runnable; /* ids, ascending */
};

struct sched_stats {
    int threads;      /* threads that ever took part */
    int64_t steps;    /* schedule points (PCT's k) */
    int64_t choices;  /* points with two or more runnable threads */
    int64_t clock_ns; /* the logical clock at the end */
    int64_t replayed; /* decisions of the replayed schedule that applied */
    int64_t diverged; /* 0, or the 1-based replayed decision that did not apply */
    int stall_thread; /* SCHED_STALL: the guest whose sleep would end it */
    int64_t stall_ns; /* ... and how long that sleep still had to run */
};

/* Start a new run (no protocol thread alive).  Resets everything. */
void sched_configure(const struct sched_config *c);

/* The mode of the current run. */
int sched_mode(void);

/* Initialise t for group `id`; seed: the run's seed (perturbation stream).
 * t holds no resource: nothing to destroy. */
void sched_thread_init(struct sched_thread *t, int id, uint64_t seed);

/* Controlled: make t known and runnable, before its OS thread exists (the
 * caller is the running protocol thread, or the orchestrator before
 * sched_run).  sched_thread_remove undoes it for a thread that never ran. */
void sched_thread_add(struct sched_thread *t);
void sched_thread_remove(struct sched_thread *t);

/* First call in t's own OS thread: t becomes the calling thread's record;
 * controlled, it waits for its first turn.  NULL detaches. */
void sched_thread_enter(struct sched_thread *t);

/* Last call of a protocol thread: it leaves the run and hands control on.
 * The caller touches nothing of its record afterwards. */
void sched_thread_exit(void);

/* A schedule point.  Controlled: the scheduler may run another thread
 * first.  OS: the seeded perturbation; a halted run parks here. */
void sched_point(void);

/* A yield (the backoff's spin and yield steps): controlled, the caller runs
 * again only after another runnable thread has had a step; OS: sched_yield. */
void sched_yield_point(void);

/* A sleep of ns nanoseconds (the backoff's sleep): controlled, on the
 * logical clock; OS: nanosleep. */
void sched_sleep(int64_t ns);

/* Block until w is ready or its timeout passes.  Controlled: returns
 * SW_READY (ready(arg) holds now) or SW_TIMEOUT.  OS, or outside a protocol
 * thread: a schedule point, then SW_OS: the caller waits by itself. */
int sched_wait(const struct sched_wait *w);

/* The orchestrator: start the controlled run (threads added) and wait until
 * it ends; returns enum sched_outcome.  On anything but SCHED_DONE the
 * protocol threads stay parked for good. */
int sched_run(void);

/* A protocol thread ends the run from inside it (a fatal error), holding
 * control: no other thread is scheduled again.  Controlled only. */
void sched_end(void);

/* OS mode: every protocol thread parks at its next schedule point. */
void sched_halt(void);

/* Park the calling thread for good if the run was halted or ended. */
void sched_park_if_halted(void);

/* After the run (or at its end, from the thread holding control): */
void sched_get_stats(struct sched_stats *out);
size_t sched_decisions(const int32_t **out);
size_t sched_choices(const struct sched_choice **out);

/* After a run that stopped (SCHED_STOPPED): the live threads at the choice
 * it stopped before, ascending id, in ids[], and in can_run[] whether the
 * next decision may name each (it is among that choice's runnable threads).
 * Returns how many (at most max). */
int sched_stopped_threads(int32_t *ids, int *can_run, int max);

#endif
