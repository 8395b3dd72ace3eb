/*
 * spawn.c — spawn, bootstrap and group shutdown (see spawn.h).
 *
 * Layering: called by run.c (spawn_main); calls workload.c, rendezvous.c
 * and the protocol objects below them, and reports a protocol error to
 * lib/fault.c; never calls up into run.c.
 */
#include "lib/spawn.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "lib/fault.h"
#include "lib/group.h"
#include "lib/linker.h"
#include "lib/process.h"
#include "lib/rendezvous.h"
#include "lib/scenario.h"
#include "lib/sched.h"
#include "lib/thread.h"
#include "lib/variant.h"
#include "lib/workload.h"
#include "tracer/events.h"

/* The thread's life after its group exists: its script, then shutdown. */
static void live_and_exit(struct dl_thread *self)
{
    workload_run(self);
    group_shutdown(self);
    struct group *g = self->group;
    int result = g->broken ? RESULT_ERROR : RESULT_OK;
    uint64_t digest = group_digest(g);
    int64_t last = g->last_epoch;
    ev_emit(EV_THREAD_EXIT, &(struct ev){.how = result});
    self->left_subscribed = g->subscribed;
    self->group = NULL;
    group_free(g);
    atomic_store(&self->pos.kind, POS_EXITED);
    process_thread_exit(self->proc, self, result, digest, last);
    sched_thread_exit(); /* the last step: the run may end at once */
}

static void start(struct dl_thread *self)
{
    thread_enter(self);
    prctl(PR_SET_NAME, self->name, 0, 0, 0);
    ev_emit(EV_THREAD_START, &(struct ev){.mode = self->role, .a = self->parent, .s = self->name});
}

/* The thread-local initialisers of the group's modules that have one
 * (scenario `tls`), run by a new thread once its group exists: each calls
 * sched_yield, a syscall, so it enters through syscall_entry, whose slow
 * path takes the group mutex.  The thread sets its thread-locals up under
 * its group mutex and runs the initialisers after releasing it; variant
 * tls-init-reenter runs them while still holding it (upstream PR 6674).
 * Takes the group mutex (only when a module has an initialiser). */
static void tls_init(struct dl_thread *self)
{
    struct group *g = self->group;
    const struct scenario *scn = self->proc->scn;
    int ninit = 0;
    for (int i = 0; i < g->nmods; i++)
        ninit += scn->modules[g->mods[i]].tls;
    if (ninit == 0)
        return;
    const int reenter = variant_is(V_TLS_INIT_REENTER);
    tmutex_lock(&g->mu);
    sched_point(); /* the thread-locals are set up */
    for (int i = 0; reenter && i < ninit; i++)
        syscall_entry(self, 0);
    tmutex_unlock(&g->mu);
    for (int i = 0; !reenter && i < ninit; i++)
        syscall_entry(self, 0);
}

/* Child side of spawn: finalise while holding the handed-over lease. */
static void *child_main(void *arg)
{
    struct dl_thread *self = arg;
    struct linker *ls = self->proc->linker;
    start(self);
    int64_t lease = self->lease;
    statelock_write(&ls->lock, lease); /* blocking: allowed, the lease is held */
    self->group = group_new(self->id);
    group_subscribe(self->group, ls);
    group_build_from(self->group, ls, !variant_is(V_SPAWN_AFTER_DLSYM));
    self->group->last_epoch = ls->epoch;
    statelock_unlock_write(&ls->lock, lease);
    lease_release(&ls->lease, lease);
    pthread_mutex_lock(&self->fin_mu);
    atomic_store(&self->finalised, 1);
    pthread_cond_signal(&self->fin_cv);
    pthread_mutex_unlock(&self->fin_mu);
    tls_init(self);
    live_and_exit(self);
    return NULL;
}

static int start_detached(struct dl_thread *t, void *(*body)(void *))
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t->pt, &a, body, t);
    pthread_attr_destroy(&a);
    return rc;
}

static int finalised(const void *arg)
{
    return atomic_load(&((const struct dl_thread *)arg)->finalised);
}

