/* evmap geoparse FILE|- [--json] [--batch] [--demonyms] [--country CC]
 *                [--places FILE]
 *
 * Finds and places the place names of a text (evm_geoparse) and prints a
 * table, or one JSON object. --batch reads JSON Lines {"id","text"} and
 * writes one {"id","places":[...]} line per line, in order.
 *
 * Both stream in bounded memory: a plain text is cut at paragraph breaks
 * (or line breaks, or spaces) into pieces of at most 256 KB (a news
 * article is a few KB: each piece is its own context), each
 * geoparsed with offsets carried on; a JSON Lines line may be up to
 * 32 MB, its text geoparsed in the same pieces. A text of up to 16 MB is read and checked whole before anything
 * is printed; in a longer stream, bad UTF-8 stops the output where it is
 * found (exit 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"
#include "geoparse/jsonl.h"

#define PIECE (256u << 10)        /* text geoparsed at once */
#define WHOLE (16u << 20)         /* read whole up to this size */
#define MAX_LINE (32u << 20)      /* a JSON Lines line */

struct gopts {
    int json, batch;
    evm_geoparse_opts g;
    const char *places, *path;
};

static void put_json_str(FILE *f, const char *s)
{
    putc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            putc('\\', f);
            putc(*p, f);
        } else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            putc(*p, f);
    }
    putc('"', f);
}

static void put_num(FILE *f, double v, int dec)
{
    char b[40];
    evm__fmt_num(b, v, dec);
    fputs(b, f);
}

/* One toponym as JSON; base: code points before this piece. */
static void put_toponym(FILE *f, const evm_toponym *t, size_t base,
                        const char *text, int first)
{
    if (!first)
        putc(',', f);
    fprintf(f, "{\"start\":%zu,\"end\":%zu,\"text\":", t->start + base,
            t->end + base);
    char buf[512];
    size_t n = t->byte_end - t->byte_start;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, text + t->byte_start, n);
    buf[n] = 0;
    put_json_str(f, buf);
    fputs(",\"name\":", f);
    put_json_str(f, t->resolved ? t->place.name : buf);
    fputs(",\"lat\":", f);
    if (t->resolved)
        put_num(f, t->place.lat, 5);
    else
        fputs("null", f);
    fputs(",\"lon\":", f);
    if (t->resolved)
        put_num(f, t->place.lon, 5);
    else
        fputs("null", f);
    if (t->resolved) {
        fputs(",\"kind\":", f);
        put_json_str(f, t->place.kind_name ? t->place.kind_name
                                           : evm_kind_str(t->place.kind));
        fputs(",\"country\":", f);
        put_json_str(f, t->place.country);
        fputs(",\"admin1\":", f);
        put_json_str(f, t->place.admin1 ? t->place.admin1 : "");
        fputs(",\"id\":", f);
        if (t->place.id && t->place.id[0])
            put_json_str(f, t->place.id);
        else
            fputs("null", f);
    } else
        fputs(",\"kind\":null,\"country\":null,\"admin1\":null,\"id\":null",
              f);
    if (t->demonym)
        fputs(",\"demonym\":true", f);
    fputs(",\"score\":", f);
    put_num(f, t->score, 3);
    putc('}', f);
}

static void put_row(FILE *f, const evm_toponym *t, size_t base,
                    const char *text)
{
    char span[64], lat[40] = "-", lon[40] = "-";
    size_t n = t->byte_end - t->byte_start;
    if (n >= sizeof span)
        n = sizeof span - 1;
    memcpy(span, text + t->byte_start, n);
    span[n] = 0;
    if (t->resolved) {
        evm__fmt_num(lat, t->place.lat, 4);
        evm__fmt_num(lon, t->place.lon, 4);
    }
    fprintf(f, "%-8zu %-24s %-28s %-7s %-14s %10s %11s\n", t->start + base,
            span, t->resolved ? t->place.name : "?",
            t->resolved && t->place.country[0] ? t->place.country : "-",
            t->resolved ? t->place.kind_name : "-", lat, lon);
}

