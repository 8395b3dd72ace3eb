#!/bin/sh
# tests/sched.sh BIN — the controlled scheduler, without LTTng:
#   - the same seed gives the same event sequence (5 runs of every built-in
#     scenario under every variant), different seeds different schedules;
#   - a failing schedule of every variant replays to the same failure at the
#     same event, 5 times out of 5 (also from --schedule-out's file); explore
#     --check judges by check's invariants too, so that a variant whose runs
#     complete (lone-group-release) fails as an invariant, and its schedule
#     replays to the same events, run after run;
#   - the correct protocol survives 2000 schedules over every scenario and
#     1-16 groups, and every schedule of dfs with bound 2 on a tiny
#     configuration; dfs finds naive-write;
#   - explore finds every variant, random and PCT (the counts go to
#     tests/artefacts/explore-finds.txt);
#   - diff and --check-determinism say same when same and name the first
#     event when not; bad schedules are refused with the cause.
. "$(dirname "$0")/lib.sh"
D=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p tests/artefacts

scenarios=$("$D" run --list-scenarios)
variants=$("$D" run --list-variants)

# 1. Same seed, same events; other seed, other schedule.
for sc in $scenarios; do
    for v in $variants; do
        echo "$sc $v"
    done
done > "$T/pairs"
# shellcheck disable=SC2016
xargs -P 2 -L 1 sh -c '
    D=$0; sc=$1; v=$2; T='"$T"'
    for i in 1 2 3 4 5; do
        timeout 60 "$D" run --scenario "$sc" --variant "$v" --groups 4 --ops 8 --seed 7 --quiet \
            --events-out "$T/$sc.$v.$i" --schedule-out "$T/$sc.$v.s$i" >/dev/null 2>&1
        echo "$? $(md5sum < "$T/$sc.$v.$i" | cut -c1-32) $(cat "$T/$sc.$v.s$i")"
        rm -f "$T/$sc.$v.$i"
    done | sort -u > "$T/$sc.$v.digests"
    timeout 60 "$D" run --scenario "$sc" --variant "$v" --groups 4 --ops 8 --seed 8 --quiet \
        --schedule-out "$T/$sc.$v.other" >/dev/null 2>&1
    n=$(wc -l < "$T/$sc.$v.digests")
    if [ "$n" -ne 1 ]; then echo "FAIL same-seed-$sc-$v: $n different runs from seed 7"
    elif [ "$(cut -d" " -f3 "$T/$sc.$v.digests")" = "$(cat "$T/$sc.$v.other")" ]; then
        echo "FAIL other-seed-$sc-$v: seeds 7 and 8 made the same schedule"
    else echo "PASS same-seed-$sc-$v"; fi
' "$D" < "$T/pairs" > "$T/determinism"
grep '^FAIL' "$T/determinism" | head -5
bad=$(grep -c '^FAIL' "$T/determinism")
good=$(grep -c '^PASS' "$T/determinism")
if [ "$bad" -eq 0 ] && [ "$good" -gt 0 ]; then
    pass "same-seed-same-events-$good-scenario-variant-pairs-x5"
else fail same-seed-same-events "$bad of $((good + bad)) pairs"; fi

# 2. A failing schedule of every variant replays to the same failure, 5/5.
for v in $variants; do
    [ "$v" = none ] && continue
    sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
    timeout 120 "$D" explore --check --variant "$v" --scenario "$sc" --runs 50 --no-progress \
        > "$T/explore.$v" 2>&1
    cmd=$(sed -n 's/^ *dlsync: replay it: //p' "$T/explore.$v")
    [ -n "$cmd" ] || cmd=$(sed -n 's/^ *dlsync: judge it: \([^ ]*\) record -o trace -- \(.*\) && .* ingest .*/\1 run \2/p' \
        "$T/explore.$v")
    if [ -z "$cmd" ]; then fail "replay-$v" "explore found no failure to replay"; continue; fi
    : > "$T/replays.$v"
    for i in 1 2 3 4 5; do
        # shellcheck disable=SC2086
        timeout 60 $cmd --quiet --events-out "$T/ev.$v" >/dev/null 2> "$T/err.$v"
        echo "$? $(md5sum < "$T/ev.$v" | cut -c1-32) $(head -1 "$T/err.$v" | cut -c1-60)" \
            >> "$T/replays.$v"
    done
    first=$(sed -n 's/^failure .*: //p' "$T/explore.$v")
    n=$(sort -u "$T/replays.$v" | wc -l)
    rc=$(cut -d' ' -f1 "$T/replays.$v" | head -1)
    if [ "$n" -eq 1 ] && { [ "$rc" -ne 0 ] || [ "$first" = invariant ]; }; then pass "replay-$v-5-of-5-$first"
    else fail "replay-$v" "$n different outcomes of 5: $(sort -u "$T/replays.$v" | tr '\n' '|')"; fi
