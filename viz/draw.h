/*
 * viz/draw.h — the steps `draw` and `replay` share: open the run (through
 * replay/session.h, the one reader of a run) and resolve the range, then lay
 * the diagram out.  No locks.
 */
#ifndef DLSYNC_VIZ_DRAW_H
#define DLSYNC_VIZ_DRAW_H

#include "replay/session.h"
#include "viz/layout.h"
#include "viz/options.h"

/* Open db for cmd and resolve r into seqs.  Returns EX_OK or the exit code
 * (message printed). */
int viz_open(const char *cmd, const char *db, struct vrange *r, struct session *src);

/* Lay out r's events of src into d (zeroed), titled; hooks->start, after
 * and ctx as in struct vlay_opts (hooks may be NULL; its other fields are
 * ignored).  Returns EX_OK or EX_NO_INPUT on a read error (printed). */
int viz_layout(const char *cmd, struct vdiag *d, struct session *src, const struct vrange *r,
               const struct vlay_opts *hooks);

/* What `dlsync draw` was asked (cli/draw.c reads it). */
struct draw_opts {
    const char *db, *out; /* the database; the file to draw (its format by extension:
                             render_format_of(out) >= 0) */
    struct vrange range;  /* the run and range (vrange_init, vrange_option) */
    struct moment at;     /* --waitfor's moment (unset: the end) */
    int waitfor;          /* the wait-for graph instead of the sequence diagram */
    int quiet;            /* do not print the files written */
};
/* Draw; frees o->range.  Returns the exit code (cli/exitcode.h): EX_OK,
 * EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, EX_USAGE (a range the run cannot
 * have), messages on stderr. */
int draw_main(struct draw_opts *o);

/* What `dlsync replay` was asked (cli/replay.c reads it). */
struct replay_opts {
    const char *db, *out; /* the database; the page to write */
    struct vrange range;  /* the run and range */
    long long max_events; /* refuse a range of more events (EX_USAGE) */
    int quiet;            /* do not print the page's name */
};
/* Write the page; frees o->range.  Returns the exit code, as draw_main. */
int replay_page(struct replay_opts *o);

#endif
