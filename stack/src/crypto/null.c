/* SPDX-License-Identifier: MIT */
/*
 * Null transforms (../shared/STYLE.md §8):
 *  - ENCR_NULL for ESP (RFC 4303 §3.2, RFC 2410): no confidentiality, used
 *    only together with an INTEG transform; it is in the default list as
 *    ESP-only;
 *  - the fuzzing-only null AEAD (ENCR_NULL, 0-octet tag, no INTEG needed)
 *    and null KE (private-use ID IKH_CRYPTO_NULL_KE_ID: public value is
 *    random, shared secret = own XOR peer public value), reachable only
 *    through ikh_crypto_null_list(). They are distinct ops tables, so a test
 *    can prove the default list never points at them.
 */
#include <string.h>

#include "crypto_int.h"

/* ---- ENCR_NULL (ESP) ------------------------------------------------------
 */

static ikh_err null_init(ikh_crypto_ctx *ctx, const uint8_t *key)
{
    (void)key;
    IKH_CHECK(ctx != NULL, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

static ikh_err null_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv,
                            ikh_span aad, uint8_t *buf, size_t len,
                            uint8_t *tag)
{
    (void)ctx;
    (void)iv;
    (void)aad;
    (void)tag;
    IKH_CHECK(buf != NULL || len == 0, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

static ikh_err null_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv,
                            ikh_span aad, uint8_t *buf, size_t len,
                            const uint8_t *tag)
{
    (void)ctx;
    (void)iv;
    (void)aad;
    (void)tag;
    IKH_CHECK(buf != NULL || len == 0, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

static void null_fini(ikh_crypto_ctx *ctx)
{
    (void)ctx;
}

const ikh_encr_ops ikh_encr_ops_null = {
    .key_len = 0,
    .salt_len = 0,
    .iv_len = 0,
    .block_len = 1,
    .icv_len = 0,
    .aead = false,
    .init = null_init,
    .encrypt = null_encrypt,
    .decrypt = null_decrypt,
    .fini = null_fini,
};

/* ---- Fuzzing only: null AEAD -----------------------------------------------
 */

/* Separate functions (not shared with ENCR_NULL) so no pointer of the
 * default list's ENCR_NULL equals one of these. */
static ikh_err null_aead_init(ikh_crypto_ctx *ctx, const uint8_t *key)
{
    return null_init(ctx, key);
}

static ikh_err null_aead_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv,
                                 ikh_span aad, uint8_t *buf, size_t len,
                                 uint8_t *tag)
{
    return null_encrypt(ctx, iv, aad, buf, len, tag);
}

static ikh_err null_aead_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv,
                                 ikh_span aad, uint8_t *buf, size_t len,
                                 const uint8_t *tag)
{
    return null_decrypt(ctx, iv, aad, buf, len, tag);
}

static void null_aead_fini(ikh_crypto_ctx *ctx)
{
    (void)ctx;
}

const ikh_encr_ops ikh_encr_ops_null_aead = {
    .key_len = 0,
    .salt_len = 0,
    .iv_len = 0,
    .block_len = 1,
    .icv_len = 0,
    .aead = true,
    .init = null_aead_init,
    .encrypt = null_aead_encrypt,
    .decrypt = null_aead_decrypt,
    .fini = null_aead_fini,
};

/* ---- Fuzzing only: null KE -------------------------------------------------
 */

#define NULL_KE_LEN 8u

typedef struct null_ke_ctx {
    uint8_t pub[NULL_KE_LEN];
} null_ke_ctx;

static ikh_err null_ke_keygen(ikh_crypto_ctx *ctx, const ikh_rand *rnd,
                              uint8_t *pub)
{
    IKH_CHECK(ctx != NULL && pub != NULL, IKH_ERR_ARG_INVALID);
    null_ke_ctx *c = (null_ke_ctx *)ctx->b;
    memset(c->pub, 0, sizeof c->pub);
    if (rnd != NULL && rnd->fn != NULL)
        rnd->fn(rnd->user, c->pub, sizeof c->pub);
    memcpy(pub, c->pub, sizeof c->pub);
    return IKH_OK;
}

static ikh_err null_ke_derive(ikh_crypto_ctx *ctx, ikh_span peer,
                              ikh_secret *shared)
{
    IKH_CHECK(ctx != NULL && shared != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(peer.len == NULL_KE_LEN && peer.p != NULL,
              IKH_ERR_CRYPTO_KE_INVALID);
    const null_ke_ctx *c = (const null_ke_ctx *)ctx->b;
    uint8_t s[NULL_KE_LEN];
    for (size_t i = 0; i < NULL_KE_LEN; i++)
        s[i] = (uint8_t)(c->pub[i] ^ peer.p[i]);
    ikh_err e = ikh_secret_set(shared, ikh_span_of(s, sizeof s));
    ikh_wipe(s, sizeof s);
    return e;
}

static void null_ke_fini(ikh_crypto_ctx *ctx)
{
    if (ctx != NULL)
        ikh_wipe(ctx->b, sizeof(null_ke_ctx));
}

const ikh_ke_ops ikh_ke_ops_null = {
    .pub_len = NULL_KE_LEN,
    .shared_len = NULL_KE_LEN,
    .keygen = null_ke_keygen,
    .derive = null_ke_derive,
    .fini = null_ke_fini,
};
