/* The table reader's engine: format sniffing, header mapping and row ->
 * event, the same for every format (reader.h says what a format adds).
 * One row is held at a time; the caches (event types, countries,
 * resolved places, dates) are bounded, so memory does not grow with the
 * number of rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basemap/basemap.h"
#include "core/core.h"
#include "core/csv.h"
#include "spec/spec.h"
#include "tables/reader.h"

/* ----------------------------------------------------------------- rows */

/* A CSV row's shape: as many fields as the header, valid UTF-8. 0, or
 * -1 with *rc the evm__tbad result. */
static int check_shape(evm__tr *t, const evm__trow *r, int *rc)
{
    if (r->n != t->ncol) {
        if (t->fmt->ragged_by_columns)
            *rc = evm__tbad(t, r, -1, EVM_E_INPUT, "a row of %d fields in "
                            "a GDELT file of %d columns", r->n, t->ncol);
        else
            *rc = evm__tbad(t, r, r->n > t->ncol ? t->ncol : -1,
                            EVM_E_INPUT, "%d fields, the header has %d",
                            r->n, t->ncol);
        return -1;
    }
    for (int i = 0; i < r->n; i++) {
        const char *nul = memchr(r->v[i], '\0', r->len[i]);
        if (nul) {
            /* C strings would end the value there, silently */
            *rc = evm__tbad(t, r, i, EVM_E_INPUT, "a NUL byte at byte %ld "
                            "of the field (is the table UTF-16 or "
                            "binary?); remove it or save the table as "
                            "UTF-8", (long)(nul - r->v[i]) + 1);
            return -1;
        }
        long off = evm__utf8_bad_offset(r->v[i], r->len[i]);
        if (off >= 0) {
            *rc = evm__tbad(t, r, i, EVM_E_INPUT, "invalid UTF-8 (byte "
                            "0x%02x at byte %ld of the field); save the "
                            "table as UTF-8", (unsigned char)r->v[i][off],
                            off + 1);
            return -1;
        }
    }
    return 0;
}

/* Resolves a place column's name through the gazetteer (or defers it).
 * 0, or -1 with *rc set. */
static int place_of(evm__tr *t, const evm__trow *r, evm_event *e,
                    const char *cc, const char *hint, evm__tplace **tmp,
                    int *rc)
{
    int pcol = t->col[C_PLACE];
    if (t->defer) {
        e->where.h->file = (char *)t->path;
        e->where.h->country = cc[0] ? (char *)cc : (char *)hint;
        return 0;
    }
    if (!t->o->gz) {
        *rc = evm__tbad(t, r, pcol, EVM_E_NOTFOUND, "place \"%.200s\" needs "
                        "the gazetteer, which is not loaded", e->where.name);
        return -1;
    }
    evm__tplace *p = evm__tresolve(t, e->where.name, cc[0] ? cc : hint, tmp);
    if (!p) {
        *rc = -1;
        return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    }
    if (!p->ok) {
        *rc = evm__tbad(t, r, pcol, p->code, "%s", p->msg ? p->msg : "");
        evm__tplace_free(*tmp);
        *tmp = NULL;
        return -1;
    }
    e->where.has_coord = 1;
    e->where.lon = p->lon;
    e->where.lat = p->lat;
    e->where.h->resolved_name = p->name;
    e->where.h->resolved_id = p->id;
    e->where.h->resolved_kind = p->kind;
    memcpy(e->where.resolved_country, p->country, 3);
    e->where.precision = p->prec;
    /* a name not found where its qualifiers say is placed at their area
     * (tables always allow it) and counted */
    if (p->fallback && t->st)
        t->st->approximate++;
    return 0;
}

/* The location's precision from the format's precision column. 0, or -1
 * with *rc set. */
static int precision_of(evm__tr *t, const evm__trow *r, evm_event *e,
                        int *rc)
{
    const evm__tprec *m = t->fmt->prec;
    int col = t->col[C_PREC];
    const char *v = m ? evm__tval(r, col) : NULL;
    if (!v)
        return 0;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
        n--;
    for (int i = 0; m[i].code; i++)
        if (strlen(m[i].code) == n && !strncasecmp(v, m[i].code, n)) {
            e->where.precision = m[i].prec;
            return 0;
        }
    char codes[120];
    size_t k = 0;
    for (int i = 0; m[i].code && k < sizeof codes - 1; i++) {
        k += (size_t)snprintf(codes + k, sizeof codes - k, "%s%s",
                              i ? ", " : "", m[i].code);
        if (k >= sizeof codes)
            k = sizeof codes - 1;
    }
    *rc = evm__tbad(t, r, col, EVM_E_INPUT, "a location precision of "
                    "\"%.40s\"; this column takes %s", v, codes);
    return -1;
}

