/*
 * tracer/session.h — one LTTng recording session for dlsync, driven through
 * liblttng-ctl (used by `dlsync record` and by tracer/bench_tp).
 *
 * Owns: the session it creates (unique name, never another's), the session
 * daemon it may start, and the choice of channel, events and contexts.  Takes
 * no locks; single-threaded use.  Every function returns 0 or one of the
 * exit codes of cli/exitcode.h (EX_NO_LTTNG ..
 * EX_TEARDOWN, for `dlsync record`) and then writes a one-line reason to err.
 */
#ifndef DLSYNC_TRACER_SESSION_H
#define DLSYNC_TRACER_SESSION_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli/exitcode.h"

/* Name of the UST channel every dlsync session uses. */
#define TR_CHANNEL "dlsync"

struct lttng_handle;

struct tr_session {
    char name[128];          /* unique: dlsync-<pid>-<yyyymmdd-hhmmss>-<8 hex> */
    char path[PATH_MAX];     /* absolute output directory */
    int snapshot;            /* flight-recorder mode: overwrite buffers, no output until snapshot */
    uint64_t buffer_per_cpu; /* bytes of ring buffer per CPU (split in 8 sub-buffers) */
    int created;             /* the session exists in the daemon (ours to destroy) */
    struct lttng_handle *handle;
};

/* Make sure a session daemon answers.  If none does, start one with
 * `lttng-sessiond --daemonize --no-kernel` (as the calling user) and wait up
 * to a few seconds until it answers.  *started_pid (if not NULL) receives the
 * pid of a daemon started here, or 0.  Errors: EX_NO_LTTNG when
 * lttng-sessiond is not installed, EX_NO_SESSIOND when it does not come up. */
int tr_sessiond_ensure(pid_t *started_pid, char *err, size_t errlen);

/* Fill s->name with a fresh unique session name. */
void tr_session_name(struct tr_session *s);

/* Create the session s->name writing to s->path (s->snapshot: snapshot mode,
 * s->path becomes the default snapshot output), with one UST channel
 * TR_CHANNEL (per-UID buffers, discard mode or overwrite mode for snapshots),
 * every dlsync:* event (plus dlsync_bench:* when with_bench), contexts vtid,
 * vpid and procname, and, when track_vpid > 0, a virtual-pid tracker that
 * admits only that process (so concurrent recordings never see each other's
 * runs).  Does not start tracing.  On failure destroys what it created and
 * returns EX_SESSION. */
int tr_session_setup(struct tr_session *s, pid_t track_vpid, int with_bench, char *err,
                     size_t errlen);

/* Start recording.  EX_SESSION on failure. */
int tr_session_start(struct tr_session *s, char *err, size_t errlen);

/* Stop recording and wait until every buffer (including those of processes
 * that have already exited) is flushed to s->path.  Then count discarded
 * events (the larger of the daemon's count and tr_trace_discarded(s->path))
 * and lost packets into *discarded and *lost.  EX_TEARDOWN on failure. */
int tr_session_stop(struct tr_session *s, uint64_t *discarded, uint64_t *lost, char *err,
                    size_t errlen);

/* Count the events discarded in the trace under dir, from the packet index
 * files (*.idx) the consumer daemon writes next to every stream: each packet
 * records its stream's cumulative discarded-event counter; the largest value
 * per stream, summed over streams, is the total.  Always returns EX_OK
 * (unreadable files count as 0). */
int tr_trace_discarded(const char *dir, uint64_t *discarded);

/* Snapshot mode only: write the buffers to the default output and put the
 * directory it created into where.  EX_TEARDOWN on failure. */
int tr_session_snapshot(struct tr_session *s, char *where, size_t wherelen, char *err,
                        size_t errlen);

/* Destroy the session (if created) and wait for completion; always frees the
 * handle.  Safe to call twice.  EX_TEARDOWN on failure. */
int tr_session_destroy(struct tr_session *s, char *err, size_t errlen);

#endif
