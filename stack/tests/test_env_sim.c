/* SPDX-License-Identifier: MIT */
/*
 * The sim driver: delivery order, every fault kind, the schedule, limits,
 * and determinism (same seed, same tap sequence; another seed, another).
 */
#include "testlib.h"

#include <nettle/sha2.h>

#include "ikh/env.h"
#include "ikh/sim.h"

/* A test node: records what it receives; sends n_tx datagrams of tx_len
 * octets to peer every interval_ms from start_ms; echoes when echo is set. */
typedef struct tnode {
    ikh_env env;
    ikh_addr self, peer;
    uint16_t port;
    bool echo;
    unsigned n_tx, sent;
    ikh_time_ms start_ms, interval_ms;
    size_t tx_len;
    unsigned n_rx;
    ikh_time_ms rx_t[64];
    uint8_t rx_first[64];
    size_t rx_len[64];
    uint8_t rx_data[64][32];
} tnode;

static ikh_err tnode_recv(void *node, const ikh_dgram *dg, ikh_time_ms now)
{
    tnode *n = node;
    if (n->n_rx < 64) {
        n->rx_t[n->n_rx] = now;
        n->rx_len[n->n_rx] = dg->data.len;
        n->rx_first[n->n_rx] = dg->data.len > 0 ? dg->data.p[0] : 0xFF;
        memcpy(n->rx_data[n->n_rx], dg->data.p,
               dg->data.len < 32 ? dg->data.len : 32);
        n->n_rx++;
    }
    if (!n->echo)
        return IKH_OK;
    ikh_dgram r = *dg;
    r.src = dg->dst;
    r.dst = dg->src;
    r.sport = dg->dport;
    r.dport = dg->sport;
    return ikh_env_send(&n->env, &r);
}

static ikh_time_ms tnode_deadline(const void *node)
{
    const tnode *n = node;
    if (n->sent >= n->n_tx)
        return IKH_TIME_NEVER;
    return n->start_ms + (ikh_time_ms)n->sent * n->interval_ms;
}

static ikh_err tnode_expire(void *node, ikh_time_ms now)
{
    tnode *n = node;
    (void)now;
    uint8_t buf[32];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(n->sent + i);
    ikh_dgram dg = {0};
    dg.src = n->self;
    dg.dst = n->peer;
    dg.sport = n->port;
    dg.dport = n->port;
    dg.data = ikh_span_of(buf, n->tx_len);
    n->sent++;
    return ikh_env_send(&n->env, &dg);
}

static const ikh_sim_node_ops tnode_ops = {tnode_recv, tnode_expire,
                                           tnode_deadline};

typedef struct world {
    ikh_sim *sim;
    tnode a, b;
    size_t link;
    struct sha256_ctx tap_hash;
    unsigned taps[3];
} world;

static void tap_fn(void *user, ikh_sim_tap_kind k, const ikh_dgram *dg,
                   ikh_time_ms t)
{
    world *w = user;
    w->taps[k]++;
    uint8_t hdr[13] = {(uint8_t)k,         dg->src.a[3],
                       dg->dst.a[3],       (uint8_t)(dg->sport >> 8),
                       (uint8_t)dg->sport, dg->non_esp_marker};
    for (int i = 0; i < 7; i++)
        hdr[6 + i] = (uint8_t)(t >> (8 * i));
    sha256_update(&w->tap_hash, sizeof hdr, hdr);
    sha256_update(&w->tap_hash, dg->data.len, dg->data.p);
}

