#!/bin/sh
# soak.sh — `make soak`: long seeded runs of the correct protocol (SOAK_SEEDS,
# default 3000, over every scenario and 1-16 groups, under both schedulers),
# dfs with bound 3 on a tiny configuration, then a flight-recorder soak of a
# hanging variant whose snapshot must hold the hang.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
tests/scenarios.sh "$D" "${SOAK_SEEDS:-3000}" | tail -3
tests/scenarios.sh "$D" "${SOAK_SEEDS:-3000}" os | tail -3
out=$(timeout 3600 "$D" explore --scenario steady-dl --groups 3 --ops 2 --strategy dfs \
    --preemption-bound 3 --no-progress 2>&1)
if [ $? -eq 0 ] && echo "$out" | grep -q "the space is exhausted"; then
    pass "dfs-bound-3-exhausted ($(echo "$out" | sed -n 's/^schedules *\([0-9]*\) .*/\1/p') schedules)"
else fail dfs-bound-3-exhausted "$out"; fi
out=$(mktemp -d)
rmdir "$out"
timeout 600 "$D" record --snapshot -o "$out" -- --variant naive-write --scenario mixed --groups 6 \
    --ops 100000 --timeout 2 > "$out.txt" 2>&1
rc=$?
snap=$(sed -n 's/^trace: //p' "$out.txt")
if [ $rc -eq 3 ] && [ -n "$snap" ] && babeltrace2 "$snap" 2>/dev/null | grep 'dlsync:run_end' | grep -q 'status = 3'; then
    pass "snapshot-of-a-hang ($(du -sh "$snap" | cut -f1) holding the hang's run_end)"
else fail snapshot-of-a-hang "exit $rc"; cat "$out.txt"; fi
rm -rf "$out" "$out.txt"
summary soak
