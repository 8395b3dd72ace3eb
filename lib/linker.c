/*
 * linker.c — the shared linker state (see linker.h).  Every function here is
 * called with the state lock held as its contract says; none takes a lock.
 */
#include "lib/linker.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/table.h"
#include "tracer/events.h"

void linker_init(struct linker *ls, const struct scenario *scn)
{
    memset(ls, 0, sizeof *ls);
    statelock_init(&ls->lock);
    lease_init(&ls->lease);
    flag_init(&ls->pending);
    bus_init(&ls->barrier_bus, OBJ_BARRIER_BUS);
    bus_init(&ls->op_bus, OBJ_OPERATION_BUS);
    ls->scn = scn;
    for (int m = 0; m < SCN_MAX_MODULES; m++)
        ls->base[m] = -1;
    linker_set_history(ls, 0, table_digest(&(struct table){0}, 0));
}

void linker_destroy(struct linker *ls)
{
    statelock_destroy(&ls->lock);
    lease_destroy(&ls->lease);
    bus_destroy(&ls->barrier_bus);
    bus_destroy(&ls->op_bus);
    free(ls->records);
    free(ls->free_slots);
    free(ls->segs);
    free(ls->history);
}

int64_t linker_base(const struct linker *ls, int m)
{
    return ls->base[m];
}

void linker_add_module(struct linker *ls, int m, int64_t base)
{
    assert(ls->base[m] < 0);
    ls->base[m] = base;
    ls->loaded[ls->nloaded++] = m;
}

int64_t linker_find_record(const struct linker *ls, int module, int func)
{
    for (size_t i = 0; i < ls->nrecords; i++)
        if (ls->records[i].module == module && ls->records[i].func == func)
            return ls->records[i].index;
    return -1;
}

void linker_add_record(struct linker *ls, int module, int func, int64_t index)
{
    ls->records = grow(ls->records, &ls->caprecords, ls->nrecords + 1, sizeof *ls->records);
    ls->records[ls->nrecords++] = (struct symbol_record){module, func, index};
}

void linker_add_segment(struct linker *ls, struct segment seg)
{
    ls->segs = grow(ls->segs, &ls->capsegs, ls->nsegs + 1, sizeof *ls->segs);
    ls->segs[ls->nsegs++] = seg;
    if (seg.index + seg.size > ls->table_size)
        ls->table_size = seg.index + seg.size;
}

void linker_push_free(struct linker *ls, int64_t slot)
{
    ls->free_slots = grow(ls->free_slots, &ls->capfree, ls->nfree + 1, sizeof *ls->free_slots);
    ls->free_slots[ls->nfree++] = slot;
}

int64_t linker_pop_free(struct linker *ls)
{
    return ls->nfree ? ls->free_slots[--ls->nfree] : -1;
}

int64_t linker_begin_epoch(struct linker *ls, int kind)
{
    ls->epochs_by_kind[kind]++;
    return ++ls->epoch;
}

void linker_set_history(struct linker *ls, int64_t e, uint64_t digest)
{
    ls->history = grow(ls->history, &ls->caphistory, (size_t)e + 1, sizeof *ls->history);
    ls->history[e] = digest;
}
