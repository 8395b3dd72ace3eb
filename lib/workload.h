/*
 * workload.h — a thread's script: the actions a group performs.
 *
 * Every action begins with a syscall entry (the guest makes a syscall), then
 * does its work through the protocol paths.  A worker performs --ops
 * actions, cycling through its script; a `once` script runs once; a daemon
 * cycles until every worker is done.
 */
#ifndef DLSYNC_WORKLOAD_H
#define DLSYNC_WORKLOAD_H

struct dl_thread;

/* Run the calling thread's script to its end (or until its group broke). */
void workload_run(struct dl_thread *self);

#endif
