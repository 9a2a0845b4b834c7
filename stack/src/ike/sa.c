/* SPDX-License-Identifier: MIT */
/*
 * The IKE SA and its Child SAs: state changes (logged as ike.sa.state and
 * ike.child.state), setup completion and failure, timers, the IKE SA key
 * schedule (RFC 7296 §2.14) and Child SA KEYMAT (§2.17), and the
 * key-table hooks.
 */
#include <stdio.h>
#include <string.h>

#include "ike/ike_int.h"
#include "ikh/names.h"

static const char *const ike_state_names[] = {
#define IKH_X_(s) #s,
    IKH_IKE_STATES(IKH_X_)
#undef IKH_X_
};
static const char *const child_state_names[] = {
#define IKH_X_(s) #s,
    IKH_CHILD_STATES(IKH_X_)
#undef IKH_X_
};

const char *ikh_ike_state_name(ikh_ike_state s)
{
    size_t n = sizeof ike_state_names / sizeof ike_state_names[0];
    return (size_t)s < n ? ike_state_names[s] : "UNKNOWN";
}

const char *ikh_child_state_name(ikh_child_state s)
{
    size_t n = sizeof child_state_names / sizeof child_state_names[0];
    return (size_t)s < n ? child_state_names[s] : "UNKNOWN";
}

ikh_log_ev *ikh_sa_log(ikh_ike_sa *sa, ikh_level lvl, ikh_event ev,
                       uint32_t mid, uint8_t exch, ikh_time_ms now)
{
    ikh_log_ev *e = ikh_log_begin(&sa->node->log, lvl, ev, now);
    if (e != NULL) /* below the log level: no name to look up */
        ikh_log_sa(e, sa->ispi, sa->rspi, mid, ikh_name(IKH_NT_EXCH, exch));
    return e;
}

static bool active_state(ikh_ike_state s)
{
    return s == IKH_IKE_ESTABLISHED || s == IKH_IKE_REKEYING;
}

void ikh_sa_set_state(ikh_ike_sa *sa, ikh_ike_state to, ikh_time_ms now)
{
    ikh_ike_state from = sa->state;
    if (from == to)
        return;
    sa->state = to;
    bool act = active_state(to);
    if (act != sa->counted_active) {
        ikh_metric_gauge_add(sa->node->env.metrics, IKH_M_IKE_SAS_ACTIVE,
                             act ? 1 : -1);
        sa->counted_active = act;
    }
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_STATE,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "from", ikh_ike_state_name(from));
    ikh_log_str(ev, "to", ikh_ike_state_name(to));
    (void)ikh_log_end(ev);
}

static bool setting_up(const ikh_ike_sa *sa)
{
    return sa->state == IKH_IKE_INIT_SENT || sa->state == IKH_IKE_INIT_DONE ||
           sa->state == IKH_IKE_AUTH_SENT;
}

static void remove_children(ikh_ike_sa *sa, const char *by, ikh_time_ms now)
{
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL)
            ikh_child_remove(sa, sa->child[i], by, now);
}

void ikh_sa_fail(ikh_ike_sa *sa, ikh_err e, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (sa->state == IKH_IKE_DEAD)
        return;
    if (sa->last_err == IKH_OK)
        sa->last_err = e;
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_WARN, IKH_EV_IKE_SA_ERROR,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_err(ev, "code", e);
    ikh_log_str(ev, "error", ikh_err_name(e));
    (void)ikh_log_end(ev);
    if (setting_up(sa)) {
        n->counters.handshake_failures++;
        ikh_metric_inc_l(n->env.metrics, IKH_M_IKE_HANDSHAKE_FAILURES_TOTAL, e);
        /* keyingtries: start over with new SPIs. Authentication failures
         * count too: a changed IKE_SA_INIT message (in-path corruption)
         * fails AUTH exactly like a wrong key would (§2.15) */
        if (sa->initiator && sa->tries_left > 0 &&
            n->n_reinit < IKH_IKE_MAX_SAS) {
            n->reinit[n->n_reinit].child_cfg = sa->child_cfg;
            n->reinit[n->n_reinit].tries_left = (uint8_t)(sa->tries_left - 1);
            n->n_reinit++;
        }
    }
    if (e == IKH_ERR_IKE_AUTH_FAILED || e == IKH_ERR_IKE_ID_MISMATCH ||
        e == IKH_ERR_CRYPTO_SIG_INVALID ||
        e == IKH_ERR_CRYPTO_SIG_UNSUPPORTED) {
        n->counters.auth_failures++;
        ikh_metric_inc(n->env.metrics, IKH_M_IKE_AUTH_FAILURES_TOTAL);
    }
    remove_children(sa, "error", now);
    ikh_log_ev *dv = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_DELETE,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(dv, "ref", sa->ref);
    ikh_log_str(dv, "by", e == IKH_ERR_IKE_TIMEOUT ? "timeout" : "error");
    (void)ikh_log_end(dv);
    ikh_sa_set_state(sa, IKH_IKE_DEAD, now);
}

