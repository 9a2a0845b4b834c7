/* SPDX-License-Identifier: MIT */
/*
 * The libpcap tap (tap.h): every framing (IKE over UDP 500, IKE behind the
 * non-ESP marker on the NAT-T port, ESP over IP, ESP in UDP; IPv4 and
 * IPv6; raw IP and Ethernet) read back by our reader and checked by tshark
 * (IP and UDP checksums good, IKE and ESP recognised), plus the sim hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/tap.h"
#include "pcap_test_util.h"

typedef struct rec {
    const char *src, *dst;
    uint16_t port; /* both ports; 0: ESP over IP */
    bool esp;
    bool marker;
} rec;

static const rec recs[] = {
    {"192.0.2.1", "192.0.2.2", 500, false, false},
    {"192.0.2.2", "192.0.2.1", 4500, false, true},
    {"2001:db8::1", "2001:db8::2", 500, false, false},
    {"192.0.2.1", "192.0.2.2", 0, true, false},
    {"2001:db8::2", "2001:db8::1", 4500, true, false},
    {"2001:db8::1", "2001:db8::2", 4500, false, true},
    {"2001:db8::1", "2001:db8::2", 0, true, false},
};
#define N_RECS (sizeof recs / sizeof recs[0])

static uint8_t esp_pkt[40];

static ikh_dgram rec_dgram(size_t i, uint8_t ike[PTU_IKE_LEN])
{
    ikh_dgram dg = {0};
    dg.src = ptu_addr(recs[i].src);
    dg.dst = ptu_addr(recs[i].dst);
    dg.sport = dg.dport = recs[i].port;
    dg.esp = recs[i].esp;
    dg.non_esp_marker = recs[i].marker;
    if (dg.esp) {
        for (size_t k = 0; k < sizeof esp_pkt; k++)
            esp_pkt[k] = (uint8_t)(k + 1);
        dg.data = ikh_span_of(esp_pkt, sizeof esp_pkt);
    } else {
        ptu_ike(ike, 34, (uint32_t)i);
        dg.data = ikh_span_of(ike, PTU_IKE_LEN);
    }
    return dg;
}

static void write_all(const char *path, int lt)
{
    ikh_tap *t = NULL;
    assert_int_equal(ikh_tap_open(path, lt, &t), IKH_OK);
    for (size_t i = 0; i < N_RECS; i++) {
        uint8_t ike[PTU_IKE_LEN];
        ikh_dgram dg = rec_dgram(i, ike);
        assert_int_equal(ikh_tap_dgram(t, 1000 * i + 7, &dg), IKH_OK);
    }
    assert_int_equal(ikh_tap_count(t), N_RECS);
    assert_int_equal(ikh_tap_close(t), IKH_OK);
}

static void read_back(const char *path)
{
    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    for (size_t i = 0; i < N_RECS; i++) {
        ikh_frame fr;
        uint8_t ike[PTU_IKE_LEN];
        ikh_dgram dg = rec_dgram(i, ike);
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.ts_sec, i);
        assert_int_equal(fr.ts_usec, 7000);
        assert_int_equal(fr.src.family, dg.src.family);
        assert_memory_equal(fr.src.a, dg.src.a, 16);
        assert_memory_equal(fr.dst.a, dg.dst.a, 16);
        assert_int_equal(fr.sport, dg.sport);
        assert_int_equal(fr.udp, recs[i].port != 0);
        if (dg.esp) {
            assert_int_equal(fr.kind, IKH_FRAME_ESP);
            assert_true(ikh_span_eq(fr.esp, dg.data));
        } else {
            assert_int_equal(fr.kind, IKH_FRAME_IKE);
            assert_int_equal(fr.non_esp_marker, recs[i].marker);
            assert_true(ikh_span_eq(fr.ike, dg.data));
        }
    }
    ikh_frame fr;
    assert_int_equal(ikh_cap_next(c, &fr), IKH_ERR_STATE);
    ikh_cap_close(c);
}

static void check_tshark(const char *path)
{
    char cmd[4096];
    static char out[16384];
    ptu_check_quotable(path);
    ptu_fmt(cmd, sizeof cmd,
            "'%s' -n -r '%s' -o ip.check_checksum:TRUE "
            "-o udp.check_checksum:TRUE -T fields -E separator=/t "
            "-E occurrence=f -e ip.checksum.status -e udp.checksum.status "
            "-e isakmp.messageid -e esp.spi -e _ws.malformed 2>/dev/null",
            ptu_tool("IKH_TSHARK", "tshark"), path);
    ptu_run(cmd, out, sizeof out);
    size_t n = 0;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), n++) {
        assert_true(n < N_RECS);
        const rec *r = &recs[n];
        char want[128], mid[16] = "";
        if (!r->esp)
            snprintf(mid, sizeof mid, "0x%08zx", n);
        snprintf(want, sizeof want, "%s\t%s\t%s\t%s\t",
                 r->src[0] == '2' ? "" : "1", r->port != 0 ? "1" : "", mid,
                 r->esp ? "0x01020304" : "");
        if (strcmp(line, want) != 0)
            fail_msg("record %zu: tshark said '%s', want '%s'", n + 1, line,
                     want);
    }
    assert_int_equal(n, N_RECS);
}

