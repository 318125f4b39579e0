/* Name normalisation and kind words, shared by the index builder
 * (tools/mkgaz.c) and the lookup, so that both sides agree byte for byte.
 *
 * Unicode work (compatibility decomposition, case folding, mark stripping,
 * composition, lumping of dash and quote variants) is utf8proc's. What is
 * written here by hand is what no library does: the word splitting rules
 * for place names (apostrophes vanish, other punctuation separates words),
 * a handful of letters that have no decomposition (ı, ø, ł, đ ...), and the
 * Arabic article rule (al-/el-/ad-/ar-/as-... are one article). */
#include <pthread.h>
#include <string.h>

#include <utf8proc.h>

#include "gaz_int.h"

uint32_t evm__gz_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

uint32_t evm__gz_tri_bucket(unsigned char a, unsigned char b,
                            unsigned char c)
{
    uint32_t h = ((uint32_t)a << 16) | ((uint32_t)b << 8) | c;
    h *= 2654435761u;
    return h >> (32 - 18);
}

int evm__gz_trigrams(const char *s, size_t n, uint32_t *out)
{
    int k = 0;
    for (size_t i = 0; i < n && k < EVM_GZ_MAX_TRI; i++) {
        unsigned char a = i == 0 ? 2 : (unsigned char)s[i - 1];
        unsigned char b = (unsigned char)s[i];
        unsigned char c = i + 1 < n ? (unsigned char)s[i + 1] : 3;
        uint32_t bk = evm__gz_tri_bucket(a, b, c);
        int dup = 0;
        for (int j = 0; j < k && !dup; j++)
            dup = out[j] == bk;
        if (!dup)
            out[k++] = bk;
    }
    return k;
}

/* Apostrophe-like characters: dropped without splitting the word, so
 * "Kharkivs'ka" and "Kharkivska" agree. */
static int is_apostrophe(int32_t c)
{
    switch (c) {
    case 0x27: case 0x60: case 0xb4: case 0x2bb: case 0x2bc: case 0x2bd:
    case 0x2be: case 0x2bf: case 0x2018: case 0x2019: case 0x201b:
    case 0x2032: case 0xff07:
        return 1;
    }
    return 0;
}

/* Letters without a canonical decomposition that readers treat as the
 * plain letter. Returns the replacement (ASCII) or NULL. */
static const char *fold_extra(int32_t c)
{
    switch (c) {
    case 0x131: return "i";  /* dotless i */
    case 0xf8: return "o";   /* ø */
    case 0x111: return "d";  /* đ */
    case 0xf0: return "d";   /* ð */
    case 0x142: return "l";  /* ł */
    case 0x127: return "h";  /* ħ */
    case 0x167: return "t";  /* ŧ */
    case 0xe6: return "ae";  /* æ */
    case 0x153: return "oe"; /* œ */
    case 0xfe: return "th";  /* þ */
    case 0x2c2: case 0x2c3: return ""; /* stray modifier arrows */
    }
    return NULL;
}

static int is_word_char(int32_t c)
{
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
        return 1;
    default:
        return 0;
    }
}

static int word_is(const struct evm_gz_words *w, int i, const char *s)
{
    size_t n = strlen(s);
    return w->wlen[i] == n && memcmp(w->buf + w->start[i], s, n) == 0;
}

/* Arabic definite article: "al"/"el" before any word, and a vowel plus
 * an assimilated consonant ("ad Dawhah", "as-Sulaymaniyah",
 * "ash-Sham", "ez-Zor") before a word starting with that consonant. */
static void canon_articles(struct evm_gz_words *w)
{
    static const char *const sun[] = {"d", "r", "s", "t", "z", "n", "sh",
                                      "th", "dh", NULL};
    for (int i = 0; i + 1 < w->n; i++) {
        char *p = w->buf + w->start[i];
        size_t n = w->wlen[i];
        if (word_is(w, i, "al") || word_is(w, i, "el")) {
            p[0] = 'a';
            continue;
        }
        if (n < 2 || n > 3 || (p[0] != 'a' && p[0] != 'e'))
            continue;
        for (int k = 0; sun[k]; k++) {
            size_t cn = strlen(sun[k]);
            const char *next = w->buf + w->start[i + 1];
            if (cn == n - 1 && memcmp(p + 1, sun[k], cn) == 0 &&
                w->wlen[i + 1] > cn && memcmp(next, sun[k], cn) == 0) {
                p[0] = 'a';
                p[1] = 'l';
                w->wlen[i] = 2;
                break;
            }
        }
    }
}

