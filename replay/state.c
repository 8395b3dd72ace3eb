/*
 * replay/state.c — `dlsync state`: the protocol's state at one moment of a
 * run, rebuilt from its events (model.c), with the findings `dlsync check`
 * judges (check_findings) that began by then.
 *
 * Owns the command line; the words (text and JSON) are describe.c's, the
 * same the replay page shows.  Takes no locks of its own; reads the
 * database under SQLite's shared lock.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/cmdline.h"
#include "replay/commands.h"
#include "replay/db.h"
#include "replay/describe.h"
#include "replay/model.h"
#include "replay/moment.h"
#include "replay/names.h"

static const char usage[] =
    "usage: dlsync state DB [--at EVENT|TIME] [--run N] [--json]\n"
    "\n"
    "Print the protocol's state at one moment of a run, rebuilt from its events:\n"
    "the lease's owner and id, the state lock's holders and mode, who waits on\n"
    "each lock and since when, the pending flag, rx_count, the current epoch and\n"
    "phase with the barrier arrivals so far (and every other epoch still in\n"
    "flight), where every thread is, and the findings of dlsync check (judged\n"
    "now from the run's events, whether or not check was run) that began by\n"
    "then.  The replay page's state panel shows these very words.\n"
    "\n"
    "Options:\n"
    "  --at EVENT   just after the event with this seq (events.seq); it must be\n"
    "               one of the run's.\n"
    "  --at TIME    at this time since the run's first event, with a unit ns, us,\n"
    "               ms or s (1.5ms, 200us, 3s, 15ns): just after the last event at\n"
    "               or before it.  As --at of dlsync draw.  Default: the end of\n"
    "               the trace.\n"
    "  --run N      the run (runs.run_id, a whole number from 1).  Default: the\n"
    "               newest (the largest run_id).\n"
    "  --json       JSON instead of text.\n"
    "  -h, --help   this text.\n"
    "\n"
    "Exit status: 0 printed, 1 no such run or moment (an --at seq that is not\n"
    "one of the run's), 2 bad command line (a --run or --at that does not parse),\n"
    "or a database that cannot be opened or read: missing, a directory, an empty\n"
    "file, not a dlsync database, another schema version, locked by another\n"
    "process, or a hot journal on read-only media (the message says which).\n";

static int apply_one(void *arg, const struct rev *e)
{
    model_apply(arg, e);
    return 0;
}

/* Text: every item that says something, a line each (ctx: the FILE). */
static void print_item(void *ctx, const char *key, const char *text)
{
    (void)key;
    if (*text)
        fprintf(ctx, "%s\n", text);
}

/* --at: the one option of state's own (ctx: struct moment). */
static int state_opt(struct run_cmd *c, int val, const char *arg)
{
    if (val != 'a')
        return CMD_ERROR;
    return moment_parse(c->name, "--at", arg, c->ctx) == 0 ? 0 : CMD_ERROR;
}

int cmd_state(int argc, char **argv)
{
    static const struct option own[] = {
        {"at", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    struct moment mo = {0};
    struct run_cmd c = {.name = "state",
                        .usage = usage,
                        .own = own,
                        .own_opt = state_opt,
                        .ctx = &mo,
                        .writable = 0,
                        .no_run_status = 1};
    int rc = run_cmd_open(&c, argc, argv);
    if (rc != RUN_CMD_GO)
        return rc;
    struct db *db = &c.db;
    int64_t run = c.run.id, first = c.run.first_seq, last = c.run.last_seq;
    int64_t upto_seq = last;
    if (mo.set) {
        rc = moment_seq(db, &c.run, &mo, MOMENT_UPTO, "state", "--at", &upto_seq);
        if (rc != 0) {
            if (rc < 0)
                fprintf(stderr, "dlsync state: %s\n", db->err);
            db_close(db);
            return rc < 0 ? CMD_ERROR : 1;
        }
    }
    struct model m;
    struct findings f = {0};
    model_init(&m, NULL);
    int64_t n = upto_seq < first ? 0 : db_scan_events(db, run, upto_seq, INT64_MAX, apply_one, &m);
    if (n > 0 && check_findings(db, &c.run, &f) != 0)
        n = -1;
    rc = 0;
    if (n < 0) {
        fprintf(stderr, "dlsync state: %s\n", db->err);
        rc = CMD_ERROR;
    } else if (n == 0) {
        fprintf(stderr, "dlsync state: no event of run %lld at or before that moment\n",
                (long long)run);
        rc = 1;
    } else if (c.json) {
        describe_state_json(stdout, &m, run, &f);
    } else {
        describe_state(&m, run, &f, print_item, stdout);
    }
    findings_free(&f);
    model_free(&m);
    db_close(db);
    return rc;
}
