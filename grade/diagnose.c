/*
 * grade/diagnose.c — the trace detective (grade/grade.h): an exercise's
 * instance is the failing run of the hidden variant (exercise.conf keys
 * scenario, groups, ops, variant), recorded under the controlled scheduler
 * with its seed, so the same seed always gives the same run.  Its trace
 * names the exercise ("exercise NN", run --label), never the variant.
 *
 * The answers file (answers.txt in a submission folder):
 *
 *     seed N
 *     blocked: group-1 group-2    the threads of the first finding
 *     epoch: N                    the newest epoch the run started
 *     invariant: deadlock         the rule of the first finding
 *     first-wrong: SEQ            the first event seq that shows it
 *
 * The truth comes from replay (session_open, session_count_epochs,
 * check_findings): this file never interprets events itself.
 *
 * Owns the answers' parsing and the instance's making; forks `dlsync
 * record` and `dlsync ingest` (/proc/self/exe) as children.  No locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "grade/grade.h"
#include "replay/check.h"
#include "replay/session.h"

enum { ANSWER_FILE_MAX = 4096, ANSWER_LINE_MAX = 200, NQUESTIONS = 4 };

static const char *const questions[NQUESTIONS] = {"blocked", "epoch", "invariant", "first-wrong"};

struct answers {
    long seed;
    int have_seed;
    char v[NQUESTIONS][ANSWER_LINE_MAX];
};

/* Run /proc/self/exe with argv (NULL-terminated), its output to /dev/null.
 * 0 when it exited with one of the codes in ok[] (-1 ends the list). */
static int run_child(char *const argv[], const int *ok)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *null = freopen("/dev/null", "w", stdout);
        (void)null;
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    for (; *ok >= 0; ok++)
        if (WEXITSTATUS(st) == *ok)
            return 0;
    fprintf(stderr, "dlsync: %s %s exited %d\n", argv[0], argv[1], WEXITSTATUS(st));
    return -1;
}

/* Record and ingest the instance of seed into dir (trace/ and run.db). */
static int make_instance(const struct exercise *ex, unsigned long seed, const char *dir)
{
    const char *scn = exercise_get(ex, "scenario"), *g = exercise_get(ex, "groups"),
               *o = exercise_get(ex, "ops"), *v = exercise_get(ex, "variant");
    if (!scn || !g || !o || !v) {
        fprintf(stderr, "dlsync: %s: exercise.conf needs scenario, groups, ops and variant\n",
                ex->dir);
        return EX_CORRUPT;
    }
    char trace[4200], db[4200], s[32], label[32];
    snprintf(trace, sizeof trace, "%s/trace", dir);
    snprintf(db, sizeof db, "%s/run.db", dir);
    snprintf(s, sizeof s, "%lu", seed);
    snprintf(label, sizeof label, "exercise %s", ex->id);
    mkdir(dir, 0777);
    char *rec[] = {"dlsync",     "record",    "-o",       trace,       "--",
                   "--scenario", (char *)scn, "--groups", (char *)g,   "--ops",
                   (char *)o,    "--seed",    s,          "--variant", (char *)v,
                   "--label",    label,       "-q",       NULL};
    /* the run fails: that is the point (exit codes of a found bug) */
    static const int rec_ok[] = {0, 2, 3, 4, 5, 6, -1}, ing_ok[] = {0, -1};
    if (run_child(rec, rec_ok) != 0)
        return EX_INTERNAL;
    char *ing[] = {"dlsync", "ingest", trace, "-d", db, "-q", NULL};
    if (run_child(ing, ing_ok) != 0)
        return EX_INTERNAL;
    return EX_OK;
}

/* The facts of the instance in dir, as answers. */
static int instance_facts(const char *dir, struct answers *a)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/run.db", dir);
    struct session s;
    struct findings f = {0};
    int rc = EX_OK;
    if (session_open(&s, db, 0) != SESSION_OK || check_findings(&s.db, &s.row, &f) != 0) {
        fprintf(stderr, "dlsync: %s: %s\n", db, s.err[0] ? s.err : s.db.err);
        rc = EX_INTERNAL;
    } else if (f.n == 0) {
        fprintf(stderr, "dlsync: %s: the instance has no finding (a seed where it passes)\n", db);
        rc = EX_INTERNAL;
    } else {
        int64_t last = 0;
        session_count_epochs(&s, s.first_seq, s.last_seq, &last);
        a->seed = s.seed;
        a->have_seed = 1;
        snprintf(a->v[0], ANSWER_LINE_MAX, "%s", f.v[0].threads);
        snprintf(a->v[1], ANSWER_LINE_MAX, "%lld", (long long)last);
        snprintf(a->v[2], ANSWER_LINE_MAX, "%s", f.v[0].rule);
        snprintf(a->v[3], ANSWER_LINE_MAX, "%lld", (long long)finding_first_seq(&f.v[0]));
    }
    findings_free(&f);
    session_close(&s);
    return rc;
}

static void print_answers(const struct answers *a, int filled, FILE *f)
{
    fprintf(f, "seed %ld\n", a->seed);
    for (int q = 0; q < NQUESTIONS; q++)
        fprintf(f, "%s: %s\n", questions[q], filled ? a->v[q] : "");
}

