#!/bin/sh
# soak.sh — `make soak`: long seeded runs of the correct protocol (SOAK_SEEDS,
# default 3000, over every scenario and 1-16 groups, more ops), then a
# flight-recorder soak of a hanging variant whose snapshot must hold the hang.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
tests/scenarios.sh "$D" "${SOAK_SEEDS:-3000}" | tail -3
out=$(mktemp -d)
rmdir "$out"
timeout 600 "$D" record --snapshot -o "$out" -- --variant lost-wakeup --scenario sleepers \
    --ops 100000 --timeout 2 > "$out.txt" 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q '^trace: ' "$out.txt"; then pass snapshot-of-a-hang
else fail snapshot-of-a-hang "exit $rc"; cat "$out.txt"; fi
rm -rf "$out" "$out.txt"
summary soak
