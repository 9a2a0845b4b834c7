/* SPDX-License-Identifier: MIT */
/*
 * The conformance rules of the replay (replay.h), one passing and one
 * failing input each. The inputs are message lists: a baseline of
 * well-formed IKE SAs (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA for a Child
 * SA and for an IKE SA rekey, INFORMATIONAL with deletes and a
 * retransmission, a fragmented exchange, a COOKIE retry, an INVALID_KE
 * retry, ESP packets) built with the wire codec, given "decrypted" where
 * payloads sit inside SK (ikh_replay_msg()). The baseline passes every
 * rule it can check; each failing test changes one thing in it. The rules
 * that need real decryption (SK_DECRYPT, ESP_PADDING) are tested on
 * captures in test_pcap_replay_cap.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ikh/crypto.h"
#include "ikh/replay.h"
#include "pcap_test_util.h"

#define MAX_MSGS 48
#define RAW_CAP 4096

static const uint64_t SPI_I = 0x1111222233334444ull;
static const uint64_t SPI_R = 0x5555666677778888ull;
static const uint64_t NEW_I = 0x0102030405060708ull;
static const uint64_t NEW_R = 0x0a0b0c0d0e0f1011ull;
static const uint64_t CK_I = 0x0c0c0c0c0c0c0c0cull;
static const uint64_t CK_R = 0x0d0d0d0d0d0d0d0dull;
static const uint64_t KE_I = 0x0e0e0e0e0e0e0e0eull;
static const uint64_t KE_R = 0x0f0f0f0f0f0f0f0full;

static uint8_t filler[300];
static uint8_t cookie_data[65];

typedef struct tmsg {
    bool esp;
    bool decrypted;
    bool as_bytes; /* feed the serialized bytes (parse path) */
    bool frozen;   /* raw already holds the bytes to feed */
    ikh_replay_meta meta;
    ikh_msg m;
    uint8_t raw[RAW_CAP];
    size_t raw_len;
    uint8_t natd[2][IKH_SHA1_LEN];
    uint8_t spi[4][8];
} tmsg;

typedef struct tlist {
    tmsg *msgs;
    size_t n;
} tlist;

/* ---- builders ----------------------------------------------------------- */

static ikh_addr addr_a(void)
{
    return ptu_addr("192.0.2.1");
}

static ikh_addr addr_b(void)
{
    return ptu_addr("192.0.2.2");
}

/* A message from A (initiator) or B, with the header filled in. */
static tmsg *msg_new(tlist *l, bool from_a, uint64_t ispi, uint64_t rspi,
                     uint8_t exch, uint32_t mid, bool resp, bool iflag)
{
    assert_true(l->n < MAX_MSGS);
    tmsg *t = &l->msgs[l->n++];
    memset(t, 0, sizeof *t);
    ikh_wire_msg_init(&t->m);
    t->m.hdr.ispi = ispi;
    t->m.hdr.rspi = rspi;
    t->m.hdr.version = 0x20;
    t->m.hdr.exch = exch;
    t->m.hdr.mid = mid;
    t->m.hdr.flags = (uint8_t)((resp ? IKH_HDR_F_RESPONSE : 0) |
                               (iflag ? IKH_HDR_F_INITIATOR : 0));
    t->meta.frame = l->n;
    t->meta.src = from_a ? addr_a() : addr_b();
    t->meta.dst = from_a ? addr_b() : addr_a();
    t->meta.sport = 500;
    t->meta.dport = 500;
    return t;
}

static void add_notify(tmsg *t, uint16_t type, const uint8_t *d, size_t n)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_NOTIFY);
    assert_non_null(p);
    p->u.notify.type = type;
    p->u.notify.data = ikh_span_of(d, n);
}

static void add_nonce(tmsg *t, size_t n)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_NONCE);
    assert_non_null(p);
    p->u.raw.data = ikh_span_of(filler, n);
}

static void add_ke(tmsg *t, uint16_t group)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_KE);
    assert_non_null(p);
    p->u.ke.group = group;
    /* the group's public value length (RFC 5903 §7, RFC 8031 §2) */
    p->u.ke.data = ikh_span_of(filler, group == IKH_KE_CURVE25519 ? 32 : 64);
}

/* SA payload with one proposal per call of prop_* below */
static ikh_pl *add_sa(tmsg *t)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_SA);
    assert_non_null(p);
    return p;
}

/* IKE proposal: AES-GCM-16/256, HMAC-SHA2-256, group */
static ikh_prop *prop_ike(tmsg *t, ikh_pl *sa, uint8_t num, uint16_t group,
                          const uint8_t *spi, size_t spi_len)
{
    ikh_prop *p = ikh_wire_prop_add(&t->m, sa);
    assert_non_null(p);
    p->num = num;
    p->proto = IKH_PROTO_IKE;
    p->spi = ikh_span_of(spi, spi_len);
    ikh_xform *x =
        ikh_wire_xform_add(&t->m, p, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16);
    assert_non_null(ikh_wire_keylen_add(&t->m, x, 256));
    assert_non_null(
        ikh_wire_xform_add(&t->m, p, IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256));
    assert_non_null(ikh_wire_xform_add(&t->m, p, IKH_XF_KE, group));
    return p;
}

/* IKE proposal: AES-CBC/256, HMAC-SHA2-256-128, HMAC-SHA2-256, group */
static ikh_prop *prop_ike_cbc(tmsg *t, ikh_pl *sa, uint8_t num, uint16_t group)
{
    ikh_prop *p = ikh_wire_prop_add(&t->m, sa);
    assert_non_null(p);
    p->num = num;
    p->proto = IKH_PROTO_IKE;
    ikh_xform *x = ikh_wire_xform_add(&t->m, p, IKH_XF_ENCR, IKH_ENCR_AES_CBC);
    assert_non_null(ikh_wire_keylen_add(&t->m, x, 256));
    assert_non_null(ikh_wire_xform_add(&t->m, p, IKH_XF_INTEG,
                                       IKH_INTEG_HMAC_SHA2_256_128));
    assert_non_null(
        ikh_wire_xform_add(&t->m, p, IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256));
    assert_non_null(ikh_wire_xform_add(&t->m, p, IKH_XF_KE, group));
    return p;
}

/* ESP proposal: AES-GCM-16/256, ESN none, optional group */
static ikh_prop *prop_esp(tmsg *t, ikh_pl *sa, uint8_t num, const uint8_t *spi,
                          uint16_t group)
{
    ikh_prop *p = ikh_wire_prop_add(&t->m, sa);
    assert_non_null(p);
    p->num = num;
    p->proto = IKH_PROTO_ESP;
    p->spi = ikh_span_of(spi, 4);
    ikh_xform *x =
        ikh_wire_xform_add(&t->m, p, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16);
    assert_non_null(ikh_wire_keylen_add(&t->m, x, 256));
    if (group != 0)
        assert_non_null(ikh_wire_xform_add(&t->m, p, IKH_XF_KE, group));
    assert_non_null(ikh_wire_xform_add(&t->m, p, IKH_XF_ESN, IKH_ESN_NO));
    return p;
}

static void add_ts(tmsg *t)
{
    static const uint8_t lo[4] = {10, 0, 0, 0}, hi[4] = {10, 0, 0, 255};
    for (int k = 0; k < 2; k++) {
        ikh_pl *p = ikh_wire_pl_add(&t->m, k ? IKH_PL_TSR : IKH_PL_TSI);
        assert_non_null(p);
        ikh_ts *ts = ikh_wire_ts_add(&t->m, p);
        assert_non_null(ts);
        ts->type = IKH_TS_IPV4_ADDR_RANGE;
        ts->end_port = 65535;
        ts->start = ikh_span_of(lo, 4);
        ts->end = ikh_span_of(hi, 4);
    }
}

static void add_id(tmsg *t, uint8_t type)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, type);
    assert_non_null(p);
    p->u.id.id_type = IKH_ID_FQDN;
    p->u.id.data = ikh_span_of((const uint8_t *)"peer.example", 12);
}

