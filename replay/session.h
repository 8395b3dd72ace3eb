/*
 * replay/session.h — the one reader of a recorded run, for the commands that
 * show it (`dlsync state`, `dlsync draw`, `dlsync replay`): the database (db_open), the run
 * (db_pick_run), its events in seq order (db_scan_range), the epochs worth
 * a closer look and its threads; and its findings, judged on demand by the
 * same pass as `dlsync check` (check_run), never read from a table that only
 * exists if check was run after the last ingest.  Only replay/ knows table
 * and column names (replay/schema.c defines them): viz/ asks here.
 *
 * Owns: struct session and its database connection (read-only).  Not thread
 * safe; takes SQLite's shared file lock while a statement runs.
 */
#ifndef DLSYNC_REPLAY_SESSION_H
#define DLSYNC_REPLAY_SESSION_H

#include <stdint.h>

#include "replay/db.h"
#include "replay/event.h"
#include "replay/findings.h"
#include "replay/model.h"
#include "replay/moment.h"

enum session_status {
    SESSION_OK = 0,
    SESSION_NO_DB,  /* cannot open or read it, or not a dlsync database (db_open says which) */
    SESSION_NO_RUN, /* no such run, or the database holds none, or the run has no events */
};

struct session {
    struct db db;
    struct db_run row; /* the run, as db_pick_run read it */
    const char *path;
    int64_t run, first_seq, last_seq, t0; /* row's id, seqs and start_ts */
    char scenario[64];
    int64_t seed;
    char err[512];
};

/* Open path read-only with db_open (replay/db.c, which tells what is wrong
 * with a database the same way for every command) and pick run with
 * db_pick_run (0: the newest, as every command picks it).  On failure returns
 * a session_status with s->err naming the file and the cause; session_close
 * it whatever the outcome. */
int session_open(struct session *s, const char *path, int64_t run);
void session_close(struct session *s);

/* Calls fn for each event of the run with from <= seq <= to, in seq order;
 * fn returns non-zero to stop.  Returns events read, or -1 (s->err set). */
int64_t session_scan(struct session *s, int64_t from, int64_t to,
                     int (*fn)(void *, const struct rev *), void *arg);

/* The state just after event seq upto (< first_seq: before the run's first
 * event): every event of the run up to it applied to m (model_init'ed by
 * the caller), in seq order.  Returns the events applied, or -1 (s->err
 * set). */
int64_t session_model(struct session *s, int64_t upto, struct model *m);

/* The seq moment m (set) names in the run, by moment_seq (replay/moment.h:
 * the same resolution as every command's).  0; 1 when a seq is outside the
 * run (message on stderr naming cmd and opt); -1 on a database error (s->err
 * set). */
int session_moment(struct session *s, const struct moment *m, enum moment_edge edge,
                   const char *cmd, const char *opt, int64_t *seq);

/* The events that show epochs a..b: from the instigator's action that led to
 * epoch a to the followers' last read release after epoch b.  Returns 0, or
 * -1 if no event names those epochs. */
int session_epoch_span(struct session *s, int64_t a, int64_t b, int64_t *from, int64_t *to);

/* Epochs started (op_begin) with from <= seq <= to; *last gets the newest
 * of them (0 if none). */
int64_t session_count_epochs(struct session *s, int64_t from, int64_t to, int64_t *last);

/* Epochs that did not end well (unfinished, failed, bus full), as a
 * malloc'd ascending array; *n set. */
int64_t *session_odd_epochs(struct session *s, int *n);

/* The run's threads, by group (events.grp; -1: dlsync's own), ascending,
 * as a malloc'd array; *n set (none: NULL). */
int64_t *session_groups(struct session *s, int *n);

/* The run's findings, judged now from its events by check_run (the pass of
 * `dlsync check`, gaps included), ordered by their first seq (ties in
 * check's order), into *f (findings_free it).  0, or -1 with s->err set.
 * An exercise's run (variant field "exercise ...") gets one finding, rule
 * "hidden", in their place: the student judges it. */
int session_findings(struct session *s, struct findings *f);

#endif
