/* mkbasemap: parses the basemap sources (format in basemap/README.md). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mkbasemap.h"

#define MAX_SRC_BYTES ((size_t)1 << 30)

/* ------------------------------------------------------------ parsing */

static char *read_gz(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!g)
        return NULL;
    for (;;) {
        int r;
        grow(&buf, &cap, n + (1 << 20) + 1, 1);
        r = gzread(g, buf + n, 1 << 20);
        if (r < 0) {
            int e;
            const char *m = gzerror(g, &e);
            die(1, "%s: %s", path, m);
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > MAX_SRC_BYTES)
            die(1, "%s: over %zu bytes uncompressed", path, MAX_SRC_BYTES);
    }
    gzclose(g);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static long long next_int(char **pp, const char *path, int line)
{
    char *p = *pp, *end;
    long long v;
    while (*p == ' ')
        p++;
    v = strtoll(p, &end, 10);
    if (end == p)
        die(1, "%s:%d: expected a number", path, line);
    *pp = end;
    return v;
}

/* Splits s at tabs into at most max fields (modifies s). */
static int split_tabs(char *s, char **fld, int max)
{
    int n = 0;
    fld[n++] = s;
    while (n < max && (s = strchr(s, '\t')) != NULL) {
        *s++ = '\0';
        fld[n++] = s;
    }
    return n;
}

void parse_file(const char *path, int geom, struct mlayer *l)
{
    size_t len;
    char *buf = read_gz(path, &len);
    char *p, *eol;
    int line = 0, in_poly = 0;
    char want[64];

    if (!buf)
        die(3, "%s: cannot open", path);
    memset(l, 0, sizeof *l);
    l->geom = geom;
    snprintf(want, sizeof want, "#evmap-basemap 1 ");
    if (strncmp(buf, want, strlen(want)) != 0)
        die(1, "%s:1: not a basemap source (no '#evmap-basemap 1' line)",
            path);
    for (p = buf; *p; p = eol + 1) {
        eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        *eol = '\0';
        line++;
        if (p[0] == '#' || p[0] == '\0') {
            /* comment */
        } else if (p[0] == 'F' && p[1] == '\t') {
            char *fld[9];
            struct mfeat *f;
            int nf = split_tabs(p + 2, fld, 8);
            if (nf != 6 && nf != 8)
                die(1, "%s:%d: F needs 6 tab-separated fields (8 with an "
                    "id and a code)", path, line);
            f = new_feat(l, NULL);
            f->name = xstrdup(fld[0]);
            f->name_en = xstrdup(fld[1]);
            snprintf(f->iso, sizeof f->iso, "%s", fld[2]);
            f->rank = atoi(fld[3]);
            f->pop = atoll(fld[4]);
            f->flags = atoi(fld[5]);
            f->id = xstrdup(nf == 8 ? fld[6] : "");
            f->code = xstrdup(nf == 8 ? fld[7] : "");
            if (!evm__utf8_valid(f->name, strlen(f->name)) ||
                !evm__utf8_valid(f->name_en, strlen(f->name_en)) ||
                !evm__utf8_valid(f->id, strlen(f->id)) ||
                !evm__utf8_valid(f->code, strlen(f->code)))
                die(1, "%s:%d: invalid UTF-8", path, line);
            in_poly = 0;
        } else if (p[0] == 'A' && p[1] == '\t') {
            char *fld[3];
            if (!l->nf || split_tabs(p + 2, fld, 2) != 2)
                die(1, "%s:%d: bad alias line", path, line);
            grow(&l->a, &l->capa, l->na + 1, sizeof *l->a);
            l->a[l->na].feat = l->nf - 1;
            l->a[l->na].tier = atoi(fld[0]);
            l->a[l->na].text = xstrdup(fld[1]);
            l->na++;
        } else if (p[0] == 'P' && p[1] == '\0') {
            if (!l->nf || geom != EVB_GEOM_POLYGON)
                die(1, "%s:%d: unexpected polygon", path, line);
            in_poly = 1;
        } else if ((p[0] == 'R' || p[0] == 'L') && p[1] == ' ') {
            char *q = p + 1;
            long long n, x = 0, y = 0;
            int outer;
            if (!l->nf || (p[0] == 'R') != (geom == EVB_GEOM_POLYGON) ||
                (p[0] == 'R' && !in_poly))
                die(1, "%s:%d: unexpected part", path, line);
            n = next_int(&q, path, line);
            if (n < 2 || n > 50000000)
                die(1, "%s:%d: bad point count", path, line);
            outer = in_poly == 1;
            in_poly = 2;
            begin_part(l);
            for (long long i = 0; i < n; i++) {
                x += next_int(&q, path, line);
                y += next_int(&q, path, line);
                if (x < -18000000 || x > 18000000 || y < -9000000 ||
                    y > 9000000)
                    die(1, "%s:%d: coordinate out of range", path, line);
                add_point(l, x / 1e5, y / 1e5);
            }
            end_part(l);
            if (p[0] == 'R') {
                /* outer rings counter-clockwise, holes clockwise */
                size_t k = l->np - 1;
                double a = ring_area2(l->xy + 2 * l->pstart[k], l->plen[k]);
                if ((outer && a < 0) || (!outer && a > 0))
                    reverse_pts(l->xy + 2 * l->pstart[k], l->plen[k]);
            }
        } else if (p[0] == 'X' && p[1] == ' ') {
            char *q = p + 1;
            long long x, y;
            if (!l->nf || geom != EVB_GEOM_POINT)
                die(1, "%s:%d: unexpected point", path, line);
            x = next_int(&q, path, line);
            y = next_int(&q, path, line);
            begin_part(l);
            add_point(l, x / 1e5, y / 1e5);
            end_part(l);
        } else {
            die(1, "%s:%d: unknown record", path, line);
        }
        if (*eol == '\0' && eol == buf + len)
            break;
    }
    free(buf);
}

