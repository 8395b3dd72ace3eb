#!/bin/sh
# tests/tracer/e2e.sh BIN_DIR — end-to-end test of `dlsync record`.
#
# Records real runs of BIN_DIR/dlsync under LTTng, reads every trace back with
# the babeltrace2 command-line tool (an independent reader) and judges it with
# tests/tracer/check_trace.awk.  Prints one line per check, `PASS name` or
# `FAIL name: why`; exit status 0 when every check passed, 1 otherwise, 2 on
# bad usage.
#
# Cases: default scenario (clean: exact counts, every begin matched); a hang
# (--variant exit-subscribed --scenario spawn-storm, watchdog --timeout 2:
# exit 3, some thread ends blocked); two records at the same time (separate
# traces, no mixing); --snapshot after a hang and after a success; bad usage;
# a run that refuses its options or scenario (nothing left behind).
#
# Every command runs under `timeout`.  If no session daemon was running, the
# one `dlsync record` starts is stopped at the end (its pid from the pid
# file), unless E2E_KEEP_SESSIOND=1.  E2E_KEEP=1 keeps the work directory.
# E2E_SEED (default 7) seeds the hang; E2E_TIMEOUT (default 120) bounds each
# command in seconds.  E2E_BT_COUNTS=PATH (tests/tracer/bt_counts, built as
# $(O)/tests/tracer/bt_counts) adds a second reader, the libbabeltrace2 C API,
# for the count check.
set -u

bin=${1:-}
if [ -z "$bin" ]; then
    echo "usage: $0 BIN_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh" # the exit codes; pass and fail are this script's own
bin=$(cd "$bin" && pwd)
dlsync=$bin/dlsync
seed=${E2E_SEED:-7}
limit=${E2E_TIMEOUT:-120}
failures=0

pass() { echo "PASS $1"; }
fail() {
    echo "FAIL $1${2:+: $2}"
    failures=$((failures + 1))
}

for tool in babeltrace2 timeout awk; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL prerequisites: $tool not found (babeltrace2: Debian package babeltrace2)"
        exit 1
    fi
done
if [ ! -x "$dlsync" ]; then
    echo "FAIL prerequisites: $dlsync not built"
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dlsync-e2e.XXXXXX")

if [ "$(id -u)" = 0 ]; then
    pidfile=/var/run/lttng/lttng-sessiond.pid
else
    pidfile=${LTTNG_HOME:-$HOME}/.lttng/lttng-sessiond.pid
fi
# True when the pid file names a live (not zombie) lttng-sessiond; sets $p.
daemon_alive() {
    [ -r "$pidfile" ] && p=$(cat "$pidfile" 2>/dev/null) && [ -n "$p" ] &&
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = lttng-sessiond ] &&
        [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]
}
daemon_before=no
if daemon_alive; then daemon_before=yes; fi

cleanup() {
    if [ "$daemon_before" = no ] && [ "${E2E_KEEP_SESSIOND:-0}" != 1 ] && daemon_alive; then
        kill "$p" 2>/dev/null
        i=0
        while [ $i -lt 50 ] && daemon_alive; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    if [ "${E2E_KEEP:-0}" = 1 ]; then
        echo "e2e: work directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# record TAG WANT_RC -- ARGS...: run `dlsync record ARGS` (from $work), check
# its exit status; sets $trace to the directory it printed (or empty).
record() {
    tag=$1
    want=$2
    shift 3
    (cd "$work" && timeout -k 5 "$limit" "$dlsync" record "$@") \
        >"$work/$tag.out" 2>"$work/$tag.err"
    rc=$?
    if [ "$rc" = "$want" ]; then
        pass "$tag.exit"
    else
        fail "$tag.exit" "exit $rc, want $want; stderr: $(tail -n 3 "$work/$tag.err" | tr '\n' ' ')"
    fi
    trace=$(sed -n 's/^trace: //p' "$work/$tag.out" | tail -n 1)
}

# judge TAG MODE: read $trace with babeltrace2 and run the checks.
judge() {
    tag=$1
    mode=$2
    if [ -z "$trace" ] || [ ! -d "$trace" ]; then
        fail "$tag.trace" "no 'trace: DIR' line naming a directory"
        return
    fi
    pass "$tag.trace"
    if grep -q 'discarded' "$work/$tag.err"; then
        fail "$tag.no_discards" "$(grep discarded "$work/$tag.err")"
    else
        pass "$tag.no_discards"
    fi
    if ! timeout -k 5 "$limit" babeltrace2 "$trace" >"$work/$tag.txt" 2>"$work/$tag.bt.err"; then
        fail "$tag.read" "babeltrace2: $(head -n 3 "$work/$tag.bt.err" | tr '\n' ' ')"
        return
    fi
    pass "$tag.read"
    awk -v tag="$tag" -v mode="$mode" -f "$here/check_trace.awk" "$work/$tag.txt" >"$work/$tag.check"
    cat "$work/$tag.check"
    n=$(grep -c '^FAIL' "$work/$tag.check")
    failures=$((failures + n))
    if [ -n "${E2E_BT_COUNTS:-}" ]; then
        hangopt=
        [ "$mode" = hang ] && hangopt=--hang
        if timeout -k 5 "$limit" "$E2E_BT_COUNTS" $hangopt "$trace" >"$work/$tag.capi" 2>&1; then
            pass "$tag.capi_counts"
        else
            fail "$tag.capi_counts" "$(head -c 300 "$work/$tag.capi")"
        fi
    fi
}

# (a) The default scenario, default output directory.
record default 0 -- 
judge default clean
case "$trace" in
"$work"/dlsync-traces/dlsync-*) pass default.default_dir ;;
*) fail default.default_dir "trace in '$trace', want $work/dlsync-traces/dlsync-*" ;;
esac

