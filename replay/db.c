/*
 * replay/db.c — SQLite storage of ingested runs (see db.h).
 *
 * Locks: SQLite's file locks only (see db.h).  Kill-safety: rows are written
 * either into a private temp file renamed over the database at the very end
 * (a killed ingest leaves only the temp file, removed by the next ingest), or
 * into the database inside one transaction with its rollback journal (a
 * killed ingest leaves a hot journal that SQLite rolls back on next open).
 */
#include "replay/db.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "replay/gaps.h"
#include "replay/names.h"
#include "replay/schema.h"

/* db->err = the formatted message (vsnprintf: long paths are cut, not refused). */
static void set_err(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

int db_status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return DB_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_LOCKED;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return DB_UNWRITABLE;
    case SQLITE_FULL:
        return DB_FULL;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return DB_NOT_OURS;
    case SQLITE_IOERR:
        return rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ? DB_FULL : DB_FAILED;
    default:
        return DB_FAILED;
    }
}

const char *db_cause(int rc, sqlite3 *h)
{
    switch (db_status_of(rc)) {
    case DB_LOCKED:
        return "the database is locked by another process (busy timeout ran out)";
    case DB_FULL:
        return "the disk is full";
    default:
        break;
    }
    if (rc == SQLITE_READONLY_ROLLBACK)
        return "it has a hot journal (left by an interrupted write) that cannot be rolled back "
               "on read-only media: copy it somewhere writable, with its -journal file";
    if ((rc & 0xff) == SQLITE_NOTADB)
        return "not a dlsync database (not an SQLite file)";
    return h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
}

/* Record the first failure: status from rc, message naming the file. */
static int fail(struct db *db, int rc, const char *fmt, ...)
{
    if (db->status != DB_OK)
        return db->status;
    db->status = db_status_of(rc);
    if (db->status == DB_OK)
        db->status = DB_FAILED;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    set_err(db, "%s: %s: %s", db->path, what, db_cause(rc, db->h));
    return db->status;
}

static int exec(struct db *db, sqlite3 *h, const char *sql)
{
    int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(db, sqlite3_extended_errcode(h), "%.40s", sql);
    return DB_OK;
}

/* ---- ingest -------------------------------------------------------------- */

/* Ingest's busy handler: wait for another connection's lock up to
 * db->busy_ms, in steps of 10 ms, unless *db->stop says give up. */
static int busy_or_stop(void *arg, int tries)
{
    struct db *db = arg;
    if (*db->stop || (int64_t)tries * 10 >= db->busy_ms)
        return 0;
    sqlite3_sleep(10);
    return !*db->stop;
}

/* Every few thousand steps of a statement: interrupt it if *db->stop. */
static int stop_requested(void *arg)
{
    const struct db *db = arg;
    return *db->stop != 0;
}

/* An ingest's connection h answers db->stop. */
static void watch_stop(struct db *db, sqlite3 *h)
{
    sqlite3_busy_handler(h, busy_or_stop, db);
    sqlite3_progress_handler(h, 4096, stop_requested, db);
}

static void tmp_name(char *out, size_t n, const char *path, long pid)
{
    char d[PATH_MAX], b[PATH_MAX];
    snprintf(d, sizeof d, "%s", path);
    snprintf(b, sizeof b, "%s", path);
    snprintf(out, n, "%s/.%s.ingest-%ld.tmp", dirname(d), basename(b), pid);
}

void db_clean_stale(const char *path)
{
    char d[PATH_MAX], b[PATH_MAX], prefix[PATH_MAX + 16];
    snprintf(d, sizeof d, "%s", path);
    snprintf(b, sizeof b, "%s", path);
    const char *dir = dirname(d);
    snprintf(prefix, sizeof prefix, ".%s.ingest-", basename(b));
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t pl = strlen(prefix);
        if (strncmp(de->d_name, prefix, pl) != 0)
            continue;
        long pid = strtol(de->d_name + pl, NULL, 10);
        if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            char p[PATH_MAX * 2];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
            snprintf(p, sizeof p, "%s/%s-journal", dir, de->d_name);
            unlink(p);
        }
    }
    closedir(dh);
}

static int prepare(struct db *db, sqlite3_stmt **st, const char *sql)
{
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK)
        return fail(db, rc, "prepare %.30s", sql);
    return DB_OK;
}

