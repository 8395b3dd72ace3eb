#!/bin/bash
# tests/replay/check.sh ROOT — `dlsync check`'s families judged on
# hand-written event streams (tests/replay/streams/*.ev, fed by
# build/tests/feed), then on recorded traces: the stalls that heal (a lost
# wakeup, an ignored wakeup) and a gap made in a recorded trace's database.
#
# A stream says what it expects in comment lines:
#   # exit: N         feed's exit status, check's (cli/exitcode.h): 0 clean,
#                     else the worst reliable finding's verdict (5 an invariant
#                     or exclusion rule, 3 a deadlock or stall, 6 a healed
#                     stall, 7 a lock-order prediction), 8 only unreliable ones
#   # rule: R         a finding of rule R is printed
#   # no-rule: R      no finding of rule R
#   # says: TEXT      the output holds TEXT (a fixed string)
#   # feed: OPTIONS   options for feed (--lost KIND=N, --gap N@FROM-TO, ...)
# Every command runs under timeout.  Needs sqlite3, python3; valgrind if
# present (no uninitialised bytes in any message).
set -u
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
FEED=$ROOT/build/tests/feed
D=$ROOT/bin/dlsync
WORK=$(mktemp -d /tmp/dlsync-check-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
T="timeout 60"

# ---- hand-written streams ---------------------------------------------------
for f in "$ROOT"/tests/replay/streams/*.ev; do
    name=$(basename "$f" .ev)
    out=$WORK/$name.out
    want=$(sed -n 's/^# exit: //p' "$f")
    if [ -z "$want" ]; then
        fail "$name" "the stream says no '# exit:'"
        continue
    fi
    # shellcheck disable=SC2046 # the options are words
    $T "$FEED" $(sed -n 's/^# feed: //p' "$f") "$f" >"$out" 2>&1
    got=$?
    if [ "$got" = "$want" ]; then pass "$name: exit $want"; else fail "$name: exit $want" "exit $got: $(head -c 600 "$out")"; fi
    while read -r r; do
        [ -n "$r" ] || continue
        if grep -q "^$r \[" "$out"; then pass "$name: $r"; else fail "$name: $r" "not found in: $(head -c 600 "$out")"; fi
    done < <(sed -n 's/^# rule: //p' "$f")
    while read -r r; do
        [ -n "$r" ] || continue
        if grep -q "^$r \[" "$out"; then fail "$name: no $r" "$(grep -A1 "^$r \[" "$out" | head -c 400)"; else pass "$name: no $r"; fi
    done < <(sed -n 's/^# no-rule: //p' "$f")
    while IFS= read -r s; do
        [ -n "$s" ] || continue
        if grep -qF -- "$s" "$out"; then pass "$name: says '$s'"; else fail "$name: says '$s'" "$(head -c 800 "$out")"; fi
    done < <(sed -n 's/^# says: //p' "$f")
done

# A bad stream: the message names the file and the line, exit 2.
printf 'lock_acquired g1 obj=1\nlock_released g99999999 obj=1\n' >"$WORK/bad.ev"
$T "$FEED" "$WORK/bad.ev" >/dev/null 2>"$WORK/bad.err"
rc=$?
if [ $rc = 2 ] && grep -q "bad.ev:2: group = 99999999" "$WORK/bad.err"; then pass "bad stream: file, line, field"; else fail "bad stream" "exit $rc: $(cat "$WORK/bad.err")"; fi
printf 'wakeup_sent g1 epoch=1 a=2 "text"\n' >"$WORK/bad2.ev"
$T "$FEED" "$WORK/bad2.ev" >/dev/null 2>"$WORK/bad2.err"
rc=$?
if [ $rc = 2 ] && grep -q "bad2.ev:1: wakeup_sent carries no string" "$WORK/bad2.err"; then pass "bad stream: a string where none goes"; else fail "bad stream: string" "exit $rc: $(cat "$WORK/bad2.err")"; fi

# JSON: reliable and unreliable findings say so.
S=$ROOT/tests/replay/streams
$T "$FEED" --json --lost lock_released=1 "$S/gap-unreleased.ev" >"$WORK/gap.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["findings"]; assert f and all(x["reliable"] is False and "lock_released" in x["unreliable"] for x in f)' "$WORK/gap.json" 2>"$WORK/json.err"; then
    pass "JSON: reliable false, unreliable names the kind"
else
    fail "JSON: reliable false" "$(cat "$WORK/json.err" "$WORK/gap.json" | head -c 600)"
fi
$T "$FEED" --json "$S/gap-unreleased.ev" >"$WORK/nogap.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["findings"]; assert f and all(x["reliable"] is True and "unreliable" not in x for x in f)' "$WORK/nogap.json" 2>"$WORK/json.err"; then
    pass "JSON: reliable true without a gap"
else
    fail "JSON: reliable true" "$(cat "$WORK/json.err" "$WORK/nogap.json" | head -c 600)"
fi

# No uninitialised byte in any message (names of threads without a group).
if command -v valgrind >/dev/null; then
    for s in cycle-ungrouped exclusion-after-exit self-deadlock healed-stall; do
        $T valgrind -q --error-exitcode=99 --track-origins=yes "$FEED" "$S/$s.ev" \
            >/dev/null 2>"$WORK/vg-$s.err"
        rc=$?
        if [ $rc != 99 ] && ! grep -q "uninitialised" "$WORK/vg-$s.err"; then
            pass "valgrind: $s"
        else
            fail "valgrind: $s" "$(head -c 600 "$WORK/vg-$s.err")"
        fi
    done
else
    echo "SKIP valgrind (not installed)"
fi

# ---- recorded traces: delayed epochs -------------------------------------------
# record_delayed NAME ARGS...: try seeds until the run is delayed (exit 6: an
# epoch waited at phase 1 while a party that was sent a wakeup slept or
# waited on), then ingest it.  The run ends there, its party still in its
# wait: the trace shows a stall, not a healed one.
record_delayed() {
    local name=$1 s
    shift
    for s in 1 2 3 4 5 6 7 8 9 10; do
        rm -rf "${WORK:?}/$name"
        $T "$D" record -o "$WORK/$name" -- "$@" --seed "$s" >"$WORK/$name.out" 2>&1
        if [ $? = 6 ]; then
            $T "$D" ingest -q "$WORK/$name" >/dev/null 2>&1 && return 0
            fail "$name ingest" "seed $s"
            return 1
        fi
    done
    fail "$name manifests" "no seed of 1-10 made a delayed run: $(tail -c 300 "$WORK/$name.out")"
    return 1
}
# delayed NAME: check exits with a stall's verdict (3, or 6 healed), naming the party that run named
# (it was sent a wakeup and did not take it) and the wakeup's seq, a
# wakeup_sent to that party in the trace.
delayed() {
    local name=$1 db=$WORK/$1/dlsync.db out=$WORK/$1.check
    $T "$D" check "$db" >"$out" 2>&1
    local rc=$?
    # The trace ends where the run stopped: still stalled (a hang to check,
    # which sees no end to it) or healed (delayed).
    local want=$EX_DELAYED
    grep -q '^stall \[' "$out" && want=$EX_HANG
    if [ $rc = "$want" ]; then pass "$name: check exits $want, its stall's verdict"; else fail "$name: check exits $want" "exit $rc: $(head -c 400 "$out")"; fi
    local party line wseq sent
    party=$(sed -n 's/.* at phase 1 for group-\([0-9]*\) (.*/\1/p' "$WORK/$name.out" | head -1)
    line=$(grep -A1 "^\(healed-\)\?stall \[.*group-$party[] ]" "$out" | sed -n 2p)
    if [ -n "$party" ] && [ -n "$line" ]; then pass "$name: a stall names group-$party"; else fail "$name: names the party" "party '$party': $(head -c 600 "$out")"; fi
    wseq=$(echo "$line" | sed -n 's/.*wakeup \(sent[a-z ]*\)\? *at seq \([0-9]*\).*/\2/p')
    sent=$(sqlite3 "$db" "SELECT count(*) FROM events WHERE seq = ${wseq:-0} AND kind = 19 AND a = ${party:-0}")
    if [ "$sent" = 1 ]; then pass "$name: the wakeup seq is a wakeup_sent to group-$party"; else fail "$name: wakeup seq" "seq '$wseq' in: $line"; fi
}
if record_delayed lost-wakeup --variant lost-wakeup --scenario sleepers --sched os --timeout 5 --ops 10; then
    delayed lost-wakeup
