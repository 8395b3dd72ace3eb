/*
 * dlsync.c — the `dlsync` command: a thin dispatcher to one subcommand per
 * file (run, record, ...), `dlsync help [CMD]` and --version.  Owns nothing;
 * takes no locks.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/version.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", cmd_run, "run a scenario of the protocol model"},
    {"explore", cmd_explore, "run many schedules of a scenario and report the failures"},
    {"step", cmd_step, "be the scheduler: make a run one decision at a time"},
    {"record", cmd_record, "run a scenario and record it as an LTTng trace"},
    {"ingest", cmd_ingest, "read a recorded trace into a SQLite database"},
    {"state", cmd_state, "the protocol's state at one moment of an ingested run"},
    {"check", cmd_check, "judge an ingested run: invariants, hangs, lock order"},
    {"draw", cmd_draw, "draw a run as a sequence diagram or wait-for graph"},
    {"replay", cmd_replay, "write an HTML page to step through a run"},
    {"diff", cmd_diff, "name the first event where two runs part"},
    {"grade", cmd_grade, "grade a student's submission to an exercise"},
    {"exercise", cmd_exercise, "make a student's instance of an exercise"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: dlsync COMMAND [OPTIONS]\n"
               "       dlsync help [COMMAND]\n"
               "       dlsync [COMMAND] --version\n\n"
               "A teaching and debugging toolkit for the WASIX dynamic-link rendezvous.\n"
               "`dlsync help COMMAND` (or `dlsync COMMAND --help`) prints a command's help,\n"
               "the exit codes it uses among them; --version (of dlsync or of any command)\n"
               "prints the version.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\nEvery command exits with a code of this one table: the same code for the\n"
          "same condition in every command.\n",
          f);
    exit_help(f, NULL);
}

static int find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return (int)i;
    fprintf(stderr, "dlsync: '%s' is not a command\n", name);
    usage(stderr);
    return -1;
}

const char *dlsync_program = "dlsync";

int main(int argc, char **argv)
{
    dlsync_program = argv[0];
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        usage(stdout);
        return EX_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dlsync %s\n", DLSYNC_VERSION);
        return EX_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        /* dlsync help CMD: what dlsync CMD --help prints. */
        int c = argc == 3 ? find(argv[2]) : -1;
        if (argc != 3)
            usage(stderr);
        if (c < 0)
            return EX_USAGE;
        char help[] = "--help";
        char *hargv[] = {argv[2], help, NULL};
        return commands[c].fn(2, hargv);
    }
    int c = find(argv[1]);
    return c < 0 ? EX_USAGE : commands[c].fn(argc - 1, argv + 1);
}
