/*
 * runopts.c — the run options (see runopts.h).  Single-threaded; takes
 * SQLite's shared lock for the moment --schedule-from reads its database.
 */
#include "cli/runopts.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/schedule.h"
#include "lib/variant.h"
#include "replay/db.h"
#include "tracer/names.h"

const struct opt runopts_rows[] = {
    {"scenario", 0, "NAME|FILE", RO_SCENARIO,
     "a built-in scenario (dlsync run --list-scenarios) or a scenario file "
     "(docs/scenarios.md).  Default: mixed."},
    {"groups", 0, "N", RO_GROUPS, "initial groups (threads), 1-64.  Default: the scenario's."},
    {"ops", 0, "N", RO_OPS, "actions each worker performs.  Default: the scenario's."},
    {"seed", 0, "S", RO_SEED,
     "the run's seed, 0-2147483647: the threads' own choices (a script's `any`), the "
     "scheduler's decisions (controlled) or the perturbation (os; 0: none).  Default: 1."},
    {"variant", 0, "NAME", RO_VARIANT,
     "none (the correct protocol, default) or a buggy variant (dlsync run --list-variants, and "
     "`--variant NAME --help`)."},
    {"label", 0, "TEXT", RO_LABEL,
     "the name the trace gives the variant (run_begin's variant field), in place of the "
     "variant's own: an exercise's instance reads \"exercise NN\", keeping its bug secret.  "
     "Default: the variant's name."},
    {"sched", 0, "MODE", RO_SCHED,
     "controlled (default): one protocol thread runs at a time and the scheduler decides every "
     "interleaving, on a logical clock, so a seed or schedule repeats the run exactly; os: real "
     "parallelism, the OS decides."},
    {"strategy", 0, "S", RO_STRATEGY,
     "controlled: random (default; a random runnable thread at every schedule point), pct "
     "(priorities with change points, --pct-depth) or dfs (round robin; explore enumerates the "
     "deviations from it)."},
    {"pct-depth", 0, "D", RO_PCT_DEPTH,
     "PCT's bug depth d, 1-16: d-1 priority change points.  Default: 3."},
    {"pct-steps", 0, "K", RO_PCT_STEPS,
     "PCT: the steps over which change points are drawn.  Default: 2000 (explore: the steps of "
     "one random run, measured first)."},
    {"schedule", 0, "S|@FILE", RO_SCHEDULE,
     "replay a schedule (the string a run prints, or a file holding it) decision by decision; "
     "where a decision does not apply (another variant, another scenario), the strategy goes on "
     "from there."},
    {"schedule-from", 0, "DB", RO_SCHEDULE_FROM,
     "replay the schedule of a recorded run (--run N, default the newest) with its scenario, "
     "groups, ops, seed and variant, unless given here too."},
    {"run", 0, "N", RO_RUN, "the run of --schedule-from / --compare-with."},
    {"schedule-out", 0, "FILE", RO_SCHEDULE_OUT, "write the run's schedule string to FILE."},
    {"events-out", 0, "FILE", RO_EVENTS_OUT,
     "write every event, one line each, without timestamps (the form `dlsync diff` compares)."},
    {"timeout", 0, "SECONDS", RO_TIMEOUT,
     "a run in which nothing progresses for this long is a hang: seconds of logical time "
     "(controlled: a livelock), of the watchdog (os).  Default: 10."},
    {"quiet", 'q', NULL, RO_QUIET,
     "no summary (explore: only the first failure, its report and schedule; no progress "
     "line)."},
    {NULL, 0, NULL, 0, NULL},
};

void runopts_init(struct run_opts *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->seed = 1;
    o->variant = V_NONE;
    o->sched = SCHED_CONTROLLED;
    o->strategy = STRATEGY_RANDOM;
    o->pct_depth = 3;
    o->timeout = 10;
}

int runopts_number(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < lo || v > hi) {
        fprintf(stderr, "dlsync %s: %s takes a whole number from %ld to %ld, not '%s'\n", cmd, opt,
                lo, hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

static int strategy_by_name(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, ev_strategy_name(i)) == 0)
            return i;
    return -1;
}

