/* SPDX-License-Identifier: MIT */
/*
 * --against-stack (replay_stack.h): a capture's IKE_SA_INIT requests
 * answered by an ikeharness responder, the pairs judged by the replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/bytes.h"
#include "ikh/crypto.h"
#include "ikh/drbg.h"
#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/replay_stack.h"
#include "ikh/wire.h"

/* Every IKE transform the stack has on offer (RFC 7296 §3.3: the
 * responder picks one proposal the request shares), in four proposals as
 * one holds at most IKH_IKE_MAX_XF transforms: AES-GCM-16 and
 * ChaCha20-Poly1305; AES-GCM-12 and -8; AES-CBC; AES-CTR; each with every
 * PRF and key exchange group. */
#define ST_GROUPS                                                              \
    "x25519-x448-ecp256-ecp384-ecp521-modp2048-modp3072-modp4096-modp6144-"    \
    "modp8192"
#define ST_PRFS "prfsha512-prfsha384-prfsha256-prfsha1-"
#define ST_INTEGS "sha512-sha384-sha256-sha1-aesxcbc-"
static const char *const props[] = {
    "aes256gcm16-aes192gcm16-aes128gcm16-chacha20poly1305-" ST_PRFS ST_GROUPS,
    "aes256gcm12-aes192gcm12-aes128gcm12-aes256gcm8-aes192gcm8-aes128gcm8-"
    "prfaesxcbc-prfaescmac-" ST_PRFS ST_GROUPS,
    "aes256-aes192-aes128-" ST_INTEGS
    "prfaesxcbc-prfaescmac-" ST_PRFS ST_GROUPS,
    "aes256ctr-aes192ctr-aes128ctr-" ST_INTEGS
    "prfaesxcbc-prfaescmac-" ST_PRFS ST_GROUPS,
};

#define ST_OUT_MAX 8u /* datagrams one request may cause */

typedef struct st_out {
    size_t n;
    struct {
        ikh_dgram dg;
        uint8_t buf[IKH_WIRE_MAX_MSG];
    } d[ST_OUT_MAX];
} st_out;

static int st_send(void *user, const ikh_dgram *dg)
{
    st_out *o = user;
    if (o->n == ST_OUT_MAX || dg->data.len > sizeof o->d[0].buf)
        return 0; /* more than an answer: not kept */
    o->d[o->n].dg = *dg;
    memcpy(o->d[o->n].buf, dg->data.p, dg->data.len);
    o->d[o->n].dg.data = ikh_span_of(o->d[o->n].buf, dg->data.len);
    o->n++;
    return 0;
}

static ikh_err st_config(ikh_ike_config *c, const ikh_frame *fr)
{
    static const char psk[] = "ikeharness against-stack";
    ikh_ike_config_init(c);
    snprintf(c->name, sizeof c->name, "stack");
    c->addr = fr->dst;
    c->peer_addr = fr->src;
    c->port = fr->dport;
    c->peer_port = fr->sport;
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
        IKH_TRY(ikh_proposal_parse(props[i], false, &c->props[i], NULL));
    c->n_props = (uint8_t)(sizeof props / sizeof props[0]);
    c->auth.method = IKH_AUTH_SHARED_KEY_MIC;
    c->auth.psk_len = (uint16_t)(sizeof psk - 1);
    memcpy(c->auth.psk, psk, sizeof psk - 1);
    c->peer_auth = c->auth;
    return IKH_OK;
}

/* Does @p raw (an answer) accept: SA, KE and Nr (RFC 7296 §1.2)? */
static bool accepts(ikh_msg *m, ikh_span raw)
{
    if (ikh_wire_msg_parse(m, raw.p, raw.len, NULL) != IKH_OK)
        return false;
    bool sa = false, ke = false, nr = false;
    for (size_t i = 0; i < m->n_pl; i++) {
        sa = sa || m->pl[i].type == IKH_PL_SA;
        ke = ke || m->pl[i].type == IKH_PL_KE;
        nr = nr || m->pl[i].type == IKH_PL_NONCE;
    }
    return sa && ke && nr;
}

