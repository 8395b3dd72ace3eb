/*
 * replay/session.c — the one reader of a recorded run (see session.h): the
 * database, the run and its events through db.c; the epochs and threads with
 * plain SQL; the findings by check_run (check.c), the pass `dlsync check`
 * runs.  Takes no locks of its own; SQLite takes its shared lock per
 * statement.
 */
#include "replay/session.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "tracer/events.h"

/* Prepare sql; on failure s->err is set and NULL returned. */
static sqlite3_stmt *prep(struct session *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db.h, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s: reading the database: %s", s->path,
                 db_cause(sqlite3_extended_errcode(s->db.h), s->db.h));
        return NULL;
    }
    return st;
}

/* One integer from a query with up to 4 integer parameters (dflt if NULL). */
static int64_t query1(struct session *s, const char *sql, int64_t dflt, int np, const int64_t *p)
{
    assert(np <= 4);
    sqlite3_stmt *st = prep(s, sql);
    if (!st)
        return dflt;
    for (int i = 0; i < np; i++)
        sqlite3_bind_int64(st, i + 1, p[i]);
    int64_t v = dflt;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int session_open(struct session *s, const char *path, int64_t run)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    if (db_open(&s->db, path, 0, 5000) != DB_OK) {
        snprintf(s->err, sizeof s->err, "%s", s->db.err);
        return SESSION_NO_DB;
    }
    if (db_pick_run(&s->db, run, &s->row) != 0) {
        snprintf(s->err, sizeof s->err, "%s", s->db.err);
        return SESSION_NO_RUN;
    }
    s->run = s->row.id;
    s->first_seq = s->row.first_seq;
    s->last_seq = s->row.last_seq;
    s->t0 = s->row.start_ts;
    if (s->first_seq < 1 || s->last_seq < s->first_seq) {
        snprintf(s->err, sizeof s->err, "%s: run %lld has no events", path, (long long)s->run);
        return SESSION_NO_RUN;
    }
    sqlite3_stmt *st = prep(s, "SELECT scenario, seed FROM runs WHERE run_id=?");
    if (st) {
        sqlite3_bind_int64(st, 1, s->run);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *sc = (const char *)sqlite3_column_text(st, 0);
            snprintf(s->scenario, sizeof s->scenario, "%s", sc ? sc : "");
            s->seed = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
    }
    s->err[0] = '\0';
    return SESSION_OK;
}

void session_close(struct session *s)
{
    db_close(&s->db);
}

int64_t session_scan(struct session *s, int64_t from, int64_t to,
                     int (*fn)(void *, const struct rev *), void *arg)
{
    int64_t n = db_scan_range(&s->db, s->run, from, to, fn, arg);
    if (n < 0)
        snprintf(s->err, sizeof s->err, "%s", s->db.err);
    return n;
}

static int apply_one(void *m, const struct rev *e)
{
    model_apply(m, e);
    return 0;
}

int64_t session_model(struct session *s, int64_t upto, struct model *m)
{
    return upto < s->first_seq ? 0 : session_scan(s, s->first_seq, upto, apply_one, m);
}

int session_moment(struct session *s, const struct moment *m, enum moment_edge edge,
                   const char *cmd, const char *opt, int64_t *seq)
{
    int rc = moment_seq(&s->db, &s->row, m, edge, cmd, opt, seq);
    if (rc < 0)
        snprintf(s->err, sizeof s->err, "%s", s->db.err);
    return rc;
}

