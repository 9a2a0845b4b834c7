/* SPDX-License-Identifier: MIT */
/*
 * Writing classic pcap files (microsecond timestamps) with synthetic
 * link, IPv4/IPv6 and UDP headers around each datagram, so tshark and
 * Wireshark decode the IKE messages as they would a real capture.
 *
 * Output is byte-for-byte deterministic: the file is little-endian
 * whatever the host, MAC addresses are fixed, IPv4 Identification is 0
 * with DF set (RFC 6864 atomic datagram), TTL / hop limit 64, and both
 * the IPv4 header checksum and the UDP checksum (IPv4 and IPv6 pseudo
 * headers, RFC 768 / RFC 8200 §8.1) are computed, except that the tap
 * writes UDP-encapsulated ESP and NAT-keepalives over IPv4 with a zero UDP
 * checksum, as RFC 3948 §2.1 and §2.3 want them sent. Fragmented datagrams
 * (ikh_capw_udp_frag) take their Identification from a per-writer counter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capw_int.h"
#include "ikh/bytes.h"
#include "ikh/pcap.h"

enum {
    PCAP_MAGIC_USEC = 0xA1B2C3D4u,
    PCAP_VERSION_MAJOR = 2,
    PCAP_VERSION_MINOR = 4,
    CAPW_SNAPLEN = 262144,
    CAPW_FILE_HDR_LEN = 24,
    CAPW_REC_HDR_LEN = 16,
    CAPW_LINK_MAX = 20,  /* SLL2, the longest link header */
    CAPW_IP_MAX = 65535, /* an IPv4 packet, an IPv6 payload + 40 below */
    CAPW_UDP_MAX_PAYLOAD = 65507,
    ETH_P_IPV4 = 0x0800,
    ETH_P_IPV6 = 0x86DD,
    AFNUM_INET = 2,
    AFNUM_INET6_BSD =
        24, /* the AF_INET6 tcpdump and tshark accept everywhere */
    ARPHRD_ETHER = 1,
    PACKET_HOST = 0,
    IP_PROTO_UDP = 17,
    IP_PROTO_ESP = 50,
    IP_PROTO_FRAGMENT = 44,
    IPV4_HDR_LEN = 20,
    IPV6_HDR_LEN = 40,
    IPV6_FRAG_HDR_LEN = 8,
    UDP_HDR_LEN = 8,
    CAPW_TTL = 64,
    IPV4_FLAG_DF = 0x4000,
    IPV4_FLAG_MF = 0x2000,
};

/* Record header + link + IPv6 + UDP + the largest payload fit. */
#define CAPW_BUF_LEN                                                           \
    (CAPW_REC_HDR_LEN + CAPW_LINK_MAX + IPV6_HDR_LEN + UDP_HDR_LEN +           \
     CAPW_IP_MAX)

static const uint8_t capw_mac_src[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t capw_mac_dst[6] = {0x02, 0, 0, 0, 0, 0x02};

struct ikh_capw {
    FILE *f;
    int linktype;
    ikh_err err;      /* sticky IO_WRITE */
    uint32_t frag_id; /* Identification of the last fragmented datagram */
    uint8_t buf[CAPW_BUF_LEN];
};

static void wr_le16(ikh_wr *w, uint16_t v)
{
    ikh_wr_u8(w, (uint8_t)v);
    ikh_wr_u8(w, (uint8_t)(v >> 8));
}

static void wr_le32(ikh_wr *w, uint32_t v)
{
    wr_le16(w, (uint16_t)v);
    wr_le16(w, (uint16_t)(v >> 16));
}

static bool capw_linktype_ok(int lt)
{
    return lt == IKH_LINK_NULL || lt == IKH_LINK_ETHERNET ||
           lt == IKH_LINK_RAW || lt == IKH_LINK_LOOP ||
           lt == IKH_LINK_LINUX_SLL || lt == IKH_LINK_LINUX_SLL2;
}

/* One's-complement sum of s as big-endian 16-bit words (odd tail padded). */
static uint32_t csum_add_span(uint32_t acc, ikh_span s)
{
    ikh_rd rd = ikh_rd_init(s.p, s.len);
    while (ikh_rd_left(&rd) >= 2) {
        acc += ikh_rd_u16(&rd);
        acc = (acc & 0xFFFFu) + (acc >> 16);
    }
    if (ikh_rd_left(&rd) == 1)
        acc += (uint32_t)ikh_rd_u8(&rd) << 8;
    return acc;
}

static uint16_t csum_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xFFFFu) + (acc >> 16);
    return (uint16_t)~acc;
}

