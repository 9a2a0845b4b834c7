/* SPDX-License-Identifier: MIT */
/*
 * KAT for ENCR_CHACHA20_POLY1305 (nettle_chacha.c).
 *
 * Sources:
 *  - RFC 8439 §2.8.2 (ex-RFC 7539): AEAD example, key 80..9f, nonce
 *    07000000|4041424344454647 split as salt 07000000 + IV 4041424344454647
 *    (the RFC 7634 §2 layout);
 *  - RFC 8439 Appendix A.5: AEAD decryption example (salt 00000000);
 *  - RFC 7634 Appendix A: ESP example (salt a0a1a2a3, IV 1011121314151617,
 *    AAD = SPI | sequence number);
 *  - RFC 7634 Appendix B: IKEv2 SK example (AAD = IKE header | SK header).
 */
#include "testlib.h"

#include "crypto/crypto_int.h"
#include "ikh/crypto.h"

static const ikh_encr_ops *const OPS = &ikh_encr_ops_chacha20_poly1305;

static size_t hx(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = ikh_tl_unhex(hex, buf, cap);
    assert_true(n != (size_t)-1);
    return n;
}

/* ct_tag_hex = ciphertext followed by the 16-octet tag. */
static void check(const char *key_hex, const char *iv_hex, const char *aad_hex,
                  const char *plain_hex, const char *ct_tag_hex)
{
    uint8_t key[36], iv[8], aad[64], buf[512], exp[600], ct[512], tag[16];
    assert_int_equal(hx(key_hex, key, sizeof key), 36);
    assert_int_equal(hx(iv_hex, iv, sizeof iv), 8);
    size_t aad_len = hx(aad_hex, aad, sizeof aad);
    size_t len = hx(plain_hex, buf, sizeof buf);
    assert_int_equal(hx(ct_tag_hex, exp, sizeof exp), len + 16);
    ikh_crypto_ctx ctx;
    ikh_span a = ikh_span_of(aad, aad_len);
    assert_ikh_ok(OPS->init(&ctx, key));
    assert_ikh_ok(OPS->encrypt(&ctx, iv, a, buf, len, tag));
    assert_memory_equal(buf, exp, len);
    assert_memory_equal(tag, exp + len, 16);
    memcpy(ct, buf, len);
    assert_ikh_ok(OPS->decrypt(&ctx, iv, a, buf, len, tag));
    assert_bytes_hex(plain_hex, ikh_span_of(buf, len));
    /* Tag mismatch: CRYPTO_ICV and the ciphertext handed back unchanged. */
    memcpy(buf, ct, len);
    tag[0] ^= 0x40;
    assert_ikh_err(OPS->decrypt(&ctx, iv, a, buf, len, tag),
                   IKH_ERR_CRYPTO_ICV);
    assert_memory_equal(buf, ct, len);
    tag[0] ^= 0x40;
    aad[aad_len - 1] ^= 0x01;
    assert_ikh_err(OPS->decrypt(&ctx, iv, a, buf, len, tag),
                   IKH_ERR_CRYPTO_ICV);
    assert_memory_equal(buf, ct, len);
    OPS->fini(&ctx);
}

static void test_chacha_rfc8439_2_8_2(void **state)
{
    (void)state;
    check("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
          "07000000",
          "4041424344454647", "50515253c0c1c2c3c4c5c6c7",
          "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
          "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
          "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
          "637265656e20776f756c642062652069742e",
          "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
          "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
          "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
          "3ff4def08e4b7a9de576d26586cec64b6116"
          "1ae10b594f09e26a7e902ecbd0600691");
}

static void test_chacha_rfc8439_a5(void **state)
{
    (void)state;
    check("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"
          "00000000",
          "0102030405060708", "f33388860000000000004e91",
          "496e7465726e65742d4472616674732061726520647261667420646f63756d65"
          "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
          "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
          "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
          "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
          "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
          "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
          "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
          "726573732e2fe2809d",
          "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
          "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
          "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
          "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
          "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
          "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
          "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
          "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
          "a6ad5cb4022b02709b"
          "eead9d67890cbb22392336fea1851f38");
}

static void test_chacha_rfc7634_esp(void **state)
{
    (void)state;
    check("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
          "a0a1a2a3",
          "1011121314151617", "0102030400000005",
          "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
          "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
          "2425262728292a2b2c2d2e2f303132333435363701020204",
          "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
          "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
          "cbec163fac469b502773f6fb94e664da9165b82829f641e0"
          "76aaa8266b7fb0f7b11b369907e1ad43");
}

static void test_chacha_rfc7634_ikev2(void **state)
{
    (void)state;
    check("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
          "a0a1a2a3",
          "1011121314151617",
          "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e202500000000090000004529000029",
          "0000000c000040010000000a00",
          "610394701f8d017f7c129248896b"
          "71bfe25236efd7cdc67066906315b2");
}

/* RFC 7634 §2 / §3 sizes: 32+4 octets of keying material, 8-octet IV,
 * 16-octet ICV, no block alignment beyond ESP's own 4 octets. */
static void test_chacha_sizes(void **state)
{
    (void)state;
    assert_int_equal(OPS->key_len, 36);
    assert_int_equal(OPS->salt_len, 4);
    assert_int_equal(OPS->iv_len, 8);
    assert_int_equal(OPS->icv_len, 16);
    assert_int_equal(OPS->block_len, 1);
    assert_true(OPS->aead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chacha_rfc8439_2_8_2),
        cmocka_unit_test(test_chacha_rfc8439_a5),
        cmocka_unit_test(test_chacha_rfc7634_esp),
        cmocka_unit_test(test_chacha_rfc7634_ikev2),
        cmocka_unit_test(test_chacha_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
