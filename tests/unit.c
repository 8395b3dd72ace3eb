/*
 * unit.c — unit tests of the protocol primitives: backoff schedule, lease,
 * bus, barrier reuse, wakeup interrupting a wait and what counts as taking
 * it, state lock, function table, scenario parser, a protocol error
 * reaching the run's handler, who holds a mutex, the state lock, the lease.  Prints `PASS name` /
 * `FAIL name: why` per test and a closing `N passed, N failed`.  Every
 * blocking step is bounded.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "tests/harness.h"
#include "lib/backoff.h"
#include "lib/barrier.h"
#include "lib/bus.h"
#include "lib/clock.h"
#include "lib/fault.h"
#include "lib/flag.h"
#include "lib/lease.h"
#include "lib/mutex.h"
#include "lib/scenario.h"
#include "lib/statelock.h"
#include "lib/table.h"
#include "lib/thread.h"
#include "lib/waitword.h"
#include "tracer/events.h"
#include "tracer/names.h"

static void test_backoff_schedule(void)
{
    check(backoff_phase(0) == BACKOFF_SPIN && backoff_phase(63) == BACKOFF_SPIN, "calls 0-63 spin");
    check(backoff_phase(64) == BACKOFF_YIELD && backoff_phase(87) == BACKOFF_YIELD,
          "calls 64-87 yield");
    check(backoff_phase(88) == BACKOFF_SLEEP, "call 88 sleeps");
    check(backoff_sleep_ns(87) == 0, "no sleep before 88");
    check(backoff_sleep_ns(88) == 48000, "call 88 sleeps 48 us, got %llu",
          (unsigned long long)backoff_sleep_ns(88));
    check(backoff_sleep_ns(89) == 96000, "call 89 sleeps 96 us");
    check(backoff_sleep_ns(95) == 48000ull << 7, "call 95 sleeps 48 us x 128");
    check(backoff_sleep_ns(96) == 10000000, "call 96 is capped at 10 ms");
    check(backoff_sleep_ns(5000) == 10000000, "the schedule saturates");
    struct backoff b;
    backoff_init(&b);
    for (int i = 0; i < 87; i++)
        backoff_step(&b); /* spins and yields only: fast */
    check(b.calls == 87, "87 steps counted, got %u", b.calls);
}

static void test_lease(void)
{
    struct lease l;
    lease_init(&l);
    int64_t a = lease_try(&l);
    check(a > 0, "first try is granted");
    check(lease_try(&l) == 0, "a second try is busy, never queued");
    lease_handover(&l, a, 7);
    check(lease_holder(&l) == 7, "handover moves the lease to group 7");
    lease_release(&l, a);
    check(lease_holder(&l) == -1, "released");
    int64_t b = lease_try(&l);
    check(b > a, "ids increase (%lld then %lld)", (long long)a, (long long)b);
    lease_release(&l, b);
    lease_destroy(&l);
}

struct recv_arg {
    struct bus_rx *rx;
    void *got;
    int64_t epoch;
};

static void *receiver(void *p)
{
    struct recv_arg *r = p;
    r->got = bus_recv(r->rx, &r->epoch);
    return NULL;
}

static void test_bus(void)
{
    struct bus b;
    struct bus_rx r1, r2;
    int m1 = 1, m2 = 2;
    bus_init(&b, OBJ_OPERATION_BUS);
    bus_subscribe(&b, &r1);
    bus_subscribe(&b, &r2);
    check(bus_rx_count(&b) == 2, "two receivers");
    check(bus_untaken(&r1, 1) == NULL, "nothing in the slot yet");
    check(bus_try_broadcast(&b, 1, &m1) == 0, "first broadcast succeeds");
    check(bus_try_broadcast(&b, 2, &m2) != 0, "depth 1: a second broadcast fails");
    check(bus_untaken(&r1, 1) == &m1 && bus_untaken(&r1, 2) == NULL,
          "epoch 1's message is untaken by r1, no other epoch's");
    check(bus_recv(&r1, NULL) == &m1, "r1 receives the message");
    check(bus_untaken(&r1, 1) == NULL && bus_untaken(&r2, 1) == &m1,
          "taken by r1, still untaken by r2");
    check(bus_try_broadcast(&b, 2, &m2) != 0, "still full while r2 has not taken its copy");
    bus_unsubscribe(&r2);
    check(bus_rx_count(&b) == 1, "rx_count falls on unsubscribe");
    check(bus_try_broadcast(&b, 2, &m2) == 0, "an unsubscribed copy frees the slot");
    check(bus_recv(&r1, NULL) == &m2, "r1 receives the second message");
    /* A receive gets the broadcast whether it blocked before it or not. */
    struct recv_arg arg = {&r1, NULL, 0};
    pthread_t t;
    pthread_create(&t, NULL, receiver, &arg);
    check(bus_try_broadcast(&b, 3, &m1) == 0, "third broadcast");
    pthread_join(t, NULL);
    check(arg.got == &m1 && arg.epoch == 3, "a blocked receiver gets the broadcast");
    bus_unsubscribe(&r1);
    bus_destroy(&b);
}