static int create_schema(struct db *db)
{
    char sql[256];
    if (exec(db, db->h, schema_tables) != DB_OK)
        return db->status;
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO meta VALUES ('schema_version', '%d'), "
             "('created_by', 'dlsync ingest');",
             SCHEMA_VERSION);
    if (exec(db, db->h, sql) != DB_OK)
        return db->status;
    sqlite3_stmt *st;
    if (prepare(db, &st, "INSERT OR REPLACE INTO kinds VALUES (?, ?)") != DB_OK)
        return db->status;
    for (int k = 0; k < EV_KIND_COUNT; k++) {
        sqlite3_bind_int(st, 1, k);
        sqlite3_bind_text(st, 2, ev_kind_name((enum ev_kind)k), -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return db->status;
}

static int prepare_inserts(struct db *db)
{
    prepare(db, &db->ins_event, "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_hold,
            "INSERT INTO holds (run_id, grp, obj, mode, how, lease, wait_seq, wait_ts, "
            "acquired_seq, acquired_ts, released_seq, released_ts, outcome, handed_to) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_wait, "INSERT INTO waits VALUES (?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_epoch,
            "INSERT OR REPLACE INTO epochs VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_rdv,
            "INSERT OR REPLACE INTO rendezvous VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_thread, "INSERT INTO threads VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    prepare(db, &db->ins_object, "INSERT OR REPLACE INTO objects VALUES (?,?,?,?,?)");
    prepare(db, &db->ins_count, "INSERT OR REPLACE INTO run_counts VALUES (?,?,?,?)");
    prepare(db, &db->ins_discarded, "INSERT INTO discarded VALUES (?,?,?,?)");
    return db->status;
}

static void finalize_all(struct db *db)
{
    sqlite3_stmt **all[] = {&db->ins_event,  &db->ins_hold,  &db->ins_wait,
                            &db->ins_epoch,  &db->ins_rdv,   &db->ins_thread,
                            &db->ins_object, &db->ins_count, &db->ins_discarded};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
}

/* The tables and indexes of h (-1 if it cannot be read). */
static int schema_count(sqlite3 *h)
{
    sqlite3_stmt *c = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master", -1, &c, NULL) == SQLITE_OK &&
        sqlite3_step(c) == SQLITE_ROW)
        n = sqlite3_column_int(c, 0);
    sqlite3_finalize(c);
    return n;
}

/* Is h a dlsync database of a schema we can read?  An SQLite database
 * without tables passes (ingest fills it; db_open refuses it).  What keeps
 * h from being read at all (a lock, a hot journal on read-only media, not
 * SQLite, I/O) is told as that, never as "not a dlsync database". */
static int check_ours(struct db *db, sqlite3 *h)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        int ext = sqlite3_extended_errcode(h);
        if ((ext & 0xff) != SQLITE_ERROR) /* not merely "no such table" */
            return fail(db, ext, "cannot read it");
        /* No meta table: an empty database is ours to fill, anything else is not. */
        if (schema_count(h) == 0)
            return DB_OK;
        db->status = DB_NOT_OURS;
        set_err(db, "%s: not a dlsync database (no meta table)", db->path);
        return db->status;
    }
    rc = sqlite3_step(st);
    int ver = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(db, sqlite3_extended_errcode(h), "cannot read it");
    if (ver != SCHEMA_VERSION) {
        db->status = DB_NOT_OURS;
        set_err(db,
                "%s: schema version %d, this dlsync reads version %d (re-ingest into a new file)",
                db->path, ver, SCHEMA_VERSION);
    }
    return db->status;
}

