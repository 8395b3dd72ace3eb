#!/bin/sh
# demo.sh — `make demo`, the main job on a built-in default: record the
# default scenario with LTTng, ingest it, check it, draw it; then the same for
# one hanging variant; print the paths of everything made, one line each.
# Steps whose command is not built yet are skipped with a note.
set -u
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
OUT=${DEMO_OUT:-out/demo}
rm -rf "$OUT"
mkdir -p "$OUT"
made=""
note() { made="$made
  $1"; }
has() { "$D" "$1" --help >/dev/null 2>&1; }

demo_one() { # NAME RUN-OPTIONS...
    name=$1; shift
    dir="$OUT/$name"
    echo "== $name: dlsync record -- $*"
    "$D" record -o "$dir/trace" -- "$@" > "$dir.run.txt" 2> "$dir.stderr.txt"
    rc=$?
    cat "$dir.run.txt"
    sed -n '/hang\|protocol error\|^  /p' "$dir.stderr.txt"
    note "$dir/trace   LTTng CTF trace of the run (exit $rc); read it with babeltrace2"
    if has ingest; then
        "$D" ingest "$dir/trace" -d "$dir/trace.db" > "$dir.ingest.txt" 2>&1 &&
            note "$dir/trace.db   SQLite database: $(tail -1 "$dir.ingest.txt")"
        "$D" check "$dir/trace.db" > "$dir/check.txt" 2>&1
        note "$dir/check.txt   dlsync check: $(head -1 "$dir/check.txt")"
    fi
    if has draw; then
        "$D" draw "$dir/trace.db" -o "$dir/sequence.svg" > /dev/null 2>&1 &&
            note "$dir/sequence.svg   sequence diagram of the rendezvous"
        "$D" draw "$dir/trace.db" --waitfor -o "$dir/waitfor.svg" > /dev/null 2>&1 &&
            note "$dir/waitfor.svg   wait-for graph at the end of the trace"
    fi
    if has replay; then
        "$D" replay "$dir/trace.db" -o "$dir/replay.html" > /dev/null 2>&1 &&
            note "$dir/replay.html   step-through replay page (open from disk)"
    fi
}

demo_one correct --scenario mixed --seed 1
demo_one hang --variant exit-subscribed --scenario spawn-storm --seed 1 --timeout 2
echo
echo "made:$made"