enum { PARTIES = 4, ROUNDS = 200 };

struct barrier_arg {
    struct barrier *b;
    int phases[ROUNDS];
};

static void *party(void *p)
{
    struct barrier_arg *a = p;
    for (int i = 0; i < ROUNDS; i++)
        a->phases[i] = barrier_wait(a->b);
    return NULL;
}

static void test_barrier_reuse(void)
{
    struct barrier b;
    barrier_init(&b, PARTIES, 5);
    pthread_t t[PARTIES];
    static struct barrier_arg args[PARTIES];
    for (int i = 0; i < PARTIES; i++) {
        args[i].b = &b;
        pthread_create(&t[i], NULL, party, &args[i]);
    }
    for (int i = 0; i < PARTIES; i++)
        pthread_join(t[i], NULL);
    int ok = 1;
    for (int i = 0; i < PARTIES; i++)
        for (int r = 0; r < ROUNDS; r++)
            ok &= args[i].phases[r] == r + 1;
    check(ok, "every party passes phase 1, 2, ... %d in order", ROUNDS);
    check(b.generation == ROUNDS, "%d generations", ROUNDS);
    barrier_destroy(&b);
}

struct wait_arg {
    struct dl_thread *t;
    int64_t usec;
    int interruptible;
    int result;
    int64_t took_ns;
};

static void *waiter(void *p)
{
    struct wait_arg *w = p;
    int64_t t0 = now_ns();
    w->result = wakeup_wait(w->t, w->usec, w->interruptible, NULL);
    w->took_ns = now_ns() - t0;
    return NULL;
}

static void test_wakeup(void)
{
    static struct dl_thread t;
    thread_init(&t, NULL, 3, -1, ROLE_WORKER, NULL, 1);
    /* A wakeup interrupts a 20 s wait, whether it arrives before or during
     * the wait (bounded: without it the wait ends after 20 s and reports
     * WAITED_FULL, which fails). */
    struct wait_arg w = {&t, 20000000, 1, -1, 0};
    pthread_t th;
    pthread_create(&th, NULL, waiter, &w);
    wakeup_send(&t, 1);
    pthread_join(th, NULL);
    check(w.result == WAITED_WOKEN, "the wait was interrupted (result %d)", w.result);
    check(w.took_ns < 10000000000ll, "well before its 20 s");
    /* A wakeup sent before the wait is not lost. */
    wakeup_send(&t, 2);
    check(wakeup_wait(&t, 20000000, 1, NULL) == WAITED_WOKEN, "a pending wakeup ends the wait");
    /* A non-interruptible wait ignores it. */
    wakeup_send(&t, 3);
    check(wakeup_wait(&t, 2000, 0, NULL) == WAITED_FULL, "a guest wait that ignores wakeups");
    int from = 0;
    check(wakeup_untaken(&t, &from) == 3 && from == -1,
          "its wakeup for epoch 3 is untaken, sent from outside a protocol thread");
    check(wakeup_take(&t) == 1, "the signal is still pending afterwards");
    check(wakeup_wait(&t, 2000, 1, NULL) == WAITED_FULL && wakeup_untaken(&t, &from) == 0,
          "taken: the next wait to its end owes nothing");
    thread_destroy(&t);
}

/* What a wait that ran to its end owed (the delayed-epoch check of run.h):
 * a wakeup is taken by a wait it ends or a take that finds it; a discarded
 * one stays untaken, a later one for an epoch replaces it, one for no epoch
 * (0) does not; one sent after the wait's end was not owed by it. */
