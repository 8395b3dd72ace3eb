/*
 * replay/event.h — one dlsync event as the replay part sees it, whether it
 * comes from the CTF trace (ctf_source.c) or back from the database (db.c).
 *
 * Owns: struct rev and the mapping between event names and enum ev_kind (the
 * catalogue itself is tracer/events.h; names come from ev_kind_name()).
 * Takes no locks.
 */
#ifndef DLSYNC_REPLAY_EVENT_H
#define DLSYNC_REPLAY_EVENT_H

#include <stdint.h>

#include "tracer/events.h"

/* The nine integer fields of every event (tracer/tp.h), the thread and time
 * they came from, and the one string some kinds carry (thread_start `name`,
 * action_begin `arg`, op_begin `name`, run_begin `scenario`; NULL if none).
 * Strings belong to the producer and live until the next event. */
struct rev {
    int64_t seq;  /* position in time order, 1-based within the database */
    int64_t ts;   /* ns from the clock's origin */
    int kind;     /* enum ev_kind */
    int64_t grp;  /* emitting thread's group (-1: the run's own thread) */
    int64_t vtid; /* emitting thread's Linux tid (-1 if the trace lacks it) */
    int64_t obj, mode, how, epoch, phase, lease, a, b;
    const char *str;
    const char *str2; /* run_begin only: `variant` */
};

/* The kind named name (without the `dlsync:` prefix), or -1. */
int rev_kind_by_name(const char *name);

#endif
