#!/bin/sh
# deps.sh — install the Debian packages dlsync needs, if any are missing.
# Idempotent and fast when everything is present (one dpkg-query call).
# Set DLSYNC_NO_CHROMIUM=1 to skip the browser (only the replay-page test needs it).
# `deps.sh fuzz` adds what only `make fuzz` needs: libFuzzer's runtime for clang.
set -eu
pkgs="make gcc clang pkg-config sqlite3 libsqlite3-dev lttng-tools liblttng-ust-dev liblttng-ctl-dev
babeltrace2 libbabeltrace2-dev graphviz libgraphviz-dev libxml2-utils python3 groff-base valgrind
tmux"
if [ "${DLSYNC_NO_CHROMIUM:-0}" != 1 ]; then
    pkgs="$pkgs chromium"
fi
if [ "${1:-}" = fuzz ]; then
    pkgs="$pkgs libclang-rt-14-dev"
fi
missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "deps: not root and no sudo; install as root: apt-get install$missing" >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null ||
    { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
echo "deps: done"
