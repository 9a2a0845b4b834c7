/* SPDX-License-Identifier: MIT */
/*
 * IKE messages: the header (RFC 7296 §3.1), the payload chain (§3.2),
 * serialization with derived lengths, structural equality, and the
 * builder helpers. Payload bodies are handled by the pl_*.c files.
 */
#include <string.h>

#include "wire/wire_int.h"

/* Only the header and the counts are reset: every pool entry is fully
 * written before it is counted (parse and builders alike), so zeroing the
 * ~25 KiB of pools on every parse would only cost time (bench_wire). */
void ikh_wire_hdr_read(ikh_rd *rd, ikh_ike_hdr *h)
{
    h->ispi = ikh_rd_u64(rd);
    h->rspi = ikh_rd_u64(rd);
    h->next_payload = ikh_rd_u8(rd);
    h->version = ikh_rd_u8(rd);
    h->exch = ikh_rd_u8(rd);
    h->flags = ikh_rd_u8(rd);
    h->mid = ikh_rd_u32(rd);
    h->length = ikh_rd_u32(rd);
}

void ikh_wire_msg_init(ikh_msg *m)
{
    memset(&m->hdr, 0, sizeof m->hdr);
    m->n_pl = m->n_prop = m->n_xf = m->n_attr = m->n_ts = m->n_cpa = 0;
}

static void diag_set(ikh_diag *diag, ikh_err err, size_t off, uint8_t pl,
                     int idx, uint8_t exch)
{
    if (!diag)
        return;
    diag->err = err;
    diag->offset = off;
    diag->payload = pl;
    diag->pl_index = idx;
    diag->exch = exch;
}

static bool is_encrypted(uint8_t type)
{
    return type == IKH_PL_SK || type == IKH_PL_SKF;
}

/*= rfc7296#3.2
 *# Next Payload (1 octet) - Identifier for the payload type of the next
 *# payload in the message. If the current payload is the last in the
 *# message, then this field will be 0.
 *
 *= rfc7296#3.14
 *# The Encrypted payload, if present in a message, MUST be the last
 *# payload in the message.
 *
 * Walks the chain iteratively (never recursion on peer data) from
 * first_type over rd, which must be consumed exactly.
 */
static ikh_err chain_parse(ikh_msg *m, ikh_rd *rd, uint8_t first_type,
                           bool in_sk, ikh_diag *diag)
{
    uint8_t type = first_type;
    while (type != IKH_PL_NONE) {
        size_t off = ikh_rd_offset(rd);
        int idx = m->n_pl;
        ikh_err e = IKH_OK;
        if (ikh_rd_left(rd) == 0)
            e = IKH_ERR_WIRE_CHAIN_UNTERMINATED;
        else if (ikh_rd_left(rd) < IKH_GENERIC_HDR_LEN)
            e = IKH_ERR_WIRE_TRUNCATED;
        else if (m->n_pl >= IKH_WIRE_MAX_PAYLOADS)
            e = IKH_ERR_WIRE_TOO_MANY_PAYLOADS;
        else if (in_sk && is_encrypted(type))
            e = IKH_ERR_WIRE_PL_AFTER_SK; /* SK inside SK */
        if (e != IKH_OK) {
            diag_set(diag, e, off, type, idx, m->hdr.exch);
            return e;
        }
        uint8_t next = ikh_rd_u8(rd);
        uint8_t flags = ikh_rd_u8(rd);
        uint16_t plen = ikh_rd_u16(rd);
        if (plen < IKH_GENERIC_HDR_LEN)
            e = IKH_ERR_WIRE_PL_LEN_SHORT;
        else if (plen - IKH_GENERIC_HDR_LEN > ikh_rd_left(rd))
            e = IKH_ERR_WIRE_PL_LEN_OVERRUN;
        if (e != IKH_OK) {
            diag_set(diag, e, off + 2, type, idx, m->hdr.exch);
            return e;
        }
        ikh_rd body = ikh_rd_sub(rd, plen - IKH_GENERIC_HDR_LEN,
                                 IKH_ERR_WIRE_PL_LEN_OVERRUN);
        ikh_pl *pl = &m->pl[m->n_pl++];
        memset(pl, 0, sizeof *pl);
        pl->type = type;
        pl->flags = flags;
        pl->in_sk = in_sk;
        pl->offset = (uint32_t)off;
        pl->length = plen;
        e = ikh_wire_pl_ops(type)->parse(m, pl, &body);
        if (e == IKH_OK)
            e = ikh_rd_finish(&body, IKH_ERR_WIRE_PL_BODY_SHORT);
        if (e != IKH_OK) {
            diag_set(diag, e, body.err_off, type, idx, m->hdr.exch);
            return e;
        }
        if (is_encrypted(type)) {
            if (type == IKH_PL_SK)
                pl->u.sk.inner = next;
            else
                pl->u.skf.inner = next;
            if (ikh_rd_left(rd) != 0) {
                diag_set(diag, IKH_ERR_WIRE_PL_AFTER_SK, ikh_rd_offset(rd),
                         type, idx, m->hdr.exch);
                return IKH_ERR_WIRE_PL_AFTER_SK;
            }
            return IKH_OK;
        }
        type = next;
    }
    if (ikh_rd_left(rd) != 0) {
        diag_set(diag, IKH_ERR_WIRE_CHAIN_TRAILING, ikh_rd_offset(rd), 0,
                 m->n_pl > 0 ? m->n_pl - 1 : -1, m->hdr.exch);
        return IKH_ERR_WIRE_CHAIN_TRAILING;
    }
    return IKH_OK;
}

