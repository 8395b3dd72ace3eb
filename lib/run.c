/*
 * run.c — run orchestration, the OS watchdog, reports and the outcome (see
 * run.h).
 *
 * Locks: the process mutex, taken raw (untraced) by the orchestrating
 * thread to wait for the end of an OS run and to read the thread list, and
 * by a protocol thread that ends the run (delayed, holding no other
 * lock) to read the list; the scheduler's (sched_run).  A controlled run
 * that cannot end is reported by the orchestrator while every protocol
 * thread is parked in the scheduler, so nothing it reads moves.
 *
 * Layering: run.c is the top of the protocol model; it drives the
 * process (spawn_main, the scheduler) and no lib/ protocol module calls
 * it.  A protocol error and a delayed epoch come up through lib/fault.c,
 * whose handlers (protocol_error, delayed) run.c installs.
 */
#include "lib/run.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/fault.h"
#include "lib/linker.h"
#include "lib/process.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/schedule.h"
#include "lib/spawn.h"
#include "lib/thread.h"
#include "lib/trial.h"
#include "lib/variant.h"
#include "tracer/events.h"
#include "tracer/names.h"

static struct process *current;              /* the run in progress, for protocol_error */
static const struct run_config *current_cfg; /* ... and how it was made */
static atomic_int ending;                    /* set once by whoever ends the run early */

/* Where a thread is, in words: "" when it runs.  detailed: with the epoch,
 * the parties, the child and the duration of a sleep (reports); else only
 * the place (the signature of a failure, the same in every run stuck the
 * same way). */
static void position_text(char *buf, size_t n, struct position_view v, int detailed)
{
    switch (v.kind) {
    case POS_LOCK:
        snprintf(buf, n, "blocked in %s(%s)", ev_lock_call_name(v.obj, v.mode),
                 ev_object_name(v.obj));
        break;
    case POS_RETRY:
        snprintf(buf, n, "retrying try-%s(%s) with backoff", v.obj == OBJ_LEASE ? "lease" : "write",
                 ev_object_name(v.obj));
        break;
    case POS_BUS:
        snprintf(buf, n, "blocked in receive(%s)", ev_object_name(v.obj));
        break;
    case POS_BARRIER:
        if (detailed)
            snprintf(buf, n, "waiting at the barrier, epoch %lld phase %lld (%lld parties)",
                     (long long)v.epoch, (long long)v.phase, (long long)v.arg);
        else
            snprintf(buf, n, "waiting at the barrier, phase %lld", (long long)v.phase);
        break;
    case POS_CHILD:
        if (detailed)
            snprintf(buf, n, "waiting for child group-%lld to finalise", (long long)v.arg);
        else
            snprintf(buf, n, "waiting for a child to finalise");
        break;
    case POS_CHECKPOINT:
        snprintf(buf, n, "frozen at a checkpoint");
        break;
    case POS_SLEEP:
    case POS_GUEST_WAIT:
        snprintf(buf, n, "%s", v.kind == POS_SLEEP ? "sleeping" : "in a guest wait");
        if (detailed)
            snprintf(buf + strlen(buf), n - strlen(buf), " (%lld ms, not %s)", (long long)v.arg,
                     v.kind == POS_SLEEP ? "woken" : "interrupted");
        break;
    default:
        buf[0] = '\0';
    }
}

/* An exited thread that the barrier still counts (its group left the
 * buses subscribed)?  (p's mutex held) */
static int counted_but_gone(const struct dl_thread *t)
{
    return !t->live && t->left_subscribed;
}

static const char gone_words[] = "exited, still subscribed to both buses (counted in rx_count)";

/* One line: where thread t is.  elapsed: how long it has waited (< 0: not
 * said, as in a controlled run, where the OS time means nothing).  mark:
 * NULL, or what a stopped run says first (stop_mark); can_run: the next
 * decision may name t (stopped runs). */
static void describe(FILE *out, const struct dl_thread *t, struct position_view v, double elapsed,
                     const char *mark, int can_run)
{
    char words[160];
    fprintf(out, "  %s%s (%s): ", mark ? mark : "", t->name, ev_role_name(t->role));
    if (counted_but_gone(t)) {
        fprintf(out, "%s\n", gone_words);
        return;
    }
    position_text(words, sizeof words, v, 1);
    fputs(words[0] ? words : mark ? "at a schedule point" : "running", out);
    if (words[0] && elapsed >= 0)
        fprintf(out, " for %.2f s", elapsed);
    if (words[0] && mark && can_run)
        fputs(", ready to go on", out);
    fputc('\n', out);
}

