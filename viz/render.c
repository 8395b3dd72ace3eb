/*
 * viz/render.c — Graphviz drawing of sequence diagrams and wait-for graphs
 * (see render.h).
 *
 * Owns one GVC_t per call and the graphs it builds; takes no locks (Graphviz
 * keeps global state: render from one thread only).  Every string from a
 * trace reaches Graphviz through esc_gv_label; cgraph quotes DOT itself.
 */
#include "viz/render.h"

#include <assert.h>
#include <errno.h>
#include <gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"
#include "tracer/events.h"

enum {
    LEGEND_H = 74,
    FOOT_LINE = 13,
    FOOT_MAX = 40,
    MIN_W = 1000,
    LABEL_DX = 50, /* label area starts this far right of the lifeline */
};

static const char *const fmt_names[] = {
    [RF_SVG] = "svg", [RF_PNG] = "png", [RF_PDF] = "pdf", [RF_DOT] = "dot"};

int render_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return -1;
    if (!strcmp(dot, ".svg"))
        return RF_SVG;
    if (!strcmp(dot, ".png"))
        return RF_PNG;
    if (!strcmp(dot, ".pdf"))
        return RF_PDF;
    if (!strcmp(dot, ".dot") || !strcmp(dot, ".gv"))
        return RF_DOT;
    return -1;
}

int64_t render_npages(const struct vdiag *d, int64_t page_rows)
{
    assert(page_rows > 0);
    int64_t n = (d->nrows + page_rows - 1) / page_rows;
    return n > 0 ? n : 1;
}

void render_page_name(const char *out, int64_t p, int64_t npages, char *buf, size_t n)
{
    if (npages <= 1) {
        snprintf(buf, n, "%s", out);
        return;
    }
    const char *dot = strrchr(out, '.');
    const char *slash = strrchr(out, '/');
    if (!dot || (slash && dot < slash))
        dot = out + strlen(out);
    snprintf(buf, n, "%.*s-%lld%s", (int)(dot - out), out, (long long)p, dot);
}

/* ---- a page under construction --------------------------------------------- */

struct page {
    const struct vdiag *d;
    Agraph_t *g;
    int64_t nn, row0, row1; /* rows row0..row1-1 */
    double W, H;
    struct vbuf t; /* scratch */
};

static void set(void *obj, const char *k, const char *v)
{
    agsafeset(obj, (char *)k, (char *)v, (char *)"");
}

static void setf(void *obj, const char *k, double v)
{
    char b[32];
    snprintf(b, sizeof b, "%.4g", v);
    set(obj, k, b);
}

/* A node pinned at x,y (points). */
static Agnode_t *pin(struct page *P, double x, double y)
{
    char name[24], pos[64];
    snprintf(name, sizeof name, "n%lld", (long long)P->nn++);
    Agnode_t *n = agnode(P->g, name, 1);
    snprintf(pos, sizeof pos, "%.1f,%.1f!", x, y);
    set(n, "pos", pos);
    return n;
}

static double yrow(const struct page *P, double r)
{
    return P->H - RG_HEADER_H - (r - (double)P->row0 + 0.5) * RG_ROW_H;
}

static double cx(int lane)
{
    return RG_LANE0 + lane * RG_LANE_W + 30;
}

/* Text in a box [x, x+w] centred on y; align 'l', 'r' or 'c'.  s is taken
 * literally (escaped here). */
static Agnode_t *rtext(struct page *P, double x, double y, double w, const char *s, char align,
                       double size, const char *color, int bold)
{
    Agnode_t *n = pin(P, x + w / 2, y);
    vbuf_clear(&P->t);
    esc_gv_label(&P->t, s);
    if (align == 'l')
        vbuf_puts(&P->t, "\\l");
    else if (align == 'r')
        vbuf_puts(&P->t, "\\r");
    set(n, "label", vbuf_str(&P->t));
    set(n, "shape", "plaintext");
    set(n, "fixedsize", "true");
    setf(n, "width", w / 72);
    setf(n, "height", size * 1.3 / 72);
    setf(n, "fontsize", size);
    set(n, "margin", "0");
    set(n, "fontcolor", color);
    set(n, "fontname", bold ? "Helvetica-Bold" : "Helvetica");
    return n;
}

/* A box from y_top down to y_bot, w wide, centred on x. */
static Agnode_t *rbox(struct page *P, double x, double y_top, double y_bot, double w,
                      const char *style, const char *fill, const char *color, double pen)
{
    double h = y_top - y_bot;
    if (h < 3)
        h = 3;
    Agnode_t *n = pin(P, x, (y_top + y_bot) / 2);
    set(n, "shape", "box");
    set(n, "label", "");
    set(n, "fixedsize", "true");
    setf(n, "width", w / 72);
    setf(n, "height", h / 72);
    set(n, "style", style);
    set(n, "fillcolor", fill);
    set(n, "color", color);
    setf(n, "penwidth", pen);
    return n;
}

