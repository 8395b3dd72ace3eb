/*
 * trial.c — a run in a child process (see trial.h).  Takes no locks; the
 * parent is single-threaded while it forks.
 */
#include "lib/trial.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/run.h"

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

void trial_write(int fd, const struct trial_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    fprintf(f, "status %d\noutcome %s\nthreads %d\nsteps %lld\nchoices %lld\n", r->status,
            r->outcome, r->threads, (long long)r->steps, (long long)r->choices);
    if (r->signature)
        fprintf(f, "signature %s\n", r->signature);
    if (r->schedule)
        fprintf(f, "schedule %s\n", r->schedule);
    for (size_t i = 0; i < r->nchoice; i++) {
        const struct sched_choice *c = &r->choice[i];
        fprintf(f, "choice %d %d ", (int)c->chosen, (int)c->dflt);
        for (int j = 0; j < c->nrunnable; j++)
            fprintf(f, "%s%d", j ? "," : "", (int)c->runnable[j]);
        fputc('\n', f);
    }
    for (int i = 0; i < r->nthreads; i++)
        fprintf(f, "thread %d %d\n", (int)r->ids[i], r->can_run[i]);
    fprintf(f, "end\n");
    fclose(f);
    write_all(fd, buf, len);
    free(buf);
}

/* Read fd to its end (malloc'ed, NUL-terminated). */
static char *slurp(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

/* One choice line: "C D R1,R2,...". */
static int parse_choice(const char *s, struct sched_choice *c)
{
    char *end;
    c->chosen = (int32_t)strtol(s, &end, 10);
    c->dflt = (int32_t)strtol(end, &end, 10);
    int n = 1;
    for (const char *p = end; *p; p++)
        n += *p == ',';
    c->runnable = malloc((size_t)n * sizeof *c->runnable);
    if (!c->runnable)
        return -1;
    c->nrunnable = 0;
    const char *p = end;
    while (c->nrunnable < n) {
        c->runnable[c->nrunnable++] = (int32_t)strtol(p, &end, 10);
        if (*end != ',')
            break;
        p = end + 1;
    }
    return 0;
}

static void parse(char *text, struct trial_result *r)
{
    size_t capch = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *val = strchr(line, ' ');
        if (!val)
            continue;
        val++;
        if (strncmp(line, "status ", 7) == 0)
            r->status = atoi(val);
        else if (strncmp(line, "outcome ", 8) == 0)
            snprintf(r->outcome, sizeof r->outcome, "%s", val);
        else if (strncmp(line, "threads ", 8) == 0)
            r->threads = atoi(val);
        else if (strncmp(line, "steps ", 6) == 0)
            r->steps = atoll(val);
        else if (strncmp(line, "choices ", 8) == 0)
            r->choices = atoll(val);
        else if (strncmp(line, "signature ", 10) == 0 && !r->signature)
            r->signature = strdup(val);
        else if (strncmp(line, "schedule ", 9) == 0 && !r->schedule)
            r->schedule = strdup(val);
        else if (strncmp(line, "thread ", 7) == 0) {
            int id, can;
            if (r->nthreads < RUN_MAX_THREADS && sscanf(val, "%d %d", &id, &can) == 2) {
                r->ids[r->nthreads] = id;
                r->can_run[r->nthreads++] = can;
            }
        } else if (strncmp(line, "choice ", 7) == 0) {
            if (r->nchoice == capch) {
                capch = capch ? capch * 2 : 256;
                struct sched_choice *nc = realloc(r->choice, capch * sizeof *nc);
                if (!nc)
                    return;
                r->choice = nc;
            }
            if (parse_choice(val, &r->choice[r->nchoice]) == 0)
                r->nchoice++;
        }
    }
}

int trial_start(const struct run_config *cfg, int capture, struct trial *t)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    FILE *err = capture ? tmpfile() : NULL;
    if (capture && !err) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        if (err)
            fclose(err);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (capture) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, STDOUT_FILENO);
            dup2(fileno(err), STDERR_FILENO);
        }
        struct run_config c = *cfg;
        c.result_fd = fds[1];
        int rc = run_execute(&c, stdout);
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    close(fds[1]);
    *t = (struct trial){.pid = pid, .fd = fds[0], .err = err};
    return 0;
}

void trial_finish(struct trial *t, struct trial_result *r)
{
    memset(r, 0, sizeof *r);
    char *text = slurp(t->fd);
    close(t->fd);
    int st;
    while (waitpid(t->pid, &st, 0) < 0 && errno == EINTR) {
    }
    snprintf(r->outcome, sizeof r->outcome, "crashed");
    if (text && strstr(text, "\nend\n"))
        parse(text, r);
    free(text);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (t->err) {
        FILE *err = t->err;
        rewind(err);
        r->report = slurp(fileno(err));
        fclose(err);
    }
}

int trial_run(const struct run_config *cfg, int capture, struct trial_result *r)
{
    struct trial t;
    if (trial_start(cfg, capture, &t) != 0)
        return -1;
    trial_finish(&t, r);
    return 0;
}

void trial_free(struct trial_result *r)
{
    free(r->signature);
    free(r->schedule);
    for (size_t i = 0; i < r->nchoice; i++)
        free(r->choice[i].runnable);
    free(r->choice);
    free(r->report);
    memset(r, 0, sizeof *r);
}
