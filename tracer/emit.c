/*
 * tracer/emit.c — the emitter: per-thread counters, the thread registry, and
 * the LTTng-UST call sites of the `dlsync` provider.
 *
 * Owns:
 *   - the thread-local pointer to the calling thread's struct ev_thread;
 *   - the registry of attached threads (a singly linked list headed by a
 *     static fallback entry, group -1, that counts events of threads which
 *     never attached);
 *   - the call sites (LTTNG_UST_TRACEPOINT_DEFINE with dynamic linkage: the
 *     probes live in libdlsync-tp.so, loaded only to record);
 *   - the sinks switch ev_sinks: until the provider is loaded or the event
 *     log is open, ev_emit (inline, events.h) returns after one load;
 *   - the event log (ev_log_open).
 *
 * Locks: reg_lock (a plain mutex) guards the registry list only; it is taken
 * by ev_thread_attach, ev_counts_sum and ev_registry_reset, never on the emit
 * path and never while calling into LTTng.  log_lock keeps the log's lines
 * whole and in order; taken only while the log is open.  Counters need no lock: an attached
 * thread's counters are written only by that thread (relaxed load + relaxed
 * store), the fallback's counters by any unattached thread (relaxed
 * fetch_add); everyone reads them with relaxed loads.
 *
 * With -DDLSYNC_NO_TRACE (make TRACE=0) events.h turns ev_on/ev_emit/
 * ev_emit_run_end into inline no-ops and this file keeps only the registry.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "tracer/events.h"

#ifndef DLSYNC_NO_TRACE
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "tracer/tp.h"
#endif

static const char *const kind_names[EV_KIND_COUNT] = {
    [EV_RUN_BEGIN] = "run_begin",
    [EV_RUN_END] = "run_end",
    [EV_THREAD_START] = "thread_start",
    [EV_THREAD_EXIT] = "thread_exit",
    [EV_ACTION_BEGIN] = "action_begin",
    [EV_ACTION_END] = "action_end",
    [EV_LOCK_ATTEMPT] = "lock_attempt",
    [EV_LOCK_ACQUIRED] = "lock_acquired",
    [EV_LOCK_BUSY] = "lock_busy",
    [EV_LOCK_RELEASED] = "lock_released",
    [EV_LEASE_HANDOVER] = "lease_handover",
    [EV_BUS_BROADCAST] = "bus_broadcast",
    [EV_BUS_RECV_BEGIN] = "bus_recv_begin",
    [EV_BUS_RECV_END] = "bus_recv_end",
    [EV_BARRIER_ARRIVE] = "barrier_arrive",
    [EV_BARRIER_DEPART] = "barrier_depart",
    [EV_FLAG_SET] = "flag_set",
    [EV_FLAG_CLEAR] = "flag_clear",
    [EV_FLAG_LOAD] = "flag_load",
    [EV_WAKEUP_SENT] = "wakeup_sent",
    [EV_WAKEUP_RECEIVED] = "wakeup_received",
    [EV_BACKOFF] = "backoff",
    [EV_OP_BEGIN] = "op_begin",
    [EV_OP_END] = "op_end",
    [EV_REPLAY_BEGIN] = "replay_begin",
    [EV_REPLAY_END] = "replay_end",
    [EV_SYSCALL_ENTRY] = "syscall_entry",
    [EV_GROUP_SUBSCRIBE] = "group_subscribe",
    [EV_GROUP_UNSUBSCRIBE] = "group_unsubscribe",
    [EV_WAIT_BEGIN] = "wait_begin",
    [EV_WAIT_END] = "wait_end",
    [EV_CHECKPOINT_REQUEST] = "checkpoint_request",
    [EV_CHECKPOINT_FREEZE] = "checkpoint_freeze",
    [EV_CHECKPOINT_SNAPSHOT] = "checkpoint_snapshot",
    [EV_CHECKPOINT_RESUME] = "checkpoint_resume",
    [EV_SCHEDULE] = "schedule",
};

/* Counts events of threads that never attached.  Always in the registry. */
static struct ev_thread fallback = {.group = -1};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ev_thread *reg_head = &fallback; /* guarded by reg_lock */

static _Thread_local struct ev_thread *self;

const char *ev_kind_name(enum ev_kind kind)
{
    if ((unsigned)kind >= EV_KIND_COUNT || kind_names[kind] == NULL)
        return "unknown";
    return kind_names[kind];
}

/* Contract: t is zero-initialised (or holds counts the caller wants kept) and
 * has .group set; it stays valid until ev_registry_reset() or the end of the
 * process.  Attaching the same t again (from any thread) does not add it to
 * the registry twice.  t == NULL detaches the calling thread: its later
 * events go to the fallback entry.  Takes reg_lock. */
