/* SPDX-License-Identifier: MIT */
/*
 * tshark decrypts our SK payloads: for every ENCR/INTEG pair of
 * ikh_crypto_default_list() that tshark 4.0 can decrypt, IKE messages
 * with an Encrypted payload built by RFC 7296 §3.14 (IV | encrypted(inner
 * payloads | padding | pad length) | ICV over the message up to the ICV;
 * AEAD per RFC 5282 with the IKE header and SK payload header as AAD) are
 * written with the tap, the keys with the ikev2_decryption_table writer
 * into a WIRESHARK_CONFIG_DIR, and tshark must decrypt each message with a
 * correct checksum and find the inner Notify. A message with a broken ICV
 * is the negative control. ChaCha20-Poly1305 (not in tshark 4.0) is
 * checked with our own decryption instead; AES-XCBC (not in tshark 4.0
 * either) is left out. The same for ESP through esp_sa: every ENCR/INTEG
 * pair tshark decrypts, checked down to the payload octets and the ICV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikh/bytes.h"
#include "ikh/crypto.h"
#include "ikh/iana.h"
#include "ikh/keytab.h"
#include "ikh/tap.h"
#include "pcap_test_util.h"

enum {
    MAX_SAS = 64,
    MSG_MAX = 512,
    NOTIFY_COOKIE = 16390,
    HDR_LEN = 28,
    SK_HDR_LEN = 4,
};

typedef struct sa_keys {
    const ikh_xform_desc *encr, *integ; /* integ NULL for AEAD */
    uint64_t ispi, rspi;
    uint8_t ke[2][64], ka[2][64]; /* [0] initiator, [1] responder */
} sa_keys;

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
}

/* Build one INFORMATIONAL message protected by sa in direction dir (0:
 * initiator request, 1: responder response) into out; returns its length.
 * The inner payload is a COOKIE Notify with n_data octets of data. */
static size_t build_msg(const sa_keys *sa, int dir, uint32_t mid, size_t n_data,
                        uint8_t *out)
{
    const ikh_encr_ops *e = sa->encr->encr;
    bool aead = e->icv_len > 0;
    size_t icv_len = aead ? e->icv_len : sa->integ->integ->icv_len;
    size_t inner = 8 + n_data;
    size_t blk = e->block_len > 0 ? e->block_len : 1;
    size_t pad = (blk - (inner + 1) % blk) % blk;
    size_t plain = inner + pad + 1;
    size_t sk_len = SK_HDR_LEN + e->iv_len + plain + icv_len;
    size_t total = HDR_LEN + sk_len;
    assert_true(total <= MSG_MAX);
    ikh_wr w = ikh_wr_init(out, MSG_MAX);
    ikh_wr_u64(&w, sa->ispi);
    ikh_wr_u64(&w, sa->rspi);
    ikh_wr_u8(&w, IKH_PL_SK);
    ikh_wr_u8(&w, 0x20);
    ikh_wr_u8(&w, IKH_EXCH_INFORMATIONAL);
    ikh_wr_u8(&w, dir == 0 ? 0x08 : 0x20);
    ikh_wr_u32(&w, mid);
    ikh_wr_u32(&w, (uint32_t)total);
    ikh_wr_u8(&w, IKH_PL_NOTIFY); /* SK: first inner payload */
    ikh_wr_u8(&w, 0);
    ikh_wr_u16(&w, (uint16_t)sk_len);
    uint8_t iv[16];
    fill(iv, e->iv_len, mid + 99u);
    ikh_wr_span(&w, ikh_span_of(iv, e->iv_len));
    size_t ct_at = ikh_wr_span_of(&w).len;
    ikh_wr_u8(&w, 0); /* Notify: last payload */
    ikh_wr_u8(&w, 0);
    ikh_wr_u16(&w, (uint16_t)inner);
    ikh_wr_u8(&w, 0); /* protocol */
    ikh_wr_u8(&w, 0); /* SPI size */
    ikh_wr_u16(&w, NOTIFY_COOKIE);
    uint8_t data[64];
    fill(data, n_data, mid);
    ikh_wr_span(&w, ikh_span_of(data, n_data));
    for (size_t i = 0; i < pad; i++)
        ikh_wr_u8(&w, (uint8_t)i);
    ikh_wr_u8(&w, (uint8_t)pad);
    uint8_t zero[32] = {0};
    ikh_wr_span(&w, ikh_span_of(zero, icv_len));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    assert_int_equal(ikh_wr_span_of(&w).len, total);

    ikh_crypto_ctx ctx;
    assert_int_equal(e->init(&ctx, sa->ke[dir]), IKH_OK);
    ikh_span aad = ikh_span_of(out, HDR_LEN + SK_HDR_LEN);
    uint8_t *icv = out + total - icv_len;
    assert_int_equal(
        e->encrypt(&ctx, iv, aad, out + ct_at, plain, aead ? icv : NULL),
        IKH_OK);
    if (!aead) {
        ikh_span part = ikh_span_of(out, total - icv_len);
        assert_int_equal(sa->integ->integ->mac(sa->ka[dir], &part, 1, icv),
                         IKH_OK);
    }
    ikh_wipe(&ctx, sizeof ctx);
    return total;
}