/* The runs of the database whose trace is not among paths. */
static int64_t other_runs(sqlite3 *h, char *const *paths, int n)
{
    sqlite3_stmt *st = NULL;
    int64_t others = 0;
    if (sqlite3_prepare_v2(h, "SELECT trace_path FROM runs", -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        int found = 0;
        for (int i = 0; i < n && !found; i++)
            found = p && strcmp(p, paths[i]) == 0;
        others += !found;
    }
    sqlite3_finalize(st);
    return others;
}

static int open_conn(struct db *db, const char *file, int flags, int busy_ms, sqlite3 **h)
{
    /* One connection is used by one thread: no SQLite mutexes needed. */
    int rc = sqlite3_open_v2(file, h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db->h = NULL;
        fail(db, rc, "cannot open");
        if (db->status == DB_FAILED)
            db->status = DB_UNWRITABLE;
        sqlite3_close(*h);
        *h = NULL;
        return db->status;
    }
    sqlite3_extended_result_codes(*h, 1);
    sqlite3_busy_timeout(*h, busy_ms);
    return DB_OK;
}

/* Rows into a new temp file next to db->path. */
static int open_temp(struct db *db, int busy_ms)
{
    tmp_name(db->tmp, sizeof db->tmp, db->path, (long)getpid());
    unlink(db->tmp);
    if (open_conn(db, db->tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_ms, &db->h))
        return db->status;
    watch_stop(db, db->h);
    /* Private file, renamed into place only when complete: no journal needed. */
    if (exec(db, db->h,
             "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
             "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536; "
             "PRAGMA temp_store = FILE;") != DB_OK)
        return db->status;
    if (exec(db, db->h, "BEGIN") != DB_OK || create_schema(db) != DB_OK)
        return db->status;
    return prepare_inserts(db);
}

int db_ingest_open(struct db *db, const char *path, char *const *trace_paths, int n, int busy_ms,
                   const volatile sig_atomic_t *stop, int *replaced)
{
    assert(stop);
    memset(db, 0, sizeof *db);
    snprintf(db->path, sizeof db->path, "%s", path);
    db->stop = stop;
    db->busy_ms = busy_ms;
    *replaced = 0;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            db->status = DB_UNWRITABLE;
            set_err(db, "%s: %s", path, strerror(errno));
            return db->status;
        }
        return open_temp(db, busy_ms);
    }
    if (!S_ISREG(st.st_mode)) {
        db->status = DB_UNWRITABLE;
        set_err(db, "%s: not a regular file", path);
        return db->status;
    }
    if (access(path, W_OK) != 0) {
        db->status = DB_UNWRITABLE;
        set_err(db, "%s: %s", path, strerror(errno));
        return db->status;
    }
    /* An existing database: lock it for writing first. */
    if (open_conn(db, path, SQLITE_OPEN_READWRITE, busy_ms, &db->target))
        return db->status;
    watch_stop(db, db->target);
    db->h = db->target;
    if (check_ours(db, db->target) != DB_OK)
        return db->status;
    if (exec(db, db->target, "BEGIN IMMEDIATE") != DB_OK)
        return db->status;
    sqlite3_stmt *q = NULL;
    int64_t runs = 0;
    if (sqlite3_prepare_v2(db->target, "SELECT count(*) FROM runs", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        runs = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (other_runs(db->target, trace_paths, n) == 0) {
        /* Every run in it is replaced: build a new file, keep the old one
         * locked (EXCLUSIVE: readers are done) until the rename. */
        *replaced = (int)runs;
        if (exec(db, db->target,
                 "PRAGMA locking_mode = EXCLUSIVE; COMMIT; BEGIN EXCLUSIVE; "
                 "SELECT count(*) FROM meta;") != DB_OK)
            return db->status;
        db->h = NULL;
        return open_temp(db, busy_ms);
    }
    /* Other runs stay: replace ours in place, in this transaction. */
    if (exec(db, db->h, schema_tables) != DB_OK)
        return db->status;
    for (int i = 0; i < n; i++) {
        static const char *const tables[] = {"events",     "holds",    "waits",   "epochs",
                                             "rendezvous", "threads",  "objects", "run_counts",
                                             "discarded",  "findings", "runs"};
        for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
            char sql[256];
            snprintf(
                sql, sizeof sql,
                "DELETE FROM %s WHERE run_id IN (SELECT run_id FROM runs WHERE trace_path = ?)",
                tables[t]);
            sqlite3_stmt *d = NULL;
            if (sqlite3_prepare_v2(db->h, sql, -1, &d, NULL) != SQLITE_OK)
                return fail(db, sqlite3_extended_errcode(db->h), "delete old rows");
            sqlite3_bind_text(d, 1, trace_paths[i], -1, SQLITE_STATIC);
            int rc = sqlite3_step(d);
            if (t == sizeof tables / sizeof tables[0] - 1)
                *replaced += sqlite3_changes(db->h);
            sqlite3_finalize(d);
            if (rc != SQLITE_DONE)
                return fail(db, rc, "delete old rows");
        }
    }
    db->target = NULL;
    if (exec(db, db->h, "PRAGMA cache_size = -65536;") != DB_OK || create_schema(db) != DB_OK)
        return db->status;
    return prepare_inserts(db);
}

/* Bind v to parameter i if present, else NULL. */
static void bind_int_if(sqlite3_stmt *st, int i, int present, int64_t v)
{
    if (present)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Bind v[0..n) to parameters first.. (bind_opts: 0 as NULL, "no such
 * moment"). */
static void bind_ints(sqlite3_stmt *st, int first, const int64_t *v, int n)
{
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, first + i, v[i]);
}

static void bind_opts(sqlite3_stmt *st, int first, const int64_t *v, int n)
{
    for (int i = 0; i < n; i++)
        bind_int_if(st, first + i, v[i] != 0, v[i]);
}

#define NV(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int step(struct db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(db, sqlite3_extended_errcode(db->h), "insert into %s", what);
    return DB_OK;
}

