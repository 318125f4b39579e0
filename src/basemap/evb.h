/* The basemap.evb file format, shared by tools/mkbasemap (writer) and
 * src/basemap/basemap.c (reader). Private to the basemap module.
 *
 * One file, written in the byte order of the machine that built it (the
 * header records it) and mmap'ed read-only at run time:
 *
 *   struct evb_header                 magic, sizes, CRC, layer descriptors
 *   per layer and scale:
 *     struct evb_feat[nfeat]          in packed R-tree leaf order
 *     R-tree nodes (float bbox[4])    internal levels, root first
 *   uint32_t part lengths, float lon/lat pairs (4-byte aligned)
 *   string table                      NUL-terminated UTF-8, offset 0 = ""
 *   struct evb_name[nnames]           name index, sorted by (kind, key)
 *
 * The packed R-tree is implicit: level k has ceil(n_{k+1} / EVB_NODE)
 * nodes, node i covering items [i*EVB_NODE, (i+1)*EVB_NODE) of the level
 * below; the leaf level is the feature array itself. Every offset is in
 * bytes from the start of the file. */
#ifndef EVM_EVB_H
#define EVM_EVB_H

#include <stddef.h>
#include <stdint.h>
#include "basemap/basemap.h"

#define EVB_MAGIC "EVMBASE\0"
#define EVB_VERSION 2u
#define EVB_ENDIAN 0x01020304u
#define EVB_NSCALES 3
#define EVB_NODE 16          /* R-tree fan-out */
#define EVB_MAX_LEVELS 12    /* 16^12 features: more than enough */
#define EVB_NOWHOLE UINT32_MAX

enum { EVB_GEOM_NONE = 0, EVB_GEOM_POINT, EVB_GEOM_LINE, EVB_GEOM_POLYGON };

/* Kinds of the untiled ("whole") layers and of name index entries. */
enum { EVB_WHOLE_COUNTRIES = 0, EVB_WHOLE_ADMIN1, EVB_NWHOLE };

struct evb_layer {
    uint32_t nfeat;
    uint32_t geom;           /* EVB_GEOM_* */
    uint64_t feat_off;       /* struct evb_feat[nfeat] */
    uint64_t tree_off;       /* float[4] per internal node, root first */
    float bbox[4];           /* of all features */
};

struct evb_feat {
    float bbox[4];           /* lon_min, lat_min, lon_max, lat_max */
    uint32_t name, name_en;  /* string table offsets */
    char iso[4];             /* ISO 3166-1 alpha-2, NUL-padded */
    int32_t rank;
    int64_t pop;
    int32_t flags;           /* EVM_BM_F_* */
    uint32_t nparts;
    uint32_t npoints;
    uint32_t whole;          /* index in the whole layer, or EVB_NOWHOLE */
    uint32_t id, code;       /* string offsets: Natural Earth key (ADM0_A3,
                                adm1_code) the gazetteer's ne: ids carry,
                                and the code shown (ISO A2, ISO 3166-2);
                                countries and admin-1 at 10m, else "" */
    uint64_t parts_off;      /* uint32_t[nparts] */
    uint64_t coords_off;     /* float[2 * npoints] */
};

struct evb_name {
    uint32_t key;            /* string offset of the normalised name */
    uint16_t kind;           /* EVB_WHOLE_* */
    uint16_t tier;           /* 0 primary name, 1 English/codes, 2 other,
                                3 name with its type word removed */
    uint32_t feat;           /* index in whole[kind] */
};

struct evb_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t file_size;
    uint32_t nlayers;        /* EVM_BM_LAYER_COUNT */
    uint32_t nscales;        /* EVB_NSCALES */
    uint32_t crc;            /* crc32 of the header with this field 0 */
    uint32_t nnames;
    uint64_t strings_off, strings_size;
    uint64_t names_off;
    struct evb_layer layers[EVM_BM_LAYER_COUNT][EVB_NSCALES];
    struct evb_layer whole[EVB_NWHOLE];   /* 10m, untiled */
};

/* Number of internal R-tree levels and nodes for n features; fills
 * count[0..levels) root first. Returns the level count (0 if n == 0). */
int evm__evb_levels(uint32_t n, uint32_t count[EVB_MAX_LEVELS],
                    uint64_t *nnodes);

/* Normalises a name for lookup: Unicode NFKC, case folded, marks
 * stripped, every run of non-letters/digits made one space, trimmed
 * ("Kharkivs'ka Oblast'" -> "kharkivs ka oblast"). Writes at most outsz
 * bytes including the NUL. Returns the length, or -1 if s is not valid
 * UTF-8 or does not fit. */
int evm__bm_norm(const char *s, char *out, size_t outsz);

/* Type words that may follow an admin-1 name ("Almaty Region").
 * If the normalised name key ends in one, returns the length of the key
 * without it (and the space before) and sets *is_city to 1 for city
 * words ("city", "qalasy"), 0 for region words; returns -1 otherwise. */
int evm__bm_strip_type(const char *key, int *is_city);

#endif
