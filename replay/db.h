/*
 * replay/db.h — the SQLite side of the replay part: opening a database for
 * ingest (so that an interrupted ingest leaves it as it was), the prepared
 * inserts, and picking a run and reading its events back in seq order.
 *
 * Owns: struct db and its connection(s).  Not thread safe: one db is used by
 * one thread at a time.  Takes SQLite's file locks: an ingest holds the
 * database's write lock (RESERVED, or EXCLUSIVE when it replaces the whole
 * file) from db_ingest_open to db_ingest_commit/abort.
 */
#ifndef DLSYNC_REPLAY_DB_H
#define DLSYNC_REPLAY_DB_H

#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>

#include "replay/event.h"
#include "replay/model.h"

/* Outcome classes (ingest maps them to exit codes). */
enum db_status {
    DB_OK = 0,
    DB_LOCKED,     /* another connection holds the database (busy timeout ran out) */
    DB_UNWRITABLE, /* cannot create or write the file or its directory */
    DB_FULL,       /* the disk (or quota) is full */
    DB_NOT_OURS,   /* the file is not a dlsync database (or a newer schema) */
    DB_CORRUPT,    /* a row holds a value no dlsync event has (rev_check) */
    DB_FAILED,     /* any other SQLite error */
};

struct db {
    sqlite3 *h;              /* where rows go */
    sqlite3 *target;         /* the existing file, held locked, when h is a temp file */
    char path[PATH_MAX];     /* the database the user named */
    char tmp[PATH_MAX + 32]; /* temp file renamed to path on commit ("" if none) */
    sqlite3_stmt *ins_event, *ins_hold, *ins_wait, *ins_epoch, *ins_rdv, *ins_thread, *ins_object,
        *ins_count, *ins_discarded;
    int64_t run_id;
    const volatile sig_atomic_t *stop; /* ingest: non-zero gives up a busy wait or a
                                          statement at once (SQLITE_INTERRUPT) */
    int busy_ms;
    int status;    /* enum db_status of the first failure, sticky */
    char err[512]; /* its message */
};

/* Open path for ingesting the traces in trace_paths[0..n) (absolute
 * directories), in one transaction.  If path does not exist, or every run in
 * it comes from one of these traces, the rows go to a temp file next to path
 * that db_ingest_commit renames over it (the old file stays locked until
 * then); else they go into path itself after the old runs of these traces
 * are deleted (*replaced counts them: every process's run of a trace, since
 * an ingest makes them all again).  busy_ms: how long to wait for another
 * connection's lock.  stop (set by a signal handler, never NULL): once it
 * is non-zero, a wait for a lock or a running statement gives up, here and
 * until db_ingest_commit/abort.  Returns DB_OK or a status with db->err
 * set. */
int db_ingest_open(struct db *db, const char *path, char *const *trace_paths, int n, int busy_ms,
                   const volatile sig_atomic_t *stop, int *replaced);

/* Start the run of one trace: a runs row; *seq_base is the seq the run's
 * first event must get (events are numbered on from there). */
int db_run_begin(struct db *db, const char *trace_path, int64_t *seq_base);

/* Rows.  Each returns db->status (sticky: after a failure they do nothing). */
int db_put_event(struct db *db, const struct rev *e);
int db_put_discarded(struct db *db, uint64_t count, int64_t beg_ts, int64_t end_ts);
extern const struct model_sink db_sink_template; /* sink whose ctx is a struct db */

/* Finish the run: its summary, per-kind counts (emitted may be NULL), its
 * objects and threads are in place (db_sink_template.thread). */
struct run_summary {
    char uuid[37];
    int64_t vpid; /* the process the run's events came from; -1: unknown */
    const struct model *m;
    uint64_t events, discarded, foreign;
    int64_t first_seq;
    const uint64_t *ingested; /* [EV_KIND_COUNT] */
    const uint64_t *emitted;  /* [EV_KIND_COUNT] or NULL */
};
int db_run_end(struct db *db, const struct run_summary *s);

/* Make it all visible at once (indexes, views, commit, rename), or drop it. */
int db_ingest_commit(struct db *db);
void db_ingest_abort(struct db *db);

/* Remove temp files of ingests that were killed (their pid is gone). */
void db_clean_stale(const char *path);