void ev_thread_attach(struct ev_thread *t)
{
    self = t;
    if (t == NULL)
        return;
    pthread_mutex_lock(&reg_lock);
    struct ev_thread *p = reg_head;
    while (p != NULL && p != t)
        p = p->next;
    if (p == NULL) {
        t->next = reg_head;
        reg_head = t;
    }
    pthread_mutex_unlock(&reg_lock);
}

struct ev_thread *ev_thread_self(void)
{
    return self;
}

/* Contract: out[k] = sum over registered threads of counts[k], each read with
 * a relaxed load; a thread emitting concurrently may or may not be included.
 * Takes reg_lock. */
void ev_counts_sum(uint64_t out[EV_KIND_COUNT])
{
    memset(out, 0, sizeof(uint64_t) * EV_KIND_COUNT);
    pthread_mutex_lock(&reg_lock);
    for (struct ev_thread *t = reg_head; t != NULL; t = t->next)
        for (int k = 0; k < EV_KIND_COUNT; k++)
            out[k] += atomic_load_explicit(&t->counts[k], memory_order_relaxed);
    pthread_mutex_unlock(&reg_lock);
}

/* Contract: afterwards the registry holds only the fallback entry, with its
 * counters at zero, and the calling thread is detached.  Never touches the
 * forgotten structs (they may already be freed).  Call it when no other
 * thread emits: other threads that are still attached keep counting into
 * their own structs, which are no longer summed.  Takes reg_lock. */
void ev_registry_reset(void)
{
    self = NULL;
    pthread_mutex_lock(&reg_lock);
    for (int k = 0; k < EV_KIND_COUNT; k++)
        atomic_store_explicit(&fallback.counts[k], 0, memory_order_relaxed);
    fallback.next = NULL;
    reg_head = &fallback;
    pthread_mutex_unlock(&reg_lock);
}

#ifdef DLSYNC_NO_TRACE

void ev_log_open(FILE *f)
{
    (void)f;
}

void ev_log_close(void)
{
}

#else

/* The event log (ev_log_open): the file, and the mutex that keeps its lines
 * whole and in emission order. */
static FILE *_Atomic log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

_Atomic int ev_sinks;
static _Atomic int probe_loaded;

void ev_sink_probe_loaded(void)
{
    atomic_store(&probe_loaded, 1);
    atomic_store(&ev_sinks, 1);
}

void ev_log_open(FILE *f)
{
    atomic_store(&log_file, f);
    atomic_store(&ev_sinks, 1);
}

void ev_log_close(void)
{
    pthread_mutex_lock(&log_lock);
    FILE *f = atomic_exchange(&log_file, NULL);
    if (f)
        fflush(f);
    atomic_store(&ev_sinks, atomic_load(&probe_loaded));
    pthread_mutex_unlock(&log_lock);
}

static void log_event(int kind, int64_t group, const struct ev *e)
{
    char line[1200];
    pthread_mutex_lock(&log_lock);
    FILE *f = atomic_load(&log_file);
    if (f)
        fprintf(f, "%s\n", ev_format(line, sizeof line, kind, group, e));
    pthread_mutex_unlock(&log_lock);
}

/* Add one to the calling thread's counter for kind. */
static void count(struct ev_thread *t, enum ev_kind kind)
{
    if (t == NULL) {
        atomic_fetch_add_explicit(&fallback.counts[kind], 1, memory_order_relaxed);
        return;
    }
    uint64_t n = atomic_load_explicit(&t->counts[kind], memory_order_relaxed);
    atomic_store_explicit(&t->counts[kind], n + 1, memory_order_relaxed);
}

