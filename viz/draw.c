/*
 * viz/draw.c — `dlsync draw`: a sequence diagram of a recorded run, or the
 * wait-for graph at a moment, from a dlsync database.
 *
 * Its command line is cli/draw.c; the layout is layout.c, the drawing
 * render.c, the run replay/session.c.  Single-threaded; takes no locks (SQLite
 * takes its shared file lock while reading).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"
#include "viz/draw.h"
#include "viz/render.h"
#include "viz/waitfor.h"

int viz_open(const char *cmd, const char *db, struct vrange *r, struct session *src)
{
    int st = session_open(src, db, r->run);
    if (st != SESSION_OK) {
        fprintf(stderr, "dlsync %s: %s\n", cmd, src->err);
        session_close(src);
        return st == SESSION_NO_RUN ? EX_NOT_FOUND : EX_NO_INPUT;
    }
    int rc = vrange_resolve(r, src, cmd);
    if (rc != EX_OK)
        session_close(src);
    return rc;
}

int viz_layout(const char *cmd, struct vdiag *d, struct session *src, const struct vrange *r,
               const struct vlay_opts *hooks)
{
    struct vlay_opts o = {
        .from = r->seq_from,
        .to = r->seq_to,
        .threads = r->threads,
        .nthreads = r->nthreads,
        .quiet = r->quiet,
        .detail = r->epoch_a ? 0 : r->detail,
        .hang = r->seq_to >= src->last_seq,
        .start = hooks ? hooks->start : NULL,
        .after = hooks ? hooks->after : NULL,
        .ctx = hooks ? hooks->ctx : NULL,
    };
    vrange_title(r, src, d->title, sizeof d->title);
    if (vlay_run(d, src, &o)) {
        fprintf(stderr, "dlsync %s: %s\n", cmd, src->err);
        return EX_NO_INPUT;
    }
    return EX_OK;
}

/* --waitfor: the model up to the moment, its wait-for graph, drawn by dot. */
static int draw_waitfor(struct session *src, const struct moment *at, const char *out, int fmt,
                        int quiet)
{
    int64_t upto = src->last_seq;
    int bad = at->set ? session_moment(src, at, MOMENT_UPTO, "draw", "--at", &upto) : 0;
    if (bad < 0)
        fprintf(stderr, "dlsync draw: %s\n", src->err);
    if (bad)
        return bad < 0 ? EX_NO_INPUT : EX_NOT_FOUND;
    struct model m;
    model_init(&m, NULL);
    if (session_model(src, upto, &m) < 0) {
        fprintf(stderr, "dlsync draw: %s\n", src->err);
        model_free(&m);
        return EX_NO_INPUT;
    }
    struct wf_view v;
    wf_open(&v, &m);
    char caption[256], err[512], ms[32];
    snprintf(caption, sizeof caption,
             "wait-for graph of %s (seed %lld, run %lld) after seq %lld, %s%s",
             *src->scenario ? src->scenario : "run", (long long)src->seed, (long long)src->run,
             (long long)upto, rn_ms(m.last_ts, src->t0, ms, sizeof ms),
             v.g.cycle     ? ": DEADLOCK (cycle in red)"
             : v.g.blocked ? ": blocked threads (orange)"
                           : ": nobody blocked");
    int rc = render_waitfor(&v, caption, out, fmt, err, sizeof err);
    if (rc)
        fprintf(stderr, "dlsync draw: %s\n", err);
    else if (!quiet)
        printf("%s\n", out);
    wf_close(&v);
    model_free(&m);
    return rc ? EX_OUTPUT : EX_OK;
}

int draw_main(struct draw_opts *o)
{
    int fmt = render_format_of(o->out);
    assert(fmt >= 0);
    struct vrange r = o->range;
    int rc;
    struct session src;
    rc = viz_open("draw", o->db, &r, &src);
    if (rc != EX_OK) {
        vrange_free(&r);
        return rc;
    }
    if (o->waitfor) {
        rc = draw_waitfor(&src, &o->at, o->out, fmt, o->quiet);
    } else {
        struct vdiag d = {0};
        rc = viz_layout("draw", &d, &src, &r, NULL);
        char err[512];
        if (rc == EX_OK &&
            render_diagram(&d, o->out, fmt, r.page_rows, o->quiet, err, sizeof err)) {
            fprintf(stderr, "dlsync draw: %s\n", err);
            rc = EX_OUTPUT;
        }
        vdiag_free(&d);
    }
    session_close(&src);
    vrange_free(&r);
    return rc;
}