static ikh_span addr_span(const ikh_addr *a)
{
    return ikh_span_of(a->a, a->family == 4 ? 4u : 16u);
}

static size_t capw_link_len(int linktype)
{
    switch (linktype) {
    case IKH_LINK_ETHERNET:
        return 14;
    case IKH_LINK_NULL:
    case IKH_LINK_LOOP:
        return 4;
    case IKH_LINK_LINUX_SLL:
        return 16;
    case IKH_LINK_LINUX_SLL2:
        return CAPW_LINK_MAX;
    default:
        return 0;
    }
}

/* Link header (capw_link_len() octets) for a packet of that IP version. */
static void capw_link(ikh_wr *w, int linktype, unsigned ipver)
{
    uint16_t etype = ipver == 6 ? ETH_P_IPV6 : ETH_P_IPV4;
    uint32_t fam = ipver == 6 ? AFNUM_INET6_BSD : AFNUM_INET;
    uint8_t pad[2] = {0, 0};
    switch (linktype) {
    case IKH_LINK_ETHERNET:
        ikh_wr_span(w, ikh_span_of(capw_mac_dst, 6));
        ikh_wr_span(w, ikh_span_of(capw_mac_src, 6));
        ikh_wr_u16(w, etype);
        break;
    case IKH_LINK_NULL: /* host order of the capturing machine: we say LE */
        wr_le32(w, fam);
        break;
    case IKH_LINK_LOOP: /* network order */
        ikh_wr_u32(w, fam);
        break;
    case IKH_LINK_LINUX_SLL:
        ikh_wr_u16(w, PACKET_HOST);
        ikh_wr_u16(w, ARPHRD_ETHER);
        ikh_wr_u16(w, 6);
        ikh_wr_span(w, ikh_span_of(capw_mac_src, 6));
        ikh_wr_span(w, ikh_span_of(pad, 2));
        ikh_wr_u16(w, etype);
        break;
    case IKH_LINK_LINUX_SLL2:
        ikh_wr_u16(w, etype);
        ikh_wr_u16(w, 0); /* reserved */
        ikh_wr_u32(w, 1); /* interface index */
        ikh_wr_u16(w, ARPHRD_ETHER);
        ikh_wr_u8(w, PACKET_HOST);
        ikh_wr_u8(w, 6);
        ikh_wr_span(w, ikh_span_of(capw_mac_src, 6));
        ikh_wr_span(w, ikh_span_of(pad, 2));
        break;
    default: /* raw IP */
        break;
    }
}

/* IPv4 header carrying proto (checksum computed from the field values);
 * frag is the flags + fragment offset field. */
static void capw_ipv4_hdr(ikh_wr *w, const ikh_addr *src, const ikh_addr *dst,
                          size_t upper_len, uint16_t id, uint16_t frag,
                          uint8_t proto)
{
    uint16_t total = (uint16_t)(IPV4_HDR_LEN + upper_len);
    uint32_t acc =
        0x4500u + total + id + frag + ((uint32_t)CAPW_TTL << 8 | proto);
    acc = csum_add_span(acc, addr_span(src));
    acc = csum_add_span(acc, addr_span(dst));
    ikh_wr_u16(w, 0x4500u); /* version 4, IHL 5, DSCP/ECN 0 */
    ikh_wr_u16(w, total);
    ikh_wr_u16(w, id);
    ikh_wr_u16(w, frag);
    ikh_wr_u8(w, CAPW_TTL);
    ikh_wr_u8(w, proto);
    ikh_wr_u16(w, csum_fold(acc));
    ikh_wr_span(w, addr_span(src));
    ikh_wr_span(w, addr_span(dst));
}

