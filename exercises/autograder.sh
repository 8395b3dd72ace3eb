#!/bin/sh
# exercises/autograder.sh [NN] — pack Gradescope autograder zips (one per
# exercise, or exercise NN) into build/autograder/.  Gradescope unpacks a zip
# into /autograder/source, runs setup.sh there once per image, and
# run_autograder once per submission.  Needs git and python3 (for the zip).
set -eu
cd "$(dirname "$0")/.."
out=$PWD/build/autograder
mkdir -p "$out"
pack() {
    dir=$1
    id=$(sed -n 's/^id[[:space:]]*\([0-9][0-9]\).*/\1/p' "$dir/exercise.conf")
    [ -n "$id" ] || { echo "autograder: $dir/exercise.conf: no id" >&2; exit 2; }
    stage=$(mktemp -d)
    git archive --format=tar HEAD | tar -x -C "$stage"
    # What a student is not given stays out of their view, not out of the
    # grader's: solutions are instructors' and are left out of the zip.
    rm -rf "$stage"/exercises/*/solution
    cat >"$stage/setup.sh" <<'SETUP'
#!/bin/sh
# Gradescope: install the Debian packages dlsync needs and build it.
set -eu
cd /autograder/source
DLSYNC_NO_CHROMIUM=1 scripts/deps.sh
make -j"$(nproc)"
SETUP
    cat >"$stage/run_autograder" <<RUN
#!/bin/sh
# Gradescope: grade the submission of exercise $id.
cd /autograder/source
mkdir -p /autograder/results
bin/dlsync grade $id /autograder/submission -o /autograder/results/results.json
# A grade below full marks is still a grade: Gradescope reads results.json.
status=\$?
[ \$status -eq 0 ] || [ \$status -eq 21 ]
RUN
    chmod +x "$stage/setup.sh" "$stage/run_autograder"
    rm -f "$out/$id.zip"
    (cd "$stage" && python3 -m zipfile -c "$out/$id.zip" .) >/dev/null
    rm -rf "$stage"
    echo "autograder: $out/$id.zip"
}
found=0
for dir in exercises/[0-9][0-9]-*/; do
    dir=${dir%/}
    case "$dir" in exercises/${1:-}*) ;; *) continue ;; esac
    pack "$dir"
    found=1
done
[ $found = 1 ] || { echo "autograder: no exercise ${1:-}" >&2; exit 2; }
