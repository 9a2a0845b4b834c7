/* SPDX-License-Identifier: MIT */
/**
 * @file limits.h
 * @brief Bounds on every collection in ikeharness (../shared/STYLE.md §11).
 *
 * Reaching one of these limits yields a specific error code, never a silent
 * truncation. They are generous for real traffic (strongSwan proposes well
 * under 100 transforms) and small enough that a parsed message fits in
 * one fixed-size struct.
 */
#ifndef IKH_LIMITS_H
#define IKH_LIMITS_H

/** Largest IKE message the codec handles (IKE header Length is 32 bits). */
#define IKH_WIRE_MAX_MSG 65535u
/** Payloads in one message, outer and decrypted inner together. */
#define IKH_WIRE_MAX_PAYLOADS 64u
/** Proposals across all SA payloads of one message. */
#define IKH_WIRE_MAX_PROPOSALS 64u
/** Transforms across all proposals of one message. */
#define IKH_WIRE_MAX_TRANSFORMS 256u
/** Transform attributes across all transforms of one message. */
#define IKH_WIRE_MAX_XATTRS 256u
/** Traffic selectors across all TS payloads of one message. */
#define IKH_WIRE_MAX_TS 128u
/** Configuration attributes across all CP payloads of one message. */
#define IKH_WIRE_MAX_CP_ATTRS 128u

#endif /* IKH_LIMITS_H */
