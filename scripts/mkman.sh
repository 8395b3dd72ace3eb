#!/bin/sh
# mkman.sh BIN OUTDIR — the man pages, made from the --help texts so that
# those stay the single source: OUTDIR/dlsync.1 from `BIN --help` and
# OUTDIR/dlsync-CMD.1 for every command of its "Commands:" list.
#
# How a help text maps to man(7) macros:
#   usage: lines                            .SH SYNOPSIS, line breaks kept
#   paragraphs before the first heading     .SH DESCRIPTION
#   "Run options:" (column 0, 1-3 words)    .SH RUN OPTIONS
#   "Exit status: text" (opens a paragraph) .SH EXIT STATUS, then the text
#   "  --opt ARG   text" (indent 2-4)       .TP: options bold, ARGS italic
#   "  - text"                              .IP bullet
#   lines indented further                  continue the item above
#   other indented lines                    kept as they are, indented
# Hyphens opening an option become \-; no hyphenation, so an option is never
# split across lines.  No date either: the same output on every run.
set -eu
bin=$1
out=$2
mkdir -p "$out"

# The page of one help text (stdin): name, its NAME summary (empty: the
# first sentence of the description), the command it documents, SEE ALSO.
page() {
    awk -v name="$1" -v summary="$2" -v cmd="$3" -v see="$4" '
function hy(s,   i, c, r, opt) {    # a hyphen opening an option, and the rest of its hyphens: \-
    r = ""; opt = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "-" && (opt || i == 1 || substr(s, i - 1, 1) !~ /[A-Za-z0-9]/)) { opt = 1; c = "\\-" }
        else if (c !~ /[A-Za-z0-9]/) opt = 0
        r = r c
    }
    return r
}
function nm(s,   r, k) {           # a page name: every hyphen \-
    r = ""
    while ((k = index(s, "-")) > 0) { r = r substr(s, 1, k - 1) "\\-"; s = substr(s, k + 1) }
    return r s
}
function esc(s) {                   # running text: backslashes, option hyphens, a leading . or \047
    gsub(/\\/, "\\\\e", s)
    s = hy(s)
    if (s ~ /^[.\047]/) s = "\\&" s
    return s
}
function term(t,   w, n, i, c, r) { # an item term: options bold, ARGUMENTS italic
    n = split(t, w, " "); r = ""
    for (i = 1; i <= n; i++) {
        c = ""
        if (w[i] ~ /,$/) { c = ","; w[i] = substr(w[i], 1, length(w[i]) - 1) }
        if (i == 1 || w[i] ~ /^-/) w[i] = "\\fB" esc(w[i]) "\\fR"
        else if (w[i] ~ /^[A-Z][^a-z]*$/) w[i] = "\\fI" esc(w[i]) "\\fR"
        else w[i] = esc(w[i])
        r = r (i > 1 ? " " : "") w[i] c
    }
    return r
}
function setmode(m) {               # close a kept block when leaving it
    if (mode == "nf" && m != "nf") print ".fi\n.RE"
    mode = m
}
function sh(h) { setmode(""); print ".SH \"" esc(toupper(h)) "\""; fresh = 1 }
function pp() { if (!fresh) print ".PP"; fresh = 0 }
function unindent(s, k) { while (k-- > 0 && s ~ /^ /) s = substr(s, 2); return s }
function syn(s,   p) {              # a synopsis line: the command in bold
    p = "dlsync" (cmd != "" ? " " cmd : "")
    if (index(s, p) == 1) return "\\fB" p "\\fR" esc(substr(s, length(p) + 1))
    return esc(s)
}
{ L[++n] = $0 }
END {
    i = 1
    if (L[1] ~ /^usage: /) { L[1] = substr(L[1], 8); while (L[i] != "") usage[++nu] = L[i++] }
    while (i <= n && L[i] == "") i++
    if (summary == "") {            # the first sentence of the description
        summary = L[i]
        sub(/\.( .*)?$/, "", summary)
        if (summary ~ /^[A-Z][^A-Z]/) summary = tolower(substr(summary, 1, 1)) substr(summary, 2)
    }
    print ".TH \"" toupper(name) "\" 1 \"\" \"dlsync\" \"dlsync manual\""
    print ".nh\n.ad l"             # no hyphenation (options stay whole), ragged right
    print ".SH NAME\n" nm(name) " \\- " esc(summary)
    if (nu) {
        print ".SH SYNOPSIS\n.nf"
        for (k = 1; k <= nu; k++) print syn(unindent(usage[k], k > 1 ? 7 : 0))
        print ".fi"
    }
    sh("Description")
    blank = 1
    for (; i <= n; i++) {
        s = L[i]
        t = s; sub(/^ +/, "", t)
        ind = length(s) - length(t)
        if (s == "") { setmode(""); blank = 1; continue }
        if (s ~ /^[A-Z][A-Za-z]*( [A-Za-z]+)?( [A-Za-z]+)?( \(.*\))?:$/) { sh(substr(s, 1, length(s) - 1)); blank = 1; continue }
        if (blank && match(s, /^[A-Z][a-z]*( [a-z]+)?: /)) {
            sh(substr(s, 1, RLENGTH - 2)); t = substr(s, RLENGTH + 1); mode = "p"
            t = toupper(substr(t, 1, 1)) substr(t, 2)
        }
        blank = 0
        k = index(t, "  ")
        if ((mode == "tp" || mode == "bul") && ind > item) print esc(t)
        else if (ind == 0) { if (mode != "p") { setmode("p"); pp() } print esc(t) }
        else if (t ~ /^- /) { setmode("bul"); pp(); print ".IP \\(bu 2\n" esc(substr(t, 3)); item = ind }
        else if (ind <= 4 && k > 0) {
            setmode("tp"); fresh = 0; item = ind
            d = substr(t, k); sub(/^ +/, "", d)
            print ".TP\n" term(substr(t, 1, k - 1)) "\n" esc(d)
        } else {
            if (mode != "nf") { setmode("nf"); pp(); print ".RS 4\n.nf" }
            print esc(unindent(s, 2))
        }
    }
    setmode("")
    if (see != "") {
        sh("See also")
        k = split(see, w, " ")
        for (j = 1; j <= k; j++) print ".BR " nm(w[j]) " (1)" (j < k ? "," : "")
    }
}'
}

# write NAME: stdin to OUTDIR/NAME.1, whole or not at all
write() { cat > "$out/$1.1.tmp" && mv "$out/$1.1.tmp" "$out/$1.1"; }

top=$("$bin" --help)
cmds=$(printf '%s\n' "$top" | awk '/^Commands:$/ { on = 1; next } on && !NF { exit } on { print $1 }')
[ -n "$cmds" ] || { echo "mkman: no Commands: list in '$bin --help'" >&2; exit 1; }
see=""
for c in $cmds; do see="$see dlsync-$c"; done
for c in $cmds; do
    summary=$(printf '%s\n' "$top" | awk -v c="$c" '/^Commands:$/ { on = 1; next }
        on && $1 == c { sub(/^ *[^ ]+ +/, ""); print; exit }')
    help=$("$bin" "$c" --help)
    printf '%s\n' "$help" | page "dlsync-$c" "$summary" "$c" dlsync | write "dlsync-$c"
done
# Last, so that a complete dlsync.1 means a complete set (make's target).
printf '%s\n' "$top" | page dlsync "" "" "$see" | write dlsync
