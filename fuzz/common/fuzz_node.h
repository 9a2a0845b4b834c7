/* SPDX-License-Identifier: MIT */
/*
 * One IKEv2 node in a chosen state, fed fuzz datagrams: the shared body of
 * fuzz_ike_responder and fuzz_ike_initiator (STYLE.md §15). Header only
 * (static functions); each target defines FUZZ_NODE_ROLE_INITIATOR (0 or 1)
 * and includes it.
 *
 * Setup, per input (nodes hold pointers, so a per-process copy is not
 * safe): two nodes in the simulator (sim.h), "i" at 192.0.2.1 and "r" at
 * 192.0.2.2, the null suite for IKE (null AEAD, null KE, HMAC-SHA-256 PRF)
 * and AES-GCM-16 for ESP (so the key hooks report real Child SA keys for
 * the log oracle). The target is r (responder target) or i (initiator
 * target); the other node is the genuine peer. The peer always initiates
 * the first IKE SA. The sim runs until the chosen state, all at instant 0
 * (links are perfect), and one genuine message of the peer can be held
 * back from the target ("held"):
 *   - fresh:  responder: held = the peer's IKE_SA_INIT request;
 *             initiator: the target has sent IKE_SA_INIT; held = the
 *             response;
 *   - init:   IKE_SA_INIT answered: responder INIT_DONE, held = the
 *             peer's IKE_AUTH request; initiator AUTH_SENT, held = the
 *             peer's IKE_AUTH response;
 *   - est:    both established with one Child SA;
 *   - rekey:  established, then the target started a CREATE_CHILD_SA
 *             (rekey Child SA, rekey IKE SA or new Child SA with PFS);
 *             held = the peer's response.
 * Then the sim stops (time 100, or 200 for rekey) and the target alone
 * gets the fuzz steps; what it sends is recorded, not delivered.
 */
#ifndef IKH_FUZZ_NODE_H
#define IKH_FUZZ_NODE_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/sim.h"
#include "ikh/wire.h"

#ifndef FUZZ_NODE_ROLE_INITIATOR
#error "define FUZZ_NODE_ROLE_INITIATOR (0 or 1) before including"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    FN_FRESH = 0,
    FN_INIT = 1,
    FN_EST = 2,
    FN_REKEY = 3,
};

#define FN_MAX_STEPS 32u
#define FN_MAX_KEYS 64u
#define FN_KEY_MAX 64u
#define FN_HELD_MAX 4096u
#define FN_MSG_MAX 65535u
#define FN_MAX_HALF_OPEN 8u

/* Abort with a one-line message (an oracle failed). */
#define FN_FAIL(msg)                                                           \
    do {                                                                       \
        fprintf(stderr, "fuzz_node oracle: %s\n", msg);                        \
        abort();                                                               \
    } while (0)

typedef struct fn_ctx fn_ctx;

/* One node in the sim with its original (sim) environment. */
typedef struct fn_node {
    ikh_node *node;
    ikh_env sim_env; /* the sim's env: send puts on the network */
    fn_ctx *ctx;
    bool target;
} fn_node;

struct fn_ctx {
    ikh_sim *sim;
    fn_node i, r;
    fn_node *tgt, *peer;
    bool setup;        /* target sends go to the sim */
    uint8_t hold_exch; /* hold the next IKE message of this exchange that
                          the target would receive; 0: none */
    bool held_ok;
    ikh_dgram held;
    uint8_t held_buf[FN_HELD_MAX];
    const uint8_t *auth; /* AUTH data of the held message (into held_buf) */
    size_t auth_len;
    /* per step */
    bool drop_seen;
    bool resp_sent;
    /* keys reported by the target's key hooks, as lowercase hex */
    size_t n_keys;
    char key_hex[FN_MAX_KEYS][2 * FN_KEY_MAX + 1];
};

/* ---- allocator -----------------------------------------------------------
 * A node is about 270 KB: under ASan every large malloc/free maps and
 * unmaps fresh pages, which costs more than the handshake. Large blocks
 * are therefore kept for the next input (same size), poisoned while
 * cached so ASan still reports a use after free. Only memory is reused:
 * the stack initializes what it allocates, so no state crosses inputs.
 * The slots hold every large block of the simulator and its two nodes: with
 * 16 slots about two blocks per input missed the cache (3,000 runs of the
 * seeds), and the maps, unmaps and page faults of those two made the
 * target three times slower (757 against 2,364 exec/s over 20 s).
 */
