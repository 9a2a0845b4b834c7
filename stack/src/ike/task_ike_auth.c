/* SPDX-License-Identifier: MIT */
/*
 * IKE_AUTH (RFC 7296 §1.2, §2.15, §3.5, §3.8): identities, AUTH by PSK or
 * signature (RFC 7427), INITIAL_CONTACT, the configuration payload
 * (§2.19) and the first Child SA. A failed first Child SA leaves the IKE
 * SA up (§1.2).
 *
 *   HDR, SK {IDi, [N(INITIAL_CONTACT)], [IDr], AUTH, [CP(CFG_REQUEST)],
 *            [N(USE_TRANSPORT_MODE)], SAi2, TSi, TSr}  -->
 *   <-- HDR, SK {IDr, AUTH, [CP(CFG_REPLY)], [N(USE_TRANSPORT_MODE)],
 *                SAr2, TSi, TSr}   (or an error Notify instead of the child)
 */
#include <string.h>

#include "ike/ike_int.h"
#include "ikh/auth.h"
#include "ikh/sig.h"

/* Our ID payload body (type, 3 reserved, data) into t->id_body. */
static size_t own_id(ikh_task *t)
{
    ikh_node *n = t->sa->node;
    const ikh_id_cfg *id = &n->cfg.id;
    uint8_t *b = t->id_body;
    memset(b, 0, 4);
    if (id->type != 0) {
        b[0] = id->type;
        memcpy(b + 4, id->data, id->len);
        return 4u + id->len;
    }
    /* RFC 7296 §3.5: ID_IPV4_ADDR carries a four-octet IPv4 address,
     * ID_IPV6_ADDR a sixteen-octet one. */
    bool v6 = n->cfg.addr.family == 6;
    b[0] = v6 ? IKH_ID_IPV6_ADDR : IKH_ID_IPV4_ADDR;
    memcpy(b + 4, n->cfg.addr.a, v6 ? 16 : 4);
    return v6 ? 20u : 8u;
}

static ikh_err add_id(ikh_msg *m, uint8_t type, const uint8_t *body, size_t len)
{
    ikh_pl *p = ikh_wire_pl_add(m, type);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    p->in_sk = true;
    p->u.id.id_type = body[0];
    p->u.id.data = ikh_span_of(body + 4, len - 4);
    return IKH_OK;
}

/* The received ID payload body rebuilt from the parsed fields. */
static size_t peer_id_body(const ikh_pl *p, uint8_t *out, size_t cap)
{
    if (p->u.id.data.len + 4 > cap)
        return 0;
    out[0] = p->u.id.id_type;
    out[1] = (uint8_t)(p->u.id.reserved >> 16);
    out[2] = (uint8_t)(p->u.id.reserved >> 8);
    out[3] = (uint8_t)p->u.id.reserved;
    memcpy(out + 4, p->u.id.data.p, p->u.id.data.len);
    return 4 + p->u.id.data.len;
}

static bool id_matches(const ikh_id_cfg *want, const ikh_pl *p)
{
    if (want->type == 0)
        return true;
    return p->u.id.id_type == want->type && p->u.id.data.len == want->len &&
           memcmp(p->u.id.data.p, want->data, want->len) == 0;
}

static ikh_sig_scheme default_scheme(const ikh_key *k)
{
    if (k->type == IKH_KEY_RSA)
        return IKH_SIG_RSA_PKCS1_SHA256;
    return k->bits > 384   ? IKH_SIG_ECDSA_SHA512
           : k->bits > 256 ? IKH_SIG_ECDSA_SHA384
                           : IKH_SIG_ECDSA_SHA256;
}

/*= rfc7296#2.15
 *# InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 */
static ikh_err signed_octets(ikh_ike_sa *sa, bool of_initiator,
                             ikh_span id_body, ikh_auth_octets *o)
{
    ikh_span msg = of_initiator ? ikh_span_of(sa->init_req, sa->init_req_len)
                                : ikh_span_of(sa->init_resp, sa->init_resp_len);
    ikh_span nonce = of_initiator ? ikh_span_of(sa->nr, sa->nr_len)
                                  : ikh_span_of(sa->ni, sa->ni_len);
    const ikh_secret *skp = of_initiator ? &sa->keys.sk_pi : &sa->keys.sk_pr;
    return ikh_auth_octets_init(o, sa->suite.prf->prf, skp, msg, nonce,
                                id_body);
}

