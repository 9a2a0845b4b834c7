/* SPDX-License-Identifier: MIT */
/*
 * Running a scenario in the simulator: one IKEv2 node per peer on the sim
 * driver, links with their fault profiles, the timeline of actions, and
 * the expectations checked at their times. Everything is driven by the
 * virtual clock and the seed, so a run is replayable from (scenario,
 * seed). The caller gets the capture, the log lines and the key tables
 * through hooks; this file writes no files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/iana.h"
#include "ikh/metrics.h"
#include "ikh/names.h"
#include "ikh/scenario.h"

typedef struct run_ctx run_ctx;

/* One node in the sim: the sim hands this wrapper back to the hooks. */
typedef struct run_node {
    ikh_node *node;
    ikh_metrics metrics; /* this peer's own counters */
    run_ctx *ctx;        /* back to the run (data-plane hook) */
} run_node;

/* A traffic generator started by a TRAFFIC step. */
typedef struct run_gen {
    const ikh_scn_step *st;
    uint32_t sent;
    ikh_time_ms next;
} run_gen;

/* Counted matches of a log or notify expectation. */
struct run_ctx {
    const ikh_scenario *s;
    const ikh_scn_hooks *hooks;
    ikh_sim *sim;
    ikh_level level;
    uint64_t count[IKH_SCN_MAX_EXPECT];
    run_node nodes[IKH_SCN_MAX_PEERS];
    run_gen gens[IKH_SCN_MAX_STEPS];
    size_t n_gens;
    uint8_t pkt[9000];
};

static ikh_err rn_recv(void *node, const ikh_dgram *dg, ikh_time_ms now)
{
    run_node *r = node;
    return ikh_node_recv(r->node, dg, now);
}

static ikh_err rn_expire(void *node, ikh_time_ms now)
{
    run_node *r = node;
    return ikh_node_expire(r->node, now);
}

static ikh_time_ms rn_deadline(const void *node)
{
    const run_node *r = node;
    return ikh_node_deadline(r->node);
}

static const ikh_sim_node_ops rn_ops = {rn_recv, rn_expire, rn_deadline};

/* ---- generated traffic ------------------------------------------------------
 * Inner packets for TRAFFIC steps: IPv4 or IPv6 with an ICMP(v6) echo
 * request or a UDP datagram, checksums included. The receiving runner
 * answers echo requests with echo replies through its own node. */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* L4 checksum over the IPv6 pseudo-header (RFC 8200 §8.1), or 0 for
 * IPv4 UDP (allowed) and the ICMP checksum over the message for IPv4. */
static void l4_checksum(uint8_t *pkt, size_t hl, size_t len, bool v6,
                        uint8_t proto, size_t csum_off)
{
    uint32_t sum = 0;
    if (v6) {
        uint8_t ph[8] = {0, 0, (uint8_t)((len - hl) >> 8), (uint8_t)(len - hl),
                         0, 0, 0, proto};
        sum = csum_add(sum, pkt + 8, 32);
        sum = csum_add(sum, ph, 8);
    } else if (proto == 17) {
        return; /* IPv4 UDP: checksum 0 = none */
    }
    put16(pkt + hl + csum_off, 0);
    sum = csum_add(sum, pkt + hl, len - hl);
    put16(pkt + hl + csum_off, csum_fold(sum));
}

