/*
 * replay/findings.c — the list of findings and its output (see findings.h).
 * No locks.
 */
#include "replay/findings.h"

#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "replay/cmdline.h"

struct finding *findings_add(struct findings *f, const char *rule, const char *key,
                             const char *threads, const char *objects, const int64_t *seqs,
                             int nseqs, const char *fmt, ...)
{
    for (size_t i = 0; i < f->n; i++) {
        struct finding *d = &f->v[i];
        if (strcmp(d->rule, rule) == 0 && strcmp(d->key, key) == 0) {
            d->repeats++;
            if (nseqs)
                d->last_seq = seqs[nseqs - 1];
            return d;
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
    d->gap_kinds = ~(uint64_t)0;
    d->gap_from = 0;
    d->gap_to = INT64_MAX;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&d->message, fmt, ap) < 0)
        d->message = NULL;
    va_end(ap);
    return d;
}

void finding_evidence(struct finding *d, uint64_t kinds, int64_t from_ts, int64_t to_ts)
{
    if (!d->evidence_set) {
        d->evidence_set = 1;
        d->gap_kinds = kinds;
        d->gap_from = from_ts;
        d->gap_to = to_ts;
        return;
    }
    d->gap_kinds |= kinds;
    if (from_ts < d->gap_from)
        d->gap_from = from_ts;
    if (to_ts > d->gap_to)
        d->gap_to = to_ts;
}

void findings_free(struct findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].message);
        free(f->v[i].unreliable);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

char *finding_message(const struct finding *d)
{
    char *s = NULL;
    if (d->repeats) {
        if (asprintf(&s, "%s (and %lld more time%s, the last at seq %lld)",
                     d->message ? d->message : "", (long long)d->repeats, d->repeats > 1 ? "s" : "",
                     (long long)d->last_seq) < 0)
            s = NULL;
    } else {
        s = strdup(d->message ? d->message : "");
    }
    if (!s)
        abort();
    return s;
}

void finding_list_add(char *list, size_t n, const char *sep, const char *name)
{
    size_t nl = strlen(name), sl = strlen(sep), len = strlen(list);
    assert(len < n);
    for (const char *p = list; (p = strstr(p, name)); p++) {
        int starts = p == list || (p - list >= (ptrdiff_t)sl && !memcmp(p - sl, sep, sl));
        int ends = p[nl] == 0 || !strncmp(p + nl, sep, sl);
        if (starts && ends)
            return;
    }
    snprintf(list + len, n - len, "%s%s", len ? sep : "", name);
}

void finding_seqs(const struct finding *d, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < d->nseqs && used < n; i++)
        used +=
            (size_t)snprintf(buf + used, n - used, "%s%lld", i ? " " : "", (long long)d->seqs[i]);
}

int64_t finding_first_seq(const struct finding *d)
{
    int64_t s = 0;
    for (int i = 0; i < d->nseqs; i++)
        if (d->seqs[i] && (!s || d->seqs[i] < s))
            s = d->seqs[i];
    return s;
}

int findings_reliable(const struct findings *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->v[i].unreliable)
            return 1;
    return 0;
}

void findings_print(FILE *out, const struct findings *f, int64_t run, int64_t events, int json)
{
    if (json) {
        fprintf(out, "{\"run\": %lld, \"events\": %lld, \"findings\": [", (long long)run,
                (long long)events);
        for (size_t i = 0; i < f->n; i++) {
            const struct finding *d = &f->v[i];
            char *msg = finding_message(d);
            fprintf(out, "%s\n  {\"rule\": ", i ? "," : "");
            cmd_json_str(out, d->rule);
            fprintf(out, ", \"threads\": ");
            cmd_json_str(out, d->threads);
            fprintf(out, ", \"objects\": ");
            cmd_json_str(out, d->objects);
            fprintf(out, ", \"seqs\": [");
            for (int k = 0; k < d->nseqs; k++)
                fprintf(out, "%s%lld", k ? ", " : "", (long long)d->seqs[k]);
            fprintf(out, "], \"repeats\": %lld, \"reliable\": %s", (long long)d->repeats,
                    d->unreliable ? "false" : "true");
            if (d->unreliable) {
                fprintf(out, ", \"unreliable\": ");
                cmd_json_str(out, d->unreliable);
            }
            fprintf(out, ", \"message\": ");
            cmd_json_str(out, msg);
            fprintf(out, "}");
            free(msg);
        }
        fprintf(out, "%s]}\n", f->n ? "\n" : "");
        return;
    }
    fprintf(out, "run %lld: %lld events, %zu finding%s\n", (long long)run, (long long)events, f->n,
            f->n == 1 ? "" : "s");
    for (size_t i = 0; i < f->n; i++) {
        const struct finding *d = &f->v[i];
        char seqs[160];
        char *msg = finding_message(d);
        finding_seqs(d, seqs, sizeof seqs);
        fprintf(out, "%s [%s] [%s] seq %s\n    %s\n", d->rule, d->threads, d->objects, seqs, msg);
        if (d->unreliable)
            fprintf(out, "    unreliable: %s\n", d->unreliable);
        free(msg);
    }
}
