/* SPDX-License-Identifier: MIT */
/*
 * IP reassembly in ikh_cap_next() (pcap/src/reasm.c) and the fragmenting
 * writer ikh_capw_udp_frag(): IPv4 and IPv6 datagrams in order, reversed,
 * interleaved with other traffic and other fragmented datagrams; exact
 * duplicates; overlaps (IPv4 with the same and with different octets,
 * IPv6 per RFC 5722); tiny fragments and the fragment-count limit;
 * timeouts (boundary, mid-capture, end of capture, libpcap error); the
 * in-progress limit; bad offsets and lengths; snap-length cuts; the drop
 * report queue; and tshark agreeing on where each reassembled message
 * is (tshark reassembles by default; without tshark this test FAILS).
 *
 * Fragments are hand-built with ikh_capw_ip() so that any order, overlap
 * or oddity can be written; the reader sees every record through
 * run_read(), which drains ikh_cap_reasm_report() after each call.
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

#define T0 1700000000000000u /* capture time of the first record, usec */
#define MAX_RECS 1024u
#define MAX_REPS 512u
#define IP_MAX 65535u

/* ---- writing ---------------------------------------------------------- */

typedef struct tcap {
    ikh_capw *w;
    char path[4096];
    uint64_t ts; /* time of the next record; +1 ms after each */
    uint64_t n;  /* records written */
} tcap;

static void tc_open(tcap *t, const char *name, int lt)
{
    ptu_path(t->path, sizeof t->path, name);
    assert_int_equal(ikh_capw_open(t->path, lt, &t->w), IKH_OK);
    t->ts = T0;
    t->n = 0;
}

static void tc_close(tcap *t)
{
    assert_int_equal(ikh_capw_close(t->w), IKH_OK);
    t->w = NULL;
}

static void tc_ip(tcap *t, ikh_span ip)
{
    assert_int_equal(ikh_capw_ip(t->w, t->ts, ip), IKH_OK);
    t->ts += 1000;
    t->n++;
}

/* A datagram to fragment by hand: its IP payload and its key. */
typedef struct dg {
    unsigned v;
    ikh_addr src, dst;
    uint32_t id;
    uint8_t proto; /* IPv4 Protocol / Next Header of the Fragment header */
    uint8_t *data; /* IP payload (heap) */
    size_t len;
    size_t ike_at; /* where the IKE message starts in data */
    size_t ike_len;
} dg;

static void dg_key(dg *d, unsigned v, uint32_t id)
{
    memset(d, 0, sizeof *d);
    d->v = v;
    d->src = ptu_addr(v == 6 ? "2001:db8::1" : "192.0.2.1");
    d->dst = ptu_addr(v == 6 ? "2001:db8:1::2" : "198.51.100.2");
    d->id = id;
    d->proto = 17;
}

/*
 * A UDP datagram carrying an IKE-like message of ike_len octets (a real
 * IKE header with that Length, then a numbered fill), after the non-ESP
 * marker when asked. UDP checksum 0 (not checked by the reader).
 */
static dg dg_udp(unsigned v, uint32_t id, uint16_t port, bool marker,
                 size_t ike_len, uint8_t seed)
{
    dg d;
    dg_key(&d, v, id);
    d.ike_at = 8u + (marker ? 4u : 0u);
    d.ike_len = ike_len;
    d.len = d.ike_at + ike_len;
    d.data = malloc(d.len);
    assert_non_null(d.data);
    ikh_wr w = ikh_wr_init(d.data, d.len);
    ikh_wr_u16(&w, port);
    ikh_wr_u16(&w, port);
    ikh_wr_u16(&w, (uint16_t)d.len);
    ikh_wr_u16(&w, 0);
    if (marker)
        ikh_wr_u32(&w, 0);
    ikh_wr_u64(&w, 0x1122334455667700u | seed); /* IKE SA Initiator's SPI */
    ikh_wr_u64(&w, 0);
    ikh_wr_u32(&w, 0x00202208u); /* no payload, 2.0, IKE_SA_INIT, I */
    ikh_wr_u32(&w, 0);
    ikh_wr_u32(&w, (uint32_t)ike_len);
    for (size_t i = PTU_IKE_LEN; i < ike_len; i++)
        ikh_wr_u8(&w, (uint8_t)(i * 7u + seed));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    return d;
}

/* Any IP payload of len octets (for protocols other than UDP). */
static dg dg_raw(unsigned v, uint32_t id, uint8_t proto, size_t len,
                 uint8_t seed)
{
    dg d;
    dg_key(&d, v, id);
    d.proto = proto;
    d.len = len;
    d.data = malloc(len);
    assert_non_null(d.data);
    for (size_t i = 0; i < len; i++)
        d.data[i] = (uint8_t)(i * 13u + seed + 1u);
    return d;
}

static void dg_free(dg *d)
{
    free(d->data);
    d->data = NULL;
}

/* RFC 791 header checksum of the 20-octet IPv4 header at h. */
static uint16_t ip4_csum(const uint8_t *h)
{
    ikh_rd rd = ikh_rd_init(h, 20);
    uint32_t acc = 0;
    for (int k = 0; k < 10; k++)
        acc += ikh_rd_u16(&rd);
    while (acc >> 16)
        acc = (acc & 0xFFFFu) + (acc >> 16);
    return (uint16_t)~acc;
}

/* Write one fragment with these data octets at off (any off, any data). */
static void tc_frag_data(tcap *t, const dg *d, size_t off, ikh_span data,
                         bool more)
{
    static uint8_t pkt[IP_MAX];
    assert_true(off % 8u == 0 && off <= 8191u * 8u);
    ikh_wr w = ikh_wr_init(pkt, sizeof pkt);
    if (d->v == 6) {
        ikh_wr_u32(&w, 0x60000000u);
        ikh_wr_u16(&w, (uint16_t)(8u + data.len));
        ikh_wr_u8(&w, 44); /* Fragment */
        ikh_wr_u8(&w, 64);
        ikh_wr_span(&w, ikh_span_of(d->src.a, 16));
        ikh_wr_span(&w, ikh_span_of(d->dst.a, 16));
        ikh_wr_u8(&w, d->proto);
        ikh_wr_u8(&w, 0);
        ikh_wr_u16(&w, (uint16_t)(off | (more ? 1u : 0u)));
        ikh_wr_u32(&w, d->id);
    } else {
        ikh_wr_u16(&w, 0x4500);
        ikh_wr_u16(&w, (uint16_t)(20u + data.len));
        ikh_wr_u16(&w, (uint16_t)d->id);
        ikh_wr_u16(&w, (uint16_t)((more ? 0x2000u : 0u) | (off / 8u)));
        ikh_wr_u8(&w, 64);
        ikh_wr_u8(&w, d->proto);
        ikh_wr_u16(&w, 0); /* checksum, set below (tshark checks it) */
        ikh_wr_span(&w, ikh_span_of(d->src.a, 4));
        ikh_wr_span(&w, ikh_span_of(d->dst.a, 4));
    }
    ikh_wr_span(&w, data);
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    if (d->v == 4) {
        uint16_t c = ip4_csum(pkt);
        pkt[10] = (uint8_t)(c >> 8);
        pkt[11] = (uint8_t)c;
    }
    tc_ip(t, ikh_wr_span_of(&w));
}