/* Where the event is: a GDAL geometry, latitude/longitude columns or a
 * place column. cc (3 bytes) receives the country column's code. 0, or
 * -1 with *rc set. */
static int where_of(evm__tr *t, const evm__trow *r, evm_event *e, char *cc,
                    evm__tplace **tmp, int *rc)
{
    int clat = t->col[C_LAT], clon = t->col[C_LON], pcol = t->col[C_PLACE];
    const char *la = evm__tval(r, clat), *lo = evm__tval(r, clon);
    if (t->gdal && r->has_geom) {
        e->where.lon = r->glon;
        e->where.lat = r->glat;
        if (!(fabs(e->where.lat) <= 90) || !(fabs(e->where.lon) <= 180)) {
            *rc = evm__tbad(t, r, -1, EVM_E_INPUT, "coordinates %g, %g out "
                            "of range", r->glon, r->glat);
            return -1;
        }
        e->where.has_coord = 1;
    } else if (la && lo) {
        if (evm__tcoord(t, r, clat, la, 90, "latitude", &e->where.lat, rc) <
                0 ||
            evm__tcoord(t, r, clon, lo, 180, "longitude", &e->where.lon,
                        rc) < 0)
            return -1;
        e->where.has_coord = 1;
    } else if ((la || lo) && pcol < 0) {
        *rc = evm__tbad(t, r, la ? clon : clat, EVM_E_INPUT, "%s is missing",
                        la ? "longitude" : "latitude");
        return -1;
    }
    e->where.name = (char *)evm__tval(r, pcol);
    e->where.pos.line = t->gdal ? e->pos.line
                        : pcol >= 0 ? (int)r->fline[pcol]
                        : clat >= 0 ? (int)r->fline[clat]
                                    : e->pos.line;
    e->where.pos.col = t->gdal ? 1
                       : pcol >= 0 ? r->fcol[pcol]
                       : clat >= 0 ? r->fcol[clat]
                                   : 1;
    const char *cv = evm__tval(r, t->col[C_COUNTRY]);
    if (!cv)
        cv = evm__tval(r, t->col[C_ISO3]);
    if (cv)
        evm__tcountry_of(t, cv, cc);
    if (e->where.has_coord) {
        memcpy(e->where.resolved_country, cc, 3);
        const char *pc = evm__tval(r, t->col[C_PCOUNTRY]);
        if (pc)
            snprintf(e->where.resolved_country, 3, "%s", pc);
        e->where.h->resolved_name = (char *)evm__tval(r, t->col[C_PNAME]);
        e->where.h->resolved_id = (char *)evm__tval(r, t->col[C_PID]);
        e->where.h->resolved_kind = (char *)evm__tval(r, t->col[C_PKIND]);
        return 0;
    }
    if (!e->where.name) {
        *rc = evm__tbad(t, r, pcol >= 0 ? pcol : clat, EVM_E_INPUT,
                        "no coordinates and no place name");
        return -1;
    }
    return place_of(t, r, e, cc, cv, tmp, rc);
}

/* The event's type: the format's rule, else the first of the type,
 * sub-event and event type columns that is set. 0, or -1 with *rc. */
static int type_of(evm__tr *t, const evm__trow *r, evm_event *e, int *rc)
{
    int tcol = -1;
    const char *tn = NULL;
    if (t->fmt->type) {
        if (!(tn = t->fmt->type(t, r, &tcol, rc)))
            return -1;
    } else {
        int c3[3] = {t->col[C_TYPE], t->col[C_SUB], t->col[C_EVT]};
        for (int i = 0; i < 3 && !tn; i++)
            if ((tn = evm__tval(r, c3[i])))
                tcol = c3[i];
        if (!tn)
            tn = "other";
    }
    e->type = evm__ttype_of(t, tn);
    if (!e->type && t->fmt->type_fallback) {
        /* an unknown sub-event type falls back on the event type */
        const char *v = evm__tval(r, t->col[C_EVT]);
        if (v && (e->type = evm__ttype_of(t, v)))
            tn = v;
    }
    if (!e->type) {
        const char *s = evm__event_type_suggest(tn);
        if (s)
            *rc = evm__tbad(t, r, tcol, EVM_E_INPUT, "unknown event type "
                            "\"%.60s\" — did you mean \"%s\"?", tn, s);
        else
            *rc = evm__tbad(t, r, tcol, EVM_E_INPUT, "unknown event type "
                            "\"%.60s\"; use an ACLED event or sub-event "
                            "type or a short word such as clash, protest, "
                            "riot, airstrike", tn);
        return -1;
    }
    return 0;
}

