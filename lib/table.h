/*
 * table.h — an instance group's function table (a growable array of slots).
 *
 * Determinism rests on every group's table growing in exactly the same order,
 * so a table is compared by its digest.  Owned by one group; no locks.
 */
#ifndef DLSYNC_TABLE_H
#define DLSYNC_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum slot_kind {
    SLOT_EMPTY = 0,
    SLOT_MODULE = 1,   /* a module's own function: module, func */
    SLOT_RESOLVED = 2, /* an export placed by dlsym: module, func */
    SLOT_CLOSURE = 3,  /* a closure slot (its contents are group-local) */
};

struct slot {
    uint32_t kind;
    uint32_t module;
    uint32_t func;
};

struct table {
    struct slot *v;
    size_t len, cap;
};

void table_init(struct table *t);
void table_free(struct table *t);

/* Append n slots of kind; module's functions are numbered from 0. */
void table_append(struct table *t, size_t n, uint32_t kind, uint32_t module);

/* Place one slot at index (growing with empty slots up to it).  Returns -1
 * when the slot is already taken, 0 otherwise. */
int table_place(struct table *t, size_t index, uint32_t kind, uint32_t module, uint32_t func);

/* Grow the table to n slots, the new ones empty (nothing when it is at
 * least n long already). */
void table_pad(struct table *t, size_t n);

/* FNV-1a digest of the slots, folded with `extra` (the module list digest). */
uint64_t table_digest(const struct table *t, uint64_t extra);

#endif