/* Write octets [off, off + len) of d as a fragment; more unless it ends d. */
static void tc_frag(tcap *t, const dg *d, size_t off, size_t len)
{
    assert_true(off + len <= d->len);
    tc_frag_data(t, d, off, ikh_span_of(d->data + off, len),
                 off + len < d->len);
}

/* Cut d into pieces of step octets (the last one shorter); piece k is
 * written by tc_piece(t, d, step, k). */
static size_t n_pieces(const dg *d, size_t step)
{
    return (d->len + step - 1) / step;
}

static void tc_piece(tcap *t, const dg *d, size_t step, size_t k)
{
    size_t off = k * step;
    tc_frag(t, d, off, d->len - off < step ? d->len - off : step);
}

/* An unfragmented IKE message on port 500 (via the normal writer). */
static void tc_whole(tcap *t, unsigned v, uint8_t exch)
{
    uint8_t ike[PTU_IKE_LEN];
    ptu_ike(ike, exch, 1);
    ikh_addr a = ptu_addr(v == 6 ? "2001:db8::7" : "192.0.2.7");
    ikh_addr b = ptu_addr(v == 6 ? "2001:db8::8" : "192.0.2.8");
    assert_int_equal(ikh_capw_udp(t->w, t->ts, &a, 500, &b, 500,
                                  ikh_span_of(ike, sizeof ike)),
                     IKH_OK);
    t->ts += 1000;
    t->n++;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct rec_sum {
    ikh_frame fr;  /* as returned (spans dangle after the next call) */
    uint8_t *data; /* copy of fr.ike or fr.esp */
    size_t len;
} rec_sum;

typedef struct rep_sum {
    uint64_t after; /* records read when it was popped */
    bool at_end;    /* popped after the call that ended the capture */
    uint64_t first;
    ikh_err why;
} rep_sum;

typedef struct run {
    rec_sum rec[MAX_RECS + 1]; /* rec[index], 1-based */
    size_t n_rec;
    rep_sum rep[MAX_REPS];
    size_t n_rep;
    ikh_err end; /* STATE, or PCAP_RECORD */
} run;

static void run_drain(ikh_cap *c, run *r, bool at_end)
{
    uint64_t first = 0;
    ikh_err why = IKH_OK;
    while (ikh_cap_reasm_report(c, &first, &why) == IKH_OK) {
        assert_true(r->n_rep < MAX_REPS);
        r->rep[r->n_rep++] = (rep_sum){r->n_rec, at_end, first, why};
    }
}

/* Read the whole capture, draining the reports after every call. */
static run *run_read(const char *path, bool drain)
{
    run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    for (;;) {
        ikh_frame fr;
        ikh_err e = ikh_cap_next(c, &fr);
        if (e != IKH_OK) {
            r->end = e;
            run_drain(c, r, true);
            break;
        }
        assert_true(r->n_rec < MAX_RECS);
        rec_sum *s = &r->rec[++r->n_rec];
        assert_int_equal(fr.index, r->n_rec);
        s->fr = fr;
        ikh_span b = fr.kind == IKH_FRAME_ESP ? fr.esp : fr.ike;
        s->len = b.len;
        s->data = malloc(b.len ? b.len : 1);
        assert_non_null(s->data);
        if (b.len)
            memcpy(s->data, b.p, b.len); /* under ASan: the span is live */
        if (drain)
            run_drain(c, r, false);
    }
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), r->end); /* sticky */
    uint64_t first;
    ikh_err why;
    if (drain) { /* nothing more after the end */
        assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_ERR_STATE);
        assert_int_equal(ikh_cap_reasm_lost(c), 0);
    } else {
        run_drain(c, r, true);
        r->rep[0].after = ikh_cap_reasm_lost(c); /* for the caller */
    }
    ikh_cap_close(c);
    remove(path);
    return r;
}

static void run_free(run *r)
{
    for (size_t i = 1; i <= r->n_rec; i++)
        free(r->rec[i].data);
    free(r);
}

/* Record i is a fragment held for reassembly. */
static void expect_held(const run *r, uint64_t i)
{
    const ikh_frame *f = &r->rec[i].fr;
    if (f->kind != IKH_FRAME_OTHER || f->err != IKH_ERR_PKT_IP_FRAGMENT)
        fail_msg("record %llu: kind %d err %s, want a held fragment",
                 (unsigned long long)i, (int)f->kind, ikh_err_name(f->err));
    assert_int_equal(f->fragments, 0);
    assert_int_equal(f->first_index, i);
}

static void expect_held_range(const run *r, uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i <= to; i++)
        expect_held(r, i);
}

/* Record i completes d, made of frags fragments starting at record first. */
static void expect_dgram(const run *r, uint64_t i, const dg *d, uint32_t frags,
                         uint64_t first)
{
    const rec_sum *s = &r->rec[i];
    const ikh_frame *f = &s->fr;
    if (f->kind != IKH_FRAME_IKE || f->err != IKH_OK)
        fail_msg("record %llu: kind %d err %s@%zu, want the reassembled IKE",
                 (unsigned long long)i, (int)f->kind, ikh_err_name(f->err),
                 f->err_offset);
    assert_int_equal(f->fragments, frags);
    assert_int_equal(f->first_index, first);
    assert_int_equal(f->index, i);
    assert_int_equal(f->ts_sec * 1000000u + f->ts_usec, T0 + (i - 1) * 1000u);
    assert_memory_equal(&f->src, &d->src, sizeof f->src);
    assert_memory_equal(&f->dst, &d->dst, sizeof f->dst);
    assert_true(f->udp);
    assert_int_equal(f->ike_offset, d->ike_at);
    assert_int_equal(f->non_esp_marker, d->ike_at == 12);
    assert_int_equal(s->len, d->ike_len);
    assert_memory_equal(s->data, d->data + d->ike_at, d->ike_len);
}

static void expect_reports(const run *r, const rep_sum *want, size_t n)
{
    for (size_t k = 0; k < n && k < r->n_rep; k++) {
        const rep_sum *g = &r->rep[k];
        if (g->after != want[k].after || g->at_end != want[k].at_end ||
            g->first != want[k].first || g->why != want[k].why)
            fail_msg("report %zu: after %llu end %d first %llu %s; want "
                     "after %llu end %d first %llu %s",
                     k, (unsigned long long)g->after, g->at_end,
                     (unsigned long long)g->first, ikh_err_name(g->why),
                     (unsigned long long)want[k].after, want[k].at_end,
                     (unsigned long long)want[k].first,
                     ikh_err_name(want[k].why));
    }
    assert_int_equal(r->n_rep, n);
}

