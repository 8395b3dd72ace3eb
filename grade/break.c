/*
 * grade/break.c — the grader of break exercises (grade/grade.h): the student
 * is the scheduler.  The submission is a schedule string (lib/schedule.h):
 * a file, or schedule.txt in a folder, one line of at most BREAK_MAX_BYTES.
 *
 * Settings (exercise.conf): scenario, groups, ops, variant (the buggy
 * variant the exercise is about) and win, one of
 *     hang       every thread blocked: check finds a deadlock or a stall
 *     diverged   the groups' tables differ: the run exits 4 (EX_DIVERGED;
 *                tables are not events, so check cannot see it)
 *     invariant  check finds an invariant or exclusion rule broken
 * Only reliable findings count (replay/gaps.h).
 *
 * Tests: "schedule parses" (1), "replays decision by decision" (2: the
 * schedule the run took, --schedule-out, begins with the submitted
 * decisions, or they run past its end), "win condition reached, confirmed
 * by check" (7: the schedule recorded with LTTng, the trace ingested and
 * judged by check_findings, replay/check.h).  Every step is a child
 * /proc/self/exe killed after a bounded time, working in a scratch
 * directory (mkdtemp in $TMPDIR, default /tmp) removed afterwards.  No
 * submission at all is EX_NO_INPUT; a replay that LTTng cannot record or
 * ingest cannot be graded: EX_INTERNAL.  Takes no locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "grade/grade.h"
#include "lib/schedule.h"
#include "replay/check.h"
#include "replay/db.h"
#include "replay/findings.h"

enum { BREAK_MAX_BYTES = 65536, BREAK_TIMEOUT_S = 20 };

static const char *const wins[] = {"hang", "diverged", "invariant"};

/* The first decision (1-based) of dec[0..n) that the run did not take, as
 * the schedule it wrote to path (--schedule-out) says; 0 when it took
 * every one of them, or ended before the rest. */
static size_t replay_check(const int32_t *dec, size_t n, const char *path)
{
    static char buf[BREAK_MAX_BYTES * 4];
    char why[256];
    int32_t *got = NULL;
    size_t ngot = 0, i = 0;
    FILE *f = fopen(path, "r");
    size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[len] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    if (schedule_decode(buf, &got, &ngot, why, sizeof why) != 0)
        return n ? 1 : 0;
    while (i < n && i < ngot && dec[i] == got[i])
        i++;
    free(got);
    return i < n && i < ngot ? i + 1 : 0;
}

/* Does a finding of rule count as the win w (an index of wins)? */
static int is_win(int w, const char *rule)
{
    if (w == 0)
        return strcmp(rule, "deadlock") == 0 || strcmp(rule, "stall") == 0;
    return w == 2 && (rule[0] == 'I' || strcmp(rule, "exclusion") == 0);
}

/* The win test from the reliable findings of `dlsync check` on the database
 * path (diverged: from the run's exit code rrc, as check cannot see it:
 * the groups' tables are not events). */
static void judge(struct grade_report *r, int w, int rrc, const char *path)
{
    struct db db;
    struct db_run run;
    struct findings f = {0};
    char saw[1024] = "";
    int won = w == 1 && rrc == EX_DIVERGED;
    if (db_open(&db, path, 0, 1000) != 0 || db_pick_run(&db, 0, &run) != 0 ||
        check_findings(&db, &run, &f) != 0) {
        grade_add(r, "win condition reached, confirmed by check", 0, 7,
                  "the recorded run could not be judged: %s", db.err);
        db_close(&db);
        return;
    }
    for (size_t i = 0; i < f.n; i++) {
        if (!f.v[i].unreliable && is_win(w, f.v[i].rule))
            won = 1;
        finding_list_add(saw, sizeof saw, ", ", f.v[i].rule);
    }
    if (won)
        grade_add(r, "win condition reached, confirmed by check", 7, 7, "win: %s (check found: %s)",
                  wins[w], saw[0] ? saw : "nothing");
    else
        grade_add(r, "win condition reached, confirmed by check", 0, 7,
                  "wanted %s; the run exited %d (%s) and check found %s instead", wins[w], rrc,
                  rrc == 0 ? "it completed" : "it failed otherwise", saw[0] ? saw : "nothing");
    findings_free(&f);
    db_close(&db);
}

/* The last lines of the child's output file path, on stderr. */
static void tail_to_stderr(const char *path)
{
    char line[512], last[8][512];
    int n = 0;
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        snprintf(last[n++ % 8], sizeof last[0], "%s", line);
    for (int i = n > 8 ? n - 8 : 0; i < n; i++)
        fprintf(stderr, "  %s", last[i % 8]);
    if (f)
        fclose(f);
}

/* Read the submission's schedule into s (n bytes).  0, or -1 with why.
 * The submission exists (grade_break stat()ed it). */
