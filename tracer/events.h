/*
 * events.h — protocol events and the one call that emits them.
 *
 * Owns: enum ev_kind (made from the one list of kinds, tracer/catalogue.h,
 * one per LTTng-UST tracepoint of the `dlsync` provider), the object ids and
 * the field vocabulary every event shares, and the per-thread counters that
 * let a run report how many events of each kind it emitted.  Takes no locks: counters are
 * per-thread atomics written only by their own thread (relaxed store), read by anyone (relaxed
 * load).
 *
 * Every event has the same integer fields (see struct ev), so that a reader of
 * the trace pairs events without guessing: the emitting thread's group, the
 * object, the mode, how (try/blocking or an outcome), epoch and phase, lease id
 * and two event-specific arguments a and b.  Some kinds also carry strings
 * (op_begin, thread_start, action_begin, schedule: `s`; run_begin: `s` and
 * `s2`), and run_end carries the per-kind counts (`counts`).  docs/events.md describes every kind.
 *
 * The probe side lives in tracer/tp.c (LTTng) and is loaded only when a run is
 * recorded; building with -DDLSYNC_NO_TRACE compiles emission out entirely.
 */
#ifndef DLSYNC_EVENTS_H
#define DLSYNC_EVENTS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tracer/catalogue.h"

/* Event kinds: EV_RUN_BEGIN, EV_RUN_END, ..., in the order of the
 * catalogue (tracer/catalogue.h), which is part of the trace format. */
#define DLSYNC_EV_ENUM(KIND, name, class, s_field, s2_field) EV_##KIND,
enum ev_kind { DLSYNC_EVENTS(DLSYNC_EV_ENUM) EV_KIND_COUNT };
#undef DLSYNC_EV_ENUM

/* Characters of the schedule string per schedule event (fewer than the
 * replay keeps of a string, replay/ingest.c's STR_MAX). */
enum { EV_SCHEDULE_PART = 200 };

/* The enumerations of the fields.  The protocol's words for their values
 * ("state lock", "read", "worker", ...) are tracer/names.h's. */

/* Object ids (field obj).  A group mutex is OBJ_GROUP_MUTEX + group id. */
enum ev_object {
    OBJ_NONE = 0,
    OBJ_STATE_LOCK = 1,
    OBJ_LEASE = 2,
    OBJ_PROCESS_MUTEX = 3,
    OBJ_BARRIER_BUS = 4,
    OBJ_OPERATION_BUS = 5,
    OBJ_PENDING_FLAG = 6,
    OBJ_BARRIER = 7,
    OBJ_GROUP_MUTEX = 1000,
};

/* Field mode for lock events. */
enum ev_mode { MODE_NONE = 0, MODE_READ = 1, MODE_WRITE = 2, MODE_EXCLUSIVE = 3 };

/* Field how for lock events. */
enum ev_how { HOW_TRY = 0, HOW_BLOCKING = 1 };

/* Field how for bus_broadcast. */
enum ev_broadcast { BROADCAST_OK = 0, BROADCAST_FULL = 1 };

/* Field mode for flag_load. */
enum ev_ordering { ORDER_RELAXED = 0, ORDER_SEQ_CST = 1 };

/* Field how for syscall_entry. */
enum ev_path { PATH_FAST = 0, PATH_SLOW = 1, PATH_WOKEN = 2 };

/* Field phase for backoff. */
enum ev_backoff { BACKOFF_SPIN = 0, BACKOFF_YIELD = 1, BACKOFF_SLEEP = 2 };

/* Field mode for thread_start. */
enum ev_role { ROLE_MAIN = 0, ROLE_WORKER = 1, ROLE_DAEMON = 2 };

/* Field mode for op_begin/op_end/replay_begin/replay_end. */
enum ev_op { OP_LOAD_MODULES = 1, OP_RESOLVE_FUNCTION = 2, OP_ALLOCATE_FUNCTION_TABLE = 3 };

/* Field how for op_end/replay_end/thread_exit/action_end. */
enum ev_result { RESULT_OK = 0, RESULT_ERROR = 1 };

/* Field mode for wait_begin/wait_end and a for wakeup_received. */
enum ev_wait {
    WAIT_SLEEP = 1,      /* scripted sleep (poll): a wakeup interrupts it */
    WAIT_GUEST = 2,      /* guest wait (futex-like) */
    WAIT_CHILD = 3,      /* parent waits for a child to finalise; a=child group */
    WAIT_CHECKPOINT = 4, /* frozen on the process condition variable */
};

/* Field how for wait_end. */
enum ev_wait_result { WAITED_FULL = 0, WAITED_WOKEN = 1, WAITED_DONE = 2 };

/* Field mode for action_begin/action_end. */
enum ev_action {
    ACT_SYSCALL = 1,
    ACT_DLOPEN = 2,
    ACT_DLSYM = 3,
    ACT_CLOSURE_ALLOC = 4,
    ACT_CLOSURE_FREE = 5,
    ACT_SLEEP = 6,
    ACT_GUEST_WAIT = 7,
    ACT_SPAWN = 8,
    ACT_EXIT = 9,
    ACT_CHECKPOINT = 10,
};

/* The shared integer fields.  Fields an event does not use stay 0 (or -1 for
 * a, where documented). */
