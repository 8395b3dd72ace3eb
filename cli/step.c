/*
 * step.c — `dlsync step`: the student is the scheduler.  The run is made
 * one decision at a time under the controlled scheduler; before each the
 * terminal shows every thread (by its letter in a schedule string), which
 * may run and where each waits, and the student types the thread that runs.
 *
 * Owns the command line of `step`, the decisions made so far and the
 * dialogue on stdin/stdout (plain lines: a terminal, tmux or a pipe).  Each
 * screen is a run in a child process (lib/trial.h) that replays the
 * decisions so far and stops at the next choice (run_config's
 * stop_after_replay): the child's report is the screen (lib/run.c, the
 * words `dlsync run` prints for a hang), its result says which threads may
 * run, its event log what each thread holds and for whom a thread that
 * cannot run waits (the model of `dlsync state`, the wait-for graph of
 * `check`).  For each thread that may run, one more run
 * with that decision added previews it: the events the thread emits until
 * the next choice (its next actions) and where it is then.  Undo drops the
 * last decision.  When a run ends without another choice, it is made once
 * more as `dlsync run --schedule` makes it, and its outcome and schedule
 * string are printed.  Single-threaded; takes no locks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/opt.h"
#include "cli/runopts.h"
#include "lib/run.h"
#include "lib/sched.h"
#include "lib/schedule.h"
#include "lib/trial.h"
#include "replay/describe.h"
#include "replay/evstream.h"
#include "replay/model.h"
#include "replay/names.h"
#include "replay/waitgraph.h"
#include "viz/waitfor.h"

/* The keys of the dialogue: --help's tail, and what `?` prints. */
static const char keys_help[] =
    "At the prompt, type:\n"
    "  A, B, ...   the thread that runs next (its letter, as a schedule names it:\n"
    "              groups 0-25 A-Z, 26-51 a-z, then _N_); it runs until the next\n"
    "              choice between two or more threads.  Several at once: AB, B3.\n"
    "  u           undo the last decision.\n"
    "  q           quit: print the schedule so far (end of input does the same).\n"
    "  ?           this help.\n"
    "(u and q are commands: type _46_ or _42_ for the groups they would name.)\n";

static const struct opt_cmd step_cmd = {
    .name = "step",
    .synopsis = "usage: dlsync step [RUN OPTIONS]\n"
                "\n"
                "Be the scheduler: make a run of the protocol one scheduling decision at a\n"
                "time.  Before each decision it shows every thread, by the letter a schedule\n"
                "string names it with, whether it can run, and where it is (the words of\n"
                "`dlsync run`'s hang report: the call or barrier a thread is blocked in, who\n"
                "holds the lease and the state lock); what each thread holds (as `dlsync state`\n"
                "says it) and, for one that cannot run, whom it waits for and why (the wait-for\n"
                "graph of `dlsync check`); and for each thread that can run, its next actions\n"
                "(the events it emits until the next choice) and where it is then.  At the end\n"
                "(the run completes, hangs or the groups diverge) it makes the run once more as\n"
                "`dlsync run --schedule` does, then prints the outcome and the schedule string,\n"
                "which `dlsync run --schedule` replays.  --schedule S starts after the\n"
                "decisions of S; --schedule-out FILE writes the final schedule to FILE (also on\n"
                "q), --events-out FILE the final run's events; -q: no summary of the final run.\n"
                "Commands are read a line at a time from standard input: a terminal, tmux or a\n"
                "pipe.  The exit status is 0 after q, else the run's.\n",
    .tables = (const struct opt_table[]){{"Run options:", runopts_rows}, {NULL, NULL}},
    .tail = keys_help,
    .exits = (const int[]){EX_OK, EX_INTERNAL, EX_USAGE, EX_HANG, EX_DIVERGED, EX_PROTOCOL,
                           EX_DELAYED, EX_NO_INPUT, EX_NOT_FOUND, EX_OUTPUT, -1},
};

/* A run's event log: a temporary file, written by the run (its FILE) and
 * read back by path (replay/evstream.h reads a path). */
struct evlog {
    char path[64];
    FILE *f;
};

/* The dialogue's state: the decisions made so far. */
struct stepper {
    struct run_config cfg; /* the run, without its schedule */
    int32_t *dec;
    size_t n, cap;
    int echo;              /* stdin is not a terminal: echo each command after the prompt */
    struct evlog ev[2];    /* the screen's run, a preview's run */
    int64_t screen_events; /* events of the screen's run before it stopped */
};