/* Open an existing dlsync database for reading (and writing findings if
 * rw), waiting up to busy_ms for another process's write lock.  A hot
 * journal (a write interrupted) is rolled back first, as SQLite does, which
 * needs write access even when !rw.  Returns DB_OK, or the status with
 * db->err naming the file and the cause; every command that reads a
 * database opens it here, so that each condition is told the same way:
 *   missing or unreadable file      DB_UNWRITABLE  "cannot open: <errno>"
 *   a directory, not a regular file,
 *   an empty file, no tables, not
 *   SQLite, a schema version other
 *   than this dlsync's              DB_NOT_OURS    (named)
 *   write lock held past busy_ms    DB_LOCKED      "locked by another process"
 *   hot journal on read-only media  DB_UNWRITABLE  "hot journal ... read-only media"
 * The caller closes db (db_close) whatever the outcome. */
int db_open(struct db *db, const char *path, int rw, int busy_ms);
void db_close(struct db *db);

/* A run's row of the runs table, as `state` and `check` need it. */
struct db_run {
    int64_t id;
    int64_t start_ts;            /* its first event's timestamp */
    int64_t first_seq, last_seq; /* its events' seqs */
    int64_t discarded;           /* events the tracer dropped */
};

/* The run to look at, into *r: run_id if > 0, else the newest (the largest
 * run_id: every command that reads a run picks the newest here).  0 on
 * success, -1 with db->err set ("no run N", "holds no run") if there is no
 * such run (or it cannot be read). */
int db_pick_run(struct db *db, int64_t run_id, struct db_run *r);

struct gaps;
/* What run's trace lacks, into *g (replay/gaps.h): runs.discarded, its rows
 * of the discarded table, and per kind what run_end counted beyond what was
 * ingested (run_counts).  0 on success; -1 with db->err set. */
int db_run_gaps(struct db *db, const struct db_run *run, struct gaps *g);

/* How run was made, from its runs row: what `dlsync run --schedule-from`
 * needs to make it again. */
struct db_recipe {
    char scenario[64], variant[64];
    int64_t seed, groups, ops;
    int sched;         /* 0 os, 1 controlled (ev_sched_name) */
    int strategy;      /* ev_strategy_name's number; -1 unknown */
    int64_t pct_depth; /* 0 unless pct */
    char *schedule;    /* malloc'ed; NULL when the run has none */
};

/* Read r's recipe.  0 on success; -1 with db->err set when the row is
 * missing or lacks what a run needs (a trace older than the controlled
 * scheduler has no ops). */
int db_run_recipe(struct db *db, const struct db_run *run, struct db_recipe *r);

/* Call fn for each event of run, in seq order, up to and including upto
 * (0: all) or up to time upto_ts (INT64_MAX: all).  fn returns non-zero to
 * stop.  Returns the number of events read, -1 on error. */
/* The columns of an event row, in the order db_event_of_row reads them. */
#define DB_EVENT_COLUMNS "seq, ts, kind, grp, vtid, obj, mode, how, epoch, phase, lease, a, b, str"

/* The event in st's current row, selected as DB_EVENT_COLUMNS (a NULL group
 * or vtid reads -1; vpid is the run's, not the row's: -1).  e->str points
 * into st's row: valid until its next step.  Returns 0, or -1 when the row
 * fails rev_check (why says which field). */
int db_event_of_row(sqlite3_stmt *st, struct rev *e, char *why, size_t n);

int64_t db_scan_events(struct db *db, int64_t run, int64_t upto_seq, int64_t upto_ts,
                       int (*fn)(void *, const struct rev *), void *arg);

/* The same for the events of run with from <= seq <= to. */
int64_t db_scan_range(struct db *db, int64_t run, int64_t from, int64_t to,
                      int (*fn)(void *, const struct rev *), void *arg);

/* The seq of run's events that time ts (absolute ns) names: the last with
 * ts <= the time (run->first_seq - 1 if none) when !from, the first with
 * ts >= the time (run->last_seq + 1 if none) when from.  -1 with db->err
 * set on an error. */
int64_t db_seq_at_ts(struct db *db, const struct db_run *run, int64_t ts, int from);

/* Map an SQLite result code to enum db_status. */
int db_status_of(int sqlite_rc);

/* Why an SQLite call failed with (extended) result code rc, in words a user
 * can act on: a lock, a full disk, a hot journal on read-only media, not an
 * SQLite file; else SQLite's message of h (NULL: of rc). */
const char *db_cause(int rc, sqlite3 *h);

#endif
