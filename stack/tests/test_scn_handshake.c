/* SPDX-License-Identifier: MIT */
/*
 * Step-by-step flows between two nodes without the simulator: every
 * datagram a node sends lands in its outbox and the test delivers it by
 * hand, so each step is checked on its own (STYLE.md §14): states,
 * message IDs, SPIs, Child SA keys that agree on both sides, and
 * retransmissions answered from the cache with identical bytes.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "ikh/drbg.h"
#include "ikh/iana.h"
#include "ikh/ike.h"

#define BOX 16
#define DG_MAX 4096

/* One node with an outbox and the keys it reported. */
typedef struct peer {
    ikh_node *node;
    ikh_drbg drbg;
    size_t n_out;
    ikh_dgram out[BOX];
    uint8_t data[BOX][DG_MAX];
    size_t n_keys;
    struct {
        uint32_t spi;
        bool outbound;
        uint8_t key[64];
        size_t key_len;
    } keys[32];
    ikh_addr addr;
} peer;

static int outbox(void *user, const ikh_dgram *dg)
{
    peer *p = user;
    assert_true(p->n_out < BOX);
    assert_true(dg->data.len <= DG_MAX);
    p->out[p->n_out] = *dg;
    memcpy(p->data[p->n_out], dg->data.p, dg->data.len);
    p->out[p->n_out].data = ikh_span_of(p->data[p->n_out], dg->data.len);
    p->n_out++;
    return 0;
}

static void child_keys(void *user, const ikh_child_keyinfo *k)
{
    peer *p = user;
    assert_true(p->n_keys < 32);
    p->keys[p->n_keys].spi = k->spi;
    p->keys[p->n_keys].outbound = ikh_addr_cmp(&k->src, &p->addr) == 0;
    memcpy(p->keys[p->n_keys].key, k->encr_key.p, k->encr_key.len);
    p->keys[p->n_keys].key_len = k->encr_key.len;
    p->n_keys++;
}

static void setup_peer(peer *p, const char *name, uint8_t last, uint8_t other,
                       uint64_t seed)
{
    memset(p, 0, sizeof *p);
    ikh_drbg_init(&p->drbg, seed);
    p->addr = ikh_addr_v4(192, 0, 2, last);
    ikh_ike_config c;
    ikh_ike_config_init(&c);
    snprintf(c.name, sizeof c.name, "%s", name);
    c.addr = p->addr;
    c.peer_addr = ikh_addr_v4(192, 0, 2, other);
    c.n_props = 1;
    assert_ikh_ok(ikh_proposal_parse("aes256gcm16-prfsha256-x25519", false,
                                     &c.props[0], NULL));
    c.auth.method = IKH_AUTH_SHARED_KEY_MIC;
    memcpy(c.auth.psk, "step by step", 12);
    c.auth.psk_len = 12;
    c.n_children = 1;
    ikh_child_cfg *ch = &c.children[0];
    snprintf(ch->name, sizeof ch->name, "net");
    ch->n_props = 1;
    assert_ikh_ok(
        ikh_proposal_parse("aes128gcm16-esn", true, &ch->props[0], NULL));
    ch->n_local_ts = ch->n_remote_ts = 1;
    for (int i = 0; i < 2; i++) {
        ikh_ts_cfg *t = i ? &ch->remote_ts[0] : &ch->local_ts[0];
        t->type = IKH_TS_IPV4_ADDR_RANGE;
        t->end_port = 65535;
        memset(t->end, 0xff, 4);
    }
    c.keys.child = child_keys;
    c.keys.user = p;
    ikh_env env;
    memset(&env, 0, sizeof env);
    env.user = p;
    env.send = outbox;
    env.rand = ikh_drbg_rand;
    env.rand_user = &p->drbg;
    assert_ikh_ok(ikh_node_new(&c, &env, &p->node));
}

