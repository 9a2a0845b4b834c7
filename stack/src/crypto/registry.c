/* SPDX-License-Identifier: MIT */
/*
 * The transform registry (../shared/STYLE.md §8): one const descriptor per
 * (Transform Type, Transform ID, Key Length) with its IANA-style name, the
 * SAs it may be used for, and its operations. There is no global registry
 * object: ikh_crypto_default_list() returns the NULL-terminated list of every
 * real transform, and a node's configuration carries the list it allows.
 * The fuzzing-only null AEAD and null KE are only in ikh_crypto_null_list().
 */
#include "crypto_int.h"
#include "ikh/iana.h"

#define ENCR(id_, bits_, name_, ike_, esp_, ops_)                              \
    {                                                                          \
        .type = IKH_XF_ENCR, .id = (id_), .key_bits = (bits_),                 \
        .name = (name_), .ike = (ike_), .esp = (esp_), .encr = &(ops_),        \
    }
#define PRF(id_, name_, ops_)                                                  \
    {                                                                          \
        .type = IKH_XF_PRF, .id = (id_), .key_bits = 0, .name = (name_),       \
        .ike = true, .esp = false, .prf = &(ops_),                             \
    }
#define INTEG(id_, name_, ops_)                                                \
    {                                                                          \
        .type = IKH_XF_INTEG, .id = (id_), .key_bits = 0, .name = (name_),     \
        .ike = true, .esp = true, .integ = &(ops_),                            \
    }
#define KE(id_, name_, ops_)                                                   \
    {                                                                          \
        .type = IKH_XF_KE, .id = (id_), .key_bits = 0, .name = (name_),        \
        .ike = true, .esp = true, .ke = &(ops_),                               \
    }

/* The table, in proposal preference order within each type. AES-CTR is
 * usable for IKE too: RFC 5930 §2 uses the RFC 3686 keying (key | nonce)
 * and 8-octet IV, which is exactly what the ops implement. ENCR_NULL is
 * ESP-only (RFC 4303 §3.2: NULL encryption needs an integrity algorithm;
 * RFC 7296 has no NULL cipher for IKE). */
