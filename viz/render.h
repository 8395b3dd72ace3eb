/*
 * viz/render.h — drawing through Graphviz's C library, in-process: a laid
 * out sequence diagram (layout.h) becomes one cgraph graph per page with every
 * node pinned (pos="x,y!"), laid out by the engine `nop2` — the library name
 * of `neato -n2`: positions are kept as given (notranslate), edges are routed
 * between them — and rendered to SVG, PNG or PDF; for .dot the DOT source is
 * written instead, with a first line saying how to render it.  Also the
 * wait-for graph (waitfor.h), laid out by `dot`.
 *
 * Owns: the Graphviz context and graphs it creates (one at a time).  Takes no
 * locks; Graphviz is not thread safe, so only one thread may render.
 */
#ifndef DLSYNC_VIZ_RENDER_H
#define DLSYNC_VIZ_RENDER_H

#include <stdint.h>

#include "viz/escape.h"
#include "viz/layout.h"
#include "viz/waitfor.h"

enum rfmt { RF_SVG, RF_PNG, RF_PDF, RF_DOT };

/* The format named by path's extension (.svg .png .pdf .dot .gv), or -1. */
int render_format_of(const char *path);

/* Pages of d at page_rows rows a page (at least one page). */
int64_t render_npages(const struct vdiag *d, int64_t page_rows);

/* Name of page p (1-based) of out when there are npages: out itself when
 * there is one page, else "base-p.ext". */
void render_page_name(const char *out, int64_t p, int64_t npages, char *buf, size_t n);

/* Draw every page of d into files named by render_page_name.  Prints each
 * file written to stdout unless quiet.  Returns 0, or -1 with err set (the
 * file and the cause). */
int render_diagram(const struct vdiag *d, const char *out, int fmt, int64_t page_rows, int quiet,
                   char *err, size_t errn);

/* Page p (0-based) of d as SVG text appended to svg (no XML prolog). */
int render_page_svg(const struct vdiag *d, int64_t p, int64_t page_rows, struct vbuf *svg,
                    char *err, size_t errn);

/* The wait-for graph of v (at the moment described by caption) into out. */
int render_waitfor(const struct wf_view *v, const char *caption, const char *out, int fmt,
                   char *err, size_t errn);

/* Geometry shared with the replay page (points). */
enum { RG_ROW_H = 15, RG_HEADER_H = 64, RG_LANE_W = 250, RG_LANE0 = 150 };

#endif
