/* What a table drawn without a spec shows besides its events: a title
 * naming the source and the country ("UCDP GED: Bangladesh"), a subtitle
 * with the date range and the counts ("1989–2018 · 601 events, 1,234
 * deaths"), the source's attribution, and the user's frame and style
 * (evm_table_opts.title, subtitle, extent, style). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basemap/basemap.h"
#include "core/core.h"
#include "core/date.h"
#include "spec/build.h"
#include "tables/reader.h"

/* n with thousands separators: "1,234". */
static void thousands(long n, char out[32])
{
    char d[24];
    int len = snprintf(d, sizeof d, "%ld", n < 0 ? -n : n), k = 0;
    if (n < 0)
        out[k++] = '-';
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = '\0';
}

/* "6 January 2022" of an ISO day into out, with the year unless
 * no_year; "" when day is none. Returns the day number (since 1970), or
 * 0. */
static long day_label(const char *day, int no_year, char out[64])
{
    long days, y;
    int m, d;
    out[0] = '\0';
    if (evm__day_parse(day, &days) != 0)
        return 0;
    evm__civil_from_days(days, &y, &m, &d);
    if (no_year)
        snprintf(out, 64, "%d %s", d, evm__month_name(m));
    else
        snprintf(out, 64, "%d %s %ld", d, evm__month_name(m), y);
    return days;
}

/* "6 January 2022", "4–9 January 2022", "4 January – 9 March 2022",
 * "3 December 2021 – 9 January 2022", or "1989–2018" for a year or
 * more. "" without dates. */
static void date_range(const char *first, const char *last, char *out,
                       size_t size)
{
    char a[64], b[64];
    out[0] = '\0';
    if (!first[0])
        return;
    long d0 = day_label(first, 0, a), d1 = day_label(last, 0, b);
    if (!a[0] || !b[0])
        return;
    if (!strcmp(first, last)) {
        snprintf(out, size, "%s", a);
    } else if (strncmp(first, last, 4) && d1 - d0 >= 365) {
        snprintf(out, size, "%.4s–%.4s", first, last);
    } else if (!strncmp(first, last, 7)) {
        snprintf(out, size, "%d–%s", atoi(first + 8), b);
    } else if (!strncmp(first, last, 4)) {
        day_label(first, 1, a);
        snprintf(out, size, "%s – %s", a, b);
    } else {
        snprintf(out, size, "%s – %s", a, b);
    }
}

/* The country every event is in (its English name), or "" (also
 * without a basemap). -1 when out of memory. */
static int one_country(const evm_map *m, char *out, size_t size)
{
    out[0] = '\0';
    const char *cc = NULL;
    for (int i = 0; i < m->nevents; i++) {
        const char *c = m->events[i].where.resolved_country;
        if (!c[0] || (cc && strcmp(cc, c)))
            return 0;
        cc = c;
    }
    if (!cc)
        return 0;
    evm_error e;
    evm_error_clear(&e);
    evm_basemap *bm = evm_basemap_open(NULL, &e);
    if (!bm && e.code == EVM_E_NOMEM)
        return -1;
    evm_bm_feature f;
    if (bm && evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES, cc, &f) == 0)
        snprintf(out, size, "%s", f.name_en[0] ? f.name_en : f.name);
    evm_basemap_close(bm);
    return 0;
}

/* "601 events, 1,362 deaths", then movements and areas when the table
 * has them (evmap's own output read back); "" for nothing. */
static void counts(const evm_map *m, long deaths, int has_deaths, char *out,
                   size_t size)
{
    char n[32];
    size_t k = 0;
    out[0] = '\0';
    const struct {
        int n;
        const char *one, *many;
    } c[3] = {{m->nevents, "event", "events"},
              {m->nmovements, "movement", "movements"},
              {m->nareas, "area", "areas"}};
    for (int i = 0; i < 3 && k < size; i++) {
        if (c[i].n <= 0)
            continue;
        thousands(c[i].n, n);
        k += (size_t)snprintf(out + k, size - k, "%s%s %s", k ? ", " : "", n,
                              c[i].n == 1 ? c[i].one : c[i].many);
        if (i == 0 && has_deaths && k < size) {
            thousands(deaths, n);
            k += (size_t)snprintf(out + k, size - k, ", %s death%s", n,
                                  deaths == 1 ? "" : "s");
        }
    }
}

