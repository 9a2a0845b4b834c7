/* SPDX-License-Identifier: MIT */
/**
 * @file crypto.h
 * @brief Transforms over Nettle (and GMP for MODP groups): a registry of
 *        descriptors, each with the operations of its kind, plus secrets,
 *        constant-time comparison and wiping (../shared/STYLE.md §8).
 *
 * There is no global registry: a node's configuration carries a
 * NULL-terminated list of the descriptors it allows. ikh_crypto_default_list()
 * is the list of every real transform; the null AEAD and null KE
 * (ikh_crypto_null_list()) exist for fuzzing only and are never in it.
 *
 * Contexts: operations that keep state (keyed ciphers, KE private values)
 * work on caller memory of IKH_CRYPTO_CTX_MAX octets (ikh_crypto_ctx), so
 * nothing allocates. Contexts holding keys are wiped by their fini.
 */
#ifndef IKH_CRYPTO_H
#define IKH_CRYPTO_H

#include <string.h>

#include "ikh/common.h"

/** Largest secret the stack handles (a MODP-8192 shared secret is 1024 octets).
 */
#define IKH_SECRET_MAX 1024u
/** Largest key-exchange public value (MODP-8192: 1024 octets). */
#define IKH_KE_PUB_MAX 1024u
/** Largest PRF output (HMAC-SHA2-512: 64 octets). */
#define IKH_PRF_MAX 64u
/** Largest ICV or AEAD tag (HMAC-SHA2-512-256: 32 octets). */
#define IKH_ICV_MAX 32u
/**
 * Octets of caller memory for any transform context. Sized for the largest,
 * Nettle's struct gcm_aes256_ctx (4400 octets with its 8-bit GHASH table)
 * plus the 4-octet RFC 4106 salt; nettle_aes.c checks this at compile time.
 */
#define IKH_CRYPTO_CTX_MAX 4608u

/**
 * A secret in a fixed-capacity buffer; ikh_secret_fini() wipes it.
 *
 * Rule for every writer: the secret's octets are within the first len. A
 * function that writes b itself sets len to what it writes before the first
 * octet is written, or writes and sets len with nothing that can fail in
 * between (kdf.c, the KE derive functions). Wiping then costs the secret's
 * length rather than IKH_SECRET_MAX: the SA keys, g^ir and SKEYSEED are
 * set and wiped many times per IKE SA. A len above IKH_SECRET_MAX (fresh
 * memory) makes set and fini wipe the whole buffer.
 */
typedef struct ikh_secret {
    uint8_t b[IKH_SECRET_MAX]; /**< the octets (first len are valid) */
    size_t len;                /**< valid octets */
} ikh_secret;

/** Caller memory for a transform context (aligned for any Nettle context). */
typedef union ikh_crypto_ctx {
    uint8_t b[IKH_CRYPTO_CTX_MAX]; /**< storage */
    uint64_t align_u64;            /**< alignment */
    long double align_ld;          /**< alignment */
    void *align_p;                 /**< alignment */
} ikh_crypto_ctx;

/** The random source handed to key generation (the environment's rand hook). */
typedef struct ikh_rand {
    /** Fill @p out with @p len random octets; cannot fail.
     *  @param user ikh_rand::user
     *  @param out  receives @p len octets (borrowed for the call)
     *  @param len  octets wanted */
    void (*fn)(void *user, uint8_t *out, size_t len);
    void *user; /**< handed back to fn (borrowed) */
} ikh_rand;

/**
 * Encryption (ENCR) operations, AEAD or not (RFC 7296 §3.3.2, RFC 5282,
 * RFC 7634, RFC 4303 §2.3). For IKE SK and ESP alike: the caller builds IV,
 * AAD and padding; these do the cipher work in place.
 */
