/*
 * replay/ctf_check.h — what a CTF trace directory must look like before
 * libbabeltrace2 reads it.
 *
 * Owns: the checks of a trace's files that are cheap and exact (the
 * metadata's packets, every stream file against its index, the packet
 * headers the index points at), the trace's time range taken from its
 * index files, and the list of stream files that are missing or empty
 * while their index lists packets (an incomplete trace).  libbabeltrace2
 * loops on a metadata packet cut short and reads an incomplete trace
 * without a word; this file is what stands between it and such input.
 * Takes no locks; reads files only.
 */
#ifndef DLSYNC_REPLAY_CTF_CHECK_H
#define DLSYNC_REPLAY_CTF_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "replay/ctf_source.h"

/* A stream file the trace lacks (missing or empty) although its index lists
 * packets: what was lost, and when. */
struct ctf_gap {
    char stream[256];         /* the stream file's name (dlsync_1) */
    uint64_t packets;         /* packets its index lists */
    int64_t begin_ns, end_ns; /* their time range, ns from the clock's origin */
};

/* What ctf_check learned of a trace directory. */
struct ctf_layout {
    int64_t begin_ns, end_ns; /* every indexed packet's time range (ns from the
                                 clock's origin); begin_ns >= end_ns: unknown */
    int streams;              /* stream files with packets */
    int ngaps;
    struct ctf_gap *gaps; /* malloc'ed; free with ctf_layout_free */
};

/* Check the trace in dir (a directory holding `metadata`) before
 * libbabeltrace2 sees it:
 *   - metadata: a regular file; packetized (every packet header has the
 *     magic 0x75D11D57, a content_size and packet_size in bits that are
 *     whole bytes, content within packet, packet within the file) or plain
 *     text starting with the "CTF 1.8" comment;
 *   - every stream file is a regular file; its index (index/NAME.idx, the
 *     CTF index format: big-endian header with magic 0xC1F1DCC1, version
 *     1.x, entry length, then entries of offset, packet_size, content_size,
 *     timestamp_begin, timestamp_end, ...) lists packets that lie in order
 *     within the file, each starting with the packet magic 0xC1FC1FC1 (and,
 *     in LTTng's packet layout, the stream id and sizes the index says);
 *   - a stream file missing or empty while its index lists packets is an
 *     incomplete trace: an error, or with partial a gap in out->gaps.
 * Returns CTF_OK, or CTF_METADATA / CTF_STREAM with err naming the file and
 * the cause.  out is filled on CTF_OK (free it with ctf_layout_free). */
enum ctf_status ctf_check(const char *dir, int partial, struct ctf_layout *out, char *err,
                          size_t errn);
void ctf_layout_free(struct ctf_layout *l);

#endif
