# lib/lib.mk — build fragment of the protocol library (libdlsync.a).
LIB_SRCS += $(wildcard lib/*.c) $(O)/gen/scenarios.c

SCENARIO_FILES := $(sort $(wildcard scenarios/*.dls))

$(O)/gen/scenarios.c: $(SCENARIO_FILES) scripts/embed-scenarios.sh
	@mkdir -p $(dir $@)
	scripts/embed-scenarios.sh $@ $(SCENARIO_FILES)

# The generated file is compiled from $(O)/gen, so its object lands in $(O)/$(O)/gen.
$(O)/$(O)/gen/scenarios.o: $(O)/gen/scenarios.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
