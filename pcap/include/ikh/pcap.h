/* SPDX-License-Identifier: MIT */
/**
 * @file pcap.h
 * @brief Captures: reading pcap/pcapng through libpcap down to IKE and ESP
 *        datagrams, and writing pcap files with synthetic IP/UDP framing.
 *
 * Reading: ikh_cap_open() opens a file, ikh_cap_next() returns one record
 * at a time already taken apart (link layer, IPv4/IPv6, UDP) and classified
 * as IKE, ESP, NAT keepalive or other, following RFC 3948 §2.2: on UDP
 * port 500 the payload is IKE; on any other UDP port a payload starting
 * with the four-octet zero non-ESP marker is IKE (the marker is stripped),
 * a single 0xFF octet is a NAT keepalive, and anything else on port 4500
 * is ESP. IP protocol 50 is ESP. ikh_cap_next() also finds UDP
 * encapsulation on other ports: once a UDP flow (the two addresses and
 * ports, either direction) carried IKE behind a marker, its later
 * datagrams that are neither marked IKE nor a keepalive are ESP too (RFC
 * 3948 §2.2; RFC 7296 §2.23 allows a NAT-T port other than 4500). It
 * remembers the last ::IKH_PCAP_ENCAP_FLOWS such flows.
 *
 * IP fragments (IPv4, and IPv6 with a Fragment header) are reassembled by
 * ikh_cap_next() (RFC 791 §3.2, RFC 8200 §4.5, RFC 5722): each fragment
 * record comes out as IKH_FRAME_OTHER / PKT_IP_FRAGMENT ("held"), and the
 * record that completes a datagram comes out as the whole datagram,
 * classified as above (::ikh_frame::fragments > 0). A datagram that cannot
 * be completed is dropped and reported once through
 * ikh_cap_reasm_report(); see "Reassembly" below for the rules and
 * limits. ikh_frame_decode() takes a single frame and never reassembles.
 *
 * Writing: ikh_capw_open() creates a pcap file of a chosen link type and
 * ikh_capw_udp() wraps a datagram in link, IP and UDP headers (checksums
 * computed) so tshark decodes it as it would a real capture.
 *
 * Link types: Ethernet (1), BSD loopback (0 NULL and 108 LOOP), raw IP
 * (101, and DLT_RAW 12/14), Linux cooked SLL (113) and SLL2 (276). VLAN
 * tags (802.1Q/802.1ad, and the old 0x9100 QinQ) are skipped after any
 * ethertype (Ethernet, SLL, SLL2). NULL/LOOP accept the address family in
 * either byte order: AF_INET 2; AF_INET6 10 (Linux), 24 (NetBSD/OpenBSD),
 * 28 (FreeBSD), 30 (macOS).
 *
 * What is checked on the way down (hostile captures never crash; each
 * problem is a PKT_* code in ikh_frame::err with its offset):
 *  - IPv4: version, IHL >= 5, Total Length >= IHL*4 and within the frame,
 *    fragments (MF or offset != 0) are PKT_IP_FRAGMENT (held for
 *    reassembly by ikh_cap_next()); the header checksum is NOT
 *    checked (captures of outgoing packets often carry offloaded ones).
 *    Total Length 0 (TSO captures) is PKT_IP_BAD. Octets after Total
 *    Length (Ethernet padding, FCS) are ignored.
 *  - IPv6: version, Payload Length within the frame, up to
 *    ::IKH_PCAP_MAX_IPV6_EXT hop-by-hop / routing / destination options /
 *    fragment headers walked; a fragment header with an offset or the M
 *    flag is PKT_IP_FRAGMENT (held for reassembly), an atomic one (offset
 *    0, M 0, RFC 6946) is walked past. Jumbograms (Payload Length 0) are
 *    not supported.
 *  - UDP: Length >= 8 and within the IP payload (else PKT_UDP_TRUNCATED;
 *    octets after it are ignored); the checksum is not checked.
 *  - IKE over TCP (RFC 8229), AH and other protocols are PKT_NOT_UDP.
 * The IKE message itself is not parsed here: the wire module does that.
 *
 * Reassembly (ikh_cap_next() only; pcap/src/reasm.c):
 *  - A datagram is keyed by (IP version, source, destination,
 *    Identification (IPv4 16 bits, IPv6 32 bits), protocol (IPv4 Protocol;
 *    IPv6 Next Header of the Fragment header)). Fragments may come in any
 *    order, interleaved with other traffic and other datagrams.
 *  - Exact duplicates (same offset, length and octets) are ignored and not
 *    counted. Any other overlap drops the datagram as PKT_FRAG_OVERLAP for
 *    IPv6 (RFC 5722 §4); for IPv4 only an overlap whose octets differ
 *    does (the same octets again are accepted).
 *  - PKT_FRAG_BAD drops it for: a fragment with no data; data ending past
 *    ::IKH_PCAP_REASM_MAX_OCTETS; a fragment other than the last whose
 *    length is not a multiple of 8; a second last fragment (MF / M clear)
 *    with another end, or data past the end the last fragment set; more
 *    than ::IKH_PCAP_REASM_MAX_FRAGS fragments.
 *  - PKT_FRAG_TIMEOUT: not complete ::IKH_PCAP_REASM_TIMEOUT_USEC after
 *    the capture time of its first fragment (checked on every record read,
 *    before it is used), or still incomplete when the capture ends (end of
 *    file, or the PCAP_RECORD that stops the reader).
 *  - PKT_FRAG_LIMIT: starting a datagram when ::IKH_PCAP_REASM_MAX_DGRAMS
 *    are in progress evicts the oldest (lowest first record).
 *  - ENV_NOMEM: its buffer could not grow.
 *  After an OVERLAP, BAD or ENV_NOMEM drop the datagram's later fragments
 *  are discarded silently until its timeout (RFC 5722 §4), so each
 *  datagram is reported once; those records still say PKT_IP_FRAGMENT. A
 *  fragment cut by the snap length cannot be used: its record says
 *  PCAP_SNAPLEN (err_offset = caplen) and its datagram times out.
 */
