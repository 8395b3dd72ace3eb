/*
 * grade/report.h — the result of grading one submission: a list of tests,
 * each with its score, its maximum and what the student should read, printed
 * as a human summary and written as Gradescope's results.json:
 *
 *     {"score": S, "max_score": M, "output": "...",
 *      "tests": [{"name": ..., "score": s, "max_score": m, "output": ...}, ...]}
 *
 * Owns the tests' memory.  Takes no locks; a report belongs to one thread.
 */
#ifndef DLSYNC_GRADE_REPORT_H
#define DLSYNC_GRADE_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct grade_test {
    char *name;
    double score, max_score;
    char *output; /* what the student reads: why marks were lost, how to replay */
};

struct grade_report {
    char *exercise; /* "03 Never block on write()" */
    struct grade_test *tests;
    size_t n, cap;
};

/* Add a test.  0 <= score <= max_score.  The output is printf(fmt, ...). */
__attribute__((format(printf, 5, 6))) void grade_add(struct grade_report *r, const char *name,
                                                     double score, double max_score,
                                                     const char *fmt, ...);

/* Append printf(fmt, ...) to the output of the last test added. */
__attribute__((format(printf, 2, 3))) void grade_append(struct grade_report *r, const char *fmt,
                                                        ...);

double grade_score(const struct grade_report *r);
double grade_max(const struct grade_report *r);

/* The human summary on f: one line per test, then the total. */
void grade_summary(const struct grade_report *r, FILE *f);

/* Write results.json to path (through a temporary file renamed into place,
 * so a reader never sees half of it).  0, or -1 with errno set. */
int grade_write_json(const struct grade_report *r, const char *path);

void grade_free(struct grade_report *r);

#endif
