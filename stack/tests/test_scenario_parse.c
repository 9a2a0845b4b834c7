/* SPDX-License-Identifier: MIT */
/*
 * Tests for the scenario file parser (ikh/scenario.h, src/scn/): the full
 * example corpus/scenarios/example-full.yaml (every documented key) into
 * the expected structs, a table of bad inputs each with its exact error
 * code and line, the limits (peers, steps, nesting, size), and a fuzz-ish
 * loop of truncations and byte flips that must only return cleanly.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#include "ikh/iana.h"
#include "ikh/names.h"
#include "ikh/scenario.h"
#include "ikh/sig.h"

/* Read the example file into a malloc'd buffer. */
static char *load_example(size_t *len)
{
    const char *dir = getenv("IKH_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/scenarios/example-full.yaml",
             dir != NULL ? dir : ".");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (set IKH_SOURCE_DIR)", path);
    char *buf = malloc(IKH_SCN_FILE_MAX);
    assert_non_null(buf);
    *len = fread(buf, 1, IKH_SCN_FILE_MAX, f);
    fclose(f);
    assert_true(*len > 0);
    return buf;
}

/* Parse text; the scenario is malloc'd (it is large). */
static ikh_err parse(const char *text, size_t len, ikh_scenario **out,
                     ikh_scn_diag *d)
{
    ikh_scenario *s = malloc(sizeof *s);
    assert_non_null(s);
    ikh_err e = ikh_scn_parse(text, len, s, d);
    if (out != NULL)
        *out = s;
    else
        free(s);
    return e;
}

static bool addr_is(const ikh_addr *a, uint8_t fam, const char *hex)
{
    uint8_t b[16];
    size_t n = ikh_tl_unhex(hex, b, sizeof b);
    return a->family == fam && n == (fam == 4 ? 4u : 16u) &&
           memcmp(a->a, b, n) == 0;
}