/* The title and subtitle made from the data. 0, or -1 out of memory. */
static int titles(evm_map *m, const evm__tfmt *f, const char *path,
                  const evm_table_opts *o)
{
    char first[11] = "", last[11] = "", range[160], country[128];
    long deaths = 0;
    int has_deaths = 0;
    for (int i = 0; i < m->nevents; i++) {
        const evm_event *e = &m->events[i];
        if (e->fatalities >= 0) {
            deaths += e->fatalities;
            has_deaths = 1;
        }
        if (e->date && (!first[0] || strcmp(e->date, first) < 0))
            snprintf(first, sizeof first, "%s", e->date);
        if (e->date && (!last[0] || strcmp(e->date, last) > 0))
            snprintf(last, sizeof last, "%s", e->date);
    }
    if (!o->title) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (one_country(m, country, sizeof country) < 0)
            return -1;
        char t[300];
        if (f && f->title && country[0])
            snprintf(t, sizeof t, "%s: %s", f->title, country);
        else if (f && f->title)
            snprintf(t, sizeof t, "%s", f->title);
        else if (country[0])
            snprintf(t, sizeof t, "%s", country);
        else
            snprintf(t, sizeof t, "%.*s", (int)strcspn(base, "."), base);
        m->title = evm__strdup(t);
    } else {
        m->title = *o->title ? evm__strdup(o->title) : NULL;
    }
    if (!o->subtitle) {
        char s[300];
        date_range(first, last, range, sizeof range);
        counts(m, deaths, has_deaths, s, sizeof s);
        char sub[480];
        snprintf(sub, sizeof sub, "%s%s%s", range,
                 range[0] && s[0] ? " · " : "", s);
        m->subtitle = sub[0] ? evm__strdup(sub) : NULL;
        if (sub[0] && !m->subtitle)
            return -1;
    } else {
        m->subtitle = *o->subtitle ? evm__strdup(o->subtitle) : NULL;
        if (*o->subtitle && !m->subtitle)
            return -1;
    }
    return (o->title && !*o->title) || m->title ? 0 : -1;
}

/* --extent: "lon_min,lat_min,lon_max,lat_max" or a place. */
static evm_status extent(evm_map *m, const evm_table_opts *o,
                         evm_error *err)
{
    double v[4];
    const char *s = o->extent;
    int n = 0;
    char *end;
    while (n < 4) {
        v[n] = strtod(s, &end);
        if (end == s)
            break;
        n++;
        s = end;
        while (*s == ' ')
            s++;
        if (*s != ',')
            break;
        s++;
    }
    if (n == 4 && !*s) {
        if (!(fabs(v[0]) <= 180 && fabs(v[2]) <= 180 && fabs(v[1]) <= 90 &&
              fabs(v[3]) <= 90 && v[0] < v[2] && v[1] < v[3]))
            return evm_error_set(err, EVM_E_USAGE, "--extent %s: give "
                                 "lon_min,lat_min,lon_max,lat_max within "
                                 "-180..180 and -90..90, minimum first",
                                 o->extent);
        memcpy(m->extent, v, sizeof v);
        m->extent_mode = EVM_EXTENT_BBOX;
        return EVM_OK;
    }
    if (n > 0 && !((o->extent[0] >= 'A' && o->extent[0] <= 'Z') ||
                   (o->extent[0] >= 'a' && o->extent[0] <= 'z')))
        return evm_error_set(err, EVM_E_USAGE, "--extent %s: give four "
                             "numbers lon_min,lat_min,lon_max,lat_max, or "
                             "a place", o->extent);
    evm_place p;
    evm_error e;
    evm_error_clear(&e);
    int found = o->gz ? evm_geocode(o->gz, o->extent, NULL, &p, 1, &e) : 0;
    evm_error be;
    evm_error_clear(&be);
    evm_basemap *bm = evm_basemap_open(NULL, &be);
    if ((found < 0 && e.code == EVM_E_NOMEM) ||
        (!bm && be.code == EVM_E_NOMEM)) {
        evm_basemap_close(bm);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    evm_bm_feature f;
    int poly = bm && (evm_basemap_find_polygon(bm, EVM_BM_COUNTRIES,
                                               o->extent, &f) == 0 ||
                      evm_basemap_find_polygon(bm, EVM_BM_ADMIN1, o->extent,
                                               &f) == 0);
    evm_basemap_close(bm);
    if (found <= 0 && !poly)
        return evm_error_set(err, EVM_E_NOTFOUND, "--extent %s: unknown "
                             "place; give a country, region or place name, "
                             "or lon_min,lat_min,lon_max,lat_max",
                             o->extent);
    m->extent_mode = EVM_EXTENT_PLACE;
    if (!(m->extent_place = evm__strdup(o->extent)) ||
        !(m->extent_where.name = evm__strdup(o->extent)))
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (found > 0) {
        m->extent_where.has_coord = 1;
        m->extent_where.lon = p.lon;
        m->extent_where.lat = p.lat;
        memcpy(m->extent_where.resolved_country, p.country, 3);
    }
    return EVM_OK;
}

/* Contract in reader.h. */
evm_status evm__table_furnish(evm_map *m, const char *path,
                              const char *format, const evm_table_opts *o,
                              evm_error *err)
{
    const evm__tfmt *f = evm__tformat(format);
    /* the data's source in the footer, as its licence asks */
    if (f && f->source && !(m->source = evm__strdup(f->source)))
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    if (o->style) {
        int s = evm__style_from_name(o->style);
        if (s < 0)
            return evm_error_set(err, EVM_E_USAGE, "--style %s: give auto, "
                                 "markers, points, hexbin or heatmap",
                                 o->style);
        m->style = (evm_style)s;
    }
    evm_status st = o->extent ? extent(m, o, err) : EVM_OK;
    if (st != EVM_OK)
        return st;
    if (titles(m, f, path, o) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    return EVM_OK;
}
