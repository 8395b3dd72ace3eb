/*
 * tracer/record.h — the work of `dlsync record` (cli/record.c reads its
 * command line): one run under an LTTng-UST recording session of its own.
 *
 * Owns nothing shared; see tracer/record.c.
 */
#ifndef DLSYNC_TRACER_RECORD_H
#define DLSYNC_TRACER_RECORD_H

enum { MAX_RUN_ARGS = 256 };

/* What `dlsync record` was asked. */
struct record_opts {
    const char *output;  /* -o DIR, or NULL: ./dlsync-traces/SESSION */
    const char *timeout; /* --timeout as given (passed to the run), or NULL */
    double timeout_s;    /* its value, > 0 */
    int snapshot;        /* flight-recorder mode */
    int quiet;           /* the run gets --quiet; no note of a daemon started */
    long buffer_mib;     /* ring buffer per CPU; 0: the default */
    int nrun;
    char *run[MAX_RUN_ARGS]; /* the run's arguments, in order */
};

/* Record one `dlsync run` with o->run.  Returns the process exit status:
 * the run's own status, 128+N if it died of signal N, or one of record's
 * own (cli/exitcode.h).  Forks and execs /proc/self/exe as `dlsync run ...`;
 * installs SIGINT/SIGTERM/SIGHUP handlers while the run lives and restores
 * the previous ones before returning. */
int record(const struct record_opts *o);

#endif
