#!/usr/bin/env python3
"""tests/replay/waitgraph.py CHECK.json GRAPH.dot — do `dlsync check --json`
and `dlsync draw --waitfor` (DOT) tell the same wait-for graph?

From draw's DOT: every thread node with a waitsfor= attribute is blocked and
waits for the threads it lists (nobody: none); cycle=1 marks one on a cycle.
From check: the threads its deadlock and stall findings name.  They agree
when check names exactly the blocked threads and the threads they wait for,
every thread of draw's cycles is named by a deadlock finding, and there is a
deadlock finding only when draw has a cycle.  Prints what differs and exits 1,
or exits 0."""
import json
import re
import sys

NAME = re.compile(r"group-\d+|thread \d+|dlsync|nobody")


def dot_nodes(text):
    """Thread nodes of the DOT text: name -> their attributes."""
    nodes = {}
    for m in re.finditer(r"^\s*(\w+)\s*\[(.*?)\];", text, re.S | re.M):
        attrs = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,\s\]]+)', m.group(2)))
        attrs = {k: v.strip('"') for k, v in attrs.items()}
        if "thread" in attrs:
            nodes[m.group(1)] = attrs
    return nodes


def main():
    check = json.load(open(sys.argv[1]))
    nodes = dot_nodes(open(sys.argv[2]).read())
    blocked, targets, cycle = set(), set(), set()
    for a in nodes.values():
        if "waitsfor" not in a:
            continue
        blocked.add(a["thread"])
        targets |= set(NAME.findall(a["waitsfor"])) - {"nobody"}
        if a.get("cycle") == "1":
            cycle.add(a["thread"])
    named, in_deadlock = set(), set()
    for f in check["findings"]:
        if f["rule"] not in ("deadlock", "stall"):
            continue
        th = set(NAME.findall(f["threads"]))
        named |= th
        if f["rule"] == "deadlock":
            in_deadlock |= th
    bad = []
    if named != blocked | targets:
        bad.append("check names %s, draw's graph has %s (blocked %s)"
                   % (sorted(named), sorted(blocked | targets), sorted(blocked)))
    if not cycle <= in_deadlock:
        bad.append("draw's cycle %s, check's deadlocks name %s" % (sorted(cycle), sorted(in_deadlock)))
    if bool(cycle) != bool(in_deadlock):
        bad.append("draw %s a cycle, check %s a deadlock"
                   % ("has" if cycle else "has no", "finds" if in_deadlock else "finds no"))
    if not blocked:
        bad.append("draw's graph has no blocked thread")
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main())