/* The event's date and time. 0, or -1 with *rc. */
static int when_of(evm__tr *t, const evm__trow *r, evm_event *e, int *rc)
{
    char why[80];
    const char *dv = evm__tval(r, t->col[C_DATE]);
    const char *tv = evm__tval(r, t->col[C_TIME]);
    if (dv) {
        if (evm__tcached_date(t, dv, t->date, t->time, why) < 0) {
            *rc = evm__tbad(t, r, t->col[C_DATE], EVM_E_INPUT, "bad date "
                            "\"%.40s\": %s", dv, why);
            return -1;
        }
        e->date = t->date;
        e->time = t->time[0] ? t->time : NULL;
    }
    if (tv) {
        char d2[11], t2[21];
        if (evm__tparse_date(tv, d2, t2, why) < 0 || !t2[0]) {
            *rc = evm__tbad(t, r, t->col[C_TIME], EVM_E_INPUT, "bad time "
                            "\"%.40s\": give a date-time such as "
                            "2022-01-06T14:00:00Z", tv);
            return -1;
        }
        memcpy(t->time, t2, 21);
        e->time = t->time;
        if (!e->date) {
            memcpy(t->date, d2, 11);
            e->date = t->date;
        }
    }
    return 0;
}

/* Label, side, fatalities, confidence and the extra columns' values. 0,
 * or -1 with *rc. */
static int rest_of(evm__tr *t, const evm__trow *r, evm_event *e, int *rc)
{
    e->label = (char *)evm__tval(r, t->col[C_LABEL]);
    e->side = (char *)evm__tval(r, t->col[C_SIDE]);
    const char *fv = evm__tval(r, t->col[C_FAT]);
    if (fv) {
        long f = evm__tparse_count(fv);
        if (f < 0) {
            *rc = evm__tbad(t, r, t->col[C_FAT], EVM_E_INPUT, "fatalities "
                            "must be a whole number >= 0, got \"%.40s\"",
                            fv);
            return -1;
        }
        e->fatalities = (int)f;
    }
    const char *cf = evm__tval(r, t->col[C_CONF]);
    if (cf) {
        if (!strcasecmp(cf, "claimed")) {
            e->claimed = 1;
        } else if (strcasecmp(cf, "assessed")) {
            *rc = evm__tbad(t, r, t->col[C_CONF], EVM_E_INPUT, "confidence "
                            "must be assessed or claimed, got \"%.40s\"",
                            cf);
            return -1;
        }
    }
    for (int i = 0; i < t->nx; i++) {
        const char *v = evm__tval(r, t->xcol[i]);
        const char *x = evm__tnorm_extra(v, t->xtype[i], t->xbuf[i]);
        if (x == (const char *)-1) {
            *rc = evm__tbad(t, r, t->xcol[i], EVM_E_INPUT, "bad number "
                            "\"%.40s\" in column %s", v, t->xname[i]);
            return -1;
        }
        t->xval[i] = x;
    }
    return 0;
}

/* 1 when event e is within the date window and precise enough. */
static int event_kept(const evm__tr *t, const evm_event *e)
{
    const evm_table_opts *o = t->o;
    if (o->precision > 0 && (int)e->where.precision > o->precision - 1)
        return 0;
    if (!e->date)
        return 1;
    const char *from = o->date_from, *to = o->date_to;
    return !(from && *from && strcmp(e->date, from) < 0) &&
           !(to && *to && strcmp(e->date, to) > 0);
}

