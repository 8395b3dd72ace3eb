/*
 * tracer/session.c — one dlsync recording session through liblttng-ctl.
 *
 * Owns: the LTTng session whose name it generates (tr_session_name) and any
 * lttng-sessiond it starts itself.  It never lists, changes or destroys a
 * session it did not create, and never stops a daemon.  Takes no locks; not
 * thread-safe (the record command is single-threaded).  See tracer/session.h.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lttng/lttng.h>

#include "tracer/ctf_index.h"
#include "tracer/session.h"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(err, errlen, fmt, ap) < 0)
        err[0] = '\0';
    va_end(ap);
}

/* liblttng-ctl returns negative codes; lttng_strerror() wants them negative. */
static const char *lttng_msg(int code)
{
    return lttng_strerror(code < 0 ? code : -code);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Find an executable named prog in $PATH (/usr/bin:/bin when unset). */
static int find_program(const char *prog, char *out, size_t outlen)
{
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path != NULL ? path : "/usr/bin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save)) {
        if (d[0] == '\0')
            continue;
        int n = snprintf(out, outlen, "%s/%s", d, prog);
        if (n > 0 && (size_t)n < outlen && access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

/* The pid file of the calling user's session daemon (root: the global one). */
static pid_t read_sessiond_pid(void)
{
    char file[PATH_MAX];
    if (geteuid() == 0) {
        snprintf(file, sizeof file, "/var/run/lttng/lttng-sessiond.pid");
    } else {
        const char *home = getenv("LTTNG_HOME");
        if (home == NULL || home[0] == '\0')
            home = getenv("HOME");
        if (home == NULL)
            return 0;
        if (snprintf(file, sizeof file, "%s/.lttng/lttng-sessiond.pid", home) >= (int)sizeof file)
            return 0;
    }
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

int tr_sessiond_ensure(pid_t *started_pid, char *err, size_t errlen)
{
    if (started_pid != NULL)
        *started_pid = 0;
    if (lttng_session_daemon_alive() == 1)
        return EX_OK;

    char bin[PATH_MAX];
    if (find_program("lttng-sessiond", bin, sizeof bin) != 0) {
        set_err(err, errlen,
                "no LTTng session daemon is running and lttng-sessiond is not installed "
                "(install the Debian package lttng-tools)");
        return EX_NO_LTTNG;
    }

    /* --daemonize: the command returns once the daemon accepts commands. */
    pid_t pid = fork();
    if (pid < 0) {
        set_err(err, errlen, "cannot start %s: fork: %s", bin, strerror(errno));
        return EX_NO_SESSIOND;
    }
    if (pid == 0) {
        char *const argv[] = {"lttng-sessiond", "--daemonize", "--no-kernel", NULL};
        execv(bin, argv);
        _exit(127);
    }
    int status = 0;
    double deadline = now_s() + 10.0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        if (now_s() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            set_err(err, errlen, "%s --daemonize did not return within 10 s", bin);
            return EX_NO_SESSIOND;
        }
        sleep_ms(10);
    }

    /* Another record may have raced us and started one; either way, wait
     * until some daemon answers. */
    deadline = now_s() + 5.0;
    while (lttng_session_daemon_alive() != 1) {
        if (now_s() > deadline) {
            if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                set_err(err, errlen, "cannot execute %s", bin);
            else
                set_err(err, errlen,
                        "started %s --daemonize (exit status %d) but no session daemon "
                        "answers after 5 s",
                        bin, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            return EX_NO_SESSIOND;
        }
        sleep_ms(20);
    }
    if (started_pid != NULL)
        *started_pid = read_sessiond_pid();
    return EX_OK;
}

void tr_session_name(struct tr_session *s)
{
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        rnd = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16);
    }
    char stamp[32] = "0";
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm) != NULL)
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(s->name, sizeof s->name, "dlsync-%ld-%s-%08x", (long)getpid(), stamp, rnd);
}

