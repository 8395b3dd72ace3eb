/*
 * grade/grade.h — the graders of the four kinds of exercise, one file each:
 *
 *   predict.c    a run with blanks: the answers file against the facts of
 *                the student's own instance (its seed)
 *   diagnose.c   the trace detective: the answers file against what the
 *                failing run's events say
 *   break.c      the student is the scheduler: the submitted schedule
 *                replayed, its win confirmed by `dlsync check`
 *   fix.c        one protocol function: built in a sandbox, explored under
 *                the controlled scheduler, judged by check's invariants
 *
 * Each grader adds its tests to r (grade/report.h): a submission that is
 * malformed, does not build, crashes or hangs scores zero on the tests it
 * fails, with the reason in their output; that is a grade, not an error.
 * It returns EX_OK, or an exit code of cli/exitcode.h when the grading
 * itself could not be done (EX_INTERNAL; EX_NO_INPUT: no such submission),
 * its message printed on stderr.  Grading is deterministic: the same
 * submission gets the same report every time.
 *
 * submission is a file or a folder (Gradescope's /autograder/submission);
 * each kind documents the file it looks for in a folder.  quiet: no progress
 * on stderr.
 */
#ifndef DLSYNC_GRADE_GRADE_H
#define DLSYNC_GRADE_GRADE_H

#include <stdio.h>

#include "grade/exercise.h"
#include "grade/report.h"

/* The file a grader reads: submission itself, or name inside it when it is
 * a folder (Gradescope's /autograder/submission), into buf (n bytes). */
const char *submission_file(const char *submission, const char *name, char *buf, size_t n);

/* Run /proc/self/exe with argv (argv[0] ignored) in a child, its stdout and
 * stderr to the file out, killed (SIGALRM) after limit_s seconds.  Returns
 * its exit status, 128+N for signal N, or -1 when it could not be run. */
int grade_child(char *const argv[], const char *out, unsigned limit_s);

/* Remove the folder dir and everything under it (a grader's scratch). */
void grade_remove_tree(const char *dir);

int grade_predict(const struct exercise *ex, const char *submission, int quiet,
                  struct grade_report *r);
int grade_diagnose(const struct exercise *ex, const char *submission, int quiet,
                   struct grade_report *r);
int grade_break(const struct exercise *ex, const char *submission, int quiet,
                struct grade_report *r);
int grade_fix(const struct exercise *ex, const char *submission, int quiet, struct grade_report *r);

/* `dlsync exercise NAME -s SEED [-c]` (cli/exercise.c), per kind:
 *
 * predict: print on f the student's instance of seed (a scenario and a run
 * with `?` in place of the facts to predict); with answers, the same with the
 * facts filled in, in the form of an answers file the grader reads.
 *
 * diagnose: make the student's instance of seed in dir (the trace of the
 * failing run and its database, which carry the exercise's id, never the
 * variant's name), and print on f the answers file to fill in; with answers,
 * the answer key.
 *
 * Both return EX_OK or an exit code after the message on stderr.  A seed is
 * from 0 to EXERCISE_SEED_MAX. */
enum { EXERCISE_SEED_MAX = 1000000000 };
int predict_instance(const struct exercise *ex, unsigned long seed, int answers, FILE *f);
int diagnose_instance(const struct exercise *ex, unsigned long seed, int answers, const char *dir,
                      FILE *f);

#endif
