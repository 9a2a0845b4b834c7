/* SPDX-License-Identifier: MIT */
/*
 * ikh_cap_* on damaged and unusual files, built byte by byte: missing,
 * empty, bad magic, truncated file header, unsupported link type,
 * truncated record header and body, absurd record length (the reader
 * stops for good), end of file, DLT_RAW 12/14 and LOOP files, snap-length
 * cuts, nanosecond and big-endian pcap, hand-made pcapng (good, truncated,
 * two link types, unknown interface), and garbage records between good
 * ones (reading goes on). These pin the libpcap behaviours cap_read.c
 * documents.
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

#define FILE_CAP 4096

static uint8_t g_ike[PTU_IKE_LEN];

/* A raw-IPv4 frame carrying the IKE header on port 500. */
static size_t ike_frame(uint8_t *buf, size_t cap)
{
    ptu_frame_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.linktype = IKH_LINK_RAW;
    sp.ipver = 4;
    sp.ip_proto = 17;
    sp.sport = sp.dport = 500;
    sp.pay = g_ike;
    sp.pay_len = sizeof g_ike;
    return ptu_frame(&sp, buf, cap, NULL, NULL);
}

static int setup(void **state)
{
    (void)state;
    ptu_ike(g_ike, 34, 0);
    return 0;
}

/* ---- little file builder (test side) ----------------------------------- */

typedef struct fb {
    uint8_t b[FILE_CAP];
    size_t n;
    bool be; /* write multi-octet values big-endian */
} fb;

static void fb_u8(fb *f, uint8_t v)
{
    assert_true(f->n < FILE_CAP);
    f->b[f->n++] = v;
}

static void fb_u16(fb *f, uint16_t v)
{
    fb_u8(f, (uint8_t)(f->be ? v >> 8 : v));
    fb_u8(f, (uint8_t)(f->be ? v : v >> 8));
}

static void fb_u32(fb *f, uint32_t v)
{
    fb_u16(f, (uint16_t)(f->be ? v >> 16 : v));
    fb_u16(f, (uint16_t)(f->be ? v : v >> 16));
}

static void fb_bytes(fb *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fb_u8(f, p[i]);
}

static void fb_pcap_hdr(fb *f, uint32_t magic, uint32_t snaplen, uint32_t lt)
{
    fb_u32(f, magic);
    fb_u16(f, 2);
    fb_u16(f, 4);
    fb_u32(f, 0);
    fb_u32(f, 0);
    fb_u32(f, snaplen);
    fb_u32(f, lt);
}

static void fb_rec(fb *f, uint32_t sec, uint32_t frac, const uint8_t *p,
                   uint32_t caplen, uint32_t len)
{
    fb_u32(f, sec);
    fb_u32(f, frac);
    fb_u32(f, caplen);
    fb_u32(f, len);
    fb_bytes(f, p, caplen);
}

static void fb_save(const fb *f, const char *name, char *path, size_t len)
{
    ptu_path(path, len, name);
    ptu_write_file(path, f->b, f->n);
}

/* pcapng blocks (little-endian). */
static void ng_block(fb *f, uint32_t type, const uint8_t *body, size_t n)
{
    size_t pad = (4 - n % 4) % 4;
    uint32_t total = (uint32_t)(12 + n + pad);
    fb_u32(f, type);
    fb_u32(f, total);
    fb_bytes(f, body, n);
    for (size_t i = 0; i < pad; i++)
        fb_u8(f, 0);
    fb_u32(f, total);
}

static void ng_shb(fb *f)
{
    fb body = {.n = 0};
    fb_u32(&body, 0x1A2B3C4D);
    fb_u16(&body, 1);
    fb_u16(&body, 0);
    fb_u32(&body, 0xFFFFFFFF); /* section length: unknown */
    fb_u32(&body, 0xFFFFFFFF);
    ng_block(f, 0x0A0D0D0A, body.b, body.n);
}

static void ng_idb(fb *f, uint16_t lt)
{
    fb body = {.n = 0};
    fb_u16(&body, lt);
    fb_u16(&body, 0);
    fb_u32(&body, 65535);
    ng_block(f, 1, body.b, body.n);
}

static void ng_epb(fb *f, uint32_t ifid, uint64_t ts_usec, const uint8_t *p,
                   uint32_t n)
{
    fb body = {.n = 0};
    fb_u32(&body, ifid);
    fb_u32(&body, (uint32_t)(ts_usec >> 32));
    fb_u32(&body, (uint32_t)ts_usec);
    fb_u32(&body, n);
    fb_u32(&body, n);
    fb_bytes(&body, p, n);
    ng_block(f, 6, body.b, body.n);
}

