/* Vector sources as event tables: every feature of every layer becomes a
 * row of text values with its geometry in WGS 84 lon/lat. One feature is
 * held at a time, so a table of any length streams through. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <ogr_api.h>

#include "gdal/gdal_int.h"

/* Growable geometry of one row, reused from row to row. */
struct geom {
    evm_vfeat f;
    size_t cpart, chole, cpt;
};

/* Per-layer field arrays. */
struct cols {
    int n;
    char **name;
    evm_ftype *type;
    const char **value;
    char **own; /* formatted values (dates) owned here */
};

static void cols_free(struct cols *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->name[i]);
        free(c->own[i]);
    }
    free(c->name);
    free(c->type);
    free(c->value);
    free(c->own);
    memset(c, 0, sizeof *c);
}

static int cols_init(struct cols *c, OGRFeatureDefnH fd)
{
    memset(c, 0, sizeof *c);
    int n = OGR_FD_GetFieldCount(fd);
    size_t k = n > 0 ? (size_t)n : 1;
    c->name = calloc(k, sizeof *c->name);
    c->type = calloc(k, sizeof *c->type);
    c->value = calloc(k, sizeof *c->value);
    c->own = calloc(k, sizeof *c->own);
    if (!c->name || !c->type || !c->value || !c->own)
        return -1;
    c->n = n;
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH d = OGR_FD_GetFieldDefn(fd, i);
        const char *nm = OGR_Fld_GetNameRef(d);
        size_t l = strlen(nm ? nm : "") + 1;
        if (!(c->name[i] = malloc(l)))
            return -1;
        memcpy(c->name[i], nm ? nm : "", l);
        switch (OGR_Fld_GetType(d)) {
        case OFTInteger:
        case OFTInteger64:
            c->type[i] = EVM_FT_INT;
            break;
        case OFTReal: c->type[i] = EVM_FT_REAL; break;
        case OFTDate: c->type[i] = EVM_FT_DATE; break;
        case OFTDateTime: c->type[i] = EVM_FT_DATETIME; break;
        default: c->type[i] = EVM_FT_STRING; break;
        }
    }
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 4 / size)
            return -1;
        nc *= 2;
    }
    void *q = realloc(*p, nc * size);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

static int add_part(struct geom *g, OGRGeometryH x, int hole)
{
    evm_vfeat *f = &g->f;
    int np = OGR_G_GetPointCount(x);
    if (np <= 0)
        return 0;
    size_t n = f->npart ? (size_t)f->part[f->npart] : 0;
    size_t cl = g->cpt, ca = g->cpt;
    if (grow((void **)&f->part, &g->cpart, (size_t)f->npart + 2,
             sizeof *f->part) < 0 ||
        grow((void **)&f->hole, &g->chole, (size_t)f->npart + 1, 1) < 0 ||
        grow((void **)&f->lon, &cl, n + (size_t)np, sizeof(double)) < 0 ||
        grow((void **)&f->lat, &ca, n + (size_t)np, sizeof(double)) < 0)
        return -1;
    g->cpt = cl < ca ? cl : ca;
    OGR_G_GetPoints(x, f->lon + n, sizeof(double), f->lat + n,
                    sizeof(double), NULL, 0);
    f->part[0] = 0;
    f->hole[f->npart] = (unsigned char)hole;
    f->part[++f->npart] = (int)(n + (size_t)np);
    return 0;
}

/* Collects the parts of x of the first primitive type met into g. */
static int collect(struct geom *g, OGRGeometryH x)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(x));
    evm_vgeom want = t == wkbPoint ? EVM_VGEOM_POINT
                     : t == wkbLineString || t == wkbLinearRing
                         ? EVM_VGEOM_LINE
                     : t == wkbPolygon || t == wkbTriangle ? EVM_VGEOM_POLYGON
                                                           : 0;
    if (want) {
        if (g->f.type && g->f.type != want)
            return 0;
        g->f.type = want;
        if (want != EVM_VGEOM_POLYGON)
            return add_part(g, x, 0);
        int n = OGR_G_GetGeometryCount(x);
        for (int i = 0; i < n; i++)
            if (add_part(g, OGR_G_GetGeometryRef(x, i), i > 0) < 0)
                return -1;
        return 0;
    }
    int n = OGR_G_GetGeometryCount(x);
    for (int i = 0; i < n; i++)
        if (collect(g, OGR_G_GetGeometryRef(x, i)) < 0)
            return -1;
    return 0;
}