/* The run of the decisions so far, stopped at the next choice (or ended),
 * into r (free with trial_free); its events into log (NULL: none).  0, or -1
 * when no child could be made. */
static int replay(const struct stepper *s, struct trial_result *r, const struct evlog *log)
{
    struct run_config c = s->cfg;
    c.schedule = s->dec;
    c.nschedule = s->n;
    c.stop_after_replay = 1;
    c.quiet = 1;
    c.schedule_out = NULL;
    c.events_out = NULL;
    if (log && log->f) {
        rewind(log->f);
        if (ftruncate(fileno(log->f), 0) == 0)
            c.events_out = log->f;
    }
    if (trial_run(&c, 1, r) == 0)
        return 0;
    perror("dlsync step: fork");
    return -1;
}

/* One event in words, for the actions of a step: its kind, and the object
 * it acts on (a lock's mode, an attempt's try or blocking).  Into buf. */
static const char *event_words(const struct rev *e, char *buf, size_t n)
{
    char obj[64];
    const char *kind = ev_kind_name((enum ev_kind)e->kind);
    int lock = e->kind == EV_LOCK_ATTEMPT || e->kind == EV_LOCK_ACQUIRED ||
               e->kind == EV_LOCK_BUSY || e->kind == EV_LOCK_RELEASED;
    if (e->obj == OBJ_NONE)
        snprintf(buf, n, "%s", kind);
    else if (!lock)
        snprintf(buf, n, "%s(%s)", kind, rn_obj(e->obj, obj, sizeof obj));
    else
        snprintf(buf, n, "%s(%s, %s%s%s)", kind, rn_obj(e->obj, obj, sizeof obj),
                 ev_mode_name(e->mode), e->kind == EV_LOCK_ATTEMPT ? ", " : "",
                 e->kind == EV_LOCK_ATTEMPT ? ev_how_name(e->how) : "");
    return buf;
}

/* Read log: returns how many events the run emitted before it stopped (the
 * schedule and run_end events that close every run are not counted).  With
 * id >= 0, writes into buf the words of the events thread id emitted after
 * the first `skip` (at most MAX_ACTIONS of them, then how many more).  m:
 * NULL, or a model every event is applied to (replay/model.h).  -1 when the
 * log cannot be read (buf says why). */
enum { MAX_ACTIONS = 4 };
static int64_t read_events(const struct evlog *log, int64_t skip, int32_t id, struct model *m,
                           char *buf, size_t n)
{
    struct evstream es;
    struct rev e;
    int64_t count = 0, mine = 0;
    int more;
    buf[0] = '\0';
    if (evstream_open(&es, log->path) != 0) {
        snprintf(buf, n, "%s", es.err);
        return -1;
    }
    while ((more = evstream_next(&es, &e)) > 0) {
        if (e.kind == EV_SCHEDULE || e.kind == EV_RUN_END)
            continue;
        if (m)
            model_apply(m, &e);
        if (count++ < skip || id < 0 || e.grp != id)
            continue;
        if (mine++ < MAX_ACTIONS) {
            char words[128];
            size_t len = strlen(buf);
            snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
                     event_words(&e, words, sizeof words));
        }
    }
    if (mine > MAX_ACTIONS) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, " and %lld more", (long long)(mine - MAX_ACTIONS));
    }
    if (more < 0)
        snprintf(buf, n, "%s", es.err);
    evstream_close(&es);
    return more < 0 ? -1 : count;
}

static int push(struct stepper *s, int32_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        int32_t *d = realloc(s->dec, cap * sizeof *d);
        if (!d)
            return -1;
        s->dec = d;
        s->cap = cap;
    }
    s->dec[s->n++] = id;
    return 0;
}

/* The schedule so far as a string, on f. */
static void put_schedule(FILE *f, const struct stepper *s)
{
    char *text = schedule_encode(s->dec, s->n);
    fputs(text ? text : "(out of memory)", f);
    free(text);
}

/* Thread id's line of a stopped run's report (lib/run.c: "  B   waits
 * group-1 (worker): blocked in ..."), from its name on, without the
 * newline, into buf; "" when the report has none. */
