/* SPDX-License-Identifier: MIT */
/*
 * Signature AUTH methods (sig.c): round trips for methods 1, 9, 10, 11 and
 * every method-14 scheme; tampered data or signatures give
 * CRYPTO_SIG_INVALID; mismatched key/method gives CRYPTO_SIG_UNSUPPORTED;
 * and signatures made by OpenSSL at authoring time
 * (stack/tests/vectors/keys/gen_sigs.sh) verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testlib.h"

#include "ikh/iana.h"
#include "ikh/sig.h"

#define FILE_MAX 8192

/* A file under stack/tests/vectors/keys/. */
static size_t load_file(const char *name, uint8_t *buf, size_t cap)
{
    char rel[256];
    snprintf(rel, sizeof rel, "keys/%s", name);
    return ikh_tl_load_vector(rel, buf, cap);
}

static void load_key(ikh_key *k, const char *name)
{
    static uint8_t buf[FILE_MAX];
    ikh_key_init(k);
    assert_ikh_ok(
        ikh_key_load(k, ikh_span_of(buf, load_file(name, buf, sizeof buf))));
}

/* Test-only random source: a 64-bit LCG (not for real use). */
static void test_rand(void *user, uint8_t *out, size_t len)
{
    uint64_t *st = user;
    for (size_t i = 0; i < len; i++) {
        *st = *st * 6364136223846793005u + 1442695040888963407u;
        out[i] = (uint8_t)(*st >> 56);
    }
}

static const char *const msg = "RealMessage1 | NonceRData | MACedIDForI";

typedef struct sig_case {
    const char *priv, *pub;
    uint8_t method;
    ikh_sig_scheme scheme;
    size_t len; /* expected AUTH data length, 0: variable (DER ECDSA) */
} sig_case;

