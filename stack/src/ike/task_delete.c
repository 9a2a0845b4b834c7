/* SPDX-License-Identifier: MIT */
/*
 * INFORMATIONAL exchanges that delete (RFC 7296 §1.4.1, §3.11): a Child SA
 * pair or the whole IKE SA, from either side, including both sides
 * deleting at once.
 *
 *   HDR, SK {D(ESP, SPIs)}  -->        <--  HDR, SK {D(ESP, SPIs)}
 *   HDR, SK {D(IKE)}        -->        <--  HDR, SK {}
 */
#include <string.h>

#include "ike/ike_int.h"

static void sa_gone(ikh_ike_sa *sa, const char *by, ikh_time_ms now)
{
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL)
            ikh_child_remove(sa, sa->child[i], by, now);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_DELETE,
                                sa->x.mid_out, IKH_EXCH_INFORMATIONAL, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "by", by);
    (void)ikh_log_end(ev);
    ikh_sa_set_state(sa, IKH_IKE_DEAD, now);
}

static ikh_err add_delete(ikh_msg *m, uint8_t proto, const uint8_t *spis,
                          size_t n)
{
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_DELETE);
    IKH_CHECK(p != NULL, IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    p->in_sk = true;
    p->u.del.proto = proto;
    /*= rfc7296#3.11
     *# SPI Size (1 octet) - Length in octets of the SPI as defined by the
     *# protocol ID.  It MUST be zero for IKE (SPI is in message header)
     *# or four for AH and ESP.
     */
    p->u.del.spi_size = proto == IKH_PROTO_IKE ? 0 : 4;
    p->u.del.num_spi = (uint16_t)n;
    p->u.del.spis = ikh_span_of(spis, 4 * n);
    return IKH_OK;
}

static ikh_err del_build(ikh_task *t, ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    if (t->initiator) {
        if (t->kind == IKH_TK_DELETE_IKE) {
            if (sa->state != IKH_IKE_REKEYED)
                ikh_sa_set_state(sa, IKH_IKE_DELETING, now);
            return add_delete(m, IKH_PROTO_IKE, NULL, 0);
        }
        ikh_child_sa *c = ikh_child_by_ref(sa, t->arg);
        IKH_CHECK(c != NULL && c->state != IKH_CHILD_DELETED, IKH_ERR_STATE);
        ikh_child_set_state(sa, c, IKH_CHILD_DELETING, now);
        ikh_be32_put(t->resp_spis, c->spi_in);
        return add_delete(m, IKH_PROTO_ESP, t->resp_spis, 1);
    }
    if (t->ike_delete) {
        /*= rfc7296#1.4.1
         *# Deleting an IKE SA implicitly closes any remaining Child SAs
         *# negotiated under it.  The response to a request that deletes
         *# the IKE SA is an empty INFORMATIONAL response.
         */
        sa_gone(sa, "peer", now);
        /* if our response is lost the peer retransmits its Delete: keep
         * the SA a while, answering only from the cached response */
        sa->lingering = true;
        sa->state = IKH_IKE_DELETING;
        sa->delete_at = now + sa->node->cfg.half_open_ms;
        return IKH_OK;
    }
    if (t->n_del > 0)
        return add_delete(m, IKH_PROTO_ESP, t->resp_spis, t->n_del);
    return IKH_OK;
}

/* Responder: every Delete payload of the request. */
static ikh_err del_request(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_DELETE)
            continue;
        if (p->u.del.proto == IKH_PROTO_IKE) {
            t->ike_delete = true;
            continue;
        }
        if (p->u.del.proto != IKH_PROTO_ESP && p->u.del.proto != IKH_PROTO_AH)
            continue;
        IKH_CHECK(p->u.del.spi_size == 4 &&
                      p->u.del.spis.len == 4u * p->u.del.num_spi,
                  IKH_ERR_WIRE_DELETE_SPI_COUNT);
        for (size_t k = 0; k < p->u.del.num_spi; k++) {
            const uint8_t *s = p->u.del.spis.p + 4 * k;
            uint32_t spi = ikh_be32_get(s);
            /* RFC 7296 §1.4.1/§3.11: a Delete payload lists the SPIs as
             * they appear in the sender's inbound packets. */
            ikh_child_sa *c = ikh_child_by_spi_out(sa, spi);
            if (c == NULL)
                continue; /* unknown SPIs are ignored (§1.4.1) */
            /*= rfc7296#1.4.1
             *# If a node receives a delete request for SAs for which it has
             *# already issued a delete request, it MUST delete the outgoing
             *# SAs while processing the request and the incoming SAs while
             *# processing the response.  In that case, the responses MUST
             *# NOT include Delete payloads for the deleted SAs, ...
             */
            if (c->state == IKH_CHILD_DELETING)
                continue;
            if (t->n_del < IKH_IKE_MAX_CHILDREN) {
                ikh_be32_put(t->resp_spis + 4 * t->n_del, c->spi_in);
                t->n_del++;
            }
            ikh_child_remove(sa, c, "peer", now);
        }
    }
    return IKH_OK;
}

static ikh_err del_process(ikh_task *t, const ikh_msg *m, ikh_time_ms now)
{
    ikh_ike_sa *sa = t->sa;
    if (!t->initiator)
        return del_request(t, m, now);
    if (t->kind == IKH_TK_DELETE_IKE) {
        sa_gone(sa, sa->state == IKH_IKE_REKEYED ? "rekey" : "local", now);
        return IKH_OK;
    }
    ikh_child_sa *c = ikh_child_by_ref(sa, t->arg);
    if (c != NULL)
        ikh_child_remove(sa, c, c->rekeyed_to ? "rekey" : "local", now);
    return IKH_OK;
}

const ikh_task_ops ikh_task_delete_ops = {
    .name = "delete",
    .exch = IKH_EXCH_INFORMATIONAL,
    .build = del_build,
    .process = del_process,
    .fini = NULL,
};