/* An invisible point pinned at x,y: an end of a line, a corner. */
static Agnode_t *ghost(struct page *P, double x, double y)
{
    Agnode_t *n = pin(P, x, y);
    set(n, "shape", "point");
    set(n, "width", "0.01");
    set(n, "style", "invis");
    return n;
}

/* A line (or arrow) between two points. */
static Agedge_t *rline(struct page *P, double x1, double y1, double x2, double y2,
                       const char *color, const char *style, double pen, const char *head)
{
    Agnode_t *a = ghost(P, x1, y1), *b = ghost(P, x2, y2);
    Agedge_t *e = agedge(P->g, a, b, NULL, 1);
    set(e, "color", color);
    set(e, "style", style);
    setf(e, "penwidth", pen);
    set(e, "arrowhead", head);
    set(e, "arrowsize", "0.7");
    set(e, "headclip", "false");
    set(e, "tailclip", "false");
    return e;
}

/* Hover text of a node or edge (taken literally; nothing if empty). */
static void tooltip(struct page *P, void *obj, const char *tip)
{
    if (!*tip)
        return;
    vbuf_clear(&P->t);
    esc_gv_label(&P->t, tip);
    set(obj, "tooltip", vbuf_str(&P->t));
}

/* ---- colours -------------------------------------------------------------- */

struct hue {
    const char *line, *tint;
};

/* Colours of a bar in column col showing obj in mode (a barrier's phase). */
static struct hue hue_of(int col, int64_t obj, int64_t mode)
{
    if (col == COL_WAIT || col == COL_RETRY) {
        if (obj == OBJ_BARRIER)
            return mode == 2 ? (struct hue){"#0f9aa8", "#d3f2f5"}
                             : (struct hue){"#2a9d2a", "#d8f0d8"};
        if (obj == OBJ_BARRIER_BUS || obj == OBJ_OPERATION_BUS)
            return (struct hue){"#6d6d6d", "#efefef"};
        if (obj == OBJ_NONE)
            return (struct hue){"#a39b2a", "#f5f3d2"}; /* sleeps, guest and child waits */
        col = vlay_col_of(obj);
    }
    switch (col) {
    case COL_GMUTEX:
        return (struct hue){"#7a7a7a", "#e4e4e4"};
    case COL_LEASE:
        return (struct hue){"#e8750a", "#fde3c8"};
    case COL_STATE:
        return mode == MODE_READ ? (struct hue){"#4f9bd0", "#dcebf8"}
                                 : (struct hue){"#1f4f99", "#d0def2"};
    default:
        return (struct hue){"#8856a7", "#e8dcf3"};
    }
}

static double col_dx(int col)
{
    static const double dx[COL_COUNT] = {
        [COL_WAIT] = 0,   [COL_RETRY] = -13, [COL_GMUTEX] = 12,
        [COL_LEASE] = 22, [COL_STATE] = 32,  [COL_PROCESS] = 42,
    };
    return dx[col];
}

#define RED      "#d40000"
#define RED_TINT "#ffd9d9"

/* ---- the parts of a page -------------------------------------------------- */

static void draw_bar(struct page *P, const struct vitem *it)
{
    int64_t r0 = it->row < P->row0 ? P->row0 : it->row;
    int64_t r1 = it->row2 >= P->row1 ? P->row1 - 1 : it->row2;
    double top = yrow(P, (double)r0) + (it->row < P->row0 ? RG_ROW_H / 2.0 : 0);
    double bot = yrow(P, (double)r1) - (it->row2 >= P->row1 ? RG_ROW_H / 2.0 : 0);
    struct hue h = hue_of(it->col, it->obj, it->mode);
    const char *style = it->style == VS_HOLD    ? "filled"
                        : it->style == VS_RETRY ? "filled,dotted"
                                                : "filled,dashed";
    const char *fill = it->style == VS_HOLD ? h.line : h.tint;
    double w = it->col == COL_WAIT ? 10 : it->col == COL_RETRY ? 7 : 8;
    Agnode_t *n = rbox(P, cx(it->lane) + col_dx(it->col), top, bot, w, style,
                       it->red ? RED_TINT : fill, it->red ? RED : h.line, it->red ? 2 : 1);
    tooltip(P, n, vdiag_text(P->d, it->tip));
}

