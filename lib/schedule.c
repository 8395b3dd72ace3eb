/*
 * schedule.c — schedule strings (see schedule.h).  No locks.
 */
#include "lib/schedule.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char prefix[] = "v1:";

char *schedule_thread_name(int32_t id, char buf[SCHEDULE_NAME_MAX])
{
    assert(id >= 0 && id <= SCHEDULE_MAX_ID);
    if (id < 52)
        snprintf(buf, SCHEDULE_NAME_MAX, "%c", id < 26 ? 'A' + id : 'a' + id - 26);
    else
        snprintf(buf, SCHEDULE_NAME_MAX, "_%d_", (int)id);
    return buf;
}

/* Append the token of `count` decisions for `id` at p; returns its end. */
static char *put_token(char *p, int32_t id, size_t count)
{
    char name[SCHEDULE_NAME_MAX];
    p = stpcpy(p, schedule_thread_name(id, name));
    if (count > 1)
        p += sprintf(p, "%zu", count);
    return p;
}

char *schedule_encode(const int32_t *dec, size_t n)
{
    /* Worst case per decision: "_1048576_" and no runs. */
    char *s = malloc(sizeof prefix + n * 10 + 1);
    if (!s)
        return NULL;
    char *p = s + strlen(prefix);
    memcpy(s, prefix, strlen(prefix));
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && dec[j] == dec[i])
            j++;
        p = put_token(p, dec[i], j - i);
        i = j;
    }
    *p = '\0';
    return s;
}

static int fail(char *err, size_t errlen, size_t at, const char *what)
{
    snprintf(err, errlen, "schedule: %s at character %zu", what, at + 1);
    return -1;
}

/* A decimal number at s[*i] (advanced past it), at most max. */
static int number(const char *s, size_t *i, long max, long *out)
{
    long v = 0;
    size_t start = *i;
    while (s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        if (v > max)
            return -1;
        (*i)++;
    }
    *out = v;
    return *i > start ? 0 : -1;
}

int schedule_decode(const char *s, int32_t **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (strncmp(s, prefix, strlen(prefix)) != 0)
        return fail(err, errlen, 0, "not a schedule (it starts with 'v1:')");
    int32_t *dec = NULL;
    size_t len = 0, cap = 0;
    size_t i = strlen(prefix);
    while (s[i]) {
        size_t at = i;
        long id, count = 1;
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            id = c - 'A';
            i++;
        } else if (c >= 'a' && c <= 'z') {
            id = c - 'a' + 26;
            i++;
        } else if (c == '_') {
            i++;
            if (number(s, &i, SCHEDULE_MAX_ID, &id) || s[i] != '_') {
                free(dec);
                return fail(err, errlen, at, "a bad _N_ thread id");
            }
            i++;
        } else {
            free(dec);
            return fail(err, errlen, at, "an unexpected character");
        }
        if (s[i] >= '0' && s[i] <= '9' &&
            (number(s, &i, SCHEDULE_MAX_DECISIONS, &count) || count < 2)) {
            free(dec);
            return fail(err, errlen, at, "a bad repeat count");
        }
        if (len + (size_t)count > SCHEDULE_MAX_DECISIONS) {
            free(dec);
            return fail(err, errlen, at, "too many decisions");
        }
        if (len + (size_t)count > cap) {
            size_t nc = cap ? cap : 256;
            while (nc < len + (size_t)count)
                nc *= 2;
            int32_t *nd = realloc(dec, nc * sizeof *nd);
            if (!nd) {
                free(dec);
                return fail(err, errlen, at, "out of memory");
            }
            dec = nd;
            cap = nc;
        }
        for (long k = 0; k < count; k++)
            dec[len++] = (int32_t)id;
    }
    *out = dec;
    *n = len;
    return 0;
}
