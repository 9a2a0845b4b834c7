/* SPDX-License-Identifier: MIT */
/*
 * PRF and INTEG transforms over Nettle (../shared/STYLE.md §8):
 *  - PRF_HMAC_SHA1 (RFC 2104), PRF_HMAC_SHA2_256/384/512 (RFC 4868 §2.1):
 *    full-length HMAC with a key of any length;
 *  - PRF_AES128_XCBC (RFC 4434 §2): a key shorter than 16 octets is padded
 *    with zeros, a longer one is replaced by AES-XCBC-PRF-128(0^128, key),
 *    then AES-XCBC-MAC (RFC 3566) with the full 128-bit output;
 *  - PRF_AES128_CMAC (RFC 4615 §3): any key that is not exactly 16 octets
 *    (shorter included) is replaced by AES-CMAC(0^128, key), then AES-CMAC
 *    (RFC 4493);
 *  - AUTH_HMAC_SHA1_96 (RFC 2404), AUTH_HMAC_SHA2_256_128/384_192/512_256
 *    (RFC 4868 §2.6): HMAC truncated to the leftmost bits;
 *  - AUTH_AES_XCBC_96 (RFC 3566): AES-XCBC-MAC truncated to 96 bits.
 * Nettle has no XCBC, so RFC 3566 §4 is implemented here over its AES-128
 * block function. Every keyed state lives on the stack and is wiped.
 */
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cmac.h>
#include <nettle/hmac.h>
#include <nettle/memxor.h>

#include "crypto_int.h"

#define XCBC_BLOCK 16u

/* Nettle copies key bytes with memcpy; never hand it NULL, even for 0 octets.
 */
static const uint8_t *nz(const uint8_t *p)
{
    static const uint8_t empty[1] = {0};
    return p != NULL ? p : empty;
}

static ikh_err parts_check(const ikh_span *parts, size_t n_parts)
{
    IKH_CHECK(parts != NULL || n_parts == 0, IKH_ERR_ARG_INVALID);
    for (size_t i = 0; i < n_parts; i++)
        IKH_CHECK(parts[i].p != NULL || parts[i].len == 0, IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

/* ---- HMAC ------------------------------------------------------------- */

/* hmac_<h>(key, key_len, parts, out_len, out): one HMAC over the pieces. */
#define HMAC_FUNC(h, H)                                                        \
    static ikh_err hmac_##h(const uint8_t *key, size_t key_len,                \
                            const ikh_span *parts, size_t n_parts,             \
                            size_t out_len, uint8_t *out)                      \
    {                                                                          \
        IKH_CHECK(out != NULL && (key != NULL || key_len == 0),                \
                  IKH_ERR_ARG_INVALID);                                        \
        IKH_TRY(parts_check(parts, n_parts));                                  \
        _Alignas(64) struct hmac_##h##_ctx c;                                  \
        hmac_##h##_set_key(&c, key_len, nz(key));                              \
        for (size_t i = 0; i < n_parts; i++)                                   \
            if (parts[i].len > 0)                                              \
                hmac_##h##_update(&c, parts[i].len, parts[i].p);               \
        hmac_##h##_digest(&c, out_len, out);                                   \
        ikh_wipe(&c, sizeof c);                                                \
        return IKH_OK;                                                         \
    }                                                                          \
    static ikh_err prf_hmac_##h(ikh_span key, const ikh_span *parts,           \
                                size_t n_parts, uint8_t *out)                  \
    {                                                                          \
        return hmac_##h(key.p, key.len, parts, n_parts, H##_DIGEST_SIZE, out); \
    }                                                                          \
    const ikh_prf_ops ikh_prf_ops_hmac_##h = {                                 \
        .out_len = H##_DIGEST_SIZE,                                            \
        .key_len = H##_DIGEST_SIZE,                                            \
        .prf = prf_hmac_##h,                                                   \
    };

HMAC_FUNC(sha1, SHA1)
HMAC_FUNC(sha256, SHA256)
HMAC_FUNC(sha384, SHA384)
HMAC_FUNC(sha512, SHA512)

/* Truncated HMAC for INTEG: key of the hash's output size (RFC 4868 §2.1.1,
 * RFC 2404 §3). */
