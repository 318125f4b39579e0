/* Private interface of the gazetteer: the on-disk index format shared by
 * tools/mkgaz.c (writer) and index.c (reader), name normalisation, kind
 * words, and the overlay of user places. Not part of the public API. */
#ifndef EVM_GAZ_INT_H
#define EVM_GAZ_INT_H

#include <stddef.h>
#include <stdint.h>

#include "evmap.h"
#include "core/core.h"

/* ------------------------------------------------------------ file format
 *
 * build/gazetteer.evg is one flat little-endian file, mmap'ed read-only:
 *
 *   header (struct evm_gz_header)
 *   admin1           struct evm_gz_admin1[nadmin1]
 *   current names    struct evm_gz_current[ncurrent], sorted by place:
 *                    the display name of a place found by the alternate
 *                    name that is its current English name
 *   string pool      NUL-terminated UTF-8 strings; offset 0 is "". Kind,
 *                    admin-1 and current names first, then the keys'
 *                    strings in key order, then each place's name and id
 *                    in place order
 *   places           struct evm_gz_place[nplaces], most prominent first
 *                    (a stable sort: places of equal importance keep the
 *                    order of the source tables, which ranking ties use)
 *   keys             struct evm_gz_key[nkeys]: one per distinct
 *                    normalised name. The nfuzzy names the "did you mean"
 *                    search may propose come first, then the others; each
 *                    group by the prominence of its best place
 *   postings         uint32_t[nposts]: place index | match type << 28,
 *                    each key's run sorted by importance, best first
 *   hash             uint32_t[hash_size]: key index + 1, 0 = empty;
 *                    open addressing, linear probing on evm__gz_hash
 *   fuzzy            uint32_t[nfuzzy]: string offset of key f, so that the
 *                    suggestion search compares names without reading the
 *                    key records
 *   trigram starts   uint32_t[EVM_GZ_TRI_BUCKETS + 1]: byte offsets into
 *   trigram lists    uint8_t[ntri]: per bucket, the ascending fuzzy key
 *                    indexes (so most prominent first) whose names have
 *                    that trigram, each as the gap to the previous one
 *                    (the first as itself) in LEB128 varints
 *
 * Every section starts on an 8-byte boundary. Sizes and offsets are in the
 * header (the reader takes the sections wherever they are); it checks them
 * against the file size before use, and reads of postings, varints and
 * current names check their bounds. What every answer reads (admin-1 and
 * kind names) sits next to the header, which opening reads anyway, and
 * keys, places and postings are laid out by prominence, so that lookups
 * of well-known names touch the same few pages of the mapping. */

#define EVM_GZ_MAGIC "EVMGAZ\0\0"
#define EVM_GZ_VERSION 3
#define EVM_GZ_TRI_BUCKETS (1u << 18)
#define EVM_GZ_KIND_NAMES 256
#define EVM_GZ_NO_ADMIN1 UINT32_MAX
#define EVM_GZ_NO_ADMIN2 UINT32_MAX

/* match types stored in the top 4 bits of a posting */
enum {
    EVM_GZ_M_PRIMARY = 1, /* the place's display name */
    EVM_GZ_M_ALT = 2,     /* an alternate, historic or foreign name */
    EVM_GZ_M_CODE = 3,    /* IATA/ICAO/ISO code */
    EVM_GZ_M_STRIP = 4,   /* a name with its kind words removed */
    EVM_GZ_M_CURRENT = 5  /* an alternate name that is the place's current
                             English name (Natural Earth) where the
                             primary name is a former one: ranked as an
                             alternate name, shown as the display name */
};
#define EVM_GZ_POST_PLACE(p) ((p) & 0x0fffffffu)
#define EVM_GZ_POST_TYPE(p) ((p) >> 28)

/* sources */
enum { EVM_GZ_SRC_GEONAMES, EVM_GZ_SRC_NE, EVM_GZ_SRC_OURAIRPORTS,
       EVM_GZ_SRC_SITES, EVM_GZ_SRC_COUNT };

/* place flags */
enum {
    EVM_GZ_F_CAPITAL = 1,   /* national capital (GeoNames PPLC) */
    EVM_GZ_F_SEAT = 2,      /* seat of an admin region (PPLA, PPLA2) */
    EVM_GZ_F_MILITARY = 4   /* air base, naval base */
};

