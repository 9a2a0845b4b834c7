/* SPDX-License-Identifier: MIT */
/*
 * Link layers of captured frames: Ethernet (with 802.1Q/802.1ad tags),
 * BSD loopback NULL/LOOP, raw IP, Linux cooked SLL and SLL2. Each strips
 * its header through the bounded reader and says which IP version follows,
 * so frame.c sees the same thing whatever the capture's link type.
 *
 * Layouts (https://www.tcpdump.org/linktypes.html):
 *   Ethernet  dst(6) src(6) type(2) [TPID(2) TCI(2)]... type(2)
 *   NULL/LOOP family(4): host order of the capturing machine for NULL,
 *             network order for LOOP; we accept either order for both
 *   SLL       pkttype(2) arphrd(2) addrlen(2) addr(8) protocol(2)
 *   SLL2      protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1)
 *             addrlen(1) addr(8)
 */
#include "frame_int.h"

/* BSD address families seen in NULL/LOOP headers across operating systems. */
enum {
    AFNUM_INET = 2,
    AFNUM_INET6_LINUX = 10,
    AFNUM_INET6_BSD = 24, /* NetBSD, OpenBSD, BSD/OS */
    AFNUM_INET6_FREEBSD = 28,
    AFNUM_INET6_DARWIN = 30,
};

enum {
    LINK_ETH_ADDRS_LEN = 12,
    LINK_SLL_LEN = 16,
    LINK_SLL_PROTO_AT = 14,
    LINK_SLL2_LEN = 20,
};

bool ikh_frame_link_supported(int linktype)
{
    switch (linktype) {
    case IKH_LINK_NULL:
    case IKH_LINK_ETHERNET:
    case IKH_LINK_RAW:
    case 12: /* DLT_RAW on most systems */
    case 14: /* DLT_RAW on OpenBSD and BSD/OS */
    case IKH_LINK_LOOP:
    case IKH_LINK_LINUX_SLL:
    case IKH_LINK_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

static bool link_is_vlan(uint16_t type)
{
    return type == IKH_ETH_P_8021Q || type == IKH_ETH_P_8021AD ||
           type == IKH_ETH_P_QINQ_OLD;
}

/*
 * An ethertype read at type_off, possibly a chain of VLAN tags: skip up to
 * IKH_PCAP_MAX_VLAN_TAGS of them and map the inner type to an IP version.
 */
static ikh_err link_ethertype(ikh_rd *rd, uint16_t type, size_t type_off,
                              unsigned *ipver, size_t *err_off)
{
    for (unsigned tags = 0;; tags++) {
        if (type == IKH_ETH_P_IPV4 || type == IKH_ETH_P_IPV6) {
            *ipver = type == IKH_ETH_P_IPV4 ? 4 : 6;
            return IKH_OK;
        }
        if (!link_is_vlan(type) || tags == IKH_PCAP_MAX_VLAN_TAGS) {
            *err_off = type_off;
            return IKH_ERR_PKT_NOT_IP;
        }
        (void)ikh_rd_u16(rd); /* TCI: priority, DEI, VLAN ID */
        type_off = ikh_rd_offset(rd);
        type = ikh_rd_u16(rd);
        if (ikh_rd_error(rd) != IKH_OK) {
            *err_off = rd->err_off;
            return IKH_ERR_PKT_LINK_TRUNCATED;
        }
    }
}

/* The 4-octet address family of NULL/LOOP, in either byte order. */
static ikh_err link_family(ikh_rd *rd, unsigned *ipver, size_t *err_off)
{
    uint32_t fam = ikh_rd_u32(rd);
    if (ikh_rd_error(rd) != IKH_OK) {
        *err_off = rd->err_off;
        return IKH_ERR_PKT_LINK_TRUNCATED;
    }
    if ((fam & 0xFFFFu) == 0) /* written little-endian, read big-endian */
        fam = ((fam >> 24) & 0xFFu) | ((fam >> 8) & 0xFF00u);
    switch (fam) {
    case AFNUM_INET:
        *ipver = 4;
        return IKH_OK;
    case AFNUM_INET6_LINUX:
    case AFNUM_INET6_BSD:
    case AFNUM_INET6_FREEBSD:
    case AFNUM_INET6_DARWIN:
        *ipver = 6;
        return IKH_OK;
    default:
        *err_off = 0;
        return IKH_ERR_PKT_NOT_IP;
    }
}

/* Skip a fixed header of hdr_len octets whose ethertype sits at type_at. */
static ikh_err link_fixed(ikh_rd *rd, size_t hdr_len, size_t type_at,
                          unsigned *ipver, size_t *err_off)
{
    size_t start = ikh_rd_offset(rd);
    ikh_rd hdr = ikh_rd_sub(rd, hdr_len, IKH_ERR_PKT_LINK_TRUNCATED);
    (void)ikh_rd_bytes(&hdr, type_at);
    uint16_t type = ikh_rd_u16(&hdr);
    if (ikh_rd_error(rd) != IKH_OK || ikh_rd_error(&hdr) != IKH_OK) {
        *err_off = ikh_rd_error(rd) != IKH_OK ? rd->err_off : hdr.err_off;
        return IKH_ERR_PKT_LINK_TRUNCATED;
    }
    return link_ethertype(rd, type, start + type_at, ipver, err_off);
}

ikh_err ikh_frame_link_strip(int linktype, ikh_rd *rd, unsigned *ipver,
                             size_t *err_off)
{
    *ipver = 0;
    switch (linktype) {
    case IKH_LINK_ETHERNET:
        return link_fixed(rd, LINK_ETH_ADDRS_LEN + 2, LINK_ETH_ADDRS_LEN, ipver,
                          err_off);
    case IKH_LINK_NULL:
    case IKH_LINK_LOOP:
        return link_family(rd, ipver, err_off);
    case IKH_LINK_LINUX_SLL:
        return link_fixed(rd, LINK_SLL_LEN, LINK_SLL_PROTO_AT, ipver, err_off);
    case IKH_LINK_LINUX_SLL2:
        return link_fixed(rd, LINK_SLL2_LEN, 0, ipver, err_off);
    default: /* raw IP: nothing to strip */
        return IKH_OK;
    }
}
