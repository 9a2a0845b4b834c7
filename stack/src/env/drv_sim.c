/* SPDX-License-Identifier: MIT */
/*
 * The sim driver (sim.h): a virtual clock, a bounded min-heap of pending
 * deliveries ordered by (time, sequence number), links with per-direction
 * fault profiles switched by a schedule, and a tap. Every random decision
 * comes from the sim's own HMAC_DRBG, drawn in a fixed order, so the same
 * seed and the same node behaviour give the same run on every machine.
 */
#include <string.h>

#include "ikh/drbg.h"
#include "ikh/sim.h"

typedef struct sim_event {
    ikh_time_ms t;
    uint64_t seq;
    ikh_dgram dg; /* dg.data points into buf */
    uint8_t *buf; /* owned, from the sim's allocator */
} sim_event;

typedef struct sim_port {
    ikh_sim *sim;
    size_t idx;
} sim_port;

typedef struct sim_node {
    ikh_addr addr;
    const ikh_sim_node_ops *ops;
    void *node;
    ikh_drbg drbg;
    sim_port port;
} sim_node;

typedef struct sim_link {
    ikh_addr a, b;
    ikh_sim_faults f[2]; /* [0] a->b, [1] b->a */
} sim_link;

typedef struct sim_sched {
    ikh_time_ms at;
    size_t link;
    ikh_sim_dir dir;
    ikh_sim_faults f;
} sim_sched;

struct ikh_sim {
    ikh_sim_config cfg;
    ikh_env mem_env; /* for ikh_env_alloc: mem only */
    ikh_time_ms now;
    uint64_t seq;
    ikh_drbg drbg;
    ikh_sim_stats stats;
    size_t n_nodes, n_links, n_sched, sched_next, n_ev;
    sim_node nodes[IKH_SIM_MAX_NODES];
    sim_link links[IKH_SIM_MAX_LINKS];
    sim_sched sched[IKH_SIM_MAX_SCHEDULE];
    sim_event ev[IKH_SIM_MAX_EVENTS];
};

static bool faults_ok(const ikh_sim_faults *f)
{
    return f != NULL && f->loss_pct <= 100 && f->dup_pct <= 100 &&
           f->reorder_pct <= 100 && f->bitflip_pct <= 100 &&
           f->corrupt_pct <= 100 && f->trunc_pct <= 100;
}

static bool addr_ok(const ikh_addr *a)
{
    return a != NULL && (a->family == 4 || a->family == 6);
}

ikh_err ikh_sim_new(const ikh_sim_config *cfg, ikh_sim **out)
{
    if (out == NULL)
        return IKH_ERR_ARG_INVALID;
    *out = NULL;
    if (cfg == NULL || !faults_ok(&cfg->default_faults))
        return IKH_ERR_ARG_INVALID;
    ikh_env e = {0};
    e.mem = cfg->mem;
    e.metrics = cfg->metrics;
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&e, sizeof(ikh_sim), &p));
    ikh_sim *sim = p;
    memset(sim, 0, sizeof *sim);
    sim->cfg = *cfg;
    if (sim->cfg.natt_port == 0)
        sim->cfg.natt_port = IKH_PORT_NATT;
    if (sim->cfg.max_steps == 0)
        sim->cfg.max_steps = IKH_SIM_DEFAULT_MAX_STEPS;
    sim->mem_env = e;
    ikh_drbg_init(&sim->drbg, cfg->seed);
    *out = sim;
    return IKH_OK;
}

void ikh_sim_free(ikh_sim *sim)
{
    if (sim == NULL)
        return;
    ikh_env e = sim->mem_env;
    for (size_t i = 0; i < sim->n_ev; i++)
        ikh_env_free(&e, sim->ev[i].buf);
    for (size_t i = 0; i < sim->n_nodes; i++)
        ikh_drbg_fini(&sim->nodes[i].drbg);
    ikh_drbg_fini(&sim->drbg);
    ikh_env_free(&e, sim);
}

static void wr_be64(uint8_t out[8], uint64_t v)
{
    for (size_t i = 0; i < 8; i++)
        out[i] = (uint8_t)(v >> (56 - 8 * i));
}

