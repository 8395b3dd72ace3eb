/*
 * cli/opt.c — the option tables of every command: parsing and --help (see
 * opt.h).  Takes no locks.
 */
#include "cli/opt.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "cli/exitcode.h"
#include "cli/version.h"

enum { OPT_VERSION = 0x7f00, HELP_COL = 24, WIDTH = 79 };

/* Every command's own two. */
static const struct opt common[] = {
    {"help", 'h', NULL, 'h', "this text (also: dlsync help COMMAND)"},
    {"version", 0, NULL, OPT_VERSION, "the version of dlsync"},
    {NULL, 0, NULL, 0, NULL},
};

const struct opt opt_run_rows[] = {
    {"run", 0, "N", OPT_RUN,
     "the run (runs.run_id, a whole number from 1).  Default: the newest (the largest run_id)."},
    {NULL, 0, NULL, 0, NULL},
};

static void add_table(struct opt_parser *p, const struct opt *rows, size_t *n)
{
    for (const struct opt *o = rows; o->name; o++) {
        assert(*n < OPT_MAX && (!o->letter || o->key == o->letter));
        p->longopts[(*n)++] =
            (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->key};
        if (o->letter) {
            size_t k = strlen(p->letters);
            p->letters[k++] = o->letter;
            if (o->arg)
                p->letters[k++] = ':';
            p->letters[k] = '\0';
        }
    }
}

void opt_begin(struct opt_parser *p, const struct opt_cmd *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    size_t n = 0;
    strcpy(p->letters, cmd->pass_others ? "-:" : ":");
    add_table(p, common, &n);
    for (const struct opt_table *t = cmd->tables; t && t->rows; t++)
        add_table(p, t->rows, &n);
    optind = 0; /* a full re-initialisation (glibc): an earlier parse may have used another mode */
    opterr = 0;
}

int opt_usage_error(const struct opt_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dlsync %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (dlsync help %s)\n", cmd->name);
    return EX_USAGE;
}

/* pass_others, and the option at optind - 1 is not one of the tables: it
 * goes on as it was written (*arg) unless it is a short one inside a
 * cluster (-xy), which cannot be split faithfully (OPT_BAD, said). */
static int pass_on(struct opt_parser *p, const char **arg)
{
    const char *w = p->argv[optind - 1];
    if (optopt && !(w[0] == '-' && w[1] == optopt && w[2] == '\0')) {
        opt_usage_error(
            p->cmd, "cannot pass the option cluster containing -%c on; write it after --", optopt);
        return OPT_BAD;
    }
    *arg = w;
    return OPT_OTHER;
}

int opt_next(struct opt_parser *p, const char **arg)
{
    int at = optind;
    int c = getopt_long(p->argc, p->argv, p->letters, p->longopts, NULL);
    *arg = optarg;
    switch (c) {
    case -1:
        p->next = optind;
        return OPT_END;
    case 'h':
        if (p->cmd->own_help)
            return 'h';
        opt_help(stdout, p->cmd);
        return OPT_EXIT;
    case OPT_VERSION:
        printf("dlsync %s\n", DLSYNC_VERSION);
        return OPT_EXIT;
    case 1: /* pass_others: an operand */
        return OPT_OTHER;
    case ':':
        opt_usage_error(p->cmd, "%s needs an argument", p->argv[at < p->argc ? at : p->argc - 1]);
        return OPT_BAD;
    case '?':
        if (p->cmd->pass_others)
            return pass_on(p, arg);
        if (optopt)
            opt_usage_error(p->cmd, "unknown option -%c", optopt);
        else
            opt_usage_error(p->cmd, "unknown option %s", p->argv[optind - 1]);
        return OPT_BAD;
    default:
        return c;
    }
}

/* text from column col to WIDTH, words wrapped; '\n' breaks a line. */
static void wrap(FILE *f, const char *text, int col, int at)
{
    const char *s = text;
    while (*s) {
        size_t w = strcspn(s, " \n");
        if (at > col && at + 1 + (int)w > WIDTH) {
            fprintf(f, "\n%*s", col, "");
            at = col;
        } else if (at > col) {
            fputc(' ', f);
            at++;
        }
        fprintf(f, "%.*s", (int)w, s);
        at += (int)w;
        s += w;
        if (*s == '\n') {
            fprintf(f, "\n%*s", col, "");
            at = col;
        }
        while (*s == ' ' || *s == '\n')
            s++;
    }
    fputc('\n', f);
}

static void help_rows(FILE *f, const struct opt *rows)
{
    for (const struct opt *o = rows; o->name; o++) {
        char left[64], letter[8] = "";
        if (o->letter)
            snprintf(letter, sizeof letter, "-%c, ", o->letter);
        int n = snprintf(left, sizeof left, "  %s--%s%s%s", letter, o->name, o->arg ? " " : "",
                         o->arg ? o->arg : "");
        fputs(left, f);
        if (n + 2 > HELP_COL)
            fprintf(f, "\n%*s", HELP_COL, "");
        else
            fprintf(f, "%*s", HELP_COL - n, "");
        wrap(f, o->help, HELP_COL, HELP_COL);
    }
}

void opt_help(FILE *f, const struct opt_cmd *cmd)
{
    fputs(cmd->synopsis, f);
    for (const struct opt_table *t = cmd->tables; t && t->rows; t++) {
        if (t->heading)
            fprintf(f, "\n%s\n", t->heading);
        help_rows(f, t->rows);
        if (!t[1].rows)
            help_rows(f, common);
    }
    if (!cmd->tables || !cmd->tables[0].rows) {
        fputs("\nOptions:\n", f);
        help_rows(f, common);
    }
    if (cmd->tail)
        fprintf(f, "\n%s", cmd->tail);
    exit_help(f, cmd->exits);
}
