/*
 * replay/describe.c — the state at a moment and each thread's position in
 * words (see describe.h): the one description `dlsync state` prints and the
 * replay page shows.  Both forms (text items, JSON) list things in a fixed
 * order so that outputs diff cleanly.  No locks.
 */
#include "replay/describe.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/cmdline.h"
#include "replay/names.h"
#include "replay/textbuf.h"

int describe_is_blocked(const struct mthread *t)
{
    return t->pos == MP_LOCK || t->pos == MP_BUS || t->pos == MP_BARRIER || t->pos == MP_WAIT;
}

const char *describe_wait_object(const struct mthread *t)
{
    switch (t->pos) {
    case MP_BARRIER:
        return "barrier";
    case MP_LOCK:
    case MP_BUS:
        return ev_object_name(t->pos_obj);
    case MP_WAIT:
        return ev_wait_name(t->pos_mode);
    default:
        return ev_object_name(t->retry_obj);
    }
}

const char *describe_position(const struct model *m, const struct mthread *t, char *buf, size_t n)
{
    char o[48], ms[32];
    size_t len = 0;
    buf[0] = 0;
    (void)o;
    switch (t->pos) {
    case MP_UNSEEN:
        textbuf_add(buf, n, &len, "not started");
        return buf;
    case MP_EXITED:
        textbuf_add(buf, n, &len, "exited (%s) at seq %lld", t->exit_status ? "error" : "ok",
                    (long long)t->exit_seq);
        return buf;
    case MP_LOCK:
        textbuf_add(buf, n, &len, "blocked in %s(%s)", ev_lock_call_name(t->pos_obj, t->pos_mode),
                    rn_obj(t->pos_obj, o, sizeof o));
        break;
    case MP_BUS:
        textbuf_add(buf, n, &len, "blocked in receive(%s)", rn_obj(t->pos_obj, o, sizeof o));
        break;
    case MP_BARRIER:
        textbuf_add(buf, n, &len, "at the barrier, epoch %lld phase %lld (arrived %lld of %lld)",
                    (long long)t->pos_epoch, (long long)t->pos_phase, (long long)t->rdv_index,
                    (long long)t->rdv_parties);
        break;
    case MP_WAIT:
        switch (t->pos_mode) {
        case WAIT_CHILD:
            textbuf_add(buf, n, &len, "waiting for child group-%lld to finalise",
                        (long long)t->pos_arg);
            break;
        case WAIT_CHECKPOINT:
            textbuf_add(buf, n, &len, "frozen at a checkpoint");
            break;
        case WAIT_SLEEP:
            textbuf_add(buf, n, &len, "sleeping (up to %s)", rn_us(t->pos_arg, ms, sizeof ms));
            break;
        default:
            textbuf_add(buf, n, &len, "in a guest wait (up to %s)",
                        rn_us(t->pos_arg, ms, sizeof ms));
            break;
        }
        break;
    default:
        if (t->retry_obj) {
            textbuf_add(buf, n, &len, "retrying %s (%lld busy tries)",
                        t->retry_obj == OBJ_LEASE ? "try-lease" : "try-write(state lock)",
                        (long long)t->retries);
            textbuf_add(buf, n, &len, " since seq %lld (%s)", (long long)t->retry_seq,
                        rn_ms(t->retry_ts, m->t0, ms, sizeof ms));
            if (t->rdv_stage)
                textbuf_add(buf, n, &len, ", following epoch %lld", (long long)t->rdv_epoch);
            return buf;
        }
        textbuf_add(buf, n, &len, "running");
        if (t->action)
            textbuf_add(buf, n, &len, " %s%s%s", ev_action_name(t->action),
                        t->action_arg[0] ? " " : "", t->action_arg);
        if (t->rdv_stage == 2)
            textbuf_add(buf, n, &len, ", applying epoch %lld", (long long)t->rdv_epoch);
        return buf;
    }
    textbuf_add(buf, n, &len, " since seq %lld (%s)", (long long)t->pos_seq,
                rn_ms(t->pos_ts, m->t0, ms, sizeof ms));
    return buf;
}

