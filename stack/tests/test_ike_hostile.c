/* SPDX-License-Identifier: MIT */
/*
 * Hostile input to IKEv2 nodes (../shared/STYLE.md §1, §14): garbage,
 * truncations, replays, bit flips of every protected message of a full
 * run, forged Message IDs, allocation failures at every call, and the SA
 * table limits. Nothing may crash, leak (every node runs on a counting
 * allocator that must end with no live block), hang (a deadline that does
 * not move after expire() fails the test) or change an established SA.
 *
 * Two nodes are wired by hand: each env's send hook copies the datagram
 * into one in-flight queue, and pump() delivers it to the node at its
 * destination address, optionally through an interceptor that sees it
 * first. Time is virtual; randomness is a seeded splitmix64 per node.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "ike/ike_int.h"
#include "ikh/iana.h"
#include "ikh/ike.h"

/* ---- harness ------------------------------------------------------------ */

#define DG_MAX 4096u   /* largest datagram this test carries */
#define Q_MAX 64u      /* datagrams in flight */
#define SENT_MAX 96u   /* datagrams remembered per side (resend checks) */
#define SNAP_IKE 4u    /* IKE SAs a snapshot holds per node */
#define SNAP_CHILD 4u  /* Child SAs a snapshot holds per IKE SA */
#define STEP_MAX 20000 /* deliveries or timer runs before "it hangs" */

typedef struct cap_dg {
    ikh_dgram dg;
    size_t from; /* side index that sent it */
    uint8_t buf[DG_MAX];
} cap_dg;

struct pair;

typedef struct side {
    struct pair *pr;
    size_t idx;
    ikh_node *node;
    ikh_mem_fail mem;
    uint64_t rng;
    unsigned n_sent;       /* datagrams sent */
    cap_dg sent[SENT_MAX]; /* the first SENT_MAX of them */
} side;

typedef void (*intercept_fn)(struct pair *pr, size_t to, const ikh_dgram *dg);

typedef struct pair {
    side s[2];
    ikh_ike_config cfg[2];
    ikh_time_ms now;
    cap_dg q[Q_MAX];
    size_t nq;
    intercept_fn intercept;
    unsigned n_sa_limit_logs; /* ike.msg.drop lines with IKE_SA_LIMIT */
    /* case 3 statistics */
    unsigned attacked_msgs, mutations, resends;
} pair;

static uint64_t splitmix(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void side_rand(void *user, uint8_t *out, size_t len)
{
    side *s = user;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)splitmix(&s->rng);
}

static void cap_copy(cap_dg *c, const ikh_dgram *dg, size_t from)
{
    assert_true(dg->data.len <= DG_MAX);
    c->dg = *dg;
    c->from = from;
    if (dg->data.len > 0)
        memcpy(c->buf, dg->data.p, dg->data.len);
    c->dg.data = ikh_span_of(c->buf, dg->data.len);
}

static int side_send(void *user, const ikh_dgram *dg)
{
    side *s = user;
    pair *pr = s->pr;
    assert_true(pr->nq < Q_MAX);
    cap_copy(&pr->q[pr->nq++], dg, s->idx);
    if (s->n_sent < SENT_MAX)
        cap_copy(&s->sent[s->n_sent], dg, s->idx);
    s->n_sent++;
    return 0;
}

static void side_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    side *s = user;
    (void)lvl;
    (void)len;
    if (strstr(line, "\"ev\":\"ike.msg.drop\"") != NULL &&
        strstr(line, "IKE_SA_LIMIT") != NULL)
        s->pr->n_sa_limit_logs++;
}

static ikh_ts_cfg ts_v4(uint8_t a, uint8_t b)
{
    ikh_ts_cfg ts;
    memset(&ts, 0, sizeof ts);
    ts.type = IKH_TS_IPV4_ADDR_RANGE;
    ts.end_port = 65535;
    ts.start[0] = ts.end[0] = a;
    ts.start[1] = ts.end[1] = b;
    ts.end[2] = ts.end[3] = 255;
    return ts;
}

/* RFC 7383 fragmentation for the next pairs: IP datagram limit; 0: off. */
static uint16_t g_frag_size;
static uint64_t g_liveness_ms;    /* liveness checks in pairs made now */
static uint64_t g_child_rekey_ms; /* node a's Child SA rekey time in pairs
                                     made now (b: none) */

/* Configuration of node "a" (side 0) or "b" (side 1). */
static void config(ikh_ike_config *c, int side_idx, const char *ike,
                   const char *esp)
{
    static const char psk[] = "hostile";
    ikh_ike_config_init(c);
    snprintf(c->name, sizeof c->name, "%s", side_idx == 0 ? "a" : "b");
    ikh_addr a1 = ikh_addr_v4(192, 0, 2, 1), a2 = ikh_addr_v4(192, 0, 2, 2);
    c->addr = side_idx == 0 ? a1 : a2;
    c->peer_addr = side_idx == 0 ? a2 : a1;
    assert_ikh_ok(ikh_proposal_parse(ike, false, &c->props[0], NULL));
    c->n_props = 1;
    c->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    c->auth.psk_len = (uint16_t)(sizeof psk - 1);
    memcpy(c->auth.psk, psk, sizeof psk - 1);
    c->peer_auth = c->auth;
    ikh_child_cfg *ch = &c->children[0];
    snprintf(ch->name, sizeof ch->name, "net");
    assert_ikh_ok(ikh_proposal_parse(esp, true, &ch->props[0], NULL));
    ch->n_props = 1;
    ikh_ts_cfg n1 = ts_v4(10, 1), n2 = ts_v4(10, 2);
    ch->rekey_ms = side_idx == 0 ? g_child_rekey_ms : 0;
    ch->n_local_ts = ch->n_remote_ts = 1;
    ch->local_ts[0] = side_idx == 0 ? n1 : n2;
    ch->remote_ts[0] = side_idx == 0 ? n2 : n1;
    c->n_children = 1;
    c->fragmentation = g_frag_size != 0;
    c->fragment_size = g_frag_size;
    c->liveness_ms = g_liveness_ms;
}

static const char *const SUITE_AEAD[2] = {"aes256gcm16-prfsha256-x25519",
                                          "aes256gcm16"};
static const char *const SUITE_CBC[2] = {"aes128-sha256-x25519",
                                         "aes128-sha256"};

/* A pair with nodes of suite @p suite; allocator of side @p fail_side
 * fails at call @p fail_at (0: never). Returns the pair; *e gets the first
 * ikh_node_new() error (the node whose creation failed stays NULL). */
static pair *pair_new_ex(uint64_t seed, const char *const suite[2],
                         size_t fail_side, uint64_t fail_at, bool sticky,
                         bool log, ikh_err *e)
{
    pair *pr = calloc(1, sizeof *pr);
    assert_non_null(pr);
    *e = IKH_OK;
    for (size_t i = 0; i < 2; i++) {
        side *s = &pr->s[i];
        s->pr = pr;
        s->idx = i;
        s->rng = seed * 2 + i + 1;
        ikh_mem_fail_init(&s->mem, i == fail_side ? fail_at : 0, sticky);
        config(&pr->cfg[i], (int)i, suite[0], suite[1]);
        ikh_env env;
        memset(&env, 0, sizeof env);
        env.user = s;
        env.send = side_send;
        env.rand = side_rand;
        env.log = log ? side_log : NULL;
        env.mem = &s->mem.mem;
        ikh_err ee = ikh_node_new(&pr->cfg[i], &env, &s->node);
        if (ee != IKH_OK && *e == IKH_OK)
            *e = ee;
    }
    return pr;
}

