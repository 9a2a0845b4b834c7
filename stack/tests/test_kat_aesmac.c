/* SPDX-License-Identifier: MIT */
/*
 * KAT for the AES-based MACs (nettle_mac.c): AES-XCBC-MAC-96 (INTEG 5),
 * AES-XCBC-PRF-128 (PRF 4) and AES-CMAC-PRF-128 (PRF 8).
 *
 * Sources:
 *  - RFC 3566 §4.6, Test Cases #1-#5 (key 000102..0f; 0, 3, 16, 20 and
 *    32-octet messages); the 96-bit values are the INTEG ICVs, the full
 *    128-bit values are the AES-XCBC-PRF-128 outputs with a 16-octet key;
 *  - RFC 4434 §5 (Test Vectors): AES-XCBC-PRF-128 with 20-octet message and
 *    10-, 16- and 18-octet keys (zero padding; XCBC(0^128, key) reduction);
 *  - RFC 4493 §4, Examples 1-4: AES-CMAC with the 16-octet key 2b7e1516..;
 *  - RFC 4615 §4 (Test Vectors): AES-CMAC-PRF-128 with 18-, 16- and 10-octet
 *    keys on the 20-octet message 000102..13.
 */
#include "testlib.h"

#include "crypto/crypto_int.h"
#include "ikh/crypto.h"

static size_t hx(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = ikh_tl_unhex(hex, buf, cap);
    assert_true(n != (size_t)-1);
    return n;
}

static const char K0F[] = "000102030405060708090a0b0c0d0e0f";

/* Message 00 01 02 .. n-1. */
static void seq(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)i;
}

static void check_prf(const ikh_prf_ops *ops, const char *key_hex,
                      const uint8_t *msg, size_t msg_len, const char *out_hex)
{
    uint8_t key[64], out[16];
    size_t key_len = hx(key_hex, key, sizeof key);
    ikh_span part = ikh_span_of(msg, msg_len);
    assert_ikh_ok(ops->prf(ikh_span_of(key, key_len), &part, 1, out));
    assert_bytes_hex(out_hex, ikh_span_of(out, 16));
    /* Split at every point, plus empty pieces: same result (streaming). */
    for (size_t cut = 0; cut <= msg_len; cut++) {
        ikh_span parts[4] = {
            ikh_span_of(NULL, 0), ikh_span_of(msg, cut), ikh_span_of(NULL, 0),
            ikh_span_of(msg_len ? msg + cut : NULL, msg_len - cut)};
        memset(out, 0, sizeof out);
        assert_ikh_ok(ops->prf(ikh_span_of(key, key_len), parts, 4, out));
        assert_bytes_hex(out_hex, ikh_span_of(out, 16));
    }
}

static void check_xcbc96(size_t msg_len, const char *icv_hex)
{
    uint8_t key[16], msg[64], icv[13];
    hx(K0F, key, sizeof key);
    seq(msg, msg_len);
    memset(icv, 0xee, sizeof icv);
    ikh_span part = ikh_span_of(msg, msg_len);
    assert_ikh_ok(
        ikh_integ_ops_aes_xcbc_96.mac(key, &part, msg_len ? 1 : 0, icv));
    assert_bytes_hex(icv_hex, ikh_span_of(icv, 12));
    assert_int_equal(icv[12], 0xee);
}

static void test_xcbc_mac96_rfc3566(void **state)
{
    (void)state;
    check_xcbc96(0, "75f0251d528ac01c4573dfd5");
    check_xcbc96(3, "5b376580ae2f19afe7219cee");
    check_xcbc96(16, "d2a246fa349b68a79998a439");
    check_xcbc96(20, "47f51b4564966215b8985c63");
    check_xcbc96(32, "f54f0ec8d2b9f3d36807734b");
    assert_int_equal(ikh_integ_ops_aes_xcbc_96.key_len, 16);
    assert_int_equal(ikh_integ_ops_aes_xcbc_96.icv_len, 12);
}

static void test_xcbc_prf_rfc3566_full(void **state)
{
    (void)state;
    uint8_t msg[32];
    seq(msg, sizeof msg);
    const ikh_prf_ops *ops = &ikh_prf_ops_aes128_xcbc;
    check_prf(ops, K0F, msg, 0, "75f0251d528ac01c4573dfd584d79f29");
    check_prf(ops, K0F, msg, 3, "5b376580ae2f19afe7219ceef172756f");
    check_prf(ops, K0F, msg, 16, "d2a246fa349b68a79998a4394ff7a263");
    check_prf(ops, K0F, msg, 32, "f54f0ec8d2b9f3d36807734bd5283fd4");
}

/* RFC 4434 §5: key shorter, equal, longer than 128 bits. */
static void test_xcbc_prf_rfc4434_key_lengths(void **state)
{
    (void)state;
    uint8_t msg[20];
    seq(msg, sizeof msg);
    const ikh_prf_ops *ops = &ikh_prf_ops_aes128_xcbc;
    check_prf(ops, "00010203040506070809", msg, 20,
              "0fa087af7d866e7653434e602fdde835");
    check_prf(ops, K0F, msg, 20, "47f51b4564966215b8985c63055ed308");
    check_prf(ops, "000102030405060708090a0b0c0d0e0fedcb", msg, 20,
              "8cd3c93ae598a9803006ffb67c40e9e4");
    assert_int_equal(ops->out_len, 16);
    assert_int_equal(ops->key_len, 16);
}

/* RFC 4493 §4 Examples 1-4 (AES-CMAC with a 128-bit key). */
static void test_cmac_rfc4493(void **state)
{
    (void)state;
    uint8_t msg[64];
    hx("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
       "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
       msg, sizeof msg);
    const char *k = "2b7e151628aed2a6abf7158809cf4f3c";
    const ikh_prf_ops *ops = &ikh_prf_ops_aes128_cmac;
    check_prf(ops, k, msg, 0, "bb1d6929e95937287fa37d129b756746");
    check_prf(ops, k, msg, 16, "070a16b46b4d4144f79bdd9dd04a287c");
    check_prf(ops, k, msg, 40, "dfa66747de9ae63030ca32611497c827");
    check_prf(ops, k, msg, 64, "51f0bebf7e3b9d92fc49741779363cfe");
}

/* RFC 4615 §4: AES-CMAC-PRF-128 with 18-, 16- and 10-octet keys. Unlike
 * RFC 4434, the 10-octet key is reduced with AES-CMAC(0^128, key), not
 * zero-padded: the zero-padding rule would give 81a33ea4.. here. */
static void test_cmac_prf_rfc4615_key_lengths(void **state)
{
    (void)state;
    uint8_t msg[20];
    seq(msg, sizeof msg);
    const ikh_prf_ops *ops = &ikh_prf_ops_aes128_cmac;
    check_prf(ops, "000102030405060708090a0b0c0d0e0fedcb", msg, 20,
              "84a348a4a45d235babfffc0d2b4da09a");
    check_prf(ops, K0F, msg, 20, "980ae87b5f4c9c5214f5b6a8455e4c2d");
    check_prf(ops, "00010203040506070809", msg, 20,
              "290d9e112edb09ee141fcf64c0b72f3d");
    assert_int_equal(ops->out_len, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xcbc_mac96_rfc3566),
        cmocka_unit_test(test_xcbc_prf_rfc3566_full),
        cmocka_unit_test(test_xcbc_prf_rfc4434_key_lengths),
        cmocka_unit_test(test_cmac_rfc4493),
        cmocka_unit_test(test_cmac_prf_rfc4615_key_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
