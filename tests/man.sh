#!/bin/sh
# tests/man.sh BIN — the man pages scripts/mkman.sh makes from the --help
# texts: one a command, each rendered without a warning, naming every long
# option its --help names, and the same bytes on every run.
. "$(dirname "$0")/lib.sh"
D=$1
MKMAN="$(dirname "$0")/../scripts/mkman.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if command -v groff >/dev/null 2>&1; then
    warnings() { { groff -man -Tutf8 -ww -z "$1" >/dev/null; } 2>&1; }
    render() { groff -man -Tutf8 -P-cbou "$1" 2>/dev/null; }
elif command -v man >/dev/null 2>&1; then
    warnings() { { MANWIDTH=80 man -l "$1" >/dev/null; } 2>&1; }
    render() { MANWIDTH=80 man -l "$1" 2>/dev/null; }
else
    fail renderer "neither groff nor man: install the Debian package groff-base"
    summary man; exit
fi
# Long options, one a line; U+2212 (minus) and U+2010 (hyphen) read as '-'.
minus=$(printf '\342\210\222') hyphen=$(printf '\342\200\220')
longopts() {
    LC_ALL=C sed "s/$minus/-/g; s/$hyphen/-/g" |
        grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | LC_ALL=C sort -u
}

if sh "$MKMAN" "$D" "$T/a" 2>"$T/err" && sh "$MKMAN" "$D" "$T/b" 2>>"$T/err"; then
    pass mkman
else fail mkman "$(head -3 "$T/err")"; fi
cmds=$(timeout 10 "$D" --help | awk '/^Commands:$/ { on = 1; next } on && !NF { exit } on { print $1 }')
[ -n "$cmds" ] && pass commands-listed || fail commands-listed "no Commands: list in $D --help"

for c in "" $cmds; do
    name=dlsync${c:+-$c}
    f=$T/a/$name.1
    if [ ! -s "$f" ]; then fail "$name-exists" "no $name.1, or empty"; continue; fi
    pass "$name-exists"
    w=$(warnings "$f")
    [ -z "$w" ] && pass "$name-renders" || fail "$name-renders" "$(echo "$w" | head -3)"
    timeout 10 "$D" $c --help | longopts > "$T/help"
    render "$f" | longopts > "$T/page"
    missing=$(LC_ALL=C comm -23 "$T/help" "$T/page" | tr '\n' ' ')
    [ -z "$missing" ] && pass "$name-options" || fail "$name-options" "not in the page: $missing"
    cmp -s "$f" "$T/b/$name.1" && pass "$name-same-twice" || fail "$name-same-twice" "the two runs differ"
done
summary man
