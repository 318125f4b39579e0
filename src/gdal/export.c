/* Feature export through OGR: GeoPackage, KML, FlatGeobuf, Shapefile and
 * CSV, with the fields and geometries the library hands over (the same as
 * its GeoJSON). Everything is written into a temporary directory beside
 * the target, checked (every file fsync'ed, the dataset re-opened and its
 * features counted: drivers such as KML do not report a full disk) and
 * renamed into place at the end, so a failure never leaves a half-written
 * output. Formats of one file per layer (SHP, FGB, CSV) commit all their
 * files or none: the old files are moved aside first and put back when
 * any rename fails. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <ogr_api.h>

#include "core/core.h"
#include "gdal/gdal_int.h"

/* Features per transaction (GeoPackage: one commit per row is slow). */
#define TX_ROWS 20000

struct evm_ogr_writer {
    evm_format fmt;
    char *path;       /* the target */
    char *tmpdir;     /* .<base>.tmp-PID-BOOT-XXXXXX beside it */
    char *dsname;     /* the dataset inside tmpdir */
    int multi;        /* one file per layer */
    GDALDatasetH ds;
    int nlayer;
    OGRLayerH *lyr;   /* created on first use: KML wants its layers
                       * written one after the other */
    char **lname;
    int *nfield;
    evm_vgeom *lgeom;
    evm_ogr_field **lfield;
    int **lidx;       /* each field's index in the OGR layer (KML puts
                       * Name and Description first) */
    long *nfeat;      /* features written to each layer */
    int tx;           /* a transaction is open */
    long tx_rows;
};

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static char *cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

static void writer_free(evm_ogr_writer *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->nlayer; i++) {
        free(w->lname[i]);
        if (w->lfield && w->lfield[i]) {
            for (int k = 0; k < w->nfield[i]; k++)
                free((char *)w->lfield[i][k].name);
            free(w->lfield[i]);
        }
        if (w->lidx)
            free(w->lidx[i]);
    }
    free(w->lidx);
    free(w->nfeat);
    free(w->lname);
    free(w->lgeom);
    free(w->lfield);
    free(w->nfield);
    free(w->lyr);
    free(w->path);
    free(w->tmpdir);
    free(w->dsname);
    free(w);
}

static const char *driver_of(evm_format f, const char **ext)
{
    switch (f) {
    case EVM_FMT_GPKG: *ext = ".gpkg"; return "GPKG";
    case EVM_FMT_KML: *ext = ".kml"; return "KML";
    case EVM_FMT_FGB: *ext = ".fgb"; return "FlatGeobuf";
    case EVM_FMT_SHP: *ext = ".shp"; return "ESRI Shapefile";
    case EVM_FMT_CSV: *ext = ".csv"; return "CSV";
    default: *ext = ""; return NULL;
    }
}

static OGRFieldType ogr_type(evm_ftype t, evm_format fmt)
{
    /* text formats keep ISO 8601 dates as written (GDAL would write
     * 2022/01/06); shapefiles have no date-time type */
    int text = fmt == EVM_FMT_CSV || fmt == EVM_FMT_KML;
    switch (t) {
    case EVM_FT_INT: return OFTInteger64;
    case EVM_FT_REAL: return OFTReal;
    case EVM_FT_DATE: return text ? OFTString : OFTDate;
    case EVM_FT_DATETIME:
        return text || fmt == EVM_FMT_SHP ? OFTString : OFTDateTime;
    default: return OFTString;
    }
}

