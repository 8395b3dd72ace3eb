/*
 * grow.c — arrays that double (see grow.h).  No locks.
 */
#include "lib/grow.h"

#include <stdlib.h>

void *grow(void *v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *nv = realloc(v, c * elem);
    if (!nv)
        abort();
    *cap = c;
    return nv;
}
