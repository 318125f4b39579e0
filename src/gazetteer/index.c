/* Opening the compiled gazetteer index: one mmap, a header check, and
 * pointers into the sections. Nothing is parsed at start-up, and opening
 * touches only the header's page: a lookup then faults in the few pages
 * it reads (the index is laid out so that common names share them). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "gaz_int.h"

static const char *const source_names[EVM_GZ_SRC_COUNT] = {
    "GeoNames", "Natural Earth", "OurAirports", "evmap sites"};

const char *evm__gz_str(const evm_gazetteer *gz, uint32_t off)
{
    if (!gz->h || off >= gz->h->len_strings)
        return "";
    return gz->str + off;
}

static int section_ok(const struct evm_gz_header *h, uint64_t off,
                      uint64_t count, size_t size)
{
    if (off % 8 || off > h->file_size)
        return 0;
    if (count && size > (h->file_size - off) / count)
        return 0;
    return 1;
}

evm_gazetteer *evm_gazetteer_open(const char *path, evm_error *err)
{
    char *found = NULL;
    int fd = -1;
    void *map = MAP_FAILED;
    size_t len = 0;
    evm_gazetteer *gz = NULL;
    if (!path) {
        found = evm_data_path("gazetteer.evg");
        if (!found && errno == ENOMEM) {
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return NULL;
        }
        if (!found) {
            evm_error_set(err, EVM_E_IO,
                          "gazetteer.evg not found (looked in $EVMAP_DATA, "
                          "beside the executable and in the install "
                          "prefix); run make, or set EVMAP_DATA to the "
                          "build directory");
            return NULL;
        }
        path = found;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                      strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(struct
                                                          evm_gz_header)) {
        evm_error_set(err, EVM_E_IO,
                      "%s: not a gazetteer index (too short); rebuild it "
                      "with make", path);
        goto fail;
    }
    len = (size_t)st.st_size;
    map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        evm_error_set(err, EVM_E_IO, "%s: cannot map: %s", path,
                      strerror(errno));
        goto fail;
    }
    /* lookups read a few scattered records: no read-ahead around them
     * (and no MAP_POPULATE: a lookup needs a few pages, not 60 MB) */
    (void)madvise(map, len, MADV_RANDOM);
    const struct evm_gz_header *h = map;
    if (memcmp(h->magic, EVM_GZ_MAGIC, 8) != 0 ||
        h->version != EVM_GZ_VERSION || h->endian != 0x01020304 ||
        h->file_size != len || h->nkind_names > EVM_GZ_KIND_NAMES ||
        h->len_strings == 0 || h->hash_size == 0 ||
        (h->hash_size & (h->hash_size - 1)) != 0 ||
        h->nfuzzy > h->nkeys ||
        !section_ok(h, h->off_strings, h->len_strings, 1) ||
        !section_ok(h, h->off_places, h->nplaces,
                    sizeof(struct evm_gz_place)) ||
        !section_ok(h, h->off_admin1, h->nadmin1,
                    sizeof(struct evm_gz_admin1)) ||
        !section_ok(h, h->off_keys, h->nkeys, sizeof(struct evm_gz_key)) ||
        !section_ok(h, h->off_posts, h->nposts, 4) ||
        !section_ok(h, h->off_hash, h->hash_size, 4) ||
        !section_ok(h, h->off_fuzzy, h->nfuzzy, 4) ||
        !section_ok(h, h->off_tri_start, EVM_GZ_TRI_BUCKETS + 1, 4) ||
        !section_ok(h, h->off_tri, h->ntri, 1) ||
        !section_ok(h, h->off_current, h->ncurrent,
                    sizeof(struct evm_gz_current))) {
        evm_error_set(err, EVM_E_IO,
                      "%s: not a gazetteer index of this version, or "
                      "damaged; rebuild it with make", path);
        goto fail;
    }
    /* the pool must end in a NUL; read that byte rather than fault in
     * the page around it */
    char last = 1;
    if (pread(fd, &last, 1, (off_t)(h->off_strings + h->len_strings - 1)) !=
            1 ||
        last != '\0') {
        evm_error_set(err, EVM_E_IO,
                      "%s: not a gazetteer index of this version, or "
                      "damaged; rebuild it with make", path);
        goto fail;
    }
    close(fd);
    fd = -1;
    gz = calloc(1, sizeof *gz);
    if (!gz) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        goto fail;
    }
    const char *base = map;
    gz->map = map;
    gz->map_len = len;
    gz->h = h;
    gz->str = base + h->off_strings;
    gz->places = (const void *)(base + h->off_places);
    gz->admin1 = (const void *)(base + h->off_admin1);
    gz->keys = (const void *)(base + h->off_keys);
    gz->posts = (const void *)(base + h->off_posts);
    gz->hash = (const void *)(base + h->off_hash);
    gz->fuzzy = (const void *)(base + h->off_fuzzy);
    gz->tri_start = (const void *)(base + h->off_tri_start);
    gz->tri = (const uint8_t *)(base + h->off_tri);
    gz->current = (const void *)(base + h->off_current);
    pthread_mutex_init(&gz->lock, NULL);
    free(found);
    return gz;
