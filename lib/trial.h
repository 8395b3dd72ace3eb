/*
 * trial.h — one run in a child process, and what it tells its parent.
 *
 * A run that hangs ends its process (run.h), and a controlled run may be one
 * of thousands (dlsync explore): each trial forks, runs run_execute in the
 * child, and reads back a result record the child writes to a pipe at the
 * end of the run, whatever the outcome.  Owns the record's text format
 * (one "key value" line each):
 *
 *     status 3                     exit code of the run (enum run_exit)
 *     outcome deadlock             ok deadlock stall livelock hang diverged protocol-error
 *                                  delayed, or stopped (run_config.stop_after_replay)
 *     threads 5                    n: threads that took part
 *     steps 812                    k: schedule points
 *     choices 301
 *     signature TEXT               a hang or a delay: where the threads wait (run.c)
 *     schedule v1:...              controlled runs
 *     choice C D R1,R2,...         with keep_choices: chosen, dfs default, runnable
 *     thread ID CAN_RUN            a stopped run: a live thread, 1 if the next decision
 *                                  may name it (one line each, ascending id)
 *     end
 *
 * Single-threaded in the parent; the child is an ordinary run.
 */
#ifndef DLSYNC_TRIAL_H
#define DLSYNC_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/run.h"
#include "lib/sched.h"

struct trial_result {
    int status;       /* the run's exit code; 128+N when it died of signal N */
    char outcome[24]; /* "crashed" when the child wrote no record */
    int threads;
    int64_t steps, choices;
    char *signature; /* malloc'ed or NULL */
    char *schedule;  /* malloc'ed or NULL */
    struct sched_choice *choice;
    size_t nchoice;
    char *report; /* what the child wrote on stderr (capture), malloc'ed or NULL */
    /* A stopped run (outcome "stopped", run_config.stop_after_replay): its
     * live threads, ascending id, and whether the next decision may name
     * each (sched_stopped_threads). */
    int32_t ids[RUN_MAX_THREADS];
    int can_run[RUN_MAX_THREADS];
    int nthreads;
};

/* A trial under way. */
struct trial {
    int pid;
    int fd;    /* the result pipe's reading end */
    void *err; /* FILE * of the captured stderr, or NULL */
};

/* Start cfg in a child.  capture: the child's stdout is discarded and its
 * stderr kept for the result's report; else both go where the parent's go.
 * Returns 0, or -1 if no child could be started. */
int trial_start(const struct run_config *cfg, int capture, struct trial *t);

/* Wait for t's end and fill r (free with trial_free). */
void trial_finish(struct trial *t, struct trial_result *r);

/* trial_start then trial_finish. */
int trial_run(const struct run_config *cfg, int capture, struct trial_result *r);

void trial_free(struct trial_result *r);

/* The child's side: write r as a record to fd (r->report is not written). */
void trial_write(int fd, const struct trial_result *r);

#endif
