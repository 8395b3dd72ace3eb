/*
 * replay/textbuf.h — text appended to a buffer: a fixed one, cut at its
 * end (the lines describe.c and gaps.c build for state and check), or a
 * growable one (struct vbuf: the stories of waitfor.c, and everything viz
 * writes).
 *
 * Owns a vbuf's memory.  Takes no locks; a vbuf belongs to one thread.
 * Allocation failure aborts (a command-line tool: there is no partial
 * output worth keeping).
 */
#ifndef DLSYNC_REPLAY_TEXTBUF_H
#define DLSYNC_REPLAY_TEXTBUF_H

#include <stddef.h>

/* Append printf(fmt, ...) to buf (n bytes) at *len, never past its end; *len
 * stays below n and buf stays terminated (when *len < n on entry). */
__attribute__((format(printf, 4, 5))) void textbuf_add(char *buf, size_t n, size_t *len,
                                                       const char *fmt, ...);

struct vbuf {
    char *p;    /* NUL-terminated once anything was added; NULL before */
    size_t len; /* bytes in p, without the NUL */
    size_t cap;
};

void vbuf_free(struct vbuf *b);
void vbuf_clear(struct vbuf *b); /* len 0, keeps the memory */
void vbuf_put(struct vbuf *b, const char *s, size_t n);
void vbuf_puts(struct vbuf *b, const char *s);
void vbuf_printf(struct vbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty); valid until the next change. */
const char *vbuf_str(const struct vbuf *b);

#endif