/* Shorten @p ms by a random share of up to jitter_pct percent. */
static ikh_time_ms jittered(ikh_node *n, uint64_t ms)
{
    if (ms == 0)
        return ms;
    uint64_t span = ms * n->cfg.jitter_pct / 100u;
    if (span == 0)
        return ms;
    uint8_t r[4] = {0, 0, 0, 0};
    if (ikh_node_rand(n, r, sizeof r) != IKH_OK)
        return ms;
    uint32_t v = ikh_be32_get(r);
    return ms - v % (span + 1);
}

static ikh_time_ms at_or_never(ikh_time_ms now, uint64_t ms)
{
    return ms ? now + ms : IKH_TIME_NEVER;
}

/* When to try a refused rekey again (TEMPORARY_FAILURE, §2.25): 1 to 3 s
 * from now, drawn from rand so that two peers that collided do not
 * collide again at the same instant. */
ikh_time_ms ikh_sa_retry_at(ikh_ike_sa *sa, ikh_time_ms now)
{
    uint8_t r[2] = {0, 0};
    if (ikh_node_rand(sa->node, r, sizeof r) != IKH_OK)
        return now + 2000;
    return now + 1000 + ((unsigned)r[0] << 8 | r[1]) % 2000u;
}

void ikh_sa_arm_timers(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    sa->rekey_at = at_or_never(now, jittered(n, n->cfg.ike_rekey_ms));
    sa->reauth_at = at_or_never(now, jittered(n, n->cfg.reauth_ms));
    sa->expire_at = at_or_never(now, n->cfg.ike_life_ms);
    /* RFC 3948 §2.3: keepalives when we are behind a NAT */
    sa->keepalive_at = sa->natt && (sa->nat_local || n->cfg.natt_force)
                           ? now + n->cfg.keepalive_ms
                           : IKH_TIME_NEVER;
}

size_t ikh_sa_suite_name(const ikh_suite *s, bool child, char *buf, size_t cap)
{
    const ikh_xform_desc *d[4] = {s->encr, s->prf, s->integ, s->ke};
    size_t o = 0;
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 4; i++) {
        if (d[i] == NULL)
            continue;
        int w = snprintf(buf + o, cap - o, "%s%s", o ? "/" : "", d[i]->name);
        if (w < 0 || (size_t)w >= cap - o)
            return o;
        o += (size_t)w;
    }
    if (child && s->esn) {
        int w = snprintf(buf + o, cap - o, "/ESN");
        if (w > 0 && (size_t)w < cap - o)
            o += (size_t)w;
    }
    return o;
}

static void emit_ike_keys(ikh_ike_sa *sa)
{
    const ikh_key_hooks *h = &sa->node->cfg.keys;
    if (h->ike == NULL)
        return;
    ikh_ike_keyinfo k;
    memset(&k, 0, sizeof k);
    k.ispi = sa->ispi;
    k.rspi = sa->rspi;
    k.encr = sa->suite.encr->id;
    k.encr_bits = sa->suite.encr->key_bits;
    k.integ = sa->suite.integ ? sa->suite.integ->id : 0;
    k.sk_ei = ikh_span_of(sa->keys.sk_ei.b, sa->keys.sk_ei.len);
    k.sk_er = ikh_span_of(sa->keys.sk_er.b, sa->keys.sk_er.len);
    k.sk_ai = ikh_span_of(sa->keys.sk_ai.b, sa->keys.sk_ai.len);
    k.sk_ar = ikh_span_of(sa->keys.sk_ar.b, sa->keys.sk_ar.len);
    h->ike(h->user, &k);
}

