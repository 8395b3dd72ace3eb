/*
 * grade/report.c — a grading's tests, its summary and Gradescope's
 * results.json (grade/report.h).  Owns the tests' memory; takes no locks.
 */
#include "grade/report.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay/textbuf.h"
#include "viz/escape.h"

static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        abort(); /* out of memory: no report worth keeping */
    return s;
}

void grade_add(struct grade_report *r, const char *name, double score, double max_score,
               const char *fmt, ...)
{
    assert(score >= 0 && score <= max_score);
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->tests = realloc(r->tests, r->cap * sizeof *r->tests);
        if (!r->tests)
            abort();
    }
    va_list ap;
    va_start(ap, fmt);
    struct grade_test *t = &r->tests[r->n++];
    t->name = strdup(name);
    t->score = score;
    t->max_score = max_score;
    t->output = vformat(fmt, ap);
    va_end(ap);
    if (!t->name)
        abort();
}

void grade_append(struct grade_report *r, const char *fmt, ...)
{
    assert(r->n > 0);
    struct grade_test *t = &r->tests[r->n - 1];
    va_list ap;
    va_start(ap, fmt);
    char *more = vformat(fmt, ap);
    va_end(ap);
    char *both = NULL;
    if (asprintf(&both, "%s%s", t->output, more) < 0)
        abort();
    free(more);
    free(t->output);
    t->output = both;
}

double grade_score(const struct grade_report *r)
{
    double s = 0;
    for (size_t i = 0; i < r->n; i++)
        s += r->tests[i].score;
    return s;
}

double grade_max(const struct grade_report *r)
{
    double s = 0;
    for (size_t i = 0; i < r->n; i++)
        s += r->tests[i].max_score;
    return s;
}

void grade_summary(const struct grade_report *r, FILE *f)
{
    fprintf(f, "exercise %s\n", r->exercise ? r->exercise : "?");
    for (size_t i = 0; i < r->n; i++) {
        const struct grade_test *t = &r->tests[i];
        fprintf(f, "  %-5s %g/%g  %s\n", t->score == t->max_score ? "ok" : "LOST", t->score,
                t->max_score, t->name);
        /* The output, indented, so that the summary reads on its own. */
        for (const char *s = t->output; *s;) {
            size_t n = strcspn(s, "\n");
            fprintf(f, "          %.*s\n", (int)n, s);
            s += n + (s[n] == '\n');
        }
    }
    fprintf(f, "score %g/%g\n", grade_score(r), grade_max(r));
}

int grade_write_json(const struct grade_report *r, const char *path)
{
    struct vbuf b = {0};
    vbuf_printf(&b, "{\n  \"score\": %g,\n  \"max_score\": %g,\n  \"output\": ", grade_score(r),
                grade_max(r));
    esc_json(&b, r->exercise ? r->exercise : "");
    vbuf_puts(&b, ",\n  \"tests\": [");
    for (size_t i = 0; i < r->n; i++) {
        const struct grade_test *t = &r->tests[i];
        vbuf_puts(&b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
        esc_json(&b, t->name);
        vbuf_printf(&b, ", \"score\": %g, \"max_score\": %g, \"output\": ", t->score, t->max_score);
        esc_json(&b, t->output);
        vbuf_puts(&b, "}");
    }
    vbuf_puts(&b, "\n  ]\n}\n");
    char tmp[4096];
    int rc = -1;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) < (int)sizeof tmp) {
        FILE *f = fopen(tmp, "w");
        if (f) {
            size_t len = strlen(vbuf_str(&b));
            int ok = fwrite(vbuf_str(&b), 1, len, f) == len;
            ok &= fclose(f) == 0;
            if (ok && rename(tmp, path) == 0)
                rc = 0;
            else {
                int e = errno;
                unlink(tmp);
                errno = e;
            }
        }
    } else
        errno = ENAMETOOLONG;
    vbuf_free(&b);
    return rc;
}

void grade_free(struct grade_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->tests[i].name);
        free(r->tests[i].output);
    }
    free(r->tests);
    free(r->exercise);
    memset(r, 0, sizeof *r);
}
