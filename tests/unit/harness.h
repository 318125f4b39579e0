/* A tiny test harness (after Redis's testhelp.h). Each test program ends
 * with TEST_REPORT(), which prints "N passed, N failed"; tests/run adds
 * the counts of every program up. */
#ifndef EVM_HARNESS_H
#define EVM_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            t_passed++;                                                    \
        } else {                                                           \
            t_failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);           \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b, what)                                              \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        CHECK(a_ && b_ && strcmp(a_, b_) == 0, "%s: got \"%s\", want \"%s\"", \
              what, a_ ? a_ : "(null)", b_ ? b_ : "(null)");               \
    } while (0)

#define CHECK_NEAR(a, b, tol, what)                                        \
    do {                                                                   \
        double a_ = (a), b_ = (b);                                         \
        CHECK(a_ - b_ <= (tol) && b_ - a_ <= (tol), "%s: got %.6f, want %.6f", \
              what, a_, b_);                                               \
    } while (0)

#define TEST_REPORT()                                                      \
    do {                                                                   \
        printf("%d passed, %d failed\n", t_passed, t_failed);             \
        return t_failed ? 1 : 0;                                           \
    } while (0)

#endif
