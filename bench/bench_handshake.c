/* SPDX-License-Identifier: MIT */
/*
 * Full IKEv2 handshakes per second: IKE_SA_INIT + IKE_AUTH with the first
 * Child SA (PSK on both sides) between two nodes in the deterministic
 * simulator, on virtual time, so the figure is CPU only. Each handshake is
 * a fresh sim (seed = iteration number) with a fresh node pair, run until
 * idle, checked (both IKE SAs ESTABLISHED, both Child SAs INSTALLED) and
 * freed; sim and node setup are part of the cost.
 *   bench_handshake [--seconds S]   (default 1: S s of handshakes and
 *                                    S s of KE reference per suite)
 * Reference, measured in the same run: the key exchange alone for the
 * suite's group (2 keygens + 2 derives through the registry's
 * ikh_ke_ops, as bench_ke.c does), alternating with the handshakes in
 * 50 ms slices so both see the same load. ratio = handshake time / KE time
 * shows how much of a handshake the Diffie-Hellman itself is; handshake
 * minus KE time is everything else (sim, nodes, PRF/KDF, AEAD, codec).
 * Messages and octets are the IKE datagrams the sim carried (UDP payload
 * octets, non-ESP marker included).
 * Prints figures; never fails on a time (it aborts only when a handshake
 * does not complete, which is a bug, not a speed).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/sim.h"

static double budget = 1.0;
static volatile unsigned sink;

/** One suite: IKE proposal and the ESP proposal of the first Child SA. */
typedef struct suite {
    const char *ike;
    const char *esp;
} suite;

static const suite suites[] = {
    {"aes256gcm16-prfsha256-x25519", "aes256gcm16"},
    {"aes256gcm16-prfsha256-ecp256", "aes256gcm16"},
    {"aes128-sha256-modp2048", "aes128-sha256"},
    {"aes256gcm16-prfsha384-modp3072", "aes256gcm16"},
    {"chacha20poly1305-prfsha256-curve25519", "aes256gcm16"},
};

/** Monotonic seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *suite_name, ikh_err e)
{
    fprintf(stderr, "bench_handshake: %s: %s: %s (%s)\n", suite_name, what,
            ikh_err_name(e), ikh_err_str(e));
    exit(2);
}

/* ---- the node pair in the sim ---------------------------------------- */

/** One node in the sim: the sim hands this wrapper back to the hooks. */
typedef struct hs_node {
    ikh_node *node;
} hs_node;

static ikh_err hn_recv(void *node, const ikh_dgram *dg, ikh_time_ms t)
{
    hs_node *h = node;
    return ikh_node_recv(h->node, dg, t);
}

static ikh_err hn_expire(void *node, ikh_time_ms t)
{
    hs_node *h = node;
    return ikh_node_expire(h->node, t);
}

static ikh_time_ms hn_deadline(const void *node)
{
    const hs_node *h = node;
    return ikh_node_deadline(h->node);
}

static const ikh_sim_node_ops hn_ops = {hn_recv, hn_expire, hn_deadline};

/** IKE datagrams and octets sent, counted by the sim tap. */
typedef struct traffic {
    unsigned long long msgs, octets;
} traffic;

static void tap(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                ikh_time_ms t)
{
    traffic *tr = user;
    (void)t;
    if (kind != IKH_SIM_TAP_SENT || dg->esp)
        return;
    tr->msgs++;
    tr->octets += dg->data.len + (dg->non_esp_marker ? 4u : 0u);
}

static ikh_ts_cfg ts_v4(uint8_t a, uint8_t b)
{
    ikh_ts_cfg ts;
    memset(&ts, 0, sizeof ts);
    ts.type = IKH_TS_IPV4_ADDR_RANGE;
    ts.start_port = 0;
    ts.end_port = 65535;
    ts.start[0] = a;
    ts.start[1] = b;
    ts.end[0] = a;
    ts.end[1] = b;
    ts.end[2] = 255;
    ts.end[3] = 255;
    return ts;
}

