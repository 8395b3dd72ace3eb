/*
 * process.h — the process: its threads, its mutex and condition variable,
 * the checkpoint mode, and the run's bookkeeping (progress, the end of the
 * run).
 *
 * Owns the process mutex (a traced mutex, OBJ_PROCESS_MUTEX) and the process
 * condition variable.  Lock order: the process mutex may be taken with the
 * group mutex, the lease or the state lock held; while holding it a thread
 * takes only leaf locks (a thread's wakeup mutex).
 */
#ifndef DLSYNC_PROCESS_H
#define DLSYNC_PROCESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "lib/mutex.h"

struct dl_thread;
struct linker;
struct scenario;
struct script;

enum checkpoint_mode { CHECKPOINT_EXECUTE = 0, CHECKPOINT_SNAPSHOT = 1 };

struct process {
    struct tmutex mu;
    struct tcond cv;
    _Atomic int checkpoint;    /* enum checkpoint_mode; written under mu */
    struct dl_thread *threads; /* (mu) every thread of the run, newest first */
    int next_id;               /* (mu) */
    int live;                  /* (mu) threads in the thread list */
    int workers_live;          /* (mu) live threads that are not daemons */
    int max_threads;
    _Atomic int draining;      /* every worker is done: daemons stop */
    _Atomic uint64_t progress; /* completed actions and barrier phases */
    _Atomic int snapshots;
    _Atomic int64_t rendezvous_ns; /* instigator entry to lease release, summed */
    _Atomic int64_t rendezvous;    /* epochs that had followers */
    pthread_cond_t done_cv;        /* (mu) signalled when live reaches 0 */

    struct linker *linker;
    const struct scenario *scn;
    int ops;
    uint64_t seed;
    int initial_groups;
};

void process_init(struct process *p, struct linker *ls, const struct scenario *scn, int ops,
                  uint64_t seed, int max_threads);
void process_destroy(struct process *p);

/* A new live thread record running `script` (mu taken inside), known to the
 * scheduler; NULL when the process is at max_threads.  The record stays
 * owned by the process. */
struct dl_thread *process_new_thread(struct process *p, int parent, int role,
                                     const struct script *script);

/* Undo process_new_thread for a thread that never ran (failed spawn). */
void process_drop_thread(struct process *p, struct dl_thread *t);

/* The calling thread leaves the thread list with its result and final
 * table digest.  May start draining and end the run. */
void process_thread_exit(struct process *p, struct dl_thread *t, int result, uint64_t digest,
                         int64_t last_epoch);

/* Send the wakeup signal to every live thread but `except` and wake threads
 * frozen on the process condition variable.  Every wakeup_sent is emitted
 * and every signal is pending before the process mutex is released; threads
 * asleep in wakeup_wait are notified just after. */
void process_wake_all(struct process *p, const struct dl_thread *except, int64_t epoch);

/* Count one unit of progress (for the watchdog). */
void process_progress(struct process *p);

#endif