struct evm_gz_header {
    char magic[8];
    uint32_t version, endian; /* endian = 0x01020304 as written */
    uint32_t nplaces, nadmin1, nkeys, nposts, hash_size, nfuzzy, ntri;
    uint32_t kind_names[EVM_GZ_KIND_NAMES]; /* string offsets */
    uint32_t nkind_names;
    uint32_t ncurrent;
    uint64_t off_strings, len_strings, off_places, off_admin1, off_keys,
        off_posts, off_hash, off_fuzzy, off_tri_start, off_tri,
        off_current, file_size;
};

struct evm_gz_place {
    int32_t lat_e6, lon_e6;  /* degrees * 1e6 */
    uint32_t name;           /* string offset */
    uint32_t id;             /* string offset: "geonames:1526384" */
    uint32_t admin1;         /* index into admin1, or EVM_GZ_NO_ADMIN1 */
    uint32_t pop;
    uint16_t importance;     /* 0..10000: prominence used in ranking,
                                computed by mkgaz */
    uint8_t kind;            /* evm_kind */
    uint8_t kind_name;       /* index into header.kind_names */
    char cc[2];              /* ISO alpha-2, or "\0\0" */
    uint8_t source;          /* EVM_GZ_SRC_* */
    uint8_t flags;           /* EVM_GZ_F_* */
    uint32_t admin2;         /* place index of the admin-2 area the place
                                lies in, or EVM_GZ_NO_ADMIN2 */
};

struct evm_gz_admin1 {
    uint32_t name;           /* display name (GeoNames admin-1 name) */
    uint32_t code;           /* "KZ.02" */
};

struct evm_gz_key {
    uint32_t str;            /* normalised key (string offset) */
    uint32_t post, npost;    /* run in postings */
    uint32_t hash;           /* evm__gz_hash of the key */
};

struct evm_gz_current {
    uint32_t place;          /* place index */
    uint32_t name;           /* string offset: "Aktau" */
};

/* 32-bit FNV-1a of the key bytes. */
uint32_t evm__gz_hash(const char *s, size_t n);
/* Bucket of a byte trigram in the fuzzy index. */
uint32_t evm__gz_tri_bucket(unsigned char a, unsigned char b,
                            unsigned char c);
/* The distinct trigram buckets of key s[0..n) padded with a start and an
 * end mark, into out (EVM_GZ_MAX_TRI entries). Returns how many; keys
 * longer than EVM_GZ_MAX_TRI bytes contribute their first ones only. */
#define EVM_GZ_MAX_TRI 256
int evm__gz_trigrams(const char *s, size_t n, uint32_t *out);

/* ---------------------------------------------------------- normalising */

#define EVM_GZ_MAX_TOKENS 48
#define EVM_GZ_NORM_MAX 4096

/* A name split into normalised words: NFKC, case-folded, marks stripped,
 * a few letters folded (ı->i, ø->o, ł->l ...), apostrophes dropped, any
 * other punctuation or space separating words, Arabic articles
 * (al-, el-, ad-, ar-, as- ... before an assimilated consonant) written
 * "al". The lookup key is the words joined without spaces. */
struct evm_gz_words {
    char buf[EVM_GZ_NORM_MAX];
    size_t len;                        /* bytes used in buf */
    int n;                             /* number of words */
    uint16_t start[EVM_GZ_MAX_TOKENS], wlen[EVM_GZ_MAX_TOKENS];
};

/* Splits s[0..n) (valid UTF-8) into normalised words. Returns 0, or -1 if
 * the normalised text does not fit (over EVM_GZ_NORM_MAX bytes) or
 * utf8proc fails. Words beyond EVM_GZ_MAX_TOKENS join the last one. */
int evm__gz_words(const char *s, size_t n, struct evm_gz_words *w);
/* The same through utf8proc for any text; evm__gz_words takes a shortcut
 * for all-ASCII text that gives the same words (exposed for tests). */
int evm__gz_words_unicode(const char *s, size_t n, struct evm_gz_words *w);

/* Writes the key of words [from, to) into out (cap bytes, NUL-terminated).
 * Returns its length, or -1 if it does not fit. */
int evm__gz_key(const struct evm_gz_words *w, int from, int to, char *out,
                size_t cap);

/* Kind words: phrases such as "oil field", "international airport",
 * "oblast", "lake" that name a kind of place. */