#if defined(__SANITIZE_ADDRESS__)
#define FN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FN_ASAN 1
#endif
#endif
#ifdef FN_ASAN
#include <sanitizer/asan_interface.h>
#define FN_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define FN_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define FN_POISON(p, n) ((void)(p), (void)(n))
#define FN_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define FN_CACHE_MIN 8192u
#define FN_CACHE_SLOTS 64u
#define FN_HDR 16u /* size header, keeps 16-octet alignment */

static struct {
    void *blk;
    size_t size;
} fn_cache[FN_CACHE_SLOTS];

static void *fn_alloc(void *user, size_t size)
{
    (void)user;
    if (size >= FN_CACHE_MIN)
        for (size_t k = 0; k < FN_CACHE_SLOTS; k++)
            if (fn_cache[k].blk != NULL && fn_cache[k].size == size) {
                uint8_t *b = fn_cache[k].blk;
                fn_cache[k].blk = NULL;
                FN_UNPOISON(b + FN_HDR, size);
                memset(b + FN_HDR, 0xbe, size); /* like a fresh malloc */
                return b + FN_HDR;
            }
    uint8_t *b = malloc(size + FN_HDR);
    if (b == NULL)
        return NULL;
    memcpy(b, &size, sizeof size);
    return b + FN_HDR;
}

static void fn_free(void *user, void *p)
{
    (void)user;
    if (p == NULL)
        return;
    uint8_t *b = (uint8_t *)p - FN_HDR;
    size_t size;
    memcpy(&size, b, sizeof size);
    if (size >= FN_CACHE_MIN)
        for (size_t k = 0; k < FN_CACHE_SLOTS; k++)
            if (fn_cache[k].blk == NULL) {
                fn_cache[k].blk = b;
                fn_cache[k].size = size;
                FN_POISON(b + FN_HDR, size);
                return;
            }
    free(b);
}

static const ikh_mem fn_mem = {fn_alloc, fn_free, NULL};

static fn_ctx fn_c;
static uint8_t fn_msg[FN_MSG_MAX + 64];

static const ikh_xform_desc *fn_xforms[8];

/* The null suite plus HMAC-SHA-256 (PRF) and AES-GCM-16 (ESP). */
static void fn_xforms_init(void)
{
    if (fn_xforms[0] != NULL)
        return;
    const ikh_xform_desc *const *nl = ikh_crypto_null_list();
    const ikh_xform_desc *const *dl = ikh_crypto_default_list();
    size_t k = 0;
    for (size_t j = 0; nl[j] != NULL && k < 4; j++)
        fn_xforms[k++] = nl[j];
    fn_xforms[k++] = ikh_crypto_find(dl, IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 0);
    fn_xforms[k++] = ikh_crypto_find(dl, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128);
    for (size_t j = 0; j < k; j++)
        if (fn_xforms[j] == NULL)
            FN_FAIL("transform missing from the registry");
    fn_xforms[k] = NULL;
}

/* ---- hooks ---------------------------------------------------------------
 */

/* memmem without _GNU_SOURCE. */
static const void *fn_memmem(const void *hay, size_t hay_len,
                             const void *needle, size_t n_len)
{
    const uint8_t *h = hay, *nd = needle;
    if (n_len == 0 || hay_len < n_len)
        return NULL;
    for (size_t i = 0; i + n_len <= hay_len; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, n_len) == 0)
            return h + i;
    return NULL;
}

static void fn_hex(const uint8_t *p, size_t len, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = d[p[i] >> 4];
        out[2 * i + 1] = d[p[i] & 15];
    }
    out[2 * len] = '\0';
}

static void fn_key_add(fn_ctx *c, ikh_span k)
{
    /* short keys could match by chance; none of ours is under 16 octets */
    if (k.len < 8 || c->n_keys >= FN_MAX_KEYS)
        return;
    size_t len = k.len > FN_KEY_MAX ? FN_KEY_MAX : k.len;
    fn_hex(k.p, len, c->key_hex[c->n_keys++]);
}

