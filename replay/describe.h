/*
 * replay/describe.h — a thread's position and holdings in the protocol's
 * words, as `state` prints them and `check` tells its stories.  No locks.
 */
#ifndef DLSYNC_REPLAY_DESCRIBE_H
#define DLSYNC_REPLAY_DESCRIBE_H

#include <stddef.h>

#include "replay/model.h"

/* What t is doing at the model's current moment, e.g. "blocked in
 * write(state lock) since seq 1995 (1.230 ms)".  Returns buf. */
const char *describe_position(const struct model *m, const struct mthread *t, char *buf, size_t n);

/* What t holds, e.g. "group-1 mutex, lease 7, state lock (write)"; "" if
 * nothing.  Returns buf. */
const char *describe_holds(const struct mthread *t, char *buf, size_t n);

/* Is t blocked (not running, not exited, not merely retrying)? */
int describe_is_blocked(const struct mthread *t);

#endif
