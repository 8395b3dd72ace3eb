#!/bin/sh
# tests/tracer/catalogue.sh [DOC] — the event catalogue (tracer/catalogue.h)
# and docs/events.md's table of events agree: the same kinds, with the same
# numbers and names, in the same order.
#
# The catalogue is read through the C preprocessor (${CC:-cc} -E), so the
# list compared is the one the build expands, not a guess from its text.
# DOC (default docs/events.md) lets a test point it at a changed copy.
# Prints `PASS name` / `FAIL name: why`; exit 0 when every check passed.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
doc=${1:-docs/events.md}
work=$(mktemp -d "${TMPDIR:-/tmp}/dlsync-catalogue.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# "NUMBER NAME" per kind, from the catalogue: each kind expands to one
# @name@ token, the line number after splitting is its number.
printf '#include "tracer/catalogue.h"\n#define ROW(KIND, name, class, s, s2) @name@\nDLSYNC_EVENTS(ROW)\n' \
    > "$work/list.c"
if timeout 60 "${CC:-cc}" -E -P -I. "$work/list.c" > "$work/expanded" 2> "$work/cc.err"; then
    tr -s ' @\n' '\n' < "$work/expanded" | grep -v '^$' | awk '{ print NR - 1, $0 }' > "$work/catalogue"
    pass catalogue-expands
else
    fail catalogue-expands "$(head -3 "$work/cc.err")"
fi

# "NUMBER NAME" per row of the table of events: | 3 | `thread_exit` | ...
timeout 10 sed -n 's/^| *\([0-9][0-9]*\) *| *`\([a-z_]*\)` *|.*/\1 \2/p' "$doc" > "$work/doc"

n=$(wc -l < "$work/catalogue")
if [ "$n" -gt 30 ]; then pass catalogue-kinds; else fail catalogue-kinds "only $n kinds expanded"; fi
if timeout 10 diff "$work/catalogue" "$work/doc" > "$work/diff"; then
    pass catalogue-matches-docs
else
    fail catalogue-matches-docs "tracer/catalogue.h and $doc disagree (< catalogue, > docs): $(tr '\n' ' ' < "$work/diff")"
fi
summary catalogue
