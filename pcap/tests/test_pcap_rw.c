/* SPDX-License-Identifier: MIT */
/*
 * Writer and reader together: for every link type the writer supports and
 * both IP families, write IKE on port 500, IKE on 4500 and on 7000 behind
 * the non-ESP marker, ESP on 4500, ESP as IP protocol 50, a NAT keepalive
 * and a fragment, then read the file back through libpcap and check each
 * record. Also: the bytes are deterministic and checksums verify, writer
 * argument errors, and ikh_addr_parse / ikh_addr_fmt.
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

static const int all_links[] = {IKH_LINK_NULL,      IKH_LINK_ETHERNET,
                                IKH_LINK_RAW,       IKH_LINK_LOOP,
                                IKH_LINK_LINUX_SLL, IKH_LINK_LINUX_SLL2};

static const uint8_t esp_pkt[24] = {0xC0, 0xFF, 0xEE, 0x01, 0, 0, 0, 7,
                                    1,    2,    3,    4,    5, 6, 7, 8};

/* An IP packet carrying ESP (protocol 50), built by hand. */
static size_t esp_ip(unsigned ipver, uint8_t *buf, size_t cap)
{
    ikh_wr w = ikh_wr_init(buf, cap);
    if (ipver == 6) {
        ikh_wr_u32(&w, 0x60000000u);
        ikh_wr_u16(&w, sizeof esp_pkt);
        ikh_wr_u8(&w, 50);
        ikh_wr_u8(&w, 64);
        ikh_wr_span(&w, ikh_span_of(ptu_addr("2001:db8::a").a, 16));
        ikh_wr_span(&w, ikh_span_of(ptu_addr("2001:db8::b").a, 16));
    } else {
        ikh_wr_u16(&w, 0x4500);
        ikh_wr_u16(&w, 20 + sizeof esp_pkt);
        ikh_wr_u32(&w, 0x00004000);
        ikh_wr_u32(&w, 0x40320000); /* TTL 64, ESP, checksum 0 */
        ikh_wr_u32(&w, 0xC633640A); /* 198.51.100.10 */
        ikh_wr_u32(&w, 0xC633640B);
    }
    ikh_wr_span(&w, ikh_span_of(esp_pkt, sizeof esp_pkt));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    return w.len;
}

/* An IPv4 first fragment of a UDP datagram. */
static size_t frag_ip(uint8_t *buf, size_t cap)
{
    ikh_wr w = ikh_wr_init(buf, cap);
    ikh_wr_u16(&w, 0x4500);
    ikh_wr_u16(&w, 20 + 16);
    ikh_wr_u32(&w, 0x12342000); /* MF */
    ikh_wr_u32(&w, 0x40110000);
    ikh_wr_u32(&w, 0xC633640A);
    ikh_wr_u32(&w, 0xC633640B);
    ikh_wr_u64(&w, 0x01F401F400400000u); /* UDP 500 -> 500, length 64 */
    ikh_wr_u64(&w, 0);
    return w.len;
}

typedef struct rw_case {
    uint16_t sport, dport;
    bool marker;
    int what; /* 0 IKE, 1 ESP/UDP, 2 keepalive, 3 ESP/IP, 4 fragment */
    ikh_frame_kind kind;
    ikh_err err;
} rw_case;

static const rw_case rw_cases[] = {
    {500, 500, false, 0, IKH_FRAME_IKE, IKH_OK},
    {4500, 4500, true, 0, IKH_FRAME_IKE, IKH_OK},
    {7000, 7000, true, 0, IKH_FRAME_IKE, IKH_OK},
    {4500, 4500, false, 1, IKH_FRAME_ESP, IKH_OK},
    {0, 0, false, 3, IKH_FRAME_ESP, IKH_OK},
    {4500, 61001, false, 2, IKH_FRAME_NAT_KEEPALIVE, IKH_OK},
    {0, 0, false, 4, IKH_FRAME_OTHER, IKH_ERR_PKT_IP_FRAGMENT},
};
#define N_CASES (sizeof rw_cases / sizeof rw_cases[0])

