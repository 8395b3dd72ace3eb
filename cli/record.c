/*
 * cli/record.c — `dlsync record [--] [RUN OPTIONS...]`: its options, usage
 * and exit codes; every other word goes to the run.  The work is
 * tracer/record.c (record).  No locks.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "tracer/record.h"

enum { O_SNAPSHOT = 0x100, O_TIMEOUT, O_BUFFER };

static const struct opt rows[] = {
    {"output", 'o', "DIR", 'o',
     "write the trace to DIR (created if missing; must be empty).  Default: "
     "./dlsync-traces/SESSION-NAME."},
    {"snapshot", 0, NULL, O_SNAPSHOT,
     "flight-recorder mode: the events stay in small in-memory ring buffers that overwrite the "
     "oldest data; a snapshot is written (to DIR/snapshot-1-DATE-0) only when the run exits "
     "non-zero (hang, divergence, error).  A run that succeeds leaves no trace."},
    {"timeout", 0, "S", O_TIMEOUT,
     "passed to the run as --timeout S (seconds without progress).  record also kills the run if "
     "it is still alive S+10 s after it started."},
    {"buffer-mib", 0, "N", O_BUFFER,
     "ring buffer per CPU, in MiB, split in 8 sub-buffers.  Default: 64 MiB divided by the "
     "number of CPUs, kept between 4 and 32 (1 with --snapshot).  Raise it if record warns that "
     "events were discarded."},
    {"quiet", 'q', NULL, 'q',
     "no summary of the run (it gets --quiet), no note of a session daemon started: only `trace: "
     "PATH`, warnings and errors."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd record_cmd = {
    .name = "record",
    .synopsis = "usage: dlsync record [-o DIR] [--snapshot] [--timeout S] [--buffer-mib N] [-q]\n"
                "                     [--] [RUN OPTIONS...]\n"
                "\n"
                "Run one scenario (`dlsync run RUN OPTIONS...`) and record it as an LTTng-UST\n"
                "trace: every dlsync:* event, with the contexts vtid, vpid and procname, in a\n"
                "recording session of its own (unique name dlsync-PID-DATE-TIME-RANDOM) that\n"
                "admits only the run's process, so recordings made at the same time never mix.\n"
                "A session daemon is started (lttng-sessiond --daemonize --no-kernel, as the\n"
                "calling user) if none answers; it keeps running afterwards.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, NULL}},
    .tail = "Every other argument goes to `dlsync run` unchanged and in order; write them\n"
            "after `--` so none is mistaken for a record option (a leading `run` is\n"
            "dropped).  Run options (dlsync run --help): --scenario NAME --groups N --ops N\n"
            "--seed S --variant NAME --sched controlled|os --strategy random|pct|dfs\n"
            "--pct-depth D --schedule S|@FILE --schedule-from DB --timeout SECONDS.  A\n"
            "controlled run (the default) records its schedule in the trace.\n"
            "\n"
            "Output: the run's own output, then on stdout one line `trace: PATH` naming the\n"
            "trace directory (with --snapshot: the snapshot directory, or nothing when the\n"
            "run succeeded).  Read it with `babeltrace2 PATH`.  Discarded events are\n"
            "reported on stderr with their count.  The run's options and scenario are\n"
            "checked first, as `dlsync run` reads them: when the run would refuse them,\n"
            "record prints the run's message and exits with the run's code (2; 10 or 12\n"
            "for a --schedule-from DB it cannot read) with no session, no directory and no\n"
            "`trace:` line.\n"
            "\n"
            "Environment: DLSYNC_TP_SO=PATH names the provider explicitly (default: next to\n"
            "the dlsync executable, then the install directory).  The run gets\n"
            "DLSYNC_TRACE=1 and DLSYNC_TP_SO set by record.\n"
            "\n"
            "The exit status is the run's own (as dlsync run gives it; 128+N if it died of\n"
            "signal N), or one of record's own below.\n",
    .exits = (const int[]){EX_OK, EX_USAGE, EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, EX_NO_LTTNG,
                           EX_NO_SESSIOND, EX_SESSION, EX_NO_START, EX_TEARDOWN, -1},
    .pass_others = 1,
};

/* arg into the run's arguments; a leading literal `run` is the subcommand's
 * name, not an option.  EX_OK or EX_USAGE after the message. */
static int push_run_arg(struct record_opts *o, const char *arg)
{
    if (o->nrun == 0 && strcmp(arg, "run") == 0)
        return EX_OK;
    if (o->nrun >= MAX_RUN_ARGS)
        return opt_usage_error(&record_cmd, "too many run options (at most %d)", MAX_RUN_ARGS);
    o->run[o->nrun++] = (char *)arg;
    return EX_OK;
}

/* Read argv into o.  Returns -1 to record, else the exit code. */
static int parse(struct record_opts *o, int argc, char **argv)
{
    struct opt_parser p;
    const char *arg;
    char *end;
    int k, rc = EX_OK;
    opt_begin(&p, &record_cmd, argc, argv);
    while (rc == EX_OK && (k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT || k == OPT_BAD)
            return k == OPT_EXIT ? EX_OK : EX_USAGE;
        if (k == OPT_OTHER)
            rc = push_run_arg(o, arg);
        else if (k == 'o')
            o->output = arg;
        else if (k == O_SNAPSHOT)
            o->snapshot = 1;
        else if (k == 'q')
            o->quiet = 1;
        else if (k == O_TIMEOUT) {
            o->timeout_s = strtod(arg, &end);
            o->timeout = arg;
            if (end == arg || *end != '\0' || !(o->timeout_s > 0))
                rc = opt_usage_error(&record_cmd,
                                     "--timeout wants a positive number of seconds, not '%s'", arg);
        } else if (k == O_BUFFER) {
            o->buffer_mib = strtol(arg, &end, 10);
            if (end == arg || *end != '\0' || o->buffer_mib < 1 || o->buffer_mib > 4096)
                rc = opt_usage_error(
                    &record_cmd,
                    "--buffer-mib wants a whole number of MiB from 1 to 4096, not '%s'", arg);
        }
    }
    for (int i = p.next; rc == EX_OK && i < argc; i++) /* everything after `--` */
        rc = push_run_arg(o, argv[i]);
    return rc == EX_OK ? -1 : rc;
}

int cmd_record(int argc, char **argv)
{
    struct record_opts o = {0};
    int rc = parse(&o, argc, argv);
    return rc >= 0 ? rc : record(&o);
}
