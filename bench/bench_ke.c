/* SPDX-License-Identifier: MIT */
/*
 * Key exchange cost: keygen and derive per second for every KE group
 * (ke_modp.c, nettle_ecc.c, nettle_curve.c), each next to the raw GMP or
 * Nettle call that does the same arithmetic, measured in the same run, and
 * the ratio (ours / raw time: the cost of encoding, validation, wiping and
 * the fixed-buffer design). Prints figures; never fails on a time.
 *   bench_ke [SECONDS_PER_CASE]   (default 0.25)
 * Raw references: MODP mpz_powm_sec() (keygen: 2^x, derive: y^x, same
 * exponent length), ECP ecc_point_mul_g() / ecc_point_mul(), X25519/X448
 * curve*_mul_g() / curve*_mul().
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/curve25519.h>
#include <nettle/curve448.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include "../stack/src/crypto/crypto_int.h"

/* The MODP primes and exponents, taken from the test vectors. */
#include "../stack/tests/vectors/modp_kat.h"

static double budget = 0.25;
static volatile unsigned sink;

/** Monotonic seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/** Counter-based rand hook (deterministic, cheap). */
static void bench_rand(void *user, uint8_t *out, size_t len)
{
    uint64_t *s = user;
    for (size_t i = 0; i < len; i++) {
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = (uint8_t)(*s >> 56);
    }
}

/** Operations per second of fn(arg), run for about `budget` seconds. */
static double rate(void (*fn)(void *), void *arg)
{
    double t0 = now(), t;
    unsigned long n = 0;
    do {
        for (int k = 0; k < 4; k++)
            fn(arg);
        n += 4;
        t = now();
    } while (t - t0 < budget);
    return (double)n / (t - t0);
}

/** State of one group's benchmark. */
typedef struct kb {
    const ikh_ke_ops *ops;
    ikh_crypto_ctx ctx;
    ikh_rand rnd;
    uint64_t seed;
    uint8_t pub[IKH_KE_PUB_MAX], peer[IKH_KE_PUB_MAX];
    ikh_secret z;
    /* raw references */
    mpz_t p, x, y, r;            /* MODP */
    const struct ecc_curve *ecc; /* ECP */
    struct ecc_scalar s;
    struct ecc_point g_r, q;
    void (*mul_g)(uint8_t *, const uint8_t *); /* curves */
    void (*mul)(uint8_t *, const uint8_t *, const uint8_t *);
    uint8_t k[56], u[56], o[56];
} kb;

static void op_keygen(void *a)
{
    kb *b = a;
    if (b->ops->keygen(&b->ctx, &b->rnd, b->pub) != IKH_OK)
        abort();
    sink += b->pub[0];
}

static void op_derive(void *a)
{
    kb *b = a;
    if (b->ops->derive(&b->ctx, ikh_span_of(b->peer, b->ops->pub_len), &b->z) !=
        IKH_OK)
        abort();
    sink += b->z.b[0];
}

static void raw_modp_keygen(void *a)
{
    kb *b = a;
    mpz_set_ui(b->y, 2);
    mpz_powm_sec(b->r, b->y, b->x, b->p);
    sink += (unsigned)mpz_getlimbn(b->r, 0);
}

static void raw_modp_derive(void *a)
{
    kb *b = a;
    mpz_powm_sec(b->r, b->y, b->x, b->p);
    sink += (unsigned)mpz_getlimbn(b->r, 0);
}

static void raw_ecc_keygen(void *a)
{
    kb *b = a;
    ecc_point_mul_g(&b->g_r, &b->s);
    sink += (unsigned)b->g_r.p[0];
}

static void raw_ecc_derive(void *a)
{
    kb *b = a;
    ecc_point_mul(&b->g_r, &b->s, &b->q);
    sink += (unsigned)b->g_r.p[0];
}

static void raw_curve_keygen(void *a)
{
    kb *b = a;
    b->mul_g(b->o, b->k);
    sink += b->o[0];
}

static void raw_curve_derive(void *a)
{
    kb *b = a;
    b->mul(b->o, b->k, b->u);
    sink += b->o[0];
}