done
# The same through --schedule-out and --schedule @FILE.
"$D" run --variant naive-write --seed 1 --quiet --schedule-out "$T/s" --events-out "$T/a" \
    >/dev/null 2>&1
rc1=$?
"$D" run --variant naive-write --seed 1 --quiet --schedule "@$T/s" --events-out "$T/b" \
    >/dev/null 2>&1
rc2=$?
if [ "$rc1" -eq 3 ] && [ "$rc2" -eq 3 ] && cmp -s "$T/a" "$T/b"; then pass schedule-file-replays
else fail schedule-file-replays "exits $rc1 $rc2, events differ: $(cmp "$T/a" "$T/b" 2>&1)"; fi

# 3. The correct protocol: 2016 schedules over every scenario and 1-16 groups.
total=0
: > "$T/correct"
for sc in $scenarios; do
    for g in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
        timeout 300 "$D" explore --scenario "$sc" --groups "$g" --ops 12 --runs 18 \
            --seed $((g * 1000)) --no-progress > "$T/out" 2>&1
        rc=$?
        total=$((total + $(sed -n 's/^schedules *\([0-9]*\) .*/\1/p' "$T/out")))
        [ $rc -eq 0 ] || { echo "$sc groups=$g exit $rc"; head -8 "$T/out"; } >> "$T/correct"
    done
done
if [ ! -s "$T/correct" ] && [ "$total" -ge 2000 ]; then
    pass "correct-protocol-$total-controlled-schedules-1-16-groups"
else fail correct-protocol-controlled "$total schedules: $(head -10 "$T/correct")"; fi

# ... and every schedule with at most 2 departures from round robin.
out=$(timeout 600 "$D" explore --scenario mixed --groups 3 --ops 2 --strategy dfs \
    --preemption-bound 2 --no-progress 2>&1)
rc=$?
n=$(echo "$out" | sed -n 's/^schedules *\([0-9]*\) .*/\1/p')
if [ $rc -eq 0 ] && echo "$out" | grep -q "the space is exhausted" && [ "${n:-0}" -gt 1000 ]; then
    pass "dfs-bound-2-mixed-3x2-exhausted-$n-schedules"
else fail dfs-bound-2-exhausted "exit $rc: $out"; fi
out=$(timeout 300 "$D" explore --variant naive-write --scenario mixed --groups 3 --ops 2 \
    --strategy dfs --preemption-bound 2 --no-progress 2>&1)
rc=$?
if [ $rc -eq 3 ] && echo "$out" | grep -q "deadlock: blocked in write(state lock)"; then
    pass "dfs-finds-naive-write-after-$(echo "$out" | sed -n 's/^first *after \([0-9]*\).*/\1/p')-schedules"
else fail dfs-finds-naive-write "exit $rc: $out"; fi

