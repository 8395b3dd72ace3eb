/*
 * tracer/probe.h — loading the LTTng probe provider libdlsync-tp.so.
 *
 * Owns: the decision of where the provider is looked for, and the one
 * dlopen() of it per process.  bin/dlsync does not link liblttng-ust, so a
 * run that is not recorded never starts LTTng's listener threads nor waits
 * for a session daemon; a recorded run (DLSYNC_TRACE=1, set by
 * `dlsync record`) calls ev_probe_load() first thing.  Takes no locks: call it
 * from the main thread before any other thread exists.
 */
#ifndef DLSYNC_TRACER_PROBE_H
#define DLSYNC_TRACER_PROBE_H

#include <stddef.h>

/* File name of the provider. */
#define EV_PROBE_SONAME "libdlsync-tp.so"

/* Environment variable that names the provider file explicitly. */
#define EV_PROBE_ENV "DLSYNC_TP_SO"

/* Find the provider without loading it.  Looks, in order, at $DLSYNC_TP_SO
 * (if set, and then only there), the directory of the running executable
 * (/proc/self/exe), and $(PREFIX)/lib/dlsync.  On success writes the path to
 * out and returns 0; otherwise returns -1 and writes to err a message that
 * names every place searched (truncated to errlen). */
int ev_probe_find(char *out, size_t outlen, char *err, size_t errlen);

/* Load the provider: path_or_null, or the file ev_probe_find() finds.  On
 * return the call sites of events.h are connected, and, when a session daemon
 * is running, the process has registered with it (liblttng-ust waits up to
 * LTTNG_UST_REGISTER_TIMEOUT ms, default 3000, for the enabled events to be
 * pushed), so events emitted after this call are recorded.  Loading twice is
 * a no-op.  Returns 0, or -1 with a message in err (file missing, dlopen
 * error, or tracing compiled out with TRACE=0).  The provider is never
 * unloaded (LTTng-UST does not support dlclose() of an active provider). */
int ev_probe_load(const char *path_or_null, char *err, size_t errlen);

#endif
