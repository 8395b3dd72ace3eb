#!/bin/sh
# tests/fuzz/run.sh ROOT — the fuzzers' regression part of `make test`
# (docs/fuzz.md): the inputs that once found bugs, replayed, and the fuzzers'
# own judges shown able to fail.
#   - every seed (fuzz/seeds/model) and every model input that found a bug
#     (tests/fuzz/model) runs clean through the model target built with
#     ASan+UBSan (ROOT/build/fuzz/run_model);
#   - every mutated trace that found a bug (tests/fuzz/traces/NAME/trace)
#     ingests with one of the exit codes in NAME/expect, without a crash, a
#     hang, a temp file or a changed database (fuzz/mutate_trace.sh --replay);
#   - the trace judge fails a dlsync that dies, hangs, leaves its temp file,
#     changes the database it failed to write, fails without a message or
#     with an undocumented code, or whose check crashes on the result;
#   - fuzz/mutate.c makes the same mutant from the same seed, and
#     fuzz/seed_model makes a seed from a database that runs clean.
# What each input found, and its fix: tests/fuzz/README.md.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "${1:-.}" && pwd)
D=$ROOT/bin/dlsync
RUN=$ROOT/build/fuzz/run_model
MUTATE=$ROOT/build/fuzz/mutate
DRIVER=$ROOT/fuzz/mutate_trace.sh
HERE=$ROOT/tests/fuzz
W=$(mktemp -d /tmp/dlsync-fuzz-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
export ASAN_OPTIONS="halt_on_error=1 exitcode=66 detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1 exitcode=66 print_stacktrace=1"

# ---- the model target ------------------------------------------------------------
for f in "$ROOT"/fuzz/seeds/model/* "$HERE"/model/*; do
    [ -f "$f" ] || continue
    name=${f#"$ROOT"/}
    if timeout 60 "$RUN" "$f" >"$W/run.log" 2>&1; then
        pass "model input $name runs clean"
    else
        fail "model input $name" "exit $?: $(grep -m1 -E 'Assertion|ERROR|runtime error' "$W/run.log")"
    fi
done

# ---- the mutated traces ----------------------------------------------------------
# The driver prints a PASS or FAIL line per database; they are counted here.
for dir in "$HERE"/traces/*/; do
    [ -d "$dir/trace" ] || continue
    timeout 300 "$DRIVER" --replay "$dir/trace" --expect "$(cat "$dir/expect")" --dlsync "$D" \
        >"$W/replay.out" 2>&1
    rc=$?
    grep -q '^PASS\|^FAIL' "$W/replay.out" || fail "$dir" "exit $rc: $(head -c 300 "$W/replay.out")"
    while read -r verdict what; do
        case $verdict in
        PASS) pass "$what" ;;
        FAIL) fail "${what%%: *}" "${what#*: }" ;;
        esac
    done <"$W/replay.out"
done

# ---- the judge can fail ------------------------------------------------------------
# stub NAME SHELL: a dlsync that runs SHELL (with $db, the trial's database)
# when it is called on the trial's database, and the real one otherwise (the
# databases made before the trial).
stub() {
    cat >"$W/$1" <<EOF
#!/bin/sh
db=""
for a; do case \$a in */trial/t.db) db=\$a ;; esac; done
if [ -n "\$db" ]; then
    $2
fi
exec "$D" "\$@"
EOF
    chmod +x "$W/$1"
}
# judged NAME STUB WORDS: the judge fails the stub's trial, saying WORDS.
judged() {
    timeout 120 "$DRIVER" --replay "$HERE/base" --dlsync "$W/$2" --timeout 2 >"$W/judge.out" 2>&1
    rc=$?
    if [ $rc = 1 ] && grep -q "^FAIL .*$3" "$W/judge.out"; then
        pass "judge: $1"
    else
        fail "judge: $1" "exit $rc, no FAIL with '$3': $(head -c 300 "$W/judge.out")"
    fi
}
stub crash 'case "$1" in ingest) kill -SEGV $$ ;; esac'
judged "a death by a signal" crash "killed by signal 11"
stub hang 'case "$1" in ingest) exec tail -f /dev/null ;; esac'
judged "a hang" hang "hang (killed after 2s)"
stub leftover 'case "$1" in ingest) "'"$D"'" "$@"; r=$?; : >"${db%/*}/.t.db.ingest-1.tmp"; exit $r ;; esac'
judged "a temp file left" leftover "left .t.db.ingest-1.tmp"
stub changed 'case "$1" in ingest) echo x >>"$db"; echo "corrupt" >&2; exit 11 ;; esac'
judged "a failed ingest that changed the database" changed "changed the database"
stub silent 'case "$1" in ingest) exit 11 ;; esac'
judged "a failure without a message" silent "without a message"
stub code 'case "$1" in ingest) echo "internal" >&2; exit 1 ;; esac'
judged "an exit code that is not a verdict on the trace" code "exit 1 (want one of"
stub check 'case "$1" in check) kill -ABRT $$ ;; esac'
judged "a crash of check on what ingest wrote" check "check: killed by signal 6"
timeout 120 "$DRIVER" --replay "$HERE/base" --dlsync "$D" >"$W/judge.out" 2>&1
rc=$?
[ $rc = 0 ] && [ "$(grep -c '^PASS' "$W/judge.out")" = 2 ] && pass "judge: the base trace passes" ||
    fail "judge: the base trace passes" "exit $rc: $(head -c 300 "$W/judge.out")"

# ---- the mutator and the seed maker ---------------------------------------------
same=0
for seed in 3 5 8 13 21; do
    for copy in a b; do
        rm -rf "${W:?}/$copy"
        cp -r "$HERE/base" "$W/$copy"
        timeout 10 "$MUTATE" "$seed" "$W/$copy" >"$W/$copy.line"
    done
    cmp -s "$W/a.line" "$W/b.line" && diff -r "$W/a" "$W/b" >/dev/null && same=$((same + 1))
    diff -r "$HERE/base" "$W/a" >/dev/null && same=-100 # no change at all
done
[ $same = 5 ] && pass "mutate: the same seed makes the same mutant, and changes the trace" ||
    fail "mutate: the same seed makes the same mutant" "$same of 5"
lines=$(for seed in 1 2 3 4 5 6 7 8; do
    rm -rf "${W:?}/c" && cp -r "$HERE/base" "$W/c" && timeout 10 "$MUTATE" "$seed" "$W/c"
done | sort -u | wc -l)
[ "$lines" -ge 6 ] && pass "mutate: different seeds make different mutants" ||
    fail "mutate: different seeds" "$lines different of 8"
rm -rf "${W:?}/c" && cp -r "$HERE/base" "$W/c"
if timeout 60 "$D" ingest -q --no-progress -d "$W/base.db" "$W/c" >/dev/null 2>&1 &&
    timeout 60 "$ROOT/build/fuzz/seed_model" "$W/base.db" --out "$W/base.in" >/dev/null &&
    [ -s "$W/base.in" ] && timeout 60 "$RUN" "$W/base.in" >/dev/null 2>&1; then
    pass "seed_model: a seed from the base trace runs clean"
else
    fail "seed_model: a seed from the base trace runs clean"
fi
summary fuzz
