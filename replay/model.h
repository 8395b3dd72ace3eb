/*
 * replay/model.h — the protocol's state rebuilt from events, one event at a
 * time.  Used by ingest (derived tables), `state` (the state at a moment)
 * and `check` (invariants and the wait-for graph at the end).
 *
 * Owns: struct model and everything in it: threads and where each one is,
 * who holds which lock, the lease, the pending flag, rx_count, epochs in
 * flight and barrier arrivals.  Memory is bounded by the number of threads
 * plus a fixed ring of epochs, never by the number of events, and no field
 * of an event sizes or indexes an array.  Not thread safe: one model belongs
 * to one thread; takes no locks.
 *
 * Threads: a thread is known by its Linux thread id (the event's vtid), or
 * by its group when the event has none (struct mthread); events that name
 * a thread by group resolve to the newest thread of that group.
 *
 * Records: when something with a beginning and an end finishes (a hold or a
 * wait of a lock, a receive or other wait, a party's stay at a barrier, an
 * epoch), the model hands a record to its sink; model_flush() hands over the
 * unfinished ones (ends 0) at the end of the trace.  Seqs and timestamps are 0
 * where a record has no such moment.
 */
#ifndef DLSYNC_REPLAY_MODEL_H
#define DLSYNC_REPLAY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "replay/event.h"

/* Where a thread is, as far as its events show. */
enum mpos {
    MP_UNSEEN = 0, /* named by another thread's event (handover, child wait), not started */
    MP_RUNNING,
    MP_LOCK,    /* blocking attempt on obj in flight */
    MP_BUS,     /* receive on a bus begun, not ended */
    MP_BARRIER, /* arrived at the barrier, not departed */
    MP_WAIT,    /* wait_begin without wait_end (sleep, guest wait, child, checkpoint) */
    MP_EXITED,
};

/* How a party got to the barrier: what the thread was doing when it entered
 * the follower path.  Stored as text by name_via(). */
enum mvia {
    VIA_NONE = 0,
    VIA_INSTIGATOR,
    VIA_FAST,       /* syscall entry, relaxed load read the flag set */
    VIA_SLOW,       /* syscall entry slow path */
    VIA_WOKEN,      /* woken by the signal: slow path directly */
    VIA_COOP_WRITE, /* cooperative write loop */
    VIA_COOP_LEASE, /* cooperative lease loop */
    VIA_CHECKPOINT, /* thawed from a checkpoint freeze to follow */
};
const char *model_via_name(int via);

enum hold_outcome { HOLD_WAITING = 0, HOLD_BUSY, HOLD_HELD, HOLD_HANDED };
const char *model_outcome_name(int outcome);

/* One hold or wait of a lock, the lease or a mutex.  The lease's hold moves
 * with lease_handover: the giver's record ends HOLD_HANDED (handed_to set),
 * the receiver's starts at the handover (att_seq = acq_seq = its seq). */
struct hold_rec {
    int64_t grp, obj, mode, how, lease;
    int64_t att_seq, att_ts; /* lock_attempt (wait begin) */
    int64_t acq_seq, acq_ts; /* lock_acquired, or lock_busy for HOLD_BUSY */
    int64_t rel_seq, rel_ts; /* lock_released or lease_handover */
    int64_t handed_to;       /* -1 unless HOLD_HANDED */
    int outcome;
};

/* A blocking wait that is not a lock: bus receive or wait_begin/wait_end. */
enum {
    WAITK_RECV_BARRIER_BUS = 100 + OBJ_BARRIER_BUS,
    WAITK_RECV_OP_BUS = 100 + OBJ_OPERATION_BUS
};
struct wait_rec {
    int64_t grp;
    int64_t what; /* enum ev_wait, or WAITK_RECV_* */
    int64_t arg;  /* child group for WAIT_CHILD, duration us for sleeps */
    int64_t epoch;
    int64_t beg_seq, beg_ts, end_seq, end_ts;
    int64_t result; /* enum ev_wait_result, -1 if unfinished */
};

/* One party's stay at one phase of one epoch's barrier. */
struct rdv_rec {
    int64_t epoch, phase, grp;
    int instigator;
    int via;
    int64_t woken_seq, woken_ts; /* last wakeup_received before arriving, in this epoch */
    int64_t arr_seq, arr_ts, index, parties;
    int64_t dep_seq, dep_ts;
};

struct mthread;

