/* SPDX-License-Identifier: MIT */
/*
 * Signature AUTH methods over Nettle: RSA PKCS#1 v1.5 with SHA-1 (method 1,
 * RFC 7296 §3.8), ECDSA r|s (methods 9-11, RFC 4754 §3, §7), and Digital
 * Signature (method 14, RFC 7427 §3) with PKCS#1 v1.5, RSASSA-PSS and
 * DER-encoded ECDSA. One table row per scheme: key type, hash, DigestInfo
 * prefix, the exact DER AlgorithmIdentifier accepted on the wire.
 */
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "crypto/key_int.h"
#include "ikh/iana.h"
#include "ikh/sig.h"

typedef enum sig_kind {
    K_PKCS1,
    K_PSS,
    K_ECDSA_DER,
    K_ECDSA_RS
} sig_kind;

typedef struct sig_info {
    int scheme; /* ikh_sig_scheme, or -method for methods 1/9/10/11 */
    ikh_key_type key;
    sig_kind kind;
    const struct nettle_hash *hash;
    const uint8_t *dinfo; /* PKCS#1 DigestInfo prefix (RFC 8017 §9.2 note 1) */
    size_t dinfo_len;
    const uint8_t *alg; /* RFC 7427 AlgorithmIdentifier (DER), or NULL */
    size_t alg_len;
    uint16_t curve_bits; /* required curve, 0: any */
} sig_info;

#define PSS_SALT_LEN 32u
/* Largest RSA signature: the 8192-bit modulus keyfile.c accepts. */
#define KEY_SIG_RSA_MAX 1024u

static const uint8_t di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06,
                                  0x05, 0x2b, 0x0e, 0x03, 0x02,
                                  0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t di_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                    0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t di_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                    0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t di_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                    0x03, 0x05, 0x00, 0x04, 0x40};

/* RFC 7427 App. A.1: sha{256,384,512}WithRSAEncryption, NULL parameters. */
static const uint8_t alg_rsa256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
                                     0x86, 0x48, 0x86, 0xf7, 0x0d,
                                     0x01, 0x01, 0x0b, 0x05, 0x00};
static const uint8_t alg_rsa384[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
                                     0x86, 0x48, 0x86, 0xf7, 0x0d,
                                     0x01, 0x01, 0x0c, 0x05, 0x00};
static const uint8_t alg_rsa512[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
                                     0x86, 0x48, 0x86, 0xf7, 0x0d,
                                     0x01, 0x01, 0x0d, 0x05, 0x00};
/* RFC 7427 App. A.4.3: RSASSA-PSS, SHA-256, MGF1 with SHA-256, salt 32. */
static const uint8_t alg_pss256[] = {
    0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
    0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
    0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a,
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30,
    0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20};
/* RFC 7427 App. A.3: ecdsa-with-SHA{256,384,512}, parameters absent. */
static const uint8_t alg_ec256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t alg_ec384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t alg_ec512[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};

#define ROW(s, k, kind, h, di, alg, bits)                                      \
    {                                                                          \
        (s), (k), (kind), &(h), (di), sizeof(di), (alg), sizeof(alg), (bits)   \
    }
#define ROW_NOALG(s, k, kind, h, di, bits)                                     \
    {                                                                          \
        (s), (k), (kind), &(h), (di), sizeof(di), NULL, 0, (bits)              \
    }

