/* SPDX-License-Identifier: MIT */
/*
 * Exchanges of one IKE SA (RFC 7296 §2.1-§2.3, §2.21): Message IDs, the
 * window (size 1), retransmission with exponential backoff, the cached
 * last response, the task queue, and the decode path of incoming messages
 * (parse, open SK, rule check). Tasks never touch Message IDs or timers.
 */
#include <string.h>

#include "ike/ike_int.h"
#include "ikh/names.h"

/* Who sent a message: the original initiator sets the I flag (§3.1). */
static bool from_initiator(const ikh_ike_hdr *h)
{
    return (h->flags & IKH_HDR_F_INITIATOR) != 0;
}

/* ---- logging ------------------------------------------------------------ */

/* Append the NUL-terminated @p s at buf[o]; what does not fit is cut and
 * the buffer left full (cap - 1 octets and the NUL). Returns the new end. */
static size_t put_str(char *buf, size_t cap, size_t o, const char *s)
{
    if (o >= cap)
        return o; /* not reached: callers keep o < cap */
    size_t n = strlen(s);
    if (n > cap - 1 - o)
        n = cap - 1 - o;
    memcpy(buf + o, s, n);
    buf[o + n] = '\0';
    return o + n;
}

/* Append one payload's short name ("N(TYPE)" for a Notify). No snprintf:
 * this runs for every payload of every message logged. */
static size_t put_name(char *buf, size_t cap, size_t o, const ikh_pl *p,
                       bool comma)
{
    char tmp[IKH_NAME_BUF_LEN];
    bool notify = p->type == IKH_PL_NOTIFY;
    const char *nm =
        notify ? ikh_name_or(IKH_NT_NOTIFY, p->u.notify.type, tmp, sizeof tmp)
               : ikh_name_or(IKH_NT_PAYLOAD, p->type, tmp, sizeof tmp);
    if (comma)
        o = put_str(buf, cap, o, ",");
    if (notify)
        o = put_str(buf, cap, o, "N(");
    o = put_str(buf, cap, o, nm);
    if (notify)
        o = put_str(buf, cap, o, ")");
    return o;
}

/* The payload list in wire order: outer payloads, then SK{inner...}. */
static void payload_list(const ikh_msg *m, char *buf, size_t cap)
{
    size_t o = 0;
    const ikh_pl *sk = NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n_pl && o + 1 < cap; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->in_sk)
            continue;
        if (p->type == IKH_PL_SK || p->type == IKH_PL_SKF) {
            sk = p;
            continue;
        }
        o = put_name(buf, cap, o, p, o > 0);
    }
    if (sk == NULL || o + 8 >= cap)
        return;
    if (o > 0)
        o = put_str(buf, cap, o, ",");
    o = put_str(buf, cap, o, sk->type == IKH_PL_SK ? "SK{" : "SKF{");
    bool first = true;
    for (size_t i = 0; i < m->n_pl && o + 2 < cap; i++)
        if (m->pl[i].in_sk) {
            o = put_name(buf, cap, o, &m->pl[i], !first);
            first = false;
        }
    if (o + 2 <= cap) {
        buf[o++] = '}';
        buf[o] = '\0';
    }
}

void ikh_exch_log_msg(ikh_ike_sa *sa, const ikh_msg *m, size_t len, bool tx,
                      unsigned retransmit, unsigned frags, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_DEBUG,
                                tx ? IKH_EV_IKE_MSG_TX : IKH_EV_IKE_MSG_RX,
                                m->hdr.mid, m->hdr.exch, now);
    if (ev != NULL) {
        char list[IKH_WIRE_MAX_PAYLOADS * 8];
        payload_list(m, list, sizeof list);
        ikh_log_u64(ev, "len", len);
        ikh_log_str(ev, "payloads", list);
        ikh_log_bool(ev, "response", (m->hdr.flags & IKH_HDR_F_RESPONSE) != 0);
        if (tx) {
            ikh_log_u64(ev, "retransmit", retransmit);
            ikh_log_u64(ev, "frags", frags);
        } else {
            ikh_log_u64(ev, "frag", frags);
        }
        (void)ikh_log_end(ev);
    }
    ikh_metrics *mt = n->env.metrics;
    ikh_metric_add_l(mt,
                     tx ? IKH_M_IKE_MESSAGES_SENT_TOTAL
                        : IKH_M_IKE_MESSAGES_RECEIVED_TOTAL,
                     m->hdr.exch, tx && frags > 1 ? frags : 1);
    ikh_metric_add_l(
        mt, tx ? IKH_M_IKE_SENT_OCTETS_TOTAL : IKH_M_IKE_RECEIVED_OCTETS_TOTAL,
        m->hdr.exch, len);
    /* notifies: one event each (expectations match on them) */
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_NOTIFY || retransmit != 0)
            continue;
        ikh_log_ev *nv = ikh_sa_log(
            sa, IKH_LVL_INFO, tx ? IKH_EV_IKE_NOTIFY_TX : IKH_EV_IKE_NOTIFY_RX,
            m->hdr.mid, m->hdr.exch, now);
        if (nv == NULL)
            continue; /* below the log level: no names to look up */
        char tmp[IKH_NAME_BUF_LEN], tmp2[IKH_NAME_BUF_LEN];
        ikh_log_str(
            nv, "type",
            ikh_name_or(IKH_NT_NOTIFY, p->u.notify.type, tmp, sizeof tmp));
        ikh_log_str(nv, "proto",
                    p->u.notify.proto
                        ? ikh_name_or(IKH_NT_PROTO, p->u.notify.proto, tmp2,
                                      sizeof tmp2)
                        : "NONE");
        (void)ikh_log_end(nv);
    }
}

