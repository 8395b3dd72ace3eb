/*
 * replay/ingest.c — the work of `dlsync ingest` (its command line:
 * cli/ingest.c): recorded traces into a SQLite database.
 *
 * Owns: the pipeline of one ingest.  Every trace is
 * checked first (ctf_check.c: what libbabeltrace2 must never see).  Then
 * each trace is read once per process it holds (one run each): a read runs
 * the babeltrace2 graph (ctf_source.c) in a child process of its own — a
 * library that aborts or loops on corrupt input takes only that child with
 * it — which validates every event (rev_check) and streams framed records
 * (batches of events, gaps, run_end's counts, its end) through a pipe.  The
 * parent, single-threaded, waits on that pipe and on its own signals with
 * poll(), applies the events to the model (model.c, whose records become
 * the derived tables) and writes every row (db.c), all in one transaction.
 * A child that dies, ends without its end record or makes no progress for
 * a deadline is an error naming the trace; a signal (SIGINT, SIGTERM,
 * SIGHUP) at any stage kills the child and rolls everything back.
 *
 * Locks: none of its own; SQLite's file locks (db.h).  Memory is bounded by
 * one frame and the model, not by the trace; the child's by an address-space
 * limit.  The child never touches SQLite and leaves with _exit.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "replay/ingest.h"
#include "replay/ctf_check.h"
#include "replay/ctf_source.h"
#include "replay/db.h"
#include "replay/model.h"
#include "replay/progress.h"

enum {
    BATCH = 16384,                /* events per frame */
    ARENA = 64 * 1024,            /* string bytes per frame */
    STR_MAX = 255,                /* bytes kept of a string */
    PROC_MAX = 64,                /* processes per trace */
    ERR_MAX = 1024,               /* bytes of an error message */
    PIPE_BYTES = 4 * 1024 * 1024, /* the pipe's buffer, if the kernel allows */
};
/* What the reader's address space may grow by: room for libbabeltrace2 on
 * any sane trace, not the machine's memory. */
#define READER_AS_MAX ((rlim_t)4 << 30)
/* want_vpid of a first read: take the first process seen, note the others. */
#define PROC_FIRST INT64_MIN

/* ---- signals --------------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static int sig_w = -1; /* write end of the self-pipe poll() watches */

static void on_signal(int sig)
{
    int saved = errno;
    interrupted = sig;
    if (sig_w >= 0) {
        ssize_t r = write(sig_w, "s", 1);
        (void)r; /* full: poll already sees it */
    }
    errno = saved;
}

static const int watched[] = {SIGINT, SIGTERM, SIGHUP};
enum { NWATCHED = sizeof watched / sizeof watched[0] };

