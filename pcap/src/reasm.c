/* SPDX-License-Identifier: MIT */
/*
 * IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) reassembly for the capture
 * reader: a bounded table of datagrams in progress (see reasm.h), fed one
 * fragment at a time in capture order.
 *
 * Checks on each fragment, any failure dropping the whole datagram:
 *  - PKT_FRAG_BAD: a fragment with no data (Linux drops those too); data
 *    ending past ::IKH_PCAP_REASM_MAX_OCTETS; a fragment that is not the
 *    last whose length is not a multiple of 8 (RFC 8200 §4.5; RFC 791
 *    fragments on 8-octet boundaries); a second
 *    last fragment with another end; data past the end the last fragment
 *    set; more than ::IKH_PCAP_REASM_MAX_FRAGS different fragments.
 *  - PKT_FRAG_OVERLAP: IPv6, a fragment overlapping one already received
 *    (RFC 5722 §4); IPv4, an overlap whose octets differ from those
 *    received (the same octets again are harmless, as retransmitted
 *    fragments with other boundaries are).
 * An exact duplicate (same offset, length and octets) changes nothing.
 *
 * Deterministic: slots are searched in order, and "oldest" means the
 * lowest record number of a first fragment, so reports come in the same
 * order on every run.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

/* Initial payload buffer; it doubles as fragments need, up to the limit. */
#define REASM_BUF_MIN 2048u

void ikh_reasm_init(ikh_reasm *r)
{
    memset(r, 0, sizeof *r);
}

static void dgram_clear(reasm_dgram *d)
{
    free(d->buf);
    d->buf = NULL;
    d->buf_cap = 0;
    d->used = false;
}

void ikh_reasm_fini(ikh_reasm *r)
{
    for (size_t i = 0; i < IKH_PCAP_REASM_MAX_DGRAMS; i++)
        dgram_clear(&r->dg[i]);
    ikh_reasm_init(r);
}

static void report_push(ikh_reasm *r, uint64_t first_index, ikh_err why)
{
    if (r->rep_count == IKH_PCAP_REASM_MAX_REPORTS) { /* nobody drains */
        r->rep_head = (r->rep_head + 1) % IKH_PCAP_REASM_MAX_REPORTS;
        r->rep_count--;
        r->rep_lost++;
    }
    size_t at = (r->rep_head + r->rep_count) % IKH_PCAP_REASM_MAX_REPORTS;
    r->rep[at] = (reasm_report){first_index, why};
    r->rep_count++;
}

ikh_err ikh_reasm_report_pop(ikh_reasm *r, uint64_t *first_index, ikh_err *why)
{
    if (r->rep_count == 0)
        return IKH_ERR_STATE;
    *first_index = r->rep[r->rep_head].first_index;
    *why = r->rep[r->rep_head].why;
    r->rep_head = (r->rep_head + 1) % IKH_PCAP_REASM_MAX_REPORTS;
    r->rep_count--;
    return IKH_OK;
}

/* Drop a datagram: reported once, then dead until its timeout. */
static void dgram_kill(ikh_reasm *r, reasm_dgram *d, ikh_err why)
{
    report_push(r, d->first_index, why);
    free(d->buf);
    d->buf = NULL;
    d->buf_cap = 0;
    d->n_pieces = 0;
    d->dead = true;
}

/* Empty a slot: a datagram in progress is reported with `why`. */
static void dgram_drop(ikh_reasm *r, reasm_dgram *d, ikh_err why)
{
    if (!d->dead)
        report_push(r, d->first_index, why);
    dgram_clear(d);
}

static bool dgram_expired(const reasm_dgram *d, uint64_t now_usec)
{
    return now_usec > d->first_usec &&
           now_usec - d->first_usec > IKH_PCAP_REASM_TIMEOUT_USEC;
}

/* The used slot with the lowest first record among those `all` selects
 * (every one) or that have expired at now_usec; NULL when none. */
static reasm_dgram *dgram_oldest(ikh_reasm *r, bool all, uint64_t now_usec)
{
    reasm_dgram *best = NULL;
    for (size_t i = 0; i < IKH_PCAP_REASM_MAX_DGRAMS; i++) {
        reasm_dgram *d = &r->dg[i];
        if (d->used && (all || dgram_expired(d, now_usec)) &&
            (best == NULL || d->first_index < best->first_index))
            best = d;
    }
    return best;
}

