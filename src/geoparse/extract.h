/* The report extractor's private interface (extract*.c). */
#ifndef EVM_EXTRACT_H
#define EVM_EXTRACT_H

#include <stddef.h>

#include "core/core.h"
#include "evmap.h"

/* A civil date; y == 0 when unknown. */
struct ex_date {
    int y, m, d;
};

struct ex_sent {
    size_t b0, b1;       /* bytes of the text */
    int para;            /* paragraph number */
    int t0, t1;          /* its toponyms [t0, t1) */
};

struct ex_event {
    const evm_toponym *at;
    const char *type;
    struct ex_date date;
    long fatalities;     /* -1: none given */
    int claimed, sent;
    int area;            /* drawn as an area over a country/region */
    char label[96];
    char note[64];       /* a remark for the comment, or "" */
};

struct ex_move {
    evm_place from, to;
    int from_country;    /* the origin was given only as a country */
    const char *type;
    char side[48];
    struct ex_date date;
    int claimed, sent;
    char label[96];
};

struct ex_doc {
    const evm_gazetteer *gz;
    const char *text;
    size_t len;
    evm_toponym *top;
    long ntop;
    struct ex_sent *sent;
    size_t nsent;
    struct ex_date base;
    char title[160];
    char sources[160];
    const evm_toponym *main_place, *main_country;
    struct ex_event *ev;
    size_t nev, capev;
    struct ex_move *mv;
    size_t nmv, capmv;
    evm_place airport;   /* "the airport" of the main place */
    int has_airport;
};

/* extract_text.c */
int ex_sentences(struct ex_doc *d);
int ex_parse_date(const char *s, size_t n, struct ex_date *out);
void ex_dateline(struct ex_doc *d);
struct ex_date ex_sentence_date(const struct ex_doc *d, const char *s,
                                size_t n);
long ex_fatalities(const char *s, size_t n);
int ex_has(const char *lower, const char *word);
void ex_lower(const char *s, size_t n, char *out, size_t cap);
void ex_label(const char *s, size_t n, char *out, size_t cap);
size_t ex_dateline_end(const char *s, size_t n);
void ex_title(struct ex_doc *d);
int ex_headline(const struct ex_doc *d);
void ex_sources(struct ex_doc *d);

/* extract_move.c: movements of sentence k (0, or -1 out of memory) */
int ex_movements(struct ex_doc *d, size_t k);

/* extract_yaml.c */
char *ex_yaml(const struct ex_doc *d);

#endif
