/*
 * scenario.h — scenarios: the modules a run can load and each thread's script.
 *
 * A scenario is read from the small text format of docs/scenarios.md, either
 * a built-in one (scenarios/NAME.dls, compiled in) or a file.  Immutable once
 * loaded; shared by every thread of a run without locks.
 */
#ifndef DLSYNC_SCENARIO_H
#define DLSYNC_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

enum {
    SCN_MAX_MODULES = 64,
    SCN_MAX_DEPS = 4,
    SCN_MAX_FUNCS = 64,
    SCN_MAX_SCRIPTS = 16,
    SCN_MAX_ACTIONS = 64,
    SCN_MAX_GROUPS = 64, /* scripts on the groups line */
    SCN_NAME = 32,
    SCN_MAX_BUILTINS = 32, /* scenarios/ *.dls compiled in */
};

struct module_def {
    char name[SCN_NAME];
    int nfuncs;
    int main; /* the main module: in every group's table from the bootstrap on */
    int tls;  /* has a thread-local initialiser (it calls sched_yield, a syscall) */
    int ndeps;
    int deps[SCN_MAX_DEPS];
};

struct action {
    int kind;      /* enum ev_action */
    int module;    /* dlopen/dlsym: module index, -1 = any */
    int func;      /* dlsym: function index, -1 = any */
    int64_t ms;    /* sleep / guest-wait duration */
    int script;    /* spawn: script index */
    char text[48]; /* the action's argument as written, for traces */
};

struct script {
    char name[SCN_NAME];
    int daemon; /* runs until every worker is done; does not hold the run open */
    int once;   /* runs its actions once instead of cycling for --ops actions */
    int nactions;
    struct action actions[SCN_MAX_ACTIONS];
};

struct scenario {
    char name[SCN_NAME];
    char about[160];
    int nmodules;
    struct module_def modules[SCN_MAX_MODULES];
    int nscripts;
    struct script scripts[SCN_MAX_SCRIPTS];
    int ngroups; /* initial groups' scripts, cycled */
    int groups[SCN_MAX_GROUPS];
    int default_groups;
    int default_ops;
};

/* Parse `text` (named `file` in messages).  0 on success; on error -1 and
 * err holds "FILE:LINE: cause". */
int scenario_parse(const char *text, const char *file, struct scenario *out, char *err,
                   size_t errlen);

/* Load a built-in scenario by name, or else a file by path.  0 on success,
 * -1 with err set ("no built-in scenario or file named X", parse errors...). */
int scenario_load(const char *name_or_path, struct scenario *out, char *err, size_t errlen);

/* The index of the main module (the one declared `main`), or -1. */
int scenario_main_module(const struct scenario *s);

/* Built-in scenario names, NULL-terminated, in a stable order. */
const char *const *scenario_builtin_names(void);

#endif
