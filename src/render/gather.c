/* Events whose table knows only the country (UCDP where_prec 6, GDELT's
 * country-level locations): their coordinates are the dataset's idea of
 * the country's centre, sometimes in the sea, never where anything
 * happened. An analyst's map gathers them into one hollow symbol per
 * country at the country's label point (Natural Earth's, inside its
 * largest part; moved to a quiet spot of the country when events crowd
 * it), labelled "Bangladesh (country-level): 15 events", and
 * leaves them out of dots, hexagons and densities, saying how many. An
 * event counts as country-level when its precision is the country's and
 * its place is the country itself (no name, or the country's name:
 * "Bangladesh", "Myanmar (Burma)", "Russia"); a border area, a sea or a
 * region the dataset also calls country-level keeps its own point. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "render/render_int.h"

typedef struct label_pt {
    const char *iso;
    const evm_bm_feature *poly; /* the country, when found */
    double lon, lat;
    int found, inside, rank;
    char name[64];
} label_pt;

/* The country's label point: of the points carrying its code (islands
 * and territories share a country's: the Coral Sea Islands are "AU"),
 * one inside the country's polygon, else the most important. */
static int find_label(const evm_bm_feature *f, void *ud)
{
    label_pt *p = ud;
    if (strcmp(f->iso_a2, p->iso) || f->nparts < 1 || !f->lonlat)
        return 0;
    int in = p->poly && evm_basemap_contains(p->poly, f->lonlat[0],
                                             f->lonlat[1]);
    if (p->found && (p->inside > in || (p->inside == in && p->rank <= f->rank)))
        return 0;
    p->lon = f->lonlat[0];
    p->lat = f->lonlat[1];
    p->found = 1;
    p->inside = in;
    p->rank = f->rank;
    snprintf(p->name, sizeof p->name, "%s", f->name[0] ? f->name
                                                        : f->name_en);
    return 0;
}

/* Is name (as the table writes it) the country iso itself? "Myanmar
 * (Burma)" is read without its parenthesis. */
static int names_country(const evm_draw *d, const char *name,
                         const char *iso)
{
    if (!name || !name[0])
        return 1;
    char b[128];
    const char *par = strchr(name, '(');
    size_t n = par ? (size_t)(par - name) : strlen(name);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof b)
        return 0;
    memcpy(b, name, n);
    b[n] = '\0';
    evm_bm_feature f;
    return evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES, b, &f) == 0 &&
           !strcmp(f.iso_a2, iso);
}

/* The gathering point of country iso (added when new); -1 when the
 * basemap has no label point for it. When the point is off the frame
 * (ok 2: a map of one region) the events keep their own points, still
 * labelled as country-level. */
static int gather_point(evm_draw *d, const char *iso)
{
    for (int k = 0; k < d->ngather; k++)
        if (!strcmp(d->gather[k].iso, iso))
            return d->gather[k].ok ? k : -1;
    if (d->ngather == EVM_GATHER_MAX)
        return -1;
    evm_gather *g = &d->gather[d->ngather++];
    memset(g, 0, sizeof *g);
    snprintf(g->iso, sizeof g->iso, "%s", iso);
    evm_bm_feature f;
    if (evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES, iso, &f) != 0)
        return -1;
    label_pt p = {.iso = iso, .poly = &f};
    static const double world[4] = {-180, -90, 180, 90};
    evm_basemap_query(d->bm, EVM_BM_COUNTRY_LABELS, EVM_BM_10M, world,
                      find_label, &p);
    if (!p.found)
        return -1;
    /* the label layer's short name ("China"), not the formal one */
    snprintf(g->name, sizeof g->name, "%s", p.name[0] ? p.name
                                            : f.name_en[0] ? f.name_en
                                                           : f.name);
    double x, y;
    g->ok = 2;
    if (evm__project(d, p.lon, p.lat, &x, &y) < 0 || !isfinite(x) ||
        x < 0 || y < 0 || x > d->W || y > d->H)
        return d->ngather - 1;
    g->lon = p.lon;
    g->lat = p.lat;
    g->x = x;
    g->y = y;
    g->ok = 1;
    return d->ngather - 1;
}

/* Drawn events per cell of `cell` px, the gathered left out. */
static int *event_grid(const evm_draw *d, double cell, int *gw, int *gh)
{
    *gw = (int)(d->W / cell) + 1;
    *gh = (int)(d->H / cell) + 1;
    int *g = evm__calloc((size_t)*gw * (size_t)*gh, sizeof *g);
    if (!g)
        return NULL;
    for (int i = 0; i < d->m->nevents; i++)
        if (d->ev_ok[i] == 2 && !(d->gathered && d->gathered[i]))
            g[(int)(d->ev[i].y / cell) * *gw + (int)(d->ev[i].x / cell)]++;
    return g;
}

