/*
 * grade/diagnose.c — diagnose exercises, the trace detective (grade/grade.h):
 * an instance is the trace and the database of a failing run of a buggy
 * variant the student is never told, and the grader of the student's
 * answers about it.
 *
 * exercise.conf keys read here:
 *
 *     scenario  mixed         a built-in scenario (dlsync run --list-scenarios)
 *     groups    3             initial groups
 *     ops       10            actions per worker
 *     variant   naive-write   the buggy variant: the grader's secret
 *
 * The instance of seed N is the first of the run seeds N*DIAGNOSE_TRIES+1,
 * +2, ... whose run of the variant under the controlled scheduler fails (a
 * hang, a divergence, a protocol error, a delay; tried in a child,
 * lib/trial.h), recorded with LTTng (`dlsync record`) and ingested (`dlsync
 * ingest`) in children of /proc/self/exe.  The controlled scheduler makes
 * the same seed the same run, event for event.  The trace names the run's
 * variant "exercise NN" (run --label), so nothing in the instance's folder
 * names the bug, and the children's output (the watchdog's report names the
 * variant) goes to a scratch file, never to the student's terminal.
 *
 * The facts (the answer key) are read from the database through replay/ at
 * the end of the trace, never by interpreting events here: the model
 * (session_model) for the threads, check_findings for the verdict.
 *
 *     seed N
 *     blocked: group-1 group-3    every live thread blocked at the end: in a
 *                                 lock, a receive, at the barrier, in a wait,
 *                                 or retrying a try (describe_is_blocked)
 *     holds group-1: ...          per blocked thread: what it holds, in the
 *                                 words of `dlsync state` (describe_holds,
 *                                 comma-separated; "nothing")
 *     waits group-1: state lock   per blocked thread: what it waits on
 *                                 (describe_wait_object)
 *     epoch: 3                    the newest epoch the run began (none)
 *     phase: 1                    the phase of that epoch's barrier its
 *                                 parties wait at (none: nobody waits there)
 *     invariant: I3               the rule of the root finding: check's
 *                                 first invariant (I1..I9) finding, else its
 *                                 first finding
 *     first-wrong: 194            the event of the root finding that broke
 *                                 the rule (first_wrong)
 *
 * Grading, a test per question, 1 mark each: blocked by set (a missing or
 * an extra thread costs 1/n), holds and waits per blocked thread, the rest
 * exact; half a mark for another rule check found (invariant) or another
 * seq the root finding cites (first-wrong).  Values are compared trimmed,
 * without case, spaces collapsed; a thread is written group-N, gN or N.
 * '?' is unanswered, '#' starts a comment.  In a folder the grader reads
 * answers.txt.  A malformed file scores zero, with the file, line and cause.
 *
 * Owns nothing past a call.  Single-threaded; no locks.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "grade/answers.h"
#include "grade/grade.h"
#include "lib/run.h"
#include "lib/scenario.h"
#include "lib/trial.h"
#include "lib/variant.h"
#include "replay/check.h"
#include "replay/describe.h"
#include "replay/session.h"

enum {
    DIAGNOSE_TRIES = 32,    /* run seeds tried for a failing run */
    DIAGNOSE_LIMIT_S = 120, /* wall clock of a record or an ingest */
    DIAGNOSE_FILE_MAX = 8192,
    DIAGNOSE_LINE_MAX = 400, /* a blocked line of 40 threads */
    DIAGNOSE_VALUE = 512,
    DIAGNOSE_NEAR = FINDING_MAX_SEQS,
};

/* The questions with one answer each, in the order of the answers file. */
enum { Q_BLOCKED, Q_EPOCH, Q_PHASE, Q_INVARIANT, Q_FIRST_WRONG, NQUESTIONS };
static const char *const questions[NQUESTIONS] = {"blocked", "epoch", "phase", "invariant",
                                                  "first-wrong"};

/* What one blocked thread holds and waits on. */
struct thread_facts {
    char thread[32];
    char holds[DIAGNOSE_VALUE];
    char waits[DIAGNOSE_VALUE];
    int has_holds, has_waits;
};