#ifndef IKH_PCAP_H
#define IKH_PCAP_H

#include <stdio.h>

#include "ikh/common.h"
#include "ikh/env.h"

/** LINKTYPE_ values (tcpdump.org link-layer header types). */
enum ikh_linktype {
    IKH_LINK_NULL = 0,         /**< BSD loopback: 4-octet host-order family */
    IKH_LINK_ETHERNET = 1,     /**< Ethernet II (802.1Q/802.1ad tags skipped) */
    IKH_LINK_RAW = 101,        /**< raw IPv4 or IPv6, no link header */
    IKH_LINK_LOOP = 108,       /**< OpenBSD loopback: 4-octet network-order
                                    family */
    IKH_LINK_LINUX_SLL = 113,  /**< Linux cooked capture v1 (16 octets) */
    IKH_LINK_LINUX_SLL2 = 276, /**< Linux cooked capture v2 (20 octets) */
};

/** Most 802.1Q/802.1ad tags skipped in front of IP; more is PKT_NOT_IP. */
#define IKH_PCAP_MAX_VLAN_TAGS 4u
/** Most IPv6 extension headers walked; more is PKT_IP_BAD. */
#define IKH_PCAP_MAX_IPV6_EXT 8u

/** Most datagrams in reassembly at once; one more evicts the oldest
 *  (PKT_FRAG_LIMIT). */
#define IKH_PCAP_REASM_MAX_DGRAMS 64u
/** UDP encapsulation flows away from port 4500 a reader remembers (the
 *  most recent ones; see the file comment). */
#define IKH_PCAP_ENCAP_FLOWS 64u
/** Most octets of a reassembled IP payload (after the IPv4 header / the
 *  IPv6 Fragment header); data past it is PKT_FRAG_BAD. */
#define IKH_PCAP_REASM_MAX_OCTETS 65535u
/** Most fragments of one datagram (exact duplicates not counted); one more
 *  is PKT_FRAG_BAD. */
#define IKH_PCAP_REASM_MAX_FRAGS 128u
/** A datagram not complete this long (capture time, microseconds) after
 *  its first fragment is dropped (PKT_FRAG_TIMEOUT): 30 s, as Linux's
 *  ipfrag_time and RFC 8200 §4.5's 60 s upper bound allow. */
#define IKH_PCAP_REASM_TIMEOUT_USEC 30000000u
/** Drop reports queued for ikh_cap_reasm_report(); past that the oldest is
 *  lost (ikh_cap_reasm_lost()). One ikh_cap_next() call queues at most
 *  IKH_PCAP_REASM_MAX_DGRAMS + 2, so a caller that drains after every
 *  call never loses one. */
#define IKH_PCAP_REASM_MAX_REPORTS 256u

