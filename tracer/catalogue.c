/*
 * tracer/catalogue.c — the event catalogue's tables, made from the one list
 * (tracer/catalogue.h): each kind's name and the trace fields that carry its
 * strings.  Owns nothing but static tables; takes no locks.  Built with
 * DLSYNC_NO_TRACE too (the replay names kinds read from a database).
 */
#include <assert.h>
#include <stddef.h>

#include "tracer/events.h"

/* One kind's row: its name and the fields of e.s and e.s2 (NULL: none). */
struct kind_row {
    const char *name;
    const char *s_field;
    const char *s2_field;
};

#define DLSYNC_EV_ROW(KIND, name, class, s_field, s2_field)                                        \
    [EV_##KIND] = {#name, s_field, s2_field},
static const struct kind_row rows[EV_KIND_COUNT] = {DLSYNC_EVENTS(DLSYNC_EV_ROW)};
#undef DLSYNC_EV_ROW

const char *ev_kind_name(enum ev_kind kind)
{
    if ((unsigned)kind >= EV_KIND_COUNT)
        return "unknown";
    return rows[kind].name;
}

const char *ev_kind_string_field(int kind, int which)
{
    assert(which == 1 || which == 2);
    if (kind < 0 || kind >= EV_KIND_COUNT)
        return NULL;
    return which == 1 ? rows[kind].s_field : rows[kind].s2_field;
}

int ev_kind_has_string(int kind)
{
    return ev_kind_string_field(kind, 1) != NULL;
}