static const sig_case cases[] = {
    {"rsa2048.p1.pem", "rsa2048.spki.pem", IKH_AUTH_RSA_SIG, 0, 256},
    {"ecp256.sec1.pem", "ecp256.spki.pem", IKH_AUTH_ECDSA_SHA256_P256, 0, 64},
    {"ecp384.sec1.pem", "ecp384.spki.pem", IKH_AUTH_ECDSA_SHA384_P384, 0, 96},
    {"ecp521.sec1.pem", "ecp521.spki.pem", IKH_AUTH_ECDSA_SHA512_P521, 0, 132},
    {"rsa2048.p8.pem", "rsa2048.p1pub.pem", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_RSA_PKCS1_SHA256, 1 + 15 + 256},
    {"rsa2048.p8.pem", "rsa2048.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_RSA_PKCS1_SHA384, 1 + 15 + 256},
    {"rsa2048.p8.pem", "rsa2048.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_RSA_PKCS1_SHA512, 1 + 15 + 256},
    {"rsa2048.p8.pem", "rsa2048.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_RSA_PSS_SHA256, 1 + 67 + 256},
    {"ecp256.p8.pem", "ecp256.spki.der", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_ECDSA_SHA256, 0},
    {"ecp384.p8.pem", "ecp384.spki.der", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_ECDSA_SHA384, 0},
    {"ecp521.p8.pem", "ecp521.spki.der", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_ECDSA_SHA512, 0},
    {"ecp256.p8.pem", "ecp256.spki.der", IKH_AUTH_DIGITAL_SIGNATURE,
     IKH_SIG_ECDSA_SHA512, 0}, /* any hash with any curve under method 14 */
};

static void test_sig_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 1;
    ikh_rand rnd = {test_rand, &seed};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sig_case *c = &cases[i];
        ikh_key priv, pub;
        load_key(&priv, c->priv);
        load_key(&pub, c->pub);
        uint8_t data[64];
        size_t n = strlen(msg);
        memcpy(data, msg, n);
        ikh_span parts[2] = {ikh_span_of(data, 12),
                             ikh_span_of(data + 12, n - 12)};
        uint8_t sig[IKH_SIG_MAX];
        size_t len = 0;
        assert_ikh_ok(ikh_sig_sign(&priv, c->method, c->scheme, parts, 2, &rnd,
                                   sig, sizeof sig, &len));
        if (c->len != 0)
            assert_int_equal(len, c->len);
        assert_ikh_ok(
            ikh_sig_verify(&pub, c->method, parts, 2, ikh_span_of(sig, len)));
        /* the private key verifies too; one piece or two is the same data */
        ikh_span whole = ikh_span_of(data, n);
        assert_ikh_ok(
            ikh_sig_verify(&priv, c->method, &whole, 1, ikh_span_of(sig, len)));

        /* tampered data */
        data[3] ^= 0x01;
        assert_ikh_err(
            ikh_sig_verify(&pub, c->method, parts, 2, ikh_span_of(sig, len)),
            IKH_ERR_CRYPTO_SIG_INVALID);
        data[3] ^= 0x01;
        /* tampered signature (last octet: inside the signature value) */
        sig[len - 1] ^= 0x40;
        assert_ikh_err(
            ikh_sig_verify(&pub, c->method, parts, 2, ikh_span_of(sig, len)),
            IKH_ERR_CRYPTO_SIG_INVALID);
        sig[len - 1] ^= 0x40;
        /* truncated */
        ikh_err e = ikh_sig_verify(&pub, c->method, parts, 2,
                                   ikh_span_of(sig, len - 1));
        assert_true(e == IKH_ERR_CRYPTO_SIG_INVALID);
        /* every prefix fails without crashing */
        for (size_t l = 0; l < len; l++) {
            e = ikh_sig_verify(&pub, c->method, parts, 2, ikh_span_of(sig, l));
            assert_true(e == IKH_ERR_CRYPTO_SIG_INVALID ||
                        e == IKH_ERR_CRYPTO_SIG_UNSUPPORTED);
        }
        ikh_key_fini(&priv);
        ikh_key_fini(&pub);
    }
}

static void test_sig_unsupported(void **state)
{
    (void)state;
    uint64_t seed = 2;
    ikh_rand rnd = {test_rand, &seed};
    ikh_key rsa, ec256, ec384, ec_pub;
    load_key(&rsa, "rsa2048.p1.pem");
    load_key(&ec256, "ecp256.sec1.der");
    load_key(&ec384, "ecp384.p8.pem");
    load_key(&ec_pub, "ecp256.spki.pem");
    ikh_span d = ikh_span_of((const uint8_t *)msg, strlen(msg));
    uint8_t sig[IKH_SIG_MAX];
    size_t len;
    const ikh_err U = IKH_ERR_CRYPTO_SIG_UNSUPPORTED;
    assert_ikh_err(ikh_sig_sign(&ec256, IKH_AUTH_RSA_SIG, 0, &d, 1, &rnd, sig,
                                sizeof sig, &len),
                   U);
    assert_ikh_err(ikh_sig_sign(&ec384, IKH_AUTH_ECDSA_SHA256_P256, 0, &d, 1,
                                &rnd, sig, sizeof sig, &len),
                   U);
    assert_ikh_err(ikh_sig_sign(&rsa, IKH_AUTH_DIGITAL_SIGNATURE,
                                IKH_SIG_ECDSA_SHA256, &d, 1, &rnd, sig,
                                sizeof sig, &len),
                   U);
    assert_ikh_err(ikh_sig_sign(&rsa, IKH_AUTH_SHARED_KEY_MIC, 0, &d, 1, &rnd,
                                sig, sizeof sig, &len),
                   U);
    assert_ikh_err(ikh_sig_sign(&ec_pub, IKH_AUTH_ECDSA_SHA256_P256, 0, &d, 1,
                                &rnd, sig, sizeof sig, &len),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(
        ikh_sig_sign(&rsa, IKH_AUTH_RSA_SIG, 0, &d, 1, &rnd, sig, 100, &len),
        IKH_ERR_WIRE_NOBUF);

    /* an ECDSA method-14 signature presented for an RSA key */
    assert_ikh_ok(ikh_sig_sign(&ec256, IKH_AUTH_DIGITAL_SIGNATURE,
                               IKH_SIG_ECDSA_SHA256, &d, 1, &rnd, sig,
                               sizeof sig, &len));
    assert_ikh_err(ikh_sig_verify(&rsa, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                  ikh_span_of(sig, len)),
                   U);
    /* an unknown AlgorithmIdentifier (one OID octet changed) */
    sig[10] ^= 0x7f;
    assert_ikh_err(ikh_sig_verify(&ec256, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                  ikh_span_of(sig, len)),
                   U);
    ikh_key_fini(&rsa);
    ikh_key_fini(&ec256);
    ikh_key_fini(&ec384);
    ikh_key_fini(&ec_pub);
}

/* A key with wrong CRT values (gen_bad_rsa.py) loads, but signing fails
 * cleanly: Nettle checks the CRT result. */
static void test_sig_rsa_bogus_crt(void **state)
{
    (void)state;
    uint64_t seed = 4;
    ikh_rand rnd = {test_rand, &seed};
    ikh_key k;
    load_key(&k, "bad_rsa_bogus_crt.pem");
    ikh_span d = ikh_span_of((const uint8_t *)msg, strlen(msg));
    uint8_t sig[IKH_SIG_MAX];
    size_t len = 1;
    assert_ikh_err(ikh_sig_sign(&k, IKH_AUTH_RSA_SIG, 0, &d, 1, &rnd, sig,
                                sizeof sig, &len),
                   IKH_ERR_CRYPTO_FAILED);
    assert_int_equal(len, 0);
    assert_ikh_err(ikh_sig_sign(&k, IKH_AUTH_DIGITAL_SIGNATURE,
                                IKH_SIG_RSA_PSS_SHA256, &d, 1, &rnd, sig,
                                sizeof sig, &len),
                   IKH_ERR_CRYPTO_FAILED);
    ikh_key_fini(&k);
}

/* RFC 7427 AUTH data around an OpenSSL signature file. */
static size_t wrap_7427(const uint8_t *alg, size_t alg_len,
                        const char *sig_file, uint8_t *out, size_t cap)
{
    out[0] = (uint8_t)alg_len;
    memcpy(out + 1, alg, alg_len);
    return 1 + alg_len +
           load_file(sig_file, out + 1 + alg_len, cap - 1 - alg_len);
}

static void test_sig_openssl_interop(void **state)
{
    (void)state;
    static const uint8_t rsa256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
                                     0x86, 0x48, 0x86, 0xf7, 0x0d,
                                     0x01, 0x01, 0x0b, 0x05, 0x00};
    static const uint8_t pss256[] = {
        0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
        0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
        0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a,
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30,
        0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20};
    static const uint8_t ec256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
    static const uint8_t ec384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
    static const uint8_t ec512[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
    static uint8_t m[256], a[1200];
    ikh_span d = ikh_span_of(m, load_file("msg.bin", m, sizeof m));
    ikh_key k;

    load_key(&k, "rsa2048.spki.pem");
    size_t n = load_file("rsa2048.pkcs1-sha1.sig", a, sizeof a);
    assert_ikh_ok(
        ikh_sig_verify(&k, IKH_AUTH_RSA_SIG, &d, 1, ikh_span_of(a, n)));
    n = wrap_7427(rsa256, sizeof rsa256, "rsa2048.pkcs1-sha256.sig", a,
                  sizeof a);
    assert_ikh_ok(ikh_sig_verify(&k, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                 ikh_span_of(a, n)));
    n = wrap_7427(pss256, sizeof pss256, "rsa2048.pss-sha256.sig", a, sizeof a);
    assert_ikh_ok(ikh_sig_verify(&k, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                 ikh_span_of(a, n)));
    ikh_key_fini(&k);

    static const struct {
        const char *key, *sig;
        const uint8_t *alg;
        size_t alg_len;
    } ec[] = {
        {"ecp256.spki.pem", "ecp256.ecdsa-sha256.der.sig", ec256, sizeof ec256},
        {"ecp384.spki.pem", "ecp384.ecdsa-sha384.der.sig", ec384, sizeof ec384},
        {"ecp521.spki.pem", "ecp521.ecdsa-sha512.der.sig", ec512, sizeof ec512},
    };
    for (size_t i = 0; i < 3; i++) {
        load_key(&k, ec[i].key);
        n = wrap_7427(ec[i].alg, ec[i].alg_len, ec[i].sig, a, sizeof a);
        assert_ikh_ok(ikh_sig_verify(&k, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                     ikh_span_of(a, n)));
        m[0] ^= 1;
        assert_ikh_err(ikh_sig_verify(&k, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                                      ikh_span_of(a, n)),
                       IKH_ERR_CRYPTO_SIG_INVALID);
        m[0] ^= 1;
        ikh_key_fini(&k);
    }
}

/* OpenSSL (when installed) verifies signatures we make: PKCS#1 v1.5
 * (methods 1 and 14), RSASSA-PSS and DER ECDSA (method 14). */
static void test_sig_openssl_verifies_ours(void **state)
{
    (void)state;
    char *ver[] = {(char *)"openssl", (char *)"version", NULL};
    if (ikh_tl_run(ver, "/dev/null") != 0)
        skip();
    static const struct {
        const char *priv, *pub;
        uint8_t method;
        ikh_sig_scheme scheme;
        const char *md, *opt1, *opt2, *opt3;
    } c[] = {
        {"rsa2048.p1.pem", "rsa2048.spki.pem", IKH_AUTH_RSA_SIG, 0, "-sha1",
         NULL, NULL, NULL},
        {"rsa2048.p1.pem", "rsa2048.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
         IKH_SIG_RSA_PKCS1_SHA384, "-sha384", NULL, NULL, NULL},
        {"rsa2048.p1.pem", "rsa2048.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
         IKH_SIG_RSA_PSS_SHA256, "-sha256", "rsa_padding_mode:pss",
         "rsa_pss_saltlen:32", "rsa_mgf1_md:sha256"},
        {"ecp256.sec1.pem", "ecp256.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
         IKH_SIG_ECDSA_SHA256, "-sha256", NULL, NULL, NULL},
        {"ecp521.sec1.pem", "ecp521.spki.pem", IKH_AUTH_DIGITAL_SIGNATURE,
         IKH_SIG_ECDSA_SHA512, "-sha512", NULL, NULL, NULL},
    };
    uint64_t seed = 3;
    ikh_rand rnd = {test_rand, &seed};
    const char *src = getenv("IKH_SOURCE_DIR");
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        ikh_key k;
        load_key(&k, c[i].priv);
        ikh_span d = ikh_span_of((const uint8_t *)msg, strlen(msg));
        uint8_t sig[IKH_SIG_MAX];
        size_t len;
        assert_ikh_ok(ikh_sig_sign(&k, c[i].method, c[i].scheme, &d, 1, &rnd,
                                   sig, sizeof sig, &len));
        ikh_key_fini(&k);
        size_t off =
            c[i].method == IKH_AUTH_DIGITAL_SIGNATURE ? 1u + sig[0] : 0;
        char sig_path[256], msg_path[256], pub_path[1024];
        ikh_tl_tmp_write(sig_path, sizeof sig_path, (const char *)sig + off,
                         len - off);
        ikh_tl_tmp_write(msg_path, sizeof msg_path, msg, strlen(msg));
        snprintf(pub_path, sizeof pub_path, "%s/stack/tests/vectors/keys/%s",
                 src != NULL ? src : ".", c[i].pub);
        char *argv[16];
        size_t a = 0;
        argv[a++] = (char *)"openssl";
        argv[a++] = (char *)"dgst";
        argv[a++] = (char *)c[i].md;
        argv[a++] = (char *)"-verify";
        argv[a++] = pub_path;
        argv[a++] = (char *)"-signature";
        argv[a++] = sig_path;
        const char *opts[3] = {c[i].opt1, c[i].opt2, c[i].opt3};
        for (size_t j = 0; j < 3; j++)
            if (opts[j] != NULL) {
                argv[a++] = (char *)"-sigopt";
                argv[a++] = (char *)opts[j];
            }
        argv[a++] = msg_path;
        argv[a] = NULL;
        int rc = ikh_tl_run(argv, NULL);
        unlink(sig_path);
        unlink(msg_path);
        if (rc != 0)
            fail_msg("openssl rejected case %zu (%s)", i, c[i].priv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sig_round_trip),
        cmocka_unit_test(test_sig_unsupported),
        cmocka_unit_test(test_sig_rsa_bogus_crt),
        cmocka_unit_test(test_sig_openssl_interop),
        cmocka_unit_test(test_sig_openssl_verifies_ours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