/* The new IKE SA of a reauthentication is up (§2.8.3): make the old SA's
 * other Child SAs again here, then delete the old SA. */
static void reauth_done(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_ike_sa *old = ikh_node_sa_by_ref(sa->node, sa->reauth_of);
    if (old == NULL || old->state != IKH_IKE_ESTABLISHED)
        return;
    bool made[IKH_IKE_MAX_CHILD_CFG] = {false};
    made[sa->child_cfg] = true;
    for (size_t i = 0; i < old->child_top; i++) {
        const ikh_child_sa *c = old->child[i];
        if (c == NULL || c->state != IKH_CHILD_INSTALLED || made[c->cfg])
            continue;
        made[c->cfg] = true;
        ikh_task *t = NULL;
        if (ikh_task_new(sa, IKH_TK_CHILD_CREATE, true, &t) != IKH_OK)
            continue;
        t->child_cfg = c->cfg;
        t->arg = c->cfg;
        (void)ikh_exch_queue(sa, t, now);
    }
    ikh_task *d = NULL;
    if (ikh_task_new(old, IKH_TK_DELETE_IKE, true, &d) == IKH_OK)
        (void)ikh_exch_queue(old, d, now);
}

void ikh_sa_established(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_sa_set_state(sa, IKH_IKE_ESTABLISHED, now);
    n->counters.handshakes++;
    ikh_metric_inc(n->env.metrics, IKH_M_IKE_HANDSHAKES_TOTAL);
    ikh_metric_observe(n->env.metrics, IKH_M_IKE_HANDSHAKE_DURATION_MS,
                       now - sa->started);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_HANDSHAKE_DONE,
                                sa->x.mid_out, IKH_EXCH_IKE_AUTH, now);
    if (ev != NULL) { /* below the log level: no text to build */
        char suite[160];
        (void)ikh_sa_suite_name(&sa->suite, false, suite, sizeof suite);
        ikh_log_u64(ev, "ref", sa->ref);
        ikh_log_str(ev, "role", sa->initiator ? "initiator" : "responder");
        ikh_log_u64(ev, "duration_ms", now - sa->started);
        ikh_log_str(ev, "suite", suite);
        ikh_log_u64(ev, "reauth_of", sa->reauth_of);
        (void)ikh_log_end(ev);
    }
    ikh_sa_arm_timers(sa, now);
    if (sa->reauth_of != 0)
        reauth_done(sa, now);
}

/*= rfc7296#2.14
 *# {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *#                 = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr )
 */
ikh_err ikh_sa_derive_keys(ikh_ike_sa *sa, const ikh_secret *skeyseed)
{
    uint8_t si[8], sr[8];
    ikh_be64_put(si, sa->ispi);
    ikh_be64_put(sr, sa->rspi);
    size_t integ_len = sa->suite.integ ? sa->suite.integ->integ->key_len : 0;
    IKH_TRY(ikh_kdf_ike_keys_derive(
        sa->suite.prf->prf, skeyseed, ikh_span_of(sa->ni, sa->ni_len),
        ikh_span_of(sa->nr, sa->nr_len), ikh_span_of(si, 8), ikh_span_of(sr, 8),
        sa->suite.encr->encr->key_len, integ_len, &sa->keys));
    sa->have_keys = true;
    emit_ike_keys(sa);
    return IKH_OK;
}

ikh_err ikh_sa_save_msg(ikh_node *n, uint8_t **dst, size_t *dst_len,
                        const uint8_t *p, size_t len)
{
    ikh_env_free(&n->env, *dst);
    *dst = NULL;
    *dst_len = 0;
    void *b = NULL;
    IKH_TRY(ikh_env_alloc(&n->env, len ? len : 1, &b));
    memcpy(b, p, len);
    *dst = b;
    *dst_len = len;
    return IKH_OK;
}

