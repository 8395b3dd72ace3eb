# grade/grade.mk — build fragment of the graders (included by the top
# Makefile): the work of `dlsync grade` (cli/grade.c) and `dlsync exercise`.
#
# Adds to the shared lists:
#   CLI_SRCS   grade/*.c: exercise.c (finding an exercise, its settings),
#              report.c (the tests, the summary, results.json), answers.c
#              (the answers file of predict and diagnose), one grader
#              per kind (predict.c, diagnose.c, break.c, fix.c)
GRADE_SRCS := $(sort $(wildcard grade/*.c))
CLI_SRCS   += $(GRADE_SRCS)