static void log_drop(ikh_ike_sa *sa, ikh_node *n, const ikh_ike_hdr *h,
                     ikh_err e, size_t len, ikh_time_ms now)
{
    n->counters.dropped++;
    ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_DROPPED_TOTAL, e);
    ikh_log_ev *ev =
        ikh_log_begin(&n->log, IKH_LVL_INFO, IKH_EV_IKE_MSG_DROP, now);
    if (ev == NULL)
        return;
    ikh_log_sa(ev, h ? h->ispi : (sa ? sa->ispi : 0),
               h ? h->rspi : (sa ? sa->rspi : 0), h ? h->mid : 0,
               h ? ikh_name(IKH_NT_EXCH, h->exch) : NULL);
    ikh_log_err(ev, "code", e);
    ikh_log_str(ev, "error", ikh_err_name(e));
    ikh_log_u64(ev, "len", len);
    (void)ikh_log_end(ev);
}

/*= rfc7296#2.21.4
 *# If the message is marked as a request, the node can audit the
 *# suspicious event and MAY send a response.  If a response is sent, the
 *# response MUST be sent to the IP address and port from whence it came
 *# with the same IKE SPIs and the Message ID copied.  The response MUST
 *# NOT be cryptographically protected and MUST contain an
 *# INVALID_IKE_SPI Notify payload.
 */
void ikh_node_answer_unknown_spi(ikh_node *n, const ikh_dgram *dg,
                                 const ikh_ike_hdr *h, ikh_time_ms now)
{
    if ((h->flags & IKH_HDR_F_RESPONSE) || h->exch == IKH_EXCH_IKE_SA_INIT)
        return; /* never answer a response (§2.21.4) */
    ikh_msg *m = &n->out;
    ikh_msg_reset(m, IKH_EXCH_INFORMATIONAL);
    m->hdr.ispi = h->ispi;
    m->hdr.rspi = h->rspi;
    m->hdr.mid = h->mid;
    m->hdr.flags =
        (uint8_t)(IKH_HDR_F_RESPONSE |
                  ((h->flags & IKH_HDR_F_INITIATOR) ? 0 : IKH_HDR_F_INITIATOR));
    size_t len = 0;
    if (ikh_msg_add_notify(m, false, 0, IKH_N_INVALID_IKE_SPI,
                           ikh_span_of(NULL, 0),
                           ikh_span_of(NULL, 0)) == NULL ||
        ikh_wire_msg_serialize(m, n->buf, sizeof n->buf, &len) != IKH_OK)
        return;
    ikh_log_ev *ev =
        ikh_log_begin(&n->log, IKH_LVL_INFO, IKH_EV_IKE_NOTIFY_TX, now);
    ikh_log_sa(ev, h->ispi, h->rspi, h->mid,
               ikh_name(IKH_NT_EXCH, IKH_EXCH_INFORMATIONAL));
    ikh_log_str(ev, "type", "INVALID_IKE_SPI");
    ikh_log_str(ev, "proto", "NONE");
    (void)ikh_log_end(ev);
    ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_MESSAGES_SENT_TOTAL,
                     IKH_EXCH_INFORMATIONAL);
    ikh_dgram out;
    memset(&out, 0, sizeof out);
    out.src = dg->dst;
    out.dst = dg->src;
    out.sport = dg->dport;
    out.dport = dg->sport;
    out.non_esp_marker = dg->non_esp_marker;
    out.data = ikh_span_of(n->buf, len);
    if (ikh_env_send(&n->env, &out) != IKH_OK)
        ikh_metric_inc(n->env.metrics, IKH_M_ENV_SEND_FAILURES_TOTAL);
}

void ikh_node_log_drop(ikh_node *n, const ikh_ike_hdr *h, ikh_err e, size_t len,
                       ikh_time_ms now)
{
    log_drop(NULL, n, h, e, len, now);
}

/* ---- sending ------------------------------------------------------------ */

ikh_err ikh_exch_send_bytes(ikh_ike_sa *sa, const uint8_t *p, size_t len,
                            ikh_time_ms now)
{
    (void)now;
    ikh_node *n = sa->node;
    ikh_dgram dg;
    memset(&dg, 0, sizeof dg);
    dg.src = n->cfg.addr;
    dg.dst = sa->peer;
    dg.sport = sa->local_port;
    dg.dport = sa->peer_port;
    /*= rfc3948#2.2
     *# Non-ESP Marker is 4 bytes of zero aligning with the SPI field of an
     *# ESP packet.
     */
    dg.non_esp_marker =
        ikh_dgram_marker_rule(dg.sport, dg.dport, n->cfg.natt_port);
    dg.data = ikh_span_of(p, len);
    ikh_err e = ikh_env_send(&n->env, &dg);
    if (e != IKH_OK)
        ikh_metric_inc(n->env.metrics, IKH_M_ENV_SEND_FAILURES_TOTAL);
    return e;
}

