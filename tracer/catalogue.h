/*
 * tracer/catalogue.h — the catalogue of dlsync event kinds, written once.
 *
 * Owns: the list of event kinds, in trace-format order, with for each kind
 * its name (the LTTng tracepoint `dlsync:<name>`), the tracepoint class that
 * gives its CTF fields (tracer/tp.h) and the trace fields that carry its
 * strings.  Takes no locks; it is a list, nothing else.
 *
 * This is the house's one X-macro: DLSYNC_EVENTS(X) calls
 *
 *     X(KIND, name, class, s_field, s2_field)
 *
 * once per kind, in order.  KIND makes the enumerator EV_KIND (events.h);
 * its place in the list is its number, which is part of the trace format
 * (run_end's counts are indexed by it, docs/events.md numbers the kinds):
 * append only.  class is one of tracer/tp.h's tracepoint classes:
 *   ints       the nine shared int64 fields;
 *   named      ints plus the string `name` (e.s);
 *   action     ints plus the string `arg` (e.s);
 *   run_begin  ints, `scenario` (e.s), `variant` (e.s2) and int copies;
 *   run_end    group, status (e.how) and one n_<kind> count per other kind.
 * s_field and s2_field name the trace fields that carry e.s and e.s2
 * (string literals, or NULL when the kind carries none): the emitter, the
 * event log (ev_format) and the trace reader (replay/ctf_source.c) follow
 * them.  The users expand the list: the enum and the names (events.h,
 * tracer/catalogue.c), the tracepoints and run_end's count fields
 * (tracer/tp.h), ev_on() and the emitter (tracer/emit.c).
 * tests/tracer/catalogue.sh checks the list against docs/events.md.
 * The comment beside each kind says which fields it fills (docs/events.md
 * has their meaning).
 */
#ifndef DLSYNC_TRACER_CATALOGUE_H
#define DLSYNC_TRACER_CATALOGUE_H

// clang-format off
#define DLSYNC_EVENTS(X)                                                                            \
    /* s=scenario s2=variant a=seed b=initial groups epoch=ops mode=scheduler (0 os,           \
       1 controlled) how=strategy (0 random, 1 pct, 2 dfs) phase=PCT depth */                  \
    X(RUN_BEGIN, run_begin, run_begin, "scenario", "variant")                                     \
    X(RUN_END, run_end, run_end, NULL, NULL)                  /* how=exit status, counts */     \
    X(THREAD_START, thread_start, named, "name", NULL)        /* mode=role a=parent group      \
                                                                 (-1 none) s=thread name */    \
    X(THREAD_EXIT, thread_exit, ints, NULL, NULL)             /* how=status (0 ok, else error) */ \
    X(ACTION_BEGIN, action_begin, action, "arg", NULL)        /* mode=action s=argument text */ \
    X(ACTION_END, action_end, ints, NULL, NULL)               /* mode=action how=result */      \
    X(LOCK_ATTEMPT, lock_attempt, ints, NULL, NULL)           /* obj mode how(try/blocking)     \
                                                                 lease; before trying */       \
    X(LOCK_ACQUIRED, lock_acquired, ints, NULL, NULL)         /* obj mode how lease */          \
    X(LOCK_BUSY, lock_busy, ints, NULL, NULL)                 /* obj mode how=try lease */      \
    X(LOCK_RELEASED, lock_released, ints, NULL, NULL)         /* obj mode lease */              \
    X(LEASE_HANDOVER, lease_handover, ints, NULL, NULL)       /* obj=lease lease a=to group */  \
    X(BUS_BROADCAST, bus_broadcast, ints, NULL, NULL)         /* obj=bus epoch how=ok/full      \
                                                                 a=rx_count */                 \
    X(BUS_RECV_BEGIN, bus_recv_begin, ints, NULL, NULL)       /* obj=bus */                     \
    X(BUS_RECV_END, bus_recv_end, ints, NULL, NULL)           /* obj=bus epoch */               \
    X(BARRIER_ARRIVE, barrier_arrive, ints, NULL, NULL)       /* obj=barrier epoch phase        \
                                                                 a=parties b=arrival index */  \
    X(BARRIER_DEPART, barrier_depart, ints, NULL, NULL)       /* obj=barrier epoch phase        \
                                                                 a=parties */                  \
    X(FLAG_SET, flag_set, ints, NULL, NULL)                   /* obj=flag epoch */              \
    X(FLAG_CLEAR, flag_clear, ints, NULL, NULL)               /* obj=flag epoch */              \
    X(FLAG_LOAD, flag_load, ints, NULL, NULL)                 /* obj=flag mode=ordering         \
                                                                 a=value read */               \
    X(WAKEUP_SENT, wakeup_sent, ints, NULL, NULL)             /* epoch a=target group */        \
    X(WAKEUP_RECEIVED, wakeup_received, ints, NULL, NULL)     /* a=wait kind it interrupted */  \
    X(BACKOFF, backoff, ints, NULL, NULL)                     /* phase=backoff phase            \
                                                                 a=call number b=sleep ns */   \
    X(OP_BEGIN, op_begin, named, "name", NULL)                /* epoch mode=op a,b=arguments    \
                                                                 s=name; instigator */         \
    X(OP_END, op_end, ints, NULL, NULL)                       /* epoch mode=op how=result       \
                                                                 a=table digest b=size */      \
    X(REPLAY_BEGIN, replay_begin, ints, NULL, NULL)           /* epoch mode=op a,b=arguments;   \
                                                                 follower */                   \
    X(REPLAY_END, replay_end, ints, NULL, NULL)               /* epoch mode=op how=result       \
                                                                 a=table digest b=size */      \
    X(SYSCALL_ENTRY, syscall_entry, ints, NULL, NULL)         /* how=path (fast/slow/woken) */  \
    X(GROUP_SUBSCRIBE, group_subscribe, ints, NULL, NULL)     /* a=rx_count after */            \
    X(GROUP_UNSUBSCRIBE, group_unsubscribe, ints, NULL, NULL) /* a=rx_count after */            \
    X(WAIT_BEGIN, wait_begin, ints, NULL, NULL)               /* mode=wait kind a=target group  \
                                                                 or -1 b=duration us */        \
    X(WAIT_END, wait_end, ints, NULL, NULL)                   /* mode=wait kind how=result */   \
    X(CHECKPOINT_REQUEST, checkpoint_request, ints, NULL, NULL)                                  \
    X(CHECKPOINT_FREEZE, checkpoint_freeze, ints, NULL, NULL) /* a=frozen count after */        \
    X(CHECKPOINT_SNAPSHOT, checkpoint_snapshot, ints, NULL, NULL) /* a=threads frozen          \
                                                                 b=threads deep-sleeping */    \
    X(CHECKPOINT_RESUME, checkpoint_resume, ints, NULL, NULL)                                    \
    X(SCHEDULE, schedule, named, "name", NULL)                /* a=part b=parts s=text: the     \
                                                                 controlled run's schedule */
// clang-format on

#endif
