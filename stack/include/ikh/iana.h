/* SPDX-License-Identifier: MIT */
/**
 * @file iana.h
 * @brief IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" numbers,
 *        spelled as in the registry (RFC 7296 §3, RFC 7383, RFC 9370, ...).
 *
 * Names for these numbers (for decode output, logs and metrics) come from
 * the tables in names.h. Values not listed here are still carried through
 * the codec unchanged; these constants only exist so that code can say
 * IKH_PL_NONCE instead of 40.
 */
#ifndef IKH_IANA_H
#define IKH_IANA_H

/** Exchange types (RFC 7296 §3.1; RFC 5723, 6407/9838, 9242, 9370). */
enum ikh_exch_type {
    IKH_EXCH_IKE_SA_INIT = 34,
    IKH_EXCH_IKE_AUTH = 35,
    IKH_EXCH_CREATE_CHILD_SA = 36,
    IKH_EXCH_INFORMATIONAL = 37,
    IKH_EXCH_IKE_SESSION_RESUME = 38,
    IKH_EXCH_GSA_AUTH = 39,
    IKH_EXCH_GSA_REGISTRATION = 40,
    IKH_EXCH_GSA_REKEY = 41,
    IKH_EXCH_GSA_INBAND_REKEY = 42,
    IKH_EXCH_IKE_INTERMEDIATE = 43,
    IKH_EXCH_IKE_FOLLOWUP_KE = 44,
};

/** IKE header flags (RFC 7296 §3.1). */
enum ikh_hdr_flag {
    IKH_HDR_F_INITIATOR = 0x08,
    IKH_HDR_F_VERSION = 0x10,
    IKH_HDR_F_RESPONSE = 0x20,
};

/** Payload types (RFC 7296 §3.2; RFC 6467, 9838, 7383, 8019). */
enum ikh_pl_type {
    IKH_PL_NONE = 0,
    IKH_PL_SA = 33,
    IKH_PL_KE = 34,
    IKH_PL_IDI = 35,
    IKH_PL_IDR = 36,
    IKH_PL_CERT = 37,
    IKH_PL_CERTREQ = 38,
    IKH_PL_AUTH = 39,
    IKH_PL_NONCE = 40,
    IKH_PL_NOTIFY = 41,
    IKH_PL_DELETE = 42,
    IKH_PL_VID = 43,
    IKH_PL_TSI = 44,
    IKH_PL_TSR = 45,
    IKH_PL_SK = 46,
    IKH_PL_CP = 47,
    IKH_PL_EAP = 48,
    IKH_PL_GSPM = 49,
    IKH_PL_IDG = 50,
    IKH_PL_GSA = 51,
    IKH_PL_KD = 52,
    IKH_PL_SKF = 53,
    IKH_PL_PS = 54,
};

/** Security protocol identifiers (RFC 7296 §3.3.1). */
enum ikh_proto_id {
    IKH_PROTO_IKE = 1,
    IKH_PROTO_AH = 2,
    IKH_PROTO_ESP = 3,
    IKH_PROTO_FC_ESP_HEADER = 4,        /* RFC 4595 */
    IKH_PROTO_FC_CT_AUTHENTICATION = 5, /* RFC 4595 */
    IKH_PROTO_GIKE_UPDATE = 6,          /* RFC 9838 */
};

/** Transform types (RFC 7296 §3.3.2; RFC 9370; RFC 9838). */
enum ikh_xform_type {
    IKH_XF_ENCR = 1,
    IKH_XF_PRF = 2,
    IKH_XF_INTEG = 3,
    IKH_XF_KE = 4, /* "Diffie-Hellman Group" before RFC 9370 */
    IKH_XF_ESN = 5,
    IKH_XF_ADDKE1 = 6,
    IKH_XF_ADDKE2 = 7,
    IKH_XF_ADDKE3 = 8,
    IKH_XF_ADDKE4 = 9,
    IKH_XF_ADDKE5 = 10,
    IKH_XF_ADDKE6 = 11,
    IKH_XF_ADDKE7 = 12,
    IKH_XF_KWA = 13,    /* Key Wrap Algorithm, RFC 9838 */
    IKH_XF_GCAUTH = 14, /* Group Controller Authentication, RFC 9838 */
};

