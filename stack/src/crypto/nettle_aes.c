/* SPDX-License-Identifier: MIT */
/*
 * AES encryption transforms over Nettle (../shared/STYLE.md §8):
 *  - ENCR_AES_CBC (RFC 3602): 16-octet IV, length a multiple of 16;
 *  - ENCR_AES_CTR (RFC 3686 for ESP, RFC 5930 for IKEv2): the keying
 *    material is the AES key followed by a 4-octet nonce; the counter block
 *    is nonce(4) | IV(8) | 32-bit block counter starting at 1;
 *  - ENCR_AES_GCM_8/12/16 (RFC 4106 for ESP, RFC 5282 for IKEv2): the keying
 *    material is the AES key followed by a 4-octet salt; the GCM nonce is
 *    salt(4) | IV(8); the ICV is the first 8, 12 or 16 octets of the tag.
 * Salt, nonce and counter layout are built here, not by Nettle's metadata.
 *
 * AEAD decryption checks the tag in constant time; on a mismatch it
 * re-encrypts the buffer (CTR keystream again), so the caller gets its
 * ciphertext back unchanged together with IKH_ERR_CRYPTO_ICV.
 */
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/ctr.h>
#include <nettle/gcm.h>
#include <nettle/nettle-meta.h>

#include "crypto_int.h"

#define AES_BLOCK 16u
#define IV8 8u
#define SALT 4u

/* ---- CBC ---------------------------------------------------------------- */

typedef struct cbc_ctx {
    union {
        struct aes128_ctx k128;
        struct aes192_ctx k192;
        struct aes256_ctx k256;
    } enc, dec;
} cbc_ctx;

_Static_assert(sizeof(cbc_ctx) <= sizeof(ikh_crypto_ctx), "CBC context fits");

