/* SPDX-License-Identifier: MIT */
/*
 * IANA name tables for IKEv2 (ikh/names.h): one static const array of
 * {value, name} per registry, sorted by value, looked up by binary search.
 *
 * Source: IANA "Internet Key Exchange Version 2 (IKEv2) Parameters"
 * (https://www.iana.org/assignments/ikev2-parameters) and the RFCs cited on
 * each block; EAP codes from the IANA "Extensible Authentication Protocol
 * (EAP) Registry". Reserved, unassigned and private-use values are left out
 * on purpose: they print as "UNKNOWN_<v>". test_wire_names.c checks that
 * every table is sorted, has unique values and unique names, and pins the
 * number of entries, so an edit here has to be deliberate.
 *
 * To add a registry value: insert it at its sorted place, cite the RFC,
 * add the constant to ikh/iana.h and bump the count in the test.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ikh/iana.h"
#include "ikh/names.h"

typedef struct name_entry {
    uint16_t value;
    const char *name;
} name_entry;

typedef struct name_table {
    const char *id; /* ikh_name_table_name() */
    const name_entry *entries;
    size_t count;
} name_table;

#define NT_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* IKEv2 Exchange Types: RFC 7296 §3.1; 38 RFC 5723; 39-42 RFC 9838
 * (G-IKEv2); 43 RFC 9242; 44 RFC 9370. 0-33 reserved, 240-255 private. */
static const name_entry exch_names[] = {
    {34, "IKE_SA_INIT"},        {35, "IKE_AUTH"},
    {36, "CREATE_CHILD_SA"},    {37, "INFORMATIONAL"},
    {38, "IKE_SESSION_RESUME"}, {39, "GSA_AUTH"},
    {40, "GSA_REGISTRATION"},   {41, "GSA_REKEY"},
    {42, "GSA_INBAND_REKEY"},   {43, "IKE_INTERMEDIATE"},
    {44, "IKE_FOLLOWUP_KE"},
};

/* IKEv2 Payload Types, "Notation" column: RFC 7296 §3.2; 49 RFC 6467;
 * 50-52 RFC 9838; 53 RFC 7383; 54 RFC 8019. Nonce (registry "Ni, Nr") is
 * "No"; 0 is "No Next Payload". 1-32 reserved, 128-255 private. */
static const name_entry payload_names[] = {
    {0, "NONE"},  {33, "SA"},      {34, "KE"},   {35, "IDi"}, {36, "IDr"},
    {37, "CERT"}, {38, "CERTREQ"}, {39, "AUTH"}, {40, "No"},  {41, "N"},
    {42, "D"},    {43, "V"},       {44, "TSi"},  {45, "TSr"}, {46, "SK"},
    {47, "CP"},   {48, "EAP"},     {49, "GSPM"}, {50, "IDg"}, {51, "GSA"},
    {52, "KD"},   {53, "SKF"},     {54, "PS"},
};

/* IKEv2 Payload Types, "Next Payload Type" column (same sources). */
static const name_entry payload_long_names[] = {
    {0, "No Next Payload"},
    {33, "Security Association"},
    {34, "Key Exchange"},
    {35, "Identification - Initiator"},
    {36, "Identification - Responder"},
    {37, "Certificate"},
    {38, "Certificate Request"},
    {39, "Authentication"},
    {40, "Nonce"},
    {41, "Notify"},
    {42, "Delete"},
    {43, "Vendor ID"},
    {44, "Traffic Selector - Initiator"},
    {45, "Traffic Selector - Responder"},
    {46, "Encrypted and Authenticated"},
    {47, "Configuration"},
    {48, "Extensible Authentication"},
    {49, "Generic Secure Password Method"},
    {50, "Group Identification"},
    {51, "Group Security Association"},
    {52, "Key Download"},
    {53, "Encrypted and Authenticated Fragment"},
    {54, "Puzzle Solution"},
};

/* Transform Type Values: RFC 7296 §3.3.2; 6-12 RFC 9370 (ADDKE1-7);
 * 13-14 RFC 9838. Type 5 is "Sequence Numbers (SN)" in the registry since
 * its renaming, kept as ESN here to match IKH_XF_ESN. 241-255 private. */
