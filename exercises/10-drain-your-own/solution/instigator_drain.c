/*
 * instigator_drain.c — exercise 10, the solution: the instigator takes its
 * own copy from both buses, so that both slots are free for the next
 * epoch's broadcasts (the seed's drain comment).  Takes no locks; neither
 * receive waits: both messages are in their slots.
 */
#include "dlsync/student.h"

void instigator_drain(struct dl_thread *self)
{
    barrier_bus_receive(self);
    operation_bus_receive(self);
}
