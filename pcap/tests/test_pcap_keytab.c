/* SPDX-License-Identifier: MIT */
/*
 * Wireshark key tables (keytab.h): exact line formats, unsupported
 * transforms, short buffers, and every algorithm name with a key of the
 * right length loaded by the real tshark 4.0 (which refuses the table on
 * an unknown name or a wrong key length).
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

#include "ikh/iana.h"
#include "ikh/keytab.h"
#include "ikh/tap.h"
#include "pcap_test_util.h"

static uint8_t key[IKH_KEYTAB_KEY_MAX];

static void test_keytab_ike_line_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)i;
    ikh_keytab_ike e = {0};
    e.ispi = 0x0102030405060708u;
    e.rspi = 0xa1b2c3d4e5f60718u;
    e.encr_id = IKH_ENCR_AES_CBC;
    e.encr_key_bits = 128;
    e.integ_id = IKH_INTEG_HMAC_SHA1_96;
    e.sk_ei = ikh_span_of(key, 16);
    e.sk_er = ikh_span_of(key + 16, 16);
    e.sk_ai = ikh_span_of(key, 20);
    e.sk_ar = ikh_span_of(key + 20, 20);
    char buf[IKH_KEYTAB_LINE_MAX];
    size_t len = 0;
    assert_int_equal(ikh_keytab_ike_line(&e, buf, sizeof buf, &len), IKH_OK);
    const char *want =
        "0102030405060708,a1b2c3d4e5f60718,000102030405060708090a0b0c0d0e0f,"
        "101112131415161718191a1b1c1d1e1f,\"AES-CBC-128 [RFC3602]\","
        "000102030405060708090a0b0c0d0e0f10111213,"
        "1415161718191a1b1c1d1e1f2021222324252627,\"HMAC_SHA1_96 [RFC2404]\"\n";
    assert_string_equal(buf, want);
    assert_int_equal(len, strlen(want));
    assert_int_equal(ikh_keytab_ike_line(&e, buf, len, NULL),
                     IKH_ERR_WIRE_NOBUF);
    e.encr_id = IKH_ENCR_CHACHA20_POLY1305;
    e.encr_key_bits = 0;
    assert_int_equal(ikh_keytab_ike_line(&e, buf, sizeof buf, NULL),
                     IKH_ERR_CRYPTO_UNSUPPORTED);
    e.encr_id = IKH_ENCR_AES_CBC;
    e.encr_key_bits = 100;
    assert_int_equal(ikh_keytab_ike_line(&e, buf, sizeof buf, NULL),
                     IKH_ERR_CRYPTO_UNSUPPORTED);
    e.encr_key_bits = 256;
    e.integ_id = IKH_INTEG_AES_XCBC_96;
    assert_int_equal(ikh_keytab_ike_line(&e, buf, sizeof buf, NULL),
                     IKH_ERR_CRYPTO_UNSUPPORTED);
    assert_int_equal(ikh_keytab_ike_line(NULL, buf, sizeof buf, NULL),
                     IKH_ERR_ARG_INVALID);
}

static void test_keytab_esp_line_exact(void **state)
{
    (void)state;
    ikh_keytab_esp e = {0};
    e.src = ptu_addr("192.0.2.1");
    e.dst = ptu_addr("192.0.2.2");
    e.spi = 0xc0ffee01u;
    e.encr_id = IKH_ENCR_AES_GCM_16;
    e.encr_key = ikh_span_of(key, 20);
    char buf[IKH_KEYTAB_LINE_MAX];
    assert_int_equal(ikh_keytab_esp_line(&e, buf, sizeof buf, NULL), IKH_OK);
    assert_string_equal(
        buf, "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0xc0ffee01\","
             "\"AES-GCM with 16 octet ICV [RFC4106]\","
             "\"0x000102030405060708090a0b0c0d0e0f10111213\",\"NULL\",\"\"\n");
    e.src = ptu_addr("2001:db8::1");
    e.dst = ptu_addr("2001:db8::2");
    e.encr_id = IKH_ENCR_AES_CBC;
    e.encr_key = ikh_span_of(key, 16);
    e.integ_id = IKH_INTEG_HMAC_SHA2_256_128;
    e.integ_key = ikh_span_of(key, 32);
    assert_int_equal(ikh_keytab_esp_line(&e, buf, sizeof buf, NULL), IKH_OK);
    assert_string_equal(
        buf,
        "\"IPv6\",\"2001:db8::1\",\"2001:db8::2\",\"0xc0ffee01\","
        "\"AES-CBC [RFC3602]\",\"0x000102030405060708090a0b0c0d0e0f\","
        "\"HMAC-SHA-256-128 [RFC4868]\",\"0x000102030405060708090a0b0c0d0e0"
        "f101112131415161718191a1b1c1d1e1f\"\n");
    e.encr_id = IKH_ENCR_CHACHA20_POLY1305;
    assert_int_equal(ikh_keytab_esp_line(&e, buf, sizeof buf, NULL),
                     IKH_ERR_CRYPTO_UNSUPPORTED);
    e.encr_id = IKH_ENCR_AES_CBC;
    e.dst = ptu_addr("192.0.2.2");
    assert_int_equal(ikh_keytab_esp_line(&e, buf, sizeof buf, NULL),
                     IKH_ERR_ARG_INVALID);
}

/* Every IKE encryption name with tshark's key length (salt included). */
static const struct {
    uint16_t id, bits;
    size_t key_len;
} ike_encrs[] = {
    {IKH_ENCR_3DES, 0, 24},         {IKH_ENCR_NULL, 0, 0},
    {IKH_ENCR_AES_CBC, 128, 16},    {IKH_ENCR_AES_CBC, 192, 24},
    {IKH_ENCR_AES_CBC, 256, 32},    {IKH_ENCR_AES_CTR, 128, 20},
    {IKH_ENCR_AES_CTR, 192, 28},    {IKH_ENCR_AES_CTR, 256, 36},
    {IKH_ENCR_AES_GCM_8, 128, 20},  {IKH_ENCR_AES_GCM_8, 192, 28},
    {IKH_ENCR_AES_GCM_8, 256, 36},  {IKH_ENCR_AES_GCM_12, 128, 20},
    {IKH_ENCR_AES_GCM_12, 192, 28}, {IKH_ENCR_AES_GCM_12, 256, 36},
    {IKH_ENCR_AES_GCM_16, 128, 20}, {IKH_ENCR_AES_GCM_16, 192, 28},
    {IKH_ENCR_AES_GCM_16, 256, 36}, {IKH_ENCR_AES_CCM_8, 128, 19},
    {IKH_ENCR_AES_CCM_8, 192, 27},  {IKH_ENCR_AES_CCM_8, 256, 35},
    {IKH_ENCR_AES_CCM_12, 128, 19}, {IKH_ENCR_AES_CCM_12, 192, 27},
    {IKH_ENCR_AES_CCM_12, 256, 35}, {IKH_ENCR_AES_CCM_16, 128, 19},
    {IKH_ENCR_AES_CCM_16, 192, 27}, {IKH_ENCR_AES_CCM_16, 256, 35},
};
static const struct {
    uint16_t id;
    size_t key_len;
} ike_integs[] = {
    {IKH_INTEG_HMAC_MD5_96, 16},       {IKH_INTEG_HMAC_SHA1_96, 20},
    {IKH_INTEG_HMAC_MD5_128, 16},      {IKH_INTEG_HMAC_SHA1_160, 20},
    {IKH_INTEG_HMAC_SHA2_256_128, 32}, {IKH_INTEG_HMAC_SHA2_384_192, 48},
    {IKH_INTEG_HMAC_SHA2_512_256, 64}, {IKH_INTEG_NONE, 0},
};
static const uint16_t esp_encrs[] = {
    IKH_ENCR_NULL,       IKH_ENCR_3DES,      IKH_ENCR_AES_CBC,
    IKH_ENCR_AES_CTR,    IKH_ENCR_AES_GCM_8, IKH_ENCR_AES_GCM_12,
    IKH_ENCR_AES_GCM_16,
};
static const uint16_t esp_integs[] = {
    IKH_INTEG_NONE,
    IKH_INTEG_HMAC_MD5_96,
    IKH_INTEG_HMAC_SHA1_96,
    IKH_INTEG_HMAC_SHA2_256_128,
    IKH_INTEG_HMAC_SHA2_384_192,
    IKH_INTEG_HMAC_SHA2_512_256,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_keytab_every_name_loads_in_tshark(void **state)
{
    (void)state;
    char dir[512], path[600], pcap[600];
    ptu_path(dir, sizeof dir, "keytab-wsconf");
    mkdir(dir, 0755);
    ikh_keytab_ike ike[N(ike_encrs) + N(ike_integs)];
    memset(ike, 0, sizeof ike);
    size_t n = 0;
    for (size_t i = 0; i < N(ike_encrs); i++, n++) {
        bool aead = ike_encrs[i].id >= IKH_ENCR_AES_CCM_8;
        ike[n].ispi = 0x1000 + n;
        ike[n].rspi = 0x2000 + n;
        ike[n].encr_id = ike_encrs[i].id;
        ike[n].encr_key_bits = ike_encrs[i].bits;
        ike[n].integ_id = aead ? IKH_INTEG_NONE : IKH_INTEG_HMAC_SHA2_256_128;
        ike[n].sk_ei = ike[n].sk_er = ikh_span_of(key, ike_encrs[i].key_len);
        ike[n].sk_ai = ike[n].sk_ar = ikh_span_of(key, aead ? 0 : 32);
    }
    for (size_t i = 0; i < N(ike_integs); i++, n++) {
        ike[n].ispi = 0x1000 + n;
        ike[n].rspi = 0x2000 + n;
        ike[n].encr_id = IKH_ENCR_AES_CBC;
        ike[n].encr_key_bits = 128;
        ike[n].integ_id = ike_integs[i].id;
        ike[n].sk_ei = ike[n].sk_er = ikh_span_of(key, 16);
        ike[n].sk_ai = ike[n].sk_ar = ikh_span_of(key, ike_integs[i].key_len);
    }
    ptu_fmt(path, sizeof path, "%s/ikev2_decryption_table", dir);
    assert_int_equal(ikh_keytab_ike_write(path, ike, n), IKH_OK);

    ikh_keytab_esp esp[N(esp_encrs) + N(esp_integs)];
    memset(esp, 0, sizeof esp);
    n = 0;
    for (size_t i = 0; i < N(esp_encrs) + N(esp_integs); i++, n++) {
        esp[n].src = ptu_addr("192.0.2.1");
        esp[n].dst = ptu_addr("192.0.2.2");
        esp[n].spi = 0x100 + (uint32_t)n;
        if (i < N(esp_encrs)) {
            esp[n].encr_id = esp_encrs[i];
            esp[n].encr_key = ikh_span_of(key, 20);
        } else {
            esp[n].encr_id = IKH_ENCR_AES_CBC;
            esp[n].encr_key = ikh_span_of(key, 16);
            esp[n].integ_id = esp_integs[i - N(esp_encrs)];
            esp[n].integ_key = ikh_span_of(key, 32);
        }
    }
    ptu_fmt(path, sizeof path, "%s/esp_sa", dir);
    assert_int_equal(ikh_keytab_esp_write(path, esp, n), IKH_OK);

    /* Any capture will do: the tables are loaded before it is read. */
    ptu_path(pcap, sizeof pcap, "keytab.pcap");
    ikh_tap *t = NULL;
    assert_int_equal(ikh_tap_open(pcap, IKH_LINK_RAW, &t), IKH_OK);
    uint8_t msg[PTU_IKE_LEN];
    ptu_ike(msg, 34, 0);
    ikh_dgram dg = {0};
    dg.src = ptu_addr("192.0.2.1");
    dg.dst = ptu_addr("192.0.2.2");
    dg.sport = dg.dport = 500;
    dg.data = ikh_span_of(msg, sizeof msg);
    assert_int_equal(ikh_tap_dgram(t, 0, &dg), IKH_OK);
    assert_int_equal(ikh_tap_close(t), IKH_OK);

    char cmd[2048];
    static char out[8192];
    ptu_check_quotable(dir);
    ptu_fmt(cmd, sizeof cmd,
            "WIRESHARK_CONFIG_DIR='%s' '%s' -n -o "
            "esp.enable_encryption_decode:TRUE -r '%s' 2>&1 >/dev/null "
            "| grep -i error; true",
            dir, ptu_tool("IKH_TSHARK", "tshark"), pcap);
    ptu_run(cmd, out, sizeof out);
    if (out[0] != '\0')
        fail_msg("tshark refused a key table: %s", out);
}

static void test_keytab_write_errors(void **state)
{
    (void)state;
    ikh_keytab_ike e = {0};
    e.encr_id = IKH_ENCR_CHACHA20_POLY1305;
    char path[512];
    ptu_path(path, sizeof path, "keytab-bad");
    assert_int_equal(ikh_keytab_ike_write(path, &e, 1),
                     IKH_ERR_CRYPTO_UNSUPPORTED);
    assert_int_equal(ikh_keytab_ike_write("/nonexistent-dir/t", NULL, 0),
                     IKH_ERR_IO_OPEN);
    assert_int_equal(ikh_keytab_esp_write(NULL, NULL, 0), IKH_ERR_ARG_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keytab_ike_line_exact),
        cmocka_unit_test(test_keytab_esp_line_exact),
        cmocka_unit_test(test_keytab_every_name_loads_in_tshark),
        cmocka_unit_test(test_keytab_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