static void draw_mark(struct page *P, const struct vitem *it)
{
    double y = yrow(P, (double)it->row);
    double x = cx(it->lane);
    const char *color = it->red ? RED : it->style == VS_STRONG ? "#111111" : "#444444";
    Agnode_t *n = rtext(P, x + LABEL_DX, y, RG_LANE_W - LABEL_DX - 12, vdiag_text(P->d, it->label),
                        'l', 8.5, color, it->style != VS_NOTE && it->style != VS_HANG);
    char id[32];
    if (it->seq) {
        snprintf(id, sizeof id, "e%lld", (long long)it->seq);
        set(n, "id", id);
        set(n, "class", "ev");
    }
    tooltip(P, n, vdiag_text(P->d, it->tip));
    if (it->style == VS_HANG)
        return; /* a further line of the label above: no dot of its own */
    Agnode_t *dot = pin(P, x, y);
    set(dot, "shape", "point");
    set(dot, "width", it->style == VS_NOTE ? "0.04" : "0.06");
    set(dot, "color", color);
}

static void draw_arrow(struct page *P, const struct vitem *it)
{
    if (it->lane2 < 0)
        return;
    double r0 = (double)it->row, r1 = (double)it->row2;
    double x0 = cx(it->lane), x1 = cx(it->lane2);
    /* Clip an arrow that crosses the page's edge, keeping its slope. */
    double lo = (double)P->row0 - 0.5, hi = (double)P->row1 - 0.5;
    if (r1 > r0) {
        if (r0 < lo) {
            x0 += (x1 - x0) * (lo - r0) / (r1 - r0);
            r0 = lo;
        }
        if (r1 > hi) {
            x1 = x0 + (x1 - x0) * (hi - r0) / (r1 - r0);
            r1 = hi;
        }
    }
    double y0 = yrow(P, r0), y1 = yrow(P, r1);
    const char *color = "#444444", *style = "solid", *head = "normal";
    double pen = 1.2;
    switch (it->style) {
    case VS_BARRIER:
        color = "#2a9d2a";
        break;
    case VS_OP:
        color = "#1f4f99";
        break;
    case VS_WAKEUP:
        color = "#d95f02";
        style = "dashed";
        head = "vee";
        break;
    case VS_LEASE:
        color = "#e8750a";
        pen = 2.2;
        break;
    case VS_LOST:
        color = RED;
        style = "dashed";
        head = "tee";
        break;
    case VS_WAITFOR: /* on a row of its own, its words above it */
        color = RED;
        pen = it->mode ? 3 : 1.5; /* mode: on a cycle */
        break;
    }
    Agedge_t *e = rline(P, x0, y0, x1, y1, color, style, pen, head);
    const char *label = vdiag_text(P->d, it->label);
    tooltip(P, e, label);
    if (it->style == VS_WAITFOR && *label) {
        /* The words beside the tail, in the free space between its lifeline
         * (and bars) and the next one the arrow heads for. */
        double w = RG_LANE_W - LABEL_DX - 15;
        if (x1 > x0)
            rtext(P, x0 + LABEL_DX, y0 + 5, w, label, 'l', 8, RED, it->mode != 0);
        else
            rtext(P, x0 - 22 - w, y0 + 5, w, label, 'r', 8, RED, it->mode != 0);
        Agnode_t *dot = pin(P, x0, y0);
        set(dot, "shape", "point");
        set(dot, "width", "0.07");
        set(dot, "color", RED);
    }
}

static void draw_rdv(struct page *P, const struct vitem *it)
{
    if (it->lane < 0 || it->lane2 < 0)
        return;
    double y = yrow(P, (double)it->row);
    const char *color = it->mode == 2 ? "#0f9aa8" : "#2a9d2a";
    rline(P, cx(it->lane) - 16, y, cx(it->lane2) + 16, y, color, "solid", 3.5, "none");
    double w = 190;
    Agnode_t *n = rtext(P, (cx(it->lane) + cx(it->lane2)) / 2 - w / 2, y + 9, w,
                        vdiag_text(P->d, it->label), 'c', 8.5, color, 1);
    char id[32];
    snprintf(id, sizeof id, "e%lld", (long long)it->seq);
    set(n, "id", id);
}

static void draw_elide(struct page *P, const struct vitem *it)
{
    double y = yrow(P, (double)it->row);
    double x0 = RG_LANE0 - 20, x1 = P->W - 10;
    rbox(P, (x0 + x1) / 2, y + RG_ROW_H / 2.0 - 1, y - RG_ROW_H / 2.0 + 1, x1 - x0, "filled",
         "#f1f1f1", "#f1f1f1", 1);
    rtext(P, x0, y, x1 - x0, vdiag_text(P->d, it->label), 'c', 9, "#555555", 0);
}

