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

/* Open db for cmd and resolve r into seqs.  Returns VX_OK or the exit code
 * (message printed). */
int viz_open(const char *cmd, const char *db, struct vrange *r, struct session *src);

/* Lay out r's events of src into d (zeroed), titled; hooks->start, after
 * and ctx as in struct vlay_opts (hooks may be NULL; its other fields are
 * ignored).  Returns VX_OK or VX_NO_DB on a read error (printed). */
int viz_layout(const char *cmd, struct vdiag *d, struct session *src, const struct vrange *r,
               const struct vlay_opts *hooks);

#endif
