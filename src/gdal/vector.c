/* Vector sources through OGR: points for places and event tables, whole
 * layers (points, lines, polygons) for the renderer and areas. Everything
 * comes out as WGS 84 lon/lat in plain malloc'ed structures. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <ogr_api.h>

#include "gdal/gdal_int.h"

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / size)
            return NULL;
        nc *= 2;
    }
    void *q = realloc(p, nc * size);
    if (q)
        *cap = nc;
    return q;
}

static char *dupstr(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* The value of the first of the named fields that the feature has set
 * (field names match case-insensitively); NULL if none. Borrowed from f. */
static const char *field_str(OGRFeatureH f, OGRFeatureDefnH fd,
                             const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        int k = OGR_FD_GetFieldIndex(fd, names[i]);
        if (k >= 0 && OGR_F_IsFieldSetAndNotNull(f, k)) {
            const char *s = OGR_F_GetFieldAsString(f, k);
            if (s && *s)
                return s;
        }
    }
    return NULL;
}

static const char *const NAME_FIELDS[] = {"name", NULL};
static const char *const NAME_OR_LABEL[] = {"name", "label", NULL};
static const char *const LABEL_FIELDS[] = {"label", NULL};
static const char *const COUNTRY_FIELDS[] = {"country", "country_code",
                                             "iso_a2", "cc", NULL};
static const char *const KIND_FIELDS[] = {"kind", NULL};

/* Contract in gdal_int.h. */
evm_status evm__layer_ct(OGRLayerH l, const char *path, evm_cpl *cap,
                           OGRCoordinateTransformationH *ct, evm_error *err)
{
    *ct = NULL;
    OGRSpatialReferenceH ls = OGR_L_GetSpatialRef(l);
    if (!ls)
        return EVM_OK;
    OGRSpatialReferenceH src = OSRClone(ls), dst = evm__srs_wgs84();
    evm_status st = EVM_OK;
    if (!src || !dst) {
        st = evm_error_set(err, EVM_E_LIB, "%s: cannot set up WGS 84: %s",
                           path, evm__cpl_msg(cap, "GDAL failure"));
    } else {
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        if (!(*ct = OCTNewCoordinateTransformation(src, dst)))
            st = evm_error_set(err, EVM_E_INPUT,
                               "%s: layer %s: cannot reproject its CRS to "
                               "WGS 84: %s", path, OGR_L_GetName(l),
                               evm__cpl_msg(cap, "no transformation"));
    }
    if (src)
        OSRDestroySpatialReference(src);
    if (dst)
        OSRDestroySpatialReference(dst);
    return st;
}

/* The feature's geometry in lon/lat as a new geometry (caller destroys),
 * or NULL with *st == EVM_OK when it has none. */
static OGRGeometryH feature_geom(OGRFeatureH f, OGRCoordinateTransformationH
                                 ct, const char *path, OGRLayerH l,
                                 evm_cpl *cap, evm_status *st, evm_error *err)
{
    *st = EVM_OK;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g))
        return NULL;
    OGRGeometryH c = OGR_G_HasCurveGeometry(g, 0)
                         ? OGR_G_GetLinearGeometry(g, 0, NULL)
                         : OGR_G_Clone(g);
    if (!c) {
        *st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    if (ct && OGR_G_Transform(c, ct) != OGRERR_NONE) {
        *st = evm_error_set(err, EVM_E_INPUT,
                            "%s: layer %s: feature %lld cannot be "
                            "reprojected to WGS 84: %s", path,
                            OGR_L_GetName(l), (long long)OGR_F_GetFID(f),
                            evm__cpl_msg(cap, "outside the CRS's area"));
        OGR_G_DestroyGeometry(c);
        return NULL;
    }
    return c;
}

/* ----------------------------------------------------------- points */

