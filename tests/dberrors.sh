#!/bin/sh
# tests/dberrors.sh REPO_ROOT — every command that reads a database (state,
# check, draw, replay) tells what is wrong with one the same way (db_open in
# replay/db.c) and exits with its documented error status: a missing file, a
# directory, an empty file, an SQLite file without tables, a file that is not
# SQLite, another schema version, a database locked by another process, a hot
# journal on read-only media; and a hot journal on writable media is rolled
# back, not refused.  Prints PASS/FAIL lines and the closing count; every
# command is bounded by timeout (the lock holder ends when its stdin closes).

ROOT=$(cd "${1:-.}" && pwd)
. "$ROOT/tests/lib.sh"
workdir dberrors

if $T "$D" record -o "$W/tr" -- --scenario mixed --groups 2 --ops 4 --seed 3 >"$W/record.log" 2>&1 &&
    $T "$D" ingest "$W/tr" -d "$W/good.db" --quiet --no-progress >/dev/null 2>&1; then
    pass "record and ingest a small run"
else
    fail "record and ingest a small run" "see $W/record.log"
    summary dberrors
    exit 1
fi
VERSION=$(sqlite3 "$W/good.db" "SELECT value FROM meta WHERE key = 'schema_version'")

# run_cmd CMD DB: the command on DB, stderr into $W/CMD.err; prints its status.
run_cmd() {
    case $1 in
    state | check) $T "$D" "$1" "$2" >/dev/null 2>"$W/$1.err" ;;
    draw) $T "$D" draw "$2" -o "$W/out.svg" --quiet >/dev/null 2>"$W/$1.err" ;;
    replay) $T "$D" replay "$2" -o "$W/out.html" >/dev/null 2>"$W/$1.err" ;;
    esac
    echo $?
}
# expect_db NAME DB PATTERN: each command exits with its error status and
# says PATTERN (grep -E).
expect_db() {
    name=$1 db=$2 pat=$3
    for c in state check draw replay; do
        rc=$(run_cmd $c "$db")
        want=$EX_NO_INPUT
        if [ "$rc" -eq "$want" ] && grep -Eq "^dlsync $c: .*$pat" "$W/$c.err"; then
            pass "$c, $name: exit $want, '$pat'"
        else
            fail "$c, $name" "exit $rc (want $want): $(head -2 "$W/$c.err" | tr '\n' ' ')"
        fi
    done
}

expect_db "missing file" "$W/missing.db" "cannot open: No such file or directory"
mkdir "$W/dir.db"
expect_db "a directory" "$W/dir.db" "a directory, not a database file"
: >"$W/empty.db"
expect_db "an empty file" "$W/empty.db" "an empty file, not a dlsync database"
sqlite3 "$W/notables.db" "PRAGMA user_version = 1;"
expect_db "an SQLite file without tables" "$W/notables.db" "not a dlsync database \(no tables"
head -c 8192 "$W/good.db" | tr '\000-\377' 'x' >"$W/text.db"
expect_db "a file that is not SQLite" "$W/text.db" "not a dlsync database \(not an SQLite file\)"
cp "$W/good.db" "$W/schema.db"
sqlite3 "$W/schema.db" "UPDATE meta SET value = '$((VERSION + 1))' WHERE key = 'schema_version'"
expect_db "another schema version" "$W/schema.db" "schema version $((VERSION + 1)), this dlsync reads version $VERSION"

# ---- locked: another process holds the write lock (EXCLUSIVE) -----------------
cp "$W/good.db" "$W/locked.db"
mkfifo "$W/hold.in" "$W/hold.out"
timeout 120 python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN EXCLUSIVE')
print('locked', flush=True)
sys.stdin.read()
" "$W/locked.db" <"$W/hold.in" >"$W/hold.out" &
holder=$!
exec 7>"$W/hold.in"
read -r said <"$W/hold.out"
if [ "$said" = locked ]; then
    pass "another process holds the write lock"
    # The four wait out their busy timeout side by side.
    pids=""
    for c in state check draw replay; do
        (run_cmd $c "$W/locked.db" >"$W/$c.rc") &
        pids="$pids $!"
    done
    wait $pids
    for c in state check draw replay; do
        rc=$(cat "$W/$c.rc")
        want=$EX_NO_INPUT
        if [ "$rc" -eq "$want" ] && grep -q "^dlsync $c: .*locked by another process" "$W/$c.err" &&
            ! grep -q "not a dlsync database" "$W/$c.err"; then
            pass "$c, a locked database: exit $want, 'locked by another process'"
        else
            fail "$c, a locked database" "exit $rc (want $want): $(head -2 "$W/$c.err" | tr '\n' ' ')"
        fi
    done
else
    fail "another process holds the write lock" "the holder said '$said'"
fi
exec 7>&-
wait $holder