int session_epoch_span(struct session *s, int64_t a, int64_t b, int64_t *from, int64_t *to)
{
    /* run_begin's epoch field is the ops per worker, not an epoch. */
    int64_t p[4] = {s->run, a, b, EV_RUN_BEGIN};
    int64_t lo = query1(
        s, "SELECT min(seq) FROM events WHERE run_id=? AND epoch BETWEEN ? AND ? AND kind!=?", -1,
        4, p);
    int64_t hi = query1(
        s, "SELECT max(seq) FROM events WHERE run_id=? AND epoch BETWEEN ? AND ? AND kind!=?", -1,
        4, p);
    if (lo < 0 || hi < 0)
        return -1;
    /* Back to the instigator's taking the lease for it (its last try or
     * wait for the lease before op_begin; what it already held is drawn from
     * the range's first row). */
    int64_t q[4] = {s->run, a, EV_OP_BEGIN};
    int64_t inst =
        query1(s, "SELECT grp FROM events WHERE run_id=? AND epoch=? AND kind=?", -2, 3, q);
    int64_t r[4] = {s->run, lo, inst, EV_LOCK_ATTEMPT};
    *from = query1(s,
                   "SELECT max(seq) FROM events WHERE run_id=? AND seq<? AND grp=? AND kind=? "
                   "AND obj=2",
                   lo, 4, r);
    /* On to the last release that ends epoch b: each party's first release
     * of the state lock after its phase-2 departure (the followers' reads),
     * and the instigator's lease. */
    int64_t w[4] = {s->run, b, EV_LOCK_RELEASED, EV_BARRIER_DEPART};
    int64_t reads = query1(s,
                           "SELECT max((SELECT x.seq FROM events x WHERE x.run_id=d.run_id AND "
                           "x.grp=d.grp AND x.seq>d.seq AND x.kind=?3 AND x.obj=1 "
                           "ORDER BY x.seq LIMIT 1)) FROM events d "
                           "WHERE d.run_id=?1 AND d.epoch=?2 AND d.kind=?4 AND d.phase=2",
                           hi, 4, w);
    int64_t qb[4] = {s->run, b, EV_OP_BEGIN};
    int64_t inst_b =
        query1(s, "SELECT grp FROM events WHERE run_id=? AND epoch=? AND kind=?", -2, 3, qb);
    int64_t l[4] = {s->run, hi, inst_b, EV_LOCK_RELEASED};
    int64_t lease = query1(s,
                           "SELECT seq FROM events WHERE run_id=? AND seq>? AND grp=? AND kind=? "
                           "AND obj=2 ORDER BY seq LIMIT 1",
                           hi, 4, l);
    *to = reads > lease ? reads : lease;
    if (*to < hi)
        *to = hi;
    return 0;
}

int64_t session_count_epochs(struct session *s, int64_t from, int64_t to, int64_t *last)
{
    int64_t p[] = {s->run, from, to, EV_OP_BEGIN};
    *last =
        query1(s, "SELECT max(epoch) FROM events WHERE run_id=? AND seq BETWEEN ? AND ? AND kind=?",
               0, 4, p);
    return query1(s,
                  "SELECT count(*) FROM events WHERE run_id=? AND seq BETWEEN ? AND ? AND kind=?",
                  0, 4, p);
}

/* The integers of sql's rows (run_id bound to ?1) as a malloc'd array; *n
 * set.  NULL when there are none, or sql cannot be prepared. */
static int64_t *ints_of(struct session *s, const char *sql, int *n)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db.h, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, s->run);
    int64_t *v = NULL;
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(v, (size_t)cap * sizeof *v);
            if (!v)
                abort();
        }
        v[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

int64_t *session_odd_epochs(struct session *s, int *n)
{
    return ints_of(s,
                   "SELECT epoch FROM epochs WHERE run_id=?1 AND (end_seq IS NULL OR "
                   "status != 0 OR bus_full_seq IS NOT NULL) ORDER BY epoch",
                   n);
}

int64_t *session_groups(struct session *s, int *n)
{
    return ints_of(
        s, "SELECT DISTINCT coalesce(grp, -1) AS g FROM events WHERE run_id=?1 ORDER BY g", n);
}

int session_findings(struct session *s, struct findings *f)
{
    /* An exercise's instance (`dlsync exercise`, run_begin's variant field
     * "exercise NN"): finding the fault is the student's task, so the
     * commands that show a run do not judge it for them; the grader asks
     * check_findings itself. */
    struct db_recipe rc = {0};
    int hidden =
        db_run_recipe(&s->db, &s->row, &rc) == 0 && strncmp(rc.variant, "exercise ", 9) == 0;
    free(rc.schedule);
    if (hidden) {
        findings_add(f, "hidden", "hidden", "", "", NULL, 0,
                     "findings: hidden in an exercise; the grader judges");
        return 0;
    }
    if (check_findings(&s->db, &s->row, f) == 0)
        return 0;
    snprintf(s->err, sizeof s->err, "%s", s->db.err);
    return -1;
}
