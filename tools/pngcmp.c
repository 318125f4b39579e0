/* pngcmp A.png B.png [TOL [MAXFRAC]]: compares two PNGs for the golden
 * suite. They must have the same size; a pixel differs when any channel
 * (RGBA, 8 bits) differs by more than TOL (default 8); the images match
 * when at most MAXFRAC of the pixels differ (default 0.002, 0.2%).
 * Fonts and cairo versions move antialiasing by a few levels along
 * edges; a moved symbol, a new label or another colour changes far more.
 * Exit 0: match; 1: differ (one line on stderr says how); 2: unreadable. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *load(const char *path, png_image *img)
{
    memset(img, 0, sizeof *img);
    img->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(img, path)) {
        fprintf(stderr, "pngcmp: %s: %s\n", path, img->message);
        return NULL;
    }
    img->format = PNG_FORMAT_RGBA;
    unsigned char *buf = malloc(PNG_IMAGE_SIZE(*img));
    if (!buf || !png_image_finish_read(img, NULL, buf, 0, NULL)) {
        fprintf(stderr, "pngcmp: %s: %s\n", path, buf ? img->message : "out of memory");
        free(buf);
        png_image_free(img);
        return NULL;
    }
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: pngcmp A.png B.png [TOL [MAXFRAC]]\n");
        return 2;
    }
    int tol = argc > 3 ? atoi(argv[3]) : 8;
    double maxfrac = argc > 4 ? atof(argv[4]) : 0.002;
    png_image a, b;
    unsigned char *pa = load(argv[1], &a), *pb = pa ? load(argv[2], &b) : NULL;
    if (!pa || !pb) {
        free(pa);
        return 2;
    }
    int rc = 0;
    if (a.width != b.width || a.height != b.height) {
        fprintf(stderr, "pngcmp: size %ux%u, want %ux%u\n", b.width, b.height, a.width, a.height);
        rc = 1;
    } else {
        size_t n = (size_t)a.width * a.height, bad = 0;
        int worst = 0;
        long fx = -1, fy = -1;
        for (size_t i = 0; i < n; i++) {
            int d = 0;
            for (int c = 0; c < 4; c++) {
                int k = abs((int)pa[4 * i + c] - (int)pb[4 * i + c]);
                if (k > d)
                    d = k;
            }
            if (d > worst)
                worst = d;
            if (d > tol) {
                if (!bad) {
                    fx = (long)(i % a.width);
                    fy = (long)(i / a.width);
                }
                bad++;
            }
        }
        if ((double)bad > maxfrac * (double)n) {
            fprintf(stderr, "pngcmp: %zu of %zu pixels differ by more than %d (%.3f%%, allowed %.3f%%); "
                    "first at %ld,%ld; largest difference %d\n",
                    bad, n, tol, 100.0 * bad / n, 100.0 * maxfrac, fx, fy, worst);
            rc = 1;
        }
    }
    free(pa);
    free(pb);
    return rc;
}
