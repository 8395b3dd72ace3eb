/*
 * fuzz/print_model.c — an input of the event-model fuzz target as text: one
 * line per event (tracer/evtext.c's form, then vtid, vpid and time), numbered
 * as the target numbers the events rev_check() accepts, the refused ones
 * marked with why.  For reading a reproducer (docs/fuzz.md).
 * Single-threaded; no locks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz/model_input.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: print_model FILE\n"
                        "Print the events of an input of the event-model fuzz target.\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t data[1 << 24];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    struct mi_reader r;
    int64_t discarded;
    mi_reader_init(&r, data, n, &discarded);
    printf("discarded %lld\n", (long long)discarded);
    struct rev e;
    int64_t seq = 0;
    while (mi_next(&r, &e)) {
        char why[128], line[512];
        const struct ev fields = {.obj = e.obj,
                                  .mode = e.mode,
                                  .how = e.how,
                                  .epoch = e.epoch,
                                  .phase = e.phase,
                                  .lease = e.lease,
                                  .a = e.a,
                                  .b = e.b,
                                  .s = e.str,
                                  .s2 = e.str2};
        ev_format(line, sizeof line, e.kind, e.grp, &fields);
        if (rev_check(&e, why, sizeof why) == 0)
            printf("%lld: %s vtid=%lld vpid=%lld ts=%lld\n", (long long)++seq, line,
                   (long long)e.vtid, (long long)e.vpid, (long long)e.ts);
        else
            printf("refused: %s: %s\n", line, why);
    }
    mi_reader_free(&r);
    return 0;
}
