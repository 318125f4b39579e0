/* The report extractor's reading of prose: sentences, the headline, the
 * dateline's date and relative day words, numbers of dead, short labels
 * and the agencies a report cites. Written by hand for English news
 * conventions (no library reads datelines); each rule is a convention of
 * news writing, not of one report. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

void ex_lower(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[k] = 0;
}

/* 1 when word (lower case, may hold spaces) occurs in lower at a word
 * start; a trailing '*' in word matches any ending ("protest*"). */
int ex_has(const char *lower, const char *word)
{
    size_t n = strlen(word);
    int prefix = n && word[n - 1] == '*';
    if (prefix)
        n--;
    for (const char *p = lower; *p; p++)
        if ((p == lower || !isalnum((unsigned char)p[-1])) &&
            !strncmp(p, word, n) &&
            (prefix || !isalnum((unsigned char)p[n])))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ sentences */

static int abbrev_before(const char *s, size_t i)
{
    /* "Mr.", "St.", "U.S.", "Jan.": a short capitalised word or single
     * letters before the dot */
    size_t j = i;
    while (j > 0 && isalpha((unsigned char)s[j - 1]))
        j--;
    size_t n = i - j;
    if (n == 1)
        return 1;
    if (n <= 3 && isupper((unsigned char)s[j]))
        return 1;
    return 0;
}

int ex_sentences(struct ex_doc *d)
{
    size_t cap = 64, start = 0;
    int para = 0;
    d->sent = malloc(cap * sizeof *d->sent);
    if (!d->sent)
        return -1;
    d->nsent = 0;
    const char *s = d->text;
    for (size_t i = 0; i <= d->len; i++) {
        int end = 0, skip = 0, newpara = 0;
        if (i == d->len)
            end = 1;
        else if (s[i] == '\n') {
            end = 1;
            skip = 1;
            if (i + 1 < d->len && s[i + 1] == '\n')
                newpara = 1;
            else
                newpara = 1; /* a line is a paragraph in plain reports */
        } else if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
                   i + 1 < d->len) {
            size_t j = i + 1;
            while (j < d->len && (s[j] == '"' || s[j] == ')' ||
                                  (unsigned char)s[j] == 0xE2))
                j += (unsigned char)s[j] == 0xE2 ? 3 : 1;
            if (j >= d->len || s[j] == ' ' || s[j] == '\n' ||
                isupper((unsigned char)s[j])) {
                if (!(s[i] == '.' && abbrev_before(s, i))) {
                    end = 1;
                    i = j - 1;
                }
            }
        }
        if (!end)
            continue;
        size_t b0 = start, b1 = i + (skip ? 0 : 1);
        if (b1 > d->len)
            b1 = d->len;
        while (b0 < b1 && isspace((unsigned char)s[b0]))
            b0++;
        while (b1 > b0 && isspace((unsigned char)s[b1 - 1]))
            b1--;
        if (b1 > b0) {
            if (d->nsent == cap) {
                cap *= 2;
                struct ex_sent *n = realloc(d->sent, cap * sizeof *n);
                if (!n)
                    return -1;
                d->sent = n;
            }
            d->sent[d->nsent++] = (struct ex_sent){b0, b1, para, 0, 0};
        }
        if (newpara)
            para++;
        start = i + 1;
    }
    /* toponyms of each sentence */
    long t = 0;
    for (size_t k = 0; k < d->nsent; k++) {
        while (t < d->ntop && d->top[t].byte_start < d->sent[k].b0)
            t++;
        d->sent[k].t0 = (int)t;
        while (t < d->ntop && d->top[t].byte_start < d->sent[k].b1)
            t++;
        d->sent[k].t1 = (int)t;
    }
    return 0;
}

/* ---------------------------------------------------------------- dates */

