# tracer/tracer.mk — build fragment of the tracer (included by the top Makefile).
#
# Adds to the shared lists:
#   LIB_SRCS   tracer/catalogue.c (catalogue.h: kinds' names, string fields)
#              tracer/emit.c (events.h: counters, registry, call sites)
#              tracer/evtext.c (ev_format: an event as a line of text)
#              tracer/names.c (names.h: the protocol's words, for every part)
#              tracer/probe.c (ev_probe_load: dlopen of the provider)
#              tracer/ctf_index.c (ctf_index.h)
#   CLI_SRCS   tracer/record.c (`dlsync record`), tracer/session.c (liblttng-ctl)
#   LDLIBS     liblttng-ctl and -ldl (bin/dlsync never links liblttng-ust)
#   EXTRA_ALL  $(BIN)/libdlsync-tp.so, the LTTng-UST probe provider
#   BENCH_BINS $(BIN)/bench_tp
#   TEST_BINS  $(O)/tests/tracer/test_emit (unit test, no daemon needed),
#              $(O)/tests/tracer/bt_counts (reads a trace with libbabeltrace2)
# With TRACE=0 only catalogue.c, emit.c (registry only), evtext.c, names.c,
# probe.c, ctf_index.c and record.c
# (which then says tracing was compiled out) are built, and nothing links LTTng.

LIB_SRCS += tracer/catalogue.c tracer/emit.c tracer/evtext.c tracer/names.c tracer/probe.c tracer/ctf_index.c
CLI_SRCS += tracer/record.c

# Where `make install` puts the provider (see the install rule).
$(O)/tracer/probe.o: CPPFLAGS += -DDLSYNC_LIBDIR='"$(PREFIX)/lib/dlsync"'
$(O)/tracer/probe.o: $(O)/prefix.stamp

TEST_BINS += $(O)/tests/tracer/test_emit

$(O)/tests/tracer/test_emit: $(O)/tests/tracer/test_emit.o $(O)/tracer/catalogue.o $(O)/tracer/emit.o $(O)/tracer/evtext.o $(O)/tracer/probe.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRACER_LDLIBS)

ifeq ($(TRACE),0)
TRACER_LDLIBS :=
else
TRACER_LDLIBS := $(shell pkg-config --libs lttng-ctl 2>/dev/null || echo -llttng-ctl) -ldl

CLI_SRCS   += tracer/session.c
LDLIBS     += $(TRACER_LDLIBS)
EXTRA_ALL  += $(BIN)/libdlsync-tp.so
BENCH_BINS += $(BIN)/bench_tp
TEST_BINS  += $(O)/tests/tracer/bt_counts

# The provider is position-independent and never built with a sanitizer: it
# runs inside liblttng-ust's lock-free ring buffer code, which is not
# instrumented (the call sites in emit.c are, and that is what TSan judges).
TRACER_TP_CFLAGS = $(filter-out -fsanitize=%,$(CFLAGS)) -fPIC

$(O)/tracer/tp.pic.o: tracer/tp.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(TRACER_TP_CFLAGS) -c -o $@ $<

$(BIN)/libdlsync-tp.so: $(O)/tracer/tp.pic.o
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,--no-as-needed -Wl,-soname,libdlsync-tp.so -o $@ $^ -llttng-ust -ldl

# bench_tp: its own tiny provider dlsync_bench (linked in statically, hence
# -llttng-ust here only) next to the dlsync call sites of emit.o.
$(O)/tracer/bench_tp_probe.o: override CFLAGS := $(filter-out -fsanitize=%,$(CFLAGS))

$(BIN)/bench_tp: $(O)/tracer/bench_tp.o $(O)/tracer/bench_tp_probe.o $(O)/tracer/session.o \
		$(O)/tracer/ctf_index.o $(O)/tracer/catalogue.o $(O)/tracer/emit.o $(O)/tracer/evtext.o $(O)/tracer/probe.o | $(BIN)/libdlsync-tp.so
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRACER_LDLIBS) -llttng-ust

$(O)/tests/tracer/bt_counts: $(O)/tests/tracer/bt_counts.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs babeltrace2 2>/dev/null || echo -lbabeltrace2)
endif
