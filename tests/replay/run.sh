#!/bin/bash
# tests/replay/run.sh ROOT — end-to-end tests of `dlsync ingest`, `state` and
# `check` on traces recorded with `dlsync record`.  Prints PASS/FAIL per
# check and exits non-zero if any failed.  Every command runs under timeout.
#
# Uses ROOT/bin/dlsync for everything.  Knobs: REPLAY_SEEDS (correct runs per
# scenario with its defaults, 3), REPLAY_MORE_SEEDS (correct runs per scenario
# with the variants' options, 4), REPLAY_VARIANT_SEEDS (the seeds tried, in
# order, until a buggy variant manifests: "1 2 3 4 5").
# Needs: babeltrace2, sqlite3, python3 (JSON check), root for the tmpfs
# (disk full) case, which is skipped otherwise.
set -u
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
DLSYNC=$ROOT/bin/dlsync
REPLAY=$DLSYNC
WORK=$(mktemp -d /tmp/dlsync-replay-test.XXXXXX)
SEEDS=${REPLAY_SEEDS:-3}
failures=0
T="timeout 120"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; failures=$((failures + 1)); }
# expect NAME WANT-STATUS GOT-STATUS [detail]
expect() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "exit $3, wanted $2${4:+; $4}"; fi; }

cleanup() {
    mountpoint -q "$WORK/full" 2>/dev/null && umount "$WORK/full"
    rm -rf "$WORK"
}
trap cleanup EXIT