static void fn_ike_keys(void *user, const ikh_ike_keyinfo *k)
{
    fn_ctx *c = user;
    fn_key_add(c, k->sk_ei);
    fn_key_add(c, k->sk_er);
    fn_key_add(c, k->sk_ai);
    fn_key_add(c, k->sk_ar);
}

static void fn_child_keys(void *user, const ikh_child_keyinfo *k)
{
    fn_ctx *c = user;
    fn_key_add(c, k->encr_key);
    fn_key_add(c, k->integ_key);
}

/* Oracle: no key octets in a log line (STYLE §12). */
static void fn_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    fn_ctx *c = user;
    (void)lvl;
    if (len > 24 && fn_memmem(line, len, "\"ev\":\"ike.msg.drop\"", 19) != NULL)
        c->drop_seen = true;
    for (size_t i = 0; i < c->n_keys; i++)
        if (fn_memmem(line, len, c->key_hex[i], strlen(c->key_hex[i])) != NULL)
            FN_FAIL("key bytes in a log line");
}

static int fn_tgt_send(void *user, const ikh_dgram *dg)
{
    fn_node *fn = user;
    fn_ctx *c = fn->ctx;
    const ikh_span d = dg->data;
    if (!dg->esp && d.len >= IKH_IKE_HDR_LEN &&
        (d.p[19] & IKH_HDR_F_RESPONSE)) {
        /* §2.21.4: an unprotected INVALID_IKE_SPI answer (Notify first,
         * INFORMATIONAL) is allowed even for a dropped message */
        bool unprotected_notify =
            d.p[16] == IKH_PL_NOTIFY && d.p[18] == IKH_EXCH_INFORMATIONAL;
        if (!unprotected_notify)
            c->resp_sent = true;
    }
    if (c->setup)
        return fn->sim_env.send(fn->sim_env.user, dg);
    return 0;
}

static int fn_peer_send(void *user, const ikh_dgram *dg)
{
    fn_node *fn = user;
    return fn->sim_env.send(fn->sim_env.user, dg);
}

/* The AUTH payload data inside a null-AEAD SK payload (plaintext). */
static void fn_find_auth(fn_ctx *c, const uint8_t *m, size_t len)
{
    c->auth = NULL;
    c->auth_len = 0;
    if (len < IKH_IKE_HDR_LEN + 4 || m[16] != IKH_PL_SK)
        return;
    uint8_t next = m[IKH_IKE_HDR_LEN];
    size_t off = IKH_IKE_HDR_LEN + 4; /* null AEAD: no IV */
    for (int n = 0; n < 32 && next != 0 && off + 4 <= len; n++) {
        size_t pl = (size_t)m[off + 2] << 8 | m[off + 3];
        if (pl < 4 || off + pl > len)
            return;
        if (next == IKH_PL_AUTH && pl > 8) {
            c->auth = m + off + 8;
            c->auth_len = pl - 8;
            return;
        }
        next = m[off];
        off += pl;
    }
}

static ikh_err fn_recv(void *node, const ikh_dgram *dg, ikh_time_ms now)
{
    fn_node *fn = node;
    fn_ctx *c = fn->ctx;
    if (fn->target && c->hold_exch != 0 && !dg->esp &&
        dg->data.len >= IKH_IKE_HDR_LEN && dg->data.p[18] == c->hold_exch &&
        dg->data.len <= FN_HELD_MAX) {
        memcpy(c->held_buf, dg->data.p, dg->data.len);
        c->held = *dg;
        c->held.data = ikh_span_of(c->held_buf, dg->data.len);
        c->held_ok = true;
        c->hold_exch = 0;
        fn_find_auth(c, c->held_buf, dg->data.len);
        return IKH_OK;
    }
    return ikh_node_recv(fn->node, dg, now);
}

static ikh_err fn_expire(void *node, ikh_time_ms now)
{
    fn_node *fn = node;
    return ikh_node_expire(fn->node, now);
}

static ikh_time_ms fn_deadline(const void *node)
{
    const fn_node *fn = node;
    return ikh_node_deadline(fn->node);
}

static const ikh_sim_node_ops fn_ops = {fn_recv, fn_expire, fn_deadline};

