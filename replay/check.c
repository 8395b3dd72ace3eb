/*
 * replay/check.c — `dlsync check`: judge a run from its events alone.
 *
 * Owns the command line, the pass over the events (one model, fed to the
 * three families of check.h), and the findings' output and storage (the
 * findings table, replaced for the run each time).  Never reads the run's
 * variant or status: only events.  Takes SQLite's write lock for the moment
 * it replaces the findings.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/cmdline.h"
#include "replay/commands.h"
#include "replay/db.h"

static const char usage[] =
    "usage: dlsync check DB [--run N] [--json] [--no-store]\n"
    "\n"
    "Judge a run from its events alone (never from the variant it was run with):\n"
    "  - every invariant I1-I9 of docs/protocol.md section 4, each finding naming the\n"
    "    invariant, the threads and the event seqs that break it;\n"
    "  - a hang at the end of the trace: the wait-for graph over threads (state\n"
    "    lock, lease loops, mutexes, bus receives, barrier phases, a parent waiting\n"
    "    for its child, checkpoint freezes), each cycle told as a short story, and\n"
    "    every stall without a cycle traced to the party that never arrives (asleep\n"
    "    and never woken, exited still subscribed, in a guest wait, ...);\n"
    "  - lock-order prediction (like lockdep): orders seen in this trace that another\n"
    "    interleaving could turn into a deadlock, even when this run completed.\n"
    "Findings are printed and stored in the findings table (replacing the run's\n"
    "earlier ones).\n"
    "\n"
    "Options:\n"
    "  --run N       the run (runs.run_id).  Default: the newest.\n"
    "  --json        JSON on stdout instead of text.\n"
    "  --no-store    do not write the findings table (a read-only database).\n"
    "  -h, --help    this text.\n"
    "\n"
    "Exit status: 0 clean, 1 findings, 2 error: a bad command line, no such run,\n"
    "findings that cannot be stored, or a database that cannot be opened or read\n"
    "(missing, a directory, an empty file, not a dlsync database, another schema\n"
    "version, locked by another process, or a hot journal on read-only media; the\n"
    "message says which).\n";

struct pass {
    struct model m;
    struct findings f;
    struct lockorder *lo;
};

static int judge(void *arg, const struct rev *e)
{
    struct pass *p = arg;
    invariants_event(&p->f, &p->m, e);
    lockorder_event(p->lo, &p->m, e);
    model_apply(&p->m, e);
    return 0;
}

static void seqs_text(const struct finding *d, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < d->nseqs && used < n; i++)
        used +=
            (size_t)snprintf(buf + used, n - used, "%s%lld", i ? " " : "", (long long)d->seqs[i]);
}

static int64_t first_seq(const struct finding *d)
{
    int64_t s = 0;
    for (int i = 0; i < d->nseqs; i++)
        if (d->seqs[i] && (!s || d->seqs[i] < s))
            s = d->seqs[i];
    return s;
}

/* The whole message of d, with its repeats. */
static char *full_message(const struct finding *d)
{
    char *s = NULL;
    if (d->repeats) {
        if (asprintf(&s, "%s (and %lld more time%s, the last at seq %lld)",
                     d->message ? d->message : "", (long long)d->repeats, d->repeats > 1 ? "s" : "",
                     (long long)d->last_seq) < 0)
            s = NULL;
    } else {
        s = strdup(d->message ? d->message : "");
    }
    return s;
}