/* Build one packet of generator @p g into c->pkt; its length. */
static size_t build_pkt(run_ctx *c, const ikh_scn_step *st, uint32_t seq)
{
    uint8_t *p = c->pkt;
    bool v6 = st->src.family == 6;
    size_t hl = v6 ? 40 : 20, len = st->size;
    uint8_t proto = st->proto == IKH_SCN_UDP ? 17 : v6 ? 58 : 1;
    memset(p, 0, len);
    if (v6) {
        p[0] = 0x60;
        put16(p + 4, (uint16_t)(len - hl));
        p[6] = proto;
        p[7] = 64;
        memcpy(p + 8, st->src.a, 16);
        memcpy(p + 24, st->dst.a, 16);
    } else {
        p[0] = 0x45;
        put16(p + 2, (uint16_t)len);
        put16(p + 4, (uint16_t)seq);
        p[8] = 64;
        p[9] = proto;
        memcpy(p + 12, st->src.a, 4);
        memcpy(p + 16, st->dst.a, 4);
        put16(p + 10, csum_fold(csum_add(0, p, 20)));
    }
    for (size_t i = hl + 8; i < len; i++)
        p[i] = (uint8_t)(i + seq);
    if (proto == 17) {
        put16(p + hl, 40000);
        put16(p + hl + 2, st->port);
        put16(p + hl + 4, (uint16_t)(len - hl));
        l4_checksum(p, hl, len, v6, proto, 6);
    } else {
        p[hl] = v6 ? 128 : 8; /* echo request */
        put16(p + hl + 4, 0x1d4e);
        put16(p + hl + 6, (uint16_t)seq);
        l4_checksum(p, hl, len, v6, proto, 2);
    }
    return len;
}

/* Data-plane hook of every node: answer echo requests of tunnel mode. */
static void run_deliver(void *user, const ikh_inner_pkt *ip)
{
    run_node *rn = user;
    run_ctx *c = rn->ctx;
    if (ip->transport || ip->data.len < 28 || ip->data.len > sizeof c->pkt)
        return;
    uint8_t *p = c->pkt;
    memcpy(p, ip->data.p, ip->data.len);
    size_t len = ip->data.len;
    bool v6 = (p[0] >> 4) == 6;
    size_t hl = v6 ? 40 : (size_t)(p[0] & 0x0f) * 4u;
    if (hl + 8 > len)
        return;
    uint8_t proto = v6 ? p[6] : p[9];
    if (!(v6 ? proto == 58 && p[hl] == 128 : proto == 1 && p[hl] == 8))
        return;
    /* swap the addresses, make it a reply */
    uint8_t tmp[16];
    size_t al = v6 ? 16 : 4, so = v6 ? 8 : 12;
    memcpy(tmp, p + so, al);
    memcpy(p + so, p + so + al, al);
    memcpy(p + so + al, tmp, al);
    p[hl] = v6 ? 129 : 0;
    if (!v6) {
        put16(p + 10, 0);
        put16(p + 10, csum_fold(csum_add(0, p, hl)));
    }
    l4_checksum(p, hl, len, v6, proto, 2);
    /* a reply without a Child SA back is counted by the node */
    ikh_err ignored =
        ikh_node_send_inner(rn->node, p, len, ikh_sim_now(c->sim), NULL);
    (void)ignored;
}

/* The value of "key" in one of our JSON log lines, copied unquoted.
 * Our writer emits "key":"string" or "key":token with no spaces. */
static bool json_field(const char *line, size_t len, const char *key,
                       char *out, size_t cap)
{
    char pat[IKH_IKE_NAME_MAX + 4];
    int pl = snprintf(pat, sizeof pat, "\"%s\":", key);
    if (pl <= 0 || (size_t)pl >= sizeof pat)
        return false;
    for (size_t i = 0; i + (size_t)pl <= len; i++) {
        if (memcmp(line + i, pat, (size_t)pl) != 0)
            continue;
        size_t j = i + (size_t)pl, o = 0;
        bool str = j < len && line[j] == '"';
        if (str)
            j++;
        while (j < len && o + 1 < cap) {
            char c = line[j];
            if (str ? c == '"' : (c == ',' || c == '}'))
                break;
            if (str && c == '\\' && j + 1 < len)
                c = line[++j];
            out[o++] = c;
            j++;
        }
        out[o] = '\0';
        return true;
    }
    return false;
}