int db_run_begin(struct db *db, const char *trace_path, int64_t *seq_base)
{
    if (db->status)
        return db->status;
    sqlite3_stmt *st = NULL;
    char now[32];
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (prepare(db, &st, "INSERT INTO runs (trace_path, ingested_at) VALUES (?, ?)"))
        return db->status;
    sqlite3_bind_text(st, 1, trace_path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    step(db, st, "runs");
    sqlite3_finalize(st);
    db->run_id = sqlite3_last_insert_rowid(db->h);
    *seq_base = 1;
    if (prepare(db, &st, "SELECT coalesce(max(seq), 0) + 1 FROM events") == DB_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *seq_base = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return db->status;
}

int db_put_event(struct db *db, const struct rev *e)
{
    if (db->status)
        return db->status;
    sqlite3_stmt *st = db->ins_event;
    /* NULL: SQLite appends at max(seq) + 1 without a uniqueness probe; that
     * is e->seq, since a run's events are numbered on from max(seq) + 1
     * (db_run_begin), checked below. */
    sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, db->run_id);
    sqlite3_bind_int64(st, 3, e->ts);
    sqlite3_bind_int(st, 4, e->kind);
    sqlite3_bind_int64(st, 5, e->grp);
    sqlite3_bind_int64(st, 6, e->vtid);
    sqlite3_bind_int64(st, 7, e->obj);
    sqlite3_bind_int64(st, 8, e->mode);
    sqlite3_bind_int64(st, 9, e->how);
    sqlite3_bind_int64(st, 10, e->epoch);
    sqlite3_bind_int64(st, 11, e->phase);
    sqlite3_bind_int64(st, 12, e->lease);
    sqlite3_bind_int64(st, 13, e->a);
    sqlite3_bind_int64(st, 14, e->b);
    if (e->str)
        sqlite3_bind_text(st, 15, e->str, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 15);
    if (step(db, st, "events") == DB_OK && sqlite3_last_insert_rowid(db->h) != e->seq) {
        db->status = DB_FAILED;
        set_err(db, "%s: event %lld stored as seq %lld", db->path, (long long)e->seq,
                (long long)sqlite3_last_insert_rowid(db->h));
    }
    return db->status;
}

int db_put_discarded(struct db *db, uint64_t count, int64_t beg_ts, int64_t end_ts)
{
    if (db->status)
        return db->status;
    sqlite3_stmt *st = db->ins_discarded;
    const int64_t v[] = {db->run_id, (int64_t)count}, o[] = {beg_ts, end_ts};
    bind_ints(st, 1, v, NV(v));
    bind_opts(st, 3, o, NV(o));
    return step(db, st, "discarded");
}

static const char *mode_text(int64_t mode)
{
    return mode ? ev_mode_name(mode) : NULL;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void sink_hold(void *ctx, const struct hold_rec *r)
{
    struct db *db = ctx;
    if (db->status)
        return;
    sqlite3_stmt *st = db->ins_hold;
    const int64_t v[] = {db->run_id, r->grp, r->obj};
    const int64_t o[] = {r->lease,  r->att_seq, r->att_ts, r->acq_seq,
                         r->acq_ts, r->rel_seq, r->rel_ts};
    bind_ints(st, 1, v, NV(v));
    bind_text_or_null(st, 4, mode_text(r->mode));
    sqlite3_bind_text(st, 5, ev_how_name(r->how), -1, SQLITE_STATIC);
    bind_opts(st, 6, o, NV(o));
    bind_text_or_null(st, 13, model_outcome_name(r->outcome));
    bind_int_if(st, 14, r->handed_to >= 0, r->handed_to);
    step(db, st, "holds");
}

static const char *wait_text(int64_t what)
{
    switch (what) {
    case WAITK_RECV_BARRIER_BUS:
        return "receive barrier bus";
    case WAITK_RECV_OP_BUS:
        return "receive operation bus";
    default:
        return ev_wait_name(what);
    }
}

static void sink_wait(void *ctx, const struct wait_rec *r)
{
    struct db *db = ctx;
    if (db->status)
        return;
    sqlite3_stmt *st = db->ins_wait;
    const int64_t v[] = {db->run_id, r->grp};
    const int64_t o[] = {r->epoch, r->beg_seq, r->beg_ts, r->end_seq, r->end_ts};
    bind_ints(st, 1, v, NV(v));
    sqlite3_bind_text(st, 3, wait_text(r->what), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->arg);
    bind_opts(st, 5, o, NV(o));
    bind_text_or_null(st, 10, r->end_seq ? ev_wait_result_name(r->result) : NULL);
    step(db, st, "waits");
}

static void sink_rdv(void *ctx, const struct rdv_rec *r)
{
    struct db *db = ctx;
    if (db->status)
        return;
    sqlite3_stmt *st = db->ins_rdv;
    const int64_t v[] = {db->run_id, r->epoch, r->phase, r->grp};
    bind_ints(st, 1, v, NV(v));
    sqlite3_bind_text(st, 5, r->instigator ? "instigator" : "follower", -1, SQLITE_STATIC);
    bind_text_or_null(st, 6, model_via_name(r->via));
    const int64_t o[] = {r->woken_seq, r->woken_ts, r->arr_seq, r->arr_ts,
                         r->index,     r->parties,  r->dep_seq, r->dep_ts};
    bind_opts(st, 7, o, NV(o));
    step(db, st, "rendezvous");
}

static void sink_epoch(void *ctx, const struct epoch_rec *r)
{
    struct db *db = ctx;
    if (db->status)
        return;
    sqlite3_stmt *st = db->ins_epoch;
    const int64_t v[] = {db->run_id, r->epoch}, ab[] = {r->a, r->b};
    bind_ints(st, 1, v, NV(v));
    bind_text_or_null(st, 3, r->kind ? ev_op_name(r->kind) : NULL);
    bind_text_or_null(st, 4, r->name[0] ? r->name : NULL);
    bind_int_if(st, 5, r->instigator >= 0, r->instigator);
    bind_ints(st, 6, ab, NV(ab));
    const int64_t o[] = {
        r->lease,     r->lease_seq,  r->lease_ts, r->op_seq,       r->op_ts,          r->rx,
        r->bcast_seq, r->bcast_ts,   r->full_seq, r->flag_set_seq, r->flag_clear_seq, r->p1_seq,
        r->p1_ts,     r->opcast_seq, r->p2_seq,   r->p2_ts,        r->end_seq,        r->end_ts};
    bind_opts(st, 8, o, NV(o));
    bind_int_if(st, 26, r->end_seq != 0, r->status);
    bind_int_if(st, 27, r->end_seq != 0, r->digest);
    bind_int_if(st, 28, r->end_seq != 0, r->table_size);
    step(db, st, "epochs");
}

/* A row of the objects table: obj, its kind and name, its owning group
 * (-1: shared, NULL). */
static void put_object(struct db *db, int64_t obj, int64_t owner)
{
    char buf[48];
    sqlite3_stmt *o = db->ins_object;
    sqlite3_bind_int64(o, 1, db->run_id);
    sqlite3_bind_int64(o, 2, obj);
    sqlite3_bind_text(o, 3, ev_object_name(obj), -1, SQLITE_STATIC);
    sqlite3_bind_text(o, 4, rn_obj(obj, buf, sizeof buf), -1, SQLITE_TRANSIENT);
    bind_int_if(o, 5, owner >= 0, owner);
    step(db, o, "objects");
}

static void sink_thread(void *ctx, const struct mthread *t)
{
    struct db *db = ctx;
    if (db->status)
        return;
    sqlite3_stmt *st = db->ins_thread;
    char nb[32];
    const int64_t v[] = {db->run_id, t->id, t->grp}, pv[] = {t->parent, t->vtid};
    const int64_t o[] = {t->start_seq, t->start_ts, t->exit_seq, t->exit_ts};
    bind_ints(st, 1, v, NV(v));
    bind_text_or_null(st, 4, t->name[0] ? t->name : model_thread_name(t, nb, sizeof nb));
    bind_text_or_null(st, 5, t->start_seq ? ev_role_name(t->role) : NULL);
    bind_ints(st, 6, pv, NV(pv));
    bind_opts(st, 8, o, NV(o));
    bind_int_if(st, 12, t->exit_seq != 0, t->exit_status);
    step(db, st, "threads");
    if (t->grp >= 0 && t->start_seq)
        put_object(db, OBJ_GROUP_MUTEX + t->grp, t->grp);
}

const struct model_sink db_sink_template = {
    .hold = sink_hold,
    .wait = sink_wait,
    .rdv = sink_rdv,
    .epoch = sink_epoch,
    .thread = sink_thread,
};

int db_run_end(struct db *db, const struct run_summary *s)
{
    if (db->status)
        return db->status;
    const struct model *m = s->m;
    sqlite3_stmt *st = NULL;
    if (prepare(db, &st,
                "UPDATE runs SET trace_uuid = ?, scenario = ?, seed = ?, variant = ?, groups = ?, "
                "status = ?, start_ts = ?, end_ts = ?, first_seq = ?, last_seq = ?, events = ?, "
                "discarded = ?, foreign_events = ?, ops = ?, sched = ?, strategy = ?, "
                "pct_depth = ?, schedule = ?, vpid = ? WHERE run_id = ?"))
        return db->status;
    sqlite3_bind_text(st, 1, s->uuid, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, m->run_begin_seq ? m->scenario : NULL);
    if (m->run_begin_seq) {
        sqlite3_bind_int64(st, 3, m->seed);
        sqlite3_bind_text(st, 4, m->variant, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, m->groups);
    }
    if (m->run_end_seq)
        sqlite3_bind_int64(st, 6, m->run_status);
    sqlite3_bind_int64(st, 7, m->t0);
    sqlite3_bind_int64(st, 8, m->last_ts);
    sqlite3_bind_int64(st, 9, s->first_seq);
    sqlite3_bind_int64(st, 10, m->last_seq);
    sqlite3_bind_int64(st, 11, (int64_t)s->events);
    sqlite3_bind_int64(st, 12, (int64_t)s->discarded);
    sqlite3_bind_int64(st, 13, (int64_t)s->foreign);
    if (m->run_begin_seq) {
        sqlite3_bind_int64(st, 14, m->ops);
        sqlite3_bind_text(st, 15, ev_sched_name(m->sched), -1, SQLITE_STATIC);
        if (m->sched == 1)
            sqlite3_bind_text(st, 16, ev_strategy_name(m->strategy), -1, SQLITE_STATIC);
        if (m->sched == 1 && m->strategy == 1)
            sqlite3_bind_int64(st, 17, m->pct_depth);
    }
    if (m->schedule && m->schedule_next == m->schedule_parts)
        sqlite3_bind_text(st, 18, m->schedule, -1, SQLITE_STATIC);
    bind_int_if(st, 19, s->vpid >= 0, s->vpid);
    sqlite3_bind_int64(st, 20, db->run_id);
    step(db, st, "runs");
    sqlite3_finalize(st);
    for (int k = 0; k < EV_KIND_COUNT; k++) {
        sqlite3_bind_int64(db->ins_count, 1, db->run_id);
        sqlite3_bind_int(db->ins_count, 2, k);
        bind_int_if(db->ins_count, 3, s->emitted && k != EV_RUN_END,
                    s->emitted ? (int64_t)s->emitted[k] : 0);
        sqlite3_bind_int64(db->ins_count, 4, (int64_t)s->ingested[k]);
        step(db, db->ins_count, "run_counts");
    }
    /* The shared objects (group mutexes come with their threads). */
    static const int64_t shared[] = {OBJ_STATE_LOCK,  OBJ_LEASE,         OBJ_PROCESS_MUTEX,
                                     OBJ_BARRIER_BUS, OBJ_OPERATION_BUS, OBJ_PENDING_FLAG,
                                     OBJ_BARRIER};
    for (int i = 0; i < NV(shared); i++)
        put_object(db, shared[i], -1);
    return db->status;
}

int db_ingest_commit(struct db *db)
{
    if (db->status)
        return db->status;
    finalize_all(db);
    if (exec(db, db->h, schema_indexes) || exec(db, db->h, schema_views) ||
        exec(db, db->h, "COMMIT"))
        return db->status;
    if (db->tmp[0]) {
        /* Durable before it takes the place of the old file. */
        exec(db, db->h, "PRAGMA journal_mode = DELETE;");
        int rc = sqlite3_close(db->h);
        db->h = NULL;
        int fd = open(db->tmp, O_RDONLY);
        if (rc != SQLITE_OK || fd < 0 || fsync(fd) != 0) {
            if (fd >= 0)
                close(fd);
            return fail(db, SQLITE_IOERR_FSYNC, "cannot write %s", db->tmp);
        }
        close(fd);
        if (rename(db->tmp, db->path) != 0) {
            db->status = errno == ENOSPC ? DB_FULL : DB_UNWRITABLE;
            set_err(db, "%s: cannot rename %s into place: %s", db->path, db->tmp, strerror(errno));
            unlink(db->tmp);
            return db->status;
        }
        db->tmp[0] = 0;
        if (db->target) { /* the replaced file: unlocked only now */
            sqlite3_close(db->target);
            db->target = NULL;
        }
    } else {
        sqlite3_close(db->h);
        db->h = NULL;
    }
    return DB_OK;
}

/* A connection no longer answers db->stop (a rollback must run to its end). */
static void unwatch(sqlite3 *h)
{
    if (h)
        sqlite3_progress_handler(h, 0, NULL, NULL);
}

void db_ingest_abort(struct db *db)
{
    finalize_all(db);
    unwatch(db->h);
    unwatch(db->target);
    if (db->h && !db->tmp[0])
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    if (db->h)
        sqlite3_close(db->h);
    if (db->target && db->target != db->h) {
        sqlite3_exec(db->target, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db->target);
    }
    db->h = db->target = NULL;
    if (db->tmp[0]) {
        unlink(db->tmp);
        db->tmp[0] = 0;
    }
}

/* ---- reading --------------------------------------------------------------- */

/* Open path and check it is ours: DB_OK, or the status and message of what
 * is wrong with it. */
static int open_ours(struct db *db, const char *path, int flags, int busy_ms)
{
    if (open_conn(db, path, flags, busy_ms, &db->h) == DB_OK)
        check_ours(db, db->h);
    return db->status;
}

int db_open(struct db *db, const char *path, int rw, int busy_ms)
{
    memset(db, 0, sizeof *db);
    snprintf(db->path, sizeof db->path, "%s", path);
    struct stat st;
    const char *not_ours = NULL;
    if (stat(path, &st) != 0) {
        db->status = DB_UNWRITABLE;
        set_err(db, "%s: cannot open: %s", path, strerror(errno));
        return db->status;
    }
    if (S_ISDIR(st.st_mode))
        not_ours = "a directory, not a database file";
    else if (!S_ISREG(st.st_mode))
        not_ours = "not a regular file";
    else if (st.st_size == 0)
        not_ours = "an empty file, not a dlsync database (make one with dlsync ingest)";
    if (not_ours) {
        db->status = DB_NOT_OURS;
        set_err(db, "%s: %s", path, not_ours);
        return db->status;
    }
    int flags = rw ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (open_ours(db, path, flags, busy_ms) != DB_OK && !rw && db->h &&
        sqlite3_extended_errcode(db->h) == SQLITE_READONLY_ROLLBACK) {
        /* A hot journal: SQLite rolls it back on the first read of a
         * connection that may write (on read-only media it cannot, and
         * says so); then read through a read-only one again. */
        db_close(db);
        db->status = DB_OK;
        if (open_ours(db, path, SQLITE_OPEN_READWRITE, busy_ms) != DB_OK)
            return db->status;
        db_close(db);
        open_ours(db, path, flags, busy_ms);
    }
    if (db->status == DB_OK && schema_count(db->h) == 0) {
        db->status = DB_NOT_OURS;
        set_err(db, "%s: not a dlsync database (no tables; make one with dlsync ingest)", path);
    }
    return db->status;
}

void db_close(struct db *db)
{
    finalize_all(db);
    if (db->h)
        sqlite3_close(db->h);
    db->h = NULL;
}

int db_pick_run(struct db *db, int64_t run_id, struct db_run *r)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    const char *sql = "SELECT run_id, start_ts, first_seq, last_seq, discarded FROM runs WHERE "
                      "run_id = CASE WHEN ?1 > 0 THEN ?1 ELSE (SELECT max(run_id) FROM runs) END";
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *r = (struct db_run){.id = sqlite3_column_int64(st, 0),
                             .start_ts = sqlite3_column_int64(st, 1),
                             .first_seq = sqlite3_column_int64(st, 2),
                             .last_seq = sqlite3_column_int64(st, 3),
                             .discarded = sqlite3_column_int64(st, 4)};
        found = 1;
    }
    sqlite3_finalize(st);
    if (!found && run_id > 0)
        set_err(db, "%s: no run %lld", db->path, (long long)run_id);
    else if (!found)
        set_err(db, "%s: holds no run", db->path);
    return found ? 0 : -1;
}