/* Our own check: decrypt in place and find the Notify (AEAD only). */
static void own_decrypt(const sa_keys *sa, int dir, uint8_t *msg, size_t len,
                        size_t n_data, uint32_t mid)
{
    const ikh_encr_ops *e = sa->encr->encr;
    size_t icv_len = e->icv_len;
    size_t ct_at = HDR_LEN + SK_HDR_LEN + e->iv_len;
    size_t ct_len = len - ct_at - icv_len;
    ikh_crypto_ctx ctx;
    assert_int_equal(e->init(&ctx, sa->ke[dir]), IKH_OK);
    ikh_span aad = ikh_span_of(msg, HDR_LEN + SK_HDR_LEN);
    uint8_t bad[MSG_MAX];
    memcpy(bad, msg, len);
    bad[len - 1] ^= 1;
    assert_int_equal(e->decrypt(&ctx, msg + HDR_LEN + SK_HDR_LEN, aad,
                                bad + ct_at, ct_len, bad + len - icv_len),
                     IKH_ERR_CRYPTO_ICV);
    assert_int_equal(e->decrypt(&ctx, msg + HDR_LEN + SK_HDR_LEN, aad,
                                msg + ct_at, ct_len, msg + len - icv_len),
                     IKH_OK);
    ikh_wipe(&ctx, sizeof ctx);
    ikh_rd rd = ikh_rd_init(msg + ct_at, ct_len);
    assert_int_equal(ikh_rd_u8(&rd), 0);
    (void)ikh_rd_u8(&rd);
    assert_int_equal(ikh_rd_u16(&rd), 8 + n_data);
    (void)ikh_rd_u16(&rd);
    assert_int_equal(ikh_rd_u16(&rd), NOTIFY_COOKIE);
    uint8_t data[64];
    fill(data, n_data, mid);
    assert_memory_equal(ikh_rd_bytes(&rd, n_data).p, data, n_data);
}

static bool tshark_can(const ikh_xform_desc *encr, const ikh_xform_desc *integ)
{
    return ikh_keytab_ike_encr_name(encr->id, encr->key_bits) != NULL &&
           (integ == NULL || ikh_keytab_ike_integ_name(integ->id) != NULL);
}

