/* SPDX-License-Identifier: MIT */
/*
 * Generated traffic of a scenario (ikh/scenario.h): the inner packets of
 * TRAFFIC steps (IPv4 or IPv6 with an ICMP(v6) echo request or a UDP
 * datagram, checksums included) and the echo reply a receiving peer
 * sends back. Shared by the simulator's runner (scn_run.c) and
 * `ikeharness peer`; it works on caller buffers only.
 */
#include <string.h>

#include "ikh/scenario.h"

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* L4 checksum over the IPv6 pseudo-header (RFC 8200 §8.1), or 0 for
 * IPv4 UDP (allowed) and the ICMP checksum over the message for IPv4. */
static void l4_checksum(uint8_t *pkt, size_t hl, size_t len, bool v6,
                        uint8_t proto, size_t csum_off)
{
    uint32_t sum = 0;
    if (v6) {
        uint8_t ph[8] = {
            0, 0,    (uint8_t)((len - hl) >> 8), (uint8_t)(len - hl), 0, 0,
            0, proto};
        sum = csum_add(sum, pkt + 8, 32);
        sum = csum_add(sum, ph, 8);
    } else if (proto == 17) {
        return; /* IPv4 UDP: checksum 0 = none */
    }
    put16(pkt + hl + csum_off, 0);
    sum = csum_add(sum, pkt + hl, len - hl);
    put16(pkt + hl + csum_off, csum_fold(sum));
}

size_t ikh_scn_traffic_packet(const ikh_scn_step *st, uint32_t seq,
                              uint8_t *buf, size_t cap)
{
    bool v6 = st->src.family == 6;
    size_t hl = v6 ? 40 : 20, len = st->size;
    if (len > cap || len < hl + 8)
        return 0;
    uint8_t *p = buf;
    uint8_t proto = st->proto == IKH_SCN_UDP ? 17 : v6 ? 58 : 1;
    memset(p, 0, len);
    if (v6) {
        p[0] = 0x60;
        put16(p + 4, (uint16_t)(len - hl));
        p[6] = proto;
        p[7] = 64;
        memcpy(p + 8, st->src.a, 16);
        memcpy(p + 24, st->dst.a, 16);
    } else {
        p[0] = 0x45;
        put16(p + 2, (uint16_t)len);
        put16(p + 4, (uint16_t)seq);
        p[8] = 64;
        p[9] = proto;
        memcpy(p + 12, st->src.a, 4);
        memcpy(p + 16, st->dst.a, 4);
        put16(p + 10, csum_fold(csum_add(0, p, 20)));
    }
    for (size_t i = hl + 8; i < len; i++)
        p[i] = (uint8_t)(i + seq);
    if (proto == 17) {
        put16(p + hl, 40000);
        put16(p + hl + 2, st->port);
        put16(p + hl + 4, (uint16_t)(len - hl));
        l4_checksum(p, hl, len, v6, proto, 6);
    } else {
        p[hl] = v6 ? 128 : 8; /* echo request */
        put16(p + hl + 4, 0x1d4e);
        put16(p + hl + 6, (uint16_t)seq);
        l4_checksum(p, hl, len, v6, proto, 2);
    }
    return len;
}

bool ikh_scn_echo_reply(uint8_t *pkt, size_t len)
{
    uint8_t *p = pkt;
    if (p == NULL || len < 28)
        return false;
    bool v6 = (p[0] >> 4) == 6;
    size_t hl = v6 ? 40 : (size_t)(p[0] & 0x0f) * 4u;
    if (hl + 8 > len)
        return false;
    uint8_t proto = v6 ? p[6] : p[9];
    if (!(v6 ? proto == 58 && p[hl] == 128 : proto == 1 && p[hl] == 8))
        return false;
    /* swap the addresses, make it a reply */
    uint8_t tmp[16];
    size_t al = v6 ? 16 : 4, so = v6 ? 8 : 12;
    memcpy(tmp, p + so, al);
    memcpy(p + so, p + so + al, al);
    memcpy(p + so + al, tmp, al);
    p[hl] = v6 ? 129 : 0;
    if (!v6) {
        put16(p + 10, 0);
        put16(p + 10, csum_fold(csum_add(0, p, hl)));
    }
    l4_checksum(p, hl, len, v6, proto, 2);
    return true;
}

bool ikh_scn_echo_match(const uint8_t *pkt, size_t len, const ikh_scn_step *st,
                        uint32_t *seq)
{
    if (pkt == NULL || st == NULL || seq == NULL || st->proto != IKH_SCN_ICMP ||
        len < 28)
        return false;
    bool v6 = (pkt[0] >> 4) == 6;
    if (v6 != (st->src.family == 6))
        return false;
    size_t hl = v6 ? 40 : (size_t)(pkt[0] & 0x0f) * 4u;
    if (hl < 20 || hl + 8 > len)
        return false;
    /* RFC 792 echo reply type 0; RFC 4443 §4.2 echo reply type 129 */
    if (!(v6 ? pkt[6] == 58 && pkt[hl] == 129 : pkt[9] == 1 && pkt[hl] == 0))
        return false;
    size_t al = v6 ? 16 : 4, so = v6 ? 8 : 12;
    if (memcmp(pkt + so, st->dst.a, al) != 0 ||
        memcmp(pkt + so + al, st->src.a, al) != 0)
        return false;
    if ((uint16_t)(pkt[hl + 4] << 8 | pkt[hl + 5]) != 0x1d4e)
        return false;
    *seq = (uint32_t)(pkt[hl + 6] << 8 | pkt[hl + 7]);
    return true;
}
