/* SPDX-License-Identifier: MIT */
/*
 * Curve25519 and Curve448 key exchange (RFC 8031: IKEv2 groups 31 and 32)
 * over Nettle's curve25519_mul_g / curve25519_mul and curve448_*.
 *
 * The Key Exchange Data is the 32- or 56-octet u-coordinate, the shared
 * secret the 32- or 56-octet X25519 / X448 output (RFC 8031 §2, RFC 7748
 * §5). The private key is the rand hook's first 32 / 56 octets as they
 * come; Nettle decodes (clamps) them as RFC 7748 §5 says, so a test that
 * feeds RFC 7748's private keys gets RFC 7748's public values. The peer's
 * value must have exactly that length; any such string is a valid
 * u-coordinate input (RFC 7748 §5), so the only check is the one RFC 8031
 * §2 makes mandatory: an all-zero shared secret (a low-order peer value)
 * is refused, tested in constant time.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include <nettle/curve25519.h>
#include <nettle/curve448.h>

#include "crypto_int.h"

/** Largest private key / public value (Curve448). */
#define CURVE_MAX_OCTETS CURVE448_SIZE

/** One curve: its size and Nettle's two functions. */
typedef struct curve_group {
    size_t len;                                  /**< octets */
    void (*mul_g)(uint8_t *q, const uint8_t *n); /**< q = n * base */
    void (*mul)(uint8_t *q, const uint8_t *n,
                const uint8_t *p); /**< q = n * p */
} curve_group;

static const curve_group curve_25519 = {CURVE25519_SIZE, curve25519_mul_g,
                                        curve25519_mul};
static const curve_group curve_448 = {CURVE448_SIZE, curve448_mul_g,
                                      curve448_mul};

/** What keygen leaves in the caller's ikh_crypto_ctx. */
typedef struct curve_ctx {
    uint8_t
        k[CURVE_MAX_OCTETS]; /**< private key octets (unclamped, len of them) */
    bool ready;              /**< keygen succeeded and fini not yet called */
} curve_ctx;

static_assert(sizeof(curve_ctx) <= IKH_CRYPTO_CTX_MAX,
              "curve state fits ikh_crypto_ctx");
static_assert(CURVE_MAX_OCTETS <= IKH_SECRET_MAX, "shared secret buffer");

/**
 * @brief Draw a private key and write its public value.
 * @param g curve @param ctx caller memory (written) @param rnd random source
 * @param pub g->len octets (written)
 * @return IKH_OK or ARG_INVALID (NULL argument).
 */
static ikh_err curve_keygen(const curve_group *g, ikh_crypto_ctx *ctx,
                            const ikh_rand *rnd, uint8_t *pub)
{
    if (!ctx || !rnd || !rnd->fn || !pub)
        return IKH_ERR_ARG_INVALID;
    curve_ctx *st = (curve_ctx *)ctx->b;
    ikh_wipe(st, sizeof *st);
    rnd->fn(rnd->user, st->k, g->len);
    g->mul_g(pub, st->k); /* clamps per RFC 7748 §5 */
    st->ready = true;
    return IKH_OK;
}

/**
 * @brief Compute the shared secret and refuse an all-zero one.
 * @param g curve @param ctx context from keygen @param peer Key Exchange Data
 * @param shared receives g->len octets
 * @return IKH_OK; CRYPTO_KE_INVALID (length is not g->len, or the result is
 *         all zero: the peer sent a low-order point); ARG_INVALID (NULL
 *         argument or no keygen). On error shared is emptied and wiped.
 */
static ikh_err curve_derive(const curve_group *g, ikh_crypto_ctx *ctx,
                            ikh_span peer, ikh_secret *shared)
{
    if (!ctx || !shared)
        return IKH_ERR_ARG_INVALID;
    ikh_secret_fini(shared); /* an older value goes first */
    const curve_ctx *st = (const curve_ctx *)ctx->b;
    if (!st->ready)
        return IKH_ERR_ARG_INVALID;
    if (peer.len != g->len || !peer.p)
        return IKH_ERR_CRYPTO_KE_INVALID;
    g->mul(shared->b, st->k, peer.p);
    /* RFC 8031 §2: the receiver MUST check that the shared secret is not
     * all zero (a low-order peer value); constant-time OR over the octets */
    uint8_t acc = 0;
    for (size_t i = 0; i < g->len; i++)
        acc |= shared->b[i];
    if (acc == 0) {
        ikh_wipe(shared->b, g->len);
        return IKH_ERR_CRYPTO_KE_INVALID;
    }
    shared->len = g->len;
    return IKH_OK;
}

/**
 * @brief Wipe the private key.
 * @param ctx context (NULL is a no-op)
 */
static void curve_fini(ikh_crypto_ctx *ctx)
{
    if (ctx)
        ikh_wipe(ctx->b, sizeof(curve_ctx));
}

/*
 * One ikh_ke_ops per curve: keygen/derive wrappers that bind the curve
 * (the ops signatures carry no group argument), sharing curve_fini.
 */
#define CURVE_OPS(name, grp, size)                                             \
    static ikh_err name##_keygen(ikh_crypto_ctx *ctx, const ikh_rand *rnd,     \
                                 uint8_t *pub)                                 \
    {                                                                          \
        return curve_keygen(&grp, ctx, rnd, pub);                              \
    }                                                                          \
    static ikh_err name##_derive(ikh_crypto_ctx *ctx, ikh_span peer,           \
                                 ikh_secret *shared)                           \
    {                                                                          \
        return curve_derive(&grp, ctx, peer, shared);                          \
    }                                                                          \
    const ikh_ke_ops ikh_ke_ops_##name = {                                     \
        .pub_len = (size),                                                     \
        .shared_len = (size),                                                  \
        .keygen = name##_keygen,                                               \
        .derive = name##_derive,                                               \
        .fini = curve_fini,                                                    \
    };

CURVE_OPS(x25519, curve_25519, CURVE25519_SIZE)
CURVE_OPS(x448, curve_448, CURVE448_SIZE)
