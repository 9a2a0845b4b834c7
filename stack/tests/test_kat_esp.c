/* SPDX-License-Identifier: MIT */
/*
 * ESP SA (esp_sa.c): known-answer packets, round trips over every ESP
 * transform pair of the default registry, and negative tests.
 *
 * Sources of the known-answer packets:
 *  - RFC 7634 Appendix A: the ESP example with ChaCha20-Poly1305 (SPI
 *    01020304, sequence number 5, salt a0a1a2a3, IV 1011121314151617, an
 *    84-octet IPv4 ICMP packet in tunnel mode).
 *  - RFC 3602 §4, Cases #5 to #8: ESP packets with AES-CBC-128 (transport
 *    mode #5, #6; tunnel mode #7, #8), hex as printed in the RFC (checked
 *    against the copy in RUB-NDS/IPsec-StateMachineExtractor
 *    ESPMessageTest.java). They have no ICV, and esp.h does not allow a
 *    non-AEAD SA without INTEG: each case is sealed with HMAC-SHA1-96 and
 *    the octets before the ICV are compared with the RFC's packet; for
 *    decapsulation the test appends an HMAC-SHA1-96 ICV it computes itself
 *    with the INTEG operation over the RFC's packet.
 *  - draft-mcgrew-gcm-test-01 §4, the AES-GCM ESP test cases (16-octet
 *    ICV): SPI, sequence number (32 bits, or 64 with ESN and a 12-octet
 *    AAD), key, salt | IV, plaintext and the whole ESP packet. The cases
 *    used are listed in gcm_cases[] by key and SPI in the draft's order;
 *    several use ESN (SPI 00004321 seq 87654321:00000000, SPI 42f67e3f seq
 *    10101010:10101010, SPI 17405e67, SPI 796b6963 seq ffffffff:ffffffff).
 *  - RFC 3686 §6, Test Vectors #1 to #9 (AES-CTR 128/192/256): the
 *    vector's plaintext is sealed as the ESP payload with the vector's key,
 *    nonce and IV (counter block nonce | IV | 1, RFC 3686 §4), so the first
 *    octets of the ESP ciphertext must be the vector's ciphertext (the
 *    trailer follows in the same key stream).
 */
#include <stdio.h>

#include "testlib.h"

#include "ikh/esp.h"
#include "ikh/iana.h"

#define BUF_CAP 2048u
#define OFF IKH_ESP_HEADROOM

/* ---- helpers -------------------------------------------------------------
 */

static size_t hx(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = ikh_tl_unhex(hex, buf, cap);
    assert_true(n != (size_t)-1);
    return n;
}

static const ikh_xform_desc *find(uint8_t type, uint16_t id, uint16_t bits)
{
    const ikh_xform_desc *d =
        ikh_crypto_find(ikh_crypto_default_list(), type, id, bits);
    assert_non_null(d);
    return d;
}

/* Deterministic "random" source for CBC IVs. */
static void counter_rand(void *user, uint8_t *out, size_t len)
{
    uint32_t *c = user;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(*c * 131u + i * 7u + 3u);
    (*c)++;
}

static uint8_t g_key[128];

static void fill_key(void)
{
    for (size_t i = 0; i < sizeof g_key; i++)
        g_key[i] = (uint8_t)(0x11 * i + 5);
}

/* An outbound and an inbound SA with the same keys (keys from g_key). */
static void sa_pair(ikh_esp_sa *out, ikh_esp_sa *in, const ikh_xform_desc *e,
                    const ikh_xform_desc *a, bool esn)
{
    ikh_esp_sa_config c = {0};
    c.spi = 0xc0ffee01u;
    c.encr = e;
    c.integ = a;
    c.encr_key = ikh_span_of(g_key, e->encr->key_len);
    if (a != NULL)
        c.integ_key = ikh_span_of(g_key + 64, a->integ->key_len);
    c.esn = esn;
    c.outbound = true;
    assert_ikh_ok(ikh_esp_sa_init(out, &c));
    c.outbound = false;
    assert_ikh_ok(ikh_esp_sa_init(in, &c));
}

/* An SA keyed from explicit bytes. */
static void sa_keyed(ikh_esp_sa *sa, bool outbound, uint32_t spi,
                     const ikh_xform_desc *e, const uint8_t *ekey,
                     const ikh_xform_desc *a, const uint8_t *akey, bool esn)
{
    ikh_esp_sa_config c = {0};
    c.spi = spi;
    c.outbound = outbound;
    c.encr = e;
    c.integ = a;
    c.encr_key = ikh_span_of(ekey, e->encr->key_len);
    if (a != NULL)
        c.integ_key = ikh_span_of(akey, a->integ->key_len);
    c.esn = esn;
    assert_ikh_ok(ikh_esp_sa_init(sa, &c));
}

/* Let an inbound SA's window infer @p seq from its low 32 bits and accept
 * it as new (KAT packets with large ESN values). */
static void window_before(ikh_esp_sa *in, uint64_t seq)
{
    in->replay.top = seq - 1u;
}

/* Payload and Next Header of an ESP plaintext (payload | padding | Pad
 * Length | Next Header). */
static void split_plain(const uint8_t *pt, size_t n, size_t *payload_len,
                        uint8_t *nh)
{
    assert_true(n >= 2 && (size_t)pt[n - 2] + 2u <= n);
    *payload_len = n - 2u - pt[n - 2];
    *nh = pt[n - 1];
}

/* ---- RFC 7634 Appendix A -------------------------------------------------
 */

static void test_esp_rfc7634_a(void **state)
{
    (void)state;
    static uint8_t key[36], pt[128], pkt[256], buf[BUF_CAP];
    hx("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
       "a0a1a2a3",
       key, sizeof key);
    size_t n = hx("45000054a6f200004001e778c6336405c000020508005b7a3a080000"
                  "553bec100007362708090a0b0c0d0e0f101112131415161718191a1b"
                  "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
                  "01020204",
                  pt, sizeof pt);
    size_t plen = 0;
    uint8_t nh = 0;
    split_plain(pt, n, &plen, &nh);
    assert_int_equal(plen, 84);
    size_t pkt_len =
        hx("0102030400000005 1011121314151617"
           "240394 28b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
           "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
           "cbec163fac469b502773f6fb94e664da9165b82829f641e0"
           "76aaa8266b7fb0f7b11b369907e1ad43",
           pkt, sizeof pkt);
    const ikh_xform_desc *e = find(IKH_XF_ENCR, IKH_ENCR_CHACHA20_POLY1305, 0);
    uint8_t iv[8];
    hx("1011121314151617", iv, sizeof iv);

    ikh_esp_sa out, in;
    sa_keyed(&out, true, 0x01020304u, e, key, NULL, NULL, false);
    sa_keyed(&in, false, 0x01020304u, e, key, NULL, NULL, false);
    memcpy(buf + OFF, pt, plen);
    ikh_span o;
    assert_ikh_ok(
        ikh_esp_sa_seal(&out, 5, iv, buf, sizeof buf, OFF, plen, nh, 0, &o));
    assert_int_equal(o.len, pkt_len);
    assert_memory_equal(o.p, pkt, pkt_len);

    ikh_span payload;
    uint8_t got_nh = 0;
    assert_ikh_ok(ikh_esp_sa_decap(&in, pkt, pkt_len, &payload, &got_nh));
    assert_int_equal(got_nh, IKH_ESP_NH_IPV4);
    assert_int_equal(payload.len, plen);
    assert_memory_equal(payload.p, pt, plen);
    assert_int_equal(in.replay.top, 5);
    ikh_esp_sa_fini(&out);
    ikh_esp_sa_fini(&in);
}

