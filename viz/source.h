/*
 * viz/source.h — viz's only window on a dlsync database: the run, its events
 * in seq order, its findings and the epochs worth a closer look.  The
 * database, the run and its events come from replay/db.c (db_open checks the
 * schema, db_pick_run picks the run, db_scan_range reads events), as for
 * every other command; only this file of viz/ knows table and column names
 * (replay/schema.c defines them), so a schema change touches nothing else in
 * viz/.
 *
 * Owns: struct vsrc and its database connection (read-only).  Not thread safe;
 * takes SQLite's shared file lock while a statement runs.
 */
#ifndef DLSYNC_VIZ_SOURCE_H
#define DLSYNC_VIZ_SOURCE_H

#include <sqlite3.h>
#include <stdint.h>

#include "replay/db.h"
#include "replay/event.h"

enum vsrc_status {
    VSRC_OK = 0,
    VSRC_NO_DB,  /* cannot open or read it, or not a dlsync database (db_open says which) */
    VSRC_NO_RUN, /* no such run, or the database holds none */
    VSRC_FAILED, /* an SQL error while reading */
};

struct vsrc {
    struct db db;
    struct db_run row; /* the run, as db_pick_run read it */
    const char *path;
    int64_t run, first_seq, last_seq, t0; /* row's id, seqs and start_ts */
    int64_t status;
    char scenario[64];
    int64_t seed;
    char err[512];
};

/* A finding of `dlsync check` (table findings). */
struct vfinding {
    char rule[32];
    char threads[128];
    char objects[128];
    int64_t first_seq;
    char message[400];
};

/* Open path read-only with db_open (replay/db.c, which tells what is wrong
 * with a database the same way for every command) and pick run with
 * db_pick_run (0: the newest, as every command picks it).  On failure returns a vsrc_status with
 * s->err naming the file and the cause; vsrc_close it whatever the outcome. */
int vsrc_open(struct vsrc *s, const char *path, int64_t run);
void vsrc_close(struct vsrc *s);

/* Calls fn for each event of the run with from <= seq <= to, in seq order;
 * fn returns non-zero to stop.  Returns events read, or -1 (s->err set). */
int64_t vsrc_scan(struct vsrc *s, int64_t from, int64_t to, int (*fn)(void *, const struct rev *),
                  void *arg);

/* The events that show epochs a..b: from the instigator's action that led to
 * epoch a to the followers' last read release after epoch b.  Returns 0, or
 * -1 if no event names those epochs. */
int vsrc_epoch_span(struct vsrc *s, int64_t a, int64_t b, int64_t *from, int64_t *to);

/* Epochs started (op_begin) with from <= seq <= to; *last gets the newest
 * of them (0 if none). */
int64_t vsrc_count_epochs(struct vsrc *s, int64_t from, int64_t to, int64_t *last);

/* Epochs that did not end well (unfinished, failed, bus full), as a
 * malloc'd ascending array; *n set.  Empty when ingest did not derive them. */
int64_t *vsrc_odd_epochs(struct vsrc *s, int *n);

/* The run's threads, by group (events.grp; -1: dlsync's own), ascending,
 * as a malloc'd array; *n set (none: NULL). */
int64_t *vsrc_groups(struct vsrc *s, int *n);

/* The run's findings in first_seq order (malloc'd; *n set; none: NULL). */
struct vfinding *vsrc_findings(struct vsrc *s, int *n);

#endif