/* What a stopped run says before the line of thread `id` (< 0: a thread
 * gone but still counted): its name in a schedule and whether the next
 * decision may name it; into buf. */
static const char *stop_mark(char *buf, size_t n, int id, int can_run)
{
    char name[SCHEDULE_NAME_MAX];
    snprintf(buf, n, "%-3s %-8s ", id >= 0 ? schedule_thread_name(id, name) : "-",
             id < 0    ? "gone"
             : can_run ? "can run"
                       : "waits");
    return buf;
}

/* Where every live thread is, then the lease, the state lock, the flag and
 * rx_count.  timed: say for how long each has waited (OS mode).  stop: NULL,
 * or the threads of a stopped run: each line then marked (stop_mark), in
 * the order of the schedule's names, and a gone thread last. */
static void report_positions(FILE *out, struct process *p, int timed,
                             const struct trial_result *stop)
{
    int64_t now = now_ns();
    struct linker *ls = p->linker;
    char mark[32];
    pthread_mutex_lock(&p->mu.mu);
    for (int i = 0; stop && i < stop->nthreads; i++)
        for (const struct dl_thread *t = p->threads; t; t = t->next)
            if (t->id == stop->ids[i] && t->live)
                describe(out, t, position_read(&t->pos), -1,
                         stop_mark(mark, sizeof mark, t->id, stop->can_run[i]), stop->can_run[i]);
    for (const struct dl_thread *t = p->threads; t; t = t->next)
        if (stop ? counted_but_gone(t) : t->live || counted_but_gone(t)) {
            struct position_view v = position_read(&t->pos);
            describe(out, t, v, timed ? (double)(now - v.since_ns) / 1e9 : -1,
                     stop ? stop_mark(mark, sizeof mark, -1, 0) : NULL, 0);
        }
    pthread_mutex_unlock(&p->mu.mu);
    int holder = lease_holder(&ls->lease);
    int writer = atomic_load(&ls->lock.writer);
    fprintf(out, "  lease: %s", holder >= 0 ? "held by " : "free");
    if (holder >= 0)
        fprintf(out, "group-%d", holder);
    fprintf(out, "; state lock: ");
    if (atomic_load(&ls->lock.writing))
        fprintf(out, "write by group-%d", writer);
    else
        fprintf(out, "%d reader(s)", atomic_load(&ls->lock.readers));
    fprintf(out, "; pending flag: %s; rx_count: %d\n",
            atomic_load(&ls->pending.v) ? "set" : "clear", bus_rx_count(&ls->op_bus));
    fflush(out);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The failure's signature: the set of places where live threads wait, in
 * sorted order, without thread ids or epochs, so that two runs stuck the
 * same way have the same one.  Malloc'ed. */
static char *signature(struct process *p)
{
    char words[RUN_MAX_THREADS][96];
    char *sorted[RUN_MAX_THREADS];
    int n = 0;
    pthread_mutex_lock(&p->mu.mu);
    for (const struct dl_thread *t = p->threads; t && n < RUN_MAX_THREADS; t = t->next)
        if (t->live || counted_but_gone(t)) {
            if (counted_but_gone(t))
                snprintf(words[n], sizeof words[n], "%s", gone_words);
            else
                position_text(words[n], sizeof words[n], position_read(&t->pos), 0);
            if (words[n][0]) {
                sorted[n] = words[n];
                n++;
            }
        }
    pthread_mutex_unlock(&p->mu.mu);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_str);
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(sorted[i]) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < n; i++)
        if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0) {
            if (s[0])
                strcat(s, "; ");
            strcat(s, sorted[i]);
        }
    return s;
}

