/*
 * rendezvous.c — instigator, follower and the cooperative retry loops (see
 * rendezvous.h).
 *
 * Locks taken: the state lock (try read/write; blocking read after phase 1,
 * which invariant I7 makes safe), the lease (try), the bus and barrier
 * mutexes (leaves), the process mutex (wakeups), the group mutex (syscall
 * slow path only; every other entry expects it held).
 *
 * Layering: calls the protocol objects below it (state lock, lease,
 * buses, barrier, flag, backoff, checkpoint, operation, linker) and
 * reports a protocol error to lib/fault.c; never calls up into run.c.
 */
#include "lib/rendezvous.h"

#include "include/dlsync/student.h"

#include <assert.h>
#include <stdio.h>

#include "lib/backoff.h"
#include "lib/clock.h"
#include "lib/checkpoint.h"
#include "lib/fault.h"
#include "lib/group.h"
#include "lib/linker.h"
#include "lib/operation.h"
#include "lib/process.h"
#include "lib/sched.h"
#include "lib/thread.h"
#include "lib/variant.h"
#include "tracer/events.h"

int64_t coop_lease(struct dl_thread *self)
{
    struct linker *ls = self->proc->linker;
    struct backoff b;
    backoff_init(&b);
    for (;;) {
        int64_t id = lease_try(&ls->lease);
        if (id) {
            position_clear(&self->pos);
            return id;
        }
        position_set(&self->pos, POS_RETRY, OBJ_LEASE, MODE_EXCLUSIVE, 0, 0, 0);
        backoff_step(&b);
        follow_pending(self, 0);
    }
}

void coop_write(struct dl_thread *self, int64_t lease)
{
    struct linker *ls = self->proc->linker;
    if (variant_is(V_NAIVE_WRITE)) {
        statelock_write(&ls->lock, lease);
        return;
    }
    struct backoff b;
    backoff_init(&b);
    for (;;) {
        if (statelock_try_write(&ls->lock, lease)) {
            position_clear(&self->pos);
            return;
        }
        position_set(&self->pos, POS_RETRY, OBJ_STATE_LOCK, MODE_WRITE, 0, 0, 0);
        backoff_step(&b);
        follow_pending(self, 0);
    }
}

int64_t lease_then_write(struct dl_thread *self)
{
    struct linker *ls = self->proc->linker;
    if (variant_is(V_LEASE_AFTER_WRITE)) {
        coop_write(self, 0);
        return coop_lease(self);
    }
    int64_t lease = coop_lease(self);
    statelock_write(&ls->lock, lease);
    return lease;
}

struct epoch_msg *epoch_begin(struct dl_thread *self, int kind)
{
    struct epoch_msg *m = epoch_msg_new();
    m->op.kind = kind;
    m->op.epoch = linker_begin_epoch(self->proc->linker, kind);
    return m;
}

void epoch_applied(struct dl_thread *self, struct epoch_msg *m, const char *name)
{
    m->op.digest = group_digest(self->group);
    linker_set_history(self->proc->linker, m->op.epoch, m->op.digest);
    int64_t a, b;
    operation_args(&m->op, &a, &b);
    ev_emit(EV_OP_BEGIN,
            &(struct ev){.epoch = m->op.epoch, .mode = m->op.kind, .a = a, .b = b, .s = name});
}

/* A broadcast that must succeed: a full bus means more than one operation
 * in flight, which nothing can reconcile.  With notify == 0 the receivers
 * blocked on the bus are not woken yet: the caller owes bus_notify. */
static void must_broadcast(struct bus *bus, int64_t epoch, void *payload, int notify)
{
    if ((notify ? bus_try_broadcast(bus, epoch, payload) : bus_try_post(bus, epoch, payload)) !=
        0) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "epoch %lld: broadcast on the %s bus found it full: more than one synchronized "
                 "link operation active",
                 (long long)epoch, bus->obj == OBJ_BARRIER_BUS ? "barrier" : "operation");
        fault_protocol(msg);
    }
}