/* Build our AUTH payload from our ID body. */
static ikh_err add_auth(ikh_task *t, ikh_msg *m, size_t id_len)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_auth_cfg *a = &n->cfg.auth;
    ikh_auth_octets o;
    IKH_TRY(
        signed_octets(sa, sa->initiator, ikh_span_of(t->id_body, id_len), &o));
    ikh_err e;
    if (a->method == IKH_AUTH_SHARED_KEY_MIC) {
        e = ikh_auth_psk_compute(sa->suite.prf->prf,
                                 ikh_span_of(a->psk, a->psk_len), &o, t->auth);
        t->auth_len = sa->suite.prf->prf->out_len;
    } else {
        ikh_rand r = ikh_node_rand_src(n);
        ikh_sig_scheme sc =
            a->scheme ? (ikh_sig_scheme)a->scheme : default_scheme(a->key);
        e = ikh_sig_sign(a->key, a->method, sc, o.parts, 3, &r, t->auth,
                         sizeof t->auth, &t->auth_len);
    }
    ikh_auth_octets_fini(&o);
    IKH_TRY(e);
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_AUTH);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    p->in_sk = true;
    p->u.auth.method = a->method;
    p->u.auth.data = ikh_span_of(t->auth, t->auth_len);
    return IKH_OK;
}

/* Verify the peer's AUTH payload against its ID payload. */
static ikh_err check_auth(ikh_task *t, const ikh_msg *m, const ikh_pl *idp)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_auth_cfg *pa = &n->cfg.peer_auth;
    const ikh_pl *ap = ikh_msg_find(m, IKH_PL_AUTH, 0);
    IKH_CHECK(ap != NULL, IKH_ERR_IKE_AUTH_FAILED);
    /* RFC 7296 §3.5: the peer's identity is used for policy lookup. */
    IKH_CHECK(id_matches(&n->cfg.peer_id, idp), IKH_ERR_IKE_ID_MISMATCH);
    IKH_CHECK(pa->method == 0 || ap->u.auth.method == pa->method,
              IKH_ERR_IKE_AUTH_FAILED);
    uint8_t body[4 + IKH_IKE_ID_MAX];
    size_t bl = peer_id_body(idp, body, sizeof body);
    IKH_CHECK(bl >= 4, IKH_ERR_IKE_AUTH_FAILED);
    ikh_auth_octets o;
    IKH_TRY(signed_octets(sa, !sa->initiator, ikh_span_of(body, bl), &o));
    ikh_err e;
    if (ap->u.auth.method == IKH_AUTH_SHARED_KEY_MIC) {
        e = pa->psk_len > 0
                ? ikh_auth_psk_verify(sa->suite.prf->prf,
                                      ikh_span_of(pa->psk, pa->psk_len), &o,
                                      ap->u.auth.data)
                : IKH_ERR_IKE_AUTH_FAILED;
    } else if (pa->key != NULL) {
        e = ikh_sig_verify(pa->key, ap->u.auth.method, o.parts, 3,
                           ap->u.auth.data);
    } else {
        e = IKH_ERR_IKE_AUTH_FAILED;
    }
    ikh_auth_octets_fini(&o);
    /* RFC 7296 §2.21.2: authentication failures result in
     * AUTHENTICATION_FAILED. */
    return e == IKH_OK ? IKH_OK : IKH_ERR_IKE_AUTH_FAILED;
}

/* ---- configuration payload (§2.19, §3.15) ------------------------------ */

static ikh_err add_cp_request(ikh_task *t, ikh_msg *m)
{
    ikh_node *n = t->sa->node;
    if (!n->cfg.request_ip4 && !n->cfg.request_ip6)
        return IKH_OK;
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_CP);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    p->in_sk = true;
    p->u.cp.cfg_type = IKH_CFG_REQUEST;
    ikh_cp_attr *a;
    if (n->cfg.request_ip4) {
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP4_ADDRESS;
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP4_DNS;
    }
    if (n->cfg.request_ip6) {
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP6_ADDRESS;
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP6_DNS;
    }
    return IKH_OK;
}

