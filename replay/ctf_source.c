/*
 * replay/ctf_source.c — the babeltrace2 graph that reads a dlsync trace (see
 * ctf_source.h).  Takes no locks; single-threaded within one ctf_read().
 *
 * Per event class the sink caches which payload member holds which of our
 * fields (struct klass), so the per-event cost is one lookup by class id and
 * a fixed walk over borrowed fields.
 */
#include "replay/ctf_source.h"

#include <babeltrace2/babeltrace.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- finding traces ---------------------------------------------------- */

struct dirlist {
    char **v;
    int n, cap;
};

static int add_dir(struct dirlist *l, const char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, (size_t)l->cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
    }
    if (!(l->v[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static void walk(const char *dir, struct dirlist *l, int depth)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/metadata", dir);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) { /* ctf_check wants it regular */
        add_dir(l, dir);
        return;
    }
    if (depth > 8)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path, l, depth + 1);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ctf_find_traces(const char *root, char ***dirs)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    struct dirlist l = {0};
    walk(root, &l, 0);
    qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_str);
    *dirs = l.v;
    return l.n;
}

void ctf_free_dirs(char **dirs, int n)
{
    for (int i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

/* ---- errors -------------------------------------------------------------- */

/* The causes of the current thread's babeltrace2 error, deepest (the root
 * cause) first, into buf (cleared); babeltrace2's own component bookkeeping
 * lines are left out.  Returns non-zero when a cause names a stream file,
 * whose path (between backquotes) then goes to file. */
static int take_bt_error(char *buf, size_t n, char *file, size_t fn)
{
    const bt_error *err = bt_current_thread_take_error();
    int stream = 0;
    buf[0] = 0;
    if (file)
        file[0] = 0;
    if (!err)
        return 0;
    uint64_t count = bt_error_get_cause_count(err);
    size_t len = 0;
    int kept = 0;
    for (uint64_t i = 0; i < count && kept < 3 && len + 1 < n; i++) {
        const char *msg = bt_error_cause_get_message(bt_error_borrow_cause_by_index(err, i));
        if (!msg || !*msg || strstr(msg, "comp-addr=") || strstr(msg, "iter-addr="))
            continue;
        if (!stream && strstr(msg, "stream file")) {
            const char *a = strpbrk(msg, "`'"), *b = a ? strpbrk(a + 1, "`'") : NULL;
            stream = 1;
            if (a && b && file)
                snprintf(file, fn, "%.*s", (int)(b - a - 1), a + 1);
        }
        int w = snprintf(buf + len, n - len, "%s%s", len ? "; " : "", msg);
        if (w < 0)
            break;
        len += (size_t)w < n - len ? (size_t)w : n - len - 1;
        kept++;
    }
    bt_error_release(err);
    return stream;
}

/* ---- the graph ----------------------------------------------------------- */

static const bt_plugin *find_plugin(const char *name)
{
    const bt_plugin *p = NULL;
    if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &p) !=
        BT_PLUGIN_FIND_STATUS_OK)
        return NULL;
    return p;
}

static bt_value *inputs_params(const char *dir)
{
    bt_value *params = bt_value_map_create();
    bt_value *inputs = NULL;
    if (!params ||
        bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
            BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
        bt_value_array_append_string_element(inputs, dir) !=
            BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK) {
        bt_value_put_ref(params);
        return NULL;
    }
    return params;
}

/* The integer fields of struct rev, in payload order of tracer/tp.h. */
enum { F_GROUP, F_OBJ, F_MODE, F_HOW, F_EPOCH, F_PHASE, F_LEASE, F_A, F_B, F_STR, F_STR2, F_N };
static const char *const field_names[F_N] = {"group", "obj", "mode", "how", "epoch", "phase",
                                             "lease", "a",   "b",    NULL,  NULL};

/* What we know about one event class. */
struct klass {
    const bt_event_class *cls;     /* NULL: slot unused */
    int kind;                      /* enum ev_kind, -1: not a dlsync event */
    int64_t member[F_N];           /* payload member index, -1 if absent */
    int64_t counts[EV_KIND_COUNT]; /* run_end: member index of n_<kind>, -1 if absent */
    int64_t status;                /* run_end: member index of `status` */
    int64_t vtid, vpid;            /* common context member index of `vtid`, `vpid`, -1 */
};

