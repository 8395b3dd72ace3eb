#!/bin/sh
# tests/sanitize.sh DIR — the unit tests and the correct protocol on every
# built-in scenario, under both schedulers (controlled and os), explore and
# step (their children), built with a sanitizer into DIR (make tsan / make
# asan).
# Any sanitizer report fails the run (exit code 66).
. "$(dirname "$0")/lib.sh"
DIR=$1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp"
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS="halt_on_error=1 exitcode=66 detect_leaks=1 fast_unwind_on_malloc=0 suppressions=$here/asan.supp"
export LSAN_OPTIONS="suppressions=$here/lsan.supp print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1 exitcode=66 print_stacktrace=1"
for u in unit unit_sched; do
    if timeout 300 "$DIR/tests/$u" > "$DIR/$u.log" 2>&1; then pass "$u"
    else fail "$u" "see $DIR/$u.log"; tail -30 "$DIR/$u.log"; fi
done
# dlsync step: each screen and preview a run stopped after its replayed
# decisions, in a child (the threads left parked); a step, an undo, quit.
log="$DIR/step.log"
printf 'B\nu\nA\nB\nq\n' | timeout 300 "$DIR/bin/dlsync" step --groups 2 --ops 2 > "$log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q Sanitizer "$log" && grep -q '^quit after 2 decisions' "$log"; then pass step
else fail step "exit $rc, see $log"; grep -m 20 -A 12 'WARNING\|ERROR' "$log"; fi
for sched in controlled os; do
    for sc in $("$DIR/bin/dlsync" run --list-scenarios); do
        for seed in 1 2 3; do
            log="$DIR/run-$sched-$sc-$seed.log"
            timeout 300 "$DIR/bin/dlsync" run --sched "$sched" --scenario "$sc" --seed "$seed" \
                --groups 5 --ops 20 --timeout 60 > "$log" 2>&1
            rc=$?
            if [ $rc -eq 0 ]; then pass "$sched-$sc-seed-$seed"
            else fail "$sched-$sc-seed-$seed" "exit $rc, see $log"; grep -m 20 -A 12 'WARNING\|ERROR' "$log"; fi
        done
    done
done
log="$DIR/explore.log"
timeout 600 "$DIR/bin/dlsync" explore --scenario mixed --groups 3 --ops 4 --runs 20 --no-progress \
    > "$log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q Sanitizer "$log"; then pass explore-correct
else fail explore-correct "exit $rc, see $log"; grep -m 20 -A 12 'WARNING\|ERROR' "$log"; fi
# explore --check judges each schedule in the parent (replay/check.h): clean
# on the correct protocol, a failure on lone-group-release, no report.
log="$DIR/explore-check.log"
timeout 600 "$DIR/bin/dlsync" explore --check --scenario lone-tail --groups 3 --ops 4 --runs 10 \
    --no-progress > "$log" 2>&1
rc=$?
timeout 600 "$DIR/bin/dlsync" explore --check --variant lone-group-release --scenario lone-tail \
    --groups 3 --ops 4 --runs 10 --keep-going --no-progress >> "$log" 2>&1
rc2=$?
if [ $rc -eq 0 ] && [ $rc2 -eq 5 ] && ! grep -q Sanitizer "$log"; then pass explore-check
else fail explore-check "exits $rc $rc2, see $log"; grep -m 20 -A 12 'WARNING\|ERROR' "$log"; fi
# The trace tools under the same sanitizer: record, ingest (a reader process),
# state, check, draw, replay page — on a correct run and on a hang.
W=$(mktemp -d)
tool() { # NAME CMD...: the command must not end with a sanitizer report
    name=$1; shift
    timeout 300 "$@" > "$W/$name.log" 2>&1
    rc=$?
    if [ $rc -ne 66 ] && [ $rc -ne 124 ] && ! grep -q 'Sanitizer' "$W/$name.log"; then pass "$name"
    else fail "$name" "exit $rc"; grep -m 20 -A 12 'WARNING\|ERROR' "$W/$name.log"; fi
}
B="$DIR/bin/dlsync"
tool record-correct "$B" record -o "$W/ok" -- --scenario mixed --seed 2 --groups 4
tool record-hang "$B" record -o "$W/hang" -- --variant exit-subscribed --scenario spawn-storm --seed 1 --timeout 2
tool record-hang-os "$B" record -o "$W/hang-os" -- --sched os --variant exit-subscribed --scenario spawn-storm --seed 1 --timeout 2
# One spawner whose children reach group 64: its lease handover to group 63
# grows draw's lane table while the spawner's lane is in use.
tool record-storm "$B" record -o "$W/storm" -- --scenario spawn-storm --groups 1 --ops 160 --seed 1
tool ingest-storm "$B" ingest -q --no-progress "$W/storm" -d "$W/storm.db"
tool draw-storm-lanes-grow "$B" draw "$W/storm.db" --threads 0 -o "$W/storm.dot" --quiet
for t in ok hang; do
    tool "ingest-$t" "$B" ingest -q --no-progress "$W/$t" -d "$W/$t.db"
    tool "check-$t" "$B" check "$W/$t.db"
    tool "state-$t" "$B" state "$W/$t.db" --at 200
    tool "draw-$t" "$B" draw "$W/$t.db" -o "$W/$t.svg" --quiet
    tool "waitfor-$t" "$B" draw "$W/$t.db" --waitfor -o "$W/$t-wf.svg"
    tool "replay-$t" "$B" replay "$W/$t.db" -o "$W/$t.html"
done
rm -rf "$W"
summary "sanitize $DIR"
