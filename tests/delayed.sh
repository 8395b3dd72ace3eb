#!/bin/sh
# tests/delayed.sh BIN — an epoch delayed by a party that did not take its
# wakeup (exit 6, lib/run.h).  Under --sched os the sleep of lost-wakeup
# (scenario sleepers) and the guest wait of guest-wait (guest-waiters) ran
# to their end and the run completed with exit 0 although an epoch had
# waited for them at phase 1 (regression).  Now such a run exits 6 and its
# report names the party, in its wait, and the epoch that waits for it;
# under the controlled scheduler the same bug stays a stall (exit 3); the
# correct protocol in the same scenarios completes over several seeds.
. "$(dirname "$0")/lib.sh"
D=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# delayed NAME VARIANT SCENARIO ACTION WORDS: the variant's os run exits 6
# with a report whose party is in the scenario's ACTION (sleep, guest-wait)
# of the length the scenario file gives, described by WORDS.  A lost wakeup
# is a race the OS decides, so seeds are tried until one exits 6; every
# other run must complete (exit 0).
delayed() {
    name=$1 variant=$2 scenario=$3 action=$4 words=$5
    ms=$(sed -n "s/^ *$action \([0-9][0-9]*\)\$/\1/p" "scenarios/$scenario.dls")
    seed=""
    for s in 1 2 3 4 5 6 7 8; do
        timeout 60 "$D" run --sched os --variant "$variant" --scenario "$scenario" --seed "$s" \
            --timeout 5 > "$T/out" 2> "$T/err"
        rc=$?
        case $rc in
        6) seed=$s; break ;;
        0) ;;
        *) fail "$name" "seed $s: exit $rc, want 6 (or 0: the race not lost)"; return ;;
        esac
    done
    if [ -z "$seed" ]; then
        fail "$name" "no seed of 1-8 exited 6"
        return
    fi
    head=$(grep '^dlsync: delayed: ' "$T/err")
    epoch=$(echo "$head" | sed -n 's/^dlsync: delayed: epoch \([0-9]*\) waited [0-9.]* s at phase 1 for .*/\1/p')
    party=$(echo "$head" | sed -n 's/.* at phase 1 for \(group-[0-9]*\) (daemon), which was sent a wakeup for it by group-[0-9]* and did not take it until its .*/\1/p')
    if [ -z "$epoch" ] || [ -z "$party" ]; then
        fail "$name" "seed $seed: no report naming the epoch and the party: $(head -3 "$T/err")"
    elif ! echo "$head" | grep -q "until its $words ($ms ms) ended"; then
        fail "$name" "seed $seed: the report does not name the $words of $ms ms: $head"
    elif ! grep -q "^  $party (daemon): .* ($ms ms, not .*) for " "$T/err"; then
        fail "$name" "seed $seed: the positions do not show $party in its wait"
    elif ! grep -q "waiting at the barrier, epoch $epoch phase 1 " "$T/err"; then
        fail "$name" "seed $seed: no thread waits at epoch $epoch phase 1"
    elif grep -q '^outcome' "$T/out"; then
        fail "$name" "seed $seed: the run printed a summary, as if it completed"
    else
        pass "$name"
    fi
}
delayed lost-wakeup-os-delayed lost-wakeup sleepers sleep sleep
delayed guest-wait-os-delayed guest-wait guest-waiters guest-wait "guest wait"

# Controlled, the scheduler sees the same bugs as a stall, at once.
for vs in lost-wakeup:sleepers guest-wait:guest-waiters; do
    v=${vs%%:*} sc=${vs#*:}
    timeout 60 "$D" run --variant "$v" --scenario "$sc" --timeout 5 > /dev/null 2> "$T/err"
    rc=$?
    if [ $rc -eq 3 ] && grep -q "only the end of group-[0-9]*'s guest sleep or wait" "$T/err"; then
        pass "$v-controlled-stall"
    else
        fail "$v-controlled-stall" "exit $rc, want 3 with the stall report"
    fi
done

# The correct protocol in the same scenarios never ends delayed.
for sched in os controlled; do
    for sc in sleepers guest-waiters; do
        bad=""
        for s in 1 2 3 4 5 6 7 8 9 10; do
            timeout 60 "$D" run --sched "$sched" --variant none --scenario "$sc" --seed "$s" \
                --groups $((s % 6 + 2)) --timeout 5 --quiet > /dev/null 2>&1
            rc=$?
            [ $rc -eq 0 ] || bad="$bad seed $s: exit $rc;"
        done
        if [ -z "$bad" ]; then pass "none-$sc-$sched-completes"
        else fail "none-$sc-$sched-completes" "$bad"; fi
    done
done
summary delayed
