#!/bin/sh
# tests/cli.sh BIN — the dlsync command line: --help everywhere, lists,
# one table of exit codes (the same in cli/exitcode.h, README.md, tests/lib.sh
# and `dlsync --help`; the same code for the same condition in every command),
# clear errors naming the file, line and cause.  Run from the repository.
. "$(dirname "$0")/lib.sh"
D=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for cmd in "" run record explore step diff ingest state check draw replay grade exercise; do
    out=$(timeout 10 "$D" $cmd --help 2>&1); rc=$?
    if [ $rc -eq 0 ] && echo "$out" | grep -q usage; then pass "help-${cmd:-dlsync}"
    else fail "help-${cmd:-dlsync}" "exit $rc"; fi
done
n=$(timeout 10 "$D" run --list-scenarios | wc -l)
[ "$n" -ge 5 ] && pass list-scenarios || fail list-scenarios "only $n"
for v in none naive-write blocking-read lease-after-write lost-wakeup relaxed-wake no-phase2 \
         no-self-drain exit-subscribed guest-wait early-lease-release lone-group-release; do
    timeout 10 "$D" run --list-variants | grep -qx "$v" || fail "list-variants-$v" missing
    timeout 10 "$D" run --variant "$v" --help | grep -q "origin:" || fail "variant-help-$v" "no origin"
done
pass list-variants
expect_exit no-command 2 timeout 10 "$D"
expect_exit unknown-command 2 timeout 10 "$D" frobnicate
expect_exit bad-groups 2 timeout 10 "$D" run --groups 0
expect_exit bad-variant 2 timeout 10 "$D" run --variant nosuch
expect_exit bad-scenario-name 2 timeout 10 "$D" run --scenario nosuch

printf 'scenario x\nmodule libc funcs 4\nscript w\n  dlopen libz\ngroups w\n' > "$T/bad.dls"
err=$(timeout 10 "$D" run --scenario "$T/bad.dls" 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$err" | grep -q "$T/bad.dls:4: dlopen names module 'libz'"; then
    pass bad-scenario-file
else fail bad-scenario-file "exit $rc: $err"; fi

printf 'scenario mine\nmodule liba funcs 3\nscript w\n  dlopen liba\n  dlsym liba:f2\ngroups w\n' > "$T/ok.dls"
out=$(timeout 20 "$D" run --scenario "$T/ok.dls" --groups 3 --ops 6 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q "every group agrees"; then pass scenario-file
else fail scenario-file "exit $rc: $out"; fi

# The same seed gives the same summary apart from the time line.
a=$(timeout 20 "$D" run --scenario closure-churn --groups 1 --seed 5 | grep -v '^time')
b=$(timeout 20 "$D" run --scenario closure-churn --groups 1 --seed 5 | grep -v '^time')
[ "$a" = "$b" ] && pass same-seed-same-run || fail same-seed-same-run "summaries differ"
# ---- one table of exit codes ---------------------------------------------------
# cli/exitcode.h's "EX_NAME = N", README.md's "| N | name |" rows and
# tests/lib.sh's EX_NAME=N hold the same codes and names, and `dlsync --help`
# lists every code.
hdr=$(sed -n 's/^ *EX_\([A-Z_]*\) = \([0-9]*\),.*/\2 \1/p' cli/exitcode.h)
readme=$(sed -n 's/^| \([0-9]*\) | \([a-z-]*\) | .*/\1 \2/p' README.md | tr 'a-z-' 'A-Z_')
[ -n "$hdr" ] && [ "$hdr" = "$readme" ] && pass exit-table-readme ||
    fail exit-table-readme "cli/exitcode.h and README.md differ: $(echo "$hdr" | tr '\n' ' ') / $(echo "$readme" | tr '\n' ' ')"
timeout 10 "$D" --help >"$T/help"
bad=""
while read -r code name; do
    eval "v=\${EX_$name:-}"
    [ "$v" = "$code" ] || bad="$bad EX_$name"
    grep -qE "^ +$code  " "$T/help" || bad="$bad $code(not in dlsync --help)"
done <<TABLE
$hdr
TABLE
[ -z "$bad" ] && pass exit-table-lib-help || fail exit-table-lib-help "$bad"

# The same condition gives the same code in every command that reads a run.
out_of() { case $1 in draw) echo "-o $T/x.svg" ;; replay) echo "-o $T/x.html" ;; esac; }
for c in state check draw replay; do
    # shellcheck disable=SC2046 # out_of gives words
    expect_exit "$c-missing-database" "$EX_NO_INPUT" timeout 10 "$D" $c "$T/missing.db" $(out_of $c)
    # shellcheck disable=SC2046
    expect_exit "$c-bad-run" "$EX_USAGE" timeout 10 "$D" $c "$T/missing.db" --run 0x1 $(out_of $c)
    # shellcheck disable=SC2046
    expect_exit "$c-unknown-option" "$EX_USAGE" timeout 10 "$D" $c "$T/missing.db" --frobnicate $(out_of $c)