/*= rfc7296#3.1
 *# Major Version (4 bits) - Indicates the major version of the IKE
 *# protocol in use. Implementations based on this version of IKE MUST
 *# set the major version to 2. Implementations based on previous
 *# versions of IKE and ISAKMP MUST set the major version to 1.
 *# Implementations based on this version of IKE MUST reject or ignore
 *# messages containing a version number greater than 2 with an
 *# INVALID_MAJOR_VERSION notification message as described in Section
 *# 2.5.
 */
ikh_err ikh_wire_msg_parse(ikh_msg *m, const uint8_t *buf, size_t len,
                           ikh_diag *diag)
{
    ikh_wire_msg_init(m);
    diag_set(diag, IKH_OK, 0, 0, -1, 0);
    ikh_rd rd = ikh_rd_init(buf, len);
    if (len < IKH_IKE_HDR_LEN) {
        diag_set(diag, IKH_ERR_WIRE_HDR_SHORT, len, 0, -1, 0);
        return IKH_ERR_WIRE_HDR_SHORT;
    }
    ikh_ike_hdr *h = &m->hdr;
    ikh_wire_hdr_read(&rd, h);
    ikh_err e = IKH_OK;
    size_t off = 0;
    if ((h->version >> 4) != 2) {
        e = IKH_ERR_WIRE_BAD_MAJOR;
        off = 17;
    } else if (h->length < IKH_IKE_HDR_LEN) {
        e = IKH_ERR_WIRE_MSG_LEN_SHORT;
        off = 24;
    } else if (h->length > len) {
        e = IKH_ERR_WIRE_MSG_LEN_OVERRUN;
        off = 24;
    } else if (h->length < len) {
        e = IKH_ERR_WIRE_MSG_TRAILING;
        off = h->length;
    }
    if (e != IKH_OK) {
        diag_set(diag, e, off, 0, -1, h->exch);
        return e;
    }
    return chain_parse(m, &rd, h->next_payload, false, diag);
}

ikh_err ikh_wire_msg_parse_inner(ikh_msg *m, uint8_t first, const uint8_t *buf,
                                 size_t len, size_t origin, ikh_diag *diag)
{
    diag_set(diag, IKH_OK, 0, 0, -1, m->hdr.exch);
    ikh_rd rd = ikh_rd_init(buf, len);
    rd.origin = origin;
    return chain_parse(m, &rd, first, true, diag);
}

/* Type of the payload after index i among those with in_sk == inner. */
static uint8_t next_type(const ikh_msg *m, size_t i, bool inner)
{
    for (size_t j = i + 1; j < m->n_pl; j++)
        if (m->pl[j].in_sk == inner)
            return m->pl[j].type;
    return IKH_PL_NONE;
}

