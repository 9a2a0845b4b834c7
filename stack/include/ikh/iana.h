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
    /** IKE_SA_INIT: SAs, KE and nonces (RFC 7296 §1.2) */
    IKH_EXCH_IKE_SA_INIT = 34,
    /** IKE_AUTH: identities, AUTH, first Child SA (§1.2) */
    IKH_EXCH_IKE_AUTH = 35,
    /** CREATE_CHILD_SA: new or rekeyed SA (§1.3) */
    IKH_EXCH_CREATE_CHILD_SA = 36,
    /** INFORMATIONAL: Notify, Delete, CP (§1.4) */
    IKH_EXCH_INFORMATIONAL = 37,
    IKH_EXCH_IKE_SESSION_RESUME = 38, /**< IKE_SESSION_RESUME (RFC 5723) */
    IKH_EXCH_GSA_AUTH = 39, /**< GSA_AUTH (group key management, RFC 9838) */
    IKH_EXCH_GSA_REGISTRATION = 40, /**< GSA_REGISTRATION (RFC 9838) */
    IKH_EXCH_GSA_REKEY = 41,        /**< GSA_REKEY (RFC 9838) */
    IKH_EXCH_GSA_INBAND_REKEY = 42, /**< GSA_INBAND_REKEY (RFC 9838) */
    IKH_EXCH_IKE_INTERMEDIATE = 43, /**< IKE_INTERMEDIATE (RFC 9242) */
    IKH_EXCH_IKE_FOLLOWUP_KE = 44,  /**< IKE_FOLLOWUP_KE (RFC 9370) */
};

/** IKE header flags (RFC 7296 §3.1). */
enum ikh_hdr_flag {
    /** Initiator (I) flag: set in messages sent by the original initiator of
     * the IKE SA */
    IKH_HDR_F_INITIATOR = 0x08,
    /** Version (V) flag: the sender can speak a higher major version; IKEv2
     * senders clear it */
    IKH_HDR_F_VERSION = 0x10,
    /** Response (R) flag: the message is a response to the message with the
     * same Message ID */
    IKH_HDR_F_RESPONSE = 0x20,
};

/** Payload types (RFC 7296 §3.2; RFC 6467, 9838, 7383, 8019). */
enum ikh_pl_type {
    IKH_PL_NONE = 0,     /**< No Next Payload */
    IKH_PL_SA = 33,      /**< Security Association payload */
    IKH_PL_KE = 34,      /**< Key Exchange payload */
    IKH_PL_IDI = 35,     /**< Identification - Initiator payload */
    IKH_PL_IDR = 36,     /**< Identification - Responder payload */
    IKH_PL_CERT = 37,    /**< Certificate payload */
    IKH_PL_CERTREQ = 38, /**< Certificate Request payload */
    IKH_PL_AUTH = 39,    /**< Authentication payload */
    IKH_PL_NONCE = 40,   /**< Nonce payload */
    IKH_PL_NOTIFY = 41,  /**< Notify payload */
    IKH_PL_DELETE = 42,  /**< Delete payload */
    IKH_PL_VID = 43,     /**< Vendor ID payload */
    IKH_PL_TSI = 44,     /**< Traffic Selector - Initiator payload */
    IKH_PL_TSR = 45,     /**< Traffic Selector - Responder payload */
    IKH_PL_SK = 46,      /**< Encrypted and Authenticated payload */
    IKH_PL_CP = 47,      /**< Configuration payload */
    IKH_PL_EAP = 48,     /**< Extensible Authentication payload */
    IKH_PL_GSPM = 49,    /**< Generic Secure Password Method payload */
    IKH_PL_IDG = 50,     /**< Group Identification payload */
    IKH_PL_GSA = 51,     /**< Group Security Association payload */
    IKH_PL_KD = 52,      /**< Key Download payload */
    IKH_PL_SKF = 53,     /**< Encrypted and Authenticated Fragment payload */
    IKH_PL_PS = 54,      /**< Puzzle Solution payload */
};

/** Security protocol identifiers (RFC 7296 §3.3.1). */
enum ikh_proto_id {
    IKH_PROTO_IKE = 1,                  /**< IKE */
    IKH_PROTO_AH = 2,                   /**< AH */
    IKH_PROTO_ESP = 3,                  /**< ESP */
    IKH_PROTO_FC_ESP_HEADER = 4,        /**< FC_ESP_HEADER; RFC 4595 */
    IKH_PROTO_FC_CT_AUTHENTICATION = 5, /**< FC_CT_AUTHENTICATION; RFC 4595 */
    IKH_PROTO_GIKE_UPDATE = 6,          /**< GIKE_UPDATE; RFC 9838 */
};

