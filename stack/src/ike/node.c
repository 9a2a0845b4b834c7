/* SPDX-License-Identifier: MIT */
/*
 * The node: configuration checks, the sans-I/O entry points (recv, expire,
 * deadline), IKE SA lookup by SPIs (RFC 7296 §2.2), the actions scenarios
 * and live peers start, and the views tests and runners read.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "ike/ike_int.h"

void ikh_ike_config_init(ikh_ike_config *c)
{
    memset(c, 0, sizeof *c);
    memcpy(c->name, "node", 5);
}

ikh_err ikh_node_rand(ikh_node *n, uint8_t *out, size_t len)
{
    return ikh_env_rand(&n->env, out, len);
}

static void rand_fn(void *user, uint8_t *out, size_t len)
{
    ikh_node *n = user;
    if (ikh_env_rand(&n->env, out, len) != IKH_OK)
        memset(out, 0, len);
}

ikh_rand ikh_node_rand_src(ikh_node *n)
{
    ikh_rand r = {rand_fn, n};
    return r;
}

const ikh_xform_desc *const *ikh_node_xforms(const ikh_node *n)
{
    return n->cfg.xforms ? n->cfg.xforms : ikh_crypto_default_list();
}

/* Every configured transform must exist in the allowed list. */
static bool props_known(const ikh_xform_desc *const *list,
                        const ikh_proposal_cfg *p, size_t np, bool ike)
{
    for (size_t i = 0; i < np; i++) {
        bool encr = false;
        for (size_t k = 0; k < p[i].n; k++) {
            const ikh_xf_ref *r = &p[i].xf[k];
            if (r->type == IKH_XF_ESN && r->id <= 1)
                continue;
            if ((r->type == IKH_XF_KE && r->id == IKH_KE_NONE) ||
                (r->type == IKH_XF_INTEG && r->id == IKH_INTEG_NONE))
                continue;
            const ikh_xform_desc *d =
                ikh_crypto_find(list, r->type, r->id, r->key_bits);
            if (d == NULL || (ike ? !d->ike : !d->esp))
                return false;
            encr = encr || r->type == IKH_XF_ENCR;
        }
        if (!encr)
            return false;
    }
    return true;
}

static bool auth_ok(const ikh_auth_cfg *a, bool own)
{
    if (a->method == IKH_AUTH_SHARED_KEY_MIC)
        return a->psk_len > 0 && a->psk_len <= IKH_IKE_PSK_MAX;
    if (a->method == 0)
        return !own; /* peer: any method we can check */
    return a->key != NULL && (!own || a->key->has_private);
}

