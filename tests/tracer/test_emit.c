/*
 * tests/tracer/test_emit.c — unit test of tracer/emit.c and tracer/probe.c
 * without a session daemon: kind names, per-thread counters, the fallback
 * entry for threads that never attached, the registry (attach twice, reset),
 * ev_counts_sum while others emit (for ThreadSanitizer), and the errors of
 * ev_probe_load.  Prints one line per check (PASS/FAIL name); exit 0 when
 * all pass.  Owns nothing shared; takes no locks of its own.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/events.h"
#include "tracer/probe.h"

#define THREADS    8
#define PER_THREAD 20000

static int failures;

static void check(int ok, const char *name)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    if (!ok)
        failures++;
}

#ifdef DLSYNC_NO_TRACE
static const int tracing = 0;
#else
static const int tracing = 1;
#endif

static _Atomic int stop_summing;

static void *attached_worker(void *arg)
{
    struct ev_thread *t = arg;
    ev_thread_attach(t);
    for (int i = 0; i < PER_THREAD; i++) {
        ev_emit(EV_LOCK_ATTEMPT, &(struct ev){.obj = OBJ_STATE_LOCK, .how = HOW_BLOCKING});
        ev_emit(EV_LOCK_ACQUIRED, &(struct ev){.obj = OBJ_STATE_LOCK, .how = HOW_BLOCKING});
        ev_emit(EV_BACKOFF, NULL);
    }
    return NULL;
}

static void *unattached_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++)
        ev_emit(EV_FLAG_LOAD, &(struct ev){.obj = OBJ_PENDING_FLAG});
    return NULL;
}

static void *summer(void *arg)
{
    (void)arg;
    uint64_t n[EV_KIND_COUNT];
    while (!atomic_load(&stop_summing))
        ev_counts_sum(n);
    return NULL;
}

int main(void)
{
    /* Names: every kind has its own, none is "unknown". */
    int names_ok = 1;
    for (int k = 0; k < EV_KIND_COUNT; k++) {
        const char *nk = ev_kind_name((enum ev_kind)k);
        if (nk == NULL || strcmp(nk, "unknown") == 0)
            names_ok = 0;
        for (int j = 0; j < k; j++)
            if (strcmp(nk, ev_kind_name((enum ev_kind)j)) == 0)
                names_ok = 0;
    }
    names_ok = names_ok && strcmp(ev_kind_name(EV_LOCK_ATTEMPT), "lock_attempt") == 0 &&
               strcmp(ev_kind_name(EV_CHECKPOINT_RESUME), "checkpoint_resume") == 0 &&
               strcmp(ev_kind_name(EV_KIND_COUNT), "unknown") == 0;
    check(names_ok, "kind_names");

    check(!ev_on(EV_LOCK_ATTEMPT) && !ev_on(EV_RUN_END), "off_without_provider");
    check(ev_thread_self() == NULL, "self_null_before_attach");

    /* No sink: an event costs a branch and is not even counted. */
    uint64_t n0[EV_KIND_COUNT];
    ev_emit(EV_BACKOFF, NULL);
    ev_counts_sum(n0);
    check(n0[EV_BACKOFF] == 0, "no_sink_no_count");

    /* The event log is a sink: events are counted (and logged) from now on. */
    FILE *null = fopen("/dev/null", "w");
    ev_log_open(null);
    check(!tracing || ev_on(EV_LOCK_ATTEMPT), "on_with_the_log");

    /* Attached threads, while another thread sums continuously. */
    static struct ev_thread ts[THREADS];
    pthread_t th[THREADS], sum_th;
    pthread_create(&sum_th, NULL, summer, NULL);
    for (int i = 0; i < THREADS; i++) {
        ts[i].group = i + 1;
        pthread_create(&th[i], NULL, attached_worker, &ts[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    /* Threads that never attached share the fallback entry. */
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, unattached_worker, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    atomic_store(&stop_summing, 1);
    pthread_join(sum_th, NULL);
    ev_log_close();
    fclose(null);

    uint64_t n[EV_KIND_COUNT];
    ev_counts_sum(n);
    uint64_t want = tracing ? (uint64_t)THREADS * PER_THREAD : 0;
    check(n[EV_LOCK_ATTEMPT] == want && n[EV_LOCK_ACQUIRED] == want && n[EV_BACKOFF] == want,
          "attached_counts");
    check(n[EV_FLAG_LOAD] == want, "fallback_counts");
    check(!tracing || atomic_load(&ts[3].counts[EV_BACKOFF]) == PER_THREAD, "per_thread_counts");

    /* Attaching the same struct twice does not count it twice (the log is
     * a sink again). */
    null = fopen("/dev/null", "w");
    ev_log_open(null);
    static struct ev_thread again = {.group = 42};
    ev_thread_attach(&again);
    ev_thread_attach(&again);
    check(ev_thread_self() == &again, "self_after_attach");
    ev_emit(EV_OP_BEGIN, &(struct ev){.s = "dlopen"});
    ev_counts_sum(n);
    check(n[EV_OP_BEGIN] == (tracing ? 1u : 0u), "attach_twice_counted_once");

    /* run_end is counted for the caller, and not in what it carries. */
    ev_emit_run_end(0, n);
    ev_counts_sum(n);
    check(n[EV_RUN_END] == (tracing ? 1u : 0u), "run_end_counted");

    ev_log_close();
    fclose(null);
    ev_registry_reset();
    ev_counts_sum(n);
    uint64_t total = 0;
    for (int k = 0; k < EV_KIND_COUNT; k++)
        total += n[k];
    check(total == 0 && ev_thread_self() == NULL, "reset");

    /* The probe loader reports what is wrong. */
    char err[512] = "";
    int r = ev_probe_load("/nonexistent/libdlsync-tp.so", err, sizeof err);
    check(r == -1 && err[0] != '\0', "probe_load_bad_path");
    setenv(EV_PROBE_ENV, "/nonexistent/x.so", 1);
    char path[512];
    err[0] = '\0';
    r = ev_probe_find(path, sizeof path, err, sizeof err);
    check(r == -1 && strstr(err, "/nonexistent/x.so") != NULL, "probe_find_env");
    unsetenv(EV_PROBE_ENV);

    printf("%s test_emit (%d failed)\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
