/*
 * run.c — `dlsync run`: run one scenario of the protocol model.
 *
 * Owns the command line of `run`; the run itself is lib/run.c.  When
 * DLSYNC_TRACE=1 (set by `dlsync record`), loads the LTTng probe provider
 * before anything else so that every event is recorded.  Single-threaded
 * until run_execute starts the protocol threads.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "lib/run.h"
#include "lib/scenario.h"
#include "lib/variant.h"
#include "tracer/probe.h"

static const char usage[] =
    "usage: dlsync run [--scenario NAME|FILE] [--groups N] [--ops N] [--seed S]\n"
    "                  [--variant NAME] [--timeout SECONDS] [--quiet]\n"
    "       dlsync run --list-scenarios | --list-variants\n"
    "\n"
    "Run a scenario of the dynamic-link rendezvous with one thread per instance\n"
    "group, then compare every group's function table and module list.\n"
    "\n"
    "Options:\n"
    "  --scenario NAME|FILE  a built-in scenario (--list-scenarios) or a scenario\n"
    "                        file (docs/scenarios.md).  Default: mixed.\n"
    "  --groups N            initial groups (threads), 1-64.  Default: the scenario's.\n"
    "  --ops N               actions each worker performs.  Default: the scenario's.\n"
    "  --seed S              seed of every schedule point: the same seed repeats its\n"
    "                        choices, others explore other interleavings; 0 leaves\n"
    "                        scheduling to the OS alone (benchmarks).  Default: 1.\n"
    "  --variant NAME        none (the correct protocol, default) or a buggy variant\n"
    "                        (--list-variants, and `--variant NAME --help`).\n"
    "  --timeout SECONDS     the watchdog ends a run in which some thread waits in the\n"
    "                        protocol and nothing progresses for this long.  Default: 10.\n"
    "  --quiet               no summary.\n"
    "  --list-scenarios      print the built-in scenarios, one a line.\n"
    "  --list-variants       print the variants, one a line.\n"
    "  -h, --help            this text (with --variant NAME: that variant's story).\n"
    "\n"
    "Exit status:\n"
    "  0  the run completed and every group agrees\n"
    "  1  internal error\n"
    "  2  bad options or a bad scenario file (the message names file, line, cause)\n"
    "  3  hang: the watchdog saw no progress; it printed where every thread waits\n"
    "  4  divergence: groups' function tables or module lists differ\n"
    "  5  protocol error: a replay failed, a broadcast found the bus full, or the\n"
    "     bootstrap check failed\n";

static int parse_long(const char *opt, const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < lo || v > hi) {
        fprintf(stderr, "dlsync run: %s takes a whole number from %ld to %ld, not '%s'\n", opt, lo,
                hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

static void print_variant(FILE *f, int v)
{
    const struct variant_info *vi = &variant_table[v];
    fprintf(f, "variant %s\n  change:   %s\n  failure:  %s\n  origin:   %s\n  scenario: %s\n",
            vi->name, vi->change, vi->failure, vi->origin, vi->scenario);
}

static void list_scenarios(void)
{
    for (const char *const *n = scenario_builtin_names(); *n; n++)
        printf("%s\n", *n);
}

static void list_variants(void)
{
    for (int v = 0; v < V_COUNT; v++)
        printf("%s\n", variant_table[v].name);
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"groups", required_argument, NULL, 'g'},
        {"ops", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 'S'},
        {"variant", required_argument, NULL, 'v'},
        {"timeout", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"list-scenarios", no_argument, NULL, 'L'},
        {"list-variants", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *scenario = "mixed";
    long groups = 0, ops = 0, seed = 1;
    int variant = V_NONE, variant_given = 0, help = 0, quiet = 0;
    double timeout = 10;
    long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            scenario = optarg;
            break;
        case 'g':
            if (parse_long("--groups", optarg, 1, RUN_MAX_THREADS, &groups))
                return RUN_USAGE;
            break;
        case 'o':
            if (parse_long("--ops", optarg, 1, 100000000, &ops))
                return RUN_USAGE;
            break;
        case 'S':
            if (parse_long("--seed", optarg, 0, 2147483647, &seed))
                return RUN_USAGE;
            break;
        case 'v':
            variant = variant_by_name(optarg);
            variant_given = 1;
            if (variant < 0) {
                fprintf(stderr, "dlsync run: no variant '%s' (see --list-variants)\n", optarg);
                return RUN_USAGE;
            }
            break;
        case 't':
            if (parse_long("--timeout", optarg, 1, 86400, &v))
                return RUN_USAGE;
            timeout = (double)v;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'L':
            list_scenarios();
            return 0;
        case 'V':
            list_variants();
            return 0;
        case 'h':
            help = 1;
            break;
        default:
            fprintf(stderr, "%s", usage);
            return RUN_USAGE;
        }
    }
    if (help) {
        if (variant_given)
            print_variant(stdout, variant);
        else
            printf("%s", usage);
        return 0;
    }
    if (optind < argc) {
        fprintf(stderr, "dlsync run: unexpected argument '%s'\n", argv[optind]);
        return RUN_USAGE;
    }
    const char *trace = getenv("DLSYNC_TRACE");
    if (trace && strcmp(trace, "1") == 0) {
        char err[512];
        if (ev_probe_load(NULL, err, sizeof err) != 0) {
            fprintf(stderr, "dlsync run: cannot load the LTTng probe provider: %s\n", err);
            return RUN_INTERNAL;
        }
    }
    struct scenario *scn = malloc(sizeof *scn);
    char err[512];
    if (!scn || scenario_load(scenario, scn, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync run: %s\n", scn ? err : "out of memory");
        free(scn);
        return RUN_USAGE;
    }
    struct run_config cfg = {
        .scn = scn,
        .groups = groups ? (int)groups : scn->default_groups,
        .ops = ops ? (int)ops : scn->default_ops,
        .seed = (uint64_t)seed,
        .variant = variant,
        .timeout = timeout,
        .quiet = quiet,
    };
    int rc = run_execute(&cfg, stdout);
    free(scn);
    return rc;
}
