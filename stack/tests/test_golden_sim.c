/* SPDX-License-Identifier: MIT */
/*
 * Golden: a fixed little sim scenario with every fault on, written through
 * the pcap tap. The same seed twice gives byte-identical captures, and
 * the capture's SHA-256 is pinned below (STYLE §14). Only a deliberate
 * change moves it: run ci/golden-update.sh, which prints the new values
 * (IKH_GOLDEN_PRINT=1), and paste them here with the reason in the commit.
 *
 * Scenario (seed 1 and seed 0xdeadbeef):
 *   c4 10.0.0.1:500     <-> s4 10.0.0.2:500      IKE, faults both ways
 *   c6 2001:db8::1:4500 <-> s6 2001:db8::2:4500  IKE behind the marker
 *   c4 also sends ESP over IP (ports 0) to s4, which echoes it.
 * Each client sends 12 requests 25 ms apart; servers echo every datagram.
 * At 200 ms the v4 link switches to a clean profile.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include <nettle/sha2.h>

#include "ikh/env.h"
#include "ikh/sim.h"
#include "ikh/tap.h"

/* Pinned SHA-256 of the capture per seed (golden). */
#define GOLDEN_SEED1                                                           \
    "e64f206538679f951eca3bf181052e7adcc30e814ee1dc5822a8bed8266c099a"
#define GOLDEN_SEED_DEADBEEF                                                   \
    "19dd62e3d972dfafbbe9f40ee4df8f638e99cc377d240382a1f110e4c0f86244"

typedef struct gnode {
    ikh_env env;
    ikh_addr self, peer;
    uint16_t port;
    bool server;
    unsigned sent;
} gnode;

enum {
    G_REQUESTS = 12,
    G_INTERVAL_MS = 25
};

static ikh_err g_recv(void *node, const ikh_dgram *dg, ikh_time_ms now)
{
    gnode *n = node;
    (void)now;
    if (!n->server)
        return IKH_OK;
    ikh_dgram r = *dg;
    r.src = dg->dst;
    r.dst = dg->src;
    r.sport = dg->dport;
    r.dport = dg->sport;
    return ikh_env_send(&n->env, &r);
}

static ikh_time_ms g_deadline(const void *node)
{
    const gnode *n = node;
    if (n->server || n->sent >= G_REQUESTS)
        return IKH_TIME_NEVER;
    return 10 + (ikh_time_ms)n->sent * G_INTERVAL_MS;
}

/* An IKEv2 header-only-ish message: SPIs from the node DRBG, then a body. */
static ikh_err g_expire(void *node, ikh_time_ms now)
{
    gnode *n = node;
    (void)now;
    uint8_t msg[60];
    memset(msg, 0, sizeof msg);
    IKH_TRY(ikh_env_rand(&n->env, msg, 8)); /* initiator SPI */
    msg[16] = 0;                            /* next payload: none */
    msg[17] = 0x20;                         /* version 2.0 */
    msg[18] = 37;                           /* INFORMATIONAL */
    msg[19] = 0x08;                         /* initiator */
    msg[23] = (uint8_t)n->sent;             /* message ID */
    msg[27] = sizeof msg;                   /* length */
    for (size_t i = 28; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7 + n->sent);
    ikh_dgram dg = {0};
    dg.src = n->self;
    dg.dst = n->peer;
    dg.sport = dg.dport = n->port;
    dg.data = ikh_span_of(msg, sizeof msg);
    n->sent++;
    IKH_TRY(ikh_env_send(&n->env, &dg));
    if (n->self.family == 4 && n->sent % 3 == 0) {
        uint8_t esp[48];
        for (size_t i = 0; i < sizeof esp; i++)
            esp[i] = (uint8_t)(0xC0 + i + n->sent);
        dg.esp = true;
        dg.sport = dg.dport = 0;
        dg.data = ikh_span_of(esp, sizeof esp);
        IKH_TRY(ikh_env_send(&n->env, &dg));
    }
    return IKH_OK;
}

static const ikh_sim_node_ops g_ops = {g_recv, g_expire, g_deadline};

static ikh_addr v6(uint8_t last)
{
    ikh_addr a = {0};
    a.family = 6;
    a.a[0] = 0x20;
    a.a[1] = 0x01;
    a.a[2] = 0x0d;
    a.a[3] = 0xb8;
    a.a[15] = last;
    return a;
}

