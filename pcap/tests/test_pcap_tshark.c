/* SPDX-License-Identifier: MIT */
/*
 * tshark agrees with us. For every link type the writer supports, write
 * IKE (ports 500, 4500 and 7000, marker where RFC 3948 wants it), ESP over
 * UDP and over IP protocol 50, and a NAT keepalive, on IPv4 and IPv6; then
 *  - tshark must decode the same ports, IKE exchange types and ESP SPIs,
 *    verify every IPv4 header and UDP checksum, and find nothing
 *    malformed;
 *  - a pcapng copy made by `editcap -F pcapng` must read through ikh_cap_*
 *    exactly like the pcap original.
 * tshark and editcap must really run: without them this test FAILS.
 * Wireshark 4.0 names the field isakmp.exchangetype (there is no
 * ikev2.exchange_type).
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

static const uint8_t esp_pkt[24] = {0xC0, 0xFF, 0xEE, 0x01, 0, 0, 0, 7};

enum what {
    W_IKE,
    W_IKE_MARKER,
    W_ESP_UDP,
    W_KEEPALIVE,
    W_ESP_IP
};

typedef struct rec {
    unsigned ipver;
    enum what what;
    uint16_t port;       /* source and destination */
    uint8_t exch;        /* IKE exchange type */
    const char *ts_exch; /* what tshark prints for isakmp.exchangetype */
    const char *ts_spi;  /* ... for esp.spi */
    const char *ts_last; /* the last protocol tshark names */
    ikh_frame_kind kind; /* what ikh_cap_next says */
} rec;

static const rec recs[] = {
    {4, W_IKE, 500, 34, "34", "", "isakmp", IKH_FRAME_IKE},
    {6, W_IKE_MARKER, 4500, 35, "35", "", "isakmp", IKH_FRAME_IKE},
    {4, W_IKE_MARKER, 7000, 36, "", "", "data", IKH_FRAME_IKE},
    {4, W_ESP_UDP, 4500, 0, "", "0xc0ffee01", "esp", IKH_FRAME_ESP},
    {6, W_KEEPALIVE, 4500, 0, "", "", "udpencap", IKH_FRAME_NAT_KEEPALIVE},
    {6, W_ESP_IP, 0, 0, "", "0xc0ffee01", "esp", IKH_FRAME_ESP},
    {4, W_ESP_IP, 0, 0, "", "0xc0ffee01", "esp", IKH_FRAME_ESP},
    {6, W_IKE, 500, 37, "37", "", "isakmp", IKH_FRAME_IKE},
    {4, W_IKE_MARKER, 4500, 37, "37", "", "isakmp", IKH_FRAME_IKE},
};
#define N_RECS (sizeof recs / sizeof recs[0])

