/*
 * unit_sched.c — unit tests of the controlled scheduler (lib/sched.h) and
 * of schedule strings (lib/schedule.h), on plain threads that use the
 * traced mutex (lib/mutex.h) and bare waits, without the protocol: mutual
 * exclusion and completion under many seeds, the same decisions for the
 * same seed and under replay, the logical clock, a deadlock, a stall and a
 * livelock each seen for what it is, and a run stopped after its replayed
 * decisions (stop_after_replay).  A run that cannot end leaves
 * its threads parked, so those run in a child process.  Prints `PASS name`
 * / `FAIL name: why` and a closing `N passed, N failed`.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness.h"
#include "lib/mutex.h"
#include "lib/sched.h"
#include "lib/schedule.h"
#include "tracer/events.h"

/* ---- schedule strings ---- */

static void test_schedule_roundtrip(void)
{
    int32_t dec[2000];
    unsigned x = 7;
    for (int round = 0; round < 50; round++) {
        size_t n = (size_t)(round * 37) % 2000;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            /* Runs of equal ids, small ids mostly, some past the letters. */
            dec[i] = i && (x >> 16) % 3 ? dec[i - 1] : (int32_t)((x >> 8) % (round % 5 ? 6 : 80));
        }
        char *s = schedule_encode(dec, n);
        int32_t *back;
        size_t m;
        char err[128];
        int rc = schedule_decode(s, &back, &m, err, sizeof err);
        check(rc == 0 && m == n && (n == 0 || memcmp(back, dec, n * sizeof *dec) == 0),
              "round %d: %zu decisions did not come back (%s)", round, n, rc ? err : s);
        check(strspn(s, "v1:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
                  strlen(s),
              "round %d: a character a shell would take apart: %s", round, s);
        free(back);
        free(s);
    }
    int32_t three[] = {0, 1, 1, 1, 26, 0, 60};
    char *s = schedule_encode(three, 7);
    check(strcmp(s, "v1:AB3aA_60_") == 0, "the documented example: %s", s);
    free(s);
}

