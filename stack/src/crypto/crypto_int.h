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
 * nettle_ecc.c: RFC 5903 ECP 19-21; nettle_curve.c: RFC 8031 Curve25519/448).
 */
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

/* ENCR (nettle_aes.c: RFC 3602 CBC, RFC 3686 / RFC 5930 CTR, RFC 4106 /
 * RFC 5282 GCM; nettle_chacha.c: RFC 7634; null.c: RFC 4303 ENCR_NULL). */
extern const ikh_encr_ops ikh_encr_ops_aes_cbc128;
extern const ikh_encr_ops ikh_encr_ops_aes_cbc192;
extern const ikh_encr_ops ikh_encr_ops_aes_cbc256;
extern const ikh_encr_ops ikh_encr_ops_aes_ctr128;
extern const ikh_encr_ops ikh_encr_ops_aes_ctr192;
extern const ikh_encr_ops ikh_encr_ops_aes_ctr256;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm8_128;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm8_192;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm8_256;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm12_128;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm12_192;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm12_256;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm16_128;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm16_192;
extern const ikh_encr_ops ikh_encr_ops_aes_gcm16_256;
extern const ikh_encr_ops ikh_encr_ops_chacha20_poly1305;
extern const ikh_encr_ops ikh_encr_ops_null;

/* PRF and INTEG (nettle_mac.c: RFC 2104/2202, RFC 4868, RFC 4434, RFC 4615,
 * RFC 3566). */
extern const ikh_prf_ops ikh_prf_ops_hmac_sha1;
extern const ikh_prf_ops ikh_prf_ops_hmac_sha256;
extern const ikh_prf_ops ikh_prf_ops_hmac_sha384;
extern const ikh_prf_ops ikh_prf_ops_hmac_sha512;
extern const ikh_prf_ops ikh_prf_ops_aes128_xcbc;
extern const ikh_prf_ops ikh_prf_ops_aes128_cmac;
extern const ikh_integ_ops ikh_integ_ops_hmac_sha1_96;
extern const ikh_integ_ops ikh_integ_ops_aes_xcbc_96;
extern const ikh_integ_ops ikh_integ_ops_hmac_sha256_128;
extern const ikh_integ_ops ikh_integ_ops_hmac_sha384_192;
extern const ikh_integ_ops ikh_integ_ops_hmac_sha512_256;

/* Fuzzing only (null.c): never referenced by the default list. */
extern const ikh_encr_ops ikh_encr_ops_null_aead;
extern const ikh_ke_ops ikh_ke_ops_null;

#endif /* IKH_CRYPTO_INT_H */