struct evm_gz_kindword {
    const char *phrase;   /* normalised words, space-separated */
    int kind;             /* the evm_kind a place of this kind gets */
    unsigned kinds;       /* bit mask of evm_kind that fit the hint */
    const char *kind_name;/* finer kind ("oil field"), or NULL */
    int where;            /* 1 suffix, 2 prefix, 3 either */
};

/* Finds the longest kind phrase at the end (or, for prefix phrases, the
 * start) of words [0, w->n) that leaves at least one word. On a match
 * sets *from and *to to the remaining word range and returns the entry; else
 * NULL. */
const struct evm_gz_kindword *evm__gz_strip_kind(const struct evm_gz_words *w,
                                                 int *from, int *to);

/* Parses a --kind / kind: value ("oil field", "city", "airport", "site"...)
 * into a kind word entry (static storage). NULL if unknown. */
const struct evm_gz_kindword *evm__gz_parse_kind(const char *s);

/* Maps a finer kind name ("oil field", "square", "city") to its evm_kind;
 * EVM_KIND_SITE for names it does not know. */
evm_kind evm__gz_kind_of(const char *kind_name);

/* ------------------------------------------------------------- handle */

#include <pthread.h>

/* One user place of the overlay (evm_gazetteer_add_place(s)). */
struct evm_gz_user {
    evm_place pub;          /* strings below, score unused */
    char *name, *kind_name, *id, *source, *admin1_name;
    uint32_t admin1;        /* shipped admin-1 index its admin name gave,
                               or EVM_GZ_NO_ADMIN1 */
    uint32_t admin2;        /* shipped admin-2 place, or EVM_GZ_NO_ADMIN2 */
    uint16_t importance;
};

/* An overlay key: a normalised name and the user place it names. */
struct evm_gz_ukey {
    char *key;
    uint32_t hash, user, next; /* next: chain in the bucket, or UINT32_MAX */
    uint8_t type;
};

/* ------------------------------------------------------ learned places
 * (src/gazetteer/learn.c describes the .evp format) */

#define EVM_GZ_LMAGIC "EVMPLC\0\0"
#define EVM_GZ_LVERSION 1
#define EVM_GZ_MAX_LSETS 8

struct evm_gz_lheader {
    char magic[8];
    uint32_t version, endian;
    uint32_t nplaces, nkeys, nposts, hash_size;
    uint32_t stamp_places, stamp_admin1; /* the shipped index's counts */
    uint64_t off_places, off_keys, off_posts, off_hash, off_strings,
        len_strings, file_size;
};

struct evm_gz_lplace {
    int32_t lat_e6, lon_e6;
    uint32_t name, id, source; /* string offsets (id 0: none) */
    uint32_t admin1;           /* shipped admin-1 index or NO_ADMIN1 */
    uint32_t admin2;           /* shipped admin-2 place or NO_ADMIN2 */
    uint32_t count;            /* rows that named it there */
    char cc[2];
    uint8_t precision;         /* evm_precision */
    uint8_t kind;              /* evm_kind */
    uint32_t kind_name;        /* string offset */
};

/* One open places index. */
struct evm_gz_lset {
    void *img;
    size_t len;
    int mapped;   /* mmap'ed (else malloc'ed) */
    int admin_ok; /* its admin references hold for this gazetteer */
    const struct evm_gz_lheader *h;
    const struct evm_gz_lplace *places;
    const struct evm_gz_key *keys;
    const uint32_t *posts, *hash;
    const char *str;
};

/* Opens a places index file (.evp) into gz. */
evm_status evm__gz_open_lset(evm_gazetteer *gz, const char *path,
                             evm_error *err);
/* Learns the event table at path into gz: 1 done, 0 not an event table
 * (nothing changed), -1 with err set. */
int evm__gz_learn_table(evm_gazetteer *gz, const char *path, evm_error *err);
void evm__gz_close_lsets(evm_gazetteer *gz);
/* The same for a table in buf (name in messages), and a places index
 * image (copied) as if opened from a file: for the fuzz target. */
int evm__gz_learn_buffer(evm_gazetteer *gz, const char *name,
                         const char *buf, size_t len, evm_error *err);
evm_status evm__gz_attach_image(evm_gazetteer *gz, const char *name,
                                const void *img, size_t len,
                                evm_error *err);
/* The key entry of normalised key s[0..n) in places index l, or NULL. */
const struct evm_gz_key *evm__gz_lfind(const struct evm_gz_lset *l,
                                       const char *s, size_t n);

