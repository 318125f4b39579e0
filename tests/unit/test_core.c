#include <locale.h>
#include <math.h>
#include <unistd.h>
#include <sys/stat.h>

#include "harness.h"
#include "core/core.h"
#include "core/date.h"

static void test_fmt(void)
{
    char b[40];
    evm__fmt_num(b, 76.916666666, 5);
    CHECK_STR(b, "76.91667", "rounds to 5 decimals");
    evm__fmt_num(b, -0.5, 6);
    CHECK_STR(b, "-0.5", "trims zeros");
    evm__fmt_num(b, 12.0, 6);
    CHECK_STR(b, "12", "integer without point");
    evm__fmt_num(b, -0.0000001, 6);
    CHECK_STR(b, "0", "negative zero prints as 0");
    evm__fmt_num(b, NAN, 6);
    CHECK_STR(b, "null", "NaN prints as null");
    /* the same under a locale with a decimal comma */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        evm__fmt_num(b, 43.25, 6);
        CHECK_STR(b, "43.25", "locale-independent");
        setlocale(LC_NUMERIC, "C");
    }
    double v;
    CHECK(evm__parse_double("43.25", &v) == 0 && v == 43.25, "parse 43.25");
    CHECK(evm__parse_double("-1e3", &v) == 0 && v == -1000, "parse -1e3");
    CHECK(evm__parse_double("12abc", &v) != 0, "rejects trailing junk");
    CHECK(evm__parse_double("", &v) != 0, "rejects empty");
    CHECK(evm__parse_double("1e999", &v) != 0, "rejects overflow");
}

static void test_utf8(void)
{
    CHECK(evm__utf8_valid("Алматы", strlen("Алматы")), "Cyrillic valid");
    CHECK(!evm__utf8_valid("\xff\xfe", 2), "0xff invalid");
    CHECK(!evm__utf8_valid("\xc0\xaf", 2), "overlong invalid");
    CHECK(!evm__utf8_valid("\xe2\x82", 2), "truncated invalid");
    CHECK(!evm__utf8_valid("\xed\xa0\x80", 3), "surrogate invalid");
}

static void test_edit(void)
{
    CHECK(evm__edit_distance("Almatty", "Almaty", 3) == 1, "one deletion");
    CHECK(evm__edit_distance("abc", "xyz", 1) == 2, "capped at max+1");
    const char *c[] = {"title", "subtitle", "source", NULL};
    CHECK_STR(evm__nearest("titel", c, 2), "title", "nearest key");
    CHECK(evm__nearest("zzzzzz", c, 2) == NULL, "nothing near");
}

static void test_atomic(void)
{
    char dir[] = "/tmp/evmtestXXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    evm_atomic a;
    evm_error err = {0};
    CHECK(evm__atomic_open(&a, path, &err) == EVM_OK, "atomic open");
    fputs("hello", a.f);
    struct stat st;
    CHECK(stat(path, &st) != 0, "target absent before commit");
    evm__atomic_abort(&a);
    CHECK(stat(path, &st) != 0, "target absent after abort");
    CHECK(evm__atomic_open(&a, path, &err) == EVM_OK, "atomic reopen");
    fputs("hello", a.f);
    CHECK(evm__atomic_commit(&a, &err) == EVM_OK, "commit");
    CHECK(stat(path, &st) == 0 && st.st_size == 5, "target written");
    unlink(path);
    evm_error e2 = {0};
    snprintf(path, sizeof path, "%s/nodir/out.txt", dir);
    CHECK(evm__atomic_open(&a, path, &e2) == EVM_E_IO, "unwritable dir fails");
    CHECK(strstr(e2.msg, "nodir/out.txt") != NULL, "error names the path");
    rmdir(dir);

    /* a device is written in place, never replaced by a rename */
    evm_error e3 = {0};
    CHECK(evm__atomic_open(&a, "/dev/null", &e3) == EVM_OK, "open /dev/null");
    fputs("x", a.f);
    CHECK(evm__atomic_commit(&a, &e3) == EVM_OK, "commit /dev/null");
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
          "/dev/null is still a character device");
}

