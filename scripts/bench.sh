#!/bin/sh
# bench.sh — `make bench`: every figure as a ratio against its anchor,
# measured in the same run (the machine is shared and noisy; absolute times
# drift, ratios much less).  Each figure is the median of REPEAT runs.
#
#   BENCH_REPEAT=3            runs per figure
#   BENCH_VARIANT_SEEDS=100   seeds per variant for the manifestation rates
#   BENCH_SECTIONS="dlop tracing variants replay draw"
set -u
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
REPEAT=${BENCH_REPEAT:-3}
SEEDS=${BENCH_VARIANT_SEEDS:-100}
SECTIONS=${BENCH_SECTIONS:-"dlop tracing variants replay draw"}
OUT=tests/artefacts/bench
mkdir -p "$OUT"

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The DL-operation round trip (instigator entry to lease release, in us)
# reported by `dlsync run` for the benchmark scenario.
dlop_us() { # BIN N
    "$1" run --scenario bench/dlop.dls --seed 0 --groups "$2" --ops 400 |
        sed -n 's/.*mean \([0-9.]*\) us.*/\1/p'
}

section_dlop() {
    echo "== DL operation round trip vs two bare pthread barrier rendezvous (goal <= 1.5x)"
    printf '%-4s %14s %14s %8s\n' N dlsync_us anchor_us ratio
    for n in 2 4 8 16; do
        a=$(for i in $(seq "$REPEAT"); do bin/anchor_barrier "$n" 2000; done |
            awk '{print $3 / 1000}' | median)
        d=$(for i in $(seq "$REPEAT"); do dlop_us "$D" "$n"; done | median)
        printf '%-4s %14s %14s %7sx\n' "$n" "$d" "$a" "$(ratio "$d" "$a")"
    done
}

section_tracing() {
    echo "== tracing cost on the same round trip, N=4 (goals: not recording <= 1.03x, recording <= 1.5x)"
    make --no-print-directory -s O=build/notrace BIN=build/notrace/bin TRACE=0 all >/dev/null || return
    off=$(for i in $(seq "$REPEAT"); do dlop_us build/notrace/bin/dlsync 4; done | median)
    idle=$(for i in $(seq "$REPEAT"); do dlop_us "$D" 4; done | median)
    rec=$(for i in $(seq "$REPEAT"); do
        dir=$(mktemp -d)
        rmdir "$dir"
        "$D" record -o "$dir" -- --scenario bench/dlop.dls --seed 0 --groups 4 --ops 400 2>/dev/null |
            sed -n 's/.*mean \([0-9.]*\) us.*/\1/p'
        rm -rf "$dir"
    done | median)
    printf '%-28s %10s us  1.00x (anchor)\n' "compiled out (TRACE=0)" "$off"
    printf '%-28s %10s us  %sx\n' "compiled in, not recording" "$idle" "$(ratio "$idle" "$off")"
    printf '%-28s %10s us  %sx\n' "recording" "$rec" "$(ratio "$rec" "$off")"
    if [ -x bin/bench_tp ]; then
        bin/bench_tp > "$OUT/bench_tp.txt" 2>&1
        bare=$(sed -n 's/^ns_per_event_bare //p' "$OUT/bench_tp.txt")
        ours=$(sed -n 's/^ns_per_event_dlsync //p' "$OUT/bench_tp.txt")
        [ -n "$bare" ] && [ -n "$ours" ] &&
            printf 'ns per event while recording: dlsync %s ns vs bare one-integer tracepoint %s ns: %sx\n' \
                "$ours" "$bare" "$(ratio "$ours" "$bare")"
    fi
    # Start-up without recording (no session-daemon registration wait).
    s=$(for i in $(seq "$REPEAT"); do
        t0=$(date +%s%N); "$D" run --scenario closure-churn --groups 1 --ops 1 --quiet; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | median)
    echo "start-up of an unrecorded run: ${s} ms (goal well under 100 ms)"
}