fi
if record_delayed guest-wait --variant guest-wait --scenario guest-waiters --sched os --timeout 5 --ops 1 --groups 2; then
    delayed guest-wait
fi
# The correct protocol in the same scenarios, under the OS scheduler: clean.
for scn in sleepers guest-waiters; do
    for s in 1 2; do
        $T "$D" record -o "$WORK/ok-$scn-$s" -- --scenario "$scn" --sched os --timeout 5 --ops 10 --seed "$s" >/dev/null 2>&1 &&
            $T "$D" ingest -q "$WORK/ok-$scn-$s" >/dev/null 2>&1
        $T "$D" check "$WORK/ok-$scn-$s/dlsync.db" >"$WORK/ok-$scn-$s.check" 2>&1
        rc=$?
        if [ $rc = 0 ]; then pass "correct $scn seed $s: clean"; else fail "correct $scn seed $s: clean" "exit $rc: $(head -c 400 "$WORK/ok-$scn-$s.check")"; fi
    done
done

# ---- a gap made in a recorded trace's database ----------------------------------
# Drop the last lease release from the events (and from run_counts' ingested,
# as an ingest of the damaged trace would count it): the lease now looks
# never released (I1), but run_end counted one more lock_released than the
# trace holds, so the finding is unreliable and check exits 3.
db=$WORK/ok-sleepers-1/dlsync.db
if [ -f "$db" ]; then
    cp "$db" "$WORK/gap.db"
    sqlite3 "$WORK/gap.db" "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events WHERE kind = 9 AND obj = 2);
        UPDATE run_counts SET ingested = ingested - 1 WHERE kind = 9;
        UPDATE runs SET events = events - 1"
    $T "$D" check "$WORK/gap.db" >"$WORK/gap.check" 2>&1
    rc=$?
    if [ $rc = "$EX_UNRELIABLE" ] && grep -q "^I1 " "$WORK/gap.check" &&
        grep -q "unreliable: the trace lacks 1 lock_released event" "$WORK/gap.check"; then
        pass "a lost lease release: I1 unreliable, exit $EX_UNRELIABLE"
    else
        fail "a lost lease release: I1 unreliable, exit $EX_UNRELIABLE" "exit $rc: $(head -c 600 "$WORK/gap.check")"
    fi
    r=$(sqlite3 "$WORK/gap.db" "SELECT reliable || ' ' || (unreliable IS NOT NULL) FROM findings WHERE rule = 'I1'")
    if [ "$r" = "0 1" ]; then pass "findings table: reliable 0, the reason stored"; else fail "findings table: reliable" "'$r'"; fi
    # The same without run_counts' help: the tracer reports a gap of unknown size.
    cp "$WORK/gap.db" "$WORK/gap2.db"
    sqlite3 "$WORK/gap2.db" "UPDATE run_counts SET ingested = emitted WHERE emitted IS NOT NULL; INSERT INTO discarded VALUES ((SELECT max(run_id) FROM runs), 0, NULL, NULL); UPDATE runs SET discarded = 1"
    $T "$D" check "$WORK/gap2.db" >"$WORK/gap2.check" 2>&1
    rc=$?
    if [ $rc = "$EX_UNRELIABLE" ] && grep -q "unreliable: the trace lost .*of kinds it does not tell" "$WORK/gap2.check"; then
        pass "a gap of unknown size: exit $EX_UNRELIABLE"
    else
        fail "a gap of unknown size: exit $EX_UNRELIABLE" "exit $rc: $(head -c 600 "$WORK/gap2.check")"
    fi
fi

summary "check tests"
