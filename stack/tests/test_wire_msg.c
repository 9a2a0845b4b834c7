/* SPDX-License-Identifier: MIT */
/*
 * Wire codec behaviour the generated round trip does not pin: known-good
 * messages pass verify, inner (decrypted) payload chains, SK Next Payload
 * derivation, writer limits, codec limits, SK envelope splitting, reserved
 * fields kept octet for octet.
 */
#include <stdlib.h>

#include "ikh/wire.h"
#include "testlib.h"

/* RFC 7296 §1.2 IKE_SA_INIT request: HDR, SAi1, KEi, Ni, N(NAT_D) x2 —
 * assembled by hand (AES-CBC-256, HMAC-SHA2-256, HMAC-SHA2-256-128, ECP-256).
 */
static const char *INIT_REQ =
    "a1b2c3d4e5f60718"
    "0000000000000000"
    "21"
    "20"
    "22"
    "08"
    "00000000"
    "000000e0"
    /* SA */ "22000030"
    "0000002c"
    "01010004"
    "0300000c"
    "0100000c"
    "800e0100"
    "03000008"
    "02000005"
    "03000008"
    "0300000c"
    "00000008"
    "04000013"
    /* KE, 64 octets */ "28000048"
    "00130000"
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    /* Ni, 16 octets */ "29000014"
    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
    /* N(NAT_DETECTION_SOURCE_IP) */ "2900001c"
    "00004004"
    "0102030405060708090a0b0c0d0e0f1011121314"
    /* N(NAT_DETECTION_DESTINATION_IP) */ "0000001c"
    "00004005"
    "15161718191a1b1c1d1e1f202122232425262728";

static uint8_t buf[65536];
static uint8_t out[65536];

static size_t load(const char *hex)
{
    size_t n = ikh_tl_unhex(hex, buf, sizeof buf);
    assert_true(n != (size_t)-1);
    return n;
}

static void test_init_request_parses_verifies_roundtrips(void **state)
{
    (void)state;
    ikh_msg *m = malloc(sizeof *m), *m2 = malloc(sizeof *m2);
    size_t n = load(INIT_REQ), olen = 0;
    ikh_diag d;
    assert_int_equal(n, 224);
    /* one octet less: the last Notify runs past the message */
    buf[27] = 223;
    assert_ikh_err(ikh_wire_msg_parse(m, buf, n - 1, &d),
                   IKH_ERR_WIRE_PL_LEN_OVERRUN);
    assert_int_equal(d.payload, IKH_PL_NOTIFY);
    assert_int_equal(d.pl_index, 4);
    assert_int_equal(d.offset, 196 + 2);
    buf[27] = 224;
    assert_ikh_ok(ikh_wire_msg_parse(m, buf, n, &d));
    assert_int_equal(m->n_pl, 5);
    assert_int_equal(m->hdr.exch, IKH_EXCH_IKE_SA_INIT);
    assert_int_equal(m->pl[0].u.sa.count, 1);
    assert_int_equal(m->prop[0].xf_count, 4);
    uint16_t bits = 0;
    assert_true(ikh_wire_xform_keylen(m, &m->xf[0], &bits));
    assert_int_equal(bits, 256);
    assert_false(ikh_wire_xform_keylen(m, &m->xf[1], &bits));
    assert_int_equal(m->pl[1].u.ke.group, IKH_KE_ECP256);
    assert_int_equal(m->pl[1].u.ke.data.len, 64);
    assert_int_equal(m->pl[3].u.notify.type, IKH_N_NAT_DETECTION_SOURCE_IP);
    assert_ikh_ok(ikh_wire_msg_verify(m, &d));
    assert_ikh_ok(ikh_wire_msg_serialize(m, out, sizeof out, &olen));
    assert_int_equal(olen, n);
    assert_memory_equal(out, buf, n);
    assert_ikh_ok(ikh_wire_msg_parse(m2, out, olen, NULL));
    assert_true(ikh_wire_msg_eq(m, m2));
    /* a smaller buffer: WIRE_NOBUF, never a partial success */
    for (size_t cap = 0; cap < n; cap += 7)
        assert_ikh_err(ikh_wire_msg_serialize(m, out, cap, &olen),
                       IKH_ERR_WIRE_NOBUF);
    free(m);
    free(m2);
}

