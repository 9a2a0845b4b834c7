/* SPDX-License-Identifier: MIT */
/*
 * The report command's JSON reader (reports/report_json.h): well-formed
 * documents, the accessors, and hostile input (deep nesting, huge numbers,
 * bad escapes and surrogates, invalid UTF-8, truncation at every octet,
 * limits): each gets its specific error with line and column, never a
 * crash (run under the asan preset too).
 */
#include <stdio.h>
#include <stdlib.h>

#include "report_json.h"
#include "testlib.h"

/* Parse s; return the error code and fill *err. Frees the document. */
static rjson_errc parse_err(const char *s, const rjson_limits *lim,
                            rjson_error *err)
{
    rjson_doc *d = NULL;
    rjson_errc e = rjson_parse(s, strlen(s), lim, &d, err);
    if (e == RJSON_OK)
        assert_non_null(d);
    else
        assert_null(d);
    rjson_free(d);
    return e;
}

static void test_json_values(void **state)
{
    (void)state;
    const char *s = "{\"a\": [1, -2.5e3, true, false, null],\n"
                    " \"s\": \"x\\u00e9\\ud83d\\ude00\\n\", \"o\": {},"
                    " \"big\": 123456789012345678901234567890,"
                    " \"min\": -9223372036854775808, \"a\": 7}";
    rjson_doc *d = NULL;
    rjson_error err;
    assert_int_equal(rjson_parse(s, strlen(s), NULL, &d, &err), RJSON_OK);
    assert_int_equal(rjson_type_of(d, RJSON_ROOT), RJSON_OBJECT);
    assert_int_equal(rjson_count(d, RJSON_ROOT), 6);
    rjson_ref a = rjson_get(d, RJSON_ROOT, "a"); /* the first "a" */
    assert_int_equal(rjson_type_of(d, a), RJSON_ARRAY);
    assert_int_equal(rjson_count(d, a), 5);
    rjson_ref v = rjson_first(d, a);
    int64_t i = 0;
    assert_true(rjson_int(d, v, &i));
    assert_int_equal(i, 1);
    v = rjson_next(d, v);
    double x = 0;
    assert_false(rjson_int(d, v, &i));
    assert_true(rjson_num(d, v, &x));
    assert_true(x == -2500.0);
    assert_string_equal(rjson_num_text(d, v, NULL), "-2.5e3");
    v = rjson_next(d, v);
    assert_int_equal(rjson_type_of(d, v), RJSON_TRUE);
    v = rjson_next(d, rjson_next(d, v));
    assert_int_equal(rjson_type_of(d, v), RJSON_NULL);
    assert_int_equal(rjson_next(d, v), RJSON_NONE);
    size_t n = 0;
    const char *str = rjson_str(d, rjson_get(d, RJSON_ROOT, "s"), &n);
    assert_int_equal(n, 8);
    assert_memory_equal(str, "x\xc3\xa9\xf0\x9f\x98\x80\n", 8);
    assert_int_equal(rjson_count(d, rjson_get(d, RJSON_ROOT, "o")), 0);
    /* beyond int64: a double, not an integer */
    rjson_ref big = rjson_get(d, RJSON_ROOT, "big");
    assert_false(rjson_int(d, big, &i));
    assert_true(rjson_num(d, big, &x) && x > 1e29);
    assert_int_equal(rjson_get_int(d, RJSON_ROOT, "min", 0), INT64_MIN);
    assert_string_equal(rjson_get_str(d, RJSON_ROOT, "nope", "def"), "def");
    assert_int_equal(rjson_get(d, a, "x"), RJSON_NONE); /* not an object */
    assert_int_equal(rjson_type_of(d, RJSON_NONE), RJSON_ABSENT);
    size_t kl = 0;
    assert_string_equal(rjson_key(d, rjson_first(d, RJSON_ROOT), &kl), "a");
    rjson_free(d);
    /* scalars at the top, white space around */
    assert_int_equal(parse_err(" 0 ", NULL, &err), RJSON_OK);
    assert_int_equal(parse_err("\"\"", NULL, &err), RJSON_OK);
    assert_int_equal(parse_err("[[],{}]", NULL, &err), RJSON_OK);
}

/* One bad input: its code, line and column. */
typedef struct bad_case {
    const char *in;
    rjson_errc code;
    unsigned line, col;
} bad_case;

