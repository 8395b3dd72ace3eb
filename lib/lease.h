/*
 * lease.h — the topology lease: a single-writer token, not a mutex.
 *
 * Taken with a non-blocking try (granted or busy, never queued); every grant
 * carries a new, increasing id; the holder may hand it to another thread;
 * whoever holds it releases it.  Owns an internal mutex held only for the
 * few instructions of a try, handover or release (never while blocking).
 */
#ifndef DLSYNC_LEASE_H
#define DLSYNC_LEASE_H

#include <pthread.h>
#include <stdint.h>

struct lease {
    pthread_mutex_t mu;
    int64_t held_id; /* (mu) 0 when free */
    int holder;      /* (mu) group id of the holder, -1 when free */
    int64_t next_id; /* (mu) last id granted */
};

void lease_init(struct lease *l);
void lease_destroy(struct lease *l);

/* One try (a schedule point): returns the new lease id (> 0) or 0 when
 * busy.  Emits lock_attempt and lock_acquired or lock_busy. */
int64_t lease_try(struct lease *l);

/* Move the held lease `id` to group `to`.  Emits lease_handover. */
void lease_handover(struct lease *l, int64_t id, int to);

/* Release lease `id`; the caller must hold it (asserted).  Emits lock_released. */
void lease_release(struct lease *l, int64_t id);

/* The current holder's group id, or -1 (for reports). */
int lease_holder(struct lease *l);

/* Is lease `id` held by group `group` (the lease is a token that moves
 * between groups: a caller asks with its own group id)?  For assertions:
 * no tracing, only the lease's own mutex. */
int lease_held_by(struct lease *l, int64_t id, int group);

#endif