ikh_err ikh_exch_encode(ikh_ike_sa *sa, ikh_msg *m, bool response, uint32_t mid,
                        uint8_t *out, size_t cap, size_t *out_len)
{
    m->hdr.ispi = sa->ispi;
    m->hdr.rspi = sa->rspi;
    m->hdr.version = 0x20;
    m->hdr.mid = mid;
    /*= rfc7296#3.1
     *# I (Initiator) - This bit MUST be set in messages sent by the
     *# original initiator of the IKE SA and MUST be cleared in messages
     *# sent by the original responder.
     */
    m->hdr.flags = (uint8_t)((sa->initiator ? IKH_HDR_F_INITIATOR : 0) |
                             (response ? IKH_HDR_F_RESPONSE : 0));
    if (m->hdr.exch == IKH_EXCH_IKE_SA_INIT)
        return ikh_wire_msg_serialize(m, out, cap, out_len);
    return ikh_exch_seal(sa, m, out, cap, out_len);
}

static ikh_err ensure_buf(ikh_node *n, uint8_t **b)
{
    if (*b != NULL)
        return IKH_OK;
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&n->env, IKH_IKE_MSG_MAX, &p));
    *b = p;
    return IKH_OK;
}

/* IP datagram size of an IKE message of @p len octets to the peer. */
static size_t dgram_size(const ikh_ike_sa *sa, size_t len)
{
    bool marker = ikh_dgram_marker_rule(sa->local_port, sa->peer_port,
                                        sa->node->cfg.natt_port);
    return (sa->peer.family == 6 ? 40u : 20u) + 8u + (marker ? 4u : 0u) + len;
}

/* Encode @p m into @p buf: one message, or RFC 7383 fragments when both
 * sides support them and the datagram would exceed fragment_size. */
static ikh_err encode_out(ikh_ike_sa *sa, ikh_msg *m, bool response,
                          uint32_t mid, uint8_t *buf, uint16_t *frag_len,
                          uint8_t *n_frag, size_t *total)
{
    ikh_node *n = sa->node;
    size_t len = 0;
    IKH_TRY(ikh_exch_encode(sa, m, response, mid, buf, IKH_IKE_MSG_MAX, &len));
    frag_len[0] = (uint16_t)len;
    *n_frag = 1;
    *total = len;
    /* RFC 7383 §2.2: fragments are Encrypted Fragment payloads, so only
     * messages with an Encrypted payload are fragmented, never IKE_SA_INIT. */
    if (m->hdr.exch == IKH_EXCH_IKE_SA_INIT || !sa->peer_frag ||
        !n->cfg.fragmentation || dgram_size(sa, len) <= n->cfg.fragment_size)
        return IKH_OK;
    const ikh_encr_ops *e = sa->suite.encr->encr;
    size_t icv = e->aead ? e->icv_len : sa->suite.integ->integ->icv_len;
    size_t over = dgram_size(sa, 0) + IKH_IKE_HDR_LEN + 8u + e->iv_len + icv +
                  (e->block_len ? e->block_len : 1u) + 1u;
    if (n->cfg.fragment_size < over + 32u)
        return IKH_OK; /* a limit this small cannot carry fragments */
    IKH_TRY(ikh_exch_seal_frags(sa, m, n->cfg.fragment_size - over, buf,
                                IKH_IKE_MSG_MAX, frag_len, n_frag));
    *total = 0;
    for (size_t i = 0; i < *n_frag; i++)
        *total += frag_len[i];
    return IKH_OK;
}

/* Send every fragment of a stored message. */
static ikh_err send_frags(ikh_ike_sa *sa, const uint8_t *buf,
                          const uint16_t *frag_len, uint8_t n_frag,
                          ikh_time_ms now)
{
    size_t off = 0;
    for (size_t i = 0; i < n_frag; i++) {
        IKH_TRY(ikh_exch_send_bytes(sa, buf + off, frag_len[i], now));
        off += frag_len[i];
    }
    return IKH_OK;
}

/* Retransmission timeout after the @p tries-th send (§2.1: exponential). */
static ikh_time_ms rtx_timeout(const ikh_node *n, unsigned tries)
{
    uint64_t t = n->cfg.retransmit_base_ms;
    for (unsigned i = 1; i < tries && t < (1ull << 40); i++)
        t = t * n->cfg.retransmit_factor_pm / 1000u;
    if (n->cfg.retransmit_limit_ms != 0 && t > n->cfg.retransmit_limit_ms)
        t = n->cfg.retransmit_limit_ms;
    return t;
}

