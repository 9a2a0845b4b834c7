/* SPDX-License-Identifier: MIT */
/*
 * The udp driver on loopback only (127.0.0.1 and ::1, ephemeral ports):
 * IKE with the non-ESP marker, ESP without it, NAT keepalives skipped,
 * receive deadlines, the clock, seeded and OS randomness, the env hooks.
 */
#include "testlib.h"

#include "ikh/drbg.h"
#include "ikh/udp.h"

typedef struct taps {
    unsigned sent, received;
    bool last_marker;
} taps;

static void tap_fn(void *user, ikh_udp_tap_kind k, const ikh_dgram *dg,
                   ikh_time_ms t)
{
    taps *tp = user;
    (void)t;
    if (k == IKH_UDP_TAP_SENT)
        tp->sent++;
    else
        tp->received++;
    tp->last_marker = dg->non_esp_marker;
}

static ikh_addr loopback(unsigned family)
{
    ikh_addr a = {0};
    a.family = (uint8_t)family;
    if (family == 4) {
        a = ikh_addr_v4(127, 0, 0, 1);
    } else {
        a.a[15] = 1;
    }
    return a;
}

static ikh_udp *open_one(unsigned family, taps *tp)
{
    ikh_udp_config cfg = {0};
    cfg.local = loopback(family);
    cfg.tap = tap_fn;
    cfg.tap_user = tp;
    ikh_udp *u = NULL;
    assert_ikh_ok(ikh_udp_open(&cfg, &u));
    uint16_t ike = 0, natt = 0;
    ikh_udp_ports(u, &ike, &natt);
    assert_true(ike != 0 && natt != 0 && ike != natt);
    return u;
}

static void recv_one(ikh_udp *u, ikh_dgram *out, uint8_t *buf)
{
    ikh_time_ms now;
    assert_ikh_ok(ikh_udp_now(&now));
    bool got = false;
    assert_ikh_ok(
        ikh_udp_recv(u, now + 2000, buf, IKH_UDP_DGRAM_MAX, out, &got));
    assert_true(got);
}

static void run_family(unsigned family)
{
    taps ta = {0}, tb = {0};
    ikh_udp *a = open_one(family, &ta), *b = open_one(family, &tb);
    uint16_t a_ike, a_natt, b_ike, b_natt;
    ikh_udp_ports(a, &a_ike, &a_natt);
    ikh_udp_ports(b, &b_ike, &b_natt);
    static uint8_t buf[IKH_UDP_DGRAM_MAX];
    uint8_t msg[28] = {0x11, 0x22};
    ikh_dgram dg = {0}, in;

    /* IKE between two non-500 ports: marker on the wire, stripped. */
    dg.dst = loopback(family);
    dg.sport = a_ike;
    dg.dport = b_ike;
    dg.data = ikh_span_of(msg, sizeof msg);
    assert_ikh_ok(ikh_udp_send(a, &dg));
    assert_true(ta.last_marker);
    recv_one(b, &in, buf);
    assert_false(in.esp);
    assert_true(in.non_esp_marker);
    assert_int_equal(in.sport, a_ike);
    assert_int_equal(in.dport, b_ike);
    assert_int_equal(in.src.family, family);
    assert_true(ikh_span_eq(in.data, dg.data));

    /* ESP on the NAT-T port: no marker, classified as ESP. */
    uint8_t esp[16] = {0xC0, 0x01, 0x02, 0x03, 0, 0, 0, 1};
    dg.sport = a_natt;
    dg.dport = b_natt;
    dg.esp = true;
    dg.data = ikh_span_of(esp, sizeof esp);
    assert_ikh_ok(ikh_udp_send(a, &dg));
    assert_false(ta.last_marker);
    recv_one(b, &in, buf);
    assert_true(in.esp);
    assert_false(in.non_esp_marker);
    assert_int_equal(in.dport, b_natt);
    assert_true(ikh_span_eq(in.data, dg.data));

    /* A NAT keepalive is skipped; then IKE on the NAT-T port via env. */
    uint8_t ka = 0xFF;
    dg.data = ikh_span_of(&ka, 1);
    assert_ikh_ok(ikh_udp_send(a, &dg));
    ikh_env env;
    ikh_udp_env(a, &env);
    dg.esp = false;
    dg.sport = 0; /* the IKE port */
    dg.data = ikh_span_of(msg, sizeof msg);
    assert_ikh_ok(ikh_env_send(&env, &dg));
    recv_one(b, &in, buf);
    assert_false(in.esp);
    assert_true(in.non_esp_marker);
    assert_int_equal(in.sport, a_ike);
    ikh_udp_stats st;
    ikh_udp_stats_get(b, &st);
    assert_int_equal(st.keepalives, 1);
    assert_int_equal(st.received, 3);
    assert_int_equal(tb.received, 3);
    assert_int_equal(ta.sent, 4);

    /* Nothing more: the deadline passes. */
    ikh_time_ms t0, t1;
    assert_ikh_ok(ikh_udp_now(&t0));
    bool got = true;
    assert_ikh_ok(ikh_udp_recv(b, t0 + 60, buf, sizeof buf, &in, &got));
    assert_false(got);
    assert_ikh_ok(ikh_udp_now(&t1));
    assert_true(t1 >= t0 + 50);

    /* Misuse. */
    dg.dst = loopback(family == 4 ? 6 : 4);
    assert_ikh_err(ikh_udp_send(a, &dg), IKH_ERR_ARG_INVALID);
    dg.dst = loopback(family);
    dg.sport = 1;
    assert_ikh_err(ikh_udp_send(a, &dg), IKH_ERR_ARG_INVALID);
    dg.sport = a_natt;
    dg.dport = 0;
    dg.esp = true;
    assert_ikh_err(ikh_udp_send(a, &dg), IKH_ERR_ARG_INVALID);
    ikh_udp_close(a);
    ikh_udp_close(b);
}