/* The country's label point may sit among its events (Bangladesh's does,
 * between Dhaka and the west): the gathered symbol goes to the nearest
 * spot of the country with no event within QUIET px, on a spiral round
 * the label point, else stays. */
#define QUIET 40.0
static void quiet_spot(evm_draw *d, evm_gather *g, const int *grid, int gw,
                       int gh, double cell)
{
    evm_bm_feature f;
    if (evm_basemap_find_polygon(d->bm, EVM_BM_COUNTRIES, g->iso, &f) != 0)
        return;
    double s = d->s, q = QUIET * s, margin = 24 * s;
    int reach = (int)ceil(q / cell);
    for (double rad = 0; rad <= 320 * s; rad += 8 * s) {
        int na = rad > 0 ? 24 : 1;
        for (int a = 0; a < na; a++) {
            double x = g->x + rad * cos(2 * M_PI * a / na);
            double y = g->y + rad * sin(2 * M_PI * a / na);
            if (x < margin || y < margin || x > d->W - margin ||
                y > d->H - margin)
                continue;
            int cx = (int)(x / cell), cy = (int)(y / cell), busy = 0;
            for (int j = cy - reach; j <= cy + reach && !busy; j++)
                for (int i = cx - reach; i <= cx + reach && !busy; i++)
                    busy = i >= 0 && j >= 0 && i < gw && j < gh &&
                           grid[j * gw + i] > 0;
            if (busy)
                continue;
            double lon = d->X0 + x / d->k, lat = d->Y0 - y / d->k;
            evm_geo_inv(d->geo, &lon, &lat, 1);
            if (!isfinite(lon) || !evm_basemap_contains(&f, lon, lat))
                continue;
            g->x = x;
            g->y = y;
            g->lon = lon;
            g->lat = lat;
            return;
        }
    }
}

/* Contract in render_int.h. */
int evm__gather_countries(evm_draw *d)
{
    const evm_map *m = d->m;
    d->ngather = 0;
    d->ngathered = 0;
    free(d->gathered);
    d->gathered = NULL;
    if (!d->bm)
        return 0;
    /* names already judged, by the name's text (a table interns its
     * names: the same pointer) and country: a table repeats its few
     * hundred country names over a million rows */
    enum { SEEN = 512 };
    struct seen { const char *nm; char iso[3]; signed char ok; } *seen =
        evm__calloc(SEEN, sizeof *seen);
    if (!seen)
        return -1;
    for (int i = 0; i < m->nevents; i++) {
        const evm_event *e = &m->events[i];
        const char *iso = e->where.resolved_country;
        if (d->ev_ok[i] != 2 || e->where.precision != EVM_PREC_COUNTRY ||
            !iso[0])
            continue;
        const char *nm = e->where.name;
        struct seen *sn = &seen[((uintptr_t)nm >> 3 ^ (uintptr_t)iso[0] * 31 ^
                                 (uintptr_t)iso[1]) % SEEN];
        int ok;
        if (sn->ok && sn->nm == nm && !strcmp(sn->iso, iso)) {
            ok = sn->ok > 0;
        } else {
            ok = names_country(d, nm, iso);
            sn->nm = nm;
            memcpy(sn->iso, iso, 3);
            sn->ok = ok ? 1 : -1;
        }
        int g = ok ? gather_point(d, iso) : -1;
        if (g < 0)
            continue;
        if (!d->gathered &&
            !(d->gathered = evm__calloc((size_t)m->nevents, 1))) {
            free(seen);
            return -1;
        }
        d->gathered[i] = (unsigned char)(g + 1);
        d->gather[g].n++;
        d->gather[g].fat += e->fatalities > 0 ? e->fatalities : 0;
        d->ngathered++;
    }
    free(seen);
    if (!d->ngathered)
        return 0;
    double cell = 8 * d->s;
    int gw, gh;
    int *grid = event_grid(d, cell, &gw, &gh);
    if (!grid)
        return -1;
    for (int k = 0; k < d->ngather; k++)
        if (d->gather[k].ok == 1 && d->gather[k].n)
            quiet_spot(d, &d->gather[k], grid, gw, gh, cell);
    free(grid);
    for (int i = 0; i < m->nevents; i++)
        if (d->gathered[i] && d->gather[d->gathered[i] - 1].ok == 1) {
            d->ev[i].x = d->gather[d->gathered[i] - 1].x;
            d->ev[i].y = d->gather[d->gathered[i] - 1].y;
        }
    return 0;
}

/* Contract in render_int.h. */
const evm_gather *evm__gathered(const evm_draw *d, int i)
{
    return d->gathered && d->gathered[i] ? &d->gather[d->gathered[i] - 1]
                                         : NULL;
}
