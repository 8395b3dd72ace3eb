/*
 * replay/evstream.c — events from a text file (see evstream.h).  No locks.
 */
#include "replay/evstream.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void evstream_adopt(struct evstream *s, FILE *f, const char *name)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", name);
    s->ts = -1000; /* the first event without a time is at 0 */
    s->f = f;
}

int evstream_open(struct evstream *s, const char *path)
{
    evstream_adopt(s, fopen(path, "r"), path);
    if (!s->f) {
        snprintf(s->err, sizeof s->err, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void evstream_close(struct evstream *s)
{
    if (s->f)
        fclose(s->f);
    free(s->buf);
    s->f = NULL;
    s->buf = NULL;
}

__attribute__((format(printf, 2, 3))) static int bad(struct evstream *s, const char *fmt, ...)
{
    int n = snprintf(s->err, sizeof s->err, "%s:%lld: ", s->path, (long long)s->line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof s->err)
        vsnprintf(s->err + n, sizeof s->err - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* The whole of tok as a decimal integer into *v.  0, or -1. */
static int number(const char *tok, int64_t *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(tok, &end, 10);
    if (end == tok || *end || errno)
        return -1;
    *v = x;
    return 0;
}

/* "+12us" into ns. */
static int parse_time(const char *tok, int64_t *ns)
{
    static const struct {
        const char *unit;
        int64_t scale;
    } units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
    char *end;
    errno = 0;
    long long x = strtoll(tok, &end, 10);
    if (end == tok || errno || x < 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) {
            if (x > INT64_MAX / units[i].scale)
                return -1;
            *ns = x * units[i].scale;
            return 0;
        }
    return -1;
}

/* The field of e named name, or NULL. */
static int64_t *field(struct rev *e, const char *name)
{
    static const char *const names[] = {"obj", "mode", "how", "epoch", "phase", "lease", "a", "b"};
    int64_t *const fields[] = {&e->obj,   &e->mode,  &e->how, &e->epoch,
                               &e->phase, &e->lease, &e->a,   &e->b};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return fields[i];
    return NULL;
}

/* One token of the line (p: its start, NUL-terminated in place). */
static int token(struct evstream *s, struct rev *e, char *p, int *have_ts)
{
    int64_t v;
    char *eq = strchr(p, '=');
    if (*p == '@') {
        if (number(p + 1, &v) != 0)
            return bad(s, "'%s': a thread is @ and its Linux thread id", p);
        e->vtid = v;
    } else if (*p == '+') {
        if (parse_time(p + 1, &v) != 0)
            return bad(s, "'%s': a time is + and a number with a unit (ns, us, ms, s)", p);
        e->ts = v;
        *have_ts = 1;
    } else if (*p == 'g' && (p[1] == '-' || (p[1] >= '0' && p[1] <= '9'))) {
        if (number(p + 1, &v) != 0)
            return bad(s, "'%s': a group is g and a number", p);
        e->grp = v;
    } else if (eq) {
        *eq = 0;
        int64_t *f = field(e, p);
        if (!f)
            return bad(s, "unknown field '%s' (obj, mode, how, epoch, phase, lease, a, b)", p);
        if (number(eq + 1, f) != 0)
            return bad(s, "%s = '%s' is not a number", p, eq + 1);
    } else {
        int k = rev_kind_by_name(p);
        if (k < 0)
            return bad(s, "unknown event kind or token '%s'", p);
        if (e->kind >= 0)
            return bad(s, "two event kinds on one line ('%s' after '%s')", p,
                       ev_kind_name((enum ev_kind)e->kind));
        e->kind = k;
    }
    return 0;
}

int evstream_next(struct evstream *s, struct rev *e)
{
    for (;;) {
        errno = 0;
        ssize_t len = getline(&s->buf, &s->cap, s->f);
        if (len < 0) {
            if (ferror(s->f))
                return bad(s, "cannot read: %s", strerror(errno ? errno : EIO));
            return 0;
        }
        s->line++;
        *e = (struct rev){.kind = -1, .grp = 0, .vtid = -1, .vpid = -1};
        int have_ts = 0, nstr = 0, any = 0;
        char *p = s->buf;
        while (*p) {
            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                p++;
            if (!*p || *p == '#')
                break;
            any = 1;
            if (*p == '"') {
                char *end = strchr(p + 1, '"');
                if (!end)
                    return bad(s, "a string without its closing quote");
                if (nstr == 2)
                    return bad(s, "more than two strings");
                size_t n = (size_t)(end - p - 1);
                if (n > EVSTREAM_MAX_STRING)
                    return bad(s, "a string longer than %d characters", EVSTREAM_MAX_STRING);
                memcpy(s->str[nstr], p + 1, n);
                s->str[nstr][n] = 0;
                nstr++;
                p = end + 1;
                continue;
            }
            char *tok = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '#' &&
                   *p != '"')
                p++;
            char c = *p;
            *p = 0;
            if (token(s, e, tok, &have_ts) != 0)
                return -1;
            *p = c;
        }
        if (!any)
            continue;
        if (e->kind < 0)
            return bad(s, "no event kind on the line");
        if (nstr && !ev_kind_has_string(e->kind))
            return bad(s, "%s carries no string", ev_kind_name((enum ev_kind)e->kind));
        if (nstr == 2 && e->kind != EV_RUN_BEGIN)
            return bad(s, "only run_begin carries two strings");
        e->str = nstr > 0 ? s->str[0] : NULL;
        e->str2 = nstr > 1 ? s->str[1] : NULL;
        if (!have_ts)
            e->ts = s->ts + 1000;
        if (e->ts < s->ts)
            return bad(s, "the time goes backwards (%lld ns after %lld ns)", (long long)e->ts,
                       (long long)s->ts);
        s->ts = e->ts;
        e->seq = ++s->seq;
        char why[160];
        if (rev_check(e, why, sizeof why) != 0)
            return bad(s, "%s", why);
        return 1;
    }
}
