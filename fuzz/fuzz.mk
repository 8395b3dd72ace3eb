# fuzz/fuzz.mk — build fragment of the fuzzing (docs/fuzz.md), included by
# the top Makefile.
#
#   $(O)/fuzz/fuzz_model   the libFuzzer target of the event model and the
#                          checker (fuzz/fuzz_model.c): clang, every object
#                          built with -fsanitize=fuzzer-no-link,address,undefined
#                          under $(O)/fuzz/libfuzzer/ (make fuzz only)
#   $(O)/fuzz/run_model    the same target with a plain main (fuzz/run_inputs.c),
#                          built by $(CC) with ASan+UBSan under $(O)/fuzz/san/:
#                          replays the inputs that found bugs (make test)
#   $(O)/fuzz/seed_model   a database's run as a seed (fuzz/seed_model.c)
#   $(O)/fuzz/print_model  an input as text, one event a line (fuzz/print_model.c)
#   $(O)/fuzz/mutate       one seeded mutation of a trace (fuzz/mutate.c), for
#                          fuzz/mutate_trace.sh
# and `make fuzz` (the rule is in the top Makefile): FUZZ_SECONDS per
# libFuzzer target, then FUZZ_TRIALS trace mutants (at most FUZZ_SECONDS).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TRIALS  ?= 400
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all

# What the model target runs: the event checks and check's own pass (the
# model, every family, the gaps) with the words they print with; it links
# the whole replay part, as the test feeder does (the rest comes along
# unused), and tracer/catalogue.c for the kinds' names (emit.c for the
# registry), built without tracing:
# nothing here emits.
FUZZ_MODEL_SRCS := fuzz/fuzz_model.c fuzz/model_input.c $(REPLAY_SRCS) tracer/names.c \
                   tracer/catalogue.c \
                   tracer/emit.c tracer/evtext.c tracer/ctf_index.c lib/grow.c cli/exitcode.c
$(O)/fuzz/%.o: CPPFLAGS += -DDLSYNC_NO_TRACE $(REPLAY_CFLAGS)

TEST_BINS += $(O)/fuzz/run_model $(O)/fuzz/mutate $(O)/fuzz/seed_model $(O)/fuzz/print_model

$(O)/fuzz/libfuzzer/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(O)/fuzz/fuzz_model: $(FUZZ_MODEL_SRCS:%.c=$(O)/fuzz/libfuzzer/%.o)
	$(FUZZ_CC) $(LDFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(REPLAY_LDLIBS) -pthread

$(O)/fuzz/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(FUZZ_SAN) -c -o $@ $<

$(O)/fuzz/run_model: $(O)/fuzz/san/fuzz/run_inputs.o $(FUZZ_MODEL_SRCS:%.c=$(O)/fuzz/san/%.o)
	$(CC) $(LDFLAGS) $(FUZZ_SAN) -o $@ $^ $(REPLAY_LDLIBS) -pthread

$(O)/fuzz/seed_model: $(O)/fuzz/seed_model.o $(O)/fuzz/model_input.o $(O)/replay/cmdline.o \
                      $(O)/cli/exitcode.o $(O)/cli/opt.o \
                      $(O)/replay/moment.o \
                      $(O)/replay/db.o $(O)/replay/schema.o $(O)/replay/names.o \
                      $(O)/replay/event.o $(O)/replay/model.o $(O)/replay/gaps.o $(O)/replay/textbuf.o \
                      $(O)/libdlsync.a
	$(CC) $(LDFLAGS) -o $@ $^ $(REPLAY_LDLIBS)

$(O)/fuzz/print_model: $(O)/fuzz/print_model.o $(O)/fuzz/model_input.o $(O)/replay/event.o \
                       $(O)/libdlsync.a
	$(CC) $(LDFLAGS) -o $@ $^

$(O)/fuzz/mutate: $(O)/fuzz/mutate.o $(O)/lib/rng.o
	$(CC) $(LDFLAGS) -o $@ $^
