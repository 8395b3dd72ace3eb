/*
 * viz/commands.h — the subcommands viz adds to `dlsync` (cli/dlsync.c
 * dispatches to them).  Each takes its own argv (argv[0] is the subcommand
 * name) and returns the exit code; the codes are listed in each --help.
 */
#ifndef DLSYNC_VIZ_COMMANDS_H
#define DLSYNC_VIZ_COMMANDS_H

/* dlsync draw DB -o FILE: sequence diagram or (--waitfor) wait-for graph. */
int cmd_draw(int argc, char **argv);

/* dlsync replay DB -o FILE.html: a self-contained page to step through a run. */
int cmd_replay(int argc, char **argv);

#endif