/* The data step for fragments of a 1500-octet (IPv4) or 1280-octet (IPv6)
 * MTU, as a sender would cut them. */
static size_t mtu_step(unsigned v)
{
    return v == 6 ? (1280u - 48u) / 8u * 8u : (1500u - 20u) / 8u * 8u;
}

static const int links[] = {IKH_LINK_ETHERNET, IKH_LINK_RAW,
                            IKH_LINK_LINUX_SLL2};

/* ---- tests ------------------------------------------------------------ */

static void test_reasm_in_order_and_reversed(void **state)
{
    (void)state;
    for (size_t l = 0; l < sizeof links / sizeof links[0]; l++) {
        for (unsigned v = 4; v <= 6; v += 2) {
            for (int rev = 0; rev < 2; rev++) {
                tcap t;
                tc_open(&t, "reasm_order.pcap", links[l]);
                dg d = dg_udp(v, 0x1234, 500, false, 3000, 1);
                size_t step = mtu_step(v), n = n_pieces(&d, step);
                assert_int_equal(n, 3);
                for (size_t k = 0; k < n; k++)
                    tc_piece(&t, &d, step, rev ? n - 1 - k : k);
                tc_close(&t);
                run *r = run_read(t.path, true);
                assert_int_equal(r->n_rec, n);
                expect_held_range(r, 1, n - 1);
                expect_dgram(r, n, &d, (uint32_t)n, 1);
                expect_reports(r, NULL, 0);
                run_free(r);
                dg_free(&d);
            }
        }
    }
}

/*
 * Four fragmented datagrams and unfragmented messages mixed: A and B share
 * the addresses (IDs differ), D has A's ID but another protocol, E has
 * A's ID from another source, C is IPv6 with A's ID.
 */
static void test_reasm_interleaved(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_mix.pcap", IKH_LINK_ETHERNET);
    dg a = dg_udp(4, 7, 500, false, 3000, 1);
    dg b = dg_udp(4, 8, 4500, true, 3000, 2); /* 3 pieces, 2 sent */
    dg c = dg_udp(6, 7, 500, false, 2000, 3);
    dg d = dg_raw(4, 7, 50, 1600, 4); /* ESP over IP, ID 7 too */
    dg e = dg_udp(4, 7, 500, false, 1000, 5);
    e.src = ptu_addr("192.0.2.99");
    size_t s4 = mtu_step(4), s6 = mtu_step(6);
    tc_piece(&t, &a, s4, 0);           /* 1 */
    tc_piece(&t, &b, s4, 0);           /* 2 */
    tc_whole(&t, 4, 34);               /* 3 */
    tc_piece(&t, &c, s6, 1);           /* 4 */
    tc_piece(&t, &a, s4, 1);           /* 5 */
    tc_frag(&t, &e, 0, 512);           /* 6 */
    tc_piece(&t, &d, s4, 0);           /* 7 */
    tc_piece(&t, &b, s4, 1);           /* 8 */
    tc_whole(&t, 6, 35);               /* 9 */
    tc_piece(&t, &c, s6, 0);           /* 10: completes C */
    tc_frag(&t, &e, 512, e.len - 512); /* 11: completes E */
    tc_piece(&t, &a, s4, 2);           /* 12: completes A */
    tc_piece(&t, &d, s4, 1);           /* 13: completes D */
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 13);
    expect_held_range(r, 1, 2);
    assert_int_equal(r->rec[3].fr.kind, IKH_FRAME_IKE);
    assert_int_equal(r->rec[3].fr.fragments, 0);
    assert_int_equal(r->rec[3].fr.first_index, 3);
    expect_held_range(r, 4, 8);
    assert_int_equal(r->rec[9].fr.kind, IKH_FRAME_IKE);
    expect_dgram(r, 10, &c, 2, 4);
    expect_dgram(r, 11, &e, 2, 6);
    expect_dgram(r, 12, &a, 3, 1);
    const ikh_frame *f = &r->rec[13].fr; /* ESP over IP, reassembled */
    assert_int_equal(f->kind, IKH_FRAME_ESP);
    assert_int_equal(f->fragments, 2);
    assert_int_equal(f->first_index, 7);
    assert_false(f->udp);
    assert_int_equal(f->ike_offset, 0);
    assert_int_equal(r->rec[13].len, d.len);
    assert_memory_equal(r->rec[13].data, d.data, d.len);
    /* B never got its last fragment */
    rep_sum want[] = {{13, true, 2, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 1);
    run_free(r);
    dg_free(&a);
    dg_free(&b);
    dg_free(&c);
    dg_free(&d);
    dg_free(&e);
}

/* Exact duplicates change nothing and are not counted. */
static void test_reasm_duplicates(void **state)
{
    (void)state;
    for (unsigned v = 4; v <= 6; v += 2) {
        tcap t;
        tc_open(&t, "reasm_dup.pcap", IKH_LINK_RAW);
        dg d = dg_udp(v, 99, 500, false, 3000, 9);
        size_t step = mtu_step(v);
        tc_piece(&t, &d, step, 1);
        tc_piece(&t, &d, step, 0);
        tc_piece(&t, &d, step, 1);
        tc_piece(&t, &d, step, 0);
        tc_piece(&t, &d, step, 2);
        tc_close(&t);
        run *r = run_read(t.path, true);
        assert_int_equal(r->n_rec, 5);
        expect_held_range(r, 1, 4);
        expect_dgram(r, 5, &d, 3, 1);
        expect_reports(r, NULL, 0);
        run_free(r);
        dg_free(&d);
    }
}

/* IPv4: an overlap with other octets drops the datagram, reported once;
 * its later fragments are discarded silently. */
static void test_reasm_overlap_v4_different(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_ovl4.pcap", IKH_LINK_ETHERNET);
    dg d = dg_udp(4, 5, 500, false, 3000, 1);
    uint8_t evil[1480];
    memcpy(evil, d.data + 1472, sizeof evil);
    evil[3] ^= 0x40;          /* inside [1472, 1480), the part that overlaps */
    tc_frag(&t, &d, 0, 1480); /* 1 */
    tc_frag_data(&t, &d, 1472, ikh_span_of(evil, 1480), true); /* 2 */
    tc_frag(&t, &d, 1480, 1480);                               /* 3 */
    tc_frag(&t, &d, 2960, d.len - 2960);                       /* 4 */
    tc_frag(&t, &d, 0, 1480);                                  /* 5 */
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 5);
    expect_held_range(r, 1, 5);
    rep_sum want[] = {{2, false, 1, IKH_ERR_PKT_FRAG_OVERLAP}};
    expect_reports(r, want, 1);
    run_free(r);
    dg_free(&d);
}

