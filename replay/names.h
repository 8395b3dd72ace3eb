/*
 * replay/names.h — the protocol's words for the numbers in events, shared by
 * the database (objects table), `state` and `check` so that every output
 * names things the same way as PROTOCOL.md.  No locks; returned strings are
 * static unless a buffer is passed.
 */
#ifndef DLSYNC_REPLAY_NAMES_H
#define DLSYNC_REPLAY_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Kind of object obj: "state lock", "lease", "group mutex", ... */
const char *rn_obj_kind(int64_t obj);
/* Name of object obj: like rn_obj_kind, "group-3 mutex" for group mutexes. */
const char *rn_obj(int64_t obj, char *buf, size_t n);
/* "group-3", or "dlsync" for the run's own thread (group -1). */
const char *rn_thread(int64_t grp, char *buf, size_t n);
const char *rn_mode(int64_t mode);     /* read, write, exclusive, - */
const char *rn_role(int64_t role);     /* main, worker, daemon */
const char *rn_action(int64_t action); /* syscall, dlopen, ... */
const char *rn_op(int64_t op);         /* LoadModules, ... */
const char *rn_wait(int64_t wait);     /* sleep, guest wait, child, checkpoint */
const char *rn_path(int64_t how);      /* syscall_entry how: fast, slow, woken */

/* Milliseconds since t0, as text "1.234 ms". */
const char *rn_ms(int64_t ts, int64_t t0, char *buf, size_t n);

#endif