# record NAME RUN-ARGS... — trace in $WORK/NAME, watchdog output in NAME.err
record() {
    local name=$1
    shift
    $T "$DLSYNC" record -o "$WORK/$name" -- "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}

counts_db() { # DB -> "kind count" lines, sorted
    sqlite3 "$1" "SELECT k.name, count(*) FROM events e JOIN kinds k USING (kind) GROUP BY k.name ORDER BY k.name"
}
counts_bt() { # TRACE -> same, from the babeltrace2 command-line tool
    $T babeltrace2 "$1" | sed -n 's/^[^ ]* ([^)]*) [^ ]* dlsync:\([a-z_]*\): .*/\1/p' | sort | uniq -c |
        awk '{print $2 "|" $1}'
}

# ---- the correct protocol: check is clean ---------------------------------
# ok_clean NAME RUN-ARGS...: record a correct run, ingest it, check is clean.
ok_clean() {
    local name=$1
    shift
    record "$name" "$@"
    if [ "$(cat "$WORK/$name.rc")" != 0 ]; then
        fail "$name record" "run exited $(cat "$WORK/$name.rc")"
        return
    fi
    $T "$REPLAY" ingest -q "$WORK/$name" >/dev/null 2>"$WORK/$name.ingest" ||
        { fail "$name ingest" "$(head -c 300 "$WORK/$name.ingest")"; return; }
    $T "$REPLAY" check "$WORK/$name/dlsync.db" >"$WORK/$name.check" 2>&1
    expect "$name check clean" 0 $? "$(sed -n 2,3p "$WORK/$name.check" | head -c 400)"
}
for scn in mixed spawn-storm checkpoint-dl sleepers; do
    for seed in $(seq 1 "$SEEDS"); do
        ok_clean "ok-$scn-$seed" --scenario "$scn" --seed "$seed"
    done
done
# ... and over more seeds, in every built-in scenario (the variants' ones too),
# with the options the variants below are run with.
MORE=${REPLAY_MORE_SEEDS:-4}
for scn in $("$DLSYNC" run --list-scenarios); do
    for seed in $(seq 11 $((10 + MORE))); do
        ok_clean "more-$scn-$seed" --scenario "$scn" --seed "$seed" --ops 60 --groups 6 --timeout 5
        rm -rf "${WORK:?}/more-$scn-$seed"
    done
done

# ---- event counts equal babeltrace2's --------------------------------------
for name in ok-mixed-1 ok-spawn-storm-1 ok-checkpoint-dl-1; do
    [ -f "$WORK/$name/dlsync.db" ] || continue
    if [ "$(counts_db "$WORK/$name/dlsync.db")" = "$(counts_bt "$WORK/$name")" ]; then
        pass "$name counts = babeltrace2"
    else
        fail "$name counts = babeltrace2" "$(diff <(counts_db "$WORK/$name/dlsync.db") <(counts_bt "$WORK/$name") | head -5)"
    fi
    # and the run's own per-kind counts (run_end), none discarded
    bad=$(sqlite3 "$WORK/$name/dlsync.db" "SELECT count(*) FROM run_counts WHERE emitted IS NOT NULL AND emitted != ingested")
    [ "$bad" = 0 ] && pass "$name counts = run_end" || fail "$name counts = run_end" "$bad kinds differ"
done

# ---- ingest twice: no duplicates -------------------------------------------
name=ok-mixed-1
db=$WORK/$name/dlsync.db
if [ -f "$db" ]; then
    before=$(sqlite3 "$db" "SELECT count(*) FROM runs; SELECT count(*) FROM events; SELECT count(*) FROM holds")
    $T "$REPLAY" ingest -q "$WORK/$name" >/dev/null 2>&1
    after=$(sqlite3 "$db" "SELECT count(*) FROM runs; SELECT count(*) FROM events; SELECT count(*) FROM holds")
    [ "$before" = "$after" ] && pass "ingest twice: no duplicates" || fail "ingest twice" "$before vs $after"
    # into a shared database holding another run: replaced in place
    shared=$WORK/shared.db
    $T "$REPLAY" ingest -q -d "$shared" "$WORK/ok-sleepers-1" >/dev/null 2>&1
    $T "$REPLAY" ingest -q -d "$shared" "$WORK/$name" >/dev/null 2>&1
    $T "$REPLAY" ingest -q -d "$shared" "$WORK/$name" >/dev/null 2>&1
    runs=$(sqlite3 "$shared" "SELECT count(*) FROM runs")
    dup=$(sqlite3 "$shared" "SELECT count(*) - count(DISTINCT trace_path) FROM runs")
    [ "$runs" = 2 ] && [ "$dup" = 0 ] && pass "shared database: two runs, no duplicates" ||
        fail "shared database" "runs=$runs dup=$dup"
    # state: text, JSON, by seq and by time
    $T "$REPLAY" state "$db" --at 200 >"$WORK/state.txt" 2>&1 && grep -q '^lease:' "$WORK/state.txt" &&
        pass "state --at SEQ" || fail "state --at SEQ" "$(head -3 "$WORK/state.txt")"
    $T "$REPLAY" state "$db" --at 0.5ms --json | python3 -m json.tool >/dev/null 2>&1 &&
        pass "state --at TIME --json" || fail "state --at TIME --json"
    a=$($T "$REPLAY" state "$db" --at 300); b=$($T "$REPLAY" state "$db" --at 300)
    [ "$a" = "$b" ] && pass "state output is stable" || fail "state output is stable"
fi

# ---- hanging and erroring variants: check names what the watchdog named ----
# Every buggy variant, each in the scenario its story names (`dlsync run
# --variant NAME --help`).  A variant need not manifest with every seed:
# record_until tries a few seeds, in order, until the run hangs (3), diverges
# (4) or fails (5); one that never does is a failure of its own.  check is then
# compared with the run's own watchdog on stderr, never with the variant name.
VSEEDS=${REPLAY_VARIANT_SEEDS:-1 2 3 4 5 6 7 8 9 10}
# record_until NAME RUN-ARGS...: NAME.seed holds the seed that manifested.
record_until() {
    local name=$1 s
    shift
    for s in $VSEEDS; do
        rm -rf "${WORK:?}/$name"
        record "$name" "$@" --seed "$s"
        echo "$s" >"$WORK/$name.seed"
        case $(cat "$WORK/$name.rc") in 3 | 4 | 5) return 0 ;; esac
    done
    fail "$name manifests" "exit $(cat "$WORK/$name.rc") with every seed of $VSEEDS"
    rm -rf "${WORK:?}/$name"
    return 1
}
# variant_check NAME: every thread the watchdog listed is named by check, and
# each wait it printed is told by check in the same words.
variant_check() {
    local name=$1 out=$WORK/$1.check
    [ -d "$WORK/$name" ] || return # did not manifest: failed in record_until
    $T "$REPLAY" ingest -q "$WORK/$name" >/dev/null 2>"$WORK/$name.ingest" ||
        { fail "$name ingest" "$(head -c 300 "$WORK/$name.ingest")"; return; }
    $T "$REPLAY" check "$WORK/$name/dlsync.db" >"$out" 2>&1
    local rc=$?
    # check's verdict is the code the run gave for the same failure; a
    # divergence (4) it cannot see, and a broken invariant (5) ranks above a
    # hang.
    local run_rc want
    run_rc=$(cat "$WORK/$name.rc")
    want=$run_rc
    [ "$run_rc" = "$EX_DIVERGED" ] || [ "$rc" = "$EX_PROTOCOL" ] && want=$rc
    if [ "$rc" != 0 ] && is_verdict "$rc"; then
        expect "$name check reports (seed $(cat "$WORK/$name.seed"), run exit $run_rc)" "$want" "$rc"
    else
        fail "$name check reports (seed $(cat "$WORK/$name.seed"), run exit $run_rc)" "exit $rc"
    fi
    local missing="" threads=0 ep c o
    while read -r thread what; do
        threads=$((threads + 1))
        grep -q "$thread\b" "$out" || missing="$missing $thread(not named)"
        case "$what" in
        "blocked in lock(group mutex)"*)
            grep -q "$thread blocks in lock(group-[0-9]* mutex)" "$out" ||
                missing="$missing $thread(group mutex)" ;;
        "blocked in "*)
            # read(state lock), write(state lock), lock(process mutex), receive(barrier bus), ...
            o=$(echo "$what" | sed 's/^blocked in \([^)]*)\).*/\1/')
            grep -qF "$thread blocks in $o" "$out" || missing="$missing $thread($o)" ;;
        *"waiting at the barrier, epoch"*)
            ep=$(echo "$what" | sed -n 's/.*epoch \([0-9]*\) phase \([0-9]*\).*/epoch \1 phase \2/p')
            grep -q "$thread waits at $ep" "$out" || missing="$missing $thread($ep)" ;;
        *sleeping*) grep -q "$thread sleeps" "$out" || missing="$missing $thread(sleeps)" ;;
        *"in a guest wait"*)
            grep -q "$thread is in a guest wait" "$out" || missing="$missing $thread(guest wait)" ;;
        *"retrying try-lease"*)
            grep -q "$thread retries try-lease" "$out" || missing="$missing $thread(lease)" ;;
        *"retrying try-write"*)
            grep -qF "$thread retries try-write(state lock)" "$out" || missing="$missing $thread(try-write)" ;;
        *"frozen at a checkpoint"*)
            grep -q "$thread is frozen at a checkpoint" "$out" || missing="$missing $thread(checkpoint)" ;;
        *"waiting for child"*)
            c=$(echo "$what" | sed -n 's/.*child \(group-[0-9]*\).*/\1/p')
            grep -q "$thread waits for its child $c" "$out" || missing="$missing $thread(child $c)" ;;
        esac
    done < <(sed -n 's/^  \(group-[0-9]*\) ([a-z]*): \(.*\)/\1 \2/p' "$WORK/$name.err")
    if grep -q "protocol error in" "$WORK/$name.err"; then
        threads=$((threads + 1))
        who=$(sed -n 's/.*protocol error in \(group-[0-9]*\).*/\1/p' "$WORK/$name.err")
        grep -q "I4 \[$who\]" "$out" || missing="$missing $who(I4)"
        grep -q "barrier bus" "$out" || missing="$missing (barrier bus)"
    fi
    [ $threads -gt 0 ] || missing="$missing (the watchdog named nobody)"
    [ -z "$missing" ] && pass "$name check matches the watchdog" ||
        fail "$name check matches the watchdog" "$missing; see $(head -c 600 "$out")"
}
# watchdog NAME WAIT: the threads the watchdog saw in WAIT (a fixed string).
watchdog() { grep -F "$2" "$WORK/$1.err" 2>/dev/null | sed -n 's/^  \(group-[0-9]*\) .*/\1/p'; }
# has NAME LABEL PATTERN: check's output for NAME matches the grep PATTERN.
has() {
    if grep -q "$3" "$WORK/$1.check" 2>/dev/null; then pass "$1: $2"; else fail "$1: $2" "no /$3/"; fi
}
record_until v-exit-subscribed --variant exit-subscribed --scenario spawn-storm --timeout 2
record_until v-naive-write --variant naive-write --scenario mixed --ops 300 --groups 6 --timeout 2
record_until v-lost-wakeup --variant lost-wakeup --scenario sleepers --timeout 2
record_until v-lease-after-write --variant lease-after-write --scenario steady-dl --timeout 2
record_until v-no-self-drain --variant no-self-drain --scenario steady-dl
VOPTS=(--ops 60 --groups 6 --timeout 2)
record_until v-blocking-read --variant blocking-read --scenario mixed "${VOPTS[@]}"
record_until v-relaxed-wake --variant relaxed-wake --scenario sleepers "${VOPTS[@]}"
record_until v-no-phase2 --variant no-phase2 --scenario steady-dl "${VOPTS[@]}"
record_until v-guest-wait --variant guest-wait --scenario guest-waiters "${VOPTS[@]}"
record_until v-early-lease-release --variant early-lease-release --scenario steady-dl "${VOPTS[@]}"
for v in exit-subscribed naive-write lost-wakeup lease-after-write no-self-drain \
    blocking-read relaxed-wake no-phase2 guest-wait early-lease-release; do
    variant_check v-$v
