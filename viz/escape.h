/*
 * viz/escape.h — the escaping of every string that comes from a trace
 * (module, symbol and thread names) into the languages viz writes: Graphviz
 * labels and DOT source, SVG/XML/HTML text and attributes, and JSON
 * embedded in an HTML <script>, each appended to a growable text buffer
 * (struct vbuf, replay/textbuf.h); and the wrapping of text into lines.
 * Owns nothing; takes no locks.
 */
#ifndef DLSYNC_VIZ_ESCAPE_H
#define DLSYNC_VIZ_ESCAPE_H

#include <stddef.h>

#include "replay/textbuf.h"

/* The first line of s when text is wrapped at width characters (bytes of
 * UTF-8 continuation count as none): breaks at a newline, else at the last
 * space that keeps the line within width (a longer word stays whole).
 * Returns the line's length in bytes, without the break; *next is the rest,
 * past the break (at the NUL when s is used up). */
size_t vtext_line(const char *s, size_t width, const char **next);

/* A Graphviz label (a plain, non-HTML label): the text appears literally.
 * Doubles backslashes (so "\n", "\N", "\G" are not Graphviz escapes), writes
 * '&' as "&#38;" (Graphviz keeps entities as they are in SVG and decodes them
 * for cairo), and turns control characters into spaces.  The quoting of the
 * DOT source itself is cgraph's job (agwrite). */
void esc_gv_label(struct vbuf *b, const char *s);

/* XML/SVG/HTML text or attribute value: & < > " ' as entities, control
 * characters other than tab and newline dropped. */
void esc_xml(struct vbuf *b, const char *s);

/* A JSON string, quotes included, safe inside an HTML <script>: '<', '>' and
 * '&' as \u003c \u003e \u0026 (so neither "</script>" nor "<!--" can appear),
 * U+2028/U+2029 as \u2028/\u2029, control characters as \uXXXX.  Invalid
 * UTF-8 bytes become U+FFFD. */
void esc_json(struct vbuf *b, const char *s);

#endif
