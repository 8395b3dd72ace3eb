#!/bin/sh
# fuzz/mutate_trace.sh — AFL-style fuzzing of the trace -> database path:
# one seeded mutation of a recorded trace per trial (fuzz/mutate.c), then
# `dlsync ingest` of the mutant into a directory holding a database made
# before, and a verdict on what ingest did (docs/fuzz.md).
#
#   fuzz/mutate_trace.sh [--base TRACE] [--seed N] [--trials N] [--seconds S]
#                        [--timeout S] [--out DIR] [--dlsync BIN] [--mutate BIN]
#   fuzz/mutate_trace.sh --replay MUTANT [--expect "CODES"] [--base TRACE] ...
#
# Trial N mutates a copy of the base trace with seed N (seeds --seed,
# --seed + 1, ... for --trials trials or --seconds seconds, whichever ends
# first) and ingests it under timeout into a copy of a database that already
# holds the base trace at the same path: alone (odd seeds; ingest replaces the
# file through its temp file) or beside another run (even seeds; ingest
# replaces the run in place).  A trial fails when
#   - ingest hangs (--timeout, default 5 s), dies by a signal or prints a
#     sanitizer report;
#   - it exits with a code outside CODES (default 0 10 11: ingested, no
#     trace, corrupt or not dlsync's; see `dlsync ingest --help` and
#     cli/exitcode.h), or fails without a message on stderr;
#   - it leaves its temp file (.t.db.ingest-PID.tmp) or a journal;
#   - it failed and the database is not byte for byte what it was;
#   - it succeeded and `dlsync check`, `state`, `draw` or `draw --waitfor` on
#     the result hangs, dies, or exits with a code that says it could not
#     read what ingest wrote.
# Each failure is printed as `FAIL seed=N (db ...) MUTATION: WHY` and saved
# under --out (default build/fuzz/traces/seed-N: the mutant, the mutation,
# the verdict, ingest's stderr): `--replay DIR/trace` runs the judge again on
# it, with both databases, printing PASS/FAIL lines (tests/fuzz/run.sh).
# Exit status: 0 no failure, 1 failures, 2 bad command line or setup.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DLSYNC=$ROOT/bin/dlsync
MUTATE=$ROOT/build/fuzz/mutate
BASE=$ROOT/tests/fuzz/base
SEED=1
TRIALS=100
SECS=0
TIMEOUT=5
OUT=$ROOT/build/fuzz/traces
REPLAY=""
EXPECT="0 10 11"

usage() {
    sed -n '8,9p' "$0" | sed 's/^# *//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --base) BASE=$2 ;;
    --seed) SEED=$2 ;;
    --trials) TRIALS=$2 ;;
    --seconds) SECS=$2 ;;
    --timeout) TIMEOUT=$2 ;;
    --out) OUT=$2 ;;
    --dlsync) DLSYNC=$2 ;;
    --mutate) MUTATE=$2 ;;
    --replay) REPLAY=$2 ;;
    --expect) EXPECT=$2 ;;
    *) usage ;;
    esac
    shift 2
done
for n in "$SEED" "$TRIALS" "$SECS" "$TIMEOUT"; do
    case $n in '' | *[!0-9]*) echo "mutate_trace: '$n' is not a number" >&2; exit 2 ;; esac
done
[ -d "$BASE" ] || { echo "mutate_trace: $BASE: no base trace" >&2; exit 2; }
[ -z "$REPLAY" ] || [ -d "$REPLAY" ] || { echo "mutate_trace: $REPLAY: no mutant" >&2; exit 2; }
# A sanitizer build of dlsync (make asan) reports with exit code 66.
export ASAN_OPTIONS="${ASAN_OPTIONS:-exitcode=66 detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1 exitcode=66 print_stacktrace=1}"

W=$(mktemp -d /tmp/dlsync-mutate.XXXXXX) || exit 2
trap 'rm -rf "$W"' EXIT INT TERM
T="timeout -k 2 $TIMEOUT"

