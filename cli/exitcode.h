/*
 * cli/exitcode.h — the exit codes of every `dlsync` command, from one
 * table: the same code for the same condition in run, explore, record,
 * ingest, state, check, draw, replay and diff.  Each command's --help prints
 * the rows it uses (exit_help), `dlsync --help` and README.md the whole
 * table.  The codes of a run (lib/run.h, enum run_exit) are rows 0-6 of it
 * (exitcode.c asserts they agree).  No state; takes no locks.
 */
#ifndef DLSYNC_CLI_EXITCODE_H
#define DLSYNC_CLI_EXITCODE_H

#include <stdio.h>

enum {
    EX_OK = 0,           /* success, or a clean verdict */
    EX_INTERNAL = 1,     /* dlsync itself failed */
    EX_USAGE = 2,        /* bad options, scenario file or schedule */
    EX_HANG = 3,         /* a deadlock, stall or livelock */
    EX_DIVERGED = 4,     /* groups' function tables or module lists differ */
    EX_PROTOCOL = 5,     /* a protocol error, an invariant broken */
    EX_DELAYED = 6,      /* an epoch delayed by an untaken wakeup (healed stall) */
    EX_PREDICTED = 7,    /* check: only lock orders that could deadlock */
    EX_UNRELIABLE = 8,   /* check: every finding could be a gap of the trace */
    EX_PARTED = 9,       /* two runs part (diff, --check-determinism, --compare-with) */
    EX_NO_INPUT = 10,    /* the input cannot be opened or read */
    EX_CORRUPT = 11,     /* the input is corrupt, or not dlsync's */
    EX_NOT_FOUND = 12,   /* no such run, epoch, thread or seq; nothing to draw */
    EX_OUTPUT = 13,      /* the output cannot be written */
    EX_DISK_FULL = 14,   /* the disk (or quota) is full */
    EX_INTERRUPTED = 15, /* SIGINT, SIGTERM or SIGHUP */
    EX_NO_LTTNG = 16,    /* record: LTTng or the tracepoint provider missing */
    EX_NO_SESSIOND = 17, /* record: no session daemon, none could be started */
    EX_SESSION = 18,     /* record: the session could not be created or set up */
    EX_NO_START = 19,    /* record: the run could not be started */
    EX_TEARDOWN = 20,    /* record: stopping or destroying the session failed */
    EX_MARKS = 21,       /* grade: the submission scored less than full marks */
    EX_COUNT
};

struct exit_row {
    int code;
    const char *name;    /* one word, as README.md's table names it */
    const char *meaning; /* lines of at most 66 columns, '\n' between them */
};

/* The table, one row per code, in code order (exit_table[c].code == c). */
extern const struct exit_row exit_table[EX_COUNT];

/* Print "Exit status:" and the rows of codes (ascending, ended by -1) on f,
 * as every --help ends; codes NULL: every row. */
void exit_help(FILE *f, const int *codes);

#endif
