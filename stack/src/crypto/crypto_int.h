/* SPDX-License-Identifier: MIT */
/*
 * Internals of the crypto module: the operation tables each family file
 * defines, referenced by registry.c. Only files in crypto/ include Nettle;
 * only ke_modp.c includes GMP (../shared/STYLE.md §8).
 */
#ifndef IKH_CRYPTO_INT_H
#define IKH_CRYPTO_INT_H

#include "ikh/crypto.h"

/* Key exchange groups (ke_modp.c: RFC 3526 MODP 14-18 over GMP;
 * nettle_ecc.c: RFC 5903 ECP 19-21; nettle_curve.c: RFC 8031 Curve25519/448). */
extern const ikh_ke_ops ikh_ke_ops_modp2048;
extern const ikh_ke_ops ikh_ke_ops_modp3072;
extern const ikh_ke_ops ikh_ke_ops_modp4096;
extern const ikh_ke_ops ikh_ke_ops_modp6144;
extern const ikh_ke_ops ikh_ke_ops_modp8192;
extern const ikh_ke_ops ikh_ke_ops_ecp256;
extern const ikh_ke_ops ikh_ke_ops_ecp384;
extern const ikh_ke_ops ikh_ke_ops_ecp521;
extern const ikh_ke_ops ikh_ke_ops_x25519;
extern const ikh_ke_ops ikh_ke_ops_x448;

#endif /* IKH_CRYPTO_INT_H */
