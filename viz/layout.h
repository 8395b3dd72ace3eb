/*
 * viz/layout.h — dlsync's own layout of a sequence diagram: one lane per
 * thread, one row per time slot, and the items drawn on them (bars, arrows,
 * marks, rendezvous lines, elided stretches).  Graphviz only draws what this
 * decides (render.c), so lifelines never reorder and cost stays linear.
 *
 * Rows: time runs downward; events that happen one after another on
 * different threads share a row when nothing orders them (a receive always
 * lies below its send, a barrier departure below its release).  Stretches of
 * more than `quiet` routine events (lock traffic, syscalls, sleeps outside an
 * operation) fold into one labelled row, and so do whole operations (epochs)
 * when the range holds more than `detail` of them and they are unremarkable.
 * A cooperative retry loop is one bar with a count, not a row per try.
 *
 * Owns: struct vdiag (the result) and struct vlay (the work state; bounded by
 * threads, the fold buffer and the items drawn, never by events folded away).
 * Takes no locks; one layout per thread.
 */
#ifndef DLSYNC_VIZ_LAYOUT_H
#define DLSYNC_VIZ_LAYOUT_H

#include <stdint.h>

#include "replay/event.h"
#include "replay/findings.h"
#include "replay/model.h"
#include "replay/session.h"
#include "viz/escape.h"
#include "viz/waitfor.h"

/* Columns of a lane: waits centred on the lifeline, retry loops left of it,
 * holds right of it, one column per kind of lock. */
enum vcol { COL_WAIT, COL_RETRY, COL_GMUTEX, COL_LEASE, COL_STATE, COL_PROCESS, COL_COUNT };

enum vkind {
    VI_BAR,   /* lane, row..row2, col, style, obj, mode */
    VI_ARROW, /* lane,row -> lane2,row2, style */
    VI_MARK,  /* text (and a dot) at lane,row */
    VI_RDV,   /* barrier release: a line across lanes lane..lane2 at row */
    VI_FLAG,  /* the pending flag set from row to row2 (axis column) */
    VI_ELIDE, /* a folded stretch at row, across the diagram */
};

enum vstyle {
    VS_HOLD,    /* bar: holding */
    VS_WAIT,    /* bar: blocked waiting for it */
    VS_RETRY,   /* bar: cooperative try loop */
    VS_BARRIER, /* arrow: barrier broadcast */
    VS_OP,      /* arrow: operation broadcast */
    VS_WAKEUP,  /* arrow: wakeup signal */
    VS_LEASE,   /* arrow: lease handover */
    VS_LOST,    /* arrow: broadcast never received */
    VS_WAITFOR, /* arrow: waits for (hang) */
    VS_NOTE,    /* mark: plain text */
    VS_STRONG,  /* mark: operation begin/end, replay result */
    VS_ERROR,   /* mark: finding, failure, hang (bold) */
    VS_HANG,    /* mark: a hang label's further lines (red, plain, no dot) */
};

struct vitem {
    uint8_t kind, style, col, red;
    int32_t lane, lane2; /* lane indexes (struct vdiag.lanes) */
    int64_t row, row2;
    int64_t seq;         /* the event shown (0: none) */
    int64_t obj, mode;   /* bars: the lock, its mode; rdv: phase in mode */
    uint32_t label, tip; /* offsets into vdiag.text (0: none) */
};

struct vrow {
    int64_t seq, ts; /* first event drawn on the row */
    int64_t folded;  /* events folded into it (elided row), else 0 */
};

struct vlane {
    int64_t grp;
    char name[32];
    int64_t role;
    int used; /* has items: gets a lifeline */
};

struct vdiag {
    struct vlane *lanes; /* in group order; items refer to their index */
    int nlanes;
    struct vrow *rows;
    int64_t nrows, rows_cap;
    struct vitem *items;
    int64_t nitems, items_cap;
    struct vbuf text; /* labels, NUL separated; offset 0 is "" */
    char title[256];
    struct vbuf footer; /* findings and the hang story, one a line */
    /* The run's findings, judged for this diagram (session_findings), by
     * first seq: marked where they start, told in the footer. */
    struct findings findings;
    int64_t from_seq, to_seq, t0, events, folded_events, folded_epochs;
    int hang;
};

struct vlay_opts {
    int64_t from, to;       /* seq range, inclusive */
    const int64_t *threads; /* groups to draw (NULL: all) */
    int nthreads;
    int64_t quiet;  /* fold routine stretches longer than this (0: never) */
    int64_t detail; /* fold ordinary epochs beyond this many (0: never) */
    int hang;       /* draw what blocks at the end (range ends the trace) */
    /* Called once with the model at the range's start (every event before
     * it applied), before any event of the range; may be NULL. */
    void (*start)(void *ctx, const struct model *m);
    /* Called after each event of the range is applied to the model, in seq
     * order, with the row it was drawn on (or folded into); may be NULL. */
    void (*after)(void *ctx, const struct rev *e, const struct model *m, int64_t row);
    void *ctx;
};

/* The column of a lane where a hold or wait of obj is drawn. */
int vlay_col_of(int64_t obj);

/* Lay out events opts->from..to of src.  The model is rebuilt from the run's
 * first event (events before the range are applied, not drawn), so bars held
 * across the range start are drawn from its first row; the run's findings
 * are judged first (d->findings).  Returns 0, or -1 on a read error
 * (src->err).  d must be zeroed; free it with vdiag_free. */
int vlay_run(struct vdiag *d, struct session *src, const struct vlay_opts *opts);
void vdiag_free(struct vdiag *d);

/* The text at offset off of d->text. */
static inline const char *vdiag_text(const struct vdiag *d, uint32_t off)
{
    return d->text.p ? d->text.p + off : "";
}

#endif
