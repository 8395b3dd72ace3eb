#!/bin/sh
# tests/step.sh REPO_ROOT — `dlsync step`, the student as the scheduler, on
# exercise 04's configuration (read from its exercise.conf).
# (a) Commands from a pipe: the letters of the exercise's solution reach its
#     hang, and the schedule step prints replays with `dlsync run --schedule`
#     to the same outcome (exit 3) and the same schedule; a step then `u`
#     shows the screen of before the step; a thread that waits is refused,
#     naming its wait, the decision does not advance, and the screen says
#     whom it waits for; a bad letter and a thread that does not exist are
#     refused; end of input quits with the schedule so far; --schedule
#     starts after its decisions (refused when one cannot apply),
#     --schedule-out writes the final schedule.
# (b) Through tmux (send-keys, capture-pane; every wait is a bounded poll of
#     the pane under timeout): the screen shows the threads and the prompt,
#     `u` goes back, the solution's letters one key at a time win (the hang),
#     `q` quits.
ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir step 60
EX=$ROOT/exercises/04-be-the-scheduler
conf() { awk -v k="$1" '$1 == k { print $2 }' "$EX/exercise.conf"; }
C="--scenario $(conf scenario) --groups $(conf groups) --ops $(conf ops) --variant $(conf variant)"
# letters SCHEDULE — its decisions one a line (letters with repeat counts).
letters() {
    echo "${1#v1:}" | awk '{
        while (match($0, /^[A-Za-z][0-9]*/)) {
            n = RLENGTH > 1 ? substr($0, 2, RLENGTH - 1) + 0 : 1
            for (i = 0; i < n; i++) print substr($0, 1, 1)
            $0 = substr($0, RLENGTH + 1)
        }
        if ($0 != "") print "?unexpected " $0
    }'
}
# screen FILE N — the Nth screen of a dialogue, up to its prompt, without
# the echo of the command typed.
screen() {
    awk -v n="$2" '/^decision / { k++ } k == n { print } k == n && /^run which thread?/ { exit }' "$1" |
        sed 's/\(help): \).*/\1/'
}
sol=$(cat "$EX/solution/schedule.txt")

# (a) a pipe
# shellcheck disable=SC2086
letters "$sol" | $T "$D" step $C > "$W/win.out" 2> "$W/win.err"
rc=$?
[ "$rc" -eq "$EX_HANG" ] && pass step-win-exit || fail step-win-exit "exit $rc, want $EX_HANG"
got=$(awk '$1 == "schedule" && $2 ~ /^v1:/ { print $2 }' "$W/win.out")
[ "$got" = "$sol" ] && pass step-win-schedule ||
    fail step-win-schedule "step printed '$got', the letters typed were $sol"
grep -q '^outcome  deadlock (exit 3)$' "$W/win.out" && pass step-win-outcome ||
    fail step-win-outcome "$(grep '^outcome' "$W/win.out")"
# shellcheck disable=SC2086
$T "$D" run $C --schedule "$got" > "$W/replay.out" 2>&1
rc=$?
[ "$rc" -eq "$EX_HANG" ] && grep -q '^dlsync: deadlock ' "$W/replay.out" &&
    grep -qx "dlsync: schedule $got" "$W/replay.out" && pass step-replays ||
    fail step-replays "dlsync run --schedule $got: exit $rc, want $EX_HANG (a deadlock, the same schedule)"
n=$(grep -c '^decision ' "$W/win.out")
k=$(letters "$sol" | wc -l)
[ "$n" -eq "$k" ] && pass step-one-screen-a-decision ||
    fail step-one-screen-a-decision "$n screens for $k decisions"
grep -q '^  A  *can run  *group-0 ' "$W/win.out" && grep -q '^  lease: ' "$W/win.out" &&
    grep -q '^  A  *next: ..*' "$W/win.out" && grep -q '^      then: ' "$W/win.out" &&
    grep -q '^  [AB]  *holds: .*lease' "$W/win.out" && pass step-screen ||
    fail step-screen "no thread line, lease line, holds or next action: $(head -8 "$W/win.out")"
