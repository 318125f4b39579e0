/* mkgaz: compiles the shipped gazetteer tables into the mmap'ed index.
 *
 * Usage: mkgaz DIR OUT
 *   DIR holds places.tsv.gz, admin1.tsv.gz and current.tsv (written by
 *   scripts/build-gazetteer), the curated sites.tsv and water.tsv and
 *   aliases.tsv. OUT (build/gazetteer.evg) is written atomically.
 *
 * The format is described in src/gazetteer/gaz_int.h. Names are
 * normalised with the same code the lookup uses (evm__gz_words), so the
 * two always agree. Place importance (the prominence term of the ranking,
 * gazetteer/README.md) is computed here and stored with each place; places,
 * names and postings are then laid out by it, so that a lookup reads
 * records that sit together. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "core/core.h"
#include "gazetteer/gaz_int.h"

struct place {
    double lat, lon;
    char *name, *id, *admin1code, *klass;
    const char *kind_name;
    char cc[3];
    long pop;
    int kind, source, flags;
    char **names, **codes; /* NULL-terminated */
    char *current;         /* current English name (current.tsv) or NULL */
    const char *admin2code;/* GeoNames admin-2 code ("NG.05.123") or NULL */
    uint32_t admin1, admin2;
    uint16_t importance;
};

struct post {
    uint32_t key, place;
    uint8_t type;
};

/* ------------------------------------------------------------- helpers */

/* A build tool that exits right after its work: leak reports from
 * sanitizer builds would only be noise. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                     noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mkgaz: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n, size_t size)
{
    void *q = evm__reallocarray(p, n, size);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = evm__strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

/* Splits s on sep in place into at most max fields; returns the count. */
static int split(char *s, char sep, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p; p++)
        if (*p == sep) {
            *p = '\0';
            if (n == max)
                return -1;
            f[n++] = p + 1;
        }
    return n;
}

static char **split_list(const char *s)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == '|';
    char **v = xrealloc(NULL, n + 1, sizeof *v);
    size_t k = 0;
    const char *p = s;
    while (*s) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            v[k] = evm__strndup(p, len);
            if (!v[k])
                die("out of memory");
            k++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    v[k] = NULL;
    return v;
}

/* Reads one line of any length from a (possibly gzip'ed) file. Returns
 * NULL at the end. The buffer is reused between calls. */
static char *read_line(gzFile f, char **buf, size_t *cap)
{
    size_t len = 0;
    if (!*buf) {
        *cap = 65536;
        *buf = xrealloc(NULL, *cap, 1);
    }
    for (;;) {
        if (!gzgets(f, *buf + len, (int)(*cap - len)))
            return len ? *buf : NULL;
        len += strlen(*buf + len);
        if (len && (*buf)[len - 1] == '\n') {
            (*buf)[--len] = '\0';
            if (len && (*buf)[len - 1] == '\r')
                (*buf)[--len] = '\0';
            return *buf;
        }
        if (len + 1 < *cap) /* end of file without newline */
            return *buf;
        *cap *= 2;
        *buf = xrealloc(*buf, *cap, 1);
    }
}

/* ------------------------------------------------------- string interning */

struct strtab {
    char **s;          /* by id */
    uint32_t *len;
    uint32_t n, cap;
    uint32_t *slots;   /* id + 1 */
    uint32_t nslots;
};

static void strtab_grow(struct strtab *t)
{
    uint32_t ns = t->nslots ? t->nslots * 2 : 1u << 16;
    uint32_t *sl = calloc(ns, sizeof *sl);
    if (!sl)
        die("out of memory");
    for (uint32_t i = 0; i < t->nslots; i++) {
        uint32_t id = t->slots[i];
        if (!id)
            continue;
        uint32_t h = evm__gz_hash(t->s[id - 1], t->len[id - 1]) & (ns - 1);
        while (sl[h])
            h = (h + 1) & (ns - 1);
        sl[h] = id;
    }
    free(t->slots);
    t->slots = sl;
    t->nslots = ns;
}

/* Returns the id of s (interned on first sight). */
static uint32_t strtab_id(struct strtab *t, const char *s, size_t n)
{
    if ((uint64_t)(t->n + 1) * 2 > t->nslots)
        strtab_grow(t);
    uint32_t h = evm__gz_hash(s, n) & (t->nslots - 1);
    while (t->slots[h]) {
        uint32_t id = t->slots[h] - 1;
        if (t->len[id] == n && memcmp(t->s[id], s, n) == 0)
            return id;
        h = (h + 1) & (t->nslots - 1);
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->s = xrealloc(t->s, t->cap, sizeof *t->s);
        t->len = xrealloc(t->len, t->cap, sizeof *t->len);
    }
    t->s[t->n] = evm__strndup(s, n);
    if (!t->s[t->n])
        die("out of memory");
    t->len[t->n] = (uint32_t)n;
    t->slots[h] = t->n + 1;
    return t->n++;
}

/* ----------------------------------------------------------------- data */

