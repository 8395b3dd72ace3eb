# tests/lib.sh — shared helpers of the shell tests (sourced).
# pass NAME / fail NAME WHY record one check; `summary` prints the closing
# line `N passed, N failed` and returns non-zero if anything failed.
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1: $2"; }
summary() {
    echo "$1: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
# workdir NAME [SECONDS] — what a script run against the tree at $ROOT
# works with: D the dlsync binary, W a fresh tests/artefacts/NAME, T the
# timeout every command runs under (default 60 s).
workdir() {
    D=$ROOT/bin/dlsync
    W=$ROOT/tests/artefacts/$1
    rm -rf "$W"
    mkdir -p "$W"
    T="timeout ${2:-60}"
}
# expect_exit NAME WANT CMD... — run CMD (bounded by the caller), compare its exit code.
expect_exit() {
    name=$1; want=$2; shift 2
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then pass "$name"; else fail "$name" "exit $got, want $want"; fi
}
# The exit codes of every dlsync command (cli/exitcode.h; tests/cli.sh checks
# this copy against the header, README.md and `dlsync --help`).
EX_OK=0 EX_INTERNAL=1 EX_USAGE=2 EX_HANG=3 EX_DIVERGED=4 EX_PROTOCOL=5 EX_DELAYED=6
EX_PREDICTED=7 EX_UNRELIABLE=8 EX_PARTED=9 EX_NO_INPUT=10 EX_CORRUPT=11 EX_NOT_FOUND=12
EX_OUTPUT=13 EX_DISK_FULL=14 EX_INTERRUPTED=15 EX_NO_LTTNG=16 EX_NO_SESSIOND=17
EX_SESSION=18 EX_NO_START=19 EX_TEARDOWN=20 EX_MARKS=21
# is_verdict RC: RC is a verdict of `dlsync check` (clean, or the code of its
# worst finding), not an error.
is_verdict() {
    case $1 in 0 | "$EX_HANG" | "$EX_PROTOCOL" | "$EX_DELAYED" | "$EX_PREDICTED" | "$EX_UNRELIABLE") return 0 ;; esac
    return 1
}

# graded NAME EXERCISE SUBMISSION WANT_RC — `dlsync grade` SUBMISSION of
# EXERCISE into $W/NAME.json (its output in $W/NAME.out): the exit code, and
# results.json with the fields Gradescope reads; its score and max_score
# left in $score $max (-1 when it does not parse).
graded() {
    rm -f "$W/$1.json"
    $T "$D" grade "$2" "$3" -o "$W/$1.json" >"$W/$1.out" 2>&1
    rc=$?
    if [ "$rc" -eq "$4" ]; then pass "$1 exit $4"; else fail "$1" "exit $rc, want $4: $(tail -3 "$W/$1.out")"; fi
    if $T python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)) and isinstance(r["max_score"], (int, float))
assert r["tests"], "no tests"
for t in r["tests"]:
    for k in ("name", "score", "max_score", "output"):
        assert k in t, k
print(r["score"], r["max_score"])' "$W/$1.json" >"$W/score" 2>"$W/json.err"; then
        pass "$1 results.json"
    else
        fail "$1 results.json" "$(head -3 "$W/json.err")"
    fi
    read -r score max <"$W/score" || { score=-1; max=-1; }
}

# graded_key E EXERCISE KEY — the answer key KEY gets full marks, as a file
# and as answers.txt in a folder, with the same results.json both times.
graded_key() {
    graded "$1-key" "$2" "$3" "$EX_OK"
    [ "$score" = "$max" ] && [ "$max" != 0 ] && pass "$1-key full marks" ||
        fail "$1-key full marks" "$score of $max"
    mkdir -p "$W/$1-folder"
    cp "$3" "$W/$1-folder/answers.txt"
    graded "$1-folder" "$2" "$W/$1-folder" "$EX_OK"
    cmp -s "$W/$1-key.json" "$W/$1-folder.json" &&
        pass "$1 grading deterministic" || fail "$1 grading deterministic" "$W/$1-key.json $W/$1-folder.json"
}
