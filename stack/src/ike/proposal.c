/* SPDX-License-Identifier: MIT */
/*
 * Proposals and traffic selectors: building SA payloads from the
 * configuration, selecting a proposal as responder (RFC 7296 §2.7,
 * §3.3.6), checking the responder's choice as initiator, and narrowing
 * traffic selectors (§2.9).
 */
#include <string.h>

#include "ike/ike_int.h"

static bool type_known(uint8_t type)
{
    return type >= IKH_XF_ENCR && type <= IKH_XF_ESN;
}

static bool cfg_has_type(const ikh_proposal_cfg *p, uint8_t type)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->xf[i].type == type)
            return true;
    return false;
}

/* The ESP proposal of @p p needs an ESN transform (§3.3.3: mandatory for
 * ESP); the configuration may leave it out, meaning "no ESN". */
static bool needs_esn_none(uint8_t proto, const ikh_proposal_cfg *p)
{
    return proto == IKH_PROTO_ESP && !cfg_has_type(p, IKH_XF_ESN);
}

ikh_err ikh_prop_build(ikh_node *n, ikh_msg *m, ikh_pl *sa_pl, uint8_t proto,
                       const ikh_proposal_cfg *props, size_t n_props,
                       ikh_span spi, bool strip_ke)
{
    (void)n;
    for (size_t i = 0; i < n_props; i++) {
        ikh_prop *p = ikh_wire_prop_add(m, sa_pl);
        IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        p->proto = proto;
        p->spi = spi;
        for (size_t k = 0; k < props[i].n; k++) {
            const ikh_xf_ref *r = &props[i].xf[k];
            /* RFC 7296 §1.2: SA payloads in IKE_AUTH carry no
             * Diffie-Hellman transform other than NONE, and the transform
             * is omitted. */
            if (strip_ke && r->type == IKH_XF_KE)
                continue;
            ikh_xform *x = ikh_wire_xform_add(m, p, r->type, r->id);
            IKH_CHECK(x != NULL, IKH_ERR_WIRE_TOO_MANY_ITEMS);
            if (r->key_bits != 0)
                IKH_CHECK(ikh_wire_keylen_add(m, x, r->key_bits) != NULL,
                          IKH_ERR_WIRE_TOO_MANY_ITEMS);
        }
        if (needs_esn_none(proto, &props[i]))
            IKH_CHECK(ikh_wire_xform_add(m, p, IKH_XF_ESN, 0) != NULL,
                      IKH_ERR_WIRE_TOO_MANY_ITEMS);
    }
    return IKH_OK;
}

/* Does the configured proposal @p c contain (type, id, bits)? ESN NONE is
 * implied for ESP proposals without an ESN transform. */
static bool cfg_contains(uint8_t proto, const ikh_proposal_cfg *c, uint8_t type,
                         uint16_t id, uint16_t bits)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->xf[i].type == type && c->xf[i].id == id &&
            c->xf[i].key_bits == bits)
            return true;
    return type == IKH_XF_ESN && id == 0 && needs_esn_none(proto, c);
}

/* Look a transform up in the allowed list and check it fits the protocol. */
static const ikh_xform_desc *usable(ikh_node *n, uint8_t proto, uint8_t type,
                                    uint16_t id, uint16_t bits)
{
    const ikh_xform_desc *d =
        ikh_crypto_find(ikh_node_xforms(n), type, id, bits);
    if (d == NULL)
        return NULL;
    if (proto == IKH_PROTO_IKE ? !d->ike : !d->esp)
        return NULL;
    return d;
}

/* Set the suite slot for a transform; false if the type has no slot. */
static void suite_set(ikh_suite *s, uint8_t type, const ikh_xform_desc *d,
                      uint16_t id)
{
    switch (type) {
    case IKH_XF_ENCR:
        s->encr = d;
        break;
    case IKH_XF_PRF:
        s->prf = d;
        break;
    case IKH_XF_INTEG:
        s->integ = d;
        break;
    case IKH_XF_KE:
        s->ke = d;
        break;
    case IKH_XF_ESN:
        s->esn = id == 1;
        break;
    default:
        break;
    }
}

