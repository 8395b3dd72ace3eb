/*
 * viz/draw.h — the steps `draw` and `replay` share: open the database and
 * resolve the range, then lay the diagram out.  No locks.
 */
#ifndef DLSYNC_VIZ_DRAW_H
#define DLSYNC_VIZ_DRAW_H

#include "viz/layout.h"
#include "viz/options.h"
#include "viz/source.h"

/* Open db for cmd and resolve r into seqs.  Returns EX_OK or the exit code
 * (message printed). */
int viz_open(const char *cmd, const char *db, struct vrange *r, struct vsrc *src);

/* Lay out r's events of src into d (zeroed), titled; hooks->start, after
 * and ctx as in struct vlay_opts (hooks may be NULL; its other fields are
 * ignored).  Returns EX_OK or EX_NO_INPUT on a read error (printed). */
int viz_layout(const char *cmd, struct vdiag *d, struct vsrc *src, const struct vrange *r,
               const struct vlay_opts *hooks);

#endif