static void op_end(struct dl_thread *self, const struct operation *op)
{
    ev_emit(EV_OP_END, &(struct ev){.epoch = op->epoch,
                                    .mode = op->kind,
                                    .how = RESULT_OK,
                                    .a = (int64_t)op->digest,
                                    .b = (int64_t)self->group->table.len});
    process_progress(self->proc);
}

/* The primitives of include/dlsync/student.h: thin wrappers that act for
 * self on its own group and its process's linker. */
void state_lock_release_write(struct dl_thread *self, int64_t lease)
{
    statelock_unlock_write(&self->proc->linker->lock, lease);
}

void topology_lease_release(struct dl_thread *self, int64_t lease)
{
    lease_release(&self->proc->linker->lease, lease);
}

void barrier_bus_receive(struct dl_thread *self)
{
    bus_recv(&self->group->barrier_rx, NULL);
}

void operation_bus_receive(struct dl_thread *self)
{
    bus_recv(&self->group->op_rx, NULL);
}

/* The instigator alone (step 1, n <= 1; include/dlsync/student.h): release
 * the write lock, then the lease, which is the outer lock.  Weak so that a
 * student's definition linked before libdlsync.a replaces it (the fix
 * exercise 13, grade/fix.c); the variant branch keeps `--variant
 * lone-group-release`. */
__attribute__((weak)) void instigate_alone(struct dl_thread *self, int64_t lease)
{
    assert(lease_held_by(&self->proc->linker->lease, lease, self->id));
    assert(statelock_write_held_by_me(&self->proc->linker->lock));
    if (variant_is(V_LONE_GROUP_RELEASE)) {
        /* The seed's n <= 1 return: the lease goes while the write guard
         * is still alive. */
        topology_lease_release(self, lease);
        state_lock_release_write(self, lease);
        return;
    }
    state_lock_release_write(self, lease);
    topology_lease_release(self, lease);
}

/* Step 6 of the instigator (include/dlsync/student.h): receive its own copy
 * from both buses, which frees both slots for the next epoch.  Weak, like
 * instigate_alone (the fix exercise 10); the variant branch keeps `--variant
 * no-self-drain`. */
__attribute__((weak)) void instigator_drain(struct dl_thread *self)
{
    assert(self->group->subscribed);
    if (variant_is(V_NO_SELF_DRAIN))
        return; /* the seed's drain comment: the copies stay in the slots */
    barrier_bus_receive(self);
    operation_bus_receive(self);
}

void synchronize(struct dl_thread *self, int64_t lease, struct epoch_msg *m)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    const int64_t epoch = m->op.epoch;
    assert(lease_held_by(&ls->lease, lease, self->id));
    assert(statelock_write_held_by_me(&ls->lock));
    assert(tmutex_held_by_me(&g->mu));
    const int early_release = variant_is(V_EARLY_LEASE_RELEASE);
    const int64_t t0 = now_ns();
    g->last_epoch = epoch;

    if (early_release)
        lease_release(&ls->lease, lease);
    /* 1. Count the groups; alone, there is nobody to tell. */
    int n = bus_rx_count(&ls->op_bus);
    if (n <= 1) {
        if (early_release) /* the lease is gone already */
            state_lock_release_write(self, lease);
        else
            instigate_alone(self, lease);
        op_end(self, &m->op);
        epoch_msg_put(m);
        return;
    }
    /* 2. A barrier for n parties, broadcast (must succeed). */
    barrier_init(&m->barrier, n, epoch);
    m->begun_ns = t0;
    epoch_msg_ref(m, n - 1);
    must_broadcast(&ls->barrier_bus, epoch, m, 1);
    /* 3. Set the flag, then wake every other thread. */
    flag_set(&ls->pending, epoch);
    process_wake_all(self->proc, self, epoch);
    /* 4. Phase 1, then clear the flag. */
    barrier_wait(&m->barrier);
    process_progress(self->proc);
    flag_clear(&ls->pending, epoch);
    /* 5. Broadcast the operation; write → read.  A follower woken by the
     * broadcast takes a read lock next: notify it once the write lock is
     * released, so that it does not run (on this CPU, perhaps) only to
     * block on the lock. */
    must_broadcast(&ls->op_bus, epoch, &m->op, 0);
    statelock_unlock_write(&ls->lock, lease);
    bus_notify(&ls->op_bus);
    statelock_read(&ls->lock);
    /* 6. Drain our own copies: this frees both slots. */
    instigator_drain(self);
    /* 7. Phase 2; release the read lock, then the lease. */
    if (!variant_is(V_NO_PHASE2)) {
        barrier_wait(&m->barrier);
        process_progress(self->proc);
    }
    statelock_unlock_read(&ls->lock);
    if (!early_release)
        lease_release(&ls->lease, lease);
    atomic_fetch_add_explicit(&self->proc->rendezvous_ns, now_ns() - t0, memory_order_relaxed);
    atomic_fetch_add_explicit(&self->proc->rendezvous, 1, memory_order_relaxed);
    op_end(self, &m->op);
    epoch_msg_put(m);
}

