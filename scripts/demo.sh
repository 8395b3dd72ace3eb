#!/bin/sh
# demo.sh — `make demo`, the main job on a built-in default: record the
# default scenario with LTTng, ingest it, check it, draw it; then the same for
# one hanging variant; print the paths of everything made, one line each.
set -u
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
OUT=${DEMO_OUT:-out/demo}
rm -rf "$OUT"
mkdir -p "$OUT"
made=""
note() { made="$made
  $1"; }

demo_one() { # NAME RUN-OPTIONS...
    name=$1; shift
    dir="$OUT/$name"
    echo "== $name: dlsync record -- $*"
    "$D" record -o "$dir/trace" -- "$@" > "$dir.run.txt" 2> "$dir.stderr.txt"
    rc=$?
    cat "$dir.run.txt"
    sed -n '/hang\|deadlock\|stall\|livelock\|protocol error\|^  /p' "$dir.stderr.txt" | cut -c1-160
    note "$dir/trace   LTTng CTF trace of the run (exit $rc); read it with babeltrace2"
    "$D" ingest -q --no-progress "$dir/trace" -d "$dir/trace.db" > "$dir.ingest.txt" 2>&1
    note "$dir/trace.db   SQLite database: $(sqlite3 "$dir/trace.db" \
        "select count(*) || ' events, ' || (select count(*) from threads) || ' threads, ' ||
                (select count(*) from epochs) || ' epochs' from events")"
    "$D" check "$dir/trace.db" > "$dir/check.txt" 2>&1
    note "$dir/check.txt   dlsync check: $(head -1 "$dir/check.txt")"
    story=$(sed -n 3p "$dir/check.txt" | sed 's/^ *//' | cut -c1-140)
    [ -n "$story" ] && note "    $story..."
    pages=$("$D" draw "$dir/trace.db" -o "$dir/sequence.svg" 2>/dev/null | wc -l)
    note "$dir/sequence*.svg   sequence diagram of the whole run, $pages page(s)"
    last=$(sqlite3 "$dir/trace.db" "select max(epoch) from epochs")
    "$D" draw "$dir/trace.db" --epoch "$last" -o "$dir/epoch$last.svg" --quiet 2>/dev/null &&
        note "$dir/epoch$last.svg   the last epoch alone: instigator, followers, barrier phases"
    "$D" draw "$dir/trace.db" --waitfor -o "$dir/waitfor.svg" --quiet 2>/dev/null &&
        note "$dir/waitfor.svg   wait-for graph at the end of the trace"
    "$D" replay "$dir/trace.db" -o "$dir/replay.html" > /dev/null 2>&1 &&
        note "$dir/replay.html   step-through replay page (open it from disk; keys: arrows, n/p)"
}

demo_one correct --scenario mixed --seed 1
demo_one hang --variant exit-subscribed --scenario spawn-storm --seed 1 --timeout 2
# The hang's own interleaving, replayed from its trace under the correct
# protocol: where the two runs part.
"$D" run --schedule-from "$OUT/hang/trace.db" --variant none --compare-with "$OUT/hang/trace.db" \
    > "$OUT/hang/counterfactual.txt" 2>&1
note "$OUT/hang/counterfactual.txt   the hang's schedule replayed without the bug: $(grep '^compared' \
    "$OUT/hang/counterfactual.txt" | cut -c11-80)"
note "replay the hang exactly:  $D run --schedule-from $OUT/hang/trace.db"
echo
echo "made:$made"