ikh_err ikh_node_new(const ikh_ike_config *cfg, const ikh_env *env,
                     ikh_node **out)
{
    IKH_CHECK(cfg != NULL && env != NULL && out != NULL, IKH_ERR_ARG_INVALID);
    *out = NULL;
    const ikh_xform_desc *const *list =
        cfg->xforms ? cfg->xforms : ikh_crypto_default_list();
    IKH_CHECK(cfg->n_props >= 1 && cfg->n_props <= IKH_IKE_MAX_PROPOSALS,
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(props_known(list, cfg->props, cfg->n_props, true),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(cfg->n_children <= IKH_IKE_MAX_CHILD_CFG, IKH_ERR_ARG_INVALID);
    for (size_t i = 0; i < cfg->n_children; i++) {
        const ikh_child_cfg *c = &cfg->children[i];
        IKH_CHECK(c->n_props >= 1 && c->n_props <= IKH_IKE_MAX_PROPOSALS &&
                      c->n_local_ts <= IKH_IKE_MAX_TS &&
                      c->n_remote_ts <= IKH_IKE_MAX_TS,
                  IKH_ERR_ARG_INVALID);
        IKH_CHECK(props_known(list, c->props, c->n_props, false),
                  IKH_ERR_ARG_INVALID);
    }
    IKH_CHECK(auth_ok(&cfg->auth, true) && auth_ok(&cfg->peer_auth, false),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(cfg->addr.family == 4 || cfg->addr.family == 6,
              IKH_ERR_ARG_INVALID);

    void *p = NULL;
    IKH_TRY(ikh_env_alloc(env, sizeof(ikh_node), &p));
    ikh_node *n = p;
    memset(n, 0, offsetof(ikh_node, msg)); /* the scratch buffers after it
                                              are written before use */
    n->cfg = *cfg;
    n->env = *env;
    n->cfg.name[IKH_IKE_NAME_MAX - 1] = '\0';
    /* defaults (ikh_ike_config documents them) */
    if (n->cfg.port == 0)
        n->cfg.port = IKH_PORT_IKE;
    if (n->cfg.natt_port == 0)
        n->cfg.natt_port = IKH_PORT_NATT;
    if (n->cfg.peer_port == 0)
        n->cfg.peer_port = IKH_PORT_IKE;
    if (n->cfg.peer_natt_port == 0)
        n->cfg.peer_natt_port = IKH_PORT_NATT;
    if (n->cfg.retransmit_base_ms == 0)
        n->cfg.retransmit_base_ms = 4000;
    if (n->cfg.retransmit_factor_pm == 0)
        n->cfg.retransmit_factor_pm = 1800;
    if (n->cfg.retransmit_tries == 0)
        n->cfg.retransmit_tries = 5;
    if (n->cfg.half_open_ms == 0)
        n->cfg.half_open_ms = 30000;
    if (n->cfg.fragment_size == 0)
        n->cfg.fragment_size = 1280;
    if (n->cfg.window == 0)
        n->cfg.window = 1;
    if (n->cfg.keepalive_ms == 0)
        n->cfg.keepalive_ms = 20000;
    if (n->cfg.max_children == 0 || n->cfg.max_children > IKH_IKE_MAX_CHILDREN)
        n->cfg.max_children = IKH_IKE_MAX_CHILDREN;
    if (n->cfg.keyingtries == 0)
        n->cfg.keyingtries = 1;
    if (n->cfg.jitter_pct > 100)
        n->cfg.jitter_pct = 100;
    if (n->cfg.peer_auth.method == 0 &&
        n->cfg.auth.method == IKH_AUTH_SHARED_KEY_MIC)
        n->cfg.peer_auth = n->cfg.auth;
    n->next_ref = 1;
    n->next_child_ref = 1;
    ikh_err e = ikh_log_init(&n->log, env->log,
                             env->log_user ? env->log_user : env->user,
                             IKH_LVL_DEBUG, n->cfg.name);
    (void)e; /* a long name logs as "" and is still usable */
    ikh_log_set_metrics(&n->log, env->metrics);
    e = ikh_node_rand(n, n->cookie_secret, sizeof n->cookie_secret);
    if (e != IKH_OK) {
        ikh_env_free(env, n);
        return e;
    }
    *out = n;
    return IKH_OK;
}

/* A rekey task's new IKE SA (ikh_task::new_sa) has a slot of its own, so
 * the slot walk of ikh_node_free() frees it: the task must not free it
 * again when its own SA's slot comes later (found by fuzz_ike_session: a
 * second IKE rekey whose new SA took the slot freed by the first). */
static void tasks_forget_new_sa(ikh_ike_sa *sa)
{
    if (sa->x.active != NULL)
        sa->x.active->new_sa = NULL;
    for (size_t k = 0; k < sa->x.n_queue; k++)
        sa->x.queue[k]->new_sa = NULL;
}

void ikh_node_free(ikh_node *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL)
            tasks_forget_new_sa(n->sa[i]);
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL)
            ikh_node_sa_release(n, n->sa[i]);
    ikh_wipe(n->cookie_secret, sizeof n->cookie_secret);
    ikh_wipe(n->plain, sizeof n->plain);
    ikh_env env = n->env;
    ikh_env_free(&env, n);
}

ikh_err ikh_node_sa_new(ikh_node *n, bool initiator, ikh_ike_sa **out)
{
    size_t slot = IKH_IKE_MAX_SAS;
    for (size_t i = 0; i < IKH_IKE_MAX_SAS && slot == IKH_IKE_MAX_SAS; i++)
        if (n->sa[i] == NULL)
            slot = i;
    IKH_CHECK(slot < IKH_IKE_MAX_SAS, IKH_ERR_IKE_SA_LIMIT);
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&n->env, sizeof(ikh_ike_sa), &p));
    ikh_ike_sa *sa = p;
    memset(sa, 0, sizeof *sa);
    sa->node = n;
    sa->ref = n->next_ref++;
    sa->initiator = initiator;
    sa->peer_window = 1;
    sa->x.rtx_at = IKH_TIME_NEVER;
    sa->rekey_at = sa->reauth_at = sa->expire_at = sa->delete_at =
        IKH_TIME_NEVER;
    sa->keepalive_at = IKH_TIME_NEVER;
    sa->state = initiator ? IKH_IKE_INIT_SENT : IKH_IKE_INIT_DONE;
    /* our SPI: random, never zero (§3.1) */
    uint8_t b[8];
    do {
        ikh_err e = ikh_node_rand(n, b, sizeof b);
        if (e != IKH_OK) {
            ikh_env_free(&n->env, sa);
            return e;
        }
    } while (ikh_be64_get(b) == 0);
    if (initiator)
        sa->ispi = ikh_be64_get(b);
    else
        sa->rspi = ikh_be64_get(b);
    ikh_node_sa_put(n, slot, sa);
    *out = sa;
    return IKH_OK;
}

