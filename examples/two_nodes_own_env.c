/* SPDX-License-Identifier: MIT */
/*
 * Example: embedding the IKEv2 stack with your OWN clock, network and
 * randomness. Two nodes, "a" (initiator) and "b" (responder), live in one
 * process; nothing here uses ikh/sim.h or ikh/udp.h, the drivers the
 * project ships. Instead this program is the driver:
 *
 *   clock       a counter (`world.now`, milliseconds) that the program
 *               advances itself: a fixed latency per delivered datagram,
 *               or a jump to the next timer a node asks for;
 *   network     an in-memory FIFO of datagrams; the send hook copies each
 *               datagram in, the pump pops it, prints a transcript line and
 *               hands it to the node that owns the destination address;
 *   randomness  splitmix64 (a small, documented PRNG) seeded from argv[1],
 *               behind the rand hook. FOR TESTS ONLY (see rng_fill()).
 *
 * What it runs, with a check after each step (any failed check prints a
 * message and the program exits 1):
 *   1. IKE_SA_INIT + IKE_AUTH with PSK authentication (RFC 7296 §1.2,
 *      §2.15) and the first Child SA (§1.3): both IKE SAs ESTABLISHED, both
 *      Child SAs INSTALLED, same SPIs, same keys on both sides;
 *   2. a rekey of the Child SA (CREATE_CHILD_SA, RFC 7296 §1.3.3, §2.8),
 *      started by a's rekey TIMER: the program advances its clock to the
 *      deadline node a reports, and calls ikh_node_expire();
 *   3. one packet through the data plane (ESP, RFC 4303) over the new Child
 *      SA, delivered to b's data hook;
 *   4. deletion of the Child SA and then of the IKE SA (INFORMATIONAL with
 *      Delete payloads, RFC 7296 §1.4.1): both nodes end with no SA.
 *
 * Determinism: the stack has no hidden input besides the clock, the
 * datagrams and the random octets, and all three come from this program.
 * So the same seed prints the same transcript, byte for byte (the CTest test
 * example_two_nodes_own_env_deterministic runs it twice and compares); a
 * different seed gives different SPIs, nonces and keys.
 *
 *   usage: example_two_nodes_own_env [SEED]      (SEED: default 1)
 *   exit:  0 when every step happened and every check passed; 1 otherwise.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/bytes.h"
#include "ikh/crypto.h"
#include "ikh/env.h"
#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/names.h"
#include "ikh/wire.h"

/* ---- 1. randomness ------------------------------------------------------
 *
 * The stack asks for random octets through ikh_env::rand for SPIs, nonces
 * (RFC 7296 §2.10), key-exchange private values, CBC IVs and timer jitter.
 * It never calls an OS source itself.
 *
 * splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; the constants are Vigna's public-domain
 * splitmix64.c) is a 64-bit counter through a mixing function. It is NOT a
 * cryptographic generator: anyone who sees a few outputs can predict the
 * rest, so every key it helps make is known to an observer. It is here
 * because it is ten lines long and obviously deterministic.
 *
 *   - in a test, any deterministic generator will do; the project's own
 *     default is the HMAC_DRBG of ikh/drbg.h (ikh_drbg_rand()), seeded
 *     the same way;
 *   - in production, the hook must return octets from a CSPRNG seeded by
 *     the OS (getrandom(2), or a DRBG seeded from it). The hook has no way
 *     to fail, so it must not return fewer octets than asked.
 */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t splitmix64_next(rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The rand hook: `user` is ikh_env::rand_user (or ikh_env::user when
 * rand_user is NULL). `out` is borrowed for the call. Octets are taken
 * little-endian from each 64-bit draw, so the output does not depend on the
 * host's byte order. */
static void rng_fill(void *user, uint8_t *out, size_t len)
{
    rng *r = user;
    while (len > 0) {
        uint64_t v = splitmix64_next(r);
        for (int i = 0; i < 8 && len > 0; i++, len--) {
            *out++ = (uint8_t)v;
            v >>= 8;
        }
    }
}

/* ---- 2. network ---------------------------------------------------------
 *
 * The send hook receives an ::ikh_dgram that is BORROWED for the duration
 * of the call: its data points into the node's own buffer, which the node
 * reuses. So the hook copies what it needs (addresses, ports, flags and the
 * octets) into its own queue. It returns 0 for "sent"; any other value
 * tells the node the datagram was lost (the node counts it, returns
 * IKH_ERR_ENV_SEND and relies on retransmission, RFC 7296 §2.1).
 *
 * Hooks must not call back into a node (no re-entry): the pump delivers
 * queued datagrams later, from the top level.
 */
#define QUEUE_CAP 16u  /* datagrams in flight; more is "network full" */
#define DGRAM_MAX 4096 /* largest datagram we carry (no fragmentation here) */
#define LATENCY_MS 5u  /* virtual one-way delay added per delivery */

typedef struct queued {
    ikh_dgram dg;            /* addresses and flags; dg.data set on pop */
    size_t len;              /* octets in data */
    uint8_t data[DGRAM_MAX]; /* our copy of the datagram's octets */
} queued;

typedef struct peer_keys peer_keys; /* section 4 */

/* Everything the embedder owns: the clock, the queue, the RNG, the nodes. */
typedef struct world {
    ikh_time_ms now;          /* the clock: never decreases */
    queued q[QUEUE_CAP];      /* ring buffer of datagrams in flight */
    size_t q_head, q_len;     /* first entry, entries in use */
    rng rng;                  /* one generator shared by both nodes */
    ikh_node *node[2];        /* a, b */
    ikh_addr addr[2];         /* their outer addresses */
    const char *name[2];      /* "a", "b" */
    unsigned log_lines;       /* JSON log lines the nodes wrote */
    unsigned inner_delivered; /* packets b's data hook received */
} world;

/* The send hook. `user` is ikh_env::user: here the world. */
static int net_send(void *user, const ikh_dgram *dg)
{
    world *w = user;
    if (w->q_len == QUEUE_CAP || dg->data.len > DGRAM_MAX)
        return 1; /* "lost": the node turns this into IKH_ERR_ENV_SEND */
    queued *e = &w->q[(w->q_head + w->q_len) % QUEUE_CAP];
    e->dg = *dg;
    e->dg.data = ikh_span_of(NULL, 0); /* never keep the borrowed pointer */
    e->len = dg->data.len;
    memcpy(e->data, dg->data.p, dg->data.len);
    w->q_len++;
    return 0;
}

/* The log hook: one JSON line per call (ikh/log.h), borrowed for the call.
 * We only count them; a real embedder writes them to its own log. */
static void net_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    world *w = user;
    (void)lvl;
    (void)line;
    (void)len;
    w->log_lines++;
}

