/* SPDX-License-Identifier: MIT */
/*
 * Tests for the IANA name tables (ikh/names.h, wire/names.c): every table
 * sorted with unique values and names, a forward/reverse round trip for
 * every entry, spot checks against values printed in the RFCs, every
 * ikh/iana.h constant against its name, pinned table sizes, the
 * "UNKNOWN_<v>" fallback and the transform-ID dispatch (ADDKE1-7 too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ikh/iana.h"
#include "ikh/names.h"

typedef struct name_case {
    ikh_name_table t;
    unsigned v;
    const char *name;
} name_case;

typedef struct value_case {
    ikh_name_table t;
    unsigned v;
} value_case;

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* True when s is a non-empty [A-Za-z0-9_] identifier (metric-label safe). */
static int is_ident(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

static void test_names_tables_sorted_unique(void **state)
{
    (void)state;
    for (int t = 0; t < IKH_NT__COUNT; t++) {
        size_t n = ikh_name_count((ikh_name_table)t);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            unsigned v = 0;
            const char *name = NULL;
            assert_int_equal(ikh_name_at((ikh_name_table)t, i, &v, &name), 1);
            assert_non_null(name);
            assert_true(name[0] != '\0');
            assert_true(v <= 0xffffu);
            if (t != IKH_NT_PAYLOAD_LONG && !is_ident(name))
                fail_msg("table %d: name \"%s\" is not an identifier", t, name);
            if (i > 0) {
                unsigned prev = 0;
                assert_int_equal(
                    ikh_name_at((ikh_name_table)t, i - 1, &prev, NULL), 1);
                if (prev >= v)
                    fail_msg("table %d: %u not after %u", t, v, prev);
            }
            for (size_t j = 0; j < i; j++) {
                const char *other = NULL;
                assert_int_equal(
                    ikh_name_at((ikh_name_table)t, j, NULL, &other), 1);
                if (strcmp(other, name) == 0)
                    fail_msg("table %d: name \"%s\" twice", t, name);
            }
        }
    }
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < IKH_NT__COUNT; t++) {
        size_t n = ikh_name_count((ikh_name_table)t);
        for (size_t i = 0; i < n; i++) {
            unsigned v = 0, back = 0xdeadu;
            const char *name = NULL;
            assert_int_equal(ikh_name_at((ikh_name_table)t, i, &v, &name), 1);
            assert_ptr_equal(ikh_name((ikh_name_table)t, v), name);
            assert_int_equal(ikh_name_lookup((ikh_name_table)t, name, &back),
                             1);
            assert_int_equal(back, v);
            char buf[IKH_NAME_BUF_LEN];
            assert_ptr_equal(ikh_name_or((ikh_name_table)t, v, buf, sizeof buf),
                             name);
        }
    }
}

/* Sizes pinned so that a dropped or duplicated row fails loudly. */
static void test_names_counts(void **state)
{
    static const struct {
        ikh_name_table t;
        size_t n;
    } want[] = {
        {IKH_NT_EXCH, 11},         {IKH_NT_PAYLOAD, 23},
        {IKH_NT_PAYLOAD_LONG, 23}, {IKH_NT_XFORM_TYPE, 14},
        {IKH_NT_ENCR, 32},         {IKH_NT_PRF, 9},
        {IKH_NT_INTEG, 15},        {IKH_NT_KE, 28},
        {IKH_NT_ESN, 2},           {IKH_NT_NOTIFY, 89},
        {IKH_NT_ID_TYPE, 9},       {IKH_NT_TS_TYPE, 4},
        {IKH_NT_AUTH_METHOD, 9},   {IKH_NT_CFG_TYPE, 4},
        {IKH_NT_CFG_ATTR, 26},     {IKH_NT_PROTO, 6},
        {IKH_NT_CERT_ENC, 14},     {IKH_NT_XATTR, 1},
        {IKH_NT_EAP_CODE, 6},
    };
    (void)state;
    assert_int_equal(LEN(want), IKH_NT__COUNT);
    for (size_t i = 0; i < LEN(want); i++) {
        assert_int_equal(want[i].t, i);
        if (ikh_name_count(want[i].t) != want[i].n)
            fail_msg("%s: %zu entries, want %zu",
                     ikh_name_table_name(want[i].t), ikh_name_count(want[i].t),
                     want[i].n);
    }
    /* the payload short and long tables cover the same values */
    for (size_t i = 0; i < ikh_name_count(IKH_NT_PAYLOAD); i++) {
        unsigned a = 0, b = 1;
        assert_int_equal(ikh_name_at(IKH_NT_PAYLOAD, i, &a, NULL), 1);
        assert_int_equal(ikh_name_at(IKH_NT_PAYLOAD_LONG, i, &b, NULL), 1);
        assert_int_equal(a, b);
    }
}