static const sig_info sig_table[] = {
    ROW_NOALG(-IKH_AUTH_RSA_SIG, IKH_KEY_RSA, K_PKCS1, nettle_sha1, di_sha1, 0),
    ROW_NOALG(-IKH_AUTH_ECDSA_SHA256_P256, IKH_KEY_EC, K_ECDSA_RS,
              nettle_sha256, di_sha256, 256),
    ROW_NOALG(-IKH_AUTH_ECDSA_SHA384_P384, IKH_KEY_EC, K_ECDSA_RS,
              nettle_sha384, di_sha384, 384),
    ROW_NOALG(-IKH_AUTH_ECDSA_SHA512_P521, IKH_KEY_EC, K_ECDSA_RS,
              nettle_sha512, di_sha512, 521),
    ROW(IKH_SIG_RSA_PKCS1_SHA256, IKH_KEY_RSA, K_PKCS1, nettle_sha256,
        di_sha256, alg_rsa256, 0),
    ROW(IKH_SIG_RSA_PKCS1_SHA384, IKH_KEY_RSA, K_PKCS1, nettle_sha384,
        di_sha384, alg_rsa384, 0),
    ROW(IKH_SIG_RSA_PKCS1_SHA512, IKH_KEY_RSA, K_PKCS1, nettle_sha512,
        di_sha512, alg_rsa512, 0),
    ROW(IKH_SIG_RSA_PSS_SHA256, IKH_KEY_RSA, K_PSS, nettle_sha256, di_sha256,
        alg_pss256, 0),
    ROW(IKH_SIG_ECDSA_SHA256, IKH_KEY_EC, K_ECDSA_DER, nettle_sha256, di_sha256,
        alg_ec256, 0),
    ROW(IKH_SIG_ECDSA_SHA384, IKH_KEY_EC, K_ECDSA_DER, nettle_sha384, di_sha384,
        alg_ec384, 0),
    ROW(IKH_SIG_ECDSA_SHA512, IKH_KEY_EC, K_ECDSA_DER, nettle_sha512, di_sha512,
        alg_ec512, 0),
};
#define SIG_ROWS (sizeof sig_table / sizeof sig_table[0])

static const sig_info *info_by_scheme(int scheme)
{
    for (size_t i = 0; i < SIG_ROWS; i++)
        if (sig_table[i].scheme == scheme)
            return &sig_table[i];
    return NULL;
}

static const sig_info *info_by_alg(ikh_span alg)
{
    for (size_t i = 0; i < SIG_ROWS; i++)
        if (sig_table[i].alg != NULL && sig_table[i].alg_len == alg.len &&
            memcmp(sig_table[i].alg, alg.p, alg.len) == 0)
            return &sig_table[i];
    return NULL;
}

/* The row a method (and, for 14, scheme) selects, checked against the key. */
static ikh_err info_check(const sig_info *si, const ikh_key *key)
{
    IKH_CHECK(si != NULL && key->type == si->key,
              IKH_ERR_CRYPTO_SIG_UNSUPPORTED);
    IKH_CHECK(si->curve_bits == 0 || si->curve_bits == key->bits,
              IKH_ERR_CRYPTO_SIG_UNSUPPORTED);
    return IKH_OK;
}

/* digest = H(parts...); DigestInfo prefix in front at di (di_len + size). */
static void sig_hash(const sig_info *si, const ikh_span *parts, size_t n,
                     uint8_t *di)
{
    union {
        struct sha1_ctx s1;
        struct sha256_ctx s256;
        struct sha512_ctx s512;
    } ctx;
    memcpy(di, si->dinfo, si->dinfo_len);
    si->hash->init(&ctx);
    for (size_t i = 0; i < n; i++)
        if (parts[i].len > 0)
            si->hash->update(&ctx, parts[i].len, parts[i].p);
    si->hash->digest(&ctx, si->hash->digest_size, di + si->dinfo_len);
}

static void sig_rand(void *ctx, size_t len, uint8_t *dst)
{
    const ikh_rand *r = ctx;
    r->fn(r->user, dst, len);
}

/* DER INTEGER of a positive x (X.690 §8.3). */
static void der_put_int(ikh_wr *w, const mpz_t x)
{
    uint8_t b[80];
    size_t n = nettle_mpz_sizeinbase_256_u(x);
    if (n > sizeof b) {
        ikh_wr_fail(w, IKH_ERR_CRYPTO_FAILED);
        return;
    }
    nettle_mpz_get_str_256(n, b, x);
    bool pad = (b[0] & 0x80) != 0;
    ikh_wr_u8(w, IKH_DER_INTEGER);
    ikh_wr_u8(w, (uint8_t)(n + pad));
    if (pad)
        ikh_wr_u8(w, 0);
    ikh_wr_span(w, ikh_span_of(b, n));
}

/* Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 7427 §3, RFC
 * 3279). */
static void ecdsa_put_der(ikh_wr *w, const struct dsa_signature *sig)
{
    uint8_t body[2 * 82];
    ikh_wr in = ikh_wr_init(body, sizeof body);
    der_put_int(&in, sig->r);
    der_put_int(&in, sig->s);
    if (ikh_wr_error(&in) != IKH_OK) {
        ikh_wr_fail(w, IKH_ERR_CRYPTO_FAILED);
        return;
    }
    ikh_wr_u8(w, IKH_DER_SEQUENCE);
    if (in.len >= 0x80)
        ikh_wr_u8(w, 0x81);
    ikh_wr_u8(w, (uint8_t)in.len);
    ikh_wr_span(w, ikh_wr_span_of(&in));
}