/* IPv4: overlaps with the same octets (other boundaries) are accepted. */
static void test_reasm_overlap_v4_same(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_ovl4s.pcap", IKH_LINK_ETHERNET);
    dg d = dg_udp(4, 5, 500, false, 3000, 1);
    tc_frag(&t, &d, 0, 1480);
    tc_frag(&t, &d, 736, 1480);
    tc_frag(&t, &d, 2208, d.len - 2208);
    /* late copies: the datagram is gone, so they start a new one */
    tc_frag(&t, &d, 1480, 8);
    tc_frag(&t, &d, 2216, 8);
    tc_frag(&t, &d, 2200, 8);
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 6);
    /* complete after record 3: [0,1480) + [736,2216) + [2208,end) */
    expect_held_range(r, 1, 2);
    expect_dgram(r, 3, &d, 3, 1);
    /* the late ones start a new datagram that never completes */
    expect_held_range(r, 4, 6);
    rep_sum want[] = {{6, true, 4, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 1);
    run_free(r);
    dg_free(&d);
}

/* IPv6: any overlap drops the datagram (RFC 5722), even with the same
 * octets; so does a fragment at a seen offset and length with other
 * octets. */
static void test_reasm_overlap_v6(void **state)
{
    (void)state;
    for (int same_place = 0; same_place < 2; same_place++) {
        tcap t;
        tc_open(&t, "reasm_ovl6.pcap", IKH_LINK_RAW);
        dg d = dg_udp(6, 0xABCDEF01u, 500, false, 3000, 3);
        tc_frag(&t, &d, 0, 1232);
        if (same_place) {
            uint8_t other[1232];
            memcpy(other, d.data, sizeof other);
            other[100] ^= 1;
            tc_frag_data(&t, &d, 0, ikh_span_of(other, sizeof other), true);
        } else {
            tc_frag(&t, &d, 1224, 1232); /* same octets, 8 overlap */
        }
        tc_frag(&t, &d, 1232, 1232);
        tc_frag(&t, &d, 2464, d.len - 2464);
        tc_close(&t);
        run *r = run_read(t.path, true);
        assert_int_equal(r->n_rec, 4);
        expect_held_range(r, 1, 4);
        rep_sum want[] = {{2, false, 1, IKH_ERR_PKT_FRAG_OVERLAP}};
        expect_reports(r, want, 1);
        run_free(r);
        dg_free(&d);
    }
}

/* 8-octet fragments (the first holds only the UDP header: RFC 1858's tiny
 * fragment) reassemble; 128 fragments is the limit, the 129th drops. */
static void test_reasm_tiny_and_too_many(void **state)
{
    (void)state;
    for (unsigned v = 4; v <= 6; v += 2) {
        for (int over = 0; over < 2; over++) {
            tcap t;
            tc_open(&t, "reasm_tiny.pcap", IKH_LINK_ETHERNET);
            size_t frags = over ? 129 : 128;
            dg d = dg_udp(v, 3, 500, false, frags * 8 - 8, 6);
            for (size_t k = 0; k < frags; k++)
                tc_piece(&t, &d, 8, (k * 37) % frags); /* scrambled */
            tc_close(&t);
            run *r = run_read(t.path, true);
            assert_int_equal(r->n_rec, frags);
            if (over) {
                expect_held_range(r, 1, 129);
                rep_sum want[] = {{129, false, 1, IKH_ERR_PKT_FRAG_BAD}};
                expect_reports(r, want, 1);
            } else {
                expect_held_range(r, 1, 127);
                expect_dgram(r, 128, &d, 128, 1);
                expect_reports(r, NULL, 0);
            }
            run_free(r);
            dg_free(&d);
        }
    }
}

/* A missing last fragment is reported at the end of the capture. */
static void test_reasm_missing_last(void **state)
{
    (void)state;
    for (unsigned v = 4; v <= 6; v += 2) {
        tcap t;
        tc_open(&t, "reasm_miss.pcap", IKH_LINK_ETHERNET);
        dg d = dg_udp(v, 11, 500, false, 3000, 2);
        tc_whole(&t, v, 37);
        tc_piece(&t, &d, mtu_step(v), 0);
        tc_piece(&t, &d, mtu_step(v), 1);
        tc_whole(&t, v, 37);
        tc_close(&t);
        run *r = run_read(t.path, true);
        assert_int_equal(r->n_rec, 4);
        expect_held_range(r, 2, 3);
        rep_sum want[] = {{4, true, 2, IKH_ERR_PKT_FRAG_TIMEOUT}};
        expect_reports(r, want, 1);
        run_free(r);
        dg_free(&d);
    }
}

/* 30 s after the first fragment is still in time; a microsecond later the
 * datagram is dropped when the next record is read (before that record is
 * used: a late fragment starts a new datagram), oldest first. */
static void test_reasm_timeout(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_tmo.pcap", IKH_LINK_ETHERNET);
    dg a = dg_udp(4, 1, 500, false, 3000, 1);
    dg b = dg_udp(4, 2, 500, false, 3000, 2);
    dg c = dg_udp(4, 3, 500, false, 2000, 3);
    size_t s = mtu_step(4);
    uint64_t ta = t.ts;
    tc_piece(&t, &a, s, 0);                  /* 1 */
    tc_piece(&t, &a, s, 1);                  /* 2 */
    t.ts = ta + IKH_PCAP_REASM_TIMEOUT_USEC; /* exactly 30 s later */
    tc_piece(&t, &a, s, 2);                  /* 3: completes A */
    uint64_t tb = t.ts;
    tc_piece(&t, &b, s, 0); /* 4 */
    t.ts = tb + IKH_PCAP_REASM_TIMEOUT_USEC + 1;
    tc_whole(&t, 4, 34);    /* 5: B times out */
    tc_piece(&t, &b, s, 1); /* 6: a new B */
    tc_piece(&t, &b, s, 2); /* 7 */
    uint64_t tc = t.ts;
    tc_piece(&t, &c, s, 0); /* 8 */
    t.ts = tc + IKH_PCAP_REASM_TIMEOUT_USEC + 1;
    tc_piece(&t, &c, s, 1); /* 9: C timed out: it would have completed it */
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 9);
    expect_held_range(r, 1, 2);
    assert_int_equal(r->rec[3].fr.kind, IKH_FRAME_IKE);
    assert_int_equal(r->rec[3].fr.fragments, 3);
    assert_int_equal(r->rec[3].len, a.ike_len);
    expect_held(r, 4);
    assert_int_equal(r->rec[5].fr.kind, IKH_FRAME_IKE);
    expect_held_range(r, 6, 9);
    rep_sum want[] = {{5, false, 4, IKH_ERR_PKT_FRAG_TIMEOUT},
                      {9, false, 6, IKH_ERR_PKT_FRAG_TIMEOUT},
                      {9, false, 8, IKH_ERR_PKT_FRAG_TIMEOUT},
                      {9, true, 9, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 4);
    run_free(r);
    dg_free(&a);
    dg_free(&b);
    dg_free(&c);
}

/* A capture whose clock goes back never expires anything early. */
static void test_reasm_clock_back(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_back.pcap", IKH_LINK_RAW);
    dg a = dg_udp(6, 1, 500, false, 2000, 1);
    t.ts = T0 + 100000000u;
    tc_frag(&t, &a, 0, 1232);
    t.ts = T0; /* 100 s back */
    tc_frag(&t, &a, 1232, a.len - 1232);
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->rec[2].fr.kind, IKH_FRAME_IKE);
    assert_int_equal(r->rec[2].fr.fragments, 2);
    expect_reports(r, NULL, 0);
    run_free(r);
    dg_free(&a);
}