const char *describe_holds(const struct mthread *t, char *buf, size_t n)
{
    char o[48];
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < t->nholds; i++) {
        const struct mhold *h = &t->holds[i];
        textbuf_add(buf, n, &len, "%s", len ? ", " : "");
        if (h->obj == OBJ_LEASE)
            textbuf_add(buf, n, &len, "lease %lld", (long long)h->lease);
        else if (h->obj == OBJ_STATE_LOCK)
            textbuf_add(buf, n, &len, "state lock (%s)", ev_mode_name(h->mode));
        else
            textbuf_add(buf, n, &len, "%s", rn_obj(h->obj, o, sizeof o));
    }
    return buf;
}

/* ---- the state at a moment ------------------------------------------------ */

/* Where the state's words go: JSON on f, or text items (item()) on f, a
 * memory stream whose items are separated by a NUL. */
struct out {
    FILE *f;
    int json;
    int first; /* JSON: no comma before the next member */
    /* Text: the items begun so far, their keys and where their text starts. */
    char (*keys)[24];
    long *offs;
    int nitems, cap;
};

/* Text: the next words are item key's (printf'd).  JSON: nothing. */
__attribute__((format(printf, 2, 3))) static void item(struct out *o, const char *fmt, ...)
{
    if (o->json)
        return;
    if (o->nitems)
        fputc('\0', o->f);
    if (o->nitems == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 32;
        o->keys = realloc(o->keys, (size_t)o->cap * sizeof *o->keys);
        o->offs = realloc(o->offs, (size_t)o->cap * sizeof *o->offs);
        if (!o->keys || !o->offs)
            abort();
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->keys[o->nitems], sizeof o->keys[0], fmt, ap);
    va_end(ap);
    o->offs[o->nitems++] = ftell(o->f);
}

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
    item(o, "obj:%lld", (long long)obj);
    if (!object_busy(m, obj))
        return;
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

/* Epoch n's record if it is in flight: begun, and either not ended, or with a
 * party still inside a phase (a follower may stay at a barrier after the
 * instigator's op_end).  NULL otherwise, or when the model no longer keeps it. */
static const struct epoch_rec *in_flight(struct model *m, int64_t n)
{
    const struct epoch_rec *ep = n > 0 ? model_epoch(m, n) : NULL;
    if (!ep || !ep->op_seq)
        return NULL;
    int inside = ep->arrivals[1] > ep->departures[1] || ep->arrivals[2] > ep->departures[2];
    return !ep->end_seq || inside ? ep : NULL;
}