static ikh_err sign_rsa(const sig_info *si, const key_rsa *r, const uint8_t *di,
                        const ikh_rand *rnd, ikh_wr *w)
{
    mpz_t s;
    mpz_init(s);
    int ok;
    if (si->kind == K_PSS) {
        uint8_t salt[PSS_SALT_LEN];
        rnd->fn(rnd->user, salt, sizeof salt);
        ok = rsa_pss_sha256_sign_digest_tr(&r->pub, &r->priv, (void *)rnd,
                                           sig_rand, sizeof salt, salt,
                                           di + si->dinfo_len, s);
    } else {
        ok = rsa_pkcs1_sign_tr(&r->pub, &r->priv, (void *)rnd, sig_rand,
                               si->dinfo_len + si->hash->digest_size, di, s);
    }
    uint8_t buf[KEY_SIG_RSA_MAX];
    if (ok && r->pub.size <= sizeof buf) {
        nettle_mpz_get_str_256(r->pub.size, buf, s);
        ikh_wr_span(w, ikh_span_of(buf, r->pub.size));
    }
    mpz_clear(s);
    return ok && r->pub.size <= sizeof buf ? IKH_OK : IKH_ERR_CRYPTO_FAILED;
}

static ikh_err sign_ec(const sig_info *si, const ikh_key *key,
                       const uint8_t *di, const ikh_rand *rnd, ikh_wr *w)
{
    const key_ec *e = key_as_ec_c(key);
    struct dsa_signature sig;
    dsa_signature_init(&sig);
    ecdsa_sign(&e->priv, (void *)rnd, sig_rand, si->hash->digest_size,
               di + si->dinfo_len, &sig);
    if (si->kind == K_ECDSA_DER) {
        ecdsa_put_der(w, &sig);
    } else {
        /* RFC 4754 §7: r and s as fixed-length big-endian integers */
        uint8_t b[66];
        size_t n = ((size_t)key->bits + 7) / 8;
        nettle_mpz_get_str_256(n, b, sig.r);
        ikh_wr_span(w, ikh_span_of(b, n));
        nettle_mpz_get_str_256(n, b, sig.s);
        ikh_wr_span(w, ikh_span_of(b, n));
    }
    dsa_signature_clear(&sig);
    return IKH_OK;
}

ikh_err ikh_sig_sign(const ikh_key *key, uint8_t method, ikh_sig_scheme scheme,
                     const ikh_span *parts, size_t n_parts, const ikh_rand *rnd,
                     uint8_t *out, size_t out_cap, size_t *out_len)
{
    IKH_CHECK(key != NULL && rnd != NULL && rnd->fn != NULL && out != NULL &&
                  out_len != NULL && (parts != NULL || n_parts == 0),
              IKH_ERR_ARG_INVALID);
    *out_len = 0;
    const sig_info *si = info_by_scheme(
        method == IKH_AUTH_DIGITAL_SIGNATURE ? (int)scheme : -(int)method);
    IKH_TRY(info_check(si, key));
    IKH_CHECK(key->has_private, IKH_ERR_ARG_INVALID);

    ikh_wr w = ikh_wr_init(out, out_cap);
    if (si->alg != NULL) {
        /* RFC 7427 §3: ASN.1 Length (1 octet) | AlgorithmIdentifier |
         * Signature Value. */
        ikh_wr_u8(&w, (uint8_t)si->alg_len);
        ikh_wr_span(&w, ikh_span_of(si->alg, si->alg_len));
    }
    uint8_t di[19 + SHA512_DIGEST_SIZE];
    sig_hash(si, parts, n_parts, di);
    ikh_err e = si->key == IKH_KEY_RSA
                    ? sign_rsa(si, key_as_rsa_c(key), di, rnd, &w)
                    : sign_ec(si, key, di, rnd, &w);
    ikh_wipe(di, sizeof di);
    if (e == IKH_OK)
        e = ikh_wr_error(&w);
    if (e != IKH_OK) {
        ikh_wipe(out, out_cap);
        return e;
    }
    *out_len = w.len;
    return IKH_OK;
}

