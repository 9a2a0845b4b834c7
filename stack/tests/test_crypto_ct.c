/* SPDX-License-Identifier: MIT */
/*
 * Secret hygiene helpers (ct.c): constant-time comparison, wiping, and the
 * fixed-capacity ikh_secret.
 */
#include "testlib.h"

#include "ikh/crypto.h"

static void test_ct_eq(void **state)
{
    (void)state;
    uint8_t a[33], b[33];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = b[i] = (uint8_t)(i * 7);
    assert_true(ikh_ct_eq(a, b, sizeof a));
    assert_true(ikh_ct_eq(a, b, 0));
    for (size_t i = 0; i < sizeof a; i++) {
        b[i] ^= 0x01;
        assert_false(ikh_ct_eq(a, b, sizeof a));
        assert_true(ikh_ct_eq(a, b, i)); /* prefix still equal */
        b[i] ^= 0x01;
    }
}

static void test_ct_wipe(void **state)
{
    (void)state;
    uint8_t a[40];
    memset(a, 0xa5, sizeof a);
    ikh_wipe(a + 4, 32);
    assert_int_equal(a[3], 0xa5);
    for (size_t i = 4; i < 36; i++)
        assert_int_equal(a[i], 0);
    assert_int_equal(a[36], 0xa5);
    ikh_wipe(NULL, 0);
}

static void test_secret_set_fini(void **state)
{
    (void)state;
    static ikh_secret s;
    static uint8_t big[IKH_SECRET_MAX + 1];
    memset(&s, 0x5a, sizeof s); /* fresh memory: len is garbage */
    const uint8_t v[4] = {1, 2, 3, 4};
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, 4)));
    assert_int_equal(s.len, 4);
    assert_memory_equal(s.b, v, 4);
    assert_int_equal(s.b[4], 0); /* the rest wiped */
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(NULL, 0)));
    assert_int_equal(s.len, 0);
    assert_int_equal(s.b[0], 0);
    memset(big, 0x11, sizeof big);
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(big, IKH_SECRET_MAX)));
    assert_int_equal(s.len, IKH_SECRET_MAX);
    assert_ikh_err(ikh_secret_set(&s, ikh_span_of(big, sizeof big)),
                   IKH_ERR_ARG_RANGE);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.b[IKH_SECRET_MAX - 1], 0);
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, 4)));
    ikh_secret_fini(&s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.b[0], 0);
    ikh_secret_fini(NULL);
}

/* The octets of an old value past a new, shorter one are wiped; fini
 * wipes the value's own octets (the writer rule of ikh_secret). */
static void test_secret_shrink(void **state)
{
    (void)state;
    static ikh_secret s; /* zeroed, as SA and task memory is */
    uint8_t v[48];
    memset(v, 0xab, sizeof v);
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, sizeof v)));
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, 4)));
    assert_int_equal(s.len, 4);
    for (size_t i = 4; i < sizeof v; i++)
        assert_int_equal(s.b[i], 0);
    ikh_secret_fini(&s);
    for (size_t i = 0; i < sizeof v; i++)
        assert_int_equal(s.b[i], 0);
    /* a longer value over a shorter one: all of it is there */
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, 2)));
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, sizeof v)));
    assert_memory_equal(s.b, v, sizeof v);
    ikh_secret_fini(&s);
    assert_int_equal(s.b[sizeof v - 1], 0);
    /* a value taken from inside the secret itself (overlapping) */
    for (size_t i = 0; i < sizeof v; i++)
        v[i] = (uint8_t)i;
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(v, sizeof v)));
    assert_ikh_ok(ikh_secret_set(&s, ikh_span_of(s.b + 4, 8)));
    assert_memory_equal(s.b, v + 4, 8);
    for (size_t i = 8; i < sizeof v; i++)
        assert_int_equal(s.b[i], 0);
    ikh_secret_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_eq),
        cmocka_unit_test(test_ct_wipe),
        cmocka_unit_test(test_secret_set_fini),
        cmocka_unit_test(test_secret_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
