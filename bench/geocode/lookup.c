/* Exact-name lookups per second in one process: evm_geocode against the
 * same normalised names in SQLite (an indexed table, a prepared
 * statement). Both sides normalise the query with the same code, so the
 * comparison is of the index.
 *
 * The names are repeated (a mix of real names, codes and misses, in file
 * order) for RUNS runs of at least SECONDS of the thread's CPU time each;
 * the rate of each side is the median of its runs. CPU time, not wall
 * time: on a loaded machine the wall clock counts other processes' turns.
 *
 * Usage: lookup INDEX NAMES_FILE [RUNS [SECONDS]]   (one name per line)
 * Prints: evmap_per_s sqlite_per_s evmap_found sqlite_found */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "evmap.h"
#include "gazetteer/gaz_int.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define MAX_RUNS 15

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: lookup INDEX NAMES [RUNS [SECONDS]]\n");
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    double secs = argc > 4 ? atof(argv[4]) : 0.5;
    if (runs < 1 || runs > MAX_RUNS || !(secs > 0)) {
        fprintf(stderr, "lookup: RUNS 1..%d, SECONDS > 0\n", MAX_RUNS);
        return 2;
    }
    evm_error e = {0};
    evm_gazetteer *gz = evm_gazetteer_open(argv[1], &e);
    if (!gz) {
        fprintf(stderr, "%s\n", e.msg);
        return 3;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f)
        return 3;
    char **names = NULL, line[1100];
    size_t n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(line);
    }
    fclose(f);
    if (!n)
        return 1;

    /* evmap: whole lookups (normalise, probe, rank, best match) */
    evm_place p;
    double evm_rates[MAX_RUNS], sql_rates[MAX_RUNS], t0, t1;
    size_t done = 0, found = 0;
    for (int r = 0; r < runs; r++) {
        size_t rdone = 0;
        t0 = now();
        do {
            for (size_t i = 0; i < n; i++)
                found += evm_geocode(gz, names[i], NULL, &p, 1, &e) > 0;
            rdone += n;
            t1 = now();
        } while (t1 - t0 < secs);
        evm_rates[r] = rdone / (t1 - t0);
        done += rdone;
    }
    qsort(evm_rates, (size_t)runs, sizeof evm_rates[0], cmp_double);
    double evm_rate = evm_rates[runs / 2];

    /* SQLite: the index's normalised names -> place ids */
    sqlite3 *db;
    sqlite3_stmt *ins, *sel;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE TABLE names(key TEXT, place INTEGER);"
                     "BEGIN", 0, 0, 0);
    sqlite3_prepare_v2(db, "INSERT INTO names VALUES(?, ?)", -1, &ins, 0);
    for (uint32_t k = 0; k < gz->h->nkeys; k++) {
        const struct evm_gz_key *key = &gz->keys[k];
        for (uint32_t j = 0; j < key->npost; j++) {
            sqlite3_bind_text(ins, 1, evm__gz_str(gz, key->str), -1,
                              SQLITE_STATIC);
            sqlite3_bind_int(ins, 2, (int)EVM_GZ_POST_PLACE(
                                         gz->posts[key->post + j]));
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT; CREATE INDEX names_key ON names(key)", 0, 0,
                 0);
    sqlite3_prepare_v2(db, "SELECT place FROM names WHERE key = ?", -1, &sel,
                       0);
    size_t sdone = 0, sfound = 0;
    for (int r = 0; r < runs; r++) {
        size_t rdone = 0;
        t0 = now();
        do {
            for (size_t i = 0; i < n; i++) {
                struct evm_gz_words w;
                char key[EVM_GZ_NORM_MAX];
                if (evm__gz_words(names[i], strlen(names[i]), &w) < 0)
                    continue;
                int len = evm__gz_key(&w, 0, w.n, key, sizeof key);
                sqlite3_bind_text(sel, 1, key, len, SQLITE_STATIC);
                int rows = 0;
                while (sqlite3_step(sel) == SQLITE_ROW)
                    rows++;
                sfound += rows > 0;
                sqlite3_reset(sel);
            }
            rdone += n;
            t1 = now();
        } while (t1 - t0 < secs);
        sql_rates[r] = rdone / (t1 - t0);
        sdone += rdone;
    }
    qsort(sql_rates, (size_t)runs, sizeof sql_rates[0], cmp_double);
    double sql_rate = sql_rates[runs / 2];
    printf("%.0f %.0f %.3f %.3f\n", evm_rate, sql_rate,
           (double)found / done, (double)sfound / sdone);
    sqlite3_finalize(sel);
    sqlite3_close(db);
    evm_gazetteer_close(gz);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return 0;
}
