/* tests/fix/broken.c — a fix submission that does not compile. */
#include "dlsync/student.h"

void sleep_begin(struct dl_thread *self)
{
    wakeup_discard(self) /* the semicolon is missing */
}