# The last screen foretells the end: its last decision's preview says the run ends in the hang.
last=$(letters "$sol" | tail -1)
screen "$W/win.out" "$k" | awk -v l="$last" '$1 == l && $2 == "next:" { on = 1; next } on { print; exit }' |
    grep -q 'then: the run ends: deadlock (exit 3)$' && pass step-preview-end ||
    fail step-preview-end "the last screen's preview of $last does not say the run ends in a deadlock"

# --schedule starts after its decisions, --schedule-out keeps the final schedule.
pre=$(letters "$sol" | head -3 | tr -d '\n')
# shellcheck disable=SC2086
letters "$sol" | tail -n +4 | $T "$D" step $C --schedule "v1:$pre" --schedule-out "$W/sched.txt" \
    > "$W/pre.out" 2>&1
rc=$?
[ "$rc" -eq "$EX_HANG" ] && [ "$(cat "$W/sched.txt")" = "$sol" ] &&
    grep -q "^decision 4, schedule so far v1:" "$W/pre.out" && ! grep -q '^decision 1,' "$W/pre.out" &&
    pass step-schedule-prefix || fail step-schedule-prefix "exit $rc, schedule-out '$(cat "$W/sched.txt")'"
# shellcheck disable=SC2086
$T "$D" step $C --schedule v1:Z < /dev/null > "$W/z.out" 2>&1
rc=$?
[ "$rc" -eq "$EX_USAGE" ] && grep -q 'names a thread that cannot run' "$W/z.out" && pass step-schedule-not-applying ||
    fail step-schedule-not-applying "exit $rc: $(cat "$W/z.out")"

first=$(letters "$sol" | head -1)
printf '%s\nu\nq\n' "$first" | $T "$D" step $C > "$W/undo.out" 2>&1
rc=$?
screen "$W/undo.out" 1 > "$W/undo.1"
screen "$W/undo.out" 3 > "$W/undo.3"
screen "$W/undo.out" 2 > "$W/undo.2"
[ -s "$W/undo.1" ] && cmp -s "$W/undo.1" "$W/undo.3" && pass step-undo ||
    fail step-undo "the screen after $first then u differs from the first: $(diff "$W/undo.1" "$W/undo.3" | head -4)"
grep -q "^decision 2, schedule so far v1:$first\$" "$W/undo.2" && pass step-undo-stepped ||
    fail step-undo-stepped "the second screen is not after decision $first: $(head -1 "$W/undo.2")"
[ "$rc" -eq 0 ] && grep -q '^quit after 0 decisions; schedule v1:$' "$W/undo.out" &&
    pass step-quit || fail step-quit "exit $rc: $(tail -1 "$W/undo.out")"

printf '#\nZ\n1\n' | $T "$D" step $C > "$W/bad.out" 2>&1
rc=$?
grep -q "^run which thread?.*: #\$" "$W/bad.out" &&
    grep -q "^'#' is neither a thread's letter nor a command" "$W/bad.out" &&
    grep -q "^'1' is neither a thread's letter nor a command" "$W/bad.out" &&
    pass step-bad-letter || fail step-bad-letter "$(grep -v '^ ' "$W/bad.out" | head -8)"
grep -q '^there is no thread Z now' "$W/bad.out" && pass step-no-thread ||
    fail step-no-thread "$(grep -v '^ ' "$W/bad.out" | head -8)"
[ "$rc" -eq 0 ] && [ "$(grep -c '^decision 1,' "$W/bad.out")" -eq 4 ] &&
    grep -q '^quit after 0 decisions' "$W/bad.out" && pass step-bad-no-decision ||
    fail step-bad-no-decision "exit $rc, or a refused line made a decision"

# A thread that waits: three groups, the main group always picked, until it
# waits for its child and is refused.
# shellcheck disable=SC2086
yes A | head -12 | $T "$D" step $C --groups 3 > "$W/wait.out" 2>&1
awk '
    /^decision / { if (refused && $2 != dec) bad = "the refused decision advanced"; refused = 0; dec = $2; waits = 0 }
    /^  A  *waits  *group-0 \(main\): ./ { waits = 1; why = $0; sub(/^.*\(main\): /, "", why) }
    /^A cannot run now: / {
        refused = 1; n++
        if (!waits) bad = "A refused but its line does not say it waits"
        else if (index($0, why) == 0) bad = "the refusal does not name the wait: " $0
    }
    END {
        if (!n) bad = "A never refused"
        if (bad) { print bad; exit 1 }
    }' "$W/wait.out" > "$W/wait.why" && pass step-refuses-waiting ||
    fail step-refuses-waiting "$(cat "$W/wait.why")"
