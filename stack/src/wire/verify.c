/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks on a parsed message, kept apart from byte parsing
 * (../shared/STYLE.md §7): what the field layout cannot say — SPI rules,
 * proposal numbering, protocol IDs and SPI sizes, Key Length attributes,
 * identification lengths, selector ranges, critical unknown payloads —
 * then the per-exchange payload rules of msg_rules.c.
 */
#include "wire/msg_rules.h"
#include "wire/wire_int.h"

static ikh_err vfail(ikh_diag *diag, const ikh_msg *m, ikh_err e, int idx,
                     size_t off)
{
    if (diag) {
        diag->err = e;
        diag->offset = off;
        diag->payload = idx >= 0 ? m->pl[idx].type : 0;
        diag->pl_index = idx;
        diag->exch = m->hdr.exch;
    }
    return e;
}

/* Exchange types from the IANA registry, plus private use (240-255). */
static bool exch_known(uint8_t exch)
{
    return (exch >= IKH_EXCH_IKE_SA_INIT && exch <= IKH_EXCH_IKE_FOLLOWUP_KE) ||
           exch >= 240;
}

/* ENCR transforms with a variable key length need the Key Length attribute. */
static bool encr_needs_keylen(uint16_t id)
{
    switch (id) {
    case IKH_ENCR_AES_CBC:
    case IKH_ENCR_AES_CTR:
    case IKH_ENCR_AES_CCM_8:
    case IKH_ENCR_AES_CCM_12:
    case IKH_ENCR_AES_CCM_16:
    case IKH_ENCR_AES_GCM_8:
    case IKH_ENCR_AES_GCM_12:
    case IKH_ENCR_AES_GCM_16:
    case IKH_ENCR_NULL_AUTH_AES_GMAC:
    case IKH_ENCR_CAMELLIA_CBC:
    case IKH_ENCR_CAMELLIA_CTR:
    case IKH_ENCR_CAMELLIA_CCM_8:
    case IKH_ENCR_CAMELLIA_CCM_12:
    case IKH_ENCR_CAMELLIA_CCM_16:
        return true;
    default:
        return false;
    }
}

/*= rfc7296#3.3.5
 *# o  Key Length (in bits)
 *#    *  This attribute MUST NOT be used with transforms that use a fixed-
 *#       length key.
 */
static ikh_err check_keylen(const ikh_msg *m, const ikh_xform *x)
{
    unsigned n = 0;
    for (uint16_t k = 0; k < x->attr_count; k++) {
        const ikh_xattr *a = &m->attr[x->attr_first + k];
        if (a->type != IKH_XATTR_KEY_LENGTH)
            continue;
        if (!a->tv)
            return IKH_ERR_WIRE_KEY_LEN_ATTR;
        n++;
    }
    if (n > 1)
        return IKH_ERR_WIRE_KEY_LEN_ATTR;
    if (x->type == IKH_XF_ENCR && encr_needs_keylen(x->id) && n == 0)
        return IKH_ERR_WIRE_KEY_LEN_ATTR;
    if (x->type != IKH_XF_ENCR && n != 0)
        return IKH_ERR_WIRE_KEY_LEN_ATTR;
    return IKH_OK;
}

/*= rfc7296#3.3.1
 *# When a proposal is made, the first
 *# proposal in an SA payload MUST be 1, and subsequent proposals MUST
 *# be one more than the previous proposal (indicating an OR of the two
 *# proposals).
 *
 *= rfc7296#3.3.1
 *# SPI Size (1 octet) - For an initial IKE SA negotiation, this field
 *# MUST be zero; the SPI is obtained from the outer header.  During
 *# subsequent negotiations, it is equal to the size, in octets, of the
 *# SPI of the corresponding protocol (8 for IKE, 4 for ESP and AH).
 */
static ikh_err check_sa(const ikh_msg *m, const ikh_pl *pl, bool response)
{
    for (uint16_t i = 0; i < pl->u.sa.count; i++) {
        const ikh_prop *p = &m->prop[pl->u.sa.first + i];
        if (!response && p->num != i + 1)
            return IKH_ERR_WIRE_PROP_NUM;
        if (p->proto < IKH_PROTO_IKE || p->proto > IKH_PROTO_ESP)
            return IKH_ERR_WIRE_PROTO_ID;
        if (m->hdr.exch == IKH_EXCH_IKE_SA_INIT) {
            if (p->proto != IKH_PROTO_IKE)
                return IKH_ERR_WIRE_PROTO_ID;
            if (p->spi.len != 0)
                return IKH_ERR_WIRE_SPI_SIZE;
        } else if (p->proto == IKH_PROTO_IKE) {
            if (m->hdr.exch == IKH_EXCH_IKE_AUTH)
                return IKH_ERR_WIRE_PROTO_ID;
            if (p->spi.len != 8)
                return IKH_ERR_WIRE_SPI_SIZE;
        } else if (p->spi.len != 4) {
            return IKH_ERR_WIRE_SPI_SIZE;
        }
        for (uint16_t j = 0; j < p->xf_count; j++)
            IKH_TRY(check_keylen(m, &m->xf[p->xf_first + j]));
    }
    return IKH_OK;
}