/* Build, encode and send the active task's request. */
static ikh_err send_request(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_task *t = sa->x.active;
    ikh_msg *m = &n->out;
    ikh_msg_reset(m, t->ops->exch);
    ikh_err e = t->ops->build(t, m, now);
    if (e != IKH_OK)
        return e;
    IKH_TRY(ensure_buf(n, &sa->x.req));
    uint32_t mid = t->ops->exch == IKH_EXCH_IKE_SA_INIT ? 0 : sa->x.mid_out;
    size_t len = 0;
    IKH_TRY(encode_out(sa, m, false, mid, sa->x.req, sa->x.req_frag_len,
                       &sa->x.req_nfrag, &len));
    sa->x.req_len = len;
    sa->x.req_exch = t->ops->exch;
    sa->x.req_mid = mid;
    sa->x.tries = 1;
    sa->x.first_sent = now;
    sa->x.rtx_at = now + rtx_timeout(n, 1);
    if (t->ops->exch == IKH_EXCH_IKE_SA_INIT)
        IKH_TRY(ikh_sa_save_msg(n, &sa->init_req, &sa->init_req_len, sa->x.req,
                                len));
    ikh_exch_log_msg(sa, m, len, true, 0, sa->x.req_nfrag, now);
    return send_frags(sa, sa->x.req, sa->x.req_frag_len, sa->x.req_nfrag, now);
}

/*= rfc7296#2.21.2
 *# If the error occurs on the initiator, the notification MAY be returned
 *# in a separate INFORMATIONAL exchange, usually with no other payloads.
 *# This is an exception for the general rule of not starting new
 *# exchanges based on errors in responses.
 */
static void tell_auth_failed(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_msg *m = &n->out;
    ikh_msg_reset(m, IKH_EXCH_INFORMATIONAL);
    if (ikh_msg_add_notify(m, true, 0, IKH_N_AUTHENTICATION_FAILED,
                           ikh_span_of(NULL, 0),
                           ikh_span_of(NULL, 0)) == NULL ||
        ensure_buf(n, &sa->x.req) != IKH_OK)
        return;
    size_t len = 0;
    if (ikh_exch_encode(sa, m, false, sa->x.mid_out, sa->x.req, IKH_IKE_MSG_MAX,
                        &len) != IKH_OK)
        return;
    ikh_exch_log_msg(sa, m, len, true, 0, 1, now);
    ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_NOTIFY_ERRORS_SENT_TOTAL,
                     IKH_ERR_IKE_AUTH_FAILED);
    /* best effort, once: the SA is gone right after */
    (void)ikh_exch_send_bytes(sa, sa->x.req, len, now);
}

/* A task ended (done or failed): apply the result to the SA. */
static void task_done(ikh_ike_sa *sa, ikh_task *t, ikh_err e, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (e != IKH_OK && t->kind == IKH_TK_IKE_AUTH && t->initiator &&
        (e == IKH_ERR_IKE_AUTH_FAILED || e == IKH_ERR_IKE_ID_MISMATCH))
        tell_auth_failed(sa, now);
    if (e != IKH_OK) {
        bool setup = t->kind == IKH_TK_IKE_INIT || t->kind == IKH_TK_IKE_AUTH;
        if (setup || ikh_err_disposition(e) == IKH_DISP_FATAL ||
            e == IKH_ERR_IKE_TIMEOUT)
            ikh_sa_fail(sa, e, now);
        else {
            ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_SA_ERROR,
                                        sa->x.mid_out, t->ops->exch, now);
            ikh_log_u64(ev, "ref", sa->ref);
            ikh_log_err(ev, "code", e);
            ikh_log_str(ev, "error", ikh_err_name(e));
            (void)ikh_log_end(ev);
        }
    }
    ikh_task_free(n, t);
}

ikh_err ikh_exch_kick(ikh_ike_sa *sa, ikh_time_ms now)
{
    while (sa->x.active == NULL && sa->x.n_queue > 0 &&
           sa->state != IKH_IKE_DEAD) {
        ikh_task *t = sa->x.queue[0];
        bool setup_phase = sa->state == IKH_IKE_INIT_SENT ||
                           sa->state == IKH_IKE_AUTH_SENT ||
                           sa->state == IKH_IKE_INIT_DONE;
        bool setup_task =
            t->kind == IKH_TK_IKE_INIT || t->kind == IKH_TK_IKE_AUTH;
        if (setup_phase && !setup_task && t->kind != IKH_TK_DELETE_IKE)
            return IKH_OK; /* waits until established */
        if ((sa->state == IKH_IKE_REKEYED || sa->state == IKH_IKE_DELETING) &&
            t->kind != IKH_TK_DELETE_IKE && t->kind != IKH_TK_DELETE_CHILD)
            return IKH_OK;
        memmove(&sa->x.queue[0], &sa->x.queue[1],
                (size_t)(sa->x.n_queue - 1) * sizeof sa->x.queue[0]);
        sa->x.n_queue--;
        sa->x.active = t;
        ikh_err e = send_request(sa, now);
        if (e != IKH_OK) {
            sa->x.active = NULL;
            sa->x.rtx_at = IKH_TIME_NEVER;
            if (e == IKH_ERR_ENV_NOMEM || e == IKH_ERR_ENV_SEND) {
                task_done(sa, t, e, now);
                return e;
            }
            task_done(sa, t, e, now);
        }
    }
    return IKH_OK;
}

