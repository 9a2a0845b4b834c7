/* SPDX-License-Identifier: MIT */
/*
 * IKE_SA_INIT (RFC 7296 §1.2, §2.6, §2.10, §2.23): proposals, key
 * exchange, nonces, COOKIE, INVALID_KE_PAYLOAD with retry, NAT detection
 * and the move to the NAT-T port, IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383)
 * and SIGNATURE_HASH_ALGORITHMS (RFC 7427). Derives SKEYSEED and the SK_*
 * keys at the end.
 *
 *   HDR, SAi1, KEi, Ni, N(NAT_D)*, N(FRAG_SUP), N(SIG_HASH) -->
 *                <-- HDR, SAr1, KEr, Nr, N(NAT_D)*, N(FRAG_SUP), N(...)
 */
#include <string.h>

#include "ike/ike_int.h"

/* RFC 7427 §7 hash algorithm identifiers we verify and sign with. */
static const uint16_t hash_algs[] = {2, 3, 4}; /* SHA2-256, -384, -512 */

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* RFC 7296 §2.23: NAT detection data is a SHA-1 digest of the SPIs, IP
 * address and port. */
void ikh_natd_hash(uint64_t ispi, uint64_t rspi, const ikh_addr *a,
                   uint16_t port, uint8_t out[IKH_SHA1_LEN])
{
    uint8_t si[8], sr[8], pt[2];
    ikh_be64_put(si, ispi);
    ikh_be64_put(sr, rspi);
    wr16(pt, port);
    ikh_span parts[4] = {ikh_span_of(si, 8), ikh_span_of(sr, 8),
                         ikh_span_of(a->a, a->family == 6 ? 16 : 4),
                         ikh_span_of(pt, 2)};
    ikh_hash_sha1(parts, 4, out);
}

/* NAT-D, fragmentation and signature hash notifies of both roles. */
static ikh_err add_status_notifies(ikh_task *t, ikh_msg *m, uint64_t rspi)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    ikh_addr src = n->cfg.addr;
    if (n->cfg.natt_force && sa->initiator) {
        /* a source hash that cannot match makes both sides float to the
         * NAT-T port, as if a NAT were in between (strongSwan encap=yes) */
        memset(src.a, 0, sizeof src.a);
    }
    ikh_natd_hash(sa->ispi, rspi, &src, sa->local_port, t->nat_src);
    ikh_natd_hash(sa->ispi, rspi, &sa->peer, sa->peer_port, t->nat_dst);
    ikh_span none = ikh_span_of(NULL, 0);
    IKH_CHECK(ikh_msg_add_notify(m, false, 0, IKH_N_NAT_DETECTION_SOURCE_IP,
                                 none, ikh_span_of(t->nat_src, 20)) != NULL &&
                  ikh_msg_add_notify(m, false, 0,
                                     IKH_N_NAT_DETECTION_DESTINATION_IP, none,
                                     ikh_span_of(t->nat_dst, 20)) != NULL,
              IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    /* RFC 7383 §2.3: the initiator offers fragmentation with
     * IKEV2_FRAGMENTATION_SUPPORTED in the IKE_SA_INIT request; the
     * responder answers with it. */
    if (n->cfg.fragmentation && (sa->initiator || sa->peer_frag))
        IKH_CHECK(ikh_msg_add_notify(m, false, 0,
                                     IKH_N_IKEV2_FRAGMENTATION_SUPPORTED, none,
                                     none) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    /* RFC 7427 §4: SIGNATURE_HASH_ALGORITHMS lists the supported hash
     * algorithms in IKE_SA_INIT. */
    for (size_t i = 0; i < 3; i++)
        wr16(t->hash_algs + 2 * i, hash_algs[i]);
    IKH_CHECK(ikh_msg_add_notify(m, false, 0, IKH_N_SIGNATURE_HASH_ALGORITHMS,
                                 none, ikh_span_of(t->hash_algs, 6)) != NULL,
              IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return IKH_OK;
}

/* Read the peer's status notifies: NAT detection, fragmentation,
 * signature hash algorithms. */
static void read_status_notifies(ikh_task *t, const ikh_msg *m, uint64_t rspi)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_dgram *dg = n->rx;
    bool have_src = false, src_match = false, have_dst = false;
    uint8_t h[IKH_SHA1_LEN];
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_NOTIFY)
            continue;
        ikh_span d = p->u.notify.data;
        switch (p->u.notify.type) {
        case IKH_N_NAT_DETECTION_SOURCE_IP:
            /* several source hashes may come (multihomed): any match */
            have_src = true;
            ikh_natd_hash(sa->ispi, rspi, &dg->src, dg->sport, h);
            src_match = src_match ||
                        (d.len == IKH_SHA1_LEN && ikh_ct_eq(h, d.p, d.len));
            break;
        case IKH_N_NAT_DETECTION_DESTINATION_IP:
            have_dst = true;
            ikh_natd_hash(sa->ispi, rspi, &dg->dst, dg->dport, h);
            sa->nat_local =
                !(d.len == IKH_SHA1_LEN && ikh_ct_eq(h, d.p, d.len));
            break;
        case IKH_N_IKEV2_FRAGMENTATION_SUPPORTED:
            sa->peer_frag = true;
            break;
        case IKH_N_SIGNATURE_HASH_ALGORITHMS:
            sa->peer_sha_algs = true;
            for (size_t k = 0; k + 1 < d.len; k += 2) {
                uint16_t a = (uint16_t)(d.p[k] << 8 | d.p[k + 1]);
                if (a < 16)
                    sa->peer_hash_mask |= (uint16_t)(1u << a);
            }
            break;
        default:
            break;
        }
    }
    sa->nat_remote = have_src && !src_match;
    (void)have_dst;
}

