/* SPDX-License-Identifier: MIT */
/*
 * KAT and negative tests for the MODP groups 14-18 (ke_modp.c, RFC 3526).
 *
 * Sources: RFC 3526 publishes no Diffie-Hellman vectors, so
 *  - vectors/modp_kat.h holds regression vectors SELF-GENERATED WITH
 *    PYTHON'S pow, NOT A PUBLISHED VECTOR (vectors/gen_modp_kat.py): the
 *    primes rebuilt from RFC 3526's pi formula, fixed private exponents fed
 *    through the rand hook, g^x mod p and the shared value;
 *  - a consistency test (two parties agree) with pseudo-random exponents;
 *  - RFC 6989 §2.1 range checks: y = 0, 1, p-1, p and larger, and wrong
 *    lengths, give CRYPTO_KE_INVALID; y = 2 and p-2 are accepted.
 */
#include "testlib.h"

#include "crypto/crypto_int.h"

#include "vectors/modp_kat.h"

/** The ops table for a prime size. */
static const ikh_ke_ops *ops_for(unsigned bits)
{
    switch (bits) {
    case 2048:
        return &ikh_ke_ops_modp2048;
    case 3072:
        return &ikh_ke_ops_modp3072;
    case 4096:
        return &ikh_ke_ops_modp4096;
    case 6144:
        return &ikh_ke_ops_modp6144;
    default:
        return &ikh_ke_ops_modp8192;
    }
}

/** A deterministic pseudo-random hook (xorshift64*), for consistency runs. */
static void xorshift_fn(void *user, uint8_t *out, size_t len)
{
    uint64_t *s = user;
    for (size_t i = 0; i < len; i++) {
        *s ^= *s >> 12;
        *s ^= *s << 25;
        *s ^= *s >> 27;
        out[i] = (uint8_t)((*s * 0x2545F4914F6CDD1DULL) >> 56);
    }
}

static uint8_t buf_a[1024], buf_b[1024], buf_p[1024], peer[1026];

/** keygen with the exponent given in hex; checks the public value. */
static void keygen_fixed(const ikh_ke_ops *ops, ikh_crypto_ctx *ctx,
                         const char *x_hex, const char *pub_hex, uint8_t *pub)
{
    ikh_tl_fixed_rand f = {.off = 0};
    f.len = ikh_tl_unhex(x_hex, f.buf, sizeof f.buf);
    assert_true(f.len > 0 && f.len != (size_t)-1);
    ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
    assert_ikh_ok(ops->keygen(ctx, &r, pub));
    assert_int_equal(f.off, f.len); /* exactly one draw of exp_len octets */
    assert_bytes_hex(pub_hex, ikh_span_of(pub, ops->pub_len));
}

static void test_modp_regression_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof modp_kat / sizeof modp_kat[0]; i++) {
        const modp_kat_vec *v = &modp_kat[i];
        const ikh_ke_ops *ops = ops_for(v->bits);
        assert_int_equal(ops->pub_len, v->bits / 8);
        assert_int_equal(ops->shared_len, v->bits / 8);
        ikh_crypto_ctx ca, cb;
        ikh_secret za, zb;
        keygen_fixed(ops, &ca, v->xa, v->ga, buf_a);
        keygen_fixed(ops, &cb, v->xb, v->gb, buf_b);
        assert_ikh_ok(ops->derive(&ca, ikh_span_of(buf_b, ops->pub_len), &za));
        assert_ikh_ok(ops->derive(&cb, ikh_span_of(buf_a, ops->pub_len), &zb));
        assert_bytes_hex(v->z, ikh_span_of(za.b, za.len));
        assert_bytes_hex(v->z, ikh_span_of(zb.b, zb.len));
        ops->fini(&ca);
        ops->fini(&cb);
    }
}

/* The RFC 3526 primes: the stated bit length, top and bottom 64 bits all
 * ones (the structure 2^n - 2^(n-64) - 1 + 2^64 * (...)). The vectors
 * above prove ke_modp.c uses these same primes. */
static void test_modp_prime_structure(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof modp_kat / sizeof modp_kat[0]; i++) {
        size_t len = ikh_tl_unhex(modp_kat[i].p, buf_p, sizeof buf_p);
        assert_int_equal(len, modp_kat[i].bits / 8);
        for (size_t k = 0; k < 8; k++) {
            assert_int_equal(buf_p[k], 0xff);
            assert_int_equal(buf_p[len - 1 - k], 0xff);
        }
    }
}