/* Largest power of two <= x, at least 4096. */
static uint64_t pow2_floor(uint64_t x)
{
    uint64_t p = 4096;
    while (p * 2 <= x)
        p *= 2;
    return p;
}

static int enable_events(struct tr_session *s, const char *pattern, char *err, size_t errlen)
{
    struct lttng_event *ev = lttng_event_create();
    if (ev == NULL) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    ev->type = LTTNG_EVENT_TRACEPOINT;
    ev->loglevel_type = LTTNG_EVENT_LOGLEVEL_ALL;
    ev->loglevel = -1;
    snprintf(ev->name, sizeof ev->name, "%s", pattern);
    int ret = lttng_enable_event_with_exclusions(s->handle, ev, TR_CHANNEL, NULL, 0, NULL);
    lttng_event_destroy(ev);
    if (ret < 0) {
        set_err(err, errlen, "cannot enable events %s: %s", pattern, lttng_msg(ret));
        return -1;
    }
    return 0;
}

static int add_context(struct tr_session *s, enum lttng_event_context_type type, const char *what,
                       char *err, size_t errlen)
{
    struct lttng_event_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ctx = type;
    int ret = lttng_add_context(s->handle, &ctx, NULL, TR_CHANNEL);
    if (ret < 0) {
        set_err(err, errlen, "cannot add context %s: %s", what, lttng_msg(ret));
        return -1;
    }
    return 0;
}

static int track_only(struct tr_session *s, pid_t vpid, char *err, size_t errlen)
{
    struct lttng_process_attr_tracker_handle *th = NULL;
    enum lttng_error_code rc = lttng_session_get_tracker_handle(
        s->name, LTTNG_DOMAIN_UST, LTTNG_PROCESS_ATTR_VIRTUAL_PROCESS_ID, &th);
    if (rc != LTTNG_OK) {
        set_err(err, errlen, "cannot get the vpid tracker: %s", lttng_msg(-(int)rc));
        return -1;
    }
    int ok =
        lttng_process_attr_tracker_handle_set_tracking_policy(
            th, LTTNG_TRACKING_POLICY_INCLUDE_SET) == LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK &&
        lttng_process_attr_virtual_process_id_tracker_handle_add_pid(th, vpid) ==
            LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK;
    lttng_process_attr_tracker_handle_destroy(th);
    if (!ok) {
        set_err(err, errlen, "cannot restrict the session to vpid %ld", (long)vpid);
        return -1;
    }
    return 0;
}

int tr_session_setup(struct tr_session *s, pid_t track_vpid, int with_bench, char *err,
                     size_t errlen)
{
    struct lttng_session_descriptor *d =
        s->snapshot ? lttng_session_descriptor_snapshot_local_create(s->name, s->path)
                    : lttng_session_descriptor_local_create(s->name, s->path);
    if (d == NULL) {
        set_err(err, errlen, "cannot describe session %s (output %s must be an absolute path)",
                s->name, s->path);
        return EX_SESSION;
    }
    enum lttng_error_code rc = lttng_create_session_ext(d);
    lttng_session_descriptor_destroy(d);
    if (rc != LTTNG_OK) {
        set_err(err, errlen, "cannot create session %s: %s", s->name, lttng_msg(-(int)rc));
        return EX_SESSION;
    }
    s->created = 1;

    struct lttng_domain dom;
    memset(&dom, 0, sizeof dom);
    dom.type = LTTNG_DOMAIN_UST;
    dom.buf_type = LTTNG_BUFFER_PER_UID;
    s->handle = lttng_create_handle(s->name, &dom);
    if (s->handle == NULL) {
        set_err(err, errlen, "cannot create a handle on session %s", s->name);
        goto fail;
    }

    struct lttng_channel *ch = lttng_channel_create(&dom);
    if (ch == NULL) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    snprintf(ch->name, sizeof ch->name, "%s", TR_CHANNEL);
    ch->attr.overwrite = s->snapshot ? 1 : 0;
    ch->attr.num_subbuf = 8;
    ch->attr.subbuf_size = pow2_floor(s->buffer_per_cpu / 8);
    ch->attr.output = LTTNG_EVENT_MMAP;
    int ret = lttng_enable_channel(s->handle, ch);
    lttng_channel_destroy(ch);
    if (ret < 0) {
        set_err(err, errlen, "cannot create channel %s: %s", TR_CHANNEL, lttng_msg(ret));
        goto fail;
    }
    if (add_context(s, LTTNG_EVENT_CONTEXT_VTID, "vtid", err, errlen) != 0 ||
        add_context(s, LTTNG_EVENT_CONTEXT_VPID, "vpid", err, errlen) != 0 ||
        add_context(s, LTTNG_EVENT_CONTEXT_PROCNAME, "procname", err, errlen) != 0)
        goto fail;
    if (enable_events(s, "dlsync:*", err, errlen) != 0)
        goto fail;
    if (with_bench && enable_events(s, "dlsync_bench:*", err, errlen) != 0)
        goto fail;
    if (track_vpid > 0 && track_only(s, track_vpid, err, errlen) != 0)
        goto fail;
    return EX_OK;

fail:
    tr_session_destroy(s, NULL, 0);
    return EX_SESSION;
}