int runopts_take(struct run_opts *o, int val, const char *arg)
{
    long v;
    switch (val) {
    case RO_SCENARIO:
        o->scenario = arg;
        return 1;
    case RO_GROUPS:
        return runopts_number(o->cmd, "--groups", arg, 1, RUN_MAX_THREADS, &o->groups) ? -1 : 1;
    case RO_OPS:
        return runopts_number(o->cmd, "--ops", arg, 1, 100000000, &o->ops) ? -1 : 1;
    case RO_SEED:
        o->seed_given = 1;
        return runopts_number(o->cmd, "--seed", arg, 0, 2147483647, &o->seed) ? -1 : 1;
    case RO_VARIANT:
        o->variant = variant_by_name(arg);
        o->variant_given = 1;
        if (o->variant < 0) {
            fprintf(stderr, "dlsync %s: no variant '%s' (see dlsync run --list-variants)\n", o->cmd,
                    arg);
            return -1;
        }
        return 1;
    case RO_LABEL:
        if (!*arg || strlen(arg) > 63) {
            fprintf(stderr, "dlsync %s: --label takes 1 to 63 characters\n", o->cmd);
            return -1;
        }
        o->label = arg;
        return 1;
    case RO_TIMEOUT:
        if (runopts_number(o->cmd, "--timeout", arg, 1, 86400, &v))
            return -1;
        o->timeout = (double)v;
        return 1;
    case RO_SCHED:
        o->sched_given = 1;
        if (strcmp(arg, ev_sched_name(SCHED_OS)) == 0)
            o->sched = SCHED_OS;
        else if (strcmp(arg, ev_sched_name(SCHED_CONTROLLED)) == 0)
            o->sched = SCHED_CONTROLLED;
        else {
            fprintf(stderr, "dlsync %s: --sched takes controlled or os, not '%s'\n", o->cmd, arg);
            return -1;
        }
        return 1;
    case RO_STRATEGY:
        o->strategy_given = 1;
        o->strategy = strategy_by_name(arg);
        if (o->strategy < 0) {
            fprintf(stderr, "dlsync %s: --strategy takes random, pct or dfs, not '%s'\n", o->cmd,
                    arg);
            return -1;
        }
        return 1;
    case RO_PCT_DEPTH:
        return runopts_number(o->cmd, "--pct-depth", arg, 1, 16, &o->pct_depth) ? -1 : 1;
    case RO_PCT_STEPS:
        return runopts_number(o->cmd, "--pct-steps", arg, 1, 1000000000, &o->pct_steps) ? -1 : 1;
    case RO_SCHEDULE:
        o->schedule = arg;
        return 1;
    case RO_SCHEDULE_FROM:
        o->schedule_from = arg;
        return 1;
    case RO_RUN:
        return runopts_number(o->cmd, "--run", arg, 1, LONG_MAX, &o->run_id) ? -1 : 1;
    case RO_SCHEDULE_OUT:
        o->schedule_out = arg;
        return 1;
    case RO_EVENTS_OUT:
        o->events_out = arg;
        return 1;
    case RO_QUIET:
        o->quiet = 1;
        return 1;
    }
    return 0;
}

/* The text of --schedule: the string itself, or @FILE's first word. */
static char *schedule_arg(struct run_opts *o)
{
    if (o->schedule[0] != '@')
        return strdup(o->schedule);
    const char *path = o->schedule + 1;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dlsync %s: %s: %s\n", o->cmd, path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    int c;
    while (s && (c = fgetc(f)) != EOF) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (len)
                break;
            continue;
        }
        if (len + 1 == cap) {
            char *ns = realloc(s, cap *= 2);
            if (!ns) {
                free(s);
                s = NULL;
                break;
            }
            s = ns;
        }
        s[len++] = (char)c;
    }
    fclose(f);
    if (s)
        s[len] = '\0';
    else
        fprintf(stderr, "dlsync %s: %s: out of memory\n", o->cmd, path);
    return s;
}

/* --schedule-from DB: the run's recipe fills what the command line left
 * out; its schedule is replayed unless --schedule was given too. */
static int take_recipe(struct run_opts *o)
{
    struct db db;
    struct db_run run;
    struct db_recipe r = {0};
    int rc = 0;
    if (db_open(&db, o->schedule_from, 0, 5000) != DB_OK) {
        fprintf(stderr, "dlsync %s: %s\n", o->cmd, db.err);
        rc = EX_NO_INPUT;
    } else if (db_pick_run(&db, o->run_id, &run) != 0) {
        fprintf(stderr, "dlsync %s: %s: no run %ld\n", o->cmd, o->schedule_from, o->run_id);
        rc = EX_NOT_FOUND;
    } else if (db_run_recipe(&db, &run, &r) != 0) {
        fprintf(stderr, "dlsync %s: %s\n", o->cmd, db.err);
        rc = EX_NO_INPUT;
    } else if (!r.schedule && !o->schedule) {
        fprintf(stderr,
                "dlsync %s: %s: run %lld has no schedule (it ran with --sched os, or its "
                "schedule events are missing)\n",
                o->cmd, o->schedule_from, (long long)run.id);
        rc = EX_USAGE;
    }
    db_close(&db);
    if (rc) {
        free(r.schedule);
        return rc;
    }
    if (!o->scenario) {
        snprintf(o->recipe_scenario, sizeof o->recipe_scenario, "%s", r.scenario);
        o->scenario = o->recipe_scenario;
    }
    if (!o->groups)
        o->groups = (long)r.groups;
    if (!o->ops)
        o->ops = (long)r.ops;
    if (!o->seed_given)
        o->seed = (long)r.seed;
    if (!o->variant_given && (o->variant = variant_by_name(r.variant)) < 0) {
        fprintf(stderr, "dlsync %s: %s: run %lld has variant '%s', which this dlsync lacks\n",
                o->cmd, o->schedule_from, (long long)run.id, r.variant);
        free(r.schedule);
        return EX_USAGE;
    }
    if (!o->strategy_given && r.strategy >= 0)
        o->strategy = r.strategy;
    if (r.pct_depth > 0)
        o->pct_depth = (long)r.pct_depth;
    if (o->schedule)
        free(r.schedule);
    else
        o->schedule_text = r.schedule;
    return 0;
}