/** Run and print one group. */
static void run(const char *name, kb *b, void (*rk)(void *), void (*rd)(void *))
{
    b->rnd.fn = bench_rand;
    b->rnd.user = &b->seed;
    b->seed = 1;
    /* a valid peer value: another keygen */
    ikh_crypto_ctx other;
    if (b->ops->keygen(&other, &b->rnd, b->peer) != IKH_OK)
        abort();
    b->ops->fini(&other);
    if (b->ops->keygen(&b->ctx, &b->rnd, b->pub) != IKH_OK)
        abort();
    double kg = rate(op_keygen, b), rkg = rate(rk, b);
    if (b->ops->keygen(&b->ctx, &b->rnd, b->pub) != IKH_OK)
        abort();
    double dv = rate(op_derive, b), rdv = rate(rd, b);
    printf("%-10s keygen %9.1f/s (raw %9.1f/s, x%.2f)  derive %9.1f/s (raw "
           "%9.1f/s, x%.2f)\n",
           name, kg, rkg, rkg / kg, dv, rdv, rdv / dv);
    b->ops->fini(&b->ctx);
}

static kb bench_state;

int main(int argc, char **argv)
{
    if (argc > 1)
        budget = atof(argv[1]);
    if (budget <= 0)
        budget = 0.25;
    printf("bench_ke: %.2f s per case; ratio = ours / raw time\n", budget);

    static const struct {
        const char *name;
        const ikh_ke_ops *ops;
        size_t exp_len;
    } modp[] = {
        {"modp2048", &ikh_ke_ops_modp2048, 40},
        {"modp3072", &ikh_ke_ops_modp3072, 53},
        {"modp4096", &ikh_ke_ops_modp4096, 60},
        {"modp6144", &ikh_ke_ops_modp6144, 68},
        {"modp8192", &ikh_ke_ops_modp8192, 78},
    };
    kb *b = &bench_state;
    for (size_t i = 0; i < 5; i++) {
        memset(b, 0, sizeof *b);
        b->ops = modp[i].ops;
        mpz_inits(b->p, b->x, b->y, b->r, NULL);
        mpz_set_str(b->p, modp_kat[i].p, 16);
        mpz_set_str(b->x, modp_kat[i].xa, 16); /* exp_len octets, as ours */
        mpz_set_str(b->y, modp_kat[i].gb, 16);
        run(modp[i].name, b, raw_modp_keygen, raw_modp_derive);
        mpz_clears(b->p, b->x, b->y, b->r, NULL);
    }

    static const struct {
        const char *name;
        const ikh_ke_ops *ops;
        const struct ecc_curve *(*curve)(void);
    } ecp[] = {
        {"ecp256", &ikh_ke_ops_ecp256, nettle_get_secp_256r1},
        {"ecp384", &ikh_ke_ops_ecp384, nettle_get_secp_384r1},
        {"ecp521", &ikh_ke_ops_ecp521, nettle_get_secp_521r1},
    };
    for (size_t i = 0; i < 3; i++) {
        memset(b, 0, sizeof *b);
        b->ops = ecp[i].ops;
        b->ecc = ecp[i].curve();
        mpz_t z;
        mpz_init_set_ui(z, 0x1234567);
        mpz_mul_2exp(z, z, 200);
        mpz_add_ui(z, z, 0xabcdef);
        ecc_scalar_init(&b->s, b->ecc);
        ecc_scalar_set(&b->s, z);
        ecc_point_init(&b->g_r, b->ecc);
        ecc_point_init(&b->q, b->ecc);
        ecc_point_mul_g(&b->q, &b->s);
        run(ecp[i].name, b, raw_ecc_keygen, raw_ecc_derive);
        ecc_point_clear(&b->q);
        ecc_point_clear(&b->g_r);
        ecc_scalar_clear(&b->s);
        mpz_clear(z);
    }

    memset(b, 0, sizeof *b);
    b->ops = &ikh_ke_ops_x25519;
    b->mul_g = curve25519_mul_g;
    b->mul = curve25519_mul;
    memset(b->k, 0x5a, sizeof b->k);
    curve25519_mul_g(b->u, b->k);
    run("x25519", b, raw_curve_keygen, raw_curve_derive);

    memset(b, 0, sizeof *b);
    b->ops = &ikh_ke_ops_x448;
    b->mul_g = curve448_mul_g;
    b->mul = curve448_mul;
    memset(b->k, 0x5a, sizeof b->k);
    curve448_mul_g(b->u, b->k);
    run("x448", b, raw_curve_keygen, raw_curve_derive);
    return sink == 0xdeadbeef;
}
