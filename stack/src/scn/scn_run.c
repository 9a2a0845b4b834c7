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

/* The run: the sim, its nodes, traffic generators, expectation checks. */
struct run_ctx {
    const ikh_scenario *s;
    const ikh_scn_hooks *hooks;
    ikh_sim *sim;
    ikh_level level;
    ikh_scn_check check; /* log counts; nodes and registries */
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
    if (!ikh_scn_echo_reply(p, len))
        return;
    /* a reply without a Child SA back is counted by the node */
    ikh_err ignored =
        ikh_node_send_inner(rn->node, p, len, ikh_sim_now(c->sim), NULL);
    (void)ignored;
}

static void run_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    run_ctx *c = user;
    ikh_scn_check_line(&c->check, line, len);
    if (c->hooks != NULL && c->hooks->log != NULL && lvl <= c->level)
        c->hooks->log(c->hooks->log_user, lvl, line, len);
}

ikh_err ikh_scn_step_node(ikh_node *n, const ikh_scn_step *st, ikh_time_ms now)
{
    IKH_CHECK(n != NULL && st != NULL, IKH_ERR_ARG_INVALID);
    switch (st->op) {
    case IKH_SCN_INITIATE:
        return ikh_node_initiate(n, st->child, now, NULL);
    case IKH_SCN_REKEY_CHILD:
        return ikh_node_action(n, IKH_ACT_REKEY_CHILD, st->ike_ref,
                               st->child_ref, now);
    case IKH_SCN_REKEY_IKE:
        return ikh_node_action(n, IKH_ACT_REKEY_IKE, st->ike_ref, 0, now);
    case IKH_SCN_DELETE_CHILD:
        return ikh_node_action(n, IKH_ACT_DELETE_CHILD, st->ike_ref,
                               st->child_ref, now);
    case IKH_SCN_DELETE_IKE:
        return ikh_node_action(n, IKH_ACT_DELETE_IKE, st->ike_ref, 0, now);
    case IKH_SCN_LIVENESS:
        return ikh_node_action(n, IKH_ACT_LIVENESS, st->ike_ref, 0, now);
    case IKH_SCN_CREATE_CHILD:
        return ikh_node_action(n, IKH_ACT_CREATE_CHILD, st->ike_ref, st->child,
                               now);
    case IKH_SCN_FAULTS:
    case IKH_SCN_TRAFFIC:
        break;
    }
    return IKH_ERR_ARG_RANGE;
}

static ikh_err do_step(run_ctx *c, const ikh_scn_step *st)
{
    switch (st->op) {
    case IKH_SCN_FAULTS:
        return IKH_OK; /* scheduled up front */
    case IKH_SCN_TRAFFIC:
        if (c->n_gens >= IKH_SCN_MAX_STEPS)
            return IKH_ERR_SCN_LIMIT;
        c->gens[c->n_gens].st = st;
        c->gens[c->n_gens].sent = 0;
        c->gens[c->n_gens].next = st->at;
        c->n_gens++;
        return IKH_OK;
    default:
        return ikh_scn_step_node(c->nodes[st->peer].node, st, st->at);
    }
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
        c->check.nodes[i] = c->nodes[i].node;
        c->check.metrics[i] = &c->nodes[i].metrics;
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
            IKH_TRY(
                ikh_sim_schedule(sim, st->at, st->link, st->dir, &st->faults));
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
    ikh_scn_check_init(&c->check, s);
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
        ikh_time_ms t_step = si < s->n_steps ? s->steps[si].at : IKH_TIME_NEVER;
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
            size_t len = ikh_scn_traffic_packet(g->st, g->sent + 1, c->pkt,
                                                sizeof c->pkt);
            ikh_err ignored = ikh_node_send_inner(c->nodes[g->st->peer].node,
                                                  c->pkt, len, t, NULL);
            (void)ignored;
            g->sent++;
            g->next += g->st->interval_ms;
            continue;
        }
        if (t_x < t_step) {
            ikh_scn_check_expect(&c->check, xi, &res->expect[xi]);
            done[xi] = true;
            continue;
        }
        const ikh_scn_step *st = &s->steps[si++];
        ikh_err se = do_step(c, st);
        if (se != IKH_OK) {
            if (res->step_errors++ == 0)
                snprintf(res->first_step_error, sizeof res->first_step_error,
                         "line %u: step failed: %s (%s)", st->line,
                         ikh_err_name(se), ikh_err_str(se));
        }
    }
    if (e == IKH_OK)
        e = ikh_sim_run(sim, s->duration, NULL);
    if (e == IKH_OK) {
        for (size_t i = 0; i < s->n_expect; i++)
            if (!done[i])
                ikh_scn_check_expect(&c->check, i, &res->expect[i]);
        res->n_expect = s->n_expect;
        res->pass = res->step_errors == 0;
        for (size_t i = 0; i < s->n_expect; i++)
            res->pass = res->pass && res->expect[i].pass;
        res->end = ikh_sim_now(sim);
        ikh_sim_stats_get(sim, &res->sim);
        if (hooks != NULL && hooks->metrics != NULL)
            ikh_scn_check_metrics(&c->check, hooks->metrics);
    }
    free_nodes(c);
    ikh_sim_free(sim);
    ikh_env_free(&menv, c);
    return e;
}
