# replay/replay.mk — build fragment of the replay part (included by the top
# Makefile): `dlsync ingest`, `dlsync state`, `dlsync check`.
#
# Adds to the shared lists:
#   CLI_SRCS   every replay/*.c (commands in ingest.c, state.c, check.c; the
#              rest are their helpers: ctf_source, db, schema, model, ...)
#   LDLIBS     libbabeltrace2 and libsqlite3 (pkg-config)
REPLAY_SRCS    := $(sort $(wildcard replay/*.c))
REPLAY_PKGS    := babeltrace2 sqlite3
REPLAY_CFLAGS  := $(shell pkg-config --cflags $(REPLAY_PKGS) 2>/dev/null)
REPLAY_LDLIBS  := $(shell pkg-config --libs $(REPLAY_PKGS) 2>/dev/null || echo -lbabeltrace2 -lsqlite3)

CLI_SRCS   += $(REPLAY_SRCS)
LDLIBS     += $(REPLAY_LDLIBS)

$(REPLAY_SRCS:%.c=$(O)/%.o): CPPFLAGS += $(REPLAY_CFLAGS)