static void install_signals(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NWATCHED; i++)
        sigaction(watched[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
    for (int i = 0; i < NWATCHED; i++)
        sigaction(watched[i], &old[i], NULL);
}

/* ---- the frames between reader and writer ------------------------------------------ */

enum frame_kind { FR_READY = 1, FR_EVENTS, FR_GAP, FR_COUNTS, FR_END };

struct frame_head {
    uint32_t kind, len; /* len: bytes of payload that follow */
};

/* FR_EVENTS: this head, n wire events, ntext bytes of strings. */
struct events_head {
    uint32_t n, ntext;
};
struct wire_event {
    struct rev e;       /* e.seq: position among the trace's dlsync events; str unset */
    uint32_t str, str2; /* 1 + offset of the string in the frame's text; 0: none */
};

struct wire_gap {
    uint32_t what; /* enum ctf_lost */
    uint64_t count;
    int64_t beg, end;
};

struct wire_end {
    int32_t status; /* enum ctf_status */
    char uuid[37];
    uint64_t foreign;
    int64_t vpid;             /* the process read (-1: no vpid context) */
    uint32_t nothers;         /* first read: the other processes seen */
    int64_t others[PROC_MAX]; /* in order of first appearance */
    char err[ERR_MAX];
};

enum {
    FRAME_MAX = sizeof(struct events_head) + BATCH * sizeof(struct wire_event) + ARENA,
};

/* ---- the reader (child process) ---------------------------------------------------- */

struct child {
    int fd;
    const char *trace;
    int64_t want; /* PROC_FIRST until the first event, then the process read */
    int first;    /* a first read: note the other processes */
    struct wire_end end;
    struct events_head eh;
    struct wire_event ev[BATCH];
    char text[ARENA];
};

/* Write all of iov or die (the parent is gone: nothing else to do). */
static void put_all(struct child *c, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(c->fd, iov, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(EX_INTERNAL);
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
}

static void flush_events(struct child *c)
{
    if (!c->eh.n)
        return;
    struct frame_head h = {FR_EVENTS,
                           (uint32_t)(sizeof c->eh + c->eh.n * sizeof c->ev[0] + c->eh.ntext)};
    struct iovec iov[] = {{&h, sizeof h},
                          {&c->eh, sizeof c->eh},
                          {c->ev, c->eh.n * sizeof c->ev[0]},
                          {c->text, c->eh.ntext}};
    put_all(c, iov, 4);
    c->eh.n = c->eh.ntext = 0;
}

static void put_frame(struct child *c, enum frame_kind kind, const void *p, size_t len)
{
    flush_events(c);
    struct frame_head h = {kind, (uint32_t)len};
    struct iovec iov[] = {{&h, sizeof h}, {(void *)p, len}};
    put_all(c, iov, len ? 2 : 1);
}

static uint32_t keep_str(struct child *c, const char *s)
{
    if (!s)
        return 0;
    size_t len = strnlen(s, STR_MAX);
    uint32_t at = c->eh.ntext;
    memcpy(c->text + at, s, len);
    c->text[at + len] = 0;
    c->eh.ntext += (uint32_t)len + 1;
    return at + 1;
}

/* Is e's process the one this read takes?  The first read takes the first
 * process seen and notes the others (at most PROC_MAX in all). */
static int takes(struct child *c, int64_t vpid)
{
    if (c->want == PROC_FIRST)
        c->want = c->end.vpid = vpid;
    if (vpid == c->want)
        return 1;
    if (!c->first)
        return 0; /* a later read: the others are read by reads of their own */
    for (uint32_t i = 0; i < c->end.nothers; i++)
        if (c->end.others[i] == vpid)
            return 0;
    if (c->end.nothers + 1 >= PROC_MAX) {
        c->end.status = CTF_NOT_DLSYNC;
        snprintf(c->end.err, sizeof c->end.err,
                 "%s: events of more than %d processes: ingest reads at most %d from one trace "
                 "(record fewer processes per session)",
                 c->trace, PROC_MAX, PROC_MAX);
        return 0;
    }
    c->end.others[c->end.nothers++] = vpid;
    return 0;
}

static void child_ready(void *ctx)
{
    put_frame(ctx, FR_READY, NULL, 0);
}

static int child_event(void *ctx, const struct rev *e)
{
    struct child *c = ctx;
    char why[160];
    if (rev_check(e, why, sizeof why) != 0) {
        c->end.status = CTF_STREAM;
        snprintf(c->end.err, sizeof c->end.err, "%s: event %lld (%s): %s: corrupt trace", c->trace,
                 (long long)e->seq,
                 e->kind >= 0 && e->kind < EV_KIND_COUNT ? ev_kind_name((enum ev_kind)e->kind)
                                                         : "?",
                 why);
        return 1;
    }
    if (!takes(c, e->vpid))
        return c->end.status != CTF_OK;
    if (c->eh.n == BATCH || c->eh.ntext + 2 * (STR_MAX + 1) > ARENA)
        flush_events(c);
    struct wire_event *w = &c->ev[c->eh.n++];
    w->e = *e;
    w->e.str = w->e.str2 = NULL;
    w->str = keep_str(c, e->str);
    w->str2 = keep_str(c, e->str2);
    return 0;
}

static void child_discarded(void *ctx, enum ctf_lost what, uint64_t count, int64_t beg, int64_t end)
{
    struct wire_gap g = {.what = what, .count = count, .beg = beg, .end = end};
    put_frame(ctx, FR_GAP, &g, sizeof g);
}

static void child_counts(void *ctx, int64_t vpid, const uint64_t counts[EV_KIND_COUNT])
{
    struct child *c = ctx;
    if (vpid == c->want)
        put_frame(c, FR_COUNTS, counts, EV_KIND_COUNT * sizeof counts[0]);
}

/* The reader may map READER_AS_MAX more than it had at the fork (what it
 * had counts: a sanitizer's shadow memory is mapped up front). */
static void limit_reader(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + READER_AS_MAX;
    struct rlimit as = {lim, lim};
    setrlimit(RLIMIT_AS, &as);
}

/* The child's life: read the trace, stream it to fd, leave. */
static _Noreturn void reader_main(int fd, const char *trace, int64_t want, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(EX_INTERNAL);
    /* Only the parent decides about a Ctrl-C (the terminal signals the whole
     * process group); SIGTERM and SIGPIPE kill. */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    limit_reader();
    struct child *c = calloc(1, sizeof *c);
    if (!c)
        _exit(EX_INTERNAL);
    c->fd = fd;
    c->trace = trace;
    c->want = want;
    c->first = want == PROC_FIRST;
    c->end.vpid = c->first ? -1 : want;
    struct ctf_handler h = {.ctx = c,
                            .ready = child_ready,
                            .event = child_event,
                            .discarded = child_discarded,
                            .run_counts = child_counts};
    char err[ERR_MAX];
    enum ctf_status st = ctf_read(trace, &h, c->end.uuid, &c->end.foreign, err, sizeof err);
    if (c->end.status == CTF_OK) { /* else the handler's own error stopped it */
        c->end.status = st;
        snprintf(c->end.err, sizeof c->end.err, "%s", err);
    }
    put_frame(c, FR_END, &c->end, sizeof c->end);
    _exit(0);
}

/* ---- the writer (parent) ---------------------------------------------------------- */

/* One read of one trace: one process, one run. */
struct pass {
    const char *trace;
    const struct ctf_layout *layout;
    int64_t want;      /* PROC_FIRST or the process */
    const char *label; /* progress bar */
    /* what the reader found */
    int ready, ended;
    struct wire_end end;
    /* the run */
    struct model m;
    int64_t seq_base;
    uint64_t ingested[EV_KIND_COUNT], events, discarded, gaps;
    uint64_t emitted[EV_KIND_COUNT];
    int have_emitted;
    struct progress bar;
};

struct reader_proc {
    pid_t pid;
    int fd;
    unsigned char *buf; /* received bytes not yet handled */
    size_t used;
};

static int exit_for_ctf(enum ctf_status st)
{
    switch (st) {
    case CTF_OK:
        return EX_OK;
    case CTF_NO_TRACE:
        return EX_NO_INPUT;
    case CTF_METADATA:
    case CTF_STREAM:
    case CTF_NOT_DLSYNC:
        return EX_CORRUPT;
    default:
        return EX_INTERNAL;
    }
}

static int exit_for_db(int st)
{
    return st == DB_FULL ? EX_DISK_FULL : EX_OUTPUT;
}

static int say(char *err, size_t n, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(char *err, size_t n, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return code;
}

static int stop_code(const struct db *db, char *err, size_t errn)
{
    if (interrupted)
        return say(err, errn, EX_INTERRUPTED, "interrupted by signal %d", (int)interrupted);
    if (db->status != DB_OK)
        return say(err, errn, exit_for_db(db->status), "%s", db->err);
    return EX_OK;
}

static int start_reader(struct reader_proc *r, const struct pass *p, char *err, size_t errn)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return say(err, errn, EX_INTERNAL, "cannot make a pipe: %s", strerror(errno));
    fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES); /* a hint: smaller is slower, not wrong */
    fflush(NULL);
    /* Signals wait until the child has its own dispositions. */
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        reader_main(fds[1], p->trace, p->want, parent);
    }
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return say(err, errn, EX_INTERNAL, "cannot start the trace reader: %s", strerror(saved));
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    *r = (struct reader_proc){
        .pid = pid, .fd = fds[0], .buf = malloc(sizeof(struct frame_head) + FRAME_MAX)};
    if (!r->buf)
        abort();
    return EX_OK;
}

