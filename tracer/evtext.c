/*
 * tracer/evtext.c — an event as one line of text (ev_format, events.h): the
 * form in which the event log is written and two runs are compared.  Owns
 * nothing; no locks.  Built with DLSYNC_NO_TRACE too (the replay compares
 * runs read from a database).
 */
#include <stdio.h>

#include "tracer/events.h"

char *ev_format(char *buf, size_t n, int kind, int64_t group, const struct ev *e)
{
    int len = snprintf(buf, n,
                       "%s g%lld obj=%lld mode=%lld how=%lld epoch=%lld phase=%lld lease=%lld "
                       "a=%lld b=%lld",
                       ev_kind_name((enum ev_kind)kind), (long long)group, (long long)e->obj,
                       (long long)e->mode, (long long)e->how, (long long)e->epoch,
                       (long long)e->phase, (long long)e->lease, (long long)e->a, (long long)e->b);
    if (ev_kind_has_string(kind) && len >= 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, " \"%s\"", e->s ? e->s : "");
    return buf;
}
