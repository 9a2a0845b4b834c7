/* SPDX-License-Identifier: MIT */
/*
 * KAT for the AES encryption transforms (nettle_aes.c).
 *
 * Sources (values copied from the documents' test sections):
 *  - AES-CBC: RFC 3602 §4, Cases #1-#3 (AES-128, 16/32/64 octets), and
 *    NIST SP 800-38A F.2.3 / F.2.5 block #1 for AES-192 / AES-256;
 *  - AES-CTR: RFC 3686 §6, Test Vectors #1-#9 (128/192/256, 16/32/36
 *    octets); our keying material is AES key | 4-octet nonce (RFC 3686 §5.1);
 *  - AES-CTR for IKEv2 (RFC 5930 §2-§3: the IKE SA uses AES-CTR exactly as
 *    RFC 3686 does for ESP: SK_ei/SK_er are the AES key followed by the
 *    4-octet nonce taken from the end of the keying material, the Encrypted
 *    payload carries an 8-octet IV, the 32-bit block counter starts at 1,
 *    and no block padding is needed): RFC 3686 §6 Test Vectors #2, #6 and
 *    #8, run through the registry descriptor (ENCR_AES_CTR, ike = true);
 *  - AES-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)",
 *    Appendix B, Test Cases 3, 4 (AES-128), 9 (AES-192), 15, 16 (AES-256),
 *    whose 96-bit IV cafebabe|facedbaddecaf888 is split the RFC 4106 §4 way:
 *    salt cafebabe at the end of the keying material, 8-octet IV
 *    facedbaddecaf888 (the layout draft-mcgrew-gcm-test-01 uses for ESP).
 *    The 8- and 12-octet ICVs are the leftmost octets of the 16-octet tag
 *    (RFC 4106 §6).
 */
#include "testlib.h"

#include "crypto/crypto_int.h"
#include "ikh/crypto.h"
#include "ikh/iana.h"

#define BUF 512

static size_t hx(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = ikh_tl_unhex(hex, buf, cap);
    assert_true(n != (size_t)-1);
    return n;
}

/* Encrypt plain, compare with cipher, decrypt back. */
static void check_cipher(const ikh_encr_ops *ops, const char *key_hex,
                         const char *iv_hex, const char *plain_hex,
                         const char *cipher_hex)
{
    uint8_t key[64], iv[16], buf[BUF];
    assert_int_equal(hx(key_hex, key, sizeof key), ops->key_len);
    assert_int_equal(hx(iv_hex, iv, sizeof iv), ops->iv_len);
    size_t len = hx(plain_hex, buf, sizeof buf);
    ikh_crypto_ctx ctx;
    assert_ikh_ok(ops->init(&ctx, key));
    assert_ikh_ok(ops->encrypt(&ctx, iv, ikh_span_of(NULL, 0), buf, len, NULL));
    assert_bytes_hex(cipher_hex, ikh_span_of(buf, len));
    assert_ikh_ok(ops->decrypt(&ctx, iv, ikh_span_of(NULL, 0), buf, len, NULL));
    assert_bytes_hex(plain_hex, ikh_span_of(buf, len));
    ops->fini(&ctx);
}

/* RFC 3602 §4 Case #1: "Single block msg". */
static void test_aes_cbc_rfc3602_case1(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_cbc128, "06a9214036b8a15b512e03d534120006",
                 "3dafba429d9eb430b422da802c9fac41",
                 "53696e676c6520626c6f636b206d7367",
                 "e353779c1079aeb82708942dbe77181a");
}

/* RFC 3602 §4 Case #2. */
static void test_aes_cbc_rfc3602_case2(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_cbc128, "c286696d887c9aa0611bbb3e2025a45a",
                 "562e17996d093d28ddb3ba695a2e6f58",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "d296cd94c2cccf8a3a863028b5e1dc0a"
                 "7586602d253cfff91b8266bea6d61ab1");
}

/* RFC 3602 §4 Case #3. */
static void test_aes_cbc_rfc3602_case3(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_cbc128, "56e47a38c5598974bc46903dba290349",
                 "8ce82eefbea0da3c44699ed7db51b7d9",
                 "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                 "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                 "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                 "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
                 "c30e32ffedc0774e6aff6af0869f71aa"
                 "0f3af07a9a31a9c684db207eb0ef8e4e"
                 "35907aa632c3ffdf868bb7b29d3d46ad"
                 "83ce9f9a102ee99d49a53e87f4c3da55");
}

