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
#define assert_ikh_ok(expr) ikh_tl_assert_err((expr), IKH_OK, #expr, __FILE__, __LINE__)
/* Fail unless expr returns exactly code. */
#define assert_ikh_err(expr, code) ikh_tl_assert_err((expr), (code), #expr, __FILE__, __LINE__)
/* Fail unless span s holds the bytes written as hex. */
#define assert_bytes_hex(hex, s) ikh_tl_assert_hex((hex), (s), __FILE__, __LINE__)

void ikh_tl_assert_err(ikh_err got, ikh_err want, const char *expr,
                       const char *file, int line);
void ikh_tl_assert_hex(const char *hex, ikh_span s, const char *file, int line);

/* Decode hex (whitespace ignored) into buf; returns the length, or
 * (size_t)-1 on a bad digit or when buf is too small. */
size_t ikh_tl_unhex(const char *hex, uint8_t *buf, size_t cap);

/* A directory tests may write into (the build tree), made if needed. */
const char *ikh_tl_tmpdir(void);

#endif