#define INTEG_HMAC(h, H, icv)                                                  \
    static ikh_err integ_hmac_##h##_##icv(const uint8_t *key,                  \
                                          const ikh_span *parts,               \
                                          size_t n_parts, uint8_t *out)        \
    {                                                                          \
        IKH_CHECK(key != NULL, IKH_ERR_ARG_INVALID);                           \
        return hmac_##h(key, H##_DIGEST_SIZE, parts, n_parts, (icv) / 8, out); \
    }                                                                          \
    const ikh_integ_ops ikh_integ_ops_hmac_##h##_##icv = {                     \
        .key_len = H##_DIGEST_SIZE,                                            \
        .icv_len = (icv) / 8,                                                  \
        .mac = integ_hmac_##h##_##icv,                                         \
    };

INTEG_HMAC(sha1, SHA1, 96)
INTEG_HMAC(sha256, SHA256, 128)
INTEG_HMAC(sha384, SHA384, 192)
INTEG_HMAC(sha512, SHA512, 256)

/* ---- AES-XCBC-MAC (RFC 3566 §4) ------------------------------------------ */

typedef struct xcbc {
    struct aes128_ctx k1;    /* K1 = AES-K(0x01 x 16) as a key */
    uint8_t k2[XCBC_BLOCK];  /* K2 = AES-K(0x02 x 16) */
    uint8_t k3[XCBC_BLOCK];  /* K3 = AES-K(0x03 x 16) */
    uint8_t e[XCBC_BLOCK];   /* E[i] */
    uint8_t blk[XCBC_BLOCK]; /* pending block, held back until more data */
    size_t n;                /* octets in blk */
} xcbc;

static void xcbc_init(xcbc *x, const uint8_t key[XCBC_BLOCK])
{
    struct aes128_ctx k;
    uint8_t c[XCBC_BLOCK], k1[XCBC_BLOCK];
    aes128_set_encrypt_key(&k, key);
    memset(c, 0x01, sizeof c);
    aes128_encrypt(&k, XCBC_BLOCK, k1, c);
    memset(c, 0x02, sizeof c);
    aes128_encrypt(&k, XCBC_BLOCK, x->k2, c);
    memset(c, 0x03, sizeof c);
    aes128_encrypt(&k, XCBC_BLOCK, x->k3, c);
    aes128_set_encrypt_key(&x->k1, k1);
    memset(x->e, 0, sizeof x->e);
    x->n = 0;
    ikh_wipe(&k, sizeof k);
    ikh_wipe(k1, sizeof k1);
}

static void xcbc_update(xcbc *x, const uint8_t *p, size_t len)
{
    while (len > 0) {
        if (x->n == XCBC_BLOCK) { /* more data follows: not the last block */
            memxor(x->e, x->blk, XCBC_BLOCK);
            aes128_encrypt(&x->k1, XCBC_BLOCK, x->e, x->e);
            x->n = 0;
        }
        if (x->n == 0) { /* whole blocks straight from the input */
            while (len > XCBC_BLOCK) {
                memxor(x->e, p, XCBC_BLOCK);
                aes128_encrypt(&x->k1, XCBC_BLOCK, x->e, x->e);
                p += XCBC_BLOCK;
                len -= XCBC_BLOCK;
            }
        }
        size_t take = XCBC_BLOCK - x->n;
        if (take > len)
            take = len;
        memcpy(x->blk + x->n, p, take);
        x->n += take;
        p += take;
        len -= take;
    }
}

static void xcbc_final(xcbc *x, uint8_t out[XCBC_BLOCK])
{
    if (x->n == XCBC_BLOCK) { /* complete last block: XOR K2 */
        memxor(x->e, x->blk, XCBC_BLOCK);
        memxor(x->e, x->k2, XCBC_BLOCK);
    } else { /* pad with 10*, XOR K3 (also for the empty message) */
        x->blk[x->n] = 0x80;
        memset(x->blk + x->n + 1, 0, XCBC_BLOCK - x->n - 1);
        memxor(x->e, x->blk, XCBC_BLOCK);
        memxor(x->e, x->k3, XCBC_BLOCK);
    }
    aes128_encrypt(&x->k1, XCBC_BLOCK, out, x->e);
    ikh_wipe(x, sizeof *x);
}

static void xcbc_mac(const uint8_t key[XCBC_BLOCK], const ikh_span *parts,
                     size_t n_parts, uint8_t out[XCBC_BLOCK])
{
    xcbc x;
    xcbc_init(&x, key);
    for (size_t i = 0; i < n_parts; i++)
        if (parts[i].len > 0)
            xcbc_update(&x, parts[i].p, parts[i].len);
    xcbc_final(&x, out);
}