grep -q '^  A  *waits for group-[0-9]*: ..*' "$W/wait.out" && pass step-waits-for ||
    fail step-waits-for "no 'A waits for group-N: why' line (the wait-for graph) for the waiting A"

$T "$D" step --help > "$W/help.out" 2>&1 && grep -q '^usage: dlsync step' "$W/help.out" &&
    grep -q -- '--schedule-out' "$W/help.out" && pass step-help || fail step-help "$(head -3 "$W/help.out")"
expect_exit step-sched-os "$EX_USAGE" $T "$D" step --sched os
expect_exit step-bad-schedule "$EX_USAGE" $T "$D" step --schedule v1:#

# (b) tmux
if ! command -v tmux >/dev/null 2>&1; then
    fail tmux "no tmux: install the Debian package tmux (scripts/deps.sh)"
    summary step
    exit
fi
unset TMUX # a server of its own, even when the tests run inside tmux
S="tmux -L dlsync-step-$$ -f /dev/null"
trap '$S kill-server 2>/dev/null' EXIT
pane() { $S capture-pane -p -J -S -1000 -t step; }
# await TEXT [N] — poll the pane until N (default 1) of its lines match TEXT
# (bounded by $T).
await() {
    $T sh -c 'until [ "$('"$S"' capture-pane -p -J -S -1000 -t step | grep -c -- "$1")" -ge "$2" ]; do :; done' \
        sh "$1" "${2:-1}"
}
# shellcheck disable=SC2086
$S new-session -d -s step -x 150 -y 50 "cd '$W' && '$D' step $C; echo \"step exit \$?\"; read x"
if await 'run which thread?'; then pass tmux-prompt; else fail tmux-prompt "$(pane | tail -5)"; fi
pane > "$W/tmux.1"
grep -q '^decision 1, schedule so far v1:$' "$W/tmux.1" && grep -q '^  A  *can run  *group-0 ' "$W/tmux.1" &&
    grep -q '^  B  *can run  *group-1 ' "$W/tmux.1" && pass tmux-threads ||
    fail tmux-threads "$(head -6 "$W/tmux.1")"
$S send-keys -t step "$first" Enter
await "^decision 2, schedule so far v1:$first" && pass tmux-step || fail tmux-step "$(pane | tail -5)"
$S send-keys -t step u Enter
await '^decision 1, schedule so far v1:$' 2 &&
    [ "$(pane | grep '^decision ' | tail -1)" = "decision 1, schedule so far v1:" ] &&
    pass tmux-undo || fail tmux-undo "$(pane | grep '^decision ' | tail -2)"
# The win, a key at a time: each letter waits for the screen of the next decision.
i=1 won=1
for l in $(letters "$sol"); do
    $S send-keys -t step "$l" Enter
    i=$((i + 1))
    await "^decision $i, \|^outcome " $((i == 2 ? 2 : 1)) || { won=0; break; }
done
await '^step exit ' && pane | grep -q '^outcome  deadlock (exit 3)$' &&
    pane | grep -q "^schedule $sol\$" && pane | grep -q "^step exit $EX_HANG\$" && [ $won = 1 ] &&
    pass tmux-win || fail tmux-win "$(pane | tail -6)"
$S kill-session -t step 2>/dev/null
$S new-session -d -s step -x 150 -y 50 "cd '$W' && '$D' step $C; echo \"step exit \$?\"; read x"
await 'run which thread?' && $S send-keys -t step q Enter && await '^step exit ' &&
    pane | grep -q '^quit after 0 decisions; schedule v1:$' && pane | grep -q '^step exit 0$' &&
    pass tmux-quit || fail tmux-quit "$(pane | tail -4)"
summary step