static void test_wakeup_untaken(void)
{
    static struct dl_thread t;
    thread_init(&t, NULL, 4, -1, ROLE_DAEMON, NULL, 1);
    int from;
    check(wakeup_untaken(&t, &from) == 0, "a new thread owes nothing");
    wakeup_send(&t, 5);
    check(wakeup_wait(&t, 20000000, 1, NULL) == WAITED_WOKEN, "a wakeup that ends a wait");
    check(wakeup_wait(&t, 2000, 1, NULL) == WAITED_FULL && wakeup_untaken(&t, &from) == 0,
          "... is taken: the next wait to its end owes nothing");
    wakeup_send(&t, 6);
    wakeup_discard(&t);
    check(wakeup_wait(&t, 2000, 1, NULL) == WAITED_FULL,
          "after the discard the sleep runs to its end");
    check(wakeup_untaken(&t, &from) == 6, "... owing the discarded wakeup");
    wakeup_send(&t, 7);
    wakeup_discard(&t);
    wakeup_send(&t, 0);
    wakeup_discard(&t);
    check(wakeup_wait(&t, 2000, 1, NULL) == WAITED_FULL && wakeup_untaken(&t, &from) == 7,
          "a later epoch's wakeup replaces it, one for no epoch does not");
    wakeup_send(&t, 8);
    check(wakeup_take(&t) == 1, "a take finds the next one");
    check(wakeup_wait(&t, 2000, 1, NULL) == WAITED_FULL && wakeup_untaken(&t, &from) == 0,
          "... and clears what is owed");
    wakeup_send(&t, 9);
    check(wakeup_untaken(&t, &from) == 0,
          "a wakeup sent after the wait's end was not owed by it (a correct run is not delayed)");
    check(wakeup_take(&t) == 1 && wakeup_take(&t) == 0, "it is pending for the next wait");
    thread_destroy(&t);
}

static void test_flag(void)
{
    struct pending_flag f;
    flag_init(&f);
    check(!flag_load(&f, ORDER_SEQ_CST), "starts clear");
    flag_set(&f, 1);
    check(flag_load(&f, ORDER_RELAXED) && flag_load(&f, ORDER_SEQ_CST), "set reads set");
    flag_clear(&f, 1);
    check(!flag_load(&f, ORDER_SEQ_CST), "clear reads clear");
    /* The emulated stale read (variant relaxed-wake) returns, for some
     * draws of the schedule, the calling thread's last observed value. */
    static struct dl_thread t;
    thread_init(&t, NULL, 1, -1, ROLE_WORKER, NULL, 7);
    thread_enter(&t);
    check(!flag_load(&f, ORDER_SEQ_CST), "observed clear");
    flag_set(&f, 2);
    int stale = 0, fresh = 0;
    for (int i = 0; i < 200; i++) {
        t.flag_view = 0; /* as last observed before the set */
        if (flag_load_stale(&f))
            fresh++;
        else
            stale++;
    }
    check(stale > 0 && fresh > 0, "stale %d and fresh %d reads both happen", stale, fresh);
    thread_enter(NULL);
    thread_destroy(&t);
}

struct ww_arg {
    struct waitword *w;
    atomic_int done;
};

static void *ww_waiter(void *p)
{
    struct ww_arg *a = p;
    waitword_wait(a->w, 0);
    atomic_store(&a->done, 1);
    return NULL;
}

static void test_waitword(void)
{
    struct waitword w;
    waitword_init(&w);
    atomic_store(&w.word, 1);
    waitword_wait(&w, 0); /* already changed: returns at once (else the run hangs) */
    atomic_store(&w.word, 0);
    /* A waiter past its spin sleeps on the futex; the change wakes it.
     * Bounded: if the wake were lost, join would hang and the test runner's
     * timeout would fail it. */
    enum { WAITERS = 4 };
    struct ww_arg a[WAITERS];
    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        a[i].w = &w;
        atomic_init(&a[i].done, 0);
        pthread_create(&t[i], NULL, ww_waiter, &a[i]);
    }
    int early = 0;
    for (int i = 0; i < WAITERS; i++)
        early += atomic_load(&a[i].done);
    check(early == 0, "no waiter returns before the word changes");
    atomic_store(&w.word, 1);
    waitword_wake(&w);
    for (int i = 0; i < WAITERS; i++)
        pthread_join(t[i], NULL);
    int done = 0;
    for (int i = 0; i < WAITERS; i++)
        done += atomic_load(&a[i].done);
    check(done == WAITERS, "every waiter saw the change (%d of %d)", done, WAITERS);
}

