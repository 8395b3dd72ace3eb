/*
 * fuzz/mutate.c — one seeded mutation of a CTF trace as `dlsync record`
 * writes it (LTTng-UST, per-uid buffers): the trial of fuzz/mutate_trace.sh.
 *
 * usage: mutate SEED TRACE
 *
 * Picks, from SEED alone (lib/rng.c), one mutation of the files under the
 * directory TRACE and applies it in place; prints one line saying what it
 * did ("packet: ust/uid/0/64-bit/dlsync_0 packet 0 content_size 194640 ->
 * 0").  The same seed on the same trace makes the same mutant.  Mutations:
 *   flip, bytes, int    bits flipped, random bytes, an interesting integer
 *                       at a random offset of any file;
 *   truncate, delete, empty, append, clone
 *                       a file cut at a random offset, removed, emptied,
 *                       random bytes added, a stream copied over another;
 *   meta-truncate, meta-edit, meta-header
 *                       the metadata cut, its TSDL text edited in place (a
 *                       number, a line blanked, a punctuation or a letter), a
 *                       field of a metadata packet header;
 *   packet, index       a field of a stream packet's header or context, or
 *                       of the index header or an index entry, set to an
 *                       interesting value (0, 1, off by one, doubled,
 *                       halved, all ones, the sign bit, random).
 * The layouts are LTTng's: a stream packet starts with magic 0xc1fc1fc1,
 * uuid, stream_id, stream_instance_id, then the context timestamp_begin,
 * timestamp_end, content_size, packet_size (bits), packet_seq_num,
 * events_discarded, cpu_id (little-endian, as recorded here); a metadata
 * packet with magic 0x75d11d57 and a 37-byte header; an index file
 * (big-endian) with a 16-byte header and entries of entry_size bytes.
 * Exit status: 0 mutated, 1 nothing to mutate or a file that cannot be
 * rewritten, 2 bad command line.  Single-threaded; no locks.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/rng.h"

enum fclass { F_STREAM, F_INDEX, F_META };

struct tfile {
    char *path; /* full path */
    const char *rel;
    enum fclass cls;
};

enum { MAX_FILES = 256, MAX_PACKETS = 1024 };

static struct tfile files[MAX_FILES];
static int nfiles;
static size_t root_len;

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct tfile *)a)->path, ((const struct tfile *)b)->path);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    const char *b = base_name(path);
    size_t n = strlen(b);
    if (type != FTW_F || nfiles == MAX_FILES || b[0] == '.' ||
        (n > 3 && strcmp(b + n - 3, ".db") == 0) || strstr(b, "-journal"))
        return 0;
    struct tfile *f = &files[nfiles++];
    f->path = strdup(path);
    if (!f->path)
        abort();
    f->rel = f->path + root_len;
    f->cls = strcmp(b, "metadata") == 0                ? F_META
             : n > 4 && strcmp(b + n - 4, ".idx") == 0 ? F_INDEX
                                                       : F_STREAM;
    return 0;
}

/* ---- file contents ---------------------------------------------------------------- */

struct buf {
    uint8_t *p;
    size_t n;
};

static int load(const struct tfile *f, struct buf *b)
{
    FILE *fp = fopen(f->path, "rb");
    if (!fp)
        return -1;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    b->n = n > 0 ? (size_t)n : 0;
    b->p = malloc(b->n + 1);
    if (!b->p)
        abort();
    int ok = fread(b->p, 1, b->n, fp) == b->n;
    fclose(fp);
    return ok ? 0 : -1;
}

static int store(const struct tfile *f, const struct buf *b)
{
    FILE *fp = fopen(f->path, "wb");
    if (!fp)
        return -1;
    int ok = fwrite(b->p, 1, b->n, fp) == b->n;
    return fclose(fp) == 0 && ok ? 0 : -1;
}

