/*
 * run.h — one run of a scenario: start the main group, let the scheduler
 * run it (controlled) or watch it (OS), judge the outcome, record how it
 * was made.
 *
 * Owns the run's process and linker state for the length of run_execute,
 * the OS mode's watchdog and the reports of a run that cannot end.  The
 * orchestrating thread (the caller) is not a protocol thread: it reads the
 * process under its mutex without tracing.
 */
#ifndef DLSYNC_RUN_H
#define DLSYNC_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct scenario;

/* Exit codes of a run (and of `dlsync run`). */
enum run_exit {
    RUN_OK = 0,       /* completed, every group agrees */
    RUN_INTERNAL = 1, /* dlsync itself failed */
    RUN_USAGE = 2,    /* bad options or scenario */
    RUN_HANG = 3,     /* a deadlock, a stall or a livelock (controlled), or the
                         watchdog saw no progress for --timeout (OS) */
    RUN_DIVERGED = 4, /* groups' function tables or module lists differ */
    RUN_PROTOCOL = 5, /* a protocol error: replay error, full bus, bootstrap */
    RUN_DELAYED = 6,  /* an epoch waited at phase 1 for a party that was sent a
                         wakeup and did not take it until its sleep or guest
                         wait ended: in the runtime that wait may have no end */
};

enum { RUN_MAX_THREADS = 64 };

struct run_config {
    const struct scenario *scn;
    const char *scenario_arg; /* the scenario as the user named it (replay command) */
    int groups;               /* initial groups */
    int ops;                  /* actions per worker */
    uint64_t seed;
    int variant;       /* enum variant */
    const char *label; /* run_begin's variant field in its place (NULL: the variant's name) */
    double timeout;    /* seconds without progress: the OS watchdog; controlled,
                          seconds of logical time (a livelock) */
    int quiet;         /* no summary */

    int sched;               /* enum sched_mode */
    int strategy;            /* enum sched_strategy */
    int pct_depth;           /* PCT d */
    int64_t pct_steps;       /* PCT: k over which the change points are drawn */
    const int32_t *schedule; /* decisions to replay first, or NULL */
    size_t nschedule;
    int keep_choices;      /* record every choice's runnable set (for dfs) */
    int stop_after_replay; /* stop at the first choice the schedule does not
                              make: report where each thread is and which
                              may run next (lib/trial.h), end the process */

    FILE *schedule_out;  /* the run's schedule string is written here (or NULL) */
    FILE *events_out;    /* every event, one line each (ev_log), or NULL */
    int result_fd;       /* >= 0: a machine-readable result (lib/trial.h) */
    const char *program; /* how to call dlsync in the replay command */
};

/* Run a scenario to its end and print a summary on out.  Returns the exit
 * code; a run that cannot end (hang) or a fatal protocol error ends the
 * process (_exit) after the report, the schedule and the run_end event. */
int run_execute(const struct run_config *cfg, FILE *out);

/* The options that replay cfg's run with schedule sched, each after a
 * space (" --scenario NAME ... --schedule SCHED"), onto f: the replay
 * command of a failed run, and of explore --check. */
void run_put_options(FILE *f, const struct run_config *cfg, const char *sched);

#endif
