/*
 * harness.c — the shared test harness (see harness.h).
 */
#include "tests/harness.h"

#include <stdarg.h>
#include <stdio.h>

static int passed, failed;
static const char *current;
static int current_failed;

void check(int ok, const char *fmt, ...)
{
    if (ok)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", current);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    current_failed = 1;
}

void run(const char *name, void (*fn)(void))
{
    current = name;
    current_failed = 0;
    fn();
    if (current_failed) {
        failed++;
    } else {
        passed++;
        printf("PASS %s\n", name);
    }
    fflush(stdout);
}

int harness_summary(const char *program)
{
    printf("%s: %d passed, %d failed\n", program, passed, failed);
    return failed ? 1 : 0;
}