/* Appends len bytes of a word character to w, starting a word when not
 * *in_word; -1 when w is full. Words past the cap run on into the last
 * one; they stay contiguous because nothing is written between them. */
static inline int word_add(struct evm_gz_words *w, const void *b,
                           size_t len, int *in_word)
{
    if (w->len + len + 1 > sizeof w->buf)
        return -1;
    if (!*in_word) {
        if (w->n < EVM_GZ_MAX_TOKENS) {
            w->start[w->n] = (uint16_t)w->len;
            w->wlen[w->n] = 0;
            w->n++;
        }
        *in_word = 1;
    }
    memcpy(w->buf + w->len, b, len);
    w->len += len;
    w->wlen[w->n - 1] = (uint16_t)(w->len - w->start[w->n - 1]);
    return 0;
}

/* The same as the general path below for text that is all ASCII, where
 * NFKC, case folding and mark stripping reduce to lower-casing: letters
 * and digits make words, ' and ` vanish, anything else separates. Most
 * queries take this path; tests/unit/test_gazetteer.c checks that both
 * agree. */
static int words_ascii(const char *s, size_t n, struct evm_gz_words *w)
{
    int in_word = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '`')
            continue;
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c + 32);
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            in_word = 0;
            continue;
        }
        char ch = (char)c;
        if (word_add(w, &ch, 1, &in_word) < 0)
            return -1;
    }
    canon_articles(w);
    return 0;
}

int evm__gz_words(const char *s, size_t n, struct evm_gz_words *w)
{
    enum { CAP = 4096 };
    w->len = 0;
    w->n = 0;
    if (n > CAP)
        return -1;
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    if (i == n)
        return words_ascii(s, n, w);
    return evm__gz_words_unicode(s, n, w);
}

int evm__gz_words_unicode(const char *s, size_t n, struct evm_gz_words *w)
{
    enum { CAP = 4096 };
    utf8proc_int32_t cps[CAP];
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                  UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
                                  UTF8PROC_LUMP;
    w->len = 0;
    w->n = 0;
    if (n > CAP)
        return -1;
    utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                            (utf8proc_ssize_t)n, cps, CAP,
                                            opt);
    if (m < 0 || m > CAP)
        return -1;
    m = utf8proc_normalize_utf32(cps, m, opt);
    if (m < 0)
        return -1;
    int in_word = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        int32_t c = cps[i];
        if (is_apostrophe(c))
            continue;
        const char *extra = fold_extra(c);
        if (!extra && !is_word_char(c)) {
            in_word = 0;
            continue;
        }
        utf8proc_uint8_t enc[8];
        size_t elen;
        if (extra) {
            elen = strlen(extra);
            memcpy(enc, extra, elen);
            if (!elen)
                continue;
        } else {
            elen = (size_t)utf8proc_encode_char(c, enc);
            if (!elen)
                continue;
        }
        if (word_add(w, enc, elen, &in_word) < 0)
            return -1;
    }
    canon_articles(w);
    return 0;
}

int evm__gz_key(const struct evm_gz_words *w, int from, int to, char *out,
                size_t cap)
{
    size_t len = 0;
    for (int i = from; i < to && i < w->n; i++) {
        if (len + w->wlen[i] + 1 > cap)
            return -1;
        memcpy(out + len, w->buf + w->start[i], w->wlen[i]);
        len += w->wlen[i];
    }
    if (cap == 0)
        return -1;
    out[len] = '\0';
    return (int)len;
}

/* ----------------------------------------------------------- kind words */