/* IPv6 fixed header: payload_len octets follow, the first named by nh. */
static void capw_ipv6_hdr(ikh_wr *w, const ikh_addr *src, const ikh_addr *dst,
                          size_t payload_len, uint8_t nh)
{
    ikh_wr_u32(w, 0x60000000u);
    ikh_wr_u16(w, (uint16_t)payload_len);
    ikh_wr_u8(w, nh);
    ikh_wr_u8(w, CAPW_TTL);
    ikh_wr_span(w, addr_span(src));
    ikh_wr_span(w, addr_span(dst));
}

/* IPv4 header (Identification 0, DF) or IPv6 header of a whole datagram. */
static void capw_ip_hdr(ikh_wr *w, const ikh_addr *src, const ikh_addr *dst,
                        size_t upper_len, uint8_t proto)
{
    if (src->family == 6)
        capw_ipv6_hdr(w, src, dst, upper_len, proto);
    else
        capw_ipv4_hdr(w, src, dst, upper_len, 0, IPV4_FLAG_DF, proto);
}

static uint16_t capw_udp_csum(const ikh_addr *src, const ikh_addr *dst,
                              uint16_t sport, uint16_t dport, ikh_span payload)
{
    uint32_t ulen = (uint32_t)(UDP_HDR_LEN + payload.len);
    uint32_t acc = csum_add_span(0, addr_span(src));
    acc = csum_add_span(acc, addr_span(dst));
    acc += IP_PROTO_UDP + (ulen >> 16) + (ulen & 0xFFFFu); /* pseudo header */
    acc += sport;
    acc += dport;
    acc += ulen & 0xFFFFu; /* the UDP Length field itself */
    acc = csum_add_span(acc, payload);
    uint16_t c = csum_fold(acc);
    return c == 0 ? 0xFFFFu : c; /* 0 means "no checksum" (RFC 768) */
}

static ikh_err capw_emit(ikh_capw *w, const ikh_wr *wr)
{
    if (ikh_wr_error(wr) != IKH_OK)
        return IKH_ERR_ARG_INVALID; /* cannot happen with the checked sizes */
    ikh_span s = ikh_wr_span_of(wr);
    if (fwrite(s.p, 1, s.len, w->f) != s.len)
        w->err = IKH_ERR_IO_WRITE;
    return w->err;
}

/* Start a record into w->buf: header with caplen = len = link + ip_len,
 * then the link header. */
static ikh_err capw_record(ikh_capw *w, ikh_wr *wr, uint64_t ts_usec,
                           unsigned ipver, size_t ip_len)
{
    uint64_t sec = ts_usec / 1000000u;
    if (sec > UINT32_MAX)
        return IKH_ERR_ARG_RANGE;
    uint32_t len = (uint32_t)(capw_link_len(w->linktype) + ip_len);
    *wr = ikh_wr_init(w->buf, sizeof w->buf);
    wr_le32(wr, (uint32_t)sec);
    wr_le32(wr, (uint32_t)(ts_usec % 1000000u));
    wr_le32(wr, len);
    wr_le32(wr, len);
    capw_link(wr, w->linktype, ipver);
    return IKH_OK;
}

ikh_err ikh_capw_open(const char *path, int linktype, ikh_capw **out)
{
    if (out == NULL || path == NULL)
        return IKH_ERR_ARG_INVALID;
    *out = NULL;
    if (!capw_linktype_ok(linktype))
        return IKH_ERR_PCAP_LINKTYPE;
    ikh_capw *w = calloc(1, sizeof *w);
    if (w == NULL)
        return IKH_ERR_ENV_NOMEM;
    w->f = fopen(path, "wb");
    if (w->f == NULL) {
        free(w);
        return IKH_ERR_IO_OPEN;
    }
    w->linktype = linktype;
    ikh_wr wr = ikh_wr_init(w->buf, sizeof w->buf);
    wr_le32(&wr, PCAP_MAGIC_USEC);
    wr_le16(&wr, PCAP_VERSION_MAJOR);
    wr_le16(&wr, PCAP_VERSION_MINOR);
    wr_le32(&wr, 0); /* thiszone */
    wr_le32(&wr, 0); /* sigfigs */
    wr_le32(&wr, CAPW_SNAPLEN);
    wr_le32(&wr, (uint32_t)linktype);
    if (capw_emit(w, &wr) != IKH_OK) {
        fclose(w->f);
        free(w);
        return IKH_ERR_IO_WRITE;
    }
    *out = w;
    return IKH_OK;
}

