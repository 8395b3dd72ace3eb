/*
 * run.c — `dlsync run`: run one scenario of the protocol model.
 *
 * Owns the command line of `run` (its run options are cli/runopts.c); the
 * run itself is lib/run.c.  When DLSYNC_TRACE=1 (set by `dlsync record`),
 * loads the LTTng probe provider before anything else so that every event
 * is recorded.  --check-determinism and --compare-with make their runs in
 * child processes (lib/trial.h) and compare the events (replay/rundiff.h).
 * Single-threaded until run_execute starts the protocol threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "cli/runopts.h"
#include "lib/run.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/trial.h"
#include "lib/variant.h"
#include "replay/rundiff.h"
#include "tracer/probe.h"

enum { O_DETERMINISM = 2000, O_COMPARE, O_LIST_SCENARIOS, O_LIST_VARIANTS };

static const struct opt rows[] = {
    {"check-determinism", 0, NULL, O_DETERMINISM,
     "make the run twice (controlled) and name the first event where the two differ."},
    {"compare-with", 0, "DB", O_COMPARE,
     "make the run, then name the first event where it parts from a recorded run of DB (--run "
     "N; default the newest)."},
    {"list-scenarios", 0, NULL, O_LIST_SCENARIOS, "print the built-in scenarios, one a line."},
    {"list-variants", 0, NULL, O_LIST_VARIANTS, "print the variants, one a line."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd run_cmd = {
    .name = "run",
    .synopsis = "usage: dlsync run [RUN OPTIONS] [--check-determinism | --compare-with DB]\n"
                "       dlsync run --list-scenarios | --list-variants\n"
                "       dlsync run --variant NAME --help\n"
                "\n"
                "Run a scenario of the dynamic-link rendezvous with one thread per instance\n"
                "group, then compare every group's function table and module list.  Under the\n"
                "controlled scheduler (the default) the same options, seed and schedule give\n"
                "the same run, event for event; a run that fails prints its schedule and the\n"
                "command that replays it, and where every thread waits and on what.  With\n"
                "--variant NAME, --help tells that variant's story.\n",
    .tables = (const struct opt_table[]){{"Run options:", runopts_rows},
                                         {"Options of run:", rows},
                                         {NULL, NULL}},
    .tail = "(--sched os: a hang is the watchdog seeing no progress; controlled: a delayed\n"
            "epoch is a stall, exit 3, seen before the sleep ends.)\n",
    .exits =
        (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_HANG, EX_DIVERGED, EX_PROTOCOL, EX_DELAYED,
                      EX_PARTED, EX_NO_INPUT, EX_CORRUPT, EX_NOT_FOUND, EX_OUTPUT, -1},
    .own_help = 1,
};

static void print_variant(FILE *f, int v)
{
    const struct variant_info *vi = &variant_table[v];
    fprintf(f, "variant %s\n  change:   %s\n  failure:  %s\n  origin:   %s\n  scenario: %s\n",
            vi->name, vi->change, vi->failure, vi->origin, vi->scenario);
}

/* The event log the run writes: the user's --events-out, or a temp file. */
static FILE *events_file(const struct run_config *cfg)
{
    FILE *f = cfg->events_out ? cfg->events_out : tmpfile();
    if (!f)
        perror("dlsync run: temp file");
    return f;
}

/* --check-determinism: the run twice, in children, then their events. */
static int check_determinism(const struct run_config *cfg)
{
    if (cfg->sched != SCHED_CONTROLLED) {
        fprintf(stderr, "dlsync run: --check-determinism needs --sched controlled\n");
        return EX_USAGE;
    }
    FILE *a = events_file(cfg), *b = tmpfile();
    if (!a || !b)
        return EX_INTERNAL;
    struct run_config c1 = *cfg, c2 = *cfg;
    c1.events_out = a;
    c2.events_out = b;
    c2.quiet = 1;
    c2.schedule_out = NULL;
    struct trial_result r1, r2;
    if (trial_run(&c1, 0, &r1) != 0 || trial_run(&c2, 1, &r2) != 0) {
        perror("dlsync run: fork");
        return EX_INTERNAL;
    }
    rewind(a);
    rewind(b);
    printf("determinism: ");
    int differ = rundiff_compare(&(struct rundiff_side){a, "first run"},
                                 &(struct rundiff_side){b, "second run"}, stdout);
    if (!differ && r1.status != r2.status)
        printf("determinism: but the exit statuses differ: %d and %d\n", r1.status, r2.status);
    int rc = differ || r1.status != r2.status ? EX_PARTED : r1.status;
    trial_free(&r1);
    trial_free(&r2);
    if (a != cfg->events_out)
        fclose(a);
    fclose(b);
    return rc;
}

