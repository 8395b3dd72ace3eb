/*
 * tests/tracer/bt_counts.c — read a dlsync trace with the libbabeltrace2 C API
 * (source.ctf.fs -> filter.utils.muxer -> a simple sink) and compare, per
 * kind, the number of dlsync:<kind> events with the n_<kind> field of
 * run_end.  Shows how a C reader gets at the fields by name (payload member
 * "n_lock_attempt", common-context member "vtid").
 *
 *   bt_counts [--hang] TRACE_DIR
 *
 * Prints `PASS capi.counts` or `FAIL capi.counts: ...`; exit 0 or 1 (2 on
 * usage or reading errors).  With --hang the trace may hold more events than
 * run_end carries (see docs/events.md).  Owns nothing shared; no locks.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <babeltrace2/babeltrace.h>

#define MAX_KINDS 128

struct tally {
    char name[MAX_KINDS][64];
    uint64_t seen[MAX_KINDS];
    uint64_t carried[MAX_KINDS];
    int has_carried[MAX_KINDS];
    int nkinds;
    int run_ends;
    int no_vtid;
};

static int kind_index(struct tally *t, const char *name)
{
    for (int i = 0; i < t->nkinds; i++)
        if (strcmp(t->name[i], name) == 0)
            return i;
    if (t->nkinds == MAX_KINDS)
        return -1;
    snprintf(t->name[t->nkinds], sizeof t->name[0], "%s", name);
    return t->nkinds++;
}

static void on_event(struct tally *t, const bt_event *event)
{
    const char *full = bt_event_class_get_name(bt_event_borrow_class_const(event));
    if (full == NULL || strncmp(full, "dlsync:", 7) != 0)
        return;
    const char *name = full + 7;
    const bt_field *ctx = bt_event_borrow_common_context_field_const(event);
    if (ctx == NULL || bt_field_structure_borrow_member_field_by_name_const(ctx, "vtid") == NULL)
        t->no_vtid++;
    if (strcmp(name, "run_end") == 0) {
        t->run_ends++;
        const bt_field *payload = bt_event_borrow_payload_field_const(event);
        const bt_field_class *fc = bt_field_borrow_class_const(payload);
        uint64_t n = bt_field_class_structure_get_member_count(fc);
        for (uint64_t i = 0; i < n; i++) {
            const bt_field_class_structure_member *m =
                bt_field_class_structure_borrow_member_by_index_const(fc, i);
            const char *mname = bt_field_class_structure_member_get_name(m);
            if (strncmp(mname, "n_", 2) != 0)
                continue;
            /* The by-name lookup a reader would normally use: */
            const bt_field *f =
                bt_field_structure_borrow_member_field_by_name_const(payload, mname);
            int k = kind_index(t, mname + 2);
            if (k >= 0 && f != NULL) {
                t->carried[k] = bt_field_integer_unsigned_get_value(f);
                t->has_carried[k] = 1;
            }
        }
        return;
    }
    int k = kind_index(t, name);
    if (k >= 0)
        t->seen[k]++;
}

/* source.ctf.fs wants the directories that hold a `metadata` file (the
 * babeltrace2 command searches for them itself): add each one under dir. */
static int add_trace_dirs(bt_value *inputs, const char *dir, int depth)
{
    char path[PATH_MAX];
    struct stat st;
    int found = 0;
    snprintf(path, sizeof path, "%s/metadata", dir);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        bt_value_array_append_string_element(inputs, dir);
        return 1;
    }
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    if (d == NULL)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            found += add_trace_dirs(inputs, path, depth + 1);
    }
    closedir(d);
    return found;
}

