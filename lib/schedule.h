/*
 * schedule.h — a schedule as a string: the decisions of a controlled run,
 * one thread id per choice, written so that it can be copied, pasted into a
 * shell and replayed (dlsync run --schedule STRING).
 *
 * The format, version 1:   v1:TOKENS
 *   a token is one decision, or a run of equal decisions: the thread's
 *   letter (group 0-25: A-Z, 26-51: a-z; group 52 and above: _N_ with N in
 *   decimal), then, for a run of two or more, the run's length in decimal.
 *   "v1:AB3aA" is A, B, B, B, a, A: groups 0, 1, 1, 1, 26, 0.
 * Every character is one a shell takes as it is, unquoted.  Owns nothing
 * shared; takes no locks.
 */
#ifndef DLSYNC_SCHEDULE_H
#define DLSYNC_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

enum {
    SCHEDULE_MAX_ID = 1 << 20,        /* largest thread id a schedule may name */
    SCHEDULE_MAX_DECISIONS = 1 << 27, /* most decisions a schedule may hold */
    SCHEDULE_NAME_MAX = 10            /* a thread's name and its NUL: "_1048576_" */
};

/* How a schedule names thread id (0 <= id <= SCHEDULE_MAX_ID): "A", "a",
 * "_52_".  Writes buf; returns it. */
char *schedule_thread_name(int32_t id, char buf[SCHEDULE_NAME_MAX]);

/* The string of n decisions (malloc'ed; NULL when out of memory). */
char *schedule_encode(const int32_t *dec, size_t n);

/* Parse s.  On success returns 0 with *out (malloc'ed, NULL when empty) and
 * *n set; on a malformed string returns -1 and writes to err what is wrong
 * and at which character. */
int schedule_decode(const char *s, int32_t **out, size_t *n, char *err, size_t errlen);

#endif
