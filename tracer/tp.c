/*
 * tracer/tp.c — the probe side of the `dlsync` LTTng-UST provider.
 *
 * Owns: nothing but the probe code LTTng generates from tracer/tp.h.  Built
 * only into the shared object libdlsync-tp.so (linked with -llttng-ust),
 * which bin/dlsync dlopen()s when a run is recorded (tracer/probe.c).  Loading
 * it starts liblttng-ust, which registers the process with the session
 * daemon; that is why bin/dlsync itself never links liblttng-ust.  Takes no
 * locks of its own.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tracer/tp.h"