#define K(k) (1u << (k))
#define SUF 1
#define PRE 2
#define BOTH 3

static const struct evm_gz_kindword kindwords[] = {
    {"oil field", EVM_KIND_SITE, K(EVM_KIND_SITE), "oil field", SUF},
    {"oilfield", EVM_KIND_SITE, K(EVM_KIND_SITE), "oil field", SUF},
    {"oil and gas field", EVM_KIND_SITE, K(EVM_KIND_SITE), "oil field", SUF},
    {"gas field", EVM_KIND_SITE, K(EVM_KIND_SITE), "gas field", SUF},
    {"gas condensate field", EVM_KIND_SITE, K(EVM_KIND_SITE), "gas field",
     SUF},
    {"field", EVM_KIND_SITE, K(EVM_KIND_SITE), "field", SUF},
    {"oil basin", EVM_KIND_SITE, K(EVM_KIND_SITE), "oil basin", SUF},
    {"месторождение", EVM_KIND_SITE, K(EVM_KIND_SITE), "field", SUF},
    {"nuclear power plant", EVM_KIND_SITE, K(EVM_KIND_SITE),
     "nuclear power plant", SUF},
    {"nuclear power station", EVM_KIND_SITE, K(EVM_KIND_SITE),
     "nuclear power plant", SUF},
    {"nuclear plant", EVM_KIND_SITE, K(EVM_KIND_SITE),
     "nuclear power plant", SUF},
    {"npp", EVM_KIND_SITE, K(EVM_KIND_SITE), "nuclear power plant", SUF},
    {"аэс", EVM_KIND_SITE, K(EVM_KIND_SITE), "nuclear power plant", SUF},
    {"аес", EVM_KIND_SITE, K(EVM_KIND_SITE), "nuclear power plant", SUF},
    {"nuclear site", EVM_KIND_SITE, K(EVM_KIND_SITE), "nuclear site", SUF},
    {"power plant", EVM_KIND_SITE, K(EVM_KIND_SITE), "power plant", SUF},
    {"power station", EVM_KIND_SITE, K(EVM_KIND_SITE), "power plant", SUF},
    {"refinery", EVM_KIND_SITE, K(EVM_KIND_SITE), "refinery", SUF},
    {"oil refinery", EVM_KIND_SITE, K(EVM_KIND_SITE), "refinery", SUF},
    {"terminal", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_PORT),
     "terminal", SUF},
    {"oil terminal", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_PORT),
     "terminal", SUF},
    {"dam", EVM_KIND_SITE, K(EVM_KIND_SITE), "dam", SUF},
    {"bridge", EVM_KIND_SITE, K(EVM_KIND_SITE), "bridge", SUF},
    {"square", EVM_KIND_SITE, K(EVM_KIND_SITE), "square", SUF},
    {"palace", EVM_KIND_SITE, K(EVM_KIND_SITE), "palace", SUF},
    {"presidential palace", EVM_KIND_SITE, K(EVM_KIND_SITE), "palace", SUF},
    {"cosmodrome", EVM_KIND_SITE, K(EVM_KIND_SITE), "cosmodrome", SUF},
    {"spaceport", EVM_KIND_SITE, K(EVM_KIND_SITE), "spaceport", SUF},
    {"mine", EVM_KIND_SITE, K(EVM_KIND_SITE), "mine", SUF},
    {"base", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT), "base",
     SUF},
    {"military base", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT),
     "military base", SUF},
    {"naval base", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_PORT),
     "naval base", SUF},
    {"air base", EVM_KIND_AIRPORT, K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT),
     "air base", SUF},
    {"airbase", EVM_KIND_AIRPORT, K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT),
     "air base", SUF},
    {"air force base", EVM_KIND_AIRPORT,
     K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT), "air base", SUF},
    {"авиабаза", EVM_KIND_AIRPORT, K(EVM_KIND_SITE) | K(EVM_KIND_AIRPORT),
     "air base", PRE},
    {"airfield", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT), NULL, SUF},
    {"aerodrome", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT), NULL, SUF},
    {"airport", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT), "airport", SUF},
    {"international airport", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT),
     "airport", SUF},
    {"intl airport", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT), "airport", SUF},
    {"аэропорт", EVM_KIND_AIRPORT, K(EVM_KIND_AIRPORT), "airport", BOTH},
    {"port", EVM_KIND_PORT, K(EVM_KIND_PORT) | K(EVM_KIND_SITE), "port",
     SUF},
    {"seaport", EVM_KIND_PORT, K(EVM_KIND_PORT), "port", SUF},
    {"harbour", EVM_KIND_PORT, K(EVM_KIND_PORT) | K(EVM_KIND_WATER), NULL,
     SUF},
    {"harbor", EVM_KIND_PORT, K(EVM_KIND_PORT) | K(EVM_KIND_WATER), NULL,
     SUF},
    {"port of", EVM_KIND_PORT, K(EVM_KIND_PORT), "port", PRE},
    {"city", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, SUF},
    {"town", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, SUF},
    {"village", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, SUF},
    {"settlement", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, SUF},
    {"hamlet", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, SUF},
    {"city of", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"town of", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"village of", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"город", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"oblast", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2),
     NULL, SUF},
    {"oblasti", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"oblysy", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"oblisi", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"область", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"облысы", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"region", EVM_KIND_ADMIN1,
     K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2) | K(EVM_KIND_PHYSICAL), NULL,
     SUF},
    {"province", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2),
     NULL, SUF},
    {"state", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"governorate", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"prefecture", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"kray", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"krai", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"краи", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"okrug", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"autonomous okrug", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"republic", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1) | K(EVM_KIND_COUNTRY),
     NULL, SUF},
    {"republic of", EVM_KIND_COUNTRY,
     K(EVM_KIND_ADMIN1) | K(EVM_KIND_COUNTRY), NULL, PRE},
    {"county", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2),
     NULL, SUF},
    {"district", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2),
     NULL, SUF},
    {"department", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1) | K(EVM_KIND_ADMIN2),
     NULL, SUF},
    {"voivodeship", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, SUF},
    {"raion", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2), NULL, SUF},
    /* townships, sub-districts (upazilas, tehsils) and municipalities
     * are named after their seat, which stands for them where GeoNames
     * has no area of that name */
    {"township", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"sub district", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"subdistrict", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"upazila", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"upazilla", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"tehsil", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"municipality", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2) | K(EVM_KIND_CITY),
     NULL, SUF},
    {"crossing", EVM_KIND_SITE, K(EVM_KIND_SITE), "border crossing", SUF},
    {"border crossing", EVM_KIND_SITE, K(EVM_KIND_SITE), "border crossing",
     SUF},
    {"crossing point", EVM_KIND_SITE, K(EVM_KIND_SITE), "border crossing",
     SUF},
    {"border post", EVM_KIND_SITE, K(EVM_KIND_SITE), "border crossing",
     SUF},
    {"camp", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_CITY), "camp",
     SUF},
    {"refugee camp", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_CITY),
     "camp", SUF},
    {"idp camp", EVM_KIND_SITE, K(EVM_KIND_SITE) | K(EVM_KIND_CITY), "camp",
     SUF},
    {"kibbutz", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"moshav", EVM_KIND_CITY, K(EVM_KIND_CITY), NULL, PRE},
    {"rayon", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2), NULL, SUF},
    {"lake", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", BOTH},
    {"reservoir", EVM_KIND_WATER, K(EVM_KIND_WATER), "reservoir", SUF},
    {"ozero", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", BOTH},
    {"озеро", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", BOTH},
    {"koli", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", SUF},
    {"kol", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", SUF},
    {"golu", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", SUF},
    {"nuur", EVM_KIND_WATER, K(EVM_KIND_WATER), "lake", SUF},
    {"sea", EVM_KIND_WATER, K(EVM_KIND_WATER), "sea", SUF},
    {"sea of", EVM_KIND_WATER, K(EVM_KIND_WATER), "sea", PRE},
    {"gulf", EVM_KIND_WATER, K(EVM_KIND_WATER), "gulf", SUF},
    {"gulf of", EVM_KIND_WATER, K(EVM_KIND_WATER), "gulf", PRE},
    {"bay", EVM_KIND_WATER, K(EVM_KIND_WATER), "bay", SUF},
    {"bay of", EVM_KIND_WATER, K(EVM_KIND_WATER), "bay", PRE},
    {"strait", EVM_KIND_WATER, K(EVM_KIND_WATER), "strait", SUF},
    {"strait of", EVM_KIND_WATER, K(EVM_KIND_WATER), "strait", PRE},
    {"lagoon", EVM_KIND_WATER, K(EVM_KIND_WATER), "lagoon", SUF},
    {"river", EVM_KIND_WATER, K(EVM_KIND_WATER), "river", SUF},
    {"mountains", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, SUF},
    {"mountain", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, SUF},
    {"mount", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, PRE},
    {"mt", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, PRE},
    {"range", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, SUF},
    {"desert", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), "desert", SUF},
    {"island", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, SUF},
    {"islands", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, SUF},
    {"isle of", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, PRE},
    {"island of", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, PRE},
    {"peninsula", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), "peninsula",
     SUF},
    {"plateau", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), "plateau", SUF},
    {"valley", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), "valley", SUF},
    {"volcano", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), "volcano", SUF},
};
#define NKINDWORDS (sizeof kindwords / sizeof kindwords[0])