static const name_entry xform_type_names[] = {
    {1, "ENCR"},   {2, "PRF"},     {3, "INTEG"},   {4, "KE"},
    {5, "ESN"},    {6, "ADDKE1"},  {7, "ADDKE2"},  {8, "ADDKE3"},
    {9, "ADDKE4"}, {10, "ADDKE5"}, {11, "ADDKE6"}, {12, "ADDKE7"},
    {13, "KWA"},   {14, "GCAUTH"},
};

/* Transform Type 1 - Encryption Algorithm Transform IDs: RFC 7296; 14-20
 * RFC 5282; 21 RFC 4543; 23-27 RFC 5529; 28 RFC 7634; 29-31 RFC 8750;
 * 32-35 RFC 9227. 10 and 22 reserved, 17 unassigned, 1024-65535 private. */
static const name_entry encr_names[] = {
    {1, "ENCR_DES_IV64"},
    {2, "ENCR_DES"},
    {3, "ENCR_3DES"},
    {4, "ENCR_RC5"},
    {5, "ENCR_IDEA"},
    {6, "ENCR_CAST"},
    {7, "ENCR_BLOWFISH"},
    {8, "ENCR_3IDEA"},
    {9, "ENCR_DES_IV32"},
    {11, "ENCR_NULL"},
    {12, "ENCR_AES_CBC"},
    {13, "ENCR_AES_CTR"},
    {14, "ENCR_AES_CCM_8"},
    {15, "ENCR_AES_CCM_12"},
    {16, "ENCR_AES_CCM_16"},
    {18, "ENCR_AES_GCM_8"},
    {19, "ENCR_AES_GCM_12"},
    {20, "ENCR_AES_GCM_16"},
    {21, "ENCR_NULL_AUTH_AES_GMAC"},
    {23, "ENCR_CAMELLIA_CBC"},
    {24, "ENCR_CAMELLIA_CTR"},
    {25, "ENCR_CAMELLIA_CCM_8"},
    {26, "ENCR_CAMELLIA_CCM_12"},
    {27, "ENCR_CAMELLIA_CCM_16"},
    {28, "ENCR_CHACHA20_POLY1305"},
    {29, "ENCR_AES_CCM_8_IIV"},
    {30, "ENCR_AES_GCM_16_IIV"},
    {31, "ENCR_CHACHA20_POLY1305_IIV"},
    {32, "ENCR_KUZNYECHIK_MGM_KTREE"},
    {33, "ENCR_MAGMA_MGM_KTREE"},
    {34, "ENCR_KUZNYECHIK_MGM_MAC_KTREE"},
    {35, "ENCR_MAGMA_MGM_MAC_KTREE"},
};

/* Transform Type 2 - Pseudorandom Function Transform IDs: RFC 7296; 4 RFC
 * 4434; 5-7 RFC 4868; 8 RFC 4615; 9 RFC 9385. 1024-65535 private. */
static const name_entry prf_names[] = {
    {1, "PRF_HMAC_MD5"},          {2, "PRF_HMAC_SHA1"},
    {3, "PRF_HMAC_TIGER"},        {4, "PRF_AES128_XCBC"},
    {5, "PRF_HMAC_SHA2_256"},     {6, "PRF_HMAC_SHA2_384"},
    {7, "PRF_HMAC_SHA2_512"},     {8, "PRF_AES128_CMAC"},
    {9, "PRF_HMAC_STREEBOG_512"},
};

/* Transform Type 3 - Integrity Algorithm Transform IDs: RFC 7296; 6-7 RFC
 * 4595; 8 RFC 4494; 9-11 RFC 4543; 12-14 RFC 4868. 1024-65535 private. */
