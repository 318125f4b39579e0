/* The leak checker is real. Under a sanitizer build this program runs
 * itself twice: once drawing a map on threads (as `evmap render` does,
 * with Pango's and the basemap thread's TLS) and freeing everything, which
 * must exit 0; once doing the same and then losing a block on purpose,
 * which LeakSanitizer must report, naming this file, with a failing exit
 * code. It guards tests/run's sanitizer options (intercept_tls_get_addr=0
 * there) and tests/lsan.supp: an option or a suppression that silenced
 * leak detection would make this test fail. In a normal build it checks
 * nothing and says so. */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "evmap.h"

#if defined(__SANITIZE_ADDRESS__)
#define EVM_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define EVM_LSAN 1
#endif
#endif

static const char *SPEC =
    "title: Leak check\n"
    "events:\n"
    "  - { place: Almaty, type: riot, label: Clashes }\n"
    "  - { place: Astana, type: protest }\n";

/* Draws a map through the library (PNG: two threads) and frees it. */
static int draw(const char *out)
{
    evm_error err = {0};
    evm_gazetteer *gz = evm_gazetteer_open(NULL, &err);
    if (!gz)
        return fprintf(stderr, "gazetteer: %s\n", err.msg), 1;
    evm_map *m = evm_map_load_buffer("leak.yaml", SPEC, strlen(SPEC), &err);
    if (!m || evm_map_resolve(m, gz, &err) != EVM_OK)
        return fprintf(stderr, "spec: %s\n", err.msg), 1;
    evm_gazetteer_close(gz);
    evm_render_opts o;
    evm_render_opts_init(&o);
    o.quiet = 1;
    evm_status st = evm_map_render(m, &o, out, &err);
    evm_map_free(m);
    if (st != EVM_OK)
        return fprintf(stderr, "render: %s\n", err.msg), 1;
    return 0;
}

/* Keeps the compiler from proving the block dead. */
static void *volatile sink;

static int child(const char *mode, const char *out)
{
    if (draw(out))
        return 1;
    if (strcmp(mode, "leak") == 0) {
        char *p = malloc(4321);
        memset(p, 'x', 4321);
        sink = p;
        sink = NULL; /* the only pointer is gone: a definite leak */
    }
    return 0;
}

#ifdef EVM_LSAN
/* Runs this program with mode; returns its exit status, stderr in buf. */
static int run(const char *self, const char *mode, const char *out,
               char *buf, size_t cap)
{
    int fd[2];
    if (pipe(fd))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        execl(self, self, mode, out, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while ((k = read(fd[0], buf + n, cap - 1 - n)) > 0 && n + 1 < cap)
        n += (size_t)k;
    while (k > 0) /* drain the rest so the child never blocks */
        k = read(fd[0], (char[512]){0}, 512);
    buf[n] = 0;
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
#endif

int main(int argc, char **argv)
{
    if (argc == 3)
        return child(argv[1], argv[2]);
#ifdef EVM_LSAN
    static char err[1 << 16];
    char out[512];
    const char *tmpd = getenv("TMPD");
    snprintf(out, sizeof out, "%s/leakcheck.png", tmpd ? tmpd : "/tmp");
    for (int i = 0; i < 3; i++) {
        int rc = run("/proc/self/exe", "clean", out, err, sizeof err);
        CHECK(rc == 0, "clean run %d: exit %d, want 0; stderr: %.400s", i, rc, err);
        rc = run("/proc/self/exe", "leak", out, err, sizeof err);
        CHECK(rc != 0, "leaking run %d: exit 0, the leak went unreported", i);
        CHECK(strstr(err, "LeakSanitizer: detected memory leaks") != NULL,
              "leaking run %d: no leak report; stderr: %.400s", i, err);
        CHECK(strstr(err, "4321 byte") != NULL && strstr(err, "test_leakcheck.c") != NULL,
              "leaking run %d: the report does not name the lost block", i);
        CHECK(strstr(err, "Tracer caught signal") == NULL,
              "leaking run %d: the leak checker crashed", i);
    }
    unlink(out);
#else
    printf("test_leakcheck: not a sanitizer build, nothing to check\n");
#endif
    TEST_REPORT();
}
