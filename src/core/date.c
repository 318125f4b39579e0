/* The one calendar (contracts in date.h): civil-day arithmetic, month
 * names, ISO days, and the small fixed subset of ISO 8601 that RFC 3339
 * profiles for dates and times. No libc time functions: they depend on
 * TZ and the locale. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

/* Contract in date.h. */
int evm__leap_year(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Contract in date.h. */
int evm__month_days(long y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && evm__leap_year(y) ? 29 : d[m - 1];
}

/* Contract in date.h. */
const char *evm__month_name(int m)
{
    return m >= 1 && m <= 12 ? month_names[m - 1] : "";
}

/* Contract in date.h. */
int evm__month_from_abbr(const char *s, size_t n)
{
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(s, month_names[i], 3))
            return i + 1;
    return 0;
}

/* Contract in date.h (H. Hinnant's days_from_civil). */
long evm__days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Contract in date.h. */
void evm__civil_from_days(long z, long *y, int *m, int *d)
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

/* Reads exactly n digits at *p into *v; advances *p. */
static int digits(const char **p, int n, int *v)
{
    int r = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        r = r * 10 + (c - '0');
    }
    *p += n;
    *v = r;
    return 0;
}

#define ISO_HINT "use ISO 8601: 2022-01-06 or 2022-01-06T14:00:00+06:00"

/* Parses "hh:mm[:ss[.fff]][Z|+hh:mm|+hhmm|+hh]" at *p. Sets *secs to the
 * seconds since midnight and *off to the offset east of UTC in seconds.
 * Returns 0, or -1 with why set. */
static int parse_clock(const char **p, int *secs, int *off, char why[80])
{
    int hh, mm, ss = 0;
    const char *s = *p;
    if (digits(&s, 2, &hh) < 0 || *s++ != ':' || digits(&s, 2, &mm) < 0) {
        snprintf(why, 80, "the time must be hh:mm or hh:mm:ss");
        return -1;
    }
    if (*s == ':') {
        s++;
        if (digits(&s, 2, &ss) < 0) {
            snprintf(why, 80, "the seconds must be two digits");
            return -1;
        }
        if (*s == '.' || *s == ',') {
            s++;
            if (*s < '0' || *s > '9') {
                snprintf(why, 80, "digits must follow the decimal point");
                return -1;
            }
            while (*s >= '0' && *s <= '9')
                s++; /* fractions of a second are dropped */
        }
    }
    if (hh > 23 || mm > 59 || ss > 59) {
        snprintf(why, 80, "%02d:%02d:%02d is not a time of day", hh, mm, ss);
        return -1;
    }
    *off = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om = 0;
        if (digits(&s, 2, &oh) < 0) {
            snprintf(why, 80, "the UTC offset must be +hh:mm");
            return -1;
        }
        if (*s == ':')
            s++;
        if (*s >= '0' && *s <= '9' && digits(&s, 2, &om) < 0) {
            snprintf(why, 80, "the UTC offset must be +hh:mm");
            return -1;
        }
        if (oh > 14 || om > 59) {
            snprintf(why, 80, "UTC offsets range from -14:00 to +14:00");
            return -1;
        }
        *off = sign * (oh * 3600 + om * 60);
    }
    *secs = hh * 3600 + mm * 60 + ss;
    *p = s;
    return 0;
}

/* Formats y-m-d + secs - off as an RFC 3339 UTC instant. */
static int utc_instant(int y, int mo, int d, int secs, int off,
                       char time[21], char why[80])
{
    long long t = (long long)evm__days_from_civil(y, mo, d) * 86400 + secs -
                  off;
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long s = (long)(t - days * 86400), uy;
    int um, ud;
    evm__civil_from_days((long)days, &uy, &um, &ud);
    if (uy < 1 || uy > 9999) {
        snprintf(why, 80, "the date is out of range");
        return -1;
    }
    char b[80];
    snprintf(b, sizeof b, "%04ld-%02d-%02dT%02ld:%02ld:%02ldZ", uy, um, ud,
             s / 3600, s / 60 % 60, s % 60);
    memcpy(time, b, 21); /* the ranges checked make it exactly 20 chars */
    time[20] = '\0';
    return 0;
}