int64_t db_seq_at_ts(struct db *db, const struct db_run *run, int64_t ts, int from)
{
    sqlite3_stmt *st = NULL;
    const char *sql = from ? "SELECT min(seq) FROM events WHERE seq BETWEEN ?1 AND ?2 AND ts >= ?3"
                           : "SELECT max(seq) FROM events WHERE seq BETWEEN ?1 AND ?2 AND ts <= ?3";
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(db, sqlite3_extended_errcode(db->h), "read events");
        return -1;
    }
    sqlite3_bind_int64(st, 1, run->first_seq);
    sqlite3_bind_int64(st, 2, run->last_seq);
    sqlite3_bind_int64(st, 3, ts);
    int64_t seq = from ? run->last_seq + 1 : run->first_seq - 1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        seq = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(db, sqlite3_extended_errcode(db->h), "read events");
        seq = -1;
    }
    sqlite3_finalize(st);
    return seq;
}

static int64_t int_or(sqlite3_stmt *st, int col, int64_t null)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? null : sqlite3_column_int64(st, col);
}

int db_run_gaps(struct db *db, const struct db_run *run, struct gaps *g)
{
    memset(g, 0, sizeof *g);
    g->discarded = run->discarded;
    g->kinds_known = 1;
    sqlite3_stmt *st = NULL;
    int rows = 0, rc;
    if (sqlite3_prepare_v2(db->h, "SELECT kind, emitted, ingested FROM run_counts WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, run->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        rows++;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            if (k != EV_RUN_END)
                g->kinds_known = 0; /* no run_end: nothing says what was emitted */
            continue;
        }
        int64_t lost = sqlite3_column_int64(st, 1) - sqlite3_column_int64(st, 2);
        if (k >= 0 && k < EV_KIND_COUNT && lost > 0)
            g->lost[k] = lost;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE)
        goto fail;
    if (!rows)
        g->kinds_known = 0;
    if (sqlite3_prepare_v2(db->h, "SELECT count, beg_ts, end_ts FROM discarded WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, run->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        gaps_add_span(g, int_or(st, 0, 0), int_or(st, 1, -1), int_or(st, 2, -1));
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    st = NULL;
fail:
    sqlite3_finalize(st);
    set_err(db, "%s: cannot read the gaps of run %lld: %s", db->path, (long long)run->id,
            sqlite3_errmsg(db->h));
    return -1;
}

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

int db_run_recipe(struct db *db, const struct db_run *run, struct db_recipe *r)
{
    memset(r, 0, sizeof *r);
    r->strategy = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT scenario, variant, seed, groups, ops, sched, strategy, "
                           "pct_depth, schedule FROM runs WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        set_err(db, "%s: %s", db->path, sqlite3_errmsg(db->h));
        return -1;
    }
    sqlite3_bind_int64(st, 1, run->id);
    int rc = -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        set_err(db, "%s: no run %lld", db->path, (long long)run->id);
    } else if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_int64(st, 4) <= 0) {
        set_err(db,
                "%s: run %lld does not say how it was made (no run_begin, or a trace "
                "older than the controlled scheduler)",
                db->path, (long long)run->id);
    } else {
        copy_text(r->scenario, sizeof r->scenario, st, 0);
        copy_text(r->variant, sizeof r->variant, st, 1);
        r->seed = sqlite3_column_int64(st, 2);
        r->groups = sqlite3_column_int64(st, 3);
        r->ops = sqlite3_column_int64(st, 4);
        const unsigned char *sched = sqlite3_column_text(st, 5);
        r->sched = sched && strcmp((const char *)sched, ev_sched_name(1)) == 0;
        const unsigned char *strategy = sqlite3_column_text(st, 6);
        for (int i = 0; strategy && i < 3; i++)
            if (strcmp((const char *)strategy, ev_strategy_name(i)) == 0)
                r->strategy = i;
        r->pct_depth = sqlite3_column_int64(st, 7);
        const unsigned char *sc = sqlite3_column_text(st, 8);
        r->schedule = sc ? strdup((const char *)sc) : NULL;
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int db_event_of_row(sqlite3_stmt *st, struct rev *e, char *why, size_t n)
{
    *e = (struct rev){
        .seq = sqlite3_column_int64(st, 0),
        .ts = sqlite3_column_int64(st, 1),
        .kind = sqlite3_column_int(st, 2),
        .grp = int_or(st, 3, -1),
        .vtid = int_or(st, 4, -1),
        .vpid = -1,
        .obj = sqlite3_column_int64(st, 5),
        .mode = sqlite3_column_int64(st, 6),
        .how = sqlite3_column_int64(st, 7),
        .epoch = sqlite3_column_int64(st, 8),
        .phase = sqlite3_column_int64(st, 9),
        .lease = sqlite3_column_int64(st, 10),
        .a = sqlite3_column_int64(st, 11),
        .b = sqlite3_column_int64(st, 12),
        .str = (const char *)sqlite3_column_text(st, 13),
    };
    return rev_check(e, why, n);
}

/* Events of run with from <= seq <= to and ts <= upto_ts, to fn. */
static int64_t scan(struct db *db, int64_t run, int64_t from, int64_t to, int64_t upto_ts,
                    int (*fn)(void *, const struct rev *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->h,
            "SELECT " DB_EVENT_COLUMNS " FROM events WHERE seq BETWEEN "
            "(SELECT first_seq FROM runs WHERE run_id = ?1) AND "
            "(SELECT last_seq FROM runs WHERE run_id = ?1) AND seq BETWEEN ?4 AND ?2 "
            "AND ts <= ?3 ORDER BY seq",
            -1, &st, NULL) != SQLITE_OK) {
        fail(db, sqlite3_extended_errcode(db->h), "read events");
        return -1;
    }
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, upto_ts);
    sqlite3_bind_int64(st, 4, from);
    int64_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rev e;
        char why[128];
        if (db_event_of_row(st, &e, why, sizeof why) != 0) {
            db->status = DB_CORRUPT;
            set_err(db,
                    "%s: events row seq %lld: %s: the database is corrupt (ingest the trace "
                    "again)",
                    db->path, (long long)e.seq, why);
            n = -1;
            break;
        }
        n++;
        if (fn(arg, &e))
            break;
    }
    if (n >= 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(db, sqlite3_extended_errcode(db->h), "read events");
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

int64_t db_scan_events(struct db *db, int64_t run, int64_t upto_seq, int64_t upto_ts,
                       int (*fn)(void *, const struct rev *), void *arg)
{
    return scan(db, run, 0, upto_seq > 0 ? upto_seq : INT64_MAX, upto_ts, fn, arg);
}

int64_t db_scan_range(struct db *db, int64_t run, int64_t from, int64_t to,
                      int (*fn)(void *, const struct rev *), void *arg)
{
    return scan(db, run, from, to, INT64_MAX, fn, arg);
}
