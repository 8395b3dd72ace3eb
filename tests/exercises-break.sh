#!/bin/sh
# tests/exercises-break.sh REPO_ROOT — every break exercise of exercises/
# (kind break in its exercise.conf) graded by `dlsync grade`: its solution
# gets full marks (exit 0), its starter less (exit 21, EX_MARKS), a garbage
# schedule zero with the cause named, a schedule naming a thread that cannot
# run loses the replay test, a missing submission is exit 10 (EX_NO_INPUT),
# a replay that cannot be recorded exit 1 (EX_INTERNAL);
# the same solution graded five times gives the same results.json, which
# has score, max_score and tests[] with name, score, max_score, output.
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir exercises-break 120
# the grader's scratch directories go here, to be counted at the end
TMPDIR=$W/tmp
export TMPDIR
mkdir -p "$TMPDIR"
# json_score FILE — "score max_score" of results.json FILE; fails unless
# it has every field Gradescope reads.
json_score() {
    python3 - "$1" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["score"], (int, float)) and isinstance(d["max_score"], (int, float))
assert d["tests"], "no tests"
for t in d["tests"]:
    assert isinstance(t["name"], str) and isinstance(t["output"], str)
    assert 0 <= t["score"] <= t["max_score"]
print(d["score"], d["max_score"])
P
}
# test_score FILE NAME — the score of test NAME in results.json FILE.
test_score() {
    python3 -c 'import json,sys; print([t["score"] for t in json.load(open(sys.argv[1]))["tests"] if t["name"] == sys.argv[2]][0])' "$1" "$2"
}
n=0
for ex in "$ROOT"/exercises/*/; do
    grep -Eq '^kind[[:space:]]+break[[:space:]]*$' "$ex/exercise.conf" 2>/dev/null || continue
    n=$((n + 1))
    e=$(basename "$ex")
    $T "$D" grade "$ex" "$ex/solution" -q -o "$W/$e-sol.json"
    rc=$?
    s=$(json_score "$W/$e-sol.json") || s="unreadable"
    set -- $s
    if [ $rc -eq "$EX_OK" ] && [ "$1" = "$2" ]; then pass "$e-solution-full-marks"
    else fail "$e-solution-full-marks" "exit $rc, score $s"; fi

    $T "$D" grade "$ex" "$ex/starter/schedule.txt" -q -o "$W/$e-start.json"
    rc=$?
    s=$(json_score "$W/$e-start.json") || s="unreadable"
    set -- $s
    if [ $rc -eq "$EX_MARKS" ] && [ -n "$2" ] && python3 -c "import sys; sys.exit(not $1 < $2)"; then
        pass "$e-starter-does-not-win"
    else fail "$e-starter-does-not-win" "exit $rc, score $s"; fi

    printf 'v1:A3?B2\n' > "$W/garbage.txt"
    $T "$D" grade "$ex" "$W/garbage.txt" -o "$W/$e-bad.json" > "$W/$e-bad.out" 2>&1
    rc=$?
    s=$(json_score "$W/$e-bad.json") || s="unreadable"
    if [ $rc -eq "$EX_MARKS" ] && [ "${s%% *}" = 0 ] && grep -q 'character 6' "$W/$e-bad.out"; then
        pass "$e-garbage-scores-zero-naming-the-character"
    else fail "$e-garbage-scores-zero-naming-the-character" "exit $rc, score $s"; fi

    printf 'v1:A\nB\n' > "$W/twolines.txt"
    $T "$D" grade "$ex" "$W/twolines.txt" -o "$W/$e-two.json" > "$W/$e-two.out" 2>&1
    rc=$?
    if [ $rc -eq "$EX_MARKS" ] && grep -q 'one line' "$W/$e-two.out"; then
        pass "$e-two-lines-refused"
    else fail "$e-two-lines-refused" "exit $rc"; fi

    # group 40 (`o`) is no thread of these runs: a replay of the starter's
    # first decisions, then `o`, parts there
    sed 's/^\(v1:[A-Za-z][0-9]*\).*/\1o/' "$ex/starter/schedule.txt" > "$W/diverge.txt"
    $T "$D" grade "$ex" "$W/diverge.txt" -q -o "$W/$e-div.json"
    r=$(test_score "$W/$e-div.json" "replays decision by decision")
    if [ "$r" = 0 ] || [ "$r" = 0.0 ]; then pass "$e-divergent-replay-loses-its-test"
    else fail "$e-divergent-replay-loses-its-test" "replay test scored $r"; fi

    expect_exit "$e-missing-submission-no-input" "$EX_NO_INPUT" \
        $T "$D" grade "$ex" "$W/no-such-schedule.txt" -q -o "$W/$e-none.json"

    # a replay LTTng cannot record is the grader's failure, not a grade
    expect_exit "$e-unrecordable-is-internal" "$EX_INTERNAL" \
        env DLSYNC_TP_SO=/nonexistent/tp.so $T "$D" grade "$ex" "$ex/solution" -q -o "$W/$e-x.json"

    same=1
    for i in 2 3 4 5; do
        $T "$D" grade "$ex" "$ex/solution/schedule.txt" -q -o "$W/$e-sol$i.json"
        cmp -s "$W/$e-sol.json" "$W/$e-sol$i.json" || same=0
    done
    if [ $same = 1 ]; then pass "$e-grading-is-deterministic"
    else fail "$e-grading-is-deterministic" "results.json differs between gradings"; fi
done
if [ $n -ge 2 ]; then pass "break-exercises-found-$n"; else fail "break-exercises-found" "only $n"; fi
# the break exercises of the upstream variants are among them (a win of each
# kind: diverged, invariant, hang)
for e in 15-spawned-too-late 16-the-main-module 17-the-tls-initialiser; do
    if [ -f "$W/$e-sol.json" ]; then pass "$e-graded"
    else fail "$e-graded" "exercises/$e was not graded"; fi
done
left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
if [ "$left" -eq 0 ]; then pass "scratch-directories-removed"; else fail "scratch-directories-removed" "$left left"; fi
summary exercises-break
