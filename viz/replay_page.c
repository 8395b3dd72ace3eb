/*
 * viz/replay_page.c — `dlsync replay`: one self-contained HTML page to step
 * through a recorded run: the sequence diagram (inline SVG, render.c), a
 * cursor moved by keyboard or clicks, and beside it the protocol's state at
 * the cursor in the words of `dlsync state` (replay/describe.c makes them for
 * both; the page's script only shows them).
 *
 * The state is computed here, in C, by the same model (replay/model.c): after
 * each event describe_state puts it in words, item by item, and only the
 * items whose words changed are embedded (a delta per event), with a full
 * keyframe every KEYFRAME events so the page finds any state quickly.  The page's HTML, CSS
 * and JS are viz/replay.html, compiled in (viz/embed-template.sh).
 *
 * Owns the page's text (its command line is cli/replay.c).  Single-threaded;
 * takes no locks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/describe.h"
#include "replay/names.h"
#include "viz/draw.h"
#include "viz/render.h"

extern const char viz_replay_template[];

enum { KEYFRAME = 128 };

/* The state in words is describe_state's items (replay/describe.h), keyed
 * by their names; "@order" holds the keys in order, space separated. */
struct page_state {
    struct vbuf ev;       /* JSON array of events */
    struct vbuf deltas;   /* JSON array of delta objects, one per event */
    struct vbuf frames;   /* JSON array of keyframes */
    struct vbuf epochs;   /* [[epoch, index], ...] */
    struct vbuf init;     /* members of the state at the range's start */
    char **keys, **prev;  /* each item met so far, and its words last time */
    int nkeys, cap, next; /* next: where the next item is looked for first */
    struct vbuf order, prev_order;
    int64_t n;   /* events so far */
    int64_t t0;  /* the run's first event's ts: the page's times count from it */
    int64_t run; /* the run's id, as the state's first line names it */
    const struct findings *findings; /* the run's, by first seq (the diagram's) */
    struct vbuf *full, *delta;       /* where this state's members go (NULL: not) */
    int nfull, ndelta;
};

static void member(struct vbuf *b, int *n, const char *key, const char *text)
{
    vbuf_puts(b, (*n)++ ? "," : "");
    esc_json(b, key);
    vbuf_puts(b, ":");
    esc_json(b, text);
}

/* One item of the state: into full when it says something, into delta when
 * its words changed since the last state. */
static void page_item(void *arg, const char *key, const char *text)
{
    struct page_state *ps = arg;
    int k = ps->next < ps->nkeys && !strcmp(ps->keys[ps->next], key) ? ps->next : 0;
    while (k < ps->nkeys && strcmp(ps->keys[k], key))
        k++;
    if (k == ps->nkeys) {
        if (ps->nkeys == ps->cap) {
            ps->cap = ps->cap ? 2 * ps->cap : 32;
            ps->keys = realloc(ps->keys, (size_t)ps->cap * sizeof *ps->keys);
            ps->prev = realloc(ps->prev, (size_t)ps->cap * sizeof *ps->prev);
            if (!ps->keys || !ps->prev)
                abort();
        }
        ps->keys[k] = strdup(key);
        ps->prev[k] = strdup("");
        if (!ps->keys[k] || !ps->prev[k])
            abort();
        ps->nkeys++;
    }
    ps->next = k + 1;
    vbuf_printf(&ps->order, "%s%s", ps->order.len ? " " : "", key);
    if (ps->full && *text)
        member(ps->full, &ps->nfull, key, text);
    if (!strcmp(ps->prev[k], text))
        return;
    if (ps->delta)
        member(ps->delta, &ps->ndelta, key, text);
    free(ps->prev[k]);
    ps->prev[k] = strdup(text);
    if (!ps->prev[k])
        abort();
}

/* m's state in words (describe_state): every item that says something into
 * full (unless NULL) and the items whose words changed since the last call
 * into delta (unless NULL), as the members of a JSON object (no braces);
 * "@order" into full always, into delta when it changed. */