/* Values as printed in the RFCs (numbers written out, not via iana.h). */
static const name_case rfc_cases[] = {
    {IKH_NT_EXCH, 34, "IKE_SA_INIT"}, /* RFC 7296 §3.1 */
    {IKH_NT_EXCH, 35, "IKE_AUTH"},
    {IKH_NT_EXCH, 36, "CREATE_CHILD_SA"},
    {IKH_NT_EXCH, 37, "INFORMATIONAL"},
    {IKH_NT_EXCH, 38, "IKE_SESSION_RESUME"}, /* RFC 5723 */
    {IKH_NT_EXCH, 43, "IKE_INTERMEDIATE"},   /* RFC 9242 */
    {IKH_NT_EXCH, 44, "IKE_FOLLOWUP_KE"},    /* RFC 9370 */
    {IKH_NT_PAYLOAD, 33, "SA"},              /* RFC 7296 §3.2 */
    {IKH_NT_PAYLOAD, 40, "No"},
    {IKH_NT_PAYLOAD, 41, "N"},
    {IKH_NT_PAYLOAD, 46, "SK"},
    {IKH_NT_PAYLOAD, 53, "SKF"}, /* RFC 7383 */
    {IKH_NT_PAYLOAD, 54, "PS"},  /* RFC 8019 */
    {IKH_NT_PAYLOAD_LONG, 35, "Identification - Initiator"},
    {IKH_NT_PAYLOAD_LONG, 46, "Encrypted and Authenticated"},
    {IKH_NT_PAYLOAD_LONG, 53, "Encrypted and Authenticated Fragment"},
    {IKH_NT_XFORM_TYPE, 1, "ENCR"}, /* RFC 7296 §3.3.2 */
    {IKH_NT_XFORM_TYPE, 4, "KE"},
    {IKH_NT_XFORM_TYPE, 6, "ADDKE1"}, /* RFC 9370 */
    {IKH_NT_XFORM_TYPE, 12, "ADDKE7"},
    {IKH_NT_ENCR, 3, "ENCR_3DES"},
    {IKH_NT_ENCR, 12, "ENCR_AES_CBC"},
    {IKH_NT_ENCR, 20, "ENCR_AES_GCM_16"},        /* RFC 5282 */
    {IKH_NT_ENCR, 28, "ENCR_CHACHA20_POLY1305"}, /* RFC 7634 */
    {IKH_NT_PRF, 2, "PRF_HMAC_SHA1"},
    {IKH_NT_PRF, 4, "PRF_AES128_XCBC"},   /* RFC 4434 */
    {IKH_NT_PRF, 5, "PRF_HMAC_SHA2_256"}, /* RFC 4868 */
    {IKH_NT_INTEG, 0, "NONE"},
    {IKH_NT_INTEG, 2, "AUTH_HMAC_SHA1_96"},
    {IKH_NT_INTEG, 12, "AUTH_HMAC_SHA2_256_128"}, /* RFC 4868 */
    {IKH_NT_KE, 0, "NONE"},
    {IKH_NT_KE, 2, "MODP_1024"},
    {IKH_NT_KE, 14, "MODP_2048"},  /* RFC 3526 */
    {IKH_NT_KE, 19, "ECP_256"},    /* RFC 5903 */
    {IKH_NT_KE, 31, "CURVE25519"}, /* RFC 8031 */
    {IKH_NT_KE, 32, "CURVE448"},
    {IKH_NT_ESN, 0, "NO_ESN"},
    {IKH_NT_ESN, 1, "ESN"},
    {IKH_NT_NOTIFY, 1, "UNSUPPORTED_CRITICAL_PAYLOAD"}, /* RFC 7296 §3.10.1 */
    {IKH_NT_NOTIFY, 4, "INVALID_IKE_SPI"},
    {IKH_NT_NOTIFY, 14, "NO_PROPOSAL_CHOSEN"},
    {IKH_NT_NOTIFY, 17, "INVALID_KE_PAYLOAD"},
    {IKH_NT_NOTIFY, 24, "AUTHENTICATION_FAILED"},
    {IKH_NT_NOTIFY, 38, "TS_UNACCEPTABLE"},
    {IKH_NT_NOTIFY, 43, "TEMPORARY_FAILURE"},
    {IKH_NT_NOTIFY, 44, "CHILD_SA_NOT_FOUND"},
    {IKH_NT_NOTIFY, 16384, "INITIAL_CONTACT"},
    {IKH_NT_NOTIFY, 16388, "NAT_DETECTION_SOURCE_IP"},
    {IKH_NT_NOTIFY, 16389, "NAT_DETECTION_DESTINATION_IP"},
    {IKH_NT_NOTIFY, 16390, "COOKIE"},
    {IKH_NT_NOTIFY, 16393, "REKEY_SA"},
    {IKH_NT_NOTIFY, 16430, "IKEV2_FRAGMENTATION_SUPPORTED"},   /* RFC 7383 */
    {IKH_NT_NOTIFY, 16431, "SIGNATURE_HASH_ALGORITHMS"},       /* RFC 7427 */
    {IKH_NT_NOTIFY, 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED"}, /* 9242 */
    {IKH_NT_NOTIFY, 16441, "ADDITIONAL_KEY_EXCHANGE"},         /* RFC 9370 */
    {IKH_NT_ID_TYPE, 1, "ID_IPV4_ADDR"}, /* RFC 7296 §3.5 */
    {IKH_NT_ID_TYPE, 2, "ID_FQDN"},
    {IKH_NT_ID_TYPE, 11, "ID_KEY_ID"},
    {IKH_NT_ID_TYPE, 13, "ID_NULL"},           /* RFC 7619 */
    {IKH_NT_TS_TYPE, 7, "TS_IPV4_ADDR_RANGE"}, /* RFC 7296 §3.13.1 */
    {IKH_NT_TS_TYPE, 8, "TS_IPV6_ADDR_RANGE"},
    {IKH_NT_AUTH_METHOD, 1, "RSA_SIG"}, /* RFC 7296 §3.8 */
    {IKH_NT_AUTH_METHOD, 2, "SHARED_KEY_MIC"},
    {IKH_NT_AUTH_METHOD, 14, "DIGITAL_SIGNATURE"}, /* RFC 7427 */
    {IKH_NT_CFG_TYPE, 1, "CFG_REQUEST"},           /* RFC 7296 §3.15 */
    {IKH_NT_CFG_TYPE, 2, "CFG_REPLY"},
    {IKH_NT_CFG_ATTR, 1, "INTERNAL_IP4_ADDRESS"}, /* RFC 7296 §3.15.1 */
    {IKH_NT_CFG_ATTR, 3, "INTERNAL_IP4_DNS"},
    {IKH_NT_CFG_ATTR, 13, "INTERNAL_IP4_SUBNET"},
    {IKH_NT_CFG_ATTR, 15, "INTERNAL_IP6_SUBNET"},
    {IKH_NT_PROTO, 1, "IKE"}, /* RFC 7296 §3.3.1 */
    {IKH_NT_PROTO, 2, "AH"},
    {IKH_NT_PROTO, 3, "ESP"},
    {IKH_NT_CERT_ENC, 4, "X509_CERT_SIGNATURE"}, /* RFC 7296 §3.6 */
    {IKH_NT_CERT_ENC, 7, "CRL"},
    {IKH_NT_CERT_ENC, 12, "HASH_URL_X509_CERT"},
    {IKH_NT_CERT_ENC, 13, "HASH_URL_X509_BUNDLE"},
    {IKH_NT_CERT_ENC, 15, "RAW_PUBLIC_KEY"}, /* RFC 7670 */
    {IKH_NT_XATTR, 14, "KEY_LENGTH"},        /* RFC 7296 §3.3.5 */
    {IKH_NT_EAP_CODE, 1, "REQUEST"},         /* RFC 3748 §4 */
    {IKH_NT_EAP_CODE, 4, "FAILURE"},
    {IKH_NT_EAP_CODE, 5, "INITIATE"}, /* RFC 6696 */
};

static void check_cases(const name_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = ikh_name(c[i].t, c[i].v);
        if (!got || strcmp(got, c[i].name) != 0)
            fail_msg("%s %u: got \"%s\", want \"%s\"",
                     ikh_name_table_name(c[i].t), c[i].v, got ? got : "(null)",
                     c[i].name);
        unsigned back = 0;
        assert_int_equal(ikh_name_lookup(c[i].t, c[i].name, &back), 1);
        assert_int_equal(back, c[i].v);
    }
}