/* Is the suite complete for the protocol (§3.3.3 mandatory types)? */
static bool suite_ok(uint8_t proto, const ikh_suite *s, bool need_ke)
{
    if (s->encr == NULL)
        return false;
    /* RFC 7296 §3.3: combined-mode (AEAD) ciphers are offered without an
     * integrity algorithm; non-AEAD ciphers need one. */
    if (s->encr->encr != NULL && s->encr->encr->aead && s->integ != NULL)
        return false;
    if (s->encr->encr != NULL && !s->encr->encr->aead && s->integ == NULL)
        return false;
    if (proto == IKH_PROTO_IKE && s->prf == NULL)
        return false;
    if (need_ke && s->ke == NULL)
        return false;
    return true;
}

/* Try to match one received proposal against one configured proposal. */
static bool match_one(ikh_node *n, const ikh_msg *m, const ikh_prop *rp,
                      uint8_t proto, const ikh_proposal_cfg *c, bool ignore_ke,
                      uint16_t ke_hint, ikh_suite *out)
{
    ikh_suite s;
    memset(&s, 0, sizeof s);
    bool seen[6] = {false, false, false, false, false, false};
    bool got[6] = {false, false, false, false, false, false};
    /* every received transform type must be one we know */
    for (size_t i = 0; i < rp->xf_count; i++) {
        const ikh_xform *x = &m->xf[rp->xf_first + i];
        if (!type_known(x->type))
            return false;
        if (ignore_ke && x->type == IKH_XF_KE)
            continue;
        seen[x->type] = true;
    }
    /* a KE hint (the KE payload's group) wins when both sides have it */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < rp->xf_count; i++) {
            const ikh_xform *x = &m->xf[rp->xf_first + i];
            if (ignore_ke && x->type == IKH_XF_KE)
                continue;
            if (got[x->type])
                continue;
            if (pass == 0 && !(x->type == IKH_XF_KE && x->id == ke_hint))
                continue;
            uint16_t bits = 0;
            (void)ikh_wire_xform_keylen(m, x, &bits);
            if (!cfg_contains(proto, c, x->type, x->id, bits))
                continue;
            const ikh_xform_desc *d = NULL;
            if (x->type == IKH_XF_ESN) {
                if (x->id > 1)
                    continue;
            } else if (x->type == IKH_XF_INTEG && x->id == IKH_INTEG_NONE) {
                d = NULL;
            } else if (x->type == IKH_XF_KE && x->id == IKH_KE_NONE) {
                d = NULL;
            } else {
                d = usable(n, proto, x->type, x->id, bits);
                if (d == NULL)
                    continue;
            }
            suite_set(&s, x->type, d, x->id);
            got[x->type] = true;
        }
    }
    /* §3.3.6: one transform of each type offered; our configured types
     * must all be offered */
    for (uint8_t t = IKH_XF_ENCR; t <= IKH_XF_ESN; t++) {
        bool mine =
            cfg_has_type(c, t) || (t == IKH_XF_ESN && needs_esn_none(proto, c));
        if (ignore_ke && t == IKH_XF_KE)
            mine = false;
        if (seen[t] != mine && !(t == IKH_XF_INTEG && !mine))
            return false;
        if (seen[t] && !got[t])
            return false;
    }
    if (!suite_ok(proto, &s, false))
        return false;
    *out = s;
    return true;
}

/*= rfc7296#2.7
 *# The responder MUST choose a single suite, which may be any
 *# subset of the SA proposal following the rules below.
 */
ikh_err ikh_prop_select(ikh_node *n, const ikh_msg *m, const ikh_pl *sa_pl,
                        uint8_t proto, const ikh_proposal_cfg *props,
                        size_t n_props, bool ignore_ke, uint16_t ke_hint,
                        ikh_suite *out, uint8_t *prop_num, ikh_span *peer_spi)
{
    for (size_t i = 0; i < sa_pl->u.sa.count; i++) {
        const ikh_prop *rp = &m->prop[sa_pl->u.sa.first + i];
        if (rp->proto != proto)
            continue;
        for (size_t k = 0; k < n_props; k++) {
            if (match_one(n, m, rp, proto, &props[k], ignore_ke, ke_hint,
                          out)) {
                *prop_num = rp->num;
                *peer_spi = rp->spi;
                return IKH_OK;
            }
        }
    }
    return IKH_ERR_IKE_NO_PROPOSAL;
}

