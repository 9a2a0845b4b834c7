/* SPDX-License-Identifier: MIT */
/*
 * Example: the ESP data plane on its own (ikh/esp.h, RFC 4303), without an
 * IKE node. Keys normally come from IKE (KEYMAT, RFC 7296 §2.17); here they
 * are explicit constants, as a test or a packet generator would use them.
 *
 * For two suites, AES-GCM-16 with a 256-bit key (RFC 4106) and AES-CBC-128
 * with HMAC-SHA2-256-128 (RFC 3602, RFC 4868), it:
 *   1. keys an outbound and an inbound ::ikh_esp_sa with the same SPI and
 *      keys (the two ends of one direction of a Child SA);
 *   2. encapsulates an inner IPv4 packet in tunnel mode (Next Header 4);
 *   3. finds the inbound SA by the packet's SPI and decapsulates it: the
 *      plaintext must be the original packet;
 *   4. decapsulates the same octets again: anti-replay (RFC 4303 §3.4.3)
 *      must reject them with IKH_ERR_ESP_REPLAYED;
 *   5. encapsulates a second packet, flips one bit of it: the integrity
 *      check must fail (IKH_ERR_CRYPTO_ICV), and, because a failed packet
 *      never moves the window, the untouched copy must still be accepted.
 *
 * Exit status 0 when every step gave what it should; 1 (with a message on
 * stderr) on the first mismatch.
 *
 * Memory: nothing here allocates. An ::ikh_esp_sa is caller memory (about
 * 5 KiB: it holds a keyed cipher context and the replay window) and is
 * wiped by ikh_esp_sa_fini(). Packets are processed IN PLACE in caller
 * buffers: encapsulation needs IKH_ESP_HEADROOM octets in front of the
 * payload (ESP header and IV) and IKH_ESP_TAILROOM behind it (padding, Pad
 * Length, Next Header and ICV); decapsulation overwrites the packet with
 * its plaintext and returns a span inside it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ikh/crypto.h"
#include "ikh/esp.h"
#include "ikh/iana.h"

/* Explicit keys. For AES-GCM the ENCR keying material is key || salt (RFC
 * 4106 §8.1: 4 octets of salt after the 32-octet key), so 36 octets. */
static const uint8_t gcm_key[36] = {
    0x4c, 0x80, 0xcd,
    0xef, 0xbb, 0x5d,
    0x10, 0xda, 0x90,
    0x6a, 0xc7, 0x3c,
    0x36, 0x13, 0xa6,
    0x34, 0x22, 0x44,
    0x3d, 0xd5, 0x4b,
    0xdd, 0x16, 0x2a,
    0x1f, 0x74, 0x17,
    0x0a, 0xf0, 0xc5,
    0x8a, 0x2e, /* salt: */ 0xca,
    0xfe, 0xba, 0xbe,
};
static const uint8_t cbc_key[16] = {
    0x06, 0xa9, 0x21, 0x40, 0x36, 0xb8, 0xa1, 0x5b,
    0x51, 0x2e, 0x03, 0xd5, 0x34, 0x12, 0x00, 0x06,
};
static const uint8_t hmac_key[32] = {
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0c, 0x0d,
    0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
};

/* One suite to try: transform IDs (IANA) and the keys for them. */
typedef struct suite {
    const char *name;
    uint16_t encr_id, encr_bits; /* Transform Type 1 and its Key Length */
    uint16_t integ_id;           /* Transform Type 3; 0 for an AEAD */
    ikh_span encr_key, integ_key;
} suite;

/* The inner packet: IPv4/UDP 10.1.0.1:12345 -> 10.2.0.1:7, "hello, ESP". */
static const uint8_t inner[] = {
    0x45, 0x00, 0x00, 0x26, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
    0x00, 0x00, 10,   1,    0,    1,    10,   2,    0,    1,
    0x30, 0x39, 0x00, 0x07, 0x00, 0x12, 0x00, 0x00, 'h',  'e',
    'l',  'l',  'o',  ',',  ' ',  'E',  'S',  'P',
};

/* A CBC IV must be unpredictable (RFC 3602 §2): encapsulation draws it from
 * an ::ikh_rand, the same hook type IKE uses. This one is a counter, which
 * is deterministic and fine for an example, and WRONG for real traffic:
 * give ikh_esp_sa_encap() your CSPRNG. (GCM ignores it: its 8-octet IV is
 * the sequence number, unique per key, RFC 4106 §3.1.) */