void ikh_node_sa_release(ikh_node *n, ikh_ike_sa *sa)
{
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] == sa)
            ikh_node_sa_put(n, i, NULL);
    /* the keys (SK_*) and nonces are wiped there; the rest of the SA
     * (SPIs, states, timers, selectors) is not secret */
    ikh_sa_free_contents(n, sa);
    ikh_env_free(&n->env, sa);
}

ikh_ike_sa *ikh_node_sa_by_ref(const ikh_node *n, uint32_t ref)
{
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL && n->sa[i]->ref == ref)
            return n->sa[i];
    return NULL;
}

static ikh_err start_setup(ikh_node *n, size_t child_cfg, uint8_t tries_left,
                           const ikh_ike_sa *reauth_of, ikh_time_ms now,
                           uint32_t *ike_ref);
static void reinit(ikh_node *n, ikh_time_ms now);

/* Start queued tasks on every SA; the first hook failure is returned. */
static ikh_err kick_all(ikh_node *n, ikh_time_ms now)
{
    ikh_err first = IKH_OK;
    for (size_t i = 0; i < n->sa_top; i++) {
        if (n->sa[i] == NULL)
            continue;
        ikh_err e = ikh_exch_kick(n->sa[i], now);
        if (e != IKH_OK && first == IKH_OK)
            first = e;
    }
    return first;
}

/* Free SAs that ended; start setups keyingtries asked for; start queued
 * tasks. Called at the end of every entry point. */
static void sweep(ikh_node *n)
{
    reinit(n, n->now);
    (void)kick_all(n, n->now);
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL && n->sa[i]->state == IKH_IKE_DEAD)
            ikh_node_sa_release(n, n->sa[i]);
}

/* Read the fixed IKE header (§3.1) without parsing the payloads. */
static ikh_err peek_hdr(ikh_span d, ikh_ike_hdr *h)
{
    ikh_rd rd = ikh_rd_init(d.p, d.len);
    ikh_wire_hdr_read(&rd, h);
    IKH_CHECK(ikh_rd_error(&rd) == IKH_OK, IKH_ERR_WIRE_HDR_SHORT);
    /*= rfc7296#3.1
     *# Implementations based on this version of IKE MUST set the major
     *# version to 2.  Implementations based on previous versions of IKE and
     *# ISAKMP MUST set the major version to 1.
     */
    IKH_CHECK((h->version >> 4) == 2, IKH_ERR_WIRE_BAD_MAJOR);
    return IKH_OK;
}

static size_t half_open_count(const ikh_node *n)
{
    size_t c = 0;
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL && !n->sa[i]->initiator &&
            n->sa[i]->state == IKH_IKE_INIT_DONE)
            c++;
    return c;
}

size_t ikh_node_half_open(const ikh_node *n)
{
    return half_open_count(n);
}

static ikh_ike_sa *find_sa(ikh_node *n, const ikh_dgram *dg,
                           const ikh_ike_hdr *h)
{
    bool resp = (h->flags & IKH_HDR_F_RESPONSE) != 0;
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL || sa->state == IKH_IKE_DEAD || sa->ispi != h->ispi)
            continue;
        if (h->exch == IKH_EXCH_IKE_SA_INIT) {
            /* responder: the same initiator again (retransmission);
             * initiator: the response carries the new responder SPI */
            if (!resp && !sa->initiator &&
                ikh_addr_cmp(&sa->peer, &dg->src) == 0 &&
                sa->x.resp_nfrag > 0 && sa->x.resp_exch == h->exch)
                return sa;
            if (resp && sa->initiator && sa->state == IKH_IKE_INIT_SENT)
                return sa;
            continue;
        }
        if (sa->rspi == h->rspi)
            return sa;
    }
    return NULL;
}