static void state_json(struct page_state *ps, const struct model *m, struct vbuf *full,
                       struct vbuf *delta)
{
    ps->full = full;
    ps->delta = delta;
    ps->nfull = ps->ndelta = 0;
    ps->next = 0;
    vbuf_clear(&ps->order);
    describe_state(m, ps->run, ps->findings, page_item, ps);
    const char *order = vbuf_str(&ps->order);
    if (full)
        member(full, &ps->nfull, "@order", order);
    if (strcmp(order, vbuf_str(&ps->prev_order))) {
        if (delta)
            member(delta, &ps->ndelta, "@order", order);
        vbuf_clear(&ps->prev_order);
        vbuf_puts(&ps->prev_order, order);
    }
}

/* The state at the range's start: what the page shows before its first event. */
static void start_state(void *arg, const struct model *m)
{
    struct page_state *ps = arg;
    state_json(ps, m, &ps->init, NULL);
}

static void after_event(void *arg, const struct rev *e, const struct model *m, int64_t row)
{
    struct page_state *ps = arg;
    /* The event. */
    vbuf_printf(&ps->ev, "%s[%lld,%lld,%d,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,",
                ps->n ? ",\n" : "", (long long)e->seq, (long long)(e->ts - ps->t0), e->kind,
                (long long)e->grp, (long long)e->obj, (long long)e->mode, (long long)e->how,
                (long long)e->epoch, (long long)e->phase, (long long)e->lease, (long long)e->a,
                (long long)e->b);
    esc_json(&ps->ev, e->str ? e->str : "");
    vbuf_printf(&ps->ev, ",%lld]", (long long)row);
    if (e->kind == EV_OP_BEGIN)
        vbuf_printf(&ps->epochs, "%s[%lld,%lld]", ps->epochs.len ? "," : "", (long long)e->epoch,
                    (long long)ps->n);
    /* What changed; every KEYFRAME events, everything. */
    int frame = ps->n % KEYFRAME == 0;
    vbuf_puts(&ps->deltas, ps->n ? ",{" : "{");
    if (frame)
        vbuf_puts(&ps->frames, ps->n ? ",{" : "{");
    state_json(ps, m, frame ? &ps->frames : NULL, &ps->deltas);
    vbuf_puts(&ps->deltas, "}");
    if (frame)
        vbuf_puts(&ps->frames, "}");
    ps->n++;
}

static void page_state_free(struct page_state *ps)
{
    for (int k = 0; k < ps->nkeys; k++) {
        free(ps->keys[k]);
        free(ps->prev[k]);
    }
    free(ps->keys);
    free(ps->prev);
    vbuf_free(&ps->ev);
    vbuf_free(&ps->deltas);
    vbuf_free(&ps->frames);
    vbuf_free(&ps->epochs);
    vbuf_free(&ps->init);
    vbuf_free(&ps->order);
    vbuf_free(&ps->prev_order);
}

/* Everything the page's script needs, as one JSON object. */
static void page_json(struct vbuf *j, const struct vdiag *d, struct page_state *ps)
{
    char tb[48];
    vbuf_puts(j, "{\"title\":");
    esc_json(j, d->title);
    vbuf_printf(j, ",\"K\":%d,\"kinds\":[", KEYFRAME);
    for (int k = 0; k < EV_KIND_COUNT; k++) {
        vbuf_puts(j, k ? "," : "");
        esc_json(j, ev_kind_name((enum ev_kind)k));
    }
    vbuf_puts(j, "],\"lanes\":[");
    for (int i = 0; i < d->nlanes; i++) {
        vbuf_puts(j, i ? "," : "");
        esc_json(j, rn_thread(d->lanes[i].grp, tb, sizeof tb));
    }
    vbuf_puts(j, "],\"ev\":[");
    vbuf_put(j, vbuf_str(&ps->ev), ps->ev.len);
    vbuf_puts(j, "],\"delta\":[");
    vbuf_put(j, vbuf_str(&ps->deltas), ps->deltas.len);
    vbuf_puts(j, "],\"frame\":[");
    vbuf_put(j, vbuf_str(&ps->frames), ps->frames.len);
    vbuf_puts(j, "],\"init\":{");
    vbuf_put(j, vbuf_str(&ps->init), ps->init.len);
    vbuf_puts(j, "},\"epochs\":[");
    vbuf_put(j, vbuf_str(&ps->epochs), ps->epochs.len);
    vbuf_puts(j, "],\"findings\":[");
    for (size_t i = 0; i < d->findings.n; i++) {
        const struct finding *f = &d->findings.v[i];
        char *msg = finding_message(f);
        vbuf_printf(j, "%s[%lld,", i ? "," : "", (long long)finding_first_seq(f));
        esc_json(j, f->rule);
        vbuf_puts(j, ",");
        esc_json(j, msg);
        vbuf_puts(j, "]");
        free(msg);
    }
    vbuf_puts(j, "],\"footer\":");
    esc_json(j, vbuf_str(&d->footer));
    vbuf_puts(j, "}");
}