/* ---- RFC 3602 §4 Cases #5-#8 ---------------------------------------------
 */

typedef struct cbc_case {
    const char *name;
    const char *key;
    uint32_t spi;
    uint32_t seq;
    const char *iv;
    const char *payload;
    uint8_t nh;
    const char *packet; /* SPI .. encrypted data, no ICV */
} cbc_case;

static const cbc_case cbc_cases[] = {
    {"RFC 3602 Case #5", "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 1,
     "e96e8c08ab465763fd098d45dd3ff893",
     "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f1011121314151617"
     "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
     1,
     "0000432100000001e96e8c08ab465763fd098d45dd3ff893"
     "f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856"
     "a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874a"
     "a269add047ad2d5913ac19b7cfbad4a6"},
    {"RFC 3602 Case #6", "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 8,
     "69d08df7d203329db093fc4924e5bd80",
     "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777", 1,
     "000043210000000869d08df7d203329db093fc4924e5bd80"
     "f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75"},
    {"RFC 3602 Case #7", "0123456789abcdef0123456789abcdef", 0x8765, 2,
     "f4e765244f6407adf13dc1380f673f37",
     "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d"
     "02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
     "2425262728292a2b2c2d2e2f3031323334353637",
     4,
     "0000876500000002f4e765244f6407adf13dc1380f673f37"
     "773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8"
     "e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5"
     "c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d"},
    {"RFC 3602 Case #8", "0123456789abcdef0123456789abcdef", 0x8765, 5,
     "85d47224b5f3dd5d2101d4ea8dffab22",
     "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083d"
     "a3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffff",
     4,
     "000087650000000585d47224b5f3dd5d2101d4ea8dffab22"
     "15b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb5"
     "0f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3"
     "d2726d9b5ef6affc6d17a0decbb13892"},
};

