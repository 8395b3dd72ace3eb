/*
 * instigator_drain.c — exercise 10: step 6 of the instigator, between the
 * broadcast of the operation and phase 2 (include/dlsync/student.h says what
 * it must do).  This is the runtime's code as it would be without the
 * seed's drain: it has the bug.  Takes no locks (the instigator holds the
 * group mutex, the lease and the read lock around it).
 */
#include "dlsync/student.h"

void instigator_drain(struct dl_thread *self)
{
    /* The followers have received their copies of the barrier and of the
     * operation; the instigator made them, it does not need to read them. */
    (void)self;
}