/* Is an operation pending?  The check of the follower path. */
static int pending(struct dl_thread *self, int woken)
{
    struct pending_flag *f = &self->proc->linker->pending;
    if (woken && variant_is(V_RELAXED_WAKE))
        return flag_load_stale(f);
    return flag_load(f, ORDER_SEQ_CST);
}

int follow_pending(struct dl_thread *self, int woken)
{
    struct linker *ls = self->proc->linker;
    struct group *g = self->group;
    if (!g->subscribed || !pending(self, woken))
        return 0;
    int64_t epoch;
    struct epoch_msg *m = bus_recv(&g->barrier_rx, &epoch);
    barrier_wait(&m->barrier);
    process_progress(self->proc);
    const struct operation *op = bus_recv(&g->op_rx, NULL);
    assert(op == &m->op);
    statelock_read(&ls->lock);
    int64_t a, b;
    operation_args(op, &a, &b);
    ev_emit(EV_REPLAY_BEGIN, &(struct ev){.epoch = epoch, .mode = op->kind, .a = a, .b = b});
    int result = operation_replay(g, ls, op);
    ev_emit(EV_REPLAY_END, &(struct ev){.epoch = epoch,
                                        .mode = op->kind,
                                        .how = result,
                                        .a = ev_on(EV_REPLAY_END) ? (int64_t)group_digest(g) : 0,
                                        .b = (int64_t)g->table.len});
    if (result != RESULT_OK)
        g->broken = 1; /* the thread ends; run.c counts it from its result */
    g->last_epoch = epoch;
    if (!variant_is(V_NO_PHASE2)) {
        barrier_wait(&m->barrier);
        process_progress(self->proc);
    }
    statelock_unlock_read(&ls->lock);
    epoch_msg_put(m);
    return 1;
}

int64_t phase1_owed_since(struct dl_thread *self, int64_t epoch)
{
    struct group *g = self->group;
    if (!g->subscribed)
        return -1;
    const struct epoch_msg *m = bus_untaken(&g->barrier_rx, epoch);
    /* m is alive: the group holds its reference until it has received it. */
    return m ? m->begun_ns : -1;
}

void syscall_entry(struct dl_thread *self, int woken)
{
    checkpoint_maybe(self);
    struct group *g = self->group;
    if (woken) {
        ev_emit(EV_SYSCALL_ENTRY, &(struct ev){.how = PATH_WOKEN});
        tmutex_lock(&g->mu);
        follow_pending(self, 1);
        tmutex_unlock(&g->mu);
        return;
    }
    if (!flag_load(&self->proc->linker->pending, ORDER_RELAXED)) {
        ev_emit(EV_SYSCALL_ENTRY, &(struct ev){.how = PATH_FAST});
        return;
    }
    ev_emit(EV_SYSCALL_ENTRY, &(struct ev){.how = PATH_SLOW});
    tmutex_lock(&g->mu);
    follow_pending(self, 0);
    tmutex_unlock(&g->mu);
}
