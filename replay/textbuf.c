/*
 * replay/textbuf.c — text appended to a fixed buffer (see textbuf.h).
 * No locks.
 */
#include "replay/textbuf.h"

#include <stdarg.h>
#include <stdio.h>

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