static int read_schedule(const char *submission, char *s, size_t n, char *why, size_t wn)
{
    char path[4096];
    submission_file(submission, "schedule.txt", path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, wn, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = fread(s, 1, n - 1, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    s[len] = '\0';
    if (more) {
        snprintf(why, wn, "%s: larger than %d bytes", path, BREAK_MAX_BYTES);
        return -1;
    }
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        s[--len] = '\0';
    if (strlen(s) != len || strchr(s, '\n')) {
        snprintf(why, wn, "%s: the schedule must be one line of text", path);
        return -1;
    }
    return 0;
}

int grade_break(const struct exercise *ex, const char *submission, int quiet,
                struct grade_report *r)
{
    const char *scenario = exercise_get(ex, "scenario"), *variant = exercise_get(ex, "variant");
    const char *win = exercise_get(ex, "win");
    char err[512], groups[16], ops[16];
    long g, o;
    int w = -1;
    for (int i = 0; win && i < 3; i++)
        if (strcmp(win, wins[i]) == 0)
            w = i;
    if (!scenario || !variant || w < 0 ||
        exercise_int(ex, "groups", 1, 64, 2, &g, err, sizeof err) != 0 ||
        exercise_int(ex, "ops", 1, 1000, 1, &o, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync grade: %s/exercise.conf: %s\n", ex->dir,
                w < 0 && scenario && variant ? "win must be hang, diverged or invariant"
                                             : "needs scenario, variant, win, groups and ops");
        return EX_CORRUPT;
    }
    snprintf(groups, sizeof groups, "%ld", g);
    snprintf(ops, sizeof ops, "%ld", o);

    struct stat sb;
    if (stat(submission, &sb) != 0) {
        fprintf(stderr, "dlsync grade: %s: %s\n", submission, strerror(errno));
        return EX_NO_INPUT;
    }
    char *s = malloc(BREAK_MAX_BYTES + 1), why[4700];
    int32_t *dec = NULL;
    size_t ndec = 0;
    if (!s)
        return EX_INTERNAL;
    if (read_schedule(submission, s, BREAK_MAX_BYTES + 1, why, sizeof why) != 0 ||
        schedule_decode(s, &dec, &ndec, why, sizeof why) != 0) {
        grade_add(r, "schedule parses", 0, 1, "%s", why);
        grade_add(r, "replays decision by decision", 0, 2, "no schedule to replay");
        grade_add(r, "win condition reached, confirmed by check", 0, 7, "no schedule to replay");
        free(s);
        return EX_OK;
    }
    grade_add(r, "schedule parses", 1, 1, "%zu decisions", ndec);

    const char *tmp = getenv("TMPDIR");
    char dir[4096], out[4200], trace[4200], db[4200], taken[4200];
    snprintf(dir, sizeof dir, "%s/dlsync-grade-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("dlsync grade: mkdtemp");
        free(s);
        return EX_INTERNAL;
    }
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(trace, sizeof trace, "%s/trace", dir);
    snprintf(db, sizeof db, "%s/run.db", dir);
    snprintf(taken, sizeof taken, "%s/taken.txt", dir);
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", BREAK_TIMEOUT_S);
    if (!quiet)
        fprintf(stderr, "dlsync grade: replaying %zu decisions\n", ndec);

    /* 1. the run, with the schedule it took */
    char *run[] = {"dlsync",         "run", "--scenario", (char *)scenario, "--groups",   groups,
                   "--ops",          ops,   "--variant",  (char *)variant,  "--schedule", s,
                   "--schedule-out", taken, "--timeout",  timeout,          NULL};
    int rc = grade_child(run, out, BREAK_TIMEOUT_S + 15);
    size_t ndiff = replay_check(dec, ndec, taken);
    if (rc != 0 && (rc < EX_HANG || rc > EX_DELAYED))
        grade_add(r, "replays decision by decision", 0, 2, "the run exited %d", rc);
    else if (ndiff)
        grade_add(r, "replays decision by decision", 0, 2,
                  "decision %zu names a thread that cannot run there: the run went on without "
                  "your schedule from that point",
                  ndiff);
    else
        grade_add(r, "replays decision by decision", 2, 2, "every decision applied");

    /* 2. recorded, ingested, judged */
    char *rec[] = {"dlsync",        "record",     "-q",    "-o",         trace,
                   "--timeout",     timeout,      "--",    "--scenario", (char *)scenario,
                   "--groups",      groups,       "--ops", ops,          "--variant",
                   (char *)variant, "--schedule", s,       NULL};
    char *ing[] = {"dlsync", "ingest", trace, "-d", db, "-q", "--no-progress", NULL};
    int rrc = grade_child(rec, out, BREAK_TIMEOUT_S + 15);
    int irc = rrc > EX_DELAYED ? -1 : grade_child(ing, out, BREAK_TIMEOUT_S + 15);
    if (irc != EX_OK) { /* LTTng or the disk failed us, not the student */
        fprintf(stderr, "dlsync grade: the replay could not be %s (exit %d); its output:\n",
                irc < 0 ? "recorded" : "ingested", irc < 0 ? rrc : irc);
        tail_to_stderr(out);
        rc = EX_INTERNAL;
    } else {
        judge(r, w, rrc, db);
        grade_append(r,
                     "\ntry it: dlsync run --scenario %s --groups %s --ops %s --variant %s "
                     "--schedule <your schedule>",
                     scenario, groups, ops, variant);
        rc = EX_OK;
    }
    grade_remove_tree(dir);
    free(dec);
    free(s);
    return rc;
}
