/*
 * cli/state.c — `dlsync state DB`: its options, usage and exit codes; the
 * work is replay/state.c (state_show).  No locks.
 */
#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "replay/moment.h"
#include "replay/state.h"

enum { O_AT = 0x100, O_JSON };

static const struct opt rows[] = {
    {"at", 0, "EVENT|TIME", O_AT,
     "EVENT: just after the event with this seq (events.seq); it must be one of the run's.\n"
     "TIME: at this time since the run's first event, with a unit ns, us, ms or s (1.5ms, "
     "200us, 3s, 15ns): just after the last event at or before it.  As --at of dlsync draw.  "
     "Default: the end of the trace."},
    {"json", 0, NULL, O_JSON, "JSON instead of text."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd state_cmd = {
    .name = "state",
    .synopsis = "usage: dlsync state DB [--at EVENT|TIME] [--run N] [--json]\n"
                "\n"
                "Print the protocol's state at one moment of a run, rebuilt from its events:\n"
                "the lease's owner and id, the state lock's holders and mode, who waits on\n"
                "each lock and since when, the pending flag, rx_count, the current epoch and\n"
                "phase with the barrier arrivals so far (and every other epoch still in\n"
                "flight), where every thread is, and the findings of dlsync check (judged\n"
                "now from the run's events, whether or not check was run) that began by\n"
                "then.  The replay page's state panel shows these very words.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, opt_run_rows}, {NULL, NULL}},
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_NOT_FOUND, -1},
};

int cmd_state(int argc, char **argv)
{
    struct state_opts o = {0};
    struct opt_parser p;
    const char *arg;
    int k;
    opt_begin(&p, &state_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == OPT_RUN && moment_parse_run("state", "--run", arg, &o.run) != 0)
            return EX_USAGE;
        if (k == O_AT && moment_parse("state", "--at", arg, &o.at) != 0)
            return EX_USAGE;
        if (k == O_JSON)
            o.json = 1;
    }
    if (p.next != argc - 1)
        return opt_usage_error(&state_cmd, "give exactly one database");
    o.db = argv[p.next];
    return state_show(&o);
}
