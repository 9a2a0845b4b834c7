/* SPDX-License-Identifier: MIT */
/*
 * Taking a captured frame apart down to the IKE message: link layer
 * (frame_link.c), IPv4 or IPv6 (extension headers walked), UDP, then the
 * RFC 3948 §2.2 classification of the payload. A fragment stops the walk
 * at the IP layer (PKT_IP_FRAGMENT) and is described for reasm.c; once
 * reasm.c has the whole datagram, ikh_frame_decode_reasm() walks its
 * payload with the same code as an unfragmented packet's.
 *
 * Every byte is read through ikh_rd. Each layer hands the next a reader
 * over the octets it captured plus the length its header declared
 * ("wire"), which is larger only when the capture's snap length cut the
 * frame: that is how a cut is told from a lying length field.
 *
 * Problems are not returned: they land in fr->err / fr->err_offset with
 * kind IKH_FRAME_OTHER, and the caller goes on with the next record.
 * Offsets are from the start of the frame; a truncation error points at
 * the start of the header (or field) that does not fit, a bad field at
 * that field.
 */
#include <string.h>

#include "frame_int.h"

enum {
    IP_PROTO_HOPOPTS = 0,
    IP_PROTO_UDP = 17,
    IP_PROTO_ROUTING = 43,
    IP_PROTO_FRAGMENT = 44,
    IP_PROTO_ESP = 50,
    IP_PROTO_DSTOPTS = 60,
    IPV4_HDR_MIN = 20,
    IPV6_HDR_LEN = 40,
    UDP_HDR_LEN = 8,
    IKE_PORT = 500,
    NATT_PORT = 4500,
    NON_ESP_MARKER_LEN = 4,
    NAT_KEEPALIVE_OCTET = 0xFF,
};

/* The IP payload as captured, and what the headers say about it. */
typedef struct ip_payload {
    ikh_rd rd;       /* captured octets of the payload */
    size_t wire_len; /* payload length the header declares (>= captured) */
    uint8_t proto;   /* upper-layer protocol */
    size_t proto_at; /* offset of the field that named proto */
} ip_payload;

typedef struct frame_ctx {
    ikh_frame *fr;
    size_t caplen;     /* octets captured */
    size_t missing;    /* octets the snap length cut off (origlen - caplen) */
    ikh_frag_info *fi; /* where to describe a fragment, or NULL */
} frame_ctx;

static ikh_err fail_at(frame_ctx *cx, ikh_err code, size_t off)
{
    cx->fr->err_offset = off;
    return code;
}

/*
 * A header says `declared` octets follow where `left` are captured: fine
 * when they are there, a snap-length cut when the missing part fits in what
 * the capture dropped, a lie otherwise.
 */
static bool len_believable(const frame_ctx *cx, size_t declared, size_t left)
{
    return declared <= left || declared - left <= cx->missing;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static void addr_take(ikh_addr *a, uint8_t family, ikh_span s)
{
    a->family = family;
    memcpy(a->a, s.p, s.len); /* s comes from ikh_rd_bytes: 4 or 16 octets */
}

/* A fragment: describe it for the reassembler (pl holds its data). */
static ikh_err frag_found(frame_ctx *cx, const ip_payload *pl, uint8_t ipver,
                          uint32_t id, size_t off, bool more, size_t at)
{
    if (cx->fi != NULL) {
        ikh_rd data = pl->rd;
        cx->fi->is_frag = true;
        cx->fi->ipver = ipver;
        cx->fi->proto = pl->proto;
        cx->fi->id = id;
        cx->fi->off = off;
        cx->fi->more = more;
        cx->fi->data = ikh_rd_rest(&data);
        cx->fi->cut = cx->fi->data.len < pl->wire_len;
    }
    return fail_at(cx, IKH_ERR_PKT_IP_FRAGMENT, at);
}

static ikh_err ipv4_parse(frame_ctx *cx, ikh_rd *rd, ip_payload *out)
{
    size_t start = ikh_rd_offset(rd);
    size_t left = ikh_rd_left(rd);
    uint8_t vihl = ikh_rd_u8(rd);
    if (ikh_rd_error(rd) == IKH_OK && (vihl >> 4) != 4)
        return fail_at(cx, IKH_ERR_PKT_IP_BAD, start);
    size_t ihl = (size_t)(vihl & 0x0Fu) * 4u;
    if (ikh_rd_error(rd) == IKH_OK && ihl < IPV4_HDR_MIN)
        return fail_at(cx, IKH_ERR_PKT_IP_BAD, start);
    (void)ikh_rd_u8(rd); /* DSCP/ECN */
    uint16_t total = ikh_rd_u16(rd);
    uint16_t ident = ikh_rd_u16(rd);
    uint16_t frag = ikh_rd_u16(rd);
    (void)ikh_rd_u8(rd); /* TTL */
    uint8_t proto = ikh_rd_u8(rd);
    (void)ikh_rd_u16(rd); /* header checksum: not checked (offloading) */
    ikh_span src = ikh_rd_bytes(rd, 4);
    ikh_span dst = ikh_rd_bytes(rd, 4);
    if (ikh_rd_error(rd) != IKH_OK)
        return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start);
    addr_take(&cx->fr->src, 4, src);
    addr_take(&cx->fr->dst, 4, dst);
    if (total < ihl)
        return fail_at(cx, IKH_ERR_PKT_IP_BAD, start + 2);
    if (!len_believable(cx, total, left))
        return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start + 2);
    (void)ikh_rd_bytes(rd, ihl - IPV4_HDR_MIN); /* options */
    if (ikh_rd_error(rd) != IKH_OK)
        return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start);
    out->wire_len = total - ihl;
    out->rd = ikh_rd_sub(rd, min_size(out->wire_len, ikh_rd_left(rd)),
                         IKH_ERR_PKT_IP_TRUNCATED);
    out->proto = proto;
    out->proto_at = start + 9;
    if ((frag & 0x3FFFu) != 0) /* MF set or a non-zero fragment offset */
        return frag_found(cx, out, 4, ident, (size_t)(frag & 0x1FFFu) * 8u,
                          (frag & 0x2000u) != 0, start + 6);
    return IKH_OK;
}

