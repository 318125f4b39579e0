/* Raster backgrounds: warp a georeferenced 8-bit image into a map frame
 * and hand it over as cairo's premultiplied ARGB32. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_utils.h>

#include "gdal/gdal_int.h"

#define MAX_SIDE 32768
#define MAX_PIXELS (256L * 1024 * 1024)

/* 1 if gt is a real geotransform, not GDAL's identity default */
static int georeferenced(GDALDatasetH ds)
{
    double gt[6];
    if (GDALGetGeoTransform(ds, gt) != CE_None)
        return 0;
    return !(gt[0] == 0 && gt[1] == 1 && gt[2] == 0 && gt[3] == 0 &&
             gt[4] == 0 && gt[5] == 1);
}

/* (v * a + 127) / 255 rounded, exact for 8-bit values */
static uint32_t premul(uint32_t v, uint32_t a)
{
    uint32_t t = v * a + 128;
    return (t + (t >> 8)) >> 8;
}

/* Off-globe pixels. Some inverse projections (Equal Earth beyond the
 * +-180 meridians, LCC in its cone's gap, ...) return a longitude for
 * points off the globe instead of failing. The warper then samples the
 * source there, wrapped, and its approximate transformer can even
 * interpolate a whole row between two such wrapped ends (a world map comes
 * out mirrored). A point is on the globe when it survives the round trip
 * frame CRS -> lon/lat -> frame CRS. The mask tests a grid of pixel
 * centres every GRID px first: when all pass, GDAL's warp is safe as it
 * is; otherwise the warp runs with CHECK_WITH_INVERT_PROJ and the mask
 * clears the off-globe pixels afterwards (pixel by pixel only in cells
 * whose corners disagree). */
#define GRID 8

struct globe_mask {
    OGRCoordinateTransformationH inv, fwd;
    int w, h, gw, gh, nbad;
    int *gok;                 /* gw x gh grid: 1 on the globe */
    double *x, *y, *ox, *oy;  /* scratch, nmax points */
    int *ok, *ok2;
    double gt[6], tol;
};

/* ok[i] = 1 when (x[i], y[i]) survives the round trip */
static void check_points(struct globe_mask *m, const double *x,
                         const double *y, int n, int *ok)
{
    memcpy(m->ox, x, (size_t)n * sizeof *x);
    memcpy(m->oy, y, (size_t)n * sizeof *y);
    memset(ok, 0, (size_t)n * sizeof *ok);
    memset(m->ok2, 0, (size_t)n * sizeof *ok);
    OCTTransformEx(m->inv, n, m->ox, m->oy, NULL, ok);
    OCTTransformEx(m->fwd, n, m->ox, m->oy, NULL, m->ok2);
    for (int i = 0; i < n; i++)
        ok[i] = ok[i] && m->ok2[i] && fabs(m->ox[i] - x[i]) <= m->tol &&
                fabs(m->oy[i] - y[i]) <= m->tol;
}

static void mask_free(struct globe_mask *m)
{
    if (m->inv)
        OCTDestroyCoordinateTransformation(m->inv);
    if (m->fwd)
        OCTDestroyCoordinateTransformation(m->fwd);
    free(m->gok);
    free(m->x);
    free(m->y);
    free(m->ox);
    free(m->oy);
    free(m->ok);
    free(m->ok2);
    memset(m, 0, sizeof *m);
}

/* Tests the grid; m->nbad counts nodes off the globe. Returns 0, or -1
 * (m freed) when the frame CRS has no way to lon/lat or memory ran out. */
