/* SPDX-License-Identifier: MIT */
/*
 * The node's data plane: Child SAs keyed into ESP SAs (RFC 4303) when they
 * are installed, the outbound policy lookup by traffic selectors (RFC 4301
 * style SPD over the negotiated TSi/TSr), ESP in and out (UDP-encapsulated
 * on the NAT-T port when the IKE SA floated, RFC 3948), NAT keepalives,
 * and INVALID_SPI for ESP the node has no SA for (RFC 7296 §3.10.1).
 *
 * Make-before-break on rekey: a rekeyed Child SA keeps decapsulating on
 * its inbound SPI until it is deleted, while outbound traffic moves to the
 * newest installed Child SA at once.
 */
#include <string.h>

#include "ike/ike_int.h"

/* ---- keying ----------------------------------------------------------------
 */

void ikh_child_esp_install(ikh_ike_sa *sa, ikh_child_sa *c, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    const ikh_child_cfg *cc = &n->cfg.children[c->cfg];
    /* the keys of the exchange initiator protect initiator-to-responder
     * traffic (§2.17) */
    const ikh_secret *eo = c->initiator ? &c->keys.encr_i : &c->keys.encr_r;
    const ikh_secret *ao = c->initiator ? &c->keys.integ_i : &c->keys.integ_r;
    const ikh_secret *ei = c->initiator ? &c->keys.encr_r : &c->keys.encr_i;
    const ikh_secret *ai = c->initiator ? &c->keys.integ_r : &c->keys.integ_i;
    ikh_esp_sa_config o, i;
    memset(&o, 0, sizeof o);
    o.spi = c->spi_out;
    o.outbound = true;
    o.encr = c->suite.encr;
    o.integ = c->suite.integ;
    o.encr_key = ikh_span_of(eo->b, eo->len);
    o.integ_key = ikh_span_of(ao->b, ao->len);
    o.esn = c->suite.esn;
    o.soft_packets = cc->soft_packets;
    o.hard_packets = cc->hard_packets;
    i = o;
    i.spi = c->spi_in;
    i.outbound = false;
    i.encr_key = ikh_span_of(ei->b, ei->len);
    i.integ_key = ikh_span_of(ai->b, ai->len);
    i.window = cc->replay_window;
    ikh_err e = ikh_esp_sa_init(&c->esp_out, &o);
    if (e == IKH_OK)
        e = ikh_esp_sa_init(&c->esp_in, &i);
    c->esp_ready = e == IKH_OK;
    if (e != IKH_OK) {
        ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_SA_ERROR,
                                    sa->x.mid_out, 0, now);
        ikh_log_u64(ev, "ref", sa->ref);
        ikh_log_err(ev, "code", e);
        ikh_log_str(ev, "error", "ESP SA could not be keyed");
        (void)ikh_log_end(ev);
    }
}

/* ---- inner packets and selectors ------------------------------------------
 */

typedef struct inner {
    ikh_addr src, dst;
    uint8_t proto;
    uint16_t sport, dport;
    size_t hdr_len;   /* IP header octets */
    size_t total_len; /* IP packet octets */
} inner;

/* The addresses, protocol and ports of an IPv4 / IPv6 packet (no IPv6
 * extension headers are walked: the first Next Header is the protocol). */
static ikh_err parse_inner(const uint8_t *p, size_t len, inner *o)
{
    memset(o, 0, sizeof *o);
    ikh_rd rd = ikh_rd_init(p, len);
    uint8_t vh = ikh_rd_u8(&rd);
    if ((vh >> 4) == 4) {
        o->hdr_len = (size_t)(vh & 0x0f) * 4u;
        (void)ikh_rd_u8(&rd);
        o->total_len = ikh_rd_u16(&rd);
        (void)ikh_rd_bytes(&rd, 5);
        o->proto = ikh_rd_u8(&rd);
        (void)ikh_rd_u16(&rd);
        ikh_span s = ikh_rd_bytes(&rd, 4), d = ikh_rd_bytes(&rd, 4);
        IKH_CHECK(ikh_rd_error(&rd) == IKH_OK && o->hdr_len >= 20 &&
                      o->total_len >= o->hdr_len && o->total_len <= len,
                  IKH_ERR_ESP_INNER);
        o->src.family = o->dst.family = 4;
        memcpy(o->src.a, s.p, 4);
        memcpy(o->dst.a, d.p, 4);
    } else if ((vh >> 4) == 6) {
        (void)ikh_rd_bytes(&rd, 3);
        size_t plen = ikh_rd_u16(&rd);
        o->proto = ikh_rd_u8(&rd);
        (void)ikh_rd_u8(&rd);
        ikh_span s = ikh_rd_bytes(&rd, 16), d = ikh_rd_bytes(&rd, 16);
        o->hdr_len = 40;
        o->total_len = 40 + plen;
        IKH_CHECK(ikh_rd_error(&rd) == IKH_OK && o->total_len <= len,
                  IKH_ERR_ESP_INNER);
        o->src.family = o->dst.family = 6;
        memcpy(o->src.a, s.p, 16);
        memcpy(o->dst.a, d.p, 16);
    } else {
        return IKH_ERR_ESP_INNER;
    }
    if ((o->proto == 6 || o->proto == 17) && o->total_len >= o->hdr_len + 4) {
        ikh_rd l4 = ikh_rd_init(p + o->hdr_len, o->total_len - o->hdr_len);
        o->sport = ikh_rd_u16(&l4);
        o->dport = ikh_rd_u16(&l4);
    }
    return IKH_OK;
}