/* Run the scenario with this seed into path. */
static void run_scenario(uint64_t seed, const char *path)
{
    ikh_tap *tap = NULL;
    assert_ikh_ok(ikh_tap_open(path, IKH_LINK_RAW, &tap));
    ikh_tap_set_sim_kinds(tap, 1u << IKH_SIM_TAP_DELIVERED);
    ikh_sim_config cfg = {0};
    cfg.seed = seed;
    cfg.tap = ikh_tap_sim;
    cfg.tap_user = tap;
    ikh_sim *sim = NULL;
    assert_ikh_ok(ikh_sim_new(&cfg, &sim));
    gnode n[4];
    memset(n, 0, sizeof n);
    n[0].self = n[1].peer = ikh_addr_v4(10, 0, 0, 1);
    n[1].self = n[0].peer = ikh_addr_v4(10, 0, 0, 2);
    n[2].self = n[3].peer = v6(1);
    n[3].self = n[2].peer = v6(2);
    n[0].port = n[1].port = 500;
    n[2].port = n[3].port = 4500;
    n[1].server = n[3].server = true;
    for (size_t i = 0; i < 4; i++) {
        size_t idx;
        assert_ikh_ok(ikh_sim_node_add(sim, &n[i].self, &g_ops, &n[i], &idx));
        assert_ikh_ok(ikh_sim_node_env(sim, idx, &n[i].env));
    }
    ikh_sim_faults f = {10, 15, 20, 10, 10, 10, 3, 4, 30};
    ikh_sim_faults g = {15, 10, 10, 5, 5, 5, 2, 2, 10};
    ikh_sim_faults clean = {0};
    clean.delay_ms = 1;
    size_t l4, l6;
    assert_ikh_ok(ikh_sim_link_add(sim, &n[0].self, &n[1].self, &f, &g, &l4));
    assert_ikh_ok(ikh_sim_link_add(sim, &n[2].self, &n[3].self, &g, &f, &l6));
    assert_ikh_ok(ikh_sim_schedule(sim, 200, l4, IKH_SIM_BOTH, &clean));
    ikh_sim_stop why;
    assert_ikh_ok(ikh_sim_run(sim, IKH_TIME_NEVER, &why));
    assert_int_equal(why, IKH_SIM_IDLE);
    ikh_sim_stats st;
    ikh_sim_stats_get(sim, &st);
    assert_true(st.lost > 0 && st.duplicated > 0 && st.reordered > 0);
    assert_true(st.bitflips > 0 && st.corrupted > 0 && st.truncated > 0);
    assert_int_equal(ikh_tap_count(tap), st.delivered);
    ikh_sim_free(sim);
    assert_ikh_ok(ikh_tap_close(tap));
}

static void file_sha256_hex(const char *path, char out[65])
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct sha256_ctx h;
    sha256_init(&h);
    uint8_t buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&h, n, buf);
    fclose(fp);
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&h, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_golden(uint64_t seed, const char *name, const char *want)
{
    char p1[1024], p2[1024], h1[65], h2[65];
    snprintf(p1, sizeof p1, "%s/golden_sim_%s_a.pcap", ikh_tl_tmpdir(), name);
    snprintf(p2, sizeof p2, "%s/golden_sim_%s_b.pcap", ikh_tl_tmpdir(), name);
    run_scenario(seed, p1);
    run_scenario(seed, p2);
    file_sha256_hex(p1, h1);
    file_sha256_hex(p2, h2);
    assert_string_equal(h1, h2); /* same seed, byte-identical capture */
    if (getenv("IKH_GOLDEN_PRINT") != NULL)
        printf("GOLDEN test_golden_sim %s %s\n", name, h1);
    if (strcmp(h1, want) != 0)
        fail_msg("golden sim capture %s: sha256 %s, pinned %s (if the change "
                 "is intended, run ci/golden-update.sh)",
                 name, h1, want);
}

static void test_golden_sim_seed1(void **state)
{
    (void)state;
    check_golden(1, "seed1", GOLDEN_SEED1);
}

static void test_golden_sim_seed_deadbeef(void **state)
{
    (void)state;
    check_golden(0xdeadbeef, "seed_deadbeef", GOLDEN_SEED_DEADBEEF);
}

static void test_golden_sim_seeds_differ(void **state)
{
    (void)state;
    assert_string_not_equal(GOLDEN_SEED1, GOLDEN_SEED_DEADBEEF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_sim_seed1),
        cmocka_unit_test(test_golden_sim_seed_deadbeef),
        cmocka_unit_test(test_golden_sim_seeds_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