/* Creates layer i of w with its fields. */
static evm_status create_layer(evm_ogr_writer *w, int i, evm_cpl *cap,
                               evm_error *err)
{
    OGRwkbGeometryType gt = w->lgeom[i] == EVM_VGEOM_POINT ? wkbPoint
                            : w->lgeom[i] == EVM_VGEOM_LINE
                                ? wkbMultiLineString
                                : wkbMultiPolygon;
    char **lco = NULL;
    if (w->fmt == EVM_FMT_CSV)
        lco = CSLSetNameValue(lco, "GEOMETRY",
                              w->lgeom[i] == EVM_VGEOM_POINT ? "AS_XY"
                                                             : "AS_WKT");
    if (w->fmt == EVM_FMT_SHP)
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    OGRSpatialReferenceH srs = evm__srs_wgs84();
    w->lyr[i] = GDALDatasetCreateLayer(w->ds, w->lname[i], srs, gt, lco);
    CSLDestroy(lco);
    if (srs)
        OSRDestroySpatialReference(srs);
    if (!w->lyr[i])
        return evm_error_set(err, EVM_E_LIB, "%s: cannot create layer %s: %s",
                             w->path, w->lname[i],
                             evm__cpl_msg(cap, "unknown failure"));
    for (int k = 0; k < w->nfield[i]; k++) {
        const evm_ogr_field *f = &w->lfield[i][k];
        OGRFieldDefnH fd = OGR_Fld_Create(f->name, ogr_type(f->type, w->fmt));
        int bad = !fd || OGR_L_CreateField(w->lyr[i], fd, TRUE) !=
                             OGRERR_NONE;
        if (fd)
            OGR_Fld_Destroy(fd);
        /* a new field goes last (the name may have been shortened, as
         * shapefiles do) */
        w->lidx[i][k] = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(w->lyr[i])) -
                        1;
        if (bad)
            return evm_error_set(err, EVM_E_LIB, "%s: cannot create field "
                                 "%s: %s", w->path, f->name,
                                 evm__cpl_msg(cap, "unknown failure"));
    }
    return EVM_OK;
}

