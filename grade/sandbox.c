/*
 * grade/sandbox.c — the grader's sandbox for untrusted code (see
 * sandbox.h).  Takes no locks; forks.
 */
#include "grade/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { NOBODY = 65534 };

static void limit(int res, rlim_t v)
{
    struct rlimit rl = {v, v};
    setrlimit(res, &rl); /* a limit the system refuses is kept as it was */
}

/* In the child: never returns. */
static void child(char *const argv[], const char *dir, const char *out,
                  const struct sandbox_limits *lim)
{
    setpgid(0, 0);
    unshare(CLONE_NEWNET); /* EPERM without privilege: the network stays */
    if (unshare(CLONE_NEWPID) == 0) {
        /* The command runs as the init of a PID namespace of its own: when
         * it ends, every process it left (a daemon that left the process
         * group too, a fork bomb) is killed with it.  This process only
         * passes its end on. */
        pid_t init = fork();
        if (init < 0)
            _exit(127);
        if (init > 0) {
            int status;
            while (waitpid(init, &status, 0) < 0)
                if (errno != EINTR)
                    _exit(127);
            if (WIFSIGNALED(status)) {
                signal(WTERMSIG(status), SIG_DFL);
                raise(WTERMSIG(status));
            }
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
        }
    }
    int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int nul = open("/dev/null", O_RDONLY);
    if (fd < 0 || nul < 0 || chdir(dir) != 0)
        _exit(127);
    setenv("HOME", dir, 1); /* nobody's home may not exist: lttng keeps its files there */
    dup2(nul, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    closefrom(3);
    limit(RLIMIT_CPU, (rlim_t)lim->cpu_s);
    limit(RLIMIT_AS, (rlim_t)lim->mem_mb << 20);
    limit(RLIMIT_FSIZE, (rlim_t)lim->fsize_mb << 20);
    limit(RLIMIT_CORE, 0);
    if (geteuid() == 0) {
        if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
            _exit(127);
    }
    limit(RLIMIT_NPROC, (rlim_t)lim->nproc);
    signal(SIGXFSZ, SIG_DFL);
    execvp(argv[0], argv);
    _exit(127);
}

int sandbox_run(char *const argv[], const char *dir, const char *out,
                const struct sandbox_limits *lim, struct sandbox_result *res)
{
    if (geteuid() == 0) {
        chmod(dir, 0777);
        int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (fd >= 0)
            close(fd);
        chmod(out, 0666);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        child(argv, dir, out, lim);
    setpgid(pid, pid); /* either side may win the race; both set the same */
    struct timespec t0, now, tick = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = 0, walled = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!walled && now.tv_sec - t0.tv_sec >= lim->wall_s) {
            kill(-pid, SIGKILL);
            walled = 1;
        }
        nanosleep(&tick, NULL); /* polling the child's end, not synchronising */
    }
    kill(-pid, SIGKILL); /* whatever it left behind in its group */
    res->status = 0;
    if (walled) {
        res->end = SB_WALL;
    } else if (WIFEXITED(status)) {
        res->end = SB_EXITED;
        res->status = WEXITSTATUS(status);
    } else {
        int sig = WTERMSIG(status);
        res->end = sig == SIGXCPU ? SB_CPU : sig == SIGXFSZ ? SB_FSIZE : SB_SIGNALED;
        res->status = sig;
    }
    return 0;
}

const char *sandbox_describe(const struct sandbox_result *res, const struct sandbox_limits *lim,
                             char *buf, size_t n)
{
    switch (res->end) {
    case SB_EXITED:
        snprintf(buf, n, "exit %d", res->status);
        break;
    case SB_SIGNALED:
        snprintf(buf, n, "killed by signal %d", res->status);
        break;
    case SB_CPU:
        snprintf(buf, n, "killed by the CPU limit (%d s)", lim->cpu_s);
        break;
    case SB_WALL:
        snprintf(buf, n, "killed by the wall-clock limit (%d s)", lim->wall_s);
        break;
    case SB_FSIZE:
        snprintf(buf, n, "killed by the file-size limit (%ld MB)", lim->fsize_mb);
        break;
    default:
        snprintf(buf, n, "could not be run");
    }
    return buf;
}
