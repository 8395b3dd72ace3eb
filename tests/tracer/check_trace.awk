# tests/tracer/check_trace.awk — judge one dlsync trace from babeltrace2's text
# output (an independent reader: nothing of dlsync's own code is used).
#
#   babeltrace2 DIR | awk -v tag=NAME -v mode=clean|hang -f check_trace.awk
#
# Prints one line per check, `PASS tag.check` or `FAIL tag.check: why`, and
# exits 1 if any failed.  Checks:
#   run_end     exactly one run_end event
#   counts      per kind, events in the trace == n_<kind> carried by run_end
#               (run_end itself excluded).  mode=hang: >= instead, since
#               threads that still spin after the watchdog summed the counters
#               keep emitting until the process exits.
#   pairs       every blocking lock_attempt has its lock_acquired, every
#               bus_recv_begin its bus_recv_end, every barrier_arrive its
#               barrier_depart, every wait_begin its wait_end (same thread and
#               ids), except a begin that is its thread's last event (that
#               thread ended blocked); no end without its begin.
#   blocked     mode=hang: some thread ends blocked; mode=clean: none does.
#   one_process every event has the same vpid (no other run leaked in).
# Keys: lock (vtid, obj, mode); bus (vtid, obj); barrier (vtid, obj, epoch,
# phase); wait (vtid, mode).

function fail(check, why) {
    printf "FAIL %s.%s: %s\n", tag, check, why
    failed = 1
}

function pass(check) {
    printf "PASS %s.%s\n", tag, check
}

# Split the fields of the current line ("key = value" pairs, values being
# integers or quoted strings) into f[].
function parse(line,    rest, kv, key, val, eq) {
    for (key in f)
        delete f[key]
    rest = line
    while (match(rest, /[a-z_][a-z_0-9]* = ("[^"]*"|-?[0-9]+)/)) {
        kv = substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
        eq = index(kv, " = ")
        key = substr(kv, 1, eq - 1)
        val = substr(kv, eq + 3)
        f[key] = val
    }
}

function begin_(key) {
    open[key]++
    openat[key] = nev
}

function end_(key, strict) {
    if (open[key] > 0)
        open[key]--
    else if (strict)
        orphan_end[key] = nev
}

{
    name = ""
    for (i = 1; i <= NF; i++)
        if ($i ~ /^dlsync:[a-z_]+:$/) {
            name = substr($i, 8, length($i) - 8)
            break
        }
    if (name == "")
        next
    parse($0)
    nev++
    cnt[name]++
    tid = f["vtid"]
    if (tid == "") {
        fail("contexts", "event without vtid context (line " NR ")")
        tid = "?"
    }
    lastev[tid] = nev
    vpids[f["vpid"]] = 1

    if (name == "run_end") {
        runends++
        for (k in f)
            if (k ~ /^n_/)
                carried[substr(k, 3)] = f[k] + 0
    } else if (name == "lock_attempt" && f["how"] == 1) {
        begin_("lock " tid " " f["obj"] " " f["mode"])
    } else if (name == "lock_acquired") {
        end_("lock " tid " " f["obj"] " " f["mode"], 0)
    } else if (name == "bus_recv_begin") {
        begin_("bus " tid " " f["obj"])
    } else if (name == "bus_recv_end") {
        end_("bus " tid " " f["obj"], 1)
    } else if (name == "barrier_arrive") {
        begin_("barrier " tid " " f["obj"] " " f["epoch"] " " f["phase"])
    } else if (name == "barrier_depart") {
        end_("barrier " tid " " f["obj"] " " f["epoch"] " " f["phase"], 1)
    } else if (name == "wait_begin") {
        begin_("wait " tid " " f["mode"])
    } else if (name == "wait_end") {
        end_("wait " tid " " f["mode"], 1)
    }
}

END {
    if (nev == 0) {
        fail("events", "no dlsync event in the trace")
        exit 1
    }
    if (runends == 1)
        pass("run_end")
    else
        fail("run_end", runends + 0 " run_end events")

    bad = ""
    for (k in carried) {
        c = cnt[k] + 0
        if ((mode == "hang" && c < carried[k]) || (mode != "hang" && c != carried[k]))
            bad = bad " " k "(trace " c ", run_end " carried[k] ")"
    }
    for (k in cnt)
        if (k != "run_end" && !(k in carried))
            bad = bad " " k "(trace " cnt[k] ", not in run_end)"
    if (runends == 0)
        bad = bad " (no run_end to compare with)"
    if (bad == "")
        pass("counts")
    else
        fail("counts", bad)

    bad = ""
    nblocked = 0
    for (key in open) {
        if (open[key] == 0)
            continue
        split(key, w, " ")
        t = w[2]
        if (open[key] == 1 && openat[key] == lastev[t])
            nblocked++
        else
            bad = bad " [" key ": " open[key] " unmatched, thread not ended there]"
    }
    for (key in orphan_end)
        bad = bad " [" key ": end without begin]"
    if (bad == "")
        pass("pairs")
    else
        fail("pairs", bad)

    if (mode == "hang") {
        if (nblocked > 0)
            pass("blocked")
        else
            fail("blocked", "no thread ends blocked in a hang")
    } else {
        if (nblocked == 0)
            pass("blocked")
        else
            fail("blocked", nblocked " thread(s) end blocked in a run that exited 0")
    }

    nv = 0
    for (v in vpids)
        nv++
    if (nv == 1)
        pass("one_process")
    else
        fail("one_process", nv " different vpids")
    exit (failed ? 1 : 0)
}
