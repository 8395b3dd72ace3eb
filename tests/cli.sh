#!/bin/sh
# tests/cli.sh BIN — the dlsync command line: --help everywhere, lists,
# distinct exit codes, clear errors naming the file, line and cause.
. "$(dirname "$0")/lib.sh"
D=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for cmd in "" run record explore diff; do
    out=$(timeout 10 "$D" $cmd --help 2>&1); rc=$?
    if [ $rc -eq 0 ] && echo "$out" | grep -q usage; then pass "help-${cmd:-dlsync}"
    else fail "help-${cmd:-dlsync}" "exit $rc"; fi
done
n=$(timeout 10 "$D" run --list-scenarios | wc -l)
[ "$n" -ge 5 ] && pass list-scenarios || fail list-scenarios "only $n"
for v in none naive-write blocking-read lease-after-write lost-wakeup relaxed-wake no-phase2 \
         no-self-drain exit-subscribed guest-wait early-lease-release; do
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
summary cli
