#!/bin/sh
# tests/exercises-diagnose.sh REPO_ROOT — every diagnose exercise of
# exercises/ (kind diagnose in its exercise.conf): `dlsync exercise NN -s
# SEED -o DIR` makes the same run's trace and database for the same seed and
# another run for another seed, and refuses to overwrite an instance; the
# variant's name appears nowhere the student looks (DIR, the sheet, the
# command's stderr, the handout, the starter, the grader's output; matched as a whole word: 12's
# variant guest-wait is part of its scenario's name guest-waiters, which
# the trace names); state and the replay page show facts and hide check's
# findings; the answer key (-c) gets full marks, as a file and in a folder,
# graded the same twice; the starter and a blank sheet score zero; a
# key with a wrong epoch and a blocked thread left out partial credit per
# question; a malformed answers file zero,
# naming the file and line; no submission EX_NO_INPUT.  Prints PASS/FAIL
# lines and the closing count; every command under timeout.

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir exercises-diagnose 120
export DLSYNC_EXERCISES="$ROOT/exercises"

# The events of an instance's run, without what differs between recordings
# of the same run (times, thread ids).
events() {
    $T sqlite3 "$1/run.db" \
        "select seq, kind, grp, obj, mode, how, epoch, phase, lease, a, b, str from events order by seq"
}

