/* evmap's own output read back: a GeoJSON (or any GDAL source) evmap
 * wrote holds movements and areas beside its events, told apart by their
 * "feature" field. Their geometry and fields become model movements and
 * areas again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "spec/spec.h"
#include "tables/reader.h"

/* The fields movements and areas share; 0, or the bad() result in *rc. */
static int common(evm__tr *t, const evm__trow *r, char **side,
                  char **label, char **date, int *claimed, char **color,
                  char cbuf[8], int *rc)
{
    char why[80], tm[21];
    *side = (char *)evm__tval(r, t->col[C_SIDE]);
    *label = (char *)evm__tval(r, t->col[C_LABEL]);
    const char *dv = evm__tval(r, t->col[C_DATE]);
    *date = NULL;
    if (dv) {
        if (evm__tparse_date(dv, t->date, tm, why) < 0) {
            *rc = evm__tbad(t, r, t->col[C_DATE], EVM_E_INPUT,
                            "bad date \"%.40s\": %s", dv, why);
            return -1;
        }
        *date = t->date;
    }
    const char *cf = evm__tval(r, t->col[C_CONF]);
    *claimed = cf && !strcasecmp(cf, "claimed");
    const char *st = evm__tval(r, t->col[C_STROKE]);
    *color = NULL;
    if (st) {
        if (evm__parse_color(st, cbuf) < 0) {
            *rc = evm__tbad(t, r, t->col[C_STROKE], EVM_E_INPUT,
                            "bad colour \"%.40s\" (#rrggbb)", st);
            return -1;
        }
        *color = cbuf;
    }
    return 0;
}

/* The via column evmap writes: "lon,lat;lon,lat" in degrees. Returns the
 * number of points (at most max) or -1 when it is not that. */
static int parse_via(const char *s, evm_placeref *via, int max)
{
    int n = 0;
    while (s && *s) {
        char num[2][40];
        for (int k = 0; k < 2; k++) {
            size_t len = strcspn(s, k == 0 ? "," : ";");
            if (len == 0 || len >= sizeof num[k] || (k == 0 && !s[len]))
                return -1;
            memcpy(num[k], s, len);
            num[k][len] = '\0';
            s += len + (s[len] ? 1 : 0);
        }
        double lon, lat;
        if (n >= max || evm__parse_double(num[0], &lon) != 0 ||
            evm__parse_double(num[1], &lat) != 0 || fabs(lon) > 180 ||
            fabs(lat) > 90)
            return -1;
        memset(&via[n], 0, sizeof via[n]);
        via[n].has_coord = 1;
        via[n].lon = lon;
        via[n].lat = lat;
        n++;
    }
    return n;
}

/* A movement evmap wrote: its ends are the line's first and last points,
 * its route's turning points the via column (the great circles between
 * them are drawn again). */
static int on_movement(evm__tr *t, const evm__trow *r)
{
    enum { MAXVIA = 64 };
    evm_movement mv;
    evm_placeref via[MAXVIA];
    char cbuf[8];
    int rc = 0;
    memset(&mv, 0, sizeof mv);
    const evm_vfeat *g = r->geom;
    if (!g || g->type != EVM_VGEOM_LINE || g->npart < 1 ||
        g->part[g->npart] < 2)
        return evm__tbad(t, r, -1, EVM_E_INPUT, "a movement without a "
                         "line");
    int last = g->part[g->npart] - 1;
    for (int k = 0; k <= last; k += last) {
        if (!(fabs(g->lat[k]) <= 90) || !(fabs(g->lon[k]) <= 180))
            return evm__tbad(t, r, -1, EVM_E_INPUT, "a movement %s %g, %g "
                             "out of range (longitude -180..180, latitude "
                             "-90..90)", k ? "ending at" : "starting at",
                             g->lon[k], g->lat[k]);
    }
    mv.from.has_coord = mv.to.has_coord = 1;
    mv.from.lon = g->lon[0];
    mv.from.lat = g->lat[0];
    mv.to.lon = g->lon[last];
    mv.to.lat = g->lat[last];
    mv.from.name = (char *)evm__tval(r, t->col[C_FROM]);
    mv.to.name = (char *)evm__tval(r, t->col[C_TO]);
    const char *vs = evm__tval(r, t->col[C_VIA]);
    if (vs) {
        int nv = parse_via(vs, via, MAXVIA);
        if (nv < 0)
            return evm__tbad(t, r, t->col[C_VIA], EVM_E_INPUT,
                             "via must be up to %d points \"lon,lat;"
                             "lon,lat\" in degrees, got \"%.40s\"",
                             MAXVIA, vs);
        mv.via = via;
        mv.nvia = nv;
    }
    mv.pos.line = mv.from.pos.line = mv.to.pos.line = (int)r->index;
    const char *ty = evm__tval(r, t->col[C_TYPE]);
    int k = ty ? evm__move_type_find(ty) : 0;
    if (k < 0)
        return evm__tbad(t, r, t->col[C_TYPE], EVM_E_INPUT,
                         "unknown movement type \"%.40s\" (advance, "
                         "withdrawal, airlift, deployment, attack, "
                         "supply)", ty);
    mv.type = (evm_move_type)k;
    if (common(t, r, &mv.side, &mv.label, &mv.date, &mv.claimed, &mv.color,
               cbuf, &rc) < 0)
        return rc;
    if (t->cb->movement &&
        t->cb->movement(t->cb->ud, &mv, t->err) < 0)
        return -1;
    return 0;
}

/* An area evmap wrote: its polygon is found again by its place's name. */
static int on_area(evm__tr *t, const evm__trow *r)
{
    evm_area a;
    evm_placehint h;
    char cbuf[8];
    int rc = 0;
    memset(&a, 0, sizeof a);
    memset(&h, 0, sizeof h);
    a.where.h = &h;
    a.where.name = (char *)evm__tval(r, t->col[C_PLACE]);
    if (!a.where.name)
        return evm__tbad(t, r, t->col[C_PLACE], EVM_E_INPUT,
                         "an area without a place name (its polygon came "
                         "from a file) cannot be read back");
    h.resolved_name = (char *)evm__tval(r, t->col[C_PNAME]);
    h.resolved_id = (char *)evm__tval(r, t->col[C_PID]);
    h.resolved_kind = (char *)evm__tval(r, t->col[C_PKIND]);
    const char *pc = evm__tval(r, t->col[C_PCOUNTRY]);
    if (pc)
        snprintf(a.where.resolved_country, 3, "%s", pc);
    a.pos.line = a.where.pos.line = (int)r->index;
    a.type = (char *)evm__tval(r, t->col[C_TYPE]);
    if (common(t, r, &a.side, &a.label, &a.date, &a.claimed, &a.color, cbuf,
               &rc) < 0)
        return rc;
    if (t->cb->area && t->cb->area(t->cb->ud, &a, t->err) < 0)
        return -1;
    return 0;
}

/* Contract in reader.h. */
int evm__town_feature(evm__tr *t, const evm__trow *r, int *rc)
{
    if (!t->gdal || t->fmt != &EVM__FMT_GENERIC || t->col[C_FEATURE] < 0)
        return 0;
    const char *f = evm__tval(r, t->col[C_FEATURE]);
    if (f && !strcmp(f, "movement")) {
        *rc = on_movement(t, r);
        return 1;
    }
    if (f && !strcmp(f, "area")) {
        *rc = on_area(t, r);
        return 1;
    }
    return 0;
}