/** What a record carries. */
typedef enum ikh_frame_kind {
    IKH_FRAME_OTHER = 0,     /**< not IKE or ESP; err says why */
    IKH_FRAME_IKE,           /**< an IKE message in ::ikh_frame::ike */
    IKH_FRAME_ESP,           /**< an ESP packet in ::ikh_frame::esp */
    IKH_FRAME_NAT_KEEPALIVE, /**< RFC 3948 §2.3 keepalive */
} ikh_frame_kind;

/* ikh_addr (an IP address, v4 or v6) comes from env.h. */

/** One capture record, taken apart. Spans borrow from the reader. */
typedef struct ikh_frame {
    uint64_t index;       /**< 1-based record number */
    uint64_t ts_sec;      /**< capture time, seconds */
    uint32_t ts_usec;     /**< and microseconds */
    uint32_t caplen;      /**< octets captured */
    uint32_t origlen;     /**< octets on the wire */
    ikh_frame_kind kind;  /**< what the record holds */
    ikh_err err;          /**< why kind is OTHER (PKT_* / PCAP_SNAPLEN /
                               PCAP_LINKTYPE), else IKH_OK. With
                               PCAP_SNAPLEN, ike or esp holds the captured
                               part of the message that was cut */
    size_t err_offset;    /**< octet offset in the record of err */
    ikh_addr src;         /**< IP source (family 0 until the IP header
                               was read) */
    ikh_addr dst;         /**< IP destination (likewise) */
    uint16_t sport;       /**< UDP source port (0 for ESP over IP or until
                               the UDP header was read) */
    uint16_t dport;       /**< UDP destination port (likewise) */
    bool udp;             /**< carried in UDP */
    uint16_t udp_csum;    /**< the UDP checksum field as captured (0: none
                               sent), when udp */
    bool non_esp_marker;  /**< the 4-octet zero marker preceded the IKE
                               message */
    size_t ike_offset;    /**< offset of the IKE message (or ESP) in the
                               record */
    ikh_span ike;         /**< the IKE message (marker stripped), kind IKE */
    ikh_span esp;         /**< the ESP packet, kind ESP */
    ikh_span udp_data;    /**< the UDP payload as captured (marker
                               included), when udp and the UDP header was
                               whole */
    size_t udp_data_len;  /**< its length on the wire (more than
                               udp_data.len when the capture cut it) */
    uint32_t fragments;   /**< 0 for a record taken alone; else this record
                               completed a datagram reassembled from that
                               many fragments (ikh_cap_next() only): the
                               fields above from src on describe the
                               datagram, and err_offset / ike_offset count
                               from the start of its reassembled IP payload
                               (the UDP header at 0; for IPv6 the headers
                               that followed the Fragment header). index,
                               timestamps, caplen and origlen stay this
                               record's. */
    uint64_t first_index; /**< record number of the datagram's first
                               fragment (the earliest record); equal to
                               index when fragments is 0 */
} ikh_frame;

/** An open capture being read (opaque). */
typedef struct ikh_cap ikh_cap;

/**
 * @brief Open a pcap or pcapng file for reading.
 *
 * Timestamps are read at microsecond precision whatever the file holds
 * (libpcap scales nanosecond files). In a pcapng file every interface
 * must have the first one's link type: libpcap 1.10 stops at an interface
 * of another type (ikh_cap_next() then returns PCAP_RECORD).
 * @param path file name (borrowed)
 * @param out  receives the reader (NULL on any error); the caller frees it
 *             with ikh_cap_close()
 * @param errbuf optional buffer for libpcap's (or the OS's) own message,
 *             "path: reason" (may be NULL)
 * @param errbuf_len its size
 * @return IKH_OK; ARG_INVALID when path or out is NULL; IO_OPEN when the
 *         file cannot be opened; PCAP_OPEN when libpcap cannot read it
 *         (empty file, bad magic, truncated file header); PCAP_LINKTYPE
 *         when its link type is not one of ::ikh_linktype (or DLT_RAW);
 *         ENV_NOMEM. On every error nothing is left open.
 */
IKH_MUST_USE ikh_err ikh_cap_open(const char *path, ikh_cap **out, char *errbuf,
                                  size_t errbuf_len);

/**
 * @brief Open a pcap or pcapng capture from an open stream (a file, a pipe,
 *        or memory through fmemopen()), as ikh_cap_open() does for a path.
 *
 * The stream is read from its current position, sequentially (no seeks).
 * @param f      stream opened for reading (taken over in every case: on
 *               success ikh_cap_close() closes it, on every error it is
 *               closed before returning; NULL is ARG_INVALID)
 * @param name   what to call the capture in errbuf (borrowed; NULL:
 *               "(stream)")
 * @param out    receives the reader (NULL on any error); the caller frees
 *               it with ikh_cap_close()
 * @param errbuf optional buffer for libpcap's message, "name: reason" (may
 *               be NULL)
 * @param errbuf_len its size
 * @return IKH_OK; ARG_INVALID when f or out is NULL; PCAP_OPEN,
 *         PCAP_LINKTYPE and ENV_NOMEM as for ikh_cap_open(). On every
 *         error nothing is left open.
 */
