/* SPDX-License-Identifier: MIT */
/*
 * The SA payload (RFC 7296 §3.3): a list of proposals (§3.3.1), each a
 * list of transforms (§3.3.2), each with attributes (§3.3.5). Parsed into
 * the message's proposal, transform and attribute pools.
 */
#include "wire/wire_int.h"

#define PROP_LAST 0u
#define PROP_MORE 2u
#define XFORM_LAST 0u
#define XFORM_MORE 3u
#define AF_TV 0x8000u

/*= rfc7296#3.3.5
 *# Attribute Format (AF) (1 bit) - Indicates whether the data attribute
 *# follows the Type/Length/Value (TLV) format or a shortened Type/Value
 *# (TV) format. If the AF bit is zero (0), then the attribute uses TLV
 *# format; if the AF bit is one (1), the TLV format is not used and the
 *# Type/Value format is used instead.
 */
static ikh_err attrs_parse(ikh_msg *m, ikh_xform *x, ikh_rd *rd)
{
    x->attr_first = m->n_attr;
    x->attr_count = 0;
    while (ikh_rd_left(rd) > 0) {
        if (ikh_rd_left(rd) < 4)
            return wire_fail(rd, IKH_ERR_WIRE_ATTR_OVERRUN);
        if (m->n_attr >= IKH_WIRE_MAX_XATTRS)
            return wire_fail(rd, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        ikh_xattr *a = &m->attr[m->n_attr];
        uint16_t t = ikh_rd_u16(rd);
        a->type = t & 0x7fffu;
        a->tv = (t & AF_TV) != 0;
        a->value = ikh_span_of(NULL, 0);
        a->tv_value = 0;
        if (a->tv) {
            a->tv_value = ikh_rd_u16(rd);
        } else {
            uint16_t alen = ikh_rd_u16(rd);
            if (ikh_rd_left(rd) < alen)
                return wire_fail(rd, IKH_ERR_WIRE_ATTR_OVERRUN);
            a->value = ikh_rd_bytes(rd, alen);
        }
        m->n_attr++;
        x->attr_count++;
    }
    return ikh_rd_error(rd);
}

/* §3.3.2: Last Substruc 0 (last) or 3 (more), Length, Type, ID, attributes. */
static ikh_err xforms_parse(ikh_msg *m, ikh_prop *p, ikh_rd *rd,
                            uint8_t declared)
{
    p->xf_first = m->n_xf;
    p->xf_count = 0;
    while (ikh_rd_left(rd) > 0) {
        size_t off = ikh_rd_offset(rd);
        if (ikh_rd_left(rd) < 8)
            return wire_fail(rd, IKH_ERR_WIRE_XFORM_LEN);
        if (m->n_xf >= IKH_WIRE_MAX_TRANSFORMS)
            return wire_fail(rd, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        ikh_xform *x = &m->xf[m->n_xf];
        uint8_t last = ikh_rd_u8(rd);
        x->reserved1 = ikh_rd_u8(rd);
        uint16_t tlen = ikh_rd_u16(rd);
        if (tlen < 8 || tlen - 4u > ikh_rd_left(rd))
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_XFORM_LEN, off + 2);
        ikh_rd body = ikh_rd_sub(rd, tlen - 4u, IKH_ERR_WIRE_XFORM_LEN);
        IKH_TRY(ikh_rd_error(rd));
        x->type = ikh_rd_u8(&body);
        x->reserved2 = ikh_rd_u8(&body);
        x->id = ikh_rd_u16(&body);
        m->n_xf++;
        p->xf_count++;
        ikh_err e = attrs_parse(m, x, &body);
        if (e != IKH_OK)
            return ikh_rd_fail_at(rd, e, body.err_off);
        bool more = ikh_rd_left(rd) > 0;
        if ((last != XFORM_LAST && last != XFORM_MORE) ||
            (last == XFORM_MORE) != more)
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_XFORM_LAST, off);
    }
    if (p->xf_count != declared)
        return ikh_rd_fail_at(rd, IKH_ERR_WIRE_XFORM_COUNT, rd->origin + 3);
    return IKH_OK;
}

/*= rfc7296#3.3.1
 *# Last Substruc (1 octet) - Specifies whether this is the last
 *# Proposal Substructure in the SA. This field has a value of 0 if
 *# this was the last Proposal Substructure, and a value of 2 if
 *# there are more Proposal Substructures.
 */