static void write_capture(const char *path, int lt)
{
    ikh_addr a4 = ptu_addr("192.0.2.1"), b4 = ptu_addr("198.51.100.2");
    ikh_addr a6 = ptu_addr("2001:db8::1"), b6 = ptu_addr("2001:db8:1::2");
    ikh_capw *w;
    assert_int_equal(ikh_capw_open(path, lt, &w), IKH_OK);
    for (size_t i = 0; i < N_RECS; i++) {
        const rec *r = &recs[i];
        const ikh_addr *s = r->ipver == 6 ? &a6 : &a4;
        const ikh_addr *d = r->ipver == 6 ? &b6 : &b4;
        uint64_t ts = 1700000000000000u + i * 250000u;
        uint8_t buf[128] = {0};
        size_t n = 0;
        switch (r->what) {
        case W_IKE:
        case W_IKE_MARKER:
            n = r->what == W_IKE_MARKER ? 4 : 0;
            ptu_ike(buf + n, r->exch, (uint32_t)i);
            n += PTU_IKE_LEN;
            break;
        case W_ESP_UDP:
            memcpy(buf, esp_pkt, sizeof esp_pkt);
            n = sizeof esp_pkt;
            break;
        case W_KEEPALIVE:
            buf[0] = 0xFF;
            n = 1;
            break;
        case W_ESP_IP: {
            ikh_wr wr = ikh_wr_init(buf, sizeof buf);
            if (r->ipver == 6) {
                ikh_wr_u32(&wr, 0x60000000u);
                ikh_wr_u16(&wr, sizeof esp_pkt);
                ikh_wr_u16(&wr, 50u << 8 | 64u);
                ikh_wr_span(&wr, ikh_span_of(a6.a, 16));
                ikh_wr_span(&wr, ikh_span_of(b6.a, 16));
            } else {
                /* 192.0.2.1 -> 198.51.100.2, ESP, checksum precomputed */
                static const uint8_t v4[20] = {
                    0x45, 0,    0,   44, 0, 0, 0x40, 0,  64,  50,
                    0x4E, 0x69, 192, 0,  2, 1, 198,  51, 100, 2};
                ikh_wr_span(&wr, ikh_span_of(v4, sizeof v4));
            }
            ikh_wr_span(&wr, ikh_span_of(esp_pkt, sizeof esp_pkt));
            assert_int_equal(ikh_wr_error(&wr), IKH_OK);
            assert_int_equal(ikh_capw_ip(w, ts, ikh_wr_span_of(&wr)), IKH_OK);
            continue;
        }
        }
        assert_int_equal(
            ikh_capw_udp(w, ts, s, r->port, d, r->port, ikh_span_of(buf, n)),
            IKH_OK);
    }
    assert_int_equal(ikh_capw_close(w), IKH_OK);
}

/* Split one line on tabs (empty fields kept). */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p != '\0' && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0 &&
           (a == b || s[a - b - 1] == ':');
}

static void check_tshark(const char *path, int lt)
{
    char cmd[8192];
    static char out[65536];
    ptu_check_quotable(path);
    ptu_fmt(cmd, sizeof cmd,
            "'%s' -n -r '%s' -o ip.check_checksum:TRUE "
            "-o udp.check_checksum:TRUE -T fields -E separator=/t "
            "-E occurrence=f -e frame.number -e udp.srcport -e udp.dstport "
            "-e isakmp.exchangetype -e esp.spi -e ip.checksum.status "
            "-e udp.checksum.status -e _ws.malformed -e frame.protocols "
            "2>/dev/null",
            ptu_tool("IKH_TSHARK", "tshark"), path);
    ptu_run(cmd, out, sizeof out);
    size_t lines = 0;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), lines++) {
        assert_true(lines < N_RECS);
        const rec *r = &recs[lines];
        char *f[9];
        assert_int_equal(split_tabs(line, f, 9), 9);
        char want_port[8] = "";
        if (r->what != W_ESP_IP)
            snprintf(want_port, sizeof want_port, "%u", r->port);
        if (strtoul(f[0], NULL, 10) != lines + 1 ||
            strcmp(f[1], want_port) != 0 || strcmp(f[2], want_port) != 0 ||
            strcmp(f[3], r->ts_exch) != 0 || strcmp(f[4], r->ts_spi) != 0 ||
            strcmp(f[5], r->ipver == 4 ? "1" : "") != 0 ||
            strcmp(f[6], r->what == W_ESP_IP ? "" : "1") != 0 ||
            strcmp(f[7], "") != 0 || !ends_with(f[8], r->ts_last))
            fail_msg("link %d record %zu: tshark said port %s/%s exch '%s' "
                     "spi '%s' ipcsum '%s' udpcsum '%s' malformed '%s' %s",
                     lt, lines + 1, f[1], f[2], f[3], f[4], f[5], f[6], f[7],
                     f[8]);
    }
    assert_int_equal(lines, N_RECS);
}

