/*
 * replay/findings.h — what `check` found: a list of findings, each naming
 * the rule it breaks, the threads, the objects and the event seqs that show
 * it, and a short story in the protocol's words.  Repeats of the same
 * finding (same rule and key) are folded into one with a count.  No locks.
 */
#ifndef DLSYNC_REPLAY_FINDINGS_H
#define DLSYNC_REPLAY_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

enum { FINDING_MAX_SEQS = 8 };

struct finding {
    char rule[16];     /* I1..I9, deadlock, stall, lock-order */
    char key[96];      /* what makes two findings the same */
    char threads[160]; /* "group-0 group-2" */
    char objects[160]; /* "state lock, barrier" */
    int64_t seqs[FINDING_MAX_SEQS];
    int nseqs;
    char *message;
    int64_t repeats, last_seq; /* folded repeats, and the seq of the last one */
};

struct findings {
    struct finding *v;
    size_t n, cap;
};

/* Add a finding (or fold it into an earlier one with the same rule and
 * key).  seqs: the events that show it, earliest first; message: printf. */
__attribute__((format(printf, 8, 9))) void findings_add(struct findings *f, const char *rule,
                                                        const char *key, const char *threads,
                                                        const char *objects, const int64_t *seqs,
                                                        int nseqs, const char *fmt, ...);
void findings_free(struct findings *f);

/* Space-separated thread names from a list of groups into buf. */
const char *findings_threads(const int64_t *grps, int n, char *buf, size_t len);

#endif
