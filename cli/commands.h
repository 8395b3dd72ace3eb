/*
 * commands.h — the subcommands of `dlsync`, one file each.  Each takes the
 * subcommand's own argv (argv[0] is the subcommand name) and returns the
 * process exit code.
 */
#ifndef DLSYNC_COMMANDS_H
#define DLSYNC_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif
