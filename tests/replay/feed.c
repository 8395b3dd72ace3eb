/*
 * tests/replay/feed.c — `check` on a text stream of events (replay/evstream.h)
 * instead of a database: the model and every family of check.h, the
 * findings printed as `dlsync check` prints them (findings_print), and its
 * exit status.  The tests of tests/replay/check.sh feed it hand-written
 * streams (tests/replay/streams/NAME.ev).  No locks: one thread.
 *
 * usage: feed [--json] [--lost KIND=N]... [--gap N@FROM-TO]... [--discarded N] FILE
 *   --lost KIND=N    run_end counted N more events of KIND than the stream
 *                    holds (as run_counts would say)
 *   --gap N@FROM-TO  the tracer lost N events (0: unknown) between FROM and
 *                    TO us from the stream's start (a row of the discarded table)
 *   --discarded N    the tracer said it dropped N events (runs.discarded)
 * Exit status: that of `dlsync check` (0 clean, 1 findings, 3 only unreliable
 * ones), 2 for a bad command line or a bad stream (the message names the
 * file and line).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/evstream.h"

static const char usage[] =
    "usage: feed [--json] [--lost KIND=N]... [--gap N@FROM-TO]... [--discarded N] FILE\n";

/* --lost KIND=N into g. */
static int lost(struct gaps *g, const char *arg)
{
    char kind[64];
    long long n;
    if (sscanf(arg, "%63[a-z_]=%lld", kind, &n) != 2 || n < 0)
        return -1;
    int k = rev_kind_by_name(kind);
    if (k < 0)
        return -1;
    g->kinds_known = 1;
    g->lost[k] = n;
    return 0;
}

/* --gap N@FROM-TO (us) into g. */
static int gap(struct gaps *g, const char *arg)
{
    long long n, from, to;
    if (sscanf(arg, "%lld@%lld-%lld", &n, &from, &to) != 3 || n < 0 || from < 0 || to < from)
        return -1;
    gaps_add_span(g, n, from * 1000, to * 1000);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},      {"lost", required_argument, NULL, 'l'},
        {"gap", required_argument, NULL, 'g'}, {"discarded", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    struct gaps g = {0};
    int json = 0, opt, rc = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'j':
            json = 1;
            break;
        case 'l':
            rc = lost(&g, optarg);
            break;
        case 'g':
            rc = gap(&g, optarg);
            break;
        case 'd':
            g.discarded = strtoll(optarg, NULL, 10);
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            rc = -1;
        }
        if (rc != 0) {
            fprintf(stderr, "feed: bad option%s%s\n%s", optarg ? " " : "", optarg ? optarg : "",
                    usage);
            gaps_free(&g);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        gaps_free(&g);
        return 2;
    }
    struct evstream s;
    if (evstream_open(&s, argv[optind]) != 0) {
        fprintf(stderr, "feed: %s\n", s.err);
        gaps_free(&g);
        return 2;
    }
    struct check_pass p;
    check_pass_init(&p, NULL);
    if (check_stream(&p, &s, &g) < 0) {
        fprintf(stderr, "feed: %s\n", s.err);
        rc = 2;
    } else {
        findings_print(stdout, &p.f, 0, p.events, json);
        rc = check_pass_status(&p);
    }
    check_pass_free(&p);
    evstream_close(&s);
    gaps_free(&g);
    return rc;
}