/* clang-format off */
static const ikh_xform_desc xforms[] = {
    ENCR(IKH_ENCR_AES_GCM_16, 256, "ENCR_AES_GCM_16-256", true, true, ikh_encr_ops_aes_gcm16_256),
    ENCR(IKH_ENCR_AES_GCM_16, 192, "ENCR_AES_GCM_16-192", true, true, ikh_encr_ops_aes_gcm16_192),
    ENCR(IKH_ENCR_AES_GCM_16, 128, "ENCR_AES_GCM_16-128", true, true, ikh_encr_ops_aes_gcm16_128),
    ENCR(IKH_ENCR_AES_GCM_12, 256, "ENCR_AES_GCM_12-256", true, true, ikh_encr_ops_aes_gcm12_256),
    ENCR(IKH_ENCR_AES_GCM_12, 192, "ENCR_AES_GCM_12-192", true, true, ikh_encr_ops_aes_gcm12_192),
    ENCR(IKH_ENCR_AES_GCM_12, 128, "ENCR_AES_GCM_12-128", true, true, ikh_encr_ops_aes_gcm12_128),
    ENCR(IKH_ENCR_AES_GCM_8, 256, "ENCR_AES_GCM_8-256", true, true, ikh_encr_ops_aes_gcm8_256),
    ENCR(IKH_ENCR_AES_GCM_8, 192, "ENCR_AES_GCM_8-192", true, true, ikh_encr_ops_aes_gcm8_192),
    ENCR(IKH_ENCR_AES_GCM_8, 128, "ENCR_AES_GCM_8-128", true, true, ikh_encr_ops_aes_gcm8_128),
    ENCR(IKH_ENCR_CHACHA20_POLY1305, 0, "ENCR_CHACHA20_POLY1305", true, true, ikh_encr_ops_chacha20_poly1305),
    ENCR(IKH_ENCR_AES_CBC, 256, "ENCR_AES_CBC-256", true, true, ikh_encr_ops_aes_cbc256),
    ENCR(IKH_ENCR_AES_CBC, 192, "ENCR_AES_CBC-192", true, true, ikh_encr_ops_aes_cbc192),
    ENCR(IKH_ENCR_AES_CBC, 128, "ENCR_AES_CBC-128", true, true, ikh_encr_ops_aes_cbc128),
    ENCR(IKH_ENCR_AES_CTR, 256, "ENCR_AES_CTR-256", true, true, ikh_encr_ops_aes_ctr256),
    ENCR(IKH_ENCR_AES_CTR, 192, "ENCR_AES_CTR-192", true, true, ikh_encr_ops_aes_ctr192),
    ENCR(IKH_ENCR_AES_CTR, 128, "ENCR_AES_CTR-128", true, true, ikh_encr_ops_aes_ctr128),
    ENCR(IKH_ENCR_NULL, 0, "ENCR_NULL", false, true, ikh_encr_ops_null),
    PRF(IKH_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256", ikh_prf_ops_hmac_sha256),
    PRF(IKH_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384", ikh_prf_ops_hmac_sha384),
    PRF(IKH_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512", ikh_prf_ops_hmac_sha512),
    PRF(IKH_PRF_AES128_CMAC, "PRF_AES128_CMAC", ikh_prf_ops_aes128_cmac),
    PRF(IKH_PRF_AES128_XCBC, "PRF_AES128_XCBC", ikh_prf_ops_aes128_xcbc),
    PRF(IKH_PRF_HMAC_SHA1, "PRF_HMAC_SHA1", ikh_prf_ops_hmac_sha1),
    INTEG(IKH_INTEG_HMAC_SHA2_256_128, "AUTH_HMAC_SHA2_256_128", ikh_integ_ops_hmac_sha256_128),
    INTEG(IKH_INTEG_HMAC_SHA2_384_192, "AUTH_HMAC_SHA2_384_192", ikh_integ_ops_hmac_sha384_192),
    INTEG(IKH_INTEG_HMAC_SHA2_512_256, "AUTH_HMAC_SHA2_512_256", ikh_integ_ops_hmac_sha512_256),
    INTEG(IKH_INTEG_AES_XCBC_96, "AUTH_AES_XCBC_96", ikh_integ_ops_aes_xcbc_96),
    INTEG(IKH_INTEG_HMAC_SHA1_96, "AUTH_HMAC_SHA1_96", ikh_integ_ops_hmac_sha1_96),
    KE(IKH_KE_CURVE25519, "CURVE25519", ikh_ke_ops_x25519),
    KE(IKH_KE_ECP256, "ECP_256", ikh_ke_ops_ecp256),
    KE(IKH_KE_ECP384, "ECP_384", ikh_ke_ops_ecp384),
    KE(IKH_KE_ECP521, "ECP_521", ikh_ke_ops_ecp521),
    KE(IKH_KE_CURVE448, "CURVE448", ikh_ke_ops_x448),
    KE(IKH_KE_MODP2048, "MODP_2048", ikh_ke_ops_modp2048),
    KE(IKH_KE_MODP3072, "MODP_3072", ikh_ke_ops_modp3072),
    KE(IKH_KE_MODP4096, "MODP_4096", ikh_ke_ops_modp4096),
    KE(IKH_KE_MODP6144, "MODP_6144", ikh_ke_ops_modp6144),
    KE(IKH_KE_MODP8192, "MODP_8192", ikh_ke_ops_modp8192),
};
/* clang-format on */

#define N_XFORMS (sizeof xforms / sizeof xforms[0])

static const ikh_xform_desc *const default_list[] = {
    &xforms[0],  &xforms[1],  &xforms[2],  &xforms[3],  &xforms[4],
    &xforms[5],  &xforms[6],  &xforms[7],  &xforms[8],  &xforms[9],
    &xforms[10], &xforms[11], &xforms[12], &xforms[13], &xforms[14],
    &xforms[15], &xforms[16], &xforms[17], &xforms[18], &xforms[19],
    &xforms[20], &xforms[21], &xforms[22], &xforms[23], &xforms[24],
    &xforms[25], &xforms[26], &xforms[27], &xforms[28], &xforms[29],
    &xforms[30], &xforms[31], &xforms[32], &xforms[33], &xforms[34],
    &xforms[35], &xforms[36], &xforms[37], NULL,
};

_Static_assert(sizeof default_list / sizeof default_list[0] == N_XFORMS + 1,
               "default_list names every descriptor once");

const ikh_xform_desc *const *ikh_crypto_default_list(void)
{
    return default_list;
}

/* Fuzzing only (STYLE §8): never reachable from default_list. */
static const ikh_xform_desc null_xforms[] = {
    ENCR(IKH_ENCR_NULL, 0, "ENCR_NULL_AEAD_FUZZ", true, true,
         ikh_encr_ops_null_aead),
    KE(IKH_CRYPTO_NULL_KE_ID, "KE_NULL_FUZZ", ikh_ke_ops_null),
};

static const ikh_xform_desc *const null_list[] = {
    &null_xforms[0],
    &null_xforms[1],
    NULL,
};

const ikh_xform_desc *const *ikh_crypto_null_list(void)
{
    return null_list;
}

const ikh_xform_desc *ikh_crypto_find(const ikh_xform_desc *const *list,
                                      uint8_t type, uint16_t id,
                                      uint16_t key_bits)
{
    if (list == NULL)
        return NULL;
    for (size_t i = 0; list[i] != NULL; i++) {
        const ikh_xform_desc *d = list[i];
        if (d->type == type && d->id == id && d->key_bits == key_bits)
            return d;
    }
    return NULL;
}
