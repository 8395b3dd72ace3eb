/*
 * viz/layout.c — lanes, rows and items of a sequence diagram (see layout.h).
 *
 * Owns the work state of one layout (struct vlay) and fills a struct vdiag.
 * Takes no locks.  Events go through three steps, always in seq order:
 *   feed()    decides whether an event is routine (may fold) or not, and
 *             holds routine ones in a small FIFO until it knows how long
 *             the stretch is;
 *   process() draws it (or folds it into the open elided row), then applies
 *             it to the model and calls the caller's hook;
 *   finish()  closes what is still open and draws the hang, if any.
 */
#include "viz/layout.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"

enum {
    HANG_COLS = 38, /* characters a line of a red label: one lane wide */
    FIFO_HEAD = 6,  /* routine events drawn before a fold */
    FIFO_TAIL = 10  /* routine events drawn after a fold, leading to what follows */
};

struct pend {
    int64_t row, seq, epoch, from; /* from: sender's group; row -1: none */
};

struct lane_st {
    int64_t grp;
    int seen;         /* has drawn anything */
    int64_t last_row; /* last row it used */
    int64_t open_row[COL_COUNT];
    uint8_t open_style[COL_COUNT];
    int64_t open_obj[COL_COUNT], open_mode[COL_COUNT], open_seq[COL_COUNT], open_ts[COL_COUNT];
    int64_t tries, backoffs[3]; /* the retry loop in COL_RETRY */
    struct pend msg[2];         /* barrier bus, operation bus */
    struct pend wake;
};

struct qev {
    struct rev e;
    char str[64];
    int has_str;
};

struct window {
    int64_t epoch, inst, parties, p2_departs;
    int fold, lease_released;
};

struct vlay {
    struct vdiag *d;
    const struct vlay_opts *o;
    struct model m;
    /* Index grp + 1 (NULL: no lane yet).  Each lane is allocated once and
     * never moves, so a lane pointer stays valid while the array of
     * pointers grows under it (a handover or wakeup names a new thread). */
    struct lane_st **lanes;
    int64_t nlanes;
    int64_t cur;       /* current row (-1 none) */
    int eliding;       /* the event being processed is folded */
    int64_t elide_row; /* open elided row (-1 none) */
    int64_t sealed;    /* a row no further event may share (-1 none) */
    int64_t fold_first, fold_last, fold_events, fold_epochs;
    /* Routine events waiting for the stretch to end. */
    struct qev *q;
    int64_t qcap, qhead, qn, stretch;
    int stretch_folded;
    struct window w; /* epoch window in progress (epoch 0: none) */
    int fold_on;
    int64_t last_epoch, *odd;
    int nodd;
    int kinds_seen; /* bit per op kind drawn in detail */
    /* Barrier phase in progress. */
    int64_t rdv_epoch, rdv_phase, rdv_lo, rdv_hi, rdv_row;
    int64_t release_row[3], release_epoch[3];
    int64_t flag_row;
    size_t next_finding;  /* the first of d->findings not yet marked */
    int64_t row_of_event; /* row of the event just processed */
};

/* ---- the diagram's storage ---------------------------------------------- */

static void *grow(void *p, int64_t *cap, int64_t need, size_t size)
{
    if (need <= *cap)
        return p;
    int64_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    p = realloc(p, (size_t)n * size);
    if (!p) {
        fprintf(stderr, "dlsync draw: out of memory\n");
        abort();
    }
    *cap = n;
    return p;
}

static uint32_t text_add(struct vdiag *d, const char *s)
{
    if (!s || !*s)
        return 0;
    if (!d->text.len)
        vbuf_put(&d->text, "", 1); /* offset 0 is "" */
    uint32_t off = (uint32_t)d->text.len;
    vbuf_put(&d->text, s, strlen(s) + 1);
    return off;
}

/* A new item, zeroed but for kind and style.  The pointer is valid only
 * until the next item_add (d->items may move): fill it at once. */