/* An answers file, or the answer key: every value normalised (normalise). */
struct answers {
    unsigned long seed;
    char v[NQUESTIONS][DIAGNOSE_VALUE]; /* "" unanswered */
    struct thread_facts t[RUN_MAX_THREADS];
    int nt;
    /* The key only: the other rules check found, and the other seqs the
     * root finding cites (half marks). */
    char rules[DIAGNOSE_VALUE];
    int64_t near[DIAGNOSE_NEAR];
    int nnear;
};

/* A value as it is compared: trimmed, lower case, runs of spaces as one. */
static void normalise(const char *s, char *out, size_t n)
{
    size_t j = 0;
    while (isspace((unsigned char)*s))
        s++;
    for (; *s && j + 1 < n; s++) {
        if (isspace((unsigned char)*s)) {
            if (j > 0 && out[j - 1] != ' ')
                out[j++] = ' ';
            continue;
        }
        out[j++] = (char)tolower((unsigned char)*s);
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = 0;
}

/* A normalised list of threads (space-separated) with each thread written
 * gN or N as group-N, in place (n bytes). */
static void normalise_threads(char *list, size_t n)
{
    char in[DIAGNOSE_VALUE], *save;
    size_t len = 0;
    snprintf(in, sizeof in, "%s", list);
    list[0] = 0;
    for (char *t = strtok_r(in, " ,", &save); t && len < n; t = strtok_r(NULL, " ,", &save)) {
        const char *d = t[0] == 'g' ? t + 1 : t;
        int number = *d && strspn(d, "0123456789") == strlen(d);
        len += (size_t)snprintf(list + len, n - len, "%s%s%s", len ? " " : "",
                                number ? "group-" : "", number ? d : t);
    }
}

/* The entry of thread in a, a new one when a has none; NULL when a has
 * RUN_MAX_THREADS already. */
static struct thread_facts *thread_of(struct answers *a, const char *thread)
{
    for (int i = 0; i < a->nt; i++)
        if (strcmp(a->t[i].thread, thread) == 0)
            return &a->t[i];
    if (a->nt == RUN_MAX_THREADS)
        return NULL;
    struct thread_facts *t = &a->t[a->nt++];
    memset(t, 0, sizeof *t);
    snprintf(t->thread, sizeof t->thread, "%s", thread);
    return t;
}

/* ---- the instance ---- */

/* The exercise's run, as the settings say, with its buggy variant.
 * EX_OK or EX_CORRUPT after the message. */
static int instance_config(const struct exercise *ex, struct scenario *scn, struct run_config *cfg)
{
    const char *variant = exercise_get(ex, "variant");
    int v = variant ? variant_by_name(variant) : -1;
    if (v <= 0) {
        fprintf(stderr, "dlsync: %s/exercise.conf: needs a buggy variant\n", ex->dir);
        return EX_CORRUPT;
    }
    return exercise_run_config(ex, v, scn, cfg);
}

/* The first run seed of seed's instance whose run fails, into cfg->seed.
 * EX_OK, or an exit code after the message.  The trials' output (which
 * names the variant) is captured and dropped. */
static int failing_seed(unsigned long seed, struct run_config *cfg)
{
    for (int t = 0; t < DIAGNOSE_TRIES; t++) {
        struct trial_result r;
        cfg->seed = (uint64_t)seed * DIAGNOSE_TRIES + (uint64_t)t + 1;
        if (trial_run(cfg, 1, &r) != 0) {
            fprintf(stderr, "dlsync: cannot start the run: %s\n", strerror(errno));
            return EX_INTERNAL;
        }
        int failed = r.status >= RUN_HANG && r.status <= RUN_DELAYED;
        trial_free(&r);
        if (failed)
            return EX_OK;
    }
    fprintf(stderr, "dlsync: seed %lu: no failing run in %d tries; try another seed\n", seed,
            DIAGNOSE_TRIES);
    return EX_NOT_FOUND;
}

/* The lines of the children's output file out that do not name the
 * variant, on stderr: why a record or an ingest failed, kept secret. */
static void secret_tail(const char *out, const char *variant)
{
    char line[512];
    FILE *f = fopen(out, "r");
    while (f && fgets(line, sizeof line, f))
        if (!strstr(line, variant))
            fprintf(stderr, "  %s", line);
    if (f)
        fclose(f);
}

/* Record and ingest the run of cfg into dir (trace/ and run.db), the
 * children's output in the scratch file out.  EX_OK, or EX_INTERNAL after
 * the message. */
static int record_instance(const struct exercise *ex, const struct run_config *cfg, const char *dir,
                           const char *out)
{
    char trace[4200], db[4200], seed[32], groups[16], ops[16], label[32], limit[16];
    snprintf(trace, sizeof trace, "%s/trace", dir);
    snprintf(db, sizeof db, "%s/run.db", dir);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    snprintf(groups, sizeof groups, "%d", cfg->groups);
    snprintf(ops, sizeof ops, "%d", cfg->ops);
    snprintf(label, sizeof label, "exercise %s", ex->id);
    snprintf(limit, sizeof limit, "%d", DIAGNOSE_LIMIT_S / 2);
    const char *variant = exercise_get(ex, "variant");
    char *rec[] = {"dlsync",     "record",
                   "-q",         "-o",
                   trace,        "--timeout",
                   limit,        "--",
                   "--scenario", (char *)cfg->scenario_arg,
                   "--groups",   groups,
                   "--ops",      ops,
                   "--seed",     seed,
                   "--variant",  (char *)variant,
                   "--label",    label,
                   NULL};
    char *ing[] = {"dlsync", "ingest", trace, "-d", db, "-q", "--no-progress", NULL};
    int rrc = grade_child(rec, out, DIAGNOSE_LIMIT_S);
    int irc = rrc >= RUN_HANG && rrc <= RUN_DELAYED ? grade_child(ing, out, DIAGNOSE_LIMIT_S) : -1;
    if (irc == EX_OK)
        return EX_OK;
    fprintf(stderr, "dlsync: the instance's run could not be %s (exit %d):\n",
            irc < 0 ? "recorded" : "ingested", irc < 0 ? rrc : irc);
    secret_tail(out, variant);
    return EX_INTERNAL;
}

/* The root finding of f: its first invariant finding (I1..I9), else its
 * first finding.  f->n > 0. */
static const struct finding *root_finding(const struct findings *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].rule[0] == 'I' && isdigit((unsigned char)f->v[i].rule[1]))
            return &f->v[i];
    return &f->v[0];
}