static int store(struct db *db, int64_t run, const struct findings *f)
{
    int code; /* what failed, read before a ROLLBACK resets it */
    if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_stmt *del = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(db->h, "DELETE FROM findings WHERE run_id = ?", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db->h,
                           "INSERT INTO findings (run_id, rule, threads, objects, seqs, "
                           "first_seq, message) VALUES (?,?,?,?,?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        code = sqlite3_extended_errcode(db->h);
        sqlite3_finalize(del);
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        goto told;
    }
    sqlite3_bind_int64(del, 1, run);
    int rc = sqlite3_step(del);
    for (size_t i = 0; rc == SQLITE_DONE && i < f->n; i++) {
        const struct finding *d = &f->v[i];
        char seqs[160];
        seqs_text(d, seqs, sizeof seqs);
        char *msg = full_message(d);
        sqlite3_bind_int64(ins, 1, run);
        sqlite3_bind_text(ins, 2, d->rule, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, d->threads, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, d->objects, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 5, seqs, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 6, first_seq(d));
        sqlite3_bind_text(ins, 7, msg ? msg : "", -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        free(msg);
    }
    code = sqlite3_extended_errcode(db->h);
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (rc != SQLITE_DONE) {
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        goto told;
    }
    if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
fail:
    code = sqlite3_extended_errcode(db->h);
told:
    fprintf(stderr, "dlsync check: %s: cannot store the findings: %s%s\n", db->path,
            db_cause(code, NULL),
            db_status_of(code) == DB_UNWRITABLE ? " (--no-store judges without storing)" : "");
    return -1;
}

static void print(const struct findings *f, int64_t run, int64_t events, int json)
{
    if (json) {
        printf("{\"run\": %lld, \"events\": %lld, \"findings\": [", (long long)run,
               (long long)events);
        for (size_t i = 0; i < f->n; i++) {
            const struct finding *d = &f->v[i];
            char *msg = full_message(d);
            printf("%s\n  {\"rule\": ", i ? "," : "");
            cmd_json_str(stdout, d->rule);
            printf(", \"threads\": ");
            cmd_json_str(stdout, d->threads);
            printf(", \"objects\": ");
            cmd_json_str(stdout, d->objects);
            printf(", \"seqs\": [");
            for (int k = 0; k < d->nseqs; k++)
                printf("%s%lld", k ? ", " : "", (long long)d->seqs[k]);
            printf("], \"repeats\": %lld, \"message\": ", (long long)d->repeats);
            cmd_json_str(stdout, msg);
            printf("}");
            free(msg);
        }
        printf("%s]}\n", f->n ? "\n" : "");
        return;
    }
    printf("run %lld: %lld events, %zu finding%s\n", (long long)run, (long long)events, f->n,
           f->n == 1 ? "" : "s");
    for (size_t i = 0; i < f->n; i++) {
        const struct finding *d = &f->v[i];
        char seqs[160];
        char *msg = full_message(d);
        seqs_text(d, seqs, sizeof seqs);
        printf("%s [%s] [%s] seq %s\n    %s\n", d->rule, d->threads, d->objects, seqs, msg);
        free(msg);
    }
}

/* --no-store: the one option of check's own. */
static int check_opt(struct run_cmd *c, int val, const char *arg)
{
    (void)arg;
    if (val != 'n')
        return CMD_ERROR;
    c->writable = 0;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    static const struct option own[] = {
        {"no-store", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct run_cmd c = {.name = "check",
                        .usage = usage,
                        .own = own,
                        .own_opt = check_opt,
                        .writable = 1,
                        .no_run_status = CMD_ERROR};
    int rc = run_cmd_open(&c, argc, argv);
    if (rc != RUN_CMD_GO)
        return rc;
    struct pass p = {.lo = lockorder_new()};
    model_init(&p.m, NULL);
    int64_t n = db_scan_events(&c.db, c.run.id, 0, INT64_MAX, judge, &p);
    if (n < 0) {
        fprintf(stderr, "dlsync check: %s\n", c.db.err);
        rc = CMD_ERROR;
    } else {
        int64_t discarded = c.run.discarded;
        invariants_end(&p.f, &p.m);
        waitfor_end(&p.f, &p.m, discarded);
        lockorder_end(p.lo, &p.f);
        if (discarded && !c.json)
            printf("note: the tracer discarded %lld events of this run: the events have gaps\n",
                   (long long)discarded);
        print(&p.f, c.run.id, n, c.json);
        if (c.writable && store(&c.db, c.run.id, &p.f) != 0)
            rc = CMD_ERROR;
        else
            rc = p.f.n ? 1 : 0;
    }
    findings_free(&p.f);
    lockorder_free(p.lo);
    model_free(&p.m);
    db_close(&c.db);
    return rc;
}
