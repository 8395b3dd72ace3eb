/*
 * tracer/record.c — `dlsync record`: run one scenario under an LTTng-UST
 * recording session of its own.
 *
 * Owns (its command line is cli/record.c): the child process that runs
 * `dlsync run` (fork, then exec of /proc/self/exe once the session is ready),
 * and the session (tracer/session.c) from creation to destruction.  Takes no
 * locks; single-threaded.  The signal handlers it installs while the run
 * lives only set a flag and forward SIGTERM/SIGHUP to the run.
 *
 * Sequence: check the run's options and scenario as `dlsync
 * run` reads them (run_check: a run that would refuse them gets no session
 * and no directory); find libdlsync-tp.so; make sure a session daemon
 * answers (starting one if needed); fork the child, which waits on a pipe;
 * create the session restricted to the child's vpid, start it; let the child
 * exec `dlsync run ...` with DLSYNC_TRACE=1 (the run then dlopen()s the
 * provider and registers with the daemon before its first event); wait for
 * it; stop (flush: buffers live in shared memory with the consumer daemon, so
 * a run that hung and _exit()ed loses nothing it wrote); snapshot if asked
 * and the run failed; report discarded events; destroy; print `trace: DIR`
 * (a run that still refused its options, exit 2, recorded nothing: what the
 * session wrote and the directories record made are removed instead).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "lib/run.h"
#include "tracer/probe.h"
#include "tracer/record.h"
#include "tracer/session.h"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dlsync record: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

#ifdef DLSYNC_NO_TRACE
/* Tracing compiled out: refuse. */
int record(const struct record_opts *o)
{
    (void)o;
    say("tracing was compiled out (built with make TRACE=0); rebuild with TRACE=1");
    return EX_NO_LTTNG;
}
#else  /* !DLSYNC_NO_TRACE */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* mkdir(dir) unless it exists; on a new directory, the first one made is
 * remembered in top (PATH_MAX). */
static int make_dir(const char *dir, char *top)
{
    if (mkdir(dir, 0775) == 0) {
        if (top[0] == '\0')
            snprintf(top, PATH_MAX, "%s", dir);
        return 0;
    }
    return errno == EEXIST ? 0 : -1;
}

/* mkdir -p, as the calling user.  top (PATH_MAX): the outermost directory
 * it made, "" if none. */
static int mkdir_p(const char *path, char *top)
{
    char buf[PATH_MAX];
    top[0] = '\0';
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (make_dir(buf, top) != 0)
            return -1;
        *p = '/';
    }
    return make_dir(buf, top);
}