static bool line_matches(const run_ctx *c, const ikh_scn_expect *x,
                         const char *line, size_t len)
{
    char v[IKH_SCN_TEXT_MAX];
    const char *want_ev = x->event;
    if (x->kind == IKH_SCN_X_NOTIFY)
        want_ev = x->sent ? "ike.notify.tx" : "ike.notify.rx";
    if (!json_field(line, len, "ev", v, sizeof v) || strcmp(v, want_ev) != 0)
        return false;
    if (!x->any_peer || x->kind == IKH_SCN_X_NOTIFY) {
        if (!json_field(line, len, "node", v, sizeof v) ||
            strcmp(v, c->s->peers[x->peer].name) != 0)
            return false;
    }
    if (x->kind == IKH_SCN_X_NOTIFY) {
        const char *nm = ikh_name(IKH_NT_NOTIFY, x->notify);
        char tmp[IKH_NAME_BUF_LEN];
        if (nm == NULL)
            nm = ikh_name_or(IKH_NT_NOTIFY, x->notify, tmp, sizeof tmp);
        return json_field(line, len, "type", v, sizeof v) &&
               strcmp(v, nm) == 0;
    }
    for (size_t i = 0; i < x->n_fields; i++)
        if (!json_field(line, len, x->fields[i].key, v, sizeof v) ||
            strcmp(v, x->fields[i].value) != 0)
            return false;
    return true;
}

static void run_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    run_ctx *c = user;
    for (size_t i = 0; i < c->s->n_expect; i++) {
        const ikh_scn_expect *x = &c->s->expect[i];
        if ((x->kind == IKH_SCN_X_LOG || x->kind == IKH_SCN_X_NOTIFY) &&
            line_matches(c, x, line, len))
            c->count[i]++;
    }
    if (c->hooks != NULL && c->hooks->log != NULL && lvl <= c->level)
        c->hooks->log(c->hooks->log_user, lvl, line, len);
}

static bool cmp_ok(ikh_scn_cmp op, uint64_t got, uint64_t want)
{
    switch (op) {
    case IKH_SCN_EQ: return got == want;
    case IKH_SCN_NE: return got != want;
    case IKH_SCN_GE: return got >= want;
    case IKH_SCN_LE: return got <= want;
    case IKH_SCN_GT: return got > want;
    case IKH_SCN_LT: return got < want;
    }
    return false;
}

static const char *cmp_str(ikh_scn_cmp op)
{
    static const char *const s[] = {"==", "!=", ">=", "<=", ">", "<"};
    return (size_t)op < 6 ? s[op] : "?";
}

/* Does the negotiated transform set contain every listed transform? */
static bool suite_has(const ikh_proposal_cfg *want, uint16_t encr,
                      uint16_t bits, uint16_t prf, uint16_t integ,
                      uint16_t ke, bool esn)
{
    for (size_t i = 0; i < want->n; i++) {
        const ikh_xf_ref *r = &want->xf[i];
        bool ok = true;
        switch (r->type) {
        case IKH_XF_ENCR: ok = r->id == encr && r->key_bits == bits; break;
        case IKH_XF_PRF: ok = r->id == prf; break;
        case IKH_XF_INTEG: ok = r->id == integ; break;
        case IKH_XF_KE: ok = r->id == ke; break;
        case IKH_XF_ESN: ok = (r->id == 1) == esn; break;
        default: ok = false; break;
        }
        if (!ok)
            return false;
    }
    return true;
}

static uint64_t count_sas(const run_ctx *c, const ikh_scn_expect *x)
{
    const ikh_node *n = c->nodes[x->peer].node;
    uint64_t k = 0;
    size_t nsa = ikh_node_ike_count(n);
    for (size_t i = 0; i < nsa; i++) {
        ikh_ike_info ii;
        if (ikh_node_ike_get(n, i, &ii) != IKH_OK)
            continue;
        if (x->kind == IKH_SCN_X_IKE_SA) {
            if (x->state >= 0 && (int)ii.state != x->state)
                continue;
            if (x->has_suite && !suite_has(&x->suite, ii.encr, ii.encr_bits,
                                           ii.prf, ii.integ, ii.ke, false))
                continue;
            k++;
            continue;
        }
        for (size_t j = 0; j < ii.n_children; j++) {
            ikh_child_info ci;
            if (ikh_node_child_get(n, ii.ref, j, &ci) != IKH_OK)
                continue;
            if (x->state >= 0 && (int)ci.state != x->state)
                continue;
            if (x->has_suite && !suite_has(&x->suite, ci.encr, ci.encr_bits,
                                           0, ci.integ, ci.ke, ci.esn))
                continue;
            k++;
        }
    }
    return k;
}

