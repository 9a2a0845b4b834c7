/* SPDX-License-Identifier: MIT */
/**
 * @file keytab.h
 * @brief Wireshark key tables: ikev2_decryption_table and esp_sa lines in
 *        the column order, quoting and algorithm names tshark 4.0 accepts.
 *
 * ikev2_decryption_table (one SA per line):
 * @code
 * <ispi 16 hex>,<rspi 16 hex>,<SK_ei hex>,<SK_er hex>,"<encr>",<SK_ai
 * hex>,<SK_ar hex>,"<integ>"
 * @endcode
 * SK_e* include the salt of AEAD and CTR transforms (RFC 5282, RFC 5930);
 * AEAD lines have empty SK_a* and integrity "NONE [RFC4306]". tshark
 * refuses the whole table when a key length does not match its algorithm.
 *
 * esp_sa (one direction per line, every field quoted):
 * @code
 * "IPv4|IPv6","<src>","<dst>","0x<spi 8 hex>","<encr>","0x<key
 * hex>","<auth>","0x<key hex>"
 * @endcode
 * For AES-GCM the key includes the 4-octet salt and the authentication is
 * "NULL" with an empty key (tshark also needs -o
 * esp.enable_encryption_decode:TRUE).
 *
 * Names (tshark 4.0.17, each checked by loading a table; see
 * test_pcap_keytab.c): IKE encryption "3DES [RFC2451]", "NULL [RFC2410]",
 * "AES-CBC-<bits> [RFC3602]", "AES-CTR-<bits> [RFC5930]",
 * "AES-GCM-<bits> with <8|12|16> octet ICV [RFC5282]",
 * "AES-CCM-<bits> with <8|12|16> octet ICV [RFC5282]"; IKE integrity
 * "HMAC_MD5_96 [RFC2403]", "HMAC_SHA1_96 [RFC2404]",
 * "HMAC_MD5_128 [RFC4595]", "HMAC_SHA1_160 [RFC4595]",
 * "HMAC_SHA2_256_128 [RFC4868]", "HMAC_SHA2_384_192 [RFC4868]",
 * "HMAC_SHA2_512_256 [RFC4868]", "NONE [RFC4306]"; ESP encryption
 * "NULL", "TripleDES-CBC [RFC2451]", "AES-CBC [RFC3602]",
 * "AES-CTR [RFC3686]", "AES-GCM with <8|12|16> octet ICV [RFC4106]";
 * ESP authentication "NULL", "HMAC-MD5-96 [RFC2403]",
 * "HMAC-SHA-1-96 [RFC2404]", "HMAC-SHA-256-128 [RFC4868]",
 * "HMAC-SHA-384-192 [RFC4868]", "HMAC-SHA-512-256 [RFC4868]".
 * tshark 4.0 has no ChaCha20-Poly1305 (IKE or ESP), AES-XCBC or AES-CMAC:
 * those transforms get CRYPTO_UNSUPPORTED.
 */
#ifndef IKH_KEYTAB_H
#define IKH_KEYTAB_H

#include "ikh/env.h"

/** Longest line either writer produces (keys of IKH_KEYTAB_KEY_MAX). */
#define IKH_KEYTAB_LINE_MAX 1024u
/** Longest key written, in octets. */
#define IKH_KEYTAB_KEY_MAX 128u

/** One IKE SA for ikev2_decryption_table. Spans are borrowed. */
typedef struct ikh_keytab_ike {
    uint64_t ispi;          /**< initiator SPI, as read big-endian */
    uint64_t rspi;          /**< responder SPI */
    uint16_t encr_id;       /**< IANA ENCR Transform ID */
    uint16_t encr_key_bits; /**< Key Length attribute (0 when none) */
    uint16_t integ_id;      /**< IANA INTEG Transform ID (0 for AEAD) */
    ikh_span sk_ei;         /**< SK_ei (salt included) */
    ikh_span sk_er;         /**< SK_er */
    ikh_span sk_ai;         /**< SK_ai (empty for AEAD) */
    ikh_span sk_ar;         /**< SK_ar */
} ikh_keytab_ike;