static void test_udp_ipv4_loopback(void **state)
{
    (void)state;
    run_family(4);
}

static void test_udp_ipv6_loopback(void **state)
{
    (void)state;
    run_family(6);
}

static void test_udp_rand(void **state)
{
    (void)state;
    ikh_udp_config cfg = {0};
    cfg.local = loopback(4);
    cfg.seeded = true;
    cfg.seed = 0xdeadbeef;
    ikh_udp *u = NULL;
    assert_ikh_ok(ikh_udp_open(&cfg, &u));
    uint8_t got[48], want[48];
    ikh_env env;
    ikh_udp_env(u, &env);
    assert_ikh_ok(ikh_env_rand(&env, got, sizeof got));
    ikh_drbg d;
    ikh_drbg_init(&d, 0xdeadbeef);
    ikh_drbg_generate(&d, want, sizeof want);
    assert_memory_equal(got, want, sizeof got);
    ikh_udp_close(u);

    cfg.seeded = false;
    assert_ikh_ok(ikh_udp_open(&cfg, &u));
    uint8_t r1[32] = {0}, r2[32] = {0};
    ikh_udp_rand(u, r1, sizeof r1);
    ikh_udp_rand(u, r2, sizeof r2);
    assert_memory_not_equal(r1, r2, sizeof r1);
    assert_int_equal(ikh_udp_rand_failures(u), 0);
    ikh_udp_close(u);
}

static void test_udp_open_errors(void **state)
{
    (void)state;
    ikh_udp_config cfg = {0};
    ikh_udp *u = NULL;
    assert_ikh_err(ikh_udp_open(&cfg, &u), IKH_ERR_ARG_INVALID);
    assert_null(u);
    cfg.local = loopback(4);
    ikh_udp *a = NULL;
    assert_ikh_ok(ikh_udp_open(&cfg, &a));
    uint16_t busy;
    ikh_udp_ports(a, &busy, NULL);
    cfg.ike_port = busy; /* already bound */
    assert_ikh_err(ikh_udp_open(&cfg, &u), IKH_ERR_ENV_SOCKET);
    assert_null(u);
    ikh_udp_close(a);
    ikh_udp_close(NULL);
    assert_ikh_err(ikh_udp_now(NULL), IKH_ERR_ARG_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_ipv4_loopback),
        cmocka_unit_test(test_udp_ipv6_loopback),
        cmocka_unit_test(test_udp_rand),
        cmocka_unit_test(test_udp_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