/* The event where the protocol went wrong, of the root finding d: an
 * invariant's finding cites the event it judged last, after the events
 * that set the scene (I2: the write held, then the lease tried; I8: the
 * woken entry, then the relaxed load); a hang's cites first the wait or
 * the exit that began it. */
static int64_t first_wrong(const struct finding *d)
{
    int invariant = d->rule[0] == 'I' && d->nseqs > 0;
    return invariant ? d->seqs[d->nseqs - 1] : finding_first_seq(d);
}

/* The answer key from the database at db into *a.  EX_OK, or EX_INTERNAL
 * after the message. */
static int instance_facts(const char *db, struct answers *a)
{
    struct session s;
    struct findings f = {0};
    struct model m;
    int rc = EX_INTERNAL;
    model_init(&m, NULL);
    if (session_open(&s, db, 0) != SESSION_OK || check_findings(&s.db, &s.row, &f) != 0 ||
        session_model(&s, s.last_seq, &m) < 0)
        fprintf(stderr, "dlsync: %s: %s\n", db, s.err[0] ? s.err : s.db.err);
    else if (f.n == 0)
        fprintf(stderr, "dlsync: %s: check finds nothing wrong in the instance's run\n", db);
    else
        rc = EX_OK;
    if (rc == EX_OK) {
        char buf[DIAGNOSE_VALUE], name[32];
        for (int64_t i = 0; i < m.nthreads; i++) {
            const struct mthread *t = m.threads[i];
            if (!describe_is_blocked(t) && !t->retry_obj)
                continue;
            model_thread_name(t, name, sizeof name);
            struct thread_facts *tf = thread_of(a, name);
            if (!tf)
                break;
            describe_holds(t, buf, sizeof buf);
            normalise(buf[0] ? buf : "nothing", tf->holds, sizeof tf->holds);
            normalise(describe_wait_object(t), tf->waits, sizeof tf->waits);
            tf->has_holds = tf->has_waits = 1;
            size_t len = strlen(a->v[Q_BLOCKED]);
            snprintf(a->v[Q_BLOCKED] + len, DIAGNOSE_VALUE - len, "%s%s", len ? " " : "", name);
        }
        int64_t phase = 0;
        for (int64_t i = 0; i < m.nthreads; i++)
            if (m.threads[i]->pos == MP_BARRIER && m.threads[i]->pos_epoch == m.epoch_last &&
                m.threads[i]->pos_phase > phase)
                phase = m.threads[i]->pos_phase;
        snprintf(a->v[Q_EPOCH], DIAGNOSE_VALUE, m.epoch_last > 0 ? "%lld" : "none",
                 (long long)m.epoch_last);
        snprintf(a->v[Q_PHASE], DIAGNOSE_VALUE, phase > 0 ? "%lld" : "none", (long long)phase);
        const struct finding *root = root_finding(&f);
        snprintf(a->v[Q_INVARIANT], DIAGNOSE_VALUE, "%s", root->rule);
        snprintf(a->v[Q_FIRST_WRONG], DIAGNOSE_VALUE, "%lld", (long long)first_wrong(root));
        for (size_t i = 0; i < f.n; i++) {
            normalise(f.v[i].rule, buf, sizeof buf);
            finding_list_add(a->rules, sizeof a->rules, " ", buf);
        }
        for (int i = 0; i < root->nseqs && a->nnear < DIAGNOSE_NEAR; i++)
            a->near[a->nnear++] = root->seqs[i];
    }
    model_free(&m);
    findings_free(&f);
    session_close(&s);
    return rc;
}

