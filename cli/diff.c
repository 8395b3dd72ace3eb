/*
 * cli/diff.c — `dlsync diff A B`: the first event where two runs part.
 *
 * Owns the command line of `diff` (options, usage, exit codes); the
 * comparison is replay/rundiff.c.  A and B are each a database (an ingested recorded run:
 * --run-a/--run-b, default the newest) or an event log (`dlsync run --events-out FILE`).
 * Single-threaded; takes SQLite's shared lock while it reads a database.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "cli/runopts.h"
#include "replay/rundiff.h"

enum { O_RUN_A = 0x100, O_RUN_B };

static const struct opt rows[] = {
    {"run-a", 0, "N", O_RUN_A, "the run of A, when it is a database (default: the newest)."},
    {"run-b", 0, "N", O_RUN_B, "the run of B, when it is a database (default: the newest)."},
    {"quiet", 'q', NULL, 'q', "no report; only the exit status."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd diff_cmd = {
    .name = "diff",
    .synopsis = "usage: dlsync diff A B [--run-a N] [--run-b N] [-q]\n"
                "\n"
                "Compare two runs event by event, and name the first event where they part:\n"
                "the event of each run there, and the events before it that both have.\n"
                "Timestamps and thread ids of the OS are not compared; every field of every\n"
                "event is (kind, group, object, mode, outcome, epoch, phase, lease, a, b and\n"
                "the event's text).  run_begin, schedule and run_end say how a run was made,\n"
                "not what it did, and are left out.  Each of A and B is:\n"
                "  - a database made by `dlsync ingest`: one of its runs (--run-a N for A,\n"
                "    --run-b N for B; default the newest);\n"
                "  - an event log written by `dlsync run --events-out FILE`.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, NULL}},
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_PARTED, EX_NO_INPUT, EX_CORRUPT,
                           EX_NOT_FOUND, -1},
};

/* Open one side into *side: a database's run written out as lines, or the
 * log file.  Returns EX_OK, or the exit code after the message. */
static int open_side(const char *path, long run_id, FILE **side)
{
    *side = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dlsync diff: %s: %s\n", path, strerror(errno));
        return EX_NO_INPUT;
    }
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    if (n < sizeof head || memcmp(head, "SQLite format 3", 16) != 0) {
        rewind(f);
        *side = f; /* an event log */
        return EX_OK;
    }
    fclose(f);
    struct db db;
    struct db_run run;
    FILE *out = NULL;
    int rc = EX_OK;
    if (db_open(&db, path, 0, 5000) != DB_OK) {
        fprintf(stderr, "dlsync diff: %s\n", db.err);
        rc = EX_NO_INPUT;
    } else if (db_pick_run(&db, run_id, &run) != 0) {
        fprintf(stderr, "dlsync diff: %s: no run %ld\n", path, run_id);
        rc = EX_NOT_FOUND;
    } else if (!(out = tmpfile())) {
        perror("dlsync diff: temp file");
        rc = EX_INTERNAL;
    } else if (rundiff_write_db(&db, &run, out) < 0) {
        fprintf(stderr, "dlsync diff: %s: %s\n", path, db.err);
        fclose(out);
        out = NULL;
        rc = EX_NO_INPUT;
    } else
        rewind(out);
    db_close(&db);
    *side = out;
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    long run_a = 0, run_b = 0;
    int quiet = 0, k;
    struct opt_parser p;
    const char *arg;
    opt_begin(&p, &diff_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if ((k == O_RUN_A || k == O_RUN_B) &&
            runopts_number("diff", k == O_RUN_A ? "--run-a" : "--run-b", arg, 1, 1L << 62,
                           k == O_RUN_A ? &run_a : &run_b))
            return EX_USAGE;
        quiet |= k == 'q';
    }
    if (argc - p.next != 2)
        return opt_usage_error(&diff_cmd, "give two runs, A and B");
    const char *path_a = argv[p.next], *path_b = argv[p.next + 1];
    FILE *a, *b = NULL;
    int rc = open_side(path_a, run_a, &a);
    if (rc == EX_OK)
        rc = open_side(path_b, run_b, &b);
    if (rc != EX_OK) {
        if (a)
            fclose(a);
        return rc;
    }
    rc = rundiff_compare(&(struct rundiff_side){a, path_a}, &(struct rundiff_side){b, path_b},
                         quiet ? NULL : stdout);
    fclose(a);
    fclose(b);
    return rc ? EX_PARTED : EX_OK;
}