/** Transform types (RFC 7296 §3.3.2; RFC 9370; RFC 9838). */
enum ikh_xform_type {
    IKH_XF_ENCR = 1,    /**< ENCR */
    IKH_XF_PRF = 2,     /**< PRF */
    IKH_XF_INTEG = 3,   /**< INTEG */
    IKH_XF_KE = 4,      /**< KE; "Diffie-Hellman Group" before RFC 9370 */
    IKH_XF_ESN = 5,     /**< ESN */
    IKH_XF_ADDKE1 = 6,  /**< ADDKE1 */
    IKH_XF_ADDKE2 = 7,  /**< ADDKE2 */
    IKH_XF_ADDKE3 = 8,  /**< ADDKE3 */
    IKH_XF_ADDKE4 = 9,  /**< ADDKE4 */
    IKH_XF_ADDKE5 = 10, /**< ADDKE5 */
    IKH_XF_ADDKE6 = 11, /**< ADDKE6 */
    IKH_XF_ADDKE7 = 12, /**< ADDKE7 */
    IKH_XF_KWA = 13,    /**< KWA; Key Wrap Algorithm, RFC 9838 */
    /** GCAUTH; Group Controller Authentication, RFC 9838 */
    IKH_XF_GCAUTH = 14,
};

/** Transform attribute types (RFC 7296 §3.3.5). */
enum ikh_xattr_type {
    IKH_XATTR_KEY_LENGTH = 14, /**< KEY_LENGTH */
};

/** Encryption algorithm transform IDs (type 1). */
enum ikh_encr_id {
    IKH_ENCR_DES_IV64 = 1,            /**< ENCR_DES_IV64 */
    IKH_ENCR_DES = 2,                 /**< ENCR_DES */
    IKH_ENCR_3DES = 3,                /**< ENCR_3DES */
    IKH_ENCR_RC5 = 4,                 /**< ENCR_RC5 */
    IKH_ENCR_IDEA = 5,                /**< ENCR_IDEA */
    IKH_ENCR_CAST = 6,                /**< ENCR_CAST */
    IKH_ENCR_BLOWFISH = 7,            /**< ENCR_BLOWFISH */
    IKH_ENCR_3IDEA = 8,               /**< ENCR_3IDEA */
    IKH_ENCR_DES_IV32 = 9,            /**< ENCR_DES_IV32 */
    IKH_ENCR_NULL = 11,               /**< ENCR_NULL */
    IKH_ENCR_AES_CBC = 12,            /**< ENCR_AES_CBC */
    IKH_ENCR_AES_CTR = 13,            /**< ENCR_AES_CTR */
    IKH_ENCR_AES_CCM_8 = 14,          /**< ENCR_AES_CCM_8 */
    IKH_ENCR_AES_CCM_12 = 15,         /**< ENCR_AES_CCM_12 */
    IKH_ENCR_AES_CCM_16 = 16,         /**< ENCR_AES_CCM_16 */
    IKH_ENCR_AES_GCM_8 = 18,          /**< ENCR_AES_GCM_8 */
    IKH_ENCR_AES_GCM_12 = 19,         /**< ENCR_AES_GCM_12 */
    IKH_ENCR_AES_GCM_16 = 20,         /**< ENCR_AES_GCM_16 */
    IKH_ENCR_NULL_AUTH_AES_GMAC = 21, /**< ENCR_NULL_AUTH_AES_GMAC */
    IKH_ENCR_CAMELLIA_CBC = 23,       /**< ENCR_CAMELLIA_CBC */
    IKH_ENCR_CAMELLIA_CTR = 24,       /**< ENCR_CAMELLIA_CTR */
    IKH_ENCR_CAMELLIA_CCM_8 = 25,     /**< ENCR_CAMELLIA_CCM_8 */
    IKH_ENCR_CAMELLIA_CCM_12 = 26,    /**< ENCR_CAMELLIA_CCM_12 */
    IKH_ENCR_CAMELLIA_CCM_16 = 27,    /**< ENCR_CAMELLIA_CCM_16 */
    IKH_ENCR_CHACHA20_POLY1305 = 28,  /**< ENCR_CHACHA20_POLY1305 */
    IKH_ENCR_AES_CCM_8_IIV = 29,      /**< ENCR_AES_CCM_8_IIV; RFC 8750 */
    IKH_ENCR_AES_GCM_16_IIV = 30,     /**< ENCR_AES_GCM_16_IIV; RFC 8750 */
    /** ENCR_CHACHA20_POLY1305_IIV; RFC 8750 */
    IKH_ENCR_CHACHA20_POLY1305_IIV = 31,
    /** ENCR_KUZNYECHIK_MGM_KTREE; RFC 9227 */
    IKH_ENCR_KUZNYECHIK_MGM_KTREE = 32,
    IKH_ENCR_MAGMA_MGM_KTREE = 33, /**< ENCR_MAGMA_MGM_KTREE; RFC 9227 */
    /** ENCR_KUZNYECHIK_MGM_MAC_KTREE; RFC 9227 */
    IKH_ENCR_KUZNYECHIK_MGM_MAC_KTREE = 34,
    /** ENCR_MAGMA_MGM_MAC_KTREE; RFC 9227 */
    IKH_ENCR_MAGMA_MGM_MAC_KTREE = 35,
};

