/*
 * tracer/bench_tp_probe.c — probes and call sites of the `dlsync_bench`
 * provider, linked statically into bench_tp (which therefore links
 * liblttng-ust).  Owns nothing else; takes no locks.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "tracer/bench_tp.h"