static void test_esp_rfc3602_cases_5_8(void **state)
{
    (void)state;
    fill_key();
    const ikh_xform_desc *e = find(IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128);
    const ikh_xform_desc *a = find(IKH_XF_INTEG, IKH_INTEG_HMAC_SHA1_96, 0);
    for (size_t k = 0; k < sizeof cbc_cases / sizeof cbc_cases[0]; k++) {
        const cbc_case *c = &cbc_cases[k];
        static uint8_t key[16], iv[16], pl[256], pkt[512], buf[BUF_CAP];
        hx(c->key, key, sizeof key);
        hx(c->iv, iv, sizeof iv);
        size_t plen = hx(c->payload, pl, sizeof pl);
        size_t n = hx(c->packet, pkt, sizeof pkt);
        ikh_esp_sa out, in;
        sa_keyed(&out, true, c->spi, e, key, a, g_key, false);
        sa_keyed(&in, false, c->spi, e, key, a, g_key, false);
        memcpy(buf + OFF, pl, plen);
        ikh_span o;
        assert_ikh_ok(ikh_esp_sa_seal(&out, c->seq, iv, buf, sizeof buf, OFF,
                                      plen, c->nh, 0, &o));
        assert_int_equal(o.len, n + 12);
        if (memcmp(o.p, pkt, n) != 0)
            fail_msg("%s: packet differs", c->name);
        /* The RFC's packet with an ICV of our own over it. */
        ikh_span part = ikh_span_of(pkt, n);
        assert_ikh_ok(a->integ->mac(g_key, &part, 1, pkt + n));
        assert_memory_equal(o.p + n, pkt + n, 12);
        ikh_span payload;
        uint8_t nh = 0;
        assert_ikh_ok(ikh_esp_sa_decap(&in, pkt, n + 12, &payload, &nh));
        assert_int_equal(nh, c->nh);
        assert_int_equal(payload.len, plen);
        assert_memory_equal(payload.p, pl, plen);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

/* ---- draft-mcgrew-gcm-test-01 §4 -----------------------------------------
 */

typedef struct gcm_case {
    const char *key;   /* AES key */
    const char *nonce; /* salt (4) | IV (8) */
    const char *spi;
    const char *seq; /* 4 octets, or 8 with ESN */
    const char *plain;
    const char *packet; /* SPI .. ICV */
} gcm_case;

static const gcm_case gcm_cases[] = {
    {"4c80cdefbb5d10da906ac73c3613a634", "2e443b684956ed7e3b244cfe", "00004321",
     "8765432100000000",
     "45000048699a000080114db7c0a80102c0a801010a9bf15638d3010000010000"
     "00000000045f736970045f756470037369700963796265726369747902646b00"
     "0021000101020201",
     "00004321000000004956ed7e3b244cfe"
     "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34"
     "cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce"
     "61bc17d768fd9732459018148f6cbe722fd04796562dfdb4"},
    {"feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "0000a5f8",
     "0000000a",
     "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
     "00010000000000000373697009637962 65726369747902646b00000100010001",
     "0000a5f80000000afacedbaddecaf888"
     "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c"
     "3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
     "83b70d3aa8bc6ee4c309e9d85a41ad4a"},
    {"abbccddef00112233445566778899aababbccddef00112233445566778899aab",
     "112233440102030405060708", "4a2cbfe3", "00000002",
     "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
     "7002400020bf0000020405b40101040201020201",
     "4a2cbfe3000000020102030405060708"
     "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
     "748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c49"
     "15956c96"},
    {"00000000000000000000000000000000", "000000000000000000000000", "00000000",
     "00000001",
     "4500003c99c500008001cb7a40679318010101010800075c0200440061626364"
     "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
     "00000000000000010000000000000000"
     "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284"
     "456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3"
     "f821d496eeb096e98ad2b69e4799c71d"},
    {"3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3", "42f67e3f",
     "1010101010101010",
     "4500003c99c300008001cb7c40679318010101010800085c0200430061626364"
     "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
     "42f67e3f101010104e280000a2fca1a3"
     "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c357917"
     "65acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a"
     "e0d731cc978ecafaeae88f00e80d6e48"},
    {"3de09874b388e6491988d0c3607eae1f", "57690e434e280000a2fca1a3", "42f67e3f",
     "1010101010101010",
     "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
     "42f67e3f101010104e280000a2fca1a3"
     "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed369f071f"
     "35e034be95f112e4e7d05d35"},
    {"feffe9928665731c6d6a8f9467308308feffe9928665731c",
     "cafebabefacedbaddecaf888", "0000a5f8", "0000000a",
     "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e"
     "501016d075680001",
     "0000a5f80000000afacedbaddecaf888"
     "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0"
     "315b27452144cc7795457b9652037f5318027b5b4cd7a636"},
    {"abbccddef00112233445566778899aab", "decaf888cafedebaceface74", "00000100",
     "0000000000000001",
     "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
     "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
     "9b6266c04722b14923010101",
     "0000010000000001cafedebaceface74"
     "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f"
     "9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c22"
     "6f2127b27db35724e7845d68651f57e65f354f75ff17015769623436"},
    {"abbccddef00112233445566778899aababbccddef00112233445566778899aab",
     "73616c74616e640169766563", "17405e67", "156f3126dd0db99b",
     "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb712602"
     "50101f646d540001",
     "17405e67dd0db99b616e640169766563"
     "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57f"
     "f4d3a31ce673119e451626c2415771e3b7eebca614c89b35"},
    {"7d773d00c144c525ac619d18c84a3f47", "d966426743457e9182443bc6", "335467ae",
     "ffffffff", "01020201",
     "335467aeffffffff43457e9182443bc6437f866bcb3f699fe9b0822bac961c45"
     "04bef270"},
    {"6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961",
     "7475726e333021696765746d", "796b6963", "ffffffffffffffff",
     "45000030da3a00008001df3bc0a80005c0a800010800c6cd0200070061626364"
     "65666768696a6b6c6d6e6f707172737401020201",
     "796b6963ffffffff333021696765746d"
     "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a86"
     "4cd3d78ca4ae68a32b42458fb57dbe821dcc63b9d0937ba2945f669368661a32"
     "9fb4c053"},
};

static uint64_t be_n(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void test_esp_gcm_draft_mcgrew(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof gcm_cases / sizeof gcm_cases[0]; k++) {
        const gcm_case *c = &gcm_cases[k];
        static uint8_t key[36], nonce[12], spi_b[4], seq_b[8], pt[256],
            pkt[512], buf[BUF_CAP];
        size_t klen = hx(c->key, key, sizeof key);
        assert_int_equal(hx(c->nonce, nonce, sizeof nonce), 12);
        memcpy(key + klen, nonce, 4); /* keying material: key | salt */
        hx(c->spi, spi_b, sizeof spi_b);
        size_t seq_len = hx(c->seq, seq_b, sizeof seq_b);
        bool esn = seq_len == 8;
        uint32_t spi = (uint32_t)be_n(spi_b, 4);
        uint64_t seq = be_n(seq_b, seq_len);
        size_t n = hx(c->plain, pt, sizeof pt);
        size_t pkt_len = hx(c->packet, pkt, sizeof pkt);
        size_t plen = 0;
        uint8_t nh = 0;
        split_plain(pt, n, &plen, &nh);
        const ikh_xform_desc *e =
            find(IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, (uint16_t)(klen * 8));

        ikh_esp_sa out, in;
        sa_keyed(&out, true, spi, e, key, NULL, NULL, esn);
        sa_keyed(&in, false, spi, e, key, NULL, NULL, esn);
        memcpy(buf + OFF, pt, plen);
        ikh_span o;
        assert_ikh_ok(ikh_esp_sa_seal(&out, seq, nonce + 4, buf, sizeof buf,
                                      OFF, plen, nh, 0, &o));
        if (o.len != pkt_len || memcmp(o.p, pkt, pkt_len) != 0)
            fail_msg("GCM case %zu (SPI %s): packet differs", k + 1, c->spi);

        window_before(&in, seq);
        ikh_span payload;
        uint8_t got_nh = 0;
        assert_ikh_ok(ikh_esp_sa_decap(&in, pkt, pkt_len, &payload, &got_nh));
        assert_int_equal(got_nh, nh);
        assert_int_equal(payload.len, plen);
        assert_memory_equal(payload.p, pt, plen);
        assert_true(in.replay.top == seq);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

/* ---- RFC 3686 §6 ---------------------------------------------------------
 */

typedef struct ctr_case {
    uint16_t bits;
    const char *key; /* AES key | nonce */
    const char *iv;
    const char *plain;
    const char *cipher;
} ctr_case;

#define SBM "53696e676c6520626c6f636b206d7367" /* "Single block msg" */
#define P32 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define P36 P32 "20212223"

static const ctr_case ctr_cases[] = {
    {128, "ae6852f8121067cc4bf7a5765577f39e00000030", "0000000000000000", SBM,
     "e4095d4fb7a7b3792d6175a3261311b8"},
    {128, "7e24067817fae0d743d6ce1f32539163006cb6db", "c0543b59da48d90b", P32,
     "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28"},
    {128, "7691be035e5020a8ac6e618529f9a0dc00e0017b", "27777f3f4a1786f0", P36,
     "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef31053"
     "25b2072f"},
    {192, "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb7851500000048",
     "36733c147d6d93cb", SBM, "4b55384fe259c9c84e7935a003cbe928"},
    {192, "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a0096b03b",
     "020c6eadc2cb500d", P32,
     "453243fc609b23327edfaafa7131cd9f8490701c5ad4a79cfc1fe0ff42f4fb00"},
    {192, "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe0007bdfd",
     "5cbd60278dcc0912", P36,
     "96893fc55e5c722f540b7dd1ddf7e758d288bc95c69165884536c811662f2188"
     "abee0935"},
    {256,
     "776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104"
     "00000060",
     "db5672c97aa8f0b2", SBM, "145ad01dbf824ec7560863dc71e3e0c0"},
    {256,
     "f6d66d6bd52d59bb07963658 79eff886c66dd51a5b6a99744b50590c87a23884"
     "00faac24",
     "c1585ef15a43d875", P32,
     "f05e231b3894612c49ee000b804eb2a9b8306b508f839d6a5530831d9344af1c"},
    {256,
     "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d"
     "001cc5b7",
     "51a51d70a1c11148", P36,
     "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f"
     "1ec0e6b8"},
};

static void test_esp_rfc3686_ctr(void **state)
{
    (void)state;
    fill_key();
    const ikh_xform_desc *a = find(IKH_XF_INTEG, IKH_INTEG_HMAC_SHA1_96, 0);
    for (size_t k = 0; k < sizeof ctr_cases / sizeof ctr_cases[0]; k++) {
        const ctr_case *c = &ctr_cases[k];
        static uint8_t key[36], iv[8], pt[64], ct[64], buf[BUF_CAP];
        const ikh_xform_desc *e = find(IKH_XF_ENCR, IKH_ENCR_AES_CTR, c->bits);
        assert_int_equal(hx(c->key, key, sizeof key), e->encr->key_len);
        hx(c->iv, iv, sizeof iv);
        size_t n = hx(c->plain, pt, sizeof pt);
        assert_int_equal(hx(c->cipher, ct, sizeof ct), n);
        ikh_esp_sa out, in;
        sa_keyed(&out, true, 0x3686, e, key, a, g_key, false);
        sa_keyed(&in, false, 0x3686, e, key, a, g_key, false);
        memcpy(buf + OFF, pt, n);
        ikh_span o;
        assert_ikh_ok(ikh_esp_sa_seal(&out, 1, iv, buf, sizeof buf, OFF, n,
                                      IKH_ESP_NH_IPV4, 0, &o));
        if (memcmp(buf + OFF, ct, n) != 0)
            fail_msg("RFC 3686 Test Vector #%zu: ciphertext differs", k + 1);
        /* The IV field carries the given IV. */
        assert_memory_equal(o.p + IKH_ESP_HDR_LEN, iv, 8);
        ikh_span payload;
        uint8_t nh = 0;
        assert_ikh_ok(
            ikh_esp_sa_decap(&in, (uint8_t *)o.p, o.len, &payload, &nh));
        assert_int_equal(payload.len, n);
        assert_memory_equal(payload.p, pt, n);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

/* ---- round trips over the registry ---------------------------------------
 */

static size_t n_esp_xforms(uint8_t type, const ikh_xform_desc **out, size_t cap)
{
    size_t n = 0;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    for (size_t i = 0; l[i] != NULL; i++)
        if (l[i]->type == type && l[i]->esp && n < cap)
            out[n++] = l[i];
    return n;
}

static void roundtrip_one(const ikh_xform_desc *e, const ikh_xform_desc *a,
                          bool esn)
{
    static uint8_t buf[BUF_CAP], src[512];
    ikh_esp_sa out, in;
    sa_pair(&out, &in, e, a, esn);
    uint32_t rc = 1;
    ikh_rand rnd = {counter_rand, &rc};
    uint64_t dummies = 0, octets = 0, packets = 0;
    for (size_t len = 0; len <= 300; len++) {
        size_t tfc = len % 5 == 0 ? len % 23 : 0;
        uint8_t nh = len % 17 == 0 ? IKH_ESP_NH_DUMMY : (uint8_t)(len % 3 + 4);
        for (size_t i = 0; i < len; i++)
            src[i] = (uint8_t)(i * 13 + len);
        memset(buf, 0xee, sizeof buf);
        memcpy(buf + OFF, src, len);
        ikh_span o;
        bool soft = true;
        assert_ikh_ok(ikh_esp_sa_encap(&out, buf, sizeof buf, OFF, len, nh, tfc,
                                       &rnd, &o, &soft));
        assert_false(soft);
        assert_true(out.seq == len + 1);
        size_t icv = e->encr->aead ? e->encr->icv_len : a->integ->icv_len;
        size_t ct = o.len - IKH_ESP_HDR_LEN - e->encr->iv_len - icv;
        assert_int_equal(ct % 4, 0);
        if (e->encr->block_len > 1)
            assert_int_equal(ct % e->encr->block_len, 0);
        assert_true(ct >= len + tfc + 2 && ct < len + tfc + 2 + 16);
        /* The IV of GCM, CTR and ChaCha20-Poly1305 is the sequence number. */
        if (e->encr->iv_len == 8) {
            uint64_t ivs = be_n(o.p + IKH_ESP_HDR_LEN, 8);
            assert_true(ivs == len + 1);
        }
        uint32_t spi = 0;
        assert_ikh_ok(ikh_esp_peek_spi(o, &spi));
        assert_int_equal(spi, 0xc0ffee01u);
        assert_int_equal(be_n(o.p + 4, 4), (uint32_t)(len + 1));

        ikh_span payload;
        uint8_t got = 0;
        ikh_err err =
            ikh_esp_sa_decap(&in, (uint8_t *)o.p, o.len, &payload, &got);
        assert_int_equal(got, nh);
        assert_int_equal(payload.len, len + tfc);
        assert_memory_equal(payload.p, src, len);
        for (size_t i = 0; i < tfc; i++)
            assert_int_equal(payload.p[len + i], 0);
        if (nh == IKH_ESP_NH_DUMMY) {
            assert_ikh_err(err, IKH_ERR_ESP_DUMMY);
            dummies++;
        } else {
            assert_ikh_ok(err);
            packets++;
            octets += len + tfc;
        }
        assert_true(in.replay.top == len + 1);
    }
    assert_true(in.counters.packets == packets);
    assert_true(in.counters.octets == octets);
    assert_true(in.counters.dummies == dummies);
    assert_true(in.counters.malformed == 0 && in.counters.icv_failures == 0 &&
                in.counters.replayed == 0);
    assert_true(out.counters.packets == 301);
    ikh_esp_sa_fini(&out);
    ikh_esp_sa_fini(&in);
}

static void test_esp_roundtrip_all_pairs(void **state)
{
    (void)state;
    fill_key();
    const ikh_xform_desc *encr[32], *integ[16];
    size_t ne = n_esp_xforms(IKH_XF_ENCR, encr, 32);
    size_t ni = n_esp_xforms(IKH_XF_INTEG, integ, 16);
    assert_true(ne >= 17 && ni >= 5);
    size_t pairs = 0;
    for (size_t i = 0; i < ne; i++) {
        for (size_t j = 0; j < (encr[i]->encr->aead ? 1 : ni); j++) {
            const ikh_xform_desc *a = encr[i]->encr->aead ? NULL : integ[j];
            roundtrip_one(encr[i], a, false);
            roundtrip_one(encr[i], a, true);
            pairs++;
        }
    }
    print_message("ESP round trips: %zu transform pairs x ESN off/on x 301 "
                  "sizes\n",
                  pairs);
}

/* ---- negative tests ------------------------------------------------------
 */

typedef struct snap {
    ikh_esp_replay replay;
    ikh_esp_counters counters;
} snap;

static void snap_take(const ikh_esp_sa *sa, snap *s)
{
    memcpy(&s->replay, &sa->replay, sizeof s->replay);
    s->counters = sa->counters;
}

/* The window is unchanged and exactly one failure counter moved. */
static void snap_check(const ikh_esp_sa *sa, snap *s, ikh_err err)
{
    assert_memory_equal(&s->replay, &sa->replay, sizeof s->replay);
    ikh_esp_counters want = s->counters;
    if (err == IKH_ERR_CRYPTO_ICV)
        want.icv_failures++;
    else if (err == IKH_ERR_ESP_REPLAYED || err == IKH_ERR_ESP_TOO_OLD ||
             err == IKH_ERR_ESP_SEQ_ZERO)
        want.replayed++;
    else
        want.malformed++;
    assert_memory_equal(&want, &sa->counters, sizeof want);
    s->counters = want;
}

typedef struct neg_suite {
    uint16_t encr_id, bits, integ_id;
    bool esn;
} neg_suite;

static const neg_suite neg_suites[] = {
    {IKH_ENCR_AES_GCM_16, 128, 0, false},
    {IKH_ENCR_AES_GCM_8, 256, 0, true},
    {IKH_ENCR_CHACHA20_POLY1305, 0, 0, true},
    {IKH_ENCR_AES_CBC, 128, IKH_INTEG_HMAC_SHA2_256_128, false},
    {IKH_ENCR_AES_CBC, 256, IKH_INTEG_HMAC_SHA2_512_256, true},
    {IKH_ENCR_AES_CTR, 192, IKH_INTEG_AES_XCBC_96, false},
    {IKH_ENCR_NULL, 0, IKH_INTEG_HMAC_SHA1_96, true},
};

static void neg_pair(const neg_suite *s, ikh_esp_sa *out, ikh_esp_sa *in)
{
    const ikh_xform_desc *e = find(IKH_XF_ENCR, s->encr_id, s->bits);
    const ikh_xform_desc *a =
        s->integ_id != 0 ? find(IKH_XF_INTEG, s->integ_id, 0) : NULL;
    sa_pair(out, in, e, a, s->esn);
}

/* Seal packet number @p k (payload of 45 octets) into buf. */
static ikh_span neg_packet(ikh_esp_sa *out, uint8_t *buf, size_t cap)
{
    static uint32_t rc = 7;
    ikh_rand rnd = {counter_rand, &rc};
    for (size_t i = 0; i < 45; i++)
        buf[OFF + i] = (uint8_t)(0xa0 + i);
    ikh_span o;
    assert_ikh_ok(ikh_esp_sa_encap(out, buf, cap, OFF, 45, IKH_ESP_NH_IPV6, 0,
                                   &rnd, &o, NULL));
    return o;
}

static void test_esp_truncated(void **state)
{
    (void)state;
    fill_key();
    for (size_t k = 0; k < sizeof neg_suites / sizeof neg_suites[0]; k++) {
        static uint8_t buf[BUF_CAP], copy[BUF_CAP];
        ikh_esp_sa out, in;
        neg_pair(&neg_suites[k], &out, &in);
        ikh_span o = neg_packet(&out, buf, sizeof buf);
        const ikh_encr_ops *e = out.encr->encr;
        size_t icv = e->aead ? e->icv_len : out.integ->integ->icv_len;
        size_t fixed = IKH_ESP_HDR_LEN + e->iv_len + icv;
        snap s;
        snap_take(&in, &s);
        for (size_t len = 0; len < o.len; len++) {
            memcpy(copy, o.p, o.len);
            ikh_span payload;
            uint8_t nh = 0;
            size_t ct = len >= fixed ? len - fixed : 0;
            ikh_err want = len < fixed + 2 ? IKH_ERR_ESP_TRUNCATED
                           : e->block_len > 1 && ct % e->block_len != 0
                               ? IKH_ERR_ESP_TRUNCATED
                               : IKH_ERR_CRYPTO_ICV;
            assert_ikh_err(ikh_esp_sa_decap(&in, copy, len, &payload, &nh),
                           want);
            snap_check(&in, &s, want);
        }
        /* Nothing moved: the whole packet still goes through. */
        ikh_span payload;
        uint8_t nh = 0;
        assert_ikh_ok(
            ikh_esp_sa_decap(&in, (uint8_t *)o.p, o.len, &payload, &nh));
        assert_int_equal(payload.len, 45);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

static void test_esp_bit_flips(void **state)
{
    (void)state;
    fill_key();
    for (size_t k = 0; k < sizeof neg_suites / sizeof neg_suites[0]; k++) {
        static uint8_t buf[BUF_CAP];
        ikh_esp_sa out, in;
        neg_pair(&neg_suites[k], &out, &in);
        ikh_span o = neg_packet(&out, buf, sizeof buf);
        uint8_t *p = buf + (o.p - buf);
        uint8_t orig[BUF_CAP];
        memcpy(orig, o.p, o.len);
        snap s;
        snap_take(&in, &s);
        /* Every octet (header, IV, ciphertext, ICV), two bits each. */
        for (size_t i = 0; i < o.len; i++) {
            for (unsigned bit = 0; bit < 8; bit += 7) {
                p[i] ^= (uint8_t)(1u << bit);
                ikh_err want = IKH_ERR_CRYPTO_ICV;
                if (i < 4)
                    want = IKH_ERR_ESP_UNKNOWN_SPI;
                else if (i < 8 && be_n(p + 4, 4) == 0)
                    want = IKH_ERR_ESP_SEQ_ZERO;
                ikh_span payload;
                uint8_t nh = 0;
                assert_ikh_err(ikh_esp_sa_decap(&in, p, o.len, &payload, &nh),
                               want);
                snap_check(&in, &s, want);
                p[i] ^= (uint8_t)(1u << bit);
                /* A rejected packet is handed back unchanged. */
                assert_memory_equal(p, orig, o.len);
            }
        }
        ikh_span payload;
        uint8_t nh = 0;
        assert_ikh_ok(ikh_esp_sa_decap(&in, p, o.len, &payload, &nh));
        assert_int_equal(nh, IKH_ESP_NH_IPV6);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

/* Build SPI | seq | IV | E(pt) | ICV with the ops directly, not through
 * esp_sa.c: a valid packet whose plaintext trailer is whatever pt says. */
static size_t forge(const ikh_esp_sa *in, uint64_t seq, const uint8_t *pt,
                    size_t n, uint8_t *pkt)
{
    const ikh_encr_ops *e = in->encr->encr;
    ikh_crypto_ctx ctx;
    assert_ikh_ok(e->init(&ctx, g_key));
    size_t h = IKH_ESP_HDR_LEN + e->iv_len;
    uint8_t hdr[8] = {(uint8_t)(in->spi >> 24), (uint8_t)(in->spi >> 16),
                      (uint8_t)(in->spi >> 8),  (uint8_t)in->spi,
                      (uint8_t)(seq >> 24),     (uint8_t)(seq >> 16),
                      (uint8_t)(seq >> 8),      (uint8_t)seq};
    memcpy(pkt, hdr, 8);
    for (size_t i = 0; i < e->iv_len; i++)
        pkt[8 + i] = (uint8_t)(0x30 + i);
    memcpy(pkt + h, pt, n);
    if (e->aead) {
        uint8_t aad[12];
        size_t al = 0;
        memcpy(aad, hdr, 4);
        if (in->esn) {
            uint8_t hi[4] = {(uint8_t)(seq >> 56), (uint8_t)(seq >> 48),
                             (uint8_t)(seq >> 40), (uint8_t)(seq >> 32)};
            memcpy(aad + 4, hi, 4);
            memcpy(aad + 8, hdr + 4, 4);
            al = 12;
        } else {
            memcpy(aad + 4, hdr + 4, 4);
            al = 8;
        }
        assert_ikh_ok(e->encrypt(&ctx, pkt + 8, ikh_span_of(aad, al), pkt + h,
                                 n, pkt + h + n));
        e->fini(&ctx);
        return h + n + e->icv_len;
    }
    assert_ikh_ok(
        e->encrypt(&ctx, pkt + 8, ikh_span_of(NULL, 0), pkt + h, n, NULL));
    e->fini(&ctx);
    uint8_t hi[4] = {(uint8_t)(seq >> 56), (uint8_t)(seq >> 48),
                     (uint8_t)(seq >> 40), (uint8_t)(seq >> 32)};
    ikh_span parts[2] = {ikh_span_of(pkt, h + n), ikh_span_of(hi, 4)};
    assert_ikh_ok(
        in->integ->integ->mac(g_key + 64, parts, in->esn ? 2 : 1, pkt + h + n));
    return h + n + in->integ->integ->icv_len;
}

static void test_esp_bad_padding(void **state)
{
    (void)state;
    fill_key();
    for (size_t k = 0; k < sizeof neg_suites / sizeof neg_suites[0]; k++) {
        ikh_esp_sa out, in;
        neg_pair(&neg_suites[k], &out, &in);
        size_t blk =
            in.encr->encr->block_len > 4 ? in.encr->encr->block_len : 4;
        static uint8_t pt[64], pkt[256];
        /* 20 payload octets, then padding to 32 octets. */
        size_t n = blk == 16 ? 32 : 24, pad = n - 2 - 20;
        for (size_t i = 0; i < 20; i++)
            pt[i] = (uint8_t)i;
        for (size_t i = 0; i < pad; i++)
            pt[20 + i] = (uint8_t)(i + 1);
        pt[n - 2] = (uint8_t)pad;
        pt[n - 1] = IKH_ESP_NH_IPV4;
        snap s;
        snap_take(&in, &s);
        ikh_span payload;
        uint8_t nh = 0;
        /* A padding octet other than 1, 2, 3, ... */
        pt[20 + 1] = 7;
        size_t len = forge(&in, 1, pt, n, pkt);
        assert_ikh_err(ikh_esp_sa_decap(&in, pkt, len, &payload, &nh),
                       IKH_ERR_ESP_PADDING);
        snap_check(&in, &s, IKH_ERR_ESP_PADDING);
        pt[20 + 1] = 2;
        /* Pad Length past the data, and one octet short of valid. */
        pt[n - 2] = 200;
        len = forge(&in, 1, pt, n, pkt);
        assert_ikh_err(ikh_esp_sa_decap(&in, pkt, len, &payload, &nh),
                       IKH_ERR_ESP_PAD_LEN);
        snap_check(&in, &s, IKH_ERR_ESP_PAD_LEN);
        pt[n - 2] = (uint8_t)(n - 1);
        len = forge(&in, 1, pt, n, pkt);
        assert_ikh_err(ikh_esp_sa_decap(&in, pkt, len, &payload, &nh),
                       IKH_ERR_ESP_PAD_LEN);
        snap_check(&in, &s, IKH_ERR_ESP_PAD_LEN);
        /* The largest valid Pad Length: all of it padding, no payload. */
        for (size_t i = 0; i < n - 2; i++)
            pt[i] = (uint8_t)(i + 1);
        pt[n - 2] = (uint8_t)(n - 2);
        len = forge(&in, 1, pt, n, pkt);
        assert_ikh_ok(ikh_esp_sa_decap(&in, pkt, len, &payload, &nh));
        assert_int_equal(payload.len, 0);
        /* The forged packet with the right trailer decapsulates. */
        for (size_t i = 0; i < 20; i++)
            pt[i] = (uint8_t)i;
        for (size_t i = 0; i < pad; i++)
            pt[20 + i] = (uint8_t)(i + 1);
        pt[n - 2] = (uint8_t)pad;
        len = forge(&in, 2, pt, n, pkt);
        assert_ikh_ok(ikh_esp_sa_decap(&in, pkt, len, &payload, &nh));
        assert_int_equal(payload.len, 20);
        assert_int_equal(nh, IKH_ESP_NH_IPV4);
        ikh_esp_sa_fini(&out);
        ikh_esp_sa_fini(&in);
    }
}

static void test_esp_replay_and_dummy(void **state)
{
    (void)state;
    fill_key();
    static uint8_t bufs[80][256];
    ikh_span pk[80];
    ikh_esp_sa out, in;
    neg_pair(&neg_suites[0], &out, &in);
    for (size_t i = 0; i < 80; i++)
        pk[i] = neg_packet(&out, bufs[i], sizeof bufs[i]);
    ikh_span payload;
    uint8_t nh = 0;
    assert_ikh_ok(
        ikh_esp_sa_decap(&in, (uint8_t *)pk[4].p, pk[4].len, &payload, &nh));
    snap s;
    snap_take(&in, &s);
    /* Replayed: reseal seq 5 with the same IV (seal is deterministic for
     * GCM: IV = sequence number). */
    static uint8_t rbuf[256];
    uint8_t iv[8] = {0, 0, 0, 0, 0, 0, 0, 5};
    for (size_t i = 0; i < 45; i++)
        rbuf[OFF + i] = (uint8_t)(0xa0 + i);
    ikh_span r;
    assert_ikh_ok(ikh_esp_sa_seal(&out, 5, iv, rbuf, sizeof rbuf, OFF, 45,
                                  IKH_ESP_NH_IPV6, 0, &r));
    assert_ikh_err(ikh_esp_sa_decap(&in, (uint8_t *)r.p, r.len, &payload, &nh),
                   IKH_ERR_ESP_REPLAYED);
    snap_check(&in, &s, IKH_ERR_ESP_REPLAYED);
    /* Move the window to 80; packet 3 is then too old (80 - 3 >= 64). */
    assert_ikh_ok(
        ikh_esp_sa_decap(&in, (uint8_t *)pk[79].p, pk[79].len, &payload, &nh));
    snap_take(&in, &s);
    assert_ikh_err(
        ikh_esp_sa_decap(&in, (uint8_t *)pk[2].p, pk[2].len, &payload, &nh),
        IKH_ERR_ESP_TOO_OLD);
    snap_check(&in, &s, IKH_ERR_ESP_TOO_OLD);
    /* Packet 20 is inside the window and new. */
    assert_ikh_ok(
        ikh_esp_sa_decap(&in, (uint8_t *)pk[19].p, pk[19].len, &payload, &nh));
    assert_true(in.counters.packets == 3);

    /* A dummy packet: ESP_DUMMY, counted, window moved, not a payload. */
    static uint8_t dbuf[256];
    ikh_span d;
    assert_ikh_ok(ikh_esp_sa_encap(&out, dbuf, sizeof dbuf, OFF, 10,
                                   IKH_ESP_NH_DUMMY, 0, NULL, &d, NULL));
    uint64_t dseq = out.seq;
    static uint8_t dcopy[256];
    memcpy(dcopy, d.p, d.len);
    assert_ikh_err(ikh_esp_sa_decap(&in, (uint8_t *)d.p, d.len, &payload, &nh),
                   IKH_ERR_ESP_DUMMY);
    assert_int_equal(nh, IKH_ESP_NH_DUMMY);
    assert_true(in.counters.dummies == 1 && in.counters.packets == 3);
    assert_true(in.replay.top == dseq);
    assert_ikh_err(ikh_esp_sa_decap(&in, dcopy, d.len, &payload, &nh),
                   IKH_ERR_ESP_REPLAYED);
    ikh_esp_sa_fini(&out);
    ikh_esp_sa_fini(&in);
}

static void test_esp_seq_limits(void **state)
{
    (void)state;
    fill_key();
    static uint8_t buf[BUF_CAP];
    const ikh_xform_desc *e = find(IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128);
    ikh_esp_sa_config c = {0};
    c.spi = 9;
    c.outbound = true;
    c.encr = e;
    c.encr_key = ikh_span_of(g_key, e->encr->key_len);
    c.soft_packets = 2;
    c.hard_packets = 3;
    ikh_esp_sa sa;
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    ikh_span o = {0};
    bool soft = true;
    assert_ikh_ok(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft));
    assert_false(soft);
    assert_ikh_ok(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft));
    assert_true(soft); /* the soft limit, once */
    assert_ikh_ok(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft));
    assert_false(soft);
    o = ikh_span_of(NULL, 0);
    assert_ikh_err(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft),
        IKH_ERR_ESP_SEQ_EXHAUSTED);
    assert_null(o.p);
    assert_true(sa.seq == 3 && sa.counters.packets == 3);
    ikh_esp_sa_fini(&sa);

    /* Defaults: 2^32 - 1 without ESN, 2^64 - 1 with; never wrap. */
    c.soft_packets = 0;
    c.hard_packets = 0;
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    assert_true(sa.hard_packets == UINT32_MAX);
    assert_true(sa.soft_packets == UINT64_C(0xffff0000));
    sa.seq = UINT32_MAX - 1u;
    assert_ikh_ok(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft));
    assert_true(soft); /* past the default soft limit */
    assert_int_equal(be_n(o.p + 4, 4), UINT32_MAX);
    assert_ikh_err(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, &soft),
        IKH_ERR_ESP_SEQ_EXHAUSTED);
    ikh_esp_sa_fini(&sa);
    c.esn = true;
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    assert_true(sa.hard_packets == UINT64_MAX);
    sa.seq = UINT64_MAX - 1u;
    assert_ikh_ok(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, NULL));
    assert_ikh_err(
        ikh_esp_sa_encap(&sa, buf, sizeof buf, OFF, 1, 4, 0, NULL, &o, NULL),
        IKH_ERR_ESP_SEQ_EXHAUSTED);
    ikh_esp_sa_fini(&sa);
    /* A hard limit above what the counter can carry is capped. */
    c.esn = false;
    c.hard_packets = UINT64_MAX;
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    assert_true(sa.hard_packets == UINT32_MAX);
    ikh_esp_sa_fini(&sa);
}

static void test_esp_nobuf_and_args(void **state)
{
    (void)state;
    fill_key();
    static uint8_t buf[BUF_CAP];
    ikh_esp_sa out, in;
    const ikh_xform_desc *cbc = find(IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128);
    const ikh_xform_desc *sha = find(IKH_XF_INTEG, IKH_INTEG_HMAC_SHA1_96, 0);
    sa_pair(&out, &in, cbc, sha, false);
    uint32_t rc = 0;
    ikh_rand rnd = {counter_rand, &rc};
    ikh_span o;
    /* Headroom: header + 16-octet IV. */
    assert_ikh_err(
        ikh_esp_sa_encap(&out, buf, sizeof buf, 23, 10, 4, 0, &rnd, &o, NULL),
        IKH_ERR_ESP_NOBUF);
    /* Tailroom: 10 + 2 -> 16 octets of ciphertext, then 12 of ICV. */
    assert_ikh_err(ikh_esp_sa_encap(&out, buf, OFF + 16 + 11, OFF, 10, 4, 0,
                                    &rnd, &o, NULL),
                   IKH_ERR_ESP_NOBUF);
    assert_true(out.seq == 0);
    assert_ikh_ok(ikh_esp_sa_encap(&out, buf, OFF + 16 + 12, OFF, 10, 4, 0,
                                   &rnd, &o, NULL));
    assert_int_equal(o.len, 8 + 16 + 16 + 12);
    assert_ikh_err(ikh_esp_sa_encap(&out, buf, sizeof buf, OFF, SIZE_MAX, 4, 0,
                                    &rnd, &o, NULL),
                   IKH_ERR_ESP_NOBUF);
    assert_ikh_err(ikh_esp_sa_encap(&out, buf, sizeof buf, OFF, 10, 4, SIZE_MAX,
                                    &rnd, &o, NULL),
                   IKH_ERR_ESP_NOBUF);
    /* CBC needs the random source. */
    assert_ikh_err(
        ikh_esp_sa_encap(&out, buf, sizeof buf, OFF, 10, 4, 0, NULL, &o, NULL),
        IKH_ERR_ARG_INVALID);
    /* Direction. */
    assert_ikh_err(
        ikh_esp_sa_encap(&in, buf, sizeof buf, OFF, 10, 4, 0, &rnd, &o, NULL),
        IKH_ERR_ARG_INVALID);
    ikh_span payload;
    uint8_t nh;
    assert_ikh_err(ikh_esp_sa_decap(&out, buf, 64, &payload, &nh),
                   IKH_ERR_ARG_INVALID);
    /* Without ESN the sequence number has 32 bits. */
    uint8_t iv[16] = {0};
    assert_ikh_err(ikh_esp_sa_seal(&out, UINT64_C(1) << 32, iv, buf, sizeof buf,
                                   OFF, 10, 4, 0, &o),
                   IKH_ERR_ARG_INVALID);
    ikh_esp_sa_fini(&out);
    ikh_esp_sa_fini(&in);

    /* peek_spi */
    uint32_t spi = 0;
    uint8_t three[3] = {1, 2, 3};
    assert_ikh_err(ikh_esp_peek_spi(ikh_span_of(three, 3), &spi),
                   IKH_ERR_ESP_TRUNCATED);
    uint8_t four[4] = {0xde, 0xad, 0xbe, 0xef};
    assert_ikh_ok(ikh_esp_peek_spi(ikh_span_of(four, 4), &spi));
    assert_int_equal(spi, 0xdeadbeefu);
}

static void test_esp_init_errors(void **state)
{
    (void)state;
    fill_key();
    const ikh_xform_desc *gcm = find(IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128);
    const ikh_xform_desc *cbc = find(IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128);
    const ikh_xform_desc *sha = find(IKH_XF_INTEG, IKH_INTEG_HMAC_SHA1_96, 0);
    const ikh_xform_desc *prf = find(IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 0);
    ikh_esp_sa sa;
    ikh_esp_sa_config c = {0};
    c.encr = gcm;
    c.encr_key = ikh_span_of(g_key, gcm->encr->key_len);
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    static const ikh_esp_sa zero;
    /* keyed: the context holds the expanded key */
    assert_memory_not_equal(&sa.encr_ctx, &zero.encr_ctx, sizeof sa.encr_ctx);
    uint8_t pkt[64] = {0};
    ikh_span pl;
    uint8_t nh = 0;
    /* keyed, a packet of zeros fails on its content */
    assert_int_not_equal(ikh_esp_sa_decap(&sa, pkt, sizeof pkt, &pl, &nh),
                         IKH_ERR_ARG_INVALID);
    ikh_esp_sa_fini(&sa);
    /* fini wipes the keyed parts: the cipher context and the integrity
     * key, and drops the transforms so nothing goes through the SA */
    assert_memory_equal(&sa.encr_ctx, &zero.encr_ctx, sizeof sa.encr_ctx);
    assert_null(sa.encr);
    assert_null(sa.integ);
    assert_ikh_err(ikh_esp_sa_decap(&sa, pkt, sizeof pkt, &pl, &nh),
                   IKH_ERR_ARG_INVALID);
    /* the same with CBC and HMAC: the integrity key too */
    c.encr = cbc;
    c.encr_key = ikh_span_of(g_key, cbc->encr->key_len);
    c.integ = sha;
    c.integ_key = ikh_span_of(g_key, sha->integ->key_len);
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    assert_memory_not_equal(sa.integ_key, zero.integ_key, sizeof sa.integ_key);
    ikh_esp_sa_fini(&sa);
    assert_memory_equal(&sa.encr_ctx, &zero.encr_ctx, sizeof sa.encr_ctx);
    assert_memory_equal(sa.integ_key, zero.integ_key, sizeof sa.integ_key);
    assert_int_equal(sa.integ_key_len, 0);
    ikh_esp_sa_fini(&sa); /* a second fini is harmless */
    ikh_esp_sa_fini(NULL);
    c.integ = NULL;
    c.integ_key = ikh_span_of(NULL, 0);
    c.encr = gcm;
    c.encr_key = ikh_span_of(g_key, gcm->encr->key_len);
    assert_ikh_err(ikh_esp_sa_init(NULL, &c), IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_esp_sa_init(&sa, NULL), IKH_ERR_ARG_INVALID);
    /* AEAD with INTEG */
    c.integ = sha;
    c.integ_key = ikh_span_of(g_key, sha->integ->key_len);
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    /* wrong ENCR key length */
    c.integ = NULL;
    c.encr_key.len--;
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    /* not an ENCR transform */
    c.encr = prf;
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    /* non-AEAD without INTEG, with a wrong INTEG key length, with a PRF */
    c.encr = cbc;
    c.encr_key = ikh_span_of(g_key, 16);
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    c.integ = sha;
    c.integ_key = ikh_span_of(g_key, 19);
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    c.integ = prf;
    c.integ_key = ikh_span_of(g_key, 32);
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_INVALID);
    /* window out of range (inbound only) */
    c.integ = sha;
    c.integ_key = ikh_span_of(g_key, 20);
    c.window = 100;
    assert_ikh_err(ikh_esp_sa_init(&sa, &c), IKH_ERR_ARG_RANGE);
    c.window = 1024;
    assert_ikh_ok(ikh_esp_sa_init(&sa, &c));
    assert_int_equal(sa.replay.size, 1024);
    ikh_esp_sa_fini(&sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_esp_rfc7634_a),
        cmocka_unit_test(test_esp_rfc3602_cases_5_8),
        cmocka_unit_test(test_esp_gcm_draft_mcgrew),
        cmocka_unit_test(test_esp_rfc3686_ctr),
        cmocka_unit_test(test_esp_roundtrip_all_pairs),
        cmocka_unit_test(test_esp_truncated),
        cmocka_unit_test(test_esp_bit_flips),
        cmocka_unit_test(test_esp_bad_padding),
        cmocka_unit_test(test_esp_replay_and_dummy),
        cmocka_unit_test(test_esp_seq_limits),
        cmocka_unit_test(test_esp_nobuf_and_args),
        cmocka_unit_test(test_esp_init_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