static pair *pair_new(uint64_t seed)
{
    ikh_err e;
    pair *pr = pair_new_ex(seed, SUITE_AEAD, 2, 0, false, false, &e);
    assert_ikh_ok(e);
    return pr;
}

/* Free both nodes; neither allocator may hold a live block afterwards. */
static void pair_free(pair *pr)
{
    for (size_t i = 0; i < 2; i++) {
        ikh_node_free(pr->s[i].node);
        pr->s[i].node = NULL;
        if (pr->s[i].mem.live != 0)
            fail_msg("node %zu leaked %llu blocks (fail_at %llu)", i,
                     (unsigned long long)pr->s[i].mem.live,
                     (unsigned long long)pr->s[i].mem.fail_at);
    }
    free(pr);
}

static int side_at(const pair *pr, const ikh_addr *a)
{
    for (int i = 0; i < 2; i++)
        if (ikh_addr_cmp(&pr->cfg[i].addr, a) == 0)
            return i;
    return -1;
}

/* The node's deadline may be due (== now) but never earlier. */
static void check_deadline(const ikh_node *n, ikh_time_ms now)
{
    if (n == NULL)
        return;
    ikh_time_ms d = ikh_node_deadline(n);
    if (d < now)
        fail_msg("deadline %llu is before now %llu", (unsigned long long)d,
                 (unsigned long long)now);
}

/* recv() and expire() fail only when a hook failed (ikh/ike.h). */
static void check_hook_err(ikh_err e)
{
    if (e != IKH_OK && e != IKH_ERR_ENV_NOMEM)
        fail_msg("unexpected %s", ikh_err_name(e));
}

/* Run @p n's timers at @p now; its deadline must then lie after now (a
 * deadline that does not move would spin a driver forever). */
static void expire_checked(ikh_node *n, size_t side_idx, ikh_time_ms now)
{
    check_hook_err(ikh_node_expire(n, now));
    ikh_time_ms d = ikh_node_deadline(n);
    if (d <= now)
        fail_msg("node %zu: deadline %llu not after now %llu after expire",
                 side_idx, (unsigned long long)d, (unsigned long long)now);
}

/* Ask @p n for action @p act IKH_IKE_MAX_QUEUED + 4 times, enough to fill
 * its task queue; returns how many asks were taken (at least the queue). */
static size_t fill_task_queue(ikh_node *n, ikh_action act, ikh_time_ms now)
{
    size_t taken = 0;
    for (size_t i = 0; i < IKH_IKE_MAX_QUEUED + 4; i++)
        taken += ikh_node_action(n, act, 0, 0, now) == IKH_OK;
    assert_true(taken >= IKH_IKE_MAX_QUEUED);
    return taken;
}

/* Deliver everything in flight (and what that causes). */
static void pump(pair *pr)
{
    static cap_dg c; /* one delivery at a time; never re-entered */
    for (int steps = 0; pr->nq > 0; steps++) {
        assert_true(steps < STEP_MAX);
        c = pr->q[0];
        c.dg.data = ikh_span_of(c.buf, c.dg.data.len);
        memmove(&pr->q[0], &pr->q[1], (pr->nq - 1) * sizeof pr->q[0]);
        pr->nq--;
        int to = side_at(pr, &c.dg.dst);
        if (to < 0 || pr->s[to].node == NULL)
            continue;
        if (pr->intercept != NULL)
            pr->intercept(pr, (size_t)to, &c.dg);
        check_hook_err(ikh_node_recv(pr->s[to].node, &c.dg, pr->now));
        check_deadline(pr->s[to].node, pr->now);
    }
}

/* Deliver and run timers until both nodes are idle or @p span_ms of
 * virtual time has passed. A deadline that does not move past now after
 * expire() would spin a driver forever: it fails the test. */
static void settle(pair *pr, ikh_time_ms span_ms)
{
    ikh_time_ms until = pr->now + span_ms;
    pump(pr);
    for (int steps = 0;; steps++) {
        assert_true(steps < STEP_MAX);
        ikh_time_ms d = IKH_TIME_NEVER;
        for (size_t i = 0; i < 2; i++) {
            ikh_time_ms di = ikh_node_deadline(pr->s[i].node);
            if (pr->s[i].node != NULL && di < d)
                d = di;
        }
        if (d == IKH_TIME_NEVER || d > until)
            break;
        if (d > pr->now)
            pr->now = d;
        for (size_t i = 0; i < 2; i++) {
            if (pr->s[i].node == NULL)
                continue;
            expire_checked(pr->s[i].node, i, pr->now);
        }
        pump(pr);
    }
    if (pr->now < until && until != IKH_TIME_NEVER)
        pr->now = until;
}

static const ikh_ike_info *ike0(const ikh_node *n, ikh_ike_info *ii)
{
    assert_ikh_ok(ikh_node_ike_get(n, 0, ii));
    return ii;
}

static void establish(pair *pr)
{
    assert_ikh_ok(ikh_node_initiate(pr->s[0].node, 0, pr->now, NULL));
    settle(pr, 1000);
    for (size_t i = 0; i < 2; i++) {
        ikh_ike_info ii;
        ikh_child_info ci;
        assert_int_equal(ikh_node_ike_count(pr->s[i].node), 1);
        assert_int_equal(ike0(pr->s[i].node, &ii)->state, IKH_IKE_ESTABLISHED);
        assert_ikh_ok(ikh_node_child_get(pr->s[i].node, ii.ref, 0, &ci));
        assert_int_equal(ci.state, IKH_CHILD_INSTALLED);
    }
}

/* A pair made with one of the timer settings above (@p knob: g_liveness_ms
 * or g_child_rekey_ms) at @p ms, established; the setting is back to 0 for
 * the pairs made after it. */
static pair *established_with(uint64_t *knob, uint64_t ms, uint64_t seed)
{
    *knob = ms;
    pair *pr = pair_new(seed);
    *knob = 0;
    establish(pr);
    return pr;
}

/* The rest of a full run on an established pair: rekey the Child SA,
 * rekey the IKE SA, delete the IKE SA (errors are part of what is tested
 * when allocations fail, so they are not asserted here). */
static void run_rest(pair *pr)
{
    static const ikh_action acts[] = {IKH_ACT_REKEY_CHILD, IKH_ACT_REKEY_IKE,
                                      IKH_ACT_DELETE_IKE};
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
        if (pr->s[0].node == NULL)
            return;
        ikh_err e = ikh_node_action(pr->s[0].node, acts[k], 0, 0, pr->now);
        (void)e; /* STATE when an earlier failure left no SA */
        settle(pr, 600000);
    }
}

/* Everything visible about a node. */
typedef struct snap {
    size_t n_ike;
    ikh_ike_info ike[SNAP_IKE];
    size_t n_child[SNAP_IKE];
    ikh_child_info child[SNAP_IKE][SNAP_CHILD];
    ikh_time_ms deadline;
    ikh_ike_counters ctr;
} snap;

