/*
 * replay/names.c — the protocol's words for event numbers that only the
 * replay part uses (see names.h); objects, modes and roles are the event
 * catalogue's (tracer/names.c).  No locks.
 */
#include "replay/names.h"

#include <stdio.h>

#include "tracer/events.h"

const char *rn_obj(int64_t obj, char *buf, size_t n)
{
    if (obj < OBJ_GROUP_MUTEX)
        return ev_object_name(obj);
    snprintf(buf, n, "group-%lld mutex", (long long)(obj - OBJ_GROUP_MUTEX));
    return buf;
}

const char *rn_thread(int64_t grp, char *buf, size_t n)
{
    return rn_thread_tid(grp, -1, buf, n);
}

const char *rn_thread_tid(int64_t grp, int64_t vtid, char *buf, size_t n)
{
    if (grp >= 0)
        snprintf(buf, n, "group-%lld", (long long)grp);
    else if (vtid >= 0)
        snprintf(buf, n, "thread %lld", (long long)vtid);
    else
        snprintf(buf, n, "dlsync");
    return buf;
}

const char *rn_action(int64_t action)
{
    static const char *const names[] = {
        [ACT_SYSCALL] = "syscall",
        [ACT_DLOPEN] = "dlopen",
        [ACT_DLSYM] = "dlsym",
        [ACT_CLOSURE_ALLOC] = "closure-alloc",
        [ACT_CLOSURE_FREE] = "closure-free",
        [ACT_SLEEP] = "sleep",
        [ACT_GUEST_WAIT] = "guest-wait",
        [ACT_SPAWN] = "spawn",
        [ACT_EXIT] = "exit",
        [ACT_CHECKPOINT] = "checkpoint",
    };
    if (action > 0 && action < (int64_t)(sizeof names / sizeof names[0]) && names[action])
        return names[action];
    return "-";
}

const char *rn_op(int64_t op)
{
    switch (op) {
    case OP_LOAD_MODULES:
        return "LoadModules";
    case OP_RESOLVE_FUNCTION:
        return "ResolveFunction";
    case OP_ALLOCATE_FUNCTION_TABLE:
        return "AllocateFunctionTable";
    default:
        return "-";
    }
}

const char *rn_wait(int64_t wait)
{
    switch (wait) {
    case WAIT_SLEEP:
        return "sleep";
    case WAIT_GUEST:
        return "guest wait";
    case WAIT_CHILD:
        return "child";
    case WAIT_CHECKPOINT:
        return "checkpoint";
    default:
        return "-";
    }
}

const char *rn_ms(int64_t ts, int64_t t0, char *buf, size_t n)
{
    snprintf(buf, n, "%.3f ms", (double)(ts - t0) / 1e6);
    return buf;
}

const char *rn_us(int64_t us, char *buf, size_t n)
{
    snprintf(buf, n, "%.3f ms", (double)us / 1e3);
    return buf;
}