static struct vitem *item_add(struct vlay *L, int kind, int style)
{
    struct vdiag *d = L->d;
    d->items = grow(d->items, &d->items_cap, d->nitems + 1, sizeof *d->items);
    struct vitem *it = &d->items[d->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->style = (uint8_t)style;
    it->lane2 = -1;
    return it;
}

void vdiag_free(struct vdiag *d)
{
    free(d->lanes);
    free(d->rows);
    free(d->items);
    vbuf_free(&d->text);
    vbuf_free(&d->footer);
    findings_free(&d->findings);
    memset(d, 0, sizeof *d);
}

/* ---- lanes and rows ------------------------------------------------------- */

static int visible(const struct vlay *L, int64_t grp)
{
    if (!L->o->threads)
        return 1;
    for (int i = 0; i < L->o->nthreads; i++)
        if (L->o->threads[i] == grp)
            return 1;
    return 0;
}

/* grp's lane, made on first use.  The pointer stays valid until the layout
 * ends: later calls may grow L->lanes but never move a lane. */
static struct lane_st *lane(struct vlay *L, int64_t grp)
{
    if (grp < -1)
        grp = -1;
    int64_t i = grp + 1;
    if (i >= L->nlanes) {
        int64_t n = L->nlanes;
        L->lanes = grow(L->lanes, &L->nlanes, i + 1, sizeof *L->lanes);
        memset(&L->lanes[n], 0, (size_t)(L->nlanes - n) * sizeof *L->lanes);
    }
    if (!L->lanes[i]) {
        struct lane_st *s = calloc(1, sizeof *s);
        if (!s) {
            fprintf(stderr, "dlsync draw: out of memory\n");
            abort();
        }
        s->grp = grp;
        s->last_row = -1;
        for (int c = 0; c < COL_COUNT; c++)
            s->open_row[c] = -1;
        s->msg[0].row = s->msg[1].row = s->wake.row = -1;
        L->lanes[i] = s;
    }
    return L->lanes[i];
}

static int64_t row_add(struct vlay *L, const struct rev *e)
{
    struct vdiag *d = L->d;
    d->rows = grow(d->rows, &d->rows_cap, d->nrows + 1, sizeof *d->rows);
    d->rows[d->nrows] = (struct vrow){.seq = e ? e->seq : 0, .ts = e ? e->ts : L->m.last_ts};
    return L->cur = d->nrows++;
}

static void elide_close(struct vlay *L)
{
    if (L->elide_row < 0)
        return;
    char b[160];
    snprintf(b, sizeof b,
             "\xe2\x80\xa6 %lld events%s%.0lld%s folded (seq %lld\xe2\x80\x93%lld) \xe2\x80\xa6",
             (long long)L->fold_events, L->fold_epochs ? ", " : "", (long long)L->fold_epochs,
             L->fold_epochs ? (L->fold_epochs == 1 ? " epoch" : " epochs") : "",
             (long long)L->fold_first, (long long)L->fold_last);
    struct vitem *it = item_add(L, VI_ELIDE, VS_NOTE);
    it->row = L->elide_row;
    it->seq = L->fold_first;
    it->label = text_add(L->d, b);
    L->d->rows[L->elide_row].folded = L->fold_events;
    L->d->folded_events += L->fold_events;
    L->d->folded_epochs += L->fold_epochs;
    L->elide_row = -1;
}

/* The row for an event of grp, at or below min_row (-1: anywhere), or the
 * open elided row when the event is folded. */
static int64_t row_for(struct vlay *L, int64_t grp, int64_t min_row, const struct rev *e)
{
    if (L->eliding) {
        if (L->elide_row < 0) {
            L->elide_row = row_add(L, e);
            L->fold_first = e->seq;
            L->fold_events = L->fold_epochs = 0;
        }
        return L->elide_row;
    }
    struct lane_st *s = lane(L, grp);
    int64_t r = L->cur;
    if (r < 0 || r == L->elide_row || r == L->sealed || L->d->rows[r].folded || s->last_row >= r ||
        min_row > r)
        r = row_add(L, e);
    s->last_row = r;
    s->seen = 1;
    return r;
}

/* ---- items ---------------------------------------------------------------- */

static void mark(struct vlay *L, int64_t grp, int64_t row, int style, const struct rev *e,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void mark(struct vlay *L, int64_t grp, int64_t row, int style, const struct rev *e,
                 const char *fmt, ...)
{
    if (L->eliding)
        return;
    char b[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    struct vitem *it = item_add(L, VI_MARK, style);
    it->lane = (int32_t)grp;
    it->row = row;
    it->seq = e ? e->seq : 0;
    it->red = style == VS_ERROR || style == VS_HANG;
    it->label = text_add(L->d, b);
    if (e) {
        char t[96], ms[32];
        snprintf(t, sizeof t, "seq %lld, %s: %s", (long long)e->seq,
                 rn_ms(e->ts, L->d->t0, ms, sizeof ms), ev_kind_name((enum ev_kind)e->kind));
        it->tip = text_add(L->d, t);
    }
}

int vlay_col_of(int64_t obj)
{
    switch (obj) {
    case OBJ_STATE_LOCK:
        return COL_STATE;
    case OBJ_LEASE:
        return COL_LEASE;
    case OBJ_PROCESS_MUTEX:
        return COL_PROCESS;
    default:
        return obj >= OBJ_GROUP_MUTEX ? COL_GMUTEX : COL_WAIT;
    }
}

static void bar_close(struct vlay *L, struct lane_st *s, int col, int64_t row, int red)
{
    if (s->open_row[col] < 0)
        return;
    int64_t r0 = s->open_row[col];
    s->open_row[col] = -1;
    if (r0 == row && L->d->rows[row].folded == 0 && row == L->elide_row)
        return; /* began and ended inside a fold */
    struct vitem *it = item_add(L, VI_BAR, s->open_style[col]);
    it->lane = (int32_t)s->grp;
    it->col = (uint8_t)col;
    it->row = r0;
    it->row2 = row;
    it->obj = s->open_obj[col];
    it->mode = s->open_mode[col];
    it->seq = s->open_seq[col];
    it->red = (uint8_t)red;
    if (col == COL_RETRY && s->tries) {
        char b[128], ob[40];
        snprintf(b, sizeof b, "%s busy: %lld tries (%lld spin, %lld yield, %lld sleep)",
                 rn_obj(it->obj, ob, sizeof ob), (long long)s->tries, (long long)s->backoffs[0],
                 (long long)s->backoffs[1], (long long)s->backoffs[2]);
        it->tip = text_add(L->d, b);
    }
}

/* Open a bar in col from row: what began at event seq, time ts (for a bar
 * open when the range begins, when the model says it began). */
static void bar_open_since(struct vlay *L, struct lane_st *s, int col, int style, int64_t row,
                           int64_t seq, int64_t ts, int64_t obj, int64_t mode)
{
    bar_close(L, s, col, row, 0);
    s->open_row[col] = row;
    s->open_style[col] = (uint8_t)style;
    s->open_obj[col] = obj;
    s->open_mode[col] = mode;
    s->open_seq[col] = seq;
    s->open_ts[col] = ts;
}

/* Open a bar in col from row: what event e begins. */
static void bar_open(struct vlay *L, struct lane_st *s, int col, int style, int64_t row,
                     const struct rev *e, int64_t obj, int64_t mode)
{
    bar_open_since(L, s, col, style, row, e->seq, e->ts, obj, mode);
}

/* An arrow from lane from at row to lane to at row2; returns it, or NULL
 * when it is not drawn (folded, or an end not shown).  The item is valid
 * until the next item is added. */
static struct vitem *arrow(struct vlay *L, int style, int64_t from, int64_t row, int64_t to,
                           int64_t row2, int64_t seq, const char *label)
{
    if (L->eliding || !visible(L, from) || !visible(L, to))
        return NULL;
    struct vitem *it = item_add(L, VI_ARROW, style);
    it->lane = (int32_t)from;
    it->lane2 = (int32_t)to;
    it->row = row;
    it->row2 = row2;
    it->seq = seq;
    it->red = style == VS_LOST || style == VS_WAITFOR;
    it->label = text_add(L->d, label);
    return it;
}

/* ---- one event ------------------------------------------------------------ */

static const char *short_obj(int64_t obj, int64_t mode, int64_t lease, char *b, size_t n)
{
    switch (obj) {
    case OBJ_STATE_LOCK:
        return ev_mode_name(mode);
    case OBJ_LEASE: /* a try or a wait carries no lease id (0) */
        if (!lease)
            return ev_object_name(obj);
        snprintf(b, n, "%s %lld", ev_object_name(obj), (long long)lease);
        return b;
    default:
        return rn_obj(obj, b, n);
    }
}

static void on_lock(struct vlay *L, struct lane_st *s, const struct rev *e)
{
    char ob[48];
    int col = vlay_col_of(e->obj);
    int64_t r;
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
        if (e->how != HOW_BLOCKING)
            return; /* a try shows as its outcome */
        r = row_for(L, e->grp, -1, e);
        bar_open(L, s, col, VS_WAIT, r, e, e->obj, e->mode);
        mark(L, e->grp, r, VS_NOTE, e, "wants %s",
             short_obj(e->obj, e->mode, e->lease, ob, sizeof ob));
        return;
    case EV_LOCK_BUSY:
        if (e->obj == OBJ_LEASE || (e->obj == OBJ_STATE_LOCK && e->mode == MODE_WRITE)) {
            if (s->open_row[COL_RETRY] >= 0 && s->open_obj[COL_RETRY] == e->obj) {
                s->tries++;
                return;
            }
            r = row_for(L, e->grp, -1, e);
            bar_open(L, s, COL_RETRY, VS_RETRY, r, e, e->obj, e->mode);
            s->tries = 1;
            memset(s->backoffs, 0, sizeof s->backoffs);
            mark(L, e->grp, r, VS_NOTE, e, "%s busy: retry",
                 short_obj(e->obj, e->mode, e->lease, ob, sizeof ob));
            return;
        }
        r = row_for(L, e->grp, -1, e);
        mark(L, e->grp, r, VS_NOTE, e, "try %s: busy",
             short_obj(e->obj, e->mode, e->lease, ob, sizeof ob));
        return;
    case EV_LOCK_ACQUIRED: {
        r = row_for(L, e->grp, -1, e);
        int retried = s->open_row[COL_RETRY] >= 0 && s->open_obj[COL_RETRY] == e->obj;
        int64_t tries = s->tries;
        if (retried)
            bar_close(L, s, COL_RETRY, r, 0);
        int64_t waited =
            s->open_row[col] >= 0 && s->open_style[col] == VS_WAIT ? e->ts - s->open_ts[col] : -1;
        bar_open(L, s, col, VS_HOLD, r, e, e->obj, e->mode);
        char d[32] = "";
        if (waited > 0)
            rn_ms(e->ts, s->open_ts[col], d, sizeof d);
        if (retried)
            mark(L, e->grp, r, VS_NOTE, e, "+%s after %lld tries",
                 short_obj(e->obj, e->mode, e->lease, ob, sizeof ob), (long long)tries);
        else
            mark(L, e->grp, r, VS_NOTE, e, "+%s%s%s",
                 short_obj(e->obj, e->mode, e->lease, ob, sizeof ob), waited > 0 ? " after " : "",
                 d);
        return;
    }
    case EV_LOCK_RELEASED: {
        r = row_for(L, e->grp, -1, e);
        struct lane_st *owner = s;
        if (col == COL_LEASE && s->open_row[col] < 0) /* released for another thread */
            for (int64_t i = 0; i < L->nlanes; i++)
                if (L->lanes[i] && L->lanes[i]->open_row[col] >= 0)
                    owner = L->lanes[i];
        bar_close(L, owner, col, r, 0);
        mark(L, e->grp, r, VS_NOTE, e, "\xe2\x88\x92%s",
             short_obj(e->obj, e->mode, e->lease, ob, sizeof ob));
        return;
    }
    }
}

static void on_bus(struct vlay *L, struct lane_st *s, const struct rev *e)
{
    int bus = e->obj == OBJ_OPERATION_BUS;
    const char *busname = bus ? "op" : "barrier";
    if (e->kind == EV_BUS_BROADCAST) {
        int64_t r = row_for(L, e->grp, -1, e);
        if (e->how != BROADCAST_OK) {
            mark(L, e->grp, r, VS_ERROR, e, "broadcast %s e%lld FAILED: bus full", busname,
                 (long long)e->epoch);
            return;
        }
        mark(L, e->grp, r, VS_STRONG, e, "broadcast %s e%lld (rx %lld)", busname,
             (long long)e->epoch, (long long)e->a);
        for (int64_t i = 0; i < L->m.nthreads; i++) {
            const struct mthread *t = L->m.threads[i];
            if (t && t->subscribed && t->grp != e->grp)
                lane(L, t->grp)->msg[bus] = (struct pend){
                    .row = L->eliding ? -1 : r, .seq = e->seq, .epoch = e->epoch, .from = e->grp};
        }
        return;
    }
    if (e->kind == EV_BUS_RECV_BEGIN) {
        int64_t r = row_for(L, e->grp, -1, e);
        bar_open(L, s, COL_WAIT, VS_WAIT, r, e, e->obj, 0);
        mark(L, e->grp, r, VS_NOTE, e, "receive %s", busname);
        return;
    }
    struct pend p = s->msg[bus];
    int have = p.row >= 0 && p.epoch == e->epoch;
    int64_t r = row_for(L, e->grp, have ? p.row + 1 : -1, e);
    bar_close(L, s, COL_WAIT, r, 0);
    char b[48];
    snprintf(b, sizeof b, "%s e%lld", busname, (long long)e->epoch);
    if (have)
        arrow(L, bus ? VS_OP : VS_BARRIER, p.from, p.row, e->grp, r, p.seq, b);
    s->msg[bus].row = -1;
    const struct epoch_rec *ep = model_epoch(&L->m, e->epoch);
    mark(L, e->grp, r, VS_NOTE, e, "got %s%s", b,
         ep && ep->instigator == e->grp ? " (own copy)" : "");
}

static void on_barrier(struct vlay *L, struct lane_st *s, const struct rev *e)
{
    int ph = e->phase == 2 ? 2 : 1;
    if (e->kind == EV_BARRIER_ARRIVE) {
        int64_t r = row_for(L, e->grp, -1, e);
        bar_open(L, s, COL_WAIT, VS_WAIT, r, e, OBJ_BARRIER, ph);
        mark(L, e->grp, r, VS_NOTE, e, "arrive p%d (%lld/%lld)", ph, (long long)e->b,
             (long long)e->a);
        if (L->rdv_epoch != e->epoch || L->rdv_phase != ph) {
            L->rdv_epoch = e->epoch;
            L->rdv_phase = ph;
            L->rdv_lo = L->rdv_hi = e->grp;
        }
        if (e->grp < L->rdv_lo)
            L->rdv_lo = e->grp;
        if (e->grp > L->rdv_hi)
            L->rdv_hi = e->grp;
        if (e->b >= e->a) { /* the last party: the barrier releases, on a row of its own */
            if (!L->eliding)
                r = L->sealed = row_add(L, e);
            L->release_row[ph] = r;
            L->release_epoch[ph] = e->epoch;
            if (!L->eliding) {
                char b[64];
                snprintf(b, sizeof b, "e%lld phase %d released (%lld/%lld)", (long long)e->epoch,
                         ph, (long long)e->b, (long long)e->a);
                struct vitem *it = item_add(L, VI_RDV, VS_NOTE);
                it->lane = (int32_t)L->rdv_lo;
                it->lane2 = (int32_t)L->rdv_hi;
                it->row = r;
                it->mode = ph;
                it->seq = e->seq;
                it->label = text_add(L->d, b);
            }
        }
        return;
    }
    int64_t min = L->release_epoch[ph] == e->epoch ? L->release_row[ph] + 1 : -1;
    int64_t r = row_for(L, e->grp, min, e);
    int64_t waited = s->open_row[COL_WAIT] >= 0 ? e->ts - s->open_ts[COL_WAIT] : -1;
    bar_close(L, s, COL_WAIT, r, 0);
    char d[32] = "?";
    if (waited >= 0)
        rn_ms(e->ts, s->open_ts[COL_WAIT], d, sizeof d);
    mark(L, e->grp, r, VS_NOTE, e, "depart p%d, waited %s", ph, d);
}

static void on_wait(struct vlay *L, struct lane_st *s, const struct rev *e)
{
    int64_t r = row_for(L, e->grp, -1, e);
    char tb[32];
    if (e->kind == EV_WAIT_BEGIN) {
        bar_open(L, s, COL_WAIT, VS_WAIT, r, e, 0, e->mode);
        if (e->mode == WAIT_CHILD)
            mark(L, e->grp, r, VS_NOTE, e, "waits for child %s", rn_thread(e->a, tb, sizeof tb));
        else if (e->mode == WAIT_SLEEP) /* b: the sleep asked for, in us (a wakeup may end it) */
            mark(L, e->grp, r, VS_NOTE, e, "sleep up to %s", rn_us(e->b, tb, sizeof tb));
        else
            mark(L, e->grp, r, VS_NOTE, e, "%s", ev_wait_name(e->mode));
        return;
    }
    bar_close(L, s, COL_WAIT, r, 0);
    mark(L, e->grp, r, VS_NOTE, e, "%s ends%s", ev_wait_name(e->mode),
         e->how == WAITED_WOKEN ? ": woken" : "");
}

static void on_event(struct vlay *L, const struct rev *e)
{
    if (!visible(L, e->grp))
        return;
    struct lane_st *s = lane(L, e->grp);
    char tb[32];
    int64_t r;
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
    case EV_LOCK_BUSY:
    case EV_LOCK_ACQUIRED:
    case EV_LOCK_RELEASED:
        on_lock(L, s, e);
        return;
    case EV_BUS_BROADCAST:
    case EV_BUS_RECV_BEGIN:
    case EV_BUS_RECV_END:
        on_bus(L, s, e);
        return;
    case EV_BARRIER_ARRIVE:
    case EV_BARRIER_DEPART:
        on_barrier(L, s, e);
        return;
    case EV_WAIT_BEGIN:
    case EV_WAIT_END:
        on_wait(L, s, e);
        return;
    case EV_BACKOFF:
        if (s->open_row[COL_RETRY] >= 0 && e->phase >= 0 && e->phase <= 2)
            s->backoffs[e->phase]++;
        return;
    case EV_FLAG_LOAD:
    case EV_SYSCALL_ENTRY:
        return;
    case EV_ACTION_END:
        if (e->how != RESULT_OK) {
            r = row_for(L, e->grp, -1, e);
            mark(L, e->grp, r, VS_ERROR, e, "%s failed", ev_action_name(e->mode));
        }
        return;
    default:
        break;
    }
    r = row_for(L, e->grp, -1, e);
    switch (e->kind) {
    case EV_RUN_BEGIN:
        mark(L, e->grp, r, VS_NOTE, e, "run begins");
        break;
    case EV_RUN_END:
        mark(L, e->grp, r, e->how ? VS_ERROR : VS_NOTE, e, "run ends (status %lld)",
             (long long)e->how);
        break;
    case EV_THREAD_START:
        mark(L, e->grp, r, VS_STRONG, e, "start (%s)", ev_role_name(e->mode));
        break;
    case EV_THREAD_EXIT:
        mark(L, e->grp, r, e->how ? VS_ERROR : VS_NOTE, e, "exit%s",
             e->how ? ": exec-format error" : "");
        break;
    case EV_ACTION_BEGIN:
        mark(L, e->grp, r, VS_NOTE, e, "%s %s", ev_action_name(e->mode), e->str ? e->str : "");
        break;
    case EV_LEASE_HANDOVER: {
        struct lane_st *to = lane(L, e->a);
        bar_close(L, s, COL_LEASE, r, 0);
        mark(L, e->grp, r, VS_NOTE, e, "hands lease %lld to %s", (long long)e->lease,
             rn_thread(e->a, tb, sizeof tb));
        if (visible(L, e->a)) {
            int64_t r2 = row_for(L, e->a, r, e);
            bar_open(L, to, COL_LEASE, VS_HOLD, r2, e, OBJ_LEASE, MODE_EXCLUSIVE);
            char b[32];
            snprintf(b, sizeof b, "lease %lld", (long long)e->lease);
            arrow(L, VS_LEASE, e->grp, r, e->a, r2, e->seq, b);
        }
        break;
    }
    case EV_FLAG_SET:
        mark(L, e->grp, r, VS_STRONG, e, "flag set (e%lld)", (long long)e->epoch);
        L->flag_row = r;
        break;
    case EV_FLAG_CLEAR:
        mark(L, e->grp, r, VS_STRONG, e, "flag clear");
        if (L->flag_row >= 0 && !L->eliding) {
            struct vitem *it = item_add(L, VI_FLAG, VS_HOLD);
            it->row = L->flag_row;
            it->row2 = r;
            it->seq = e->seq;
        }
        L->flag_row = -1;
        break;
    case EV_WAKEUP_SENT: {
        mark(L, e->grp, r, VS_NOTE, e, "wake %s", rn_thread(e->a, tb, sizeof tb));
        lane(L, e->a)->wake = (struct pend){
            .row = L->eliding ? -1 : r, .seq = e->seq, .epoch = e->epoch, .from = e->grp};
        break;
    }
    case EV_WAKEUP_RECEIVED: {
        struct pend p = s->wake;
        if (p.row >= 0 && p.row >= r) { /* must lie below its send */
            r = row_add(L, e);
            s->last_row = r;
        }
        if (p.row >= 0)
            arrow(L, VS_WAKEUP, p.from, p.row, e->grp, r, p.seq, "wakeup");
        s->wake.row = -1;
        mark(L, e->grp, r, VS_NOTE, e, "woken (%s)", ev_wait_name(e->a));
        break;
    }
    case EV_OP_BEGIN:
        mark(L, e->grp, r, VS_STRONG, e, "op e%lld %s %s", (long long)e->epoch, ev_op_name(e->mode),
             e->str ? e->str : "");
        break;
    case EV_REPLAY_BEGIN:
        mark(L, e->grp, r, VS_NOTE, e, "replay e%lld %s", (long long)e->epoch, ev_op_name(e->mode));
        break;
    case EV_OP_END:       /* "op e5 done (table 132)" */
    case EV_REPLAY_END: { /* "replayed e5: ok (table 132)" */
        int op = e->kind == EV_OP_END;
        mark(L, e->grp, r, e->how ? VS_ERROR : VS_STRONG, e, "%s e%lld%s %s (table %lld)",
             op ? "op" : "replayed", (long long)e->epoch, op ? "" : ":",
             e->how ? (op ? "FAILED" : "ERROR") : (op ? "done" : "ok"), (long long)e->b);
        break;
    }
    case EV_GROUP_SUBSCRIBE:
    case EV_GROUP_UNSUBSCRIBE:
        if (e->obj == OBJ_OPERATION_BUS)
            mark(L, e->grp, r, VS_NOTE, e, "%s (rx %lld)",
                 e->kind == EV_GROUP_SUBSCRIBE ? "subscribe" : "unsubscribe", (long long)e->a);
        break;
    case EV_CHECKPOINT_REQUEST:
        mark(L, e->grp, r, VS_STRONG, e, "checkpoint requested");
        break;
    case EV_CHECKPOINT_FREEZE:
        mark(L, e->grp, r, VS_NOTE, e, "freeze (%lld frozen)", (long long)e->a);
        break;
    case EV_CHECKPOINT_SNAPSHOT:
        mark(L, e->grp, r, VS_STRONG, e, "snapshot (%lld frozen, %lld asleep)", (long long)e->a,
             (long long)e->b);
        break;
    case EV_CHECKPOINT_RESUME:
        mark(L, e->grp, r, VS_NOTE, e, "resume");
        break;
    }
}

/* ---- folding -------------------------------------------------------------- */

static int is_odd_epoch(const struct vlay *L, int64_t epoch)
{
    for (int i = 0; i < L->nodd; i++)
        if (L->odd[i] == epoch)
            return 1;
    return 0;
}

/* Is e routine: may it fold with its neighbours? */
static int routine(const struct vlay *L, const struct rev *e)
{
    if (L->w.epoch || !L->o->quiet)
        return 0;
    const struct findings *f = &L->d->findings;
    if (L->next_finding < f->n && finding_first_seq(&f->v[L->next_finding]) == e->seq)
        return 0;
    switch (e->kind) {
    case EV_LOCK_ATTEMPT:
    case EV_LOCK_ACQUIRED:
    case EV_LOCK_BUSY:
    case EV_LOCK_RELEASED:
    case EV_ACTION_BEGIN:
    case EV_ACTION_END:
    case EV_FLAG_LOAD:
    case EV_SYSCALL_ENTRY:
    case EV_BACKOFF:
        return 1;
    case EV_WAIT_BEGIN:
    case EV_WAIT_END:
        return e->mode == WAIT_SLEEP;
    default:
        return 0;
    }
}

/* Keeps track of the epoch window e opens, extends or closes. */
static void window_step(struct vlay *L, const struct rev *e)
{
    struct window *w = &L->w;
    if (e->kind == EV_OP_BEGIN && e->epoch > 0) {
        *w = (struct window){.epoch = e->epoch, .inst = e->grp, .parties = 0};
        w->fold = L->fold_on && !is_odd_epoch(L, e->epoch) && e->epoch != L->last_epoch &&
                  (L->kinds_seen & (1 << (e->mode & 7)));
        if (!w->fold)
            L->kinds_seen |= 1 << (e->mode & 7);
        return;
    }
    if (!w->epoch)
        return;
    if (e->kind == EV_BUS_BROADCAST && e->obj == OBJ_BARRIER_BUS && e->epoch == w->epoch)
        w->parties = e->a;
    else if (e->kind == EV_BARRIER_DEPART && e->epoch == w->epoch && e->phase == 2)
        w->p2_departs++;
    else if ((e->kind == EV_LOCK_RELEASED || e->kind == EV_LEASE_HANDOVER) && e->obj == OBJ_LEASE &&
             e->grp == w->inst)
        w->lease_released = 1;
    if (w->lease_released && (w->parties <= 1 || w->p2_departs >= w->parties))
        w->epoch = 0;
}

static void process(struct vlay *L, const struct rev *e, int folded)
{
    L->eliding = folded;
    if (!folded)
        elide_close(L);
    if (folded) {
        if (L->elide_row < 0)
            row_for(L, e->grp, -1, e);
        L->fold_events++;
        L->fold_last = e->seq;
        if (e->kind == EV_OP_BEGIN)
            L->fold_epochs++;
    }
    on_event(L, e);
    const struct findings *fs = &L->d->findings;
    for (; L->next_finding < fs->n && finding_first_seq(&fs->v[L->next_finding]) <= e->seq;
         L->next_finding++) {
        const struct finding *f = &fs->v[L->next_finding];
        if (finding_first_seq(f) == e->seq && visible(L, e->grp)) {
            char *msg = finding_message(f);
            int64_t r = row_for(L, e->grp, -1, e);
            mark(L, e->grp, r, VS_ERROR, e, "\xe2\x9a\xa0 %s: %.*s%s", f->rule, HANG_COLS - 8, msg,
                 strlen(msg) > HANG_COLS - 8 ? "\xe2\x80\xa6 (footer)" : "");
            free(msg);
        }
    }
    model_apply(&L->m, e);
    L->d->events++;
    if (L->o->after)
        L->o->after(L->o->ctx, e, &L->m, L->cur);
}

static struct qev *q_at(struct vlay *L, int64_t i)
{
    return &L->q[(L->qhead + i) % L->qcap];
}

/* Process the n oldest buffered events. */
static void q_drain(struct vlay *L, int64_t n, int folded)
{
    for (int64_t i = 0; i < n && L->qn; i++) {
        struct qev *q = q_at(L, 0);
        q->e.str = q->has_str ? q->str : NULL;
        struct rev e = q->e;
        L->qhead = (L->qhead + 1) % L->qcap;
        L->qn--;
        process(L, &e, folded);
    }
}

static void feed(struct vlay *L, const struct rev *e)
{
    int folding = L->w.epoch && L->w.fold;
    if (!folding && e->kind == EV_OP_BEGIN) {
        window_step(L, e);
        if (L->w.fold) {
            q_drain(L, L->qn, 1);
            L->stretch = 0;
            process(L, e, 1);
            return;
        }
        q_drain(L, L->qn, 0);
        L->stretch = 0;
        L->stretch_folded = 0;
        process(L, e, 0);
        return;
    }
    if (folding) {
        window_step(L, e);
        process(L, e, 1);
        return;
    }
    window_step(L, e);
    if (!routine(L, e)) {
        q_drain(L, L->qn, 0);
        L->stretch = 0;
        L->stretch_folded = 0;
        process(L, e, 0);
        return;
    }
    /* Routine: buffer; once the stretch outgrows the buffer, draw its head,
     * fold its middle and keep its tail. */
    L->stretch++;
    if (L->qn == L->qcap) {
        if (!L->stretch_folded) {
            q_drain(L, FIFO_HEAD, 0);
            L->stretch_folded = 1;
        }
        q_drain(L, L->qn - FIFO_TAIL + 1, 1);
    }
    struct qev *q = q_at(L, L->qn++);
    q->e = *e;
    q->has_str = e->str != NULL;
    if (e->str)
        snprintf(q->str, sizeof q->str, "%s", e->str);
}

/* ---- start and end -------------------------------------------------------- */

static int feed_cb(void *arg, const struct rev *e)
{
    feed(arg, e);
    return 0;
}

/* Bars for what the model holds and waits on when the range begins. */
static void open_from_model(struct vlay *L)
{
    for (int64_t i = 0; i < L->m.nthreads; i++) {
        const struct mthread *t = L->m.threads[i];
        if (!t || t->pos == MP_EXITED || t->pos == MP_UNSEEN || !visible(L, t->grp))
            continue;
        struct lane_st *s = lane(L, t->grp);
        for (int h = 0; h < t->nholds; h++) {
            const struct mhold *hd = &t->holds[h];
            bar_open_since(L, s, vlay_col_of(hd->obj), VS_HOLD, 0, hd->acq_seq, hd->acq_ts, hd->obj,
                           hd->mode);
        }
        if (t->pos == MP_LOCK)
            bar_open_since(L, s, vlay_col_of(t->pos_obj), VS_WAIT, 0, t->pos_seq, t->pos_ts,
                           t->pos_obj, t->pos_mode);
        else if (t->pos == MP_BUS || t->pos == MP_BARRIER || t->pos == MP_WAIT)
            bar_open_since(L, s, COL_WAIT, VS_WAIT, 0, t->pos_seq, t->pos_ts, t->pos_obj,
                           t->pos_phase);
        if (t->retry_obj) {
            bar_open_since(L, s, COL_RETRY, VS_RETRY, 0, t->retry_seq, t->retry_ts, t->retry_obj,
                           t->retry_mode);
            s->tries = t->retries;
        }
        for (int c = 0; c < COL_COUNT; c++)
            s->seen |= s->open_row[c] >= 0;
        s->last_row = 0;
    }
    if (L->m.flag)
        L->flag_row = 0;
}

/* Text in red on grp's lane from row r down, wrapped to a lane's width,
 * the first line bold; rows are added as needed.  Returns the rows used. */
static int64_t red_text(struct vlay *L, int64_t grp, int64_t r, const char *text)
{
    int64_t n = 0;
    for (const char *p = text, *next; *p; p = next, n++) {
        size_t len = vtext_line(p, HANG_COLS, &next);
        while (r + n >= L->d->nrows)
            row_add(L, NULL);
        mark(L, grp, r + n, n ? VS_HANG : VS_ERROR, NULL, "%.*s", (int)len, p);
    }
    return n;
}

/* What blocks at the end, from row r down: under each blocked thread (and
 * each exited thread a barrier still counts) what it waits on, its waits
 * as red bars down to the end; then one row per wait-for edge, cycle first:
 * a red arrow from the waiter to whom it waits for, labelled with why.  The
 * story is repeated in the footer.  Returns the last row used. */
static int64_t draw_hang(struct vlay *L, int64_t r)
{
    struct wf_view v;
    wf_open(&v, &L->m);
    const struct waitgraph *g = &v.g;
    L->d->hang = g->blocked;
    if (!g->blocked) {
        wf_close(&v);
        return r;
    }
    char tb[32], tb2[32], b[256], words[128];
    vbuf_printf(&L->d->footer, "%s at the end of the trace:\n",
                g->cycle ? "DEADLOCK (a cycle of waits, thick red)" : "HANG (blocked threads)");
    int64_t rows = 1;
    for (int64_t i = 0; i < g->n; i++) {
        const struct wg_node *a = &g->v[g->m->threads[i]->id];
        const struct wf_label *n = &v.n[a->t->id];
        if (!a->blocked && !n->gone)
            continue;
        snprintf(b, sizeof b, "%s %s", n->gone ? "EXITED, COUNTED:" : "BLOCKED:", n->what);
        if (visible(L, a->t->grp)) {
            int64_t k = red_text(L, a->t->grp, r, b);
            rows = k > rows ? k : rows;
        }
        vbuf_printf(&L->d->footer, "  %s %s%s%s\n", model_thread_name(a->t, tb, sizeof tb), n->what,
                    *n->holds ? "; holds " : "", n->holds);
    }
    int64_t last = r + rows - 1;
    for (int pass = 1; pass >= 0; pass--) { /* the cycle first */
        for (int64_t i = 0; i < g->n; i++) {
            const struct wg_node *a = &g->v[g->m->threads[i]->id];
            for (int k = 0; k < a->nout; k++) {
                const struct wg_edge *e = &a->out[k];
                int cycle = waitgraph_edge_cycle(g, a, e);
                if (cycle != pass || !e->to || e->to == a->t)
                    continue; /* nobody and the thread itself have no other lane */
                int64_t from = a->t->grp, to = e->to->grp;
                if (!visible(L, from) || !visible(L, to))
                    continue;
                last = row_add(L, NULL);
                snprintf(b, sizeof b, "%s waits: %s%s", model_thread_name(a->t, tb, sizeof tb),
                         wf_edge_words(a, e, words, sizeof words), cycle ? " (cycle)" : "");
                struct vitem *it = arrow(L, VS_WAITFOR, from, last, to, last, 0, b);
                if (it)
                    it->mode = cycle;
            }
        }
    }
    for (int64_t i = 0; i < g->n; i++) {
        const struct wg_node *a = &g->v[g->m->threads[i]->id];
        for (int k = 0; k < a->nout; k++)
            vbuf_printf(&L->d->footer, "  %s waits for %s: %s%s\n",
                        model_thread_name(a->t, tb, sizeof tb),
                        wf_target_name(&a->out[k], tb2, sizeof tb2),
                        wf_edge_words(a, &a->out[k], words, sizeof words),
                        waitgraph_edge_cycle(g, a, &a->out[k]) ? "  (cycle)" : "");
    }
    for (int64_t i = 0; i < g->n; i++) {
        const struct wg_node *a = &g->v[i];
        struct lane_st *s = lane(L, a->t->grp);
        if (a->blocked)
            for (int c = 0; c < COL_COUNT; c++)
                if (s->open_row[c] >= 0 && s->open_style[c] != VS_HOLD)
                    bar_close(L, s, c, last, 1);
    }
    wf_close(&v);
    return last;
}

static void finish(struct vlay *L)
{
    q_drain(L, L->qn, 0);
    L->eliding = 0;
    elide_close(L);
    int64_t r = row_add(L, NULL); /* the end of the range */
    int64_t last = L->o->hang ? draw_hang(L, r) : r;
    for (int64_t i = 0; i < L->nlanes; i++) {
        struct lane_st *s = L->lanes[i];
        if (!s)
            continue;
        for (int b = 0; b < 2; b++)
            if (s->msg[b].row >= 0 && L->d->hang)
                arrow(L, VS_LOST, s->msg[b].from, s->msg[b].row, s->grp, r, s->msg[b].seq,
                      b ? "op never received" : "barrier never received");
        for (int c = 0; c < COL_COUNT; c++)
            bar_close(L, s, c, last, 0);
    }
    if (L->flag_row >= 0) {
        struct vitem *it = item_add(L, VI_FLAG, VS_HOLD);
        it->row = L->flag_row;
        it->row2 = last;
    }
}

/* Lanes in group order; items' lane fields from groups to indexes. */
static void number_lanes(struct vlay *L)
{
    struct vdiag *d = L->d;
    int n = 0;
    for (int64_t i = 0; i < L->nlanes; i++)
        n += L->lanes[i] && L->lanes[i]->seen;
    d->lanes = calloc((size_t)n + 1, sizeof *d->lanes);
    int *idx = calloc((size_t)L->nlanes + 1, sizeof *idx);
    if (!d->lanes || !idx)
        abort();
    for (int64_t i = 0; i < L->nlanes; i++) {
        idx[i] = -1;
        if (!L->lanes[i] || !L->lanes[i]->seen)
            continue;
        struct vlane *v = &d->lanes[d->nlanes];
        idx[i] = d->nlanes++;
        v->grp = L->lanes[i]->grp;
        v->used = 1;
        const struct mthread *t = model_thread(&L->m, v->grp);
        v->role = t ? t->role : -1;
        snprintf(v->name, sizeof v->name, "%s", t ? t->name : "");
    }
    for (int64_t k = 0; k < d->nitems; k++) {
        struct vitem *it = &d->items[k];
        if (it->kind == VI_FLAG || it->kind == VI_ELIDE)
            continue;
        it->lane = it->lane + 1 < L->nlanes && it->lane >= -1 ? idx[it->lane + 1] : -1;
        if (it->kind == VI_ARROW || it->kind == VI_RDV)
            it->lane2 = it->lane2 + 1 < L->nlanes && it->lane2 >= -1 ? idx[it->lane2 + 1] : -1;
    }
    free(idx);
}

int vlay_run(struct vdiag *d, struct session *src, const struct vlay_opts *o)
{
    struct vlay L = {.d = d, .o = o, .cur = -1, .elide_row = -1, .sealed = -1, .flag_row = -1};
    model_init(&L.m, NULL);
    d->from_seq = o->from;
    d->to_seq = o->to;
    d->t0 = src->t0;
    L.qcap = o->quiet > FIFO_HEAD + FIFO_TAIL ? o->quiet : FIFO_HEAD + FIFO_TAIL + 1;
    L.q = calloc((size_t)L.qcap, sizeof *L.q);
    int64_t nep = session_count_epochs(src, o->from, o->to, &L.last_epoch);
    L.fold_on = o->detail > 0 && nep > o->detail;
    L.odd = session_odd_epochs(src, &L.nodd);
    int rc = 0;
    if (!L.q || session_findings(src, &d->findings) != 0 ||
        session_model(src, o->from - 1, &L.m) < 0) {
        rc = -1;
        goto out;
    }
    L.m.t0 = src->t0;
    if (o->start)
        o->start(o->ctx, &L.m);
    row_add(&L, NULL);
    d->rows[0].seq = o->from; /* the state at the range's start: when its last event was */
    d->rows[0].ts = L.m.nevents ? L.m.last_ts : src->t0;
    open_from_model(&L);
    if (session_scan(src, o->from, o->to, feed_cb, &L) < 0) {
        rc = -1;
        goto out;
    }
    finish(&L);
    for (size_t i = 0; i < d->findings.n; i++) {
        char *msg = finding_message(&d->findings.v[i]);
        vbuf_printf(&d->footer, "finding %s (seq %lld): %s\n", d->findings.v[i].rule,
                    (long long)finding_first_seq(&d->findings.v[i]), msg);
        free(msg);
    }
    number_lanes(&L);
out:
    model_free(&L.m);
    free(L.q);
    for (int64_t i = 0; i < L.nlanes; i++)
        free(L.lanes[i]);
    free(L.lanes);
    free(L.odd);
    return rc;
}
