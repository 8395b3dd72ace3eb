/*
 * tracer/ctf_index.c — read one CTF packet index file (see ctf_index.h).
 * No locks.
 */
#include "tracer/ctf_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    INDEX_HEADER = 16,
    ENTRY_MIN = 7 * 8, /* version 1.0: seven u64 */
    ENTRY_MAX = 4096,
};
#define INDEX_MAGIC 0xC1F1DCC1u

static uint64_t be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static int failf(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

int ctf_index_read(const char *path, struct ctf_index_entry **entries, uint64_t *n, char *why,
                   size_t whyn)
{
    *entries = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return failf(why, whyn, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return failf(why, whyn, "%s: not a regular file", path);
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return failf(why, whyn, "%s: %s", path, strerror(errno));
    }
    int rc = 0;
    unsigned char h[INDEX_HEADER], e[ENTRY_MAX];
    uint64_t size = (uint64_t)st.st_size, len = 0, count = 0;
    if (size < INDEX_HEADER || fread(h, 1, sizeof h, f) != sizeof h)
        rc = failf(why, whyn, "%s: %llu bytes, shorter than an index header: corrupt index", path,
                   (unsigned long long)size);
    else if (be(h, 4) != INDEX_MAGIC || be(h + 4, 4) != 1 || (len = be(h + 12, 4)) < ENTRY_MIN ||
             len > ENTRY_MAX)
        rc = failf(why, whyn,
                   "%s: not a CTF index (magic 0x%08llx, version %llu.%llu, entry length %llu; "
                   "want 0x%08x, 1.x, %d..%d): corrupt index",
                   path, (unsigned long long)be(h, 4), (unsigned long long)be(h + 4, 4),
                   (unsigned long long)be(h + 8, 4), (unsigned long long)len, INDEX_MAGIC,
                   ENTRY_MIN, ENTRY_MAX);
    else if ((size - INDEX_HEADER) % len)
        rc = failf(why, whyn,
                   "%s: %llu bytes of entries is not a whole number of %llu-byte entries: the "
                   "index is truncated",
                   path, (unsigned long long)(size - INDEX_HEADER), (unsigned long long)len);
    else if ((count = (size - INDEX_HEADER) / len) > 0 &&
             !(*entries = calloc(count, sizeof **entries)))
        rc =
            failf(why, whyn, "%s: out of memory for %llu entries", path, (unsigned long long)count);
    for (uint64_t i = 0; rc == 0 && i < count; i++) {
        if (fread(e, 1, len, f) != len) {
            rc = failf(why, whyn, "%s: cannot read entry %llu: the index is truncated", path,
                       (unsigned long long)i);
            break;
        }
        (*entries)[i] = (struct ctf_index_entry){
            .offset = be(e, 8),
            .packet_size = be(e + 8, 8),
            .content_size = be(e + 16, 8),
            .ts_begin = be(e + 24, 8),
            .ts_end = be(e + 32, 8),
            .events_discarded = be(e + 40, 8),
            .stream_id = be(e + 48, 8),
        };
    }
    fclose(f);
    if (rc != 0) {
        free(*entries);
        *entries = NULL;
    } else {
        *n = count;
    }
    return rc;
}
