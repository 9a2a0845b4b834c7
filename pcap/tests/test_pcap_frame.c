/* SPDX-License-Identifier: MIT */
/*
 * ikh_frame_decode / ikh_frame_decode_snap on hand-built frames: every
 * link type with IPv4 and IPv6, VLAN tags, NULL/LOOP families in both byte
 * orders, IPv4 options, IPv6 extension headers, the RFC 3948 §2.2
 * classification, snap-length cuts, a table of malformed frames with their
 * PKT_* code and offset, and a truncation/bit-flip sweep (run it under
 * ASan: every frame sits in an exactly sized heap buffer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_test_util.h"

#define FRAME_CAP 512

static uint8_t g_ike[PTU_IKE_LEN];

static int setup(void **state)
{
    (void)state;
    ptu_ike(g_ike, 34, 0);
    return 0;
}

/* Decode a copy of buf[0..len) held in an exactly sized heap buffer. */
static ikh_err decode_exact(int lt, const uint8_t *buf, size_t len,
                            size_t origlen, ikh_frame *fr, uint8_t **copy)
{
    *copy = malloc(len ? len : 1);
    assert_non_null(*copy);
    if (len)
        memcpy(*copy, buf, len);
    return ikh_frame_decode_snap(lt, *copy, len, origlen, fr);
}

static ptu_frame_spec spec_ike(int lt, unsigned ipver, uint16_t sport,
                               uint16_t dport)
{
    ptu_frame_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.linktype = lt;
    sp.ipver = ipver;
    sp.ip_proto = 17;
    sp.sport = sport;
    sp.dport = dport;
    sp.pay = g_ike;
    sp.pay_len = sizeof g_ike;
    return sp;
}

static void test_frame_every_linktype(void **state)
{
    (void)state;
    static const int lts[] = {
        IKH_LINK_NULL, IKH_LINK_ETHERNET,  IKH_LINK_RAW,       12, 14,
        IKH_LINK_LOOP, IKH_LINK_LINUX_SLL, IKH_LINK_LINUX_SLL2};
    for (size_t i = 0; i < sizeof lts / sizeof lts[0]; i++) {
        for (unsigned v = 4; v <= 6; v += 2) {
            uint8_t buf[FRAME_CAP];
            size_t ip_at, udp_at;
            ptu_frame_spec sp = spec_ike(lts[i], v, 500, 500);
            size_t n = ptu_frame(&sp, buf, sizeof buf, &ip_at, &udp_at);
            ikh_frame fr;
            uint8_t *copy;
            assert_int_equal(decode_exact(lts[i], buf, n, n, &fr, &copy),
                             IKH_OK);
            assert_int_equal(fr.err, IKH_OK);
            assert_int_equal(fr.kind, IKH_FRAME_IKE);
            assert_int_equal(fr.src.family, v);
            assert_int_equal(fr.dst.family, v);
            assert_true(fr.udp);
            assert_int_equal(fr.sport, 500);
            assert_false(fr.non_esp_marker);
            assert_int_equal(fr.ike_offset, udp_at + 8);
            assert_int_equal(fr.ike.len, PTU_IKE_LEN);
            assert_memory_equal(fr.ike.p, g_ike, PTU_IKE_LEN);
            assert_ptr_equal(fr.ike.p, copy + udp_at + 8);
            assert_int_equal(fr.caplen, n);
            assert_int_equal(fr.origlen, n);
            free(copy);
        }
    }
}

static void test_frame_addresses(void **state)
{
    (void)state;
    uint8_t buf[FRAME_CAP];
    ptu_frame_spec sp = spec_ike(IKH_LINK_RAW, 4, 500, 500);
    size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, NULL);
    ikh_frame fr;
    char t[46];
    assert_int_equal(ikh_frame_decode(IKH_LINK_RAW, buf, n, &fr), IKH_OK);
    assert_string_equal(ikh_addr_fmt(&fr.src, t, sizeof t), "192.0.2.1");
    assert_string_equal(ikh_addr_fmt(&fr.dst, t, sizeof t), "192.0.2.2");
    sp.ipver = 6;
    n = ptu_frame(&sp, buf, sizeof buf, NULL, NULL);
    assert_int_equal(ikh_frame_decode(IKH_LINK_RAW, buf, n, &fr), IKH_OK);
    assert_string_equal(ikh_addr_fmt(&fr.src, t, sizeof t), "2001:db8::1");
    assert_string_equal(ikh_addr_fmt(&fr.dst, t, sizeof t), "2001:db8::2");
}

