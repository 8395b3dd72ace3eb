/*
 * replay/names.h — the names the replay part formats from the numbers in
 * events, shared by the database (objects table), `state`, `check` and the
 * diagrams: "group-3 mutex", "group-3", "dlsync", "1.234 ms".  The
 * protocol's words (ev_object_name, ev_mode_name, ev_role_name,
 * ev_action_name, ev_op_name, ev_wait_name, ...) are tracer/names.h's,
 * included here, which the run's watchdog and the scenario parser share.
 * No locks; returned strings are static unless a buffer is passed.
 */
#ifndef DLSYNC_REPLAY_NAMES_H
#define DLSYNC_REPLAY_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "tracer/events.h"
#include "tracer/names.h"

/* Name of object obj: ev_object_name(obj) (tracer/names.h), but "group-3 mutex"
 * for a group mutex. */
const char *rn_obj(int64_t obj, char *buf, size_t n);
/* "group-3", or "dlsync" for the run's own thread (group -1).  Always
 * writes buf and returns it. */
const char *rn_thread(int64_t grp, char *buf, size_t n);
/* The same for a thread known by its Linux thread id too: "group-3", or for
 * a thread without a group "thread TID" (vtid >= 0), else "dlsync". */
const char *rn_thread_tid(int64_t grp, int64_t vtid, char *buf, size_t n);

/* Milliseconds since t0, as text "1.234 ms": every time dlsync shows. */
const char *rn_ms(int64_t ts, int64_t t0, char *buf, size_t n);
/* A duration given in microseconds (a sleep asked for), worded as rn_ms. */
const char *rn_us(int64_t us, char *buf, size_t n);

#endif
