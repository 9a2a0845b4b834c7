/* SPDX-License-Identifier: MIT */
/*
 * Key input told by content (capdec.h, ikh_capdec_keys_parse_any()):
 * Wireshark tables written by keytab.c read back to the same SAs as
 * ike_keys.csv / esp_keys.csv, every error with its line and field, and
 * keys from a strongSwan charon log (ikh_capdec_keys_parse_charon()),
 * including its bad inputs (truncated hexdump, unknown algorithm, no keys)
 * and every prefix of a log (no crash, a specific code).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ikh/capdec.h"
#include "ikh/iana.h"
#include "ikh/keytab.h"

static uint8_t key_bytes[4][64];

static ikh_span key(int which, size_t len)
{
    for (size_t i = 0; i < sizeof key_bytes[0]; i++)
        key_bytes[which][i] = (uint8_t)(which * 64 + i + 1);
    return ikh_span_of(key_bytes[which], len);
}

/* A Wireshark line and our own line of the same IKE SA are the same SA:
 * loading both adds it once (ike_dup() compares transforms and keys). */
static void test_keyfmt_ws_ike_same_as_csv(void **state)
{
    (void)state;
    static const struct {
        uint16_t encr, bits, integ;
        size_t e_len, a_len;
    } sas[] = {
        {IKH_ENCR_AES_GCM_16, 256, 0, 36, 0},
        {IKH_ENCR_AES_GCM_8, 128, 0, 20, 0},
        {IKH_ENCR_AES_CBC, 128, IKH_INTEG_HMAC_SHA1_96, 16, 20},
        {IKH_ENCR_AES_CBC, 256, IKH_INTEG_HMAC_SHA2_384_192, 32, 48},
        {IKH_ENCR_AES_CTR, 192, IKH_INTEG_HMAC_SHA2_256_128, 28, 32},
    };
    for (size_t i = 0; i < sizeof sas / sizeof sas[0]; i++) {
        ikh_keytab_ike e = {
            .ispi = 0x1122334455667788ull + i,
            .rspi = 0x99aabbccddeeff00ull,
            .encr_id = sas[i].encr,
            .encr_key_bits = sas[i].bits,
            .integ_id = sas[i].integ,
            .sk_ei = key(0, sas[i].e_len),
            .sk_er = key(1, sas[i].e_len),
            .sk_ai = key(2, sas[i].a_len),
            .sk_ar = key(3, sas[i].a_len),
        };
        char ws[IKH_KEYTAB_LINE_MAX], csv[IKH_KEYTAB_LINE_MAX];
        assert_int_equal(ikh_keytab_ike_line(&e, ws, sizeof ws, NULL), IKH_OK);
        char h[4][200];
        for (int j = 0; j < 4; j++) {
            ikh_span s = j == 0   ? e.sk_ei
                         : j == 1 ? e.sk_er
                         : j == 2 ? e.sk_ai
                                  : e.sk_ar;
            for (size_t b = 0; b < s.len; b++)
                snprintf(h[j] + 2 * b, 3, "%02x", s.p[b]);
            h[j][2 * s.len] = '\0';
        }
        snprintf(csv, sizeof csv, "%016llx,%016llx,%s,%s,%u,%u,%s,%s,%u\n",
                 (unsigned long long)e.ispi, (unsigned long long)e.rspi, h[0],
                 h[1], e.encr_id, e.encr_key_bits, h[2], h[3], e.integ_id);
        ikh_capdec_keys *k = NULL;
        assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
        ikh_capdec_fmt f = IKH_CAPDEC_FMT_NONE;
        ikh_capdec_diag d;
        assert_int_equal(ikh_capdec_keys_parse_any(k, ws, strlen(ws), &f, &d),
                         IKH_OK);
        assert_int_equal(f, IKH_CAPDEC_FMT_WS_IKE);
        assert_int_equal(ikh_capdec_keys_parse_any(k, csv, strlen(csv), &f, &d),
                         IKH_OK);
        assert_int_equal(f, IKH_CAPDEC_FMT_IKE_CSV);
        size_t n_ike = 0;
        ikh_capdec_keys_count(k, &n_ike, NULL);
        assert_int_equal(n_ike, 1);
        /* other keys under the same SPIs: a duplicate */
        ws[40] = ws[40] == '0' ? '1' : '0';
        assert_int_equal(ikh_capdec_keys_parse_any(k, ws, strlen(ws), &f, &d),
                         IKH_ERR_KEYS_DUPLICATE);
        ikh_capdec_keys_free(k);
    }
}

