#!/bin/sh
# tests/exercises-predict.sh REPO_ROOT — every predict exercise of exercises/
# (kind predict in its exercise.conf): an instance is the same for the same
# seed and differs for another; its answer key (`dlsync exercise NN -s SEED
# -c`) gets full marks, a blank instance and the starter less, a key with one
# answer changed partial credit, a malformed answers file zero with a message;
# results.json carries score, max_score and tests[].  And `dlsync exercise`'s
# own command line: --help, --list, an unknown exercise, a missing seed.
# Prints PASS/FAIL lines and the closing count; every command under timeout.

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir exercises-predict
export DLSYNC_EXERCISES="$ROOT/exercises"

n=0
for dir in "$ROOT"/exercises/*/; do
    grep -Eq '^kind[[:space:]]+predict[[:space:]]*$' "$dir/exercise.conf" 2>/dev/null || continue
    id=$(sed -n 's/^id[[:space:]]*\([0-9][0-9]\).*/\1/p' "$dir/exercise.conf")
    n=$((n + 1))
    e=ex$id
    $T "$D" exercise "$id" -s 11 >"$W/$e-a" 2>"$W/$e.err" &&
        $T "$D" exercise "$id" -s 11 >"$W/$e-b" 2>>"$W/$e.err" &&
        cmp -s "$W/$e-a" "$W/$e-b" && grep -q '?' "$W/$e-a" &&
        pass "$e same seed, same instance" || fail "$e same seed, same instance" "see $W/$e-a"
    $T "$D" exercise "$id" -s 12 >"$W/$e-c" 2>>"$W/$e.err"
    if ! cmp -s "$W/$e-a" "$W/$e-c"; then pass "$e another seed, another instance"
    else fail "$e another seed, another instance" "seeds 11 and 12 print the same"; fi
    $T "$D" exercise "$id" -s 11 -c >"$W/$e-key" 2>>"$W/$e.err"
    if grep -Eq '^[a-z_0-9]+: ' "$W/$e-key" && ! grep -Eq '^[a-z_0-9]+: \?$' "$W/$e-key"; then
        pass "$e key has every fact"
    else fail "$e key has every fact" "see $W/$e-key"; fi

    graded_key "$e" "$id" "$W/$e-key"

    graded "$e-blank" "$id" "$W/$e-a" "$EX_MARKS"
    [ "$score" = 0 ] && [ "$max" = "$(grep -Ec '^[a-z_0-9]+: ' "$W/$e-key")" ] &&
        pass "$e-blank scores 0, one test a fact" || fail "$e-blank scores 0" "$score of $max"
    graded "$e-starter" "$id" "$dir/starter/answers.txt" "$EX_MARKS"
    [ "$score" = 0 ] && pass "$e-starter scores 0" || fail "$e-starter scores 0" "$score of $max"

    # One answer changed: the first fact's value gets an x appended.
    awk '!done && /^[a-z_0-9]+: / { print $0 "x"; done = 1; next } { print }' \
        "$W/$e-key" >"$W/$e-one"
    graded "$e-one-wrong" "$id" "$W/$e-one" "$EX_MARKS"
    python3 -c 'import sys; s, m = map(float, sys.argv[1:]); sys.exit(not 0 < s < m)' \
        "$score" "$max" && pass "$e-one-wrong partial credit" ||
        fail "$e-one-wrong partial credit" "$score of $max"

    # Malformed files: zero, and the cause in the test's output.
    printf 'instigator: g1\n' >"$W/$e-noseed"
    printf 'seed 11\nno colon here\n' >"$W/$e-nocolon"
    printf 'seed -3\ninstigator: g1\n' >"$W/$e-negseed"
    { cat "$W/$e-key"; echo "favourite_colour: blue"; } >"$W/$e-unknown"
    { cat "$W/$e-key"; sed -n '/^[a-z_0-9]*: /{p;q}' "$W/$e-key"; } >"$W/$e-twice"
    { echo "seed 11"; head -c 300 /dev/zero | tr '\0' a; echo; } >"$W/$e-long"
    head -c 70000 /dev/zero | tr '\0' '#' >"$W/$e-big"
    for bad in noseed:seed negseed:seed nocolon:KEY unknown:favourite_colour twice:twice long:longer big:larger; do
        f=${bad%%:*} why=${bad#*:}
        graded "$e-$f" "$id" "$W/$e-$f" "$EX_MARKS"
        [ "$score" = 0 ] && grep -q "$why" "$W/$e-$f.json" && pass "$e-$f zero, says why" ||
            fail "$e-$f zero, says why" "$score of $max; $(head -c 300 "$W/$e-$f.json")"
    done
    expect_exit "$e-no-submission" "$EX_NO_INPUT" $T "$D" grade "$id" "$W/nosuch" -o "$W/r.json"
    expect_exit "$e-no-seed" "$EX_USAGE" $T "$D" exercise "$id"
    expect_exit "$e-bad-seed" "$EX_USAGE" $T "$D" exercise "$id" -s -4
done
[ "$n" -ge 1 ] && pass "predict exercises found ($n)" || fail "predict exercises found" none

out=$($T "$D" exercise --help 2>&1) && echo "$out" | grep -q 'usage: dlsync exercise' &&
    pass "exercise --help" || fail "exercise --help" "$out"
$T "$D" exercise --list >"$W/list" 2>&1 && grep -Eq '^01 +predict +One epoch' "$W/list" &&
    pass "exercise --list" || fail "exercise --list" "$(head -3 "$W/list")"
expect_exit "exercise 77" "$EX_NOT_FOUND" $T "$D" exercise 77 -s 1
expect_exit "exercise, none named" "$EX_USAGE" $T "$D" exercise -s 1
summary exercises-predict
