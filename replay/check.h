/*
 * replay/check.h — the families of `dlsync check`, one file each, all fed
 * the same event stream through one model (model.c) and all judging from
 * the events alone:
 *   invariants.c  I1–I9 of docs/protocol.md §4, event by event;
 *   waitfor.c     a hang at the end of the trace: the wait-for graph over
 *                 threads, its cycles, and stalls without a cycle;
 *   lockorder.c   lockdep-style prediction: orders that could deadlock in
 *                 another interleaving, from a trace that did not hang.
 * No locks: everything runs in the checking thread.
 */
#ifndef DLSYNC_REPLAY_CHECK_H
#define DLSYNC_REPLAY_CHECK_H

#include "replay/findings.h"
#include "replay/model.h"

/* Judge e against the state before it (call before model_apply(m, e)). */
void invariants_event(struct findings *f, struct model *m, const struct rev *e);
/* Judge what must hold at the end of the trace. */
void invariants_end(struct findings *f, struct model *m);

/* The wait-for graph at the end of the trace.  discarded: events the tracer
 * dropped (a gap may look like a stall; the stories say so). */
void waitfor_end(struct findings *f, struct model *m, int64_t discarded);

struct lockorder;
struct lockorder *lockorder_new(void);
void lockorder_free(struct lockorder *lo);
/* Observe e (call before model_apply(m, e)). */
void lockorder_event(struct lockorder *lo, struct model *m, const struct rev *e);
void lockorder_end(struct lockorder *lo, struct findings *f);

#endif
