/* SPDX-License-Identifier: MIT */
/*
 * The bounded JSON writer (ikh/json.h): exact output, escaping of every
 * octet value, truncation at every buffer size (exact fit, one byte short,
 * nothing written past the capacity), depth and balance misuse. Output is
 * also checked with Python's json module (python3, or $IKH_PYTHON).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "testlib.h"
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikh/json.h"

/* ---- helpers: temp files and python ------------------------------------ */

/* Assert that python accepts @p text under @p script (which reads argv[1]). */
static void assert_python_ok(const char *script, const char *text, size_t len)
{
    char path[512];
    ikh_tl_tmp_write(path, sizeof path, text, len);
    int rc = ikh_tl_run_python(script, path);
    unlink(path);
    if (rc != 0)
        fail_msg("python check failed (exit %d) on: %.*s", rc, (int)len, text);
}

/* ---- a document using every call --------------------------------------- */

static const char full_doc[] =
    "{\"a\":1,\"b\":[1,-2,true,false,null,\"x\\\"y\",{\"c\":[]}],\"d\":{},"
    "\"e\":\"00ff\",\"f\":{\"g\":[[]]},\"r\":[1,2],\"n\":null}";

static void write_doc(ikh_json *j)
{
    static const uint8_t hx[] = {0x00, 0xff};
    ikh_json_obj_open(j, NULL);
    ikh_json_u64(j, "a", 1);
    ikh_json_arr_open(j, "b");
    ikh_json_u64(j, NULL, 1);
    ikh_json_i64(j, NULL, -2);
    ikh_json_bool(j, NULL, true);
    ikh_json_bool(j, NULL, false);
    ikh_json_null(j, NULL);
    ikh_json_str(j, NULL, "x\"y");
    ikh_json_obj_open(j, NULL);
    ikh_json_arr_open(j, "c");
    ikh_json_arr_close(j);
    ikh_json_obj_close(j);
    ikh_json_arr_close(j);
    ikh_json_obj_open(j, "d");
    ikh_json_obj_close(j);
    ikh_json_hex(j, "e", ikh_span_of(hx, sizeof hx));
    ikh_json_obj_open(j, "f");
    ikh_json_arr_open(j, "g");
    ikh_json_arr_open(j, NULL);
    ikh_json_arr_close(j);
    ikh_json_arr_close(j);
    ikh_json_obj_close(j);
    ikh_json_raw(j, "r", "[1,2]", 5);
    ikh_json_str(j, "n", NULL);
    ikh_json_obj_close(j);
}

/* ---- tests -------------------------------------------------------------- */

static void test_json_nested_exact(void **state)
{
    (void)state;
    char buf[256];
    ikh_json j;
    size_t len = 0;
    ikh_json_init(&j, buf, sizeof buf);
    write_doc(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_OK);
    assert_string_equal(buf, full_doc);
    assert_int_equal(len, strlen(full_doc));
    assert_python_ok(
        "import json,sys\n"
        "d=json.load(open(sys.argv[1]))\n"
        "assert d=={'a':1,'b':[1,-2,True,False,None,'x\"y',{'c':[]}],'d':{},"
        "'e':'00ff','f':{'g':[[]]},'r':[1,2],'n':None}, d\n",
        buf, len);
}

static void test_json_integers(void **state)
{
    (void)state;
    char buf[256];
    ikh_json j;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_arr_open(&j, NULL);
    ikh_json_u64(&j, NULL, 0);
    ikh_json_u64(&j, NULL, UINT64_MAX);
    ikh_json_i64(&j, NULL, 0);
    ikh_json_i64(&j, NULL, -1);
    ikh_json_i64(&j, NULL, INT64_MAX);
    ikh_json_i64(&j, NULL, INT64_MIN);
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_OK);
    assert_string_equal(buf, "[0,18446744073709551615,0,-1,9223372036854775807,"
                             "-9223372036854775808]");
}

static void test_json_escaping_rfc8259(void **state)
{
    (void)state;
    char buf[256];
    ikh_json j;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "q\"k", "a\"b\\c/d\n\t\x01\x1f\x7f");
    ikh_json_strn(&j, "nul", "a\0b", 3);
    ikh_json_strn(&j, "hi", "\xc3\xa9\xff", 3);
    ikh_json_str(&j, "empty", "");
    ikh_json_obj_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_OK);
    assert_string_equal(
        buf, "{\"q\\\"k\":\"a\\\"b\\\\c/d\\u000a\\u0009\\u0001\\u001f\\u007f\","
             "\"nul\":\"a\\u0000b\","
             "\"hi\":\"\\u00c3\\u00a9\\u00ff\","
             "\"empty\":\"\"}");
}

/* ikh_json_str() reads UTF-8: well-formed sequences become code point
 * escapes, anything else falls back to one \u00XX per octet. */