static void snap_take(const ikh_node *n, snap *s)
{
    memset(s, 0, sizeof *s);
    s->n_ike = ikh_node_ike_count(n);
    assert_true(s->n_ike <= SNAP_IKE);
    for (size_t i = 0; i < s->n_ike; i++) {
        assert_ikh_ok(ikh_node_ike_get(n, i, &s->ike[i]));
        size_t k = 0;
        while (k < SNAP_CHILD &&
               ikh_node_child_get(n, s->ike[i].ref, k, &s->child[i][k]) ==
                   IKH_OK) {
            /* drop counters are expected to move; SA state is not */
            s->child[i][k].replay_drops = 0;
            s->child[i][k].icv_failures = 0;
            k++;
        }
        s->n_child[i] = k;
    }
    s->deadline = ikh_node_deadline(n);
    ikh_node_counters(n, &s->ctr);
}

/* Same SAs, same Child SAs, same deadline; counters equal but dropped. */
static void snap_same(const snap *a, const snap *b, const char *what,
                      size_t pos)
{
    ikh_ike_counters ca = a->ctr, cb = b->ctr;
    ca.dropped = cb.dropped = 0;
    if (a->n_ike != b->n_ike || a->deadline != b->deadline ||
        memcmp(a->ike, b->ike, sizeof a->ike) != 0 ||
        memcmp(a->n_child, b->n_child, sizeof a->n_child) != 0 ||
        memcmp(a->child, b->child, sizeof a->child) != 0 ||
        memcmp(&ca, &cb, sizeof ca) != 0)
        fail_msg("%s: state changed (position %zu)", what, pos);
}

static bool is_response(const ikh_dgram *dg)
{
    return dg->data.len >= IKH_IKE_HDR_LEN &&
           (dg->data.p[19] & IKH_HDR_F_RESPONSE) != 0;
}

static uint8_t exch_of(const ikh_dgram *dg)
{
    return dg->data.len >= IKH_IKE_HDR_LEN ? dg->data.p[18] : 0;
}

/* Did side @p s send exactly these bytes before? */
static bool sent_before(const side *s, unsigned limit, const ikh_dgram *dg)
{
    for (size_t i = 0; i < limit && i < SENT_MAX; i++)
        if (s->sent[i].dg.data.len == dg->data.len &&
            memcmp(s->sent[i].buf, dg->data.p, dg->data.len) == 0)
            return true;
    return false;
}

/* Drop what side @p who sent after queue position @p from, and count its
 * resends of earlier bytes; anything else it sent must be an unprotected
 * INVALID_IKE_SPI answer (RFC 7296 §2.21.4: header plus one empty Notify). */
static unsigned discard_sent(pair *pr, size_t who, size_t from,
                             unsigned n_sent_before)
{
    side *s = &pr->s[who];
    unsigned resends = 0;
    for (size_t i = from; i < pr->nq; i++) {
        const ikh_dgram *dg = &pr->q[i].dg;
        /* compare against what was sent before this feed only */
        if (sent_before(s, n_sent_before, dg))
            resends++;
        else if (!(is_response(dg) && exch_of(dg) == IKH_EXCH_INFORMATIONAL &&
                   dg->data.len == IKH_IKE_HDR_LEN + 8u))
            fail_msg("node %zu sent a new %zu-octet message to forged input",
                     who, dg->data.len);
    }
    s->n_sent = n_sent_before;
    pr->nq = from;
    return resends;
}

/* ---- 1. garbage and truncations to a fresh node ------------------------- */

/* Capture a valid IKE_SA_INIT request from a real initiator. */
static size_t capture_init(uint64_t seed, uint8_t *out)
{
    pair *pr = pair_new(seed);
    assert_ikh_ok(ikh_node_initiate(pr->s[0].node, 0, 0, NULL));
    assert_int_equal(pr->nq, 1);
    assert_int_equal(exch_of(&pr->q[0].dg), IKH_EXCH_IKE_SA_INIT);
    size_t len = pr->q[0].dg.data.len;
    memcpy(out, pr->q[0].buf, len);
    pr->nq = 0;
    pair_free(pr);
    return len;
}

static ikh_dgram dg_to_b(const uint8_t *p, size_t len)
{
    ikh_dgram dg;
    memset(&dg, 0, sizeof dg);
    dg.src = ikh_addr_v4(192, 0, 2, 1);
    dg.dst = ikh_addr_v4(192, 0, 2, 2);
    dg.sport = dg.dport = IKH_PORT_IKE;
    dg.data = ikh_span_of(p, len);
    return dg;
}

/* Feed one hostile datagram to side b, which must drop it: one more drop,
 * no SA, nothing sent but an INVALID_IKE_SPI answer, deadline sane. */
static void feed_drop(pair *pr, const ikh_dgram *dg, const char *what,
                      size_t pos)
{
    ikh_node *b = pr->s[1].node;
    ikh_ike_counters c0, c1;
    ikh_node_counters(b, &c0);
    size_t nq = pr->nq;
    unsigned ns = pr->s[1].n_sent;
    pr->now++;
    assert_ikh_ok(ikh_node_recv(b, dg, pr->now));
    ikh_node_counters(b, &c1);
    if (c1.dropped != c0.dropped + 1 || ikh_node_ike_count(b) != 0)
        fail_msg("%s %zu: not dropped (drops %llu -> %llu, %zu SAs)", what, pos,
                 (unsigned long long)c0.dropped, (unsigned long long)c1.dropped,
                 ikh_node_ike_count(b));
    c0.dropped = c1.dropped;
    assert_memory_equal(&c0, &c1, sizeof c0);
    assert_int_equal(discard_sent(pr, 1, nq, ns), 0);
    check_deadline(b, pr->now);
}

/* ESP to a node without Child SAs: dropped by the data plane (counted in
 * its metrics, not necessarily in the IKE counters), nothing sent, no SA. */
static void feed_esp(pair *pr, const ikh_dgram *dg, size_t pos)
{
    ikh_node *b = pr->s[1].node;
    ikh_ike_counters c0, c1;
    ikh_node_counters(b, &c0);
    pr->now++;
    assert_ikh_ok(ikh_node_recv(b, dg, pr->now));
    ikh_node_counters(b, &c1);
    if (c1.dropped > c0.dropped + 1 || ikh_node_ike_count(b) != 0 ||
        pr->nq != 0)
        fail_msg("esp %zu: not dropped", pos);
    c0.dropped = c1.dropped;
    assert_memory_equal(&c0, &c1, sizeof c0);
    check_deadline(b, pr->now);
}

