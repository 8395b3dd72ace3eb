/*
 * viz/waitfor.h — the words `draw` puts on the wait-for graph of a moment
 * (replay/waitgraph.h, the one graph, built by replay/): where each thread
 * is and what it holds, and why each edge waits.  Used by `dlsync draw
 * --waitfor` (render.c draws it with dot) and, at the end of a trace that
 * hangs, by the sequence diagram (layout.c).  It builds no graph and runs
 * no SQL: the nodes, edges and cycles are the waitgraph's.
 *
 * Owns: struct wf_view.  Takes no locks.
 */
#ifndef DLSYNC_VIZ_WAITFOR_H
#define DLSYNC_VIZ_WAITFOR_H

#include <stddef.h>

#include "replay/waitgraph.h"

/* What draw writes for one node of the graph (by thread id). */
struct wf_label {
    char what[112];  /* where it is: "blocked in write(state lock) since seq 12 (1.2 ms)" */
    char holds[112]; /* what it holds: "lease 4, state lock (write)"; "" if nothing */
    int shown;       /* drawn: a live protocol thread, or one an edge touches */
    int gone;        /* exited, yet waited for (a barrier still counts it) */
};

struct wf_view {
    struct waitgraph g;
    struct wf_label *n; /* by thread id, g.n of them */
    int nobody;         /* some edge waits for nobody */
};

/* The graph of m's current moment (waitgraph_build) with its words.  m must
 * outlive v and stay unchanged while v is used. */
void wf_open(struct wf_view *v, struct model *m);
void wf_close(struct wf_view *v);

/* Why e, an edge of a, waits: "state lock held since seq 12", "barrier e3
 * p1: not arrived", "broadcast not sent", "no epoch sends on it".  Returns
 * buf. */
const char *wf_edge_words(const struct wg_node *a, const struct wg_edge *e, char *buf, size_t n);

/* The name of e's target: its thread's, or "nobody".  Returns buf. */
const char *wf_target_name(const struct wg_edge *e, char *buf, size_t n);

#endif
