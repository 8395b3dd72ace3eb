#!/bin/sh
# tests/viz/robust.sh REPO_ROOT — `dlsync draw` and `dlsync replay` on a run
# with many threads: no read of freed memory when a lease handover names a
# thread the layout has no lane for yet (the lane table grows under the
# handing-over thread's lane), every time shown is within the run (ms since
# its first event), and a missing epoch or thread is an error naming it.
# Prints PASS/FAIL lines and the closing count; every command is bounded by
# timeout.  Artefacts: tests/artefacts/viz-robust/.

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir viz-robust 120

# One spawner (group 0) whose children get groups 1..64: its handover to
# group 63 is the first time the layout hears of lane 64, one past the 64
# lanes it starts with.
TR=$W/storm
if $T "$D" record -o "$TR" -- --scenario spawn-storm --groups 1 --ops 160 --seed 1 >"$W/record.log" 2>&1 &&
    $T "$D" ingest "$TR" -d "$W/t.db" --quiet --no-progress >/dev/null 2>&1; then
    pass "record and ingest spawn-storm (1 spawner, 160 ops)"
else
    fail "record and ingest spawn-storm" "see $W/record.log"
    summary viz-robust
    exit 1
fi
DB=$W/t.db
q() { sqlite3 "$DB" "$1"; }
kind() { echo "(SELECT kind FROM kinds WHERE name = '$1')"; }
n=$(q "SELECT count(*) FROM events WHERE kind = $(kind lease_handover) AND grp = 0 AND a = 63")
if [ "$n" -ge 1 ]; then pass "group 0 hands the lease to group 63 (the lane table must grow)"
else fail "group 0 hands the lease to group 63" "no such handover: the test no longer covers the case"; fi

# ---- 1. no read of freed memory (valgrind: the plain build, no rebuild) -----
if command -v valgrind >/dev/null 2>&1; then
    timeout 300 valgrind -q --error-exitcode=66 "$D" draw "$DB" --threads 0 -o "$W/g0.dot" --quiet \
        >"$W/valgrind.log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && ! grep -q 'Invalid read\|Invalid write' "$W/valgrind.log"; then
        pass "draw --threads 0 under valgrind: no invalid read or write"
    else
        fail "draw --threads 0 under valgrind" "exit $rc"
        head -20 "$W/valgrind.log"
    fi
else
    fail "draw under valgrind" "valgrind not installed (scripts/deps.sh installs it)"
fi
expect_exit "draw of the whole run exits 0" 0 $T "$D" draw "$DB" -o "$W/all.svg" --page-rows 100000 --quiet

# ---- 2. every time shown is within the run -----------------------------------
# All "N ms" in a file lie in [0, run length] (3 decimals: half a µs of
# rounding), no time is written in another unit, and in a replay page every
# event's ts (ns since the first event) lies in [0, run length].
LEN=$(q "SELECT max(ts) - min(ts) FROM events")
times_ok() { # FILE: prints what is wrong, exits non-zero if anything is
    python3 - "$1" "$LEN" <<'EOF'
import json, re, sys
path, length = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
bad = []
# (A sleep's request, "sleep up to N ms", is not a time of the run.)
ms = [m.group(2) for m in re.finditer(r"(up to )?((?:-|&#45;|\u2212)?\d+(?:\.\d+)?) ms\b", text)
      if not m.group(1)]
if not ms:
    bad.append("no time shown at all")
for v in ms:
    x = float(v.replace("&#45;", "-").replace("\u2212", "-"))
    if x < 0 or x > length / 1e6 + 0.0005:
        bad.append("%s ms outside [0, %.6f]" % (v, length / 1e6))
if re.search(r"\d (\u00b5s|us|ns|s)\b", text):
    bad.append("a time in another unit than ms: " + re.search(r".{20}\d (\u00b5s|us|ns|s)\b", text).group(0))
m = re.search(r'<script id="data" type="application/json">(.*?)</script>', text, re.S)
if path.endswith(".html"):
    if not m:
        bad.append("no data in the page")
    else:
        for e in json.loads(m.group(1))["ev"]:
            if not 0 <= e[1] <= length:
                bad.append("event seq %d: ts %d outside [0, %d]" % (e[0], e[1], length))
for b in bad[:5]:
    print(b)
print("%d times checked" % len(ms))
sys.exit(1 if bad else 0)
EOF
}
check_times() { # NAME FILE
    if times_ok "$2" >"$W/times.out" 2>&1; then pass "$1 ($(tail -1 "$W/times.out"))"
    else fail "$1" "$(head -3 "$W/times.out" | tr '\n' ';')"; fi
}
check_times "whole-run diagram: every time within the run" "$W/all.svg"
$T "$D" replay "$DB" -o "$W/all.html" >/dev/null 2>&1
check_times "whole-run replay page: every time within the run" "$W/all.html"

