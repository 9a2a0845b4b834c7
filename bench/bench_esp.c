/* SPDX-License-Identifier: MIT */
/*
 * ESP data-plane overhead: encapsulation + decapsulation of one packet
 * through ikh_esp_sa_encap()/ikh_esp_sa_decap() (esp.h), next to raw Nettle
 * doing the same cryptographic work on the same bytes in the same run, for
 * 64, 512 and 1400-octet payloads. Prints packets/s, MB/s (payload octets)
 * and the ratio ours/raw (1.00 = same speed; the issue asks >= 0.90 at 1400
 * octets).
 *
 * Method (as bench_crypto.c): both sides copy the payload into the packet
 * buffer, build the ESP trailer (padding 1, 2, 3, ..., Pad Length, Next
 * Header) and header (SPI, sequence number, IV), encrypt and authenticate
 * the same number of octets with the same keys, then verify (constant time)
 * and decrypt. The raw side builds the RFC 4106 / RFC 7634 nonce (salt |
 * IV) and the AAD (SPI | sequence number) per packet, and keys HMAC per
 * packet (set_key, update, digest, wipe), as our INTEG operation does. One
 * untimed warm-up round per side, then ROUNDS interleaved rounds in
 * alternating order, timed in thread CPU time; op/s is the median per
 * side, the ratio the median of the per-pair ratios.
 *   bench_esp [SECONDS_PER_ROUND [ROUNDS [NAME_FILTER]]]
 *   (defaults 0.01 s, 31 rounds, every case)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/chacha-poly1305.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/nettle-meta.h>

#include "bench_util.h"
#include "ikh/esp.h"
#include "ikh/iana.h"

#define LINE _Alignas(64)
#define BUF_CAP 2048u
#define OFF IKH_ESP_HEADROOM
#define SPI 0x01020304u

static LINE uint8_t payload[BUF_CAP];
static LINE uint8_t buf[BUF_CAP];
static LINE uint8_t key[64];
static LINE uint8_t akey[64];
static LINE ikh_esp_sa sa_out, sa_in;
static volatile uint8_t sink;

/* Raw Nettle state. */
static LINE struct gcm_aes128_ctx r_gcm128;
static LINE struct gcm_aes256_ctx r_gcm256;
static LINE struct chacha_poly1305_ctx r_cp;
static LINE struct aes128_ctx r_aes_enc, r_aes_dec;
static uint8_t r_salt[4];
static uint64_t r_seq;

/* ---- ours ---------------------------------------------------------------- */

static uint32_t rnd_ctr;

static void bench_rand(void *user, uint8_t *out, size_t len)
{
    (void)user;
    /* Cheap and deterministic: the bench measures ESP, not a DRBG. */
    memset(out, (int)(rnd_ctr++ & 0xff), len);
}

static void o_esp(size_t len)
{
    ikh_rand rnd = {bench_rand, NULL};
    ikh_span pkt, pl;
    uint8_t nh;
    memcpy(buf + OFF, payload, len);
    if (ikh_esp_sa_encap(&sa_out, buf, sizeof buf, OFF, len, IKH_ESP_NH_IPV4, 0,
                         &rnd, &pkt, NULL) != IKH_OK)
        abort();
    if (ikh_esp_sa_decap(&sa_in, (uint8_t *)pkt.p, pkt.len, &pl, &nh) != IKH_OK)
        abort();
    sink ^= pl.p[0];
}

/* ---- raw Nettle ------------------------------------------------------------
 */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Header, payload copy and trailer; returns the ciphertext length. */
static size_t r_frame(size_t len, size_t iv_len, size_t align, uint8_t **ct)
{
    r_seq++;
    uint8_t *h = buf + OFF - 8 - iv_len;
    put32(h, SPI);
    put32(h + 4, (uint32_t)r_seq);
    *ct = buf + OFF;
    memcpy(*ct, payload, len);
    size_t pad = (align - (len + 2) % align) % align;
    for (size_t i = 0; i < pad; i++)
        (*ct)[len + i] = (uint8_t)(i + 1);
    (*ct)[len + pad] = (uint8_t)pad;
    (*ct)[len + pad + 1] = IKH_ESP_NH_IPV4;
    return len + pad + 2;
}