/* The run's registry: every node's counters added up. */
static void sum_metrics(const run_ctx *c, ikh_metrics *out)
{
    ikh_metrics_init(out);
    for (size_t i = 0; i < c->s->n_peers; i++)
        for (size_t k = 0; k < IKH_METRICS_SLOTS; k++)
            out->v[k] += c->nodes[i].metrics.v[k];
}

static bool metric_label(ikh_metric_id id, const char *label, unsigned *out)
{
    *out = 0;
    if (label[0] == '\0')
        return true;
    const ikh_metric_info *mi = ikh_metric_info_of(id);
    if (mi == NULL)
        return false;
    switch (mi->label) {
    case IKH_ML_ERR: {
        ikh_err e;
        if (!ikh_err_from_name(label, &e))
            return false;
        *out = (unsigned)e;
        return true;
    }
    case IKH_ML_EXCH: return ikh_name_lookup(IKH_NT_EXCH, label, out) == 1;
    case IKH_ML_PAYLOAD:
        return ikh_name_lookup(IKH_NT_PAYLOAD, label, out) == 1;
    default: return false;
    }
}

static void check_expect(run_ctx *c, size_t i, ikh_scn_outcome *o)
{
    const ikh_scn_expect *x = &c->s->expect[i];
    uint64_t got = 0;
    switch (x->kind) {
    case IKH_SCN_X_IKE_SA:
    case IKH_SCN_X_CHILD_SA: got = count_sas(c, x); break;
    case IKH_SCN_X_NOTIFY:
    case IKH_SCN_X_LOG: got = c->count[i]; break;
    case IKH_SCN_X_METRIC: {
        ikh_metric_id id;
        unsigned lv = 0;
        if (ikh_metric_find(x->metric, &id) != IKH_OK ||
            !metric_label(id, x->label, &lv)) {
            o->pass = false;
            snprintf(o->detail, sizeof o->detail,
                     "no metric %.120s with label '%.100s'", x->metric, x->label);
            return;
        }
        ikh_metrics sum;
        const ikh_metrics *m = &sum;
        if (x->any_peer)
            sum_metrics(c, &sum);
        else
            m = &c->nodes[x->peer].metrics;
        if (ikh_metric_get(m, id, lv, &got) != IKH_OK)
            got = 0;
        break;
    }
    }
    o->got = got;
    o->pass = cmp_ok(x->cmp, got, x->value);
    snprintf(o->detail, sizeof o->detail, "%.180s: found %llu, expected %s %llu",
             x->text, (unsigned long long)got, cmp_str(x->cmp),
             (unsigned long long)x->value);
}

