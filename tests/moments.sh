#!/bin/sh
# tests/moments.sh REPO_ROOT — one way to name a run and a moment of it
# (replay/moment.c) in every command that reads a run: a bad --run (not a
# whole number from 1, or past 2^62) and a bad moment of --at/--from/--to
# (no unit, an unknown unit, a sign, a fraction of a seq) are errors naming
# the option and the value with each command's usage status; an unknown run
# and a seq outside the run are errors with the command's "no such run or
# moment" status; the newest run is the same run for every command; and
# `state --at X`, `draw --waitfor --at X` and `draw --to X` resolve X (a seq,
# or a time since the run's first event) to the same seq, the one the
# database says (sqlite3).  Prints PASS/FAIL lines and the closing count.

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir moments
DB=$W/two.db

# Two runs in one database, so that the newest run and a seq of another run
# can be told apart.
ok=1
for seed in 3 4; do
    $T "$D" record -o "$W/tr$seed" -- --scenario mixed --groups 2 --ops 4 --seed $seed \
        >>"$W/record.log" 2>&1 &&
        $T "$D" ingest "$W/tr$seed" -d "$DB" --quiet --no-progress >>"$W/record.log" 2>&1 || ok=0
done
NEWEST=$(sqlite3 "$DB" "SELECT max(run_id) FROM runs")
if [ $ok = 1 ] && [ "$NEWEST" = 2 ]; then
    pass "record and ingest two runs"
else
    fail "record and ingest two runs" "see $W/record.log"
    summary moments
    exit 1
fi
FIRST=$(sqlite3 "$DB" "SELECT first_seq FROM runs WHERE run_id = $NEWEST")
LAST=$(sqlite3 "$DB" "SELECT last_seq FROM runs WHERE run_id = $NEWEST")
START=$(sqlite3 "$DB" "SELECT start_ts FROM runs WHERE run_id = $NEWEST")

# run CMD ARGS...: the command on $DB (the outputs of the one before
# removed), stderr into $W/err; prints its status.
run() {
    c=$1
    shift
    rm -f "$W"/out*
    case $c in
    state | check) $T "$D" "$c" "$DB" "$@" >"$W/out" 2>"$W/err" ;;
    draw) $T "$D" draw "$DB" -o "$W/out.dot" --quiet "$@" >"$W/out" 2>"$W/err" ;;
    replay) $T "$D" replay "$DB" -o "$W/out.html" "$@" >"$W/out" 2>"$W/err" ;;
    esac
    echo $?
}
# expect NAME WANT PATTERN CMD ARGS...: CMD exits WANT and says PATTERN
# (grep -F) on a line starting "dlsync CMD: ".
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    rc=$(run "$@")
    if [ "$rc" -eq "$want" ] && grep "^dlsync $1: " "$W/err" | grep -Fq -- "$pat"; then
        pass "$name: exit $want"
    else
        fail "$name" "exit $rc (want $want): $(head -2 "$W/err" | tr '\n' ' ')"
    fi
}
# A bad command line, and no such run or moment: the same status for every
# command (cli/exitcode.h, tests/lib.sh).

for c in state check draw replay; do
    for v in abc -1 1x 0 99999999999999999999 " 1" 1.0; do
        expect "$c --run '$v'" "$EX_USAGE" "bad value '$v' for --run" $c --run "$v"
    done
    expect "$c --run 99 (no such run)" "$EX_NOT_FOUND" "no run 99" $c --run 99
done

# Bad moments, for every option that takes one.
for co in "state --at" "draw --at" "draw --from" "draw --to" "replay --from" "replay --to"; do
    set -- $co
    c=$1 o=$2
    extra=
    [ "$c $o" = "draw --at" ] && extra=--waitfor
    for v in 1.5parsecs -3 ms 1.5 0 1e3ms " 5" 5ms+ 0x10 99999999999999999999 1.5.2ms; do
        expect "$c $o '$v'" "$EX_USAGE" "bad value '$v' for $o" $c $extra $o "$v"
    done
    beyond=$((LAST + 1))
    expect "$c $o $beyond (past the run)" "$EX_NOT_FOUND" "$o $beyond is not an event of run $NEWEST" \
        $c $extra $o $beyond
    other=$((FIRST - 1)) # the last event of the run before the newest
    expect "$c $o $other (another run's)" "$EX_NOT_FOUND" "$o $other is not an event of run $NEWEST" \
        $c $extra $o $other
done

# The newest run is the same for every command.
run state --json >/dev/null
s=$(sed -n 's/.*"run": \([0-9]*\),.*/\1/p' "$W/out" | head -1)
run draw --waitfor >/dev/null
d=$(grep -o '(seed [0-9]*, run [0-9]*)' "$W/out.dot" | sed 's/.*run \([0-9]*\))/\1/')
run replay >/dev/null
r=$(grep -o "run $NEWEST " "$W/out.html" | head -1)
if [ "$s" = "$NEWEST" ] && [ "$d" = "$NEWEST" ] && [ -n "$r" ]; then
    pass "state, draw and replay pick the newest run ($NEWEST)"
else
    fail "the newest run" "state: '$s', draw: '$d', replay: '$r', runs table: $NEWEST"
fi

# One moment, one seq: a time names the last event at or before it.
mid=$(((FIRST + LAST) / 2))
ts_mid=$(sqlite3 "$DB" "SELECT ts - $START FROM events WHERE seq = $mid")
for x in $((FIRST + 5)) $mid 0ns 200us 1ms 1.5ms "${ts_mid}ns" "$((ts_mid - 1))ns" 3s; do
    case $x in
    *s) want=$(sqlite3 "$DB" "SELECT max(seq) FROM events WHERE seq BETWEEN $FIRST AND $LAST \
                                AND ts <= $START + $(echo "$x" | awk '
            /ns$/ { print int($0); next } /us$/ { print $0 * 1000; next }
            /ms$/ { print $0 * 1000000; next } { print $0 * 1000000000 }')") ;;
    *) want=$x ;;
    esac
    run state --at "$x" --json >/dev/null
    s=$(sed -n 's/.*"seq": \([0-9]*\),.*/\1/p' "$W/out" | head -1)
    run draw --waitfor --at "$x" >/dev/null
    d=$(grep -o 'after seq [0-9]*' "$W/out.dot" | sed 's/after seq //')
    run draw --from "$FIRST" --to "$x" >/dev/null
    t=$(cat "$W"/out*.dot | grep -o "seq $FIRST.[^0-9]*[0-9]*" | head -1 | sed 's/.*[^0-9]//')
    if [ -n "$want" ] && [ "$s" = "$want" ] && [ "$d" = "$want" ] && [ "$t" = "$want" ]; then
        pass "--at/--to $x is seq $want for state and draw"
    else
        fail "--at/--to $x" "state: '$s', draw --at: '$d', draw --to: '$t', database: '$want'"
    fi
done

# --from a time names the first event at or after it.
from_want=$(sqlite3 "$DB" "SELECT min(seq) FROM events WHERE seq BETWEEN $FIRST AND $LAST \
                             AND ts >= $START + $ts_mid")
run replay --from "${ts_mid}ns" --to "$LAST" >/dev/null
got=$(grep -o "seq [0-9]*.[^0-9]*$LAST" "$W/out.html" | head -1 | sed 's/seq \([0-9]*\).*/\1/')
if [ "$got" = "$from_want" ]; then
    pass "replay --from ${ts_mid}ns starts at seq $from_want"
else
    fail "replay --from ${ts_mid}ns" "starts at '$got', database: '$from_want'"
fi

summary moments
