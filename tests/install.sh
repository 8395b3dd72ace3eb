#!/bin/sh
# tests/install.sh — `make install PREFIX=...` gives a dlsync that works from
# its installed place: it finds its LTTng provider under PREFIX/lib/dlsync
# and its built-in scenarios, and records a run.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 2
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
if make --no-print-directory -s O=build/install BIN=build/install/bin PREFIX="$P" install >"$P.log" 2>&1; then
    pass make-install
else fail make-install "see $P.log"; tail -5 "$P.log"; fi
[ -x "$P/bin/dlsync" ] && [ -f "$P/lib/dlsync/libdlsync-tp.so" ] && pass installed-files ||
    fail installed-files "$(find "$P" -type f | head)"
out=$(cd /tmp && timeout 120 "$P/bin/dlsync" record -o "$P/trace" -- --scenario mixed --groups 3 --ops 5 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -n "$(babeltrace2 "$P/trace" 2>/dev/null | head -1)" ]; then
    pass installed-record
else fail installed-record "exit $rc: $(echo "$out" | tail -3)"; fi
rm -f "$P.log"
summary install
