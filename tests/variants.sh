#!/bin/sh
# tests/variants.sh BIN [RUNS] [SCHED] — every buggy variant manifests (a
# hang: exit 3, a divergence: 4, a protocol error: 5, or a delayed epoch: 6)
# in at least one of RUNS seeded runs (default 8) of its scenario, under
# scheduler SCHED (controlled, the default, or os: then the hang is the
# watchdog's).  Writes the rates to tests/artefacts/variant-rates-SCHED.txt.
. "$(dirname "$0")/lib.sh"
D=$1
RUNS=${2:-8}
SCHED=${3:-controlled}
mkdir -p tests/artefacts
out=tests/artefacts/variant-rates-$SCHED.txt
: > "$out"
for v in $("$D" run --list-variants); do
    [ "$v" = none ] && continue
    sc=$("$D" run --variant "$v" --help | sed -n 's/^  scenario: //p')
    hit=0; codes=""
    for s in $(seq 1 "$RUNS"); do
        timeout 60 "$D" run --sched "$SCHED" --variant "$v" --scenario "$sc" --seed "$s" \
            --ops 60 --groups 6 --timeout 1 --quiet >/dev/null 2>&1
        rc=$?
        codes="$codes $rc"
        case $rc in 3|4|5|6) hit=$((hit + 1)) ;; esac
    done
    echo "$v $sc $hit/$RUNS exits:$codes" >> "$out"
    if [ $hit -gt 0 ]; then pass "variant-$v-manifests-$SCHED-$hit/$RUNS"
    else fail "variant-$v-manifests-$SCHED" "0/$RUNS runs (exits:$codes)"; fi
done
# A protocol error comes up from the protocol thread (lib/fault.c) to the
# run: no-self-drain ends as one (exit 5) in some run, and every such run
# names the thread and the full bus on stderr.
err=tests/artefacts/variant-protocol-error-$SCHED.err
fives=0; unnamed=""
for s in $(seq 1 "$RUNS"); do
    timeout 60 "$D" run --sched "$SCHED" --variant no-self-drain --scenario steady-dl --seed "$s" \
        --ops 60 --groups 6 --timeout 1 --quiet >/dev/null 2>"$err"
    [ $? -eq 5 ] || continue
    fives=$((fives + 1))
    grep -Eq '^dlsync: protocol error in group-[0-9]+: epoch [0-9]+: broadcast on the barrier bus found it full' "$err" ||
        unnamed="$unnamed $s"
done
if [ $fives -gt 0 ] && [ -z "$unnamed" ]; then pass "variant-protocol-error-reported-$SCHED"
else fail "variant-protocol-error-reported-$SCHED" "exit 5 in $fives/$RUNS runs; without the message: seeds$unnamed"; fi
cat "$out"
summary "variants ($SCHED)"
