/*
 * grade/answers.h — the answers file of predict and diagnose exercises: the
 * one reader of its lines.  A student's file is untrusted input: it is
 * bounded in size and line length and must be text.
 *
 *     # a comment ('#' to the end of the line)
 *     seed N              first line that is not blank or a comment
 *     KEY: VALUE          every other line, KEY and VALUE the kind's own
 *
 * Owns nothing past a call; takes no locks.
 */
#ifndef DLSYNC_GRADE_ANSWERS_H
#define DLSYNC_GRADE_ANSWERS_H

#include <stddef.h>

/* One `KEY: VALUE` line: key without the spaces around it, value as it
 * follows the colon (the caller normalises it), where "FILE:LINE".  Returns
 * 0, or -1 with why (starting with where) to reject the file. */
typedef int (*answers_line_fn)(void *ctx, const char *key, const char *value, const char *where,
                               char *why, size_t n);

/* Read the answers file at path: at most max_bytes, lines of at most
 * max_line characters.  Its seed into *seed (0..EXERCISE_SEED_MAX), each
 * `KEY: VALUE` line to fn in file order.  Returns 0; -1 when the file is
 * malformed or fn rejected a line (why names the file and line); -2 when it
 * cannot be read (why names the file and the cause). */
int answers_read(const char *path, size_t max_bytes, size_t max_line, unsigned long *seed,
                 answers_line_fn fn, void *ctx, char *why, size_t n);

#endif
