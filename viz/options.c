/*
 * viz/options.c — shared range options of draw and replay (see options.h).
 * No locks.
 */
#include "viz/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vrange_init(struct vrange *r)
{
    memset(r, 0, sizeof *r);
    r->quiet = 48;
    r->detail = 24;
    r->page_rows = 90;
}

void vrange_free(struct vrange *r)
{
    free(r->threads);
    r->threads = NULL;
}

static int parse_i64(const char *s, int64_t lo, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo)
        return -1;
    *out = v;
    return 0;
}

/* "0,2,5-7" or "group-0,group-2" */
static int parse_threads(struct vrange *r, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    if (!copy)
        return -1;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "group-", 6))
            tok += 6;
        int64_t a, b;
        char *dash = strchr(tok + (*tok == '-'), '-');
        if (dash) {
            *dash = '\0';
            rc = parse_i64(tok, -1, &a) || parse_i64(dash + 1, -1, &b) || b < a;
        } else if (!strcmp(tok, "dlsync")) {
            a = b = -1;
        } else {
            rc = parse_i64(tok, -1, &a);
            b = a;
        }
        for (int64_t g = a; !rc && g <= b && r->nthreads < 4096; g++) {
            r->threads = realloc(r->threads, (size_t)(r->nthreads + 1) * sizeof *r->threads);
            if (!r->threads)
                abort();
            r->threads[r->nthreads++] = g;
        }
    }
    free(copy);
    return rc ? -1 : 0;
}

int vrange_option(struct vrange *r, int c, const char *arg, const char *cmd)
{
    const char *name = NULL;
    int bad = 0;
    switch (c) {
    case VR_RUN:
        return moment_parse_run(cmd, "--run", arg, &r->run) == 0 ? 1 : -1;
    case VR_EPOCH:
        name = "--epoch", bad = parse_i64(arg, 1, &r->epoch_a);
        r->epoch_b = r->epoch_a;
        break;
    case VR_EPOCHS: {
        name = "--epochs";
        const char *dots = strstr(arg, "..");
        char a[32];
        bad = !dots || (size_t)(dots - arg) >= sizeof a;
        if (!bad) {
            snprintf(a, sizeof a, "%.*s", (int)(dots - arg), arg);
            bad = parse_i64(a, 1, &r->epoch_a) || parse_i64(dots + 2, 1, &r->epoch_b) ||
                  r->epoch_b < r->epoch_a;
        }
        break;
    }
    case VR_FROM:
        return moment_parse(cmd, "--from", arg, &r->from) == 0 ? 1 : -1;
    case VR_TO:
        return moment_parse(cmd, "--to", arg, &r->to) == 0 ? 1 : -1;
    case VR_THREADS:
        name = "--threads", bad = parse_threads(r, arg);
        break;
    case VR_FOLD:
        name = "--fold", bad = parse_i64(arg, 0, &r->quiet) || (r->quiet && r->quiet < 20);
        break;
    case VR_DETAIL:
        name = "--detail", bad = parse_i64(arg, 0, &r->detail);
        break;
    case VR_PAGE_ROWS:
        name = "--page-rows", bad = parse_i64(arg, 10, &r->page_rows) || r->page_rows > 100000;
        break;
    default:
        return 0;
    }
    if (bad) {
        fprintf(stderr, "dlsync %s: bad value '%s' for %s (see dlsync %s --help)\n", cmd, arg, name,
                cmd);
        return -1;
    }
    return 1;
}

/* g[0..n) as --threads writes them, runs of consecutive groups joined:
 * "dlsync, 0-5, 7" into buf (cut with "..." if it does not fit). */
