/* SPDX-License-Identifier: MIT */
/*
 * The Configuration payload CP (RFC 7296 §3.15): CFG Type, RESERVED, then
 * configuration attributes (§3.15.1) of any type, kept with their R bit.
 */
#include "wire/wire_int.h"

/*= rfc7296#3.15.1
 *# Reserved (1 bit) - This bit MUST be set to zero and MUST be ignored
 *# on receipt.
 */
static ikh_err cp_parse(ikh_msg *m, ikh_pl *pl, ikh_rd *rd)
{
    if (ikh_rd_left(rd) < 4)
        return ikh_rd_fail_at(rd, IKH_ERR_WIRE_PL_BODY_SHORT, rd->origin);
    pl->u.cp.cfg_type = ikh_rd_u8(rd);
    pl->u.cp.reserved = ikh_rd_u24(rd);
    pl->u.cp.first = m->n_cpa;
    pl->u.cp.count = 0;
    while (ikh_rd_left(rd) > 0) {
        if (ikh_rd_left(rd) < 4)
            return wire_fail(rd, IKH_ERR_WIRE_CP_ATTR_OVERRUN);
        if (m->n_cpa >= IKH_WIRE_MAX_CP_ATTRS)
            return wire_fail(rd, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        ikh_cp_attr *a = &m->cpa[m->n_cpa];
        uint16_t t = ikh_rd_u16(rd);
        a->reserved_bit = (t & 0x8000u) != 0;
        a->type = t & 0x7fffu;
        uint16_t alen = ikh_rd_u16(rd);
        if (ikh_rd_left(rd) < alen)
            return ikh_rd_fail_at(rd, IKH_ERR_WIRE_CP_ATTR_OVERRUN,
                                  ikh_rd_offset(rd) - 2);
        a->value = ikh_rd_bytes(rd, alen);
        m->n_cpa++;
        pl->u.cp.count++;
    }
    return ikh_rd_error(rd);
}

static void cp_serialize(const ikh_msg *m, const ikh_pl *pl, ikh_wr *w)
{
    if ((size_t)pl->u.cp.first + pl->u.cp.count > m->n_cpa) {
        ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
        return;
    }
    ikh_wr_u8(w, pl->u.cp.cfg_type);
    ikh_wr_u24(w, pl->u.cp.reserved);
    for (uint16_t i = 0; i < pl->u.cp.count; i++) {
        const ikh_cp_attr *a = &m->cpa[pl->u.cp.first + i];
        ikh_wr_u16(w, (uint16_t)((a->reserved_bit ? 0x8000u : 0u) |
                                 (a->type & 0x7fffu)));
        if (a->value.len > 0xffff)
            ikh_wr_fail(w, IKH_ERR_ARG_RANGE);
        ikh_wr_u16(w, (uint16_t)a->value.len);
        ikh_wr_span(w, a->value);
    }
}

static bool cp_eq(const ikh_msg *ma, const ikh_pl *a, const ikh_msg *mb,
                  const ikh_pl *b)
{
    if (a->u.cp.cfg_type != b->u.cp.cfg_type ||
        a->u.cp.reserved != b->u.cp.reserved || a->u.cp.count != b->u.cp.count)
        return false;
    for (uint16_t i = 0; i < a->u.cp.count; i++) {
        const ikh_cp_attr *x = &ma->cpa[a->u.cp.first + i];
        const ikh_cp_attr *y = &mb->cpa[b->u.cp.first + i];
        if (x->reserved_bit != y->reserved_bit || x->type != y->type ||
            !ikh_span_eq(x->value, y->value))
            return false;
    }
    return true;
}

const pl_ops ikh_pl_cp_ops = {cp_parse, cp_serialize, cp_eq};