void ikh_sa_free_contents(ikh_node *n, ikh_ike_sa *sa)
{
    /* pool leases go back (slot numbers are 1-based) */
    if (sa->pool_slot4 != 0) {
        unsigned i = sa->pool_slot4 - 1u;
        n->pool4_used[i / 8] &= (uint8_t) ~(1u << (i % 8));
    }
    if (sa->pool_slot6 != 0) {
        unsigned i = sa->pool_slot6 - 1u;
        n->pool6_used[i / 8] &= (uint8_t) ~(1u << (i % 8));
    }
    ikh_exch_fini(n, &sa->x);
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL) {
            if (sa->child[i]->counted)
                ikh_metric_gauge_add(n->env.metrics, IKH_M_IKE_CHILD_SAS_ACTIVE,
                                     -1);
            ikh_child_free(n, sa->child[i]);
            ikh_sa_child_put(sa, i, NULL);
        }
    if (sa->counted_active)
        ikh_metric_gauge_add(n->env.metrics, IKH_M_IKE_SAS_ACTIVE, -1);
    sa->counted_active = false;
    ikh_kdf_ike_keys_fini(&sa->keys);
    ikh_env_free(&n->env, sa->init_req);
    ikh_env_free(&n->env, sa->init_resp);
    sa->init_req = sa->init_resp = NULL;
    ikh_wipe(sa->ni, sizeof sa->ni);
    ikh_wipe(sa->nr, sizeof sa->nr);
}

/* ---- Child SAs ---------------------------------------------------------- */

static bool spi_in_use(const ikh_node *n, uint32_t spi)
{
    for (size_t i = 0; i < n->sa_top; i++) {
        const ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL)
            continue;
        for (size_t k = 0; k < sa->child_top; k++)
            if (sa->child[k] != NULL && sa->child[k]->spi_in == spi)
                return true;
    }
    return false;
}

ikh_err ikh_child_new(ikh_ike_sa *sa, uint8_t cfg, ikh_child_sa **out)
{
    ikh_node *n = sa->node;
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&n->env, sizeof(ikh_child_sa), &p));
    ikh_child_sa *c = p;
    memset(c, 0, sizeof *c);
    c->ref = n->next_child_ref++;
    c->state = IKH_CHILD_CREATING;
    c->cfg = cfg;
    c->rekey_at = c->expire_at = IKH_TIME_NEVER;
    /*= rfc4303#2.1
     *# The set of SPI values in the range 1 through 255 are reserved by
     *# the Internet Assigned Numbers Authority (IANA) for future use
     */
    for (int tries = 0; tries < 64; tries++) {
        uint8_t r[4];
        ikh_err e = ikh_node_rand(n, r, sizeof r);
        if (e != IKH_OK) {
            ikh_env_free(&n->env, c);
            return e;
        }
        uint32_t spi = ikh_be32_get(r);
        if (spi >= 256 && !spi_in_use(n, spi)) {
            c->spi_in = spi;
            break;
        }
    }
    if (c->spi_in == 0) {
        ikh_env_free(&n->env, c);
        return IKH_ERR_CRYPTO_FAILED;
    }
    *out = c;
    return IKH_OK;
}

void ikh_child_free(ikh_node *n, ikh_child_sa *c)
{
    if (c == NULL)
        return;
    /* The keys: KEYMAT (§2.17) and both ESP SAs' keyed parts. Both SAs
     * always (an install that failed halfway may have keyed one; a zeroed
     * SA is a no-op). Selectors, SPIs and nonces are not secret, and a
     * wipe of the whole 16 KiB Child SA cost more than the keys it held. */
    ikh_esp_sa_fini(&c->esp_in);
    ikh_esp_sa_fini(&c->esp_out);
    ikh_kdf_child_keys_fini(&c->keys);
    ikh_env_free(&n->env, c);
}

ikh_err ikh_child_attach(ikh_ike_sa *sa, ikh_child_sa *c)
{
    for (size_t i = 0; i < IKH_IKE_MAX_CHILDREN; i++)
        if (sa->child[i] == NULL) {
            ikh_sa_child_put(sa, i, c);
            return IKH_OK;
        }
    return IKH_ERR_IKE_NO_ADDITIONAL_SAS;
}

