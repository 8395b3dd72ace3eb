/*
 * linker.h — the linker state shared by every group, and its locks.
 *
 * Owns: the state lock (reader-writer) and what it guards — the global module
 * table with each module's recorded table base, the symbol records, the free
 * closure slots, the table layout log that spawn finalisation replays, the
 * agreed table size, the epoch counter and the per-epoch digest history —
 * plus the topology lease, the pending flag and the two buses.
 *
 * Lock order: group mutex → lease → state lock.  Every function below that
 * reads guarded fields needs the state lock held (read), every one that
 * changes them needs it held for write; the caller takes it (see
 * rendezvous.h for the cooperative ways of doing so).
 */
#ifndef DLSYNC_LINKER_H
#define DLSYNC_LINKER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/bus.h"
#include "lib/flag.h"
#include "lib/lease.h"
#include "lib/scenario.h"
#include "lib/statelock.h"

/* One entry of the table layout log, in the order the table grew. */
struct segment {
    int kind; /* enum slot_kind: SLOT_MODULE, SLOT_RESOLVED or SLOT_CLOSURE */
    int module;
    int func;
    int64_t index;
    int64_t size;
};

struct symbol_record {
    int module;
    int func;
    int64_t index;
};

struct linker {
    struct state_lock lock;
    struct lease lease;
    struct pending_flag pending;
    struct bus barrier_bus;
    struct bus op_bus;
    const struct scenario *scn;

    /* Guarded by the state lock. */
    int nloaded;
    int loaded[SCN_MAX_MODULES];   /* module indices in load order */
    int64_t base[SCN_MAX_MODULES]; /* recorded table base per module, -1 not loaded */
    struct symbol_record *records;
    size_t nrecords, caprecords;
    int64_t *free_slots;
    size_t nfree, capfree;
    struct segment *segs;
    size_t nsegs, capsegs;
    int64_t table_size;        /* every group's table length after the last epoch */
    int64_t epoch;             /* the last epoch begun */
    int64_t epochs_by_kind[4]; /* indexed by enum ev_op */
    uint64_t *history;         /* history[e]: table digest after epoch e (0: bootstrap) */
    size_t caphistory;
};

void linker_init(struct linker *ls, const struct scenario *scn);
void linker_destroy(struct linker *ls);

/* Recorded table base of module m, or -1 if m is not loaded. */
int64_t linker_base(const struct linker *ls, int m);

/* Record module m as loaded at table base `base` (write held). */
void linker_add_module(struct linker *ls, int m, int64_t base);

/* Table index of the record of (module, func), or -1 (read held). */
int64_t linker_find_record(const struct linker *ls, int module, int func);

/* Add a symbol record (write held). */
void linker_add_record(struct linker *ls, int module, int func, int64_t index);

/* Append to the table layout log and grow the agreed table size (write held). */
void linker_add_segment(struct linker *ls, struct segment seg);

/* Free closure slots (write held). */
void linker_push_free(struct linker *ls, int64_t slot);
int64_t linker_pop_free(struct linker *ls); /* -1 when none */

/* Begin a new epoch of operation `kind` (write held): returns its number. */
int64_t linker_begin_epoch(struct linker *ls, int kind);

/* Record the digest every group must have after epoch e (write held). */
void linker_set_history(struct linker *ls, int64_t e, uint64_t digest);

#endif