done
# What each failure is, as check tells it; the threads come from the watchdog.
has v-naive-write "a deadlock cycle" '^deadlock'
has v-lease-after-write "a deadlock cycle" '^deadlock'
has v-exit-subscribed "exited still subscribed" 'without leaving the buses'
has v-lost-wakeup "sleeps unwoken" 'lost wakeup\|never woken'
has v-lease-after-write "lock-order" '^lock-order'
has v-blocking-read "a deadlock cycle" '^deadlock'
for t in $(watchdog v-blocking-read "blocked in read(state lock)"); do
    has v-blocking-read "I3: $t's blocking read" "^I3 \[$t\]"
done
has v-blocking-read "lock-order: the blocking read" \
    'blocks in read(state lock) (seq [0-9]*), which waits for the write lock'
has v-relaxed-wake "I8: a relaxed load on the woken path" '^I8 '
has v-relaxed-wake "I8 tells the load" 'woken by the signal (syscall entry at seq [0-9]*), loads the pending flag with a relaxed load'
for t in $(watchdog v-relaxed-wake "blocked in receive(barrier bus)"); do
    has v-relaxed-wake "$t: no epoch sends, a flag load sent it there" \
        "$t blocks in receive(barrier bus).*no epoch sends on it.*flag load"
done
has v-no-phase2 "a deadlock cycle" '^deadlock'
has v-no-phase2 "I7: a writer while a follower applies" '^I7 '
for t in $(watchdog v-guest-wait "in a guest wait"); do
    has v-guest-wait "$t never arrives" "$t is in a guest wait.*never arrives"
