/* SPDX-License-Identifier: MIT */
/*
 * Wire codec round trips over generated messages (testlib/msggen.h):
 *  - 2000 messages: serialize -> parse -> ikh_wire_msg_eq -> serialize
 *    again, byte-identical;
 *  - every proper prefix of a few messages fails to parse with an error;
 *  - every single-octet change (XOR 0xff and XOR 0x01) of some messages
 *    never crashes (run under ASan/UBSan: buffers are exactly sized heap
 *    blocks), and whatever still parses serializes back to the same bytes;
 *  - the generator is deterministic and covers what msggen.h promises.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ikh/names.h"
#include "ikh/wire.h"
#include "msggen.h"
#include "testlib.h"

enum {
    SEED = 1,
    N_ROUNDTRIP = 2000,
    N_PREFIX_MSGS = 16,
    N_FLIP_MSGS = 24
};

static uint8_t store[IKH_TL_GEN_STORE_CAP];
static uint8_t wire1[IKH_TL_GEN_MSG_MAX], wire2[IKH_TL_GEN_MSG_MAX];
static ikh_msg built, parsed;

/* Semantic checks run on anything that parses; they answer OK or a 2xx
 * wire code, never anything else (and never crash). */
static void assert_verify_sane(const ikh_msg *m)
{
    ikh_err v = ikh_wire_msg_verify(m, NULL);
    assert_true(v == IKH_OK || ((int)v >= 200 && (int)v < 300));
}

/* Generate message index and serialize it into wire1; returns its length. */
static size_t gen_wire(uint32_t seed, unsigned index)
{
    size_t len = 0;
    if (ikh_tl_gen_msg(&built, store, sizeof store, seed, index) == 0) {
        fprintf(stderr, "generator failed for index %u\n", index);
        fail();
    }
    assert_ikh_ok(ikh_wire_msg_serialize(&built, wire1, sizeof wire1, &len));
    return len;
}

/* Parse len octets from an exactly sized heap copy of p (so ASan sees any
 * read past the end); on success check the byte-exact round trip. */
static ikh_err parse_exact(const uint8_t *p, size_t len, unsigned index)
{
    uint8_t *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    if (len)
        memcpy(buf, p, len);
    ikh_diag diag;
    ikh_err e = ikh_wire_msg_parse(&parsed, len ? buf : NULL, len, &diag);
    assert_int_equal(diag.err, e);
    if (e == IKH_OK) {
        size_t out = 0;
        assert_ikh_ok(
            ikh_wire_msg_serialize(&parsed, wire2, sizeof wire2, &out));
        if (out != len || memcmp(wire2, buf, len) != 0) {
            fprintf(stderr, "message %u (%zu octets) does not round-trip\n",
                    index, len);
            fail();
        }
        assert_verify_sane(&parsed);
    } else {
        assert_true(diag.offset <= len);
    }
    free(buf);
    return e;
}

static void test_roundtrip_generated(void **state)
{
    (void)state;
    for (unsigned i = 0; i < N_ROUNDTRIP; i++) {
        size_t len = gen_wire(SEED, i);
        ikh_diag diag;
        ikh_err e = ikh_wire_msg_parse(&parsed, wire1, len, &diag);
        if (e != IKH_OK) {
            fprintf(stderr, "message %u: %s at offset %zu (payload %u)\n", i,
                    ikh_err_name(e), diag.offset, diag.payload);
            fail();
        }
        if (!ikh_wire_msg_eq(&built, &parsed)) {
            fprintf(stderr, "message %u: parse(serialize(m)) != m\n", i);
            fail();
        }
        size_t len2 = 0;
        assert_ikh_ok(
            ikh_wire_msg_serialize(&parsed, wire2, sizeof wire2, &len2));
        assert_int_equal(len2, len);
        assert_memory_equal(wire1, wire2, len);
        assert_verify_sane(&parsed);
    }
}

