/*
 * sleep_begin.c — exercise 07: a thread on its way into a scripted sleep
 * (include/dlsync/student.h says what it must do).  This is the runtime's
 * code before the fix of issue 6654: it has the bug.  Takes no locks.
 */
#include "dlsync/student.h"

void sleep_begin(struct dl_thread *self)
{
    /* "Nothing pending" was checked at the syscall entry, a moment ago.
     * Start the sleep from a clean slate. */
    sched_point();
    wakeup_discard(self);
}