static void draw_flag(struct page *P, const struct vitem *it)
{
    int64_t r0 = it->row < P->row0 ? P->row0 : it->row;
    int64_t r1 = it->row2 >= P->row1 ? P->row1 - 1 : it->row2;
    double top = yrow(P, (double)r0) + (it->row < P->row0 ? RG_ROW_H / 2.0 : 0);
    double bot = yrow(P, (double)r1) - (it->row2 >= P->row1 ? RG_ROW_H / 2.0 : 0);
    rbox(P, RG_LANE0 - 30, top, bot, 8, "filled", "#f4a3a3", "#c03030", 1);
}

static void draw_header(struct page *P, int64_t page, int64_t npages)
{
    const struct vdiag *d = P->d;
    char b[400], tb[32];
    snprintf(b, sizeof b, "%s \xe2\x80\x94 page %lld of %lld", d->title, (long long)page + 1,
             (long long)npages);
    rtext(P, 10, P->H - 12, P->W - 20, b, 'l', 11, "#111111", 1);
    rtext(P, 4, P->H - RG_HEADER_H + 10, RG_LANE0 - 44, "time", 'r', 8.5, "#666666", 1);
    rtext(P, RG_LANE0 - 50, P->H - RG_HEADER_H + 10, 40, "flag", 'c', 8.5, "#c03030", 1);
    for (int i = 0; i < d->nlanes; i++) {
        const struct vlane *l = &d->lanes[i];
        vbuf_clear(&P->t);
        const char *who = rn_thread(l->grp, tb, sizeof tb);
        snprintf(b, sizeof b, "%s", who);
        rtext(P, cx(i) - 70, P->H - 32, 140, b, 'c', 11, "#111111", 1);
        snprintf(b, sizeof b, "%s%s%s", l->grp < 0 ? "run" : ev_role_name(l->role),
                 *l->name && strcmp(l->name, who) ? " \xc2\xb7 " : "",
                 *l->name && strcmp(l->name, who) ? l->name : "");
        rtext(P, cx(i) - 70, P->H - 46, 140, b, 'c', 8.5, "#555555", 0);
        /* The lifeline. */
        rbox(P, cx(i), P->H - RG_HEADER_H + 4, yrow(P, (double)P->row1 - 0.5), 1.2, "filled",
             "#b0b0b0", "#b0b0b0", 0.5);
    }
}

/* Times of the rows; a row without an event (the hang's story below the
 * end) at the same time as the row above shows none. */
static void draw_axis(struct page *P)
{
    char b[48], id[32];
    for (int64_t r = P->row0; r < P->row1; r++) {
        const struct vrow *row = &P->d->rows[r];
        int same = r > P->row0 && !row->seq && row->ts == P->d->rows[r - 1].ts;
        rn_ms(row->ts, P->d->t0, b, sizeof b);
        Agnode_t *n =
            rtext(P, 4, yrow(P, (double)r), RG_LANE0 - 44, same ? "" : b, 'r', 7.5, "#777777", 0);
        snprintf(id, sizeof id, "r%lld", (long long)r);
        set(n, "id", id);
    }
}

