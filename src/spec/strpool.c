/* A map's store of table rows' strings: one arena per map, so a row's
 * type name, date, label and side cost their bytes and not a heap block
 * each, and values repeated across rows (type names, dates, sides) are
 * kept once. Strings are never freed one by one: evm_map_free frees the
 * store, and the events that borrow from it (from_table) do not free
 * their strings. Place hints (the gazetteer's id and kind of a row's
 * place, the file it came from) are kept once per distinct hint too. Contracts in build.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "spec/build.h"

#define CHUNK (64 * 1024)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

struct evm__strpool {
    chunk *head;
    const char **slot;           /* open addressing; NULL = empty */
    size_t nslot, nused;
    const evm_placehint **hslot; /* the hints kept, the same way */
    size_t nhslot, nhused;
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* n bytes of the arena at a multiple of align (a power of two, at most
 * 8: chunks' data are 8-aligned). NULL on no memory. */
static void *take(evm__strpool *p, size_t n, size_t align)
{
    chunk *c = p->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || c->cap - at < n) {
        size_t cap = n > CHUNK ? n : CHUNK;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = p->head;
        p->head = c;
        at = 0;
    }
    c->used = at + n;
    return c->data + at;
}

/* Copies s (n bytes and a NUL) into the arena. NULL on no memory. */
static char *put(evm__strpool *p, const char *s, size_t n)
{
    char *d = take(p, n + 1, 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Doubles the hash table. 0, or -1. */
static int rehash(evm__strpool *p)
{
    size_t n = p->nslot ? p->nslot * 2 : 256;
    const char **s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < p->nslot; i++) {
        const char *v = p->slot[i];
        if (!v)
            continue;
        size_t j = hash(v, strlen(v)) & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = v;
    }
    free(p->slot);
    p->slot = s;
    p->nslot = n;
    return 0;
}

/* Contract in build.h. */
const char *evm__strpool_copy(evm__strpool **pp, const char *s, int *bad)
{
    if (!s)
        return NULL;
    if (!*pp && !(*pp = calloc(1, sizeof **pp))) {
        *bad = 1;
        return NULL;
    }
    char *d = put(*pp, s, strlen(s));
    if (!d)
        *bad = 1;
    return d;
}

/* Contract in build.h. */
const char *evm__strpool_intern(evm__strpool **pp, const char *s, int *bad)
{
    if (!s)
        return NULL;
    if (!*pp && !(*pp = calloc(1, sizeof **pp))) {
        *bad = 1;
        return NULL;
    }
    evm__strpool *p = *pp;
    if ((p->nused + 1) * 2 > p->nslot && rehash(p) < 0) {
        *bad = 1;
        return NULL;
    }
    size_t n = strlen(s);
    size_t j = hash(s, n) & (p->nslot - 1);
    for (; p->slot[j]; j = (j + 1) & (p->nslot - 1))
        if (!strcmp(p->slot[j], s))
            return p->slot[j];
    char *d = put(p, s, n);
    if (!d) {
        *bad = 1;
        return NULL;
    }
    p->slot[j] = d;
    p->nused++;
    return d;
}

static uint64_t hint_hash(const evm_placehint *h)
{
    const void *v[7] = {h->country, h->kind, h->near, h->resolved_name,
                        h->resolved_id, h->resolved_kind, h->file};
    double d[2] = {h->has_near_coord ? h->near_lon : 0,
                   h->has_near_coord ? h->near_lat : 0};
    uint64_t x = hash((const char *)v, sizeof v) ^ (uint64_t)h->has_near_coord;
    return x ^ (hash((const char *)d, sizeof d) * 31);
}

/* Both hints' strings are interned: equal strings are equal pointers. */
static int hint_same(const evm_placehint *a, const evm_placehint *b)
{
    return a->country == b->country && a->kind == b->kind &&
           a->near == b->near && a->resolved_name == b->resolved_name &&
           a->resolved_id == b->resolved_id &&
           a->resolved_kind == b->resolved_kind && a->file == b->file &&
           a->has_near_coord == b->has_near_coord &&
           (!a->has_near_coord ||
            (a->near_lon == b->near_lon && a->near_lat == b->near_lat));
}

/* Doubles the hints' table. 0, or -1. */
static int hint_rehash(evm__strpool *p)
{
    size_t n = p->nhslot ? p->nhslot * 2 : 64;
    const evm_placehint **s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < p->nhslot; i++) {
        if (!p->hslot[i])
            continue;
        size_t j = hint_hash(p->hslot[i]) & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = p->hslot[i];
    }
    free(p->hslot);
    p->hslot = s;
    p->nhslot = n;
    return 0;
}

/* Contract in build.h. */
const evm_placehint *evm__strpool_hint(evm__strpool **pp,
                                       const evm_placehint *h, int *bad)
{
    if (!h)
        return NULL;
    evm_placehint k = {0};
    k.country = (char *)evm__strpool_intern(pp, h->country, bad);
    k.kind = (char *)evm__strpool_intern(pp, h->kind, bad);
    k.near = (char *)evm__strpool_intern(pp, h->near, bad);
    k.resolved_name = (char *)evm__strpool_intern(pp, h->resolved_name, bad);
    k.resolved_id = (char *)evm__strpool_intern(pp, h->resolved_id, bad);
    k.resolved_kind = (char *)evm__strpool_intern(pp, h->resolved_kind, bad);
    k.file = (char *)evm__strpool_intern(pp, h->file, bad);
    k.has_near_coord = h->has_near_coord;
    if (h->has_near_coord) {
        k.near_lon = h->near_lon;
        k.near_lat = h->near_lat;
    }
    if (*bad)
        return NULL;
    if (!k.country && !k.kind && !k.near && !k.resolved_name &&
        !k.resolved_id && !k.resolved_kind && !k.file && !k.has_near_coord)
        return NULL; /* nothing to keep */
    if (!*pp && !(*pp = calloc(1, sizeof **pp))) {
        *bad = 1;
        return NULL;
    }
    evm__strpool *p = *pp;
    if ((p->nhused + 1) * 2 > p->nhslot && hint_rehash(p) < 0) {
        *bad = 1;
        return NULL;
    }
    size_t j = hint_hash(&k) & (p->nhslot - 1);
    for (; p->hslot[j]; j = (j + 1) & (p->nhslot - 1))
        if (hint_same(p->hslot[j], &k))
            return p->hslot[j];
    evm_placehint *d = take(p, sizeof *d, _Alignof(evm_placehint));
    if (!d) {
        *bad = 1;
        return NULL;
    }
    *d = k;
    p->hslot[j] = d;
    p->nhused++;
    return d;
}

/* Contract in build.h. */
void evm__strpool_free(evm__strpool *p)
{
    if (!p)
        return;
    for (chunk *c = p->head, *nx; c; c = nx) {
        nx = c->next;
        free(c);
    }
    free(p->slot);
    free(p->hslot);
    free(p);
}
