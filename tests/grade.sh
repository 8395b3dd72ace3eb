#!/bin/sh
# tests/grade.sh — the frame of `dlsync grade` (grade/exercise.c,
# grade/report.c, cli/grade.c), on exercises made here: finding an
# exercise, refusing a malformed exercise.conf with the file and line, the
# summary, results.json with Gradescope's fields, and the exit codes.
# Usage: tests/grade.sh ROOT
ROOT=$1
. "$ROOT/tests/lib.sh"
workdir grade
E=$W/exercises
mkdir -p "$E/90-frame" "$E/91-bad" "$E/92-twice"
printf '# a test exercise\nid 90\ntitle The frame\nkind fix   # a comment\nfunction sleep_begin\nscenario sleepers\nruns 2\ndfs 2\n' >"$E/90-frame/exercise.conf"
printf 'id 91\ntitle Bad\nkind fix\nBad-Key 1\n' >"$E/91-bad/exercise.conf"
printf 'id 92\ntitle Twice\nkind fix\ntitle again\n' >"$E/92-twice/exercise.conf"
export DLSYNC_EXERCISES=$E

# By number, by folder name and by path: the same exercise.
for name in 90 090 90-frame "$E/90-frame"; do
    $T "$D" grade -o "$W/r.json" "$name" /dev/null >"$W/out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] || [ $rc -eq "$EX_MARKS" ]; then
        grep -q '^exercise 90 The frame (fix)' "$W/out" && pass "find-$name" ||
            fail "find-$name" "$(head -2 "$W/out")"
    else
        fail "find-$name" "exit $rc: $(cat "$W/out")"
    fi
done
expect_exit not-found "$EX_NOT_FOUND" $T "$D" grade 77 /dev/null
expect_exit not-a-folder "$EX_NOT_FOUND" $T "$D" grade "$W/nowhere/" /dev/null
expect_exit usage "$EX_USAGE" $T "$D" grade 90
$T "$D" grade -o "$W/r.json" 91 /dev/null 2>"$W/err"
rc=$?
[ $rc -eq "$EX_CORRUPT" ] && grep -q "91-bad/exercise.conf:4: a key is" "$W/err" &&
    pass bad-key-names-line || fail bad-key-names-line "exit $rc: $(cat "$W/err")"
$T "$D" grade -o "$W/r.json" 92 /dev/null 2>"$W/err"
rc=$?
[ $rc -eq "$EX_CORRUPT" ] && grep -q "92-twice/exercise.conf:4: the key appears twice" "$W/err" &&
    pass key-twice || fail key-twice "exit $rc: $(cat "$W/err")"

# results.json carries what Gradescope reads, and the total is the sum.
$T "$D" grade -q -o "$W/r.json" 90 /dev/null >"$W/out" 2>&1
rc=$?
[ ! -s "$W/out" ] && pass quiet-prints-nothing || fail quiet-prints-nothing "$(cat "$W/out")"
if python3 - "$W/r.json" <<'PY'; then pass results-json; else fail results-json "$(cat "$W/r.json")"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)) and isinstance(r["max_score"], (int, float))
assert r["tests"], "no tests"
for t in r["tests"]:
    assert set(t) >= {"name", "score", "max_score", "output"}, t
    assert 0 <= t["score"] <= t["max_score"], t
assert abs(sum(t["score"] for t in r["tests"]) - r["score"]) < 1e-9
assert abs(sum(t["max_score"] for t in r["tests"]) - r["max_score"]) < 1e-9
PY
# The exit code says whether marks were lost.
score=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(int(r["score"] < r["max_score"]))' "$W/r.json")
{ [ "$score" = 1 ] && [ $rc -eq "$EX_MARKS" ]; } || { [ "$score" = 0 ] && [ $rc -eq 0 ]; } &&
    pass exit-says-marks || fail exit-says-marks "exit $rc, lost marks: $score"
# An unwritable results.json is an output error, and nothing is left behind.
expect_exit results-unwritable "$EX_OUTPUT" $T "$D" grade -q -o "$W/no/such/dir/r.json" 90 /dev/null
summary grade