/* ---- configuration -------------------------------------------------------
 */

static void fn_xf(ikh_proposal_cfg *p, uint8_t type, uint16_t id, uint16_t bits)
{
    p->xf[p->n].type = type;
    p->xf[p->n].id = id;
    p->xf[p->n].key_bits = bits;
    p->n++;
}

static void fn_config(ikh_ike_config *cfg, bool initiator, fn_ctx *c, bool natt)
{
    ikh_ike_config_init(cfg);
    snprintf(cfg->name, sizeof cfg->name, "%s", initiator ? "i" : "r");
    cfg->addr = ikh_addr_v4(192, 0, 2, initiator ? 1 : 2);
    cfg->peer_addr = ikh_addr_v4(192, 0, 2, initiator ? 2 : 1);
    cfg->xforms = fn_xforms;
    cfg->n_props = 1;
    fn_xf(&cfg->props[0], IKH_XF_ENCR, IKH_ENCR_NULL, 0);
    fn_xf(&cfg->props[0], IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 0);
    fn_xf(&cfg->props[0], IKH_XF_KE, IKH_CRYPTO_NULL_KE_ID, 0);
    cfg->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    memcpy(cfg->auth.psk, "fuzz node psk", 13);
    cfg->auth.psk_len = 13;
    cfg->n_children = 2;
    for (size_t k = 0; k < 2; k++) {
        ikh_child_cfg *ch = &cfg->children[k];
        snprintf(ch->name, sizeof ch->name, k ? "pfs" : "net");
        ch->n_props = 1;
        fn_xf(&ch->props[0], IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128);
        fn_xf(&ch->props[0], IKH_XF_ESN, k ? IKH_ESN_NO : IKH_ESN_YES, 0);
        if (k)
            fn_xf(&ch->props[0], IKH_XF_KE, IKH_CRYPTO_NULL_KE_ID, 0);
        ch->n_local_ts = ch->n_remote_ts = 1;
        for (int s = 0; s < 2; s++) {
            ikh_ts_cfg *t = s ? &ch->remote_ts[0] : &ch->local_ts[0];
            t->type = IKH_TS_IPV4_ADDR_RANGE;
            t->end_port = 65535;
            memset(t->end, 0xff, 4);
        }
    }
    cfg->liveness_ms = 20000;
    cfg->max_half_open = FN_MAX_HALF_OPEN;
    cfg->cookie_threshold = 4;
    cfg->fragmentation = true;
    cfg->natt_force = natt;
    if (initiator) {
        cfg->request_ip4 = true;
    } else {
        cfg->pool4 = ikh_addr_v4(10, 9, 0, 1);
        cfg->pool4_size = 4;
    }
    (void)c;
}

/* ---- setup ---------------------------------------------------------------
 */

static void fn_node_new(fn_ctx *c, fn_node *fn, bool initiator, size_t idx,
                        bool natt)
{
    ikh_ike_config cfg;
    fn_config(&cfg, initiator, c, natt);
    fn->ctx = c;
    if (ikh_sim_node_env(c->sim, idx, &fn->sim_env) != IKH_OK)
        FN_FAIL("sim env");
    ikh_env env = fn->sim_env;
    env.user = fn;
    if (fn->target) {
        env.send = fn_tgt_send;
        env.log = fn_log;
        env.log_user = c;
        cfg.keys.ike = fn_ike_keys;
        cfg.keys.child = fn_child_keys;
        cfg.keys.user = c;
    } else {
        env.send = fn_peer_send;
        env.log = NULL;
    }
    if (ikh_node_new(&cfg, &env, &fn->node) != IKH_OK)
        FN_FAIL("node setup");
}

static void fn_run(fn_ctx *c, ikh_time_ms until)
{
    if (ikh_sim_run(c->sim, until, NULL) != IKH_OK)
        FN_FAIL("sim run");
}

