/* The map model's life cycle: creation with defaults, freeing, and the
 * list of place references the resolver and `evmap validate` walk. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "spec/build.h"
#include "spec/spec.h"

const evm_placehint evm__nohint;

static void hint_free(evm_placehint *h)
{
    if (!h)
        return;
    free(h->country);
    free(h->kind);
    free(h->near);
    free(h->resolved_name);
    free(h->resolved_id);
    free(h->resolved_kind);
    free(h->file);
    free(h);
}

/* Frees one place reference's strings (not the struct itself) and zeroes
 * it, so a second call is harmless. A borrowed one's strings belong to
 * the map's arena. */
void evm__placeref_clear(evm_placeref *p)
{
    if (!p)
        return;
    if (!p->borrowed) {
        free(p->name);
        hint_free(p->h);
    }
    memset(p, 0, sizeof *p);
}

static int dup_into(char **d, const char *s)
{
    *d = NULL;
    return s && !(*d = evm__strdup(s)) ? -1 : 0;
}

/* Contract in model.h. */
int evm__placehint_dup(const evm_placehint *o, evm_placehint **out)
{
    *out = NULL;
    if (!o)
        return 0;
    evm_placehint *h = evm__calloc(1, sizeof *h);
    if (!h)
        return -1;
    *h = *o;
    int bad = dup_into(&h->country, o->country);
    bad |= dup_into(&h->kind, o->kind);
    bad |= dup_into(&h->near, o->near);
    bad |= dup_into(&h->resolved_name, o->resolved_name);
    bad |= dup_into(&h->resolved_id, o->resolved_id);
    bad |= dup_into(&h->resolved_kind, o->resolved_kind);
    bad |= dup_into(&h->file, o->file);
    if (bad) {
        hint_free(h);
        return -1;
    }
    *out = h;
    return 0;
}

/* Contract in model.h. */
int evm__placeref_own(evm_placeref *p)
{
    if (!p->borrowed)
        return 0;
    char *name = NULL;
    evm_placehint *h = NULL;
    if (dup_into(&name, p->name) < 0)
        return -1;
    if (evm__placehint_dup(p->h, &h) < 0) {
        free(name);
        return -1;
    }
    p->name = name;
    p->h = h;
    p->borrowed = 0;
    return 0;
}

/* Contract in model.h. */
evm_placehint *evm__placeref_hint(evm_placeref *p)
{
    if (evm__placeref_own(p) < 0)
        return NULL;
    if (!p->h)
        p->h = evm__calloc(1, sizeof *p->h);
    return p->h;
}

/* A new empty map with the documented defaults: size 1600x1000, theme
 * light, extent auto, inset auto, no projection (auto). Caller frees with
 * evm_map_free. Returns NULL and sets err when memory runs out. */
evm_map *evm__map_new(const char *file, evm_error *err)
{
    evm_map *m = evm__calloc(1, sizeof *m);
    if (!m) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    m->width = 1600;
    m->height = 1000;
    m->theme = EVM_THEME_LIGHT;
    m->fallback = -2; /* not set: evm_set_default_fallback's */
    m->extent_mode = EVM_EXTENT_AUTO;
    m->inset = EVM_INSET_AUTO;
    if (file && !(m->file = evm__strdup(file))) {
        free(m);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return NULL;
    }
    return m;
}

/* Frees a map and everything it owns. Accepts NULL. */
void evm_map_free(evm_map *m)
{
    if (!m)
        return;
    free(m->file);
    free(m->title);
    free(m->subtitle);
    free(m->source);
    free(m->extent_place);
    evm__placeref_clear(&m->extent_where);
    free(m->projection);
    free(m->background_path);
    free(m->context_country);
    for (int i = 0; i < m->nplaces; i++) {
        free(m->places[i].name);
        free(m->places[i].country);
        free(m->places[i].kind);
    }
    free(m->places);
    for (int i = 0; i < m->nlayers; i++) {
        free(m->layers[i].path);
        free(m->layers[i].stroke);
        free(m->layers[i].fill);
    }
    free(m->layers);
    for (int i = 0; i < m->nevents; i++) {
        evm_event *e = &m->events[i];
        evm__placeref_clear(&e->where);
        if (e->from_table)
            continue; /* borrowed from m->strings */
        free(e->date);
        free(e->time);
        free(e->label);
        free(e->side);
    }
    free(m->events);
    evm__strpool_free(m->strings);
    for (int i = 0; i < m->nmovements; i++) {
        evm_movement *v = &m->movements[i];
        evm__placeref_clear(&v->from);
        evm__placeref_clear(&v->to);
        for (int j = 0; j < v->nvia; j++)
            evm__placeref_clear(&v->via[j]);
        free(v->via);
        free(v->side);
        free(v->color);
        free(v->label);
        free(v->date);
    }
    free(m->movements);
    for (int i = 0; i < m->nareas; i++) {
        evm_area *a = &m->areas[i];
        evm__placeref_clear(&a->where);
        free(a->path);
        free(a->type);
        free(a->side);
        free(a->color);
        free(a->label);
        free(a->date);
    }
    free(m->areas);
    free(m);
}

static int cmp_pos(const void *a, const void *b)
{
    const evm_placeref *p = *(evm_placeref *const *)a;
    const evm_placeref *q = *(evm_placeref *const *)b;
    if (p->pos.line != q->pos.line)
        return p->pos.line < q->pos.line ? -1 : 1;
    if (p->pos.col != q->pos.col)
        return p->pos.col < q->pos.col ? -1 : 1;
    return p < q ? -1 : p > q;
}

/* A reference takes part when it names a place or gives coordinates. */
static int used(const evm_placeref *p)
{
    return p->name || p->has_coord;
}

/* Every place reference of m in file order; see spec.h. */
evm_placeref **evm__map_placerefs(evm_map *m, int *n)
{
    size_t cap = 1 + (size_t)m->nevents + (size_t)m->nareas;
    for (int i = 0; i < m->nmovements; i++)
        cap += 2 + (size_t)m->movements[i].nvia;
    evm_placeref **v = evm__reallocarray(NULL, cap, sizeof *v);
    *n = 0;
    if (!v) {
        *n = -1;
        return NULL;
    }
    int k = 0;
    if (m->extent_mode == EVM_EXTENT_PLACE && used(&m->extent_where))
        v[k++] = &m->extent_where;
    for (int i = 0; i < m->nevents; i++)
        if (used(&m->events[i].where))
            v[k++] = &m->events[i].where;
    for (int i = 0; i < m->nmovements; i++) {
        evm_movement *mv = &m->movements[i];
        if (used(&mv->from))
            v[k++] = &mv->from;
        for (int j = 0; j < mv->nvia; j++)
            if (used(&mv->via[j]))
                v[k++] = &mv->via[j];
        if (used(&mv->to))
            v[k++] = &mv->to;
    }
    for (int i = 0; i < m->nareas; i++)
        if (used(&m->areas[i].where))
            v[k++] = &m->areas[i].where;
    if (k == 0) {
        free(v);
        return NULL;
    }
    qsort(v, (size_t)k, sizeof *v, cmp_pos);
    *n = k;
    return v;
}