static void test_decrypt_every_pair(void **state)
{
    (void)state;
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    static sa_keys sas[MAX_SAS];
    size_t n_sas = 0, own_checked = 0;
    for (size_t i = 0; list[i] != NULL; i++) {
        const ikh_xform_desc *e = list[i];
        if (e->type != IKH_XF_ENCR || !e->ike)
            continue;
        for (size_t j = 0; e->encr->icv_len > 0 ? j < 1 : list[j] != NULL;
             j++) {
            const ikh_xform_desc *g = e->encr->icv_len > 0 ? NULL : list[j];
            if (g != NULL && (g->type != IKH_XF_INTEG || !g->ike))
                continue;
            assert_true(n_sas < MAX_SAS);
            sa_keys *sa = &sas[n_sas++];
            memset(sa, 0, sizeof *sa);
            sa->encr = e;
            sa->integ = g;
            sa->ispi = 0x1100000000000000u + n_sas;
            sa->rspi = 0x2200000000000000u + n_sas;
            for (int d = 0; d < 2; d++) {
                fill(sa->ke[d], sizeof sa->ke[d], (unsigned)(n_sas * 4 + d));
                fill(sa->ka[d], sizeof sa->ka[d],
                     (unsigned)(n_sas * 4 + 2 + d));
            }
        }
    }
    assert_true(n_sas >= 10);

    char dir[512], path[640], pcap[640];
    ptu_path(dir, sizeof dir, "decrypt-wsconf");
    mkdir(dir, 0755);
    ptu_path(pcap, sizeof pcap, "decrypt.pcap");
    ikh_tap *tap = NULL;
    assert_int_equal(ikh_tap_open(pcap, IKH_LINK_RAW, &tap), IKH_OK);
    static ikh_keytab_ike kt[MAX_SAS];
    size_t n_kt = 0, frames = 0;
    static char expect[MAX_SAS * 2 + 1][128];
    for (size_t s = 0; s < n_sas; s++) {
        sa_keys *sa = &sas[s];
        bool tshark = tshark_can(sa->encr, sa->integ);
        for (int d = 0; d < 2; d++) {
            uint8_t msg[MSG_MAX];
            uint32_t mid = (uint32_t)s;
            size_t n_data = (s + (size_t)d) % 13;
            size_t len = build_msg(sa, d, mid, n_data, msg);
            if (!tshark) {
                if (sa->integ == NULL) {
                    own_decrypt(sa, d, msg, len, n_data, mid);
                    own_checked++;
                }
                continue;
            }
            ikh_dgram dg = {0};
            dg.src = ptu_addr(d == 0 ? "192.0.2.1" : "192.0.2.2");
            dg.dst = ptu_addr(d == 0 ? "192.0.2.2" : "192.0.2.1");
            dg.sport = dg.dport = 500;
            dg.data = ikh_span_of(msg, len);
            assert_int_equal(ikh_tap_dgram(tap, 1000 + frames, &dg), IKH_OK);
            snprintf(expect[frames], sizeof expect[frames], "%zu\t%u\t%s",
                     frames + 1, NOTIFY_COOKIE, sa->encr->name);
            frames++;
        }
        if (!tshark)
            continue;
        ikh_keytab_ike *k = &kt[n_kt++];
        const ikh_encr_ops *eo = sa->encr->encr;
        k->ispi = sa->ispi;
        k->rspi = sa->rspi;
        k->encr_id = sa->encr->id;
        k->encr_key_bits = sa->encr->key_bits;
        k->integ_id = sa->integ != NULL ? sa->integ->id : IKH_INTEG_NONE;
        k->sk_ei = ikh_span_of(sa->ke[0], eo->key_len);
        k->sk_er = ikh_span_of(sa->ke[1], eo->key_len);
        size_t ak = sa->integ != NULL ? sa->integ->integ->key_len : 0;
        k->sk_ai = ikh_span_of(sa->ka[0], ak);
        k->sk_ar = ikh_span_of(sa->ka[1], ak);
    }
    /* Negative control: the first tshark SA again with a broken ICV. */
    {
        uint8_t msg[MSG_MAX];
        size_t s = 0;
        while (!tshark_can(sas[s].encr, sas[s].integ))
            s++;
        size_t len = build_msg(&sas[s], 0, (uint32_t)s, 3, msg);
        msg[len - 1] ^= 0x80;
        ikh_dgram dg = {0};
        dg.src = ptu_addr("192.0.2.1");
        dg.dst = ptu_addr("192.0.2.2");
        dg.sport = dg.dport = 500;
        dg.data = ikh_span_of(msg, len);
        assert_int_equal(ikh_tap_dgram(tap, 9999, &dg), IKH_OK);
    }
    assert_int_equal(ikh_tap_close(tap), IKH_OK);
    ptu_fmt(path, sizeof path, "%s/ikev2_decryption_table", dir);
    assert_int_equal(ikh_keytab_ike_write(path, kt, n_kt), IKH_OK);
    assert_true(own_checked >= 2); /* ChaCha20-Poly1305, both directions */

    /* Frames that decrypted with a correct ICV and show the Notify. */
    char cmd[2048];
    static char out[65536];
    ptu_check_quotable(dir);
    ptu_check_quotable(pcap);
    ptu_fmt(cmd, sizeof cmd,
            "WIRESHARK_CONFIG_DIR='%s' '%s' -n -r '%s' -Y "
            "'isakmp.enc.decrypted && !isakmp.ikev2.integrity_checksum && "
            "!_ws.expert.severity >= warning && !_ws.malformed' "
            "-T fields -E separator=/t -E occurrence=f -e frame.number "
            "-e isakmp.notify.msgtype 2>/dev/null",
            dir, ptu_tool("IKH_TSHARK", "tshark"), pcap);
    ptu_run(cmd, out, sizeof out);
    size_t n = 0;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), n++) {
        assert_true(n < frames);
        if (strncmp(line, expect[n], strlen(line)) != 0 ||
            expect[n][strlen(line)] != '\t')
            fail_msg("tshark line %zu '%s', want '%s'", n + 1, line, expect[n]);
    }
    if (n != frames)
        fail_msg("tshark decrypted %zu of %zu frames cleanly (next: %s)", n,
                 frames, n < frames ? expect[n] : "-");
    /* The broken ICV is reported. */
    ptu_fmt(
        cmd, sizeof cmd,
        "WIRESHARK_CONFIG_DIR='%s' '%s' -n -r '%s' -Y "
        "'isakmp.ikev2.integrity_checksum || _ws.expert.severity >= warning' "
        "-T fields -e frame.number 2>/dev/null",
        dir, ptu_tool("IKH_TSHARK", "tshark"), pcap);
    ptu_run(cmd, out, sizeof out);
    char want[32];
    snprintf(want, sizeof want, "%zu\n", frames + 1);
    assert_string_equal(out, want);
}

