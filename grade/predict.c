/*
 * grade/predict.c — predict exercises (grade/grade.h): a run of the correct
 * protocol with blanks, and the grader of the student's answers.
 *
 * exercise.conf keys read here:
 *
 *     scenario  mixed       a built-in scenario (dlsync run --list-scenarios)
 *     groups    3           initial groups
 *     ops       1           actions per worker
 *
 * The instance of seed N is the run of that scenario under the controlled
 * scheduler (random strategy) with run seed N, made in a child process
 * (lib/trial.h) and its event log read through replay/ (replay/evstream.h,
 * replay/model.h): epoch K is the first epoch of the run with followers.  The
 * facts to predict about epoch K, one `KEY: VALUE` line each after a `seed N`
 * line (the answers file; `?` is unanswered, '#' starts a comment):
 *
 *     instigator      the group that instigates epoch K
 *     rx_count        the receivers counted by its barrier broadcast
 *     last_at_phase1  the group that arrives last at phase 1
 *     lease           the id of the lease the instigator holds
 *     path_gN         how follower group N came to the barrier at phase 1
 *                     (model_via_name: fast path, slow path, woken,
 *                     cooperative write loop, cooperative lease loop, ...)
 *
 * A group is written N or gN; values are compared without case.  In a folder
 * the grader reads answers.txt.  Owns nothing past a call; takes no locks.
 */
#include <assert.h>
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
#include "replay/evstream.h"
#include "replay/model.h"
#include "tracer/names.h"

enum {
    PREDICT_MAX_EPOCHS = 64,
    PREDICT_MAX_FACTS = 4 + RUN_MAX_THREADS, /* 4 of epoch K, a path per follower */
    PREDICT_MAX_RDV = 256,
    PREDICT_FILE_MAX = 64 * 1024, /* an answers file is a few hundred bytes */
    PREDICT_LINE_MAX = 200,
    PREDICT_TRIES = 8, /* runs tried for an epoch with followers */
};

struct fact {
    char key[32];
    char value[32];
};

/* What the run's events say, as replay/model.c hands it over. */
struct seen {
    struct epoch_rec epochs[PREDICT_MAX_EPOCHS];
    int nepochs;
    struct rdv_rec rdv[PREDICT_MAX_RDV]; /* phase 1 arrivals */
    int nrdv;
};

/* One student's instance. */
struct instance {
    unsigned long seed;
    char scenario[64];
    long groups, ops;
    uint64_t run_seed;
    struct scenario scn;
    struct seen s;
    const struct epoch_rec *k; /* epoch K */
    struct fact facts[PREDICT_MAX_FACTS];
    int nfacts;
};

static void on_epoch(void *ctx, const struct epoch_rec *r)
{
    struct seen *s = ctx;
    if (s->nepochs < PREDICT_MAX_EPOCHS)
        s->epochs[s->nepochs++] = *r;
}

static void on_rdv(void *ctx, const struct rdv_rec *r)
{
    struct seen *s = ctx;
    if (r->phase == 1 && s->nrdv < PREDICT_MAX_RDV)
        s->rdv[s->nrdv++] = *r;
}

static int by_epoch(const void *a, const void *b)
{
    const struct epoch_rec *x = a, *y = b;
    return (x->epoch > y->epoch) - (x->epoch < y->epoch);
}

/* Read the event log at path into *s through the model.  0, or -1 after the
 * message. */
static int read_events(const char *path, struct seen *s)
{
    struct evstream es;
    if (evstream_open(&es, path) != 0) {
        fprintf(stderr, "dlsync exercise: %s\n", es.err);
        return -1;
    }
    struct model m;
    model_init(&m, &(struct model_sink){.ctx = s, .epoch = on_epoch, .rdv = on_rdv});
    struct rev e;
    int rc;
    while ((rc = evstream_next(&es, &e)) == 1)
        model_apply(&m, &e);
    model_flush(&m);
    model_free(&m);
    if (rc < 0)
        fprintf(stderr, "dlsync exercise: %s\n", es.err);
    evstream_close(&es);
    return rc < 0 ? -1 : 0;
}