/* One row -> one event (or a skipped row). 0, or -1 + err to stop. */
static int on_row(evm__tr *t, const evm__trow *r)
{
    int rc = 0;
    if (evm__town_feature(t, r, &rc))
        return rc;
    evm_event e;
    evm_placehint h;
    memset(&e, 0, sizeof e);
    memset(&h, 0, sizeof h);
    e.where.h = &h; /* the row's strings, for the callback to copy */
    e.fatalities = -1;
    e.pos.line = t->gdal ? (int)r->index : (int)r->line;
    e.pos.col = 1;
    t->st->rows++;
    if (!t->gdal && check_shape(t, r, &rc) < 0)
        return rc;
    if (t->ncond && !evm__trow_kept(t, r)) {
        t->st->filtered++;
        return 0;
    }
    evm__tplace *tmp = NULL;
    char cc[3] = "";
    if (t->fmt->where) {
        int w = t->fmt->where(t, r, &e, &rc);
        if (w)
            return w > 0 ? 0 : rc;
    } else if (where_of(t, r, &e, cc, &tmp, &rc) < 0) {
        return rc;
    }
    if (precision_of(t, r, &e, &rc) == 0 && type_of(t, r, &e, &rc) == 0 &&
        when_of(t, r, &e, &rc) == 0 && rest_of(t, r, &e, &rc) == 0) {
        if (!event_kept(t, &e)) {
            t->st->filtered++;
            goto out;
        }
        t->st->events++;
        if (t->cb->event &&
            t->cb->event(t->cb->ud, &e, t->xval, t->err) < 0)
            rc = -1;
    }
out:
    evm__tplace_free(tmp);
    return rc;
}

/* Calls begin once, with the extras known so far. */
static int do_begin(evm__tr *t)
{
    if (t->begun)
        return 0;
    t->begun = 1;
    snprintf(t->st->format, sizeof t->st->format, "%s",
             t->gdal ? "gdal" : t->fmt->name);
    evm__extras x = {t->nx, (const char *const *)t->xname, t->xtype};
    return t->cb->begin ? t->cb->begin(t->cb->ud, t->st, &x, t->err) : 0;
}

/* ------------------------------------------------------------ CSV, TSV */

/* 1 if the row is an HXL hashtag row (HDX's second header line). */
static int hxl_row(const evm__trow *r)
{
    int tags = 0;
    for (int i = 0; i < r->n; i++) {
        const char *s = r->v[i];
        if (!s || !*s)
            continue;
        if (*s != '#')
            return 0;
        tags++;
    }
    return tags > 0;
}

/* The first record: a headerless format's first row (1: it is data) or
 * the header (0). -1 + err. */
static int first_record(evm__tr *t, evm__csv *c, char ***hdr, int *nh)
{
    int n = evm__csv_nfield(c);
    const evm__tfmt *rf = evm__tformat_of_row(n, evm__csv_delim(c),
                                             evm__csv_field(c, 0));
    if (rf) {
        t->fmt = rf;
        return evm__tsetup(t, t->fmt->names, n, NULL) < 0 ? -1 : 1;
    }
    *nh = n;
    if (!(*hdr = evm__calloc((size_t)n, sizeof **hdr)))
        return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    for (int i = 0; i < n; i++) {
        const char *f = evm__csv_field(c, i);
        if (evm__utf8_bad_offset(f, evm__csv_field_len(c, i)) >= 0) {
            evm_error_set(t->err, EVM_E_INPUT, "%s:%ld:%d: invalid UTF-8 in "
                          "the header; save the table as UTF-8", t->path,
                          evm__csv_field_line(c, i),
                          evm__csv_field_col(c, i));
            return -1;
        }
        if (memchr(f, '\0', evm__csv_field_len(c, i))) {
            evm_error_set(t->err, EVM_E_INPUT, "%s:%ld:%d: a NUL byte in "
                          "the header (is the table UTF-16? save it as "
                          "UTF-8)", t->path, evm__csv_field_line(c, i),
                          evm__csv_field_col(c, i));
            return -1;
        }
        if (!((*hdr)[i] = evm__strdup(f)))
            return evm_error_set(t->err, EVM_E_NOMEM, "out of memory"), -1;
    }
    if (evm__tunique_names(t, (const char *const *)*hdr, n, evm__csv_lines(c),
                     evm__csv_cols(c)) < 0)
        return -1;
    return evm__tsetup(t, (const char *const *)*hdr, n, NULL) < 0 ? -1 : 0;
}

