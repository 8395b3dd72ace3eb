/*
 * tracer/names.h — the protocol's words: what dlsync calls each number an
 * event carries (tracer/events.h's enums) and each word a scenario is written
 * in.  Owned by tracer/names.c: static strings only, no locks, built with
 * DLSYNC_NO_TRACE too.
 *
 * One table per concept, and every part that prints or parses these words
 * calls it: the run's watchdog and reports (lib/run.c), the scenario parser
 * (lib/scenario.c), the command line (cli/), the database, `state` and
 * `check` (replay/, whose replay/names.h adds the formatted names "group-3",
 * "group-3 mutex" and times) and the diagrams (viz/).  The words are those
 * of docs/protocol.md; output that tests compare depends on them, so a word
 * changes here or nowhere.
 */
#ifndef DLSYNC_TRACER_NAMES_H
#define DLSYNC_TRACER_NAMES_H

#include <stdint.h>

/* obj: "state lock", "lease", "process mutex", "barrier bus", "operation
 * bus", "pending flag", "barrier"; every group mutex is "group mutex"; "-"
 * for OBJ_NONE, "unknown object" for an id not in enum ev_object. */
const char *ev_object_name(int64_t obj);

/* mode of lock events: "read", "write", "exclusive", or "-" for MODE_NONE
 * and unknown values. */
const char *ev_mode_name(int64_t mode);

/* how of lock events: "blocking" for HOW_BLOCKING, else "try". */
const char *ev_how_name(int64_t how);

/* The call a thread blocks in on obj with mode, as in "blocked in
 * write(state lock)": the mode's name for the state lock, "lock" for a mutex
 * or the lease. */
const char *ev_lock_call_name(int64_t obj, int64_t mode);

/* mode of thread_start: "main", "worker", "daemon", or "other". */
const char *ev_role_name(int64_t role);

/* mode of action_begin/action_end, and the action words of a scenario
 * script: "syscall", "dlopen", "dlsym", "closure-alloc", "closure-free",
 * "sleep", "guest-wait", "spawn", "exit", "checkpoint"; "-" for a value not
 * in enum ev_action. */
const char *ev_action_name(int64_t action);

/* The enum ev_action value whose word is word, or -1. */
int ev_action_by_name(const char *word);

/* mode of op_begin/op_end/replay_begin/replay_end: "LoadModules",
 * "ResolveFunction", "AllocateFunctionTable", or "-". */
const char *ev_op_name(int64_t op);

/* mode of wait_begin/wait_end (and a of wakeup_received): "sleep", "guest
 * wait", "child", "checkpoint", or "-". */
const char *ev_wait_name(int64_t wait);

/* how of wait_end: "full", "woken", "done", or NULL for any other value. */
const char *ev_wait_result_name(int64_t result);

/* mode of flag_load: "seq_cst" for ORDER_SEQ_CST, else "relaxed". */
const char *ev_ordering_name(int64_t ordering);

/* mode of run_begin (lib/sched.h's enum sched_mode): "os", "controlled", or
 * "unknown" (also the words of the --sched option). */
const char *ev_sched_name(int64_t sched);

/* how of run_begin (enum sched_strategy): "random", "pct", "dfs", or
 * "unknown" (also the words of the --strategy option). */
const char *ev_strategy_name(int64_t strategy);

#endif
