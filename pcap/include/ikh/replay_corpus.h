/* SPDX-License-Identifier: MIT */
/**
 * @file replay_corpus.h
 * @brief Fuzz seeds from a capture (`ikeharness replay --extract-corpus`):
 *        every IKE message as captured and, where the keys open its
 *        Encrypted payload, once more in the clear.
 *
 * For each IKE message of the capture (reader of pcap.h: link types, IP
 * reassembly, UDP 500/4500 with the non-ESP marker stripped):
 *  - the message's octets go to DIR/NAME, where NAME is the first 16 hex digits
 *    of the SHA-1 of the content (the same content gives the same name, so
 *    a second extraction or a retransmission adds nothing);
 *  - when its SK payload verifies and decrypts with the keys (capdec.h;
 *    SKF fragments are reassembled first, RFC 7383 §2.6), a plaintext form
 *    is written too: the IKE header (RFC 7296 §3.1) with Next Payload set
 *    to the first inner payload and Length to 28 plus the inner chain,
 *    followed by the decrypted inner payload chain (§3.14) — a message the
 *    wire parser and the fuzz targets read whole, so a fuzzer starts
 *    behind the ICV.
 * ESP packets are not written (fuzz_esp seeds itself from SAs it builds).
 */
#ifndef IKH_REPLAY_CORPUS_H
#define IKH_REPLAY_CORPUS_H

#include "ikh/capdec.h"
#include "ikh/common.h"

/** What ikh_replay_extract() did. */
typedef struct ikh_replay_extract_stats {
    uint64_t messages;   /**< IKE messages read */
    uint64_t decrypted;  /**< of them (or completed SKF messages) opened */
    uint64_t written;    /**< files written */
    uint64_t duplicates; /**< files already there with that content */
    uint64_t bad;        /**< Encrypted payloads whose keys did not open
                              them (ICV, padding, inner chain), or whose
                              opened payloads could not be serialized
                              again for the plaintext form */
} ikh_replay_extract_stats;

/**
 * @brief Write the fuzz seeds of a capture into a folder.
 * @param capture pcap or pcapng file (borrowed)
 * @param keys    key set (borrowed; NULL: raw messages only)
 * @param dir     output folder (borrowed); created when missing (its
 *                parent must exist)
 * @param st      receives the counts (always set)
 * @param errbuf  receives libpcap's or the file system's words on an
 *                error (may be NULL) @param errlen its size
 * @return IKH_OK; the errors of ikh_cap_open() and ikh_cap_next() that end
 *         a capture (a damaged record is skipped, not an error); IO_OPEN
 *         (the folder cannot be made or a file not created); IO_WRITE;
 *         ENV_NOMEM; ARG_INVALID (NULL capture, dir or st).
 */
IKH_MUST_USE ikh_err ikh_replay_extract(const char *capture,
                                        const ikh_capdec_keys *keys,
                                        const char *dir,
                                        ikh_replay_extract_stats *st,
                                        char *errbuf, size_t errlen);

#endif /* IKH_REPLAY_CORPUS_H */