/* 65 datagrams in progress: the oldest is evicted; but dead datagrams
 * (already reported) go first, silently, even when they are younger. */
static void test_reasm_too_many_in_progress(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_evict.pcap", IKH_LINK_ETHERNET);
    dg d[66];
    for (uint32_t k = 0; k < 66; k++)
        d[k] = dg_udp(k % 2 ? 6 : 4, 100 + k, 500, false, 40, (uint8_t)k);
    tc_frag(&t, &d[0], 0, 24); /* 1: the oldest, in progress */
    tc_frag(&t, &d[1], 0, 20); /* 2: bad (20 is not a multiple of 8): dead */
    for (uint32_t k = 2; k < 64; k++) /* 3..64: the table is full */
        tc_frag(&t, &d[k], 0, 24);
    tc_frag(&t, &d[64], 0, 24);       /* 65: the dead one (record 2) goes */
    tc_frag(&t, &d[65], 0, 24);       /* 66: now the oldest (record 1) goes */
    for (uint32_t k = 2; k < 66; k++) /* 67..130 complete 2..65 */
        tc_frag(&t, &d[k], 24, d[k].len - 24);
    tc_frag(&t, &d[0], 24, d[0].len - 24); /* 131: a new datagram 0 */
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 131);
    expect_held_range(r, 1, 66);
    for (uint32_t k = 2; k < 66; k++)
        expect_dgram(r, 65 + k, &d[k], 2, k + 1);
    expect_held(r, 131);
    rep_sum want[] = {{2, false, 2, IKH_ERR_PKT_FRAG_BAD},
                      {66, false, 1, IKH_ERR_PKT_FRAG_LIMIT},
                      {131, true, 131, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 3);
    run_free(r);
    for (size_t k = 0; k < 66; k++)
        dg_free(&d[k]);
}

/* Bad offsets and lengths: each drops its datagram with PKT_FRAG_BAD. */
typedef struct bad_case {
    const char *what;
    unsigned v;
    struct {
        size_t off, len;
        int more; /* 1 set, 0 clear, -1 as tc_frag would */
    } f[3];
    size_t n;
    uint64_t bad_at; /* record where it is reported; 0: not bad */
} bad_case;

static const bad_case bad_cases[] = {
    {"v4 offset past 65535", 4, {{65528, 16, 1}}, 1, 1},
    {"v6 offset past 65535", 6, {{65528, 16, 1}}, 1, 1},
    {"v4 last ends at 65536", 4, {{65520, 16, 0}}, 1, 1},
    {"v6 last ends at 65536", 6, {{65520, 16, 0}}, 1, 1},
    {"v4 last ends at 65535 (fine, never completes)", 4, {{65528, 7, 0}}, 1, 0},
    {"v4 middle not multiple of 8", 4, {{0, 1476, 1}, {1480, 8, 1}}, 2, 1},
    {"v6 middle not multiple of 8", 6, {{1224, 1001, 1}, {0, 8, 1}}, 2, 1},
    {"v4 second last, other end", 4, {{1480, 200, 0}, {1480, 208, 0}}, 2, 2},
    {"v6 second last, other end", 6, {{1232, 200, 0}, {1232, 192, 0}}, 2, 2},
    {"v4 data past the last's end", 4, {{1480, 200, 0}, {1672, 16, 1}}, 2, 2},
    {"v6 last before data seen", 6, {{2000, 400, 1}, {1232, 400, 0}}, 2, 2},
    {"v4 zero-length middle", 4, {{0, 8, 1}, {8, 0, 1}}, 2, 2},
    {"v6 zero-length last", 6, {{0, 8, 1}, {16, 0, 0}}, 2, 2},
};

static void test_reasm_bad_offsets(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        tcap t;
        tc_open(&t, "reasm_bad.pcap", IKH_LINK_RAW);
        dg d = dg_raw(c->v, 42, 17, 70000, 1);
        for (size_t k = 0; k < c->n; k++)
            tc_frag_data(&t, &d, c->f[k].off,
                         ikh_span_of(d.data + c->f[k].off, c->f[k].len),
                         c->f[k].more == 1);
        dg_free(&d);
        tc_close(&t);
        run *r = run_read(t.path, true);
        assert_int_equal(r->n_rec, c->n);
        expect_held_range(r, 1, c->n);
        rep_sum want[] = {{c->bad_at, false, 1, IKH_ERR_PKT_FRAG_BAD}};
        rep_sum tmo[] = {{c->n, true, 1, IKH_ERR_PKT_FRAG_TIMEOUT}};
        if (r->n_rep != 1 || (c->bad_at && r->rep[0].why != want[0].why))
            fail_msg("%s: %zu reports, first %s", c->what, r->n_rep,
                     r->n_rep ? ikh_err_name(r->rep[0].why) : "-");
        expect_reports(r, c->bad_at ? want : tmo, 1);
        run_free(r);
    }
}

/* Reassembled datagrams are classified like unfragmented ones: the marker
 * on 4500, ESP on 4500, other protocols, a bad UDP length, and IPv6
 * extension headers after the Fragment header. */
static void test_reasm_classification(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_class.pcap", IKH_LINK_LINUX_SLL);
    dg m4 = dg_udp(4, 1, 4500, true, 2000, 1); /* IKE behind the marker */
    dg m6 = dg_udp(6, 1, 4500, true, 2000, 2);
    dg esp = dg_udp(6, 2, 4500, false, 2000, 3);
    esp.data[8] = 0xC1; /* SPI, not a marker: ESP */
    dg tcp = dg_raw(4, 3, 6, 2000, 4);
    dg bad = dg_udp(4, 4, 500, false, 2000, 5);
    bad.data[4] = 0xFF; /* UDP Length 0xFF.. past the datagram */
    dg ext = dg_raw(6, 5, 60, 8 + 8 + 2000, 6); /* dstopts, then UDP */
    dg inner = dg_udp(6, 5, 500, false, 2000, 6);
    ext.data[0] = 17; /* dstopts: next header UDP, length 0 (8 octets) */
    ext.data[1] = 0;
    memset(ext.data + 2, 0, 6);
    memcpy(ext.data + 8, inner.data, inner.len);
    dg *all[] = {&m4, &m6, &esp, &tcp, &bad, &ext};
    for (size_t k = 0; k < 6; k++) {
        tc_frag(&t, all[k], 0, 1200);
        tc_frag(&t, all[k], 1200, all[k]->len - 1200);
    }
    tc_close(&t);
    run *r = run_read(t.path, true);
    assert_int_equal(r->n_rec, 12);
    for (uint64_t k = 1; k <= 11; k += 2)
        expect_held(r, k);
    expect_dgram(r, 2, &m4, 2, 1);
    expect_dgram(r, 4, &m6, 2, 3);
    const ikh_frame *f = &r->rec[6].fr;
    assert_int_equal(f->kind, IKH_FRAME_ESP);
    assert_true(f->udp);
    assert_int_equal(f->sport, 4500);
    assert_int_equal(f->ike_offset, 8);
    assert_int_equal(r->rec[6].len, esp.len - 8);
    f = &r->rec[8].fr;
    assert_int_equal(f->kind, IKH_FRAME_OTHER);
    assert_int_equal(f->err, IKH_ERR_PKT_NOT_UDP);
    assert_int_equal(f->err_offset, 0);
    assert_int_equal(f->fragments, 2);
    assert_int_equal(f->first_index, 7);
    f = &r->rec[10].fr;
    assert_int_equal(f->kind, IKH_FRAME_OTHER);
    assert_int_equal(f->err, IKH_ERR_PKT_UDP_TRUNCATED);
    assert_int_equal(f->err_offset, 4);
    assert_int_equal(f->fragments, 2);
    f = &r->rec[12].fr;
    assert_int_equal(f->kind, IKH_FRAME_IKE);
    assert_int_equal(f->ike_offset, 16);
    assert_int_equal(r->rec[12].len, inner.ike_len);
    assert_memory_equal(r->rec[12].data, inner.data + 8, inner.ike_len);
    expect_reports(r, NULL, 0);
    run_free(r);
    for (size_t k = 0; k < 6; k++)
        dg_free(all[k]);
    dg_free(&inner);
}

