/*
 * replay/state.c — the work of `dlsync state` (its command line:
 * cli/state.c): the protocol's state at one moment of a run, rebuilt from
 * its events (model.c).
 *
 * Owns the two output forms (text, JSON); both list
 * things in a fixed order so that outputs diff cleanly.  Takes no locks of
 * its own; reads the database under SQLite's shared lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- output ---------------------------------------------------------------- */

struct out {
    FILE *f;
    int json;
    int first; /* JSON: no comma before the next member */
};

static const char *thread_name(const struct mthread *t, char *buf, size_t n)
{
    return model_thread_name(t, buf, n);
}

/* The instigator of ep, by its thread when the model knows it. */
static const char *instigator_name(const struct epoch_rec *ep, char *buf, size_t n)
{
    return ep->inst ? model_thread_name(ep->inst, buf, n) : rn_thread(ep->instigator, buf, n);
}

/* Waiters on obj: threads blocked in a lock attempt on it, or retrying it. */
static void list_waiters(const struct model *m, int64_t obj, struct out *o)
{
    char nb[32], ms[32];
    int any = 0;
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        int blocked = t->pos == MP_LOCK && t->pos_obj == obj;
        int retrying = t->retry_obj == obj && t->pos != MP_EXITED;
        if (!blocked && !retrying)
            continue;
        int64_t seq = blocked ? t->pos_seq : t->retry_seq, ts = blocked ? t->pos_ts : t->retry_ts;
        const char *how = blocked ? (obj == OBJ_STATE_LOCK ? ev_mode_name(t->pos_mode) : "blocking")
                                  : (obj == OBJ_LEASE ? "try-lease loop" : "try-write loop");
        if (o->json) {
            fprintf(o->f, "%s{\"thread\": ", any ? ", " : "");
            cmd_json_str(o->f, thread_name(t, nb, sizeof nb));
            fprintf(o->f, ", \"how\": ");
            cmd_json_str(o->f, how);
            fprintf(o->f, ", \"since_seq\": %" PRId64 ", \"since_ns\": %" PRId64 "}", seq,
                    ts - m->t0);
        } else {
            fprintf(o->f, "%s%s (%s) since seq %" PRId64 " (%s)",
                    any ? ", " : "    waiting: ", thread_name(t, nb, sizeof nb), how, seq,
                    rn_ms(ts, m->t0, ms, sizeof ms));
        }
        any = 1;
    }
    if (any && !o->json)
        fputc('\n', o->f);
}

struct holder_list {
    struct out *o;
    int64_t obj;
    int n;
    const struct model *m;
};

static void print_holder(void *arg, struct mthread *t)
{
    struct holder_list *l = arg;
    char nb[32], ms[32];
    const struct mhold *h = model_held(t, l->obj);
    if (l->o->json) {
        fprintf(l->o->f, "%s{\"thread\": ", l->n ? ", " : "");
        cmd_json_str(l->o->f, thread_name(t, nb, sizeof nb));
        fprintf(l->o->f, ", \"mode\": ");
        cmd_json_str(l->o->f, ev_mode_name(h->mode));
        fprintf(l->o->f, ", \"lease\": %" PRId64 ", \"since_seq\": %" PRId64 "}", h->lease,
                h->acq_seq);
    } else {
        fprintf(l->o->f, "%s%s", l->n ? ", " : "", thread_name(t, nb, sizeof nb));
        if (l->obj == OBJ_STATE_LOCK)
            fprintf(l->o->f, " (%s)", ev_mode_name(h->mode));
        if (l->obj == OBJ_LEASE)
            fprintf(l->o->f, " (lease %" PRId64 ")", h->lease);
        fprintf(l->o->f, " since seq %" PRId64 " (%s)", h->acq_seq,
                rn_ms(h->acq_ts, l->m->t0, ms, sizeof ms));
    }
    l->n++;
}

/* One lock: holders and waiters. */
static void print_object(const struct model *m, int64_t obj, struct out *o)
{
    char ob[48];
    struct holder_list l = {.o = o, .obj = obj, .m = m};
    if (o->json) {
        fprintf(o->f, "%s\n    {\"object\": ", o->first ? "" : ",");
        cmd_json_str(o->f, rn_obj(obj, ob, sizeof ob));
        fprintf(o->f, ", \"holders\": [");
        model_holders(m, obj, print_holder, &l);
        fprintf(o->f, "], \"waiters\": [");
        list_waiters(m, obj, o);
        fprintf(o->f, "]}");
        o->first = 0;
        return;
    }
    fprintf(o->f, "%s: ", rn_obj(obj, ob, sizeof ob));
    if (!model_holders(m, obj, print_holder, &l))
        fprintf(o->f, "free");
    fputc('\n', o->f);
    list_waiters(m, obj, o);
}