/* Run cfg in a child with its events in a temporary file, read into *s. */
static int run_once(struct run_config *cfg, struct seen *s)
{
    char path[] = "/tmp/dlsync-predict-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w+");
    if (!f) {
        fprintf(stderr, "dlsync exercise: temporary file: %s\n", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        return -1;
    }
    cfg->events_out = f;
    struct trial_result r;
    int rc = trial_run(cfg, 1, &r);
    if (rc != 0)
        fprintf(stderr, "dlsync exercise: cannot start the run: %s\n", strerror(errno));
    else if (r.status != RUN_OK) {
        fprintf(stderr, "dlsync exercise: the run ended %s (exit %d)\n", r.outcome, r.status);
        rc = -1;
    }
    if (rc == 0)
        trial_free(&r);
    fclose(f);
    memset(s, 0, sizeof *s);
    if (rc == 0)
        rc = read_events(path, s);
    unlink(path);
    qsort(s->epochs, (size_t)s->nepochs, sizeof s->epochs[0], by_epoch);
    return rc;
}

static const struct epoch_rec *first_with_followers(const struct seen *s)
{
    const struct epoch_rec *k = NULL;
    for (int i = 0; i < s->nepochs; i++)
        if (s->epochs[i].bcast_seq > 0 && s->epochs[i].rx > 0 &&
            (!k || s->epochs[i].epoch < k->epoch))
            k = &s->epochs[i];
    return k;
}

/* Add a fact (a run has at most RUN_MAX_THREADS parties). */
static void add_fact(struct instance *in, const char *key, const char *value)
{
    assert(in->nfacts < PREDICT_MAX_FACTS);
    struct fact *f = &in->facts[in->nfacts++];
    snprintf(f->key, sizeof f->key, "%s", key);
    snprintf(f->value, sizeof f->value, "%s", value);
}

/* Make the instance of seed: the exercise's run and the facts of epoch K.
 * EX_OK, or an exit code after the message. */
static int make_instance(const struct exercise *ex, unsigned long seed, struct instance *in)
{
    memset(in, 0, sizeof *in);
    in->seed = seed;
    struct run_config cfg;
    int rc = exercise_run_config(ex, V_NONE, &in->scn, &cfg);
    if (rc != EX_OK)
        return rc;
    snprintf(in->scenario, sizeof in->scenario, "%s", cfg.scenario_arg);
    in->groups = cfg.groups;
    in->ops = cfg.ops;
    /* The run seed follows from the student's seed; a run without an epoch
     * with followers (rare) gives way to the next one. */
    for (int t = 0; t < PREDICT_TRIES && !in->k; t++) {
        in->run_seed = (uint64_t)seed * PREDICT_TRIES + (uint64_t)t + 1;
        cfg.seed = in->run_seed;
        if (run_once(&cfg, &in->s) != 0)
            return EX_INTERNAL;
        in->k = first_with_followers(&in->s);
    }
    if (!in->k) {
        fprintf(stderr, "dlsync exercise: seed %lu: no epoch with followers; try another seed\n",
                seed);
        return EX_NOT_FOUND;
    }
    const struct epoch_rec *k = in->k;
    char v[32];
    snprintf(v, sizeof v, "g%lld", (long long)k->instigator);
    add_fact(in, "instigator", v);
    snprintf(v, sizeof v, "%lld", (long long)k->rx);
    add_fact(in, "rx_count", v);
    const struct rdv_rec *last = NULL;
    for (int i = 0; i < in->s.nrdv; i++)
        if (in->s.rdv[i].epoch == k->epoch && (!last || in->s.rdv[i].arr_seq > last->arr_seq))
            last = &in->s.rdv[i];
    snprintf(v, sizeof v, "g%lld", last ? (long long)last->grp : -1LL);
    add_fact(in, "last_at_phase1", v);
    snprintf(v, sizeof v, "%lld", (long long)k->lease);
    add_fact(in, "lease", v);
    for (int i = 0; i < in->s.nrdv; i++) {
        const struct rdv_rec *r = &in->s.rdv[i];
        if (r->epoch != k->epoch || r->instigator)
            continue;
        char key[32];
        snprintf(key, sizeof key, "path_g%lld", (long long)r->grp);
        const char *via = model_via_name(r->via);
        add_fact(in, key, via ? via : "unknown");
    }
    return EX_OK;
}

