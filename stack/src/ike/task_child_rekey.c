/* SPDX-License-Identifier: MIT */
/*
 * Rekeying a Child SA (RFC 7296 §1.3.3, §2.8) and the simultaneous-rekey
 * collision rule (§2.8.1): the new SA is made before the old one is
 * deleted, and when both peers rekey the same SA at once the SA created
 * with the lowest nonce is closed by the endpoint that created it.
 *
 *   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  -->
 *                             <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 */
#include <string.h>

#include "ike/ike_int.h"

static ikh_err queue_delete(ikh_ike_sa *sa, uint32_t child_ref, ikh_time_ms now)
{
    ikh_task *d = NULL;
    IKH_TRY(ikh_task_new(sa, IKH_TK_DELETE_CHILD, true, &d));
    d->arg = child_ref;
    return ikh_exch_queue(sa, d, now);
}

static void count_rekey(ikh_ike_sa *sa)
{
    sa->node->counters.child_rekeys++;
    ikh_metric_inc(sa->node->env.metrics, IKH_M_IKE_CHILD_SA_REKEYED_TOTAL);
}

static ikh_err rekey_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    if (t->initiator) {
        ikh_child_sa *old = ikh_child_by_ref(sa, t->arg);
        IKH_CHECK(old != NULL && (old->state == IKH_CHILD_INSTALLED ||
                                  old->state == IKH_CHILD_REKEYING),
                  IKH_ERR_STATE);
        if (t->child == NULL)
            IKH_TRY(ikh_child_new(sa, old->cfg, &t->child));
        ikh_child_set_state(sa, old, IKH_CHILD_REKEYING, now);
        /* RFC 7296 §1.3.3: REKEY_SA names the rekeyed SA by the SPI its
         * sender expects in inbound packets. */
        ikh_be32_put(t->resp_spis, old->spi_in);
        IKH_CHECK(ikh_msg_add_notify(m, true, IKH_PROTO_ESP, IKH_N_REKEY_SA,
                                     ikh_span_of(t->resp_spis, 4),
                                     ikh_span_of(NULL, 0)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        return ikh_child_req_build(t, m, false);
    }
    /* responder */
    ikh_child_sa *old = ikh_child_by_ref(sa, t->arg);
    IKH_TRY(ikh_child_resp_build(t, m, false));
    IKH_TRY(ikh_child_attach(sa, t->child));
    ikh_child_sa *c = t->child;
    t->child = NULL;
    c->rekeyed_from = t->arg;
    /* the initiator installs the new SA only when our response arrives:
     * keep sending on the old one until then (no loss, no INVALID_SPI) */
    c->out_hold = true;
    ikh_child_install(sa, c, now);
    count_rekey(sa);
    if (old != NULL && old->state == IKH_CHILD_REKEYING) {
        /* §2.8.1: our own rekey of it is out; resolved when it returns */
        old->rekey_nonce_len = ikh_ke_min_nonce(&t->ke, old->rekey_nonce);
        old->peer_new = c->ref;
    } else if (old != NULL) {
        old->rekeyed_to = c->ref;
        ikh_child_set_state(sa, old, IKH_CHILD_REKEYED, now);
    }
    return IKH_OK;
}

static ikh_err rekey_process_request(ikh_task *t, const ikh_msg *m,
                                     ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    const ikh_pl *rk = ikh_msg_notify(m, IKH_N_REKEY_SA);
    IKH_CHECK(rk != NULL && rk->u.notify.proto == IKH_PROTO_ESP &&
                  rk->u.notify.spi.len == 4,
              IKH_ERR_WIRE_NOTIFY_SPI_LEN);
    const uint8_t *p = rk->u.notify.spi.p;
    uint32_t spi = ikh_be32_get(p);
    ikh_child_sa *old = ikh_child_by_spi_out(sa, spi);
    /* RFC 7296 §2.25/§3.10.1: a rekey of an unknown Child SA is answered
     * with CHILD_SA_NOT_FOUND. */
    if (old == NULL) {
        t->notify_err = IKH_N_CHILD_SA_NOT_FOUND;
        return IKH_ERR_IKE_INVALID_SPI;
    }
    /* RFC 7296 §2.25: a rekey of a Child SA that is being deleted is
     * answered with TEMPORARY_FAILURE. */
    IKH_CHECK(old->state == IKH_CHILD_INSTALLED ||
                  old->state == IKH_CHILD_REKEYING,
              IKH_ERR_IKE_TEMPORARY);
    /* RFC 7296 §2.25.2: while we rekey the IKE SA, requests to rekey its
     * Child SAs get TEMPORARY_FAILURE */
    IKH_CHECK(sa->state != IKH_IKE_REKEYING, IKH_ERR_IKE_TEMPORARY);
    t->arg = old->ref;
    return ikh_child_req_process(t, m, false, now);
}

static ikh_err rekey_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    if (!t->initiator)
        return rekey_process_request(t, m, now);
    ikh_child_sa *old = ikh_child_by_ref(sa, t->arg);
    uint32_t new_ref = t->child ? t->child->ref : 0;
    if (t->child != NULL)
        t->child->rekeyed_from = t->arg;
    ikh_err e = ikh_child_resp_process(t, m, false, now);
    if (e != IKH_OK) {
        if (old != NULL && old->state == IKH_CHILD_REKEYING) {
            ikh_child_set_state(sa, old, IKH_CHILD_INSTALLED, now);
            /* try again a little later (TEMPORARY_FAILURE, §2.25) */
            if (e == IKH_ERR_IKE_TEMPORARY)
                old->rekey_at = ikh_sa_retry_at(sa, now);
        }
        return e;
    }
    count_rekey(sa);
    if (old == NULL)
        return IKH_OK; /* deleted meanwhile: nothing to replace */
    if (old->peer_new != 0) {
        /* RFC 7296 §2.8.1: after a rekey collision, the SA created with the
         * lowest of the four nonces is closed by the endpoint that created
         * it. */
        uint8_t mine[IKH_KDF_NONCE_MAX];
        size_t ml = ikh_ke_min_nonce(&t->ke, mine);
        bool we_lose =
            ikh_nonce_lower(mine, ml, old->rekey_nonce, old->rekey_nonce_len);
        ikh_log_collision(sa, "child", we_lose ? "peer" : "local", now);
        if (we_lose) {
            /* ours is redundant; the peer deletes the old SA */
            old->rekeyed_to = old->peer_new;
            ikh_child_set_state(sa, old, IKH_CHILD_REKEYED, now);
            return queue_delete(sa, new_ref, now);
        }
    }
    old->rekeyed_to = new_ref;
    ikh_child_set_state(sa, old, IKH_CHILD_REKEYED, now);
    return queue_delete(sa, old->ref, now);
}

const ikh_task_ops ikh_task_child_rekey_ops = {
    .name = "child_rekey",
    .exch = IKH_EXCH_CREATE_CHILD_SA,
    .build = rekey_build,
    .process = rekey_process,
    .fini = NULL,
};
