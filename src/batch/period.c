/* Calendar periods for time series: civil-day arithmetic (proleptic
 * Gregorian, no time zones: a map's dates are days as written), ISO
 * weeks, months, the frames of a series and their subtitles, and date
 * windows. No libc time functions: they depend on TZ and locale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch/batch.h"
#include "core/core.h"
#include "model.h"

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

static int leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of y-m-d (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, long *v)
{
    long x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

/* Contract in batch.h. */
int evm__day_parse(const char *s, long *days)
{
    long y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        digits(s, 4, &y) < 0 || digits(s + 5, 2, &m) < 0 ||
        digits(s + 8, 2, &d) < 0)
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, (int)m))
        return -1;
    *days = days_from_civil(y, (int)m, (int)d);
    return 0;
}

/* Contract in batch.h. */
void evm__day_format(long days, char out[11])
{
    long y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    char b[48];
    snprintf(b, sizeof b, "%04ld-%02d-%02d", y, m, d);
    memcpy(out, b, 10);
    out[10] = '\0';
}

/* Contract in batch.h. */
int evm__day_weekday(long days)
{
    /* 1970-01-01 was a Thursday (4) */
    long w = (days % 7 + 7) % 7; /* 0 = Thursday */
    return (int)((w + 3) % 7) + 1;
}

/* Contract in evmap.h. */
evm_period evm_period_from_name(const char *name)
{
    if (!name)
        return EVM_BY_NONE;
    if (!strcasecmp(name, "day") || !strcasecmp(name, "daily"))
        return EVM_BY_DAY;
    if (!strcasecmp(name, "week") || !strcasecmp(name, "weekly"))
        return EVM_BY_WEEK;
    if (!strcasecmp(name, "month") || !strcasecmp(name, "monthly"))
        return EVM_BY_MONTH;
    return EVM_BY_NONE;
}

/* Contract in evmap.h. */
const char *evm_period_name(evm_period p)
{
    switch (p) {
    case EVM_BY_DAY: return "day";
    case EVM_BY_WEEK: return "week";
    case EVM_BY_MONTH: return "month";
    default: return "none";
    }
}

/* First and last day of the period of `by` holding day. */
static void period_of(evm_period by, long day, long *first, long *last)
{
    long y;
    int m, d;
    switch (by) {
    case EVM_BY_WEEK:
        *first = day - (evm__day_weekday(day) - 1);
        *last = *first + 6;
        return;
    case EVM_BY_MONTH:
        civil_from_days(day, &y, &m, &d);
        *first = days_from_civil(y, m, 1);
        *last = days_from_civil(y, m, month_days(y, m));
        return;
    default:
        *first = *last = day;
    }
}

/* "6 January 2022" */
static void human_day(long day, char *out, size_t n)
{
    long y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, n, "%d %s %ld", d, month_names[m - 1], y);
}

static void frame_label(evm_period by, long first, long last,
                        int cumulative, char *out, size_t n)
{
    char a[40];
    if (cumulative) {
        human_day(last, a, sizeof a);
        snprintf(out, n, "up to %s", a);
        return;
    }
    if (by == EVM_BY_WEEK) {
        human_day(first, a, sizeof a);
        snprintf(out, n, "Week of %s", a);
    } else if (by == EVM_BY_MONTH) {
        long y;
        int m, d;
        civil_from_days(first, &y, &m, &d);
        snprintf(out, n, "%s %ld", month_names[m - 1], y);
    } else {
        human_day(first, out, n);
    }
}

/* Contract in evmap.h: the frames from the period of first to that of
 * last; the caller frees *out. */
int evm_series_frames(evm_period by, const char *first, const char *last,
                      int cumulative, evm_series_frame **out,
                      evm_error *err)
{
    long a, b;
    *out = NULL;
    if (by != EVM_BY_DAY && by != EVM_BY_WEEK && by != EVM_BY_MONTH) {
        evm_error_set(err, EVM_E_INPUT, "a time series needs a period: day, "
                      "week or month");
        return -1;
    }
    if (evm__day_parse(first, &a) < 0 || evm__day_parse(last, &b) < 0) {
        evm_error_set(err, EVM_E_INPUT, "bad day \"%s\"; write days as "
                      "YYYY-MM-DD", evm__day_parse(first, &a) < 0
                                        ? (first ? first : "")
                                        : last ? last : "");
        return -1;
    }
    if (b < a) {
        evm_error_set(err, EVM_E_INPUT, "the series ends (%s) before it "
                      "starts (%s)", last, first);
        return -1;
    }
    long pa, pb, junk;
    period_of(by, a, &pa, &junk);
    period_of(by, b, &pb, &junk);
    /* count the periods: for months walk, else divide */
    long n;
    if (by == EVM_BY_MONTH) {
        long ya, yb;
        int ma, mb, d;
        civil_from_days(pa, &ya, &ma, &d);
        civil_from_days(pb, &yb, &mb, &d);
        n = (yb - ya) * 12 + (mb - ma) + 1;
    } else {
        n = (pb - pa) / (by == EVM_BY_WEEK ? 7 : 1) + 1;
    }
    if (n > EVM_MAX_FRAMES) {
        evm_error_set(err, EVM_E_TOOBIG, "%s..%s by %s makes %ld frames, "
                      "over the limit of %d; choose a longer period or a "
                      "shorter window (--date)", first, last,
                      evm_period_name(by), n, EVM_MAX_FRAMES);
        return -1;
    }
    evm_series_frame *f = evm__calloc((size_t)n, sizeof *f);
    if (!f) {
        evm_error_set(err, EVM_E_NOMEM, "out of memory");
        return -1;
    }
    long start = pa;
    for (long i = 0; i < n; i++) {
        long fs, fe;
        period_of(by, start, &fs, &fe);
        evm__day_format(fs, f[i].first);
        evm__day_format(fe, f[i].last);
        frame_label(by, fs, fe, cumulative, f[i].label, sizeof f[i].label);
        start = fe + 1;
    }
    *out = f;
    return (int)n;
}

