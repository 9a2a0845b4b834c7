/* SPDX-License-Identifier: MIT */
/* target: ikh_node_recv, ikh_node_expire, ikh_node_initiate, ikh_node_action,
 *         ikh_node_send_inner (two nodes, IKE_SA_INIT to ESP and back) */
/* input: header {flags u8, start u8, seed u16, alloc-fail u16} then ops
 *        until the end: op u8 (% FZ_OP_N) and its arguments (see the fz_op
 *        enum) */
/*
 * The stateful, crypto-aware target (issue 7, ../shared/STYLE.md §15). The
 * input is a program for a pair of nodes, initiator "a" (192.0.2.1) and
 * responder "b" (192.0.2.2). Every datagram a node sends lands in one
 * in-flight queue of this target (the env send hook); the program decides
 * which to deliver, drop, duplicate or mutate, how far the clock moves,
 * which actions each side starts and what inner traffic goes through ESP.
 * Node "a" starts an IKE SA at time 0, so the program "deliver everything"
 * establishes the IKE SA and its first Child SA.
 *
 * Start (header byte 2, even: fresh; odd: established): a fresh pair runs
 * the handshake in the input's own program (and every fault in it); an
 * established start begins where "deliver everything" leaves a fresh pair
 * with the same flags, restored from a snapshot (common/fuzz_arena.h: the
 * nodes live in one region that is saved once per flags value and copied
 * back), then reseeded from the input. The handshake is the most costly
 * part of a program and most programs only begin after it, so this is
 * what makes the target fast; the snapshot is built by the same code a
 * fresh start runs, with seed 0.
 *
 * Mutations work on the decoded message: the outer payload list and, for
 * an Encrypted payload, the inner list after opening it with the sending
 * SA's keys (learnt through the key-table hooks); the mutated message is
 * serialized, encrypted and integrity-protected again with the same keys
 * (RFC 7296 §3.14; RFC 5282 for AEAD), so mutated content reaches the
 * handlers behind the ICV. Raw octet changes and truncation are there too.
 *
 * fuzz_ike_session runs the null suite (ikh_crypto_null_list(): null AEAD
 * and null KE, plus PRF-HMAC-SHA256 for the key schedule) for speed;
 * fuzz_ike_session_crypto is this file with FUZZ_SESSION_CRYPTO defined:
 * AES-GCM-16-256, PRF-HMAC-SHA256 and X25519 for IKE, AES-GCM-16-256 for
 * ESP.
 *
 * Oracles beyond the sanitizers (abort() with one line on stderr):
 *  - auth: a node holds an IKE SA made by IKE_AUTH (not by a rekey) in
 *    state ESTABLISHED or REKEYING only if it was delivered an IKE_AUTH
 *    message for those SPIs whose AUTH and ID payloads are the ones the
 *    peer node sent (decrypted and compared);
 *  - keys: an IKE SA established on both sides has the same SK_e/SK_a on
 *    both (key hooks); an installed Child SA pair has the same ESP keys.
 *    After a mutation only IKE SAs made by IKE_AUTH are compared: a
 *    resealed CREATE_CHILD_SA with a changed nonce rightly gives each side
 *    other keys (the fuzzer holds SK_e/SK_a, as an insider would). The
 *    null suite has empty SK_e/SK_a and ESP keys, so there this oracle
 *    compares transforms only;
 *  - mid: a node never sends two different requests (other than
 *    IKE_SA_INIT, which §1.2/§2.6 retries with Message ID 0) with the
 *    same Message ID on one IKE SA;
 *  - limits: IKE SAs per node, Child SAs per IKE SA and queued tasks per
 *    IKE SA within IKH_IKE_MAX_SAS, IKH_IKE_MAX_CHILDREN and
 *    IKH_IKE_MAX_QUEUED; no SA slot in use above the table's top mark
 *    (the stack's walks stop there); no allocation outlives the nodes;
 *  - deadline: after ikh_node_expire(now) the deadline is later than now
 *    (checked when no hook failure was injected);
 *  - log: no SK_e/SK_a or ESP key of 16 octets or more appears (as hex) in
 *    a log line (when the header turns logging on; the null suite has no
 *    such keys).
 * Deterministic (time, randomness from a DRBG seeded by the input, hook
 * failures from the input), no state between inputs, writes no files.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fuzz_arena.h"
#include "common/fuzz_input.h"
#include "ike/ike_int.h"
#include "ikh/bytes.h"
#include "ikh/crypto.h"
#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bookkeeping, oracle and delivery code (the send hook, the in-flight
 * queue, the clock loop, the analysis of each datagram) is left out of the
 * coverage instrumentation: its branches and loops (hashes, table walks,
 * hex scans) would only add features that say nothing about the stack, and
 * their comparison hooks cost time on every datagram. */
#if defined(__clang__)
#define FZ_NOCOV __attribute__((no_sanitize("coverage")))
#else
#define FZ_NOCOV
#endif

/* ---- limits of this target ------------------------------------------------
 */

#define FZ_DG_MAX 4096u  /* largest datagram kept in flight */
#define FZ_Q_MAX 32u     /* datagrams in flight (more are lost) */
#define FZ_IKEK_MAX 160u /* IKE key records per side (ring) */
#define FZ_CHK_MAX 64u   /* Child SA key records per side (ring) */
#define FZ_KEY_MAX 80u   /* longest key kept (SK_a of HMAC-SHA2-512: 64) */
#define FZ_REQ_MAX 256u  /* requests remembered for the mid oracle (ring) */
#define FZ_AUTH_MAX 256u /* AUTH records per side (ring, deduplicated) */
#define FZ_ALL_MAX 64u   /* deliveries of one "deliver all" */
#define FZ_TIMER_MAX 64u /* timer runs of one clock advance */
#define FZ_OPS_MAX 4096u /* ops of one input */

#define FZ_NODE_A 0u
#define FZ_NODE_B 1u

/* Errors of the node calls are results the program may provoke (hook
 * failures, limits, bad arguments), not target failures. A function, as
 * gcc does not let a (void) cast silence IKH_MUST_USE. */
static void fz_ignore(ikh_err e)
{
    (void)e;
}

static void fz_fail(const char *what)
{
    fprintf(stderr, "fuzz_ike_session: oracle failed: %s\n", what);
    abort();
}

/* ---- state (reset at the start of every input) ---------------------------
 */

/* One datagram in flight. */
typedef struct fz_dg {
    ikh_dgram dg; /* data points into buf */
    size_t from;  /* side that sent it */
    uint8_t buf[FZ_DG_MAX];
} fz_dg;

/* IKE SA keys as a side's key hook saw them. */
typedef struct fz_ikek {
    uint64_t ispi, rspi;
    uint16_t encr, encr_bits, integ;
    uint8_t len_e, len_a;
    uint8_t sk_ei[FZ_KEY_MAX], sk_er[FZ_KEY_MAX];
    uint8_t sk_ai[FZ_KEY_MAX], sk_ar[FZ_KEY_MAX];
} fz_ikek;

/* One direction of Child SA keys as a side's key hook saw them. */
typedef struct fz_chk {
    uint32_t spi;
    bool out; /* outbound from this side */
    uint16_t encr, integ;
    uint8_t len_e, len_a;
    uint8_t e[FZ_KEY_MAX], a[FZ_KEY_MAX];
} fz_chk;

/* A request a side sent (mid oracle). */
typedef struct fz_req {
    size_t side;
    uint64_t ispi, rspi;
    uint32_t mid;
    size_t len;
    uint64_t hash;
} fz_req;

/* AUTH + ID of an IKE_AUTH message for an SPI pair. */
typedef struct fz_auth {
    uint64_t ispi, rspi, hash;
} fz_auth;

typedef struct fz_side {
    size_t idx;
    ikh_node *node;
    ikh_addr addr;
    uint64_t rng;        /* randomness: splitmix64 state */
    ikh_mem_fail mem;    /* failure injection and live count over the arena */
    bool fail_send;      /* the next send fails */
    uint64_t handshakes; /* node counter when the SAs were last checked */
    ikh_ike_config cfg;
    size_t n_ikek, n_chk, n_sent_auth, n_good_auth;
    fz_ikek ikek[FZ_IKEK_MAX];
    fz_chk chk[FZ_CHK_MAX];
    fz_auth sent_auth[FZ_AUTH_MAX]; /* AUTH it sent */
    fz_auth good_auth[FZ_AUTH_MAX]; /* genuine AUTH delivered to it */
} fz_side;

typedef struct fz_state {
    fz_side s[2];
    ikh_time_ms now;
    size_t nq;
    fz_dg q[FZ_Q_MAX];
    size_t n_req;
    fz_req req[FZ_REQ_MAX];
    bool hook_failed; /* an injected failure happened (deadline oracle off) */
    bool tampered;    /* a datagram was mutated (keys oracle narrowed) */
    bool log_on;
    bool long_keys; /* a key of 16 octets or more was recorded (log oracle) */
    bool trace;     /* IKH_FUZZ_TRACE set: log lines and a summary on stderr */
    uint64_t delivered_inner;
    unsigned work; /* datagrams sent and handled since the program began */
    /* scratch */
    ikh_msg msg;                     /* analysis of one datagram */
    ikh_msg mut;                     /* the datagram being mutated */
    uint8_t plain[IKH_IKE_MSG_MAX];  /* opened SK (analysis) */
    uint8_t mplain[IKH_IKE_MSG_MAX]; /* opened SK (mutation) */
    uint8_t chain[FZ_DG_MAX];        /* mutated inner chain */
    uint8_t out[FZ_DG_MAX];          /* mutated datagram */
    uint8_t pkt[1600];               /* inner packet */
    uint8_t fill[64];                /* values for mutated spans */
} fz_state;