ikh_err ikh_exch_queue(ikh_ike_sa *sa, ikh_task *t, ikh_time_ms now)
{
    if (sa->x.n_queue >= IKH_IKE_MAX_QUEUED) {
        ikh_task_free(sa->node, t);
        return IKH_ERR_IKE_TEMPORARY;
    }
    sa->x.queue[sa->x.n_queue++] = t;
    /* not started here: the caller may be in the middle of processing a
     * message whose payloads live in the node's scratch buffers; the node
     * starts queued tasks when the current call ends (node.c kick_all) */
    (void)now;
    return IKH_OK;
}

bool ikh_exch_busy_with(const ikh_ike_sa *sa, ikh_task_kind kind)
{
    if (sa->x.active != NULL && sa->x.active->kind == kind)
        return true;
    for (size_t i = 0; i < sa->x.n_queue; i++)
        if (sa->x.queue[i]->kind == kind)
            return true;
    return false;
}

/* ---- receiving ---------------------------------------------------------- */

/* RFC 7383 §2.6: the receiver collects all fragments of a message and
 * processes the reassembled message. */
static ikh_err reassemble(ikh_ike_sa *sa, const ikh_ike_hdr *h,
                          const ikh_pl *skf, size_t chunk, size_t *out_len)
{
    ikh_node *n = sa->node;
    ikh_exch *x = &sa->x;
    uint16_t num = skf->u.skf.frag_num, total = skf->u.skf.total;
    bool resp = (h->flags & IKH_HDR_F_RESPONSE) != 0;
    /* fragments only when both sides said so (RFC 7383 §2.3) */
    IKH_CHECK(n->cfg.fragmentation && sa->peer_frag, IKH_ERR_IKE_FRAGMENT);
    IKH_CHECK(total >= 1 && total <= IKH_IKE_MAX_FRAGS && num >= 1 &&
                  num <= total,
              IKH_ERR_IKE_FRAGMENT);
    if (x->frag_total == 0 || x->frag_mid != h->mid || x->frag_resp != resp ||
        x->frag_total != total) {
        /* a new message (or a new split of it): start over */
        x->frag_total = total;
        x->frag_mid = h->mid;
        x->frag_resp = resp;
        x->frag_used = 0;
        x->frag_have = 0;
        memset(x->frag_got, 0, sizeof x->frag_got);
    }
    n->frag_pending = true;
    if (x->frag_got[num])
        return IKH_OK; /* a duplicate */
    IKH_TRY(ensure_buf(n, &x->frag_buf));
    IKH_CHECK(x->frag_used + chunk <= IKH_IKE_MSG_MAX, IKH_ERR_IKE_FRAGMENT);
    memcpy(x->frag_buf + x->frag_used, n->plain, chunk);
    x->frag_off[num] = (uint16_t)x->frag_used;
    x->frag_len[num] = (uint16_t)chunk;
    x->frag_got[num] = true;
    x->frag_used += chunk;
    x->frag_have++;
    if (num == 1)
        x->frag_first = skf->u.skf.inner;
    if (x->frag_have < total)
        return IKH_OK;
    size_t L = 0;
    for (uint16_t k = 1; k <= total; k++) {
        memcpy(n->chain + L, x->frag_buf + x->frag_off[k], x->frag_len[k]);
        L += x->frag_len[k];
    }
    x->frag_total = 0;
    n->frag_pending = false;
    n->frag_rx = total;
    *out_len = L;
    return IKH_OK;
}

/* Parse, open SK and check the rules. The message lands in n->msg. */
static ikh_err decode(ikh_ike_sa *sa, const ikh_dgram *dg, const ikh_ike_hdr *h)
{
    ikh_node *n = sa->node;
    ikh_msg *m = &n->msg;
    ikh_diag d;
    n->frag_pending = false;
    n->frag_rx = 0;
    IKH_TRY(ikh_wire_msg_parse(m, dg->data.p, dg->data.len, &d));
    const ikh_pl *sk = NULL;
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].type == IKH_PL_SK || m->pl[i].type == IKH_PL_SKF)
            sk = &m->pl[i];
    if (h->exch != IKH_EXCH_IKE_SA_INIT && sk == NULL &&
        (h->flags & IKH_HDR_F_RESPONSE) &&
        ikh_msg_notify(m, IKH_N_INVALID_IKE_SPI) != NULL) {
        /* RFC 7296 §2.21.4: the peer says it has no such IKE SA. The
         * notification is unprotected, so it is logged, not acted on. */
        ikh_exch_log_msg(sa, m, dg->data.len, false, 0, 0, n->now);
        return IKH_ERR_IKE_UNKNOWN_SPI;
    }
    if (h->exch != IKH_EXCH_IKE_SA_INIT) {
        /*= rfc7296#1.2
         *# All messages following the initial exchange are
         *# cryptographically protected using the cryptographic algorithms
         *# and keys negotiated in the IKE_SA_INIT exchange.
         */
        IKH_CHECK(sk != NULL, IKH_ERR_WIRE_RULE_SK_MISSING);
        size_t inner = 0;
        IKH_TRY(ikh_sk_open(sa, sk, dg->data.p, dg->data.len, from_initiator(h),
                            n->plain, sizeof n->plain, &inner));
        if (sk->type == IKH_PL_SKF) {
            if (sk->u.skf.frag_num == 1)
                ikh_hash_sha1(&dg->data, 1, sa->x.frag1_hash);
            IKH_TRY(reassemble(sa, h, sk, inner, &inner));
            if (n->frag_pending)
                return IKH_OK;
            IKH_TRY(ikh_wire_msg_parse_inner(m, sa->x.frag_first, n->chain,
                                             inner, sk->offset, &d));
        } else {
            IKH_TRY(ikh_wire_msg_parse_inner(m, sk->u.sk.inner, n->plain, inner,
                                             sk->offset, &d));
        }
    }
    return ikh_wire_msg_verify(m, &d);
}

