#!/bin/sh
# tests/viz/run.sh REPO_ROOT — tests of `dlsync draw` and `dlsync replay`:
# records short runs, ingests them, draws them, checks the SVG/DOT/HTML, and
# drives the replay page in real headless Chromium (tests/viz/cdp.py).
# Prints PASS/FAIL lines; exits non-zero if any failed.  Every step is bounded
# by timeout.  Artefacts: tests/artefacts/replay.png and tests/artefacts/viz/.

set -u
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
D=$ROOT/bin/dlsync
ART=$ROOT/tests/artefacts
W=$ART/viz
rm -rf "$W"
mkdir -p "$W"
fails=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # check NAME COMMAND...: PASS if the command succeeds
    name=$1; shift
    if "$@" >"$W/last.out" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$W/last.out" | tail -5; fi
}
T="timeout 120"

VIZ=$D
ingest() { # ingest TRACE DB
    $T "$D" ingest "$1" -d "$2" --quiet --no-progress >/dev/null
}

# ---- a short correct run -----------------------------------------------------
TR=$W/mixed
if $T "$D" record -o "$TR" -- --scenario mixed --groups 3 --ops 8 --seed 2 >"$W/record.log" 2>&1 &&
   ingest "$TR" "$TR/t.db"; then pass "record and ingest mixed (3 groups, 8 ops, seed 2)"
else fail "record and ingest mixed"; cat "$W/record.log"; echo "$fails failed"; exit 1; fi
DB=$TR/t.db

svg_ok() { # every file parses as XML (xmllint), else at least has <svg and </svg>
    for f in "$@"; do
        if command -v xmllint >/dev/null; then xmllint --noout "$f" || return 1
        else grep -q '<svg' "$f" && grep -q '</svg>' "$f" || return 1; fi
    done
}
check "draw --epoch 2 writes SVG" $T $VIZ draw "$DB" --epoch 2 --page-rows 100000 -o "$W/e2.svg"
check "the SVG is well-formed XML" svg_ok "$W/e2.svg"
check "the diagram shows both barrier phases" grep -q 'phase 2 released' "$W/e2.svg"
# run_begin carries the ops per worker in its epoch field: --epoch with that
# number is the epoch's own events, not the run from its first event on.
ops=$(sqlite3 "$DB" "SELECT ops FROM runs ORDER BY run_id DESC LIMIT 1")
check "draw --epoch $ops (= ops per worker) draws epoch $ops alone, not from run_begin" sh -c \
    "$T $VIZ draw '$DB' --epoch $ops --page-rows 100000 -o '$W/eops.svg' && grep -q '>op e$ops ' '$W/eops.svg' && ! grep -q 'run_begin' '$W/eops.svg'"
check "draw --epoch 2 writes DOT" $T $VIZ draw "$DB" --epoch 2 --page-rows 100000 -o "$W/e2.dot"
check "the DOT says how to render it" sh -c "head -1 '$W/e2.dot' | grep -q 'render with: neato -n2'"
size_of() { sed -n 's/^<svg width="\([0-9.]*\)pt" height="\([0-9.]*\)pt".*/\1x\2/p' "$1"; }
if $T neato -n2 -Tsvg "$W/e2.dot" -o "$W/e2-cli.svg" 2>"$W/neato.err" &&
   [ -n "$(size_of "$W/e2.svg")" ] && [ "$(size_of "$W/e2.svg")" = "$(size_of "$W/e2-cli.svg")" ]; then
    pass "neato -n2 renders the .dot to the same size ($(size_of "$W/e2.svg"))"
