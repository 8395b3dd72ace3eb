/*
 * checkpoint.c — process checkpoints (see checkpoint.h).
 */
#include "lib/checkpoint.h"

#include "lib/flag.h"
#include "lib/group.h"
#include "lib/linker.h"
#include "lib/process.h"
#include "lib/rendezvous.h"
#include "lib/thread.h"
#include "tracer/events.h"

/* Every live thread frozen or deep-sleeping (process mutex held)? */
static int all_frozen(struct process *p, int *frozen, int *sleeping)
{
    *frozen = *sleeping = 0;
    int all = 1;
    for (struct dl_thread *t = p->threads; t; t = t->next) {
        if (!t->live)
            continue;
        if (t->checkpointing)
            (*frozen)++;
        else if (t->deep_sleeping)
            (*sleeping)++;
        else
            all = 0;
    }
    return all;
}

void checkpoint_request(struct dl_thread *self)
{
    struct process *p = self->proc;
    tmutex_lock(&p->mu);
    atomic_store(&p->checkpoint, CHECKPOINT_SNAPSHOT);
    ev_emit(EV_CHECKPOINT_REQUEST, &(struct ev){.obj = OBJ_PROCESS_MUTEX});
    tmutex_unlock(&p->mu);
    process_wake_all(p, self, 0);
    checkpoint_maybe(self);
}

/* Thaw to follow a pending operation, then re-take the process mutex. */
static void follow_while_frozen(struct dl_thread *self)
{
    struct process *p = self->proc;
    self->checkpointing = 0;
    ev_emit(EV_CHECKPOINT_RESUME, &(struct ev){.obj = OBJ_PROCESS_MUTEX});
    tmutex_unlock(&p->mu);
    tmutex_lock(&self->group->mu);
    follow_pending(self, 1);
    tmutex_unlock(&self->group->mu);
    tmutex_lock(&p->mu);
}

void checkpoint_maybe(struct dl_thread *self)
{
    struct process *p = self->proc;
    if (atomic_load_explicit(&p->checkpoint, memory_order_relaxed) == CHECKPOINT_EXECUTE)
        return;
    tmutex_lock(&p->mu);
    while (atomic_load(&p->checkpoint) == CHECKPOINT_SNAPSHOT) {
        if (!self->checkpointing) {
            self->checkpointing = 1;
            ev_emit(EV_CHECKPOINT_FREEZE, &(struct ev){.obj = OBJ_PROCESS_MUTEX});
        }
        int frozen, sleeping;
        if (all_frozen(p, &frozen, &sleeping)) {
            ev_emit(EV_CHECKPOINT_SNAPSHOT,
                    &(struct ev){.obj = OBJ_PROCESS_MUTEX, .a = frozen, .b = sleeping});
            atomic_fetch_add(&p->snapshots, 1);
            atomic_store(&p->checkpoint, CHECKPOINT_EXECUTE);
            tcond_broadcast(&p->cv);
            break;
        }
        /* An operation pending?  The instigator sets the flag before it
         * takes the process mutex to wake everyone, so a check made here,
         * under the mutex, either sees the flag or precedes that wakeup.
         * (The wakeup signal itself may have been consumed already, by the
         * sleep this thread was woken from.) */
        if (self->group->subscribed && flag_load(&p->linker->pending, ORDER_SEQ_CST)) {
            if (wakeup_take(self))
                ev_emit(EV_WAKEUP_RECEIVED, &(struct ev){.a = WAIT_CHECKPOINT});
            follow_while_frozen(self);
            continue;
        }
        ev_emit(EV_WAIT_BEGIN, &(struct ev){.mode = WAIT_CHECKPOINT, .a = -1});
        position_set(&self->pos, POS_CHECKPOINT, OBJ_PROCESS_MUTEX, 0, 0, 0, 0);
        tmutex_wait(&p->mu, &p->cv);
        position_clear(&self->pos);
        ev_emit(EV_WAIT_END, &(struct ev){.mode = WAIT_CHECKPOINT, .how = WAITED_DONE});
    }
    if (self->checkpointing) {
        self->checkpointing = 0;
        ev_emit(EV_CHECKPOINT_RESUME, &(struct ev){.obj = OBJ_PROCESS_MUTEX});
    }
    tmutex_unlock(&p->mu);
}

void checkpoint_deep_sleep(struct dl_thread *self, int sleeping)
{
    struct process *p = self->proc;
    tmutex_lock(&p->mu);
    self->deep_sleeping = sleeping;
    if (sleeping)
        tcond_broadcast(&p->cv); /* may make a freezer the last one */
    tmutex_unlock(&p->mu);
}