static void add_auth(tmsg *t)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_AUTH);
    assert_non_null(p);
    p->u.auth.method = IKH_AUTH_SHARED_KEY_MIC;
    p->u.auth.data = ikh_span_of(filler, 32);
}

/* The SK payload; payloads added after it are its decrypted content. */
static void open_sk(tmsg *t)
{
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_SK);
    assert_non_null(p);
    p->u.sk.body = ikh_span_of(filler, 48);
    t->decrypted = true;
}

static void mark_inner(tmsg *t)
{
    bool in = false;
    for (size_t i = 0; i < t->m.n_pl; i++) {
        if (in)
            t->m.pl[i].in_sk = true;
        if (t->m.pl[i].type == IKH_PL_SK)
            in = true;
    }
}

static void spi4(uint8_t out[8], uint32_t v)
{
    out[0] = (uint8_t)(v >> 24);
    out[1] = (uint8_t)(v >> 16);
    out[2] = (uint8_t)(v >> 8);
    out[3] = (uint8_t)v;
}

static void spi8(uint8_t out[8], uint64_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* NAT-D hashes of the message's own addresses (RFC 7296 §2.23). */
static void add_natd(tmsg *t)
{
    uint8_t spis[16], ps[2], pd[2];
    spi8(spis, t->m.hdr.ispi);
    spi8(spis + 8, t->m.hdr.rspi);
    ps[0] = (uint8_t)(t->meta.sport >> 8);
    ps[1] = (uint8_t)t->meta.sport;
    pd[0] = (uint8_t)(t->meta.dport >> 8);
    pd[1] = (uint8_t)t->meta.dport;
    ikh_span a[3] = {ikh_span_of(spis, 16), ikh_span_of(t->meta.src.a, 4),
                     ikh_span_of(ps, 2)};
    ikh_hash_sha1(a, 3, t->natd[0]);
    ikh_span b[3] = {ikh_span_of(spis, 16), ikh_span_of(t->meta.dst.a, 4),
                     ikh_span_of(pd, 2)};
    ikh_hash_sha1(b, 3, t->natd[1]);
    add_notify(t, IKH_N_NAT_DETECTION_SOURCE_IP, t->natd[0], IKH_SHA1_LEN);
    add_notify(t, IKH_N_NAT_DETECTION_DESTINATION_IP, t->natd[1], IKH_SHA1_LEN);
}

/* IKE_SA_INIT request offering AES-GCM with ECP-256 (1) and AES-CBC with
 * Curve25519 (2). */
static tmsg *init_req(tlist *l, uint64_t ispi, uint16_t ke_group)
{
    tmsg *t = msg_new(l, true, ispi, 0, IKH_EXCH_IKE_SA_INIT, 0, false, true);
    ikh_pl *sa = add_sa(t);
    prop_ike(t, sa, 1, IKH_KE_ECP256, NULL, 0);
    prop_ike_cbc(t, sa, 2, IKH_KE_CURVE25519);
    add_ke(t, ke_group);
    add_nonce(t, 32);
    add_natd(t);
    add_notify(t, IKH_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
    return t;
}

static tmsg *init_resp(tlist *l, uint64_t ispi, uint64_t rspi)
{
    tmsg *t =
        msg_new(l, false, ispi, rspi, IKH_EXCH_IKE_SA_INIT, 0, true, false);
    ikh_pl *sa = add_sa(t);
    prop_ike(t, sa, 1, IKH_KE_ECP256, NULL, 0);
    add_ke(t, IKH_KE_ECP256);
    add_nonce(t, 32);
    add_natd(t);
    add_notify(t, IKH_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
    /* SHA2-256 and SHA2-384 (RFC 7427 §4) and a CERTREQ for one CA */
    static const uint8_t sighash[4] = {0, 2, 0, 3};
    add_notify(t, IKH_N_SIGNATURE_HASH_ALGORITHMS, sighash, 4);
    ikh_pl *cr = ikh_wire_pl_add(&t->m, IKH_PL_CERTREQ);
    assert_non_null(cr);
    cr->u.cert.enc = IKH_CERT_X509_SIG;
    cr->u.cert.data = ikh_span_of(filler, IKH_SHA1_LEN);
    return t;
}

/* A Configuration payload of @p cfg_type with INTERNAL_IP4_ADDRESS of
 * @p n octets (0 in a request, 4 in a reply). */
static void add_cp(tmsg *t, uint8_t cfg_type, size_t n)
{
    static const uint8_t vip[4] = {10, 9, 0, 1};
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_CP);
    assert_non_null(p);
    p->u.cp.cfg_type = cfg_type;
    ikh_cp_attr *a = ikh_wire_cp_attr_add(&t->m, p);
    assert_non_null(a);
    a->type = IKH_CFG_INTERNAL_IP4_ADDRESS;
    a->value = ikh_span_of(vip, n);
}

/* ---- the baseline ------------------------------------------------------- */

enum {
    B_INIT_REQ,
    B_INIT_RESP,
    B_AUTH_REQ,
    B_AUTH_RESP,
    B_CCSA_REQ, /* from B: the responder's first request, Message ID 0 */
    B_CCSA_RESP,
    B_ESP1,
    B_ESP2,
    B_INFO_REQ,
    B_INFO_RESP,
    B_INFO_REQ_RETRANS,
    B_REKEY_REQ,
    B_REKEY_RESP,
    B_NEW_INFO_REQ, /* on the new IKE SA: Message ID 0 */
    B_NEW_INFO_RESP,
    B_CK_REQ,
    B_CK_RESP,
    B_CK_RETRY,
    B_CK_DONE,
    B_KE_REQ,
    B_KE_RESP,
    B_KE_RETRY,
    B_KE_DONE,
    B_FRAG1, /* undecrypted from here on */
    B_FRAG2,
    B_FRAG_RESP,
};

static void build_baseline(tlist *l)
{
    tmsg *t;
    /* IKE_SA_INIT { SA, KE, Ni, N(NAT-D) x2, N(FRAG) } --> */
    init_req(l, SPI_I, IKH_KE_ECP256);
    /* <-- { SA, KE, Nr, N(NAT-D) x2, N(FRAG), N(SIGHASH), CERTREQ } */
    init_resp(l, SPI_I, SPI_R);
    /* IKE_AUTH SK { IDi, AUTH, SA(ESP), TSi, TSr, CP(CFG_REQUEST) } --> */
    t = msg_new(l, true, SPI_I, SPI_R, IKH_EXCH_IKE_AUTH, 1, false, true);
    open_sk(t);
    add_id(t, IKH_PL_IDI);
    add_auth(t);
    spi4(t->spi[0], 0x11111111u);
    prop_esp(t, add_sa(t), 1, t->spi[0], 0);
    add_ts(t);
    add_cp(t, IKH_CFG_REQUEST, 0);
    /* <-- SK { IDr, AUTH, SA(ESP), TSi, TSr, CP(CFG_REPLY) } */
    t = msg_new(l, false, SPI_I, SPI_R, IKH_EXCH_IKE_AUTH, 1, true, false);
    open_sk(t);
    ikh_pl *idr = ikh_wire_pl_add(&t->m, IKH_PL_IDR);
    idr->u.id.id_type = IKH_ID_IPV4_ADDR;
    idr->u.id.data = ikh_span_of(t->meta.src.a, 4);
    add_auth(t);
    spi4(t->spi[0], 0x22222222u);
    prop_esp(t, add_sa(t), 1, t->spi[0], 0);
    add_ts(t);
    add_cp(t, IKH_CFG_REPLY, 4);
    /* <-- CREATE_CHILD_SA SK { SA(ESP, PFS), Ni, KEi, TSi, TSr } (B asks) */
    t = msg_new(l, false, SPI_I, SPI_R, IKH_EXCH_CREATE_CHILD_SA, 0, false,
                false);
    open_sk(t);
    /* rekeys the Child SA of IKE_AUTH: N(REKEY_SA) with B's SPI */
    spi4(t->spi[1], 0x22222222u);
    add_notify(t, IKH_N_REKEY_SA, NULL, 0);
    t->m.pl[t->m.n_pl - 1].u.notify.proto = IKH_PROTO_ESP;
    t->m.pl[t->m.n_pl - 1].u.notify.spi = ikh_span_of(t->spi[1], 4);
    spi4(t->spi[0], 0x33333333u);
    prop_esp(t, add_sa(t), 1, t->spi[0], IKH_KE_ECP256);
    add_nonce(t, 32);
    add_ke(t, IKH_KE_ECP256);
    add_ts(t);
    /* SK { SA, Nr, KEr, TSi, TSr } --> */
    t = msg_new(l, true, SPI_I, SPI_R, IKH_EXCH_CREATE_CHILD_SA, 0, true, true);
    open_sk(t);
    spi4(t->spi[0], 0x44444444u);
    prop_esp(t, add_sa(t), 1, t->spi[0], IKH_KE_ECP256);
    add_nonce(t, 32);
    add_ke(t, IKH_KE_ECP256);
    add_ts(t);
    /* ESP to B on B's SPI, sequence numbers 1 and 2 */
    for (uint32_t s = 1; s <= 2; s++) {
        t = msg_new(l, true, 0, 0, 0, 0, false, false);
        t->esp = true;
        spi4(t->raw, 0x22222222u);
        spi4(t->raw + 4, s);
        memset(t->raw + 8, (int)s, 24);
        t->raw_len = 32;
    }
    /* INFORMATIONAL SK { D(ESP 22222222) } --> */
    t = msg_new(l, true, SPI_I, SPI_R, IKH_EXCH_INFORMATIONAL, 2, false, true);
    open_sk(t);
    ikh_pl *d = ikh_wire_pl_add(&t->m, IKH_PL_DELETE);
    spi4(t->spi[0], 0x22222222u);
    d->u.del.proto = IKH_PROTO_ESP;
    d->u.del.spi_size = 4;
    d->u.del.num_spi = 1;
    d->u.del.spis = ikh_span_of(t->spi[0], 4);
    /* <-- SK { D(ESP 11111111) } */
    t = msg_new(l, false, SPI_I, SPI_R, IKH_EXCH_INFORMATIONAL, 2, true, false);
    open_sk(t);
    d = ikh_wire_pl_add(&t->m, IKH_PL_DELETE);
    spi4(t->spi[0], 0x11111111u);
    d->u.del.proto = IKH_PROTO_ESP;
    d->u.del.spi_size = 4;
    d->u.del.num_spi = 1;
    d->u.del.spis = ikh_span_of(t->spi[0], 4);
    /* the request again (a retransmission: same octets) --> */
    t = &l->msgs[l->n];
    *t = l->msgs[B_INFO_REQ];
    t->m.pl[1].u.del.spis = ikh_span_of(t->spi[0], 4);
    t->meta.frame = ++l->n;
    /* CREATE_CHILD_SA SK { SA(IKE, SPI NEW_I), Ni, KEi } --> (IKE rekey) */
    t = msg_new(l, true, SPI_I, SPI_R, IKH_EXCH_CREATE_CHILD_SA, 3, false,
                true);
    open_sk(t);
    spi8(t->spi[0], NEW_I);
    prop_ike(t, add_sa(t), 1, IKH_KE_ECP256, t->spi[0], 8);
    add_nonce(t, 32);
    add_ke(t, IKH_KE_ECP256);
    /* <-- SK { SA(IKE, SPI NEW_R), Nr, KEr } */
    t = msg_new(l, false, SPI_I, SPI_R, IKH_EXCH_CREATE_CHILD_SA, 3, true,
                false);
    open_sk(t);
    spi8(t->spi[0], NEW_R);
    prop_ike(t, add_sa(t), 1, IKH_KE_ECP256, t->spi[0], 8);
    add_nonce(t, 32);
    add_ke(t, IKH_KE_ECP256);
    /* new IKE SA: INFORMATIONAL SK {} -->, <-- SK {}, Message ID 0 */
    t = msg_new(l, true, NEW_I, NEW_R, IKH_EXCH_INFORMATIONAL, 0, false, true);
    open_sk(t);
    t = msg_new(l, false, NEW_I, NEW_R, IKH_EXCH_INFORMATIONAL, 0, true, false);
    open_sk(t);
    /* COOKIE: request, <-- N(COOKIE), retry with N(COOKIE) first, accept */
    init_req(l, CK_I, IKH_KE_ECP256);
    t = msg_new(l, false, CK_I, 0, IKH_EXCH_IKE_SA_INIT, 0, true, false);
    add_notify(t, IKH_N_COOKIE, cookie_data, 16);
    t = msg_new(l, true, CK_I, 0, IKH_EXCH_IKE_SA_INIT, 0, false, true);
    add_notify(t, IKH_N_COOKIE, cookie_data, 16);
    ikh_pl *sa = add_sa(t);
    prop_ike(t, sa, 1, IKH_KE_ECP256, NULL, 0);
    add_ke(t, IKH_KE_ECP256);
    add_nonce(t, 32);
    init_resp(l, CK_I, CK_R);
    /* INVALID_KE: Curve25519 guessed, <-- N(INVALID_KE_PAYLOAD, 19), retry */
    init_req(l, KE_I, IKH_KE_CURVE25519);
    t = msg_new(l, false, KE_I, 0, IKH_EXCH_IKE_SA_INIT, 0, true, false);
    static const uint8_t g19[2] = {0, IKH_KE_ECP256};
    add_notify(t, IKH_N_INVALID_KE_PAYLOAD, g19, 2);
    init_req(l, KE_I, IKH_KE_ECP256);
    init_resp(l, KE_I, KE_R);
    /* INFORMATIONAL as two SKF fragments --> (not decrypted), <-- SK */
    for (uint16_t f = 1; f <= 2; f++) {
        t = msg_new(l, true, SPI_I, SPI_R, IKH_EXCH_INFORMATIONAL, 4, false,
                    true);
        ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_SKF);
        p->u.skf.inner = f == 1 ? IKH_PL_DELETE : 0;
        p->u.skf.frag_num = f;
        p->u.skf.total = 2;
        p->u.skf.body = ikh_span_of(filler + f, 40);
    }
    t = msg_new(l, false, SPI_I, SPI_R, IKH_EXCH_INFORMATIONAL, 4, true, false);
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_SK);
    p->u.sk.body = ikh_span_of(filler, 40);
    /* RFC 3948: IKE_AUTH moved to the NAT-T port with the non-ESP marker
     * (§2.2); the ESP packets are UDP-encapsulated on the same ports with a
     * zero IPv4 checksum (§2.1) */
    for (size_t k = B_AUTH_REQ; k <= B_AUTH_RESP; k++) {
        l->msgs[k].meta.sport = l->msgs[k].meta.dport = 4500;
        l->msgs[k].meta.non_esp_marker = true;
    }
    for (size_t k = B_ESP1; k <= B_ESP2; k++) {
        l->msgs[k].meta.sport = l->msgs[k].meta.dport = 4500;
        l->msgs[k].meta.udp_csum_known = true;
        l->msgs[k].meta.udp_csum = 0;
    }
}