/* Copy the template to f, replacing each @NAME@ marker by its text. */
static int fill_template(FILE *f, const char *title, const struct vbuf *svg,
                         const struct vbuf *json)
{
    const char *p = viz_replay_template;
    struct vbuf t = {0};
    esc_xml(&t, title);
    while (*p) {
        const char *m = strchr(p, '@');
        if (!m) {
            fputs(p, f);
            break;
        }
        fwrite(p, 1, (size_t)(m - p), f);
        if (!strncmp(m, "@TITLE@", 7)) {
            fputs(vbuf_str(&t), f), p = m + 7;
        } else if (!strncmp(m, "@SVG@", 5)) {
            fwrite(vbuf_str(svg), 1, svg->len, f), p = m + 5;
        } else if (!strncmp(m, "@DATA@", 6)) {
            fwrite(vbuf_str(json), 1, json->len, f), p = m + 6;
        } else {
            fputc('@', f), p = m + 1;
        }
    }
    vbuf_free(&t);
    return ferror(f) ? -1 : 0;
}

int replay_page(struct replay_opts *o)
{
    struct vrange r = o->range;
    int rc;
    struct session src;
    rc = viz_open("replay", o->db, &r, &src);
    if (rc != EX_OK) {
        vrange_free(&r);
        return rc;
    }
    if (r.seq_to - r.seq_from + 1 > o->max_events) {
        fprintf(stderr,
                "dlsync replay: %s: the range holds %lld events, more than --max-events %lld; "
                "choose a smaller one with --epochs or --from/--to\n",
                o->db, (long long)(r.seq_to - r.seq_from + 1), o->max_events);
        session_close(&src);
        vrange_free(&r);
        return EX_USAGE;
    }
    struct vdiag d = {0};
    struct page_state ps = {.t0 = src.t0, .run = src.run, .findings = &d.findings};
    struct vbuf svg = {0}, json = {0};
    char err[512];
    struct vlay_opts hooks = {.start = start_state, .after = after_event, .ctx = &ps};
    rc = viz_layout("replay", &d, &src, &r, &hooks);
    for (int64_t p = 0; rc == EX_OK && p < render_npages(&d, r.page_rows); p++) {
        vbuf_printf(&svg, "<div class=\"page\" id=\"page%lld\">", (long long)p);
        if (render_page_svg(&d, p, r.page_rows, &svg, err, sizeof err)) {
            fprintf(stderr, "dlsync replay: %s\n", err);
            rc = EX_OUTPUT;
        }
        vbuf_puts(&svg, "</div>\n");
    }
    if (rc == EX_OK) {
        page_json(&json, &d, &ps);
        FILE *f = fopen(o->out, "w");
        int bad = !f || fill_template(f, d.title, &svg, &json);
        if ((f && fclose(f)) || bad) {
            fprintf(stderr, "dlsync replay: %s: cannot write: %s\n", o->out, strerror(errno));
            rc = EX_OUTPUT;
        } else if (!o->quiet) {
            printf("%s\n", o->out);
        }
    }
    vbuf_free(&svg);
    vbuf_free(&json);
    vdiag_free(&d);
    page_state_free(&ps);
    session_close(&src);
    vrange_free(&r);
    return rc;
}