static int dir_is_empty(const char *path)
{
    int empty = 1;
    DIR *d = opendir(path);
    if (d == NULL)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

/* Create the output directory and store its absolute path in s->path;
 * made_top (PATH_MAX): the absolute path of the outermost directory record
 * made on the way (s->path itself, or a parent of it), "" if none. */
static int prepare_output(const struct record_opts *o, struct tr_session *s, char *made_top)
{
    char want[PATH_MAX];
    struct stat st;
    if (o->output != NULL) {
        if (snprintf(want, sizeof want, "%s", o->output) >= (int)sizeof want)
            goto too_long;
        if (stat(want, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                say("%s exists and is not a directory", want);
                return EX_OUTPUT;
            }
            if (!dir_is_empty(want)) {
                say("%s is not empty: a new trace there would mix with what it holds", want);
                return EX_OUTPUT;
            }
        }
    } else {
        if (snprintf(want, sizeof want, "dlsync-traces/%s", s->name) >= (int)sizeof want)
            goto too_long;
    }
    char top[PATH_MAX];
    made_top[0] = '\0';
    if (mkdir_p(want, top) != 0) {
        say("cannot create %s: %s", want, strerror(errno));
        return EX_OUTPUT;
    }
    if (realpath(want, s->path) == NULL || (top[0] && realpath(top, made_top) == NULL)) {
        say("cannot resolve %s: %s", want, strerror(errno));
        return EX_OUTPUT;
    }
    return EX_OK;
too_long:
    say("output path too long");
    return EX_USAGE;
}

/* Remove the directories prepare_output made, innermost first, as long as
 * they are empty: s->path and its parents up to made_top.  Nothing when
 * made_top is "" (the user's directory stays). */
static void unmake_output(const struct tr_session *s, const char *made_top)
{
    if (made_top[0] == '\0')
        return;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", s->path);
    size_t top = strlen(made_top);
    while (strlen(dir) >= top && rmdir(dir) == 0) {
        char *slash = strrchr(dir, '/');
        if (slash == NULL || slash == dir || strlen(dir) == top)
            break;
        *slash = '\0';
    }
}

/* nftw callback of remove_trace: remove every entry below the top. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    if (ftw->level == 0)
        return 0;
    if (remove(path) != 0) {
        say("cannot remove %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The run recorded nothing (it refused its options): remove what the
 * session wrote in s->path, which was empty when record began
 * (prepare_output refuses a directory that is not), then the directories
 * record made (unmake_output). */
static void remove_trace(const struct tr_session *s, const char *made_top)
{
    if (nftw(s->path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0)
        unmake_output(s, made_top);
}

static volatile sig_atomic_t run_pid;
static volatile sig_atomic_t got_signal;

/* SIGINT from a terminal reaches the whole process group, the run included;
 * record only notes it and goes on to save the trace.  SIGTERM and SIGHUP
 * sent to record are passed on to the run. */
static void on_signal(int sig)
{
    got_signal = sig;
    if (sig != SIGINT && run_pid > 0)
        kill((pid_t)run_pid, sig);
}

enum { RUN_ARGV_MAX = MAX_RUN_ARGS + 6 };

/* The run's command line, `dlsync run RUN OPTIONS... [--timeout S] [--quiet]`, into
 * argv (RUN_ARGV_MAX), NULL-terminated.  Returns its length. */
static int run_argv(const struct record_opts *o, char **argv)
{
    int n = 0;
    argv[n++] = "dlsync";
    argv[n++] = "run";
    for (int i = 0; i < o->nrun; i++)
        argv[n++] = o->run[i];
    if (o->timeout != NULL) {
        argv[n++] = "--timeout";
        argv[n++] = (char *)o->timeout;
    }
    if (o->quiet)
        argv[n++] = "--quiet";
    argv[n] = NULL;
    return n;
}

/* The child: wait for the go byte, then become `dlsync run ...`. */
static void child_main(const struct record_opts *o, int gate, int report, const char *tp_path,
                       const char *exe)
{
    char go = 0;
    ssize_t r;
    do
        r = read(gate, &go, 1);
    while (r < 0 && errno == EINTR);
    if (r != 1 || go != 'g')
        _exit(EX_NO_START); /* record gave up before the run started */

    char *argv[RUN_ARGV_MAX];
    run_argv(o, argv);
    setenv("DLSYNC_TRACE", "1", 1);
    setenv(EV_PROBE_ENV, tp_path, 1);
    /* The run needs neither LTTng's base-address nor its procname state dump
     * (procname is recorded as a context); skipping them keeps start-up
     * short and quiet. */
    setenv("LTTNG_UST_WITHOUT_BADDR_STATEDUMP", "1", 1);
    setenv("LTTNG_UST_WITHOUT_PROCNAME_STATEDUMP", "1", 1);
    /* exe is /proc/self/exe resolved, so that the run's procname (the
     * context every event carries) is "dlsync", not "exe". */
    execv(exe, argv);
    execv("/proc/self/exe", argv);
    int e = errno;
    if (write(report, &e, sizeof e) < 0) {
        /* nothing more to do: record sees EOF and the exit status */
    }
    _exit(EX_NO_START);
}

/* Ring buffer per CPU, MiB.  Measured on 2 CPUs (docs/record.md): the
 * default scenarios emit 2k-9k events (< 1 MiB of trace); 64 groups x 2000
 * ops with --seed 0 emits 3.8 M events (380 MiB) and loses none at 4 MiB per
 * CPU but ~340 k at 2 MiB.  Hence 64 MiB in all, at least 4 per CPU. */
static long default_buffer_mib(int snapshot)
{
    if (snapshot)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_CONF);
    if (cpus < 1)
        cpus = 1;
    long mib = 64 / cpus;
    if (mib < 4)
        mib = 4;
    if (mib > 32)
        mib = 32;
    return mib;
}

int record(const struct record_opts *op)
{
    struct record_opts o = *op;
    /* The run's options and scenario first: a run that would refuse them
     * gets no session, no directory and no trace. */
    char *run_args[RUN_ARGV_MAX];
    int rc = run_check(run_argv(&o, run_args) - 1, run_args + 1);
    if (rc != 0)
        return rc;

    char err[PATH_MAX + 256];
    char tp_path[PATH_MAX];
    if (ev_probe_find(tp_path, sizeof tp_path, err, sizeof err) != 0) {
        say("%s", err);
        return EX_NO_LTTNG;
    }

    struct tr_session s;
    memset(&s, 0, sizeof s);
    s.snapshot = o.snapshot;
    s.buffer_per_cpu = (uint64_t)(o.buffer_mib > 0 ? o.buffer_mib : default_buffer_mib(o.snapshot))
                       << 20;
    tr_session_name(&s);

    pid_t daemon_pid = 0;
    rc = tr_sessiond_ensure(&daemon_pid, err, sizeof err);
    if (rc != EX_OK) {
        say("%s", err);
        return rc;
    }
    if (daemon_pid > 0 && !o.quiet)
        say("started lttng-sessiond (pid %ld); it keeps running", (long)daemon_pid);

    char made_top[PATH_MAX];
    rc = prepare_output(&o, &s, made_top);
    if (rc != EX_OK)
        return rc;

    char exe[PATH_MAX];
    ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (exe_len <= 0)
        snprintf(exe, sizeof exe, "/proc/self/exe");
    else
        exe[exe_len] = '\0';

    int gate[2], report[2];
    if (pipe2(gate, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0) {
        say("pipe: %s", strerror(errno));
        unmake_output(&s, made_top);
        return EX_NO_START;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        say("fork: %s", strerror(errno));
        unmake_output(&s, made_top);
        return EX_NO_START;
    }
    if (pid == 0) {
        close(gate[1]);
        close(report[0]);
        child_main(&o, gate[0], report[1], tp_path, exe);
    }
    close(gate[0]);
    close(report[1]);

    /* The session admits only the child's vpid; exec keeps the pid. */
    rc = tr_session_setup(&s, pid, 0, err, sizeof err);
    if (rc == EX_OK)
        rc = tr_session_start(&s, err, sizeof err);
    if (rc != EX_OK) {
        say("%s", err);
        close(gate[1]); /* the child sees EOF and exits */
        close(report[0]);
        waitpid(pid, NULL, 0);
        tr_session_destroy(&s, NULL, 0);
        unmake_output(&s, made_top); /* only if still empty */
        return rc;
    }

    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    got_signal = 0;
    run_pid = pid;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    double started = now_s();
    int exec_errno = 0;
    ssize_t got;
    if (write(gate[1], "g", 1) != 1)
        say("cannot release the run: %s", strerror(errno));
    close(gate[1]);
    do
        got = read(report[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(report[0]);

    int status = 0, killed = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            say("waitpid: %s", strerror(errno));
            status = -1;
            break;
        }
        if (o.timeout != NULL && !killed && now_s() - started > o.timeout_s + 10.0) {
            say("the run is still alive %.0f s after its --timeout %s; killing it",
                now_s() - started, o.timeout);
            kill(pid, SIGKILL);
            killed = 1;
        }
        sleep_ms(5);
    }
    run_pid = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);

    int code;
    if (got == (ssize_t)sizeof exec_errno) {
        say("cannot execute %s run: %s", exe, strerror(exec_errno));
        code = EX_NO_START;
    } else if (status == -1) {
        code = EX_NO_START;
    } else if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        say("the run died of signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
        code = 128 + WTERMSIG(status);
    } else {
        code = EX_NO_START;
    }

    /* Stop even after a hang: the buffers are shared with the consumer daemon
     * and hold everything the run wrote before it exited. */
    int finish = EX_OK;
    uint64_t discarded = 0, lost = 0;
    char where[PATH_MAX + 64] = "";
    rc = tr_session_stop(&s, &discarded, &lost, err, sizeof err);
    if (rc != EX_OK) {
        say("%s", err);
        finish = rc;
    }
    /* The usage code, or the output one: the run refused its options (one that run_check does
     * not see, such as an --events-out it cannot write) before its first
     * event; no trace of it is kept. */
    int refused = code == EX_USAGE || code == EX_OUTPUT;
    if (s.snapshot && code != 0 && !refused && finish == EX_OK) {
        rc = tr_session_snapshot(&s, where, sizeof where, err, sizeof err);
        if (rc != EX_OK) {
            say("%s", err);
            finish = rc;
        }
    }
    if (discarded > 0)
        say("warning: %llu events were discarded (ring buffers full); the trace is "
            "incomplete; rerun with a larger --buffer-mib (now %llu)",
            (unsigned long long)discarded, (unsigned long long)(s.buffer_per_cpu >> 20));
    if (lost > 0 && !s.snapshot)
        say("warning: %llu packets were lost by the consumer daemon; the trace is incomplete",
            (unsigned long long)lost);
    rc = tr_session_destroy(&s, err, sizeof err);
    if (rc != EX_OK) {
        say("%s", err);
        finish = rc;
    }

    if (refused) {
        say("the run refused its options: no trace kept");
        remove_trace(&s, made_top);
    } else if (s.snapshot) {
        if (where[0] != '\0')
            printf("trace: %s\n", where);
        else if (code == 0) {
            say("the run succeeded; no snapshot taken");
            unmake_output(&s, made_top); /* only if still empty */
        }
    } else {
        printf("trace: %s\n", s.path);
    }
    fflush(stdout);
    if (got_signal != 0)
        say("interrupted by signal %d", (int)got_signal);
    return finish != EX_OK ? finish : code;
}
#endif /* DLSYNC_NO_TRACE */
