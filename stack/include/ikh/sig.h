/* SPDX-License-Identifier: MIT */
/**
 * @file sig.h
 * @brief Signature AUTH data (RFC 7296 §3.8): RSA PKCS#1 v1.5 with SHA-1
 *        (method 1), ECDSA with r|s (methods 9/10/11, RFC 4754), and Digital
 *        Signature (method 14, RFC 7427) with an ASN.1 AlgorithmIdentifier.
 *
 * The signed data comes as borrowed pieces (see ::ikh_auth_octets). Keys
 * come from ikh_key_load(). Signing randomness (RSA blinding, PSS salt,
 * ECDSA nonces) comes from the caller's ::ikh_rand. Nothing allocates
 * except Nettle's temporary GMP integers, freed before return.
 */
#ifndef IKH_SIG_H
#define IKH_SIG_H

#include "ikh/keyfile.h"

/** Largest AUTH data produced (RSA-8192 plus RFC 7427 prefix). */
#define IKH_SIG_MAX 1100u

/** Signature schemes for AUTH method 14 (RFC 7427 §3, App. A). */
typedef enum ikh_sig_scheme {
    IKH_SIG_RSA_PKCS1_SHA256 = 1, /**< sha256WithRSAEncryption */
    IKH_SIG_RSA_PKCS1_SHA384,     /**< sha384WithRSAEncryption */
    IKH_SIG_RSA_PKCS1_SHA512,     /**< sha512WithRSAEncryption */
    IKH_SIG_RSA_PSS_SHA256, /**< RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 */
    IKH_SIG_ECDSA_SHA256,   /**< ecdsa-with-SHA256, DER Ecdsa-Sig-Value */
    IKH_SIG_ECDSA_SHA384,   /**< ecdsa-with-SHA384 */
    IKH_SIG_ECDSA_SHA512,   /**< ecdsa-with-SHA512 */
} ikh_sig_scheme;

/**
 * @brief Produce the Authentication Data of an AUTH payload.
 * @param key      private key (borrowed)
 * @param method   AUTH method: IKH_AUTH_RSA_SIG, IKH_AUTH_ECDSA_SHA*_P*, or
 *                 IKH_AUTH_DIGITAL_SIGNATURE
 * @param scheme   for method 14 the scheme; ignored otherwise
 * @param parts    signed octets, concatenated (borrowed) @param n_parts count
 * @param rnd      random source (borrowed for the call)
 * @param out      caller memory @param out_cap its size @param out_len written
 * @return IKH_OK; CRYPTO_SIG_UNSUPPORTED (method/scheme unknown or not
 *         matching the key type or curve); ARG_INVALID (no private key,
 *         NULL argument); WIRE_NOBUF (out too small); CRYPTO_FAILED
 *         (Nettle refused to sign).
 */
IKH_MUST_USE ikh_err ikh_sig_sign(const ikh_key *key, uint8_t method,
                                  ikh_sig_scheme scheme, const ikh_span *parts,
                                  size_t n_parts, const ikh_rand *rnd,
                                  uint8_t *out, size_t out_cap,
                                  size_t *out_len);

/**
 * @brief Verify a peer's Authentication Data.
 * @param key       public (or private) key of the peer (borrowed)
 * @param method    AUTH method from the AUTH payload
 * @param parts     signed octets (borrowed) @param n_parts count
 * @param auth_data Authentication Data (borrowed)
 * @return IKH_OK; CRYPTO_SIG_INVALID (does not verify, malformed signature
 *         encoding); CRYPTO_SIG_UNSUPPORTED (method or AlgorithmIdentifier
 *         unknown or not matching the key). The caller fails the exchange
 *         with AUTHENTICATION_FAILED on either.
 */
IKH_MUST_USE ikh_err ikh_sig_verify(const ikh_key *key, uint8_t method,
                                    const ikh_span *parts, size_t n_parts,
                                    ikh_span auth_data);

#endif /* IKH_SIG_H */