static void test_names_rfc_values(void **state)
{
    (void)state;
    check_cases(rfc_cases, LEN(rfc_cases));
}

/* Every ikh/iana.h constant has the matching name. */
#define EX(c)                                                                  \
    {                                                                          \
        IKH_NT_EXCH, IKH_EXCH_##c, #c                                          \
    }
#define XF(c)                                                                  \
    {                                                                          \
        IKH_NT_XFORM_TYPE, IKH_XF_##c, #c                                      \
    }
#define EN(c)                                                                  \
    {                                                                          \
        IKH_NT_ENCR, IKH_ENCR_##c, "ENCR_" #c                                  \
    }
#define PR(c)                                                                  \
    {                                                                          \
        IKH_NT_PRF, IKH_PRF_##c, "PRF_" #c                                     \
    }
#define IN(c)                                                                  \
    {                                                                          \
        IKH_NT_INTEG, IKH_INTEG_##c, "AUTH_" #c                                \
    }
#define NT(c)                                                                  \
    {                                                                          \
        IKH_NT_NOTIFY, IKH_N_##c, #c                                           \
    }
#define ID(c)                                                                  \
    {                                                                          \
        IKH_NT_ID_TYPE, IKH_ID_##c, "ID_" #c                                   \
    }
#define TS(c)                                                                  \
    {                                                                          \
        IKH_NT_TS_TYPE, IKH_TS_##c, "TS_" #c                                   \
    }
#define AU(c)                                                                  \
    {                                                                          \
        IKH_NT_AUTH_METHOD, IKH_AUTH_##c, #c                                   \
    }
#define CT(c)                                                                  \
    {                                                                          \
        IKH_NT_CFG_TYPE, IKH_CFG_##c, "CFG_" #c                                \
    }
#define CA(c)                                                                  \
    {                                                                          \
        IKH_NT_CFG_ATTR, IKH_CFG_##c, #c                                       \
    }
#define PO(c)                                                                  \
    {                                                                          \
        IKH_NT_PROTO, IKH_PROTO_##c, #c                                        \
    }
#define EA(c)                                                                  \
    {                                                                          \
        IKH_NT_EAP_CODE, IKH_EAP_##c, #c                                       \
    }

