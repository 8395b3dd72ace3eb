/* tests/fix/forkbomb.c — a hostile fix submission: sleep_begin forks without
 * end (RLIMIT_NPROC and the wall-clock limit must bound it). */
#define _GNU_SOURCE
#include <unistd.h>

#include "dlsync/student.h"

void sleep_begin(struct dl_thread *self)
{
    (void)self;
    for (;;)
        fork();
}
