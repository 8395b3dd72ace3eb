/*
 * grade/fix.c — the grader of fix exercises (grade/grade.h): the student
 * rewrites one protocol function (include/dlsync/student.h).  Settings of
 * exercise.conf:
 *
 *     function  sleep_begin     the function to write; the submission is
 *                               a .c file, or a folder holding exactly one
 *     scenario  sleepers        the run explored (with groups, ops)
 *     groups    4
 *     ops       30
 *     runs      20              PCT schedules (seeds 1..runs)
 *     dfs       40              schedules of the bounded dfs (bound 2)
 *
 * Tests: "builds" (1: gcc -std=c11 -Wall -Wextra against student.h, linked
 * before bin/dlsync-student.a so that it replaces the weak reference),
 * "explored schedules" (2 for PCT, 2 for dfs: no failure; `explore --check`,
 * so that a schedule that completes but breaks an invariant of check's
 * fails too), "invariants hold"
 * (1: the first failing schedule, or seed 1 when none fails, recorded with
 * `dlsync record`, ingested, judged by `dlsync check`).  Every command runs
 * in grade/sandbox.c in a scratch directory /tmp/dlsync-fix-XXXXXX, which
 * stays as the feedback folder (the failing schedule's sequence diagram
 * seq.svg and wait-for graph wf.svg), named in the output.  A test during
 * which the exercise's folder changed scores zero.  Deterministic: fixed
 * seeds, the controlled scheduler.
 *
 * Takes no locks; forks (sandbox).
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "grade/grade.h"
#include "grade/sandbox.h"

struct fix {
    const struct exercise *ex;
    char scratch[64];
    char bindir[PATH_MAX];
    char self[PATH_MAX];
    char student[PATH_MAX + 16];
    char log[PATH_MAX + 16];
    const char *scenario;
    char groups[16], ops[16], runs[16], dfs[16];
};

static const struct sandbox_limits BUILD = {20, 30, 2048, 64, 0};
static const struct sandbox_limits RUN = {5, 10, 1024, 64, 0};

/* The exercise folder's fingerprint: every entry's path, size and mtime. */
static uint64_t fingerprint;
static int fp_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)flag;
    (void)ftw;
    for (const char *p = path; *p; p++)
        fingerprint = (fingerprint ^ (unsigned char)*p) * 1099511628211ull;
    fingerprint = (fingerprint ^ (uint64_t)st->st_size) * 1099511628211ull;
    fingerprint = (fingerprint ^ (uint64_t)st->st_mtim.tv_sec) * 1099511628211ull;
    fingerprint = (fingerprint ^ (uint64_t)st->st_mtim.tv_nsec) * 1099511628211ull;
    return 0;
}
static uint64_t folder_fingerprint(const char *dir)
{
    fingerprint = 14695981039346656037ull;
    nftw(dir, fp_add, 16, FTW_PHYS);
    return fingerprint;
}

/* The threads the sandboxed user already has, plus room for a compiler:
 * RLIMIT_NPROC counts them all (a /proc/PID/task links once per thread). */
static int nproc_limit(void)
{
    uid_t uid = geteuid() == 0 ? 65534 : geteuid();
    int n = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char p[300];
        struct stat st;
        snprintf(p, sizeof p, "/proc/%s/task", e->d_name);
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && stat(p, &st) == 0 && st.st_uid == uid)
            n += (int)st.st_nlink - 2;
    }
    if (d)
        closedir(d);
    return n + 64;
}

/* Run argv in the sandbox, its output into f->log (truncated first).  The
 * reason it failed into why (empty: exit 0 or an exit status in ok). */
static int run(struct fix *f, char *const argv[], const struct sandbox_limits *lim, int *status,
               char *why, size_t n)
{
    struct sandbox_limits l = *lim;
    l.nproc = nproc_limit();
    FILE *t = fopen(f->log, "w");
    if (t)
        fclose(t);
    struct sandbox_result res;
    why[0] = 0;
    if (sandbox_run(argv, f->scratch, f->log, &l, &res) != 0) {
        snprintf(why, n, "could not be run: %s", strerror(errno));
        return -1;
    }
    *status = res.end == SB_EXITED ? res.status : -1;
    if (res.end != SB_EXITED)
        sandbox_describe(&res, &l, why, n);
    return 0;
}

