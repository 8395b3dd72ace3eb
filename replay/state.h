/*
 * replay/state.h — the work of `dlsync state` (cli/state.c reads its
 * command line): the protocol's state at one moment of a run.  Takes no
 * locks of its own; reads the database under SQLite's shared lock.
 */
#ifndef DLSYNC_REPLAY_STATE_H
#define DLSYNC_REPLAY_STATE_H

#include <stdint.h>

#include "replay/moment.h"

struct state_opts {
    const char *db;   /* the database */
    int64_t run;      /* its run (0: the newest) */
    struct moment at; /* the moment (unset: the end of the trace) */
    int json;         /* JSON instead of text */
};

/* Print the state of o->run at o->at on stdout.  Returns the exit code
 * (cli/exitcode.h): EX_OK, EX_NO_INPUT, EX_NOT_FOUND (no such run, or a
 * moment before its first event or outside it), messages on stderr. */
int state_show(const struct state_opts *o);

#endif
