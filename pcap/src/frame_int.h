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

/**
 * What frame.c found about an IP fragment (a non-atomic one: IPv4 MF or
 * offset != 0; IPv6 Fragment header with M or offset != 0), for reasm.c.
 */
typedef struct ikh_frag_info {
    bool is_frag;  /**< the frame is such a fragment (fr->err is
                        PKT_IP_FRAGMENT); nothing below is set otherwise */
    bool cut;      /**< the snap length cut its data (data is partial) */
    uint8_t ipver; /**< 4 or 6 */
    uint8_t proto; /**< IPv4 Protocol / IPv6 Next Header of the Fragment
                        header */
    uint32_t id;   /**< Identification (IPv4: 16 bits) */
    size_t off;    /**< Fragment Offset, in octets */
    bool more;     /**< MF / M flag: more fragments follow */
    ikh_span data; /**< the fragment's data (borrowed from the frame) */
} ikh_frag_info;

/**
 * ikh_frame_decode_snap() that also describes a fragment.
 * @param fi receives what is known about the fragment when the frame is
 *           one (fi->is_frag); zeroed first. May be NULL.
 * Other parameters and the return value as ikh_frame_decode_snap().
 */
ikh_err ikh_frame_decode_frag(int linktype, const uint8_t *p, size_t caplen,
                              size_t origlen, ikh_frame *fr, ikh_frag_info *fi);

/**
 * Take apart a reassembled IP payload as frame.c does the payload of an
 * unfragmented packet: IPv6 extension headers that followed the Fragment
 * header, then UDP (RFC 3948 §2.2 classification) or ESP.
 * Sets kind, err, err_offset, sport, dport, udp, non_esp_marker,
 * ike_offset, ike and esp (cleared first); leaves the other fields alone.
 * Offsets count from the start of @p payload.
 * @param fr      frame to fill
 * @param ipver   4 or 6
 * @param proto   upper-layer protocol (IPv6: Next Header of the Fragment
 *                header)
 * @param payload the reassembled payload (borrowed; fr's spans point in)
 */
void ikh_frame_decode_reasm(ikh_frame *fr, unsigned ipver, uint8_t proto,
                            ikh_span payload);

#endif /* IKH_PCAP_FRAME_INT_H */
