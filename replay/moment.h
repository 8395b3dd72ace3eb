/*
 * replay/moment.h — naming a run and a moment of it on the command line, the
 * same way in every command that reads a run (`state`, `check`, `draw`,
 * `replay`): parsing --run N and the moments of --at, --from and --to, and
 * resolving a moment against the run to an event seq.
 *
 * Grammar (one for every command; docs/draw.md and each --help repeat it):
 *   RUN    := DIGITS                 a run_id, from 1 (runs.run_id)
 *   MOMENT := DIGITS                 an event seq (events.seq), from 1
 *           | NUMBER UNIT            a time since the run's first event
 *   NUMBER := DIGITS [ "." DIGITS ]
 *   UNIT   := "ns" | "us" | "µs" | "ms" | "s"
 * Nothing else: no sign, no spaces, no exponent, no unit without a number,
 * no fraction on a seq, no value past 2^62 (ns or seq).
 *
 * Owns nothing; takes no locks of its own (moment_seq reads the database
 * under SQLite's shared lock, through replay/db.c).
 */
#ifndef DLSYNC_REPLAY_MOMENT_H
#define DLSYNC_REPLAY_MOMENT_H

#include <stddef.h>
#include <stdint.h>

#include "replay/db.h"

/* A moment of a run, as the user wrote it. */
struct moment {
    int set;     /* given at all */
    int is_time; /* v is ns since the run's first event; else v is a seq */
    int64_t v;
};

/* Parse RUN (above) into *run.  0, or -1 with a message on stderr naming
 * the command cmd, the option opt ("--run") and the value. */
int moment_parse_run(const char *cmd, const char *opt, const char *s, int64_t *run);

/* Parse MOMENT (above) into *m.  0, or -1 with a message on stderr naming
 * cmd, the option opt ("--at", "--from", "--to") and the value. */
int moment_parse(const char *cmd, const char *opt, const char *s, struct moment *m);

/* Which seq a moment names in a range of events. */
enum moment_edge {
    MOMENT_UPTO, /* the last event at the moment: a time T names the last event
                    with ts <= T (the state just after it; --at, --to) */
    MOMENT_FROM, /* the first event at the moment: a time T names the first
                    event with ts >= T (--from) */
};

/* The seq m (set) names in run of db, into *seq.  A seq must be one of the
 * run's (first_seq..last_seq); a time resolves against run->start_ts, and
 * past the run's end gives last_seq + 1 (MOMENT_FROM) or last_seq
 * (MOMENT_UPTO).  Returns 0; 1 when a seq is outside the run (message on
 * stderr naming cmd, opt and the run's seqs); -1 on a database error
 * (db->err set). */
int moment_seq(struct db *db, const struct db_run *run, const struct moment *m,
               enum moment_edge edge, const char *cmd, const char *opt, int64_t *seq);

#endif