/* The parties of epoch's barrier that have arrived at phase (arrived) or
 * not yet (!arrived), as a list of names (JSON items or " name" words).
 * Returns how many. */
static int print_parties(const struct model *m, int64_t epoch, int64_t phase, int arrived,
                         struct out *o)
{
    char nb[32];
    int n = 0;
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        if (arrived ? !model_arrived_at(t, epoch, phase) : !model_missing_at(t, epoch, phase))
            continue;
        if (o->json) {
            fprintf(o->f, "%s", n ? ", " : "");
            cmd_json_str(o->f, thread_name(t, nb, sizeof nb));
        } else {
            fprintf(o->f, " %s", thread_name(t, nb, sizeof nb));
        }
        n++;
    }
    return n;
}

/* Is obj worth listing: held or waited for?  Shared objects always are. */
static int object_busy(const struct model *m, int64_t obj)
{
    if (obj < OBJ_GROUP_MUTEX)
        return 1;
    if (model_holders(m, obj, NULL, NULL))
        return 1;
    for (int64_t i = 0; i < m->nthreads; i++)
        if (m->threads[i]->pos == MP_LOCK && m->threads[i]->pos_obj == obj)
            return 1;
    return 0;
}

static void print_epoch(struct model *m, struct out *o)
{
    struct epoch_rec *ep = m->epoch_last ? model_epoch(m, m->epoch_last) : NULL;
    char nb[32];
    int64_t phase = 0;
    if (ep)
        phase = ep->end_seq ? 0 : ep->p1_seq ? 2 : ep->bcast_seq ? 1 : 0;
    if (o->json) {
        fprintf(o->f, ",\n  \"epoch\": ");
        if (!ep) {
            fprintf(o->f, "null");
            return;
        }
        fprintf(o->f, "{\"epoch\": %" PRId64 ", \"kind\": ", ep->epoch);
        cmd_json_str(o->f, rn_op(ep->kind));
        fprintf(o->f, ", \"name\": ");
        cmd_json_str(o->f, ep->name);
        fprintf(o->f, ", \"instigator\": ");
        cmd_json_str(o->f, instigator_name(ep, nb, sizeof nb));
        fprintf(o->f, ", \"finished\": %s, \"phase\": %" PRId64 ", \"parties\": %" PRId64,
                ep->end_seq ? "true" : "false", phase, ep->rx);
        fprintf(o->f, ", \"arrived\": [");
    } else {
        if (!ep) {
            fprintf(o->f, "epoch: none yet\n");
            return;
        }
        fprintf(o->f, "epoch: %" PRId64 " %s %s by %s, ", ep->epoch, rn_op(ep->kind), ep->name,
                instigator_name(ep, nb, sizeof nb));
        if (ep->end_seq)
            fprintf(o->f, "finished at seq %" PRId64 "\n", ep->end_seq);
        else if (!ep->bcast_seq)
            fprintf(o->f, "applied by the instigator, not yet broadcast\n");
        else
            fprintf(o->f, "phase %" PRId64 " of 2, %" PRId64 " parties\n", phase, ep->rx);
        if (ep->end_seq || !ep->bcast_seq)
            return;
        fprintf(o->f, "  arrived:");
    }
    /* Arrivals at the current phase, and who the barrier still waits for. */
    int n = print_parties(m, ep->epoch, phase, 1, o);
    fprintf(o->f, o->json ? "], \"missing\": [" : "%s\n  missing:", n ? "" : " none");
    n = print_parties(m, ep->epoch, phase, 0, o);
    fprintf(o->f, o->json ? "]}" : "%s\n", n ? "" : " none");
}