/** Transform attribute types (RFC 7296 §3.3.5). */
enum ikh_xattr_type {
    IKH_XATTR_KEY_LENGTH = 14,
};

/** Encryption algorithm transform IDs (type 1). */
enum ikh_encr_id {
    IKH_ENCR_DES_IV64 = 1,
    IKH_ENCR_DES = 2,
    IKH_ENCR_3DES = 3,
    IKH_ENCR_RC5 = 4,
    IKH_ENCR_IDEA = 5,
    IKH_ENCR_CAST = 6,
    IKH_ENCR_BLOWFISH = 7,
    IKH_ENCR_3IDEA = 8,
    IKH_ENCR_DES_IV32 = 9,
    IKH_ENCR_NULL = 11,
    IKH_ENCR_AES_CBC = 12,
    IKH_ENCR_AES_CTR = 13,
    IKH_ENCR_AES_CCM_8 = 14,
    IKH_ENCR_AES_CCM_12 = 15,
    IKH_ENCR_AES_CCM_16 = 16,
    IKH_ENCR_AES_GCM_8 = 18,
    IKH_ENCR_AES_GCM_12 = 19,
    IKH_ENCR_AES_GCM_16 = 20,
    IKH_ENCR_NULL_AUTH_AES_GMAC = 21,
    IKH_ENCR_CAMELLIA_CBC = 23,
    IKH_ENCR_CAMELLIA_CTR = 24,
    IKH_ENCR_CAMELLIA_CCM_8 = 25,
    IKH_ENCR_CAMELLIA_CCM_12 = 26,
    IKH_ENCR_CAMELLIA_CCM_16 = 27,
    IKH_ENCR_CHACHA20_POLY1305 = 28,
    IKH_ENCR_AES_CCM_8_IIV = 29,            /* RFC 8750 */
    IKH_ENCR_AES_GCM_16_IIV = 30,           /* RFC 8750 */
    IKH_ENCR_CHACHA20_POLY1305_IIV = 31,    /* RFC 8750 */
    IKH_ENCR_KUZNYECHIK_MGM_KTREE = 32,     /* RFC 9227 */
    IKH_ENCR_MAGMA_MGM_KTREE = 33,          /* RFC 9227 */
    IKH_ENCR_KUZNYECHIK_MGM_MAC_KTREE = 34, /* RFC 9227 */
    IKH_ENCR_MAGMA_MGM_MAC_KTREE = 35,      /* RFC 9227 */
};

/** Pseudorandom function transform IDs (type 2). */
enum ikh_prf_id {
    IKH_PRF_HMAC_MD5 = 1,
    IKH_PRF_HMAC_SHA1 = 2,
    IKH_PRF_HMAC_TIGER = 3,
    IKH_PRF_AES128_XCBC = 4,
    IKH_PRF_HMAC_SHA2_256 = 5,
    IKH_PRF_HMAC_SHA2_384 = 6,
    IKH_PRF_HMAC_SHA2_512 = 7,
    IKH_PRF_AES128_CMAC = 8,
    IKH_PRF_HMAC_STREEBOG_512 = 9, /* RFC 9385 */
};

/** Integrity algorithm transform IDs (type 3). */
enum ikh_integ_id {
    IKH_INTEG_NONE = 0,
    IKH_INTEG_HMAC_MD5_96 = 1,
    IKH_INTEG_HMAC_SHA1_96 = 2,
    IKH_INTEG_DES_MAC = 3,
    IKH_INTEG_KPDK_MD5 = 4,
    IKH_INTEG_AES_XCBC_96 = 5,
    IKH_INTEG_HMAC_MD5_128 = 6,
    IKH_INTEG_HMAC_SHA1_160 = 7,
    IKH_INTEG_AES_CMAC_96 = 8,
    IKH_INTEG_AES_128_GMAC = 9,
    IKH_INTEG_AES_192_GMAC = 10,
    IKH_INTEG_AES_256_GMAC = 11,
    IKH_INTEG_HMAC_SHA2_256_128 = 12,
    IKH_INTEG_HMAC_SHA2_384_192 = 13,
    IKH_INTEG_HMAC_SHA2_512_256 = 14,
};

