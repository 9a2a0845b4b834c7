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

/*= rfc7296#2.4
 *# An implementation ... to check the liveness of the peer ... by
 *# sending an empty INFORMATIONAL request
 */
static ikh_err live_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    (void)t;
    (void)m;
    (void)now;
    return IKH_OK;
}

static ikh_err live_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    (void)t;
    (void)m;
    (void)now;
    return IKH_OK;
}

const ikh_task_ops ikh_task_liveness_ops = {
    .name = "liveness",
    .exch = IKH_EXCH_INFORMATIONAL,
    .build = live_build,
    .process = live_process,
    .fini = NULL,
};
