/*
 * fault.c — the recorded protocol error and the run's handlers for it and
 * for a delayed epoch (see fault.h).  Calls no other lib/ module; the
 * handlers (run.c) are the only way up.
 *
 * Locks: none; the message is claimed with an atomic state, so only its
 * first writer writes it and readers see it only once it is whole.
 */
#include "lib/fault.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static _Atomic(fault_handler) handler;
static _Atomic(fault_delay_handler) delay_handler;
static atomic_int recorded; /* 0: none, 1: being written, 2: message ready */
static char message[256];

void fault_set_handler(fault_handler h)
{
    atomic_store(&handler, h);
}

_Noreturn void fault_protocol(const char *msg)
{
    int none = 0;
    if (atomic_compare_exchange_strong(&recorded, &none, 1)) {
        snprintf(message, sizeof message, "%s", msg);
        atomic_store(&recorded, 2);
    }
    fault_handler h = atomic_load(&handler);
    assert(h && "fault_protocol: no run handler installed");
    h(msg);
    abort(); /* a handler that returned broke its contract */
}

const char *fault_message(void)
{
    return atomic_load(&recorded) == 2 ? message : "";
}

void fault_set_delay_handler(fault_delay_handler h)
{
    atomic_store(&delay_handler, h);
}

_Noreturn void fault_delayed(const struct fault_delay *d)
{
    fault_delay_handler h = atomic_load(&delay_handler);
    assert(h && "fault_delayed: no run handler installed");
    h(d);
    abort(); /* a handler that returned broke its contract */
}
