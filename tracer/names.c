/*
 * tracer/names.c — the protocol's words for the numbers events carry (see
 * events.h): object ids, lock modes, thread roles, and the call a thread
 * blocks in.  Owns nothing but static strings; takes no locks.
 *
 * Shared by the run's watchdog (lib/run.c) and the replay part
 * (replay/names.c and its users), so that a hang report and `dlsync check`
 * name things with the same words as docs/protocol.md.  Depends on events.h's
 * enums only: built with TRACE=0 as well.
 */
#include "tracer/events.h"

const char *ev_object_name(int64_t obj)
{
    switch (obj) {
    case OBJ_NONE:
        return "-";
    case OBJ_STATE_LOCK:
        return "state lock";
    case OBJ_LEASE:
        return "lease";
    case OBJ_PROCESS_MUTEX:
        return "process mutex";
    case OBJ_BARRIER_BUS:
        return "barrier bus";
    case OBJ_OPERATION_BUS:
        return "operation bus";
    case OBJ_PENDING_FLAG:
        return "pending flag";
    case OBJ_BARRIER:
        return "barrier";
    default:
        return obj >= OBJ_GROUP_MUTEX ? "group mutex" : "unknown object";
    }
}

const char *ev_mode_name(int64_t mode)
{
    switch (mode) {
    case MODE_READ:
        return "read";
    case MODE_WRITE:
        return "write";
    case MODE_EXCLUSIVE:
        return "exclusive";
    default:
        return "-";
    }
}

const char *ev_role_name(int64_t role)
{
    switch (role) {
    case ROLE_MAIN:
        return "main";
    case ROLE_WORKER:
        return "worker";
    case ROLE_DAEMON:
        return "daemon";
    default:
        return "other";
    }
}

const char *ev_lock_call_name(int64_t obj, int64_t mode)
{
    return obj == OBJ_STATE_LOCK ? ev_mode_name(mode) : "lock";
}

const char *ev_sched_name(int64_t sched)
{
    return sched == 1 ? "controlled" : sched == 0 ? "os" : "unknown";
}

const char *ev_strategy_name(int64_t strategy)
{
    static const char *const names[] = {"random", "pct", "dfs"};
    return strategy >= 0 && strategy < 3 ? names[strategy] : "unknown";
}
