/*
 * replay/gaps.h — what a run's trace lacks, and which findings that makes
 * unreliable (docs/check.md, "Gaps").  A trace lacks events when the tracer
 * discarded some (runs.discarded, the rows of the discarded table, count 0
 * meaning unknown, as for a missing stream file) or when run_end says more
 * events of a kind were emitted than were ingested (run_counts).  A finding
 * whose evidence could be an artefact of the missing kinds, lost within its
 * time window, is marked unreliable with the reason.  No locks.
 */
#ifndef DLSYNC_REPLAY_GAPS_H
#define DLSYNC_REPLAY_GAPS_H

#include <stdint.h>

#include "replay/findings.h"
#include "tracer/events.h"

/* One gap in one stream: count events lost (0: unknown) between beg_ts and
 * end_ts (ns as events' ts; -1: unknown). */
struct gap_span {
    int64_t count, beg_ts, end_ts;
};

struct gaps {
    int kinds_known;             /* run_end said how many of each kind were emitted */
    int64_t lost[EV_KIND_COUNT]; /* emitted - ingested, per kind, when positive */
    int64_t discarded;           /* events the tracer said it dropped (runs.discarded) */
    struct gap_span *spans;      /* malloc'ed */
    int nspans;
};

/* Add one span to g. */
void gaps_add_span(struct gaps *g, int64_t count, int64_t beg_ts, int64_t end_ts);

/* Does g say that anything is missing? */
int gaps_any(const struct gaps *g);

/* Mark every finding of f that g could explain unreliable (d->unreliable,
 * malloc'ed), with the reason; t0: the run's first event (times are told
 * from it). */
void gaps_judge(const struct gaps *g, struct findings *f, int64_t t0);

void gaps_free(struct gaps *g);

#endif
