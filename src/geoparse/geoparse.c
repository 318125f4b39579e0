/* evm_geoparse: tokens -> candidates -> senses in context -> toponyms. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "geoparse.h"

static void ctx_free(struct gp_ctx *x)
{
    gp_doc_free(&x->doc);
    free(x->cand);
    free(x->names);
}

/* Fills t from candidate c (kept) of x. */
static void emit(const struct gp_ctx *x, const struct gp_cand *c,
                 evm_toponym *t)
{
    const struct gp_doc *d = &x->doc;
    memset(t, 0, sizeof *t);
    t->start = d->tok[c->span0].c0;
    t->end = d->tok[c->span1 - 1].c1;
    t->byte_start = d->tok[c->span0].b0;
    t->byte_end = d->tok[c->span1 - 1].b1;
    if (c->demonym) {
        t->demonym = 1;
        evm_geocode_opts o = {.country = NULL, .kind = "country"};
        evm_error err = {0};
        if (evm_geocode(x->gz, c->demonym, &o, &t->place, 1, &err) == 1) {
            t->resolved = 1;
            t->score = 0.8;
        }
        return;
    }
    const struct gp_name *nm = &x->names[c->sense];
    t->place = nm->senses[nm->chosen];
    t->resolved = 1;
    double conf = nm->conf > 0.5 ? 1.0 : 0.5 + nm->conf;
    t->score = conf * (t->place.score > 1 ? 1 : t->place.score);
}

long evm_geoparse(const evm_gazetteer *gz, const char *text, size_t len,
                  const evm_geoparse_opts *opts, evm_toponym **out,
                  evm_error *err)
{
    *out = NULL;
    if (!gz || (!text && len)) {
        evm_error_set(err, EVM_E_USAGE, "evm_geoparse: no gazetteer or text");
        return -1;
    }
    if (len > EVM_GEOPARSE_MAX_TEXT) {
        evm_error_set(err, EVM_E_TOOBIG,
                      "text of %zu bytes is over the %u MB a call takes; "
                      "cut it at paragraph breaks",
                      len, EVM_GEOPARSE_MAX_TEXT >> 20);
        return -1;
    }
    long bad = evm__utf8_bad_offset(text, len);
    if (bad >= 0) {
        evm_error_set(err, EVM_E_INPUT,
                      "byte %ld: text is not valid UTF-8; convert it (e.g. "
                      "iconv -f LATIN1 -t UTF-8)", bad);
        return -1;
    }
    struct gp_ctx x;
    memset(&x, 0, sizeof x);
    x.gz = gz;
    x.opts = opts;
    x.doc.text = text;
    x.doc.len = len;
    if (gp_tokenize(&x.doc) < 0 || gp_recognize(&x) < 0 ||
        gp_resolve(&x) < 0) {
        ctx_free(&x);
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    int demonyms = opts && opts->demonyms;
    size_t n = 0;
    for (size_t k = 0; k < x.ncand; k++)
        if (x.cand[k].demonym ? demonyms : x.cand[k].keep)
            n++;
    if (n) {
        *out = calloc(n, sizeof **out);
        if (!*out) {
            ctx_free(&x);
            evm_error_set(err, EVM_E_NOMEM, "out of memory");
            return -1;
        }
        size_t j = 0;
        for (size_t k = 0; k < x.ncand; k++) {
            const struct gp_cand *c = &x.cand[k];
            if (c->demonym ? demonyms : c->keep)
                emit(&x, c, &(*out)[j++]);
        }
    }
    ctx_free(&x);
    return (long)n;
}
