/* Value parsers of the spec: ISO 8601 dates and times, colours, movement
 * types. The date grammar is the small fixed subset of ISO 8601 that
 * RFC 3339 profiles; it is parsed by hand because strptime accepts
 * impossible days (2022-02-30) and depends on the locale. The calendar
 * arithmetic for offsets goes through timegm/gmtime_r. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spec/spec.h"
#include "style/style.h"

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
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
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm) + secs - off;
    struct tm u;
    if (!gmtime_r(&t, &u) || u.tm_year + 1900 < 1 ||
        u.tm_year + 1900 > 9999) {
        snprintf(why, 80, "the date is out of range");
        return -1;
    }
    char b[80];
    snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.tm_year + 1900,
             u.tm_mon + 1, u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
    memcpy(time, b, 21); /* the ranges checked make it exactly 20 chars */
    time[20] = '\0';
    return 0;
}

/* See spec.h. */
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
    if (d < 1 || d > days_in_month(y, mo)) {
        snprintf(why, 80, "%s %04d has %d days", month_names[mo - 1], y,
                 days_in_month(y, mo));
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

/* See spec.h. */
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

/* See spec.h: the colour is read by style's one parser. */
int evm__parse_color(const char *s, char out[8])
{
    unsigned rgb;
    if (evm__color_read(s, &rgb) != 0)
        return -1;
    evm__color_hex(out, rgb);
    return 0;
}

static const char *const move_names[EVM_MOVE_COUNT] = {
    "advance", "withdrawal", "airlift", "deployment", "attack", "supply"};

/* See spec.h. */
int evm__move_type_find(const char *name)
{
    for (int i = 0; i < EVM_MOVE_COUNT; i++)
        if (strcasecmp(name, move_names[i]) == 0)
            return i;
    return -1;
}

/* See spec.h. */
const char *evm__move_type_str(evm_move_type t)
{
    return (int)t >= 0 && t < EVM_MOVE_COUNT ? move_names[t] : "advance";
}
