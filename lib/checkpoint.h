/*
 * checkpoint.h — the process checkpoint (process snapshot, process.rs).
 *
 * A requester sets the mode to snapshot under the process mutex and wakes
 * everyone; each thread that notices freezes; the last thread to freeze
 * (every live thread checkpointing or deep-sleeping) writes the snapshot,
 * sets the mode back and wakes all; the others wait on the process condition
 * variable.  A frozen thread that a DL wakeup reaches thaws long enough to
 * take part in the pending operation, then freezes again — without this, a
 * frozen follower and an instigator waiting at phase 1 for it would deadlock.
 *
 * Locks: the process mutex; the group mutex (taken after releasing the
 * process mutex, to follow a pending operation).
 */
#ifndef DLSYNC_CHECKPOINT_H
#define DLSYNC_CHECKPOINT_H

struct dl_thread;

/* Request a checkpoint, then take part in it like any other thread. */
void checkpoint_request(struct dl_thread *self);

/* At a syscall entry: freeze if a checkpoint is in progress, until it ends. */
void checkpoint_maybe(struct dl_thread *self);

/* Mark the calling thread deep-sleeping (in a scripted sleep) or not. */
void checkpoint_deep_sleep(struct dl_thread *self, int sleeping);

#endif