/** Pseudorandom function transform IDs (type 2). */
enum ikh_prf_id {
    IKH_PRF_HMAC_MD5 = 1,          /**< PRF_HMAC_MD5 */
    IKH_PRF_HMAC_SHA1 = 2,         /**< PRF_HMAC_SHA1 */
    IKH_PRF_HMAC_TIGER = 3,        /**< PRF_HMAC_TIGER */
    IKH_PRF_AES128_XCBC = 4,       /**< PRF_AES128_XCBC */
    IKH_PRF_HMAC_SHA2_256 = 5,     /**< PRF_HMAC_SHA2_256 */
    IKH_PRF_HMAC_SHA2_384 = 6,     /**< PRF_HMAC_SHA2_384 */
    IKH_PRF_HMAC_SHA2_512 = 7,     /**< PRF_HMAC_SHA2_512 */
    IKH_PRF_AES128_CMAC = 8,       /**< PRF_AES128_CMAC */
    IKH_PRF_HMAC_STREEBOG_512 = 9, /**< PRF_HMAC_STREEBOG_512; RFC 9385 */
};

/** Integrity algorithm transform IDs (type 3). */
enum ikh_integ_id {
    IKH_INTEG_NONE = 0,               /**< NONE */
    IKH_INTEG_HMAC_MD5_96 = 1,        /**< AUTH_HMAC_MD5_96 */
    IKH_INTEG_HMAC_SHA1_96 = 2,       /**< AUTH_HMAC_SHA1_96 */
    IKH_INTEG_DES_MAC = 3,            /**< AUTH_DES_MAC */
    IKH_INTEG_KPDK_MD5 = 4,           /**< AUTH_KPDK_MD5 */
    IKH_INTEG_AES_XCBC_96 = 5,        /**< AUTH_AES_XCBC_96 */
    IKH_INTEG_HMAC_MD5_128 = 6,       /**< AUTH_HMAC_MD5_128 */
    IKH_INTEG_HMAC_SHA1_160 = 7,      /**< AUTH_HMAC_SHA1_160 */
    IKH_INTEG_AES_CMAC_96 = 8,        /**< AUTH_AES_CMAC_96 */
    IKH_INTEG_AES_128_GMAC = 9,       /**< AUTH_AES_128_GMAC */
    IKH_INTEG_AES_192_GMAC = 10,      /**< AUTH_AES_192_GMAC */
    IKH_INTEG_AES_256_GMAC = 11,      /**< AUTH_AES_256_GMAC */
    IKH_INTEG_HMAC_SHA2_256_128 = 12, /**< AUTH_HMAC_SHA2_256_128 */
    IKH_INTEG_HMAC_SHA2_384_192 = 13, /**< AUTH_HMAC_SHA2_384_192 */
    IKH_INTEG_HMAC_SHA2_512_256 = 14, /**< AUTH_HMAC_SHA2_512_256 */
};

