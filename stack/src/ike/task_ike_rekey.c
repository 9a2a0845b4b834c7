/* SPDX-License-Identifier: MIT */
/*
 * Rekeying the IKE SA (RFC 7296 §1.3.2, §2.18): a CREATE_CHILD_SA with an
 * IKE proposal carrying the new SPI, fresh nonces and a key exchange. The
 * new SA gets SKEYSEED from the old SK_d, takes over every Child SA, and
 * the rekey initiator deletes the old SA.
 *
 *   HDR, SK {SA, Ni, KEi}  -->
 *                        <--  HDR, SK {SA, Nr, KEr}
 */
#include <string.h>

#include "ike/ike_int.h"

static ikh_err new_sa(ikh_task *t, bool initiator)
{
    ikh_ike_sa *sa = t->sa;
    ikh_ike_sa *ns = NULL;
    IKH_TRY(ikh_node_sa_new(sa->node, initiator, &ns));
    ns->peer = sa->peer;
    ns->peer_port = sa->peer_port;
    ns->local_port = sa->local_port;
    ns->natt = sa->natt;
    ns->nat_local = sa->nat_local;
    ns->nat_remote = sa->nat_remote;
    ns->peer_frag = sa->peer_frag;
    ns->peer_window = sa->peer_window;
    ns->peer_sha_algs = sa->peer_sha_algs;
    ns->peer_hash_mask = sa->peer_hash_mask;
    ns->vip4 = sa->vip4;
    ns->vip6 = sa->vip6;
    t->new_sa = ns;
    return IKH_OK;
}

/*= rfc7296#2.18
 *# SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 */
static ikh_err finish(ikh_task *t, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa, *ns = t->new_sa;
    ikh_node *n = sa->node;
    bool we_init = t->initiator;
    ikh_span own = ikh_span_of(t->ke.n_own, t->ke.n_own_len);
    ikh_span peer = ikh_span_of(t->ke.n_peer, t->ke.n_peer_len);
    ikh_span ni = we_init ? own : peer, nr = we_init ? peer : own;
    memcpy(ns->ni, ni.p, ni.len);
    ns->ni_len = ni.len;
    memcpy(ns->nr, nr.p, nr.len);
    ns->nr_len = nr.len;
    ikh_secret seed;
    seed.len = 0;
    ikh_err e = ikh_kdf_skeyseed_rekey(
        sa->suite.prf->prf, &sa->keys.sk_d,
        ikh_span_of(t->ke.shared.b, t->ke.shared.len), ni, nr, &seed);
    if (e == IKH_OK)
        e = ikh_sa_derive_keys(ns, &seed);
    ikh_secret_fini(&seed);
    IKH_TRY(e);
    t->new_sa = NULL;
    ns->rekeyed_from = sa->ref;
    ns->started = now;
    ns->last_rx = now;
    ikh_sa_set_state(ns, IKH_IKE_ESTABLISHED, now);
    ikh_sa_arm_timers(ns, now);
    if (!we_init && sa->state == IKH_IKE_REKEYING) {
        /* RFC 7296 §2.8.2: a colliding IKE SA rekey request is answered as
         * usual; the collision is resolved when our own rekey completes. */
        sa->collide_ref = ns->ref;
        sa->collide_nonce_len = ikh_ke_min_nonce(&t->ke, sa->collide_nonce);
        return IKH_OK; /* resolved when our own rekey returns */
    }
    ikh_ike_sa *keep = ns;
    bool delete_old = we_init;
    if (we_init && sa->collide_ref != 0) {
        /* RFC 7296 §2.8.2: after simultaneous IKE SA rekeying, the SA
         * created with the lowest of the four nonces is deleted by the node
         * that created it. */
        uint8_t mine[IKH_KDF_NONCE_MAX];
        size_t ml = ikh_ke_min_nonce(&t->ke, mine);
        bool we_lose =
            ikh_nonce_lower(mine, ml, sa->collide_nonce, sa->collide_nonce_len);
        ikh_log_collision(sa, "ike", we_lose ? "peer" : "local", now);
        ikh_ike_sa *theirs = ikh_node_sa_by_ref(n, sa->collide_ref);
        if (we_lose && theirs != NULL) {
            keep = theirs;
            delete_old = false; /* the winner deletes the old SA */
            ikh_task *d = NULL;
            IKH_TRY(ikh_task_new(ns, IKH_TK_DELETE_IKE, true, &d));
            ns->rekeyed_to = theirs->ref;
            IKH_TRY(ikh_exch_queue(ns, d, now));
        }
    }
    /* the pool leases and the Child SAs move to the surviving IKE SA */
    ns = keep;
    ns->pool_slot4 = sa->pool_slot4;
    ns->pool_slot6 = sa->pool_slot6;
    sa->pool_slot4 = sa->pool_slot6 = 0;
    for (size_t i = 0; i < sa->child_top; i++) {
        ikh_sa_child_put(ns, i, sa->child[i]);
        ikh_sa_child_put(sa, i, NULL);
    }
    sa->rekeyed_to = ns->ref;
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_REKEY,
                                sa->x.mid_out, IKH_EXCH_CREATE_CHILD_SA, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_u64(ev, "new_ref", ns->ref);
    uint8_t a[8], b[8];
    ikh_be64_put(a, ns->ispi);
    ikh_be64_put(b, ns->rspi);
    ikh_log_hex(ev, "new_ispi", ikh_span_of(a, 8));
    ikh_log_hex(ev, "new_rspi", ikh_span_of(b, 8));
    (void)ikh_log_end(ev);
    n->counters.ike_rekeys++;
    ikh_metric_inc(n->env.metrics, IKH_M_IKE_SA_REKEYED_TOTAL);
    ikh_sa_set_state(sa, IKH_IKE_REKEYED, now);
    /* the old SA goes when the rekey initiator deletes it; if that delete
     * never comes, it goes by itself */
    sa->delete_at = now + n->cfg.half_open_ms;
    if (!delete_old)
        return IKH_OK;
    ikh_task *d = NULL;
    IKH_TRY(ikh_task_new(sa, IKH_TK_DELETE_IKE, true, &d));
    return ikh_exch_queue(sa, d, now);
}

