/*
 * sched.c — the scheduler (see sched.h).
 *
 * Owns the run's scheduler state S: the live threads in id order, whose
 * turn it is, the logical clock, the strategy's generator and priorities,
 * the replay position and the recorded decisions.  Every field of S and the
 * scheduler's fields of each struct sched_thread are guarded by S.mu (a
 * leaf).  In controlled mode a thread holds S.mu only inside these
 * functions, and releases it while it waits for its turn.
 *
 * The protocol of a controlled handover: the running thread, under S.mu,
 * picks `next` (reschedule), clears its own `go` word and sets next's; then,
 * S.mu released, it wakes next (a futex on the word) and waits on its own
 * word until another thread sets it.  Nothing else runs meanwhile: next
 * takes S.mu only at its own next schedule point.  A thread added but not
 * yet started (its OS thread may not have reached sched_thread_enter) is
 * runnable like any other: when it arrives it finds its go set, or waits
 * for it.
 */
#include "lib/sched.h"

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib/grow.h"

enum { T_RUNNABLE = 1, T_BLOCKED, T_EXITED };

/* Why the current thread calls the scheduler. */
enum { K_POINT, K_YIELD, K_BLOCK, K_EXIT };

static struct {
    pthread_mutex_t mu;
    pthread_cond_t ended; /* the orchestrator waits for the end of the run */
    struct sched_config cfg;
    struct rng rng;
    struct sched_thread **live; /* live threads, ascending id */
    int nlive, caplive;
    struct sched_thread **runnable; /* scratch of reschedule; after a stop, the
                                       runnable threads of the choice not made */
    int nstop;                      /* ... and how many */
    int threads;
    int outcome;
    int64_t clock, steps, choices;
    uint64_t progress_seen;
    int64_t progress_clock, progress_step;
    size_t rpos;
    int replaying;
    int64_t replayed, diverged;
    int32_t *dec;
    size_t ndec, capdec;
    struct sched_choice *ch;
    size_t nch, capch;
    int64_t *change; /* PCT change points (steps), ascending */
    int nchange, nextchange;
    int64_t low_prio; /* PCT: the priority a yield drops to, decreasing */
    int stall_thread;
    int64_t stall_ns;
    _Atomic int halted;
} S = {.mu = PTHREAD_MUTEX_INITIALIZER, .ended = PTHREAD_COND_INITIALIZER};

static _Thread_local struct sched_thread *me;

static void free_choices(void)
{
    for (size_t i = 0; i < S.nch; i++)
        free(S.ch[i].runnable);
    free(S.ch);
    S.ch = NULL;
    S.nch = S.capch = 0;
}

void sched_configure(const struct sched_config *c)
{
    pthread_mutex_lock(&S.mu);
    assert(S.nlive == 0);
    free(S.live);
    free(S.runnable);
    free(S.dec);
    free(S.change);
    free_choices();
    S.live = NULL;
    S.runnable = NULL;
    S.nlive = S.caplive = 0;
    S.dec = NULL;
    S.ndec = S.capdec = 0;
    S.cfg = *c;
    rng_init(&S.rng, c->seed, 0x5c4edull);
    S.threads = 0;
    S.outcome = SCHED_RUNNING;
    S.nstop = 0;
    S.clock = S.steps = S.choices = 0;
    S.progress_seen = c->progress ? atomic_load(c->progress) : 0;
    S.progress_clock = S.progress_step = 0;
    S.rpos = 0;
    S.replaying = c->nreplay > 0;
    S.replayed = S.diverged = 0;
    S.change = NULL;
    S.nchange = S.nextchange = 0;
    S.low_prio = 0;
    S.stall_thread = -1;
    S.stall_ns = 0;
    atomic_store(&S.halted, 0);
    if (c->strategy == STRATEGY_PCT && c->pct_depth > 1) {
        /* d - 1 change points drawn uniformly from steps 1..k. */
        int64_t k = c->pct_steps > 0 ? c->pct_steps : 1;
        S.nchange = c->pct_depth - 1;
        S.change = malloc((size_t)S.nchange * sizeof *S.change);
        if (!S.change)
            abort();
        for (int i = 0; i < S.nchange; i++)
            S.change[i] = 1 + (int64_t)rng_below(&S.rng, (uint64_t)k);
        for (int i = 1; i < S.nchange; i++) /* insertion sort: d is small */
            for (int j = i; j > 0 && S.change[j - 1] > S.change[j]; j--) {
                int64_t x = S.change[j];
                S.change[j] = S.change[j - 1];
                S.change[j - 1] = x;
            }
    }
    pthread_mutex_unlock(&S.mu);
}

