/*
 * anchor_barrier.c — the anchor of the DL-operation benchmark: N threads
 * doing two pthread barrier rendezvous per operation, the bare cost of the
 * protocol's two phases.  Prints `anchor_ns_per_op N NS`.
 *
 * usage: anchor_barrier N OPS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_barrier_t barrier;
static long ops;

static void *party(void *arg)
{
    (void)arg;
    for (long i = 0; i < ops; i++) {
        pthread_barrier_wait(&barrier); /* phase 1 */
        pthread_barrier_wait(&barrier); /* phase 2 */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: anchor_barrier N OPS\n");
        return 2;
    }
    int n = atoi(argv[1]);
    ops = atol(argv[2]);
    if (n < 1 || n > 64 || ops < 1) {
        fprintf(stderr, "anchor_barrier: N from 1 to 64, OPS > 0\n");
        return 2;
    }
    pthread_barrier_init(&barrier, NULL, (unsigned)n);
    pthread_t t[64];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 1; i < n; i++)
        pthread_create(&t[i], NULL, party, NULL);
    party(NULL);
    for (int i = 1; i < n; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    printf("anchor_ns_per_op %d %.0f\n", n, ns / (double)ops);
    return 0;
}
