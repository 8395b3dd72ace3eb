/*
 * replay/evstream.h — events from a text file, one a line, so that the
 * model and `check` can be tested without LTTng.  A line is an event as
 * ev_format() writes it (tracer/events.h; the event log of `dlsync run
 * --events-out`), optionally with the emitting thread and a time:
 *
 *   [@TID] [+TIME] KIND [gGROUP] [FIELD=VALUE ...] ["STRING" ["STRING2"]]
 *
 * FIELD is obj, mode, how, epoch, phase, lease, a or b; fields come in any
 * order and default to 0 (the group too); TIME is a number with a unit (ns,
 * us, ms, s) from the stream's start, and defaults to 1 us after the
 * previous event; without @TID the event has no vtid (-1); a string is
 * allowed for the kinds that carry one (run_begin may carry two: scenario
 * and variant).  '#' starts a comment; blank lines are skipped.  Events get
 * seqs 1, 2, ... in line order, and each passes rev_check() before it is
 * handed out.
 *
 * Owns: struct evstream and its file.  One stream is read by one thread; no
 * locks.
 */
#ifndef DLSYNC_REPLAY_EVSTREAM_H
#define DLSYNC_REPLAY_EVSTREAM_H

#include <stdint.h>
#include <stdio.h>

#include "replay/event.h"

enum { EVSTREAM_MAX_STRING = 255 };

struct evstream {
    FILE *f;
    char path[256];
    int64_t line, seq, ts;
    char *buf; /* the current line */
    size_t cap;
    char str[2][EVSTREAM_MAX_STRING + 1];
    char err[512]; /* "PATH:LINE: cause" after a failure */
};

/* Open path.  0, or -1 with s->err set. */
int evstream_open(struct evstream *s, const char *path);

/* Read f (open for reading; `dlsync explore --check` hands over a trial's
 * event log) from where it stands, named `name` in messages.  The stream
 * owns f from now on: evstream_close closes it. */
void evstream_adopt(struct evstream *s, FILE *f, const char *name);

/* The next event into *e (its strings live until the next call).  1: an
 * event; 0: the end of the file; -1: a bad line or a read error (s->err). */
int evstream_next(struct evstream *s, struct rev *e);

void evstream_close(struct evstream *s);

#endif