static void test_hostile_truncations(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(1, req);
    pair *pr = pair_new(2);
    for (size_t k = 0; k < len; k++) {
        ikh_dgram dg = dg_to_b(req, k);
        feed_drop(pr, &dg, "prefix", k);
    }
    /* the whole message: one SA, answered once */
    ikh_dgram dg = dg_to_b(req, len);
    assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
    assert_int_equal(ikh_node_ike_count(pr->s[1].node), 1);
    assert_int_equal(pr->nq, 1);
    assert_true(is_response(&pr->q[0].dg));
    /* the same prefixes again: the SA is untouched, and none is answered:
     * only the very same request is a retransmission (§2.1), so a
     * datagram that merely shares SPI and Message ID cannot make the
     * responder send again (no amplification) */
    cap_dg resp = pr->q[0];
    snap s0, s1;
    pr->nq = 0;
    snap_take(pr->s[1].node, &s0);
    for (size_t k = 0; k < len; k++) {
        memcpy(buf, req, k);
        ikh_dgram t = dg_to_b(buf, k);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &t, pr->now));
        assert_int_equal(pr->nq, 0);
        snap_take(pr->s[1].node, &s1);
        snap_same(&s0, &s1, "prefix after SA", k);
    }
    /* the identical request is answered from the cache, byte for byte */
    ikh_dgram again = dg_to_b(req, len);
    assert_ikh_ok(ikh_node_recv(pr->s[1].node, &again, pr->now));
    assert_int_equal(pr->nq, 1);
    assert_memory_equal(pr->q[0].buf, resp.buf, resp.dg.data.len);
    pr->nq = 0;
    pair_free(pr);
}

static void test_hostile_random_bytes(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(3, req);
    pair *pr = pair_new(4);
    uint64_t rng = 0x686f7374696c65ull; /* fixed seed */
    for (size_t i = 0; i < 3000; i++) {
        size_t n = (size_t)(splitmix(&rng) % 1500u);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)splitmix(&rng);
        if (i % 2 == 1 && n >= IKH_IKE_HDR_LEN) {
            /* a plausible IKEv2 header over random payloads: an
             * IKE_SA_INIT request, or another exchange with its SPIs */
            memcpy(buf, req, 16);
            buf[16] = buf[16] % 56u;
            buf[17] = 0x20;
            buf[18] = (uint8_t)(IKH_EXCH_IKE_SA_INIT + (i / 2u) % 4u);
            buf[19] = IKH_HDR_F_INITIATOR;
            memset(buf + 8, 0, (i / 2u) % 4u == 0 ? 8u : 0u);
            memset(buf + 20, 0, 4);
            buf[24] = (uint8_t)(n >> 24);
            buf[25] = (uint8_t)(n >> 16);
            buf[26] = (uint8_t)(n >> 8);
            buf[27] = (uint8_t)n;
        }
        ikh_dgram dg = dg_to_b(buf, n);
        feed_drop(pr, &dg, "random", i);
    }
    pair_free(pr);
    (void)len;
}

static void test_hostile_bad_headers(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(5, req);
    pair *pr = pair_new(6);
    ikh_dgram dg;
    /* wrong major version (1, 3, 15); minor versions are ignored (§3.1) */
    static const uint8_t vers[] = {0x10, 0x30, 0xF0, 0x00};
    for (size_t i = 0; i < sizeof vers; i++) {
        memcpy(buf, req, len);
        buf[17] = vers[i];
        dg = dg_to_b(buf, len);
        feed_drop(pr, &dg, "major version", i);
    }
    /* zero initiator SPI in IKE_SA_INIT (§3.1: MUST NOT be zero) */
    memcpy(buf, req, len);
    memset(buf, 0, 8);
    dg = dg_to_b(buf, len);
    feed_drop(pr, &dg, "zero ispi", 0);
    /* IKE_SA_INIT request with a responder SPI or a Message ID */
    memcpy(buf, req, len);
    buf[15] = 1;
    dg = dg_to_b(buf, len);
    feed_drop(pr, &dg, "init with rspi", 0);
    memcpy(buf, req, len);
    buf[23] = 1;
    dg = dg_to_b(buf, len);
    feed_drop(pr, &dg, "init with mid", 0);
    /* IKE_SA_INIT "request" without the I flag, or marked a response */
    memcpy(buf, req, len);
    buf[19] = 0;
    dg = dg_to_b(buf, len);
    feed_drop(pr, &dg, "init without I", 0);
    memcpy(buf, req, len);
    buf[19] |= IKH_HDR_F_RESPONSE;
    dg = dg_to_b(buf, len);
    feed_drop(pr, &dg, "init response", 0);
    /* other exchanges with zero or unknown SPIs, requests and responses */
    for (uint8_t x = IKH_EXCH_IKE_AUTH; x <= IKH_EXCH_INFORMATIONAL; x++)
        for (int resp = 0; resp < 2; resp++)
            for (int zero = 0; zero < 2; zero++) {
                memcpy(buf, req, len);
                if (zero)
                    memset(buf, 0, 16);
                else
                    buf[15] = 0x55;
                buf[18] = x;
                buf[19] = (uint8_t)(IKH_HDR_F_INITIATOR |
                                    (resp ? IKH_HDR_F_RESPONSE : 0));
                buf[23] = (uint8_t)(1 + resp);
                dg = dg_to_b(buf, len);
                feed_drop(pr, &dg, "unknown spi", (size_t)x);
            }
    /* ESP datagrams: the control plane drops them */
    uint64_t rng = 7;
    for (size_t i = 0; i < 64; i++) {
        size_t n = i * 13u;
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)splitmix(&rng);
        if (i == 1)
            memcpy(buf, req, len), n = len; /* IKE bytes marked ESP */
        dg = dg_to_b(buf, n);
        dg.esp = true;
        feed_esp(pr, &dg, i);
    }
    pair_free(pr);
}

/* Bit flips of an IKE_SA_INIT request, each to a fresh responder: at most
 * one SA, and only an answered one. */
static void test_hostile_init_bitflips(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(8, req);
    size_t bits = len * 8u;
    uint64_t rng = 9;
    for (size_t i = 0; i < 400; i++) {
        /* every header bit, then a deterministic sample of the rest */
        size_t pos =
            i < IKH_IKE_HDR_LEN * 8u ? i : (size_t)(splitmix(&rng) % bits);
        pair *pr = pair_new(10 + i);
        memcpy(buf, req, len);
        buf[pos / 8u] ^= (uint8_t)(1u << (pos % 8u));
        ikh_dgram dg = dg_to_b(buf, len);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, 1));
        size_t n_sa = ikh_node_ike_count(pr->s[1].node);
        assert_true(n_sa <= 1);
        if (n_sa == 1) {
            ikh_ike_info ii;
            assert_int_equal(ike0(pr->s[1].node, &ii)->state,
                             IKH_IKE_INIT_DONE);
            assert_int_equal(pr->nq, 1);
        }
        assert_true(pr->nq <= 1);
        check_deadline(pr->s[1].node, 1);
        pr->nq = 0;
        pair_free(pr);
    }
}

/* Unprotected IKE_SA_INIT variants sent to a half-open responder SA (same
 * initiator SPI, same peer) before the genuine IKE_AUTH arrives: they must
 * neither change the SA nor what IKE_AUTH is checked against (§2.15 signs
 * the first message). The handshake must still complete. */
