/*
 * grade/predict.c — the grader of predict exercises (grade/grade.h).  Not written
 * yet: it grades every submission zero, saying so.
 */
#include <stdio.h>

#include "cli/exitcode.h"
#include "grade/grade.h"

int grade_predict(const struct exercise *ex, const char *submission, int quiet,
                  struct grade_report *r)
{
    (void)ex;
    (void)submission;
    (void)quiet;
    grade_add(r, "grader", 0, 1, "this dlsync has no grader for predict exercises yet");
    return EX_OK;
}

int predict_instance(const struct exercise *ex, unsigned long seed, int answers, FILE *f)
{
    (void)ex;
    (void)seed;
    (void)answers;
    (void)f;
    fputs("dlsync exercise: no predict instances yet\n", stderr);
    return EX_INTERNAL;
}
