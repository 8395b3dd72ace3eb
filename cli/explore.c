/*
 * explore.c — `dlsync explore`: many controlled schedules of one
 * configuration, each in a child process (lib/trial.h), and what failed.
 *
 * Owns the command line of `explore`, the loop over schedules and the
 * summary.  random and pct: schedule i runs with seed --seed + i, up to
 * --jobs at a time, taken in order (the output does not depend on which
 * child ends first).  dfs: a stateless depth-first search over the
 * decisions of the round-robin default, one schedule at a time: each
 * schedule replays a prefix of the last one with one decision changed, and
 * every schedule with at most --preemption-bound decisions that depart from
 * the default is run once.  --check: each schedule's events go to a
 * temporary file (the run's --events-out), and a run that ended well is
 * judged by check's pass over them (replay/check.h), from the events alone.
 * Single-threaded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "cli/runopts.h"
#include "lib/clock.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/trial.h"
#include "lib/variant.h"
#include "replay/check.h"
#include "replay/evstream.h"
#include "tracer/names.h"

enum { O_RUNS = 3000, O_KEEP_GOING, O_JOBS, O_BOUND, O_NO_PROGRESS, O_CHECK };

static const struct opt rows[] = {
    {"runs", 0, "N", O_RUNS, "schedules to run at most.  Default: 100 (dfs: 1000000)."},
    {"keep-going", 0, NULL, O_KEEP_GOING, "do not stop at the first failure: count them all."},
    {"jobs", 0, "J", O_JOBS,
     "schedules run at the same time (random, pct), 1-64.  Default: the number of CPUs."},
    {"preemption-bound", 0, "B", O_BOUND, "dfs: departures from the default, 0-8.  Default: 2."},
    {"no-progress", 0, NULL, O_NO_PROGRESS, "no progress line (shown on a terminal)."},
    {"check", 0, NULL, O_CHECK,
     "judge every schedule that ends well by dlsync check's invariants too, from its events: "
     "one that breaks an invariant or an exclusion rule fails (exit 5)."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd explore_cmd = {
    .name = "explore",
    .synopsis = "usage: dlsync explore [RUN OPTIONS] [--runs N] [--keep-going] [--jobs J]\n"
                "                      [--preemption-bound B] [--no-progress]\n"
                "\n"
                "Run many schedules of one configuration under the controlled scheduler and\n"
                "report what failed: a hang (deadlock, stall, livelock), a divergence, a\n"
                "protocol error, a delayed epoch.  Stops at the first failure (unless\n"
                "--keep-going) and prints it with its schedule and the command that replays\n"
                "it, then a summary: schedules run, schedules per second, failures by kind, and\n"
                "distinct failures (failures that leave the threads waiting in different\n"
                "places).\n"
                "\n"
                "  --strategy random     schedule i runs with seed --seed + i (default).\n"
                "  --strategy pct        the same, with PCT priorities (--pct-depth D): a bug of\n"
                "                        depth D is found with probability >= 1/(n*k^(D-1)) per\n"
                "                        schedule, n threads, k steps (k is measured first).\n"
                "  --strategy dfs        every schedule that departs at most B times from the\n"
                "                        round-robin default (--preemption-bound B), one by one,\n"
                "                        until none is left (the space is exhausted) or --runs.\n",
    .tables = (const struct opt_table[]){{"Run options:", runopts_rows},
                                         {"Options of explore:", rows},
                                         {NULL, NULL}},
    .tail = "The exit status is 0 when no schedule failed, else the first failure's own\n"
            "status (as dlsync run gives it).\n",
    .exits =
        (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_HANG, EX_DIVERGED, EX_PROTOCOL, EX_DELAYED,
                      EX_PARTED, EX_NO_INPUT, EX_CORRUPT, EX_NOT_FOUND, EX_OUTPUT, -1},
};
enum { MAX_JOBS = 64, MAX_DISTINCT = 256 };

struct distinct {
    char *key; /* outcome: signature */
    int count;
};

struct tally {
    long runs, failures;
    long first;             /* index of the first failure, -1 */
    struct trial_result fr; /* the first failure */
    uint64_t first_seed;
    struct distinct d[MAX_DISTINCT];
    int nd;
    int first_status;
};

struct explore {
    struct run_opts o;
    long runs;
    int keep_going, jobs, bound, progress, check;
    int64_t t0;
};