/* Make seed's instance in dir (which must not hold one) and read its facts
 * into *key.  EX_OK, or an exit code after the message. */
static int make_instance(const struct exercise *ex, unsigned long seed, const char *dir,
                         struct answers *key)
{
    struct scenario scn;
    struct run_config cfg;
    char db[4200], out[4200];
    const char *tmp = getenv("TMPDIR");
    memset(key, 0, sizeof *key);
    key->seed = seed;
    int rc = instance_config(ex, &scn, &cfg);
    if (rc == EX_OK)
        rc = failing_seed(seed, &cfg);
    if (rc != EX_OK)
        return rc;
    snprintf(db, sizeof db, "%s/run.db", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "dlsync: %s: %s\n", dir, strerror(errno));
        return EX_OUTPUT;
    }
    struct stat st;
    snprintf(out, sizeof out, "%s/trace", dir);
    if (stat(db, &st) == 0 || stat(out, &st) == 0) {
        fprintf(stderr, "dlsync: %s holds an instance already; remove it or choose another -o\n",
                dir);
        return EX_OUTPUT;
    }
    snprintf(out, sizeof out, "%s/dlsync-diagnose-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(out);
    if (fd < 0) {
        fprintf(stderr, "dlsync: %s: %s\n", out, strerror(errno));
        return EX_INTERNAL;
    }
    close(fd);
    rc = record_instance(ex, &cfg, dir, out);
    unlink(out);
    return rc == EX_OK ? instance_facts(db, key) : rc;
}

/* The answers file of key on f: with answers the key, else `?` in place of
 * every fact. */
static void print_answers(const struct exercise *ex, const struct answers *key, const char *dir,
                          int answers, FILE *f)
{
    fprintf(f, "# dlsync exercise %s: %s\n", ex->id, exercise_get(ex, "title"));
    fprintf(f,
            "# Your instance is in %s: trace/ (the LTTng trace of a run that went\n"
            "# wrong) and run.db (its database).  Read them with dlsync state, dlsync\n"
            "# draw, dlsync replay and sqlite3 (see the handout), replace each ? and\n"
            "# submit this file as answers.txt.\n",
            dir);
    fprintf(f, "%s\nseed %lu\n", answers ? "# The answer key." : "# Your answers:", key->seed);
    fprintf(f, "blocked: %s\n", answers ? key->v[Q_BLOCKED] : "?");
    if (answers)
        for (int i = 0; i < key->nt; i++)
            fprintf(f, "holds %s: %s\nwaits %s: %s\n", key->t[i].thread, key->t[i].holds,
                    key->t[i].thread, key->t[i].waits);
    else
        fputs("# and a pair of lines for each blocked thread, e.g. for group-1:\n"
              "# holds group-1: what it holds, as dlsync state words it (or: nothing)\n"
              "# waits group-1: what it waits on (barrier, state lock, lease, barrier bus, ...)\n",
              f);
    for (int q = Q_EPOCH; q < NQUESTIONS; q++)
        fprintf(f, "%s: %s\n", questions[q], answers ? key->v[q] : "?");
}