/* The legend: sample bars and arrows with their meaning, two lines. */
static void draw_legend(struct page *P, double y)
{
    struct sample {
        int kind; /* 0 bar, 1 arrow, 2 barrier release, 3 flag, 4 hang bar, 5 wait-for */
        int col, style;
        int64_t obj, mode;
        const char *what;
    };
    static const struct sample s[] = {
        {0, COL_GMUTEX, VS_HOLD, OBJ_GROUP_MUTEX, 3, "group mutex held"},
        {0, COL_LEASE, VS_HOLD, OBJ_LEASE, 3, "lease held"},
        {0, COL_STATE, VS_HOLD, OBJ_STATE_LOCK, MODE_WRITE, "state lock: write"},
        {0, COL_STATE, VS_HOLD, OBJ_STATE_LOCK, MODE_READ, "state lock: read"},
        {0, COL_PROCESS, VS_HOLD, OBJ_PROCESS_MUTEX, 3, "process mutex"},
        {0, COL_STATE, VS_WAIT, OBJ_STATE_LOCK, MODE_WRITE, "blocked waiting (dashed)"},
        {0, COL_RETRY, VS_RETRY, OBJ_LEASE, 3, "try loop: busy, retrying"},
        {0, COL_WAIT, VS_WAIT, OBJ_BARRIER, 1, "at barrier phase 1"},
        {0, COL_WAIT, VS_WAIT, OBJ_BARRIER, 2, "at barrier phase 2"},
        {0, COL_WAIT, VS_WAIT, OBJ_BARRIER_BUS, 0, "receiving from a bus"},
        {1, 0, VS_BARRIER, 0, 0, "barrier broadcast"},
        {1, 0, VS_OP, 0, 0, "operation broadcast"},
        {1, 0, VS_WAKEUP, 0, 0, "wakeup signal"},
        {1, 0, VS_LEASE, 0, 0, "lease handover"},
        {2, 0, 0, 0, 0, "barrier released"},
        {3, 0, 0, 0, 0, "pending flag set"},
        {4, 0, 0, 0, 0, "blocked at the end"},
        {5, 0, 0, 0, 0, "waits for (thick: a cycle)"},
    };
    const int per_line = 9;
    double colw = (P->W - 20) / per_line;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        double x = 14 + (double)(i % per_line) * colw;
        double yy = y - (double)(i / per_line) * 28;
        const struct sample *k = &s[i];
        if (k->kind == 0) {
            struct vitem it = {.kind = VI_BAR,
                               .style = (uint8_t)k->style,
                               .col = (uint8_t)k->col,
                               .obj = k->obj,
                               .mode = k->mode};
            struct hue h = hue_of(it.col, it.obj, it.mode);
            rbox(P, x + 4, yy + 9, yy - 9, 8,
                 k->style == VS_HOLD    ? "filled"
                 : k->style == VS_RETRY ? "filled,dotted"
                                        : "filled,dashed",
                 k->style == VS_HOLD ? h.line : h.tint, h.line, 1);
        } else if (k->kind == 1) {
            struct vitem it = {.kind = VI_ARROW, .style = (uint8_t)k->style, .row = 0, .row2 = 0};
            const char *color = it.style == VS_BARRIER ? "#2a9d2a"
                                : it.style == VS_OP    ? "#1f4f99"
                                : it.style == VS_LEASE ? "#e8750a"
                                                       : "#d95f02";
            rline(P, x - 4, yy, x + 16, yy, color, it.style == VS_WAKEUP ? "dashed" : "solid",
                  it.style == VS_LEASE ? 2.2 : 1.2, it.style == VS_WAKEUP ? "vee" : "normal");
        } else if (k->kind == 2) {
            rline(P, x - 4, yy, x + 16, yy, "#2a9d2a", "solid", 3.5, "none");
        } else if (k->kind == 3) {
            rbox(P, x + 4, yy + 9, yy - 9, 8, "filled", "#f4a3a3", "#c03030", 1);
        } else if (k->kind == 4) {
            rbox(P, x + 4, yy + 9, yy - 9, 10, "filled,dashed", RED_TINT, RED, 2);
        } else {
            rline(P, x - 4, yy, x + 16, yy, RED, "solid", 3, "normal");
        }
        rtext(P, x + 20, yy, colw - 24, k->what, 'l', 8, "#333333", 0);
    }
}

/* Characters a footer line holds on a page W points wide (9-point text). */
static size_t footer_cols(double W)
{
    return (size_t)((W - 40) / 5.0);
}

/* Lines the footer takes on a page W wide, wrapped (at most FOOT_MAX). */
static int footer_lines(const struct vdiag *d, double W)
{
    int n = 0;
    for (const char *p = vbuf_str(&d->footer), *next; *p && n < FOOT_MAX; p = next, n++)
        vtext_line(p, footer_cols(W), &next);
    return n;
}

/* The footer from y down: the hang's story and the findings, wrapped (a
 * continued line indented), in red, the first line bold. */
static void draw_footer(struct page *P, double y)
{
    size_t cols = footer_cols(P->W);
    const char *p = vbuf_str(&P->d->footer);
    for (int i = 0, cont = 0; *p && i < FOOT_MAX; i++) {
        const char *next;
        size_t n = vtext_line(p, cols, &next);
        char b[512];
        snprintf(b, sizeof b, "%s%.*s", cont ? "      " : "", (int)(n < 500 ? n : 500), p);
        rtext(P, 14, y - i * FOOT_LINE, P->W - 28, b, 'l', 9, RED, i == 0);
        cont = next > p + n && p[n] != '\n';
        p = next;
    }
}

/* Which pages each item touches: first and last. */
static void item_pages(const struct vitem *it, int64_t pr, int64_t *p0, int64_t *p1)
{
    int64_t a = it->row, b = it->kind == VI_BAR || it->kind == VI_FLAG || it->kind == VI_ARROW
                                 ? it->row2
                                 : it->row;
    if (b < a)
        b = a;
    *p0 = a / pr;
    *p1 = b / pr;
}