/* Two nodes 10.0.0.1 (a, sender) and 10.0.0.2 (b), one link a<->b. */
static void world_init(world *w, uint64_t seed, const ikh_sim_faults *ab,
                       const ikh_mem *mem)
{
    memset(w, 0, sizeof *w);
    sha256_init(&w->tap_hash);
    ikh_sim_config cfg = {0};
    cfg.seed = seed;
    cfg.tap = tap_fn;
    cfg.tap_user = w;
    cfg.mem = mem;
    assert_ikh_ok(ikh_sim_new(&cfg, &w->sim));
    w->a.self = w->b.peer = ikh_addr_v4(10, 0, 0, 1);
    w->b.self = w->a.peer = ikh_addr_v4(10, 0, 0, 2);
    w->a.port = w->b.port = 500;
    w->a.tx_len = 16;
    size_t ia, ib;
    assert_ikh_ok(ikh_sim_node_add(w->sim, &w->a.self, &tnode_ops, &w->a, &ia));
    assert_ikh_ok(ikh_sim_node_add(w->sim, &w->b.self, &tnode_ops, &w->b, &ib));
    assert_int_equal(ia, 0);
    assert_int_equal(ib, 1);
    assert_ikh_ok(ikh_sim_node_env(w->sim, ia, &w->a.env));
    assert_ikh_ok(ikh_sim_node_env(w->sim, ib, &w->b.env));
    ikh_sim_faults clean = {0};
    assert_ikh_ok(ikh_sim_link_add(w->sim, &w->a.self, &w->b.self,
                                   ab != NULL ? ab : &clean, &clean, &w->link));
}

static void world_run(world *w)
{
    ikh_sim_stop why = IKH_SIM_TIME_LIMIT;
    assert_ikh_ok(ikh_sim_run(w->sim, IKH_TIME_NEVER, &why));
    assert_int_equal(why, IKH_SIM_IDLE);
}

static void test_sim_delivery_order(void **state)
{
    (void)state;
    world w;
    ikh_sim_faults f = {0};
    f.delay_ms = 10;
    world_init(&w, 1, &f, NULL);
    w.a.n_tx = 5;
    w.a.interval_ms = 0; /* all five at t=0 */
    w.b.echo = true;
    world_run(&w);
    assert_int_equal(w.b.n_rx, 5);
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(w.b.rx_t[i], 10);
        assert_int_equal(w.b.rx_first[i], i); /* send order */
        assert_int_equal(w.a.rx_t[i], 10);    /* b->a has no delay */
        assert_int_equal(w.a.rx_first[i], i);
    }
    assert_int_equal(ikh_sim_now(w.sim), 10);
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_int_equal(st.sent, 10);
    assert_int_equal(st.delivered, 10);
    ikh_sim_free(w.sim);
}

static void test_sim_time_limit_and_now(void **state)
{
    (void)state;
    world w;
    world_init(&w, 1, NULL, NULL);
    w.a.n_tx = 3;
    w.a.start_ms = 100;
    w.a.interval_ms = 100;
    ikh_sim_stop why = IKH_SIM_IDLE;
    assert_ikh_ok(ikh_sim_run(w.sim, 250, &why));
    assert_int_equal(why, IKH_SIM_TIME_LIMIT);
    assert_int_equal(ikh_sim_now(w.sim), 250);
    assert_int_equal(w.b.n_rx, 2);
    world_run(&w);
    assert_int_equal(w.b.n_rx, 3);
    assert_int_equal(w.b.rx_t[2], 300);
    ikh_sim_free(w.sim);
}

static void run_faults(world *w, const ikh_sim_faults *f, unsigned n)
{
    world_init(w, 5, f, NULL);
    w->a.n_tx = n;
    w->a.interval_ms = 10;
    world_run(w);
}

static void test_sim_fault_loss_dup(void **state)
{
    (void)state;
    world w;
    ikh_sim_faults f = {0};
    f.loss_pct = 100;
    run_faults(&w, &f, 4);
    assert_int_equal(w.b.n_rx, 0);
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_int_equal(st.lost, 4);
    assert_int_equal(w.taps[IKH_SIM_TAP_DROPPED], 4);
    ikh_sim_free(w.sim);

    memset(&f, 0, sizeof f);
    f.dup_pct = 100;
    run_faults(&w, &f, 4);
    assert_int_equal(w.b.n_rx, 8);
    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(w.b.rx_first[i], i / 2);
    ikh_sim_free(w.sim);

    memset(&f, 0, sizeof f);
    f.loss_pct = 50;
    run_faults(&w, &f, 40);
    ikh_sim_stats_get(w.sim, &st);
    assert_true(st.lost > 5 && st.lost < 35);
    assert_int_equal(w.b.n_rx, 40 - st.lost);
    ikh_sim_free(w.sim);
}