/* ---- ESP: esp_sa with every pair tshark 4.0 decrypts ---- */

enum {
    ESP_NH_NONE = 59
};

/* ESP packet (RFC 4303 §2): SPI | seq | IV | enc(payload | pad | pad len |
 * next header) | ICV; AEAD per RFC 4106 with SPI | seq as AAD. */
static size_t build_esp(const ikh_xform_desc *encr, const ikh_xform_desc *integ,
                        const uint8_t *ke, const uint8_t *ka, uint32_t spi,
                        size_t n_payload, uint8_t *out)
{
    const ikh_encr_ops *e = encr->encr;
    bool aead = e->icv_len > 0;
    size_t icv_len = aead ? e->icv_len : integ->integ->icv_len;
    size_t blk = e->block_len > 4 ? e->block_len : 4;
    size_t pad = (blk - (n_payload + 2) % blk) % blk;
    size_t plain = n_payload + pad + 2;
    size_t total = 8 + e->iv_len + plain + icv_len;
    assert_true(total <= MSG_MAX);
    ikh_wr w = ikh_wr_init(out, MSG_MAX);
    ikh_wr_u32(&w, spi);
    ikh_wr_u32(&w, 1);
    uint8_t iv[16], payload[64];
    fill(iv, e->iv_len, spi);
    ikh_wr_span(&w, ikh_span_of(iv, e->iv_len));
    fill(payload, n_payload, spi + 1);
    ikh_wr_span(&w, ikh_span_of(payload, n_payload));
    for (size_t i = 0; i < pad; i++)
        ikh_wr_u8(&w, (uint8_t)(i + 1));
    ikh_wr_u8(&w, (uint8_t)pad);
    ikh_wr_u8(&w, ESP_NH_NONE);
    uint8_t zero[32] = {0};
    ikh_wr_span(&w, ikh_span_of(zero, icv_len));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    ikh_crypto_ctx ctx;
    assert_int_equal(e->init(&ctx, ke), IKH_OK);
    uint8_t *icv = out + total - icv_len;
    assert_int_equal(e->encrypt(&ctx, iv, ikh_span_of(out, 8),
                                out + 8 + e->iv_len, plain, aead ? icv : NULL),
                     IKH_OK);
    ikh_wipe(&ctx, sizeof ctx);
    if (!aead) {
        ikh_span part = ikh_span_of(out, total - icv_len);
        assert_int_equal(integ->integ->mac(ka, &part, 1, icv), IKH_OK);
    }
    return total;
}

