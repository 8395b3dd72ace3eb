#!/bin/sh
# tests/scenarios.sh BIN [SEEDS] [SCHED] — the correct protocol completes
# and every group agrees, for 1-16 groups, over SEEDS seeds (default 200)
# spread over every built-in scenario, under scheduler SCHED (controlled,
# the default, or os); then checkpoints with sleepers over more seeds
# (regression: a frozen thread whose wakeup its sleep had consumed never
# followed the pending operation, and the run hung).
. "$(dirname "$0")/lib.sh"
D=$1
SEEDS=${2:-200}
SCHED=${3:-controlled}
export SCHED
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
set -- $("$D" run --list-scenarios)
nsc=$#
i=0
for s in $(seq 1 "$SEEDS"); do
    idx=$((s % nsc + 1))
    eval "sc=\${$idx}"
    g=$((s % 16 + 1))
    echo "$sc $g $s"
done > "$T/jobs"
# Two at a time (the machine has 2 cores); each run bounded by its watchdog
# (--timeout) and by timeout(1).
xargs -P 2 -L 1 sh -c 'timeout 60 "$0" run --sched "$SCHED" --scenario "$1" --groups "$2" \
    --seed "$3" --ops 20 --timeout 10 --quiet > "'"$T"'/out.$1.$2.$3" 2>&1; echo "$? $1 groups=$2 seed=$3"' "$D" \
    < "$T/jobs" > "$T/results"
bad=$(grep -vc '^0 ' "$T/results")
total=$(wc -l < "$T/results")
if [ "$bad" -eq 0 ] && [ "$total" -eq "$SEEDS" ]; then
    pass "correct-protocol-$SCHED-$SEEDS-seeds-1-16-groups"
else
    fail "correct-protocol-$SCHED-$SEEDS-seeds-1-16-groups" "$bad of $total runs failed:"
    grep -v '^0 ' "$T/results" | head -5
fi
bad=0
for s in $(seq 1 60); do
    timeout 60 "$D" run --sched "$SCHED" --scenario mixed --seed "$s" --timeout 10 --quiet \
        >"$T/mixed" 2>&1 && continue
    echo "seed $s: exit $?: $(head -c 600 "$T/mixed")"
    bad=$((bad + 1))
done
[ $bad -eq 0 ] && pass "checkpoint-with-sleepers-$SCHED-60-seeds" ||
    fail "checkpoint-with-sleepers-$SCHED-60-seeds" "$bad runs failed"
summary "scenarios ($SCHED)"