/* Serialize every IKE message (after the caller's changes). */
static void finish_list(tlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        tmsg *t = &l->msgs[i];
        if (t->esp || t->frozen)
            continue;
        mark_inner(t);
        assert_int_equal(
            ikh_wire_msg_serialize(&t->m, t->raw, RAW_CAP, &t->raw_len),
            IKH_OK);
    }
}

static ikh_replay *run_list(tlist *l)
{
    ikh_replay *r = NULL;
    assert_int_equal(ikh_replay_new(NULL, &r), IKH_OK);
    for (size_t i = 0; i < l->n; i++) {
        tmsg *t = &l->msgs[i];
        t->meta.decrypted = t->decrypted;
        ikh_err e;
        if (t->esp)
            e = ikh_replay_esp(r, &t->meta, t->raw, t->raw_len);
        else if (t->as_bytes)
            e = ikh_replay_ike(r, &t->meta, t->raw, t->raw_len);
        else
            e = ikh_replay_msg(r, &t->meta, &t->m,
                               ikh_span_of(t->raw, t->raw_len));
        assert_int_equal(e, IKH_OK);
    }
    assert_int_equal(ikh_replay_finish(r), IKH_OK);
    return r;
}

static tlist *list_new(void)
{
    tlist *l = calloc(1, sizeof *l);
    assert_non_null(l);
    l->msgs = calloc(MAX_MSGS, sizeof *l->msgs);
    assert_non_null(l->msgs);
    for (size_t i = 0; i < sizeof filler; i++)
        filler[i] = (uint8_t)(i * 7 + 1);
    for (size_t i = 0; i < sizeof cookie_data; i++)
        cookie_data[i] = (uint8_t)(0xc0 + i);
    build_baseline(l);
    return l;
}