static void chain_serialize(const ikh_msg *m, bool inner, ikh_wr *w)
{
    uint8_t first_inner = next_type(m, (size_t)-1, true);
    bool seen_sk = false;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (pl->in_sk != inner)
            continue;
        uint8_t next = next_type(m, i, inner);
        if (is_encrypted(pl->type)) {
            /* SK/SKF is last (§3.14) and names the first inner payload. */
            if (inner || seen_sk || next != IKH_PL_NONE) {
                ikh_wr_fail(w, IKH_ERR_ARG_INVALID);
                return;
            }
            seen_sk = true;
            next = first_inner != IKH_PL_NONE ? first_inner
                   : pl->type == IKH_PL_SK    ? pl->u.sk.inner
                                              : pl->u.skf.inner;
        }
        size_t start = w->len;
        ikh_wr_u8(w, next);
        ikh_wr_u8(w, pl->flags);
        size_t lenf = ikh_wr_len16_open(w);
        ikh_wire_pl_ops(pl->type)->serialize(m, pl, w);
        ikh_wr_len16_close(w, lenf, start);
    }
}

ikh_err ikh_wire_msg_serialize(const ikh_msg *m, uint8_t *buf, size_t cap,
                               size_t *out_len)
{
    if (m->n_pl > IKH_WIRE_MAX_PAYLOADS)
        return IKH_ERR_ARG_INVALID;
    ikh_wr w = ikh_wr_init(buf, cap);
    const ikh_ike_hdr *h = &m->hdr;
    ikh_wr_u64(&w, h->ispi);
    ikh_wr_u64(&w, h->rspi);
    ikh_wr_u8(&w, next_type(m, (size_t)-1, false));
    ikh_wr_u8(&w, h->version);
    ikh_wr_u8(&w, h->exch);
    ikh_wr_u8(&w, h->flags);
    ikh_wr_u32(&w, h->mid);
    size_t lenf = ikh_wr_len32_open(&w);
    chain_serialize(m, false, &w);
    ikh_wr_len32_close(&w, lenf, 0);
    IKH_TRY(ikh_wr_error(&w));
    *out_len = w.len;
    return IKH_OK;
}

ikh_err ikh_wire_inner_serialize(const ikh_msg *m, uint8_t *buf, size_t cap,
                                 size_t *out_len)
{
    if (m->n_pl > IKH_WIRE_MAX_PAYLOADS)
        return IKH_ERR_ARG_INVALID;
    ikh_wr w = ikh_wr_init(buf, cap);
    chain_serialize(m, true, &w);
    IKH_TRY(ikh_wr_error(&w));
    *out_len = w.len;
    return IKH_OK;
}

bool ikh_wire_msg_eq(const ikh_msg *a, const ikh_msg *b)
{
    const ikh_ike_hdr *x = &a->hdr, *y = &b->hdr;
    if (x->ispi != y->ispi || x->rspi != y->rspi || x->version != y->version ||
        x->exch != y->exch || x->flags != y->flags || x->mid != y->mid ||
        a->n_pl != b->n_pl)
        return false;
    for (size_t i = 0; i < a->n_pl; i++) {
        const ikh_pl *p = &a->pl[i], *q = &b->pl[i];
        if (p->type != q->type || p->flags != q->flags || p->in_sk != q->in_sk)
            return false;
        if (!ikh_wire_pl_ops(p->type)->eq(a, p, b, q))
            return false;
    }
    return true;
}

ikh_pl *ikh_wire_pl_add(ikh_msg *m, uint8_t type)
{
    if (m->n_pl >= IKH_WIRE_MAX_PAYLOADS)
        return NULL;
    ikh_pl *pl = &m->pl[m->n_pl++];
    memset(pl, 0, sizeof *pl);
    pl->type = type;
    switch (type) {
    case IKH_PL_SA:
        pl->u.sa.first = m->n_prop;
        break;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        pl->u.ts.first = m->n_ts;
        break;
    case IKH_PL_CP:
        pl->u.cp.first = m->n_cpa;
        break;
    default:
        break;
    }
    return pl;
}

