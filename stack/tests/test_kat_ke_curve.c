/* SPDX-License-Identifier: MIT */
/*
 * KAT and negative tests for Curve25519 and Curve448 key exchange
 * (nettle_curve.c, RFC 8031 groups 31 and 32).
 *
 * Sources:
 *  - RFC 7748 §5.2: the two X25519 and two X448 function vectors (scalar,
 *    input u-coordinate, output), run as keygen (scalar through the rand
 *    hook) then derive (u as the peer's value);
 *  - RFC 7748 §6.1 / §6.2: Alice's and Bob's private keys through the rand
 *    hook must give RFC 7748's public keys and shared secret;
 *  - RFC 8031 §2 all-zero check: low-order u-coordinates (the points of
 *    order 1, 2, 4 and 8 as listed in Wycheproof's X25519 edge cases and
 *    in libsodium's blocklist, and u = 0, 1, p-1 for Curve448) make the
 *    shared secret all zero and must give CRYPTO_KE_INVALID.
 */
#include "testlib.h"

#include "crypto/crypto_int.h"

/** keygen with the private key given in hex; pub receives the public value. */
static void keygen_hex(const ikh_ke_ops *ops, ikh_crypto_ctx *ctx,
                       const char *k_hex, uint8_t *pub)
{
    ikh_tl_fixed_rand f = {.off = 0};
    f.len = ikh_tl_unhex(k_hex, f.buf, sizeof f.buf);
    assert_int_equal(f.len, ops->pub_len);
    ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
    assert_ikh_ok(ops->keygen(ctx, &r, pub));
    assert_int_equal(f.off, f.len);
}

/** One RFC 7748 §5.2 function vector. */
typedef struct fn_vec {
    const ikh_ke_ops *ops;
    const char *k, *u, *out;
} fn_vec;

static const fn_vec fn_vecs[] = {
    /* RFC 7748 §5.2, X25519 first vector */
    {&ikh_ke_ops_x25519,
     "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    /* RFC 7748 §5.2, X25519 second vector */
    {&ikh_ke_ops_x25519,
     "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
    /* RFC 7748 §5.2, X448 first vector */
    {&ikh_ke_ops_x448,
     "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121"
     "700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
     "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9"
     "814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
     "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239f"
     "e14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f"},
    /* RFC 7748 §5.2, X448 second vector */
    {&ikh_ke_ops_x448,
     "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c5"
     "38345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
     "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b"
     "165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
     "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7"
     "ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d"},
};

static void test_curve_rfc7748_functions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fn_vecs / sizeof fn_vecs[0]; i++) {
        const fn_vec *v = &fn_vecs[i];
        uint8_t pub[56], u[56];
        ikh_crypto_ctx c;
        ikh_secret z;
        keygen_hex(v->ops, &c, v->k, pub);
        assert_int_equal(ikh_tl_unhex(v->u, u, sizeof u), v->ops->pub_len);
        assert_ikh_ok(v->ops->derive(&c, ikh_span_of(u, v->ops->pub_len), &z));
        assert_bytes_hex(v->out, ikh_span_of(z.b, z.len));
        v->ops->fini(&c);
    }
}

/** One RFC 7748 §6 Diffie-Hellman example. */
typedef struct dh_vec {
    const ikh_ke_ops *ops;
    const char *a, *ga, *b, *gb, *k;
} dh_vec;

static const dh_vec dh_vecs[] = {
    /* RFC 7748 §6.1 (Curve25519) */
    {&ikh_ke_ops_x25519,
     "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
     "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
     "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
     "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
     "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
    /* RFC 7748 §6.2 (Curve448) */
    {&ikh_ke_ops_x448,
     "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
     "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
     "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
     "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
     "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
     "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
     "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
     "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
     "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
     "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"},
};

static void test_curve_rfc7748_dh(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof dh_vecs / sizeof dh_vecs[0]; i++) {
        const dh_vec *v = &dh_vecs[i];
        const ikh_ke_ops *ops = v->ops;
        uint8_t pa[56], pb[56];
        ikh_crypto_ctx ca, cb;
        ikh_secret za, zb;
        assert_int_equal(ops->shared_len, ops->pub_len);
        keygen_hex(ops, &ca, v->a, pa);
        keygen_hex(ops, &cb, v->b, pb);
        assert_bytes_hex(v->ga, ikh_span_of(pa, ops->pub_len));
        assert_bytes_hex(v->gb, ikh_span_of(pb, ops->pub_len));
        assert_ikh_ok(ops->derive(&ca, ikh_span_of(pb, ops->pub_len), &za));
        assert_ikh_ok(ops->derive(&cb, ikh_span_of(pa, ops->pub_len), &zb));
        assert_bytes_hex(v->k, ikh_span_of(za.b, za.len));
        assert_bytes_hex(v->k, ikh_span_of(zb.b, zb.len));
        ops->fini(&ca);
        ops->fini(&cb);
        assert_ikh_err(ops->derive(&ca, ikh_span_of(pb, ops->pub_len), &za),
                       IKH_ERR_ARG_INVALID);
    }
}

/* Low-order u-coordinates (little-endian, as on the wire). */
static const char *const low25519[] = {
    /* 0 (order 2... the point (0, 0)) */
    "0000000000000000000000000000000000000000000000000000000000000000",
    /* 1 (order 4) */
    "0100000000000000000000000000000000000000000000000000000000000000",
    /* the two points of order 8 */
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    /* p - 1, p, p + 1 (non-canonical: -1, 0, 1) */
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

static const char *const low448[] = {
    /* 0 */
    "0000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000",
    /* 1 */
    "0100000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000",
    /* p - 1 = 2^448 - 2^224 - 2 */
    "feffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "feffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

/** derive must fail with CRYPTO_KE_INVALID and leave no secret. */
static void expect_invalid(const ikh_ke_ops *ops, ikh_crypto_ctx *ctx,
                           const uint8_t *u, size_t len)
{
    ikh_secret z;
    z.len = 77;
    assert_ikh_err(ops->derive(ctx, ikh_span_of(u, len), &z),
                   IKH_ERR_CRYPTO_KE_INVALID);
    assert_int_equal(z.len, 0);
}

static void check_low_order(const ikh_ke_ops *ops, const char *k_hex,
                            const char *const *pts, size_t n)
{
    uint8_t pub[56], u[57];
    ikh_crypto_ctx c;
    keygen_hex(ops, &c, k_hex, pub);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ikh_tl_unhex(pts[i], u, sizeof u), ops->pub_len);
        expect_invalid(ops, &c, u, ops->pub_len);
    }
    /* wrong lengths: empty, one short, one long, NULL */
    expect_invalid(ops, &c, pub, 0);
    expect_invalid(ops, &c, pub, ops->pub_len - 1);
    memcpy(u, pub, ops->pub_len);
    u[ops->pub_len] = 0;
    expect_invalid(ops, &c, u, ops->pub_len + 1);
    expect_invalid(ops, &c, NULL, ops->pub_len);
    ops->fini(&c);
}

static void test_curve_low_order_and_lengths(void **state)
{
    (void)state;
    check_low_order(&ikh_ke_ops_x25519, dh_vecs[0].a, low25519,
                    sizeof low25519 / sizeof low25519[0]);
    check_low_order(&ikh_ke_ops_x448, dh_vecs[1].a, low448,
                    sizeof low448 / sizeof low448[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curve_rfc7748_functions),
        cmocka_unit_test(test_curve_rfc7748_dh),
        cmocka_unit_test(test_curve_low_order_and_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
