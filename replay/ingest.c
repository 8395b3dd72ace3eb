/*
 * replay/ingest.c — `dlsync ingest`: a recorded trace into a SQLite database.
 *
 * Owns: the command line, and the two-stage pipeline of one ingest: a reader
 * thread runs the babeltrace2 graph (ctf_source.c) and fills batches of
 * events; the calling thread applies them to the model (model.c, whose
 * records become the derived tables) and writes every row (db.c), all in one
 * transaction.  Locks: the queue's mutex (leaf) between the two threads;
 * SQLite's file locks (db.h).  Memory is bounded by the queue (QUEUE_MAX
 * batches of BATCH events) and the model, not by the trace.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replay/commands.h"
#include "replay/ctf_source.h"
#include "replay/db.h"
#include "replay/model.h"
#include "replay/progress.h"

static const char usage[] =
    "usage: dlsync ingest TRACE [-d DB] [--busy-timeout MS] [--quiet] [--no-progress]\n"
    "\n"
    "Read a trace made by `dlsync record` (TRACE: the directory it printed, or any\n"
    "directory above the CTF streams: every directory under it holding a `metadata`\n"
    "file is one trace, i.e. one run) through libbabeltrace2 and store it in a SQLite\n"
    "database (docs/schema.md): runs, threads, objects, every event in time order,\n"
    "and the derived tables holds, waits, epochs and rendezvous.  Query it with\n"
    "`sqlite3 DB`, or with `dlsync state` and `dlsync check`.\n"
    "\n"
    "The ingest is one transaction: interrupted (Ctrl-C, kill, even kill -9), the\n"
    "database stays as it was.  A trace already in the database (same directory) is\n"
    "replaced, never duplicated.  Events the tracer discarded are counted in\n"
    "runs.discarded and reported here, so that a gap is not mistaken for a hang.\n"
    "\n"
    "Options:\n"
    "  -d, --db DB          the database (created if missing).  Default: TRACE/dlsync.db\n"
    "  --busy-timeout MS    how long to wait for another process's lock on DB.\n"
    "                       Default: 5000.\n"
    "  -q, --quiet          no summary on stdout.\n"
    "  --no-progress        no progress bar (shown on a terminal after 1 s).\n"
    "  -h, --help           this text.\n"
    "\n"
    "Exit status:\n"
    "  0  ingested\n"
    "  1  internal error (babeltrace2 plugins missing, out of memory)\n"
    "  2  bad command line\n"
    "  3  no trace: TRACE is missing, empty, or holds no CTF trace\n"
    "  4  corrupt metadata\n"
    "  5  a stream file is truncated or corrupt\n"
    "  6  not a dlsync trace (a CTF trace without dlsync:* events)\n"
    "  7  the database cannot be written: unwritable, locked by another process\n"
    "     (after the busy timeout), or not a dlsync database\n"
    "  8  disk full\n"
    "  9  interrupted (SIGINT, SIGTERM, SIGHUP)\n";

enum {
    IX_OK = 0,
    IX_INTERNAL = 1,
    IX_USAGE = 2,
    IX_NO_TRACE = 3,
    IX_METADATA = 4,
    IX_STREAM = 5,
    IX_NOT_DLSYNC = 6,
    IX_DB = 7,
    IX_FULL = 8,
    IX_INTERRUPTED = 9,
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

/* ---- the queue between reader and writer ----------------------------------- */

enum { BATCH = 8192, ARENA = 128 * 1024, QUEUE_MAX = 8, STR_MAX = 255 };

enum batch_kind { B_EVENTS, B_DISCARDED, B_COUNTS, B_TRACE_END };

struct batch {
    int kind;
    int trace; /* index into the trace list */
    size_t n, used;
    struct rev ev[BATCH];
    char arena[ARENA];
    /* B_DISCARDED */
    uint64_t dcount;
    int64_t dbeg, dend;
    /* B_COUNTS */
    uint64_t counts[EV_KIND_COUNT];
    /* B_TRACE_END */
    enum ctf_status status;
    char uuid[37];
    uint64_t foreign;
    char err[1024];
    struct batch *next;
};

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *head, *tail, *free;
    int queued, allocated;
    atomic_int abort; /* the writer gave up: the reader stops */
};

static struct batch *batch_get(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (!q->free && q->allocated >= QUEUE_MAX + 2 && !atomic_load(&q->abort))
        pthread_cond_wait(&q->cv, &q->mu);
    struct batch *b = q->free;
    if (b)
        q->free = b->next;
    else
        q->allocated++;
    pthread_mutex_unlock(&q->mu);
    if (!b && !(b = malloc(sizeof *b)))
        abort();
    b->n = b->used = 0;
    b->next = NULL;
    return b;
}

