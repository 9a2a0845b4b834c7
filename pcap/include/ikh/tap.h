/* SPDX-License-Identifier: MIT */
/**
 * @file tap.h
 * @brief The pcap tap: every datagram a driver carries, written through
 *        libpcap (pcap_open_dead() + pcap_dump()) with synthesized IPv4 /
 *        IPv6 and UDP headers (valid checksums; zero UDP checksum for
 *        UDP-encapsulated ESP and NAT-keepalives over IPv4, as RFC 3948
 *        §2.1 and §2.3 want them sent and the udp driver sends them) and
 *        timestamps from the driver's (virtual or real) clock. Headers of
 *        received datagrams are synthesized the same way: they do not show
 *        what the peer's stack put in its headers.
 *
 * Framing of an ::ikh_dgram: an IKE message goes in UDP, preceded by the
 * 4-octet zero non-ESP marker when ikh_dgram::non_esp_marker is set; an
 * ESP packet with both ports 0 goes directly over IP (protocol 50),
 * otherwise UDP-encapsulated without a marker (RFC 3948). IPv4 headers
 * have Identification 0 and DF, TTL 64; IPv6 hop limit 64. A timestamp t
 * (ms) is written as t / 1000 s and (t % 1000) * 1000 us. The file is
 * written by libpcap in the host's byte order, so on one host the same
 * datagrams give byte-identical files.
 *
 * Hooking up: ikh_tap_sim() is an ::ikh_sim_tap_fn (user = the tap) and
 * ikh_tap_udp() the udp driver's tap (see udp.h).
 */
#ifndef IKH_TAP_H
#define IKH_TAP_H

#include "ikh/env.h"
#include "ikh/pcap.h"
#include "ikh/sim.h"
#include "ikh/udp.h"

/** A capture being written (opaque). */
typedef struct ikh_tap ikh_tap;

/**
 * @brief Create a capture file.
 * @param path     file name (borrowed); created or truncated
 * @param linktype IKH_LINK_RAW (raw IP) or IKH_LINK_ETHERNET (fixed MAC
 *                 addresses)
 * @param out      receives the tap, closed with ikh_tap_close() (borrowed)
 * @return IKH_OK; ARG_INVALID (NULL argument); PCAP_LINKTYPE (another link
 *         type); IO_OPEN (libpcap cannot create the file); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_tap_open(const char *path, int linktype,
                                  ikh_tap **out);

/**
 * @brief Write one datagram as a capture record.
 * @param tap  the tap (borrowed)
 * @param t_ms timestamp in milliseconds
 * @param dg   the datagram (borrowed for the call)
 * @return IKH_OK; ARG_INVALID (NULL, families differ or are not 4/6, data
 *         longer than 65503 octets); IO_WRITE (sticky: an earlier write
 *         failed; nothing more is written).
 */
IKH_MUST_USE ikh_err ikh_tap_dgram(ikh_tap *tap, ikh_time_ms t_ms,
                                   const ikh_dgram *dg);

/**
 * @brief Choose which sim events ikh_tap_sim() writes.
 * @param tap  the tap (borrowed)
 * @param mask bits 1u << ::ikh_sim_tap_kind; the default is
 *             1u << IKH_SIM_TAP_DELIVERED (what nodes received, faults
 *             applied)
 */
void ikh_tap_set_sim_kinds(ikh_tap *tap, unsigned mask);

/**
 * @brief An ::ikh_sim_tap_fn writing through the tap in @p user.
 * @param user the ::ikh_tap (borrowed)
 * @param kind event kind (filtered by ikh_tap_set_sim_kinds())
 * @param dg   datagram (borrowed)
 * @param t    virtual time in ms
 *
 * Errors are kept (sticky) and returned by ikh_tap_close().
 */
void ikh_tap_sim(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                 ikh_time_ms t);

/**
 * @brief An ::ikh_udp_tap_fn writing every datagram the udp driver sends
 *        or receives through the tap in @p user (timestamps from the
 *        monotonic clock).
 * @param user the ::ikh_tap (borrowed)
 * @param kind sent or received (both are written)
 * @param dg   datagram (borrowed)
 * @param t    time in ms
 *
 * Errors are kept (sticky) and returned by ikh_tap_close().
 */
void ikh_tap_udp(void *user, ikh_udp_tap_kind kind, const ikh_dgram *dg,
                 ikh_time_ms t);

/**
 * @brief Records written so far.
 * @param tap the tap (borrowed); NULL gives 0
 * @return the count.
 */
uint64_t ikh_tap_count(const ikh_tap *tap);

/**
 * @brief Flush, close and free the tap.
 * @param tap the tap; NULL is a no-op
 * @return IKH_OK; IO_WRITE when any write, the flush or the close failed
 *         (the file is incomplete); ARG_INVALID when a datagram handed to
 *         ikh_tap_sim() was refused.
 */
ikh_err ikh_tap_close(ikh_tap *tap);

#endif /* IKH_TAP_H */
