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
# expect_exit NAME WANT CMD... — run CMD (bounded by the caller), compare its exit code.
expect_exit() {
    name=$1; want=$2; shift 2
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then pass "$name"; else fail "$name" "exit $got, want $want"; fi
}
