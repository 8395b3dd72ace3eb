/*
 * replay/progress.h — a one-line progress bar on stderr, shown only when
 * stderr is a terminal and the work has already taken more than a second.
 * No locks: one progress bar belongs to one thread.
 */
#ifndef DLSYNC_REPLAY_PROGRESS_H
#define DLSYNC_REPLAY_PROGRESS_H

#include <stdint.h>

struct progress {
    int enabled; /* stderr is a terminal and not disabled */
    int shown;   /* something was drawn: progress_done erases it */
    int64_t start_ns, last_ns;
    const char *label;
};

void progress_init(struct progress *p, const char *label, int enabled);
/* Fraction done in [0, 1], and a count to show.  Cheap when called often:
 * it redraws at most ten times a second. */
void progress_update(struct progress *p, double fraction, uint64_t count);
void progress_done(struct progress *p);

/* Monotonic ns. */
int64_t progress_now(void);

#endif