struct reader {
    const struct ctf_handler *h;
    struct klass *klasses; /* by event class id */
    uint64_t nklasses;
    uint64_t seq, foreign, dlsync;
    char *uuid;
    int stopped;
    bt_message_iterator *it;
};

static int64_t member_index(const bt_field_class *st, const char *name)
{
    if (!st)
        return -1;
    uint64_t n = bt_field_class_structure_get_member_count(st);
    for (uint64_t i = 0; i < n; i++) {
        const bt_field_class_structure_member *m =
            bt_field_class_structure_borrow_member_by_index_const(st, i);
        if (strcmp(bt_field_class_structure_member_get_name(m), name) == 0)
            return (int64_t)i;
    }
    return -1;
}

static void klass_init(struct klass *k, const bt_event_class *cls)
{
    k->cls = cls;
    const char *name = bt_event_class_get_name(cls);
    k->kind = name && strncmp(name, "dlsync:", 7) == 0 ? rev_kind_by_name(name + 7) : -1;
    const bt_field_class *pl = bt_event_class_borrow_payload_field_class_const(cls);
    for (int f = 0; f < F_N; f++)
        k->member[f] = field_names[f] ? member_index(pl, field_names[f]) : -1;
    const char *s_field = ev_kind_string_field(k->kind, 1);
    const char *s2_field = ev_kind_string_field(k->kind, 2);
    if (s_field)
        k->member[F_STR] = member_index(pl, s_field);
    if (s2_field)
        k->member[F_STR2] = member_index(pl, s2_field);
    if (k->kind == EV_RUN_END) {
        k->status = member_index(pl, "status");
        for (int c = 0; c < EV_KIND_COUNT; c++) {
            char n[64];
            snprintf(n, sizeof n, "n_%s", ev_kind_name((enum ev_kind)c));
            k->counts[c] = member_index(pl, n);
        }
    }
    const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(cls);
    const bt_field_class *cc = bt_stream_class_borrow_event_common_context_field_class_const(sc);
    k->vtid = member_index(cc, "vtid");
    k->vpid = member_index(cc, "vpid");
}

static struct klass *klass_of(struct reader *r, const bt_event_class *cls)
{
    uint64_t id = bt_event_class_get_id(cls);
    if (id >= r->nklasses) {
        uint64_t n = r->nklasses ? r->nklasses : 64;
        while (n <= id)
            n *= 2;
        struct klass *k = realloc(r->klasses, n * sizeof *k);
        if (!k)
            return NULL;
        memset(k + r->nklasses, 0, (n - r->nklasses) * sizeof *k);
        r->klasses = k;
        r->nklasses = n;
    }
    struct klass *k = &r->klasses[id];
    if (k->cls != cls)
        klass_init(k, cls);
    return k;
}

static int64_t int_member(const bt_field *st, int64_t idx)
{
    if (idx < 0)
        return 0;
    const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(st, (uint64_t)idx);
    bt_field_class_type t = bt_field_get_class_type(f);
    if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
        return bt_field_integer_signed_get_value(f);
    if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
        return (int64_t)bt_field_integer_unsigned_get_value(f);
    return 0;
}

static const char *str_member(const bt_field *st, int64_t idx)
{
    if (idx < 0)
        return NULL;
    const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(st, (uint64_t)idx);
    if (bt_field_get_class_type(f) != BT_FIELD_CLASS_TYPE_STRING)
        return NULL;
    const char *s = bt_field_string_get_value(f);
    return strcmp(s, "-") == 0 ? "" : s; /* ev_trace_str's "" */
}