static void test_hostile_init_to_half_open(void **state)
{
    (void)state;
    static const uint32_t mids[] = {1, 2, 0xFFFFFFFFu};
    for (size_t v = 0; v < sizeof mids / sizeof mids[0] + 2; v++) {
        uint8_t buf[DG_MAX];
        pair *pr = pair_new(14 + v);
        assert_ikh_ok(ikh_node_initiate(pr->s[0].node, 0, pr->now, NULL));
        cap_dg req = pr->q[0];
        pr->nq = 0;
        ikh_dgram dg = req.dg;
        dg.data = ikh_span_of(req.buf, req.dg.data.len);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, pr->now));
        assert_int_equal(pr->nq, 1); /* b's IKE_SA_INIT response */
        snap s0, s1;
        snap_take(pr->s[1].node, &s0);
        size_t len = req.dg.data.len, nq = pr->nq;
        memcpy(buf, req.buf, len);
        if (v < sizeof mids / sizeof mids[0]) {
            /* the same request with another Message ID */
            buf[20] = (uint8_t)(mids[v] >> 24);
            buf[21] = (uint8_t)(mids[v] >> 16);
            buf[22] = (uint8_t)(mids[v] >> 8);
            buf[23] = (uint8_t)mids[v];
        } else if (v == sizeof mids / sizeof mids[0]) {
            buf[len - 1] ^= 1; /* other content, Message ID 0 */
        } else {
            buf[19] |= IKH_HDR_F_RESPONSE; /* a reflected "response" */
        }
        dg.data = ikh_span_of(buf, len);
        unsigned ns = pr->s[1].n_sent;
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        (void)discard_sent(pr, 1, nq, ns);
        snap_take(pr->s[1].node, &s1);
        snap_same(&s0, &s1, "IKE_SA_INIT to a half-open SA", v);
        settle(pr, 1000);
        for (size_t i = 0; i < 2; i++) {
            ikh_ike_info ii;
            if (ikh_node_ike_count(pr->s[i].node) != 1 ||
                ike0(pr->s[i].node, &ii)->state != IKH_IKE_ESTABLISHED)
                fail_msg("variant %zu: node %zu not established", v, i);
        }
        pair_free(pr);
    }
}

/* ---- 2. replays --------------------------------------------------------- */

static void test_hostile_replay_init(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], first[DG_MAX];
    size_t len = capture_init(11, req), first_len = 0;
    pair *pr = pair_new(12);
    for (size_t i = 0; i < 100; i++) {
        ikh_dgram dg = dg_to_b(req, len);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        assert_int_equal(ikh_node_ike_count(pr->s[1].node), 1);
        assert_int_equal(pr->nq, 1);
        if (i == 0) {
            first_len = pr->q[0].dg.data.len;
            memcpy(first, pr->q[0].buf, first_len);
        } else {
            assert_int_equal(pr->q[0].dg.data.len, first_len);
            assert_memory_equal(pr->q[0].buf, first, first_len);
        }
        pr->nq = 0;
    }
    ikh_ike_counters c;
    ikh_node_counters(pr->s[1].node, &c);
    assert_int_equal(c.dropped, 0);
    pair_free(pr);
}

/* Keep a copy of the first IKE_AUTH request a sends. */
static cap_dg auth_req;
static void grab_auth(pair *pr, size_t to, const ikh_dgram *dg)
{
    (void)pr;
    if (to == 1 && exch_of(dg) == IKH_EXCH_IKE_AUTH && !is_response(dg) &&
        auth_req.dg.data.len == 0)
        cap_copy(&auth_req, dg, 0);
}

static void test_hostile_replay_auth(void **state)
{
    (void)state;
    pair *pr = pair_new(13);
    memset(&auth_req, 0, sizeof auth_req);
    pr->intercept = grab_auth;
    establish(pr);
    pr->intercept = NULL;
    assert_true(auth_req.dg.data.len > 0);
    /* the cached IKE_AUTH response is what b sent last */
    side *b = &pr->s[1];
    assert_true(b->n_sent >= 2 && b->n_sent <= SENT_MAX);
    cap_dg resp = b->sent[b->n_sent - 1];
    snap s0, s1, a0, a1;
    snap_take(b->node, &s0);
    snap_take(pr->s[0].node, &a0);
    for (size_t i = 0; i < 20; i++) {
        pr->now += 10;
        assert_ikh_ok(ikh_node_recv(b->node, &auth_req.dg, pr->now));
        assert_int_equal(pr->nq, 1);
        assert_int_equal(pr->q[0].dg.data.len, resp.dg.data.len);
        assert_memory_equal(pr->q[0].buf, resp.buf, resp.dg.data.len);
        snap_take(b->node, &s1);
        snap_same(&s0, &s1, "IKE_AUTH replay", i);
        assert_int_equal(s1.ctr.dropped, s0.ctr.dropped);
        /* the initiator drops the duplicate response */
        pump(pr);
        snap_take(pr->s[0].node, &a1);
        snap_same(&a0, &a1, "duplicate IKE_AUTH response", i);
        assert_int_equal(a1.ctr.dropped, a0.ctr.dropped + i + 1);
    }
    /* the SA still works: rekey the Child SA */
    assert_ikh_ok(
        ikh_node_action(pr->s[0].node, IKH_ACT_REKEY_CHILD, 0, 0, pr->now));
    settle(pr, 1000);
    ikh_ike_counters c;
    ikh_node_counters(b->node, &c);
    assert_int_equal(c.child_rekeys, 1);
    /* now the IKE_AUTH request is old (its response left the cache): it
     * is dropped, not answered and not run again */
    snap_take(b->node, &s0);
    assert_ikh_ok(ikh_node_recv(b->node, &auth_req.dg, ++pr->now));
    assert_int_equal(pr->nq, 0);
    snap_take(b->node, &s1);
    snap_same(&s0, &s1, "old IKE_AUTH replay", 0);
    assert_int_equal(s1.ctr.dropped, s0.ctr.dropped + 1);
    /* and the old IKE_SA_INIT request makes at most a new half-open SA
     * that leaves the established one alone and expires */
    ikh_ike_info est0, est1;
    ike0(b->node, &est0);
    assert_true(b->sent[0].dg.data.len > 0);
    assert_true(pr->s[0].n_sent > 0);
    ikh_dgram init = pr->s[0].sent[0].dg;
    assert_int_equal(exch_of(&init), IKH_EXCH_IKE_SA_INIT);
    assert_ikh_ok(ikh_node_recv(b->node, &init, ++pr->now));
    assert_true(ikh_node_ike_count(b->node) <= 2);
    pr->nq = 0;
    settle(pr, 60000);
    assert_int_equal(ikh_node_ike_count(b->node), 1);
    ike0(b->node, &est1);
    assert_memory_equal(&est0, &est1, sizeof est0);
    pair_free(pr);
}

/* ---- 3. bit flips of every protected message of a full run -------------- */

/* Before each protected datagram reaches its node, feed that node a copy
 * with each bit flipped in turn: each must be dropped (or, when the flip
 * only changed the Message ID into that of the cached response, answered
 * from the cache), and the node's SAs must not change. Then the genuine
 * datagram goes through and the run continues. */
static void attack(pair *pr, size_t to, const ikh_dgram *dg)
{
    static uint8_t buf[DG_MAX];
    if (exch_of(dg) == IKH_EXCH_IKE_SA_INIT || dg->esp)
        return; /* unprotected: case 1 covers it */
    ikh_node *n = pr->s[to].node;
    snap s0, s1;
    snap_take(n, &s0);
    size_t len = dg->data.len, nq = pr->nq;
    pr->attacked_msgs++;
    for (size_t pos = 0; pos < len * 8u; pos++) {
        memcpy(buf, dg->data.p, len);
        buf[pos / 8u] ^= (uint8_t)(1u << (pos % 8u));
        ikh_dgram m = *dg;
        m.data = ikh_span_of(buf, len);
        unsigned ns = pr->s[to].n_sent;
        assert_ikh_ok(ikh_node_recv(n, &m, pr->now));
        unsigned resends = discard_sent(pr, to, nq, ns);
        snap_take(n, &s1);
        snap_same(&s0, &s1, "bit flip", pos);
        uint64_t drops = s1.ctr.dropped - s0.ctr.dropped;
        if (drops + resends != 1)
            fail_msg("bit %zu of a %zu-octet exch %u message: %llu drops, "
                     "%u resends",
                     pos, len, exch_of(dg), (unsigned long long)drops, resends);
        s0.ctr.dropped = s1.ctr.dropped;
        pr->mutations++;
        pr->resends += resends;
    }
}

