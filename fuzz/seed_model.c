/*
 * fuzz/seed_model.c — a seed for the event-model fuzz target from a real
 * run: the events of one run of a dlsync database (made by `dlsync ingest`),
 * read back through db_scan_events (which validates them), written in the
 * target's input format (fuzz/model_input.h).  The seeds under
 * fuzz/seeds/model were made with it (docs/fuzz.md).  Single-threaded; takes
 * SQLite's shared lock while it reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/model_input.h"
#include "replay/cmdline.h"

static const char usage[] =
    "usage: seed_model DB --out FILE [--run N] [--events N]\n"
    "\n"
    "Write the events of a run of DB as an input of the event-model fuzz target\n"
    "(fuzz/model_input.h): its first N events (default: all), thread ids\n"
    "renumbered, times kept to the microsecond.\n"
    "\n"
    "Exit status: 0 written, 1 no such run, 2 bad command line, unreadable\n"
    "database or unwritable FILE.\n";

struct seed {
    const char *out;
    int64_t max; /* events to write; 0: all */
    int64_t n;
    struct mi_writer w;
};

static int seed_opt(struct run_cmd *c, int val, const char *arg)
{
    struct seed *s = c->ctx;
    char *end;
    switch (val) {
    case 'o':
        s->out = arg;
        return 0;
    case 'e':
        errno = 0;
        s->max = strtoll(arg, &end, 10);
        if (errno || *end || s->max < 0) {
            fprintf(stderr, "seed_model: --events wants a count, not '%s'\n", arg);
            return EX_USAGE;
        }
        return 0;
    default:
        return EX_USAGE;
    }
}

static int put(void *arg, const struct rev *e)
{
    struct seed *s = arg;
    mi_write(&s->w, e);
    return s->max && ++s->n >= s->max;
}

int main(int argc, char **argv)
{
    static const struct option own[] = {
        {"out", required_argument, NULL, 'o'},
        {"events", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    struct seed s = {0};
    struct run_cmd c = {
        .name = "seed_model", .usage = usage, .own = own, .own_opt = seed_opt, .ctx = &s};
    int rc = run_cmd_open(&c, argc, argv);
    if (rc != RUN_CMD_GO)
        return rc;
    if (!s.out) {
        fprintf(stderr, "seed_model: --out FILE is required\n");
        db_close(&c.db);
        return EX_USAGE;
    }
    FILE *f = fopen(s.out, "wb");
    if (!f) {
        fprintf(stderr, "seed_model: %s: cannot write: %s\n", s.out, strerror(errno));
        db_close(&c.db);
        return EX_OUTPUT;
    }
    mi_writer_init(&s.w, f, c.run.discarded);
    int64_t n = db_scan_events(&c.db, c.run.id, 0, INT64_MAX, put, &s);
    if (n < 0)
        fprintf(stderr, "seed_model: %s\n", c.db.err);
    if (fclose(f) != 0 || n < 0) {
        if (n >= 0)
            fprintf(stderr, "seed_model: %s: cannot write: %s\n", s.out, strerror(errno));
        remove(s.out);
        rc = n < 0 ? EX_NO_INPUT : EX_OUTPUT;
    } else {
        printf("%s: %lld events of run %lld\n", s.out, (long long)n, (long long)c.run.id);
        rc = 0;
    }
    db_close(&c.db);
    return rc;
}