static void test_scenario_full_example(void **state)
{
    (void)state;
    size_t len;
    char *text = load_example(&len);
    ikh_scenario *s;
    ikh_scn_diag d;
    ikh_err e = parse(text, len, &s, &d);
    if (e != IKH_OK)
        fail_msg("%s", d.msg);
    assert_string_equal(s->name, "example-full");
    assert_non_null(strstr(s->description, "RFC 7296 §1.2"));
    assert_int_equal(s->seed, 7);
    assert_int_equal(s->duration, 120000);
    assert_int_equal(s->n_peers, 3);

    /* peer a */
    const ikh_scn_peer *a = &s->peers[0];
    const ikh_ike_config *ca = &a->cfg;
    assert_string_equal(a->name, "a");
    assert_string_equal(ca->name, "a");
    assert_int_equal(a->line, 11);
    assert_true(addr_is(&ca->addr, 4, "c0000201"));
    assert_int_equal(ca->port, 500);
    assert_int_equal(ca->natt_port, 4500);
    assert_string_equal(a->remote, "b");
    assert_true(addr_is(&ca->peer_addr, 6, "20010db8000000000000000000000002"));
    assert_int_equal(ca->peer_port, 0);
    assert_int_equal(ca->n_props, 2);
    char buf[128];
    assert_ikh_ok(ikh_proposal_format(&ca->props[0], false, buf, sizeof buf));
    assert_string_equal(buf, "aes256gcm16-prfsha256-curve25519");
    assert_ikh_ok(ikh_proposal_format(&ca->props[1], false, buf, sizeof buf));
    assert_string_equal(buf, "aes128-sha256-prfsha256-modp2048");
    assert_int_equal(ca->auth.method, IKH_AUTH_SHARED_KEY_MIC);
    assert_int_equal(ca->auth.psk_len, 28);
    assert_memory_equal(ca->auth.psk, "correct horse battery staple", 28);
    assert_int_equal(ca->peer_auth.method, IKH_AUTH_SHARED_KEY_MIC);
    assert_bytes_hex("0a0b0c0d",
                     ikh_span_of(ca->peer_auth.psk, ca->peer_auth.psk_len));
    assert_int_equal(ca->id.type, IKH_ID_FQDN);
    assert_int_equal(ca->id.len, 9);
    assert_memory_equal(ca->id.data, "a.example", 9);
    assert_int_equal(ca->peer_id.type, IKH_ID_FQDN);
    assert_int_equal(ca->n_children, 2);
    const ikh_child_cfg *net = &ca->children[0];
    assert_string_equal(net->name, "net");
    assert_int_equal(net->n_props, 2);
    assert_ikh_ok(ikh_proposal_format(&net->props[0], true, buf, sizeof buf));
    assert_string_equal(buf, "aes128gcm16-esn");
    assert_int_equal(net->n_local_ts, 4);
    assert_int_equal(net->local_ts[0].type, IKH_TS_IPV4_ADDR_RANGE);
    assert_bytes_hex("0a010000", ikh_span_of(net->local_ts[0].start, 4));
    assert_bytes_hex("0a01ffff", ikh_span_of(net->local_ts[0].end, 4));
    assert_int_equal(net->local_ts[0].ip_proto, 0);
    assert_int_equal(net->local_ts[0].start_port, 0);
    assert_int_equal(net->local_ts[0].end_port, 65535);
    assert_bytes_hex("0a010203", ikh_span_of(net->local_ts[1].start, 4));
    assert_bytes_hex("0a010209", ikh_span_of(net->local_ts[1].end, 4));
    assert_int_equal(net->local_ts[2].ip_proto, 17);
    assert_int_equal(net->local_ts[2].start_port, 53);
    assert_int_equal(net->local_ts[2].end_port, 53);
    assert_int_equal(net->local_ts[3].type, IKH_TS_IPV6_ADDR_RANGE);
    assert_bytes_hex("20010db8000100000000000000000000",
                     ikh_span_of(net->local_ts[3].start, 16));
    assert_bytes_hex("20010db80001ffffffffffffffffffff",
                     ikh_span_of(net->local_ts[3].end, 16));
    assert_int_equal(net->n_remote_ts, 2);
    assert_int_equal(net->remote_ts[1].ip_proto, 6);
    assert_int_equal(net->remote_ts[1].start_port, 1000);
    assert_int_equal(net->remote_ts[1].end_port, 2000);
    assert_false(net->transport);
    assert_int_equal(net->rekey_ms, 3600000);
    assert_int_equal(net->life_ms, 7200000);
    const ikh_child_cfg *host = &ca->children[1];
    assert_string_equal(host->name, "host");
    assert_true(host->transport);
    assert_int_equal(host->n_local_ts, 1); /* default 0.0.0.0/0 */
    assert_bytes_hex("ffffffff", ikh_span_of(host->local_ts[0].end, 4));
    assert_int_equal(ca->retransmit_base_ms, 4000);
    assert_int_equal(ca->retransmit_factor_pm, 1800);
    assert_int_equal(ca->retransmit_tries, 5);
    assert_int_equal(ca->liveness_ms, 30000);
    assert_int_equal(ca->ike_rekey_ms, 4 * 3600000);
    assert_int_equal(ca->reauth_ms, 0);
    assert_int_equal(ca->ike_life_ms, 0);
    assert_int_equal(ca->jitter_pct, 10);
    assert_int_equal(ca->half_open_ms, 30000);
    assert_int_equal(ca->cookie_threshold, 0);
    assert_int_equal(ca->max_half_open, 0);
    assert_false(ca->initial_contact);
    assert_false(ca->natt_force);
    assert_true(ca->fragmentation);
    assert_int_equal(ca->fragment_size, 1280);
    assert_int_equal(ca->window, 1);
    assert_true(ca->request_ip4);
    assert_true(ca->request_ip6);
    assert_null(ca->xforms);

    /* peer b */
    const ikh_scn_peer *b = &s->peers[1];
    const ikh_ike_config *cb = &b->cfg;
    assert_true(addr_is(&cb->addr, 6, "20010db8000000000000000000000002"));
    assert_true(addr_is(&cb->peer_addr, 4, "c0000201"));
    assert_int_equal(cb->peer_port, 500);
    assert_int_equal(cb->peer_natt_port, 4500);
    assert_int_equal(cb->auth.method, IKH_AUTH_DIGITAL_SIGNATURE);
    assert_int_equal(cb->auth.scheme, IKH_SIG_ECDSA_SHA256);
    assert_null(cb->auth.key);
    assert_string_equal(b->key_path, "keys/b-ecdsa.pem");
    assert_int_equal(cb->peer_auth.method, IKH_AUTH_ECDSA_SHA256_P256);
    assert_string_equal(b->peer_key_path, "keys/a-ecdsa.pub.pem");
    assert_int_equal(cb->id.type, IKH_ID_IPV6_ADDR);
    assert_int_equal(cb->id.len, 16);
    assert_int_equal(cb->peer_id.type, IKH_ID_RFC822_ADDR);
    assert_true(cb->natt_force);
    assert_true(cb->fragmentation);
    assert_int_equal(cb->fragment_size, 0);
    assert_int_equal(cb->window, 4);
    assert_true(addr_is(&cb->pool4, 4, "0a030001"));
    assert_int_equal(cb->pool4_size, 255);
    assert_true(addr_is(&cb->pool6, 6, "20010db8000300000000000000000001"));
    assert_int_equal(cb->pool6_size, 255);
    assert_int_equal(cb->n_dns, 1);
    assert_true(addr_is(&cb->dns[0], 4, "c0000235"));
    /* defaults */
    assert_int_equal(cb->n_props, 1);
    assert_ikh_ok(ikh_proposal_format(&cb->props[0], false, buf, sizeof buf));
    assert_string_equal(buf, "aes256gcm16-prfsha256-curve25519");
    assert_int_equal(cb->n_children, 1);
    assert_string_equal(cb->children[0].name, "default");
    assert_ikh_ok(
        ikh_proposal_format(&cb->children[0].props[0], true, buf, sizeof buf));
    assert_string_equal(buf, "aes256gcm16");

    /* peer c */
    const ikh_scn_peer *c = &s->peers[2];
    assert_int_equal(c->cfg.auth.method, IKH_AUTH_RSA_SIG);
    assert_string_equal(c->key_path, "keys/c-rsa.pem");
    assert_string_equal(c->peer_key_path, "");
    assert_int_equal(c->cfg.id.type, IKH_ID_KEY_ID);
    assert_bytes_hex("0a0b", ikh_span_of(c->cfg.id.data, c->cfg.id.len));
    assert_int_equal(c->cfg.peer_id.type, IKH_ID_IPV4_ADDR);
    assert_bytes_hex("c0000201", ikh_span_of(c->cfg.peer_id.data, 4));
    assert_string_equal(c->remote, "");
    assert_int_equal(c->cfg.peer_addr.family, 0);

    /* link */
    assert_int_equal(s->n_links, 1);
    const ikh_scn_link *l = &s->links[0];
    assert_int_equal(l->a, 0);
    assert_int_equal(l->b, 1);
    assert_int_equal(l->line, 64);
    assert_int_equal(l->ab.loss_pct, 10);
    assert_int_equal(l->ba.loss_pct, 30);
    assert_int_equal(l->ab.dup_pct, 5);
    assert_int_equal(l->ab.reorder_pct, 10);
    assert_int_equal(l->ab.reorder_ms, 200);
    assert_int_equal(l->ab.delay_ms, 10);
    assert_int_equal(l->ab.jitter_ms, 5);
    assert_int_equal(l->ba.bitflip_pct, 1);
    assert_int_equal(l->ba.corrupt_pct, 1);
    assert_int_equal(l->ba.trunc_pct, 1);

    /* timeline, sorted stably by time */
    assert_int_equal(s->n_steps, 8);
    static const ikh_scn_op ops[] = {IKH_SCN_INITIATE,     IKH_SCN_REKEY_CHILD,
                                     IKH_SCN_REKEY_IKE,    IKH_SCN_CREATE_CHILD,
                                     IKH_SCN_DELETE_CHILD, IKH_SCN_LIVENESS,
                                     IKH_SCN_DELETE_IKE,   IKH_SCN_FAULTS};
    static const uint64_t at[] = {0,     10000, 20000, 25000,
                                  30000, 40000, 50000, 60000};
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(s->steps[i].op, ops[i]);
        assert_int_equal(s->steps[i].at, at[i]);
    }
    assert_int_equal(s->steps[0].line, 69);
    assert_int_equal(s->steps[0].child, 0);
    assert_int_equal(s->steps[1].line, 68);
    assert_int_equal(s->steps[1].ike_ref, 1);
    assert_int_equal(s->steps[1].child_ref, 1);
    assert_int_equal(s->steps[2].peer, 1);
    assert_int_equal(s->steps[3].child, 1);
    assert_int_equal(s->steps[7].link, 0);
    assert_int_equal(s->steps[7].dir, IKH_SIM_AB);
    assert_int_equal(s->steps[7].faults.loss_pct, 0);

    /* expectations */
    assert_int_equal(s->n_expect, 7);
    const ikh_scn_expect *x = s->expect;
    assert_int_equal(x[0].kind, IKH_SCN_X_IKE_SA);
    assert_int_equal(x[0].state, IKH_IKE_ESTABLISHED);
    assert_int_equal(x[0].cmp, IKH_SCN_EQ);
    assert_int_equal(x[0].value, 1);
    assert_true(x[0].has_suite);
    assert_int_equal(x[0].at, IKH_TIME_NEVER);
    assert_int_equal(x[0].line, 77);
    assert_string_equal(x[0].text, "a: ike_sa state=ESTABLISHED count==1 "
                                   "suite=aes256gcm16-prfsha256-curve25519");
    assert_int_equal(x[1].kind, IKH_SCN_X_CHILD_SA);
    assert_int_equal(x[1].state, IKH_CHILD_INSTALLED);
    assert_int_equal(x[1].cmp, IKH_SCN_GE);
    assert_int_equal(x[1].value, 2);
    assert_true(x[1].has_suite);
    assert_int_equal(x[1].suite.xf[0].id, IKH_ENCR_AES_GCM_16);
    assert_string_equal(x[1].text, "a: child_sa state=INSTALLED count>=2 "
                                   "suite=aes128gcm16-esn");
    assert_int_equal(x[2].kind, IKH_SCN_X_NOTIFY);
    assert_int_equal(x[2].peer, 1);
    assert_true(x[2].sent);
    assert_int_equal(x[2].notify, IKH_N_NO_PROPOSAL_CHOSEN);
    assert_int_equal(x[2].cmp, IKH_SCN_GE);
    assert_string_equal(x[2].text,
                        "b: notify sent=NO_PROPOSAL_CHOSEN count>=1");
    assert_int_equal(x[3].kind, IKH_SCN_X_METRIC);
    assert_true(x[3].any_peer);
    assert_string_equal(x[3].metric, "ikh_ike_handshakes_total");
    assert_int_equal(x[3].value, 2);
    assert_string_equal(x[3].text,
                        "*: metric ikh_ike_handshakes_total value==2");
    assert_false(x[4].any_peer);
    assert_string_equal(x[4].label, "IKE_AUTH");
    assert_int_equal(x[4].cmp, IKH_SCN_LE);
    assert_int_equal(x[4].value, 3);
    assert_int_equal(x[5].kind, IKH_SCN_X_LOG);
    assert_int_equal(x[5].at, 30000);
    assert_string_equal(x[5].event, "ike.sa.state");
    assert_int_equal(x[5].n_fields, 1);
    assert_string_equal(x[5].fields[0].key, "to");
    assert_string_equal(x[5].fields[0].value, "ESTABLISHED");
    assert_string_equal(x[5].text,
                        "a@30000ms: log ev=ike.sa.state to=ESTABLISHED "
                        "count>=1");
    assert_int_equal(x[6].kind, IKH_SCN_X_NOTIFY);
    assert_false(x[6].sent);
    assert_int_equal(x[6].notify, IKH_N_INVALID_KE_PAYLOAD);
    assert_int_equal(x[6].cmp, IKH_SCN_LE);
    assert_int_equal(x[6].value, 1);
    assert_int_equal(x[6].line, 83);
    free(s);
    free(text);
}

