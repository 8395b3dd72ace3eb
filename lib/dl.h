/*
 * dl.h — dlopen and dlsym, the two linker entry points that instigate
 * LoadModules and ResolveFunction.
 *
 * Both act for the calling protocol thread.  Locks, in order: the group
 * mutex, the lease (cooperative), the state lock (try-read for dlsym's
 * cached record; blocking write once the lease is held).
 */
#ifndef DLSYNC_DL_H
#define DLSYNC_DL_H

struct dl_thread;

/* dlopen module m (or a random module when m < 0) and the modules it needs.
 * Returns RESULT_OK. */
int dl_open(struct dl_thread *self, int m);

/* dlsym function f of module m (random ones when negative): the cached
 * record if there is one, else resolve, place and synchronise.  RESULT_ERROR
 * when the module is not loaded in this group. */
int dl_sym(struct dl_thread *self, int m, int f);

#endif
