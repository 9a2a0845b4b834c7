/* SPDX-License-Identifier: MIT */
/*
 * KAT for the HMAC PRFs and truncated-HMAC INTEG transforms (nettle_mac.c).
 *
 * Sources (each value also re-computed with Python's hmac/hashlib when
 * written):
 *  - PRF_HMAC_SHA1: RFC 2202 §3, test cases 1, 2, 3 and 6 (80-octet key);
 *  - PRF_HMAC_SHA2_256/384/512: RFC 4231 §4.2, §4.3 and §4.7 (test cases 1,
 *    2 and 6, 131-octet key), which RFC 4868 §2.7.1 reuses as its PRF tests;
 *  - AUTH_HMAC_SHA1_96: RFC 2202 test cases 1 and 3 truncated to 96 bits
 *    (RFC 2404 §3);
 *  - AUTH_HMAC_SHA2_256_128/384_192/512_256: RFC 4868 §2.7.2.1-§2.7.2.3,
 *    Test Cases AUTH256-1..3, AUTH384-1..3, AUTH512-1..3 (keys of the full
 *    hash length).
 */
#include "testlib.h"

#include "crypto/crypto_int.h"
#include "ikh/crypto.h"

static void fill(uint8_t *p, uint8_t v, size_t n)
{
    memset(p, v, n);
}

static void check_prf(const ikh_prf_ops *ops, const uint8_t *key,
                      size_t key_len, const uint8_t *data, size_t data_len,
                      const char *out_hex)
{
    uint8_t out[IKH_PRF_MAX];
    ikh_span part = ikh_span_of(data, data_len);
    assert_ikh_ok(ops->prf(ikh_span_of(key, key_len), &part, 1, out));
    assert_bytes_hex(out_hex, ikh_span_of(out, ops->out_len));
    /* The same data in three pieces (one empty) gives the same output. */
    if (data_len >= 2) {
        ikh_span parts[3] = {ikh_span_of(data, 1), ikh_span_of(NULL, 0),
                             ikh_span_of(data + 1, data_len - 1)};
        memset(out, 0, sizeof out);
        assert_ikh_ok(ops->prf(ikh_span_of(key, key_len), parts, 3, out));
        assert_bytes_hex(out_hex, ikh_span_of(out, ops->out_len));
    }
}

static void check_integ(const ikh_integ_ops *ops, const uint8_t *key,
                        const uint8_t *data, size_t data_len,
                        const char *icv_hex)
{
    uint8_t icv[IKH_ICV_MAX + 1];
    memset(icv, 0xee, sizeof icv);
    ikh_span part = ikh_span_of(data, data_len);
    assert_ikh_ok(ops->mac(key, &part, 1, icv));
    assert_bytes_hex(icv_hex, ikh_span_of(icv, ops->icv_len));
    assert_int_equal(icv[ops->icv_len], 0xee); /* nothing past the ICV */
}

static const uint8_t HI[] = "Hi There";
static const uint8_t JEFE_DATA[] = "what do ya want for nothing?";
static const uint8_t BIGKEY_DATA[] =
    "Test Using Larger Than Block-Size Key - Hash Key First";