static bool capw_udp_args_ok(const ikh_capw *w, const ikh_addr *src,
                             const ikh_addr *dst, ikh_span payload)
{
    return w != NULL && src != NULL && dst != NULL &&
           (src->family == 4 || src->family == 6) &&
           src->family == dst->family && payload.len <= CAPW_UDP_MAX_PAYLOAD &&
           (payload.p != NULL || payload.len == 0);
}

ikh_err ikh_capw_udp(ikh_capw *w, uint64_t ts_usec, const ikh_addr *src,
                     uint16_t sport, const ikh_addr *dst, uint16_t dport,
                     ikh_span payload)
{
    if (!capw_udp_args_ok(w, src, dst, payload))
        return IKH_ERR_ARG_INVALID;
    if (w->err != IKH_OK)
        return w->err;
    size_t ip_len = ikh_capw_ip_len(src->family, true, payload.len);
    ikh_wr wr;
    IKH_TRY(capw_record(w, &wr, ts_usec, src->family, ip_len));
    ikh_capw_ip_udp(&wr, src, dst, IKH_CAPW_UDP, sport, dport, payload);
    return capw_emit(w, &wr);
}

size_t ikh_capw_ip_len(unsigned family, bool udp, size_t payload_len)
{
    return (family == 6 ? IPV6_HDR_LEN : IPV4_HDR_LEN) +
           (udp ? UDP_HDR_LEN : 0u) + payload_len;
}

size_t ikh_capw_link_len(int linktype)
{
    return capw_link_len(linktype);
}

void ikh_capw_link_hdr(ikh_wr *w, int linktype, unsigned ipver)
{
    capw_link(w, linktype, ipver);
}

void ikh_capw_ip_udp(ikh_wr *w, const ikh_addr *src, const ikh_addr *dst,
                     ikh_capw_l4 l4, uint16_t sport, uint16_t dport,
                     ikh_span payload)
{
    if (l4 == IKH_CAPW_ESP_IP) {
        capw_ip_hdr(w, src, dst, payload.len, IP_PROTO_ESP);
        ikh_wr_span(w, payload);
        return;
    }
    size_t udp_len = UDP_HDR_LEN + payload.len;
    capw_ip_hdr(w, src, dst, udp_len, IP_PROTO_UDP);
    ikh_wr_u16(w, sport);
    ikh_wr_u16(w, dport);
    ikh_wr_u16(w, (uint16_t)udp_len);
    bool zero = l4 == IKH_CAPW_UDP_ENCAP && src->family == 4;
    ikh_wr_u16(w, zero ? 0 : capw_udp_csum(src, dst, sport, dport, payload));
    ikh_wr_span(w, payload);
}

/* Octets [off, off + n) of the UDP datagram udp_hdr || payload. */
static void capw_udp_slice(ikh_wr *wr, ikh_span udp_hdr, ikh_span payload,
                           size_t off, size_t n)
{
    ikh_rd h = ikh_rd_init(udp_hdr.p, udp_hdr.len);
    ikh_rd p = ikh_rd_init(payload.p, payload.len);
    if (off < udp_hdr.len) {
        size_t k = udp_hdr.len - off < n ? udp_hdr.len - off : n;
        (void)ikh_rd_bytes(&h, off);
        ikh_wr_span(wr, ikh_rd_bytes(&h, k));
        off += k;
        n -= k;
    }
    (void)ikh_rd_bytes(&p, off - udp_hdr.len);
    ikh_wr_span(wr, ikh_rd_bytes(&p, n));
}