/** One ESP SA direction for esp_sa. Spans are borrowed. */
typedef struct ikh_keytab_esp {
    ikh_addr src;       /**< outer source address */
    ikh_addr dst;       /**< outer destination address */
    uint32_t spi;       /**< SPI of this direction */
    uint16_t encr_id;   /**< IANA ENCR Transform ID */
    uint16_t integ_id;  /**< IANA INTEG Transform ID (0 for AEAD) */
    ikh_span encr_key;  /**< encryption key (salt included) */
    ikh_span integ_key; /**< integrity key (empty for AEAD) */
} ikh_keytab_esp;

/**
 * @brief tshark 4.0's name of an IKE encryption transform.
 * @param id IANA ENCR ID @param key_bits Key Length attribute (0: none)
 * @return a static string; NULL when tshark cannot decrypt it.
 */
const char *ikh_keytab_ike_encr_name(uint16_t id, uint16_t key_bits);

/**
 * @brief tshark 4.0's name of an IKE integrity transform.
 * @param id IANA INTEG ID (0: none, for AEAD)
 * @return a static string; NULL when tshark cannot check it.
 */
const char *ikh_keytab_ike_integ_name(uint16_t id);

/**
 * @brief tshark 4.0's name of an ESP encryption transform.
 * @param id IANA ENCR ID
 * @return a static string; NULL when tshark cannot decrypt it.
 */
const char *ikh_keytab_esp_encr_name(uint16_t id);

/**
 * @brief tshark 4.0's name of an ESP authentication transform.
 * @param id IANA INTEG ID (0: "NULL", for AEAD)
 * @return a static string; NULL when tshark cannot check it.
 */
const char *ikh_keytab_esp_integ_name(uint16_t id);

/**
 * @brief Format one ikev2_decryption_table line, "\n" included.
 * @param e   the SA (borrowed)
 * @param buf output (borrowed), NUL-terminated on success
 * @param cap its capacity
 * @param len receives the length without the NUL (borrowed; may be NULL)
 * @return IKH_OK; ARG_INVALID (NULL, key over IKH_KEYTAB_KEY_MAX);
 *         CRYPTO_UNSUPPORTED (tshark has no name for a transform);
 *         WIRE_NOBUF (buf too small).
 */
IKH_MUST_USE ikh_err ikh_keytab_ike_line(const ikh_keytab_ike *e, char *buf,
                                         size_t cap, size_t *len);

/**
 * @brief Format one esp_sa line, "\n" included.
 * @param e   the SA direction (borrowed)
 * @param buf output (borrowed) @param cap its capacity
 * @param len receives the length without the NUL (borrowed; may be NULL)
 * @return as ikh_keytab_ike_line(); also ARG_INVALID when the address
 *         families differ or are not 4/6.
 */
IKH_MUST_USE ikh_err ikh_keytab_esp_line(const ikh_keytab_esp *e, char *buf,
                                         size_t cap, size_t *len);

/**
 * @brief Write an ikev2_decryption_table file (created or truncated).
 * @param path file name, usually
 * "<WIRESHARK_CONFIG_DIR>/ikev2_decryption_table"
 * @param e    SAs (borrowed) @param n their count
 * @return IKH_OK; the errors of ikh_keytab_ike_line() (nothing written);
 *         IO_OPEN; IO_WRITE.
 */
IKH_MUST_USE ikh_err ikh_keytab_ike_write(const char *path,
                                          const ikh_keytab_ike *e, size_t n);

/**
 * @brief Write an esp_sa file (created or truncated).
 * @param path file name, usually "<WIRESHARK_CONFIG_DIR>/esp_sa"
 * @param e    SA directions (borrowed) @param n their count
 * @return as ikh_keytab_ike_write().
 */
IKH_MUST_USE ikh_err ikh_keytab_esp_write(const char *path,
                                          const ikh_keytab_esp *e, size_t n);

#endif /* IKH_KEYTAB_H */