static void rw_write(const char *path, int lt, unsigned ipver)
{
    ikh_addr a = ptu_addr(ipver == 6 ? "2001:db8::1" : "192.0.2.1");
    ikh_addr b = ptu_addr(ipver == 6 ? "2001:db8:ffff::2" : "203.0.113.77");
    ikh_capw *w = NULL;
    assert_int_equal(ikh_capw_open(path, lt, &w), IKH_OK);
    for (size_t i = 0; i < N_CASES; i++) {
        const rw_case *c = &rw_cases[i];
        uint64_t ts = 1700000000000000u + i * 1001u;
        uint8_t buf[128] = {0};
        size_t n = 0;
        if (c->what == 0) {
            n = c->marker ? 4 : 0;
            ptu_ike(buf + n, (uint8_t)(34 + i), (uint32_t)i);
            n += PTU_IKE_LEN;
        } else if (c->what == 1) {
            memcpy(buf, esp_pkt, sizeof esp_pkt);
            n = sizeof esp_pkt;
        } else if (c->what == 2) {
            buf[0] = 0xFF;
            n = 1;
        }
        if (c->what <= 2) {
            assert_int_equal(ikh_capw_udp(w, ts, &a, c->sport, &b, c->dport,
                                          ikh_span_of(buf, n)),
                             IKH_OK);
        } else {
            n = c->what == 3 ? esp_ip(ipver, buf, sizeof buf)
                             : frag_ip(buf, sizeof buf);
            assert_int_equal(ikh_capw_ip(w, ts, ikh_span_of(buf, n)), IKH_OK);
        }
    }
    assert_int_equal(ikh_capw_close(w), IKH_OK);
}

static void rw_check(const char *path, int lt, unsigned ipver)
{
    ikh_cap *c = NULL;
    char eb[256];
    assert_int_equal(ikh_cap_open(path, &c, eb, sizeof eb), IKH_OK);
    assert_int_equal(ikh_cap_linktype(c), lt);
    for (size_t i = 0; i < N_CASES; i++) {
        const rw_case *k = &rw_cases[i];
        ikh_frame fr;
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        if (fr.kind != k->kind || fr.err != k->err)
            fail_msg("link %d v%u case %zu: kind %d err %s@%zu", lt, ipver, i,
                     (int)fr.kind, ikh_err_name(fr.err), fr.err_offset);
        assert_int_equal(fr.index, i + 1);
        assert_int_equal(fr.ts_sec, 1700000000u);
        assert_int_equal(fr.ts_usec, i * 1001u);
        assert_int_equal(fr.caplen, fr.origlen);
        char t[46];
        if (k->what <= 2) {
            assert_true(fr.udp);
            assert_int_equal(fr.sport, k->sport);
            assert_int_equal(fr.dport, k->dport);
            assert_string_equal(ikh_addr_fmt(&fr.src, t, sizeof t),
                                ipver == 6 ? "2001:db8::1" : "192.0.2.1");
            assert_string_equal(ikh_addr_fmt(&fr.dst, t, sizeof t),
                                ipver == 6 ? "2001:db8:ffff::2"
                                           : "203.0.113.77");
        } else if (k->what == 3) {
            assert_false(fr.udp);
            assert_int_equal(fr.src.family, ipver);
        }
        if (k->kind == IKH_FRAME_IKE) {
            uint8_t want[PTU_IKE_LEN];
            ptu_ike(want, (uint8_t)(34 + i), (uint32_t)i);
            assert_int_equal(fr.non_esp_marker, k->marker);
            assert_int_equal(fr.ike.len, PTU_IKE_LEN);
            assert_memory_equal(fr.ike.p, want, PTU_IKE_LEN);
            assert_int_equal(fr.ike_offset, fr.caplen - PTU_IKE_LEN);
        }
        if (k->kind == IKH_FRAME_ESP) {
            assert_int_equal(fr.esp.len, sizeof esp_pkt);
            assert_memory_equal(fr.esp.p, esp_pkt, sizeof esp_pkt);
        }
    }
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    assert_string_equal(ikh_cap_errmsg(c), "");
    ikh_cap_close(c);
}

static void test_rw_every_link_and_family(void **state)
{
    (void)state;
    for (size_t l = 0; l < sizeof all_links / sizeof all_links[0]; l++) {
        for (unsigned v = 4; v <= 6; v += 2) {
            char path[4096], name[64];
            snprintf(name, sizeof name, "test_pcap_rw_%d_v%u.pcap",
                     all_links[l], v);
            ptu_path(path, sizeof path, name);
            rw_write(path, all_links[l], v);
            rw_check(path, all_links[l], v);
            remove(path);
        }
    }
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* One's-complement sum over a byte run (test-side, independent of the
 * writer's code). */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (uint32_t)p[n - 1] << 8;
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return acc;
}

/* The exact bytes: little-endian file header, record header, IPv4 header
 * checksum and UDP checksum that verify; the same calls give the same file. */
