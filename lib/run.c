/*
 * run.c — run orchestration, watchdog and outcome (see run.h).
 *
 * Locks: the process mutex, taken raw (untraced) by the orchestrating
 * thread to wait for the end of the run and to read the thread list.
 */
#include "lib/run.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/linker.h"
#include "lib/process.h"
#include "lib/scenario.h"
#include "lib/spawn.h"
#include "lib/thread.h"
#include "lib/variant.h"
#include "tracer/events.h"

static struct process *current; /* the run in progress, for run_fatal */
static atomic_int ending;       /* set once by whoever ends the run early */

/* One line: where thread t is. */
static void describe(FILE *out, const struct dl_thread *t, struct position_view v, int64_t now)
{
    double secs = (double)(now - v.since_ns) / 1e9;
    fprintf(out, "  %s (%s): ", t->name, ev_role_name(t->role));
    switch (v.kind) {
    case POS_LOCK:
        fprintf(out, "blocked in %s(%s)", ev_lock_call_name(v.obj, v.mode), ev_object_name(v.obj));
        break;
    case POS_RETRY:
        fprintf(out, "retrying try-%s(%s) with backoff", v.obj == OBJ_LEASE ? "lease" : "write",
                ev_object_name(v.obj));
        break;
    case POS_BUS:
        fprintf(out, "blocked in receive(%s)", ev_object_name(v.obj));
        break;
    case POS_BARRIER:
        fprintf(out, "waiting at the barrier, epoch %lld phase %lld (%lld parties)",
                (long long)v.epoch, (long long)v.phase, (long long)v.arg);
        break;
    case POS_CHILD:
        fprintf(out, "waiting for child group-%lld to finalise", (long long)v.arg);
        break;
    case POS_CHECKPOINT:
        fprintf(out, "frozen at a checkpoint");
        break;
    case POS_SLEEP:
        fprintf(out, "sleeping (%lld ms, not woken)", (long long)v.arg);
        break;
    case POS_GUEST_WAIT:
        fprintf(out, "in a guest wait (%lld ms, not interrupted)", (long long)v.arg);
        break;
    default:
        fprintf(out, "running");
        fputc('\n', out);
        return;
    }
    fprintf(out, " for %.2f s\n", secs);
}

/* Halt every protocol thread and wait, bounded, until no counter moves;
 * then emit run_end with the counts. */
static void halt_and_close(struct process *p, int status)
{
    process_halt(p);
    uint64_t a[EV_KIND_COUNT], b[EV_KIND_COUNT];
    ev_counts_sum(a);
    for (int i = 0; i < 50; i++) {
        sleep_us(20000);
        ev_counts_sum(b);
        if (memcmp(a, b, sizeof a) == 0)
            break;
        memcpy(a, b, sizeof a);
    }
    ev_emit_run_end(status, a);
}

_Noreturn void run_fatal(const char *msg)
{
    struct dl_thread *self = thread_self();
    if (atomic_exchange(&ending, 1)) /* someone else is ending the run */
        process_park_if_halted(current);
    fprintf(stderr, "dlsync: protocol error in %s: %s\n", self ? self->name : "?", msg);
    fflush(stderr);
    halt_and_close(current, RUN_PROTOCOL);
    fflush(stdout);
    _exit(RUN_PROTOCOL);
}

static void hang_report(struct process *p, double timeout)
{
    int64_t now = now_ns();
    struct linker *ls = p->linker;
    fprintf(stderr, "dlsync: hang: no progress for %.1f s; where each thread is:\n", timeout);
    pthread_mutex_lock(&p->mu.mu);
    for (const struct dl_thread *t = p->threads; t; t = t->next)
        if (t->live)
            describe(stderr, t, position_read(&t->pos), now);
    pthread_mutex_unlock(&p->mu.mu);
    int writer = atomic_load(&ls->lock.writer);
    fprintf(stderr, "  lease: %s", lease_holder(&ls->lease) >= 0 ? "held by " : "free");
    if (lease_holder(&ls->lease) >= 0)
        fprintf(stderr, "group-%d", lease_holder(&ls->lease));
    fprintf(stderr, "; state lock: ");
    if (writer >= 0)
        fprintf(stderr, "write by group-%d", writer);
    else
        fprintf(stderr, "%d reader(s)", atomic_load(&ls->lock.readers));
    fprintf(stderr, "; pending flag: %s; rx_count: %d\n",
            atomic_load(&ls->pending.v) ? "set" : "clear", bus_rx_count(&ls->op_bus));
    fflush(stderr);
}

/* Is some live thread in a protocol wait?  (mu held) */
static int someone_waits(struct process *p)
{
    for (const struct dl_thread *t = p->threads; t; t = t->next)
        if (t->live && position_is_protocol_wait(position_read(&t->pos).kind))
            return 1;
    return 0;
}

/* Wait for the end of the run; returns 0, or -1 when the watchdog fired. */
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

int run_execute(const struct run_config *cfg, FILE *out)
{
    const struct scenario *scn = cfg->scn;
    struct linker ls;
    struct process p;
    variant_select(cfg->variant);
    linker_init(&ls, scn);
    process_init(&p, &ls, scn, cfg->ops, cfg->seed, RUN_MAX_THREADS);
    current = &p;
    ev_emit(EV_RUN_BEGIN, &(struct ev){.a = (int64_t)cfg->seed,
                                       .b = cfg->groups,
                                       .s = scn->name,
                                       .s2 = variant_table[cfg->variant].name});
    int64_t t0 = now_ns();
    if (spawn_main(&p, cfg->groups) != 0) {
        fprintf(stderr, "dlsync: cannot start the main group's thread\n");
        return RUN_INTERNAL;
    }
    if (watch(&p, cfg->timeout) != 0) {
        if (atomic_exchange(&ending, 1)) /* a fatal error is ending the run */
            for (;;)
                sleep_us(1000000);
        hang_report(&p, cfg->timeout);
        halt_and_close(&p, RUN_HANG);
        fflush(stdout);
        _exit(RUN_HANG);
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
        fprintf(out,
                "rendezvous  %lld epochs with followers, mean %.1f us (instigator entry to "
                "lease release)\n",
                (long long)rv, rv ? (double)atomic_load(&p.rendezvous_ns) / (double)rv / 1e3 : 0.0);
        if (errors || diverged)
            fprintf(out, "agreement   %d group(s) failed a replay, %d diverged\n", errors,
                    diverged);
        else
            fprintf(out, "agreement   every group agrees (%d groups)\n", threads);
        fprintf(out, "outcome     %s (exit %d)\n",
                status == RUN_OK         ? "ok"
                : status == RUN_DIVERGED ? "diverged"
                                         : "protocol error",
                status);
        fprintf(out, "time        %.1f ms\n", ms);
    }
    uint64_t counts[EV_KIND_COUNT];
    ev_counts_sum(counts);
    ev_emit_run_end(status, counts);
    current = NULL;
    process_destroy(&p);
    linker_destroy(&ls);
    return status;
}