/* Contract in gdal_api.h (writer_open). */
evm_ogr_writer *evm__writer_open(const char *path, evm_format fmt,
                                 int nlayer, const evm_ogr_layer *layers,
                                 evm_error *err)
{
    evm_cpl cap;
    const char *ext;
    const char *drv_name = driver_of(fmt, &ext);
    if (!drv_name) {
        evm_error_set(err, EVM_E_USAGE, "%s: not a GDAL output format",
                      path);
        return NULL;
    }
    evm_ogr_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = dupstr(path)) ||
        !(w->lyr = calloc((size_t)nlayer, sizeof *w->lyr)) ||
        !(w->lname = calloc((size_t)nlayer, sizeof *w->lname)) ||
        !(w->nfield = calloc((size_t)nlayer, sizeof *w->nfield)) ||
        !(w->lgeom = calloc((size_t)nlayer, sizeof *w->lgeom)) ||
        !(w->lfield = calloc((size_t)nlayer, sizeof *w->lfield)) ||
        !(w->lidx = calloc((size_t)nlayer, sizeof *w->lidx)) ||
        !(w->nfeat = calloc((size_t)nlayer, sizeof *w->nfeat))) {
        writer_free(w);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    w->fmt = fmt;
    w->multi = fmt == EVM_FMT_SHP || fmt == EVM_FMT_FGB || fmt == EVM_FMT_CSV;
    w->nlayer = nlayer;
    for (int i = 0; i < nlayer; i++) {
        int bad = !(w->lname[i] = dupstr(layers[i].name)) ||
                  !(w->lfield[i] = calloc((size_t)layers[i].nfield + 1,
                                          sizeof *w->lfield[i])) ||
                  !(w->lidx[i] = calloc((size_t)layers[i].nfield + 1,
                                        sizeof *w->lidx[i]));
        for (int k = 0; !bad && k < layers[i].nfield; k++) {
            w->lfield[i][k].type = layers[i].field[k].type;
            if (!(w->lfield[i][k].name = dupstr(layers[i].field[k].name)))
                bad = 1;
            else
                w->nfield[i] = k + 1;
        }
        if (bad) {
            writer_free(w);
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return NULL;
        }
        w->lgeom[i] = layers[i].geom;
    }
    /* the temporary directory beside the target */
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!(w->tmpdir = evm__tmp_template(path))) {
        writer_free(w);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    if (!mkdtemp(w->tmpdir)) {
        evm_error_set(err, EVM_E_IO, "%s: cannot write: %s (check that the "
                      "directory exists and is writable)", path,
                      strerror(errno));
        free(w->tmpdir);
        w->tmpdir = NULL;
        writer_free(w);
        return NULL;
    }
    w->dsname = w->multi ? cat3(w->tmpdir, "/", "out")
                         : cat3(w->tmpdir, "/", base);
    if (!w->dsname) {
        evm__remove_tree(w->tmpdir, 2);
        writer_free(w);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    evm__cpl_begin(&cap);
    evm_status st = EVM_OK;
    GDALDriverH drv = GDALGetDriverByName(drv_name);
    if (!drv) {
        st = evm_error_set(err, EVM_E_LIB, "%s: this GDAL has no %s driver",
                           path, drv_name);
        goto out;
    }
    if (!(w->ds = GDALCreate(drv, w->dsname, 0, 0, 0, GDT_Unknown, NULL))) {
        st = evm_error_set(err, EVM_E_LIB, "%s: GDAL cannot create it: %s",
                           path, evm__cpl_msg(&cap, "unknown failure"));
        goto out;
    }
    if (st == EVM_OK && GDALDatasetTestCapability(w->ds, ODsCTransactions) &&
        GDALDatasetStartTransaction(w->ds, FALSE) == OGRERR_NONE)
        w->tx = 1;
out:
    evm__cpl_end();
    if (st != EVM_OK) {
        if (w->ds)
            GDALClose(w->ds);
        w->ds = NULL;
        evm__remove_tree(w->tmpdir, 2);
        writer_free(w);
        return NULL;
    }
    return w;
}

/* A new OGR geometry for g, promoted to Multi* for lines and polygons. */
static OGRGeometryH make_geom(const evm_vfeat *g)
{
    if (!g || g->npart < 1)
        return NULL;
    if (g->type == EVM_VGEOM_POINT) {
        OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
        if (p)
            OGR_G_SetPoint_2D(p, 0, g->lon[0], g->lat[0]);
        return p;
    }
    int poly = g->type == EVM_VGEOM_POLYGON;
    OGRGeometryH multi = OGR_G_CreateGeometry(poly ? wkbMultiPolygon
                                                   : wkbMultiLineString);
    OGRGeometryH cur = NULL;
    if (!multi)
        return NULL;
    for (int k = 0; k < g->npart; k++) {
        int a = g->part[k], b = g->part[k + 1];
        OGRGeometryH part = OGR_G_CreateGeometry(poly ? wkbLinearRing
                                                      : wkbLineString);
        if (!part)
            goto fail;
        OGR_G_SetPointCount(part, b - a);
        for (int i = a; i < b; i++)
            OGR_G_SetPoint_2D(part, i - a, g->lon[i], g->lat[i]);
        if (!poly) {
            OGR_G_AddGeometryDirectly(multi, part);
            continue;
        }
        if (!(g->hole && g->hole[k]) || !cur) {
            if (cur)
                OGR_G_AddGeometryDirectly(multi, cur);
            if (!(cur = OGR_G_CreateGeometry(wkbPolygon))) {
                OGR_G_DestroyGeometry(part);
                goto fail;
            }
        }
        OGR_G_AddGeometryDirectly(cur, part);
    }
    if (cur)
        OGR_G_AddGeometryDirectly(multi, cur);
    return multi;
fail:
    OGR_G_DestroyGeometry(multi);
    return NULL;
}

/* Contract in gdal_api.h (writer_write). */
evm_status evm__writer_write(evm_ogr_writer *w, int layer,
                             const evm_vfeat *g, const char *const *values,
                             evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    if (!w || layer < 0 || layer >= w->nlayer)
        return evm_error_set(err, EVM_E_USAGE, "no such output layer");
    evm__cpl_begin(&cap);
    if (!w->lyr[layer] && (st = create_layer(w, layer, &cap, err)) != EVM_OK) {
        evm__cpl_end();
        return st;
    }
    OGRLayerH l = w->lyr[layer];
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGRGeometryH geom = make_geom(g);
    if (!f || (g && g->npart > 0 && !geom)) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < w->nfield[layer]; i++)
        if (values[i])
            OGR_F_SetFieldString(f, w->lidx[layer][i], values[i]);
    if (geom) {
        OGR_F_SetGeometryDirectly(f, geom);
        geom = NULL;
    }
    if (OGR_L_CreateFeature(l, f) != OGRERR_NONE) {
        st = evm_error_set(err, EVM_E_LIB, "%s: cannot write a feature: %s",
                           w->path, evm__cpl_msg(&cap, "unknown failure"));
        goto out;
    }
    w->nfeat[layer]++;
    if (w->tx && ++w->tx_rows >= TX_ROWS) {
        w->tx_rows = 0;
        if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE ||
            GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE) {
            w->tx = 0;
            st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s",
                               w->path, evm__cpl_msg(&cap, "commit failed"));
        }
    }