section_variants() {
    echo "== manifestation rate of each variant over $SEEDS seeds (its scenario, --timeout 1)"
    for v in $("$D" run --list-variants); do
        [ "$v" = none ] && continue
        sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
        seq "$SEEDS" | xargs -P 2 -I{} sh -c "timeout 60 $D run --variant $v --scenario $sc --seed {} \
            --ops 60 --groups 6 --timeout 1 --quiet >/dev/null 2>&1; echo \$?" > "$OUT/variant-$v.txt"
        awk -v v="$v" -v sc="$sc" '{n++; if ($1==3) h++; else if ($1==4) d++; else if ($1==5) p++}
            END {printf "%-20s %-14s %3d%%  (hang %d, divergence %d, protocol error %d of %d)\n",
                 v, sc, 100*(h+d+p)/n, h, d, p, n}' "$OUT/variant-$v.txt"
    done
}

section_replay() {
    echo "== ingest vs babeltrace2 -o dummy on the same trace (goal <= 2.0x); check vs ingest"
    tests/replay/bench.sh "$PWD"
}

# Seconds (wall clock) that a command takes.
seconds() {
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}'
}

section_draw() {
    echo "== drawing: a window of 100 vs 1,000 epochs in full (goal: 10x events -> <= 12x time);"
    echo "   the whole trace of a >1M-event run, folded"
    w=$(mktemp -d)
    # bench/dlop.dls: every action of the instigator is an epoch, ~1,000 in all.
    "$D" record -o "$w/epochs" -- --scenario bench/dlop.dls --seed 0 --groups 4 --ops 4000 >/dev/null 2>&1
    "$D" ingest -q --no-progress "$w/epochs" -d "$w/epochs.db" >/dev/null 2>&1
    t100=$(for i in $(seq "$REPEAT"); do seconds "$D" draw "$w/epochs.db" --epochs 1..100 --detail 0 -o "$w/w100.svg" --quiet; done | median)
    t1000=$(for i in $(seq "$REPEAT"); do seconds "$D" draw "$w/epochs.db" --epochs 1..1000 --detail 0 -o "$w/w1000.svg" --quiet; done | median)
    n=$(sqlite3 "$w/epochs.db" "select count(*) from epochs" 2>/dev/null)
    ev100=$(sqlite3 "$w/epochs.db" "select max(end_seq)-min(lease_seq) from epochs where epoch<=100")
    ev1000=$(sqlite3 "$w/epochs.db" "select max(end_seq)-min(lease_seq) from epochs where epoch<=1000")
    printf 'epochs in trace %s; 100 epochs (%s events) %ss, 1,000 epochs (%s events) %ss\n' \
        "$n" "$ev100" "$t100" "$ev1000" "$t1000"
    printf '  %sx the events took %sx the time: %sx per event\n' "$(ratio "$ev1000" "$ev100")" \
        "$(ratio "$t1000" "$t100")" \
        "$(awk -v a="$t1000" -v b="$t100" -v c="$ev1000" -v d="$ev100" 'BEGIN {printf "%.2f", (a/b)/(c/d)}')"
    "$D" record -o "$w/big" --buffer-mib 32 -- --scenario closure-churn --ops 20000 --groups 8 >/dev/null 2>&1
    "$D" ingest -q --no-progress "$w/big" -d "$w/big.db" >/dev/null 2>&1
    ev=$(sqlite3 "$w/big.db" "select count(*) from events")
    /usr/bin/time -f '%e %M' -o "$w/time" "$D" draw "$w/big.db" -o "$w/all.svg" --quiet >/dev/null 2>&1
    read -r secs kb < "$w/time"
    printf 'whole trace, %s events, folded: %ss, peak %s MiB, %s pages\n' "$ev" "$secs" \
        "$((kb / 1024))" "$(ls "$w"/all*.svg | wc -l)"
    rm -rf "$w"
}

for s in $SECTIONS; do "section_$s"; done
