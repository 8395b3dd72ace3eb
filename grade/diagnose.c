/*
 * grade/diagnose.c — the grader of diagnose exercises (grade/grade.h).  Not written
 * yet: it grades every submission zero, saying so.
 */
#include <stdio.h>

#include "cli/exitcode.h"
#include "grade/grade.h"

int grade_diagnose(const struct exercise *ex, const char *submission, int quiet,
                   struct grade_report *r)
{
    (void)ex;
    (void)submission;
    (void)quiet;
    grade_add(r, "grader", 0, 1, "this dlsync has no grader for diagnose exercises yet");
    return EX_OK;
}

int diagnose_instance(const struct exercise *ex, unsigned long seed, int answers, const char *dir,
                      FILE *f)
{
    (void)ex;
    (void)seed;
    (void)answers;
    (void)dir;
    (void)f;
    fputs("dlsync exercise: no diagnose instances yet\n", stderr);
    return EX_INTERNAL;
}