static ikh_err do_step(run_ctx *c, const ikh_scn_step *st)
{
    ikh_node *n = c->nodes[st->peer].node;
    switch (st->op) {
    case IKH_SCN_INITIATE:
        return ikh_node_initiate(n, st->child, st->at, NULL);
    case IKH_SCN_REKEY_CHILD:
        return ikh_node_action(n, IKH_ACT_REKEY_CHILD, st->ike_ref,
                               st->child_ref, st->at);
    case IKH_SCN_REKEY_IKE:
        return ikh_node_action(n, IKH_ACT_REKEY_IKE, st->ike_ref, 0, st->at);
    case IKH_SCN_DELETE_CHILD:
        return ikh_node_action(n, IKH_ACT_DELETE_CHILD, st->ike_ref,
                               st->child_ref, st->at);
    case IKH_SCN_DELETE_IKE:
        return ikh_node_action(n, IKH_ACT_DELETE_IKE, st->ike_ref, 0, st->at);
    case IKH_SCN_LIVENESS:
        return ikh_node_action(n, IKH_ACT_LIVENESS, st->ike_ref, 0, st->at);
    case IKH_SCN_CREATE_CHILD:
        return ikh_node_action(n, IKH_ACT_CREATE_CHILD, st->ike_ref,
                               st->child, st->at);
    case IKH_SCN_FAULTS: return IKH_OK; /* scheduled up front */
    case IKH_SCN_TRAFFIC:
        if (c->n_gens >= IKH_SCN_MAX_STEPS)
            return IKH_ERR_SCN_LIMIT;
        c->gens[c->n_gens].st = st;
        c->gens[c->n_gens].sent = 0;
        c->gens[c->n_gens].next = st->at;
        c->n_gens++;
        return IKH_OK;
    }
    return IKH_ERR_ARG_RANGE;
}

static void free_nodes(run_ctx *c)
{
    for (size_t i = 0; i < IKH_SCN_MAX_PEERS; i++) {
        ikh_node_free(c->nodes[i].node);
        c->nodes[i].node = NULL;
    }
}

/* Build the sim: nodes, links, fault schedule. */
static ikh_err setup(run_ctx *c, ikh_sim *sim, const ikh_scn_keys *keys)
{
    const ikh_scenario *s = c->s;
    const ikh_scn_hooks *h = c->hooks;
    size_t idx[IKH_SCN_MAX_PEERS];
    for (size_t i = 0; i < s->n_peers; i++)
        IKH_TRY(ikh_sim_node_add(sim, &s->peers[i].cfg.addr, &rn_ops,
                                 &c->nodes[i], &idx[i]));
    for (size_t i = 0; i < s->n_peers; i++) {
        ikh_ike_config cfg = s->peers[i].cfg;
        if (keys != NULL) {
            if (keys->own[i] != NULL)
                cfg.auth.key = keys->own[i];
            if (keys->peer[i] != NULL)
                cfg.peer_auth.key = keys->peer[i];
        }
        if (h != NULL)
            cfg.keys = h->keys;
        c->nodes[i].ctx = c;
        cfg.data.deliver = run_deliver;
        cfg.data.user = &c->nodes[i];
        ikh_env env;
        IKH_TRY(ikh_sim_node_env(sim, idx[i], &env));
        env.log = run_log;
        env.log_user = c;
        ikh_metrics_init(&c->nodes[i].metrics);
        env.metrics = &c->nodes[i].metrics;
        IKH_TRY(ikh_node_new(&cfg, &env, &c->nodes[i].node));
    }
    for (size_t i = 0; i < s->n_links; i++) {
        const ikh_scn_link *l = &s->links[i];
        size_t li = 0;
        IKH_TRY(ikh_sim_link_add(sim, &s->peers[l->a].cfg.addr,
                                 &s->peers[l->b].cfg.addr, &l->ab, &l->ba,
                                 &li));
    }
    for (size_t i = 0; i < s->n_steps; i++) {
        const ikh_scn_step *st = &s->steps[i];
        if (st->op == IKH_SCN_FAULTS)
            IKH_TRY(ikh_sim_schedule(sim, st->at, st->link, st->dir,
                                     &st->faults));
    }
    return IKH_OK;
}