static void test_decrypt_esp_every_pair(void **state)
{
    (void)state;
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    char dir[512], path[640], pcap[640];
    ptu_path(dir, sizeof dir, "decrypt-esp-wsconf");
    mkdir(dir, 0755);
    ptu_path(pcap, sizeof pcap, "decrypt-esp.pcap");
    ikh_tap *tap = NULL;
    assert_int_equal(ikh_tap_open(pcap, IKH_LINK_RAW, &tap), IKH_OK);
    static ikh_keytab_esp kt[MAX_SAS];
    static char expect[MAX_SAS][96];
    static uint8_t ke[MAX_SAS][64], ka[MAX_SAS][64];
    size_t n = 0;
    for (size_t i = 0; list[i] != NULL; i++) {
        const ikh_xform_desc *e = list[i];
        if (e->type != IKH_XF_ENCR || !e->esp ||
            ikh_keytab_esp_encr_name(e->id) == NULL)
            continue;
        bool aead = e->encr->icv_len > 0;
        for (size_t j = 0; aead ? j < 1 : list[j] != NULL; j++) {
            const ikh_xform_desc *g = aead ? NULL : list[j];
            if (g != NULL && (g->type != IKH_XF_INTEG || !g->esp ||
                              ikh_keytab_esp_integ_name(g->id) == NULL))
                continue;
            assert_true(n < MAX_SAS);
            uint32_t spi = 0x5000u + (uint32_t)n;
            fill(ke[n], sizeof ke[n], (unsigned)n + 7u);
            fill(ka[n], sizeof ka[n], (unsigned)n + 11u);
            uint8_t pkt[MSG_MAX];
            size_t len = build_esp(e, g, ke[n], ka[n], spi, 5 + n % 11, pkt);
            ikh_dgram dg = {0};
            dg.src = ptu_addr("192.0.2.1");
            dg.dst = ptu_addr("192.0.2.2");
            dg.esp = true;
            dg.data = ikh_span_of(pkt, len);
            assert_int_equal(ikh_tap_dgram(tap, 1000 + n, &dg), IKH_OK);
            kt[n].src = dg.src;
            kt[n].dst = dg.dst;
            kt[n].spi = spi;
            kt[n].encr_id = e->id;
            kt[n].integ_id = g != NULL ? g->id : IKH_INTEG_NONE;
            kt[n].encr_key = ikh_span_of(ke[n], e->encr->key_len);
            kt[n].integ_key =
                ikh_span_of(ka[n], g != NULL ? g->integ->key_len : 0);
            uint8_t want[64];
            size_t n_pay = 5 + n % 11;
            fill(want, n_pay, spi + 1);
            int at = snprintf(expect[n], sizeof expect[n], "%zu\t", n + 1);
            for (size_t b = 0; b < n_pay; b++)
                at += snprintf(expect[n] + at, sizeof expect[n] - (size_t)at,
                               "%02x", want[b]);
            snprintf(expect[n] + at, sizeof expect[n] - (size_t)at, "\t1");
            n++;
        }
    }
    assert_true(n >= 10);
    assert_int_equal(ikh_tap_close(tap), IKH_OK);
    ptu_fmt(path, sizeof path, "%s/esp_sa", dir);
    assert_int_equal(ikh_keytab_esp_write(path, kt, n), IKH_OK);
    char cmd[2048];
    static char out[65536];
    ptu_check_quotable(dir);
    ptu_check_quotable(pcap);
    ptu_fmt(
        cmd, sizeof cmd,
        "WIRESHARK_CONFIG_DIR='%s' '%s' -n -r '%s' -o "
        "esp.enable_encryption_decode:TRUE -o "
        "esp.enable_authentication_check:TRUE -T fields -E separator=/t "
        "-E occurrence=f -e frame.number -e esp.contained_data -e esp.icv_good "
        "2>/dev/null",
        dir, ptu_tool("IKH_TSHARK", "tshark"), pcap);
    ptu_run(cmd, out, sizeof out);
    size_t k = 0;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), k++) {
        assert_true(k < n);
        if (strcmp(line, expect[k]) != 0)
            fail_msg("esp frame %zu: tshark said '%s', want '%s'", k + 1, line,
                     expect[k]);
    }
    assert_int_equal(k, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decrypt_every_pair),
        cmocka_unit_test(test_decrypt_esp_every_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
