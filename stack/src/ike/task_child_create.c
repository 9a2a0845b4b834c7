/* SPDX-License-Identifier: MIT */
/*
 * Child SA negotiation (RFC 7296 §1.3.1, §2.9, §2.17): the payloads both
 * IKE_AUTH and CREATE_CHILD_SA carry for a Child SA, and the
 * CREATE_CHILD_SA task that creates a new one (with or without PFS).
 *
 *   HDR, SK {SA, Ni, [KEi], TSi, TSr}  -->
 *                             <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 */
#include <string.h>

#include "ike/ike_int.h"

static ikh_err nonce_check(const ikh_pl *np)
{
    IKH_CHECK(np != NULL, IKH_ERR_WIRE_RULE_MISSING);
    /*= rfc7296#3.9
     *# The size of the Nonce Data MUST be between 16 and 256 octets,
     *# inclusive.
     */
    IKH_CHECK(np->u.raw.data.len >= 16 && np->u.raw.data.len <= 256,
              IKH_ERR_IKE_NONCE);
    return IKH_OK;
}

ikh_err ikh_child_req_build(ikh_task *t, ikh_msg *m, bool in_auth)
{
    ikh_node *n = t->sa->node;
    ikh_child_sa *c = t->child;
    const ikh_child_cfg *cc = &n->cfg.children[c->cfg];
    c->initiator = true;
    ikh_be32_put(t->spi_buf, c->spi_in);
    ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
    IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    sp->in_sk = true;
    IKH_TRY(ikh_prop_build(n, m, sp, IKH_PROTO_ESP, cc->props, cc->n_props,
                           ikh_span_of(t->spi_buf, 4), in_auth));
    if (!in_auth) {
        if (t->ke.n_own_len == 0) {
            IKH_TRY(ikh_ke_nonce(n, &t->ke));
            /* RFC 7296 §1.3.1: the request carries a nonce and optionally a
             * KEi payload for an additional Diffie-Hellman exchange. */
            IKH_TRY(ikh_ke_start(n, &t->ke,
                                 ikh_prop_first_ke(n, cc->props, cc->n_props)));
        }
        IKH_CHECK(ikh_msg_add_raw(m, IKH_PL_NONCE, true,
                                  ikh_span_of(t->ke.n_own, t->ke.n_own_len)) !=
                      NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        if (t->ke.ke != NULL)
            IKH_CHECK(
                ikh_msg_add_ke(m, true, t->ke.ke->id,
                               ikh_span_of(t->ke.pub, t->ke.ke->ke->pub_len)) !=
                    NULL,
                IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    }
    ikh_pl *ti = ikh_wire_pl_add(m, IKH_PL_TSI);
    IKH_CHECK(ti != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    ti->in_sk = true;
    IKH_TRY(ikh_ts_build(m, ti, cc->local_ts, cc->n_local_ts));
    ikh_pl *tr = ikh_wire_pl_add(m, IKH_PL_TSR);
    IKH_CHECK(tr != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    tr->in_sk = true;
    IKH_TRY(ikh_ts_build(m, tr, cc->remote_ts, cc->n_remote_ts));
    /* RFC 7296 §1.3.1: USE_TRANSPORT_MODE may be included in a request that
     * creates a Child SA. */
    if (cc->transport)
        IKH_CHECK(ikh_msg_add_notify(m, true, 0, IKH_N_USE_TRANSPORT_MODE,
                                     ikh_span_of(NULL, 0),
                                     ikh_span_of(NULL, 0)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return IKH_OK;
}

/* RFC 7296 §2.19: a responder that handed the initiator an internal address
 * from its pool narrows TSi to that address (the example there answers
 * TSi = (0, 0-65535, 192.0.2.202-192.0.2.202)). Ranges that do not hold the
 * address, and families without one, stay as negotiated; the initiator's
 * selectors are TSi because only it asks for addresses (CFG_REQUEST). */
static void narrow_to_vips(const ikh_ike_sa *sa, ikh_ts_set *ts)
{
    size_t k = 0;
    for (size_t i = 0; i < ts->n; i++) {
        ikh_ts_cfg t = ts->ts[i];
        bool v6 = t.type == IKH_TS_IPV6_ADDR_RANGE;
        const ikh_addr *a = v6 ? &sa->vip6 : &sa->vip4;
        size_t al = v6 ? 16 : 4;
        if ((v6 ? sa->pool_slot6 : sa->pool_slot4) != 0 &&
            memcmp(t.start, a->a, al) <= 0 && memcmp(a->a, t.end, al) <= 0) {
            memcpy(t.start, a->a, al);
            memcpy(t.end, a->a, al);
        }
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup = dup || memcmp(&ts->ts[j], &t, sizeof t) == 0;
        if (!dup)
            ts->ts[k++] = t;
    }
    ts->n = (uint8_t)k;
}
/* The KE payload of a CREATE_CHILD_SA request or response, when the
 * suite has a group: it must be that group (§1.3). */
static ikh_err peer_ke(ikh_task *t, const ikh_msg *m, const ikh_suite *s,
                       bool responder)
{
    const ikh_pl *kp = ikh_msg_find(m, IKH_PL_KE, 0);
    if (s->ke == NULL)
        return IKH_OK;
    if (kp == NULL || kp->u.ke.group != s->ke->id) {
        if (responder) {
            t->notify_data[0] = (uint8_t)(s->ke->id >> 8);
            t->notify_data[1] = (uint8_t)s->ke->id;
            t->notify_data_len = 2;
            t->notify_err = IKH_N_INVALID_KE_PAYLOAD;
        }
        return IKH_ERR_IKE_INVALID_KE;
    }
    if (responder)
        IKH_TRY(ikh_ke_start(t->sa->node, &t->ke, s->ke));
    IKH_CHECK(t->ke.ke == s->ke, IKH_ERR_IKE_INVALID_KE);
    return s->ke->ke->derive(&t->ke.ctx, kp->u.ke.data, &t->ke.shared);
}

ikh_err ikh_child_req_process(ikh_task *t, const ikh_msg *m, bool in_auth,
                              ikh_time_ms now)
{
    (void)now;
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_pl *sp = ikh_msg_find(m, IKH_PL_SA, 0);
    const ikh_pl *ti = ikh_msg_find(m, IKH_PL_TSI, 0);
    const ikh_pl *tr = ikh_msg_find(m, IKH_PL_TSR, 0);
    IKH_CHECK(sp != NULL && ti != NULL && tr != NULL,
              IKH_ERR_WIRE_RULE_MISSING);
    ikh_ts_set off_i, off_r;
    IKH_TRY(ikh_ts_read(m, ti, &off_i));
    IKH_TRY(ikh_ts_read(m, tr, &off_r));
    const ikh_pl *kp = ikh_msg_find(m, IKH_PL_KE, 0);
    ikh_err why = IKH_ERR_IKE_NO_PROPOSAL;
    for (uint8_t k = 0; k < n->cfg.n_children; k++) {
        const ikh_child_cfg *cc = &n->cfg.children[k];
        ikh_suite s;
        uint8_t num = 0;
        ikh_span spi;
        if (ikh_prop_select(n, m, sp, IKH_PROTO_ESP, cc->props, cc->n_props,
                            in_auth, kp ? kp->u.ke.group : 0, &s, &num,
                            &spi) != IKH_OK)
            continue;
        /* the initiator's TSi are its side: our remote selectors */
        ikh_ts_set ni, nr;
        if (ikh_ts_narrow(&off_i, cc->remote_ts, cc->n_remote_ts, &ni) !=
                IKH_OK ||
            ikh_ts_narrow(&off_r, cc->local_ts, cc->n_local_ts, &nr) !=
                IKH_OK) {
            why = IKH_ERR_IKE_TS_UNACCEPTABLE;
            continue;
        }
        narrow_to_vips(sa, &ni);
        /* RFC 7296 §3.10.1 SINGLE_PAIR_REQUIRED: this responder accepts
         * one pair of selectors only */
        if (cc->single_pair && (ni.n > 1 || nr.n > 1)) {
            why = IKH_ERR_IKE_SINGLE_PAIR;
            continue;
        }
        /* RFC 7296 §3.3.1: the SPI of an ESP proposal is four octets. */
        IKH_CHECK(spi.len == 4, IKH_ERR_WIRE_SPI_SIZE);
        if (t->child == NULL)
            IKH_TRY(ikh_child_new(sa, k, &t->child));
        ikh_child_sa *c = t->child;
        c->cfg = k;
        c->suite = s;
        c->initiator = false;
        c->spi_out = ikh_be32_get(spi.p);
        c->ts_i = ni;
        c->ts_r = nr;
        /* RFC 7296 §1.3.1: transport mode is used only if the response also
         * carries USE_TRANSPORT_MODE. */
        c->transport = cc->transport &&
                       ikh_msg_notify(m, IKH_N_USE_TRANSPORT_MODE) != NULL;
        t->retries = num;
        t->ts_i = ni;
        t->ts_r = nr;
        if (!in_auth) {
            const ikh_pl *np = ikh_msg_find(m, IKH_PL_NONCE, 0);
            IKH_TRY(nonce_check(np));
            memcpy(t->ke.n_peer, np->u.raw.data.p, np->u.raw.data.len);
            t->ke.n_peer_len = np->u.raw.data.len;
            IKH_TRY(peer_ke(t, m, &s, true));
            IKH_TRY(ikh_ke_nonce(n, &t->ke));
        }
        return IKH_OK;
    }
    return why;
}

ikh_err ikh_child_resp_build(ikh_task *t, ikh_msg *m, bool in_auth)
{
    ikh_ike_sa *sa = t->sa;
    ikh_child_sa *c = t->child;
    IKH_CHECK(c != NULL, IKH_ERR_STATE);
    ikh_be32_put(t->spi_buf, c->spi_in);
    ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
    IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    sp->in_sk = true;
    IKH_TRY(ikh_prop_answer(m, sp, IKH_PROTO_ESP, t->retries, &c->suite,
                            ikh_span_of(t->spi_buf, 4)));
    if (!in_auth) {
        IKH_CHECK(ikh_msg_add_raw(m, IKH_PL_NONCE, true,
                                  ikh_span_of(t->ke.n_own, t->ke.n_own_len)) !=
                      NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        if (c->suite.ke != NULL)
            IKH_CHECK(ikh_msg_add_ke(
                          m, true, c->suite.ke->id,
                          ikh_span_of(t->ke.pub, c->suite.ke->ke->pub_len)) !=
                          NULL,
                      IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    }
    ikh_pl *ti = ikh_wire_pl_add(m, IKH_PL_TSI);
    IKH_CHECK(ti != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    ti->in_sk = true;
    IKH_TRY(ikh_ts_build(m, ti, t->ts_i.ts, t->ts_i.n));
    ikh_pl *tr = ikh_wire_pl_add(m, IKH_PL_TSR);
    IKH_CHECK(tr != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    tr->in_sk = true;
    IKH_TRY(ikh_ts_build(m, tr, t->ts_r.ts, t->ts_r.n));
    if (c->transport)
        IKH_CHECK(ikh_msg_add_notify(m, true, 0, IKH_N_USE_TRANSPORT_MODE,
                                     ikh_span_of(NULL, 0),
                                     ikh_span_of(NULL, 0)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return ikh_child_derive(sa, c, in_auth ? NULL : &t->ke, false, 0);
}

/* An error notify in a Child SA response, as our error code. */
static ikh_err child_error(const ikh_msg *m)
{
    const ikh_pl *en = ikh_msg_error_notify(m);
    if (en == NULL)
        return IKH_OK;
    switch (en->u.notify.type) {
    case IKH_N_NO_PROPOSAL_CHOSEN:
        return IKH_ERR_IKE_NO_PROPOSAL;
    case IKH_N_TS_UNACCEPTABLE:
        return IKH_ERR_IKE_TS_UNACCEPTABLE;
    case IKH_N_SINGLE_PAIR_REQUIRED:
        return IKH_ERR_IKE_SINGLE_PAIR;
    case IKH_N_INTERNAL_ADDRESS_FAILURE:
        return IKH_ERR_IKE_NO_ADDRESS;
    case IKH_N_TEMPORARY_FAILURE:
        return IKH_ERR_IKE_TEMPORARY;
    case IKH_N_NO_ADDITIONAL_SAS:
        return IKH_ERR_IKE_NO_ADDITIONAL_SAS;
    case IKH_N_INVALID_KE_PAYLOAD:
        return IKH_ERR_IKE_INVALID_KE;
    default:
        return IKH_ERR_IKE_PEER_ERROR;
    }
}

ikh_err ikh_child_resp_process(ikh_task *t, const ikh_msg *m, bool in_auth,
                               ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    ikh_child_sa *c = t->child;
    IKH_CHECK(c != NULL, IKH_ERR_STATE);
    IKH_TRY(child_error(m));
    const ikh_child_cfg *cc = &n->cfg.children[c->cfg];
    const ikh_pl *sp = ikh_msg_find(m, IKH_PL_SA, 0);
    const ikh_pl *ti = ikh_msg_find(m, IKH_PL_TSI, 0);
    const ikh_pl *tr = ikh_msg_find(m, IKH_PL_TSR, 0);
    IKH_CHECK(sp != NULL && ti != NULL && tr != NULL,
              IKH_ERR_WIRE_RULE_MISSING);
    ikh_span spi;
    IKH_TRY(ikh_prop_check(n, m, sp, IKH_PROTO_ESP, cc->props, cc->n_props,
                           in_auth, &c->suite, &spi));
    IKH_CHECK(spi.len == 4, IKH_ERR_WIRE_SPI_SIZE);
    c->spi_out = ikh_be32_get(spi.p);
    /* RFC 7296 §2.9: the responder may only narrow the Traffic Selectors,
     * so the initiator checks they are a subset of its offer. */
    ikh_ts_set off_i, off_r;
    off_i.n = cc->n_local_ts;
    memcpy(off_i.ts, cc->local_ts, sizeof off_i.ts);
    off_r.n = cc->n_remote_ts;
    memcpy(off_r.ts, cc->remote_ts, sizeof off_r.ts);
    IKH_TRY(ikh_ts_read(m, ti, &c->ts_i));
    IKH_TRY(ikh_ts_read(m, tr, &c->ts_r));
    IKH_CHECK(ikh_ts_subset(&c->ts_i, &off_i) &&
                  ikh_ts_subset(&c->ts_r, &off_r),
              IKH_ERR_IKE_TS_UNACCEPTABLE);
    c->transport =
        cc->transport && ikh_msg_notify(m, IKH_N_USE_TRANSPORT_MODE) != NULL;
    if (!in_auth) {
        const ikh_pl *np = ikh_msg_find(m, IKH_PL_NONCE, 0);
        IKH_TRY(nonce_check(np));
        memcpy(t->ke.n_peer, np->u.raw.data.p, np->u.raw.data.len);
        t->ke.n_peer_len = np->u.raw.data.len;
        IKH_TRY(peer_ke(t, m, &c->suite, false));
    }
    IKH_TRY(ikh_child_derive(sa, c, in_auth ? NULL : &t->ke, true, now));
    IKH_TRY(ikh_child_attach(sa, c));
    t->child = NULL;
    ikh_child_install(sa, c, now);
    return IKH_OK;
}

/* ---- CREATE_CHILD_SA for a new Child SA --------------------------------- */

static ikh_err create_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    (void)now;
    if (t->initiator) {
        if (t->child == NULL)
            IKH_TRY(ikh_child_new(t->sa, (uint8_t)t->child_cfg, &t->child));
        return ikh_child_req_build(t, m, false);
    }
    IKH_TRY(ikh_child_resp_build(t, m, false));
    IKH_TRY(ikh_child_attach(t->sa, t->child));
    ikh_child_sa *c = t->child;
    t->child = NULL;
    ikh_child_install(t->sa, c, now);
    return IKH_OK;
}

static size_t child_count(const ikh_ike_sa *sa)
{
    size_t c = 0;
    for (size_t i = 0; i < sa->child_top; i++)
        c += sa->child[i] != NULL;
    return c;
}

static ikh_err create_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    if (t->initiator)
        return ikh_child_resp_process(t, m, false, now);
    /* RFC 7296 §1.3/§3.10.1: NO_ADDITIONAL_SAS refuses more Child SAs on
     * this IKE SA. */
    IKH_CHECK(child_count(t->sa) < t->sa->node->cfg.max_children,
              IKH_ERR_IKE_NO_ADDITIONAL_SAS);
    /* RFC 7296 §2.25.2: not while we rekey the IKE SA */
    IKH_CHECK(t->sa->state != IKH_IKE_REKEYING, IKH_ERR_IKE_TEMPORARY);
    return ikh_child_req_process(t, m, false, now);
}

const ikh_task_ops ikh_task_child_create_ops = {
    .name = "child_create",
    .exch = IKH_EXCH_CREATE_CHILD_SA,
    .build = create_build,
    .process = create_process,
    .fini = NULL,
};
