/*
 * replay/event.h — one dlsync event as the replay part sees it, whether it
 * comes from the CTF trace (ctf_source.c) or back from the database (db.c).
 *
 * Owns: struct rev and the mapping from event names to enum ev_kind (the
 * catalogue itself is tracer/catalogue.h; names come from ev_kind_name()).
 * Takes no locks.
 */
#ifndef DLSYNC_REPLAY_EVENT_H
#define DLSYNC_REPLAY_EVENT_H

#include <stddef.h>
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
    int64_t vpid; /* emitting process's pid (-1 if the trace lacks it) */
    int64_t obj, mode, how, epoch, phase, lease, a, b;
    const char *str;
    const char *str2; /* run_begin only: `variant` */
};

/* The kind named name (without the `dlsync:` prefix), or -1. */
int rev_kind_by_name(const char *name);

/* The ranges a valid event's fields lie in.  Group ids run from -1 (the
 * run's own thread) to REV_GROUP_MAX - 1; Linux thread and process ids are
 * below 2^22 (PID_MAX_LIMIT); epochs below 2^40. */
enum { REV_GROUP_MAX = 1 << 20, REV_TID_MAX = 1 << 22 };
#define REV_EPOCH_MAX ((int64_t)1 << 40)

/* Is e an event dlsync could have emitted?  Every value read from a file (a
 * trace, a database, a text stream) passes here before it sizes or indexes
 * anything: the kind, the group, vtid and vpid, and for each kind the
 * fields that name an object, a group, an epoch, a phase or an enumeration
 * (tracer/events.h).  Returns 0, or -1 with the first bad field and its
 * value described in why ("group = 99999999 is outside -1..1048575"). */
int rev_check(const struct rev *e, char *why, size_t n);

#endif
