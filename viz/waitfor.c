/*
 * viz/waitfor.c — the words draw puts on the wait-for graph (see
 * waitfor.h).  No locks.
 */
#include "viz/waitfor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/describe.h"
#include "replay/names.h"

/* Does an edge of g end at t? */
static int waited_for(const struct waitgraph *g, const struct mthread *t)
{
    for (int64_t i = 0; i < g->n; i++)
        for (int k = 0; k < g->v[i].nout; k++)
            if (g->v[i].out[k].to == t)
                return 1;
    return 0;
}

void wf_open(struct wf_view *v, struct model *m)
{
    memset(v, 0, sizeof *v);
    waitgraph_build(&v->g, m);
    v->n = calloc((size_t)v->g.n + 1, sizeof *v->n);
    if (!v->n)
        abort();
    for (int64_t i = 0; i < v->g.n; i++) {
        const struct wg_node *a = &v->g.v[i];
        const struct mthread *t = a->t;
        struct wf_label *l = &v->n[i];
        int live = t->pos != MP_UNSEEN && t->pos != MP_EXITED;
        int linked = a->nout > 0 || waited_for(&v->g, t);
        l->shown = (live && t->grp >= 0) || linked; /* dlsync's own thread only if in it */
        l->gone = t->pos == MP_EXITED && linked;
        if (l->gone && t->subscribed)
            snprintf(l->what, sizeof l->what,
                     "exited at seq %lld without leaving the buses: still counted in rx_count",
                     (long long)t->exit_seq);
        else
            describe_position(m, t, l->what, sizeof l->what);
        describe_holds(t, l->holds, sizeof l->holds);
        for (int k = 0; k < a->nout; k++)
            v->nobody |= !a->out[k].to;
    }
}

void wf_close(struct wf_view *v)
{
    waitgraph_free(&v->g);
    free(v->n);
    memset(v, 0, sizeof *v);
}

const char *wf_edge_words(const struct wg_node *a, const struct wg_edge *e, char *buf, size_t n)
{
    const struct mthread *t = a->t;
    char ob[48];
    if (e->obj == OBJ_BARRIER)
        snprintf(buf, n, "barrier e%lld p%lld: %s", (long long)t->pos_epoch,
                 (long long)t->pos_phase, e->to ? "not arrived" : "no party missing");
    else if (e->obj == OBJ_BARRIER_BUS || e->obj == OBJ_OPERATION_BUS)
        snprintf(buf, n, "%s", e->to ? "broadcast not sent" : "no epoch sends on it");
    else if (!e->obj)
        snprintf(buf, n, "%s",
                 t->pos_mode == WAIT_CHILD ? "child not finalised"
                                           : "not frozen at the checkpoint");
    else if (!e->to)
        snprintf(buf, n, "%s held by nobody the trace shows", rn_obj(e->obj, ob, sizeof ob));
    else if (e->to == t)
        snprintf(buf, n, "%s held by itself since seq %lld", rn_obj(e->obj, ob, sizeof ob),
                 (long long)e->to_seq);
    else
        snprintf(buf, n, "%s held since seq %lld", rn_obj(e->obj, ob, sizeof ob),
                 (long long)e->to_seq);
    return buf;
}

const char *wf_target_name(const struct wg_edge *e, char *buf, size_t n)
{
    if (!e->to) {
        snprintf(buf, n, "nobody");
        return buf;
    }
    return model_thread_name(e->to, buf, n);
}