static struct place *places;
static size_t nplaces, capplaces;
static struct strtab kindnames, admin1codes;
static char **admin1names;

static struct place *new_place(void)
{
    if (nplaces == capplaces) {
        capplaces = capplaces ? capplaces * 2 : 65536;
        places = xrealloc(places, capplaces, sizeof *places);
    }
    struct place *p = &places[nplaces++];
    memset(p, 0, sizeof *p);
    p->admin1 = EVM_GZ_NO_ADMIN1;
    p->admin2 = EVM_GZ_NO_ADMIN2;
    return p;
}

static int kind_from_str(const char *s)
{
    for (int k = 0; k < EVM_KIND_COUNT; k++)
        if (strcmp(evm_kind_str((evm_kind)k), s) == 0)
            return k;
    return -1;
}

static const char *intern_kind_name(const char *s)
{
    uint32_t id = strtab_id(&kindnames, s, strlen(s));
    if (id >= EVM_GZ_KIND_NAMES)
        die("more than %d kinds of place", EVM_GZ_KIND_NAMES);
    return kindnames.s[id];
}

static double num(const char *s, const char *file, long line)
{
    double v;
    if (evm__parse_double(s, &v) < 0)
        die("%s:%ld: \"%s\" is not a number", file, line, s);
    return v;
}

static void read_admin1(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL, *fld[4];
    size_t cap = 0;
    long line = 0;
    char *l;
    while ((l = read_line(f, &buf, &cap))) {
        line++;
        if (split(l, '\t', fld, 4) != 2)
            die("%s:%ld: expected 2 tab-separated fields", path, line);
        uint32_t id = strtab_id(&admin1codes, fld[0], strlen(fld[0]));
        admin1names = xrealloc(admin1names, admin1codes.n, sizeof(char *));
        if (id == admin1codes.n - 1)
            admin1names[id] = xstrdup(fld[1]);
    }
    free(buf);
    gzclose(f);
}

static uint32_t admin1_index(const char *code)
{
    if (!*code)
        return EVM_GZ_NO_ADMIN1;
    uint32_t n = admin1codes.n;
    uint32_t id = strtab_id(&admin1codes, code, strlen(code));
    if (id == n) { /* a code the table lacks: name it by its code */
        admin1names = xrealloc(admin1names, admin1codes.n, sizeof(char *));
        admin1names[id] = xstrdup(code);
    }
    return id;
}

static void read_places(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL, *fld[13];
    size_t cap = 0;
    long line = 0;
    char *l;
    while ((l = read_line(f, &buf, &cap))) {
        line++;
        int nf = split(l, '\t', fld, 13);
        if (nf != 12 && nf != 13)
            die("%s:%ld: expected 12 or 13 tab-separated fields", path,
                line);
        struct place *p = new_place();
        p->id = xstrdup(fld[0]);
        p->kind = kind_from_str(fld[1]);
        if (p->kind < 0)
            die("%s:%ld: unknown kind \"%s\"", path, line, fld[1]);
        p->kind_name = intern_kind_name(fld[2]);
        p->name = xstrdup(fld[3]);
        p->lat = num(fld[4], path, line);
        p->lon = num(fld[5], path, line);
        if (strlen(fld[6]) == 2)
            memcpy(p->cc, fld[6], 3);
        p->admin1 = admin1_index(fld[7]);
        p->pop = (long)num(*fld[8] ? fld[8] : "0", path, line);
        p->klass = xstrdup(fld[9]);
        p->codes = split_list(fld[10]);
        p->names = split_list(fld[11]);
        if (nf == 13 && *fld[12])
            p->admin2code = xstrdup(fld[12]);
        p->source = strncmp(p->id, "ne:", 3) == 0 ? EVM_GZ_SRC_NE
                    : strncmp(p->id, "ourairports:", 12) == 0
                        ? EVM_GZ_SRC_OURAIRPORTS
                        : EVM_GZ_SRC_GEONAMES;
        if (!strcmp(p->klass, "PPLC"))
            p->flags |= EVM_GZ_F_CAPITAL;
        if (!strcmp(p->klass, "PPLA") || !strcmp(p->klass, "PPLA2"))
            p->flags |= EVM_GZ_F_SEAT;
        if (strstr(p->kind_name, "base"))
            p->flags |= EVM_GZ_F_MILITARY;
    }
    free(buf);
    gzclose(f);
}

/* sites.tsv / water.tsv: name kind lat lon country aliases ref, with a
 * header line and # comments. */
