# cli/cli.mk — build fragment of the `dlsync` command: the dispatcher
# (dlsync.c), one file per subcommand with its options, usage and exit codes
# (run, explore, step, record, ingest, state, check, draw, replay, diff,
# grade, exercise), the one
# option parser (opt.c), the run options (runopts.c) and the one table of
# exit codes (exitcode.c).  The work of each command lives in lib/, tracer/,
# replay/ and viz/.
CLI_SRCS += cli/dlsync.c cli/opt.c cli/exitcode.c cli/runopts.c \
            cli/run.c cli/explore.c cli/step.c cli/record.c cli/ingest.c cli/state.c cli/check.c \
            cli/draw.c cli/replay.c cli/diff.c cli/grade.c cli/exercise.c
