/*
 * replay/findings.h — what `check` found: a list of findings, each naming
 * the rule it breaks, the threads, the objects and the event seqs that show
 * it, and a short story in the protocol's words; and their output, as text
 * or JSON, shared by `dlsync check` and the test feeder.  Repeats of the
 * same finding (same rule and key) are folded into one with a count.
 *
 * Each finding also says what a gap in the trace could have faked it from:
 * the kinds of events whose loss could make it appear, and the time window
 * in which they would have had to be lost (gaps.c judges it against the
 * run's gaps).  No locks.
 */
#ifndef DLSYNC_REPLAY_FINDINGS_H
#define DLSYNC_REPLAY_FINDINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { FINDING_MAX_SEQS = 8 };

struct finding {
    char rule[16];     /* I1..I9, exclusion, deadlock, stall, healed-stall, lock-order */
    char key[96];      /* what makes two findings the same */
    char threads[160]; /* "group-0 group-2" */
    char objects[160]; /* "state lock, barrier" */
    int64_t seqs[FINDING_MAX_SEQS];
    int nseqs;
    char *message;
    int64_t repeats, last_seq; /* folded repeats, and the seq of the last one */
    /* Its evidence against gaps: bit k of gap_kinds set when a lost event of
     * kind k could fake it, if lost between gap_from and gap_to (ns, as
     * events' ts; 0 and INT64_MAX: open).  Until finding_evidence is
     * called: every kind, the whole run. */
    uint64_t gap_kinds;
    int64_t gap_from, gap_to;
    int evidence_set;
    /* Set by gaps_judge: why a gap makes it unreliable (NULL: reliable). */
    char *unreliable;
};

struct findings {
    struct finding *v;
    size_t n, cap;
};

/* Add a finding (or fold it into an earlier one with the same rule and
 * key).  seqs: the events that show it, earliest first; message: printf.
 * Returns the finding, for finding_evidence. */
__attribute__((format(printf, 8, 9))) struct finding *
findings_add(struct findings *f, const char *rule, const char *key, const char *threads,
             const char *objects, const int64_t *seqs, int nseqs, const char *fmt, ...);
void findings_free(struct findings *f);

/* The bit of kind in a finding's gap_kinds. */
static inline uint64_t finding_kind(int kind)
{
    return (uint64_t)1 << kind;
}

/* d could be faked by lost events of the kinds in `kinds` (finding_kind
 * bits; 0: by none) lost between from_ts and to_ts.  Repeats widen it. */
void finding_evidence(struct finding *d, uint64_t kinds, int64_t from_ts, int64_t to_ts);

/* d's whole message, with its repeats (malloc'ed). */
char *finding_message(const struct finding *d);

/* Append name to list (a finding's threads or objects, items separated by
 * sep) unless it is already one of its items: whole items are compared, so
 * group-1 is not found in "group-10". */
void finding_list_add(char *list, size_t n, const char *sep, const char *name);

/* d's seqs, space separated, into buf. */
void finding_seqs(const struct finding *d, char *buf, size_t n);

/* The earliest seq d names (0 if none). */
int64_t finding_first_seq(const struct finding *d);

/* Print f as `dlsync check` does: text ("run N: E events, K findings" and a
 * block per finding) or JSON. */
void findings_print(FILE *out, const struct findings *f, int64_t run, int64_t events, int json);

/* Are there findings, and is at least one of them reliable? */
int findings_reliable(const struct findings *f);

#endif