static int addr_cmp(ikh_span a, ikh_span b)
{
    for (size_t i = 0; i < a.len && i < b.len; i++)
        if (a.p[i] != b.p[i])
            return a.p[i] < b.p[i] ? -1 : 1;
    return 0;
}

/* RFC 7296 §3.13.1: Start Port <= End Port, Starting Address <= Ending
 * Address; OPAQUE ports (RFC 4301 §4.4.1) travel as 65535..0. */
static ikh_err check_ts(const ikh_msg *m, const ikh_pl *pl)
{
    for (uint16_t i = 0; i < pl->u.ts.count; i++) {
        const ikh_ts *ts = &m->ts[pl->u.ts.first + i];
        if (ts->type != IKH_TS_IPV4_ADDR_RANGE &&
            ts->type != IKH_TS_IPV6_ADDR_RANGE)
            continue;
        bool opaque = ts->start_port == 65535 && ts->end_port == 0;
        if ((!opaque && ts->start_port > ts->end_port) ||
            addr_cmp(ts->start, ts->end) > 0)
            return IKH_ERR_WIRE_TS_RANGE;
    }
    return IKH_OK;
}

static ikh_err check_payload(const ikh_msg *m, const ikh_pl *pl, bool response)
{
    switch (pl->type) {
    case IKH_PL_SA:
        return check_sa(m, pl, response);
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        if ((pl->u.id.id_type == IKH_ID_IPV4_ADDR && pl->u.id.data.len != 4) ||
            (pl->u.id.id_type == IKH_ID_IPV6_ADDR && pl->u.id.data.len != 16))
            return IKH_ERR_WIRE_ID_LEN;
        return IKH_OK;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        return check_ts(m, pl);
    /*= rfc7296#3.11
     *# SPI Size (1 octet) - Length in octets of the SPI as defined by the
     *# protocol ID.  It MUST be zero for IKE (SPI is in message header)
     *# or four for AH and ESP.
     */
    case IKH_PL_DELETE:
        if (pl->u.del.proto < IKH_PROTO_IKE || pl->u.del.proto > IKH_PROTO_ESP)
            return IKH_ERR_WIRE_PROTO_ID;
        if (pl->u.del.spi_size != (pl->u.del.proto == IKH_PROTO_IKE ? 0 : 4))
            return IKH_ERR_WIRE_SPI_SIZE;
        return IKH_OK;
    default:
        /*= rfc7296#2.5
         *# If the critical flag is set
         *# and the payload type is unrecognized, the message MUST be rejected
         *# and the response to the IKE request containing that payload MUST
         *# include a Notify payload UNSUPPORTED_CRITICAL_PAYLOAD, indicating
         *# an unsupported critical payload was included.
         */
        if (!ikh_wire_pl_known(pl->type) && (pl->flags & IKH_PL_CRITICAL))
            return IKH_ERR_WIRE_UNKNOWN_CRITICAL;
        return IKH_OK;
    }
}

/*= rfc7296#3.1
 *# Initiator's SPI (8 octets) - A value chosen by the
 *# initiator to identify a unique IKE Security Association.  This
 *# value MUST NOT be zero.
 *
 *= rfc7296#3.1
 *# Responder's SPI (8 octets) - A value chosen by the
 *# responder to identify a unique IKE Security Association.  This
 *# value MUST be zero in the first message of an IKE initial
 *# exchange (including repeats of that message including a cookie).
 */
ikh_err ikh_wire_msg_verify(const ikh_msg *m, ikh_diag *diag)
{
    bool response = (m->hdr.flags & IKH_HDR_F_RESPONSE) != 0;
    if (!exch_known(m->hdr.exch))
        return vfail(diag, m, IKH_ERR_WIRE_EXCH_UNKNOWN, -1, 18);
    if (m->hdr.ispi == 0)
        return vfail(diag, m, IKH_ERR_WIRE_SPI_ZERO, -1, 0);
    if (m->hdr.exch == IKH_EXCH_IKE_SA_INIT && !response && m->hdr.rspi != 0)
        return vfail(diag, m, IKH_ERR_WIRE_SPI_NONZERO, -1, 8);
    for (size_t i = 0; i < m->n_pl; i++) {
        ikh_err e = check_payload(m, &m->pl[i], response);
        if (e != IKH_OK)
            return vfail(diag, m, e, (int)i, m->pl[i].offset);
    }
    ikh_err e = ikh_wire_msg_rules_check(m, diag);
    if (e == IKH_OK && diag)
        diag->err = IKH_OK;
    return e;
}