static const name_case iana_cases[] = {
    EX(IKE_SA_INIT),
    EX(IKE_AUTH),
    EX(CREATE_CHILD_SA),
    EX(INFORMATIONAL),
    EX(IKE_SESSION_RESUME),
    EX(GSA_AUTH),
    EX(GSA_REGISTRATION),
    EX(GSA_REKEY),
    EX(GSA_INBAND_REKEY),
    EX(IKE_INTERMEDIATE),
    EX(IKE_FOLLOWUP_KE),

    {IKH_NT_PAYLOAD, IKH_PL_NONE, "NONE"},
    {IKH_NT_PAYLOAD, IKH_PL_SA, "SA"},
    {IKH_NT_PAYLOAD, IKH_PL_KE, "KE"},
    {IKH_NT_PAYLOAD, IKH_PL_IDI, "IDi"},
    {IKH_NT_PAYLOAD, IKH_PL_IDR, "IDr"},
    {IKH_NT_PAYLOAD, IKH_PL_CERT, "CERT"},
    {IKH_NT_PAYLOAD, IKH_PL_CERTREQ, "CERTREQ"},
    {IKH_NT_PAYLOAD, IKH_PL_AUTH, "AUTH"},
    {IKH_NT_PAYLOAD, IKH_PL_NONCE, "No"},
    {IKH_NT_PAYLOAD, IKH_PL_NOTIFY, "N"},
    {IKH_NT_PAYLOAD, IKH_PL_DELETE, "D"},
    {IKH_NT_PAYLOAD, IKH_PL_VID, "V"},
    {IKH_NT_PAYLOAD, IKH_PL_TSI, "TSi"},
    {IKH_NT_PAYLOAD, IKH_PL_TSR, "TSr"},
    {IKH_NT_PAYLOAD, IKH_PL_SK, "SK"},
    {IKH_NT_PAYLOAD, IKH_PL_CP, "CP"},
    {IKH_NT_PAYLOAD, IKH_PL_EAP, "EAP"},
    {IKH_NT_PAYLOAD, IKH_PL_GSPM, "GSPM"},
    {IKH_NT_PAYLOAD, IKH_PL_IDG, "IDg"},
    {IKH_NT_PAYLOAD, IKH_PL_GSA, "GSA"},
    {IKH_NT_PAYLOAD, IKH_PL_KD, "KD"},
    {IKH_NT_PAYLOAD, IKH_PL_SKF, "SKF"},
    {IKH_NT_PAYLOAD, IKH_PL_PS, "PS"},

    PO(IKE),
    PO(AH),
    PO(ESP),
    PO(FC_ESP_HEADER),
    PO(FC_CT_AUTHENTICATION),
    PO(GIKE_UPDATE),

    XF(ENCR),
    XF(PRF),
    XF(INTEG),
    XF(KE),
    XF(ESN),
    XF(ADDKE1),
    XF(ADDKE2),
    XF(ADDKE3),
    XF(ADDKE4),
    XF(ADDKE5),
    XF(ADDKE6),
    XF(ADDKE7),
    XF(KWA),
    XF(GCAUTH),

    {IKH_NT_XATTR, IKH_XATTR_KEY_LENGTH, "KEY_LENGTH"},

    EN(DES_IV64),
    EN(DES),
    EN(3DES),
    EN(RC5),
    EN(IDEA),
    EN(CAST),
    EN(BLOWFISH),
    EN(3IDEA),
    EN(DES_IV32),
    EN(NULL),
    EN(AES_CBC),
    EN(AES_CTR),
    EN(AES_CCM_8),
    EN(AES_CCM_12),
    EN(AES_CCM_16),
    EN(AES_GCM_8),
    EN(AES_GCM_12),
    EN(AES_GCM_16),
    EN(NULL_AUTH_AES_GMAC),
    EN(CAMELLIA_CBC),
    EN(CAMELLIA_CTR),
    EN(CAMELLIA_CCM_8),
    EN(CAMELLIA_CCM_12),
    EN(CAMELLIA_CCM_16),
    EN(CHACHA20_POLY1305),
    EN(AES_CCM_8_IIV),
    EN(AES_GCM_16_IIV),
    EN(CHACHA20_POLY1305_IIV),
    EN(KUZNYECHIK_MGM_KTREE),
    EN(MAGMA_MGM_KTREE),
    EN(KUZNYECHIK_MGM_MAC_KTREE),
    EN(MAGMA_MGM_MAC_KTREE),

    PR(HMAC_MD5),
    PR(HMAC_SHA1),
    PR(HMAC_TIGER),
    PR(AES128_XCBC),
    PR(HMAC_SHA2_256),
    PR(HMAC_SHA2_384),
    PR(HMAC_SHA2_512),
    PR(AES128_CMAC),
    PR(HMAC_STREEBOG_512),

    {IKH_NT_INTEG, IKH_INTEG_NONE, "NONE"},
    IN(HMAC_MD5_96),
    IN(HMAC_SHA1_96),
    IN(DES_MAC),
    IN(KPDK_MD5),
    IN(AES_XCBC_96),
    IN(HMAC_MD5_128),
    IN(HMAC_SHA1_160),
    IN(AES_CMAC_96),
    IN(AES_128_GMAC),
    IN(AES_192_GMAC),
    IN(AES_256_GMAC),
    IN(HMAC_SHA2_256_128),
    IN(HMAC_SHA2_384_192),
    IN(HMAC_SHA2_512_256),

    {IKH_NT_KE, IKH_KE_NONE, "NONE"},
    {IKH_NT_KE, IKH_KE_MODP768, "MODP_768"},
    {IKH_NT_KE, IKH_KE_MODP1024, "MODP_1024"},
    {IKH_NT_KE, IKH_KE_MODP1536, "MODP_1536"},
    {IKH_NT_KE, IKH_KE_MODP2048, "MODP_2048"},
    {IKH_NT_KE, IKH_KE_MODP3072, "MODP_3072"},
    {IKH_NT_KE, IKH_KE_MODP4096, "MODP_4096"},
    {IKH_NT_KE, IKH_KE_MODP6144, "MODP_6144"},
    {IKH_NT_KE, IKH_KE_MODP8192, "MODP_8192"},
    {IKH_NT_KE, IKH_KE_ECP256, "ECP_256"},
    {IKH_NT_KE, IKH_KE_ECP384, "ECP_384"},
    {IKH_NT_KE, IKH_KE_ECP521, "ECP_521"},
    {IKH_NT_KE, IKH_KE_MODP1024_160, "MODP_1024_160"},
    {IKH_NT_KE, IKH_KE_MODP2048_224, "MODP_2048_224"},
    {IKH_NT_KE, IKH_KE_MODP2048_256, "MODP_2048_256"},
    {IKH_NT_KE, IKH_KE_ECP192, "ECP_192"},
    {IKH_NT_KE, IKH_KE_ECP224, "ECP_224"},
    {IKH_NT_KE, IKH_KE_BRAINPOOL_P224, "BRAINPOOL_P224"},
    {IKH_NT_KE, IKH_KE_BRAINPOOL_P256, "BRAINPOOL_P256"},
    {IKH_NT_KE, IKH_KE_BRAINPOOL_P384, "BRAINPOOL_P384"},
    {IKH_NT_KE, IKH_KE_BRAINPOOL_P512, "BRAINPOOL_P512"},
    {IKH_NT_KE, IKH_KE_CURVE25519, "CURVE25519"},
    {IKH_NT_KE, IKH_KE_CURVE448, "CURVE448"},
    {IKH_NT_KE, IKH_KE_GOST3410_2012_256, "GOST3410_2012_256"},
    {IKH_NT_KE, IKH_KE_GOST3410_2012_512, "GOST3410_2012_512"},
    {IKH_NT_KE, IKH_KE_ML_KEM_512, "ML_KEM_512"},
    {IKH_NT_KE, IKH_KE_ML_KEM_768, "ML_KEM_768"},
    {IKH_NT_KE, IKH_KE_ML_KEM_1024, "ML_KEM_1024"},

    {IKH_NT_ESN, IKH_ESN_NO, "NO_ESN"},
    {IKH_NT_ESN, IKH_ESN_YES, "ESN"},

    ID(IPV4_ADDR),
    ID(FQDN),
    ID(RFC822_ADDR),
    ID(IPV6_ADDR),
    ID(DER_ASN1_DN),
    ID(DER_ASN1_GN),
    ID(KEY_ID),
    ID(FC_NAME),
    ID(NULL),

    AU(RSA_SIG),
    AU(SHARED_KEY_MIC),
    AU(DSS_SIG),
    AU(ECDSA_SHA256_P256),
    AU(ECDSA_SHA384_P384),
    AU(ECDSA_SHA512_P521),
    AU(GSPAM),
    AU(NULL),
    AU(DIGITAL_SIGNATURE),

    TS(IPV4_ADDR_RANGE),
    TS(IPV6_ADDR_RANGE),
    TS(FC_ADDR_RANGE),
    TS(SECLABEL),

    CT(REQUEST),
    CT(REPLY),
    CT(SET),
    CT(ACK),

    CA(INTERNAL_IP4_ADDRESS),
    CA(INTERNAL_IP4_NETMASK),
    CA(INTERNAL_IP4_DNS),
    CA(INTERNAL_IP4_NBNS),
    CA(INTERNAL_IP4_DHCP),
    CA(APPLICATION_VERSION),
    CA(INTERNAL_IP6_ADDRESS),
    CA(INTERNAL_IP6_DNS),
    CA(INTERNAL_IP6_DHCP),
    CA(INTERNAL_IP4_SUBNET),
    CA(SUPPORTED_ATTRIBUTES),
    CA(INTERNAL_IP6_SUBNET),
    CA(MIP6_HOME_PREFIX),
    CA(INTERNAL_IP6_LINK),
    CA(INTERNAL_IP6_PREFIX),
    CA(HOME_AGENT_ADDRESS),
    CA(P_CSCF_IP4_ADDRESS),
    CA(P_CSCF_IP6_ADDRESS),
    CA(FTT_KAT),
    CA(EXTERNAL_SOURCE_IP4_NAT_INFO),
    CA(TIMEOUT_PERIOD_FOR_LIVENESS_CHECK),
    CA(INTERNAL_DNS_DOMAIN),
    CA(INTERNAL_DNSSEC_TA),
    CA(ENCDNS_IP4),
    CA(ENCDNS_IP6),
    CA(ENCDNS_DIGEST_INFO),

    {IKH_NT_CERT_ENC, IKH_CERT_PKCS7_WRAPPED_X509, "PKCS7_WRAPPED_X509"},
    {IKH_NT_CERT_ENC, IKH_CERT_PGP, "PGP"},
    {IKH_NT_CERT_ENC, IKH_CERT_DNS_SIGNED_KEY, "DNS_SIGNED_KEY"},
    {IKH_NT_CERT_ENC, IKH_CERT_X509_SIG, "X509_CERT_SIGNATURE"},
    {IKH_NT_CERT_ENC, IKH_CERT_KERBEROS_TOKEN, "KERBEROS_TOKEN"},
    {IKH_NT_CERT_ENC, IKH_CERT_CRL, "CRL"},
    {IKH_NT_CERT_ENC, IKH_CERT_ARL, "ARL"},
    {IKH_NT_CERT_ENC, IKH_CERT_SPKI, "SPKI"},
    {IKH_NT_CERT_ENC, IKH_CERT_X509_ATTR, "X509_CERT_ATTRIBUTE"},
    {IKH_NT_CERT_ENC, IKH_CERT_RAW_RSA_KEY, "RAW_RSA_KEY"},
    {IKH_NT_CERT_ENC, IKH_CERT_HASH_URL_X509, "HASH_URL_X509_CERT"},
    {IKH_NT_CERT_ENC, IKH_CERT_HASH_URL_BUNDLE, "HASH_URL_X509_BUNDLE"},
    {IKH_NT_CERT_ENC, IKH_CERT_OCSP_CONTENT, "OCSP_CONTENT"},
    {IKH_NT_CERT_ENC, IKH_CERT_RAW_PUBLIC_KEY, "RAW_PUBLIC_KEY"},

    EA(REQUEST),
    EA(RESPONSE),
    EA(SUCCESS),
    EA(FAILURE),
    EA(INITIATE),
    EA(FINISH),

    NT(UNSUPPORTED_CRITICAL_PAYLOAD),
    NT(INVALID_IKE_SPI),
    NT(INVALID_MAJOR_VERSION),
    NT(INVALID_SYNTAX),
    NT(INVALID_MESSAGE_ID),
    NT(INVALID_SPI),
    NT(NO_PROPOSAL_CHOSEN),
    NT(INVALID_KE_PAYLOAD),
    NT(AUTHENTICATION_FAILED),
    NT(SINGLE_PAIR_REQUIRED),
    NT(NO_ADDITIONAL_SAS),
    NT(INTERNAL_ADDRESS_FAILURE),
    NT(FAILED_CP_REQUIRED),
    NT(TS_UNACCEPTABLE),
    NT(INVALID_SELECTORS),
    NT(UNACCEPTABLE_ADDRESSES),
    NT(UNEXPECTED_NAT_DETECTED),
    NT(USE_ASSIGNED_HoA),
    NT(TEMPORARY_FAILURE),
    NT(CHILD_SA_NOT_FOUND),
    NT(INVALID_GROUP_ID),
    NT(AUTHORIZATION_FAILED),
    NT(STATE_NOT_FOUND),
    NT(TS_MAX_QUEUE),
    NT(REGISTRATION_FAILED),
    NT(INITIAL_CONTACT),
    NT(SET_WINDOW_SIZE),
    NT(ADDITIONAL_TS_POSSIBLE),
    NT(IPCOMP_SUPPORTED),
    NT(NAT_DETECTION_SOURCE_IP),
    NT(NAT_DETECTION_DESTINATION_IP),
    NT(COOKIE),
    NT(USE_TRANSPORT_MODE),
    NT(HTTP_CERT_LOOKUP_SUPPORTED),
    NT(REKEY_SA),
    NT(ESP_TFC_PADDING_NOT_SUPPORTED),
    NT(NON_FIRST_FRAGMENTS_ALSO),
    NT(MOBIKE_SUPPORTED),
    NT(ADDITIONAL_IP4_ADDRESS),
    NT(ADDITIONAL_IP6_ADDRESS),
    NT(NO_ADDITIONAL_ADDRESSES),
    NT(UPDATE_SA_ADDRESSES),
    NT(COOKIE2),
    NT(NO_NATS_ALLOWED),
    NT(AUTH_LIFETIME),
    NT(MULTIPLE_AUTH_SUPPORTED),
    NT(ANOTHER_AUTH_FOLLOWS),
    NT(REDIRECT_SUPPORTED),
    NT(REDIRECT),
    NT(REDIRECTED_FROM),
    NT(TICKET_LT_OPAQUE),
    NT(TICKET_REQUEST),
    NT(TICKET_ACK),
    NT(TICKET_NACK),
    NT(TICKET_OPAQUE),
    NT(LINK_ID),
    NT(USE_WESP_MODE),
    NT(ROHC_SUPPORTED),
    NT(EAP_ONLY_AUTHENTICATION),
    NT(CHILDLESS_IKEV2_SUPPORTED),
    NT(QUICK_CRASH_DETECTION),
    NT(IKEV2_MESSAGE_ID_SYNC_SUPPORTED),
    NT(IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED),
    NT(IKEV2_MESSAGE_ID_SYNC),
    NT(IPSEC_REPLAY_COUNTER_SYNC),
    NT(SECURE_PASSWORD_METHODS),
    NT(PSK_PERSIST),
    NT(PSK_CONFIRM),
    NT(ERX_SUPPORTED),
    NT(IFOM_CAPABILITY),
    NT(GROUP_SENDER),
    NT(IKEV2_FRAGMENTATION_SUPPORTED),
    NT(SIGNATURE_HASH_ALGORITHMS),
    NT(CLONE_IKE_SA_SUPPORTED),
    NT(CLONE_IKE_SA),
    NT(PUZZLE),
    NT(USE_PPK),
    NT(PPK_IDENTITY),
    NT(NO_PPK_AUTH),
    NT(INTERMEDIATE_EXCHANGE_SUPPORTED),
    NT(IP4_ALLOWED),
    NT(IP6_ALLOWED),
    NT(ADDITIONAL_KEY_EXCHANGE),
    NT(USE_AGGFRAG),
    NT(SUPPORTED_AUTH_METHODS),
    NT(SA_RESOURCE_INFO),
    NT(USE_PPK_INT),
    NT(PPK_IDENTITY_KEY),
    NT(IKE_SA_INIT_FULL_TRANSCRIPT_AUTH),
};