static void frames_equal(const ikh_frame *a, const ikh_frame *b)
{
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->ts_sec, b->ts_sec);
    assert_int_equal(a->ts_usec, b->ts_usec);
    assert_int_equal(a->caplen, b->caplen);
    assert_int_equal(a->origlen, b->origlen);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->err, b->err);
    assert_int_equal(a->err_offset, b->err_offset);
    assert_memory_equal(&a->src, &b->src, sizeof a->src);
    assert_memory_equal(&a->dst, &b->dst, sizeof a->dst);
    assert_int_equal(a->sport, b->sport);
    assert_int_equal(a->dport, b->dport);
    assert_int_equal(a->udp, b->udp);
    assert_int_equal(a->non_esp_marker, b->non_esp_marker);
    assert_int_equal(a->ike_offset, b->ike_offset);
    assert_true(ikh_span_eq(a->ike, b->ike));
    assert_true(ikh_span_eq(a->esp, b->esp));
}

/* Read both files side by side; also check our own view of each record. */
static void check_pcapng(const char *pcap, const char *ng, int lt)
{
    ikh_cap *a, *b;
    assert_int_equal(ikh_cap_open(pcap, &a, NULL, 0), IKH_OK);
    assert_int_equal(ikh_cap_open(ng, &b, NULL, 0), IKH_OK);
    assert_int_equal(ikh_cap_linktype(a), lt);
    assert_int_equal(ikh_cap_linktype(b), lt);
    for (size_t i = 0;; i++) {
        ikh_frame fa, fb;
        ikh_err ea = ikh_cap_next(a, &fa);
        ikh_err eb = ikh_cap_next(b, &fb);
        assert_int_equal(ea, eb);
        if (ea == IKH_ERR_STATE) {
            assert_int_equal(i, N_RECS);
            break;
        }
        assert_int_equal(ea, IKH_OK);
        assert_true(i < N_RECS);
        frames_equal(&fa, &fb);
        assert_int_equal(fa.kind, recs[i].kind);
        assert_int_equal(fa.err, IKH_OK);
        if (fa.kind == IKH_FRAME_IKE) {
            assert_int_equal(fa.ike.len, PTU_IKE_LEN);
            assert_int_equal(fa.ike.p[18], recs[i].exch); /* exchange type */
            assert_int_equal(fa.non_esp_marker, recs[i].what == W_IKE_MARKER);
        }
    }
    ikh_cap_close(a);
    ikh_cap_close(b);
}

static void test_tshark_tools_run(void **state)
{
    (void)state;
    char cmd[4096], out[4096];
    ptu_fmt(cmd, sizeof cmd, "'%s' -v 2>/dev/null",
            ptu_tool("IKH_TSHARK", "tshark"));
    ptu_run(cmd, out, sizeof out);
    assert_non_null(strstr(out, "TShark"));
    ptu_fmt(cmd, sizeof cmd, "'%s' -h 2>&1",
            ptu_tool("IKH_EDITCAP", "editcap"));
    ptu_run(cmd, out, sizeof out);
    assert_non_null(strstr(out, "Editcap"));
}

static void test_tshark_agrees(void **state)
{
    (void)state;
    for (size_t l = 0; l < sizeof all_links / sizeof all_links[0]; l++) {
        char path[4096], ng[4096], name[64], cmd[8192], out[4096];
        int lt = all_links[l];
        snprintf(name, sizeof name, "test_pcap_tshark_%d.pcap", lt);
        ptu_path(path, sizeof path, name);
        snprintf(name, sizeof name, "test_pcap_tshark_%d.pcapng", lt);
        ptu_path(ng, sizeof ng, name);
        write_capture(path, lt);
        check_tshark(path, lt);
        ptu_check_quotable(ng);
        remove(ng);
        ptu_fmt(cmd, sizeof cmd, "'%s' -F pcapng '%s' '%s' 2>&1",
                ptu_tool("IKH_EDITCAP", "editcap"), path, ng);
        ptu_run(cmd, out, sizeof out);
        check_tshark(ng, lt);
        check_pcapng(path, ng, lt);
        remove(path);
        remove(ng);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tshark_tools_run),
        cmocka_unit_test(test_tshark_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
