/*
 * cli/replay.c — `dlsync replay DB -o FILE.html`: its options, usage and
 * exit codes (the range options are draw's); the work is viz/replay_page.c
 * (replay_page).  No locks.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/draw.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "viz/draw.h"

enum { O_MAX = 0x200 };

static const struct opt rows[] = {
    {"output", 'o', "FILE", 'o', "the page to write (required)"},
    {"max-events", 0, "N", O_MAX,
     "refuse a range of more events than this (default 200000): the page embeds every event "
     "of the range"},
    {"quiet", 'q', NULL, 'q', "do not print the page's name"},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd replay_cmd = {
    .name = "replay",
    .synopsis = "usage: dlsync replay DB -o FILE.html [--run N] [RANGE] [--threads LIST]\n"
                "                    [--fold N] [--detail N] [--page-rows N] [--max-events N]\n"
                "                    [-q]\n"
                "\n"
                "Write one self-contained HTML page (no network, opens from disk) to step\n"
                "through a run of a dlsync database: the sequence diagram of dlsync draw,\n"
                "a cursor, and beside it the state at the cursor in the words of dlsync\n"
                "state --at (lease owner, lock holders and waiters, pending flag, rx_count,\n"
                "the newest epoch and its barrier arrivals, every other epoch in flight,\n"
                "where each thread is, the findings so far); before the first event, the\n"
                "state at the start of the range.  Times are in ms since the run's first\n"
                "event, 3 decimals.\n"
                "\n"
                "In the page: Right/j next event, Left/k previous, n/p next/previous epoch,\n"
                "f next finding, Home/End; a box jumps to an epoch, and the at box to a\n"
                "moment written as for dlsync state --at (an event seq, or a time since the\n"
                "run's first event with a unit ns, us, ms or s); clicking an event shows its\n"
                "fields.  The findings are judged from the run's events (as dlsync check\n"
                "does), whether or not check was run.\n",
    .tables = (const struct opt_table[]){{"Range (default: the whole run; as dlsync draw):",
                                          draw_range_rows},
                                         {"Options:", rows},
                                         {NULL, opt_run_rows},
                                         {NULL, NULL}},
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, -1},
};

/* Read argv into o.  Returns -1 to write the page, else the exit code. */
static int parse(struct replay_opts *o, int argc, char **argv)
{
    struct opt_parser p;
    const char *arg;
    char *end;
    int k, rc = EX_OK;
    opt_begin(&p, &replay_cmd, argc, argv);
    while (rc == EX_OK && (k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == 'o') {
            o->out = arg;
        } else if (k == O_MAX) {
            errno = 0;
            o->max_events = strtoll(arg, &end, 10);
            if (errno || *end || o->max_events < 1)
                rc = opt_usage_error(&replay_cmd, "bad value '%s' for --max-events", arg);
        } else if (k == 'q') {
            o->quiet = 1;
        } else {
            rc = draw_range_option(&replay_cmd, &o->range, k, arg);
        }
    }
    if (rc != EX_OK)
        return rc;
    if (!o->out)
        return opt_usage_error(&replay_cmd, "give the page to write with -o FILE.html");
    if (p.next != argc - 1)
        return opt_usage_error(&replay_cmd, "give exactly one database");
    o->db = argv[p.next];
    return -1;
}

int cmd_replay(int argc, char **argv)
{
    struct replay_opts o = {.max_events = 200000};
    vrange_init(&o.range);
    o.range.page_rows = 200;
    int rc = parse(&o, argc, argv);
    if (rc >= 0) {
        vrange_free(&o.range);
        return rc;
    }
    return replay_page(&o);
}