# 4. explore finds every variant, random and PCT, within 200 schedules.
out_f=tests/artefacts/explore-finds.txt
: > "$out_f"
for v in $variants; do
    [ "$v" = none ] && continue
    sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
    for st in random pct; do
        timeout 300 "$D" explore --check --variant "$v" --scenario "$sc" --strategy "$st" --runs 200 \
            --no-progress > "$T/out" 2>&1
        rc=$?
        after=$(sed -n 's/^first *after //p' "$T/out")
        echo "$v $sc $st: exit $rc, first failure after ${after:-none}" >> "$out_f"
        if [ $rc -ne 0 ] && [ -n "$after" ]; then pass "explore-$st-finds-$v"
        else fail "explore-$st-finds-$v" "exit $rc, no failure in 200 schedules"; fi
    done
done
# explore --check on the correct protocol: check finds every schedule clean
# (lone-tail: the lone instigator's return, write lock then lease; dfs too).
for a in "lone-tail --strategy random" "lone-tail --strategy dfs" "mixed --strategy pct"; do
    # shellcheck disable=SC2086
    timeout 300 "$D" explore --check --scenario $a --groups 3 --ops 8 --runs 40 --no-progress \
        > "$T/out" 2>&1
    rc=$?
    n=$(sed -n 's/^schedules *\([0-9]*\) .*/\1/p' "$T/out")
    if [ $rc -eq 0 ] && [ "$n" = 40 ]; then pass "explore-check-correct-clean-$(echo "$a" | tr -s ' -' '-')"
    else fail "explore-check-correct-clean-$(echo "$a" | tr -s ' -' '-')" "exit $rc: $(head -6 "$T/out")"; fi
done
cat "$out_f"

# 5. diff and --check-determinism.
"$D" run --seed 3 --quiet --events-out "$T/e3" >/dev/null
"$D" run --seed 3 --quiet --events-out "$T/e3b" >/dev/null
"$D" run --seed 4 --quiet --events-out "$T/e4" >/dev/null
expect_exit diff-same 0 "$D" diff "$T/e3" "$T/e3b"
out=$("$D" diff "$T/e3" "$T/e4")
rc=$?
if [ $rc -eq "$EX_PARTED" ] && echo "$out" | grep -q "the runs part at event [0-9]"; then pass diff-names-event
else fail diff-names-event "exit $rc: $out"; fi
out=$("$D" run --variant lost-wakeup --scenario sleepers --seed 1 --check-determinism 2>/dev/null)
rc=$?
if [ $rc -eq 3 ] && echo "$out" | grep -q "determinism: the runs are the same: [0-9]* events"; then
    pass check-determinism-same
else fail check-determinism-same "exit $rc: $out"; fi

# 6. Counterfactual: naive-write's failing schedule under the correct protocol.
"$D" run --variant naive-write --seed 1 --quiet --schedule-out "$T/nw" --events-out "$T/nw.ev" \
    >/dev/null 2>&1
out=$("$D" run --variant none --seed 1 --schedule "@$T/nw" --events-out "$T/none.ev" 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "^replay "; then pass counterfactual-none-completes
else fail counterfactual-none-completes "exit $rc: $out"; fi
out=$("$D" diff "$T/nw.ev" "$T/none.ev")
if [ $? -eq "$EX_PARTED" ] && echo "$out" | grep -q "lock_attempt g[0-9]* obj=1 mode=2 how=1"; then
    pass counterfactual-parts-at-the-blocking-write
else fail counterfactual-parts-at-the-blocking-write "$out"; fi

# 7. Bad schedules: a clear error naming the cause.
err=$("$D" run --schedule 'v1:A!B' 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q "unexpected character at character 5"; then
    pass bad-schedule-string
else fail bad-schedule-string "exit $rc: $err"; fi
err=$("$D" run --schedule "@$T/nonexistent" 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q "$T/nonexistent"; then pass bad-schedule-file
else fail bad-schedule-file "exit $rc: $err"; fi
expect_exit schedule-needs-controlled 2 "$D" run --sched os --schedule v1:A
expect_exit os-has-no-strategy 2 "$D" run --sched os --strategy pct
expect_exit os-has-no-schedule-out 2 "$D" run --sched os --schedule-out "$T/x"
expect_exit bad-strategy 2 "$D" run --strategy nosuch
expect_exit bad-pct-depth 2 "$D" run --strategy pct --pct-depth 0
summary sched