static int mask_init(struct globe_mask *m, OGRSpatialReferenceH srs,
                     const double gt[6], int w, int h)
{
    memset(m, 0, sizeof *m);
    m->w = w;
    m->h = h;
    m->gw = (w + GRID - 1) / GRID + 1;
    m->gh = (h + GRID - 1) / GRID + 1;
    memcpy(m->gt, gt, sizeof m->gt);
    m->tol = 0.25 * fmin(fabs(gt[1]), fabs(gt[5]));
    size_t nmax = (size_t)(m->gw > GRID * GRID ? m->gw : GRID * GRID);
    OGRSpatialReferenceH ll = evm__srs_wgs84();
    if (ll) {
        m->inv = OCTNewCoordinateTransformation(srs, ll);
        m->fwd = OCTNewCoordinateTransformation(ll, srs);
        OSRDestroySpatialReference(ll);
    }
    m->gok = malloc((size_t)m->gw * (size_t)m->gh * sizeof *m->gok);
    m->x = malloc(nmax * sizeof *m->x);
    m->y = malloc(nmax * sizeof *m->y);
    m->ox = malloc(nmax * sizeof *m->ox);
    m->oy = malloc(nmax * sizeof *m->oy);
    m->ok = malloc(nmax * sizeof *m->ok);
    m->ok2 = malloc(nmax * sizeof *m->ok2);
    if (!m->inv || !m->fwd || !m->gok || !m->x || !m->y || !m->ox ||
        !m->oy || !m->ok || !m->ok2) {
        mask_free(m);
        return -1;
    }
    for (int j = 0; j < m->gh; j++) {
        double py = fmin(j * GRID, h - 1) + 0.5;
        for (int i = 0; i < m->gw; i++) {
            double px = fmin(i * GRID, w - 1) + 0.5;
            m->x[i] = gt[0] + px * gt[1];
            m->y[i] = gt[3] + py * gt[5];
        }
        int *row = m->gok + (size_t)j * m->gw;
        check_points(m, m->x, m->y, m->gw, row);
        for (int i = 0; i < m->gw; i++)
            m->nbad += !row[i];
    }
    return 0;
}

/* Clears the off-globe pixels of argb. */
static void mask_apply(struct globe_mask *m, unsigned char *argb,
                       int stride)
{
    const double *gt = m->gt;
    for (int cj = 0; cj < m->gh - 1; cj++) {
        int y0 = cj * GRID, y1 = y0 + GRID < m->h ? y0 + GRID : m->h;
        for (int ci = 0; ci < m->gw - 1; ci++) {
            int x0 = ci * GRID, x1 = x0 + GRID < m->w ? x0 + GRID : m->w;
            const int *g0 = m->gok + (size_t)cj * m->gw + ci,
                      *g1 = g0 + m->gw;
            int good = g0[0] + g0[1] + g1[0] + g1[1];
            if (good == 4 || x0 >= x1 || y0 >= y1)
                continue;
            if (good == 0) {
                for (int y = y0; y < y1; y++)
                    memset(argb + (size_t)y * stride + (size_t)x0 * 4, 0,
                           (size_t)(x1 - x0) * 4);
                continue;
            }
            /* the globe's edge runs through this cell */
            int n = 0;
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) {
                    m->x[n] = gt[0] + (x + 0.5) * gt[1];
                    m->y[n++] = gt[3] + (y + 0.5) * gt[5];
                }
            check_points(m, m->x, m->y, n, m->ok);
            n = 0;
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++, n++)
                    if (!m->ok[n])
                        memset(argb + (size_t)y * stride + (size_t)x * 4, 0,
                               4);
        }
    }
}

/* Opens the raster at path for warping: 8-bit, 1 to 4 bands,
 * georeferenced; a paletted one is expanded to RGBA through an in-memory
 * VRT (*exp, else NULL). *nb is the band count of what is warped. */
