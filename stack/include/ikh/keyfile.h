/* SPDX-License-Identifier: MIT */
/**
 * @file keyfile.h
 * @brief A bounded DER reader (ITU-T X.690, definite lengths only), PEM
 *        armor decoding (RFC 7468), and loading of RSA and ECDSA keys
 *        (P-256/384/521) into Nettle-ready form.
 *
 * Accepted encodings: PKCS#1 RSAPrivateKey and RSAPublicKey (RFC 8017
 * App. A.1), PKCS#8 PrivateKeyInfo (RFC 5208), SEC1 ECPrivateKey (RFC 5915),
 * SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 5480), as DER or PEM. Encrypted
 * PKCS#8, explicit curve parameters, and other key types give
 * IKH_ERR_CRYPTO_KEY_FORMAT. Every malformed input gives that error, never
 * a crash; parsing goes through ::ikh_rd and never recurses on input.
 *
 * Memory: a key's numbers are Nettle/GMP integers, allocated through GMP's
 * allocator (malloc unless the program changed it) by ikh_key_load();
 * ikh_key_fini() wipes the private parts and frees them. The ::ikh_key
 * itself is caller memory; its layout is private to stack/src/crypto.
 */
#ifndef IKH_KEYFILE_H
#define IKH_KEYFILE_H

#include "ikh/bytes.h"
#include "ikh/crypto.h"

/** DER tags used by the key formats (universal class, X.690 §8). */
enum ikh_der_tag {
    IKH_DER_INTEGER = 0x02,      /**< INTEGER */
    IKH_DER_BIT_STRING = 0x03,   /**< BIT STRING */
    IKH_DER_OCTET_STRING = 0x04, /**< OCTET STRING */
    IKH_DER_NULL = 0x05,         /**< NULL */
    IKH_DER_OID = 0x06,          /**< OBJECT IDENTIFIER */
    IKH_DER_SEQUENCE = 0x30,     /**< SEQUENCE (constructed) */
    IKH_DER_CTX0 = 0xa0,         /**< [0] constructed */
    IKH_DER_CTX1 = 0xa1,         /**< [1] constructed */
};

/** Longest DER length field accepted (4 octets after 0x84: up to 4 GiB). */
#define IKH_DER_LEN_OCTETS_MAX 4u
/** Largest decoded key file handled (PEM body or DER). */
#define IKH_KEY_DER_MAX 16384u

/**
 * @brief Read one DER element: a one-octet tag, a definite minimal length,
 *        and its contents.
 * @param rd   reader (advanced past the element)
 * @param tag  receives the tag octet
 * @param body receives a sub-reader over the contents (borrowed from rd's
 * buffer)
 * @return IKH_OK; CRYPTO_KEY_FORMAT on a truncated element, a high tag
 *         number, an indefinite or non-minimal length, or a reader already
 *         in error.
 */
IKH_MUST_USE ikh_err ikh_der_next(ikh_rd *rd, uint8_t *tag, ikh_rd *body);

/**
 * @brief Read one DER element that must carry @p tag.
 * @param rd reader @param tag expected tag @param body receives the contents
 * @return IKH_OK or CRYPTO_KEY_FORMAT (as ikh_der_next(), or another tag).
 */
IKH_MUST_USE ikh_err ikh_der_expect(ikh_rd *rd, uint8_t tag, ikh_rd *body);

/**
 * @brief Read a non-negative, minimally encoded INTEGER.
 * @param rd  reader
 * @param mag receives the magnitude without the leading 0x00 (borrowed;
 *            empty for zero)
 * @return IKH_OK or CRYPTO_KEY_FORMAT (not an INTEGER, empty, negative,
 *         non-minimal).
 */
IKH_MUST_USE ikh_err ikh_der_uint(ikh_rd *rd, ikh_span *mag);

/**
 * @brief Decode PEM armor: the base64 body between "-----BEGIN label-----"
 *        and "-----END label-----" (RFC 7468 strict form; CR/LF line ends).
 *        A leading "EC PARAMETERS" block is skipped.
 * @param text      PEM text (borrowed)
 * @param label     receives the label (borrowed from text)
 * @param der       receives the decoded body (caller memory)
 * @param der_cap   its capacity
 * @param der_len   receives the decoded length
 * @return IKH_OK; CRYPTO_KEY_FORMAT on missing/mismatched armor, headers
 *         (encrypted PEM), bad base64, a body larger than der_cap, or any
 *         non-whitespace outside the block.
 */
IKH_MUST_USE ikh_err ikh_pem_decode(ikh_span text, ikh_span *label,
                                    uint8_t *der, size_t der_cap,
                                    size_t *der_len);

/** Key algorithm. */
typedef enum ikh_key_type {
    IKH_KEY_NONE = 0, /**< empty (after _init, _fini or a failed load) */
    IKH_KEY_RSA = 1,  /**< RSA */
    IKH_KEY_EC = 2,   /**< ECDSA over a NIST prime curve */
} ikh_key_type;

/** Octets of opaque storage for the Nettle key structures. */
#define IKH_KEY_OPAQUE_MAX 256u

/** A public or private key, as loaded (caller memory). */
typedef struct ikh_key {
    ikh_key_type type; /**< algorithm */
    bool has_private;  /**< private part present */
    uint16_t bits;     /**< RSA modulus bits, or curve bits (256/384/521) */
    union {
        uint8_t b[IKH_KEY_OPAQUE_MAX]; /**< storage */
        uint64_t align_u64;            /**< alignment */
        void *align_p;                 /**< alignment */
    } opaque; /**< Nettle structures (stack/src/crypto/key_int.h) */
} ikh_key;

/** @brief Make an empty key. @param k caller memory */
void ikh_key_init(ikh_key *k);

/**
 * @brief Load a key from PEM or DER (PEM when the text starts with "-----"
 *        after optional whitespace). Replaces what @p k held.
 * @param k    key from ikh_key_init() (written)
 * @param file file contents (borrowed)
 * @return IKH_OK; CRYPTO_KEY_FORMAT for anything malformed or unsupported
 *         (k left empty; nothing leaks); ENV_NOMEM is not reported: GMP
 *         aborts on allocation failure.
 */
IKH_MUST_USE ikh_err ikh_key_load(ikh_key *k, ikh_span file);

/** @brief Wipe the private part and free the numbers. @param k key (NULL is a
 * no-op) */
void ikh_key_fini(ikh_key *k);

#endif /* IKH_KEYFILE_H */