static void groups_text(char *buf, size_t size, const int64_t *g, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        int j = i;
        while (j + 1 < n && g[j + 1] == g[j] + 1 && g[i] >= 0)
            j++;
        int w;
        if (g[i] < 0)
            w = snprintf(buf + used, size - used, "%sdlsync", i ? ", " : "");
        else if (j > i)
            w = snprintf(buf + used, size - used, "%s%lld-%lld", i ? ", " : "", (long long)g[i],
                         (long long)g[j]);
        else
            w = snprintf(buf + used, size - used, "%s%lld", i ? ", " : "", (long long)g[i]);
        used += (size_t)w;
        i = j;
    }
    if (used >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

/* Every thread --threads names is one of the run's; else say which are not
 * and which there are.  EX_OK or EX_NOT_FOUND. */
static int check_threads(const struct vrange *r, struct session *src, const char *cmd)
{
    if (!r->threads)
        return EX_OK;
    int n = 0, nmissing = 0;
    int64_t *have = session_groups(src, &n);
    int64_t *missing = malloc((size_t)r->nthreads * sizeof *missing);
    if (!missing)
        abort();
    for (int i = 0; i < r->nthreads; i++) {
        int found = 0;
        for (int k = 0; k < n && !found; k++)
            found = have[k] == r->threads[i];
        if (!found)
            missing[nmissing++] = r->threads[i];
    }
    if (nmissing) {
        char want[256], there[512];
        groups_text(want, sizeof want, missing, nmissing);
        groups_text(there, sizeof there, have, n);
        fprintf(stderr, "dlsync %s: %s: run %lld has no thread %s (--threads); its threads: %s\n",
                cmd, src->path, (long long)src->run, want, *there ? there : "none");
    }
    free(missing);
    free(have);
    return nmissing ? EX_NOT_FOUND : EX_OK;
}

int vrange_resolve(struct vrange *r, struct session *src, const char *cmd)
{
    if (r->epoch_a && (r->from.set || r->to.set)) {
        fprintf(stderr, "dlsync %s: give either --epoch/--epochs or --from/--to, not both\n", cmd);
        return EX_USAGE;
    }
    if (check_threads(r, src, cmd) != EX_OK)
        return EX_NOT_FOUND;
    r->seq_from = src->first_seq;
    r->seq_to = src->last_seq;
    if (r->epoch_a) {
        if (r->epoch_a == r->epoch_b)
            snprintf(r->what, sizeof r->what, "epoch %lld", (long long)r->epoch_a);
        else
            snprintf(r->what, sizeof r->what, "epochs %lld..%lld", (long long)r->epoch_a,
                     (long long)r->epoch_b);
        if (session_epoch_span(src, r->epoch_a, r->epoch_b, &r->seq_from, &r->seq_to)) {
            fprintf(stderr, "dlsync %s: %s: run %lld has no %s\n", cmd, src->path,
                    (long long)src->run, r->what);
            return EX_NOT_FOUND;
        }
        return EX_OK;
    }
    int bad = 0;
    if (r->from.set)
        bad = session_moment(src, &r->from, MOMENT_FROM, cmd, "--from", &r->seq_from);
    if (r->to.set && !bad)
        bad = session_moment(src, &r->to, MOMENT_UPTO, cmd, "--to", &r->seq_to);
    if (bad < 0)
        fprintf(stderr, "dlsync %s: %s\n", cmd, src->err);
    if (bad)
        return bad < 0 ? EX_NO_INPUT : EX_NOT_FOUND;
    if (r->seq_from > r->seq_to) {
        fprintf(stderr, "dlsync %s: %s: the range holds no event of run %lld (seqs %lld..%lld)\n",
                cmd, src->path, (long long)src->run, (long long)src->first_seq,
                (long long)src->last_seq);
        return EX_NOT_FOUND;
    }
    if (r->from.set || r->to.set)
        snprintf(r->what, sizeof r->what, "seq %lld\xe2\x80\x93%lld", (long long)r->seq_from,
                 (long long)r->seq_to);
    else
        snprintf(r->what, sizeof r->what, "whole trace");
    return EX_OK;
}

void vrange_title(const struct vrange *r, const struct session *src, char *buf, size_t n)
{
    snprintf(buf, n, "dlsync \xc2\xb7 %s \xc2\xb7 seed %lld \xc2\xb7 run %lld \xc2\xb7 %s",
             *src->scenario ? src->scenario : "run", (long long)src->seed, (long long)src->run,
             r->what);
}