static void test_sim_fault_delay_jitter_reorder(void **state)
{
    (void)state;
    world w;
    ikh_sim_faults f = {0};
    f.delay_ms = 20;
    f.jitter_ms = 5;
    run_faults(&w, &f, 20);
    assert_int_equal(w.b.n_rx, 20);
    bool varied = false;
    for (unsigned i = 0; i < 20; i++) {
        ikh_time_ms sent = (ikh_time_ms)w.b.rx_first[i] * 10;
        assert_true(w.b.rx_t[i] >= sent + 20 && w.b.rx_t[i] <= sent + 25);
        varied |= w.b.rx_t[i] != sent + 20;
    }
    assert_true(varied);
    ikh_sim_free(w.sim);

    memset(&f, 0, sizeof f);
    f.reorder_pct = 50;
    f.reorder_ms = 40;
    run_faults(&w, &f, 20);
    assert_int_equal(w.b.n_rx, 20);
    bool out_of_order = false;
    for (unsigned i = 1; i < 20; i++)
        out_of_order |= w.b.rx_first[i] < w.b.rx_first[i - 1];
    assert_true(out_of_order);
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_true(st.reordered > 0);
    ikh_sim_free(w.sim);
}

static unsigned bits_diff(const uint8_t *x, const uint8_t *y, size_t n)
{
    unsigned d = 0;
    for (size_t i = 0; i < n; i++)
        for (uint8_t v = x[i] ^ y[i]; v != 0; v &= (uint8_t)(v - 1))
            d++;
    return d;
}

static void expected_tx(unsigned k, uint8_t out[16])
{
    for (unsigned i = 0; i < 16; i++)
        out[i] = (uint8_t)(k + i);
}

static void test_sim_fault_corruption(void **state)
{
    (void)state;
    world w;
    uint8_t want[16];
    ikh_sim_faults f = {0};
    f.bitflip_pct = 100;
    run_faults(&w, &f, 8);
    for (unsigned i = 0; i < 8; i++) {
        expected_tx(i, want);
        assert_int_equal(w.b.rx_len[i], 16);
        assert_int_equal(bits_diff(want, w.b.rx_data[i], 16), 1);
    }
    ikh_sim_free(w.sim);

    memset(&f, 0, sizeof f);
    f.corrupt_pct = 100;
    run_faults(&w, &f, 8);
    for (unsigned i = 0; i < 8; i++) {
        expected_tx(i, want);
        unsigned bytes = 0;
        for (unsigned j = 0; j < 16; j++)
            bytes += want[j] != w.b.rx_data[i][j];
        assert_int_equal(bytes, 1);
    }
    ikh_sim_free(w.sim);

    memset(&f, 0, sizeof f);
    f.trunc_pct = 100;
    run_faults(&w, &f, 8);
    for (unsigned i = 0; i < 8; i++) {
        expected_tx(i, want);
        assert_true(w.b.rx_len[i] < 16);
        assert_memory_equal(want, w.b.rx_data[i], w.b.rx_len[i]);
    }
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_int_equal(st.truncated, 8);
    ikh_sim_free(w.sim);
}

