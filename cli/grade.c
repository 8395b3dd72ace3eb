/*
 * cli/grade.c — `dlsync grade EXERCISE SUBMISSION`: grade one student's
 * submission to an exercise of exercises/.
 *
 * Owns the command line of `grade` (options, usage, exit codes) and the
 * dispatch to the grader of the exercise's kind (grade/grade.h); writes the
 * human summary and Gradescope's results.json.  Single-threaded; the
 * graders fork the children they need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "grade/grade.h"

static const struct opt rows[] = {
    {"results", 'o', "FILE", 'o',
     "write Gradescope's results.json to FILE. Default: results.json in the current "
     "directory."},
    {"quiet", 'q', NULL, 'q', "no summary and no progress; only results.json and the exit status."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd grade_cmd = {
    .name = "grade",
    .synopsis = "usage: dlsync grade EXERCISE SUBMISSION [-o results.json] [-q]\n"
                "\n"
                "Grade a student's submission to an exercise (EXERCISE: its number, its\n"
                "folder's name under exercises/, or a path to its folder; SUBMISSION: the\n"
                "submitted file, or a folder holding it, as Gradescope gives it).  Each\n"
                "kind of exercise has its grader:\n"
                "  predict   the answers file against the facts of the student's instance\n"
                "            (the seed written in it)\n"
                "  diagnose  the answers file against what the failing run's events say\n"
                "  break     the submitted schedule, replayed; its win confirmed by check\n"
                "  fix       the submitted C function, built and run in a sandbox, its\n"
                "            schedules explored and judged by check's invariants\n"
                "The grade is a list of tests with partial credit: a summary on stdout, and\n"
                "results.json (score, max_score, tests[] with name, score, max_score,\n"
                "output).  A submission that is malformed, does not build, crashes, hangs\n"
                "or exceeds a limit scores zero on that test, with the reason; the same\n"
                "submission always gets the same grade.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, NULL}},
    .tail = exercise_env_help,
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_CORRUPT, EX_NOT_FOUND,
                           EX_OUTPUT, EX_MARKS, -1},
};

typedef int (*grader)(const struct exercise *, const char *, int, struct grade_report *);

static const grader graders[KIND_COUNT] = {
    [KIND_PREDICT] = grade_predict,
    [KIND_DIAGNOSE] = grade_diagnose,
    [KIND_BREAK] = grade_break,
    [KIND_FIX] = grade_fix,
};

int cmd_grade(int argc, char **argv)
{
    const char *results = "results.json", *arg;
    int quiet = 0, k;
    struct opt_parser p;
    opt_begin(&p, &grade_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == 'o')
            results = arg;
        quiet |= k == 'q';
    }
    if (argc - p.next != 2)
        return opt_usage_error(&grade_cmd, "give an exercise and a submission");
    struct exercise *ex = malloc(sizeof *ex);
    char err[512];
    if (!ex) {
        fputs("dlsync grade: out of memory\n", stderr);
        return EX_INTERNAL;
    }
    int rc = exercise_open(argv[p.next], ex, err, sizeof err);
    if (rc != EX_OK) {
        fprintf(stderr, "dlsync grade: %s\n", err);
        free(ex);
        return rc;
    }
    struct grade_report r = {0};
    if (asprintf(&r.exercise, "%s %s (%s)", ex->id, exercise_get(ex, "title"),
                 exercise_kind_name(ex->kind)) < 0)
        abort();
    rc = graders[ex->kind](ex, argv[p.next + 1], quiet, &r);
    if (rc == EX_OK) {
        if (!quiet)
            grade_summary(&r, stdout);
        if (grade_write_json(&r, results) != 0) {
            perror(results);
            rc = EX_OUTPUT;
        } else if (grade_score(&r) < grade_max(&r))
            rc = EX_MARKS;
    }
    grade_free(&r);
    free(ex);
    return rc;
}
