/*
 * instigate_alone.c — exercise 13, the solution: the write lock first, then
 * the lease, the reverse of the order they were taken in (group mutex →
 * lease → state lock), as upstream fixed the seed's n <= 1 return.  Releases
 * the write lock and the lease; the group mutex stays held.
 */
#include "dlsync/student.h"

void instigate_alone(struct dl_thread *self, int64_t lease)
{
    state_lock_release_write(self, lease);
    topology_lease_release(self, lease);
}