# fresh: the base trace, without any database, at DIR/trace.
fresh() {
    rm -rf "$1"
    mkdir -p "$1"
    cp -r "$BASE" "$1/trace" && find "$1/trace" -name '*.db' -exec rm -f {} +
}
# The databases made before: the base trace ingested at the trial's own
# path, alone (same.db) or after another run (shared.db).
fresh "$W/trial" && fresh "$W/other" || exit 2
for db in same shared; do
    [ $db = shared ] && { $T "$DLSYNC" ingest -q --no-progress -d "$W/$db.db" "$W/other/trace" >/dev/null || exit 2; }
    $T "$DLSYNC" ingest -q --no-progress -d "$W/$db.db" "$W/trial/trace" >/dev/null ||
        { echo "mutate_trace: cannot ingest the base trace $BASE" >&2; exit 2; }
done

# what_exit RC: what an exit status means, or "" if the process exited.
what_exit() {
    case $1 in
    124) echo "hang (killed after ${TIMEOUT}s)" ;;
    137) echo "hang (killed after ${TIMEOUT}s; SIGTERM did not stop it)" ;;
    66) echo "sanitizer report" ;;
    1[3-9][0-9] | 2[0-9][0-9]) echo "killed by signal $(($1 - 128)) (SIG$(kill -l $(($1 - 128)) 2>/dev/null))" ;;
    *) echo "" ;;
    esac
}
# cause FILE: where a process that aborted says it failed (FILE: its
# stderr): an assertion, or libbabeltrace2's fatal log ("stream.c:112
# Duplicate stream ID"), or "".
cause() {
    a=$(grep -m1 -oE '[^ ]+\.c:[0-9]+: [^ ]+: Assertion .* failed' "$1" 2>/dev/null)
    [ -n "$a" ] || a=$(sed -n 's/.* F LIB\/[^ ]* [^ ]*@\([^ ]*\) \([^:]*\).*/\1 \2/p' "$1" 2>/dev/null |
        grep -v 'precondition not satisfied' | head -1)
    echo "$a"
}
# sanitized FILE: the first sanitizer line of FILE, if any.
sanitized() {
    grep -m1 -E 'ERROR: AddressSanitizer|runtime error:|SUMMARY: .*Sanitizer' "$1" 2>/dev/null
}

# tool NAME WANT CMD...: run one command on the ingested database; the
# verdict goes to $why.
tool() {
    name=$1 want=$2
    shift 2
    $T "$@" >"$W/trial/tool.out" 2>"$W/trial/tool.err"
    r=$?
    w=$(what_exit $r)
    s=$(sanitized "$W/trial/tool.err")
    if [ -n "$w$s" ]; then
        why="$why${why:+; }$name: ${w:-$s}"
    else
        case " $want " in
        *" $r "*) ;;
        *) why="$why${why:+; }$name exits $r: $(head -c 200 "$W/trial/tool.err" | tr '\n' ' ')" ;;
        esac
    fi
}