/* Contract in gdal_api.h (read_points). */
evm_status evm__read_points(const char *path, evm_gdal_point_fn fn, void *ud,
                            evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    long nfeat = 0, ngeom = 0;
    int stop = 0;
    evm__cpl_begin(&cap);
    GDALDatasetH ds = evm__open(path, GDAL_OF_VECTOR, "a vector source",
                                &cap, err);
    if (!ds) {
        evm__cpl_end();
        return err ? err->code : EVM_E_INPUT;
    }
    int nl = GDALDatasetGetLayerCount(ds);
    for (int li = 0; li < nl && st == EVM_OK && !stop; li++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, li);
        OGRCoordinateTransformationH ct = NULL;
        if (!l || (st = evm__layer_ct(l, path, &cap, &ct, err)) != EVM_OK)
            break;
        OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        OGRFeatureH f;
        OGR_L_ResetReading(l);
        while (!stop && st == EVM_OK && (f = OGR_L_GetNextFeature(l))) {
            nfeat++;
            OGRGeometryH g = feature_geom(f, ct, path, l, &cap, &st, err);
            if (g) {
                double lon = NAN, lat = NAN;
                if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
                    lon = OGR_G_GetX(g, 0);
                    lat = OGR_G_GetY(g, 0);
                } else if (pt && OGR_G_Centroid(g, pt) == OGRERR_NONE &&
                           !OGR_G_IsEmpty(pt)) {
                    lon = OGR_G_GetX(pt, 0);
                    lat = OGR_G_GetY(pt, 0);
                } else {
                    OGREnvelope e;
                    OGR_G_GetEnvelope(g, &e);
                    lon = (e.MinX + e.MaxX) / 2;
                    lat = (e.MinY + e.MaxY) / 2;
                }
                OGR_G_DestroyGeometry(g);
                if (isfinite(lon) && isfinite(lat)) {
                    ngeom++;
                    stop = fn(ud, field_str(f, fd, NAME_OR_LABEL), lon, lat,
                              field_str(f, fd, COUNTRY_FIELDS),
                              field_str(f, fd, KIND_FIELDS));
                }
            }
            OGR_F_Destroy(f);
        }
        if (pt)
            OGR_G_DestroyGeometry(pt);
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
    }
    if (st == EVM_OK && cap.failed && !stop)
        st = evm_error_set(err, EVM_E_INPUT, "%s: %s", path, cap.msg);
    if (st == EVM_OK && nfeat > 0 && ngeom == 0)
        st = evm_error_set(err, EVM_E_INPUT,
                           "%s: no feature has a location (a CSV needs "
                           "lon/lat or longitude/latitude columns, or WKT)",
                           path);
    GDALClose(ds);
    evm__cpl_end();
    return st;
}

/* ----------------------------------------------------------- layers */

/* Points of one geometry type collected from a feature. */
struct bucket {
    int *part;
    size_t npart, cpart;   /* part has npart + 1 used entries */
    unsigned char *hole;
    size_t chole;
    double *lon, *lat;
    size_t n, clon, clat;
};

struct reader {
    const char *path;
    evm_vlayer *out;
    size_t cfeat;
    long budget;           /* points left under EVM_VLAYER_MAX_POINTS */
    evm_error *err;
};

static void bucket_free(struct bucket *b)
{
    free(b->part);
    free(b->hole);
    free(b->lon);
    free(b->lat);
    memset(b, 0, sizeof *b);
}

/* Appends the points of the simple curve/point g as one part. */
static evm_status add_part(struct reader *r, struct bucket *b, OGRGeometryH g,
                           int hole)
{
    int np = OGR_G_GetPointCount(g);
    if (np <= 0)
        return EVM_OK;
    if (np > r->budget)
        return evm_error_set(r->err, EVM_E_TOOBIG,
                             "%s: more than %ld points; simplify it first "
                             "(e.g. ogr2ogr -simplify)", r->path,
                             EVM_VLAYER_MAX_POINTS);
    r->budget -= np;
    void *p;
    if (!(p = grow(b->part, &b->cpart, b->npart + 2, sizeof *b->part)))
        goto oom;
    b->part = p;
    if (!(p = grow(b->hole, &b->chole, b->npart + 1, 1)))
        goto oom;
    b->hole = p;
    if (!(p = grow(b->lon, &b->clon, b->n + (size_t)np, sizeof(double))))
        goto oom;
    b->lon = p;
    if (!(p = grow(b->lat, &b->clat, b->n + (size_t)np, sizeof(double))))
        goto oom;
    b->lat = p;
    OGR_G_GetPoints(g, b->lon + b->n, sizeof(double), b->lat + b->n,
                    sizeof(double), NULL, 0);
    if (b->npart == 0)
        b->part[0] = 0;
    b->hole[b->npart] = (unsigned char)hole;
    b->n += (size_t)np;
    b->part[++b->npart] = (int)b->n;
    return EVM_OK;
oom:
    return evm_error_set(r->err, EVM_E_NOMEM, "%s: out of memory", r->path);
}

/* Sorts the parts of g into the point/line/polygon buckets. */
static evm_status collect(struct reader *r, struct bucket bk[3],
                          OGRGeometryH g)
{
    evm_status st = EVM_OK;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    switch (t) {
    case wkbPoint:
        return add_part(r, &bk[0], g, 0);
    case wkbLineString:
    case wkbLinearRing:
        return add_part(r, &bk[1], g, 0);
    case wkbPolygon:
    case wkbTriangle: {
        int n = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n && st == EVM_OK; i++)
            st = add_part(r, &bk[2], OGR_G_GetGeometryRef(g, i), i > 0);
        return st;
    }
    default: {
        /* multi*, collections, polyhedral surfaces, TINs */
        int n = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n && st == EVM_OK; i++)
            st = collect(r, bk, OGR_G_GetGeometryRef(g, i));
        return st;
    }
    }
}

static void extend_bbox(double bb[4], const double *lon, const double *lat,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(lon[i] >= bb[0]))
            bb[0] = lon[i];
        if (!(lat[i] >= bb[1]))
            bb[1] = lat[i];
        if (!(lon[i] <= bb[2]))
            bb[2] = lon[i];
        if (!(lat[i] <= bb[3]))
            bb[3] = lat[i];
    }
}