static const char *shown(int answers, const char *value)
{
    return answers ? value : "?";
}

static const char *fact_value(const struct instance *in, const char *key)
{
    for (int i = 0; i < in->nfacts; i++)
        if (strcmp(in->facts[i].key, key) == 0)
            return in->facts[i].value;
    return "?";
}

/* The instance on f: the scenario, the run's epochs in a few lines, then the
 * answers file (facts as `?` unless answers). */
static void print_instance(const struct exercise *ex, const struct instance *in, int answers,
                           FILE *f)
{
    const struct epoch_rec *k = in->k;
    assert(k && in->nfacts > 0);
    fprintf(f, "# dlsync exercise %s: %s\n", ex->id, exercise_get(ex, "title"));
    fprintf(f, "# scenario %s, %ld groups (g0..g%ld), %ld action(s) each, the correct protocol,\n",
            in->scenario, in->groups, in->groups - 1, in->ops);
    fprintf(f, "# the controlled scheduler, run seed %llu.\n#\n# The run's epochs:\n",
            (unsigned long long)in->run_seed);
    for (int i = 0; i < in->s.nepochs; i++) {
        const struct epoch_rec *e = &in->s.epochs[i];
        if (e == k)
            fprintf(f,
                    "#   epoch %lld  %s %s  <- epoch K: instigated by %s, broadcast to "
                    "rx_count %s receivers\n",
                    (long long)e->epoch, ev_op_name(e->kind), e->name,
                    shown(answers, fact_value(in, "instigator")),
                    shown(answers, fact_value(in, "rx_count")));
        else
            fprintf(f, "#   epoch %lld  %s %s  %s\n", (long long)e->epoch, ev_op_name(e->kind),
                    e->name, e->bcast_seq > 0 ? "(with followers)" : "(no followers)");
    }
    fprintf(f,
            "#\n# Epoch K = epoch %lld: the instigator takes the lease, broadcasts on the\n"
            "# barrier bus and sets the pending flag; every follower comes to the barrier\n"
            "# (by the fast or the slow path of a syscall, woken by a signal, or from a\n"
            "# cooperative loop); the last party to arrive at phase 1 releases phase 1.\n",
            (long long)k->epoch);
    fprintf(f, "%s\nseed %lu\n", answers ? "# The answer key." : "# Your answers:", in->seed);
    for (int i = 0; i < in->nfacts; i++)
        fprintf(f, "%s: %s\n", in->facts[i].key, shown(answers, in->facts[i].value));
}

int predict_instance(const struct exercise *ex, unsigned long seed, int answers, FILE *f)
{
    struct instance *in = malloc(sizeof *in);
    if (!in) {
        fputs("dlsync exercise: out of memory\n", stderr);
        return EX_INTERNAL;
    }
    int rc = make_instance(ex, seed, in);
    if (rc == EX_OK)
        print_instance(ex, in, answers, f);
    free(in);
    return rc;
}

