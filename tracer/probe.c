/*
 * tracer/probe.c — finds and dlopen()s the LTTng probe provider.
 *
 * Owns: the process's handle on libdlsync-tp.so (loaded at most once, never
 * closed).  Takes no locks: ev_probe_load() is meant for the main thread at
 * start-up, before any other thread exists.  See tracer/probe.h.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracer/probe.h"

#include "tracer/events.h"

/* Set by tracer/tracer.mk to $(PREFIX)/lib/dlsync. */
#ifndef DLSYNC_LIBDIR
#define DLSYNC_LIBDIR "/usr/local/lib/dlsync"
#endif

#ifndef DLSYNC_NO_TRACE
static void *provider; /* main thread only */
#endif

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(err, errlen, fmt, ap) < 0)
        err[0] = '\0';
    va_end(ap);
}

/* Copy src to out; -1 with a message if it does not fit. */
static int copy_path(char *out, size_t outlen, const char *src, char *err, size_t errlen)
{
    size_t n = strlen(src);
    if (n + 1 > outlen) {
        set_err(err, errlen, "%s: path too long", src);
        return -1;
    }
    memcpy(out, src, n + 1);
    return 0;
}

int ev_probe_find(char *out, size_t outlen, char *err, size_t errlen)
{
    const char *env = getenv(EV_PROBE_ENV);
    if (env != NULL && env[0] != '\0') {
        if (access(env, R_OK) != 0) {
            set_err(err, errlen, "%s=%s: %s", EV_PROBE_ENV, env, strerror(errno));
            return -1;
        }
        return copy_path(out, outlen, env, err, errlen);
    }

    /* The directory of the running executable. */
    char dir[PATH_MAX] = "(/proc/self/exe unreadable)";
    char candidate[PATH_MAX + sizeof(EV_PROBE_SONAME) + 1];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n > 0) {
        dir[n] = '\0';
        char *slash = strrchr(dir, '/');
        if (slash != NULL)
            *slash = '\0';
        int len = snprintf(candidate, sizeof candidate, "%s/%s", dir, EV_PROBE_SONAME);
        if (len > 0 && (size_t)len < sizeof candidate && access(candidate, R_OK) == 0)
            return copy_path(out, outlen, candidate, err, errlen);
    }

    /* The installed copy. */
    const char *installed = DLSYNC_LIBDIR "/" EV_PROBE_SONAME;
    if (access(installed, R_OK) == 0)
        return copy_path(out, outlen, installed, err, errlen);

    set_err(err, errlen,
            "%s not found in %s nor in %s (build it with make, install it with make install, "
            "or name it with %s=PATH)",
            EV_PROBE_SONAME, dir, DLSYNC_LIBDIR, EV_PROBE_ENV);
    return -1;
}

int ev_probe_load(const char *path_or_null, char *err, size_t errlen)
{
#ifdef DLSYNC_NO_TRACE
    (void)path_or_null;
    set_err(err, errlen, "tracing was compiled out (built with make TRACE=0)");
    return -1;
#else
    if (provider != NULL)
        return 0;
    char found[PATH_MAX];
    const char *path = path_or_null;
    if (path == NULL) {
        if (ev_probe_find(found, sizeof found, err, errlen) != 0)
            return -1;
        path = found;
    }
    dlerror();
    provider = dlopen(path, RTLD_NOW);
    if (provider == NULL) {
        const char *why = dlerror();
        set_err(err, errlen, "%s", why ? why : path); /* dlerror() names the file */
        return -1;
    }
    ev_sink_probe_loaded();
    return 0;
#endif
}