done
has v-early-lease-release "a deadlock cycle" '^deadlock'
has v-early-lease-release "I2: the lease released before the write lock" '^I2 '
has v-early-lease-release "I2 tells the release" \
    'releases lease [0-9]* (seq [0-9]*) while it still holds the state lock for write'
n=$(sqlite3 "$WORK/v-naive-write/dlsync.db" "SELECT count(*) FROM findings")
[ "$n" -gt 0 ] && pass "findings stored" || fail "findings stored"
$T "$REPLAY" check "$WORK/v-naive-write/dlsync.db" >/dev/null 2>&1
m=$(sqlite3 "$WORK/v-naive-write/dlsync.db" "SELECT count(*) FROM findings")
[ "$n" = "$m" ] && pass "findings replaced, not added" || fail "findings replaced" "$n then $m"

# ---- bad input ---------------------------------------------------------------
src=$WORK/ok-mixed-1
bad() { # NAME WANT-STATUS DIR [ingest options]
    local name=$1 want=$2 dir=$3
    shift 3
    $T "$REPLAY" ingest -q "$@" "$dir" >"$WORK/bad.out" 2>"$WORK/bad.err"
    local rc=$?
    if [ $rc = "$want" ] && [ -s "$WORK/bad.err" ]; then
        pass "$name (exit $rc: $(head -c 120 "$WORK/bad.err"))"
    else
        fail "$name" "exit $rc, wanted $want: $(head -c 300 "$WORK/bad.err")"
    fi
}
mkdir -p "$WORK/empty" "$WORK/notctf/sub"
echo hello >"$WORK/notctf/sub/readme.txt"
bad "empty directory" "$EX_NO_INPUT" "$WORK/empty"
bad "non-CTF directory" "$EX_NO_INPUT" "$WORK/notctf"
bad "missing directory" "$EX_NO_INPUT" "$WORK/nonexistent"
# (traces damaged on disk: tests/replay/badinput.sh)
printf '[    1.000000] hello\n[    2.000000] world\n' >"$WORK/dmesg.txt"
$T babeltrace2 -c source.text.dmesg -p "path=\"$WORK/dmesg.txt\"" -c sink.ctf.fs -p "path=\"$WORK/foreign\"" >/dev/null 2>&1
bad "another provider's trace" "$EX_CORRUPT" "$WORK/foreign"
bad "unwritable database" "$EX_OUTPUT" "$src" -d /proc/dlsync-test.db
bad "database is a directory" "$EX_OUTPUT" "$src" -d "$WORK/empty"
echo "not a database, just text" >"$WORK/text.db"
bad "not a dlsync database" "$EX_OUTPUT" "$src" -d "$WORK/text.db"