static void test_rw_bytes(void **state)
{
    (void)state;
    char p1[4096], p2[4096];
    ptu_path(p1, sizeof p1, "test_pcap_rw_bytes1.pcap");
    ptu_path(p2, sizeof p2, "test_pcap_rw_bytes2.pcap");
    for (int round = 0; round < 2; round++) {
        ikh_capw *w;
        assert_int_equal(ikh_capw_open(round ? p2 : p1, IKH_LINK_RAW, &w),
                         IKH_OK);
        ikh_addr a = ptu_addr("192.0.2.1"), b = ptu_addr("192.0.2.2");
        uint8_t ike[PTU_IKE_LEN + 1];
        ptu_ike(ike, 34, 0);
        ike[PTU_IKE_LEN] = 0x5A; /* odd length: exercises checksum padding */
        assert_int_equal(ikh_capw_udp(w, 3000001u, &a, 500, &b, 500,
                                      ikh_span_of(ike, sizeof ike)),
                         IKH_OK);
        ikh_addr c6 = ptu_addr("2001:db8::1"), d6 = ptu_addr("2001:db8::2");
        assert_int_equal(ikh_capw_udp(w, 3000002u, &c6, 4500, &d6, 4500,
                                      ikh_span_of(ike, sizeof ike)),
                         IKH_OK);
        assert_int_equal(ikh_capw_close(w), IKH_OK);
    }
    size_t n1, n2;
    uint8_t *f1 = slurp(p1, &n1), *f2 = slurp(p2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(f1, f2, n1);
    static const uint8_t file_hdr[24] = {0xD4, 0xC3, 0xB2, 0xA1, 2,   0, 4, 0,
                                         0,    0,    0,    0,    0,   0, 0, 0,
                                         0,    0,    4,    0,    101, 0, 0, 0};
    assert_memory_equal(f1, file_hdr, sizeof file_hdr);
    static const uint8_t rec_hdr[16] = {3,  0, 0, 0, 1,  0, 0, 0,
                                        57, 0, 0, 0, 57, 0, 0, 0};
    assert_memory_equal(f1 + 24, rec_hdr, sizeof rec_hdr);
    const uint8_t *ip = f1 + 40;
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(sum16(ip, 20, 0), 0xFFFF); /* header checksum verifies */
    /* UDP over the IPv4 pseudo header */
    uint32_t acc = sum16(ip + 12, 8, 0) + 17 + 37;
    assert_int_equal(sum16(ip + 20, 37, acc), 0xFFFF);
    /* second record: IPv6, UDP over the IPv6 pseudo header */
    const uint8_t *ip6 = f1 + 40 + 57 + 16;
    assert_int_equal(ip6[0], 0x60);
    acc = sum16(ip6 + 8, 32, 0) + 17 + 37;
    assert_int_equal(sum16(ip6 + 40, 37, acc), 0xFFFF);
    assert_int_equal(n1, 40 + 57 + 16 + 77);
    free(f1);
    free(f2);
    remove(p1);
    remove(p2);
}

static void test_rw_writer_errors(void **state)
{
    (void)state;
    char path[4096];
    ptu_path(path, sizeof path, "test_pcap_rw_errors.pcap");
    ikh_capw *w = (ikh_capw *)1;
    assert_int_equal(ikh_capw_open(path, 12, &w), IKH_ERR_PCAP_LINKTYPE);
    assert_null(w);
    assert_int_equal(ikh_capw_open(path, 105, &w), IKH_ERR_PCAP_LINKTYPE);
    assert_int_equal(ikh_capw_open(NULL, 1, &w), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_open(path, 1, NULL), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_open("/nonexistent-dir/x.pcap", 1, &w),
                     IKH_ERR_IO_OPEN);
    assert_int_equal(ikh_capw_open(path, IKH_LINK_ETHERNET, &w), IKH_OK);
    ikh_addr a4 = ptu_addr("192.0.2.1"), a6 = ptu_addr("::1"), bad = a4;
    bad.family = 5;
    static uint8_t big[65508];
    ikh_span p = ikh_span_of(big, 10);
    assert_int_equal(ikh_capw_udp(w, 0, &a4, 1, &a6, 2, p),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp(w, 0, &bad, 1, &bad, 2, p),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp(w, 0, NULL, 1, &a4, 2, p),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(
        ikh_capw_udp(w, 0, &a4, 1, &a4, 2, ikh_span_of(big, sizeof big)),
        IKH_ERR_ARG_INVALID);
    assert_int_equal(
        ikh_capw_udp(w, 0, &a6, 1, &a6, 2, ikh_span_of(big, sizeof big - 1)),
        IKH_OK);
    assert_int_equal(
        ikh_capw_udp(w, 0, &a4, 1, &a4, 2, ikh_span_of(big, sizeof big - 1)),
        IKH_OK);
    assert_int_equal(
        ikh_capw_udp(w, (UINT64_C(1) << 32) * 1000000u, &a4, 1, &a4, 2, p),
        IKH_ERR_ARG_RANGE);
    assert_int_equal(
        ikh_capw_udp(w, (UINT64_C(1) << 32) * 1000000u - 1, &a4, 1, &a4, 2, p),
        IKH_OK);
    assert_int_equal(ikh_capw_ip(w, 0, ikh_span_of(big, 65536)),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_ip(w, 0, ikh_span_of(NULL, 0)), IKH_OK);
    assert_int_equal(ikh_capw_ip(NULL, 0, ikh_span_of(NULL, 0)),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_close(w), IKH_OK);
    assert_int_equal(ikh_capw_close(NULL), IKH_OK);

    /* Read back: the two largest datagrams, the last-second one and the
     * empty "IP packet" (IPv4 framing, PKT_IP_TRUNCATED). */
    ikh_cap *c;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    ikh_frame fr;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.err, IKH_OK); /* zeros: marker, then IKE */
        assert_int_equal(fr.kind, IKH_FRAME_IKE);
        assert_int_equal(fr.ike.len, 65507 - 4);
        assert_int_equal(fr.caplen, 14 + (i ? 20 : 40) + 8 + 65507);
    }
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.ts_sec, UINT32_MAX);
    assert_int_equal(fr.ts_usec, 999999);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_IP_TRUNCATED);
    assert_int_equal(fr.err_offset, 14);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    ikh_cap_close(c);
    remove(path);
}

