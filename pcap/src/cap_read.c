/* SPDX-License-Identifier: MIT */
/*
 * Reading captures through libpcap: pcap_open_offline's file detection
 * (pcap, pcap with nanosecond magic, pcapng) and pcap_next_ex, with every
 * record handed to ikh_frame_decode_frag(), and IP fragments to the
 * reassembly table (reasm.c). The reader keeps the last reassembled
 * datagram, so the frame's spans into it last until the next call, like
 * spans into libpcap's buffer.
 *
 * libpcap 1.10 behaviours this file relies on (pinned by
 * tests/test_pcap_files.c):
 *  - an empty file, a bad magic or a file header cut short make
 *    pcap_fopen_offline fail ("unknown file format", "truncated dump
 *    file; tried to read 24 file header bytes, only got 8"): PCAP_OPEN;
 *  - a record header or record body cut short at the end of the file is
 *    pcap_next_ex() == PCAP_ERROR ("truncated dump file; tried to read 16
 *    header bytes, only got 10"); a file ending exactly after a record is
 *    PCAP_ERROR_BREAK;
 *  - a record whose caplen exceeds the file's snaplen by more than
 *    libpcap tolerates is PCAP_ERROR, and a *following* call may return
 *    garbage (it reads the body as the next header), so the first error
 *    stops this reader for good (sticky PCAP_RECORD);
 *  - a caplen above the snaplen but below libpcap's per-link maximum is
 *    accepted and cut to the snaplen (caplen < len afterwards);
 *  - record seconds are read as a signed 32-bit value, so 0xFFFFFFFF
 *    (year 2106) arrives as tv_sec -1: we take it back as unsigned;
 *  - pcap_datalink() returns DLT_ values: a LINKTYPE_RAW (101) file reads
 *    as DLT_RAW (12 on Linux, 14 on OpenBSD) and LINKTYPE_LOOP as DLT_LOOP
 *    (108, 12 on OpenBSD); we map them back to LINKTYPE_ values.
 */
/* libpcap's headers use the BSD types u_int/u_short/u_char, which glibc
 * only declares with _DEFAULT_SOURCE on top of our _POSIX_C_SOURCE. */
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "reasm.h"

/* A UDP flow (both endpoints, either direction) that carried IKE behind a
 * non-ESP marker. */
typedef struct cap_flow {
    ikh_addr a, b;
    uint16_t pa, pb;
} cap_flow;

struct ikh_cap {
    pcap_t *pc;
    int linktype;               /* LINKTYPE_ value */
    uint64_t index;             /* records returned so far */
    ikh_err err;                /* sticky PCAP_RECORD once libpcap failed */
    bool eof;                   /* PCAP_ERROR_BREAK seen */
    char msg[PCAP_ERRBUF_SIZE]; /* libpcap's message for err */
    uint8_t *dgram;             /* last reassembled payload (fr spans) */
    ikh_reasm reasm;            /* datagrams in progress, drop reports */
    cap_flow encap[IKH_PCAP_ENCAP_FLOWS]; /* UDP encapsulation flows */
    size_t n_encap, next_encap;           /* in use; slot the next one takes */
};

static void cap_msg(char *buf, size_t len, const char *what, const char *why)
{
    if (buf != NULL && len > 0)
        snprintf(buf, len, "%s: %s", what, why);
}

/* DLT_ value from libpcap to the LINKTYPE_ value the file carried. */
static int cap_dlt_to_linktype(int dlt)
{
    if (dlt == DLT_LOOP)
        return IKH_LINK_LOOP;
    if (dlt == DLT_RAW || dlt == 12 || dlt == 14)
        return IKH_LINK_RAW;
    return dlt;
}

ikh_err ikh_cap_open(const char *path, ikh_cap **out, char *errbuf,
                     size_t errbuf_len)
{
    if (errbuf != NULL && errbuf_len > 0)
        errbuf[0] = '\0';
    if (out == NULL)
        return IKH_ERR_ARG_INVALID;
    *out = NULL;
    if (path == NULL)
        return IKH_ERR_ARG_INVALID;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        cap_msg(errbuf, errbuf_len, path, strerror(errno));
        return IKH_ERR_IO_OPEN;
    }
    return ikh_cap_open_file(f, path, out, errbuf, errbuf_len);
}