/** Key exchange method transform IDs (type 4). */
enum ikh_ke_id {
    IKH_KE_NONE = 0,               /**< NONE */
    IKH_KE_MODP768 = 1,            /**< MODP_768 */
    IKH_KE_MODP1024 = 2,           /**< MODP_1024 */
    IKH_KE_MODP1536 = 5,           /**< MODP_1536 */
    IKH_KE_MODP2048 = 14,          /**< MODP_2048 */
    IKH_KE_MODP3072 = 15,          /**< MODP_3072 */
    IKH_KE_MODP4096 = 16,          /**< MODP_4096 */
    IKH_KE_MODP6144 = 17,          /**< MODP_6144 */
    IKH_KE_MODP8192 = 18,          /**< MODP_8192 */
    IKH_KE_ECP256 = 19,            /**< ECP_256 */
    IKH_KE_ECP384 = 20,            /**< ECP_384 */
    IKH_KE_ECP521 = 21,            /**< ECP_521 */
    IKH_KE_MODP1024_160 = 22,      /**< MODP_1024_160; RFC 5114 */
    IKH_KE_MODP2048_224 = 23,      /**< MODP_2048_224; RFC 5114 */
    IKH_KE_MODP2048_256 = 24,      /**< MODP_2048_256; RFC 5114 */
    IKH_KE_ECP192 = 25,            /**< ECP_192 */
    IKH_KE_ECP224 = 26,            /**< ECP_224 */
    IKH_KE_BRAINPOOL_P224 = 27,    /**< BRAINPOOL_P224; RFC 6954 */
    IKH_KE_BRAINPOOL_P256 = 28,    /**< BRAINPOOL_P256 */
    IKH_KE_BRAINPOOL_P384 = 29,    /**< BRAINPOOL_P384 */
    IKH_KE_BRAINPOOL_P512 = 30,    /**< BRAINPOOL_P512 */
    IKH_KE_CURVE25519 = 31,        /**< CURVE25519 */
    IKH_KE_CURVE448 = 32,          /**< CURVE448 */
    IKH_KE_GOST3410_2012_256 = 33, /**< GOST3410_2012_256; RFC 9385 */
    IKH_KE_GOST3410_2012_512 = 34, /**< GOST3410_2012_512; RFC 9385 */
    IKH_KE_ML_KEM_512 = 35,  /**< ML_KEM_512; draft-ietf-ipsecme-ikev2-mlkem */
    IKH_KE_ML_KEM_768 = 36,  /**< ML_KEM_768 */
    IKH_KE_ML_KEM_1024 = 37, /**< ML_KEM_1024 */
};

/** Extended sequence numbers transform IDs (type 5). */
enum ikh_esn_id {
    IKH_ESN_NO = 0,  /**< NO_ESN */
    IKH_ESN_YES = 1, /**< ESN */
};

/** Identification types (RFC 7296 §3.5; RFC 4595, 7619). */
enum ikh_id_type {
    IKH_ID_IPV4_ADDR = 1,    /**< ID_IPV4_ADDR */
    IKH_ID_FQDN = 2,         /**< ID_FQDN */
    IKH_ID_RFC822_ADDR = 3,  /**< ID_RFC822_ADDR */
    IKH_ID_IPV6_ADDR = 5,    /**< ID_IPV6_ADDR */
    IKH_ID_DER_ASN1_DN = 9,  /**< ID_DER_ASN1_DN */
    IKH_ID_DER_ASN1_GN = 10, /**< ID_DER_ASN1_GN */
    IKH_ID_KEY_ID = 11,      /**< ID_KEY_ID */
    IKH_ID_FC_NAME = 12,     /**< ID_FC_NAME */
    IKH_ID_NULL = 13,        /**< ID_NULL */
};

/** Authentication methods (RFC 7296 §3.8; RFC 4754, 7427, 7619). */
enum ikh_auth_method {
    IKH_AUTH_RSA_SIG = 1,            /**< RSA_SIG */
    IKH_AUTH_SHARED_KEY_MIC = 2,     /**< SHARED_KEY_MIC */
    IKH_AUTH_DSS_SIG = 3,            /**< DSS_SIG */
    IKH_AUTH_ECDSA_SHA256_P256 = 9,  /**< ECDSA_SHA256_P256 */
    IKH_AUTH_ECDSA_SHA384_P384 = 10, /**< ECDSA_SHA384_P384 */
    IKH_AUTH_ECDSA_SHA512_P521 = 11, /**< ECDSA_SHA512_P521 */
    IKH_AUTH_GSPAM = 12,             /**< GSPAM */
    IKH_AUTH_NULL = 13,              /**< NULL */
    IKH_AUTH_DIGITAL_SIGNATURE = 14, /**< DIGITAL_SIGNATURE */
};

/** Traffic selector types (RFC 7296 §3.13.1; RFC 4595, 9478). */
enum ikh_ts_type {
    IKH_TS_IPV4_ADDR_RANGE = 7, /**< TS_IPV4_ADDR_RANGE */
    IKH_TS_IPV6_ADDR_RANGE = 8, /**< TS_IPV6_ADDR_RANGE */
    IKH_TS_FC_ADDR_RANGE = 9,   /**< TS_FC_ADDR_RANGE */
    IKH_TS_SECLABEL = 10,       /**< TS_SECLABEL */
};