/* Bring the target to @p state; returns the time the fuzz steps start. */
static ikh_time_ms fn_setup(fn_ctx *c, unsigned state, unsigned variant,
                            bool natt)
{
    memset(c, 0, offsetof(fn_ctx, n_keys));
    c->n_keys = 0;
    fn_xforms_init();
    ikh_sim_config sc;
    memset(&sc, 0, sizeof sc);
    sc.seed = 1;
    sc.mem = &fn_mem;
    if (ikh_sim_new(&sc, &c->sim) != IKH_OK)
        FN_FAIL("sim setup");
    c->tgt = FUZZ_NODE_ROLE_INITIATOR ? &c->i : &c->r;
    c->peer = FUZZ_NODE_ROLE_INITIATOR ? &c->r : &c->i;
    c->tgt->target = true;
    c->setup = true;
    ikh_addr ai = ikh_addr_v4(192, 0, 2, 1), ar = ikh_addr_v4(192, 0, 2, 2);
    size_t ii = 0, ir = 0;
    if (ikh_sim_node_add(c->sim, &ai, &fn_ops, &c->i, &ii) != IKH_OK ||
        ikh_sim_node_add(c->sim, &ar, &fn_ops, &c->r, &ir) != IKH_OK)
        FN_FAIL("sim nodes");
    fn_node_new(c, &c->i, true, ii, natt);
    fn_node_new(c, &c->r, false, ir, natt);
    if (state == FN_FRESH)
        c->hold_exch = IKH_EXCH_IKE_SA_INIT;
    else if (state == FN_INIT)
        c->hold_exch = IKH_EXCH_IKE_AUTH;
    if (ikh_node_initiate(c->i.node, 0, 0, NULL) != IKH_OK)
        FN_FAIL("initiate");
    fn_run(c, 100);
    if (state != FN_REKEY) {
        c->setup = false;
        return 100;
    }
    static const ikh_action acts[4] = {IKH_ACT_REKEY_CHILD, IKH_ACT_REKEY_IKE,
                                       IKH_ACT_CREATE_CHILD,
                                       IKH_ACT_REKEY_CHILD};
    ikh_action act = acts[variant & 3];
    c->hold_exch = IKH_EXCH_CREATE_CHILD_SA;
    if (ikh_node_action(c->tgt->node, act, 0, act == IKH_ACT_CREATE_CHILD,
                        100) != IKH_OK)
        FN_FAIL("rekey action");
    fn_run(c, 200);
    c->setup = false;
    return 200;
}

static void fn_teardown(fn_ctx *c)
{
    ikh_node_free(c->i.node);
    ikh_node_free(c->r.node);
    ikh_sim_free(c->sim);
    c->i.node = c->r.node = NULL;
    c->sim = NULL;
}

/* ---- oracles -------------------------------------------------------------
 */

typedef struct fn_base {
    uint64_t handshakes; /* at the end of setup */
    bool auth_supplied;  /* a fuzz datagram carried the genuine AUTH */
} fn_base;

static void fn_check_counts(fn_ctx *c, const fn_base *b)
{
    ikh_node *n = c->tgt->node;
    size_t cnt = ikh_node_ike_count(n), half = 0;
    if (cnt > IKH_IKE_MAX_SAS)
        FN_FAIL("more IKE SAs than IKH_IKE_MAX_SAS");
    for (size_t k = 0; k < cnt; k++) {
        ikh_ike_info info;
        if (ikh_node_ike_get(n, k, &info) != IKH_OK)
            FN_FAIL("ike_get of a counted SA");
        if (info.n_children > IKH_IKE_MAX_CHILDREN)
            FN_FAIL("more Child SAs than IKH_IKE_MAX_CHILDREN");
        if (!info.initiator && info.state == IKH_IKE_INIT_DONE)
            half++;
    }
    if (half > FN_MAX_HALF_OPEN)
        FN_FAIL("more half-open SAs than max_half_open");
    ikh_ike_counters k;
    ikh_node_counters(n, &k);
    if (k.handshakes > b->handshakes && !b->auth_supplied)
        FN_FAIL("IKE SA established without the peer's genuine AUTH");
}

static bool fn_carries_auth(const fn_ctx *c, const uint8_t *p, size_t len)
{
    return c->auth_len > 0 && fn_memmem(p, len, c->auth, c->auth_len) != NULL;
}

