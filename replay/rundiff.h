/*
 * replay/rundiff.h — two runs compared event by event: where they part.
 *
 * A run is a stream of ev_format lines (tracer/events.h): the event log of
 * a run made in this process (`dlsync run --events-out`, the runs of
 * --check-determinism), or the events of an ingested run, written by
 * rundiff_write_db with a label ("seq N<TAB>LINE") so that a report names
 * the database's seq.  The lines of run_begin, schedule and run_end say how
 * a run was made, not what it did, and are not compared.  Owns nothing;
 * takes SQLite's shared lock while it reads a database.
 */
#ifndef DLSYNC_REPLAY_RUNDIFF_H
#define DLSYNC_REPLAY_RUNDIFF_H

#include <stdint.h>
#include <stdio.h>

#include "replay/db.h"

/* Write run's events to out, labelled with their seq.  Returns how many,
 * or -1 when the database cannot be read (db->err). */
int64_t rundiff_write_db(struct db *db, const struct db_run *run, FILE *out);

struct rundiff_side {
    FILE *f;          /* read from its current position */
    const char *name; /* how the report names it */
};

/* Compare a and b.  Returns 0 when they hold the same events, 1 when they
 * part; either way writes a short report to report (may be NULL): where
 * they part, the event on each side and the events before it that both
 * have. */
int rundiff_compare(struct rundiff_side *a, struct rundiff_side *b, FILE *report);

#endif