/* Reserved fields and the critical bit on known payloads are kept as read
 * (RFC 7296 §3.2: ignored on receipt), so the round trip is octet-exact. */
static void test_reserved_fields_kept(void **state)
{
    (void)state;
    ikh_msg *m = malloc(sizeof *m);
    size_t n = load("0102030405060708"
                    "0000000000000000"
                    "22"
                    "20"
                    "25"
                    "08"
                    "00000000"
                    "00000034"
                    "2880000c"
                    "0013abcd"
                    "01020304" /* KE with reserved 0xabcd, critical */
                    "00000014"
                    "000102030405060708090a0b0c0d0e0f"),
           olen;
    buf[27] = (uint8_t)n;
    assert_ikh_ok(ikh_wire_msg_parse(m, buf, n, NULL));
    assert_int_equal(m->pl[0].flags, 0x80);
    assert_int_equal(m->pl[0].u.ke.reserved, 0xabcd);
    assert_ikh_ok(ikh_wire_msg_serialize(m, out, sizeof out, &olen));
    assert_int_equal(olen, n);
    assert_memory_equal(out, buf, n);
    free(m);
}

/* RFC 7296 §3.14: the SK header's Next Payload names the first inner
 * payload. Inner chains parse into the same message (in_sk) and serialize
 * back as the plaintext; the outer SK then takes its Next Payload from them. */
static void test_inner_chain(void **state)
{
    (void)state;
    ikh_msg *m = malloc(sizeof *m), *m2 = malloc(sizeof *m2);
    ikh_wire_msg_init(m);
    m->hdr.ispi = 0x1111111111111111ull;
    m->hdr.rspi = 0x2222222222222222ull;
    m->hdr.version = 0x20;
    m->hdr.exch = IKH_EXCH_IKE_AUTH;
    m->hdr.flags = IKH_HDR_F_INITIATOR;
    m->hdr.mid = 1;
    static const uint8_t body[48] = {0};
    ikh_pl *sk = ikh_wire_pl_add(m, IKH_PL_SK);
    sk->u.sk.body = ikh_span_of(body, sizeof body);
    sk->u.sk.inner = IKH_PL_NONE;
    ikh_pl *id = ikh_wire_pl_add(m, IKH_PL_IDI);
    id->in_sk = true;
    id->u.id.id_type = IKH_ID_FQDN;
    id->u.id.data = ikh_span_of((const uint8_t *)"a.example", 9);
    ikh_pl *au = ikh_wire_pl_add(m, IKH_PL_AUTH);
    au->in_sk = true;
    au->u.auth.method = IKH_AUTH_SHARED_KEY_MIC;
    au->u.auth.data = ikh_span_of(body, 32);
    size_t olen, ilen;
    uint8_t plain[256];
    assert_ikh_ok(ikh_wire_inner_serialize(m, plain, sizeof plain, &ilen));
    assert_int_equal(ilen, 4 + 4 + 9 + 4 + 4 + 32);
    assert_int_equal(plain[0], IKH_PL_AUTH); /* IDi names AUTH next */
    assert_ikh_ok(ikh_wire_msg_serialize(m, out, sizeof out, &olen));
    assert_int_equal(out[16], IKH_PL_SK);
    assert_int_equal(out[28], IKH_PL_IDI); /* SK Next Payload = first inner */
    assert_ikh_ok(ikh_wire_msg_parse(m2, out, olen, NULL));
    assert_int_equal(m2->pl[0].u.sk.inner, IKH_PL_IDI);
    assert_ikh_ok(ikh_wire_msg_parse_inner(m2, m2->pl[0].u.sk.inner, plain,
                                           ilen, 0, NULL));
    assert_int_equal(m2->n_pl, 3);
    m->pl[0].u.sk.inner = IKH_PL_IDI;
    assert_true(ikh_wire_msg_eq(m, m2));
    /* the rules now see the inner payloads: IDi + AUTH is a fine request */
    ikh_diag d;
    assert_ikh_ok(ikh_wire_msg_verify(m2, &d));
    /* a nested SK inside SK is refused */
    uint8_t nested[] = {0, 0, 0, 8, 1, 2, 3, 4};
    assert_ikh_err(
        ikh_wire_msg_parse_inner(m2, IKH_PL_SK, nested, sizeof nested, 100, &d),
        IKH_ERR_WIRE_PL_AFTER_SK);
    assert_int_equal(d.offset, 100);
    /* SK anywhere but last cannot be serialized */
    ikh_wire_msg_init(m);
    m->hdr.version = 0x20;
    ikh_wire_pl_add(m, IKH_PL_SK);
    ikh_wire_pl_add(m, IKH_PL_NONCE);
    assert_ikh_err(ikh_wire_msg_serialize(m, out, sizeof out, &olen),
                   IKH_ERR_ARG_INVALID);
    free(m);
    free(m2);
}

