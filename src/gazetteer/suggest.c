/* "Did you mean" suggestions (evm_geocode_suggest): names within a few
 * edits of a query that matched nothing. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gaz_int.h"

/* ------------------------------------------------------------ suggestions
 *
 * Names within a few edits of the query, found through the trigram index
 * over the fuzzy keys (gaz_int.h). Each trigram's list holds fuzzy key
 * indexes in ascending order, which is the order of prominence, so the
 * lists are merged in that order: a key is compared with the query (edit
 * distance) once enough of the query's trigrams have named it, and once
 * max places are found, later (less prominent) keys must be strictly
 * closer to displace one. The search stops when no list is left that
 * could still name a good enough key, or after a fixed number of list
 * entries: it reads the beginnings of a few lists, a little of the fuzzy
 * names and the records of the places it proposes, and allocates
 * nothing but the caller's answers. Ranked by edit distance, then
 * prominence, then index order, user places counting as most prominent. */

#define SUGG_MAX 64           /* suggestions returned at most */
#define SUGG_BUDGET (1 << 20) /* list entries read at most */
#define SUGG_VERIFY 20000     /* edit distances computed at most */

struct sugg {
    uint32_t idx;
    uint8_t user, type;
    uint16_t importance;
    int dist;
};

static int cmp_sugg(const void *a, const void *b)
{
    const struct sugg *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist - y->dist;
    if (x->importance != y->importance)
        return x->importance > y->importance ? -1 : 1;
    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->user - y->user;
}

/* The best n distinct places so far, best first. */
struct top {
    struct sugg *s;
    int n, max;
};

static void top_add(struct top *t, const struct sugg *c)
{
    int at = -1;
    for (int i = 0; i < t->n; i++)
        if (t->s[i].idx == c->idx && t->s[i].user == c->user) {
            int d = cmp_sugg(c, &t->s[i]);
            if (d == 0 && c->type == EVM_GZ_M_CURRENT)
                t->s[i].type = c->type; /* as close by its current name */
            if (d >= 0)
                return;
            at = i; /* the same place, closer: move it */
            break;
        }
    if (at < 0) {
        if (t->n == t->max) {
            if (cmp_sugg(c, &t->s[t->n - 1]) >= 0)
                return;
            at = t->n - 1;
        } else {
            at = t->n++;
        }
    }
    while (at > 0 && cmp_sugg(c, &t->s[at - 1]) < 0) {
        t->s[at] = t->s[at - 1];
        at--;
    }
    t->s[at] = *c;
}

/* A stable evm_place for a suggestion: kept until evm_gazetteer_close,
 * reused when the same place is proposed again under the same name. */