static void batch_put_free(struct queue *q, struct batch *b)
{
    pthread_mutex_lock(&q->mu);
    b->next = q->free;
    q->free = b;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static void push(struct queue *q, struct batch *b)
{
    pthread_mutex_lock(&q->mu);
    while (q->queued >= QUEUE_MAX && !atomic_load(&q->abort))
        pthread_cond_wait(&q->cv, &q->mu);
    if (q->tail)
        q->tail->next = b;
    else
        q->head = b;
    q->tail = b;
    q->queued++;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static struct batch *pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (!q->head)
        pthread_cond_wait(&q->cv, &q->mu);
    struct batch *b = q->head;
    q->head = b->next;
    if (!q->head)
        q->tail = NULL;
    q->queued--;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return b;
}

/* ---- the reader thread --------------------------------------------------------- */

struct reader {
    struct queue *q;
    char **traces;
    int ntraces;
    int trace;
    struct batch *cur;
};

static void flush_events(struct reader *r)
{
    if (r->cur && r->cur->n) {
        push(r->q, r->cur);
        r->cur = NULL;
    }
}

static struct batch *events_batch(struct reader *r)
{
    if (!r->cur) {
        r->cur = batch_get(r->q);
        r->cur->kind = B_EVENTS;
        r->cur->trace = r->trace;
    }
    return r->cur;
}

static char *keep_str(struct batch *b, const char *s)
{
    size_t len = strnlen(s, STR_MAX);
    char *d = b->arena + b->used;
    memcpy(d, s, len);
    d[len] = 0;
    b->used += len + 1;
    return d;
}

static int on_event(void *ctx, const struct rev *e)
{
    struct reader *r = ctx;
    if (interrupted || atomic_load(&r->q->abort))
        return 1;
    struct batch *b = events_batch(r);
    if (b->n == BATCH || b->used + 2 * (STR_MAX + 1) > ARENA) {
        flush_events(r);
        b = events_batch(r);
    }
    struct rev *d = &b->ev[b->n++];
    *d = *e;
    if (e->str)
        d->str = keep_str(b, e->str);
    if (e->str2)
        d->str2 = keep_str(b, e->str2);
    return 0;
}

static void on_discarded(void *ctx, uint64_t count, int64_t beg, int64_t end)
{
    struct reader *r = ctx;
    flush_events(r);
    struct batch *b = batch_get(r->q);
    b->kind = B_DISCARDED;
    b->trace = r->trace;
    b->dcount = count;
    b->dbeg = beg;
    b->dend = end;
    push(r->q, b);
}

static void on_counts(void *ctx, const uint64_t counts[EV_KIND_COUNT])
{
    struct reader *r = ctx;
    flush_events(r);
    struct batch *b = batch_get(r->q);
    b->kind = B_COUNTS;
    b->trace = r->trace;
    memcpy(b->counts, counts, sizeof b->counts);
    push(r->q, b);
}

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    struct ctf_handler h = {
        .ctx = r, .event = on_event, .discarded = on_discarded, .run_counts = on_counts};
    for (r->trace = 0; r->trace < r->ntraces; r->trace++) {
        struct batch *end = batch_get(r->q);
        end->status =
            ctf_read(r->traces[r->trace], &h, end->uuid, &end->foreign, end->err, sizeof end->err);
        flush_events(r);
        end->kind = B_TRACE_END;
        end->trace = r->trace;
        push(r->q, end);
        if (end->status != CTF_OK)
            break;
    }
    return NULL;
}

/* ---- the writer (calling thread) ---------------------------------------------- */

struct run_state {
    struct model m;
    int64_t seq_base, first_seq;
    uint64_t ingested[EV_KIND_COUNT], events, discarded;
    uint64_t emitted[EV_KIND_COUNT];
    int have_emitted;
    int64_t range_begin, range_end;
};

static int exit_for_ctf(enum ctf_status st)
{
    switch (st) {
    case CTF_OK:
        return IX_OK;
    case CTF_NO_TRACE:
        return IX_NO_TRACE;
    case CTF_METADATA:
        return IX_METADATA;
    case CTF_STREAM:
        return IX_STREAM;
    case CTF_NOT_DLSYNC:
        return IX_NOT_DLSYNC;
    case CTF_STOPPED:
        return interrupted ? IX_INTERRUPTED : IX_DB;
    default:
        return IX_INTERNAL;
    }
}

static int exit_for_db(int st)
{
    return st == DB_FULL ? IX_FULL : IX_DB;
}

