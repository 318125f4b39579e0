/* The gazetteer's share of a cold `evmap geocode NAME`: a process that
 * links only what the gazetteer needs (libevmap.a, which brings in just
 * the gazetteer and core objects, and libutf8proc) opens the shipped
 * index and looks the names up as the command does, printing one line
 * per name. Timed with `perf stat` beside a trivial program, the
 * difference is what opening the index (one mmap) and the first lookups
 * (page faults on the few pages they read, the normaliser) cost, apart
 * from the 78 shared libraries the evmap binary loads for rendering.
 *
 * Usage: cold [-v] [-e] NAME...   (EVMAP_DATA: the build directory)
 * With -v it reports on stderr its own CPU time (and wall time) and page
 * faults for the open and for the first lookup, and its peak resident
 * size. With -e it first drops $EVMAP_DATA/gazetteer.evg from the page
 * cache, as after a reboot, so that the lookup reads it from disk. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "evmap.h"

static double cpu_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double wall_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Drops the index's pages from the page cache (written back first). */
static void evict(void)
{
    const char *dir = getenv("EVMAP_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/gazetteer.evg", dir ? dir : ".");
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
}

static long faults(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt + r.ru_majflt;
}

int main(int argc, char **argv)
{
    int verbose = 0, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "-v"))
            verbose = 1;
        else if (!strcmp(argv[first], "-e"))
            evict();
        else
            break;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: cold [-v] [-e] NAME...\n");
        return 2;
    }
    evm_error e = {0};
    double w0 = wall_us();
    double t0 = cpu_us();
    long f0 = faults();
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &e);
    double t1 = cpu_us();
    long f1 = faults();
    if (!gz) {
        fprintf(stderr, "%s\n", e.msg);
        return 3;
    }
    double t2 = t1, w2 = wall_us();
    long f2 = f1;
    int rc = 0;
    for (int i = first; i < argc; i++) {
        evm_place p;
        int n = evm_geocode(gz, argv[i], NULL, &p, 1, &e);
        if (i == first) {
            t2 = cpu_us();
            f2 = faults();
            w2 = wall_us();
        }
        if (n < 0) {
            fprintf(stderr, "%s\n", e.msg);
            rc = 1;
        } else if (n == 0) {
            const evm_place *s[5];
            int k = evm_geocode_suggest(gz, argv[i], s, 5);
            printf("%s\t-\t%s\n", argv[i], k ? s[0]->name : "-");
            rc = 1;
        } else {
            printf("%s\t%s\t%.6f\t%.6f\t%s\t%s\n", argv[i], p.name, p.lat,
                   p.lon, p.country, p.id);
        }
    }
    if (verbose) {
        struct rusage r;
        getrusage(RUSAGE_SELF, &r);
        fprintf(stderr,
                "open %.0f us, %ld page faults; first lookup %.0f us, %ld "
                "page faults; open and first lookup %.0f us wall; peak RSS "
                "%.1f MB\n",
                t1 - t0, f1 - f0, t2 - t1, f2 - f1, w2 - w0,
                r.ru_maxrss / 1024.0);
    }
    evm_gazetteer_close(gz);
    return rc;
}
