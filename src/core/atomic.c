/* Output files that are either whole or not there: a temporary file
 * beside the target, written, flushed, fsync'ed and checked, then renamed
 * over it. The temporaries name their owner (".NAME.tmp-PID-BOOT-XXXXXX",
 * BOOT the first 8 hex digits of the kernel's boot id), so a later run
 * can tell a dead run's leftovers (another boot, or a pid that no longer
 * runs) from the files of a run that is still writing. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* The first 8 hex digits of this boot's id ("00000000" when unknown). */
static void boot_id(char out[9])
{
    memcpy(out, "00000000", 9);
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!f)
        return;
    char buf[64];
    if (fgets(buf, sizeof buf, f)) {
        int k = 0;
        for (const char *p = buf; *p && k < 8; p++)
            if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
                out[k++] = *p;
        if (k < 8)
            memcpy(out, "00000000", 9);
    }
    fclose(f);
}

/* Contract in core.h. */
char *evm__tmp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path + 1) : 0;
    size_t n = strlen(path) + 64;
    char *t = malloc(n);
    if (!t)
        return NULL;
    char boot[9];
    boot_id(boot);
    snprintf(t, n, "%.*s.%s.tmp-%ld-%s-XXXXXX", (int)dl, path,
             slash ? slash + 1 : path, (long)getpid(), boot);
    return t;
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* Contract in core.h. */
int evm__tmp_owner(const char *name, char *target, size_t cap)
{
    size_t n = strlen(name);
    if (n < 12 || name[0] != '.')
        return EVM_TMP_NONE;
    /* the old form: ".NAME.tmpXXXXXX" (no owner) */
    const char *suf = name + n - 10;
    int old = !memcmp(suf, ".tmp", 4);
    for (int i = 4; old && i < 10; i++)
        old = alnum(suf[i]);
    const char *end = NULL;
    long pid = 0;
    int live = 0;
    if (old) {
        end = suf;
    } else {
        /* ".NAME.tmp-PID-BOOT-XXXXXX" */
        if (n < 6 + 1 + 8 + 1 + 1 + 1 || name[n - 7] != '-')
            return EVM_TMP_NONE;
        for (size_t i = n - 6; i < n; i++)
            if (!alnum(name[i]))
                return EVM_TMP_NONE;
        const char *b = name + n - 7 - 8;
        for (int i = 0; i < 8; i++)
            if (!((b[i] >= '0' && b[i] <= '9') || (b[i] >= 'a' && b[i] <= 'f')))
                return EVM_TMP_NONE;
        if (b[-1] != '-')
            return EVM_TMP_NONE;
        const char *q = b - 1; /* the '-' before BOOT */
        const char *d = q;
        while (d > name && d[-1] >= '0' && d[-1] <= '9')
            d--;
        if (d == q || q - d > 10 || d - name < 6 ||
            memcmp(d - 5, ".tmp-", 5))
            return EVM_TMP_NONE;
        for (const char *p = d; p < q; p++)
            pid = pid * 10 + (*p - '0');
        end = d - 5;
        char boot[9];
        boot_id(boot);
        live = !memcmp(b, boot, 8) && pid > 0 &&
               (kill((pid_t)pid, 0) == 0 || errno == EPERM);
    }
    size_t k = (size_t)(end - name) - 1;
    if (k == 0 || k + 1 > cap)
        return EVM_TMP_NONE;
    memcpy(target, name + 1, k);
    target[k] = '\0';
    return old ? EVM_TMP_UNOWNED : live ? EVM_TMP_LIVE : EVM_TMP_DEAD;
}

/* Contract in core.h. */
int evm__remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = depth > 0 ? opendir(path) : NULL;
    if (d) {
        struct dirent *e;
        size_t pl = strlen(path);
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            size_t n = pl + strlen(e->d_name) + 2;
            char *p = malloc(n);
            if (!p)
                continue;
            snprintf(p, n, "%s/%s", path, e->d_name);
            evm__remove_tree(p, depth - 1);
            free(p);
        }
        closedir(d);
    }
    return rmdir(path);
}

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
