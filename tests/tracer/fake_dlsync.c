/*
 * tests/tracer/fake_dlsync.c — a stand-in for bin/dlsync that exercises the
 * tracer alone (no lib/): `run` drives real threads through a lock, a bus
 * receive, a two-phase barrier and a sleep, emitting the same kinds of events
 * the protocol emits; `record` is the real cmd_record.  The variant
 * exit-subscribed makes group 1 leave after its first operation without
 * leaving the barrier, so the others block at the next barrier and the
 * watchdog ends the run with status 3, as the real run does on a hang.  The
 * variant burst first emits ops*1000 backoff events per thread as fast as it
 * can (to overflow the ring buffers and test the report of discarded events).
 *
 *   fake_dlsync run [--scenario NAME] [--groups N] [--ops N] [--seed S]
 *                   [--variant NAME] [--timeout SECONDS]
 *   fake_dlsync record [record options] [--] [run options]
 *
 * Owns: its threads and the state they share (one rwlock, one barrier, one
 * mutex+condvar for the watchdog).  Lock order: none nested except the
 * rwlock, taken alone.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tracer/events.h"
#include "tracer/probe.h"
#include "tracer/record.h"

static const char *scenario = "default";
static const char *variant = "correct";
static long groups = 4, ops = 50, seed = 1;
static double timeout_s = 10.0;

static pthread_rwlock_t state_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static long done_count; /* guarded by done_lock */

struct worker {
    struct ev_thread t;
    pthread_t th;
    unsigned rnd;
    int finished; /* guarded by done_lock */
};

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
}

