/*
 * replay/cmdline.c — opening a run of a database for state and check, and
 * JSON strings (see cmdline.h).  No locks of its own.
 */
#include "replay/cmdline.h"

#include <stdio.h>

int run_open(const char *cmd, const char *path, int64_t run_id, int writable, struct db *db,
             struct db_run *run)
{
    if (db_open(db, path, writable, 5000) != DB_OK) {
        fprintf(stderr, "dlsync %s: %s\n", cmd, db->err);
        db_close(db);
        return EX_NO_INPUT;
    }
    if (db_pick_run(db, run_id, run) != 0) {
        fprintf(stderr, "dlsync %s: %s\n", cmd, db->err);
        db_close(db);
        return EX_NOT_FOUND;
    }
    return EX_OK;
}

void cmd_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}