/* Lease a pool address: slot bitmap, first free, deterministic. */
static bool lease(uint8_t *used, uint16_t size, const ikh_addr *first,
                  ikh_addr *out, uint16_t *slot)
{
    uint16_t cap = size < 2048 ? size : 2048;
    for (uint16_t i = 0; i < cap; i++) {
        if (used[i / 8] & (1u << (i % 8)))
            continue;
        used[i / 8] |= (uint8_t)(1u << (i % 8));
        *out = *first;
        size_t last = first->family == 6 ? 15 : 3;
        unsigned carry = i;
        for (size_t k = last + 1; k-- > 0 && carry;) {
            unsigned v = out->a[k] + (carry & 0xff);
            out->a[k] = (uint8_t)v;
            carry = (carry >> 8) + (v >> 8);
        }
        *slot = (uint16_t)(i + 1);
        return true;
    }
    return false;
}

/* Responder: the CFG_REQUEST asks for addresses the pools must give. */
static ikh_err cp_assign(ikh_task *t, const ikh_msg *m)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_pl *p = ikh_msg_find(m, IKH_PL_CP, 0);
    if (p == NULL || p->u.cp.cfg_type != IKH_CFG_REQUEST)
        return IKH_OK;
    bool want4 = false, want6 = false;
    for (size_t i = 0; i < p->u.cp.count; i++) {
        uint16_t ty = m->cpa[p->u.cp.first + i].type;
        want4 = want4 || ty == IKH_CFG_INTERNAL_IP4_ADDRESS;
        want6 = want6 || ty == IKH_CFG_INTERNAL_IP6_ADDRESS;
    }
    /* RFC 7296 §3.15.4: a failure to assign an address is reported with
     * INTERNAL_ADDRESS_FAILURE. */
    if (want4 && sa->vip4.family == 0) {
        IKH_CHECK(n->cfg.pool4_size > 0 &&
                      lease(n->pool4_used, n->cfg.pool4_size, &n->cfg.pool4,
                            &sa->vip4, &sa->pool_slot4),
                  IKH_ERR_IKE_NO_ADDRESS);
    }
    if (want6 && sa->vip6.family == 0) {
        IKH_CHECK(n->cfg.pool6_size > 0 &&
                      lease(n->pool6_used, n->cfg.pool6_size, &n->cfg.pool6,
                            &sa->vip6, &sa->pool_slot6),
                  IKH_ERR_IKE_NO_ADDRESS);
    }
    return IKH_OK;
}

static ikh_err add_cp_reply(ikh_task *t, ikh_msg *m)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    if (sa->vip4.family == 0 && sa->vip6.family == 0)
        return IKH_OK;
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_CP);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    p->in_sk = true;
    p->u.cp.cfg_type = IKH_CFG_REPLY;
    ikh_cp_attr *a;
    size_t o = 0;
    if (sa->vip4.family == 4) {
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP4_ADDRESS;
        a->value = ikh_span_of(sa->vip4.a, 4);
    }
    if (sa->vip6.family == 6) {
        /* INTERNAL_IP6_ADDRESS: address and a prefix length octet */
        memcpy(t->cp_buf + o, sa->vip6.a, 16);
        t->cp_buf[o + 16] = 128;
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = IKH_CFG_INTERNAL_IP6_ADDRESS;
        a->value = ikh_span_of(t->cp_buf + o, 17);
        o += 17;
    }
    for (size_t i = 0; i < n->cfg.n_dns; i++) {
        const ikh_addr *d = &n->cfg.dns[i];
        bool v6 = d->family == 6;
        if ((v6 && sa->vip6.family == 0) || (!v6 && sa->vip4.family == 0))
            continue;
        IKH_CHECK((a = ikh_wire_cp_attr_add(m, p)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_ITEMS);
        a->type = v6 ? IKH_CFG_INTERNAL_IP6_DNS : IKH_CFG_INTERNAL_IP4_DNS;
        a->value = ikh_span_of(d->a, v6 ? 16 : 4);
    }
    return IKH_OK;
}