static fz_state *g;

/* ---- allocation and randomness hooks --------------------------------------
 */

/* The arena (common/fuzz_arena.h) as an ikh_mem; each side's
 * ikh_mem_fail sits on it (injected failures, live count, and an arena
 * that is full counts as a refusal). */
FZ_NOCOV static void *arena_alloc(void *user, size_t size)
{
    (void)user;
    return fza_alloc(size);
}

FZ_NOCOV static void arena_free(void *user, void *p)
{
    (void)user;
    fza_free(p);
}

static const ikh_mem arena_mem = {arena_alloc, arena_free, NULL};

/* splitmix64: fast and deterministic; a fuzz run needs no better (the
 * HMAC-DRBG cost a tenth of every execution). */
FZ_NOCOV static void fz_rand(void *user, uint8_t *out, size_t len)
{
    fz_side *s = user;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (size_t k = 0; k < 8 && i + k < len; k++)
            out[i + k] = (uint8_t)(z >> (8 * k));
    }
}

/* ---- small helpers --------------------------------------------------------
 */

FZ_NOCOV static uint64_t fnv(uint64_t h, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define FNV0 0xcbf29ce484222325ull

/* The header fields the oracles need, or false when too short. */
FZ_NOCOV static bool hdr_read(const uint8_t *p, size_t len, ikh_ike_hdr *h)
{
    ikh_rd rd = ikh_rd_init(p, len);
    ikh_wire_hdr_read(&rd, h);
    return ikh_rd_error(&rd) == IKH_OK;
}

static const ikh_xform_desc *const *fz_xforms(void)
{
#ifdef FUZZ_SESSION_CRYPTO
    return ikh_crypto_default_list();
#else
    /* null AEAD + null KE, and a real PRF for the key schedule (constant
     * after the first call: not state between inputs) */
    static const ikh_xform_desc *list[4];
    if (list[0] == NULL) {
        const ikh_xform_desc *const *nl = ikh_crypto_null_list();
        list[0] = nl[0];
        list[1] = nl[1];
        list[2] = ikh_crypto_find(ikh_crypto_default_list(), IKH_XF_PRF,
                                  IKH_PRF_HMAC_SHA2_256, 0);
        list[3] = NULL;
    }
    return list;
#endif
}

FZ_NOCOV static fz_ikek *ikek_find(fz_side *s, uint64_t ispi, uint64_t rspi)
{
    size_t n = s->n_ikek < FZ_IKEK_MAX ? s->n_ikek : FZ_IKEK_MAX;
    for (size_t i = 0; i < n; i++)
        if (s->ikek[i].ispi == ispi && s->ikek[i].rspi == rspi)
            return &s->ikek[i];
    return NULL;
}

FZ_NOCOV static fz_chk *chk_find(fz_side *s, uint32_t spi, bool out)
{
    size_t n = s->n_chk < FZ_CHK_MAX ? s->n_chk : FZ_CHK_MAX;
    for (size_t i = 0; i < n; i++)
        if (s->chk[i].spi == spi && s->chk[i].out == out)
            return &s->chk[i];
    return NULL;
}

FZ_NOCOV static bool auth_has(const fz_auth *t, size_t n, uint64_t ispi,
                              uint64_t rspi, uint64_t hash, bool any_hash)
{
    if (n > FZ_AUTH_MAX)
        n = FZ_AUTH_MAX;
    for (size_t i = 0; i < n; i++)
        if (t[i].ispi == ispi && t[i].rspi == rspi &&
            (any_hash || t[i].hash == hash))
            return true;
    return false;
}

/* Records an AUTH once per (SPIs, AUTH and ID): retransmissions and
 * duplicates add nothing. The table is a ring: once it wrapped (*n above
 * FZ_AUTH_MAX) a record may be gone, and the auth oracle stops judging
 * (auth_complete()) rather than report an SA whose record fell out (a
 * false alarm found by a 10-minute run: 20 IKE SAs with retransmitted
 * IKE_AUTH messages filled the old 64-entry ring). */
FZ_NOCOV static void auth_add(fz_auth *t, size_t *n, uint64_t ispi,
                              uint64_t rspi, uint64_t hash)
{
    if (auth_has(t, *n, ispi, rspi, hash, false))
        return;
    fz_auth *a = &t[*n % FZ_AUTH_MAX];
    a->ispi = ispi;
    a->rspi = rspi;
    a->hash = hash;
    (*n)++;
}

/* ---- SK open and seal with recorded keys ---------------------------------
 */

typedef struct fz_suite {
    const ikh_encr_ops *e;
    const ikh_integ_ops *a; /* NULL for AEAD */
    size_t iv_len, icv_len, block;
} fz_suite;

FZ_NOCOV static bool suite_of(const fz_ikek *k, fz_suite *s)
{
    const ikh_xform_desc *const *l = fz_xforms();
    const ikh_xform_desc *e =
        ikh_crypto_find(l, IKH_XF_ENCR, k->encr, k->encr_bits);
    if (e == NULL || e->encr == NULL)
        return false;
    s->e = e->encr;
    s->a = NULL;
    if (!s->e->aead) {
        const ikh_xform_desc *a = ikh_crypto_find(l, IKH_XF_INTEG, k->integ, 0);
        if (a == NULL || a->integ == NULL)
            return false;
        s->a = a->integ;
    }
    s->iv_len = s->e->iv_len;
    s->icv_len = s->e->aead ? s->e->icv_len : s->a->icv_len;
    s->block = s->e->block_len ? s->e->block_len : 1;
    return true;
}

/*
 * Open the SK payload @p sk (the last payload of the message @p buf) with
 * the keys of direction @p from_i into @p plain, as ikh_sk_open() does:
 * ICV or tag first, then decryption and the padding. *iv gets the IV.
 */
FZ_NOCOV static bool sk_open(const fz_ikek *k, const ikh_pl *sk,
                             const uint8_t *buf, size_t len, bool from_i,
                             uint8_t *plain, size_t *inner_len,
                             ikh_span *iv_out)
{
    fz_suite s;
    if (sk->type != IKH_PL_SK || !suite_of(k, &s))
        return false;
    ikh_span body = sk->u.sk.body, iv, ct, icv;
    size_t body_off = (size_t)sk->offset + IKH_GENERIC_HDR_LEN;
    if (body_off + body.len != len ||
        ikh_wire_sk_split(body, s.iv_len, s.icv_len, &iv, &ct, &icv) != IKH_OK)
        return false;
    if (ct.len < 1 || ct.len > IKH_IKE_MSG_MAX || ct.len % s.block != 0)
        return false;
    const uint8_t *ke = from_i ? k->sk_ei : k->sk_er;
    const uint8_t *ka = from_i ? k->sk_ai : k->sk_ar;
    if (!s.e->aead) {
        uint8_t mac[IKH_ICV_MAX];
        ikh_span part = ikh_span_of(buf, len - s.icv_len);
        if (s.a->mac(ka, &part, 1, mac) != IKH_OK ||
            memcmp(mac, icv.p, s.icv_len) != 0)
            return false;
    }
    memcpy(plain, ct.p, ct.len);
    ikh_crypto_ctx ctx;
    ikh_err err = s.e->init(&ctx, ke);
    if (err == IKH_OK)
        err =
            s.e->decrypt(&ctx, iv.p, ikh_span_of(buf, s.e->aead ? body_off : 0),
                         plain, ct.len, s.e->aead ? icv.p : NULL);
    s.e->fini(&ctx);
    if (err != IKH_OK)
        return false;
    uint8_t pad = plain[ct.len - 1];
    if ((size_t)pad + 1 > ct.len)
        return false;
    *inner_len = ct.len - pad - 1;
    *iv_out = iv;
    return true;
}

/*
 * Seal @p m (header, outer payloads, the last outer one SK) with the inner
 * chain
 * @p chain of @p L octets into @p out, as the stack's seal_last() does:
 * padding to the block size, IV @p iv (zeros when shorter), encryption and
 * the ICV over the final octets.
 */
static bool sk_seal(const fz_ikek *k, bool from_i, ikh_msg *m,
                    const uint8_t *chain, size_t L, ikh_span iv,
                    uint8_t *body_buf, size_t body_cap, uint8_t *out,
                    size_t cap, size_t *out_len)
{
    fz_suite s;
    ikh_pl *sk = NULL;
    for (size_t i = 0; i < m->n_pl; i++)
        if (!m->pl[i].in_sk)
            sk = &m->pl[i];
    if (!suite_of(k, &s) || sk == NULL || sk->type != IKH_PL_SK)
        return false;
    size_t pad = (s.block - (L + 1) % s.block) % s.block;
    size_t ct_len = L + pad + 1;
    size_t body_len = s.iv_len + ct_len + s.icv_len;
    if (body_len > body_cap)
        return false;
    memset(body_buf, 0, s.iv_len);
    memcpy(body_buf, iv.p, iv.len < s.iv_len ? iv.len : s.iv_len);
    memcpy(body_buf + s.iv_len, chain, L);
    memset(body_buf + s.iv_len + L, 0, pad);
    body_buf[s.iv_len + L + pad] = (uint8_t)pad;
    memset(body_buf + s.iv_len + ct_len, 0, s.icv_len);
    sk->u.sk.body = ikh_span_of(body_buf, body_len);
    size_t total = 0;
    if (ikh_wire_msg_serialize(m, out, cap, &total) != IKH_OK ||
        total < body_len)
        return false;
    size_t off = total - body_len;
    const uint8_t *ke = from_i ? k->sk_ei : k->sk_er;
    const uint8_t *ka = from_i ? k->sk_ai : k->sk_ar;
    ikh_crypto_ctx ctx;
    ikh_err err = s.e->init(&ctx, ke);
    if (err == IKH_OK)
        err = s.e->encrypt(&ctx, out + off,
                           s.e->aead ? ikh_span_of(out, off)
                                     : ikh_span_of(out, 0),
                           out + off + s.iv_len, ct_len,
                           s.e->aead ? out + off + s.iv_len + ct_len : NULL);
    s.e->fini(&ctx);
    if (err != IKH_OK)
        return false;
    if (!s.e->aead) {
        ikh_span part = ikh_span_of(out, total - s.icv_len);
        if (s.a->mac(ka, &part, 1, out + total - s.icv_len) != IKH_OK)
            return false;
    }
    *out_len = total;
    return true;
}

/* Parse @p p into g->msg and open its SK with side @p keys_of's keys;
 * true when the inner chain parsed too. */
FZ_NOCOV static bool analyse(size_t keys_of, const uint8_t *p, size_t len)
{
    ikh_msg *m = &g->msg;
    if (ikh_wire_msg_parse(m, p, len, NULL) != IKH_OK || m->n_pl == 0)
        return false;
    const ikh_pl *sk = &m->pl[m->n_pl - 1];
    if (sk->type != IKH_PL_SK)
        return false;
    const fz_ikek *k = ikek_find(&g->s[keys_of], m->hdr.ispi, m->hdr.rspi);
    size_t inner = 0;
    ikh_span iv;
    if (k == NULL ||
        !sk_open(k, sk, p, len, (m->hdr.flags & IKH_HDR_F_INITIATOR) != 0,
                 g->plain, &inner, &iv))
        return false;
    return ikh_wire_msg_parse_inner(m, sk->u.sk.inner, g->plain, inner, 0,
                                    NULL) == IKH_OK;
}

/* Hash of the first AUTH and ID payloads of an analysed message (0: none). */
FZ_NOCOV static uint64_t auth_hash(const ikh_msg *m)
{
    /* RFC 7296 §2.15: AUTH signs the sender's own ID payload, IDi from the
     * original initiator (I flag) and IDr from the responder. A request
     * may also carry IDr (the responder identity it wants, §3.5), which
     * AUTH does not cover: a resealed request with one inserted is still
     * genuine (a false alarm of the first version, which took the first
     * ID payload of either kind). */
    uint8_t own =
        (m->hdr.flags & IKH_HDR_F_INITIATOR) ? IKH_PL_IDI : IKH_PL_IDR;
    const ikh_pl *auth = NULL, *id = NULL;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (!p->in_sk)
            continue;
        if (p->type == IKH_PL_AUTH && auth == NULL)
            auth = p;
        if (p->type == own && id == NULL)
            id = p;
    }
    if (auth == NULL || id == NULL)
        return 0;
    uint8_t t[3] = {auth->u.auth.method, id->type, id->u.id.id_type};
    uint64_t h = fnv(FNV0, t, sizeof t);
    h = fnv(h, auth->u.auth.data.p, auth->u.auth.data.len);
    h = fnv(h, id->u.id.data.p, id->u.id.data.len);
    return h | 1u;
}