/* AES-192/256-CBC: NIST SP 800-38A Appendix F.2.3 / F.2.5
 * (CBC-AES192.Encrypt / CBC-AES256.Encrypt, block #1); re-checked with
 * `openssl enc -aes-{192,256}-cbc -nopad` when written. */
static void test_aes_cbc_sp800_38a_192_256(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_cbc192,
                 "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
                 "000102030405060708090a0b0c0d0e0f",
                 "6bc1bee22e409f96e93d7e117393172a",
                 "4f021db243bc633d7178183a9fa071e8");
    check_cipher(&ikh_encr_ops_aes_cbc256,
                 "603deb1015ca71be2b73aef0857d7781"
                 "1f352c073b6108d72d9810a30914dff4",
                 "000102030405060708090a0b0c0d0e0f",
                 "6bc1bee22e409f96e93d7e117393172a",
                 "f58c4c04d6e5f1ba779eabfb5f7bfbd6");
}

/* CBC needs whole blocks: ARG_INVALID, buffer untouched. */
static void test_aes_cbc_misaligned(void **state)
{
    (void)state;
    const ikh_encr_ops *ops = &ikh_encr_ops_aes_cbc128;
    uint8_t key[16] = {0}, iv[16] = {0}, buf[17] = {0};
    ikh_crypto_ctx ctx;
    assert_ikh_ok(ops->init(&ctx, key));
    assert_ikh_err(ops->encrypt(&ctx, iv, ikh_span_of(NULL, 0), buf, 17, NULL),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(ops->decrypt(&ctx, iv, ikh_span_of(NULL, 0), buf, 15, NULL),
                   IKH_ERR_ARG_INVALID);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
    ops->fini(&ctx);
}

/* RFC 3686 §6 Test Vectors #1-#3 (AES-128). */
static void test_aes_ctr_rfc3686_128(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_ctr128,
                 "ae6852f8121067cc4bf7a5765577f39e"
                 "00000030",
                 "0000000000000000", "53696e676c6520626c6f636b206d7367",
                 "e4095d4fb7a7b3792d6175a3261311b8");
    check_cipher(&ikh_encr_ops_aes_ctr128,
                 "7e24067817fae0d743d6ce1f32539163"
                 "006cb6db",
                 "c0543b59da48d90b",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "5104a106168a72d9790d41ee8edad388"
                 "eb2e1efc46da57c8fce630df9141be28");
    check_cipher(&ikh_encr_ops_aes_ctr128,
                 "7691be035e5020a8ac6e618529f9a0dc"
                 "00e0017b",
                 "27777f3f4a1786f0",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f20212223",
                 "c1cf48a89f2ffdd9cf4652e9efdb72d7"
                 "4540a42bde6d7836d59a5ceaaef3105325b2072f");
}

/* RFC 3686 §6 Test Vectors #4-#6 (AES-192). */
static void test_aes_ctr_rfc3686_192(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_ctr192,
                 "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb78515"
                 "00000048",
                 "36733c147d6d93cb", "53696e676c6520626c6f636b206d7367",
                 "4b55384fe259c9c84e7935a003cbe928");
    check_cipher(&ikh_encr_ops_aes_ctr192,
                 "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a"
                 "0096b03b",
                 "020c6eadc2cb500d",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "453243fc609b23327edfaafa7131cd9f"
                 "8490701c5ad4a79cfc1fe0ff42f4fb00");
    check_cipher(&ikh_encr_ops_aes_ctr192,
                 "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe"
                 "0007bdfd",
                 "5cbd60278dcc0912",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f20212223",
                 "96893fc55e5c722f540b7dd1ddf7e758"
                 "d288bc95c69165884536c811662f2188abee0935");
}

