/* SPDX-License-Identifier: MIT */
/*
 * Table-driven payloads: every payload whose body is a few fixed integer
 * fields followed by variable data is described by a field table, and one
 * walker parses, serializes and compares them all (../shared/STYLE.md §7).
 * Covered here: KE, IDi/IDr, CERT, CERTREQ, AUTH, Nonce, Notify, Delete,
 * Vendor ID, SK, SKF, EAP and every payload type we do not know (opaque).
 */
#include <stddef.h>

#include "wire/wire_int.h"

enum fkind {
    F_END = 0,
    F_U8,    /* uint8_t at off */
    F_U16,   /* uint16_t at off */
    F_U24,   /* uint32_t at off, 24 bits on the wire (reserved fields) */
    F_LEN8,  /* u8 on the wire: length of the F_LSPAN that follows */
    F_LSPAN, /* ikh_span at off, length from the preceding F_LEN8 */
    F_REST,  /* ikh_span at off: the rest of the body */
};

typedef struct pl_field {
    uint8_t kind;
    uint16_t off;
} pl_field;

typedef struct pl_desc {
    uint8_t type;
    uint8_t min_body; /* fixed octets before variable data */
    ikh_err overrun;  /* error when an F_LSPAN runs past the body */
    pl_field f[6];
    /* structural check after the fields are read (counts, lengths) */
    ikh_err (*check)(ikh_pl *pl, ikh_rd *body);
} pl_desc;

#define FLD(kind, member)                                                      \
    {                                                                          \
        kind, (uint16_t)offsetof(ikh_pl, member)                               \
    }

/* RFC 7296 §3.11: Num of SPIs times SPI Size is the rest of the payload. */
static ikh_err check_delete(ikh_pl *pl, ikh_rd *body)
{
    size_t want = (size_t)pl->u.del.num_spi * pl->u.del.spi_size;
    if (want != pl->u.del.spis.len)
        return ikh_rd_fail_at(body, IKH_ERR_WIRE_DELETE_SPI_COUNT,
                              body->origin + 4);
    return IKH_OK;
}

/* RFC 7383 §2.5: Fragment Number 1..Total Fragments. */
static ikh_err check_skf(ikh_pl *pl, ikh_rd *body)
{
    if (pl->u.skf.frag_num == 0 || pl->u.skf.frag_num > pl->u.skf.total)
        return ikh_rd_fail_at(body, IKH_ERR_WIRE_SKF_FRAG_NUM, body->origin);
    return IKH_OK;
}

/* RFC 7296 §3.16 / RFC 3748 §4: Code, Identifier, Length (the whole EAP
 * message), and a Type octet for Request and Response. */
static ikh_err check_eap(ikh_pl *pl, ikh_rd *body)
{
    ikh_rd rd = ikh_rd_init(pl->u.eap.body.p, pl->u.eap.body.len);
    rd.origin = body->origin;
    pl->u.eap.code = ikh_rd_u8(&rd);
    pl->u.eap.ident = ikh_rd_u8(&rd);
    pl->u.eap.len = ikh_rd_u16(&rd);
    if (pl->u.eap.len != pl->u.eap.body.len)
        return ikh_rd_fail_at(body, IKH_ERR_WIRE_EAP_LEN, body->origin + 2);
    pl->u.eap.has_type = false;
    if ((pl->u.eap.code == IKH_EAP_REQUEST ||
         pl->u.eap.code == IKH_EAP_RESPONSE) &&
        ikh_rd_left(&rd) > 0) {
        pl->u.eap.has_type = true;
        pl->u.eap.eap_type = ikh_rd_u8(&rd);
    }
    return IKH_OK;
}

