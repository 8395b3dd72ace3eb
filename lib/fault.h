/*
 * fault.h — a protocol error (a "panic" of the runtime), at the bottom of
 * lib/: the protocol modules (rendezvous.c, spawn.c) report it here and
 * never call up into run.c; the run (run.c) installs the handler that
 * reacts to it (reports, RUN_PROTOCOL).  fault.c calls no other lib/
 * module.
 *
 * Locks: none.
 */
#ifndef DLSYNC_LIB_FAULT_H
#define DLSYNC_LIB_FAULT_H

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

#endif