static void test_state_lock(void)
{
    struct state_lock l;
    statelock_init(&l);
    check(statelock_try_read(&l), "try-read on a free lock");
    check(!statelock_try_write(&l, 0), "try-write is busy while a reader holds it");
    check(statelock_try_read(&l), "a second reader");
    statelock_unlock_read(&l);
    statelock_unlock_read(&l);
    check(statelock_try_write(&l, 9), "try-write once free");
    check(!statelock_try_read(&l), "try-read is busy while a writer holds it");
    statelock_unlock_write(&l, 9);
    statelock_destroy(&l);
}

struct other_view {
    const struct tmutex *m;
    const struct state_lock *l;
    int mutex_mine, write_mine;
};

/* Another thread asks whether it holds the locks. */
static void *ask_from_another_thread(void *p)
{
    struct other_view *v = p;
    v->mutex_mine = tmutex_held_by_me(v->m);
    v->write_mine = statelock_write_held_by_me(v->l);
    return NULL;
}

static struct other_view asked_by_another(const struct tmutex *m, const struct state_lock *l)
{
    struct other_view v = {m, l, -1, -1};
    pthread_t t;
    pthread_create(&t, NULL, ask_from_another_thread, &v);
    pthread_join(t, NULL);
    return v;
}

static void test_ownership(void)
{
    struct tmutex m;
    struct state_lock l;
    tmutex_init(&m, OBJ_PROCESS_MUTEX);
    statelock_init(&l);
    check(!tmutex_held_by_me(&m), "a free mutex is not held");
    check(!statelock_write_held_by_me(&l), "a free state lock is not held for write");
    tmutex_lock(&m);
    check(statelock_try_write(&l, 0), "try-write on a free lock");
    check(tmutex_held_by_me(&m), "the locker holds the mutex");
    check(statelock_write_held_by_me(&l), "the writer holds the state lock for write");
    struct other_view v = asked_by_another(&m, &l);
    check(v.mutex_mine == 0, "another thread does not hold the mutex (got %d)", v.mutex_mine);
    check(v.write_mine == 0, "another thread does not hold the state lock (got %d)", v.write_mine);
    statelock_unlock_write(&l, 0);
    tmutex_unlock(&m);
    check(!tmutex_held_by_me(&m), "not held after unlock");
    check(!statelock_write_held_by_me(&l), "not held for write after unlock");
    check(statelock_try_read(&l), "try-read on a free lock");
    check(!statelock_write_held_by_me(&l), "a reader does not hold it for write");
    statelock_unlock_read(&l);
    statelock_destroy(&l);
    tmutex_destroy(&m);

    struct lease ls;
    lease_init(&ls);
    int64_t id = lease_try(&ls); /* an unattached thread holds it as group -1 */
    check(id > 0 && lease_held_by(&ls, id, -1), "the taker holds the lease");
    lease_handover(&ls, id, 7);
    check(!lease_held_by(&ls, id, -1), "handed over: the giver no longer holds it");
    check(lease_held_by(&ls, id, 7), "handed over: group 7 holds it");
    check(!lease_held_by(&ls, id + 1, 7), "a different lease id is not held");
    lease_release(&ls, id);
    check(!lease_held_by(&ls, id, 7), "released: nobody holds it");
    lease_destroy(&ls);
}

static jmp_buf fault_out;
static char fault_seen[64];

/* Stands in for the run's handler: keeps the message and jumps back. */
static void fault_catch(const char *msg)
{
    snprintf(fault_seen, sizeof fault_seen, "%s", msg);
    longjmp(fault_out, 1);
}

static void test_fault(void)
{
    check(fault_message()[0] == '\0', "nothing recorded before an error");
    fault_set_handler(fault_catch);
    if (!setjmp(fault_out))
        fault_protocol("epoch 3: first");
    check(strcmp(fault_seen, "epoch 3: first") == 0, "the handler got the message (got '%s')",
          fault_seen);
    check(strcmp(fault_message(), "epoch 3: first") == 0, "recorded (got '%s')", fault_message());
    if (!setjmp(fault_out))
        fault_protocol("epoch 4: second");
    check(strcmp(fault_seen, "epoch 4: second") == 0, "the handler got the second error too");
    check(strcmp(fault_message(), "epoch 3: first") == 0, "the first error stays recorded");
    fault_set_handler(NULL);
}

static struct fault_delay delay_seen;

static void delay_catch(const struct fault_delay *d)
{
    delay_seen = *d;
    longjmp(fault_out, 1);
}

