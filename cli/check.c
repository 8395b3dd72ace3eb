/*
 * cli/check.c — `dlsync check DB`: its options, usage and exit codes; the
 * work is replay/check.c (check_judge).  No locks.
 */
#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "replay/check.h"
#include "replay/moment.h"

enum { O_JSON = 0x100, O_NO_STORE };

static const struct opt rows[] = {
    {"json", 0, NULL, O_JSON, "JSON on stdout instead of text."},
    {"no-store", 0, NULL, O_NO_STORE, "do not write the findings table (a read-only database)."},
    {"quiet", 'q', NULL, 'q',
     "print nothing: the exit status is the verdict (the findings are still stored)."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd check_cmd = {
    .name = "check",
    .synopsis = "usage: dlsync check DB [--run N] [--json] [--no-store] [-q]\n"
                "\n"
                "Judge a run from its events alone (never from the variant it was run with).\n"
                "Threads are told apart by their Linux thread id (the trace's vtid), not by\n"
                "their group.  Findings:\n"
                "  - every invariant I1-I9 of docs/protocol.md section 4, each finding naming the\n"
                "    invariant, the threads and the event seqs that break it;\n"
                "  - exclusion: two writers of the state lock, a reader during a write (or a\n"
                "    writer during reads), a release without an acquire, the lease used by a\n"
                "    thread that does not hold it, an event of a thread after its thread_exit;\n"
                "  - a hang at the end of the trace: the wait-for graph over threads (state\n"
                "    lock, lease loops, mutexes, bus receives, barrier phases, a parent waiting\n"
                "    for its child, checkpoint freezes), each cycle told as a short story (a\n"
                "    thread waiting for what it already holds: a self-deadlock), and every\n"
                "    stall without a cycle traced to the party that never arrives (asleep and\n"
                "    never woken, exited still subscribed, in a guest wait, ...);\n"
                "  - healed-stall: an epoch delayed at phase 1 by a party whose wakeup was\n"
                "    lost or ignored (its sleep or guest wait ran to its end), even when the\n"
                "    run went on: the threads, the wakeup's seq, the wait and the delay;\n"
                "  - lock-order prediction (like lockdep): orders seen in this trace that another\n"
                "    interleaving could turn into a deadlock, even when this run completed.\n"
                "When the trace has gaps (events the tracer discarded, or fewer of a kind than\n"
                "run_end counted), each finding that the missing events could explain is\n"
                "marked unreliable, with the reason.\n"
                "Findings are printed and stored in the findings table (replacing the run's\n"
                "earlier ones), for SQL queries: state, draw and replay judge them again\n"
                "themselves and never read the table.\n",
    .tables = (const struct opt_table[]){{"Options:", opt_run_rows}, {NULL, rows}, {NULL, NULL}},
    .tail = "The exit status is the verdict of the worst reliable finding, the code\n"
            "dlsync run gives that failure: an invariant or exclusion rule broken (5)\n"
            "before a deadlock or stall (3) before a healed stall (6) before a lock-order\n"
            "prediction (7); 8 when every finding is unreliable.\n",
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_HANG, EX_PROTOCOL, EX_DELAYED,
                           EX_PREDICTED, EX_UNRELIABLE, EX_NO_INPUT, EX_CORRUPT, EX_NOT_FOUND,
                           EX_OUTPUT, EX_DISK_FULL, -1},
};

int cmd_check(int argc, char **argv)
{
    struct check_opts o = {.store = 1};
    struct opt_parser p;
    const char *arg;
    int k;
    opt_begin(&p, &check_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == OPT_RUN && moment_parse_run("check", "--run", arg, &o.run) != 0)
            return EX_USAGE;
        o.json |= k == O_JSON;
        o.quiet |= k == 'q';
        if (k == O_NO_STORE)
            o.store = 0;
    }
    if (p.next != argc - 1)
        return opt_usage_error(&check_cmd, "give exactly one database");
    o.db = argv[p.next];
    return check_judge(&o);
}