/* Moves the non-empty buckets into new features carrying name/label. */
static evm_status emit(struct reader *r, struct bucket bk[3],
                       const char *name, const char *label)
{
    static const evm_vgeom types[3] = {EVM_VGEOM_POINT, EVM_VGEOM_LINE,
                                       EVM_VGEOM_POLYGON};
    evm_vlayer *L = r->out;
    for (int k = 0; k < 3; k++) {
        struct bucket *b = &bk[k];
        if (!b->npart)
            continue;
        void *p = grow(L->feat, &r->cfeat, (size_t)L->nfeat + 1,
                       sizeof *L->feat);
        if (!p || L->nfeat == INT32_MAX)
            return evm_error_set(r->err, EVM_E_NOMEM, "%s: out of memory",
                                 r->path);
        L->feat = p;
        evm_vfeat *f = &L->feat[L->nfeat];
        memset(f, 0, sizeof *f);
        f->name = dupstr(name);
        f->label = dupstr(label);
        if ((name && !f->name) || (label && !f->label)) {
            free(f->name);
            free(f->label);
            return evm_error_set(r->err, EVM_E_NOMEM, "%s: out of memory",
                                 r->path);
        }
        f->type = types[k];
        f->npart = (int)b->npart;
        f->part = b->part;
        f->lon = b->lon;
        f->lat = b->lat;
        if (k == 2) {
            f->hole = b->hole;
        } else {
            free(b->hole);
        }
        extend_bbox(L->bbox, b->lon, b->lat, b->n);
        L->npoints += (long)b->n;
        L->nfeat++;
        memset(b, 0, sizeof *b);
    }
    return EVM_OK;
}

static evm_status read_one_layer(struct reader *r, OGRLayerH l, evm_cpl *cap)
{
    OGRCoordinateTransformationH ct = NULL;
    evm_status st = evm__layer_ct(l, r->path, cap, &ct, r->err);
    if (st != EVM_OK)
        return st;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while (st == EVM_OK && (f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = feature_geom(f, ct, r->path, l, cap, &st, r->err);
        if (g) {
            struct bucket bk[3];
            memset(bk, 0, sizeof bk);
            st = collect(r, bk, g);
            if (st == EVM_OK)
                st = emit(r, bk, field_str(f, fd, NAME_FIELDS),
                          field_str(f, fd, LABEL_FIELDS));
            for (int k = 0; k < 3; k++)
                bucket_free(&bk[k]);
            OGR_G_DestroyGeometry(g);
        }
        OGR_F_Destroy(f);
    }
    if (st == EVM_OK && cap->failed)
        st = evm_error_set(r->err, EVM_E_INPUT, "%s: layer %s: %s", r->path,
                           OGR_L_GetName(l), cap->msg);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    return st;
}

/* Contract in gdal_api.h (read_layer). */
evm_vlayer *evm__read_layer(const char *path, const char *layer,
                            evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    evm_vlayer *L = calloc(1, sizeof *L);
    if (!L) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    for (int i = 0; i < 4; i++)
        L->bbox[i] = NAN;
    struct reader r = {path, L, 0, EVM_VLAYER_MAX_POINTS, err};
    evm__cpl_begin(&cap);
    GDALDatasetH ds = evm__open(path, GDAL_OF_VECTOR, "a vector source",
                                &cap, err);
    if (!ds) {
        evm__cpl_end();
        evm__free_layer(L);
        return NULL;
    }
    if (layer) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
        if (!l) {
            char names[400] = "";
            int nl = GDALDatasetGetLayerCount(ds);
            for (int i = 0; i < nl; i++) {
                OGRLayerH x = GDALDatasetGetLayer(ds, i);
                size_t u = strlen(names);
                if (x && u < sizeof names - 1)
                    snprintf(names + u, sizeof names - u, "%s%s",
                             i ? ", " : "", OGR_L_GetName(x));
            }
            st = evm_error_set(err, EVM_E_INPUT,
                               "%s: no layer \"%s\" (it has: %s)", path,
                               layer, names);
        } else {
            st = read_one_layer(&r, l, &cap);
        }
    } else {
        int nl = GDALDatasetGetLayerCount(ds);
        for (int i = 0; i < nl && st == EVM_OK; i++) {
            OGRLayerH l = GDALDatasetGetLayer(ds, i);
            if (l)
                st = read_one_layer(&r, l, &cap);
        }
    }
    GDALClose(ds);
    evm__cpl_end();
    if (st != EVM_OK) {
        evm__free_layer(L);
        return NULL;
    }
    return L;
}

/* Contract in gdal_api.h (free_layer). */
void evm__free_layer(evm_vlayer *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->nfeat; i++) {
        evm_vfeat *f = &l->feat[i];
        free(f->part);
        free(f->hole);
        free(f->lon);
        free(f->lat);
        free(f->name);
        free(f->label);
    }
    free(l->feat);
    free(l);
}