/* AEAD: IV = sequence number, nonce = salt | IV, AAD = SPI | seq. */
#define RAW_GCM(bits)                                                          \
    static void r_esp_gcm##bits(size_t len)                                    \
    {                                                                          \
        uint8_t *ct, nonce[12], aad[8], tag[16], want[16];                     \
        size_t n = r_frame(len, 8, 4, &ct);                                    \
        uint8_t *iv = ct - 8;                                                  \
        put32(iv, (uint32_t)(r_seq >> 32));                                    \
        put32(iv + 4, (uint32_t)r_seq);                                        \
        memcpy(nonce, r_salt, 4);                                              \
        memcpy(nonce + 4, iv, 8);                                              \
        memcpy(aad, ct - 16, 8);                                               \
        gcm_aes##bits##_set_iv(&r_gcm##bits, 12, nonce);                       \
        gcm_aes##bits##_update(&r_gcm##bits, 8, aad);                          \
        gcm_aes##bits##_encrypt(&r_gcm##bits, n, ct, ct);                      \
        gcm_aes##bits##_digest(&r_gcm##bits, 16, tag);                         \
        memcpy(ct + n, tag, 16);                                               \
        /* receive */                                                          \
        memcpy(nonce + 4, iv, 8);                                              \
        memcpy(aad, ct - 16, 8);                                               \
        gcm_aes##bits##_set_iv(&r_gcm##bits, 12, nonce);                       \
        gcm_aes##bits##_update(&r_gcm##bits, 8, aad);                          \
        gcm_aes##bits##_decrypt(&r_gcm##bits, n, ct, ct);                      \
        gcm_aes##bits##_digest(&r_gcm##bits, 16, want);                        \
        if (!memeql_sec(want, ct + n, 16) || ct[n - 1] != IKH_ESP_NH_IPV4)     \
            abort();                                                           \
        sink ^= ct[0];                                                         \
    }
RAW_GCM(128)
RAW_GCM(256)

static void r_chacha(size_t len)
{
    uint8_t *ct, nonce[12], aad[8], tag[16], want[16];
    size_t n = r_frame(len, 8, 4, &ct);
    uint8_t *iv = ct - 8;
    put32(iv, (uint32_t)(r_seq >> 32));
    put32(iv + 4, (uint32_t)r_seq);
    memcpy(nonce, r_salt, 4);
    memcpy(nonce + 4, iv, 8);
    memcpy(aad, ct - 16, 8);
    chacha_poly1305_set_nonce(&r_cp, nonce);
    chacha_poly1305_update(&r_cp, 8, aad);
    chacha_poly1305_encrypt(&r_cp, n, ct, ct);
    chacha_poly1305_digest(&r_cp, 16, tag);
    memcpy(ct + n, tag, 16);
    memcpy(nonce + 4, iv, 8);
    memcpy(aad, ct - 16, 8);
    chacha_poly1305_set_nonce(&r_cp, nonce);
    chacha_poly1305_update(&r_cp, 8, aad);
    chacha_poly1305_decrypt(&r_cp, n, ct, ct);
    chacha_poly1305_digest(&r_cp, 16, want);
    if (!memeql_sec(want, ct + n, 16) || ct[n - 1] != IKH_ESP_NH_IPV4)
        abort();
    sink ^= ct[0];
}

static void r_hmac256(const uint8_t *p, size_t n, uint8_t out[32])
{
    LINE struct hmac_sha256_ctx c;
    hmac_sha256_set_key(&c, 32, akey);
    hmac_sha256_update(&c, n, p);
    hmac_sha256_digest(&c, 32, out);
    memset(&c, 0, sizeof c);
    __asm__ __volatile__("" : : "r"(&c) : "memory");
}

/* AES-CBC-128 + HMAC-SHA2-256-128: random IV, ICV over SPI .. Next
 * Header. */
static void r_cbc_sha256(size_t len)
{
    uint8_t *ct, chain[16], mac[32], want[32];
    size_t n = r_frame(len, 16, 16, &ct);
    uint8_t *iv = ct - 16;
    bench_rand(NULL, iv, 16);
    memcpy(chain, iv, 16);
    cbc_aes128_encrypt(&r_aes_enc, chain, n, ct, ct);
    uint8_t *start = ct - 24;
    r_hmac256(start, 24 + n, mac);
    memcpy(ct + n, mac, 16);
    /* receive */
    r_hmac256(start, 24 + n, want);
    bool ok = memeql_sec(want, ct + n, 16);
    memset(want, 0, sizeof want);
    if (!ok)
        abort();
    memcpy(chain, iv, 16);
    cbc_decrypt(&r_aes_dec, nettle_aes128.decrypt, 16, chain, n, ct, ct);
    if (ct[n - 1] != IKH_ESP_NH_IPV4)
        abort();
    sink ^= ct[0];
}

/* ---- driver ----------------------------------------------------------------
 */

typedef struct bcase {
    const char *name;
    uint16_t encr_id, bits, integ_id;
    op_fn raw;
} bcase;

