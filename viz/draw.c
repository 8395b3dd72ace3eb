/*
 * viz/draw.c — `dlsync draw`: a sequence diagram of a recorded run, or the
 * wait-for graph at a moment, from a dlsync database.
 *
 * Owns the command line of draw; the layout is layout.c, the drawing
 * render.c, the data source.c.  Single-threaded; takes no locks (SQLite
 * takes its shared file lock while reading).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"
#include "viz/commands.h"
#include "viz/draw.h"
#include "viz/render.h"
#include "viz/waitfor.h"

static const char usage[] =
    "usage: dlsync draw DB -o FILE [--run N] [RANGE] [--threads LIST]\n"
    "                  [--fold N] [--detail N] [--page-rows N] [--quiet]\n"
    "       dlsync draw DB --waitfor [--at SEQ|TIME] -o FILE\n"
    "\n"
    "Draw a run of a dlsync database (made by dlsync ingest) as a sequence\n"
    "diagram: one lifeline per thread, time downward, a bar for every hold and\n"
    "wait, broadcasts and wakeups as arrows, each barrier phase as a line across\n"
    "the lifelines.  docs/draw.md explains how to read it.\n"
    "\n"
    "FILE's extension picks the format: .svg, .png, .pdf, or .dot (the DOT\n"
    "source, positions pinned: render it with `neato -n2 -Tsvg FILE.dot`).  A\n"
    "diagram longer than one page is split into FILE-1.svg, FILE-2.svg, ...;\n"
    "the files written are printed one a line.  A .pdf of several pages is\n"
    "written the same way, one file a page (FILE-1.pdf, ...); join them with\n"
    "e.g. `pdfunite $(ls -v FILE-*.pdf) FILE.pdf` (poppler-utils), or draw one\n"
    "page with a larger --page-rows.\n"
    "\n"
    "Range (default: the whole run):\n"
    "  --epoch N            one operation, from the action that began it to the\n"
    "                       followers' last release\n"
    "  --epochs A..B        operations A to B\n"
    "  --from X, --to Y     events X..Y; X and Y are event seqs of the run (as\n"
    "                       dlsync state and check print them) or times since\n"
    "                       the run's first event with a unit ns, us, ms or s:\n"
    "                       1.5ms, 200us, 2s, 500ns.  A time X starts at the\n"
    "                       first event at or after it, a time Y ends at the\n"
    "                       last event at or before it (as dlsync state --at Y)\n"
    "Every time drawn is in ms since the run's first event, 3 decimals.\n"
    "Options:\n"
    "  -o, --output FILE    where to draw (required)\n"
    "  --run N              which run of the database (runs.run_id, a whole\n"
    "                       number from 1; default: the newest, the largest)\n"
    "  --threads LIST       only these threads: 0,2,5-7 or group-0,group-2, dlsync;\n"
    "                       each must be one of the run's (else exit 12)\n"
    "  --fold N             fold a stretch of more than N routine events (lock\n"
    "                       traffic, syscalls, sleeps outside any operation) into\n"
    "                       one row; 0 never folds.  Default 48, at least 20.\n"
    "  --detail N           when the range holds more than N operations, draw in\n"
    "                       full only the first of each kind, the last, and those\n"
    "                       that failed or never ended; fold the others.  0: all\n"
    "                       in full.  Default 24.\n"
    "  --page-rows N        rows a page (default 90)\n"
    "  --waitfor            draw the wait-for graph instead (the one check\n"
    "                       judges): threads (what each waits on, what it\n"
    "                       holds), the objects they wait on and who keeps them\n"
    "                       (\"nobody\" when no thread does); a thread that\n"
    "                       exited while a barrier still counts it; cycles in\n"
    "                       red.  In .dot, thread nodes carry thread=,\n"
    "                       waitsfor= and cycle= (docs/draw.md)\n"
    "  --at X               the moment of --waitfor: just after event seq X, or\n"
    "                       after the last event at or before time X (as --to,\n"
    "                       and as dlsync state --at X).  Default: the end.\n"
    "  -q, --quiet          do not print the files written\n"
    "  -h, --help           this text\n";

int viz_open(const char *cmd, const char *db, struct vrange *r, struct vsrc *src)
{
    int st = vsrc_open(src, db, r->run);
    if (st != VSRC_OK) {
        fprintf(stderr, "dlsync %s: %s\n", cmd, src->err);
        vsrc_close(src);
        return st == VSRC_NO_RUN ? EX_NOT_FOUND : EX_NO_INPUT;
    }
    int rc = vrange_resolve(r, src, cmd);
    if (rc != EX_OK)
        vsrc_close(src);
    return rc;
}

int viz_layout(const char *cmd, struct vdiag *d, struct vsrc *src, const struct vrange *r,
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

static int model_cb(void *arg, const struct rev *e)
{
    model_apply(arg, e);
    return 0;
}

/* --waitfor: the model up to the moment, its wait-for graph, drawn by dot. */
static int draw_waitfor(struct vsrc *src, const struct moment *at, const char *out, int fmt,
                        int quiet)
{
    int64_t upto = src->last_seq;
    int bad = at->set ? moment_seq(&src->db, &src->row, at, MOMENT_UPTO, "draw", "--at", &upto) : 0;
    if (bad < 0)
        fprintf(stderr, "dlsync draw: %s\n", src->db.err);
    if (bad)
        return bad < 0 ? EX_NO_INPUT : EX_NOT_FOUND;
    struct model m;
    model_init(&m, NULL);
    if (vsrc_scan(src, src->first_seq, upto, model_cb, &m) < 0) {
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

int cmd_draw(int argc, char **argv)
{
    enum { O_WAITFOR = 0x200, O_AT };
    struct option opts[VRANGE_NOPTS + 8] = {
        {"output", required_argument, NULL, 'o'}, {"waitfor", no_argument, NULL, O_WAITFOR},
        {"at", required_argument, NULL, O_AT},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
    };
    memcpy(&opts[5], vrange_longopts, (VRANGE_NOPTS + 1) * sizeof opts[0]);
    struct vrange r;
    vrange_init(&r);
    struct moment at = {0};
    const char *out = NULL;
    int waitfor = 0, quiet = 0, c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case O_WAITFOR:
            waitfor = 1;
            break;
        case O_AT:
            if (moment_parse("draw", "--at", optarg, &at)) {
                vrange_free(&r);
                return EX_USAGE;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            if ((rc = vrange_other(&r, c, optarg, "draw", usage)) >= 0)
                return rc;
        }
    }
    int fmt = out ? render_format_of(out) : -1;
    if (optind != argc - 1 || !out || fmt < 0) {
        fprintf(stderr, "dlsync draw: %s\n",
                optind != argc - 1 ? "give exactly one database"
                : !out             ? "give the output file with -o FILE"
                                   : "FILE must end in .svg, .png, .pdf or .dot");
        fputs(usage, stderr);
        vrange_free(&r);
        return EX_USAGE;
    }
    struct vsrc src;
    rc = viz_open("draw", argv[optind], &r, &src);
    if (rc != EX_OK) {
        vrange_free(&r);
        return rc;
    }
    if (waitfor) {
        rc = draw_waitfor(&src, &at, out, fmt, quiet);
    } else {
        struct vdiag d = {0};
        rc = viz_layout("draw", &d, &src, &r, NULL);
        char err[512];
        if (rc == EX_OK && render_diagram(&d, out, fmt, r.page_rows, quiet, err, sizeof err)) {
            fprintf(stderr, "dlsync draw: %s\n", err);
            rc = EX_OUTPUT;
        }
        vdiag_free(&d);
    }
    vsrc_close(&src);
    vrange_free(&r);
    return rc;
}
