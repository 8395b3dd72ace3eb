/*
 * include/dlsync/student.h — the public face of the protocol functions a
 * student rewrites in a fix exercise (exercises/, grade/fix.c): the function
 * to write and the only primitives it may call.  The reference definitions
 * in lib/ are weak: a student's object file linked before libdlsync.a
 * replaces them.  Self-contained (the student compiles against this file
 * alone).  Takes no locks itself.
 */
#ifndef DLSYNC_STUDENT_H
#define DLSYNC_STUDENT_H

#include <stdint.h>

struct dl_thread; /* a protocol thread (opaque to a student) */

/* Exercise 07 — write this.  Called by a thread on its way into a scripted
 * sleep, after its syscall entry found nothing pending.  Contract: a wakeup
 * signal that arrived since that check must still be pending when the sleep
 * starts (the sleep then returns at once and the thread takes the slow path
 * to the barrier); the thread must not sleep through an epoch that waits for
 * it.  Holds no lock. */
void sleep_begin(struct dl_thread *self);

/* Exercise 10 — write this.  Step 6 of the instigator: called between the
 * broadcast of the operation (step 5, under the read lock) and phase 2.
 * Contract: receive the instigator's own copy of this epoch's messages from
 * both buses, the barrier bus and the operation bus, so that both slots are
 * free when the next epoch broadcasts (a bus frees its slot only when every
 * receiver, the sender's own group included, has taken its copy).  Both
 * copies are already there: neither receive waits.  Entered holding the
 * group mutex, the lease and the state lock for read; returns holding the
 * same. */
void instigator_drain(struct dl_thread *self);

/* Exercise 13 — write this.  Step 1 of the instigator when it is alone
 * (rx_count of the operation bus is 1: no other group to tell): the epoch
 * ends here.  Entered holding the group mutex, the lease `lease` and the
 * state lock for write.  Contract: release both, in the reverse of the
 * order they were taken (lock order: group mutex → lease → state lock), so
 * that nobody may take the lease while the state lock is still held for
 * write; the group mutex stays held. */
void instigate_alone(struct dl_thread *self, int64_t lease);

/* The primitives a student may call. */

/* A point where the controlled scheduler may switch threads. */
void sched_point(void);

/* Drop the wakeup signal pending for self, if any (what the buggy runtime
 * did at the start of a sleep: issue 6654). */
void wakeup_discard(struct dl_thread *self);

/* Release the state lock held for write by self (lease: the lease self
 * holds with it). */
void state_lock_release_write(struct dl_thread *self, int64_t lease);

/* Release the topology lease `lease`, which self holds. */
void topology_lease_release(struct dl_thread *self, int64_t lease);

/* Receive self's group's next message from the barrier bus, or from the
 * operation bus (blocks until there is one); the message is dropped. */
void barrier_bus_receive(struct dl_thread *self);
void operation_bus_receive(struct dl_thread *self);

#endif
