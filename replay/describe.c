/*
 * replay/describe.c — thread positions in words (see describe.h).  No locks.
 */
#include "replay/describe.h"

#include <stdio.h>

#include "replay/names.h"
#include "replay/textbuf.h"

int describe_is_blocked(const struct mthread *t)
{
    return t->pos == MP_LOCK || t->pos == MP_BUS || t->pos == MP_BARRIER || t->pos == MP_WAIT;
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
