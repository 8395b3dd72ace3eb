/*
 * cli/opt.h — the one option parser of every `dlsync` command: each command
 * describes its options in a table (long name, short letter, argument, help
 * text), and the same table parses the command line and prints the options
 * part of its --help.  --help and --version are every command's, handled
 * here.  No state beyond the parser's; takes no locks (getopt's globals:
 * one parse at a time).
 */
#ifndef DLSYNC_CLI_OPT_H
#define DLSYNC_CLI_OPT_H

#include <getopt.h>
#include <stdio.h>

/* One option: its row of the table, and its line of --help. */
struct opt {
    const char *name; /* long name, without "--"; NULL ends a table */
    char letter;      /* short option (-q), or 0 */
    const char *arg;  /* its argument as --help names it ("N"), or NULL: none */
    int key;          /* what opt_next returns for it: letter if it has one */
    const char *help; /* one paragraph, wrapped by opt_help; '\n' breaks a line */
};

/* A table under a heading of --help ("Options:"; NULL: under the table
 * before it). */
struct opt_table {
    const char *heading;
    const struct opt *rows;
};

/* A command: its --help is synopsis, its tables, tail and the exit codes it
 * uses (cli/exitcode.h). */
struct opt_cmd {
    const char *name;               /* "state" */
    const char *synopsis;           /* "usage: ..." and the description */
    const struct opt_table *tables; /* ended by a {NULL, NULL} entry */
    const char *tail;               /* after the options (environment, ...), or NULL */
    const int *exits;               /* ascending, ended by -1 */
    int pass_others;                /* record: an operand or an option not in the tables
                                       comes back as OPT_OTHER, its word in *arg */
    int own_help;                   /* 'h' comes back to the command, which prints opt_help
                                       itself (run: --variant NAME --help) */
};

enum {
    OPT_END = -1,     /* no option left: the operands are argv[p->next..] */
    OPT_EXIT = -2,    /* --help or --version printed: exit EX_OK */
    OPT_BAD = -3,     /* an unknown option or a missing argument, said: exit EX_USAGE */
    OPT_OTHER = -4,   /* pass_others: a word for someone else (*arg) */
    OPT_MAX = 40,     /* options of one command */
    OPT_RUN = 0x7e00, /* the key of --run N (opt_run_rows) */
};

/* --run N: the row of every command that reads one run of a database (its
 * value is read with moment_parse_run, replay/moment.h). */
extern const struct opt opt_run_rows[];

struct opt_parser {
    const struct opt_cmd *cmd;
    int argc;
    char **argv;
    int next; /* after OPT_END: the first operand */
    struct option longopts[OPT_MAX + 1];
    char letters[2 * OPT_MAX + 2];
};

/* Start parsing argv (argv[0]: the command's name) with cmd's tables. */
void opt_begin(struct opt_parser *p, const struct opt_cmd *cmd, int argc, char **argv);

/* The next option's key, its argument in *arg (NULL if none); OPT_END,
 * OPT_EXIT or OPT_BAD (see above).  Operands may come between options. */
int opt_next(struct opt_parser *p, const char **arg);

/* cmd's whole --help on f. */
void opt_help(FILE *f, const struct opt_cmd *cmd);

/* On stderr: "dlsync CMD: " and the message, then where the help is;
 * returns EX_USAGE. */
int opt_usage_error(const struct opt_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