/* --compare-with DB: the run, then where it parts from the recorded one. */
static int compare_with(const struct run_config *cfg, const char *path, long run_id)
{
    struct db db;
    struct db_run run;
    FILE *recorded = tmpfile();
    if (!recorded) {
        perror("dlsync run: temp file");
        return EX_INTERNAL;
    }
    int rc = 0;
    if (db_open(&db, path, 0, 5000) != DB_OK) {
        fprintf(stderr, "dlsync run: %s\n", db.err);
        rc = EX_NO_INPUT;
    } else if (db_pick_run(&db, run_id, &run) != 0) {
        fprintf(stderr, "dlsync run: %s: no run %ld\n", path, run_id);
        rc = EX_NOT_FOUND;
    } else if (rundiff_write_db(&db, &run, recorded) < 0) {
        fprintf(stderr, "dlsync run: %s: %s\n", path, db.err);
        rc = EX_NO_INPUT;
    }
    db_close(&db);
    FILE *mine = rc ? NULL : events_file(cfg);
    if (rc || !mine) {
        fclose(recorded);
        return rc ? rc : EX_INTERNAL;
    }
    struct run_config c = *cfg;
    c.events_out = mine;
    struct trial_result r;
    if (trial_run(&c, 0, &r) != 0) {
        perror("dlsync run: fork");
        return EX_INTERNAL;
    }
    rewind(mine);
    rewind(recorded);
    char name[64];
    snprintf(name, sizeof name, "run %lld of the database", (long long)run.id);
    printf("compared: ");
    int parted = rundiff_compare(&(struct rundiff_side){mine, "this run"},
                                 &(struct rundiff_side){recorded, name}, stdout);
    rc = r.status ? r.status : parted ? EX_PARTED : EX_OK;
    trial_free(&r);
    if (mine != cfg->events_out)
        fclose(mine);
    fclose(recorded);
    return rc;
}

/* `dlsync run`'s command line, read. */
struct run_cmd {
    struct run_opts o;
    int help, determinism;
    int list; /* O_LIST_SCENARIOS or O_LIST_VARIANTS: that list is all it asks; else 0 */
    const char *compare;
};

/* Read argv into c, printing only what is wrong with it.  Returns -1 when c
 * says what to do, else the exit code (EX_USAGE).  The caller frees c->o. */
static int parse(struct run_cmd *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    runopts_init(&c->o, "run");
    struct opt_parser p;
    const char *arg;
    int k;
    opt_begin(&p, &run_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT || k == OPT_BAD)
            return k == OPT_EXIT ? EX_OK : EX_USAGE;
        int taken = runopts_take(&c->o, k, arg);
        if (taken < 0)
            return EX_USAGE;
        if (k == O_DETERMINISM)
            c->determinism = 1;
        else if (k == O_COMPARE)
            c->compare = arg;
        else if (k == O_LIST_SCENARIOS || k == O_LIST_VARIANTS)
            c->list = k;
        else if (k == 'h')
            c->help = 1;
        if (c->list)
            return -1;
    }
    if (c->help)
        return -1;
    if (p.next < argc)
        return opt_usage_error(&run_cmd, "unexpected argument '%s'", argv[p.next]);
    if (c->determinism && c->compare) {
        fprintf(stderr, "dlsync run: --check-determinism and --compare-with go one at a time\n");
        return EX_USAGE;
    }
    return -1;
}

int run_check(int argc, char **argv)
{
    struct run_cmd c;
    int rc = parse(&c, argc, argv);
    if (rc < 0 && !c.list && !c.help)
        rc = runopts_check(&c.o);
    runopts_free(&c.o);
    return rc < 0 ? 0 : rc;
}

int cmd_run(int argc, char **argv)
{
    struct run_cmd c;
    int rc = parse(&c, argc, argv);
    if (rc >= 0)
        return rc;
    if (c.list == O_LIST_SCENARIOS)
        for (const char *const *n = scenario_builtin_names(); *n; n++)
            printf("%s\n", *n);
    else if (c.list == O_LIST_VARIANTS)
        for (int v = 0; v < V_COUNT; v++)
            printf("%s\n", variant_table[v].name);
    else if (c.help && c.o.variant_given)
        print_variant(stdout, c.o.variant);
    else if (c.help)
        opt_help(stdout, &run_cmd);
    if (c.list || c.help)
        return 0;
    const char *trace = getenv("DLSYNC_TRACE");
    if (trace && strcmp(trace, "1") == 0) {
        char err[512];
        if (ev_probe_load(NULL, err, sizeof err) != 0) {
            fprintf(stderr, "dlsync run: cannot load the LTTng probe provider: %s\n", err);
            return EX_INTERNAL;
        }
    }
    rc = runopts_finish(&c.o);
    if (rc == 0) {
        if (c.determinism)
            rc = check_determinism(&c.o.cfg);
        else if (c.compare)
            rc = compare_with(&c.o.cfg, c.compare, c.o.run_id);
        else
            rc = run_execute(&c.o.cfg, stdout);
    }
    runopts_free(&c.o);
    return rc;
}