static void log_cp(ikh_ike_sa *sa, ikh_time_ms now)
{
    if (sa->vip4.family == 0 && sa->vip6.family == 0)
        return;
    char a4[48], a6[48];
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_CP_ADDRESS,
                                sa->x.mid_out, IKH_EXCH_IKE_AUTH, now);
    if (ev == NULL)
        return; /* below the log level: no text to build */
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "role", sa->initiator ? "initiator" : "responder");
    ikh_log_str(ev, "ip4", ikh_addr_str(&sa->vip4, a4, sizeof a4));
    ikh_log_str(ev, "ip6", ikh_addr_str(&sa->vip6, a6, sizeof a6));
    (void)ikh_log_end(ev);
}

/* Initiator: take the addresses of a CFG_REPLY. */
static void cp_read_reply(ikh_ike_sa *sa, const ikh_msg *m)
{
    const ikh_pl *p = ikh_msg_find(m, IKH_PL_CP, 0);
    if (p == NULL || p->u.cp.cfg_type != IKH_CFG_REPLY)
        return;
    for (size_t i = 0; i < p->u.cp.count; i++) {
        const ikh_cp_attr *a = &m->cpa[p->u.cp.first + i];
        if (a->type == IKH_CFG_INTERNAL_IP4_ADDRESS && a->value.len == 4) {
            sa->vip4.family = 4;
            memcpy(sa->vip4.a, a->value.p, 4);
        } else if (a->type == IKH_CFG_INTERNAL_IP6_ADDRESS &&
                   a->value.len == 17) {
            sa->vip6.family = 6;
            memcpy(sa->vip6.a, a->value.p, 16);
        }
    }
}

/*= rfc7296#2.4
 *# The INITIAL_CONTACT notification asserts that this IKE SA is the only
 *# IKE SA currently active between the authenticated identities.
 */
static void initial_contact(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *o = n->sa[i];
        if (o == NULL || o == sa || o->state == IKH_IKE_DEAD ||
            ikh_addr_cmp(&o->peer, &sa->peer) != 0 ||
            (o->state != IKH_IKE_ESTABLISHED && o->state != IKH_IKE_REKEYING))
            continue;
        ikh_log_ev *ev = ikh_sa_log(o, IKH_LVL_INFO, IKH_EV_IKE_SA_DELETE,
                                    o->x.mid_out, 0, now);
        ikh_log_u64(ev, "ref", o->ref);
        ikh_log_str(ev, "by", "initial_contact");
        (void)ikh_log_end(ev);
        for (size_t k = 0; k < o->child_top; k++)
            if (o->child[k] != NULL)
                ikh_child_remove(o, o->child[k], "initial_contact", now);
        ikh_sa_set_state(o, IKH_IKE_DEAD, now);
    }
}

/* ---- the task ------------------------------------------------------------ */