static void test_names_iana_constants(void **state)
{
    (void)state;
    check_cases(iana_cases, LEN(iana_cases));
    /* iana.h names every value the notify table names (and no other) */
    size_t notify = 0;
    for (size_t i = 0; i < LEN(iana_cases); i++)
        notify += iana_cases[i].t == IKH_NT_NOTIFY;
    assert_int_equal(notify, ikh_name_count(IKH_NT_NOTIFY));
    /* IKH_N_NONE is our "no notify" marker, not a registry name */
    assert_null(ikh_name(IKH_NT_NOTIFY, IKH_N_NONE));
}

/* Reserved, unassigned and private-use values have no name. */
static const value_case unknown_cases[] = {
    {IKH_NT_EXCH, 0},
    {IKH_NT_EXCH, 33},
    {IKH_NT_EXCH, 45},
    {IKH_NT_EXCH, 240},
    {IKH_NT_EXCH, 255},
    {IKH_NT_EXCH, 34 + 65536},
    {IKH_NT_PAYLOAD, 1},
    {IKH_NT_PAYLOAD, 32},
    {IKH_NT_PAYLOAD, 55},
    {IKH_NT_PAYLOAD, 128},
    {IKH_NT_PAYLOAD_LONG, 32},
    {IKH_NT_PAYLOAD_LONG, 55},
    {IKH_NT_XFORM_TYPE, 0},
    {IKH_NT_XFORM_TYPE, 15},
    {IKH_NT_XFORM_TYPE, 241},
    {IKH_NT_ENCR, 0},
    {IKH_NT_ENCR, 10},
    {IKH_NT_ENCR, 17},
    {IKH_NT_ENCR, 22},
    {IKH_NT_ENCR, 36},
    {IKH_NT_ENCR, 1024},
    {IKH_NT_PRF, 0},
    {IKH_NT_PRF, 10},
    {IKH_NT_PRF, 1024},
    {IKH_NT_INTEG, 15},
    {IKH_NT_INTEG, 1024},
    {IKH_NT_KE, 3},
    {IKH_NT_KE, 4},
    {IKH_NT_KE, 6},
    {IKH_NT_KE, 13},
    {IKH_NT_KE, 1024},
    {IKH_NT_KE, 65535},
    {IKH_NT_NOTIFY, 0},
    {IKH_NT_NOTIFY, 2},
    {IKH_NT_NOTIFY, 8191},
    {IKH_NT_NOTIFY, 8192},
    {IKH_NT_NOTIFY, 16383},
    {IKH_NT_NOTIFY, 40960},
    {IKH_NT_NOTIFY, 65535},
    {IKH_NT_NOTIFY, 16384 + 65536},
    {IKH_NT_ID_TYPE, 0},
    {IKH_NT_ID_TYPE, 4},
    {IKH_NT_ID_TYPE, 201},
    {IKH_NT_TS_TYPE, 0},
    {IKH_NT_TS_TYPE, 6},
    {IKH_NT_TS_TYPE, 241},
    {IKH_NT_AUTH_METHOD, 0},
    {IKH_NT_AUTH_METHOD, 4},
    {IKH_NT_AUTH_METHOD, 201},
    {IKH_NT_CFG_TYPE, 0},
    {IKH_NT_CFG_TYPE, 5},
    {IKH_NT_CFG_TYPE, 128},
    {IKH_NT_CFG_ATTR, 0},
    {IKH_NT_CFG_ATTR, 5},
    {IKH_NT_CFG_ATTR, 9},
    {IKH_NT_CFG_ATTR, 11},
    {IKH_NT_CFG_ATTR, 16384},
    {IKH_NT_PROTO, 0},
    {IKH_NT_PROTO, 201},
    {IKH_NT_CERT_ENC, 0},
    {IKH_NT_CERT_ENC, 5},
    {IKH_NT_CERT_ENC, 201},
    {IKH_NT_XATTR, 0},
    {IKH_NT_XATTR, 13},
    {IKH_NT_XATTR, 15},
    {IKH_NT_XATTR, 16384},
    {IKH_NT_EAP_CODE, 0},
    {IKH_NT_EAP_CODE, 7},
};