ikh_err ikh_sim_node_add(ikh_sim *sim, const ikh_addr *addr,
                         const ikh_sim_node_ops *ops, void *node, size_t *idx)
{
    if (sim == NULL || !addr_ok(addr) || ops == NULL || ops->recv == NULL ||
        ops->expire == NULL || ops->deadline == NULL)
        return IKH_ERR_ARG_INVALID;
    IKH_CHECK(sim->n_nodes < IKH_SIM_MAX_NODES, IKH_ERR_ENV_SIM_LIMIT);
    size_t i = sim->n_nodes++;
    sim_node *n = &sim->nodes[i];
    n->addr = *addr;
    n->ops = ops;
    n->node = node;
    n->port.sim = sim;
    n->port.idx = i;
    uint8_t seed[8], nonce[8];
    static const char pers[] = "ikeharness sim node";
    wr_be64(seed, sim->cfg.seed);
    wr_be64(nonce, (uint64_t)i);
    ikh_drbg_instantiate(&n->drbg, ikh_span_of(seed, 8), ikh_span_of(nonce, 8),
                         ikh_span_of((const uint8_t *)pers, sizeof pers - 1));
    if (idx != NULL)
        *idx = i;
    return IKH_OK;
}

static int sim_env_send(void *user, const ikh_dgram *dg)
{
    sim_port *port = user;
    return ikh_sim_send(port->sim, dg) == IKH_OK ? 0 : -1;
}

ikh_err ikh_sim_node_env(ikh_sim *sim, size_t idx, ikh_env *env)
{
    if (sim == NULL || env == NULL || idx >= sim->n_nodes)
        return IKH_ERR_ARG_INVALID;
    memset(env, 0, sizeof *env);
    env->user = &sim->nodes[idx].port;
    env->send = sim_env_send;
    env->rand = ikh_drbg_rand;
    env->rand_user = &sim->nodes[idx].drbg;
    env->mem = sim->cfg.mem;
    env->metrics = sim->cfg.metrics;
    return IKH_OK;
}

ikh_err ikh_sim_link_add(ikh_sim *sim, const ikh_addr *a, const ikh_addr *b,
                         const ikh_sim_faults *ab, const ikh_sim_faults *ba,
                         size_t *link)
{
    if (sim == NULL || !addr_ok(a) || !addr_ok(b) || !faults_ok(ab) ||
        !faults_ok(ba))
        return IKH_ERR_ARG_INVALID;
    IKH_CHECK(sim->n_links < IKH_SIM_MAX_LINKS, IKH_ERR_ENV_SIM_LIMIT);
    sim_link *l = &sim->links[sim->n_links];
    l->a = *a;
    l->b = *b;
    l->f[0] = *ab;
    l->f[1] = *ba;
    if (link != NULL)
        *link = sim->n_links;
    sim->n_links++;
    return IKH_OK;
}

ikh_err ikh_sim_schedule(ikh_sim *sim, ikh_time_ms at, size_t link,
                         ikh_sim_dir dir, const ikh_sim_faults *f)
{
    if (sim == NULL || link >= sim->n_links || !faults_ok(f) ||
        (dir != IKH_SIM_AB && dir != IKH_SIM_BA && dir != IKH_SIM_BOTH))
        return IKH_ERR_ARG_INVALID;
    IKH_CHECK(sim->n_sched < IKH_SIM_MAX_SCHEDULE, IKH_ERR_ENV_SIM_LIMIT);
    /* Insert after every pending entry with at <= this one (stable). */
    size_t pos = sim->n_sched;
    while (pos > sim->sched_next && sim->sched[pos - 1].at > at) {
        sim->sched[pos] = sim->sched[pos - 1];
        pos--;
    }
    sim->sched[pos].at = at;
    sim->sched[pos].link = link;
    sim->sched[pos].dir = dir;
    sim->sched[pos].f = *f;
    sim->n_sched++;
    return IKH_OK;
}

/* ---- the event heap, ordered by (t, seq) ---- */

static bool ev_less(const sim_event *x, const sim_event *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void heap_push(ikh_sim *sim, const sim_event *e)
{
    size_t i = sim->n_ev++;
    sim->ev[i] = *e;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_less(&sim->ev[i], &sim->ev[parent]))
            break;
        sim_event tmp = sim->ev[i];
        sim->ev[i] = sim->ev[parent];
        sim->ev[parent] = tmp;
        i = parent;
    }
}