static evm_status read_csv(evm__tr *t)
{
    evm__csv *c = evm__csv_open(t->path, t->err);
    if (!c)
        return t->err && t->err->code ? t->err->code : EVM_E_IO;
    evm_status st = EVM_OK;
    char **hdr = NULL;
    int nh = 0;
    int r = evm__csv_next(c, t->err);
    if (r <= 0) {
        /* an empty file: an empty table */
        t->fmt = &EVM__FMT_GENERIC;
        if (r < 0)
            st = t->err->code;
        else if (evm__textras_alloc(t, 1) < 0 || do_begin(t) < 0)
            st = t->err && t->err->code ? t->err->code : EVM_E_NOMEM;
        goto out;
    }
    int pending = first_record(t, c, &hdr, &nh); /* 1: data comes first */
    if (pending < 0) {
        st = t->err->code;
        goto out;
    }
    if (do_begin(t) < 0) {
        st = t->err->code ? t->err->code : EVM_E_IO;
        goto out;
    }
    for (int first = 1;; first = 0) {
        if (!pending) {
            r = evm__csv_next(c, t->err);
            if (r < 0) {
                st = t->err->code;
                break;
            }
            if (r == 0)
                break;
        }
        pending = 0;
        evm__trow row;
        memset(&row, 0, sizeof row);
        row.n = evm__csv_nfield(c);
        row.v = evm__csv_fields(c);
        row.len = evm__csv_lens(c);
        row.fline = evm__csv_lines(c);
        row.fcol = evm__csv_cols(c);
        row.line = evm__csv_line(c);
        if (first && hxl_row(&row))
            continue;
        if (on_row(t, &row) < 0) {
            st = t->err->code ? t->err->code : EVM_E_INPUT;
            break;
        }
    }
out:
    for (int i = 0; i < nh && hdr; i++)
        free(hdr[i]);
    free(hdr);
    evm__csv_close(c);
    return st;
}

/* ------------------------------------------------------ GDAL sources */

struct gctx {
    evm__tr *t;
    int stop;
    char **names; /* copies of the current layer's field names */
    int nnames;
};

static void gnames_free(struct gctx *g)
{
    for (int i = 0; i < g->nnames; i++)
        free(g->names[i]);
    free(g->names);
    g->names = NULL;
    g->nnames = 0;
}

/* A layer after the first: its columns mapped as the first's format
 * maps them, the extras those of the first found again by name. */
