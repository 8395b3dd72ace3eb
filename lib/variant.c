/*
 * variant.c — the variant table (see variant.h).  No locks: the selection is
 * written before protocol threads start and only read afterwards.
 */
#include "lib/variant.h"

#include <string.h>

const struct variant_info variant_table[V_COUNT] = {
    [V_NONE] = {"none", "the correct protocol", "none: completes and every group agrees",
                "docs/protocol.md", "mixed"},
    [V_NAIVE_WRITE] = {"naive-write",
                       "group paths (closure allocate/free, group shutdown) take a blocking write "
                       "instead of the cooperative write",
                       "a thread blocks in write(state lock) while the instigator holds the write "
                       "lock and waits at phase 1 for it: deadlock across a lock and a barrier",
                       "seed docs, 'never lock LinkerState directly'", "mixed"},
    [V_BLOCKING_READ] = {"blocking-read",
                         "closure allocate checks for a free slot under a plain blocking read",
                         "the same deadlock shape with a read lock", "upstream fix in PR 6008",
                         "mixed"},
    [V_LEASE_AFTER_WRITE] = {"lease-after-write",
                             "dlopen/dlsym take the cooperative write first, then the lease "
                             "(order inversion)",
                             "two instigators each hold what the other tries for",
                             "seed docs, lock ordering", "steady-dl"},
    [V_LOST_WAKEUP] = {"lost-wakeup",
                       "a sleeping thread checks 'nothing pending', then starts its sleep by "
                       "discarding a wakeup that arrived in between",
                       "the sleeper never arrives at phase 1; the instigator waits forever",
                       "upstream issue 6654, fixed by PR 6704", "sleepers"},
    [V_RELAXED_WAKE] = {"relaxed-wake",
                        "a thread woken by the signal reads the pending flag with a relaxed load "
                        "(the model emulates the stale read)",
                        "the woken thread misses the flag and sleeps again; phase 1 never "
                        "completes",
                        "seed docs on orderings (dl_operation_pending_load)", "sleepers"},
    [V_NO_PHASE2] = {"no-phase2", "no second barrier: everyone leaves after applying",
                     "a new writer starts while followers still apply: a follower blocks in "
                     "read(state lock) behind the next instigator's write, or tables diverge",
                     "the seed's phase-2 comment", "steady-dl"},
    [V_NO_SELF_DRAIN] = {"no-self-drain",
                         "the instigator does not receive its own copies from the buses",
                         "the next broadcast finds the bus full: fatal protocol error",
                         "the seed's drain comment", "steady-dl"},
    [V_EXIT_SUBSCRIBED] = {"exit-subscribed", "group shutdown does not drop the bus receivers",
                           "rx_count counts a group that will never arrive; the instigator waits "
                           "forever at phase 1",
                           "upstream PR 7015", "spawn-storm"},
    [V_GUEST_WAIT] = {"guest-wait", "guest waits ignore the wakeup signal",
                      "a thread blocked in a guest wait never reaches a syscall, never arrives",
                      "upstream wasix-libc 91 (reverted in 93)", "guest-waiters"},
    [V_EARLY_LEASE_RELEASE] = {"early-lease-release",
                               "the instigator releases the lease before the write lock",
                               "another instigator starts while the old write is still held: it "
                               "blocks in write() holding the lease while the first waits at "
                               "phase 1 for it",
                               "review of upstream PR 6688", "steady-dl"},
    [V_SPAWN_AFTER_DLSYM] = {"spawn-after-dlsym",
                             "spawn finalisation builds the child's table from the layout log "
                             "without the resolved-symbol records: their slots stay empty",
                             "a thread spawned after a dlsym lacks the resolved slot; at the next "
                             "epoch it takes part in, its table differs from the other groups' "
                             "(diverged)",
                             "upstream PR 5616", "late-spawn"},
    [V_MAIN_MODULE_RESOLVE] = {"main-module-resolve",
                               "a follower replaying ResolveFunction looks for the module only "
                               "among its side modules (those loaded by dlopen), never in the "
                               "main module",
                               "a follower fails to replay a dlsym of a main-module export: its "
                               "thread ends with a protocol error",
                               "upstream PR 5779", "main-exports"},
    [V_TLS_INIT_REENTER] = {"tls-init-reenter",
                            "a spawned thread runs its modules' thread-local initialisers (which "
                            "call sched_yield, a syscall) while holding its own group mutex",
                            "with an operation pending, the initialiser's syscall takes the slow "
                            "path, which locks the group mutex the thread already holds: a "
                            "self-deadlock, and the instigator waits at phase 1 for it",
                            "upstream PR 6674", "late-spawn"},
    [V_LONE_GROUP_RELEASE] = {"lone-group-release",
                              "an instigator alone (rx_count 1: nobody to tell) releases the lease "
                              "before the write lock",
                              "the run completes, but for a moment the state lock is held for "
                              "write without the lease, which any thread may take: check finds "
                              "I2 (the lease released while its holder still holds the write lock)",
                              "the seed's own n <= 1 return, fixed upstream by dropping the write "
                              "guard first",
                              "lone-tail"},
};

static enum variant selected = V_NONE;

int variant_by_name(const char *name)
{
    for (int v = 0; v < V_COUNT; v++)
        if (strcmp(variant_table[v].name, name) == 0)
            return v;
    return -1;
}

void variant_select(enum variant v)
{
    selected = v;
}

int variant_is(enum variant v)
{
    return selected == v;
}