typedef struct ikh_encr_ops {
    size_t key_len;   /**< octets of keying material taken from KEYMAT, salt
                         included */
    size_t salt_len;  /**< trailing salt octets of that material (AEAD; 4 for
                         GCM/ChaCha20, 3 for CCM), else 0 */
    size_t iv_len;    /**< IV octets in the packet */
    size_t block_len; /**< plaintext alignment for padding (16 for CBC, 1 for
                         stream/AEAD; ESP adds 4-octet alignment itself) */
    size_t icv_len;   /**< AEAD tag octets; 0 for a non-AEAD cipher (INTEG
                         provides the ICV) */
    bool aead; /**< combined mode (GCM, ChaCha20-Poly1305, fuzz null AEAD): no
                  INTEG transform goes with it */
    /**
     * @brief Key a context.
     * @param ctx caller memory (written) @param key key_len octets (borrowed)
     * @return IKH_OK or ARG_INVALID.
     */
    ikh_err (*init)(ikh_crypto_ctx *ctx, const uint8_t *key);
    /**
     * @brief Encrypt @p len octets of @p buf in place.
     * @param ctx keyed context @param iv iv_len octets @param aad associated
     * data (AEAD only; ignored otherwise)
     * @param buf data (len a multiple of block_len) @param len its length
     * @param tag receives icv_len octets (AEAD only; may be NULL otherwise)
     * @return IKH_OK or ARG_INVALID (length not aligned).
     */
    ikh_err (*encrypt)(ikh_crypto_ctx *ctx, const uint8_t *iv, ikh_span aad,
                       uint8_t *buf, size_t len, uint8_t *tag);
    /**
     * @brief Decrypt in place; AEAD transforms verify @p tag in constant time
     * first.
     * @param ctx keyed context @param iv iv_len octets @param aad associated
     * data (AEAD only; ignored otherwise)
     * @param buf ciphertext, replaced by the plaintext (len a multiple of
     * block_len) @param len its length
     * @param tag icv_len octets to verify (AEAD only; may be NULL otherwise)
     * @return IKH_OK, ARG_INVALID, or CRYPTO_ICV (tag mismatch; buf unchanged).
     */
    ikh_err (*decrypt)(ikh_crypto_ctx *ctx, const uint8_t *iv, ikh_span aad,
                       uint8_t *buf, size_t len, const uint8_t *tag);
    /**
     * @brief Wipe the key schedule in @p ctx (call once the SA is gone).
     * @param ctx context from init (NULL is a no-op)
     */
    void (*fini)(ikh_crypto_ctx *ctx);
} ikh_encr_ops;

/** Pseudorandom function (PRF) operations (RFC 7296 §2.13). */
typedef struct ikh_prf_ops {
    size_t out_len; /**< output octets */
    size_t
        key_len; /**< preferred key octets (SK_d, SK_pi, SK_pr length, §2.14) */
    /**
     * @brief out = prf(key, parts[0] | parts[1] | ...).
     * @param key any length (AES-XCBC/CMAC PRFs apply RFC 4434 / RFC 4615 key
     * rules)
     * @param parts data pieces, concatenated (borrowed) @param n_parts their
     * count
     * @param out out_len octets
     * @return IKH_OK or ARG_INVALID.
     */
    ikh_err (*prf)(ikh_span key, const ikh_span *parts, size_t n_parts,
                   uint8_t *out);
} ikh_prf_ops;

/** Integrity (INTEG) operations: a truncated MAC (RFC 7296 §3.14, RFC 4868). */
typedef struct ikh_integ_ops {
    size_t key_len; /**< key octets (SK_ai/SK_ar length) */
    size_t icv_len; /**< truncated output octets */
    /**
     * @brief icv = truncate(mac(key, parts...)).
     * @param key key_len octets @param parts data pieces @param n_parts count
     * @param icv icv_len octets
     * @return IKH_OK or ARG_INVALID.
     */
    ikh_err (*mac)(const uint8_t *key, const ikh_span *parts, size_t n_parts,
                   uint8_t *icv);
} ikh_integ_ops;

/** Key exchange (KE) operations (RFC 7296 §3.4, RFC 5903, RFC 8031, RFC 3526).
 */
typedef struct ikh_ke_ops {
    size_t pub_len;    /**< Key Exchange Data octets */
    size_t shared_len; /**< shared secret octets */
    /**
     * @brief Make a private value in @p ctx and write the public value.
     * @param ctx caller memory @param rnd random source @param pub pub_len
     * octets
     * @return IKH_OK or ENV_NOMEM.
     */
    ikh_err (*keygen)(ikh_crypto_ctx *ctx, const ikh_rand *rnd, uint8_t *pub);
    /**
     * @brief Validate the peer's public value and compute the shared secret.
     * @param ctx context from keygen @param peer peer's Key Exchange Data
     * (borrowed)
     * @param shared receives shared_len octets
     * @return IKH_OK; CRYPTO_KE_INVALID (wrong length, not on the curve,
     *         1 >= y or y >= p-1 for MODP, low-order / all-zero result).
     */
    ikh_err (*derive)(ikh_crypto_ctx *ctx, ikh_span peer, ikh_secret *shared);
    /** @brief Wipe the private value. @param ctx context */
    void (*fini)(ikh_crypto_ctx *ctx);
} ikh_ke_ops;