else fail "neato -n2 renders the .dot to the same size: $(size_of "$W/e2.svg") vs $(size_of "$W/e2-cli.svg")"; fi
check "draw --epoch 2 writes PNG" $T $VIZ draw "$DB" --epoch 2 --page-rows 100000 -o "$W/e2.png"
check "the PNG is a PNG" sh -c "head -c 8 '$W/e2.png' | od -c | grep -q 'P   N   G'"
check "draw --threads 0,1 --from/--to writes SVG" $T $VIZ draw "$DB" --threads 0,1 --from 30 --to 200 -o "$W/part.svg"
# Times of the events a quarter and half way through (not of the time span:
# a run's events may bunch, leaving a span's quarter empty).
at_frac() { sqlite3 "$DB" "SELECT printf('%.3fms', (ts - (SELECT min(ts) FROM events)) / 1e6) FROM events
    ORDER BY seq LIMIT 1 OFFSET (SELECT count(*) / $1 FROM events)"; }
q1=$(at_frac 4)
q2=$(at_frac 2)
check "draw by time (--from $q1 --to $q2)" $T $VIZ draw "$DB" --from "$q1" --to "$q2" -o "$W/time.svg"

# Paging and folding.
$T $VIZ draw "$DB" --page-rows 40 -o "$W/paged.svg" >"$W/paged.list" 2>&1
n=$(grep -c 'paged-[0-9]*\.svg$' "$W/paged.list")
if [ "$n" -ge 2 ] && svg_ok $(cat "$W/paged.list"); then pass "a long diagram is split into $n pages, each valid"
else fail "paging: $n pages"; fi
check "folding: --fold 20 --detail 2 folds epochs into one row" sh -c \
    "$T $VIZ draw '$DB' --fold 20 --detail 2 --page-rows 100000 -o '$W/folded.svg' && grep -q 'epochs\\? folded' '$W/folded.svg'"

# Errors: distinct exit codes.
$VIZ draw "$W/nonexistent.db" -o "$W/x.svg" 2>/dev/null; rc=$?
[ $rc -eq "$EX_NO_INPUT" ] && pass "a missing database exits $EX_NO_INPUT" || fail "a missing database exits $EX_NO_INPUT (got $rc)"
$VIZ draw "$DB" --epoch 999 -o "$W/x.svg" 2>/dev/null; rc=$?
[ $rc -eq "$EX_NOT_FOUND" ] && pass "an unknown epoch exits $EX_NOT_FOUND" || fail "an unknown epoch exits $EX_NOT_FOUND (got $rc)"
$VIZ draw "$DB" -o "$W/x.txt" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && pass "an unknown output format exits 2" || fail "an unknown output format exits 2 (got $rc)"
$VIZ draw "$DB" -o "$W/no/such/dir/x.svg" 2>/dev/null; rc=$?
[ $rc -eq "$EX_OUTPUT" ] && pass "an unwritable output exits $EX_OUTPUT" || fail "an unwritable output exits $EX_OUTPUT (got $rc)"

# ---- hostile names -----------------------------------------------------------
HOSTILE='</script><b>"x'"'"'&{}\n'
cp "$DB" "$W/hostile.db"
sqlite3 "$W/hostile.db" "UPDATE events SET str = '$(printf '%s' "$HOSTILE" | sed "s/'/''/g")' || grp
    WHERE kind IN (SELECT kind FROM kinds WHERE name IN ('thread_start','op_begin','action_begin'))" 2>/dev/null ||
sqlite3 "$W/hostile.db" "UPDATE events SET str = '$(printf '%s' "$HOSTILE" | sed "s/'/''/g")' || grp WHERE kind IN (2, 4, 22)"
check "draw with hostile names: SVG valid" sh -c "$T $VIZ draw '$W/hostile.db' -o '$W/hostile.svg' --page-rows 100000 && xmllint --noout '$W/hostile.svg'"
check "hostile names: no raw markup in the SVG" sh -c "! grep -q '<b>' '$W/hostile.svg' && grep -q '&lt;/script&gt;&lt;b&gt;' '$W/hostile.svg'"
check "hostile names: the .dot renders" sh -c "$T $VIZ draw '$W/hostile.db' --epoch 1 --page-rows 100000 -o '$W/hostile.dot' && $T neato -n2 -Tsvg '$W/hostile.dot' | xmllint --noout -"
check "hostile names: literal backslash-n kept, not a newline" grep -q 'x&#39;&amp;{}\\n' "$W/hostile.svg"
check "replay page with hostile names" $T $VIZ replay "$W/hostile.db" -o "$W/hostile.html"
check "hostile names: </script> never raw in the page" sh -c "[ \$(grep -c '</script><b>' '$W/hostile.html') -eq 0 ]"

# ---- the replay page in headless Chromium ------------------------------------
check "replay writes the page" $T $VIZ replay "$DB" -o "$W/replay.html"
check "the page fetches nothing (no src=/href= to the network)" sh -c "! grep -Eq '(src|href)=\"(https?:)?//' '$W/replay.html'"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
PY=/usr/bin/python3; [ -x $PY ] || PY=$(command -v python3)
if [ -n "$CHROMIUM" ] && [ -n "$PY" ]; then
    steps=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE run_id=(SELECT max(run_id) FROM events) AND seq <= (SELECT min(seq) FROM events WHERE kind=7 AND obj=2 AND run_id=(SELECT max(run_id) FROM events))")
    holder=group-$(sqlite3 "$DB" "SELECT grp FROM events WHERE kind=7 AND obj=2 ORDER BY seq LIMIT 1")
    timeout 120 $PY "$ROOT/tests/viz/cdp.py" "$CHROMIUM" "$W/replay.html" "$ART/replay.png" "$steps" "$holder" ||
        fails=$((fails + 1))
    timeout 120 $PY "$ROOT/tests/viz/cdp.py" "$CHROMIUM" "$W/hostile.html" "$W/hostile.png" "$steps" "$holder" \
        "$(printf '%s' "$HOSTILE")" || fails=$((fails + 1))
    # Before the first event the panel shows the state at the range's start:
    # start just after a lease was taken, so the lease is held from the start.
    ls=$(sqlite3 "$DB" "SELECT seq || ' ' || grp FROM events WHERE kind=7 AND obj=2 AND seq > 20 ORDER BY seq LIMIT 1")
    lseq=${ls% *} lgrp=${ls#* }
    check "replay --from $((lseq + 1)) (just after group-$lgrp took the lease)" \
        $T $VIZ replay "$DB" --from $((lseq + 1)) --to $((lseq + 200)) -o "$W/start.html"
    timeout 120 $PY "$ROOT/tests/viz/cdp.py" probe "$CHROMIUM" "$W/start.html" "$W/start.png" \
        0 lease "held by group-$lgrp " 0 run "at seq $lseq " || fails=$((fails + 1))
    # Every epoch in flight: epoch 1 made never to end (its op_end removed), so
    # at epoch 2's first barrier arrival both are in flight.
    cp "$DB" "$W/inflight.db"
    sqlite3 "$W/inflight.db" "DELETE FROM events WHERE kind=23 AND epoch=1"
    arr=$(sqlite3 "$W/inflight.db" "SELECT count(*) FROM events WHERE seq <= (SELECT min(seq) FROM events WHERE kind=14 AND epoch=2)")
    check "replay of a run where epoch 1 never ends" $T $VIZ replay "$W/inflight.db" -o "$W/inflight.html"
    timeout 120 $PY "$ROOT/tests/viz/cdp.py" probe "$CHROMIUM" "$W/inflight.html" "$W/inflight.png" \
        0 epoch "none yet" "$arr" epoch "also in flight: 1 " 0 epoch "epoch: 2 " 0 epoch "arrived: group-" \
        || fails=$((fails + 1))
else
    fail "headless Chromium (chromium and python3 needed)"
fi

# ---- a hang ----------------------------------------------------------------------
TH=$W/hang
$T "$D" record -o "$TH" --timeout 2 -- --variant exit-subscribed --seed 7 >"$W/record-hang.log" 2>&1
if ingest "$TH" "$TH/t.db"; then pass "record and ingest a hanging run (exit-subscribed)"
else fail "record and ingest a hanging run"; fi
$T "$D" check "$TH/t.db" >/dev/null 2>&1
check "draw --waitfor on the hang" $T $VIZ draw "$TH/t.db" --waitfor -o "$W/waitfor.svg"
check "the wait-for graph shows the blocked threads" sh -c "xmllint --noout '$W/waitfor.svg' && grep -Eq 'DEADLOCK|blocked' '$W/waitfor.svg'"
check "the hang's sequence diagram draws BLOCKED in red" sh -c \
    "$T $VIZ draw '$TH/t.db' -o '$W/hang.svg' --page-rows 100000 && grep -q 'BLOCKED' '$W/hang.svg' && grep -q '#d40000' '$W/hang.svg'"
check "the wait-for graph shows the exited group the barrier still counts" grep -q 'EXITED' "$W/waitfor.svg"
check "the hang's wait-for arrows say why, each on its own row" sh -c \
    "[ \$(grep -c 'waits: barrier e[0-9]* p1: not arrived<' '$W/hang.svg') -ge 2 ]"
check "draw --waitfor --at a moment" $T $VIZ draw "$DB" --waitfor --at 100 -o "$W/waitfor-at.svg"

echo "$fails failed"
[ "$fails" -eq 0 ]
