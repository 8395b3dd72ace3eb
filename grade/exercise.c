/*
 * grade/exercise.c — finding an exercise's folder and reading its
 * exercise.conf (grade/exercise.h); and what every grader shares
 * (grade/grade.h): the submission's file, a dlsync child with its output in
 * a file, a scratch folder's removal.  Owns the parsed settings; takes no
 * locks.
 */
#include "grade/exercise.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/exitcode.h"
#include "grade/grade.h"
#include "lib/run.h"
#include "lib/scenario.h"
#include "lib/sched.h"

static const char *const kind_names[KIND_COUNT] = {"predict", "diagnose", "break", "fix"};

const char exercise_env_help[] =
    "Environment:\n"
    "  DLSYNC_EXERCISES      the exercises folder. Default: exercises/ beside the\n"
    "                        directory of the dlsync binary, or\n"
    "                        share/dlsync/exercises for an installed one.\n";

const char *exercise_kind_name(int kind)
{
    return kind >= 0 && kind < KIND_COUNT ? kind_names[kind] : NULL;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *exercise_root(void)
{
    static char root[PATH_MAX];
    const char *env = getenv("DLSYNC_EXERCISES");
    if (env && *env)
        return is_dir(env) ? env : NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0'; /* the binary's directory: bin/ */
    static const char *const beside[] = {"../exercises", "../share/dlsync/exercises"};
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
        if (snprintf(root, sizeof root, "%s/%s", exe, beside[i]) < (int)sizeof root && is_dir(root))
            return root;
    }
    return NULL;
}

/* The folder under root whose name is name, or starts with the two-digit
 * number name gives followed by '-'. */
static int find_in_root(const char *root, const char *name, char *out, size_t n)
{
    char num[3] = "";
    char *end;
    long v = strtol(name, &end, 10);
    if (*name && *end == '\0' && v >= 0 && v <= 99)
        snprintf(num, sizeof num, "%02ld", v);
    DIR *d = opendir(root);
    if (!d)
        return -1;
    int found = -1;
    struct dirent *e;
    while (found < 0 && (e = readdir(d))) {
        int match = strcmp(e->d_name, name) == 0 ||
                    (*num && strncmp(e->d_name, num, 2) == 0 && e->d_name[2] == '-');
        if (match && snprintf(out, n, "%s/%s", root, e->d_name) < (int)n && is_dir(out))
            found = 0;
    }
    closedir(d);
    return found;
}

static int set_err(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int set_err(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return code;
}

/* Parse one line of exercise.conf into ex (comment and blank lines add
 * nothing).  0, or -1 with the cause in why. */
static int parse_line(struct exercise *ex, char *line, const char **why)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    size_t len = strlen(line);
    while (len && isspace((unsigned char)line[len - 1]))
        line[--len] = '\0';
    char *k = line;
    while (isspace((unsigned char)*k))
        k++;
    if (!*k)
        return 0;
    char *v = k;
    while (*v && !isspace((unsigned char)*v))
        v++;
    size_t klen = (size_t)(v - k);
    while (isspace((unsigned char)*v))
        v++;
    for (size_t i = 0; i < klen; i++)
        if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '-') {
            *why = "a key is lower-case letters, digits and '-'";
            return -1;
        }
    if (!*v)
        return (*why = "a key without a value"), -1;
    if (klen >= sizeof ex->keys[0].key)
        return (*why = "key too long"), -1;
    if (strlen(v) >= EXERCISE_VALUE_MAX)
        return (*why = "value too long"), -1;
    k[klen] = '\0';
    if (exercise_get(ex, k))
        return (*why = "the key appears twice"), -1;
    if (ex->nkeys == EXERCISE_MAX_KEYS)
        return (*why = "too many keys"), -1;
    snprintf(ex->keys[ex->nkeys].key, sizeof ex->keys[0].key, "%s", k);
    snprintf(ex->keys[ex->nkeys].value, EXERCISE_VALUE_MAX, "%s", v);
    ex->nkeys++;
    return 0;
}