static ikh_err auth_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    size_t id_len = own_id(t);
    if (t->initiator) {
        ikh_sa_set_state(sa, IKH_IKE_AUTH_SENT, now);
        IKH_TRY(add_id(m, IKH_PL_IDI, t->id_body, id_len));
        if (n->cfg.initial_contact)
            IKH_CHECK(ikh_msg_add_notify(m, true, 0, IKH_N_INITIAL_CONTACT,
                                         ikh_span_of(NULL, 0),
                                         ikh_span_of(NULL, 0)) != NULL,
                      IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        if (n->cfg.peer_id.type != 0) {
            /* IDr: tell the responder which identity we want (§2.15) */
            ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_IDR);
            IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
            p->in_sk = true;
            p->u.id.id_type = n->cfg.peer_id.type;
            p->u.id.data = ikh_span_of(n->cfg.peer_id.data, n->cfg.peer_id.len);
        }
        IKH_TRY(add_auth(t, m, id_len));
        IKH_TRY(add_cp_request(t, m));
        if (t->child == NULL)
            IKH_TRY(ikh_child_new(sa, (uint8_t)t->child_cfg, &t->child));
        return ikh_child_req_build(t, m, true);
    }
    /* responder */
    IKH_TRY(add_id(m, IKH_PL_IDR, t->id_body, id_len));
    IKH_TRY(add_auth(t, m, id_len));
    IKH_TRY(add_cp_reply(t, m));
    if (t->failed_child) {
        /* RFC 7296 §1.2: if the Child SA of IKE_AUTH fails, the IKE SA is
         * still created and the response carries the error notify. */
        uint16_t nt =
            t->notify_err ? t->notify_err : (uint16_t)ikh_err_notify(t->err);
        IKH_CHECK(ikh_msg_add_notify(m, true, 0, nt, ikh_span_of(NULL, 0),
                                     ikh_span_of(NULL, 0)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_NOTIFY_ERRORS_SENT_TOTAL,
                         t->err);
        ikh_sa_established(sa, now);
        return IKH_OK;
    }
    IKH_TRY(ikh_child_resp_build(t, m, true));
    ikh_sa_established(sa, now);
    IKH_TRY(ikh_child_attach(sa, t->child));
    ikh_child_sa *c = t->child;
    t->child = NULL;
    ikh_child_install(sa, c, now);
    return IKH_OK;
}

static ikh_err auth_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    if (t->initiator) {
        const ikh_pl *idr = ikh_msg_find(m, IKH_PL_IDR, 0);
        if (idr == NULL || ikh_msg_find(m, IKH_PL_AUTH, 0) == NULL) {
            const ikh_pl *en = ikh_msg_error_notify(m);
            return en != NULL &&
                           en->u.notify.type == IKH_N_AUTHENTICATION_FAILED
                       ? IKH_ERR_IKE_AUTH_FAILED
                       : IKH_ERR_IKE_PEER_ERROR;
        }
        IKH_TRY(check_auth(t, m, idr));
        cp_read_reply(sa, m);
        log_cp(sa, now);
        ikh_sa_established(sa, now);
        const ikh_pl *en = ikh_msg_error_notify(m);
        if (en != NULL || ikh_msg_find(m, IKH_PL_SA, 0) == NULL) {
            /* §1.2: the IKE SA stays; only the Child SA failed */
            ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_SA_ERROR,
                                        m->hdr.mid, m->hdr.exch, now);
            ikh_log_u64(ev, "ref", sa->ref);
            ikh_log_err(ev, "code", IKH_ERR_IKE_PEER_ERROR);
            ikh_log_str(ev, "error", "first Child SA refused by the peer");
            (void)ikh_log_end(ev);
            return IKH_OK;
        }
        ikh_err e = ikh_child_resp_process(t, m, true, now);
        if (e != IKH_OK) {
            /* an inconsistent child answer fails the child, not the SA */
            ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_SA_ERROR,
                                        m->hdr.mid, m->hdr.exch, now);
            ikh_log_u64(ev, "ref", sa->ref);
            ikh_log_err(ev, "code", e);
            ikh_log_str(ev, "error", ikh_err_name(e));
            (void)ikh_log_end(ev);
        }
        return IKH_OK;
    }
    /* responder */
    const ikh_pl *idi = ikh_msg_find(m, IKH_PL_IDI, 0);
    IKH_CHECK(idi != NULL, IKH_ERR_WIRE_RULE_MISSING);
    IKH_TRY(check_auth(t, m, idi));
    if (ikh_msg_notify(m, IKH_N_INITIAL_CONTACT) != NULL)
        initial_contact(sa, now);
    ikh_err e = cp_assign(t, m);
    log_cp(sa, now);
    if (e == IKH_OK)
        e = ikh_child_req_process(t, m, true, now);
    if (e != IKH_OK) {
        t->failed_child = true;
        t->err = e;
        if (t->child != NULL) {
            ikh_child_free(sa->node, t->child);
            t->child = NULL;
        }
    }
    return IKH_OK;
}

const ikh_task_ops ikh_task_ike_auth_ops = {
    .name = "ike_auth",
    .exch = IKH_EXCH_IKE_AUTH,
    .build = auth_build,
    .process = auth_process,
    .fini = NULL,
};
