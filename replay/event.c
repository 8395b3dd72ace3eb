/*
 * replay/event.c — event names to kinds (see event.h).  No locks.
 */
#include "replay/event.h"

#include <string.h>

int rev_kind_by_name(const char *name)
{
    for (int k = 0; k < EV_KIND_COUNT; k++)
        if (strcmp(ev_kind_name((enum ev_kind)k), name) == 0)
            return k;
    return -1;
}