int sched_mode(void)
{
    return S.cfg.mode;
}

static int controlled(void)
{
    return S.cfg.mode == SCHED_CONTROLLED;
}

void sched_thread_init(struct sched_thread *t, int id, uint64_t seed)
{
    t->id = id;
    t->state = T_RUNNABLE;
    t->wait = NULL;
    t->deadline = INT64_MAX;
    t->timed_out = 0;
    atomic_init(&t->go, 0);
    t->prio = 0;
    rng_init(&t->perturb, seed, (uint64_t)id);
}

void sched_thread_add(struct sched_thread *t)
{
    if (!controlled())
        return;
    pthread_mutex_lock(&S.mu);
    size_t cap = (size_t)S.caplive;
    S.live = grow(S.live, &cap, (size_t)S.nlive + 1, sizeof *S.live);
    S.runnable = realloc(S.runnable, cap * sizeof *S.runnable);
    if (!S.runnable)
        abort();
    S.caplive = (int)cap;
    int i = S.nlive;
    while (i > 0 && S.live[i - 1]->id > t->id) { /* ids arrive ascending */
        S.live[i] = S.live[i - 1];
        i--;
    }
    S.live[i] = t;
    S.nlive++;
    S.threads++;
    t->state = T_RUNNABLE;
    /* PCT: a random initial priority above every change-point priority. */
    t->prio = S.cfg.pct_depth + (int64_t)rng_below(&S.rng, (uint64_t)1 << 40);
    pthread_mutex_unlock(&S.mu);
}

/* Remove t from the live list (mu held). */
static void unlink_live(struct sched_thread *t)
{
    for (int i = 0; i < S.nlive; i++)
        if (S.live[i] == t) {
            memmove(&S.live[i], &S.live[i + 1], (size_t)(S.nlive - i - 1) * sizeof *S.live);
            S.nlive--;
            return;
        }
}

void sched_thread_remove(struct sched_thread *t)
{
    if (!controlled())
        return;
    pthread_mutex_lock(&S.mu);
    unlink_live(t);
    t->state = T_EXITED;
    pthread_mutex_unlock(&S.mu);
}

/* Wait (mu not held) until it is t's turn.  The acquire load pairs with
 * the store that gave t the turn, made after everything the previous
 * thread did. */
