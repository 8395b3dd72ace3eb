# cli/cli.mk — build fragment of the `dlsync` command's dispatcher and `run`.
CLI_SRCS += cli/opt.c cli/dlsync.c cli/run.c cli/runopts.c cli/explore.c cli/diff.c cli/ingest.c cli/record.c cli/state.c cli/check.c cli/draw.c cli/replay.c cli/exitcode.c
