/* SPDX-License-Identifier: MIT */
/*
 * ECP Diffie-Hellman groups 19, 20 and 21 (RFC 5903: NIST P-256, P-384,
 * P-521) for IKEv2 Key Exchange payloads, over Nettle's ecc API.
 *
 * Encoding (RFC 5903 §7): the Key Exchange Data is x | y, each coordinate
 * left-padded to the field size (32, 48, 66 octets), without the 0x04
 * prefix of SEC1; the shared secret is the x coordinate of the shared point
 * alone, left-padded the same way.
 *
 * Private scalar: the rand hook's first field-size octets read big-endian,
 * with the top octet masked to the bit length of the group order (P-521:
 * 0x01); a value outside [1, n-1] is refused by ecc_scalar_set() and drawn
 * again (rejection sampling, at most ECP_RAND_TRIES draws). A test that
 * feeds RFC 5903's i or r through the hook therefore gets that scalar and
 * RFC 5903's public value. Only the scalar's octets are kept in the caller's
 * ikh_crypto_ctx.
 *
 * Validation of the peer's value: exact length, and ecc_point_set() accepts
 * only coordinates below p that satisfy the curve equation, which also
 * refuses the point at infinity (it has no affine x | y; all-zero octets
 * are (0, 0), not on these curves since b != 0). The curves have cofactor
 * 1, so a valid point has order n and the scalar product is never infinity.
 *
 * Nettle's ecc API takes GMP mpz_t numbers (through nettle/bignum.h; this
 * file does not include <gmp.h> itself). Nettle allocates them and the
 * ecc_scalar / ecc_point limbs with GMP's allocator, so every number that
 * held a secret is overwritten before it is cleared (ecp_mpz_wipe_clear,
 * and the scalar/point limbs, whose sizes ecc_size() gives). Pre-sizing the
 * mpz_t keeps GMP from reallocating (and leaving copies of) secret limbs.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include "crypto_int.h"

/** Largest field size in octets (P-521). */
#define ECP_MAX_OCTETS 66u
/** Draws of the rand hook before keygen gives up. */
#define ECP_RAND_TRIES 8

/** One RFC 5903 group. */
typedef struct ecp_group {
    const struct ecc_curve *(*curve)(void); /**< Nettle's curve */
    size_t flen;                            /**< field (and scalar) octets */
    uint8_t top_mask; /**< mask for the scalar's first octet */
} ecp_group;

static const ecp_group ecp_256 = {nettle_get_secp_256r1, 32, 0xff};
static const ecp_group ecp_384 = {nettle_get_secp_384r1, 48, 0xff};
static const ecp_group ecp_521 = {nettle_get_secp_521r1, 66, 0x01};

/** What keygen leaves in the caller's ikh_crypto_ctx. */
typedef struct ecp_ctx {
    uint8_t k[ECP_MAX_OCTETS]; /**< private scalar, big-endian, flen octets */
    bool ready;                /**< keygen succeeded and fini not yet called */
} ecp_ctx;

static_assert(sizeof(ecp_ctx) <= IKH_CRYPTO_CTX_MAX,
              "ECP state fits ikh_crypto_ctx");
static_assert(2 * ECP_MAX_OCTETS <= IKH_KE_PUB_MAX, "public value buffer");

/**
 * @brief Overwrite an mpz_t's limbs, then clear it.
 * @param z initialised number
 */
static void ecp_mpz_wipe_clear(mpz_t z)
{
    size_t n = mpz_size(z);
    if (n > 0)
        ikh_wipe(mpz_limbs_modify(z, (mp_size_t)n), n * sizeof(mp_limb_t));
    mpz_clear(z);
}

/**
 * @brief Set up a scalar from the big-endian octets in @p st.
 * @param g group @param st context with k @param s scalar (initialised here)
 * @return true when k is in [1, n-1]; s must be cleared either way
 *         (ecp_scalar_wipe_clear).
 */
static bool ecp_scalar_load(const ecp_group *g, const ecp_ctx *st,
                            struct ecc_scalar *s)
{
    mpz_t z;
    mpz_init2(z, (mp_bitcnt_t)(8 * g->flen + 64));
    nettle_mpz_set_str_256_u(z, g->flen, st->k);
    ecc_scalar_init(s, g->curve());
    int ok = ecc_scalar_set(s, z);
    ecp_mpz_wipe_clear(z);
    return ok == 1;
}

/**
 * @brief Overwrite a scalar's limbs, then clear it.
 * @param s initialised scalar
 */
static void ecp_scalar_wipe_clear(struct ecc_scalar *s)
{
    ikh_wipe(s->p, (size_t)ecc_size(s->ecc) * sizeof(mp_limb_t));
    ecc_scalar_clear(s);
}

/**
 * @brief Overwrite a point's limbs (x and y), then clear it.
 * @param p initialised point
 */
static void ecp_point_wipe_clear(struct ecc_point *p)
{
    ikh_wipe(p->p, 2 * (size_t)ecc_size(p->ecc) * sizeof(mp_limb_t));
    ecc_point_clear(p);
}

/**
 * @brief Draw a private scalar and write the public value x | y.
 * @param g group @param ctx caller memory (written) @param rnd random source
 * @param pub 2 * flen octets (written)
 * @return IKH_OK; ARG_INVALID (NULL argument); CRYPTO_FAILED (the rand
 *         hook gave no scalar in [1, n-1] in ECP_RAND_TRIES draws).
 */