static void run_attacked(const char *const suite[2], uint64_t seed,
                         unsigned min_msgs)
{
    ikh_err e;
    pair *pr = pair_new_ex(seed, suite, 2, 0, false, false, &e);
    assert_ikh_ok(e);
    pr->intercept = attack;
    establish(pr);
    run_rest(pr);
    pr->intercept = NULL;
    ikh_ike_counters ca, cb;
    ikh_node_counters(pr->s[0].node, &ca);
    ikh_node_counters(pr->s[1].node, &cb);
    /* the genuine messages all worked */
    for (size_t i = 0; i < 2; i++) {
        const ikh_ike_counters *c = i == 0 ? &ca : &cb;
        assert_int_equal(c->handshakes, 1);
        assert_int_equal(c->child_rekeys, 1);
        assert_int_equal(c->ike_rekeys, 1);
        assert_int_equal(c->handshake_failures + c->auth_failures, 0);
    }
    assert_int_equal(ikh_node_ike_count(pr->s[0].node), 0);
    assert_int_equal(ikh_node_ike_count(pr->s[1].node), 0);
    /* IKE_AUTH, CREATE_CHILD_SA x2, INFORMATIONAL x3, each way */
    assert_true(pr->attacked_msgs >= min_msgs);
    assert_true(pr->mutations >= 12u * 8u * 50u);
    pair_free(pr);
}

static void test_hostile_bitflips_aead(void **state)
{
    (void)state;
    run_attacked(SUITE_AEAD, 20, 12);
}

static void test_hostile_bitflips_cbc(void **state)
{
    (void)state;
    run_attacked(SUITE_CBC, 21, 12);
}

/* The same with RFC 7383 fragments (IKE_AUTH and CREATE_CHILD_SA split
 * into Encrypted Fragment payloads): every fragment is attacked. */
static void test_hostile_bitflips_frag(void **state)
{
    (void)state;
    g_frag_size = 180;
    run_attacked(SUITE_CBC, 22, 18); /* more datagrams: fragments */
    g_frag_size = 0;
}

/* Forged ESP to an established pair: garbage under the SPI of an installed
 * Child SA never changes the SAs and is never answered; a flood of unknown
 * SPIs leaves both IKE SAs established (any INVALID_SPI notifications are
 * bounded by the task queue). */
static void test_hostile_esp_established(void **state)
{
    (void)state;
    uint8_t buf[DG_MAX];
    pair *pr = pair_new(25);
    establish(pr);
    ikh_ike_info ib;
    ikh_child_info cb;
    ike0(pr->s[1].node, &ib);
    assert_ikh_ok(ikh_node_child_get(pr->s[1].node, ib.ref, 0, &cb));
    snap s0, s1;
    snap_take(pr->s[1].node, &s0);
    uint64_t rng = 26;
    for (size_t i = 0; i < 2000; i++) {
        size_t n = (size_t)(splitmix(&rng) % 256u);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)splitmix(&rng);
        for (size_t k = 0; k < 4 && k < n; k++)
            buf[k] = (uint8_t)(cb.spi_in >> (24 - 8 * k));
        ikh_dgram dg = dg_to_b(buf, n);
        dg.esp = true;
        dg.sport = dg.dport = 0;
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        assert_int_equal(pr->nq, 0);
        snap_take(pr->s[1].node, &s1);
        s1.ctr.dropped = s0.ctr.dropped;
        snap_same(&s0, &s1, "ESP under a known SPI", i);
        check_deadline(pr->s[1].node, pr->now);
    }
    for (size_t i = 0; i < 100; i++) {
        for (size_t k = 0; k < 64; k++)
            buf[k] = (uint8_t)splitmix(&rng);
        ikh_dgram dg = dg_to_b(buf, 64);
        dg.esp = true;
        dg.sport = dg.dport = 0;
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        assert_true(pr->nq <= 2);
        pump(pr);
    }
    settle(pr, 100000);
    for (size_t i = 0; i < 2; i++) {
        ikh_ike_info ii;
        assert_int_equal(ikh_node_ike_count(pr->s[i].node), 1);
        assert_int_equal(ike0(pr->s[i].node, &ii)->state, IKH_IKE_ESTABLISHED);
    }
    pair_free(pr);
}

/* ---- 4. Message IDs and flags ------------------------------------------- */

/* Build a protected empty INFORMATIONAL with a's keys of IKE SA @p ref. */
static size_t forge(pair *pr, uint32_t ref, bool response, uint32_t mid,
                    uint8_t *out)
{
    static ikh_msg m;
    ikh_ike_sa *sa = ikh_node_sa_by_ref(pr->s[0].node, ref);
    assert_non_null(sa);
    ikh_msg_reset(&m, IKH_EXCH_INFORMATIONAL);
    size_t len = 0;
    assert_ikh_ok(ikh_exch_encode(sa, &m, response, mid, out, DG_MAX, &len));
    return len;
}

static void expect_dropped(pair *pr, const uint8_t *p, size_t len,
                           const char *what)
{
    snap s0, s1;
    ikh_node *b = pr->s[1].node;
    snap_take(b, &s0);
    ikh_dgram dg = dg_to_b(p, len);
    assert_ikh_ok(ikh_node_recv(b, &dg, ++pr->now));
    snap_take(b, &s1);
    snap_same(&s0, &s1, what, 0);
    if (s1.ctr.dropped != s0.ctr.dropped + 1 || pr->nq != 0)
        fail_msg("%s: not dropped", what);
}

