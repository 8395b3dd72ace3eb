/*
 * tracer/tp.h — the LTTng-UST tracepoint provider `dlsync`.
 *
 * Owns: the on-disk (CTF) shape of every dlsync event: the tracepoint
 * classes (the names and types of the fields) and, expanded from the one
 * list of kinds (tracer/catalogue.h), one tracepoint per enum ev_kind, named
 * as ev_kind_name() returns, and run_end's count fields.  Every tracepoint
 * takes the same arguments (group, const struct ev *).  Takes no locks of
 * its own (LTTng-UST's probe code is lock-free on the fast path).
 *
 * This header is read three ways, as LTTng-UST requires:
 *   - by tracer/tp.c with LTTNG_UST_TRACEPOINT_CREATE_PROBES: that builds the
 *     probe code, which lives only in the shared object libdlsync-tp.so;
 *   - by tracer/emit.c with LTTNG_UST_TRACEPOINT_DEFINE and
 *     LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE: that defines the call sites
 *     in bin/dlsync, which stay disabled until libdlsync-tp.so is dlopen()ed
 *     (tracer/probe.c) and a session enables them;
 *   - by LTTng's own tracepoint-event.h, several times over (the
 *     LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ dance below).
 * Nothing else should include it: lib/ calls ev_emit() from events.h.
 *
 * The catalogue names each kind's class (docs/events.md has the per-kind
 * meaning):
 *   - every event except run_end carries the nine int64 fields
 *     group obj mode how epoch phase lease a b   (class `ints`);
 *   - thread_start, op_begin and schedule add the string `name` (class
 *     `named`; for schedule, one part of the schedule string);
 *   - action_begin adds the string `arg` (class `action`);
 *   - run_begin (class `run_begin`) adds `scenario`, `variant` (strings)
 *     and `seed`, `groups`, `ops`, `sched`, `strategy`, `pct_depth` (int64
 *     copies of a, b, epoch, mode, how and phase, for readers who go by
 *     name);
 *   - an empty or missing string is recorded as "-" (ev_trace_str): Debian's
 *     babeltrace2 decodes a zero-length string as the previous event's
 *     string; the replay reads "-" back as "".
 *   - run_end (class `run_end`) carries `group`, `status` (e->how) and one
 *     uint64 field `n_<kind>` (e->counts) per kind other than run_end itself,
 *     in catalogue order (n_run_begin, n_thread_start, ..., n_schedule): the
 *     number of events of that kind the run emitted before run_end.  Named fields were chosen over
 * an array so that babeltrace2's text output reads `n_lock_attempt = 12` and the libbabeltrace2 C
 * API finds a count with bt_field_structure_borrow_member_field_by_name_const(payload,
 *     "n_lock_attempt"), without knowing the enum order.
 */
/* clang-format off: the LTTng field lists below are not C expressions. */
// clang-format off
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER dlsync

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "tracer/tp.h"

#if !defined(DLSYNC_TRACER_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define DLSYNC_TRACER_TP_H

#include <stdint.h>

#include <lttng/tracepoint.h>

#include "tracer/events.h"