static ikh_err ecp_keygen(const ecp_group *g, ikh_crypto_ctx *ctx,
                          const ikh_rand *rnd, uint8_t *pub)
{
    if (!ctx || !rnd || !rnd->fn || !pub)
        return IKH_ERR_ARG_INVALID;
    ecp_ctx *st = (ecp_ctx *)ctx->b;
    ikh_wipe(st, sizeof *st);
    struct ecc_scalar s;
    bool ok = false;
    for (int tries = 0; tries < ECP_RAND_TRIES && !ok; tries++) {
        rnd->fn(rnd->user, st->k, g->flen);
        st->k[0] &= g->top_mask;
        ok = ecp_scalar_load(g, st, &s);
        if (!ok)
            ecp_scalar_wipe_clear(&s);
    }
    if (!ok) {
        ikh_wipe(st, sizeof *st);
        return IKH_ERR_CRYPTO_FAILED;
    }
    struct ecc_point r;
    mpz_t x, y;
    ecc_point_init(&r, g->curve());
    ecc_point_mul_g(&r, &s);
    mpz_init2(x, (mp_bitcnt_t)(8 * g->flen + 64));
    mpz_init2(y, (mp_bitcnt_t)(8 * g->flen + 64));
    ecc_point_get(&r, x, y);
    /* rfc5903#7: x | y, each left-padded to the field size */
    nettle_mpz_get_str_256(g->flen, pub, x);
    nettle_mpz_get_str_256(g->flen, pub + g->flen, y);
    mpz_clear(x);
    mpz_clear(y);
    ecc_point_clear(&r);
    ecp_scalar_wipe_clear(&s);
    st->ready = true;
    return IKH_OK;
}

/**
 * @brief Validate the peer's point and write the shared x coordinate.
 * @param g group @param ctx context from keygen @param peer Key Exchange Data
 * @param shared receives flen octets
 * @return IKH_OK; CRYPTO_KE_INVALID (length is not 2 * flen, a coordinate
 *         is >= p, or the point is not on the curve, infinity included);
 *         ARG_INVALID (NULL argument or no keygen); CRYPTO_FAILED (the
 *         stored scalar does not load: corrupted context). On error shared
 *         is emptied.
 */
static ikh_err ecp_derive(const ecp_group *g, ikh_crypto_ctx *ctx,
                          ikh_span peer, ikh_secret *shared)
{
    if (!ctx || !shared)
        return IKH_ERR_ARG_INVALID;
    ikh_secret_fini(shared); /* an older value goes first */
    const ecp_ctx *st = (const ecp_ctx *)ctx->b;
    if (!st->ready)
        return IKH_ERR_ARG_INVALID;
    if (peer.len != 2 * g->flen || !peer.p)
        return IKH_ERR_CRYPTO_KE_INVALID;

    ikh_err err = IKH_OK;
    mpz_t x, y;
    struct ecc_point q;
    mpz_init2(x, (mp_bitcnt_t)(8 * g->flen + 64));
    mpz_init2(y, (mp_bitcnt_t)(8 * g->flen + 64));
    nettle_mpz_set_str_256_u(x, g->flen, peer.p);
    nettle_mpz_set_str_256_u(y, g->flen, peer.p + g->flen);
    ecc_point_init(&q, g->curve());
    /* rfc5903#7 / rfc6989#2.3: the point must be on the curve; Nettle
     * refuses coordinates >= p and (0, 0), our encoding of infinity */
    if (ecc_point_set(&q, x, y) != 1) {
        ecc_point_clear(&q);
        mpz_clear(x);
        mpz_clear(y);
        return IKH_ERR_CRYPTO_KE_INVALID;
    }
    struct ecc_scalar s;
    struct ecc_point r;
    ecc_point_init(&r, g->curve());
    if (!ecp_scalar_load(g, st, &s)) {
        err = IKH_ERR_CRYPTO_FAILED;
        goto out;
    }
    ecc_point_mul(&r, &s, &q);
    ecc_point_get(&r, x, y);
    /* rfc5903#7: the shared secret is the x coordinate only */
    nettle_mpz_get_str_256(g->flen, shared->b, x);
    shared->len = g->flen;
out:
    ecp_scalar_wipe_clear(&s);
    ecp_point_wipe_clear(&r);
    ecc_point_clear(&q);
    ecp_mpz_wipe_clear(x);
    ecp_mpz_wipe_clear(y);
    return err;
}

/**
 * @brief Wipe the private scalar.
 * @param ctx context (NULL is a no-op)
 */
static void ecp_fini(ikh_crypto_ctx *ctx)
{
    if (ctx)
        ikh_wipe(ctx->b, sizeof(ecp_ctx));
}

/*
 * One ikh_ke_ops per group: keygen/derive wrappers that bind the group
 * (the ops signatures carry no group argument), sharing ecp_fini.
 */
#define ECP_OPS(bits)                                                          \
    static ikh_err ecp##bits##_keygen(ikh_crypto_ctx *ctx,                     \
                                      const ikh_rand *rnd, uint8_t *pub)       \
    {                                                                          \
        return ecp_keygen(&ecp_##bits, ctx, rnd, pub);                         \
    }                                                                          \
    static ikh_err ecp##bits##_derive(ikh_crypto_ctx *ctx, ikh_span peer,      \
                                      ikh_secret *shared)                      \
    {                                                                          \
        return ecp_derive(&ecp_##bits, ctx, peer, shared);                     \
    }                                                                          \
    const ikh_ke_ops ikh_ke_ops_ecp##bits = {                                  \
        .pub_len = 2 * (((bits) + 7) / 8),                                     \
        .shared_len = ((bits) + 7) / 8,                                        \
        .keygen = ecp##bits##_keygen,                                          \
        .derive = ecp##bits##_derive,                                          \
        .fini = ecp_fini,                                                      \
    };

ECP_OPS(256)
ECP_OPS(384)
ECP_OPS(521)
