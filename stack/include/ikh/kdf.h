/* SPDX-License-Identifier: MIT */
/**
 * @file kdf.h
 * @brief IKEv2 key derivation (RFC 7296 §2.13, §2.14, §2.17, §2.18): prf+,
 *        SKEYSEED, the seven IKE SA keys, the rekey SKEYSEED and Child SA
 *        KEYMAT, over any ::ikh_prf_ops.
 *
 * Every derived key lands in an ::ikh_secret; intermediate buffers are wiped
 * with ikh_wipe() before return, on success and on error. Nothing allocates.
 * On any error the output secrets are left wiped (len 0).
 */
#ifndef IKH_KDF_H
#define IKH_KDF_H

#include "ikh/crypto.h"

/** prf+ may run at most 255 iterations: the counter is one octet (RFC 7296
 * §2.13). */
#define IKH_KDF_PRF_PLUS_ITER_MAX 255u
/** Most seed pieces ikh_kdf_prf_plus() accepts. */
#define IKH_KDF_SEED_PARTS_MAX 4u
/** Longest nonce IKEv2 allows (RFC 7296 §3.9: 16 to 256 octets). */
#define IKH_KDF_NONCE_MAX 256u

/** The seven IKE SA keys, in the order prf+ produces them (RFC 7296 §2.14). */
typedef struct ikh_kdf_ike_keys {
    ikh_secret sk_d;  /**< derives Child SA keys and the rekey SKEYSEED */
    ikh_secret sk_ai; /**< integrity, initiator to responder (empty for AEAD) */
    ikh_secret sk_ar; /**< integrity, responder to initiator (empty for AEAD) */
    ikh_secret sk_ei; /**< encryption (salt included), initiator to responder */
    ikh_secret sk_er; /**< encryption (salt included), responder to initiator */
    ikh_secret sk_pi; /**< MACs the initiator's ID in AUTH (§2.15) */
    ikh_secret sk_pr; /**< MACs the responder's ID in AUTH (§2.15) */
} ikh_kdf_ike_keys;

/** The keys of one Child SA pair (RFC 7296 §2.17), initiator-to-responder
 * first. */
typedef struct ikh_kdf_child_keys {
    ikh_secret
        encr_i; /**< encryption key (salt included), initiator to responder */
    ikh_secret
        integ_i; /**< integrity key, initiator to responder (empty for AEAD) */
    ikh_secret
        encr_r; /**< encryption key (salt included), responder to initiator */
    ikh_secret
        integ_r; /**< integrity key, responder to initiator (empty for AEAD) */
} ikh_kdf_child_keys;

/**
 * @brief prf+(K, S) = T1 | T2 | ... truncated to @p out_len, where
 *        T1 = prf(K, S | 0x01) and Tn = prf(K, Tn-1 | S | n) (RFC 7296 §2.13).
 * @param prf     PRF operations (borrowed)
 * @param key     K (borrowed)
 * @param seed    pieces of S, concatenated (borrowed); NULL when n_seed is 0
 * @param n_seed  number of pieces, at most IKH_KDF_SEED_PARTS_MAX
 * @param out     receives out_len octets (caller memory; wiped on error)
 * @param out_len octets wanted
 * @return IKH_OK; ARG_INVALID (NULL prf/out, too many seed pieces);
 *         ARG_RANGE when out_len needs more than 255 iterations; any error
 *         of prf->prf. On error the caller has no key material.
 */
IKH_MUST_USE ikh_err ikh_kdf_prf_plus(const ikh_prf_ops *prf, ikh_span key,
                                      const ikh_span *seed, size_t n_seed,
                                      uint8_t *out, size_t out_len);

/**
 * @brief SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14). When the PRF takes
 *        a fixed-length key (AES128_XCBC, AES128_CMAC) and |Ni|+|Nr| differs
 *        from it, the key is the first half-key octets of Ni followed by the
 *        first half-key octets of Nr.
 * @param prf      PRF descriptor (type IKH_XF_PRF; borrowed)
 * @param ni       initiator nonce data (borrowed)
 * @param nr       responder nonce data (borrowed)
 * @param g_ir     shared Diffie-Hellman secret (borrowed)
 * @param skeyseed receives prf->prf->out_len octets (wiped on error)
 * @return IKH_OK; ARG_INVALID (NULL or non-PRF descriptor, nonce shorter
 *         than half a fixed key); ARG_RANGE (nonce longer than
 *         IKH_KDF_NONCE_MAX); any error of the PRF.
 */