ikh_err ikh_node_recv(ikh_node *n, const ikh_dgram *dg, ikh_time_ms now)
{
    IKH_CHECK(n != NULL && dg != NULL, IKH_ERR_ARG_INVALID);
    assert(now >= n->now); /* a caller bug, not peer input */
    n->now = now;
    if (dg->esp) {
        ikh_err ee = ikh_node_recv_esp(n, dg, now);
        sweep(n);
        return ee;
    }
    ikh_ike_hdr h;
    ikh_err e = peek_hdr(dg->data, &h);
    if (e != IKH_OK) {
        ikh_node_log_drop(n, NULL, e, dg->data.len, now);
        return IKH_OK;
    }
    ikh_ike_sa *sa = find_sa(n, dg, &h);
    bool fresh = false;
    if (sa == NULL && h.exch == IKH_EXCH_IKE_SA_INIT &&
        !(h.flags & IKH_HDR_F_RESPONSE) && h.rspi == 0 && h.mid == 0 &&
        (h.flags & IKH_HDR_F_INITIATOR)) {
        /* RFC 7296 §2.6 describes half-open IKE SA exhaustion; new
         * IKE_SA_INIT requests beyond max_half_open are dropped. */
        if (n->cfg.max_half_open != 0 &&
            half_open_count(n) >= n->cfg.max_half_open) {
            ikh_node_log_drop(n, &h, IKH_ERR_IKE_SA_LIMIT, dg->data.len, now);
            return IKH_OK;
        }
        e = ikh_node_sa_new(n, false, &sa);
        if (e != IKH_OK) {
            ikh_node_log_drop(n, &h, e, dg->data.len, now);
            return e == IKH_ERR_ENV_NOMEM ? e : IKH_OK;
        }
        fresh = true;
        sa->ispi = h.ispi;
        sa->peer = dg->src;
        sa->peer_port = dg->sport;
        sa->local_port = dg->dport;
        sa->natt = dg->non_esp_marker;
        sa->started = now;
        sa->expire_at = now + n->cfg.half_open_ms;
    }
    if (sa == NULL) {
        /*= rfc7296#2.21.4
         *# If a node receives a message on UDP port 500 or 4500 outside the
         *# context of an IKE SA known to it (and the message is not a
         *# request to start an IKE SA), this may be the result of a recent
         *# crash of the node.  If the message is marked as a request, the
         *# node can audit the suspicious event and MAY send a response.
         */
        ikh_node_log_drop(n, &h, IKH_ERR_IKE_UNKNOWN_SPI, dg->data.len, now);
        ikh_node_answer_unknown_spi(n, dg, &h, now);
        return IKH_OK;
    }
    e = ikh_exch_recv(sa, dg, &h, now);
    /* a new responder SA whose first message was dropped (it failed to
     * parse or verify) holds nothing worth keeping (§2.6: no state for
     * requests we do not answer) */
    if (fresh && sa->x.resp_nfrag == 0)
        sa->state = IKH_IKE_DEAD;
    sweep(n);
    return e;
}

/* Queue a task of @p kind on @p sa. */
static ikh_err start_task(ikh_ike_sa *sa, ikh_task_kind kind, uint32_t arg,
                          ikh_time_ms now)
{
    ikh_task *t = NULL;
    IKH_TRY(ikh_task_new(sa, kind, true, &t));
    t->arg = arg;
    t->child_cfg = arg;
    if (kind == IKH_TK_LIVENESS)
        sa->liveness_pending = true;
    return ikh_exch_queue(sa, t, now);
}

/* Does @p sa run a liveness timer now? RFC 7296 §2.4: a liveness check is
 * a request sent after a silence; while a request of ours is out or
 * queued it is that request which shows the peer alive or, when its
 * retransmissions run out, declares it dead. Before this, a full task
 * queue refused the liveness task again and again while the deadline kept
 * reporting it (found by fuzz_ike_session: an event loop spun). */
static bool liveness_due(const ikh_ike_sa *sa)
{
    return sa->node->cfg.liveness_ms != 0 && !sa->liveness_pending &&
           sa->x.active == NULL && sa->x.n_queue == 0;
}

static void keep_first(ikh_err *first, ikh_err e)
{
    if (e != IKH_OK && *first == IKH_OK)
        *first = e;
}