/* A minimal valid scenario: lines 1-10. */
#define BASE                                                                   \
    "name: t\n"                         /* 1 */                                \
    "peers:\n"                          /* 2 */                                \
    "  a:\n"                            /* 3 */                                \
    "    address: 192.0.2.1\n"          /* 4 */                                \
    "    remote: b\n"                   /* 5 */                                \
    "    auth: {method: psk, psk: x}\n" /* 6 */                                \
    "  b:\n"                            /* 7 */                                \
    "    address: 192.0.2.2\n"          /* 8 */                                \
    "    remote: a\n"                   /* 9 */                                \
    "    auth: {method: psk, psk: x}\n" /* 10 */

/* Peer a up to its auth, to add keys at line 7. */
#define PEER_A                                                                 \
    "name: t\n"                                                                \
    "peers:\n"                                                                 \
    "  a:\n"                                                                   \
    "    address: 192.0.2.1\n"                                                 \
    "    remote: a2\n"                                                         \
    "    auth: {method: psk, psk: x}\n"
#define PEER_A2 "  a2: {address: 192.0.2.9, auth: {method: psk, psk: y}}\n"

static void test_scenario_base_ok(void **state)
{
    (void)state;
    ikh_scenario *s;
    ikh_scn_diag d;
    assert_ikh_ok(parse(BASE, strlen(BASE), &s, &d));
    assert_int_equal(s->n_peers, 2);
    assert_int_equal(s->seed, 1);
    assert_int_equal(s->duration, 600000);
    assert_int_equal(s->peers[1].line, 7);
    assert_int_equal(s->peers[0].cfg.peer_auth.psk_len, 1);
    free(s);
    const char *t = PEER_A "    window: 2\n" PEER_A2;
    assert_ikh_ok(parse(t, strlen(t), NULL, &d));
}

