/*
 * fault.h — the two ways a protocol thread ends a run, at the bottom of
 * lib/: a protocol error (a "panic" of the runtime, from rendezvous.c and
 * spawn.c) and a delayed epoch (from workload.c).  They are reported here
 * and never by a call up into run.c; the run (run.c) installs the handlers
 * that react (report, RUN_PROTOCOL or RUN_DELAYED).  fault.c calls no
 * other lib/ module.
 *
 * Locks: none.
 */
#ifndef DLSYNC_LIB_FAULT_H
#define DLSYNC_LIB_FAULT_H

#include <stdint.h>

/* What reacts to a protocol error: must not return (it ends the run or,
 * in a unit test, jumps out). */
typedef void (*fault_handler)(const char *msg);

/* Install the run's handler (run_execute, before any protocol thread
 * starts); NULL removes it. */
void fault_set_handler(fault_handler h);

/* A fatal protocol error: record msg (the first one wins; see
 * fault_message) and hand it to the run's handler.  Called from protocol
 * threads, holding any locks; a handler must be installed.  Does not
 * return. */
_Noreturn void fault_protocol(const char *msg);

/* The first protocol error recorded ("" if none). */
const char *fault_message(void);

/* A delayed epoch: a party's sleep or guest wait ran to its end although
 * a wakeup was sent to it for the epoch, which waits for it at phase 1. */
struct fault_delay {
    int64_t epoch;    /* the epoch that waited at phase 1 */
    int from;         /* the group that sent the wakeup for it (-1: unknown) */
    int wait_kind;    /* WAIT_SLEEP or WAIT_GUEST: the wait that ran to its end */
    int64_t ms;       /* that wait's length */
    int64_t delay_ns; /* how long the epoch has waited (since its instigator began it) */
};

/* What reacts to a delayed epoch: must not return (it ends the run). */
typedef void (*fault_delay_handler)(const struct fault_delay *d);

/* Install the run's handler for a delayed epoch; NULL removes it. */
void fault_set_delay_handler(fault_delay_handler h);

/* The calling protocol thread delayed epoch d->epoch: hand it to the
 * run's handler.  Holding no lock; a handler must be installed.  Does not
 * return. */
_Noreturn void fault_delayed(const struct fault_delay *d);

#endif
