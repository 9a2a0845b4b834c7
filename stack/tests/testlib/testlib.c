/* SPDX-License-Identifier: MIT */
/* Project test helpers over cmocka. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ikh/bytes.h"
#include "ikh/err.h"
#include "testlib.h"

void ikh_tl_assert_err(ikh_err got, ikh_err want, const char *expr,
                       const char *file, int line)
{
    if (got != want) {
        fprintf(stderr, "%s: got %s (%d), want %s (%d)\n", expr,
                ikh_err_name(got), (int)got, ikh_err_name(want), (int)want);
        _fail(file, line);
    }
}

size_t ikh_tl_unhex(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':')
            continue;
        int v = ikh_hex_digit((unsigned char)*p);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return (size_t)-1;
        buf[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? n : (size_t)-1;
}

void ikh_tl_assert_hex(const char *hex, ikh_span s, const char *file, int line)
{
    static uint8_t want[65536];
    size_t n = ikh_tl_unhex(hex, want, sizeof want);
    if (n == (size_t)-1 || n != s.len || (n && memcmp(want, s.p, n) != 0)) {
        fprintf(stderr, "bytes differ: want %s, got ", hex);
        for (size_t i = 0; i < s.len; i++)
            fprintf(stderr, "%02x", s.p[i]);
        fprintf(stderr, "\n");
        _fail(file, line);
    }
}

const char *ikh_tl_tmpdir(void)
{
    static char dir[4096];
    const char *b = getenv("IKH_BINARY_DIR");
    snprintf(dir, sizeof dir, "%s/test-tmp", b ? b : ".");
    mkdir(dir, 0755);
    return dir;
}

extern char **environ;

void ikh_tl_tmp_write(char *path, size_t path_cap, const char *data, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, path_cap, "%s/ikh-test-XXXXXX",
             dir != NULL && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, data + off, len - off);
        assert_true(n > 0);
        off += (size_t)n;
    }
    assert_int_equal(close(fd), 0);
}

const char *ikh_tl_python(void)
{
    const char *py = getenv("IKH_PYTHON");
    return py != NULL && *py ? py : "python3";
}

int ikh_tl_run(char *const argv[], const char *err_path)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st, rc;
    assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
    if (err_path != NULL)
        assert_int_equal(
            posix_spawn_file_actions_addopen(
                &fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600),
            0);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int ikh_tl_run_python(const char *script, const char *arg)
{
    char *argv[] = {(char *)ikh_tl_python(), (char *)"-c", (char *)script,
                    (char *)arg, NULL};
    return ikh_tl_run(argv, NULL);
}

void ikh_tl_fixed_rand_fn(void *user, uint8_t *out, size_t len)
{
    ikh_tl_fixed_rand *f = user;
    for (size_t i = 0; i < len; i++)
        out[i] = f->off < f->len ? f->buf[f->off++] : 0;
}

size_t ikh_tl_load_vector(const char *rel, uint8_t *buf, size_t cap)
{
    const char *src = getenv("IKH_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/stack/tests/vectors/%s",
             src != NULL ? src : ".", rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    assert_true(n > 0 && n < cap);
    return n;
}
