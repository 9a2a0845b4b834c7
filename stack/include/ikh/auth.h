/* SPDX-License-Identifier: MIT */
/**
 * @file auth.h
 * @brief The octets an IKEv2 AUTH payload covers (RFC 7296 §2.15) and the
 *        shared-key AUTH value (AUTH method 2) over any ::ikh_prf_ops.
 *
 * The signed octets are kept as three borrowed pieces (the real message,
 * the peer's nonce, MACedID), never copied into one buffer: PRFs and
 * signature hashes take them piecewise.
 */
#ifndef IKH_AUTH_H
#define IKH_AUTH_H

#include "ikh/crypto.h"

/**
 * InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI, or the
 * responder's RealMessage2 | NonceIData | MACedIDForR (RFC 7296 §2.15).
 * parts[0] and parts[1] are borrowed; parts[2] points into maced_id, so the
 * struct must not be copied or moved after ikh_auth_octets_init().
 */
typedef struct ikh_auth_octets {
    ikh_span parts[3];             /**< message, peer nonce, MACedID */
    uint8_t maced_id[IKH_PRF_MAX]; /**< prf(SK_px, RestOfIDPayload) */
} ikh_auth_octets;

/**
 * @brief Build the signed octets of one side.
 * @param o        caller memory (written; keep it in place while in use)
 * @param prf      negotiated PRF (borrowed)
 * @param sk_p     SK_pi for the initiator's octets, SK_pr for the responder's
 * (borrowed)
 * @param message  the side's first message as sent, IKE header included
 *                 (RealMessage1 / RealMessage2; borrowed for o's lifetime)
 * @param nonce    the other side's Nonce Data (borrowed for o's lifetime)
 * @param id_body  the side's ID payload after the generic header: ID Type,
 *                 3 reserved octets, identification data (borrowed)
 * @return IKH_OK; ARG_INVALID (NULL argument, or the ID body shorter than
 *         4 octets); any error of the PRF. On error o holds no MAC.
 */
IKH_MUST_USE ikh_err ikh_auth_octets_init(ikh_auth_octets *o,
                                          const ikh_prf_ops *prf,
                                          const ikh_secret *sk_p,
                                          ikh_span message, ikh_span nonce,
                                          ikh_span id_body);

/** @brief Wipe the MACedID. @param o octets (NULL is a no-op) */
void ikh_auth_octets_fini(ikh_auth_octets *o);

/**
 * @brief Shared-key AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"),
 *        SignedOctets) (RFC 7296 §2.15).
 * @param prf  negotiated PRF (borrowed)
 * @param psk  the shared secret (borrowed)
 * @param o    signed octets from ikh_auth_octets_init() (borrowed)
 * @param out  receives prf->out_len octets (wiped on error)
 * @return IKH_OK; ARG_INVALID (NULL argument, empty secret); any error of the
 * PRF.
 */
IKH_MUST_USE ikh_err ikh_auth_psk_compute(const ikh_prf_ops *prf, ikh_span psk,
                                          const ikh_auth_octets *o,
                                          uint8_t *out);

/**
 * @brief Check a received shared-key AUTH value in constant time.
 * @param prf       negotiated PRF (borrowed)
 * @param psk       the shared secret (borrowed)
 * @param o         signed octets of the peer (borrowed)
 * @param auth_data Authentication Data from the peer's AUTH payload (borrowed)
 * @return IKH_OK when it matches; CRYPTO_SIG_INVALID when it does not (also
 *         for a wrong length): the caller fails the exchange with
 *         AUTHENTICATION_FAILED; ARG_INVALID; any error of the PRF.
 */
IKH_MUST_USE ikh_err ikh_auth_psk_verify(const ikh_prf_ops *prf, ikh_span psk,
                                         const ikh_auth_octets *o,
                                         ikh_span auth_data);

#endif /* IKH_AUTH_H */