/* The log's text (at most n-1 bytes) into buf. */
static const char *log_text(const struct fix *f, char *buf, size_t n)
{
    FILE *t = fopen(f->log, "r");
    size_t k = t ? fread(buf, 1, n - 1, t) : 0;
    if (t)
        fclose(t);
    buf[k] = 0;
    return buf;
}

/* The submission's .c file into path: sub itself, or the one .c in it. */
static int find_source(const char *sub, char *path, size_t n, char *err, size_t errlen)
{
    struct stat st;
    if (stat(sub, &st) != 0) {
        snprintf(err, errlen, "%s: %s", sub, strerror(errno));
        return EX_NO_INPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(path, n, "%s", sub);
        return EX_OK;
    }
    DIR *d = opendir(sub);
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 2 && strcmp(e->d_name + len - 2, ".c") == 0) {
            found++;
            snprintf(path, n, "%s/%s", sub, e->d_name);
        }
    }
    if (d)
        closedir(d);
    if (found != 1) {
        snprintf(err, errlen, "%s: %d .c files in the folder (one expected)", sub, found);
        return EX_NO_INPUT;
    }
    return EX_OK;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[8192];
    size_t k;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (k = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, k, out) != k)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Compile and link the student binary.  0: built. */
static int build(struct fix *f, const char *src, struct grade_report *r)
{
    char inc[PATH_MAX + 16], ar[PATH_MAX + 32], ldf[PATH_MAX + 32], why[128], text[4096];
    snprintf(inc, sizeof inc, "-I%s/include", f->bindir);
    snprintf(ar, sizeof ar, "%s/dlsync-student.a", f->bindir);
    snprintf(ldf, sizeof ldf, "%s/dlsync-student.ld", f->bindir);
    char *cc[] = {"gcc", "-std=c11",  "-Wall",     "-Wextra", "-D_GNU_SOURCE", inc, "-c",
                  "-o",  "student.o", (char *)src, NULL};
    int st;
    if (run(f, cc, &BUILD, &st, why, sizeof why) != 0 || st != 0) {
        grade_add(r, "builds", 0, 1, "gcc did not compile %s (%s):\n%s", src,
                  why[0] ? why : "errors", log_text(f, text, sizeof text));
        return -1;
    }
    /* the link flags of the build, split at spaces */
    char flags[1024] = "", *ld[64] = {"gcc", "-o", f->student, "student.o", ar};
    int n = 5;
    FILE *t = fopen(ldf, "r");
    if (t == NULL || fgets(flags, sizeof flags, t) == NULL)
        flags[0] = 0;
    if (t)
        fclose(t);
    for (char *sp, *w = strtok_r(flags, " \n", &sp); w && n < 63; w = strtok_r(NULL, " \n", &sp))
        ld[n++] = w;
    ld[n] = NULL;
    if (run(f, ld, &BUILD, &st, why, sizeof why) != 0 || st != 0) {
        grade_add(r, "builds", 0, 1, "the link failed (%s):\n%s", why[0] ? why : "errors",
                  log_text(f, text, sizeof text));
        return -1;
    }
    grade_add(r, "builds", 1, 1, "%s compiles and links", src);
    return 0;
}

/* The first failing schedule of the explorations: its schedule string and
 * the seed it ran with (a scenario's `any` choices draw from the seed: a
 * PCT schedule replays only with its own seed).  Empty sched: none. */
struct failing {
    char sched[8192];
    char seed[24];
};

/* One exploration; its score (0 or max) into *score, its first failing
 * schedule into *first unless that holds one already.  Returns 1 when the
 * sandbox ended it (a limit, a signal): the rest is not run, so a hostile
 * submission costs the limits once. */
