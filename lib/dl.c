/*
 * dl.c — dlopen (LoadModules) and dlsym (ResolveFunction); see dl.h.
 */
#include "lib/dl.h"

#include <stdio.h>

#include "lib/group.h"
#include "lib/linker.h"
#include "lib/operation.h"
#include "lib/process.h"
#include "lib/rendezvous.h"
#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

/* Add m and, before it, the modules it needs that are not loaded yet. */
static void collect(const struct linker *ls, int m, struct operation *op)
{
    if (linker_base(ls, m) >= 0)
        return;
    for (int i = 0; i < op->nmods; i++)
        if (op->mods[i] == m)
            return;
    const struct module_def *def = &ls->scn->modules[m];
    for (int d = 0; d < def->ndeps; d++)
        collect(ls, def->deps[d], op);
    op->mods[op->nmods++] = m;
}

int dl_open(struct dl_thread *self, int m)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    if (m < 0)
        m = (int)rng_below(&self->rng, (uint64_t)ls->scn->nmodules);
    tmutex_lock(&g->mu);
    int64_t lease = lease_then_write(self);
    struct operation wanted = {0};
    collect(ls, m, &wanted);
    if (wanted.nmods == 0) { /* already loaded everywhere: nothing to replicate */
        statelock_unlock_write(&ls->lock, lease);
        lease_release(&ls->lease, lease);
        tmutex_unlock(&g->mu);
        return RESULT_OK;
    }
    struct epoch_msg *msg = epoch_begin(self, OP_LOAD_MODULES);
    struct operation *op = &msg->op;
    /* Load, instantiate and run initialisers with the group mutex released
     * (lease and write kept). */
    tmutex_unlock(&g->mu);
    for (int i = 0; i < wanted.nmods; i++) {
        int mod = wanted.mods[i];
        int64_t base = (int64_t)g->table.len;
        linker_add_module(ls, mod, base);
        group_instantiate(g, ls->scn, mod, base);
        linker_add_segment(
            ls, (struct segment){SLOT_MODULE, mod, 0, base, ls->scn->modules[mod].nfuncs});
        op->mods[op->nmods] = mod;
        op->bases[op->nmods++] = base;
        sched_point();
    }
    tmutex_lock(&g->mu);
    epoch_applied(self, msg, ls->scn->modules[m].name);
    synchronize(self, lease, msg);
    tmutex_unlock(&g->mu);
    return RESULT_OK;
}

int dl_sym(struct dl_thread *self, int m, int f)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    tmutex_lock(&g->mu);
    if (m < 0 && g->nmods > 0)
        m = g->mods[rng_below(&self->rng, (uint64_t)g->nmods)];
    if (m < 0 || !group_has_module(g, m)) {
        tmutex_unlock(&g->mu);
        return RESULT_ERROR;
    }
    if (f < 0)
        f = (int)rng_below(&self->rng, (uint64_t)ls->scn->modules[m].nfuncs);
    /* The cached record, under a try-read. */
    if (statelock_try_read(&ls->lock)) {
        int64_t cached = linker_find_record(ls, m, f);
        statelock_unlock_read(&ls->lock);
        if (cached >= 0) {
            tmutex_unlock(&g->mu);
            return RESULT_OK;
        }
    }
    int64_t lease = lease_then_write(self);
    if (linker_find_record(ls, m, f) >= 0) { /* resolved meanwhile */
        statelock_unlock_write(&ls->lock, lease);
        lease_release(&ls->lease, lease);
        tmutex_unlock(&g->mu);
        return RESULT_OK;
    }
    char name[64];
    snprintf(name, sizeof name, "%s:f%d", ls->scn->modules[m].name, f);
    struct epoch_msg *msg = epoch_begin(self, OP_RESOLVE_FUNCTION);
    struct operation *op = &msg->op;
    op->module = m;
    op->func = f;
    op->index = (int64_t)g->table.len;
    table_place(&g->table, (size_t)op->index, SLOT_RESOLVED, (uint32_t)m, (uint32_t)f);
    linker_add_record(ls, m, f, op->index);
    linker_add_segment(ls, (struct segment){SLOT_RESOLVED, m, f, op->index, 1});
    epoch_applied(self, msg, name);
    synchronize(self, lease, msg);
    tmutex_unlock(&g->mu);
    return RESULT_OK;
}