static void test_hostile_message_ids(void **state)
{
    (void)state;
    uint8_t buf[DG_MAX];
    pair *pr = pair_new(30);
    establish(pr);
    ikh_ike_info ia, ib;
    ike0(pr->s[0].node, &ia);
    ike0(pr->s[1].node, &ib);
    uint32_t exp = ib.mid_next_in;
    assert_int_equal(exp, 2);
    static const uint32_t bad[] = {3, 102, 0xFFFFFFFFu, 0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = forge(pr, ia.ref, false, bad[i], buf);
        expect_dropped(pr, buf, len, "request mid");
    }
    /* responses to requests b never sent (b has sent none) */
    for (uint32_t mid = 0; mid < 3; mid++) {
        size_t len = forge(pr, ia.ref, true, mid, buf);
        expect_dropped(pr, buf, len, "response to nothing");
    }
    /* the genuine Message ID, but with the I flag cleared: as if b had
     * sent it (the flag is checked before the ICV, §3.1) */
    size_t len = forge(pr, ia.ref, false, exp, buf);
    buf[19] &= (uint8_t)~IKH_HDR_F_INITIATOR;
    expect_dropped(pr, buf, len, "wrong I flag");
    /* and with the R flag added (a response no one asked for) */
    len = forge(pr, ia.ref, false, exp, buf);
    buf[19] |= IKH_HDR_F_RESPONSE;
    expect_dropped(pr, buf, len, "R flag");
    /* positive control: the same forge with the right Message ID is an
     * authentic liveness check that b answers */
    len = forge(pr, ia.ref, false, exp, buf);
    ikh_dgram dg = dg_to_b(buf, len);
    assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
    assert_int_equal(pr->nq, 1);
    assert_true(is_response(&pr->q[0].dg));
    pr->nq = 0;
    ike0(pr->s[1].node, &ib);
    assert_int_equal(ib.mid_next_in, exp + 1);
    /* b's own request reflected back to it as a response: the Message ID
     * and exchange match b's outstanding request, the I flag does not */
    assert_ikh_ok(
        ikh_node_action(pr->s[1].node, IKH_ACT_LIVENESS, 0, 0, pr->now));
    assert_int_equal(pr->nq, 1);
    snap a0, a1;
    snap_take(pr->s[0].node, &a0);
    memcpy(buf, pr->q[0].buf, pr->q[0].dg.data.len);
    len = pr->q[0].dg.data.len;
    buf[19] |= IKH_HDR_F_RESPONSE;
    pr->nq = 0;
    expect_dropped(pr, buf, len, "own request reflected");
    snap_take(pr->s[0].node, &a1);
    snap_same(&a0, &a1, "a untouched", 0);
    pair_free(pr);
}

/* ---- 5. allocation failures --------------------------------------------- */

/* A full run where side @p who fails allocation call k, for every k from 1
 * until a run hits no failure. Returns the number of runs. */
static unsigned alloc_sweep(size_t who, bool sticky)
{
    unsigned runs = 0;
    for (uint64_t k = 1;; k++) {
        ikh_err e;
        pair *pr = pair_new_ex(40, SUITE_AEAD, who, k, sticky, false, &e);
        if (e == IKH_OK) {
            e = ikh_node_initiate(pr->s[0].node, 0, pr->now, NULL);
            if (e != IKH_OK)
                assert_int_equal(e, IKH_ERR_ENV_NOMEM);
            settle(pr, 600000);
            run_rest(pr);
        } else {
            assert_int_equal(e, IKH_ERR_ENV_NOMEM);
        }
        bool hit = pr->s[who].mem.failures > 0;
        if (!hit) {
            /* the run that hit nothing did everything */
            for (size_t i = 0; i < 2; i++) {
                ikh_ike_counters c;
                ikh_node_counters(pr->s[i].node, &c);
                assert_int_equal(c.handshakes, 1);
                assert_int_equal(c.child_rekeys, 1);
                assert_int_equal(c.ike_rekeys, 1);
                assert_int_equal(ikh_node_ike_count(pr->s[i].node), 0);
            }
        }
        for (size_t i = 0; i < 2; i++)
            check_deadline(pr->s[i].node, pr->now);
        pair_free(pr); /* checks live == 0 on both allocators */
        runs++;
        if (!hit)
            break;
        assert_true(k < 5000);
    }
    return runs;
}

static void test_hostile_alloc_fail_b(void **state)
{
    (void)state;
    assert_true(alloc_sweep(1, false) > 10);
    assert_true(alloc_sweep(1, true) > 10);
}

static void test_hostile_alloc_fail_a(void **state)
{
    (void)state;
    assert_true(alloc_sweep(0, false) > 10);
    assert_true(alloc_sweep(0, true) > 10);
}

/* ---- 6. limits ---------------------------------------------------------- */

static void test_hostile_max_half_open(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(50, req);
    ikh_err e;
    pair *pr = pair_new_ex(51, SUITE_AEAD, 2, 0, false, true, &e);
    assert_ikh_ok(e);
    /* b again with max_half_open = 3 */
    ikh_node_free(pr->s[1].node);
    pr->cfg[1].max_half_open = 3;
    ikh_env env;
    memset(&env, 0, sizeof env);
    env.user = &pr->s[1];
    env.send = side_send;
    env.rand = side_rand;
    env.log = side_log;
    env.mem = &pr->s[1].mem.mem;
    assert_ikh_ok(ikh_node_new(&pr->cfg[1], &env, &pr->s[1].node));
    for (size_t i = 0; i < 10; i++) {
        memcpy(buf, req, len);
        buf[7] ^= (uint8_t)(i + 1); /* ten different initiator SPIs */
        ikh_dgram dg = dg_to_b(buf, len);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        check_deadline(pr->s[1].node, pr->now);
    }
    assert_int_equal(ikh_node_ike_count(pr->s[1].node), 3);
    assert_int_equal(pr->nq, 3);
    ikh_ike_counters c;
    ikh_node_counters(pr->s[1].node, &c);
    assert_int_equal(c.dropped, 7);
    assert_int_equal(pr->n_sa_limit_logs, 7);
    pr->nq = 0;
    /* half-open expiry frees the slots */
    settle(pr, 60000);
    assert_int_equal(ikh_node_ike_count(pr->s[1].node), 0);
    pair_free(pr);
}

static void test_hostile_sa_table_full(void **state)
{
    (void)state;
    uint8_t req[DG_MAX], buf[DG_MAX];
    size_t len = capture_init(60, req);
    ikh_err e;
    pair *pr = pair_new_ex(61, SUITE_AEAD, 2, 0, false, true, &e);
    assert_ikh_ok(e);
    const size_t extra = 6;
    for (size_t i = 0; i < IKH_IKE_MAX_SAS + extra; i++) {
        memcpy(buf, req, len);
        buf[6] ^= (uint8_t)(i >> 8);
        buf[7] ^= (uint8_t)(i + 1);
        ikh_dgram dg = dg_to_b(buf, len);
        assert_ikh_ok(ikh_node_recv(pr->s[1].node, &dg, ++pr->now));
        pr->nq = 0;
    }
    assert_int_equal(ikh_node_ike_count(pr->s[1].node), IKH_IKE_MAX_SAS);
    assert_int_equal(pr->n_sa_limit_logs, extra);
    /* the initiator side of the same node cannot start another SA */
    assert_ikh_err(ikh_node_initiate(pr->s[1].node, 0, pr->now, NULL),
                   IKH_ERR_IKE_SA_LIMIT);
    check_deadline(pr->s[1].node, pr->now);
    pair_free(pr);
}

/* Tasks queued past IKH_IKE_MAX_QUEUED are refused, not lost or leaked. */
static void test_hostile_task_queue_full(void **state)
{
    (void)state;
    pair *pr = pair_new(70);
    establish(pr);
    /* some asks were refused (fill_task_queue asks 4 more than fit) */
    assert_true(fill_task_queue(pr->s[0].node, IKH_ACT_LIVENESS, pr->now) <
                IKH_IKE_MAX_QUEUED + 4);
    settle(pr, 10000);
    ikh_ike_info ii;
    assert_int_equal(ike0(pr->s[0].node, &ii)->state, IKH_IKE_ESTABLISHED);
    pair_free(pr);
}

/* Freeing a node while an IKE rekey is out whose new SA took a lower slot
 * than the SA being rekeyed (the slot the first rekey freed) frees every
 * SA once: the rekey task no longer frees its new SA a second time
 * (fuzz_ike_session, corpus/fuzz_ike_session/regress/free-ike-rekey-*). */
