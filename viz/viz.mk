# viz/viz.mk — build fragment of the diagrams (included by the top Makefile):
# the work of `dlsync draw` and `dlsync replay` (viz/draw.h; their command
# lines are cli/draw.c and cli/replay.c).
#
# Adds to the shared lists:
#   CLI_SRCS   viz/*.c and the generated $(O)/gen/replay_template.c (the
#              replay page's HTML/JS/CSS, viz/replay.html, embedded by
#              viz/embed-template.sh)
#   LDLIBS     Graphviz (libgvc, libcgraph); viz reads a run only through
#              replay/session.h, so SQLite comes with replay.mk
# Graphviz's headers are included as system headers (-isystem) by the one
# file that includes them, render.c, so that their warnings never break
# -Werror; the global flags stay as they are.
VIZ_SRCS    := $(filter-out viz/embed-template.sh,$(sort $(wildcard viz/*.c))) $(O)/gen/replay_template.c
VIZ_GV_INC  := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags-only-I libgvc 2>/dev/null || echo -I/usr/include/graphviz))
VIZ_LDLIBS  := $(shell pkg-config --libs libgvc libcgraph 2>/dev/null || echo -lgvc -lcgraph -lcdt)

CLI_SRCS  += $(VIZ_SRCS)
LDLIBS    += $(VIZ_LDLIBS)

$(O)/viz/render.o: CPPFLAGS += $(VIZ_GV_INC)

$(O)/gen/replay_template.c: viz/replay.html viz/embed-template.sh
	@mkdir -p $(dir $@)
	viz/embed-template.sh $@ viz_replay_template viz/replay.html

# The generated file is compiled from $(O)/gen, so its object lands in $(O)/$(O)/gen.
$(O)/$(O)/gen/replay_template.o: $(O)/gen/replay_template.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
