/* The CSV/TSV record reader of learned places (learn.c): RFC 4180
 * quoting, every error naming file:line:col, fields copied into one
 * buffer. */
#include <string.h>

#include "core/core.h"
#include "gaz_int.h"

#define record evm_gz_record

int evm__gz_next_record(const char *fname, const char **p, const char *e,
                       char delim, int quoting, long *line,
                       struct record *r, evm_error *err)
{
    const char *s = *p;
    if (s >= e)
        return 0;
    r->buf.len = 0;
    r->n = 0;
    r->line = *line;
    const char *line_start = s;
    for (;;) {
        if (r->n == 64) {
            evm_error_set(err, EVM_E_INPUT,
                          "%s:%ld: more than 64 fields in a row", fname,
                          r->line);
            return -1;
        }
        r->off[r->n] = r->buf.len;
        r->col[r->n] = (int)(s - line_start) + 1;
        if (quoting && s < e && *s == '"') {
            s++;
            for (;;) {
                if (s >= e) {
                    evm_error_set(err, EVM_E_INPUT,
                                  "%s:%ld:%d: quoted field never closed; "
                                  "end it with \"", fname, r->line,
                                  r->col[r->n]);
                    return -1;
                }
                if (*s == '"') {
                    if (s + 1 < e && s[1] == '"') {
                        evm__buf_add(&r->buf, "\"", 1);
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                if (*s == '\n') {
                    (*line)++;
                    line_start = s + 1;
                }
                evm__buf_add(&r->buf, s, 1);
                s++;
            }
            if (s < e && *s == '\r')
                s++;
            if (s < e && *s != delim && *s != '\n') {
                evm_error_set(err, EVM_E_INPUT,
                              "%s:%ld:%d: unexpected text after a closing "
                              "quote; double quotes inside a quoted field "
                              "(\"\")", fname, *line,
                              (int)(s - line_start) + 1);
                return -1;
            }
        } else {
            const char *f = s;
            while (s < e && *s != delim && *s != '\n')
                s++;
            size_t n = (size_t)(s - f);
            if (n && f[n - 1] == '\r' && (s >= e || *s == '\n'))
                n--;
            evm__buf_add(&r->buf, f, n);
        }
        evm__buf_add(&r->buf, "", 1); /* the field's NUL */
        r->n++;
        if (r->buf.failed) {
            evm_error_set(err, EVM_E_TOOBIG, "%s:%ld: row longer than 1 MB",
                          fname, r->line);
            return -1;
        }
        if (s < e && *s == delim) {
            s++;
            continue;
        }
        if (s < e) /* newline */
            s++;
        (*line)++;
        break;
    }
    *p = s;
    return 1;
}

const char *evm__gz_fld(struct record *r, int i)
{
    return i >= 0 && i < r->n ? r->buf.data + r->off[i] : "";
}