/** Fill the configuration of node "a" (side 0) or "b" (side 1). */
static void config(ikh_ike_config *c, const suite *s, int side)
{
    static const char psk[] = "bench";
    ikh_ike_config_init(c);
    snprintf(c->name, sizeof c->name, "%s", side == 0 ? "a" : "b");
    ikh_addr a1 = ikh_addr_v4(192, 0, 2, 1), a2 = ikh_addr_v4(192, 0, 2, 2);
    c->addr = side == 0 ? a1 : a2;
    c->peer_addr = side == 0 ? a2 : a1;
    ikh_err e = ikh_proposal_parse(s->ike, false, &c->props[0], NULL);
    if (e != IKH_OK)
        die("IKE proposal", s->ike, e);
    c->n_props = 1;
    c->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    c->auth.psk_len = (uint16_t)(sizeof psk - 1);
    memcpy(c->auth.psk, psk, sizeof psk - 1);
    c->peer_auth = c->auth;
    ikh_child_cfg *ch = &c->children[0];
    snprintf(ch->name, sizeof ch->name, "net");
    e = ikh_proposal_parse(s->esp, true, &ch->props[0], NULL);
    if (e != IKH_OK)
        die("ESP proposal", s->ike, e);
    ch->n_props = 1;
    ikh_ts_cfg n1 = ts_v4(10, 1), n2 = ts_v4(10, 2);
    ch->n_local_ts = 1;
    ch->n_remote_ts = 1;
    ch->local_ts[0] = side == 0 ? n1 : n2;
    ch->remote_ts[0] = side == 0 ? n2 : n1;
    c->n_children = 1;
}

/** IKE SA ESTABLISHED with group @p ke, its first Child SA INSTALLED? */
static bool established(const ikh_node *n, uint16_t ke)
{
    ikh_ike_info ii;
    ikh_child_info ci;
    if (ikh_node_ike_count(n) != 1 || ikh_node_ike_get(n, 0, &ii) != IKH_OK)
        return false;
    if (ii.state != IKH_IKE_ESTABLISHED || ii.ke != ke)
        return false;
    if (ikh_node_child_get(n, ii.ref, 0, &ci) != IKH_OK)
        return false;
    return ci.state == IKH_CHILD_INSTALLED;
}

/** One complete handshake in a fresh sim; aborts the bench on failure. */
static void handshake(const suite *s, const ikh_ike_config cfg[2],
                      uint64_t seed, traffic *tr)
{
    ikh_sim_config sc;
    memset(&sc, 0, sizeof sc);
    sc.seed = seed;
    sc.tap = tap;
    sc.tap_user = tr;
    ikh_sim *sim = NULL;
    hs_node hn[2] = {{NULL}, {NULL}};
    size_t idx[2] = {0, 0};
    ikh_err e = ikh_sim_new(&sc, &sim);
    for (int i = 0; i < 2 && e == IKH_OK; i++)
        e = ikh_sim_node_add(sim, &cfg[i].addr, &hn_ops, &hn[i], &idx[i]);
    for (int i = 0; i < 2 && e == IKH_OK; i++) {
        ikh_env env;
        e = ikh_sim_node_env(sim, idx[i], &env);
        if (e == IKH_OK)
            e = ikh_node_new(&cfg[i], &env, &hn[i].node);
    }
    if (e != IKH_OK)
        die("setup", s->ike, e);
    e = ikh_node_initiate(hn[0].node, 0, ikh_sim_now(sim), NULL);
    if (e != IKH_OK)
        die("initiate", s->ike, e);
    ikh_sim_stop why = IKH_SIM_IDLE;
    e = ikh_sim_run(sim, IKH_TIME_NEVER, &why);
    if (e != IKH_OK)
        die("sim run", s->ike, e);
    uint16_t ke = 0;
    for (size_t i = 0; i < cfg[0].props[0].n; i++)
        if (cfg[0].props[0].xf[i].type == IKH_XF_KE)
            ke = cfg[0].props[0].xf[i].id;
    if (!established(hn[0].node, ke) || !established(hn[1].node, ke)) {
        fprintf(stderr,
                "bench_handshake: %s: seed %llu: handshake did not "
                "complete\n",
                s->ike, (unsigned long long)seed);
        exit(2);
    }
    ikh_node_free(hn[0].node);
    ikh_node_free(hn[1].node);
    ikh_sim_free(sim);
}

/* ---- the key exchange alone ------------------------------------------ */

/** Counter-based rand hook (deterministic, cheap), as in bench_ke.c. */
static void bench_rand(void *user, uint8_t *out, size_t len)
{
    uint64_t *st = user;
    for (size_t i = 0; i < len; i++) {
        *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = (uint8_t)(*st >> 56);
    }
}