static void test_rw_addr(void **state)
{
    (void)state;
    ikh_addr a;
    char t[46];
    assert_int_equal(ikh_addr_parse("10.1.2.3", &a), IKH_OK);
    assert_int_equal(a.family, 4);
    assert_int_equal(a.a[0], 10);
    assert_int_equal(a.a[3], 3);
    assert_int_equal(a.a[4], 0);
    assert_string_equal(ikh_addr_fmt(&a, t, sizeof t), "10.1.2.3");
    assert_int_equal(ikh_addr_parse("2001:DB8:0:0:0:0:0:1", &a), IKH_OK);
    assert_int_equal(a.family, 6);
    assert_string_equal(ikh_addr_fmt(&a, t, sizeof t), "2001:db8::1");
    assert_int_equal(ikh_addr_parse("::ffff:192.0.2.1", &a), IKH_OK);
    assert_string_equal(ikh_addr_fmt(&a, t, sizeof t), "::ffff:192.0.2.1");
    static const char *bad[] = {
        "",           "1.2.3",        "1.2.3.4.5", "256.0.0.1",
        "1.2.3.4/24", "fe80::1%eth0", "::g",       "1:2:3:4:5:6:7:8:9",
        " 1.2.3.4",   "host"};
    ikh_addr keep = a;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ikh_addr_parse(bad[i], &a), IKH_ERR_ARG_INVALID);
        assert_memory_equal(&a, &keep, sizeof a); /* untouched */
    }
    assert_int_equal(ikh_addr_parse(NULL, &a), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_addr_parse("1.2.3.4", NULL), IKH_ERR_ARG_INVALID);
    /* too small a buffer, odd families, NULL */
    assert_int_equal(ikh_addr_parse("255.255.255.255", &a), IKH_OK);
    char small[8] = "xxxxxxx";
    assert_string_equal(ikh_addr_fmt(&a, small, sizeof small), "");
    a.family = 0;
    assert_string_equal(ikh_addr_fmt(&a, t, sizeof t), "");
    assert_string_equal(ikh_addr_fmt(NULL, t, sizeof t), "");
    assert_null(ikh_addr_fmt(&a, NULL, 0));
    assert_int_equal(
        ikh_addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &a), IKH_OK);
    assert_int_equal(strlen(ikh_addr_fmt(&a, t, sizeof t)), 39);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rw_every_link_and_family),
        cmocka_unit_test(test_rw_bytes),
        cmocka_unit_test(test_rw_writer_errors),
        cmocka_unit_test(test_rw_addr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