static int explore(struct fix *f, const char *strategy, const char *runs, struct failing *first,
                   double *score, char *out, size_t outlen)
{
    char *av[] = {
        f->student, "explore", "--scenario",    (char *)f->scenario, "--groups", f->groups,
        "--ops",    f->ops,    "--strategy",    (char *)strategy,    "--runs",   (char *)runs,
        "--seed",   "1",       "--no-progress", "--check",           NULL,       NULL,
        NULL};
    char why[128], text[16384];
    int st = -1;
    *score = 0;
    if (strcmp(strategy, "dfs") == 0) {
        av[16] = "--preemption-bound";
        av[17] = "2";
    }
    if (run(f, av, &RUN, &st, why, sizeof why) != 0 || why[0]) {
        snprintf(out, outlen, "%s: the run %s\n", strategy, why);
        return 1;
    }
    log_text(f, text, sizeof text);
    char *s = strstr(text, "schedule v1:");
    if (st == 0) {
        *score = 2;
        snprintf(out, outlen, "%s: %s schedules, no failure\n", strategy, runs);
    } else if (s) {
        size_t k = strcspn(s + 9, " \n");
        const char *seed = strstr(text, "(seed ");
        if (!first->sched[0] && k < sizeof first->sched && seed) {
            memcpy(first->sched, s + 9, k);
            first->sched[k] = 0;
            sscanf(seed + 6, "%23[0-9]", first->seed);
        }
        snprintf(out, outlen, "%s: a schedule fails (exit %d):\n%s\n", strategy, st, text);
    } else if (strstr(text, "crashed")) {
        /* A run ended by a signal: the CPU-time or memory limit every run of
         * the submission has (RUN), or a crash of the submission. */
        snprintf(out, outlen,
                 "%s: a run of the submission was killed (the sandbox's limit of %d s of CPU "
                 "time or %ld MB of memory per run, or a crash):\n%s\n",
                 strategy, RUN.cpu_s, RUN.mem_mb, text);
    } else {
        snprintf(out, outlen, "%s: exit %d:\n%s\n", strategy, st, text);
    }
    return 0;
}

/* Record the first failing schedule (or seed 1), ingest, check; on
 * findings draw seq.svg and wf.svg.  Returns 1 when check finds the run
 * clean. */
static int judge(struct fix *f, const struct failing *first, char *out, size_t outlen)
{
    char *rec[24] = {f->student,  "record",  "-o",    "trace",      "-q",
                     "--timeout", "5",       "--",    "--scenario", (char *)f->scenario,
                     "--groups",  f->groups, "--ops", f->ops,       "--seed",
                     "1",         NULL};
    int n = 16;
    if (first->sched[0]) {
        rec[15] = (char *)first->seed;
        rec[n++] = "--schedule";
        rec[n++] = (char *)first->sched;
        rec[n] = NULL;
    }
    char why[128], text[4096];
    int st;
    if (run(f, rec, &RUN, &st, why, sizeof why) != 0 || why[0]) {
        snprintf(out, outlen, "the recorded run %s\n", why);
        return 0;
    }
    char recorded[2048];
    log_text(f, recorded, sizeof recorded);
    char *ing[] = {f->self, "ingest", "trace", "-d", "run.db", "-q", "--no-progress", NULL};
    if (run(f, ing, &RUN, &st, why, sizeof why) != 0 || why[0] || st != 0) {
        snprintf(out, outlen, "the trace could not be ingested (%s):\n%s%s", why, recorded,
                 log_text(f, text, sizeof text));
        return 0;
    }
    char *chk[] = {f->self, "check", "run.db", NULL};
    if (run(f, chk, &RUN, &st, why, sizeof why) != 0 || why[0]) {
        snprintf(out, outlen, "check %s\n", why);
        return 0;
    }
    snprintf(out, outlen, "dlsync check:\n%s", log_text(f, text, sizeof text));
    if (st == 0)
        return 1;
    char *seq[] = {f->self, "draw", "run.db", "-o", "seq.svg", "-q", NULL};
    char *wf[] = {f->self, "draw", "run.db", "--waitfor", "-o", "wf.svg", NULL};
    run(f, seq, &RUN, &st, why, sizeof why);
    run(f, wf, &RUN, &st, why, sizeof why);
    return 0;
}