static void write_lock(int64_t lease)
{
    ev_emit(
        EV_LOCK_ATTEMPT,
        &(struct ev){.obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_TRY, .lease = lease});
    if (pthread_rwlock_trywrlock(&state_lock) == 0) {
        ev_emit(EV_LOCK_ACQUIRED,
                &(struct ev){
                    .obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_TRY, .lease = lease});
        return;
    }
    ev_emit(
        EV_LOCK_BUSY,
        &(struct ev){.obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_TRY, .lease = lease});
    ev_emit(EV_BACKOFF, &(struct ev){.phase = BACKOFF_SPIN, .a = 0});
    ev_emit(EV_LOCK_ATTEMPT,
            &(struct ev){
                .obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_BLOCKING, .lease = lease});
    pthread_rwlock_wrlock(&state_lock);
    ev_emit(EV_LOCK_ACQUIRED,
            &(struct ev){
                .obj = OBJ_STATE_LOCK, .mode = MODE_WRITE, .how = HOW_BLOCKING, .lease = lease});
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    char name[32];
    snprintf(name, sizeof name, "group-%ld", (long)w->t.group);
    ev_thread_attach(&w->t);
    ev_emit(EV_THREAD_START, &(struct ev){.mode = ROLE_WORKER, .a = 0, .s = name});
    ev_emit(EV_GROUP_SUBSCRIBE, &(struct ev){.a = groups});
    if (strcmp(variant, "burst") == 0) /* floods the ring buffers: tests discard reports */
        for (long i = 0; i < ops * 1000; i++)
            ev_emit(EV_BACKOFF, &(struct ev){.phase = BACKOFF_SPIN, .a = i});
    for (long op = 0; op < ops; op++) {
        ev_emit(EV_SYSCALL_ENTRY, &(struct ev){.how = PATH_FAST});
        ev_emit(EV_FLAG_LOAD, &(struct ev){.obj = OBJ_PENDING_FLAG, .mode = ORDER_RELAXED});
        write_lock(op);
        ev_emit(EV_LOCK_RELEASED, &(struct ev){.obj = OBJ_STATE_LOCK, .mode = MODE_WRITE});
        pthread_rwlock_unlock(&state_lock);

        ev_emit(EV_BUS_RECV_BEGIN, &(struct ev){.obj = OBJ_OPERATION_BUS});
        ev_emit(EV_BUS_RECV_END, &(struct ev){.obj = OBJ_OPERATION_BUS, .epoch = op});
        for (int phase = 1; phase <= 2; phase++) {
            ev_emit(EV_BARRIER_ARRIVE,
                    &(struct ev){.obj = OBJ_BARRIER, .epoch = op, .phase = phase, .a = groups});
            pthread_barrier_wait(&barrier);
            ev_emit(EV_BARRIER_DEPART,
                    &(struct ev){.obj = OBJ_BARRIER, .epoch = op, .phase = phase, .a = groups});
        }
        long us = 10 + (long)(rand_r(&w->rnd) % 50);
        ev_emit(EV_WAIT_BEGIN, &(struct ev){.mode = WAIT_SLEEP, .a = -1, .b = us});
        sleep_us(us);
        ev_emit(EV_WAIT_END, &(struct ev){.mode = WAIT_SLEEP, .how = WAITED_FULL});

        if (strcmp(variant, "exit-subscribed") == 0 && w->t.group == 1)
            break; /* leaves without unsubscribing: the others hang at the barrier */
    }
    if (strcmp(variant, "exit-subscribed") != 0)
        ev_emit(EV_GROUP_UNSUBSCRIBE, &(struct ev){.a = 0});
    ev_emit(EV_THREAD_EXIT, &(struct ev){.how = RESULT_OK});
    pthread_mutex_lock(&done_lock);
    done_count++;
    w->finished = 1;
    pthread_cond_signal(&done_cond);
    pthread_mutex_unlock(&done_lock);
    return NULL;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"groups", required_argument, NULL, 'g'},
        {"ops", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 'S'},
        {"variant", required_argument, NULL, 'v'},
        {"timeout", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            scenario = optarg;
            break;
        case 'g':
            groups = atol(optarg);
            break;
        case 'o':
            ops = atol(optarg);
            break;
        case 'S':
            seed = atol(optarg);
            break;
        case 'v':
            variant = optarg;
            break;
        case 't':
            timeout_s = atof(optarg);
            break;
        default:
            fprintf(stderr, "fake dlsync run: bad option\n");
            return 2;
        }
    }
    if (groups < 1 || groups > 256 || ops < 0) {
        fprintf(stderr, "fake dlsync run: bad --groups or --ops\n");
        return 2;
    }
    const char *trace = getenv("DLSYNC_TRACE");
    if (trace != NULL && strcmp(trace, "1") == 0) {
        char err[1024];
        if (ev_probe_load(NULL, err, sizeof err) != 0) {
            fprintf(stderr, "fake dlsync run: %s\n", err);
            return 5;
        }
    }

    static struct ev_thread main_t = {.group = 0};
    ev_thread_attach(&main_t);
    ev_emit(EV_THREAD_START, &(struct ev){.mode = ROLE_MAIN, .a = -1, .s = "main"});
    ev_emit(EV_RUN_BEGIN, &(struct ev){.s = scenario, .s2 = variant, .a = seed, .b = groups});

    pthread_barrier_init(&barrier, NULL, (unsigned)groups);
    struct worker *w = calloc((size_t)groups, sizeof *w);
    for (long i = 0; i < groups; i++) {
        w[i].t.group = i + 1;
        w[i].rnd = (unsigned)(seed * 7919 + i);
        pthread_create(&w[i].th, NULL, worker_main, &w[i]);
    }

    /* Watchdog: wait for every worker, at most timeout_s. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)timeout_s;
    deadline.tv_nsec += (long)((timeout_s - (double)(time_t)timeout_s) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    int hung = 0;
    pthread_mutex_lock(&done_lock);
    while (done_count < groups && !hung)
        if (pthread_cond_timedwait(&done_cond, &done_lock, &deadline) == ETIMEDOUT)
            hung = done_count < groups;
    pthread_mutex_unlock(&done_lock);

    uint64_t n[EV_KIND_COUNT];
    if (hung) {
        /* Join the threads that did finish (ThreadSanitizer reports finished
         * threads left unjoined); the blocked ones die with _exit(). */
        for (long i = 0; i < groups; i++) {
            pthread_mutex_lock(&done_lock);
            int fin = w[i].finished;
            pthread_mutex_unlock(&done_lock);
            if (fin)
                pthread_join(w[i].th, NULL);
        }
        ev_counts_sum(n);
        ev_emit_run_end(3, n);
        fprintf(stderr, "fake dlsync run: hang: watchdog fired after %.1f s\n", timeout_s);
        fflush(NULL);
        _exit(3);
    }
    for (long i = 0; i < groups; i++)
        pthread_join(w[i].th, NULL);
    ev_emit(EV_THREAD_EXIT, &(struct ev){.how = RESULT_OK});
    ev_counts_sum(n);
    ev_emit_run_end(0, n);
    printf("fake dlsync run: ok (%s/%s seed %ld, %ld groups x %ld ops)\n", scenario, variant, seed,
           groups, ops);
    free(w);
    pthread_barrier_destroy(&barrier);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "record") == 0)
        return cmd_record(argc - 1, argv + 1);
    fprintf(stderr, "usage: %s run|record [options]\n", argv[0]);
    return 2;
}