/* The bare kind names (evm_kind_str) and a few more, for --kind. */
static const struct evm_gz_kindword kindnames[] = {
    {"country", EVM_KIND_COUNTRY, K(EVM_KIND_COUNTRY), NULL, 0},
    {"admin1", EVM_KIND_ADMIN1, K(EVM_KIND_ADMIN1), NULL, 0},
    {"admin2", EVM_KIND_ADMIN2, K(EVM_KIND_ADMIN2), NULL, 0},
    {"capital", EVM_KIND_CITY, K(EVM_KIND_CITY), "capital", 0},
    {"water", EVM_KIND_WATER, K(EVM_KIND_WATER), NULL, 0},
    {"physical", EVM_KIND_PHYSICAL, K(EVM_KIND_PHYSICAL), NULL, 0},
    {"site", EVM_KIND_SITE, K(EVM_KIND_SITE), NULL, 0},
    {"place", EVM_KIND_SITE, 0xffffu, NULL, 0},
};

/* Number of words in a phrase and whether words [at, at+k) spell it. */
static int phrase_match(const struct evm_gz_words *w, int at,
                        const char *phrase, int *k)
{
    int n = 0;
    const char *p = phrase;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int i = at + n;
        if (i >= w->n || w->wlen[i] != len ||
            memcmp(w->buf + w->start[i], p, len) != 0)
            return 0;
        n++;
        p += len;
        if (*p == ' ')
            p++;
    }
    *k = n;
    return n > 0;
}

