/*
 * dlsync.c — the `dlsync` command: a thin dispatcher to one subcommand per
 * file (run, record, ...).  Owns nothing; takes no locks.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "replay/commands.h"
#include "viz/commands.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", cmd_run, "run a scenario of the protocol model"},
    {"explore", cmd_explore, "run many schedules of a scenario and report the failures"},
    {"record", cmd_record, "run a scenario and record it as an LTTng trace"},
    {"ingest", cmd_ingest, "read a recorded trace into a SQLite database"},
    {"state", cmd_state, "the protocol's state at one moment of an ingested run"},
    {"check", cmd_check, "judge an ingested run: invariants, hangs, lock order"},
    {"draw", cmd_draw, "draw a run as a sequence diagram or wait-for graph"},
    {"replay", cmd_replay, "write an HTML page to step through a run"},
    {"diff", cmd_diff, "name the first event where two runs part"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: dlsync COMMAND [OPTIONS]   (dlsync COMMAND --help for each)\n\n"
               "A teaching and debugging toolkit for the WASIX dynamic-link rendezvous.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

const char *dlsync_program = "dlsync";

int main(int argc, char **argv)
{
    dlsync_program = argv[0];
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "dlsync: '%s' is not a command\n", argv[1]);
    usage(stderr);
    return 2;
}