/* One fragment: IP header(s), then n octets of the datagram at off. */
static ikh_err capw_frag_one(ikh_capw *w, uint64_t ts_usec, const ikh_addr *src,
                             const ikh_addr *dst, ikh_span udp_hdr,
                             ikh_span payload, size_t off, size_t n, bool more)
{
    bool v6 = src->family == 6;
    size_t hdr = v6 ? IPV6_HDR_LEN + IPV6_FRAG_HDR_LEN : IPV4_HDR_LEN;
    ikh_wr wr;
    IKH_TRY(capw_record(w, &wr, ts_usec, src->family, hdr + n));
    if (v6) {
        capw_ipv6_hdr(&wr, src, dst, IPV6_FRAG_HDR_LEN + n, IP_PROTO_FRAGMENT);
        ikh_wr_u8(&wr, IP_PROTO_UDP);                        /* Next Header */
        ikh_wr_u8(&wr, 0);                                   /* reserved */
        ikh_wr_u16(&wr, (uint16_t)(off | (more ? 1u : 0u))); /* off/8 << 3 */
        ikh_wr_u32(&wr, w->frag_id);
    } else {
        uint16_t frag = (uint16_t)((more ? IPV4_FLAG_MF : 0) | (off / 8u));
        capw_ipv4_hdr(&wr, src, dst, n, (uint16_t)w->frag_id, frag,
                      IP_PROTO_UDP);
    }
    capw_udp_slice(&wr, udp_hdr, payload, off, n);
    return capw_emit(w, &wr);
}

ikh_err ikh_capw_udp_frag(ikh_capw *w, uint64_t ts_usec, const ikh_addr *src,
                          uint16_t sport, const ikh_addr *dst, uint16_t dport,
                          ikh_span payload, size_t mtu)
{
    if (!capw_udp_args_ok(w, src, dst, payload))
        return IKH_ERR_ARG_INVALID;
    bool v6 = src->family == 6;
    size_t hdr = v6 ? IPV6_HDR_LEN + IPV6_FRAG_HDR_LEN : IPV4_HDR_LEN;
    if (mtu < hdr + 8u)
        return IKH_ERR_ARG_INVALID;
    if (mtu > CAPW_IP_MAX)
        mtu = CAPW_IP_MAX;
    size_t udp_len = UDP_HDR_LEN + payload.len;
    if ((v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN) + udp_len <= mtu)
        return ikh_capw_udp(w, ts_usec, src, sport, dst, dport, payload);
    if (w->err != IKH_OK)
        return w->err;
    if (ts_usec / 1000000u > UINT32_MAX)
        return IKH_ERR_ARG_RANGE;
    uint8_t uh[UDP_HDR_LEN];
    ikh_wr hw = ikh_wr_init(uh, sizeof uh);
    ikh_wr_u16(&hw, sport);
    ikh_wr_u16(&hw, dport);
    ikh_wr_u16(&hw, (uint16_t)udp_len);
    ikh_wr_u16(&hw, capw_udp_csum(src, dst, sport, dport, payload));
    do /* 0 is no Identification: skip it */
        w->frag_id++;
    while ((v6 ? w->frag_id : (w->frag_id & 0xFFFFu)) == 0);
    if (!v6)
        w->frag_id &= 0xFFFFu;
    size_t step = (mtu - hdr) / 8u * 8u;
    for (size_t off = 0; off < udp_len; off += step) {
        bool more = udp_len - off > step;
        size_t n = more ? step : udp_len - off;
        IKH_TRY(capw_frag_one(w, ts_usec, src, dst, ikh_wr_span_of(&hw),
                              payload, off, n, more));
    }
    return IKH_OK;
}

ikh_err ikh_capw_ip(ikh_capw *w, uint64_t ts_usec, ikh_span ip)
{
    if (w == NULL || ip.len > CAPW_IP_MAX || (ip.p == NULL && ip.len != 0))
        return IKH_ERR_ARG_INVALID;
    if (w->err != IKH_OK)
        return w->err;
    ikh_rd rd = ikh_rd_init(ip.p, ip.len);
    unsigned ipver = (ikh_rd_u8(&rd) >> 4) == 6 ? 6u : 4u;
    ikh_wr wr;
    IKH_TRY(capw_record(w, &wr, ts_usec, ipver, ip.len));
    ikh_wr_span(&wr, ip);
    return capw_emit(w, &wr);
}

ikh_err ikh_capw_close(ikh_capw *w)
{
    if (w == NULL)
        return IKH_OK;
    ikh_err e = w->err;
    if (fclose(w->f) != 0)
        e = IKH_ERR_IO_WRITE;
    free(w);
    return e;
}
