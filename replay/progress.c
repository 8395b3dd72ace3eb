/*
 * replay/progress.c — progress bar on stderr (see progress.h).  No locks.
 */
#include "replay/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

int64_t progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void progress_init(struct progress *p, const char *label, int enabled)
{
    p->enabled = enabled && isatty(STDERR_FILENO);
    p->shown = 0;
    p->start_ns = p->last_ns = progress_now();
    p->label = label;
}

void progress_update(struct progress *p, double fraction, uint64_t count)
{
    if (!p->enabled)
        return;
    int64_t now = progress_now();
    if (now - p->start_ns < 1000000000 || now - p->last_ns < 100000000)
        return;
    p->last_ns = now;
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    int fill = (int)(fraction * WIDTH);
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = 0;
    double secs = (double)(now - p->start_ns) / 1e9;
    fprintf(stderr, "\r%s [%s] %3.0f%%  %llu events  %.1f s", p->label, bar, fraction * 100,
            (unsigned long long)count, secs);
    fflush(stderr);
    p->shown = 1;
}

void progress_done(struct progress *p)
{
    if (p->shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->shown = 0;
}