void ikh_reasm_expire(ikh_reasm *r, uint64_t now_usec)
{
    reasm_dgram *d;
    while ((d = dgram_oldest(r, false, now_usec)) != NULL)
        dgram_drop(r, d, IKH_ERR_PKT_FRAG_TIMEOUT);
}

void ikh_reasm_flush(ikh_reasm *r)
{
    reasm_dgram *d;
    while ((d = dgram_oldest(r, true, 0)) != NULL)
        dgram_drop(r, d, IKH_ERR_PKT_FRAG_TIMEOUT);
}

static bool dgram_is(const reasm_dgram *d, const ikh_frag_info *fi,
                     const ikh_addr *src, const ikh_addr *dst)
{
    return d->used && d->ipver == fi->ipver && d->proto == fi->proto &&
           d->id == fi->id && memcmp(d->src, src->a, sizeof d->src) == 0 &&
           memcmp(d->dst, dst->a, sizeof d->dst) == 0;
}

/* A slot for a new datagram: a free one, else the oldest dead one, else
 * the oldest in progress (evicted: PKT_FRAG_LIMIT). */
static reasm_dgram *dgram_slot(ikh_reasm *r)
{
    reasm_dgram *dead = NULL;
    for (size_t i = 0; i < IKH_PCAP_REASM_MAX_DGRAMS; i++) {
        reasm_dgram *d = &r->dg[i];
        if (!d->used)
            return d;
        if (d->dead && (dead == NULL || d->first_index < dead->first_index))
            dead = d;
    }
    reasm_dgram *d = dead != NULL ? dead : dgram_oldest(r, true, 0);
    dgram_drop(r, d, IKH_ERR_PKT_FRAG_LIMIT);
    return d;
}

static reasm_dgram *dgram_find(ikh_reasm *r, const ikh_frag_info *fi,
                               const ikh_addr *src, const ikh_addr *dst,
                               uint64_t index, uint64_t now_usec)
{
    for (size_t i = 0; i < IKH_PCAP_REASM_MAX_DGRAMS; i++)
        if (dgram_is(&r->dg[i], fi, src, dst))
            return &r->dg[i];
    reasm_dgram *d = dgram_slot(r);
    memset(d, 0, sizeof *d);
    d->used = true;
    d->ipver = fi->ipver;
    d->proto = fi->proto;
    d->id = fi->id;
    memcpy(d->src, src->a, sizeof d->src);
    memcpy(d->dst, dst->a, sizeof d->dst);
    d->first_usec = now_usec;
    d->first_index = index;
    return d;
}

/* The n octets at off of the payload received so far (read via ikh_rd). */
static ikh_span dgram_octets(const reasm_dgram *d, size_t off, size_t n)
{
    ikh_rd rd = ikh_rd_init(d->buf, d->buf_cap);
    (void)ikh_rd_bytes(&rd, off);
    ikh_span s = ikh_rd_bytes(&rd, n);
    assert(ikh_rd_error(&rd) == IKH_OK); /* pieces lie inside buf_cap */
    return s;
}

/* Fragment data against every piece it overlaps: an exact duplicate,
 * consistent (IPv4, same octets), or an overlap that kills the datagram. */
static ikh_err dgram_overlaps(const reasm_dgram *d, size_t off, ikh_span data,
                              bool *dup)
{
    size_t end = off + data.len;
    *dup = false;
    for (uint32_t k = 0; k < d->n_pieces; k++) {
        size_t po = d->pieces[k].off, pe = po + d->pieces[k].len;
        if (po == off && pe == end &&
            ikh_span_eq(dgram_octets(d, off, data.len), data)) {
            *dup = true;
            return IKH_OK;
        }
    }
    for (uint32_t k = 0; k < d->n_pieces; k++) {
        size_t po = d->pieces[k].off, pe = po + d->pieces[k].len;
        if (pe <= off || po >= end)
            continue;
        if (d->ipver == 6) /* RFC 5722 §4: any overlap */
            return IKH_ERR_PKT_FRAG_OVERLAP;
        size_t lo = po > off ? po : off, hi = pe < end ? pe : end;
        ikh_rd rd = ikh_rd_init(data.p, data.len);
        (void)ikh_rd_bytes(&rd, lo - off);
        if (!ikh_span_eq(dgram_octets(d, lo, hi - lo),
                         ikh_rd_bytes(&rd, hi - lo)))
            return IKH_ERR_PKT_FRAG_OVERLAP;
    }
    return IKH_OK;
}