static void test_json_utf8_strings(void **state)
{
    (void)state;
    char buf[512];
    ikh_json j;
    size_t len;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_arr_open(&j, NULL);
    ikh_json_str(&j, NULL,
                 "RFC 3948 \xc2\xa7"
                 "2.3");                        /* U+00A7 */
    ikh_json_str(&j, NULL, "\xe2\x82\xac");     /* U+20AC */
    ikh_json_str(&j, NULL, "\xf0\x9f\x98\x80"); /* U+1F600 */
    ikh_json_str(&j, NULL, "\xff\xc0\xaf");     /* invalid, overlong */
    ikh_json_str(&j, NULL, "\xed\xa0\x80");     /* a surrogate */
    ikh_json_str(&j, NULL, "\xe2\x82");         /* cut sequence */
    ikh_json_str(&j, NULL, "\xf4\x90\x80\x80"); /* above U+10FFFF */
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_OK);
    assert_string_equal(
        buf, "[\"RFC 3948 \\u00a72.3\",\"\\u20ac\",\"\\ud83d\\ude00\","
             "\"\\u00ff\\u00c0\\u00af\",\"\\u00ed\\u00a0\\u0080\","
             "\"\\u00e2\\u0082\",\"\\u00f4\\u0090\\u0080\\u0080\"]");
    assert_python_ok(
        "import json,sys\n"
        "d=json.load(open(sys.argv[1]))\n"
        "assert d[0]=='RFC 3948 \\u00a72.3' and d[1]=='\\u20ac', d\n"
        "assert d[2]=='\\U0001F600', d\n",
        buf, len);
}

static void test_json_every_octet(void **state)
{
    (void)state;
    char in[256], buf[2048];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (char)i;
    ikh_json j;
    size_t len;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_strn(&j, NULL, in, sizeof in);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_OK);
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)buf[i] >= 0x20 &&
                    (unsigned char)buf[i] < 0x7f);
    /* each octet is read back as the code point of the same value */
    assert_python_ok(
        "import json,sys\n"
        "t=open(sys.argv[1],'rb').read().decode('ascii')\n"
        "assert json.loads(t)==bytes(range(256)).decode('latin-1')\n",
        buf, len);
}

static void test_json_hex_and_raw(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x01, 0xab, 0xcd, 0xef};
    char buf[128];
    ikh_json j;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_arr_open(&j, NULL);
    ikh_json_hex(&j, NULL, ikh_span_of(b, sizeof b));
    ikh_json_hex(&j, NULL, ikh_span_of(NULL, 0));
    ikh_json_raw(&j, NULL, "{\"x\":[]}", 8);
    ikh_json_strn(&j, NULL, NULL, 0); /* no bytes: no pointer needed */
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_OK);
    assert_string_equal(buf, "[\"01abcdef\",\"\",{\"x\":[]},\"\"]");
}

/* Every capacity from 0 to one past the exact fit: NOBUF below the fit, OK
 * from it on, always a NUL-terminated prefix, never a write past cap. */
static void test_json_every_capacity(void **state)
{
    (void)state;
    const size_t full = strlen(full_doc);
    char big[256];
    assert_true(full + 1 + 16 <= sizeof big);
    for (size_t cap = 0; cap <= full + 1; cap++) {
        memset(big, 0x5a, sizeof big);
        ikh_json j;
        size_t len = 12345;
        ikh_json_init(&j, big, cap);
        write_doc(&j);
        ikh_err e = ikh_json_finish(&j, &len);
        if (cap >= full + 1) {
            assert_int_equal(e, IKH_OK);
            assert_string_equal(big, full_doc);
        } else {
            assert_int_equal(e, IKH_ERR_WIRE_NOBUF);
        }
        if (cap == 0) {
            assert_int_equal(len, 0);
            assert_int_equal((unsigned char)big[0], 0x5a);
        } else {
            assert_true(len <= cap - 1);
            assert_int_equal(big[len], '\0');
            assert_memory_equal(big, full_doc, len);
        }
        for (size_t k = cap; k < sizeof big; k++)
            if (!(cap > 0 && k == len) && (unsigned char)big[k] != 0x5a)
                fail_msg("cap %zu: byte %zu written past the capacity", cap, k);
    }
}

static void test_json_one_byte_short(void **state)
{
    (void)state;
    char buf[8];
    ikh_json j;
    size_t len;
    /* "[12345]" is 7 octets: 8 fits it with the NUL, 7 does not */
    ikh_json_init(&j, buf, 8);
    ikh_json_arr_open(&j, NULL);
    ikh_json_u64(&j, NULL, 12345);
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_OK);
    assert_string_equal(buf, "[12345]");

    ikh_json_init(&j, buf, 7);
    ikh_json_arr_open(&j, NULL);
    ikh_json_u64(&j, NULL, 12345);
    ikh_json_arr_close(&j);
    assert_true(j.trunc);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_ERR_WIRE_NOBUF);
    assert_string_equal(buf, "[12345"); /* pieces are all or nothing */
    assert_int_equal(len, 6);
}

