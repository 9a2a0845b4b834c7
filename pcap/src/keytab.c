/* SPDX-License-Identifier: MIT */
/*
 * Wireshark key tables (keytab.h): algorithm names as tshark 4.0 spells
 * them, and line/file writers for ikev2_decryption_table and esp_sa.
 */
#include <stdio.h>
#include <string.h>

#include "ikh/iana.h"
#include "ikh/keytab.h"
#include "ikh/pcap.h"

const char *ikh_keytab_ike_encr_name(uint16_t id, uint16_t key_bits)
{
    static const char *const cbc[] = {"AES-CBC-128 [RFC3602]",
                                      "AES-CBC-192 [RFC3602]",
                                      "AES-CBC-256 [RFC3602]"};
    static const char *const ctr[] = {"AES-CTR-128 [RFC5930]",
                                      "AES-CTR-192 [RFC5930]",
                                      "AES-CTR-256 [RFC5930]"};
    /* [icv 8, 12, 16][bits 128, 192, 256] */
    static const char *const gcm[3][3] = {
        {"AES-GCM-128 with 8 octet ICV [RFC5282]",
         "AES-GCM-192 with 8 octet ICV [RFC5282]",
         "AES-GCM-256 with 8 octet ICV [RFC5282]"},
        {"AES-GCM-128 with 12 octet ICV [RFC5282]",
         "AES-GCM-192 with 12 octet ICV [RFC5282]",
         "AES-GCM-256 with 12 octet ICV [RFC5282]"},
        {"AES-GCM-128 with 16 octet ICV [RFC5282]",
         "AES-GCM-192 with 16 octet ICV [RFC5282]",
         "AES-GCM-256 with 16 octet ICV [RFC5282]"}};
    static const char *const ccm[3][3] = {
        {"AES-CCM-128 with 8 octet ICV [RFC5282]",
         "AES-CCM-192 with 8 octet ICV [RFC5282]",
         "AES-CCM-256 with 8 octet ICV [RFC5282]"},
        {"AES-CCM-128 with 12 octet ICV [RFC5282]",
         "AES-CCM-192 with 12 octet ICV [RFC5282]",
         "AES-CCM-256 with 12 octet ICV [RFC5282]"},
        {"AES-CCM-128 with 16 octet ICV [RFC5282]",
         "AES-CCM-192 with 16 octet ICV [RFC5282]",
         "AES-CCM-256 with 16 octet ICV [RFC5282]"}};
    int k = key_bits == 128   ? 0
            : key_bits == 192 ? 1
            : key_bits == 256 ? 2
                              : -1;
    switch (id) {
    case IKH_ENCR_3DES:
        return "3DES [RFC2451]";
    case IKH_ENCR_NULL:
        return "NULL [RFC2410]";
    case IKH_ENCR_AES_CBC:
        return k < 0 ? NULL : cbc[k];
    case IKH_ENCR_AES_CTR:
        return k < 0 ? NULL : ctr[k];
    case IKH_ENCR_AES_GCM_8:
    case IKH_ENCR_AES_GCM_12:
    case IKH_ENCR_AES_GCM_16:
        return k < 0 ? NULL : gcm[id - IKH_ENCR_AES_GCM_8][k];
    case IKH_ENCR_AES_CCM_8:
    case IKH_ENCR_AES_CCM_12:
    case IKH_ENCR_AES_CCM_16:
        return k < 0 ? NULL : ccm[id - IKH_ENCR_AES_CCM_8][k];
    default:
        return NULL;
    }
}

const char *ikh_keytab_ike_integ_name(uint16_t id)
{
    switch (id) {
    case IKH_INTEG_NONE:
        return "NONE [RFC4306]";
    case IKH_INTEG_HMAC_MD5_96:
        return "HMAC_MD5_96 [RFC2403]";
    case IKH_INTEG_HMAC_SHA1_96:
        return "HMAC_SHA1_96 [RFC2404]";
    case IKH_INTEG_HMAC_MD5_128:
        return "HMAC_MD5_128 [RFC4595]";
    case IKH_INTEG_HMAC_SHA1_160:
        return "HMAC_SHA1_160 [RFC4595]";
    case IKH_INTEG_HMAC_SHA2_256_128:
        return "HMAC_SHA2_256_128 [RFC4868]";
    case IKH_INTEG_HMAC_SHA2_384_192:
        return "HMAC_SHA2_384_192 [RFC4868]";
    case IKH_INTEG_HMAC_SHA2_512_256:
        return "HMAC_SHA2_512_256 [RFC4868]";
    default:
        return NULL;
    }
}

const char *ikh_keytab_esp_encr_name(uint16_t id)
{
    switch (id) {
    case IKH_ENCR_NULL:
        return "NULL";
    case IKH_ENCR_3DES:
        return "TripleDES-CBC [RFC2451]";
    case IKH_ENCR_AES_CBC:
        return "AES-CBC [RFC3602]";
    case IKH_ENCR_AES_CTR:
        return "AES-CTR [RFC3686]";
    case IKH_ENCR_AES_GCM_8:
        return "AES-GCM with 8 octet ICV [RFC4106]";
    case IKH_ENCR_AES_GCM_12:
        return "AES-GCM with 12 octet ICV [RFC4106]";
    case IKH_ENCR_AES_GCM_16:
        return "AES-GCM with 16 octet ICV [RFC4106]";
    default:
        return NULL;
    }
}