/* Deliver the first datagram of @p from's outbox to @p to. */
static void deliver(peer *from, peer *to, ikh_time_ms now)
{
    assert_true(from->n_out > 0);
    assert_ikh_ok(ikh_node_recv(to->node, &from->out[0], now));
    memmove(&from->out[0], &from->out[1],
            (from->n_out - 1) * sizeof from->out[0]);
    memmove(from->data[0], from->data[1], (from->n_out - 1) * DG_MAX);
    for (size_t i = 0; i + 1 < from->n_out; i++)
        from->out[i].data = ikh_span_of(from->data[i], from->out[i].data.len);
    from->n_out--;
}

static ikh_ike_info ike(const peer *p)
{
    ikh_ike_info i;
    assert_int_equal(ikh_node_ike_count(p->node), 1);
    assert_ikh_ok(ikh_node_ike_get(p->node, 0, &i));
    return i;
}

static void teardown_peers(peer *a, peer *b)
{
    ikh_node_free(a->node);
    ikh_node_free(b->node);
}

static void establish(peer *a, peer *b)
{
    /* HDR, SAi1, KEi, Ni, N(NAT_D)*2, N(SIG_HASH) --> */
    assert_ikh_ok(ikh_node_initiate(a->node, 0, 0, NULL));
    assert_int_equal(a->n_out, 1);
    assert_int_equal(ike(a).state, IKH_IKE_INIT_SENT);
    deliver(a, b, 10);
    /* <-- HDR, SAr1, KEr, Nr, N(NAT_D)*2, N(SIG_HASH) */
    assert_int_equal(ike(b).state, IKH_IKE_INIT_DONE);
    assert_int_equal(b->n_out, 1);
    deliver(b, a, 20);
    /* HDR, SK {IDi, AUTH, SAi2, TSi, TSr} --> */
    assert_int_equal(ike(a).state, IKH_IKE_AUTH_SENT);
    assert_int_equal(a->n_out, 1);
    deliver(a, b, 30);
    /* <-- HDR, SK {IDr, AUTH, SAr2, TSi, TSr} */
    assert_int_equal(ike(b).state, IKH_IKE_ESTABLISHED);
    deliver(b, a, 40);
    assert_int_equal(ike(a).state, IKH_IKE_ESTABLISHED);
}

/* Both directions of every Child SA have the same key on both sides. */
static void check_child_keys(const peer *a, const peer *b)
{
    size_t matched = 0;
    for (size_t i = 0; i < a->n_keys; i++)
        for (size_t k = 0; k < b->n_keys; k++)
            if (a->keys[i].spi == b->keys[k].spi) {
                assert_true(a->keys[i].outbound != b->keys[k].outbound);
                assert_int_equal(a->keys[i].key_len, b->keys[k].key_len);
                assert_memory_equal(a->keys[i].key, b->keys[k].key,
                                    a->keys[i].key_len);
                matched++;
            }
    assert_int_equal(matched, a->n_keys);
    assert_int_equal(a->n_keys, b->n_keys);
}

static void test_scn_handshake_steps(void **state)
{
    (void)state;
    peer *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    setup_peer(a, "a", 1, 2, 1);
    setup_peer(b, "b", 2, 1, 2);
    establish(a, b);
    ikh_ike_info ia = ike(a), ib = ike(b);
    assert_true(ia.initiator && !ib.initiator);
    assert_true(ia.ispi == ib.ispi && ia.rspi == ib.rspi && ia.rspi != 0);
    /* message IDs: IKE_SA_INIT 0, IKE_AUTH 1 (§2.2) */
    assert_int_equal(ia.mid_next_out, 2);
    assert_int_equal(ib.mid_next_in, 2);
    ikh_child_info ca, cb;
    assert_ikh_ok(ikh_node_child_get(a->node, ia.ref, 0, &ca));
    assert_ikh_ok(ikh_node_child_get(b->node, ib.ref, 0, &cb));
    assert_int_equal(ca.state, IKH_CHILD_INSTALLED);
    assert_int_equal(ca.spi_in, cb.spi_out);
    assert_int_equal(ca.spi_out, cb.spi_in);
    assert_true(ca.esn && cb.esn);
    assert_int_equal(ca.encr, IKH_ENCR_AES_GCM_16);
    check_child_keys(a, b);

    /* rekey: HDR, SK {N(REKEY_SA), SA, Ni, TSi, TSr} --> */
    assert_ikh_ok(ikh_node_action(a->node, IKH_ACT_REKEY_CHILD, 0, 0, 100));
    assert_int_equal(a->n_out, 1);
    deliver(a, b, 110);
    /* <-- HDR, SK {SA, Nr, TSi, TSr} */
    deliver(b, a, 120);
    /* then HDR, SK {D(ESP, old SPI)} --> and <-- HDR, SK {D(ESP, SPI)} */
    assert_int_equal(a->n_out, 1);
    deliver(a, b, 130);
    deliver(b, a, 140);
    assert_int_equal(ike(a).n_children, 1);
    assert_int_equal(ike(b).n_children, 1);
    assert_ikh_ok(ikh_node_child_get(a->node, ia.ref, 0, &ca));
    assert_int_equal(ca.rekeyed_from, 1);
    assert_int_equal(ike(a).mid_next_out, 4);
    check_child_keys(a, b);
    teardown_peers(a, b);
    free(a);
    free(b);
}