static void test_names_unknown(void **state)
{
    (void)state;
    for (size_t i = 0; i < LEN(unknown_cases); i++) {
        const value_case *c = &unknown_cases[i];
        const char *got = ikh_name(c->t, c->v);
        if (got)
            fail_msg("%s %u: named \"%s\", want none",
                     ikh_name_table_name(c->t), c->v, got);
        char buf[IKH_NAME_BUF_LEN], want[IKH_NAME_BUF_LEN];
        (void)snprintf(want, sizeof want, "UNKNOWN_%u", c->v);
        assert_ptr_equal(ikh_name_or(c->t, c->v, buf, sizeof buf), buf);
        assert_string_equal(buf, want);
    }
}

static void test_names_or_buffers(void **state)
{
    char buf[IKH_NAME_BUF_LEN];
    (void)state;

    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 45, buf, sizeof buf),
                        "UNKNOWN_45");
    assert_string_equal(ikh_name_or(IKH_NT_NOTIFY, 40960, buf, sizeof buf),
                        "UNKNOWN_40960");
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 4294967295u, buf, sizeof buf),
                        "UNKNOWN_4294967295");
    /* a known value never touches the buffer */
    memset(buf, 'x', sizeof buf);
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 34, buf, sizeof buf),
                        "IKE_SA_INIT");
    assert_int_equal(buf[0], 'x');
    /* too small: cut short, still terminated, nothing past len written */
    memset(buf, 'x', sizeof buf);
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 45, buf, 8), "UNKNOWN");
    assert_int_equal(buf[8], 'x');
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 45, buf, 1), "");
    /* no buffer at all */
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 45, NULL, 0), "UNKNOWN");
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 45, buf, 0), "UNKNOWN");
    assert_string_equal(ikh_name_or(IKH_NT_EXCH, 34, NULL, 0), "IKE_SA_INIT");
    /* a table that does not exist still formats the value */
    assert_string_equal(
        ikh_name_or((ikh_name_table)IKH_NT__COUNT, 7, buf, sizeof buf),
        "UNKNOWN_7");
}

