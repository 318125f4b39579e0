#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

void *evm__reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, (n && size) ? n * size : 1);
}

void *evm__calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

char *evm__strdup(const char *s)
{
    return s ? evm__strndup(s, strlen(s)) : NULL;
}

char *evm__strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* ---------------------------------------------------------------- buffer */

void evm__buf_init(evm_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : SIZE_MAX / 2;
}

int evm__buf_add(evm_buf *b, const void *p, size_t n)
{
    if (b->failed)
        return -1;
    if (n > b->max - b->len) {
        evm__buf_free(b);
        b->failed = 1;
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *d = realloc(b->data, nc);
        if (!d) {
            evm__buf_free(b);
            b->failed = 1;
            return -1;
        }
        b->data = d;
        b->cap = nc;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int evm__buf_puts(evm_buf *b, const char *s)
{
    return evm__buf_add(b, s, strlen(s));
}

int evm__buf_printf(evm_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof tmp)
        return evm__buf_add(b, tmp, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int r = evm__buf_add(b, big, (size_t)n);
    free(big);
    return r;
}

void evm__buf_free(evm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* --------------------------------------------------------------- numbers */

/* Integer arithmetic instead of printf("%f"), so the result never depends
 * on the locale the CLI set for Pango. */
size_t evm__fmt_num(char out[40], double v, int decimals)
{
    if (!isfinite(v)) {
        strcpy(out, "null");
        return 4;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    double scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    int neg = v < 0;
    double a = fabs(v);
    if (a * scale >= 9.0e18) { /* out of integer range: fall back */
        snprintf(out, 40, "%.0f", v);
        return strlen(out);
    }
    unsigned long long q = (unsigned long long)llround(a * scale);
    unsigned long long ip = q / (unsigned long long)scale;
    unsigned long long fp = q % (unsigned long long)scale;
    char *p = out;
    if (neg && q != 0)
        *p++ = '-';
    p += sprintf(p, "%llu", ip);
    if (decimals > 0 && fp) {
        char frac[24];
        sprintf(frac, "%0*llu", decimals, fp);
        int n = decimals;
        while (n > 0 && frac[n - 1] == '0')
            n--;
        *p++ = '.';
        memcpy(p, frac, (size_t)n);
        p += n;
    }
    *p = '\0';
    return (size_t)(p - out);
}

int evm__parse_double(const char *s, double *v)
{
    const char *p = s;
    int neg = 0;
    double ip = 0, fp = 0, fs = 1;
    int digits = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    while (*p >= '0' && *p <= '9') {
        ip = ip * 10 + (*p++ - '0');
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            fs /= 10;
            fp += (*p++ - '0') * fs;
            digits++;
        }
    }
    if (!digits)
        return -1;
    double r = ip + fp;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0, e = 0, ed = 0;
        if (*p == '-' || *p == '+')
            eneg = *p++ == '-';
        while (*p >= '0' && *p <= '9' && e < 400) {
            e = e * 10 + (*p++ - '0');
            ed++;
        }
        if (!ed)
            return -1;
        r *= pow(10, eneg ? -e : e);
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return -1;
    if (!isfinite(r))
        return -1;
    *v = neg ? -r : r;
    return 0;
}

/* ----------------------------------------------------------- temporaries */
/* Here rather than in atomic.c: the GDAL module calls them, and a
 * program linking libevmap.a always has this file. Temporaries name
 * their owner (".NAME.tmp-PID-BOOT-XXXXXX", BOOT the first 8 hex digits
 * of the kernel's boot id), so a later run tells a dead run's leftovers
 * (another boot, or a pid that no longer runs) from a live run's. */

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

/* ------------------------------------------------------------------ misc */

/* Contract in core.h. */
size_t evm__text_cut(const char *s)
{
    size_t i = 0;
    int chars = 0, lines = 1;
    if (!s)
        return 0;
    while (s[i]) {
        if (s[i] == '\n' && ++lines > EVM_TEXT_MAX_LINES)
            return i;
        if (++chars > EVM_TEXT_MAX_CHARS)
            return i;
        i++;
        while ((s[i] & 0xc0) == 0x80) /* continuation bytes */
            i++;
    }
    return i;
}


evm_status evm__read_file(const char *path, size_t max, char **out,
                          size_t *len, evm_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return evm_error_set(err, EVM_E_IO, "%s: cannot open: %s", path,
                             strerror(errno));
    evm_buf b;
    evm__buf_init(&b, max);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (evm__buf_add(&b, tmp, n) < 0)
            break;
    int rerr = ferror(f);
    if (f != stdin)
        fclose(f);
    if (b.failed)
        return evm_error_set(err, EVM_E_TOOBIG,
                             "%s: file larger than %zu bytes", path, max);
    if (rerr) {
        evm__buf_free(&b);
        return evm_error_set(err, EVM_E_IO, "%s: read error", path);
    }
    if (!b.data && evm__buf_add(&b, "", 0) < 0)
        return evm_error_set(err, EVM_E_NOMEM, "out of memory");
    *out = b.data;
    *len = b.len;
    return EVM_OK;
}

/* Contract in core.h. */
double evm__wrap180(double lon)
{
    lon = fmod(lon + 180.0, 360.0);
    if (lon < 0)
        lon += 360.0;
    return lon - 180.0;
}

/* Contract in core.h. Written here rather than through utf8proc_iterate
 * so that ASCII, most of every table, costs one comparison a byte. */
long evm__utf8_bad_offset(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            k = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3;
            cp = c & 0x07;
        } else {
            return (long)i;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return (long)i;
        i += k + 1;
    }
    return -1;
}

int evm__utf8_valid(const char *str, size_t n)
{
    return evm__utf8_bad_offset(str, n) < 0;
}

int evm__edit_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 255 || lb > 255)
        return max + 1;
    if ((int)(la > lb ? la - lb : lb - la) > max)
        return max + 1;
    int row[256];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0], best;
        row[0] = (int)i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev + cost;
            if (row[j] + 1 < v) v = row[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
            if (v < best) best = v;
        }
        if (best > max)
            return max + 1;
    }
    return row[lb] > max ? max + 1 : row[lb];
}

