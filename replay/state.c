/*
 * replay/state.c — the work of `dlsync state` (its command line:
 * cli/state.c): the protocol's state at one moment of a run, rebuilt from
 * its events (model.c), with the findings `dlsync check` judges
 * (check_findings) that began by then.
 *
 * The words (text and JSON) are describe.c's, the same the replay page
 * shows.  Takes no locks of its own; reads the database under SQLite's
 * shared lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/check.h"
#include "replay/cmdline.h"
#include "replay/db.h"
#include "replay/describe.h"
#include "replay/model.h"
#include "replay/moment.h"
#include "replay/names.h"
#include "replay/state.h"

static int apply_one(void *arg, const struct rev *e)
{
    model_apply(arg, e);
    return 0;
}

/* Text: every item that says something, a line each (ctx: the FILE). */
static void print_item(void *ctx, const char *key, const char *text)
{
    (void)key;
    if (*text)
        fprintf(ctx, "%s\n", text);
}

int state_show(const struct state_opts *so)
{
    struct db dbh;
    struct db_run r;
    int rc = run_open("state", so->db, so->run, 0, &dbh, &r);
    if (rc != EX_OK)
        return rc;
    struct db *db = &dbh;
    int64_t run = r.id, first = r.first_seq, last = r.last_seq;
    int64_t upto_seq = last;
    if (so->at.set) {
        rc = moment_seq(db, &r, &so->at, MOMENT_UPTO, "state", "--at", &upto_seq);
        if (rc != 0) {
            if (rc < 0)
                fprintf(stderr, "dlsync state: %s\n", db->err);
            db_close(db);
            return rc < 0 ? EX_NO_INPUT : EX_NOT_FOUND;
        }
    }
    struct model m;
    struct findings f = {0};
    model_init(&m, NULL);
    int64_t n = upto_seq < first ? 0 : db_scan_events(db, run, upto_seq, INT64_MAX, apply_one, &m);
    if (n > 0 && check_findings(db, &r, &f) != 0)
        n = -1;
    rc = 0;
    if (n < 0) {
        fprintf(stderr, "dlsync state: %s\n", db->err);
        rc = EX_NO_INPUT;
    } else if (n == 0) {
        fprintf(stderr, "dlsync state: no event of run %lld at or before that moment\n",
                (long long)run);
        rc = EX_NOT_FOUND;
    } else if (so->json) {
        describe_state_json(stdout, &m, run, &f);
    } else {
        describe_state(&m, run, &f, print_item, stdout);
    }
    findings_free(&f);
    model_free(&m);
    db_close(db);
    return rc;
}
