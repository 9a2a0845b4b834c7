/* SPDX-License-Identifier: MIT */
/*
 * DER reader, PEM armor and key loading (der.c, keyfile.c). The keys in
 * stack/tests/vectors/keys/ were made with OpenSSL by gen_keys.sh there
 * (test fixtures only). Malformed input must give CRYPTO_KEY_FORMAT and
 * never crash or leak: every prefix and seeded random byte flips of each
 * real key file are fed to ikh_key_load() (run under ASan+UBSan in CI).
 */
#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"

#include "crypto/key_int.h"
#include "ikh/keyfile.h"

#include <nettle/bignum.h>

#define FILE_MAX 8192

/* A file under stack/tests/vectors/keys/. */
static size_t load_file(const char *name, uint8_t *buf, size_t cap)
{
    char rel[256];
    snprintf(rel, sizeof rel, "keys/%s", name);
    return ikh_tl_load_vector(rel, buf, cap);
}

typedef struct key_case {
    const char *file;
    ikh_key_type type;
    uint16_t bits;
    bool priv;
} key_case;

static const key_case cases[] = {
    {"rsa2048.p8.pem", IKH_KEY_RSA, 2048, true},
    {"rsa2048.p1.pem", IKH_KEY_RSA, 2048, true},
    {"rsa2048.p8.der", IKH_KEY_RSA, 2048, true},
    {"rsa2048.spki.pem", IKH_KEY_RSA, 2048, false},
    {"rsa2048.p1pub.pem", IKH_KEY_RSA, 2048, false},
    {"ecp256.p8.pem", IKH_KEY_EC, 256, true},
    {"ecp256.sec1.pem", IKH_KEY_EC, 256, true},
    {"ecp256.sec1.der", IKH_KEY_EC, 256, true},
    {"ecp256.spki.pem", IKH_KEY_EC, 256, false},
    {"ecp256.spki.der", IKH_KEY_EC, 256, false},
    {"ecp384.p8.pem", IKH_KEY_EC, 384, true},
    {"ecp384.sec1.pem", IKH_KEY_EC, 384, true},
    {"ecp384.sec1.der", IKH_KEY_EC, 384, true},
    {"ecp384.spki.pem", IKH_KEY_EC, 384, false},
    {"ecp384.spki.der", IKH_KEY_EC, 384, false},
    {"ecp521.p8.pem", IKH_KEY_EC, 521, true},
    {"ecp521.sec1.pem", IKH_KEY_EC, 521, true},
    {"ecp521.sec1.der", IKH_KEY_EC, 521, true},
    {"ecp521.spki.pem", IKH_KEY_EC, 521, false},
    {"ecp521.spki.der", IKH_KEY_EC, 521, false},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static void test_keyfile_load_all(void **state)
{
    (void)state;
    static uint8_t buf[FILE_MAX];
    for (size_t i = 0; i < N_CASES; i++) {
        size_t n = load_file(cases[i].file, buf, sizeof buf);
        ikh_key k;
        ikh_key_init(&k);
        ikh_err e = ikh_key_load(&k, ikh_span_of(buf, n));
        if (e != IKH_OK)
            fail_msg("%s: %s", cases[i].file, ikh_err_name(e));
        assert_int_equal(k.type, cases[i].type);
        assert_int_equal(k.bits, cases[i].bits);
        assert_int_equal(k.has_private, cases[i].priv);
        ikh_key_fini(&k);
        assert_int_equal(k.type, IKH_KEY_NONE);
    }
}

/* The public part loaded from a private key file equals the SPKI file's. */
static void same_public(const char *priv_file, const char *pub_file)
{
    static uint8_t buf[FILE_MAX];
    ikh_key a, b;
    ikh_key_init(&a);
    ikh_key_init(&b);
    assert_ikh_ok(ikh_key_load(
        &a, ikh_span_of(buf, load_file(priv_file, buf, sizeof buf))));
    assert_ikh_ok(ikh_key_load(
        &b, ikh_span_of(buf, load_file(pub_file, buf, sizeof buf))));
    if (a.type == IKH_KEY_RSA) {
        assert_int_equal(mpz_cmp(key_as_rsa(&a)->pub.n, key_as_rsa(&b)->pub.n),
                         0);
        assert_int_equal(mpz_cmp(key_as_rsa(&a)->pub.e, key_as_rsa(&b)->pub.e),
                         0);
    } else {
        mpz_t ax, ay, bx, by;
        mpz_init(ax);
        mpz_init(ay);
        mpz_init(bx);
        mpz_init(by);
        ecc_point_get(&key_as_ec(&a)->pub, ax, ay);
        ecc_point_get(&key_as_ec(&b)->pub, bx, by);
        assert_int_equal(mpz_cmp(ax, bx), 0);
        assert_int_equal(mpz_cmp(ay, by), 0);
        mpz_clear(ax);
        mpz_clear(ay);
        mpz_clear(bx);
        mpz_clear(by);
    }
    ikh_key_fini(&a);
    ikh_key_fini(&b);
}

static void test_keyfile_public_matches(void **state)
{
    (void)state;
    same_public("rsa2048.p1.pem", "rsa2048.spki.pem");
    same_public("rsa2048.p8.der", "rsa2048.p1pub.pem");
    same_public("ecp256.sec1.pem", "ecp256.spki.der");
    same_public("ecp384.p8.pem", "ecp384.spki.pem");
    same_public("ecp521.sec1.der", "ecp521.spki.pem");
}

/* Every proper prefix fails cleanly (PEM: the armor is cut). */
static void test_keyfile_prefixes(void **state)
{
    (void)state;
    static uint8_t buf[FILE_MAX];
    for (size_t i = 0; i < N_CASES; i++) {
        size_t n = load_file(cases[i].file, buf, sizeof buf);
        /* trailing newline(s) of a PEM file are whitespace: skip those */
        size_t full = n;
        while (full > 0 && (buf[full - 1] == '\n' || buf[full - 1] == '\r'))
            full--;
        for (size_t len = 0; len < full; len++) {
            ikh_key k;
            ikh_key_init(&k);
            ikh_err e = ikh_key_load(&k, ikh_span_of(buf, len));
            if (e != IKH_ERR_CRYPTO_KEY_FORMAT)
                fail_msg("%s prefix %zu: %s", cases[i].file, len,
                         ikh_err_name(e));
            assert_int_equal(k.type, IKH_KEY_NONE);
            ikh_key_fini(&k);
        }
    }
}

/* Seeded random byte flips: OK or CRYPTO_KEY_FORMAT, never anything else. */
static void test_keyfile_flips(void **state)
{
    (void)state;
    static uint8_t orig[FILE_MAX], buf[FILE_MAX];
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < N_CASES; i++) {
        size_t n = load_file(cases[i].file, orig, sizeof orig);
        for (int round = 0; round < 300; round++) {
            memcpy(buf, orig, n);
            int flips = 1 + round % 3;
            for (int f = 0; f < flips; f++) {
                x = x * 1664525u + 1013904223u;
                size_t pos = (x >> 8) % n;
                x = x * 1664525u + 1013904223u;
                buf[pos] ^= (uint8_t)(1u + (x >> 24) % 255u);
            }
            ikh_key k;
            ikh_key_init(&k);
            ikh_err e = ikh_key_load(&k, ikh_span_of(buf, n));
            if (e != IKH_OK && e != IKH_ERR_CRYPTO_KEY_FORMAT)
                fail_msg("%s round %d: %s", cases[i].file, round,
                         ikh_err_name(e));
            ikh_key_fini(&k);
        }
    }
}