/* Feed one datagram; check the per-message oracles. */
static void fn_deliver(fn_ctx *c, fn_base *b, const ikh_dgram *dg,
                       ikh_time_ms now)
{
    c->drop_seen = c->resp_sent = false;
    if (fn_carries_auth(c, dg->data.p, dg->data.len))
        b->auth_supplied = true;
    ikh_err e = ikh_node_recv(c->tgt->node, dg, now);
    if (e != IKH_OK)
        FN_FAIL("ikh_node_recv failed without a hook failure");
    if (c->drop_seen && c->resp_sent)
        FN_FAIL("a response to a message dropped as invalid");
    fn_check_counts(c, b);
}

/* ---- the steps -----------------------------------------------------------
 */

static ikh_dgram fn_dgram(const fn_ctx *c, bool natt, bool foreign)
{
    ikh_dgram dg;
    memset(&dg, 0, sizeof dg);
    dg.src = foreign ? ikh_addr_v4(198, 51, 100, 7)
                     : (c->tgt == &c->i ? ikh_addr_v4(192, 0, 2, 2)
                                        : ikh_addr_v4(192, 0, 2, 1));
    dg.dst =
        c->tgt == &c->i ? ikh_addr_v4(192, 0, 2, 1) : ikh_addr_v4(192, 0, 2, 2);
    dg.sport = dg.dport = natt ? IKH_PORT_NATT : IKH_PORT_IKE;
    dg.non_esp_marker = natt;
    return dg;
}

/* Raw: flags (bit 0 NAT-T port, bit 1 foreign source, bit 2 the first 4
 * octets become the newest Child SA's inbound SPI), then the UDP payload
 * (u16 length): on 4500 four zero octets are the non-ESP marker, anything
 * else is an ESP packet (RFC 3948 §2.2). */
static void fn_step_raw(fn_ctx *c, fn_base *b, fuzz_in *in, ikh_time_ms now)
{
    uint8_t fl = fuzz_in_u8(in);
    const uint8_t *p;
    size_t len = fuzz_in_bytes(in, &p);
    ikh_dgram dg = fn_dgram(c, fl & 1, fl & 2);
    if (fl & 1) {
        if (len >= 4 && memcmp(p, "\0\0\0\0", 4) == 0) {
            p += 4;
            len -= 4;
        } else {
            dg.esp = true;
            dg.non_esp_marker = false;
        }
    }
    if ((fl & 4) && len >= 4) {
        memcpy(fn_msg, p, len);
        size_t cnt = ikh_node_ike_count(c->tgt->node);
        ikh_ike_info info;
        ikh_child_info ch;
        if (cnt > 0 &&
            ikh_node_ike_get(c->tgt->node, cnt - 1, &info) == IKH_OK &&
            info.n_children > 0 &&
            ikh_node_child_get(c->tgt->node, info.ref, info.n_children - 1,
                               &ch) == IKH_OK) {
            fn_msg[0] = (uint8_t)(ch.spi_in >> 24);
            fn_msg[1] = (uint8_t)(ch.spi_in >> 16);
            fn_msg[2] = (uint8_t)(ch.spi_in >> 8);
            fn_msg[3] = (uint8_t)ch.spi_in;
        }
        p = fn_msg;
    }
    dg.data = ikh_span_of(p, len);
    fn_deliver(c, b, &dg, now);
}