static void read_curated(const char *path, int kind, const char *prefix)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL, *fld[8];
    size_t cap = 0;
    long line = 0;
    char *l;
    while ((l = read_line(f, &buf, &cap))) {
        line++;
        if (l[0] == '#' || l[0] == '\0' || strncmp(l, "name\t", 5) == 0)
            continue;
        if (split(l, '\t', fld, 8) != 7)
            die("%s:%ld: expected 7 tab-separated fields (name kind lat "
                "lon country aliases ref)", path, line);
        if (!*fld[0] || !*fld[1] || !*fld[6])
            die("%s:%ld: name, kind and ref must not be empty", path, line);
        struct place *p = new_place();
        p->name = xstrdup(fld[0]);
        p->kind = kind;
        /* towns the sources lack are towns, not sites */
        if (kind == EVM_KIND_SITE &&
            (!strcmp(fld[1], "town") || !strcmp(fld[1], "village") ||
             !strcmp(fld[1], "city")))
            p->kind = EVM_KIND_CITY;
        p->kind_name = intern_kind_name(fld[1]);
        p->lat = num(fld[2], path, line);
        p->lon = num(fld[3], path, line);
        if (fabs(p->lat) > 90 || fabs(p->lon) > 180)
            die("%s:%ld: coordinates out of range", path, line);
        if (*fld[4] && strlen(fld[4]) != 2)
            die("%s:%ld: country must be an ISO alpha-2 code", path, line);
        if (*fld[4])
            memcpy(p->cc, fld[4], 3);
        p->names = split_list(fld[5]);
        p->codes = split_list("");
        p->klass = xstrdup("");
        p->source = EVM_GZ_SRC_SITES;
        if (strstr(fld[1], "base"))
            p->flags |= EVM_GZ_F_MILITARY;
        struct evm_gz_words w;
        char key[256];
        if (evm__gz_words(p->name, strlen(p->name), &w) < 0 ||
            evm__gz_key(&w, 0, w.n, key, sizeof key) <= 0)
            die("%s:%ld: cannot normalise \"%s\"", path, line, p->name);
        size_t n = strlen(prefix) + strlen(key) + 2;
        p->id = xrealloc(NULL, n, 1);
        snprintf(p->id, n, "%s:%s", prefix, key);
    }
    free(buf);
    gzclose(f);
}

/* The index of the place with id s (places read so far); dies naming
 * file:line if there is none. */
static struct strtab ids;
static size_t nids;

static struct place *place_by_id(const char *s, const char *path, long line)
{
    for (; nids < nplaces; nids++)
        strtab_id(&ids, places[nids].id, strlen(places[nids].id));
    uint32_t n = ids.n;
    uint32_t id = strtab_id(&ids, s, strlen(s));
    if (id == n)
        die("%s:%ld: no place has the id \"%s\"", path, line, s);
    return &places[id];
}

static void add_alt(struct place *p, const char *name)
{
    size_t k = 0;
    while (p->names[k])
        k++;
    p->names = xrealloc(p->names, k + 2, sizeof *p->names);
    p->names[k] = xstrdup(name);
    p->names[k + 1] = NULL;
}

/* aliases.tsv: alias id note. Adds alias as an alternate name of the
 * place with that id. */
static void read_aliases(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL, *fld[4];
    size_t cap = 0;
    long line = 0;
    char *l;
    while ((l = read_line(f, &buf, &cap))) {
        line++;
        if (l[0] == '#' || l[0] == '\0' || strncmp(l, "alias\t", 6) == 0)
            continue;
        if (split(l, '\t', fld, 4) != 3 || !*fld[0] || !*fld[1])
            die("%s:%ld: expected 3 tab-separated fields (alias id note)",
                path, line);
        add_alt(place_by_id(fld[1], path, line), fld[0]);
    }
    free(buf);
    gzclose(f);
}

/* current.tsv: id name source. The place's current English name where
 * its primary name is a former one: an alternate name that is shown as
 * the display name when a query names the place by it. */
static void read_current(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL, *fld[4];
    size_t cap = 0;
    long line = 0;
    char *l;
    while ((l = read_line(f, &buf, &cap))) {
        line++;
        if (l[0] == '#' || l[0] == '\0' || strncmp(l, "id\t", 3) == 0)
            continue;
        if (split(l, '\t', fld, 4) != 3 || !*fld[0] || !*fld[1])
            die("%s:%ld: expected 3 tab-separated fields (id name source)",
                path, line);
        struct place *p = place_by_id(fld[0], path, line);
        if (p->current)
            die("%s:%ld: a second current name for \"%s\"", path, line,
                fld[0]);
        struct evm_gz_words w;
        if (evm__gz_words(fld[1], strlen(fld[1]), &w) < 0 || w.n == 0)
            die("%s:%ld: cannot normalise \"%s\"", path, line, fld[1]);
        p->current = xstrdup(fld[1]);
    }
    free(buf);
    gzclose(f);
}

/* Gives places without an admin-1 region (ports, lakes, sites ...) that of
 * the nearest GeoNames town within 50 km, and its country when they have
 * none; places without an admin-2 area get that town's when it lies in
 * their admin-1 region. A 1-degree grid keeps this linear. */
