/*
 * replay/cmdline.h — what the commands that read one run of a database
 * (`dlsync state`, `check`, the fuzz seed maker) share once their command
 * line is read (cli/): opening the database and picking the run, with the
 * same messages and exit codes for all of them; and the JSON string their
 * --json output is written with.
 *
 * Owns nothing beyond the call; takes no locks of its own (db_open takes
 * SQLite's: a shared lock to read, the write lock only when written to).
 */
#ifndef DLSYNC_REPLAY_CMDLINE_H
#define DLSYNC_REPLAY_CMDLINE_H

#include <stdint.h>
#include <stdio.h>

#include "cli/exitcode.h"
#include "replay/db.h"

/* Open the database at path (writable: read-write) into *db and pick the run
 * run_id (0: the newest, db_pick_run) into *run; messages start "dlsync
 * cmd: ".  Returns EX_OK with *db open (the caller closes it), or
 * EX_NO_INPUT (cannot open or read) / EX_NOT_FOUND (no such run) with
 * nothing left open (cli/exitcode.h). */
int run_open(const char *cmd, const char *path, int64_t run_id, int writable, struct db *db,
             struct db_run *run);

/* s as a JSON string, quotes included, on f (NULL: ""). */
void cmd_json_str(FILE *f, const char *s);

#endif