/* A bad input, its error and line. */
typedef struct bad_case {
    const char *text;
    ikh_err err;
    uint32_t line;
} bad_case;

static const bad_case bad_cases[] = {
    /* syntax and structure */
    {"name: [t\n", IKH_ERR_SCN_SYNTAX, 2},
    {"name: t\n  bad indent: x\n", IKH_ERR_SCN_SYNTAX, 2},
    {"name: t\n---\nname: u\n", IKH_ERR_SCN_SYNTAX, 2},
    {"- a\n- b\n", IKH_ERR_SCN_SCHEMA, 1},
    {"", IKH_ERR_SCN_SCHEMA, 0},
    {"x: &a 1\ny: *a\n", IKH_ERR_SCN_SCHEMA, 2},
    {"name: t\nname: u\n", IKH_ERR_SCN_SCHEMA, 2},
    {"nme: t\n", IKH_ERR_SCN_SCHEMA, 1},
    {"name: t\n", IKH_ERR_SCN_SCHEMA, 1},
    {"peers: {a: {address: 192.0.2.1, auth: {method: psk, psk: x}}}\n",
     IKH_ERR_SCN_SCHEMA, 1},
    {"name: [t]\npeers: {}\n", IKH_ERR_SCN_SCHEMA, 1},
    {"name: t\npeers: {}\n", IKH_ERR_SCN_SCHEMA, 2},
    {"name: t\npeers: []\n", IKH_ERR_SCN_SCHEMA, 2},
    {"name: \"a\\0b\"\npeers: {}\n", IKH_ERR_SCN_VALUE, 1},
    {"name: ''\npeers: {}\n", IKH_ERR_SCN_VALUE, 1},
    /* top-level values */
    {BASE "seed: -1\n", IKH_ERR_SCN_VALUE, 11},
    {BASE "seed: 18446744073709551616\n", IKH_ERR_SCN_VALUE, 11},
    {BASE "duration: 10x\n", IKH_ERR_SCN_VALUE, 11},
    {BASE "duration: 5124095576030432h\n", IKH_ERR_SCN_VALUE, 11},
    {BASE "description: [x]\n", IKH_ERR_SCN_SCHEMA, 11},
    /* peers */
    {"name: t\npeers:\n  A: {address: 192.0.2.1}\n", IKH_ERR_SCN_VALUE, 3},
    {"name: t\npeers:\n  a: {address: 192.0.2.1, auth: {method: psk, psk: x}}\n"
     "  a: {address: 192.0.2.2, auth: {method: psk, psk: x}}\n",
     IKH_ERR_SCN_SCHEMA, 4},
    {PEER_A "    adress: 1.2.3.4\n" PEER_A2, IKH_ERR_SCN_SCHEMA, 7},
    {PEER_A "    port: 0\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    natt_port: 65536\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {"name: t\npeers:\n  a:\n    auth: {method: psk, psk: x}\n",
     IKH_ERR_SCN_SCHEMA, 4},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.256\n", IKH_ERR_SCN_VALUE, 4},
    {"name: t\npeers:\n  a:\n    address: 2001:db8::1::2\n", IKH_ERR_SCN_VALUE,
     4},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n", IKH_ERR_SCN_SCHEMA, 4},
    {PEER_A "    proposals: [aes257-sha256-modp2048]\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    proposals: [aes128-sha256]\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    proposals: []\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    proposals: [x25519, x25519, x25519, x25519, x25519,\n"
            "      x25519, x25519, x25519, x25519]\n" PEER_A2,
     IKH_ERR_SCN_LIMIT, 7},
    {PEER_A "    proposals: aes128-sha256-modp2048\n" PEER_A2,
     IKH_ERR_SCN_SCHEMA, 7},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: dsa, psk: x}\n",
     IKH_ERR_SCN_VALUE, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: psk}\n",
     IKH_ERR_SCN_SCHEMA, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: psk, psk: x, psk_hex: 0a}\n",
     IKH_ERR_SCN_SCHEMA, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: psk, psk_hex: 0a0}\n",
     IKH_ERR_SCN_VALUE, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: rsa}\n",
     IKH_ERR_SCN_SCHEMA, 5},
    /* a ds key without scheme is fine (the key decides); the peer's
     * key is what is missing */
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: ds, key: k.pem}\n",
     IKH_ERR_SCN_SCHEMA, 4},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: ds, key: k.pem, scheme: rsa-md5}\n",
     IKH_ERR_SCN_VALUE, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: rsa, key: k.pem, psk: x}\n",
     IKH_ERR_SCN_SCHEMA, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n"
     "    auth: {method: rsa, key: k.pem}\n",
     IKH_ERR_SCN_SCHEMA, 4},
    {PEER_A "    id: dn:CN=x\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    id: ipv4:2001:db8::1\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    peer_id: keyid:0g\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    children: []\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    children:\n      - {proposals: [aes128gcm16]}\n" PEER_A2,
     IKH_ERR_SCN_SCHEMA, 8},
    {PEER_A "    children:\n      - {name: n}\n      - {name: n}\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - {name: n, proposals: [aes128gcm16-"
            "prfsha256]}\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 8},
    {PEER_A "    children:\n      - name: n\n        local_ts: "
            "[10.0.0.0/33]\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - name: n\n        local_ts: "
            "[\"10.0.0.9-10.0.0.1\"]\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - name: n\n        remote_ts: "
            "[\"10.0.0.0/8[sctp/1]\"]\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - name: n\n        remote_ts: "
            "[\"10.0.0.0/8[udp/9-1]\"]\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - name: n\n        mode: beet\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    children:\n      - name: n\n        rekey: 1d\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 9},
    {PEER_A "    retransmit: {base: 4s, factor: 0.5}\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    retransmit: {base: 4s, factor: 1.8555}\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    retransmit: {tries: 256}\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    retransmit: {base: 5000000000}\n" PEER_A2, IKH_ERR_SCN_VALUE,
     7},
    {PEER_A "    jitter: 101%\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    initial_contact: yes\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    natt: never\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    fragmentation: {enabled: true, size: 100}\n" PEER_A2,
     IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    window: 0\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    request: [ip4, ip4]\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    request: [ip5]\n" PEER_A2, IKH_ERR_SCN_VALUE, 7},
    {PEER_A "    pool: {ip4: \"2001:db8::/64\"}\n" PEER_A2, IKH_ERR_SCN_VALUE,
     7},
    {PEER_A
     "    pool: {dns: [1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5]}\n" PEER_A2,
     IKH_ERR_SCN_LIMIT, 7},
    {PEER_A "    pool: {ip4: 10.0.0.1/24, size: 4}\n" PEER_A2,
     IKH_ERR_SCN_SCHEMA, 7},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n    remote: zz\n"
     "    auth: {method: psk, psk: x}\n",
     IKH_ERR_SCN_REF, 5},
    {"name: t\npeers:\n  a:\n    address: 192.0.2.1\n    remote: a\n"
     "    auth: {method: psk, psk: x}\n",
     IKH_ERR_SCN_REF, 5},
    /* links */
    {BASE "links:\n  - between: [a, c]\n", IKH_ERR_SCN_REF, 12},
    {BASE "links:\n  - between: [a, a]\n", IKH_ERR_SCN_VALUE, 12},
    {BASE "links:\n  - between: [a]\n", IKH_ERR_SCN_VALUE, 12},
    {BASE "links:\n  - faults: {loss: 1%}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "links:\n  - between: [a, b]\n    faults: {los: 1%}\n",
     IKH_ERR_SCN_SCHEMA, 13},
    {BASE "links:\n  - between: [a, b]\n    faults: {loss: 150%}\n",
     IKH_ERR_SCN_VALUE, 13},
    {BASE "links:\n  - between: [a, b]\n    b_to_c: {loss: 1%}\n",
     IKH_ERR_SCN_SCHEMA, 13},
    {BASE "links:\n  - between: [a, b]\n  - between: [b, a]\n",
     IKH_ERR_SCN_VALUE, 13},
    {BASE "links:\n  - between: [a, b]\n    faults: {delay: 5000000s}\n",
     IKH_ERR_SCN_VALUE, 13},
    /* timeline */
    {BASE "timeline:\n  - {do: initiate, peer: a}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "timeline:\n  - {at: 1s, do: explode, peer: a}\n", IKH_ERR_SCN_VALUE,
     12},
    {BASE "timeline:\n  - {at: 1s, do: initiate, peer: c}\n", IKH_ERR_SCN_REF,
     12},
    {BASE "timeline:\n  - {at: 1s, do: initiate}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "timeline:\n  - {at: 1s, do: initiate, peer: a, child: net}\n",
     IKH_ERR_SCN_REF, 12},
    {BASE "timeline:\n  - {at: 1s, do: rekey_ike, peer: a, child: default}\n",
     IKH_ERR_SCN_SCHEMA, 12},
    {BASE "timeline:\n  - {at: 1s, do: delete_child, peer: a, ike_sa: -1}\n",
     IKH_ERR_SCN_VALUE, 12},
    {BASE "timeline:\n  - {at: 1s, do: faults, between: [a, b], faults: {}}\n",
     IKH_ERR_SCN_REF, 12},
    {BASE "links:\n  - between: [a, b]\n"
          "timeline:\n  - {at: 1s, do: faults, between: [a, b], dir: up,"
          " faults: {}}\n",
     IKH_ERR_SCN_VALUE, 14},
    {BASE "links:\n  - between: [a, b]\n"
          "timeline:\n  - {at: 1s, do: faults, between: [a, b]}\n",
     IKH_ERR_SCN_SCHEMA, 14},
    {BASE "timeline: {at: 1s}\n", IKH_ERR_SCN_SCHEMA, 11},
    /* expect */
    {BASE "expect:\n  - {peer: a}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - {peer: a, ike_sa: {}, notify: {sent: 1}}\n",
     IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - {ike_sa: {state: ESTABLISHED}}\n", IKH_ERR_SCN_SCHEMA,
     12},
    {BASE "expect:\n  - {peer: a, ike_sa: {state: INSTALLED}}\n",
     IKH_ERR_SCN_VALUE, 12},
    {BASE "expect:\n  - {peer: a, child_sa: {count: \"=> 1\"}}\n",
     IKH_ERR_SCN_VALUE, 12},
    {BASE "expect:\n  - {peer: a, ike_sa: {suite: aes128}}\n",
     IKH_ERR_SCN_VALUE, 12},
    {BASE "expect:\n  - {peer: a, ike_sa: {count: 1}, count: 2}\n",
     IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - {peer: b, notify: {sent: NO_SUCH_THING}}\n",
     IKH_ERR_SCN_VALUE, 12},
    {BASE "expect:\n  - {peer: b, notify: {sent: 7, received: 7}}\n",
     IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - {metric: {value: 2}}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - {metric: {name: m, value: x}}\n", IKH_ERR_SCN_VALUE,
     12},
    {BASE "expect:\n  - {log: {to: ESTABLISHED}}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - log: {ev: e, a: 1, a: 2}\n", IKH_ERR_SCN_SCHEMA, 12},
    {BASE "expect:\n  - log: {ev: e, f1: 1, f2: 1, f3: 1, f4: 1, f5: 1, "
          "f6: 1, f7: 1, f8: 1, f9: 1}\n",
     IKH_ERR_SCN_LIMIT, 12},
    {BASE "expect:\n  - {at: soon, peer: a, log: {ev: e}}\n", IKH_ERR_SCN_VALUE,
     12},
};

static void test_scenario_bad_inputs(void **state)
{
    (void)state;
    size_t n = sizeof bad_cases / sizeof bad_cases[0];
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        const bad_case *b = &bad_cases[i];
        ikh_scn_diag d;
        ikh_scenario *s;
        memset(&d, 0xa5, sizeof d);
        ikh_err e = parse(b->text, strlen(b->text), &s, &d);
        if (e != b->err || d.err != b->err || d.line != b->line)
            fail_msg("case %zu: got %s line %u (%s), want %s line %u", i,
                     ikh_err_name(e), (unsigned)d.line, d.msg,
                     ikh_err_name(b->err), (unsigned)b->line);
        /* one line of text, with the position when known */
        assert_null(strchr(d.msg, '\n'));
        assert_true(strlen(d.msg) > 0);
        if (b->line > 0) {
            char want[32];
            snprintf(want, sizeof want, "line %u, column ", (unsigned)b->line);
            assert_true(strncmp(d.msg, want, strlen(want)) == 0);
            assert_true(d.column > 0);
        }
        /* the output is zeroed on failure */
        assert_int_equal(s->n_peers, 0);
        free(s);
    }
}