/** The registry's KE operations for the group of an IKE proposal. */
static const ikh_ke_ops *suite_ke(const ikh_proposal_cfg *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->xf[i].type != IKH_XF_KE)
            continue;
        const ikh_xform_desc *d =
            ikh_crypto_find(ikh_crypto_default_list(), IKH_XF_KE, p->xf[i].id,
                            p->xf[i].key_bits);
        if (d != NULL && d->ke != NULL)
            return d->ke;
    }
    fprintf(stderr, "bench_handshake: %s: no KE group in the registry\n", name);
    exit(2);
}

static uint8_t pub_a[IKH_KE_PUB_MAX], pub_b[IKH_KE_PUB_MAX];

/** One key exchange: both keygens, both derives. */
static void ke_once(const ikh_ke_ops *ke, const ikh_rand *rnd)
{
    ikh_crypto_ctx ca, cb;
    ikh_secret za, zb;
    if (ke->keygen(&ca, rnd, pub_a) != IKH_OK ||
        ke->keygen(&cb, rnd, pub_b) != IKH_OK ||
        ke->derive(&ca, ikh_span_of(pub_b, ke->pub_len), &za) != IKH_OK ||
        ke->derive(&cb, ikh_span_of(pub_a, ke->pub_len), &zb) != IKH_OK ||
        za.len != zb.len || memcmp(za.b, zb.b, za.len) != 0)
        abort();
    sink += za.b[0];
    ke->fini(&ca);
    ke->fini(&cb);
    ikh_secret_fini(&za);
    ikh_secret_fini(&zb);
}

/** Run handshakes (or key exchanges) for about @p slice seconds; add the
 *  time taken and the count to @p sec and @p n. */
static void slice_hs(const suite *s, const ikh_ike_config cfg[2], double slice,
                     traffic *tr, double *sec, uint64_t *n)
{
    double t0 = now(), t;
    do {
        ++*n;
        handshake(s, cfg, *n, tr);
        t = now();
    } while (t - t0 < slice);
    *sec += t - t0;
}

static void slice_ke(const ikh_ke_ops *ke, const ikh_rand *rnd, double slice,
                     double *sec, uint64_t *n)
{
    double t0 = now(), t;
    do {
        ke_once(ke, rnd);
        ++*n;
        t = now();
    } while (t - t0 < slice);
    *sec += t - t0;
}

/* ---- one suite -------------------------------------------------------- */

/* Handshakes and the KE reference alternate in slices of SLICE_S seconds,
 * so that both see the same machine load and the ratio stays meaningful on
 * a busy host. */
#define SLICE_S 0.05

static void run(const suite *s)
{
    ikh_ike_config cfg[2];
    config(&cfg[0], s, 0);
    config(&cfg[1], s, 1);
    const ikh_ke_ops *ke = suite_ke(&cfg[0].props[0], s->ike);
    uint64_t seed = 1;
    ikh_rand rnd = {bench_rand, &seed};
    traffic tr = {0, 0};
    handshake(s, cfg, 0, &tr); /* warm-up, not counted */
    ke_once(ke, &rnd);
    tr.msgs = tr.octets = 0;
    double slice = budget < 4 * SLICE_S ? budget / 4 : SLICE_S;
    double hs_sec = 0, ke_sec = 0;
    uint64_t hs_n = 0, ke_n = 0;
    do {
        slice_hs(s, cfg, slice, &tr, &hs_sec, &hs_n);
        slice_ke(ke, &rnd, slice, &ke_sec, &ke_n);
    } while (hs_sec < budget);
    double hs = hs_sec / (double)hs_n, kx = ke_sec / (double)ke_n;
    printf("%-38s %9.1f %9.3f %8.3f %6.2f %5.2f %8.1f\n", s->ike, 1.0 / hs,
           hs * 1e3, kx * 1e3, hs / kx, (double)tr.msgs / (double)hs_n,
           (double)tr.octets / (double)hs_n);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            budget = atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--seconds S]\n", argv[0]);
            return 2;
        }
    }
    if (budget <= 0)
        budget = 1.0;
    printf("bench_handshake: %.2f s per suite (handshakes) and per KE "
           "reference; PSK, sim, virtual time\n",
           budget);
    printf("KE = 2 keygens + 2 derives (ikh_ke_ops); ratio = handshake / KE "
           "time; msgs, octets = IKE datagrams per handshake\n");
    printf("%-38s %9s %9s %8s %6s %5s %8s\n", "suite", "hs/s", "ms/hs", "KE ms",
           "ratio", "msgs", "octets");
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        run(&suites[i]);
    return sink == 0xdeadbeefu;
}
