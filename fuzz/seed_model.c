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
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "replay/cmdline.h"
#include "replay/moment.h"

struct seed {
    const char *out;
    int64_t max; /* events to write; 0: all */
    int64_t n;
    struct mi_writer w;
};

static int put(void *arg, const struct rev *e)
{
    struct seed *s = arg;
    mi_write(&s->w, e);
    return s->max && ++s->n >= s->max;
}

enum { O_OUT = 0x100, O_EVENTS };

static const struct opt rows[] = {
    {"out", 0, "FILE", O_OUT, "the input to write (required)."},
    {"events", 0, "N", O_EVENTS, "write the run's first N events only (default: all)."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd seed_cmd = {
    .name = "seed_model",
    .synopsis = "usage: seed_model DB --out FILE [--run N] [--events N]\n"
                "\n"
                "Write the events of a run of DB as an input of the event-model fuzz target\n"
                "(fuzz/model_input.h): its first N events (default: all), thread ids\n"
                "renumbered, times kept to the microsecond.\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, opt_run_rows}, {NULL, NULL}},
    .exits = (const int[]){EX_OK, EX_USAGE, EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, -1},
};

int main(int argc, char **argv)
{
    struct seed s = {0};
    int64_t run_id = 0;
    struct opt_parser p;
    const char *arg;
    char *end;
    int k;
    opt_begin(&p, &seed_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == OPT_RUN && moment_parse_run("seed_model", "--run", arg, &run_id) != 0)
            return EX_USAGE;
        if (k == O_OUT)
            s.out = arg;
        if (k == O_EVENTS) {
            errno = 0;
            s.max = strtoll(arg, &end, 10);
            if (errno || *end || s.max < 0)
                return opt_usage_error(&seed_cmd, "--events wants a count, not '%s'", arg);
        }
    }
    if (p.next != argc - 1)
        return opt_usage_error(&seed_cmd, "give exactly one database");
    struct db db;
    struct db_run run;
    int rc = run_open("seed_model", argv[p.next], run_id, 0, &db, &run);
    if (rc != EX_OK)
        return rc;
    if (!s.out) {
        fprintf(stderr, "seed_model: --out FILE is required\n");
        db_close(&db);
        return EX_USAGE;
    }
    FILE *f = fopen(s.out, "wb");
    if (!f) {
        fprintf(stderr, "seed_model: %s: cannot write: %s\n", s.out, strerror(errno));
        db_close(&db);
        return EX_OUTPUT;
    }
    mi_writer_init(&s.w, f, run.discarded);
    int64_t n = db_scan_events(&db, run.id, 0, INT64_MAX, put, &s);
    if (n < 0)
        fprintf(stderr, "seed_model: %s\n", db.err);
    if (fclose(f) != 0 || n < 0) {
        if (n >= 0)
            fprintf(stderr, "seed_model: %s: cannot write: %s\n", s.out, strerror(errno));
        remove(s.out);
        rc = n < 0 ? EX_NO_INPUT : EX_OUTPUT;
    } else {
        printf("%s: %lld events of run %lld\n", s.out, (long long)n, (long long)run.id);
        rc = 0;
    }
    db_close(&db);
    return rc;
}
