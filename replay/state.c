/*
 * replay/state.c — the work of `dlsync state` (its command line:
 * cli/state.c): the protocol's state at one moment of a run, rebuilt from
 * its events (model.c) through the one reader of a run (session.c), with
 * the findings `dlsync check` judges (session_findings) that began by then.
 *
 * The words (text and JSON) are describe.c's, the same the replay page
 * shows.  Takes no locks of its own; reads the database under SQLite's
 * shared lock.
 */
#include <stdio.h>

#include "cli/exitcode.h"
#include "replay/describe.h"
#include "replay/session.h"
#include "replay/state.h"

/* Text: every item that says something, a line each (ctx: the FILE). */
static void print_item(void *ctx, const char *key, const char *text)
{
    (void)key;
    if (*text)
        fprintf(ctx, "%s\n", text);
}

int state_show(const struct state_opts *so)
{
    struct session s;
    int st = session_open(&s, so->db, so->run);
    if (st != SESSION_OK) {
        fprintf(stderr, "dlsync state: %s\n", s.err);
        session_close(&s);
        return st == SESSION_NO_RUN ? EX_NOT_FOUND : EX_NO_INPUT;
    }
    int64_t upto_seq = s.last_seq;
    int rc = so->at.set ? session_moment(&s, &so->at, MOMENT_UPTO, "state", "--at", &upto_seq) : 0;
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "dlsync state: %s\n", s.err);
        session_close(&s);
        return rc < 0 ? EX_NO_INPUT : EX_NOT_FOUND;
    }
    struct model m;
    struct findings f = {0};
    model_init(&m, NULL);
    int64_t n = session_model(&s, upto_seq, &m);
    if (n > 0 && session_findings(&s, &f) != 0)
        n = -1;
    if (n < 0) {
        fprintf(stderr, "dlsync state: %s\n", s.err);
        rc = EX_NO_INPUT;
    } else if (n == 0) {
        fprintf(stderr, "dlsync state: no event of run %lld at or before that moment\n",
                (long long)s.run);
        rc = EX_NOT_FOUND;
    } else if (so->json) {
        describe_state_json(stdout, &m, s.run, &f);
    } else {
        describe_state(&m, s.run, &f, print_item, stdout);
    }
    findings_free(&f);
    model_free(&m);
    session_close(&s);
    return rc;
}