/* ikh_frame_decode() on a fragment alone: still PKT_IP_FRAGMENT, and
 * nothing is reassembled whatever follows. */
static void test_reasm_frame_decode_untouched(void **state)
{
    (void)state;
    uint8_t pkt[64];
    ikh_wr w = ikh_wr_init(pkt, sizeof pkt);
    ikh_wr_u32(&w, 0x4500001Cu); /* 20 + 8 */
    ikh_wr_u32(&w, 0x00012000u); /* ID 1, MF */
    ikh_wr_u32(&w, 0x40110000u);
    ikh_wr_u32(&w, 0xC0000201u);
    ikh_wr_u32(&w, 0xC0000202u);
    ikh_wr_u64(&w, 0x01F401F400300000u);
    ikh_frame fr;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(ikh_frame_decode(IKH_LINK_RAW, pkt, w.len, &fr),
                         IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_OTHER);
        assert_int_equal(fr.err, IKH_ERR_PKT_IP_FRAGMENT);
        assert_int_equal(fr.err_offset, 6);
        assert_int_equal(fr.fragments, 0);
        assert_int_equal(fr.first_index, 0);
    }
}

/* The report queue: arguments, order, and what happens to a caller that
 * never drains it (the oldest reports are lost and counted). */
static void test_reasm_report_queue(void **state)
{
    (void)state;
    uint64_t first = 77;
    ikh_err why = IKH_ERR_STATE;
    assert_int_equal(ikh_cap_reasm_report(NULL, &first, &why),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_cap_reasm_lost(NULL), 0);
    tcap t;
    tc_open(&t, "reasm_queue.pcap", IKH_LINK_RAW);
    size_t n = IKH_PCAP_REASM_MAX_REPORTS + 44;
    for (size_t k = 0; k < n; k++) {
        dg d = dg_raw(k % 2 ? 4 : 6, (uint32_t)k, 17, 64, 1);
        tc_frag_data(&t, &d, 8, ikh_span_of(d.data, 12), true); /* bad */
        dg_free(&d);
    }
    tc_close(&t);
    char keep[4096];
    snprintf(keep, sizeof keep, "%s", t.path);
    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(keep, &c, NULL, 0), IKH_OK);
    assert_int_equal(ikh_cap_reasm_report(c, NULL, &why), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_cap_reasm_report(c, &first, NULL),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_ERR_STATE);
    assert_int_equal(first, 77); /* untouched */
    ikh_cap_close(c);
    run *r = run_read(t.path, false);
    assert_int_equal(r->n_rec, n);
    assert_int_equal(r->n_rep, IKH_PCAP_REASM_MAX_REPORTS);
    assert_int_equal(r->rep[0].after, 44); /* ikh_cap_reasm_lost() */
    for (size_t k = 0; k < r->n_rep; k++) {
        assert_int_equal(r->rep[k].first, 45 + k);
        assert_int_equal(r->rep[k].why, IKH_ERR_PKT_FRAG_BAD);
    }
    run_free(r);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    ikh_wr w = ikh_wr_init(p, 4);
    for (int k = 0; k < 4; k++)
        ikh_wr_u8(&w, (uint8_t)(v >> (8 * k)));
}

/* A fragment cut by the snap length is not held: PCAP_SNAPLEN, and its
 * datagram times out at the end. */