struct ev {
    int64_t obj;
    int64_t mode;
    int64_t how;
    int64_t epoch;
    int64_t phase;
    int64_t lease;
    int64_t a;
    int64_t b;
    const char *s;
    const char *s2;
    const uint64_t *counts; /* run_end only: EV_KIND_COUNT counts, by kind */
};

/* Per-thread state the emitter needs: the thread's group id and its counters.
 * Each protocol thread registers one (ev_thread_attach) before emitting. */
struct ev_thread {
    int64_t group;
    _Atomic uint64_t counts[EV_KIND_COUNT];
    struct ev_thread *next; /* registry link, see ev_registry_* */
};

/* A string field as the trace records it: "-" for NULL or "" (a
 * zero-length string would be read back as the previous event's). */
static inline const char *ev_trace_str(const char *s)
{
    return s && s[0] ? s : "-";
}

/* Name of a kind as it appears in the trace (without the `dlsync:` prefix),
 * or "unknown" for a number outside the catalogue (tracer/catalogue.c). */
const char *ev_kind_name(enum ev_kind kind);

/* The trace field that carries kind's e.s (which == 1) or e.s2 (which == 2):
 * "name", "arg", "scenario", "variant", or NULL when kind carries none or is
 * outside the catalogue (tracer/catalogue.h's s_field, s2_field). */
const char *ev_kind_string_field(int kind, int which);

/* Attach the calling thread to t (group id set by the caller).  Adds t to the
 * registry that ev_counts_sum() reads; t must stay alive until the run ends. */
void ev_thread_attach(struct ev_thread *t);

/* The calling thread's attachment, or NULL. */
struct ev_thread *ev_thread_self(void);

/* Sum every registered thread's counters into out[EV_KIND_COUNT]. */
void ev_counts_sum(uint64_t out[EV_KIND_COUNT]);

/* Forget every registered thread (between runs in one process, tests). */
void ev_registry_reset(void);

/* One event as a line of text, without its timestamp: the kind's name, the
 * emitting thread's group and every field ("lock_acquired g1 obj=1 mode=2
 * how=0 epoch=0 phase=0 lease=3 a=0 b=0"), then, for a kind whose trace
 * event carries a string, s in quotes ("" for NULL).  Two runs are the same run when their lines
 * are the same.  Writes at most n bytes (NUL included) to buf; returns buf. */
char *ev_format(char *buf, size_t n, int kind, int64_t group, const struct ev *e);

/* Does an event of kind carry a string (e.s) in the trace and in
 * ev_format's line?  run_begin, thread_start, action_begin, op_begin,
 * schedule: the kinds with an s_field (tracer/catalogue.c). */
int ev_kind_has_string(int kind);

/* The event log: while open, every event emitted is also written to f as
 * one ev_format line, in the order of emission (serialised by a mutex), and
 * ev_on() is true for every kind (so that arguments computed only for a
 * trace are computed for the log too).  Open it before the run's threads
 * start; ev_log_close flushes f (the caller closes it).  No-ops with
 * DLSYNC_NO_TRACE. */
void ev_log_open(FILE *f);
void ev_log_close(void);

#ifdef DLSYNC_NO_TRACE
static inline int ev_on(enum ev_kind kind)
{
    (void)kind;
    return 0;
}
static inline void ev_emit(enum ev_kind kind, const struct ev *e)
{
    (void)kind;
    (void)e;
}
static inline void ev_emit_run_end(int64_t status, const uint64_t counts[EV_KIND_COUNT])
{
    (void)status;
    (void)counts;
}
#else
/* Non-zero when the LTTng probe for kind is registered and enabled in some
 * session, or the event log is open.  Guard costly argument preparation
 * (digests) with it. */
int ev_on(enum ev_kind kind);

/* Non-zero while events go somewhere: the LTTng provider is loaded
 * (ev_sink_probe_loaded) or the event log is open.  Written before the
 * run's threads start and after they stop; read relaxed. */
extern _Atomic int ev_sinks;

/* The provider was loaded (tracer/probe.c): from now on events are counted
 * and handed to LTTng. */
void ev_sink_probe_loaded(void);

/* ev_emit's work when a sink is on: count the event, record it if its
 * tracepoint is enabled, log it if the log is open. */
void ev_emit_to_sinks(enum ev_kind kind, const struct ev *e);

/* Emit one event from the calling thread:
 *
 *     ev_emit(EV_LOCK_ATTEMPT, &(struct ev){.obj = OBJ_LEASE, .how = HOW_TRY});
 *
 * When no sink is on (a run that is neither recorded nor logged) it costs
 * one load and one predictable branch: the event is neither counted nor even
 * built.  A macro only so that the struct ev argument is evaluated inside
 * the branch (the compiler builds a compound literal passed to an inline
 * function before testing anything); its `...` is that argument, whose
 * commas the preprocessor would otherwise split. */
#define ev_emit(kind, ...)                                                                         \
    do {                                                                                           \
        if (__builtin_expect(atomic_load_explicit(&ev_sinks, memory_order_relaxed), 0))            \
            ev_emit_to_sinks((kind), __VA_ARGS__);                                                 \
    } while (0)

/* Emit run_end with the counts of every event emitted so far. */
void ev_emit_run_end(int64_t status, const uint64_t counts[EV_KIND_COUNT]);
#endif

#endif