static sim_event heap_pop(ikh_sim *sim)
{
    sim_event top = sim->ev[0];
    sim->ev[0] = sim->ev[--sim->n_ev];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < sim->n_ev && ev_less(&sim->ev[l], &sim->ev[m]))
            m = l;
        if (r < sim->n_ev && ev_less(&sim->ev[r], &sim->ev[m]))
            m = r;
        if (m == i)
            break;
        sim_event tmp = sim->ev[i];
        sim->ev[i] = sim->ev[m];
        sim->ev[m] = tmp;
        i = m;
    }
    return top;
}

/* ---- sending: faults, then the queue ---- */

static void sim_tap(ikh_sim *sim, ikh_sim_tap_kind k, const ikh_dgram *dg)
{
    if (sim->cfg.tap != NULL)
        sim->cfg.tap(sim->cfg.tap_user, k, dg, sim->now);
}

static const ikh_sim_faults *sim_faults_for(const ikh_sim *sim,
                                            const ikh_dgram *dg)
{
    for (size_t i = 0; i < sim->n_links; i++) {
        const sim_link *l = &sim->links[i];
        if (ikh_addr_cmp(&l->a, &dg->src) == 0 &&
            ikh_addr_cmp(&l->b, &dg->dst) == 0)
            return &l->f[0];
        if (ikh_addr_cmp(&l->b, &dg->src) == 0 &&
            ikh_addr_cmp(&l->a, &dg->dst) == 0)
            return &l->f[1];
    }
    return &sim->cfg.default_faults;
}

/* true with probability pct/100; draws only when 0 < pct < 100. */
static bool sim_chance(ikh_sim *sim, uint8_t pct)
{
    if (pct == 0)
        return false;
    if (pct >= 100)
        return true;
    return ikh_drbg_uniform(&sim->drbg, 100) < pct;
}

/* Queue one copy of dg, faults applied (delay, reorder, corruption). */
static ikh_err sim_enqueue(ikh_sim *sim, const ikh_dgram *dg,
                           const ikh_sim_faults *f)
{
    if (sim->n_ev >= IKH_SIM_MAX_EVENTS) {
        sim->stats.queue_full++;
        sim_tap(sim, IKH_SIM_TAP_DROPPED, dg);
        return IKH_ERR_ENV_SIM_QUEUE_FULL;
    }
    uint64_t delay = f->delay_ms;
    if (f->jitter_ms > 0)
        delay += ikh_drbg_uniform(&sim->drbg, (uint64_t)f->jitter_ms + 1);
    if (sim_chance(sim, f->reorder_pct)) {
        uint64_t w = f->reorder_ms > 0 ? f->reorder_ms : 1;
        delay += 1 + ikh_drbg_uniform(&sim->drbg, w);
        sim->stats.reordered++;
    }
    void *p = NULL;
    if (ikh_env_alloc(&sim->mem_env, dg->data.len, &p) != IKH_OK) {
        sim->stats.nomem++;
        sim_tap(sim, IKH_SIM_TAP_DROPPED, dg);
        return IKH_ERR_ENV_NOMEM;
    }
    sim_event e;
    e.buf = p;
    e.dg = *dg;
    if (dg->data.len > 0)
        memcpy(e.buf, dg->data.p, dg->data.len);
    size_t len = dg->data.len;
    if (len > 0 && sim_chance(sim, f->bitflip_pct)) {
        uint64_t bit = ikh_drbg_uniform(&sim->drbg, (uint64_t)len * 8u);
        e.buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        sim->stats.bitflips++;
    }
    if (len > 0 && sim_chance(sim, f->corrupt_pct)) {
        uint64_t at = ikh_drbg_uniform(&sim->drbg, len);
        e.buf[at] ^= (uint8_t)(1 + ikh_drbg_uniform(&sim->drbg, 255));
        sim->stats.corrupted++;
    }
    if (len > 0 && sim_chance(sim, f->trunc_pct)) {
        len = (size_t)ikh_drbg_uniform(&sim->drbg, len);
        sim->stats.truncated++;
    }
    e.dg.data = ikh_span_of(e.buf, len);
    e.t = sim->now + delay;
    e.seq = ++sim->seq;
    heap_push(sim, &e);
    return IKH_OK;
}