ikh_err ikh_scn_run(const ikh_scenario *s, uint64_t seed,
                    const ikh_scn_keys *keys, const ikh_scn_hooks *hooks,
                    const ikh_mem *mem, ikh_scn_result *res)
{
    IKH_CHECK(s != NULL && res != NULL, IKH_ERR_ARG_INVALID);
    memset(res, 0, sizeof *res);
    ikh_env menv;
    memset(&menv, 0, sizeof menv);
    menv.mem = mem;
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&menv, sizeof(run_ctx), &p));
    run_ctx *c = p;
    memset(c, 0, sizeof *c);
    c->s = s;
    c->hooks = hooks;
    c->level = hooks != NULL && hooks->level != IKH_LVL_ERROR ? hooks->level
                                                               : IKH_LVL_DEBUG;
    ikh_sim_config sc;
    memset(&sc, 0, sizeof sc);
    sc.seed = seed;
    sc.mem = mem;
    if (hooks != NULL) {
        sc.tap = hooks->tap;
        sc.tap_user = hooks->tap_user;
    }
    ikh_sim *sim = NULL;
    ikh_err e = ikh_sim_new(&sc, &sim);
    c->sim = sim;
    if (e == IKH_OK)
        e = setup(c, sim, keys);
    /* walk steps and timed expectations in time order */
    size_t si = 0;
    bool done[IKH_SCN_MAX_EXPECT];
    memset(done, 0, sizeof done);
    while (e == IKH_OK) {
        ikh_time_ms t_step =
            si < s->n_steps ? s->steps[si].at : IKH_TIME_NEVER;
        ikh_time_ms t_x = IKH_TIME_NEVER;
        size_t xi = 0;
        for (size_t i = 0; i < s->n_expect; i++)
            if (!done[i] && s->expect[i].at != IKH_TIME_NEVER &&
                s->expect[i].at < t_x) {
                t_x = s->expect[i].at;
                xi = i;
            }
        ikh_time_ms t_gen = IKH_TIME_NEVER;
        size_t gi = 0;
        for (size_t i = 0; i < c->n_gens; i++)
            if (c->gens[i].sent < c->gens[i].st->count &&
                c->gens[i].next < t_gen) {
                t_gen = c->gens[i].next;
                gi = i;
            }
        ikh_time_ms t = t_step < t_x ? t_step : t_x;
        t = t_gen < t ? t_gen : t;
        if (t == IKH_TIME_NEVER || t > s->duration)
            break;
        e = ikh_sim_run(sim, t, NULL);
        if (e != IKH_OK)
            break;
        if (t_gen == t && t_gen < t_step && t_gen <= t_x) {
            /* one packet of a traffic step; failures are counted by the
             * node (ikh_esp_drops_total) */
            run_gen *g = &c->gens[gi];
            size_t len = build_pkt(c, g->st, g->sent + 1);
            ikh_err ignored = ikh_node_send_inner(c->nodes[g->st->peer].node,
                                                  c->pkt, len, t, NULL);
            (void)ignored;
            g->sent++;
            g->next += g->st->interval_ms;
            continue;
        }
        if (t_x < t_step) {
            check_expect(c, xi, &res->expect[xi]);
            done[xi] = true;
            continue;
        }
        const ikh_scn_step *st = &s->steps[si++];
        ikh_err se = do_step(c, st);
        if (se != IKH_OK) {
            if (res->step_errors++ == 0)
                snprintf(res->first_step_error,
                         sizeof res->first_step_error,
                         "line %u: step failed: %s (%s)", st->line,
                         ikh_err_name(se), ikh_err_str(se));
        }
    }
    if (e == IKH_OK)
        e = ikh_sim_run(sim, s->duration, NULL);
    if (e == IKH_OK) {
        for (size_t i = 0; i < s->n_expect; i++)
            if (!done[i])
                check_expect(c, i, &res->expect[i]);
        res->n_expect = s->n_expect;
        res->pass = res->step_errors == 0;
        for (size_t i = 0; i < s->n_expect; i++)
            res->pass = res->pass && res->expect[i].pass;
        res->end = ikh_sim_now(sim);
        ikh_sim_stats_get(sim, &res->sim);
        if (hooks != NULL && hooks->metrics != NULL)
            sum_metrics(c, hooks->metrics);
    }
    free_nodes(c);
    ikh_sim_free(sim);
    ikh_env_free(&menv, c);
    return e;
}