static void assign_admin1(void)
{
    enum { W = 360, H = 180 };
    uint32_t *head = malloc(sizeof(uint32_t) * W * H);
    uint32_t *next = malloc(sizeof(uint32_t) * (nplaces ? nplaces : 1));
    if (!head || !next)
        die("out of memory");
    memset(head, 0xff, sizeof(uint32_t) * W * H);
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        if (p->kind != EVM_KIND_CITY || p->admin1 == EVM_GZ_NO_ADMIN1)
            continue;
        int gx = (int)floor(p->lon + 180) % W, gy = (int)floor(p->lat + 90);
        if (gy < 0) gy = 0;
        if (gy >= H) gy = H - 1;
        next[i] = head[gy * W + gx];
        head[gy * W + gx] = (uint32_t)i;
    }
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        if ((p->kind == EVM_KIND_CITY && p->source != EVM_GZ_SRC_SITES) ||
            p->kind == EVM_KIND_COUNTRY || p->kind == EVM_KIND_ADMIN1 || p->kind == EVM_KIND_ADMIN2 ||
            (p->admin1 != EVM_GZ_NO_ADMIN1 && p->admin2code))
            continue;
        int gx = (int)floor(p->lon + 180), gy = (int)floor(p->lat + 90);
        double best = 50;
        uint32_t bi = UINT32_MAX;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int y = gy + dy, x = ((gx + dx) % W + W) % W;
                if (y < 0 || y >= H)
                    continue;
                for (uint32_t c = head[y * W + x]; c != UINT32_MAX;
                     c = next[c]) {
                    struct place *q = &places[c];
                    if (p->cc[0] && strcmp(p->cc, q->cc) != 0)
                        continue;
                    double d = evm__distance_km(p->lat, p->lon, q->lat,
                                                q->lon);
                    if (d < best) {
                        best = d;
                        bi = c;
                    }
                }
            }
        if (bi != UINT32_MAX) {
            if (p->admin1 == EVM_GZ_NO_ADMIN1)
                p->admin1 = places[bi].admin1;
            if (p->admin1 == places[bi].admin1)
                p->admin2code = places[bi].admin2code;
            if (!p->cc[0])
                memcpy(p->cc, places[bi].cc, 3);
        }
    }
    free(head);
    free(next);
}

/* Prominence in 0..1, the ranking's kind priority: country > capital >
 * admin region > city by population > everything else. */
static double importance(const struct place *p)
{
    double popf = p->pop > 1 ? log10((double)p->pop) / 7.3 : 0;
    double scale = 0;
    if (popf > 1)
        popf = 1;
    if (*p->klass >= '0' && *p->klass <= '9')
        scale = atof(p->klass);
    switch (p->kind) {
    case EVM_KIND_COUNTRY:
        return 1.0;
    case EVM_KIND_ADMIN1:
        return 0.80;
    case EVM_KIND_ADMIN2:
        /* below every town: a district is named after its seat, which a
         * bare name means; bigger districts (by their towns' people)
         * first */
        return 0.40 + 0.10 * popf;
    case EVM_KIND_CITY: {
        if (p->flags & EVM_GZ_F_CAPITAL)
            return 0.90 + 0.05 * popf;
        double v = 0.30 + 0.55 * popf;
        if (!strcmp(p->klass, "PPLA"))
            v += 0.05;
        else if (!strcmp(p->klass, "PPLA2"))
            v += 0.02;
        else if (!strcmp(p->klass, "PPLX"))
            v -= 0.08;
        else if (!strcmp(p->kind_name, "historical place"))
            v -= 0.15;
        return v < 0.05 ? 0.05 : v;
    }
    case EVM_KIND_AIRPORT: {
        double v = !strcmp(p->klass, "large")    ? 0.55
                   : !strcmp(p->klass, "medium") ? 0.45
                                                 : 0.35;
        if (p->source == EVM_GZ_SRC_SITES)
            v = 0.65;
        return v + (p->flags & EVM_GZ_F_MILITARY ? 0.05 : 0);
    }
    case EVM_KIND_PORT:
        return 0.45 - 0.015 * scale;
    case EVM_KIND_WATER:
        if (p->source == EVM_GZ_SRC_SITES)
            return strstr(p->kind_name, "sea") ||
                           strstr(p->kind_name, "ocean")
                       ? 0.75
                       : 0.70;
        if (p->source == EVM_GZ_SRC_NE)
            return 0.55 - 0.025 * scale;
        return 0.30;
    case EVM_KIND_PHYSICAL:
        if (p->source == EVM_GZ_SRC_NE)
            return 0.50 - 0.025 * scale;
        return 0.25;
    case EVM_KIND_SITE:
    default:
        return 0.65;
    }
}

/* ----------------------------------------------------------------- keys */

static struct strtab keys;
static struct post *posts;
static size_t nposts, capposts;

static void add_key(const char *key, size_t len, uint32_t place, int type)
{
    if (len == 0 || len > 255)
        return;
    if (nposts == capposts) {
        capposts = capposts ? capposts * 2 : 1u << 20;
        posts = xrealloc(posts, capposts, sizeof *posts);
    }
    posts[nposts].key = strtab_id(&keys, key, len);
    posts[nposts].place = place;
    posts[nposts].type = (uint8_t)type;
    nposts++;
}