static ikh_err answer_xf(ikh_msg *m, ikh_prop *p, uint8_t type,
                         const ikh_xform_desc *d)
{
    if (d == NULL)
        return IKH_OK;
    ikh_xform *x = ikh_wire_xform_add(m, p, type, d->id);
    IKH_CHECK(x != NULL, IKH_ERR_WIRE_TOO_MANY_ITEMS);
    if (d->key_bits != 0)
        IKH_CHECK(ikh_wire_keylen_add(m, x, d->key_bits) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
    return IKH_OK;
}

ikh_err ikh_prop_answer(ikh_msg *m, ikh_pl *sa_pl, uint8_t proto,
                        uint8_t prop_num, const ikh_suite *s, ikh_span spi)
{
    ikh_prop *p = ikh_wire_prop_add(m, sa_pl);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_ITEMS);
    /* RFC 7296 §3.3.1: the accepted proposal's number matches the number of
     * the proposal chosen. */
    p->num = prop_num;
    p->proto = proto;
    p->spi = spi;
    IKH_TRY(answer_xf(m, p, IKH_XF_ENCR, s->encr));
    IKH_TRY(answer_xf(m, p, IKH_XF_PRF, s->prf));
    IKH_TRY(answer_xf(m, p, IKH_XF_INTEG, s->integ));
    IKH_TRY(answer_xf(m, p, IKH_XF_KE, s->ke));
    if (proto != IKH_PROTO_IKE)
        IKH_CHECK(ikh_wire_xform_add(m, p, IKH_XF_ESN, s->esn ? 1 : 0) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
    return IKH_OK;
}

/* RFC 7296 §2.7: the initiator checks that the accepted offer is consistent
 * with one of its proposals, else terminates the exchange. */
ikh_err ikh_prop_check(ikh_node *n, const ikh_msg *m, const ikh_pl *sa_pl,
                       uint8_t proto, const ikh_proposal_cfg *props,
                       size_t n_props, bool ignore_ke, ikh_suite *out,
                       ikh_span *peer_spi)
{
    IKH_CHECK(sa_pl->u.sa.count == 1, IKH_ERR_IKE_NO_PROPOSAL);
    const ikh_prop *rp = &m->prop[sa_pl->u.sa.first];
    IKH_CHECK(rp->proto == proto, IKH_ERR_IKE_NO_PROPOSAL);
    IKH_CHECK(rp->num >= 1 && rp->num <= n_props, IKH_ERR_IKE_NO_PROPOSAL);
    /* exactly one transform per type */
    bool seen[6] = {false, false, false, false, false, false};
    for (size_t i = 0; i < rp->xf_count; i++) {
        const ikh_xform *x = &m->xf[rp->xf_first + i];
        IKH_CHECK(type_known(x->type), IKH_ERR_IKE_NO_PROPOSAL);
        IKH_CHECK(!seen[x->type], IKH_ERR_IKE_NO_PROPOSAL);
        seen[x->type] = true;
    }
    IKH_CHECK(
        match_one(n, m, rp, proto, &props[rp->num - 1], ignore_ke, 0, out),
        IKH_ERR_IKE_NO_PROPOSAL);
    *peer_spi = rp->spi;
    return IKH_OK;
}

const ikh_xform_desc *
ikh_prop_first_ke(ikh_node *n, const ikh_proposal_cfg *props, size_t n_props)
{
    for (size_t i = 0; i < n_props; i++)
        for (size_t k = 0; k < props[i].n; k++)
            if (props[i].xf[k].type == IKH_XF_KE &&
                props[i].xf[k].id != IKH_KE_NONE) {
                const ikh_xform_desc *d = ikh_crypto_find(
                    ikh_node_xforms(n), IKH_XF_KE, props[i].xf[k].id, 0);
                if (d != NULL)
                    return d;
            }
    return NULL;
}

bool ikh_prop_allows_ke(const ikh_proposal_cfg *props, size_t n_props,
                        uint16_t group)
{
    for (size_t i = 0; i < n_props; i++)
        for (size_t k = 0; k < props[i].n; k++)
            if (props[i].xf[k].type == IKH_XF_KE && props[i].xf[k].id == group)
                return true;
    return false;
}

/* ---- traffic selectors (§2.9, §3.13) ---------------------------------- */

static size_t ts_alen(uint8_t type)
{
    return type == IKH_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

ikh_err ikh_ts_build(ikh_msg *m, ikh_pl *pl, const ikh_ts_cfg *ts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ikh_ts *t = ikh_wire_ts_add(m, pl);
        IKH_CHECK(t != NULL, IKH_ERR_WIRE_TOO_MANY_ITEMS);
        t->type = ts[i].type;
        t->ip_proto = ts[i].ip_proto;
        t->start_port = ts[i].start_port;
        t->end_port = ts[i].end_port;
        t->start = ikh_span_of(ts[i].start, ts_alen(ts[i].type));
        t->end = ikh_span_of(ts[i].end, ts_alen(ts[i].type));
    }
    return IKH_OK;
}

ikh_err ikh_ts_read(const ikh_msg *m, const ikh_pl *pl, ikh_ts_set *out)
{
    out->n = 0;
    for (size_t i = 0; i < pl->u.ts.count; i++) {
        const ikh_ts *t = &m->ts[pl->u.ts.first + i];
        if (t->type != IKH_TS_IPV4_ADDR_RANGE &&
            t->type != IKH_TS_IPV6_ADDR_RANGE)
            continue; /* other selector types: not ours to narrow */
        size_t al = ts_alen(t->type);
        IKH_CHECK(t->start.len == al && t->end.len == al, IKH_ERR_WIRE_TS_LEN);
        if (out->n >= IKH_IKE_MAX_TS)
            return IKH_ERR_IKE_TS_UNACCEPTABLE;
        ikh_ts_cfg *c = &out->ts[out->n++];
        memset(c, 0, sizeof *c);
        c->type = t->type;
        c->ip_proto = t->ip_proto;
        c->start_port = t->start_port;
        c->end_port = t->end_port;
        memcpy(c->start, t->start.p, al);
        memcpy(c->end, t->end.p, al);
    }
    return IKH_OK;
}

/* Intersection of two selectors of one type; false when empty. */
static bool ts_intersect(const ikh_ts_cfg *a, const ikh_ts_cfg *b,
                         ikh_ts_cfg *out)
{
    if (a->type != b->type)
        return false;
    size_t al = ts_alen(a->type);
    memset(out, 0, sizeof *out);
    out->type = a->type;
    if (a->ip_proto == 0)
        out->ip_proto = b->ip_proto;
    else if (b->ip_proto == 0 || b->ip_proto == a->ip_proto)
        out->ip_proto = a->ip_proto;
    else
        return false;
    out->start_port =
        a->start_port > b->start_port ? a->start_port : b->start_port;
    out->end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
    if (out->start_port > out->end_port)
        return false;
    memcpy(out->start, memcmp(a->start, b->start, al) > 0 ? a->start : b->start,
           al);
    memcpy(out->end, memcmp(a->end, b->end, al) < 0 ? a->end : b->end, al);
    return memcmp(out->start, out->end, al) <= 0;
}

/*= rfc7296#2.9
 *# When the responder chooses a subset of the traffic proposed by the
 *# initiator, it narrows the Traffic Selectors to some subset of the
 *# initiator's proposal (provided the set does not become the null set).
 */
ikh_err ikh_ts_narrow(const ikh_ts_set *offer, const ikh_ts_cfg *mine,
                      size_t n_mine, ikh_ts_set *out)
{
    out->n = 0;
    for (size_t i = 0; i < offer->n; i++)
        for (size_t k = 0; k < n_mine; k++) {
            ikh_ts_cfg x;
            if (!ts_intersect(&offer->ts[i], &mine[k], &x))
                continue;
            bool dup = false;
            for (size_t j = 0; j < out->n; j++)
                dup = dup || memcmp(&out->ts[j], &x, sizeof x) == 0;
            if (dup)
                continue;
            if (out->n >= IKH_IKE_MAX_TS)
                return IKH_OK;
            out->ts[out->n++] = x;
        }
    return out->n > 0 ? IKH_OK : IKH_ERR_IKE_TS_UNACCEPTABLE;
}

static bool ts_within(const ikh_ts_cfg *in, const ikh_ts_cfg *outer)
{
    if (in->type != outer->type)
        return false;
    size_t al = ts_alen(in->type);
    if (outer->ip_proto != 0 && outer->ip_proto != in->ip_proto)
        return false;
    return in->start_port >= outer->start_port &&
           in->end_port <= outer->end_port &&
           memcmp(in->start, outer->start, al) >= 0 &&
           memcmp(in->end, outer->end, al) <= 0;
}

bool ikh_ts_subset(const ikh_ts_set *got, const ikh_ts_set *offered)
{
    if (got->n == 0)
        return false;
    for (size_t i = 0; i < got->n; i++) {
        bool ok = false;
        for (size_t k = 0; k < offered->n && !ok; k++)
            ok = ts_within(&got->ts[i], &offered->ts[k]);
        if (!ok)
            return false;
    }
    return true;
}
