/* SPDX-License-Identifier: MIT */
/*
 * Test-only HMAC-SHA-1/SHA-256 PRF adapters over Nettle, so kdf/auth tests
 * do not depend on registry.c. Header-only (static functions).
 */
#ifndef IKH_TEST_PRF_ADAPTER_H
#define IKH_TEST_PRF_ADAPTER_H

#include <nettle/hmac.h>

#include "ikh/crypto.h"
#include "ikh/iana.h"

static ikh_err tp_hmac_sha1(ikh_span key, const ikh_span *parts, size_t n_parts,
                            uint8_t *out)
{
    struct hmac_sha1_ctx c;
    hmac_sha1_set_key(&c, key.len, key.p);
    for (size_t i = 0; i < n_parts; i++)
        hmac_sha1_update(&c, parts[i].len, parts[i].p);
    hmac_sha1_digest(&c, SHA1_DIGEST_SIZE, out);
    return IKH_OK;
}

static ikh_err tp_hmac_sha256(ikh_span key, const ikh_span *parts,
                              size_t n_parts, uint8_t *out)
{
    struct hmac_sha256_ctx c;
    hmac_sha256_set_key(&c, key.len, key.p);
    for (size_t i = 0; i < n_parts; i++)
        hmac_sha256_update(&c, parts[i].len, parts[i].p);
    hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, out);
    return IKH_OK;
}

static const ikh_prf_ops tp_prf_sha1 = {
    .out_len = 20, .key_len = 20, .prf = tp_hmac_sha1};
static const ikh_prf_ops tp_prf_sha256 = {
    .out_len = 32, .key_len = 32, .prf = tp_hmac_sha256};
static const ikh_xform_desc tp_desc_sha1 = {.type = IKH_XF_PRF,
                                            .id = IKH_PRF_HMAC_SHA1,
                                            .name = "PRF_HMAC_SHA1",
                                            .ike = true,
                                            .prf = &tp_prf_sha1};
static const ikh_xform_desc tp_desc_sha256 = {.type = IKH_XF_PRF,
                                              .id = IKH_PRF_HMAC_SHA2_256,
                                              .name = "PRF_HMAC_SHA2_256",
                                              .ike = true,
                                              .prf = &tp_prf_sha256};

#endif
