/*
 * replay/event.c — event names to kinds, and the validation of every event
 * read from a file (see event.h).  No locks.
 */
#include "replay/event.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rev_kind_by_name(const char *name)
{
    for (int k = 0; k < EV_KIND_COUNT; k++)
        if (strcmp(ev_kind_name((enum ev_kind)k), name) == 0)
            return k;
    return -1;
}

/* The checker of one event: the first field found outside its range wins. */
struct vcheck {
    char *why;
    size_t n;
    int bad;
};

/* Is lo <= v <= hi?  If not (and nothing failed before), say so in c. */
static void within(struct vcheck *c, const char *field, int64_t v, int64_t lo, int64_t hi)
{
    if (c->bad || (v >= lo && v <= hi))
        return;
    c->bad = 1;
    if (c->n)
        snprintf(c->why, c->n, "%s = %lld is outside %lld..%lld", field, (long long)v,
                 (long long)lo, (long long)hi);
}

static void is_bus(struct vcheck *c, int64_t obj)
{
    within(c, "obj (a bus)", obj, OBJ_BARRIER_BUS, OBJ_OPERATION_BUS);
}

static void is_group(struct vcheck *c, const char *field, int64_t v)
{
    within(c, field, v, -1, REV_GROUP_MAX - 1);
}

/* A lockable object: the state lock, the lease, the process mutex or a
 * group mutex. */
static void is_lockable(struct vcheck *c, int64_t obj)
{
    if (obj >= OBJ_GROUP_MUTEX)
        return; /* the general check bounds it */
    within(c, "obj (a lock)", obj, OBJ_STATE_LOCK, OBJ_PROCESS_MUTEX);
}

int rev_check(const struct rev *e, char *why, size_t n)
{
    struct vcheck c = {.why = why, .n = n};
    if (n)
        why[0] = 0;
    within(&c, "kind", e->kind, 0, EV_KIND_COUNT - 1);
    is_group(&c, "group", e->grp);
    within(&c, "vtid", e->vtid, -1, REV_TID_MAX - 1);
    within(&c, "vpid", e->vpid, -1, REV_TID_MAX - 1);
    within(&c, "timestamp", e->ts, 0, INT64_MAX);
    if (e->obj >= OBJ_GROUP_MUTEX)
        within(&c, "obj (a group mutex)", e->obj, OBJ_GROUP_MUTEX,
               OBJ_GROUP_MUTEX + REV_GROUP_MAX - 1);
    else
        within(&c, "obj", e->obj, OBJ_NONE, OBJ_BARRIER);
    within(&c, "epoch", e->epoch, 0, REV_EPOCH_MAX - 1);
    within(&c, "lease", e->lease, 0, INT64_MAX);
    if (e->kind != EV_RUN_BEGIN)
        within(&c, "phase", e->phase, 0, 2);
    if (c.bad)
        return -1;
    switch (e->kind) {
    case EV_RUN_BEGIN:
        within(&c, "mode (scheduler)", e->mode, 0, 1);
        within(&c, "how (strategy)", e->how, 0, 2);
        within(&c, "phase (PCT depth)", e->phase, 0, REV_GROUP_MAX);
        within(&c, "b (groups)", e->b, 0, REV_GROUP_MAX);
        break;
    case EV_THREAD_START:
        within(&c, "mode (role)", e->mode, ROLE_MAIN, ROLE_DAEMON);
        is_group(&c, "a (parent group)", e->a);
        break;
    case EV_ACTION_BEGIN:
    case EV_ACTION_END:
        within(&c, "mode (action)", e->mode, ACT_SYSCALL, ACT_CHECKPOINT);
        break;
    case EV_LOCK_ATTEMPT:
    case EV_LOCK_ACQUIRED:
    case EV_LOCK_BUSY:
    case EV_LOCK_RELEASED:
        is_lockable(&c, e->obj);
        within(&c, "mode", e->mode, MODE_NONE, MODE_EXCLUSIVE);
        within(&c, "how", e->how, HOW_TRY, HOW_BLOCKING);
        break;
    case EV_LEASE_HANDOVER:
        is_group(&c, "a (to group)", e->a);
        break;
    case EV_BUS_BROADCAST:
        is_bus(&c, e->obj);
        within(&c, "how", e->how, BROADCAST_OK, BROADCAST_FULL);
        within(&c, "a (rx_count)", e->a, 0, REV_GROUP_MAX);
        break;
    case EV_BUS_RECV_BEGIN:
    case EV_BUS_RECV_END:
        is_bus(&c, e->obj);
        break;
    case EV_GROUP_SUBSCRIBE:
    case EV_GROUP_UNSUBSCRIBE:
        is_bus(&c, e->obj);
        within(&c, "a (rx_count)", e->a, 0, REV_GROUP_MAX);
        break;
    case EV_BARRIER_ARRIVE:
        within(&c, "b (arrival index)", e->b, 0, REV_GROUP_MAX);
        /* fall through */
    case EV_BARRIER_DEPART:
        within(&c, "phase", e->phase, 1, 2);
        within(&c, "a (parties)", e->a, 0, REV_GROUP_MAX);
        break;
    case EV_FLAG_LOAD:
        within(&c, "mode (ordering)", e->mode, ORDER_RELAXED, ORDER_SEQ_CST);
        break;
    case EV_WAKEUP_SENT:
        is_group(&c, "a (target group)", e->a);
        break;
    case EV_WAKEUP_RECEIVED:
        within(&c, "a (wait kind)", e->a, 0, WAIT_CHECKPOINT);
        break;
    case EV_BACKOFF:
        within(&c, "phase (backoff)", e->phase, BACKOFF_SPIN, BACKOFF_SLEEP);
        break;
    case EV_OP_BEGIN:
    case EV_OP_END:
    case EV_REPLAY_BEGIN:
    case EV_REPLAY_END:
        within(&c, "mode (operation)", e->mode, OP_LOAD_MODULES, OP_ALLOCATE_FUNCTION_TABLE);
        break;
    case EV_SYSCALL_ENTRY:
        within(&c, "how (path)", e->how, PATH_FAST, PATH_WOKEN);
        break;
    case EV_WAIT_BEGIN:
        within(&c, "mode (wait kind)", e->mode, WAIT_SLEEP, WAIT_CHECKPOINT);
        is_group(&c, "a (target group)", e->a);
        within(&c, "b (duration)", e->b, 0, INT64_MAX);
        break;
    case EV_WAIT_END:
        within(&c, "mode (wait kind)", e->mode, WAIT_SLEEP, WAIT_CHECKPOINT);
        within(&c, "how (wait result)", e->how, WAITED_FULL, WAITED_DONE);
        break;
    case EV_SCHEDULE:
        within(&c, "b (parts)", e->b, 1, 1 << 22);
        within(&c, "a (part)", e->a, 0, e->b - 1);
        break;
    }
    return c.bad ? -1 : 0;
}
