/*
 * group.c — instance groups (see group.h).  Takes no locks itself; the group
 * mutex it owns is taken by the paths that call into it.
 */
#include "lib/group.h"

#include <stdlib.h>

#include "lib/grow.h"
#include "lib/linker.h"
#include "tracer/events.h"

struct group *group_new(int id)
{
    struct group *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    g->id = id;
    tmutex_init(&g->mu, OBJ_GROUP_MUTEX + id);
    table_init(&g->table);
    return g;
}

void group_free(struct group *g)
{
    tmutex_destroy(&g->mu);
    table_free(&g->table);
    free(g->closures);
    free(g);
}

void group_subscribe(struct group *g, struct linker *ls)
{
    bus_subscribe(&ls->barrier_bus, &g->barrier_rx);
    bus_subscribe(&ls->op_bus, &g->op_rx);
    g->subscribed = 1;
}

void group_unsubscribe(struct group *g)
{
    bus_unsubscribe(&g->barrier_rx);
    bus_unsubscribe(&g->op_rx);
    g->subscribed = 0;
}

int group_has_module(const struct group *g, int m)
{
    for (int i = 0; i < g->nmods; i++)
        if (g->mods[i] == m)
            return 1;
    return 0;
}

int group_instantiate(struct group *g, const struct scenario *scn, int m, int64_t base)
{
    if ((int64_t)g->table.len != base || group_has_module(g, m))
        return -1;
    table_append(&g->table, (size_t)scn->modules[m].nfuncs, SLOT_MODULE, (uint32_t)m);
    g->mods[g->nmods++] = m;
    return 0;
}

uint64_t group_digest(const struct group *g)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (int i = 0; i < g->nmods; i++)
        h = (h ^ (uint64_t)g->mods[i]) * 0x100000001b3ull;
    return table_digest(&g->table, h);
}

void group_build_from(struct group *g, const struct linker *ls, int records)
{
    for (size_t i = 0; i < ls->nsegs; i++) {
        const struct segment *s = &ls->segs[i];
        switch (s->kind) {
        case SLOT_MODULE:
            group_instantiate(g, ls->scn, s->module, s->index);
            break;
        case SLOT_RESOLVED:
            if (records)
                table_place(&g->table, (size_t)s->index, SLOT_RESOLVED, (uint32_t)s->module,
                            (uint32_t)s->func);
            else
                table_pad(&g->table, (size_t)(s->index + s->size));
            break;
        case SLOT_CLOSURE:
            table_append(&g->table, (size_t)s->size, SLOT_CLOSURE, 0);
            break;
        }
    }
}

void group_hold_closure(struct group *g, int64_t slot)
{
    g->closures = grow(g->closures, &g->capclosures, g->nclosures + 1, sizeof *g->closures);
    g->closures[g->nclosures++] = slot;
}

int64_t group_drop_closure(struct group *g)
{
    return g->nclosures ? g->closures[--g->nclosures] : -1;
}
