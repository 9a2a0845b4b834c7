/* SPDX-License-Identifier: MIT */
/* target: ikh_key_load (ikh_pem_decode, ikh_der_*), ikh_sig_verify,
 *         ikh_sig_sign */
/* input: a key file, PEM or DER (RSA/EC, PKCS#1, PKCS#8, SEC1, SPKI) */
/*
 * The oracle: ikh_key_load() returns IKH_OK or CRYPTO_KEY_FORMAT and
 * nothing else; a failed load leaves the key empty; a loaded key can run a
 * signature check (on a fixed message and the input bytes as the AUTH
 * data) that returns one of its documented codes, and a private key can
 * sign (IKH_OK, or CRYPTO_FAILED for inconsistent numbers) and then verify
 * its own signature. Deterministic (counter RNG), no state
 * between inputs, writes no files; ASan's leak check covers the GMP numbers.
 */
#include <stdlib.h>

#include "ikh/iana.h"
#include "ikh/keyfile.h"
#include "ikh/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Deterministic fill for signing: the fuzz input alone decides the run. */
static void fuzz_rand(void *user, uint8_t *out, size_t len)
{
    uint32_t *st = user;
    for (size_t i = 0; i < len; i++) {
        *st = *st * 1664525u + 1013904223u;
        out[i] = (uint8_t)(*st >> 24);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikh_key k;
    ikh_key_init(&k);
    ikh_err e = ikh_key_load(&k, ikh_span_of(data, size));
    if (e != IKH_OK) {
        if (e != IKH_ERR_CRYPTO_KEY_FORMAT || k.type != IKH_KEY_NONE)
            abort();
        ikh_key_fini(&k);
        return 0;
    }
    static const uint8_t msg[] = "fuzz signed octets";
    ikh_span d = ikh_span_of(msg, sizeof msg - 1);
    static const uint8_t methods[] = {
        IKH_AUTH_RSA_SIG, IKH_AUTH_ECDSA_SHA256_P256,
        IKH_AUTH_ECDSA_SHA384_P384, IKH_AUTH_ECDSA_SHA512_P521,
        IKH_AUTH_DIGITAL_SIGNATURE};
    for (size_t i = 0; i < sizeof methods; i++) {
        e = ikh_sig_verify(&k, methods[i], &d, 1, ikh_span_of(data, size));
        if (e != IKH_ERR_CRYPTO_SIG_INVALID &&
            e != IKH_ERR_CRYPTO_SIG_UNSUPPORTED)
            abort();
    }
    if (k.has_private) {
        uint32_t st = 1;
        ikh_rand rnd = {fuzz_rand, &st};
        ikh_sig_scheme sch = k.type == IKH_KEY_RSA ? IKH_SIG_RSA_PSS_SHA256
                                                   : IKH_SIG_ECDSA_SHA256;
        uint8_t sig[IKH_SIG_MAX];
        size_t len;
        e = ikh_sig_sign(&k, IKH_AUTH_DIGITAL_SIGNATURE, sch, &d, 1, &rnd, sig,
                         sizeof sig, &len);
        if (e == IKH_OK)
            e = ikh_sig_verify(&k, IKH_AUTH_DIGITAL_SIGNATURE, &d, 1,
                               ikh_span_of(sig, len));
        else if (e != IKH_ERR_CRYPTO_FAILED)
            abort();
        if (e != IKH_OK && e != IKH_ERR_CRYPTO_FAILED)
            abort();
    }
    ikh_key_fini(&k);
    return 0;
}