static bool ts_covers(const ikh_ts_set *s, const ikh_addr *a, uint8_t proto,
                      uint16_t port)
{
    size_t al = a->family == 6 ? 16 : 4;
    uint8_t type =
        a->family == 6 ? IKH_TS_IPV6_ADDR_RANGE : IKH_TS_IPV4_ADDR_RANGE;
    for (size_t i = 0; i < s->n; i++) {
        const ikh_ts_cfg *t = &s->ts[i];
        if (t->type == type && (t->ip_proto == 0 || t->ip_proto == proto) &&
            port >= t->start_port && port <= t->end_port &&
            memcmp(a->a, t->start, al) >= 0 && memcmp(a->a, t->end, al) <= 0)
            return true;
    }
    return false;
}

/* The newest installed, keyed Child SA whose selectors cover @p in. */
static ikh_child_sa *spd_lookup(ikh_node *n, const inner *in,
                                ikh_ike_sa **owner)
{
    ikh_child_sa *best = NULL;
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL || sa->lingering ||
            (sa->state != IKH_IKE_ESTABLISHED && sa->state != IKH_IKE_REKEYING))
            continue;
        for (size_t k = 0; k < sa->child_top; k++) {
            ikh_child_sa *c = sa->child[k];
            if (c == NULL || !c->esp_ready || c->out_hold)
                continue;
            bool usable = c->state == IKH_CHILD_INSTALLED ||
                          c->state == IKH_CHILD_REKEYING;
            if (!usable && c->state == IKH_CHILD_REKEYED) {
                /* still the outbound SA while its replacement is held */
                ikh_child_sa *nc = ikh_child_by_ref(sa, c->rekeyed_to);
                usable = nc != NULL && nc->out_hold;
            }
            if (!usable)
                continue;
            const ikh_ts_set *loc = c->initiator ? &c->ts_i : &c->ts_r;
            const ikh_ts_set *rem = c->initiator ? &c->ts_r : &c->ts_i;
            if (!ts_covers(loc, &in->src, in->proto, in->sport) ||
                !ts_covers(rem, &in->dst, in->proto, in->dport))
                continue;
            if (best == NULL || c->ref > best->ref) {
                best = c;
                *owner = sa;
            }
        }
    }
    return best;
}

static void esp_drop(ikh_node *n, ikh_err e, uint32_t spi, size_t len,
                     ikh_time_ms now)
{
    ikh_metric_inc_l(n->env.metrics, IKH_M_ESP_DROPS_TOTAL, e);
    if (e == IKH_ERR_ESP_REPLAYED || e == IKH_ERR_ESP_TOO_OLD)
        ikh_metric_inc(n->env.metrics, IKH_M_ESP_REPLAY_DROPS_TOTAL);
    else if (e == IKH_ERR_CRYPTO_ICV)
        ikh_metric_inc(n->env.metrics, IKH_M_ESP_ICV_FAILURES_TOTAL);
    else if (e == IKH_ERR_ESP_UNKNOWN_SPI)
        ikh_metric_inc(n->env.metrics, IKH_M_ESP_INVALID_SPI_TOTAL);
    ikh_log_ev *ev =
        ikh_log_begin(&n->log, IKH_LVL_DEBUG, IKH_EV_ESP_DROP, now);
    ikh_log_err(ev, "code", e);
    ikh_log_str(ev, "error", ikh_err_name(e));
    ikh_log_u64(ev, "spi", spi);
    ikh_log_u64(ev, "len", len);
    (void)ikh_log_end(ev);
}