/* ---- 3. what the nodes tell us ------------------------------------------
 *
 * Key-table hooks (ikh_key_hooks) receive every new IKE SA's SK_e/SK_a keys
 * (RFC 7296 §2.14) and every Child SA direction's ESP keys (§2.17). The
 * spans are borrowed for the call, so we copy them. This program keeps them
 * only to prove both sides derived the same keys; it never prints them (the
 * stack's rule too: keys go to Wireshark key tables, never to logs).
 */
#define KEY_MAX 128u
#define CHILD_KEYS_MAX 16u

typedef struct key_copy {
    size_t len;
    uint8_t b[KEY_MAX];
} key_copy;

typedef struct child_keys {
    uint32_t spi; /* the receiver's SPI of this direction */
    key_copy encr, integ;
} child_keys;

struct peer_keys {
    bool have_ike;
    uint64_t ispi, rspi;
    key_copy sk_ei, sk_er, sk_ai, sk_ar;
    size_t n_child;
    child_keys child[CHILD_KEYS_MAX];
    bool overflow; /* a key was longer than KEY_MAX or too many SAs */
};

static bool key_set(key_copy *k, ikh_span s)
{
    if (s.len > KEY_MAX)
        return false;
    k->len = s.len;
    if (s.len > 0)
        memcpy(k->b, s.p, s.len);
    return true;
}

static bool key_eq(const key_copy *x, const key_copy *y)
{
    /* Keys are secrets: compare them in constant time (ikh/crypto.h). */
    return x->len == y->len && ikh_ct_eq(x->b, y->b, x->len);
}