/** Key exchange method transform IDs (type 4). */
enum ikh_ke_id {
    IKH_KE_NONE = 0,
    IKH_KE_MODP768 = 1,
    IKH_KE_MODP1024 = 2,
    IKH_KE_MODP1536 = 5,
    IKH_KE_MODP2048 = 14,
    IKH_KE_MODP3072 = 15,
    IKH_KE_MODP4096 = 16,
    IKH_KE_MODP6144 = 17,
    IKH_KE_MODP8192 = 18,
    IKH_KE_ECP256 = 19,
    IKH_KE_ECP384 = 20,
    IKH_KE_ECP521 = 21,
    IKH_KE_MODP1024_160 = 22, /* RFC 5114 */
    IKH_KE_MODP2048_224 = 23, /* RFC 5114 */
    IKH_KE_MODP2048_256 = 24, /* RFC 5114 */
    IKH_KE_ECP192 = 25,
    IKH_KE_ECP224 = 26,
    IKH_KE_BRAINPOOL_P224 = 27, /* RFC 6954 */
    IKH_KE_BRAINPOOL_P256 = 28,
    IKH_KE_BRAINPOOL_P384 = 29,
    IKH_KE_BRAINPOOL_P512 = 30,
    IKH_KE_CURVE25519 = 31,
    IKH_KE_CURVE448 = 32,
    IKH_KE_GOST3410_2012_256 = 33, /* RFC 9385 */
    IKH_KE_GOST3410_2012_512 = 34, /* RFC 9385 */
    IKH_KE_ML_KEM_512 = 35,        /* draft-ietf-ipsecme-ikev2-mlkem */
    IKH_KE_ML_KEM_768 = 36,
    IKH_KE_ML_KEM_1024 = 37,
};

/** Extended sequence numbers transform IDs (type 5). */
enum ikh_esn_id {
    IKH_ESN_NO = 0,
    IKH_ESN_YES = 1,
};

/** Identification types (RFC 7296 §3.5; RFC 4595, 7619). */
enum ikh_id_type {
    IKH_ID_IPV4_ADDR = 1,
    IKH_ID_FQDN = 2,
    IKH_ID_RFC822_ADDR = 3,
    IKH_ID_IPV6_ADDR = 5,
    IKH_ID_DER_ASN1_DN = 9,
    IKH_ID_DER_ASN1_GN = 10,
    IKH_ID_KEY_ID = 11,
    IKH_ID_FC_NAME = 12,
    IKH_ID_NULL = 13,
};

/** Authentication methods (RFC 7296 §3.8; RFC 4754, 7427, 7619). */
enum ikh_auth_method {
    IKH_AUTH_RSA_SIG = 1,
    IKH_AUTH_SHARED_KEY_MIC = 2,
    IKH_AUTH_DSS_SIG = 3,
    IKH_AUTH_ECDSA_SHA256_P256 = 9,
    IKH_AUTH_ECDSA_SHA384_P384 = 10,
    IKH_AUTH_ECDSA_SHA512_P521 = 11,
    IKH_AUTH_GSPAM = 12,
    IKH_AUTH_NULL = 13,
    IKH_AUTH_DIGITAL_SIGNATURE = 14,
};

/** Traffic selector types (RFC 7296 §3.13.1; RFC 4595, 9478). */
enum ikh_ts_type {
    IKH_TS_IPV4_ADDR_RANGE = 7,
    IKH_TS_IPV6_ADDR_RANGE = 8,
    IKH_TS_FC_ADDR_RANGE = 9,
    IKH_TS_SECLABEL = 10,
};

