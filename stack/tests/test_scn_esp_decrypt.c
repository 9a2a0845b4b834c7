/* SPDX-License-Identifier: MIT */
/*
 * The ESP packets of a scenario decrypt with the keys the key-table hook
 * reports, through SAs keyed independently of the nodes: the check for
 * suites tshark 4.0 cannot decrypt (ChaCha20-Poly1305, RFC 7634), and for
 * AES-GCM as a control. Every ESP datagram the simulator carries is
 * captured from its tap and decapsulated by a fresh inbound ikh_esp_sa per
 * SPI; all must verify, carry the inner IPv4 packets, and a changed key
 * must make them fail.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "ikh/esp.h"
#include "ikh/iana.h"
#include "ikh/scenario.h"

#define MAX_PKTS 512
#define MAX_KEYS 16

typedef struct capture {
    size_t n;
    uint8_t data[MAX_PKTS][512];
    size_t len[MAX_PKTS];
    size_t n_keys;
    ikh_child_keyinfo keys[MAX_KEYS];
    uint8_t ek[MAX_KEYS][64], ik[MAX_KEYS][64];
} capture;

static void tap(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                ikh_time_ms t)
{
    capture *c = user;
    (void)t;
    if (kind != IKH_SIM_TAP_SENT || !dg->esp || dg->data.len <= 1)
        return;
    assert_true(c->n < MAX_PKTS && dg->data.len <= sizeof c->data[0]);
    memcpy(c->data[c->n], dg->data.p, dg->data.len);
    c->len[c->n++] = dg->data.len;
}

static void child_keys(void *user, const ikh_child_keyinfo *k)
{
    capture *c = user;
    for (size_t i = 0; i < c->n_keys; i++)
        if (c->keys[i].spi == k->spi)
            return; /* both peers report each direction */
    assert_true(c->n_keys < MAX_KEYS);
    size_t i = c->n_keys++;
    c->keys[i] = *k;
    memcpy(c->ek[i], k->encr_key.p, k->encr_key.len);
    memcpy(c->ik[i], k->integ_key.p, k->integ_key.len);
    c->keys[i].encr_key = ikh_span_of(c->ek[i], k->encr_key.len);
    c->keys[i].integ_key = ikh_span_of(c->ik[i], k->integ_key.len);
}

static const char scenario[] =
    "name: own-decrypt\n"
    "duration: 10s\n"
    "peers:\n"
    "  a:\n"
    "    address: 192.0.2.1\n"
    "    remote: b\n"
    "    proposals: [chacha20poly1305-prfsha256-curve25519]\n"
    "    auth: {method: psk, psk: own}\n"
    "    children:\n"
    "      - {name: c, proposals: [SUITE], local_ts: [10.1.0.0/16],"
    " remote_ts: [10.2.0.0/16]}\n"
    "  b:\n"
    "    address: 192.0.2.2\n"
    "    remote: a\n"
    "    proposals: [chacha20poly1305-prfsha256-curve25519]\n"
    "    auth: {method: psk, psk: own}\n"
    "    children:\n"
    "      - {name: c, proposals: [SUITE], local_ts: [10.2.0.0/16],"
    " remote_ts: [10.1.0.0/16]}\n"
    "timeline:\n"
    "  - {at: 0s, do: initiate, peer: a}\n"
    "  - {at: 1s, do: traffic, peer: a, from: 10.1.0.1, to: 10.2.0.1,"
    " count: 40, size: 300}\n"
    "expect:\n"
    "  - {peer: a, metric: {name: ikh_esp_packets_decrypted_total,"
    " value: 40}}\n";

/* Run the scenario with @p suite; decapsulate every captured packet. */
static void own_decrypt(const char *suite, bool esn)
{
    /* the scenario with every SUITE replaced by @p suite */
    char text[sizeof scenario + 64];
    size_t o = 0;
    for (const char *q = scenario; *q != '\0';) {
        if (strncmp(q, "SUITE", 5) == 0) {
            o += (size_t)snprintf(text + o, sizeof text - o, "%s", suite);
            q += 5;
        } else {
            text[o++] = *q++;
        }
    }
    text[o] = '\0';
    ikh_scenario *s = malloc(sizeof *s);
    ikh_scn_result *r = malloc(sizeof *r);
    capture *c = calloc(1, sizeof *c);
    ikh_scn_diag d;
    if (ikh_scn_parse(text, strlen(text), s, &d) != IKH_OK)
        fail_msg("scenario: %s", d.msg);
    ikh_scn_hooks h;
    memset(&h, 0, sizeof h);
    h.tap = tap;
    h.tap_user = c;
    h.keys.child = child_keys;
    h.keys.user = c;
    assert_ikh_ok(ikh_scn_run(s, 1, NULL, &h, NULL, r));
    assert_true(r->pass);
    assert_int_equal(c->n, 80); /* 40 requests, 40 replies */
    assert_int_equal(c->n_keys, 2);
    for (int broken = 0; broken < 2; broken++) {
        ikh_esp_sa sa[MAX_KEYS];
        for (size_t i = 0; i < c->n_keys; i++) {
            const ikh_child_keyinfo *k = &c->keys[i];
            assert_int_equal(k->esn, esn);
            uint8_t key[64];
            memcpy(key, k->encr_key.p, k->encr_key.len);
            if (broken)
                key[0] ^= 1;
            ikh_esp_sa_config cfg;
            memset(&cfg, 0, sizeof cfg);
            cfg.spi = k->spi;
            cfg.encr = ikh_crypto_find(ikh_crypto_default_list(), IKH_XF_ENCR,
                                       k->encr, k->encr_bits);
            cfg.integ = k->integ ? ikh_crypto_find(ikh_crypto_default_list(),
                                                   IKH_XF_INTEG, k->integ, 0)
                                 : NULL;
            cfg.encr_key = ikh_span_of(key, k->encr_key.len);
            cfg.integ_key = k->integ_key;
            cfg.esn = k->esn;
            assert_ikh_ok(ikh_esp_sa_init(&sa[i], &cfg));
        }
        size_t ok = 0;
        for (size_t n = 0; n < c->n; n++) {
            uint32_t spi;
            assert_ikh_ok(
                ikh_esp_peek_spi(ikh_span_of(c->data[n], c->len[n]), &spi));
            size_t i = 0;
            while (i < c->n_keys && c->keys[i].spi != spi)
                i++;
            assert_true(i < c->n_keys);
            uint8_t pkt[512];
            memcpy(pkt, c->data[n], c->len[n]);
            ikh_span pl;
            uint8_t nh = 0;
            ikh_err e = ikh_esp_sa_decap(&sa[i], pkt, c->len[n], &pl, &nh);
            if (!broken) {
                assert_ikh_ok(e);
                assert_int_equal(nh, IKH_ESP_NH_IPV4);
                assert_int_equal(pl.len, 300);
                assert_int_equal(pl.p[0], 0x45);
                ok++;
            } else {
                assert_ikh_err(e, IKH_ERR_CRYPTO_ICV);
            }
        }
        if (!broken)
            assert_int_equal(ok, c->n);
        for (size_t i = 0; i < c->n_keys; i++)
            ikh_esp_sa_fini(&sa[i]);
    }
    free(s);
    free(r);
    free(c);
}

static void test_scn_esp_decrypt_chacha20(void **state)
{
    (void)state;
    own_decrypt("chacha20poly1305-esn", true);
}

static void test_scn_esp_decrypt_gcm_control(void **state)
{
    (void)state;
    own_decrypt("aes128gcm16", false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scn_esp_decrypt_chacha20),
        cmocka_unit_test(test_scn_esp_decrypt_gcm_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