static void add_name(const char *name, uint32_t place, int type, int strip)
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (evm__gz_words(name, strlen(name), &w) < 0 || w.n == 0)
        return;
    int n = evm__gz_key(&w, 0, w.n, key, sizeof key);
    if (n > 0)
        add_key(key, (size_t)n, place, type);
    int from, to;
    if (strip && evm__gz_strip_kind(&w, &from, &to)) {
        n = evm__gz_key(&w, from, to, key, sizeof key);
        if (n > 0)
            add_key(key, (size_t)n, place, EVM_GZ_M_STRIP);
    }
}

/* Which match type of a (key, place) pair is kept when a place has a
 * name several ways: its own name, then its current name, an alternate
 * name, a code, a name without its kind words. */
static int type_rank(int t)
{
    switch (t) {
    case EVM_GZ_M_PRIMARY: return 0;
    case EVM_GZ_M_CURRENT: return 1;
    case EVM_GZ_M_ALT: return 2;
    case EVM_GZ_M_CODE: return 3;
    }
    return 4;
}

/* the order keys are written in (by key id), once it is known */
static uint32_t *key_pos;

static int cmp_post_key(const void *a, const void *b)
{
    const struct post *x = a, *y = b;
    uint32_t kx = key_pos ? key_pos[x->key] : x->key;
    uint32_t ky = key_pos ? key_pos[y->key] : y->key;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    uint16_t ix = places[x->place].importance;
    uint16_t iy = places[y->place].importance;
    if (ix != iy)
        return ix > iy ? -1 : 1;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    return type_rank(x->type) - type_rank(y->type);
}

/* Places by importance, most prominent first; equal ones keep their
 * order (the ranking's last tie-break). */
static int cmp_place_order(const void *a, const void *b)
{
    const struct place *x = &places[*(const uint32_t *)a];
    const struct place *y = &places[*(const uint32_t *)b];
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    return i < j ? -1 : i > j;
}

/* Keys: those the suggestions may propose first, then by the importance
 * of their best place, then by that place, then in order of creation. */
struct keyinfo {
    uint32_t first, n;   /* run in the sorted postings */
    uint16_t importance; /* of the best place */
    uint8_t fuzzy;
};
static struct keyinfo *kinfo;

static int cmp_key_order(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const struct keyinfo *x = &kinfo[i], *y = &kinfo[j];
    if (x->fuzzy != y->fuzzy)
        return x->fuzzy ? -1 : 1;
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    uint32_t px = posts[x->first].place, py = posts[y->first].place;
    if (px != py)
        return px < py ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* LEB128: 7 bits a byte, low bits first. Returns the bytes written. */
static size_t put_varint(uint8_t *out, uint32_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (out)
            out[n] = (uint8_t)(b | (v ? 0x80 : 0));
        n++;
    } while (v);
    return n;
}

/* ------------------------------------------------------------- writing */

struct pool {
    char *data;
    size_t len, cap;
    struct strtab dedup;
    uint32_t *off; /* by dedup id */
};

static uint32_t pool_add(struct pool *p, const char *s)
{
    size_t n = strlen(s);
    uint32_t before = p->dedup.n;
    uint32_t id = strtab_id(&p->dedup, s, n);
    if (id < before)
        return p->off[id];
    if (p->len + n + 1 > p->cap) {
        while (p->len + n + 1 > p->cap)
            p->cap = p->cap ? p->cap * 2 : 1u << 20;
        p->data = xrealloc(p->data, p->cap, 1);
    }
    p->off = xrealloc(p->off, p->dedup.n, sizeof *p->off);
    p->off[id] = (uint32_t)p->len;
    memcpy(p->data + p->len, s, n + 1);
    p->len += n + 1;
    if (p->len > UINT32_MAX)
        die("string pool over 4 GB");
    return p->off[id];
}

static void put(FILE *f, const void *p, size_t n, uint64_t *at)
{
    if (n && fwrite(p, 1, n, f) != n)
        die("write failed: %s", strerror(errno));
    *at += n;
    static const char zero[8];
    size_t pad = (size_t)((8 - *at % 8) % 8);
    if (pad && fwrite(zero, 1, pad, f) != pad)
        die("write failed: %s", strerror(errno));
    *at += pad;
}

/* Links each place to its admin-2 area (a place index), by the code the
 * area carries. After places are sorted. */
