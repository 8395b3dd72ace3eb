/*
 * cli/draw.h — the range options of `dlsync draw`, which `dlsync replay`
 * shares (cli/draw.c owns them).  No locks.
 */
#ifndef DLSYNC_CLI_DRAW_H
#define DLSYNC_CLI_DRAW_H

#include "cli/opt.h"
#include "viz/options.h"

/* --epoch, --epochs, --from, --to, --threads, --fold, --detail, --page-rows. */
extern const struct opt draw_range_rows[];

/* The value of a range option (a key of draw_range_rows, or OPT_RUN) into r.
 * EX_OK, or EX_USAGE after the message naming cmd. */
int draw_range_option(const struct opt_cmd *cmd, struct vrange *r, int key, const char *arg);

#endif