static void test_frame_vlan(void **state)
{
    (void)state;
    for (unsigned tags = 1; tags <= IKH_PCAP_MAX_VLAN_TAGS; tags++) {
        uint8_t buf[FRAME_CAP];
        size_t udp_at;
        ptu_frame_spec sp = spec_ike(IKH_LINK_ETHERNET, 6, 4500, 4500);
        uint8_t pay[4 + PTU_IKE_LEN] = {0};
        memcpy(pay + 4, g_ike, PTU_IKE_LEN);
        sp.pay = pay;
        sp.pay_len = sizeof pay;
        sp.vlan_tags = tags;
        size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
        assert_int_equal(udp_at, 14 + 4 * tags + 40);
        ikh_frame fr;
        assert_int_equal(ikh_frame_decode(IKH_LINK_ETHERNET, buf, n, &fr),
                         IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_IKE);
        assert_true(fr.non_esp_marker);
        assert_int_equal(fr.ike_offset, udp_at + 12);
    }
    /* 802.1ad S-tag then 802.1Q C-tag (QinQ), by hand. */
    /* clang-format off */
    static const uint8_t qinq[] = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, /* MACs */
        0x88, 0xA8, 0x00, 0x0A,               /* S-tag, VID 10 */
        0x81, 0x00, 0x00, 0x14,               /* C-tag, VID 20 */
        0x08, 0x00,                           /* IPv4 */
        0x45, 0, 0, 29, 0, 0, 0x40, 0, 64, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2,             /* IPv4 */
        0x11, 0x94, 0x11, 0x94, 0, 9, 0, 0,   /* UDP 4500 -> 4500 */
        0xFF,                                 /* keepalive */
    };
    /* clang-format on */
    ikh_frame fr;
    assert_int_equal(
        ikh_frame_decode(IKH_LINK_ETHERNET, qinq, sizeof qinq, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_NAT_KEEPALIVE);
    assert_int_equal(fr.sport, 4500);
    /* VLAN tags after the SLL protocol field are skipped too. */
    /* clang-format off */
    static const uint8_t sll_vlan[] = {
        0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
        0x81, 0x00,                           /* protocol: 802.1Q */
        0x00, 0x05, 0x08, 0x00,               /* TCI, IPv4 */
        0x45, 0, 0, 29, 0, 0, 0, 0, 64, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2,
        0x1B, 0x58, 0x11, 0x94, 0, 9, 0, 0,   /* UDP 7000 -> 4500 */
        0xFF,
    };
    /* clang-format on */
    assert_int_equal(
        ikh_frame_decode(IKH_LINK_LINUX_SLL, sll_vlan, sizeof sll_vlan, &fr),
        IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_NAT_KEEPALIVE);
}

/* NULL and LOOP: every AF_INET / AF_INET6 value, in both byte orders. */
static void test_frame_null_families(void **state)
{
    (void)state;
    static const struct {
        uint32_t fam;
        unsigned ipver;
    } fams[] = {{2, 4}, {10, 6}, {24, 6}, {28, 6}, {30, 6}};
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        for (int le = 0; le <= 1; le++) {
            for (int lt = 0; lt <= 1; lt++) {
                int linktype = lt ? IKH_LINK_LOOP : IKH_LINK_NULL;
                uint8_t buf[FRAME_CAP];
                ptu_frame_spec sp = spec_ike(linktype, fams[i].ipver, 500, 500);
                size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, NULL);
                uint32_t f = fams[i].fam;
                ikh_wr w = ikh_wr_init(buf, 4);
                ikh_wr_u32(&w, le ? f << 24 : f);
                ikh_frame fr;
                assert_int_equal(ikh_frame_decode(linktype, buf, n, &fr),
                                 IKH_OK);
                assert_int_equal(fr.err, IKH_OK);
                assert_int_equal(fr.kind, IKH_FRAME_IKE);
                assert_int_equal(fr.src.family, fams[i].ipver);
            }
        }
    }
}

/* IPv4 with options, Ethernet padding after Total Length, UDP shorter
 * than the IP payload. */