/* Send the cached response again (§2.1). */
static ikh_err resend_response(ikh_ike_sa *sa, ikh_time_ms now)
{
    IKH_TRY(
        send_frags(sa, sa->x.resp, sa->x.resp_frag_len, sa->x.resp_nfrag, now));
    ikh_metric_inc_l(sa->node->env.metrics, IKH_M_IKE_MESSAGES_SENT_TOTAL,
                     sa->x.resp_exch);
    return IKH_OK;
}

/* Build the response of @p t (or an error response) and send it. */
static ikh_err respond(ikh_ike_sa *sa, ikh_task *t, ikh_err perr, uint32_t mid,
                       uint8_t exch, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_msg *m = &n->out;
    ikh_msg_reset(m, exch);
    ikh_err e = perr;
    if (e == IKH_OK) {
        e = t->ops->build(t, m, now);
        if (e != IKH_OK)
            ikh_msg_reset(m, exch);
    }
    uint16_t notify = 0;
    if (e != IKH_OK) {
        notify = t != NULL && t->notify_err ? t->notify_err
                                            : (uint16_t)ikh_err_notify(e);
        if (notify == 0)
            return e; /* nothing to say: the request is dropped */
        ikh_span data = t != NULL
                            ? ikh_span_of(t->notify_data, t->notify_data_len)
                            : ikh_span_of(NULL, 0);
        IKH_CHECK(ikh_msg_add_notify(m, exch != IKH_EXCH_IKE_SA_INIT, 0, notify,
                                     ikh_span_of(NULL, 0), data) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
        if (notify < 16384)
            ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_NOTIFY_ERRORS_SENT_TOTAL,
                             e);
    }
    IKH_TRY(ensure_buf(n, &sa->x.resp));
    size_t len = 0;
    uint64_t rspi = sa->rspi;
    /* RFC 7296 §2.6: an IKE_SA_INIT error response (e.g. HDR(A,0),
     * N(COOKIE)) carries a zero responder SPI. */
    if (exch == IKH_EXCH_IKE_SA_INIT && e != IKH_OK)
        sa->rspi = 0;
    ikh_err ee = encode_out(sa, m, true, mid, sa->x.resp, sa->x.resp_frag_len,
                            &sa->x.resp_nfrag, &len);
    sa->rspi = rspi;
    IKH_TRY(ee);
    sa->x.resp_len = len;
    sa->x.resp_mid = mid;
    sa->x.resp_exch = exch;
    if (exch == IKH_EXCH_IKE_SA_INIT && e == IKH_OK)
        IKH_TRY(ikh_sa_save_msg(n, &sa->init_resp, &sa->init_resp_len,
                                sa->x.resp, len));
    ikh_exch_log_msg(sa, m, len, true, 0, sa->x.resp_nfrag, now);
    IKH_TRY(
        send_frags(sa, sa->x.resp, sa->x.resp_frag_len, sa->x.resp_nfrag, now));
    return e == IKH_OK ? IKH_OK : e;
}

