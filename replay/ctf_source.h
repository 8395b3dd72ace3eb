/*
 * replay/ctf_source.h — read a dlsync CTF trace through libbabeltrace2.
 *
 * Owns: the trace-processing graph source.ctf.fs → filter.utils.muxer → a
 * simple sink of our own (bt_graph_add_simple_sink_component) that turns
 * every dlsync:* event message into a struct rev, in time order, and reports
 * discarded-events messages.  Takes no locks; the graph runs in the calling
 * thread.
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

struct ctf_handler {
    void *ctx;
    /* One event, in time order.  Non-zero stops the read (CTF_STOPPED). */
    int (*event)(void *ctx, const struct rev *e);
    /* The tracer dropped count events of one stream between two times (ns,
     * 0 if unknown). */
    void (*discarded)(void *ctx, uint64_t count, int64_t beg_ts, int64_t end_ts);
    /* run_end's per-kind counts (what the run says it emitted). */
    void (*run_counts)(void *ctx, const uint64_t counts[EV_KIND_COUNT]);
};

/* Directories at or under root that hold a CTF trace (a `metadata` file),
 * sorted.  Returns the count (0: none) and sets *dirs (free with
 * ctf_free_dirs), or -1 with errno set when root cannot be read. */
int ctf_find_traces(const char *root, char ***dirs);
void ctf_free_dirs(char **dirs, int n);

/* The trace's time range in ns from the origin, from the source's
 * babeltrace.trace-infos query; 0 on success. */
int ctf_time_range(const char *dir, int64_t *begin, int64_t *end);

/* Read the trace in dir (one CTF trace) and hand every dlsync:* event to h.
 * Events of other providers are skipped and counted in *foreign.  The trace
 * UUID (text, or "" if none) goes to uuid[37].  On failure err holds a
 * message naming the file and the cause. */
enum ctf_status ctf_read(const char *dir, const struct ctf_handler *h, char uuid[37],
                         uint64_t *foreign, char *err, size_t errn);

#endif
