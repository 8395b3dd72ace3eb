#!/bin/sh
# bench.sh — `make bench`: every figure as a ratio against its anchor,
# measured in the same run (the machine is shared and noisy; absolute times
# drift, ratios much less).  Each figure is the median of REPEAT runs.
#
#   BENCH_REPEAT=5            runs per figure (at least 5)
#   BENCH_VARIANT_SEEDS=100   seeds per variant for the manifestation rates (os)
#   BENCH_SESSIONS=20         explore sessions per variant and strategy
#   BENCH_SECTIONS="dlop tracing sched variants replay draw"
set -u
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
REPEAT=${BENCH_REPEAT:-5}
[ "$REPEAT" -ge 5 ] || REPEAT=5
SEEDS=${BENCH_VARIANT_SEEDS:-100}
SESSIONS=${BENCH_SESSIONS:-20}
SECTIONS=${BENCH_SECTIONS:-"dlop tracing sched variants replay draw"}
OUT=tests/artefacts/bench
mkdir -p "$OUT"

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The DL-operation round trip (instigator entry to lease release, in us)
# reported by `dlsync run` for the benchmark scenario, with real parallelism.
dlop_us() { # BIN N
    "$1" run --sched os --scenario bench/dlop.dls --seed 0 --groups "$2" --ops 400 |
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
        "$D" record -o "$dir" -- --sched os --scenario bench/dlop.dls --seed 0 --groups 4 --ops 400 2>/dev/null |
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
    # The same controlled run counted, not timed: instructions (valgrind's
    # cachegrind) of the run itself, i.e. of --ops 400 less those of --ops 1
    # (which leaves out the start-up of the process: the dynamic linking of
    # liblttng-ctl, which TRACE=0 does not link), on the same schedule.
    if command -v valgrind >/dev/null 2>&1; then
        irefs() { # BIN OPS
            valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" run \
                --scenario mixed --groups 4 --ops "$2" --seed 1 --quiet 2>&1 |
                sed -n 's/.*I *refs: *//p' | tr -d ,
        }
        n1=$(irefs build/notrace/bin/dlsync 1); n400=$(irefs build/notrace/bin/dlsync 400)
        t1=$(irefs "$D" 1); t400=$(irefs "$D" 400)
        "$D" run --scenario mixed --groups 4 --ops 400 --seed 1 --quiet --schedule-out "$OUT/s-trace"
        build/notrace/bin/dlsync run --scenario mixed --groups 4 --ops 400 --seed 1 --quiet \
            --schedule-out "$OUT/s-notrace"
        same=$(cmp -s "$OUT/s-trace" "$OUT/s-notrace" && echo "the same schedule" || echo "SCHEDULES DIFFER")
        printf 'instructions of one controlled run (mixed, 4 groups x 400 ops, %s):\n' "$same"
        printf '%-28s %12s  1.00x (anchor)\n' "compiled out (TRACE=0)" "$((n400 - n1))"
        printf '%-28s %12s  %sx (goal <= 1.03x)\n' "compiled in, not recording" "$((t400 - t1))" \
            "$(ratio "$((t400 - t1))" "$((n400 - n1))")"
        printf '  whole processes, start-up included: %s vs %s instructions: %sx\n' "$t400" "$n400" \
            "$(ratio "$t400" "$n400")"
    fi
    # Start-up without recording (no session-daemon registration wait).
    s=$(for i in $(seq "$REPEAT"); do
        t0=$(date +%s%N); "$D" run --scenario closure-churn --groups 1 --ops 1 --quiet; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | median)
    echo "start-up of an unrecorded run: ${s} ms (goal well under 100 ms)"
}

# The "time" line of a run's summary, in ms.
run_ms() { "$D" run "$@" | sed -n 's/^time *\([0-9.]*\) ms/\1/p'; }

# Median over the explore sessions of the schedules until the first failure,
# on a small configuration (3 groups x 4 ops), where a bug is not certain.
first_failure() { # VARIANT SCENARIO STRATEGY
    for k in $(seq "$SESSIONS"); do
        timeout 600 "$D" explore --check --variant "$1" --scenario "$2" --strategy "$3" --runs 500 \
            --groups 3 --ops 4 \
            --seed $((k * 1000 + 1)) --no-progress 2>/dev/null |
            awk '/^first *after/ {n = $3} END {print n ? n : 501}'
    done | median | sed 's/^501$/>500/'
}

