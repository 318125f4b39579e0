/* Writing a drawn map: PNG by our own encoder, SVG and PDF through cairo's
 * vector surfaces, always into a temporary file renamed into place. */
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <zlib.h>

#include "core/core.h"
#include "render/render_int.h"

/* PNG encoding. cairo_surface_write_to_png spends most of a render in
 * zlib at its default level, and libpng can neither use a faster deflate
 * nor compress on two threads. The PNG container is a few fixed chunks
 * (RFC 2083), so we write it here, deflating at level 1. Rows are not
 * filtered: a map is flat colour and the same antialiased edges row after
 * row, which deflate finds as they are. On the Kazakhstan map no filter
 * gives 307 KB in 13 ms (libdeflate), SUB 372 KB in 19 ms, Paeth and
 * the per-row choice libpng makes 387-391 KB in 20 ms. Shaded relief is
 * the opposite: smooth, never the same twice; there the UP filter gives
 * 1.30 MB against 1.79 MB unfiltered, in 26 ms against 40. */
static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int chunk(FILE *f, const char *type, const unsigned char *data,
                 size_t len)
{
    unsigned char head[8], crc[4];
    put32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    uint32_t c = libdeflate_crc32(0, head + 4, 4);
    if (len) /* with a NULL buffer libdeflate returns the initial value */
        c = libdeflate_crc32(c, data, len);
    put32(crc, c);
    return fwrite(head, 1, 8, f) == 8 &&
           (!len || fwrite(data, 1, len, f) == len) &&
           fwrite(crc, 1, 4, f) == 4 ? 0 : -1;
}

/* A band of rows, filtered and deflated on its own thread. Every band but
 * the last is a zlib raw stream ended by a sync flush (non-final blocks,
 * byte-aligned); the last is libdeflate's (final block). Concatenated
 * they are one deflate stream, as pigz writes it: libdeflate cannot end a
 * stream without a final block, zlib can. Where the bands split depends
 * on the image alone, so the bytes do not change with the machine. */
struct png_band {
    const unsigned char *px;
    int stride, w, y0, y1, last;
    int up;               /* PNG filter UP, else none */
    unsigned char *out;   /* head bytes free in front, 4 behind */
    size_t len;           /* deflated bytes after the head room */
    uint32_t adler;
    size_t rawlen;
    int failed;
};

#define PNG_HEAD 2 /* zlib header room in the first band's buffer */

static void *png_band_run(void *arg)
{
    struct png_band *b = arg;
    size_t rowlen = 1 + (size_t)b->w * 3;
    b->rawlen = rowlen * (size_t)(b->y1 - b->y0);
    unsigned char *raw = evm__pixels_alloc(b->rawlen);
    b->failed = 1;
    if (!raw)
        return NULL;
    for (int y = b->y0; y < b->y1; y++) {
        const uint32_t *src = (const uint32_t *)(b->px + (size_t)y * b->stride);
        /* UP takes the row above, the previous band's last for the first */
        const uint32_t *above =
            b->up && y > 0
                ? (const uint32_t *)(b->px + (size_t)(y - 1) * b->stride)
                : NULL;
        unsigned char *d = raw + (size_t)(y - b->y0) * rowlen;
        *d++ = above ? 2 : 0;
        for (int x = 0; x < b->w; x++) {
            /* drawn on an opaque background: no unpremultiplying */
            uint32_t p = src[x], q = above ? above[x] : 0;
            *d++ = (unsigned char)((p >> 16) - (q >> 16));
            *d++ = (unsigned char)((p >> 8) - (q >> 8));
            *d++ = (unsigned char)(p - q);
        }
    }
    b->adler = libdeflate_adler32(1, raw, b->rawlen);
    if (b->last) {
        struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
        size_t cap = z ? libdeflate_deflate_compress_bound(z, b->rawlen) : 0;
        if (z && (b->out = malloc(PNG_HEAD + cap + 4)))
            b->len = libdeflate_deflate_compress(z, raw, b->rawlen,
                                                 b->out + PNG_HEAD, cap);
        libdeflate_free_compressor(z);
        b->failed = !b->out || !b->len;
    } else {
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) ==
            Z_OK) {
            /* deflateBound is for Z_FINISH; a sync flush adds at most an
             * empty stored block */
            size_t cap = deflateBound(&zs, (uLong)b->rawlen) + 64;
            if ((b->out = malloc(PNG_HEAD + cap + 4))) {
                zs.next_in = raw;
                zs.avail_in = (uInt)b->rawlen;
                zs.next_out = b->out + PNG_HEAD;
                zs.avail_out = (uInt)cap;
                int rc = deflate(&zs, Z_SYNC_FLUSH);
                b->len = cap - zs.avail_out;
                b->failed = rc != Z_OK || zs.avail_in || !zs.avail_out;
            }
            deflateEnd(&zs);
        }
    }
    evm__pixels_free(raw, b->rawlen);
    return NULL;
}