int ev_on(enum ev_kind kind)
{
    if (atomic_load_explicit(&log_file, memory_order_relaxed))
        return 1;
    switch (kind) {
    case EV_RUN_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, run_begin);
    case EV_RUN_END:
        return lttng_ust_tracepoint_enabled(dlsync, run_end);
    case EV_THREAD_START:
        return lttng_ust_tracepoint_enabled(dlsync, thread_start);
    case EV_THREAD_EXIT:
        return lttng_ust_tracepoint_enabled(dlsync, thread_exit);
    case EV_ACTION_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, action_begin);
    case EV_ACTION_END:
        return lttng_ust_tracepoint_enabled(dlsync, action_end);
    case EV_LOCK_ATTEMPT:
        return lttng_ust_tracepoint_enabled(dlsync, lock_attempt);
    case EV_LOCK_ACQUIRED:
        return lttng_ust_tracepoint_enabled(dlsync, lock_acquired);
    case EV_LOCK_BUSY:
        return lttng_ust_tracepoint_enabled(dlsync, lock_busy);
    case EV_LOCK_RELEASED:
        return lttng_ust_tracepoint_enabled(dlsync, lock_released);
    case EV_LEASE_HANDOVER:
        return lttng_ust_tracepoint_enabled(dlsync, lease_handover);
    case EV_BUS_BROADCAST:
        return lttng_ust_tracepoint_enabled(dlsync, bus_broadcast);
    case EV_BUS_RECV_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, bus_recv_begin);
    case EV_BUS_RECV_END:
        return lttng_ust_tracepoint_enabled(dlsync, bus_recv_end);
    case EV_BARRIER_ARRIVE:
        return lttng_ust_tracepoint_enabled(dlsync, barrier_arrive);
    case EV_BARRIER_DEPART:
        return lttng_ust_tracepoint_enabled(dlsync, barrier_depart);
    case EV_FLAG_SET:
        return lttng_ust_tracepoint_enabled(dlsync, flag_set);
    case EV_FLAG_CLEAR:
        return lttng_ust_tracepoint_enabled(dlsync, flag_clear);
    case EV_FLAG_LOAD:
        return lttng_ust_tracepoint_enabled(dlsync, flag_load);
    case EV_WAKEUP_SENT:
        return lttng_ust_tracepoint_enabled(dlsync, wakeup_sent);
    case EV_WAKEUP_RECEIVED:
        return lttng_ust_tracepoint_enabled(dlsync, wakeup_received);
    case EV_BACKOFF:
        return lttng_ust_tracepoint_enabled(dlsync, backoff);
    case EV_OP_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, op_begin);
    case EV_OP_END:
        return lttng_ust_tracepoint_enabled(dlsync, op_end);
    case EV_REPLAY_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, replay_begin);
    case EV_REPLAY_END:
        return lttng_ust_tracepoint_enabled(dlsync, replay_end);
    case EV_SYSCALL_ENTRY:
        return lttng_ust_tracepoint_enabled(dlsync, syscall_entry);
    case EV_GROUP_SUBSCRIBE:
        return lttng_ust_tracepoint_enabled(dlsync, group_subscribe);
    case EV_GROUP_UNSUBSCRIBE:
        return lttng_ust_tracepoint_enabled(dlsync, group_unsubscribe);
    case EV_WAIT_BEGIN:
        return lttng_ust_tracepoint_enabled(dlsync, wait_begin);
    case EV_WAIT_END:
        return lttng_ust_tracepoint_enabled(dlsync, wait_end);
    case EV_CHECKPOINT_REQUEST:
        return lttng_ust_tracepoint_enabled(dlsync, checkpoint_request);
    case EV_CHECKPOINT_FREEZE:
        return lttng_ust_tracepoint_enabled(dlsync, checkpoint_freeze);
    case EV_CHECKPOINT_SNAPSHOT:
        return lttng_ust_tracepoint_enabled(dlsync, checkpoint_snapshot);
    case EV_CHECKPOINT_RESUME:
        return lttng_ust_tracepoint_enabled(dlsync, checkpoint_resume);
    case EV_SCHEDULE:
        return lttng_ust_tracepoint_enabled(dlsync, schedule);
    case EV_KIND_COUNT:
        break;
    }
    return 0;
}

/* Contract: emits run_end with the given counts (the caller's snapshot, which
 * should not include run_end), then counts one run_end for the caller.
 * Usable from any thread, attached or not. */
void ev_emit_run_end(int64_t status, const uint64_t counts[EV_KIND_COUNT])
{
    struct ev_thread *t = self;
    int64_t group = t != NULL ? t->group : -1;

    lttng_ust_tracepoint(dlsync, run_end, group, status, counts);
    count(t, EV_RUN_END);
    if (atomic_load_explicit(&log_file, memory_order_relaxed))
        log_event(EV_RUN_END, group, &(struct ev){.how = status});
}

/* Contract (a sink is on): records the event if its tracepoint is enabled,
 * then counts it (in that order, so that a run cut short by _exit() never carries a count
 * for an event that is missing from the trace).  e == NULL means all fields
 * zero.  kind == EV_RUN_END is accepted: it emits run_end with status e->how
 * and the current ev_counts_sum().  Out-of-range kinds are ignored.  Takes no
 * lock, except for EV_RUN_END (reg_lock, via ev_counts_sum). */