static const char *thread_line(const struct trial_result *r, int32_t id, char *buf, size_t n)
{
    char name[SCHEDULE_NAME_MAX];
    size_t len = strlen(schedule_thread_name(id, name));
    buf[0] = '\0';
    for (const char *l = r->report; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
        if (strncmp(l, "  ", 2) != 0 || strncmp(l + 2, name, len) != 0 || l[2 + len] != ' ')
            continue;
        const char *at = l + 2 + len;
        at += strspn(at, " ");
        at += strcspn(at, " "); /* "can run" or "waits" */
        at += strspn(at, " ");
        at += strncmp(at, "run ", 4) == 0 ? 4 : 0;
        at += strspn(at, " ");
        snprintf(buf, n, "%.*s", (int)strcspn(at, "\n"), at);
        break;
    }
    return buf;
}

/* What picking runnable thread id at this choice does: its next actions
 * (the events it emits until the next choice), then its line at that choice
 * or how the run ends (a run of the decisions so far and id). */
static void preview(struct stepper *s, int32_t id)
{
    char name[SCHEDULE_NAME_MAX], line[256], actions[768];
    struct trial_result r;
    schedule_thread_name(id, name);
    if (push(s, id) != 0 || replay(s, &r, &s->ev[1]) != 0) {
        printf("  %-3s next: (cannot tell: out of memory, or no child process)\n", name);
        return;
    }
    s->n--;
    snprintf(actions, sizeof actions, "(not traced: this dlsync was built with TRACE=0)");
    if (s->screen_events >= 0 &&
        read_events(&s->ev[1], s->screen_events, id, NULL, actions, sizeof actions) >= 0 &&
        !actions[0])
        snprintf(actions, sizeof actions, "(no event)");
    printf("  %-3s next: %s\n      then: ", name, actions);
    if (strcmp(r.outcome, "stopped") != 0)
        printf("the run ends: %s (exit %d)\n", r.outcome, r.status);
    else if (thread_line(&r, id, line, sizeof line)[0])
        printf("%s\n", line);
    else
        printf("%s has exited\n", name);
    trial_free(&r);
}

/* What each live thread of r holds (locks, the lease), and for whom and on
 * what each thread that cannot run waits: from the screen's events, through
 * the model of `dlsync state` (replay/describe.h) and the wait-for graph of
 * `check` and `draw --waitfor` (replay/waitgraph.h, in viz/waitfor.h's
 * words). */
static void show_model(const struct stepper *s, const struct trial_result *r)
{
    char name[SCHEDULE_NAME_MAX], holds[256], why[256], whom[64];
    struct model m;
    model_init(&m, NULL);
    if (s->screen_events >= 0 && read_events(&s->ev[0], 0, -1, &m, why, sizeof why) >= 0) {
        struct wf_view v;
        wf_open(&v, &m);
        for (int i = 0; i < r->nthreads; i++) {
            const struct mthread *t = model_thread(&m, r->ids[i]);
            if (!t)
                continue;
            schedule_thread_name(r->ids[i], name);
            if (describe_holds(t, holds, sizeof holds)[0])
                printf("  %-3s holds: %s\n", name, holds);
            const struct wg_node *a = r->can_run[i] ? NULL : waitgraph_node(&v.g, t->id);
            for (int j = 0; a && j < a->nout; j++)
                printf("  %-3s waits for %s: %s\n", name,
                       wf_target_name(&a->out[j], whom, sizeof whom),
                       wf_edge_words(a, &a->out[j], why, sizeof why));
        }
        wf_close(&v);
    }
    model_free(&m);
}

/* The screen before a decision: the decisions so far, r's report of the
 * threads, what they hold, what each choice leads to, the prompt. */
static void show(struct stepper *s, const struct trial_result *r)
{
    char name[SCHEDULE_NAME_MAX];
    printf("\ndecision %zu, schedule so far ", s->n + 1);
    put_schedule(stdout, s);
    printf("\n%s", r->report ? r->report : "");
    show_model(s, r);
    for (int i = 0; i < r->nthreads; i++)
        if (r->can_run[i])
            preview(s, r->ids[i]);
    printf("run which thread?");
    for (int i = 0; i < r->nthreads; i++)
        if (r->can_run[i])
            printf(" %s", schedule_thread_name(r->ids[i], name));
    printf(" (u undo, q quit, ? help): ");
    fflush(stdout);
}

