/* SPDX-License-Identifier: MIT */
/* Project test helpers over cmocka. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

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

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t ikh_tl_unhex(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':')
            continue;
        int v = hexval((unsigned char)*p);
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