static void test_scenario_messages(void **state)
{
    (void)state;
    ikh_scn_diag d;
    const char *t = PEER_A "    proposals: [aes128-sha256-modp2048, "
                           "aes257-sha256-modp2048]\n" PEER_A2;
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_VALUE);
    assert_string_equal(d.msg, "line 7, column 41: peers.a.proposals[1]: "
                               "unknown keyword 'aes257'");
    t = PEER_A "    proposals: [aes128-sha256-sha256-modp2048]\n" PEER_A2;
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_VALUE);
    assert_non_null(strstr(d.msg, "keyword 'sha256' repeated"));
    /* text from the file never breaks the line (fuzz finding) */
    t = PEER_A "    proposals: [\"aes\\nx\\u0001\"]\n" PEER_A2;
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_VALUE);
    assert_string_equal(d.msg, "line 7, column 17: peers.a.proposals[0]: "
                               "unknown keyword 'aes?x?'");
    t = "name: t\nnme: u\n";
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_SCHEMA);
    assert_string_equal(d.msg, "line 2, column 1: (top): unknown key 'nme'");
    t = BASE "links:\n  - between: [a, b]\n    faults: {loss: 150%}\n";
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_VALUE);
    assert_string_equal(d.msg, "line 13, column 20: links[0].faults.loss: "
                               "'150%' is not a percentage 0..100");
    /* NUL octet in the file */
    static const char nul[] = "name: t\npe\0ers: {}\n";
    assert_ikh_err(parse(nul, sizeof nul - 1, NULL, &d), IKH_ERR_SCN_SYNTAX);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.column, 3);
    /* NULL diag and NULL arguments */
    assert_ikh_err(ikh_scn_parse("x", 1, NULL, NULL), IKH_ERR_ARG_INVALID);
    ikh_scenario *s = malloc(sizeof *s);
    assert_ikh_err(ikh_scn_parse(NULL, 3, s, NULL), IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_scn_parse("x", 1, s, NULL), IKH_ERR_SCN_SCHEMA);
    free(s);
}