static int64_t snapshot_ns(const bt_clock_snapshot *cs)
{
    int64_t ns = 0;
    if (cs && bt_clock_snapshot_get_ns_from_origin(cs, &ns) !=
                  BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
        ns = 0;
    return ns;
}

static int on_event(struct reader *r, const bt_message *msg)
{
    const bt_event *ev = bt_message_event_borrow_event_const(msg);
    struct klass *k = klass_of(r, bt_event_borrow_class_const(ev));
    if (!k)
        return -1;
    if (k->kind < 0) {
        r->foreign++;
        return 0;
    }
    r->dlsync++;
    const bt_field *pl = bt_event_borrow_payload_field_const(ev);
    struct rev e = {.seq = (int64_t)++r->seq, .kind = k->kind, .vtid = -1, .vpid = -1};
    if (bt_message_event_borrow_stream_class_default_clock_class_const(msg))
        e.ts = snapshot_ns(bt_message_event_borrow_default_clock_snapshot_const(msg));
    if (k->vtid >= 0)
        e.vtid = int_member(bt_event_borrow_common_context_field_const(ev), k->vtid);
    if (k->vpid >= 0)
        e.vpid = int_member(bt_event_borrow_common_context_field_const(ev), k->vpid);
    if (pl) {
        int64_t *dst[] = {&e.grp,   &e.obj,   &e.mode, &e.how, &e.epoch,
                          &e.phase, &e.lease, &e.a,    &e.b};
        for (int f = F_GROUP; f <= F_B; f++)
            *dst[f] = int_member(pl, k->member[f]);
        e.str = str_member(pl, k->member[F_STR]);
        e.str2 = str_member(pl, k->member[F_STR2]);
        if (k->kind == EV_RUN_END) {
            e.how = int_member(pl, k->status);
            if (r->h->run_counts) {
                uint64_t counts[EV_KIND_COUNT];
                for (int c = 0; c < EV_KIND_COUNT; c++)
                    counts[c] = (uint64_t)int_member(pl, k->counts[c]);
                counts[EV_RUN_END] = 0;
                r->h->run_counts(r->h->ctx, e.vpid, counts);
            }
        }
    }
    return r->h->event(r->h->ctx, &e);
}

/* A discarded-events or discarded-packets message: a gap in one stream. */
static void on_discarded(struct reader *r, const bt_message *msg, int packets)
{
    uint64_t count = 0;
    const bt_stream *stream;
    const bt_clock_snapshot *beg = NULL, *end = NULL;
    int have_ts;
    if (packets) {
        if (bt_message_discarded_packets_get_count(msg, &count) !=
            BT_PROPERTY_AVAILABILITY_AVAILABLE)
            count = 0; /* unknown, but some */
        stream = bt_message_discarded_packets_borrow_stream_const(msg);
        have_ts = bt_stream_class_discarded_packets_have_default_clock_snapshots(
            bt_stream_borrow_class_const(stream));
        if (have_ts) {
            beg = bt_message_discarded_packets_borrow_beginning_default_clock_snapshot_const(msg);
            end = bt_message_discarded_packets_borrow_end_default_clock_snapshot_const(msg);
        }
    } else {
        if (bt_message_discarded_events_get_count(msg, &count) !=
            BT_PROPERTY_AVAILABILITY_AVAILABLE)
            count = 0;
        stream = bt_message_discarded_events_borrow_stream_const(msg);
        have_ts = bt_stream_class_discarded_events_have_default_clock_snapshots(
            bt_stream_borrow_class_const(stream));
        if (have_ts) {
            beg = bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(msg);
            end = bt_message_discarded_events_borrow_end_default_clock_snapshot_const(msg);
        }
    }
    if (r->h->discarded)
        r->h->discarded(r->h->ctx, packets ? CTF_LOST_PACKETS : CTF_LOST_EVENTS, count,
                        snapshot_ns(beg), snapshot_ns(end));
}

static void on_stream_beginning(struct reader *r, const bt_message *msg)
{
    const bt_trace *t =
        bt_stream_borrow_trace_const(bt_message_stream_beginning_borrow_stream_const(msg));
    const uint8_t *u = bt_trace_get_uuid(t);
    if (!u || r->uuid[0])
        return;
    snprintf(r->uuid, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

static bt_graph_simple_sink_component_initialize_func_status sink_init(bt_message_iterator *it,
                                                                       void *data)
{
    ((struct reader *)data)->it = it;
    return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

static bt_graph_simple_sink_component_consume_func_status sink_consume(bt_message_iterator *it,
                                                                       void *data)
{
    struct reader *r = data;
    bt_message_array_const msgs;
    uint64_t count = 0;
    switch (bt_message_iterator_next(it, &msgs, &count)) {
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
        break;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
    default:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
    int stop = 0;
    for (uint64_t i = 0; i < count; i++) {
        const bt_message *m = msgs[i];
        if (!stop) {
            switch (bt_message_get_type(m)) {
            case BT_MESSAGE_TYPE_EVENT:
                stop = on_event(r, m) != 0;
                break;
            case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
                on_discarded(r, m, 0);
                break;
            case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
                on_discarded(r, m, 1);
                break;
            case BT_MESSAGE_TYPE_STREAM_BEGINNING:
                on_stream_beginning(r, m);
                break;
            default:
                break;
            }
        }
        bt_message_put_ref(m);
    }
    if (stop) {
        r->stopped = 1;
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
    return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

/* Connect every output port of src to a fresh input port of the muxer. */
static int connect_source(bt_graph *g, const bt_component_source *src,
                          const bt_component_filter *mux)
{
    uint64_t n = bt_component_source_get_output_port_count(src);
    for (uint64_t i = 0; i < n; i++) {
        const bt_port_output *out = bt_component_source_borrow_output_port_by_index_const(src, i);
        uint64_t nin = bt_component_filter_get_input_port_count(mux);
        const bt_port_input *in =
            bt_component_filter_borrow_input_port_by_index_const(mux, nin - 1);
        if (bt_graph_connect_ports(g, out, in, NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
            return -1;
    }
    return 0;
}

enum ctf_status ctf_read(const char *dir, const struct ctf_handler *h, char uuid[37],
                         uint64_t *foreign, char *err, size_t errn)
{
    enum ctf_status st = CTF_INTERNAL;
    struct reader r = {.h = h, .uuid = uuid};
    uuid[0] = 0;
    err[0] = 0;
    const bt_plugin *ctf = find_plugin("ctf"), *utils = find_plugin("utils");
    bt_graph *g = bt_graph_create(0);
    bt_value *params = inputs_params(dir);
    const bt_component_source *src = NULL;
    const bt_component_filter *mux = NULL;
    const bt_component_sink *sink = NULL;
    if (!ctf || !utils || !g || !params) {
        snprintf(err, errn, "babeltrace2: cannot load the ctf and utils plugins");
        goto out;
    }
    const bt_component_class_source *src_cls =
        bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs");
    const bt_component_class_filter *mux_cls =
        bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer");
    if (!src_cls || !mux_cls) {
        snprintf(err, errn, "babeltrace2: source.ctf.fs or filter.utils.muxer missing");
        goto out;
    }
    if (bt_graph_add_source_component(g, src_cls, "src", params, BT_LOGGING_LEVEL_NONE, &src) !=
        BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
        char cause[768], file[512];
        if (take_bt_error(cause, sizeof cause, file, sizeof file)) {
            snprintf(err, errn, "%s: truncated or corrupt stream file: %s", file[0] ? file : dir,
                     cause);
            st = CTF_STREAM;
        } else {
            snprintf(err, errn, "%s/metadata: cannot read the trace's metadata: %s", dir,
                     cause[0] ? cause : "unknown cause");
            st = CTF_METADATA;
        }
        goto out;
    }
    if (bt_graph_add_filter_component(g, mux_cls, "mux", NULL, BT_LOGGING_LEVEL_NONE, &mux) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_add_simple_sink_component(g, "dlsync", sink_init, sink_consume, NULL, &r, &sink) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        connect_source(g, src, mux) != 0 ||
        bt_graph_connect_ports(g, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
                               bt_component_sink_borrow_input_port_by_index_const(sink, 0),
                               NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
        char cause[512];
        take_bt_error(cause, sizeof cause, NULL, 0);
        snprintf(err, errn, "%s: cannot build the babeltrace2 graph: %s", dir, cause);
        goto out;
    }
    if (h->ready)
        h->ready(h->ctx);
    bt_graph_run_status rs;
    do
        rs = bt_graph_run(g);
    while (rs == BT_GRAPH_RUN_STATUS_AGAIN);
    if (r.stopped) {
        bt_current_thread_clear_error();
        st = CTF_STOPPED;
    } else if (rs != BT_GRAPH_RUN_STATUS_OK) {
        char cause[768], file[512];
        take_bt_error(cause, sizeof cause, file, sizeof file);
        snprintf(err, errn, "%s: truncated or corrupt stream file (after %llu events): %s",
                 file[0] ? file : dir, (unsigned long long)r.dlsync,
                 cause[0] ? cause : "unknown cause");
        st = CTF_STREAM;
    } else if (r.dlsync == 0) {
        snprintf(err, errn,
                 "%s: not a dlsync trace: no dlsync:* event (%llu events of other "
                 "providers)",
                 dir, (unsigned long long)r.foreign);
        st = CTF_NOT_DLSYNC;
    } else {
        st = CTF_OK;
    }
out:
    if (foreign)
        *foreign = r.foreign;
    free(r.klasses);
    bt_value_put_ref(params);
    bt_graph_put_ref(g);
    bt_plugin_put_ref(ctf);
    bt_plugin_put_ref(utils);
    return st;
}
