# tests/tests.mk — build fragment of the C test programs.
TEST_BINS += $(O)/tests/unit $(O)/tests/unit_sched

$(O)/tests/unit: $(O)/tests/unit.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/unit_sched: $(O)/tests/unit_sched.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
