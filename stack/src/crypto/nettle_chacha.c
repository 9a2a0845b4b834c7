/* SPDX-License-Identifier: MIT */
/*
 * ENCR_CHACHA20_POLY1305 over Nettle's chacha_poly1305 (RFC 8439 AEAD) with
 * the IPsec layout of RFC 7634 §2 and §3: the keying material is a 32-octet
 * key followed by a 4-octet salt, the 96-bit nonce is salt(4) | IV(8), and
 * the tag is the full 16 octets. The same layout serves ESP and IKEv2 SK.
 *
 * Decryption checks the tag in constant time; on a mismatch it re-encrypts
 * the buffer, so the caller gets its ciphertext back unchanged together with
 * IKH_ERR_CRYPTO_ICV.
 */
#include <string.h>

#include <nettle/chacha-poly1305.h>

#include "crypto_int.h"

#define CP_SALT 4u
#define CP_IV 8u

typedef struct cp_ctx {
    struct chacha_poly1305_ctx cp;
    uint8_t salt[CP_SALT];
} cp_ctx;

_Static_assert(sizeof(cp_ctx) <= sizeof(ikh_crypto_ctx),
               "ChaCha20-Poly1305 context fits");
_Static_assert(CHACHA_POLY1305_NONCE_SIZE == CP_SALT + CP_IV,
               "RFC 7634 nonce is salt | IV");

static ikh_err cp_init(ikh_crypto_ctx *ctx, const uint8_t *key)
{
    IKH_CHECK(ctx != NULL && key != NULL, IKH_ERR_ARG_INVALID);
    cp_ctx *c = (cp_ctx *)ctx->b;
    chacha_poly1305_set_key(&c->cp, key);
    memcpy(c->salt, key + CHACHA_POLY1305_KEY_SIZE, CP_SALT);
    return IKH_OK;
}

static ikh_err cp_start(cp_ctx *c, const uint8_t *iv, ikh_span aad,
                        const uint8_t *buf, size_t len, const uint8_t *tag)
{
    IKH_CHECK(iv != NULL && tag != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(buf != NULL || len == 0, IKH_ERR_ARG_INVALID);
    IKH_CHECK(aad.p != NULL || aad.len == 0, IKH_ERR_ARG_INVALID);
    uint8_t nonce[CHACHA_POLY1305_NONCE_SIZE];
    memcpy(nonce, c->salt, CP_SALT);
    memcpy(nonce + CP_SALT, iv, CP_IV);
    chacha_poly1305_set_nonce(&c->cp, nonce);
    if (aad.len > 0)
        chacha_poly1305_update(&c->cp, aad.len, aad.p);
    return IKH_OK;
}

static ikh_err cp_encrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, ikh_span aad,
                          uint8_t *buf, size_t len, uint8_t *tag)
{
    cp_ctx *c = (cp_ctx *)ctx->b;
    IKH_TRY(cp_start(c, iv, aad, buf, len, tag));
    chacha_poly1305_encrypt(&c->cp, len, buf, buf);
    chacha_poly1305_digest(&c->cp, CHACHA_POLY1305_DIGEST_SIZE, tag);
    return IKH_OK;
}

static ikh_err cp_decrypt(ikh_crypto_ctx *ctx, const uint8_t *iv, ikh_span aad,
                          uint8_t *buf, size_t len, const uint8_t *tag)
{
    cp_ctx *c = (cp_ctx *)ctx->b;
    uint8_t want[CHACHA_POLY1305_DIGEST_SIZE];
    IKH_TRY(cp_start(c, iv, aad, buf, len, tag));
    chacha_poly1305_decrypt(&c->cp, len, buf, buf);
    chacha_poly1305_digest(&c->cp, sizeof want, want);
    bool ok = ikh_ct_eq(want, tag, sizeof want);
    ikh_wipe(want, sizeof want);
    if (ok)
        return IKH_OK;
    /* Restore the ciphertext: same nonce, same keystream. */
    IKH_TRY(cp_start(c, iv, aad, buf, len, tag));
    chacha_poly1305_encrypt(&c->cp, len, buf, buf);
    return IKH_ERR_CRYPTO_ICV;
}

static void cp_fini(ikh_crypto_ctx *ctx)
{
    if (ctx != NULL)
        ikh_wipe(ctx->b, sizeof(cp_ctx));
}

const ikh_encr_ops ikh_encr_ops_chacha20_poly1305 = {
    .key_len = CHACHA_POLY1305_KEY_SIZE + CP_SALT,
    .salt_len = CP_SALT,
    .iv_len = CP_IV,
    .block_len = 1,
    .icv_len = CHACHA_POLY1305_DIGEST_SIZE,
    .aead = true,
    .init = cp_init,
    .encrypt = cp_encrypt,
    .decrypt = cp_decrypt,
    .fini = cp_fini,
};