static void tally_result(struct tally *t, long index, uint64_t seed, struct trial_result *r)
{
    t->runs++;
    if (r->status == 0) {
        trial_free(r);
        return;
    }
    t->failures++;
    char key[600];
    snprintf(key, sizeof key, "%s: %s", r->outcome, r->signature ? r->signature : "-");
    int i = 0;
    while (i < t->nd && strcmp(t->d[i].key, key) != 0)
        i++;
    if (i == t->nd && t->nd < MAX_DISTINCT)
        t->d[t->nd++] = (struct distinct){strdup(key), 0};
    if (i < t->nd)
        t->d[i].count++;
    if (t->first < 0) {
        t->first = index;
        t->first_seed = seed;
        t->first_status = r->status;
        t->fr = *r;
    } else {
        trial_free(r);
    }
}

/* The progress line on stderr (a terminal): a bar when the number of
 * schedules is known (random, pct), the count and the depth for dfs. */
static void show_progress(const struct explore *x, const struct tally *t, const char *extra)
{
    if (!x->progress)
        return;
    if (x->o.cfg.strategy != STRATEGY_DFS) {
        char bar[31];
        int full = (int)(30 * t->runs / (x->runs ? x->runs : 1));
        for (int i = 0; i < 30; i++)
            bar[i] = i < full ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\rexplore [%s] %ld/%ld schedules, %ld failed   ", bar, t->runs, x->runs,
                t->failures);
    } else {
        fprintf(stderr, "\rexplore: %ld schedules, %ld failed%s   ", t->runs, t->failures, extra);
    }
    fflush(stderr);
}

/* --check: the event log of the trial about to start into c (NULL: no
 * check, or no temporary file: the trial is then not judged, and says so). */
static FILE *events_for(const struct explore *x, struct run_config *c)
{
    c->events_out = x->check ? tmpfile() : NULL;
    return c->events_out;
}

/* --check: judge r's run by check's pass over its event log ev (closed
 * here) when it ended well.  A run that broke an invariant or an exclusion
 * rule becomes a failure: status EX_PROTOCOL, outcome "invariant", the
 * findings' rules and threads as its signature, and as its report check's
 * findings, the schedule and the commands that record and judge it again.
 * An event log that cannot be read fails the schedule with EX_INTERNAL. */
static void judge_events(const struct explore *x, const struct run_config *c, FILE *ev,
                         struct trial_result *r)
{
    if (!x->check)
        return;
    if (!ev || r->status != 0) {
        if (ev)
            fclose(ev);
        else if (r->status == 0) {
            r->status = EX_INTERNAL;
            snprintf(r->outcome, sizeof r->outcome, "unjudged");
        }
        return;
    }
    rewind(ev);
    struct evstream s;
    evstream_adopt(&s, ev, "the schedule's event log");
    struct check_pass p;
    check_pass_init(&p, NULL);
    struct gaps g = {0};
    int64_t got = check_stream(&p, &s, &g);
    char *text = NULL, *sig = NULL;
    size_t len = 0, siglen = 0;
    FILE *out = open_memstream(&text, &len), *so = open_memstream(&sig, &siglen);
    int status = EX_INTERNAL;
    if (got < 0) {
        if (out)
            fprintf(out, "dlsync explore --check: %s\n", s.err);
    } else {
        status = check_pass_status(&p);
        if (status == EX_PROTOCOL && out && so) {
            findings_print(out, &p.f, 0, p.events, 0);
            for (size_t i = 0; i < p.f.n; i++)
                fprintf(so, "%s%s [%s]", i ? ", " : "", p.f.v[i].rule, p.f.v[i].threads);
            const char *prog = c->program ? c->program : "dlsync";
            fprintf(out, "dlsync: schedule %s\ndlsync: judge it: %s record -o trace --",
                    r->schedule ? r->schedule : "?", prog);
            run_put_options(out, c, r->schedule ? r->schedule : "?");
            fprintf(out, " && %s ingest trace -d run.db && %s check run.db\n", prog, prog);
        }
    }
    if (out)
        fclose(out);
    if (so)
        fclose(so);
    if (status == EX_PROTOCOL || status == EX_INTERNAL) {
        r->status = status;
        snprintf(r->outcome, sizeof r->outcome, "%s",
                 status == EX_PROTOCOL ? "invariant" : "unjudged");
        free(r->report);
        r->report = text;
        text = NULL;
        if (status == EX_PROTOCOL) {
            free(r->signature);
            r->signature = sig;
            sig = NULL;
        }
    }
    free(text);
    free(sig);
    check_pass_free(&p);
    evstream_close(&s);
    gaps_free(&g);
}