n=0
for dir in "$ROOT"/exercises/*/; do
    grep -Eq '^kind[[:space:]]+diagnose[[:space:]]*$' "$dir/exercise.conf" 2>/dev/null || continue
    id=$(sed -n 's/^id[[:space:]]*\([0-9][0-9]\).*/\1/p' "$dir/exercise.conf")
    variant=$(sed -n 's/^variant[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$dir/exercise.conf")
    n=$((n + 1))
    e=ex$id

    # Instances: the sheet and the key of seed 11, the key of seed 12.
    $T "$D" exercise "$id" -s 11 -o "$W/$e-a" >"$W/$e-a.sheet" 2>"$W/$e-a.err" &&
        $T "$D" exercise "$id" -s 11 -o "$W/$e-b" -c >"$W/$e-key" 2>"$W/$e-b.err" &&
        $T "$D" exercise "$id" -s 12 -o "$W/$e-c" -c >"$W/$e-key12" 2>"$W/$e-c.err" &&
        pass "$e instances made" || fail "$e instances made" "$(cat "$W/$e-a.err" "$W/$e-b.err" "$W/$e-c.err")"
    events "$W/$e-a" >"$W/$e-a.events" && events "$W/$e-b" >"$W/$e-b.events" &&
        events "$W/$e-c" >"$W/$e-c.events"
    [ -s "$W/$e-a.events" ] && cmp -s "$W/$e-a.events" "$W/$e-b.events" &&
        pass "$e same seed, same run" || fail "$e same seed, same run" "$W/$e-a.events"
    cmp -s "$W/$e-a.events" "$W/$e-c.events" && fail "$e another seed, another run" "seeds 11, 12" ||
        pass "$e another seed, another run"
    expect_exit "$e refuses to overwrite an instance" "$EX_OUTPUT" $T "$D" exercise "$id" -s 11 -o "$W/$e-a"
    grep -q '^blocked: ?$' "$W/$e-a.sheet" && grep -Eq '^first-wrong: [0-9]+$' "$W/$e-key" &&
        grep -Eq '^holds group-[0-9]+: ' "$W/$e-key" && pass "$e sheet has blanks, key has facts" ||
        fail "$e sheet has blanks, key has facts" "$W/$e-a.sheet $W/$e-key"

    # Nothing the student gets names the bug.
    if [ -n "$variant" ] &&
        ! grep -rlaw -e "$variant" "$W/$e-a" "$W/$e-a.sheet" "$W/$e-a.err" "$W/$e-b.err" >"$W/$e-leak"; then
        pass "$e variant name nowhere in the instance"
    else fail "$e variant name nowhere in the instance" "'$variant' in $(cat "$W/$e-leak")"; fi
    [ -f "$dir/README.md" ] && ! grep -lw -e "$variant" "$dir/README.md" "$dir/starter"/* &&
        pass "$e handout and starter keep the variant secret" ||
        fail "$e handout and starter keep the variant secret" "no README.md, or '$variant' in it"
    [ "$($T sqlite3 "$W/$e-a/run.db" 'select variant from runs')" = "exercise $id" ] &&
        pass "$e trace names the exercise" || fail "$e trace names the exercise" "run_begin's variant"

    # Facts, not verdicts: check finds something, state and the page hide it.
    $T "$D" check "$W/$e-a/run.db" --no-store >"$W/$e-check" 2>&1
    rc=$?
    $T "$D" state "$W/$e-a/run.db" >"$W/$e-state" 2>&1 &&
        $T "$D" replay "$W/$e-a/run.db" -o "$W/$e.html" -q >/dev/null 2>&1
    if [ "$rc" -ne 0 ] && grep -q 'findings: hidden' "$W/$e-state" &&
        ! grep -Ewq 'I[1-9]|stall|lock-order|exclusion|healed-stall' "$W/$e-state" &&
        grep -q '"hidden"' "$W/$e.html" &&
        ! grep -Eq '\[[0-9]+,"(I[1-9]|deadlock|stall|lock-order|exclusion|healed-stall)"' "$W/$e.html"; then
        pass "$e state and replay hide the findings"
    else fail "$e state and replay hide the findings" "check exit $rc; see $W/$e-state"; fi

    # The key: full marks, as a file and in a folder, the same grade twice.
    graded_key "$e" "$id" "$W/$e-key"
    if ! grep -rlw -e "$variant" "$W/$e-key.json" "$W/$e-key.out"; then pass "$e grader keeps the variant secret"
    else fail "$e grader keeps the variant secret" "in its output"; fi

    # Zero: the starter, the blank sheet.  Part: the key with the epoch
    # wrong and the first blocked thread left out (of n): 3 + 3(n-1)/n.
    graded "$e-starter" "$id" "$dir/starter/answers.txt" "$EX_MARKS"
    [ "$score" = 0 ] && pass "$e-starter scores 0" || fail "$e-starter scores 0" "$score of $max"
    graded "$e-blank" "$id" "$W/$e-a.sheet" "$EX_MARKS"
    [ "$score" = 0 ] && [ "$max" = 7 ] && pass "$e-blank scores 0 of 7" || fail "$e-blank scores 0" "$score of $max"
    first=$(sed -n 's/^blocked: \([^ ]*\).*/\1/p' "$W/$e-key")
    nblocked=$(grep -c '^holds ' "$W/$e-key")
    grep -v "^\(holds\|waits\) $first:" "$W/$e-key" |
        sed -e "s/^blocked: $first */blocked: /" -e 's/^epoch: .*/epoch: 999/' >"$W/$e-part"
    graded "$e-part" "$id" "$W/$e-part" "$EX_MARKS"
    python3 -c 'import sys; s, n = map(float, sys.argv[1:]); sys.exit(abs(s - 3 - 3 * (n - 1) / n) > 0.01)' \
        "$score" "$nblocked" && pass "$e-part partial credit per question" ||
        fail "$e-part partial credit per question" "$score of $max, $nblocked blocked"
    expect_exit "$e-no-submission" "$EX_NO_INPUT" $T "$D" grade "$id" "$W/nosuch" -o "$W/r.json"
done
[ "$n" -ge 6 ] && pass "diagnose exercises found ($n)" || fail "diagnose exercises found" "$n"

# Malformed answers files (no instance is made): zero, naming file and line.
e=ex03
printf 'blocked: group-1\n' >"$W/noseed"
printf 'seed 11\nblocked: group-1\nwhodunnit: group-2\n' >"$W/unknown"
printf 'seed 11\nno colon here\n' >"$W/nocolon"
printf 'seed 11\nepoch: 1\nepoch: 2\n' >"$W/twice"
printf 'seed -3\n' >"$W/negseed"
{ echo "seed 11"; head -c 500 /dev/zero | tr '\0' a; echo; } >"$W/long"
head -c 9000 /dev/zero | tr '\0' '#' >"$W/big"
printf 'seed 11\nepoch: 1\0\n' >"$W/nul"
for bad in noseed:noseed:1 unknown:unknown:3 nocolon:nocolon:2 twice:twice:3 negseed:negseed:1 \
    long:long:2 big:big:larger nul:nul:NUL; do
    f=${bad%%:*} rest=${bad#*:} file=${rest%%:*} where=${rest#*:}
    case $where in [0-9]*) where="$file:$where" ;; esac
    graded "$e-$f" 03 "$W/$f" "$EX_MARKS"
    [ "$score" = 0 ] && grep -q "$where" "$W/$e-$f.json" && pass "$e-$f zero, says where" ||
        fail "$e-$f zero, says where" "$score of $max; $(head -c 300 "$W/$e-$f.json")"
done
summary exercises-diagnose