/* An ECPrivateKey whose publicKey is a valid point (the P-256 base point G)
 * that is not its private key's public key is refused. */
static void test_keyfile_ec_pub_mismatch(void **state)
{
    (void)state;
    static uint8_t buf[FILE_MAX];
    size_t n = load_file("ecp256.sec1.der", buf, sizeof buf);
    assert_int_equal(n, 121);
    assert_int_equal(buf[n - 65], 0x04);
    ikh_key k;
    ikh_key_init(&k);
    assert_ikh_ok(ikh_key_load(&k, ikh_span_of(buf, n)));
    ikh_key_fini(&k);
    assert_int_equal(
        ikh_tl_unhex(
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            buf + n - 64, 64),
        64);
    assert_ikh_err(ikh_key_load(&k, ikh_span_of(buf, n)),
                   IKH_ERR_CRYPTO_KEY_FORMAT);
    assert_int_equal(k.type, IKH_KEY_NONE);
    ikh_key_fini(&k);
}

/* gen_bad_rsa.py: n = 5 * q made Nettle's CRT write out of bounds when
 * signing; the loader refuses unbalanced factors. */
static void test_keyfile_rsa_unbalanced(void **state)
{
    (void)state;
    static uint8_t buf[FILE_MAX];
    size_t n = load_file("bad_rsa_unbalanced.pem", buf, sizeof buf);
    ikh_key k;
    ikh_key_init(&k);
    assert_ikh_err(ikh_key_load(&k, ikh_span_of(buf, n)),
                   IKH_ERR_CRYPTO_KEY_FORMAT);
    ikh_key_fini(&k);
}

