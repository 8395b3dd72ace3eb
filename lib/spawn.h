/*
 * spawn.h — thread spawn (prepare, hand the lease over, finalise), the main
 * group's bootstrap, and group shutdown at thread exit.
 *
 * Locks: the parent takes its group mutex and the lease (cooperative); the
 * child, holding the handed-over lease, takes a blocking write; shutdown
 * takes the group mutex and the cooperative write.
 */
#ifndef DLSYNC_SPAWN_H
#define DLSYNC_SPAWN_H

struct dl_thread;
struct process;

/* Spawn a thread running script index `script` of the scenario, with role
 * `role`; wait until it has finalised.  RESULT_ERROR when the spawn failed
 * (the lease is released all the same). */
int spawn_thread(struct dl_thread *self, int script, int role);

/* Start the main group's thread (group 0) running the first script of the
 * scenario's groups; it bootstraps the linker, spawns the other initial
 * groups, then runs its script.  0 on success. */
int spawn_main(struct process *p, int ngroups);

/* Group shutdown (thread exit): group mutex → cooperative write → drop both
 * receivers → release.  (Variant exit-subscribed: receivers kept.) */
void group_shutdown(struct dl_thread *self);

#endif
