/*
 * grade/answers.c — the reader of answers files (grade/answers.h).  Owns
 * nothing past a call; takes no locks.
 */
#include "grade/answers.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade/grade.h"

/* The `seed N` line s (comment gone, leading spaces skipped) into *seed.
 * 0, or -1 with why. */
static int take_seed(const char *s, unsigned long *seed, const char *where, char *why, size_t n)
{
    char *end;
    errno = 0;
    if (strncmp(s, "seed", 4) != 0 || !isspace((unsigned char)s[4]) ||
        (*seed = strtoul(s + 5, &end, 10), errno || end == s + 5 || *seed > EXERCISE_SEED_MAX) ||
        end[strspn(end, " \t\r")]) {
        snprintf(why, n, "%s: the first line must be `seed N` (your seed, one number, 0 to %d)",
                 where, EXERCISE_SEED_MAX);
        return -1;
    }
    return 0;
}

/* One `KEY: VALUE` line s to fn.  0, or -1 with why. */
static int take_line(char *s, answers_line_fn fn, void *ctx, const char *where, char *why, size_t n)
{
    char *colon = strchr(s, ':');
    size_t klen = colon ? (size_t)(colon - s) : 0;
    while (klen > 0 && isspace((unsigned char)s[klen - 1]))
        klen--;
    if (klen == 0) {
        snprintf(why, n, "%s: not a `KEY: VALUE` line", where);
        return -1;
    }
    s[klen] = 0;
    return fn(ctx, s, colon + 1, where, why, n);
}

int answers_read(const char *path, size_t max_bytes, size_t max_line, unsigned long *seed,
                 answers_line_fn fn, void *ctx, char *why, size_t n)
{
    assert(path && seed && fn && why && n > 0);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, n, "%s: %s", path, strerror(errno));
        return -2;
    }
    char *buf = malloc(max_bytes + 1);
    size_t len = buf ? fread(buf, 1, max_bytes + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(why, n, "%s: cannot read it", path);
        free(buf);
        return -2;
    }
    int rc = 0, line = 0, has_seed = 0;
    if (len > max_bytes) {
        snprintf(why, n, "%s: larger than %zu bytes; an answers file is a few lines", path,
                 max_bytes);
        rc = -1;
    } else if (memchr(buf, 0, len)) {
        snprintf(why, n, "%s: not a text file (a NUL byte)", path);
        rc = -1;
    }
    buf[len < max_bytes ? len : max_bytes] = 0;
    for (char *p = buf, *nl; rc == 0 && *p; p = nl ? nl + 1 : p + strlen(p)) {
        char where[4200];
        snprintf(where, sizeof where, "%s:%d", path, ++line);
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (strlen(p) > max_line) {
            snprintf(why, n, "%s: a line longer than %zu characters", where, max_line);
            rc = -1;
            break;
        }
        char *hash = strchr(p, '#');
        if (hash)
            *hash = 0;
        char *s = p + strspn(p, " \t\r");
        if (!*s)
            continue;
        if (has_seed)
            rc = take_line(s, fn, ctx, where, why, n);
        else
            rc = take_seed(s, seed, where, why, n);
        has_seed = 1;
    }
    if (rc == 0 && !has_seed) {
        snprintf(why, n, "%s: no `seed N` line", path);
        rc = -1;
    }
    free(buf);
    return rc;
}
