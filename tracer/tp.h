/*
 * tracer/tp.h — the LTTng-UST tracepoint provider `dlsync`.
 *
 * Owns: the on-disk (CTF) shape of every dlsync event: one tracepoint per
 * enum ev_kind, named as ev_kind_name() returns, and the names and types of
 * their fields.  Takes no locks of its own (LTTng-UST's probe code is
 * lock-free on the fast path).
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
 * Field layout (docs/events.md has the per-kind meaning):
 *   - every event except run_end carries the nine int64 fields
 *     group obj mode how epoch phase lease a b   (class `ints`);
 *   - thread_start, op_begin and schedule add the string `name` (class
 *     `named`; for schedule, one part of the schedule string);
 *   - action_begin adds the string `arg`;
 *   - run_begin adds `scenario`, `variant` (strings) and `seed`, `groups`,
 *     `ops`, `sched`, `strategy`, `pct_depth` (int64 copies of a, b, epoch,
 *     mode, how and phase, for readers who go by name);
 *   - an empty or missing string is recorded as "-" (ev_trace_str): Debian's
 *     babeltrace2 decodes a zero-length string as the previous event's
 *     string; the replay reads "-" back as "".
 *   - run_end carries `group`, `status` and one uint64 field `n_<kind>` per
 *     kind other than run_end itself (n_run_begin, n_thread_start, ...,
 *     n_checkpoint_resume): the number of events of that kind the run emitted
 *     before run_end.  Named fields were chosen over an array so that
 *     babeltrace2's text output reads `n_lock_attempt = 12` and the
 *     libbabeltrace2 C API finds a count with
 *     bt_field_structure_borrow_member_field_by_name_const(payload,
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
LTTNG_UST_TRACEPOINT_EVENT(
    dlsync, action_begin, LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e),
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
LTTNG_UST_TRACEPOINT_EVENT(
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

/* run_end: exit status and the count of every other kind, by name. */
LTTNG_UST_TRACEPOINT_EVENT(
    dlsync, run_end,
    LTTNG_UST_TP_ARGS(int64_t, group, int64_t, status, const uint64_t *, n),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, group, group)
        lttng_ust_field_integer(int64_t, status, status)
        lttng_ust_field_integer(uint64_t, n_run_begin, n[EV_RUN_BEGIN])
        lttng_ust_field_integer(uint64_t, n_thread_start, n[EV_THREAD_START])
        lttng_ust_field_integer(uint64_t, n_thread_exit, n[EV_THREAD_EXIT])
        lttng_ust_field_integer(uint64_t, n_action_begin, n[EV_ACTION_BEGIN])
        lttng_ust_field_integer(uint64_t, n_action_end, n[EV_ACTION_END])
        lttng_ust_field_integer(uint64_t, n_lock_attempt, n[EV_LOCK_ATTEMPT])
        lttng_ust_field_integer(uint64_t, n_lock_acquired, n[EV_LOCK_ACQUIRED])
        lttng_ust_field_integer(uint64_t, n_lock_busy, n[EV_LOCK_BUSY])
        lttng_ust_field_integer(uint64_t, n_lock_released, n[EV_LOCK_RELEASED])
        lttng_ust_field_integer(uint64_t, n_lease_handover, n[EV_LEASE_HANDOVER])
        lttng_ust_field_integer(uint64_t, n_bus_broadcast, n[EV_BUS_BROADCAST])
        lttng_ust_field_integer(uint64_t, n_bus_recv_begin, n[EV_BUS_RECV_BEGIN])
        lttng_ust_field_integer(uint64_t, n_bus_recv_end, n[EV_BUS_RECV_END])
        lttng_ust_field_integer(uint64_t, n_barrier_arrive, n[EV_BARRIER_ARRIVE])
        lttng_ust_field_integer(uint64_t, n_barrier_depart, n[EV_BARRIER_DEPART])
        lttng_ust_field_integer(uint64_t, n_flag_set, n[EV_FLAG_SET])
        lttng_ust_field_integer(uint64_t, n_flag_clear, n[EV_FLAG_CLEAR])
        lttng_ust_field_integer(uint64_t, n_flag_load, n[EV_FLAG_LOAD])
        lttng_ust_field_integer(uint64_t, n_wakeup_sent, n[EV_WAKEUP_SENT])
        lttng_ust_field_integer(uint64_t, n_wakeup_received, n[EV_WAKEUP_RECEIVED])
        lttng_ust_field_integer(uint64_t, n_backoff, n[EV_BACKOFF])
        lttng_ust_field_integer(uint64_t, n_op_begin, n[EV_OP_BEGIN])
        lttng_ust_field_integer(uint64_t, n_op_end, n[EV_OP_END])
        lttng_ust_field_integer(uint64_t, n_replay_begin, n[EV_REPLAY_BEGIN])
        lttng_ust_field_integer(uint64_t, n_replay_end, n[EV_REPLAY_END])
        lttng_ust_field_integer(uint64_t, n_syscall_entry, n[EV_SYSCALL_ENTRY])
        lttng_ust_field_integer(uint64_t, n_group_subscribe, n[EV_GROUP_SUBSCRIBE])
        lttng_ust_field_integer(uint64_t, n_group_unsubscribe, n[EV_GROUP_UNSUBSCRIBE])
        lttng_ust_field_integer(uint64_t, n_wait_begin, n[EV_WAIT_BEGIN])
        lttng_ust_field_integer(uint64_t, n_wait_end, n[EV_WAIT_END])
        lttng_ust_field_integer(uint64_t, n_checkpoint_request, n[EV_CHECKPOINT_REQUEST])
        lttng_ust_field_integer(uint64_t, n_checkpoint_freeze, n[EV_CHECKPOINT_FREEZE])
        lttng_ust_field_integer(uint64_t, n_checkpoint_snapshot, n[EV_CHECKPOINT_SNAPSHOT])
        lttng_ust_field_integer(uint64_t, n_checkpoint_resume, n[EV_CHECKPOINT_RESUME])
        lttng_ust_field_integer(uint64_t, n_schedule, n[EV_SCHEDULE])))


/* The instances, in enum ev_kind order. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, named, dlsync, thread_start,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, thread_exit,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, action_end,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, lock_attempt,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, lock_acquired,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, lock_busy,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, lock_released,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, lease_handover,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, bus_broadcast,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, bus_recv_begin,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, bus_recv_end,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, barrier_arrive,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, barrier_depart,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, flag_set,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, flag_clear,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, flag_load,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, wakeup_sent,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, wakeup_received,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, backoff,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, named, dlsync, op_begin,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, op_end,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, replay_begin,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, replay_end,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, syscall_entry,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, group_subscribe,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, group_unsubscribe,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, wait_begin,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, wait_end,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, checkpoint_request,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, checkpoint_freeze,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, checkpoint_snapshot,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, ints, dlsync, checkpoint_resume,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(dlsync, named, dlsync, schedule,
                                    LTTNG_UST_TP_ARGS(int64_t, group, const struct ev *, e))

#endif /* DLSYNC_TRACER_TP_H */
// clang-format on

#include <lttng/tracepoint-event.h>
