# tests/tests.mk — build fragment of the C test programs (tests/harness.c is
# their shared PASS/FAIL harness).
TEST_BINS += $(O)/tests/unit $(O)/tests/unit_sched

$(O)/tests/unit: $(O)/tests/unit.o $(O)/tests/harness.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/unit_sched: $(O)/tests/unit_sched.o $(O)/tests/harness.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The feeder of tests/replay/check.sh: check's families on a text stream of
# events.  It links the replay part's objects (check.h's pass and its
# families; the rest come along unused) and their libraries.
TEST_BINS += $(O)/tests/feed
FEED_OBJS := $(O)/tests/replay/feed.o $(REPLAY_SRCS:%.c=$(O)/%.o) $(O)/cli/exitcode.o

$(O)/tests/replay/feed.o: CPPFLAGS += $(REPLAY_CFLAGS)
$(O)/tests/feed: $(FEED_OBJS) $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