struct opts {
    const char *trace, *db;
    int busy_ms, quiet, progress;
};

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'}, {"busy-timeout", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},    {"no-progress", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
    };
    *o = (struct opts){.busy_ms = 5000, .progress = 1};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "d:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'b': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 3600000) {
                fprintf(stderr, "dlsync ingest: --busy-timeout wants milliseconds, not '%s'\n",
                        optarg);
                return IX_USAGE;
            }
            o->busy_ms = (int)v;
            break;
        }
        case 'q':
            o->quiet = 1;
            break;
        case 'P':
            o->progress = 0;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            fputs(usage, stderr);
            return IX_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "dlsync ingest: exactly one TRACE directory expected\n");
        fputs(usage, stderr);
        return IX_USAGE;
    }
    o->trace = argv[optind];
    return IX_OK;
}

static void install_signals(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
    sigaction(SIGHUP, &sa, &old[2]);
}

static void restore_signals(const struct sigaction *old)
{
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
    sigaction(SIGHUP, &old[2], NULL);
}

/* Consume batches until every trace ended or something failed; returns the
 * exit code.  err gets the message. */
static int write_all(struct queue *q, struct db *db, char **traces, int ntraces,
                     const struct opts *o, char *err, size_t errn)
{
    struct run_state *rs = NULL;
    struct progress bar;
    char label[64];
    int code = IX_OK, ended = 0;
    uint64_t total = 0;
    progress_init(&bar, "ingest", o->progress);
    while (ended < ntraces) {
        struct batch *b = pop(q);
        if (code != IX_OK) { /* drain until the reader stops */
            int last = b->kind == B_TRACE_END;
            batch_put_free(q, b);
            if (last)
                break;
            continue;
        }
        if (!rs) {
            rs = calloc(1, sizeof *rs);
            if (!rs)
                abort();
            struct model_sink sink = db_sink_template;
            sink.ctx = db;
            model_init(&rs->m, &sink);
            db_run_begin(db, traces[b->trace], &rs->seq_base);
            rs->first_seq = rs->seq_base;
            if (ctf_time_range(traces[b->trace], &rs->range_begin, &rs->range_end) != 0)
                rs->range_begin = rs->range_end = 0;
            snprintf(label, sizeof label, ntraces > 1 ? "ingest %d/%d" : "ingest", b->trace + 1,
                     ntraces);
            bar.label = label;
        }
        switch (b->kind) {
        case B_EVENTS:
            for (size_t i = 0; i < b->n; i++) {
                struct rev *e = &b->ev[i];
                e->seq += rs->seq_base - 1;
                model_apply(&rs->m, e);
                db_put_event(db, e);
                rs->ingested[e->kind]++;
            }
            rs->events += b->n;
            total += b->n;
            if (b->n && rs->range_end > rs->range_begin)
                progress_update(&bar,
                                (double)(b->ev[b->n - 1].ts - rs->range_begin) /
                                    (double)(rs->range_end - rs->range_begin),
                                total);
            break;
        case B_DISCARDED:
            rs->discarded += b->dcount;
            db_put_discarded(db, b->dcount, b->dbeg, b->dend);
            progress_done(&bar);
            fprintf(stderr,
                    "dlsync ingest: %s: the tracer discarded %llu event(s)%s; the run's timeline "
                    "has a gap there (not a hang)\n",
                    traces[b->trace], (unsigned long long)b->dcount,
                    b->dcount ? "" : " (count unknown)");
            break;
        case B_COUNTS:
            memcpy(rs->emitted, b->counts, sizeof rs->emitted);
            rs->have_emitted = 1;
            break;
        case B_TRACE_END:
            ended++;
            if (b->status != CTF_OK) {
                code = exit_for_ctf(b->status);
                if (b->status == CTF_STOPPED && interrupted)
                    snprintf(err, errn, "interrupted by signal %d", (int)interrupted);
                else
                    snprintf(err, errn, "%s", b->err);
                break;
            }
            model_flush(&rs->m);
            struct run_summary s = {
                .m = &rs->m,
                .events = rs->events,
                .discarded = rs->discarded,
                .foreign = b->foreign,
                .first_seq = rs->first_seq,
                .ingested = rs->ingested,
                .emitted = rs->have_emitted ? rs->emitted : NULL,
            };
            memcpy(s.uuid, b->uuid, sizeof s.uuid);
            db_run_end(db, &s);
            if (!o->quiet && db->status == DB_OK) {
                progress_done(&bar);
                const struct model *m = &rs->m;
                printf("run %lld: %s, seed %lld, %s: %llu events (seq %lld-%lld)%s from %s\n",
                       (long long)db->run_id, m->scenario[0] ? m->scenario : "?",
                       (long long)m->seed, m->run_end_seq ? "ended" : "no run_end",
                       (unsigned long long)rs->events, (long long)rs->first_seq,
                       (long long)m->last_seq, rs->discarded ? ", with discarded events" : "",
                       traces[b->trace]);
            }
            model_free(&rs->m);
            free(rs);
            rs = NULL;
            break;
        }
        batch_put_free(q, b);
        if (code == IX_OK && (db->status != DB_OK || interrupted)) {
            code = interrupted ? IX_INTERRUPTED : exit_for_db(db->status);
            if (db->status != DB_OK)
                snprintf(err, errn, "%s", db->err);
            else
                snprintf(err, errn, "interrupted by signal %d", (int)interrupted);
            atomic_store(&q->abort, 1);
            pthread_mutex_lock(&q->mu);
            pthread_cond_broadcast(&q->cv);
            pthread_mutex_unlock(&q->mu);
        }
    }
    progress_done(&bar);
    if (rs) {
        model_free(&rs->m);
        free(rs);
    }
    if (code == IX_OK && interrupted) {
        code = IX_INTERRUPTED;
        snprintf(err, errn, "interrupted by signal %d", (int)interrupted);
    }
    return code;
}