static void test_hmac_sha1_prf_rfc2202(void **state)
{
    (void)state;
    const ikh_prf_ops *ops = &ikh_prf_ops_hmac_sha1;
    uint8_t key[80], data[50];
    fill(key, 0x0b, 20);
    check_prf(ops, key, 20, HI, 8, "b617318655057264e28bc0b6fb378c8ef146be00");
    check_prf(ops, (const uint8_t *)"Jefe", 4, JEFE_DATA, 28,
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    fill(key, 0xaa, 20);
    fill(data, 0xdd, 50);
    check_prf(ops, key, 20, data, 50,
              "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    fill(key, 0xaa, 80);
    check_prf(ops, key, 80, BIGKEY_DATA, 54,
              "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static void test_hmac_sha2_prf_rfc4231(void **state)
{
    (void)state;
    uint8_t key[131];
    fill(key, 0x0b, 20);
    check_prf(
        &ikh_prf_ops_hmac_sha256, key, 20, HI, 8,
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_prf(&ikh_prf_ops_hmac_sha384, key, 20, HI, 8,
              "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
              "faea9ea9076ede7f4af152e8b2fa9cb6");
    check_prf(
        &ikh_prf_ops_hmac_sha512, key, 20, HI, 8,
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    const uint8_t *jefe = (const uint8_t *)"Jefe";
    check_prf(
        &ikh_prf_ops_hmac_sha256, jefe, 4, JEFE_DATA, 28,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    check_prf(&ikh_prf_ops_hmac_sha384, jefe, 4, JEFE_DATA, 28,
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
              "8e2240ca5e69e2c78b3239ecfab21649");
    check_prf(
        &ikh_prf_ops_hmac_sha512, jefe, 4, JEFE_DATA, 28,
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    fill(key, 0xaa, 131);
    check_prf(
        &ikh_prf_ops_hmac_sha256, key, 131, BIGKEY_DATA, 54,
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    check_prf(&ikh_prf_ops_hmac_sha384, key, 131, BIGKEY_DATA, 54,
              "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
              "0c2ef6ab4030fe8296248df163f44952");
    check_prf(
        &ikh_prf_ops_hmac_sha512, key, 131, BIGKEY_DATA, 54,
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
        "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

static void test_hmac_sha1_96_integ(void **state)
{
    (void)state;
    uint8_t key[20], data[50];
    fill(key, 0x0b, 20);
    check_integ(&ikh_integ_ops_hmac_sha1_96, key, HI, 8,
                "b617318655057264e28bc0b6");
    fill(key, 0xaa, 20);
    fill(data, 0xdd, 50);
    check_integ(&ikh_integ_ops_hmac_sha1_96, key, data, 50,
                "125d7342b9ac11cd91a39af4");
}

static void test_hmac_sha2_integ_rfc4868(void **state)
{
    (void)state;
    uint8_t key[64], data[50];
    fill(data, 0xdd, 50);
    /* AUTHxxx-1: key 0x0b.., "Hi There" */
    fill(key, 0x0b, 64);
    check_integ(&ikh_integ_ops_hmac_sha256_128, key, HI, 8,
                "198a607eb44bfbc69903a0f1cf2bbdc5");
    check_integ(&ikh_integ_ops_hmac_sha384_192, key, HI, 8,
                "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973");
    check_integ(
        &ikh_integ_ops_hmac_sha512_256, key, HI, 8,
        "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8");
    /* AUTHxxx-2: key "JefeJefe...", "what do ya want for nothing?" */
    for (size_t i = 0; i < 64; i++)
        key[i] = (uint8_t) "Jefe"[i % 4];
    check_integ(&ikh_integ_ops_hmac_sha256_128, key, JEFE_DATA, 28,
                "167f928588c5cc2eef8e3093caa0e87c");
    check_integ(&ikh_integ_ops_hmac_sha384_192, key, JEFE_DATA, 28,
                "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184d");
    check_integ(
        &ikh_integ_ops_hmac_sha512_256, key, JEFE_DATA, 28,
        "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454");
    /* AUTHxxx-3: key 0xaa.., 50 x 0xdd */
    fill(key, 0xaa, 64);
    check_integ(&ikh_integ_ops_hmac_sha256_128, key, data, 50,
                "cdcb1220d1ecccea91e53aba3092f962");
    check_integ(&ikh_integ_ops_hmac_sha384_192, key, data, 50,
                "809f439be00274321d4a538652164b53554a508184a0c316");
    check_integ(
        &ikh_integ_ops_hmac_sha512_256, key, data, 50,
        "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8");
}

/* Key and output sizes (RFC 4868 §2.1.1, §2.6; RFC 2404 §3; RFC 7296 §2.14). */
static void test_hmac_sizes(void **state)
{
    (void)state;
    assert_int_equal(ikh_prf_ops_hmac_sha1.out_len, 20);
    assert_int_equal(ikh_prf_ops_hmac_sha384.key_len, 48);
    assert_int_equal(ikh_prf_ops_hmac_sha512.out_len, 64);
    assert_int_equal(ikh_integ_ops_hmac_sha1_96.key_len, 20);
    assert_int_equal(ikh_integ_ops_hmac_sha1_96.icv_len, 12);
    assert_int_equal(ikh_integ_ops_hmac_sha256_128.key_len, 32);
    assert_int_equal(ikh_integ_ops_hmac_sha256_128.icv_len, 16);
    assert_int_equal(ikh_integ_ops_hmac_sha384_192.key_len, 48);
    assert_int_equal(ikh_integ_ops_hmac_sha384_192.icv_len, 24);
    assert_int_equal(ikh_integ_ops_hmac_sha512_256.key_len, 64);
    assert_int_equal(ikh_integ_ops_hmac_sha512_256.icv_len, 32);
}

static void test_hmac_bad_args(void **state)
{
    (void)state;
    uint8_t out[64];
    ikh_span bad = ikh_span_of(NULL, 3);
    assert_ikh_err(
        ikh_prf_ops_hmac_sha256.prf(ikh_span_of(out, 4), &bad, 1, out),
        IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_integ_ops_hmac_sha256_128.mac(NULL, NULL, 0, out),
                   IKH_ERR_ARG_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_sha1_prf_rfc2202),
        cmocka_unit_test(test_hmac_sha2_prf_rfc4231),
        cmocka_unit_test(test_hmac_sha1_96_integ),
        cmocka_unit_test(test_hmac_sha2_integ_rfc4868),
        cmocka_unit_test(test_hmac_sizes),
        cmocka_unit_test(test_hmac_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