static void test_json_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", RJSON_E_EMPTY, 1, 1},
        {"  \n ", RJSON_E_EMPTY, 2, 2},
        {"{\"a\":1,}", RJSON_E_TOKEN, 1, 8},
        {"[1,]", RJSON_E_TOKEN, 1, 4},
        {"[1 2]", RJSON_E_TOKEN, 1, 4},
        {"{'a':1}", RJSON_E_TOKEN, 1, 2},
        {"{\"a\" 1}", RJSON_E_TOKEN, 1, 6},
        {"tru", RJSON_E_TRUNCATED, 1, 4},
        {"trux", RJSON_E_TOKEN, 1, 1},
        {"NaN", RJSON_E_TOKEN, 1, 1},
        {"[1]x", RJSON_E_TRAILING, 1, 4},
        {"1 2", RJSON_E_TRAILING, 1, 3},
        {"012", RJSON_E_NUMBER, 1, 2},
        {"-", RJSON_E_TRUNCATED, 1, 2},
        {"-a", RJSON_E_NUMBER, 1, 2},
        {"1.", RJSON_E_TRUNCATED, 1, 3},
        {"1.e5", RJSON_E_NUMBER, 1, 3},
        {"1e", RJSON_E_TRUNCATED, 1, 3},
        {"1e+x", RJSON_E_NUMBER, 1, 4},
        {"1e400", RJSON_E_NUMBER, 1, 1},
        {"-1e999999999", RJSON_E_NUMBER, 1, 1},
        {"\"\\x\"", RJSON_E_ESCAPE, 1, 2},
        {"\"\\u12G4\"", RJSON_E_ESCAPE, 1, 2},
        {"\"\\u12", RJSON_E_TRUNCATED, 1, 6},
        {"\"\\ud800\"", RJSON_E_SURROGATE, 1, 2},
        {"\"\\ud800\\u0041\"", RJSON_E_SURROGATE, 1, 2},
        {"\"\\udc00\"", RJSON_E_SURROGATE, 1, 2},
        {"\"a\tb\"", RJSON_E_CONTROL, 1, 3},
        {"\"\xc3\x28\"", RJSON_E_UTF8, 1, 2},
        {"\"\xc0\xaf\"", RJSON_E_UTF8, 1, 2},         /* overlong '/' */
        {"\"\xed\xa0\x80\"", RJSON_E_UTF8, 1, 2},     /* UTF-8 surrogate */
        {"\"\xf4\x90\x80\x80\"", RJSON_E_UTF8, 1, 2}, /* > U+10FFFF */
        {"\"abc", RJSON_E_TRUNCATED, 1, 5},
        {"{\"a\":\n [1,\n  {\"b\": \"\xc3\xa9\xc3\xa9\\q\"}]}", RJSON_E_ESCAPE,
         3, 12},
        {"[", RJSON_E_TRUNCATED, 1, 2},
        {"{\"a\"", RJSON_E_TRUNCATED, 1, 5},
        {"{\"a\":", RJSON_E_TRUNCATED, 1, 6},
        {"/* c */ 1", RJSON_E_TOKEN, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rjson_error err;
        rjson_errc e = parse_err(cases[i].in, NULL, &err);
        if (e != cases[i].code || err.line != cases[i].line ||
            err.col != cases[i].col)
            fail_msg("case %zu %s: got %s at %u:%u (%s), want %s at %u:%u", i,
                     cases[i].in, rjson_errc_name(e), err.line, err.col,
                     err.msg, rjson_errc_name(cases[i].code), cases[i].line,
                     cases[i].col);
        assert_int_equal(err.code, e);
        assert_true(err.msg[0] != '\0');
    }
}

