/* SPDX-License-Identifier: MIT */
/*
 * Traffic Selector payloads TSi/TSr (RFC 7296 §3.13): Number of TSs,
 * RESERVED, then selectors (§3.13.1). IPv4 and IPv6 address ranges are
 * decoded; other selector types (RFC 4595 FC, RFC 9478 security label)
 * are carried as opaque bodies so they round-trip unchanged.
 */
#include "wire/wire_int.h"

/*= rfc7296#3.13.1
 *# Selector Length - Specifies the length of this Traffic Selector
 *# substructure including the header.
 */
static size_t ts_ip_len(uint8_t type)
{
    switch (type) {
    case IKH_TS_IPV4_ADDR_RANGE:
        return 16; /* 8 + 2 * 4 */
    case IKH_TS_IPV6_ADDR_RANGE:
        return 40; /* 8 + 2 * 16 */
    default:
        return 0;
    }
}

static ikh_err ts_parse(ikh_msg *m, ikh_pl *pl, ikh_rd *rd)
{
    if (ikh_rd_left(rd) < 4)
        return ikh_rd_fail_at(rd, IKH_ERR_WIRE_PL_BODY_SHORT, rd->origin);
    uint8_t num = ikh_rd_u8(rd);
    pl->u.ts.reserved = ikh_rd_u24(rd);
    pl->u.ts.first = m->n_ts;
    pl->u.ts.count = 0;
    while (ikh_rd_left(rd) > 0) {
        size_t off = ikh_rd_offset(rd);
        if (ikh_rd_left(rd) < 4)
            return wire_fail(rd, IKH_ERR_WIRE_TS_LEN);
        if (m->n_ts >= IKH_WIRE_MAX_TS)
            return wire_fail(rd, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        ikh_ts *ts = &m->ts[m->n_ts];
        *ts = (ikh_ts){0};
        ts->type = ikh_rd_u8(rd);
        ts->ip_proto = ikh_rd_u8(rd);
        uint16_t slen = ikh_rd_u16(rd);
        size_t want = ts_ip_len(ts->type);
        if (slen < 4 || (want != 0 && slen != want) ||
            slen - 4u > ikh_rd_left(rd))
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_TS_LEN, off + 2);
        ikh_rd body = ikh_rd_sub(rd, slen - 4u, IKH_ERR_WIRE_TS_LEN);
        IKH_TRY(ikh_rd_error(rd));
        if (want != 0) {
            size_t alen = (want - 8) / 2;
            ts->start_port = ikh_rd_u16(&body);
            ts->end_port = ikh_rd_u16(&body);
            ts->start = ikh_rd_bytes(&body, alen);
            ts->end = ikh_rd_bytes(&body, alen);
        } else {
            ts->opaque = ikh_rd_rest(&body);
        }
        m->n_ts++;
        pl->u.ts.count++;
    }
    if (pl->u.ts.count != num)
        return ikh_rd_fail_at(rd, IKH_ERR_WIRE_TS_COUNT, rd->origin);
    return IKH_OK;
}

static void ts_serialize(const ikh_msg *m, const ikh_pl *pl, ikh_wr *w)
{
    if ((size_t)pl->u.ts.first + pl->u.ts.count > m->n_ts ||
        pl->u.ts.count > 0xff) {
        ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
        return;
    }
    ikh_wr_u8(w, (uint8_t)pl->u.ts.count);
    ikh_wr_u24(w, pl->u.ts.reserved);
    for (uint16_t i = 0; i < pl->u.ts.count; i++) {
        const ikh_ts *ts = &m->ts[pl->u.ts.first + i];
        size_t start = w->len;
        ikh_wr_u8(w, ts->type);
        ikh_wr_u8(w, ts->ip_proto);
        size_t lenf = ikh_wr_len16_open(w);
        size_t want = ts_ip_len(ts->type);
        if (want != 0) {
            if (ts->start.len != (want - 8) / 2 || ts->end.len != ts->start.len)
                ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
            ikh_wr_u16(w, ts->start_port);
            ikh_wr_u16(w, ts->end_port);
            ikh_wr_span(w, ts->start);
            ikh_wr_span(w, ts->end);
        } else {
            ikh_wr_span(w, ts->opaque);
        }
        ikh_wr_len16_close(w, lenf, start);
    }
}

static bool ts_eq(const ikh_msg *ma, const ikh_pl *a, const ikh_msg *mb,
                  const ikh_pl *b)
{
    if (a->u.ts.count != b->u.ts.count || a->u.ts.reserved != b->u.ts.reserved)
        return false;
    for (uint16_t i = 0; i < a->u.ts.count; i++) {
        const ikh_ts *x = &ma->ts[a->u.ts.first + i];
        const ikh_ts *y = &mb->ts[b->u.ts.first + i];
        if (x->type != y->type || x->ip_proto != y->ip_proto ||
            x->start_port != y->start_port || x->end_port != y->end_port ||
            !ikh_span_eq(x->start, y->start) || !ikh_span_eq(x->end, y->end) ||
            !ikh_span_eq(x->opaque, y->opaque))
            return false;
    }
    return true;
}

const pl_ops ikh_pl_ts_ops = {ts_parse, ts_serialize, ts_eq};
