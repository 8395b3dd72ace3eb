/*
 * viz/replay_page.c — `dlsync replay`: one self-contained HTML page to step
 * through a recorded run: the sequence diagram (inline SVG, render.c), a
 * cursor moved by keyboard or clicks, and beside it the protocol's state at
 * the cursor as `dlsync state` words it (replay/describe.c).
 *
 * The state is computed here, in C, by the same model (replay/model.c): after
 * each event the state is put in words, key by key, and only the keys that
 * changed are embedded (a delta per event), with a full keyframe every
 * KEYFRAME events so the page finds any state quickly.  The page's HTML, CSS
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

/* The state in words, key by key: fixed keys first, then one per thread. */
enum { K_LEASE, K_STATE, K_WAITERS, K_FLAG, K_RX, K_EPOCH, K_BARRIER, K_FIXED };
static const char *const key_names[K_FIXED] = {
    "lease", "state lock", "waiting", "pending flag", "rx_count", "epoch", "barrier",
};

struct page_state {
    struct vbuf ev;     /* JSON array of events */
    struct vbuf deltas; /* JSON array of delta objects, one per event */
    struct vbuf frames; /* JSON array of keyframes */
    struct vbuf epochs; /* [[epoch, index], ...] */
    struct vbuf init;   /* members of the state at the range's start */
    char **prev;        /* previous value of each key */
    int nkeys;
    int64_t n;  /* events so far */
    int64_t t0; /* the run's first event's ts: the page's times count from it */
    struct vbuf val, tmp;
};

static void list_add(struct vbuf *b, const char *s)
{
    if (b->len)
        vbuf_puts(b, ", ");
    vbuf_puts(b, s);
}

/* Epoch n's record if it is in flight: begun, and either not ended, or with a
 * party still inside a phase (a follower may stay at a barrier after the
 * instigator's op_end).  NULL otherwise, or when the model no longer keeps it. */
static const struct epoch_rec *in_flight(const struct model *m, int64_t n)
{
    const struct epoch_rec *ep = n > 0 ? model_epoch((struct model *)m, n) : NULL;
    if (!ep || !ep->op_seq)
        return NULL;
    int inside = ep->arrivals[1] > ep->departures[1] || ep->arrivals[2] > ep->departures[2];
    return !ep->end_seq || inside ? ep : NULL;
}

/* "e3 LoadModules libm by group-2 (in flight)", appended to v (a line each). */
static void epoch_words(struct vbuf *v, const struct epoch_rec *ep, const char *how)
{
    char tb[48];
    vbuf_printf(v, "%se%lld %s %s by %s%s", v->len ? "\n" : "", (long long)ep->epoch,
                rn_op(ep->kind), ep->name, rn_thread(ep->instigator, tb, sizeof tb), how);
}

/* Value of key k (thread keys: K_FIXED + the thread's id) in ps->val. */
static void state_value(struct page_state *ps, const struct model *m, int k)
{
    struct vbuf *v = &ps->val;
    char tb[48], b[256], hb[256];
    vbuf_clear(v);
    switch (k) {
    case K_LEASE:
        if (m->lease_holder)
            vbuf_printf(v, "%s holds lease %lld", model_thread_name(m->lease_holder, tb, sizeof tb),
                        (long long)m->lease_id);
        else
            vbuf_puts(v, "free");
        return;
    case K_STATE:
        if (m->writer)
            vbuf_printf(v, "write: %s", model_thread_name(m->writer, tb, sizeof tb));
        for (int64_t i = 0; i < m->nthreads; i++) {
            struct mthread *t = m->threads[i];
            struct mhold *h = model_held(t, OBJ_STATE_LOCK);
            if (h && h->mode == MODE_READ) {
                if (!ps->tmp.len)
                    vbuf_puts(&ps->tmp, "read: ");
                else
                    vbuf_puts(&ps->tmp, ", ");
                vbuf_puts(&ps->tmp, model_thread_name(t, tb, sizeof tb));
            }
        }
        if (ps->tmp.len) {
            if (v->len)
                vbuf_puts(v, "; ");
            vbuf_puts(v, vbuf_str(&ps->tmp));
            vbuf_clear(&ps->tmp);
        }
        if (!v->len)
            vbuf_puts(v, "free");
        return;
    case K_WAITERS:
        for (int64_t i = 0; i < m->nthreads; i++) {
            const struct mthread *t = m->threads[i];
            if (t->pos == MP_LOCK)
                snprintf(b, sizeof b, "%s for %s (%s)", model_thread_name(t, tb, sizeof tb),
                         rn_obj(t->pos_obj, hb, sizeof hb), ev_mode_name(t->pos_mode));
            else if (t->retry_obj && t->pos != MP_EXITED)
                snprintf(b, sizeof b, "%s retries %s (%lld tries)",
                         model_thread_name(t, tb, sizeof tb), rn_obj(t->retry_obj, hb, sizeof hb),
                         (long long)t->retries);
            else
                continue;
            list_add(v, b);
        }
        if (!v->len)
            vbuf_puts(v, "nobody");
        return;
    case K_FLAG:
        vbuf_printf(v, m->flag ? "set (epoch %lld)" : "clear", (long long)m->flag_epoch);
        return;
    case K_RX:
        vbuf_printf(v, "%lld", (long long)m->rx_count);
        return;
    case K_EPOCH: {
        /* Every epoch in flight (more than one breaks single flight, I4);
         * when none, the newest, done. */
        for (int64_t n = m->epoch_last - MODEL_EPOCH_RING + 1; n <= m->epoch_last; n++) {
            const struct epoch_rec *ep = in_flight(m, n);
            if (ep)
                epoch_words(v, ep, " (in flight)");
        }
        const struct epoch_rec *ep = model_epoch((struct model *)m, m->epoch_last);
        if (!v->len && ep)
            epoch_words(v, ep, ep->end_seq ? " (done)" : " (in flight)");
        if (!v->len)
            vbuf_puts(v, "none yet");
        return;
    }
    case K_BARRIER:
        /* Arrivals (and departures) at each phase of each epoch in flight. */
        for (int64_t n = m->epoch_last - MODEL_EPOCH_RING + 1; n <= m->epoch_last; n++) {
            const struct epoch_rec *ep = in_flight(m, n);
            if (!ep || !ep->bcast_seq)
                continue;
            vbuf_printf(v, "%se%lld phase 1: %lld of %lld arrived", v->len ? "\n" : "",
                        (long long)ep->epoch, (long long)ep->arrivals[1], (long long)ep->rx);
            if (ep->departures[1])
                vbuf_printf(v, ", %lld departed", (long long)ep->departures[1]);
            vbuf_printf(v, ", phase 2: %lld of %lld arrived", (long long)ep->arrivals[2],
                        (long long)ep->rx);
            if (ep->departures[2])
                vbuf_printf(v, ", %lld departed", (long long)ep->departures[2]);
        }
        if (!v->len)
            vbuf_puts(v, "no epoch in flight");
        return;
    default: {
        const struct mthread *t = model_thread_by_id(m, k - K_FIXED);
        if (!t || t->pos == MP_UNSEEN)
            return;
        describe_position(m, t, b, sizeof b);
        describe_holds(t, hb, sizeof hb);
        vbuf_printf(v, "%s%s%s", b, *hb ? "; holds " : "", hb);
    }
    }
}