fail:
    if (map != MAP_FAILED)
        munmap(map, len);
    if (fd >= 0)
        close(fd);
    free(found);
    return NULL;
}

void evm_gazetteer_close(evm_gazetteer *gz)
{
    if (!gz)
        return;
    for (size_t i = 0; i < gz->nusers; i++) {
        struct evm_gz_user *u = gz->users[i];
        free(u->name);
        free(u->kind_name);
        free(u->id);
        free(u->source);
        free(u->admin1_name);
        free(u);
    }
    free(gz->users);
    evm__gz_close_lsets(gz);
    for (size_t i = 0; i < gz->nukeys; i++)
        free(gz->ukeys[i].key);
    free(gz->ukeys);
    free(gz->ubuckets);
    for (size_t i = 0; i < gz->nhanded; i++)
        free(gz->handed[i]);
    free(gz->handed);
    pthread_mutex_destroy(&gz->lock);
    if (gz->map)
        munmap(gz->map, gz->map_len);
    free(gz);
}

const struct evm_gz_key *evm__gz_find(const evm_gazetteer *gz, const char *s,
                                      size_t n)
{
    if (!gz->h || n == 0)
        return NULL;
    uint32_t hv = evm__gz_hash(s, n);
    uint32_t mask = gz->h->hash_size - 1;
    for (uint32_t i = hv & mask, probes = 0; probes <= mask;
         i = (i + 1) & mask, probes++) {
        uint32_t k = gz->hash[i];
        if (!k)
            return NULL;
        if (k > gz->h->nkeys)
            return NULL;
        const struct evm_gz_key *key = &gz->keys[k - 1];
        if (key->hash != hv)
            continue;
        if (key->str >= gz->h->len_strings ||
            n >= gz->h->len_strings - key->str)
            continue;
        const char *ks = gz->str + key->str; /* n bytes and a NUL fit */
#if defined(__GNUC__) || defined(__clang__)
        /* the caller reads the postings next: fetch them while the
         * string is compared */
        if (key->post < gz->h->nposts)
            __builtin_prefetch(&gz->posts[key->post]);
#endif
        if (memcmp(ks, s, n) == 0 && ks[n] == '\0') {
            if (key->post > gz->h->nposts ||
                key->npost > gz->h->nposts - key->post)
                return NULL;
            return key;
        }
    }
    return NULL;
}

uint32_t evm__gz_ufind(const evm_gazetteer *gz, const char *s, size_t n)
{
    if (!gz->nubuckets)
        return UINT32_MAX;
    uint32_t hv = evm__gz_hash(s, n);
    uint32_t k = gz->ubuckets[hv & (gz->nubuckets - 1)];
    while (k != UINT32_MAX) {
        const struct evm_gz_ukey *u = &gz->ukeys[k];
        if (u->hash == hv && strncmp(u->key, s, n) == 0 && u->key[n] == 0)
            return k;
        k = u->next;
    }
    return UINT32_MAX;
}

