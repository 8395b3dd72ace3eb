/*
 * replay/textbuf.c — text appended to a fixed buffer, and the growable
 * text buffer (see textbuf.h).  No locks.
 */
#include "replay/textbuf.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textbuf_add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len = *len + (size_t)w < n ? *len + (size_t)w : n - 1;
}

void vbuf_free(struct vbuf *b)
{
    free(b->p);
    *b = (struct vbuf){0};
}

void vbuf_clear(struct vbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

static void reserve(struct vbuf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fprintf(stderr, "dlsync: out of memory (%zu bytes of text)\n", cap);
        abort();
    }
    b->p = p;
    b->cap = cap;
}

void vbuf_put(struct vbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void vbuf_puts(struct vbuf *b, const char *s)
{
    vbuf_put(b, s, strlen(s));
}

void vbuf_printf(struct vbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    assert(n >= 0);
    if ((size_t)n < sizeof small) {
        vbuf_put(b, small, (size_t)n);
        return;
    }
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *vbuf_str(const struct vbuf *b)
{
    return b->p ? b->p : "";
}
