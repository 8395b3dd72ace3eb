# dlsync — top-level build.  Each part of the tree adds its sources in its own
# fragment (lib/lib.mk, tracer/tracer.mk, replay/replay.mk, viz/viz.mk,
# cli/cli.mk, tests/tests.mk); this file holds the rules they share.
#
#   make            build bin/dlsync, the LTTng probe provider and the man pages
#   make test       install missing Debian packages, build, run every test
#   make demo       install missing Debian packages, run the main job
#   make bench      benchmarks, each printed as a ratio against its anchor
#   make tsan/asan  the correct protocol under ThreadSanitizer / ASan+UBSan
#   make soak       long seeded soaks (minutes)
#   make fuzz       libFuzzer on the event model, mutated traces into ingest (docs/fuzz.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make TRACE=0    compile tracing out entirely

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
TRACE   ?= 1
SAN     ?=
O       ?= build

BIN     := bin
WARN    := -std=c11 -Wall -Wextra -Werror
CPPFLAGS := -D_GNU_SOURCE -I. -MMD -MP
OPT     ?= -O2 -g
override CFLAGS += $(OPT) $(WARN) -pthread -fno-omit-frame-pointer
LDFLAGS += -pthread
LDLIBS  :=

ifeq ($(TRACE),0)
CPPFLAGS += -DDLSYNC_NO_TRACE
endif
ifneq ($(SAN),)
override CFLAGS += -fsanitize=$(SAN)
LDFLAGS += -fsanitize=$(SAN)
endif

# Filled in by the fragments.
LIB_SRCS   :=
CLI_SRCS   :=
TEST_BINS  :=
BENCH_BINS :=
EXTRA_ALL  :=

include lib/lib.mk
include tracer/tracer.mk
-include replay/replay.mk
-include viz/viz.mk
include grade/grade.mk
include cli/cli.mk
include tests/tests.mk
include bench/bench.mk
include fuzz/fuzz.mk

LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(O)/%.o)

.PHONY: all test demo bench tsan asan soak fuzz install clean deps man FORCE
.DEFAULT_GOAL := all

all: $(BIN)/dlsync $(EXTRA_ALL) man

# Man pages, generated from the --help texts by scripts/mkman.sh (sh and awk
# only).  dlsync.1 is written last, so it stands for the whole set.
man: $(O)/man/dlsync.1
$(O)/man/dlsync.1: $(BIN)/dlsync scripts/mkman.sh
	@rm -rf $(O)/man
	@scripts/mkman.sh $(BIN)/dlsync $(O)/man

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/libdlsync.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/dlsync: $(CLI_OBJS) $(O)/libdlsync.a
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# What grade/fix.c links a student's function with (beside bin/dlsync, so an
# installed or a clang build finds its own): every CLI and lib/ object in one
# archive (main included: the archive pulls it in), the link flags, and the
# public header include/dlsync/student.h.  The student's object comes first, so its
# definition replaces the weak reference in lib/.
$(BIN)/dlsync-student.a: $(CLI_OBJS) $(LIB_OBJS)
	@mkdir -p $(BIN)
	@rm -f $@
	ar rcs $@ $^
$(BIN)/dlsync-student.ld: Makefile
	@mkdir -p $(BIN)
	@echo '$(LDFLAGS) $(LDLIBS)' > $@
$(BIN)/include/dlsync/student.h: include/dlsync/student.h
	@mkdir -p $(dir $@)
	cp $< $@
all: $(BIN)/dlsync-student.a $(BIN)/dlsync-student.ld $(BIN)/include/dlsync/student.h

deps:
	@scripts/deps.sh

# Rewritten only when PREFIX changes, so that what depends on the install
# prefix (the provider's search path, tracer/probe.c) is rebuilt for it.
$(O)/prefix.stamp: FORCE
	@mkdir -p $(O)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

test: deps
	@$(MAKE) --no-print-directory all $(TEST_BINS)
	@tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@scripts/bench.sh

tsan: deps
	@$(MAKE) --no-print-directory O=build/tsan BIN=build/tsan/bin SAN=thread CC=clang OPT="-O1 -g" all build/tsan/tests/unit build/tsan/tests/unit_sched
	@tests/sanitize.sh build/tsan

asan: deps
	@$(MAKE) --no-print-directory O=build/asan BIN=build/asan/bin SAN=address,undefined CC=clang OPT="-O1 -g -fno-sanitize-recover=all" all build/asan/tests/unit build/asan/tests/unit_sched
	@tests/sanitize.sh build/asan

soak: deps
	@$(MAKE) --no-print-directory all
	@tests/soak.sh

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory all $(O)/fuzz/fuzz_model $(O)/fuzz/mutate
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TRIALS=$(FUZZ_TRIALS) fuzz/run.sh $(O) $(BIN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/dlsync $(DESTDIR)$(PREFIX)/share/dlsync/scenarios
	install -m 755 $(BIN)/dlsync $(DESTDIR)$(PREFIX)/bin/dlsync
	for f in $(EXTRA_ALL); do install -m 644 $$f $(DESTDIR)$(PREFIX)/lib/dlsync/; done
	install -m 644 scenarios/*.dls $(DESTDIR)$(PREFIX)/share/dlsync/scenarios/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(O)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	# The exercises, without the instructors' solutions.
	for d in exercises/[0-9][0-9]-*/; do [ -d "$$d" ] || continue; \
		install -d $(DESTDIR)$(PREFIX)/share/dlsync/$$d && \
		(cd $$d && find . -path ./solution -prune -o -type f -print) | while read -r f; do \
			install -D -m 644 $$d/$$f $(DESTDIR)$(PREFIX)/share/dlsync/$$d/$$f || exit 1; done || exit 1; \
	done

clean:
	rm -rf build bin tests/artefacts

-include $(shell find $(O) -name '*.d' 2>/dev/null)