static void test_sim_schedule_switch(void **state)
{
    (void)state;
    world w;
    ikh_sim_faults lossy = {0}, clean = {0};
    lossy.loss_pct = 100;
    world_init(&w, 3, &lossy, NULL);
    assert_ikh_ok(ikh_sim_schedule(w.sim, 100, w.link, IKH_SIM_AB, &clean));
    w.a.n_tx = 4;
    w.a.start_ms = 50;
    w.a.interval_ms = 50; /* 50 lost; 100 (schedule first), 150, 200 pass */
    world_run(&w);
    assert_int_equal(w.b.n_rx, 3);
    assert_int_equal(w.b.rx_first[0], 1);
    assert_int_equal(w.b.rx_t[0], 100);
    assert_ikh_err(ikh_sim_schedule(w.sim, 1, 99, IKH_SIM_AB, &clean),
                   IKH_ERR_ARG_INVALID);
    ikh_sim_free(w.sim);
}

/* A scenario with every fault on; returns the SHA-256 of the tap stream. */
static void tap_digest(uint64_t seed, uint8_t out[SHA256_DIGEST_SIZE])
{
    world w;
    ikh_sim_faults f = {20, 20, 20, 20, 20, 20, 5, 5, 30};
    world_init(&w, seed, &f, NULL);
    w.a.n_tx = 30;
    w.a.interval_ms = 7;
    w.a.port = w.b.port = 4500;
    w.b.echo = true;
    world_run(&w);
    assert_true(w.taps[IKH_SIM_TAP_DELIVERED] > 20);
    sha256_digest(&w.tap_hash, SHA256_DIGEST_SIZE, out);
    ikh_sim_free(w.sim);
}

static void test_sim_determinism(void **state)
{
    (void)state;
    uint8_t d1[SHA256_DIGEST_SIZE], d2[SHA256_DIGEST_SIZE],
        d3[SHA256_DIGEST_SIZE];
    tap_digest(1, d1);
    tap_digest(1, d2);
    tap_digest(2, d3);
    assert_memory_equal(d1, d2, sizeof d1);
    assert_memory_not_equal(d1, d3, sizeof d1);
}

static void test_sim_marker_rule_applied(void **state)
{
    (void)state;
    world w;
    world_init(&w, 1, NULL, NULL);
    ikh_dgram dg = {0};
    uint8_t b[4] = {1, 2, 3, 4};
    dg.src = w.a.self;
    dg.dst = w.b.self;
    dg.sport = 500;
    dg.dport = 500;
    dg.non_esp_marker = true; /* overridden by the rule */
    dg.data = ikh_span_of(b, 4);
    assert_ikh_ok(ikh_sim_send(w.sim, &dg));
    dg.sport = dg.dport = 4500;
    assert_ikh_ok(ikh_sim_send(w.sim, &dg));
    world_run(&w);
    assert_int_equal(w.taps[IKH_SIM_TAP_DELIVERED], 2);
    ikh_sim_free(w.sim);
}

static void test_sim_no_route_and_limits(void **state)
{
    (void)state;
    world w;
    world_init(&w, 1, NULL, NULL);
    ikh_dgram dg = {0};
    uint8_t b[4] = {0};
    dg.src = w.a.self;
    dg.dst = ikh_addr_v4(10, 9, 9, 9);
    dg.data = ikh_span_of(b, 4);
    assert_ikh_ok(ikh_sim_send(w.sim, &dg));
    world_run(&w);
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_int_equal(st.no_route, 1);
    for (unsigned i = 0; i < IKH_SIM_MAX_EVENTS; i++)
        assert_ikh_ok(ikh_sim_send(w.sim, &dg));
    assert_ikh_err(ikh_sim_send(w.sim, &dg), IKH_ERR_ENV_SIM_QUEUE_FULL);
    dg.dst.family = 6;
    assert_ikh_err(ikh_sim_send(w.sim, &dg), IKH_ERR_ARG_INVALID);
    ikh_sim_free(w.sim); /* frees the queued datagrams */

    /* A node whose deadline never moves hits the step limit. */
    world_init(&w, 1, NULL, NULL);
    w.a.n_tx = 2000000;
    w.a.interval_ms = 0;
    w.a.tx_len = 0;
    assert_ikh_err(ikh_sim_run(w.sim, IKH_TIME_NEVER, NULL),
                   IKH_ERR_ENV_SIM_STEPS);
    ikh_sim_free(w.sim);
}