static ikh_err cbc_check(const uint8_t *iv, const uint8_t *buf, size_t len)
{
    IKH_CHECK(iv != NULL && (buf != NULL || len == 0), IKH_ERR_ARG_INVALID);
    IKH_CHECK(len % AES_BLOCK == 0, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

/* Generates init/encrypt/decrypt for one AES key size. */
#define CBC_FUNCS(bits)                                                        \
    static ikh_err cbc##bits##_init(ikh_crypto_ctx *ctx, const uint8_t *key)   \
    {                                                                          \
        IKH_CHECK(ctx != NULL && key != NULL, IKH_ERR_ARG_INVALID);            \
        cbc_ctx *c = (cbc_ctx *)ctx->b;                                        \
        aes##bits##_set_encrypt_key(&c->enc.k##bits, key);                     \
        aes##bits##_set_decrypt_key(&c->dec.k##bits, key);                     \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err cbc##bits##_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       uint8_t *tag)                           \
    {                                                                          \
        (void)aad;                                                             \
        (void)tag;                                                             \
        IKH_TRY(cbc_check(iv, buf, len));                                      \
        cbc_ctx *c = (cbc_ctx *)ctx->b;                                        \
        uint8_t chain[AES_BLOCK];                                              \
        memcpy(chain, iv, AES_BLOCK);                                          \
        cbc_aes##bits##_encrypt(&c->enc.k##bits, chain, len, buf, buf);        \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err cbc##bits##_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       const uint8_t *tag)                     \
    {                                                                          \
        (void)aad;                                                             \
        (void)tag;                                                             \
        IKH_TRY(cbc_check(iv, buf, len));                                      \
        cbc_ctx *c = (cbc_ctx *)ctx->b;                                        \
        uint8_t chain[AES_BLOCK];                                              \
        memcpy(chain, iv, AES_BLOCK);                                          \
        cbc_decrypt(&c->dec.k##bits, nettle_aes##bits.decrypt, AES_BLOCK,      \
                    chain, len, buf, buf);                                     \
        return IKH_OK;                                                         \
    }

CBC_FUNCS(128)
CBC_FUNCS(192)
CBC_FUNCS(256)

/* Each fini wipes the bytes its family's context uses (the round keys and
 * the salt / nonce), not the whole IKH_CRYPTO_CTX_MAX-octet buffer. */
static void cbc_fini(ikh_crypto_ctx *ctx)
{
    if (ctx != NULL)
        ikh_wipe(ctx->b, sizeof(cbc_ctx));
}

#define CBC_OPS(bits)                                                          \
    const ikh_encr_ops ikh_encr_ops_aes_cbc##bits = {                          \
        .key_len = (bits) / 8,                                                 \
        .salt_len = 0,                                                         \
        .iv_len = AES_BLOCK,                                                   \
        .block_len = AES_BLOCK,                                                \
        .icv_len = 0,                                                          \
        .aead = false,                                                         \
        .init = cbc##bits##_init,                                              \
        .encrypt = cbc##bits##_encrypt,                                        \
        .decrypt = cbc##bits##_decrypt,                                        \
        .fini = cbc_fini,                                                      \
    };

CBC_OPS(128)
CBC_OPS(192)
CBC_OPS(256)

/* ---- CTR (RFC 3686 §4, §5.1) -------------------------------------------- */

typedef struct ctr_ctx {
    union {
        struct aes128_ctx k128;
        struct aes192_ctx k192;
        struct aes256_ctx k256;
    } enc;
    uint8_t nonce[SALT];
} ctr_ctx;

_Static_assert(sizeof(ctr_ctx) <= sizeof(ikh_crypto_ctx), "CTR context fits");

static void ctr_fini(ikh_crypto_ctx *ctx)
{
    if (ctx != NULL)
        ikh_wipe(ctx->b, sizeof(ctr_ctx));
}

/* Counter block: nonce | IV | 00000001 (RFC 3686 §4). */
static void ctr_block(uint8_t out[AES_BLOCK], const uint8_t *nonce,
                      const uint8_t *iv)
{
    memcpy(out, nonce, SALT);
    memcpy(out + SALT, iv, IV8);
    out[12] = 0;
    out[13] = 0;
    out[14] = 0;
    out[15] = 1;
}

#define CTR_FUNCS(bits)                                                        \
    static ikh_err ctr##bits##_init(ikh_crypto_ctx *ctx, const uint8_t *key)   \
    {                                                                          \
        IKH_CHECK(ctx != NULL && key != NULL, IKH_ERR_ARG_INVALID);            \
        ctr_ctx *c = (ctr_ctx *)ctx->b;                                        \
        aes##bits##_set_encrypt_key(&c->enc.k##bits, key);                     \
        memcpy(c->nonce, key + (bits) / 8, SALT);                              \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err ctr##bits##_crypt(ikh_crypto_ctx *ctx, const uint8_t *iv,   \
                                     uint8_t *buf, size_t len)                 \
    {                                                                          \
        IKH_CHECK(iv != NULL && (buf != NULL || len == 0),                     \
                  IKH_ERR_ARG_INVALID);                                        \
        /* The 32-bit block counter must not wrap (RFC 3686 §4). */           \
        IKH_CHECK(len / AES_BLOCK < UINT32_MAX, IKH_ERR_ARG_INVALID);          \
        ctr_ctx *c = (ctr_ctx *)ctx->b;                                        \
        uint8_t ctrb[AES_BLOCK];                                               \
        ctr_block(ctrb, c->nonce, iv);                                         \
        ctr_crypt(&c->enc.k##bits, nettle_aes##bits.encrypt, AES_BLOCK, ctrb,  \
                  len, buf, buf);                                              \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err ctr##bits##_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       uint8_t *tag)                           \
    {                                                                          \
        (void)aad;                                                             \
        (void)tag;                                                             \
        return ctr##bits##_crypt(ctx, iv, buf, len);                           \
    }                                                                          \
    static ikh_err ctr##bits##_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       const uint8_t *tag)                     \
    {                                                                          \
        (void)aad;                                                             \
        (void)tag;                                                             \
        return ctr##bits##_crypt(ctx, iv, buf, len);                           \
    }                                                                          \
    const ikh_encr_ops ikh_encr_ops_aes_ctr##bits = {                          \
        .key_len = (bits) / 8 + SALT,                                          \
        .salt_len = SALT,                                                      \
        .iv_len = IV8,                                                         \
        .block_len = 1,                                                        \
        .icv_len = 0,                                                          \
        .aead = false,                                                         \
        .init = ctr##bits##_init,                                              \
        .encrypt = ctr##bits##_encrypt,                                        \
        .decrypt = ctr##bits##_decrypt,                                        \
        .fini = ctr_fini,                                                      \
    };

CTR_FUNCS(128)
CTR_FUNCS(192)
CTR_FUNCS(256)

/* ---- GCM (RFC 4106 §3-§4, RFC 5282 §4-§5) -------------------------------- */

typedef struct gcm_ctx_ikh {
    union {
        struct gcm_aes128_ctx k128;
        struct gcm_aes192_ctx k192;
        struct gcm_aes256_ctx k256;
    } g;
    uint8_t salt[SALT];
    uint8_t icv_len;
} gcm_ctx_ikh;

_Static_assert(sizeof(gcm_ctx_ikh) <= sizeof(ikh_crypto_ctx),
               "GCM context fits (IKH_CRYPTO_CTX_MAX)");

static void gcm_fini(ikh_crypto_ctx *ctx)
{
    if (ctx != NULL)
        ikh_wipe(ctx->b, sizeof(gcm_ctx_ikh));
}

static void gcm_nonce(uint8_t out[GCM_IV_SIZE], const uint8_t *salt,
                      const uint8_t *iv)
{
    memcpy(out, salt, SALT);
    memcpy(out + SALT, iv, IV8);
}

static ikh_err aead_check(const uint8_t *iv, ikh_span aad, const uint8_t *buf,
                          size_t len, const uint8_t *tag)
{
    IKH_CHECK(iv != NULL && tag != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(buf != NULL || len == 0, IKH_ERR_ARG_INVALID);
    IKH_CHECK(aad.p != NULL || aad.len == 0, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

/* set_key keeps the salt (last 4 octets of the keying material, RFC 4106 §4).
 */
#define GCM_FUNCS(bits)                                                        \
    static void gcm##bits##_key(ikh_crypto_ctx *ctx, const uint8_t *key,       \
                                uint8_t icv_len)                               \
    {                                                                          \
        gcm_ctx_ikh *c = (gcm_ctx_ikh *)ctx->b;                                \
        gcm_aes##bits##_set_key(&c->g.k##bits, key);                           \
        memcpy(c->salt, key + (bits) / 8, SALT);                               \
        c->icv_len = icv_len;                                                  \
    }                                                                          \
    static void gcm##bits##_start(gcm_ctx_ikh *c, const uint8_t *iv,           \
                                  ikh_span aad)                                \
    {                                                                          \
        uint8_t nonce[GCM_IV_SIZE];                                            \
        gcm_nonce(nonce, c->salt, iv);                                         \
        gcm_aes##bits##_set_iv(&c->g.k##bits, GCM_IV_SIZE, nonce);             \
        if (aad.len > 0)                                                       \
            gcm_aes##bits##_update(&c->g.k##bits, aad.len, aad.p);             \
    }                                                                          \
    static ikh_err gcm##bits##_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       uint8_t *tag)                           \
    {                                                                          \
        IKH_TRY(aead_check(iv, aad, buf, len, tag));                           \
        gcm_ctx_ikh *c = (gcm_ctx_ikh *)ctx->b;                                \
        gcm##bits##_start(c, iv, aad);                                         \
        gcm_aes##bits##_encrypt(&c->g.k##bits, len, buf, buf);                 \
        gcm_aes##bits##_digest(&c->g.k##bits, c->icv_len, tag);                \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err gcm##bits##_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, \
                                       ikh_span aad, uint8_t *buf, size_t len, \
                                       const uint8_t *tag)                     \
    {                                                                          \
        IKH_TRY(aead_check(iv, aad, buf, len, tag));                           \
        gcm_ctx_ikh *c = (gcm_ctx_ikh *)ctx->b;                                \
        uint8_t want[GCM_DIGEST_SIZE];                                         \
        gcm##bits##_start(c, iv, aad);                                         \
        gcm_aes##bits##_decrypt(&c->g.k##bits, len, buf, buf);                 \
        gcm_aes##bits##_digest(&c->g.k##bits, c->icv_len, want);               \
        bool ok = ikh_ct_eq(want, tag, c->icv_len);                            \
        ikh_wipe(want, sizeof want);                                           \
        if (ok)                                                                \
            return IKH_OK;                                                     \
        /* Restore the ciphertext: same nonce, same keystream. */              \
        gcm##bits##_start(c, iv, aad);                                         \
        gcm_aes##bits##_encrypt(&c->g.k##bits, len, buf, buf);                 \
        return IKH_ERR_CRYPTO_ICV;                                             \
    }

GCM_FUNCS(128)
GCM_FUNCS(192)
GCM_FUNCS(256)

/* One init and one ops table per (ICV length, key size). */
#define GCM_OPS(icv, bits)                                                     \
    static ikh_err gcm##icv##_##bits##_init(ikh_crypto_ctx *ctx,               \
                                            const uint8_t *key)                \
    {                                                                          \
        IKH_CHECK(ctx != NULL && key != NULL, IKH_ERR_ARG_INVALID);            \
        gcm##bits##_key(ctx, key, (icv));                                      \
        return IKH_OK;                                                         \
    }                                                                          \
    const ikh_encr_ops ikh_encr_ops_aes_gcm##icv##_##bits = {                  \
        .key_len = (bits) / 8 + SALT,                                          \
        .salt_len = SALT,                                                      \
        .iv_len = IV8,                                                         \
        .block_len = 1,                                                        \
        .icv_len = (icv),                                                      \
        .aead = true,                                                          \
        .init = gcm##icv##_##bits##_init,                                      \
        .encrypt = gcm##bits##_encrypt,                                        \
        .decrypt = gcm##bits##_decrypt,                                        \
        .fini = gcm_fini,                                                      \
    };

GCM_OPS(8, 128)
GCM_OPS(8, 192)
GCM_OPS(8, 256)
GCM_OPS(12, 128)
GCM_OPS(12, 192)
GCM_OPS(12, 256)
GCM_OPS(16, 128)
GCM_OPS(16, 192)
GCM_OPS(16, 256)
