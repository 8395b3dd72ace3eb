/*
 * replay/ctf_check.c — what a CTF trace directory must look like before
 * libbabeltrace2 reads it (see ctf_check.h).  No locks.
 *
 * The formats, from the CTF 1.8 specification and LTTng's index format:
 *   - a metadata packet begins with a 37-byte header in the trace's byte
 *     order: magic (u32, 0x75D11D57), uuid[16], checksum (u32),
 *     content_size and packet_size (u32, in bits), compression, encryption
 *     and checksum schemes (u8 each, 0: none), major and minor (u8);
 *   - an index file (index/NAME.idx): tracer/ctf_index.h reads it;
 *   - a stream packet begins with the packet header, whose first field is
 *     the magic (u32, 0xC1FC1FC1) in the trace's byte order.  LTTng's header
 *     and context have a fixed layout (packet_layout below): then the
 *     stream id and the sizes are checked against the index too.
 * Every number read here is checked before it sizes or indexes anything.
 */
#include "replay/ctf_check.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracer/ctf_index.h"

enum {
    META_MAGIC = 0x75D11D57,
    META_HEADER = 37,      /* bytes of a metadata packet header */
    TEXT_MAX = 256 * 1024, /* metadata text kept for the clock and layout */
    PACKET_MAGIC = (int)0xC1FC1FC1,
};

/* One check of one trace: where messages go, what was learned. */
struct checker {
    const char *dir;
    char *err;
    size_t errn;
    int be;           /* the trace's byte order is big-endian */
    int lttng_layout; /* the packet header and context are LTTng's */
    uint64_t freq;    /* the clock: Hz, offset_s, offset (cycles) */
    int64_t offset_s, offset;
    char *text; /* the first TEXT_MAX bytes of metadata text */
    size_t ntext;
};

static enum ctf_status failf(struct checker *c, enum ctf_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errn, fmt, ap);
    va_end(ap);
    return st;
}

static uint64_t get_u(const unsigned char *p, int bytes, int be)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[be ? i : bytes - 1 - i] << (8 * (bytes - 1 - i));
    return v;
}