static void test_limits(void **state)
{
    (void)state;
    ikh_msg *m = malloc(sizeof *m);
    /* IKH_WIRE_MAX_PAYLOADS + 1 empty Vendor IDs */
    size_t n = 28;
    memset(buf, 0, sizeof buf);
    buf[0] = 1;
    buf[16] = IKH_PL_VID;
    buf[17] = 0x20;
    buf[18] = IKH_EXCH_INFORMATIONAL;
    for (unsigned i = 0; i <= IKH_WIRE_MAX_PAYLOADS; i++) {
        buf[n] = i < IKH_WIRE_MAX_PAYLOADS ? IKH_PL_VID : 0;
        buf[n + 3] = 4;
        n += 4;
    }
    buf[26] = (uint8_t)(n >> 8);
    buf[27] = (uint8_t)n;
    ikh_diag d;
    assert_ikh_err(ikh_wire_msg_parse(m, buf, n, &d),
                   IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    assert_int_equal(d.offset, 28 + 4 * IKH_WIRE_MAX_PAYLOADS);
    /* builder refuses past the limit */
    ikh_wire_msg_init(m);
    for (unsigned i = 0; i < IKH_WIRE_MAX_PAYLOADS; i++)
        assert_non_null(ikh_wire_pl_add(m, IKH_PL_VID));
    assert_null(ikh_wire_pl_add(m, IKH_PL_VID));
    /* builder refuses to interleave substructures of two SA payloads */
    ikh_wire_msg_init(m);
    ikh_pl *a = ikh_wire_pl_add(m, IKH_PL_SA);
    assert_non_null(ikh_wire_prop_add(m, a));
    ikh_pl *b = ikh_wire_pl_add(m, IKH_PL_SA);
    assert_non_null(ikh_wire_prop_add(m, b));
    assert_null(ikh_wire_prop_add(m, a));
    free(m);
}

static void test_sk_split_and_lengths(void **state)
{
    (void)state;
    uint8_t body[64];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)i;
    ikh_span iv, ct, icv;
    assert_ikh_ok(
        ikh_wire_sk_split(ikh_span_of(body, 64), 16, 16, &iv, &ct, &icv));
    assert_int_equal(iv.len, 16);
    assert_int_equal(ct.len, 32);
    assert_int_equal(icv.len, 16);
    assert_int_equal(icv.p[0], 48);
    assert_ikh_err(
        ikh_wire_sk_split(ikh_span_of(body, 31), 16, 16, &iv, &ct, &icv),
        IKH_ERR_WIRE_SK_SHORT);
    assert_ikh_err(
        ikh_wire_sk_split(ikh_span_of(body, 31), SIZE_MAX, 16, &iv, &ct, &icv),
        IKH_ERR_WIRE_SK_SHORT);
    size_t ivl = 0, icvl = 0;
    /* RFC 5282 §3 (GCM: 8-octet IV, ICV per ID), RFC 7634 (16-octet tag) */
    assert_true(ikh_wire_sk_lengths(IKH_ENCR_AES_GCM_12, 0, &ivl, &icvl));
    assert_int_equal(ivl, 8);
    assert_int_equal(icvl, 12);
    assert_true(
        ikh_wire_sk_lengths(IKH_ENCR_CHACHA20_POLY1305, 0, &ivl, &icvl));
    assert_int_equal(icvl, 16);
    /* RFC 3602 (16-octet IV) + RFC 4868 §2.6 (SHA2-384-192: 24 octets) */
    assert_true(ikh_wire_sk_lengths(IKH_ENCR_AES_CBC,
                                    IKH_INTEG_HMAC_SHA2_384_192, &ivl, &icvl));
    assert_int_equal(ivl, 16);
    assert_int_equal(icvl, 24);
    assert_false(ikh_wire_sk_lengths(IKH_ENCR_AES_CBC, 99, &ivl, &icvl));
    assert_false(ikh_wire_sk_lengths(250, 12, &ivl, &icvl));
}