/* RFC 3686 §6 Test Vectors #7-#9 (AES-256). */
static void test_aes_ctr_rfc3686_256(void **state)
{
    (void)state;
    check_cipher(&ikh_encr_ops_aes_ctr256,
                 "776beff2851db06f4c8a0542c8696f6c"
                 "6a81af1eec96b4d37fc1d689e6c1c104"
                 "00000060",
                 "db5672c97aa8f0b2", "53696e676c6520626c6f636b206d7367",
                 "145ad01dbf824ec7560863dc71e3e0c0");
    check_cipher(&ikh_encr_ops_aes_ctr256,
                 "f6d66d6bd52d59bb0796365879eff886"
                 "c66dd51a5b6a99744b50590c87a23884"
                 "00faac24",
                 "c1585ef15a43d875",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "f05e231b3894612c49ee000b804eb2a9"
                 "b8306b508f839d6a5530831d9344af1c");
    check_cipher(&ikh_encr_ops_aes_ctr256,
                 "ff7a617ce69148e4f1726e2f43581de2"
                 "aa62d9f805532edff1eed687fb54153d"
                 "001cc5b7",
                 "51a51d70a1c11148",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f20212223",
                 "eb6c52821d0bbbf7ce7594462aca4faa"
                 "b407df866569fd07f48cc0b583d6071f1ec0e6b8");
}

/* AEAD: encrypt, compare ciphertext and ICV, decrypt; then a flipped ICV
 * bit, ciphertext bit or AAD bit gives CRYPTO_ICV with buf unchanged. */
static void check_aead(const ikh_encr_ops *ops, const char *key_hex,
                       const char *iv_hex, const char *aad_hex,
                       const char *plain_hex, const char *cipher_hex,
                       const char *icv_hex)
{
    uint8_t key[64], iv[16], aad[64], buf[BUF], ct[BUF], tag[16], want[16];
    assert_int_equal(hx(key_hex, key, sizeof key), ops->key_len);
    assert_int_equal(hx(iv_hex, iv, sizeof iv), ops->iv_len);
    size_t aad_len = hx(aad_hex, aad, sizeof aad);
    size_t len = hx(plain_hex, buf, sizeof buf);
    assert_int_equal(hx(icv_hex, want, sizeof want), ops->icv_len);
    ikh_span a = ikh_span_of(aad_len ? aad : NULL, aad_len);
    ikh_crypto_ctx ctx;
    assert_ikh_ok(ops->init(&ctx, key));
    assert_ikh_ok(ops->encrypt(&ctx, iv, a, buf, len, tag));
    assert_bytes_hex(cipher_hex, ikh_span_of(buf, len));
    assert_bytes_hex(icv_hex, ikh_span_of(tag, ops->icv_len));
    memcpy(ct, buf, len);
    assert_ikh_ok(ops->decrypt(&ctx, iv, a, buf, len, tag));
    assert_bytes_hex(plain_hex, ikh_span_of(buf, len));

    memcpy(buf, ct, len);
    tag[ops->icv_len - 1] ^= 0x01;
    assert_ikh_err(ops->decrypt(&ctx, iv, a, buf, len, tag),
                   IKH_ERR_CRYPTO_ICV);
    assert_memory_equal(buf, ct, len);
    tag[ops->icv_len - 1] ^= 0x01;
    buf[0] ^= 0x80;
    assert_ikh_err(ops->decrypt(&ctx, iv, a, buf, len, tag),
                   IKH_ERR_CRYPTO_ICV);
    buf[0] ^= 0x80;
    assert_memory_equal(buf, ct, len);
    if (aad_len > 0) {
        aad[0] ^= 0x01;
        assert_ikh_err(ops->decrypt(&ctx, iv, a, buf, len, tag),
                       IKH_ERR_CRYPTO_ICV);
        assert_memory_equal(buf, ct, len);
    }
    ops->fini(&ctx);
}

#define GCM_P64                                                                \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"         \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_P60                                                                \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"         \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD20 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_K128 "feffe9928665731c6d6a8f9467308308"
#define GCM_K192 "feffe9928665731c6d6a8f9467308308feffe9928665731c"
#define GCM_K256                                                               \
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define GCM_SALT "cafebabe"
#define GCM_IV "facedbaddecaf888"
#define GCM_C3                                                                 \
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"         \
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"

/* McGrew-Viega Test Case 3 (AES-128, no AAD) with 8/12/16-octet ICVs. */
static void test_aes_gcm_tc3_icv_8_12_16(void **state)
{
    (void)state;
    check_aead(&ikh_encr_ops_aes_gcm8_128, GCM_K128 GCM_SALT, GCM_IV, "",
               GCM_P64, GCM_C3, "4d5c2af327cd64a6");
    check_aead(&ikh_encr_ops_aes_gcm12_128, GCM_K128 GCM_SALT, GCM_IV, "",
               GCM_P64, GCM_C3, "4d5c2af327cd64a62cf35abd");
    check_aead(&ikh_encr_ops_aes_gcm16_128, GCM_K128 GCM_SALT, GCM_IV, "",
               GCM_P64, GCM_C3, "4d5c2af327cd64a62cf35abd2ba6fab4");
}

