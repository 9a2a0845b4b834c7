/* SPDX-License-Identifier: MIT */
/*
 * The error table (ikh/err_table.h) is consistent: unique numbers and
 * names, non-empty messages, name lookup round trips, number classes that
 * agree with name prefixes, and Notify columns that are error types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "ikh/err.h"

/* Class (hundreds digit) each name prefix must have. */
static const struct {
    const char *prefix;
    int cls;
} prefix_class[] = {
    {"ARG_", 1},    {"STATE", 1}, {"NOT_IMPLEMENTED", 1},
    {"WIRE_", 2},   {"PKT_", 2},  {"CRYPTO_", 3},
    {"IKE_", 4},    {"ESP_", 5},  {"ENV_", 6},
    {"IO_", 6},     {"PCAP_", 6}, {"LOG_", 6},
    {"METRIC_", 6}, {"SCN_", 1},  {"KEYS_", 1},
};

static int class_of_name(const char *name)
{
    for (size_t i = 0; i < sizeof prefix_class / sizeof prefix_class[0]; i++) {
        const char *p = prefix_class[i].prefix;
        size_t n = strlen(p);
        bool exact =
            p[n - 1] != '_'; /* "STATE" is a whole name, "ARG_" a prefix */
        if (exact ? strcmp(name, p) == 0 : strncmp(name, p, n) == 0)
            return prefix_class[i].cls;
    }
    return -1;
}

static void test_err_table_has_rows(void **state)
{
    (void)state;
    assert_true(ikh_err_count() > 10);
    assert_int_equal(ikh_err_at(0), IKH_OK);
    assert_string_equal(ikh_err_name(IKH_OK), "OK");
    /* out of range */
    assert_int_equal(ikh_err_at(ikh_err_count()), IKH_OK);
}

static void test_err_unique_numbers_and_names(void **state)
{
    (void)state;
    size_t n = ikh_err_count();
    for (size_t i = 0; i < n; i++) {
        for (size_t k = i + 1; k < n; k++) {
            if (ikh_err_at(i) == ikh_err_at(k))
                fail_msg("number %d used twice", (int)ikh_err_at(i));
            if (strcmp(ikh_err_name(ikh_err_at(i)),
                       ikh_err_name(ikh_err_at(k))) == 0)
                fail_msg("name %s used twice", ikh_err_name(ikh_err_at(i)));
        }
    }
}

static void test_err_names_and_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < ikh_err_count(); i++) {
        ikh_err e = ikh_err_at(i);
        const char *name = ikh_err_name(e);
        const char *msg = ikh_err_str(e);
        assert_non_null(name);
        assert_true(name[0] != '\0');
        for (const char *p = name; *p; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '_'))
                fail_msg("name %s: character '%c' is not [A-Z0-9_]", name, *p);
        assert_string_not_equal(name, "UNKNOWN");
        assert_non_null(msg);
        if (msg[0] == '\0')
            fail_msg("%s has an empty message", name);
        for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                fail_msg(
                    "%s: message has a control character (one line, printable)",
                    name);
    }
}

static void test_err_name_lookup_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < ikh_err_count(); i++) {
        ikh_err e = ikh_err_at(i), back = (ikh_err)-1;
        assert_int_equal(ikh_err_from_name(ikh_err_name(e), &back), 1);
        assert_int_equal(back, e);
    }
    ikh_err untouched = IKH_ERR_STATE;
    assert_int_equal(ikh_err_from_name("NO_SUCH_ERROR", &untouched), 0);
    assert_int_equal(untouched, IKH_ERR_STATE);
    assert_int_equal(ikh_err_from_name("", &untouched), 0);
    assert_int_equal(ikh_err_from_name("wire_truncated", &untouched),
                     0); /* case matters */
}

static void test_err_classes_match_prefixes(void **state)
{
    (void)state;
    for (size_t i = 0; i < ikh_err_count(); i++) {
        ikh_err e = ikh_err_at(i);
        const char *name = ikh_err_name(e);
        if (e == IKH_OK) {
            assert_string_equal(name, "OK");
            continue;
        }
        int num = (int)e;
        if (num < 100 || num > 699)
            fail_msg("%s: number %d outside 100..699", name, num);
        int cls = class_of_name(name);
        if (cls < 0)
            fail_msg(
                "%s: prefix has no class (add it to this test and STYLE.md)",
                name);
        if (num / 100 != cls)
            fail_msg("%s: number %d is not in class %dxx", name, num, cls);
    }
}

static void test_err_notify_column(void **state)
{
    (void)state;
    for (size_t i = 0; i < ikh_err_count(); i++) {
        ikh_err e = ikh_err_at(i);
        unsigned n = ikh_err_notify(e);
        /* a Notify a peer receives for an error is an error type (< 16384) */
        if (n >= 16384)
            fail_msg("%s: notify %u is a status type", ikh_err_name(e), n);
        if (ikh_err_disposition(e) == IKH_DISP_NOTIFY && n == 0)
            fail_msg("%s: disposition NOTIFY without a notify",
                     ikh_err_name(e));
        ikh_disposition d = ikh_err_disposition(e);
        assert_true(d >= IKH_DISP_NONE && d <= IKH_DISP_FATAL);
    }
    assert_int_equal(ikh_err_notify(IKH_OK), 0);
}

static void test_err_unknown_values(void **state)
{
    (void)state;
    ikh_err bogus = (ikh_err)99999;
    assert_string_equal(ikh_err_name(bogus), "UNKNOWN");
    assert_string_equal(ikh_err_str(bogus), "unknown error");
    assert_int_equal(ikh_err_notify(bogus), 0);
    assert_int_equal(ikh_err_disposition(bogus), IKH_DISP_NONE);
}

static void test_err_obs_codes_present(void **state)
{
    (void)state;
    /* the obs module relies on these */
    assert_int_equal(IKH_ERR_LOG_TRUNCATED, 620);
    assert_int_equal(IKH_ERR_METRIC_UNKNOWN, 621);
    assert_int_equal(IKH_ERR_WIRE_NOBUF, 202);
    assert_int_equal(IKH_ERR_STATE, 105);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_table_has_rows),
        cmocka_unit_test(test_err_unique_numbers_and_names),
        cmocka_unit_test(test_err_names_and_messages),
        cmocka_unit_test(test_err_name_lookup_round_trip),
        cmocka_unit_test(test_err_classes_match_prefixes),
        cmocka_unit_test(test_err_notify_column),
        cmocka_unit_test(test_err_unknown_values),
        cmocka_unit_test(test_err_obs_codes_present),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
