/* Calendar periods for time series: ISO weeks, months, the frames of a
 * series and their subtitles, and date windows. Days are the calendar's
 * (core/date.c: proleptic Gregorian, no time zones: a map's dates are
 * days as written). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch/batch.h"
#include "core/core.h"
#include "model.h"

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
        evm__civil_from_days(day, &y, &m, &d);
        *first = evm__days_from_civil(y, m, 1);
        *last = evm__days_from_civil(y, m, evm__month_days(y, m));
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
    evm__civil_from_days(day, &y, &m, &d);
    snprintf(out, n, "%d %s %ld", d, evm__month_name(m), y);
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
        evm__civil_from_days(first, &y, &m, &d);
        snprintf(out, n, "%s %ld", evm__month_name(m), y);
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
        evm__civil_from_days(pa, &ya, &ma, &d);
        evm__civil_from_days(pb, &yb, &mb, &d);
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
    /* FROM..TO, or ISO 8601's FROM/TO (both ends given) */
    const char *dots = strstr(s, "..");
    size_t sep = 2;
    const char *slash = dots ? NULL : strchr(s, '/');
    if (slash && slash > s && slash[1]) {
        dots = slash;
        sep = 1;
    }
    if (dots) {
        if (dots == s && !dots[sep])
            return evm_error_set(err, EVM_E_INPUT, "date window \"..\" has "
                                 "no end; %s", hint);
        if (window_end(s, (size_t)(dots - s), from) < 0 ||
            window_end(dots + sep, strlen(dots + sep), to) < 0)
            return evm_error_set(err, EVM_E_INPUT, "bad date window "
                                 "\"%.40s\"; %s", s, hint);
        if (from[0] && to[0] && strcmp(from, to) > 0)
            return evm_error_set(err, EVM_E_INPUT, "date window \"%.40s\" "
                                 "ends before it starts", s);
        return EVM_OK;
    }
    size_t n = strlen(s);
    long first, last;
    if (evm__month_parse(s, &first, &last) == 0) {
        evm__day_format(first, from);
        evm__day_format(last, to);
        return EVM_OK;
    }
    if (window_end(s, n, from) < 0 || !from[0])
        return evm_error_set(err, EVM_E_INPUT, "bad date \"%.40s\"; %s", s,
                             hint);
    memcpy(to, from, 11);
    return EVM_OK;
}
