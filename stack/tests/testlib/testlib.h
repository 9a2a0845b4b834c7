/* SPDX-License-Identifier: MIT */
/*
 * Project helpers on top of cmocka (../shared/STYLE.md §14): include this
 * instead of cmocka.h in every test.
 */
#ifndef IKH_TESTLIB_H
#define IKH_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ikh/common.h"

/* Fail with the error's name when expr is not IKH_OK. */
#define assert_ikh_ok(expr)                                                    \
    ikh_tl_assert_err((expr), IKH_OK, #expr, __FILE__, __LINE__)
/* Fail unless expr returns exactly code. */
#define assert_ikh_err(expr, code)                                             \
    ikh_tl_assert_err((expr), (code), #expr, __FILE__, __LINE__)
/* Fail unless span s holds the bytes written as hex. */
#define assert_bytes_hex(hex, s)                                               \
    ikh_tl_assert_hex((hex), (s), __FILE__, __LINE__)

void ikh_tl_assert_err(ikh_err got, ikh_err want, const char *expr,
                       const char *file, int line);
void ikh_tl_assert_hex(const char *hex, ikh_span s, const char *file, int line);

/* Decode hex (whitespace ignored) into buf; returns the length, or
 * (size_t)-1 on a bad digit or when buf is too small. */
size_t ikh_tl_unhex(const char *hex, uint8_t *buf, size_t cap);

/* A directory tests may write into (the build tree), made if needed. */
const char *ikh_tl_tmpdir(void);

/* Write data to a new temporary file (under $TMPDIR or /tmp); its name
 * goes into path. Fails the test on any error. */
void ikh_tl_tmp_write(char *path, size_t path_cap, const char *data,
                      size_t len);

/* The Python interpreter to run: $IKH_PYTHON, else python3. */
const char *ikh_tl_python(void);

/* Run argv (stderr into err_path when not NULL); the exit status, -1 when
 * it could not run or died. */
int ikh_tl_run(char *const argv[], const char *err_path);

/* Run python -c SCRIPT ARG; its exit status (-1: could not run). */
int ikh_tl_run_python(const char *script, const char *arg);

/* A rand hook (ikh_rand.fn) that hands out buf[0..len) in order, then
 * zeros: lets a KAT inject a private value through keygen. */
typedef struct ikh_tl_fixed_rand {
    uint8_t buf[256]; /* octets to hand out */
    size_t len, off;  /* valid octets, octets handed out */
} ikh_tl_fixed_rand;
void ikh_tl_fixed_rand_fn(void *user, uint8_t *out, size_t len);

/* Read $IKH_SOURCE_DIR/stack/tests/vectors/<rel> into buf; fails the test
 * when it cannot be read, is empty or does not fit. Returns the length. */
size_t ikh_tl_load_vector(const char *rel, uint8_t *buf, size_t cap);

#endif