IKH_MUST_USE ikh_err ikh_kdf_skeyseed(const ikh_xform_desc *prf, ikh_span ni,
                                      ikh_span nr, ikh_span g_ir,
                                      ikh_secret *skeyseed);

/**
 * @brief Rekeyed IKE SA: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 *        (RFC 7296 §2.18). Ni and Nr are those of the CREATE_CHILD_SA exchange.
 * @param prf      PRF of the old IKE SA (borrowed)
 * @param sk_d_old SK_d of the old IKE SA (borrowed)
 * @param g_ir_new shared secret of the new key exchange (borrowed)
 * @param ni       initiator nonce (borrowed) @param nr responder nonce
 * (borrowed)
 * @param skeyseed receives prf->out_len octets (wiped on error)
 * @return IKH_OK; ARG_INVALID (NULL argument); any error of the PRF.
 */
IKH_MUST_USE ikh_err ikh_kdf_skeyseed_rekey(const ikh_prf_ops *prf,
                                            const ikh_secret *sk_d_old,
                                            ikh_span g_ir_new, ikh_span ni,
                                            ikh_span nr, ikh_secret *skeyseed);

/**
 * @brief {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 *        prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) (RFC 7296 §2.14). SK_d, SK_pi
 *        and SK_pr are prf->key_len octets.
 * @param prf           negotiated PRF (borrowed)
 * @param skeyseed      SKEYSEED (borrowed)
 * @param ni            initiator nonce @param nr responder nonce (borrowed)
 * @param spi_i         initiator SPI, 8 octets as in the header (borrowed)
 * @param spi_r         responder SPI, 8 octets (borrowed)
 * @param encr_key_len  octets of each SK_e (ikh_encr_ops.key_len, salt
 * included)
 * @param integ_key_len octets of each SK_a (0 with an AEAD)
 * @param out           receives the keys (caller memory; all wiped on error;
 *                      release with ikh_kdf_ike_keys_fini())
 * @return IKH_OK; ARG_INVALID (NULL argument); ARG_RANGE (the key material
 *         does not fit in IKH_SECRET_MAX octets); any error of prf+.
 */
IKH_MUST_USE ikh_err ikh_kdf_ike_keys_derive(
    const ikh_prf_ops *prf, const ikh_secret *skeyseed, ikh_span ni,
    ikh_span nr, ikh_span spi_i, ikh_span spi_r, size_t encr_key_len,
    size_t integ_key_len, ikh_kdf_ike_keys *out);

/** @brief Wipe all seven IKE SA keys. @param k keys (NULL is a no-op) */
void ikh_kdf_ike_keys_fini(ikh_kdf_ike_keys *k);

/**
 * @brief Child SA KEYMAT = prf+(SK_d, Ni | Nr), or with PFS
 *        prf+(SK_d, g^ir (new) | Ni | Nr) (RFC 7296 §2.17), split as
 *        encr_i | integ_i | encr_r | integ_r.
 * @param prf           PRF of the IKE SA (borrowed)
 * @param sk_d          SK_d of the IKE SA (borrowed)
 * @param g_ir_new      shared secret of the CREATE_CHILD_SA key exchange;
 *                      empty (len 0) without PFS (borrowed)
 * @param ni            nonce of the initiator @param nr of the responder;
 *                      from IKE_SA_INIT for the first Child SA (borrowed)
 * @param encr_key_len  octets per encryption key (salt included)
 * @param integ_key_len octets per integrity key (0 with an AEAD)
 * @param out           receives the keys (wiped on error; release with
 *                      ikh_kdf_child_keys_fini())
 * @return IKH_OK; ARG_INVALID (NULL argument); ARG_RANGE (material larger
 *         than IKH_SECRET_MAX); any error of prf+.
 */
IKH_MUST_USE ikh_err ikh_kdf_child_keys_derive(const ikh_prf_ops *prf,
                                               const ikh_secret *sk_d,
                                               ikh_span g_ir_new, ikh_span ni,
                                               ikh_span nr, size_t encr_key_len,
                                               size_t integ_key_len,
                                               ikh_kdf_child_keys *out);

/** @brief Wipe the four Child SA keys. @param k keys (NULL is a no-op) */
void ikh_kdf_child_keys_fini(ikh_kdf_child_keys *k);

#endif /* IKH_KDF_H */