static void test_names_xform_dispatch(void **state)
{
    (void)state;
    assert_string_equal(ikh_name_xform_id(IKH_XF_ENCR, 20), "ENCR_AES_GCM_16");
    assert_string_equal(ikh_name_xform_id(IKH_XF_PRF, 7), "PRF_HMAC_SHA2_512");
    assert_string_equal(ikh_name_xform_id(IKH_XF_INTEG, 0), "NONE");
    assert_string_equal(ikh_name_xform_id(IKH_XF_INTEG, 14),
                        "AUTH_HMAC_SHA2_512_256");
    assert_string_equal(ikh_name_xform_id(IKH_XF_KE, 31), "CURVE25519");
    assert_string_equal(ikh_name_xform_id(IKH_XF_ESN, 0), "NO_ESN");
    assert_string_equal(ikh_name_xform_id(IKH_XF_ESN, 1), "ESN");
    /* RFC 9370: ADDKE1-7 (types 6-12) use the Key Exchange Method IDs,
     * and NONE (0) there means "this round is optional" */
    for (unsigned type = IKH_XF_ADDKE1; type <= IKH_XF_ADDKE7; type++) {
        assert_string_equal(ikh_name_xform_id(type, 36), "ML_KEM_768");
        assert_string_equal(ikh_name_xform_id(type, 0), "NONE");
        assert_null(ikh_name_xform_id(type, 3));
    }
    /* the same number means different things per type */
    assert_string_equal(ikh_name_xform_id(1, 12), "ENCR_AES_CBC");
    assert_string_equal(ikh_name_xform_id(3, 12), "AUTH_HMAC_SHA2_256_128");
    assert_null(ikh_name_xform_id(2, 12));
    assert_null(ikh_name_xform_id(4, 12));
    /* unknown IDs and types without an ID table */
    assert_null(ikh_name_xform_id(IKH_XF_ENCR, 17));
    assert_null(ikh_name_xform_id(IKH_XF_KE, 3));
    assert_null(ikh_name_xform_id(0, 12));
    assert_null(ikh_name_xform_id(IKH_XF_KWA, 1));
    assert_null(ikh_name_xform_id(IKH_XF_GCAUTH, 1));
    assert_null(ikh_name_xform_id(15, 1));
    assert_null(ikh_name_xform_id(255, 1));
    assert_null(ikh_name_xform_id(4294967295u, 1));
}

