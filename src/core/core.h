/* Shared internal helpers of libevmap (not part of the public API).
 * Names shared across files use the evm__ prefix. */
#ifndef EVM_CORE_H
#define EVM_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "evmap.h"

/* The install prefix's data directory; the Makefile sets it from PREFIX. */
#ifndef EVMAP_DATADIR
#define EVMAP_DATADIR "/usr/local/share/evmap"
#endif

/* Overflow-checked allocation. All return NULL on failure (never abort). */
void *evm__reallocarray(void *p, size_t n, size_t size);
void *evm__calloc(size_t n, size_t size);
char *evm__strdup(const char *s);
char *evm__strndup(const char *s, size_t n);

/* Growable byte buffer with a hard cap (curl dynbuf style). On any failure
 * the buffer frees itself and keeps failing; check b->failed or the return
 * value. */
typedef struct evm_buf {
    char *data;
    size_t len, cap, max;
    int failed;
} evm_buf;
void evm__buf_init(evm_buf *b, size_t max);
int evm__buf_add(evm_buf *b, const void *p, size_t n); /* 0 ok, -1 fail */
int evm__buf_puts(evm_buf *b, const char *s);
int evm__buf_printf(evm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void evm__buf_free(evm_buf *b);

/* Locale-independent number formatting: writes v with at most `decimals`
 * fractional digits, trailing zeros trimmed ("76.91667", "-0.5", "12").
 * out must hold 40 bytes. Returns the length. */
size_t evm__fmt_num(char out[40], double v, int decimals);
/* Locale-independent strtod for "[-+]digits[.digits][e[-+]digits]".
 * Returns 0 and sets *v on success (whole string consumed), -1 otherwise. */
int evm__parse_double(const char *s, double *v);

/* The temporary name for an output at path, as a mkstemp/mkdtemp template
 * in path's directory: ".NAME.tmp-PID-BOOT-XXXXXX" (PID this process,
 * BOOT 8 hex digits of the kernel's boot id). Caller frees. */
char *evm__tmp_template(const char *path);
/* What a directory entry name is: EVM_TMP_NONE (not a temporary of
 * evmap's), or a temporary for the output named target (cap bytes) whose
 * writer is EVM_TMP_LIVE (this boot, its pid runs), EVM_TMP_DEAD, or
 * EVM_TMP_UNOWNED (the old ".NAME.tmpXXXXXX" form, owner unknown). */
enum { EVM_TMP_NONE, EVM_TMP_LIVE, EVM_TMP_DEAD, EVM_TMP_UNOWNED };
int evm__tmp_owner(const char *name, char *target, size_t cap);
/* Removes a file, or a directory and what it holds down to depth levels
 * (symbolic links are removed, never followed). 0 or -1 with errno. */
int evm__remove_tree(const char *path, int depth);

/* Atomic output: opens a temporary file beside path (or stdout for "-";
 * an existing device or pipe such as /dev/null is written in place, never
 * replaced).
 * Write to f, then evm__atomic_commit checks that every write, the flush
 * and fsync succeeded and renames it into place (an error names the path;
 * the old file stays), or evm__atomic_abort removes it. */
typedef struct evm_atomic {
    FILE *f;
    char *path, *tmp;
    int is_stdout;
    int in_place;   /* a device or pipe (e.g. /dev/null): written directly */
} evm_atomic;
evm_status evm__atomic_open(evm_atomic *a, const char *path, evm_error *err);
evm_status evm__atomic_commit(evm_atomic *a, evm_error *err);
void evm__atomic_abort(evm_atomic *a);

/* Makes an I/O error name the file it is about: when err holds a
 * message that does not mention path, "path: " goes in front ("PNG write
 * failed" -> "map.png: PNG write failed"). */
void evm__error_name_path(evm_error *err, const char *path);

/* Reads a whole file (max bytes cap). Caller frees *out. */
evm_status evm__read_file(const char *path, size_t max, char **out,
                          size_t *len, evm_error *err);

/* A longitude (or a difference of two) brought into [-180, 180). */
double evm__wrap180(double lon);

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong
 * forms, surrogates and code points past U+10FFFF included), or -1 if all
 * of it is valid. */
long evm__utf8_bad_offset(const char *s, size_t n);
/* 1 if s[0..n) is valid UTF-8. */
int evm__utf8_valid(const char *s, size_t n);

/* Limits of the text drawn on a map (a title, a label, a name): at most
 * EVM_TEXT_MAX_CHARS code points on EVM_TEXT_MAX_LINES lines. A spec over
 * them is refused; text from a table is cut when drawn. (A label of
 * 100,000 combining marks or newlines kept Pango busy for minutes.) */
#define EVM_TEXT_MAX_CHARS 500
#define EVM_TEXT_MAX_LINES 8
/* The length in bytes of the longest prefix of s within those limits
 * (strlen(s) when all of it is), ending on a code point boundary. */
size_t evm__text_cut(const char *s);

/* Damerau-free Levenshtein distance of two short ASCII/UTF-8 strings
 * (byte-wise), capped at max+1 (returns max+1 when larger). */
int evm__edit_distance(const char *a, const char *b, int max);
/* Of the NULL-terminated list cands, the one closest to s within
 * distance max (NULL if none). */
const char *evm__nearest(const char *s, const char *const *cands, int max);

/* Great-circle distance in km (haversine on a 6371.0088 km sphere; used
 * for ranking, not for measurement). */
double evm__distance_km(double lat1, double lon1, double lat2, double lon2);

#endif
