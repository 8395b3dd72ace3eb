/*
 * replay/describe.h — the protocol's state at a moment of a run, and a
 * thread's position and holdings, in the protocol's words: the one
 * description that `dlsync state` prints, the replay page's state panel
 * shows (viz/replay_page.c embeds these very words) and `check` tells its
 * stories with.  No locks.
 */
#ifndef DLSYNC_REPLAY_DESCRIBE_H
#define DLSYNC_REPLAY_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/findings.h"
#include "replay/model.h"

/* One item of the state in words: key names it for the whole run ("run",
 * "lease", "flag", "rx", "obj:N" for lock N, "epoch", "threads", "t:ID" for
 * the thread with model id ID, "findings"); text is its lines without the
 * last newline, "" when the item says nothing at this moment (a group's
 * mutex nobody holds or waits for).  Items come in the order `state` prints
 * them; the order changes only when a thread appears. */
typedef void describe_item_fn(void *ctx, const char *key, const char *text);

/* The state of m (after its last event) in words, item by item, to fn: the
 * text of `dlsync state` is every non-empty item's text, a line each.  run:
 * the run's id (the first line names it).  f: the run's findings by first seq
 * (check_run, session_findings), those at or before m->last_seq listed; NULL:
 * no findings item. */
void describe_state(const struct model *m, int64_t run, const struct findings *f,
                    describe_item_fn *fn, void *ctx);

/* The same state as JSON (`dlsync state --json`), on out. */
void describe_state_json(FILE *out, const struct model *m, int64_t run, const struct findings *f);

/* What t is doing at the model's current moment, e.g. "blocked in
 * write(state lock) since seq 1995 (1.230 ms)".  Returns buf. */
const char *describe_position(const struct model *m, const struct mthread *t, char *buf, size_t n);

/* What t holds, e.g. "group-1 mutex, lease 7, state lock (write)"; "" if
 * nothing.  Returns buf. */
const char *describe_holds(const struct mthread *t, char *buf, size_t n);

/* Is t blocked (not running, not exited, not merely retrying)? */
int describe_is_blocked(const struct mthread *t);

/* The object a blocked or retrying t waits on, in one word or two: "barrier",
 * an object's name ("state lock", "barrier bus", "lease"), or a wait's
 * ("sleep", "guest wait", "child", "checkpoint").  The objects column of
 * check's findings and the `waits` answers of a diagnose exercise. */
const char *describe_wait_object(const struct mthread *t);

#endif
