/*
 * replay/ingest.h — the work of `dlsync ingest` (cli/ingest.c reads its
 * command line): recorded traces into a SQLite database, in one
 * transaction.  See replay/ingest.c for what it owns and its locks.
 */
#ifndef DLSYNC_REPLAY_INGEST_H
#define DLSYNC_REPLAY_INGEST_H

struct ingest_opts {
    const char *trace; /* a trace directory, or one above trace directories */
    const char *db;    /* the database; NULL: TRACE/dlsync.db */
    int busy_ms;       /* wait this long for another process's lock on db */
    int quiet;         /* no summary on stdout */
    int progress;      /* a progress bar on a terminal */
    int partial;       /* a missing or empty stream file is a gap, not an error */
    int stall_s;       /* seconds the reader may go without progress */
    int unchecked;     /* the trace to libbabeltrace2 without the checks (tests) */
};

/* Ingest o->trace into o->db.  Returns the exit code (cli/exitcode.h):
 * EX_OK, EX_INTERNAL, EX_NO_INPUT, EX_CORRUPT, EX_OUTPUT, EX_DISK_FULL or
 * EX_INTERRUPTED, the message on stderr; on any failure the database is as
 * it was. */
int ingest(const struct ingest_opts *o);

#endif