static const struct { const char *name; int m; } months[] = {
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4},
    {"may", 5}, {"june", 6}, {"july", 7}, {"august", 8},
    {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
    {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6},
    {"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10},
    {"nov", 11}, {"dec", 12},
    /* Spanish and French abbreviations of reports syndicated abroad */
    {"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12}, {"janv", 1},
    {"fevr", 2}, {"avr", 4}, {"juil", 7},
};

static int month_at(const char *s, size_t n, size_t *len)
{
    size_t k = 0;
    while (k < n && isalpha((unsigned char)s[k]))
        k++;
    if (k < 3 || k > 9)
        return 0;
    char w[12];
    for (size_t i = 0; i < k; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[k] = 0;
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
        if (!strcmp(w, months[i].name)) {
            *len = k;
            return months[i].m;
        }
    return 0;
}

static int num_at(const char *s, size_t n, size_t *len, int maxd)
{
    size_t k = 0;
    int v = 0;
    while (k < n && (int)k < maxd && isdigit((unsigned char)s[k]))
        v = v * 10 + (s[k++] - '0');
    if (k == 0 || (k < n && isdigit((unsigned char)s[k])))
        return -1;
    *len = k;
    return v;
}

static int valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* The first date in s[0..n): "2022-01-06", "6 January 2022", "January 6,
 * 2022", "8 Ene, 2022", "Jan. 6, 2022". Returns its offset or -1. */
int ex_parse_date(const char *s, size_t n, struct ex_date *out)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && isalnum((unsigned char)s[i - 1]))
            continue;
        size_t l1 = 0, l2 = 0, l3 = 0, j;
        int a = num_at(s + i, n - i, &l1, 4);
        if (a >= 1900 && l1 == 4 && i + 10 <= n && s[i + 4] == '-') {
            int m = num_at(s + i + 5, n - i - 5, &l2, 2);
            if (m > 0 && s[i + 5 + l2] == '-') {
                int d = num_at(s + i + 6 + l2, n - i - 6 - l2, &l3, 2);
                if (valid(a, m, d)) {
                    *out = (struct ex_date){a, m, d};
                    return (int)i;
                }
            }
        }
        if (a > 0 && a <= 31 && l1 <= 2) { /* 6 January 2022 */
            j = i + l1;
            while (j < n && s[j] == ' ')
                j++;
            int m = month_at(s + j, n - j, &l2);
            if (m) {
                j += l2;
                while (j < n && (s[j] == '.' || s[j] == ',' || s[j] == ' '))
                    j++;
                int y = num_at(s + j, n - j, &l3, 4);
                if (l3 == 4 && valid(y, m, a)) {
                    *out = (struct ex_date){y, m, a};
                    return (int)i;
                }
            }
        }
        int m = month_at(s + i, n - i, &l1);
        if (m) { /* January 6, 2022 */
            j = i + l1;
            while (j < n && (s[j] == '.' || s[j] == ' '))
                j++;
            int d = num_at(s + j, n - j, &l2, 2);
            if (d > 0) {
                j += l2;
                while (j < n && (s[j] == ',' || s[j] == ' '))
                    j++;
                int y = num_at(s + j, n - j, &l3, 4);
                if (l3 == 4 && valid(y, m, d)) {
                    *out = (struct ex_date){y, m, d};
                    return (int)i;
                }
            }
        }
    }
    return -1;
}

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static long days(struct ex_date t)
{
    int y = t.y - (t.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(t.m + (t.m > 2 ? -3 : 9)) + 2) / 5 +
                   (unsigned)t.d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static struct ex_date civil(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + (int)era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (struct ex_date){y + (m <= 2), m, d};
}

void ex_dateline(struct ex_doc *d)
{
    /* the first date in the first lines: the dateline or the byline */
    size_t n = d->len < 800 ? d->len : 800;
    if (ex_parse_date(d->text, n, &d->base) < 0)
        d->base.y = 0;
}

/* The day a sentence speaks of: a date it gives; "on Thursday" (the
 * last Thursday on or before the dateline); "yesterday", "last night"
 * (the day before); else the dateline's day. */
struct ex_date ex_sentence_date(const struct ex_doc *d, const char *s,
                                size_t n)
{
    struct ex_date t;
    size_t skip = ex_dateline_end(s, n); /* the dateline's own date */
    s += skip;
    n -= skip;
    if (ex_parse_date(s, n, &t) >= 0)
        return t;
    if (!d->base.y)
        return d->base;
    char low[1024];
    ex_lower(s, n, low, sizeof low);
    static const char *const wd[] = {"thursday", "friday", "saturday",
                                     "sunday", "monday", "tuesday",
                                     "wednesday"}; /* 1970-01-01: Thu */
    long base = days(d->base);
    for (int k = 0; k < 7; k++)
        if (ex_has(low, wd[k])) {
            long bw = ((base % 7) + 7) % 7;
            long back = (bw - k + 7) % 7;
            return civil(base - back);
        }
    if (ex_has(low, "yesterday") || ex_has(low, "last night"))
        return civil(base - 1);
    return d->base;
}

/* ------------------------------------------------------------ numbers */

static const struct { const char *w; long v; } numwords[] = {
    {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5},
    {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10},
    {"eleven", 11}, {"twelve", 12}, {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17},
    {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20}, {"thirty", 30},
    {"forty", 40}, {"fifty", 50}, {"sixty", 60}, {"seventy", 70},
    {"eighty", 80}, {"ninety", 90}, {"hundred", 100},
};

/* The number of dead a sentence gives: a number (digits, "1,200" or
 * words) followed within eight words by killed/dead/died/deaths, with no
 * other count word (injured, detained) between. "dozens", "many" give
 * none (they stay in the label). -1 when none. */
long ex_fatalities(const char *s, size_t n)
{
    char low[2048];
    ex_lower(s, n, low, sizeof low);
    const char *p = low;
    while (*p) {
        long v = -1;
        const char *q = p;
        if (isdigit((unsigned char)*p) &&
            (p == low || !isalnum((unsigned char)p[-1]))) {
            v = 0;
            while (isdigit((unsigned char)*q) ||
                   (*q == ',' && isdigit((unsigned char)q[1])))
                if (*q++ != ',' && v <= 100000000)
                    v = v * 10 + (q[-1] - '0');
            if (*q == '/' || *q == '.' || *q == '%' || v > 1000000 ||
                (v >= 1900 && v <= 2100))
                v = -1; /* a date, a share, a year */
        } else if (p == low || !isalpha((unsigned char)p[-1])) {
            for (size_t k = 0; k < sizeof numwords / sizeof numwords[0];
                 k++) {
                size_t l = strlen(numwords[k].w);
                if (!strncmp(p, numwords[k].w, l) &&
                    !isalpha((unsigned char)p[l])) {
                    v = numwords[k].v;
                    q = p + l;
                    break;
                }
            }
        }
        if (v > 0 && q - low >= 0) {
            /* "killing four people", "killed 12": the verb just before */
            const char *b = p;
            while (b > low && b[-1] == ' ')
                b--;
            if ((b - low >= 7 && !strncmp(b - 7, "killing", 7)) ||
                (b - low >= 6 && !strncmp(b - 6, "killed", 6)))
                return v;
        }
        if (v > 0) {
            /* up to eight words on */
            const char *r = q;
            for (int w = 0; w < 9 && *r; w++) {
                while (*r == ' ' || *r == ',')
                    r++;
                static const char *const dead[] = {
                    "killed", "dead", "died", "deaths", "fatalities",
                    "slain", "lives", "bodies", "killing"};
                static const char *const other[] = {
                    "injured", "wounded", "detained", "arrested", "hurt",
                    "missing", "displaced", "evacuated", "troops",
                    "people were detained"};
                for (size_t k = 0; k < sizeof dead / sizeof dead[0]; k++)
                    if (!strncmp(r, dead[k], strlen(dead[k])))
                        return v;
                for (size_t k = 0; k < sizeof other / sizeof other[0]; k++)
                    if (!strncmp(r, other[k], strlen(other[k])))
                        goto next;
                while (*r && *r != ' ' && *r != '.' && *r != ';')
                    r++;
                if (*r == '.' || *r == ';')
                    break;
            }
        }
    next:
        p = q > p ? q : p + 1;
    }
    return -1;
}

/* ------------------------------------------------------------- labels */

/* The end of a dateline "KYIV, Sept 10 (Reuters) - " at the start of
 * sentence s[0..n): the offset of the text after it, or 0. */
size_t ex_dateline_end(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n && i < 80; i++)
        if ((s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ') ||
            (s[i] == ' ' && i + 4 < n &&
             !strncmp(s + i + 1, "\xE2\x80\x94 ", 4))) {
            size_t j = i;
            while (j > 0 && s[j - 1] != ',' && s[j - 1] != ')')
                j--;
            if (j > 0) /* a comma or an agency before the dash */
                return i + (s[i + 1] == '-' ? 3 : 5);
        }
    return 0;
}

/* A short label from a sentence: attribution ("Police said they", "X
 * said that") and leading connectives dropped, cut at a clause break
 * after 30 bytes or at a word before 60, first letter capitalised. */
void ex_label(const char *s, size_t n, char *out, size_t cap)
{
    char low[1024];
    ex_lower(s, n < 1023 ? n : 1023, low, sizeof low);
    size_t st = ex_dateline_end(s, n);
    const char *said = strstr(low + st, " said ");
    if (said && (size_t)(said - low) < st + (n - st) / 2 &&
        (size_t)(said - low) < st + 60) {
        st = (size_t)(said - low) + 6;
        if (!strncmp(low + st, "that ", 5))
            st += 5;
    }
    static const char *const lead[] = {"meanwhile ", "meanwhile, ",
                                       "however, ", "but ", "and ",
                                       "in addition, ", "after ", "then "};
    for (size_t k = 0; k < sizeof lead / sizeof lead[0]; k++)
        if (!strncmp(low + st, lead[k], strlen(lead[k])) &&
            strcmp(lead[k], "after "))
            st += strlen(lead[k]);
    size_t e = n, lim = cap - 4 < 60 ? cap - 4 : 60;
    for (size_t i = st + 30; i < n && i < st + lim; i++)
        if (s[i] == ',' || s[i] == ';' || s[i] == '(' ||
            (s[i] == ' ' && !strncmp(low + i, " which ", 7))) {
            e = i;
            break;
        }
    if (e - st > lim) {
        e = st + lim;
        while (e > st && s[e] != ' ')
            e--;
    }
    int cut = e < n;
    for (;;) {
        while (e > st && (s[e - 1] == '.' || s[e - 1] == ' ' ||
                          s[e - 1] == ',' || s[e - 1] == ':'))
            e--;
        /* a label does not end on "the", "of", "and" */
        static const char *const weak[] = {
            "the", "a", "an", "of", "in", "on", "at", "to", "and", "or",
            "for", "with", "as", "by", "from", "toward", "into", "that",
            "which", "when", "after", "before", "between", "was", "were",
            "is", "are", "has", "have", "had", "its", "their", "his", "her"};
        size_t w = e;
        while (w > st && s[w - 1] != ' ')
            w--;
        int drop = 0;
        for (size_t k = 0; k < sizeof weak / sizeof weak[0] && !drop; k++)
            drop = e - w == strlen(weak[k]) &&
                   !strncmp(low + w, weak[k], e - w);
        if (!drop || w <= st + 12)
            break;
        e = w;
    }
    size_t k = 0;
    for (size_t i = st; i < e && k + 1 < cap; i++)
        out[k++] = s[i] == '"' ? '\'' : s[i];
    if (cut && k + 4 < cap) { /* an ellipsis where the sentence goes on */
        memcpy(out + k, "\xE2\x80\xA6", 3);
        k += 3;
    }
    out[k] = 0;
    if (k && islower((unsigned char)out[0]))
        out[0] = (char)toupper((unsigned char)out[0]);
}

/* --------------------------------------------------- headline, sources */

/* 1 when the report opens with a headline: a first line of its own,
 * not ending like a sentence, with more text after it. */
int ex_headline(const struct ex_doc *d)
{
    if (d->nsent < 2)
        return 0;
    const struct ex_sent *s = &d->sent[0];
    char last = d->text[s->b1 - 1];
    return s->b1 - s->b0 < 200 && last != '.' && last != '!' &&
           last != '?' && s->b1 < d->len && d->text[s->b1] == '\n';
}

void ex_title(struct ex_doc *d)
{
    d->title[0] = 0;
    if (!d->nsent)
        return;
    const struct ex_sent *s = &d->sent[0];
    if (!ex_headline(d)) {
        /* no headline: the first sentence, shortened as a label is */
        ex_label(d->text + s->b0, s->b1 - s->b0, d->title,
                 sizeof d->title < 90 ? sizeof d->title : 90);
        for (char *p = d->title; *p; p++)
            if (*p == '"')
                *p = '\'';
        return;
    }
    size_t n = s->b1 - s->b0;
    if (n >= sizeof d->title)
        n = sizeof d->title - 1;
    memcpy(d->title, d->text + s->b0, n);
    d->title[n] = 0;
    while (n && (d->title[n - 1] == '.' || d->title[n - 1] == ' '))
        d->title[--n] = 0;
    for (size_t i = 0; i < n; i++)
        if (d->title[i] == '"')
            d->title[i] = '\'';
}

void ex_sources(struct ex_doc *d)
{
    static const struct { const char *find, *name; } ag[] = {
        {"Reuters", "Reuters"}, {"Associated Press", "AP"},
        {"(AP)", "AP"}, {"AFP", "AFP"}, {"Agence France-Presse", "AFP"},
        {"TASS", "TASS"}, {"RIA", "RIA Novosti"}, {"Interfax", "Interfax"},
        {"Xinhua", "Xinhua"}, {"BBC", "BBC"}, {"CNN", "CNN"},
        {"Al Jazeera", "Al Jazeera"}, {"Anadolu", "Anadolu"},
        {"Ukrinform", "Ukrinform"}, {"UNIAN", "UNIAN"}, {"Yonhap", "Yonhap"},
        {"Kyodo", "Kyodo"}, {"dpa", "dpa"}, {"EFE", "EFE"},
        {"State Department", "US State Department"},
        {"Pentagon", "Pentagon"}, {"United Nations", "United Nations"},
        {"OCHA", "UN OCHA"}, {"Human Rights Watch", "Human Rights Watch"},
        {"Amnesty", "Amnesty International"},
    };
    char *o = d->sources;
    size_t cap = sizeof d->sources, k = 0;
    o[0] = 0;
    for (size_t i = 0; i < sizeof ag / sizeof ag[0]; i++) {
        const char *p = d->text;
        size_t fl = strlen(ag[i].find);
        int found = 0;
        while ((p = strstr(p, ag[i].find)) != NULL) {
            int before = p == d->text || !isalnum((unsigned char)p[-1]);
            int after = !isalnum((unsigned char)p[fl]);
            if (before && after) {
                found = 1;
                break;
            }
            p += fl;
        }
        if (!found || strstr(o, ag[i].name))
            continue;
        size_t l = strlen(ag[i].name);
        if (k + l + 3 >= cap)
            break;
        if (k) {
            memcpy(o + k, ", ", 2);
            k += 2;
        }
        memcpy(o + k, ag[i].name, l + 1);
        k += l;
    }
}