static void test_scenario_values(void **state)
{
    (void)state;
    /* durations, percentages, counts, addresses, selectors */
    const char *t = PEER_A
        "    liveness: 250\n"
        "    ike_rekey: 250ms\n"
        "    reauth: 2m\n"
        "    jitter: 0\n"
        "    fragmentation: false\n"
        "    pool: {ip4: 10.0.0.0/8, ip6: \"::1/128\"}\n"
        "    children:\n"
        "      - name: v6\n"
        "        local_ts: [\"::/0\", \"::ffff:10.0.0.1\", "
        "\"fe80::1-fe80::ff[icmpv6]\", \"10.0.0.1[58/1-2]\"]\n"
        "        remote_ts: [\"10.0.0.0/8[any]\"]\n" PEER_A2 "expect:\n"
        "  - {peer: a, ike_sa: {state: any, count: \"!= 0\"}}\n"
        "  - {peer: a, ike_sa: {count: \"<5\"}}\n"
        "  - {peer: a, child_sa: {count: \">0\", suite: aes128gcm16-esn}}\n"
        "  - {peer: a2, notify: {received: 16388, count: 2}}\n";
    ikh_scenario *s;
    ikh_scn_diag d;
    ikh_err e = parse(t, strlen(t), &s, &d);
    if (e != IKH_OK)
        fail_msg("%s", d.msg);
    const ikh_ike_config *c = &s->peers[0].cfg;
    assert_int_equal(c->liveness_ms, 250);
    assert_int_equal(c->ike_rekey_ms, 250);
    assert_int_equal(c->reauth_ms, 120000);
    assert_false(c->fragmentation);
    assert_int_equal(c->pool4_size, 65535); /* capped */
    assert_bytes_hex("0a000000", ikh_span_of(c->pool4.a, 4));
    assert_int_equal(c->pool6_size, 1);
    const ikh_child_cfg *ch = &c->children[0];
    assert_int_equal(ch->local_ts[0].type, IKH_TS_IPV6_ADDR_RANGE);
    assert_bytes_hex("ffffffffffffffffffffffffffffffff",
                     ikh_span_of(ch->local_ts[0].end, 16));
    assert_bytes_hex("00000000000000000000ffff0a000001",
                     ikh_span_of(ch->local_ts[1].start, 16));
    assert_int_equal(ch->local_ts[2].ip_proto, 58);
    assert_bytes_hex("fe8000000000000000000000000000ff",
                     ikh_span_of(ch->local_ts[2].end, 16));
    assert_int_equal(ch->local_ts[3].ip_proto, 58);
    assert_int_equal(ch->local_ts[3].start_port, 1);
    assert_int_equal(ch->local_ts[3].end_port, 2);
    assert_int_equal(s->expect[0].state, -1);
    assert_int_equal(s->expect[0].cmp, IKH_SCN_NE);
    assert_int_equal(s->expect[1].cmp, IKH_SCN_LT);
    assert_int_equal(s->expect[1].value, 5);
    assert_int_equal(s->expect[2].cmp, IKH_SCN_GT);
    assert_true(s->expect[2].has_suite);
    assert_int_equal(s->expect[3].notify, 16388);
    assert_false(s->expect[3].sent);
    assert_int_equal(s->expect[3].value, 2);
    assert_int_equal(s->expect[3].cmp, IKH_SCN_EQ);
    assert_string_equal(s->expect[3].text,
                        "a2: notify received=NAT_DETECTION_SOURCE_IP count==2");
    free(s);
}

