/* Event tables: ACLED, GDELT 1.0/2.0, UCDP GED, any CSV with lat/lon or
 * place columns, and any GDAL vector source, read row by row into model
 * events. Internals shared by src/tables, the spec reader (events: {
 * from: FILE }) and the exporter; the public entry points are in
 * evmap.h (evm_map_load_table, evm_table_export). */
#ifndef EVM_TABLES_H
#define EVM_TABLES_H

#include "model.h"
#include "export/export.h"
#include "spec/build.h"

/* What a table's reader hands over, to a sink or into a map. Every
 * object passed is borrowed for the call only (copy what is kept). Each
 * returns 0, or -1 with err set to stop the read. */
typedef struct evm__table_cb {
    /* Once, before anything else, when the table's layout is known: its
     * format (st->format) and the extra columns its events carry. */
    int (*begin)(void *ud, const evm_table_stats *st, const evm__extras *x,
                 evm_error *err);
    /* Every event, with its extra values (x->n of them). */
    int (*event)(void *ud, const evm_event *e, const char *const *extra,
                 evm_error *err);
    /* Movements and areas of a GeoJSON (or other source) evmap wrote:
     * features whose "feature" field says so. NULL: they are skipped. */
    int (*movement)(void *ud, const evm_movement *mv, evm_error *err);
    int (*area)(void *ud, const evm_area *a, evm_error *err);
    void *ud;
} evm__table_cb;

/* Reads the table at path: sniffs its format, maps every row to an event
 * (or, for evmap's own output, a movement or an area) and hands it to cb,
 * holding one row at a time. With defer_places, rows that name a place
 * without coordinates are passed on unresolved (name set, has_coord 0,
 * where.file = path) for evm_map_resolve; otherwise they are resolved
 * through o->gz here. Bad rows (ragged, bad numbers, coordinates out of
 * range, unknown places or types, invalid UTF-8) fail the read with an
 * error naming path:line:col, or with o->skip_bad are reported through
 * o->warn and counted in st->bad. cb->begin is called even for a table
 * without rows. Returns EVM_OK or the error. */
evm_status evm__table_read(const char *path, const evm_table_opts *o,
                           int defer_places, const evm__table_cb *cb,
                           evm_table_stats *st, evm_error *err);

/* The attribution a map of a table in format (evm_table_stats.format)
 * must show ("Data: ACLED, acleddata.com"), or NULL. Static string. */
const char *evm__table_source(const char *format);

/* A spec (JSON text, malloc'ed; the caller frees it) that draws the
 * table at path as evm_map_load_table would with o: its title, source,
 * extent and style, and events: { from: <absolute path> } with o's
 * columns and filters. For time series of a table (the batch engine
 * takes specs). The table is read once here: NULL + err as
 * evm_map_load_table fails. */
char *evm__table_series_spec(const char *path, const evm_table_opts *o,
                             evm_error *err);

/* ISO 3166-1 alpha-2 code of a FIPS 10-4 country code ("UP" -> "UA"),
 * or NULL when unknown. */
const char *evm__fips_to_iso(const char *fips);

#endif