static void test_reasm_snaplen_cut(void **state)
{
    (void)state;
    char path[4096];
    tcap t;
    tc_open(&t, "reasm_cut.pcap", IKH_LINK_RAW);
    dg d = dg_udp(4, 9, 500, false, 100, 1);
    tc_frag(&t, &d, 0, 64);
    tc_frag(&t, &d, 64, d.len - 64); /* 20 + 44 octets */
    tc_close(&t);
    snprintf(path, sizeof path, "%s", t.path);
    /* Rewrite the second record's header: caplen 30 of 64, and drop the
     * octets after it. */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t file[4096];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    size_t rec2 = 24 + 16 + 84;
    assert_int_equal(n, rec2 + 16 + 64);
    put_le32(file + rec2 + 8, 30);
    ptu_write_file(path, file, rec2 + 16 + 30);
    run *r = run_read(path, true);
    assert_int_equal(r->n_rec, 2);
    expect_held(r, 1);
    assert_int_equal(r->rec[2].fr.kind, IKH_FRAME_OTHER);
    assert_int_equal(r->rec[2].fr.err, IKH_ERR_PCAP_SNAPLEN);
    assert_int_equal(r->rec[2].fr.err_offset, 30);
    rep_sum want[] = {{2, true, 1, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 1);
    run_free(r);
    dg_free(&d);
}

/* A damaged record stops the reader: what is in progress is reported. */
static void test_reasm_pcap_record_error(void **state)
{
    (void)state;
    tcap t;
    tc_open(&t, "reasm_dmg.pcap", IKH_LINK_ETHERNET);
    dg d = dg_udp(6, 9, 500, false, 3000, 1);
    tc_piece(&t, &d, mtu_step(6), 0);
    tc_piece(&t, &d, mtu_step(6), 1);
    tc_close(&t);
    FILE *f = fopen(t.path, "rb");
    assert_non_null(f);
    static uint8_t file[8192];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    ptu_write_file(t.path, file, n - 5); /* the last record is cut short */
    run *r = run_read(t.path, true);
    assert_int_equal(r->end, IKH_ERR_PCAP_RECORD);
    assert_int_equal(r->n_rec, 1);
    expect_held(r, 1);
    rep_sum want[] = {{1, true, 1, IKH_ERR_PKT_FRAG_TIMEOUT}};
    expect_reports(r, want, 1);
    run_free(r);
    dg_free(&d);
}

/* ikh_capw_udp_frag: argument checks, packet sizes, IDs, read back. */
static void test_reasm_writer(void **state)
{
    (void)state;
    char path[4096];
    ptu_path(path, sizeof path, "reasm_writer.pcap");
    ikh_capw *w = NULL;
    assert_int_equal(ikh_capw_open(path, IKH_LINK_RAW, &w), IKH_OK);
    ikh_addr a4 = ptu_addr("192.0.2.1"), b4 = ptu_addr("192.0.2.2");
    ikh_addr a6 = ptu_addr("2001:db8::1"), b6 = ptu_addr("2001:db8::2");
    static uint8_t msg[65507];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i ^ (i >> 8));
    ikh_span s = ikh_span_of(msg, 3000);
    assert_int_equal(ikh_capw_udp_frag(NULL, T0, &a4, 1, &b4, 2, s, 1500),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a4, 1, &b6, 2, s, 1500),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a4, 1, &b4, 2, s, 27),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a6, 1, &b6, 2, s, 55),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(
        ikh_capw_udp_frag(w, T0, &a4, 1, &b4, 2, ikh_span_of(msg, 65508), 1500),
        IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_capw_udp_frag(w, UINT64_MAX, &a4, 1, &b4, 2, s, 1500),
                     IKH_ERR_ARG_RANGE);
    /* records 1-3 */
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a4, 500, &b4, 500, s, 1500),
                     IKH_OK);
    /* 4-9 (mtu 600: 552 data octets a fragment; 3008 / 552 -> 6) */
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a6, 500, &b6, 500, s, 600),
                     IKH_OK);
    /* 10: fits: one ordinary record */
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a4, 500, &b4, 500,
                                       ikh_span_of(msg, 1472), 1500),
                     IKH_OK);
    /* 11-8200: the largest datagram in the smallest IPv4 fragments, too
     * many fragments for the reader (8190 > 128): written all the same */
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a4, 500, &b4, 500,
                                       ikh_span_of(msg, 65507), 28),
                     IKH_OK);
    /* 8201-8202: the largest IPv6 datagram (40 + 65515 octets) does not fit
     * a 65535-octet packet (an mtu above it counts as 65535) */
    assert_int_equal(ikh_capw_udp_frag(w, T0, &a6, 500, &b6, 500,
                                       ikh_span_of(msg, 65507), 70000),
                     IKH_OK);
    assert_int_equal(ikh_capw_close(w), IKH_OK);

    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    ikh_frame fr;
    size_t sizes[3] = {1500, 1500, 20 + 3008 - 2 * 1480};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.caplen, sizes[k]);
    }
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.fragments, 3);
    assert_int_equal(fr.ike.len, 3000);
    assert_memory_equal(fr.ike.p, msg, 3000);
    for (size_t k = 0; k < 6; k++) {
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.caplen, k < 5 ? 48 + 552 : 48 + 3008 - 5 * 552);
    }
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.fragments, 6);
    assert_int_equal(fr.first_index, 4);
    assert_memory_equal(fr.ike.p, msg, 3000);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.fragments, 0);
    assert_int_equal(fr.caplen, 1500);
    size_t n = 0;
    for (; n < 8190; n++) {
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.caplen, n < 8189 ? 28 : 20 + 65515 - 8189 * 8);
        assert_int_equal(fr.err, IKH_ERR_PKT_IP_FRAGMENT);
    }
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.err, IKH_ERR_PKT_IP_FRAGMENT);
    assert_int_equal(fr.caplen, 48 + 65480); /* (65535 - 48) / 8 * 8 */
    assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
    assert_int_equal(fr.kind, IKH_FRAME_IKE);
    assert_int_equal(fr.fragments, 2);
    assert_int_equal(fr.first_index, 8201);
    assert_int_equal(fr.caplen, 48 + 65515 - 65480);
    assert_int_equal(fr.ike.len, 65507);
    assert_memory_equal(fr.ike.p, msg, 65507);
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    uint64_t first;
    ikh_err why;
    assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_OK);
    assert_int_equal(first, 11);
    assert_int_equal(why, IKH_ERR_PKT_FRAG_BAD);
    assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_ERR_STATE);
    ikh_cap_close(c);
    remove(path);
}

/* An IKE_SA_INIT-like message of total octets: header, one KE payload. */
static size_t ike_big(uint8_t *buf, size_t total, uint32_t mid)
{
    ikh_wr w = ikh_wr_init(buf, total);
    ikh_wr_u64(&w, 0x0A0B0C0D0E0F1011u + mid);
    ikh_wr_u64(&w, 0);
    ikh_wr_u8(&w, 34); /* KE */
    ikh_wr_u8(&w, 0x20);
    ikh_wr_u8(&w, 34); /* IKE_SA_INIT */
    ikh_wr_u8(&w, 0x08);
    ikh_wr_u32(&w, mid);
    ikh_wr_u32(&w, (uint32_t)total);
    ikh_wr_u8(&w, 0);
    ikh_wr_u8(&w, 0);
    ikh_wr_u16(&w, (uint16_t)(total - PTU_IKE_LEN));
    ikh_wr_u16(&w, 18); /* MODP 8192 */
    ikh_wr_u16(&w, 0);
    while (w.len < total)
        ikh_wr_u8(&w, (uint8_t)(w.len * 11u));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    return w.len;
}

/*
 * tshark (which reassembles IPv4 and IPv6 by default) and ikh_cap_next
 * agree on which record holds each IKE message, its exchange type and its
 * length: 3000-octet IKE_SA_INIT-like messages fragmented over IPv4 (500)
 * and IPv6 (4500, non-ESP marker), one of them reversed, among
 * unfragmented messages. tshark also verifies the writer's checksums.
 */