/* Append to a growing text buffer. */
static void cat(char *buf, size_t cap, const char *s)
{
    size_t l = strlen(buf), n = strlen(s);
    assert_true(l + n < cap);
    memcpy(buf + l, s, n + 1);
}

static void test_scenario_limits(void **state)
{
    (void)state;
    size_t cap = 64 * 1024;
    char *t = calloc(1, cap);
    char line[160];
    ikh_scn_diag d;
    /* 8 peers fit, 9 do not */
    for (unsigned n = 8; n <= 9; n++) {
        t[0] = '\0';
        cat(t, cap, "name: t\npeers:\n");
        for (unsigned i = 0; i < n; i++) {
            snprintf(line, sizeof line,
                     "  p%u: {address: 192.0.2.%u, auth: {method: psk, psk: "
                     "x}}\n",
                     i, i + 1);
            cat(t, cap, line);
        }
        ikh_err e = parse(t, strlen(t), NULL, &d);
        assert_int_equal(e, n == 8 ? IKH_OK : IKH_ERR_SCN_LIMIT);
        if (n == 9)
            assert_int_equal(d.line, 11);
    }
    /* 128 steps fit, 129 do not; 128 expectations likewise */
    for (unsigned n = 128; n <= 129; n++) {
        t[0] = '\0';
        cat(t, cap, BASE "timeline:\n");
        for (unsigned i = 0; i < n; i++) {
            snprintf(line, sizeof line,
                     "  - {at: %us, do: liveness, peer: a}\n", n - i);
            cat(t, cap, line);
        }
        cat(t, cap, "expect:\n");
        for (unsigned i = 0; i < 128; i++)
            cat(t, cap, "  - {peer: a, ike_sa: {}}\n");
        ikh_scenario *s;
        ikh_err e = parse(t, strlen(t), &s, &d);
        assert_int_equal(e, n == 128 ? IKH_OK : IKH_ERR_SCN_LIMIT);
        if (n == 128) {
            assert_int_equal(s->n_steps, 128);
            assert_int_equal(s->n_expect, 128);
            assert_int_equal(s->steps[0].at, 1000);
            assert_int_equal(s->steps[127].at, 128000);
        } else {
            assert_int_equal(d.line, 12 + 128);
        }
        free(s);
    }
    t[0] = '\0';
    cat(t, cap, BASE "expect:\n");
    for (unsigned i = 0; i < 129; i++)
        cat(t, cap, "  - {peer: a, ike_sa: {}}\n");
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_LIMIT);
    /* 16 links fit, 17 do not (8 peers, distinct pairs) */
    for (unsigned n = 16; n <= 17; n++) {
        t[0] = '\0';
        cat(t, cap, "name: t\npeers:\n");
        for (unsigned i = 0; i < 8; i++) {
            snprintf(line, sizeof line,
                     "  p%u: {address: 192.0.2.%u, auth: {method: psk, psk: "
                     "x}}\n",
                     i, i + 1);
            cat(t, cap, line);
        }
        cat(t, cap, "links:\n");
        unsigned made = 0;
        for (unsigned i = 0; i < 8 && made < n; i++) {
            for (unsigned k = i + 1; k < 8 && made < n; k++, made++) {
                snprintf(line, sizeof line, "  - {between: [p%u, p%u]}\n", i,
                         k);
                cat(t, cap, line);
            }
        }
        ikh_scenario *s;
        ikh_err e = parse(t, strlen(t), &s, &d);
        assert_int_equal(e, n == 16 ? IKH_OK : IKH_ERR_SCN_LIMIT);
        if (n == 16)
            assert_int_equal(s->n_links, 16);
        else
            assert_int_equal(d.line, 11 + 17);
        free(s);
    }
    /* nesting: 16 levels pass the depth check, 17 do not */
    for (unsigned depth = 16; depth <= 17; depth++) {
        t[0] = '\0';
        cat(t, cap, "x: ");
        for (unsigned i = 1; i < depth; i++)
            cat(t, cap, "[");
        for (unsigned i = 1; i < depth; i++)
            cat(t, cap, "]");
        ikh_err e = parse(t, strlen(t), NULL, &d);
        assert_int_equal(e,
                         depth == 16 ? IKH_ERR_SCN_SCHEMA : IKH_ERR_SCN_LIMIT);
    }
    /* a very deep document stops early */
    memset(t, '[', cap - 1);
    t[cap - 1] = '\0';
    assert_ikh_err(parse(t, cap - 1, NULL, &d), IKH_ERR_SCN_LIMIT);
    assert_int_equal(d.column, 17);
    /* size limit */
    assert_ikh_err(parse(t, IKH_SCN_FILE_MAX + 1u, NULL, &d),
                   IKH_ERR_IO_TOO_BIG);
    /* long texts */
    t[0] = '\0';
    cat(t, cap, "name: ");
    for (unsigned i = 0; i < 300; i++)
        cat(t, cap, "n");
    cat(t, cap, "\npeers: {}\n");
    assert_ikh_err(parse(t, strlen(t), NULL, &d), IKH_ERR_SCN_VALUE);
    free(t);
}

