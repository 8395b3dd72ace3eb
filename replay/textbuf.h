/*
 * replay/textbuf.h — text appended to a fixed buffer, cut at its end: the
 * lines that describe.c and gaps.c build for state and check.  No locks.
 */
#ifndef DLSYNC_REPLAY_TEXTBUF_H
#define DLSYNC_REPLAY_TEXTBUF_H

#include <stddef.h>

/* Append printf(fmt, ...) to buf (n bytes) at *len, never past its end; *len
 * stays below n and buf stays terminated (when *len < n on entry). */
__attribute__((format(printf, 4, 5))) void textbuf_add(char *buf, size_t n, size_t *len,
                                                       const char *fmt, ...);

#endif