struct evm_gazetteer {
    /* the mmap'ed index (read-only after open) */
    void *map;
    size_t map_len;
    const struct evm_gz_header *h;
    const char *str;
    const struct evm_gz_place *places;
    const struct evm_gz_admin1 *admin1;
    const struct evm_gz_key *keys;
    const uint32_t *posts, *hash, *fuzzy, *tri_start;
    const uint8_t *tri;
    const struct evm_gz_current *current;
    /* the overlay of user places; not modified during lookups */
    struct evm_gz_user **users;
    size_t nusers, capusers;
    struct evm_gz_ukey *ukeys;
    size_t nukeys, capukeys;
    uint32_t *ubuckets;  /* head of each chain, UINT32_MAX = empty */
    size_t nubuckets;
    /* learned places indexes (evm_gazetteer_add_places) */
    struct evm_gz_lset lsets[EVM_GZ_MAX_LSETS];
    int nlsets;
    /* places handed out by evm_geocode_suggest, kept until close */
    pthread_mutex_t lock;
    evm_place **handed;
    size_t nhanded, caphanded;
};

/* A string of the index (never NULL; "" for a bad offset). */
const char *evm__gz_str(const evm_gazetteer *gz, uint32_t off);
/* The key entry for normalised key s[0..n), or NULL. */
const struct evm_gz_key *evm__gz_find(const evm_gazetteer *gz, const char *s,
                                      size_t n);
/* Fills out from shipped place i (score 0). */
void evm__gz_place_out(const evm_gazetteer *gz, uint32_t i, evm_place *out);
/* The precision a place of kind k gives: its area's for countries and
 * admin regions, exact for the others. */
evm_precision evm__gz_kind_precision(evm_kind k);
/* The current English name of shipped place i (the display name when it
 * was found by that name), or NULL. */
const char *evm__gz_current_name(const evm_gazetteer *gz, uint32_t i);
/* The user place chain for a key: index into gz->ukeys or UINT32_MAX. */
uint32_t evm__gz_ufind(const evm_gazetteer *gz, const char *s, size_t n);
/* Resolves a country given as an ISO alpha-2 code or a name in any
 * language to its code in cc[3]. Returns 0, or -1 if unknown. */
int evm__gz_country(const evm_gazetteer *gz, const char *s, char cc[3]);
/* Checks a user-supplied name: not empty, at most 1024 bytes, valid
 * UTF-8, no control characters. Returns NULL or what is wrong. */
const char *evm__gz_bad_name(const char *s, size_t n);

/* Fills out from a candidate: shipped place idx (user 0), overlay place
 * (user 1) or learned place (user 2 + index set), found by a name of
 * match type type (score 0). */
void evm__gz_fill_place(const evm_gazetteer *gz, uint32_t idx, int user,
                        int type, evm_place *out);
/* evm_geocode with the fast path allowed (fast = 1) or not: the two must
 * give the same answers (exposed for tests). */
int evm__geocode(const evm_gazetteer *gz, const char *query,
                 const evm_geocode_opts *opts, evm_place *out, int max,
                 int fast, evm_error *err);

/* ------------------------------------------------------------- overlay */

/* One parsed CSV/TSV record: fields copied, NUL-terminated, into buf. */
struct evm_gz_record {
    evm_buf buf;
    size_t off[64];
    int col[64];
    int n;
    long line; /* line where the record starts */
};
/* Reads the next record from *p (end e): RFC 4180 quoting when quoting,
 * fields split on delim. Returns 1 with a record, 0 at the end, -1 with
 * err set (file:line[:col]). *line counts physical lines. */
int evm__gz_next_record(const char *fname, const char **p, const char *e,
                        char delim, int quoting, long *line,
                        struct evm_gz_record *r, evm_error *err);
/* Field i of r, "" when the record has fewer. */
const char *evm__gz_fld(struct evm_gz_record *r, int i);

/* Parses places from a CSV/TSV buffer (name used in messages) into gz's
 * overlay. Used by evm_gazetteer_add_places and the fuzz target. */
evm_status evm__gz_add_places_buffer(evm_gazetteer *gz, const char *name,
                                     const char *buf, size_t len, int tab,
                                     evm_error *err);

/* Moves *s past leading spaces and tabs and shortens *n past trailing
 * ones (a query part, a qualifier). */
void evm__gz_trim(const char **s, size_t *n);

#endif
