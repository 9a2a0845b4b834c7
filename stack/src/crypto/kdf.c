/* SPDX-License-Identifier: MIT */
/*
 * IKEv2 key derivation (RFC 7296 §2.13, §2.14, §2.17, §2.18): prf+ and the
 * formulas built on it. The PRF comes in as an ikh_prf_ops, so the same code
 * serves HMAC and AES-XCBC/CMAC PRFs; every intermediate buffer is wiped.
 */
#include <string.h>

#include "ikh/iana.h"
#include "ikh/kdf.h"

/* Ni | Nr, or the concatenation of the prf+ pieces of one split. */
#define KDF_NONCES_MAX (2u * IKH_KDF_NONCE_MAX)

/*= rfc7296#2.13
 *# prf+ (K,S) = T1 | T2 | T3 | T4 | ...
 *# where:
 *# T1 = prf (K, S | 0x01)
 *# T2 = prf (K, T1 | S | 0x02)
 *# ...
 *# The prf+ function is not defined beyond 255 times the size of the prf
 *# function output.
 */
ikh_err ikh_kdf_prf_plus(const ikh_prf_ops *prf, ikh_span key,
                         const ikh_span *seed, size_t n_seed, uint8_t *out,
                         size_t out_len)
{
    IKH_CHECK(prf != NULL && prf->prf != NULL && prf->out_len > 0 &&
                  prf->out_len <= IKH_PRF_MAX && (out != NULL || out_len == 0),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(n_seed <= IKH_KDF_SEED_PARTS_MAX && (seed != NULL || n_seed == 0),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(out_len <= IKH_KDF_PRF_PLUS_ITER_MAX * prf->out_len,
              IKH_ERR_ARG_RANGE);

    uint8_t t[IKH_PRF_MAX];
    uint8_t counter = 0;
    ikh_span parts[IKH_KDF_SEED_PARTS_MAX + 2];
    ikh_err e = IKH_OK;
    size_t done = 0;
    while (done < out_len) {
        size_t n = 0;
        if (counter > 0)
            parts[n++] = ikh_span_of(t, prf->out_len);
        for (size_t i = 0; i < n_seed; i++)
            parts[n++] = seed[i];
        counter++; /* at most 255: checked above */
        parts[n++] = ikh_span_of(&counter, 1);
        e = prf->prf(key, parts, n, t);
        if (e != IKH_OK)
            goto out;
        size_t take =
            out_len - done < prf->out_len ? out_len - done : prf->out_len;
        memcpy(out + done, t, take);
        done += take;
    }
out:
    ikh_wipe(t, sizeof t);
    if (e != IKH_OK)
        ikh_wipe(out, out_len);
    return e;
}

/* True for PRFs whose key has a fixed length (RFC 4434, RFC 4615). */
static bool kdf_prf_fixed_key(const ikh_xform_desc *prf)
{
    return prf->id == IKH_PRF_AES128_XCBC || prf->id == IKH_PRF_AES128_CMAC;
}

/* out = prf(key, parts...) into a secret of prf->out_len octets. */
static ikh_err kdf_prf_secret(const ikh_prf_ops *prf, ikh_span key,
                              const ikh_span *parts, size_t n_parts,
                              ikh_secret *out)
{
    ikh_secret_fini(out);
    IKH_CHECK(prf->out_len > 0 && prf->out_len <= IKH_PRF_MAX,
              IKH_ERR_ARG_INVALID);
    /* len first (ikh_secret's writer rule): a PRF that fails midway
     * leaves nothing the fini below misses */
    out->len = prf->out_len;
    ikh_err e = prf->prf(key, parts, n_parts, out->b);
    if (e != IKH_OK) {
        ikh_secret_fini(out);
        return e;
    }
    return IKH_OK;
}

/*= rfc7296#2.14
 *# SKEYSEED = prf(Ni | Nr, g^ir)
 *= rfc7296#2.14
 *# If the negotiated PRF takes a fixed-length key and the lengths of Ni and Nr
 *# do not add up to that length, half the bits must come from Ni and half
 *# must come from Nr, taking the first bits of each.
 */
ikh_err ikh_kdf_skeyseed(const ikh_xform_desc *prf, ikh_span ni, ikh_span nr,
                         ikh_span g_ir, ikh_secret *skeyseed)
{
    IKH_CHECK(skeyseed != NULL, IKH_ERR_ARG_INVALID);
    ikh_secret_fini(skeyseed);
    IKH_CHECK(prf != NULL && prf->type == IKH_XF_PRF && prf->prf != NULL &&
                  prf->prf->prf != NULL,
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(ni.len <= IKH_KDF_NONCE_MAX && nr.len <= IKH_KDF_NONCE_MAX,
              IKH_ERR_ARG_RANGE);

    size_t ni_take = ni.len, nr_take = nr.len;
    if (kdf_prf_fixed_key(prf) && ni.len + nr.len != prf->prf->key_len) {
        size_t half = prf->prf->key_len / 2;
        IKH_CHECK(prf->prf->key_len % 2 == 0 && ni.len >= half &&
                      nr.len >= half,
                  IKH_ERR_ARG_INVALID);
        ni_take = half;
        nr_take = half;
    }
    uint8_t key[KDF_NONCES_MAX];
    if (ni_take > 0)
        memcpy(key, ni.p, ni_take);
    if (nr_take > 0)
        memcpy(key + ni_take, nr.p, nr_take);
    ikh_err e = kdf_prf_secret(prf->prf, ikh_span_of(key, ni_take + nr_take),
                               &g_ir, 1, skeyseed);
    ikh_wipe(key, sizeof key);
    return e;
}

/*= rfc7296#2.18
 *# SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 */
ikh_err ikh_kdf_skeyseed_rekey(const ikh_prf_ops *prf,
                               const ikh_secret *sk_d_old, ikh_span g_ir_new,
                               ikh_span ni, ikh_span nr, ikh_secret *skeyseed)
{
    IKH_CHECK(skeyseed != NULL, IKH_ERR_ARG_INVALID);
    ikh_secret_fini(skeyseed);
    IKH_CHECK(prf != NULL && prf->prf != NULL && sk_d_old != NULL &&
                  sk_d_old->len <= IKH_SECRET_MAX,
              IKH_ERR_ARG_INVALID);
    ikh_span parts[3] = {g_ir_new, ni, nr};
    return kdf_prf_secret(prf, ikh_span_of(sk_d_old->b, sk_d_old->len), parts,
                          3, skeyseed);
}

/* Run prf+ for the lengths in lens[] and cut its output into outs[]. */
static ikh_err kdf_split(const ikh_prf_ops *prf, const ikh_secret *key,
                         const ikh_span *seed, size_t n_seed,
                         const size_t *lens, ikh_secret *const *outs,
                         size_t n_out)
{
    for (size_t i = 0; i < n_out; i++)
        ikh_secret_fini(outs[i]);
    size_t total = 0;
    for (size_t i = 0; i < n_out; i++)
        IKH_CHECK(lens[i] <= IKH_SECRET_MAX &&
                      ikh_add_ok(total, lens[i], &total),
                  IKH_ERR_ARG_RANGE);
    IKH_CHECK(total <= IKH_SECRET_MAX, IKH_ERR_ARG_RANGE);

    uint8_t keymat[IKH_SECRET_MAX];
    ikh_err e = ikh_kdf_prf_plus(prf, ikh_span_of(key->b, key->len), seed,
                                 n_seed, keymat, total);
    size_t off = 0;
    for (size_t i = 0; e == IKH_OK && i < n_out; i++) {
        e = ikh_secret_set(outs[i], ikh_span_of(keymat + off, lens[i]));
        off += lens[i];
    }
    ikh_wipe(keymat, sizeof keymat);
    if (e != IKH_OK)
        for (size_t i = 0; i < n_out; i++)
            ikh_secret_fini(outs[i]);
    return e;
}

/*= rfc7296#2.14
 *# {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *#                 = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)
 */
ikh_err ikh_kdf_ike_keys_derive(const ikh_prf_ops *prf,
                                const ikh_secret *skeyseed, ikh_span ni,
                                ikh_span nr, ikh_span spi_i, ikh_span spi_r,
                                size_t encr_key_len, size_t integ_key_len,
                                ikh_kdf_ike_keys *out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    ikh_kdf_ike_keys_fini(out);
    IKH_CHECK(prf != NULL && skeyseed != NULL &&
                  skeyseed->len <= IKH_SECRET_MAX,
              IKH_ERR_ARG_INVALID);
    const ikh_span seed[4] = {ni, nr, spi_i, spi_r};
    const size_t lens[7] = {prf->key_len, integ_key_len, integ_key_len,
                            encr_key_len, encr_key_len,  prf->key_len,
                            prf->key_len};
    ikh_secret *const outs[7] = {&out->sk_d,  &out->sk_ai, &out->sk_ar,
                                 &out->sk_ei, &out->sk_er, &out->sk_pi,
                                 &out->sk_pr};
    return kdf_split(prf, skeyseed, seed, 4, lens, outs, 7);
}

void ikh_kdf_ike_keys_fini(ikh_kdf_ike_keys *k)
{
    if (k == NULL)
        return;
    ikh_secret_fini(&k->sk_d);
    ikh_secret_fini(&k->sk_ai);
    ikh_secret_fini(&k->sk_ar);
    ikh_secret_fini(&k->sk_ei);
    ikh_secret_fini(&k->sk_er);
    ikh_secret_fini(&k->sk_pi);
    ikh_secret_fini(&k->sk_pr);
}

/*= rfc7296#2.17
 *# KEYMAT = prf+(SK_d, Ni | Nr)
 *= rfc7296#2.17
 *# KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr)
 *= rfc7296#2.17
 *# All keys for SAs carrying data from the initiator to the responder
 *# are taken before SAs going from the responder to the initiator.
 */
ikh_err ikh_kdf_child_keys_derive(const ikh_prf_ops *prf,
                                  const ikh_secret *sk_d, ikh_span g_ir_new,
                                  ikh_span ni, ikh_span nr, size_t encr_key_len,
                                  size_t integ_key_len, ikh_kdf_child_keys *out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    ikh_kdf_child_keys_fini(out);
    IKH_CHECK(prf != NULL && sk_d != NULL && sk_d->len <= IKH_SECRET_MAX,
              IKH_ERR_ARG_INVALID);
    ikh_span seed[3];
    size_t n = 0;
    if (g_ir_new.len > 0)
        seed[n++] = g_ir_new;
    seed[n++] = ni;
    seed[n++] = nr;
    const size_t lens[4] = {encr_key_len, integ_key_len, encr_key_len,
                            integ_key_len};
    ikh_secret *const outs[4] = {&out->encr_i, &out->integ_i, &out->encr_r,
                                 &out->integ_r};
    return kdf_split(prf, sk_d, seed, n, lens, outs, 4);
}

void ikh_kdf_child_keys_fini(ikh_kdf_child_keys *k)
{
    if (k == NULL)
        return;
    ikh_secret_fini(&k->encr_i);
    ikh_secret_fini(&k->integ_i);
    ikh_secret_fini(&k->encr_r);
    ikh_secret_fini(&k->integ_r);
}
