/*
 * harness.h — the few lines every C unit test program shares: run a named
 * test, let it check conditions, count.  Prints `PASS name` or `FAIL name:
 * why` per test; the caller prints the closing line with harness_summary.
 * Single-threaded (check is called from the test's own thread).
 */
#ifndef DLSYNC_TESTS_HARNESS_H
#define DLSYNC_TESTS_HARNESS_H

/* Record a failure of the running test unless ok (printf-style why). */
void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run test fn under name. */
void run(const char *name, void (*fn)(void));

/* Print "PROGRAM: N passed, N failed"; returns the exit status (0 if none
 * failed). */
int harness_summary(const char *program);

#endif
