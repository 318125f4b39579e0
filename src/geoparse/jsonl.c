/* A JSON Lines reader for {"id": ..., "text": "..."} objects. Written by
 * hand: the core binary (which runs geoparse) links no JSON library, and
 * it needs only one flat object per line with other members skipped. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "jsonl.h"

void gp_jsonl_init(struct gp_jsonl *j, FILE *in, size_t max)
{
    memset(j, 0, sizeof *j);
    j->in = in;
    j->max = max;
}

void gp_jsonl_free(struct gp_jsonl *j)
{
    free(j->line);
    free(j->text);
    j->line = j->text = NULL;
}

struct cur {
    const char *s;
    size_t i, n;
    int depth;
};

static void ws(struct cur *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
                           c->s[c->i] == '\r' || c->s[c->i] == '\n'))
        c->i++;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char h = s[k];
        *v <<= 4;
        if (h >= '0' && h <= '9')
            *v |= (unsigned)(h - '0');
        else if (h >= 'a' && h <= 'f')
            *v |= (unsigned)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F')
            *v |= (unsigned)(h - 'A' + 10);
        else
            return -1;
    }
    return 0;
}

static int put(struct gp_jsonl *j, const char *p, size_t n)
{
    if (!j)
        return 0;
    if (j->text_len + n + 1 > j->text_cap) {
        size_t cap = j->text_cap ? j->text_cap : 4096;
        while (cap < j->text_len + n + 1)
            cap *= 2;
        char *t = realloc(j->text, cap);
        if (!t)
            return -1;
        j->text = t;
        j->text_cap = cap;
    }
    memcpy(j->text + j->text_len, p, n);
    j->text_len += n;
    j->text[j->text_len] = 0;
    return 0;
}

static int put_cp(struct gp_jsonl *j, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return put(j, b, n);
}

/* A string at c (after its opening quote), decoded into j->text when j
 * is not NULL. */
static const char *string(struct cur *c, struct gp_jsonl *j)
{
    while (c->i < c->n) {
        size_t st = c->i;
        while (c->i < c->n && c->s[c->i] != '"' && c->s[c->i] != '\\' &&
               (unsigned char)c->s[c->i] >= 0x20)
            c->i++;
        if (put(j, c->s + st, c->i - st) < 0)
            return "out of memory";
        if (c->i >= c->n)
            break;
        char ch = c->s[c->i++];
        if (ch == '"')
            return NULL;
        if ((unsigned char)ch < 0x20)
            return "control character inside a string (write it as \\n)";
        if (c->i >= c->n)
            break;
        char e = c->s[c->i++];
        const char *lit = NULL;
        switch (e) {
        case '"': lit = "\""; break;
        case '\\': lit = "\\"; break;
        case '/': lit = "/"; break;
        case 'b': lit = "\b"; break;
        case 'f': lit = "\f"; break;
        case 'n': lit = "\n"; break;
        case 'r': lit = "\r"; break;
        case 't': lit = "\t"; break;
        case 'u': {
            unsigned v, lo;
            if (c->i + 4 > c->n || hex4(c->s + c->i, &v) < 0)
                return "bad \\u escape";
            c->i += 4;
            if (v >= 0xD800 && v < 0xDC00) {
                if (c->i + 6 <= c->n && c->s[c->i] == '\\' &&
                    c->s[c->i + 1] == 'u' && hex4(c->s + c->i + 2, &lo) == 0
                    && lo >= 0xDC00 && lo < 0xE000) {
                    c->i += 6;
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                } else
                    v = 0xFFFD;
            } else if (v >= 0xDC00 && v < 0xE000)
                v = 0xFFFD;
            if (j && put_cp(j, v) < 0)
                return "out of memory";
            continue;
        }
        default:
            return "bad escape in a string";
        }
        if (put(j, lit, 1) < 0)
            return "out of memory";
    }
    return "unterminated string";
}

/* Skips any JSON value. */
static const char *skip_value(struct cur *c)
{
    ws(c);
    if (c->i >= c->n)
        return "value expected";
    char ch = c->s[c->i];
    if (ch == '"') {
        c->i++;
        return string(c, NULL);
    }
    if (ch == '{' || ch == '[') {
        if (++c->depth > 64)
            return "nested too deep";
        char close = ch == '{' ? '}' : ']';
        c->i++;
        ws(c);
        if (c->i < c->n && c->s[c->i] == close) {
            c->i++;
            c->depth--;
            return NULL;
        }
        for (;;) {
            const char *e;
            if (close == '}') {
                ws(c);
                if (c->i >= c->n || c->s[c->i] != '"')
                    return "member name expected";
                c->i++;
                if ((e = string(c, NULL)))
                    return e;
                ws(c);
                if (c->i >= c->n || c->s[c->i] != ':')
                    return "':' expected";
                c->i++;
            }
            if ((e = skip_value(c)))
                return e;
            ws(c);
            if (c->i < c->n && c->s[c->i] == ',') {
                c->i++;
                continue;
            }
            if (c->i < c->n && c->s[c->i] == close) {
                c->i++;
                c->depth--;
                return NULL;
            }
            return "',' or closing bracket expected";
        }
    }
    size_t st = c->i;
    while (c->i < c->n && (strchr("+-.eE", c->s[c->i]) ||
                           (c->s[c->i] >= '0' && c->s[c->i] <= '9') ||
                           (c->s[c->i] >= 'a' && c->s[c->i] <= 'z')))
        c->i++;
    size_t len = c->i - st;
    if (len == 0)
        return "value expected";
    if (c->s[st] >= 'a' && c->s[st] <= 'z' &&
        !((len == 4 && !memcmp(c->s + st, "true", 4)) ||
          (len == 4 && !memcmp(c->s + st, "null", 4)) ||
          (len == 5 && !memcmp(c->s + st, "false", 5))))
        return "unknown literal";
    return NULL;
}

