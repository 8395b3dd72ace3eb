/*
 * bus.c — depth-1 broadcast bus (see bus.h).  Takes only its own mutex,
 * never while waiting.
 */
#include "lib/bus.h"

#include <assert.h>

#include "lib/sched.h"
#include "lib/thread.h"
#include "tracer/events.h"

void bus_init(struct bus *b, int64_t obj)
{
    pthread_mutex_init(&b->mu, NULL);
    waitword_init(&b->posted);
    b->obj = obj;
    b->rx_count = 0;
    b->seq = 0;
    b->untaken = 0;
    b->epoch = 0;
    b->payload = NULL;
}

void bus_destroy(struct bus *b)
{
    pthread_mutex_destroy(&b->mu);
}

void bus_subscribe(struct bus *b, struct bus_rx *rx)
{
    pthread_mutex_lock(&b->mu);
    rx->bus = b;
    rx->taken = b->seq; /* the message in the slot, if any, is not ours */
    rx->live = 1;
    int n = ++b->rx_count;
    pthread_mutex_unlock(&b->mu);
    ev_emit(EV_GROUP_SUBSCRIBE, &(struct ev){.obj = b->obj, .a = n});
}

void bus_unsubscribe(struct bus_rx *rx)
{
    struct bus *b = rx->bus;
    pthread_mutex_lock(&b->mu);
    assert(rx->live);
    if (rx->taken < b->seq)
        b->untaken--;
    rx->live = 0;
    int n = --b->rx_count;
    pthread_mutex_unlock(&b->mu);
    ev_emit(EV_GROUP_UNSUBSCRIBE, &(struct ev){.obj = b->obj, .a = n});
}

int bus_rx_count(struct bus *b)
{
    pthread_mutex_lock(&b->mu);
    int n = b->rx_count;
    pthread_mutex_unlock(&b->mu);
    return n;
}

int bus_try_post(struct bus *b, int64_t epoch, void *payload)
{
    sched_point();
    pthread_mutex_lock(&b->mu);
    int full = b->untaken > 0;
    int n = b->rx_count;
    if (!full) {
        b->seq++;
        b->untaken = n;
        b->epoch = epoch;
        b->payload = payload;
        atomic_store(&b->posted.word, (uint32_t)b->seq);
    }
    pthread_mutex_unlock(&b->mu);
    ev_emit(EV_BUS_BROADCAST, &(struct ev){.obj = b->obj,
                                           .epoch = epoch,
                                           .how = full ? BROADCAST_FULL : BROADCAST_OK,
                                           .a = n});
    return full ? -1 : 0;
}

void bus_notify(struct bus *b)
{
    waitword_wake(&b->posted); /* buses live as long as the process */
}

int bus_try_broadcast(struct bus *b, int64_t epoch, void *payload)
{
    int rc = bus_try_post(b, epoch, payload);
    if (rc == 0)
        bus_notify(b);
    return rc;
}

/* Is a message newer than the last one rx took in the slot?  (Read without
 * the bus mutex: only the controlled scheduler asks, while nothing runs.) */
static int has_news(const void *arg)
{
    const struct bus_rx *rx = arg;
    return atomic_load(&rx->bus->posted.word) != (uint32_t)rx->taken;
}

void *bus_recv(struct bus_rx *rx, int64_t *epoch)
{
    struct bus *b = rx->bus;
    struct dl_thread *self = thread_self();
    ev_emit(EV_BUS_RECV_BEGIN, &(struct ev){.obj = b->obj});
    if (self)
        position_set(&self->pos, POS_BUS, b->obj, 0, 0, 0, 0);
    sched_wait(&(struct sched_wait){.ready = has_news, .arg = rx, .timeout_ns = -1});
    pthread_mutex_lock(&b->mu);
    while (b->seq <= rx->taken) {
        uint32_t seen = (uint32_t)b->seq;
        pthread_mutex_unlock(&b->mu);
        waitword_wait(&b->posted, seen);
        pthread_mutex_lock(&b->mu);
    }
    assert(b->untaken > 0);
    rx->taken = b->seq;
    b->untaken--;
    void *payload = b->payload;
    int64_t e = b->epoch;
    pthread_mutex_unlock(&b->mu);
    if (self)
        position_clear(&self->pos);
    ev_emit(EV_BUS_RECV_END, &(struct ev){.obj = b->obj, .epoch = e});
    if (epoch)
        *epoch = e;
    return payload;
}

void *bus_untaken(struct bus_rx *rx, int64_t epoch)
{
    struct bus *b = rx->bus;
    assert(rx->live);
    pthread_mutex_lock(&b->mu);
    void *payload = rx->taken < b->seq && b->epoch == epoch ? b->payload : NULL;
    pthread_mutex_unlock(&b->mu);
    return payload;
}