static void counter_rand(void *user, uint8_t *out, size_t len)
{
    uint8_t *ctr = user;
    for (size_t i = 0; i < len; i++)
        out[i] = (*ctr)++;
}

static int fail(const char *suite_name, const char *what, ikh_err e)
{
    fprintf(stderr, "esp_roundtrip: %s: %s: %s (%d): %s\n", suite_name, what,
            ikh_err_name(e), (int)e, ikh_err_str(e));
    return 1;
}

static int mismatch(const char *suite_name, const char *what)
{
    fprintf(stderr, "esp_roundtrip: %s: %s\n", suite_name, what);
    return 1;
}

/* Room for the inner packet with ESP's headroom and tailroom. */
#define BUF_CAP (IKH_ESP_HEADROOM + sizeof inner + IKH_ESP_TAILROOM)

/* Encapsulate `inner` with sa into buf; copy the ESP packet to pkt. */
static ikh_err encap(ikh_esp_sa *sa, const ikh_rand *rnd, uint8_t *pkt,
                     size_t *pkt_len)
{
    uint8_t buf[BUF_CAP];
    memcpy(buf + IKH_ESP_HEADROOM, inner, sizeof inner);
    ikh_span esp;
    bool soft = false;
    /* RFC 4303 §3.3: header, IV, payload, padding, Pad Length, Next Header,
     * ICV. The sequence number is the SA's, incremented first (§3.3.3). */
    ikh_err e =
        ikh_esp_sa_encap(sa, buf, sizeof buf, IKH_ESP_HEADROOM, sizeof inner,
                         IKH_ESP_NH_IPV4, 0, rnd, &esp, &soft);
    if (e != IKH_OK)
        return e;
    /* esp points into buf (borrowed): copy it out, as a driver would copy
     * it onto the wire. */
    memcpy(pkt, esp.p, esp.len);
    *pkt_len = esp.len;
    return IKH_OK;
}

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
    printf("  %-10s", label);
    for (size_t i = 0; i < len; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static int run_suite(const suite *s)
{
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    const ikh_xform_desc *encr =
        ikh_crypto_find(list, IKH_XF_ENCR, s->encr_id, s->encr_bits);
    const ikh_xform_desc *integ =
        s->integ_id ? ikh_crypto_find(list, IKH_XF_INTEG, s->integ_id, 0)
                    : NULL;
    if (encr == NULL || (s->integ_id != 0 && integ == NULL))
        return mismatch(s->name, "transform not in ikh_crypto_default_list()");
    printf("%s (%s%s%s)\n", s->name, encr->name, integ ? " + " : "",
           integ ? integ->name : "");

    /* 1. The two ends of one direction: same SPI, same keys. The config's
     * key spans are borrowed for the call; ikh_esp_sa_init() copies them. */
    ikh_esp_sa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.spi = 0xc0ffee01u; /* the receiver picked it (RFC 4303 §2.1) */
    cfg.encr = encr;
    cfg.integ = integ;
    cfg.encr_key = s->encr_key;
    cfg.integ_key = s->integ_key;
    cfg.esn = false;
    cfg.window = 64; /* RFC 4303 §3.4.3: 32 at least; 64 recommended */
    static ikh_esp_sa tx, rx;
    cfg.outbound = true;
    ikh_err e = ikh_esp_sa_init(&tx, &cfg);
    if (e != IKH_OK)
        return fail(s->name, "ikh_esp_sa_init(outbound)", e);
    cfg.outbound = false;
    e = ikh_esp_sa_init(&rx, &cfg);
    if (e != IKH_OK) {
        ikh_esp_sa_fini(&tx);
        return fail(s->name, "ikh_esp_sa_init(inbound)", e);
    }

    uint8_t ctr = 0;
    ikh_rand rnd = {counter_rand, &ctr};
    uint8_t wire1[BUF_CAP], again[BUF_CAP], wire2[BUF_CAP], good2[BUF_CAP];
    size_t len1 = 0, len2 = 0;
    ikh_span payload;
    uint8_t nh = 0;
    int rc = 1;

    /* 2. Encapsulate. */
    e = encap(&tx, &rnd, wire1, &len1);
    if (e != IKH_OK) {
        rc = fail(s->name, "ikh_esp_sa_encap", e);
        goto out;
    }
    print_hex("ESP hdr", wire1, IKH_ESP_HDR_LEN);
    printf("  packet    %zu octets for a %zu-octet inner packet\n", len1,
           sizeof inner);
    memcpy(again, wire1, len1); /* an attacker's recording of it */

    /* 3. The receiver finds the SA by SPI (the caller's job, RFC 4303
     * §3.4.2), then decapsulates in place: wire1 now holds plaintext. */
    uint32_t spi = 0;
    e = ikh_esp_peek_spi(ikh_span_of(wire1, len1), &spi);
    if (e != IKH_OK || spi != rx.spi) {
        rc = e != IKH_OK ? fail(s->name, "ikh_esp_peek_spi", e)
                         : mismatch(s->name, "SPI on the wire differs");
        goto out;
    }
    e = ikh_esp_sa_decap(&rx, wire1, len1, &payload, &nh);
    if (e != IKH_OK) {
        rc = fail(s->name, "ikh_esp_sa_decap", e);
        goto out;
    }
    if (nh != IKH_ESP_NH_IPV4 || payload.len != sizeof inner ||
        memcmp(payload.p, inner, sizeof inner) != 0) {
        rc = mismatch(s->name, "decapsulated packet differs from the input");
        goto out;
    }
    printf("  decap     OK: %zu octets, next header %u, seq %" PRIu64 "\n",
           payload.len, (unsigned)nh, rx.replay.top);

    /* 4. The same packet again: the window has seen its sequence number. */
    e = ikh_esp_sa_decap(&rx, again, len1, &payload, &nh);
    if (e != IKH_ERR_ESP_REPLAYED) {
        rc = e == IKH_OK ? mismatch(s->name, "a replayed packet was accepted")
                         : fail(s->name, "replay: wrong error", e);
        goto out;
    }
    printf("  replay    rejected: %s\n", ikh_err_name(e));

    /* 5. A second packet with one bit flipped in its last octet (the ICV):
     * CRYPTO_ICV, counted, and the window does not move... */
    e = encap(&tx, &rnd, wire2, &len2);
    if (e != IKH_OK) {
        rc = fail(s->name, "ikh_esp_sa_encap (2)", e);
        goto out;
    }
    memcpy(good2, wire2, len2);
    wire2[len2 - 1] ^= 0x01;
    e = ikh_esp_sa_decap(&rx, wire2, len2, &payload, &nh);
    if (e != IKH_ERR_CRYPTO_ICV || rx.counters.icv_failures != 1) {
        rc = e == IKH_OK ? mismatch(s->name, "a forged packet was accepted")
                         : fail(s->name, "forgery: wrong error", e);
        goto out;
    }
    printf("  forged    rejected: %s\n", ikh_err_name(e));
    /* ...so the genuine packet with that sequence number still gets in. */
    e = ikh_esp_sa_decap(&rx, good2, len2, &payload, &nh);
    if (e != IKH_OK || payload.len != sizeof inner ||
        memcmp(payload.p, inner, sizeof inner) != 0) {
        rc = e != IKH_OK ? fail(s->name, "genuine packet after forgery", e)
                         : mismatch(s->name, "second packet differs");
        goto out;
    }
    if (rx.counters.packets != 2 || rx.counters.replayed != 1 ||
        tx.counters.packets != 2) {
        rc = mismatch(s->name, "counters do not add up");
        goto out;
    }
    printf("  genuine   accepted after the forgery: seq %" PRIu64 "\n",
           rx.replay.top);
    rc = 0;
out:
    /* Wipe the keys (and key schedules) of both SAs on every path. */
    ikh_esp_sa_fini(&tx);
    ikh_esp_sa_fini(&rx);
    return rc;
}

int main(void)
{
    const suite suites[] = {
        {"AES-GCM-16-256", IKH_ENCR_AES_GCM_16, 256, 0,
         ikh_span_of(gcm_key, sizeof gcm_key), ikh_span_of(NULL, 0)},
        {"AES-CBC-128 + HMAC-SHA2-256-128", IKH_ENCR_AES_CBC, 128,
         IKH_INTEG_HMAC_SHA2_256_128, ikh_span_of(cbc_key, sizeof cbc_key),
         ikh_span_of(hmac_key, sizeof hmac_key)},
    };
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        if (run_suite(&suites[i]) != 0)
            return 1;
    printf("esp_roundtrip: OK\n");
    return 0;
}