static void on_ike_keys(void *user, const ikh_ike_keyinfo *k)
{
    peer_keys *pk = user;
    pk->have_ike = true;
    pk->ispi = k->ispi;
    pk->rspi = k->rspi;
    if (!key_set(&pk->sk_ei, k->sk_ei) || !key_set(&pk->sk_er, k->sk_er) ||
        !key_set(&pk->sk_ai, k->sk_ai) || !key_set(&pk->sk_ar, k->sk_ar))
        pk->overflow = true;
}

static void on_child_keys(void *user, const ikh_child_keyinfo *k)
{
    peer_keys *pk = user;
    if (pk->n_child == CHILD_KEYS_MAX) {
        pk->overflow = true;
        return;
    }
    child_keys *c = &pk->child[pk->n_child++];
    c->spi = k->spi;
    if (!key_set(&c->encr, k->encr_key) || !key_set(&c->integ, k->integ_key))
        pk->overflow = true;
}

static const child_keys *child_keys_find(const peer_keys *pk, uint32_t spi)
{
    for (size_t i = 0; i < pk->n_child; i++)
        if (pk->child[i].spi == spi)
            return &pk->child[i];
    return NULL;
}

/* The data hook: a packet that came out of ESP (borrowed for the call). */
static void on_deliver(void *user, const ikh_inner_pkt *p)
{
    world *w = user;
    w->inner_delivered++;
    printf("t=%-5" PRIu64 " b: ESP delivered %zu octets (Child SA %" PRIu32
           ", next header %u)\n",
           w->now, p->data.len, p->child_ref, (unsigned)p->next_header);
}

/* ---- 4. the pump: our event loop ----------------------------------------
 *
 * The stack uses a pull model for time (ikh/ike.h): every entry point takes
 * `now`, and ikh_node_deadline() says when the node next wants
 * ikh_node_expire(). `now` must never go backwards.
 *
 * pump() runs until the network is empty and no timer is due at or before
 * `until`: a queued datagram is delivered LATENCY_MS later; with nothing in
 * flight, the clock jumps to the earliest deadline (if it is not after
 * `until`) and the due node's timers run.
 */
static int fail(const char *what, ikh_err e)
{
    fprintf(stderr, "two_nodes_own_env: %s: %s (%d): %s\n", what,
            ikh_err_name(e), (int)e, ikh_err_str(e));
    return 1;
}

static int node_of(const world *w, const ikh_addr *a)
{
    for (int i = 0; i < 2; i++)
        if (ikh_addr_cmp(&w->addr[i], a) == 0)
            return i;
    return -1;
}

/* One transcript line per datagram: who sends to whom, what exchange
 * (RFC 7296 §3.1 header, read with the project's bounded reader), request
 * or response, the SPIs, Message ID and length. */
static void print_dgram(const world *w, int from, int to, const queued *e)
{
    if (e->dg.esp) {
        printf("t=%-5" PRIu64 " %s -> %s  ESP                  len=%zu\n",
               w->now, w->name[from], w->name[to], e->len);
        return;
    }
    ikh_rd rd = ikh_rd_init(e->data, e->len);
    ikh_ike_hdr h;
    ikh_wire_hdr_read(&rd, &h);
    char buf[IKH_NAME_BUF_LEN];
    printf("t=%-5" PRIu64 " %s -> %s  %-16s %-4s mid=%" PRIu32
           " len=%zu ispi=%016" PRIx64 " rspi=%016" PRIx64 "\n",
           w->now, w->name[from], w->name[to],
           ikh_name_or(IKH_NT_EXCH, h.exch, buf, sizeof buf),
           (h.flags & IKH_HDR_F_RESPONSE) ? "resp" : "req", h.mid, e->len,
           h.ispi, h.rspi);
}