static int next_layer(evm__tr *t, const evm_gdal_row *gr)
{
    int nx = t->nx;
    char **xn = t->xname;
    evm_ftype *xt = t->xtype;
    t->xname = NULL;
    t->xtype = NULL;
    t->nx = 0;
    const evm__tfmt *fmt = t->fmt;
    t->fmt = NULL;
    int rc = evm__tsetup(t, gr->name, gr->nfield, gr->type);
    t->fmt = fmt;
    evm__textras_free(t);
    if (rc < 0 || evm__textras_alloc(t, nx) < 0) {
        for (int i = 0; i < nx; i++)
            free(xn[i]);
        free(xn);
        free(xt);
        if (rc >= 0)
            evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    for (int i = 0; i < nx; i++) {
        const char *c[2] = {xn[i], NULL};
        t->xname[i] = xn[i];
        t->xtype[i] = xt[i];
        t->xcol[i] = evm__csv_find_col(gr->name, gr->nfield, c);
    }
    t->nx = nx;
    free(xn);
    free(xt);
    return 0;
}

static int on_gdal_row(void *ud, const evm_gdal_row *gr)
{
    struct gctx *g = ud;
    evm__tr *t = g->t;
    if (gr->layer_index != t->layer) {
        /* a new layer: map its fields (extras stay those of the first) */
        t->layer = gr->layer_index;
        gnames_free(g);
        if (!(g->names = evm__calloc((size_t)gr->nfield + 1,
                                     sizeof *g->names))) {
            evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
            return g->stop = 1;
        }
        for (int i = 0; i < gr->nfield; i++)
            if (!(g->names[i] = evm__strdup(gr->name[i]))) {
                evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
                return g->stop = 1;
            }
        g->nnames = gr->nfield;
        if (!t->begun) {
            if (evm__tsetup(t, gr->name, gr->nfield, gr->type) < 0 ||
                do_begin(t) < 0)
                return g->stop = 1;
        } else if (next_layer(t, gr) < 0) {
            return g->stop = 1;
        }
    }
    evm__trow r;
    memset(&r, 0, sizeof r);
    r.n = gr->nfield;
    r.v = gr->value;
    r.layer = gr->layer;
    r.index = gr->index;
    r.has_geom = gr->geom && isfinite(gr->lon) && isfinite(gr->lat);
    r.glon = gr->lon;
    r.glat = gr->lat;
    r.geom = gr->geom;
    if (on_row(t, &r) < 0)
        return g->stop = 1;
    return 0;
}

static evm_status read_gdal(evm__tr *t)
{
    const evm_gdal_api *api = evm__gdal(t->err);
    if (!api)
        return t->err->code;
    if (!api->read_rows)
        return evm_error_set(t->err, EVM_E_LIB, "the GDAL module cannot "
                             "read tables; reinstall evmap");
    struct gctx g = {t, 0, NULL, 0};
    t->gdal = 1;
    t->layer = -1;
    t->fmt = NULL;
    evm_status st = api->read_rows(t->path, on_gdal_row, &g, t->err);
    gnames_free(&g);
    if (st == EVM_OK && g.stop)
        st = t->err->code ? t->err->code : EVM_E_INPUT;
    if (st == EVM_OK && !t->begun) {
        t->fmt = &EVM__FMT_GENERIC;
        if (evm__textras_alloc(t, 1) < 0)
            return evm_error_set(t->err, EVM_E_NOMEM, "out of memory");
        if (do_begin(t) < 0)
            st = t->err->code ? t->err->code : EVM_E_IO;
    }
    return st;
}

/* ------------------------------------------------------------ the read */

/* Contract in reader.h. */
int evm__tpath_has_ext(const char *path, const char *const *ext,
                       size_t *stem_len)
{
    size_t n = strlen(path);
    if (n > 3 && !strcasecmp(path + n - 3, ".gz"))
        n -= 3;
    if (stem_len)
        *stem_len = n;
    for (int i = 0; ext[i]; i++) {
        size_t k = strlen(ext[i]);
        if (n >= k && !strncasecmp(path + n - k, ext[i], k))
            return 1;
    }
    return 0;
}

/* By extension: GDAL reads these; the rest goes through the tokenizer. */
static int gdal_source(const char *path)
{
    static const char *const ext[] = {".geojson", ".json", ".gpkg", ".shp",
                                      ".kml", ".kmz", ".fgb", ".gml",
                                      ".geojsonl", ".geojsons", ".sqlite",
                                      ".gdb", ".zip", NULL};
    return evm__tpath_has_ext(path, ext, NULL) || !strncmp(path, "/vsi", 4);
}

/* Contract in tables.h. */
evm_status evm__table_read(const char *path, const evm_table_opts *o,
                           int defer_places, const evm__table_cb *cb,
                           evm_table_stats *st, evm_error *err)
{
    evm__tr t;
    evm_table_opts defo;
    evm_table_stats dst;
    evm_error local;
    if (!o) {
        evm_table_opts_init(&defo);
        o = &defo;
    }
    if (!st)
        st = &dst;
    if (!err) {
        evm_error_clear(&local);
        err = &local;
    }
    memset(st, 0, sizeof *st);
    memset(&t, 0, sizeof t);
    t.path = path;
    t.o = o;
    t.defer = defer_places;
    t.st = st;
    t.cb = cb;
    t.err = err;
    t.layer = -1;
    t.maxw = o->max_warnings > 0 ? o->max_warnings : 20;
    if (evm__smap_init(&t.types, 1024) < 0 ||
        evm__smap_init(&t.countries, 1024) < 0 ||
        evm__smap_init(&t.places, 1 << 16) < 0 ||
        evm__smap_init(&t.dates, 1 << 14) < 0) {
        evm__smap_free(&t.dates, NULL);
        evm__smap_free(&t.types, NULL);
        evm__smap_free(&t.countries, NULL);
        evm__smap_free(&t.places, NULL);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    evm_status s = gdal_source(path) ? read_gdal(&t) : read_csv(&t);
    if (s == EVM_OK && err->code != EVM_OK)
        s = err->code;
    evm__textras_free(&t);
    free(t.cond);
    evm__smap_free(&t.types, NULL);
    evm__smap_free(&t.countries, free);
    evm__smap_free(&t.places, evm__tplace_free);
    evm__smap_free(&t.dates, free);
    evm_basemap_close(t.bm);
    return s;
}
