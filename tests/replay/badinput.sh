#!/bin/bash
# tests/replay/badinput.sh ROOT — `dlsync ingest` on whatever a file system can
# hand it: each case is a small recorded trace changed with one dd, truncate
# or rm.  For each: the documented exit code, a message naming the file and
# the cause, no temp file (.NAME.ingest-PID.tmp) left, and an existing
# database byte-identical before and after.  Then several traces with one bad
# (no hang), the reader's own guards (a looping libbabeltrace2: the deadline
# and SIGTERM; a reader killed by a signal), and a plain LTTng session with
# two processes (one run each).
# Needs: babeltrace2, sqlite3, python3 (inotify through ctypes), lttng.
set -u
ROOT=$(cd "${1:-.}" && pwd)
D=$ROOT/bin/dlsync
. "$ROOT/tests/lib.sh"
W=$(mktemp -d /tmp/dlsync-badinput.XXXXXX)
T="timeout -s KILL 60"
trap 'rm -rf "$W"' EXIT
S=ust/uid/0/64-bit # where `dlsync record` puts the CTF streams

$T "$D" record -o "$W/good" -- --scenario mixed --seed 1 --quiet >/dev/null 2>&1 ||
    { fail "record a trace" "dlsync record failed"; summary badinput; exit 1; }
# An existing database, with a run of another trace in it.
$T "$D" ingest -q -d "$W/existing.db" "$W/good" >/dev/null 2>&1
cp -r "$W/good" "$W/other"
rm -f "$W/other/dlsync.db"
sum=$(sha256sum <"$W/existing.db")
# the stream file damaged below: the largest (a CPU's stream may hold no packet)
ST=$(basename "$(ls -S "$W/good/$S"/dlsync_* | head -1)")

# copy NAME: a fresh copy of the good trace in $W/NAME; prints its CTF directory.
copy() {
    rm -rf "${W:?}/$1"
    cp -r "$W/good" "$W/$1"
    rm -f "$W/$1/dlsync.db"
    echo "$W/$1/$S"
}

# untouched NAME: the existing database is byte-identical, no temp file left.
untouched() {
    [ "$(sha256sum <"$W/existing.db")" = "$sum" ] && pass "$1: database unchanged" ||
        fail "$1: database unchanged" "existing.db differs"
    local left
    left=$(find "$W" -name '.*.ingest-*.tmp*' | head -3)
    [ -z "$left" ] && pass "$1: no temp file left" || fail "$1: no temp file left" "$left"
}

# bad NAME WANT FILE CAUSE DIR [ingest options]: ingest DIR into the existing
# database; exit WANT, stderr names FILE and says CAUSE (grep -E).
bad() {
    local name=$1 want=$2 file=$3 cause=$4 dir=$5
    shift 5
    $T "$D" ingest -q --no-progress -d "$W/existing.db" "$@" "$dir" >/dev/null 2>"$W/err"
    local rc=$?
    if [ $rc = "$want" ]; then pass "$name: exit $want"; else
        fail "$name: exit $want" "exit $rc: $(head -c 300 "$W/err")"
    fi
    grep -qF "$file" "$W/err" && grep -qE "$cause" "$W/err" && pass "$name: message names $(basename "$file") and the cause" ||
        fail "$name: message names $file and /$cause/" "$(head -c 300 "$W/err")"
    untouched "$name"
}

