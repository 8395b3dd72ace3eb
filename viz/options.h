/*
 * viz/options.h — the options `draw` and `replay` share: which run, which
 * range of events (--epoch, --epochs, --from/--to by seq or time), which
 * threads, and how much to fold; and turning them into a seq range of a
 * database.  Takes no locks.
 */
#ifndef DLSYNC_VIZ_OPTIONS_H
#define DLSYNC_VIZ_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "cli/exitcode.h"
#include "replay/moment.h"
#include "replay/session.h"

struct vrange {
    int64_t run;
    int64_t epoch_a, epoch_b; /* 0: not given */
    struct moment from, to;   /* replay/moment.h */
    int64_t *threads;         /* NULL: all */
    int nthreads;
    int64_t quiet, detail, page_rows;
    /* Resolved by vrange_resolve. */
    int64_t seq_from, seq_to;
    char what[96]; /* "epoch 3", "seq 10-200", "whole trace" */
};

/* The keys of the shared options (cli/draw.c's table of them): the value
 * of each is read by vrange_option. */
enum {
    VR_RUN = 0x100,
    VR_EPOCH,
    VR_EPOCHS,
    VR_FROM,
    VR_TO,
    VR_THREADS,
    VR_FOLD,
    VR_DETAIL,
    VR_PAGE_ROWS,
};

void vrange_init(struct vrange *r);
void vrange_free(struct vrange *r);

/* Handle option c (a VR_* key) with its argument.  Returns 1 if it
 * was one of them, 0 if not, -1 on a bad value (message printed, naming
 * cmd and the option). */
int vrange_option(struct vrange *r, int c, const char *arg, const char *cmd);

/* Turn the options into seq_from..seq_to (moment_seq resolves --from and
 * --to; a seq outside the run is an error).  Returns EX_OK, or EX_NOT_FOUND /
 * EX_USAGE / EX_NO_INPUT with a message printed. */
int vrange_resolve(struct vrange *r, struct session *src, const char *cmd);

/* Title line: what is drawn, from which run. */
void vrange_title(const struct vrange *r, const struct session *src, char *buf, size_t n);

#endif