/* random and pct: schedules first..runs-1, up to jobs at a time. */
static int explore_seeds(struct explore *x, struct tally *t)
{
    struct run_config cfg = x->o.cfg;
    cfg.quiet = 1;
    struct trial inflight[MAX_JOBS];
    struct run_config inflight_cfg[MAX_JOBS];
    FILE *inflight_ev[MAX_JOBS];
    long started = 0, done = 0;
    int64_t last = 0;
    while (done < x->runs) {
        while (started < x->runs && started - done < x->jobs && (x->keep_going || t->first < 0)) {
            struct run_config *c = &inflight_cfg[started % x->jobs];
            *c = cfg;
            c->seed = cfg.seed + (uint64_t)started;
            FILE *ev = inflight_ev[started % x->jobs] = events_for(x, c);
            if (trial_start(c, 1, &inflight[started % x->jobs]) != 0) {
                perror("dlsync explore: fork");
                if (ev)
                    fclose(ev);
                return EX_INTERNAL;
            }
            started++;
        }
        if (done == started)
            break;
        struct trial_result r;
        trial_finish(&inflight[done % x->jobs], &r);
        judge_events(x, &inflight_cfg[done % x->jobs], inflight_ev[done % x->jobs], &r);
        if (x->keep_going || t->first < 0)
            tally_result(t, done, cfg.seed + (uint64_t)done, &r);
        else
            trial_free(&r);
        done++;
        if (now_ns() - last > 100000000) {
            show_progress(x, t, "");
            last = now_ns();
        }
    }
    return 0;
}

/* One node of the dfs path: a choice point and what has been tried there. */
struct node {
    struct sched_choice c;
    uint64_t tried; /* bit i: runnable[i] was tried */
};

static int index_of(const struct sched_choice *c, int32_t id)
{
    for (int i = 0; i < c->nrunnable; i++)
        if (c->runnable[i] == id)
            return i;
    return -1;
}

static int same_choice_point(const struct sched_choice *a, const struct sched_choice *b)
{
    return a->dflt == b->dflt && a->nrunnable == b->nrunnable &&
           memcmp(a->runnable, b->runnable, (size_t)a->nrunnable * sizeof *a->runnable) == 0;
}

