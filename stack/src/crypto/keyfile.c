/* SPDX-License-Identifier: MIT */
/*
 * Key loading: PKCS#1 (RFC 8017 App. A.1), PKCS#8 (RFC 5208), SEC1
 * ECPrivateKey (RFC 5915) and SubjectPublicKeyInfo (RFC 5280, RFC 5480),
 * DER or PEM, into Nettle's RSA and ECC structures. Structure-driven over
 * the DER reader (der.c): fixed nesting, no recursion on input. Numbers are
 * GMP integers (Nettle's rsa/ecc API); ikh_key_fini() wipes and frees them.
 */
#include <string.h>

#include <nettle/bignum.h>

#include "crypto/key_int.h"

#define KF IKH_ERR_CRYPTO_KEY_FORMAT

/* Largest RSA modulus accepted: 8192 bits. */
#define KEY_RSA_MAX_OCTETS 1024u

static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                  0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_ec_pub[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce,
                                   0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};

static bool span_is(ikh_span s, const uint8_t *v, size_t n)
{
    return s.len == n && memcmp(s.p, v, n) == 0;
}

/* The curve named by an OID, or NULL. */
static const struct ecc_curve *curve_of(ikh_span oid, uint16_t *bits)
{
    if (span_is(oid, oid_p256, sizeof oid_p256)) {
        *bits = 256;
        return nettle_get_secp_256r1();
    }
    if (span_is(oid, oid_p384, sizeof oid_p384)) {
        *bits = 384;
        return nettle_get_secp_384r1();
    }
    if (span_is(oid, oid_p521, sizeof oid_p521)) {
        *bits = 521;
        return nettle_get_secp_521r1();
    }
    return NULL;
}

/* Overwrite an integer's limbs, then free it. */
static void mpz_wipe_clear(mpz_t x)
{
    size_t n = mpz_size(x);
    if (n > 0)
        ikh_wipe(mpz_limbs_modify(x, (mp_size_t)n), n * sizeof(mp_limb_t));
    mpz_clear(x);
}

void ikh_key_init(ikh_key *k)
{
    memset(k, 0, sizeof *k);
}

void ikh_key_fini(ikh_key *k)
{
    if (k == NULL)
        return;
    if (k->type == IKH_KEY_RSA) {
        key_rsa *r = key_as_rsa(k);
        rsa_public_key_clear(&r->pub);
        mpz_wipe_clear(r->priv.d);
        mpz_wipe_clear(r->priv.p);
        mpz_wipe_clear(r->priv.q);
        mpz_wipe_clear(r->priv.a);
        mpz_wipe_clear(r->priv.b);
        mpz_wipe_clear(r->priv.c);
    } else if (k->type == IKH_KEY_EC) {
        key_ec *e = key_as_ec(k);
        ecc_point_clear(&e->pub);
        ikh_wipe(e->priv.p, (size_t)ecc_size(e->curve) * sizeof(mp_limb_t));
        ecc_scalar_clear(&e->priv);
    }
    ikh_wipe(k, sizeof *k);
}

/* Set up an RSA key's (empty) numbers. */
static key_rsa *key_start_rsa(ikh_key *k)
{
    key_rsa *r = key_as_rsa(k);
    rsa_public_key_init(&r->pub);
    rsa_private_key_init(&r->priv);
    k->type = IKH_KEY_RSA;
    return r;
}

/* Set up an EC key on curve. */
static key_ec *key_start_ec(ikh_key *k, const struct ecc_curve *curve,
                            uint16_t bits)
{
    key_ec *e = key_as_ec(k);
    e->curve = curve;
    ecc_point_init(&e->pub, curve);
    ecc_scalar_init(&e->priv, curve);
    k->type = IKH_KEY_EC;
    k->bits = bits;
    return e;
}

/* Read a non-negative INTEGER of at most max octets into x. */
static ikh_err der_mpz(ikh_rd *rd, mpz_t x, size_t max)
{
    ikh_span m;
    IKH_TRY(ikh_der_uint(rd, &m));
    IKH_CHECK(m.len <= max, KF);
    nettle_mpz_set_str_256_u(x, m.len, m.p);
    return IKH_OK;
}

/* Read an INTEGER that must equal v (a version field). */
static ikh_err der_small(ikh_rd *rd, uint8_t v)
{
    ikh_span m;
    IKH_TRY(ikh_der_uint(rd, &m));
    IKH_CHECK(v == 0 ? m.len == 0 : (m.len == 1 && m.p[0] == v), KF);
    return IKH_OK;
}