/** Configuration payload types (RFC 7296 §3.15). */
enum ikh_cfg_type {
    IKH_CFG_REQUEST = 1, /**< CFG_REQUEST */
    IKH_CFG_REPLY = 2,   /**< CFG_REPLY */
    IKH_CFG_SET = 3,     /**< CFG_SET */
    IKH_CFG_ACK = 4,     /**< CFG_ACK */
};

/** Configuration attribute types (RFC 7296 §3.15.1 and later RFCs). */
enum ikh_cfg_attr {
    IKH_CFG_INTERNAL_IP4_ADDRESS = 1,  /**< INTERNAL_IP4_ADDRESS */
    IKH_CFG_INTERNAL_IP4_NETMASK = 2,  /**< INTERNAL_IP4_NETMASK */
    IKH_CFG_INTERNAL_IP4_DNS = 3,      /**< INTERNAL_IP4_DNS */
    IKH_CFG_INTERNAL_IP4_NBNS = 4,     /**< INTERNAL_IP4_NBNS */
    IKH_CFG_INTERNAL_IP4_DHCP = 6,     /**< INTERNAL_IP4_DHCP */
    IKH_CFG_APPLICATION_VERSION = 7,   /**< APPLICATION_VERSION */
    IKH_CFG_INTERNAL_IP6_ADDRESS = 8,  /**< INTERNAL_IP6_ADDRESS */
    IKH_CFG_INTERNAL_IP6_DNS = 10,     /**< INTERNAL_IP6_DNS */
    IKH_CFG_INTERNAL_IP6_DHCP = 12,    /**< INTERNAL_IP6_DHCP */
    IKH_CFG_INTERNAL_IP4_SUBNET = 13,  /**< INTERNAL_IP4_SUBNET */
    IKH_CFG_SUPPORTED_ATTRIBUTES = 14, /**< SUPPORTED_ATTRIBUTES */
    IKH_CFG_INTERNAL_IP6_SUBNET = 15,  /**< INTERNAL_IP6_SUBNET */
    IKH_CFG_MIP6_HOME_PREFIX = 16,     /**< MIP6_HOME_PREFIX; RFC 5026 */
    IKH_CFG_INTERNAL_IP6_LINK = 17,    /**< INTERNAL_IP6_LINK; RFC 5739 */
    IKH_CFG_INTERNAL_IP6_PREFIX = 18,  /**< INTERNAL_IP6_PREFIX; RFC 5739 */
    IKH_CFG_HOME_AGENT_ADDRESS = 19, /**< HOME_AGENT_ADDRESS; 3GPP TS 24.302 */
    IKH_CFG_P_CSCF_IP4_ADDRESS = 20, /**< P_CSCF_IP4_ADDRESS; RFC 7651 */
    IKH_CFG_P_CSCF_IP6_ADDRESS = 21, /**< P_CSCF_IP6_ADDRESS; RFC 7651 */
    IKH_CFG_FTT_KAT = 22,            /**< FTT_KAT; 3GPP TS 24.302 */
    /** EXTERNAL_SOURCE_IP4_NAT_INFO; 3GPP TS 24.302 */
    IKH_CFG_EXTERNAL_SOURCE_IP4_NAT_INFO = 23,
    /** TIMEOUT_PERIOD_FOR_LIVENESS_CHECK; 3GPP TS 24.302 */
    IKH_CFG_TIMEOUT_PERIOD_FOR_LIVENESS_CHECK = 24,
    IKH_CFG_INTERNAL_DNS_DOMAIN = 25, /**< INTERNAL_DNS_DOMAIN; RFC 8598 */
    IKH_CFG_INTERNAL_DNSSEC_TA = 26,  /**< INTERNAL_DNSSEC_TA; RFC 8598 */
    IKH_CFG_ENCDNS_IP4 = 27,          /**< ENCDNS_IP4; RFC 9464 */
    IKH_CFG_ENCDNS_IP6 = 28,          /**< ENCDNS_IP6; RFC 9464 */
    IKH_CFG_ENCDNS_DIGEST_INFO = 29,  /**< ENCDNS_DIGEST_INFO; RFC 9464 */
};

