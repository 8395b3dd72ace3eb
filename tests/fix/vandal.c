/* tests/fix/vandal.c — a hostile fix submission: otherwise correct, it
 * appends to a file of the exercise's folder (VICTIM, an absolute path the
 * test substitutes); the grader must zero the tests it ran during. */
#include <stdio.h>

#include "dlsync/student.h"

void sleep_begin(struct dl_thread *self)
{
    (void)self;
    FILE *f = fopen("VICTIM", "a");
    if (f) {
        fputs("vandalised\n", f);
        fclose(f);
    }
}
