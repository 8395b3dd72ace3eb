/* tests/fix/loop.c — a hostile fix submission: sleep_begin never returns
 * (the sandbox's CPU or wall-clock limit must end it). */
#include "dlsync/student.h"

void sleep_begin(struct dl_thread *self)
{
    (void)self;
    for (volatile unsigned long i = 0;; i++)
        ;
}
