/* Output files that are either whole or not there: a temporary file
 * beside the target, written, flushed, fsync'ed and checked, then renamed
 * over it. The temporaries name their owner (".NAME.tmp-PID-BOOT-XXXXXX",
 * BOOT the first 8 hex digits of the kernel's boot id), so a later run
 * can tell a dead run's leftovers (another boot, or a pid that no longer
 * runs) from the files of a run that is still writing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* Contract in core.h. */
evm_status evm__atomic_open(evm_atomic *a, const char *path, evm_error *err)
{
    memset(a, 0, sizeof *a);
    if (strcmp(path, "-") == 0) {
        a->f = stdout;
        a->is_stdout = 1;
        return EVM_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* a device or a pipe: renaming over it would replace it */
        a->f = fopen(path, "wb");
        if (!a->f)
            return evm_error_set(err, EVM_E_IO, "%s: cannot write: %s", path,
                                 strerror(errno));
        a->in_place = 1;
        a->path = evm__strdup(path);
        return EVM_OK;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return evm_error_set(err, EVM_E_IO, "%s: cannot write: it is a "
                             "directory", path);
    a->path = evm__strdup(path);
    /* the temporary file lives in the target's directory so that the
     * rename is atomic (same file system) */
    a->tmp = evm__tmp_template(path);
    if (!a->path || !a->tmp) {
        evm__atomic_abort(a);
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    }
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        int e = errno;
        evm__atomic_abort(a);
        return evm_error_set(err, EVM_E_IO,
                             "%s: cannot write: %s (check that the directory "
                             "exists and is writable)", path, strerror(e));
    }
    fchmod(fd, 0644);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        close(fd);
        unlink(a->tmp);
        evm__atomic_abort(a);
        return evm_error_set(err, EVM_E_IO, "%s: cannot write", path);
    }
    return EVM_OK;
}

/* Flushes and closes f (fsync'ed when sync), 0 or an errno (EIO when a
 * write failed earlier without one at hand). */
static int finish(FILE *f, int sync)
{
    int e = 0;
    if (ferror(f))
        e = EIO;
    if (fflush(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (sync && fsync(fileno(f)) != 0 && !e && errno != EINVAL &&
        errno != EROFS)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    return e;
}

/* Contract in core.h. */
evm_status evm__atomic_commit(evm_atomic *a, evm_error *err)
{
    if (a->is_stdout) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        int e = errno;
        a->f = NULL;
        if (bad)
            return evm_error_set(err, EVM_E_IO, "stdout: write failed: %s",
                                 strerror(e ? e : EIO));
        return EVM_OK;
    }
    if (a->in_place) {
        int e = finish(a->f, 0);
        a->f = NULL;
        if (e)
            evm_error_set(err, EVM_E_IO, "%s: write failed: %s",
                          a->path ? a->path : "output", strerror(e));
        evm__atomic_abort(a);
        return e ? EVM_E_IO : EVM_OK;
    }
    int e = finish(a->f, 1);
    a->f = NULL;
    if (!e && rename(a->tmp, a->path) != 0)
        e = errno;
    if (e) {
        unlink(a->tmp);
        evm_error_set(err, EVM_E_IO, "%s: write failed: %s%s", a->path,
                      strerror(e), e == ENOSPC ? " (the old file, if any, "
                      "is kept)" : "");
        evm__atomic_abort(a);
        return EVM_E_IO;
    }
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
    return EVM_OK;
}

/* Contract in core.h. */
void evm__atomic_abort(evm_atomic *a)
{
    if (a->f && !a->is_stdout)
        fclose(a->f);
    if (a->tmp && a->f && !a->in_place)
        unlink(a->tmp);
    a->f = NULL;
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
}

/* Contract in core.h. */
void evm__error_name_path(evm_error *err, const char *path)
{
    if (!err || err->code == EVM_OK || !path || !*path ||
        strstr(err->msg, path))
        return;
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%.300s: %.700s",
             strcmp(path, "-") ? path : "stdout", err->msg);
    memcpy(err->msg, msg, sizeof msg);
}
