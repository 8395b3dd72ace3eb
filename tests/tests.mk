# tests/tests.mk — build fragment of the C test programs.
TEST_BINS += $(O)/tests/unit

$(O)/tests/unit: $(O)/tests/unit.o $(O)/libdlsync.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