# ---- what the checks before libbabeltrace2 catch -----------------------------------
c=$(copy meta-trunc)
truncate -s 20000 "$c/metadata" # mid-packet: libbabeltrace2 itself would loop
bad "truncated metadata" "$EX_CORRUPT" "$c/metadata" "truncated" "$W/meta-trunc"
c=$(copy meta-text)
printf 'this is not TSDL at all {{{' | dd of="$c/metadata" bs=1 seek=300 conv=notrunc 2>/dev/null
bad "damaged metadata text" "$EX_CORRUPT" "$c" "metadata" "$W/meta-text"
c=$(copy magic)
printf '\x00' | dd of="$c/$ST" bs=1 seek=0 conv=notrunc 2>/dev/null
bad "corrupt packet magic" "$EX_CORRUPT" "$c/$ST" "magic" "$W/magic"
c=$(copy streamid)
printf '\x07' | dd of="$c/$ST" bs=1 seek=20 conv=notrunc 2>/dev/null
bad "corrupt stream id" "$EX_CORRUPT" "$c/$ST" "stream id 7" "$W/streamid"
c=$(copy psize)
printf '\x07' | dd of="$c/$ST" bs=1 seek=60 conv=notrunc 2>/dev/null
bad "corrupt packet size" "$EX_CORRUPT" "$c/$ST" "packet [0-9]+ bits" "$W/psize"
c=$(copy trunc)
truncate -s $(($(stat -c %s "$c/$ST") / 2)) "$c/$ST"
bad "truncated stream file" "$EX_CORRUPT" "$c/$ST" "truncated" "$W/trunc"
c=$(copy longer)
truncate -s +20000 "$c/$ST" # zeros after the last packet
bad "stream file with zeros after its packets" "$EX_CORRUPT" "$c/$ST" "not a packet" "$W/longer"
c=$(copy idx)
truncate -s 20 "$c/index/$ST.idx"
bad "truncated index" "$EX_CORRUPT" "$c/index/$ST.idx" "index" "$W/idx"
c=$(copy empty)
: >"$c/$ST"
bad "emptied stream" "$EX_CORRUPT" "$c/$ST" "empty but its index lists [0-9]+ packet" "$W/empty"
c=$(copy missing)
rm "$c/$ST"
bad "missing stream" "$EX_CORRUPT" "$c/$ST" "missing but its index lists [0-9]+ packet" "$W/missing"

# --partial: a missing stream is a recorded gap, said on stderr (the smallest
# stream goes: the largest keeps the run's events)
SM=$(basename "$(ls -S "$W/good/$S"/dlsync_* | tail -1)")
c=$(copy partial)
rm "$c/$SM"
$T "$D" ingest -q --no-progress --partial "$W/partial" >/dev/null 2>"$W/err"
rc=$?
[ $rc = 0 ] && pass "missing stream --partial: exit 0" || fail "missing stream --partial: exit 0" "exit $rc: $(head -c 300 "$W/err")"
gaps=$(sqlite3 "$W/partial/dlsync.db" "SELECT count(*) FROM discarded WHERE count = 0 AND beg_ts < end_ts" 2>&1)
[ "$gaps" = 1 ] && pass "missing stream --partial: a gap recorded" || fail "missing stream --partial: a gap recorded" "$gaps"
grep -q "$SM is missing or empty" "$W/err" && pass "missing stream --partial: stderr tells the gap" ||
    fail "missing stream --partial: stderr tells the gap" "$(head -c 300 "$W/err")"

# ---- an event field out of range: rev_check in the reader ----------------------------
# dlsync's events: header id (u16) and timestamp (u32), context vtid, vpid (s32)
# and procname (17 bytes), then the payload, `group` (s64) first.  Overwrite
# the group of the first lock_acquired (id 7) with 99999999.
c=$(copy field)
vpid=$(sqlite3 "$W/existing.db" "SELECT vpid FROM runs")
pos=$(python3 - "$c/$ST" "$vpid" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
key = struct.pack("<i", int(sys.argv[2]))
at = data.find(key)
while at >= 0:
    if at >= 10 and struct.unpack_from("<H", data, at - 10)[0] == 7:
        print(at + 4 + 17)
        break
    at = data.find(key, at + 1)
EOF
)
if [ -n "$pos" ]; then
    python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<q", 99999999))' |
        dd of="$c/$ST" bs=1 seek="$pos" conv=notrunc 2>/dev/null
    bad "group out of range" "$EX_CORRUPT" "$c" "event [0-9]+ \(lock_acquired\): group = 99999999 is outside -1\.\.[0-9]+: corrupt trace" "$W/field"
    # The same event made a lock_busy (id 8, the same fields): the trace then
    # lacks one lock_acquired of run_end's count, with nothing discarded.
    c=$(copy short)
    printf '\x08' | dd of="$c/$ST" bs=1 seek=$((pos - 4 - 17 - 10)) conv=notrunc 2>/dev/null
    $T "$D" ingest -q --no-progress "$W/short" >/dev/null 2>"$W/err"
    rc=$?
    want=$(sqlite3 "$W/existing.db" "SELECT emitted FROM run_counts c JOIN kinds k USING (kind) WHERE k.name = 'lock_acquired'")
    [ $rc = 0 ] && grep -q "the trace lacks 1 of $want lock_acquired events .*nothing was reported lost" "$W/err" &&
        pass "a kind short of run_end's count: said on stderr" ||
        fail "a kind short of run_end's count: said on stderr" "exit $rc: $(head -c 300 "$W/err")"