/* A delayed epoch goes to the run's delay handler with every fact whole,
 * and leaves the recorded protocol error alone. */
static void test_fault_delayed(void)
{
    fault_set_delay_handler(delay_catch);
    if (!setjmp(fault_out))
        fault_delayed(&(struct fault_delay){
            .epoch = 7, .from = 2, .wait_kind = WAIT_GUEST, .ms = 250, .delay_ns = 123456789});
    check(delay_seen.epoch == 7 && delay_seen.from == 2 && delay_seen.wait_kind == WAIT_GUEST &&
              delay_seen.ms == 250 && delay_seen.delay_ns == 123456789,
          "the delay handler got the epoch, sender, wait and delay (epoch %lld from %d)",
          (long long)delay_seen.epoch, delay_seen.from);
    check(strcmp(fault_message(), "epoch 3: first") == 0,
          "a delayed epoch is not a protocol error (recorded '%s')", fault_message());
    fault_set_delay_handler(NULL);
}

static void test_table(void)
{
    struct table a, b;
    table_init(&a);
    table_init(&b);
    table_append(&a, 4, SLOT_MODULE, 1);
    table_append(&b, 4, SLOT_MODULE, 1);
    check(table_digest(&a, 0) == table_digest(&b, 0), "same growth, same digest");
    check(table_place(&a, 4, SLOT_RESOLVED, 1, 2) == 0, "place at the end");
    check(table_place(&a, 4, SLOT_RESOLVED, 1, 3) == -1, "a taken slot is an error");
    check(table_digest(&a, 0) != table_digest(&b, 0), "different tables, different digests");
    table_place(&b, 6, SLOT_RESOLVED, 1, 2);
    check(b.len == 7 && b.v[5].kind == SLOT_EMPTY, "placing past the end grows with empty slots");
    table_free(&a);
    table_free(&b);
}