static ikh_err verify_rsa(const sig_info *si, const key_rsa *r,
                          const uint8_t *di, ikh_span sig)
{
    IKH_CHECK(sig.len == r->pub.size, IKH_ERR_CRYPTO_SIG_INVALID);
    mpz_t s;
    mpz_init(s);
    nettle_mpz_set_str_256_u(s, sig.len, sig.p);
    int ok = si->kind == K_PSS
                 ? rsa_pss_sha256_verify_digest(&r->pub, PSS_SALT_LEN,
                                                di + si->dinfo_len, s)
                 : rsa_pkcs1_verify(
                       &r->pub, si->dinfo_len + si->hash->digest_size, di, s);
    mpz_clear(s);
    return ok ? IKH_OK : IKH_ERR_CRYPTO_SIG_INVALID;
}

/* r and s from r|s (RFC 4754) or DER (RFC 7427); n octets per integer. */
static ikh_err ecdsa_get(const sig_info *si, ikh_span sig, size_t n,
                         ikh_span *r, ikh_span *s)
{
    if (si->kind == K_ECDSA_RS) {
        IKH_CHECK(sig.len == 2 * n, IKH_ERR_CRYPTO_SIG_INVALID);
        *r = ikh_span_of(sig.p, n);
        *s = ikh_span_of(sig.p + n, n);
        return IKH_OK;
    }
    ikh_rd rd = ikh_rd_init(sig.p, sig.len), seq;
    IKH_CHECK(ikh_der_expect(&rd, IKH_DER_SEQUENCE, &seq) == IKH_OK &&
                  ikh_der_uint(&seq, r) == IKH_OK &&
                  ikh_der_uint(&seq, s) == IKH_OK &&
                  ikh_rd_finish(&seq, IKH_ERR_CRYPTO_SIG_INVALID) == IKH_OK &&
                  ikh_rd_finish(&rd, IKH_ERR_CRYPTO_SIG_INVALID) == IKH_OK,
              IKH_ERR_CRYPTO_SIG_INVALID);
    IKH_CHECK(r->len <= n && s->len <= n, IKH_ERR_CRYPTO_SIG_INVALID);
    return IKH_OK;
}

static ikh_err verify_ec(const sig_info *si, const ikh_key *key,
                         const uint8_t *di, ikh_span sig)
{
    ikh_span r, s;
    IKH_TRY(ecdsa_get(si, sig, ((size_t)key->bits + 7) / 8, &r, &s));
    struct dsa_signature ds;
    dsa_signature_init(&ds);
    nettle_mpz_set_str_256_u(ds.r, r.len, r.p);
    nettle_mpz_set_str_256_u(ds.s, s.len, s.p);
    int ok = ecdsa_verify(&key_as_ec_c(key)->pub, si->hash->digest_size,
                          di + si->dinfo_len, &ds);
    dsa_signature_clear(&ds);
    return ok ? IKH_OK : IKH_ERR_CRYPTO_SIG_INVALID;
}

ikh_err ikh_sig_verify(const ikh_key *key, uint8_t method,
                       const ikh_span *parts, size_t n_parts,
                       ikh_span auth_data)
{
    IKH_CHECK(key != NULL && (parts != NULL || n_parts == 0),
              IKH_ERR_ARG_INVALID);
    const sig_info *si;
    ikh_span sig = auth_data;
    if (method == IKH_AUTH_DIGITAL_SIGNATURE) {
        ikh_rd rd = ikh_rd_init(auth_data.p, auth_data.len);
        uint8_t alg_len = ikh_rd_u8(&rd);
        ikh_span alg = ikh_rd_bytes(&rd, alg_len);
        IKH_CHECK(ikh_rd_error(&rd) == IKH_OK, IKH_ERR_CRYPTO_SIG_INVALID);
        sig = ikh_rd_rest(&rd);
        si = info_by_alg(alg);
    } else {
        si = info_by_scheme(-(int)method);
        if (si != NULL && si->alg != NULL)
            si = NULL;
    }
    IKH_TRY(info_check(si, key));
    uint8_t di[19 + SHA512_DIGEST_SIZE];
    sig_hash(si, parts, n_parts, di);
    return si->key == IKH_KEY_RSA ? verify_rsa(si, key_as_rsa_c(key), di, sig)
                                  : verify_ec(si, key, di, sig);
}
