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
# The exercises are installed, and found, without the instructors' solutions.
n=$(find "$P/share/dlsync/exercises" -name exercise.conf 2>/dev/null | wc -l)
s=$(find "$P/share/dlsync/exercises" -path '*/solution*' 2>/dev/null | wc -l)
want=$(ls -d exercises/[0-9][0-9]-*/ 2>/dev/null | wc -l)
[ "$n" -eq "$want" ] && [ "$s" -eq 0 ] && pass installed-exercises ||
    fail installed-exercises "$n of $want exercises, $s solution files"
if [ "$want" -gt 0 ]; then
    first=$(ls -d exercises/[0-9][0-9]-*/ | head -1 | sed 's|exercises/\([0-9][0-9]\).*|\1|')
    (cd /tmp && env -u DLSYNC_EXERCISES timeout 60 "$P/bin/dlsync" grade -q -o "$P/r.json" "$first" /dev/null)
    rc=$?
    { [ $rc -eq 0 ] || [ $rc -eq "$EX_MARKS" ]; } && pass installed-grade-finds-exercise ||
        fail installed-grade-finds-exercise "exit $rc"
fi
rm -f "$P.log"
summary install
