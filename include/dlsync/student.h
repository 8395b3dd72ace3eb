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

struct dl_thread; /* a protocol thread (opaque to a student) */

/* Exercise 07 — write this.  Called by a thread on its way into a scripted
 * sleep, after its syscall entry found nothing pending.  Contract: a wakeup
 * signal that arrived since that check must still be pending when the sleep
 * starts (the sleep then returns at once and the thread takes the slow path
 * to the barrier); the thread must not sleep through an epoch that waits for
 * it.  Holds no lock. */
void sleep_begin(struct dl_thread *self);

/* The primitives a student may call. */

/* A point where the controlled scheduler may switch threads. */
void sched_point(void);

/* Drop the wakeup signal pending for self, if any (what the buggy runtime
 * did at the start of a sleep: issue 6654). */
void wakeup_discard(struct dl_thread *self);

#endif
