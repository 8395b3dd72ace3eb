#!/bin/sh
# fuzz/run.sh O BIN — what `make fuzz` runs after building (docs/fuzz.md):
#   1. the libFuzzer target O/fuzz/fuzz_model for FUZZ_SECONDS (default 60),
#      in fork mode so that it goes on after a crash, from the seeds in
#      fuzz/seeds/model and the corpus it keeps in O/fuzz/corpus/model; the
#      inputs that crashed land in O/fuzz/findings/model (emptied first) and
#      are told apart by where they fail;
#   2. fuzz/mutate_trace.sh for FUZZ_TRIALS mutants (default 400) or
#      FUZZ_SECONDS, from seed FUZZ_SEED (default: the time), failures saved
#      in O/fuzz/traces (emptied first);
# then a summary: targets, executions, mutants, failures.  Exit status 0
# when nothing failed, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 2
O=${1:-build}
BIN=${2:-bin}
SECS=${FUZZ_SECONDS:-60}
TRIALS=${FUZZ_TRIALS:-400}
SEED=${FUZZ_SEED:-$(date +%s)}
CORPUS=$O/fuzz/corpus/model
ART=$O/fuzz/findings/model
LOG=$O/fuzz/fuzz_model.log
rm -rf "$ART" "$O/fuzz/traces"
mkdir -p "$CORPUS" "$ART"

echo "== fuzz_model: libFuzzer, ${SECS}s (log: $LOG)"
timeout -k 10 $((SECS + 60)) "$O/fuzz/fuzz_model" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -timeout=10 -rss_limit_mb=2048 -max_total_time="$SECS" \
    -artifact_prefix="$ART/" "$CORPUS" fuzz/seeds/model >"$LOG" 2>&1
# The last progress line of fork mode: "#EXECS: cov: N ft: N corp: N exec/s N ...".
last=$(grep -E '^#[0-9]+: cov:' "$LOG" | tail -1)
execs=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
secs=$(echo "$last" | sed -n 's/.* time: \([0-9]*\)s.*/\1/p')
rate=$([ "${secs:-0}" -gt 0 ] && echo $((execs / secs)))
cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
# Where each crashing input fails: the assertion, or the sanitizer's summary.
# (ASAN_OPTIONS: no leak report on a crash, only the crash.)
sigs=$O/fuzz/findings/signatures
: >"$sigs"
for f in "$ART"/*; do
    [ -f "$f" ] || continue
    sig=$(ASAN_OPTIONS=detect_leaks=0 timeout 60 "$O/fuzz/fuzz_model" "$f" 2>&1 |
        grep -m1 -E "Assertion .* failed|SUMMARY: [A-Za-z]*Sanitizer|runtime error:|ERROR: libFuzzer: (timeout|out-of-memory)" |
        sed 's/^[^ ]*: //; s/^==[0-9]*== *//')
    echo "${sig:-no failure on rerun}|$f" >>"$sigs"
done
ncrash=$(grep -c . "$sigs")
ndistinct=$(cut -d'|' -f1 "$sigs" | sort -u | grep -c .)

echo "== mutate_trace: up to $TRIALS mutants or ${SECS}s from seed $SEED"
{
    fuzz/mutate_trace.sh --seed "$SEED" --trials "$TRIALS" --seconds "$SECS" \
        --dlsync "$BIN/dlsync" --mutate "$O/fuzz/mutate" --out "$O/fuzz/traces"
    echo $? >"$O/fuzz/mutate_trace.rc"
} | tee "$O/fuzz/mutate_trace.log"
mrc=$(cat "$O/fuzz/mutate_trace.rc")
mline=$(grep '^mutate_trace: [0-9]* mutants' "$O/fuzz/mutate_trace.log")

echo
echo "fuzz summary"
echo "  fuzz_model (libFuzzer: event model + checker): ${execs:-?} executions, ${rate:-?} exec/s, coverage ${cov:-?}, corpus $(ls "$CORPUS" | wc -l) inputs"
echo "    $ncrash failing input(s), $ndistinct distinct (in $ART):"
cut -d'|' -f1 "$sigs" | sort | uniq -c | while read -r n sig; do
    echo "      x$n $sig"
    echo "         e.g. $(grep -F "$sig|" "$sigs" | head -1 | cut -d'|' -f2)"
done
echo "  mutate_trace (dlsync ingest on mutated traces): ${mline#mutate_trace: }"
grep '^mutate_trace: failures by kind' "$O/fuzz/mutate_trace.log" | sed 's/^mutate_trace: /    /'
[ "$ncrash" -eq 0 ] && [ "$mrc" -eq 0 ]