/* dfs: stateless search over the departures from the default. */
static int explore_dfs(struct explore *x, struct tally *t, int *exhausted)
{
    struct run_config cfg = x->o.cfg;
    cfg.quiet = 1;
    cfg.keep_choices = 1;
    struct node *path = NULL;
    size_t len = 0, cap = 0, plen = 0;
    int32_t *prefix = NULL;
    int rc = 0;
    int64_t last = 0;
    *exhausted = 0;
    while (t->runs < x->runs) {
        int32_t *np = realloc(prefix, (plen + 1) * sizeof *prefix);
        if (!np) {
            fprintf(stderr, "dlsync explore: out of memory\n");
            rc = EX_INTERNAL;
            break;
        }
        prefix = np;
        for (size_t j = 0; j < plen; j++)
            prefix[j] = path[j].c.chosen;
        cfg.schedule = prefix;
        cfg.nschedule = plen;
        struct trial_result r;
        FILE *ev = events_for(x, &cfg);
        if (trial_run(&cfg, 1, &r) != 0) {
            perror("dlsync explore: fork");
            if (ev)
                fclose(ev);
            rc = EX_INTERNAL;
            break;
        }
        judge_events(x, &cfg, ev, &r);
        /* The prefix must replay exactly: the same choice points, taken. */
        int replayed = r.nchoice >= plen;
        for (size_t j = 0; replayed && j < plen; j++)
            replayed = r.choice[j].chosen == path[j].c.chosen &&
                       same_choice_point(&r.choice[j], &path[j].c);
        if (!replayed) {
            fprintf(stderr,
                    "dlsync explore: schedule %ld did not replay its prefix of %zu decisions: "
                    "the run is not deterministic\n",
                    t->runs + 1, plen);
            trial_free(&r);
            rc = EX_PARTED;
            break;
        }
        if (r.nchoice > cap) {
            struct node *npath = realloc(path, r.nchoice * 2 * sizeof *path);
            if (!npath) {
                fprintf(stderr, "dlsync explore: out of memory\n");
                trial_free(&r);
                rc = EX_INTERNAL;
                break;
            }
            path = npath;
            cap = r.nchoice * 2;
        }
        for (size_t j = plen; j < r.nchoice; j++) { /* new nodes take the choices' arrays */
            path[j].c = r.choice[j];
            path[j].tried = (uint64_t)1 << index_of(&r.choice[j], r.choice[j].chosen);
            r.choice[j].runnable = NULL;
        }
        len = r.nchoice;
        tally_result(t, t->runs, cfg.seed, &r);
        if (t->first >= 0 && !x->keep_going)
            break;
        if (now_ns() - last > 100000000) {
            char depth[48];
            snprintf(depth, sizeof depth, ", depth %zu", len);
            show_progress(x, t, depth);
            last = now_ns();
        }
        /* Backtrack to the deepest node with an untried choice in bound. */
        int found = 0;
        while (len > 0 && !found) {
            size_t j = len - 1;
            int dev = 0;
            for (size_t k = 0; k < j; k++)
                dev += path[k].c.chosen != path[k].c.dflt;
            struct node *n = &path[j];
            for (int i = 0; i < n->c.nrunnable && !found; i++) {
                int32_t id = n->c.runnable[i];
                if (n->tried >> i & 1 || dev + (id != n->c.dflt) > x->bound)
                    continue;
                n->tried |= (uint64_t)1 << i;
                n->c.chosen = id;
                found = 1;
            }
            if (!found) {
                free(n->c.runnable);
                len--;
            }
        }
        plen = len;
        if (!found) {
            *exhausted = 1;
            break;
        }
    }
    for (size_t j = 0; j < len; j++)
        free(path[j].c.runnable);
    free(path);
    free(prefix);
    return rc;
}

/* The summary's first line: what was explored. */
static void print_header(const struct explore *x)
{
    const struct run_config *c = &x->o.cfg;
    printf("explore     %s, %d groups, %d ops, variant %s, %s", c->scn->name, c->groups, c->ops,
           variant_table[c->variant].name, ev_strategy_name(c->strategy));
    if (c->strategy == STRATEGY_DFS)
        printf(" with at most %d departures from round robin\n", x->bound);
    else if (c->strategy == STRATEGY_PCT)
        printf(" depth %d over k = %lld steps, seeds %llu-%llu\n", c->pct_depth,
               (long long)c->pct_steps, (unsigned long long)c->seed,
               (unsigned long long)c->seed + (unsigned long long)x->runs - 1);
    else
        printf(", seeds %llu-%llu\n", (unsigned long long)c->seed,
               (unsigned long long)c->seed + (unsigned long long)x->runs - 1);
}

/* The summary; with -q only the first failure and its report. */
static void print_summary(const struct explore *x, struct tally *t, int exhausted)
{
    const struct run_config *c = &x->o.cfg;
    double secs = (double)(now_ns() - x->t0) / 1e9;
    if (x->progress)
        fprintf(stderr, "\r%78s\r", "");
    if (!x->o.quiet)
        print_header(x);
    if (t->first >= 0) {
        printf("failure     schedule %ld (seed %llu): %s\n", t->first + 1,
               (unsigned long long)t->first_seed, t->fr.outcome);
        if (t->fr.report) {
            for (char *line = strtok(t->fr.report, "\n"); line; line = strtok(NULL, "\n"))
                printf("  %s\n", line);
        }
    }
    if (x->o.quiet)
        return;
    printf("schedules   %ld in %.1f s: %.1f per second", t->runs, secs,
           secs > 0 ? (double)t->runs / secs : 0.0);
    if (c->strategy == STRATEGY_DFS)
        printf("; %s", exhausted ? "the space is exhausted" : "the space is not exhausted");
    putchar('\n');
    printf("failures    %ld", t->failures);
    if (t->failures) {
        printf(" of %ld", t->runs);
        /* By kind: the outcome before the ':' of each distinct key, in the
         * order the kinds first failed. */
        const char *sep = ": ";
        for (int i = 0; i < t->nd; i++) {
            size_t klen = strcspn(t->d[i].key, ":");
            int seen = 0, n = 0;
            for (int j = 0; j < t->nd; j++)
                if (strncmp(t->d[j].key, t->d[i].key, klen + 1) == 0) {
                    seen |= j < i;
                    n += t->d[j].count;
                }
            if (!seen) {
                printf("%s%.*s %d", sep, (int)klen, t->d[i].key, n);
                sep = ", ";
            }
        }
        printf("\ndistinct    %d, by where the threads wait:\n", t->nd);
        for (int i = 0; i < t->nd; i++)
            printf("  %6d  %s\n", t->d[i].count, t->d[i].key);
        printf("first       after %ld schedule%s\n", t->first + 1, t->first ? "s" : "");
    } else {
        putchar('\n');
    }
}