static int pump(world *w, ikh_time_ms until)
{
    static queued cur; /* popped datagram; the node may queue more */
    for (unsigned steps = 0; steps < 1000; steps++) {
        if (w->q_len > 0) {
            cur = w->q[w->q_head];
            w->q_head = (w->q_head + 1) % QUEUE_CAP;
            w->q_len--;
            cur.dg.data = ikh_span_of(cur.data, cur.len);
            int to = node_of(w, &cur.dg.dst), from = node_of(w, &cur.dg.src);
            if (to < 0 || from < 0) {
                fprintf(stderr, "two_nodes_own_env: datagram to nowhere\n");
                return 1;
            }
            w->now += LATENCY_MS;
            print_dgram(w, from, to, &cur);
            /* The datagram is borrowed for the call; the node copies what
             * it keeps. Bad input is dropped and counted inside, not an
             * error: an error here means a hook failed. */
            ikh_err e = ikh_node_recv(w->node[to], &cur.dg, w->now);
            if (e != IKH_OK)
                return fail("ikh_node_recv", e);
            continue;
        }
        ikh_time_ms d0 = ikh_node_deadline(w->node[0]);
        ikh_time_ms d1 = ikh_node_deadline(w->node[1]);
        ikh_time_ms d = d0 < d1 ? d0 : d1;
        if (d == IKH_TIME_NEVER || d > until)
            return 0; /* quiet: nothing in flight, nothing due */
        if (d > w->now) {
            printf("t=%-5" PRIu64 " clock jumps to %" PRIu64
                   " (next deadline)\n",
                   w->now, d);
            w->now = d;
        }
        for (int i = 0; i < 2; i++) {
            if (ikh_node_deadline(w->node[i]) > w->now)
                continue;
            ikh_err e = ikh_node_expire(w->node[i], w->now);
            if (e != IKH_OK)
                return fail("ikh_node_expire", e);
        }
    }
    fprintf(stderr, "two_nodes_own_env: no quiet after 1000 steps\n");
    return 1;
}

/* ---- 5. configuration ---------------------------------------------------
 *
 * ikh_ike_config is plain data, copied by ikh_node_new(). Proposals use
 * strongSwan's syntax (ikh_proposal_parse()). Both sides share a PSK:
 * AUTH = prf(prf(PSK, "Key Pad for IKEv2"), signed octets), RFC 7296 §2.15.
 */
#define IKE_PROPOSAL "aes256gcm16-prfsha256-x25519"
#define ESP_PROPOSAL "aes256gcm16-esn"
#define CHILD_REKEY_MS 60000u /* a rekeys its Child SA after one minute */

static const char psk[] = "example pre-shared key, not a secret";

/* 10.<net>.0.0 - 10.<net>.255.255, any protocol and port (§3.13.1). */
static ikh_ts_cfg ts_net(uint8_t net)
{
    ikh_ts_cfg ts;
    memset(&ts, 0, sizeof ts);
    ts.type = IKH_TS_IPV4_ADDR_RANGE;
    ts.start_port = 0;
    ts.end_port = 65535;
    ts.start[0] = ts.end[0] = 10;
    ts.start[1] = ts.end[1] = net;
    ts.end[2] = ts.end[3] = 255;
    return ts;
}

static int configure(ikh_ike_config *c, const world *w, int side,
                     peer_keys *keys)
{
    ikh_ike_config_init(c);
    snprintf(c->name, sizeof c->name, "%s", w->name[side]);
    c->addr = w->addr[side];
    c->peer_addr = w->addr[1 - side];
    ikh_err e = ikh_proposal_parse(IKE_PROPOSAL, false, &c->props[0], NULL);
    if (e != IKH_OK)
        return fail("IKE proposal", e);
    c->n_props = 1;
    c->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    c->auth.psk_len = (uint16_t)(sizeof psk - 1);
    memcpy(c->auth.psk, psk, sizeof psk - 1);
    c->peer_auth = c->auth; /* we accept the same PSK from the peer */
    /* Identities: type 0 would mean "our IP address"; use FQDNs instead. */
    c->id.type = IKH_ID_FQDN;
    c->id.len = (uint16_t)snprintf((char *)c->id.data, sizeof c->id.data,
                                   "%s.example", w->name[side]);

    ikh_child_cfg *ch = &c->children[0];
    snprintf(ch->name, sizeof ch->name, "net");
    e = ikh_proposal_parse(ESP_PROPOSAL, true, &ch->props[0], NULL);
    if (e != IKH_OK)
        return fail("ESP proposal", e);
    ch->n_props = 1;
    ch->n_local_ts = ch->n_remote_ts = 1;
    ch->local_ts[0] = ts_net((uint8_t)(side + 1));
    ch->remote_ts[0] = ts_net((uint8_t)(2 - side));
    ch->rekey_ms = side == 0 ? CHILD_REKEY_MS : 0;
    c->n_children = 1;

    c->keys.ike = on_ike_keys;
    c->keys.child = on_child_keys;
    c->keys.user = keys;
    return 0;
}

