/*
 * scenario.c — the scenario text format (see scenario.h, docs/scenarios.md).
 *
 * Line-oriented: a keyword line at column 0 (scenario, about, module,
 * script, groups, default-groups, default-ops) or an indented action line
 * that belongs to the script above it.  `#` starts a comment.  Spawn targets
 * may name scripts defined further down: they are resolved after the last
 * line.  Action words are the protocol's (tracer/names.h: ev_action_by_name,
 * the same table the trace's action names come from); this file owns only
 * their syntax (how many arguments each takes).  No locks; no global state
 * but the built-in table.
 */
#include "lib/scenario.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/events.h"
#include "tracer/names.h"

/* Generated from scenarios/NAME.dls at build time (scripts/embed-scenarios.sh). */
struct builtin_scenario {
    const char *name;
    const char *text;
};
extern const struct builtin_scenario scenario_builtins[];

enum { MAX_WORDS = 80, MAX_LINE = 1024 };

struct parser {
    const char *file;
    int line;
    char *err;
    size_t errlen;
    struct scenario *s;
    struct script *cur;
    int cur_indent;         /* the indentation of cur's actions; -1: none yet */
    int default_groups_set; /* a default-groups line was read */
    char spawn_names[SCN_MAX_SCRIPTS][SCN_MAX_ACTIONS][SCN_NAME];
};

static int fail(struct parser *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%d: %s", p->file, p->line, msg);
    return -1;
}

/* Split line into at most MAX_WORDS words; -1 if it has more. */
static int split(char *line, char **w)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (n == MAX_WORDS)
            return -1;
        w[n++] = t;
    }
    return n;
}

static int number(struct parser *p, const char *word, const char *what, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(word, &end, 10);
    if (errno || *end || end == word || v < lo || v > hi)
        return fail(p, "%s must be a whole number from %ld to %ld, not '%s'", what, lo, hi, word);
    *out = v;
    return 0;
}

static int find_module(const struct scenario *s, const char *name)
{
    for (int i = 0; i < s->nmodules; i++)
        if (strcmp(s->modules[i].name, name) == 0)
            return i;
    return -1;
}

static int find_script(const struct scenario *s, const char *name)
{
    for (int i = 0; i < s->nscripts; i++)
        if (strcmp(s->scripts[i].name, name) == 0)
            return i;
    return -1;
}

