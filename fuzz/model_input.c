/*
 * fuzz/model_input.c — the event-model fuzz target's input format (see
 * model_input.h): the field tables, the reader and the writer.  No locks.
 */
#include "fuzz/model_input.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { ESCAPE = 0xff };

/* A field's small values: list[0..n-1], or lo, lo + 1, ..., lo + n - 1. */
struct table {
    int64_t lo;
    int n;
    const int64_t *list;
};

static const int64_t objects[] = {
    OBJ_NONE,
    OBJ_STATE_LOCK,
    OBJ_LEASE,
    OBJ_PROCESS_MUTEX,
    OBJ_BARRIER_BUS,
    OBJ_OPERATION_BUS,
    OBJ_PENDING_FLAG,
    OBJ_BARRIER,
    OBJ_GROUP_MUTEX + 0,
    OBJ_GROUP_MUTEX + 1,
    OBJ_GROUP_MUTEX + 2,
    OBJ_GROUP_MUTEX + 3,
    OBJ_GROUP_MUTEX + 4,
    OBJ_GROUP_MUTEX + 5,
    OBJ_GROUP_MUTEX + 6,
    OBJ_GROUP_MUTEX + 7,
    OBJ_GROUP_MUTEX + 8,
    OBJ_BARRIER + 1,
    OBJ_GROUP_MUTEX - 1,
    -1,
};
/* The model keeps epochs in a ring of MODEL_EPOCH_RING slots: 64 and 128
 * share epoch 0's slot, 65 epoch 1's. */
static const int64_t epochs[] = {0, 1, 2, 3, 4, 5, 6, 7, 63, 64, 65, 128, -1};

static const struct table t_kind = {.lo = -1, .n = EV_KIND_COUNT + 2};
static const struct table t_grp = {.lo = -2, .n = 11};
static const struct table t_vtid = {.lo = -1, .n = 18};
static const struct table t_vpid = {.lo = -1, .n = 4};
static const struct table t_ts = {.lo = 0, .n = ESCAPE}; /* microseconds after the last */
static const struct table t_obj = {.n = sizeof objects / sizeof objects[0], .list = objects};
static const struct table t_mode = {.lo = -1, .n = 13};
static const struct table t_how = {.lo = -1, .n = 5};
static const struct table t_epoch = {.n = sizeof epochs / sizeof epochs[0], .list = epochs};
static const struct table t_phase = {.lo = -1, .n = 4};
static const struct table t_lease = {.lo = -1, .n = 7};
static const struct table t_a = {.lo = -2, .n = 14};
static const struct table t_b = {.lo = -1, .n = 13};

static int64_t table_value(const struct table *t, uint8_t v)
{
    assert(t->n > 0 && t->n <= ESCAPE);
    return t->list ? t->list[v % t->n] : t->lo + v % t->n;
}

/* The byte that stands for x in t, or -1. */
static int table_index(const struct table *t, int64_t x)
{
    for (int i = 0; i < t->n; i++)
        if (table_value(t, (uint8_t)i) == x)
            return i;
    return -1;
}

/* ---- reading ------------------------------------------------------------------ */

static int take(struct mi_reader *r, void *out, size_t n)
{
    if (r->left < n)
        return 0;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 1;
}

/* One integer field: 1, or 0 if the input ends.  *raw: it was escaped. */
static int field(struct mi_reader *r, const struct table *t, int64_t *v, int *raw)
{
    uint8_t b;
    if (!take(r, &b, 1))
        return 0;
    *raw = b == ESCAPE;
    if (!*raw) {
        *v = table_value(t, b);
        return 1;
    }
    uint8_t le[8];
    if (!take(r, le, sizeof le))
        return 0;
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | le[i];
    memcpy(v, &u, sizeof *v);
    return 1;
}

/* A string field into a block of its own size: 1, or 0 if the input ends. */
static int string(struct mi_reader *r, char **s)
{
    free(*s);
    *s = NULL;
    uint8_t len;
    if (!take(r, &len, 1))
        return 0;
    if (!len)
        return 1;
    *s = malloc(len);
    if (!*s)
        abort();
    if (!take(r, *s, (size_t)len - 1))
        return 0;
    (*s)[len - 1] = 0;
    return 1;
}