/* A value as it is compared: trimmed, lower case, a group's `g` dropped. */
static void normalise(const char *s, char *out, size_t n)
{
    while (isspace((unsigned char)*s))
        s++;
    if ((*s == 'g' || *s == 'G') && isdigit((unsigned char)s[1]))
        s++;
    size_t j = 0;
    for (; *s && j + 1 < n; s++)
        out[j++] = (char)tolower((unsigned char)*s);
    while (j > 0 && isspace((unsigned char)out[j - 1]))
        j--;
    out[j] = 0;
}

/* The submitted answers. */
struct answers {
    unsigned long seed;
    struct fact a[PREDICT_MAX_FACTS];
    int n;
};

/* One `KEY: VALUE` line into the answers at ctx (answers_line_fn). */
static int take_fact(void *ctx, const char *key, const char *value, const char *where, char *why,
                     size_t n)
{
    struct answers *a = ctx;
    if (strlen(key) >= sizeof a->a[0].key) {
        snprintf(why, n, "%s: not a `KEY: VALUE` line (no fact has so long a key)", where);
        return -1;
    }
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->a[i].key, key) == 0) {
            snprintf(why, n, "%s: %s answered twice", where, key);
            return -1;
        }
    if (a->n >= PREDICT_MAX_FACTS) {
        snprintf(why, n, "%s: more answers than the exercise asks for", where);
        return -1;
    }
    snprintf(a->a[a->n].key, sizeof a->a[0].key, "%s", key);
    normalise(value, a->a[a->n].value, sizeof a->a[0].value);
    a->n++;
    return 0;
}

/* Read the answers file at path into *a (grade/answers.h).  0; -1 with why
 * (naming the file and line) when it is malformed; -2 when it cannot be
 * read. */
static int read_answers(const char *path, struct answers *a, char *why, size_t n)
{
    memset(a, 0, sizeof *a);
    return answers_read(path, PREDICT_FILE_MAX, PREDICT_LINE_MAX, &a->seed, take_fact, a, why, n);
}

int grade_predict(const struct exercise *ex, const char *submission, int quiet,
                  struct grade_report *r)
{
    (void)quiet;
    char path[4200], why[4400];
    submission_file(submission, "answers.txt", path, sizeof path);
    struct answers a;
    int rc = read_answers(path, &a, why, sizeof why);
    if (rc == -2) {
        fprintf(stderr, "dlsync grade: %s\n", why);
        return EX_NO_INPUT;
    }
    if (rc == -1) {
        grade_add(r, "answers file", 0, 1,
                  "%s\nThe file starts with `seed N`, then one `KEY: VALUE` line per fact "
                  "(see the handout).",
                  why);
        return EX_OK;
    }
    struct instance *in = malloc(sizeof *in);
    if (!in) {
        fputs("dlsync grade: out of memory\n", stderr);
        return EX_INTERNAL;
    }
    rc = make_instance(ex, a.seed, in);
    if (rc != EX_OK) {
        free(in);
        return rc;
    }
    for (int i = 0; i < a.n; i++) {
        int known = 0;
        for (int j = 0; j < in->nfacts; j++)
            known |= strcmp(a.a[i].key, in->facts[j].key) == 0;
        if (!known) {
            grade_add(r, "answers file", 0, 1,
                      "%s: no fact `%s` in the instance of seed %lu (regenerate it: "
                      "dlsync exercise %s -s %lu)",
                      path, a.a[i].key, a.seed, ex->id, a.seed);
            free(in);
            return EX_OK;
        }
    }
    for (int j = 0; j < in->nfacts; j++) {
        const struct fact *want = &in->facts[j];
        char w[32];
        normalise(want->value, w, sizeof w);
        const char *got = "?";
        for (int i = 0; i < a.n; i++)
            if (strcmp(a.a[i].key, want->key) == 0)
                got = a.a[i].value;
        int right = strcmp(got, w) == 0;
        grade_add(r, want->key, right, 1, "%s",
                  right                   ? "right"
                  : strcmp(got, "?") == 0 ? "not answered"
                                          : "not what the run did");
    }
    free(in);
    return EX_OK;
}