static int set_name(struct parser *p, char *dst, const char *src, const char *what)
{
    if (strlen(src) >= SCN_NAME)
        return fail(p, "%s '%s' is longer than %d characters", what, src, SCN_NAME - 1);
    for (const char *c = src; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
            return fail(p, "%s '%s' may hold only letters, digits, '-', '_' and '.'", what, src);
    strcpy(dst, src);
    return 0;
}

static int parse_module(struct parser *p, char **w, int n)
{
    struct scenario *s = p->s;
    if (n < 4 || strcmp(w[2], "funcs") != 0)
        return fail(p, "expected 'module NAME funcs N [main] [tls] [needs MODULE...]'");
    if (s->nmodules == SCN_MAX_MODULES)
        return fail(p, "more than %d modules", SCN_MAX_MODULES);
    struct module_def *m = &s->modules[s->nmodules];
    memset(m, 0, sizeof *m);
    if (set_name(p, m->name, w[1], "module name"))
        return -1;
    if (find_module(s, w[1]) >= 0)
        return fail(p, "module '%s' is declared twice", w[1]);
    long v;
    if (number(p, w[3], "funcs", 1, SCN_MAX_FUNCS, &v))
        return -1;
    m->nfuncs = (int)v;
    int i = 4;
    for (; i < n && strcmp(w[i], "needs") != 0; i++) {
        if (strcmp(w[i], "main") == 0 && !m->main) {
            if (scenario_main_module(s) >= 0)
                return fail(p, "module '%s' is declared main, but '%s' is the main module already",
                            m->name, s->modules[scenario_main_module(s)].name);
            m->main = 1;
        } else if (strcmp(w[i], "tls") == 0 && !m->tls) {
            m->tls = 1;
        } else {
            return fail(p,
                        "expected 'main', 'tls' or 'needs MODULE...' after the function count, "
                        "not '%s'",
                        w[i]);
        }
    }
    if (i < n) {
        if (i + 1 == n)
            return fail(p, "expected 'needs MODULE...' after the function count");
        if (m->main)
            return fail(p, "the main module '%s' is there from the start: it cannot need others",
                        m->name);
        for (i++; i < n; i++) {
            int d = find_module(s, w[i]);
            if (d < 0)
                return fail(p, "module '%s' needs '%s', which is not declared above it", m->name,
                            w[i]);
            if (m->ndeps == SCN_MAX_DEPS)
                return fail(p, "a module needs at most %d modules", SCN_MAX_DEPS);
            m->deps[m->ndeps++] = d;
        }
    }
    s->nmodules++;
    return 0;
}

static int parse_dlsym_target(struct parser *p, struct action *a, const char *arg)
{
    a->module = -1;
    a->func = -1;
    if (strcmp(arg, "any") == 0)
        return 0;
    char mod[SCN_NAME * 2];
    snprintf(mod, sizeof mod, "%s", arg);
    char *colon = strchr(mod, ':');
    if (!colon)
        return fail(p, "dlsym takes MODULE:fN, MODULE:any or any, not '%s'", arg);
    *colon = 0;
    a->module = find_module(p->s, mod);
    if (a->module < 0)
        return fail(p, "dlsym names module '%s', which is not declared", mod);
    const char *fn = colon + 1;
    if (strcmp(fn, "any") == 0)
        return 0;
    long v;
    if (fn[0] != 'f' || number(p, fn + 1, "function index", 0, SCN_MAX_FUNCS - 1, &v))
        return fail(p, "dlsym function must be fN (N from 0) or any, not '%s'", fn);
    if (v >= p->s->modules[a->module].nfuncs)
        return fail(p, "module '%s' has %d functions; f%ld is not one", mod,
                    p->s->modules[a->module].nfuncs, v);
    a->func = (int)v;
    return 0;
}

/* The number of arguments each action takes (its word is tracer/names.c's
 * ev_action_name): every other action takes none. */
static int action_nargs(int kind)
{
    switch (kind) {
    case ACT_DLOPEN:
    case ACT_DLSYM:
    case ACT_SLEEP:
    case ACT_GUEST_WAIT:
    case ACT_SPAWN:
        return 1;
    default:
        return 0;
    }
}

/* "unknown action 'W' (actions: syscall dlopen ...)", the list from
 * ev_action_name in enum ev_action order. */
static int unknown_action(struct parser *p, const char *word)
{
    char list[256] = "";
    size_t len = 0;
    for (int k = ACT_SYSCALL; k <= ACT_CHECKPOINT; k++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", len ? " " : "", ev_action_name(k));
        assert(w > 0 && (size_t)w < sizeof list - len);
        len += (size_t)w;
    }
    return fail(p, "unknown action '%s' (actions: %s)", word, list);
}

/* An action line of the script above it, indented by indent characters:
 * every action of a script is one line at the same indentation (a script
 * has no blocks, so a deeper line is refused rather than run as the next
 * action). */
static int parse_action(struct parser *p, char **w, int n, int indent)
{
    if (!p->cur)
        return fail(p, "an indented action line must follow a 'script NAME' line");
    struct script *sc = p->cur;
    if (p->cur_indent < 0)
        p->cur_indent = indent;
    if (indent != p->cur_indent)
        return fail(p,
                    "action '%s' is indented %d characters, the actions above it in script '%s' "
                    "%d: a script has no blocks, each action is one line at the same indentation",
                    w[0], indent, sc->name, p->cur_indent);
    if (sc->nactions == SCN_MAX_ACTIONS)
        return fail(p, "script '%s' has more than %d actions", sc->name, SCN_MAX_ACTIONS);
    int kind = ev_action_by_name(w[0]);
    if (kind < 0)
        return unknown_action(p, w[0]);
    int nargs = action_nargs(kind);
    if (n - 1 != nargs)
        return fail(p, "action '%s' takes %d argument%s", w[0], nargs, nargs == 1 ? "" : "s");
    struct action *a = &sc->actions[sc->nactions];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->module = a->func = a->script = -1;
    if (n > 1)
        snprintf(a->text, sizeof a->text, "%s", w[1]);
    long v;
    switch (a->kind) {
    case ACT_DLOPEN:
        if (strcmp(w[1], "any") != 0 && (a->module = find_module(p->s, w[1])) < 0)
            return fail(p, "dlopen names module '%s', which is not declared", w[1]);
        break;
    case ACT_DLSYM:
        if (parse_dlsym_target(p, a, w[1]))
            return -1;
        break;
    case ACT_SLEEP:
    case ACT_GUEST_WAIT:
        if (number(p, w[1], "duration (ms)", 0, 600000, &v))
            return -1;
        a->ms = v;
        break;
    case ACT_SPAWN:
        if (set_name(p, p->spawn_names[p->s->nscripts - 1][sc->nactions], w[1], "script name"))
            return -1;
        break;
    default:
        break;
    }
    sc->nactions++;
    return 0;
}

static int parse_script(struct parser *p, char **w, int n)
{
    struct scenario *s = p->s;
    if (n < 2)
        return fail(p, "expected 'script NAME [daemon] [once]'");
    if (s->nscripts == SCN_MAX_SCRIPTS)
        return fail(p, "more than %d scripts", SCN_MAX_SCRIPTS);
    if (find_script(s, w[1]) >= 0)
        return fail(p, "script '%s' is defined twice", w[1]);
    struct script *sc = &s->scripts[s->nscripts];
    memset(sc, 0, sizeof *sc);
    if (set_name(p, sc->name, w[1], "script name"))
        return -1;
    for (int i = 2; i < n; i++) {
        if (strcmp(w[i], "daemon") == 0)
            sc->daemon = 1;
        else if (strcmp(w[i], "once") == 0)
            sc->once = 1;
        else
            return fail(p, "unknown script flag '%s' (flags: daemon once)", w[i]);
    }
    s->nscripts++;
    p->cur = sc;
    p->cur_indent = -1;
    return 0;
}

static int parse_keyword(struct parser *p, char **w, int n, char *rest)
{
    struct scenario *s = p->s;
    long v;
    p->cur = NULL;
    if (strcmp(w[0], "scenario") == 0) {
        if (n != 2)
            return fail(p, "expected 'scenario NAME'");
        return set_name(p, s->name, w[1], "scenario name");
    }
    if (strcmp(w[0], "about") == 0) {
        snprintf(s->about, sizeof s->about, "%s", rest);
        return 0;
    }
    if (strcmp(w[0], "module") == 0)
        return parse_module(p, w, n);
    if (strcmp(w[0], "script") == 0)
        return parse_script(p, w, n);
    if (strcmp(w[0], "groups") == 0) {
        if (n < 2 || n - 1 > SCN_MAX_GROUPS)
            return fail(p, "expected 'groups SCRIPT [SCRIPT...]' (at most %d)", SCN_MAX_GROUPS);
        s->ngroups = 0;
        for (int i = 1; i < n; i++) {
            int k = find_script(s, w[i]);
            if (k < 0)
                return fail(p, "groups names script '%s', which is not defined above", w[i]);
            s->groups[s->ngroups++] = k;
        }
        return 0;
    }
    if (strcmp(w[0], "default-groups") == 0) {
        if (n != 2 || number(p, w[1], "default-groups", 1, 64, &v))
            return n != 2 ? fail(p, "expected 'default-groups N'") : -1;
        s->default_groups = (int)v;
        p->default_groups_set = 1;
        return 0;
    }
    if (strcmp(w[0], "default-ops") == 0) {
        if (n != 2 || number(p, w[1], "default-ops", 1, 10000000, &v))
            return n != 2 ? fail(p, "expected 'default-ops N'") : -1;
        s->default_ops = (int)v;
        return 0;
    }
    return fail(p,
                "unknown keyword '%s' (keywords: scenario about module script groups "
                "default-groups default-ops)",
                w[0]);
}

static int resolve_spawns(struct parser *p)
{
    struct scenario *s = p->s;
    for (int i = 0; i < s->nscripts; i++)
        for (int j = 0; j < s->scripts[i].nactions; j++) {
            struct action *a = &s->scripts[i].actions[j];
            if (a->kind != ACT_SPAWN)
                continue;
            a->script = find_script(s, p->spawn_names[i][j]);
            if (a->script < 0) {
                p->line = 0;
                return fail(p, "script '%s' spawns '%s', which is not defined", s->scripts[i].name,
                            p->spawn_names[i][j]);
            }
        }
    return 0;
}

int scenario_parse(const char *text, const char *file, struct scenario *out, char *err,
                   size_t errlen)
{
    struct parser *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", file);
        return -1;
    }
    p->file = file;
    p->err = err;
    p->errlen = errlen;
    p->s = out;
    memset(out, 0, sizeof *out);
    out->default_ops = 50;
    int rc = 0;
    const char *c = text;
    while (*c && rc == 0) {
        p->line++;
        const char *eol = strchr(c, '\n');
        size_t len = eol ? (size_t)(eol - c) : strlen(c);
        char line[MAX_LINE];
        if (len >= sizeof line) {
            rc = fail(p, "line longer than %d characters", MAX_LINE - 1);
            break;
        }
        memcpy(line, c, len);
        line[len] = 0;
        c = eol ? eol + 1 : c + len;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        int indented = line[0] == ' ' || line[0] == '\t';
        char rest[MAX_LINE] = "";
        char *sp = line + strspn(line, " \t");
        sp += strcspn(sp, " \t");
        snprintf(rest, sizeof rest, "%s", sp + strspn(sp, " \t"));
        char *w[MAX_WORDS];
        int n = split(line, w);
        if (n < 0) {
            rc = fail(p, "more than %d words on one line", MAX_WORDS);
            break;
        }
        if (n == 0)
            continue;
        rc = indented ? parse_action(p, w, n, (int)strspn(line, " \t"))
                      : parse_keyword(p, w, n, rest);
    }
    if (rc == 0 && !out->name[0]) {
        p->line = 1;
        rc = fail(p, "no 'scenario NAME' line");
    }
    if (rc == 0)
        rc = resolve_spawns(p);
    for (int i = 0; rc == 0 && i < out->nscripts; i++)
        if (out->scripts[i].nactions == 0) {
            p->line = 0;
            rc = fail(p, "script '%s' has no actions", out->scripts[i].name);
        }
    if (rc == 0 && out->ngroups == 0) {
        p->line = 0;
        rc = fail(p, "no 'groups SCRIPT...' line: which scripts do the initial groups run?");
    }
    if (rc == 0 && !p->default_groups_set) /* one group per name of the groups line */
        out->default_groups = out->ngroups;
    if (rc == 0 && out->scripts[out->groups[0]].daemon) {
        p->line = 0;
        rc = fail(p, "the main group's script '%s' (first on the groups line) is a daemon",
                  out->scripts[out->groups[0]].name);
    }
    free(p);
    return rc;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    buf[len] = 0;
    if (memchr(buf, 0, len)) {
        snprintf(err, errlen, "%s: not a text file", path);
        free(buf);
        return NULL;
    }
    return buf;
}