void ikh_child_set_state(ikh_ike_sa *sa, ikh_child_sa *c, ikh_child_state to,
                         ikh_time_ms now)
{
    ikh_child_state from = c->state;
    if (from == to)
        return;
    c->state = to;
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_CHILD_STATE,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_u64(ev, "child", c->ref);
    ikh_log_u64(ev, "spi_in", c->spi_in);
    ikh_log_u64(ev, "spi_out", c->spi_out);
    ikh_log_str(ev, "from", ikh_child_state_name(from));
    ikh_log_str(ev, "to", ikh_child_state_name(to));
    (void)ikh_log_end(ev);
}

static void emit_child_keys(ikh_ike_sa *sa, const ikh_child_sa *c)
{
    ikh_node *n = sa->node;
    const ikh_key_hooks *h = &n->cfg.keys;
    if (h->child == NULL)
        return;
    for (int out = 0; out < 2; out++) {
        ikh_child_keyinfo k;
        memset(&k, 0, sizeof k);
        k.src = out ? n->cfg.addr : sa->peer;
        k.dst = out ? sa->peer : n->cfg.addr;
        k.spi = out ? c->spi_out : c->spi_in;
        k.encr = c->suite.encr->id;
        k.encr_bits = c->suite.encr->key_bits;
        k.integ = c->suite.integ ? c->suite.integ->id : 0;
        k.esn = c->suite.esn;
        k.udp_encap = sa->natt;
        /* the initiator's keys protect initiator-to-responder traffic */
        bool i_to_r = (out != 0) == c->initiator;
        const ikh_secret *e = i_to_r ? &c->keys.encr_i : &c->keys.encr_r;
        const ikh_secret *a = i_to_r ? &c->keys.integ_i : &c->keys.integ_r;
        k.encr_key = ikh_span_of(e->b, e->len);
        k.integ_key = ikh_span_of(a->b, a->len);
        h->child(h->user, &k);
    }
}

void ikh_sa_log_natt(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_NATT_FLOAT,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_u64(ev, "local_port", sa->local_port);
    ikh_log_u64(ev, "peer_port", sa->peer_port);
    ikh_log_bool(ev, "nat_local", sa->nat_local);
    ikh_log_bool(ev, "nat_remote", sa->nat_remote);
    (void)ikh_log_end(ev);
}

/* "10.1.0.0-10.1.255.255" style text of one selector (ports and protocol
 * only when they narrow). */
static size_t ts_text(const ikh_ts_cfg *t, char *buf, size_t cap)
{
    size_t al = t->type == IKH_TS_IPV6_ADDR_RANGE ? 16 : 4;
    char a[48], b[48];
    ikh_addr x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    x.family = y.family = al == 16 ? 6 : 4;
    memcpy(x.a, t->start, al);
    memcpy(y.a, t->end, al);
    ikh_addr_str(&x, a, sizeof a);
    ikh_addr_str(&y, b, sizeof b);
    int w;
    if (t->ip_proto == 0 && t->start_port == 0 && t->end_port == 65535)
        w = snprintf(buf, cap, "%s-%s", a, b);
    else
        w = snprintf(buf, cap, "%s-%s[%u/%u-%u]", a, b, t->ip_proto,
                     t->start_port, t->end_port);
    return w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
}

static void ts_set_text(const ikh_ts_set *s, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n && o + 2 < cap; i++) {
        if (i > 0)
            buf[o++] = ' ';
        o += ts_text(&s->ts[i], buf + o, cap - o);
    }
}