static evm_status open_source(const char *path, evm_cpl *cap,
                              GDALDatasetH *srcp, GDALDatasetH *expp,
                              int *nbp, evm_error *err)
{
    GDALDatasetH src, exp;
    if (!(src = evm__open(path, GDAL_OF_RASTER, "a raster", cap, err)))
        return err ? err->code : EVM_E_INPUT;
    *srcp = src;
    int nb = GDALGetRasterCount(src);
    for (int i = 1; i <= nb; i++)
        if (GDALGetRasterDataType(GDALGetRasterBand(src, i)) != GDT_Byte)
            return evm_error_set(err, EVM_E_INPUT,
                                 "%s: only 8-bit rasters can be drawn (band "
                                 "%d is %s); convert with gdal_translate -ot"
                                 " Byte -scale", path, i,
                                 GDALGetDataTypeName(GDALGetRasterDataType(
                                     GDALGetRasterBand(src, i))));
    if (nb < 1 || nb > 4)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: %d bands; expected grey, grey+alpha, RGB "
                             "or RGBA", path, nb);
    int has_srs = GDALGetSpatialRef(src) != NULL;
    if (!georeferenced(src) && !has_srs)
        return evm_error_set(err, EVM_E_INPUT,
                             "%s: not georeferenced (no world file such as "
                             ".pgw, and no CRS)", path);
    if (nb == 1 && GDALGetRasterColorTable(GDALGetRasterBand(src, 1))) {
        char **targ = NULL;
        targ = CSLAddString(targ, "-of");
        targ = CSLAddString(targ, "VRT");
        targ = CSLAddString(targ, "-expand");
        targ = CSLAddString(targ, "rgba");
        GDALTranslateOptions *to = GDALTranslateOptionsNew(targ, NULL);
        CSLDestroy(targ);
        exp = NULL;
        if (to)
            exp = GDALTranslate("", src, to, NULL);
        GDALTranslateOptionsFree(to);
        if (!exp)
            return evm_error_set(err, EVM_E_LIB, "%s: cannot expand its "
                                 "palette: %s", path,
                                 evm__cpl_msg(cap, "GDAL failure"));
        *expp = exp;
        nb = 4;
    }
    *nbp = nb;
    return EVM_OK;
}

/* gdalwarp's arguments for warping in (NULL when out of memory). */
static char **warp_args(GDALDatasetH in)
{
    char **argv = NULL;
    argv = CSLAddString(argv, "-r");
    argv = CSLAddString(argv, "bilinear");
    argv = CSLAddString(argv, "-dstalpha");
    if (!GDALGetSpatialRef(in)) {
        /* a world file alone: plate carree lon/lat */
        argv = CSLAddString(argv, "-s_srs");
        argv = CSLAddString(argv, "+proj=longlat +datum=WGS84 +no_defs");
    }
    /* frames wider than the source's CRS domain (a world map's corners,
     * the far side of an azimuthal projection): sample a grid instead of
     * the edges to find the source window */
    argv = CSLAddString(argv, "-wo");
    argv = CSLAddString(argv, "SAMPLE_GRID=YES");
    argv = CSLAddString(argv, "-wo");
    argv = CSLAddString(argv, "SOURCE_EXTRA=2");
    argv = CSLAddString(argv, "-q");
    return argv;
}

/* Copies the warped bands (grey or RGB, then alpha: nout of them, rows of
 * width * nout bytes) into premultiplied ARGB32. */
static void to_argb(const unsigned char *buf, int nout, int width,
                    int height, unsigned char *argb, int stride)
{
    size_t row = (size_t)width * (size_t)nout;
    for (int y = 0; y < height; y++) {
        const unsigned char *s = buf + (size_t)y * row;
        uint32_t *d = (uint32_t *)(void *)(argb + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++, s += nout) {
            uint32_t a = s[nout - 1], r, g, b;
            if (nout == 2) {
                r = g = b = s[0];
            } else {
                r = s[0];
                g = s[1];
                b = s[2];
            }
            d[x] = a == 0 ? 0
                          : a << 24 | premul(r, a) << 16 |
                                premul(g, a) << 8 | premul(b, a);
        }
    }
}

