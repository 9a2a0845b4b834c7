/* SPDX-License-Identifier: MIT */
/*
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2) over Nettle's
 * HMAC: the deterministic default of the env rand hook. It lives in
 * crypto/ because only crypto/ may include Nettle (STYLE §8). No
 * reseeding, no prediction resistance, no additional input: a replayable
 * stream from (entropy, nonce, personalization).
 */
#include <string.h>

#include <nettle/hmac.h>

#include "ikh/drbg.h"

/* Overwrite with zeros through a volatile pointer (kept by the compiler). */
static void drbg_wipe(void *p, size_t len)
{
    volatile uint8_t *b = p;
    while (len-- > 0)
        *b++ = 0;
}

/* K = HMAC(K, V || tag || parts...) where tag is omitted when negative. */
static void drbg_hmac_kv(ikh_drbg *d, int tag, const ikh_span *parts,
                         size_t n_parts, uint8_t out[IKH_DRBG_OUTLEN])
{
    struct hmac_sha256_ctx h;
    hmac_sha256_set_key(&h, IKH_DRBG_OUTLEN, d->key);
    hmac_sha256_update(&h, IKH_DRBG_OUTLEN, d->v);
    if (tag >= 0) {
        uint8_t t = (uint8_t)tag;
        hmac_sha256_update(&h, 1, &t);
    }
    for (size_t i = 0; i < n_parts; i++)
        if (parts[i].len > 0)
            hmac_sha256_update(&h, parts[i].len, parts[i].p);
    hmac_sha256_digest(&h, IKH_DRBG_OUTLEN, out);
    drbg_wipe(&h, sizeof h);
}

/* V = HMAC(K, V). */
static void drbg_step_v(ikh_drbg *d)
{
    drbg_hmac_kv(d, -1, NULL, 0, d->v);
}

/* HMAC_DRBG_Update (§10.1.2.2) with provided_data = parts concatenated. */
static void drbg_update(ikh_drbg *d, const ikh_span *parts, size_t n_parts)
{
    size_t total = 0;
    for (size_t i = 0; i < n_parts; i++)
        total += parts[i].len;
    drbg_hmac_kv(d, 0x00, parts, n_parts, d->key);
    drbg_step_v(d);
    if (total == 0)
        return;
    drbg_hmac_kv(d, 0x01, parts, n_parts, d->key);
    drbg_step_v(d);
}

void ikh_drbg_instantiate(ikh_drbg *d, ikh_span entropy, ikh_span nonce,
                          ikh_span pers)
{
    if (d == NULL)
        return;
    memset(d->key, 0x00, sizeof d->key);
    memset(d->v, 0x01, sizeof d->v);
    ikh_span seed_material[3] = {entropy, nonce, pers};
    drbg_update(d, seed_material, 3);
    d->reseed_counter = 1;
}

void ikh_drbg_init(ikh_drbg *d, uint64_t seed)
{
    uint8_t be[8];
    for (size_t i = 0; i < 8; i++)
        be[i] = (uint8_t)(seed >> (56 - 8 * i));
    static const char pers[] = IKH_DRBG_PERSONALIZATION;
    ikh_drbg_instantiate(d, ikh_span_of(be, sizeof be), ikh_span_of(NULL, 0),
                         ikh_span_of((const uint8_t *)pers, sizeof pers - 1));
}

/* One Generate call (§10.1.2.5) of at most IKH_DRBG_MAX_REQUEST octets. */
static void drbg_generate_one(ikh_drbg *d, uint8_t *out, size_t len)
{
    size_t done = 0;
    while (done < len) {
        drbg_step_v(d);
        size_t n = len - done < IKH_DRBG_OUTLEN ? len - done : IKH_DRBG_OUTLEN;
        memcpy(out + done, d->v, n);
        done += n;
    }
    drbg_update(d, NULL, 0);
    d->reseed_counter++;
}

void ikh_drbg_generate(ikh_drbg *d, uint8_t *out, size_t len)
{
    if (d == NULL || out == NULL)
        return;
    while (len > 0) {
        size_t n = len < IKH_DRBG_MAX_REQUEST ? len : IKH_DRBG_MAX_REQUEST;
        drbg_generate_one(d, out, n);
        out += n;
        len -= n;
    }
}

void ikh_drbg_rand(void *user, uint8_t *out, size_t len)
{
    ikh_drbg_generate(user, out, len);
}

uint64_t ikh_drbg_uniform(ikh_drbg *d, uint64_t bound)
{
    if (bound <= 1)
        return 0;
    /* Reject the top partial block so every residue is equally likely. */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
    for (;;) {
        uint8_t b[8];
        ikh_drbg_generate(d, b, sizeof b);
        uint64_t x = 0;
        for (size_t i = 0; i < 8; i++)
            x = x << 8 | b[i];
        if (x <= limit)
            return x % bound;
    }
}

void ikh_drbg_fini(ikh_drbg *d)
{
    if (d != NULL)
        drbg_wipe(d, sizeof *d);
}