section_sched() {
    echo "== the controlled scheduler (medians of $REPEAT)"
    c=$(for i in $(seq "$REPEAT"); do run_ms --scenario mixed --groups 4 --ops 20 --seed "$i"; done | median)
    o=$(for i in $(seq "$REPEAT"); do run_ms --sched os --scenario mixed --groups 4 --ops 20 --seed 0; done | median)
    printf 'one run of mixed, 4 groups x 20 ops: controlled %s ms vs --sched os %s ms: %sx (goal <= 2x)\n' \
        "$c" "$o" "$(ratio "$c" "$o")"
    for j in 1 2; do
        rate=$(for i in $(seq "$REPEAT"); do
            "$D" explore --scenario mixed --groups 4 --ops 20 --runs 100 --jobs "$j" --seed $((i * 100)) \
                --no-progress | sed -n 's/^schedules .* s: \([0-9.]*\) per second.*/\1/p'
        done | median)
        eval "rate$j=\$rate"
    done
    osrate=$(for i in $(seq "$REPEAT"); do
        t0=$(date +%s%N)
        for s in $(seq 20); do "$D" run --sched os --scenario mixed --groups 4 --ops 20 --seed "$s" --quiet; done
        t1=$(date +%s%N)
        awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f\n", 20 / ((b - a) / 1e9)}'
    done | median)
    printf 'explore on mixed, 4 groups x 20 ops: %s schedules/s (--jobs 1), %s (--jobs 2); anchor: %s\n' \
        "$rate1" "$rate2" "$osrate"
    printf '  dlsync run --sched os processes/s, one after the other: %sx, %sx\n' \
        "$(ratio "$rate1" "$osrate")" "$(ratio "$rate2" "$osrate")"
    dc=$(for i in $(seq "$REPEAT"); do seconds "$D" run --variant naive-write --seed "$i"; done | median)
    dos=$(for i in $(seq "$REPEAT"); do seconds "$D" run --sched os --variant naive-write --seed "$i" --timeout 1; done | median)
    printf 'from start to the report of a deadlock (naive-write, mixed): controlled %ss vs os watchdog (--timeout 1) %ss: %sx\n' \
        "$dc" "$dos" "$(ratio "$dc" "$dos")"
    echo "schedules until the first failure on 3 groups x 4 ops, median of $SESSIONS explore sessions"
    echo "(random, pct; '>500': none found); os: from the rate over 20 seeded runs (--timeout 1), the"
    echo "median of the geometric distribution"
    printf '%-20s %-14s %8s %8s %10s\n' variant scenario random pct os
    for v in $("$D" run --list-variants); do
        [ "$v" = none ] && continue
        sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
        r=$(first_failure "$v" "$sc" random)
        p=$(first_failure "$v" "$sc" pct)
        hits=$(seq 20 | xargs -P 2 -I{} sh -c "timeout 60 $D run --sched os --variant $v --scenario $sc \
            --groups 3 --ops 4 --seed {} --timeout 1 --quiet >/dev/null 2>&1; echo \$?" | grep -c '^[345]$')
        os=$(awk -v h="$hits" 'BEGIN {if (h == 0) print ">20"; else if (h == 20) print 1;
            else {p = h / 20; m = log(0.5) / log(1 - p); print (m == int(m)) ? m : int(m) + 1}}')
        printf '%-20s %-14s %8s %8s %10s\n' "$v" "$sc" "${r:->500}" "${p:->500}" "$os"
    done
}

section_variants() {
    echo "== manifestation rate of each variant over $SEEDS seeds under --sched os (its scenario, --timeout 1)"
    for v in $("$D" run --list-variants); do
        [ "$v" = none ] && continue
        sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
        seq "$SEEDS" | xargs -P 2 -I{} sh -c "timeout 60 $D run --sched os --variant $v --scenario $sc --seed {} \
            --ops 60 --groups 6 --timeout 1 --quiet >/dev/null 2>&1; echo \$?" > "$OUT/variant-$v.txt"
        awk -v v="$v" -v sc="$sc" '{n++; if ($1==3) h++; else if ($1==4) d++; else if ($1==5) p++;
                                    else if ($1==6) y++}
            END {printf "%-20s %-14s %3d%%  (hang %d, divergence %d, protocol error %d, delayed %d of %d)\n",
                 v, sc, 100*(h+d+p+y)/n, h, d, p, y, n}' "$OUT/variant-$v.txt"
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
    "$D" record -o "$w/epochs" -- --sched os --scenario bench/dlop.dls --seed 0 --groups 4 --ops 4000 >/dev/null 2>&1
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
    "$D" record -o "$w/big" --buffer-mib 32 -- --sched os --scenario closure-churn --ops 20000 --groups 8 >/dev/null 2>&1
    "$D" ingest -q --no-progress "$w/big" -d "$w/big.db" >/dev/null 2>&1
    ev=$(sqlite3 "$w/big.db" "select count(*) from events")
    /usr/bin/time -f '%e %M' -o "$w/time" "$D" draw "$w/big.db" -o "$w/all.svg" --quiet >/dev/null 2>&1
    read -r secs kb < "$w/time"
    printf 'whole trace, %s events, folded: %ss, peak %s MiB, %s pages\n' "$ev" "$secs" \
        "$((kb / 1024))" "$(ls "$w"/all*.svg | wc -l)"
    rm -rf "$w"
}

for s in $SECTIONS; do "section_$s"; done