static void test_keyfmt_ws_esp(void **state)
{
    (void)state;
    ikh_keytab_esp e = {
        .spi = 0x3017b417u,
        .encr_id = IKH_ENCR_AES_CBC,
        .integ_id = IKH_INTEG_HMAC_SHA1_96,
        .encr_key = key(0, 16),
        .integ_key = key(1, 20),
    };
    assert_int_equal(ikh_addr_parse("2001:db8::1", &e.src), IKH_OK);
    assert_int_equal(ikh_addr_parse("2001:db8::2", &e.dst), IKH_OK);
    char buf[2 * IKH_KEYTAB_LINE_MAX];
    size_t len = 0;
    assert_int_equal(ikh_keytab_esp_line(&e, buf, sizeof buf, &len), IKH_OK);
    e.spi++;
    e.encr_id = IKH_ENCR_AES_GCM_16;
    e.integ_id = 0;
    e.encr_key = key(2, 36);
    e.integ_key = ikh_span_of(NULL, 0);
    assert_int_equal(ikh_keytab_esp_line(&e, buf + len, sizeof buf - len, NULL),
                     IKH_OK);
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    ikh_capdec_fmt f = IKH_CAPDEC_FMT_NONE;
    assert_int_equal(ikh_capdec_keys_parse_any(k, buf, strlen(buf), &f, NULL),
                     IKH_OK);
    assert_int_equal(f, IKH_CAPDEC_FMT_WS_ESP);
    size_t n_esp = 0;
    ikh_capdec_keys_count(k, NULL, &n_esp);
    assert_int_equal(n_esp, 2);
    ikh_capdec_keys_free(k);
}

/* Every bad input: its code, line and field (the column as written). */
static void test_keyfmt_errors(void **state)
{
    (void)state;
    static const char gcm[] =
        "a99101cbdf644d5c,6b91c17a46c76caf,"
        "a5678e498d04a04e9f26f2993c57b248831e20d20267aeaa83c5f22d5b46c876e39d10"
        "ec,"
        "f866d2e696cc85d69cf71f97f1532363597461e29d0d35960dd80b0d71277fea55e7"
        "ed25,";
    char t[8][600];
    snprintf(t[0], sizeof t[0],
             "%s\"AES-GCM-256 with 16 octet ICV [RFC5282]\","
             ",,\"NONE [RFC4306]\"\n%s\"AES-GCM-999\",,,\"NONE [RFC4306]\"\n",
             gcm, gcm);
    snprintf(t[1], sizeof t[1],
             "%s\"AES-GCM-256 with 16 octet ICV [RFC5282]\","
             ",,\"HMAC_FOO [RFC0]\"\n",
             gcm);
    snprintf(t[2], sizeof t[2],
             "%s\"AES-GCM-128 with 16 octet ICV [RFC5282]\","
             ",,\"NONE [RFC4306]\"\n",
             gcm);
    snprintf(t[3], sizeof t[3],
             "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0x3017b417\",\"AES-GCM "
             "with 16 octet ICV [RFC4106]\",\"0x0011\",\"NULL\",\"\"\n");
    snprintf(t[4], sizeof t[4],
             "\"IPv6\",\"192.0.2.2\",\"192.0.2.1\",\"0x3017b417\",\"AES-CBC "
             "[RFC3602]\",\"0x00112233445566778899aabbccddeeff\",\"NULL\","
             "\"\"\n");
    snprintf(t[5], sizeof t[5], "# nothing\nhello, world\n");
    snprintf(t[6], sizeof t[6], "13:09:02 00[DMN] Starting IKE charon\n");
    snprintf(t[7], sizeof t[7], "\n# comments only\n\n");
    static const struct {
        ikh_err err;
        unsigned line, field;
    } want[] = {
        {IKH_ERR_KEYS_TRANSFORM, 2, 5}, {IKH_ERR_KEYS_TRANSFORM, 1, 8},
        {IKH_ERR_KEYS_KEY_LEN, 1, 3},   {IKH_ERR_KEYS_KEY_LEN, 1, 6},
        {IKH_ERR_KEYS_VALUE, 1, 1},     {IKH_ERR_KEYS_SYNTAX, 2, 0},
        {IKH_ERR_KEYS_SYNTAX, 1, 0},    {IKH_OK, 0, 0},
    };
    for (size_t i = 0; i < 8; i++) {
        ikh_capdec_keys *k = NULL;
        assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
        ikh_capdec_diag d;
        ikh_capdec_fmt f;
        ikh_err e = ikh_capdec_keys_parse_any(k, t[i], strlen(t[i]), &f, &d);
        if (e != want[i].err || d.line != want[i].line ||
            d.field != want[i].field)
            print_error("case %zu: %s line %u field %u: %s\n", i,
                        ikh_err_name(e), d.line, d.field, d.msg);
        assert_int_equal(e, want[i].err);
        assert_int_equal(d.line, want[i].line);
        assert_int_equal(d.field, want[i].field);
        size_t n_ike = 9, n_esp = 9;
        ikh_capdec_keys_count(k, &n_ike, &n_esp);
        assert_int_equal(n_ike + n_esp, 0); /* all or nothing */
        ikh_capdec_keys_free(k);
    }
}