int diagnose_instance(const struct exercise *ex, unsigned long seed, int answers, const char *dir,
                      FILE *f)
{
    struct answers *key = malloc(sizeof *key);
    if (!key) {
        fputs("dlsync exercise: out of memory\n", stderr);
        return EX_INTERNAL;
    }
    int rc = make_instance(ex, seed, dir, key);
    if (rc == EX_OK)
        print_answers(ex, key, dir, answers, f);
    free(key);
    return rc;
}

/* ---- the answers file ---- */

/* One `KEY: VALUE` line into the answers at ctx (answers_line_fn). */
static int take_line(void *ctx, const char *k, const char *v, const char *where, char *why,
                     size_t n)
{
    struct answers *a = ctx;
    char key[DIAGNOSE_VALUE], value[DIAGNOSE_VALUE];
    normalise(k, key, sizeof key);
    normalise(v, value, sizeof value);
    if (strcmp(value, "?") == 0)
        value[0] = 0;
    char *slot = NULL;
    int *has = NULL, dup = 0;
    for (int q = 0; q < NQUESTIONS; q++)
        if (strcmp(key, questions[q]) == 0) {
            slot = a->v[q];
            dup = slot[0] != 0;
        }
    if (!slot && (strncmp(key, "holds ", 6) == 0 || strncmp(key, "waits ", 6) == 0)) {
        char thread[DIAGNOSE_VALUE];
        snprintf(thread, sizeof thread, "%s", key + 6);
        normalise_threads(thread, sizeof thread);
        struct thread_facts *t = strlen(thread) < sizeof t->thread ? thread_of(a, thread) : NULL;
        if (!t) {
            snprintf(why, n, "%s: `%.60s`: not a thread, or too many threads", where, key);
            return -1;
        }
        slot = key[0] == 'h' ? t->holds : t->waits;
        has = key[0] == 'h' ? &t->has_holds : &t->has_waits;
        dup = *has;
        *has = 1;
    }
    if (!slot) {
        snprintf(why, n,
                 "%s: unknown question `%.60s` (the questions: blocked, holds THREAD, waits "
                 "THREAD, epoch, phase, invariant, first-wrong)",
                 where, key);
        return -1;
    }
    if (dup) {
        snprintf(why, n, "%s: `%.60s` answered twice", where, key);
        return -1;
    }
    snprintf(slot, DIAGNOSE_VALUE, "%s", value);
    if (slot == a->v[Q_BLOCKED])
        normalise_threads(slot, DIAGNOSE_VALUE);
    return 0;
}

/* Read the answers file at path into *a (grade/answers.h).  0; -1 with why
 * (naming the file and line) when it is malformed; -2 when it cannot be
 * read. */
static int read_answers(const char *path, struct answers *a, char *why, size_t n)
{
    memset(a, 0, sizeof *a);
    return answers_read(path, DIAGNOSE_FILE_MAX, DIAGNOSE_LINE_MAX, &a->seed, take_line, a, why, n);
}

/* ---- grading ---- */

/* An item of a list, without the spaces around it (in place). */
static char *trim(char *t)
{
    t += strspn(t, " ");
    size_t len = strlen(t);
    while (len > 0 && t[len - 1] == ' ')
        t[--len] = 0;
    return t;
}

/* Is word (trimmed) one of the items of list (separated by sep)? */
static int has_item(const char *list, const char *sep, const char *word)
{
    char buf[DIAGNOSE_VALUE], *save;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save))
        if (strcmp(trim(t), word) == 0)
            return 1;
    return 0;
}

/* The items of want found in got, less those of got not in want, over the
 * items of want (0 to 1; two empty lists agree). */
static double set_score(const char *want, const char *got, const char *sep)
{
    char buf[DIAGNOSE_VALUE], *save;
    int nw = 0, ng = 0, hit = 0;
    snprintf(buf, sizeof buf, "%s", want);
    for (char *t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save))
        nw++;
    snprintf(buf, sizeof buf, "%s", got);
    for (char *t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save)) {
        ng++;
        hit += has_item(want, sep, trim(t));
    }
    if (nw == 0)
        return ng == 0;
    double s = (double)(hit - (ng - hit)) / nw;
    return s < 0 ? 0 : s;
}