static void test_sim_alloc_failure(void **state)
{
    (void)state;
    ikh_mem_fail mf;
    ikh_mem_fail_init(&mf, 1, false);
    ikh_sim_config cfg = {0};
    cfg.mem = &mf.mem;
    ikh_sim *sim = NULL;
    assert_ikh_err(ikh_sim_new(&cfg, &sim), IKH_ERR_ENV_NOMEM);
    assert_null(sim);

    world w;
    ikh_mem_fail_init(&mf, 3, false); /* sim, 1st datagram, 2nd fails */
    world_init(&w, 1, NULL, &mf.mem);
    w.a.n_tx = 3;
    w.a.interval_ms = 1;
    world_run(&w);
    assert_int_equal(w.b.n_rx, 2);
    ikh_sim_stats st;
    ikh_sim_stats_get(w.sim, &st);
    assert_int_equal(st.nomem, 1);
    assert_int_equal(st.node_errors, 1); /* the send failed in expire */
    ikh_sim_free(w.sim);
    assert_int_equal(mf.live, 0);
}

static void test_sim_bad_args(void **state)
{
    (void)state;
    ikh_sim_config cfg = {0};
    ikh_sim *sim = NULL;
    cfg.default_faults.loss_pct = 101;
    assert_ikh_err(ikh_sim_new(&cfg, &sim), IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_sim_new(NULL, &sim), IKH_ERR_ARG_INVALID);
    cfg.default_faults.loss_pct = 0;
    assert_ikh_ok(ikh_sim_new(&cfg, &sim));
    ikh_addr a = ikh_addr_v4(1, 2, 3, 4);
    for (unsigned i = 0; i < IKH_SIM_MAX_NODES; i++)
        assert_ikh_ok(ikh_sim_node_add(sim, &a, &tnode_ops, NULL, NULL));
    assert_ikh_err(ikh_sim_node_add(sim, &a, &tnode_ops, NULL, NULL),
                   IKH_ERR_ENV_SIM_LIMIT);
    ikh_env env;
    assert_ikh_err(ikh_sim_node_env(sim, IKH_SIM_MAX_NODES, &env),
                   IKH_ERR_ARG_INVALID);
    ikh_sim_free(sim);
    ikh_sim_free(NULL);
}

/* The 6xx codes the env drivers added keep their numbers (STYLE §5). */
static void test_sim_err_codes_stable(void **state)
{
    (void)state;
    assert_int_equal(IKH_ERR_ENV_SOCKET, 630);
    assert_int_equal(IKH_ERR_ENV_CLOCK, 631);
    assert_int_equal(IKH_ERR_ENV_SIM_QUEUE_FULL, 632);
    assert_int_equal(IKH_ERR_ENV_SIM_LIMIT, 633);
    assert_int_equal(IKH_ERR_ENV_SIM_STEPS, 634);
    assert_string_equal(ikh_err_name(IKH_ERR_ENV_SIM_QUEUE_FULL),
                        "ENV_SIM_QUEUE_FULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_delivery_order),
        cmocka_unit_test(test_sim_time_limit_and_now),
        cmocka_unit_test(test_sim_fault_loss_dup),
        cmocka_unit_test(test_sim_fault_delay_jitter_reorder),
        cmocka_unit_test(test_sim_fault_corruption),
        cmocka_unit_test(test_sim_schedule_switch),
        cmocka_unit_test(test_sim_determinism),
        cmocka_unit_test(test_sim_marker_rule_applied),
        cmocka_unit_test(test_sim_no_route_and_limits),
        cmocka_unit_test(test_sim_alloc_failure),
        cmocka_unit_test(test_sim_bad_args),
        cmocka_unit_test(test_sim_err_codes_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