static void test_roundtrip_prefixes(void **state)
{
    (void)state;
    for (unsigned i = 0; i < N_PREFIX_MSGS; i++) {
        size_t len = gen_wire(SEED, i * 7);
        for (size_t n = 0; n < len; n++)
            assert_int_not_equal(parse_exact(wire1, n, i * 7), IKH_OK);
        assert_ikh_ok(parse_exact(wire1, len, i * 7));
    }
}

static void test_roundtrip_byte_flips(void **state)
{
    (void)state;
    static uint8_t mut[IKH_TL_GEN_MSG_MAX];
    static const uint8_t masks[] = {0xff, 0x01};
    unsigned still_parse = 0, rejected = 0;
    for (unsigned i = 0; i < N_FLIP_MSGS; i++) {
        unsigned index = i * 5 + 3;
        size_t len = gen_wire(SEED + 1, index);
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t k = 0; k < sizeof masks; k++) {
                memcpy(mut, wire1, len);
                mut[pos] ^= masks[k];
                if (parse_exact(mut, len, index) == IKH_OK)
                    still_parse++;
                else
                    rejected++;
            }
        }
    }
    /* Both outcomes must occur, or the test exercises nothing. */
    assert_true(still_parse > 0);
    assert_true(rejected > 0);
}

static void test_roundtrip_deterministic(void **state)
{
    (void)state;
    static uint8_t first[IKH_TL_GEN_MSG_MAX];
    for (unsigned i = 0; i < 64; i++) {
        size_t a = gen_wire(SEED, i);
        memcpy(first, wire1, a);
        size_t b = gen_wire(SEED, i);
        assert_int_equal(a, b);
        assert_memory_equal(first, wire1, a);
        size_t c = gen_wire(SEED + 99, i);
        assert_false(a == c && memcmp(first, wire1, a) == 0);
    }
    /* A store too small fails cleanly. */
    static uint8_t tiny[8];
    unsigned failed = 0;
    for (unsigned i = 0; i < 8; i++)
        failed += ikh_tl_gen_msg(&built, tiny, sizeof tiny, SEED, i) == 0;
    assert_true(failed > 0);
}

/* ---- coverage of the first IKH_TL_GEN_COVER indices ---- */

typedef struct seen {
    uint8_t exch[256], flags[256], pl[256], pl_crit[256], xf_type[256];
    uint8_t id_type[256], auth[256], cert[256], certreq[256], cfg_type[256];
    uint8_t eap_code[256], ts_type[256], ts_proto[256], prop_proto[256];
    uint8_t spi_size[256], del_spi_size[256];
    uint8_t xf[6][65536 / 8]; /* [type][id] bitmaps for types 1..5 */
    uint8_t ke_pl[65536 / 8];
    uint8_t notify[65536 / 8];
    uint8_t cfg_attr[32768 / 8];
    unsigned keylen128, keylen192, keylen256, tlv_attrs;
    unsigned ports_full, ports_opaque, skf_alone, sk_last, sk_inner_set;
} seen;

static void bit_set(uint8_t *map, unsigned v)
{
    map[v / 8] |= (uint8_t)(1u << (v % 8));
}

static bool bit_get(const uint8_t *map, unsigned v)
{
    return (map[v / 8] >> (v % 8)) & 1u;
}

static void note_sa(seen *s, const ikh_msg *m, const ikh_pl *pl)
{
    for (unsigned i = 0; i < pl->u.sa.count; i++) {
        const ikh_prop *p = &m->prop[pl->u.sa.first + i];
        s->prop_proto[p->proto] = 1;
        s->spi_size[p->spi.len & 0xff] = 1;
        for (unsigned j = 0; j < p->xf_count; j++) {
            const ikh_xform *x = &m->xf[p->xf_first + j];
            s->xf_type[x->type] = 1;
            if (x->type >= 1 && x->type <= 5)
                bit_set(s->xf[x->type], x->id);
            for (unsigned k = 0; k < x->attr_count; k++) {
                const ikh_xattr *a = &m->attr[x->attr_first + k];
                if (!a->tv)
                    s->tlv_attrs++;
                else if (a->type == IKH_XATTR_KEY_LENGTH &&
                         x->type == IKH_XF_ENCR) {
                    s->keylen128 += a->tv_value == 128;
                    s->keylen192 += a->tv_value == 192;
                    s->keylen256 += a->tv_value == 256;
                }
            }
        }
    }
}