/* ---- 6. checks ---------------------------------------------------------- */

static int check(bool ok, const char *what)
{
    if (!ok)
        fprintf(stderr, "two_nodes_own_env: check failed: %s\n", what);
    return ok ? 0 : 1;
}

/* The only IKE SA of node i, and its newest Child SA (if any). */
static int sa_of(const world *w, int i, ikh_ike_info *ike,
                 ikh_child_info *child)
{
    if (check(ikh_node_ike_count(w->node[i]) == 1, "one IKE SA per node"))
        return 1;
    ikh_err e = ikh_node_ike_get(w->node[i], 0, ike);
    if (e != IKH_OK)
        return fail("ikh_node_ike_get", e);
    if (ike->n_children == 0)
        return check(child == NULL, "a Child SA exists");
    if (child == NULL)
        return 0;
    e = ikh_node_child_get(w->node[i], ike->ref, ike->n_children - 1u, child);
    return e == IKH_OK ? 0 : fail("ikh_node_child_get", e);
}

/* Both sides agree on the IKE SA (SPIs and SK_* keys) and on the newest
 * Child SA (each side's outbound SPI is the other's inbound SPI, and the
 * keys of each direction are the same on both sides). */
static int check_agree(const world *w, const peer_keys k[2],
                       ikh_child_info *ca_out)
{
    ikh_ike_info ia, ib;
    ikh_child_info ca, cb;
    if (sa_of(w, 0, &ia, &ca) || sa_of(w, 1, &ib, &cb))
        return 1;
    int bad = 0;
    bad |= check(ia.state == IKH_IKE_ESTABLISHED, "a: IKE SA ESTABLISHED");
    bad |= check(ib.state == IKH_IKE_ESTABLISHED, "b: IKE SA ESTABLISHED");
    bad |= check(ia.initiator && !ib.initiator, "roles");
    bad |= check(ia.ispi == ib.ispi && ia.rspi == ib.rspi, "IKE SPIs agree");
    bad |= check(ca.state == IKH_CHILD_INSTALLED, "a: Child SA INSTALLED");
    bad |= check(cb.state == IKH_CHILD_INSTALLED, "b: Child SA INSTALLED");
    bad |= check(ca.spi_out == cb.spi_in && ca.spi_in == cb.spi_out,
                 "Child SPIs agree");
    bad |= check(ca.encr == cb.encr && ca.encr == IKH_ENCR_AES_GCM_16 &&
                     ca.esn && cb.esn,
                 "ESP transform (AES-GCM-16, ESN) agrees");
    bad |= check(!k[0].overflow && !k[1].overflow, "key copies fit");
    bad |= check(k[0].have_ike && k[1].have_ike, "IKE keys reported");
    if (bad)
        return 1;
    bad |= check(k[0].ispi == ia.ispi && k[1].rspi == ib.rspi,
                 "key hook saw this IKE SA");
    bad |= check(key_eq(&k[0].sk_ei, &k[1].sk_ei) &&
                     key_eq(&k[0].sk_er, &k[1].sk_er) &&
                     key_eq(&k[0].sk_ai, &k[1].sk_ai) &&
                     key_eq(&k[0].sk_ar, &k[1].sk_ar) && k[0].sk_ei.len > 0,
                 "SK_e / SK_a keys agree");
    const uint32_t spis[2] = {ca.spi_in, ca.spi_out};
    for (int i = 0; i < 2; i++) {
        const child_keys *x = child_keys_find(&k[0], spis[i]);
        const child_keys *y = child_keys_find(&k[1], spis[i]);
        bad |= check(x != NULL && y != NULL, "ESP keys reported");
        if (x != NULL && y != NULL)
            bad |= check(key_eq(&x->encr, &y->encr) &&
                             key_eq(&x->integ, &y->integ) && x->encr.len > 0,
                         "ESP keys agree");
    }
    printf("         agree: IKE SA %016" PRIx64 "/%016" PRIx64
           ", Child SA %" PRIu32 " SPIs in=%08" PRIx32 " out=%08" PRIx32
           " (a)\n",
           ia.ispi, ia.rspi, ca.ref, ca.spi_in, ca.spi_out);
    if (ca_out != NULL)
        *ca_out = ca;
    return bad;
}

