#!/bin/sh
# tests/sanitize.sh DIR — the unit tests and the correct protocol on every
# built-in scenario, built with a sanitizer into DIR (make tsan / make asan).
# Any sanitizer report fails the run (exit code 66).
. "$(dirname "$0")/lib.sh"
DIR=$1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp"
export ASAN_OPTIONS="halt_on_error=1 exitcode=66 detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1 exitcode=66 print_stacktrace=1"
if timeout 300 "$DIR/tests/unit" > "$DIR/unit.log" 2>&1; then pass unit
else fail unit "see $DIR/unit.log"; tail -30 "$DIR/unit.log"; fi
for sc in $("$DIR/bin/dlsync" run --list-scenarios); do
    for seed in 1 2 3; do
        log="$DIR/run-$sc-$seed.log"
        timeout 300 "$DIR/bin/dlsync" run --scenario "$sc" --seed "$seed" --groups 5 --ops 20 \
            --timeout 60 > "$log" 2>&1
        rc=$?
        if [ $rc -eq 0 ]; then pass "$sc-seed-$seed"
        else fail "$sc-seed-$seed" "exit $rc, see $log"; grep -m 20 -A 12 'WARNING\|ERROR' "$log"; fi
    done
done
summary "sanitize $DIR"
