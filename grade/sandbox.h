/*
 * grade/sandbox.h — run a command of the grader as untrusted code (a
 * student's compiler run or binary): its own session and process group, a
 * new network namespace where allowed, limits on CPU seconds, address space,
 * file size and processes, a scratch directory as its working directory,
 * root dropped to nobody, no inherited fds but stdout/stderr into a file,
 * and a wall-clock limit after which the whole process group is killed.
 * Never hangs: the command is always reaped.
 *
 * Owns nothing beyond one call; takes no locks.
 */
#ifndef DLSYNC_GRADE_SANDBOX_H
#define DLSYNC_GRADE_SANDBOX_H

#include <stddef.h>

struct sandbox_limits {
    int cpu_s;     /* RLIMIT_CPU seconds */
    int wall_s;    /* wall clock seconds, then SIGKILL to the group */
    long mem_mb;   /* RLIMIT_AS */
    long fsize_mb; /* RLIMIT_FSIZE */
    int nproc;     /* RLIMIT_NPROC (a fork bomb stops there) */
};

enum sandbox_end { SB_EXITED = 0, SB_SIGNALED, SB_CPU, SB_WALL, SB_FSIZE, SB_ERROR };

struct sandbox_result {
    int end;    /* enum sandbox_end */
    int status; /* SB_EXITED: the exit status; SB_SIGNALED: the signal */
};

/* Run argv (argv[0] a path) in dir (a scratch directory the caller made,
 * made writable for nobody here), stdout and stderr appended to out (a path).
 * Returns 0 with *res filled, -1 when the command could not be started. */
int sandbox_run(char *const argv[], const char *dir, const char *out,
                const struct sandbox_limits *lim, struct sandbox_result *res);

/* Why it ended, in words ("exit 3", "killed by the wall-clock limit (10 s)")
 * into buf. */
const char *sandbox_describe(const struct sandbox_result *res, const struct sandbox_limits *lim,
                             char *buf, size_t n);

#endif