static void link_admin2(void)
{
    struct strtab codes = {0};
    uint32_t *area = NULL;
    for (size_t i = 0; i < nplaces; i++) {
        const struct place *p = &places[i];
        if (p->kind != EVM_KIND_ADMIN2 || !p->admin2code)
            continue;
        uint32_t n = codes.n;
        uint32_t id = strtab_id(&codes, p->admin2code,
                                strlen(p->admin2code));
        if (id == n) {
            area = xrealloc(area, codes.n, sizeof *area);
            area[id] = (uint32_t)i;
        }
    }
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        if (!p->admin2code)
            continue;
        uint32_t n = codes.n;
        uint32_t id = strtab_id(&codes, p->admin2code,
                                strlen(p->admin2code));
        if (id < n)
            p->admin2 = area[id];
    }
    free(area);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkgaz DIR OUT\n");
        return 2;
    }
    clock_t t0 = clock();
    const char *dir = argv[1];
    char path[4096];
    snprintf(path, sizeof path, "%s/admin1.tsv.gz", dir);
    read_admin1(path);
    snprintf(path, sizeof path, "%s/places.tsv.gz", dir);
    read_places(path);
    snprintf(path, sizeof path, "%s/sites.tsv", dir);
    read_curated(path, EVM_KIND_SITE, "sites");
    snprintf(path, sizeof path, "%s/water.tsv", dir);
    read_curated(path, EVM_KIND_WATER, "water");
    snprintf(path, sizeof path, "%s/aliases.tsv", dir);
    read_aliases(path);
    snprintf(path, sizeof path, "%s/current.tsv", dir);
    read_current(path);
    if (nplaces >= (1u << 28))
        die("too many places");
    assign_admin1();

    for (size_t i = 0; i < nplaces; i++) {
        double v = importance(&places[i]);
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        places[i].importance = (uint16_t)lround(v * 10000);
    }
    /* most prominent places first */
    {
        uint32_t *order = xrealloc(NULL, nplaces + 1, sizeof *order);
        for (size_t i = 0; i < nplaces; i++)
            order[i] = (uint32_t)i;
        qsort(order, nplaces, sizeof *order, cmp_place_order);
        struct place *sorted = xrealloc(NULL, nplaces + 1, sizeof *sorted);
        for (size_t i = 0; i < nplaces; i++)
            sorted[i] = places[order[i]];
        free(places);
        free(order);
        places = sorted;
    }
    link_admin2();
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        /* kind words are only taken off the names of non-populated
         * places: "Lake Charles" and "Port Said" are towns */
        int strip = p->kind != EVM_KIND_CITY;
        add_name(p->name, (uint32_t)i, EVM_GZ_M_PRIMARY, strip);
        for (char **n = p->names; *n; n++)
            add_name(*n, (uint32_t)i, EVM_GZ_M_ALT, strip);
        if (p->current)
            add_name(p->current, (uint32_t)i, EVM_GZ_M_CURRENT, 0);
        for (char **c = p->codes; *c; c++) {
            struct evm_gz_words w;
            char key[64];
            if (evm__gz_words(*c, strlen(*c), &w) == 0 &&
                evm__gz_key(&w, 0, w.n, key, sizeof key) > 0)
                add_key(key, strlen(key), (uint32_t)i, EVM_GZ_M_CODE);
        }
    }
    qsort(posts, nposts, sizeof *posts, cmp_post_key);
    /* one posting per (key, place): the best match type */
    size_t m = 0;
    for (size_t i = 0; i < nposts; i++) {
        if (m && posts[m - 1].key == posts[i].key &&
            posts[m - 1].place == posts[i].place) {
            if (type_rank(posts[i].type) < type_rank(posts[m - 1].type))
                posts[m - 1].type = posts[i].type;
            continue;
        }
        posts[m++] = posts[i];
    }
    nposts = m;

    /* key order: the names suggestions may propose first (the primary
     * names of places of some prominence, the alternate names of major
     * ones), each group by the prominence of its best place */
    uint32_t nkeys = keys.n;
    kinfo = xrealloc(NULL, nkeys + 1, sizeof *kinfo);
    memset(kinfo, 0, sizeof *kinfo * (nkeys + 1));
    for (size_t i = 0; i < nposts; i++) {
        struct keyinfo *ki = &kinfo[posts[i].key];
        uint16_t imp = places[posts[i].place].importance;
        int type = posts[i].type;
        if (ki->n == 0) {
            ki->first = (uint32_t)i;
            ki->importance = imp;
        }
        ki->n++;
        if (((type == EVM_GZ_M_PRIMARY || type == EVM_GZ_M_CURRENT) &&
             imp >= 5000) ||
            (type == EVM_GZ_M_ALT && imp >= 7000))
            ki->fuzzy = 1;
    }
    uint32_t nfuzzy = 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        if (kinfo[k].fuzzy && keys.len[k] < 3)
            kinfo[k].fuzzy = 0;
        nfuzzy += kinfo[k].fuzzy;
    }
    uint32_t *key_order = xrealloc(NULL, nkeys + 1, sizeof *key_order);
    for (uint32_t k = 0; k < nkeys; k++)
        key_order[k] = k;
    qsort(key_order, nkeys, sizeof *key_order, cmp_key_order);
    key_pos = xrealloc(NULL, nkeys + 1, sizeof *key_pos);
    for (uint32_t i = 0; i < nkeys; i++)
        key_pos[key_order[i]] = i;
    qsort(posts, nposts, sizeof *posts, cmp_post_key);

    /* string pool: the keys' strings in key order (the suggestions'
     * names together at its start), then each place's name and id */
    struct pool pool = {0};
    pool_add(&pool, "");
    struct evm_gz_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, EVM_GZ_MAGIC, 8);
    h.version = EVM_GZ_VERSION;
    h.endian = 0x01020304;
    h.nkind_names = kindnames.n;
    for (uint32_t i = 0; i < kindnames.n; i++)
        h.kind_names[i] = pool_add(&pool, kindnames.s[i]);
    /* what every answer reads (kind and admin-1 names), near the header
     * that opening the index reads anyway */
    struct evm_gz_admin1 *ga = xrealloc(NULL, admin1codes.n + 1, sizeof *ga);
    for (uint32_t i = 0; i < admin1codes.n; i++) {
        ga[i].name = pool_add(&pool, admin1names[i]);
        ga[i].code = pool_add(&pool, admin1codes.s[i]);
    }
    for (size_t i = 0; i < nplaces; i++)
        if (places[i].current)
            pool_add(&pool, places[i].current);
    struct evm_gz_key *gk = xrealloc(NULL, nkeys + 1, sizeof *gk);
    memset(gk, 0, sizeof *gk * (nkeys + 1));
    for (uint32_t i = 0; i < nkeys; i++) {
        uint32_t k = key_order[i];
        gk[i].str = pool_add(&pool, keys.s[k]);
        gk[i].hash = evm__gz_hash(keys.s[k], keys.len[k]);
    }
    struct evm_gz_place *gp = xrealloc(NULL, nplaces + 1, sizeof *gp);
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        struct evm_gz_place *g = &gp[i];
        memset(g, 0, sizeof *g);
        g->lat_e6 = (int32_t)lround(p->lat * 1e6);
        g->lon_e6 = (int32_t)lround(p->lon * 1e6);
        g->name = pool_add(&pool, p->name);
        g->id = pool_add(&pool, p->id);
        g->admin1 = p->admin1;
        g->admin2 = p->admin2;
        g->pop = p->pop > 0 && p->pop < (long)UINT32_MAX ? (uint32_t)p->pop
                                                         : 0;
        g->importance = p->importance;
        g->kind = (uint8_t)p->kind;
        g->kind_name = (uint8_t)strtab_id(&kindnames, p->kind_name,
                                          strlen(p->kind_name));
        memcpy(g->cc, p->cc, 2);
        g->source = (uint8_t)p->source;
        g->flags = (uint8_t)p->flags;
    }

    /* postings, hash */
    uint32_t *gpost = xrealloc(NULL, nposts + 1, sizeof *gpost);
    for (size_t i = 0; i < nposts; i++) {
        struct evm_gz_key *k = &gk[key_pos[posts[i].key]];
        if (k->npost == 0)
            k->post = (uint32_t)i;
        k->npost++;
        gpost[i] = posts[i].place | ((uint32_t)posts[i].type << 28);
    }
    uint32_t hsize = 1;
    while (hsize < nkeys * 2u)
        hsize <<= 1;
    uint32_t *hash = calloc(hsize, sizeof *hash);
    if (!hash)
        die("out of memory");
    for (uint32_t k = 0; k < nkeys; k++) {
        uint32_t s = gk[k].hash & (hsize - 1);
        while (hash[s])
            s = (s + 1) & (hsize - 1);
        hash[s] = k + 1;
    }

    /* current names, of the places that some key finds by one (not
     * where it is also the place's own name) */
    struct evm_gz_current *gc = xrealloc(NULL, nplaces + 1, sizeof *gc);
    uint32_t ncurrent = 0;
    uint8_t *by_current = calloc(nplaces + 1, 1);
    if (!by_current)
        die("out of memory");
    for (size_t i = 0; i < nposts; i++)
        if (posts[i].type == EVM_GZ_M_CURRENT)
            by_current[posts[i].place] = 1;
    for (size_t i = 0; i < nplaces; i++)
        if (places[i].current && by_current[i]) {
            gc[ncurrent].place = (uint32_t)i;
            gc[ncurrent].name = pool_add(&pool, places[i].current);
            ncurrent++;
        }

    /* fuzzy index: the suggestions' names are keys 0 .. nfuzzy - 1, in
     * order of prominence; each trigram's list holds them ascending */
    uint32_t *fuzzy = xrealloc(NULL, nfuzzy + 1, sizeof *fuzzy);
    for (uint32_t f = 0; f < nfuzzy; f++)
        fuzzy[f] = gk[f].str;
    uint32_t *tstart = calloc(EVM_GZ_TRI_BUCKETS + 1, sizeof *tstart);
    uint32_t *last = malloc(EVM_GZ_TRI_BUCKETS * sizeof *last);
    if (!tstart || !last)
        die("out of memory");
    uint8_t *tri = NULL;
    size_t ntri = 0;
    /* two passes: bytes per bucket, then the bytes */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            uint64_t acc = 0;
            for (uint32_t b = 0; b <= EVM_GZ_TRI_BUCKETS; b++) {
                uint32_t c = tstart[b];
                tstart[b] = (uint32_t)acc;
                acc += c;
            }
            if (acc > UINT32_MAX)
                die("trigram index over 4 GB");
            ntri = (size_t)acc;
            tri = xrealloc(NULL, ntri + 1, 1);
            fill = xrealloc(NULL, EVM_GZ_TRI_BUCKETS, sizeof *fill);
            memcpy(fill, tstart, EVM_GZ_TRI_BUCKETS * sizeof *fill);
        }
        memset(last, 0xff, EVM_GZ_TRI_BUCKETS * sizeof *last);
        for (uint32_t f = 0; f < nfuzzy; f++) {
            uint32_t bk[EVM_GZ_MAX_TRI];
            uint32_t k = key_order[f];
            int nb = evm__gz_trigrams(keys.s[k], keys.len[k], bk);
            for (int i = 0; i < nb; i++) {
                uint32_t b = bk[i];
                uint32_t gap = f - (last[b] + 1); /* last = -1: f itself */
                last[b] = f;
                if (pass == 0)
                    tstart[b + 1] += (uint32_t)put_varint(NULL, gap);
                else
                    fill[b] += (uint32_t)put_varint(tri + fill[b], gap);
            }
        }
        if (pass == 0) { /* counts were stored shifted by one */
            for (uint32_t b = 0; b < EVM_GZ_TRI_BUCKETS; b++)
                tstart[b] = tstart[b + 1];
            tstart[EVM_GZ_TRI_BUCKETS] = 0;
        }
        free(fill);
    }
    free(last);

    /* layout */
    uint64_t at = 0;