evm_status evm__write_png(cairo_surface_t *s, FILE *f, int smooth,
                          evm_error *err)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    /* two bands: PNG encoding is a fifth of a cold map, and the two
     * halves deflate side by side */
    int nb = h >= 64 ? 2 : 1;
    struct png_band b[2];
    memset(b, 0, sizeof b);
    for (int i = 0; i < nb; i++) {
        b[i].px = cairo_image_surface_get_data(s);
        b[i].stride = cairo_image_surface_get_stride(s);
        b[i].w = w;
        /* zlib takes about 1.5 times libdeflate's time for the same rows:
         * it gets the smaller band so that both end together */
        b[i].y0 = i == 0 ? 0 : h * 2 / 5;
        b[i].y1 = i == nb - 1 ? h : h * 2 / 5;
        b[i].last = i == nb - 1;
        b[i].up = smooth;
    }
    pthread_t th;
    int threaded = nb > 1 && pthread_create(&th, NULL, png_band_run,
                                            &b[nb - 1]) == 0;
    for (int i = 0; i < nb - threaded; i++)
        png_band_run(&b[i]);
    if (threaded)
        pthread_join(th, NULL);
    evm_status st = EVM_OK;
    for (int i = 0; i < nb; i++)
        if (b[i].failed)
            st = evm_error_set(err, EVM_E_NOMEM, "PNG compression failed "
                               "(out of memory?)");
    if (st != EVM_OK)
        goto done;
    uint32_t adler = b[0].adler;
    for (int i = 1; i < nb; i++)
        adler = (uint32_t)adler32_combine(adler, b[i].adler,
                                          (z_off_t)b[i].rawlen);
    /* zlib header (deflate, 32K window, fastest) before the first band,
     * the Adler-32 of all rows after the last; each band is one IDAT */
    b[0].out[0] = 0x78;
    b[0].out[1] = 0x01;
    put32(b[nb - 1].out + PNG_HEAD + b[nb - 1].len, adler);
    b[nb - 1].len += 4;
    static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    unsigned char ihdr[13], phys[9];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* truecolour */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    put32(phys, 3780); /* 96 dpi in pixels per metre */
    put32(phys + 4, 3780);
    phys[8] = 1;
    int bad = fwrite(sig, 1, 8, f) != 8 || chunk(f, "IHDR", ihdr, 13) ||
              chunk(f, "pHYs", phys, 9);
    for (int i = 0; i < nb && !bad; i++)
        bad = i == 0 ? chunk(f, "IDAT", b[0].out, PNG_HEAD + b[0].len)
                     : chunk(f, "IDAT", b[i].out + PNG_HEAD, b[i].len);
    if (bad || chunk(f, "IEND", NULL, 0))
        st = evm_error_set(err, EVM_E_IO, "PNG write failed");
done:
    for (int i = 0; i < nb; i++)
        free(b[i].out);
    return st;
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