static int phrase_words(const char *phrase)
{
    int n = 1;
    for (const char *p = phrase; *p; p++)
        n += *p == ' ';
    return n;
}

/* A filter over the words kind phrases end with (suffix phrases) and
 * begin with (prefix phrases), and the phrases' word counts, built once:
 * a name whose last and first words pass neither filter has no kind
 * words, which settles most names without trying every phrase. */
#define KW_BITS 1024
static pthread_once_t kw_once = PTHREAD_ONCE_INIT;
static uint64_t kw_tail[KW_BITS / 64], kw_head[KW_BITS / 64];
static uint8_t kw_words[NKINDWORDS];
static uint16_t kw_tail_bit[NKINDWORDS], kw_head_bit[NKINDWORDS];

static unsigned kw_bit(const char *s, size_t n)
{
    return evm__gz_hash(s, n) % KW_BITS;
}

static void kw_init(void)
{
    for (size_t i = 0; i < NKINDWORDS; i++) {
        const char *p = kindwords[i].phrase;
        const char *sp = strchr(p, ' ');
        const char *last = strrchr(p, ' ');
        size_t len = strlen(p);
        kw_words[i] = (uint8_t)phrase_words(p);
        const char *t = last ? last + 1 : p;
        unsigned bt = kw_bit(t, (size_t)(p + len - t));
        unsigned bh = kw_bit(p, sp ? (size_t)(sp - p) : len);
        kw_tail_bit[i] = (uint16_t)bt;
        kw_head_bit[i] = (uint16_t)bh;
        if (kindwords[i].where & SUF)
            kw_tail[bt / 64] |= (uint64_t)1 << (bt % 64);
        if (kindwords[i].where & PRE)
            kw_head[bh / 64] |= (uint64_t)1 << (bh % 64);
    }
}