/* Hand an ESP datagram (or a keepalive) to the network. */
static ikh_err esp_send(ikh_ike_sa *sa, ikh_span data)
{
    ikh_node *n = sa->node;
    ikh_dgram dg;
    memset(&dg, 0, sizeof dg);
    dg.src = n->cfg.addr;
    dg.dst = sa->peer;
    dg.esp = true;
    if (sa->natt) {
        /* RFC 3948 §2.1: ESP in UDP on the NAT-T port, no marker */
        dg.sport = n->cfg.natt_port;
        dg.dport = sa->peer_port;
    }
    dg.data = data;
    ikh_err e = ikh_env_send(&n->env, &dg);
    if (e != IKH_OK)
        ikh_metric_inc(n->env.metrics, IKH_M_ENV_SEND_FAILURES_TOTAL);
    return e;
}

ikh_err ikh_node_send_inner(ikh_node *n, const uint8_t *pkt, size_t len,
                            ikh_time_ms now, uint32_t *child_ref)
{
    IKH_CHECK(n != NULL && (pkt != NULL || len == 0), IKH_ERR_ARG_INVALID);
    if (now > n->now)
        n->now = now;
    inner in;
    ikh_err e = parse_inner(pkt, len, &in);
    if (e != IKH_OK) {
        esp_drop(n, e, 0, len, now);
        return e;
    }
    ikh_ike_sa *sa = NULL;
    ikh_child_sa *c = spd_lookup(n, &in, &sa);
    if (c == NULL) {
        esp_drop(n, IKH_ERR_ESP_NO_POLICY, 0, len, now);
        return IKH_ERR_ESP_NO_POLICY;
    }
    /* tunnel mode carries the whole packet (Next Header 4 / 41); transport
     * mode its payload behind the outer header (RFC 4303 §3.1) */
    const uint8_t *pl = pkt;
    size_t plen = in.total_len;
    uint8_t nh = in.src.family == 6 ? IKH_ESP_NH_IPV6 : IKH_ESP_NH_IPV4;
    if (c->transport) {
        pl = pkt + in.hdr_len;
        plen = in.total_len - in.hdr_len;
        nh = in.proto;
    }
    IKH_CHECK(IKH_ESP_HEADROOM + plen + IKH_ESP_TAILROOM <= sizeof n->esp_tx,
              IKH_ERR_ARG_INVALID);
    memcpy(n->esp_tx + IKH_ESP_HEADROOM, pl, plen);
    ikh_rand r = ikh_node_rand_src(n);
    ikh_span out;
    bool soft = false;
    e = ikh_esp_sa_encap(&c->esp_out, n->esp_tx, sizeof n->esp_tx,
                         IKH_ESP_HEADROOM, plen, nh, 0, &r, &out, &soft);
    if (e != IKH_OK) {
        esp_drop(n, e, c->spi_out, len, now);
        return e;
    }
    if (soft && !ikh_exch_busy_with(sa, IKH_TK_CHILD_REKEY)) {
        /* RFC 4303 §3.3.3: rekey before the sequence numbers run out */
        ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_ESP_SOFT_LIMIT,
                                    sa->x.mid_out, 0, now);
        ikh_log_u64(ev, "ref", sa->ref);
        ikh_log_u64(ev, "child", c->ref);
        ikh_log_u64(ev, "spi", c->spi_out);
        (void)ikh_log_end(ev);
        ikh_task *t = NULL;
        if (ikh_task_new(sa, IKH_TK_CHILD_REKEY, true, &t) == IKH_OK) {
            t->arg = c->ref;
            (void)ikh_exch_queue(sa, t, now);
            (void)ikh_exch_kick(sa, now);
        }
    }
    ikh_metric_inc(n->env.metrics, IKH_M_ESP_PACKETS_ENCRYPTED_TOTAL);
    ikh_metric_add(n->env.metrics, IKH_M_ESP_OCTETS_ENCRYPTED_TOTAL, plen);
    if (child_ref != NULL)
        *child_ref = c->ref;
    return esp_send(sa, out);
}

/* The Child SA (of any IKE SA) with inbound SPI @p spi. */
static ikh_child_sa *by_spi_in(ikh_node *n, uint32_t spi, ikh_ike_sa **owner)
{
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL)
            continue;
        ikh_child_sa *c = ikh_child_by_spi_in(sa, spi);
        if (c != NULL && c->esp_ready) {
            *owner = sa;
            return c;
        }
    }
    return NULL;
}