/* RFC 7296 §2.23: when NAT is detected, the IKE SA moves to UDP port 4500. */
static void maybe_float(ikh_ike_sa *sa)
{
    ikh_node *n = sa->node;
    if (!(sa->nat_local || sa->nat_remote || n->cfg.natt_force))
        return;
    if (sa->natt)
        return;
    sa->natt = true;
    sa->local_port = n->cfg.natt_port;
    sa->peer_port = n->cfg.peer_natt_port;
    ikh_sa_log_natt(sa, n->now);
}

/*= rfc7296#2.6
 *# Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
 */
static size_t make_cookie(ikh_node *n, ikh_span ni, const ikh_addr *ip,
                          uint64_t ispi, uint8_t *out)
{
    uint8_t si[8];
    ikh_be64_put(si, ispi);
    ikh_span parts[4] = {
        ni, ikh_span_of(ip->a, ip->family == 6 ? 16 : 4), ikh_span_of(si, 8),
        ikh_span_of(n->cookie_secret, sizeof n->cookie_secret)};
    out[0] = 0; /* secret version */
    ikh_hash_sha1(parts, 4, out + 1);
    return 1 + IKH_SHA1_LEN;
}

static ikh_err derive(ikh_task *t)
{
    ikh_ike_sa *sa = t->sa;
    ikh_secret skeyseed;
    skeyseed.len = 0;
    /*= rfc7296#2.14
     *# SKEYSEED = prf(Ni | Nr, g^ir)
     */
    ikh_err e = ikh_kdf_skeyseed(sa->suite.prf, ikh_span_of(sa->ni, sa->ni_len),
                                 ikh_span_of(sa->nr, sa->nr_len),
                                 ikh_span_of(t->ke.shared.b, t->ke.shared.len),
                                 &skeyseed);
    if (e == IKH_OK)
        e = ikh_sa_derive_keys(sa, &skeyseed);
    ikh_secret_fini(&skeyseed);
    return e;
}

static ikh_err nonce_ok(const ikh_pl *p)
{
    /*= rfc7296#3.9
     *# The size of the Nonce Data MUST be between 16 and 256 octets,
     *# inclusive.
     */
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_RULE_MISSING);
    IKH_CHECK(p->u.raw.data.len >= 16 && p->u.raw.data.len <= 256,
              IKH_ERR_IKE_NONCE);
    return IKH_OK;
}

/* ---- initiator ---------------------------------------------------------- */

