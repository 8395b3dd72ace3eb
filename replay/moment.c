/*
 * replay/moment.c — the one parser of --run and of moments (--at, --from,
 * --to) and their resolution against a run (see moment.h).  No locks of its
 * own.
 */
#include "replay/moment.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* The largest seq or ns a moment may name (leaves room to add a start_ts). */
static const int64_t moment_max = INT64_C(1) << 62;

/* Leading DIGITS of *p into *v (at most moment_max), *p moved past them,
 * *ndigits counted.  -1 when the value is too large. */
static int digits(const char **p, int64_t *v, int *ndigits)
{
    *v = 0;
    *ndigits = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, (*ndigits)++) {
        if (*v > (moment_max - (**p - '0')) / 10)
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

int moment_parse_run(const char *cmd, const char *opt, const char *s, int64_t *run)
{
    const char *p = s;
    int64_t v;
    int n;
    if (digits(&p, &v, &n) != 0 || n == 0 || *p || v < 1) {
        fprintf(stderr, "dlsync %s: bad value '%s' for %s (a run_id: a whole number from 1)\n", cmd,
                s, opt);
        return -1;
    }
    *run = v;
    return 0;
}

/* The ns in one UNIT, 0 if u is none. */
static int64_t unit_ns(const char *u)
{
    static const struct {
        const char *name;
        int64_t ns;
    } units[] = {{"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"ms", 1000000}, {"s", 1000000000}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(u, units[i].name) == 0)
            return units[i].ns;
    return 0;
}

/* MOMENT into *m; 0 or -1. */
static int parse(const char *s, struct moment *m)
{
    const char *p = s;
    int64_t whole, frac = 0;
    int n, nfrac = 0;
    if (digits(&p, &whole, &n) != 0 || n == 0)
        return -1;
    if (*p == '.') {
        p++;
        /* Up to 9 fraction digits count (a ns of a second); more must be 0s. */
        for (; *p >= '0' && *p <= '9'; p++, nfrac++)
            if (nfrac < 9)
                frac = frac * 10 + (*p - '0');
            else if (*p != '0')
                return -1;
        if (nfrac == 0)
            return -1;
    }
    if (!*p) { /* a seq: whole, from 1 */
        if (nfrac || whole < 1)
            return -1;
        *m = (struct moment){.set = 1, .v = whole};
        return 0;
    }
    int64_t ns = unit_ns(p);
    if (ns == 0 || whole > moment_max / ns)
        return -1;
    for (int i = nfrac < 9 ? nfrac : 9; i < 9; i++)
        frac *= 10;                         /* frac in 1e-9 of the unit */
    int64_t fns = frac / (1000000000 / ns); /* whole ns of the fraction */
    if (frac % (1000000000 / ns))
        return -1; /* finer than a ns */
    *m = (struct moment){.set = 1, .is_time = 1, .v = whole * ns + fns};
    return 0;
}

int moment_parse(const char *cmd, const char *opt, const char *s, struct moment *m)
{
    if (parse(s, m) == 0)
        return 0;
    fprintf(stderr,
            "dlsync %s: bad value '%s' for %s (an event seq from 1, e.g. 1234, or a time since "
            "the run's first event with a unit ns, us, ms or s, e.g. 1.5ms)\n",
            cmd, s, opt);
    return -1;
}

int moment_seq(struct db *db, const struct db_run *run, const struct moment *m,
               enum moment_edge edge, const char *cmd, const char *opt, int64_t *seq)
{
    assert(m->set && m->v >= 0);
    if (!m->is_time) {
        if (m->v < run->first_seq || m->v > run->last_seq) {
            fprintf(stderr,
                    "dlsync %s: %s: %s %lld is not an event of run %lld (seqs %lld..%lld)\n", cmd,
                    db->path, opt, (long long)m->v, (long long)run->id, (long long)run->first_seq,
                    (long long)run->last_seq);
            return 1;
        }
        *seq = m->v;
        return 0;
    }
    *seq = db_seq_at_ts(db, run, run->start_ts + m->v, edge == MOMENT_FROM);
    return *seq < 0 ? -1 : 0;
}