/* How each kind of item is drawn (enum vkind). */
static void (*const draw_item[])(struct page *, const struct vitem *) = {
    [VI_BAR] = draw_bar, [VI_ARROW] = draw_arrow, [VI_MARK] = draw_mark,
    [VI_RDV] = draw_rdv, [VI_FLAG] = draw_flag,   [VI_ELIDE] = draw_elide,
};

/* Build page p of d as a graph (not laid out). */
static Agraph_t *build_page(const struct vdiag *d, int64_t p, int64_t pr, struct vbuf *scratch)
{
    int64_t npages = render_npages(d, pr);
    struct page P = {.d = d, .row0 = p * pr, .t = *scratch};
    P.row1 = P.row0 + pr < d->nrows ? P.row0 + pr : d->nrows;
    if (P.row1 < P.row0)
        P.row1 = P.row0;
    int last = p == npages - 1;
    int foot = 0;
    P.W = RG_LANE0 + d->nlanes * RG_LANE_W + 10;
    if (P.W < MIN_W)
        P.W = MIN_W;
    if (last)
        foot = footer_lines(d, P.W);
    double body = (double)(P.row1 - P.row0) * RG_ROW_H;
    P.H = RG_HEADER_H + body + 16 + LEGEND_H + foot * FOOT_LINE;
    P.g = agopen((char *)"dlsync", Agdirected, NULL);
    set(P.g, "notranslate", "true");
    set(P.g, "outputorder", "nodesfirst");
    set(P.g, "bgcolor", "white");
    set(P.g, "pad", "0");
    /* Corners: the picture is exactly W x H whatever is drawn. */
    ghost(&P, 0, 0);
    ghost(&P, P.W, P.H);
    draw_header(&P, p, npages);
    draw_axis(&P);
    /* Items in drawing order: folds and flags, bars, rendezvous, marks, arrows. */
    static const int order[] = {VI_ELIDE, VI_FLAG, VI_BAR, VI_RDV, VI_MARK, VI_ARROW};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        for (int64_t k = 0; k < d->nitems; k++) {
            const struct vitem *it = &d->items[k];
            int64_t p0, p1;
            if (it->kind != order[o])
                continue;
            item_pages(it, pr, &p0, &p1);
            if (p < p0 || p > p1)
                continue;
            if (it->kind != VI_FLAG && it->kind != VI_ELIDE && it->lane < 0)
                continue;
            draw_item[it->kind](&P, it);
        }
    }
    double ylegend = P.H - RG_HEADER_H - body - 16 - 14;
    draw_legend(&P, ylegend);
    if (foot)
        draw_footer(&P, ylegend - 2 * 28 - 4);
    *scratch = P.t;
    return P.g;
}

/* ---- output ------------------------------------------------------------------ */

static int write_dot(Agraph_t *g, const char *path, const char *engine, char *err, size_t errn)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errn, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "// render with: %s -Tsvg %s -o OUT.svg  (dlsync draw; positions are pinned)\n",
            engine, path);
    int rc = agwrite(g, f);
    if (fclose(f) || rc) {
        snprintf(err, errn, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Lay g out with engine and render it as fmt into path. */
static int emit(GVC_t *gvc, Agraph_t *g, const char *engine, int fmt, const char *path,
                const char *dot_engine, char *err, size_t errn)
{
    if (fmt == RF_DOT)
        return write_dot(g, path, dot_engine, err, errn);
    if (gvLayout(gvc, g, engine)) {
        snprintf(err, errn, "%s: Graphviz layout '%s' failed", path, engine);
        return -1;
    }
    /* Our own FILE: Graphviz reports a file it cannot open but returns 0. */
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errn, "%s: cannot write: %s", path, strerror(errno));
        gvFreeLayout(gvc, g);
        return -1;
    }
    int rc = gvRender(gvc, g, fmt_names[fmt], f);
    gvFreeLayout(gvc, g);
    int werr = ferror(f);
    if (fclose(f) || werr || rc) {
        snprintf(err, errn, "%s: %s", path,
                 rc ? "Graphviz could not render it" : "cannot write (disk full?)");
        return -1;
    }
    return 0;
}

/* A Graphviz context that reports errors only (a label wider than its
 * fixed box is meant: labels may run into the next lane's empty space). */
static GVC_t *context(void)
{
    agseterr(AGERR);
    return gvContext();
}