static void fn_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Wrapped: an encrypted message the target can open (null AEAD): sa
 * (index), exch (0 CREATE_CHILD_SA, 1 INFORMATIONAL, 2 IKE_AUTH, else the
 * octet itself), flags (bit 0 response, bit 1 other port than the SA's,
 * bit 2 no Pad Length added (the input's last octets are the padding),
 * bits 4-7 Message ID offset from the expected one: the next request's,
 * or for a response the target's outstanding request's (mid_next_out);
 * 15: a u32 Message ID follows), first inner
 * payload type, inner payloads (u16 length). */
static void fn_step_wrapped(fn_ctx *c, fn_base *b, fuzz_in *in, ikh_time_ms now)
{
    ikh_node *n = c->tgt->node;
    size_t cnt = ikh_node_ike_count(n);
    unsigned idx = fuzz_in_u8(in);
    uint8_t ex = fuzz_in_u8(in), fl = fuzz_in_u8(in), first = fuzz_in_u8(in);
    uint32_t mid_off = fl >> 4;
    uint32_t mid_abs = mid_off == 15 ? fuzz_in_u32(in) : 0;
    const uint8_t *p;
    size_t len = fuzz_in_bytes(in, &p);
    if (cnt == 0)
        return;
    ikh_ike_info info;
    if (ikh_node_ike_get(n, (cnt - 1 - idx % cnt), &info) != IKH_OK)
        FN_FAIL("ike_get of a counted SA");
    static const uint8_t exch[3] = {IKH_EXCH_CREATE_CHILD_SA,
                                    IKH_EXCH_INFORMATIONAL, IKH_EXCH_IKE_AUTH};
    bool resp = fl & 1;
    uint32_t mid = mid_off == 15 ? mid_abs
                   : resp        ? info.mid_next_out + mid_off
                                 : info.mid_next_in + mid_off;
    size_t body = 4 + len + ((fl & 4) ? 0 : 1);
    size_t total = IKH_IKE_HDR_LEN + body;
    if (total > FN_MSG_MAX)
        return;
    uint8_t *m = fn_msg;
    for (int k = 0; k < 8; k++) {
        m[k] = (uint8_t)(info.ispi >> (56 - 8 * k));
        m[8 + k] = (uint8_t)(info.rspi >> (56 - 8 * k));
    }
    m[16] = IKH_PL_SK;
    m[17] = 0x20;
    m[18] = ex < 3 ? exch[ex] : ex;
    m[19] = (uint8_t)((info.initiator ? 0 : IKH_HDR_F_INITIATOR) |
                      (resp ? IKH_HDR_F_RESPONSE : 0));
    fn_put32(m + 20, mid);
    fn_put32(m + 24, (uint32_t)total);
    m[28] = first;
    m[29] = 0;
    m[30] = (uint8_t)(body >> 8);
    m[31] = (uint8_t)body;
    if (len)
        memcpy(m + 32, p, len);
    if (!(fl & 4))
        m[32 + len] = 0; /* Pad Length: no padding (block size 1) */
    bool natt = info.natt != ((fl & 2) != 0);
    ikh_dgram dg = fn_dgram(c, natt, false);
    dg.data = ikh_span_of(m, total);
    fn_deliver(c, b, &dg, now);
}

/* Run the fuzz steps of one input; see the targets' input comment. */
static void fn_one(const uint8_t *data, size_t size)
{
    fuzz_in in;
    fuzz_in_init(&in, data, size);
    uint8_t st = fuzz_in_u8(&in);
    unsigned steps = fuzz_in_u8(&in) % FN_MAX_STEPS + 1;
    fn_ctx *c = &fn_c;
    ikh_time_ms now = fn_setup(c, st & 3, (st >> 2) & 3, (st & 0x10) != 0);
    fn_base b;
    ikh_ike_counters k0;
    ikh_node_counters(c->tgt->node, &k0);
    b.handshakes = k0.handshakes;
    b.auth_supplied = false;
    fn_check_counts(c, &b);
    for (unsigned s = 0; s < steps && fuzz_in_left(&in) > 0; s++) {
        uint8_t kind = fuzz_in_u8(&in) & 7;
        switch (kind) {
        case 0:
        case 1:
            fn_step_raw(c, &b, &in, now);
            break;
        case 2:
        case 3:
            fn_step_wrapped(c, &b, &in, now);
            break;
        case 4:
        case 5:
            now += fuzz_in_u16(&in);
            if (ikh_node_expire(c->tgt->node, now) != IKH_OK)
                FN_FAIL("ikh_node_expire failed without a hook failure");
            fn_check_counts(c, &b);
            break;
        case 6: {
            ikh_time_ms d = ikh_node_deadline(c->tgt->node);
            if (d != IKH_TIME_NEVER && d > now)
                now = d;
            if (ikh_node_expire(c->tgt->node, now) != IKH_OK)
                FN_FAIL("ikh_node_expire failed without a hook failure");
            fn_check_counts(c, &b);
            break;
        }
        default:
            if (c->held_ok) {
                b.auth_supplied = b.auth_supplied || c->auth_len > 0;
                fn_deliver(c, &b, &c->held, now);
            }
            break;
        }
    }
    fn_teardown(c);
}

#endif /* IKH_FUZZ_NODE_H */
