/*
 * replay/gaps.c — findings judged against the gaps of their trace (see
 * gaps.h).  No locks.
 *
 * The missing kinds are those run_end counted more of than the trace holds;
 * when run_end is missing, or more events were dropped than those counts
 * explain, or a gap's size is unknown, every kind may be missing.  The
 * missing events lie in the spans the tracer reported; when a span's times
 * are unknown, or the spans do not account for every lost event, they may
 * lie anywhere.  A finding is unreliable when a kind it could be faked from
 * is missing and a place where events are missing overlaps its window.
 */
#include "replay/gaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"
#include "replay/textbuf.h"

void gaps_add_span(struct gaps *g, int64_t count, int64_t beg_ts, int64_t end_ts)
{
    struct gap_span *v = realloc(g->spans, (size_t)(g->nspans + 1) * sizeof *v);
    if (!v)
        abort();
    g->spans = v;
    g->spans[g->nspans++] = (struct gap_span){.count = count, .beg_ts = beg_ts, .end_ts = end_ts};
}

void gaps_free(struct gaps *g)
{
    free(g->spans);
    g->spans = NULL;
    g->nspans = 0;
}

static int64_t lost_total(const struct gaps *g)
{
    int64_t n = 0;
    for (int k = 0; k < EV_KIND_COUNT; k++)
        n += g->lost[k];
    return n;
}

int gaps_any(const struct gaps *g)
{
    return g->discarded > 0 || g->nspans > 0 || lost_total(g) > 0;
}

/* What g knows, summed up once. */
struct gap_view {
    int any_kind;  /* every kind may be missing */
    int anywhere;  /* the missing events may lie anywhere in the run */
    int64_t spans; /* events the spans account for */
};

static struct gap_view view(const struct gaps *g)
{
    struct gap_view v = {0};
    int unknown_size = 0;
    for (int i = 0; i < g->nspans; i++) {
        const struct gap_span *s = &g->spans[i];
        if (s->count <= 0)
            unknown_size = 1;
        if (s->count <= 0 || s->beg_ts < 0 || s->end_ts < 0)
            v.anywhere = 1;
        v.spans += s->count > 0 ? s->count : 0;
    }
    int64_t lost = lost_total(g);
    int64_t dropped = g->discarded > v.spans ? g->discarded : v.spans;
    v.any_kind = !g->kinds_known || unknown_size || dropped > lost;
    if (lost > v.spans || g->discarded > v.spans) /* events no span accounts for */
        v.anywhere = 1;
    return v;
}

/* Why d is unreliable, into buf; 0 when it is reliable. */
static int explain(const struct gaps *g, const struct gap_view *v, const struct finding *d,
                   int64_t t0, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    if (!d->gap_kinds)
        return 0;
    /* Where: a span overlapping the window, or anywhere. */
    int64_t beg = INT64_MAX, end = 0;
    for (int i = 0; i < g->nspans && !v->anywhere; i++) {
        const struct gap_span *s = &g->spans[i];
        if (s->end_ts < d->gap_from || s->beg_ts > d->gap_to)
            continue;
        beg = s->beg_ts < beg ? s->beg_ts : beg;
        end = s->end_ts > end ? s->end_ts : end;
    }
    if (!v->anywhere && beg > end)
        return 0;
    /* What: the missing kinds it could be faked from. */
    int told = 0;
    for (int k = 0; k < EV_KIND_COUNT && !v->any_kind; k++) {
        if (!(d->gap_kinds & finding_kind(k)) || g->lost[k] <= 0)
            continue;
        textbuf_add(buf, n, &len, "%s%lld %s event%s", told++ ? " and " : "the trace lacks ",
                    (long long)g->lost[k], ev_kind_name((enum ev_kind)k),
                    g->lost[k] > 1 ? "s" : "");
    }
    if (v->any_kind) {
        int64_t dropped = g->discarded > v->spans ? g->discarded : v->spans;
        if (dropped > 0)
            textbuf_add(buf, n, &len, "the trace lost %lld event%s of kinds it does not tell",
                        (long long)dropped, dropped > 1 ? "s" : "");
        else
            textbuf_add(buf, n, &len, "the trace lost events of kinds and number it does not tell");
    } else if (!told) {
        return 0;
    }
    if (v->anywhere) {
        textbuf_add(buf, n, &len, ", where the trace does not tell");
    } else {
        char a[32], b[32];
        textbuf_add(buf, n, &len, ", lost between %s and %s", rn_ms(beg, t0, a, sizeof a),
                    rn_ms(end, t0, b, sizeof b));
    }
    return 1;
}

void gaps_judge(const struct gaps *g, struct findings *f, int64_t t0)
{
    if (!gaps_any(g))
        return;
    struct gap_view v = view(g);
    for (size_t i = 0; i < f->n; i++) {
        struct finding *d = &f->v[i];
        char why[512];
        if (!explain(g, &v, d, t0, why, sizeof why))
            continue;
        free(d->unreliable);
        d->unreliable = strdup(why);
        if (!d->unreliable)
            abort();
    }
}