static void list_free(tlist *l)
{
    free(l->msgs);
    free(l);
}

/* ---- the baseline passes ------------------------------------------------ */

static void test_rules_baseline_passes(void **state)
{
    (void)state;
    tlist *l = list_new();
    finish_list(l);
    ikh_replay *r = run_list(l);
    ptu_replay_dump_fails(r);
    for (unsigned i = 0; i < IKH_RULE__COUNT; i++) {
        const ikh_rule_info *ru = ikh_replay_rule((ikh_rule_id)i);
        uint64_t pass = ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_PASS);
        uint64_t fail = ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_FAIL);
        if (fail != 0)
            print_error("rule %s fails on the baseline\n", ru->id);
        assert_int_equal(fail, 0);
        /* SK_DECRYPT and ESP_PADDING need real keys: the capture tests */
        if (i == IKH_RULE_SK_DECRYPT || i == IKH_RULE_ESP_PADDING)
            continue;
        if (pass == 0)
            print_error("rule %s never passes on the baseline\n", ru->id);
        assert_true(pass > 0);
    }
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    assert_int_equal(s->rekeys, 1);
    assert_int_equal(s->sas, 4);
    assert_int_equal(s->esp_pkts, 2);
    /* the fragments and their answer were not decrypted */
    assert_int_equal(s->undecrypted, 3);
    assert_true(ikh_replay_count(r, IKH_RULE_SK_DECRYPT, IKH_VERDICT_NOKEYS) >
                0);
    ikh_replay_free(r);
    list_free(l);
}

/* ---- one failing input per rule ----------------------------------------- */

typedef void (*mutate_fn)(tlist *l);

/* Build the baseline, change it, run it, and check @p rule failed. */
static void expect_fail(mutate_fn fn, ikh_rule_id rule)
{
    tlist *l = list_new();
    fn(l);
    finish_list(l);
    ikh_replay *r = run_list(l);
    uint64_t fail = ikh_replay_count(r, rule, IKH_VERDICT_FAIL);
    if (fail == 0) {
        print_error("rule %s did not fail\n", ikh_replay_rule(rule)->id);
        ptu_replay_dump_fails(r);
    }
    assert_true(fail > 0);
    /* every violation has its frame and a detail */
    size_t n = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        assert_true(v[i].frame > 0);
    ikh_replay_free(r);
    list_free(l);
}

static ikh_pl *pl_of(tmsg *t, uint8_t type)
{
    for (size_t i = 0; i < t->m.n_pl; i++)
        if (t->m.pl[i].type == type)
            return &t->m.pl[i];
    fail_msg("payload %u missing", type);
    return NULL;
}

/* Drop the first payload of @p type (pools stay as they are). */
static void pl_drop(tmsg *t, uint8_t type)
{
    ikh_pl *p = pl_of(t, type);
    size_t i = (size_t)(p - t->m.pl);
    memmove(&t->m.pl[i], &t->m.pl[i + 1],
            (t->m.n_pl - i - 1) * sizeof t->m.pl[0]);
    t->m.n_pl--;
}