ikh_prop *ikh_wire_prop_add(ikh_msg *m, ikh_pl *sa)
{
    if (sa->type != IKH_PL_SA || m->n_prop >= IKH_WIRE_MAX_PROPOSALS ||
        (size_t)sa->u.sa.first + sa->u.sa.count != m->n_prop)
        return NULL;
    ikh_prop *p = &m->prop[m->n_prop++];
    memset(p, 0, sizeof *p);
    p->num = (uint8_t)(sa->u.sa.count + 1);
    p->proto = IKH_PROTO_IKE;
    p->xf_first = m->n_xf;
    sa->u.sa.count++;
    return p;
}

ikh_xform *ikh_wire_xform_add(ikh_msg *m, ikh_prop *p, uint8_t type,
                              uint16_t id)
{
    if (m->n_xf >= IKH_WIRE_MAX_TRANSFORMS ||
        (size_t)p->xf_first + p->xf_count != m->n_xf)
        return NULL;
    ikh_xform *x = &m->xf[m->n_xf++];
    memset(x, 0, sizeof *x);
    x->type = type;
    x->id = id;
    x->attr_first = m->n_attr;
    p->xf_count++;
    return x;
}

ikh_xattr *ikh_wire_xattr_add(ikh_msg *m, ikh_xform *x)
{
    if (m->n_attr >= IKH_WIRE_MAX_XATTRS ||
        (size_t)x->attr_first + x->attr_count != m->n_attr)
        return NULL;
    ikh_xattr *a = &m->attr[m->n_attr++];
    memset(a, 0, sizeof *a);
    x->attr_count++;
    return a;
}

ikh_xattr *ikh_wire_keylen_add(ikh_msg *m, ikh_xform *x, uint16_t bits)
{
    ikh_xattr *a = ikh_wire_xattr_add(m, x);
    if (a) {
        a->type = IKH_XATTR_KEY_LENGTH;
        a->tv = true;
        a->tv_value = bits;
    }
    return a;
}

ikh_ts *ikh_wire_ts_add(ikh_msg *m, ikh_pl *tsp)
{
    if ((tsp->type != IKH_PL_TSI && tsp->type != IKH_PL_TSR) ||
        m->n_ts >= IKH_WIRE_MAX_TS ||
        (size_t)tsp->u.ts.first + tsp->u.ts.count != m->n_ts)
        return NULL;
    ikh_ts *ts = &m->ts[m->n_ts++];
    memset(ts, 0, sizeof *ts);
    tsp->u.ts.count++;
    return ts;
}

ikh_cp_attr *ikh_wire_cp_attr_add(ikh_msg *m, ikh_pl *cp)
{
    if (cp->type != IKH_PL_CP || m->n_cpa >= IKH_WIRE_MAX_CP_ATTRS ||
        (size_t)cp->u.cp.first + cp->u.cp.count != m->n_cpa)
        return NULL;
    ikh_cp_attr *a = &m->cpa[m->n_cpa++];
    memset(a, 0, sizeof *a);
    cp->u.cp.count++;
    return a;
}

bool ikh_wire_xform_keylen(const ikh_msg *m, const ikh_xform *x, uint16_t *bits)
{
    for (uint16_t k = 0; k < x->attr_count; k++) {
        const ikh_xattr *a = &m->attr[x->attr_first + k];
        if (a->type == IKH_XATTR_KEY_LENGTH && a->tv) {
            *bits = a->tv_value;
            return true;
        }
    }
    return false;
}

/* RFC 7296 §3.14 (and RFC 5282 §3 for AEAD): the SK body is the IV, the
 * encrypted payloads with Padding and Pad Length, then the ICV. */
ikh_err ikh_wire_sk_split(ikh_span body, size_t iv_len, size_t icv_len,
                          ikh_span *iv, ikh_span *ct, ikh_span *icv)
{
    size_t fixed;
    if (!ikh_add_ok(iv_len, icv_len, &fixed) || body.len < fixed)
        return IKH_ERR_WIRE_SK_SHORT;
    ikh_rd rd = ikh_rd_init(body.p, body.len);
    *iv = ikh_rd_bytes(&rd, iv_len);
    *ct = ikh_rd_bytes(&rd, body.len - fixed);
    *icv = ikh_rd_bytes(&rd, icv_len);
    return ikh_rd_error(&rd);
}
