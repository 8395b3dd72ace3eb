#!/bin/sh
# tests/exercises-fix.sh — the fix exercises (grade/fix.c, grade/sandbox.c):
# for each, the starter loses marks and leaves its feedback files, the
# solution gets full marks twice with the same score, a submission that does
# not compile scores zero on "builds" with gcc's message, and hostile
# submissions (tests/fix/: an endless loop, a fork bomb, a write into the
# exercise's own folder) score zero on the affected test, with the reason,
# within the sandbox's limits, the exercise's files unchanged (the hostile
# ones on the first fix exercise: one sandbox serves them all).  The hostile
# files are written as sleep_begin; for another exercise the test renames
# the function to the exercise's own (its prototype in student.h).
# Usage: tests/exercises-fix.sh ROOT
ROOT=$1
. "$ROOT/tests/lib.sh"
workdir exercises-fix 60

# json FILE EXPR — evaluate EXPR on results.json r (python3), print it.
json() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); t={x['name']:x for x in r['tests']}; print($2)" "$1"; }

hostile_on=
for ex in "$ROOT"/exercises/*/; do
    grep -q '^kind *fix' "$ex/exercise.conf" 2>/dev/null || continue
    n=$(basename "$ex")
    sum=$(cd "$ex" && find . -type f ! -name results.json -exec md5sum {} + | sort)
    starter=$(ls "$ex"/starter/*.c)
    solution=$(ls "$ex"/solution/*.c)
    fn=$(sed -n 's/^function *//p' "$ex/exercise.conf")
    proto=$(grep "^void $fn(" "$ROOT/include/dlsync/student.h" | sed 's/;$//')
    # hostile NAME — tests/fix/NAME.c as a submission to this exercise
    hostile() { sed "s|^void sleep_begin(struct dl_thread \*self)\$|$proto|" "$ROOT/tests/fix/$1.c"; }

    $T "$D" grade "$ex" "$starter" -o "$W/$n-starter.json" >"$W/$n-starter.out" 2>&1
    rc=$?
    fb=$(sed -n 's/.*feedback: \([^ ]*\) .*/\1/p' "$W/$n-starter.out" | head -1)
    { [ $rc -eq "$EX_MARKS" ] && [ "$(json "$W/$n-starter.json" "r['score'] < r['max_score']")" = True ]; } &&
        pass "$n-starter-loses-marks" || fail "$n-starter-loses-marks" "exit $rc: $(tail -5 "$W/$n-starter.out")"
    { [ -n "$fb" ] && ls "$fb"/seq*.svg >/dev/null 2>&1 && [ -s "$fb/wf.svg" ]; } &&
        pass "$n-starter-feedback" || fail "$n-starter-feedback" "no seq.svg/wf.svg in '$fb'"
    grep -q "replay it: .* run --scenario .* --schedule v1:" "$W/$n-starter.out" &&
        pass "$n-starter-replay-command" || fail "$n-starter-replay-command" "no replay command"
    # The failing schedule, recorded again with its own seed (a PCT schedule
    # replays only with it; regression: the grader recorded it with seed 1,
    # another run, which check found clean), fails check too.
    [ "$(json "$W/$n-starter.json" "t['invariants hold']['score'] == 0 and 'finding' in t['invariants hold']['output']")" = True ] &&
        pass "$n-starter-failing-schedule-judged" || fail "$n-starter-failing-schedule-judged" "$(json "$W/$n-starter.json" "t['invariants hold']['output'][:300]")"

    for i in 1 2; do
        $T "$D" grade -q "$ex" "$solution" -o "$W/$n-solution$i.json" >/dev/null 2>&1
        eval "rc$i=\$?"
    done
    { [ "$rc1" -eq 0 ] && [ "$(json "$W/$n-solution1.json" "r['score'] == r['max_score']")" = True ]; } &&
        pass "$n-solution-full-marks" || fail "$n-solution-full-marks" "exit $rc1: $(cat "$W/$n-solution1.json")"
    [ "$rc2" -eq "$rc1" ] && [ "$(json "$W/$n-solution1.json" "r['score']")" = "$(json "$W/$n-solution2.json" "r['score']")" ] &&
        pass "$n-deterministic" || fail "$n-deterministic" "two gradings differ"

    $T "$D" grade -q "$ex" "$ROOT/tests/fix/broken.c" -o "$W/$n-broken.json" >/dev/null 2>&1
    [ "$(json "$W/$n-broken.json" "t['builds']['score'] == 0 and 'error' in t['builds']['output'] and r['score'] == 0")" = True ] &&
        pass "$n-broken-builds-zero" || fail "$n-broken-builds-zero" "$(cat "$W/$n-broken.json")"

    # The hostile submissions on the first fix exercise only: the sandbox is
    # one and the same for every exercise (grade/sandbox.c).
    if [ -z "$hostile_on" ]; then
        hostile_on=$n
        # Hostile: each bounded by the sandbox (10 s wall per run) well inside T.
        for h in loop forkbomb; do
            hostile "$h" >"$W/$n-$h.c"
            start=$(date +%s)
            $T "$D" grade -q "$ex" "$W/$n-$h.c" -o "$W/$n-$h.json" >/dev/null 2>&1
            rc=$?
            took=$(($(date +%s) - start))
            [ $rc -eq "$EX_MARKS" ] && [ "$(json "$W/$n-$h.json" "t['explored schedules']['score'] == 0 and 'limit' in t['explored schedules']['output']")" = True ] &&
                pass "$n-$h-zero-with-reason" || fail "$n-$h-zero-with-reason" "exit $rc: $(cat "$W/$n-$h.json")"
            [ "$took" -lt 40 ] && pass "$n-$h-within-limits" || fail "$n-$h-within-limits" "took $took s"
        done
        # No process of the fork bomb outlives the grading.
        pgrep -f "$W/.*student|dlsync-fix-.*/student" >/dev/null && fail "$n-forkbomb-reaped" "student processes left" ||
            pass "$n-forkbomb-reaped"

        # The vandal writes into a copy of the exercise that anyone may write.
        cp -r "$ex" "$W/$n-copy" && chmod -R a+rwX "$W/$n-copy" && chmod a+rwx "$W" "$ROOT/tests/artefacts"
        hostile vandal | sed "s|VICTIM|$W/$n-copy/README.md|" >"$W/vandal.c"
        $T "$D" grade -q "$W/$n-copy" "$W/vandal.c" -o "$W/$n-vandal.json" >/dev/null 2>&1
        [ "$(json "$W/$n-vandal.json" "t['explored schedules']['score'] == 0 and 'changed the exercise' in t['explored schedules']['output']")" = True ] &&
            pass "$n-vandal-zero-with-reason" || fail "$n-vandal-zero-with-reason" "$(cat "$W/$n-vandal.json")"
    fi
    [ "$sum" = "$(cd "$ex" && find . -type f ! -name results.json -exec md5sum {} + | sort)" ] &&
        pass "$n-exercise-unchanged" || fail "$n-exercise-unchanged" "the exercise's files changed"

    if python3 - "$W/$n-starter.json" <<'PY'; then pass "$n-results-json"; else fail "$n-results-json" "bad fields"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)) and isinstance(r["max_score"], (int, float))
for t in r["tests"]:
    assert set(t) >= {"name", "score", "max_score", "output"}, t
    assert 0 <= t["score"] <= t["max_score"], t
PY
done
summary exercises-fix
