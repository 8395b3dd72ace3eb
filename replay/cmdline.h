/*
 * replay/cmdline.h — the command line of the commands that read one run of a
 * database (`dlsync state`, `dlsync check`): `DB [--run N] [--json] [-h]`
 * plus each command's own options, then opening the database and picking
 * the run, with the same messages and exit statuses for all of them; and
 * the JSON string their --json output is written with.
 *
 * Owns nothing beyond the call; takes no locks of its own (db_open takes
 * SQLite's: a shared lock to read, the write lock only when written to).
 */
#ifndef DLSYNC_REPLAY_CMDLINE_H
#define DLSYNC_REPLAY_CMDLINE_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/exitcode.h"
#include "replay/db.h"

struct run_cmd {
    /* Set by the command before run_cmd_open. */
    const char *name;         /* "state": messages start "dlsync state: " */
    const char *usage;        /* --help text (stdout), and on mistakes (stderr) */
    const struct option *own; /* its own long options, {0}-terminated, or NULL */
    const char *own_short;    /* getopt letters of its own short options ("q"), or NULL */
    int (*own_opt)(struct run_cmd *c, int val, const char *arg); /* see run_cmd_open */
    void *ctx;                                                   /* for own_opt */
    const int *exits; /* the exit codes it uses, for --help (exit_help) */
    int writable;     /* open read-write (own_opt may change it) */
    /* Set by run_cmd_open. */
    int json;          /* --json */
    int64_t run_id;    /* --run N, 0 if not given */
    struct db_run run; /* the run picked */
    struct db db;      /* open after RUN_CMD_GO; the caller closes it */
};

enum { RUN_CMD_GO = -1 };

/* Parse argv (argv[0]: the command's name) with getopt_long: --run, --json
 * and -h/--help here, each option of c->own by calling c->own_opt(c, val,
 * optarg), which returns 0 or the exit status to stop with (--run is parsed
 * by moment_parse_run, replay/moment.h).  Then exactly one operand, the
 * database: open it (c->writable) and pick the run with db_pick_run (--run,
 * else the newest).  Returns RUN_CMD_GO with c->db open and c->run filled, or the
 * exit status the command returns at once, its message printed and nothing
 * left open: EX_OK after --help (c->usage, then c->exits' rows), EX_USAGE
 * for a bad command line, EX_NO_INPUT for a database it cannot open,
 * EX_NOT_FOUND when the run does not exist (cli/exitcode.h). */
int run_cmd_open(struct run_cmd *c, int argc, char **argv);

/* s as a JSON string, quotes included, on f (NULL: ""). */
void cmd_json_str(FILE *f, const char *s);

#endif