static ikh_replay_meta meta_of(uint64_t frame, const ikh_dgram *dg)
{
    ikh_replay_meta m;
    memset(&m, 0, sizeof m);
    m.frame = frame;
    m.src = dg->src;
    m.dst = dg->dst;
    m.sport = dg->sport;
    m.dport = dg->dport;
    return m;
}

/* One request: a fresh responder answers it; both go to the replay. */
static ikh_err st_one(ikh_replay *r, const ikh_frame *fr, st_out *o,
                      ikh_ike_config *cfg, ikh_msg *m,
                      ikh_replay_stack_stats *st)
{
    st->requests++;
    IKH_TRY(st_config(cfg, fr));
    o->n = 0;
    /* repeatable runs: the k-th request's responder draws from seed k */
    ikh_drbg drbg;
    ikh_drbg_init(&drbg, st->requests);
    ikh_env env;
    memset(&env, 0, sizeof env);
    env.user = o;
    env.send = st_send;
    env.rand = ikh_drbg_rand;
    env.rand_user = &drbg;
    ikh_node *n = NULL;
    ikh_err e = ikh_node_new(cfg, &env, &n);
    if (e != IKH_OK) {
        ikh_drbg_fini(&drbg);
        return e;
    }
    ikh_dgram in;
    memset(&in, 0, sizeof in);
    in.src = fr->src;
    in.dst = fr->dst;
    in.sport = fr->sport;
    in.dport = fr->dport;
    in.non_esp_marker = fr->non_esp_marker;
    in.data = fr->ike;
    e = ikh_node_recv(n, &in, 0);
    ikh_node_free(n);
    ikh_drbg_fini(&drbg);
    if (e != IKH_OK)
        return e; /* a hook failed (memory) */
    ikh_replay_meta mq = meta_of(2 * st->requests - 1, &in);
    IKH_TRY(ikh_replay_ike(r, &mq, fr->ike.p, fr->ike.len));
    if (o->n == 0)
        return IKH_OK;
    st->answered++;
    if (accepts(m, o->d[0].dg.data))
        st->accepted++;
    else
        st->refused++;
    ikh_replay_meta ma = meta_of(2 * st->requests, &o->d[0].dg);
    return ikh_replay_ike(r, &ma, o->d[0].buf, o->d[0].dg.data.len);
}

ikh_err ikh_replay_against_stack(ikh_cap *cap, ikh_replay *r,
                                 ikh_replay_stack_stats *st, char *errbuf,
                                 size_t errlen)
{
    if (st != NULL)
        memset(st, 0, sizeof *st);
    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    IKH_CHECK(cap != NULL && r != NULL && st != NULL, IKH_ERR_ARG_INVALID);
    st_out *o = malloc(sizeof *o);
    ikh_ike_config *cfg = malloc(sizeof *cfg);
    ikh_msg *m = malloc(sizeof *m);
    ikh_err e = o && cfg && m ? IKH_OK : IKH_ERR_ENV_NOMEM;
    while (e == IKH_OK) {
        ikh_frame fr;
        /* a datagram reassembly dropped has no message to answer */
        ikh_err rc = ikh_cap_next_nodrops(cap, &fr);
        if (rc == IKH_ERR_STATE)
            break;
        if (rc != IKH_OK) {
            if (errbuf != NULL && errlen > 0)
                snprintf(errbuf, errlen, "%s", ikh_cap_errmsg(cap));
            e = rc;
            break;
        }
        /* RFC 7296 §3.1: IKE_SA_INIT (34), a request, Message ID 0 */
        if (fr.kind != IKH_FRAME_IKE)
            continue;
        ikh_rd rd = ikh_rd_init(fr.ike.p, fr.ike.len);
        ikh_ike_hdr h;
        ikh_wire_hdr_read(&rd, &h);
        if (ikh_rd_error(&rd) != IKH_OK || h.exch != IKH_EXCH_IKE_SA_INIT ||
            (h.flags & IKH_HDR_F_RESPONSE) != 0 || h.mid != 0)
            continue;
        if (ikh_wire_msg_parse(m, fr.ike.p, fr.ike.len, NULL) != IKH_OK)
            st->unparsed++;
        e = st_one(r, &fr, o, cfg, m, st);
    }
    free(m);
    free(cfg);
    free(o);
    return e;
}
