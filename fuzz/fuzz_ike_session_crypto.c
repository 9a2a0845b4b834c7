/* SPDX-License-Identifier: MIT */
/* target: ikh_node_recv, ikh_node_expire, ikh_node_initiate, ikh_node_action,
 *         ikh_node_send_inner with real transforms */
/* input: as fuzz_ike_session (fuzz_ike_session.c) */
/*
 * fuzz_ike_session with real crypto: AES-GCM-16-256, PRF-HMAC-SHA256 and
 * X25519 for the IKE SA, AES-GCM-16-256 (and X25519 for PFS) for ESP. The
 * mutations open and seal SK with the SA's real keys, and the log oracle
 * has real keys to look for.
 */
#define FUZZ_SESSION_CRYPTO 1
#include "fuzz_ike_session.c"
