/*
 * replay/rundiff.c — comparing runs (see rundiff.h).  No locks of its own.
 */
#include "replay/rundiff.h"

#include <stdlib.h>
#include <string.h>

enum { LINE_MAX_LEN = 1400, CONTEXT = 3 };

static int write_line(void *arg, const struct rev *e)
{
    FILE *out = arg;
    char line[LINE_MAX_LEN];
    struct ev ev = {.obj = e->obj,
                    .mode = e->mode,
                    .how = e->how,
                    .epoch = e->epoch,
                    .phase = e->phase,
                    .lease = e->lease,
                    .a = e->a,
                    .b = e->b,
                    .s = e->str};
    fprintf(out, "seq %lld\t%s\n", (long long)e->seq,
            ev_format(line, sizeof line, e->kind, e->grp, &ev));
    return 0;
}

int64_t rundiff_write_db(struct db *db, const struct db_run *run, FILE *out)
{
    return db_scan_events(db, run->id, 0, INT64_MAX, write_line, out);
}

/* A line of a side: its label (or "event N") and its text. */
struct line {
    char buf[LINE_MAX_LEN + 64];
    char label[48];
    const char *text;
};

/* Is text a line that says how the run was made? */
static int meta(const char *text)
{
    static const char *const kinds[] = {"run_begin ", "run_end ", "schedule "};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(text, kinds[i], strlen(kinds[i])) == 0)
            return 1;
    return 0;
}

/* The next compared line of s into l; 0 at the end.  n counts them. */
static int next_line(struct rundiff_side *s, struct line *l, int64_t n)
{
    while (fgets(l->buf, sizeof l->buf, s->f)) {
        l->buf[strcspn(l->buf, "\n")] = '\0';
        char *tab = strchr(l->buf, '\t');
        if (tab) {
            *tab = '\0';
            snprintf(l->label, sizeof l->label, "%.40s", l->buf);
            l->text = tab + 1;
        } else {
            snprintf(l->label, sizeof l->label, "event %lld", (long long)n);
            l->text = l->buf;
        }
        if (!meta(l->text))
            return 1;
    }
    return 0;
}

int rundiff_compare(struct rundiff_side *a, struct rundiff_side *b, FILE *report)
{
    struct line la, lb;
    char ctx[CONTEXT][LINE_MAX_LEN];
    int64_t n = 0;
    for (;;) {
        int ha = next_line(a, &la, n + 1), hb = next_line(b, &lb, n + 1);
        if (!ha && !hb) {
            if (report)
                fprintf(report, "the runs are the same: %lld events\n", (long long)n);
            return 0;
        }
        if (ha && hb && strcmp(la.text, lb.text) == 0) {
            snprintf(ctx[n % CONTEXT], sizeof ctx[0], "%s", la.text);
            n++;
            continue;
        }
        if (!report)
            return 1;
        fprintf(report, "the runs part at event %lld (run_begin, schedule and run_end aside):\n",
                (long long)n + 1);
        for (int64_t i = n > CONTEXT ? n - CONTEXT : 0; i < n; i++)
            fprintf(report, "    both:  %s\n", ctx[i % CONTEXT]);
        if (ha)
            fprintf(report, "  %s (%s): %s\n", a->name, la.label, la.text);
        else
            fprintf(report, "  %s: ends here\n", a->name);
        if (hb)
            fprintf(report, "  %s (%s): %s\n", b->name, lb.label, lb.text);
        else
            fprintf(report, "  %s: ends here\n", b->name);
        return 1;
    }
}
