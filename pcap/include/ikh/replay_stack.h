/* SPDX-License-Identifier: MIT */
/**
 * @file replay_stack.h
 * @brief `ikeharness replay --against-stack`: the IKE_SA_INIT requests of a
 *        capture are answered by an ikeharness responder, and the requests
 *        with our responses are judged by the replay rules (replay.h).
 *
 * For every IKE_SA_INIT request of the capture (RFC 7296 §1.2: exchange
 * 34, Response flag clear, Message ID 0), a fresh responder node (ike.h)
 * at the request's destination address and port receives it, with
 * every IKE transform the stack has on offer in two proposals (AEAD, and
 * encryption plus integrity), pre-shared key authentication and no
 * COOKIE threshold. What it sends back (the response, or an
 * INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN or other error notify) goes into
 * the replay after the request, numbered 2k-1 (request) and 2k (ours) for
 * the k-th request. Only IKE_SA_INIT is answered: later exchanges need the
 * initiator's keys. The randomness of each node is seeded from k, so a
 * run is repeatable.
 */
#ifndef IKH_REPLAY_STACK_H
#define IKH_REPLAY_STACK_H

#include "ikh/common.h"
#include "ikh/pcap.h"
#include "ikh/replay.h"

/** What ikh_replay_against_stack() did. */
typedef struct ikh_replay_stack_stats {
    uint64_t requests; /**< IKE_SA_INIT requests found and fed */
    uint64_t answered; /**< of them, answered by the responder */
    uint64_t accepted; /**< answers that accept (carry SA, KE and Nr) */
    uint64_t refused;  /**< answers that are an error notify */
    uint64_t unparsed; /**< requests that do not parse (fed anyway) */
} ikh_replay_stack_stats;

/**
 * @brief Answer every IKE_SA_INIT request of a capture with an ikeharness
 *        responder and judge the pairs.
 * @param cap    reader (borrowed; read to its end; the caller closes it)
 * @param r      a new replay (ikh_replay_new(), no keys needed) that
 *               receives the requests and our answers; the caller calls
 *               ikh_replay_finish() and reads or writes the results
 * @param st     receives the counts (always set)
 * @param errbuf optional buffer for libpcap's message on PCAP_RECORD
 * @param errlen its size
 * @return IKH_OK; PCAP_RECORD (a damaged record ended the capture: what
 *         came before was judged); ENV_NOMEM; ARG_INVALID (NULL cap, r or
 *         st); the responder's configuration errors (a stack built
 *         without a transform the default proposals name).
 */
IKH_MUST_USE ikh_err ikh_replay_against_stack(ikh_cap *cap, ikh_replay *r,
                                              ikh_replay_stack_stats *st,
                                              char *errbuf, size_t errlen);

#endif /* IKH_REPLAY_STACK_H */