/* A charon log cut to its key lines (responder: charon parsed the
 * IKE_AUTH request, so inbound uses the initiator's keys). */
static const char charon_log[] =
    "13:09:02 12[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No ]\n"
    "13:09:02 12[CFG] <1> selected proposal: "
    "IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_3072\n"
    "13:09:02 11[IKE] <1> Sk_d secret => 20 bytes @ 0x7f92\n"
    "13:09:02 11[IKE] <1>    0: 41 4B E8 97 65 1A 9E E5 BE F2 6B F7 C0 B3 00 "
    "86  AK..e.....k.....\n"
    "13:09:02 11[IKE] <1>   16: 45 DB AA 47                                   "
    "   E..G\n"
    "13:09:02 11[IKE] <1> Sk_ai secret => 20 bytes @ 0x7f92\n"
    "13:09:02 11[IKE] <1>    0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
    "10  ................\n"
    "13:09:02 11[IKE] <1>   16: 11 12 13 14                                   "
    "   ....\n"
    "13:09:02 11[IKE] <1> Sk_ar secret => 20 bytes @ 0x7f92\n"
    "13:09:02 11[IKE] <1>    0: 21 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
    "10  ................\n"
    "13:09:02 11[IKE] <1>   16: 11 12 13 14                                   "
    "   ....\n"
    "13:09:02 11[IKE] <1> Sk_ei secret => 16 bytes @ 0x7f92\n"
    "13:09:02 11[IKE] <1>    0: 31 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
    "10  ................\n"
    "13:09:02 11[IKE] <1> Sk_er secret => 16 bytes @ 0x7f92\n"
    "13:09:02 11[IKE] <1>    0: 41 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
    "10  ................\n"
    "13:09:02 11[ENC] <1> parsed IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]\n"
    "13:09:02 11[IKE] <ikh|1> octets = message + nonce + prf(Sk_px, IDx') => "
    "16 bytes @ 0x7f\n"
    "13:09:02 11[IKE] <ikh|1>    0: C8 23 5F 8E A2 22 4A 1C 00 00 00 00 00 00 "
    "00 00  .#_..\"J.........\n"
    "13:09:02 11[IKE] <ikh|1> octets = message + nonce + prf(Sk_px, IDx') => "
    "16 bytes @ 0x7f\n"
    "13:09:02 11[IKE] <ikh|1>    0: C8 23 5F 8E A2 22 4A 1C A4 0E 39 35 58 37 "
    "13 ED  .#_..\"J...95X7..\n"
    "13:09:02 11[CFG] <ikh|1> selected proposal: "
    "ESP:AES_GCM_16_256/NO_EXT_SEQ\n"
    "13:09:02 11[CHD] <ikh|1> encryption initiator key => 36 bytes @ 0x7f\n"
    "13:09:02 11[CHD] <ikh|1>    0: 51 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E "
    "0F 10  ................\n"
    "13:09:02 11[CHD] <ikh|1>   16: 11 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E "
    "0F 10  ................\n"
    "13:09:02 11[CHD] <ikh|1>   32: 21 02 03 04                               "
    "       ....\n"
    "13:09:02 11[CHD] <ikh|1> encryption responder key => 36 bytes @ 0x7f\n"
    "13:09:02 11[CHD] <ikh|1>    0: 61 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E "
    "0F 10  ................\n"
    "13:09:02 11[CHD] <ikh|1>   16: 11 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E "
    "0F 10  ................\n"
    "13:09:02 11[CHD] <ikh|1>   32: 21 02 03 04                               "
    "       ....\n"
    "13:09:02 11[CHD] <ikh|1> adding inbound ESP SA\n"
    "13:09:02 11[CHD] <ikh|1>   SPI 0x5dd02d8b, src 192.0.2.1 dst 192.0.2.2\n"
    "13:09:02 11[CHD] <ikh|1> adding outbound ESP SA\n"
    "13:09:02 11[CHD] <ikh|1>   SPI 0x3e4aadcf, src 192.0.2.2 dst 192.0.2.1\n";