# The same on a run with sleeps and wakeups (mixed), whose own length bounds it.
if $T "$D" record -o "$W/mixed" -- --scenario mixed --groups 3 --ops 8 --seed 2 >"$W/record-mixed.log" 2>&1 &&
    $T "$D" ingest "$W/mixed" -d "$W/mixed.db" --quiet --no-progress >/dev/null 2>&1; then
    LEN_STORM=$LEN
    LEN=$(sqlite3 "$W/mixed.db" "SELECT max(ts) - min(ts) FROM events")
    $T "$D" draw "$W/mixed.db" -o "$W/mixed.svg" --page-rows 100000 --quiet
    check_times "mixed run, whole-run diagram: every time within the run" "$W/mixed.svg"
    $T "$D" replay "$W/mixed.db" -o "$W/mixed.html" >/dev/null 2>&1
    check_times "mixed run, whole-run replay page: every time within the run" "$W/mixed.html"
    LEN=$LEN_STORM
else
    fail "record and ingest mixed" "see $W/record-mixed.log"
fi

# A range that starts inside a wait: just after a barrier arrival, so the
# party's departure, inside the range, says how long it waited since before it.
arr=$(q "SELECT seq || ' ' || grp FROM events WHERE kind = $(kind barrier_arrive) ORDER BY seq LIMIT 1")
s=${arr% *} g=${arr#* }
$T "$D" draw "$DB" --from $((s + 1)) --to $((s + 300)) -o "$W/inwait.svg" --page-rows 100000 --quiet
if grep -q 'depart p[12], waited [0-9.]* ms' "$W/inwait.svg"; then
    pass "a range starting inside group-$g's barrier wait (seq $((s + 1))) shows how long it waited"
else fail "a range starting inside a wait shows the wait" "no 'depart p1, waited N ms' label"; fi
check_times "range starting inside a wait: every time within the run" "$W/inwait.svg"
$T "$D" replay "$DB" --from $((s + 1)) --to $((s + 300)) -o "$W/inwait.html" >/dev/null 2>&1
check_times "replay page of that range: every time within the run" "$W/inwait.html"
$T "$D" draw "$DB" --waitfor --at $((s + 1)) -o "$W/waitfor.dot" --quiet
check_times "wait-for graph inside the wait: every time within the run" "$W/waitfor.dot"

# ---- 3. a missing epoch or thread --------------------------------------------
run=$(q "SELECT max(run_id) FROM runs")
$T "$D" draw "$DB" --epoch 999999 -o "$W/x.svg" 2>"$W/epoch.err"
rc=$?
if [ $rc -eq "$EX_NOT_FOUND" ] && grep -q "run $run has no epoch 999999\$" "$W/epoch.err"; then
    pass "--epoch 999999: exit $EX_NOT_FOUND, 'no epoch 999999'"
else fail "--epoch 999999" "exit $rc: $(cat "$W/epoch.err")"; fi
$T "$D" draw "$DB" --epochs 999998..999999 -o "$W/x.svg" 2>"$W/epochs.err"
rc=$?
if [ $rc -eq "$EX_NOT_FOUND" ] && grep -q "has no epochs 999998\.\.999999\$" "$W/epochs.err"; then
    pass "--epochs 999998..999999: exit $EX_NOT_FOUND, named"
else fail "--epochs 999998..999999" "exit $rc: $(cat "$W/epochs.err")"; fi
last=$(q "SELECT max(grp) FROM events")
for cmd in draw replay; do
    ext=svg; [ $cmd = replay ] && ext=html
    rm -f "$W/x.$ext"
    $T "$D" $cmd "$DB" --threads 0,999 -o "$W/x.$ext" 2>"$W/threads.err"
    rc=$?
    if [ $rc -eq "$EX_NOT_FOUND" ] && [ ! -e "$W/x.$ext" ] && grep -q "has no thread 999 (--threads); its threads: dlsync, 0-$last\$" "$W/threads.err"; then
        pass "$cmd --threads 0,999: exit $EX_NOT_FOUND naming 999 and the run's threads (0-$last), nothing written"
    else fail "$cmd --threads 0,999" "exit $rc: $(cat "$W/threads.err")"; fi
done
expect_exit "draw --threads 0,$last (threads the run has) exits 0" 0 $T "$D" draw "$DB" --threads "0,$last" -o "$W/two.svg" --quiet

summary viz-robust