static void print_threads(const struct model *m, struct out *o)
{
    char nb[32], pos[256], holds[256];
    int n = 0;
    fprintf(o->f, o->json ? ",\n  \"threads\": [" : "threads:\n");
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        describe_position(m, t, pos, sizeof pos);
        describe_holds(t, holds, sizeof holds);
        if (o->json) {
            fprintf(o->f, "%s\n    {\"thread\": ", n ? "," : "");
            cmd_json_str(o->f, thread_name(t, nb, sizeof nb));
            fprintf(o->f, ", \"role\": ");
            cmd_json_str(o->f, t->start_seq ? ev_role_name(t->role) : "");
            fprintf(o->f, ", \"position\": ");
            cmd_json_str(o->f, pos);
            fprintf(o->f, ", \"blocked\": %s, \"subscribed\": %s, \"frozen\": %s, \"holds\": ",
                    describe_is_blocked(t) ? "true" : "false", t->subscribed ? "true" : "false",
                    t->frozen ? "true" : "false");
            cmd_json_str(o->f, holds);
            fprintf(o->f, "}");
        } else {
            fprintf(o->f, "  %-9s %-7s %s", thread_name(t, nb, sizeof nb),
                    t->start_seq ? ev_role_name(t->role) : "", pos);
            if (holds[0])
                fprintf(o->f, "; holds %s", holds);
            if (t->frozen)
                fprintf(o->f, "; frozen");
            fputc('\n', o->f);
        }
        n++;
    }
    if (o->json)
        fprintf(o->f, "\n  ]");
}

static void print_state(struct model *m, int64_t run, struct out *o)
{
    char nb[32], ms[32];
    if (o->json) {
        fprintf(o->f,
                "{\n  \"run\": %" PRId64 ", \"seq\": %" PRId64 ", \"ts\": %" PRId64
                ", \"elapsed_ns\": %" PRId64 ",\n",
                run, m->last_seq, m->last_ts, m->last_ts - m->t0);
        fprintf(o->f, "  \"lease\": ");
        if (m->lease_holder) {
            fprintf(o->f, "{\"holder\": ");
            cmd_json_str(o->f, thread_name(m->lease_holder, nb, sizeof nb));
            fprintf(o->f, ", \"id\": %" PRId64 ", \"since_seq\": %" PRId64 "}", m->lease_id,
                    m->lease_seq);
        } else {
            fprintf(o->f, "null");
        }
        fprintf(o->f,
                ",\n  \"pending_flag\": %s, \"flag_epoch\": %" PRId64 ", \"rx_count\": %" PRId64
                ",\n  \"objects\": [",
                m->flag ? "true" : "false", m->flag_epoch, m->rx_count);
        o->first = 1;
    } else {
        fprintf(o->f, "run %" PRId64 " at seq %" PRId64 " (%s)\n", run, m->last_seq,
                rn_ms(m->last_ts, m->t0, ms, sizeof ms));
        if (m->lease_holder)
            fprintf(o->f, "lease: %" PRId64 " held by %s since seq %" PRId64 " (%s)\n", m->lease_id,
                    thread_name(m->lease_holder, nb, sizeof nb), m->lease_seq,
                    rn_ms(m->lease_ts, m->t0, ms, sizeof ms));
        else
            fprintf(o->f, "lease: free\n");
        fprintf(o->f, "pending flag: %s", m->flag ? "set" : "clear");
        if (m->flag_seq)
            fprintf(o->f, " (epoch %" PRId64 ") since seq %" PRId64 " (%s)", m->flag_epoch,
                    m->flag_seq, rn_ms(m->flag_ts, m->t0, ms, sizeof ms));
        fprintf(o->f, "\nrx_count: %" PRId64 "\n", m->rx_count);
    }
    static const int64_t shared[] = {OBJ_STATE_LOCK, OBJ_PROCESS_MUTEX};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        print_object(m, shared[i], o);
    for (int64_t i = 0; i < m->nthreads; i++)
        if (m->threads[i]->grp >= 0 && (i == 0 || m->threads[i - 1]->grp != m->threads[i]->grp) &&
            object_busy(m, OBJ_GROUP_MUTEX + m->threads[i]->grp))
            print_object(m, OBJ_GROUP_MUTEX + m->threads[i]->grp, o);
    if (o->json)
        fprintf(o->f, "\n  ]");
    print_epoch(m, o);
    print_threads(m, o);
    if (o->json)
        fprintf(o->f, "\n}\n");
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
    model_init(&m, NULL);
    int64_t n = upto_seq < first ? 0 : db_scan_events(db, run, upto_seq, INT64_MAX, apply_one, &m);
    rc = 0;
    if (n < 0) {
        fprintf(stderr, "dlsync state: %s\n", db->err);
        rc = EX_NO_INPUT;
    } else if (n == 0) {
        fprintf(stderr, "dlsync state: no event of run %lld at or before that moment\n",
                (long long)run);
        rc = EX_NOT_FOUND;
    } else {
        struct out o = {.f = stdout, .json = so->json};
        print_state(&m, run, &o);
    }
    model_free(&m);
    db_close(db);
    return rc;
}