/** Configuration payload types (RFC 7296 §3.15). */
enum ikh_cfg_type {
    IKH_CFG_REQUEST = 1,
    IKH_CFG_REPLY = 2,
    IKH_CFG_SET = 3,
    IKH_CFG_ACK = 4,
};

/** Configuration attribute types (RFC 7296 §3.15.1 and later RFCs). */
enum ikh_cfg_attr {
    IKH_CFG_INTERNAL_IP4_ADDRESS = 1,
    IKH_CFG_INTERNAL_IP4_NETMASK = 2,
    IKH_CFG_INTERNAL_IP4_DNS = 3,
    IKH_CFG_INTERNAL_IP4_NBNS = 4,
    IKH_CFG_INTERNAL_IP4_DHCP = 6,
    IKH_CFG_APPLICATION_VERSION = 7,
    IKH_CFG_INTERNAL_IP6_ADDRESS = 8,
    IKH_CFG_INTERNAL_IP6_DNS = 10,
    IKH_CFG_INTERNAL_IP6_DHCP = 12,
    IKH_CFG_INTERNAL_IP4_SUBNET = 13,
    IKH_CFG_SUPPORTED_ATTRIBUTES = 14,
    IKH_CFG_INTERNAL_IP6_SUBNET = 15,
    IKH_CFG_MIP6_HOME_PREFIX = 16,                  /* RFC 5026 */
    IKH_CFG_INTERNAL_IP6_LINK = 17,                 /* RFC 5739 */
    IKH_CFG_INTERNAL_IP6_PREFIX = 18,               /* RFC 5739 */
    IKH_CFG_HOME_AGENT_ADDRESS = 19,                /* 3GPP TS 24.302 */
    IKH_CFG_P_CSCF_IP4_ADDRESS = 20,                /* RFC 7651 */
    IKH_CFG_P_CSCF_IP6_ADDRESS = 21,                /* RFC 7651 */
    IKH_CFG_FTT_KAT = 22,                           /* 3GPP TS 24.302 */
    IKH_CFG_EXTERNAL_SOURCE_IP4_NAT_INFO = 23,      /* 3GPP TS 24.302 */
    IKH_CFG_TIMEOUT_PERIOD_FOR_LIVENESS_CHECK = 24, /* 3GPP TS 24.302 */
    IKH_CFG_INTERNAL_DNS_DOMAIN = 25,               /* RFC 8598 */
    IKH_CFG_INTERNAL_DNSSEC_TA = 26,                /* RFC 8598 */
    IKH_CFG_ENCDNS_IP4 = 27,                        /* RFC 9464 */
    IKH_CFG_ENCDNS_IP6 = 28,                        /* RFC 9464 */
    IKH_CFG_ENCDNS_DIGEST_INFO = 29,                /* RFC 9464 */
};

/** Certificate encodings (RFC 7296 §3.6; RFC 4806, 7670). */
enum ikh_cert_enc {
    IKH_CERT_PKCS7_WRAPPED_X509 = 1,
    IKH_CERT_PGP = 2,
    IKH_CERT_DNS_SIGNED_KEY = 3,
    IKH_CERT_X509_SIG = 4,
    IKH_CERT_KERBEROS_TOKEN = 6,
    IKH_CERT_CRL = 7,
    IKH_CERT_ARL = 8,
    IKH_CERT_SPKI = 9,
    IKH_CERT_X509_ATTR = 10,
    IKH_CERT_RAW_RSA_KEY = 11, /* deprecated */
    IKH_CERT_HASH_URL_X509 = 12,
    IKH_CERT_HASH_URL_BUNDLE = 13,
    IKH_CERT_OCSP_CONTENT = 14, /* RFC 4806 */
    IKH_CERT_RAW_PUBLIC_KEY = 15,
};