static void key_name(const struct model *m, int k, char *buf, size_t n)
{
    if (k < K_FIXED)
        snprintf(buf, n, "%s", key_names[k]);
    else {
        char tb[48];
        snprintf(buf, n, "%s",
                 model_thread_name(model_thread_by_id(m, k - K_FIXED), tb, sizeof tb));
    }
}

/* m's state in words, key by key: every non-empty key into full (unless
 * NULL) and the keys whose words changed since the last call into delta
 * (unless NULL), as the members of a JSON object (no braces); ps->prev
 * follows. */
static void state_json(struct page_state *ps, const struct model *m, struct vbuf *full,
                       struct vbuf *delta)
{
    int nk = K_FIXED + (int)m->nthreads;
    if (nk > ps->nkeys) {
        ps->prev = realloc(ps->prev, (size_t)nk * sizeof *ps->prev);
        if (!ps->prev)
            abort();
        memset(ps->prev + ps->nkeys, 0, (size_t)(nk - ps->nkeys) * sizeof *ps->prev);
        ps->nkeys = nk;
    }
    int nd = 0, nf = 0;
    char kn[48];
    for (int k = 0; k < nk; k++) {
        state_value(ps, m, k);
        const char *now = vbuf_str(&ps->val);
        key_name(m, k, kn, sizeof kn);
        if (full && *now) {
            vbuf_puts(full, nf++ ? "," : "");
            esc_json(full, kn);
            vbuf_puts(full, ":");
            esc_json(full, now);
        }
        if (ps->prev[k] ? !strcmp(ps->prev[k], now) : !*now)
            continue;
        if (delta) {
            vbuf_puts(delta, nd++ ? "," : "");
            esc_json(delta, kn);
            vbuf_puts(delta, ":");
            esc_json(delta, now);
        }
        free(ps->prev[k]);
        ps->prev[k] = strdup(now);
        if (!ps->prev[k])
            abort();
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
    for (int k = 0; k < ps->nkeys; k++)
        free(ps->prev[k]);
    free(ps->prev);
    vbuf_free(&ps->ev);
    vbuf_free(&ps->deltas);
    vbuf_free(&ps->frames);
    vbuf_free(&ps->epochs);
    vbuf_free(&ps->init);
    vbuf_free(&ps->val);
    vbuf_free(&ps->tmp);
}

/* Everything the page's script needs, as one JSON object. */
static void page_json(struct vbuf *j, const struct vdiag *d, struct page_state *ps,
                      struct vsrc *src)
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
    vbuf_puts(j, "],\"fixed\":[");
    for (int k = 0; k < K_FIXED; k++) {
        vbuf_puts(j, k ? "," : "");
        esc_json(j, key_names[k]);
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
    int nf = 0;
    struct vfinding *f = vsrc_findings(src, &nf);
    for (int i = 0; i < nf; i++) {
        vbuf_printf(j, "%s[%lld,", i ? "," : "", (long long)f[i].first_seq);
        esc_json(j, f[i].rule);
        vbuf_puts(j, ",");
        esc_json(j, f[i].message);
        vbuf_puts(j, "]");
    }
    free(f);
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
    struct vsrc src;
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
        vsrc_close(&src);
        vrange_free(&r);
        return EX_USAGE;
    }
    struct page_state ps = {.t0 = src.t0};
    struct vdiag d = {0};
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
        page_json(&json, &d, &ps, &src);
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
    vsrc_close(&src);
    vrange_free(&r);
    return rc;
}