/* ---- helpers ------------------------------------------------------------ */

static void expect_open_fails(const char *path, ikh_err want, const char *msg)
{
    ikh_cap *c = (ikh_cap *)1;
    char eb[512];
    assert_int_equal(ikh_cap_open(path, &c, eb, sizeof eb), want);
    assert_null(c);
    if (strstr(eb, msg) == NULL)
        fail_msg("error text \"%s\" lacks \"%s\"", eb, msg);
}

static ikh_cap *open_ok(const char *path)
{
    ikh_cap *c = NULL;
    char eb[512];
    ikh_err e = ikh_cap_open(path, &c, eb, sizeof eb);
    if (e != IKH_OK)
        fail_msg("open %s: %s (%s)", path, ikh_err_name(e), eb);
    return c;
}

static void next_ike(ikh_cap *c, uint64_t index)
{
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.index, index);
    assert_int_equal(fr.err, IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_memory_equal(fr.ike.p, g_ike, PTU_IKE_LEN);
}

/* The reader stopped: PCAP_RECORD now and on every later call. */
static void expect_stopped(ikh_cap *c, const char *msg)
{
    ikh_frame fr;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_PCAP_RECORD);
        assert_int_equal(fr.kind, IKH_FRAME_OTHER);
        assert_int_equal(fr.index, 0);
    }
    if (strstr(ikh_cap_errmsg(c), msg) == NULL)
        fail_msg("libpcap said \"%s\", expected \"%s\"", ikh_cap_errmsg(c),
                 msg);
}

/* ---- tests ------------------------------------------------------------- */

static void test_files_cannot_open(void **state)
{
    (void)state;
    char path[4096];
    ptu_path(path, sizeof path, "test_pcap_files_missing.pcap");
    remove(path);
    expect_open_fails(path, IKH_ERR_IO_OPEN, "No such file");

    fb f = {.n = 0};
    fb_save(&f, "test_pcap_files_empty.pcap", path, sizeof path);
    expect_open_fails(path, IKH_ERR_PCAP_OPEN, "truncated");

    for (int i = 0; i < 24; i++)
        fb_u8(&f, (uint8_t)i);
    fb_save(&f, "test_pcap_files_magic.pcap", path, sizeof path);
    expect_open_fails(path, IKH_ERR_PCAP_OPEN, "unknown file format");

    f.n = 0;
    fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, 1);
    f.n = 12;
    fb_save(&f, "test_pcap_files_shorthdr.pcap", path, sizeof path);
    expect_open_fails(path, IKH_ERR_PCAP_OPEN, "truncated");

    f.n = 0;
    ng_shb(&f);
    f.n = 20;
    fb_save(&f, "test_pcap_files_shortshb.pcapng", path, sizeof path);
    expect_open_fails(path, IKH_ERR_PCAP_OPEN, "truncated");

    f.n = 0;
    fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, 105); /* 802.11 */
    fb_save(&f, "test_pcap_files_wlan.pcap", path, sizeof path);
    expect_open_fails(path, IKH_ERR_PCAP_LINKTYPE, "IEEE802_11");

    /* Without an error buffer, and bad arguments. */
    ikh_cap *c;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_ERR_PCAP_LINKTYPE);
    assert_int_equal(ikh_cap_open(NULL, &c, NULL, 0), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_cap_open(path, NULL, NULL, 0), IKH_ERR_ARG_INVALID);
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(NULL, &fr), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_cap_linktype(NULL), -1);
    assert_string_equal(ikh_cap_errmsg(NULL), "");
    ikh_cap_close(NULL);
}

/* A record cut by the end of the file: libpcap reports an error from
 * pcap_next_ex ("truncated dump file"): PCAP_RECORD, and the reader stops. */
static void test_files_truncated_record(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    char path[4096];
    const struct {
        size_t cut; /* octets removed from the end */
        const char *msg;
    } cuts[] = {
        {n + 16 - 10, "tried to read 16 header bytes"}, /* in the header */
        {10, "captured bytes"},                         /* in the body */
        {1, "captured bytes"},
    };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        fb f = {.n = 0};
        fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, 101);
        fb_rec(&f, 1, 0, frame, (uint32_t)n, (uint32_t)n);
        fb_rec(&f, 2, 0, frame, (uint32_t)n, (uint32_t)n);
        f.n -= cuts[i].cut;
        fb_save(&f, "test_pcap_files_truncrec.pcap", path, sizeof path);
        ikh_cap *c = open_ok(path);
        next_ike(c, 1);
        expect_stopped(c, cuts[i].msg);
        ikh_cap_close(c);
    }
}