static ikh_err handle_request(ikh_ike_sa *sa, const ikh_dgram *dg,
                              const ikh_ike_hdr *h, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_msg *m = &n->msg;
    if (h->exch == IKH_EXCH_IKE_SA_INIT)
        IKH_TRY(ikh_sa_save_msg(n, &sa->init_req, &sa->init_req_len, dg->data.p,
                                dg->data.len));
    ikh_exch_log_msg(sa, m, dg->data.len, false, 0, n->frag_rx, now);
    sa->last_rx = now;
    /* remember what we answer: a retransmission must be identical */
    if (h->next_payload == IKH_PL_SKF)
        memcpy(sa->x.req_hash, sa->x.frag1_hash, IKH_SHA1_LEN);
    else
        ikh_hash_sha1(&dg->data, 1, sa->x.req_hash);
    ikh_task *t = NULL;
    ikh_err e = ikh_task_for_request(sa, m, &t);
    if (e == IKH_OK)
        e = t->ops->process(t, m, now);
    ikh_err r = respond(sa, t, e, h->mid, h->exch, now);
    if (r == IKH_ERR_ENV_NOMEM || r == IKH_ERR_ENV_SEND) {
        if (t != NULL)
            ikh_task_free(n, t);
        return r;
    }
    bool answered = sa->x.resp_nfrag > 0 && sa->x.resp_mid == h->mid;
    if (answered)
        sa->x.mid_in = h->mid + 1;
    if (h->exch == IKH_EXCH_IKE_SA_INIT && r != IKH_OK) {
        /* stateless answer (COOKIE, INVALID_KE, NO_PROPOSAL_CHOSEN) */
        ikh_sa_set_state(sa, IKH_IKE_DEAD, now);
    } else if (r != IKH_OK && (ikh_err_disposition(r) == IKH_DISP_FATAL ||
                               h->exch == IKH_EXCH_IKE_AUTH)) {
        ikh_sa_fail(sa, r, now);
    }
    if (t != NULL)
        ikh_task_free(n, t);
    return ikh_exch_kick(sa, now);
}

static ikh_err handle_response(ikh_ike_sa *sa, const ikh_dgram *dg,
                               ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_msg *m = &n->msg;
    ikh_task *t = sa->x.active;
    if (m->hdr.exch == IKH_EXCH_IKE_SA_INIT)
        IKH_TRY(ikh_sa_save_msg(n, &sa->init_resp, &sa->init_resp_len,
                                dg->data.p, dg->data.len));
    ikh_exch_log_msg(sa, m, dg->data.len, false, 0, n->frag_rx, now);
    sa->last_rx = now;
    ikh_err e = t->ops->process(t, m, now);
    if (e == IKH_OK && t->again) {
        t->again = false;
        e = send_request(sa, now);
        if (e == IKH_OK)
            return IKH_OK;
    }
    sa->x.active = NULL;
    sa->x.rtx_at = IKH_TIME_NEVER;
    if (sa->x.req_exch != IKH_EXCH_IKE_SA_INIT)
        sa->x.mid_out++;
    else
        sa->x.mid_out = 1;
    task_done(sa, t, e, now);
    return ikh_exch_kick(sa, now);
}

/* RFC 7296 §2.23: when a NAT was detected (or the peer floated, which the
 * non-ESP marker shows), answer and send to the address and port of the
 * last authenticated request, from the port it reached us on: a responder
 * follows the initiator to the NAT-T port. */
static void follow_peer(ikh_ike_sa *sa, const ikh_dgram *dg, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (!(sa->nat_local || sa->nat_remote || dg->non_esp_marker ||
          n->cfg.natt_force))
        return;
    bool moved = sa->peer_port != dg->sport || sa->local_port != dg->dport ||
                 ikh_addr_cmp(&sa->peer, &dg->src) != 0;
    sa->peer = dg->src;
    sa->peer_port = dg->sport;
    sa->local_port = dg->dport;
    bool natt = dg->non_esp_marker || dg->dport == n->cfg.natt_port;
    if (moved && natt && !sa->natt) {
        sa->natt = true;
        ikh_sa_log_natt(sa, now);
    }
}

/* RFC 7383 §2.6.1: a retransmitted fragmented request triggers the cached
 * response only on its first fragment. */
static bool later_fragment(const ikh_dgram *dg, const ikh_ike_hdr *h)
{
    if (h->next_payload != IKH_PL_SKF)
        return false;
    ikh_rd rd = ikh_rd_init(dg->data.p, dg->data.len);
    (void)ikh_rd_bytes(&rd, IKH_IKE_HDR_LEN + IKH_GENERIC_HDR_LEN);
    uint16_t num = ikh_rd_u16(&rd);
    return ikh_rd_error(&rd) == IKH_OK && num != 1;
}