int diagnose_instance(const struct exercise *ex, unsigned long seed, int answers, const char *dir,
                      FILE *f)
{
    struct answers a = {0};
    int rc = make_instance(ex, seed, dir);
    if (rc == EX_OK)
        rc = instance_facts(dir, &a);
    if (rc == EX_OK)
        print_answers(&a, answers, f);
    return rc;
}

/* Parse the answers file; 0, or -1 with why. */
static int parse_answers(const char *path, struct answers *a, char *why, size_t n)
{
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(why, n, "cannot read %s", path);
        if (f)
            fclose(f);
        return -1;
    }
    if (st.st_size > ANSWER_FILE_MAX) {
        snprintf(why, n, "%s: larger than %d bytes", path, ANSWER_FILE_MAX);
        fclose(f);
        return -1;
    }
    char line[ANSWER_LINE_MAX + 2];
    int no = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        no++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        else if (!feof(f)) {
            snprintf(why, n, "%s:%d: line longer than %d characters", path, no, ANSWER_LINE_MAX);
            rc = -1;
            break;
        }
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        if (strncmp(p, "seed ", 5) == 0) {
            char *end;
            a->seed = strtol(p + 5, &end, 10);
            a->have_seed = *end == 0 && a->seed >= 0;
            if (!a->have_seed) {
                snprintf(why, n, "%s:%d: seed takes a number", path, no);
                rc = -1;
            }
            continue;
        }
        char *colon = strchr(p, ':');
        int q = NQUESTIONS;
        if (colon)
            for (q = 0; q < NQUESTIONS; q++)
                if ((size_t)(colon - p) == strlen(questions[q]) &&
                    strncmp(p, questions[q], strlen(questions[q])) == 0)
                    break;
        if (q == NQUESTIONS) {
            snprintf(why, n,
                     "%s:%d: unknown line (keys: seed, blocked, epoch, invariant, first-wrong)",
                     path, no);
            rc = -1;
        } else {
            char *v = colon + 1 + strspn(colon + 1, " \t");
            snprintf(a->v[q], ANSWER_LINE_MAX, "%s", v);
        }
    }
    fclose(f);
    if (rc == 0 && !a->have_seed) {
        snprintf(why, n, "%s: no `seed N` line", path);
        rc = -1;
    }
    return rc;
}

/* The fraction of the words of want found in got, less the extra words. */
static double set_score(const char *want, const char *got)
{
    char w[ANSWER_LINE_MAX + 1024], g[ANSWER_LINE_MAX + 1024];
    snprintf(w, sizeof w, "%s", want);
    snprintf(g, sizeof g, "%s", got);
    int nw = 0, hit = 0, ng = 0;
    for (char *t = strtok(g, " \t,"); t; t = strtok(NULL, " \t,"))
        ng++;
    for (char *save, *t = strtok_r(w, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
        nw++;
        char gg[ANSWER_LINE_MAX + 1024], *s2;
        snprintf(gg, sizeof gg, "%s", got);
        for (char *u = strtok_r(gg, " \t,", &s2); u; u = strtok_r(NULL, " \t,", &s2))
            if (strcmp(t, u) == 0) {
                hit++;
                break;
            }
    }
    if (nw == 0)
        return ng == 0;
    double sc = (double)(hit - (ng - hit)) / nw;
    return sc < 0 ? 0 : sc;
}

int grade_diagnose(const struct exercise *ex, const char *submission, int quiet,
                   struct grade_report *r)
{
    char path[4200], why[4800], dir[] = "/tmp/dlsync-diagnose-XXXXXX";
    struct stat st;
    if (stat(submission, &st) != 0) {
        fprintf(stderr, "dlsync grade: %s: no such submission\n", submission);
        return EX_NO_INPUT;
    }
    snprintf(path, sizeof path, S_ISDIR(st.st_mode) ? "%s/answers.txt" : "%s", submission);
    struct answers got = {0}, want = {0};
    if (parse_answers(path, &got, why, sizeof why) != 0) {
        for (int q = 0; q < NQUESTIONS; q++)
            grade_add(r, questions[q], 0, 1, "malformed answers file: %s", why);
        return EX_OK;
    }
    if (!quiet)
        fprintf(stderr, "dlsync grade: making the instance of seed %ld\n", got.seed);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return EX_INTERNAL;
    }
    int rc = make_instance(ex, (unsigned long)got.seed, dir);
    if (rc == EX_OK)
        rc = instance_facts(dir, &want);
    char *rm[] = {"rm", "-rf", dir, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execvp("rm", rm);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (rc != EX_OK)
        return rc;
    for (int q = 0; q < NQUESTIONS; q++) {
        double sc = q == 0 ? set_score(want.v[q], got.v[q]) : strcmp(want.v[q], got.v[q]) == 0;
        grade_add(r, questions[q], sc, 1, sc == 1 ? "correct" : "your answer '%s' is not it%s",
                  got.v[q], sc > 0 && sc < 1 ? " (partly right)" : "");
    }
    return EX_OK;
}
