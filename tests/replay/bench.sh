#!/bin/bash
# tests/replay/bench.sh ROOT [OPS...] — time `dlsync ingest` and `dlsync check`
# against `babeltrace2 TRACE -o dummy` on closure-churn traces of growing size
# (default ops: 10000 20000 40000; 20000 ops with 8 groups is ~1.7 M events).
# Prints, per size: events, dummy s, ingest s, ratio ingest/dummy, events/s,
# ingest peak RSS, check s, ratio check/ingest.  Needs GNU time (/usr/bin/time).
set -u
ROOT=$(cd "${1:-.}" && pwd)
shift
SIZES=${*:-10000 20000 40000}
DLSYNC=$ROOT/bin/dlsync
REPLAY=$DLSYNC
WORK=$(mktemp -d /tmp/dlsync-replay-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TIME=/usr/bin/time

secs() { # command... -> "seconds peak-kib" on stdout (whatever its exit status:
    # GNU time puts "Command exited with non-zero status N" on a line before)
    $TIME -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>&1
    tail -n 1 "$WORK/time"
}

printf '%8s %9s %8s %8s %7s %10s %9s %8s %7s\n' ops events dummy_s ingest_s ratio events/s rss_MiB check_s chk/ing
for ops in $SIZES; do
    t=$WORK/t$ops
    timeout 600 "$DLSYNC" record -o "$t" --buffer-mib 32 -- --sched os --scenario closure-churn --ops "$ops" \
        --groups 8 --quiet >/dev/null 2>&1
    read -r dummy _ < <(secs babeltrace2 "$t" -o dummy)
    rm -f "$t/dlsync.db"
    read -r ingest rss < <(secs "$REPLAY" ingest -q --no-progress "$t")
    events=$(sqlite3 "$t/dlsync.db" "SELECT events FROM runs")
    read -r check _ < <(secs "$REPLAY" check --no-store "$t/dlsync.db")
    awk -v o="$ops" -v n="$events" -v d="$dummy" -v i="$ingest" -v r="$rss" -v c="$check" \
        'BEGIN { printf "%8d %9d %8.2f %8.2f %7.2f %10.0f %9.1f %8.2f %7.2f\n",
                 o, n, d, i, i / d, n / i, r / 1024, c, c / i }'
    rm -rf "$t"
done
