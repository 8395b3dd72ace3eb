#!/bin/sh
# tests/replay/sched.sh BIN — controlled runs recorded with a real LTTng
# session: the schedule reaches the trace and the runs table, a trace turns
# back into the exact run (--schedule-from, --compare-with), a schedule
# replays under the correct protocol and diff names where the two part, and
# the controlled deadlock report names the same threads and objects as
# `dlsync check` finds in the recorded trace of that run, for every variant
# that hangs.
. "$(dirname "$0")/../lib.sh"
D=$1
T=$(mktemp -d /tmp/dlsync-sched-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The threads a report names: every "  group-N (role): ..." line but running.
report_threads() {
    sed -n 's/^  \(group-[0-9]*\) ([a-z]*): .*/\1/p' "$1" | sort -u | tr '\n' ' '
}
# The objects a report names: the words in parentheses of the waits.
report_objects() {
    sed -n 's/^  group-[0-9]* ([a-z]*): \(.*\)/\1/p' "$1" |
        sed -n -e 's/.*(\(state lock\|lease\|barrier bus\|operation bus\|group mutex\|process mutex\)).*/\1/p' \
            -e 's/.*at the barrier.*/barrier/p' | sort -u
}

for v in $("$D" run --list-variants); do
    sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
    timeout 120 "$D" record -o "$T/$v" -- --variant "$v" --scenario "$sc" --seed 2 \
        > "$T/$v.out" 2> "$T/$v.err"
    rc=$?
    if ! timeout 120 "$D" ingest "$T/$v" -d "$T/$v.db" -q 2> "$T/$v.ingest"; then
        fail "ingest-$v" "$(cat "$T/$v.ingest")"
        continue
    fi
    sched=$(sqlite3 "$T/$v.db" "select sched || ' ' || strategy || ' ' || ops from runs")
    stored=$(sqlite3 "$T/$v.db" "select schedule from runs")
    printed=$(sed -n 's/^dlsync: schedule //p' "$T/$v.err")
    # ops: the scenario's default (its file's default-ops line).
    ops=$(sed -n 's/^default-ops *\([0-9]*\).*/\1/p' "$(dirname "$0")/../../scenarios/$sc.dls")
    if [ -z "$ops" ] || [ "$sched" != "controlled random $ops" ]; then
        fail "runs-row-$v" "sched, strategy, ops: '$sched', want 'controlled random $ops'"
    fi
    if [ -z "$stored" ]; then fail "schedule-stored-$v" "runs.schedule is empty"
    elif [ "$rc" -ne 0 ] && [ "$stored" != "$printed" ]; then
        fail "schedule-stored-$v" "the stored schedule is not the one printed"
    else pass "schedule-stored-$v"; fi
    # The trace turned back into the same run.
    out=$(timeout 120 "$D" run --schedule-from "$T/$v.db" --compare-with "$T/$v.db" 2>/dev/null)
    rc2=$?
    if [ "$rc2" -eq "$rc" ] && echo "$out" | grep -q "^compared: the runs are the same"; then
        pass "schedule-from-replays-$v-exactly"
    else fail "schedule-from-replays-$v-exactly" "exit $rc2 (recorded $rc): $(echo "$out" | tail -6)"; fi
    [ "$rc" -eq 3 ] || continue
    # The report and check name the same threads and objects.
    timeout 120 "$D" check "$T/$v.db" > /dev/null
    row=$(sqlite3 -separator '|' "$T/$v.db" \
        "select threads, objects from findings where rule in ('deadlock', 'stall')")
    ct=$(echo "$row" | cut -d'|' -f1 | tr ' ' '\n' | grep . | sort -u | tr '\n' ' ')
    rt=$(report_threads "$T/$v.err")
    missing=""
    for o in $(report_objects "$T/$v.err" | tr ' ' '_'); do
        echo "$row" | cut -d'|' -f2 | tr ',' '\n' | sed 's/^ *//; s/ /_/g' | grep -qx "$o" ||
            missing="$missing $o"
    done
    if [ -n "$row" ] && [ "$ct" = "$rt" ] && [ -z "$missing" ]; then
        pass "report-and-check-agree-$v"
    else fail "report-and-check-agree-$v" "report [$rt] check [$ct] ($row); objects not in check:$missing"; fi
done

# Regression: an action without an argument recorded as "" read back as the
# previous event's string (babeltrace2 decodes an empty string so).
n=$(sqlite3 "$T/none.db" "select count(*) from events where kind = 4 and mode = 4 and str <> ''")
all=$(sqlite3 "$T/none.db" "select count(*) from events where kind = 4 and mode = 4")
if [ "$n" -eq 0 ] && [ "$all" -gt 0 ]; then pass empty-action-argument-reads-empty
else fail empty-action-argument-reads-empty "$n of $all closure-alloc actions carry a string"; fi

# Counterfactual: naive-write's schedule under the correct protocol.
out=$(timeout 120 "$D" run --schedule-from "$T/naive-write.db" --variant none \
    --compare-with "$T/naive-write.db" 2>&1)
rc=$?
if [ $rc -eq "$EX_PARTED" ] && echo "$out" | grep -q "^compared: the runs part at event"; then
    pass counterfactual-from-trace
else fail counterfactual-from-trace "exit $rc: $(echo "$out" | tail -8)"; fi
expect_exit diff-same-trace 0 "$D" diff "$T/naive-write.db" "$T/naive-write.db"
expect_exit diff-two-traces "$EX_PARTED" "$D" diff "$T/naive-write.db" "$T/none.db"
# A database that lacks the run, or is not one.
expect_exit schedule-from-no-run "$EX_NOT_FOUND" "$D" run --schedule-from "$T/none.db" --run 9
echo "not a database" > "$T/junk.db"
err=$("$D" run --schedule-from "$T/junk.db" 2>&1)
rc=$?
if [ $rc -eq "$EX_NO_INPUT" ] && echo "$err" | grep -q "$T/junk.db"; then pass schedule-from-junk
else fail schedule-from-junk "exit $rc: $err"; fi
summary replay-sched