/* Kill the reader if it still runs, and collect it: its wait status. */
static int stop_reader(struct reader_proc *r, int kill_it)
{
    int status = 0;
    if (kill_it)
        kill(r->pid, SIGKILL);
    while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(r->fd);
    free(r->buf);
    return status;
}

static void apply_events(struct pass *p, struct db *db, const unsigned char *pl)
{
    struct events_head eh;
    memcpy(&eh, pl, sizeof eh);
    const unsigned char *w = pl + sizeof eh;
    const char *text = (const char *)(w + eh.n * sizeof(struct wire_event));
    struct wire_event x;
    for (uint32_t i = 0; i < eh.n; i++) {
        memcpy(&x, w + i * sizeof x, sizeof x);
        struct rev e = x.e;
        e.seq = p->seq_base + (int64_t)p->events++;
        e.str = x.str ? text + x.str - 1 : NULL;
        e.str2 = x.str2 ? text + x.str2 - 1 : NULL;
        model_apply(&p->m, &e);
        db_put_event(db, &e);
        p->ingested[e.kind]++;
    }
    if (eh.n && p->layout->end_ns > p->layout->begin_ns)
        progress_update(&p->bar,
                        (double)(x.e.ts - p->layout->begin_ns) /
                            (double)(p->layout->end_ns - p->layout->begin_ns),
                        p->events);
}