# (b) A hang caught by the run's watchdog.
record hang 3 -- -o "$work/hang" --timeout 2 -- \
    --variant exit-subscribed --scenario spawn-storm --seed "$seed"
judge hang hang

# (c) Two recordings at the same time.
(cd "$work" && timeout -k 5 "$limit" "$dlsync" record -o "$work/par1" -- --seed 1) \
    >"$work/par1.out" 2>"$work/par1.err" &
p1=$!
(cd "$work" && timeout -k 5 "$limit" "$dlsync" record -o "$work/par2" -- --seed 2) \
    >"$work/par2.out" 2>"$work/par2.err" &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 0 ]; then
    pass parallel.exit
else
    fail parallel.exit "exits $rc1 and $rc2; $(tail -n 2 "$work/par1.err" "$work/par2.err" | tr '\n' ' ')"
fi
trace=$(sed -n 's/^trace: //p' "$work/par1.out")
judge par1 clean
t1=$trace
trace=$(sed -n 's/^trace: //p' "$work/par2.out")
judge par2 clean
if [ -n "$t1" ] && [ "$t1" != "$trace" ]; then pass parallel.separate; else
    fail parallel.separate "same trace directory '$t1'"
fi

# (d) Flight-recorder mode: a hang leaves a snapshot, a success leaves none.
record snaphang 3 -- -o "$work/snaphang" --snapshot --timeout 2 -- \
    --variant exit-subscribed --scenario spawn-storm --seed "$seed"
case "$trace" in
"$work"/snaphang/snapshot-*)
    pass snaphang.trace
    if timeout -k 5 "$limit" babeltrace2 "$trace" >"$work/snaphang.txt" 2>/dev/null &&
        grep -q 'dlsync:run_end:' "$work/snaphang.txt"; then
        pass snaphang.read
    else
        fail snaphang.read "no readable run_end in the snapshot"
    fi
    ;;
*) fail snaphang.trace "got '$trace', want $work/snaphang/snapshot-*" ;;
esac
record snapok 0 -- -o "$work/snapok" --snapshot
if [ -z "$trace" ]; then pass snapok.no_trace; else fail snapok.no_trace "printed trace: $trace"; fi

# (e) Usage errors and help.
mkdir -p "$work/full" && : >"$work/full/x"
record usage_nonempty "$EX_OUTPUT" -- -o "$work/full"
record usage_timeout 2 -- --timeout abc
if timeout 10 "$dlsync" record --help | grep -q 'Exit status'; then pass usage.help; else
    fail usage.help "no usage text"
fi

# (f) A run that refuses its options or scenario leaves nothing behind:
# exit 2 with the run's message naming the cause, no `trace:` line, no
# directory record made; a directory the user gave with -o that existed
# stays (regression: a 0-event trace was left and named).
# refused TAG DIR WORD KEPT: after `record TAG 2 ...`, stderr names WORD and
# DIR is gone (KEPT=no) or still there, empty (KEPT=yes).
refused() {
    tag=$1 dir=$2 word=$3 kept=$4
    if grep -q -- "$word" "$work/$tag.err"; then pass "$tag.message"; else
        fail "$tag.message" "stderr does not name '$word': $(head -c 300 "$work/$tag.err")"
    fi
    if [ -z "$trace" ]; then pass "$tag.no_trace_line"; else
        fail "$tag.no_trace_line" "printed trace: $trace"
    fi
    if [ "$kept" = no ] && [ ! -e "$dir" ]; then
        pass "$tag.no_dir"
    elif [ "$kept" = yes ] && [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; then
        pass "$tag.user_dir_kept"
    else
        fail "$tag.dir" "$dir: want $([ "$kept" = yes ] && echo 'kept, empty' || echo gone), have: $(ls -la "$dir" 2>&1 | head -5 | tr '\n' ' ')"
    fi
}
record badname 2 -- -o "$work/badname" -- --scenario nosuch
refused badname "$work/badname" nosuch no
printf 'scenario broken\nmodule libc\n' >"$work/broken.dls"
record badfile 2 -- -o "$work/badfile/sub" -- --scenario "$work/broken.dls"
refused badfile "$work/badfile" "broken.dls:2" no
mkdir "$work/mine"
record badmine 2 -- -o "$work/mine" -- --scenario nosuch
refused badmine "$work/mine" nosuch yes
mkdir "$work/fresh"
(cd "$work/fresh" && timeout -k 5 "$limit" "$dlsync" record -- --scenario nosuch) \
    >"$work/baddefault.out" 2>"$work/baddefault.err"
rc=$?
trace=$(sed -n 's/^trace: //p' "$work/baddefault.out")
if [ "$rc" = 2 ]; then pass baddefault.exit; else fail baddefault.exit "exit $rc, want 2"; fi
refused baddefault "$work/fresh/dlsync-traces" nosuch no
# Refused by the run itself, after the session was made: an --events-out
# it cannot create.
record refusedrun "$EX_OUTPUT" -- -o "$work/refusedrun" -- --events-out "$work/nodir/events" --ops 2
refused refusedrun "$work/refusedrun" "nodir/events" no
mkdir "$work/mine2"
record refusedmine "$EX_OUTPUT" -- -o "$work/mine2" -- --events-out "$work/nodir/events" --ops 2
refused refusedmine "$work/mine2" "nodir/events" yes

if [ "$failures" = 0 ]; then
    echo "PASS e2e (all checks)"
    exit 0
fi
echo "FAIL e2e ($failures failed)"
exit 1