#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)
    at = ALIGN8(sizeof h);
    h.off_admin1 = at;
    at = ALIGN8(at + admin1codes.n * sizeof *ga);
    h.off_current = at;
    at = ALIGN8(at + (uint64_t)ncurrent * sizeof *gc);
    h.off_strings = at;
    h.len_strings = pool.len;
    at = ALIGN8(at + pool.len);
    h.off_places = at;
    at = ALIGN8(at + nplaces * sizeof *gp);
    h.off_keys = at;
    at = ALIGN8(at + (uint64_t)nkeys * sizeof *gk);
    h.off_posts = at;
    at = ALIGN8(at + nposts * sizeof *gpost);
    h.off_hash = at;
    at = ALIGN8(at + (uint64_t)hsize * sizeof *hash);
    h.off_fuzzy = at;
    at = ALIGN8(at + (uint64_t)nfuzzy * sizeof *fuzzy);
    h.off_tri_start = at;
    at = ALIGN8(at + (EVM_GZ_TRI_BUCKETS + 1) * sizeof *tstart);
    h.off_tri = at;
    at = ALIGN8(at + ntri);
    h.file_size = at;
    h.nplaces = (uint32_t)nplaces;
    h.nadmin1 = admin1codes.n;
    h.nkeys = nkeys;
    h.nposts = (uint32_t)nposts;
    h.hash_size = hsize;
    h.nfuzzy = nfuzzy;
    h.ntri = (uint32_t)ntri;
    h.ncurrent = ncurrent;

    evm_error err = {0};
    evm_atomic out;
    if (evm__atomic_open(&out, argv[2], &err) != EVM_OK)
        die("%s", err.msg);
    uint64_t w = 0;
    put(out.f, &h, sizeof h, &w);
    put(out.f, ga, admin1codes.n * sizeof *ga, &w);
    put(out.f, gc, (size_t)ncurrent * sizeof *gc, &w);
    put(out.f, pool.data, pool.len, &w);
    put(out.f, gp, nplaces * sizeof *gp, &w);
    put(out.f, gk, (size_t)nkeys * sizeof *gk, &w);
    put(out.f, gpost, nposts * sizeof *gpost, &w);
    put(out.f, hash, (size_t)hsize * sizeof *hash, &w);
    put(out.f, fuzzy, (size_t)nfuzzy * sizeof *fuzzy, &w);
    put(out.f, tstart, (EVM_GZ_TRI_BUCKETS + 1) * sizeof *tstart, &w);
    put(out.f, tri, ntri, &w);
    if (w != h.file_size)
        die("internal error: wrote %llu bytes, planned %llu",
            (unsigned long long)w, (unsigned long long)h.file_size);
    if (evm__atomic_commit(&out, &err) != EVM_OK)
        die("%s", err.msg);
    fprintf(stderr,
            "mkgaz: %zu places, %u names, %zu postings, %u fuzzy names, "
            "%u current names, %.1f MB in %.2f s -> %s\n",
            nplaces, nkeys, nposts, nfuzzy, ncurrent,
            (double)h.file_size / 1e6,
            (double)(clock() - t0) / CLOCKS_PER_SEC, argv[2]);
    /* the process ends here: the OS reclaims the build's memory */
    return 0;
}
