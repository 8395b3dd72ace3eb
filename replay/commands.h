/*
 * replay/commands.h — the replay part's subcommand of `dlsync` still here
 * (ingest.c; state and check are cli/state.c and cli/check.c).  Each takes the subcommand's own
 * argv (argv[0] is the subcommand name) and returns the process exit code; each prints its --help.
 */
#ifndef DLSYNC_REPLAY_COMMANDS_H
#define DLSYNC_REPLAY_COMMANDS_H

int cmd_ingest(int argc, char **argv);

#endif
