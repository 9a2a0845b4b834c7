/* SPDX-License-Identifier: MIT */
/*
 * Plain SHA-1 for the IKE state machine: NAT_DETECTION_*_IP hashes
 * (RFC 7296 §2.23) and responder cookies (§2.6). Not a PRF or integrity
 * transform; those live in the registry.
 */
#include <nettle/sha1.h>

#include "ikh/crypto.h"

void ikh_hash_sha1(const ikh_span *parts, size_t n_parts,
                   uint8_t out[IKH_SHA1_LEN])
{
    struct sha1_ctx c;
    sha1_init(&c);
    for (size_t i = 0; i < n_parts; i++)
        if (parts[i].len > 0)
            sha1_update(&c, parts[i].len, parts[i].p);
    sha1_digest(&c, IKH_SHA1_LEN, out);
    ikh_wipe(&c, sizeof c);
}
