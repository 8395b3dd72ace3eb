/*
 * grow.h — growing an array by doubling.  The model treats running out of
 * memory as fatal (abort), like the runtime it models.  No locks.
 */
#ifndef DLSYNC_GROW_H
#define DLSYNC_GROW_H

#include <stddef.h>

/* v (capacity *cap elements of elem bytes) with room for at least `need`:
 * reallocated to a doubled capacity (at least 16) when short, *cap updated.
 * Aborts when memory runs out. */
void *grow(void *v, size_t *cap, size_t need, size_t elem);

#endif