/* Offset, length and end checks (see the file comment). */
static ikh_err dgram_check(const reasm_dgram *d, const ikh_frag_info *fi)
{
    size_t end = fi->off + fi->data.len;
    if (fi->data.len == 0 || end > IKH_PCAP_REASM_MAX_OCTETS)
        return IKH_ERR_PKT_FRAG_BAD;
    if (fi->more && fi->data.len % 8u != 0)
        return IKH_ERR_PKT_FRAG_BAD;
    if (d->have_last)
        return (fi->more ? end > d->total : end != d->total)
                   ? IKH_ERR_PKT_FRAG_BAD
                   : IKH_OK;
    if (!fi->more) /* the first last fragment: nothing may lie past it */
        for (uint32_t k = 0; k < d->n_pieces; k++)
            if ((size_t)d->pieces[k].off + d->pieces[k].len > end)
                return IKH_ERR_PKT_FRAG_BAD;
    return IKH_OK;
}

/* Room for `end` payload octets: the buffer doubles, up to the limit. */
static ikh_err dgram_reserve(reasm_dgram *d, size_t end)
{
    if (end <= d->buf_cap)
        return IKH_OK;
    size_t cap = d->buf_cap ? d->buf_cap * 2u : REASM_BUF_MIN;
    if (cap < end)
        cap = end;
    if (cap > IKH_PCAP_REASM_MAX_OCTETS)
        cap = IKH_PCAP_REASM_MAX_OCTETS; /* end was checked against it */
    uint8_t *nb = realloc(d->buf, cap);
    if (nb == NULL)
        return IKH_ERR_ENV_NOMEM;
    d->buf = nb;
    d->buf_cap = cap;
    return IKH_OK;
}

/* Copy the data in and insert its piece in (off, len) order. */
static void dgram_store(reasm_dgram *d, size_t off, ikh_span data)
{
    ikh_wr w = ikh_wr_init(d->buf, d->buf_cap);
    w.len = off; /* write at off: dgram_reserve() made off + len fit */
    ikh_wr_span(&w, data);
    assert(ikh_wr_error(&w) == IKH_OK);
    uint32_t k = d->n_pieces;
    while (k > 0 &&
           (d->pieces[k - 1].off > off ||
            (d->pieces[k - 1].off == off && d->pieces[k - 1].len > data.len))) {
        d->pieces[k] = d->pieces[k - 1];
        k--;
    }
    d->pieces[k] = (reasm_piece){(uint32_t)off, (uint32_t)data.len};
    d->n_pieces++;
}

/* Whether the pieces cover [0, total) without a hole. */
static bool dgram_complete(const reasm_dgram *d)
{
    if (!d->have_last)
        return false;
    size_t pos = 0;
    for (uint32_t k = 0; k < d->n_pieces; k++) {
        if (d->pieces[k].off > pos)
            return false;
        size_t end = (size_t)d->pieces[k].off + d->pieces[k].len;
        if (end > pos)
            pos = end;
    }
    return pos == d->total;
}

/* Place one fragment in a live datagram; an error kills the datagram. */
static ikh_err dgram_add(reasm_dgram *d, const ikh_frag_info *fi)
{
    IKH_TRY(dgram_check(d, fi));
    bool dup = false;
    IKH_TRY(dgram_overlaps(d, fi->off, fi->data, &dup));
    if (dup)
        return IKH_OK;
    IKH_CHECK(d->n_pieces < IKH_PCAP_REASM_MAX_FRAGS, IKH_ERR_PKT_FRAG_BAD);
    IKH_TRY(dgram_reserve(d, fi->off + fi->data.len));
    dgram_store(d, fi->off, fi->data);
    if (!fi->more) {
        d->have_last = true;
        d->total = fi->off + fi->data.len;
    }
    return IKH_OK;
}

bool ikh_reasm_add(ikh_reasm *r, const ikh_frag_info *fi, const ikh_addr *src,
                   const ikh_addr *dst, uint64_t index, uint64_t now_usec,
                   ikh_reasm_done *done)
{
    memset(done, 0, sizeof *done);
    reasm_dgram *d = dgram_find(r, fi, src, dst, index, now_usec);
    if (d->dead)
        return false; /* already reported: the rest is discarded */
    ikh_err e = dgram_add(d, fi);
    if (e != IKH_OK) {
        dgram_kill(r, d, e);
        return false;
    }
    if (!dgram_complete(d))
        return false;
    done->buf = d->buf;
    done->len = d->total;
    done->frags = d->n_pieces;
    done->first_index = d->first_index;
    d->buf = NULL; /* now the caller's */
    dgram_clear(d);
    return true;
}