/** Certificate encodings (RFC 7296 §3.6; RFC 4806, 7670). */
enum ikh_cert_enc {
    IKH_CERT_PKCS7_WRAPPED_X509 = 1, /**< PKCS7_WRAPPED_X509 */
    IKH_CERT_PGP = 2,                /**< PGP */
    IKH_CERT_DNS_SIGNED_KEY = 3,     /**< DNS_SIGNED_KEY */
    IKH_CERT_X509_SIG = 4,           /**< X509_CERT_SIGNATURE */
    IKH_CERT_KERBEROS_TOKEN = 6,     /**< KERBEROS_TOKEN */
    IKH_CERT_CRL = 7,                /**< CRL */
    IKH_CERT_ARL = 8,                /**< ARL */
    IKH_CERT_SPKI = 9,               /**< SPKI */
    IKH_CERT_X509_ATTR = 10,         /**< X509_CERT_ATTRIBUTE */
    IKH_CERT_RAW_RSA_KEY = 11,       /**< RAW_RSA_KEY; deprecated */
    IKH_CERT_HASH_URL_X509 = 12,     /**< HASH_URL_X509_CERT */
    IKH_CERT_HASH_URL_BUNDLE = 13,   /**< HASH_URL_X509_BUNDLE */
    IKH_CERT_OCSP_CONTENT = 14,      /**< OCSP_CONTENT; RFC 4806 */
    IKH_CERT_RAW_PUBLIC_KEY = 15,    /**< RAW_PUBLIC_KEY */
};

/** EAP codes (RFC 3748 §4; RFC 6696). */
enum ikh_eap_code {
    IKH_EAP_REQUEST = 1,  /**< REQUEST */
    IKH_EAP_RESPONSE = 2, /**< RESPONSE */
    IKH_EAP_SUCCESS = 3,  /**< SUCCESS */
    IKH_EAP_FAILURE = 4,  /**< FAILURE */
    IKH_EAP_INITIATE = 5, /**< INITIATE; RFC 6696 */
    IKH_EAP_FINISH = 6,   /**< FINISH; RFC 6696 */
};

/**
 * Notify message types (RFC 7296 §3.10.1): errors below 16384, status types
 * from 16384.
 */
