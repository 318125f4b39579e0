/* Splitting news text into word tokens with byte and code point offsets,
 * case and the punctuation around each word. Hand-written: the tokens
 * need the offsets of the original text and a few news conventions
 * (possessive 's, dotted abbreviations "U.S.", hyphenated names) that a
 * general word breaker does not give; utf8proc gives the character
 * classes. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "gazetteer/gaz_int.h"
#include "gp_int.h"

void gp_doc_free(struct gp_doc *d)
{
    free(d->tok);
    free(d->pool);
    d->tok = NULL;
    d->pool = NULL;
    d->ntok = d->captok = d->npool = d->cappool = 0;
}

/* The code point at s[i] (valid UTF-8) and its length in *n. */
static int32_t cp_at(const char *s, size_t len, size_t i, int *n)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
        *n = 1;
        return 0xFFFD;
    }
    *n = (int)k;
    return cp;
}

enum { C_OTHER, C_LOWER, C_UPPER, C_LETTER, C_DIGIT, C_MARK };

static int cclass(int32_t c)
{
    if (c < 0x80) {
        if (c >= 'a' && c <= 'z')
            return C_LOWER;
        if (c >= 'A' && c <= 'Z')
            return C_UPPER;
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        return C_OTHER;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return C_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return C_LOWER;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    default:
        return C_OTHER;
    }
}

static int is_apos(int32_t c) { return c == '\'' || c == 0x2019; }
static int is_hyph(int32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }

static int push_tok(struct gp_doc *d, const struct gp_tok *t)
{
    if (d->ntok == d->captok) {
        size_t cap = d->captok ? d->captok * 2 : 256;
        struct gp_tok *nt = realloc(d->tok, cap * sizeof *nt);
        if (!nt)
            return -1;
        d->tok = nt;
        d->captok = cap;
    }
    d->tok[d->ntok++] = *t;
    return 0;
}

static int pool_add(struct gp_doc *d, const char *s, size_t n)
{
    if (d->npool + n + 1 > d->cappool) {
        size_t cap = d->cappool ? d->cappool * 2 : 4096;
        while (cap < d->npool + n + 1)
            cap *= 2;
        char *np = realloc(d->pool, cap);
        if (!np)
            return -1;
        d->pool = np;
        d->cappool = cap;
    }
    memcpy(d->pool + d->npool, s, n);
    d->pool[d->npool + n] = 0;
    d->npool += n + 1;
    return 0;
}

