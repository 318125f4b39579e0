/* The one calendar of evmap: civil days (proleptic Gregorian, years
 * 1..9999), the English month names, and the ISO 8601 dates and times
 * that specs, tables and batch periods read and write. Parsed and
 * formatted here only, by hand, because strptime accepts impossible days
 * (2022-02-30) and, like timegm and strftime, depends on the locale or
 * TZ. Not public API. */
#ifndef EVM_CORE_DATE_H
#define EVM_CORE_DATE_H

#include <stddef.h>

/* 1 if y is a leap year. */
int evm__leap_year(long y);
/* Days in month m (1..12) of year y. */
int evm__month_days(long y, int m);
/* "January" .. "December" for m 1..12 (static). */
const char *evm__month_name(int m);
/* The month (1..12) whose English name starts with the first three
 * letters of s[0..n), any case ("jan", "January", "SEPT"); 0 when n < 3
 * or none does. */
int evm__month_from_abbr(const char *s, size_t n);

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31), and back. */
long evm__days_from_civil(long y, int m, int d);
void evm__civil_from_days(long days, long *y, int *m, int *d);

/* Days since 1970-01-01 of an ISO day "YYYY-MM-DD" (exactly that form,
 * a real calendar day, year 1..9999). Returns 0 and *days, or -1. */
int evm__day_parse(const char *s, long *days);
/* The first and last day (since 1970-01-01) of an ISO month "YYYY-MM"
 * (exactly that form, year 1..9999). Returns 0, or -1. */
int evm__month_parse(const char *s, long *first, long *last);
/* Writes the ISO day of days since 1970-01-01 into out (11 bytes). */
void evm__day_format(long days, char out[11]);
/* Day of the week of days since 1970-01-01: 1 Monday .. 7 Sunday. */
int evm__day_weekday(long days);

/* Parses an ISO 8601 day ("2022-01-06") or date-time ("2022-01-06T14:00",
 * "...T14:00:00Z", "...T14:00:00+06:00"; ' ' may replace 'T'; fractional
 * seconds are dropped; no offset means UTC). Writes the day as written
 * into date (11 bytes) and, for a date-time, the instant in UTC as
 * RFC 3339 ("2022-01-06T08:00:00Z") into time (21 bytes; "" for a day).
 * Returns 0, or -1 with a short reason in why (80 bytes) on bad input,
 * including impossible calendar dates such as 2022-02-30. */
int evm__parse_date(const char *s, char date[11], char time[21],
                    char why[80]);
/* Parses a time of day "14:00", "14:00:00", with optional "Z" or
 * "+06:00", on the day date ("2022-01-06") into an RFC 3339 UTC instant
 * (21 bytes). Returns 0, or -1 with a reason in why (80 bytes). */
int evm__parse_time_of_day(const char *date, const char *s, char time[21],
                           char why[80]);

#endif
