/* mkbasemap: errors, allocation and the in-memory layer. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkbasemap.h"

void die(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("mkbasemap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

/* Grows *p (of *cap elements of size sz) to hold at least need. */
void grow(void *pp, size_t *cap, size_t need, size_t sz)
{
    void **p = pp;
    size_t c = *cap ? *cap : 16;
    if (need <= *cap)
        return;
    while (c < need)
        c *= 2;
    void *q = evm__reallocarray(*p, c, sz);
    if (!q)
        die(3, "out of memory");
    *p = q;
    *cap = c;
}

char *xstrdup(const char *s)
{
    char *d = evm__strdup(s);
    if (!d)
        die(3, "out of memory");
    return d;
}

void layer_free(struct mlayer *l, int free_strings)
{
    if (free_strings) {
        for (size_t i = 0; i < l->nf; i++) {
            free(l->f[i].name);
            free(l->f[i].name_en);
            free(l->f[i].id);
            free(l->f[i].code);
        }
        for (size_t i = 0; i < l->na; i++)
            free(l->a[i].text);
    }
    free(l->f);
    free(l->pstart);
    free(l->plen);
    free(l->xy);
    free(l->a);
    memset(l, 0, sizeof *l);
}

void add_point(struct mlayer *l, double x, double y)
{
    grow(&l->xy, &l->capxy, 2 * (l->npt + 1), sizeof(double));
    l->xy[2 * l->npt] = x;
    l->xy[2 * l->npt + 1] = y;
    l->npt++;
}

void begin_part(struct mlayer *l)
{
    size_t c1 = l->capp, c2 = l->capp2;
    grow(&l->pstart, &c1, l->np + 1, sizeof(size_t));
    grow(&l->plen, &c2, l->np + 1, sizeof(uint32_t));
    l->capp = c1;
    l->capp2 = c2;
    l->pstart[l->np] = l->npt;
    l->plen[l->np] = 0;
    l->np++;
}

void end_part(struct mlayer *l)
{
    size_t n = l->npt - l->pstart[l->np - 1];
    if (n > UINT32_MAX)
        die(1, "part too long");
    l->plen[l->np - 1] = (uint32_t)n;
    l->f[l->nf - 1].nparts++;
}

struct mfeat *new_feat(struct mlayer *l, const struct mfeat *tmpl)
{
    grow(&l->f, &l->capf, l->nf + 1, sizeof *l->f);
    struct mfeat *f = &l->f[l->nf++];
    if (tmpl)
        *f = *tmpl;
    else
        memset(f, 0, sizeof *f);
    f->part0 = l->np;
    f->nparts = 0;
    f->whole = EVB_NOWHOLE;
    f->same_as_whole = 0;
    return f;
}

double ring_area2(const double *p, size_t n)
{
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
    return a;
}

void reverse_pts(double *p, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        double x = p[2 * i], y = p[2 * i + 1];
        p[2 * i] = p[2 * j];
        p[2 * i + 1] = p[2 * j + 1];
        p[2 * j] = x;
        p[2 * j + 1] = y;
    }
}