static void m_major(tlist *l)
{
    l->msgs[B_INIT_REQ].m.hdr.version = 0x30;
}
static void m_minor(tlist *l)
{
    l->msgs[B_INIT_REQ].m.hdr.version = 0x21;
}
static void m_flags(tlist *l)
{
    l->msgs[B_AUTH_REQ].m.hdr.flags |= IKH_HDR_F_VERSION;
}
static void m_ispi(tlist *l)
{
    l->msgs[B_NEW_INFO_REQ].m.hdr.ispi = 0;
}
static void m_rspi_init(tlist *l)
{
    l->msgs[B_INIT_REQ].m.hdr.rspi = 42;
}
static void m_rspi_set(tlist *l)
{
    l->msgs[B_INIT_RESP].m.hdr.rspi = 0;
}
static void m_init_mid(tlist *l)
{
    l->msgs[B_INIT_REQ].m.hdr.mid = 1;
    l->msgs[B_INIT_RESP].m.hdr.mid = 1;
}
static void m_wellformed(tlist *l)
{
    /* the bytes of the INFORMATIONAL request, one octet short */
    tmsg *t = &l->msgs[B_NEW_INFO_REQ];
    t->as_bytes = true;
    t->m.hdr.length = 0;
    mark_inner(t);
    assert_int_equal(
        ikh_wire_msg_serialize(&t->m, t->raw, RAW_CAP, &t->raw_len), IKH_OK);
    t->raw_len--;
    t->frozen = true; /* finish_list() keeps the short copy */
}
static void m_reserved(tlist *l)
{
    pl_of(&l->msgs[B_INIT_REQ], IKH_PL_NONCE)->flags = 0x01;
}
static void m_init_clear(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_REQ];
    ikh_pl *p = ikh_wire_pl_add(&t->m, IKH_PL_SK);
    p->u.sk.body = ikh_span_of(filler, 48);
}
static void m_protected(tlist *l)
{
    pl_drop(&l->msgs[B_NEW_INFO_REQ], IKH_PL_SK);
    l->msgs[B_NEW_INFO_REQ].decrypted = false;
}
static void m_init_req(tlist *l)
{
    pl_drop(&l->msgs[B_INIT_REQ], IKH_PL_NONCE);
}
static void m_init_resp(tlist *l)
{
    pl_drop(&l->msgs[B_INIT_RESP], IKH_PL_KE);
}
static void m_auth_idi(tlist *l)
{
    pl_drop(&l->msgs[B_AUTH_REQ], IKH_PL_IDI);
}
static void m_auth_resp(tlist *l)
{
    pl_drop(&l->msgs[B_AUTH_RESP], IKH_PL_AUTH);
}
static void m_child_ts(tlist *l)
{
    pl_drop(&l->msgs[B_AUTH_REQ], IKH_PL_TSR);
}
static void m_ccsa(tlist *l)
{
    pl_drop(&l->msgs[B_CCSA_REQ], IKH_PL_NONCE);
}
static void m_nonce(tlist *l)
{
    pl_of(&l->msgs[B_CCSA_RESP], IKH_PL_NONCE)->u.raw.data.len = 8;
}
static void m_ke_group(tlist *l)
{
    pl_of(&l->msgs[B_INIT_REQ], IKH_PL_KE)->u.ke.group = IKH_KE_MODP2048;
}
static void m_prop_num(tlist *l)
{
    l->msgs[B_INIT_REQ].m.prop[1].num = 3;
}
static void m_prop_single(tlist *l)
{
    tmsg *t = &l->msgs[B_AUTH_RESP];
    prop_esp(t, pl_of(t, IKH_PL_SA), 2, t->spi[0], 0);
}
static void m_one_each(tlist *l)
{
    tmsg *t = &l->msgs[B_AUTH_RESP];
    assert_non_null(
        ikh_wire_xform_add(&t->m, &t->m.prop[0], IKH_XF_ESN, IKH_ESN_YES));
}
static void m_proto(tlist *l)
{
    l->msgs[B_INIT_REQ].m.prop[0].proto = IKH_PROTO_ESP;
}
static void m_spi_size(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_REQ];
    spi8(t->spi[1], 7);
    t->m.prop[0].spi = ikh_span_of(t->spi[1], 8);
}
static void m_xform_types(tlist *l)
{
    tmsg *t = &l->msgs[B_AUTH_REQ];
    assert_non_null(ikh_wire_xform_add(&t->m, &t->m.prop[0], IKH_XF_PRF,
                                       IKH_PRF_HMAC_SHA2_256));
}
static void m_keylen(tlist *l)
{
    tmsg *t = &l->msgs[B_CCSA_REQ];
    /* the last transform (ESN) of the last proposal gets a Key Length */
    assert_non_null(ikh_wire_keylen_add(&t->m, &t->m.xf[t->m.n_xf - 1], 128));
}
static void m_cookie_len(tlist *l)
{
    pl_of(&l->msgs[B_CK_RESP], IKH_PL_NOTIFY)->u.notify.data.len = 65;
}
static void m_invalid_ke(tlist *l)
{
    pl_of(&l->msgs[B_KE_RESP], IKH_PL_NOTIFY)->u.notify.data.len = 1;
}
static void m_delete(tlist *l)
{
    tmsg *t = &l->msgs[B_INFO_RESP];
    ikh_pl *d = pl_of(t, IKH_PL_DELETE);
    d->u.del.spi_size = 8;
    d->u.del.spis = ikh_span_of(filler, 8);
}
static void m_mid_seq(tlist *l)
{
    l->msgs[B_INFO_REQ].m.hdr.mid = 5;
    l->msgs[B_INFO_RESP].m.hdr.mid = 5;
    l->msgs[B_INFO_REQ_RETRANS].m.hdr.mid = 5;
}
static void m_resp_match(tlist *l)
{
    l->msgs[B_INFO_RESP].m.hdr.exch = IKH_EXCH_CREATE_CHILD_SA;
}
static void m_retrans(tlist *l)
{
    /* other ciphertext under the same Message ID */
    pl_of(&l->msgs[B_INFO_REQ_RETRANS], IKH_PL_SK)->u.sk.body =
        ikh_span_of(filler + 1, 48);
}
static void m_flag_i(tlist *l)
{
    /* B answers with I set: it is not the original initiator */
    l->msgs[B_INFO_RESP].m.hdr.flags |= IKH_HDR_F_INITIATOR;
}
static void m_chosen(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_RESP];
    /* proposal 1 offered ECP-256; the answer names Curve25519 */
    t->m.xf[t->m.prop[0].xf_first + 2].id = IKH_KE_CURVE25519;
    pl_of(t, IKH_PL_KE)->u.ke.group = IKH_KE_CURVE25519;
}
static void m_cookie_retry(tlist *l)
{
    /* the retry echoes other data */
    pl_of(&l->msgs[B_CK_RETRY], IKH_PL_NOTIFY)->u.notify.data =
        ikh_span_of(cookie_data + 1, 16);
}
static void m_ke_retry(tlist *l)
{
    tmsg *t = &l->msgs[B_KE_RETRY];
    pl_of(t, IKH_PL_KE)->u.ke.group = IKH_KE_CURVE25519;
}
static void m_natd(tlist *l)
{
    l->msgs[B_INIT_RESP].natd[0][3] ^= 1;
}
static void m_frag_negotiated(tlist *l)
{
    pl_drop(&l->msgs[B_INIT_RESP], IKH_PL_NOTIFY); /* NAT-D source */
    pl_drop(&l->msgs[B_INIT_RESP], IKH_PL_NOTIFY); /* NAT-D destination */
    pl_drop(&l->msgs[B_INIT_RESP], IKH_PL_NOTIFY); /* FRAGMENTATION */
}
static void m_skf_next(tlist *l)
{
    pl_of(&l->msgs[B_FRAG2], IKH_PL_SKF)->u.skf.inner = IKH_PL_NOTIFY;
}
static void m_skf_num(tlist *l)
{
    /* fragment 3 of 2: the parser refuses it (bytes path) */
    pl_of(&l->msgs[B_FRAG2], IKH_PL_SKF)->u.skf.frag_num = 3;
    l->msgs[B_FRAG2].as_bytes = true;
}
static void m_sk_last(tlist *l)
{
    /* four octets after the SK payload, counted in the header Length */
    tmsg *t = &l->msgs[B_FRAG_RESP];
    mark_inner(t);
    assert_int_equal(
        ikh_wire_msg_serialize(&t->m, t->raw, RAW_CAP, &t->raw_len), IKH_OK);
    memset(t->raw + t->raw_len, 0, 4);
    t->raw_len += 4;
    t->raw[24] = (uint8_t)(t->raw_len >> 24);
    t->raw[25] = (uint8_t)(t->raw_len >> 16);
    t->raw[26] = (uint8_t)(t->raw_len >> 8);
    t->raw[27] = (uint8_t)t->raw_len;
    t->frozen = true; /* keep these bytes through finish_list() */
    t->as_bytes = true;
}
static void m_esp_zero(tlist *l)
{
    spi4(l->msgs[B_ESP1].raw + 4, 0);
}
static void m_esp_unique(tlist *l)
{
    /* the second packet reuses number 1 with other octets */
    spi4(l->msgs[B_ESP2].raw + 4, 1);
}
static void m_esp_order(tlist *l)
{
    spi4(l->msgs[B_ESP1].raw + 4, 7);
}
static void m_esp_spi(tlist *l)
{
    spi4(l->msgs[B_ESP1].raw, 0x99999999u);
}

static void m_prop_reserved(tlist *l)
{
    l->msgs[B_INIT_REQ].m.prop[0].reserved = 1;
}
static void m_xform_reserved(tlist *l)
{
    l->msgs[B_INIT_REQ].m.xf[0].reserved2 = 1;
}
static void m_ke_reserved(tlist *l)
{
    pl_of(&l->msgs[B_CCSA_REQ], IKH_PL_KE)->u.ke.reserved = 1;
}
static void m_id_reserved(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_REQ], IKH_PL_IDI)->u.id.reserved = 1;
}
static void m_auth_reserved(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_RESP], IKH_PL_AUTH)->u.auth.reserved = 1;
}
static void m_ts_reserved(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_REQ], IKH_PL_TSI)->u.ts.reserved = 1;
}
static void m_notify_proto(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_REQ];
    t->m.pl[t->m.n_pl - 1].u.notify.proto = IKH_PROTO_ESP; /* FRAG_SUPP. */
}
static void m_nonce_prf(tlist *l)
{
    /* HMAC-SHA2-512 (64-octet key) chosen, Nr of 16 octets */
    tmsg *q = &l->msgs[B_INIT_REQ], *a = &l->msgs[B_INIT_RESP];
    q->m.xf[q->m.prop[0].xf_first + 1].id = IKH_PRF_HMAC_SHA2_512;
    a->m.xf[a->m.prop[0].xf_first + 1].id = IKH_PRF_HMAC_SHA2_512;
    pl_of(a, IKH_PL_NONCE)->u.raw.data.len = 16;
}

static void m_ke_len(tlist *l)
{
    pl_of(&l->msgs[B_CCSA_REQ], IKH_PL_KE)->u.ke.data.len = 65;
}
static void m_id_len(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_RESP], IKH_PL_IDR)->u.id.data.len = 5;
}
static void m_child_proto(tlist *l)
{
    pl_of(&l->msgs[B_CCSA_REQ], IKH_PL_NOTIFY)->u.notify.proto = IKH_PROTO_IKE;
}
static void m_rekey_sa(tlist *l)
{
    spi4(l->msgs[B_CCSA_REQ].spi[1], 0x77777777u);
}

/* ---- the rules added second ------------------------------------------ */