# locked: another process holds the write lock
locked=$WORK/locked.db
cp "$src/dlsync.db" "$locked"
before=$(sqlite3 "$locked" "SELECT count(*) FROM events")
# The holder keeps its transaction open while its stdin stays open.
(echo "BEGIN EXCLUSIVE; SELECT count(*) FROM runs;"; sleep 60) | sqlite3 "$locked" >/dev/null &
holder=$!
# Wait (bounded, 10 s) until the lock is really held: a write then fails busy.
for i in $(seq 200); do
    sqlite3 "$locked" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
    sleep 0.05
done
bad "locked database" "$EX_OUTPUT" "$WORK/ok-sleepers-1" -d "$locked" --busy-timeout 300
kill $holder 2>/dev/null
wait $holder 2>/dev/null
after=$(sqlite3 "$locked" "SELECT count(*) FROM events")
[ "$before" = "$after" ] && pass "locked database unchanged" || fail "locked database unchanged"

# ---- interrupted ingests leave the database as it was ------------------------
record big --scenario closure-churn --ops 20000 --groups 8 --quiet
big=$WORK/big
# disk full (tmpfs of 400 KiB), if we may mount
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=400k tmpfs "$WORK/full" 2>/dev/null; then
    bad "disk full" "$EX_DISK_FULL" "$big" -d "$WORK/full/x.db"
    left=$(ls -A "$WORK/full")
    [ -z "$left" ] && pass "disk full: nothing left behind" || fail "disk full: nothing left behind" "$left"
    umount "$WORK/full"
else
    echo "SKIP disk full (cannot mount a tmpfs)"
fi

snap() { sqlite3 "$1" "SELECT run_id, trace_path, events FROM runs ORDER BY run_id; SELECT count(*) FROM events; PRAGMA integrity_check"; }
# (no timeout wrapper here: the signal must reach the ingest itself; each
# one is killed or interrupted below, and waited for with a bound)
waitfor() { # PID: wait at most 60 s, then kill -9
    local i
    for i in $(seq 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null
    wait "$1"
}
# kill -9 into a new database: no database at all afterwards
"$REPLAY" ingest -q --no-progress -d "$WORK/k9new.db" "$big" >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -9 $pid 2>/dev/null
waitfor $pid 2>/dev/null
[ ! -e "$WORK/k9new.db" ] && pass "kill -9 (new database): none created" || fail "kill -9 (new database): none created"
# kill -9 while merging into a database that holds another run
k9=$WORK/k9.db
cp "$src/dlsync.db" "$k9"
before=$(snap "$k9")
"$REPLAY" ingest -q --no-progress -d "$k9" "$big" >/dev/null 2>&1 &
pid=$!
sleep 0.6
kill -9 $pid 2>/dev/null
waitfor $pid 2>/dev/null
after=$(snap "$k9")
[ "$before" = "$after" ] && pass "kill -9 (existing database): unchanged" || fail "kill -9 (existing database): unchanged" "$after"
# SIGINT and SIGTERM: clean stop, exit 9, unchanged
for sig in INT TERM; do
    "$REPLAY" ingest -q --no-progress -d "$k9" "$big" >/dev/null 2>"$WORK/sig.err" &
    pid=$!
    sleep 0.5
    kill -$sig $pid 2>/dev/null
    waitfor $pid
    rc=$?
    after=$(snap "$k9")
    [ $rc = "$EX_INTERRUPTED" ] && [ "$before" = "$after" ] && pass "SIG$sig: exit $EX_INTERRUPTED, unchanged" ||
        fail "SIG$sig: exit $EX_INTERRUPTED, unchanged" "exit $rc $(head -c 200 "$WORK/sig.err")"
done
# and a later ingest removes the killed one's temp file
$T "$REPLAY" ingest -q -d "$WORK/k9new.db" "$WORK/ok-sleepers-1" >/dev/null 2>&1
left=$(ls -A "$WORK" | grep -c '\.ingest-.*\.tmp')
[ "$left" = 0 ] && pass "stale temp files removed" || fail "stale temp files removed" "$left left"

echo "replay tests: $failures failure(s)"
[ $failures = 0 ]