static void free_queue(struct queue *q)
{
    while (q->head) {
        struct batch *b = q->head;
        q->head = b->next;
        free(b);
    }
    while (q->free) {
        struct batch *b = q->free;
        q->free = b->next;
        free(b);
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
}

/* The absolute paths of the traces under o->trace; exit code. */
static int find(const struct opts *o, char ***traces, int *n)
{
    char **found = NULL;
    int k = ctf_find_traces(o->trace, &found);
    if (k < 0) {
        fprintf(stderr, "dlsync ingest: %s: %s\n", o->trace, strerror(errno));
        return IX_NO_TRACE;
    }
    if (k == 0) {
        fprintf(stderr,
                "dlsync ingest: %s: no CTF trace here (no directory under it has a `metadata` "
                "file)\n",
                o->trace);
        free(found);
        return IX_NO_TRACE;
    }
    for (int i = 0; i < k; i++) {
        char *abs = realpath(found[i], NULL);
        if (abs) {
            free(found[i]);
            found[i] = abs;
        }
    }
    *traces = found;
    *n = k;
    return IX_OK;
}

int cmd_ingest(int argc, char **argv)
{
    struct opts o;
    int code = parse(argc, argv, &o);
    if (code != IX_OK)
        return code < 0 ? IX_OK : code;
    char **traces = NULL;
    int ntraces = 0;
    if ((code = find(&o, &traces, &ntraces)) != IX_OK)
        return code;
    char dbpath[PATH_MAX];
    snprintf(dbpath, sizeof dbpath, "%s", o.db ? o.db : "");
    if (!o.db) {
        struct stat st;
        if (stat(o.trace, &st) == 0 && S_ISDIR(st.st_mode))
            snprintf(dbpath, sizeof dbpath, "%s/dlsync.db", o.trace);
    }
    struct sigaction old[3];
    install_signals(old);
    db_clean_stale(dbpath);
    struct db db;
    int replaced = 0;
    char err[1536] = "";
    if (db_ingest_open(&db, dbpath, traces, ntraces, o.busy_ms, &replaced) != DB_OK) {
        code = exit_for_db(db.status);
        snprintf(err, sizeof err, "%s", db.err);
        db_ingest_abort(&db);
        goto out;
    }
    if (replaced && !o.quiet)
        fprintf(stderr, "dlsync ingest: %s: replacing %d earlier ingest(s) of this trace\n", dbpath,
                replaced);
    struct queue q = {.head = NULL};
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.cv, NULL);
    atomic_init(&q.abort, 0);
    struct reader r = {.q = &q, .traces = traces, .ntraces = ntraces};
    pthread_t tid;
    if (pthread_create(&tid, NULL, reader_main, &r) != 0) {
        code = IX_INTERNAL;
        snprintf(err, sizeof err, "cannot start the reader thread");
        db_ingest_abort(&db);
        free_queue(&q);
        goto out;
    }
    code = write_all(&q, &db, traces, ntraces, &o, err, sizeof err);
    pthread_join(tid, NULL);
    free_queue(&q);
    if (code == IX_OK && interrupted) {
        code = IX_INTERRUPTED;
        snprintf(err, sizeof err, "interrupted by signal %d", (int)interrupted);
    }
    if (code == IX_OK && db_ingest_commit(&db) != DB_OK) {
        code = exit_for_db(db.status);
        snprintf(err, sizeof err, "%s", db.err);
    }
    if (code != IX_OK)
        db_ingest_abort(&db);
    else if (!o.quiet)
        printf("database: %s\n", dbpath);
out:
    restore_signals(old);
    if (code != IX_OK)
        fprintf(stderr, "dlsync ingest: %s%s\n", err,
                code == IX_INTERRUPTED || code == IX_DB || code == IX_FULL
                    ? " (the database is unchanged)"
                    : " (nothing was written)");
    ctf_free_dirs(traces, ntraces);
    return code;
}