/* The nine shared integer fields.  Arguments: the emitting thread's group
 * (-1 when it never attached) and the event. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(
    dlsync, ints, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, obj, e->obj)
        lttng_ust_field_integer(int64_t, mode, e->mode)
        lttng_ust_field_integer(int64_t, how, e->how)
        lttng_ust_field_integer(int64_t, epoch, e->epoch)
        lttng_ust_field_integer(int64_t, phase, e->phase)
        lttng_ust_field_integer(int64_t, lease, e->lease)
        lttng_ust_field_integer(int64_t, a, e->a)
        lttng_ust_field_integer(int64_t, b, e->b)))

/* The shared integer fields plus `name` (from e->s). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(
    dlsync, named, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, obj, e->obj)
        lttng_ust_field_integer(int64_t, mode, e->mode)
        lttng_ust_field_integer(int64_t, how, e->how)
        lttng_ust_field_integer(int64_t, epoch, e->epoch)
        lttng_ust_field_integer(int64_t, phase, e->phase)
        lttng_ust_field_integer(int64_t, lease, e->lease)
        lttng_ust_field_integer(int64_t, a, e->a)
        lttng_ust_field_integer(int64_t, b, e->b)
        lttng_ust_field_string(name, ev_trace_str(e->s))))

/* action_begin: the shared integer fields plus `arg` (from e->s). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(
    dlsync, action, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, obj, e->obj)
        lttng_ust_field_integer(int64_t, mode, e->mode)
        lttng_ust_field_integer(int64_t, how, e->how)
        lttng_ust_field_integer(int64_t, epoch, e->epoch)
        lttng_ust_field_integer(int64_t, phase, e->phase)
        lttng_ust_field_integer(int64_t, lease, e->lease)
        lttng_ust_field_integer(int64_t, a, e->a)
        lttng_ust_field_integer(int64_t, b, e->b)
        lttng_ust_field_string(arg, ev_trace_str(e->s))))

/* run_begin: the shared integer fields plus how the run was made. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(
    dlsync, run_begin, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, obj, e->obj)
        lttng_ust_field_integer(int64_t, mode, e->mode)
        lttng_ust_field_integer(int64_t, how, e->how)
        lttng_ust_field_integer(int64_t, epoch, e->epoch)
        lttng_ust_field_integer(int64_t, phase, e->phase)
        lttng_ust_field_integer(int64_t, lease, e->lease)
        lttng_ust_field_integer(int64_t, a, e->a)
        lttng_ust_field_integer(int64_t, b, e->b)
        lttng_ust_field_string(scenario, ev_trace_str(e->s))
        lttng_ust_field_string(variant, ev_trace_str(e->s2))
        lttng_ust_field_integer(int64_t, seed, e->a)
        lttng_ust_field_integer(int64_t, groups, e->b)
        lttng_ust_field_integer(int64_t, ops, e->epoch)
        lttng_ust_field_integer(int64_t, sched, e->mode)
        lttng_ust_field_integer(int64_t, strategy, e->how)
        lttng_ust_field_integer(int64_t, pct_depth, e->phase)))

/* run_end's count of one kind, n_<kind> from e->counts: every kind but
 * run_end itself, in catalogue order (the class picks the row). */
#undef DLSYNC_TP_COUNT
#undef DLSYNC_TP_COUNT_ints
#undef DLSYNC_TP_COUNT_named
#undef DLSYNC_TP_COUNT_action
#undef DLSYNC_TP_COUNT_run_begin
#undef DLSYNC_TP_COUNT_run_end
#define DLSYNC_TP_COUNT(KIND, name, class, s_field, s2_field) DLSYNC_TP_COUNT_##class(KIND, name)
#define DLSYNC_TP_COUNT_ints(KIND, name) lttng_ust_field_integer(uint64_t, n_##name, e->counts[EV_##KIND])
#define DLSYNC_TP_COUNT_named(KIND, name) DLSYNC_TP_COUNT_ints(KIND, name)
#define DLSYNC_TP_COUNT_action(KIND, name) DLSYNC_TP_COUNT_ints(KIND, name)
#define DLSYNC_TP_COUNT_run_begin(KIND, name) DLSYNC_TP_COUNT_ints(KIND, name)
#define DLSYNC_TP_COUNT_run_end(KIND, name)

/* run_end: exit status (e->how) and the count of every other kind, by name. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(
    dlsync, run_end, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, status, e->how)
        DLSYNC_EVENTS(DLSYNC_TP_COUNT)))

/* One tracepoint per kind, in catalogue order: dlsync:<name> of its class. */
#undef DLSYNC_TP_INSTANCE
#define DLSYNC_TP_INSTANCE(KIND, name, class, s_field, s2_field)                                   \
    LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, class, dlsync, name,                               \
                                        LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
DLSYNC_EVENTS(DLSYNC_TP_INSTANCE)

#endif /* DLSYNC_TRACER_TP_H */
// clang-format on

#include <lttng/tracepoint-event.h>
