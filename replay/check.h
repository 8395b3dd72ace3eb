/*
 * replay/check.h — the families of `dlsync check`, one file each, all fed
 * the same event stream through one model (model.c) and all judging from
 * the events alone:
 *   invariants.c  I1–I9 of docs/protocol.md §4, event by event;
 *   waitfor.c     a hang at the end of the trace: the cycles of the
 *                 wait-for graph (waitgraph.c) and its stalls without one;
 *   lockorder.c   lockdep-style prediction: orders that could deadlock in
 *                 another interleaving, from a trace that did not hang;
 *   healed.c      stalls that heal: an epoch delayed at phase 1 by a party
 *                 whose wakeup was lost or ignored (its wait ran to its end).
 * Then gaps.c marks the findings that a gap in the trace could explain.
 * check.c owns the pass that feeds them all (struct check_pass).
 * No locks: everything runs in the checking thread.
 */
#ifndef DLSYNC_REPLAY_CHECK_H
#define DLSYNC_REPLAY_CHECK_H

#include "replay/findings.h"
#include "replay/gaps.h"
#include "replay/model.h"

/* A buffer for a thread's name (model_thread_name). */
typedef char tname_t[32];

/* Each family's *_event judges e, an event of thread t (model_enter(m, e)),
 * against the state before it: call it before model_apply(m, e). */

/* Judge e against the invariants and the exclusion rules. */
void invariants_event(struct findings *f, struct model *m, struct mthread *t, const struct rev *e);
/* Judge what must hold at the end of the trace. */
void invariants_end(struct findings *f, struct model *m);

/* The wait-for graph at the end of the trace: deadlocks (a self-deadlock
 * too) and stalls. */
void waitfor_end(struct findings *f, struct model *m);

struct lockorder;
struct lockorder *lockorder_new(void);
void lockorder_free(struct lockorder *lo);
/* Observe e (call before model_apply(m, e)). */
void lockorder_event(struct lockorder *lo, struct model *m, struct mthread *t, const struct rev *e);
void lockorder_end(struct lockorder *lo, struct findings *f);

struct healed;
struct healed *healed_new(void);
void healed_free(struct healed *h);
/* Observe e (call before model_apply(m, e)); a finding when a party whose
 * wakeup went untaken arrives at phase 1 of the wakeup's epoch. */
void healed_event(struct healed *h, struct findings *f, struct model *m, struct mthread *t,
                  const struct rev *e);

/* One pass of `check` over a run's events: one model fed to every family. */
struct check_pass {
    struct model m;
    struct findings f;
    struct lockorder *lo;
    struct healed *hs;
    int64_t events;
};
/* sink: what the model hands over as it goes (NULL: nothing; the fuzz target
 * reads every record). */
void check_pass_init(struct check_pass *p, const struct model_sink *sink);
/* Judge e, then apply it (events in seq order).  Returns 0: a callback of
 * db_scan_events. */
int check_pass_event(void *p, const struct rev *e);
/* The end of the trace: what must hold at the end, the wait-for graph, the
 * lock orders; then every finding against g's gaps. */
void check_pass_end(struct check_pass *p, const struct gaps *g);
struct db;
struct db_run;
/* The whole pass of `dlsync check` over run of db, as every command that
 * shows findings runs it (`check`, `state`, `draw`, `replay`, through
 * replay/session.c or directly): the run's gaps into *g (gaps_free it), every
 * event through check_pass_event, then check_pass_end.  p is initialised
 * (check_pass_init).  Returns the events read, or -1 with db->err set. */
int64_t check_run(struct check_pass *p, struct db *db, const struct db_run *run, struct gaps *g);
struct evstream;
/* The same pass over an event log (replay/evstream.h: the form `run
 * --events-out` writes), with the gaps g: every event through
 * check_pass_event, then check_pass_end.  p is initialised.  Returns the
 * events read, or -1 with s->err set (the pass is then not ended). */
int64_t check_stream(struct check_pass *p, struct evstream *s, const struct gaps *g);
/* The findings of run of db, judged now by check_run, ordered by their first
 * seq (ties in check's order), into *f (findings_free it; empty on an
 * error).  0, or -1 with db->err set. */
int check_findings(struct db *db, const struct db_run *run, struct findings *f);
/* Exit status of `check` (and of the test feeder), cli/exitcode.h: EX_OK
 * without findings, else the verdict of the worst reliable finding (the code
 * `dlsync run` gives that failure): an invariant or exclusion rule broken
 * EX_PROTOCOL, before a deadlock or stall EX_HANG, before a healed stall
 * EX_DELAYED, before a lock-order prediction EX_PREDICTED; EX_UNRELIABLE when
 * every finding could be an artefact of a gap. */
int check_pass_status(const struct check_pass *p);
void check_pass_free(struct check_pass *p);

/* What `dlsync check` was asked (cli/check.c reads it). */
struct check_opts {
    const char *db; /* the database */
    int64_t run;    /* its run (0: the newest) */
    int json;       /* JSON instead of text */
    int store;      /* replace the run's rows of the findings table */
    int quiet;      /* print nothing */
};
/* Judge o->run of o->db: print the findings (unless quiet), store them
 * (if store).  Returns the exit code: check_pass_status's verdict, or
 * EX_NO_INPUT / EX_CORRUPT / EX_NOT_FOUND / EX_OUTPUT / EX_DISK_FULL after
 * a message on stderr. */
int check_judge(const struct check_opts *o);

#endif