static uint64_t get_uint(const uint8_t *p, int width, int big)
{
    uint64_t v = 0;
    for (int i = 0; i < width; i++)
        v |= (uint64_t)p[big ? width - 1 - i : i] << (8 * i);
    return v;
}

static void put_uint(uint8_t *p, int width, int big, uint64_t v)
{
    for (int i = 0; i < width; i++)
        p[big ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* A value a parser trips on, for a field of width bytes holding orig: 0, 1,
 * off by one, doubled, halved, all ones, the sign bit, just below it, one
 * bit, random; never orig itself (unless every draw was). */
static uint64_t interesting(struct rng *r, uint64_t orig, int width)
{
    uint64_t ones = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
    uint64_t sign = UINT64_C(1) << (8 * width - 1);
    uint64_t bit = UINT64_C(1) << rng_below(r, (uint64_t)(8 * width));
    const uint64_t cand[] = {0,    1,    orig + 1, orig - 1, orig * 2,   orig / 2,
                             ones, sign, sign - 1, bit,      rng_next(r)};
    uint64_t v = orig;
    for (int tries = 0; tries < 8 && v == orig; tries++)
        v = cand[rng_below(r, sizeof cand / sizeof cand[0])] & ones;
    return v;
}

/* ---- the packets of a file --------------------------------------------------------- */

struct field {
    const char *name;
    size_t off;
    int width;
};

static const struct field stream_fields[] = {
    {"magic", 0, 4},
    {"uuid[0]", 4, 1},
    {"uuid[15]", 19, 1},
    {"stream_id", 20, 4},
    {"stream_instance_id", 24, 8},
    {"timestamp_begin", 32, 8},
    {"timestamp_end", 40, 8},
    {"content_size", 48, 8},
    {"packet_size", 56, 8},
    {"packet_seq_num", 64, 8},
    {"events_discarded", 72, 8},
    {"cpu_id", 80, 4},
};
enum { STREAM_HEADER = 84, STREAM_MAGIC = 0xc1fc1fc1 };

static const struct field meta_fields[] = {
    {"magic", 0, 4},
    {"uuid[0]", 4, 1},
    {"checksum", 20, 4},
    {"content_size", 24, 4},
    {"packet_size", 28, 4},
    {"compression_scheme", 32, 1},
    {"encryption_scheme", 33, 1},
    {"checksum_scheme", 34, 1},
    {"major", 35, 1},
    {"minor", 36, 1},
};
enum { META_HEADER = 37, META_MAGIC = 0x75d11d57 };

static const struct field index_header_fields[] = {
    {"magic", 0, 4},
    {"major", 4, 4},
    {"minor", 8, 4},
    {"entry_size", 12, 4},
};
static const struct field index_entry_fields[] = {
    {"offset", 0, 8},           {"packet_size", 8, 8},         {"content_size", 16, 8},
    {"timestamp_begin", 24, 8}, {"timestamp_end", 32, 8},      {"events_discarded", 40, 8},
    {"stream_id", 48, 8},       {"stream_instance_id", 56, 8}, {"packet_seq_num", 64, 8},
};
enum { INDEX_HEADER = 16 };

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* The offsets of the packets of b: each starts with magic (little-endian, a
 * header of hlen bytes) and gives its size in bits in a field of width bytes
 * at size_off.  Returns the count. */
static int packets(const struct buf *b, uint32_t magic, size_t hlen, size_t size_off, int width,
                   size_t *out)
{
    int n = 0;
    size_t off = 0;
    while (n < MAX_PACKETS && off + hlen <= b->n && get_uint(b->p + off, 4, 0) == magic) {
        out[n++] = off;
        uint64_t bytes = get_uint(b->p + off + size_off, width, 0) / 8;
        if (bytes < hlen || bytes > b->n - off)
            break;
        off += bytes;
    }
    return n;
}

/* ---- the mutations ------------------------------------------------------------------ */

struct mut {
    struct rng *r;
    char what[512];
};

/* A random file of one of the classes in mask (1 << enum fclass), or NULL. */
static const struct tfile *pick(struct mut *m, unsigned mask)
{
    int cand[MAX_FILES], n = 0;
    for (int i = 0; i < nfiles; i++)
        if (mask & (1u << files[i].cls))
            cand[n++] = i;
    return n ? &files[cand[rng_below(m->r, (uint64_t)n)]] : NULL;
}

static const unsigned ANY = 1u << F_STREAM | 1u << F_INDEX | 1u << F_META;
static const unsigned DATA = 1u << F_STREAM | 1u << F_INDEX;

static int set_field(struct mut *m, const struct tfile *f, struct buf *b, size_t base,
                     const struct field *fl, int big, const char *where)
{
    if (base + fl->off + (size_t)fl->width > b->n)
        return -1;
    uint8_t *p = b->p + base + fl->off;
    uint64_t old = get_uint(p, fl->width, big), v = interesting(m->r, old, fl->width);
    put_uint(p, fl->width, big, v);
    snprintf(m->what, sizeof m->what, "%s %s %s %llu -> %llu", f->rel, where, fl->name,
             (unsigned long long)old, (unsigned long long)v);
    return store(f, b);
}

static int mut_bits(struct mut *m, int kind)
{
    const struct tfile *f = pick(m, ANY);
    struct buf b;
    if (!f || load(f, &b) != 0 || b.n == 0)
        return -1;
    size_t off = rng_below(m->r, b.n);
    if (kind == 0) { /* flip */
        int bits = 1 + (int)rng_below(m->r, 8);
        for (int i = 0; i < bits; i++) {
            size_t at = (off + rng_below(m->r, 8)) % b.n;
            b.p[at] ^= (uint8_t)(1u << rng_below(m->r, 8));
        }
        snprintf(m->what, sizeof m->what, "%s: %d bit(s) near offset %zu", f->rel, bits, off);
    } else if (kind == 1) { /* bytes */
        size_t len = 1 + rng_below(m->r, 16);
        if (len > b.n - off)
            len = b.n - off;
        for (size_t i = 0; i < len; i++)
            b.p[off + i] = (uint8_t)rng_next(m->r);
        snprintf(m->what, sizeof m->what, "%s: %zu random byte(s) at offset %zu", f->rel, len, off);
    } else { /* int */
        static const int widths[] = {1, 2, 4, 8};
        int w = widths[rng_below(m->r, 4)];
        if ((size_t)w > b.n) {
            free(b.p);
            return -1;
        }
        if ((size_t)w > b.n - off)
            off = b.n - (size_t)w;
        int big = f->cls == F_INDEX;
        uint64_t old = get_uint(b.p + off, w, big), v = interesting(m->r, old, w);
        put_uint(b.p + off, w, big, v);
        snprintf(m->what, sizeof m->what, "%s: %d-byte integer at offset %zu %llu -> %llu", f->rel,
                 w, off, (unsigned long long)old, (unsigned long long)v);
    }
    int rc = store(f, &b);
    free(b.p);
    return rc;
}

static int mut_truncate(struct mut *m, unsigned mask)
{
    const struct tfile *f = pick(m, mask);
    struct buf b;
    if (!f || load(f, &b) != 0 || b.n == 0)
        return -1;
    free(b.p);
    size_t at = rng_below(m->r, b.n);
    snprintf(m->what, sizeof m->what, "%s at %zu of %zu bytes", f->rel, at, b.n);
    return truncate(f->path, (off_t)at);
}

static int mut_delete(struct mut *m, int empty)
{
    const struct tfile *f = pick(m, DATA);
    if (!f)
        return -1;
    snprintf(m->what, sizeof m->what, "%s", f->rel);
    return empty ? truncate(f->path, 0) : unlink(f->path);
}

static int mut_append(struct mut *m)
{
    const struct tfile *f = pick(m, 1u << F_STREAM);
    if (!f)
        return -1;
    size_t len = 1 + rng_below(m->r, 4096);
    FILE *fp = fopen(f->path, "ab");
    if (!fp)
        return -1;
    for (size_t i = 0; i < len; i++)
        fputc((int)(rng_next(m->r) & 0xff), fp);
    snprintf(m->what, sizeof m->what, "%s: %zu random byte(s) at the end", f->rel, len);
    return fclose(fp) == 0 ? 0 : -1;
}

static int mut_clone(struct mut *m)
{
    const struct tfile *from = pick(m, 1u << F_STREAM), *to = pick(m, 1u << F_STREAM);
    struct buf b;
    if (!from || from == to || load(from, &b) != 0)
        return -1;
    int rc = store(to, &b);
    free(b.p);
    snprintf(m->what, sizeof m->what, "%s copied over %s", from->rel, to->rel);
    return rc;
}

/* In-place edits of the TSDL text of a metadata packet. */
static int mut_meta_edit(struct mut *m)
{
    const struct tfile *f = pick(m, 1u << F_META);
    struct buf b;
    if (!f || load(f, &b) != 0 || b.n == 0)
        return -1;
    size_t pk[MAX_PACKETS];
    int n = packets(&b, META_MAGIC, META_HEADER, 28, 4, pk);
    size_t lo = 0, hi = b.n;
    if (n > 0) {
        size_t p = pk[rng_below(m->r, (uint64_t)n)];
        size_t content = get_uint(b.p + p + 24, 4, 0) / 8;
        lo = p + META_HEADER;
        hi = content > META_HEADER && p + content <= b.n ? p + content : lo;
    }
    if (hi <= lo) {
        free(b.p);
        return -1;
    }
    size_t at = lo + rng_below(m->r, hi - lo);
    uint8_t *t = b.p;
    static const char punct[] = "{};=:[]<>,\"";
    switch (rng_below(m->r, 4)) {
    case 0: { /* the number at or after at: other digits */
        while (at < hi && (t[at] < '0' || t[at] > '9'))
            at++;
        size_t end = at;
        while (end < hi && t[end] >= '0' && t[end] <= '9')
            end++;
        if (end == at)
            break;
        int zeros = rng_below(m->r, 3) == 0, nines = !zeros && rng_below(m->r, 2) == 0;
        for (size_t i = at; i < end; i++)
            t[i] = zeros ? '0' : nines ? '9' : (uint8_t)('0' + rng_below(m->r, 10));
        snprintf(m->what, sizeof m->what, "%s: number at %zu: %.*s", f->rel, at, (int)(end - at),
                 (const char *)t + at);
        break;
    }
    case 1: { /* the line at blanked */
        size_t s = at, e = at;
        while (s > lo && t[s - 1] != '\n')
            s--;
        while (e < hi && t[e] != '\n')
            e++;
        memset(t + s, ' ', e - s);
        snprintf(m->what, sizeof m->what, "%s: line at %zu blanked (%zu bytes)", f->rel, s, e - s);
        break;
    }
    case 2: { /* a punctuation mark changed */
        while (at < hi && !strchr(punct, t[at]))
            at++;
        if (at == hi)
            break;
        uint8_t old = t[at];
        t[at] = (uint8_t)punct[rng_below(m->r, sizeof punct - 1)];
        snprintf(m->what, sizeof m->what, "%s: '%c' at %zu -> '%c'", f->rel, old, at, t[at]);
        break;
    }
    default: { /* a letter changed */
        uint8_t old = t[at];
        t[at] = (uint8_t)('a' + rng_below(m->r, 26));
        snprintf(m->what, sizeof m->what, "%s: byte %zu 0x%02x -> '%c'", f->rel, at, old, t[at]);
        break;
    }
    }
    int rc = m->what[0] ? store(f, &b) : -1;
    free(b.p);
    return rc;
}

/* A field of a packet header: stream, metadata or index. */
static int mut_header(struct mut *m, enum fclass cls)
{
    const struct tfile *f = pick(m, 1u << cls);
    struct buf b;
    if (!f || load(f, &b) != 0)
        return -1;
    size_t pk[MAX_PACKETS];
    char where[64];
    int rc = -1;
    if (cls == F_STREAM || cls == F_META) {
        int stream = cls == F_STREAM;
        int n = stream ? packets(&b, STREAM_MAGIC, STREAM_HEADER, 56, 8, pk)
                       : packets(&b, META_MAGIC, META_HEADER, 28, 4, pk);
        if (n > 0) {
            int i = (int)rng_below(m->r, (uint64_t)n);
            const struct field *fl = stream
                                         ? &stream_fields[rng_below(m->r, NFIELDS(stream_fields))]
                                         : &meta_fields[rng_below(m->r, NFIELDS(meta_fields))];
            snprintf(where, sizeof where, "packet %d", i);
            rc = set_field(m, f, &b, pk[i], fl, 0, where);
        }
    } else if (b.n >= INDEX_HEADER) {
        size_t esize = get_uint(b.p + 12, 4, 1);
        size_t entries = esize >= 72 ? (b.n - INDEX_HEADER) / esize : 0;
        if (entries == 0 || rng_below(m->r, 4) == 0) {
            rc = set_field(m, f, &b, 0,
                           &index_header_fields[rng_below(m->r, NFIELDS(index_header_fields))], 1,
                           "header");
        } else {
            size_t i = rng_below(m->r, entries);
            snprintf(where, sizeof where, "entry %zu", i);
            rc = set_field(m, f, &b, INDEX_HEADER + i * esize,
                           &index_entry_fields[rng_below(m->r, NFIELDS(index_entry_fields))], 1,
                           where);
        }
    }
    free(b.p);
    return rc;
}

static const char *const names[] = {
    "flip",  "bytes",         "int",       "truncate",    "delete", "empty", "append",
    "clone", "meta-truncate", "meta-edit", "meta-header", "packet", "index",
};
enum { NMUT = sizeof names / sizeof names[0] };

static int apply(struct mut *m, int kind)
{
    switch (kind) {
    case 0:
    case 1:
    case 2:
        return mut_bits(m, kind);
    case 3:
        return mut_truncate(m, ANY);
    case 4:
        return mut_delete(m, 0);
    case 5:
        return mut_delete(m, 1);
    case 6:
        return mut_append(m);
    case 7:
        return mut_clone(m);
    case 8:
        return mut_truncate(m, 1u << F_META);
    case 9:
        return mut_meta_edit(m);
    case 10:
        return mut_header(m, F_META);
    case 11:
        return mut_header(m, F_STREAM);
    default:
        return mut_header(m, F_INDEX);
    }
}

int main(int argc, char **argv)
{
    char *end;
    errno = 0;
    unsigned long long seed = argc == 3 ? strtoull(argv[1], &end, 10) : 0;
    if (argc != 3 || errno || *end || !argv[1][0]) {
        fprintf(stderr, "usage: mutate SEED TRACE\n"
                        "Apply the one mutation SEED picks to the trace under TRACE, in place.\n");
        return 2;
    }
    root_len = strlen(argv[2]) + 1;
    if (nftw(argv[2], collect, 16, FTW_PHYS) != 0) {
        fprintf(stderr, "mutate: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    qsort(files, (size_t)nfiles, sizeof files[0], by_path);
    struct rng r;
    rng_init(&r, seed, 0);
    struct mut m = {.r = &r};
    /* A mutation that does not apply to this trace (no index file, no
     * number where it looked) is followed by the next one the seed picks. */
    for (int tries = 0; tries < 16; tries++) {
        int kind = (int)rng_below(&r, NMUT);
        m.what[0] = 0;
        if (apply(&m, kind) == 0) {
            printf("%s: %s\n", names[kind], m.what);
            return 0;
        }
    }
    fprintf(stderr, "mutate: %s: no mutation applies\n", argv[2]);
    return 1;
}
