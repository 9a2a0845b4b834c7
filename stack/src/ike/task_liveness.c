/* SPDX-License-Identifier: MIT */
/*
 * Liveness checks (RFC 7296 §2.4): an empty INFORMATIONAL request after a
 * configured silence; no answer within the retransmission budget declares
 * the IKE SA dead (exchange.c). The responder answers any INFORMATIONAL
 * without Delete payloads with an empty response.
 *
 *   HDR, SK {}  -->        <--  HDR, SK {}
 */
#include "ike/ike_int.h"

/* RFC 7296 §1.4/§2.4: an INFORMATIONAL request with no payloads (other than
 * the empty Encrypted payload) checks liveness. */
static ikh_err live_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    if (t->initiator && t->notify_err != 0) {
        /* an INFORMATIONAL carrying a notification (INVALID_SPI) */
        IKH_CHECK(ikh_msg_add_notify(
                      m, true, 0, t->notify_err, ikh_span_of(NULL, 0),
                      ikh_span_of(t->notify_data, t->notify_data_len)) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        return IKH_OK;
    }
    if (t->initiator || !t->ike_delete)
        return IKH_OK;
    /* the peer could not verify us (§2.21.2): answer, then drop the SA */
    ikh_ike_sa *sa = t->sa;
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL)
            ikh_child_remove(sa, sa->child[i], "peer", now);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_DELETE,
                                sa->x.mid_out, IKH_EXCH_INFORMATIONAL, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "by", "peer_auth_failed");
    (void)ikh_log_end(ev);
    ikh_sa_set_state(sa, IKH_IKE_DEAD, now);
    return IKH_OK;
}

/* RFC 7296 §3.10.1 INVALID_SPI: the peer got ESP for an SPI it does not
 * know (in the Notification Data). If that is one of our outbound SPIs,
 * the peer lost the Child SA: delete it (an INFORMATIONAL Delete tells
 * the peer, which ignores an SPI it does not know, §1.4.1). */
static void invalid_spi(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_NOTIFY || p->u.notify.type != IKH_N_INVALID_SPI)
            continue;
        ikh_span s =
            p->u.notify.data.len == 4 ? p->u.notify.data : p->u.notify.spi;
        if (s.len != 4)
            continue;
        uint32_t spi = ikh_be32_get(s.p);
        ikh_child_sa *c = ikh_child_by_spi_out(sa, spi);
        if (c == NULL || c->state != IKH_CHILD_INSTALLED)
            continue;
        ikh_task *d = NULL;
        if (ikh_task_new(sa, IKH_TK_DELETE_CHILD, true, &d) != IKH_OK)
            continue;
        d->arg = c->ref;
        (void)ikh_exch_queue(sa, d, now);
    }
}

static ikh_err live_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    if (t->initiator)
        return IKH_OK;
    if (ikh_msg_notify(m, IKH_N_AUTHENTICATION_FAILED) != NULL)
        t->ike_delete = true;
    else
        invalid_spi(t, m, now);
    return IKH_OK;
}

const ikh_task_ops ikh_task_liveness_ops = {
    .name = "liveness",
    .exch = IKH_EXCH_INFORMATIONAL,
    .build = live_build,
    .process = live_process,
    .fini = NULL,
};