static const name_entry integ_names[] = {
    {0, "NONE"},
    {1, "AUTH_HMAC_MD5_96"},
    {2, "AUTH_HMAC_SHA1_96"},
    {3, "AUTH_DES_MAC"},
    {4, "AUTH_KPDK_MD5"},
    {5, "AUTH_AES_XCBC_96"},
    {6, "AUTH_HMAC_MD5_128"},
    {7, "AUTH_HMAC_SHA1_160"},
    {8, "AUTH_AES_CMAC_96"},
    {9, "AUTH_AES_128_GMAC"},
    {10, "AUTH_AES_192_GMAC"},
    {11, "AUTH_AES_256_GMAC"},
    {12, "AUTH_HMAC_SHA2_256_128"},
    {13, "AUTH_HMAC_SHA2_384_192"},
    {14, "AUTH_HMAC_SHA2_512_256"},
};

/* Transform Type 4 - Key Exchange Method Transform IDs (registry
 * descriptions made identifiers): RFC 7296; 5, 14-18 RFC 3526; 19-21 RFC
 * 5903; 22-26 RFC 5114; 27-30 RFC 6954; 31-32 RFC 8031; 33-34 RFC 9385;
 * 35-37 draft-ietf-ipsecme-ikev2-mlkem. 3-4 reserved, 1024-65535 private. */
static const name_entry ke_names[] = {
    {0, "NONE"},
    {1, "MODP_768"},
    {2, "MODP_1024"},
    {5, "MODP_1536"},
    {14, "MODP_2048"},
    {15, "MODP_3072"},
    {16, "MODP_4096"},
    {17, "MODP_6144"},
    {18, "MODP_8192"},
    {19, "ECP_256"},
    {20, "ECP_384"},
    {21, "ECP_521"},
    {22, "MODP_1024_160"},
    {23, "MODP_2048_224"},
    {24, "MODP_2048_256"},
    {25, "ECP_192"},
    {26, "ECP_224"},
    {27, "BRAINPOOL_P224"},
    {28, "BRAINPOOL_P256"},
    {29, "BRAINPOOL_P384"},
    {30, "BRAINPOOL_P512"},
    {31, "CURVE25519"},
    {32, "CURVE448"},
    {33, "GOST3410_2012_256"},
    {34, "GOST3410_2012_512"},
    {35, "ML_KEM_512"},
    {36, "ML_KEM_768"},
    {37, "ML_KEM_1024"},
};

/* Transform Type 5 - Extended Sequence Numbers Transform IDs: RFC 7296
 * §3.3.2 ("No Extended Sequence Numbers", "Extended Sequence Numbers"). */
static const name_entry esn_names[] = {
    {0, "NO_ESN"},
    {1, "ESN"},
};

/* IKEv2 Notify Message Error Types (1-8191) and Status Types (16384-40959):
 * RFC 7296 §3.10.1 unless noted. 0 reserved, 8192-16383 and 40960-65535
 * private use. */