static void test_names_lookup_exact(void **state)
{
    unsigned v = 12345;
    (void)state;

    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "IKE_AUTH", &v), 1);
    assert_int_equal(v, 35);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "IKE_AUTH", NULL), 1);
    v = 12345;
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "ike_auth", &v), 0);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "IKE_AUTH ", &v), 0);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "IKE_AUT", &v), 0);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "", &v), 0);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, NULL, &v), 0);
    assert_int_equal(ikh_name_lookup(IKH_NT_EXCH, "UNKNOWN_45", &v), 0);
    assert_int_equal(v, 12345); /* untouched on a miss */
    /* names are per table: "ESN" is a transform type and an ESN ID */
    assert_int_equal(ikh_name_lookup(IKH_NT_XFORM_TYPE, "ESN", &v), 1);
    assert_int_equal(v, 5);
    assert_int_equal(ikh_name_lookup(IKH_NT_ESN, "ESN", &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(ikh_name_lookup(IKH_NT_NOTIFY, "ESN", &v), 0);
    assert_int_equal(
        ikh_name_lookup(IKH_NT_PAYLOAD_LONG, "Puzzle Solution", &v), 1);
    assert_int_equal(v, 54);
}

static void test_names_at(void **state)
{
    unsigned v = 7;
    const char *name = "x";
    (void)state;

    assert_int_equal(ikh_name_at(IKH_NT_EXCH, 0, &v, &name), 1);
    assert_int_equal(v, 34);
    assert_string_equal(name, "IKE_SA_INIT");
    size_t n = ikh_name_count(IKH_NT_EXCH);
    assert_int_equal(ikh_name_at(IKH_NT_EXCH, n - 1, &v, &name), 1);
    assert_int_equal(v, 44);
    assert_string_equal(name, "IKE_FOLLOWUP_KE");
    v = 7;
    name = "x";
    assert_int_equal(ikh_name_at(IKH_NT_EXCH, n, &v, &name), 0);
    assert_int_equal(ikh_name_at(IKH_NT_EXCH, (size_t)-1, &v, &name), 0);
    assert_int_equal(v, 7);
    assert_string_equal(name, "x");
    assert_int_equal(ikh_name_at(IKH_NT_EXCH, 0, NULL, NULL), 1);
}

static void test_names_table_ids(void **state)
{
    static const char *const want[IKH_NT__COUNT] = {
        "exchange_type",  "payload_type",  "payload_type_long",
        "transform_type", "encr_id",       "prf_id",
        "integ_id",       "ke_id",         "esn_id",
        "notify_type",    "id_type",       "ts_type",
        "auth_method",    "cfg_type",      "cfg_attr",
        "protocol_id",    "cert_encoding", "transform_attr",
        "eap_code",
    };
    (void)state;
    for (int t = 0; t < IKH_NT__COUNT; t++) {
        const char *id = ikh_name_table_name((ikh_name_table)t);
        assert_non_null(id);
        assert_string_equal(id, want[t]);
    }
}

static void test_names_bad_table(void **state)
{
    const ikh_name_table bad[] = {(ikh_name_table)IKH_NT__COUNT,
                                  (ikh_name_table)1000, (ikh_name_table)-1};
    (void)state;
    for (size_t i = 0; i < LEN(bad); i++) {
        unsigned v = 9;
        const char *name = "x";
        assert_null(ikh_name(bad[i], 34));
        assert_null(ikh_name_table_name(bad[i]));
        assert_int_equal(ikh_name_count(bad[i]), 0);
        assert_int_equal(ikh_name_at(bad[i], 0, &v, &name), 0);
        assert_int_equal(ikh_name_lookup(bad[i], "IKE_SA_INIT", &v), 0);
        assert_int_equal(v, 9);
        assert_string_equal(name, "x");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_tables_sorted_unique),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_names_counts),
        cmocka_unit_test(test_names_rfc_values),
        cmocka_unit_test(test_names_iana_constants),
        cmocka_unit_test(test_names_unknown),
        cmocka_unit_test(test_names_or_buffers),
        cmocka_unit_test(test_names_xform_dispatch),
        cmocka_unit_test(test_names_lookup_exact),
        cmocka_unit_test(test_names_at),
        cmocka_unit_test(test_names_table_ids),
        cmocka_unit_test(test_names_bad_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