/* ---- hooks ----------------------------------------------------------------
 */

/* mid oracle and AUTH records for a datagram side @p s sends. */
FZ_NOCOV static void on_sent_ike(fz_side *s, const uint8_t *p, size_t len)
{
    ikh_ike_hdr h;
    if (!hdr_read(p, len, &h))
        return;
    if (!(h.flags & IKH_HDR_F_RESPONSE) && h.exch != IKH_EXCH_IKE_SA_INIT) {
        uint64_t hash = fnv(FNV0, p, len);
        size_t n = g->n_req < FZ_REQ_MAX ? g->n_req : FZ_REQ_MAX;
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++) {
            fz_req *r = &g->req[i];
            if (r->side != s->idx || r->ispi != h.ispi || r->rspi != h.rspi ||
                r->mid != h.mid)
                continue;
            if (r->len != len || r->hash != hash)
                fz_fail("mid: a Message ID was reused for a different request");
            seen = true;
        }
        if (!seen) {
            fz_req *r = &g->req[g->n_req % FZ_REQ_MAX];
            r->side = s->idx;
            r->ispi = h.ispi;
            r->rspi = h.rspi;
            r->mid = h.mid;
            r->len = len;
            r->hash = hash;
            g->n_req++;
        }
    }
    if (h.exch == IKH_EXCH_IKE_AUTH && analyse(s->idx, p, len)) {
        uint64_t ah = auth_hash(&g->msg);
        if (ah != 0)
            auth_add(s->sent_auth, &s->n_sent_auth, h.ispi, h.rspi, ah);
    }
}

FZ_NOCOV static int fz_send(void *user, const ikh_dgram *dg)
{
    fz_side *s = user;
    g->work++;
    if (s->fail_send) {
        s->fail_send = false;
        g->hook_failed = true;
        return -1;
    }
    if (!dg->esp)
        on_sent_ike(s, dg->data.p, dg->data.len);
    if (g->nq >= FZ_Q_MAX || dg->data.len > FZ_DG_MAX)
        return 0; /* lost on the network */
    fz_dg *q = &g->q[g->nq++];
    q->dg = *dg;
    q->from = s->idx;
    memcpy(q->buf, dg->data.p, dg->data.len);
    q->dg.data = ikh_span_of(q->buf, dg->data.len);
    return 0;
}

FZ_NOCOV static void key_copy(uint8_t *dst, ikh_span src, uint8_t *len)
{
    size_t n = src.len < FZ_KEY_MAX ? src.len : FZ_KEY_MAX;
    memcpy(dst, src.p, n);
    *len = (uint8_t)n;
    if (n >= 16)
        g->long_keys = true;
}

FZ_NOCOV static void fz_ike_keys(void *user, const ikh_ike_keyinfo *k)
{
    fz_side *s = user;
    fz_ikek *r = ikek_find(s, k->ispi, k->rspi);
    if (r == NULL)
        r = &s->ikek[s->n_ikek++ % FZ_IKEK_MAX];
    r->ispi = k->ispi;
    r->rspi = k->rspi;
    r->encr = k->encr;
    r->encr_bits = k->encr_bits;
    r->integ = k->integ;
    key_copy(r->sk_ei, k->sk_ei, &r->len_e);
    key_copy(r->sk_er, k->sk_er, &r->len_e);
    key_copy(r->sk_ai, k->sk_ai, &r->len_a);
    key_copy(r->sk_ar, k->sk_ar, &r->len_a);
}

FZ_NOCOV static void fz_child_keys(void *user, const ikh_child_keyinfo *k)
{
    fz_side *s = user;
    bool out = ikh_addr_cmp(&k->src, &s->addr) == 0;
    fz_chk *r = chk_find(s, k->spi, out);
    if (r == NULL)
        r = &s->chk[s->n_chk++ % FZ_CHK_MAX];
    r->spi = k->spi;
    r->out = out;
    r->encr = k->encr;
    r->integ = k->integ;
    key_copy(r->e, k->encr_key, &r->len_e);
    key_copy(r->a, k->integ_key, &r->len_a);
}

FZ_NOCOV static void fz_deliver(void *user, const ikh_inner_pkt *p)
{
    (void)user;
    (void)p;
    g->delivered_inner++;
}

FZ_NOCOV static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Does @p key (len >= 16) appear as hex (either case) in the run? */
FZ_NOCOV static bool key_in_run(const char *run, size_t n, const uint8_t *key,
                                size_t len)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    if (len < 16)
        return false;
    char hl[32], hu[32];
    for (size_t i = 0; i < 16; i++) {
        hl[2 * i] = lo[key[i] >> 4];
        hl[2 * i + 1] = lo[key[i] & 15];
        hu[2 * i] = up[key[i] >> 4];
        hu[2 * i + 1] = up[key[i] & 15];
    }
    for (size_t o = 0; o + 32 <= n; o++)
        if (memcmp(run + o, hl, 32) == 0 || memcmp(run + o, hu, 32) == 0)
            return true;
    return false;
}

FZ_NOCOV static bool key_in_log(const char *run, size_t n)
{
    for (size_t si = 0; si < 2; si++) {
        const fz_side *s = &g->s[si];
        size_t ni = s->n_ikek < FZ_IKEK_MAX ? s->n_ikek : FZ_IKEK_MAX;
        for (size_t i = 0; i < ni; i++) {
            const fz_ikek *k = &s->ikek[i];
            if (key_in_run(run, n, k->sk_ei, k->len_e) ||
                key_in_run(run, n, k->sk_er, k->len_e) ||
                key_in_run(run, n, k->sk_ai, k->len_a) ||
                key_in_run(run, n, k->sk_ar, k->len_a))
                return true;
        }
        size_t nc = s->n_chk < FZ_CHK_MAX ? s->n_chk : FZ_CHK_MAX;
        for (size_t i = 0; i < nc; i++)
            if (key_in_run(run, n, s->chk[i].e, s->chk[i].len_e) ||
                key_in_run(run, n, s->chk[i].a, s->chk[i].len_a))
                return true;
    }
    return false;
}