/** One transform as negotiated (type, IANA ID, key length) with its operations.
 */
typedef struct ikh_xform_desc {
    uint8_t type;      /**< ::ikh_xform_type */
    uint16_t id;       /**< IANA Transform ID */
    uint16_t key_bits; /**< Key Length attribute value; 0 when the transform has
                          none */
    const char *name;  /**< e.g. "ENCR_AES_GCM_16-256" (static) */
    bool ike;          /**< usable for the IKE SA */
    bool esp;          /**< usable for ESP */
    const ikh_encr_ops *encr;   /**< for type ENCR */
    const ikh_prf_ops *prf;     /**< for type PRF */
    const ikh_integ_ops *integ; /**< for type INTEG */
    const ikh_ke_ops *ke;       /**< for type KE */
} ikh_xform_desc;

/**
 * Transform ID of the fuzzing-only null KE (Transform Type 4), taken from the
 * private-use range (RFC 7296 §3.3.2), so it never collides with a real group.
 */
#define IKH_CRYPTO_NULL_KE_ID 65000u

/**
 * @brief Every real transform this build supports (no null transforms).
 * @return a static NULL-terminated list.
 */
const ikh_xform_desc *const *ikh_crypto_default_list(void);

/**
 * @brief The fuzzing-only null AEAD (ENCR_NULL with a 0-octet tag) and null KE.
 *        Never part of ikh_crypto_default_list().
 * @return a static NULL-terminated list.
 */
const ikh_xform_desc *const *ikh_crypto_null_list(void);

/**
 * @brief Find a transform in a list.
 * @param list NULL-terminated list (borrowed)
 * @param type Transform Type @param id Transform ID
 * @param key_bits Key Length attribute (0 when absent)
 * @return the descriptor, or NULL when the list does not allow it.
 */
const ikh_xform_desc *ikh_crypto_find(const ikh_xform_desc *const *list,
                                      uint8_t type, uint16_t id,
                                      uint16_t key_bits);

/**
 * @brief Compare in constant time (over Nettle's memeql_sec).
 * @param a first buffer @param b second buffer @param len octets
 * @return true when equal.
 */
bool ikh_ct_eq(const void *a, const void *b, size_t len);

/**
 * @brief Overwrite memory with zeros in a way the compiler keeps.
 * @param p memory (NULL is a no-op) @param len octets
 *
 * Inline so that a fixed-size wipe of a small context compiles to a few
 * stores (bench/bench_crypto measured the call at 2-4% of a 64-octet
 * CMAC). The empty asm claims to read p's memory, so the memset is not a
 * dead store the optimiser may drop (gcc and clang both honour it).
 */
static inline void ikh_wipe(void *p, size_t len)
{
    if (p == NULL || len == 0)
        return;
    memset(p, 0, len);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/**
 * @brief Set a secret from bytes; the octets of the old value past the new
 * length are wiped.
 * @param s secret (caller memory; fresh memory is fine) @param v bytes
 *        (borrowed)
 * @return IKH_OK or ARG_RANGE when v is longer than IKH_SECRET_MAX (s emptied).
 */
IKH_MUST_USE ikh_err ikh_secret_set(ikh_secret *s, ikh_span v);

/**
 * @brief Wipe a secret: its first len octets (all of them when len is above
 * IKH_SECRET_MAX), then len = 0.
 * @param s secret (NULL is a no-op)
 */
void ikh_secret_fini(ikh_secret *s);

/** SHA-1 output length. */
#define IKH_SHA1_LEN 20u

/**
 * @brief SHA-1 of the concatenated parts (NAT detection hashes, RFC 7296
 *        §2.23; responder cookies, §2.6).
 * @param parts data pieces (borrowed) @param n_parts their count
 * @param out receives 20 octets
 */
void ikh_hash_sha1(const ikh_span *parts, size_t n_parts,
                   uint8_t out[IKH_SHA1_LEN]);

#endif /* IKH_CRYPTO_H */
