/* mkbasemap's parts (tools/mkbasemap.c is the program): errors,
 * allocation and the in-memory layer (layer.c), the parser of the sources
 * (parse.c) and the tiling of large features (tile.c). */
#ifndef MKBASEMAP_H
#define MKBASEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "basemap/evb.h"
#include "core/core.h"

struct mfeat {
    char *name, *name_en;  /* owned by the layer's parse (shared by pieces) */
    char *id, *code;       /* Natural Earth key (ADM0_A3, adm1_code) and
                              the code shown (ISO A2, ISO 3166-2); "" */
    char iso[3];
    int rank;
    long long pop;
    int flags;
    size_t part0, nparts;  /* into layer parts */
    uint32_t whole;        /* source feature for pieces, or EVB_NOWHOLE */
    int same_as_whole;     /* geometry identical to whole feature */
    float bbox[4];
};

struct malias {
    size_t feat;
    int tier;
    char *text;
};

struct mlayer {
    int geom;
    struct mfeat *f;
    size_t nf, capf;
    size_t *pstart;        /* first point of each part */
    uint32_t *plen;
    size_t np, capp, capp2;
    double *xy;            /* points, 2 doubles each; rings open */
    size_t npt, capxy;
    struct malias *a;
    size_t na, capa;
};

/* layer.c */
void die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* Grows *p (of *cap elements of size sz) to hold at least need. */
void grow(void *pp, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
void layer_free(struct mlayer *l, int free_strings);
void add_point(struct mlayer *l, double x, double y);
void begin_part(struct mlayer *l);
void end_part(struct mlayer *l);
struct mfeat *new_feat(struct mlayer *l, const struct mfeat *tmpl);
double ring_area2(const double *p, size_t n);
void reverse_pts(double *p, size_t n);

/* parse.c: reads one source file into l */
void parse_file(const char *path, int geom, struct mlayer *l);

/* tile.c: copies src into dst with large polygons cut into the tiles of
 * scale and long lines into pieces */
void tile_layer(const struct mlayer *src, int scale, struct mlayer *dst);

#endif