/* A minimal IPv4/UDP packet from 10.1.0.1 to 10.2.0.1 (inside the Child
 * SA's selectors). The stack reads the header to pick the Child SA; it
 * does not check the IP checksum, so we leave it 0 in this example. */
static size_t make_packet(uint8_t *p)
{
    static const uint8_t pkt[] = {
        0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, /* v4, len 32 */
        0x40, 0x11, 0x00, 0x00, 10,   1,    0,    1,    /* UDP, src */
        10,   2,    0,    1,                            /* dst */
        0x30, 0x39, 0x00, 0x07, 0x00, 0x0c, 0x00, 0x00, /* 12345 -> 7 */
        'p',  'i',  'n',  'g',
    };
    memcpy(p, pkt, sizeof pkt);
    return sizeof pkt;
}

/* ---- 7. the run ---------------------------------------------------------- */

static world g_world;       /* large (the queue): static, not on the stack */
static peer_keys g_keys[2]; /* a's and b's copies of the keys */
static ikh_ike_config g_cfg[2];

static int run(uint64_t seed)
{
    g_world.rng.state = seed;
    g_world.name[0] = "a";
    g_world.name[1] = "b";
    g_world.addr[0] = ikh_addr_v4(192, 0, 2, 1);
    g_world.addr[1] = ikh_addr_v4(192, 0, 2, 2);

    /* The environment: caller memory, copied by ikh_node_new(); what it
     * points to (the world, the RNG) is borrowed and must outlive the
     * nodes. mem NULL: malloc/free; metrics NULL: not counted. */
    ikh_env env;
    memset(&env, 0, sizeof env);
    env.user = &g_world;
    env.send = net_send;
    env.rand = rng_fill;
    env.rand_user = &g_world.rng;
    env.log = net_log;

    for (int i = 0; i < 2; i++) {
        if (configure(&g_cfg[i], &g_world, i, &g_keys[i]))
            return 1;
        g_cfg[i].data.deliver = on_deliver;
        g_cfg[i].data.user = &g_world;
        /* The node copies cfg and env; free it with ikh_node_free(). */
        ikh_err e = ikh_node_new(&g_cfg[i], &env, &g_world.node[i]);
        if (e != IKH_OK)
            return fail("ikh_node_new", e);
    }

    /* Step 1: IKE_SA_INIT and IKE_AUTH with the first Child SA.
     *   HDR, SAi1, KEi, Ni -->              <-- HDR, SAr1, KEr, Nr
     *   HDR, SK {IDi, AUTH, SAi2, TSi, TSr} -->
     *                                  <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
     */
    printf("seed=%" PRIu64 " ike=%s esp=%s\n", seed, IKE_PROPOSAL,
           ESP_PROPOSAL);
    printf("-- step 1: IKE_SA_INIT + IKE_AUTH (RFC 7296 §1.2)\n");
    ikh_err e = ikh_node_initiate(g_world.node[0], 0, g_world.now, NULL);
    if (e != IKH_OK)
        return fail("ikh_node_initiate", e);
    /* until = now: deliver everything, run only timers already due */
    ikh_child_info first;
    if (pump(&g_world, g_world.now) || check_agree(&g_world, g_keys, &first))
        return 1;

    /* Step 2: the Child SA rekey, started by a's own timer. a reports the
     * deadline; we advance our clock to it and call ikh_node_expire().
     *   HDR, SK {N(REKEY_SA), SA, Ni, TSi, TSr} -->  <-- HDR, SK {SA, Nr, ...}
     *   then the old Child SA is deleted: HDR, SK {D} --> <-- HDR, SK {D}
     */
    printf("-- step 2: Child SA rekey on a's timer (RFC 7296 §2.8)\n");
    ikh_time_ms due = ikh_node_deadline(g_world.node[0]);
    if (check(due != IKH_TIME_NEVER && due > g_world.now,
              "a armed a rekey timer"))
        return 1;
    if (pump(&g_world, due))
        return 1;
    ikh_child_info second;
    if (check_agree(&g_world, g_keys, &second))
        return 1;
    ikh_ike_info ia;
    if (sa_of(&g_world, 0, &ia, NULL))
        return 1;
    if (check(ia.n_children == 1, "a: old Child SA deleted after rekey") ||
        check(second.rekeyed_from == first.ref, "new Child SA replaces old") ||
        check(second.spi_in != first.spi_in && second.spi_out != first.spi_out,
              "new Child SA has new SPIs"))
        return 1;
    ikh_ike_counters ct;
    ikh_node_counters(g_world.node[0], &ct);
    if (check(ct.child_rekeys == 1, "a counted one Child SA rekey"))
        return 1;

    /* Step 3: one packet a -> b through ESP (RFC 4303) on the new SA. */
    printf("-- step 3: one packet through ESP (RFC 4303)\n");
    uint8_t pkt[64];
    size_t pkt_len = make_packet(pkt);
    uint32_t used = 0;
    e = ikh_node_send_inner(g_world.node[0], pkt, pkt_len, g_world.now, &used);
    if (e != IKH_OK)
        return fail("ikh_node_send_inner", e);
    if (pump(&g_world, g_world.now) ||
        check(used == second.ref, "sent on new Child SA") ||
        check(g_world.inner_delivered == 1, "b delivered the packet"))
        return 1;

    /* Step 4: delete the Child SA, then the IKE SA (RFC 7296 §1.4.1).
     *   HDR, SK {D(ESP, SPI)} -->  <-- HDR, SK {D(ESP, SPI)}
     *   HDR, SK {D(IKE)} -->       <-- HDR, SK {}
     */
    printf(
        "-- step 4: delete the Child SA, then the IKE SA (RFC 7296 §1.4.1)\n");
    e = ikh_node_action(g_world.node[0], IKH_ACT_DELETE_CHILD, 0, 0,
                        g_world.now);
    if (e != IKH_OK)
        return fail("delete Child SA", e);
    if (pump(&g_world, g_world.now))
        return 1;
    ikh_ike_info ib;
    if (sa_of(&g_world, 0, &ia, NULL) || sa_of(&g_world, 1, &ib, NULL) ||
        check(ia.n_children == 0 && ib.n_children == 0, "Child SA deleted"))
        return 1;
    e = ikh_node_action(g_world.node[0], IKH_ACT_DELETE_IKE, 0, 0, g_world.now);
    if (e != IKH_OK)
        return fail("delete IKE SA", e);
    if (pump(&g_world, g_world.now) ||
        check(ikh_node_ike_count(g_world.node[0]) == 0 &&
                  ikh_node_ike_count(g_world.node[1]) == 0,
              "IKE SA deleted on both sides"))
        return 1;
    /* Step 5: let our clock run until no node has a timer left. b keeps
     * the deleted IKE SA for a while (half_open_ms, 30 s by default) so that
     * it can answer a retransmitted Delete request from its cached
     * response (RFC 7296 §2.1); only its timer ends that. */
    printf("-- step 5: run the clock until no timer is left\n");
    if (pump(&g_world, IKH_TIME_NEVER) ||
        check(ikh_node_deadline(g_world.node[0]) == IKH_TIME_NEVER &&
                  ikh_node_deadline(g_world.node[1]) == IKH_TIME_NEVER,
              "no timer left"))
        return 1;
    printf("-- done at t=%" PRIu64 ": %u JSON log lines written\n", g_world.now,
           g_world.log_lines);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    if (argc > 2) {
        fprintf(stderr, "usage: %s [SEED]\n", argv[0]);
        return 2;
    }
    if (argc == 2) {
        char *end = NULL;
        seed = strtoull(argv[1], &end, 0);
        if (end == argv[1] || *end != '\0') {
            fprintf(stderr, "two_nodes_own_env: bad seed: %s\n", argv[1]);
            return 2;
        }
    }
    int rc = run(seed);
    /* Ownership: the nodes are ours to free (keys inside are wiped);
     * ikh_node_free(NULL) is a no-op, so this also covers a failed setup.
     * Our own copies of the keys are wiped as well. */
    for (int i = 0; i < 2; i++)
        ikh_node_free(g_world.node[i]);
    ikh_wipe(g_keys, sizeof g_keys);
    if (rc == 0)
        printf("two_nodes_own_env: OK\n");
    return rc;
}