int tr_session_start(struct tr_session *s, char *err, size_t errlen)
{
    int ret = lttng_start_tracing(s->name);
    if (ret < 0) {
        set_err(err, errlen, "cannot start session %s: %s", s->name, lttng_msg(ret));
        return EX_SESSION;
    }
    return EX_OK;
}

/* Add the largest discarded-event counter of one index file (the stream's
 * cumulative count at its last packet) to *total.  A file that is not an
 * index counts 0. */
static void add_index_file(const char *file, uint64_t *total)
{
    struct ctf_index_entry *x;
    uint64_t n, max = 0;
    char why[256];
    if (ctf_index_read(file, &x, &n, why, sizeof why) != 0)
        return;
    for (uint64_t i = 0; i < n; i++)
        if (x[i].events_discarded > max)
            max = x[i].events_discarded;
    free(x);
    *total += max;
}

/* Sum the discarded-event counters of every *.idx file under dir. */
static void add_index_dir(const char *dir, int depth, uint64_t *total)
{
    if (depth > 8)
        return;
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(de->d_name);
        if (S_ISDIR(st.st_mode))
            add_index_dir(path, depth + 1, total);
        else if (S_ISREG(st.st_mode) && n > 4 && strcmp(de->d_name + n - 4, ".idx") == 0)
            add_index_file(path, total);
    }
    closedir(d);
}

int tr_trace_discarded(const char *dir, uint64_t *discarded)
{
    *discarded = 0;
    add_index_dir(dir, 0, discarded);
    return EX_OK;
}

