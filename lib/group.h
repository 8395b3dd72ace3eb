/*
 * group.h — an instance group: one thread's own copy of the program.
 *
 * Owns the group's function table, the modules it has instantiated (in
 * order), its two bus receivers, the closure slots it holds, and the group
 * mutex that its linker entry points take first.  Everything but the mutex
 * is touched only by the group's own thread (while holding the mutex, by
 * convention of the paths in rendezvous.c / dl.c / closure.c / spawn.c).
 */
#ifndef DLSYNC_GROUP_H
#define DLSYNC_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/bus.h"
#include "lib/mutex.h"
#include "lib/scenario.h"
#include "lib/table.h"

struct linker;

struct group {
    int id;
    struct tmutex mu;
    struct table table;
    int nmods;
    int mods[SCN_MAX_MODULES]; /* instantiated modules, in order */
    struct bus_rx barrier_rx;
    struct bus_rx op_rx;
    int subscribed;
    int64_t *closures; /* closure slots this group holds */
    size_t nclosures, capclosures;
    int64_t last_epoch; /* the last epoch this group took part in */
    int broken;         /* a replay failed: the thread ends (exec-format error) */
};

struct group *group_new(int id);
void group_free(struct group *g);

/* Subscribe to both buses / drop both receivers. */
void group_subscribe(struct group *g, struct linker *ls);
void group_unsubscribe(struct group *g);

/* Non-zero when module m is instantiated in g. */
int group_has_module(const struct group *g, int m);

/* Instantiate module m at table base `base`: its slots go at the end of the
 * table, which must be exactly `base` long.  -1 (nothing changed) if not. */
int group_instantiate(struct group *g, const struct scenario *scn, int m, int64_t base);

/* Digest of the function table and the module list. */
uint64_t group_digest(const struct group *g);

/* Spawn finalisation: build the table by replaying the linker's layout log
 * (state lock held for write by the caller).  With records == 0 the
 * resolved-symbol records are left out: their slots stay empty (variant
 * spawn-after-dlsym, upstream PR 5616). */
void group_build_from(struct group *g, const struct linker *ls, int records);

/* Closure slots held by the group. */
void group_hold_closure(struct group *g, int64_t slot);
int64_t group_drop_closure(struct group *g); /* -1 when none */

#endif