static void test_scenario_parser(void)
{
    struct scenario s;
    char err[256];
    const char *good = "scenario t\nmodule libc funcs 3\nmodule libm funcs 2 needs libc\n"
                       "script w\n  dlopen libm\n  dlsym libm:f1\n  spawn c\n"
                       "script c once\n  exit\ngroups w\n";
    check(scenario_parse(good, "good.dls", &s, err, sizeof err) == 0, "parses: %s", err);
    check(s.nmodules == 2 && s.modules[1].deps[0] == 0, "modules and needs");
    check(s.scripts[0].actions[2].script == 1, "spawn resolved to a later script");
    check(scenario_main_module(&s) == -1 && !s.modules[0].tls, "no main module, no tls");
    const char *flags = "scenario t\nmodule app funcs 2 main\nmodule libc funcs 3 tls needs app\n"
                        "script w\n  dlsym app:f1\ngroups w\n";
    check(scenario_parse(flags, "flags.dls", &s, err, sizeof err) == 0, "parses: %s", err);
    check(scenario_main_module(&s) == 0 && s.modules[1].tls && !s.modules[1].main &&
              s.modules[1].deps[0] == 0,
          "main, tls and needs");
    /* Regression: three names on the groups line gave four groups (the old
     * default-groups 4); without default-groups the line sets the number. */
    const char *three = "scenario t\nscript a\n  syscall\nscript b\n  syscall\ngroups a b b\n";
    check(scenario_parse(three, "three.dls", &s, err, sizeof err) == 0 && s.default_groups == 3,
          "groups a b b: %d groups by default, want 3 (%s)", s.default_groups, err);
    const char *four = "scenario t\nscript a\n  syscall\ngroups a\ndefault-groups 4\n";
    check(scenario_parse(four, "four.dls", &s, err, sizeof err) == 0 && s.default_groups == 4,
          "an explicit default-groups stands: %d", s.default_groups);
    struct {
        const char *text, *want;
    } bad[] = {
        /* Regression: a deeper-indented action was run as the next action. */
        {"scenario t\nscript w\n  dlopen any\n    syscall\ngroups w\n",
         "bad.dls:4: action 'syscall' is indented 4 characters, the actions above it in script 'w' "
         "2"},
        {"scenario t\nmodule libc funcs 0\n", "bad.dls:2: funcs must be"},
        {"scenario t\nscript w\n  fly away\ngroups w\n", "bad.dls:3: unknown action 'fly'"},
        {"scenario t\nscript w\n  dlopen nope\ngroups w\n", "bad.dls:3: dlopen names module"},
        {"scenario t\nscript w\n  spawn ghost\ngroups w\n", "spawns 'ghost'"},
        {"scenario t\n  syscall\n", "bad.dls:2: an indented action line"},
        {"scenario t\nmodule a funcs 1 main\nmodule b funcs 1 main\n",
         "bad.dls:3: module 'b' is declared main, but 'a'"},
        {"scenario t\nmodule a funcs 1\nmodule b funcs 1 main needs a\n",
         "bad.dls:3: the main module 'b' is there from the start"},
        {"scenario t\nmodule a funcs 1 tls tls\n", "bad.dls:2: expected 'main', 'tls' or"},
        {"scenario t\nmodule a funcs 1 needs\n", "bad.dls:2: expected 'needs MODULE...'"},
        {"scenario t\nscript w\n  syscall\n", "no 'groups"},
        {"scenario t\nscript w\n  syscall\ngroups w w w w w w w w w w w w w w w w w w w w w w w w "
         "w w w w "
         "w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w "
         "w "
         "w w w w w w w w w\n",
         "bad.dls:4: more than 80 words"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = scenario_parse(bad[i].text, "bad.dls", &s, err, sizeof err);
        check(rc != 0 && strstr(err, bad[i].want), "case %zu: want '%s', got '%s'", i, bad[i].want,
              err);
    }
    for (const char *const *n = scenario_builtin_names(); *n; n++)
        check(scenario_load(*n, &s, err, sizeof err) == 0, "built-in %s: %s", *n, err);
    check(scenario_load("/nonexistent/x.dls", &s, err, sizeof err) != 0 &&
              strstr(err, "/nonexistent/x.dls"),
          "a missing file is named: %s", err);
}

/* The scenario parser reads actions through the protocol's words
 * (tracer/names.c): every word ev_action_name gives parses back to its
 * kind, an unknown word is refused with the whole list, and the words the
 * trace prints for an action are the words it was written with. */
static void test_scenario_words(void)
{
    struct scenario s;
    char err[512], text[256];
    for (int k = ACT_SYSCALL; k <= ACT_CHECKPOINT; k++) {
        const char *word = ev_action_name(k);
        const char *arg = k == ACT_SLEEP || k == ACT_GUEST_WAIT ? " 5"
                          : k == ACT_SPAWN                      ? " w"
                          : k == ACT_DLOPEN || k == ACT_DLSYM   ? " any"
                                                                : "";
        check(strcmp(word, "-") != 0 && ev_action_by_name(word) == k, "action %d has a word", k);
        snprintf(text, sizeof text, "scenario t\nscript w\n  %s%s\ngroups w\n", word, arg);
        int rc = scenario_parse(text, "words.dls", &s, err, sizeof err);
        check(rc == 0 && s.scripts[0].actions[0].kind == k, "'%s' parses as action %d: %s", word, k,
              err);
    }
    check(ev_action_by_name("fly") == -1 && ev_action_by_name("") == -1 &&
              strcmp(ev_action_name(0), "-") == 0 &&
              strcmp(ev_action_name(ACT_CHECKPOINT + 1), "-") == 0,
          "no word, no action");
    check(scenario_parse("scenario t\nscript w\n  fly\ngroups w\n", "bad.dls", &s, err,
                         sizeof err) != 0,
          "an unknown action is refused");
    const char *list = strstr(err, "(actions: ");
    for (int k = ACT_SYSCALL; k <= ACT_CHECKPOINT; k++) {
        char want[32];
        snprintf(want, sizeof want, "%s%s", k == ACT_SYSCALL ? "(actions: " : " ",
                 ev_action_name(k));
        check(list && strstr(list, want), "the refusal lists '%s': %s", ev_action_name(k), err);
    }
}

int main(void)
{
    run("backoff_schedule", test_backoff_schedule);
    run("lease", test_lease);
    run("bus", test_bus);
    run("barrier_reuse", test_barrier_reuse);
    run("wakeup", test_wakeup);
    run("wakeup_untaken", test_wakeup_untaken);
    run("flag", test_flag);
    run("waitword", test_waitword);
    run("state_lock", test_state_lock);
    run("fault", test_fault);
    run("fault-delayed", test_fault_delayed);
    run("ownership", test_ownership);
    run("table", test_table);
    run("scenario_parser", test_scenario_parser);
    run("scenario_words", test_scenario_words);
    return harness_summary("unit");
}
