/* Name keys and R-tree geometry shared by the basemap reader and
 * tools/mkbasemap, so that both sides compute them identically. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "basemap/evb.h"

int evm__evb_levels(uint32_t n, uint32_t count[EVB_MAX_LEVELS],
                    uint64_t *nnodes)
{
    uint32_t tmp[EVB_MAX_LEVELS];
    int k = 0;
    uint64_t total = 0;
    uint32_t m = n;

    *nnodes = 0;
    if (n == 0)
        return 0;
    do {
        m = (uint32_t)(((uint64_t)m + EVB_NODE - 1) / EVB_NODE);
        if (k == EVB_MAX_LEVELS)
            return -1;
        tmp[k++] = m;
        total += m;
    } while (m > 1);
    /* tmp is leaf-side first; the file stores the root first */
    for (int i = 0; i < k; i++)
        count[i] = tmp[k - 1 - i];
    *nnodes = total;
    return k;
}

int evm__bm_norm(const char *s, char *out, size_t outsz)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t len;
    utf8proc_ssize_t i = 0;
    size_t o = 0;
    int pending_space = 0;

    if (!s || outsz == 0)
        return -1;
    /* Unicode case folding and compatibility composition are what
     * utf8proc exists for; marks are stripped so "Aqtöbe" == "Aqtobe". */
    len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
                       UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                       UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                       UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    if (len < 0)
        return -1;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(m + i, len - i, &cp);
        utf8proc_category_t cat;
        if (n <= 0) {
            free(m);
            return -1;
        }
        cat = utf8proc_category(cp);
        if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
            if (pending_space && o > 0) {
                if (o + 1 >= outsz)
                    goto toolong;
                out[o++] = ' ';
            }
            pending_space = 0;
            if (o + (size_t)n >= outsz)
                goto toolong;
            memcpy(out + o, m + i, (size_t)n);
            o += (size_t)n;
        } else if (cat != UTF8PROC_CATEGORY_MN &&
                   cat != UTF8PROC_CATEGORY_MC &&
                   cat != UTF8PROC_CATEGORY_ME) {
            pending_space = 1;
        }
        i += n;
    }
    free(m);
    out[o] = '\0';
    return (int)o;
toolong:
    free(m);
    return -1;
}

/* Normalised type words; the first two are city words. */
static const char *const type_words[] = {
    "city", "qalasy", "region", "oblast", "oblasti", "oblysy", "province",
    "state", "governorate", "prefecture", "krai", "kray", "county",
    "district", "republic", "territory", "voivodeship",
    "область", "край", NULL
};

int evm__bm_strip_type(const char *key, int *is_city)
{
    size_t n = strlen(key);
    for (int i = 0; type_words[i]; i++) {
        size_t w = strlen(type_words[i]);
        if (n <= w + 1 || key[n - w - 1] != ' ' ||
            memcmp(key + n - w, type_words[i], w) != 0)
            continue;
        *is_city = i < 2;
        return (int)(n - w - 1);
    }
    return -1;
}