static void test_error(void)
{
    evm_error err = {0};
    evm_error_set(&err, EVM_E_INPUT, "first %d", 1);
    evm_error_set(&err, EVM_E_IO, "second");
    CHECK(err.code == EVM_E_INPUT, "first error wins");
    CHECK_STR(err.msg, "first 1", "first message kept");
    /* input echoed in a message cannot drive the terminal */
    evm_error_clear(&err);
    evm_error_set(&err, EVM_E_INPUT, "k.yaml:1:1: unknown key \"%s\"",
                  "a\x1b[31mred\x07\tb\nc\xc2\x9b" "2J \xd0\x90\xff\x7f");
    CHECK_STR(err.msg, "k.yaml:1:1: unknown key \"a\\x1b[31mred\\x07\\x09b "
                       "c\\u009b2J \xd0\x90\\xff\\x7f\"",
              "controls escaped, UTF-8 kept");
    /* a message cut short ends on a whole character */
    char longs[1100];
    memset(longs, 'x', 1021);
    memcpy(longs + 1021, "\xd0\x90\xd0\x90", 5);
    evm_error_clear(&err);
    evm_error_set(&err, EVM_E_INPUT, "%s", longs);
    CHECK(strlen(err.msg) == 1021 + 2 &&
              evm__utf8_valid(err.msg, strlen(err.msg)),
          "cut at a character: %zu bytes", strlen(err.msg));
    CHECK(evm_status_exit_code(EVM_E_NOTFOUND) == 1, "not found exits 1");
    CHECK(evm_status_exit_code(EVM_E_USAGE) == 2, "usage exits 2");
    CHECK(evm_status_exit_code(EVM_E_IO) == 3, "io exits 3");
    CHECK(evm_status_exit_code(EVM_E_LIB) == 3, "lib exits 3");
    CHECK_NEAR(evm__distance_km(43.25, 76.92, 55.75, 37.62), 3100, 60,
               "Almaty-Moscow distance");
}

/* The one calendar: days, months and ISO dates and times. */
static void test_date(void)
{
    long d, first, last;
    char day[11], date[11], time[21], why[80];
    CHECK(evm__day_parse("1970-01-01", &d) == 0 && d == 0, "epoch");
    CHECK(evm__day_parse("2024-02-29", &d) == 0 && d == 19782, "leap day");
    CHECK(evm__day_parse("2023-02-29", &d) < 0, "no 29 February 2023");
    CHECK(evm__day_parse("2022-1-06", &d) < 0, "exactly YYYY-MM-DD");
    evm__day_format(-719162, day);
    CHECK_STR(day, "0001-01-01", "first day of year 1");
    CHECK(evm__day_weekday(19000) == 6, "2022-01-08 was a Saturday");
    CHECK(evm__month_parse("2024-02", &first, &last) == 0 &&
              last - first == 28, "February 2024 has 29 days");
    CHECK(evm__month_parse("2024-13", &first, &last) < 0, "no month 13");
    CHECK(evm__month_from_abbr("sept", 4) == 9 &&
              evm__month_from_abbr("JANUARY", 7) == 1 &&
              evm__month_from_abbr("ja", 2) == 0 &&
              evm__month_from_abbr("foo", 3) == 0, "month names");
    CHECK_STR(evm__month_name(12), "December", "month name");
    CHECK(evm__parse_date("2022-01-01T02:00+06:00", date, time, why) == 0,
          "offset: %s", why);
    CHECK_STR(date, "2022-01-01", "the day as written");
    CHECK_STR(time, "2021-12-31T20:00:00Z", "the instant in UTC");
    CHECK(evm__parse_date("9999-12-31T23:00-02:00", date, time, why) < 0 &&
              strstr(why, "out of range"), "past year 9999");
    CHECK(evm__parse_date("2022-02-30", date, time, why) < 0 &&
              !strcmp(why, "February 2022 has 28 days"), "why: %s", why);
    CHECK(evm__parse_time_of_day("2022-03-01", "01:30:15-03:30", time,
                                 why) == 0, "time of day: %s", why);
    CHECK_STR(time, "2022-03-01T05:00:15Z", "west of UTC");
}

int main(void)
{
    test_fmt();
    test_utf8();
    test_edit();
    test_atomic();
    test_error();
    test_date();
    TEST_REPORT();
}