out:
    if (geom)
        OGR_G_DestroyGeometry(geom);
    if (f)
        OGR_F_Destroy(f);
    evm__cpl_end();
    return st;
}

/* The files a multi-file format may hold for one layer (the old ones
 * of a layer are replaced as a set). */
static const char *const *layer_exts(evm_format f)
{
    static const char *const shp[] = {".shp", ".shx", ".dbf", ".prj", ".cpg",
                                      ".qix", ".sbn", ".sbx", NULL};
    static const char *const fgb[] = {".fgb", NULL};
    static const char *const csv[] = {".csv", ".csvt", ".prj", NULL};
    return f == EVM_FMT_SHP ? shp : f == EVM_FMT_FGB ? fgb : csv;
}

/* One file of the commit: from (NULL: an old file that goes) to its
 * place to; bak holds the old file while the commit runs. */
struct move {
    char *from, *to, *bak;
    int state; /* 0 nothing done, 1 old moved aside, 2 new in place */
};

struct moves {
    struct move *v;
    int n, cap;
};

static void moves_free(struct moves *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->v[i].from);
        free(m->v[i].to);
        free(m->v[i].bak);
    }
    free(m->v);
}

/* Adds a move (takes from and to); -1 out of memory. */
static int moves_add(struct moves *m, char *from, char *to)
{
    if (!to || (m->n == m->cap &&
                !(m->v = evm__reallocarray(m->v, (size_t)(m->cap = m->cap * 2 + 8),
                                           sizeof *m->v)))) {
        free(from);
        free(to);
        m->n = m->cap = 0; /* the list is lost: the caller fails */
        return -1;
    }
    m->v[m->n++] = (struct move){from, to, NULL, 0};
    return 0;
}

/* The target of layer k's file with suffix (".shp"): <stem>.shp for the
 * first layer, <stem>_<layer>.shp for the others. */
static char *layer_target_named(const evm_ogr_writer *w, const char *layer,
                                int first, const char *suffix)
{
    const char *ext;
    driver_of(w->fmt, &ext);
    size_t pl = strlen(w->path), el = strlen(ext);
    size_t stem = pl >= el && !strcasecmp(w->path + pl - el, ext) ? pl - el
                                                                   : pl;
    size_t n = stem + strlen(layer) + strlen(suffix) + 4;
    char *to = malloc(n);
    if (!to)
        return NULL;
    if (first)
        snprintf(to, n, "%.*s%s", (int)stem, w->path, suffix);
    else
        snprintf(to, n, "%.*s_%s%s", (int)stem, w->path, layer, suffix);
    return to;
}

static char *layer_target(const evm_ogr_writer *w, int k, const char *suffix)
{
    return layer_target_named(w, w->lname[k], k == 0, suffix);
}

/* Lists the commit of a multi-file dataset: every new file of every
 * layer, and every old file of the output's layers that no new file
 * replaces (a layer this run did not write, or a .qix index). */
