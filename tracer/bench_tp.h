/*
 * tracer/bench_tp.h — the tiny LTTng-UST provider `dlsync_bench` used only by
 * tracer/bench_tp.c as the anchor of its measurement: one tracepoint, `bare`,
 * with one int64 field.  Owns nothing else; takes no locks.
 */
// clang-format off
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER dlsync_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "tracer/bench_tp.h"

#if !defined(DLSYNC_TRACER_BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define DLSYNC_TRACER_BENCH_TP_H

#include <stdint.h>

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(
    dlsync_bench, bare, LTTNG_UST_TP_ARGS(int64_t, v),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int64_t, v, v)))

#endif /* DLSYNC_TRACER_BENCH_TP_H */
// clang-format on

#include <lttng/tracepoint-event.h>
