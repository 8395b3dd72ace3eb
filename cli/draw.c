/*
 * cli/draw.c — `dlsync draw DB -o FILE`: its options, usage and exit codes,
 * and the range options replay shares (draw_range_rows); the work is
 * viz/draw.c (draw_main).  No locks.
 */
#include "cli/commands.h"
#include "cli/draw.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "viz/draw.h"
#include "viz/render.h"

const struct opt draw_range_rows[] = {
    {"epoch", 0, "N", VR_EPOCH,
     "one operation, from the action that began it to the followers' last release"},
    {"epochs", 0, "A..B", VR_EPOCHS, "operations A to B"},
    {"from", 0, "X", VR_FROM,
     "from event X: an event seq of the run (as dlsync state and check print them) or a time "
     "since the run's first event with a unit ns, us, ms or s (1.5ms, 200us, 2s, 500ns): the "
     "first event at or after it"},
    {"to", 0, "Y", VR_TO,
     "to event Y, a seq or a time as --from: the last event at or before it (as dlsync state "
     "--at Y)"},
    {"threads", 0, "LIST", VR_THREADS,
     "only these threads: 0,2,5-7 or group-0,group-2, dlsync; each must be one of the run's "
     "(else exit 12)"},
    {"fold", 0, "N", VR_FOLD,
     "fold a stretch of more than N routine events (lock traffic, syscalls, sleeps outside any "
     "operation) into one row; 0 never folds.  Default 48, at least 20."},
    {"detail", 0, "N", VR_DETAIL,
     "when the range holds more than N operations, draw in full only the first of each kind, "
     "the last, and those that failed or never ended; fold the others.  0: all in full.  "
     "Default 24."},
    {"page-rows", 0, "N", VR_PAGE_ROWS, "rows a page (default 90; replay: 200)"},
    {NULL, 0, NULL, 0, NULL},
};

enum { O_WAITFOR = 0x200, O_AT };

static const struct opt rows[] = {
    {"output", 'o', "FILE", 'o', "where to draw (required)"},
    {"waitfor", 0, NULL, O_WAITFOR,
     "draw the wait-for graph instead (the one check judges): threads (what each waits on, what "
     "it holds), the objects they wait on and who keeps them (\"nobody\" when no thread does); "
     "a thread that exited while a barrier still counts it; cycles in red.  In .dot, thread "
     "nodes carry thread=, waitsfor= and cycle= (docs/draw.md)"},
    {"at", 0, "X", O_AT,
     "the moment of --waitfor: just after event seq X, or after the last event at or before "
     "time X (as --to, and as dlsync state --at X).  Default: the end."},
    {"quiet", 'q', NULL, 'q', "do not print the files written"},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd draw_cmd = {
    .name = "draw",
    .synopsis = "usage: dlsync draw DB -o FILE [--run N] [RANGE] [--threads LIST]\n"
                "                  [--fold N] [--detail N] [--page-rows N] [-q]\n"
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
                "page with a larger --page-rows.  Every time drawn is in ms since the run's\n"
                "first event, 3 decimals.\n",
    .tables = (const struct opt_table[]){{"Range (default: the whole run):", draw_range_rows},
                                         {"Options:", rows},
                                         {NULL, opt_run_rows},
                                         {NULL, NULL}},
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, -1},
};

int draw_range_option(const struct opt_cmd *cmd, struct vrange *r, int key, const char *arg)
{
    if (key == OPT_RUN)
        key = VR_RUN;
    return vrange_option(r, key, arg, cmd->name) < 0 ? EX_USAGE : EX_OK;
}

/* Read argv into o.  Returns -1 to draw, else the exit code. */
static int parse(struct draw_opts *o, int argc, char **argv)
{
    struct opt_parser p;
    const char *arg;
    int k, rc = EX_OK;
    opt_begin(&p, &draw_cmd, argc, argv);
    while (rc == EX_OK && (k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == 'o')
            o->out = arg;
        else if (k == O_WAITFOR)
            o->waitfor = 1;
        else if (k == O_AT)
            rc = moment_parse("draw", "--at", arg, &o->at) ? EX_USAGE : EX_OK;
        else if (k == 'q')
            o->quiet = 1;
        else
            rc = draw_range_option(&draw_cmd, &o->range, k, arg);
    }
    if (rc != EX_OK)
        return rc;
    if (p.next != argc - 1)
        return opt_usage_error(&draw_cmd, "give exactly one database");
    if (!o->out)
        return opt_usage_error(&draw_cmd, "give the output file with -o FILE");
    if (render_format_of(o->out) < 0)
        return opt_usage_error(&draw_cmd, "FILE must end in .svg, .png, .pdf or .dot");
    o->db = argv[p.next];
    return -1;
}

int cmd_draw(int argc, char **argv)
{
    struct draw_opts o = {0};
    vrange_init(&o.range);
    int rc = parse(&o, argc, argv);
    if (rc >= 0) {
        vrange_free(&o.range);
        return rc;
    }
    return draw_main(&o);
}