/*
 * Walk the IPv6 extension headers that may precede UDP/ESP: hop-by-hop,
 * routing, destination options, fragment (walked past when atomic, RFC
 * 6946; otherwise the walk stops there with the fragmentable part left in
 * pl, RFC 8200 §4.5).
 */
static ikh_err ipv6_ext_walk(frame_ctx *cx, ip_payload *pl, bool cut)
{
    for (unsigned n = 0;; n++) {
        uint8_t nh = pl->proto;
        if (nh != IP_PROTO_HOPOPTS && nh != IP_PROTO_ROUTING &&
            nh != IP_PROTO_DSTOPTS && nh != IP_PROTO_FRAGMENT)
            return IKH_OK;
        size_t at = ikh_rd_offset(&pl->rd);
        if (n == IKH_PCAP_MAX_IPV6_EXT)
            return fail_at(cx, IKH_ERR_PKT_IP_BAD, at);
        uint8_t next = ikh_rd_u8(&pl->rd);
        uint8_t b1 = ikh_rd_u8(&pl->rd);
        uint16_t b2 = ikh_rd_u16(&pl->rd); /* fragment: offset, res, M */
        size_t ext_len = nh == IP_PROTO_FRAGMENT ? 8u : ((size_t)b1 + 1u) * 8u;
        uint32_t ident = 0;
        if (nh == IP_PROTO_FRAGMENT)
            ident = ikh_rd_u32(&pl->rd);
        else
            (void)ikh_rd_bytes(&pl->rd, ext_len - 4u);
        if (ikh_rd_error(&pl->rd) != IKH_OK)
            /* past what was captured (a cut) or past Payload Length */
            return fail_at(
                cx, cut ? IKH_ERR_PKT_IP_TRUNCATED : IKH_ERR_PKT_IP_BAD, at);
        pl->wire_len -= ext_len;
        pl->proto = next;
        pl->proto_at = at;
        if (nh == IP_PROTO_FRAGMENT && (b2 & 0xFFF9u) != 0)
            return frag_found(cx, pl, 6, ident, b2 & 0xFFF8u, (b2 & 1u) != 0,
                              at);
    }
}

static ikh_err ipv6_parse(frame_ctx *cx, ikh_rd *rd, ip_payload *out)
{
    size_t start = ikh_rd_offset(rd);
    uint8_t v = ikh_rd_u8(rd);
    if (ikh_rd_error(rd) == IKH_OK && (v >> 4) != 6)
        return fail_at(cx, IKH_ERR_PKT_IP_BAD, start);
    (void)ikh_rd_bytes(rd, 3); /* traffic class, flow label */
    uint16_t plen = ikh_rd_u16(rd);
    uint8_t nh = ikh_rd_u8(rd);
    (void)ikh_rd_u8(rd); /* hop limit */
    ikh_span src = ikh_rd_bytes(rd, 16);
    ikh_span dst = ikh_rd_bytes(rd, 16);
    if (ikh_rd_error(rd) != IKH_OK)
        return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start);
    addr_take(&cx->fr->src, 6, src);
    addr_take(&cx->fr->dst, 6, dst);
    size_t left = ikh_rd_left(rd);
    if (!len_believable(cx, plen, left))
        return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start + 4);
    out->wire_len = plen;
    out->rd = ikh_rd_sub(rd, min_size(plen, left), IKH_ERR_PKT_IP_TRUNCATED);
    out->proto = nh;
    out->proto_at = start + 6;
    return ipv6_ext_walk(cx, out, plen > left);
}