/* Error responses may carry only the Notify (RFC 7296 §2.21.1); a
 * CREATE_CHILD_SA response with only TSi is missing TSr (§2.9). */
static void test_rules_waivers_and_pairs(void **state)
{
    (void)state;
    ikh_msg *m = malloc(sizeof *m);
    ikh_diag d;
    size_t n = load("0102030405060708"
                    "0000000000000000"
                    "29"
                    "20"
                    "22"
                    "20"
                    "00000000"
                    "00000026"
                    "0000000a"
                    "00000011"
                    "001f");
    assert_ikh_ok(ikh_wire_msg_parse(m, buf, n, NULL));
    assert_ikh_ok(ikh_wire_msg_verify(m, &d)); /* INVALID_KE_PAYLOAD alone */
    ikh_wire_msg_init(m);
    m->hdr.ispi = 1;
    m->hdr.rspi = 2;
    m->hdr.version = 0x20;
    m->hdr.exch = IKH_EXCH_CREATE_CHILD_SA;
    m->hdr.flags = IKH_HDR_F_RESPONSE;
    static const uint8_t z[64];
    ikh_pl *sk = ikh_wire_pl_add(m, IKH_PL_SK);
    sk->u.sk.body = ikh_span_of(z, 40);
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_SA);
    p->in_sk = true;
    ikh_prop *pr = ikh_wire_prop_add(m, p);
    pr->proto = IKH_PROTO_ESP;
    pr->spi = ikh_span_of(z, 4);
    ikh_wire_xform_add(m, pr, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16);
    ikh_wire_keylen_add(m, &m->xf[0], 128);
    p = ikh_wire_pl_add(m, IKH_PL_NONCE);
    p->in_sk = true;
    p->u.raw.data = ikh_span_of(z, 32);
    p = ikh_wire_pl_add(m, IKH_PL_TSI);
    p->in_sk = true;
    assert_ikh_err(ikh_wire_msg_verify(m, &d), IKH_ERR_WIRE_RULE_MISSING);
    assert_int_equal(d.payload, IKH_PL_TSR);
    p = ikh_wire_pl_add(m, IKH_PL_TSR);
    p->in_sk = true;
    assert_ikh_ok(ikh_wire_msg_verify(m, &d));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_request_parses_verifies_roundtrips),
        cmocka_unit_test(test_reserved_fields_kept),
        cmocka_unit_test(test_inner_chain),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_sk_split_and_lengths),
        cmocka_unit_test(test_rules_waivers_and_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