/* PCT's k: the steps of one schedule (random strategy, the first seed). */
static int measure_steps(struct explore *x)
{
    struct run_config c = x->o.cfg;
    c.strategy = STRATEGY_RANDOM;
    c.quiet = 1;
    struct trial_result r;
    if (trial_run(&c, 1, &r) != 0) {
        perror("dlsync explore: fork");
        return -1;
    }
    x->o.cfg.pct_steps = r.steps > 0 ? r.steps : 1;
    trial_free(&r);
    return 0;
}

int cmd_explore(int argc, char **argv)
{
    struct explore x = {.runs = 0, .jobs = 0, .bound = 2, .progress = isatty(STDERR_FILENO)};
    runopts_init(&x.o, "explore");
    long v;
    int k;
    struct opt_parser p;
    const char *arg;
    opt_begin(&p, &explore_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT || k == OPT_BAD)
            return k == OPT_EXIT ? EX_OK : EX_USAGE;
        int taken = runopts_take(&x.o, k, arg);
        if (taken < 0)
            return EX_USAGE;
        if (k == O_RUNS && runopts_number("explore", "--runs", arg, 1, 100000000, &x.runs))
            return EX_USAGE;
        x.keep_going |= k == O_KEEP_GOING;
        if (k == O_JOBS) {
            if (runopts_number("explore", "--jobs", arg, 1, MAX_JOBS, &v))
                return EX_USAGE;
            x.jobs = (int)v;
        }
        if (k == O_BOUND) {
            if (runopts_number("explore", "--preemption-bound", arg, 0, 8, &v))
                return EX_USAGE;
            x.bound = (int)v;
        }
        if (k == O_NO_PROGRESS)
            x.progress = 0;
        x.check |= k == O_CHECK;
    }
    if (p.next < argc)
        return opt_usage_error(&explore_cmd, "unexpected argument '%s'", argv[p.next]);
    if (x.o.sched_given && x.o.sched != SCHED_CONTROLLED) {
        fprintf(stderr, "dlsync explore: explores only under --sched controlled\n");
        return EX_USAGE;
    }
    if (x.o.quiet)
        x.progress = 0;
    if (x.o.schedule || x.o.schedule_from || x.o.schedule_out || x.o.events_out) {
        fprintf(stderr, "dlsync explore: --schedule, --schedule-from, --schedule-out and "
                        "--events-out are options of dlsync run\n");
        return EX_USAGE;
    }
#ifdef DLSYNC_NO_TRACE
    if (x.check) {
        fprintf(stderr, "dlsync explore: --check: tracing is compiled out (make TRACE=0)\n");
        return EX_USAGE;
    }
#endif
    int rc = runopts_finish(&x.o);
    if (rc)
        return rc;
    if (!x.runs)
        x.runs = x.o.cfg.strategy == STRATEGY_DFS ? 1000000 : 100;
    if (!x.jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        x.jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
    }
    struct tally t = {.first = -1};
    int exhausted = 0;
    x.t0 = now_ns();
    if (x.o.cfg.strategy == STRATEGY_PCT && !x.o.pct_steps && measure_steps(&x) != 0)
        rc = EX_INTERNAL;
    else if (x.o.cfg.strategy == STRATEGY_DFS)
        rc = explore_dfs(&x, &t, &exhausted);
    else
        rc = explore_seeds(&x, &t);
    print_summary(&x, &t, exhausted);
    if (!rc && t.first >= 0)
        rc = t.first_status;
    if (t.first >= 0)
        trial_free(&t.fr);
    for (int i = 0; i < t.nd; i++)
        free(t.d[i].key);
    runopts_free(&x.o);
    return rc;
}