/* Contract in date.h. */
int evm__parse_date(const char *s, char date[11], char time[21],
                    char why[80])
{
    int y, mo, d;
    const char *p = s;
    time[0] = '\0';
    if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
        *p++ != '-' || digits(&p, 2, &d) < 0) {
        snprintf(why, 80, ISO_HINT);
        return -1;
    }
    if (y < 1) {
        snprintf(why, 80, "year 0000 is out of range");
        return -1;
    }
    if (mo < 1 || mo > 12) {
        snprintf(why, 80, "there is no month %02d", mo);
        return -1;
    }
    if (d < 1 || d > evm__month_days(y, mo)) {
        snprintf(why, 80, "%s %04d has %d days", evm__month_name(mo), y,
                 evm__month_days(y, mo));
        return -1;
    }
    char b[40];
    snprintf(b, sizeof b, "%04d-%02d-%02d", y, mo, d);
    memcpy(date, b, 11); /* exactly 10 chars: y, mo and d were checked */
    date[10] = '\0';
    if (!*p)
        return 0;
    if (*p != 'T' && *p != 't' && *p != ' ') {
        snprintf(why, 80, ISO_HINT);
        return -1;
    }
    p++;
    int secs, off;
    if (parse_clock(&p, &secs, &off, why) < 0)
        return -1;
    if (*p) {
        snprintf(why, 80, ISO_HINT);
        return -1;
    }
    return utc_instant(y, mo, d, secs, off, time, why);
}

/* Contract in date.h. */
int evm__parse_time_of_day(const char *date, const char *s, char time[21],
                           char why[80])
{
    int y, mo, d, secs, off;
    const char *p = date;
    if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
        *p++ != '-' || digits(&p, 2, &d) < 0 || *p) {
        snprintf(why, 80, "the date must be YYYY-MM-DD");
        return -1;
    }
    p = s;
    if (parse_clock(&p, &secs, &off, why) < 0)
        return -1;
    if (*p) {
        snprintf(why, 80, "use hh:mm, hh:mm:ss or with an offset, "
                          "e.g. 14:00+06:00");
        return -1;
    }
    return utc_instant(y, mo, d, secs, off, time, why);
}

/* Contract in date.h. */
int evm__day_parse(const char *s, long *days)
{
    int y, m, d;
    const char *p = s;
    if (!s || strlen(s) != 10 || digits(&p, 4, &y) < 0 || *p++ != '-' ||
        digits(&p, 2, &m) < 0 || *p++ != '-' || digits(&p, 2, &d) < 0)
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > evm__month_days(y, m))
        return -1;
    *days = evm__days_from_civil(y, m, d);
    return 0;
}

/* Contract in date.h. */
int evm__month_parse(const char *s, long *first, long *last)
{
    int y, m;
    const char *p = s;
    if (!s || strlen(s) != 7 || digits(&p, 4, &y) < 0 || *p++ != '-' ||
        digits(&p, 2, &m) < 0 || y < 1 || m < 1 || m > 12)
        return -1;
    *first = evm__days_from_civil(y, m, 1);
    *last = evm__days_from_civil(y, m, evm__month_days(y, m));
    return 0;
}

/* Contract in date.h. */
void evm__day_format(long days, char out[11])
{
    long y;
    int m, d;
    evm__civil_from_days(days, &y, &m, &d);
    char b[48];
    snprintf(b, sizeof b, "%04ld-%02d-%02d", y, m, d);
    memcpy(out, b, 10);
    out[10] = '\0';
}

/* Contract in date.h. */
int evm__day_weekday(long days)
{
    /* 1970-01-01 was a Thursday (4) */
    long w = (days % 7 + 7) % 7; /* 0 = Thursday */
    return (int)((w + 3) % 7) + 1;
}