/* Link header gone: IPv4 or IPv6 as the link layer (or the nibble) says. */
static ikh_err ip_parse(frame_ctx *cx, ikh_rd *rd, unsigned ipver,
                        ip_payload *out)
{
    size_t start = ikh_rd_offset(rd);
    if (ipver == 0) {
        ikh_rd peek = *rd;
        uint8_t v = ikh_rd_u8(&peek);
        if (ikh_rd_error(&peek) != IKH_OK)
            return fail_at(cx, IKH_ERR_PKT_IP_TRUNCATED, start);
        ipver = v >> 4;
        if (ipver != 4 && ipver != 6)
            return fail_at(cx, IKH_ERR_PKT_NOT_IP, start);
    }
    return ipver == 4 ? ipv4_parse(cx, rd, out) : ipv6_parse(cx, rd, out);
}

/*
 * The UDP payload (captured part in rd, wire_len declared), classified per
 * RFC 3948 §2.2: port 500 is IKE; elsewhere a zero non-ESP marker is IKE,
 * a lone 0xFF is a keepalive, anything else on 4500 is ESP. (Anything
 * else elsewhere is PKT_NOT_IKE here; ikh_cap_next() makes it ESP on a
 * flow that carried marked IKE, which one frame cannot tell.)
 */
static ikh_err udp_classify(frame_ctx *cx, ikh_rd *rd, size_t wire_len)
{
    ikh_frame *fr = cx->fr;
    size_t at = ikh_rd_offset(rd);
    bool cut = ikh_rd_left(rd) < wire_len;
    fr->ike_offset = at;
    ikh_rd all = *rd;
    fr->udp_data = ikh_rd_rest(&all);
    fr->udp_data_len = wire_len;
    if (fr->sport == IKE_PORT || fr->dport == IKE_PORT) {
        fr->ike = ikh_rd_rest(rd);
        fr->kind = IKH_FRAME_IKE;
        return cut ? fail_at(cx, IKH_ERR_PCAP_SNAPLEN, cx->caplen) : IKH_OK;
    }
    ikh_rd body = *rd;
    if (wire_len == 1 && !cut && ikh_rd_u8(&body) == NAT_KEEPALIVE_OCTET) {
        fr->kind = IKH_FRAME_NAT_KEEPALIVE;
        return IKH_OK;
    }
    if (ikh_rd_left(rd) < min_size(wire_len, NON_ESP_MARKER_LEN))
        return fail_at(cx, IKH_ERR_PCAP_SNAPLEN, cx->caplen); /* cut */
    if (wire_len < NON_ESP_MARKER_LEN)
        return fail_at(cx, IKH_ERR_PKT_NOT_IKE, at);
    body = *rd;
    if (ikh_rd_u32(&body) == 0) {
        fr->non_esp_marker = true;
        fr->ike_offset = at + NON_ESP_MARKER_LEN;
        fr->ike = ikh_rd_rest(&body);
        fr->kind = IKH_FRAME_IKE;
    } else if (fr->sport == NATT_PORT || fr->dport == NATT_PORT) {
        fr->esp = ikh_rd_rest(rd);
        fr->kind = IKH_FRAME_ESP;
    } else {
        return fail_at(cx, IKH_ERR_PKT_NOT_IKE, at);
    }
    return cut ? fail_at(cx, IKH_ERR_PCAP_SNAPLEN, cx->caplen) : IKH_OK;
}

static ikh_err udp_parse(frame_ctx *cx, ip_payload *pl)
{
    ikh_frame *fr = cx->fr;
    size_t start = ikh_rd_offset(&pl->rd);
    fr->sport = ikh_rd_u16(&pl->rd);
    fr->dport = ikh_rd_u16(&pl->rd);
    uint16_t ulen = ikh_rd_u16(&pl->rd);
    /* checksum: kept (RFC 3948 §2.1 wants 0 on IPv4 ESP in UDP), not
     * verified (offloading) */
    fr->udp_csum = ikh_rd_u16(&pl->rd);
    if (ikh_rd_error(&pl->rd) != IKH_OK) {
        fr->sport = fr->dport = 0;
        return fail_at(cx, IKH_ERR_PKT_UDP_TRUNCATED, start);
    }
    fr->udp = true;
    /* Length below the header, or past the IP payload (octets after it are
     * IP padding and ignored). */
    if (ulen < UDP_HDR_LEN || ulen > pl->wire_len)
        return fail_at(cx, IKH_ERR_PKT_UDP_TRUNCATED, start + 4);
    size_t wire = (size_t)ulen - UDP_HDR_LEN;
    ikh_rd body = ikh_rd_sub(&pl->rd, min_size(wire, ikh_rd_left(&pl->rd)),
                             IKH_ERR_PKT_UDP_TRUNCATED);
    return udp_classify(cx, &body, wire);
}