void evm__gz_place_out(const evm_gazetteer *gz, uint32_t i, evm_place *out)
{
    const struct evm_gz_place *p = &gz->places[i];
    memset(out, 0, sizeof *out);
    out->name = evm__gz_str(gz, p->name);
    out->lat = p->lat_e6 / 1e6;
    out->lon = p->lon_e6 / 1e6;
    out->country[0] = p->cc[0];
    out->country[1] = p->cc[1];
    out->country[2] = '\0';
    out->admin1 = p->admin1 < gz->h->nadmin1
                      ? evm__gz_str(gz, gz->admin1[p->admin1].name)
                      : "";
    out->kind = p->kind < EVM_KIND_COUNT ? (evm_kind)p->kind
                                         : EVM_KIND_SITE;
    out->kind_name = p->kind_name < gz->h->nkind_names
                         ? evm__gz_str(gz, gz->h->kind_names[p->kind_name])
                         : "";
    out->population = (long)p->pop;
    out->id = evm__gz_str(gz, p->id);
    out->source = p->source < EVM_GZ_SRC_COUNT ? source_names[p->source]
                                               : "";
    out->precision = evm__gz_kind_precision(out->kind);
}

evm_precision evm__gz_kind_precision(evm_kind k)
{
    return k == EVM_KIND_COUNTRY  ? EVM_PREC_COUNTRY
           : k == EVM_KIND_ADMIN1 ? EVM_PREC_ADMIN1
           : k == EVM_KIND_ADMIN2 ? EVM_PREC_ADMIN2
                                  : EVM_PREC_EXACT;
}

const char *evm__gz_current_name(const evm_gazetteer *gz, uint32_t i)
{
    uint32_t lo = 0, hi = gz->h->ncurrent;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (gz->current[mid].place < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < gz->h->ncurrent && gz->current[lo].place == i) {
        const char *s = evm__gz_str(gz, gz->current[lo].name);
        return *s ? s : NULL;
    }
    return NULL;
}

const char *evm__gz_bad_name(const char *s, size_t n)
{
    size_t i = 0, j = n;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    if (i == j)
        return "empty name";
    if (n > 1024)
        return "name longer than 1024 bytes";
    /* most names are printable ASCII, which needs no more checks */
    size_t a = 0;
    while (a < n && (unsigned char)s[a] - 0x20u < 0x5fu)
        a++;
    if (a == n)
        return NULL;
    if (!evm__utf8_valid(s, n))
        return "name is not valid UTF-8";
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c == 0x7f)
            return "name contains a control character";
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
        if (c == 0xc2 && k + 1 < n && (unsigned char)s[k + 1] < 0xa0)
            return "name contains a control character";
    }
    return NULL;
}

int evm__gz_country(const evm_gazetteer *gz, const char *s, char cc[3])
{
    struct evm_gz_words w;
    char key[EVM_GZ_NORM_MAX];
    size_t n = strlen(s);
    if (evm__gz_bad_name(s, n) || evm__gz_words(s, n, &w) < 0)
        return -1;
    int len = evm__gz_key(&w, 0, w.n, key, sizeof key);
    if (len <= 0)
        return -1;
    const struct evm_gz_key *k = evm__gz_find(gz, key, (size_t)len);
    if (!k)
        return -1;
    for (uint32_t j = 0; j < k->npost; j++) {
        uint32_t pst = gz->posts[k->post + j];
        uint32_t pi = EVM_GZ_POST_PLACE(pst);
        if (pi < gz->h->nplaces &&
            gz->places[pi].kind == EVM_KIND_COUNTRY &&
            gz->places[pi].cc[0]) {
            cc[0] = gz->places[pi].cc[0];
            cc[1] = gz->places[pi].cc[1];
            cc[2] = '\0';
            return 0;
        }
    }
    return -1;
}