/* Opened for reading too: --check-determinism reads the events back. */
static FILE *open_out(struct run_opts *o, const char *path)
{
    FILE *f = fopen(path, "w+");
    if (!f)
        fprintf(stderr, "dlsync %s: %s: %s\n", o->cmd, path, strerror(errno));
    return f;
}

/* The scenario the run makes: --scenario (or the recipe's), else mixed. */
static const char *scenario_arg(const struct run_opts *o)
{
    return o->scenario ? o->scenario : "mixed";
}

int runopts_check(struct run_opts *o)
{
    int rc = o->schedule_from ? take_recipe(o) : 0;
    if (rc)
        return rc;
    if (o->schedule && !(o->schedule_text = schedule_arg(o)))
        return EX_USAGE;
    if (o->schedule_text) {
        char err[160];
        if (schedule_decode(o->schedule_text, &o->decisions, &o->ndecisions, err, sizeof err)) {
            fprintf(stderr, "dlsync %s: %s: %s\n", o->cmd,
                    o->schedule && o->schedule[0] == '@' ? o->schedule + 1 : "--schedule", err);
            return EX_USAGE;
        }
        if (o->sched_given && o->sched != SCHED_CONTROLLED) {
            fprintf(stderr, "dlsync %s: a schedule replays only under --sched controlled\n",
                    o->cmd);
            return EX_USAGE;
        }
    }
    if (o->sched == SCHED_OS && (o->strategy_given || o->schedule_out)) {
        fprintf(stderr, "dlsync %s: --%s: the OS schedules a --sched os run: it has no %s\n",
                o->cmd, o->strategy_given ? "strategy" : "schedule-out",
                o->strategy_given ? "strategy" : "schedule");
        return EX_USAGE;
    }
    o->scn = malloc(sizeof *o->scn);
    char err[512];
    if (!o->scn || scenario_load(scenario_arg(o), o->scn, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync %s: %s\n", o->cmd, o->scn ? err : "out of memory");
        if (o->scn && o->schedule_from && !o->scenario)
            fprintf(stderr, "dlsync %s: give the scenario's file with --scenario FILE\n", o->cmd);
        return EX_USAGE;
    }
#ifdef DLSYNC_NO_TRACE
    if (o->events_out) {
        fprintf(stderr, "dlsync %s: --events-out: tracing is compiled out (make TRACE=0)\n",
                o->cmd);
        return EX_USAGE;
    }
#endif
    return 0;
}

int runopts_finish(struct run_opts *o)
{
    int rc = runopts_check(o);
    if (rc)
        return rc;
    if (o->schedule_out && !(o->schedule_out_f = open_out(o, o->schedule_out)))
        return EX_OUTPUT;
    if (o->events_out && !(o->events_out_f = open_out(o, o->events_out)))
        return EX_OUTPUT;
    o->cfg = (struct run_config){
        .scn = o->scn,
        .scenario_arg = scenario_arg(o),
        .groups = o->groups ? (int)o->groups : o->scn->default_groups,
        .ops = o->ops ? (int)o->ops : o->scn->default_ops,
        .seed = (uint64_t)o->seed,
        .variant = o->variant,
        .label = o->label,
        .timeout = o->timeout,
        .quiet = o->quiet,
        .sched = o->sched,
        .strategy = o->strategy,
        .pct_depth = (int)o->pct_depth,
        .pct_steps = o->pct_steps ? o->pct_steps : 2000,
        .schedule = o->decisions,
        .nschedule = o->ndecisions,
        .schedule_out = o->schedule_out_f,
        .events_out = o->events_out_f,
        .result_fd = -1,
        .program = dlsync_program,
    };
    return 0;
}

void runopts_free(struct run_opts *o)
{
    free(o->scn);
    free(o->schedule_text);
    free(o->decisions);
    if (o->schedule_out_f)
        fclose(o->schedule_out_f);
    if (o->events_out_f)
        fclose(o->events_out_f);
    o->scn = NULL;
    o->schedule_text = NULL;
    o->decisions = NULL;
    o->schedule_out_f = o->events_out_f = NULL;
}