/* The newest epoch and its barrier. */
static void print_epoch_last(struct model *m, struct out *o)
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
        cmd_json_str(o->f, ev_op_name(ep->kind));
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
        fprintf(o->f, "epoch: %" PRId64 " %s %s by %s, ", ep->epoch, ev_op_name(ep->kind), ep->name,
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

/* The epoch: the newest, then every other epoch still in flight (more than
 * one in flight breaks single flight, I4). */
static void print_epoch(struct model *m, struct out *o)
{
    char nb[32];
    int n = 0;
    item(o, "epoch");
    print_epoch_last(m, o);
    fprintf(o->f, o->json ? ", \"also_in_flight\": [" : "");
    for (int64_t e = m->epoch_last - MODEL_EPOCH_RING + 1; e < m->epoch_last; e++) {
        const struct epoch_rec *ep = in_flight(m, e);
        if (!ep)
            continue;
        if (o->json)
            fprintf(o->f, "%s%" PRId64, n ? ", " : "", ep->epoch);
        else
            fprintf(o->f, "  also in flight: %" PRId64 " %s %s by %s\n", ep->epoch,
                    ev_op_name(ep->kind), ep->name, instigator_name(ep, nb, sizeof nb));
        n++;
    }
    fprintf(o->f, o->json ? "]" : "");
}

static void print_threads(const struct model *m, struct out *o)
{
    char nb[32], pos[256], holds[256];
    int n = 0;
    item(o, "threads");
    fprintf(o->f, o->json ? ",\n  \"threads\": [" : "threads:\n");
    for (int64_t i = 0; i < m->nthreads; i++) {
        const struct mthread *t = m->threads[i];
        item(o, "t:%lld", (long long)t->id);
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

/* The findings of f whose first seq is at or before the moment. */
static void print_findings(const struct model *m, const struct findings *f, struct out *o)
{
    int n = 0;
    item(o, "findings");
    fprintf(o->f, o->json ? ",\n  \"findings\": [" : "findings so far:");
    for (size_t i = 0; i < f->n && finding_first_seq(&f->v[i]) <= m->last_seq; i++, n++) {
        const struct finding *d = &f->v[i];
        char *msg = finding_message(d);
        if (o->json) {
            fprintf(o->f, "%s\n    {\"rule\": ", n ? "," : "");
            cmd_json_str(o->f, d->rule);
            fprintf(o->f, ", \"first_seq\": %" PRId64 ", \"reliable\": %s, \"message\": ",
                    finding_first_seq(d), d->unreliable ? "false" : "true");
            cmd_json_str(o->f, msg);
            fprintf(o->f, "}");
        } else {
            fprintf(o->f, "\n  %s (seq %" PRId64 "): %s", d->rule, finding_first_seq(d), msg);
            if (d->unreliable)
                fprintf(o->f, " [unreliable: %s]", d->unreliable);
        }
        free(msg);
    }
    fprintf(o->f, o->json ? "%s]" : "%s\n", o->json ? (n ? "\n  " : "") : (n ? "" : " none"));
}

static void print_state(struct model *m, int64_t run, const struct findings *f, struct out *o)
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
        item(o, "run");
        if (m->nevents)
            fprintf(o->f, "run %" PRId64 " at seq %" PRId64 " (%s)\n", run, m->last_seq,
                    rn_ms(m->last_ts, m->t0, ms, sizeof ms));
        else
            fprintf(o->f, "run %" PRId64 " before its first event\n", run);
        item(o, "lease");
        if (m->lease_holder)
            fprintf(o->f, "lease: %" PRId64 " held by %s since seq %" PRId64 " (%s)\n", m->lease_id,
                    thread_name(m->lease_holder, nb, sizeof nb), m->lease_seq,
                    rn_ms(m->lease_ts, m->t0, ms, sizeof ms));
        else
            fprintf(o->f, "lease: free\n");
        item(o, "flag");
        fprintf(o->f, "pending flag: %s", m->flag ? "set" : "clear");
        if (m->flag_seq)
            fprintf(o->f, " (epoch %" PRId64 ") since seq %" PRId64 " (%s)", m->flag_epoch,
                    m->flag_seq, rn_ms(m->flag_ts, m->t0, ms, sizeof ms));
        item(o, "rx");
        fprintf(o->f, "rx_count: %" PRId64 "\n", m->rx_count);
    }
    /* The shared locks always; a group's mutex when it is held or waited
     * for (text: an empty item when not, so that items keep their order). */
    static const int64_t shared[] = {OBJ_STATE_LOCK, OBJ_PROCESS_MUTEX};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        print_object(m, shared[i], o);
    for (int64_t i = 0; i < m->nthreads; i++)
        if (m->threads[i]->grp >= 0 && (i == 0 || m->threads[i - 1]->grp != m->threads[i]->grp) &&
            (!o->json || object_busy(m, OBJ_GROUP_MUTEX + m->threads[i]->grp)))
            print_object(m, OBJ_GROUP_MUTEX + m->threads[i]->grp, o);
    if (o->json)
        fprintf(o->f, "\n  ]");
    print_epoch(m, o);
    print_threads(m, o);
    if (f)
        print_findings(m, f, o);
    if (o->json)
        fprintf(o->f, "\n}\n");
}

void describe_state_json(FILE *out, const struct model *m, int64_t run, const struct findings *f)
{
    struct out o = {.f = out, .json = 1};
    print_state((struct model *)m, run, f, &o);
}

void describe_state(const struct model *m, int64_t run, const struct findings *f,
                    describe_item_fn *fn, void *ctx)
{
    assert(m && fn);
    char *buf = NULL;
    size_t len = 0;
    struct out o = {.f = open_memstream(&buf, &len)};
    if (!o.f)
        abort();
    print_state((struct model *)m, run, f, &o);
    if (fclose(o.f) != 0)
        abort();
    for (int i = 0; i < o.nitems; i++) {
        char *text = buf + o.offs[i];
        size_t n = strlen(text);
        if (n && text[n - 1] == '\n')
            text[n - 1] = '\0';
        fn(ctx, o.keys[i], text);
    }
    free(buf);
    free(o.keys);
    free(o.offs);
}