done
expect_exit diff-missing-input "$EX_NO_INPUT" timeout 10 "$D" diff "$T/missing.db" "$T/missing.db"
expect_exit ingest-missing-input "$EX_NO_INPUT" timeout 10 "$D" ingest "$T/missing" -q --no-progress
expect_exit run-schedule-from-missing "$EX_NO_INPUT" timeout 10 "$D" run --schedule-from "$T/missing.db"
# An unknown run: a database made here from a short recorded run (needs LTTng).
if timeout 60 "$D" record -o "$T/tr" -- --groups 2 --ops 2 >/dev/null 2>&1 &&
    timeout 60 "$D" ingest "$T/tr" -d "$T/one.db" -q --no-progress >/dev/null 2>&1; then
    for c in state check draw replay; do
        # shellcheck disable=SC2046
        expect_exit "$c-unknown-run" "$EX_NOT_FOUND" timeout 10 "$D" $c "$T/one.db" --run 99 $(out_of $c)
    done
    expect_exit diff-unknown-run "$EX_NOT_FOUND" timeout 10 "$D" diff "$T/one.db" "$T/one.db" --run-a 99
    expect_exit run-schedule-from-unknown-run "$EX_NOT_FOUND" timeout 10 "$D" run --schedule-from "$T/one.db" --run 99
else
    fail unknown-run "could not record and ingest a short run"
fi
# ---- help, --version and -q in every command -------------------------------------
version=$(timeout 10 "$D" --version)
echo "$version" | grep -qE '^dlsync [0-9]+\.[0-9]+' && pass version || fail version "'$version'"
for cmd in run explore step record ingest state check draw replay diff; do
    timeout 10 "$D" $cmd --help >"$T/help.$cmd" 2>&1; rc=$?
    if [ $rc -eq 0 ] && grep -q '^usage: dlsync' "$T/help.$cmd" && grep -q '^Exit status:' "$T/help.$cmd"; then
        pass "help-$cmd"
    else fail "help-$cmd" "exit $rc, or no usage: or Exit status: lines"; fi
    timeout 10 "$D" help $cmd >"$T/helpcmd.$cmd" 2>&1
    cmp -s "$T/help.$cmd" "$T/helpcmd.$cmd" && pass "help-cmd-$cmd" ||
        fail "help-cmd-$cmd" "dlsync help $cmd differs from dlsync $cmd --help"
    v=$(timeout 10 "$D" $cmd --version); rc=$?
    [ $rc -eq 0 ] && [ "$v" = "$version" ] && pass "version-$cmd" || fail "version-$cmd" "exit $rc: '$v'"
done
timeout 10 "$D" help >"$T/help.all" 2>&1 && timeout 10 "$D" --help | cmp -s - "$T/help.all" &&
    pass help-overview || fail help-overview "dlsync help differs from dlsync --help"
expect_exit help-unknown-command "$EX_USAGE" timeout 10 "$D" help frobnicate
for cmd in run explore step record ingest diff; do
    expect_exit "$cmd-unknown-option" "$EX_USAGE" timeout 10 "$D" $cmd --frobnicate "$T/missing"
done

# quiet NAME CMD...: CMD prints something on stdout; CMD -q prints nothing on
# stdout, and exits the same.
quiet() {
    name=$1; shift
    loud=$(timeout 60 "$@" 2>/dev/null); rc1=$?
    hush=$(timeout 60 "$@" -q 2>/dev/null); rc2=$?
    if [ -n "$loud" ] && [ -z "$hush" ] && [ $rc1 -eq $rc2 ]; then pass "quiet-$name"
    else fail "quiet-$name" "exit $rc1/$rc2; with -q: '$(echo "$hush" | head -2)'"; fi
}
quiet run "$D" run --groups 2 --ops 2
quiet explore "$D" explore --groups 2 --ops 2 --runs 2 --no-progress
timeout 20 "$D" run --groups 2 --ops 2 -q --events-out "$T/a.ev"
timeout 20 "$D" run --groups 2 --ops 2 --seed 2 -q --events-out "$T/b.ev"
quiet diff "$D" diff "$T/a.ev" "$T/b.ev"
if [ -s "$T/one.db" ]; then
    quiet ingest "$D" ingest "$T/tr" -d "$T/two.db" --no-progress
    quiet check "$D" check "$T/one.db"
    quiet draw "$D" draw "$T/one.db" -o "$T/q.svg"
    quiet replay "$D" replay "$T/one.db" -o "$T/q.html"
    # record: -q leaves only the `trace: PATH` line on stdout.
    out=$(timeout 60 "$D" record -q -o "$T/trq" -- --groups 2 --ops 2 2>/dev/null); rc=$?
    [ $rc -eq 0 ] && [ "$out" = "trace: $T/trq" ] && pass quiet-record ||
        fail quiet-record "exit $rc: '$(echo "$out" | head -3)'"
fi
summary cli