/* Read exactly n bytes at off; 0, or -1 (short file or error). */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Open path read-only if it is a regular file (never block on a FIFO). */
static int open_regular(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

static void keep_text(struct checker *c, const char *s, size_t n)
{
    if (n > TEXT_MAX - c->ntext)
        n = TEXT_MAX - c->ntext;
    memcpy(c->text + c->ntext, s, n);
    c->ntext += n;
}

/* ---- metadata ---------------------------------------------------------------- */

static enum ctf_status check_packets(struct checker *c, int fd, const char *path, uint64_t size)
{
    unsigned char h[META_HEADER];
    char *buf = malloc(TEXT_MAX);
    if (!buf)
        return failf(c, CTF_INTERNAL, "%s: out of memory", path);
    enum ctf_status st = CTF_OK;
    uint64_t at = 0;
    for (int n = 0; at < size && st == CTF_OK; n++) {
        if (size - at < META_HEADER || read_at(fd, h, sizeof h, at) != 0) {
            st = failf(c, CTF_METADATA,
                       "%s: metadata packet %d at byte %llu is cut short (%llu bytes left of a "
                       "%d-byte header): the metadata is truncated",
                       path, n, (unsigned long long)at, (unsigned long long)(size - at),
                       META_HEADER);
            break;
        }
        uint64_t magic = get_u(h, 4, c->be);
        uint64_t content = get_u(h + 24, 4, c->be), packet = get_u(h + 28, 4, c->be);
        if (magic != META_MAGIC)
            st = failf(c, CTF_METADATA,
                       "%s: metadata packet %d at byte %llu has magic 0x%08llx, not 0x%08x: "
                       "corrupt metadata",
                       path, n, (unsigned long long)at, (unsigned long long)magic, META_MAGIC);
        else if (h[32] || h[33] || h[34])
            st = failf(c, CTF_METADATA,
                       "%s: metadata packet %d is compressed, encrypted or checksummed "
                       "(schemes %u/%u/%u): not supported",
                       path, n, h[32], h[33], h[34]);
        else if (content % 8 || packet % 8 || content < 8 * META_HEADER || content > packet)
            st = failf(c, CTF_METADATA,
                       "%s: metadata packet %d at byte %llu: content_size %llu and packet_size "
                       "%llu bits are not whole bytes with %d <= content <= packet: corrupt "
                       "metadata",
                       path, n, (unsigned long long)at, (unsigned long long)content,
                       (unsigned long long)packet, 8 * META_HEADER);
        else if (packet / 8 > size - at)
            st = failf(c, CTF_METADATA,
                       "%s: metadata packet %d at byte %llu is %llu bytes but the file has %llu "
                       "left: the metadata is truncated",
                       path, n, (unsigned long long)at, (unsigned long long)(packet / 8),
                       (unsigned long long)(size - at));
        else if (c->ntext < TEXT_MAX) {
            size_t len = (size_t)(content / 8 - META_HEADER);
            if (len > TEXT_MAX - c->ntext)
                len = TEXT_MAX - c->ntext;
            if (read_at(fd, buf, len, at + META_HEADER) != 0)
                st = failf(c, CTF_METADATA, "%s: cannot read metadata packet %d", path, n);
            else
                keep_text(c, buf, len);
        }
        at += packet / 8;
    }
    free(buf);
    return st;
}

static enum ctf_status check_metadata(struct checker *c)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/metadata", c->dir);
    struct stat st;
    int fd = open_regular(path, &st);
    if (fd < 0)
        return failf(c, CTF_METADATA, "%s: %s", path,
                     errno == EINVAL ? "not a regular file" : strerror(errno));
    enum ctf_status rc = CTF_OK;
    unsigned char head[10] = {0};
    uint64_t size = (uint64_t)st.st_size;
    if (size < sizeof head || read_at(fd, head, sizeof head, 0) != 0) {
        rc = failf(c, CTF_METADATA, "%s: %llu bytes: the metadata is empty or truncated", path,
                   (unsigned long long)size);
    } else if (get_u(head, 4, 0) == META_MAGIC || get_u(head, 4, 1) == META_MAGIC) {
        c->be = get_u(head, 4, 1) == META_MAGIC;
        rc = check_packets(c, fd, path, size);
    } else if (memcmp(head, "/* CTF 1.8", sizeof head) == 0) {
        char *buf = malloc(TEXT_MAX);
        ssize_t n = buf ? pread(fd, buf, TEXT_MAX, 0) : -1;
        if (n > 0)
            keep_text(c, buf, (size_t)n);
        free(buf);
        c->be = strstr(c->text, "byte_order = be") != NULL;
    } else {
        rc = failf(c, CTF_METADATA,
                   "%s: neither packetized metadata (magic 0x%08x) nor text starting with "
                   "\"/* CTF 1.8\": corrupt metadata",
                   path, META_MAGIC);
    }
    close(fd);
    return rc;
}

/* The integer assigned to key (a whole word) after `from` in the text, or
 * dflt. */
static int64_t text_int(const struct checker *c, const char *from, const char *key, int64_t dflt)
{
    const char *s = strstr(c->text, from);
    const char *end = s ? strstr(s, "};") : NULL;
    size_t kl = strlen(key);
    for (const char *p = s; p && end && (p = strstr(p, key)) && p < end; p += kl) {
        if (p > c->text && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
            continue;
        const char *q = p + kl;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '=')
            continue;
        char *stop;
        long long v = strtoll(q + 1, &stop, 0);
        return stop != q + 1 ? (int64_t)v : dflt;
    }
    return dflt;
}

/* The metadata text with every run of white space made one space, for
 * comparing declarations. */
static char *squeeze(const char *s, size_t n)
{
    char *d = malloc(n + 1), *o = d;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (sp && (o == d || o[-1] == ' '))
            continue;
        *o++ = sp ? ' ' : s[i];
    }
    *o = 0;
    return d;
}

