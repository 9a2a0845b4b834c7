/* SPDX-License-Identifier: MIT */
/**
 * @file drbg.h
 * @brief The deterministic random bit generator behind the default rand
 *        hook: NIST SP 800-90A Rev. 1 HMAC_DRBG with SHA-256 (§10.1.2),
 *        seeded with a 64-bit seed.
 *
 * ikh_drbg_init() instantiates with entropy input = the seed as 8 octets
 * big-endian, an empty nonce and the personalization string
 * "ikeharness drbg v1" (IKH_DRBG_PERSONALIZATION). The same seed gives the
 * same bytes on every machine and compiler: the generator is pure
 * HMAC-SHA-256 on octet strings. It is for replayable test runs, not for
 * keys that must stay secret (a 64-bit seed can be searched).
 *
 * A request longer than IKH_DRBG_MAX_REQUEST octets is served as several
 * SP 800-90A Generate calls of at most that size, so the output for a
 * given sequence of request lengths is fixed. There is no reseeding: the
 * reseed counter cannot reach the SP 800-90A limit (2^48) in a test run;
 * past it the generator keeps going deterministically.
 */
#ifndef IKH_DRBG_H
#define IKH_DRBG_H

#include "ikh/common.h"

/** The personalization string of ikh_drbg_init(). */
#define IKH_DRBG_PERSONALIZATION "ikeharness drbg v1"
/** Octets served by one SP 800-90A Generate call. */
#define IKH_DRBG_MAX_REQUEST 4096u
/** Octets of the HMAC_DRBG Key and V (SHA-256 output). */
#define IKH_DRBG_OUTLEN 32u

/** HMAC_DRBG state. Caller memory; treat as opaque. */
typedef struct ikh_drbg {
    uint8_t key[IKH_DRBG_OUTLEN]; /**< Key of the working state (SP 800-90A
                                       §10.1.2.1); wiped by ikh_drbg_fini() */
    uint8_t v[IKH_DRBG_OUTLEN];   /**< V of the working state (§10.1.2.1) */
    uint64_t reseed_counter;      /**< Generate calls since instantiation + 1 */
} ikh_drbg;

/**
 * @brief Instantiate from a 64-bit seed (see the file comment).
 * @param d    state (caller memory, borrowed); NULL does nothing
 * @param seed the seed
 */
void ikh_drbg_init(ikh_drbg *d, uint64_t seed);

/**
 * @brief Instantiate from explicit entropy input, nonce and
 *        personalization string (SP 800-90A §10.1.2.3). For KAT tests
 *        against NIST CAVP vectors; ikh_drbg_init() is built on it.
 * @param d       state (caller memory, borrowed); NULL does nothing
 * @param entropy entropy input (borrowed)
 * @param nonce   nonce (borrowed; may be empty)
 * @param pers    personalization string (borrowed; may be empty)
 */
void ikh_drbg_instantiate(ikh_drbg *d, ikh_span entropy, ikh_span nonce,
                          ikh_span pers);

/**
 * @brief Fill @p out with @p len pseudorandom octets (SP 800-90A
 *        §10.1.2.5 Generate without additional input, in requests of at
 *        most IKH_DRBG_MAX_REQUEST octets).
 * @param d   state from ikh_drbg_init() / ikh_drbg_instantiate() (borrowed)
 * @param out receives the octets (borrowed; may be NULL when len is 0)
 * @param len octets wanted
 */
void ikh_drbg_generate(ikh_drbg *d, uint8_t *out, size_t len);

/**
 * @brief The env rand hook over an ::ikh_drbg: set ikh_env::rand to this
 *        and ikh_env::rand_user to the generator.
 * @param user an ::ikh_drbg (borrowed)
 * @param out  receives the octets (borrowed)
 * @param len  octets wanted
 */
void ikh_drbg_rand(void *user, uint8_t *out, size_t len);

/**
 * @brief Draw a number below @p bound (0 when bound is 0 or 1), by
 *        rejection sampling on 64-bit draws: exactly uniform, deterministic.
 * @param d     state (borrowed)
 * @param bound exclusive upper bound
 * @return the number.
 */
uint64_t ikh_drbg_uniform(ikh_drbg *d, uint64_t bound);

/**
 * @brief Wipe the state.
 * @param d state; NULL does nothing
 */
void ikh_drbg_fini(ikh_drbg *d);

#endif /* IKH_DRBG_H */