/* Can the next decision name id in r?  Prints why not. */
static int may_run(const struct trial_result *r, int32_t id)
{
    char name[SCHEDULE_NAME_MAX], other[SCHEDULE_NAME_MAX], line[256];
    schedule_thread_name(id, name);
    for (int i = 0; i < r->nthreads; i++)
        if (r->ids[i] == id && r->can_run[i])
            return 1;
    int live = 0;
    for (int i = 0; i < r->nthreads; i++)
        live |= r->ids[i] == id;
    if (live)
        printf("%s cannot run now: %s.  These can run:", name,
               thread_line(r, id, line, sizeof line));
    else
        printf("there is no thread %s now.  These can run:", name);
    for (int i = 0; i < r->nthreads; i++)
        if (r->can_run[i])
            printf(" %s", schedule_thread_name(r->ids[i], other));
    printf("\n");
    return 0;
}

/* The run ended (r): make it once more as `dlsync run --schedule` would,
 * its report on stdout and stderr, then print the outcome and the
 * schedule.  Returns the run's exit code. */
static int finish(const struct stepper *s, const struct trial_result *r, FILE *schedule_out,
                  FILE *events_out)
{
    struct run_config c = s->cfg;
    c.schedule = s->dec;
    c.nschedule = s->n;
    c.schedule_out = schedule_out;
    c.events_out = events_out;
    struct trial_result f;
    printf("\nthe run ended; made once more as dlsync run --schedule makes it:\n");
    fflush(stdout);
    if (trial_run(&c, 0, &f) != 0) {
        perror("dlsync step: fork");
        return EX_INTERNAL;
    }
    int rc = f.status;
    if (f.status != r->status || strcmp(f.outcome, r->outcome) != 0) {
        fprintf(stderr,
                "dlsync step: the replay ended %s (exit %d), the stepped run %s (exit %d): the "
                "run is not deterministic\n",
                f.outcome, f.status, r->outcome, r->status);
        rc = EX_INTERNAL;
    }
    printf("outcome  %s (exit %d)\nschedule ", f.outcome, f.status);
    put_schedule(stdout, s);
    printf("\n");
    trial_free(&f);
    return rc;
}

/* One line of the dialogue, without its newline: a command or decisions.
 * Returns 1 to go on, 0 to quit, -1 on an error (said). */
static int command(struct stepper *s, const struct trial_result *r, const char *line)
{
    if (strcmp(line, "q") == 0)
        return 0;
    if (strcmp(line, "?") == 0) {
        fputs(keys_help, stdout);
        return 1;
    }
    if (strcmp(line, "u") == 0) {
        if (s->n == 0)
            printf("nothing to undo\n");
        else
            s->n--;
        return 1;
    }
    if (line[0] == '\0')
        return 1;
    char *text = malloc(strlen(line) + 4), err[160];
    int32_t *ids = NULL;
    size_t nids = 0;
    if (!text)
        return -1;
    sprintf(text, "v1:%s", line);
    int bad = schedule_decode(text, &ids, &nids, err, sizeof err);
    free(text);
    if (bad) {
        printf("'%s' is neither a thread's letter nor a command (? for help)\n", line);
        return 1;
    }
    /* The first decision is judged here; the others, each at its own choice. */
    if (nids > 0 && may_run(r, ids[0]) && push(s, ids[0]) == 0)
        for (size_t i = 1; i < nids; i++) {
            struct trial_result next;
            if (replay(s, &next, NULL) != 0) {
                free(ids);
                return -1;
            }
            int go = strcmp(next.outcome, "stopped") == 0 && may_run(&next, ids[i]);
            trial_free(&next);
            if (!go || push(s, ids[i]) != 0)
                break;
        }
    free(ids);
    return 1;
}

/* Read a line of stdin into *buf without its newline; 0 at the end. */
static int read_line(char **buf, size_t *cap)
{
    ssize_t len = getline(buf, cap, stdin);
    if (len < 0)
        return 0;
    while (len > 0 && ((*buf)[len - 1] == '\n' || (*buf)[len - 1] == '\r' ||
                       (*buf)[len - 1] == ' ' || (*buf)[len - 1] == '\t'))
        (*buf)[--len] = '\0';
    return 1;
}