/* One operation (epoch). */
struct epoch_rec {
    int64_t epoch, kind, instigator, a, b; /* instigator: its group (-1 unknown) */
    const struct mthread *inst;            /* the instigator's thread (NULL unknown) */
    char name[64];
    int64_t lease, lease_seq, lease_ts; /* the instigator's lease and when it was taken */
    int64_t op_seq, op_ts;              /* op_begin: applied locally */
    int64_t rx, bcast_seq, bcast_ts;    /* barrier broadcast and its rx_count */
    int64_t full_seq;                   /* a broadcast of this epoch found a bus full */
    int64_t flag_set_seq, flag_clear_seq;
    int64_t p1_seq, p1_ts; /* last arrival at phase 1 */
    int64_t opcast_seq;    /* operation broadcast */
    int64_t p2_seq, p2_ts; /* last arrival at phase 2 */
    int64_t end_seq, end_ts, status, digest, table_size;
    int64_t arrivals[3], departures[3]; /* by phase (index 1, 2) */
    int emitted;
};

struct mhold {
    int64_t obj, mode, how, lease, att_seq, att_ts, acq_seq, acq_ts;
};
/* More holds at once than any thread of the protocol takes (the state lock,
 * the lease, the process mutex, a group mutex or two).  A trace that shows
 * more is judged by check (rule exclusion); the model keeps the first
 * MODEL_MAX_HOLDS (a later release of an extra one is a release without an
 * acquire). */
enum { MODEL_MAX_HOLDS = 8 };

/* One thread, as the trace identifies it: by its Linux thread id (vtid) when
 * its events carry one, else by its group.  A thread first named by another
 * thread's event (a handover, a wakeup, a child wait) is a placeholder,
 * MP_UNSEEN with vtid -1, until its own first event arrives. */
struct mthread {
    int64_t id;                 /* 0, 1, ...: the order in which the model first met it; stable */
    int64_t grp;                /* its group, from its events (or the naming event's field) */
    int64_t vtid, role, parent; /* parent: the group thread_start names */
    int run_own;                /* emitted run_begin: the run's own thread */
    char name[32];
    int64_t first_seq;           /* its own first event (0: a placeholder) */
    int64_t last_seq, last_kind; /* the thread's latest event */
    int pos;                     /* enum mpos */
    int64_t pos_obj, pos_mode, pos_epoch, pos_phase, pos_arg, pos_seq, pos_ts;
    int64_t start_seq, start_ts, exit_seq, exit_ts, exit_status;
    int64_t action, action_seq; /* current action (0 none) */
    /* The wait begun (wait_begin) and not yet ended (wait_seq 0: none); it
     * outlives the position, which a lock taken inside the wait moves. */
    int64_t wait_kind, wait_arg, wait_seq, wait_ts;
    char action_arg[48];
    /* Locks held, and the attempt in flight (att_seq 0: none). */
    struct mhold holds[MODEL_MAX_HOLDS];
    int nholds;
    struct mhold att;
    /* Cooperative loop: the object whose try was busy (0: not looping). */
    int64_t retry_obj, retry_mode, retry_seq, retry_ts, retries;
    /* Follower path context. */
    int ctx, follow_via;
    int64_t woken_seq, woken_ts, wakeup_sent_seq, wakeup_sent_epoch;
    int64_t flag_load_seq, flag_load_val, flag_load_order;
    int64_t woken_entry_seq; /* syscall_entry on the woken path whose flag load is to come */
    /* Rendezvous: the epoch this thread takes part in and how far it got:
     * 1 at phase 1, 2 between phase 1 and phase 2, 3 at phase 2, 0 done. */
    int64_t rdv_epoch, rdv_phase, rdv_arr_seq, rdv_arr_ts, rdv_index, rdv_parties, rdv_woken;
    int rdv_stage, rdv_via;
    int64_t counted_epoch; /* last epoch whose barrier broadcast counted this group */
    int subscribed;        /* holds a receiver on the operation bus */
    int64_t sub_seq, unsub_seq;
    /* Replay. */
    int64_t replay_epoch, replay_digest, replay_size, replay_how, replay_seq;
    /* Checkpoints. */
    int frozen, deep_sleeping, sleep_stage;
};

struct model_sink {
    void *ctx;
    void (*hold)(void *ctx, const struct hold_rec *r);
    void (*wait)(void *ctx, const struct wait_rec *r);
    void (*rdv)(void *ctx, const struct rdv_rec *r);
    void (*epoch)(void *ctx, const struct epoch_rec *r);
    void (*thread)(void *ctx, const struct mthread *t); /* model_flush only */
};