/* Log oracle: runs of 32+ hex digits are compared with every key seen. */
FZ_NOCOV static void fz_log(void *user, ikh_level lvl, const char *line,
                            size_t len)
{
    (void)user;
    (void)lvl;
    if (g->trace)
        fprintf(stderr, "%.*s\n", (int)len, line);
    if (!g->long_keys)
        return; /* nothing it could leak (the null suite): no scan */
    size_t i = 0;
    while (i < len) {
        if (!is_hex(line[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && is_hex(line[j]))
            j++;
        if (j - i >= 32 && key_in_log(line + i, j - i))
            fz_fail("log: key material in a log line");
        i = j;
    }
}

/* ---- the pair -------------------------------------------------------------
 */

FZ_NOCOV static ikh_ts_cfg ts_v4(uint8_t a, uint8_t b)
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

/* Header flags. */
enum {
    FZ_F_WINDOW = 0x01,   /* SET_WINDOW_SIZE 2 on both sides */
    FZ_F_NATT = 0x02,     /* a encapsulates as if behind a NAT */
    FZ_F_LIVENESS = 0x04, /* liveness checks after 10 s of silence */
    FZ_F_LOG = 0x08,      /* log hook on (log oracle) */
    FZ_F_TIMERS = 0x10,   /* Child rekey after 20 s, IKE rekey after 30 s,
                             lifetimes */
    FZ_F_CP = 0x20,       /* a asks for an IPv4 address from b's pool */
    FZ_F_CONTACT = 0x40,  /* INITIAL_CONTACT */
    FZ_F_TRANSPORT = 0x80 /* transport mode Child SAs */
};

FZ_NOCOV static void proposals(ikh_ike_config *c)
{
#ifdef FUZZ_SESSION_CRYPTO
    if (ikh_proposal_parse("aes256gcm16-prfsha256-x25519", false, &c->props[0],
                           NULL) != IKH_OK ||
        ikh_proposal_parse("aes256gcm16", true, &c->children[0].props[0],
                           NULL) != IKH_OK ||
        ikh_proposal_parse("aes256gcm16-x25519", true, &c->children[1].props[0],
                           NULL) != IKH_OK)
        abort();
#else
    ikh_proposal_cfg *p = &c->props[0];
    p->n = 3;
    p->xf[0] = (ikh_xf_ref){IKH_XF_ENCR, IKH_ENCR_NULL, 0};
    p->xf[1] = (ikh_xf_ref){IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 0};
    p->xf[2] = (ikh_xf_ref){IKH_XF_KE, IKH_CRYPTO_NULL_KE_ID, 0};
    p = &c->children[0].props[0];
    p->n = 1;
    p->xf[0] = (ikh_xf_ref){IKH_XF_ENCR, IKH_ENCR_NULL, 0};
    p = &c->children[1].props[0];
    p->n = 2;
    p->xf[0] = (ikh_xf_ref){IKH_XF_ENCR, IKH_ENCR_NULL, 0};
    p->xf[1] = (ikh_xf_ref){IKH_XF_KE, IKH_CRYPTO_NULL_KE_ID, 0};
#endif
    c->n_props = 1;
    c->children[0].n_props = 1;
    c->children[1].n_props = 1;
}

FZ_NOCOV static void config(fz_side *s, unsigned flags)
{
    static const char psk[] = "fuzz-session-psk";
    ikh_ike_config *c = &s->cfg;
    ikh_ike_config_init(c);
    bool a = s->idx == FZ_NODE_A;
    c->name[0] = a ? 'a' : 'b';
    c->name[1] = '\0';
    c->addr = s->addr;
    c->peer_addr = g->s[a ? FZ_NODE_B : FZ_NODE_A].addr;
    c->xforms = fz_xforms();
    c->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    c->auth.psk_len = (uint16_t)(sizeof psk - 1);
    memcpy(c->auth.psk, psk, sizeof psk - 1);
    c->peer_auth = c->auth;
    c->n_children = 2;
    for (size_t i = 0; i < 2; i++) {
        ikh_child_cfg *ch = &c->children[i];
        ch->name[0] = i == 0 ? 'n' : 'p'; /* "n"et, "p"fs */
        ch->name[1] = '\0';
        ikh_ts_cfg n1 = ts_v4(10, 1), n2 = ts_v4(10, 2);
        if (i == 1) /* the PFS child: UDP only */
            n1.ip_proto = n2.ip_proto = 17;
        ch->n_local_ts = ch->n_remote_ts = 1;
        ch->local_ts[0] = a ? n1 : n2;
        ch->remote_ts[0] = a ? n2 : n1;
        ch->transport = (flags & FZ_F_TRANSPORT) != 0;
        if (flags & FZ_F_TIMERS) {
            ch->rekey_ms = 20000;
            ch->life_ms = 90000;
        }
    }
    proposals(c);
    c->retransmit_base_ms = 1000;
    c->retransmit_tries = 3;
    c->window = (flags & FZ_F_WINDOW) ? 2 : 0;
    c->natt_force = a && (flags & FZ_F_NATT);
    c->liveness_ms = (flags & FZ_F_LIVENESS) ? 10000 : 0;
    if (flags & FZ_F_TIMERS) {
        c->ike_rekey_ms = 30000;
        c->ike_life_ms = 120000;
    }
    if (flags & FZ_F_CP) {
        c->request_ip4 = a;
        if (!a) {
            c->pool4 = ikh_addr_v4(10, 3, 0, 1);
            c->pool4_size = 4;
        }
    }
    c->initial_contact = (flags & FZ_F_CONTACT) != 0;
    c->keys.ike = fz_ike_keys;
    c->keys.child = fz_child_keys;
    c->keys.user = s;
    c->data.deliver = fz_deliver;
    c->data.user = s;
}

FZ_NOCOV static void pair_start(unsigned flags, uint16_t seed, uint16_t fail)
{
    fza_reset();
    g->now = 0;
    g->nq = 0;
    g->n_req = 0;
    g->hook_failed = false;
    g->tampered = false;
    g->log_on = (flags & FZ_F_LOG) != 0 || g->trace;
    g->long_keys = false;
    g->delivered_inner = 0;
    g->s[FZ_NODE_A].addr = ikh_addr_v4(192, 0, 2, 1);
    g->s[FZ_NODE_B].addr = ikh_addr_v4(192, 0, 2, 2);
    for (size_t i = 0; i < 2; i++) {
        fz_side *s = &g->s[i];
        s->idx = i;
        s->node = NULL;
        s->fail_send = false;
        s->handshakes = 0;
        s->n_ikek = s->n_chk = s->n_sent_auth = s->n_good_auth = 0;
        s->rng = (uint64_t)seed << 8 | i;
        /* fail: bit 0 the side, the rest the allocation that fails */
        bool fails = fail != 0 && (fail & 1u) == i;
        ikh_mem_fail_init(&s->mem, fails ? fail >> 1 : 0, false);
        s->mem.inner = &arena_mem;
        config(s, flags);
        ikh_env env;
        memset(&env, 0, sizeof env);
        env.user = s;
        env.send = fz_send;
        env.rand = fz_rand;
        env.log = g->log_on ? fz_log : NULL;
        env.mem = &s->mem.mem;
        if (ikh_node_new(&s->cfg, &env, &s->node) != IKH_OK)
            s->node = NULL;
    }
    if (g->s[FZ_NODE_A].node != NULL)
        fz_ignore(ikh_node_initiate(g->s[FZ_NODE_A].node, 0, g->now, NULL));
}

FZ_NOCOV static void pair_end(void)
{
    for (size_t i = 0; i < 2; i++) {
        fz_side *s = &g->s[i];
        ikh_node_free(s->node);
        s->node = NULL;
        if (s->mem.live != 0)
            fz_fail("limits: memory still allocated after ikh_node_free");
    }
}

FZ_NOCOV static bool hooks_failed(void)
{
    return g->hook_failed || g->s[0].mem.failures || g->s[1].mem.failures;
}

/* ---- oracles after each op ------------------------------------------------
 */

/* Both AUTH tables of side @p s (what its peer sent, what it got) and both
 * sides' key tables still hold every record: only then can a missing
 * record mean a missing AUTH (a 10-minute run made 47 IKE SAs: the old
 * 32-entry key ring lost the keys that open their IKE_AUTH messages). */
FZ_NOCOV static bool auth_complete(const fz_side *s)
{
    const fz_side *peer = &g->s[1 - s->idx];
    /* the keys open the AUTH messages: a lost key record loses AUTHs */
    return s->n_good_auth <= FZ_AUTH_MAX && peer->n_sent_auth <= FZ_AUTH_MAX &&
           s->n_ikek <= FZ_IKEK_MAX && peer->n_ikek <= FZ_IKEK_MAX;
}

FZ_NOCOV static bool live_state(ikh_ike_state st)
{
    return st == IKH_IKE_ESTABLISHED || st == IKH_IKE_REKEYING;
}

/* limits and auth, after every op: a walk over the SA slots (the public
 * ikh_node_ike_get() finds the n-th SA by a walk of its own, so a loop over
 * it is quadratic in the SAs a program makes) */
FZ_NOCOV static void check_side(fz_side *s, bool full)
{
    const ikh_node *n = s->node;
    if (n == NULL)
        return;
    /* an IKE SA is established by IKE_AUTH only where the handshake
     * counter moves: walk the SAs then (and at the end of the input) */
    if (!full && n->counters.handshakes == s->handshakes)
        return;
    s->handshakes = n->counters.handshakes;
    if (ikh_node_ike_count(n) > IKH_IKE_MAX_SAS)
        fz_fail("limits: more IKE SAs than IKH_IKE_MAX_SAS");
    for (size_t i = 0; i < IKH_IKE_MAX_SAS; i++) {
        const ikh_ike_sa *sa = n->sa[i];
        if (sa == NULL)
            continue;
        /* the walks of the stack stop at the top marks (ike_int.h) */
        if (i >= n->sa_top)
            fz_fail("limits: an IKE SA above the node's sa_top");
        for (size_t k = sa->child_top; k < IKH_IKE_MAX_CHILDREN; k++)
            if (sa->child[k] != NULL)
                fz_fail("limits: a Child SA above the IKE SA's child_top");
        if (sa->x.n_queue > IKH_IKE_MAX_QUEUED)
            fz_fail("limits: more queued tasks than IKH_IKE_MAX_QUEUED");
        if (live_state(sa->state) && sa->rekeyed_from == 0 &&
            auth_complete(s) &&
            !auth_has(s->good_auth, s->n_good_auth, sa->ispi, sa->rspi, 0,
                      true))
            fz_fail("auth: IKE SA established without the peer's AUTH");
    }
}

/* The public view at the end: counts within the limits. */
FZ_NOCOV static void check_view(fz_side *s)
{
    ikh_node *n = s->node;
    size_t cnt = ikh_node_ike_count(n);
    /* ikh_node_ike_get sorts the SAs on every call: the first few ranks
     * and the last one check the view without a sort per SA (an input
     * can leave dozens of SAs) */
    for (size_t i = 0; i < cnt && n != NULL; i = i < 3 ? i + 1 : cnt - 1) {
        ikh_ike_info info;
        if (ikh_node_ike_get(n, i, &info) != IKH_OK)
            fz_fail("limits: ikh_node_ike_get failed inside the count");
        if (info.n_children > IKH_IKE_MAX_CHILDREN)
            fz_fail("limits: more Child SAs than IKH_IKE_MAX_CHILDREN");
        if (i == cnt - 1)
            break;
    }
    ikh_ike_info past;
    if (n != NULL && ikh_node_ike_get(n, cnt, &past) != IKH_ERR_ARG_RANGE)
        fz_fail("limits: ikh_node_ike_get gives an SA past the count");
}

FZ_NOCOV static bool key_eq(const uint8_t *a, size_t la, const uint8_t *b,
                            size_t lb)
{
    return la == lb && memcmp(a, b, la) == 0;
}

FZ_NOCOV static void check_child_keys(const ikh_ike_sa *x, const ikh_ike_sa *y)
{
    for (size_t c = 0; c < x->child_top; c++) {
        const ikh_child_sa *u = x->child[c];
        if (u == NULL || u->state != IKH_CHILD_INSTALLED)
            continue;
        for (size_t d = 0; d < y->child_top; d++) {
            const ikh_child_sa *v = y->child[d];
            if (v == NULL || v->state != IKH_CHILD_INSTALLED ||
                v->spi_in != u->spi_out || v->spi_out != u->spi_in)
                continue;
            for (int dir = 0; dir < 2; dir++) {
                uint32_t spi = dir ? u->spi_out : u->spi_in;
                const fz_chk *p = chk_find(&g->s[FZ_NODE_A], spi, dir);
                const fz_chk *q = chk_find(&g->s[FZ_NODE_B], spi, !dir);
                if (p != NULL && q != NULL &&
                    (p->encr != q->encr || p->integ != q->integ ||
                     !key_eq(p->e, p->len_e, q->e, q->len_e) ||
                     !key_eq(p->a, p->len_a, q->a, q->len_a)))
                    fz_fail("keys: an installed Child SA has different keys");
            }
        }
    }
}

/* keys: SAs established on both sides agree on their keys. */
FZ_NOCOV static void check_keys(void)
{
    const ikh_node *na = g->s[FZ_NODE_A].node, *nb = g->s[FZ_NODE_B].node;
    if (na == NULL || nb == NULL)
        return;
    for (size_t i = 0; i < na->sa_top; i++) {
        const ikh_ike_sa *x = na->sa[i];
        /* A program that mutated messages may have changed the nonces or
         * KE data of a CREATE_CHILD_SA behind a resealed SK (or, with the
         * null suite, behind no integrity at all): only the IKE SAs made
         * by IKE_AUTH, whose AUTH binds the nonces, must agree then. */
        if (x == NULL || x->lingering || !live_state(x->state) ||
            (g->tampered && x->rekeyed_from != 0))
            continue;
        for (size_t j = 0; j < nb->sa_top; j++) {
            const ikh_ike_sa *y = nb->sa[j];
            if (y == NULL || y->lingering || !live_state(y->state) ||
                y->ispi != x->ispi || y->rspi != x->rspi)
                continue;
            const fz_ikek *ka = ikek_find(&g->s[FZ_NODE_A], x->ispi, x->rspi);
            const fz_ikek *kb = ikek_find(&g->s[FZ_NODE_B], x->ispi, x->rspi);
            if (ka != NULL && kb != NULL &&
                (ka->encr != kb->encr || ka->integ != kb->integ ||
                 !key_eq(ka->sk_ei, ka->len_e, kb->sk_ei, kb->len_e) ||
                 !key_eq(ka->sk_er, ka->len_e, kb->sk_er, kb->len_e) ||
                 !key_eq(ka->sk_ai, ka->len_a, kb->sk_ai, kb->len_a) ||
                 !key_eq(ka->sk_ar, ka->len_a, kb->sk_ar, kb->len_a)))
                fz_fail("keys: an established IKE SA has different keys");
            if (!g->tampered)
                check_child_keys(x, y);
        }
    }
}

/* ---- ops -----------------------------------------------------------------
 */

enum fz_op {
    FZ_OP_DELIVER,      /* u8 i: deliver datagram i % n */
    FZ_OP_DELIVER_ALL,  /* deliver in order until none is left (bounded) */
    FZ_OP_DROP,         /* u8 i */
    FZ_OP_DUP,          /* u8 i */
    FZ_OP_MUTATE,       /* u8 i, mutation (fz_mutate) */
    FZ_OP_ADVANCE,      /* u16 ms: run every timer due until now + ms */
    FZ_OP_NEXT_TIMER,   /* jump to the earliest deadline and run it */
    FZ_OP_INITIATE,     /* u8 side | child cfg << 1 */
    FZ_OP_ACTION,       /* u8 side, u8 action, u8 ike ref, u8 arg */
    FZ_OP_SEND_INNER,   /* u8 side | child << 1, u8 len: inner UDP packet */
    FZ_OP_FAIL_SEND,    /* u8 side: its next send fails */
    FZ_OP_RAW,          /* u8 side | natt << 1, bytes: a datagram to it */
    FZ_OP_SWAP,         /* u8 i, u8 j: reorder */
    FZ_OP_DELIVER_LAST, /* deliver the newest datagram */
    FZ_OP_N
};

FZ_NOCOV static void q_remove(size_t i)
{
    /* datagrams are few and small: keep the order (memmove of headers and
     * buffers would be large; swap the slot contents down instead) */
    for (size_t k = i; k + 1 < g->nq; k++) {
        fz_dg *d = &g->q[k], *s = &g->q[k + 1];
        d->dg = s->dg;
        d->from = s->from;
        memcpy(d->buf, s->buf, s->dg.data.len);
        d->dg.data = ikh_span_of(d->buf, s->dg.data.len);
    }
    g->nq--;
}

FZ_NOCOV static void deliver(size_t i)
{
    if (i >= g->nq)
        return;
    /* take it out first: the node may send (and queue) while handling it */
    static fz_dg cur;
    cur.dg = g->q[i].dg;
    cur.from = g->q[i].from;
    memcpy(cur.buf, g->q[i].buf, cur.dg.data.len);
    cur.dg.data = ikh_span_of(cur.buf, cur.dg.data.len);
    q_remove(i);
    size_t to = 2;
    for (size_t k = 0; k < 2; k++)
        if (ikh_addr_cmp(&cur.dg.dst, &g->s[k].addr) == 0)
            to = k;
    if (to == 2 || g->s[to].node == NULL)
        return;
    fz_side *s = &g->s[to];
    if (!cur.dg.esp) {
        ikh_ike_hdr h;
        if (hdr_read(cur.buf, cur.dg.data.len, &h) &&
            h.exch == IKH_EXCH_IKE_AUTH &&
            analyse(to, cur.buf, cur.dg.data.len)) {
            uint64_t ah = auth_hash(&g->msg);
            const fz_side *peer = &g->s[1 - to];
            if (ah != 0 &&
                auth_has(peer->sent_auth, peer->n_sent_auth, g->msg.hdr.ispi,
                         g->msg.hdr.rspi, ah, false))
                auth_add(s->good_auth, &s->n_good_auth, g->msg.hdr.ispi,
                         g->msg.hdr.rspi, ah);
        }
    }
    g->work++;
    fz_ignore(ikh_node_recv(s->node, &cur.dg, g->now));
    check_side(s, false);
}

FZ_NOCOV static void expire(fz_side *s)
{
    if (s->node == NULL)
        return;
    fz_ignore(ikh_node_expire(s->node, g->now));
    check_side(s, false);
    if (!hooks_failed() && ikh_node_deadline(s->node) <= g->now)
        fz_fail("deadline: ikh_node_deadline does not move after expire");
}

/* Run timers due until @p until, in deadline order, then set the clock. */
FZ_NOCOV static void advance(ikh_time_ms until)
{
    for (unsigned k = 0; k < FZ_TIMER_MAX; k++) {
        ikh_time_ms da = ikh_node_deadline(g->s[0].node);
        ikh_time_ms db = ikh_node_deadline(g->s[1].node);
        ikh_time_ms d = da < db ? da : db;
        if (d > until || d == IKH_TIME_NEVER)
            break;
        if (d > g->now)
            g->now = d;
        expire(&g->s[da <= db ? 0 : 1]);
    }
    if (until != IKH_TIME_NEVER && until > g->now)
        g->now = until;
}

/* An inner IPv4/UDP packet from side @p si's network to the peer's. */
static size_t inner_packet(size_t si, unsigned child, size_t len, fuzz_in *in)
{
    uint8_t *p = g->pkt;
    size_t total = 28 + len;
    memset(p, 0, 28);
    p[0] = 0x45;
    p[2] = (uint8_t)(total >> 8);
    p[3] = (uint8_t)total;
    p[8] = 64;
    p[9] = child ? 17 : (len & 1 ? 6 : 17);
    p[12] = 10;
    p[13] = si == FZ_NODE_A ? 1 : 2;
    p[15] = 1;
    p[16] = 10;
    p[17] = si == FZ_NODE_A ? 2 : 1;
    p[19] = 1;
    p[20] = 0x13; /* UDP ports 5000 -> 5001 */
    p[21] = 0x88;
    p[22] = 0x13;
    p[23] = 0x89;
    p[24] = (uint8_t)((8 + len) >> 8);
    p[25] = (uint8_t)(8 + len);
    const uint8_t *b;
    size_t got = fuzz_in_take(in, len, &b);
    memcpy(p + 28, b, got);
    memset(p + 28 + got, 0x5a, len - got);
    return total;
}

static void op_action(fuzz_in *in)
{
    fz_side *s = &g->s[fuzz_in_u8(in) & 1];
    ikh_action act = (ikh_action)(1 + fuzz_in_pick(in, 6));
    uint32_t ike_ref = fuzz_in_u8(in) % 8;
    uint32_t arg = fuzz_in_u8(in) % 8;
    if (s->node != NULL)
        fz_ignore(ikh_node_action(s->node, act, ike_ref, arg, g->now));
}

static void op_raw(fuzz_in *in)
{
    uint8_t sel = fuzz_in_u8(in);
    size_t to = sel & 1;
    bool natt = (sel & 2) != 0;
    const uint8_t *b;
    size_t n = fuzz_in_bytes(in, &b);
    fz_side *s = &g->s[to];
    if (s->node == NULL)
        return;
    ikh_dgram dg;
    memset(&dg, 0, sizeof dg);
    dg.src = g->s[1 - to].addr;
    dg.dst = s->addr;
    dg.sport = dg.dport = natt ? IKH_PORT_NATT : IKH_PORT_IKE;
    dg.non_esp_marker = natt;
    dg.data = ikh_span_of(b, n);
    g->work++;
    fz_ignore(ikh_node_recv(s->node, &dg, g->now));
    check_side(s, false);
}

/* ---- mutations ------------------------------------------------------------
 */

/* Mutation kinds (after the op's datagram index). */
enum fz_mut {
    FZ_M_XOR,       /* u16 off, u8 x: one octet of the datagram (no reseal) */
    FZ_M_TRUNC,     /* u16 n: cut the datagram to n % (len + 1) octets */
    FZ_M_HDR,       /* u8 field, u32 value: IKE header field */
    FZ_M_REMOVE,    /* u8 i: remove payload i */
    FZ_M_DUP,       /* u8 i: payload i twice */
    FZ_M_FIELD,     /* u8 i, u8 field, u32 value: a payload field */
    FZ_M_DATA,      /* u8 i, bytes: a payload's variable data */
    FZ_M_INSERT,    /* u8 pos, u8 type, u32 value, bytes: a new payload */
    FZ_M_SUB,       /* u8 pool, u8 i, u8 field, u32 value: a proposal,
                       transform, attribute, selector or CP attribute */
    FZ_M_INNER_XOR, /* u16 off, u8 x: an octet of the SK plaintext chain
                       (lengths, counts), then sealed again */
    FZ_M_INNER_LEN, /* u16 n: SK plaintext chain cut or zero-extended */
    FZ_M_N
};

/* Payload types whose body the codec keeps as opaque octets (u.raw). */
static bool raw_type(uint8_t t)
{
    return t == IKH_PL_NONCE || t == IKH_PL_VID || t < IKH_PL_SA ||
           (t > IKH_PL_PS);
}

static ikh_span fill_span(uint32_t v, size_t len)
{
    for (size_t i = 0; i < sizeof g->fill; i++)
        g->fill[i] = (uint8_t)(v >> (8 * (i % 4)));
    return ikh_span_of(g->fill, len < sizeof g->fill ? len : sizeof g->fill);
}

static void pl_field(ikh_pl *p, unsigned f, uint32_t v)
{
    if (f % 5 == 0) {
        p->flags = (uint8_t)v; /* critical bit and reserved bits */
        return;
    }
    f %= 4;
    switch (p->type) {
    case IKH_PL_KE:
        if (f & 1)
            p->u.ke.group = (uint16_t)v;
        else
            p->u.ke.reserved = (uint16_t)v;
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        if (f & 1)
            p->u.id.id_type = (uint8_t)v;
        else
            p->u.id.reserved = v & 0xffffffu;
        break;
    case IKH_PL_AUTH:
        if (f & 1)
            p->u.auth.method = (uint8_t)v;
        else
            p->u.auth.reserved = v & 0xffffffu;
        break;
    case IKH_PL_NOTIFY:
        if (f == 1)
            p->u.notify.type = (uint16_t)v;
        else if (f == 2)
            p->u.notify.proto = (uint8_t)v;
        else
            p->u.notify.spi = fill_span(v, (v >> 8) % 17);
        break;
    case IKH_PL_DELETE:
        if (f == 1)
            p->u.del.proto = (uint8_t)v;
        else if (f == 2)
            p->u.del.spi_size = (uint8_t)v;
        else
            p->u.del.num_spi = (uint16_t)v;
        break;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        if (f & 1)
            p->u.ts.count = (uint16_t)(v % 8);
        else
            p->u.ts.reserved = v & 0xffffffu;
        break;
    case IKH_PL_SA:
        p->u.sa.count = (uint16_t)(v % 8);
        break;
    case IKH_PL_CP:
        if (f == 1)
            p->u.cp.cfg_type = (uint8_t)v;
        else if (f == 2)
            p->u.cp.count = (uint16_t)(v % 8);
        else
            p->u.cp.reserved = v & 0xffffffu;
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        p->u.cert.enc = (uint8_t)v;
        break;
    case IKH_PL_SK:
        p->u.sk.inner = (uint8_t)v;
        break;
    default:
        /* opaque bodies may become another opaque type */
        if (raw_type(p->type) && raw_type((uint8_t)v))
            p->type = (uint8_t)v;
        break;
    }
}

static void pl_data(ikh_pl *p, unsigned f, ikh_span d)
{
    switch (p->type) {
    case IKH_PL_KE:
        p->u.ke.data = d;
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        p->u.id.data = d;
        break;
    case IKH_PL_AUTH:
        p->u.auth.data = d;
        break;
    case IKH_PL_NOTIFY:
        if (f & 1)
            p->u.notify.spi = d;
        else
            p->u.notify.data = d;
        break;
    case IKH_PL_DELETE:
        p->u.del.spis = d;
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        p->u.cert.data = d;
        break;
    default:
        if (raw_type(p->type))
            p->u.raw.data = d;
        break;
    }
}

/* A new payload of a type picked by @p sel, with @p v and @p d as body. */
static bool pl_make(ikh_pl *p, uint8_t sel, uint32_t v, ikh_span d)
{
    static const uint8_t types[] = {
        IKH_PL_NOTIFY, IKH_PL_NOTIFY,  IKH_PL_DELETE, IKH_PL_KE,
        IKH_PL_NONCE,  IKH_PL_IDI,     IKH_PL_IDR,    IKH_PL_AUTH,
        IKH_PL_VID,    IKH_PL_CERTREQ, IKH_PL_CERT,   0,
    };
    uint8_t t = types[sel % sizeof types];
    memset(p, 0, sizeof *p);
    p->type = t != 0 ? t : (uint8_t)(v >> 24 | 0x80); /* unknown type */
    p->flags = (uint8_t)(sel & 0x80);
    switch (t) {
    case IKH_PL_NOTIFY:
        p->u.notify.type = (uint16_t)v;
        p->u.notify.proto = (uint8_t)(v >> 16) % 4;
        if (p->u.notify.proto != 0)
            p->u.notify.spi = fill_span(v, 4);
        p->u.notify.data = d;
        break;
    case IKH_PL_DELETE:
        p->u.del.proto = (uint8_t)(1 + v % 3);
        p->u.del.spi_size = p->u.del.proto == IKH_PROTO_IKE ? 0 : 4;
        p->u.del.num_spi = (uint16_t)(p->u.del.spi_size ? d.len / 4 : 0);
        p->u.del.spis = ikh_span_of(d.p, p->u.del.num_spi * 4u);
        break;
    case IKH_PL_KE:
        p->u.ke.group = (uint16_t)v;
        p->u.ke.data = d;
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        p->u.id.id_type = (uint8_t)v;
        p->u.id.data = d;
        break;
    case IKH_PL_AUTH:
        p->u.auth.method = (uint8_t)v;
        p->u.auth.data = d;
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        p->u.cert.enc = (uint8_t)v;
        p->u.cert.data = d;
        break;
    default:
        p->u.raw.data = d;
        break;
    }
    return true;
}

static void sub_field(ikh_msg *m, uint8_t pool, uint8_t i, uint8_t f,
                      uint32_t v)
{
    switch (pool % 5) {
    case 0:
        if (m->n_prop == 0)
            return;
        ikh_prop *p = &m->prop[i % m->n_prop];
        if (f % 4 == 0)
            p->num = (uint8_t)v;
        else if (f % 4 == 1)
            p->proto = (uint8_t)v;
        else if (f % 4 == 2)
            p->spi = fill_span(v, (v >> 8) % 9);
        else if ((size_t)p->xf_first + (v % 4) <= m->n_xf)
            p->xf_count = (uint16_t)(v % 4); /* fewer or other transforms */
        return;
    case 1:
        if (m->n_xf == 0)
            return;
        ikh_xform *x = &m->xf[i % m->n_xf];
        if (f % 3 == 0)
            x->type = (uint8_t)v;
        else if (f % 3 == 1)
            x->id = (uint16_t)v;
        else
            x->reserved1 = (uint8_t)v;
        return;
    case 2:
        if (m->n_attr == 0)
            return;
        ikh_xattr *a = &m->attr[i % m->n_attr];
        if (f & 1)
            a->tv_value = (uint16_t)v;
        else
            a->type = (uint16_t)(v & 0x7fff);
        return;
    case 3:
        if (m->n_ts == 0)
            return;
        ikh_ts *t = &m->ts[i % m->n_ts];
        switch (f % 6) {
        case 0:
            t->type = (uint8_t)v;
            break;
        case 1:
            t->ip_proto = (uint8_t)v;
            break;
        case 2:
            t->start_port = (uint16_t)v;
            break;
        case 3:
            t->end_port = (uint16_t)v;
            break;
        case 4:
            t->start = fill_span(v, (v >> 8) & 1 ? 16 : 4);
            break;
        default:
            t->end = fill_span(v, (v >> 8) & 1 ? 16 : 4);
            break;
        }
        return;
    default:
        if (m->n_cpa == 0)
            return;
        ikh_cp_attr *c = &m->cpa[i % m->n_cpa];
        if (f & 1)
            c->type = (uint16_t)(v & 0x7fff);
        else
            c->value = fill_span(v, (v >> 16) % 20);
        return;
    }
}

static void pl_remove(ikh_msg *m, size_t i)
{
    memmove(&m->pl[i], &m->pl[i + 1], (m->n_pl - i - 1) * sizeof m->pl[0]);
    m->n_pl--;
}

static bool pl_insert(ikh_msg *m, size_t pos, const ikh_pl *p)
{
    if (m->n_pl >= IKH_WIRE_MAX_PAYLOADS || pos > m->n_pl)
        return false;
    memmove(&m->pl[pos + 1], &m->pl[pos], (m->n_pl - pos) * sizeof m->pl[0]);
    m->pl[pos] = *p;
    m->n_pl++;
    return true;
}

/* Index of the outer SK payload, or -1. */
static int sk_index(const ikh_msg *m)
{
    for (size_t i = 0; i < m->n_pl; i++)
        if (!m->pl[i].in_sk && m->pl[i].type == IKH_PL_SK)
            return (int)i;
    return -1;
}

/* A structured mutation of datagram @p d (see fz_mut). */
static void mutate_msg(fz_dg *d, unsigned kind, fuzz_in *in)
{
    ikh_msg *m = &g->mut;
    size_t len = d->dg.data.len;
    if (ikh_wire_msg_parse(m, d->buf, len, NULL) != IKH_OK)
        return;
    const fz_ikek *k = NULL;
    bool from_i = (m->hdr.flags & IKH_HDR_F_INITIATOR) != 0, sealed = false;
    ikh_span iv = ikh_span_of(NULL, 0);
    int ski = sk_index(m);
    if (ski >= 0 && ski == m->n_pl - 1) {
        k = ikek_find(&g->s[d->from], m->hdr.ispi, m->hdr.rspi);
        size_t inner = 0;
        const ikh_pl *sk = &m->pl[ski];
        sealed = k != NULL &&
                 sk_open(k, sk, d->buf, len, from_i, g->mplain, &inner, &iv) &&
                 ikh_wire_msg_parse_inner(m, sk->u.sk.inner, g->mplain, inner,
                                          0, NULL) == IKH_OK;
    }
    uint16_t inner_off = 0, inner_len = 0;
    uint8_t inner_x = 0;
    switch (kind) {
    case FZ_M_HDR: {
        uint8_t f = fuzz_in_u8(in);
        uint32_t v = fuzz_in_u32(in);
        switch (f % 7) {
        case 0:
            m->hdr.exch = (uint8_t)v;
            break;
        case 1:
            m->hdr.flags ^= (uint8_t)v;
            break;
        case 2:
            m->hdr.mid = v;
            break;
        case 3:
            m->hdr.mid += (v & 1) ? 1u : UINT32_MAX;
            break;
        case 4:
            m->hdr.version = (uint8_t)v;
            break;
        case 5:
            m->hdr.ispi ^= (uint64_t)v << (v & 32);
            break;
        default:
            m->hdr.rspi ^= (uint64_t)v << (v & 32);
            break;
        }
        break;
    }
    case FZ_M_REMOVE: {
        uint8_t i = fuzz_in_u8(in);
        if (m->n_pl > 0)
            pl_remove(m, i % m->n_pl);
        break;
    }
    case FZ_M_DUP: {
        uint8_t i = fuzz_in_u8(in);
        if (m->n_pl > 0) {
            size_t at = i % m->n_pl;
            ikh_pl copy = m->pl[at];
            if (copy.type != IKH_PL_SK)
                (void)pl_insert(m, at + 1, &copy);
        }
        break;
    }
    case FZ_M_FIELD: {
        uint8_t i = fuzz_in_u8(in), f = fuzz_in_u8(in);
        uint32_t v = fuzz_in_u32(in);
        if (m->n_pl > 0)
            pl_field(&m->pl[i % m->n_pl], f, v);
        break;
    }
    case FZ_M_DATA: {
        uint8_t i = fuzz_in_u8(in);
        const uint8_t *b;
        size_t n = fuzz_in_bytes(in, &b);
        if (m->n_pl > 0)
            pl_data(&m->pl[i % m->n_pl], i >> 6, ikh_span_of(b, n));
        break;
    }
    case FZ_M_INSERT: {
        uint8_t pos = fuzz_in_u8(in), sel = fuzz_in_u8(in);
        uint32_t v = fuzz_in_u32(in);
        const uint8_t *b;
        size_t n = fuzz_in_bytes(in, &b);
        ikh_pl p;
        size_t at = pos % (m->n_pl + 1u);
        pl_make(&p, sel, v, ikh_span_of(b, n));
        /* before the SK payload: outer; after it: inside SK */
        p.in_sk = ski >= 0 && at > (size_t)ski;
        if (p.in_sk && !sealed)
            break;
        (void)pl_insert(m, at, &p);
        break;
    }
    case FZ_M_SUB: {
        uint8_t pool = fuzz_in_u8(in), i = fuzz_in_u8(in), f = fuzz_in_u8(in);
        sub_field(m, pool, i, f, fuzz_in_u32(in));
        break;
    }
    case FZ_M_INNER_XOR:
        inner_off = fuzz_in_u16(in);
        inner_x = fuzz_in_u8(in);
        break;
    default: /* FZ_M_INNER_LEN */
        inner_len = (uint16_t)(fuzz_in_u16(in) | 0x8000u);
        break;
    }
    size_t n = 0;
    ski = sk_index(m);
    if (sealed && ski >= 0) {
        size_t L = 0;
        if (ikh_wire_inner_serialize(m, g->chain, sizeof g->chain - 16, &L) !=
            IKH_OK)
            return;
        if (inner_x != 0 && L > 0)
            g->chain[inner_off % L] ^= inner_x;
        if (inner_len != 0) {
            size_t want = (inner_len & 0x7fffu) % (L + 17);
            if (want > L)
                memset(g->chain + L, 0, want - L);
            L = want;
        }
        /* the SK payload must be the last outer one for sk_seal */
        if (!sk_seal(k, from_i, m, g->chain, L, iv, g->mplain, sizeof g->mplain,
                     g->out, sizeof g->out, &n))
            return;
    } else if (ikh_wire_msg_serialize(m, g->out, sizeof g->out, &n) != IKH_OK) {
        return;
    }
    memcpy(d->buf, g->out, n);
    d->dg.data.len = n;
}

static void mutate(fuzz_in *in)
{
    uint8_t idx = fuzz_in_u8(in);
    unsigned kind = fuzz_in_u8(in) % FZ_M_N;
    if (g->nq == 0)
        return;
    fz_dg *d = &g->q[idx % g->nq];
    size_t len = d->dg.data.len;
    g->tampered = true;
    if (kind == FZ_M_XOR || kind == FZ_M_TRUNC || d->dg.esp) {
        uint16_t v = fuzz_in_u16(in);
        if (kind == FZ_M_TRUNC)
            d->dg.data.len = v % (len + 1);
        else if (len > 0)
            d->buf[v % len] ^= (uint8_t)(fuzz_in_u8(in) | 1u);
        return;
    }
    mutate_msg(d, kind, in);
}

static void run_op(fuzz_in *in)
{
    switch (fuzz_in_u8(in) % FZ_OP_N) {
    case FZ_OP_DELIVER:
        deliver(g->nq ? fuzz_in_u8(in) % g->nq : 0);
        break;
    case FZ_OP_DELIVER_ALL:
        for (unsigned k = 0; k < FZ_ALL_MAX && g->nq > 0; k++)
            deliver(0);
        break;
    case FZ_OP_DROP:
        if (g->nq > 0)
            q_remove(fuzz_in_u8(in) % g->nq);
        break;
    case FZ_OP_DUP: {
        size_t i = g->nq ? fuzz_in_u8(in) % g->nq : 0;
        if (i < g->nq && g->nq < FZ_Q_MAX) {
            fz_dg *d = &g->q[g->nq++];
            d->dg = g->q[i].dg;
            d->from = g->q[i].from;
            memcpy(d->buf, g->q[i].buf, d->dg.data.len);
            d->dg.data = ikh_span_of(d->buf, d->dg.data.len);
        }
        break;
    }
    case FZ_OP_MUTATE:
        mutate(in);
        break;
    case FZ_OP_ADVANCE:
        advance(g->now + fuzz_in_u16(in));
        break;
    case FZ_OP_NEXT_TIMER: {
        ikh_time_ms da = ikh_node_deadline(g->s[0].node);
        ikh_time_ms db = ikh_node_deadline(g->s[1].node);
        ikh_time_ms d = da < db ? da : db;
        if (d != IKH_TIME_NEVER)
            advance(d > g->now ? d : g->now);
        break;
    }
    case FZ_OP_INITIATE: {
        uint8_t v = fuzz_in_u8(in);
        fz_side *s = &g->s[v & 1];
        if (s->node != NULL)
            fz_ignore(ikh_node_initiate(s->node, (v >> 1) % 3, g->now, NULL));
        break;
    }
    case FZ_OP_ACTION:
        op_action(in);
        break;
    case FZ_OP_SEND_INNER: {
        uint8_t v = fuzz_in_u8(in);
        size_t len = fuzz_in_u8(in);
        fz_side *s = &g->s[v & 1];
        size_t n = inner_packet(v & 1, (v >> 1) & 1, len, in);
        if (s->node != NULL)
            fz_ignore(ikh_node_send_inner(s->node, g->pkt, n, g->now, NULL));
        break;
    }
    case FZ_OP_FAIL_SEND:
        g->s[fuzz_in_u8(in) & 1].fail_send = true;
        break;
    case FZ_OP_RAW:
        op_raw(in);
        break;
    case FZ_OP_SWAP: {
        size_t i = fuzz_in_u8(in), j = fuzz_in_u8(in);
        if (g->nq > 1) {
            i %= g->nq;
            j %= g->nq;
            static fz_dg t;
            fz_dg *a = &g->q[i], *b = &g->q[j];
            if (i == j)
                break;
            t = *a;
            *a = *b;
            *b = t;
            a->dg.data = ikh_span_of(a->buf, a->dg.data.len);
            b->dg.data = ikh_span_of(b->buf, b->dg.data.len);
        }
        break;
    }
    case FZ_OP_DELIVER_LAST:
        if (g->nq > 0)
            deliver(g->nq - 1);
        break;
    default:
        break;
    }
}

/* IKH_FUZZ_TRACE: what the program reached (for writing seeds). */
FZ_NOCOV static void trace_summary(void)
{
    for (size_t i = 0; i < 2; i++) {
        ikh_ike_counters c;
        if (g->s[i].node == NULL)
            continue;
        ikh_node_counters(g->s[i].node, &c);
        fprintf(stderr,
                "summary %c: handshakes %llu ike_rekeys %llu child_rekeys "
                "%llu auth_failures %llu dropped %llu ike_sas %zu\n",
                i == 0 ? 'a' : 'b', (unsigned long long)c.handshakes,
                (unsigned long long)c.ike_rekeys,
                (unsigned long long)c.child_rekeys,
                (unsigned long long)c.auth_failures,
                (unsigned long long)c.dropped,
                ikh_node_ike_count(g->s[i].node));
        fprintf(stderr,
                "summary %c: retransmits %llu handshake_failures %llu "
                "liveness_timeouts %llu\n",
                i == 0 ? 'a' : 'b', (unsigned long long)c.retransmits,
                (unsigned long long)c.handshake_failures,
                (unsigned long long)c.liveness_timeouts);
        for (size_t k = 0; k < ikh_node_ike_count(g->s[i].node); k++) {
            ikh_ike_info ii;
            if (ikh_node_ike_get(g->s[i].node, k, &ii) != IKH_OK)
                continue;
            fprintf(stderr,
                    "summary %c: ike %zu state %d children %u mid out %u "
                    "in %u\n",
                    i == 0 ? 'a' : 'b', k, (int)ii.state,
                    (unsigned)ii.n_children, (unsigned)ii.mid_next_out,
                    (unsigned)ii.mid_next_in);
        }
    }
    fprintf(stderr, "summary: inner packets delivered %llu, t=%llu ms\n",
            (unsigned long long)g->delivered_inner, (unsigned long long)g->now);
    fprintf(stderr, "work: %u datagrams sent and handled\n", g->work);
}

/* ---- snapshot start (header byte 2 odd) ----------------------------------
 */

#define FZ_SNAP_MAX 256u /* one per flags value */

/* The state "deliver everything" leaves a fresh pair in, for one flags
 * value: the arena and this target's bookkeeping. */
typedef struct fz_snap {
    bool built;
    bool ok; /* both sides established: usable */
    unsigned flags;
    fza_snap arena;
    fz_state *st; /* only the parts state_copy() copies */
} fz_snap;

static fz_snap snaps[FZ_SNAP_MAX];

FZ_NOCOV static size_t ring_len(size_t n, size_t max)
{
    return n < max ? n : max;
}

/* Copy the live part of side @p src: fields and the records in use. */
FZ_NOCOV static void side_copy(fz_side *dst, const fz_side *src)
{
    memcpy(dst, src, offsetof(fz_side, ikek));
    memcpy(dst->ikek, src->ikek,
           ring_len(src->n_ikek, FZ_IKEK_MAX) * sizeof dst->ikek[0]);
    memcpy(dst->chk, src->chk,
           ring_len(src->n_chk, FZ_CHK_MAX) * sizeof dst->chk[0]);
    memcpy(dst->sent_auth, src->sent_auth,
           ring_len(src->n_sent_auth, FZ_AUTH_MAX) * sizeof dst->sent_auth[0]);
    memcpy(dst->good_auth, src->good_auth,
           ring_len(src->n_good_auth, FZ_AUTH_MAX) * sizeof dst->good_auth[0]);
}

/* Copy the live part of the target's state (not the scratch). Pointers
 * inside (side configurations, datagram spans) keep pointing into *g: only
 * a copy put back into *g is ever used. */
FZ_NOCOV static void state_copy(fz_state *dst, const fz_state *src)
{
    for (size_t i = 0; i < 2; i++)
        side_copy(&dst->s[i], &src->s[i]);
    dst->now = src->now;
    dst->nq = src->nq;
    for (size_t k = 0; k < src->nq; k++) {
        size_t len = src->q[k].dg.data.len;
        dst->q[k].dg = src->q[k].dg;
        dst->q[k].from = src->q[k].from;
        memcpy(dst->q[k].buf, src->q[k].buf, len);
        dst->q[k].dg.data = ikh_span_of(g->q[k].buf, len);
    }
    dst->n_req = src->n_req;
    memcpy(dst->req, src->req,
           ring_len(src->n_req, FZ_REQ_MAX) * sizeof dst->req[0]);
    dst->hook_failed = src->hook_failed;
    dst->tampered = src->tampered;
    dst->log_on = src->log_on;
    dst->long_keys = src->long_keys;
    dst->delivered_inner = src->delivered_inner;
}

FZ_NOCOV static bool established_once(const fz_side *s)
{
    ikh_ike_counters c;
    if (s->node == NULL)
        return false;
    ikh_node_counters(s->node, &c);
    return c.handshakes == 1 && ikh_node_ike_count(s->node) == 1;
}

/* The snapshot for @p flags, built on first use (a fresh pair with seed 0,
 * every datagram delivered in order, as the program "deliver everything"
 * does). */
FZ_NOCOV static fz_snap *snap_for(unsigned flags)
{
    fz_snap *sn = &snaps[flags % FZ_SNAP_MAX];
    if (sn->built && sn->flags == flags)
        return sn;
    if (sn->st == NULL && (sn->st = malloc(sizeof *sn->st)) == NULL)
        abort();
    sn->built = true;
    sn->flags = flags;
    pair_start(flags, 0, 0);
    for (unsigned k = 0; k < FZ_ALL_MAX && g->nq > 0; k++)
        deliver(0);
    sn->ok = g->nq == 0 && !hooks_failed() &&
             established_once(&g->s[FZ_NODE_A]) &&
             established_once(&g->s[FZ_NODE_B]);
    if (sn->ok) {
        /* the scratch half of a node is written before it is read */
        sn->arena.n_trim = 0;
        for (size_t i = 0; i < 2; i++)
            fza_trim(&sn->arena, g->s[i].node, offsetof(ikh_node, msg));
        if (!fza_save(&sn->arena))
            abort();
        state_copy(sn->st, g);
    }
    pair_end();
    return sn;
}

/* Start the input's pair: from the snapshot of its flags when @p start
 * asks for it and one exists, else fresh. */
static void pair_begin(unsigned flags, unsigned start, uint16_t seed,
                       uint16_t fail)
{
    fz_snap *sn = (start & 1u) ? snap_for(flags) : NULL;
    if (sn == NULL || !sn->ok) {
        pair_start(flags, seed, fail);
        return;
    }
    fza_restore(&sn->arena);
    state_copy(g, sn->st);
    for (size_t i = 0; i < 2; i++) {
        fz_side *s = &g->s[i];
        s->rng = (uint64_t)seed << 8 | i | 1ull << 63;
        bool fails = fail != 0 && (fail & 1u) == i;
        s->mem.calls = s->mem.failures = 0;
        s->mem.fail_at = fails ? fail >> 1 : 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_state *state;
    if (state == NULL) {
        state = malloc(sizeof *state);
        if (state == NULL)
            abort();
    }
    static int trace = -1; /* IKH_FUZZ_TRACE, read once per process */
    if (trace < 0)
        trace = getenv("IKH_FUZZ_TRACE") != NULL;
    g = state;
    g->trace = trace != 0;
    fuzz_in in;
    fuzz_in_init(&in, data, size);
    unsigned flags = fuzz_in_u8(&in);
    unsigned start = fuzz_in_u8(&in);
    uint16_t seed = fuzz_in_u16(&in);
    uint16_t fail = fuzz_in_u16(&in);
    pair_begin(flags, start, seed, fail);
    g->work = 0;
    for (unsigned k = 0; k < FZ_OPS_MAX && fuzz_in_left(&in) > 0; k++) {
        run_op(&in);
    }
    check_side(&g->s[FZ_NODE_A], true);
    check_side(&g->s[FZ_NODE_B], true);
    check_view(&g->s[FZ_NODE_A]);
    check_view(&g->s[FZ_NODE_B]);
    check_keys();
    if (g->trace)
        trace_summary();
    pair_end();
    return 0;
}