/* The normalised form of t (the gazetteer's key of its words). */
static int normalise(struct gp_doc *d, struct gp_tok *t, int ascii)
{
    const char *s = d->text + t->b0;
    size_t n = t->b1 - t->b0;
    char buf[256];
    size_t k = 0;
    if (ascii) {
        for (size_t i = 0; i < n && k < sizeof buf - 1; i++) {
            char c = s[i];
            if (c >= 'A' && c <= 'Z')
                buf[k++] = (char)(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                buf[k++] = c;
        }
    } else {
        struct evm_gz_words w;
        if (n < 1024 && evm__gz_words(s, n, &w) == 0) {
            int r = evm__gz_key(&w, 0, w.n, buf, sizeof buf);
            k = r > 0 ? (size_t)r : 0;
        }
    }
    t->norm = (uint32_t)d->npool;
    t->nlen = (uint16_t)k;
    return pool_add(d, buf, k);
}

/* Scans the word starting at byte i; fills t's extent and case flags. */
static size_t scan_word(const struct gp_doc *d, size_t i, uint32_t *cp,
                        struct gp_tok *t, int *ascii)
{
    const char *s = d->text;
    size_t len = d->len;
    int n, first = 1, upper = 0, letters = 0;
    *ascii = 1;
    t->b0 = (uint32_t)i;
    t->c0 = *cp;
    t->flags = 0;
    for (;;) {
        if (i >= len)
            break;
        int32_t c = cp_at(s, len, i, &n);
        int cl = cclass(c);
        if (cl == C_OTHER) {
            /* O'Brien, d'Ivoire: an apostrophe between letters, but not
             * the possessive 's */
            if (is_apos(c) && i + n < len) {
                int n2;
                int32_t c2 = cp_at(s, len, i + n, &n2);
                int cl2 = cclass(c2);
                if (cl2 == C_LOWER || cl2 == C_UPPER || cl2 == C_LETTER) {
                    size_t after = i + n + n2;
                    int n3 = 0;
                    int end = after >= len ||
                              cclass(cp_at(s, len, after, &n3)) == C_OTHER;
                    if ((c2 == 's' || c2 == 'S') && end) {
                        t->flags |= GP_POSS;
                        t->b1 = (uint32_t)i;
                        t->c1 = *cp;
                        *cp += 2;
                        i = after;
                        goto done;
                    }
                    *ascii &= c < 0x80;
                    i += n;
                    (*cp)++;
                    continue;
                }
            }
            /* U.S., U.K.: single letters each followed by a dot */
            if (c == '.' && letters == 1 && upper && i + 2 < len &&
                cclass(cp_at(s, len, i + 1, &n)) == C_UPPER && n == 1 &&
                s[i + 2] == '.') {
                t->flags |= GP_ABBR;
                i += 1;
                (*cp)++;
                letters = 0;
                continue;
            }
            if (c == '.' && (t->flags & GP_ABBR)) {
                i += 1;
                (*cp)++;
            }
            break;
        }
        if (c >= 0x80)
            *ascii = 0;
        if (cl == C_UPPER || cl == C_LOWER || cl == C_LETTER)
            letters++;
        if (first) {
            if (cl == C_UPPER)
                t->flags |= GP_CAP;
            else if (cl == C_LOWER)
                t->flags |= GP_LOWER;
            else if (cl == C_DIGIT)
                t->flags |= GP_DIGIT;
            first = 0;
        }
        if (cl == C_UPPER)
            upper++;
        else if (cl == C_LOWER)
            upper = -1000;
        i += n;
        (*cp)++;
    }
    t->b1 = (uint32_t)i;
    t->c1 = *cp;
done:
    if (upper >= 2 || (t->flags & GP_ABBR))
        t->flags |= GP_ALLCAPS;
    return i;
}

/* Sets the flags of the punctuation between the last token and the next
 * word: *sent becomes 1 when a sentence ends there. */
static void gap_flags(struct gp_doc *d, size_t from, size_t to, int *sent,
                      int *quote)
{
    struct gp_tok *t = d->ntok ? &d->tok[d->ntok - 1] : NULL;
    int nl = 0;
    *quote = 0;
    for (size_t i = from; i < to;) {
        int n;
        int32_t c = cp_at(d->text, d->len, i, &n);
        i += (size_t)n;
        if (c == ' ' || c == '\t' || c == 0xA0 || c == '\r')
            continue;
        if (c == '\n') {
            nl++;
            if (t)
                t->flags |= GP_NL;
            continue;
        }
        if (c == '"' || c == 0x201C || c == 0x201D || c == '(' ||
            c == '[' || c == 0x2018 || c == '\'')
            *quote = 1;
        if (!t)
            continue;
        if (is_hyph(c) && i == to && from + (size_t)n == to) {
            t->flags |= GP_HYPH;
            continue;
        }
        if (c == ',') {
            t->flags |= GP_COMMA;
            continue;
        }
        if (c == '.') {
            t->flags |= GP_DOT;
            /* "St. Louis", "Mr. Smith": a short abbreviation's dot */
            if (t->b1 - t->b0 <= 3 && (t->flags & GP_CAP) &&
                !(t->flags & GP_ALLCAPS))
                continue;
            *sent = 1;
        } else if (c == '!' || c == '?' || c == ':' || c == ';')
            *sent = 1;
        t->flags |= GP_BREAK;
    }
    if (nl)
        *sent = 1;
}

int gp_tokenize(struct gp_doc *d)
{
    size_t i = 0;
    uint32_t cp = 0;
    int sent = 1;
    size_t last = 0;
    while (i < d->len) {
        int n;
        int32_t c = cp_at(d->text, d->len, i, &n);
        int cl = cclass(c);
        if (cl == C_OTHER || cl == C_MARK) {
            i += (size_t)n;
            cp++;
            continue;
        }
        int quote;
        gap_flags(d, last, i, &sent, &quote);
        struct gp_tok t;
        int ascii;
        size_t end = scan_word(d, i, &cp, &t, &ascii);
        if (sent)
            t.flags |= GP_SENT;
        if (quote)
            t.flags |= GP_QUOTE;
        sent = 0;
        if (normalise(d, &t, ascii) < 0 || push_tok(d, &t) < 0)
            return -1;
        last = end;
        i = end;
    }
    int quote;
    gap_flags(d, last, d->len, &sent, &quote);
    return 0;
}

const char *gp_lower(const struct gp_doc *d, size_t i, char *buf,
                     size_t cap)
{
    const struct gp_tok *t = &d->tok[i];
    if (t->nlen + 1u > cap) {
        buf[0] = 0;
        return buf;
    }
    memcpy(buf, d->pool + t->norm, t->nlen);
    buf[t->nlen] = 0;
    return buf;
}