void ev_emit_to_sinks(enum ev_kind kind, const struct ev *e)
{
    static const struct ev zero;
    struct ev_thread *t = self;
    int64_t group = t != NULL ? t->group : -1;

    if (e == NULL)
        e = &zero;
    switch (kind) {
    case EV_RUN_BEGIN:
        lttng_ust_tracepoint(dlsync, run_begin, group, e);
        break;
    case EV_RUN_END: {
        uint64_t n[EV_KIND_COUNT];
        ev_counts_sum(n);
        ev_emit_run_end(e->how, n);
        return;
    }
    case EV_THREAD_START:
        lttng_ust_tracepoint(dlsync, thread_start, group, e);
        break;
    case EV_THREAD_EXIT:
        lttng_ust_tracepoint(dlsync, thread_exit, group, e);
        break;
    case EV_ACTION_BEGIN:
        lttng_ust_tracepoint(dlsync, action_begin, group, e);
        break;
    case EV_ACTION_END:
        lttng_ust_tracepoint(dlsync, action_end, group, e);
        break;
    case EV_LOCK_ATTEMPT:
        lttng_ust_tracepoint(dlsync, lock_attempt, group, e);
        break;
    case EV_LOCK_ACQUIRED:
        lttng_ust_tracepoint(dlsync, lock_acquired, group, e);
        break;
    case EV_LOCK_BUSY:
        lttng_ust_tracepoint(dlsync, lock_busy, group, e);
        break;
    case EV_LOCK_RELEASED:
        lttng_ust_tracepoint(dlsync, lock_released, group, e);
        break;
    case EV_LEASE_HANDOVER:
        lttng_ust_tracepoint(dlsync, lease_handover, group, e);
        break;
    case EV_BUS_BROADCAST:
        lttng_ust_tracepoint(dlsync, bus_broadcast, group, e);
        break;
    case EV_BUS_RECV_BEGIN:
        lttng_ust_tracepoint(dlsync, bus_recv_begin, group, e);
        break;
    case EV_BUS_RECV_END:
        lttng_ust_tracepoint(dlsync, bus_recv_end, group, e);
        break;
    case EV_BARRIER_ARRIVE:
        lttng_ust_tracepoint(dlsync, barrier_arrive, group, e);
        break;
    case EV_BARRIER_DEPART:
        lttng_ust_tracepoint(dlsync, barrier_depart, group, e);
        break;
    case EV_FLAG_SET:
        lttng_ust_tracepoint(dlsync, flag_set, group, e);
        break;
    case EV_FLAG_CLEAR:
        lttng_ust_tracepoint(dlsync, flag_clear, group, e);
        break;
    case EV_FLAG_LOAD:
        lttng_ust_tracepoint(dlsync, flag_load, group, e);
        break;
    case EV_WAKEUP_SENT:
        lttng_ust_tracepoint(dlsync, wakeup_sent, group, e);
        break;
    case EV_WAKEUP_RECEIVED:
        lttng_ust_tracepoint(dlsync, wakeup_received, group, e);
        break;
    case EV_BACKOFF:
        lttng_ust_tracepoint(dlsync, backoff, group, e);
        break;
    case EV_OP_BEGIN:
        lttng_ust_tracepoint(dlsync, op_begin, group, e);
        break;
    case EV_OP_END:
        lttng_ust_tracepoint(dlsync, op_end, group, e);
        break;
    case EV_REPLAY_BEGIN:
        lttng_ust_tracepoint(dlsync, replay_begin, group, e);
        break;
    case EV_REPLAY_END:
        lttng_ust_tracepoint(dlsync, replay_end, group, e);
        break;
    case EV_SYSCALL_ENTRY:
        lttng_ust_tracepoint(dlsync, syscall_entry, group, e);
        break;
    case EV_GROUP_SUBSCRIBE:
        lttng_ust_tracepoint(dlsync, group_subscribe, group, e);
        break;
    case EV_GROUP_UNSUBSCRIBE:
        lttng_ust_tracepoint(dlsync, group_unsubscribe, group, e);
        break;
    case EV_WAIT_BEGIN:
        lttng_ust_tracepoint(dlsync, wait_begin, group, e);
        break;
    case EV_WAIT_END:
        lttng_ust_tracepoint(dlsync, wait_end, group, e);
        break;
    case EV_CHECKPOINT_REQUEST:
        lttng_ust_tracepoint(dlsync, checkpoint_request, group, e);
        break;
    case EV_CHECKPOINT_FREEZE:
        lttng_ust_tracepoint(dlsync, checkpoint_freeze, group, e);
        break;
    case EV_CHECKPOINT_SNAPSHOT:
        lttng_ust_tracepoint(dlsync, checkpoint_snapshot, group, e);
        break;
    case EV_CHECKPOINT_RESUME:
        lttng_ust_tracepoint(dlsync, checkpoint_resume, group, e);
        break;
    case EV_SCHEDULE:
        lttng_ust_tracepoint(dlsync, schedule, group, e);
        break;
    case EV_KIND_COUNT:
    default:
        return;
    }
    count(t, kind);
    if (atomic_load_explicit(&log_file, memory_order_relaxed))
        log_event(kind, group, e);
}

#endif /* DLSYNC_NO_TRACE */
