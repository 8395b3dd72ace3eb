/*
 * variant.h — the named variants: the correct protocol and one buggy variant
 * per real failure of docs/protocol.md §5.
 *
 * The variant of a run is chosen once before any protocol thread starts and
 * is read-only afterwards (no locks).  The checker never sees it.
 */
#ifndef DLSYNC_VARIANT_H
#define DLSYNC_VARIANT_H

enum variant {
    V_NONE = 0,
    V_NAIVE_WRITE,
    V_BLOCKING_READ,
    V_LEASE_AFTER_WRITE,
    V_LOST_WAKEUP,
    V_RELAXED_WAKE,
    V_NO_PHASE2,
    V_NO_SELF_DRAIN,
    V_EXIT_SUBSCRIBED,
    V_GUEST_WAIT,
    V_EARLY_LEASE_RELEASE,
    V_SPAWN_AFTER_DLSYM,
    V_MAIN_MODULE_RESOLVE,
    V_TLS_INIT_REENTER,
    V_LONE_GROUP_RELEASE,
    V_COUNT
};

struct variant_info {
    const char *name;
    const char *change;   /* what the variant does differently */
    const char *failure;  /* how it fails */
    const char *origin;   /* where the failure comes from */
    const char *scenario; /* a built-in scenario in which it manifests */
};

extern const struct variant_info variant_table[V_COUNT];

/* The variant by name, or -1. */
int variant_by_name(const char *name);

/* Select the variant of the run about to start. */
void variant_select(enum variant v);

/* Non-zero when the running variant is v. */
int variant_is(enum variant v);

#endif
