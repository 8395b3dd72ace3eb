/*
 * viz/escape.c — escaping and wrapping of text (see escape.h).  No locks.
 */
#include "viz/escape.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t vtext_line(const char *s, size_t width, const char **next)
{
    size_t cols = 0;
    const char *p = s, *brk = NULL;
    for (; *p && *p != '\n'; p++) {
        if (*p == ' ') {
            brk = p;
            if (cols > width)
                break; /* the end of a word longer than width */
        }
        if ((*p & 0xc0) != 0x80 && ++cols > width && brk)
            break;
    }
    if (!*p || *p == '\n') {
        *next = p + (*p == '\n');
        return (size_t)(p - s);
    }
    *next = brk + 1;
    return (size_t)(brk - s);
}

static void putc1(struct vbuf *b, char c)
{
    vbuf_put(b, &c, 1);
}

void esc_gv_label(struct vbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\')
            vbuf_puts(b, "\\\\");
        else if (c == '&')
            vbuf_puts(b, "&#38;");
        else if (c < 0x20 || c == 0x7f)
            putc1(b, ' ');
        else
            putc1(b, (char)c);
    }
}

void esc_xml(struct vbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            vbuf_puts(b, "&amp;");
            break;
        case '<':
            vbuf_puts(b, "&lt;");
            break;
        case '>':
            vbuf_puts(b, "&gt;");
            break;
        case '"':
            vbuf_puts(b, "&quot;");
            break;
        case '\'':
            vbuf_puts(b, "&#39;");
            break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n')
                putc1(b, (char)c);
        }
    }
}

/* Length of the valid UTF-8 sequence at s (0 if invalid) and its code point. */
static int utf8_seq(const unsigned char *s, unsigned *cp)
{
    int n = s[0] >= 0xf0 && s[0] < 0xf5   ? 4
            : s[0] >= 0xe0                ? 3
            : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
                                          : 0;
    if (!n)
        return 0;
    unsigned v = s[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v < 0xe000))
        return 0;
    *cp = v;
    return n;
}

void esc_json(struct vbuf *b, const char *s)
{
    putc1(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        unsigned c = *p;
        if (c >= 0x80) {
            unsigned cp;
            int n = utf8_seq(p, &cp);
            if (!n) {
                vbuf_puts(b, "\\ufffd");
                p++;
            } else if (cp == 0x2028 || cp == 0x2029) {
                vbuf_printf(b, "\\u%04x", cp);
                p += n;
            } else {
                vbuf_put(b, (const char *)p, (size_t)n);
                p += n;
            }
            continue;
        }
        if (c == '"' || c == '\\')
            vbuf_printf(b, "\\%c", (char)c);
        else if (c == '\n')
            vbuf_puts(b, "\\n");
        else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f)
            vbuf_printf(b, "\\u%04x", c);
        else
            putc1(b, (char)c);
        p++;
    }
    putc1(b, '"');
}