/* RSAPublicKey ::= SEQUENCE { modulus, publicExponent } */
static ikh_err rsa_pub_parse(ikh_rd *rd, ikh_key *k)
{
    ikh_rd seq;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    key_rsa *r = key_start_rsa(k);
    IKH_TRY(der_mpz(&seq, r->pub.n, KEY_RSA_MAX_OCTETS));
    IKH_TRY(der_mpz(&seq, r->pub.e, KEY_RSA_MAX_OCTETS));
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF);
    IKH_CHECK(mpz_odd_p(r->pub.e) && mpz_cmp_ui(r->pub.e, 3) >= 0 &&
                  mpz_cmp(r->pub.e, r->pub.n) < 0,
              KF);
    IKH_CHECK(rsa_public_key_prepare(&r->pub) != 0, KF);
    k->bits = (uint16_t)mpz_sizeinbase(r->pub.n, 2);
    return IKH_OK;
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv } */
static ikh_err rsa_priv_parse(ikh_rd *rd, ikh_key *k)
{
    ikh_rd seq;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    IKH_TRY(der_small(&seq, 0)); /* two-prime only */
    key_rsa *r = key_start_rsa(k);
    const size_t m = KEY_RSA_MAX_OCTETS;
    IKH_TRY(der_mpz(&seq, r->pub.n, m));
    IKH_TRY(der_mpz(&seq, r->pub.e, m));
    IKH_TRY(der_mpz(&seq, r->priv.d, m));
    IKH_TRY(der_mpz(&seq, r->priv.p, m));
    IKH_TRY(der_mpz(&seq, r->priv.q, m));
    IKH_TRY(der_mpz(&seq, r->priv.a, m));
    IKH_TRY(der_mpz(&seq, r->priv.b, m));
    IKH_TRY(der_mpz(&seq, r->priv.c, m));
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF);
    IKH_CHECK(mpz_odd_p(r->pub.e) && mpz_cmp_ui(r->pub.e, 3) >= 0 &&
                  mpz_cmp(r->pub.e, r->pub.n) < 0,
              KF);
    /* p and q odd primes (>= 3) whose product is n: keeps Nettle's CRT
     * arithmetic away from zero divisors on hostile files. */
    IKH_CHECK(mpz_cmp_ui(r->priv.p, 3) >= 0 && mpz_cmp_ui(r->priv.q, 3) >= 0 &&
                  mpz_odd_p(r->priv.p) && mpz_odd_p(r->priv.q),
              KF);
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, r->priv.p, r->priv.q);
    int same = mpz_cmp(t, r->pub.n) == 0;
    mpz_clear(t);
    IKH_CHECK(same, KF);
    /* Balanced factors: Nettle's side-channel-silent CRT (3.8,
     * _rsa_sec_compute_root) sizes its buffers from the limb counts of p, q
     * and n, and writes out of bounds for a hostile file with, e.g., p = 5
     * and q = n / 5 (found with ASan). Generated keys always have p and q of
     * |n|/2 bits. */
    IKH_CHECK(mpz_size(r->priv.p) == mpz_size(r->priv.q) &&
                  2 * mpz_size(r->priv.p) == mpz_size(r->pub.n),
              KF);
    IKH_CHECK(mpz_cmp(r->priv.a, r->priv.p) < 0 &&
                  mpz_cmp(r->priv.b, r->priv.q) < 0 &&
                  mpz_cmp(r->priv.c, r->priv.p) < 0,
              KF);
    IKH_CHECK(rsa_public_key_prepare(&r->pub) != 0, KF);
    IKH_CHECK(rsa_private_key_prepare(&r->priv) != 0, KF);
    IKH_CHECK(r->priv.size == r->pub.size, KF);
    k->bits = (uint16_t)mpz_sizeinbase(r->pub.n, 2);
    k->has_private = true;
    return IKH_OK;
}

/* Uncompressed point 0x04 | X | Y (SEC1 §2.3.3) on the key's curve. */
static ikh_err ec_point_parse(ikh_span pt, key_ec *e, uint16_t bits)
{
    size_t n = ((size_t)bits + 7) / 8;
    IKH_CHECK(pt.len == 1 + 2 * n && pt.p[0] == 0x04, KF);
    mpz_t x, y;
    mpz_init(x);
    mpz_init(y);
    nettle_mpz_set_str_256_u(x, n, pt.p + 1);
    nettle_mpz_set_str_256_u(y, n, pt.p + 1 + n);
    int ok = ecc_point_set(&e->pub, x, y); /* range and on-curve check */
    mpz_clear(x);
    mpz_clear(y);
    return ok ? IKH_OK : KF;
}