static void test_scn_handshake_retransmit_from_cache(void **state)
{
    (void)state;
    peer *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    setup_peer(a, "a", 1, 2, 3);
    setup_peer(b, "b", 2, 1, 4);
    assert_ikh_ok(ikh_node_initiate(a->node, 0, 0, NULL));
    deliver(a, b, 0);
    deliver(b, a, 0);
    /* HDR, SK {IDi, AUTH, ...} --> ; the response is lost */
    uint8_t req[DG_MAX];
    size_t req_len = a->out[0].data.len;
    memcpy(req, a->data[0], req_len);
    deliver(a, b, 0);
    uint8_t resp[DG_MAX];
    size_t resp_len = b->out[0].data.len;
    memcpy(resp, b->data[0], resp_len);
    b->n_out = 0;
    /* a retransmits at its first timeout (4 s, §2.1) the same octets */
    assert_int_equal(ikh_node_deadline(a->node), 4000);
    assert_ikh_ok(ikh_node_expire(a->node, 4000));
    assert_int_equal(a->n_out, 1);
    assert_int_equal(a->out[0].data.len, req_len);
    assert_memory_equal(a->data[0], req, req_len);
    /* b answers from its cache: the same octets, no state change */
    ikh_ike_info before = ike(b);
    deliver(a, b, 4000);
    assert_int_equal(b->n_out, 1);
    assert_int_equal(b->out[0].data.len, resp_len);
    assert_memory_equal(b->data[0], resp, resp_len);
    ikh_ike_info after = ike(b);
    assert_int_equal(before.mid_next_in, after.mid_next_in);
    assert_int_equal(before.n_children, after.n_children);
    deliver(b, a, 4010);
    assert_int_equal(ike(a).state, IKH_IKE_ESTABLISHED);
    ikh_ike_counters ct;
    ikh_node_counters(a->node, &ct);
    assert_int_equal(ct.retransmits, 1);
    /* the next timeout would be 4 s x 1.8 = 7.2 s; nothing is pending now */
    assert_int_equal(ikh_node_deadline(a->node), IKH_TIME_NEVER);
    teardown_peers(a, b);
    free(a);
    free(b);
}

static void test_scn_handshake_delete_ike(void **state)
{
    (void)state;
    peer *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    setup_peer(a, "a", 1, 2, 5);
    setup_peer(b, "b", 2, 1, 6);
    establish(a, b);
    /* <-- HDR, SK {D(IKE)} from b */
    assert_ikh_ok(ikh_node_action(b->node, IKH_ACT_DELETE_IKE, 0, 0, 50));
    assert_int_equal(ike(b).state, IKH_IKE_DELETING);
    deliver(b, a, 60);
    /* HDR, SK {} --> : a answered and dropped the SA and its Child SA */
    assert_int_equal(ikh_node_ike_count(a->node), 0);
    deliver(a, b, 70);
    assert_int_equal(ikh_node_ike_count(b->node), 0);
    teardown_peers(a, b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scn_handshake_steps),
        cmocka_unit_test(test_scn_handshake_retransmit_from_cache),
        cmocka_unit_test(test_scn_handshake_delete_ike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
