/*
 * tracer/ctf_index.h — the CTF packet index files the LTTng consumer daemon
 * writes next to every stream file (index/NAME.idx).
 *
 * Owns: the index format and its one reader.  The format (lttng-tools'
 * ctf-index.h; every field big-endian): a 16-byte header {magic
 * 0xC1F1DCC1, major 1, minor, entry length in bytes}, then one entry per
 * packet of the stream: offset (bytes), packet_size and content_size (bits),
 * timestamp_begin and timestamp_end (clock cycles), events_discarded (the
 * stream's cumulative counter), stream_id (u64 each; version 1.1 adds
 * stream_instance_id and packet_seq_num, not read here).  Used by record
 * (the trace's discarded count, tracer/session.c) and by ingest's checks
 * (replay/ctf_check.c).  No locks; reads one file.
 */
#ifndef DLSYNC_TRACER_CTF_INDEX_H
#define DLSYNC_TRACER_CTF_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct ctf_index_entry {
    uint64_t offset, packet_size, content_size, ts_begin, ts_end, events_discarded, stream_id;
};

/* Read the index file path: its entries into *entries (malloc'ed; NULL when
 * there are none) and their count into *n.  The header is checked (magic,
 * major version 1, an entry length of 56..4096 bytes, a whole number of
 * entries); the entries' values are the caller's to judge.  Returns 0, or
 * -1 with why (naming path and the cause) set; a path that is not a
 * regular file is refused without blocking. */
int ctf_index_read(const char *path, struct ctf_index_entry **entries, uint64_t *n, char *why,
                   size_t whyn);

#endif
