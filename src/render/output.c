/* Writing a drawn map: PNG through libpng, SVG and PDF through cairo's
 * vector surfaces, always into a temporary file renamed into place. */
#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "core/core.h"
#include "render/render_int.h"

/* cairo_surface_write_to_png spends most of its time in zlib at its
 * default level. A map is mostly flat colour: the SUB filter turns runs
 * into zeros and zlib's run-length strategy at level 1 encodes them about
 * three times faster than cairo's writer, for a file about a quarter
 * larger, so we encode ourselves. */
static void png_write_fn(png_structp png, png_bytep data, png_size_t len)
{
    FILE *f = png_get_io_ptr(png);
    if (fwrite(data, 1, len, f) != len)
        png_error(png, "write failed");
}

static void png_flush_fn(png_structp png)
{
    fflush((FILE *)png_get_io_ptr(png));
}

static void png_error_fn(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_warn_fn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

evm_status evm__write_png(cairo_surface_t *s, FILE *f, evm_error *err)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *row = malloc((size_t)w * 3);
    if (!row)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_error_fn,
                                  png_warn_fn);
    if (!png || !(info = png_create_info_struct(png))) {
        png_destroy_write_struct(&png, NULL);
        free(row);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return evm_error_set(err, EVM_E_IO, "PNG write failed");
    }
    png_set_write_fn(png, f, png_write_fn, png_flush_fn);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    png_set_filter(png, 0, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(png, info, 3780, 3780, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(data + (size_t)y * stride);
        unsigned char *d = row;
        for (int x = 0; x < w; x++) {
            /* the map is drawn on an opaque background: no unpremultiply */
            uint32_t p = src[x];
            *d++ = (unsigned char)(p >> 16);
            *d++ = (unsigned char)(p >> 8);
            *d++ = (unsigned char)p;
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return EVM_OK;
}

static cairo_status_t stream_write(void *closure, const unsigned char *data,
                                   unsigned int len)
{
    FILE *f = closure;
    return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS
                                          : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t buf_write(void *closure, const unsigned char *data,
                                unsigned int len)
{
    return evm__buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
                                                 : CAIRO_STATUS_NO_MEMORY;
}

/* cairo names SVG groups after a process-wide surface counter, so a
 * second map drawn in one process would differ in its ids alone. The
 * ids are renumbered by first appearance, which keeps every reference
 * intact and makes the bytes depend on the map only. */
evm_status evm__svg_write_normalized(const evm_buf *b, FILE *f,
                                     evm_error *err)
{
    enum { MAXID = 4096 };
    static const char key[] = "surface";
    long *seen = malloc(sizeof *seen * MAXID);
    int nseen = 0;
    if (!seen)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *q = memmem(p, (size_t)(end - p), key, sizeof key - 1);
        if (!q) {
            fwrite(p, 1, (size_t)(end - p), f);
            break;
        }
        const char *num = q + sizeof key - 1;
        const char *ne = num;
        while (ne < end && *ne >= '0' && *ne <= '9')
            ne++;
        fwrite(p, 1, (size_t)(num - p), f);
        if (ne == num) {
            p = num;
            continue;
        }
        long id = strtol(num, NULL, 10);
        int k = 0;
        while (k < nseen && seen[k] != id)
            k++;
        if (k == nseen && nseen < MAXID)
            seen[nseen++] = id;
        fprintf(f, "%d", k + 1);
        p = ne;
    }
    free(seen);
    return ferror(f) ? evm_error_set(err, EVM_E_IO, "SVG write failed")
                     : EVM_OK;
}

cairo_surface_t *evm__vector_surface(evm_format fmt, FILE *f, evm_buf *svg,
                                     double w, double h)
{
    cairo_surface_t *s;
    if (fmt == EVM_FMT_SVG) {
        s = cairo_svg_surface_create_for_stream(buf_write, svg, w, h);
        cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
        return s;
    }
    s = cairo_pdf_surface_create_for_stream(stream_write, f, w, h);
    /* a fixed creation date keeps the bytes the same for the same spec */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                   "evmap " EVM_VERSION);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2000-01-01T00:00:00Z");
    return s;
}

evm_format evm_format_from_name(const char *name)
{
    static const struct { const char *n; evm_format f; } t[] = {
        {"png", EVM_FMT_PNG}, {"svg", EVM_FMT_SVG}, {"pdf", EVM_FMT_PDF},
        {"geojson", EVM_FMT_GEOJSON}, {"json", EVM_FMT_GEOJSON},
        {"gpkg", EVM_FMT_GPKG}, {"kml", EVM_FMT_KML}, {"fgb", EVM_FMT_FGB},
        {"shp", EVM_FMT_SHP}, {"csv", EVM_FMT_CSV},
    };
    if (!name)
        return EVM_FMT_AUTO;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcasecmp(name, t[i].n) == 0)
            return t[i].f;
    return EVM_FMT_AUTO;
}

evm_format evm_format_from_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!dot || (slash && dot < slash))
        return EVM_FMT_AUTO;
    return evm_format_from_name(dot + 1);
}