static ikh_err sa_parse(ikh_msg *m, ikh_pl *pl, ikh_rd *rd)
{
    pl->u.sa.first = m->n_prop;
    pl->u.sa.count = 0;
    if (ikh_rd_left(rd) == 0)
        return wire_fail(rd, IKH_ERR_WIRE_SA_EMPTY);
    while (ikh_rd_left(rd) > 0) {
        size_t off = ikh_rd_offset(rd);
        if (ikh_rd_left(rd) < 8)
            return wire_fail(rd, IKH_ERR_WIRE_PROP_LEN);
        if (m->n_prop >= IKH_WIRE_MAX_PROPOSALS)
            return wire_fail(rd, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        ikh_prop *p = &m->prop[m->n_prop];
        uint8_t last = ikh_rd_u8(rd);
        p->reserved = ikh_rd_u8(rd);
        uint16_t plen = ikh_rd_u16(rd);
        if (plen < 8 || plen - 4u > ikh_rd_left(rd))
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_PROP_LEN, off + 2);
        ikh_rd body = ikh_rd_sub(rd, plen - 4u, IKH_ERR_WIRE_PROP_LEN);
        IKH_TRY(ikh_rd_error(rd));
        p->num = ikh_rd_u8(&body);
        p->proto = ikh_rd_u8(&body);
        uint8_t spi_size = ikh_rd_u8(&body);
        uint8_t nxf = ikh_rd_u8(&body);
        if (ikh_rd_left(&body) < spi_size)
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_PROP_SPI_LEN, off + 6);
        p->spi = ikh_rd_bytes(&body, spi_size);
        m->n_prop++;
        pl->u.sa.count++;
        ikh_err e = xforms_parse(m, p, &body, nxf);
        if (e != IKH_OK)
            return ikh_rd_fail_at(rd, e, body.err_off);
        bool more = ikh_rd_left(rd) > 0;
        if ((last != PROP_LAST && last != PROP_MORE) ||
            (last == PROP_MORE) != more)
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_PROP_LAST, off);
    }
    return IKH_OK;
}

static void sa_serialize(const ikh_msg *m, const ikh_pl *pl, ikh_wr *w)
{
    if ((size_t)pl->u.sa.first + pl->u.sa.count > m->n_prop) {
        ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
        return;
    }
    for (uint16_t i = 0; i < pl->u.sa.count; i++) {
        const ikh_prop *p = &m->prop[pl->u.sa.first + i];
        if ((size_t)p->xf_first + p->xf_count > m->n_xf || p->xf_count > 0xff) {
            ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
            return;
        }
        size_t pstart = w->len;
        ikh_wr_u8(w, i + 1u < pl->u.sa.count ? PROP_MORE : PROP_LAST);
        ikh_wr_u8(w, p->reserved);
        size_t plen = ikh_wr_len16_open(w);
        ikh_wr_u8(w, p->num);
        ikh_wr_u8(w, p->proto);
        wire_wr_len8_span(w, p->spi);
        ikh_wr_u8(w, (uint8_t)p->xf_count);
        ikh_wr_span(w, p->spi);
        for (uint16_t j = 0; j < p->xf_count; j++) {
            const ikh_xform *x = &m->xf[p->xf_first + j];
            if ((size_t)x->attr_first + x->attr_count > m->n_attr) {
                ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
                return;
            }
            size_t xstart = w->len;
            ikh_wr_u8(w, j + 1u < p->xf_count ? XFORM_MORE : XFORM_LAST);
            ikh_wr_u8(w, x->reserved1);
            size_t xlen = ikh_wr_len16_open(w);
            ikh_wr_u8(w, x->type);
            ikh_wr_u8(w, x->reserved2);
            ikh_wr_u16(w, x->id);
            for (uint16_t k = 0; k < x->attr_count; k++) {
                const ikh_xattr *a = &m->attr[x->attr_first + k];
                if (a->tv) {
                    ikh_wr_u16(w, (uint16_t)(AF_TV | (a->type & 0x7fffu)));
                    ikh_wr_u16(w, a->tv_value);
                } else {
                    ikh_wr_u16(w, a->type & 0x7fffu);
                    if (a->value.len > 0xffff)
                        ikh_wr_fail(w, IKH_ERR_ARG_RANGE);
                    ikh_wr_u16(w, (uint16_t)a->value.len);
                    ikh_wr_span(w, a->value);
                }
            }
            ikh_wr_len16_close(w, xlen, xstart);
        }
        ikh_wr_len16_close(w, plen, pstart);
    }
}

static bool attr_eq(const ikh_xattr *a, const ikh_xattr *b)
{
    if (a->type != b->type || a->tv != b->tv)
        return false;
    return a->tv ? a->tv_value == b->tv_value : ikh_span_eq(a->value, b->value);
}

static bool xform_eq(const ikh_msg *ma, const ikh_xform *a, const ikh_msg *mb,
                     const ikh_xform *b)
{
    if (a->type != b->type || a->id != b->id || a->reserved1 != b->reserved1 ||
        a->reserved2 != b->reserved2 || a->attr_count != b->attr_count)
        return false;
    for (uint16_t k = 0; k < a->attr_count; k++)
        if (!attr_eq(&ma->attr[a->attr_first + k],
                     &mb->attr[b->attr_first + k]))
            return false;
    return true;
}

static bool sa_eq(const ikh_msg *ma, const ikh_pl *a, const ikh_msg *mb,
                  const ikh_pl *b)
{
    if (a->u.sa.count != b->u.sa.count)
        return false;
    for (uint16_t i = 0; i < a->u.sa.count; i++) {
        const ikh_prop *pa = &ma->prop[a->u.sa.first + i];
        const ikh_prop *pb = &mb->prop[b->u.sa.first + i];
        if (pa->num != pb->num || pa->proto != pb->proto ||
            pa->reserved != pb->reserved || !ikh_span_eq(pa->spi, pb->spi) ||
            pa->xf_count != pb->xf_count)
            return false;
        for (uint16_t j = 0; j < pa->xf_count; j++)
            if (!xform_eq(ma, &ma->xf[pa->xf_first + j], mb,
                          &mb->xf[pb->xf_first + j]))
                return false;
    }
    return true;
}

const pl_ops ikh_pl_sa_ops = {sa_parse, sa_serialize, sa_eq};