static void note_ts(seen *s, const ikh_msg *m, const ikh_pl *pl)
{
    for (unsigned i = 0; i < pl->u.ts.count; i++) {
        const ikh_ts *ts = &m->ts[pl->u.ts.first + i];
        s->ts_type[ts->type] = 1;
        s->ts_proto[ts->ip_proto] = 1;
        s->ports_full += ts->start_port == 0 && ts->end_port == 65535;
        s->ports_opaque += ts->start_port == 65535 && ts->end_port == 0;
    }
}

static void note_msg(seen *s, const ikh_msg *m)
{
    s->exch[m->hdr.exch] = 1;
    s->flags[m->hdr.flags] = 1;
    for (unsigned i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        s->pl[pl->type] = 1;
        if (pl->flags & IKH_PL_CRITICAL)
            s->pl_crit[pl->type] = 1;
        switch (pl->type) {
        case IKH_PL_SA:
            note_sa(s, m, pl);
            break;
        case IKH_PL_KE:
            bit_set(s->ke_pl, pl->u.ke.group);
            break;
        case IKH_PL_IDI:
        case IKH_PL_IDR:
            s->id_type[pl->u.id.id_type] = 1;
            break;
        case IKH_PL_CERT:
            s->cert[pl->u.cert.enc] = 1;
            break;
        case IKH_PL_CERTREQ:
            s->certreq[pl->u.cert.enc] = 1;
            break;
        case IKH_PL_AUTH:
            s->auth[pl->u.auth.method] = 1;
            break;
        case IKH_PL_NOTIFY:
            bit_set(s->notify, pl->u.notify.type);
            break;
        case IKH_PL_DELETE:
            s->del_spi_size[pl->u.del.spi_size] = 1;
            break;
        case IKH_PL_TSI:
        case IKH_PL_TSR:
            note_ts(s, m, pl);
            break;
        case IKH_PL_CP:
            s->cfg_type[pl->u.cp.cfg_type] = 1;
            for (unsigned k = 0; k < pl->u.cp.count; k++)
                bit_set(s->cfg_attr, m->cpa[pl->u.cp.first + k].type);
            break;
        case IKH_PL_EAP:
            s->eap_code[pl->u.eap.code] = 1;
            break;
        case IKH_PL_SK:
            s->sk_last += i + 1 == m->n_pl;
            s->sk_inner_set += pl->u.sk.inner != 0;
            break;
        case IKH_PL_SKF:
            s->skf_alone += m->n_pl == 1;
            break;
        default:
            break;
        }
    }
}

/* Every value of names table t is set in map (a bitmap) or bytes (a flag
 * array). */
static void check_table(ikh_name_table t, const uint8_t *map,
                        const uint8_t *bytes, const char *what)
{
    size_t n = ikh_name_count(t);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        assert_true(ikh_name_at(t, i, &v, NULL));
        bool ok = map ? bit_get(map, v) : bytes[v & 0xff] != 0;
        if (!ok) {
            fprintf(stderr, "%s %u never generated in %u messages\n", what, v,
                    IKH_TL_GEN_COVER);
            fail();
        }
    }
}