static ikh_err ike_rekey_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    if (!t->initiator) {
        ikh_ike_sa *ns = t->new_sa;
        ikh_be64_put(t->spi_buf, ns->rspi);
        ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
        IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        sp->in_sk = true;
        IKH_TRY(ikh_prop_answer(m, sp, IKH_PROTO_IKE, t->retries, &ns->suite,
                                ikh_span_of(t->spi_buf, 8)));
        IKH_CHECK(ikh_msg_add_raw(m, IKH_PL_NONCE, true,
                                  ikh_span_of(t->ke.n_own, t->ke.n_own_len)) !=
                          NULL &&
                      ikh_msg_add_ke(
                          m, true, ns->suite.ke->id,
                          ikh_span_of(t->ke.pub, ns->suite.ke->ke->pub_len)) !=
                          NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        return finish(t, now);
    }
    IKH_CHECK(sa->state == IKH_IKE_ESTABLISHED || sa->state == IKH_IKE_REKEYING,
              IKH_ERR_STATE);
    if (t->new_sa == NULL) {
        IKH_TRY(new_sa(t, true));
        /* RFC 7296 §1.3.2: an IKE SA rekey request carries KEi, here for
         * the group of the current IKE SA. */
        IKH_TRY(ikh_ke_start(n, &t->ke, sa->suite.ke));
        IKH_TRY(ikh_ke_nonce(n, &t->ke));
    }
    ikh_sa_set_state(sa, IKH_IKE_REKEYING, now);
    ikh_be64_put(t->spi_buf, t->new_sa->ispi);
    ikh_pl *sp = ikh_wire_pl_add(m, IKH_PL_SA);
    IKH_CHECK(sp != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    sp->in_sk = true;
    IKH_TRY(ikh_prop_build(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                           n->cfg.n_props, ikh_span_of(t->spi_buf, 8), false));
    IKH_CHECK(
        ikh_msg_add_raw(m, IKH_PL_NONCE, true,
                        ikh_span_of(t->ke.n_own, t->ke.n_own_len)) != NULL &&
            ikh_msg_add_ke(m, true, t->ke.ke->id,
                           ikh_span_of(t->ke.pub, t->ke.ke->ke->pub_len)) !=
                NULL,
        IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return IKH_OK;
}

static ikh_err take_nonce(ikh_task *t, const ikh_msg *m)
{
    const ikh_pl *np = ikh_msg_find(m, IKH_PL_NONCE, 0);
    IKH_CHECK(np != NULL, IKH_ERR_WIRE_RULE_MISSING);
    IKH_CHECK(np->u.raw.data.len >= 16 && np->u.raw.data.len <= 256,
              IKH_ERR_IKE_NONCE);
    memcpy(t->ke.n_peer, np->u.raw.data.p, np->u.raw.data.len);
    t->ke.n_peer_len = np->u.raw.data.len;
    return IKH_OK;
}

static ikh_err ike_rekey_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    ikh_node *n = sa->node;
    const ikh_pl *sp = ikh_msg_find(m, IKH_PL_SA, 0);
    const ikh_pl *kp = ikh_msg_find(m, IKH_PL_KE, 0);
    if (t->initiator) {
        ikh_ike_sa *ns = t->new_sa;
        if (ikh_msg_error_notify(m) != NULL || sp == NULL || kp == NULL) {
            ikh_sa_set_state(sa, IKH_IKE_ESTABLISHED, now);
            if (ikh_msg_notify(m, IKH_N_TEMPORARY_FAILURE) != NULL) {
                sa->rekey_at = ikh_sa_retry_at(sa, now); /* §2.25 */
                return IKH_ERR_IKE_TEMPORARY;
            }
            return IKH_ERR_IKE_PEER_ERROR;
        }
        ikh_span spi;
        ikh_err e = ikh_prop_check(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                                   n->cfg.n_props, false, &ns->suite, &spi);
        if (e == IKH_OK && (spi.len != 8 || ikh_be64_get(spi.p) == 0))
            e = IKH_ERR_WIRE_SPI_SIZE;
        if (e == IKH_OK &&
            (ns->suite.ke != t->ke.ke || kp->u.ke.group != t->ke.ke->id))
            e = IKH_ERR_IKE_INVALID_KE;
        if (e == IKH_OK)
            e = take_nonce(t, m);
        if (e == IKH_OK)
            e = t->ke.ke->ke->derive(&t->ke.ctx, kp->u.ke.data, &t->ke.shared);
        if (e != IKH_OK) {
            ikh_sa_set_state(sa, IKH_IKE_ESTABLISHED, now);
            return e;
        }
        ns->rspi = ikh_be64_get(spi.p);
        return finish(t, now);
    }
    /* responder */
    IKH_CHECK(sp != NULL && kp != NULL, IKH_ERR_WIRE_RULE_MISSING);
    /* RFC 7296 §2.25.2: a rekey request that collides with our own closing
     * or rekeying is answered with TEMPORARY_FAILURE. */
    IKH_CHECK(sa->state == IKH_IKE_ESTABLISHED ||
                  (sa->state == IKH_IKE_REKEYING && sa->collide_ref == 0 &&
                   sa->x.active != NULL &&
                   sa->x.active->kind == IKH_TK_IKE_REKEY),
              IKH_ERR_IKE_TEMPORARY);
    /* RFC 7296 §2.25.2: not while one of our Child SA exchanges is out */
    IKH_CHECK(sa->x.active == NULL ||
                  (sa->x.active->kind != IKH_TK_CHILD_REKEY &&
                   sa->x.active->kind != IKH_TK_CHILD_CREATE),
              IKH_ERR_IKE_TEMPORARY);
    ikh_suite s;
    uint8_t num = 0;
    ikh_span spi;
    IKH_TRY(ikh_prop_select(n, m, sp, IKH_PROTO_IKE, n->cfg.props,
                            n->cfg.n_props, false, kp->u.ke.group, &s, &num,
                            &spi));
    IKH_CHECK(spi.len == 8 && ikh_be64_get(spi.p) != 0, IKH_ERR_WIRE_SPI_SIZE);
    if (s.ke == NULL || kp->u.ke.group != s.ke->id) {
        IKH_CHECK(s.ke != NULL, IKH_ERR_IKE_NO_PROPOSAL);
        t->notify_data[0] = (uint8_t)(s.ke->id >> 8);
        t->notify_data[1] = (uint8_t)s.ke->id;
        t->notify_data_len = 2;
        t->notify_err = IKH_N_INVALID_KE_PAYLOAD;
        return IKH_ERR_IKE_INVALID_KE;
    }
    IKH_TRY(take_nonce(t, m));
    IKH_TRY(ikh_ke_start(n, &t->ke, s.ke));
    IKH_TRY(s.ke->ke->derive(&t->ke.ctx, kp->u.ke.data, &t->ke.shared));
    IKH_TRY(ikh_ke_nonce(n, &t->ke));
    IKH_TRY(new_sa(t, false));
    t->new_sa->ispi = ikh_be64_get(spi.p);
    t->new_sa->suite = s;
    t->retries = num;
    return IKH_OK;
}

const ikh_task_ops ikh_task_ike_rekey_ops = {
    .name = "ike_rekey",
    .exch = IKH_EXCH_CREATE_CHILD_SA,
    .build = ike_rekey_build,
    .process = ike_rekey_process,
    .fini = NULL,
};