# ---- hot journals -----------------------------------------------------------
# A writer killed inside a transaction that has already written pages: the
# database and its hot journal (SQLite rolls it back on the next open that
# may write).
make_hot() { # DIR: DIR/t.db with a hot DIR/t.db-journal
    mkdir -p "$1"
    cp "$W/good.db" "$1/t.db"
    timeout 60 python3 -c "
import os, signal, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size = 2')
c.execute('BEGIN IMMEDIATE')
c.execute('UPDATE events SET a = a + 1')
# More pages than the cache holds: SQLite syncs the journal and writes
# pages into the database before the commit that never comes.
c.execute('CREATE TABLE pad(x)')
c.execute('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) '
          'INSERT INTO pad SELECT randomblob(3000) FROM n')
os.kill(os.getpid(), signal.SIGKILL)
" "$1/t.db" 2>/dev/null
    # Hot: a journal whose header SQLite has synced (its magic is not zero).
    [ -s "$1/t.db-journal" ] && [ "$(head -c 8 "$1/t.db-journal" | od -An -tx1 | tr -d ' ')" = d9d505f920a163d7 ]
}
sum_a() { sqlite3 "file:$1?mode=ro&immutable=1" "SELECT total(a) FROM events"; }
want_sum=$(sum_a "$W/good.db")

# On read-only media: a read-only bind mount as root (in a private mount
# namespace), else a directory and files without write permission (which
# does not bind root).  in_ro CMD...: CMD where $W/ro is read-only; $files:
# the directory that holds what $W/ro shows.
how=""
if [ "$(id -u)" != 0 ]; then
    how="a directory without write permission"
    files=$W/ro
    in_ro() { "$@"; }
elif unshare -m true 2>/dev/null; then
    how="a read-only bind mount"
    files=$W/hot-src
    in_ro() { unshare -m sh -c 'mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && shift 2 && "$@"' \
        sh "$W/hot-src" "$W/ro" "$@"; }
else
    fail "read-only media" "root without mount namespaces (unshare -m): cannot make any here"
fi
read_only_media() {
    mkdir "$W/ro"
    if [ "$files" = "$W/ro" ]; then
        cp "$W/hot-src/t.db" "$W/hot-src/t.db-journal" "$W/ro/"
        chmod a-w "$W/ro/t.db" "$W/ro/t.db-journal" "$W/ro"
    fi
    for c in state check draw replay; do
        in_ro sh -c 'case $1 in
            draw) "$2" draw "$3" -o "$4/out.svg" --quiet ;;
            replay) "$2" replay "$3" -o "$4/out.html" ;;
            *) "$2" "$1" "$3" ;;
            esac >/dev/null 2>"$4/$1.err"' sh "$c" "$D" "$W/ro/t.db" "$W" </dev/null
        rc=$?
        want=$EX_NO_INPUT
        if [ "$rc" -eq "$want" ] &&
            grep -q "^dlsync $c: .*hot journal.*cannot be rolled back on read-only media: copy it somewhere writable" "$W/$c.err"; then
            pass "$c, a hot journal on $how: exit $want, told as such"
        else
            fail "$c, a hot journal on $how" "exit $rc (want $want): $(head -2 "$W/$c.err" | tr '\n' ' ')"
        fi
    done
    if [ -s "$files/t.db-journal" ]; then pass "the journal on read-only media is left as it was"
    else fail "the journal on read-only media is left as it was" "it is gone"; fi
    # Without the journal, reading works there; check says why it cannot
    # store its findings, and --no-store judges without storing.
    chmod u+w "$files" "$files/t.db" && rm -f "$files/t.db-journal" && cp "$W/good.db" "$files/t.db"
    [ "$files" = "$W/ro" ] && chmod a-w "$files/t.db" "$files"
    in_ro sh -c '"$1" check "$2" >/dev/null 2>"$3/check.err"' sh "$D" "$W/ro/t.db" "$W" </dev/null
    rc=$?
    if [ $rc -eq "$EX_OUTPUT" ] && grep -q "cannot store the findings: attempt to write a readonly database (--no-store" "$W/check.err"; then
        pass "check on $how: exit $EX_OUTPUT, says why it cannot store the findings"
    else fail "check on $how" "exit $rc: $(head -2 "$W/check.err" | tr '\n' ' ')"; fi
    in_ro sh -c '"$1" check --no-store "$2" >/dev/null 2>"$3/check.err"' sh "$D" "$W/ro/t.db" "$W" </dev/null
    rc=$?
    if is_verdict $rc; then pass "check --no-store on $how: judged (exit $rc)"
    else fail "check --no-store on $how" "exit $rc: $(head -2 "$W/check.err" | tr '\n' ' ')"; fi
    chmod u+w "$W/ro"
}
if ! make_hot "$W/hot-src"; then
    fail "a killed writer left a hot journal" "no t.db-journal: the test no longer covers the case"
else
    pass "a killed writer left a hot journal"
    [ -n "$how" ] && read_only_media
fi

# On writable media a command that only reads rolls the journal back (as any
# SQLite connection that may write does) and goes on: the database as it was
# before the killed write.
for c in state draw replay check; do
    if make_hot "$W/hot-$c"; then
        rc=$(run_cmd $c "$W/hot-$c/t.db")
        ok=0
        [ $c = check ] && is_verdict "$rc" && ok=1 # check: a verdict, findings or not
        if { [ "$rc" -eq 0 ] || [ $ok -eq 1 ]; } && [ ! -e "$W/hot-$c/t.db-journal" ] &&
            [ "$(sum_a "$W/hot-$c/t.db")" = "$want_sum" ]; then
            pass "$c, a hot journal on writable media: rolled back, exit $rc"
        else
            fail "$c, a hot journal on writable media" "exit $rc: $(head -2 "$W/$c.err" | tr '\n' ' ')"
        fi
    else
        fail "$c: a killed writer left a hot journal" "no journal"
    fi
done

summary dberrors
