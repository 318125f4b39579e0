/* Canvas memory. A 1600 x 1000 canvas is 6.4 MB, and a PNG map needs
 * three such buffers (the basemap, the transparent layer of its content,
 * the filtered rows). From malloc each is a fresh mapping of 4 KB pages,
 * every page a fault that zeroes it: about 5,000 faults, a sixth of a cold
 * map's time (perf). The same memory asked for in 2 MB-aligned mappings
 * marked for transparent huge pages faults a few times instead. Where the
 * kernel gives no huge pages the mapping works as any other. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "render/render_int.h"

#define HUGE_PAGE ((size_t)2 << 20)

void *evm__pixels_alloc(size_t n)
{
    if (n < HUGE_PAGE / 2)
        return calloc(1, n ? n : 1);
    size_t len = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    unsigned char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    /* keep the 2 MB-aligned part; the kernel zeroes what it maps */
    uintptr_t a = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    unsigned char *p = (unsigned char *)a;
    if (p > m)
        munmap(m, (size_t)(p - m));
    if (p + len < m + len + HUGE_PAGE)
        munmap(p + len, (size_t)(m + len + HUGE_PAGE - (p + len)));
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE);
#endif
    return p;
}

void evm__pixels_free(void *p, size_t n)
{
    if (!p)
        return;
    if (n < HUGE_PAGE / 2) {
        free(p);
        return;
    }
    munmap(p, (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
}

struct owned {
    void *p;
    size_t n;
};

static void release(void *ud)
{
    struct owned *o = ud;
    evm__pixels_free(o->p, o->n);
    free(o);
}

static const cairo_user_data_key_t key;

/* cairo's own surface when ours cannot be had (its error, or its pixels
 * from malloc). cairo takes a surface it made as clear until drawn on,
 * and composites the first drawing onto it by another path, which may
 * round a pixel differently: marked dirty, it draws as onto ours. */
static cairo_surface_t *plain_surface(cairo_format_t fmt, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(fmt, w, h);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
        cairo_surface_mark_dirty(s);
    return s;
}

cairo_surface_t *evm__image_surface(cairo_format_t fmt, int w, int h)
{
    int stride = cairo_format_stride_for_width(fmt, w);
    struct owned *o = malloc(sizeof *o);
    if (stride <= 0 || h <= 0 || !o) {
        free(o);
        return plain_surface(fmt, w, h);
    }
    o->n = (size_t)stride * (size_t)h;
    if (!(o->p = evm__pixels_alloc(o->n))) {
        free(o);
        return plain_surface(fmt, w, h);
    }
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(o->p, fmt, w, h, stride);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_user_data(s, &key, o, release) !=
            CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        release(o);
        return plain_surface(fmt, w, h);
    }
    return s;
}
