# bench/bench.mk — build fragment of the benchmark programs.
BENCH_BINS += $(BIN)/anchor_barrier

$(BIN)/anchor_barrier: $(O)/bench/anchor_barrier.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