ikh_err ikh_exch_recv(ikh_ike_sa *sa, const ikh_dgram *dg, const ikh_ike_hdr *h,
                      ikh_time_ms now)
{
    ikh_node *n = sa->node;
    n->rx = dg;
    bool response = (h->flags & IKH_HDR_F_RESPONSE) != 0;
    /* the peer's messages carry the peer's role in the I flag */
    if (from_initiator(h) == sa->initiator) {
        log_drop(sa, n, h, IKH_ERR_IKE_UNEXPECTED, dg->data.len, now);
        return IKH_OK;
    }
    if (!response) {
        /*= rfc7296#2.1
         *# The responder MUST remember each response until it receives a
         *# request whose sequence number is larger than or equal to the
         *# sequence number in the response plus its window size.
         */
        if (sa->x.resp_nfrag > 0 && h->mid == sa->x.resp_mid &&
            h->exch == sa->x.resp_exch && !later_fragment(dg, h)) {
            /* only the very same request is a retransmission (§2.1):
             * anything else with that Message ID gets no answer, so a
             * forged datagram cannot make us resend (amplification) */
            uint8_t hash[IKH_SHA1_LEN];
            ikh_hash_sha1(&dg->data, 1, hash);
            if (!ikh_ct_eq(hash, sa->x.req_hash, IKH_SHA1_LEN)) {
                log_drop(sa, n, h, IKH_ERR_IKE_MID_UNEXPECTED, dg->data.len,
                         now);
                return IKH_OK;
            }
            ikh_log_ev *ev =
                ikh_sa_log(sa, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_RETRANSMIT, h->mid,
                           h->exch, now);
            ikh_log_u64(ev, "tries", 0);
            ikh_log_u64(ev, "next_ms", 0);
            (void)ikh_log_end(ev);
            return resend_response(sa, now);
        }
        /* IKE_SA_INIT always has Message ID 0 (§2.2): on an SA that has
         * answered it, an IKE_SA_INIT request is only a retransmission
         * (answered above). Without this, an unauthenticated IKE_SA_INIT
         * with Message ID 1 ran the exchange again on a half-open SA. */
        if (h->mid != sa->x.mid_in || sa->lingering ||
            (h->exch == IKH_EXCH_IKE_SA_INIT && h->mid != 0)) {
            log_drop(sa, n, h,
                     sa->lingering ? IKH_ERR_IKE_UNKNOWN_SPI
                                   : IKH_ERR_IKE_MID_UNEXPECTED,
                     dg->data.len, now);
            return IKH_OK;
        }
    } else if (sa->lingering || sa->x.active == NULL ||
               h->mid != sa->x.req_mid || h->exch != sa->x.req_exch) {
        /* RFC 7296 §2.21: a response that matches no outstanding request is
         * dropped. */
        log_drop(sa, n, h, IKH_ERR_IKE_RESPONSE_UNKNOWN, dg->data.len, now);
        return IKH_OK;
    }
    ikh_err e = decode(sa, dg, h);
    if (e == IKH_OK && n->frag_pending)
        return IKH_OK; /* more fragments to come */
    if (e != IKH_OK) {
        /* RFC 7296 §2.21.2: a message that fails the integrity check is
         * dropped without reply. */
        log_drop(sa, n, h, e, dg->data.len, now);
        return IKH_OK;
    }
    if (!response && h->exch != IKH_EXCH_IKE_SA_INIT)
        follow_peer(sa, dg, now);
    return response ? handle_response(sa, dg, now)
                    : handle_request(sa, dg, h, now);
}

/* ---- timers ------------------------------------------------------------- */

ikh_err ikh_exch_expire(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (sa->x.active == NULL || sa->x.rtx_at > now)
        return IKH_OK;
    ikh_task *t = sa->x.active;
    /*= rfc7296#2.1
     *# IKE is a reliable protocol: the initiator MUST retransmit a request
     *# until it either receives a corresponding response or deems the IKE
     *# SA to have failed.
     */
    if (sa->x.tries > n->cfg.retransmit_tries) {
        sa->x.active = NULL;
        sa->x.rtx_at = IKH_TIME_NEVER;
        if (t->kind == IKH_TK_LIVENESS || sa->state == IKH_IKE_ESTABLISHED) {
            n->counters.liveness_timeouts++;
            ikh_metric_inc(n->env.metrics, IKH_M_IKE_LIVENESS_TIMEOUTS_TOTAL);
            ikh_log_ev *ev =
                ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_LIVENESS_TIMEOUT,
                           sa->x.req_mid, sa->x.req_exch, now);
            ikh_log_u64(ev, "ref", sa->ref);
            ikh_log_u64(ev, "tries", sa->x.tries);
            (void)ikh_log_end(ev);
        }
        ikh_task_free(n, t);
        ikh_sa_fail(sa, IKH_ERR_IKE_TIMEOUT, now);
        return IKH_OK;
    }
    sa->x.tries++;
    sa->x.rtx_at = now + rtx_timeout(n, sa->x.tries);
    n->counters.retransmits++;
    ikh_metric_inc(n->env.metrics, IKH_M_IKE_RETRANSMITS_TOTAL);
    ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_MESSAGES_SENT_TOTAL,
                     sa->x.req_exch);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_MSG_RETRANSMIT,
                                sa->x.req_mid, sa->x.req_exch, now);
    ikh_log_u64(ev, "tries", sa->x.tries);
    ikh_log_u64(ev, "next_ms", sa->x.rtx_at - now);
    (void)ikh_log_end(ev);
    return send_frags(sa, sa->x.req, sa->x.req_frag_len, sa->x.req_nfrag, now);
}

void ikh_exch_fini(ikh_node *n, ikh_exch *x)
{
    if (x->active != NULL)
        ikh_task_free(n, x->active);
    x->active = NULL;
    for (size_t i = 0; i < x->n_queue; i++)
        ikh_task_free(n, x->queue[i]);
    x->n_queue = 0;
    ikh_env_free(&n->env, x->req);
    ikh_env_free(&n->env, x->resp);
    ikh_env_free(&n->env, x->frag_buf);
    x->req = x->resp = x->frag_buf = NULL;
}