static void test_der_reader(void **state)
{
    (void)state;
    uint8_t tag;
    ikh_rd body;
    static const struct {
        const char *hex;
        ikh_err want;
    } v[] = {
        {"0400", IKH_OK},
        {"04817f" /* non-minimal long form */, IKH_ERR_CRYPTO_KEY_FORMAT},
        {"3080" /* indefinite */, IKH_ERR_CRYPTO_KEY_FORMAT},
        {"04ff", IKH_ERR_CRYPTO_KEY_FORMAT},
        {"04850100000000", IKH_ERR_CRYPTO_KEY_FORMAT},
        {"0482008000", IKH_ERR_CRYPTO_KEY_FORMAT}, /* leading zero */
        {"1f0100", IKH_ERR_CRYPTO_KEY_FORMAT},     /* high tag number */
        {"0403aabb", IKH_ERR_CRYPTO_KEY_FORMAT},   /* runs past the end */
        {"04", IKH_ERR_CRYPTO_KEY_FORMAT},
        {"", IKH_ERR_CRYPTO_KEY_FORMAT},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t b[16];
        size_t n = ikh_tl_unhex(v[i].hex, b, sizeof b);
        ikh_rd rd = ikh_rd_init(b, n);
        assert_ikh_err(ikh_der_next(&rd, &tag, &body), v[i].want);
    }
    /* a 128-octet body needs the 0x81 form */
    uint8_t big[131] = {0x04, 0x81, 0x80};
    ikh_rd rd = ikh_rd_init(big, sizeof big);
    assert_ikh_ok(ikh_der_next(&rd, &tag, &body));
    assert_int_equal(ikh_rd_left(&body), 128);

    static const struct {
        const char *hex;
        ikh_err want;
        size_t mag_len;
    } ints[] = {
        {"020100", IKH_OK, 0},
        {"02017f", IKH_OK, 1},
        {"02020080", IKH_OK, 1},
        {"0202007f", IKH_ERR_CRYPTO_KEY_FORMAT, 0}, /* non-minimal */
        {"020180", IKH_ERR_CRYPTO_KEY_FORMAT, 0},   /* negative */
        {"0200", IKH_ERR_CRYPTO_KEY_FORMAT, 0},     /* empty */
        {"0401aa", IKH_ERR_CRYPTO_KEY_FORMAT, 0},   /* not INTEGER */
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        uint8_t b[16];
        size_t n = ikh_tl_unhex(ints[i].hex, b, sizeof b);
        ikh_rd r = ikh_rd_init(b, n);
        ikh_span mag;
        assert_ikh_err(ikh_der_uint(&r, &mag), ints[i].want);
        if (ints[i].want == IKH_OK)
            assert_int_equal(mag.len, ints[i].mag_len);
    }
}

static ikh_err pem_of(const char *text)
{
    uint8_t der[64];
    size_t len;
    ikh_span label;
    return ikh_pem_decode(ikh_span_of((const uint8_t *)text, strlen(text)),
                          &label, der, sizeof der, &len);
}

static void test_pem_armor(void **state)
{
    (void)state;
    const ikh_err KF = IKH_ERR_CRYPTO_KEY_FORMAT;
    assert_ikh_ok(pem_of("-----BEGIN X-----\nAAEC\n-----END X-----\n"));
    assert_ikh_ok(
        pem_of("\r\n-----BEGIN X-----\r\nAAE=\r\n-----END X-----\r\n"));
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAEC\n-----END Y-----\n"), KF);
    assert_ikh_err(pem_of("junk-----BEGIN X-----\nAAEC\n-----END X-----\n"),
                   KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAEC\n-----END X-----\njunk"),
                   KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAA*C\n-----END X-----\n"), KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAE\n-----END X-----\n"), KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAA=C\n-----END X-----\n"), KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAF=\n-----END X-----\n"), KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAE=AAEC\n-----END X-----\n"),
                   KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\n\n-----END X-----\n"), KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\nAAEC\n"
                          "-----END X-----\n"),
                   KF);
    assert_ikh_err(pem_of("-----BEGIN X-----\nAAEC\n-----END X---"), KF);
    /* body larger than the output buffer */
    char big[200] = "-----BEGIN X-----\n";
    for (size_t i = strlen(big); i < 18 + 120; i++)
        big[i] = 'A';
    strcat(big, "\n-----END X-----\n");
    assert_ikh_err(pem_of(big), KF);

    /* an unknown label is not a key */
    ikh_key k;
    ikh_key_init(&k);
    const char *t =
        "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    assert_ikh_err(ikh_key_load(&k, ikh_span_of((const uint8_t *)t, strlen(t))),
                   KF);
    ikh_key_fini(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfile_load_all),
        cmocka_unit_test(test_keyfile_public_matches),
        cmocka_unit_test(test_keyfile_prefixes),
        cmocka_unit_test(test_keyfile_flips),
        cmocka_unit_test(test_keyfile_ec_pub_mismatch),
        cmocka_unit_test(test_keyfile_rsa_unbalanced),
        cmocka_unit_test(test_der_reader),
        cmocka_unit_test(test_pem_armor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
