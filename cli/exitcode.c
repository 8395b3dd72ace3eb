/*
 * cli/exitcode.c — the one table of exit codes (cli/exitcode.h) and its
 * --help form.  Constant data; takes no locks.
 */
#include "cli/exitcode.h"

#include <assert.h>
#include <string.h>

#include "lib/run.h"

/* A run's own codes are rows of the table. */
static_assert((int)RUN_OK == EX_OK && (int)RUN_INTERNAL == EX_INTERNAL &&
                  (int)RUN_USAGE == EX_USAGE && (int)RUN_HANG == EX_HANG &&
                  (int)RUN_DIVERGED == EX_DIVERGED && (int)RUN_PROTOCOL == EX_PROTOCOL &&
                  (int)RUN_DELAYED == EX_DELAYED,
              "lib/run.h's enum run_exit must match cli/exitcode.h");

const struct exit_row exit_table[EX_COUNT] = {
    {EX_OK, "ok",
     "success: the run completed and every group agrees, the trace is\n"
     "ingested, the output written, the run is clean, the runs are the same"},
    {EX_INTERNAL, "internal", "internal error (out of memory, babeltrace2 plugins missing, ...)"},
    {EX_USAGE, "usage",
     "bad usage: an unknown option, a value that does not parse (--run,\n"
     "--at, --from, ...), a bad scenario file or schedule (the message\n"
     "names the file, line and cause)"},
    {EX_HANG, "hang",
     "hang: a deadlock (no thread can ever run), a stall (only the end of\n"
     "a guest's sleep could release the protocol) or a livelock (no\n"
     "progress for --timeout s); check: a deadlock or stall found"},
    {EX_DIVERGED, "diverged", "divergence: groups' function tables or module lists differ"},
    {EX_PROTOCOL, "protocol",
     "protocol error: a replay failed, a broadcast found the bus full,\n"
     "the bootstrap check failed; check: an invariant (I1-I9) or an\n"
     "exclusion rule broken"},
    {EX_DELAYED, "delayed",
     "delayed: an epoch waited for a party that was sent a wakeup and\n"
     "did not take it until its sleep or guest wait ended (check: a\n"
     "healed-stall finding)"},
    {EX_PREDICTED, "predicted",
     "check: no finding but lock orders that another interleaving\n"
     "could turn into a deadlock (lock-order)"},
    {EX_UNRELIABLE, "unreliable",
     "check: every finding is unreliable (the trace's gaps could\n"
     "explain each one)"},
    {EX_PARTED, "parted",
     "the two runs part (diff; run --check-determinism, --compare-with;\n"
     "explore: a schedule that did not replay the same way)"},
    {EX_NO_INPUT, "no-input",
     "the input cannot be opened or read: no trace (missing, empty, no\n"
     "CTF trace); a database missing, a directory, an empty file, not\n"
     "a dlsync database, another schema version, locked by another\n"
     "process, or a hot journal on read-only media"},
    {EX_CORRUPT, "corrupt",
     "corrupt input: corrupt metadata, a truncated or corrupt stream or\n"
     "index, a value no dlsync event has, no dlsync events (or those\n"
     "of more than 64 processes), or the reader died or stalled"},
    {EX_NOT_FOUND, "not-found", "not found: no such run, epoch, thread or seq, or an empty range"},
    {EX_OUTPUT, "output",
     "the output cannot be written: a file, a directory that is not\n"
     "empty, Graphviz, or (ingest, check) a database that is\n"
     "unwritable, locked, or not a dlsync database of this schema"},
    {EX_DISK_FULL, "disk-full", "disk full"},
    {EX_INTERRUPTED, "interrupted", "interrupted (SIGINT, SIGTERM, SIGHUP)"},
    {EX_NO_LTTNG, "no-lttng",
     "record: LTTng missing (lttng-sessiond not installed: Debian package\n"
     "lttng-tools), libdlsync-tp.so not found, or tracing compiled out"},
    {EX_NO_SESSIOND, "no-sessiond", "record: no session daemon answers and none could be started"},
    {EX_SESSION, "session", "record: the recording session could not be created or set up"},
    {EX_NO_START, "no-start", "record: the run could not be started"},
    {EX_TEARDOWN, "teardown",
     "record: stopping, snapshotting or destroying the session failed:\n"
     "the trace may be incomplete"},
    {EX_MARKS, "marks",
     "grade: the submission was graded and scored less than full marks\n"
     "(the summary and results.json say which tests lost marks)"},
};

static void row(FILE *f, const struct exit_row *r)
{
    assert(r->code >= 0 && r->code < EX_COUNT);
    fprintf(f, "  %2d  ", r->code);
    for (const char *s = r->meaning; *s;) {
        size_t n = strcspn(s, "\n");
        fprintf(f, "%.*s\n", (int)n, s);
        s += n;
        if (*s == '\n') {
            s++;
            fputs("      ", f);
        }
    }
}

void exit_help(FILE *f, const int *codes)
{
    fputs("\nExit status:\n", f);
    if (!codes) {
        for (int c = 0; c < EX_COUNT; c++)
            row(f, &exit_table[c]);
        return;
    }
    for (; *codes >= 0; codes++)
        row(f, &exit_table[*codes]);
}
