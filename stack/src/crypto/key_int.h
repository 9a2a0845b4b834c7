/* SPDX-License-Identifier: MIT */
/*
 * The private layout of ikh_key (keyfile.h): Nettle's RSA and ECC key
 * structures in the key's opaque storage. Only crypto/ includes this.
 */
#ifndef IKH_KEY_INT_H
#define IKH_KEY_INT_H

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/rsa.h>

#include "ikh/keyfile.h"

/* RSA: pub always set; priv only when has_private. */
typedef struct key_rsa {
    struct rsa_public_key pub;
    struct rsa_private_key priv;
} key_rsa;

/* EC: pub always set; priv only when has_private. */
typedef struct key_ec {
    const struct ecc_curve *curve;
    struct ecc_point pub;
    struct ecc_scalar priv;
} key_ec;

_Static_assert(sizeof(key_rsa) <= IKH_KEY_OPAQUE_MAX,
               "ikh_key storage too small for RSA");
_Static_assert(sizeof(key_ec) <= IKH_KEY_OPAQUE_MAX,
               "ikh_key storage too small for EC");

static inline key_rsa *key_as_rsa(ikh_key *k)
{
    return (key_rsa *)(void *)k->opaque.b;
}
static inline const key_rsa *key_as_rsa_c(const ikh_key *k)
{
    return (const key_rsa *)(const void *)k->opaque.b;
}
static inline key_ec *key_as_ec(ikh_key *k)
{
    return (key_ec *)(void *)k->opaque.b;
}
static inline const key_ec *key_as_ec_c(const ikh_key *k)
{
    return (const key_ec *)(const void *)k->opaque.b;
}

#endif /* IKH_KEY_INT_H */
