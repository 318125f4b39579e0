#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

evm_status evm_error_set(evm_error *err, evm_status code, const char *fmt, ...)
{
    va_list ap;
    if (!err || err->code != EVM_OK)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* one line: fold any newline a caller let through */
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
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
