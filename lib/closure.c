/*
 * closure.c — closure allocate and free (see closure.h).
 */
#include "lib/closure.h"

#include "lib/group.h"
#include "lib/linker.h"
#include "lib/operation.h"
#include "lib/process.h"
#include "lib/rendezvous.h"
#include "lib/thread.h"
#include "lib/variant.h"
#include "tracer/events.h"

/* Take a free slot under the write lock; 1 if there was one. */
static int take_free(struct linker *ls, struct group *g)
{
    int64_t slot = linker_pop_free(ls);
    if (slot < 0)
        return 0;
    group_hold_closure(g, slot);
    return 1;
}

int closure_alloc(struct dl_thread *self)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    tmutex_lock(&g->mu);
    if (variant_is(V_BLOCKING_READ)) {
        /* The bug of PR 6008: look for a free slot under a plain read. */
        statelock_read(&ls->lock);
        statelock_unlock_read(&ls->lock);
    }
    coop_write(self, 0);
    int got = take_free(ls, g);
    statelock_unlock_write(&ls->lock, 0);
    if (got) {
        tmutex_unlock(&g->mu);
        return RESULT_OK;
    }
    int64_t lease = lease_then_write(self);
    if (take_free(ls, g)) {
        statelock_unlock_write(&ls->lock, lease);
        lease_release(&ls->lease, lease);
        tmutex_unlock(&g->mu);
        return RESULT_OK;
    }
    struct epoch_msg *msg = epoch_begin(self, OP_ALLOCATE_FUNCTION_TABLE);
    struct operation *op = &msg->op;
    op->index = (int64_t)g->table.len;
    op->size = CLOSURE_GROWTH;
    table_append(&g->table, CLOSURE_GROWTH, SLOT_CLOSURE, 0);
    linker_add_segment(ls, (struct segment){SLOT_CLOSURE, 0, 0, op->index, op->size});
    for (int64_t s = op->index + op->size - 1; s > op->index; s--)
        linker_push_free(ls, s);
    group_hold_closure(g, op->index);
    epoch_applied(self, msg, "closures");
    synchronize(self, lease, msg);
    tmutex_unlock(&g->mu);
    return RESULT_OK;
}

int closure_free(struct dl_thread *self)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    tmutex_lock(&g->mu);
    if (g->nclosures == 0) {
        tmutex_unlock(&g->mu);
        return RESULT_ERROR;
    }
    coop_write(self, 0);
    linker_push_free(ls, group_drop_closure(g));
    statelock_unlock_write(&ls->lock, 0);
    tmutex_unlock(&g->mu);
    return RESULT_OK;
}