/* A file's publicKey must be the one its private key gives (RFC 5915 §3). */
static ikh_err ec_pub_matches(ikh_span pt, const key_ec *e, uint16_t bits)
{
    size_t n = ((size_t)bits + 7) / 8;
    IKH_CHECK(pt.len == 1 + 2 * n && pt.p[0] == 0x04, KF);
    mpz_t x, y;
    mpz_init(x);
    mpz_init(y);
    ecc_point_get(&e->pub, x, y);
    uint8_t b[2 * 66];
    nettle_mpz_get_str_256(n, b, x);
    nettle_mpz_get_str_256(n, b + n, y);
    mpz_clear(x);
    mpz_clear(y);
    return memcmp(b, pt.p + 1, 2 * n) == 0 ? IKH_OK : KF;
}

/* BIT STRING with no unused bits: its octets. */
static ikh_err der_bits(ikh_rd *rd, ikh_span *out)
{
    ikh_rd b;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_BIT_STRING, &b));
    IKH_CHECK(ikh_rd_u8(&b) == 0 && ikh_rd_error(&b) == IKH_OK, KF);
    *out = ikh_rd_rest(&b);
    return IKH_OK;
}

/* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
 *   [0] ECParameters OPTIONAL, [1] publicKey BIT STRING OPTIONAL }
 * curve_oid: the PKCS#8 AlgorithmIdentifier's curve, or empty. */
static ikh_err ec_priv_parse(ikh_rd *rd, ikh_key *k, ikh_span curve_oid)
{
    ikh_rd seq, priv, tagged, in;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    IKH_TRY(der_small(&seq, 1));
    IKH_TRY(ikh_der_expect(&seq, IKH_DER_OCTET_STRING, &priv));
    ikh_span d = ikh_rd_rest(&priv);
    ikh_span pub = ikh_span_of(NULL, 0);
    uint8_t tag = 0;
    bool have_tag = ikh_rd_left(&seq) > 0;
    if (have_tag)
        IKH_TRY(ikh_der_next(&seq, &tag, &tagged));
    if (have_tag && tag == IKH_DER_CTX0) {
        ikh_span oid;
        IKH_TRY(ikh_der_expect(&tagged, IKH_DER_OID, &in));
        oid = ikh_rd_rest(&in);
        IKH_CHECK(ikh_rd_finish(&tagged, KF) == IKH_OK, KF);
        IKH_CHECK(
            curve_oid.len == 0 || span_is(oid, curve_oid.p, curve_oid.len), KF);
        curve_oid = oid;
        have_tag = ikh_rd_left(&seq) > 0;
        if (have_tag)
            IKH_TRY(ikh_der_next(&seq, &tag, &tagged));
    }
    if (have_tag) {
        IKH_CHECK(tag == IKH_DER_CTX1, KF);
        IKH_TRY(der_bits(&tagged, &pub));
        IKH_CHECK(ikh_rd_finish(&tagged, KF) == IKH_OK, KF);
    }
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF);

    uint16_t bits = 0;
    const struct ecc_curve *curve = curve_of(curve_oid, &bits);
    IKH_CHECK(curve != NULL, KF);
    IKH_CHECK(d.len >= 1 && d.len <= ((size_t)bits + 7) / 8, KF);
    key_ec *e = key_start_ec(k, curve, bits);
    mpz_t z;
    mpz_init(z);
    nettle_mpz_set_str_256_u(z, d.len, d.p);
    int ok = ecc_scalar_set(&e->priv, z); /* 0 < z < q */
    mpz_wipe_clear(z);
    IKH_CHECK(ok, KF);
    k->has_private = true;
    ecc_point_mul_g(&e->pub, &e->priv);
    if (pub.len > 0)
        return ec_pub_matches(pub, e, bits);
    return IKH_OK;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY }:
 * rsaEncryption with NULL (or absent) parameters, or id-ecPublicKey with a
 * named curve (curve_oid receives it). */
static ikh_err alg_parse(ikh_rd *rd, ikh_key_type *type, ikh_span *curve_oid)
{
    ikh_rd seq, o, p;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    IKH_TRY(ikh_der_expect(&seq, IKH_DER_OID, &o));
    ikh_span oid = ikh_rd_rest(&o);
    *curve_oid = ikh_span_of(NULL, 0);
    if (span_is(oid, oid_rsa, sizeof oid_rsa)) {
        *type = IKH_KEY_RSA;
        if (ikh_rd_left(&seq) > 0) {
            IKH_TRY(ikh_der_expect(&seq, IKH_DER_NULL, &p));
            IKH_CHECK(ikh_rd_left(&p) == 0, KF);
        }
    } else if (span_is(oid, oid_ec_pub, sizeof oid_ec_pub)) {
        *type = IKH_KEY_EC;
        IKH_TRY(ikh_der_expect(&seq, IKH_DER_OID, &p));
        *curve_oid = ikh_rd_rest(&p);
        uint16_t bits;
        IKH_CHECK(curve_of(*curve_oid, &bits) != NULL, KF);
    } else {
        return KF;
    }
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF);
    return IKH_OK;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
 */