static void test_frame_ipv4_options_padding(void **state)
{
    (void)state;
    uint8_t buf[FRAME_CAP] = {0};
    ikh_wr w = ikh_wr_init(buf, sizeof buf);
    ikh_wr_u16(&w, 0x4600);                   /* IHL 6 */
    ikh_wr_u16(&w, 24 + 8 + PTU_IKE_LEN + 3); /* 3 octets after UDP */
    ikh_wr_u32(&w, 0x00004000);               /* DF: not a fragment */
    ikh_wr_u32(&w, 0x40110000);
    ikh_wr_u32(&w, 0x0A000001);
    ikh_wr_u32(&w, 0x0A000002);
    ikh_wr_u32(&w, 0x01010100); /* options: NOP NOP NOP EOL */
    ikh_wr_u16(&w, 500);
    ikh_wr_u16(&w, 500);
    ikh_wr_u16(&w, 8 + PTU_IKE_LEN);
    ikh_wr_u16(&w, 0);
    ikh_wr_span(&w, ikh_span_of(g_ike, PTU_IKE_LEN));
    ikh_wr_span(&w, ikh_span_of((const uint8_t *)"abc", 3));
    ikh_wr_span(&w, ikh_span_of((const uint8_t *)"padpadpad", 9));
    ikh_frame fr;
    assert_int_equal(ikh_frame_decode(IKH_LINK_RAW, buf, w.len, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.ike_offset, 32);
    assert_int_equal(fr.ike.len, PTU_IKE_LEN);
}

/* Hop-by-hop, routing, destination options and an atomic fragment header
 * (RFC 6946) are walked past. */
static void test_frame_ipv6_ext(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t ext[] = {
        43, 0, 1, 4, 0, 0, 0, 0,          /* hop-by-hop -> routing */
        60, 2, 0, 0, 0, 0, 0, 0,          /* routing (24) -> dstopts */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        44, 0, 1, 4, 0, 0, 0, 0,          /* dstopts -> fragment */
        17, 0, 0, 0, 0, 0, 0, 7,          /* atomic fragment -> UDP */
    };
    /* clang-format on */
    uint8_t buf[FRAME_CAP];
    size_t udp_at;
    ptu_frame_spec sp = spec_ike(IKH_LINK_ETHERNET, 6, 500, 4500);
    sp.ext = ext;
    sp.ext_len = sizeof ext;
    sp.ext_first = 0;
    size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
    assert_int_equal(udp_at, 14 + 40 + sizeof ext);
    ikh_frame fr;
    assert_int_equal(ikh_frame_decode(IKH_LINK_ETHERNET, buf, n, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.ike_offset, udp_at + 8);
    /* ESP after a destination options header. */
    static const uint8_t ext_esp[] = {50, 0, 1, 4, 0, 0, 0, 0};
    static const uint8_t esp[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0, 0, 0, 1};
    sp.ext = ext_esp;
    sp.ext_len = sizeof ext_esp;
    sp.ext_first = 60;
    sp.ip_proto = 50;
    sp.pay = esp;
    sp.pay_len = sizeof esp;
    n = ptu_frame(&sp, buf, sizeof buf, NULL, NULL);
    assert_int_equal(ikh_frame_decode(IKH_LINK_ETHERNET, buf, n, &fr), IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_ESP);
    assert_false(fr.udp);
    assert_int_equal(fr.sport, 0);
    assert_int_equal(fr.esp.len, sizeof esp);
    assert_int_equal(fr.ike_offset, 14 + 40 + 8);
}

/* RFC 3948 §2.2 classification on UDP. */
static void test_frame_classify(void **state)
{
    (void)state;
    static uint8_t marked[4 + PTU_IKE_LEN];
    memcpy(marked + 4, g_ike, PTU_IKE_LEN);
    static const uint8_t esp[] = {0, 0, 0x10, 1, 0, 0, 0, 1, 9, 9, 9, 9};
    static const uint8_t ka[] = {0xFF};
    static const uint8_t not_ka[] = {0xFE};
    const struct {
        uint16_t sport, dport;
        const uint8_t *pay;
        size_t len;
        ikh_frame_kind kind;
        ikh_err err;
        bool marker;
        size_t ike_len;
    } rows[] = {
        /* port 500: IKE as is, even when it starts with 4 zero octets */
        {500, 500, g_ike, PTU_IKE_LEN, IKH_FRAME_IKE, IKH_OK, false, 28},
        {500, 1234, marked, sizeof marked, IKH_FRAME_IKE, IKH_OK, false, 32},
        {4500, 500, g_ike, PTU_IKE_LEN, IKH_FRAME_IKE, IKH_OK, false, 28},
        /* any other port: the marker makes it IKE, stripped */
        {4500, 4500, marked, sizeof marked, IKH_FRAME_IKE, IKH_OK, true, 28},
        {7000, 7001, marked, sizeof marked, IKH_FRAME_IKE, IKH_OK, true, 28},
        {61000, 4500, marked, 4, IKH_FRAME_IKE, IKH_OK, true, 0},
        /* keepalive on any port but 500 */
        {4500, 4500, ka, 1, IKH_FRAME_NAT_KEEPALIVE, IKH_OK, false, 0},
        {7000, 7000, ka, 1, IKH_FRAME_NAT_KEEPALIVE, IKH_OK, false, 0},
        {500, 500, ka, 1, IKH_FRAME_IKE, IKH_OK, false, 1},
        {4500, 4500, not_ka, 1, IKH_FRAME_OTHER, IKH_ERR_PKT_NOT_IKE, false, 0},
        /* non-zero first word: ESP on 4500, not IKE elsewhere */
        {4500, 61000, esp, sizeof esp, IKH_FRAME_ESP, IKH_OK, false, 0},
        {7000, 7000, esp, sizeof esp, IKH_FRAME_OTHER, IKH_ERR_PKT_NOT_IKE,
         false, 0},
        {53, 53, esp, sizeof esp, IKH_FRAME_OTHER, IKH_ERR_PKT_NOT_IKE, false,
         0},
        {4500, 4500, esp, 0, IKH_FRAME_OTHER, IKH_ERR_PKT_NOT_IKE, false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t buf[FRAME_CAP];
        size_t udp_at;
        ptu_frame_spec sp =
            spec_ike(IKH_LINK_LINUX_SLL2, 4, rows[i].sport, rows[i].dport);
        sp.pay = rows[i].pay;
        sp.pay_len = rows[i].len;
        size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
        ikh_frame fr;
        uint8_t *copy;
        assert_int_equal(
            decode_exact(IKH_LINK_LINUX_SLL2, buf, n, n, &fr, &copy), IKH_OK);
        if (fr.kind != rows[i].kind || fr.err != rows[i].err)
            fail_msg("row %zu: kind %d err %s", i, (int)fr.kind,
                     ikh_err_name(fr.err));
        assert_int_equal(fr.non_esp_marker, rows[i].marker);
        if (fr.kind == IKH_FRAME_IKE) {
            assert_int_equal(fr.ike.len, rows[i].ike_len);
            assert_int_equal(fr.ike_offset,
                             udp_at + 8 + (rows[i].marker ? 4 : 0));
        }
        if (fr.kind == IKH_FRAME_ESP) {
            assert_int_equal(fr.esp.len, rows[i].len);
            assert_memory_equal(fr.esp.p, rows[i].pay, rows[i].len);
            assert_int_equal(fr.ike_offset, udp_at + 8);
        }
        if (fr.err == IKH_ERR_PKT_NOT_IKE)
            assert_int_equal(fr.err_offset, udp_at + 8);
        free(copy);
    }
}

static void test_frame_esp_proto50(void **state)
{
    (void)state;
    static const uint8_t esp[] = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 9, 1, 2};
    for (unsigned v = 4; v <= 6; v += 2) {
        uint8_t buf[FRAME_CAP];
        size_t ip_at;
        ptu_frame_spec sp = spec_ike(IKH_LINK_LOOP, v, 0, 0);
        sp.ip_proto = 50;
        sp.pay = esp;
        sp.pay_len = sizeof esp;
        size_t n = ptu_frame(&sp, buf, sizeof buf, &ip_at, NULL);
        ikh_frame fr;
        assert_int_equal(ikh_frame_decode(IKH_LINK_LOOP, buf, n, &fr), IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_ESP);
        assert_int_equal(fr.err, IKH_OK);
        assert_false(fr.udp);
        assert_int_equal(fr.esp.len, sizeof esp);
        assert_memory_equal(fr.esp.p, esp, sizeof esp);
        assert_int_equal(fr.ike_offset, ip_at + (v == 4 ? 20 : 40));
    }
}

/* Snap-length cuts: where the cut falls decides the code. */
static void test_frame_snaplen(void **state)
{
    (void)state;
    uint8_t buf[FRAME_CAP];
    size_t udp_at;
    ptu_frame_spec sp = spec_ike(IKH_LINK_ETHERNET, 4, 500, 500);
    size_t n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
    ikh_frame fr;
    uint8_t *copy;

    /* Cut inside the IKE message: PCAP_SNAPLEN, the captured part kept. */
    assert_int_equal(decode_exact(1, buf, n - 10, n, &fr, &copy), IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_OTHER);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(fr.err_offset, n - 10);
    assert_int_equal(fr.ike.len, PTU_IKE_LEN - 10);
    assert_int_equal(fr.ike_offset, udp_at + 8);
    assert_int_equal(fr.caplen, n - 10);
    assert_int_equal(fr.origlen, n);
    free(copy);
    /* Cut right after the UDP header. */
    assert_int_equal(decode_exact(1, buf, udp_at + 8, n, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(fr.ike.len, 0);
    free(copy);
    /* Cut inside the UDP header: the header's own code. */
    assert_int_equal(decode_exact(1, buf, udp_at + 5, n, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_UDP_TRUNCATED);
    assert_int_equal(fr.err_offset, udp_at);
    free(copy);
    /* Cut inside the IP header. */
    assert_int_equal(decode_exact(1, buf, 20, n, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_IP_TRUNCATED);
    free(copy);
    /* The same cut frame claiming a shorter origlen: the IP length is a lie. */
    assert_int_equal(decode_exact(1, buf, n - 10, n - 11, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_IP_TRUNCATED);
    assert_int_equal(fr.err_offset, 16);
    free(copy);
    /* A cut that only loses octets after the IP packet (an FCS) is harmless. */
    assert_int_equal(decode_exact(1, buf, n, n + 4, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    free(copy);
    /* ikh_frame_decode() takes the frame as complete. */
    assert_int_equal(decode_exact(1, buf, n - 10, n - 10, &fr, &copy), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_IP_TRUNCATED);
    free(copy);

    /* Port 4500: a cut inside the marker cannot be classified. */
    uint8_t marked[4 + PTU_IKE_LEN] = {0};
    memcpy(marked + 4, g_ike, PTU_IKE_LEN);
    sp = spec_ike(IKH_LINK_RAW, 6, 4500, 4500);
    sp.pay = marked;
    sp.pay_len = sizeof marked;
    n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
    assert_int_equal(decode_exact(101, buf, udp_at + 10, n, &fr, &copy),
                     IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(fr.ike.len, 0);
    assert_int_equal(fr.esp.len, 0);
    free(copy);
    assert_int_equal(decode_exact(101, buf, udp_at + 8 + 4 + 6, n, &fr, &copy),
                     IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_true(fr.non_esp_marker);
    assert_int_equal(fr.ike.len, 6);
    free(copy);

    /* ESP cut: PCAP_SNAPLEN with the captured ESP part. */
    static const uint8_t esp[64] = {0x01, 0x02, 0x03, 0x04, 0, 0, 0, 1};
    sp.pay = esp;
    sp.pay_len = sizeof esp;
    n = ptu_frame(&sp, buf, sizeof buf, NULL, &udp_at);
    assert_int_equal(decode_exact(101, buf, udp_at + 8 + 16, n, &fr, &copy),
                     IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(fr.esp.len, 16);
    free(copy);
    sp.ip_proto = 50;
    size_t ip_at;
    n = ptu_frame(&sp, buf, sizeof buf, &ip_at, NULL);
    assert_int_equal(decode_exact(101, buf, ip_at + 40 + 8, n, &fr, &copy),
                     IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(fr.esp.len, 8);
    free(copy);
}

static void test_frame_bad_args(void **state)
{
    (void)state;
    ikh_frame fr;
    static const uint8_t b[4] = {0};
    assert_int_equal(ikh_frame_decode(105, b, sizeof b, &fr),
                     IKH_ERR_PCAP_LINKTYPE);
    assert_int_equal(fr.err, IKH_ERR_PCAP_LINKTYPE);
    assert_int_equal(fr.kind, IKH_FRAME_OTHER);
    assert_int_equal(ikh_frame_decode(1, b, sizeof b, NULL),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_frame_decode(1, NULL, 100, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_LINK_TRUNCATED);
    assert_int_equal(fr.caplen, 0);
}

/* ---- malformed frames ------------------------------------------------- */

enum base {
    B_ETH4,
    B_ETH6,
    B_RAW4,
    B_NULL4,
    B_SLL4,
    B_SLL2_4
};

typedef struct bad_row {
    const char *name;
    enum base base;
    unsigned vlan_tags;
    uint16_t port;      /* sport and dport (0: 500) */
    const uint8_t *pay; /* payload (NULL: the IKE header) */
    size_t pay_len;
    const uint8_t *ext; /* IPv6 extension headers */
    size_t ext_len;
    uint8_t ext_first;
    int cut; /* keep this many octets (-1: all) */
    struct {
        size_t at;
        uint8_t v;
    } patch[4];
    unsigned npatch;
    ikh_err err;
    size_t off;
} bad_row;

static const uint8_t x_frag[] = {17, 0, 0x00, 0x09, 0, 0, 0, 1};
static const uint8_t x_frag_last[] = {17, 0, 0x00, 0x08, 0, 0, 0, 1};
static const uint8_t x_nine[] = {
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0,
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0,
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0,
};
static const uint8_t x_overrun[] = {17, 10, 1, 4, 0, 0, 0, 0};
static const uint8_t x_hbh_tcp[] = {6, 0, 1, 4, 0, 0, 0, 0};
static const uint8_t p_short[] = {1, 2};

#define P1(a, x) {{a, x}}, 1
#define P2(a, x, b, y) {{a, x}, {b, y}}, 2
#define P4(a, x, b, y, c, z, d, t) {{a, x}, {b, y}, {c, z}, {d, t}}, 4
#define NOP {{0, 0}}, 0

/* Ethernet/IPv4 base: IP at 14, UDP at 34, payload at 42 (70 octets);
 * Ethernet/IPv6 base: IP at 14, extension headers or UDP at 54. */
static const bad_row bad_rows[] = {
    {"eth header cut", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, 13, NOP,
     IKH_ERR_PKT_LINK_TRUNCATED, 0},
    {"eth ARP", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P2(12, 0x08, 13, 0x06),
     IKH_ERR_PKT_NOT_IP, 12},
    {"eth 802.3 length field", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(12, 0x00, 13, 0x40), IKH_ERR_PKT_NOT_IP, 12},
    {"vlan tag cut", B_ETH4, 1, 0, NULL, 0, NULL, 0, 0, 17, NOP,
     IKH_ERR_PKT_LINK_TRUNCATED, 16},
    {"five vlan tags", B_ETH4, 5, 0, NULL, 0, NULL, 0, 0, -1, NOP,
     IKH_ERR_PKT_NOT_IP, 28},
    {"vlan then ARP", B_ETH4, 1, 0, NULL, 0, NULL, 0, 0, -1,
     P2(16, 0x08, 17, 0x06), IKH_ERR_PKT_NOT_IP, 16},
    {"null family 7", B_NULL4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(3, 7),
     IKH_ERR_PKT_NOT_IP, 0},
    {"null family 7 little-endian", B_NULL4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P4(0, 7, 1, 0, 2, 0, 3, 0), IKH_ERR_PKT_NOT_IP, 0},
    {"null header cut", B_NULL4, 0, 0, NULL, 0, NULL, 0, 0, 3, NOP,
     IKH_ERR_PKT_LINK_TRUNCATED, 0},
    {"null AF_INET6 over IPv4", B_NULL4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P1(3, 24), IKH_ERR_PKT_IP_BAD, 4},
    {"sll header cut", B_SLL4, 0, 0, NULL, 0, NULL, 0, 0, 15, NOP,
     IKH_ERR_PKT_LINK_TRUNCATED, 0},
    {"sll IPX", B_SLL4, 0, 0, NULL, 0, NULL, 0, 0, -1, P2(14, 0x81, 15, 0x37),
     IKH_ERR_PKT_NOT_IP, 14},
    {"sll2 ARP", B_SLL2_4, 0, 0, NULL, 0, NULL, 0, 0, -1, P2(0, 0x08, 1, 0x06),
     IKH_ERR_PKT_NOT_IP, 0},
    {"sll2 header cut", B_SLL2_4, 0, 0, NULL, 0, NULL, 0, 0, 19, NOP,
     IKH_ERR_PKT_LINK_TRUNCATED, 0},
    {"raw version 5", B_RAW4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(0, 0x55),
     IKH_ERR_PKT_NOT_IP, 0},
    {"raw empty", B_RAW4, 0, 0, NULL, 0, NULL, 0, 0, 0, NOP,
     IKH_ERR_PKT_IP_TRUNCATED, 0},
    {"ipv4 IHL 4", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(14, 0x44),
     IKH_ERR_PKT_IP_BAD, 14},
    {"ipv4 IHL 0", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(14, 0x40),
     IKH_ERR_PKT_IP_BAD, 14},
    {"version 6 under ethertype IPv4", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P1(14, 0x65), IKH_ERR_PKT_IP_BAD, 14},
    {"ipv4 header cut", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, 33, NOP,
     IKH_ERR_PKT_IP_TRUNCATED, 14},
    {"ipv4 total length past frame", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(16, 0x01, 17, 0x00), IKH_ERR_PKT_IP_TRUNCATED, 16},
    {"ipv4 total length 65535", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(16, 0xFF, 17, 0xFF), IKH_ERR_PKT_IP_TRUNCATED, 16},
    {"ipv4 total length below IHL", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(16, 0, 17, 19), IKH_ERR_PKT_IP_BAD, 16},
    {"ipv4 total length 0 (TSO)", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(16, 0, 17, 0), IKH_ERR_PKT_IP_BAD, 16},
    {"ipv4 IHL 15 above total length", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P1(14, 0x4F), IKH_ERR_PKT_IP_BAD, 16},
    {"ipv4 more fragments", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(20, 0x20),
     IKH_ERR_PKT_IP_FRAGMENT, 20},
    {"ipv4 fragment offset", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P1(21, 0x01), IKH_ERR_PKT_IP_FRAGMENT, 20},
    {"ipv4 TCP", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(23, 6),
     IKH_ERR_PKT_NOT_UDP, 23},
    {"ipv4 AH", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(23, 51),
     IKH_ERR_PKT_NOT_UDP, 23},
    {"udp header past total length", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P1(17, 26), IKH_ERR_PKT_UDP_TRUNCATED, 34},
    {"udp header cut", B_RAW4, 0, 0, NULL, 0, NULL, 0, 0, -1, P2(2, 0, 3, 27),
     IKH_ERR_PKT_UDP_TRUNCATED, 20},
    {"udp length past ip payload", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(38, 0x01, 39, 0x00), IKH_ERR_PKT_UDP_TRUNCATED, 38},
    {"udp length 7", B_ETH4, 0, 0, NULL, 0, NULL, 0, 0, -1, P2(38, 0, 39, 7),
     IKH_ERR_PKT_UDP_TRUNCATED, 38},
    {"port 7000 without marker", B_ETH4, 0, 7000, NULL, 0, NULL, 0, 0, -1, NOP,
     IKH_ERR_PKT_NOT_IKE, 42},
    {"port 4500 two octets", B_ETH4, 0, 4500, p_short, sizeof p_short, NULL, 0,
     0, -1, NOP, IKH_ERR_PKT_NOT_IKE, 42},
    {"ipv6 version 4", B_ETH6, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(14, 0x45),
     IKH_ERR_PKT_IP_BAD, 14},
    {"ipv6 header cut", B_ETH6, 0, 0, NULL, 0, NULL, 0, 0, 50, NOP,
     IKH_ERR_PKT_IP_TRUNCATED, 14},
    {"ipv6 payload length past frame", B_ETH6, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(18, 0x10, 19, 0), IKH_ERR_PKT_IP_TRUNCATED, 18},
    {"ipv6 fragment", B_ETH6, 0, 0, NULL, 0, x_frag, sizeof x_frag, 44, -1, NOP,
     IKH_ERR_PKT_IP_FRAGMENT, 54},
    {"ipv6 last fragment", B_ETH6, 0, 0, NULL, 0, x_frag_last,
     sizeof x_frag_last, 44, -1, NOP, IKH_ERR_PKT_IP_FRAGMENT, 54},
    {"ipv6 no next header", B_ETH6, 0, 0, NULL, 0, NULL, 0, 0, -1, P1(20, 59),
     IKH_ERR_PKT_NOT_UDP, 20},
    {"ipv6 nine extension headers", B_ETH6, 0, 0, NULL, 0, x_nine,
     sizeof x_nine, 60, -1, NOP, IKH_ERR_PKT_IP_BAD, 118},
    {"ipv6 extension past payload length", B_ETH6, 0, 0, NULL, 0, x_overrun,
     sizeof x_overrun, 60, -1, NOP, IKH_ERR_PKT_IP_BAD, 54},
    {"ipv6 hop-by-hop then TCP", B_ETH6, 0, 0, NULL, 0, x_hbh_tcp,
     sizeof x_hbh_tcp, 0, -1, NOP, IKH_ERR_PKT_NOT_UDP, 54},
    {"ipv6 payload length ends inside an extension header", B_ETH6, 0, 0, NULL,
     0, x_frag, sizeof x_frag, 44, -1, P2(18, 0, 19, 4), IKH_ERR_PKT_IP_BAD,
     54},
    {"ipv6 udp length past payload", B_ETH6, 0, 0, NULL, 0, NULL, 0, 0, -1,
     P2(58, 0x02, 59, 0x00), IKH_ERR_PKT_UDP_TRUNCATED, 58},
};

static size_t bad_build(const bad_row *r, uint8_t *buf, size_t cap)
{
    static const struct {
        int lt;
        unsigned ipver;
    } bases[] = {{IKH_LINK_ETHERNET, 4},  {IKH_LINK_ETHERNET, 6},
                 {IKH_LINK_RAW, 4},       {IKH_LINK_NULL, 4},
                 {IKH_LINK_LINUX_SLL, 4}, {IKH_LINK_LINUX_SLL2, 4}};
    uint16_t port = r->port ? r->port : 500;
    ptu_frame_spec sp =
        spec_ike(bases[r->base].lt, bases[r->base].ipver, port, port);
    sp.vlan_tags = r->vlan_tags;
    if (r->pay != NULL) {
        sp.pay = r->pay;
        sp.pay_len = r->pay_len;
    }
    sp.ext = r->ext;
    sp.ext_len = r->ext_len;
    sp.ext_first = r->ext_first;
    size_t n = ptu_frame(&sp, buf, cap, NULL, NULL);
    for (unsigned i = 0; i < r->npatch; i++) {
        assert_true(r->patch[i].at < n);
        buf[r->patch[i].at] = r->patch[i].v;
    }
    if (r->cut >= 0) {
        assert_true((size_t)r->cut <= n);
        n = (size_t)r->cut;
    }
    return n;
}

static int bad_linktype(const bad_row *r)
{
    static const int lts[] = {1, 1, 101, 0, 113, 276};
    return lts[r->base];
}

static void test_frame_malformed_table(void **state)
{
    (void)state;
    size_t nrows = sizeof bad_rows / sizeof bad_rows[0];
    assert_true(nrows >= 20);
    for (size_t i = 0; i < nrows; i++) {
        const bad_row *r = &bad_rows[i];
        uint8_t buf[FRAME_CAP];
        size_t n = bad_build(r, buf, sizeof buf);
        ikh_frame fr;
        uint8_t *copy;
        assert_int_equal(decode_exact(bad_linktype(r), buf, n, n, &fr, &copy),
                         IKH_OK);
        free(copy);
        if (fr.kind != IKH_FRAME_OTHER || fr.err != r->err ||
            fr.err_offset != r->off)
            fail_msg("row %zu \"%s\": want %s@%zu, got kind %d %s@%zu", i,
                     r->name, ikh_err_name(r->err), r->off, (int)fr.kind,
                     ikh_err_name(fr.err), fr.err_offset);
    }
}

/* Every prefix and many byte changes of a few frames: never a crash, never
 * a read outside the buffer (ASan), always a definite answer. */
static void test_frame_sweep(void **state)
{
    (void)state;
    static const uint8_t x_atomic[] = {0,  0, 1, 4, 0, 0, 0, 0,
                                       17, 0, 0, 0, 0, 0, 0, 1};
    uint8_t marked[4 + PTU_IKE_LEN] = {0};
    memcpy(marked + 4, g_ike, PTU_IKE_LEN);
    ptu_frame_spec specs[4];
    specs[0] = spec_ike(IKH_LINK_ETHERNET, 4, 500, 500);
    specs[0].vlan_tags = 2;
    specs[1] = spec_ike(IKH_LINK_LINUX_SLL2, 6, 4500, 4500);
    specs[1].pay = marked;
    specs[1].pay_len = sizeof marked;
    specs[1].ext = x_atomic;
    specs[1].ext_len = sizeof x_atomic;
    specs[1].ext_first = 0;
    specs[2] = spec_ike(IKH_LINK_NULL, 6, 4500, 7000);
    specs[3] = spec_ike(IKH_LINK_LINUX_SLL, 4, 4500, 4500);
    specs[3].pay = marked;
    specs[3].pay_len = sizeof marked;
    uint32_t seed = 12345;
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        uint8_t buf[FRAME_CAP];
        size_t n = ptu_frame(&specs[s], buf, sizeof buf, NULL, NULL);
        ikh_frame fr;
        uint8_t *copy;
        /* The intact frame is good; every prefix is something definite. */
        assert_int_equal(decode_exact(specs[s].linktype, buf, n, n, &fr, &copy),
                         IKH_OK);
        assert_int_equal(fr.err, IKH_OK);
        free(copy);
        for (size_t cut = 0; cut < n; cut++) {
            for (int snap = 0; snap <= 1; snap++) {
                assert_int_equal(decode_exact(specs[s].linktype, buf, cut,
                                              snap ? n : cut, &fr, &copy),
                                 IKH_OK);
                assert_int_equal(fr.kind, IKH_FRAME_OTHER);
                assert_true(fr.err != IKH_OK);
                assert_true(fr.err_offset <= cut);
                free(copy);
            }
        }
        for (int it = 0; it < 3000; it++) {
            uint8_t m[FRAME_CAP];
            memcpy(m, buf, n);
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % n;
                seed = seed * 1103515245u + 12345u;
                m[at] = (uint8_t)(seed >> 16);
            }
            assert_int_equal(
                decode_exact(specs[s].linktype, m, n, n, &fr, &copy), IKH_OK);
            assert_true(fr.err_offset <= n);
            if (fr.kind == IKH_FRAME_OTHER)
                assert_true(fr.err != IKH_OK);
            else
                assert_int_equal(fr.err, IKH_OK);
            free(copy);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_every_linktype),
        cmocka_unit_test(test_frame_addresses),
        cmocka_unit_test(test_frame_vlan),
        cmocka_unit_test(test_frame_null_families),
        cmocka_unit_test(test_frame_ipv4_options_padding),
        cmocka_unit_test(test_frame_ipv6_ext),
        cmocka_unit_test(test_frame_classify),
        cmocka_unit_test(test_frame_esp_proto50),
        cmocka_unit_test(test_frame_snaplen),
        cmocka_unit_test(test_frame_bad_args),
        cmocka_unit_test(test_frame_malformed_table),
        cmocka_unit_test(test_frame_sweep),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