static bt_graph_simple_sink_component_consume_func_status consume(bt_message_iterator *it,
                                                                  void *data)
{
    bt_message_array_const msgs;
    uint64_t count;
    switch (bt_message_iterator_next(it, &msgs, &count)) {
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
        break;
    default:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (bt_message_get_type(msgs[i]) == BT_MESSAGE_TYPE_EVENT)
            on_event(data, bt_message_event_borrow_event_const(msgs[i]));
        bt_message_put_ref(msgs[i]);
    }
    return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

int main(int argc, char **argv)
{
    int hang = argc == 3 && strcmp(argv[1], "--hang") == 0;
    if (argc != 2 + hang) {
        fprintf(stderr, "usage: bt_counts [--hang] TRACE_DIR\n");
        return 2;
    }
    const char *dir = argv[1 + hang];

    const bt_plugin *ctf = NULL, *utils = NULL;
    if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &ctf) !=
            BT_PLUGIN_FIND_STATUS_OK ||
        bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &utils) !=
            BT_PLUGIN_FIND_STATUS_OK) {
        fprintf(stderr, "bt_counts: babeltrace2 plugins ctf/utils not found\n");
        return 2;
    }
    bt_graph *graph = bt_graph_create(0);
    bt_value *params = bt_value_map_create();
    bt_value *inputs = NULL;
    bt_value_map_insert_empty_array_entry(params, "inputs", &inputs);
    if (add_trace_dirs(inputs, dir, 0) == 0) {
        fprintf(stderr, "bt_counts: no CTF trace (metadata file) under %s\n", dir);
        return 2;
    }

    const bt_component_source *src = NULL;
    const bt_component_filter *mux = NULL;
    const bt_component_sink *sink = NULL;
    static struct tally t;
    if (bt_graph_add_source_component(
            graph, bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs"), "src", params,
            BT_LOGGING_LEVEL_WARNING, &src) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_add_filter_component(
            graph, bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer"), "mux",
            NULL, BT_LOGGING_LEVEL_WARNING, &mux) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_add_simple_sink_component(graph, "count", NULL, consume, NULL, &t, &sink) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
        fprintf(stderr, "bt_counts: cannot build the graph for %s\n", dir);
        return 2;
    }
    uint64_t nout = bt_component_source_get_output_port_count(src);
    for (uint64_t i = 0; i < nout; i++)
        bt_graph_connect_ports(graph, bt_component_source_borrow_output_port_by_index_const(src, i),
                               bt_component_filter_borrow_input_port_by_index_const(mux, i), NULL);
    bt_graph_connect_ports(graph, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
                           bt_component_sink_borrow_input_port_by_index_const(sink, 0), NULL);
    bt_graph_run_status st;
    while ((st = bt_graph_run(graph)) == BT_GRAPH_RUN_STATUS_AGAIN)
        ;
    if (st != BT_GRAPH_RUN_STATUS_OK) {
        fprintf(stderr, "bt_counts: reading %s failed\n", dir);
        return 2;
    }

    char why[4096] = "";
    size_t w = 0;
    if (t.run_ends != 1)
        w += (size_t)snprintf(why + w, sizeof why - w, " %d run_end events;", t.run_ends);
    if (t.no_vtid)
        w += (size_t)snprintf(why + w, sizeof why - w, " %d events without vtid;", t.no_vtid);
    for (int k = 0; k < t.nkinds && w < sizeof why - 128; k++) {
        int bad =
            !t.has_carried[k] || (hang ? t.seen[k] < t.carried[k] : t.seen[k] != t.carried[k]);
        if (bad)
            w += (size_t)snprintf(why + w, sizeof why - w, " %s(trace %llu, run_end %llu)",
                                  t.name[k], (unsigned long long)t.seen[k],
                                  (unsigned long long)t.carried[k]);
    }
    bt_value_put_ref(params);
    bt_graph_put_ref(graph);
    bt_plugin_put_ref(ctf);
    bt_plugin_put_ref(utils);
    if (why[0] != '\0') {
        printf("FAIL capi.counts:%s\n", why);
        return 1;
    }
    printf("PASS capi.counts (%d kinds)\n", t.nkinds);
    return 0;
}
