#!/bin/bash
# tests/replay/waitgraph.sh ROOT — `dlsync check` and `dlsync draw --waitfor`
# read one wait-for graph (replay/waitgraph.c): on every buggy variant of
# `dlsync run --list-variants`, recorded in the scenario its story names
# (`dlsync run --variant NAME --help`) with the controlled scheduler and the
# first seed that hangs (or, for a run that completes, diverges or ends in a
# protocol error, the first whose trace check finds failing: a broken
# invariant with nobody blocked, as lone-group-release, spawn-after-dlsym,
# main-module-resolve, or a stall), check's deadlock and stall findings name
# exactly the blocked threads of draw's graph and the threads they wait for,
# and its deadlocks exactly when draw has a cycle (tests/replay/waitgraph.py
# compares them).  Every command runs under timeout.  Needs python3.
set -u
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
D=$ROOT/bin/dlsync
WORK=$(mktemp -d /tmp/dlsync-waitgraph-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
T="timeout 120"
SEEDS=${WAITGRAPH_SEEDS:-1 2 3 4 5 6 7 8 9 10}

variants=$($T "$D" run --list-variants | grep -vx none)
[ -n "$variants" ] && pass "variants listed" || fail "variants listed" "dlsync run --list-variants named none"
for v in $variants; do
    scn=$($T "$D" run --variant "$v" --help | sed -n 's/^ *scenario: *//p')
    if [ -z "$scn" ]; then
        fail "$v: scenario" "dlsync run --variant $v --help names no scenario"
        continue
    fi
    tr=$WORK/$v
    manifested=
    completed=
    for s in $SEEDS; do
        rm -rf "$tr"
        $T "$D" record -o "$tr" -- --variant "$v" --scenario "$scn" --ops 60 --groups 6 \
            --timeout 2 --seed "$s" >/dev/null 2>"$tr.err"
        case $? in
        3) manifested=$s && break ;;
        0 | 4 | 5)
           # Completed, diverged or a protocol error: the seed counts when
           # check sees it from the events (a divergence of a group that
           # takes part in no later epoch leaves no event to see).
           $T "$D" ingest -q "$tr" >/dev/null 2>&1
           $T "$D" check -q "$tr/dlsync.db" >/dev/null 2>&1
           case $? in
           "$EX_HANG") manifested=$s && break ;;
           "$EX_PROTOCOL") manifested=$s && completed=1 && break ;;
           esac ;;
        esac
    done
    if [ -z "$manifested" ]; then
        fail "$v manifests" "no hang or failure in $scn with seeds $SEEDS"
        continue
    fi
    if ! $T "$D" ingest -q "$tr" >/dev/null 2>"$tr.ingest"; then
        fail "$v ingest" "$(head -c 300 "$tr.ingest")"
        continue
    fi
    $T "$D" check --json "$tr/dlsync.db" >"$tr.json" 2>"$tr.check.err"
    rc=$?
    { [ $rc != 0 ] && is_verdict $rc; } || { fail "$v check reports" "exit $rc: $(head -c 300 "$tr.check.err")"; continue; }
    if ! $T "$D" draw "$tr/dlsync.db" --waitfor -o "$tr.dot" --quiet 2>"$tr.draw.err"; then
        fail "$v draw --waitfor" "$(head -c 300 "$tr.draw.err")"
        continue
    fi
    # A hang: one graph.  Otherwise (completed, diverged, a protocol error)
    # either one graph too, or nobody blocked for both (check names no
    # thread, draw's graph has none).
    $T python3 "$ROOT/tests/replay/waitgraph.py" "$tr.json" "$tr.dot" >"$tr.cmp" 2>&1
    ok=$?
    if [ $ok = 0 ]; then
        pass "$v ($scn, seed $manifested): check and draw --waitfor tell the same graph"
    elif [ -n "$completed" ] && [ "$(cat "$tr.cmp")" = "draw's graph has no blocked thread" ]; then
        pass "$v ($scn, seed $manifested): nobody blocked; check and draw --waitfor agree"
    else
        fail "$v ($scn, seed $manifested): check and draw --waitfor tell the same graph" "$(head -c 600 "$tr.cmp")"
    fi
done
summary "waitgraph tests"