/* A record length libpcap refuses: PCAP_RECORD; libpcap itself would go on
 * reading the body as the next header, the reader must not. */
static void test_files_absurd_caplen(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    fb f = {.n = 0};
    fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, 101);
    fb_rec(&f, 1, 0, frame, (uint32_t)n, (uint32_t)n);
    fb_u32(&f, 1);
    fb_u32(&f, 0);
    fb_u32(&f, 0x7FFFFFFF);
    fb_u32(&f, 0x7FFFFFFF);
    for (int i = 0; i < 3; i++)
        fb_rec(&f, 3, 0, frame, (uint32_t)n, (uint32_t)n);
    char path[4096];
    fb_save(&f, "test_pcap_files_caplen.pcap", path, sizeof path);
    ikh_cap *c = open_ok(path);
    next_ike(c, 1);
    expect_stopped(c, "invalid packet capture length");
    ikh_cap_close(c);
}

/* DLT_RAW as 12 and 14, LINKTYPE_RAW 101 and LOOP: reported as LINKTYPE. */
static void test_files_linktypes(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    static const struct {
        uint32_t in;
        int out;
    } lts[] = {{101, IKH_LINK_RAW}, {12, IKH_LINK_RAW}, {14, IKH_LINK_RAW}};
    for (size_t i = 0; i < sizeof lts / sizeof lts[0]; i++) {
        fb f = {.n = 0};
        fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, lts[i].in);
        fb_rec(&f, 7, 8, frame, (uint32_t)n, (uint32_t)n);
        char path[4096];
        fb_save(&f, "test_pcap_files_lt.pcap", path, sizeof path);
        ikh_cap *c = open_ok(path);
        assert_int_equal(ikh_cap_linktype(c), lts[i].out);
        next_ike(c, 1);
        ikh_frame fr;
        assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
        assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
        ikh_cap_close(c);
    }
    /* LOOP: family in network order */
    uint8_t loop[132] = {0, 0, 0, 2};
    memcpy(loop + 4, frame, n);
    fb f = {.n = 0};
    fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, 108);
    fb_rec(&f, 7, 8, loop, (uint32_t)n + 4, (uint32_t)n + 4);
    char path[4096];
    fb_save(&f, "test_pcap_files_loop.pcap", path, sizeof path);
    ikh_cap *c = open_ok(path);
    assert_int_equal(ikh_cap_linktype(c), IKH_LINK_LOOP);
    next_ike(c, 1);
    ikh_cap_close(c);
}

/* caplen < len: the cut falls in the IKE message -> PCAP_SNAPLEN. libpcap
 * also cuts a record longer than the file's snaplen down to it. */
static void test_files_snaplen(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    fb f = {.n = 0};
    fb_pcap_hdr(&f, 0xA1B2C3D4, 40, 101);
    fb_rec(&f, 1, 0, frame, 38, (uint32_t)n);          /* cut by the writer */
    fb_rec(&f, 2, 0, frame, (uint32_t)n, (uint32_t)n); /* over the snaplen */
    fb_rec(&f, 3, 0, frame, 24, (uint32_t)n);          /* cut in UDP header */
    char path[4096];
    fb_save(&f, "test_pcap_files_snap.pcap", path, sizeof path);
    ikh_cap *c = open_ok(path);
    for (int i = 0; i < 2; i++) {
        ikh_frame fr;
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_OTHER);
        assert_int_equal(fr.err, IKH_ERR_PCAP_SNAPLEN);
        assert_int_equal(fr.caplen, i ? 40 : 38);
        assert_int_equal(fr.origlen, n);
        assert_int_equal(fr.err_offset, fr.caplen);
        assert_int_equal(fr.ike.len, fr.caplen - 28);
        assert_memory_equal(fr.ike.p, g_ike, fr.ike.len);
    }
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_UDP_TRUNCATED);
    assert_int_equal(fr.err_offset, 20);
    ikh_cap_close(c);
}

/* Nanosecond magic (scaled to microseconds) and a big-endian file. */
static void test_files_ns_and_big_endian(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    for (int be = 0; be <= 1; be++) {
        fb f = {.n = 0, .be = be};
        fb_pcap_hdr(&f, 0xA1B23C4D, 65535, 101);
        fb_rec(&f, 1234, 987654321, frame, (uint32_t)n, (uint32_t)n);
        char path[4096];
        fb_save(&f, "test_pcap_files_ns.pcap", path, sizeof path);
        ikh_cap *c = open_ok(path);
        ikh_frame fr;
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_IKE);
        assert_int_equal(fr.ts_sec, 1234);
        assert_int_equal(fr.ts_usec, 987654);
        ikh_cap_close(c);
    }
}