static void add_test(struct grade_report *r, const char *name, double score, const char *got)
{
    grade_add(r, name, score, 1, "%s",
              !got[0]       ? "not answered"
              : score == 1  ? "right"
              : score > 0.4 ? "partly right"
                            : "not what the trace shows");
}

/* The per-thread question (holds or waits) over the key's blocked threads:
 * the share of them answered right. */
static void grade_threads(struct grade_report *r, const struct answers *key, struct answers *got,
                          int holds)
{
    double sum = 0;
    int answered = 0;
    for (int j = 0; j < got->nt; j++)
        answered |= holds ? got->t[j].has_holds : got->t[j].has_waits;
    for (int i = 0; i < key->nt; i++) {
        const struct thread_facts *k = &key->t[i];
        const char *v = "";
        for (int j = 0; j < got->nt; j++)
            if (strcmp(got->t[j].thread, k->thread) == 0)
                v = holds ? got->t[j].holds : got->t[j].waits;
        if (holds)
            sum += set_score(k->holds, strcmp(v, "none") == 0 ? "nothing" : v, ",") == 1;
        else
            sum += strcmp(k->waits, v) == 0;
    }
    double score = key->nt ? sum / key->nt : 1;
    if (!answered)
        grade_add(r, holds ? "holds" : "waits", 0, 1, "not answered");
    else if (score == 1)
        grade_add(r, holds ? "holds" : "waits", 1, 1, "right for every blocked thread");
    else
        grade_add(r, holds ? "holds" : "waits", score, 1, "right for %g of the %d blocked threads",
                  sum, key->nt);
}

int grade_diagnose(const struct exercise *ex, const char *submission, int quiet,
                   struct grade_report *r)
{
    char path[4200], why[4800];
    submission_file(submission, "answers.txt", path, sizeof path);
    struct answers *got = malloc(sizeof *got), *key = malloc(sizeof *key);
    int rc = got && key ? read_answers(path, got, why, sizeof why) : -3;
    if (rc == -3)
        fputs("dlsync grade: out of memory\n", stderr);
    if (rc == -2)
        fprintf(stderr, "dlsync grade: %s\n", why);
    if (rc == -1)
        grade_add(r, "answers file", 0, 1,
                  "%s\nThe file starts with `seed N`, then one `KEY: VALUE` line per question "
                  "(see the handout).",
                  why);
    if (rc != 0) {
        free(got);
        free(key);
        return rc == -1 ? EX_OK : rc == -2 ? EX_NO_INPUT : EX_INTERNAL;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/dlsync-grade-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("dlsync grade: mkdtemp");
        free(got);
        free(key);
        return EX_INTERNAL;
    }
    if (!quiet)
        fprintf(stderr, "dlsync grade: making the instance of seed %lu\n", got->seed);
    rc = make_instance(ex, got->seed, dir, key);
    grade_remove_tree(dir);
    if (rc == EX_OK) {
        add_test(r, "blocked", set_score(key->v[Q_BLOCKED], got->v[Q_BLOCKED], " "),
                 got->v[Q_BLOCKED]);
        grade_threads(r, key, got, 1);
        grade_threads(r, key, got, 0);
        for (int q = Q_EPOCH; q < NQUESTIONS; q++) {
            const char *g = got->v[q];
            char k[DIAGNOSE_VALUE];
            normalise(key->v[q], k, sizeof k);
            double score = strcmp(k, g) == 0;
            if (!score && q == Q_EPOCH && strcmp(g, "0") == 0)
                score = strcmp(k, "none") == 0;
            if (!score && q == Q_INVARIANT && g[0])
                score = has_item(key->rules, " ", g) ? 0.5 : 0;
            for (int i = 0; !score && q == Q_FIRST_WRONG && g[0] && i < key->nnear; i++) {
                char s[32];
                snprintf(s, sizeof s, "%lld", (long long)key->near[i]);
                score = strcmp(s, g) == 0 ? 0.5 : 0;
            }
            add_test(r, questions[q], score, g);
        }
    }
    free(got);
    free(key);
    return rc;
}
