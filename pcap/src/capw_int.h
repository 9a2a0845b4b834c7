/* SPDX-License-Identifier: MIT */
/*
 * Frame building shared by the hand-written pcap writer (cap_write.c) and
 * the libpcap tap (tap.c): link header, IPv4/IPv6 header (checksum
 * computed) and UDP header (checksum over the pseudo header) around one
 * datagram, or ESP directly over IP (protocol 50).
 */
#ifndef IKH_CAPW_INT_H
#define IKH_CAPW_INT_H

#include "ikh/bytes.h"
#include "ikh/pcap.h"

/* Octets of IP (+ UDP when udp) headers plus payload_len. */
size_t ikh_capw_ip_len(unsigned family, bool udp, size_t payload_len);

/* Octets of the link header of linktype (0 for raw IP). */
size_t ikh_capw_link_len(int linktype);

/* Link header of linktype for an IP packet of version ipver (4 or 6). */
void ikh_capw_link_hdr(ikh_wr *w, int linktype, unsigned ipver);

/* What follows the IP header. */
typedef enum ikh_capw_l4 {
    IKH_CAPW_ESP_IP = 0, /* payload as IP protocol 50 */
    IKH_CAPW_UDP,        /* UDP, checksum computed */
    IKH_CAPW_UDP_ENCAP,  /* UDP-encapsulated ESP or a NAT-keepalive: over
                            IPv4 the checksum is 0 (RFC 3948 §2.1, §2.3
                            SHOULD), over IPv6 computed (RFC 8200 §8.1) */
} ikh_capw_l4;

/* IP header, then a UDP header and payload, or payload as IP protocol 50
 * (l4). src and dst have the same family; the caller checked that the
 * sizes fit (payload up to 65507 octets). */
void ikh_capw_ip_udp(ikh_wr *w, const ikh_addr *src, const ikh_addr *dst,
                     ikh_capw_l4 l4, uint16_t sport, uint16_t dport,
                     ikh_span payload);

#endif /* IKH_CAPW_INT_H */