static const name_entry notify_names[] = {
    {1, "UNSUPPORTED_CRITICAL_PAYLOAD"},
    {4, "INVALID_IKE_SPI"},
    {5, "INVALID_MAJOR_VERSION"},
    {7, "INVALID_SYNTAX"},
    {9, "INVALID_MESSAGE_ID"},
    {11, "INVALID_SPI"},
    {14, "NO_PROPOSAL_CHOSEN"},
    {17, "INVALID_KE_PAYLOAD"},
    {24, "AUTHENTICATION_FAILED"},
    {34, "SINGLE_PAIR_REQUIRED"},
    {35, "NO_ADDITIONAL_SAS"},
    {36, "INTERNAL_ADDRESS_FAILURE"},
    {37, "FAILED_CP_REQUIRED"},
    {38, "TS_UNACCEPTABLE"},
    {39, "INVALID_SELECTORS"},
    {40, "UNACCEPTABLE_ADDRESSES"},  /* RFC 4555 */
    {41, "UNEXPECTED_NAT_DETECTED"}, /* RFC 4555 */
    {42, "USE_ASSIGNED_HoA"},        /* RFC 5026 */
    {43, "TEMPORARY_FAILURE"},
    {44, "CHILD_SA_NOT_FOUND"},
    {45, "INVALID_GROUP_ID"},     /* RFC 9838 */
    {46, "AUTHORIZATION_FAILED"}, /* RFC 9838 */
    {47, "STATE_NOT_FOUND"},      /* RFC 9370 */
    {48, "TS_MAX_QUEUE"},         /* RFC 9611 */
    {49, "REGISTRATION_FAILED"},  /* RFC 9838 */
    {16384, "INITIAL_CONTACT"},
    {16385, "SET_WINDOW_SIZE"},
    {16386, "ADDITIONAL_TS_POSSIBLE"},
    {16387, "IPCOMP_SUPPORTED"},
    {16388, "NAT_DETECTION_SOURCE_IP"},
    {16389, "NAT_DETECTION_DESTINATION_IP"},
    {16390, "COOKIE"},
    {16391, "USE_TRANSPORT_MODE"},
    {16392, "HTTP_CERT_LOOKUP_SUPPORTED"},
    {16393, "REKEY_SA"},
    {16394, "ESP_TFC_PADDING_NOT_SUPPORTED"},
    {16395, "NON_FIRST_FRAGMENTS_ALSO"},
    {16396, "MOBIKE_SUPPORTED"},                    /* RFC 4555 */
    {16397, "ADDITIONAL_IP4_ADDRESS"},              /* RFC 4555 */
    {16398, "ADDITIONAL_IP6_ADDRESS"},              /* RFC 4555 */
    {16399, "NO_ADDITIONAL_ADDRESSES"},             /* RFC 4555 */
    {16400, "UPDATE_SA_ADDRESSES"},                 /* RFC 4555 */
    {16401, "COOKIE2"},                             /* RFC 4555 */
    {16402, "NO_NATS_ALLOWED"},                     /* RFC 4555 */
    {16403, "AUTH_LIFETIME"},                       /* RFC 4478 */
    {16404, "MULTIPLE_AUTH_SUPPORTED"},             /* RFC 4739 */
    {16405, "ANOTHER_AUTH_FOLLOWS"},                /* RFC 4739 */
    {16406, "REDIRECT_SUPPORTED"},                  /* RFC 5685 */
    {16407, "REDIRECT"},                            /* RFC 5685 */
    {16408, "REDIRECTED_FROM"},                     /* RFC 5685 */
    {16409, "TICKET_LT_OPAQUE"},                    /* RFC 5723 */
    {16410, "TICKET_REQUEST"},                      /* RFC 5723 */
    {16411, "TICKET_ACK"},                          /* RFC 5723 */
    {16412, "TICKET_NACK"},                         /* RFC 5723 */
    {16413, "TICKET_OPAQUE"},                       /* RFC 5723 */
    {16414, "LINK_ID"},                             /* RFC 5739 */
    {16415, "USE_WESP_MODE"},                       /* RFC 5840 */
    {16416, "ROHC_SUPPORTED"},                      /* RFC 5857 */
    {16417, "EAP_ONLY_AUTHENTICATION"},             /* RFC 5998 */
    {16418, "CHILDLESS_IKEV2_SUPPORTED"},           /* RFC 6023 */
    {16419, "QUICK_CRASH_DETECTION"},               /* RFC 6290 */
    {16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED"},     /* RFC 6311 */
    {16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED"}, /* RFC 6311 */
    {16422, "IKEV2_MESSAGE_ID_SYNC"},               /* RFC 6311 */
    {16423, "IPSEC_REPLAY_COUNTER_SYNC"},           /* RFC 6311 */
    {16424, "SECURE_PASSWORD_METHODS"},             /* RFC 6467 */
    {16425, "PSK_PERSIST"},                         /* RFC 6631 */
    {16426, "PSK_CONFIRM"},                         /* RFC 6631 */
    {16427, "ERX_SUPPORTED"},                       /* RFC 6867 */
    {16428, "IFOM_CAPABILITY"},                     /* 3GPP TS 24.303 */
    {16429, "GROUP_SENDER"},                        /* RFC 9838 */
    {16430, "IKEV2_FRAGMENTATION_SUPPORTED"},       /* RFC 7383 */
    {16431, "SIGNATURE_HASH_ALGORITHMS"},           /* RFC 7427 */
    {16432, "CLONE_IKE_SA_SUPPORTED"},              /* RFC 7791 */
    {16433, "CLONE_IKE_SA"},                        /* RFC 7791 */
    {16434, "PUZZLE"},                              /* RFC 8019 */
    {16435, "USE_PPK"},                             /* RFC 8784 */
    {16436, "PPK_IDENTITY"},                        /* RFC 8784 */
    {16437, "NO_PPK_AUTH"},                         /* RFC 8784 */
    {16438, "INTERMEDIATE_EXCHANGE_SUPPORTED"},     /* RFC 9242 */
    {16439, "IP4_ALLOWED"},                         /* RFC 8983 */
    {16440, "IP6_ALLOWED"},                         /* RFC 8983 */
    {16441, "ADDITIONAL_KEY_EXCHANGE"},             /* RFC 9370 */
    {16442, "USE_AGGFRAG"},                         /* RFC 9347 */
    {16443, "SUPPORTED_AUTH_METHODS"},              /* RFC 9593 */
    {16444, "SA_RESOURCE_INFO"},                    /* RFC 9611 */
    {16445, "USE_PPK_INT"},                         /* RFC 9867 */
    {16446, "PPK_IDENTITY_KEY"},                    /* RFC 9867 */
    /* draft-ietf-ipsecme-ikev2-downgrade-prevention */
    {16447, "IKE_SA_INIT_FULL_TRANSCRIPT_AUTH"},
};

/* IKEv2 Identification Payload ID Types: RFC 7296 §3.5; 12 RFC 4595; 13
 * RFC 7619. 4 and 6-8 unassigned, 201-255 private. */
static const name_entry id_type_names[] = {
    {1, "ID_IPV4_ADDR"}, {2, "ID_FQDN"},        {3, "ID_RFC822_ADDR"},
    {5, "ID_IPV6_ADDR"}, {9, "ID_DER_ASN1_DN"}, {10, "ID_DER_ASN1_GN"},
    {11, "ID_KEY_ID"},   {12, "ID_FC_NAME"},    {13, "ID_NULL"},
};

/* IKEv2 Traffic Selector Types: RFC 7296 §3.13.1; 9 RFC 4595; 10 RFC
 * 9478. 0-6 reserved, 241-255 private. */
static const name_entry ts_type_names[] = {
    {7, "TS_IPV4_ADDR_RANGE"},
    {8, "TS_IPV6_ADDR_RANGE"},
    {9, "TS_FC_ADDR_RANGE"},
    {10, "TS_SECLABEL"},
};

/* IKEv2 Authentication Method: RFC 7296 §3.8; 9-11 RFC 4754; 12 RFC 6467;
 * 13 RFC 7619; 14 RFC 7427. The registry has descriptions only ("RSA
 * Digital Signature", ...); names match the IKH_AUTH_* constants. 4-8
 * unassigned, 201-255 private. */
static const name_entry auth_method_names[] = {
    {1, "RSA_SIG"},
    {2, "SHARED_KEY_MIC"},
    {3, "DSS_SIG"},
    {9, "ECDSA_SHA256_P256"},
    {10, "ECDSA_SHA384_P384"},
    {11, "ECDSA_SHA512_P521"},
    {12, "GSPAM"},
    {13, "NULL"},
    {14, "DIGITAL_SIGNATURE"},
};

/* IKEv2 Configuration Payload CFG Types: RFC 7296 §3.15. 5-127 unassigned,
 * 128-255 private. */
static const name_entry cfg_type_names[] = {
    {1, "CFG_REQUEST"},
    {2, "CFG_REPLY"},
    {3, "CFG_SET"},
    {4, "CFG_ACK"},
};

/* IKEv2 Configuration Payload Attribute Types: RFC 7296 §3.15.1; 16 RFC
 * 5026; 17-18 RFC 5739; 19, 22-24 3GPP TS 24.302; 20-21 RFC 7651; 25-26
 * RFC 8598; 27-29 RFC 9464. 5, 9 and 11 reserved, 16384-32767 private. */
static const name_entry cfg_attr_names[] = {
    {1, "INTERNAL_IP4_ADDRESS"},
    {2, "INTERNAL_IP4_NETMASK"},
    {3, "INTERNAL_IP4_DNS"},
    {4, "INTERNAL_IP4_NBNS"},
    {6, "INTERNAL_IP4_DHCP"},
    {7, "APPLICATION_VERSION"},
    {8, "INTERNAL_IP6_ADDRESS"},
    {10, "INTERNAL_IP6_DNS"},
    {12, "INTERNAL_IP6_DHCP"},
    {13, "INTERNAL_IP4_SUBNET"},
    {14, "SUPPORTED_ATTRIBUTES"},
    {15, "INTERNAL_IP6_SUBNET"},
    {16, "MIP6_HOME_PREFIX"},
    {17, "INTERNAL_IP6_LINK"},
    {18, "INTERNAL_IP6_PREFIX"},
    {19, "HOME_AGENT_ADDRESS"},
    {20, "P_CSCF_IP4_ADDRESS"},
    {21, "P_CSCF_IP6_ADDRESS"},
    {22, "FTT_KAT"},
    {23, "EXTERNAL_SOURCE_IP4_NAT_INFO"},
    {24, "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK"},
    {25, "INTERNAL_DNS_DOMAIN"},
    {26, "INTERNAL_DNSSEC_TA"},
    {27, "ENCDNS_IP4"},
    {28, "ENCDNS_IP6"},
    {29, "ENCDNS_DIGEST_INFO"},
};

/* IKEv2 Security Protocol Identifiers: RFC 7296 §3.3.1; 4-5 RFC 4595; 6
 * RFC 9838. 0 reserved (the "no SPI" value in Notify), 201-255 private. */
static const name_entry proto_names[] = {
    {1, "IKE"},
    {2, "AH"},
    {3, "ESP"},
    {4, "FC_ESP_HEADER"},
    {5, "FC_CT_AUTHENTICATION"},
    {6, "GIKE_UPDATE"},
};

/* IKEv2 Certificate Encodings (descriptions made identifiers): RFC 7296
 * §3.6; 14 RFC 4806; 15 RFC 7670. 5 reserved, 201-255 private. */
static const name_entry cert_enc_names[] = {
    {1, "PKCS7_WRAPPED_X509"},
    {2, "PGP"},
    {3, "DNS_SIGNED_KEY"},
    {4, "X509_CERT_SIGNATURE"},
    {6, "KERBEROS_TOKEN"},
    {7, "CRL"},
    {8, "ARL"},
    {9, "SPKI"},
    {10, "X509_CERT_ATTRIBUTE"},
    {11, "RAW_RSA_KEY"},
    {12, "HASH_URL_X509_CERT"},
    {13, "HASH_URL_X509_BUNDLE"},
    {14, "OCSP_CONTENT"},
    {15, "RAW_PUBLIC_KEY"},
};

/* IKEv2 Transform Attribute Types: RFC 7296 §3.3.5 ("Key Length (in
 * bits)", TV). 0-13 and 15-17 reserved, 16384-32767 private. */
static const name_entry xattr_names[] = {
    {14, "KEY_LENGTH"},
};

/* EAP Codes: RFC 3748 §4; 5-6 RFC 6696 (ERP). */
static const name_entry eap_code_names[] = {
    {1, "REQUEST"}, {2, "RESPONSE"}, {3, "SUCCESS"},
    {4, "FAILURE"}, {5, "INITIATE"}, {6, "FINISH"},
};

#define NT_ROW(idx, ident, arr) [idx] = {ident, arr, NT_LEN(arr)}

static const name_table tables[IKH_NT__COUNT] = {
    NT_ROW(IKH_NT_EXCH, "exchange_type", exch_names),
    NT_ROW(IKH_NT_PAYLOAD, "payload_type", payload_names),
    NT_ROW(IKH_NT_PAYLOAD_LONG, "payload_type_long", payload_long_names),
    NT_ROW(IKH_NT_XFORM_TYPE, "transform_type", xform_type_names),
    NT_ROW(IKH_NT_ENCR, "encr_id", encr_names),
    NT_ROW(IKH_NT_PRF, "prf_id", prf_names),
    NT_ROW(IKH_NT_INTEG, "integ_id", integ_names),
    NT_ROW(IKH_NT_KE, "ke_id", ke_names),
    NT_ROW(IKH_NT_ESN, "esn_id", esn_names),
    NT_ROW(IKH_NT_NOTIFY, "notify_type", notify_names),
    NT_ROW(IKH_NT_ID_TYPE, "id_type", id_type_names),
    NT_ROW(IKH_NT_TS_TYPE, "ts_type", ts_type_names),
    NT_ROW(IKH_NT_AUTH_METHOD, "auth_method", auth_method_names),
    NT_ROW(IKH_NT_CFG_TYPE, "cfg_type", cfg_type_names),
    NT_ROW(IKH_NT_CFG_ATTR, "cfg_attr", cfg_attr_names),
    NT_ROW(IKH_NT_PROTO, "protocol_id", proto_names),
    NT_ROW(IKH_NT_CERT_ENC, "cert_encoding", cert_enc_names),
    NT_ROW(IKH_NT_XATTR, "transform_attr", xattr_names),
    NT_ROW(IKH_NT_EAP_CODE, "eap_code", eap_code_names),
};

/* The table for t, or NULL when t is not one (also catches negative enum
 * values, which turn into large unsigned ones). */
static const name_table *table_get(ikh_name_table t)
{
    if ((unsigned)t >= (unsigned)IKH_NT__COUNT)
        return NULL;
    return &tables[t];
}

/* Binary search; relies on the sorted order the test enforces. */
static const name_entry *table_find(const name_table *tb, unsigned v)
{
    size_t lo = 0;
    size_t hi = tb->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned mv = tb->entries[mid].value;

        if (mv == v)
            return &tb->entries[mid];
        if (mv < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *ikh_name(ikh_name_table t, unsigned v)
{
    const name_table *tb = table_get(t);
    const name_entry *e = tb ? table_find(tb, v) : NULL;

    return e ? e->name : NULL;
}

const char *ikh_name_or(ikh_name_table t, unsigned v, char *buf, size_t len)
{
    const char *name = ikh_name(t, v);

    if (name)
        return name;
    if (!buf || len == 0)
        return "UNKNOWN";
    (void)snprintf(buf, len, "UNKNOWN_%u", v);
    return buf;
}

const char *ikh_name_xform_id(unsigned xform_type, unsigned id)
{
    switch (xform_type) {
    case IKH_XF_ENCR:
        return ikh_name(IKH_NT_ENCR, id);
    case IKH_XF_PRF:
        return ikh_name(IKH_NT_PRF, id);
    case IKH_XF_INTEG:
        return ikh_name(IKH_NT_INTEG, id);
    case IKH_XF_KE:
    case IKH_XF_ADDKE1:
    case IKH_XF_ADDKE2:
    case IKH_XF_ADDKE3:
    case IKH_XF_ADDKE4:
    case IKH_XF_ADDKE5:
    case IKH_XF_ADDKE6:
    case IKH_XF_ADDKE7:
        /* RFC 9370: ADDKE1-7 take Transform Type 4 IDs */
        return ikh_name(IKH_NT_KE, id);
    case IKH_XF_ESN:
        return ikh_name(IKH_NT_ESN, id);
    default:
        return NULL; /* KWA, GCAUTH and unassigned: no ID table here */
    }
}

int ikh_name_lookup(ikh_name_table t, const char *name, unsigned *out)
{
    const name_table *tb = table_get(t);

    if (!tb || !name)
        return 0;
    for (size_t i = 0; i < tb->count; i++) {
        if (strcmp(tb->entries[i].name, name) == 0) {
            if (out)
                *out = tb->entries[i].value;
            return 1;
        }
    }
    return 0;
}

size_t ikh_name_count(ikh_name_table t)
{
    const name_table *tb = table_get(t);

    return tb ? tb->count : 0;
}

int ikh_name_at(ikh_name_table t, size_t i, unsigned *value, const char **name)
{
    const name_table *tb = table_get(t);

    if (!tb || i >= tb->count)
        return 0;
    if (value)
        *value = tb->entries[i].value;
    if (name)
        *name = tb->entries[i].name;
    return 1;
}

const char *ikh_name_table_name(ikh_name_table t)
{
    const name_table *tb = table_get(t);

    return tb ? tb->id : NULL;
}
