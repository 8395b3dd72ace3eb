/*
 * viz/waitfor.h — the wait-for graph at a moment, from the rebuilt model:
 * who is blocked, on what, and on whom that waits; cycles marked.  Used by
 * `dlsync draw --waitfor` and, at the end of a trace that hangs, by the
 * sequence diagram.
 *
 * Owns: struct wf_graph.  Takes no locks.
 */
#ifndef DLSYNC_VIZ_WAITFOR_H
#define DLSYNC_VIZ_WAITFOR_H

#include <stdint.h>

#include "replay/model.h"

struct wf_node {
    const struct mthread *t; /* the thread (threads are told apart by vtid, not group) */
    int64_t grp;
    char what[112];  /* where it is: "waits for state lock (write)", "running" */
    char holds[112]; /* what it holds: "lease 4, state lock (write)"; "" if nothing */
    int blocked;     /* in a blocking wait, a retry loop or a barrier */
    int gone;        /* exited, yet still counted by a barrier (never arrives) */
    int cycle;       /* on a cycle */
};

struct wf_edge {
    int from, to;  /* node indexes */
    int64_t obj;   /* what from waits on (events.h object id) */
    char kind[64]; /* "write lock held", "barrier e3 p1: not arrived", ... */
    int cycle;
};

struct wf_graph {
    struct wf_node *n;
    int nn;
    struct wf_edge *e;
    int ne;
    int cycle;   /* some cycle exists */
    int blocked; /* some thread is blocked */
};

/* Build the graph of m's current state: threads that started and did not
 * exit, and threads that exited while still subscribed to the buses (rx_count
 * still counts them, so a barrier waits for them forever: gone = 1); mark
 * every node and edge on a cycle. */
void wf_build(const struct model *m, struct wf_graph *g);
void wf_free(struct wf_graph *g);

/* Index of grp's node, or -1. */
int wf_node_of(const struct wf_graph *g, int64_t grp);

#endif