/* Write s to f quoted for a POSIX shell, unless it needs no quotes. */
static void put_shell_word(FILE *f, const char *s)
{
    if (s[0] &&
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/:=+-") ==
            strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

void run_put_options(FILE *f, const struct run_config *cfg, const char *sched)
{
    fputs(" --scenario ", f);
    put_shell_word(f, cfg->scenario_arg ? cfg->scenario_arg : cfg->scn->name);
    fprintf(f, " --groups %d --ops %d --seed %llu --variant %s --schedule %s", cfg->groups,
            cfg->ops, (unsigned long long)cfg->seed, variant_table[cfg->variant].name, sched);
}

/* The schedule of the run so far, as a string (malloc'ed). */
static char *schedule_now(void)
{
    const int32_t *dec;
    size_t n = sched_decisions(&dec);
    return schedule_encode(dec, n);
}

/* Record the schedule in the trace: schedule events of EV_SCHEDULE_PART
 * characters, a = part, b = parts. */
static void emit_schedule(const char *s)
{
    size_t len = strlen(s);
    int64_t parts = (int64_t)((len + EV_SCHEDULE_PART - 1) / EV_SCHEDULE_PART);
    char chunk[EV_SCHEDULE_PART + 1];
    for (int64_t i = 0; i < parts; i++) {
        size_t off = (size_t)i * EV_SCHEDULE_PART;
        size_t n = len - off < EV_SCHEDULE_PART ? len - off : EV_SCHEDULE_PART;
        memcpy(chunk, s + off, n);
        chunk[n] = '\0';
        ev_emit(EV_SCHEDULE, &(struct ev){.a = i, .b = parts, .s = chunk});
    }
}

static const char *outcome_word(int status, int sched_outcome)
{
    if (sched_outcome == SCHED_STOPPED)
        return "stopped";
    switch (status) {
    case RUN_OK:
        return "ok";
    case RUN_DIVERGED:
        return "diverged";
    case RUN_PROTOCOL:
        return "protocol-error";
    case RUN_DELAYED:
        return "delayed";
    case RUN_HANG:
        switch (sched_outcome) {
        case SCHED_DEADLOCK:
            return "deadlock";
        case SCHED_STALL:
            return "stall";
        case SCHED_LIVELOCK:
            return "livelock";
        }
        return "hang";
    }
    return "error";
}

/*
 * End the run's record, whatever the outcome: in a controlled run the
 * schedule (trace, --schedule-out, and on stderr with the command that
 * replays it when the run failed), then run_end with the counts, the event
 * log, the result for a parent (result_fd).  Called once, by whoever ends
 * the run, while no other protocol thread runs or emits.
 */
static void close_run(struct process *p, const struct run_config *cfg, int status,
                      int sched_outcome, const uint64_t *counts_or_null)
{
    char *sched = cfg->sched == SCHED_CONTROLLED ? schedule_now() : NULL;
    if (sched) {
        emit_schedule(sched);
        if (cfg->schedule_out) {
            fprintf(cfg->schedule_out, "%s\n", sched);
            fflush(cfg->schedule_out);
        }
        if (status != RUN_OK) {
            fprintf(stderr, "dlsync: schedule %s\ndlsync: replay it: %s run", sched,
                    cfg->program ? cfg->program : "dlsync");
            run_put_options(stderr, cfg, sched);
            fputc('\n', stderr);
            fflush(stderr);
        }
    }
    uint64_t counts[EV_KIND_COUNT];
    if (counts_or_null)
        memcpy(counts, counts_or_null, sizeof counts);
    else
        ev_counts_sum(counts);
    ev_emit_run_end(status, counts);
    ev_log_close();
    if (cfg->result_fd >= 0) {
        struct sched_stats st;
        sched_get_stats(&st);
        const struct sched_choice *ch = NULL;
        size_t nch = cfg->keep_choices ? sched_choices(&ch) : 0;
        char *sig = status == RUN_HANG || status == RUN_DELAYED ? signature(p) : NULL;
        struct trial_result r = {
            .status = status,
            .threads = st.threads,
            .steps = st.steps,
            .choices = st.choices,
            .signature = sig,
            .schedule = sched,
            .choice = (struct sched_choice *)ch,
            .nchoice = nch,
        };
        snprintf(r.outcome, sizeof r.outcome, "%s", outcome_word(status, sched_outcome));
        if (sched_outcome == SCHED_STOPPED)
            r.nthreads = sched_stopped_threads(r.ids, r.can_run, RUN_MAX_THREADS);
        trial_write(cfg->result_fd, &r);
        free(sig);
    }
    free(sched);
}

/* OS mode: halt every protocol thread and wait, bounded, until no counter
 * moves; returns the counts.  Controlled: nothing runs; the counts. */
static void halt(uint64_t a[EV_KIND_COUNT])
{
    ev_counts_sum(a);
    if (sched_mode() == SCHED_CONTROLLED)
        return;
    sched_halt();
    uint64_t b[EV_KIND_COUNT];
    for (int i = 0; i < 50; i++) {
        sleep_us(20000);
        ev_counts_sum(b);
        if (memcmp(a, b, sizeof b) == 0)
            break;
        memcpy(a, b, sizeof b);
    }
}

/* The run's fault handler (see lib/fault.h): a protocol thread found a
 * protocol error; report msg and end the run with RUN_PROTOCOL. */
static _Noreturn void protocol_error(const char *msg)
{
    struct dl_thread *self = thread_self();
    if (atomic_exchange(&ending, 1)) /* someone else is ending the run */
        sched_park_if_halted();
    if (sched_mode() == SCHED_CONTROLLED)
        sched_end(); /* nothing else runs again */
    fprintf(stderr, "dlsync: protocol error in %s: %s\n", self ? self->name : "?", msg);
    fflush(stderr);
    uint64_t counts[EV_KIND_COUNT];
    halt(counts);
    close_run(current, current_cfg, RUN_PROTOCOL, SCHED_ENDED, counts);
    fflush(stdout);
    _exit(RUN_PROTOCOL);
}

/* The calling protocol thread's sleep or guest wait ran to its end although
 * a wakeup was sent to it for d->epoch after it last took one, and that
 * epoch waits for it at phase 1: report it (the threads, the epoch, the
 * wakeup, the delay, where every thread waits) and end the run with
 * RUN_DELAYED.  Holding no lock; does not return.  (lib/fault.c's delay
 * handler.) */
static _Noreturn void delayed(const struct fault_delay *d)
{
    struct dl_thread *self = thread_self();
    assert(self && d->epoch > 0);
    if (atomic_exchange(&ending, 1)) /* someone else is ending the process */
        for (;;)
            sleep_us(1000000);
    if (sched_mode() == SCHED_CONTROLLED)
        sched_end(); /* nothing else runs again */
    const char *wait = ev_wait_name(d->wait_kind);
    fprintf(stderr,
            "dlsync: delayed: epoch %lld waited %.2f s at phase 1 for %s (%s), which was sent a "
            "wakeup for it by ",
            (long long)d->epoch, (double)d->delay_ns / 1e9, self->name, ev_role_name(self->role));
    if (d->from >= 0)
        fprintf(stderr, "group-%d", d->from);
    else
        fputs("the run", stderr);
    fprintf(stderr,
            " and did not take it until its %s (%lld ms) ended; in the runtime that wait may have "
            "no end.  Where each thread waits:\n",
            wait, (long long)d->ms);
    report_positions(stderr, current, current_cfg->sched != SCHED_CONTROLLED, NULL);
    uint64_t counts[EV_KIND_COUNT];
    halt(counts);
    close_run(current, current_cfg, RUN_DELAYED, SCHED_DONE, counts);
    fflush(stdout);
    _exit(RUN_DELAYED);
}

/* Is some live thread in a protocol wait?  (mu held) */
static int someone_waits(struct process *p)
{
    for (const struct dl_thread *t = p->threads; t; t = t->next)
        if (t->live && position_is_protocol_wait(position_read(&t->pos).kind))
            return 1;
    return 0;
}

/* OS mode: wait for the end of the run; returns 0, or -1 when the watchdog
 * fired. */
static int watch(struct process *p, double timeout)
{
    uint64_t seen = atomic_load(&p->progress);
    int64_t since = now_ns();
    int64_t limit = (int64_t)(timeout * 1e9);
    pthread_mutex_lock(&p->mu.mu);
    while (p->live > 0) {
        struct timespec ts;
        deadline_after(&ts, 50000);
        pthread_cond_timedwait(&p->done_cv, &p->mu.mu, &ts);
        uint64_t now = atomic_load(&p->progress);
        if (now != seen) {
            seen = now;
            since = now_ns();
        } else if (now_ns() - since > limit && someone_waits(p)) {
            pthread_mutex_unlock(&p->mu.mu);
            return -1;
        }
    }
    pthread_mutex_unlock(&p->mu.mu);
    return 0;
}

/* A run that cannot end: report it, close it, end the process. */
static _Noreturn void hang(struct process *p, const struct run_config *cfg, int outcome)
{
    if (atomic_exchange(&ending, 1)) /* a fatal error is ending the run */
        for (;;)
            sleep_us(1000000);
    struct sched_stats st;
    sched_get_stats(&st);
    switch (outcome) {
    case SCHED_DEADLOCK:
        fprintf(stderr,
                "dlsync: deadlock at step %lld (n = %d threads): no thread can ever run "
                "again; where each thread waits:\n",
                (long long)st.steps, st.threads);
        break;
    case SCHED_STALL:
        fprintf(stderr,
                "dlsync: hang at step %lld (n = %d threads): threads wait in the protocol that "
                "only the end of group-%d's guest sleep or wait (%.1f ms left) could release; "
                "in the runtime that wait may have no end.  Where each thread waits:\n",
                (long long)st.steps, st.threads, st.stall_thread, (double)st.stall_ns / 1e6);
        break;
    case SCHED_LIVELOCK:
        fprintf(stderr,
                "dlsync: livelock at step %lld (n = %d threads): no progress for %.1f s of "
                "logical time; where each thread is:\n",
                (long long)st.steps, st.threads, cfg->timeout);
        break;
    default:
        fprintf(stderr, "dlsync: hang: no progress for %.1f s; where each thread is:\n",
                cfg->timeout);
    }
    report_positions(stderr, p, cfg->sched != SCHED_CONTROLLED, NULL);
    uint64_t counts[EV_KIND_COUNT];
    halt(counts);
    close_run(p, cfg, RUN_HANG, outcome, counts);
    fflush(stdout);
    _exit(RUN_HANG);
}

/* stop_after_replay: the run stopped at a choice no replayed decision made.
 * Say where every thread is and which may run next, close the run (its
 * result says the same: lib/trial.h), end the process: the protocol threads
 * stay parked, as after a hang. */
static _Noreturn void stopped(struct process *p, const struct run_config *cfg)
{
    if (atomic_exchange(&ending, 1)) /* a fatal error is ending the run */
        for (;;)
            sleep_us(1000000);
    struct trial_result stop = {.nthreads = 0};
    stop.nthreads = sched_stopped_threads(stop.ids, stop.can_run, RUN_MAX_THREADS);
    report_positions(stderr, p, 0, &stop);
    uint64_t counts[EV_KIND_COUNT];
    halt(counts);
    close_run(p, cfg, RUN_OK, SCHED_STOPPED, counts);
    fflush(stdout);
    _exit(RUN_OK);
}

static void print_schedule_line(FILE *out, const struct run_config *cfg)
{
    struct sched_stats st;
    sched_get_stats(&st);
    fprintf(out, "schedule    controlled, %s: n = %d threads, k = %lld steps, %lld choices",
            ev_strategy_name(cfg->strategy), st.threads, (long long)st.steps,
            (long long)st.choices);
    if (cfg->strategy == STRATEGY_PCT)
        fprintf(out, "; PCT depth %d finds a bug of depth %d with probability >= 1/(n*k^%d)",
                cfg->pct_depth, cfg->pct_depth, cfg->pct_depth - 1);
    fputc('\n', out);
    if (cfg->nschedule) {
        if (st.diverged)
            fprintf(out,
                    "replay      %lld of %zu decisions applied; decision %lld names a thread "
                    "that cannot run here: the %s strategy chose from there on\n",
                    (long long)st.replayed, cfg->nschedule, (long long)st.diverged,
                    ev_strategy_name(cfg->strategy));
        else if ((size_t)st.replayed < cfg->nschedule)
            fprintf(out, "replay      %lld of %zu decisions applied: the run ended first\n",
                    (long long)st.replayed, cfg->nschedule);
        else
            fprintf(out, "replay      all %zu decisions applied\n", cfg->nschedule);
    }
}

int run_execute(const struct run_config *cfg, FILE *out)
{
    const struct scenario *scn = cfg->scn;
    struct linker ls;
    struct process p;
    variant_select(cfg->variant);
    linker_init(&ls, scn);
    process_init(&p, &ls, scn, cfg->ops, cfg->seed, RUN_MAX_THREADS);
    sched_configure(&(struct sched_config){
        .mode = cfg->sched,
        .strategy = cfg->strategy,
        .seed = cfg->seed,
        .pct_depth = cfg->pct_depth,
        .pct_steps = cfg->pct_steps,
        .replay = cfg->schedule,
        .nreplay = cfg->nschedule,
        .livelock_ns = (int64_t)(cfg->timeout * 1e9),
        .livelock_steps = 20000000,
        .progress = &p.progress,
        .keep_choices = cfg->keep_choices,
        .stop_after_replay = cfg->stop_after_replay,
    });
    current = &p;
    current_cfg = cfg;
    fault_set_handler(protocol_error);
    fault_set_delay_handler(delayed);
    if (cfg->events_out)
        ev_log_open(cfg->events_out);
    ev_emit(EV_RUN_BEGIN,
            &(struct ev){.a = (int64_t)cfg->seed,
                         .b = cfg->groups,
                         .mode = cfg->sched,
                         .how = cfg->strategy,
                         .phase = cfg->pct_depth,
                         .epoch = cfg->ops,
                         .s = scn->name,
                         .s2 = cfg->label ? cfg->label : variant_table[cfg->variant].name});
    int64_t t0 = now_ns();
    if (spawn_main(&p, cfg->groups) != 0) {
        fprintf(stderr, "dlsync: cannot start the main group's thread\n");
        return RUN_INTERNAL;
    }
    if (cfg->sched == SCHED_CONTROLLED) {
        int outcome = sched_run();
        if (outcome == SCHED_ENDED) /* protocol_error is ending the process */
            for (;;)
                sleep_us(1000000);
        if (outcome == SCHED_STOPPED)
            stopped(&p, cfg);
        if (outcome != SCHED_DONE)
            hang(&p, cfg, outcome);
    } else if (watch(&p, cfg->timeout) != 0) {
        hang(&p, cfg, SCHED_RUNNING);
    }
    double ms = (double)(now_ns() - t0) / 1e6;

    int threads = 0, errors = 0, diverged = 0;
    for (const struct dl_thread *t = p.threads; t; t = t->next) {
        threads++;
        if (t->result != RESULT_OK)
            errors++;
        else if (t->digest != ls.history[t->last_epoch])
            diverged++;
    }
    int status = errors ? RUN_PROTOCOL : diverged ? RUN_DIVERGED : RUN_OK;
    if (!cfg->quiet) {
        fprintf(out, "scenario    %s (seed %llu, variant %s)\n", scn->name,
                (unsigned long long)cfg->seed, variant_table[cfg->variant].name);
        fprintf(out, "groups      %d initial, %d in all\n", cfg->groups, threads);
        fprintf(out,
                "epochs      %lld: LoadModules %lld, ResolveFunction %lld, "
                "AllocateFunctionTable %lld\n",
                (long long)ls.epoch, (long long)ls.epochs_by_kind[OP_LOAD_MODULES],
                (long long)ls.epochs_by_kind[OP_RESOLVE_FUNCTION],
                (long long)ls.epochs_by_kind[OP_ALLOCATE_FUNCTION_TABLE]);
        fprintf(out, "table       %lld slots, %d modules loaded\n", (long long)ls.table_size,
                ls.nloaded);
        fprintf(out, "checkpoints %d\n", atomic_load(&p.snapshots));
        int64_t rv = atomic_load(&p.rendezvous);
        fprintf(out, "rendezvous  %lld epochs with followers", (long long)rv);
        if (cfg->sched == SCHED_OS) /* controlled, the OS time is the scheduler's */
            fprintf(out, ", mean %.1f us (instigator entry to lease release)",
                    rv ? (double)atomic_load(&p.rendezvous_ns) / (double)rv / 1e3 : 0.0);
        fputc('\n', out);
        if (errors || diverged)
            fprintf(out, "agreement   %d group(s) failed a replay, %d diverged\n", errors,
                    diverged);
        else
            fprintf(out, "agreement   every group agrees (%d groups)\n", threads);
        if (cfg->sched == SCHED_CONTROLLED)
            print_schedule_line(out, cfg);
        fprintf(out, "outcome     %s (exit %d)\n",
                status == RUN_OK         ? "ok"
                : status == RUN_DIVERGED ? "diverged"
                                         : "protocol error",
                status);
        fprintf(out, "time        %.1f ms\n", ms);
        fflush(out);
    }
    close_run(&p, cfg, status, SCHED_DONE, NULL);
    fault_set_handler(NULL);
    fault_set_delay_handler(NULL);
    current = NULL;
    current_cfg = NULL;
    process_destroy(&p);
    linker_destroy(&ls);
    return status;
}