static const evm_place *hand_out(evm_gazetteer *gz, const struct sugg *s)
{
    evm_place tmp;
    evm__gz_fill_place(gz, s->idx, s->user, s->type, &tmp);
    tmp.score = 0;
    const evm_place *res = NULL;
    pthread_mutex_lock(&gz->lock);
    for (size_t i = 0; i < gz->nhanded && !res; i++)
        if (gz->handed[i]->id == tmp.id && gz->handed[i]->name == tmp.name)
            res = gz->handed[i];
    if (!res) {
        evm_place *p = malloc(sizeof *p);
        if (gz->nhanded == gz->caphanded) {
            size_t nc = gz->caphanded ? gz->caphanded * 2 : 16;
            evm_place **nh = evm__reallocarray(gz->handed, nc, sizeof *nh);
            if (nh) {
                gz->handed = nh;
                gz->caphanded = nc;
            }
        }
        if (p && gz->nhanded < gz->caphanded) {
            *p = tmp;
            gz->handed[gz->nhanded++] = p;
            res = p;
        } else {
            free(p);
        }
    }
    pthread_mutex_unlock(&gz->lock);
    return res;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* A trigram list being read: the next fuzzy index f, decoded from
 * p[0 .. end). */
struct cursor {
    const uint8_t *p, *end;
    uint32_t f;
};

/* Decodes the next entry after c->f (or the first, with c->f = -1).
 * Returns 0 at the end of the list or on bytes that make no sense. */
static int cursor_next(struct cursor *c, uint32_t nf)
{
    uint32_t gap = 0;
    int shift = 0;
    for (;;) {
        if (c->p >= c->end || shift > 28)
            return 0;
        uint8_t b = *c->p++;
        gap |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    uint64_t f = (uint64_t)c->f + 1 + gap; /* c->f = UINT32_MAX: -1 */
    if (c->f == UINT32_MAX)
        f = gap;
    if (f >= nf)
        return 0;
    c->f = (uint32_t)f;
    return 1;
}

/* A binary heap of cursor indexes by their f. */
static void heap_down(const struct cursor *cur, int *heap, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && cur[heap[l]].f < cur[heap[m]].f)
            m = l;
        if (r < n && cur[heap[r]].f < cur[heap[m]].f)
            m = r;
        if (m == i)
            return;
        int t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
}

/* The smallest number of the query's nb trigrams that a key within d
 * edits must share: an edit changes at most 3 trigrams. At least half
 * are asked for, which keeps the comparisons to few, close keys. */
static int need_for(int nb, int d)
{
    int need = nb - 3 * d;
    if (need < (nb + 1) / 2)
        need = (nb + 1) / 2;
    return need < 1 ? 1 : need;
}

int evm_geocode_suggest(const evm_gazetteer *gz, const char *query,
                        const evm_place **out, int max)
{
    if (!gz || !query || !out || max <= 0)
        return 0;
    if (max > SUGG_MAX)
        max = SUGG_MAX;
    size_t qlen = strlen(query);
    if (evm__gz_bad_name(query, qlen))
        return 0;
    const char *comma = memchr(query, ',', qlen);
    const char *name = query;
    size_t nlen = comma ? (size_t)(comma - query) : qlen;
    evm__gz_trim(&name, &nlen);
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    if (!nlen || evm__gz_words(name, nlen, &w) < 0 || w.n == 0)
        return 0;
    int from = 0, to = w.n;
    evm__gz_strip_kind(&w, &from, &to);
    int klen = evm__gz_key(&w, from, to, key, sizeof key);
    if (klen <= 0 || klen > 255)
        return 0;
    size_t chars = utf8_chars(key, (size_t)klen);
    int maxd = chars <= 4 ? 1 : chars <= 8 ? 2 : 3;
    if (chars != (size_t)klen)
        maxd *= 2; /* byte distances: most non-Latin letters are 2 bytes */

    struct sugg tops[SUGG_MAX];
    struct top top = {tops, 0, max};
    /* user places: few, so compared one by one */
    for (size_t u = 0; u < gz->nukeys; u++) {
        int d = evm__edit_distance(key, gz->ukeys[u].key, maxd);
        if (d > maxd)
            continue;
        struct sugg c = {.idx = gz->ukeys[u].user, .user = 1,
                         .type = gz->ukeys[u].type, .importance = 10000,
                         .dist = d};
        top_add(&top, &c);
    }

    /* shipped names: merge the query's trigram lists */
    uint32_t bk[EVM_GZ_MAX_TRI];
    int nb = evm__gz_trigrams(key, (size_t)klen, bk);
    uint32_t nf = gz->h->nfuzzy;
    struct cursor cur[EVM_GZ_MAX_TRI];
    int heap[EVM_GZ_MAX_TRI], nh = 0;
    for (int i = 0; i < nb; i++) {
        uint32_t a = gz->tri_start[bk[i]], b = gz->tri_start[bk[i] + 1];
        if (b > gz->h->ntri || a > b)
            continue;
        cur[i].p = gz->tri + a;
        cur[i].end = gz->tri + b;
        cur[i].f = UINT32_MAX;
        if (cursor_next(&cur[i], nf))
            heap[nh++] = i;
    }
    for (int i = nh / 2 - 1; i >= 0; i--)
        heap_down(cur, heap, nh, i);
    int cap = maxd; /* the distance a new key must not exceed */
    long nread = 0, verified = 0;
    while (nh > 0 && cap >= 0) {
        /* a key is named by as many lists as hold it */
        uint32_t f = cur[heap[0]].f;
        int count = 0;
        while (nh > 0 && cur[heap[0]].f == f) {
            count++;
            if (!cursor_next(&cur[heap[0]], nf))
                heap[0] = heap[--nh];
            heap_down(cur, heap, nh, 0);
        }
        nread += count;
        if (count >= need_for(nb, cap)) {
            verified++;
            int d = evm__edit_distance(key, evm__gz_str(gz, gz->fuzzy[f]),
                                       cap);
            const struct evm_gz_key *ke = &gz->keys[f];
            if (d <= cap && ke->npost > 0 && ke->post < gz->h->nposts) {
                uint32_t pst = gz->posts[ke->post];
                uint32_t pi = EVM_GZ_POST_PLACE(pst);
                if (pi < gz->h->nplaces) {
                    struct sugg c = {.idx = pi, .user = 0,
                                     .type = (uint8_t)EVM_GZ_POST_TYPE(pst),
                                     .importance =
                                         gz->places[pi].importance,
                                     .dist = d};
                    top_add(&top, &c);
                }
            }
            if (top.n == top.max) {
                /* later keys are less prominent: they must be closer
                 * than the worst kept (as close, if that is a user
                 * place, which counts as most prominent) */
                const struct sugg *worst = &top.s[top.n - 1];
                cap = worst->user ? worst->dist : worst->dist - 1;
            }
        }
        if (nh < need_for(nb, cap) || nread >= SUGG_BUDGET ||
            verified >= SUGG_VERIFY)
            break;
    }

    int n = 0;
    for (int i = 0; i < top.n; i++) {
        /* suggestions are for the caller to show: the handle's cache is
         * the one piece of state a lookup may add to, under a lock */
        const evm_place *p = hand_out((evm_gazetteer *)gz, &top.s[i]);
        if (p)
            out[n++] = p;
    }
    return n;
}
