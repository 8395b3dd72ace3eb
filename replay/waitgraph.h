/*
 * replay/waitgraph.h — THE wait-for graph of a moment of the model: which
 * threads are blocked, on what, and for whom they wait, with its cycles.
 * `check` tells its deadlocks and stalls from it (waitfor.c) and `draw
 * --waitfor` renders it (viz/waitfor.c); nobody else builds one.
 *
 * Owns: struct waitgraph.  Takes no locks.
 *
 * Nodes: every thread of the model (struct mthread, keyed by its id, one a
 * vtid).  Edges, from a blocked thread to whom it waits for:
 *   blocked in read/write of the state lock → its holders (for write: all;
 *     for read: the writer); blocked on a mutex → its holder;
 *   retrying try-lease → the lease holder; retrying try-write → the state
 *     lock's holders (a cooperative loop runs the follower path, but it
 *     cannot finish its own action until they let go);
 *   at the barrier, epoch E phase P → every group counted at E's broadcast
 *     (rx_count parties) that has not arrived at phase P;
 *   receiving from a bus → the sender: the instigator of the epoch it is in
 *     (operation bus) or is to enter (barrier bus);
 *   waiting for a child → the child; frozen at a checkpoint → every live
 *     thread neither frozen nor deep-sleeping.
 * A blocked thread for which none of these finds a thread gets one edge to
 * nobody (to == NULL): a lock or lease held by no thread the trace shows, a
 * receive that no epoch answers.
 */
#ifndef DLSYNC_REPLAY_WAITGRAPH_H
#define DLSYNC_REPLAY_WAITGRAPH_H

#include <stdint.h>

#include "replay/model.h"

struct wg_edge {
    struct mthread *to; /* the thread waited for (the waiter itself when it waits
                           for what it holds); NULL: nobody */
    int64_t obj;        /* what the waiter waits on: an events.h object id
                           (OBJ_BARRIER for the barrier); 0 for a child or a
                           checkpoint */
    int64_t seq;        /* the waiter's event that began the wait (or try loop) */
    int64_t to_seq;     /* to's event that keeps it waiting: its acquisition of
                           obj for a hold; 0 otherwise */
};

struct wg_node {
    struct mthread *t;
    int blocked; /* in a blocking wait for a thread, a try loop or the barrier */
    struct wg_edge *out;
    int nout;
    int scc;                  /* its strongly connected component, 1.. (0: not blocked) */
    int cycle;                /* on a cycle: an SCC of two or more, or a wait for itself */
    int index, low, on_stack; /* Tarjan */
};

struct waitgraph {
    struct model *m;
    struct wg_node *v; /* by thread id: v[t->id] */
    int64_t n;
    int nscc;
    int blocked; /* some thread is blocked */
    int cycle;   /* some cycle exists */
};

/* Build the graph of m's current moment into g (freed with
 * waitgraph_free).  m must outlive g and stay unchanged while g is used. */
void waitgraph_build(struct waitgraph *g, struct model *m);
void waitgraph_free(struct waitgraph *g);

/* The node of thread id, NULL if there is none. */
struct wg_node *waitgraph_node(const struct waitgraph *g, int64_t id);

/* The threads a waits for (edges to nobody not counted). */
int waitgraph_nthreads(const struct wg_node *a);

/* Is e, an edge of a, on a cycle? */
int waitgraph_edge_cycle(const struct waitgraph *g, const struct wg_node *a,
                         const struct wg_edge *e);

#endif
