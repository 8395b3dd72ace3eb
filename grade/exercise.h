/*
 * grade/exercise.h — an exercise of exercises/: where its folder is, and its
 * settings (exercise.conf).
 *
 * exercise.conf is the grader's settings, one `key value` line each ('#'
 * starts a comment; the value runs to the end of the line, spaces inside it
 * kept).  Every exercise has:
 *
 *     id        03                       two digits, the folder's number
 *     title     Never block on write()
 *     kind      predict | diagnose | break | fix
 *
 * and the keys its kind's grader reads (grade/<kind>.c documents them), for
 * example `scenario`, `groups`, `ops`, `variant` (the grader's secret: never
 * shown to a student), `win`, `function`.  A key appears at most once.
 *
 * Owns the parsed settings (struct exercise); takes no locks.
 */
#ifndef DLSYNC_GRADE_EXERCISE_H
#define DLSYNC_GRADE_EXERCISE_H

#include <stddef.h>

struct run_config;
struct scenario;

enum { EXERCISE_MAX_KEYS = 32, EXERCISE_VALUE_MAX = 256 };

enum exercise_kind { KIND_PREDICT = 0, KIND_DIAGNOSE, KIND_BREAK, KIND_FIX, KIND_COUNT };

struct exercise {
    char dir[4096]; /* the exercise's folder */
    char id[3];     /* "03" */
    int kind;       /* enum exercise_kind */
    int nkeys;
    struct {
        char key[32];
        char value[EXERCISE_VALUE_MAX];
    } keys[EXERCISE_MAX_KEYS];
};

/* The word of a kind ("predict"), or NULL. */
const char *exercise_kind_name(int kind);

/* The Environment part of --help of the commands that find exercises. */
extern const char exercise_env_help[];

/* The folder holding every exercise: $DLSYNC_EXERCISES, else exercises/
 * beside the directory of the running dlsync binary (a build tree), else
 * share/dlsync/exercises beside it (an installed one).  NULL when none
 * exists. */
const char *exercise_root(void);

/* Find and load an exercise.  name is a folder (a path with a '/'), or the
 * exercise's number ("3", "03") or folder name ("03-never-block-on-write")
 * under exercise_root().  Returns EX_OK (cli/exitcode.h), EX_NOT_FOUND (no
 * such exercise), EX_NO_INPUT (exercise.conf unreadable) or EX_CORRUPT (a
 * malformed line: err names the file, line and cause). */
int exercise_open(const char *name, struct exercise *ex, char *err, size_t errlen);

/* The value of key, or NULL when the settings have none. */
const char *exercise_get(const struct exercise *ex, const char *key);

/* The value of key as an integer in [lo, hi] into *out: 0; missing: *out =
 * dflt and 0; not a number in range: -1 with err naming the file and key. */
int exercise_int(const struct exercise *ex, const char *key, long lo, long hi, long dflt, long *out,
                 char *err, size_t errlen);

/* The path of a file of the exercise's folder, rel relative to it, into buf
 * (n bytes); NULL when it does not fit. */
const char *exercise_path(const struct exercise *ex, const char *rel, char *buf, size_t n);

/* The exercise's run under the controlled scheduler (random strategy,
 * quiet), as exercise.conf says: its scenario loaded into *scn (which must
 * outlive *cfg), groups (2-8, default 3), ops (1-100, default 1), with the
 * variant v (enum variant); the caller sets the seed.  EX_OK, or EX_CORRUPT
 * after a message naming the exercise.conf and the cause. */
int exercise_run_config(const struct exercise *ex, int v, struct scenario *scn,
                        struct run_config *cfg);

#endif