/* Start the task timer @p at asks for. Queued: the timer is disarmed (the
 * task re-arms what it needs when it ends). Refused because the SA's task
 * queue is full (TEMPORARY): the timer fires again a little later, so a
 * full queue delays a rekey or a hard-lifetime delete instead of losing it
 * (RFC 7296 §2.8: an SA past its lifetime must go). Before this, the timer
 * was disarmed first, the rekey was never tried again, and the Child SAs
 * after the refused one kept due timers until the next expire call (found
 * by fuzz_ike_session_crypto: a deadline that did not move after expire,
 * and ikh_node_expire() returned TEMPORARY, which its contract does not
 * list). Any other error disarms the timer and is returned. */
static ikh_err timer_task(ikh_ike_sa *sa, ikh_task_kind kind, uint32_t arg,
                          ikh_time_ms *at, ikh_time_ms now)
{
    ikh_err e = start_task(sa, kind, arg, now);
    if (e == IKH_ERR_IKE_TEMPORARY) {
        *at = ikh_sa_retry_at(sa, now);
        return IKH_OK; /* deferred, not failed (ikh_node_expire's contract) */
    }
    *at = IKH_TIME_NEVER;
    return e;
}

static ikh_err sa_timers(ikh_ike_sa *sa, ikh_time_ms now)
{
    ikh_node *n = sa->node;
    IKH_TRY(ikh_exch_expire(sa, now));
    if (sa->state == IKH_IKE_DEAD)
        return IKH_OK;
    if (sa->state == IKH_IKE_INIT_SENT || sa->state == IKH_IKE_INIT_DONE ||
        sa->state == IKH_IKE_AUTH_SENT) {
        if (sa->expire_at <= now)
            ikh_sa_fail(sa, IKH_ERR_IKE_HALF_OPEN_EXPIRED, now);
        return IKH_OK;
    }
    if (sa->lingering) {
        if (sa->delete_at <= now)
            sa->state = IKH_IKE_DEAD; /* its delete was logged already */
        return IKH_OK;
    }
    if (sa->state == IKH_IKE_REKEYED || sa->state == IKH_IKE_DELETING) {
        if (sa->delete_at <= now) {
            ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_SA_DELETE,
                                        sa->x.mid_out, 0, now);
            ikh_log_u64(ev, "ref", sa->ref);
            ikh_log_str(ev, "by", "rekey");
            (void)ikh_log_end(ev);
            ikh_sa_set_state(sa, IKH_IKE_DEAD, now);
        }
        return IKH_OK;
    }
    if (sa->state != IKH_IKE_ESTABLISHED)
        return IKH_OK;
    if (sa->expire_at <= now)
        return timer_task(sa, IKH_TK_DELETE_IKE, 0, &sa->expire_at, now);
    ikh_err first = IKH_OK;
    if (sa->rekey_at <= now) {
        if (ikh_exch_busy_with(sa, IKH_TK_IKE_REKEY))
            sa->rekey_at = IKH_TIME_NEVER;
        else
            keep_first(&first,
                       timer_task(sa, IKH_TK_IKE_REKEY, 0, &sa->rekey_at, now));
    }
    if (sa->reauth_at <= now) {
        /* RFC 7296 §2.8.3: reauthenticate make-before-break: a new IKE SA
         * with the first Child SA's configuration; when it is up, the
         * other Child SAs are made again on it and this SA is deleted
         * (ikh_sa_established) */
        sa->reauth_at = IKH_TIME_NEVER;
        uint8_t cc = 0;
        uint32_t oldest = UINT32_MAX;
        for (size_t i = 0; i < sa->child_top; i++)
            if (sa->child[i] != NULL && sa->child[i]->ref < oldest) {
                oldest = sa->child[i]->ref;
                cc = sa->child[i]->cfg;
            }
        if (n->cfg.n_children > 0)
            keep_first(&first,
                       start_setup(n, cc, (uint8_t)(n->cfg.keyingtries - 1), sa,
                                   now, NULL));
    }
    if (liveness_due(sa) && sa->last_rx + n->cfg.liveness_ms <= now)
        keep_first(&first, start_task(sa, IKH_TK_LIVENESS, 0, now));
    keep_first(&first, ikh_sa_keepalive(sa, now));
    /* every Child SA's timers run, whatever happened to another's */
    for (size_t i = 0; i < sa->child_top; i++) {
        ikh_child_sa *c = sa->child[i];
        if (c == NULL || c->state != IKH_CHILD_INSTALLED)
            continue;
        if (c->expire_at <= now) {
            c->rekey_at = IKH_TIME_NEVER;
            keep_first(&first, timer_task(sa, IKH_TK_DELETE_CHILD, c->ref,
                                          &c->expire_at, now));
        } else if (c->rekey_at <= now) {
            keep_first(&first, timer_task(sa, IKH_TK_CHILD_REKEY, c->ref,
                                          &c->rekey_at, now));
        }
    }
    return first;
}