ikh_err ikh_sim_send(ikh_sim *sim, const ikh_dgram *dg_in)
{
    if (sim == NULL || dg_in == NULL || !addr_ok(&dg_in->src) ||
        dg_in->dst.family != dg_in->src.family ||
        dg_in->data.len > IKH_SIM_DGRAM_MAX ||
        (dg_in->data.p == NULL && dg_in->data.len > 0))
        return IKH_ERR_ARG_INVALID;
    ikh_dgram dg = *dg_in;
    dg.non_esp_marker = !dg.esp && ikh_dgram_marker_rule(dg.sport, dg.dport,
                                                         sim->cfg.natt_port);
    sim->stats.sent++;
    sim_tap(sim, IKH_SIM_TAP_SENT, &dg);
    const ikh_sim_faults *f = sim_faults_for(sim, &dg);
    if (sim_chance(sim, f->loss_pct)) {
        sim->stats.lost++;
        sim_tap(sim, IKH_SIM_TAP_DROPPED, &dg);
        return IKH_OK;
    }
    bool dup = sim_chance(sim, f->dup_pct);
    IKH_TRY(sim_enqueue(sim, &dg, f));
    if (dup) {
        sim->stats.duplicated++;
        IKH_TRY(sim_enqueue(sim, &dg, f));
    }
    return IKH_OK;
}

/* ---- running ---- */

static void sim_apply_sched(ikh_sim *sim)
{
    const sim_sched *s = &sim->sched[sim->sched_next++];
    sim_link *l = &sim->links[s->link];
    if (s->dir & IKH_SIM_AB)
        l->f[0] = s->f;
    if (s->dir & IKH_SIM_BA)
        l->f[1] = s->f;
}

static void sim_deliver(ikh_sim *sim)
{
    sim_event e = heap_pop(sim);
    sim_node *to = NULL;
    for (size_t i = 0; i < sim->n_nodes && to == NULL; i++)
        if (ikh_addr_cmp(&sim->nodes[i].addr, &e.dg.dst) == 0)
            to = &sim->nodes[i];
    if (to == NULL) {
        sim->stats.no_route++;
        sim_tap(sim, IKH_SIM_TAP_DROPPED, &e.dg);
    } else {
        sim->stats.delivered++;
        sim_tap(sim, IKH_SIM_TAP_DELIVERED, &e.dg);
        if (to->ops->recv(to->node, &e.dg, sim->now) != IKH_OK)
            sim->stats.node_errors++;
    }
    ikh_env_free(&sim->mem_env, e.buf);
}

ikh_err ikh_sim_run(ikh_sim *sim, ikh_time_ms until, ikh_sim_stop *why)
{
    if (sim == NULL)
        return IKH_ERR_ARG_INVALID;
    for (uint64_t steps = 0;; steps++) {
        ikh_time_ms t_ev = sim->n_ev > 0 ? sim->ev[0].t : IKH_TIME_NEVER;
        ikh_time_ms t_sch = sim->sched_next < sim->n_sched
                                ? sim->sched[sim->sched_next].at
                                : IKH_TIME_NEVER;
        ikh_time_ms t_node = IKH_TIME_NEVER;
        size_t node_i = 0;
        for (size_t i = 0; i < sim->n_nodes; i++) {
            ikh_time_ms d = sim->nodes[i].ops->deadline(sim->nodes[i].node);
            if (d < t_node) {
                t_node = d;
                node_i = i;
            }
        }
        ikh_time_ms t = t_ev < t_sch ? t_ev : t_sch;
        t = t_node < t ? t_node : t;
        if (t == IKH_TIME_NEVER || t > until) {
            /* the clock reaches until even when idle, so that a caller
             * acting at until stamps its datagrams with until */
            if (until != IKH_TIME_NEVER && until > sim->now)
                sim->now = until;
            if (why != NULL)
                *why = t == IKH_TIME_NEVER ? IKH_SIM_IDLE : IKH_SIM_TIME_LIMIT;
            return IKH_OK;
        }
        if (steps >= sim->cfg.max_steps)
            return IKH_ERR_ENV_SIM_STEPS;
        sim->stats.steps++;
        if (t > sim->now)
            sim->now = t;
        if (t_sch <= t) {
            sim_apply_sched(sim);
        } else if (t_ev <= t) {
            sim_deliver(sim);
        } else {
            sim_node *n = &sim->nodes[node_i];
            if (n->ops->expire(n->node, sim->now) != IKH_OK)
                sim->stats.node_errors++;
        }
    }
}

ikh_time_ms ikh_sim_now(const ikh_sim *sim)
{
    return sim != NULL ? sim->now : 0;
}

void ikh_sim_stats_get(const ikh_sim *sim, ikh_sim_stats *out)
{
    if (out == NULL)
        return;
    if (sim == NULL)
        memset(out, 0, sizeof *out);
    else
        *out = sim->stats;
}
