/* SPDX-License-Identifier: MIT */
/*
 * Private to pcap/src: the link-layer step of ikh_frame_decode_snap(),
 * shared between frame_link.c (link layers) and frame.c (IP, UDP, RFC 3948
 * classification).
 */
#ifndef IKH_PCAP_FRAME_INT_H
#define IKH_PCAP_FRAME_INT_H

#include "ikh/bytes.h"
#include "ikh/pcap.h"

/** Ethertypes the link layers hand to IP. */
enum {
    IKH_ETH_P_IPV4 = 0x0800,
    IKH_ETH_P_IPV6 = 0x86DD,
    IKH_ETH_P_8021Q = 0x8100,  /* C-tag */
    IKH_ETH_P_8021AD = 0x88A8, /* S-tag */
    IKH_ETH_P_QINQ_OLD = 0x9100,
};

/**
 * Whether @p linktype is one ikh_frame_decode_snap() understands.
 * @param linktype LINKTYPE_ value (12 and 14 count as raw IP)
 * @return true when supported.
 */
bool ikh_frame_link_supported(int linktype);

/**
 * Strip the link-layer header from @p rd (positioned at the frame start).
 * @param linktype a supported LINKTYPE_ value
 * @param rd       reader over the captured frame; left at the IP header
 * @param ipver    receives 4 or 6 from the link header, or 0 when the link
 *                 layer does not say (raw IP: the version nibble decides)
 * @param err_off  receives the offset of the problem on failure
 * @return IKH_OK; PKT_LINK_TRUNCATED; PKT_NOT_IP (ethertype, address
 *         family or too many VLAN tags).
 */
ikh_err ikh_frame_link_strip(int linktype, ikh_rd *rd, unsigned *ipver,
                             size_t *err_off);

#endif /* IKH_PCAP_FRAME_INT_H */
