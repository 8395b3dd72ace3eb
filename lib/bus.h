/*
 * bus.h — a depth-1 broadcast bus (the barrier bus and the operation bus).
 *
 * One slot.  A broadcast is try-only: it fails while any live receiver has
 * not yet taken the previous message.  The slot frees when every receiver,
 * the sender's own group included, has taken its copy (or unsubscribed).
 * Receiving blocks.  Owns its mutex and its wait word; the mutex is a leaf
 * (held for a few instructions, never while waiting).  A broadcast is a
 * schedule point; a receiver waits through the scheduler and, in OS mode,
 * on the wait word (see waitword.h): a bounded spin, then a sleep.
 */
#ifndef DLSYNC_BUS_H
#define DLSYNC_BUS_H

#include <pthread.h>
#include <stdint.h>

#include "lib/waitword.h"

struct bus {
    pthread_mutex_t mu;
    struct waitword posted; /* low 32 bits of seq, stored under mu */
    int64_t obj;            /* OBJ_BARRIER_BUS or OBJ_OPERATION_BUS */
    int rx_count;           /* (mu) live receivers */
    int64_t seq;            /* (mu) sequence number of the message in the slot, 0 none */
    int untaken;            /* (mu) live receivers that have not taken message seq */
    int64_t epoch;          /* (mu) epoch of the message in the slot */
    void *payload;          /* (mu) the message */
};

struct bus_rx {
    struct bus *bus;
    int64_t taken; /* sequence number of the last message taken */
    int live;
};

void bus_init(struct bus *b, int64_t obj);
void bus_destroy(struct bus *b);

/* Subscribe rx; it will receive messages broadcast from now on.  Emits
 * group_subscribe with the new rx_count. */
void bus_subscribe(struct bus *b, struct bus_rx *rx);

/* Drop rx (its untaken copy, if any, counts as taken).  Emits
 * group_unsubscribe with the new rx_count. */
void bus_unsubscribe(struct bus_rx *rx);

/* Live receivers now. */
int bus_rx_count(struct bus *b);

/* Try to broadcast payload for epoch: returns 0 on success, -1 when the slot
 * is still full.  Emits bus_broadcast (ok/full, rx_count). */
int bus_try_broadcast(struct bus *b, int64_t epoch, void *payload);

/* bus_try_broadcast without waking receivers blocked in bus_recv: the
 * message is in the slot (a receiver that looks takes it) but a sleeping
 * receiver is notified only by the bus_notify that the caller owes right
 * after, once it has released what the receivers would block on next. */
int bus_try_post(struct bus *b, int64_t epoch, void *payload);
void bus_notify(struct bus *b);

/* Block until a message newer than the last one rx took arrives; take it. */
void *bus_recv(struct bus_rx *rx, int64_t *epoch);

/* The payload of the message for `epoch`, if it is in the slot and rx (a
 * live receiver) has not taken it yet; else NULL.  Takes nothing. */
void *bus_untaken(struct bus_rx *rx, int64_t epoch);

#endif