int scenario_load(const char *name_or_path, struct scenario *out, char *err, size_t errlen)
{
    for (const struct builtin_scenario *b = scenario_builtins; b->name; b++)
        if (strcmp(b->name, name_or_path) == 0) {
            char file[64];
            snprintf(file, sizeof file, "<built-in %s>", b->name);
            return scenario_parse(b->text, file, out, err, errlen);
        }
    if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".dls")) {
        FILE *probe = fopen(name_or_path, "r");
        if (!probe) {
            snprintf(err, errlen, "no built-in scenario or file named '%s' (see --list-scenarios)",
                     name_or_path);
            return -1;
        }
        fclose(probe);
    }
    char *text = read_file(name_or_path, err, errlen);
    if (!text)
        return -1;
    int rc = scenario_parse(text, name_or_path, out, err, errlen);
    free(text);
    return rc;
}

int scenario_main_module(const struct scenario *s)
{
    for (int i = 0; i < s->nmodules; i++)
        if (s->modules[i].main)
            return i;
    return -1;
}

const char *const *scenario_builtin_names(void)
{
    static const char *names[SCN_MAX_BUILTINS + 1];
    if (!names[0]) {
        int n = 0;
        for (const struct builtin_scenario *b = scenario_builtins; b->name; b++) {
            assert(n < SCN_MAX_BUILTINS);
            names[n++] = b->name;
        }
    }
    return names;
}