static void test_reasm_tshark_agrees(void **state)
{
    (void)state;
    char path[4096], cmd[8192];
    static char out[65536];
    ptu_path(path, sizeof path, "reasm_tshark.pcap");
    ikh_capw *w = NULL;
    assert_int_equal(ikh_capw_open(path, IKH_LINK_ETHERNET, &w), IKH_OK);
    ikh_addr a4 = ptu_addr("192.0.2.1"), b4 = ptu_addr("198.51.100.2");
    ikh_addr a6 = ptu_addr("2001:db8::1"), b6 = ptu_addr("2001:db8:1::2");
    static uint8_t big[4 + 3000];
    uint8_t small[PTU_IKE_LEN];
    uint64_t ts = T0;
    ptu_ike(small, 37, 1);
    assert_int_equal(ikh_capw_udp(w, ts++, &a4, 500, &b4, 500,
                                  ikh_span_of(small, sizeof small)),
                     IKH_OK); /* 1 */
    ike_big(big, 3000, 0);
    assert_int_equal(ikh_capw_udp_frag(w, ts++, &a4, 500, &b4, 500,
                                       ikh_span_of(big, 3000), 1500),
                     IKH_OK); /* 2-4 */
    memset(big, 0, 4);
    ike_big(big + 4, 3000, 1);
    assert_int_equal(ikh_capw_udp_frag(w, ts++, &a6, 4500, &b6, 4500,
                                       ikh_span_of(big, 3004), 1280),
                     IKH_OK); /* 5-7 */
    assert_int_equal(ikh_capw_close(w), IKH_OK);
    /* then the IPv4 one again, reversed, hand-built (UDP checksum 0) */
    {
        tcap t;
        static uint8_t file[65536];
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        size_t n = fread(file, 1, sizeof file, f);
        fclose(f);
        tc_open(&t, "reasm_tshark_rev.pcap", IKH_LINK_ETHERNET);
        dg d;
        dg_key(&d, 4, 0x4242);
        d.src = a4;
        d.dst = b4;
        d.len = 8 + 3000;
        d.data = malloc(d.len);
        assert_non_null(d.data);
        ikh_wr uw = ikh_wr_init(d.data, 8);
        ikh_wr_u32(&uw, 500u << 16 | 500u);
        ikh_wr_u32(&uw, (uint32_t)d.len << 16);
        ike_big(d.data + 8, 3000, 2);
        t.ts = ts;
        for (size_t k = 3; k-- > 0;)
            tc_piece(&t, &d, 1480, k); /* 8-10 */
        tc_close(&t);
        dg_free(&d);
        f = fopen(t.path, "rb");
        assert_non_null(f);
        size_t m = fread(file + n, 1, sizeof file - n, f);
        fclose(f);
        remove(t.path);
        /* append its records (after its 24-octet file header) */
        memmove(file + n, file + n + 24, m - 24);
        ptu_write_file(path, file, n + m - 24);
    }
    /* our view */
    uint64_t want_fr[3] = {0}, want_len[3] = {0};
    size_t n_ike = 0;
    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    ikh_frame fr;
    uint64_t first;
    ikh_err why;
    uint64_t ours[16][2];
    size_t n_ours = 0;
    while (ikh_cap_next(c, &fr) == IKH_OK) {
        assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_ERR_STATE);
        if (fr.kind != IKH_FRAME_IKE)
            continue;
        assert_true(n_ours < 16);
        ikh_rd rd = ikh_rd_init(fr.ike.p, fr.ike.len);
        (void)ikh_rd_bytes(&rd, 18);
        uint64_t exch = ikh_rd_u8(&rd);
        (void)ikh_rd_bytes(&rd, 5);
        uint64_t len = ikh_rd_u32(&rd);
        assert_int_equal(ikh_rd_error(&rd), IKH_OK);
        ours[n_ours][0] = fr.index;
        ours[n_ours][1] = exch << 32 | len;
        n_ours++;
        if (fr.fragments > 0 && n_ike < 3) {
            want_fr[n_ike] = fr.index;
            want_len[n_ike++] = len;
        }
    }
    assert_int_equal(ikh_cap_reasm_report(c, &first, &why), IKH_ERR_STATE);
    ikh_cap_close(c);
    assert_int_equal(n_ours, 4);
    assert_int_equal(n_ike, 3);
    assert_int_equal(want_fr[0], 4);
    assert_int_equal(want_fr[1], 7);
    assert_int_equal(want_fr[2], 10);
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(want_len[k], 3000);

    /* tshark's view: one line per record */
    ptu_check_quotable(path);
    ptu_fmt(cmd, sizeof cmd,
            "'%s' -n -r '%s' -o ip.check_checksum:TRUE "
            "-o udp.check_checksum:TRUE -T fields -E separator=/t "
            "-E occurrence=f -e frame.number -e isakmp.exchangetype "
            "-e isakmp.length -e ip.checksum.status -e udp.checksum.status "
            "-e _ws.malformed 2>/dev/null",
            ptu_tool("IKH_TSHARK", "tshark"), path);
    ptu_run(cmd, out, sizeof out);
    size_t lines = 0, k = 0;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), lines++) {
        char *f[6] = {0};
        size_t nf = 0;
        f[nf++] = line;
        for (char *p = line; *p != '\0' && nf < 6; p++)
            if (*p == '\t') {
                *p = '\0';
                f[nf++] = p + 1;
            }
        assert_int_equal(nf, 6);
        uint64_t num = strtoull(f[0], NULL, 10);
        assert_int_equal(num, lines + 1);
        if (strcmp(f[5], "") != 0)
            fail_msg("tshark: record %llu malformed", (unsigned long long)num);
        /* every IPv4 header checksum (records 1-4 and 8-10) */
        if ((num <= 4 || num >= 8) && strcmp(f[3], "1") != 0)
            fail_msg("tshark: record %llu IPv4 checksum status '%s'",
                     (unsigned long long)num, f[3]);
        if (f[1][0] == '\0')
            continue; /* no IKE here */
        assert_true(k < n_ours);
        if (num != ours[k][0] || strtoull(f[1], NULL, 10) != ours[k][1] >> 32 ||
            strtoull(f[2], NULL, 10) != (ours[k][1] & 0xFFFFFFFFu))
            fail_msg("tshark: record %llu exch %s length %s; ikh_cap_next: "
                     "record %llu exch %llu length %llu",
                     (unsigned long long)num, f[1], f[2],
                     (unsigned long long)ours[k][0],
                     (unsigned long long)(ours[k][1] >> 32),
                     (unsigned long long)(ours[k][1] & 0xFFFFFFFFu));
        /* and the writer's UDP checksums */
        if (num <= 7 && strcmp(f[4], "1") != 0)
            fail_msg("tshark: record %llu UDP checksum status '%s'",
                     (unsigned long long)num, f[4]);
        k++;
    }
    assert_int_equal(lines, 10);
    assert_int_equal(k, n_ours);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reasm_in_order_and_reversed),
        cmocka_unit_test(test_reasm_interleaved),
        cmocka_unit_test(test_reasm_duplicates),
        cmocka_unit_test(test_reasm_overlap_v4_different),
        cmocka_unit_test(test_reasm_overlap_v4_same),
        cmocka_unit_test(test_reasm_overlap_v6),
        cmocka_unit_test(test_reasm_tiny_and_too_many),
        cmocka_unit_test(test_reasm_missing_last),
        cmocka_unit_test(test_reasm_timeout),
        cmocka_unit_test(test_reasm_clock_back),
        cmocka_unit_test(test_reasm_too_many_in_progress),
        cmocka_unit_test(test_reasm_bad_offsets),
        cmocka_unit_test(test_reasm_classification),
        cmocka_unit_test(test_reasm_frame_decode_untouched),
        cmocka_unit_test(test_reasm_report_queue),
        cmocka_unit_test(test_reasm_snaplen_cut),
        cmocka_unit_test(test_reasm_pcap_record_error),
        cmocka_unit_test(test_reasm_writer),
        cmocka_unit_test(test_reasm_tshark_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
