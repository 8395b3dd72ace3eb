/*
 * rendezvous.h — the cooperative paths and the rendezvous itself.
 *
 * The instigator (synchronize) and the follower (follow_pending) meet at the
 * epoch's barrier twice; the cooperative write and the cooperative lease
 * never block on the state lock or the lease but take part in any pending
 * operation while they retry.  All functions act for the calling protocol
 * thread (thread_self()) on its own group and its process's linker.
 *
 * Lock order: group mutex → lease → state lock (write).  The cooperative
 * functions may be called with the group mutex held; synchronize is entered
 * holding group mutex, lease and write, and releases write and lease.
 */
#ifndef DLSYNC_RENDEZVOUS_H
#define DLSYNC_RENDEZVOUS_H

#include <stdint.h>

struct dl_thread;
struct epoch_msg;

/* Cooperative lease (acquire_topology_token): loop { try-lease; on busy: one
 * backoff step, then the follower path if an operation is pending }.
 * Returns the lease id. */
int64_t coop_lease(struct dl_thread *self);

/* Cooperative write (write_linker_state): loop { try-write; on busy: one
 * backoff step, then the follower path if pending }.  `lease` is the lease
 * id the caller holds, or 0.  (Variant naive-write: a blocking write.) */
void coop_write(struct dl_thread *self, int64_t lease);

/* The lease, then the state lock for write (write_linker_state_with_topology):
 * cooperative lease, then a blocking write, allowed because the lease is
 * held.  (Variant lease-after-write: cooperative write, then the lease.)
 * Returns the lease id. */
int64_t lease_then_write(struct dl_thread *self);

/* Begin an operation as its instigator (lease and write held): a new epoch
 * in a new message.  The caller fills in and applies the operation, then
 * calls epoch_applied and synchronize. */
struct epoch_msg *epoch_begin(struct dl_thread *self, int kind);

/* Record the instigator's digest after applying m's operation, and trace
 * the operation (op_begin, with its arguments and `name`). */
void epoch_applied(struct dl_thread *self, struct epoch_msg *m, const char *name);

/* Instigator (synchronize_link_operation): broadcast m's operation to every
 * group and wait until every follower has replayed it.  Entered holding the
 * group mutex, the lease `lease` and the state lock for write (asserted:
 * tmutex_held_by_me, lease_held_by, statelock_write_held_by_me); returns having
 * released the write lock and the lease (the group mutex stays held).
 * m->op must be filled in and already applied by the caller. */
void synchronize(struct dl_thread *self, int64_t lease, struct epoch_msg *m);

/* Follower (do_pending_link_operations_internal): if the pending flag reads
 * set (seq_cst; or, woken in variant relaxed-wake, possibly stale), receive
 * the barrier, phase 1, receive the operation, read lock, replay, phase 2,
 * unlock.  Called with the group mutex held.  Returns 1 if it took part. */
int follow_pending(struct dl_thread *self, int woken);

/* Does the calling thread's group owe `epoch` its arrival at phase 1: was
 * the epoch's barrier broadcast to it, and has it not received it yet?  Then
 * phase 1 cannot pass without this thread.  Returns when the epoch's
 * instigator began it (now_ns), or -1.  Reads only the calling thread's own
 * group (no group mutex needed: nothing else changes it); takes the barrier
 * bus's mutex. */
int64_t phase1_owed_since(struct dl_thread *self, int64_t epoch);

/* Syscall entry: maybe freeze for a checkpoint, then the fast path (relaxed
 * load of the flag) or, when woken by the signal, the slow path directly. */
void syscall_entry(struct dl_thread *self, int woken);

#endif