else
    fail "group out of range" "no lock_acquired event found in $c/$ST"
fi

# ---- a packet cut out of a stream (and out of its index): libbabeltrace2 sees
# the gap in the packet sequence numbers, a discarded-packets message ---------
$T "$D" record -o "$W/packets" --buffer-mib 1 -- --scenario mixed --seed 1 --ops 400 --quiet \
    >/dev/null 2>&1
rm -f "$W/packets/dlsync.db"
big=$(ls -S "$W/packets/$S"/dlsync_* | head -1)
cut=$(python3 - "$big" "$(dirname "$big")/index/$(basename "$big").idx" <<'EOF'
import struct, sys
stream, index = sys.argv[1], sys.argv[2]
data = open(stream, "rb").read()
idx = open(index, "rb").read()
elen = struct.unpack(">I", idx[12:16])[0]
entries = [bytearray(idx[16 + i * elen:16 + (i + 1) * elen]) for i in range((len(idx) - 16) // elen)]
if len(entries) >= 3:
    k = len(entries) // 2
    off, bits = struct.unpack(">QQ", entries[k][:16])
    data = data[:off] + data[off + bits // 8:]
    del entries[k]
    for e in entries[k:]:
        struct.pack_into(">Q", e, 0, struct.unpack(">Q", e[:8])[0] - bits // 8)
    open(stream, "wb").write(data)
    open(index, "wb").write(idx[:16] + b"".join(entries))
    print(k)
EOF
)
if [ -n "$cut" ]; then
    $T "$D" ingest -q --no-progress "$W/packets" >/dev/null 2>"$W/err"
    rc=$?
    rows=$(sqlite3 "$W/packets/dlsync.db" "SELECT count(*) FROM discarded WHERE count = 0" 2>&1)
    [ $rc = 0 ] && [ "$rows" = 1 ] && grep -q "lost 1 packet(s) of a stream" "$W/err" &&
        grep -q "the trace lacks [0-9]* of [0-9]* .*: the gaps above" "$W/err" &&
        pass "a packet cut out: a gap recorded, the short kinds said" ||
        fail "a packet cut out: a gap recorded, the short kinds said" "exit $rc, $rows rows: $(head -c 300 "$W/err")"
else
    fail "a packet cut out" "$big has fewer than 3 packets"
fi

# ---- several traces, one bad: stop at the first failure, name it, no hang ------------
mkdir -p "$W/several"
cp -r "$W/good" "$W/several/a"
cp -r "$W/magic" "$W/several/b"
cp -r "$W/good" "$W/several/c"
rm -f "$W"/several/*/dlsync.db
bad "several traces, one bad (checked)" "$EX_CORRUPT" "$W/several/b/$S/$ST" "magic" "$W/several"
# the same with the checks off, so that the reader itself fails on b
rm -rf "$W/several/b"
c=$(copy several-psize)
printf '\x07' | dd of="$c/$ST" bs=1 seek=60 conv=notrunc 2>/dev/null
mv "$W/several-psize" "$W/several/b"
DLSYNC_INGEST_UNCHECKED=1 bad "several traces, one bad (reader)" "$EX_CORRUPT" "$W/several/b/$S" "corrupt" "$W/several"

# ---- the reader's own guards: a libbabeltrace2 that loops ----------------------------
# (DLSYNC_INGEST_UNCHECKED=1 hands it a metadata packet cut short, on which it
# loops forever.)
c=$(copy loop)
truncate -s 20000 "$c/metadata"
DLSYNC_INGEST_STALL_S=1 DLSYNC_INGEST_UNCHECKED=1 \
    bad "looping reader: the deadline" "$EX_CORRUPT" "$c" "made no progress for 1 s" "$W/loop"

# watch_open FILE: wait until a process opens FILE (inotify IN_OPEN), at most
# 60 s.  Returns once the watch is in place; `wait $watcher` then waits for
# the open.
watch_open() {
    rm -f "$W/ready"
    mkfifo "$W/ready"
    timeout 60 python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init()
if fd < 0 or libc.inotify_add_watch(fd, sys.argv[1].encode(), 0x20) < 0:
    sys.exit(1)
with open(sys.argv[2], "w") as f:
    f.write("watching\n")
os.read(fd, 4096)' "$1" "$W/ready" &
    watcher=$!
    exec 5<>"$W/ready"
    read -r -t 30 -u 5 _
    exec 5>&-
}
# start_looping: an ingest of the looping trace into the existing database,
# returned once its reader (the only one to open the metadata) has started.
start_looping() {
    watch_open "$c/metadata"
    DLSYNC_INGEST_UNCHECKED=1 $T "$D" ingest -q --no-progress -d "$W/existing.db" "$W/loop" \
        >/dev/null 2>"$W/err" &
    ingest=$!
    wait $watcher
}
for sig in TERM INT; do
    start_looping
    kill -$sig $ingest # to timeout, which hands it on
    wait $ingest
    rc=$?
    [ $rc = "$EX_INTERRUPTED" ] && grep -q "interrupted by signal" "$W/err" && pass "SIG$sig while the reader loops: exit $EX_INTERRUPTED" ||
        fail "SIG$sig while the reader loops: exit $EX_INTERRUPTED" "exit $rc: $(head -c 300 "$W/err")"
    untouched "SIG$sig while the reader loops"
done
start_looping
reader=$(pgrep -P "$(pgrep -P $ingest)")
kill -ABRT $reader
wait $ingest
rc=$?
[ $rc = "$EX_CORRUPT" ] && grep -q "libbabeltrace2 aborted" "$W/err" && grep -qF "$c" "$W/err" &&
    pass "reader killed by SIGABRT: exit $EX_CORRUPT, names the trace" ||
    fail "reader killed by SIGABRT: exit $EX_CORRUPT, names the trace" "exit $rc: $(head -c 300 "$W/err")"
untouched "reader killed by SIGABRT"

# ---- SIGTERM while waiting for a lock: another connection holds the database -----
# hold MODE: a sqlite3 shell holds existing.db (BEGIN MODE and a read) until
# release; returns once it holds it.
hold() {
    rm -f "$W/sql.in" "$W/sql.out"
    mkfifo "$W/sql.in" "$W/sql.out"
    timeout 120 sqlite3 "$W/existing.db" <"$W/sql.in" >"$W/sql.out" 2>&1 &
    holder=$!
    exec 6>"$W/sql.in" 7<"$W/sql.out"
    echo "BEGIN $1; SELECT 'held', count(*) FROM runs;" >&6
    read -r -t 30 -u 7 _
}
release() {
    echo "ROLLBACK;" >&6
    exec 6>&- 7<&-
    wait $holder
}
# lockwait NAME MODE TRACE: ingest TRACE into the held database with a busy
# timeout of an hour; SIGTERM once it has begun (it opened TRACE's metadata).
lockwait() {
    hold "$2"
    watch_open "$3/$S/metadata"
    $T "$D" ingest -q --no-progress --busy-timeout 3600000 -d "$W/existing.db" "$3" \
        >/dev/null 2>"$W/err" &
    ingest=$!
    wait $watcher
    kill -TERM $ingest
    wait $ingest
    rc=$?
    release
    [ $rc = "$EX_INTERRUPTED" ] && pass "$1: SIGTERM: exit $EX_INTERRUPTED" || fail "$1: SIGTERM: exit $EX_INTERRUPTED" "exit $rc: $(head -c 300 "$W/err")"
    untouched "$1"
}
# EXCLUSIVE: the ingest waits to open the database
lockwait "waiting to open a locked database" EXCLUSIVE "$W/other"
# a reader's SHARED lock: the ingest (in place: the database holds another
# trace's run) writes, then waits to commit
lockwait "waiting to commit past a reader" DEFERRED "$W/other"

# ---- one run per process: a plain LTTng session with two producers ------------------
# Per-UID buffers put both processes' events in the same stream files; they
# differ by the vpid context.  The session tracks the two runs' pids only (any
# other traced dlsync of this user would join it): each run waits on a FIFO
# until it is tracked, then execs (same pid).
started=""
if ! lttng list >/dev/null 2>&1; then
    lttng-sessiond --daemonize --no-kernel >/dev/null 2>&1 && started=1
fi
sess=dlsync-badinput-$$
rm -f "$W/go"
mkfifo "$W/go"
pids=""
for seed in 3 4; do
    # (bounded: the wait by read -t, the run by its watchdog, --timeout)
    DLSYNC_TRACE=1 DLSYNC_TP_SO=$ROOT/bin/libdlsync-tp.so bash -c \
        'exec 3<>"$1"; read -r -t 60 -u 3 _ || exit 1
         exec "$2" run --scenario mixed --seed "$3" --sched os --timeout 20' \
        _ "$W/go" "$D" $seed >"$W/two-$seed.out" 2>&1 &
    pids="$pids${pids:+,}$!"
done
if $T lttng create "$sess" --output "$W/two" >/dev/null 2>&1; then
    $T lttng enable-event -u -s "$sess" 'dlsync:*' >/dev/null &&
        $T lttng add-context -u -s "$sess" -t vpid -t vtid -t procname >/dev/null &&
        $T lttng track -u -s "$sess" --vpid="$pids" >/dev/null &&
        $T lttng start "$sess" >/dev/null
    printf 'go\ngo\n' >"$W/go" # one line for each run
    wait
    $T lttng stop "$sess" >/dev/null 2>&1
    $T lttng destroy "$sess" >/dev/null 2>&1
    $T "$D" ingest -q --no-progress "$W/two" >/dev/null 2>"$W/err"
    rc=$?
    [ $rc = 0 ] && pass "two processes: ingested" || fail "two processes: ingested" "exit $rc: $(head -c 300 "$W/err")"
    db=$W/two/dlsync.db
    runs=$(sqlite3 "$db" "SELECT count(DISTINCT vpid) FROM runs WHERE vpid IS NOT NULL" 2>&1)
    [ "$runs" = 2 ] && pass "two processes: two runs, by vpid" || fail "two processes: two runs, by vpid" "$runs"
    short=$(sqlite3 "$db" "SELECT count(*) FROM run_counts WHERE emitted IS NOT NULL AND emitted != ingested" 2>&1)
    [ "$short" = 0 ] && pass "two processes: each run's counts = its run_end's" ||
        fail "two processes: each run's counts = its run_end's" "$short kinds differ"
    seeds=$(sqlite3 "$db" "SELECT group_concat(seed) FROM (SELECT seed FROM runs ORDER BY seed)")
    [ "$seeds" = "3,4" ] && pass "two processes: one run per process's run_begin" || fail "two processes: seeds" "$seeds"
    for id in $(sqlite3 "$db" "SELECT run_id FROM runs"); do
        $T "$D" check "$db" --run "$id" >"$W/check" 2>&1
        rc=$?
        [ $rc = 0 ] && pass "two processes: run $id checks clean" ||
            fail "two processes: run $id checks clean" "exit $rc: $(head -c 300 "$W/check")"
    done
    # contiguous seq ranges that do not overlap
    bad_ranges=$(sqlite3 "$db" "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM events e
        WHERE e.seq BETWEEN r.first_seq AND r.last_seq AND e.run_id != r.run_id) > 0
        OR r.last_seq - r.first_seq + 1 != r.events")
    [ "$bad_ranges" = 0 ] && pass "two processes: each run's events are its seq range" ||
        fail "two processes: each run's events are its seq range" "$bad_ranges runs"
    $T "$D" ingest -q --no-progress "$W/two" >/dev/null 2>&1
    again=$(sqlite3 "$db" "SELECT count(*) FROM runs")
    [ "$again" = 2 ] && pass "two processes: ingested again, still two runs" ||
        fail "two processes: ingested again, still two runs" "$again runs"
else
    printf 'go\ngo\n' >"$W/go"
    wait
    fail "two processes" "lttng create failed"
fi
if [ -n "$started" ]; then
    pid=$(cat /var/run/lttng/lttng-sessiond.pid 2>/dev/null || cat "$HOME/.lttng/lttng-sessiond.pid" 2>/dev/null)
    [ -n "$pid" ] && kill "$pid"
fi

summary badinput
