/*
 * operation.h — the replicated operations (epochs) and their replay.
 *
 * An operation is what the instigator broadcasts on the operation bus; the
 * epoch message bundles it with the barrier that the barrier bus carries.
 * The message is shared by the parties of the epoch and freed by the last
 * one to let go of it (atomic reference count; no locks).
 */
#ifndef DLSYNC_OPERATION_H
#define DLSYNC_OPERATION_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/barrier.h"
#include "lib/scenario.h"

struct group;
struct linker;

struct operation {
    int kind; /* enum ev_op */
    int64_t epoch;
    int nmods; /* LoadModules: modules in load order with their table bases */
    int mods[SCN_MAX_MODULES];
    int64_t bases[SCN_MAX_MODULES];
    int module, func; /* ResolveFunction */
    int64_t index;    /* ResolveFunction: slot; AllocateFunctionTable: start */
    int64_t size;     /* AllocateFunctionTable */
    uint64_t digest;  /* the instigator's table digest after applying */
};

struct epoch_msg {
    struct barrier barrier;
    struct operation op;
    int64_t begun_ns; /* when the instigator entered synchronize (now_ns): phase 1
                         waits for the followers from about then */
    _Atomic int refs;
};

/* A new message holding one reference (the instigator's). */
struct epoch_msg *epoch_msg_new(void);

/* Add n references (one per follower that will let go of it). */
void epoch_msg_ref(struct epoch_msg *m, int n);

/* Drop one reference; the last one frees the message. */
void epoch_msg_put(struct epoch_msg *m);

/* The two op arguments traced in op_begin/replay_begin (a, b). */
void operation_args(const struct operation *op, int64_t *a, int64_t *b);

/*
 * A follower's replay of op on g (state lock held for read):
 *  LoadModules: each module must start exactly at its recorded base;
 *  ResolveFunction: the export goes at exactly op->index, which must be free;
 *  AllocateFunctionTable: the table must be exactly op->index long.
 * Returns RESULT_OK or RESULT_ERROR (the group is then broken).
 */
int operation_replay(struct group *g, const struct linker *ls, const struct operation *op);

#endif