/* Are the packet header and context LTTng's: magic at byte 0, stream_id at
 * 20, timestamp_begin at 32, timestamp_end at 40, content_size at 48 and
 * packet_size at 56 (u32/u64 of byte alignment)? */
static int packet_layout(const struct checker *c)
{
    static const char *const decls[] = {
        "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;",
        "typealias integer { size = 64; align = 8; signed = false; } := uint64_t;",
        "size = 64; align = 8; signed = false; map = clock.monotonic.value; } := "
        "uint64_clock_monotonic_t;",
        "packet.header := struct { uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; "
        "uint64_t stream_instance_id; };",
        "struct packet_context { uint64_clock_monotonic_t timestamp_begin; "
        "uint64_clock_monotonic_t timestamp_end; uint64_t content_size; uint64_t packet_size;",
        "packet.context := struct packet_context;",
    };
    char *t = squeeze(c->text, c->ntext);
    int ok = t != NULL;
    for (size_t i = 0; ok && i < sizeof decls / sizeof decls[0]; i++)
        ok = strstr(t, decls[i]) != NULL;
    free(t);
    return ok;
}

/* Clock cycles to ns from the clock's origin. */
static int64_t cycles_ns(const struct checker *c, uint64_t cycles)
{
    uint64_t f = c->freq;
    uint64_t v = cycles + (uint64_t)c->offset;
    /* unsigned: a corrupt clock wraps around, never overflows */
    return (int64_t)((uint64_t)c->offset_s * 1000000000u + (v / f) * 1000000000u +
                     (v % f) * 1000000000u / f);
}

/* ---- streams and their indexes ------------------------------------------------ */

/* The entries of an index against each other and against the stream file
 * (fd, size bytes) and its packet headers. */
static enum ctf_status check_entries(struct checker *c, const char *path, int fd, uint64_t size,
                                     const struct ctf_index_entry *x, uint64_t n)
{
    uint64_t end = 0;
    for (uint64_t i = 0; i < n; i++, x++) {
        if (x->packet_size == 0 || x->packet_size % 8 || x->content_size > x->packet_size ||
            x->ts_begin > x->ts_end)
            return failf(c, CTF_STREAM,
                         "%s: index entry %llu: packet_size %llu, content_size %llu bits, time "
                         "%llu..%llu: corrupt index",
                         path, (unsigned long long)i, (unsigned long long)x->packet_size,
                         (unsigned long long)x->content_size, (unsigned long long)x->ts_begin,
                         (unsigned long long)x->ts_end);
        if (x->offset < end)
            return failf(c, CTF_STREAM,
                         "%s: index entry %llu: packet at byte %llu overlaps the one before "
                         "(ending at %llu): corrupt index",
                         path, (unsigned long long)i, (unsigned long long)x->offset,
                         (unsigned long long)end);
        if (x->offset > size || x->packet_size / 8 > size - x->offset)
            return failf(c, CTF_STREAM,
                         "%s: its index lists a packet of %llu bytes at byte %llu but the file "
                         "has %llu bytes: the stream file is truncated",
                         path, (unsigned long long)(x->packet_size / 8),
                         (unsigned long long)x->offset, (unsigned long long)size);
        end = x->offset + x->packet_size / 8;
        unsigned char h[64];
        size_t want = c->lttng_layout ? 64 : 4;
        if (x->packet_size / 8 < want || read_at(fd, h, want, x->offset) != 0)
            return failf(c, CTF_STREAM, "%s: packet %llu at byte %llu is shorter than its header",
                         path, (unsigned long long)i, (unsigned long long)x->offset);
        uint64_t magic = get_u(h, 4, c->be);
        if (magic != (uint32_t)PACKET_MAGIC)
            return failf(c, CTF_STREAM,
                         "%s: packet %llu at byte %llu has magic 0x%08llx, not 0x%08x: corrupt "
                         "stream file",
                         path, (unsigned long long)i, (unsigned long long)x->offset,
                         (unsigned long long)magic, (uint32_t)PACKET_MAGIC);
        if (!c->lttng_layout)
            continue;
        uint64_t sid = get_u(h + 20, 4, c->be), content = get_u(h + 48, 8, c->be),
                 packet = get_u(h + 56, 8, c->be), tb = get_u(h + 32, 8, c->be),
                 te = get_u(h + 40, 8, c->be);
        if (tb != x->ts_begin || te != x->ts_end)
            return failf(c, CTF_STREAM,
                         "%s: packet %llu at byte %llu spans clock %llu..%llu; its index says "
                         "%llu..%llu: corrupt stream file",
                         path, (unsigned long long)i, (unsigned long long)x->offset,
                         (unsigned long long)tb, (unsigned long long)te,
                         (unsigned long long)x->ts_begin, (unsigned long long)x->ts_end);
        if (sid != x->stream_id || content != x->content_size || packet != x->packet_size)
            return failf(c, CTF_STREAM,
                         "%s: packet %llu at byte %llu says stream id %llu, content %llu and "
                         "packet %llu bits; its index says %llu, %llu and %llu: corrupt stream "
                         "file",
                         path, (unsigned long long)i, (unsigned long long)x->offset,
                         (unsigned long long)sid, (unsigned long long)content,
                         (unsigned long long)packet, (unsigned long long)x->stream_id,
                         (unsigned long long)x->content_size, (unsigned long long)x->packet_size);
    }
    return CTF_OK;
}