static evm_status list_moves(evm_ogr_writer *w, struct moves *m,
                             evm_error *err)
{
    DIR *d = opendir(w->dsname);
    if (!d)
        return evm_error_set(err, EVM_E_IO, "%s: write failed: %s", w->path,
                             strerror(errno));
    struct dirent *e;
    int bad = 0;
    while (!bad && (e = readdir(d))) {
        for (int k = 0; k < w->nlayer; k++) {
            size_t ln = strlen(w->lname[k]);
            if (strncmp(e->d_name, w->lname[k], ln) != 0 ||
                e->d_name[ln] != '.')
                continue;
            bad = moves_add(m, cat3(w->dsname, "/", e->d_name),
                            layer_target(w, k, e->d_name + ln)) < 0;
            break;
        }
    }
    closedir(d);
    /* the old files of this output's layers, and of the side layers
     * (<stem>_movements, <stem>_areas) a map without them leaves behind */
    static const char *const side[] = {"movements", "areas"};
    for (int k = 0; !bad && k < w->nlayer + 2; k++) {
        const char *name = k < w->nlayer ? w->lname[k] : side[k - w->nlayer];
        for (const char *const *x = layer_exts(w->fmt); !bad && *x; x++) {
            char *to = layer_target_named(w, name, k == 0, *x);
            struct stat st;
            int seen = 0;
            for (int i = 0; to && i < m->n && !seen; i++)
                seen = !strcmp(m->v[i].to, to);
            if (to && !seen && lstat(to, &st) == 0 && S_ISREG(st.st_mode))
                bad = moves_add(m, NULL, to) < 0;
            else
                free(to);
        }
    }
    if (bad)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    return EVM_OK;
}

/* Puts back what a failed commit changed. */
static void rollback(struct moves *m)
{
    for (int i = m->n - 1; i >= 0; i--) {
        struct move *v = &m->v[i];
        if (v->state == 2)
            unlink(v->to);
        if (v->state >= 1 && v->bak)
            rename(v->bak, v->to);
        v->state = 0;
    }
}

/* Moves the files of a multi-file dataset into place, all or none: the
 * old files first go aside into the temporary directory (removed with
 * it), then the new ones are renamed in; any failure puts the old ones
 * back. */
static evm_status commit_multi(evm_ogr_writer *w, evm_error *err)
{
    struct moves m = {0};
    evm_status st = list_moves(w, &m, err);
    struct stat sb;
    for (int i = 0; st == EVM_OK && i < m.n; i++)
        if (lstat(m.v[i].to, &sb) == 0 && !S_ISREG(sb.st_mode))
            st = evm_error_set(err, EVM_E_IO, "%s: cannot write: it exists "
                               "and is not a regular file (nothing was "
                               "written; the old %s is kept)", m.v[i].to,
                               w->path);
    for (int i = 0; st == EVM_OK && i < m.n; i++) {
        struct move *v = &m.v[i];
        char num[24];
        snprintf(num, sizeof num, "/old%d", i);
        if (lstat(v->to, &sb) != 0)
            continue;
        if (!(v->bak = cat3(w->tmpdir, num, "")))
            st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        else if (rename(v->to, v->bak) != 0)
            st = evm_error_set(err, EVM_E_IO, "%s: cannot replace it: %s "
                               "(the old %s is kept)", v->to,
                               strerror(errno), w->path);
        else
            v->state = 1;
    }
    for (int i = 0; st == EVM_OK && i < m.n; i++) {
        struct move *v = &m.v[i];
        if (!v->from)
            continue;
        if (rename(v->from, v->to) != 0)
            st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s (the "
                               "old %s is kept)", v->to, strerror(errno),
                               w->path);
        else
            v->state = 2;
    }
    if (st != EVM_OK)
        rollback(&m);
    moves_free(&m);
    return st;
}

/* fsyncs path and, for a directory, what it holds (depth levels). 0 or
 * an errno. */