static void test_json_truncation_is_sticky(void **state)
{
    (void)state;
    char buf[6];
    ikh_json j;
    size_t len;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_arr_open(&j, NULL);
    ikh_json_str(&j, NULL, "toolong"); /* does not fit */
    ikh_json_u64(&j, NULL, 1);         /* would fit, but the writer stopped */
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_ERR_WIRE_NOBUF);
    assert_string_equal(buf, "[\"");
    assert_int_equal(len, 2);
}

static void test_json_cap_zero_and_null(void **state)
{
    (void)state;
    ikh_json j;
    size_t len = 99;
    ikh_json_init(&j, NULL, 64);
    ikh_json_u64(&j, NULL, 1);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_ERR_WIRE_NOBUF);
    assert_int_equal(len, 0);

    char one[1] = {'x'};
    ikh_json_init(&j, one, 1); /* room for the NUL only */
    assert_int_equal(one[0], '\0');
    ikh_json_null(&j, NULL);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_ERR_WIRE_NOBUF);
    assert_int_equal(len, 0);
    assert_int_equal(one[0], '\0');
}

static void test_json_depth_limit(void **state)
{
    (void)state;
    char buf[256];
    ikh_json j;
    size_t len;
    /* exactly IKH_JSON_MAX_DEPTH levels work */
    ikh_json_init(&j, buf, sizeof buf);
    for (int i = 0; i < IKH_JSON_MAX_DEPTH; i++)
        ikh_json_arr_open(&j, NULL);
    ikh_json_u64(&j, NULL, 7);
    for (int i = 0; i < IKH_JSON_MAX_DEPTH; i++)
        ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_OK);
    assert_int_equal(len, 2 * IKH_JSON_MAX_DEPTH + 1);

    /* one more is misuse, and it is sticky */
    ikh_json_init(&j, buf, sizeof buf);
    for (int i = 0; i < IKH_JSON_MAX_DEPTH + 1; i++)
        ikh_json_obj_open(&j, i == 0 ? NULL : "k");
    assert_true(j.bad);
    size_t at = j.len;
    ikh_json_u64(&j, "v", 1);
    assert_int_equal(j.len, at);
    for (int i = 0; i < IKH_JSON_MAX_DEPTH + 1; i++)
        ikh_json_obj_close(&j);
    assert_int_equal(ikh_json_finish(&j, &len), IKH_ERR_STATE);
}

static void test_json_balance_misuse(void **state)
{
    (void)state;
    char buf[64];
    ikh_json j;

    ikh_json_init(&j, buf, sizeof buf); /* close at depth 0 */
    ikh_json_obj_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_STATE);

    ikh_json_init(&j, buf, sizeof buf); /* left open */
    ikh_json_obj_open(&j, NULL);
    ikh_json_arr_open(&j, "a");
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_STATE);

    ikh_json_init(&j, buf, sizeof buf); /* nothing written */
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_STATE);
    assert_string_equal(buf, "");

    ikh_json_init(&j, buf, sizeof buf); /* two top-level values */
    ikh_json_u64(&j, NULL, 1);
    ikh_json_u64(&j, NULL, 2);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_STATE);
    assert_string_equal(buf, "1");

    ikh_json_init(&j, buf, sizeof buf); /* a key at top level */
    ikh_json_u64(&j, "k", 1);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_STATE);

    ikh_json_init(
        &j, buf, 2); /* after truncation a stray close is a no-op, not misuse */
    ikh_json_str(&j, NULL, "long");
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_ERR_WIRE_NOBUF);

    ikh_json_init(&j, buf, sizeof buf); /* a top-level scalar is a document */
    ikh_json_str(&j, NULL, "x");
    assert_int_equal(ikh_json_finish(&j, NULL), IKH_OK);
    assert_string_equal(buf, "\"x\"");
}

static void test_json_finish_twice(void **state)
{
    (void)state;
    char buf[32];
    ikh_json j;
    size_t a, b;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_arr_open(&j, NULL);
    ikh_json_arr_close(&j);
    assert_int_equal(ikh_json_finish(&j, &a), IKH_OK);
    assert_int_equal(ikh_json_finish(&j, &b), IKH_OK);
    assert_int_equal(a, b);
    assert_string_equal(buf, "[]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_nested_exact),
        cmocka_unit_test(test_json_integers),
        cmocka_unit_test(test_json_escaping_rfc8259),
        cmocka_unit_test(test_json_utf8_strings),
        cmocka_unit_test(test_json_every_octet),
        cmocka_unit_test(test_json_hex_and_raw),
        cmocka_unit_test(test_json_every_capacity),
        cmocka_unit_test(test_json_one_byte_short),
        cmocka_unit_test(test_json_truncation_is_sticky),
        cmocka_unit_test(test_json_cap_zero_and_null),
        cmocka_unit_test(test_json_depth_limit),
        cmocka_unit_test(test_json_balance_misuse),
        cmocka_unit_test(test_json_finish_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