static ikh_err integ_xcbc_96(const uint8_t *key, const ikh_span *parts,
                             size_t n_parts, uint8_t *out)
{
    IKH_CHECK(key != NULL && out != NULL, IKH_ERR_ARG_INVALID);
    IKH_TRY(parts_check(parts, n_parts));
    uint8_t full[XCBC_BLOCK];
    xcbc_mac(key, parts, n_parts, full);
    memcpy(out, full, 12);
    ikh_wipe(full, sizeof full);
    return IKH_OK;
}

const ikh_integ_ops ikh_integ_ops_aes_xcbc_96 = {
    .key_len = XCBC_BLOCK,
    .icv_len = 12,
    .mac = integ_xcbc_96,
};

/* ---- AES-CMAC (RFC 4493, via Nettle) --------------------------------------
 */

/* The context is aligned to a cache line: where the stack happens to put
 * it otherwise costs up to 6% at 64 octets (line splits, 4K aliasing with
 * the data). One wipe of the whole Nettle context, which is all secret
 * after the digest: K1/K2, the AES-128 round keys, and the last block, which
 * holds the output (a key when the PRF makes SKEYSEED or prf+ blocks). Nettle
 * itself only resets X and the index. */
static void cmac_mac(const uint8_t key[XCBC_BLOCK], const ikh_span *parts,
                     size_t n_parts, uint8_t out[XCBC_BLOCK])
{
    _Alignas(64) struct cmac_aes128_ctx c;
    cmac_aes128_set_key(&c, key);
    for (size_t i = 0; i < n_parts; i++)
        if (parts[i].len > 0)
            cmac_aes128_update(&c, parts[i].len, parts[i].p);
    cmac_aes128_digest(&c, XCBC_BLOCK, out);
    ikh_wipe(&c, sizeof c);
}

/* ---- Block-cipher PRFs with the RFC 4434 §2 / RFC 4615 §3 key rules -------
 */

typedef void (*block_mac_fn)(const uint8_t key[XCBC_BLOCK],
                             const ikh_span *parts, size_t n_parts,
                             uint8_t out[XCBC_BLOCK]);

/* pad_short: RFC 4434 §2 zero-pads a key shorter than 128 bits; RFC 4615 §3
 * instead reduces every key that is not exactly 128 bits, shorter ones too,
 * to K = AES-CMAC(0^128, key) (its 10-octet test vector depends on it). Both
 * reduce a longer key to prf(0^128, key). */
static ikh_err block_prf(block_mac_fn mac, bool pad_short, ikh_span key,
                         const ikh_span *parts, size_t n_parts, uint8_t *out)
{
    IKH_CHECK(out != NULL && (key.p != NULL || key.len == 0),
              IKH_ERR_ARG_INVALID);
    IKH_TRY(parts_check(parts, n_parts));
    if (key.len == XCBC_BLOCK) { /* the common case: use the key as it is */
        mac(key.p, parts, n_parts, out);
        return IKH_OK;
    }
    uint8_t k[XCBC_BLOCK] = {0};
    if (pad_short && key.len < XCBC_BLOCK) {
        if (key.len > 0)
            memcpy(k, key.p, key.len); /* shorter: zero-padded on the right */
    } else {
        const uint8_t zero[XCBC_BLOCK] = {0};
        mac(zero, &key, 1, k); /* K = prf(0^128, key) */
    }
    mac(k, parts, n_parts, out);
    ikh_wipe(k, sizeof k);
    return IKH_OK;
}

static ikh_err prf_xcbc(ikh_span key, const ikh_span *parts, size_t n_parts,
                        uint8_t *out)
{
    return block_prf(xcbc_mac, true, key, parts, n_parts, out);
}

/* The common case (a 16-octet key, as SK_d, SK_pi and SK_pr always are)
 * calls cmac_mac directly; other key lengths go through block_prf. */
static ikh_err prf_cmac(ikh_span key, const ikh_span *parts, size_t n_parts,
                        uint8_t *out)
{
    if (key.len != XCBC_BLOCK)
        return block_prf(cmac_mac, false, key, parts, n_parts, out);
    IKH_CHECK(out != NULL && key.p != NULL, IKH_ERR_ARG_INVALID);
    IKH_TRY(parts_check(parts, n_parts));
    cmac_mac(key.p, parts, n_parts, out);
    return IKH_OK;
}

const ikh_prf_ops ikh_prf_ops_aes128_xcbc = {
    .out_len = XCBC_BLOCK,
    .key_len = XCBC_BLOCK,
    .prf = prf_xcbc,
};

const ikh_prf_ops ikh_prf_ops_aes128_cmac = {
    .out_len = XCBC_BLOCK,
    .key_len = XCBC_BLOCK,
    .prf = prf_cmac,
};