const struct evm_gz_kindword *evm__gz_strip_kind(const struct evm_gz_words *w,
                                                 int *from, int *to)
{
    if (w->n < 2) /* a kind word alone is a name */
        return NULL;
    pthread_once(&kw_once, kw_init);
    unsigned bt = kw_bit(w->buf + w->start[w->n - 1], w->wlen[w->n - 1]);
    unsigned bh = kw_bit(w->buf + w->start[0], w->wlen[0]);
    if (!(kw_tail[bt / 64] >> (bt % 64) & 1) &&
        !(kw_head[bh / 64] >> (bh % 64) & 1))
        return NULL;
    const struct evm_gz_kindword *best = NULL;
    int best_k = 0, best_pre = 0;
    for (size_t i = 0; i < NKINDWORDS; i++) {
        const struct evm_gz_kindword *kw = &kindwords[i];
        int words = kw_words[i], k;
        if (words >= w->n || words <= best_k)
            continue;
        if ((kw->where & SUF) && kw_tail_bit[i] == bt &&
            phrase_match(w, w->n - words, kw->phrase, &k)) {
            best = kw;
            best_k = k;
            best_pre = 0;
        } else if ((kw->where & PRE) && kw_head_bit[i] == bh &&
                   phrase_match(w, 0, kw->phrase, &k)) {
            best = kw;
            best_k = k;
            best_pre = 1;
        }
    }
    if (!best)
        return NULL;
    *from = best_pre ? best_k : 0;
    *to = best_pre ? w->n : w->n - best_k;
    return best;
}

const struct evm_gz_kindword *evm__gz_parse_kind(const char *s)
{
    struct evm_gz_words w;
    char want[256];
    if (!s || evm__gz_words(s, strlen(s), &w) < 0 || w.n == 0)
        return NULL;
    /* the words joined by single spaces, as phrases are written */
    size_t len = 0;
    for (int i = 0; i < w.n; i++) {
        if (len + w.wlen[i] + 2 > sizeof want)
            return NULL;
        if (i)
            want[len++] = ' ';
        memcpy(want + len, w.buf + w.start[i], w.wlen[i]);
        len += w.wlen[i];
    }
    want[len] = '\0';
    for (size_t i = 0; i < sizeof kindnames / sizeof kindnames[0]; i++)
        if (strcmp(kindnames[i].phrase, want) == 0)
            return &kindnames[i];
    for (size_t i = 0; i < NKINDWORDS; i++)
        if (strcmp(kindwords[i].phrase, want) == 0)
            return &kindwords[i];
    /* plural or "of" forms: "oil fields", "airports" */
    if (len > 1 && want[len - 1] == 's') {
        want[len - 1] = '\0';
        for (size_t i = 0; i < NKINDWORDS; i++)
            if (strcmp(kindwords[i].phrase, want) == 0)
                return &kindwords[i];
    }
    return NULL;
}

evm_kind evm__gz_kind_of(const char *kind_name)
{
    const struct evm_gz_kindword *kw = evm__gz_parse_kind(kind_name);
    return kw ? (evm_kind)kw->kind : EVM_KIND_SITE;
}

const char *evm_kind_str(evm_kind k)
{
    static const char *const names[] = {"country", "admin1", "admin2",
                                        "city", "airport", "port", "water",
                                        "physical", "site"};
    if ((int)k < 0 || k >= EVM_KIND_COUNT)
        return "unknown";
    return names[k];
}