static void test_keyfmt_charon(void **state)
{
    (void)state;
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    ikh_capdec_charon_stats st;
    ikh_capdec_diag d;
    ikh_err e = ikh_capdec_keys_parse_charon(k, charon_log,
                                             sizeof charon_log - 1, &st, &d);
    if (e != IKH_OK)
        print_error("line %u: %s\n", d.line, d.msg);
    assert_int_equal(e, IKH_OK);
    assert_int_equal(st.ike, 1);
    assert_int_equal(st.ike_unbound, 0);
    assert_int_equal(st.esp, 2);
    /* the same SA again from the same log: duplicates */
    assert_int_equal(ikh_capdec_keys_parse_charon(
                         k, charon_log, sizeof charon_log - 1, &st, &d),
                     IKH_OK);
    size_t n_ike = 0, n_esp = 0;
    ikh_capdec_keys_count(k, &n_ike, &n_esp);
    assert_int_equal(n_ike, 1);
    assert_int_equal(n_esp, 2);
    ikh_capdec_keys_free(k);
}

/* Bad logs: no keys (IKH_OK, nothing found: the CLI makes it exit 2),
 * a truncated hexdump (its line), an unknown algorithm (its line), and
 * every prefix of a good log (a code, never a crash). */
static void test_keyfmt_charon_bad(void **state)
{
    (void)state;
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    ikh_capdec_charon_stats st;
    ikh_capdec_diag d;
    static const char none[] = "13:09:02 00[DMN] Starting IKE charon\n";
    assert_int_equal(
        ikh_capdec_keys_parse_charon(k, none, sizeof none - 1, &st, &d),
        IKH_OK);
    assert_int_equal(st.ike + st.esp, 0);

    char buf[sizeof charon_log];
    memcpy(buf, charon_log, sizeof charon_log);
    /* drop line 5 (the second line of the Sk_d dump) */
    char *l5 = buf;
    for (int i = 0; i < 4; i++)
        l5 = strchr(l5, '\n') + 1;
    char *l6 = strchr(l5, '\n') + 1;
    memmove(l5, l6, strlen(l6) + 1);
    assert_int_equal(ikh_capdec_keys_parse_charon(k, buf, strlen(buf), &st, &d),
                     IKH_ERR_KEYS_SYNTAX);
    assert_int_equal(d.line, 3);

    memcpy(buf, charon_log, sizeof charon_log);
    memcpy(strstr(buf, "AES_CBC_128"), "AES_XYZ_128", 11);
    assert_int_equal(ikh_capdec_keys_parse_charon(k, buf, strlen(buf), &st, &d),
                     IKH_ERR_KEYS_TRANSFORM);
    assert_int_equal(d.line, 2);

    for (size_t n = 0; n < sizeof charon_log - 1; n++) {
        ikh_err e = ikh_capdec_keys_parse_charon(k, charon_log, n, &st, &d);
        assert_true(e == IKH_OK || e == IKH_ERR_KEYS_SYNTAX ||
                    e == IKH_ERR_KEYS_VALUE || e == IKH_ERR_KEYS_KEY_LEN ||
                    e == IKH_ERR_KEYS_TRANSFORM);
    }
    /* prefixes cut before the SPIs add unbound IKE SAs; ESP SAs once */
    size_t n_esp = 0;
    ikh_capdec_keys_count(k, NULL, &n_esp);
    assert_true(n_esp <= 2);
    ikh_capdec_keys_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfmt_ws_ike_same_as_csv),
        cmocka_unit_test(test_keyfmt_ws_esp),
        cmocka_unit_test(test_keyfmt_errors),
        cmocka_unit_test(test_keyfmt_charon),
        cmocka_unit_test(test_keyfmt_charon_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