static void await_turn(struct sched_thread *t)
{
    while (!atomic_load_explicit(&t->go, memory_order_acquire))
        syscall(SYS_futex, &t->go, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void wake_turn(struct sched_thread *t)
{
    syscall(SYS_futex, &t->go, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void sched_thread_enter(struct sched_thread *t)
{
    me = t;
    if (t && controlled())
        await_turn(t);
}

/* The run cannot go on: say so to the orchestrator (mu held). */
static void end_run(int outcome)
{
    S.outcome = outcome;
    pthread_cond_broadcast(&S.ended);
}

static void note_progress(void)
{
    if (!S.cfg.progress)
        return;
    uint64_t p = atomic_load_explicit(S.cfg.progress, memory_order_relaxed);
    if (p != S.progress_seen) {
        S.progress_seen = p;
        S.progress_clock = S.clock;
        S.progress_step = S.steps;
    }
}

/* Can t run now?  A blocked thread can when its wait is ready or its
 * deadline has passed; readiness is judged afresh at every decision, since
 * what one thread waits for another may take away again. */
static int can_run(const struct sched_thread *t)
{
    if (t->state == T_RUNNABLE)
        return 1;
    return t->state == T_BLOCKED &&
           (t->timed_out || (t->wait->ready && t->wait->ready(t->wait->arg)));
}

/* Collect the runnable threads into S.runnable (mu held); returns how many. */
static int collect(void)
{
    int n = 0;
    for (int i = 0; i < S.nlive; i++)
        if (can_run(S.live[i]))
            S.runnable[n++] = S.live[i];
    return n;
}

/* next was picked: it runs (mu held).  A wait ends ready if it is, else by
 * its deadline (timed_out stays set). */
static void wake(struct sched_thread *t)
{
    if (t->state != T_BLOCKED)
        return;
    if (t->wait->ready && t->wait->ready(t->wait->arg))
        t->timed_out = 0;
    t->state = T_RUNNABLE;
    t->deadline = INT64_MAX;
}

/* Nothing is runnable: advance the logical clock to the next deadline and
 * make its threads runnable (mu held).  Returns 0 when the run cannot go on
 * (the outcome is set). */
static int advance_clock(void)
{
    struct sched_thread *first = NULL;
    for (int i = 0; i < S.nlive; i++) {
        struct sched_thread *t = S.live[i];
        if (t->state == T_BLOCKED && !t->timed_out && t->deadline != INT64_MAX &&
            (!first || t->deadline < first->deadline))
            first = t;
    }
    if (!first) {
        end_run(S.nlive ? SCHED_DEADLOCK : SCHED_DONE);
        return 0;
    }
    if (first->wait->guest)
        for (int i = 0; i < S.nlive; i++) {
            const struct sched_thread *t = S.live[i];
            if (t->state == T_BLOCKED && t->deadline == INT64_MAX && !t->wait->guest) {
                S.stall_thread = first->id;
                S.stall_ns = first->deadline - S.clock;
                end_run(SCHED_STALL);
                return 0;
            }
        }
    if (S.cfg.livelock_ns && first->deadline - S.progress_clock > S.cfg.livelock_ns) {
        end_run(SCHED_LIVELOCK);
        return 0;
    }
    S.clock = first->deadline;
    for (int i = 0; i < S.nlive; i++) {
        struct sched_thread *t = S.live[i];
        if (t->state == T_BLOCKED && t->deadline <= S.clock)
            t->timed_out = 1; /* runnable from now on, ready or not */
    }
    return 1;
}

static struct sched_thread *find(struct sched_thread **r, int n, int32_t id)
{
    for (int i = 0; i < n; i++)
        if (r[i]->id == id)
            return r[i];
    return NULL;
}

/* The dfs default: the current thread while it can run, else the next
 * runnable one after it in id order (round robin). */
static struct sched_thread *default_choice(const struct sched_thread *self, struct sched_thread **r,
                                           int n)
{
    if (!self)
        return r[0];
    for (int i = 0; i < n; i++)
        if (r[i] == self)
            return r[i];
    for (int i = 0; i < n; i++)
        if (r[i]->id > self->id)
            return r[i];
    return r[0];
}

static struct sched_thread *by_strategy(struct sched_thread **r, int n, struct sched_thread *dflt)
{
    switch (S.cfg.strategy) {
    case STRATEGY_RANDOM:
        return r[rng_below(&S.rng, (uint64_t)n)];
    case STRATEGY_PCT: {
        struct sched_thread *best = r[0];
        for (int i = 1; i < n; i++)
            if (r[i]->prio > best->prio)
                best = r[i];
        return best;
    }
    default:
        return dflt;
    }
}

static void record(struct sched_thread *chosen, struct sched_thread *dflt, struct sched_thread **r,
                   int n)
{
    S.dec = grow(S.dec, &S.capdec, S.ndec + 1, sizeof *S.dec);
    S.dec[S.ndec++] = chosen->id;
    if (!S.cfg.keep_choices)
        return;
    S.ch = grow(S.ch, &S.capch, S.nch + 1, sizeof *S.ch);
    struct sched_choice *c = &S.ch[S.nch++];
    c->chosen = chosen->id;
    c->dflt = dflt->id;
    c->nrunnable = n;
    c->runnable = malloc((size_t)n * sizeof *c->runnable);
    if (!c->runnable)
        abort();
    for (int i = 0; i < n; i++)
        c->runnable[i] = r[i]->id;
}

/* Pick among the n runnable threads: the replayed decision while it
 * applies, else the strategy.  Records a choice of two or more.  NULL: stop
 * here (stop_after_replay, no replayed decision made this choice). */
static struct sched_thread *choose(const struct sched_thread *self, struct sched_thread **r, int n)
{
    if (n == 1)
        return r[0];
    S.choices++;
    struct sched_thread *dflt = default_choice(self, r, n), *want = NULL;
    if (S.replaying) {
        if (S.rpos < S.cfg.nreplay && (want = find(r, n, S.cfg.replay[S.rpos])) != NULL) {
            S.rpos++;
            S.replayed++;
        } else {
            if (S.rpos < S.cfg.nreplay)
                S.diverged = (int64_t)S.rpos + 1;
            S.replaying = 0;
        }
    }
    if (!want && S.cfg.stop_after_replay)
        return NULL;
    if (!want)
        want = by_strategy(r, n, dflt);
    record(want, dflt, r, n);
    return want;
}

/* PCT: at a change point the running thread drops below every initial
 * priority; a yielding thread drops below everyone. */
static void pct_step(struct sched_thread *self, int kind)
{
    if (S.cfg.strategy != STRATEGY_PCT || !self)
        return;
    while (S.nextchange < S.nchange && S.change[S.nextchange] <= S.steps) {
        self->prio = S.cfg.pct_depth - 1 - S.nextchange;
        S.nextchange++;
    }
    if (kind == K_YIELD)
        self->prio = --S.low_prio;
}

/*
 * The heart of the controlled scheduler (mu held).  self is the calling
 * protocol thread (NULL: the orchestrator starting the run); kind says why
 * it calls.  Picks the next thread and gives it the turn; returns the thread
 * to wake (NULL: none, self goes on).  *must_wait: self must wait for its
 * turn again (it gave it away, or the run cannot go on and self parks for
 * good, the outcome set).
 */
static struct sched_thread *reschedule(struct sched_thread *self, int kind, int *must_wait)
{
    *must_wait = 0;
    S.steps++;
    note_progress();
    if (S.cfg.livelock_steps && S.steps - S.progress_step > S.cfg.livelock_steps) {
        end_run(SCHED_LIVELOCK);
        goto park;
    }
    pct_step(self, kind);
    int n;
    while ((n = collect()) == 0)
        if (!advance_clock())
            goto park;
    if (kind == K_YIELD && n > 1)
        for (int i = 0; i < n; i++)
            if (S.runnable[i] == self) {
                memmove(&S.runnable[i], &S.runnable[i + 1],
                        (size_t)(n - i - 1) * sizeof *S.runnable);
                n--;
                break;
            }
    struct sched_thread *next = choose(self, S.runnable, n);
    if (!next) {
        assert(n > 1);
        S.nstop = n;
        end_run(SCHED_STOPPED);
        goto park;
    }
    wake(next);
    if (next == self)
        return NULL;
    if (self && kind != K_EXIT) {
        atomic_store_explicit(&self->go, 0, memory_order_relaxed);
        *must_wait = 1;
    }
    atomic_store_explicit(&next->go, 1, memory_order_release);
    return next;
park:
    if (self && kind != K_EXIT) {
        atomic_store_explicit(&self->go, 0, memory_order_relaxed);
        *must_wait = 1;
    }
    return NULL;
}

/* Reschedule (mu held on entry, released on return), then hand the turn
 * over and wait for it to come back. */
static void pass_turn(struct sched_thread *self, int kind)
{
    int must_wait;
    struct sched_thread *next = reschedule(self, kind, &must_wait);
    pthread_mutex_unlock(&S.mu);
    if (next)
        wake_turn(next);
    if (must_wait)
        await_turn(self);
}

void sched_thread_exit(void)
{
    struct sched_thread *self = me;
    me = NULL;
    if (!self || !controlled())
        return;
    pthread_mutex_lock(&S.mu);
    unlink_live(self);
    self->state = T_EXITED;
    if (S.nlive == 0) {
        end_run(SCHED_DONE);
        pthread_mutex_unlock(&S.mu);
        return;
    }
    pass_turn(self, K_EXIT); /* self's record is not touched after the turn is passed */
}

static void perturb(struct sched_thread *t)
{
    if (S.cfg.seed == 0)
        return;
    uint64_t r = rng_below(&t->perturb, 100);
    if (r < 84)
        return;
    if (r < 96) {
        sched_yield();
        return;
    }
    struct timespec ts = {0, (long)(1000 + rng_below(&t->perturb, 49000))};
    nanosleep(&ts, NULL);
}

void sched_point(void)
{
    struct sched_thread *self = me;
    if (!self)
        return;
    if (!controlled()) {
        sched_park_if_halted();
        perturb(self);
        return;
    }
    pthread_mutex_lock(&S.mu);
    pass_turn(self, K_POINT);
}

void sched_yield_point(void)
{
    struct sched_thread *self = me;
    if (!self || !controlled()) {
        sched_yield();
        return;
    }
    pthread_mutex_lock(&S.mu);
    pass_turn(self, K_YIELD);
}

int sched_wait(const struct sched_wait *w)
{
    struct sched_thread *self = me;
    if (!self || !controlled()) {
        sched_point();
        return SW_OS;
    }
    pthread_mutex_lock(&S.mu);
    self->wait = w;
    self->deadline = w->timeout_ns >= 0 ? S.clock + w->timeout_ns : INT64_MAX;
    self->timed_out = 0;
    self->state = T_BLOCKED;
    pass_turn(self, K_BLOCK);
    pthread_mutex_lock(&S.mu);
    assert(self->state == T_RUNNABLE);
    int r = self->timed_out ? SW_TIMEOUT : SW_READY;
    self->timed_out = 0;
    self->wait = NULL;
    pthread_mutex_unlock(&S.mu);
    return r;
}

void sched_sleep(int64_t ns)
{
    if (me && controlled()) {
        sched_wait(&(struct sched_wait){.timeout_ns = ns});
        return;
    }
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    nanosleep(&ts, NULL);
}

int sched_run(void)
{
    assert(controlled());
    pthread_mutex_lock(&S.mu);
    int must_wait;
    struct sched_thread *first = S.nlive ? reschedule(NULL, K_POINT, &must_wait) : NULL;
    if (!S.nlive)
        end_run(SCHED_DONE);
    if (first)
        wake_turn(first);
    while (S.outcome == SCHED_RUNNING)
        pthread_cond_wait(&S.ended, &S.mu);
    int o = S.outcome;
    pthread_mutex_unlock(&S.mu);
    return o;
}

void sched_end(void)
{
    pthread_mutex_lock(&S.mu);
    S.outcome = SCHED_ENDED; /* the orchestrator is not told: the caller ends the process */
    pthread_mutex_unlock(&S.mu);
}

void sched_halt(void)
{
    atomic_store(&S.halted, 1);
}

void sched_park_if_halted(void)
{
    if (!atomic_load_explicit(&S.halted, memory_order_relaxed))
        return;
    static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
    static pthread_cond_t park_cv = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&park_mu);
    for (;;)
        pthread_cond_wait(&park_cv, &park_mu);
}

void sched_get_stats(struct sched_stats *out)
{
    pthread_mutex_lock(&S.mu);
    out->threads = S.threads;
    out->steps = S.steps;
    out->choices = S.choices;
    out->clock_ns = S.clock;
    out->replayed = S.replayed;
    out->diverged = S.diverged;
    out->stall_thread = S.stall_thread;
    out->stall_ns = S.stall_ns;
    pthread_mutex_unlock(&S.mu);
}

size_t sched_decisions(const int32_t **out)
{
    *out = S.dec;
    return S.ndec;
}

size_t sched_choices(const struct sched_choice **out)
{
    *out = S.ch;
    return S.nch;
}

int sched_stopped_threads(int32_t *ids, int *can_run, int max)
{
    pthread_mutex_lock(&S.mu);
    assert(S.outcome == SCHED_STOPPED);
    int n = 0;
    for (; n < S.nlive && n < max; n++) {
        ids[n] = S.live[n]->id;
        can_run[n] = 0;
        for (int j = 0; j < S.nstop; j++)
            can_run[n] |= S.runnable[j] == S.live[n];
    }
    pthread_mutex_unlock(&S.mu);
    return n;
}
