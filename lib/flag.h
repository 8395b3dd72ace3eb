/*
 * flag.h — the pending flag: true while an operation is being broadcast.
 *
 * Hot paths read it with a relaxed load, a thread woken by a signal with a
 * sequentially consistent one.  Lock-free (C11 atomics).  Every store and
 * load is a schedule point.
 *
 * The model also emulates the hazard of reading it relaxed on the wake path
 * (variant relaxed-wake): on x86 a relaxed load after a mutex-synchronised
 * signal cannot return a stale value, so flag_load_stale() makes the stale
 * read explicit — it may return the calling thread's last observed value.
 */
#ifndef DLSYNC_FLAG_H
#define DLSYNC_FLAG_H

#include <stdatomic.h>
#include <stdint.h>

struct pending_flag {
    atomic_bool v;
};

void flag_init(struct pending_flag *f);

/* Store true (seq_cst).  Emits flag_set. */
void flag_set(struct pending_flag *f, int64_t epoch);

/* Store false (seq_cst).  Emits flag_clear. */
void flag_clear(struct pending_flag *f, int64_t epoch);

/* Load with `ordering` (enum ev_ordering).  Emits flag_load. */
int flag_load(struct pending_flag *f, int ordering);

/* A relaxed load that, as the thread's seeded generator decides, returns
 * the calling thread's previously observed value instead (emulated
 * staleness). */
int flag_load_stale(struct pending_flag *f);

#endif