enum ikh_notify_type {
    IKH_N_NONE = 0, /**< no Notify (0 is reserved in the registry); used as "no
                       Notify to send" */
    /** UNSUPPORTED_CRITICAL_PAYLOAD (error type) */
    IKH_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
    IKH_N_INVALID_IKE_SPI = 4,        /**< INVALID_IKE_SPI (error type) */
    IKH_N_INVALID_MAJOR_VERSION = 5,  /**< INVALID_MAJOR_VERSION (error type) */
    IKH_N_INVALID_SYNTAX = 7,         /**< INVALID_SYNTAX (error type) */
    IKH_N_INVALID_MESSAGE_ID = 9,     /**< INVALID_MESSAGE_ID (error type) */
    IKH_N_INVALID_SPI = 11,           /**< INVALID_SPI (error type) */
    IKH_N_NO_PROPOSAL_CHOSEN = 14,    /**< NO_PROPOSAL_CHOSEN (error type) */
    IKH_N_INVALID_KE_PAYLOAD = 17,    /**< INVALID_KE_PAYLOAD (error type) */
    IKH_N_AUTHENTICATION_FAILED = 24, /**< AUTHENTICATION_FAILED (error type) */
    IKH_N_SINGLE_PAIR_REQUIRED = 34,  /**< SINGLE_PAIR_REQUIRED (error type) */
    IKH_N_NO_ADDITIONAL_SAS = 35,     /**< NO_ADDITIONAL_SAS (error type) */
    /** INTERNAL_ADDRESS_FAILURE (error type) */
    IKH_N_INTERNAL_ADDRESS_FAILURE = 36,
    IKH_N_FAILED_CP_REQUIRED = 37, /**< FAILED_CP_REQUIRED (error type) */
    IKH_N_TS_UNACCEPTABLE = 38,    /**< TS_UNACCEPTABLE (error type) */
    IKH_N_INVALID_SELECTORS = 39,  /**< INVALID_SELECTORS (error type) */
    /** UNACCEPTABLE_ADDRESSES (error type); RFC 4555 */
    IKH_N_UNACCEPTABLE_ADDRESSES = 40,
    /** UNEXPECTED_NAT_DETECTED (error type); RFC 4555 */
    IKH_N_UNEXPECTED_NAT_DETECTED = 41,
    /** USE_ASSIGNED_HoA (error type); RFC 5026, IANA spelling */
    IKH_N_USE_ASSIGNED_HoA = 42,
    IKH_N_TEMPORARY_FAILURE = 43,  /**< TEMPORARY_FAILURE (error type) */
    IKH_N_CHILD_SA_NOT_FOUND = 44, /**< CHILD_SA_NOT_FOUND (error type) */
    IKH_N_INVALID_GROUP_ID = 45, /**< INVALID_GROUP_ID (error type); RFC 9838 */
    /** AUTHORIZATION_FAILED (error type); RFC 9838 */
    IKH_N_AUTHORIZATION_FAILED = 46,
    IKH_N_STATE_NOT_FOUND = 47, /**< STATE_NOT_FOUND (error type); RFC 9370 */
    IKH_N_TS_MAX_QUEUE = 48,    /**< TS_MAX_QUEUE (error type); RFC 9611 */
    /** REGISTRATION_FAILED (error type); RFC 9838 */
    IKH_N_REGISTRATION_FAILED = 49,
    IKH_N_INITIAL_CONTACT = 16384, /**< INITIAL_CONTACT (status type) */
    IKH_N_SET_WINDOW_SIZE = 16385, /**< SET_WINDOW_SIZE (status type) */
    /** ADDITIONAL_TS_POSSIBLE (status type) */
    IKH_N_ADDITIONAL_TS_POSSIBLE = 16386,
    IKH_N_IPCOMP_SUPPORTED = 16387, /**< IPCOMP_SUPPORTED (status type) */
    /** NAT_DETECTION_SOURCE_IP (status type) */
    IKH_N_NAT_DETECTION_SOURCE_IP = 16388,
    /** NAT_DETECTION_DESTINATION_IP (status type) */
    IKH_N_NAT_DETECTION_DESTINATION_IP = 16389,
    IKH_N_COOKIE = 16390,             /**< COOKIE (status type) */
    IKH_N_USE_TRANSPORT_MODE = 16391, /**< USE_TRANSPORT_MODE (status type) */
    /** HTTP_CERT_LOOKUP_SUPPORTED (status type) */
    IKH_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
    IKH_N_REKEY_SA = 16393, /**< REKEY_SA (status type) */
    /** ESP_TFC_PADDING_NOT_SUPPORTED (status type) */
    IKH_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
    /** NON_FIRST_FRAGMENTS_ALSO (status type) */
    IKH_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
    /** MOBIKE_SUPPORTED (status type); RFC 4555 */
    IKH_N_MOBIKE_SUPPORTED = 16396,
    /** ADDITIONAL_IP4_ADDRESS (status type); RFC 4555 */
    IKH_N_ADDITIONAL_IP4_ADDRESS = 16397,
    /** ADDITIONAL_IP6_ADDRESS (status type); RFC 4555 */
    IKH_N_ADDITIONAL_IP6_ADDRESS = 16398,
    /** NO_ADDITIONAL_ADDRESSES (status type); RFC 4555 */
    IKH_N_NO_ADDITIONAL_ADDRESSES = 16399,
    /** UPDATE_SA_ADDRESSES (status type); RFC 4555 */
    IKH_N_UPDATE_SA_ADDRESSES = 16400,
    IKH_N_COOKIE2 = 16401, /**< COOKIE2 (status type); RFC 4555 */
    /** NO_NATS_ALLOWED (status type); RFC 4555 */
    IKH_N_NO_NATS_ALLOWED = 16402,
    IKH_N_AUTH_LIFETIME = 16403, /**< AUTH_LIFETIME (status type); RFC 4478 */
    /** MULTIPLE_AUTH_SUPPORTED (status type); RFC 4739 */
    IKH_N_MULTIPLE_AUTH_SUPPORTED = 16404,
    /** ANOTHER_AUTH_FOLLOWS (status type); RFC 4739 */
    IKH_N_ANOTHER_AUTH_FOLLOWS = 16405,
    /** REDIRECT_SUPPORTED (status type); RFC 5685 */
    IKH_N_REDIRECT_SUPPORTED = 16406,
    IKH_N_REDIRECT = 16407, /**< REDIRECT (status type); RFC 5685 */
    /** REDIRECTED_FROM (status type); RFC 5685 */
    IKH_N_REDIRECTED_FROM = 16408,
    /** TICKET_LT_OPAQUE (status type); RFC 5723 */
    IKH_N_TICKET_LT_OPAQUE = 16409,
    IKH_N_TICKET_REQUEST = 16410, /**< TICKET_REQUEST (status type); RFC 5723 */
    IKH_N_TICKET_ACK = 16411,     /**< TICKET_ACK (status type); RFC 5723 */
    IKH_N_TICKET_NACK = 16412,    /**< TICKET_NACK (status type); RFC 5723 */
    IKH_N_TICKET_OPAQUE = 16413,  /**< TICKET_OPAQUE (status type); RFC 5723 */
    IKH_N_LINK_ID = 16414,        /**< LINK_ID (status type); RFC 5739 */
    IKH_N_USE_WESP_MODE = 16415,  /**< USE_WESP_MODE (status type); RFC 5840 */
    IKH_N_ROHC_SUPPORTED = 16416, /**< ROHC_SUPPORTED (status type); RFC 5857 */
    /** EAP_ONLY_AUTHENTICATION (status type); RFC 5998 */
    IKH_N_EAP_ONLY_AUTHENTICATION = 16417,
    /** CHILDLESS_IKEV2_SUPPORTED (status type); RFC 6023 */
    IKH_N_CHILDLESS_IKEV2_SUPPORTED = 16418,
    /** QUICK_CRASH_DETECTION (status type); RFC 6290 */
    IKH_N_QUICK_CRASH_DETECTION = 16419,
    /** IKEV2_MESSAGE_ID_SYNC_SUPPORTED (status type); RFC 6311 */
    IKH_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420,
    /** IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED (status type); RFC 6311 */
    IKH_N_IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED = 16421,
    /** IKEV2_MESSAGE_ID_SYNC (status type); RFC 6311 */
    IKH_N_IKEV2_MESSAGE_ID_SYNC = 16422,
    /** IPSEC_REPLAY_COUNTER_SYNC (status type); RFC 6311 */
    IKH_N_IPSEC_REPLAY_COUNTER_SYNC = 16423,
    /** SECURE_PASSWORD_METHODS (status type); RFC 6467 */
    IKH_N_SECURE_PASSWORD_METHODS = 16424,
    IKH_N_PSK_PERSIST = 16425,   /**< PSK_PERSIST (status type); RFC 6631 */
    IKH_N_PSK_CONFIRM = 16426,   /**< PSK_CONFIRM (status type); RFC 6631 */
    IKH_N_ERX_SUPPORTED = 16427, /**< ERX_SUPPORTED (status type); RFC 6867 */
    /** IFOM_CAPABILITY (status type); 3GPP TS 24.303 */
    IKH_N_IFOM_CAPABILITY = 16428,
    IKH_N_GROUP_SENDER = 16429, /**< GROUP_SENDER (status type); RFC 9838 */
    /** IKEV2_FRAGMENTATION_SUPPORTED (status type); RFC 7383 */
    IKH_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
    /** SIGNATURE_HASH_ALGORITHMS (status type); RFC 7427 */
    IKH_N_SIGNATURE_HASH_ALGORITHMS = 16431,
    /** CLONE_IKE_SA_SUPPORTED (status type); RFC 7791 */
    IKH_N_CLONE_IKE_SA_SUPPORTED = 16432,
    IKH_N_CLONE_IKE_SA = 16433, /**< CLONE_IKE_SA (status type); RFC 7791 */
    IKH_N_PUZZLE = 16434,       /**< PUZZLE (status type); RFC 8019 */
    IKH_N_USE_PPK = 16435,      /**< USE_PPK (status type); RFC 8784 */
    IKH_N_PPK_IDENTITY = 16436, /**< PPK_IDENTITY (status type); RFC 8784 */
    IKH_N_NO_PPK_AUTH = 16437,  /**< NO_PPK_AUTH (status type); RFC 8784 */
    /** INTERMEDIATE_EXCHANGE_SUPPORTED (status type); RFC 9242 */
    IKH_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,
    IKH_N_IP4_ALLOWED = 16439, /**< IP4_ALLOWED (status type); RFC 8983 */
    IKH_N_IP6_ALLOWED = 16440, /**< IP6_ALLOWED (status type); RFC 8983 */
    /** ADDITIONAL_KEY_EXCHANGE (status type); RFC 9370 */
    IKH_N_ADDITIONAL_KEY_EXCHANGE = 16441,
    IKH_N_USE_AGGFRAG = 16442, /**< USE_AGGFRAG (status type); RFC 9347 */
    /** SUPPORTED_AUTH_METHODS (status type); RFC 9593 */
    IKH_N_SUPPORTED_AUTH_METHODS = 16443,
    /** SA_RESOURCE_INFO (status type); RFC 9611 */
    IKH_N_SA_RESOURCE_INFO = 16444,
    IKH_N_USE_PPK_INT = 16445, /**< USE_PPK_INT (status type); RFC 9867 */
    /** PPK_IDENTITY_KEY (status type); RFC 9867 */
    IKH_N_PPK_IDENTITY_KEY = 16446,
    /** IKE_SA_INIT_FULL_TRANSCRIPT_AUTH (status type);
     * draft-ietf-ipsecme-ikev2-downgrade-prevention */
    IKH_N_IKE_SA_INIT_FULL_TRANSCRIPT_AUTH = 16447,
};

#endif /* IKH_IANA_H */
