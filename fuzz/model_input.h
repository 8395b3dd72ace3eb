/*
 * fuzz/model_input.h — the input format of the event-model fuzz target
 * (fuzz/fuzz_model.c): bytes to a sequence of events and back.
 *
 * Owns the format and its tables; takes no locks.  The format is made so
 * that a mutating fuzzer reaches the values the protocol uses with small,
 * local changes, and still reaches every 64-bit value:
 *
 *   input  := discarded event*
 *   discarded := one byte: the count of events the tracer dropped (0..255)
 *   event  := kind group vtid vpid ts obj mode how epoch phase lease a b str str2
 *
 * Each of the 13 integer fields is one byte v: 0xff is an escape, followed
 * by the field's value as 8 bytes, little-endian; any other v picks entry
 * v % N of the field's table of N small values (group -2..8, the real
 * objects and a few ids just outside them, epochs 0..7 and the ones that
 * share a slot of the model's ring, phases -1..2, ...; each table reaches
 * just past the valid range so that rev_check's bounds are crossed too).
 * ts is a delta: v microseconds after the previous event's time, or, after
 * an escape, the absolute time in ns.  A string is a length byte L (0: no
 * string, else L - 1 characters follow).  An event cut short by the end of
 * the input is dropped.
 *
 * Seqs are not in the input: the reader of the events numbers the valid
 * ones, as a database does.
 */
#ifndef DLSYNC_FUZZ_MODEL_INPUT_H
#define DLSYNC_FUZZ_MODEL_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/event.h"

/* Decoding.  The strings of the last event are the reader's (each one in a
 * block of its exact size, so that a read past its end is seen by a
 * sanitizer) and live until the next mi_next or mi_reader_free. */
struct mi_reader {
    const uint8_t *p;
    size_t left;
    int64_t ts;
    char *str, *str2;
};

/* Start reading data; *discarded gets the input's discarded count. */
void mi_reader_init(struct mi_reader *r, const uint8_t *data, size_t size, int64_t *discarded);

/* The next event into e (seq 0); 1, or 0 at the end of the input. */
int mi_next(struct mi_reader *r, struct rev *e);

void mi_reader_free(struct mi_reader *r);

/* Encoding, the inverse: a value outside a field's table is escaped; a time
 * step that is not a whole number of microseconds below 255 us is written
 * absolute.  Thread ids are renumbered 1, 2, ... in order of appearance
 * (their values mean nothing to the model, only which events share one);
 * strings are cut at 254 characters. */
struct mi_writer {
    FILE *f;
    int64_t ts;
    int64_t vtid[64]; /* vtid[i]: the thread id written as i + 1 */
    int nvtid;
};

void mi_writer_init(struct mi_writer *w, FILE *f, int64_t discarded);
void mi_write(struct mi_writer *w, const struct rev *e);

#endif
