/*
 * replay/check.c — the work of `dlsync check` (its command line:
 * cli/check.c): judge a run from its events alone.
 *
 * Owns the pass over the events (struct check_pass: one
 * model, fed to the families of check.h, then the gaps), and the findings'
 * storage (the findings table, replaced for the run each time; the output
 * is findings.c's, shared with the test feeder), and check_run/
 * check_findings: the same pass for the commands that show findings (state,
 * draw, replay), which never read the table.  Never reads the run's
 * variant or status: only events.  Takes SQLite's write lock for the moment
 * it replaces the findings.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/cmdline.h"
#include "replay/db.h"
#include "replay/evstream.h"

void check_pass_init(struct check_pass *p, const struct model_sink *sink)
{
    memset(p, 0, sizeof *p);
    model_init(&p->m, sink);
    p->lo = lockorder_new();
    p->hs = healed_new();
}

int check_pass_event(void *arg, const struct rev *e)
{
    struct check_pass *p = arg;
    struct mthread *t = model_enter(&p->m, e);
    invariants_event(&p->f, &p->m, t, e);
    lockorder_event(p->lo, &p->m, t, e);
    healed_event(p->hs, &p->f, &p->m, t, e);
    model_apply(&p->m, e);
    p->events++;
    return 0;
}

void check_pass_end(struct check_pass *p, const struct gaps *g)
{
    invariants_end(&p->f, &p->m);
    waitfor_end(&p->f, &p->m);
    lockorder_end(p->lo, &p->f);
    if (g)
        gaps_judge(g, &p->f, p->m.t0);
}

/* The verdict of one finding's rule, and how bad it is (larger: worse). */
static int rule_verdict(const char *rule, int *rank)
{
    static const struct {
        const char *rule; /* NULL: I1..I9 */
        int code;
    } verdicts[] = {
        {"lock-order", EX_PREDICTED}, {"healed-stall", EX_DELAYED}, {"deadlock", EX_HANG},
        {"stall", EX_HANG},           {"exclusion", EX_PROTOCOL},   {NULL, EX_PROTOCOL},
    };
    size_t i = 0;
    for (; verdicts[i].rule; i++)
        if (strcmp(rule, verdicts[i].rule) == 0)
            break;
    assert(verdicts[i].rule || (rule[0] == 'I' && rule[1] >= '1' && rule[1] <= '9'));
    *rank = (int)i;
    return verdicts[i].code;
}

int check_pass_status(const struct check_pass *p)
{
    int code = EX_OK, worst = -1;
    for (size_t i = 0; i < p->f.n; i++) {
        int rank, c = rule_verdict(p->f.v[i].rule, &rank);
        if (!p->f.v[i].unreliable && rank > worst) {
            worst = rank;
            code = c;
        }
    }
    return p->f.n && worst < 0 ? EX_UNRELIABLE : code;
}

void check_pass_free(struct check_pass *p)
{
    findings_free(&p->f);
    lockorder_free(p->lo);
    healed_free(p->hs);
    model_free(&p->m);
}

int64_t check_run(struct check_pass *p, struct db *db, const struct db_run *run, struct gaps *g)
{
    if (db_run_gaps(db, run, g) != 0)
        return -1;
    int64_t n = db_scan_events(db, run->id, 0, INT64_MAX, check_pass_event, p);
    if (n >= 0)
        check_pass_end(p, g);
    return n;
}

int64_t check_stream(struct check_pass *p, struct evstream *s, const struct gaps *g)
{
    struct rev e;
    int got;
    while ((got = evstream_next(s, &e)) == 1)
        check_pass_event(p, &e);
    if (got < 0)
        return -1;
    check_pass_end(p, g);
    return p->events;
}

int check_findings(struct db *db, const struct db_run *run, struct findings *f)
{
    struct check_pass p;
    struct gaps g = {0};
    check_pass_init(&p, NULL);
    int64_t n = check_run(&p, db, run, &g);
    *f = p.f;
    memset(&p.f, 0, sizeof p.f);
    check_pass_free(&p);
    gaps_free(&g);
    if (n < 0) {
        findings_free(f);
        return -1;
    }
    /* By first seq, ties in check's order: a stable insertion sort (a run
     * has few findings, repeats folded). */
    for (size_t i = 1; i < f->n; i++) {
        struct finding d = f->v[i];
        size_t j = i;
        while (j > 0 && finding_first_seq(&f->v[j - 1]) > finding_first_seq(&d)) {
            f->v[j] = f->v[j - 1];
            j--;
        }
        f->v[j] = d;
    }
    return 0;
}

/* Replace run's findings in the findings table with f.  EX_OK, or EX_OUTPUT /
 * EX_DISK_FULL after the message. */
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
                           "first_seq, message, reliable, unreliable) VALUES (?,?,?,?,?,?,?,?,?)",
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
        finding_seqs(d, seqs, sizeof seqs);
        char *msg = finding_message(d);
        sqlite3_bind_int64(ins, 1, run);
        sqlite3_bind_text(ins, 2, d->rule, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, d->threads, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, d->objects, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 5, seqs, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 6, finding_first_seq(d));
        sqlite3_bind_text(ins, 7, msg, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 8, !d->unreliable);
        if (d->unreliable)
            sqlite3_bind_text(ins, 9, d->unreliable, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ins, 9);
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
    return db_status_of(code) == DB_FULL ? EX_DISK_FULL : EX_OUTPUT;
}

int check_judge(const struct check_opts *o)
{
    struct db db;
    struct db_run run;
    int rc = run_open("check", o->db, o->run, o->store, &db, &run);
    if (rc != EX_OK)
        return rc;
    struct check_pass p;
    struct gaps gaps = {0};
    check_pass_init(&p, NULL);
    int64_t n = check_run(&p, &db, &run, &gaps);
    if (n < 0) {
        fprintf(stderr, "dlsync check: %s\n", db.err);
        rc = db.status == DB_CORRUPT ? EX_CORRUPT : EX_NO_INPUT;
    } else {
        if (gaps_any(&gaps) && !o->json && !o->quiet)
            printf("note: the trace of this run has gaps (events discarded by the tracer, or "
                   "fewer than run_end counted): findings they could explain are marked "
                   "unreliable\n");
        if (!o->quiet)
            findings_print(stdout, &p.f, run.id, n, o->json);
        rc = o->store ? store(&db, run.id, &p.f) : EX_OK;
        if (rc == EX_OK)
            rc = check_pass_status(&p);
    }
    gaps_free(&gaps);
    check_pass_free(&p);
    db_close(&db);
    return rc;
}
