/*
 * cli/version.h — the version of dlsync, in one place: `dlsync --version`
 * and every subcommand's --version print it.  No code.
 */
#ifndef DLSYNC_CLI_VERSION_H
#define DLSYNC_CLI_VERSION_H

#define DLSYNC_VERSION "0.10.0"

#endif