static void test_tap_framing(void **state)
{
    (void)state;
    static const int lts[] = {IKH_LINK_RAW, IKH_LINK_ETHERNET};
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        ptu_path(path, sizeof path, k == 0 ? "tap_raw.pcap" : "tap_eth.pcap");
        write_all(path, lts[k]);
        read_back(path);
        check_tshark(path);
    }
}

static void test_tap_sim_hook(void **state)
{
    (void)state;
    char path[512];
    ptu_path(path, sizeof path, "tap_sim.pcap");
    ikh_tap *t = NULL;
    assert_int_equal(ikh_tap_open(path, IKH_LINK_RAW, &t), IKH_OK);
    uint8_t ike[PTU_IKE_LEN];
    ikh_dgram dg = rec_dgram(0, ike);
    ikh_tap_sim(t, IKH_SIM_TAP_SENT, &dg, 1);      /* filtered */
    ikh_tap_sim(t, IKH_SIM_TAP_DELIVERED, &dg, 2); /* written */
    ikh_tap_set_sim_kinds(t,
                          1u << IKH_SIM_TAP_SENT | 1u << IKH_SIM_TAP_DROPPED);
    ikh_tap_sim(t, IKH_SIM_TAP_SENT, &dg, 3);
    ikh_tap_sim(t, IKH_SIM_TAP_DROPPED, &dg, 4);
    ikh_tap_sim(t, IKH_SIM_TAP_DELIVERED, &dg, 5); /* filtered */
    assert_int_equal(ikh_tap_count(t), 3);
    dg.dst.family = 6; /* refused, kept for close */
    ikh_tap_sim(t, IKH_SIM_TAP_SENT, &dg, 6);
    assert_int_equal(ikh_tap_close(t), IKH_ERR_ARG_INVALID);
}

/* The udp driver's tap: what it sends and receives on loopback. */
static void test_tap_udp_hook(void **state)
{
    (void)state;
    char path[512];
    ptu_path(path, sizeof path, "tap_udp.pcap");
    ikh_tap *t = NULL;
    assert_int_equal(ikh_tap_open(path, IKH_LINK_RAW, &t), IKH_OK);
    ikh_udp_config cfg = {0};
    cfg.local = ptu_addr("127.0.0.1");
    cfg.tap = ikh_tap_udp;
    cfg.tap_user = t;
    ikh_udp *a = NULL, *b = NULL;
    assert_int_equal(ikh_udp_open(&cfg, &a), IKH_OK);
    assert_int_equal(ikh_udp_open(&cfg, &b), IKH_OK);
    uint16_t b_ike;
    ikh_udp_ports(b, &b_ike, NULL);
    uint8_t ike[PTU_IKE_LEN];
    ptu_ike(ike, 34, 7);
    ikh_dgram dg = {0}, in;
    dg.dst = cfg.local;
    dg.dport = b_ike;
    dg.data = ikh_span_of(ike, sizeof ike);
    assert_int_equal(ikh_udp_send(a, &dg), IKH_OK);
    static uint8_t buf[IKH_UDP_DGRAM_MAX];
    ikh_time_ms now;
    assert_int_equal(ikh_udp_now(&now), IKH_OK);
    bool got = false;
    assert_int_equal(ikh_udp_recv(b, now + 2000, buf, sizeof buf, &in, &got),
                     IKH_OK);
    assert_true(got);
    ikh_udp_close(a);
    ikh_udp_close(b);
    assert_int_equal(ikh_tap_count(t), 2);
    assert_int_equal(ikh_tap_close(t), IKH_OK);

    ikh_cap *c = NULL;
    assert_int_equal(ikh_cap_open(path, &c, NULL, 0), IKH_OK);
    for (int i = 0; i < 2; i++) {
        ikh_frame fr;
        assert_int_equal(ikh_cap_next(c, &fr), IKH_OK);
        assert_int_equal(fr.kind, IKH_FRAME_IKE);
        assert_true(fr.non_esp_marker); /* neither port is 500 */
        assert_int_equal(fr.dport, b_ike);
        assert_true(ikh_span_eq(fr.ike, dg.data));
    }
    ikh_cap_close(c);
}

static void test_tap_bad_args(void **state)
{
    (void)state;
    ikh_tap *t = (ikh_tap *)&t;
    assert_int_equal(ikh_tap_open("x.pcap", IKH_LINK_LINUX_SLL, &t),
                     IKH_ERR_PCAP_LINKTYPE);
    assert_null(t);
    assert_int_equal(ikh_tap_open("/nonexistent-dir/x.pcap", IKH_LINK_RAW, &t),
                     IKH_ERR_IO_OPEN);
    assert_int_equal(ikh_tap_open(NULL, IKH_LINK_RAW, &t), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_tap_dgram(NULL, 0, NULL), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_tap_close(NULL), IKH_OK);
    assert_int_equal(ikh_tap_count(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tap_framing),
        cmocka_unit_test(test_tap_sim_hook),
        cmocka_unit_test(test_tap_udp_hook),
        cmocka_unit_test(test_tap_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
