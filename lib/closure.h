/*
 * closure.h — closure allocate and free.
 *
 * Allocate reuses a free closure slot under the cooperative write; when
 * there is none it takes the lease and the write, checks again, and grows
 * every table by CLOSURE_GROWTH slots (AllocateFunctionTable).  Free returns
 * a slot under the cooperative write.  Locks: group mutex → (lease →) state
 * lock.
 */
#ifndef DLSYNC_CLOSURE_H
#define DLSYNC_CLOSURE_H

enum { CLOSURE_GROWTH = 100 };

struct dl_thread;

/* Returns RESULT_OK. */
int closure_alloc(struct dl_thread *self);

/* Free one closure the group holds; RESULT_ERROR if it holds none. */
int closure_free(struct dl_thread *self);

#endif