/* McGrew-Viega Test Case 4 (AES-128, 20-octet AAD, 60-octet plaintext). */
static void test_aes_gcm_tc4_aad(void **state)
{
    (void)state;
    const char *c4 =
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
        "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
    check_aead(&ikh_encr_ops_aes_gcm16_128, GCM_K128 GCM_SALT, GCM_IV,
               GCM_AAD20, GCM_P60, c4, "5bc94fbc3221a5db94fae95ae7121a47");
    check_aead(&ikh_encr_ops_aes_gcm8_128, GCM_K128 GCM_SALT, GCM_IV, GCM_AAD20,
               GCM_P60, c4, "5bc94fbc3221a5db");
}

/* McGrew-Viega Test Case 9 (AES-192, no AAD). */
static void test_aes_gcm_tc9_192(void **state)
{
    (void)state;
    const char *c9 =
        "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
        "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256";
    check_aead(&ikh_encr_ops_aes_gcm16_192, GCM_K192 GCM_SALT, GCM_IV, "",
               GCM_P64, c9, "9924a7c8587336bfb118024db8674a14");
    check_aead(&ikh_encr_ops_aes_gcm12_192, GCM_K192 GCM_SALT, GCM_IV, "",
               GCM_P64, c9, "9924a7c8587336bfb118024d");
    check_aead(&ikh_encr_ops_aes_gcm8_192, GCM_K192 GCM_SALT, GCM_IV, "",
               GCM_P64, c9, "9924a7c8587336bf");
}

/* McGrew-Viega Test Cases 15 (no AAD) and 16 (AAD), AES-256. */
static void test_aes_gcm_tc15_tc16_256(void **state)
{
    (void)state;
    const char *c15 =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
    const char *c16 =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
    check_aead(&ikh_encr_ops_aes_gcm16_256, GCM_K256 GCM_SALT, GCM_IV, "",
               GCM_P64, c15, "b094dac5d93471bdec1a502270e3cc6c");
    check_aead(&ikh_encr_ops_aes_gcm12_256, GCM_K256 GCM_SALT, GCM_IV, "",
               GCM_P64, c15, "b094dac5d93471bdec1a5022");
    check_aead(&ikh_encr_ops_aes_gcm8_256, GCM_K256 GCM_SALT, GCM_IV, "",
               GCM_P64, c15, "b094dac5d93471bd");
    check_aead(&ikh_encr_ops_aes_gcm16_256, GCM_K256 GCM_SALT, GCM_IV,
               GCM_AAD20, GCM_P60, c16, "76fc6ece0f4e1768cddf8853bb2d551b");
}

/* RFC 5930 §2-§3: ENCR_AES_CTR (ID 13) protects IKE SA messages with the
 * RFC 3686 layout. The registry must offer it for IKE (ike = true) with
 * keying material = key | 4-octet nonce (RFC 5930 §2, RFC 3686 §5.1), an
 * 8-octet IV in the Encrypted payload and block_len 1 (no padding to a
 * block; the IKE Pad Length octet stays, RFC 5930 §3). The IKE SK path
 * calls the descriptor's ikh_encr_ops, so run the RFC 3686 §6 vectors
 * through it: #2 (AES-128, 32 octets), #6 (AES-192, 36 octets: the last
 * block is partial) and #8 (AES-256, 32 octets). The expected ciphertext
 * only comes out if the nonce is read from the end of the keying material
 * and the counter block is nonce | IV | 00000001. */