int tr_session_stop(struct tr_session *s, uint64_t *discarded, uint64_t *lost, char *err,
                    size_t errlen)
{
    *discarded = 0;
    *lost = 0;
    /* Stopping flushes every buffer; then wait until the consumer daemon has
     * written all of it.  (lttng_stop_tracing() would do the same wait, but
     * polls every 200 ms; 10 ms keeps `record` quick.) */
    int ret = lttng_stop_tracing_no_wait(s->name);
    if (ret < 0) {
        set_err(err, errlen, "cannot stop session %s: %s", s->name, lttng_msg(ret));
        return EX_TEARDOWN;
    }
    double deadline = now_s() + 60.0;
    while ((ret = lttng_data_pending(s->name)) == 1) {
        if (now_s() > deadline) {
            set_err(err, errlen, "session %s: data still pending 60 s after stop", s->name);
            return EX_TEARDOWN;
        }
        sleep_ms(10);
    }
    if (ret < 0) {
        set_err(err, errlen, "session %s: cannot wait for its data: %s", s->name, lttng_msg(ret));
        return EX_TEARDOWN;
    }
    struct lttng_channel *chans = NULL;
    int n = lttng_list_channels(s->handle, &chans);
    if (n < 0) {
        set_err(err, errlen, "cannot read the channel statistics of %s: %s", s->name, lttng_msg(n));
        return EX_TEARDOWN;
    }
    /* The daemon's counts.  lttng-tools 2.13 sometimes reports a count with
     * bit 63 set for per-UID buffers (its consumer treats a stream counter
     * that appears to go backwards as a wrap-around); such a value is
     * meaningless and ignored. */
    uint64_t api_discarded = 0;
    for (int i = 0; i < n; i++) {
        uint64_t d = 0, l = 0;
        if (lttng_channel_get_discarded_event_count(&chans[i], &d) == 0 && d < (1ull << 62))
            api_discarded += d;
        if (lttng_channel_get_lost_packet_count(&chans[i], &l) == 0 && l < (1ull << 62))
            *lost += l;
    }
    free(chans);
    /* The trace's own count (exact): the packet indexes the consumer wrote.
     * Snapshot sessions have none until a snapshot is taken. */
    if (!s->snapshot)
        tr_trace_discarded(s->path, discarded);
    if (api_discarded > *discarded)
        *discarded = api_discarded;
    return EX_OK;
}

int tr_session_snapshot(struct tr_session *s, char *where, size_t wherelen, char *err,
                        size_t errlen)
{
    int ret = lttng_snapshot_record(s->name, NULL, 1);
    if (ret < 0) {
        set_err(err, errlen, "cannot record a snapshot of %s: %s", s->name, lttng_msg(ret));
        return EX_TEARDOWN;
    }
    /* The snapshot is a new directory snapshot-<n>-<date>-<seq> in s->path;
     * the session is ours alone, so take the newest such entry. */
    DIR *dir = opendir(s->path);
    if (dir == NULL) {
        set_err(err, errlen, "snapshot taken but %s is unreadable: %s", s->path, strerror(errno));
        return EX_TEARDOWN;
    }
    char best[256] = "";
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, "snapshot-", 9) == 0 && strcmp(de->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", de->d_name);
    }
    closedir(dir);
    if (best[0] == '\0') {
        set_err(err, errlen, "snapshot taken but no snapshot-* directory in %s", s->path);
        return EX_TEARDOWN;
    }
    if (snprintf(where, wherelen, "%s/%s", s->path, best) >= (int)wherelen) {
        set_err(err, errlen, "snapshot path too long");
        return EX_TEARDOWN;
    }
    return EX_OK;
}

int tr_session_destroy(struct tr_session *s, char *err, size_t errlen)
{
    int rc = EX_OK;
    if (s->handle != NULL) {
        lttng_destroy_handle(s->handle);
        s->handle = NULL;
    }
    if (!s->created)
        return EX_OK;
    s->created = 0;
    struct lttng_destruction_handle *dh = NULL;
    enum lttng_error_code ec = lttng_destroy_session_ext(s->name, &dh);
    if (ec != LTTNG_OK) {
        set_err(err, errlen, "cannot destroy session %s: %s", s->name, lttng_msg(-(int)ec));
        return EX_TEARDOWN;
    }
    enum lttng_destruction_handle_status st =
        lttng_destruction_handle_wait_for_completion(dh, 60000);
    enum lttng_error_code result = LTTNG_OK;
    if (st != LTTNG_DESTRUCTION_HANDLE_STATUS_COMPLETED) {
        set_err(err, errlen, "session %s: destruction did not complete within 60 s", s->name);
        rc = EX_TEARDOWN;
    } else if (lttng_destruction_handle_get_result(dh, &result) !=
                   LTTNG_DESTRUCTION_HANDLE_STATUS_OK ||
               result != LTTNG_OK) {
        set_err(err, errlen, "session %s: destruction failed: %s", s->name,
                lttng_msg(-(int)result));
        rc = EX_TEARDOWN;
    }
    lttng_destruction_handle_destroy(dh);
    return rc;
}