ikh_err ikh_node_expire(ikh_node *n, ikh_time_ms now)
{
    IKH_CHECK(n != NULL, IKH_ERR_ARG_INVALID);
    assert(now >= n->now);
    n->now = now;
    ikh_err first = IKH_OK;
    for (size_t i = 0; i < n->sa_top; i++) {
        if (n->sa[i] == NULL)
            continue;
        ikh_err e = sa_timers(n->sa[i], now);
        if (e != IKH_OK && first == IKH_OK)
            first = e;
    }
    sweep(n);
    return first;
}

static ikh_time_ms tmin(ikh_time_ms a, ikh_time_ms b)
{
    return a < b ? a : b;
}

ikh_time_ms ikh_node_deadline(const ikh_node *n)
{
    ikh_time_ms d = IKH_TIME_NEVER;
    if (n == NULL)
        return d;
    for (size_t i = 0; i < n->sa_top; i++) {
        const ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL || sa->state == IKH_IKE_DEAD)
            continue;
        if (sa->x.active != NULL)
            d = tmin(d, sa->x.rtx_at);
        switch (sa->state) {
        case IKH_IKE_INIT_SENT:
        case IKH_IKE_INIT_DONE:
        case IKH_IKE_AUTH_SENT:
            d = tmin(d, sa->expire_at);
            break;
        case IKH_IKE_REKEYED:
        case IKH_IKE_DELETING:
            d = tmin(d, sa->delete_at);
            break;
        case IKH_IKE_ESTABLISHED:
            d = tmin(d, tmin(sa->expire_at, tmin(sa->rekey_at, sa->reauth_at)));
            d = tmin(d, sa->keepalive_at);
            if (liveness_due(sa))
                d = tmin(d, sa->last_rx + n->cfg.liveness_ms);
            for (size_t k = 0; k < sa->child_top; k++) {
                const ikh_child_sa *c = sa->child[k];
                if (c != NULL && c->state == IKH_CHILD_INSTALLED)
                    d = tmin(d, tmin(c->rekey_at, c->expire_at));
            }
            break;
        default:
            break;
        }
    }
    return d;
}

/* Start the setups keyingtries asked for (after a failure). */
static void reinit(ikh_node *n, ikh_time_ms now)
{
    while (n->n_reinit > 0) {
        uint8_t c = n->reinit[0].child_cfg, left = n->reinit[0].tries_left;
        memmove(&n->reinit[0], &n->reinit[1],
                (size_t)(n->n_reinit - 1) * sizeof n->reinit[0]);
        n->n_reinit--;
        (void)start_setup(n, c, left, NULL, now, NULL);
    }
}

ikh_err ikh_node_initiate(ikh_node *n, size_t child_cfg, ikh_time_ms now,
                          uint32_t *ike_ref)
{
    IKH_CHECK(n != NULL, IKH_ERR_ARG_INVALID);
    assert(now >= n->now);
    n->now = now;
    IKH_CHECK(child_cfg < n->cfg.n_children, IKH_ERR_ARG_RANGE);
    ikh_err e = start_setup(n, child_cfg, (uint8_t)(n->cfg.keyingtries - 1),
                            NULL, now, ike_ref);
    sweep(n);
    return e;
}

static ikh_err start_setup(ikh_node *n, size_t child_cfg, uint8_t tries_left,
                           const ikh_ike_sa *reauth_of, ikh_time_ms now,
                           uint32_t *ike_ref)
{
    ikh_ike_sa *sa = NULL;
    IKH_TRY(ikh_node_sa_new(n, true, &sa));
    sa->peer = n->cfg.peer_addr;
    sa->peer_port = n->cfg.peer_port;
    sa->local_port = n->cfg.port;
    if (reauth_of != NULL) {
        /* reauthentication: a new IKE SA with the same peer (§2.8.3) */
        sa->peer = reauth_of->peer;
        sa->reauth_of = reauth_of->ref;
    }
    sa->started = now;
    sa->tries_left = tries_left;
    sa->child_cfg = (uint8_t)child_cfg;
    /* the initiator's setup ends by its retransmission budget (§2.1);
     * half-open expiry protects responders (§2.6) */
    if (ike_ref != NULL)
        *ike_ref = sa->ref;
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_HANDSHAKE_START, 0,
                                IKH_EXCH_IKE_SA_INIT, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "role", "initiator");
    (void)ikh_log_end(ev);
    ikh_err e = start_task(sa, IKH_TK_IKE_INIT, (uint32_t)child_cfg, now);
    if (e == IKH_OK)
        e = start_task(sa, IKH_TK_IKE_AUTH, (uint32_t)child_cfg, now);
    if (e != IKH_OK)
        ikh_sa_fail(sa, e, now);
    return e;
}

