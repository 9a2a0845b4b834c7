/* SPDX-License-Identifier: MIT */
/*
 * gen_wire_pcap: write COUNT messages of the test generator (msggen.h) to
 * a pcap file, for the field-by-field comparison with Wireshark
 * (pcap/difftest/tshark_diff.py).
 *
 * usage: gen_wire_pcap OUT.pcap [COUNT] [SEED]    (COUNT 400, SEED 1)
 *
 * Message i goes over IPv4 when i is even and IPv6 when odd (documentation
 * addresses, RFC 5737 / RFC 3849), on Ethernet. Most go 500 -> 500; every
 * tenth (i % 10 == 7) goes 4500 -> 4500 and every tenth (i % 10 == 9)
 * between the non-standard ports 50500 and 54500, both with the four-octet
 * non-ESP marker in front (RFC 3948 §2.2). Responses (R flag) travel from
 * the responder's address to the initiator's. Exit status 0 on success,
 * 1 on a usage or I/O error, 2 when the generator or codec fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/pcap.h"
#include "ikh/wire.h"
#include "msggen.h"

/* Non-standard ports used with the non-ESP marker (tshark needs
 * "-d udp.port==54500,udpencap" for them; tshark_diff.py adds it). */
enum {
    ODD_SPORT = 50500,
    ODD_DPORT = 54500
};

static uint8_t store[IKH_TL_GEN_STORE_CAP];
static uint8_t dgram[4 + IKH_TL_GEN_MSG_MAX];
static ikh_msg msg;

static int usage(void)
{
    fprintf(stderr, "usage: gen_wire_pcap OUT.pcap [COUNT] [SEED]\n");
    return 1;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 0);
    if (!*s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long count = 400, seed = 1;
    if (argc < 2 || argc > 4)
        return usage();
    if (argc > 2 && parse_uint(argv[2], 1000000ul, &count) != 0)
        return usage();
    if (argc > 3 && parse_uint(argv[3], 0xfffffffful, &seed) != 0)
        return usage();

    ikh_addr a4[2], a6[2];
    if (ikh_addr_parse("192.0.2.1", &a4[0]) != IKH_OK ||
        ikh_addr_parse("198.51.100.2", &a4[1]) != IKH_OK ||
        ikh_addr_parse("2001:db8::1", &a6[0]) != IKH_OK ||
        ikh_addr_parse("2001:db8:0:1::2", &a6[1]) != IKH_OK) {
        fprintf(stderr, "gen_wire_pcap: address parse failed\n");
        return 2;
    }
    ikh_capw *w = NULL;
    ikh_err e = ikh_capw_open(argv[1], IKH_LINK_ETHERNET, &w);
    if (e != IKH_OK) {
        fprintf(stderr, "gen_wire_pcap: %s: %s\n", argv[1], ikh_err_name(e));
        return 1;
    }
    int rc = 0;
    for (unsigned i = 0; i < count && rc == 0; i++) {
        if (ikh_tl_gen_msg(&msg, store, sizeof store, (uint32_t)seed, i) == 0) {
            fprintf(stderr, "gen_wire_pcap: message %u: generator failed\n", i);
            rc = 2;
            break;
        }
        uint16_t sport = 500, dport = 500;
        size_t off = 0;
        if (i % 10 == 7) {
            sport = dport = 4500;
            off = 4;
        } else if (i % 10 == 9) {
            sport = ODD_SPORT;
            dport = ODD_DPORT;
            off = 4;
        }
        memset(dgram, 0, off); /* non-ESP marker */
        size_t len = 0;
        e = ikh_wire_msg_serialize(&msg, dgram + off, sizeof dgram - off, &len);
        if (e != IKH_OK) {
            fprintf(stderr, "gen_wire_pcap: message %u: %s\n", i,
                    ikh_err_name(e));
            rc = 2;
            break;
        }
        const ikh_addr *ends = i % 2 ? a6 : a4;
        bool resp = (msg.hdr.flags & IKH_HDR_F_RESPONSE) != 0;
        const ikh_addr *src = &ends[resp], *dst = &ends[!resp];
        if (resp) {
            uint16_t t = sport;
            sport = dport;
            dport = t;
        }
        uint64_t ts = 1700000000ull * 1000000ull + (uint64_t)i * 1000u;
        e = ikh_capw_udp(w, ts, src, sport, dst, dport,
                         ikh_span_of(dgram, off + len));
        if (e != IKH_OK) {
            fprintf(stderr, "gen_wire_pcap: message %u: %s\n", i,
                    ikh_err_name(e));
            rc = 1;
        }
    }
    e = ikh_capw_close(w);
    if (e != IKH_OK && rc == 0) {
        fprintf(stderr, "gen_wire_pcap: %s: %s\n", argv[1], ikh_err_name(e));
        rc = 1;
    }
    return rc;
}
