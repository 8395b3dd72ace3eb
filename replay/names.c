/*
 * replay/names.c — the names the replay part formats from event numbers
 * (see names.h): a group mutex's or a thread's name and times.  The words
 * themselves (objects, modes, roles, actions, ...) are tracer/names.c's.
 * No locks.
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
