/* The geoparser's working state for one text (recognize.c, resolve.c,
 * geoparse.c). Private. */
#ifndef EVM_GEOPARSE_H
#define EVM_GEOPARSE_H

#include "gp_int.h"

#define GP_MAX_PERSONS 64
#define GP_MAX_SENSES 24

/* A candidate place name: tokens [t0, t1) are the name looked up; the
 * reported span is [span0, span1) (with a kind word such as "airport"
 * when it changes the place); [s0, s1) covers the kind word too. */
struct gp_cand {
    size_t t0, t1, span0, span1, s0, s1;
    const struct gp_extra *extra;
    const char *demonym;     /* ISO code when a demonym */
    int kind;                /* kind words follow: tokens [t1, s1) */
    int kind_admin;
    unsigned sent : 1, single : 1, acronym : 1, common : 1, in_run : 1,
        locative : 1, speaks : 1, org_after : 1, comma_after : 1,
        qualifier : 1, keep : 1, allcaps : 1, name_after : 1;
    int qual;                /* index of the qualifier candidate, or -1 */
    int sense;               /* index into the context's names, or -1 */
};

/* A distinct name of the text (one sense per name per text). */
struct gp_name {
    char query[256];         /* what is asked of evm_geocode */
    char key[256];           /* its normalised key: names are one by key */
    int kind;                /* the query carries kind words */
    evm_place senses[GP_MAX_SENSES];
    double prior[GP_MAX_SENSES]; /* evm_geocode's score + kind's weight */
    unsigned char exact[GP_MAX_SENSES]; /* the name is the place's own (or
                                           alternate) name, not a code or
                                           a name without kind words */
    int nsenses;
    int chosen;              /* sense index, or -1 */
    double conf;             /* 0..1 */
    int mentions;
    int strong;              /* its best sense is a country/region/capital */
};

struct gp_ctx {
    const evm_gazetteer *gz;
    const evm_geoparse_opts *opts;
    struct gp_doc doc;
    struct gp_cand *cand;
    size_t ncand, capcand;
    struct gp_name *names;
    size_t nnames, capnames;
    char persons[GP_MAX_PERSONS][32];
    int npersons;
    int oom;
};

int gp_recognize(struct gp_ctx *x);
int gp_resolve(struct gp_ctx *x);
int gp_place_strong(const evm_place *p);

#endif
