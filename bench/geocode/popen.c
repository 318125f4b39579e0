/* Opening a places index: evm_gazetteer_add_places on a .evp after the
 * shipped index is open, timed in the thread's CPU clock and wall time
 * (median of 5 opens, each in a fresh handle), and the first lookup of a
 * learned name. Usage: popen FILE.evp NAME  (EVMAP_DATA: build dir) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "evmap.h"

static double now_us(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: popen FILE.evp NAME\n");
        return 2;
    }
    double cpu[5], wall[5], look[5];
    for (int i = 0; i < 5; i++) {
        evm_error err = {0};
        evm_gazetteer *gz = evm_gazetteer_open(NULL, &err);
        if (!gz) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
        double w0 = now_us(CLOCK_MONOTONIC);
        if (evm_gazetteer_add_places(gz, argv[1], &err) != EVM_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        cpu[i] = now_us(CLOCK_THREAD_CPUTIME_ID) - c0;
        wall[i] = now_us(CLOCK_MONOTONIC) - w0;
        evm_place p;
        c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
        int n = evm_geocode(gz, argv[2], NULL, &p, 1, &err);
        look[i] = now_us(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (n != 1) {
            fprintf(stderr, "%s: not found\n", argv[2]);
            return 1;
        }
        evm_gazetteer_close(gz);
    }
    qsort(cpu, 5, sizeof cpu[0], cmp);
    qsort(wall, 5, sizeof wall[0], cmp);
    qsort(look, 5, sizeof look[0], cmp);
    printf("%.0f %.0f %.0f\n", cpu[2], wall[2], look[2]);
    return 0;
}