/** EAP codes (RFC 3748 §4; RFC 6696). */
enum ikh_eap_code {
    IKH_EAP_REQUEST = 1,
    IKH_EAP_RESPONSE = 2,
    IKH_EAP_SUCCESS = 3,
    IKH_EAP_FAILURE = 4,
    IKH_EAP_INITIATE = 5, /* RFC 6696 */
    IKH_EAP_FINISH = 6,   /* RFC 6696 */
};

/**
 * Notify message types (RFC 7296 §3.10.1): errors below 16384, status types
 * from 16384.
 */
enum ikh_notify_type {
    IKH_N_NONE = 0,
    IKH_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
    IKH_N_INVALID_IKE_SPI = 4,
    IKH_N_INVALID_MAJOR_VERSION = 5,
    IKH_N_INVALID_SYNTAX = 7,
    IKH_N_INVALID_MESSAGE_ID = 9,
    IKH_N_INVALID_SPI = 11,
    IKH_N_NO_PROPOSAL_CHOSEN = 14,
    IKH_N_INVALID_KE_PAYLOAD = 17,
    IKH_N_AUTHENTICATION_FAILED = 24,
    IKH_N_SINGLE_PAIR_REQUIRED = 34,
    IKH_N_NO_ADDITIONAL_SAS = 35,
    IKH_N_INTERNAL_ADDRESS_FAILURE = 36,
    IKH_N_FAILED_CP_REQUIRED = 37,
    IKH_N_TS_UNACCEPTABLE = 38,
    IKH_N_INVALID_SELECTORS = 39,
    IKH_N_UNACCEPTABLE_ADDRESSES = 40,  /* RFC 4555 */
    IKH_N_UNEXPECTED_NAT_DETECTED = 41, /* RFC 4555 */
    IKH_N_USE_ASSIGNED_HoA = 42,        /* RFC 5026, IANA spelling */
    IKH_N_TEMPORARY_FAILURE = 43,
    IKH_N_CHILD_SA_NOT_FOUND = 44,
    IKH_N_INVALID_GROUP_ID = 45,     /* RFC 9838 */
    IKH_N_AUTHORIZATION_FAILED = 46, /* RFC 9838 */
    IKH_N_STATE_NOT_FOUND = 47,      /* RFC 9370 */
    IKH_N_TS_MAX_QUEUE = 48,         /* RFC 9611 */
    IKH_N_REGISTRATION_FAILED = 49,  /* RFC 9838 */
    IKH_N_INITIAL_CONTACT = 16384,
    IKH_N_SET_WINDOW_SIZE = 16385,
    IKH_N_ADDITIONAL_TS_POSSIBLE = 16386,
    IKH_N_IPCOMP_SUPPORTED = 16387,
    IKH_N_NAT_DETECTION_SOURCE_IP = 16388,
    IKH_N_NAT_DETECTION_DESTINATION_IP = 16389,
    IKH_N_COOKIE = 16390,
    IKH_N_USE_TRANSPORT_MODE = 16391,
    IKH_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
    IKH_N_REKEY_SA = 16393,
    IKH_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
    IKH_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
    IKH_N_MOBIKE_SUPPORTED = 16396,                    /* RFC 4555 */
    IKH_N_ADDITIONAL_IP4_ADDRESS = 16397,              /* RFC 4555 */
    IKH_N_ADDITIONAL_IP6_ADDRESS = 16398,              /* RFC 4555 */
    IKH_N_NO_ADDITIONAL_ADDRESSES = 16399,             /* RFC 4555 */
    IKH_N_UPDATE_SA_ADDRESSES = 16400,                 /* RFC 4555 */
    IKH_N_COOKIE2 = 16401,                             /* RFC 4555 */
    IKH_N_NO_NATS_ALLOWED = 16402,                     /* RFC 4555 */
    IKH_N_AUTH_LIFETIME = 16403,                       /* RFC 4478 */
    IKH_N_MULTIPLE_AUTH_SUPPORTED = 16404,             /* RFC 4739 */
    IKH_N_ANOTHER_AUTH_FOLLOWS = 16405,                /* RFC 4739 */
    IKH_N_REDIRECT_SUPPORTED = 16406,                  /* RFC 5685 */
    IKH_N_REDIRECT = 16407,                            /* RFC 5685 */
    IKH_N_REDIRECTED_FROM = 16408,                     /* RFC 5685 */
    IKH_N_TICKET_LT_OPAQUE = 16409,                    /* RFC 5723 */
    IKH_N_TICKET_REQUEST = 16410,                      /* RFC 5723 */
    IKH_N_TICKET_ACK = 16411,                          /* RFC 5723 */
    IKH_N_TICKET_NACK = 16412,                         /* RFC 5723 */
    IKH_N_TICKET_OPAQUE = 16413,                       /* RFC 5723 */
    IKH_N_LINK_ID = 16414,                             /* RFC 5739 */
    IKH_N_USE_WESP_MODE = 16415,                       /* RFC 5840 */
    IKH_N_ROHC_SUPPORTED = 16416,                      /* RFC 5857 */
    IKH_N_EAP_ONLY_AUTHENTICATION = 16417,             /* RFC 5998 */
    IKH_N_CHILDLESS_IKEV2_SUPPORTED = 16418,           /* RFC 6023 */
    IKH_N_QUICK_CRASH_DETECTION = 16419,               /* RFC 6290 */
    IKH_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420,     /* RFC 6311 */
    IKH_N_IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED = 16421, /* RFC 6311 */
    IKH_N_IKEV2_MESSAGE_ID_SYNC = 16422,               /* RFC 6311 */
    IKH_N_IPSEC_REPLAY_COUNTER_SYNC = 16423,           /* RFC 6311 */
    IKH_N_SECURE_PASSWORD_METHODS = 16424,             /* RFC 6467 */
    IKH_N_PSK_PERSIST = 16425,                         /* RFC 6631 */
    IKH_N_PSK_CONFIRM = 16426,                         /* RFC 6631 */
    IKH_N_ERX_SUPPORTED = 16427,                       /* RFC 6867 */
    IKH_N_IFOM_CAPABILITY = 16428,                     /* 3GPP TS 24.303 */
    IKH_N_GROUP_SENDER = 16429,                        /* RFC 9838 */
    IKH_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,       /* RFC 7383 */
    IKH_N_SIGNATURE_HASH_ALGORITHMS = 16431,           /* RFC 7427 */
    IKH_N_CLONE_IKE_SA_SUPPORTED = 16432,              /* RFC 7791 */
    IKH_N_CLONE_IKE_SA = 16433,                        /* RFC 7791 */
    IKH_N_PUZZLE = 16434,                              /* RFC 8019 */
    IKH_N_USE_PPK = 16435,                             /* RFC 8784 */
    IKH_N_PPK_IDENTITY = 16436,                        /* RFC 8784 */
    IKH_N_NO_PPK_AUTH = 16437,                         /* RFC 8784 */
    IKH_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,     /* RFC 9242 */
    IKH_N_IP4_ALLOWED = 16439,                         /* RFC 8983 */
    IKH_N_IP6_ALLOWED = 16440,                         /* RFC 8983 */
    IKH_N_ADDITIONAL_KEY_EXCHANGE = 16441,             /* RFC 9370 */
    IKH_N_USE_AGGFRAG = 16442,                         /* RFC 9347 */
    IKH_N_SUPPORTED_AUTH_METHODS = 16443,              /* RFC 9593 */
    IKH_N_SA_RESOURCE_INFO = 16444,                    /* RFC 9611 */
    IKH_N_USE_PPK_INT = 16445,                         /* RFC 9867 */
    IKH_N_PPK_IDENTITY_KEY = 16446,                    /* RFC 9867 */
    /* draft-ietf-ipsecme-ikev2-downgrade-prevention */
    IKH_N_IKE_SA_INIT_FULL_TRANSCRIPT_AUTH = 16447,
};

#endif /* IKH_IANA_H */