# judge DB: ingest $W/trial/trace into a copy of $W/DB.db; sets $rc and $why
# ("" when the trial passed).
judge() {
    pre=$W/$1.db
    t=$W/trial
    cp "$pre" "$t/t.db"
    $T "$DLSYNC" ingest -q --no-progress -d "$t/t.db" "$t/trace" >"$t/out" 2>"$t/err"
    rc=$?
    why=$(what_exit $rc)
    c=$(cause "$t/err")
    [ -n "$why" ] && [ -n "$c" ] && why="$why: $c"
    s=$(sanitized "$t/err")
    [ -n "$s" ] && why="${why:+$why: }$s"
    if [ -z "$why" ]; then
        case " $EXPECT " in
        *" $rc "*) ;;
        *) why="exit $rc (want one of $EXPECT): $(head -c 200 "$t/err" | tr '\n' ' ')" ;;
        esac
        if [ "$rc" != 0 ]; then
            cmp -s "$pre" "$t/t.db" || why="$why${why:+; }the failed ingest changed the database"
            [ -s "$t/err" ] || why="$why${why:+; }exit $rc without a message"
        fi
    fi
    left=$(ls -A "$t" | grep -E '^\.t\.db\.ingest-.*\.tmp|^t\.db-journal$' | tr '\n' ' ')
    [ -n "$left" ] && why="$why${why:+; }left $left"
    if [ "$rc" = 0 ] && [ -z "$why" ]; then
        tool check "0 3 5 6 7 8" "$DLSYNC" check "$t/t.db"
        tool state "0" "$DLSYNC" state "$t/t.db"
        tool draw "0 12" "$DLSYNC" draw "$t/t.db" -o "$t/d.svg" --quiet
        tool draw-waitfor "0 12" "$DLSYNC" draw "$t/t.db" --waitfor -o "$t/w.svg"
    fi
}

if [ -n "$REPLAY" ]; then
    name=$(basename "$REPLAY")
    [ "$name" = trace ] && name=$(basename "$(dirname "$REPLAY")")
    failed=0
    for db in same shared; do
        rm -rf "$W/trial"
        mkdir -p "$W/trial"
        cp -r "$REPLAY" "$W/trial/trace"
        judge $db
        if [ -z "$why" ]; then
            echo "PASS mutant $name (db $db): exit $rc"
        else
            echo "FAIL mutant $name (db $db): $why"
            failed=1
        fi
    done
    exit $failed
fi

start=$(date +%s)
tried=0
failures=0
codes=""
kinds=""
seed=$SEED
while [ $tried -lt "$TRIALS" ]; do
    [ "$SECS" -gt 0 ] && [ $(($(date +%s) - start)) -ge "$SECS" ] && break
    fresh "$W/trial" || exit 2
    if ! mutation=$("$MUTATE" "$seed" "$W/trial/trace" 2>&1); then
        echo "mutate_trace: seed $seed: $mutation" >&2
        seed=$((seed + 1))
        continue
    fi
    db=same
    [ $((seed % 2)) = 0 ] && db=shared
    judge $db
    tried=$((tried + 1))
    codes="$codes $rc"
    if [ -n "$why" ]; then
        failures=$((failures + 1))
        kinds="$kinds
$(echo "$why" | sed 's/^\(hang\) (killed after [0-9]*s; \(SIGTERM did not stop it\))/\1, \2/;
            s/^hang (killed after [0-9]*s)/hang/; s/;.*//' | sed -E '/^(killed|sanitizer)/!s/:.*//')"
        dir=$OUT/seed-$seed
        rm -rf "$dir"
        mkdir -p "$dir"
        cp -r "$W/trial/trace" "$dir/trace"
        cp "$W/trial/err" "$dir/stderr"
        echo "$mutation" >"$dir/mutation"
        echo "$why" >"$dir/why"
        echo "FAIL seed=$seed (db $db) $mutation: $why"
        echo "    saved: $dir (replay: fuzz/mutate_trace.sh --replay $dir/trace)"
    fi
    seed=$((seed + 1))
done
echo "mutate_trace: $tried mutants of $BASE (seeds $SEED..$((seed - 1))) in $(($(date +%s) - start))s, $failures failed"
echo "mutate_trace: ingest exit codes:$(echo "$codes" | tr ' ' '\n' | grep . | sort -n | uniq -c |
    awk '{printf " %s x%s", $2, $1}')"
if [ $failures -gt 0 ]; then
    echo "mutate_trace: failures by kind:$(echo "$kinds" | grep . | sort | uniq -c |
        awk '{c=$1; $1=""; printf "%s%s x%s", sep, $0, c; sep=","}')"
    exit 1
fi
exit 0