static const pl_desc descs[] = {
    /* §3.4 KE: DH Group Num, RESERVED, Key Exchange Data */
    {IKH_PL_KE,
     4,
     IKH_OK,
     {FLD(F_U16, u.ke.group), FLD(F_U16, u.ke.reserved),
      FLD(F_REST, u.ke.data)},
     NULL},
    /* §3.5 IDi/IDr: ID Type, RESERVED(3), Identification Data */
    {IKH_PL_IDI,
     4,
     IKH_OK,
     {FLD(F_U8, u.id.id_type), FLD(F_U24, u.id.reserved),
      FLD(F_REST, u.id.data)},
     NULL},
    {IKH_PL_IDR,
     4,
     IKH_OK,
     {FLD(F_U8, u.id.id_type), FLD(F_U24, u.id.reserved),
      FLD(F_REST, u.id.data)},
     NULL},
    /* §3.6 CERT / §3.7 CERTREQ: Cert Encoding, data */
    {IKH_PL_CERT,
     1,
     IKH_OK,
     {FLD(F_U8, u.cert.enc), FLD(F_REST, u.cert.data)},
     NULL},
    {IKH_PL_CERTREQ,
     1,
     IKH_OK,
     {FLD(F_U8, u.cert.enc), FLD(F_REST, u.cert.data)},
     NULL},
    /* §3.8 AUTH: Auth Method, RESERVED(3), Authentication Data */
    {IKH_PL_AUTH,
     4,
     IKH_OK,
     {FLD(F_U8, u.auth.method), FLD(F_U24, u.auth.reserved),
      FLD(F_REST, u.auth.data)},
     NULL},
    /* §3.9 Nonce, §3.12 Vendor ID: data only */
    {IKH_PL_NONCE, 0, IKH_OK, {FLD(F_REST, u.raw.data)}, NULL},
    {IKH_PL_VID, 0, IKH_OK, {FLD(F_REST, u.raw.data)}, NULL},
    /* §3.10 Notify: Protocol ID, SPI Size, Notify Message Type, SPI, data */
    {IKH_PL_NOTIFY,
     4,
     IKH_ERR_WIRE_NOTIFY_SPI_LEN,
     {FLD(F_U8, u.notify.proto), FLD(F_LEN8, u.notify.spi),
      FLD(F_U16, u.notify.type), FLD(F_LSPAN, u.notify.spi),
      FLD(F_REST, u.notify.data)},
     NULL},
    /* §3.11 Delete: Protocol ID, SPI Size, Num of SPIs, SPIs */
    {IKH_PL_DELETE,
     4,
     IKH_OK,
     {FLD(F_U8, u.del.proto), FLD(F_U8, u.del.spi_size),
      FLD(F_U16, u.del.num_spi), FLD(F_REST, u.del.spis)},
     check_delete},
    /* §3.14 SK: IV, encrypted payloads, padding, ICV — opaque until decrypted
     */
    {IKH_PL_SK, 0, IKH_OK, {FLD(F_REST, u.sk.body)}, NULL},
    /* RFC 7383 §2.5 SKF: Fragment Number, Total Fragments, then as SK */
    {IKH_PL_SKF,
     4,
     IKH_OK,
     {FLD(F_U16, u.skf.frag_num), FLD(F_U16, u.skf.total),
      FLD(F_REST, u.skf.body)},
     check_skf},
    /* §3.16 EAP: the EAP message (RFC 3748) */
    {IKH_PL_EAP, 4, IKH_OK, {FLD(F_REST, u.eap.body)}, check_eap},
};

/* §3.2: payloads of unknown type are carried as opaque bodies (§2.5). */
static const pl_desc desc_opaque = {
    0, 0, IKH_OK, {FLD(F_REST, u.raw.data)}, NULL};

static const pl_desc *desc_for(uint8_t type)
{
    for (size_t i = 0; i < sizeof descs / sizeof descs[0]; i++)
        if (descs[i].type == type)
            return &descs[i];
    return &desc_opaque;
}

#define AT(pl, f, T) ((T *)(void *)((char *)(pl) + (f)->off))
#define CAT(pl, f, T) ((const T *)(const void *)((const char *)(pl) + (f)->off))

