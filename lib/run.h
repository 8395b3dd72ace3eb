/*
 * run.h — one run of a scenario: start the main group, watch for progress,
 * judge the outcome.
 *
 * Owns the run's process and linker state for the length of run_execute and
 * the watchdog.  The orchestrating thread (the caller) is not a protocol
 * thread: it reads the process under its mutex without tracing.
 */
#ifndef DLSYNC_RUN_H
#define DLSYNC_RUN_H

#include <stdint.h>
#include <stdio.h>

struct scenario;

/* Exit codes of a run (and of `dlsync run`). */
enum run_exit {
    RUN_OK = 0,       /* completed, every group agrees */
    RUN_INTERNAL = 1, /* dlsync itself failed */
    RUN_USAGE = 2,    /* bad options or scenario */
    RUN_HANG = 3,     /* the watchdog saw no progress for --timeout */
    RUN_DIVERGED = 4, /* groups' function tables or module lists differ */
    RUN_PROTOCOL = 5, /* a protocol error: replay error, full bus, bootstrap */
};

enum { RUN_MAX_THREADS = 64 };

struct run_config {
    const struct scenario *scn;
    int groups; /* initial groups */
    int ops;    /* actions per worker */
    uint64_t seed;
    int variant;    /* enum variant */
    double timeout; /* seconds without progress before the watchdog ends the run */
    int quiet;      /* no summary */
};

/* Run a scenario to its end and print a summary on out.  Returns the exit
 * code; a hang or a fatal protocol error ends the process (_exit) after the
 * report and the run_end event. */
int run_execute(const struct run_config *cfg, FILE *out);

/* A fatal protocol error (a "panic" of the runtime): report msg, end the
 * run with RUN_PROTOCOL.  Called from protocol threads; does not return. */
_Noreturn void run_fatal(const char *msg);

#endif
