/* SPDX-License-Identifier: MIT */
/*
 * KAT for the HMAC_DRBG (SHA-256) behind the default rand hook, and the
 * env helpers that wrap the hooks.
 *
 * Sources:
 *  - NIST CAVP DRBG test vectors (drbgvectors_no_reseed.zip, HMAC_DRBG.rsp),
 *    [SHA-256] [PredictionResistance = False] [EntropyInputLen = 256]
 *    [NonceLen = 128] [PersonalizationStringLen = 0]
 *    [AdditionalInputLen = 0] [ReturnedBitsLen = 1024], COUNT = 0:
 *    instantiate, generate 1024 bits twice, the second is ReturnedBits.
 *  - Pinned output of ikh_drbg_init() for seeds 0, 1 and 0xdeadbeef
 *    (entropy = seed as 8 octets big-endian, empty nonce, personalization
 *    "ikeharness drbg v1"), cross-checked when written against an
 *    independent Python implementation of SP 800-90A §10.1.2 over the
 *    standard library's hmac/hashlib.
 */
#include "testlib.h"

#include "ikh/drbg.h"
#include "ikh/env.h"
#include "ikh/metrics.h"

static void test_drbg_nist_cavp_count0(void **state)
{
    (void)state;
    uint8_t entropy[32], nonce[16], out[128];
    assert_int_equal(ikh_tl_unhex("ca851911349384bffe89de1cbdc46e68"
                                  "31e44d34a4fb935ee285dd14b71a7488",
                                  entropy, sizeof entropy),
                     32);
    assert_int_equal(
        ikh_tl_unhex("659ba96c601dc69fc902940805ec0ca8", nonce, sizeof nonce),
        16);
    ikh_drbg d;
    ikh_drbg_instantiate(&d, ikh_span_of(entropy, 32), ikh_span_of(nonce, 16),
                         ikh_span_of(NULL, 0));
    ikh_drbg_generate(&d, out, sizeof out);
    ikh_drbg_generate(&d, out, sizeof out);
    assert_bytes_hex(
        "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89"
        "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1"
        "07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668"
        "961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
        ikh_span_of(out, sizeof out));
    assert_int_equal(d.reseed_counter, 3);
    ikh_drbg_fini(&d);
}

static void check_seed(uint64_t seed, const char *hex)
{
    uint8_t out[48];
    ikh_drbg d;
    ikh_drbg_init(&d, seed);
    ikh_drbg_generate(&d, out, sizeof out);
    assert_bytes_hex(hex, ikh_span_of(out, sizeof out));
    ikh_drbg_fini(&d);
}

static void test_drbg_pinned_seeds(void **state)
{
    (void)state;
    check_seed(0, "b867ada05b8863bb9f4f18d5fe925456d5c5a65b36815e43"
                  "ad915e7553aeea7a7cc030ce456684660b5179793f1a683f");
    check_seed(1, "9472269a2a629396d6cb5e21eb773d1250e5c9fa636f2296"
                  "613441ed6c9f2209d86755d40cfab438210a7d1c54d74f12");
    check_seed(0xdeadbeef, "b3df465e5f575f913d1ea4bc64b51e3013fb0e8c568fed7a"
                           "16042acb6b0f56c3807a811c90fd4f8808eb5fa2da831698");
}

/* A long request is a sequence of IKH_DRBG_MAX_REQUEST-octet Generates. */
static void test_drbg_long_request_chunks(void **state)
{
    (void)state;
    static uint8_t a[IKH_DRBG_MAX_REQUEST + 904], b[sizeof a];
    ikh_drbg d1, d2;
    ikh_drbg_init(&d1, 7);
    ikh_drbg_init(&d2, 7);
    ikh_drbg_generate(&d1, a, sizeof a);
    ikh_drbg_generate(&d2, b, IKH_DRBG_MAX_REQUEST);
    ikh_drbg_generate(&d2, b + IKH_DRBG_MAX_REQUEST, 904);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(d1.reseed_counter, 3);
}

static void test_drbg_uniform_in_range(void **state)
{
    (void)state;
    ikh_drbg d;
    ikh_drbg_init(&d, 42);
    unsigned seen[7] = {0};
    for (int i = 0; i < 700; i++) {
        uint64_t x = ikh_drbg_uniform(&d, 7);
        assert_true(x < 7);
        seen[x]++;
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 50);
    assert_int_equal(ikh_drbg_uniform(&d, 0), 0);
    assert_int_equal(ikh_drbg_uniform(&d, 1), 0);
}

