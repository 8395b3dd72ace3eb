/*
 * tracer/names.c — the protocol's words (see names.h): objects, lock modes
 * and styles, thread roles, actions, operations, waits and their results,
 * flag orderings, schedulers and strategies.  Owns nothing but static
 * strings; takes no locks.  Depends on events.h's enums only: built with
 * TRACE=0 as well.
 */
#include "tracer/names.h"

#include <string.h>

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

const char *ev_how_name(int64_t how)
{
    return how == HOW_BLOCKING ? "blocking" : "try";
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

static const char *const action_names[] = {
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
enum { N_ACTION_NAMES = sizeof action_names / sizeof action_names[0] };

const char *ev_action_name(int64_t action)
{
    if (action > 0 && action < N_ACTION_NAMES && action_names[action])
        return action_names[action];
    return "-";
}

int ev_action_by_name(const char *word)
{
    for (int k = 1; k < N_ACTION_NAMES; k++)
        if (action_names[k] && strcmp(word, action_names[k]) == 0)
            return k;
    return -1;
}

const char *ev_op_name(int64_t op)
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

const char *ev_wait_name(int64_t wait)
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

const char *ev_wait_result_name(int64_t result)
{
    switch (result) {
    case WAITED_FULL:
        return "full";
    case WAITED_WOKEN:
        return "woken";
    case WAITED_DONE:
        return "done";
    default:
        return NULL;
    }
}

const char *ev_ordering_name(int64_t ordering)
{
    return ordering == ORDER_SEQ_CST ? "seq_cst" : "relaxed";
}