int spawn_thread(struct dl_thread *self, int script, int role)
{
    struct process *p = self->proc;
    struct linker *ls = p->linker;
    struct group *g = self->group;
    tmutex_lock(&g->mu);
    int64_t lease = coop_lease(self); /* prepare */
    struct dl_thread *child = process_new_thread(p, self->id, role, &p->scn->scripts[script]);
    if (!child) { /* a failed spawn must still release the lease */
        lease_release(&ls->lease, lease);
        tmutex_unlock(&g->mu);
        return RESULT_ERROR;
    }
    lease_handover(&ls->lease, lease, child->id);
    child->lease = lease;
    if (start_detached(child, child_main) != 0) {
        lease_handover(&ls->lease, lease, self->id);
        lease_release(&ls->lease, lease);
        process_drop_thread(p, child);
        tmutex_unlock(&g->mu);
        return RESULT_ERROR;
    }
    ev_emit(EV_WAIT_BEGIN, &(struct ev){.mode = WAIT_CHILD, .a = child->id});
    position_set(&self->pos, POS_CHILD, OBJ_NONE, 0, 0, 0, child->id);
    sched_wait(&(struct sched_wait){.ready = finalised, .arg = child, .timeout_ns = -1});
    pthread_mutex_lock(&child->fin_mu);
    while (!child->finalised)
        pthread_cond_wait(&child->fin_cv, &child->fin_mu);
    pthread_mutex_unlock(&child->fin_mu);
    position_clear(&self->pos);
    ev_emit(EV_WAIT_END, &(struct ev){.mode = WAIT_CHILD, .how = WAITED_DONE, .a = child->id});
    tmutex_unlock(&g->mu);
    return RESULT_OK;
}

/* Main group: bootstrap the linker, spawn the initial groups, live. */
static void *main_group(void *arg)
{
    struct dl_thread *self = arg;
    struct process *p = self->proc;
    struct linker *ls = p->linker;
    const struct scenario *scn = p->scn;
    start(self);
    self->group = group_new(self->id);
    group_subscribe(self->group, ls);
    statelock_write(&ls->lock, 0); /* exclusive bootstrap write */
    int main_module = scenario_main_module(scn);
    if (main_module >= 0) { /* the program itself, at the start of every table */
        int nfuncs = scn->modules[main_module].nfuncs;
        linker_add_module(ls, main_module, 0);
        group_instantiate(self->group, scn, main_module, 0);
        linker_add_segment(ls, (struct segment){SLOT_MODULE, main_module, 0, 0, nfuncs});
    }
    linker_set_history(ls, 0, group_digest(self->group));
    int rx_op = bus_rx_count(&ls->op_bus), rx_barrier = bus_rx_count(&ls->barrier_bus);
    if (rx_op != 1 || rx_barrier != 1) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "bootstrap: expected exactly one bus subscriber on each bus (operation rx=%d, "
                 "barrier rx=%d)",
                 rx_op, rx_barrier);
        fault_protocol(msg);
    }
    statelock_unlock_write(&ls->lock, 0);
    for (int i = 1; i < p->initial_groups; i++) {
        int script = scn->groups[i % scn->ngroups];
        int role = scn->scripts[script].daemon ? ROLE_DAEMON : ROLE_WORKER;
        spawn_thread(self, script, role);
    }
    live_and_exit(self);
    return NULL;
}

int spawn_main(struct process *p, int ngroups)
{
    int script = p->scn->groups[0];
    struct dl_thread *t = process_new_thread(p, -1, ROLE_MAIN, &p->scn->scripts[script]);
    if (!t)
        return -1;
    p->initial_groups = ngroups;
    if (start_detached(t, main_group) != 0) {
        process_drop_thread(p, t);
        return -1;
    }
    return 0;
}

void group_shutdown(struct dl_thread *self)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    tmutex_lock(&g->mu);
    coop_write(self, 0); /* also takes part in a pending operation */
    if (!variant_is(V_EXIT_SUBSCRIBED))
        group_unsubscribe(g);
    statelock_unlock_write(&ls->lock, 0);
    tmutex_unlock(&g->mu);
}
