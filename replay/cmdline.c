/*
 * replay/cmdline.c — the shared command line and JSON strings of `state` and
 * `check` (see cmdline.h).  No locks of its own.
 */
#include "replay/cmdline.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/moment.h"

enum { MAX_OPTIONS = 16 };

int run_cmd_open(struct run_cmd *c, int argc, char **argv)
{
    static const struct option common[] = {
        {"run", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
    };
    struct option longopts[MAX_OPTIONS] = {{0}};
    size_t n = 0;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        longopts[n++] = common[i];
    for (const struct option *o = c->own; o && o->name && n + 1 < MAX_OPTIONS; o++)
        longopts[n++] = *o;
    char shorts[16] = "h";
    if (c->own_short) {
        assert(strlen(c->own_short) < sizeof shorts - 1);
        strcat(shorts, c->own_short);
    }
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            if (moment_parse_run(c->name, "--run", optarg, &c->run_id) != 0)
                return EX_USAGE;
            break;
        case 'j':
            c->json = 1;
            break;
        case 'h':
            fputs(c->usage, stdout);
            exit_help(stdout, c->exits);
            return EX_OK;
        case '?':
            fputs(c->usage, stderr);
            return EX_USAGE;
        default: {
            int rc = c->own_opt ? c->own_opt(c, opt, optarg) : EX_USAGE;
            if (rc != 0)
                return rc;
            break;
        }
        }
    }
    if (optind != argc - 1) {
        fputs(c->usage, stderr);
        return EX_USAGE;
    }
    if (db_open(&c->db, argv[optind], c->writable, 5000) != DB_OK) {
        fprintf(stderr, "dlsync %s: %s\n", c->name, c->db.err);
        db_close(&c->db);
        return EX_NO_INPUT;
    }
    if (db_pick_run(&c->db, c->run_id, &c->run) != 0) {
        fprintf(stderr, "dlsync %s: %s\n", c->name, c->db.err);
        db_close(&c->db);
        return EX_NOT_FOUND;
    }
    return RUN_CMD_GO;
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