static ikh_err fields_parse(const pl_desc *d, ikh_pl *pl, ikh_rd *body)
{
    size_t lspan_len = 0;
    if (ikh_rd_left(body) < d->min_body)
        return ikh_rd_fail_at(body, IKH_ERR_WIRE_PL_BODY_SHORT, body->origin);
    for (const pl_field *f = d->f; f->kind != F_END; f++) {
        switch (f->kind) {
        case F_U8:
            *AT(pl, f, uint8_t) = ikh_rd_u8(body);
            break;
        case F_U16:
            *AT(pl, f, uint16_t) = ikh_rd_u16(body);
            break;
        case F_U24:
            *AT(pl, f, uint32_t) = ikh_rd_u24(body);
            break;
        case F_LEN8:
            lspan_len = ikh_rd_u8(body);
            break;
        case F_LSPAN:
            if (ikh_rd_left(body) < lspan_len)
                return wire_fail(body, d->overrun);
            *AT(pl, f, ikh_span) = ikh_rd_bytes(body, lspan_len);
            break;
        case F_REST:
            *AT(pl, f, ikh_span) = ikh_rd_rest(body);
            break;
        default:
            break;
        }
    }
    IKH_TRY(ikh_rd_error(body));
    return d->check ? d->check(pl, body) : IKH_OK;
}

static void fields_serialize(const pl_desc *d, const ikh_pl *pl, ikh_wr *w)
{
    for (const pl_field *f = d->f; f->kind != F_END; f++) {
        switch (f->kind) {
        case F_U8:
            ikh_wr_u8(w, *CAT(pl, f, uint8_t));
            break;
        case F_U16:
            ikh_wr_u16(w, *CAT(pl, f, uint16_t));
            break;
        case F_U24:
            ikh_wr_u24(w, *CAT(pl, f, uint32_t));
            break;
        case F_LEN8:
            wire_wr_len8_span(w, *CAT(pl, f, ikh_span));
            break;
        case F_LSPAN:
        case F_REST:
            ikh_wr_span(w, *CAT(pl, f, ikh_span));
            break;
        default:
            break;
        }
    }
}

static bool fields_eq(const pl_desc *d, const ikh_pl *a, const ikh_pl *b)
{
    for (const pl_field *f = d->f; f->kind != F_END; f++) {
        switch (f->kind) {
        case F_U8:
            if (*CAT(a, f, uint8_t) != *CAT(b, f, uint8_t))
                return false;
            break;
        case F_U16:
            if (*CAT(a, f, uint16_t) != *CAT(b, f, uint16_t))
                return false;
            break;
        case F_U24:
            if (*CAT(a, f, uint32_t) != *CAT(b, f, uint32_t))
                return false;
            break;
        case F_LSPAN:
        case F_REST:
            if (!ikh_span_eq(*CAT(a, f, ikh_span), *CAT(b, f, ikh_span)))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

static ikh_err gen_parse(ikh_msg *m, ikh_pl *pl, ikh_rd *body)
{
    (void)m;
    return fields_parse(desc_for(pl->type), pl, body);
}

static void gen_serialize(const ikh_msg *m, const ikh_pl *pl, ikh_wr *w)
{
    (void)m;
    fields_serialize(desc_for(pl->type), pl, w);
}

static bool gen_eq(const ikh_msg *ma, const ikh_pl *a, const ikh_msg *mb,
                   const ikh_pl *b)
{
    (void)ma;
    (void)mb;
    const pl_desc *d = desc_for(a->type);
    if (a->type == IKH_PL_SK && a->u.sk.inner != b->u.sk.inner)
        return false;
    if (a->type == IKH_PL_SKF && a->u.skf.inner != b->u.skf.inner)
        return false;
    return fields_eq(d, a, b);
}

static const pl_ops gen_ops = {gen_parse, gen_serialize, gen_eq};

const pl_ops *ikh_wire_pl_ops(uint8_t type)
{
    switch (type) {
    case IKH_PL_SA:
        return &ikh_pl_sa_ops;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        return &ikh_pl_ts_ops;
    case IKH_PL_CP:
        return &ikh_pl_cp_ops;
    default:
        return &gen_ops;
    }
}