enum { MODEL_EPOCH_RING = 64 };

/* A key of the model's thread indexes (a vtid or a group) and its newest
 * thread. */
struct mkey {
    int64_t key;
    struct mthread *t;
};

struct model {
    struct model_sink sink;
    /* Every thread, none NULL, ordered by group, then vtid, then id: the
     * order in which `state`, `check` and the diagrams list them. */
    struct mthread **threads;
    int64_t nthreads;
    /* Private to model.c: the same threads by id, and the newest thread of
     * each vtid and of each group (sorted by key, searched by bisection);
     * the thread of the last event. */
    struct mthread **by_id;
    struct mkey *by_vtid, *by_grp;
    int64_t nvtid, ngrp;
    size_t cap_threads, cap_by_id, cap_vtid, cap_grp;
    struct mthread *cur;
    int64_t t0, last_seq, last_ts, nevents;
    /* Lease: its id and holder (NULL: free); the thread that handed it to
     * its holder (NULL when the holder took it). */
    int64_t lease_id, lease_seq, lease_ts;
    struct mthread *lease_holder, *lease_giver;
    /* State lock: the writer (NULL: none) and the number of readers. */
    struct mthread *writer;
    int64_t write_seq, readers;
    /* Flag. */
    int flag;
    int64_t flag_epoch, flag_seq, flag_ts;
    /* Buses. */
    int64_t rx_count, rx_barrier;
    /* Epochs: the newest epoch seen, and a ring of recent ones. */
    int64_t epoch_last;
    struct epoch_rec ring[MODEL_EPOCH_RING];
    /* Checkpoint. */
    int64_t ckpt_request_seq, ckpt_snapshot_seq;
    /* The run, as run_begin says it was made (ops, sched, strategy and
     * pct_depth are 0 in traces older than the controlled scheduler). */
    int64_t run_begin_seq, run_end_seq, run_status, seed, groups, ops, sched, strategy, pct_depth;
    struct mthread *run_thread; /* the thread that emitted run_begin */
    char scenario[64], variant[64];
    /* The schedule, from its schedule events (NULL: none, or a part is
     * missing or out of order). */
    char *schedule;
    size_t schedule_len;
    int64_t schedule_parts, schedule_next;
};

/* A model with no threads, no holders, flag clear.  sink may be NULL. */
void model_init(struct model *m, const struct model_sink *sink);
void model_free(struct model *m);

/* Apply one event.  Events must come in seq order. */
void model_apply(struct model *m, const struct rev *e);

/* Hand every unfinished record, then every thread, to the sink. */
void model_flush(struct model *m);

/* The newest thread of group grp (NULL if no event named it). */
struct mthread *model_thread(const struct model *m, int64_t grp);

/* The thread with this id (NULL if none). */
struct mthread *model_thread_by_id(const struct model *m, int64_t id);

/* The thread e is an event of: the thread of e's vtid (of its group when e
 * has none), or the placeholder of its group, which adopts e's vtid; a new
 * thread (MP_UNSEEN) when e begins one the model has not met (its first
 * event, or a thread_start on a vtid whose thread has already started: a
 * reused tid).  Returns the same thread until e is applied: call it to judge
 * e against the state before it; model_apply(m, e) then applies e to it. */
struct mthread *model_enter(struct model *m, const struct rev *e);

/* t's name in every output: "group-3"; for a thread without a group (-1),
 * "dlsync" if it is the run's own thread (or the trace does not tell threads
 * apart), else "thread TID".  Returns buf. */
const char *model_thread_name(const struct mthread *t, char *buf, size_t n);

/* The epoch record of epoch (NULL if unknown or dropped from the ring). */
struct epoch_rec *model_epoch(struct model *m, int64_t epoch);

/* model_arrived_at: is t's latest barrier arrival the one at phase of
 * epoch?  model_missing_at: is t a party of epoch's barrier (counted at its
 * broadcast) that has not yet arrived at phase? */
int model_arrived_at(const struct mthread *t, int64_t epoch, int64_t phase);
int model_missing_at(const struct mthread *t, int64_t epoch, int64_t phase);

/* The hold of obj in t (NULL if t does not hold it). */
struct mhold *model_held(struct mthread *t, int64_t obj);

/* For each thread holding obj (any mode): calls fn.  Returns the count. */
int model_holders(const struct model *m, int64_t obj, void (*fn)(void *, struct mthread *),
                  void *arg);

#endif