const char *evm__nearest(const char *s, const char *const *cands, int max)
{
    const char *best = NULL;
    int bd = max + 1;
    for (; *cands; cands++) {
        int d = evm__edit_distance(s, *cands, max);
        if (d < bd) {
            bd = d;
            best = *cands;
        }
    }
    return best;
}

double evm__distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = M_PI / 180;
    double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0088 * asin(sqrt(h < 1 ? h : 1));
}

/* ------------------------------------------------------------ data paths */


static char *join(const char *dir, size_t dlen, const char *name)
{
    size_t n = dlen + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s/%s", (int)dlen, dir, name);
    return p;
}

/* p when it names a file, else NULL (freed); NULL p (join out of
 * memory) sets *nomem: the search stops there rather than find a file of
 * a later directory in the order. */
static char *try_path(char *p, int *nomem)
{
    struct stat st;
    if (!p) {
        *nomem = 1;
        return NULL;
    }
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
        return p;
    free(p);
    return NULL;
}

char *evm_data_path(const char *name)
{
    char *p;
    int nomem = 0;
    const char *env = getenv("EVMAP_DATA");
    if (env && *env &&
        ((p = try_path(join(env, strlen(env), name), &nomem)) || nomem))
        goto done;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            size_t dl = (size_t)(slash - exe);
            if ((p = try_path(join(exe, dl, name), &nomem)) || nomem)
                goto done;
            char up[PATH_MAX + 32];
            snprintf(up, sizeof up, "%.*s/../share/evmap", (int)dl, exe);
            if ((p = try_path(join(up, strlen(up), name), &nomem)) || nomem)
                goto done;
        }
    }
    p = try_path(join(EVMAP_DATADIR, strlen(EVMAP_DATADIR), name), &nomem);
done:
    if (!p)
        errno = nomem ? ENOMEM : ENOENT;
    return p;
}

const char *evm_attribution(void)
{
    return "Place names: GeoNames (geonames.org), CC BY 4.0\n"
           "Airports: OurAirports (ourairports.com), public domain\n"
           "Basemap and places: Made with Natural Earth "
           "(naturalearthdata.com), public domain\n";
}

static const char *const precision_names[] = {"exact", "admin2", "admin1", "country"};

const char *evm_precision_str(evm_precision p)
{
    return (unsigned)p < 4 ? precision_names[p] : "exact";
}

int evm_precision_from_name(const char *name)
{
    for (int i = 0; name && i < 4; i++)
        if (strcmp(name, precision_names[i]) == 0)
            return i;
    return -1;
}