static void test_schedule_errors(void)
{
    static const struct {
        const char *s, *want;
    } bad[] = {
        {"", "starts with 'v1:'"},
        {"v2:AB", "starts with 'v1:'"},
        {"v1:A!B", "unexpected character at character 5"},
        {"v1:A1", "bad repeat count"},
        {"v1:_12", "bad _N_"},
        {"v1:_99999999_", "bad _N_"},
        {"v1:A999999999999", "bad repeat count"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t *d = NULL;
        size_t n = 0;
        char err[128] = "";
        int rc = schedule_decode(bad[i].s, &d, &n, err, sizeof err);
        check(rc != 0 && strstr(err, bad[i].want) && !d, "'%s': want '%s', got rc %d '%s'",
              bad[i].s, bad[i].want, rc, err);
    }
}

/* ---- the scheduler on plain threads ---- */

enum { WORKERS = 4, ROUNDS = 30 };

struct world {
    struct tmutex mu;
    int inside, max_inside, total;
    struct sched_thread st[WORKERS];
    pthread_t pt[WORKERS];
    _Atomic uint64_t progress;
};

static struct world W;

/* A worker: ROUNDS times take the mutex, step inside it, leave. */
static void *worker(void *arg)
{
    struct sched_thread *me = arg;
    sched_thread_enter(me);
    for (int r = 0; r < ROUNDS; r++) {
        tmutex_lock(&W.mu);
        W.inside++;
        if (W.inside > W.max_inside)
            W.max_inside = W.inside;
        sched_point(); /* another thread may be picked while it is held */
        W.total++;
        W.inside--;
        tmutex_unlock(&W.mu);
        atomic_fetch_add(&W.progress, 1);
        sched_point();
    }
    sched_thread_exit();
    return NULL;
}

/* Run WORKERS workers under strategy/seed (replaying dec if given); returns
 * the outcome and the decisions (malloc'ed copy). */
static int run_workers(int strategy, uint64_t seed, const int32_t *dec, size_t ndec, int32_t **out,
                       size_t *nout)
{
    memset(&W, 0, sizeof W);
    tmutex_init(&W.mu, OBJ_GROUP_MUTEX);
    sched_configure(&(struct sched_config){.mode = SCHED_CONTROLLED,
                                           .strategy = strategy,
                                           .seed = seed,
                                           .pct_depth = 3,
                                           .pct_steps = 400,
                                           .replay = dec,
                                           .nreplay = ndec,
                                           .livelock_steps = 1000000,
                                           .progress = &W.progress});
    for (int i = 0; i < WORKERS; i++) {
        sched_thread_init(&W.st[i], i, seed);
        sched_thread_add(&W.st[i]);
        pthread_create(&W.pt[i], NULL, worker, &W.st[i]);
    }
    int outcome = sched_run();
    for (int i = 0; i < WORKERS; i++)
        pthread_join(W.pt[i], NULL);
    const int32_t *d;
    *nout = sched_decisions(&d);
    *out = malloc(*nout * sizeof **out + 1);
    memcpy(*out, d, *nout * sizeof **out);
    tmutex_destroy(&W.mu);
    return outcome;
}

/* Regression: a thread whose wait was ready at one decision, but was not
 * picked, could be picked later when the mutex was held again, and block in
 * the OS (the whole run hung). */
static void test_mutual_exclusion(void)
{
    for (int strategy = STRATEGY_RANDOM; strategy <= STRATEGY_DFS; strategy++)
        for (uint64_t seed = 1; seed <= 40; seed++) {
            int32_t *d;
            size_t n;
            int o = run_workers(strategy, seed, NULL, 0, &d, &n);
            check(o == SCHED_DONE && W.max_inside == 1 && W.total == WORKERS * ROUNDS,
                  "strategy %d seed %llu: outcome %d, %d inside at once, %d of %d rounds", strategy,
                  (unsigned long long)seed, o, W.max_inside, W.total, WORKERS * ROUNDS);
            free(d);
        }
}

static void test_same_seed_same_decisions(void)
{
    int32_t *a, *b, *c, *r;
    size_t na, nb, nc, nr;
    run_workers(STRATEGY_RANDOM, 9, NULL, 0, &a, &na);
    run_workers(STRATEGY_RANDOM, 9, NULL, 0, &b, &nb);
    run_workers(STRATEGY_RANDOM, 10, NULL, 0, &c, &nc);
    check(na > 50 && na == nb && memcmp(a, b, na * sizeof *a) == 0, "seed 9 twice differs");
    check(na != nc || memcmp(a, c, na * sizeof *a) != 0, "seeds 9 and 10 made the same choices");
    /* Replayed under another strategy, the decisions are the same. */
    run_workers(STRATEGY_DFS, 1, a, na, &r, &nr);
    struct sched_stats st;
    sched_get_stats(&st);
    check(nr == na && memcmp(a, r, na * sizeof *a) == 0 && st.replayed == (int64_t)na &&
              st.diverged == 0,
          "replay gave %zu of %zu decisions (%lld applied, diverged at %lld)", nr, na,
          (long long)st.replayed, (long long)st.diverged);
    /* A decision that names a thread that cannot run: the strategy goes on. */
    a[0] = 63;
    free(r);
    run_workers(STRATEGY_DFS, 1, a, na, &r, &nr);
    sched_get_stats(&st);
    check(st.diverged == 1 && st.replayed == 0, "diverged at %lld", (long long)st.diverged);
    free(a);
    free(b);
    free(c);
    free(r);
}

/* ---- runs that cannot end, each in a child ---- */

/* In a child: replay the n decisions of dec with stop_after_replay (the
 * threads of a stopped run stay parked).  Exits with the set of threads the
 * stopped run says the next decision may name (bit i: thread i), when the
 * run stopped with exactly those n decisions made; 32 when it completed
 * with them (no choice was left); 64 when it made other decisions (one did
 * not apply); 65 when it ended otherwise. */
enum { STOP_DONE = 32, STOP_DIVERGED = 64, STOP_OTHER = 65 };
static int stopped_child(const int32_t *dec, size_t n)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        memset(&W, 0, sizeof W);
        tmutex_init(&W.mu, OBJ_GROUP_MUTEX);
        sched_configure(&(struct sched_config){.mode = SCHED_CONTROLLED,
                                               .seed = 9,
                                               .replay = dec,
                                               .nreplay = n,
                                               .livelock_steps = 1000000,
                                               .progress = &W.progress,
                                               .stop_after_replay = 1});
        for (int i = 0; i < WORKERS; i++) {
            sched_thread_init(&W.st[i], i, 9);
            sched_thread_add(&W.st[i]);
            pthread_create(&W.pt[i], NULL, worker, &W.st[i]);
            pthread_detach(W.pt[i]); /* a stopped run's threads are never joined */
        }
        int o = sched_run();
        const int32_t *d;
        if (sched_decisions(&d) != n || (n && memcmp(d, dec, n * sizeof *d) != 0))
            _exit(STOP_DIVERGED);
        if (o != SCHED_STOPPED)
            _exit(o == SCHED_DONE ? STOP_DONE : STOP_OTHER);
        int32_t ids[WORKERS];
        int can[WORKERS], mask = 0;
        int nt = sched_stopped_threads(ids, can, WORKERS);
        for (int i = 0; i < nt; i++)
            mask |= can[i] ? 1 << ids[i] : 0;
        _exit(mask);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* dlsync step's stops, at the start, every sixteenth of the run and one
 * decision before its end: the run stops after the replayed decisions, the decision
 * the full run made next is among those it says may run, and every thread it
 * says may run (only those) can be the next decision. */
static void test_stop_after_replay(void)
{
    int32_t *a;
    size_t na;
    run_workers(STRATEGY_RANDOM, 9, NULL, 0, &a, &na);
    int32_t *dec = malloc((na + 1) * sizeof *dec);
    for (size_t i = 0; i <= 16; i++) {
        size_t k = i * (na - 1) / 16;
        int mask = stopped_child(a, k);
        check(mask > 0 && mask < STOP_DONE && (mask & (mask - 1)) != 0 && (mask >> a[k]) & 1,
              "stopped after %zu of %zu decisions: child says %d (decision %zu was %d)", k, na,
              mask, k + 1, (int)a[k]);
        memcpy(dec, a, k * sizeof *dec);
        for (int32_t x = 0; x < WORKERS && mask > 0 && mask < STOP_DONE; x++) {
            dec[k] = x;
            int rc = stopped_child(dec, k + 1);
            int can = (mask >> x) & 1;
            check(can ? rc > 0 && rc <= STOP_DONE : rc == STOP_DIVERGED,
                  "after %zu decisions, thread %d (said %s): child says %d", k, (int)x,
                  can ? "may run" : "may not run", rc);
        }
    }
    free(dec);
    free(a);
}

static _Atomic int flag;

static int flag_set_p(const void *arg)
{
    (void)arg;
    return atomic_load(&flag);
}

/* Waits for the flag, untimed: a protocol wait. */
static void *waiter(void *arg)
{
    sched_thread_enter(arg);
    sched_wait(&(struct sched_wait){.ready = flag_set_p, .timeout_ns = -1});
    sched_thread_exit();
    return NULL;
}

/* Sleeps 2 s as a guest, then sets the flag. */
static void *guest_sleeper(void *arg)
{
    sched_thread_enter(arg);
    sched_wait(&(struct sched_wait){.timeout_ns = 2000000000, .guest = 1});
    atomic_store(&flag, 1);
    sched_thread_exit();
    return NULL;
}

/* Sleeps 2 s (a backoff sleep: the protocol's own), then sets the flag. */
static void *protocol_sleeper(void *arg)
{
    sched_thread_enter(arg);
    sched_sleep(2000000000);
    atomic_store(&flag, 1);
    sched_thread_exit();
    return NULL;
}

/* Yields for ever. */
static void *spinner(void *arg)
{
    sched_thread_enter(arg);
    for (;;)
        sched_yield_point();
    return NULL;
}

/* In a child: run two threads, exit with the outcome (+ 10 if the clock is
 * not where it should be). */
static int in_child(void *(*a)(void *), void *(*b)(void *), int64_t want_clock)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        static struct sched_thread st[2];
        static _Atomic uint64_t progress;
        pthread_t pt[2];
        sched_configure(&(struct sched_config){
            .mode = SCHED_CONTROLLED, .seed = 1, .livelock_steps = 10000, .progress = &progress});
        void *(*fn[2])(void *) = {a, b};
        for (int i = 0; i < 2; i++) {
            sched_thread_init(&st[i], i, 1);
            sched_thread_add(&st[i]);
            pthread_create(&pt[i], NULL, fn[i], &st[i]);
        }
        int o = sched_run();
        if (o == SCHED_DONE) /* else they stay parked, for good */
            for (int i = 0; i < 2; i++)
                pthread_join(pt[i], NULL);
        struct sched_stats stats;
        sched_get_stats(&stats);
        _exit(o + (want_clock >= 0 && stats.clock_ns != want_clock ? 10 : 0));
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_outcomes(void)
{
    int o = in_child(waiter, waiter, 0);
    check(o == SCHED_DEADLOCK, "two untimed waits that nobody ends: outcome %d", o);
    o = in_child(waiter, guest_sleeper, 0);
    check(o == SCHED_STALL, "a protocol wait only a guest's sleep ends: outcome %d", o);
    o = in_child(waiter, protocol_sleeper, 2000000000);
    check(o == SCHED_DONE, "a backoff sleep ends on the logical clock: outcome %d", o);
    o = in_child(spinner, spinner, -1);
    check(o == SCHED_LIVELOCK, "yielding for ever with no progress: outcome %d", o);
}

int main(void)
{
    run("schedule_roundtrip", test_schedule_roundtrip);
    run("schedule_errors", test_schedule_errors);
    run("mutual_exclusion_under_every_strategy", test_mutual_exclusion);
    run("same_seed_same_decisions_and_replay", test_same_seed_same_decisions);
    run("deadlock_stall_livelock_and_the_clock", test_outcomes);
    run("stop_after_replay", test_stop_after_replay);
    return harness_summary("unit_sched");
}