int exercise_open(const char *name, struct exercise *ex, char *err, size_t errlen)
{
    memset(ex, 0, sizeof *ex);
    if (strchr(name, '/')) {
        if (!is_dir(name))
            return set_err(err, errlen, EX_NOT_FOUND, "%s: not an exercise folder", name);
        snprintf(ex->dir, sizeof ex->dir, "%s", name);
    } else {
        const char *root = exercise_root();
        if (!root)
            return set_err(err, errlen, EX_NOT_FOUND,
                           "no exercises folder (set DLSYNC_EXERCISES to exercises/)");
        if (find_in_root(root, name, ex->dir, sizeof ex->dir) != 0)
            return set_err(err, errlen, EX_NOT_FOUND, "no exercise '%s' in %s", name, root);
    }
    char path[sizeof ex->dir + 32];
    snprintf(path, sizeof path, "%s/exercise.conf", ex->dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return set_err(err, errlen, EX_NO_INPUT, "%s: %s", path, strerror(errno));
    char line[EXERCISE_VALUE_MAX + 64];
    const char *why = NULL;
    int lineno = 0;
    while (!why && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f))
            why = "line too long";
        else
            parse_line(ex, line, &why);
    }
    fclose(f);
    if (why)
        return set_err(err, errlen, EX_CORRUPT, "%s:%d: %s", path, lineno, why);
    const char *id = exercise_get(ex, "id"), *kind = exercise_get(ex, "kind");
    if (!id || strlen(id) != 2 || !isdigit((unsigned char)id[0]) || !isdigit((unsigned char)id[1]))
        return set_err(err, errlen, EX_CORRUPT, "%s: `id` must be two digits", path);
    memcpy(ex->id, id, 3);
    ex->kind = -1;
    for (int k = 0; kind && k < KIND_COUNT; k++)
        if (strcmp(kind, kind_names[k]) == 0)
            ex->kind = k;
    if (ex->kind < 0)
        return set_err(err, errlen, EX_CORRUPT,
                       "%s: `kind` must be predict, diagnose, break or fix", path);
    if (!exercise_get(ex, "title"))
        return set_err(err, errlen, EX_CORRUPT, "%s: no `title`", path);
    return EX_OK;
}

const char *exercise_get(const struct exercise *ex, const char *key)
{
    for (int i = 0; i < ex->nkeys; i++)
        if (strcmp(ex->keys[i].key, key) == 0)
            return ex->keys[i].value;
    return NULL;
}

int exercise_int(const struct exercise *ex, const char *key, long lo, long hi, long dflt, long *out,
                 char *err, size_t errlen)
{
    assert(lo <= hi);
    const char *v = exercise_get(ex, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return set_err(err, errlen, -1, "%s/exercise.conf: `%s` must be a number from %ld to %ld",
                       ex->dir, key, lo, hi);
    *out = x;
    return 0;
}

const char *submission_file(const char *submission, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, is_dir(submission) ? "%s/%s" : "%s", submission, name);
    return buf;
}

const char *exercise_path(const struct exercise *ex, const char *rel, char *buf, size_t n)
{
    return snprintf(buf, n, "%s/%s", ex->dir, rel) < (int)n ? buf : NULL;
}

int grade_child(char *const argv[], const char *out, unsigned limit_s)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        alarm(limit_s);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void grade_remove_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int exercise_run_config(const struct exercise *ex, int v, struct scenario *scn,
                        struct run_config *cfg)
{
    char err[512];
    long groups, ops;
    const char *name = exercise_get(ex, "scenario");
    if (!name) {
        fprintf(stderr, "dlsync: %s/exercise.conf: no scenario\n", ex->dir);
        return EX_CORRUPT;
    }
    if (exercise_int(ex, "groups", 2, 8, 3, &groups, err, sizeof err) != 0 ||
        exercise_int(ex, "ops", 1, 100, 1, &ops, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync: %s\n", err);
        return EX_CORRUPT;
    }
    if (scenario_load(name, scn, err, sizeof err) != 0) {
        fprintf(stderr, "dlsync: %s/exercise.conf: %s\n", ex->dir, err);
        return EX_CORRUPT;
    }
    *cfg = (struct run_config){
        .scn = scn,
        .scenario_arg = name,
        .groups = (int)groups,
        .ops = (int)ops,
        .variant = v,
        .timeout = 10,
        .quiet = 1,
        .sched = SCHED_CONTROLLED,
        .strategy = STRATEGY_RANDOM,
        .pct_depth = 3,
        .result_fd = -1,
        .program = "dlsync",
    };
    return EX_OK;
}
