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
    (void)m;
    if (t->initiator || !t->ike_delete)
        return IKH_OK;
    /* the peer could not verify us (§2.21.2): answer, then drop the SA */
    ikh_ike_sa *sa = t->sa;
    for (size_t i = 0; i < IKH_IKE_MAX_CHILDREN; i++)
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

static ikh_err live_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    (void)now;
    if (!t->initiator &&
        ikh_msg_notify(m, IKH_N_AUTHENTICATION_FAILED) != NULL)
        t->ike_delete = true;
    return IKH_OK;
}

const ikh_task_ops ikh_task_liveness_ops = {
    .name = "liveness",
    .exch = IKH_EXCH_INFORMATIONAL,
    .build = live_build,
    .process = live_process,
    .fini = NULL,
};