static void test_roundtrip_coverage(void **state)
{
    (void)state;
    seen *s = calloc(1, sizeof *s);
    assert_non_null(s);
    for (unsigned i = 0; i < IKH_TL_GEN_COVER; i++) {
        size_t len = gen_wire(SEED, i);
        assert_ikh_ok(ikh_wire_msg_parse(&parsed, wire1, len, NULL));
        note_msg(s, &parsed);
    }
    for (unsigned e = IKH_EXCH_IKE_SA_INIT; e <= IKH_EXCH_IKE_FOLLOWUP_KE; e++)
        assert_true(s->exch[e]);
    unsigned priv = 0;
    for (unsigned e = 240; e < 256; e++)
        priv += s->exch[e];
    assert_true(priv > 0);
    assert_true(s->flags[0x00] && s->flags[0x08] && s->flags[0x20] &&
                s->flags[0x28]);
    for (unsigned t = IKH_PL_SA; t <= IKH_PL_PS; t++)
        if (!s->pl[t]) {
            fprintf(stderr, "payload type %u never generated\n", t);
            fail();
        }
    assert_true(s->pl[200]);
    unsigned crit = 0;
    for (unsigned t = 55; t < 256; t++)
        crit += s->pl_crit[t];
    assert_true(crit > 0);
    check_table(IKH_NT_ENCR, s->xf[IKH_XF_ENCR], NULL, "ENCR");
    check_table(IKH_NT_PRF, s->xf[IKH_XF_PRF], NULL, "PRF");
    check_table(IKH_NT_INTEG, s->xf[IKH_XF_INTEG], NULL, "INTEG");
    check_table(IKH_NT_KE, s->xf[IKH_XF_KE], NULL, "KE transform");
    check_table(IKH_NT_ESN, s->xf[IKH_XF_ESN], NULL, "ESN");
    check_table(IKH_NT_KE, s->ke_pl, NULL, "KE payload group");
    check_table(IKH_NT_NOTIFY, s->notify, NULL, "notify type");
    check_table(IKH_NT_CFG_ATTR, s->cfg_attr, NULL, "CFG attribute");
    check_table(IKH_NT_ID_TYPE, NULL, s->id_type, "ID type");
    check_table(IKH_NT_AUTH_METHOD, NULL, s->auth, "auth method");
    check_table(IKH_NT_CERT_ENC, NULL, s->cert, "CERT encoding");
    check_table(IKH_NT_CFG_TYPE, NULL, s->cfg_type, "CFG type");
    for (unsigned c = IKH_EAP_REQUEST; c <= IKH_EAP_FAILURE; c++)
        assert_true(s->eap_code[c]);
    assert_true(s->prop_proto[IKH_PROTO_IKE] && s->prop_proto[IKH_PROTO_AH] &&
                s->prop_proto[IKH_PROTO_ESP]);
    assert_true(s->spi_size[0] && s->spi_size[4] && s->spi_size[8]);
    assert_true(s->del_spi_size[0] && s->del_spi_size[4]);
    assert_true(s->ts_type[IKH_TS_IPV4_ADDR_RANGE] &&
                s->ts_type[IKH_TS_IPV6_ADDR_RANGE]);
    assert_true(s->ts_proto[0] && s->ts_proto[6] && s->ts_proto[17] &&
                s->ts_proto[1] && s->ts_proto[58]);
    assert_true(s->ports_full > 0 && s->ports_opaque > 0);
    assert_true(s->keylen128 && s->keylen192 && s->keylen256 && s->tlv_attrs);
    assert_true(s->skf_alone > 0 && s->sk_inner_set > 0);
    assert_true(s->sk_last > 0);
    unsigned addke = 0;
    for (unsigned t = IKH_XF_ADDKE1; t <= IKH_XF_ADDKE7; t++) /* RFC 9370 */
        addke += s->xf_type[t];
    assert_true(addke > 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_generated),
        cmocka_unit_test(test_roundtrip_prefixes),
        cmocka_unit_test(test_roundtrip_byte_flips),
        cmocka_unit_test(test_roundtrip_deterministic),
        cmocka_unit_test(test_roundtrip_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
