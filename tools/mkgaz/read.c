/* mkgaz: reads the shipped tables (admin-1 names, GeoNames places, the
 * curated sites and water, aliases, current names) and ranks the places. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkgaz.h"

struct place *places;
size_t nplaces;
static size_t capplaces;
struct strtab kindnames, admin1codes;
char **admin1names;

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

void read_admin1(const char *path)
{
    struct tsv t;
    char *fld[4];
    int nf;
    tsv_open(&t, path, NULL);
    while ((nf = tsv_row(&t, fld, 4)) >= 0) {
        if (nf != 2)
            die("%s:%ld: expected 2 tab-separated fields", path, t.line);
        uint32_t id = strtab_id(&admin1codes, fld[0], strlen(fld[0]));
        admin1names = xrealloc(admin1names, admin1codes.n, sizeof(char *));
        if (id == admin1codes.n - 1)
            admin1names[id] = xstrdup(fld[1]);
    }
    tsv_close(&t);
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

void read_places(const char *path)
{
    struct tsv t;
    char *fld[13];
    int nf;
    tsv_open(&t, path, NULL);
    while ((nf = tsv_row(&t, fld, 13)) >= 0) {
        long line = t.line;
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
    tsv_close(&t);
}

/* sites.tsv / water.tsv: name kind lat lon country aliases ref, with a
 * header line and # comments. */
void read_curated(const char *path, int kind, const char *prefix)
{
    struct tsv t;
    char *fld[8];
    int nf;
    tsv_open(&t, path, "name\t");
    while ((nf = tsv_row(&t, fld, 8)) >= 0) {
        long line = t.line;
        if (nf != 7)
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
    tsv_close(&t);
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
void read_aliases(const char *path)
{
    struct tsv t;
    char *fld[4];
    int nf;
    tsv_open(&t, path, "alias\t");
    while ((nf = tsv_row(&t, fld, 4)) >= 0) {
        if (nf != 3 || !*fld[0] || !*fld[1])
            die("%s:%ld: expected 3 tab-separated fields (alias id note)",
                path, t.line);
        add_alt(place_by_id(fld[1], path, t.line), fld[0]);
    }
    tsv_close(&t);
}

/* current.tsv: id name source. The place's current English name where
 * its primary name is a former one: an alternate name that is shown as
 * the display name when a query names the place by it. */
void read_current(const char *path)
{
    struct tsv t;
    char *fld[4];
    int nf;
    tsv_open(&t, path, "id\t");
    while ((nf = tsv_row(&t, fld, 4)) >= 0) {
        long line = t.line;
        if (nf != 3 || !*fld[0] || !*fld[1])
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
    tsv_close(&t);
}

/* Gives places without an admin-1 region (ports, lakes, sites ...) that of
 * the nearest GeoNames town within 50 km, and its country when they have
 * none; places without an admin-2 area get that town's when it lies in
 * their admin-1 region. A 1-degree grid keeps this linear. */
void assign_admin1(void)
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
double importance(const struct place *p)
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

