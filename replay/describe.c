/*
 * replay/describe.c — thread positions in words (see describe.h).  No locks.
 */
#include "replay/describe.h"

#include <stdarg.h>
#include <stdio.h>

#include "replay/names.h"

/* Append to buf at *len, never past n. */
__attribute__((format(printf, 4, 5))) static void add(char *buf, size_t n, size_t *len,
                                                      const char *fmt, ...)
{
    if (*len >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len = *len + (size_t)w < n ? *len + (size_t)w : n - 1;
}

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
        add(buf, n, &len, "not started");
        return buf;
    case MP_EXITED:
        add(buf, n, &len, "exited (%s) at seq %lld", t->exit_status ? "error" : "ok",
            (long long)t->exit_seq);
        return buf;
    case MP_LOCK:
        add(buf, n, &len, "blocked in %s(%s)", ev_lock_call_name(t->pos_obj, t->pos_mode),
            rn_obj(t->pos_obj, o, sizeof o));
        break;
    case MP_BUS:
        add(buf, n, &len, "blocked in receive(%s)", rn_obj(t->pos_obj, o, sizeof o));
        break;
    case MP_BARRIER:
        add(buf, n, &len, "at the barrier, epoch %lld phase %lld (arrived %lld of %lld)",
            (long long)t->pos_epoch, (long long)t->pos_phase, (long long)t->rdv_index,
            (long long)t->rdv_parties);
        break;
    case MP_WAIT:
        switch (t->pos_mode) {
        case WAIT_CHILD:
            add(buf, n, &len, "waiting for child group-%lld to finalise", (long long)t->pos_arg);
            break;
        case WAIT_CHECKPOINT:
            add(buf, n, &len, "frozen at a checkpoint");
            break;
        case WAIT_SLEEP:
            add(buf, n, &len, "sleeping (up to %s)", rn_us(t->pos_arg, ms, sizeof ms));
            break;
        default:
            add(buf, n, &len, "in a guest wait (up to %s)", rn_us(t->pos_arg, ms, sizeof ms));
            break;
        }
        break;
    default:
        if (t->retry_obj) {
            add(buf, n, &len, "retrying %s (%lld busy tries)",
                t->retry_obj == OBJ_LEASE ? "try-lease" : "try-write(state lock)",
                (long long)t->retries);
            add(buf, n, &len, " since seq %lld (%s)", (long long)t->retry_seq,
                rn_ms(t->retry_ts, m->t0, ms, sizeof ms));
            if (t->rdv_stage)
                add(buf, n, &len, ", following epoch %lld", (long long)t->rdv_epoch);
            return buf;
        }
        add(buf, n, &len, "running");
        if (t->action)
            add(buf, n, &len, " %s%s%s", rn_action(t->action), t->action_arg[0] ? " " : "",
                t->action_arg);
        if (t->rdv_stage == 2)
            add(buf, n, &len, ", applying epoch %lld", (long long)t->rdv_epoch);
        return buf;
    }
    add(buf, n, &len, " since seq %lld (%s)", (long long)t->pos_seq,
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
        add(buf, n, &len, "%s", len ? ", " : "");
        if (h->obj == OBJ_LEASE)
            add(buf, n, &len, "lease %lld", (long long)h->lease);
        else if (h->obj == OBJ_STATE_LOCK)
            add(buf, n, &len, "state lock (%s)", ev_mode_name(h->mode));
        else
            add(buf, n, &len, "%s", rn_obj(h->obj, o, sizeof o));
    }
    return buf;
}