/* Contract in gdal_api.h (warp_raster). */
evm_status evm__warp_raster(const char *path, const char *proj,
                            const double extent[4], int width, int height,
                            unsigned char *argb, int stride, evm_error *err)
{
    evm_cpl cap;
    evm_status st = EVM_OK;
    GDALDatasetH src = NULL, exp = NULL, dst = NULL;
    OGRSpatialReferenceH srs = NULL;
    GDALWarpAppOptions *wo = NULL;
    unsigned char *buf = NULL;
    char **argv = NULL;
    struct globe_mask mask = {0};

    if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE ||
        (long)width * height > MAX_PIXELS || !argb ||
        stride < 4 * width || stride % 4)
        return evm_error_set(err, EVM_E_INPUT,
                             "raster frame %dx%d (stride %d) out of range",
                             width, height, stride);
    if (!extent || !isfinite(extent[0]) || !isfinite(extent[1]) ||
        !isfinite(extent[2]) || !isfinite(extent[3]) ||
        !(extent[0] < extent[2]) || !(extent[1] < extent[3]))
        return evm_error_set(err, EVM_E_INPUT, "raster frame extent is empty");
    if (!proj || !*proj)
        return evm_error_set(err, EVM_E_INPUT, "raster frame has no CRS");

    evm__cpl_begin(&cap);
    int nb = 0;
    if ((st = open_source(path, &cap, &src, &exp, &nb, err)) != EVM_OK)
        goto done;
    GDALDatasetH in = exp ? exp : src;
    int nout = nb <= 2 ? 2 : 4; /* colour bands + alpha */

    GDALDriverH mem = GDALGetDriverByName("MEM");
    if (!mem || !(dst = GDALCreate(mem, "", width, height, nout, GDT_Byte,
                                   NULL))) {
        st = evm_error_set(err, EVM_E_LIB, "cannot create a %dx%d raster: "
                           "%s", width, height,
                           evm__cpl_msg(&cap, "out of memory"));
        goto done;
    }
    double gt[6] = {extent[0], (extent[2] - extent[0]) / width, 0,
                    extent[3], 0, -(extent[3] - extent[1]) / height};
    GDALSetGeoTransform(dst, gt);
    srs = OSRNewSpatialReference(NULL);
    if (!srs || OSRSetFromUserInput(srs, proj) != OGRERR_NONE) {
        st = evm_error_set(err, EVM_E_INPUT, "projection \"%s\": %s", proj,
                           evm__cpl_msg(&cap, "not a CRS GDAL knows"));
        goto done;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    GDALSetSpatialRef(dst, srs);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(dst, nout),
                                     GCI_AlphaBand);

    argv = warp_args(in);
    if (!argv || !(wo = GDALWarpAppOptionsNew(argv, NULL))) {
        st = evm_error_set(err, EVM_E_LIB, "GDAL warp options: %s",
                           evm__cpl_msg(&cap, "out of memory"));
        goto done;
    }
    int masked = !OSRIsGeographic(srs) &&
                 mask_init(&mask, srs, gt, width, height) == 0;
    char *old_check = NULL;
    if (masked && mask.nbad) {
        /* thread-local: other threads' GDAL work is unaffected */
        const char *oc = CPLGetThreadLocalConfigOption(
            "CHECK_WITH_INVERT_PROJ", NULL);
        old_check = oc ? CPLStrdup(oc) : NULL;
        CPLSetThreadLocalConfigOption("CHECK_WITH_INVERT_PROJ", "YES");
    }
    int usage = 0;
    GDALDatasetH ok = GDALWarp(NULL, dst, 1, &in, wo, &usage);
    if (masked && mask.nbad) {
        CPLSetThreadLocalConfigOption("CHECK_WITH_INVERT_PROJ", old_check);
        CPLFree(old_check);
    }
    if (!ok) {
        st = evm_error_set(err, EVM_E_LIB, "%s: cannot warp into \"%s\": %s",
                           path, proj, evm__cpl_msg(&cap, "GDAL failure"));
        goto done;
    }
    size_t row = (size_t)width * (size_t)nout;
    if (!(buf = malloc(row * (size_t)height))) {
        st = evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto done;
    }
    if (GDALDatasetRasterIO(dst, GF_Read, 0, 0, width, height, buf, width,
                            height, GDT_Byte, nout, NULL, nout,
                            (GSpacing)row, 1) != CE_None) {
        st = evm_error_set(err, EVM_E_LIB, "reading the warped raster: %s",
                           evm__cpl_msg(&cap, "GDAL failure"));
        goto done;
    }
    to_argb(buf, nout, width, height, argb, stride);
    if (masked && mask.nbad)
        mask_apply(&mask, argb, stride);
done:
    mask_free(&mask);
    free(buf);
    CSLDestroy(argv);
    if (wo)
        GDALWarpAppOptionsFree(wo);
    if (srs)
        OSRDestroySpatialReference(srs);
    if (dst)
        GDALClose(dst);
    if (exp)
        GDALClose(exp);
    if (src)
        GDALClose(src);
    evm__cpl_end();
    return st;
}
