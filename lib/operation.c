/*
 * operation.c — operations, epoch messages and follower replay (see
 * operation.h).  No locks of its own.
 */
#include "lib/operation.h"

#include <stdlib.h>

#include "lib/group.h"
#include "lib/linker.h"
#include "lib/sched.h"
#include "lib/table.h"
#include "tracer/events.h"

struct epoch_msg *epoch_msg_new(void)
{
    struct epoch_msg *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    atomic_init(&m->refs, 1);
    return m;
}

void epoch_msg_ref(struct epoch_msg *m, int n)
{
    atomic_fetch_add(&m->refs, n);
}

void epoch_msg_put(struct epoch_msg *m)
{
    if (atomic_fetch_sub(&m->refs, 1) == 1) {
        if (m->barrier.parties)
            barrier_destroy(&m->barrier);
        free(m);
    }
}

void operation_args(const struct operation *op, int64_t *a, int64_t *b)
{
    switch (op->kind) {
    case OP_LOAD_MODULES:
        *a = op->nmods;
        *b = op->nmods ? op->bases[0] : -1;
        break;
    case OP_RESOLVE_FUNCTION:
        *a = op->index;
        *b = (int64_t)op->module << 16 | op->func;
        break;
    default:
        *a = op->index;
        *b = op->size;
        break;
    }
}

static int replay_load(struct group *g, const struct linker *ls, const struct operation *op)
{
    for (int i = 0; i < op->nmods; i++) {
        /* Allocate the module's slots: an error if the base differs. */
        if (group_instantiate(g, ls->scn, op->mods[i], op->bases[i]) != 0)
            return RESULT_ERROR;
        sched_point(); /* instantiate, then run its thread-local initialiser */
    }
    return RESULT_OK;
}

int operation_replay(struct group *g, const struct linker *ls, const struct operation *op)
{
    switch (op->kind) {
    case OP_LOAD_MODULES:
        return replay_load(g, ls, op);
    case OP_RESOLVE_FUNCTION:
        if (!group_has_module(g, op->module))
            return RESULT_ERROR;
        return table_place(&g->table, (size_t)op->index, SLOT_RESOLVED, (uint32_t)op->module,
                           (uint32_t)op->func) == 0
                   ? RESULT_OK
                   : RESULT_ERROR;
    case OP_ALLOCATE_FUNCTION_TABLE:
        if ((int64_t)g->table.len != op->index)
            return RESULT_ERROR;
        table_append(&g->table, (size_t)op->size, SLOT_CLOSURE, 0);
        return RESULT_OK;
    }
    return RESULT_ERROR;
}
