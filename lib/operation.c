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
#include "lib/variant.h"
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

/* Where a follower replaying ResolveFunction finds the module that exports
 * the function: among every module of its group, the main module included.
 * Variant main-module-resolve looks only among the side modules, those
 * loaded by dlopen (upstream PR 5779). */
static int find_exporter(const struct group *g, const struct linker *ls, int m)
{
    if (variant_is(V_MAIN_MODULE_RESOLVE) && ls->scn->modules[m].main)
        return 0;
    return group_has_module(g, m);
}

int operation_replay(struct group *g, const struct linker *ls, const struct operation *op)
{
    switch (op->kind) {
    case OP_LOAD_MODULES:
        return replay_load(g, ls, op);
    case OP_RESOLVE_FUNCTION:
        if (!find_exporter(g, ls, op->module))
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