static void test_aes_ctr_rfc5930_ike_sk(void **state)
{
    (void)state;
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    const ikh_xform_desc *d[3];
    const uint16_t bits[3] = {128, 192, 256};
    for (size_t i = 0; i < 3; i++) {
        d[i] = ikh_crypto_find(list, IKH_XF_ENCR, IKH_ENCR_AES_CTR, bits[i]);
        assert_non_null(d[i]);
        assert_true(d[i]->ike);
        assert_non_null(d[i]->encr);
        assert_int_equal(d[i]->encr->key_len, bits[i] / 8 + 4);
        assert_int_equal(d[i]->encr->salt_len, 4);
        assert_int_equal(d[i]->encr->iv_len, 8);
        assert_int_equal(d[i]->encr->block_len, 1);
        assert_int_equal(d[i]->encr->icv_len, 0);
        assert_false(d[i]->encr->aead);
    }
    check_cipher(d[0]->encr,
                 "7e24067817fae0d743d6ce1f32539163"
                 "006cb6db",
                 "c0543b59da48d90b",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "5104a106168a72d9790d41ee8edad388"
                 "eb2e1efc46da57c8fce630df9141be28");
    check_cipher(d[1]->encr,
                 "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe"
                 "0007bdfd",
                 "5cbd60278dcc0912",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f20212223",
                 "96893fc55e5c722f540b7dd1ddf7e758"
                 "d288bc95c69165884536c811662f2188abee0935");
    check_cipher(d[2]->encr,
                 "f6d66d6bd52d59bb0796365879eff886"
                 "c66dd51a5b6a99744b50590c87a23884"
                 "00faac24",
                 "c1585ef15a43d875",
                 "000102030405060708090a0b0c0d0e0f"
                 "101112131415161718191a1b1c1d1e1f",
                 "f05e231b3894612c49ee000b804eb2a9"
                 "b8306b508f839d6a5530831d9344af1c");
}

/* Missing IV or AEAD tag buffers are caller errors, not crashes. */
static void test_aes_null_args(void **state)
{
    (void)state;
    const ikh_encr_ops *g = &ikh_encr_ops_aes_gcm16_128;
    uint8_t key[20] = {0}, iv[8] = {0}, buf[16] = {0}, tag[16] = {0};
    ikh_crypto_ctx ctx;
    ikh_span none = ikh_span_of(NULL, 0);
    assert_ikh_ok(g->init(&ctx, key));
    assert_ikh_err(g->encrypt(&ctx, iv, none, buf, 16, NULL),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(g->decrypt(&ctx, NULL, none, buf, 16, tag),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(g->encrypt(&ctx, iv, ikh_span_of(NULL, 4), buf, 16, tag),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(g->init(&ctx, NULL), IKH_ERR_ARG_INVALID);
    g->fini(&ctx);
    const ikh_encr_ops *c = &ikh_encr_ops_aes_ctr128;
    assert_ikh_ok(c->init(&ctx, key));
    assert_ikh_err(c->encrypt(&ctx, NULL, none, buf, 16, NULL),
                   IKH_ERR_ARG_INVALID);
    c->fini(&ctx);
}

/* Operation sizes as RFC 3602 / 3686 / 4106 / 5282 define them. */
static void test_aes_sizes(void **state)
{
    (void)state;
    assert_int_equal(ikh_encr_ops_aes_cbc192.key_len, 24);
    assert_int_equal(ikh_encr_ops_aes_cbc192.iv_len, 16);
    assert_int_equal(ikh_encr_ops_aes_cbc192.block_len, 16);
    assert_int_equal(ikh_encr_ops_aes_ctr256.key_len, 36);
    assert_int_equal(ikh_encr_ops_aes_ctr256.salt_len, 4);
    assert_int_equal(ikh_encr_ops_aes_ctr256.iv_len, 8);
    assert_int_equal(ikh_encr_ops_aes_gcm12_192.key_len, 28);
    assert_int_equal(ikh_encr_ops_aes_gcm12_192.icv_len, 12);
    assert_true(ikh_encr_ops_aes_gcm8_128.aead);
    assert_false(ikh_encr_ops_aes_cbc128.aead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aes_cbc_rfc3602_case1),
        cmocka_unit_test(test_aes_cbc_rfc3602_case2),
        cmocka_unit_test(test_aes_cbc_rfc3602_case3),
        cmocka_unit_test(test_aes_cbc_sp800_38a_192_256),
        cmocka_unit_test(test_aes_cbc_misaligned),
        cmocka_unit_test(test_aes_ctr_rfc3686_128),
        cmocka_unit_test(test_aes_ctr_rfc3686_192),
        cmocka_unit_test(test_aes_ctr_rfc3686_256),
        cmocka_unit_test(test_aes_ctr_rfc5930_ike_sk),
        cmocka_unit_test(test_aes_gcm_tc3_icv_8_12_16),
        cmocka_unit_test(test_aes_gcm_tc4_aad),
        cmocka_unit_test(test_aes_gcm_tc9_192),
        cmocka_unit_test(test_aes_gcm_tc15_tc16_256),
        cmocka_unit_test(test_aes_null_args),
        cmocka_unit_test(test_aes_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