IKH_MUST_USE ikh_err ikh_cap_open_file(FILE *f, const char *name, ikh_cap **out,
                                       char *errbuf, size_t errbuf_len);

/**
 * @brief Read and take apart the next record.
 * @param c  reader
 * @param fr receives the record (zeroed first on every path); its spans
 *           borrow libpcap's buffer (or, for a reassembled datagram, the
 *           reader's) and stay valid until the next ikh_cap_next() or
 *           ikh_cap_close() on c
 * @return IKH_OK with fr filled (fr->kind and fr->err say what it is);
 *         PCAP_RECORD when libpcap reports an error: a record header or
 *         body cut short by the end of the file ("truncated dump file"),
 *         a record length above what libpcap accepts, a damaged pcapng
 *         block. The reader stops: every later call returns PCAP_RECORD
 *         again (libpcap's position after an error is not trustworthy),
 *         and ikh_cap_errmsg() says what libpcap saw. IKH_ERR_STATE at the
 *         end of the file (no record; again on every later call).
 *         ARG_INVALID when c or fr is NULL.
 * Per-record problems (truncated headers, fragments, not IKE, snap-length
 * cuts) are IKH_OK with fr->kind == IKH_FRAME_OTHER and fr->err set:
 * reading goes on. fr->caplen < fr->origlen tells a cut record.
 * Fragments: a fragment that does not complete a datagram is kind OTHER,
 * err PKT_IP_FRAGMENT (fr->fragments 0); the one that completes it is the
 * datagram, taken apart as an unfragmented packet would be, with
 * fr->fragments and fr->first_index set. Every call may queue drop reports
 * (also the calls that return PCAP_RECORD or, the first time, STATE, which
 * report every datagram left incomplete): drain them with
 * ikh_cap_reasm_report() after each call.
 */
IKH_MUST_USE ikh_err ikh_cap_next(ikh_cap *c, ikh_frame *fr);

/**
 * @brief Take the oldest report of a datagram dropped by reassembly.
 *
 * Each datagram that was dropped instead of completed is reported exactly
 * once, in the order the drops happened; call this until it returns
 * IKH_ERR_STATE after every ikh_cap_next().
 * @param c           reader
 * @param first_index receives the record number of the datagram's first
 *                    fragment (untouched unless IKH_OK)
 * @param why         receives the reason (untouched unless IKH_OK):
 *                    PKT_FRAG_OVERLAP, PKT_FRAG_BAD, PKT_FRAG_TIMEOUT
 *                    (also incomplete at the end of the capture),
 *                    PKT_FRAG_LIMIT or ENV_NOMEM
 * @return IKH_OK with a report; IKH_ERR_STATE when none is queued;
 *         ARG_INVALID when an argument is NULL.
 */
IKH_MUST_USE ikh_err ikh_cap_reasm_report(ikh_cap *c, uint64_t *first_index,
                                          ikh_err *why);

/**
 * @brief Reports lost because more than ::IKH_PCAP_REASM_MAX_REPORTS were
 *        queued (never, for a caller that drains after each call).
 * @param c reader (may be NULL: 0)
 * @return the count since ikh_cap_open().
 */
uint64_t ikh_cap_reasm_lost(const ikh_cap *c);

/**
 * @brief ikh_cap_next() for readers that do not report reassembly drops:
 *        the drop reports the call queued are taken and discarded.
 * @param c reader @param fr receives the record
 * @return as ikh_cap_next(): IKH_OK with fr filled; IKH_ERR_STATE at the
 *         end of the capture; PCAP_RECORD; ARG_INVALID.
 */
IKH_MUST_USE ikh_err ikh_cap_next_nodrops(ikh_cap *c, ikh_frame *fr);

/**
 * @brief libpcap's message for the PCAP_RECORD that stopped the reader.
 * @param c reader (may be NULL)
 * @return a string owned by c, valid until ikh_cap_close(); "" when no
 *         error happened.
 */
const char *ikh_cap_errmsg(const ikh_cap *c);