static ikh_pl *notify_of(tmsg *t, uint16_t type)
{
    for (size_t i = 0; i < t->m.n_pl; i++)
        if (t->m.pl[i].type == IKH_PL_NOTIFY &&
            t->m.pl[i].u.notify.type == type)
            return &t->m.pl[i];
    fail_msg("notify %u missing", type);
    return NULL;
}

static void m_exch_reserved(tlist *l)
{
    l->msgs[B_NEW_INFO_REQ].m.hdr.exch = 33;
}
static void m_critical(tlist *l)
{
    pl_of(&l->msgs[B_INIT_REQ], IKH_PL_NONCE)->flags = 0x80;
}
static void m_auth_err_no_sa(tlist *l)
{
    /* TS_UNACCEPTABLE next to an accepted Child SA */
    add_notify(&l->msgs[B_AUTH_RESP], IKH_N_TS_UNACCEPTABLE, NULL, 0);
}
static void m_ccsa_ke_pfs(tlist *l)
{
    pl_drop(&l->msgs[B_CCSA_RESP], IKH_PL_KE);
}
static void m_ike_rekey_payloads(tlist *l)
{
    pl_drop(&l->msgs[B_REKEY_REQ], IKH_PL_KE);
}
static void m_ike_rekey_spi(tlist *l)
{
    spi8(l->msgs[B_REKEY_RESP].spi[0], 0);
}
static void m_info_payloads(tlist *l)
{
    add_nonce(&l->msgs[B_INFO_RESP], 16);
}
static void m_id_fqdn(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_REQ], IKH_PL_IDI)->u.id.data =
        ikh_span_of((const uint8_t *)"peer.example\0", 13);
}
static void m_aead_integ(tlist *l)
{
    tmsg *t = &l->msgs[B_AUTH_REQ];
    assert_non_null(ikh_wire_xform_add(&t->m, &t->m.prop[0], IKH_XF_INTEG,
                                       IKH_INTEG_HMAC_SHA2_256_128));
}
static void m_ike_integ(tlist *l)
{
    /* proposal 2 (AES-CBC) with INTEG NONE */
    tmsg *t = &l->msgs[B_INIT_REQ];
    t->m.xf[t->m.prop[1].xf_first + 1].id = IKH_INTEG_NONE;
}
static void m_esn(tlist *l)
{
    /* the ESN transform of the ESP proposal becomes INTEG NONE */
    tmsg *t = &l->msgs[B_AUTH_REQ];
    ikh_xform *x = &t->m.xf[t->m.prop[0].xf_first + t->m.prop[0].xf_count - 1];
    assert_int_equal(x->type, IKH_XF_ESN);
    x->type = IKH_XF_INTEG;
    x->id = IKH_INTEG_NONE;
}
static void m_xform_id_reserved(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_REQ];
    t->m.xf[t->m.prop[1].xf_first + 2].id = 0; /* PRF of proposal 2 */
}
static void m_keylen_req(tlist *l)
{
    tmsg *t = &l->msgs[B_INIT_REQ];
    t->m.xf[t->m.prop[1].xf_first].attr_count = 0; /* AES-CBC, no length */
}
static void m_prop_esp_spi(tlist *l)
{
    spi4(l->msgs[B_AUTH_REQ].spi[0], 200);
}
static void m_notify_spi_size(tlist *l)
{
    tmsg *t = &l->msgs[B_CCSA_REQ];
    notify_of(t, IKH_N_REKEY_SA)->u.notify.spi = ikh_span_of(t->spi[1], 8);
}
static void m_rekey_sa_form(tlist *l)
{
    notify_of(&l->msgs[B_CCSA_REQ], IKH_N_REKEY_SA)->u.notify.data =
        ikh_span_of(filler, 4);
}
static void m_natd_len(tlist *l)
{
    notify_of(&l->msgs[B_INIT_REQ], IKH_N_NAT_DETECTION_SOURCE_IP)
        ->u.notify.data.len = 19;
}
static void m_frag_supp_empty(tlist *l)
{
    notify_of(&l->msgs[B_INIT_RESP], IKH_N_IKEV2_FRAGMENTATION_SUPPORTED)
        ->u.notify.data = ikh_span_of(filler, 1);
}
static void m_sighash(tlist *l)
{
    notify_of(&l->msgs[B_INIT_RESP], IKH_N_SIGNATURE_HASH_ALGORITHMS)
        ->u.notify.data.len = 3;
}
static void m_certreq(tlist *l)
{
    pl_of(&l->msgs[B_INIT_RESP], IKH_PL_CERTREQ)->u.cert.data.len = 19;
}
static void m_cp_type(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_RESP], IKH_PL_CP)->u.cp.cfg_type = IKH_CFG_REQUEST;
}
static void m_cp_reserved(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_REQ], IKH_PL_CP)->u.cp.reserved = 1;
}
static void m_cp_attr_r(tlist *l)
{
    l->msgs[B_AUTH_REQ].m.cpa[0].reserved_bit = true;
}
static void m_cp_attr_len(tlist *l)
{
    l->msgs[B_AUTH_RESP].m.cpa[0].value.len = 3;
}
static void m_ts_range(tlist *l)
{
    tmsg *t = &l->msgs[B_AUTH_REQ];
    t->m.ts[0].start_port = 443;
    t->m.ts[0].end_port = 80;
}
static void m_id_type(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_REQ], IKH_PL_IDI)->u.id.id_type = 4;
}
static void m_cert_enc(tlist *l)
{
    pl_of(&l->msgs[B_INIT_RESP], IKH_PL_CERTREQ)->u.cert.enc = 5;
}
static void m_auth_method(tlist *l)
{
    pl_of(&l->msgs[B_AUTH_RESP], IKH_PL_AUTH)->u.auth.method = 0;
}
static void m_ts_type(tlist *l)
{
    /* TS Type 1 (reserved; no address fields) */
    tmsg *t = &l->msgs[B_AUTH_REQ];
    t->m.ts[0].type = 1;
    t->m.ts[0].start.len = 0;
    t->m.ts[0].end.len = 0;
}
static void m_esp_spi_reserved(tlist *l)
{
    spi4(l->msgs[B_ESP1].raw, 0x10u);
}
static void m_esp_udp_ports(tlist *l)
{
    l->msgs[B_ESP1].meta.sport = 4501; /* not the IKE traffic's port */
}
static void m_esp_udp_csum(tlist *l)
{
    l->msgs[B_ESP2].meta.udp_csum = 0x1234;
}

