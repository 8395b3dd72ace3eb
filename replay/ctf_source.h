/*
 * replay/ctf_source.h — read a dlsync CTF trace through libbabeltrace2.
 *
 * Owns: the trace-processing graph source.ctf.fs → filter.utils.muxer → a
 * simple sink of our own (bt_graph_add_simple_sink_component) that turns
 * every dlsync:* event message into a struct rev, in time order, and reports
 * discarded-events and discarded-packets messages.  libbabeltrace2 asserts
 * (aborts) or loops on some corrupt input: call ctf_read on a trace that
 * ctf_check (ctf_check.h) passed, and in a process of its own (ingest.c).
 * Takes no locks; the graph runs in the calling thread.
 */
#ifndef DLSYNC_REPLAY_CTF_SOURCE_H
#define DLSYNC_REPLAY_CTF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "replay/event.h"

/* Why reading failed (ingest maps these to exit codes). */
enum ctf_status {
    CTF_OK = 0,
    CTF_NO_TRACE,   /* missing, empty or non-CTF directory */
    CTF_METADATA,   /* the metadata cannot be read */
    CTF_STREAM,     /* a stream file is truncated or corrupt */
    CTF_NOT_DLSYNC, /* a CTF trace without any dlsync:* event */
    CTF_STOPPED,    /* the handler asked to stop */
    CTF_INTERNAL,   /* babeltrace2 itself (plugins missing, out of memory) */
};

/* What a gap in a stream lost. */
enum ctf_lost { CTF_LOST_EVENTS, CTF_LOST_PACKETS };

struct ctf_handler {
    void *ctx;
    /* The metadata is read and the graph built: events follow.  May be NULL. */
    void (*ready)(void *ctx);
    /* One event, in time order, its fields as read (not yet validated).
     * Non-zero stops the read (CTF_STOPPED). */
    int (*event)(void *ctx, const struct rev *e);
    /* The tracer dropped count events (or packets) of one stream between two
     * times (ns, 0 if unknown); count 0: unknown. */
    void (*discarded)(void *ctx, enum ctf_lost what, uint64_t count, int64_t beg_ts,
                      int64_t end_ts);
    /* run_end's per-kind counts (what process vpid says it emitted), just
     * before its run_end event. */
    void (*run_counts)(void *ctx, int64_t vpid, const uint64_t counts[EV_KIND_COUNT]);
};

/* Directories at or under root that hold a CTF trace (a `metadata` file),
 * sorted.  Returns the count (0: none) and sets *dirs (free with
 * ctf_free_dirs), or -1 with errno set when root cannot be read. */
int ctf_find_traces(const char *root, char ***dirs);
void ctf_free_dirs(char **dirs, int n);

/* Read the trace in dir (one CTF trace) and hand every dlsync:* event to h.
 * Events of other providers are skipped and counted in *foreign.  The trace
 * UUID (text, or "" if none) goes to uuid[37].  On failure err holds a
 * message naming the file and the cause. */
enum ctf_status ctf_read(const char *dir, const struct ctf_handler *h, char uuid[37],
                         uint64_t *foreign, char *err, size_t errn);

#endif