/**
 * @brief The capture's link type.
 * @param c reader
 * @return a LINKTYPE_ value from ::ikh_linktype (a DLT_RAW file gives
 *         IKH_LINK_RAW, a DLT_LOOP one IKH_LINK_LOOP); -1 when c is NULL.
 */
int ikh_cap_linktype(const ikh_cap *c);

/** @brief Close a reader; NULL is a no-op. @param c reader (freed) */
void ikh_cap_close(ikh_cap *c);

/**
 * @brief Take apart one frame given as bytes (the path ikh_cap_next() uses).
 *
 * A fragment is kind OTHER with err PKT_IP_FRAGMENT: one frame alone is
 * never reassembled (fr->fragments is 0, and first_index is left at 0).
 * @param linktype LINKTYPE_ value of the frame (also accepts DLT_RAW's
 *                 12 and 14 as raw IP)
 * @param p        frame bytes (borrowed; fr's spans point into them)
 * @param len      their length; the frame is taken as complete
 *                 (origlen == len)
 * @param fr       receives the result (index and timestamps left at 0)
 * @return IKH_OK (see fr->kind / fr->err), PCAP_LINKTYPE (fr->err too), or
 *         ARG_INVALID when fr is NULL.
 */
IKH_MUST_USE ikh_err ikh_frame_decode(int linktype, const uint8_t *p,
                                      size_t len, ikh_frame *fr);

/**
 * @brief ikh_frame_decode() for a frame the capture may have cut short.
 *
 * A record with caplen < origlen lost its tail to the snap length. Length
 * fields (IP total / payload length, UDP length) that run past the captured
 * octets but not past origlen are then believed, and:
 *  - a cut inside the link, IP or UDP header still gives the header's
 *    PKT_*_TRUNCATED code;
 *  - a cut inside the IKE message (or ESP packet) gives kind
 *    IKH_FRAME_OTHER, err PCAP_SNAPLEN, err_offset = caplen, and fr->ike
 *    (or fr->esp) holding the captured part, so a caller can still look at
 *    the IKE header;
 *  - a cut inside the first four payload octets on a port other than 500
 *    (where the non-ESP marker would be) is PCAP_SNAPLEN with no span.
 * Length fields that run past origlen too are the usual PKT_* errors.
 * @param linktype LINKTYPE_ value
 * @param p        captured bytes (borrowed; fr's spans point into them)
 * @param caplen   octets captured at p
 * @param origlen  octets on the wire (values below caplen count as caplen)
 * @param fr       receives the result (index and timestamps left at 0)
 * @return as ikh_frame_decode().
 */
IKH_MUST_USE ikh_err ikh_frame_decode_snap(int linktype, const uint8_t *p,
                                           size_t caplen, size_t origlen,
                                           ikh_frame *fr);

/** A pcap file being written (opaque). */
typedef struct ikh_capw ikh_capw;

/**
 * @brief Create a pcap file (microsecond timestamps, snaplen 262144).
 *
 * The file is classic pcap, little-endian on every host, so the same
 * calls give the same bytes everywhere. Link headers are synthetic:
 * Ethernet from 02:00:00:00:00:01 to 02:00:00:00:00:02; NULL with the
 * family little-endian, LOOP big-endian (AF_INET 2, AF_INET6 24, which
 * tcpdump and Wireshark read on every OS); SLL/SLL2 as "to us" on an
 * Ethernet interface (ifindex 1 for SLL2).
 * @param path     file name (borrowed); truncated if it exists
 * @param linktype one of ::ikh_linktype (12/14 are refused: write 101)
 * @param out      receives the writer (NULL on error); the caller must
 *                 call ikh_capw_close(), which flushes and frees it
 * @return IKH_OK; ARG_INVALID when path or out is NULL; IO_OPEN; IO_WRITE
 *         when the file header cannot be written; PCAP_LINKTYPE for an
 *         unsupported link type; ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capw_open(const char *path, int linktype,
                                   ikh_capw **out);

/**
 * @brief Write one UDP datagram, framed for the writer's link type.
 *
 * IPv4: IHL 5, Identification 0, DF set, TTL 64, header checksum
 * computed. IPv6: no extension headers, hop limit 64. The UDP checksum is
 * computed for both (never 0, RFC 768). Nothing is written on an ARG_*
 * error.
 * @param w       writer
 * @param ts_usec capture time in microseconds
 * @param src     source address (4 or 6; both ends must be the same family)
 * @param sport   source port
 * @param dst     destination address
 * @param dport   destination port
 * @param payload UDP payload (borrowed): an IKE message, with the non-ESP
 *                marker already in front when the caller wants one
 * @return IKH_OK; ARG_INVALID for a NULL argument, a family other than
 *         4/6, mixed families or a payload over 65507 octets (both
 *         families); ARG_RANGE when ts_usec is past 2106 (32-bit pcap
 *         seconds); IO_WRITE when the write failed, and on every later
 *         call (the file is incomplete: discard it).
 */