static int setting(const struct exercise *ex, const char *key, long lo, long hi, long dflt,
                   char *buf, size_t n)
{
    long v;
    char err[256];
    if (exercise_int(ex, key, lo, hi, dflt, &v, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync: %s\n", err);
        return -1;
    }
    snprintf(buf, n, "%ld", v);
    return 0;
}

int grade_fix(const struct exercise *ex, const char *submission, int quiet, struct grade_report *r)
{
    struct fix f = {.ex = ex};
    char src[PATH_MAX], err[PATH_MAX + 64], dst[PATH_MAX + 16];
    f.scenario = exercise_get(ex, "scenario");
    const char *function = exercise_get(ex, "function");
    if (!f.scenario || !function) {
        fprintf(stderr,
                "dlsync: %s/exercise.conf: a fix exercise needs `function` and `scenario`\n",
                ex->dir);
        return EX_CORRUPT;
    }
    if (setting(ex, "groups", 1, 64, 4, f.groups, sizeof f.groups) ||
        setting(ex, "ops", 1, 10000, 30, f.ops, sizeof f.ops) ||
        setting(ex, "runs", 1, 1000, 20, f.runs, sizeof f.runs) ||
        setting(ex, "dfs", 1, 10000, 200, f.dfs, sizeof f.dfs))
        return EX_CORRUPT;
    int rc = find_source(submission, src, sizeof src, err, sizeof err);
    if (rc != EX_OK) {
        fprintf(stderr, "dlsync: %s\n", err);
        return rc;
    }
    ssize_t k = readlink("/proc/self/exe", f.self, sizeof f.self - 1);
    if (k <= 0) {
        fprintf(stderr, "dlsync: /proc/self/exe: %s\n", strerror(errno));
        return EX_INTERNAL;
    }
    f.self[k] = 0;
    snprintf(f.bindir, sizeof f.bindir, "%s", f.self);
    *strrchr(f.bindir, '/') = 0;
    char tp[PATH_MAX + 32]; /* the student binary records with the build's probe provider */
    snprintf(tp, sizeof tp, "%s/libdlsync-tp.so", f.bindir);
    setenv("DLSYNC_TP_SO", tp, 0);
    snprintf(f.scratch, sizeof f.scratch, "/tmp/dlsync-fix-XXXXXX");
    if (mkdtemp(f.scratch) == NULL) {
        fprintf(stderr, "dlsync: mkdtemp: %s\n", strerror(errno));
        return EX_INTERNAL;
    }
    snprintf(f.student, sizeof f.student, "%s/student", f.scratch);
    snprintf(f.log, sizeof f.log, "%s/output.txt", f.scratch);
    snprintf(dst, sizeof dst, "%s/%s.c", f.scratch, function);
    if (copy_file(src, dst) != 0) {
        fprintf(stderr, "dlsync: %s: cannot copy it to %s\n", src, dst);
        return EX_INTERNAL;
    }
    if (!quiet)
        fprintf(stderr, "dlsync: grading %s in %s\n", src, f.scratch);
    uint64_t before = folder_fingerprint(ex->dir);
    const char *touched = "\nzero: the submission changed the exercise's own folder";
    if (build(&f, dst + strlen(f.scratch) + 1, r) != 0) {
        grade_add(r, "explored schedules", 0, 4, "not run: the submission does not build");
        grade_add(r, "invariants hold", 0, 1, "not run: the submission does not build");
        return EX_OK;
    }
    struct failing first;
    char o1[20000], o2[20000], o3[8192];
    first = (struct failing){.seed = "1"};
    double s1, s2 = 0;
    o2[0] = 0;
    int ended = explore(&f, "pct", f.runs, &first, &s1, o1, sizeof o1) ||
                explore(&f, "dfs", f.dfs, &first, &s2, o2, sizeof o2);
    int moved = folder_fingerprint(ex->dir) != before;
    grade_add(r, "explored schedules", moved ? 0 : s1 + s2, 4, "%s%s%s", o1, o2,
              moved ? touched : "");
    snprintf(o3, sizeof o3, "not run: the exploration was ended by the sandbox\n");
    int clean = !ended && judge(&f, &first, o3, sizeof o3);
    moved = moved || folder_fingerprint(ex->dir) != before;
    grade_add(r, "invariants hold", clean && !moved, 1, "%s%s", o3, moved ? touched : "");
    if (first.sched[0]) {
        grade_append(r,
                     "\nfirst failing schedule: %s\nreplay it: %s run --scenario %s --groups %s "
                     "--ops %s --seed %s --schedule %s\nfeedback: %s (seq.svg, wf.svg)\n",
                     first.sched, f.student, f.scenario, f.groups, f.ops, first.seed, first.sched,
                     f.scratch);
    }
    return EX_OK;
}
