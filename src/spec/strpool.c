/* A map's store of table rows' strings: one arena per map, so a row's
 * type name, date, label and side cost their bytes and not a heap block
 * each, and values repeated across rows (type names, dates, sides) are
 * kept once. Strings are never freed one by one: evm_map_free frees the
 * store, and the events that borrow from it (from_table) do not free
 * their strings. Contracts in build.h. */
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
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Copies s (n bytes and a NUL) into the arena. NULL on no memory. */
static char *put(evm__strpool *p, const char *s, size_t n)
{
    chunk *c = p->head;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > CHUNK ? n + 1 : CHUNK;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = p->head;
        p->head = c;
    }
    char *d = c->data + c->used;
    memcpy(d, s, n);
    d[n] = '\0';
    c->used += n + 1;
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
    free(p);
}
