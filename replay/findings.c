/*
 * replay/findings.c — the list of findings (see findings.h).  No locks.
 */
#include "replay/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/names.h"

void findings_add(struct findings *f, const char *rule, const char *key, const char *threads,
                  const char *objects, const int64_t *seqs, int nseqs, const char *fmt, ...)
{
    for (size_t i = 0; i < f->n; i++) {
        struct finding *d = &f->v[i];
        if (strcmp(d->rule, rule) == 0 && strcmp(d->key, key) == 0) {
            d->repeats++;
            if (nseqs)
                d->last_seq = seqs[nseqs - 1];
            return;
        }
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        struct finding *v = realloc(f->v, f->cap * sizeof *v);
        if (!v)
            abort();
        f->v = v;
    }
    struct finding *d = &f->v[f->n++];
    memset(d, 0, sizeof *d);
    snprintf(d->rule, sizeof d->rule, "%s", rule);
    snprintf(d->key, sizeof d->key, "%s", key);
    snprintf(d->threads, sizeof d->threads, "%s", threads);
    snprintf(d->objects, sizeof d->objects, "%s", objects);
    for (int i = 0; i < nseqs && i < FINDING_MAX_SEQS; i++)
        d->seqs[d->nseqs++] = seqs[i];
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&d->message, fmt, ap) < 0)
        d->message = NULL;
    va_end(ap);
}

void findings_free(struct findings *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].message);
    free(f->v);
    memset(f, 0, sizeof *f);
}

const char *findings_threads(const int64_t *grps, int n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < n && used < len; i++) {
        char nb[32];
        int w = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
                         rn_thread(grps[i], nb, sizeof nb));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}