static ikh_err spki_parse(ikh_rd *rd, ikh_key *k)
{
    ikh_rd seq;
    ikh_key_type type;
    ikh_span curve_oid, bits_s;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    IKH_TRY(alg_parse(&seq, &type, &curve_oid));
    IKH_TRY(der_bits(&seq, &bits_s));
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF);
    if (type == IKH_KEY_RSA) {
        ikh_rd in = ikh_rd_init(bits_s.p, bits_s.len);
        IKH_TRY(rsa_pub_parse(&in, k));
        return ikh_rd_finish(&in, KF) == IKH_OK ? IKH_OK : KF;
    }
    uint16_t bits = 0;
    const struct ecc_curve *curve = curve_of(curve_oid, &bits);
    return ec_point_parse(bits_s, key_start_ec(k, curve, bits), bits);
}

/* PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, privateKey OCTET STRING }
 */
static ikh_err pkcs8_parse(ikh_rd *rd, ikh_key *k)
{
    ikh_rd seq, os;
    ikh_key_type type;
    ikh_span curve_oid;
    IKH_TRY(ikh_der_expect(rd, IKH_DER_SEQUENCE, &seq));
    IKH_TRY(der_small(&seq, 0));
    IKH_TRY(alg_parse(&seq, &type, &curve_oid));
    IKH_TRY(ikh_der_expect(&seq, IKH_DER_OCTET_STRING, &os));
    IKH_CHECK(ikh_rd_finish(&seq, KF) == IKH_OK, KF); /* no attributes */
    if (type == IKH_KEY_RSA)
        IKH_TRY(rsa_priv_parse(&os, k));
    else
        IKH_TRY(ec_priv_parse(&os, k, curve_oid));
    return ikh_rd_finish(&os, KF) == IKH_OK ? IKH_OK : KF;
}

typedef ikh_err (*key_parser)(ikh_rd *rd, ikh_key *k);

static ikh_err ec_priv_plain(ikh_rd *rd, ikh_key *k)
{
    return ec_priv_parse(rd, k, ikh_span_of(NULL, 0));
}

/* Run one parser over the whole of der; k empty on failure. */
static ikh_err key_try(key_parser fn, ikh_span der, ikh_key *k)
{
    ikh_rd rd = ikh_rd_init(der.p, der.len);
    ikh_err e = fn(&rd, k);
    if (e == IKH_OK && ikh_rd_finish(&rd, KF) != IKH_OK)
        e = KF;
    if (e != IKH_OK) {
        ikh_key_fini(k);
        e = KF;
    }
    return e;
}

static bool label_is(ikh_span l, const char *s)
{
    return l.len == strlen(s) && memcmp(l.p, s, l.len) == 0;
}

/* The parser for a PEM label (RFC 7468 §10, §11, §13; RFC 5915 §4). */
static key_parser parser_for(ikh_span label)
{
    if (label_is(label, "PRIVATE KEY"))
        return pkcs8_parse;
    if (label_is(label, "RSA PRIVATE KEY"))
        return rsa_priv_parse;
    if (label_is(label, "EC PRIVATE KEY"))
        return ec_priv_plain;
    if (label_is(label, "PUBLIC KEY"))
        return spki_parse;
    if (label_is(label, "RSA PUBLIC KEY"))
        return rsa_pub_parse;
    return NULL;
}

ikh_err ikh_key_load(ikh_key *k, ikh_span file)
{
    IKH_CHECK(k != NULL, IKH_ERR_ARG_INVALID);
    ikh_key_fini(k);
    IKH_CHECK(file.p != NULL && file.len > 0, KF);
    size_t i = 0;
    while (i < file.len && (file.p[i] == ' ' || file.p[i] == '\t' ||
                            file.p[i] == '\r' || file.p[i] == '\n'))
        i++;
    if (file.len - i >= 5 && memcmp(file.p + i, "-----", 5) == 0) {
        uint8_t der[IKH_KEY_DER_MAX];
        size_t der_len = 0;
        ikh_span label;
        ikh_err e = ikh_pem_decode(file, &label, der, sizeof der, &der_len);
        key_parser fn = e == IKH_OK ? parser_for(label) : NULL;
        e = fn != NULL ? key_try(fn, ikh_span_of(der, der_len), k) : KF;
        ikh_wipe(der, sizeof der);
        return e;
    }
    static const key_parser order[] = {
        pkcs8_parse, rsa_priv_parse, ec_priv_plain, spki_parse, rsa_pub_parse};
    for (size_t j = 0; j < sizeof order / sizeof order[0]; j++)
        if (key_try(order[j], file, k) == IKH_OK)
            return IKH_OK;
    return KF;
}
