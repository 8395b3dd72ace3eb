#!/bin/sh
# tests/run.sh — everything `make test` runs, part by part; the closing line
# is `N passed, N failed` over all parts.
cd "$(dirname "$0")/.." || exit 2
D=bin/dlsync
LOG=tests/artefacts
mkdir -p "$LOG"
total_pass=0
total_fail=0
part() {
    name=$1; shift
    echo "== $name"
    "$@" > "$LOG/$name.log" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL) ' "$LOG/$name.log" | grep '^FAIL' | head -20
    p=$(grep -c '^PASS ' "$LOG/$name.log")
    f=$(grep -c '^FAIL ' "$LOG/$name.log")
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "FAIL $name: exit $rc"; tail -5 "$LOG/$name.log"
    fi
    echo "   $p passed, $f failed (log: $LOG/$name.log)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}
part unit timeout 300 build/tests/unit
part unit-sched timeout 300 build/tests/unit_sched
part cli tests/cli.sh "$D"
part man tests/man.sh "$D"
part scenarios tests/scenarios.sh "$D" 200
part scenarios-os tests/scenarios.sh "$D" 100 os
part variants tests/variants.sh "$D" 8
part variants-os tests/variants.sh "$D" 5 os
part delayed tests/delayed.sh "$D"
part sched tests/sched.sh "$D"
part tracer-unit timeout 300 build/tests/tracer/test_emit
part tracer-catalogue tests/tracer/catalogue.sh
export E2E_BT_COUNTS=build/tests/tracer/bt_counts
part tracer tests/tracer/e2e.sh bin
part replay tests/replay/run.sh "$PWD"
part replay-badinput tests/replay/badinput.sh "$PWD"
part replay-check tests/replay/check.sh "$PWD"
part replay-waitgraph tests/replay/waitgraph.sh "$PWD"
part replay-sched tests/replay/sched.sh "$D"
part fuzz tests/fuzz/run.sh "$PWD"
part viz tests/viz/run.sh "$PWD"
part viz-robust tests/viz/robust.sh "$PWD"
part viz-session tests/viz/session.sh "$PWD"
part db-errors tests/dberrors.sh "$PWD"
part exercises-predict tests/exercises-predict.sh "$PWD"
part exercises-diagnose tests/exercises-diagnose.sh "$PWD"
part moments tests/moments.sh "$PWD"
part grade tests/grade.sh "$PWD"
part exercises-break tests/exercises-break.sh "$PWD"
part step tests/step.sh "$PWD"
part exercises-fix tests/exercises-fix.sh "$PWD"
part install tests/install.sh
part notrace-build sh -c 'make --no-print-directory -s O=build/notrace BIN=build/notrace/bin TRACE=0 all >/dev/null && build/notrace/bin/dlsync run --quiet --seed 2 && echo "PASS notrace-build-runs"'
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
