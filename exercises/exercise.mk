# exercises/exercise.mk — included by the one-line Makefile of every
# exercise folder, so that `make -C exercises/NN-name grade SUBMISSION=FILE`
# grades a submission to that exercise (dlsync grade, results.json in the
# current directory of make: the exercise folder, unless RESULTS= says).
DLSYNC  ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../bin/dlsync)
RESULTS ?= results.json
.PHONY: grade
grade:
	@test -n "$(SUBMISSION)" || { echo "usage: make grade SUBMISSION=FILE [RESULTS=FILE]" >&2; exit 2; }
	$(DLSYNC) grade $(CURDIR) $(abspath $(SUBMISSION)) -o $(RESULTS)
