# tests/tests.mk — build fragment of the C test programs (tests/harness.c is
# their shared PASS/FAIL harness).
TEST_BINS += $(O)/tests/unit $(O)/tests/unit_sched

$(O)/tests/unit: $(O)/tests/unit.o $(O)/tests/harness.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/unit_sched: $(O)/tests/unit_sched.o $(O)/tests/harness.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