/* The IP payload: UDP, or ESP over IP (RFC 4303). */
static ikh_err frame_upper(frame_ctx *cx, ip_payload *pl)
{
    if (pl->proto == IP_PROTO_UDP)
        return udp_parse(cx, pl);
    if (pl->proto != IP_PROTO_ESP)
        return fail_at(cx, IKH_ERR_PKT_NOT_UDP, pl->proto_at);
    cx->fr->ike_offset = ikh_rd_offset(&pl->rd);
    cx->fr->esp = ikh_rd_rest(&pl->rd);
    cx->fr->kind = IKH_FRAME_ESP;
    if (cx->fr->esp.len < pl->wire_len)
        return fail_at(cx, IKH_ERR_PCAP_SNAPLEN, cx->caplen);
    return IKH_OK;
}

static ikh_err frame_walk(frame_ctx *cx, int linktype, ikh_rd *rd)
{
    unsigned ipver = 0;
    size_t off = 0;
    ikh_err e = ikh_frame_link_strip(linktype, rd, &ipver, &off);
    if (e != IKH_OK)
        return fail_at(cx, e, off);
    ip_payload pl;
    memset(&pl, 0, sizeof pl);
    IKH_TRY(ip_parse(cx, rd, ipver, &pl));
    return frame_upper(cx, &pl);
}

void ikh_frame_decode_reasm(ikh_frame *fr, unsigned ipver, uint8_t proto,
                            ikh_span payload)
{
    fr->kind = IKH_FRAME_OTHER;
    fr->err = IKH_OK;
    fr->err_offset = 0;
    fr->sport = fr->dport = 0;
    fr->udp = fr->non_esp_marker = false;
    fr->ike_offset = 0;
    fr->ike = fr->esp = ikh_span_of(NULL, 0);
    /* The whole datagram is there: nothing is cut. The field that named
     * proto sits in the fragments' headers, so its offset is 0. */
    frame_ctx cx = {fr, payload.len, 0, NULL};
    ip_payload pl;
    memset(&pl, 0, sizeof pl);
    pl.rd = ikh_rd_init(payload.p, payload.len);
    pl.wire_len = payload.len;
    pl.proto = proto;
    ikh_err e = ipver == 6 ? ipv6_ext_walk(&cx, &pl, false) : IKH_OK;
    if (e == IKH_OK)
        e = frame_upper(&cx, &pl);
    if (e != IKH_OK) {
        fr->kind = IKH_FRAME_OTHER;
        fr->err = e;
    }
}

ikh_err ikh_frame_decode_frag(int linktype, const uint8_t *p, size_t caplen,
                              size_t origlen, ikh_frame *fr, ikh_frag_info *fi)
{
    if (fi != NULL)
        memset(fi, 0, sizeof *fi);
    if (fr == NULL)
        return IKH_ERR_ARG_INVALID;
    memset(fr, 0, sizeof *fr);
    if (p == NULL)
        caplen = 0;
    fr->caplen = caplen > UINT32_MAX ? UINT32_MAX : (uint32_t)caplen;
    fr->origlen = origlen > UINT32_MAX ? UINT32_MAX : (uint32_t)origlen;
    if (!ikh_frame_link_supported(linktype)) {
        fr->err = IKH_ERR_PCAP_LINKTYPE;
        return IKH_ERR_PCAP_LINKTYPE;
    }
    frame_ctx cx = {fr, caplen, origlen > caplen ? origlen - caplen : 0, fi};
    ikh_rd rd = ikh_rd_init(p, caplen);
    ikh_err e = frame_walk(&cx, linktype, &rd);
    if (e != IKH_OK) {
        /* Whatever was found, kind is OTHER now; a cut IKE/ESP message
         * keeps its span over the captured part (PCAP_SNAPLEN). */
        fr->kind = IKH_FRAME_OTHER;
        fr->err = e;
    }
    return IKH_OK;
}

ikh_err ikh_frame_decode_snap(int linktype, const uint8_t *p, size_t caplen,
                              size_t origlen, ikh_frame *fr)
{
    return ikh_frame_decode_frag(linktype, p, caplen, origlen, fr, NULL);
}

ikh_err ikh_frame_decode(int linktype, const uint8_t *p, size_t len,
                         ikh_frame *fr)
{
    return ikh_frame_decode_snap(linktype, p, len, len, fr);
}