static void test_hostile_free_during_second_ike_rekey(void **state)
{
    (void)state;
    pair *pr = pair_new(80);
    establish(pr);
    assert_ikh_ok(
        ikh_node_action(pr->s[1].node, IKH_ACT_REKEY_IKE, 0, 0, pr->now));
    pump(pr);
    /* the old SA (slot 0) is gone; the new one's rekey gets slot 0 */
    assert_ikh_ok(
        ikh_node_action(pr->s[1].node, IKH_ACT_REKEY_IKE, 0, 0, pr->now));
    pair_free(pr); /* counts live blocks: a double free fails here */
}

/* RFC 7296 §2.4: a liveness check is due after a silence, but while a
 * request of ours is out (here: a CREATE_CHILD_SA that is never answered,
 * behind a full task queue) that request decides whether the peer is
 * alive. The liveness timer used to stay due with nowhere to queue its
 * task: ikh_node_expire() refused it and ikh_node_deadline() kept
 * reporting the past, so an event loop spun (fuzz_ike_session,
 * corpus/fuzz_ike_session/regress/deadline-stuck-after-expire-*). */
static void test_hostile_liveness_queue_full(void **state)
{
    (void)state;
    pair *pr = established_with(&g_liveness_ms, 500, 90);
    ikh_node *a = pr->s[0].node;
    (void)fill_task_queue(a, IKH_ACT_CREATE_CHILD, pr->now);
    int steps = 0;
    for (; steps < 500; steps++) {
        pr->nq = 0; /* b never answers */
        ikh_time_ms d = ikh_node_deadline(a);
        if (d == IKH_TIME_NEVER)
            break;
        if (d > pr->now)
            pr->now = d;
        expire_checked(a, 0, pr->now);
        if (ikh_node_ike_count(a) == 0)
            break;
    }
    assert_true(steps < 500);
    /* the unanswered request timed the IKE SA out (§2.4) */
    assert_int_equal(ikh_node_ike_count(a), 0);
    pair_free(pr);
}

/* RFC 7296 §2.8: Child SA rekey timers that fire while the IKE SA's task
 * queue is full. The refused rekey used to be dropped for good (its timer
 * disarmed before the task was refused) and the Child SAs after it kept due
 * timers, so ikh_node_deadline() did not move after ikh_node_expire()
 * (fuzz_ike_session_crypto, corpus/fuzz_ike_session_crypto/regress/
 * child-rekey-queue-full-*). Now each refused rekey is tried again a little
 * later, and both Child SAs are rekeyed once the queue drains. */
static void test_hostile_child_rekey_queue_full(void **state)
{
    (void)state;
    pair *pr = established_with(&g_child_rekey_ms, 2000, 95);
    ikh_node *a = pr->s[0].node;
    assert_ikh_ok(ikh_node_action(a, IKH_ACT_CREATE_CHILD, 0, 0, pr->now));
    settle(pr, 100);
    ikh_ike_info ii;
    assert_int_equal(ike0(a, &ii)->n_children, 2);
    /* fill the task queue with liveness checks b does not see yet */
    (void)fill_task_queue(a, IKH_ACT_LIVENESS, pr->now);
    /* run a's timers past both rekey times, holding every datagram back */
    ikh_time_ms until = pr->now + 2600;
    for (int steps = 0; steps < 100; steps++) {
        ikh_time_ms d = ikh_node_deadline(a);
        if (d > until)
            break;
        if (d > pr->now)
            pr->now = d;
        expire_checked(a, 0, pr->now);
    }
    ikh_ike_counters c;
    ikh_node_counters(a, &c);
    assert_int_equal(c.child_rekeys, 0);
    /* let the held datagrams through: the queue drains and the rekeys that
     * were refused run */
    settle(pr, 15000);
    ikh_node_counters(a, &c);
    assert_true(c.child_rekeys >= 2);
    assert_int_equal(ike0(a, &ii)->state, IKH_IKE_ESTABLISHED);
    pair_free(pr);
}

/* ikh_node_ike_get lists SAs in ref order whatever slots they sit in: the
 * first SA deleted, the next setup takes its slot 0 with the highest ref.
 * Past the count is ARG_RANGE. */
static void test_hostile_ike_get_ref_order(void **state)
{
    (void)state;
    pair *pr = pair_new(41);
    establish(pr);
    ikh_node *a = pr->s[0].node;
    for (int k = 0; k < 3; k++) {
        assert_ikh_ok(ikh_node_initiate(a, 0, pr->now, NULL));
        settle(pr, 1000);
    }
    assert_int_equal(ikh_node_ike_count(a), 4);
    ikh_ike_info first;
    assert_ikh_ok(ikh_node_ike_get(a, 0, &first));
    assert_ikh_ok(
        ikh_node_action(a, IKH_ACT_DELETE_IKE, first.ref, 0, pr->now));
    settle(pr, 1000);
    assert_int_equal(ikh_node_ike_count(a), 3);
    assert_ikh_ok(ikh_node_initiate(a, 0, pr->now, NULL));
    settle(pr, 1000);
    size_t cnt = ikh_node_ike_count(a);
    assert_int_equal(cnt, 4);
    /* the newest SA sits in a lower slot than older ones */
    assert_true(a->sa[0] != NULL && a->sa[0]->ref > a->sa[1]->ref);
    uint32_t last = 0;
    for (size_t i = 0; i < cnt; i++) {
        ikh_ike_info ii;
        assert_ikh_ok(ikh_node_ike_get(a, i, &ii));
        assert_true(ii.ref > last);
        assert_int_equal(ii.state, IKH_IKE_ESTABLISHED);
        last = ii.ref;
    }
    assert_int_equal(last, a->sa[0]->ref);
    ikh_ike_info past;
    assert_ikh_err(ikh_node_ike_get(a, cnt, &past), IKH_ERR_ARG_RANGE);
    pair_free(pr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_truncations),
        cmocka_unit_test(test_hostile_random_bytes),
        cmocka_unit_test(test_hostile_bad_headers),
        cmocka_unit_test(test_hostile_init_bitflips),
        cmocka_unit_test(test_hostile_init_to_half_open),
        cmocka_unit_test(test_hostile_replay_init),
        cmocka_unit_test(test_hostile_replay_auth),
        cmocka_unit_test(test_hostile_bitflips_aead),
        cmocka_unit_test(test_hostile_bitflips_cbc),
        cmocka_unit_test(test_hostile_bitflips_frag),
        cmocka_unit_test(test_hostile_esp_established),
        cmocka_unit_test(test_hostile_message_ids),
        cmocka_unit_test(test_hostile_alloc_fail_b),
        cmocka_unit_test(test_hostile_alloc_fail_a),
        cmocka_unit_test(test_hostile_max_half_open),
        cmocka_unit_test(test_hostile_sa_table_full),
        cmocka_unit_test(test_hostile_task_queue_full),
        cmocka_unit_test(test_hostile_free_during_second_ike_rekey),
        cmocka_unit_test(test_hostile_liveness_queue_full),
        cmocka_unit_test(test_hostile_child_rekey_queue_full),
        cmocka_unit_test(test_hostile_ike_get_ref_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
