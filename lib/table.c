/*
 * table.c — function tables (see table.h).  No locks.
 */
#include "lib/table.h"

#include <stdlib.h>
#include <string.h>

static void reserve(struct table *t, size_t need)
{
    if (need <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < need)
        cap *= 2;
    struct slot *v = realloc(t->v, cap * sizeof *v);
    if (!v)
        abort();
    memset(v + t->cap, 0, (cap - t->cap) * sizeof *v);
    t->v = v;
    t->cap = cap;
}

void table_init(struct table *t)
{
    t->v = NULL;
    t->len = t->cap = 0;
}

void table_free(struct table *t)
{
    free(t->v);
    table_init(t);
}

void table_append(struct table *t, size_t n, uint32_t kind, uint32_t module)
{
    reserve(t, t->len + n);
    for (size_t i = 0; i < n; i++)
        t->v[t->len + i] = (struct slot){kind, module, (uint32_t)i};
    t->len += n;
}

int table_place(struct table *t, size_t index, uint32_t kind, uint32_t module, uint32_t func)
{
    reserve(t, index + 1);
    if (index < t->len && t->v[index].kind != SLOT_EMPTY)
        return -1;
    if (index >= t->len)
        t->len = index + 1;
    t->v[index] = (struct slot){kind, module, func};
    return 0;
}

void table_pad(struct table *t, size_t n)
{
    reserve(t, n);
    if (n > t->len)
        t->len = n;
}

uint64_t table_digest(const struct table *t, uint64_t extra)
{
    uint64_t h = 0xcbf29ce484222325ull ^ extra;
    for (size_t i = 0; i < t->len; i++) {
        uint32_t w[3] = {t->v[i].kind, t->v[i].module, t->v[i].func};
        for (int k = 0; k < 3; k++) {
            h ^= w[k];
            h *= 0x100000001b3ull;
        }
    }
    h ^= t->len;
    h *= 0x100000001b3ull;
    return h;
}
