/* SPDX-License-Identifier: MIT */
/*
 * The pcap tap (tap.h): synthesized IP/UDP framing from capw_int.h,
 * written by libpcap's dump functions on a dead handle.
 */
/* libpcap's headers use the BSD types (u_int, u_char); glibc declares them
 * only with _DEFAULT_SOURCE (as in cap_read.c). */
#define _DEFAULT_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capw_int.h"
#include "ikh/tap.h"

enum {
    TAP_SNAPLEN = 262144,
    TAP_MARKER_LEN = 4,
    TAP_DATA_MAX = 65507 - TAP_MARKER_LEN,
    TAP_BUF_LEN = 14 + 40 + 8 + TAP_MARKER_LEN + TAP_DATA_MAX,
};

struct ikh_tap {
    pcap_t *p;
    pcap_dumper_t *d;
    int linktype;
    unsigned sim_mask;
    ikh_err err; /* sticky */
    uint64_t count;
    uint8_t payload[TAP_MARKER_LEN + TAP_DATA_MAX];
    uint8_t buf[TAP_BUF_LEN];
};

ikh_err ikh_tap_open(const char *path, int linktype, ikh_tap **out)
{
    if (path == NULL || out == NULL)
        return IKH_ERR_ARG_INVALID;
    *out = NULL;
    int dlt;
    if (linktype == IKH_LINK_RAW)
        dlt = DLT_RAW;
    else if (linktype == IKH_LINK_ETHERNET)
        dlt = DLT_EN10MB;
    else
        return IKH_ERR_PCAP_LINKTYPE;
    ikh_tap *t = calloc(1, sizeof *t);
    if (t == NULL)
        return IKH_ERR_ENV_NOMEM;
    t->p = pcap_open_dead(dlt, TAP_SNAPLEN);
    if (t->p == NULL) {
        free(t);
        return IKH_ERR_ENV_NOMEM;
    }
    t->d = pcap_dump_open(t->p, path);
    if (t->d == NULL) {
        pcap_close(t->p);
        free(t);
        return IKH_ERR_IO_OPEN;
    }
    t->linktype = linktype;
    t->sim_mask = 1u << IKH_SIM_TAP_DELIVERED;
    *out = t;
    return IKH_OK;
}

ikh_err ikh_tap_dgram(ikh_tap *tap, ikh_time_ms t_ms, const ikh_dgram *dg)
{
    if (tap == NULL || dg == NULL || dg->data.len > TAP_DATA_MAX ||
        (dg->src.family != 4 && dg->src.family != 6) ||
        dg->src.family != dg->dst.family ||
        (dg->data.p == NULL && dg->data.len > 0))
        return IKH_ERR_ARG_INVALID;
    if (tap->err != IKH_OK)
        return tap->err;
    bool udp = !(dg->esp && dg->sport == 0 && dg->dport == 0);
    size_t off = 0;
    if (udp && !dg->esp && dg->non_esp_marker) {
        memset(tap->payload, 0, TAP_MARKER_LEN);
        off = TAP_MARKER_LEN;
    }
    if (dg->data.len > 0)
        memcpy(tap->payload + off, dg->data.p, dg->data.len);
    ikh_span pl = ikh_span_of(tap->payload, off + dg->data.len);
    ikh_wr wr = ikh_wr_init(tap->buf, sizeof tap->buf);
    ikh_capw_link_hdr(&wr, tap->linktype, dg->src.family);
    /* ESP in UDP and NAT-keepalives (sent as ESP datagrams) carry a zero
     * IPv4 UDP checksum, as the udp driver sends them (RFC 3948 §2.1) */
    ikh_capw_ip_udp(&wr, &dg->src, &dg->dst,
                    !udp      ? IKH_CAPW_ESP_IP
                    : dg->esp ? IKH_CAPW_UDP_ENCAP
                              : IKH_CAPW_UDP,
                    dg->sport, dg->dport, pl);
    if (ikh_wr_error(&wr) != IKH_OK)
        return IKH_ERR_ARG_INVALID; /* cannot happen with the checked sizes */
    ikh_span rec = ikh_wr_span_of(&wr);
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)(t_ms / 1000u);
    h.ts.tv_usec = (suseconds_t)((t_ms % 1000u) * 1000u);
    h.caplen = (bpf_u_int32)rec.len;
    h.len = (bpf_u_int32)rec.len;
    pcap_dump((u_char *)tap->d, &h, rec.p);
    if (ferror(pcap_dump_file(tap->d)))
        tap->err = IKH_ERR_IO_WRITE;
    tap->count++;
    return tap->err;
}

void ikh_tap_set_sim_kinds(ikh_tap *tap, unsigned mask)
{
    if (tap != NULL)
        tap->sim_mask = mask;
}

void ikh_tap_sim(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                 ikh_time_ms t)
{
    ikh_tap *tap = user;
    if (tap == NULL || !(tap->sim_mask & (1u << kind)))
        return;
    ikh_err e = ikh_tap_dgram(tap, t, dg);
    if (e != IKH_OK && tap->err == IKH_OK)
        tap->err = e;
}

void ikh_tap_udp(void *user, ikh_udp_tap_kind kind, const ikh_dgram *dg,
                 ikh_time_ms t)
{
    ikh_tap *tap = user;
    (void)kind;
    if (tap == NULL)
        return;
    ikh_err e = ikh_tap_dgram(tap, t, dg);
    if (e != IKH_OK && tap->err == IKH_OK)
        tap->err = e;
}

uint64_t ikh_tap_count(const ikh_tap *tap)
{
    return tap != NULL ? tap->count : 0;
}

ikh_err ikh_tap_close(ikh_tap *tap)
{
    if (tap == NULL)
        return IKH_OK;
    ikh_err e = tap->err;
    if (pcap_dump_flush(tap->d) != 0 && e == IKH_OK)
        e = IKH_ERR_IO_WRITE;
    pcap_dump_close(tap->d);
    pcap_close(tap->p);
    free(tap);
    return e;
}
