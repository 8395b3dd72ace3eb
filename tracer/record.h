/*
 * tracer/record.h — the `dlsync record` subcommand.
 *
 * Owns nothing shared; see tracer/record.c.
 */
#ifndef DLSYNC_TRACER_RECORD_H
#define DLSYNC_TRACER_RECORD_H

/* Run `dlsync record`.  argv[0] is the subcommand name ("record"); the rest
 * are its options and the run's options (see the usage text in record.c or
 * docs/record.md).  Returns the process exit status: the run's own status,
 * or one of its own (cli/exitcode.h).  Forks and execs
 * /proc/self/exe as `dlsync run ...`; installs SIGINT/SIGTERM/SIGHUP handlers
 * while the run lives and restores the previous ones before returning. */
int cmd_record(int argc, char **argv);

#endif