IKH_MUST_USE ikh_err ikh_capw_udp(ikh_capw *w, uint64_t ts_usec,
                                  const ikh_addr *src, uint16_t sport,
                                  const ikh_addr *dst, uint16_t dport,
                                  ikh_span payload);

/**
 * @brief Write one UDP datagram as IP fragments of at most @p mtu octets.
 *
 * As ikh_capw_udp() (same headers and checksums, the UDP checksum over
 * the whole datagram), but split like a sender would (RFC 791 §3.2, RFC
 * 8200 §4.5): every fragment but the last carries the largest multiple of
 * 8 data octets that keeps its IP packet within mtu, and they are written
 * in order, one record each, all at ts_usec. IPv4: DF clear, MF and the
 * offset set, checksum per fragment. IPv6: a Fragment header (Next Header
 * 17) after the fixed header. The Identification is the writer's
 * fragmented-datagram counter: 1, 2, ... (IPv4 wraps at 65535, skipping
 * 0). A datagram that fits in mtu is written as ikh_capw_udp() would, in
 * one record. For reordered, overlapping or odd fragments, build the
 * packets and use ikh_capw_ip().
 * @param w       writer
 * @param ts_usec capture time in microseconds
 * @param src     source address (4 or 6, same family as dst)
 * @param sport   source port
 * @param dst     destination address
 * @param dport   destination port
 * @param payload UDP payload (borrowed), at most 65507 octets
 * @param mtu     largest IP packet written: at least 28 for IPv4 (20 +
 *                8), 56 for IPv6 (40 + 8 + 8); values over 65535 act as
 *                65535
 * @return IKH_OK; ARG_INVALID as for ikh_capw_udp() or for an mtu below
 *         the minimum; ARG_RANGE when ts_usec is past 2106; IO_WRITE
 *         (sticky, as for ikh_capw_udp(): some fragments may be written).
 */
IKH_MUST_USE ikh_err ikh_capw_udp_frag(ikh_capw *w, uint64_t ts_usec,
                                       const ikh_addr *src, uint16_t sport,
                                       const ikh_addr *dst, uint16_t dport,
                                       ikh_span payload, size_t mtu);

/**
 * @brief Write one IP packet as is (for raw ESP, fragments, odd packets).
 *
 * The link header says IPv6 when the first nibble of ip is 6, IPv4
 * otherwise (also for an empty or nonsensical packet, written unchanged).
 * @param w writer
 * @param ts_usec capture time in microseconds
 * @param ip a full IPv4/IPv6 packet (borrowed), at most 65535 octets
 * @return IKH_OK; ARG_INVALID for a NULL writer or a packet over 65535
 *         octets; ARG_RANGE when ts_usec is past 2106; IO_WRITE (sticky,
 *         as for ikh_capw_udp()).
 */
IKH_MUST_USE ikh_err ikh_capw_ip(ikh_capw *w, uint64_t ts_usec, ikh_span ip);

/**
 * @brief Flush and close; NULL is a no-op.
 * @param w writer (freed in every case)
 * @return IKH_OK, or IO_WRITE when the final flush failed or an earlier
 *         write did (the file is incomplete).
 */
ikh_err ikh_capw_close(ikh_capw *w);

/**
 * @brief Parse a textual IPv4 (dotted quad) or IPv6 address (inet_pton).
 * @param s text (borrowed), no port, prefix or zone
 * @param out receives the address (unused octets zero); untouched on error
 * @return IKH_OK or ARG_INVALID (NULL argument or not an address).
 */
IKH_MUST_USE ikh_err ikh_addr_parse(const char *s, ikh_addr *out);

/**
 * @brief Format an address as text (inet_ntop: RFC 5952 form for IPv6).
 * @param a address (borrowed)
 * @param buf output, always NUL-terminated when len > 0
 * @param len its size (46 is always enough)
 * @return buf; it holds "" when a is NULL, its family is not 4/6 or len
 *         is too small; buf untouched when len is 0.
 */
const char *ikh_addr_fmt(const ikh_addr *a, char *buf, size_t len);

#endif /* IKH_PCAP_H */