/* The newest SA in a usable state, or the one with @p ref. */
static ikh_ike_sa *pick_sa(ikh_node *n, uint32_t ref)
{
    if (ref != 0)
        return ikh_node_sa_by_ref(n, ref);
    ikh_ike_sa *best = NULL;
    for (size_t i = 0; i < n->sa_top; i++) {
        ikh_ike_sa *sa = n->sa[i];
        if (sa != NULL && sa->state == IKH_IKE_ESTABLISHED &&
            (best == NULL || sa->ref > best->ref))
            best = sa;
    }
    return best;
}

static ikh_child_sa *pick_child(ikh_ike_sa *sa, uint32_t ref)
{
    if (ref != 0)
        return ikh_child_by_ref(sa, ref);
    ikh_child_sa *best = NULL;
    for (size_t i = 0; i < sa->child_top; i++) {
        ikh_child_sa *c = sa->child[i];
        if (c != NULL && c->state == IKH_CHILD_INSTALLED &&
            (best == NULL || c->ref > best->ref))
            best = c;
    }
    return best;
}

ikh_err ikh_node_action(ikh_node *n, ikh_action act, uint32_t ike_ref,
                        uint32_t arg, ikh_time_ms now)
{
    IKH_CHECK(n != NULL, IKH_ERR_ARG_INVALID);
    assert(now >= n->now);
    n->now = now;
    ikh_ike_sa *sa = pick_sa(n, ike_ref);
    IKH_CHECK(sa != NULL && sa->state == IKH_IKE_ESTABLISHED, IKH_ERR_STATE);
    ikh_child_sa *c = NULL;
    ikh_err e;
    switch (act) {
    case IKH_ACT_REKEY_CHILD:
    case IKH_ACT_DELETE_CHILD:
        c = pick_child(sa, arg);
        IKH_CHECK(c != NULL && c->state == IKH_CHILD_INSTALLED, IKH_ERR_STATE);
        e = start_task(sa,
                       act == IKH_ACT_REKEY_CHILD ? IKH_TK_CHILD_REKEY
                                                  : IKH_TK_DELETE_CHILD,
                       c->ref, now);
        break;
    case IKH_ACT_REKEY_IKE:
        e = start_task(sa, IKH_TK_IKE_REKEY, 0, now);
        break;
    case IKH_ACT_DELETE_IKE:
        e = start_task(sa, IKH_TK_DELETE_IKE, 0, now);
        break;
    case IKH_ACT_LIVENESS:
        e = start_task(sa, IKH_TK_LIVENESS, 0, now);
        break;
    case IKH_ACT_CREATE_CHILD:
        IKH_CHECK(arg < n->cfg.n_children, IKH_ERR_ARG_RANGE);
        e = start_task(sa, IKH_TK_CHILD_CREATE, arg, now);
        break;
    default:
        return IKH_ERR_ARG_RANGE;
    }
    sweep(n);
    return e;
}

size_t ikh_node_ike_count(const ikh_node *n)
{
    size_t c = 0;
    for (size_t i = 0; n != NULL && i < n->sa_top; i++)
        c += n->sa[i] != NULL && !n->sa[i]->lingering;
    return c;
}

/* The @p idx-th SA in ref order (refs are unique). The listed SAs are
 * sorted by ref, by insertion: slots are mostly taken in ref order, so the
 * sort is near linear. The walk of one table pass per rank it replaced made
 * a listing of all SAs quadratic: 4,000 steps for the last of 64. */