static int sync_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno;
    int e = 0;
    if (S_ISDIR(st.st_mode) && depth > 0) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && !e && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char *p = cat3(path, "/", de->d_name);
            e = p ? sync_tree(p, depth - 1) : ENOMEM;
            free(p);
        }
        if (d)
            closedir(d);
        return e;
    }
    if (!S_ISREG(st.st_mode))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    return e;
}

/* Checks what the driver wrote before it goes into place: every file
 * reaches the disk (fsync), and the dataset opens again with each layer
 * holding the features written to it. GDAL drivers do not all report a
 * failed write (KML to a full disk closes without an error). */
static evm_status verify(evm_ogr_writer *w, evm_error *err)
{
    int e = sync_tree(w->tmpdir, 2);
    if (e)
        return evm_error_set(err, EVM_E_IO, "%s: write failed: %s (the old "
                             "file, if any, is kept)", w->path, strerror(e));
    const char *ext;
    driver_of(w->fmt, &ext);
    evm_status st = EVM_OK;
    GDALDatasetH ds = NULL;
    for (int k = 0; st == EVM_OK && k < w->nlayer; k++) {
        if (!w->lyr[k])
            continue;
        OGRLayerH l = NULL;
        if (w->multi || !ds) {
            if (ds)
                GDALClose(ds);
            /* each layer of a multi-file format is its own file */
            char *p = w->multi ? malloc(strlen(w->dsname) +
                                        strlen(w->lname[k]) + strlen(ext) + 2)
                               : evm__strdup(w->dsname);
            if (p && w->multi)
                sprintf(p, "%s/%s%s", w->dsname, w->lname[k], ext);
            ds = p ? GDALOpenEx(p, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                NULL, NULL)
                   : NULL;
            free(p);
        }
        if (ds)
            l = w->multi ? GDALDatasetGetLayer(ds, 0)
                         : GDALDatasetGetLayerByName(ds, w->lname[k]);
        GIntBig n = l ? OGR_L_GetFeatureCount(l, TRUE) : -1;
        if (n != w->nfeat[k]) {
            char got[64];
            snprintf(got, sizeof got, "holds %lld of its %ld features",
                     (long long)n, w->nfeat[k]);
            st = evm_error_set(err, EVM_E_IO, "%s: write failed: layer %s %s "
                               "when read back (is the disk full?); the old "
                               "file, if any, is kept", w->path, w->lname[k],
                               !ds ? "cannot be opened" : !l ? "is missing"
                                                             : got);
        }
    }
    if (ds)
        GDALClose(ds);
    return st;
}

/* Contract in gdal_api.h (writer_close). */
evm_status evm__writer_close(evm_ogr_writer *w, int commit, evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    if (!w)
        return EVM_OK;
    evm__cpl_begin(&cap);
    /* the first layer exists even when nothing was written to it */
    if (commit && w->ds && w->nlayer > 0 && !w->lyr[0])
        st = create_layer(w, 0, &cap, err);
    if (w->ds) {
        if (w->tx && GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE &&
            commit && st == EVM_OK)
            st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s",
                               w->path, evm__cpl_msg(&cap, "commit failed"));
        GDALClose(w->ds); /* GDAL 3.6 returns nothing: cap and verify() */
        w->ds = NULL;
        if (commit && st == EVM_OK && cap.failed)
            st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s",
                               w->path, cap.msg);
    }
    if (commit && st == EVM_OK)
        st = verify(w, err);
    evm__cpl_end();
    if (commit && st == EVM_OK) {
        if (!w->multi) {
            if (rename(w->dsname, w->path) != 0)
                st = evm_error_set(err, EVM_E_IO, "%s: write failed: %s",
                                   w->path, strerror(errno));
        } else {
            st = commit_multi(w, err);
        }
    }
    evm__remove_tree(w->tmpdir, 2);
    writer_free(w);
    return commit ? st : EVM_OK;
}