static double rate(op_fn f, size_t len, double secs)
{
    return rate_batch(f, len, secs, 64);
}

static const ikh_xform_desc *must_find(uint8_t type, uint16_t id, uint16_t bits)
{
    const ikh_xform_desc *d =
        ikh_crypto_find(ikh_crypto_default_list(), type, id, bits);
    if (d == NULL) {
        fprintf(stderr, "bench_esp: transform %u/%u/%u missing\n", type, id,
                bits);
        exit(2);
    }
    return d;
}

/* Fresh SAs per (case, size): ESN on, so the counter never runs out. */
static void setup(const bcase *c)
{
    const ikh_xform_desc *e = must_find(IKH_XF_ENCR, c->encr_id, c->bits);
    const ikh_xform_desc *a =
        c->integ_id != 0 ? must_find(IKH_XF_INTEG, c->integ_id, 0) : NULL;
    ikh_esp_sa_config cfg = {0};
    cfg.spi = SPI;
    cfg.encr = e;
    cfg.integ = a;
    cfg.encr_key = ikh_span_of(key, e->encr->key_len);
    if (a != NULL)
        cfg.integ_key = ikh_span_of(akey, a->integ->key_len);
    cfg.esn = true;
    cfg.outbound = true;
    if (ikh_esp_sa_init(&sa_out, &cfg) != IKH_OK)
        abort();
    cfg.outbound = false;
    if (ikh_esp_sa_init(&sa_in, &cfg) != IKH_OK)
        abort();
    memcpy(r_salt, key + e->encr->key_len - e->encr->salt_len, 4);
    r_seq = 0;
}

#define MAX_ROUNDS 101

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 0.01;
    int rounds = argc > 2 ? atoi(argv[2]) : 31;
    const char *filter = argc > 3 ? argv[3] : NULL;
    if (secs <= 0)
        secs = 0.01;
    if (rounds < 1 || rounds > MAX_ROUNDS)
        rounds = 31;
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x40 + i);
    for (size_t i = 0; i < sizeof akey; i++)
        akey[i] = (uint8_t)(0x90 + i);
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7);
    gcm_aes128_set_key(&r_gcm128, key);
    gcm_aes256_set_key(&r_gcm256, key);
    chacha_poly1305_set_key(&r_cp, key);
    aes128_set_encrypt_key(&r_aes_enc, key);
    aes128_set_decrypt_key(&r_aes_dec, key);

    static const bcase cases[] = {
        {"AES-GCM16-128", IKH_ENCR_AES_GCM_16, 128, 0, r_esp_gcm128},
        {"AES-GCM16-256", IKH_ENCR_AES_GCM_16, 256, 0, r_esp_gcm256},
        {"CHACHA20-POLY1305", IKH_ENCR_CHACHA20_POLY1305, 0, 0, r_chacha},
        {"AES-CBC-128+SHA2-256-128", IKH_ENCR_AES_CBC, 128,
         IKH_INTEG_HMAC_SHA2_256_128, r_cbc_sha256},
    };
    static const size_t sizes[] = {64, 512, 1400};

    printf("bench_esp: encap+decap per packet; %.3f s per round, %d "
           "interleaved round pairs after 1 warm-up; pkt/s = median per "
           "side, MB/s of payload, ratio = median of per-pair ratios\n",
           secs, rounds);
    printf("%-26s %6s %11s %9s %11s %9s %7s\n", "case", "octets", "ours pkt/s",
           "ours MB/s", "raw pkt/s", "raw MB/s", "ratio");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        if (filter != NULL && strstr(cases[k].name, filter) == NULL)
            continue;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t len = sizes[s];
            setup(&cases[k]);
            double ro[MAX_ROUNDS], rr[MAX_ROUNDS], q[MAX_ROUNDS];
            (void)rate(o_esp, len, secs);
            (void)rate(cases[k].raw, len, secs);
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    ro[r] = rate(o_esp, len, secs);
                    rr[r] = rate(cases[k].raw, len, secs);
                } else {
                    rr[r] = rate(cases[k].raw, len, secs);
                    ro[r] = rate(o_esp, len, secs);
                }
                q[r] = ro[r] / rr[r];
            }
            double mq = median(q, rounds);
            double mo = median(ro, rounds), mr = median(rr, rounds);
            printf("%-26s %6zu %11.0f %9.1f %11.0f %9.1f %7.3f\n",
                   cases[k].name, len, mo, mo * (double)len / 1e6, mr,
                   mr * (double)len / 1e6, mq);
            ikh_esp_sa_fini(&sa_out);
            ikh_esp_sa_fini(&sa_in);
        }
    }
    return 0;
}