static const ikh_ike_sa *nth_sa(const ikh_node *n, size_t idx)
{
    const ikh_ike_sa *v[IKH_IKE_MAX_SAS];
    size_t cnt = 0;
    for (size_t i = 0; i < n->sa_top; i++)
        if (n->sa[i] != NULL && !n->sa[i]->lingering)
            v[cnt++] = n->sa[i];
    if (idx >= cnt)
        return NULL;
    for (size_t i = 1; i < cnt; i++) {
        const ikh_ike_sa *x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1]->ref > x->ref; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[idx];
}

static uint16_t id_of(const ikh_xform_desc *d)
{
    return d ? d->id : 0;
}

ikh_err ikh_node_ike_get(const ikh_node *n, size_t idx, ikh_ike_info *out)
{
    IKH_CHECK(n != NULL && out != NULL, IKH_ERR_ARG_INVALID);
    const ikh_ike_sa *sa = nth_sa(n, idx);
    IKH_CHECK(sa != NULL, IKH_ERR_ARG_RANGE);
    memset(out, 0, sizeof *out);
    out->ref = sa->ref;
    out->state = sa->state;
    out->initiator = sa->initiator;
    out->ispi = sa->ispi;
    out->rspi = sa->rspi;
    out->encr = id_of(sa->suite.encr);
    out->encr_bits = sa->suite.encr ? sa->suite.encr->key_bits : 0;
    out->prf = id_of(sa->suite.prf);
    out->integ = id_of(sa->suite.integ);
    out->ke = id_of(sa->suite.ke);
    out->rekeyed_from = sa->rekeyed_from;
    out->natt = sa->natt;
    out->nat_local = sa->nat_local;
    out->nat_remote = sa->nat_remote;
    out->fragmentation = sa->peer_frag && n->cfg.fragmentation;
    out->vip4 = sa->vip4;
    out->vip6 = sa->vip6;
    out->last_err = sa->last_err;
    for (size_t i = 0; i < sa->child_top; i++)
        out->n_children += sa->child[i] != NULL;
    out->mid_next_out = sa->x.mid_out;
    out->mid_next_in = sa->x.mid_in;
    out->peer_window = sa->peer_window;
    return IKH_OK;
}

ikh_err ikh_node_child_get(const ikh_node *n, uint32_t ike_ref, size_t idx,
                           ikh_child_info *out)
{
    IKH_CHECK(n != NULL && out != NULL, IKH_ERR_ARG_INVALID);
    const ikh_ike_sa *sa = ikh_node_sa_by_ref(n, ike_ref);
    IKH_CHECK(sa != NULL && !sa->lingering, IKH_ERR_ARG_RANGE);
    /* children in ref order */
    uint32_t last = 0;
    const ikh_child_sa *c = NULL;
    for (size_t k = 0; k <= idx; k++) {
        c = NULL;
        for (size_t i = 0; i < sa->child_top; i++) {
            const ikh_child_sa *x = sa->child[i];
            if (x != NULL && x->ref > last && (c == NULL || x->ref < c->ref))
                c = x;
        }
        IKH_CHECK(c != NULL, IKH_ERR_ARG_RANGE);
        last = c->ref;
    }
    memset(out, 0, sizeof *out);
    out->ref = c->ref;
    out->ike_ref = sa->ref;
    out->state = c->state;
    out->spi_in = c->spi_in;
    out->spi_out = c->spi_out;
    out->encr = id_of(c->suite.encr);
    out->encr_bits = c->suite.encr ? c->suite.encr->key_bits : 0;
    out->integ = id_of(c->suite.integ);
    out->ke = id_of(c->suite.ke);
    out->esn = c->suite.esn;
    out->transport = c->transport;
    out->initiator = c->initiator;
    out->cfg = c->cfg;
    out->rekeyed_from = c->rekeyed_from;
    out->n_ts_i = c->ts_i.n;
    out->n_ts_r = c->ts_r.n;
    memcpy(out->ts_i, c->ts_i.ts, sizeof out->ts_i);
    memcpy(out->ts_r, c->ts_r.ts, sizeof out->ts_r);
    if (c->esp_ready) {
        out->packets_out = c->esp_out.counters.packets;
        out->octets_out = c->esp_out.counters.octets;
        out->packets_in = c->esp_in.counters.packets;
        out->octets_in = c->esp_in.counters.octets;
        out->replay_drops = c->esp_in.counters.replayed;
        out->icv_failures = c->esp_in.counters.icv_failures;
    }
    return IKH_OK;
}

void ikh_node_counters(const ikh_node *n, ikh_ike_counters *out)
{
    if (n != NULL && out != NULL)
        *out = n->counters;
}