/* A NUL octet is an error outside strings, and \u0000 a string octet. */
static void test_json_nul(void **state)
{
    (void)state;
    rjson_doc *d = NULL;
    rjson_error err;
    assert_int_equal(rjson_parse("[1,\0]", 5, NULL, &d, &err), RJSON_E_TOKEN);
    assert_int_equal(err.col, 4);
    assert_int_equal(rjson_parse("\"a\0\"", 4, NULL, &d, &err),
                     RJSON_E_CONTROL);
    assert_int_equal(rjson_parse("\"a\\u0000b\"", 10, NULL, &d, &err),
                     RJSON_OK);
    size_t n = 0;
    const char *s = rjson_str(d, RJSON_ROOT, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(s, "a\0b", 3);
    rjson_free(d);
    assert_int_equal(rjson_parse(NULL, 3, NULL, &d, &err), RJSON_E_ARG);
}

/* Deep nesting: the depth limit, not the C stack, stops it. */
static void test_json_deep(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *s = malloc(2 * n);
    assert_non_null(s);
    memset(s, '[', n);
    memset(s + n, ']', n);
    rjson_doc *d = NULL;
    rjson_error err;
    assert_int_equal(rjson_parse(s, 2 * n, NULL, &d, &err), RJSON_E_DEPTH);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 65); /* the 65th '[' with the default 64 */
    rjson_limits lim = {.max_depth = 3};
    assert_int_equal(rjson_parse("[[[1]]]", 7, &lim, &d, &err), RJSON_OK);
    rjson_free(d);
    assert_int_equal(rjson_parse("[[[[1]]]]", 9, &lim, &d, &err),
                     RJSON_E_DEPTH);
    /* objects nest the same way */
    const char *o = "{\"a\":{\"a\":{\"a\":{\"a\":1}}}}";
    assert_int_equal(rjson_parse(o, strlen(o), &lim, &d, &err), RJSON_E_DEPTH);
    free(s);
}

static void test_json_limits(void **state)
{
    (void)state;
    rjson_doc *d = NULL;
    rjson_error err;
    rjson_limits lim = {.max_bytes = 4};
    assert_int_equal(rjson_parse("12345", 5, &lim, &d, &err), RJSON_E_TOO_BIG);
    rjson_limits ln = {.max_nodes = 3};
    assert_int_equal(rjson_parse("[1,2]", 5, &ln, &d, &err), RJSON_OK);
    rjson_free(d);
    assert_int_equal(rjson_parse("[1,2,3]", 7, &ln, &d, &err), RJSON_E_NODES);
    assert_int_equal(err.col, 6);
    rjson_limits ls = {.max_string = 4};
    assert_int_equal(rjson_parse("\"abcd\"", 6, &ls, &d, &err), RJSON_OK);
    rjson_free(d);
    assert_int_equal(rjson_parse("\"abcde\"", 7, &ls, &d, &err),
                     RJSON_E_STRING);
    assert_int_equal(rjson_parse("{\"abcdefgh\":1}", 14, &ls, &d, &err),
                     RJSON_E_STRING);
    /* a number literal longer than 64 characters */
    char num[80];
    memset(num, '1', sizeof num - 1);
    num[sizeof num - 1] = '\0';
    assert_int_equal(rjson_parse(num, strlen(num), NULL, &d, &err),
                     RJSON_E_NUMBER);
}

/* Every prefix of a valid document is an error (never a crash), and the
 * whole is fine. */
static void test_json_truncation(void **state)
{
    (void)state;
    const char *s = "{\"k\": [1, 2.5, \"\\u00e9\\ud83d\\ude00\xc3\xa9\", true,"
                    " null, {\"x\": false}], \"e\": -1e-3}";
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        char *cut = malloc(i + 1); /* exact size: asan sees overreads */
        assert_non_null(cut);
        memcpy(cut, s, i);
        rjson_doc *d = NULL;
        rjson_error err;
        rjson_errc e = rjson_parse(cut, i, NULL, &d, &err);
        if (e == RJSON_OK)
            fail_msg("prefix of %zu octets parsed", i);
        assert_null(d);
        free(cut);
    }
    rjson_doc *d = NULL;
    assert_int_equal(rjson_parse(s, n, NULL, &d, NULL), RJSON_OK);
    rjson_free(d);
}

/* Random octets from a fixed seed: any answer but a crash or a leak. */
static void test_json_random(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[],:\"\\u0123456789abcdefe.-+ \ntrnl";
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 20000; round++) {
        char buf[64];
        size_t n = (size_t)(round % 63) + 1;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = (x >> 32) % 5 == 0
                         ? (char)(x & 0xFF)
                         : alphabet[(x >> 8) % (sizeof alphabet - 1)];
        }
        rjson_doc *d = NULL;
        rjson_error err;
        rjson_errc e = rjson_parse(buf, n, NULL, &d, &err);
        assert_true((e == RJSON_OK) == (d != NULL));
        if (e != RJSON_OK)
            assert_true(err.line >= 1 && err.col >= 1 && err.offset <= n);
        rjson_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_json_nul),
        cmocka_unit_test(test_json_deep),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_truncation),
        cmocka_unit_test(test_json_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
