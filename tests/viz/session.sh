#!/bin/sh
# tests/viz/session.sh REPO_ROOT — one reading of a run (replay/session.c,
# replay/describe.c): draw, replay and state judge the findings themselves,
# by the pass of `dlsync check`, with no findings table filled (check never
# run); and the replay page's state panel says, at each moment typed in its
# "at" box, what `dlsync state --at` says, its box taking the grammar of
# --at (replay/moment.c).  Records a short buggy run (variant no-self-drain)
# and ingests it.  Prints PASS/FAIL lines and the closing count.

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir session
PY=/usr/bin/python3
[ -x $PY ] || PY=$(command -v python3)

# A buggy run; its recording ends in a protocol error (exit non-zero).
$T "$D" record -o "$W/tr" --timeout 2 -- --variant no-self-drain --groups 3 --ops 6 --seed 3 \
    >"$W/record.log" 2>&1
DB=$W/t.db
if $T "$D" ingest "$W/tr" -d "$DB" --quiet --no-progress >>"$W/record.log" 2>&1; then
    pass "record and ingest no-self-drain (3 groups, 6 ops, seed 3)"
else
    fail "record and ingest no-self-drain" "$(tail -3 "$W/record.log")"
    summary session
    exit 1
fi

# ---- findings on demand ----------------------------------------------------
# The findings as `check --json` judges them, without storing them: one
# "RULE FIRST_SEQ" line each (the earliest non-zero seq, 0 if none), sorted.
$T "$D" check "$DB" --json --no-store >"$W/check.json"
$PY - "$W/check.json" >"$W/check.set" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], min([s for s in f["seqs"] if s] or [0]))
EOF
n=$(wc -l <"$W/check.set")
nstored=$(sqlite3 "$DB" "SELECT count(*) FROM findings")
if [ "$n" -ge 1 ] && [ "$nstored" -eq 0 ]; then
    pass "check --json finds $n findings; the findings table is empty (check never stored)"
else
    fail "check finds findings, none stored" "$n found, $nstored stored"
fi
sort -o "$W/check.set" "$W/check.set"

# state --json at the end of the run lists them all.
$T "$D" state "$DB" --json >"$W/state.json"
$PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f["first_seq"])' "$W/state.json" | sort >"$W/state.set"
if cmp -s "$W/check.set" "$W/state.set"; then pass "state --json shows the findings check reports"
else fail "state --json shows the findings check reports" "$(diff "$W/check.set" "$W/state.set" | tr '\n' ' ')"; fi

# The replay page embeds them (its findings menu).
$T "$D" replay "$DB" -o "$W/page.html" >/dev/null
$PY -c '
import json, re, sys
page = open(sys.argv[1]).read()
data = re.search(r"<script id=\"data\" type=\"application/json\">(.*?)</script>", page, re.S)
for f in json.loads(data.group(1))["findings"]:
    print(f[1], f[0])' "$W/page.html" | sort >"$W/page.set"
if cmp -s "$W/check.set" "$W/page.set"; then pass "the replay page's data holds the findings check reports"
else fail "the replay page's data holds the findings check reports" "$(diff "$W/check.set" "$W/page.set" | tr '\n' ' ')"; fi

# draw tells them in the footer of the diagram ("finding RULE (seq N): ...").
$T "$D" draw "$DB" --page-rows 100000 -o "$W/d.dot" --quiet
sed -n 's/.*finding \([A-Za-z0-9-]*\) (seq \([0-9]*\)).*/\1 \2/p' "$W/d.dot" | sort >"$W/draw.set"
if cmp -s "$W/check.set" "$W/draw.set"; then pass "draw's footer tells the findings check reports"
else fail "draw's footer tells the findings check reports" "$(diff "$W/check.set" "$W/draw.set" | tr '\n' ' ')"; fi

# ---- the page's state panel is dlsync state --------------------------------
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] || [ -z "$PY" ]; then
    fail "headless Chromium" "chromium and python3 needed"
    summary session
    exit 1
fi
# Moments picked from the run's events: the first, the middle, the first
# barrier arrival (its thread blocked at the barrier), the last; the middle
# one's time in ns and another's in ms with 3 decimals; a time past the end.
q() { sqlite3 "$DB" "$1"; }
first=$(q "SELECT min(seq) FROM events")
last=$(q "SELECT max(seq) FROM events")
mid=$(q "SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET (SELECT count(*) / 2 FROM events)")
arrive=$(q "SELECT min(seq) FROM events WHERE kind = (SELECT kind FROM kinds WHERE name = 'barrier_arrive')")
t0=$(q "SELECT start_ts FROM runs")
mid_ns=$(q "SELECT (ts - $t0) || 'ns' FROM events WHERE seq = $mid")
q3_ms=$(q "SELECT printf('%.3fms', (ts - $t0) / 1e6) FROM events ORDER BY seq LIMIT 1 OFFSET (SELECT 3 * count(*) / 4 FROM events)")
timeout 120 $PY "$ROOT/tests/viz/cdp.py" moments "$CHROMIUM" "$W/page.html" "$W/page.png" "$D" "$DB" \
    --at "$first" "$mid" "$arrive" "$last" "$mid_ns" "$q3_ms" 3600s \
    --grammar 12 1.5ms 200us 7µs 3s 15ns 0.000000001s 0 -3 1.5 1e3 ms 1.ms .5ms "1 ms" 1.5ns \
    1.0000000001s 5m 4611686018427387904 4611686018427387905 4611686018427387904s \
    >"$W/cdp.log" 2>&1
rc=$?
cat "$W/cdp.log"
PASSED=$((PASSED + $(grep -c '^PASS ' "$W/cdp.log")))
FAILED=$((FAILED + $(grep -c '^FAIL ' "$W/cdp.log")))
# Every moment was looked at (a driver that stops early fails here).
n=$(grep -c '^PASS at .* the panel says what dlsync state' "$W/cdp.log")
[ "$n" -eq 7 ] || fail "the panel matched dlsync state at all 7 moments" "$n did (driver exit $rc)"
summary session