static size_t count_cp(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Where to cut buf[0..n) so that the piece ends at a paragraph break,
 * else a line break, else a space, else a character boundary. */
static size_t cut_point(const char *buf, size_t n)
{
    size_t lo = n / 2;
    for (size_t i = n; i > lo + 1; i--)
        if (buf[i - 1] == '\n' && buf[i - 2] == '\n')
            return i;
    for (size_t i = n; i > lo; i--)
        if (buf[i - 1] == '\n')
            return i;
    for (size_t i = n; i > lo; i--)
        if (buf[i - 1] == ' ')
            return i;
    size_t i = n;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
        i--;
    return i > 0 ? i - 1 : n;
}

struct stream {
    FILE *in;
    const char *name;
    char *buf;
    size_t len, cap;
    int eof;
};

static int fill(struct stream *s, size_t want)
{
    while (!s->eof && s->len < want) {
        size_t r = fread(s->buf + s->len, 1, want - s->len, s->in);
        s->len += r;
        if (r == 0) {
            if (ferror(s->in))
                return -1;
            s->eof = 1;
        }
    }
    return 0;
}

static int geoparse_text(const evm_gazetteer *gz, const struct gopts *o,
                         FILE *in, const char *name)
{
    struct stream s = {in, name, NULL, 0, WHOLE + 1, 0};
    s.buf = malloc(s.cap);
    if (!s.buf) {
        fprintf(stderr, "evmap: out of memory\n");
        return 3;
    }
    if (fill(&s, WHOLE + 1) < 0) {
        fprintf(stderr, "evmap: %s: cannot read: I/O error\n", name);
        free(s.buf);
        return 3;
    }
    /* a text that fits is checked whole before anything is printed */
    long bad = s.eof ? evm__utf8_bad_offset(s.buf, s.len) : -1;
    if (bad >= 0) {
        fprintf(stderr, "evmap: %s: byte %ld: text is not valid UTF-8; "
                "convert it (e.g. iconv -f LATIN1 -t UTF-8)\n", name, bad);
        free(s.buf);
        return 1;
    }
    size_t base_b = 0, base_c = 0, off = 0;
    int first = 1, rc = 0;
    if (o->json)
        fputs("{\"places\":[", stdout);
    else
        printf("%-8s %-24s %-28s %-7s %-14s %10s %11s\n", "offset", "text",
               "place", "country", "kind", "lat", "lon");
    while (off < s.len) {
        const char *p = s.buf + off;
        size_t left = s.len - off;
        size_t n = left > PIECE ? cut_point(p, PIECE) : left;
        if ((bad = evm__utf8_bad_offset(p, n)) >= 0) {
            fprintf(stderr, "evmap: %s: byte %zu: text is not valid UTF-8; "
                    "convert it (e.g. iconv -f LATIN1 -t UTF-8)\n", name,
                    base_b + (size_t)bad);
            rc = 1;
            break;
        }
        evm_toponym *t = NULL;
        evm_error err = {0};
        long k = evm_geoparse(gz, p, n, &o->g, &t, &err);
        if (k < 0) {
            rc = cli_fail(&err);
            break;
        }
        for (long j = 0; j < k; j++) {
            if (o->json)
                put_toponym(stdout, &t[j], base_c, p, first);
            else
                put_row(stdout, &t[j], base_c, p);
            first = 0;
        }
        free(t);
        base_b += n;
        base_c += count_cp(p, n);
        off += n;
        if (!s.eof && s.len - off < 2 * PIECE) {
            /* a stream: keep the buffer filled from the front */
            memmove(s.buf, s.buf + off, s.len - off);
            s.len -= off;
            off = 0;
            if (fill(&s, s.cap - 1) < 0) {
                fprintf(stderr, "evmap: %s: cannot read: I/O error\n", name);
                rc = 3;
                break;
            }
        }
    }
    if (o->json)
        fputs("]}\n", stdout);
    free(s.buf);
    return rc;
}

static int geoparse_batch(const evm_gazetteer *gz, const struct gopts *o,
                          FILE *in, const char *name)
{
    struct gp_jsonl jl;
    gp_jsonl_init(&jl, in, MAX_LINE);
    int rc = 0;
    for (;;) {
        evm_error err = {0};
        int r = gp_jsonl_next(&jl, &err);
        if (r == 0)
            break;
        if (r < 0) {
            fprintf(stderr, "evmap: %s:%s\n", name, err.msg);
            rc = evm_status_exit_code(err.code);
            break;
        }
        fputs("{\"id\":", stdout);
        fputs(jl.id[0] ? jl.id : "null", stdout);
        fputs(",\"places\":[", stdout);
        /* a long text in pieces cut at paragraphs, as a plain stream */
        size_t off = 0, base_c = 0;
        int first = 1;
        while (off < jl.text_len) {
            const char *p = jl.text + off;
            size_t left = jl.text_len - off;
            size_t n = left > PIECE ? cut_point(p, PIECE) : left;
            evm_toponym *t = NULL;
            long k = evm_geoparse(gz, p, n, &o->g, &t, &err);
            if (k < 0) {
                fprintf(stderr, "evmap: %s:%lu: %s\n", name, jl.line_no,
                        err.msg);
                rc = evm_status_exit_code(err.code);
                break;
            }
            for (long j = 0; j < k; j++, first = 0)
                put_toponym(stdout, &t[j], base_c, p, first);
            free(t);
            base_c += count_cp(p, n);
            off += n;
        }
        fputs("]}\n", stdout);
        if (rc)
            break;
    }
    gp_jsonl_free(&jl);
    return rc;
}

int cmd_geoparse(int argc, char **argv)
{
    struct gopts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            o.json = 1;
        else if (!strcmp(a, "--batch"))
            o.batch = 1;
        else if (!strcmp(a, "--demonyms"))
            o.g.demonyms = 1;
        else if (!strcmp(a, "--country") && i + 1 < argc)
            o.g.country = argv[++i];
        else if (!strcmp(a, "--places") && i + 1 < argc)
            o.places = argv[++i];
        else if (a[0] == '-' && a[1])
            return cli_usage("geoparse", "unknown option '%s'", a);
        else if (o.path)
            return cli_usage("geoparse", "one input only");
        else
            o.path = a;
    }
    if (!o.path)
        return cli_usage("geoparse", "no input (a file, or - for stdin)");
    if (o.g.country && (strlen(o.g.country) != 2))
        return cli_usage("geoparse", "--country takes an ISO code (KZ)");
    FILE *in = stdin;
    const char *name = "stdin";
    if (strcmp(o.path, "-")) {
        in = fopen(o.path, "rb");
        if (!in) {
            fprintf(stderr, "evmap: %s: cannot open: ", o.path);
            perror(NULL);
            return 3;
        }
        name = o.path;
    }
    evm_error err = {0};
    evm_gazetteer *gz = cli_gazetteer(o.places, &err);
    if (!gz) {
        if (in != stdin)
            fclose(in);
        return cli_fail(&err);
    }
    int rc = o.batch ? geoparse_batch(gz, &o, in, name)
                     : geoparse_text(gz, &o, in, name);
    if (fflush(stdout) != 0 && rc == 0) {
        fprintf(stderr, "evmap: cannot write the output\n");
        rc = 3;
    }
    evm_gazetteer_close(gz);
    if (in != stdin)
        fclose(in);
    return rc;
}