static void widen(const char *date, char first[11], char last[11])
{
    if (!date || strlen(date) < 10)
        return;
    if (!first[0] || strncmp(date, first, 10) < 0) {
        memcpy(first, date, 10);
        first[10] = '\0';
    }
    if (!last[0] || strncmp(date, last, 10) > 0) {
        memcpy(last, date, 10);
        last[10] = '\0';
    }
}

/* Contract in evmap.h: the earliest and latest dated feature. */
evm_status evm_map_date_range(const evm_map *m, char first[11],
                              char last[11], evm_error *err)
{
    first[0] = last[0] = '\0';
    for (int i = 0; i < m->nevents; i++)
        widen(m->events[i].date, first, last);
    for (int i = 0; i < m->nmovements; i++)
        widen(m->movements[i].date, first, last);
    for (int i = 0; i < m->nareas; i++)
        widen(m->areas[i].date, first, last);
    if (!first[0])
        return evm_error_set(err, EVM_E_INPUT, "%s: no event, movement or "
                             "area has a date, so there is no series to "
                             "draw; add date: YYYY-MM-DD to them, or drop "
                             "--by", m->file ? m->file : "map");
    return EVM_OK;
}

/* One end of a window: a day, or "" for open. 0 ok, -1 bad. */
static int window_end(const char *s, size_t n, char out[11])
{
    char b[16];
    long d;
    if (n == 0) {
        out[0] = '\0';
        return 0;
    }
    if (n != 10)
        return -1;
    memcpy(b, s, n);
    b[n] = '\0';
    if (evm__day_parse(b, &d) < 0)
        return -1;
    memcpy(out, b, 11);
    return 0;
}

/* Contract in evmap.h: a day, a month or a FROM..TO window. */
evm_status evm_date_window_parse(const char *s, char from[11], char to[11],
                                 evm_error *err)
{
    static const char hint[] = "write a day (2022-01-06), a month "
                               "(2022-01) or a window (2022-01-02..2022-01-"
                               "05, 2022-01-03.., ..2022-01-05)";
    from[0] = to[0] = '\0';
    if (!s || !*s)
        return evm_error_set(err, EVM_E_INPUT, "empty date; %s", hint);
    const char *dots = strstr(s, "..");
    if (dots) {
        if (dots == s && !dots[2])
            return evm_error_set(err, EVM_E_INPUT, "date window \"..\" has "
                                 "no end; %s", hint);
        if (window_end(s, (size_t)(dots - s), from) < 0 ||
            window_end(dots + 2, strlen(dots + 2), to) < 0)
            return evm_error_set(err, EVM_E_INPUT, "bad date window "
                                 "\"%.40s\"; %s", s, hint);
        if (from[0] && to[0] && strcmp(from, to) > 0)
            return evm_error_set(err, EVM_E_INPUT, "date window \"%.40s\" "
                                 "ends before it starts", s);
        return EVM_OK;
    }
    size_t n = strlen(s);
    if (n == 7 && s[4] == '-') {
        long y, m;
        if (digits(s, 4, &y) == 0 && digits(s + 5, 2, &m) == 0 && y >= 1 &&
            m >= 1 && m <= 12) {
            evm__day_format(days_from_civil(y, (int)m, 1), from);
            evm__day_format(days_from_civil(y, (int)m,
                                            month_days(y, (int)m)), to);
            return EVM_OK;
        }
    }
    if (window_end(s, n, from) < 0 || !from[0])
        return evm_error_set(err, EVM_E_INPUT, "bad date \"%.40s\"; %s", s,
                             hint);
    memcpy(to, from, 11);
    return EVM_OK;
}
