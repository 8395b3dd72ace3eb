/*
 * cli/exercise.c — `dlsync exercise NAME -s SEED [-c] [-o DIR]`: a student's
 * instance of an exercise of exercises/, and `dlsync exercise --list`.
 *
 * Owns the command line of `exercise` (options, usage, exit codes); the
 * instances are made by the exercise's kind (grade/grade.h: predict_instance,
 * diagnose_instance), the exercises found by grade/exercise.c.
 * Single-threaded; the instances fork the runs they need.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "cli/runopts.h"
#include "grade/grade.h"

enum { O_LIST = 0x100 };

static const struct opt rows[] = {
    {"seed", 's', "SEED", 's', "your seed (a whole number): it picks your instance."},
    {"answers", 'c', NULL, 'c', "print the answer key of the instance instead (instructors)."},
    {"output", 'o', "DIR", 'o',
     "diagnose exercises: the folder to make the instance in. Default: "
     "./exercise-NN-SEED."},
    {"list", 0, NULL, O_LIST, "list the exercises: number, kind and title, one a line."},
    {NULL, 0, NULL, 0, NULL},
};

static const struct opt_cmd exercise_cmd = {
    .name = "exercise",
    .synopsis = "usage: dlsync exercise NAME -s SEED [-c] [-o DIR]\n"
                "       dlsync exercise --list\n"
                "\n"
                "Make your instance of an exercise (NAME: its number, its folder's name\n"
                "under exercises/, or a path to its folder).  The seed picks the instance:\n"
                "the same seed gives the same instance, byte for byte.  Per kind:\n"
                "  predict   print a run of the protocol with `?` in place of the facts to\n"
                "            predict, ending in the answers file to fill in and submit\n"
                "  diagnose  make the trace of a failing run in DIR and print the answers\n"
                "            file to fill in\n"
                "  break, fix  print where the exercise's handout is\n"
                "With -c the facts are filled in: the answer key, in the form of an answers\n"
                "file (`dlsync grade` gives it full marks).\n",
    .tables = (const struct opt_table[]){{"Options:", rows}, {NULL, NULL}},
    .tail = exercise_env_help,
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_NO_INPUT, EX_CORRUPT, EX_NOT_FOUND,
                           EX_OUTPUT, -1},
};

static int numbered(const struct dirent *e)
{
    return e->d_name[0] >= '0' && e->d_name[0] <= '9';
}

/* --list: every numbered folder of the exercises root, in order. */
static int list_exercises(void)
{
    const char *root = exercise_root();
    if (!root) {
        fputs("dlsync exercise: no exercises folder (set DLSYNC_EXERCISES)\n", stderr);
        return EX_NOT_FOUND;
    }
    struct dirent **names;
    int n = scandir(root, &names, numbered, alphasort);
    if (n < 0) {
        perror(root);
        return EX_NO_INPUT;
    }
    int rc = EX_OK;
    struct exercise *ex = malloc(sizeof *ex);
    for (int i = 0; i < n; i++) {
        char path[4096], err[512];
        if (ex && snprintf(path, sizeof path, "%s/%s", root, names[i]->d_name) < (int)sizeof path &&
            exercise_open(path, ex, err, sizeof err) == EX_OK)
            printf("%s  %-8s  %s\n", ex->id, exercise_kind_name(ex->kind),
                   exercise_get(ex, "title"));
        else if (ex) {
            fprintf(stderr, "dlsync exercise: %s\n", err);
            rc = EX_CORRUPT;
        }
        free(names[i]);
    }
    free(names);
    if (!ex) {
        fputs("dlsync exercise: out of memory\n", stderr);
        rc = EX_INTERNAL;
    }
    free(ex);
    return rc;
}

int cmd_exercise(int argc, char **argv)
{
    const char *arg, *dir = NULL;
    int answers = 0, list = 0, has_seed = 0, k;
    long seed = 0;
    struct opt_parser p;
    opt_begin(&p, &exercise_cmd, argc, argv);
    while ((k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT)
            return EX_OK;
        if (k == OPT_BAD)
            return EX_USAGE;
        if (k == 's') {
            if (runopts_number("exercise", "--seed", arg, 0, EXERCISE_SEED_MAX, &seed))
                return EX_USAGE;
            has_seed = 1;
        }
        if (k == 'o')
            dir = arg;
        answers |= k == 'c';
        list |= k == O_LIST;
    }
    if (list)
        return argc - p.next == 0 ? list_exercises()
                                  : opt_usage_error(&exercise_cmd, "--list takes no exercise");
    if (argc - p.next != 1)
        return opt_usage_error(&exercise_cmd, "give one exercise");
    struct exercise *ex = malloc(sizeof *ex);
    char err[512];
    if (!ex) {
        fputs("dlsync exercise: out of memory\n", stderr);
        return EX_INTERNAL;
    }
    int rc = exercise_open(argv[p.next], ex, err, sizeof err);
    if (rc != EX_OK)
        fprintf(stderr, "dlsync exercise: %s\n", err);
    else if ((ex->kind == KIND_PREDICT || ex->kind == KIND_DIAGNOSE) && !has_seed)
        rc = opt_usage_error(&exercise_cmd, "give your seed: -s SEED");
    else if (ex->kind == KIND_PREDICT)
        rc = predict_instance(ex, (unsigned long)seed, answers, stdout);
    else if (ex->kind == KIND_DIAGNOSE) {
        char def[64];
        snprintf(def, sizeof def, "./exercise-%s-%ld", ex->id, seed);
        rc = diagnose_instance(ex, (unsigned long)seed, answers, dir ? dir : def, stdout);
    } else {
        char path[4200];
        printf("%s\n", exercise_path(ex, "README.md", path, sizeof path) ? path : ex->dir);
    }
    if (rc == EX_OK && fflush(stdout) != 0) {
        perror("dlsync exercise: stdout");
        rc = EX_OUTPUT;
    }
    free(ex);
    return rc;
}