ikh_err ikh_cap_open_file(FILE *f, const char *name, ikh_cap **out,
                          char *errbuf, size_t errbuf_len)
{
    if (errbuf != NULL && errbuf_len > 0)
        errbuf[0] = '\0';
    if (out != NULL)
        *out = NULL;
    if (f == NULL || out == NULL) {
        if (f != NULL)
            fclose(f);
        return IKH_ERR_ARG_INVALID;
    }
    if (name == NULL)
        name = "(stream)";
    char eb[PCAP_ERRBUF_SIZE] = "";
    /* On success the pcap_t owns f; on failure we still do. */
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(
        f, PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (pc == NULL) {
        fclose(f);
        cap_msg(errbuf, errbuf_len, name, eb);
        return IKH_ERR_PCAP_OPEN;
    }
    int lt = cap_dlt_to_linktype(pcap_datalink(pc));
    if (!ikh_frame_link_supported(lt)) {
        const char *lname = pcap_datalink_val_to_name(pcap_datalink(pc));
        cap_msg(errbuf, errbuf_len, name,
                lname != NULL ? lname : "unknown link type");
        pcap_close(pc);
        return IKH_ERR_PCAP_LINKTYPE;
    }
    ikh_cap *c = calloc(1, sizeof *c);
    if (c == NULL) {
        pcap_close(pc);
        return IKH_ERR_ENV_NOMEM;
    }
    c->pc = pc;
    c->linktype = lt;
    ikh_reasm_init(&c->reasm);
    *out = c;
    return IKH_OK;
}

/*
 * A fragment record: held (PKT_IP_FRAGMENT stays in fr), or the one that
 * completes its datagram, which then replaces the fragment in fr.
 */
static void cap_fragment(ikh_cap *c, ikh_frame *fr, const ikh_frag_info *fi,
                         uint64_t now_usec)
{
    if (fi->cut) { /* its data is incomplete: it cannot be used */
        fr->err = IKH_ERR_PCAP_SNAPLEN;
        fr->err_offset = fr->caplen;
        return;
    }
    ikh_reasm_done done;
    if (!ikh_reasm_add(&c->reasm, fi, &fr->src, &fr->dst, fr->index, now_usec,
                       &done))
        return;
    c->dgram = done.buf;
    fr->fragments = done.frags;
    fr->first_index = done.first_index;
    ikh_frame_decode_reasm(fr, fi->ipver, fi->proto,
                           ikh_span_of(done.buf, done.len));
}

static bool flow_is(const cap_flow *f, const ikh_frame *fr)
{
    return (f->pa == fr->sport && f->pb == fr->dport &&
            ikh_addr_cmp(&f->a, &fr->src) == 0 &&
            ikh_addr_cmp(&f->b, &fr->dst) == 0) ||
           (f->pa == fr->dport && f->pb == fr->sport &&
            ikh_addr_cmp(&f->a, &fr->dst) == 0 &&
            ikh_addr_cmp(&f->b, &fr->src) == 0);
}

static bool flow_known(const ikh_cap *c, const ikh_frame *fr)
{
    for (size_t i = 0; i < c->n_encap; i++)
        if (flow_is(&c->encap[i], fr))
            return true;
    return false;
}

/*
 * UDP encapsulation away from port 4500. RFC 3948 §2.2: on a port that
 * carries both, the non-ESP marker tells IKE from ESP; RFC 7296 §2.23 lets
 * the NAT-T port be another one (strongSwan's port_nat_t, or any pair of
 * ports when neither is 500: INTEROP-NOTES). So a UDP flow on which IKE
 * came behind a marker is an encapsulation flow, and its datagrams that
 * are neither marked IKE nor a keepalive are ESP, as they would be on 4500.
 * The frame decoder works on one record and cannot know this; the reader
 * learns the flows (the most recent IKH_PCAP_ENCAP_FLOWS) as it goes, so
 * ESP on such a flow counts from the first marked IKE message on.
 */
static void cap_encap(ikh_cap *c, ikh_frame *fr)
{
    if (!fr->udp)
        return;
    if (fr->kind == IKH_FRAME_IKE && fr->non_esp_marker) {
        if (flow_known(c, fr))
            return;
        cap_flow *f = &c->encap[c->next_encap];
        f->a = fr->src;
        f->b = fr->dst;
        f->pa = fr->sport;
        f->pb = fr->dport;
        c->next_encap = (c->next_encap + 1) % IKH_PCAP_ENCAP_FLOWS;
        if (c->n_encap < IKH_PCAP_ENCAP_FLOWS)
            c->n_encap++;
        return;
    }
    /* shorter than a marker: not ESP on port 4500 either (frame.c) */
    if (fr->err != IKH_ERR_PKT_NOT_IKE || fr->udp_data_len < 4 ||
        !flow_known(c, fr))
        return;
    fr->esp = fr->udp_data;
    if (fr->udp_data.len < fr->udp_data_len) { /* cut, as on 4500 */
        fr->err = IKH_ERR_PCAP_SNAPLEN;
        fr->err_offset = fr->caplen;
        return;
    }
    fr->kind = IKH_FRAME_ESP;
    fr->err = IKH_OK;
    fr->err_offset = 0;
}

ikh_err ikh_cap_next(ikh_cap *c, ikh_frame *fr)
{
    if (c == NULL || fr == NULL)
        return IKH_ERR_ARG_INVALID;
    memset(fr, 0, sizeof *fr);
    free(c->dgram); /* the previous frame's spans end here */
    c->dgram = NULL;
    if (c->err != IKH_OK)
        return c->err;
    if (c->eof)
        return IKH_ERR_STATE;
    struct pcap_pkthdr *h = NULL;
    const u_char *data = NULL;
    int r = pcap_next_ex(c->pc, &h, &data);
    if (r == PCAP_ERROR_BREAK) {
        c->eof = true;
        ikh_reasm_flush(&c->reasm);
        return IKH_ERR_STATE;
    }
    if (r != 1) { /* PCAP_ERROR; 0 (timeout) cannot happen offline */
        snprintf(c->msg, sizeof c->msg, "%s", pcap_geterr(c->pc));
        c->err = IKH_ERR_PCAP_RECORD;
        ikh_reasm_flush(&c->reasm);
        return c->err;
    }
    ikh_frag_info fi;
    /* Cannot fail: the link type was checked at open and fr is not NULL. */
    ikh_err e =
        ikh_frame_decode_frag(c->linktype, data, h->caplen, h->len, fr, &fi);
    if (e != IKH_OK)
        return e;
    fr->index = ++c->index;
    fr->first_index = fr->index;
    /* libpcap reads pcap's unsigned 32-bit seconds as signed: undo the
     * sign extension of dates from 2038 on. */
    fr->ts_sec = h->ts.tv_sec < 0 ? (uint64_t)(uint32_t)h->ts.tv_sec
                                  : (uint64_t)h->ts.tv_sec;
    fr->ts_usec = h->ts.tv_usec < 0 ? 0 : (uint32_t)h->ts.tv_usec;
    uint64_t now_usec = fr->ts_sec * 1000000u + fr->ts_usec;
    ikh_reasm_expire(&c->reasm, now_usec);
    if (fi.is_frag)
        cap_fragment(c, fr, &fi, now_usec);
    cap_encap(c, fr);
    return IKH_OK;
}

ikh_err ikh_cap_reasm_report(ikh_cap *c, uint64_t *first_index, ikh_err *why)
{
    if (c == NULL || first_index == NULL || why == NULL)
        return IKH_ERR_ARG_INVALID;
    return ikh_reasm_report_pop(&c->reasm, first_index, why);
}

uint64_t ikh_cap_reasm_lost(const ikh_cap *c)
{
    return c != NULL ? c->reasm.rep_lost : 0;
}

int ikh_cap_linktype(const ikh_cap *c)
{
    return c != NULL ? c->linktype : -1;
}

const char *ikh_cap_errmsg(const ikh_cap *c)
{
    return c != NULL ? c->msg : "";
}

void ikh_cap_close(ikh_cap *c)
{
    if (c == NULL)
        return;
    pcap_close(c->pc);
    ikh_reasm_fini(&c->reasm);
    free(c->dgram);
    free(c);
}

ikh_err ikh_cap_next_nodrops(ikh_cap *c, ikh_frame *fr)
{
    ikh_err e = ikh_cap_next(c, fr);
    uint64_t first = 0;
    ikh_err why = IKH_OK;
    while (c != NULL && ikh_cap_reasm_report(c, &first, &why) == IKH_OK)
        continue;
    return e;
}