void mi_reader_init(struct mi_reader *r, const uint8_t *data, size_t size, int64_t *discarded)
{
    *r = (struct mi_reader){.p = data, .left = size};
    uint8_t d = 0;
    take(r, &d, 1);
    *discarded = d;
}

int mi_next(struct mi_reader *r, struct rev *e)
{
    *e = (struct rev){0};
    int64_t kind, ts;
    int raw, ts_raw;
    if (!field(r, &t_kind, &kind, &raw) || !field(r, &t_grp, &e->grp, &raw) ||
        !field(r, &t_vtid, &e->vtid, &raw) || !field(r, &t_vpid, &e->vpid, &raw) ||
        !field(r, &t_ts, &ts, &ts_raw) || !field(r, &t_obj, &e->obj, &raw) ||
        !field(r, &t_mode, &e->mode, &raw) || !field(r, &t_how, &e->how, &raw) ||
        !field(r, &t_epoch, &e->epoch, &raw) || !field(r, &t_phase, &e->phase, &raw) ||
        !field(r, &t_lease, &e->lease, &raw) || !field(r, &t_a, &e->a, &raw) ||
        !field(r, &t_b, &e->b, &raw) || !string(r, &r->str) || !string(r, &r->str2))
        return 0;
    e->kind = kind >= INT_MIN && kind <= INT_MAX ? (int)kind : -1;
    /* A step wraps like the clock would rather than overflow. */
    if (!ts_raw)
        ts = (int64_t)((uint64_t)r->ts + (uint64_t)ts * 1000);
    e->ts = r->ts = ts;
    e->str = r->str;
    e->str2 = r->str2;
    return 1;
}

void mi_reader_free(struct mi_reader *r)
{
    free(r->str);
    free(r->str2);
    r->str = r->str2 = NULL;
}

/* ---- writing ------------------------------------------------------------------ */

static void put_raw(FILE *f, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    fputc(ESCAPE, f);
    for (int i = 0; i < 8; i++)
        fputc((int)(u >> (8 * i) & 0xff), f);
}

static void put_field(FILE *f, const struct table *t, int64_t v)
{
    int i = table_index(t, v);
    if (i >= 0)
        fputc(i, f);
    else
        put_raw(f, v);
}

static void put_string(FILE *f, const char *s)
{
    if (!s) {
        fputc(0, f);
        return;
    }
    size_t n = strnlen(s, ESCAPE - 1);
    fputc((int)n + 1, f);
    fwrite(s, 1, n, f);
}

/* The number thread id vtid is written as (see mi_writer). */
static int64_t renumber(struct mi_writer *w, int64_t vtid)
{
    if (vtid < 0)
        return vtid;
    for (int i = 0; i < w->nvtid; i++)
        if (w->vtid[i] == vtid)
            return i + 1;
    if (w->nvtid == (int)(sizeof w->vtid / sizeof w->vtid[0]))
        return vtid;
    w->vtid[w->nvtid++] = vtid;
    return w->nvtid;
}

void mi_writer_init(struct mi_writer *w, FILE *f, int64_t discarded)
{
    *w = (struct mi_writer){.f = f};
    fputc(discarded < 0 ? 0 : discarded > 255 ? 255 : (int)discarded, f);
}

void mi_write(struct mi_writer *w, const struct rev *e)
{
    put_field(w->f, &t_kind, e->kind);
    put_field(w->f, &t_grp, e->grp);
    put_field(w->f, &t_vtid, renumber(w, e->vtid));
    put_field(w->f, &t_vpid, e->vpid);
    /* The step down to the microsecond, from the time as it will be read
     * back: the times stay in order and never drift by a microsecond. */
    if (w->ts <= e->ts && e->ts - w->ts < (int64_t)t_ts.n * 1000) {
        int64_t us = (e->ts - w->ts) / 1000;
        fputc((int)us, w->f);
        w->ts += us * 1000;
    } else {
        put_raw(w->f, e->ts);
        w->ts = e->ts;
    }
    put_field(w->f, &t_obj, e->obj);
    put_field(w->f, &t_mode, e->mode);
    put_field(w->f, &t_how, e->how);
    put_field(w->f, &t_epoch, e->epoch);
    put_field(w->f, &t_phase, e->phase);
    put_field(w->f, &t_lease, e->lease);
    put_field(w->f, &t_a, e->a);
    put_field(w->f, &t_b, e->b);
    put_string(w->f, e->str);
    put_string(w->f, e->str2);
}
