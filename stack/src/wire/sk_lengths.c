/* SPDX-License-Identifier: MIT */
/*
 * IV and ICV sizes of the Encrypted payload per negotiated transform, so
 * that an SK body can be split without keys (decode) and with them (the
 * crypto layer checks its own descriptors against this table in tests).
 */
#include "ikh/wire.h"

typedef struct encr_row {
    uint16_t id;
    uint8_t iv;
    uint8_t tag; /* AEAD tag; 0 for non-AEAD ciphers */
} encr_row;

static const encr_row encr_rows[] = {
    {IKH_ENCR_DES_IV64, 8, 0},
    {IKH_ENCR_DES, 8, 0},
    {IKH_ENCR_3DES, 8, 0}, /* RFC 2451 */
    {IKH_ENCR_NULL, 0, 0},
    {IKH_ENCR_AES_CBC, 16, 0},  /* RFC 3602 §3 */
    {IKH_ENCR_AES_CTR, 8, 0},   /* RFC 5930 / RFC 3686 §3.1 */
    {IKH_ENCR_AES_CCM_8, 8, 8}, /* RFC 5282 §3 */
    {IKH_ENCR_AES_CCM_12, 8, 12},
    {IKH_ENCR_AES_CCM_16, 8, 16},
    {IKH_ENCR_AES_GCM_8, 8, 8}, /* RFC 5282 §3 */
    {IKH_ENCR_AES_GCM_12, 8, 12},
    {IKH_ENCR_AES_GCM_16, 8, 16},
    {IKH_ENCR_NULL_AUTH_AES_GMAC, 8, 16}, /* RFC 4543 */
    {IKH_ENCR_CAMELLIA_CBC, 16, 0},       /* RFC 5529 */
    {IKH_ENCR_CAMELLIA_CTR, 8, 0},
    {IKH_ENCR_CAMELLIA_CCM_8, 8, 8},
    {IKH_ENCR_CAMELLIA_CCM_12, 8, 12},
    {IKH_ENCR_CAMELLIA_CCM_16, 8, 16},
    {IKH_ENCR_CHACHA20_POLY1305, 8, 16}, /* RFC 7634 §2, §3 */
};

typedef struct integ_row {
    uint16_t id;
    uint8_t icv;
} integ_row;

static const integ_row integ_rows[] = {
    {IKH_INTEG_NONE, 0},
    {IKH_INTEG_HMAC_MD5_96, 12},       /* RFC 2403 */
    {IKH_INTEG_HMAC_SHA1_96, 12},      /* RFC 2404 */
    {5, 12},                           /* AUTH_AES_XCBC_96, RFC 3566 */
    {6, 16},                           /* AUTH_HMAC_MD5_128, RFC 4595 */
    {7, 20},                           /* AUTH_HMAC_SHA1_160, RFC 4595 */
    {8, 12},                           /* AUTH_AES_CMAC_96, RFC 4494 */
    {IKH_INTEG_HMAC_SHA2_256_128, 16}, /* RFC 4868 §2.6 */
    {IKH_INTEG_HMAC_SHA2_384_192, 24},
    {IKH_INTEG_HMAC_SHA2_512_256, 32},
};

bool ikh_wire_sk_lengths(uint16_t encr, uint16_t integ, size_t *iv_len,
                         size_t *icv_len)
{
    for (size_t i = 0; i < sizeof encr_rows / sizeof encr_rows[0]; i++) {
        if (encr_rows[i].id != encr)
            continue;
        if (encr_rows[i].tag != 0) {
            *iv_len = encr_rows[i].iv;
            *icv_len = encr_rows[i].tag;
            return true;
        }
        for (size_t k = 0; k < sizeof integ_rows / sizeof integ_rows[0]; k++) {
            if (integ_rows[k].id == integ) {
                *iv_len = encr_rows[i].iv;
                *icv_len = integ_rows[k].icv;
                return true;
            }
        }
        return false;
    }
    return false;
}
