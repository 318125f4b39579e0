#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

/* Bytes of the UTF-8 sequence led by c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
    return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Copies the formatted message m (n bytes) into out (cap bytes) as one
 * line that is safe to print on a terminal: newlines fold into spaces,
 * and control characters (C0, DEL, C1: ESC and CSI start terminal
 * escape sequences) and bytes that are not UTF-8, which input files can
 * put into messages, are written as \xNN or \u00NN. An escape or a
 * character is never cut at the end. */
static void escape_into(char *out, size_t cap, const char *m, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)m[i];
        char esc[8] = "";
        size_t k = 1;
        if (c == '\n' || c == '\r') {
            esc[0] = ' ';
            esc[1] = '\0';
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
        } else if (c >= 0x80) {
            k = seq_len(c);
            if (i + k > n || !evm__utf8_valid(m + i, k)) {
                k = 1;
                snprintf(esc, sizeof esc, "\\x%02x", c);
            } else if (c == 0xc2 && (unsigned char)m[i + 1] < 0xa0) {
                snprintf(esc, sizeof esc, "\\u%04x",
                         (unsigned char)m[i + 1]);
            }
        }
        const char *src = esc[0] ? esc : m + i;
        size_t len = esc[0] ? strlen(esc) : k;
        if (o + len >= cap)
            break;
        memcpy(out + o, src, len);
        o += len;
        i += k;
    }
    out[o] = '\0';
}

evm_status evm_error_set(evm_error *err, evm_status code, const char *fmt, ...)
{
    va_list ap;
    if (!err || err->code != EVM_OK)
        return code;
    err->code = code;
    char m[sizeof err->msg];
    va_start(ap, fmt);
    int n = vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof m ? (size_t)n : sizeof m - 1;
    if (n < 0)
        m[0] = '\0';
    if (n >= 0 && (size_t)n >= sizeof m) {
        /* cut short: drop a character cut in two at the end */
        size_t j = len;
        while (j > 0 && ((unsigned char)m[j - 1] & 0xc0) == 0x80)
            j--;
        if (j > 0 && (unsigned char)m[j - 1] >= 0xc0 &&
            j - 1 + seq_len((unsigned char)m[j - 1]) > len)
            len = j - 1;
    }
    escape_into(err->msg, sizeof err->msg, m, len);
    return code;
}

void evm_error_clear(evm_error *err)
{
    if (!err)
        return;
    err->code = EVM_OK;
    err->msg[0] = '\0';
}

const char *evm_status_str(evm_status s)
{
    switch (s) {
    case EVM_OK: return "ok";
    case EVM_E_INPUT: return "bad input";
    case EVM_E_USAGE: return "usage error";
    case EVM_E_IO: return "I/O error";
    case EVM_E_NOMEM: return "out of memory";
    case EVM_E_LIB: return "library failure";
    case EVM_E_NOTFOUND: return "not found";
    case EVM_E_TOOBIG: return "input too large";
    }
    return "unknown error";
}

int evm_status_exit_code(evm_status s)
{
    switch (s) {
    case EVM_OK: return 0;
    case EVM_E_INPUT: case EVM_E_NOTFOUND: case EVM_E_TOOBIG: return 1;
    case EVM_E_USAGE: return 2;
    default: return 3;
    }
}