/* Bytes after the last indexed packet (at end) must be further packets
 * (the index may lag behind a live stream), not garbage or zeros. */
static enum ctf_status check_tail(struct checker *c, const char *path, int fd, uint64_t size,
                                  uint64_t end)
{
    unsigned char h[4];
    if (end >= size)
        return CTF_OK;
    if (size - end < sizeof h || read_at(fd, h, sizeof h, end) != 0 ||
        get_u(h, 4, c->be) != (uint32_t)PACKET_MAGIC)
        return failf(c, CTF_STREAM,
                     "%s: %llu bytes after the last packet its index lists (at byte %llu) are "
                     "not a packet: corrupt stream file",
                     path, (unsigned long long)(size - end), (unsigned long long)end);
    return CTF_OK;
}

static enum ctf_status add_gap(struct checker *c, struct ctf_layout *out, const char *name,
                               const struct ctf_index_entry *x, uint64_t n)
{
    struct ctf_gap *g = realloc(out->gaps, (size_t)(out->ngaps + 1) * sizeof *g);
    if (!g)
        return failf(c, CTF_INTERNAL, "out of memory");
    out->gaps = g;
    g += out->ngaps++;
    snprintf(g->stream, sizeof g->stream, "%s", name);
    g->packets = n;
    g->begin_ns = cycles_ns(c, x[0].ts_begin);
    g->end_ns = cycles_ns(c, x[n - 1].ts_end);
    return CTF_OK;
}

/* One stream file NAME (which may be missing) and its index (which may be
 * missing, never both). */