/* RFC 7296 §3.10.1: INVALID_SPI "MAY be sent in an INFORMATIONAL exchange
 * when a node receives an ESP or AH packet with an invalid SPI"; at most
 * once a second per IKE SA with that peer. */
static void tell_invalid_spi(ikh_node *n, const ikh_dgram *dg, uint32_t spi,
                             ikh_time_ms now)
{
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL || sa->state != IKH_IKE_ESTABLISHED || sa->lingering ||
            ikh_addr_cmp(&sa->peer, &dg->src) != 0 || sa->invalid_spi_at > now)
            continue;
        sa->invalid_spi_at = now + 1000;
        ikh_task *t = NULL;
        if (ikh_task_new(sa, IKH_TK_LIVENESS, true, &t) != IKH_OK)
            return;
        t->notify_err = IKH_N_INVALID_SPI;
        ikh_be32_put(t->notify_data, spi);
        t->notify_data_len = 4;
        sa->liveness_pending = true;
        (void)ikh_exch_queue(sa, t, now);
        return;
    }
}

ikh_err ikh_node_recv_esp(ikh_node *n, const ikh_dgram *dg, ikh_time_ms now)
{
    /* RFC 3948 §2.3: a NAT keepalive is one octet 0xFF; ignore it */
    if (dg->data.len == 1 && dg->data.p[0] == 0xFF)
        return IKH_OK;
    uint32_t spi = 0;
    ikh_err e = ikh_esp_peek_spi(dg->data, &spi);
    if (e != IKH_OK || dg->data.len > sizeof n->esp_rx) {
        esp_drop(n, e != IKH_OK ? e : IKH_ERR_ESP_TRUNCATED, 0, dg->data.len,
                 now);
        return IKH_OK;
    }
    ikh_ike_sa *sa = NULL;
    ikh_child_sa *c = by_spi_in(n, spi, &sa);
    if (c == NULL) {
        esp_drop(n, IKH_ERR_ESP_UNKNOWN_SPI, spi, dg->data.len, now);
        tell_invalid_spi(n, dg, spi, now);
        return IKH_OK;
    }
    memcpy(n->esp_rx, dg->data.p, dg->data.len);
    ikh_span payload;
    uint8_t nh = 0;
    e = ikh_esp_sa_decap(&c->esp_in, n->esp_rx, dg->data.len, &payload, &nh);
    if (e != IKH_OK) {
        esp_drop(n, e, spi, dg->data.len, now);
        return IKH_OK;
    }
    /* authenticated traffic from the peer: it is alive (§2.4); and a
     * packet on a held SA proves the peer has it: send on it too */
    sa->last_rx = now;
    c->out_hold = false;
    ikh_metric_inc(n->env.metrics, IKH_M_ESP_PACKETS_DECRYPTED_TOTAL);
    ikh_metric_add(n->env.metrics, IKH_M_ESP_OCTETS_DECRYPTED_TOTAL,
                   payload.len);
    const ikh_data_hooks *h = &n->cfg.data;
    if (h->deliver != NULL) {
        ikh_inner_pkt p;
        memset(&p, 0, sizeof p);
        p.ike_ref = sa->ref;
        p.child_ref = c->ref;
        p.next_header = nh;
        p.transport = c->transport;
        p.data = payload;
        h->deliver(h->user, &p);
    }
    return IKH_OK;
}

/* RFC 3948 §2.3: behind a NAT, send a keepalive every keepalive_ms so the
 * NAT mapping stays. */
ikh_err ikh_sa_keepalive(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (!sa->natt || !(sa->nat_local || n->cfg.natt_force) ||
        sa->state != IKH_IKE_ESTABLISHED) {
        sa->keepalive_at = IKH_TIME_NEVER;
        return IKH_OK;
    }
    if (sa->keepalive_at == IKH_TIME_NEVER) {
        sa->keepalive_at = now + n->cfg.keepalive_ms;
        return IKH_OK;
    }
    if (sa->keepalive_at > now)
        return IKH_OK;
    sa->keepalive_at = now + n->cfg.keepalive_ms;
    static const uint8_t ka = 0xFF;
    ikh_metric_inc(n->env.metrics, IKH_M_ESP_NAT_KEEPALIVES_TOTAL);
    return esp_send(sa, ikh_span_of(&ka, 1));
}
