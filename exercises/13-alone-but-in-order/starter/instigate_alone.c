/*
 * instigate_alone.c — exercise 13: the instigator's return when it is alone
 * (include/dlsync/student.h says what it must do).  This is the seed's own
 * n <= 1 return: it has the bug.  Entered holding the group mutex, the
 * lease and the state lock for write; releases the lease and the write lock.
 */
#include "dlsync/student.h"

void instigate_alone(struct dl_thread *self, int64_t lease)
{
    /* Nobody else exists: there is nobody to tell, and nobody to wait for.
     * Hand back what we took. */
    topology_lease_release(self, lease);
    state_lock_release_write(self, lease);
}