/* The dialogue, from the decisions of --schedule on.  Returns the exit
 * code. */
static int dialogue(struct stepper *s, FILE *schedule_out, FILE *events_out)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = EX_OK;
    for (;;) {
        struct trial_result r;
        char why[256];
        if (replay(s, &r, &s->ev[0]) != 0) {
            rc = EX_INTERNAL;
            break;
        }
        s->screen_events = s->ev[0].f ? read_events(&s->ev[0], 0, -1, NULL, why, sizeof why) : -1;
        char *want = schedule_encode(s->dec, s->n);
        if (!r.schedule || !want || strcmp(r.schedule, want) != 0) {
            /* Only the decisions of --schedule are not judged before they
             * are made. */
            fprintf(stderr,
                    "dlsync step: --schedule %s: a decision names a thread that cannot run "
                    "there; the run made only %s\n",
                    want ? want : "?", r.schedule ? r.schedule : "no decision");
            free(want);
            trial_free(&r);
            rc = EX_USAGE;
            break;
        }
        free(want);
        if (strcmp(r.outcome, "stopped") != 0) {
            rc = finish(s, &r, schedule_out, events_out);
            trial_free(&r);
            break;
        }
        show(s, &r);
        int go = read_line(&line, &cap);
        if (go && s->echo)
            printf("%s\n", line);
        if (!go)
            printf("\n");
        go = go ? command(s, &r, line) : 0;
        trial_free(&r);
        if (go < 0)
            rc = EX_INTERNAL;
        if (go <= 0) {
            if (go == 0) {
                printf("quit after %zu decisions; schedule ", s->n);
                put_schedule(stdout, s);
                printf("\n");
                if (schedule_out) {
                    put_schedule(schedule_out, s);
                    fputc('\n', schedule_out);
                }
            }
            break;
        }
    }
    free(line);
    return rc;
}

/* Make log's temporary file, already unlinked (read back through
 * /proc/self/fd, so that nothing is left behind however step ends); log->f
 * stays NULL when tracing is compiled out, or when no file can be made (the
 * screens then show no actions). */
static void evlog_open(struct evlog *log)
{
    log->f = NULL;
#ifndef DLSYNC_NO_TRACE
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/dlsync-step-XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
        snprintf(log->path, sizeof log->path, "/proc/self/fd/%d", fd);
        if (!(log->f = fdopen(fd, "w+")))
            close(fd);
    }
    if (!log->f)
        fprintf(stderr,
                "dlsync step: %s: cannot make a temporary file: the screens show no "
                "actions\n",
                path);
#endif
}

static void evlog_close(struct evlog *log)
{
    if (log->f)
        fclose(log->f);
}

int cmd_step(int argc, char **argv)
{
    struct run_opts o;
    runopts_init(&o, "step");
    struct opt_parser p;
    const char *arg;
    int k, rc = -1;
    opt_begin(&p, &step_cmd, argc, argv);
    while (rc < 0 && (k = opt_next(&p, &arg)) != OPT_END) {
        if (k == OPT_EXIT || k == OPT_BAD)
            rc = k == OPT_EXIT ? EX_OK : EX_USAGE;
        else if (runopts_take(&o, k, arg) < 0)
            rc = EX_USAGE;
    }
    if (rc < 0 && p.next < argc)
        rc = opt_usage_error(&step_cmd, "unexpected argument '%s'", argv[p.next]);
    if (rc < 0 && o.sched_given && o.sched != SCHED_CONTROLLED) {
        fprintf(stderr, "dlsync step: the student is the scheduler: --sched os cannot step\n");
        rc = EX_USAGE;
    }
    if (rc < 0 && (rc = runopts_finish(&o)) == 0) {
        struct stepper s = {.cfg = o.cfg, .echo = !isatty(STDIN_FILENO)};
        for (size_t i = 0; i < o.ndecisions && rc == 0; i++)
            if (push(&s, o.decisions[i]) != 0)
                rc = EX_INTERNAL;
        evlog_open(&s.ev[0]);
        evlog_open(&s.ev[1]);
        if (rc == 0)
            rc = dialogue(&s, o.schedule_out_f, o.events_out_f);
        evlog_close(&s.ev[0]);
        evlog_close(&s.ev[1]);
        free(s.dec);
    }
    runopts_free(&o);
    return rc;
}
