/* Private interface of the geoparser: tokens, word lists, recognition and
 * resolution. Not part of the public API (see evm_geoparse in evmap.h). */
#ifndef EVM_GP_INT_H
#define EVM_GP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "evmap.h"

/* token flags */
enum {
    GP_CAP = 1 << 0,       /* first letter upper case */
    GP_ALLCAPS = 1 << 1,   /* every letter upper case, two or more */
    GP_LOWER = 1 << 2,     /* first letter lower case */
    GP_DIGIT = 1 << 3,     /* starts with a digit */
    GP_SENT = 1 << 4,      /* first word of a sentence or line */
    GP_ABBR = 1 << 5,      /* dotted abbreviation "U.S." */
    GP_POSS = 1 << 6,      /* possessive 's taken off */
    GP_HYPH = 1 << 7,      /* joined to the next token by a hyphen */
    GP_COMMA = 1 << 8,     /* a comma follows */
    GP_BREAK = 1 << 9,     /* other punctuation follows (no n-gram across) */
    GP_DOT = 1 << 10,      /* a full stop follows */
    GP_QUOTE = 1 << 11,    /* a quote or bracket before it */
    GP_NL = 1 << 12        /* a line break follows */
};

struct gp_tok {
    uint32_t b0, b1;     /* bytes [b0, b1) of the text */
    uint32_t c0, c1;     /* code points [c0, c1) */
    uint32_t norm;       /* offset of its normalised form in the doc's pool */
    uint16_t nlen;       /* length of the normalised form */
    uint16_t flags;
};

struct gp_doc {
    const char *text;
    size_t len;
    struct gp_tok *tok;
    size_t ntok, captok;
    char *pool;          /* normalised words */
    size_t npool, cappool;
};

/* Splits text into tokens (text must be valid UTF-8). 0 or -1 (memory). */
int gp_tokenize(struct gp_doc *d);
void gp_doc_free(struct gp_doc *d);
/* The lower-case ASCII copy of token i into buf (cap bytes): "" when it
 * does not fit or has other letters. */
const char *gp_lower(const struct gp_doc *d, size_t i, char *buf, size_t cap);

/* Word lists (lexicon.c). Each takes a lower-case ASCII word. */
int gp_is_common_word(const char *w);  /* "police", "march", "turkey" */
int gp_is_stop_cap(const char *w);     /* "the", "monday", "president" */
int gp_is_given_name(const char *w);   /* "john", "ned", "maria" */
int gp_is_title(const char *w);        /* "mr", "president", "gen" */
int gp_is_org_word(const char *w);     /* "corp", "department", "times" */
int gp_is_connector(const char *w);
int gp_may_start_name(const char *w); /* "new", "san", "the" */    /* "of", "de", "la" inside names */
int gp_is_locative(const char *w);     /* "in", "near", "from" */
int gp_is_speech_verb(const char *w);  /* "said", "told" */
/* A demonym or adjective of a country ("kazakh", "russian"): its ISO
 * code, else NULL. */
const char *gp_demonym(const char *w);
/* Kind words after a name ("airport", "oil field", "region"; next is
 * the word after w or NULL): non-NULL when they are, with *ntok words
 * (1 or 2) and *admin set when they name an administrative area. */
const char *gp_kind_word(const char *w, const char *next, int *admin,
                         int *ntok);

/* A built-in region the gazetteer lacks (continents, "Middle East") or a
 * short form it does not know ("UK"), by normalised key. */
struct gp_extra {
    const char *key;     /* normalised key, e.g. "africa" */
    const char *name;    /* display name */
    const char *query;   /* resolve through evm_geocode instead, or NULL */
    double lat, lon;
    const char *cc;      /* "" for regions over several countries */
};
const struct gp_extra *gp_extra_find(const char *key);

#endif
