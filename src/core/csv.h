/* A streaming CSV/TSV tokenizer (RFC 4180 and what real exports do):
 * quoted fields with delimiters, doubled quotes and newlines inside, CRLF,
 * LF or CR line ends, a UTF-8 byte-order mark, and the delimiter sniffed
 * from the first line (comma, tab or semicolon). It holds one record at a
 * time: memory does not grow with the number of rows. Files may be
 * gzip-compressed.
 *
 * Used by the event tables (src/tables) and the gazetteer's --places
 * reader. A whole read:
 *
 *     evm__csv *c = evm__csv_open(path, err);    // or evm__csv_open_mem
 *     if (!c) return err->code;
 *     int r;
 *     while ((r = evm__csv_next(c, err)) > 0)
 *         for (int i = 0; i < evm__csv_nfield(c); i++)
 *             use(evm__csv_field(c, i), evm__csv_field_line(c, i),
 *                 evm__csv_field_col(c, i));
 *     evm__csv_close(c);                         // r < 0: err is set
 *
 * Header names are matched with evm__csv_find_col; the names of latitude
 * and longitude columns every reader accepts are EVM_CSV_LAT_NAMES and
 * EVM_CSV_LON_NAMES. */
#ifndef EVM_CSV_H
#define EVM_CSV_H

#include <stdio.h>
#include "evmap.h"

/* Longest record accepted (bytes); a longer one is an error naming its
 * line (usually an unterminated quote). */
#define EVM_CSV_MAX_RECORD ((size_t)4 << 20)

typedef struct evm__csv evm__csv;

/* Opens path ("-" is stdin) for reading. Returns a reader freed with
 * evm__csv_close, or NULL + err (EVM_E_IO naming path). */
evm__csv *evm__csv_open(const char *path, evm_error *err);
/* Reads len bytes at buf (not copied: they must outlive the reader;
 * not decompressed) as a file named name in messages. Returns a reader
 * freed with evm__csv_close, or NULL + err (EVM_E_NOMEM). */
evm__csv *evm__csv_open_mem(const char *name, const char *buf, size_t len,
                            evm_error *err);
/* Closes the file and frees the reader; accepts NULL. */
void evm__csv_close(evm__csv *c);

/* The delimiter: sniffed from the first line on the first call to
 * evm__csv_next (the one of ',', '\t', ';' seen most often outside
 * quotes; ',' when none is), unless set before with evm__csv_set_delim. */
char evm__csv_delim(const evm__csv *c);
void evm__csv_set_delim(evm__csv *c, char d);
/* Quotes are data, not quoting (plain TSV, as GeoNames writes it). Call
 * before the first evm__csv_next. */
void evm__csv_no_quotes(evm__csv *c);

/* Reads the next record. Returns 1 when a record was read, 0 at the end
 * of the file, -1 with err set on a read error or a record over
 * EVM_CSV_MAX_RECORD (EVM_E_INPUT naming path:line). Empty lines are
 * skipped. Field values are not checked for UTF-8 (the caller does, to
 * name the column). */
int evm__csv_next(evm__csv *c, evm_error *err);

/* The current record's field count, the i-th field (NUL-terminated,
 * quotes removed; borrowed until the next evm__csv_next), its length, the
 * line and column (1-based, in characters) where the field starts, and
 * the line where the record starts. */
int evm__csv_nfield(const evm__csv *c);
const char *evm__csv_field(const evm__csv *c, int i);
size_t evm__csv_field_len(const evm__csv *c, int i);
long evm__csv_field_line(const evm__csv *c, int i);
int evm__csv_field_col(const evm__csv *c, int i);
long evm__csv_line(const evm__csv *c);
/* Borrowed arrays over all fields of the current record: pointers,
 * lengths, lines and columns. */
const char **evm__csv_fields(const evm__csv *c);
const size_t *evm__csv_lens(const evm__csv *c);
const long *evm__csv_lines(const evm__csv *c);
const int *evm__csv_cols(const evm__csv *c);

/* Column names, lower-case, NULL-terminated, in order of preference:
 * the names of latitude and longitude columns ("lat", "latitude", "y",
 * "lat_dd", "decimallatitude", HXL's "#geo+lat"; "lon", "lng", "long",
 * "longitude", "x", ...). One list for every reader of coordinates. */
extern const char *const EVM_CSV_LAT_NAMES[];
extern const char *const EVM_CSV_LON_NAMES[];

/* 1 when header name h (spaces and tabs around it ignored) equals cand
 * (lower-case) without regard to ASCII case. h may be NULL (0). */
int evm__csv_name_is(const char *h, const char *cand);
/* The index of the first of names[0..n) that matches one of cands
 * (NULL-terminated, tried in order: the first candidate found wins), or
 * -1. names[i] may be NULL. */
int evm__csv_find_col(const char *const *names, int n,
                      const char *const *cands);

#endif