static ikh_err init_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    (void)now;
    if (!t->initiator) {
        /* responder: SAr1, KEr, Nr, status notifies */
        ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
        IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        IKH_TRY(ikh_prop_answer(m, sp, IKH_PROTO_IKE, t->retries, &sa->suite,
                                ikh_span_of(NULL, 0)));
        IKH_CHECK(
            ikh_msg_add_ke(m, false, sa->suite.ke->id,
                           ikh_span_of(t->ke.pub, sa->suite.ke->ke->pub_len)) !=
                    NULL &&
                ikh_msg_add_raw(m, IKH_PL_NONCE, false,
                                ikh_span_of(sa->nr, sa->nr_len)) != NULL,
            IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        IKH_TRY(add_status_notifies(t, m, sa->rspi));
        return derive(t);
    }
    if (t->ke.ke == NULL) {
        const ikh_xform_desc *ke =
            ikh_prop_first_ke(n, n->cfg.props, n->cfg.n_props);
        IKH_CHECK(ke != NULL, IKH_ERR_IKE_NO_PROPOSAL);
        IKH_TRY(ikh_ke_start(n, &t->ke, ke));
        IKH_TRY(ikh_ke_nonce(n, &t->ke));
    }
    ikh_span none = ikh_span_of(NULL, 0);
    /*= rfc7296#2.6
     *# If the IKE_SA_INIT response includes the COOKIE notification, the
     *# initiator MUST then retry the IKE_SA_INIT request, and include the
     *# COOKIE notification containing the received data as the first
     *# payload, and all other payloads unchanged.
     */
    if (sa->cookie_len > 0)
        IKH_CHECK(ikh_msg_add_notify(m, false, 0, IKH_N_COOKIE, none,
                                     ikh_span_of(sa->cookie, sa->cookie_len)) !=
                      NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
    IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    IKH_TRY(ikh_prop_build(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                           n->cfg.n_props, none, false));
    IKH_CHECK(
        ikh_msg_add_ke(m, false, t->ke.ke->id,
                       ikh_span_of(t->ke.pub, t->ke.ke->ke->pub_len)) != NULL &&
            ikh_msg_add_raw(m, IKH_PL_NONCE, false,
                            ikh_span_of(t->ke.n_own, t->ke.n_own_len)) != NULL,
        IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return add_status_notifies(t, m, 0);
}

static ikh_err init_process_response(ikh_task *t, const ikh_msg *m)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_pl *ck = ikh_msg_notify(m, IKH_N_COOKIE);
    if (ck != NULL) {
        /*= rfc7296#2.6
         *# The data associated with this notification MUST be between 1 and
         *# 64 octets in length (inclusive), ...
         */
        ikh_span d = ck->u.notify.data;
        IKH_CHECK(d.len >= 1 && d.len <= IKH_IKE_COOKIE_MAX,
                  IKH_ERR_IKE_COOKIE);
        IKH_CHECK(t->retries < IKH_IKE_INIT_RETRIES, IKH_ERR_IKE_COOKIE);
        memcpy(sa->cookie, d.p, d.len);
        sa->cookie_len = d.len;
        t->retries++;
        t->again = true;
        return IKH_OK;
    }
    const ikh_pl *ike = ikh_msg_notify(m, IKH_N_INVALID_KE_PAYLOAD);
    if (ike != NULL) {
        /* RFC 7296 §1.2: after INVALID_KE_PAYLOAD the initiator retries
         * with the group the responder indicates. */
        ikh_span d = ike->u.notify.data;
        IKH_CHECK(d.len == 2, IKH_ERR_IKE_INVALID_KE);
        uint16_t g = (uint16_t)(d.p[0] << 8 | d.p[1]);
        IKH_CHECK(g != t->ke.ke->id &&
                      ikh_prop_allows_ke(n->cfg.props, n->cfg.n_props, g) &&
                      t->retries < IKH_IKE_INIT_RETRIES,
                  IKH_ERR_IKE_INVALID_KE);
        const ikh_xform_desc *kd =
            ikh_crypto_find(ikh_node_xforms(n), IKH_XF_KE, g, 0);
        IKH_CHECK(kd != NULL, IKH_ERR_IKE_INVALID_KE);
        IKH_TRY(ikh_ke_start(n, &t->ke, kd));
        t->retries++;
        t->again = true;
        return IKH_OK;
    }
    IKH_CHECK(ikh_msg_error_notify(m) == NULL, IKH_ERR_IKE_PEER_ERROR);
    /* RFC 7296 §3.1: the responder chooses its SPI; a zero responder SPI in
     * an IKE_SA_INIT response is rejected. */
    IKH_CHECK(m->hdr.rspi != 0, IKH_ERR_WIRE_SPI_ZERO);
    const ikh_pl *sp = ikh_msg_find(m, IKH_PL_SA, 0);
    const ikh_pl *kp = ikh_msg_find(m, IKH_PL_KE, 0);
    const ikh_pl *np = ikh_msg_find(m, IKH_PL_NONCE, 0);
    IKH_CHECK(sp != NULL && kp != NULL, IKH_ERR_WIRE_RULE_MISSING);
    IKH_TRY(nonce_ok(np));
    ikh_span spi;
    IKH_TRY(ikh_prop_check(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                           n->cfg.n_props, false, &sa->suite, &spi));
    IKH_CHECK(sa->suite.ke != NULL && sa->suite.ke == t->ke.ke &&
                  kp->u.ke.group == t->ke.ke->id,
              IKH_ERR_IKE_INVALID_KE);
    IKH_TRY(t->ke.ke->ke->derive(&t->ke.ctx, kp->u.ke.data, &t->ke.shared));
    sa->rspi = m->hdr.rspi;
    memcpy(sa->ni, t->ke.n_own, t->ke.n_own_len);
    sa->ni_len = t->ke.n_own_len;
    memcpy(sa->nr, np->u.raw.data.p, np->u.raw.data.len);
    sa->nr_len = np->u.raw.data.len;
    read_status_notifies(t, m, sa->rspi);
    maybe_float(sa);
    return derive(t);
}

/* ---- responder ---------------------------------------------------------- */

static ikh_err init_process_request(ikh_task *t, const ikh_msg *m,
                                    ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_pl *np = ikh_msg_find(m, IKH_PL_NONCE, 0);
    IKH_TRY(nonce_ok(np));
    /*= rfc7296#2.6
     *# When one party receives an IKE_SA_INIT request containing a cookie
     *# whose contents do not match the value expected, that party MUST
     *# ignore the cookie and process the message as if no cookie had been
     *# included; usually this means sending a response containing a new
     *# cookie.
     */
    if (n->cfg.cookie_threshold != 0 &&
        ikh_node_half_open(n) >= n->cfg.cookie_threshold) {
        uint8_t want[1 + IKH_SHA1_LEN];
        size_t wl = make_cookie(n, np->u.raw.data, &n->rx->src, sa->ispi, want);
        const ikh_pl *ck = ikh_msg_notify(m, IKH_N_COOKIE);
        bool ok = ck != NULL && ck->u.notify.data.len == wl &&
                  ikh_ct_eq(ck->u.notify.data.p, want, wl);
        if (!ok) {
            memcpy(t->notify_data, want, wl);
            t->notify_data_len = wl;
            t->notify_err = IKH_N_COOKIE;
            return IKH_ERR_IKE_COOKIE;
        }
    }
    const ikh_pl *sp = ikh_msg_find(m, IKH_PL_SA, 0);
    const ikh_pl *kp = ikh_msg_find(m, IKH_PL_KE, 0);
    IKH_CHECK(sp != NULL && kp != NULL, IKH_ERR_WIRE_RULE_MISSING);
    uint8_t num = 0;
    ikh_span spi;
    IKH_TRY(ikh_prop_select(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                            n->cfg.n_props, false, kp->u.ke.group, &sa->suite,
                            &num, &spi));
    t->retries = num; /* proposal number for the answer */
    /* RFC 7296 §3.4: a KE payload for another group than the selected one
     * is rejected with INVALID_KE_PAYLOAD naming the preferred group. */
    if (sa->suite.ke == NULL || kp->u.ke.group != sa->suite.ke->id) {
        IKH_CHECK(sa->suite.ke != NULL, IKH_ERR_IKE_NO_PROPOSAL);
        wr16(t->notify_data, sa->suite.ke->id);
        t->notify_data_len = 2;
        t->notify_err = IKH_N_INVALID_KE_PAYLOAD;
        return IKH_ERR_IKE_INVALID_KE;
    }
    IKH_TRY(ikh_ke_start(n, &t->ke, sa->suite.ke));
    IKH_TRY(sa->suite.ke->ke->derive(&t->ke.ctx, kp->u.ke.data, &t->ke.shared));
    IKH_TRY(ikh_ke_nonce(n, &t->ke));
    memcpy(sa->ni, np->u.raw.data.p, np->u.raw.data.len);
    sa->ni_len = np->u.raw.data.len;
    memcpy(sa->nr, t->ke.n_own, t->ke.n_own_len);
    sa->nr_len = t->ke.n_own_len;
    read_status_notifies(t, m, 0);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_HANDSHAKE_START, 0,
                                IKH_EXCH_IKE_SA_INIT, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "role", "responder");
    (void)ikh_log_end(ev);
    return IKH_OK;
}

static ikh_err init_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    return t->initiator ? init_process_response(t, m)
                        : init_process_request(t, m, now);
}

const ikh_task_ops ikh_task_ike_init_ops = {
    .name = "ike_init",
    .exch = IKH_EXCH_IKE_SA_INIT,
    .build = init_build,
    .process = init_process,
    .fini = NULL,
};