/* Is the frame well formed (the reader is ours, but a frame sizes memory)? */
static int frame_ok(const struct frame_head *h, const unsigned char *pl)
{
    switch (h->kind) {
    case FR_READY:
        return h->len == 0;
    case FR_GAP:
        return h->len == sizeof(struct wire_gap);
    case FR_COUNTS:
        return h->len == EV_KIND_COUNT * sizeof(uint64_t);
    case FR_END:
        return h->len == sizeof(struct wire_end);
    case FR_EVENTS: {
        struct events_head eh;
        if (h->len < sizeof eh)
            return 0;
        memcpy(&eh, pl, sizeof eh);
        if (eh.n > BATCH || eh.ntext > ARENA ||
            h->len != sizeof eh + eh.n * sizeof(struct wire_event) + eh.ntext)
            return 0;
        const unsigned char *w = pl + sizeof eh;
        const char *text = (const char *)(w + eh.n * sizeof(struct wire_event));
        struct wire_event x;
        for (uint32_t i = 0; i < eh.n; i++) {
            memcpy(&x, w + i * sizeof x, sizeof x);
            if (x.str > eh.ntext || x.str2 > eh.ntext ||
                (x.str && !memchr(text + x.str - 1, 0, eh.ntext - x.str + 1)) ||
                (x.str2 && !memchr(text + x.str2 - 1, 0, eh.ntext - x.str2 + 1)))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

static void on_gap(struct pass *p, struct db *db, const struct wire_gap *g)
{
    uint64_t events = g->what == CTF_LOST_EVENTS ? g->count : 0;
    p->discarded += events;
    p->gaps++;
    db_put_discarded(db, events, g->beg, g->end);
    progress_done(&p->bar);
    if (g->what == CTF_LOST_EVENTS)
        fprintf(stderr,
                "dlsync ingest: %s: the tracer discarded %llu event(s)%s; the run's timeline "
                "has a gap there (not a hang)\n",
                p->trace, (unsigned long long)g->count, g->count ? "" : " (count unknown)");
    else
        fprintf(stderr,
                "dlsync ingest: %s: the trace lost %llu packet(s) of a stream%s; the run's "
                "timeline has a gap there (not a hang)\n",
                p->trace, (unsigned long long)g->count, g->count ? "" : " (count unknown)");
}

/* Handle every whole frame in r->buf; returns an exit code (EX_OK: go on). */
static int handle_frames(struct reader_proc *r, struct pass *p, struct db *db, char *err,
                         size_t errn)
{
    size_t at = 0;
    int code = EX_OK;
    assert(r->used <= sizeof(struct frame_head) + FRAME_MAX);
    while (code == EX_OK && r->used - at >= sizeof(struct frame_head)) {
        struct frame_head h;
        memcpy(&h, r->buf + at, sizeof h);
        if (h.len > FRAME_MAX)
            return say(err, errn, EX_INTERNAL, "%s: the trace reader sent a frame of %u bytes",
                       p->trace, h.len);
        if (r->used - at - sizeof h < h.len)
            break;
        const unsigned char *pl = r->buf + at + sizeof h;
        at += sizeof h + h.len;
        if (!frame_ok(&h, pl) || p->ended)
            return say(err, errn, EX_INTERNAL, "%s: the trace reader sent a bad frame (kind %u)",
                       p->trace, h.kind);
        switch (h.kind) {
        case FR_READY:
            p->ready = 1;
            break;
        case FR_EVENTS:
            apply_events(p, db, pl);
            break;
        case FR_GAP: {
            struct wire_gap g;
            memcpy(&g, pl, sizeof g);
            on_gap(p, db, &g);
            break;
        }
        case FR_COUNTS:
            memcpy(p->emitted, pl, sizeof p->emitted);
            p->have_emitted = 1;
            break;
        case FR_END:
            memcpy(&p->end, pl, sizeof p->end);
            p->end.err[sizeof p->end.err - 1] = 0;
            p->end.uuid[sizeof p->end.uuid - 1] = 0;
            if (p->end.nothers > PROC_MAX)
                p->end.nothers = PROC_MAX;
            p->ended = 1;
            break;
        }
        code = stop_code(db, err, errn);
    }
    if (at) {
        memmove(r->buf, r->buf + at, r->used - at);
        r->used -= at;
    }
    return code;
}

/* Why the reader is gone (or was killed as stalled) without its end record. */
static int reader_lost(const struct pass *p, int status, int stalled_s, char *err, size_t errn)
{
    int code = EX_CORRUPT;
    const char *what = p->ready ? "stream files" : "metadata";
    if (stalled_s)
        return say(err, errn, code,
                   "%s: libbabeltrace2 made no progress for %d s reading the trace (it loops on "
                   "some corrupt input): corrupt %s",
                   p->trace, stalled_s, what);
    if (WIFSIGNALED(status))
        return say(err, errn, code, "%s: libbabeltrace2 %s (%s) reading the trace: corrupt %s%s",
                   p->trace, WTERMSIG(status) == SIGABRT ? "aborted" : "died",
                   strsignal(WTERMSIG(status)), what,
                   WTERMSIG(status) == SIGABRT || WTERMSIG(status) == SIGSEGV
                       ? " (or the reader ran out of its 4 GiB of address space)"
                       : "");
    return say(err, errn, EX_INTERNAL, "%s: the trace reader exited (status %d) before the end",
               p->trace, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Run one reader to its end, writing what it sends; returns an exit code.
 * The reader is gone (collected) on return, whatever the outcome. */
static int read_pass(struct pass *p, struct db *db, int sig_r, int stall_s, char *err, size_t errn)
{
    assert(p->trace && p->layout && stall_s > 0);
    struct reader_proc r = {.fd = -1};
    int code = start_reader(&r, p, err, errn);
    if (code != EX_OK)
        return code;
    int eof = 0, stalled = 0;
    while (code == EX_OK && !eof) {
        struct pollfd fds[2] = {{.fd = sig_r, .events = POLLIN}, {.fd = r.fd, .events = POLLIN}};
        int n = poll(fds, 2, stall_s * 1000);
        if ((code = stop_code(db, err, errn)) != EX_OK)
            break;
        if (n < 0 && errno != EINTR) {
            code = say(err, errn, EX_INTERNAL, "poll: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            stalled = stall_s;
            break;
        }
        if (fds[0].revents) { /* a signal of the child's before it set its own: drain */
            char junk[64];
            while (read(sig_r, junk, sizeof junk) > 0)
                ;
        }
        for (;;) {
            size_t room = sizeof(struct frame_head) + FRAME_MAX - r.used;
            ssize_t got = read(r.fd, r.buf + r.used, room);
            if (got < 0 && errno == EINTR)
                continue;
            if (got == 0)
                eof = 1;
            if (got <= 0)
                break;
            r.used += (size_t)got;
            if ((code = handle_frames(&r, p, db, err, errn)) != EX_OK || interrupted)
                break;
        }
        if (code == EX_OK)
            code = stop_code(db, err, errn);
    }
    int status = stop_reader(&r, !eof || code != EX_OK);
    progress_done(&p->bar);
    if (code != EX_OK)
        return code;
    if (!p->ended || stalled)
        return reader_lost(p, status, stalled, err, errn);
    if (r.used)
        return say(err, errn, EX_INTERNAL, "%s: the trace reader left %zu bytes unread", p->trace,
                   r.used);
    if (p->end.status != CTF_OK)
        return say(err, errn, exit_for_ctf(p->end.status), "%s", p->end.err);
    return EX_OK;
}

/* The kinds of which the run holds fewer events than run_end says were
 * emitted, on stderr. */
static void report_short(const struct pass *p)
{
    char list[1024];
    size_t len = 0;
    list[0] = 0;
    for (int k = 0; k < EV_KIND_COUNT && p->have_emitted; k++) {
        if (k == EV_RUN_END || p->emitted[k] <= p->ingested[k])
            continue;
        int w = snprintf(list + len, sizeof list - len, "%s%llu of %llu %s", len ? ", " : "",
                         (unsigned long long)(p->emitted[k] - p->ingested[k]),
                         (unsigned long long)p->emitted[k], ev_kind_name((enum ev_kind)k));
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
    }
    if (len)
        fprintf(stderr,
                "dlsync ingest: %s: the trace lacks %s events (run_end counted them as "
                "emitted)%s\n",
                p->trace, list,
                p->gaps ? ": the gaps above"
                        : ": nothing was reported lost, the trace is "
                          "incomplete");
}

/* One trace, one process: a run.  Returns an exit code. */
static int ingest_run(struct pass *p, struct db *db, int sig_r, const struct ingest_opts *o,
                      int several, char *err, size_t errn)
{
    struct model_sink sink = db_sink_template;
    sink.ctx = db;
    model_init(&p->m, &sink);
    progress_init(&p->bar, p->label, o->progress);
    db_run_begin(db, p->trace, &p->seq_base);
    for (int i = 0; i < p->layout->ngaps; i++) {
        const struct ctf_gap *g = &p->layout->gaps[i];
        p->gaps++;
        db_put_discarded(db, 0, g->begin_ns, g->end_ns);
        fprintf(stderr,
                "dlsync ingest: %s: --partial: stream file %s is missing or empty (its index "
                "lists %llu packet(s)); its events are a gap in the run (count unknown)\n",
                p->trace, g->stream, (unsigned long long)g->packets);
    }
    int code = read_pass(p, db, sig_r, o->stall_s, err, errn);
    if (code == EX_OK) {
        model_flush(&p->m);
        struct run_summary s = {
            .vpid = p->end.vpid,
            .m = &p->m,
            .events = p->events,
            .discarded = p->discarded,
            .foreign = p->end.foreign,
            .first_seq = p->seq_base,
            .ingested = p->ingested,
            .emitted = p->have_emitted ? p->emitted : NULL,
        };
        memcpy(s.uuid, p->end.uuid, sizeof s.uuid);
        db_run_end(db, &s);
        code = stop_code(db, err, errn);
    }
    if (code == EX_OK) {
        report_short(p);
        if (!o->quiet) {
            const struct model *m = &p->m;
            char proc[40] = "";
            if (several)
                snprintf(proc, sizeof proc, " (process %lld)", (long long)p->end.vpid);
            printf("run %lld: %s, seed %lld, %s: %llu events (seq %lld-%lld)%s from %s%s\n",
                   (long long)db->run_id, m->scenario[0] ? m->scenario : "?", (long long)m->seed,
                   m->run_end_seq ? "ended" : "no run_end", (unsigned long long)p->events,
                   (long long)p->seq_base, (long long)m->last_seq, p->gaps ? ", with gaps" : "",
                   p->trace, proc);
        }
    }
    model_free(&p->m);
    return code;
}

/* Every process of one trace, one run each: a first read takes the first
 * process seen and names the others, then one read per other process. */
static int ingest_trace(const char *trace, const struct ctf_layout *layout, const char *label,
                        struct db *db, int sig_r, const struct ingest_opts *o, char *err,
                        size_t errn)
{
    struct pass *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    *p = (struct pass){.trace = trace, .layout = layout, .want = PROC_FIRST, .label = label};
    int code = ingest_run(p, db, sig_r, o, 0, err, errn);
    struct wire_end first = p->end;
    for (uint32_t i = 0; code == EX_OK && i < first.nothers; i++) {
        *p = (struct pass){
            .trace = trace, .layout = layout, .want = first.others[i], .label = label};
        code = ingest_run(p, db, sig_r, o, 1, err, errn);
    }
    if (code == EX_OK && first.nothers && !o->quiet)
        printf("%s: %u processes, one run each (the first is process %lld)\n", trace,
               first.nothers + 1, (long long)first.vpid);
    free(p);
    return code;
}

/* The absolute paths of the traces under o->trace; exit code. */
static int find(const struct ingest_opts *o, char ***traces, int *n)
{
    char **found = NULL;
    int k = ctf_find_traces(o->trace, &found);
    if (k < 0) {
        fprintf(stderr, "dlsync ingest: %s: %s\n", o->trace, strerror(errno));
        return EX_NO_INPUT;
    }
    if (k == 0) {
        fprintf(stderr,
                "dlsync ingest: %s: no CTF trace here (no directory under it has a `metadata` "
                "file)\n",
                o->trace);
        free(found);
        return EX_NO_INPUT;
    }
    for (int i = 0; i < k; i++) {
        char *abs = realpath(found[i], NULL);
        if (abs) {
            free(found[i]);
            found[i] = abs;
        }
    }
    *traces = found;
    *n = k;
    return EX_OK;
}

/* Check every trace before anything is opened; exit code. */
static int check_all(char **traces, int n, const struct ingest_opts *o, struct ctf_layout *layouts,
                     char *err, size_t errn)
{
    for (int i = 0; i < n; i++) {
        if (o->unchecked)
            continue;
        enum ctf_status st = ctf_check(traces[i], o->partial, &layouts[i], err, errn);
        if (st != CTF_OK)
            return exit_for_ctf(st);
        if (interrupted)
            return say(err, errn, EX_INTERRUPTED, "interrupted by signal %d", (int)interrupted);
    }
    return EX_OK;
}

int ingest(const struct ingest_opts *op)
{
    const struct ingest_opts o = *op;
    int code;
    char **traces = NULL;
    int ntraces = 0;
    if ((code = find(&o, &traces, &ntraces)) != EX_OK)
        return code;
    char dbpath[PATH_MAX];
    snprintf(dbpath, sizeof dbpath, "%s", o.db ? o.db : "");
    if (!o.db) {
        struct stat st;
        if (stat(o.trace, &st) == 0 && S_ISDIR(st.st_mode))
            snprintf(dbpath, sizeof dbpath, "%s/dlsync.db", o.trace);
    }
    int sig_pipe[2];
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "dlsync ingest: cannot make a pipe: %s\n", strerror(errno));
        ctf_free_dirs(traces, ntraces);
        return EX_INTERNAL;
    }
    sig_w = sig_pipe[1];
    struct sigaction old[NWATCHED];
    install_signals(old);
    char err[ERR_MAX + 512] = "";
    struct ctf_layout *layouts = calloc((size_t)ntraces, sizeof *layouts);
    struct db db = {.status = DB_OK};
    int opened = 0;
    if (!layouts)
        abort();
    if ((code = check_all(traces, ntraces, &o, layouts, err, sizeof err)) != EX_OK)
        goto out;
    db_clean_stale(dbpath);
    int replaced = 0;
    opened = 1;
    if (db_ingest_open(&db, dbpath, traces, ntraces, o.busy_ms, &interrupted, &replaced) != DB_OK) {
        code = stop_code(&db, err, sizeof err);
        goto out;
    }
    if (replaced && !o.quiet)
        fprintf(stderr, "dlsync ingest: %s: replacing %d earlier run(s) of this trace\n", dbpath,
                replaced);
    for (int i = 0; i < ntraces && code == EX_OK; i++) {
        char label[64];
        snprintf(label, sizeof label, ntraces > 1 ? "ingest %d/%d" : "ingest", i + 1, ntraces);
        code = ingest_trace(traces[i], &layouts[i], label, &db, sig_pipe[0], &o, err, sizeof err);
    }
    if (code == EX_OK && (code = stop_code(&db, err, sizeof err)) == EX_OK &&
        db_ingest_commit(&db) != DB_OK)
        code = stop_code(&db, err, sizeof err);
    if (code == EX_OK && !o.quiet)
        printf("database: %s\n", dbpath);
out:
    if (code != EX_OK && opened)
        db_ingest_abort(&db);
    restore_signals(old);
    sig_w = -1;
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    if (code != EX_OK)
        fprintf(stderr, "dlsync ingest: %s%s\n", err,
                code == EX_INTERRUPTED || code == EX_OUTPUT || code == EX_DISK_FULL
                    ? " (the database is unchanged)"
                    : " (nothing was written)");
    for (int i = 0; i < ntraces; i++)
        ctf_layout_free(&layouts[i]);
    free(layouts);
    ctf_free_dirs(traces, ntraces);
    return code;
}