static void test_modp_two_parties_agree(void **state)
{
    (void)state;
    uint64_t seed = 0x1234567890abcdefULL;
    ikh_rand r = {xorshift_fn, &seed};
    for (size_t i = 0; i < sizeof modp_kat / sizeof modp_kat[0]; i++) {
        const ikh_ke_ops *ops = ops_for(modp_kat[i].bits);
        ikh_crypto_ctx ca, cb;
        ikh_secret za, zb;
        assert_ikh_ok(ops->keygen(&ca, &r, buf_a));
        assert_ikh_ok(ops->keygen(&cb, &r, buf_b));
        assert_memory_not_equal(buf_a, buf_b, ops->pub_len);
        assert_ikh_ok(ops->derive(&ca, ikh_span_of(buf_b, ops->pub_len), &za));
        assert_ikh_ok(ops->derive(&cb, ikh_span_of(buf_a, ops->pub_len), &zb));
        assert_int_equal(za.len, ops->shared_len);
        assert_memory_equal(za.b, zb.b, za.len);
        ops->fini(&ca);
        ops->fini(&cb);
    }
}

/** derive on peer octets must fail with CRYPTO_KE_INVALID and leave no secret.
 */
static void expect_invalid(const ikh_ke_ops *ops, ikh_crypto_ctx *ctx,
                           const uint8_t *y, size_t len)
{
    ikh_secret z;
    z.len = 77;
    assert_ikh_err(ops->derive(ctx, ikh_span_of(y, len), &z),
                   IKH_ERR_CRYPTO_KE_INVALID);
    assert_int_equal(z.len, 0);
}

/* rfc6989#2.1: 1 < y < p-1, and the length must be the prime length. */
static void test_modp_peer_value_checks(void **state)
{
    (void)state;
    uint64_t seed = 42;
    ikh_rand r = {xorshift_fn, &seed};
    for (size_t i = 0; i < sizeof modp_kat / sizeof modp_kat[0]; i++) {
        const ikh_ke_ops *ops = ops_for(modp_kat[i].bits);
        size_t len = ikh_tl_unhex(modp_kat[i].p, buf_p, sizeof buf_p);
        ikh_crypto_ctx c;
        ikh_secret z;
        assert_ikh_ok(ops->keygen(&c, &r, buf_a));

        memset(peer, 0, len); /* y = 0 */
        expect_invalid(ops, &c, peer, len);
        peer[len - 1] = 1; /* y = 1 */
        expect_invalid(ops, &c, peer, len);
        memcpy(peer, buf_p, len); /* y = p */
        expect_invalid(ops, &c, peer, len);
        peer[len - 1] = 0xfe; /* y = p-1 */
        expect_invalid(ops, &c, peer, len);
        memset(peer, 0xff, len); /* y = 2^n - 1 > p */
        expect_invalid(ops, &c, peer, len);
        /* wrong lengths: empty, one short, one long (leading zero), NULL */
        expect_invalid(ops, &c, buf_a, 0);
        expect_invalid(ops, &c, buf_a + 1, len - 1);
        peer[0] = 0;
        memcpy(peer + 1, buf_a, len);
        expect_invalid(ops, &c, peer, len + 1);
        expect_invalid(ops, &c, NULL, len);

        /* the edges that are allowed: y = 2 and y = p-2 */
        memset(peer, 0, len);
        peer[len - 1] = 2;
        assert_ikh_ok(ops->derive(&c, ikh_span_of(peer, len), &z));
        assert_int_equal(z.len, len);
        memcpy(peer, buf_p, len);
        peer[len - 1] = 0xfd;
        assert_ikh_ok(ops->derive(&c, ikh_span_of(peer, len), &z));
        ops->fini(&c);
        /* after fini the private value is gone */
        assert_ikh_err(ops->derive(&c, ikh_span_of(buf_a, len), &z),
                       IKH_ERR_ARG_INVALID);
    }
}

/* A drawn exponent below 2 is drawn again; a hook that only gives zeros
 * makes keygen fail instead of producing the public value 1. */
static void test_modp_keygen_redraws(void **state)
{
    (void)state;
    const modp_kat_vec *v = &modp_kat[0];
    const ikh_ke_ops *ops = ops_for(v->bits);
    ikh_crypto_ctx c;
    ikh_tl_fixed_rand f = {.off = 0};
    /* first draw: 40 zero octets (x = 0), then x_a */
    memset(f.buf, 0, 40);
    size_t n = ikh_tl_unhex(v->xa, f.buf + 40, sizeof f.buf - 40);
    assert_int_equal(n, 40);
    f.len = 80;
    ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
    assert_ikh_ok(ops->keygen(&c, &r, buf_a));
    assert_bytes_hex(v->ga, ikh_span_of(buf_a, ops->pub_len));
    ops->fini(&c);

    f.len = 0; /* zeros forever */
    f.off = 0;
    assert_ikh_err(ops->keygen(&c, &r, buf_a), IKH_ERR_CRYPTO_FAILED);
    ikh_secret z;
    assert_ikh_err(ops->derive(&c, ikh_span_of(buf_a, ops->pub_len), &z),
                   IKH_ERR_ARG_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modp_regression_vectors),
        cmocka_unit_test(test_modp_prime_structure),
        cmocka_unit_test(test_modp_two_parties_agree),
        cmocka_unit_test(test_modp_peer_value_checks),
        cmocka_unit_test(test_modp_keygen_redraws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
