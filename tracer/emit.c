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
#include <assert.h>
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

/* Counts events of threads that never attached.  Always in the registry. */
static struct ev_thread fallback = {.group = -1};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ev_thread *reg_head = &fallback; /* guarded by reg_lock */

static _Thread_local struct ev_thread *self;

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
#define DLSYNC_EV_ON(KIND, name, class, s_field, s2_field)                                         \
    case EV_##KIND:                                                                                \
        return lttng_ust_tracepoint_enabled(dlsync, name);
        DLSYNC_EVENTS(DLSYNC_EV_ON)
#undef DLSYNC_EV_ON
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
    assert(counts != NULL);
    ev_emit_to_sinks(EV_RUN_END, &(struct ev){.how = status, .counts = counts});
}

/* Contract (a sink is on): records the event if its tracepoint is enabled,
 * then counts it (in that order, so that a run cut short by _exit() never carries a count
 * for an event that is missing from the trace).  e == NULL means all fields
 * zero.  kind == EV_RUN_END emits run_end with status e->how and the counts
 * e->counts, or, when e->counts is NULL, the current ev_counts_sum().
 * Out-of-range kinds are ignored.  Takes no lock, except for EV_RUN_END
 * without counts (reg_lock, via ev_counts_sum). */
void ev_emit_to_sinks(enum ev_kind kind, const struct ev *e)
{
    static const struct ev zero;
    struct ev_thread *t = self;
    int64_t group = t != NULL ? t->group : -1;
    uint64_t n[EV_KIND_COUNT];
    struct ev with_counts;

    if (e == NULL)
        e = &zero;
    if (kind == EV_RUN_END && e->counts == NULL) {
        ev_counts_sum(n);
        with_counts = *e;
        with_counts.counts = n;
        e = &with_counts;
    }
    switch (kind) {
#define DLSYNC_EV_EMIT(KIND, name, class, s_field, s2_field)                                       \
    case EV_##KIND:                                                                                \
        lttng_ust_tracepoint(dlsync, name, group, e);                                              \
        break;
        DLSYNC_EVENTS(DLSYNC_EV_EMIT)
#undef DLSYNC_EV_EMIT
    case EV_KIND_COUNT:
    default:
        return;
    }
    count(t, kind);
    if (atomic_load_explicit(&log_file, memory_order_relaxed))
        log_event(kind, group, e);
}

#endif /* DLSYNC_NO_TRACE */
