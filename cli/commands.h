/*
 * cli/commands.h — the subcommands of `dlsync`, one file each under cli/
 * (its options, usage and exit codes; the work is in lib/, tracer/, replay/,
 * viz/).  Each takes the subcommand's own argv (argv[0] is the subcommand
 * name) and returns the process exit code (cli/exitcode.h).
 */
#ifndef DLSYNC_COMMANDS_H
#define DLSYNC_COMMANDS_H

/* How this dlsync was called (argv[0] of the process), for the commands it
 * prints for the user to run. */
extern const char *dlsync_program;

int cmd_run(int argc, char **argv);

/* Check a `dlsync run` command line (argv[0] is "run") as cmd_run reads it,
 * scenario and schedule included, without running anything or writing any
 * file: 0 when cmd_run would go on to make the run (or print its help or a
 * list), else the exit code it would return (EX_USAGE, cli/exitcode.h), its message
 * printed on stderr.  (`dlsync record` asks before it sets up a session.) */
int run_check(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_step(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_exercise(int argc, char **argv);

#endif