static void test_scenario_fuzzish(void **state)
{
    (void)state;
    size_t len;
    char *text = load_example(&len);
    ikh_scenario *s = malloc(sizeof *s);
    char *copy = malloc(len);
    ikh_scn_diag d;
    size_t ok = 0;
    /* every prefix, in a buffer of exactly that length */
    for (size_t n = 0; n <= len; n++) {
        char *pfx = malloc(n > 0 ? n : 1);
        memcpy(pfx, text, n);
        ikh_err e = ikh_scn_parse(pfx, n, s, &d);
        if (e == IKH_OK)
            ok++;
        else
            assert_true(e >= 110 && e <= 114);
        free(pfx);
    }
    assert_true(ok >= 1);
    /* flip each byte to a few values */
    static const uint8_t vals[] = {0x00, 0xff, '[', '{', ':', '-',
                                   '\n', '&',  '*', '"', 'x', '9'};
    uint32_t x = 12345;
    for (size_t i = 0; i < len; i++) {
        memcpy(copy, text, len);
        x = x * 1103515245u + 12345u;
        copy[i] = (char)vals[(x >> 16) % sizeof vals];
        ikh_err e = ikh_scn_parse(copy, len, s, &d);
        assert_true(e == IKH_OK || (e >= 110 && e <= 114));
        memcpy(copy, text, len);
        copy[i] = (char)(copy[i] ^ (1u << ((x >> 8) & 7u)));
        e = ikh_scn_parse(copy, len, s, &d);
        assert_true(e == IKH_OK || (e >= 110 && e <= 114));
    }
    free(copy);
    free(s);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_full_example),
        cmocka_unit_test(test_scenario_base_ok),
        cmocka_unit_test(test_scenario_bad_inputs),
        cmocka_unit_test(test_scenario_messages),
        cmocka_unit_test(test_scenario_values),
        cmocka_unit_test(test_scenario_limits),
        cmocka_unit_test(test_scenario_fuzzish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