static void test_env_rand_default_drbg(void **state)
{
    (void)state;
    ikh_drbg d, ref;
    ikh_drbg_init(&d, 1);
    ikh_drbg_init(&ref, 1);
    ikh_env env = {0};
    env.rand = ikh_drbg_rand;
    env.rand_user = &d;
    uint8_t got[20], want[20];
    assert_ikh_ok(ikh_env_rand(&env, got, sizeof got));
    ikh_drbg_generate(&ref, want, sizeof want);
    assert_memory_equal(got, want, sizeof got);
    env.rand = NULL;
    assert_ikh_err(ikh_env_rand(&env, got, 1), IKH_ERR_ARG_INVALID);
}

static void test_env_alloc_failure_counted(void **state)
{
    (void)state;
    ikh_metrics m;
    ikh_metrics_init(&m);
    ikh_mem_fail f;
    ikh_mem_fail_init(&f, 2, false);
    ikh_env env = {0};
    env.mem = &f.mem;
    env.metrics = &m;
    void *p1 = NULL, *p2 = (void *)&f, *p3 = NULL;
    assert_ikh_ok(ikh_env_alloc(&env, 10, &p1));
    assert_ikh_err(ikh_env_alloc(&env, 10, &p2), IKH_ERR_ENV_NOMEM);
    assert_null(p2);
    assert_ikh_ok(ikh_env_alloc(&env, 0, &p3));
    assert_int_equal(f.live, 2);
    ikh_env_free(&env, p1);
    ikh_env_free(&env, p3);
    ikh_env_free(&env, NULL);
    assert_int_equal(f.live, 0);
    assert_int_equal(f.failures, 1);
    uint64_t v = 0;
    assert_ikh_ok(ikh_metric_get(&m, IKH_M_ENV_ALLOC_FAILURES_TOTAL, 0, &v));
    assert_int_equal(v, 1);

    ikh_mem_fail_init(&f, 1, true);
    assert_ikh_err(ikh_env_alloc(&env, 1, &p1), IKH_ERR_ENV_NOMEM);
    assert_ikh_err(ikh_env_alloc(&env, 1, &p1), IKH_ERR_ENV_NOMEM);
    assert_int_equal(f.failures, 2);
    /* No env: malloc. */
    assert_ikh_ok(ikh_env_alloc(NULL, 3, &p1));
    ikh_env_free(NULL, p1);
}

static int send_ret;
static int fake_send(void *user, const ikh_dgram *dg)
{
    (void)user;
    (void)dg;
    return send_ret;
}

static void test_env_send_failure_counted(void **state)
{
    (void)state;
    ikh_metrics m;
    ikh_metrics_init(&m);
    ikh_env env = {0};
    env.metrics = &m;
    ikh_dgram dg = {0};
    assert_ikh_err(ikh_env_send(&env, &dg), IKH_ERR_ENV_SEND);
    env.send = fake_send;
    send_ret = 0;
    assert_ikh_ok(ikh_env_send(&env, &dg));
    send_ret = -1;
    assert_ikh_err(ikh_env_send(&env, &dg), IKH_ERR_ENV_SEND);
    uint64_t v = 0;
    assert_ikh_ok(ikh_metric_get(&m, IKH_M_ENV_SEND_FAILURES_TOTAL, 0, &v));
    assert_int_equal(v, 2);
}

static void test_env_marker_rule(void **state)
{
    (void)state;
    assert_false(ikh_dgram_marker_rule(500, 500, 4500));
    assert_true(ikh_dgram_marker_rule(4500, 4500, 4500));
    assert_true(ikh_dgram_marker_rule(500, 4500, 4500));
    assert_false(ikh_dgram_marker_rule(500, 40000, 4500));
    assert_true(ikh_dgram_marker_rule(40000, 40001, 4500));
    assert_true(ikh_dgram_marker_rule(500, 7000, 7000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drbg_nist_cavp_count0),
        cmocka_unit_test(test_drbg_pinned_seeds),
        cmocka_unit_test(test_drbg_long_request_chunks),
        cmocka_unit_test(test_drbg_uniform_in_range),
        cmocka_unit_test(test_env_rand_default_drbg),
        cmocka_unit_test(test_env_alloc_failure_counted),
        cmocka_unit_test(test_env_send_failure_counted),
        cmocka_unit_test(test_env_marker_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
