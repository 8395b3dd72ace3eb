/*
 * tracer/bench_tp.c — cost of one recorded event: a bare LTTng-UST tracepoint
 * with one integer field (provider dlsync_bench, the anchor) against ev_emit()
 * of a lock event (provider dlsync, loaded from libdlsync-tp.so as a recorded
 * run loads it), both in the same process while one session records both.
 *
 *   usage: bench_tp [EVENTS_PER_ROUND [ROUNDS]]     (default 100000 5)
 *   prints: ns_per_event_bare N
 *           ns_per_event_dlsync N
 * (each the median over the rounds; the rounds alternate bare and dlsync).
 *
 * Owns: its own recording session (tracer/session.c; trace written to a
 * fresh directory under $TMPDIR or /tmp, removed at the end).  Starts a
 * session daemon if none answers and leaves it running.  Takes no locks;
 * single-threaded.  Exit status 0, or 1 with a message on stderr.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tracer/bench_tp.h"
#include "tracer/events.h"
#include "tracer/probe.h"
#include "tracer/session.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static double round_bare(long n)
{
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        lttng_ust_tracepoint(dlsync_bench, bare, i);
    return (now_ns() - t0) / (double)n;
}

static double round_dlsync(long n)
{
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        ev_emit(EV_LOCK_ATTEMPT,
                &(struct ev){
                    .obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_BLOCKING, .lease = i});
    return (now_ns() - t0) / (double)n;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (n < 1 || rounds < 1 || rounds > 100) {
        fprintf(stderr, "usage: bench_tp [EVENTS_PER_ROUND [ROUNDS]]\n");
        return 1;
    }

    char err[4096];
    if (tr_sessiond_ensure(NULL, err, sizeof err) != EX_OK) {
        fprintf(stderr, "bench_tp: %s\n", err);
        return 1;
    }

    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/dlsync-bench-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("bench_tp: mkdtemp");
        return 1;
    }
    struct tr_session s;
    memset(&s, 0, sizeof s);
    tr_session_name(&s);
    snprintf(s.path, sizeof s.path, "%s/trace", dir);
    /* Big enough that one round never waits for the consumer daemon. */
    s.buffer_per_cpu = 32u << 20;
    int status = 1;
    if (tr_session_setup(&s, getpid(), 1, err, sizeof err) != EX_OK ||
        tr_session_start(&s, err, sizeof err) != EX_OK) {
        fprintf(stderr, "bench_tp: %s\n", err);
        goto out;
    }
    if (ev_probe_load(NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench_tp: %s\n", err);
        goto out;
    }
    /* This process registered with the daemon before the session existed;
     * the daemon enables the events asynchronously.  Wait for both. */
    for (int i = 0; i < 500; i++) {
        if (lttng_ust_tracepoint_enabled(dlsync_bench, bare) && ev_on(EV_LOCK_ATTEMPT))
            break;
        pause_ms(10);
    }
    if (!lttng_ust_tracepoint_enabled(dlsync_bench, bare) || !ev_on(EV_LOCK_ATTEMPT)) {
        fprintf(stderr, "bench_tp: the events were not enabled within 5 s\n");
        goto out;
    }

    struct ev_thread me = {.group = 0};
    ev_thread_attach(&me);
    round_bare(n / 10 + 1); /* warm up */
    round_dlsync(n / 10 + 1);
    pause_ms(100);

    double bare[100], dl[100];
    for (int r = 0; r < rounds; r++) {
        bare[r] = round_bare(n);
        pause_ms(50); /* let the consumer daemon drain */
        dl[r] = round_dlsync(n);
        pause_ms(50);
    }
    qsort(bare, (size_t)rounds, sizeof bare[0], cmp_double);
    qsort(dl, (size_t)rounds, sizeof dl[0], cmp_double);

    uint64_t discarded = 0, lost = 0;
    if (tr_session_stop(&s, &discarded, &lost, err, sizeof err) != EX_OK) {
        fprintf(stderr, "bench_tp: %s\n", err);
        goto out;
    }
    if (discarded > 0)
        fprintf(stderr, "bench_tp: warning: %llu events discarded; figures are optimistic\n",
                (unsigned long long)discarded);
    printf("ns_per_event_bare %.1f\n", bare[rounds / 2]);
    printf("ns_per_event_dlsync %.1f\n", dl[rounds / 2]);
    status = 0;
out:
    tr_session_destroy(&s, NULL, 0);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return status;
}
