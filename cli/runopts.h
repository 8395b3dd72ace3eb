/*
 * runopts.h — the options of every command that makes runs (`dlsync run`,
 * `dlsync explore`, `dlsync step`; `dlsync record` passes them on to `run`):
 * one table (its help text beside each option), so that a run option means
 * the same everywhere.
 *
 * A command lists runopts_rows among its option tables (cli/opt.h), hands
 * every option it reads to runopts_take (which keeps the run options), then
 * calls runopts_finish, which loads the scenario, the schedule (--schedule
 * STRING|@FILE, or --schedule-from DB with the run's recipe for every option
 * not given), opens --schedule-out/--events-out and fills `cfg`
 * (runopts_check: the same without opening anything for writing).  Owns
 * what it loads until runopts_free.
 * Single-threaded.
 */
#ifndef DLSYNC_CLI_RUNOPTS_H
#define DLSYNC_CLI_RUNOPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/opt.h"
#include "lib/run.h"

/* The keys of the run options (above any character). */
enum {
    RO_SCENARIO = 1000,
    RO_GROUPS,
    RO_OPS,
    RO_SEED,
    RO_VARIANT,
    RO_TIMEOUT,
    RO_SCHED,
    RO_STRATEGY,
    RO_PCT_DEPTH,
    RO_PCT_STEPS,
    RO_SCHEDULE,
    RO_SCHEDULE_FROM,
    RO_RUN,
    RO_SCHEDULE_OUT,
    RO_EVENTS_OUT,
    RO_LABEL,
    RO_QUIET = 'q',
};

/* The run options: their table (cli/opt.h), under "Run options:" in the
 * --help of run and explore. */
extern const struct opt runopts_rows[];

struct run_opts {
    const char *cmd; /* "run": messages start "dlsync run: " */
    /* Given on the command line (0 / NULL: not given). */
    const char *scenario;
    long groups, ops, seed, pct_depth, pct_steps, run_id;
    int seed_given, variant, variant_given, sched, sched_given, strategy, strategy_given;
    int quiet;
    double timeout;
    const char *schedule, *schedule_from, *schedule_out, *events_out;
    const char *label; /* --label: the variant's name in the trace */
    /* Made by runopts_finish. */
    char recipe_scenario[64]; /* --schedule-from: the recorded run's scenario */
    struct scenario *scn;
    char *schedule_text; /* the schedule replayed, as a string */
    int32_t *decisions;
    size_t ndecisions;
    FILE *schedule_out_f, *events_out_f;
    struct run_config cfg;
};

/* Defaults for command `cmd`. */
void runopts_init(struct run_opts *o, const char *cmd);

/* A run option (key from runopts_rows, arg its argument) into o: 1 when
 * taken, 0 when key is not a run option, -1 after printing what is wrong. */
int runopts_take(struct run_opts *o, int key, const char *arg);

/* Load and check everything (the scenario, the schedule), opening no file
 * for writing.  0, or the exit code (EX_USAGE, cli/exitcode.h) after printing what is
 * wrong, naming the file and the cause. */
int runopts_check(struct run_opts *o);

/* runopts_check, then open --schedule-out/--events-out and fill o->cfg.  0,
 * or EX_USAGE after the message. */
int runopts_finish(struct run_opts *o);

void runopts_free(struct run_opts *o);

/* A whole number from lo to hi, or -1 after a message naming opt. */
int runopts_number(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out);

#endif
