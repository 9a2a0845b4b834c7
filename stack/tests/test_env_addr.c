/* SPDX-License-Identifier: MIT */
/*
 * ikh_addr_str(): dotted IPv4 and RFC 5952 IPv6 text (the stack's own
 * formatter: stack/src may not use inet_ntop), checked against cases from
 * RFC 5952 §4 and against the C library for random addresses.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "ikh/env.h"

static ikh_addr v6(const char *s)
{
    ikh_addr a;
    memset(&a, 0, sizeof a);
    a.family = 6;
    assert_int_equal(inet_pton(AF_INET6, s, a.a), 1);
    return a;
}

static void test_addr_str_cases(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "2001:db8::1",          "::",         "::1",
        "2001:db8:0:0:1::1", /* longest run wins */
        "2001:0:0:1::1",        "2001:db8::", "fe80::1:0:0:1",
        "2001:db8:1:1:1:1:1:1", "1::",        "2001:db8:0:1:1:1:1:1",
    };
    static const char *const want[] = {
        "2001:db8::1",   "::",
        "::1",           "2001:db8::1:0:0:1",
        "2001:0:0:1::1", "2001:db8::",
        "fe80::1:0:0:1", "2001:db8:1:1:1:1:1:1",
        "1::",           "2001:db8:0:1:1:1:1:1",
    };
    char buf[48];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ikh_addr a = v6(cases[i]);
        assert_string_equal(ikh_addr_str(&a, buf, sizeof buf), want[i]);
    }
    ikh_addr a4 = ikh_addr_v4(192, 0, 2, 255);
    assert_string_equal(ikh_addr_str(&a4, buf, sizeof buf), "192.0.2.255");
    ikh_addr none;
    memset(&none, 0, sizeof none);
    assert_string_equal(ikh_addr_str(&none, buf, sizeof buf), "");
    /* a short buffer is cut, never overrun */
    char small[6];
    memset(small, 'x', sizeof small);
    ikh_addr_str(&a4, small, sizeof small);
    assert_int_equal(small[5], '\0');
}

/* Same text as inet_ntop for random addresses with zero runs. */
static void test_addr_str_matches_libc(void **state)
{
    (void)state;
    uint32_t x = 12345;
    char ours[48], libc[48];
    for (int n = 0; n < 20000; n++) {
        ikh_addr a;
        memset(&a, 0, sizeof a);
        a.family = 6;
        for (int i = 0; i < 8; i++) {
            x = x * 1103515245u + 12345u;
            /* half the words zero, so runs of every length occur */
            uint16_t w = (x >> 16) & 1 ? 0 : (uint16_t)(x >> 8);
            a.a[2 * i] = (uint8_t)(w >> 8);
            a.a[2 * i + 1] = (uint8_t)w;
        }
        /* glibc prints ::ffff:a.b.c.d and ::a.b.c.d forms; skip those */
        bool mapped = true;
        for (int i = 0; i < 10; i++)
            mapped = mapped && a.a[i] == 0;
        if (mapped)
            continue;
        assert_non_null(inet_ntop(AF_INET6, a.a, libc, sizeof libc));
        assert_string_equal(ikh_addr_str(&a, ours, sizeof ours), libc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_str_cases),
        cmocka_unit_test(test_addr_str_matches_libc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