static enum ctf_status check_stream(struct checker *c, const char *name, int partial,
                                    struct ctf_layout *out)
{
    char path[PATH_MAX], ipath[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", c->dir, name) >= (int)sizeof path ||
        snprintf(ipath, sizeof ipath, "%s/index/%s.idx", c->dir, name) >= (int)sizeof ipath)
        return failf(c, CTF_STREAM, "%s/%s: path too long", c->dir, name);
    struct stat st;
    struct ctf_index_entry *x = NULL;
    uint64_t n = 0;
    enum ctf_status rc = CTF_OK;
    int has_index = stat(ipath, &st) == 0;
    if (has_index && ctf_index_read(ipath, &x, &n, c->err, c->errn) != 0)
        return CTF_STREAM;
    int fd = open_regular(path, &st);
    if (fd < 0 && errno != ENOENT) {
        rc = failf(c, CTF_STREAM, "%s: %s", path,
                   errno == EINVAL ? "not a regular file" : strerror(errno));
    } else if (fd < 0 || st.st_size == 0) {
        if (n == 0)
            ; /* nothing listed, nothing there */
        else if (!partial)
            rc = failf(c, CTF_STREAM,
                       "%s: stream file is %s but its index lists %llu packet(s): the trace is "
                       "incomplete (--partial ingests what is there)",
                       path, fd < 0 ? "missing" : "empty", (unsigned long long)n);
        else
            rc = add_gap(c, out, name, x, n);
    } else {
        if (has_index && (rc = check_entries(c, path, fd, (uint64_t)st.st_size, x, n)) == CTF_OK)
            rc = check_tail(c, path, fd, (uint64_t)st.st_size,
                            n ? x[n - 1].offset + x[n - 1].packet_size / 8 : 0);
        else if (!has_index) { /* no index: the first packet's magic at least */
            struct ctf_index_entry first = {.packet_size = 32, .stream_id = 0};
            int layout = c->lttng_layout;
            c->lttng_layout = 0;
            rc = check_entries(c, path, fd, (uint64_t)st.st_size, &first, 1);
            c->lttng_layout = layout;
        }
        out->streams++;
    }
    for (uint64_t i = 0; rc == CTF_OK && i < n; i++) {
        int64_t b = cycles_ns(c, x[i].ts_begin), e = cycles_ns(c, x[i].ts_end);
        if (out->begin_ns >= out->end_ns || b < out->begin_ns)
            out->begin_ns = b;
        if (e > out->end_ns)
            out->end_ns = e;
    }
    if (fd >= 0)
        close(fd);
    free(x);
    return rc;
}

static int is_stream_name(const char *name)
{
    return name[0] != '.' && strcmp(name, "metadata") != 0 && strcmp(name, "index") != 0;
}

enum ctf_status ctf_check(const char *dir, int partial, struct ctf_layout *out, char *err,
                          size_t errn)
{
    assert(dir && out && err && errn);
    struct checker c = {.dir = dir, .err = err, .errn = errn, .freq = 1000000000};
    *out = (struct ctf_layout){0};
    err[0] = 0;
    if (!(c.text = calloc(1, TEXT_MAX + 1)))
        return failf(&c, CTF_INTERNAL, "out of memory");
    enum ctf_status rc = check_metadata(&c);
    if (rc == CTF_OK) {
        int64_t f = text_int(&c, "clock {", "freq", 1000000000);
        c.freq = f > 0 ? (uint64_t)f : 1000000000;
        /* (bounded: they place the progress bar and the gaps, nothing more) */
        c.offset_s = text_int(&c, "clock {", "offset_s", 0);
        c.offset = text_int(&c, "clock {", "offset", 0);
        if (c.offset_s < -((int64_t)1 << 32) || c.offset_s > (int64_t)1 << 32)
            c.offset_s = 0;
        if (c.offset < 0)
            c.offset = 0;
        c.lttng_layout = packet_layout(&c);
    }
    /* Every stream file, then every index whose stream file is missing. */
    DIR *d = rc == CTF_OK ? opendir(dir) : NULL;
    if (rc == CTF_OK && !d)
        rc = failf(&c, CTF_NO_TRACE, "%s: %s", dir, strerror(errno));
    struct dirent *de;
    while (rc == CTF_OK && d && (de = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        if (!is_stream_name(de->d_name) ||
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path ||
            (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
            continue;
        rc = check_stream(&c, de->d_name, partial, out);
    }
    if (d)
        closedir(d);
    char idir[PATH_MAX];
    snprintf(idir, sizeof idir, "%s/index", dir);
    d = rc == CTF_OK ? opendir(idir) : NULL;
    while (rc == CTF_OK && d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        char name[256], path[PATH_MAX];
        struct stat st;
        if (de->d_name[0] == '.' || len <= 4 || strcmp(de->d_name + len - 4, ".idx") != 0 ||
            len - 4 >= sizeof name)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(len - 4), de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (is_stream_name(name) && stat(path, &st) != 0 && errno == ENOENT)
            rc = check_stream(&c, name, partial, out);
    }
    if (d)
        closedir(d);
    free(c.text);
    if (rc != CTF_OK)
        ctf_layout_free(out);
    return rc;
}

void ctf_layout_free(struct ctf_layout *l)
{
    free(l->gaps);
    l->gaps = NULL;
    l->ngaps = 0;
}