#define FAIL_TEST(fn, rule)                                                    \
    static void test_rules_fail_##rule(void **state)                           \
    {                                                                          \
        (void)state;                                                           \
        expect_fail(fn, IKH_RULE_##rule);                                      \
    }

FAIL_TEST(m_major, HDR_MAJOR)
FAIL_TEST(m_minor, HDR_MINOR)
FAIL_TEST(m_flags, HDR_FLAGS)
FAIL_TEST(m_ispi, HDR_ISPI)
FAIL_TEST(m_rspi_init, HDR_RSPI_INIT)
FAIL_TEST(m_rspi_set, HDR_RSPI_SET)
FAIL_TEST(m_init_mid, INIT_MID)
FAIL_TEST(m_wellformed, MSG_WELLFORMED)
FAIL_TEST(m_reserved, PL_RESERVED)
FAIL_TEST(m_sk_last, SK_LAST)
FAIL_TEST(m_init_clear, INIT_CLEAR)
FAIL_TEST(m_protected, MSG_PROTECTED)
FAIL_TEST(m_skf_num, SKF_FRAG_NUM)
FAIL_TEST(m_skf_next, SKF_NEXT)
FAIL_TEST(m_init_req, INIT_REQ_PAYLOADS)
FAIL_TEST(m_init_resp, INIT_RESP_PAYLOADS)
FAIL_TEST(m_auth_idi, AUTH_IDI)
FAIL_TEST(m_auth_resp, AUTH_RESP_AUTH)
FAIL_TEST(m_child_ts, CHILD_TS)
FAIL_TEST(m_ccsa, CCSA_PAYLOADS)
FAIL_TEST(m_nonce, NONCE_LEN)
FAIL_TEST(m_ke_group, KE_GROUP)
FAIL_TEST(m_prop_num, PROP_NUM)
FAIL_TEST(m_prop_single, PROP_SINGLE)
FAIL_TEST(m_one_each, PROP_ONE_EACH)
FAIL_TEST(m_proto, PROP_PROTO)
FAIL_TEST(m_spi_size, PROP_SPI_SIZE)
FAIL_TEST(m_xform_types, XFORM_TYPES)
FAIL_TEST(m_keylen, XFORM_KEYLEN)
FAIL_TEST(m_prop_reserved, PROP_RESERVED)
FAIL_TEST(m_xform_reserved, XFORM_RESERVED)
FAIL_TEST(m_ke_reserved, KE_RESERVED)
FAIL_TEST(m_id_reserved, ID_RESERVED)
FAIL_TEST(m_auth_reserved, AUTH_RESERVED)
FAIL_TEST(m_ts_reserved, TS_RESERVED)
FAIL_TEST(m_notify_proto, NOTIFY_PROTO)
FAIL_TEST(m_nonce_prf, NONCE_PRF)
FAIL_TEST(m_ke_len, KE_LEN)
FAIL_TEST(m_id_len, ID_LEN)
FAIL_TEST(m_child_proto, NOTIFY_CHILD_PROTO)
FAIL_TEST(m_rekey_sa, REKEY_SA_KNOWN)
FAIL_TEST(m_cookie_len, COOKIE_LEN)
FAIL_TEST(m_invalid_ke, INVALID_KE_DATA)
FAIL_TEST(m_delete, DELETE_SPI)
FAIL_TEST(m_mid_seq, MID_SEQ)
FAIL_TEST(m_resp_match, RESP_MATCH)
FAIL_TEST(m_retrans, RETRANS_SAME)
FAIL_TEST(m_flag_i, FLAGS_I)
FAIL_TEST(m_chosen, PROP_CHOSEN)
FAIL_TEST(m_cookie_retry, COOKIE_RETRY)
FAIL_TEST(m_ke_retry, INVALID_KE_RETRY)
FAIL_TEST(m_natd, NATD_HASH)
FAIL_TEST(m_frag_negotiated, SKF_NEGOTIATED)
FAIL_TEST(m_esp_zero, ESP_SEQ_NONZERO)
FAIL_TEST(m_esp_unique, ESP_SEQ_UNIQUE)
FAIL_TEST(m_esp_order, ESP_SEQ_ORDER)
FAIL_TEST(m_esp_spi, ESP_SPI_KNOWN)
FAIL_TEST(m_exch_reserved, HDR_EXCH_RESERVED)
FAIL_TEST(m_critical, PL_CRITICAL)
FAIL_TEST(m_auth_err_no_sa, AUTH_ERR_NO_SA)
FAIL_TEST(m_ccsa_ke_pfs, CCSA_KE_PFS)
FAIL_TEST(m_ike_rekey_payloads, IKE_REKEY_PAYLOADS)
FAIL_TEST(m_ike_rekey_spi, IKE_REKEY_SPI)
FAIL_TEST(m_info_payloads, INFO_PAYLOADS)
FAIL_TEST(m_id_fqdn, ID_FQDN)
FAIL_TEST(m_aead_integ, XFORM_AEAD_INTEG)
FAIL_TEST(m_ike_integ, XFORM_IKE_INTEG)
FAIL_TEST(m_esn, XFORM_ESN)
FAIL_TEST(m_xform_id_reserved, XFORM_ID_RESERVED)
FAIL_TEST(m_keylen_req, XFORM_KEYLEN_REQ)
FAIL_TEST(m_prop_esp_spi, PROP_ESP_SPI)
FAIL_TEST(m_notify_spi_size, NOTIFY_SPI_SIZE)
FAIL_TEST(m_rekey_sa_form, REKEY_SA_FORM)
FAIL_TEST(m_natd_len, NATD_LEN)
FAIL_TEST(m_frag_supp_empty, FRAG_SUPP_EMPTY)
FAIL_TEST(m_sighash, SIGHASH_LIST)
FAIL_TEST(m_certreq, CERTREQ_HASHES)
FAIL_TEST(m_cp_type, CP_TYPE)
FAIL_TEST(m_cp_reserved, CP_RESERVED)
FAIL_TEST(m_cp_attr_r, CP_ATTR_R)
FAIL_TEST(m_cp_attr_len, CP_ATTR_LEN)
FAIL_TEST(m_ts_range, TS_RANGE)
FAIL_TEST(m_esp_spi_reserved, ESP_SPI_RESERVED)
FAIL_TEST(m_esp_udp_ports, ESP_UDP_PORTS)
FAIL_TEST(m_esp_udp_csum, ESP_UDP_CSUM)
FAIL_TEST(m_id_type, ID_TYPE)
FAIL_TEST(m_cert_enc, CERT_ENC)
FAIL_TEST(m_auth_method, AUTH_METHOD)
FAIL_TEST(m_ts_type, TS_TYPE)

/* ---- the table ---------------------------------------------------------- */

static void test_rules_table(void **state)
{
    (void)state;
    unsigned must = 0;
    for (unsigned i = 0; i < IKH_RULE__COUNT; i++) {
        const ikh_rule_info *a = ikh_replay_rule((ikh_rule_id)i);
        assert_non_null(a);
        /* IDs are "RFC<n>-<section>-..." and unique */
        char pre[32];
        snprintf(pre, sizeof pre, "RFC%u-%s-", a->rfc, a->section);
        assert_memory_equal(a->id, pre, strlen(pre));
        assert_true(strlen(a->what) > 10 && strlen(a->why) > 10);
        for (unsigned k = i + 1; k < IKH_RULE__COUNT; k++)
            assert_string_not_equal(a->id, ikh_replay_rule((ikh_rule_id)k)->id);
        ikh_rule_id f;
        assert_true(ikh_replay_rule_find(a->id, &f));
        assert_int_equal(f, i);
        must += a->level == IKH_LEVEL_MUST;
    }
    assert_true(IKH_RULE__COUNT >= 30);
    assert_true(must >= 30);
    assert_null(ikh_replay_rule(IKH_RULE__COUNT));
    ikh_rule_id f;
    assert_false(ikh_replay_rule_find("RFC0-NOPE", &f));
    assert_false(ikh_replay_rule_find(NULL, &f));
}

/* API misuse: specific errors, no crash. */
static void test_rules_api_errors(void **state)
{
    (void)state;
    ikh_replay *r = NULL;
    assert_int_equal(ikh_replay_new(NULL, NULL), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_replay_new(NULL, &r), IKH_OK);
    ikh_replay_meta meta = {.frame = 1};
    assert_int_equal(ikh_replay_ike(r, NULL, filler, 4), IKH_ERR_ARG_INVALID);
    /* a datagram shorter than the IKE header: one WELLFORMED failure */
    assert_int_equal(ikh_replay_ike(r, &meta, filler, 4), IKH_OK);
    /* an ESP packet shorter than SPI + Sequence Number: an item, no rule */
    assert_int_equal(ikh_replay_esp(r, &meta, filler, 3), IKH_OK);
    assert_int_equal(ikh_replay_finish(r), IKH_OK);
    assert_int_equal(ikh_replay_finish(r), IKH_ERR_STATE);
    assert_int_equal(ikh_replay_ike(r, &meta, filler, 4), IKH_ERR_STATE);
    assert_int_equal(
        ikh_replay_count(r, IKH_RULE_MSG_WELLFORMED, IKH_VERDICT_FAIL), 1);
    size_t n = 0;
    (void)ikh_replay_items(r, &n);
    assert_int_equal(n, 2);
    bool keep[IKH_RULE__COUNT] = {0};
    assert_int_equal(ikh_replay_select(r, keep), IKH_OK);
    assert_int_equal(ikh_replay_get_stats(r)->fail[0], 0);
    assert_int_equal(
        ikh_replay_count(r, IKH_RULE_MSG_WELLFORMED, IKH_VERDICT_FAIL), 0);
    ikh_replay_free(r);
    ikh_replay_free(NULL);
    assert_string_equal(ikh_replay_verdict_name(IKH_VERDICT_NOKEYS), "nokeys");
    assert_string_equal(ikh_replay_verdict_name((ikh_verdict)9), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_table),
        cmocka_unit_test(test_rules_api_errors),
        cmocka_unit_test(test_rules_baseline_passes),
        cmocka_unit_test(test_rules_fail_HDR_MAJOR),
        cmocka_unit_test(test_rules_fail_HDR_MINOR),
        cmocka_unit_test(test_rules_fail_HDR_FLAGS),
        cmocka_unit_test(test_rules_fail_HDR_ISPI),
        cmocka_unit_test(test_rules_fail_HDR_RSPI_INIT),
        cmocka_unit_test(test_rules_fail_HDR_RSPI_SET),
        cmocka_unit_test(test_rules_fail_INIT_MID),
        cmocka_unit_test(test_rules_fail_MSG_WELLFORMED),
        cmocka_unit_test(test_rules_fail_PL_RESERVED),
        cmocka_unit_test(test_rules_fail_SK_LAST),
        cmocka_unit_test(test_rules_fail_INIT_CLEAR),
        cmocka_unit_test(test_rules_fail_MSG_PROTECTED),
        cmocka_unit_test(test_rules_fail_SKF_FRAG_NUM),
        cmocka_unit_test(test_rules_fail_SKF_NEXT),
        cmocka_unit_test(test_rules_fail_INIT_REQ_PAYLOADS),
        cmocka_unit_test(test_rules_fail_INIT_RESP_PAYLOADS),
        cmocka_unit_test(test_rules_fail_AUTH_IDI),
        cmocka_unit_test(test_rules_fail_AUTH_RESP_AUTH),
        cmocka_unit_test(test_rules_fail_CHILD_TS),
        cmocka_unit_test(test_rules_fail_CCSA_PAYLOADS),
        cmocka_unit_test(test_rules_fail_NONCE_LEN),
        cmocka_unit_test(test_rules_fail_KE_GROUP),
        cmocka_unit_test(test_rules_fail_PROP_NUM),
        cmocka_unit_test(test_rules_fail_PROP_SINGLE),
        cmocka_unit_test(test_rules_fail_PROP_ONE_EACH),
        cmocka_unit_test(test_rules_fail_PROP_PROTO),
        cmocka_unit_test(test_rules_fail_PROP_SPI_SIZE),
        cmocka_unit_test(test_rules_fail_XFORM_TYPES),
        cmocka_unit_test(test_rules_fail_XFORM_KEYLEN),
        cmocka_unit_test(test_rules_fail_PROP_RESERVED),
        cmocka_unit_test(test_rules_fail_XFORM_RESERVED),
        cmocka_unit_test(test_rules_fail_KE_RESERVED),
        cmocka_unit_test(test_rules_fail_ID_RESERVED),
        cmocka_unit_test(test_rules_fail_AUTH_RESERVED),
        cmocka_unit_test(test_rules_fail_TS_RESERVED),
        cmocka_unit_test(test_rules_fail_NOTIFY_PROTO),
        cmocka_unit_test(test_rules_fail_NONCE_PRF),
        cmocka_unit_test(test_rules_fail_KE_LEN),
        cmocka_unit_test(test_rules_fail_ID_LEN),
        cmocka_unit_test(test_rules_fail_NOTIFY_CHILD_PROTO),
        cmocka_unit_test(test_rules_fail_REKEY_SA_KNOWN),
        cmocka_unit_test(test_rules_fail_COOKIE_LEN),
        cmocka_unit_test(test_rules_fail_INVALID_KE_DATA),
        cmocka_unit_test(test_rules_fail_DELETE_SPI),
        cmocka_unit_test(test_rules_fail_MID_SEQ),
        cmocka_unit_test(test_rules_fail_RESP_MATCH),
        cmocka_unit_test(test_rules_fail_RETRANS_SAME),
        cmocka_unit_test(test_rules_fail_FLAGS_I),
        cmocka_unit_test(test_rules_fail_PROP_CHOSEN),
        cmocka_unit_test(test_rules_fail_COOKIE_RETRY),
        cmocka_unit_test(test_rules_fail_INVALID_KE_RETRY),
        cmocka_unit_test(test_rules_fail_NATD_HASH),
        cmocka_unit_test(test_rules_fail_SKF_NEGOTIATED),
        cmocka_unit_test(test_rules_fail_ESP_SEQ_NONZERO),
        cmocka_unit_test(test_rules_fail_ESP_SEQ_UNIQUE),
        cmocka_unit_test(test_rules_fail_ESP_SEQ_ORDER),
        cmocka_unit_test(test_rules_fail_ESP_SPI_KNOWN),
        cmocka_unit_test(test_rules_fail_HDR_EXCH_RESERVED),
        cmocka_unit_test(test_rules_fail_PL_CRITICAL),
        cmocka_unit_test(test_rules_fail_AUTH_ERR_NO_SA),
        cmocka_unit_test(test_rules_fail_CCSA_KE_PFS),
        cmocka_unit_test(test_rules_fail_IKE_REKEY_PAYLOADS),
        cmocka_unit_test(test_rules_fail_IKE_REKEY_SPI),
        cmocka_unit_test(test_rules_fail_INFO_PAYLOADS),
        cmocka_unit_test(test_rules_fail_ID_FQDN),
        cmocka_unit_test(test_rules_fail_XFORM_AEAD_INTEG),
        cmocka_unit_test(test_rules_fail_XFORM_IKE_INTEG),
        cmocka_unit_test(test_rules_fail_XFORM_ESN),
        cmocka_unit_test(test_rules_fail_XFORM_ID_RESERVED),
        cmocka_unit_test(test_rules_fail_XFORM_KEYLEN_REQ),
        cmocka_unit_test(test_rules_fail_PROP_ESP_SPI),
        cmocka_unit_test(test_rules_fail_NOTIFY_SPI_SIZE),
        cmocka_unit_test(test_rules_fail_REKEY_SA_FORM),
        cmocka_unit_test(test_rules_fail_NATD_LEN),
        cmocka_unit_test(test_rules_fail_FRAG_SUPP_EMPTY),
        cmocka_unit_test(test_rules_fail_SIGHASH_LIST),
        cmocka_unit_test(test_rules_fail_CERTREQ_HASHES),
        cmocka_unit_test(test_rules_fail_CP_TYPE),
        cmocka_unit_test(test_rules_fail_CP_RESERVED),
        cmocka_unit_test(test_rules_fail_CP_ATTR_R),
        cmocka_unit_test(test_rules_fail_CP_ATTR_LEN),
        cmocka_unit_test(test_rules_fail_TS_RANGE),
        cmocka_unit_test(test_rules_fail_ESP_SPI_RESERVED),
        cmocka_unit_test(test_rules_fail_ESP_UDP_PORTS),
        cmocka_unit_test(test_rules_fail_ESP_UDP_CSUM),
        cmocka_unit_test(test_rules_fail_ID_TYPE),
        cmocka_unit_test(test_rules_fail_CERT_ENC),
        cmocka_unit_test(test_rules_fail_AUTH_METHOD),
        cmocka_unit_test(test_rules_fail_TS_TYPE),
    };
    /* one failing test per rule: all but SK_DECRYPT and ESP_PADDING
     * (test_pcap_replay_cap.c), besides the three tests above them */
    size_t n_fail_tests = sizeof tests / sizeof tests[0] - 3;
    if (n_fail_tests != IKH_RULE__COUNT - 2) {
        fprintf(stderr, "%zu failing tests for %u rules\n", n_fail_tests,
                (unsigned)IKH_RULE__COUNT - 2);
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