/* Formats field i of f into c->own[i] / c->value[i]. */
static int field_value(struct cols *c, OGRFeatureH f, int i)
{
    free(c->own[i]);
    c->own[i] = NULL;
    c->value[i] = NULL;
    if (!OGR_F_IsFieldSetAndNotNull(f, i))
        return 0;
    if (c->type[i] == EVM_FT_DATE || c->type[i] == EVM_FT_DATETIME) {
        int y, mo, d, h, mi, tz;
        float s;
        if (!OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &h, &mi, &s,
                                        &tz))
            return 0;
        char b[48];
        if (c->type[i] == EVM_FT_DATE) {
            snprintf(b, sizeof b, "%04d-%02d-%02d", y, mo, d);
        } else {
            int n = snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d", y,
                             mo, d, h, mi, (int)s);
            if (tz == 100) {
                snprintf(b + n, sizeof b - (size_t)n, "Z");
            } else if (tz > 1) {
                int off = (tz - 100) * 15;
                int a = off < 0 ? -off : off;
                snprintf(b + n, sizeof b - (size_t)n, "%c%02d:%02d",
                         off < 0 ? '-' : '+', a / 60, a % 60);
            }
        }
        size_t l = strlen(b) + 1;
        if (!(c->own[i] = malloc(l)))
            return -1;
        memcpy(c->own[i], b, l);
        c->value[i] = c->own[i];
        return 0;
    }
    const char *v = OGR_F_GetFieldAsString(f, i);
    if (c->type[i] == EVM_FT_STRING &&
        OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) == OFTString) {
        c->value[i] = v; /* the field's own text, alive with f */
        return 0;
    }
    /* numbers are formatted into one buffer the next call reuses */
    size_t l = strlen(v ? v : "") + 1;
    if (!(c->own[i] = malloc(l)))
        return -1;
    memcpy(c->own[i], v ? v : "", l);
    c->value[i] = c->own[i];
    return 0;
}

/* Contract in gdal_api.h (read_rows). */
evm_status evm__read_rows(const char *path, evm_gdal_row_fn fn, void *ud,
                          evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    struct geom g;
    struct cols c;
    int stop = 0;
    memset(&g, 0, sizeof g);
    memset(&c, 0, sizeof c);
    evm__cpl_begin(&cap);
    GDALDatasetH ds = evm__open(path, GDAL_OF_VECTOR, "a vector source",
                                &cap, err);
    if (!ds) {
        evm__cpl_end();
        return err && err->code ? err->code : EVM_E_INPUT;
    }
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    int nl = GDALDatasetGetLayerCount(ds);
    for (int li = 0; li < nl && st == EVM_OK && !stop; li++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, li);
        OGRCoordinateTransformationH ct = NULL;
        if (!l || (st = evm__layer_ct(l, path, &cap, &ct, err)) != EVM_OK)
            break;
        cols_free(&c);
        if (cols_init(&c, OGR_L_GetLayerDefn(l)) < 0) {
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            if (ct)
                OCTDestroyCoordinateTransformation(ct);
            break;
        }
        OGRFeatureH f;
        long index = 0;
        OGR_L_ResetReading(l);
        while (!stop && st == EVM_OK && (f = OGR_L_GetNextFeature(l))) {
            index++;
            evm_gdal_row r;
            memset(&r, 0, sizeof r);
            r.layer = OGR_L_GetName(l);
            r.layer_index = li;
            r.index = index;
            r.nfield = c.n;
            r.name = (const char *const *)c.name;
            r.type = c.type;
            r.value = c.value;
            r.lon = r.lat = NAN;
            for (int i = 0; i < c.n && st == EVM_OK; i++)
                if (field_value(&c, f, i) < 0)
                    st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
            OGRGeometryH g0 = OGR_F_GetGeometryRef(f);
            OGRGeometryH x = NULL;
            if (st == EVM_OK && g0 && !OGR_G_IsEmpty(g0)) {
                x = OGR_G_HasCurveGeometry(g0, 0)
                        ? OGR_G_GetLinearGeometry(g0, 0, NULL)
                        : OGR_G_Clone(g0);
                if (!x) {
                    st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
                } else if (ct && OGR_G_Transform(x, ct) != OGRERR_NONE) {
                    st = evm_error_set(err, EVM_E_INPUT,
                                       "%s: layer %s: feature %ld cannot be "
                                       "reprojected to WGS 84: %s", path,
                                       r.layer, index,
                                       evm__cpl_msg(&cap, "outside the "
                                                          "CRS's area"));
                }
            }
            if (st == EVM_OK && x) {
                g.f.type = 0;
                g.f.npart = 0;
                if (collect(&g, x) < 0) {
                    st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
                } else if (g.f.npart > 0) {
                    r.geom = &g.f;
                    if (g.f.type == EVM_VGEOM_POINT) {
                        r.lon = g.f.lon[0];
                        r.lat = g.f.lat[0];
                    } else if (pt && OGR_G_Centroid(x, pt) == OGRERR_NONE &&
                               !OGR_G_IsEmpty(pt)) {
                        r.lon = OGR_G_GetX(pt, 0);
                        r.lat = OGR_G_GetY(pt, 0);
                    }
                }
            }
            if (x)
                OGR_G_DestroyGeometry(x);
            if (st == EVM_OK)
                stop = fn(ud, &r);
            OGR_F_Destroy(f);
        }
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
        if (st == EVM_OK && !stop && cap.failed)
            st = evm_error_set(err, EVM_E_INPUT, "%s: layer %s: %s", path,
                               OGR_L_GetName(l), cap.msg);
    }
    if (pt)
        OGR_G_DestroyGeometry(pt);
    cols_free(&c);
    free(g.f.part);
    free(g.f.hole);
    free(g.f.lon);
    free(g.f.lat);
    GDALClose(ds);
    evm__cpl_end();
    return st;
}