void ikh_child_install(ikh_ike_sa *sa, ikh_child_sa *c, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    ikh_child_set_state(sa, c, IKH_CHILD_INSTALLED, now);
    if (!c->counted) {
        ikh_metric_gauge_add(n->env.metrics, IKH_M_IKE_CHILD_SAS_ACTIVE, 1);
        c->counted = true;
    }
    c->created = now;
    const ikh_child_cfg *cc = &n->cfg.children[c->cfg];
    c->rekey_at = at_or_never(now, jittered(n, cc->rekey_ms));
    c->expire_at = at_or_never(now, cc->life_ms);
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_CHILD_UP,
                                sa->x.mid_out, 0, now);
    if (ev != NULL) { /* below the log level: no text to build */
        char suite[160];
        (void)ikh_sa_suite_name(&c->suite, true, suite, sizeof suite);
        ikh_log_u64(ev, "ref", sa->ref);
        ikh_log_u64(ev, "child", c->ref);
        ikh_log_u64(ev, "spi_in", c->spi_in);
        ikh_log_u64(ev, "spi_out", c->spi_out);
        ikh_log_str(ev, "suite", suite);
        ikh_log_str(ev, "mode", c->transport ? "transport" : "tunnel");
        ikh_log_u64(ev, "rekey_of", c->rekeyed_from);
        char ts[IKH_IKE_MAX_TS * 100];
        ts_set_text(&c->ts_i, ts, sizeof ts);
        ikh_log_str(ev, "ts_i", ts);
        ts_set_text(&c->ts_r, ts, sizeof ts);
        ikh_log_str(ev, "ts_r", ts);
        (void)ikh_log_end(ev);
    }
    ikh_child_esp_install(sa, c, now);
    emit_child_keys(sa, c);
}

void ikh_child_remove(ikh_ike_sa *sa, ikh_child_sa *c, const char *by,
                      ikh_time_ms now)
{
    ikh_node *n = sa->node;
    if (c->rekeyed_to != 0) {
        /* its replacement takes over outbound traffic now */
        ikh_child_sa *nc = ikh_child_by_ref(sa, c->rekeyed_to);
        if (nc != NULL)
            nc->out_hold = false;
    }
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_CHILD_DELETE,
                                sa->x.mid_out, 0, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_u64(ev, "child", c->ref);
    ikh_log_u64(ev, "spi_in", c->spi_in);
    ikh_log_str(ev, "by", by);
    ikh_log_u64(ev, "packets_in",
                c->esp_ready ? c->esp_in.counters.packets : 0);
    ikh_log_u64(ev, "packets_out",
                c->esp_ready ? c->esp_out.counters.packets : 0);
    (void)ikh_log_end(ev);
    ikh_child_set_state(sa, c, IKH_CHILD_DELETED, now);
    if (c->counted)
        ikh_metric_gauge_add(n->env.metrics, IKH_M_IKE_CHILD_SAS_ACTIVE, -1);
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] == c)
            ikh_sa_child_put(sa, i, NULL);
    ikh_child_free(n, c);
}

ikh_child_sa *ikh_child_by_spi_in(ikh_ike_sa *sa, uint32_t spi)
{
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL && sa->child[i]->spi_in == spi)
            return sa->child[i];
    return NULL;
}

ikh_child_sa *ikh_child_by_spi_out(ikh_ike_sa *sa, uint32_t spi)
{
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL && sa->child[i]->spi_out == spi)
            return sa->child[i];
    return NULL;
}

ikh_child_sa *ikh_child_by_ref(ikh_ike_sa *sa, uint32_t ref)
{
    for (size_t i = 0; i < sa->child_top; i++)
        if (sa->child[i] != NULL && sa->child[i]->ref == ref)
            return sa->child[i];
    return NULL;
}

/*= rfc7296#2.17
 *# KEYMAT = prf+(SK_d, Ni | Nr)
 *# KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr )
 */
ikh_err ikh_child_derive(ikh_ike_sa *sa, ikh_child_sa *c,
                         const ikh_ke_state *ke, bool we_init, ikh_time_ms now)
{
    (void)now;
    ikh_span ni, nr, gir = ikh_span_of(NULL, 0);
    if (ke == NULL) {
        ni = ikh_span_of(sa->ni, sa->ni_len);
        nr = ikh_span_of(sa->nr, sa->nr_len);
    } else {
        ikh_span own = ikh_span_of(ke->n_own, ke->n_own_len);
        ikh_span peer = ikh_span_of(ke->n_peer, ke->n_peer_len);
        ni = we_init ? own : peer;
        nr = we_init ? peer : own;
        if (c->suite.ke != NULL)
            gir = ikh_span_of(ke->shared.b, ke->shared.len);
    }
    size_t integ_len = c->suite.integ ? c->suite.integ->integ->key_len : 0;
    return ikh_kdf_child_keys_derive(sa->suite.prf->prf, &sa->keys.sk_d, gir,
                                     ni, nr, c->suite.encr->encr->key_len,
                                     integ_len, &c->keys);
}