int gp_jsonl_parse(struct gp_jsonl *j, const char *s, size_t n,
                   evm_error *err)
{
    struct cur c = {s, 0, n, 0};
    int has_text = 0;
    j->text_len = 0;
    j->id[0] = 0;
    if (put(j, "", 0) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory"), -1;
    ws(&c);
    if (c.i >= n || s[c.i] != '{') {
        evm_error_set(err, EVM_E_INPUT, "not a JSON object; each line must "
                      "be {\"id\": ..., \"text\": \"...\"}");
        return -1;
    }
    c.i++;
    const char *e = NULL;
    ws(&c);
    if (c.i < n && s[c.i] == '}')
        c.i++;
    else
        for (;;) {
            ws(&c);
            if (c.i >= n || s[c.i] != '"') {
                e = "member name expected";
                break;
            }
            size_t k0 = ++c.i;
            if ((e = string(&c, NULL)))
                break;
            size_t klen = c.i - 1 - k0;
            ws(&c);
            if (c.i >= n || s[c.i] != ':') {
                e = "':' expected";
                break;
            }
            c.i++;
            ws(&c);
            if (klen == 4 && !memcmp(s + k0, "text", 4)) {
                if (c.i >= n || s[c.i] != '"') {
                    e = "\"text\" must be a string";
                    break;
                }
                c.i++;
                j->text_len = 0;
                if ((e = string(&c, j)))
                    break;
                has_text = 1;
            } else {
                size_t v0 = c.i;
                if ((e = skip_value(&c)))
                    break;
                if (klen == 2 && !memcmp(s + k0, "id", 2)) {
                    size_t vl = c.i - v0;
                    if (vl >= sizeof j->id || s[v0] == '{' || s[v0] == '[') {
                        e = "\"id\" must be a short string or number";
                        break;
                    }
                    memcpy(j->id, s + v0, vl);
                    j->id[vl] = 0;
                }
            }
            ws(&c);
            if (c.i < n && s[c.i] == ',') {
                c.i++;
                continue;
            }
            if (c.i < n && s[c.i] == '}') {
                c.i++;
                break;
            }
            e = "',' or '}' expected";
            break;
        }
    if (!e) {
        ws(&c);
        if (c.i < n)
            e = "text after the object";
        else if (!has_text)
            e = "no \"text\" member";
    }
    if (e) {
        evm_error_set(err, EVM_E_INPUT, "column %zu: %s", c.i + 1, e);
        return -1;
    }
    return 0;
}

/* Reads one line into j->line (without its newline). 1, 0 at end, -1 with
 * err when over max or on a read error. */
static int read_line(struct gp_jsonl *j, evm_error *err)
{
    j->len = 0;
    int any = 0;
    for (;;) {
        int ch = getc(j->in);
        if (ch == EOF) {
            if (ferror(j->in))
                return evm_error_set(err, EVM_E_IO, " cannot read: I/O "
                                     "error"), -1;
            break;
        }
        any = 1;
        if (ch == '\n')
            break;
        if (j->len + 2 > j->cap) {
            if (j->len + 2 > j->max) {
                evm_error_set(err, EVM_E_TOOBIG, "%lu: line is over %zu MB; "
                              "split the text", j->line_no + 1,
                              j->max >> 20);
                return -1;
            }
            size_t cap = j->cap ? j->cap * 2 : 65536;
            if (cap > j->max)
                cap = j->max;
            char *l = realloc(j->line, cap);
            if (!l)
                return evm_error_set(err, EVM_E_NOMEM, " out of memory"),
                       -1;
            j->line = l;
            j->cap = cap;
        }
        j->line[j->len++] = (char)ch;
    }
    if (!any)
        return 0;
    j->line_no++;
    return 1;
}

int gp_jsonl_next(struct gp_jsonl *j, evm_error *err)
{
    for (;;) {
        int r = read_line(j, err);
        if (r <= 0)
            return r;
        size_t k = 0;
        while (k < j->len && (j->line[k] == ' ' || j->line[k] == '\t' ||
                              j->line[k] == '\r'))
            k++;
        if (k == j->len)
            continue; /* blank line */
        long bad = evm__utf8_bad_offset(j->line, j->len);
        if (bad >= 0) {
            evm_error_set(err, EVM_E_INPUT, "%lu: byte %ld of the line is "
                          "not valid UTF-8", j->line_no, bad);
            return -1;
        }
        evm_error e2 = {0};
        if (gp_jsonl_parse(j, j->line, j->len, &e2) < 0) {
            evm_error_set(err, e2.code, "%lu: %s", j->line_no, e2.msg);
            return -1;
        }
        return 1;
    }
}