const char *ikh_keytab_esp_integ_name(uint16_t id)
{
    switch (id) {
    case IKH_INTEG_NONE:
        return "NULL";
    case IKH_INTEG_HMAC_MD5_96:
        return "HMAC-MD5-96 [RFC2403]";
    case IKH_INTEG_HMAC_SHA1_96:
        return "HMAC-SHA-1-96 [RFC2404]";
    case IKH_INTEG_HMAC_SHA2_256_128:
        return "HMAC-SHA-256-128 [RFC4868]";
    case IKH_INTEG_HMAC_SHA2_384_192:
        return "HMAC-SHA-384-192 [RFC4868]";
    case IKH_INTEG_HMAC_SHA2_512_256:
        return "HMAC-SHA-512-256 [RFC4868]";
    default:
        return NULL;
    }
}

/* Lowercase hex of s, NUL-terminated; out holds 2 * KEY_MAX + 1. */
static void kt_hex(ikh_span s, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < s.len; i++) {
        out[2 * i] = digits[s.p[i] >> 4];
        out[2 * i + 1] = digits[s.p[i] & 15];
    }
    out[2 * s.len] = '\0';
}

static bool kt_key_ok(ikh_span s)
{
    return s.len <= IKH_KEYTAB_KEY_MAX && (s.p != NULL || s.len == 0);
}

static ikh_err kt_done(int n, size_t cap, size_t *len)
{
    if (n < 0 || (size_t)n >= cap)
        return IKH_ERR_WIRE_NOBUF;
    if (len != NULL)
        *len = (size_t)n;
    return IKH_OK;
}

enum {
    KT_HEX = 2 * IKH_KEYTAB_KEY_MAX + 1
};

ikh_err ikh_keytab_ike_line(const ikh_keytab_ike *e, char *buf, size_t cap,
                            size_t *len)
{
    if (e == NULL || buf == NULL || cap == 0 || !kt_key_ok(e->sk_ei) ||
        !kt_key_ok(e->sk_er) || !kt_key_ok(e->sk_ai) || !kt_key_ok(e->sk_ar))
        return IKH_ERR_ARG_INVALID;
    const char *en = ikh_keytab_ike_encr_name(e->encr_id, e->encr_key_bits);
    const char *in = ikh_keytab_ike_integ_name(e->integ_id);
    if (en == NULL || in == NULL)
        return IKH_ERR_CRYPTO_UNSUPPORTED;
    char ei[KT_HEX], er[KT_HEX], ai[KT_HEX], ar[KT_HEX];
    kt_hex(e->sk_ei, ei);
    kt_hex(e->sk_er, er);
    kt_hex(e->sk_ai, ai);
    kt_hex(e->sk_ar, ar);
    int n = snprintf(buf, cap, "%016llx,%016llx,%s,%s,\"%s\",%s,%s,\"%s\"\n",
                     (unsigned long long)e->ispi, (unsigned long long)e->rspi,
                     ei, er, en, ai, ar, in);
    return kt_done(n, cap, len);
}

ikh_err ikh_keytab_esp_line(const ikh_keytab_esp *e, char *buf, size_t cap,
                            size_t *len)
{
    if (e == NULL || buf == NULL || cap == 0 || !kt_key_ok(e->encr_key) ||
        !kt_key_ok(e->integ_key) ||
        (e->src.family != 4 && e->src.family != 6) ||
        e->src.family != e->dst.family)
        return IKH_ERR_ARG_INVALID;
    const char *en = ikh_keytab_esp_encr_name(e->encr_id);
    const char *in = ikh_keytab_esp_integ_name(e->integ_id);
    if (en == NULL || in == NULL)
        return IKH_ERR_CRYPTO_UNSUPPORTED;
    char src[64], dst[64], ek[KT_HEX], ak[KT_HEX];
    ikh_addr_fmt(&e->src, src, sizeof src);
    ikh_addr_fmt(&e->dst, dst, sizeof dst);
    kt_hex(e->encr_key, ek);
    kt_hex(e->integ_key, ak);
    int n = snprintf(buf, cap,
                     "\"%s\",\"%s\",\"%s\",\"0x%08lx\",\"%s\",\"0x%s\","
                     "\"%s\",\"%s%s\"\n",
                     e->src.family == 4 ? "IPv4" : "IPv6", src, dst,
                     (unsigned long)e->spi, en, ek, in,
                     e->integ_key.len > 0 ? "0x" : "", ak);
    return kt_done(n, cap, len);
}

/* Format every line first (no partial table on a bad entry), then write. */
static ikh_err kt_write(const char *path, const void *entries, size_t n,
                        size_t stride, bool ike)
{
    if (path == NULL || (entries == NULL && n > 0))
        return IKH_ERR_ARG_INVALID;
    char line[IKH_KEYTAB_LINE_MAX];
    for (size_t i = 0; i < n; i++) {
        const void *e = (const char *)entries + i * stride;
        IKH_TRY(ike ? ikh_keytab_ike_line(e, line, sizeof line, NULL)
                    : ikh_keytab_esp_line(e, line, sizeof line, NULL));
    }
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return IKH_ERR_IO_OPEN;
    ikh_err err = IKH_OK;
    for (size_t i = 0; i < n && err == IKH_OK; i++) {
        const void *e = (const char *)entries + i * stride;
        size_t len = 0;
        err = ike ? ikh_keytab_ike_line(e, line, sizeof line, &len)
                  : ikh_keytab_esp_line(e, line, sizeof line, &len);
        if (err == IKH_OK && fwrite(line, 1, len, f) != len)
            err = IKH_ERR_IO_WRITE;
    }
    if (fclose(f) != 0 && err == IKH_OK)
        err = IKH_ERR_IO_WRITE;
    return err;
}

ikh_err ikh_keytab_ike_write(const char *path, const ikh_keytab_ike *e,
                             size_t n)
{
    return kt_write(path, e, n, sizeof *e, true);
}

ikh_err ikh_keytab_esp_write(const char *path, const ikh_keytab_esp *e,
                             size_t n)
{
    return kt_write(path, e, n, sizeof *e, false);
}