int render_diagram(const struct vdiag *d, const char *out, int fmt, int64_t page_rows, int quiet,
                   char *err, size_t errn)
{
    GVC_t *gvc = context();
    struct vbuf scratch = {0};
    int64_t np = render_npages(d, page_rows);
    int rc = 0;
    for (int64_t p = 0; p < np && !rc; p++) {
        char path[4096];
        render_page_name(out, p + 1, np, path, sizeof path);
        Agraph_t *g = build_page(d, p, page_rows, &scratch);
        rc = emit(gvc, g, "nop2", fmt, path, "neato -n2", err, errn);
        agclose(g);
        if (!rc && !quiet)
            printf("%s\n", path);
    }
    vbuf_free(&scratch);
    gvFreeContext(gvc);
    return rc;
}

int render_page_svg(const struct vdiag *d, int64_t p, int64_t page_rows, struct vbuf *svg,
                    char *err, size_t errn)
{
    GVC_t *gvc = context();
    struct vbuf scratch = {0};
    Agraph_t *g = build_page(d, p, page_rows, &scratch);
    int rc = -1;
    char *data = NULL;
    unsigned int len = 0;
    if (gvLayout(gvc, g, "nop2") == 0) {
        if (gvRenderData(gvc, g, "svg", &data, &len) == 0) {
            /* Inline SVG: drop the XML prolog and DOCTYPE. */
            const char *s = data ? strstr(data, "<svg") : NULL;
            if (s) {
                vbuf_put(svg, s, len - (size_t)(s - data));
                rc = 0;
            }
            gvFreeRenderData(data);
        }
        gvFreeLayout(gvc, g);
    }
    if (rc)
        snprintf(err, errn, "Graphviz could not render page %lld as SVG", (long long)p + 1);
    agclose(g);
    vbuf_free(&scratch);
    gvFreeContext(gvc);
    return rc;
}

static void wf_edge_style(Agedge_t *a, int cycle)
{
    set(a, "fontname", "Helvetica");
    set(a, "fontsize", "10");
    set(a, "color", cycle ? RED : "#555555");
    set(a, "penwidth", cycle ? "2.5" : "1");
    set(a, "fontcolor", cycle ? RED : "#333333");
}

/* "where it is since seq N (t ms)" as two lines: the place, then the time. */
static void wf_what(struct vbuf *t, const char *what)
{
    const char *since = strstr(what, " since ");
    if (!since) {
        esc_gv_label(t, what);
        return;
    }
    char b[128];
    snprintf(b, sizeof b, "%.*s", (int)(since - what), what);
    esc_gv_label(t, b);
    vbuf_puts(t, "\\n");
    esc_gv_label(t, since + 1);
}

/* The edge from via to `to` labelled words, if drawn already (several
 * waiters at one barrier wait for the same late party: drawn once). */
static Agedge_t *wf_drawn(Agraph_t *g, Agnode_t *via, Agnode_t *to, const char *words)
{
    for (Agedge_t *e = agfstout(g, via); e; e = agnxtout(g, e)) {
        const char *l = agget(e, (char *)"label");
        if (aghead(e) == to && l && !strcmp(l, words))
            return e;
    }
    return NULL;
}

/* The node of thread t (NULL: nobody), made on first use.  Its DOT name is
 * t<id> (or nobody); attribute thread= names it, waitsfor= the names it
 * waits for, comma-separated (nobody for none), cycle=1 marks it on a
 * cycle: a text form of the graph for scripts (docs/draw.md). */
