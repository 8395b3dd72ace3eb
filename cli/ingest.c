/*
 * cli/ingest.c — `dlsync ingest TRACE`: its options, environment, usage and
 * exit codes; the work is replay/ingest.c (ingest).  No locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "replay/ingest.h"

enum { O_BUSY = 0x100, O_NO_PROGRESS, O_PARTIAL, STALL_S = 60 };

static const struct opt rows[] = {
    {"db", 'd', "DB", 'd', "the database (created if missing).  Default: TRACE/dlsync.db"},
    {"partial", 0, NULL, O_PARTIAL,
     "ingest what is there of an incomplete trace: a stream file that is missing or empty "
     "although its index lists packets becomes a gap (a row of the discarded table, count 0 = "
     "unknown) instead of an error."},
    {"busy-timeout", 0, "MS", O_BUSY,
     "how long to wait for another process's lock on DB.  Default: 5000."},
    {"quiet", 'q', NULL, 'q', "no summary on stdout."},
    {"no-progress", 0, NULL, O_NO_PROGRESS, "no progress bar (shown on a terminal after 1 s)."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd ingest_cmd = {
    .name = "ingest",
    .synopsis = "usage: dlsync ingest TRACE [-d DB] [--partial] [--busy-timeout MS] [-q]\n"
                "                     [--no-progress]\n"
                "\n"
                "Read a trace made by `dlsync record` or by a plain LTTng session (TRACE: the\n"
                "directory it printed, or any directory above the CTF streams: every directory\n"
                "under it holding a `metadata` file is one trace) through libbabeltrace2 and\n"
                "store it in a SQLite database (docs/schema.md): runs, threads, objects, every\n"
                "event in time order, and the derived tables holds, waits, epochs and\n"
                "rendezvous.  Query it with `sqlite3 DB`, or with `dlsync state` and\n"
                "`dlsync check`.  A trace holding the events of several processes (the `vpid`\n"
                "context; LTTng's per-UID buffers share the stream files) gives one run per\n"
                "process, at most 64.\n"
                "\n"
                "The ingest is one transaction: interrupted (Ctrl-C, kill, even kill -9), the\n"
                "database stays as it was.  A trace already in the database (same directory) is\n"
                "replaced, never duplicated.  Before libbabeltrace2 reads a trace, its metadata,\n"
                "index and stream files are checked; the library then runs in a process of its\n"
                "own, so that a corrupt trace is an error naming the file, never a crash or a\n"
                "hang.  Events the tracer discarded are counted in runs.discarded and reported\n"
                "here, so that a gap is not mistaken for a hang; so are kinds of which the trace\n"
                "holds fewer events than run_end says were emitted.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, NULL}},
    .tail = "Environment:\n"
            "  DLSYNC_INGEST_STALL_S  seconds the trace reader may go without progress\n"
            "                       before it is killed as looping (1..3600; default 60).\n"
            "  DLSYNC_INGEST_UNCHECKED=1  hand the trace to libbabeltrace2 without the checks\n"
            "                       (tests of the reader's own guards only).\n",
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_CORRUPT, EX_OUTPUT,
                           EX_DISK_FULL, EX_INTERRUPTED, -1},
};

/* The environment's part of o.  EX_OK or EX_USAGE after the message. */
static int from_env(struct ingest_opts *o)
{
    const char *stall = getenv("DLSYNC_INGEST_STALL_S");
    if (stall && *stall) {
        char *end;
        long v = strtol(stall, &end, 10);
        if (*end || v < 1 || v > 3600) {
            fprintf(stderr, "dlsync ingest: DLSYNC_INGEST_STALL_S wants 1..3600, not '%s'\n",
                    stall);
            return EX_USAGE;
        }
        o->stall_s = (int)v;
    }
    const char *unchecked = getenv("DLSYNC_INGEST_UNCHECKED");
    o->unchecked = unchecked && strcmp(unchecked, "1") == 0;
    return EX_OK;
}

int cmd_ingest(int argc, char **argv)
{
    struct ingest_opts o = {.busy_ms = 5000, .progress = 1, .stall_s = STALL_S};
    struct opt_parser p;
    const char *arg;
    char *end;
    int k;
    opt_begin(&p, &ingest_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == 'd')
            o.db = arg;
        o.quiet |= k == 'q';
        o.partial |= k == O_PARTIAL;
        if (k == O_NO_PROGRESS)
            o.progress = 0;
        if (k == O_BUSY) {
            long v = strtol(arg, &end, 10);
            if (*end || !*arg || v < 0 || v > 3600000)
                return opt_usage_error(&ingest_cmd, "--busy-timeout wants milliseconds, not '%s'",
                                       arg);
            o.busy_ms = (int)v;
        }
    }
    if (p.next != argc - 1)
        return opt_usage_error(&ingest_cmd, "exactly one TRACE directory expected");
    o.trace = argv[p.next];
    int rc = from_env(&o);
    return rc != EX_OK ? rc : ingest(&o);
}