static void test_files_pcapng(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    char path[4096];
    /* good: two packets */
    fb f = {.n = 0};
    ng_shb(&f);
    ng_idb(&f, 101);
    ng_epb(&f, 0, 5000001, frame, (uint32_t)n);
    ng_epb(&f, 0, 5000002, frame, (uint32_t)n);
    size_t full = f.n;
    fb_save(&f, "test_pcap_files_ng.pcapng", path, sizeof path);
    ikh_cap *c = open_ok(path);
    assert_int_equal(ikh_cap_linktype(c), IKH_LINK_RAW);
    next_ike(c, 1);
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.ts_sec, 5);
    assert_int_equal(fr.ts_usec, 2);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    ikh_cap_close(c);
    /* last block cut, in its body and in its header */
    static const size_t cuts[] = {10, 60};
    for (size_t i = 0; i < 2; i++) {
        f.n = full - cuts[i];
        fb_save(&f, "test_pcap_files_ngcut.pcapng", path, sizeof path);
        c = open_ok(path);
        next_ike(c, 1);
        expect_stopped(c, "truncated pcapng dump file");
        ikh_cap_close(c);
    }
    /* a second interface with another link type: libpcap refuses it */
    f.n = 0;
    ng_shb(&f);
    ng_idb(&f, 101);
    ng_epb(&f, 0, 1, frame, (uint32_t)n);
    ng_idb(&f, 1);
    ng_epb(&f, 1, 2, frame, (uint32_t)n);
    fb_save(&f, "test_pcap_files_ng2.pcapng", path, sizeof path);
    c = open_ok(path);
    next_ike(c, 1);
    expect_stopped(c, "different from the type of the first interface");
    ikh_cap_close(c);
    /* a packet on an interface never described */
    f.n = 0;
    ng_shb(&f);
    ng_idb(&f, 101);
    ng_epb(&f, 3, 1, frame, (uint32_t)n);
    ng_epb(&f, 0, 2, frame, (uint32_t)n);
    fb_save(&f, "test_pcap_files_ngif.pcapng", path, sizeof path);
    c = open_ok(path);
    expect_stopped(c, "no Interface Description Block");
    ikh_cap_close(c);
}

/* Garbage records between good ones: each gets its PKT_* code and reading
 * goes on. */
static void test_files_garbage_records(void **state)
{
    (void)state;
    uint8_t frame[128];
    size_t n = ike_frame(frame, sizeof frame);
    fb f = {.n = 0};
    fb_pcap_hdr(&f, 0xA1B2C3D4, 65535, IKH_LINK_ETHERNET);
    uint8_t eth[160] = {0};
    eth[12] = 0x08;
    memcpy(eth + 14, frame, n);
    uint32_t seed = 99;
    uint8_t junk[64];
    for (int r = 0; r < 20; r++) {
        fb_rec(&f, 1, 0, eth, (uint32_t)n + 14, (uint32_t)n + 14);
        for (size_t i = 0; i < sizeof junk; i++) {
            seed = seed * 1103515245u + 12345u;
            junk[i] = (uint8_t)(seed >> 16);
        }
        uint32_t jl = (uint32_t)(r * 3 % (int)sizeof junk);
        fb_rec(&f, 1, 0, junk, jl, jl + (uint32_t)r);
    }
    fb_rec(&f, 1, 0, eth, 0, 0); /* an empty record */
    char path[4096];
    fb_save(&f, "test_pcap_files_junk.pcap", path, sizeof path);
    ikh_cap *c = open_ok(path);
    for (uint64_t i = 1; i <= 40; i += 2) {
        ikh_frame fr;
        next_ike(c, i);
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.index, i + 1);
        assert_int_equal(fr.kind, IKH_FRAME_OTHER);
        assert_true(fr.err != IKH_OK);
    }
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_LINK_TRUNCATED);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    ikh_cap_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_cannot_open),
        cmocka_unit_test(test_files_truncated_record),
        cmocka_unit_test(test_files_absurd_caplen),
        cmocka_unit_test(test_files_linktypes),
        cmocka_unit_test(test_files_snaplen),
        cmocka_unit_test(test_files_ns_and_big_endian),
        cmocka_unit_test(test_files_pcapng),
        cmocka_unit_test(test_files_garbage_records),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