static Agnode_t *wf_node(Agraph_t *g, const struct wf_view *v, const struct wg_node *a,
                         struct vbuf *t)
{
    char name[32], tb[40];
    if (!a) {
        Agnode_t *n = agnode(g, (char *)"nobody", 0);
        if (n)
            return n;
        n = agnode(g, (char *)"nobody", 1);
        set(n, "label", "nobody\\n(no thread the trace shows)");
        set(n, "thread", "nobody");
        set(n, "shape", "box");
        set(n, "style", "rounded,dashed");
        set(n, "fontname", "Helvetica");
        set(n, "color", RED);
        return n;
    }
    snprintf(name, sizeof name, "t%lld", (long long)a->t->id);
    Agnode_t *n = agnode(g, name, 0);
    if (n)
        return n;
    n = agnode(g, name, 1);
    const struct wf_label *l = &v->n[a->t->id];
    vbuf_clear(t);
    esc_gv_label(t, model_thread_name(a->t, tb, sizeof tb));
    vbuf_puts(t, l->gone ? " (EXITED)\\n" : a->blocked ? " (BLOCKED)\\n" : "\\n");
    wf_what(t, l->what);
    if (*l->holds) {
        vbuf_puts(t, "\\nholds: ");
        esc_gv_label(t, l->holds);
    }
    set(n, "label", vbuf_str(t));
    set(n, "thread", model_thread_name(a->t, tb, sizeof tb));
    if (a->nout) {
        vbuf_clear(t);
        for (int k = 0; k < a->nout; k++) {
            vbuf_puts(t, k ? "," : "");
            vbuf_puts(t, wf_target_name(&a->out[k], tb, sizeof tb));
        }
        set(n, "waitsfor", vbuf_str(t));
    }
    if (a->cycle)
        set(n, "cycle", "1");
    set(n, "shape", "box");
    set(n, "style", l->gone ? "rounded,filled,dashed" : "rounded,filled");
    set(n, "fontname", "Helvetica");
    set(n, "fontsize", "12");
    set(n, "fillcolor",
        a->cycle     ? RED_TINT
        : l->gone    ? "#eeeeee"
        : a->blocked ? "#fff1d6"
                     : "#e9f5e9");
    set(n, "color", a->cycle || l->gone ? RED : a->blocked ? "#e8750a" : "#2a9d2a");
    set(n, "penwidth", a->cycle || l->gone ? "2.5" : "1");
    return n;
}

/* One wait-for edge e of a: waiter -> object "waits", object -> the thread
 * it waits for, with its words (straight to the thread when no object). */
static void wf_edge(Agraph_t *g, const struct wf_view *v, const struct wg_node *a,
                    const struct wg_edge *e, struct vbuf *t)
{
    char name[32], words[128];
    int cycle = waitgraph_edge_cycle(&v->g, a, e);
    Agnode_t *from = wf_node(g, v, a, t);
    Agnode_t *to = wf_node(g, v, e->to ? waitgraph_node(&v->g, e->to->id) : NULL, t);
    Agnode_t *via = NULL;
    if (e->obj) {
        char ob[40];
        snprintf(name, sizeof name, "o%lld", (long long)e->obj);
        via = agnode(g, name, 0);
        if (!via) {
            via = agnode(g, name, 1);
            vbuf_clear(t);
            esc_gv_label(t, rn_obj(e->obj, ob, sizeof ob));
            set(via, "label", vbuf_str(t));
            set(via, "shape", "ellipse");
            set(via, "fontname", "Helvetica");
        }
        if (cycle) {
            set(via, "color", RED);
            set(via, "penwidth", "2.5");
        }
        Agedge_t *w = agedge(g, from, via, NULL, 0);
        if (!w) {
            w = agedge(g, from, via, NULL, 1);
            set(w, "label", "waits");
            wf_edge_style(w, cycle);
        } else if (cycle) {
            wf_edge_style(w, 1);
        }
    }
    vbuf_clear(t);
    esc_gv_label(t, wf_edge_words(a, e, words, sizeof words));
    Agedge_t *b = via ? wf_drawn(g, via, to, vbuf_str(t)) : NULL;
    if (b) {
        if (cycle) /* the drawn twin is on the cycle too */
            wf_edge_style(b, 1);
        return;
    }
    b = agedge(g, via ? via : from, to, NULL, 1);
    set(b, "label", vbuf_str(t));
    wf_edge_style(b, cycle);
}

int render_waitfor(const struct wf_view *v, const char *caption, const char *out, int fmt,
                   char *err, size_t errn)
{
    GVC_t *gvc = context();
    Agraph_t *g = agopen((char *)"waitfor", Agdirected, NULL);
    struct vbuf t = {0};
    set(g, "rankdir", "LR");
    set(g, "fontname", "Helvetica-Bold");
    set(g, "labelloc", "t");
    set(g, "labeljust", "l");
    set(g, "nodesep", "0.3");
    esc_gv_label(&t, caption);
    set(g, "label", vbuf_str(&t));
    /* Threads in the model's order, then the edges of each. */
    for (int64_t i = 0; i < v->g.n; i++) {
        const struct wg_node *a = &v->g.v[v->g.m->threads[i]->id];
        if (v->n[a->t->id].shown)
            wf_node(g, v, a, &t);
    }
    for (int64_t i = 0; i < v->g.n; i++) {
        const struct wg_node *a = &v->g.v[v->g.m->threads[i]->id];
        for (int k = 0; k < a->nout; k++)
            wf_edge(g, v, a, &a->out[k], &t);
    }
    int rc = emit(gvc, g, "dot", fmt, out, "dot", err, errn);
    agclose(g);
    vbuf_free(&t);
    gvFreeContext(gvc);
    return rc;
}
