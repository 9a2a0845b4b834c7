/* SPDX-License-Identifier: MIT */
/*
 * msggen: deterministic generator of varied IKEv2 messages (msggen.h).
 *
 * Each index picks one of NPLANS message plans (an IKE_SA_INIT-like
 * message, IKE_AUTH request / response, CREATE_CHILD_SA, INFORMATIONAL,
 * the rarer payloads, an SKF fragment alone, a random mix). Values that
 * must cover a registry (notify types, transform IDs, ...) are drawn in
 * turn from the names.h tables through per-kind "slots": plan p of round
 * r uses slots r * S + base(p) .. where S is the number of slots one round
 * of all plans uses, so consecutive rounds walk each registry in order and
 * a full cycle takes a known number of messages. Everything else comes
 * from a splitmix64 generator seeded with (seed, index).
 *
 * The bytes are plausible for their field (DER certificates and names for
 * ID_DER_ASN1_DN and X.509 encodings, addresses of the right length,
 * well-formed notify data for types Wireshark dissects, valid EAP
 * lengths), so an independent dissector can read them; where tshark 4.0
 * still cannot (empty ID_NULL data, non-X.509 certificate encodings,
 * reserved payload types) pcap/difftest/tshark_diff.py lists why.
 */
#include <stdio.h>
#include <string.h>

#include "ikh/names.h"
#include "msggen.h"

/* Registries walked in turn. */
enum kind {
    K_NOTIFY,
    K_ENCR,
    K_PRF,
    K_INTEG,
    K_KE,
    K_ESN,
    K_KEPL,
    K_ID,
    K_AUTH,
    K_CERT,
    K_CFG,
    K_EAP,
    K_N
};

enum plan {
    P_SA_INIT,
    P_AUTH_I,
    P_AUTH_R,
    P_CHILD,
    P_INFO,
    P_MISC,
    P_SKF,
    P_MIX,
    NPLANS
};

/* Slots of each kind one message of each plan draws (see the file comment). */
/* clang-format off */
static const uint8_t plan_slots[NPLANS][K_N] = {
    /*            N  ENCR PRF INTEG KE ESN KEPL ID AUTH CERT CFG EAP */
    [P_SA_INIT] = {3, 2,   1,  2,    2, 1,  1,   0, 0,   0,   0,  0},
    [P_AUTH_I]  = {2, 2,   1,  2,    2, 1,  0,   1, 1,   2,   4,  0},
    [P_AUTH_R]  = {1, 2,   1,  2,    2, 1,  0,   1, 1,   1,   4,  1},
    [P_CHILD]   = {1, 2,   1,  2,    2, 1,  1,   0, 0,   0,   0,  0},
    [P_INFO]    = {2, 0,   0,  0,    0, 0,  0,   0, 0,   0,   2,  0},
    [P_MISC]    = {1, 0,   0,  0,    0, 0,  0,   0, 0,   0,   0,  0},
    [P_SKF]     = {0},
    [P_MIX]     = {0},
};
/* clang-format on */

/* Registry behind each kind; K_EAP walks EAP codes 1..4 instead. */
static const ikh_name_table kind_table[K_N] = {
    [K_NOTIFY] = IKH_NT_NOTIFY,
    [K_ENCR] = IKH_NT_ENCR,
    [K_PRF] = IKH_NT_PRF,
    [K_INTEG] = IKH_NT_INTEG,
    [K_KE] = IKH_NT_KE,
    [K_ESN] = IKH_NT_ESN,
    [K_KEPL] = IKH_NT_KE,
    [K_ID] = IKH_NT_ID_TYPE,
    [K_AUTH] = IKH_NT_AUTH_METHOD,
    [K_CERT] = IKH_NT_CERT_ENC,
    [K_CFG] = IKH_NT_CFG_ATTR,
    [K_EAP] = IKH_NT_EAP_CODE,
};

typedef struct gen {
    uint64_t s;     /* splitmix64 state */
    uint8_t *store; /* variable bytes of the message */
    size_t cap, used;
    bool fail; /* store or a pool ran out */
    ikh_msg *m;
    unsigned plan;
    unsigned slot[K_N]; /* next slot of each kind */
} gen;

/* ---- randomness and store ---------------------------------------------- */

static uint64_t rnd(gen *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform-enough value in 0..n-1 (0 when n is 0). */
static unsigned below(gen *g, unsigned n)
{
    return n ? (unsigned)(rnd(g) % n) : 0;
}

/* Value in lo..hi. */
static unsigned range(gen *g, unsigned lo, unsigned hi)
{
    return lo + below(g, hi - lo + 1);
}

static bool chance(gen *g, unsigned one_in)
{
    return below(g, one_in) == 0;
}

static uint8_t *take(gen *g, size_t n)
{
    if (g->fail || n > g->cap - g->used) {
        g->fail = true;
        return NULL;
    }
    uint8_t *p = g->store + g->used;
    g->used += n;
    return p;
}

static ikh_span sp(const uint8_t *p, size_t n)
{
    return ikh_span_of(n ? p : NULL, n);
}

static ikh_span rand_bytes(gen *g, size_t n)
{
    uint8_t *p = take(g, n);
    if (!p)
        return sp(NULL, 0);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd(g);
    return sp(p, n);
}

static ikh_span copy_bytes(gen *g, const void *src, size_t n)
{
    uint8_t *p = take(g, n);
    if (!p)
        return sp(NULL, 0);
    if (n)
        memcpy(p, src, n);
    return sp(p, n);
}

static ikh_span copy_str(gen *g, const char *s)
{
    return copy_bytes(g, s, strlen(s));
}

/* ---- registries ---------------------------------------------------------- */

/* The next value of kind k in turn (slot order), or a random one. */
static unsigned reg_pick(gen *g, enum kind k, bool cycled)
{
    if (k == K_EAP) {
        unsigned i = cycled ? g->slot[k]++ : below(g, 4);
        return 1 + i % 4; /* Request, Response, Success, Failure */
    }
    size_t n = ikh_name_count(kind_table[k]);
    size_t i = cycled ? g->slot[k]++ : below(g, (unsigned)n);
    unsigned v = 0;
    if (n == 0 || !ikh_name_at(kind_table[k], i % n, &v, NULL))
        g->fail = true;
    return v;
}

static void slots_init(gen *g, unsigned plan, unsigned round)
{
    for (unsigned k = 0; k < K_N; k++) {
        unsigned per_round = 0, base = 0;
        for (unsigned p = 0; p < NPLANS; p++) {
            if (p == plan)
                base = per_round;
            per_round += plan_slots[p][k];
        }
        g->slot[k] = round * per_round + base;
    }
}

/* ---- addresses ----------------------------------------------------------- */

/* A documentation IPv4 address (RFC 5737). */
static void doc_v4(gen *g, uint8_t a[4])
{
    static const uint8_t nets[3][3] = {
        {192, 0, 2}, {198, 51, 100}, {203, 0, 113}};
    const uint8_t *n = nets[below(g, 3)];
    a[0] = n[0];
    a[1] = n[1];
    a[2] = n[2];
    a[3] = (uint8_t)below(g, 256);
}

/* A documentation IPv6 address (RFC 3849, 2001:db8::/32). */
static void doc_v6(gen *g, uint8_t a[16])
{
    memset(a, 0, 16);
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[5] = (uint8_t)below(g, 256);
    if (chance(g, 2))
        a[7] = (uint8_t)below(g, 256);
    a[15] = (uint8_t)range(g, 1, 255);
}

static ikh_span addr_v4(gen *g)
{
    uint8_t a[4];
    doc_v4(g, a);
    return copy_bytes(g, a, 4);
}

static ikh_span addr_v6(gen *g)
{
    uint8_t a[16];
    doc_v6(g, a);
    return copy_bytes(g, a, 16);
}

/* ---- DER (certificates, names) ----------------------------------------- */

typedef struct dbuf {
    uint8_t b[1024];
    size_t n;
    bool bad;
} dbuf;

static void d_raw(dbuf *d, const void *p, size_t n)
{
    if (n > sizeof d->b - d->n) {
        d->bad = true;
        return;
    }
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

/* Append tag, length and the contents of inner. */
static void d_tlv(dbuf *d, uint8_t tag, const dbuf *inner)
{
    uint8_t h[4];
    size_t hn = 0, len = inner->n;
    h[hn++] = tag;
    if (len < 0x80) {
        h[hn++] = (uint8_t)len;
    } else if (len < 0x100) {
        h[hn++] = 0x81;
        h[hn++] = (uint8_t)len;
    } else {
        h[hn++] = 0x82;
        h[hn++] = (uint8_t)(len >> 8);
        h[hn++] = (uint8_t)len;
    }
    d->bad |= inner->bad;
    d_raw(d, h, hn);
    d_raw(d, inner->b, inner->n);
}

static void d_prim(dbuf *d, uint8_t tag, const void *p, size_t n)
{
    dbuf t = {.n = 0};
    d_raw(&t, p, n);
    d_tlv(d, tag, &t);
}

static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};
static const uint8_t OID_O[] = {0x55, 0x04, 0x0a};
static const uint8_t OID_C[] = {0x55, 0x04, 0x06};
static const uint8_t OID_ECDSA_SHA256[] = {0x2a, 0x86, 0x48, 0xce,
                                           0x3d, 0x04, 0x03, 0x02};
static const uint8_t OID_EC_PUBKEY[] = {0x2a, 0x86, 0x48, 0xce,
                                        0x3d, 0x02, 0x01};
static const uint8_t OID_P256[] = {0x2a, 0x86, 0x48, 0xce,
                                   0x3d, 0x03, 0x01, 0x07};

static void d_rdn(dbuf *d, const uint8_t *oid, size_t oid_len, uint8_t str_tag,
                  const char *s)
{
    dbuf atv = {.n = 0}, seq = {.n = 0};
    d_prim(&atv, 0x06, oid, oid_len);
    d_prim(&atv, str_tag, s, strlen(s));
    d_tlv(&seq, 0x30, &atv);
    d_tlv(d, 0x31, &seq);
}

/* Name ::= SEQUENCE OF RDN: C=, O=, CN= (RFC 5280 §4.1.2.4). */
static void d_name(gen *g, dbuf *d)
{
    static const char *const orgs[] = {"Example", "ikeharness", "Test CA"};
    char cn[32];
    dbuf rdns = {.n = 0};
    snprintf(cn, sizeof cn, "host%u.example.com", below(g, 1000));
    if (chance(g, 2))
        d_rdn(&rdns, OID_C, sizeof OID_C, 0x13, "ZZ");
    d_rdn(&rdns, OID_O, sizeof OID_O, 0x0c, orgs[below(g, 3)]);
    d_rdn(&rdns, OID_CN, sizeof OID_CN, 0x0c, cn);
    d_tlv(d, 0x30, &rdns);
}

static void d_alg(dbuf *d, const uint8_t *oid, size_t n)
{
    dbuf a = {.n = 0};
    d_prim(&a, 0x06, oid, n);
    d_tlv(d, 0x30, &a);
}

static void d_bits(gen *g, dbuf *d, uint8_t lead, size_t n)
{
    uint8_t v[80];
    v[0] = 0; /* unused bits */
    v[1] = lead;
    for (size_t i = 2; i < n + 1 && i < sizeof v; i++)
        v[i] = (uint8_t)rnd(g);
    d_prim(d, 0x03, v, n + 1 < sizeof v ? n + 1 : sizeof v);
}

/* A small, well-formed X.509 v3 certificate (RFC 5280 §4.1), random key. */
static ikh_span der_cert(gen *g)
{
    dbuf tbs = {.n = 0}, ver = {.n = 0}, val = {.n = 0}, spki = {.n = 0};
    dbuf palg = {.n = 0}, t = {.n = 0}, cert = {.n = 0}, out = {.n = 0};
    static const uint8_t v3[] = {0x02};
    d_prim(&ver, 0x02, v3, 1);
    d_tlv(&tbs, 0xa0, &ver);
    uint8_t serial[8];
    for (size_t i = 0; i < sizeof serial; i++)
        serial[i] = (uint8_t)rnd(g);
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    d_prim(&tbs, 0x02, serial, sizeof serial);
    d_alg(&tbs, OID_ECDSA_SHA256, sizeof OID_ECDSA_SHA256);
    d_name(g, &tbs);
    d_prim(&val, 0x17, "240101000000Z", 13);
    d_prim(&val, 0x17, "340101000000Z", 13);
    d_tlv(&tbs, 0x30, &val);
    d_name(g, &tbs);
    d_prim(&palg, 0x06, OID_EC_PUBKEY, sizeof OID_EC_PUBKEY);
    d_prim(&palg, 0x06, OID_P256, sizeof OID_P256);
    d_tlv(&spki, 0x30, &palg);
    d_bits(g, &spki, 0x04, 65);
    d_tlv(&tbs, 0x30, &spki);
    d_tlv(&t, 0x30, &tbs);
    cert = t;
    d_alg(&cert, OID_ECDSA_SHA256, sizeof OID_ECDSA_SHA256);
    d_bits(g, &cert, (uint8_t)rnd(g), 64);
    d_tlv(&out, 0x30, &cert);
    if (out.bad) {
        g->fail = true;
        return sp(NULL, 0);
    }
    return copy_bytes(g, out.b, out.n);
}

/* A small, well-formed CRL (RFC 5280 §5.1) without revoked certificates. */
static ikh_span der_crl(gen *g)
{
    dbuf tbs = {.n = 0}, t = {.n = 0}, out = {.n = 0};
    static const uint8_t v2[] = {0x01};
    d_prim(&tbs, 0x02, v2, 1);
    d_alg(&tbs, OID_ECDSA_SHA256, sizeof OID_ECDSA_SHA256);
    d_name(g, &tbs);
    d_prim(&tbs, 0x17, "250101000000Z", 13);
    d_prim(&tbs, 0x17, "250201000000Z", 13);
    d_tlv(&t, 0x30, &tbs);
    d_alg(&t, OID_ECDSA_SHA256, sizeof OID_ECDSA_SHA256);
    d_bits(g, &t, (uint8_t)rnd(g), 64);
    d_tlv(&out, 0x30, &t);
    if (out.bad) {
        g->fail = true;
        return sp(NULL, 0);
    }
    return copy_bytes(g, out.b, out.n);
}

static ikh_span der_dn(gen *g)
{
    dbuf d = {.n = 0};
    d_name(g, &d);
    return copy_bytes(g, d.b, d.n);
}

/* GeneralName, dNSName [2] (RFC 5280 §4.2.1.6). */
static ikh_span der_gn(gen *g)
{
    char s[32];
    dbuf d = {.n = 0};
    snprintf(s, sizeof s, "gw%u.example.net", below(g, 1000));
    d_prim(&d, 0x82, s, strlen(s));
    return copy_bytes(g, d.b, d.n);
}

/* ---- payloads ---- */

static ikh_pl *pl_new(gen *g, uint8_t type)
{
    ikh_pl *pl = ikh_wire_pl_add(g->m, type);
    if (!pl)
        g->fail = true;
    return pl;
}

static bool encr_keylen(uint16_t id)
{
    return (id >= IKH_ENCR_AES_CBC && id <= IKH_ENCR_NULL_AUTH_AES_GMAC) ||
           (id >= IKH_ENCR_CAMELLIA_CBC && id <= IKH_ENCR_CAMELLIA_CCM_16) ||
           id == 29 || id == 30; /* AES_CCM_8_IIV, AES_GCM_16_IIV */
}

/* A TLV transform attribute of a private type (RFC 7296 §3.3.5). */
static void xattr_tlv(gen *g, ikh_xform *x)
{
    ikh_xattr *a = ikh_wire_xattr_add(g->m, x);
    if (!a) {
        g->fail = true;
        return;
    }
    a->type = (uint16_t)range(g, 16, 0x7fff);
    a->tv = false;
    a->value = rand_bytes(g, range(g, 1, 8));
}

static void xform(gen *g, ikh_prop *p, uint8_t type, uint16_t id)
{
    ikh_xform *x = ikh_wire_xform_add(g->m, p, type, id);
    if (!x) {
        g->fail = true;
        return;
    }
    if (type == IKH_XF_ENCR && (encr_keylen(id) || chance(g, 8))) {
        static const uint16_t bits[] = {128, 192, 256};
        if (!ikh_wire_keylen_add(g->m, x, bits[below(g, 3)]))
            g->fail = true;
    }
    if (chance(g, 12))
        xattr_tlv(g, x);
}

static uint8_t spi_size_for(gen *g, uint8_t proto)
{
    if (chance(g, 4))
        return (uint8_t)(below(g, 3) * 4); /* 0, 4 or 8 whatever the protocol */
    return proto == IKH_PROTO_IKE ? (chance(g, 2) ? 0 : 8) : 4;
}

/* One proposal; cycled ones take their IDs from the registries in turn. */
static void proposal(gen *g, ikh_pl *sa, uint8_t proto, bool cycled)
{
    ikh_prop *p = ikh_wire_prop_add(g->m, sa);
    if (!p) {
        g->fail = true;
        return;
    }
    p->proto = proto;
    p->spi = rand_bytes(g, spi_size_for(g, proto));
    if (cycled) {
        /* Counts here must match plan_slots. */
        for (int i = 0; i < 2; i++)
            xform(g, p, IKH_XF_ENCR, (uint16_t)reg_pick(g, K_ENCR, true));
        xform(g, p, IKH_XF_PRF, (uint16_t)reg_pick(g, K_PRF, true));
        for (int i = 0; i < 2; i++)
            xform(g, p, IKH_XF_INTEG, (uint16_t)reg_pick(g, K_INTEG, true));
        for (int i = 0; i < 2; i++)
            xform(g, p, IKH_XF_KE, (uint16_t)reg_pick(g, K_KE, true));
        xform(g, p, IKH_XF_ESN, (uint16_t)reg_pick(g, K_ESN, true));
        if (chance(g, 6)) /* RFC 9370 additional key exchange */
            xform(g, p, (uint8_t)range(g, IKH_XF_ADDKE1, IKH_XF_ADDKE7),
                  (uint16_t)reg_pick(g, K_KE, false));
        return;
    }
    if (proto != IKH_PROTO_AH)
        for (unsigned i = range(g, 1, 3); i > 0; i--)
            xform(g, p, IKH_XF_ENCR, (uint16_t)reg_pick(g, K_ENCR, false));
    if (proto == IKH_PROTO_IKE)
        for (unsigned i = range(g, 1, 2); i > 0; i--)
            xform(g, p, IKH_XF_PRF, (uint16_t)reg_pick(g, K_PRF, false));
    for (unsigned i = range(g, 0, 2); i > 0; i--)
        xform(g, p, IKH_XF_INTEG, (uint16_t)reg_pick(g, K_INTEG, false));
    for (unsigned i = range(g, proto == IKH_PROTO_IKE, 2); i > 0; i--)
        xform(g, p, IKH_XF_KE, (uint16_t)reg_pick(g, K_KE, false));
    if (proto != IKH_PROTO_IKE)
        xform(g, p, IKH_XF_ESN, (uint16_t)reg_pick(g, K_ESN, false));
}

static uint8_t rand_proto(gen *g)
{
    return (uint8_t)range(g, IKH_PROTO_IKE, IKH_PROTO_ESP);
}

/* SA with 1..4 proposals numbered 1..n; the first is cycled when asked. */
static void add_sa(gen *g, uint8_t first_proto, bool cycled)
{
    ikh_pl *sa = pl_new(g, IKH_PL_SA);
    if (!sa)
        return;
    unsigned n = range(g, 1, 4);
    for (unsigned i = 0; i < n && !g->fail; i++)
        proposal(g, sa, i == 0 ? first_proto : rand_proto(g), cycled && i == 0);
}

/* Key Exchange Data length per group (RFC 3526, 5114, 5903, 6954, 7748,
 * 8031, 9385, FIPS 203 ML-KEM public keys); other groups get 64. */
typedef struct ke_row {
    uint16_t group;
    uint16_t len;
} ke_row;

static const ke_row ke_rows[] = {
    {0, 0},    {1, 96},   {2, 128},   {5, 192},   {14, 256}, {15, 384},
    {16, 512}, {17, 768}, {18, 1024}, {19, 64},   {20, 96},  {21, 132},
    {22, 128}, {23, 256}, {24, 256},  {25, 48},   {26, 56},  {27, 56},
    {28, 64},  {29, 96},  {30, 128},  {31, 32},   {32, 56},  {33, 64},
    {34, 128}, {35, 800}, {36, 1184}, {37, 1568},
};

static size_t ke_len(unsigned group)
{
    for (size_t i = 0; i < sizeof ke_rows / sizeof ke_rows[0]; i++)
        if (ke_rows[i].group == group)
            return ke_rows[i].len;
    return 64;
}

static void add_ke(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_KE);
    if (!pl)
        return;
    unsigned group = reg_pick(g, K_KEPL, cycled);
    pl->u.ke.group = (uint16_t)group;
    pl->u.ke.data = rand_bytes(g, ke_len(group));
}

static void add_nonce(gen *g)
{
    ikh_pl *pl = pl_new(g, IKH_PL_NONCE);
    if (pl)
        pl->u.raw.data = rand_bytes(g, range(g, 16, 256));
}

static ikh_span id_data(gen *g, unsigned type)
{
    char s[64];
    switch (type) {
    case IKH_ID_IPV4_ADDR:
        return addr_v4(g);
    case IKH_ID_IPV6_ADDR:
        return addr_v6(g);
    case IKH_ID_FQDN:
        snprintf(s, sizeof s, "gw%u.example.com", below(g, 10000));
        return copy_str(g, s);
    case IKH_ID_RFC822_ADDR:
        snprintf(s, sizeof s, "user%u@example.org", below(g, 10000));
        return copy_str(g, s);
    case IKH_ID_DER_ASN1_DN:
        return der_dn(g);
    case IKH_ID_DER_ASN1_GN:
        return der_gn(g);
    case IKH_ID_NULL: /* RFC 7619 §3: usually empty */
        return chance(g, 2) ? sp(NULL, 0) : copy_str(g, "anonymous");
    default:
        return rand_bytes(g, range(g, 8, 32)); /* KEY_ID, FC_NAME */
    }
}

static void add_id(gen *g, uint8_t pl_type, bool cycled)
{
    ikh_pl *pl = pl_new(g, pl_type);
    if (!pl)
        return;
    unsigned type = reg_pick(g, K_ID, cycled);
    pl->u.id.id_type = (uint8_t)type;
    pl->u.id.data = id_data(g, type);
}

static ikh_span hash_url(gen *g)
{
    char url[64];
    snprintf(url, sizeof url, "http://ca.example.com/c/%u.der",
             below(g, 100000));
    size_t ul = strlen(url);
    uint8_t *p = take(g, 20 + ul);
    if (!p)
        return sp(NULL, 0);
    for (size_t i = 0; i < 20; i++)
        p[i] = (uint8_t)rnd(g);
    memcpy(p + 20, url, ul);
    return sp(p, 20 + ul);
}

/* RSAPublicKey (RFC 8017 A.1.1), for RAW_RSA_KEY. */
static ikh_span der_rsa_key(gen *g)
{
    uint8_t n[129];
    static const uint8_t e[] = {0x01, 0x00, 0x01};
    dbuf k = {.n = 0}, out = {.n = 0};
    n[0] = 0;
    for (size_t i = 1; i < sizeof n; i++)
        n[i] = (uint8_t)rnd(g);
    n[1] |= 0x80;
    d_prim(&k, 0x02, n, sizeof n);
    d_prim(&k, 0x02, e, sizeof e);
    d_tlv(&out, 0x30, &k);
    return copy_bytes(g, out.b, out.n);
}

/* SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), for RAW_PUBLIC_KEY (RFC 7670). */
static ikh_span der_spki(gen *g)
{
    dbuf palg = {.n = 0}, spki = {.n = 0}, out = {.n = 0};
    d_prim(&palg, 0x06, OID_EC_PUBKEY, sizeof OID_EC_PUBKEY);
    d_prim(&palg, 0x06, OID_P256, sizeof OID_P256);
    d_tlv(&spki, 0x30, &palg);
    d_bits(g, &spki, 0x04, 65);
    d_tlv(&out, 0x30, &spki);
    return copy_bytes(g, out.b, out.n);
}

/* A DER SEQUENCE holding one OCTET STRING of random bytes: the shape of
 * PKCS #7, Kerberos, OCSP and attribute-certificate blobs, kept minimal. */
static ikh_span der_blob(gen *g, uint8_t outer_tag)
{
    uint8_t r[48];
    dbuf in = {.n = 0}, out = {.n = 0};
    size_t n = range(g, 8, sizeof r);
    for (size_t i = 0; i < n; i++)
        r[i] = (uint8_t)rnd(g);
    d_prim(&in, 0x04, r, n);
    d_tlv(&out, outer_tag, &in);
    return copy_bytes(g, out.b, out.n);
}

/* Certificate Data by encoding (RFC 7296 §3.6): DER where the encoding is
 * DER, Hash and URL for 12/13, and a short well-formed blob otherwise. */
static ikh_span cert_data(gen *g, unsigned enc)
{
    switch (enc) {
    case IKH_CERT_X509_SIG:
        return der_cert(g);
    case IKH_CERT_CRL:
    case 8: /* ARL */
        return der_crl(g);
    case 11: /* RAW_RSA_KEY */
        return der_rsa_key(g);
    case IKH_CERT_RAW_PUBLIC_KEY:
        return der_spki(g);
    case IKH_CERT_HASH_URL_X509:
    case IKH_CERT_HASH_URL_BUNDLE:
        return hash_url(g);
    case 6: /* KERBEROS_TOKEN: [APPLICATION 14] AP-REQ */
        return der_blob(g, 0x6e);
    default:
        return der_blob(g, 0x30);
    }
}

static void add_cert(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_CERT);
    if (!pl)
        return;
    unsigned enc = reg_pick(g, K_CERT, cycled);
    pl->u.cert.enc = (uint8_t)enc;
    pl->u.cert.data = cert_data(g, enc);
}

/* CERTREQ: SHA-1 hashes of trusted CA keys (RFC 7296 §3.7). */
static void add_certreq(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_CERTREQ);
    if (!pl)
        return;
    pl->u.cert.enc = (uint8_t)reg_pick(g, K_CERT, cycled);
    pl->u.cert.data = rand_bytes(g, 20u * below(g, 4));
}

/* AlgorithmIdentifier sha256WithRSAEncryption, for RFC 7427 AUTH data. */
static const uint8_t RSA_SHA256_ALG[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
                                         0x86, 0x48, 0x86, 0xf7, 0x0d,
                                         0x01, 0x01, 0x0b, 0x05, 0x00};

static void add_auth(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_AUTH);
    if (!pl)
        return;
    unsigned method = reg_pick(g, K_AUTH, cycled);
    pl->u.auth.method = (uint8_t)method;
    switch (method) {
    case IKH_AUTH_RSA_SIG:
        pl->u.auth.data = rand_bytes(g, 256);
        break;
    case IKH_AUTH_DSS_SIG:
        pl->u.auth.data = rand_bytes(g, 40);
        break;
    case IKH_AUTH_ECDSA_SHA256_P256:
        pl->u.auth.data = rand_bytes(g, 64);
        break;
    case IKH_AUTH_ECDSA_SHA384_P384:
        pl->u.auth.data = rand_bytes(g, 96);
        break;
    case IKH_AUTH_ECDSA_SHA512_P521:
        pl->u.auth.data = rand_bytes(g, 132);
        break;
    case IKH_AUTH_DIGITAL_SIGNATURE: {
        /* RFC 7427 §3: ASN.1 Length, AlgorithmIdentifier, Signature Value */
        size_t sig = 256, n = 1 + sizeof RSA_SHA256_ALG + sig;
        uint8_t *p = take(g, n);
        if (!p)
            return;
        p[0] = sizeof RSA_SHA256_ALG;
        memcpy(p + 1, RSA_SHA256_ALG, sizeof RSA_SHA256_ALG);
        for (size_t i = 1 + sizeof RSA_SHA256_ALG; i < n; i++)
            p[i] = (uint8_t)rnd(g);
        pl->u.auth.data = sp(p, n);
        break;
    }
    default:
        pl->u.auth.data = rand_bytes(g, 32);
        break; /* PSK, NULL, ... */
    }
}

/* Notify data shaped for the types a dissector decodes; random otherwise. */
static ikh_span notify_data(gen *g, unsigned type)
{
    uint8_t b[64];
    size_t n = 0;
    switch (type) {
    case IKH_N_INVALID_KE_PAYLOAD:
        b[n++] = 0;
        b[n++] = IKH_KE_ECP256;
        break;
    case IKH_N_SET_WINDOW_SIZE:
    case 16403: /* AUTH_LIFETIME */
        b[n++] = 0;
        b[n++] = 0;
        b[n++] = 0x0e;
        b[n++] = 0x10;
        break;
    case IKH_N_IPCOMP_SUPPORTED:
        b[n++] = 0x12;
        b[n++] = 0x34;
        b[n++] = 2; /* IPCOMP_DEFLATE */
        break;
    case IKH_N_NAT_DETECTION_SOURCE_IP:
    case IKH_N_NAT_DETECTION_DESTINATION_IP:
        return rand_bytes(g, 20);
    case IKH_N_COOKIE:
        return rand_bytes(g, range(g, 1, 64));
    case IKH_N_REKEY_SA:
    case IKH_N_INITIAL_CONTACT:
    case IKH_N_USE_TRANSPORT_MODE:
        return sp(NULL, 0);
    case 16397:
        return addr_v4(g); /* ADDITIONAL_IP4_ADDRESS */
    case 16398:
        return addr_v6(g); /* ADDITIONAL_IP6_ADDRESS */
    case 16407:            /* REDIRECT: GW type, len, IPv4, nonce */
    case 16408: {          /* REDIRECTED_FROM */
        b[n++] = 1;        /* IPv4 */
        b[n++] = 4;
        doc_v4(g, b + n);
        n += 4;
        if (type == 16407 && chance(g, 2))
            for (int i = 0; i < 16; i++)
                b[n++] = (uint8_t)rnd(g);
        break;
    }
    case 16409: /* TICKET_LT_OPAQUE: lifetime, ticket */
        b[n++] = 0;
        b[n++] = 0;
        b[n++] = 0x0e;
        b[n++] = 0x10;
        for (int i = 0; i < 16; i++)
            b[n++] = (uint8_t)rnd(g);
        break;
    case 16422: /* IKEV2_MESSAGE_ID_SYNC: nonce, expected send, expected recv */
        for (int i = 0; i < 12; i++)
            b[n++] = (uint8_t)rnd(g);
        break;
    case 16423: /* IPSEC_REPLAY_COUNTER_SYNC: nonce, delta */
        for (int i = 0; i < 12; i++)
            b[n++] = (uint8_t)rnd(g);
        break;
    case 16424: /* SECURE_PASSWORD_METHODS: list of u16 */
        b[n++] = 0;
        b[n++] = 1;
        b[n++] = 0;
        b[n++] = 2;
        break;
    case 16431: /* SIGNATURE_HASH_ALGORITHMS: list of u16 (RFC 7427 §4) */
        for (unsigned i = 1; i <= 4; i++) {
            b[n++] = 0;
            b[n++] = (uint8_t)i;
        }
        break;
    case 16416: /* ROHC_SUPPORTED: MAX_CID attribute (TV) */
        b[n++] = 0x80;
        b[n++] = 0x0a;
        b[n++] = 0x00;
        b[n++] = 0x0f;
        break;
    default:
        if (chance(g, 3))
            return sp(NULL, 0);
        return rand_bytes(g, range(g, 1, 24));
    }
    return copy_bytes(g, b, n);
}

static void add_notify(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_NOTIFY);
    if (!pl)
        return;
    unsigned type = cycled         ? reg_pick(g, K_NOTIFY, true)
                    : chance(g, 6) ? range(g, 40960, 65535) /* private use */
                                   : reg_pick(g, K_NOTIFY, false);
    pl->u.notify.type = (uint16_t)type;
    unsigned r = below(g, 6);
    if (r < 3) {
        pl->u.notify.proto = 0;
        pl->u.notify.spi = sp(NULL, 0);
    } else {
        pl->u.notify.proto = (uint8_t)(r - 2); /* IKE, AH, ESP */
        pl->u.notify.spi = rand_bytes(g, chance(g, 2) ? 4 : 8);
        if (chance(g, 5))
            pl->u.notify.spi = sp(NULL, 0);
    }
    pl->u.notify.data = notify_data(g, type);
}

static void add_delete(gen *g, bool ike)
{
    ikh_pl *pl = pl_new(g, IKH_PL_DELETE);
    if (!pl)
        return;
    if (ike) {
        pl->u.del.proto = IKH_PROTO_IKE;
        return; /* SPI Size 0, Num of SPIs 0 (RFC 7296 §3.11) */
    }
    pl->u.del.proto = chance(g, 4) ? IKH_PROTO_AH : IKH_PROTO_ESP;
    pl->u.del.spi_size = 4;
    pl->u.del.num_spi = (uint16_t)range(g, 1, 5);
    pl->u.del.spis = rand_bytes(g, 4u * pl->u.del.num_spi);
}

static void add_vid(gen *g)
{
    ikh_pl *pl = pl_new(g, IKH_PL_VID);
    if (!pl)
        return;
    if (chance(g, 3))
        pl->u.raw.data = copy_str(g, "ikeharness test vendor");
    else
        pl->u.raw.data = rand_bytes(g, range(g, 8, 32));
}

/* Ports: full, opaque (RFC 7296 §3.13.1), single, or a range. */
static void ts_ports(gen *g, ikh_ts *ts)
{
    switch (below(g, 4)) {
    case 0:
        ts->start_port = 0;
        ts->end_port = 65535;
        break;
    case 1:
        ts->start_port = 65535;
        ts->end_port = 0;
        break;
    case 2:
        ts->start_port = ts->end_port = (uint16_t)range(g, 1, 65535);
        break;
    default:
        ts->start_port = (uint16_t)range(g, 1, 32767);
        ts->end_port = (uint16_t)range(g, ts->start_port, 65535);
        break;
    }
}

static void add_ts(gen *g, uint8_t pl_type)
{
    static const uint8_t protos[] = {0, 6, 17, 1, 58};
    ikh_pl *pl = pl_new(g, pl_type);
    if (!pl)
        return;
    for (unsigned n = range(g, 1, 4); n > 0 && !g->fail; n--) {
        ikh_ts *ts = ikh_wire_ts_add(g->m, pl);
        if (!ts) {
            g->fail = true;
            return;
        }
        bool v6 = chance(g, 2);
        ts->type = v6 ? IKH_TS_IPV6_ADDR_RANGE : IKH_TS_IPV4_ADDR_RANGE;
        ts->ip_proto = protos[below(g, sizeof protos)];
        ts_ports(g, ts);
        size_t alen = v6 ? 16 : 4;
        uint8_t *a = take(g, 2 * alen);
        if (!a)
            return;
        if (v6)
            doc_v6(g, a);
        else
            doc_v4(g, a);
        memcpy(a + alen, a, alen);
        if (chance(g, 2)) { /* whole /24 (v4) or /64 (v6) */
            if (v6) {
                a[15] = 0;
                memset(a + alen + 8, 0xff, 8);
            } else {
                a[3] = 0;
                a[alen + 3] = 0xff;
            }
        }
        ts->start = sp(a, alen);
        ts->end = sp(a + alen, alen);
    }
}

/* Value of a configuration attribute in a reply (RFC 7296 §3.15.1, ...). */
static ikh_span cfg_value(gen *g, unsigned type)
{
    uint8_t b[40];
    size_t n = 0;
    switch (type) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 20:
    case 24:
        doc_v4(g, b);
        if (type == 2) {
            b[0] = b[1] = b[2] = 0xff;
            b[3] = 0;
        }
        if (type == 5 || type == 24) { /* seconds */
            b[0] = 0;
            b[1] = 0;
        }
        n = 4;
        break;
    case 9:
    case 10:
    case 12:
    case 19:
    case 21: /* an IPv6 address */
        doc_v6(g, b);
        n = 16;
        break;
    case 8:
    case 15:
    case 18: /* IPv6 address and prefix length */
        doc_v6(g, b);
        b[16] = 64;
        n = 17;
        break;
    case 13: /* IPv4 address and netmask */
        doc_v4(g, b);
        b[3] = 0;
        b[4] = b[5] = b[6] = 0xff;
        b[7] = 0;
        n = 8;
        break;
    case 14: /* SUPPORTED_ATTRIBUTES: list of types */
        for (unsigned t = 1; t <= 4; t++) {
            b[n++] = 0;
            b[n++] = (uint8_t)t;
        }
        break;
    case 16: /* MIP6_HOME_PREFIX: lifetime, prefix, length (RFC 5026) */
        b[0] = 0;
        b[1] = 0;
        b[2] = 0x0e;
        b[3] = 0x10;
        doc_v6(g, b + 4);
        b[20] = 64;
        n = 21;
        break;
    case 17: /* INTERNAL_IP6_LINK: interface ID, link ID (RFC 5739) */
        for (n = 0; n < 12; n++)
            b[n] = (uint8_t)rnd(g);
        break;
    case 22: /* FTT_KAT */
        b[n++] = 0;
        b[n++] = 20;
        break;
    case 23: /* EXTERNAL_SOURCE_IP4_NAT_INFO: address, port */
        doc_v4(g, b);
        b[4] = 0x11;
        b[5] = 0x94;
        n = 6;
        break;
    case 7:
        return copy_str(g, "ikeharness 0.1");
    case 25:
        return copy_str(g, "corp.example.com");
    default:
        return rand_bytes(g, range(g, 4, 32));
    }
    return copy_bytes(g, b, n);
}

static void add_cp(gen *g, uint8_t cfg_type, unsigned nattr, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_CP);
    if (!pl)
        return;
    pl->u.cp.cfg_type = cfg_type;
    bool filled = cfg_type == IKH_CFG_REPLY || cfg_type == IKH_CFG_SET;
    for (unsigned i = 0; i < nattr && !g->fail; i++) {
        ikh_cp_attr *a = ikh_wire_cp_attr_add(g->m, pl);
        if (!a) {
            g->fail = true;
            return;
        }
        a->type = (uint16_t)reg_pick(g, K_CFG, cycled);
        a->value = filled ? cfg_value(g, a->type) : sp(NULL, 0);
    }
}

/* EAP (RFC 3748 §4): Code, Identifier, Length, then Type and data. */
static void add_eap(gen *g, bool cycled)
{
    ikh_pl *pl = pl_new(g, IKH_PL_EAP);
    if (!pl)
        return;
    uint8_t b[64];
    size_t n = 4;
    uint8_t code = (uint8_t)reg_pick(g, K_EAP, cycled);
    b[0] = code;
    b[1] = (uint8_t)rnd(g);
    if (code == IKH_EAP_REQUEST || code == IKH_EAP_RESPONSE) {
        static const char ident[] = "user@example.org";
        unsigned type = range(g, 1, 4);
        b[n++] = (uint8_t)type;
        switch (type) {
        case 1: /* Identity */
        case 2: /* Notification */
            memcpy(b + n, ident, sizeof ident - 1);
            n += sizeof ident - 1;
            break;
        case 3: /* Nak: desired auth types */
            b[n++] = 4;
            b[n++] = 26;
            break;
        default: /* MD5-Challenge: Value-Size, Value, Name */
            b[n++] = 16;
            for (int i = 0; i < 16; i++)
                b[n++] = (uint8_t)rnd(g);
            memcpy(b + n, "peer", 4);
            n += 4;
            break;
        }
    }
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    pl->u.eap.body = copy_bytes(g, b, n);
    pl->u.eap.code = code;
    pl->u.eap.ident = b[1];
    pl->u.eap.len = (uint16_t)n;
    pl->u.eap.has_type = n > 4;
    pl->u.eap.eap_type = n > 4 ? b[4] : 0;
}

/* A payload carried as opaque bytes: GSPM, IDg, GSA, KD, PS, unknown. */
static void add_opaque(gen *g, uint8_t type, bool critical)
{
    ikh_pl *pl = pl_new(g, type);
    if (!pl)
        return;
    pl->flags = critical ? IKH_PL_CRITICAL : 0;
    pl->u.raw.data = rand_bytes(g, range(g, 0, 48));
}

/* Any type that can be the first payload inside SK (not SK/SKF). */
static uint8_t inner_type(gen *g)
{
    static const uint8_t t[] = {IKH_PL_IDI,  IKH_PL_IDR,    IKH_PL_AUTH,
                                IKH_PL_SA,   IKH_PL_NOTIFY, IKH_PL_DELETE,
                                IKH_PL_CP,   IKH_PL_EAP,    IKH_PL_NONCE,
                                IKH_PL_CERT, IKH_PL_TSI,    IKH_PL_VID};
    return t[below(g, sizeof t)];
}

/* SK, always last: IV, ciphertext, ICV as random octets. */
static void add_sk(gen *g)
{
    ikh_pl *pl = pl_new(g, IKH_PL_SK);
    if (!pl)
        return;
    pl->u.sk.inner = inner_type(g);
    pl->u.sk.body = rand_bytes(g, 16u * range(g, 2, 12) + 12u);
}

/* SKF alone (RFC 7383 §2.5): Next Payload only in fragment 1. */
static void add_skf(gen *g)
{
    ikh_pl *pl = pl_new(g, IKH_PL_SKF);
    if (!pl)
        return;
    pl->u.skf.total = (uint16_t)range(g, 1, 6);
    pl->u.skf.frag_num = (uint16_t)range(g, 1, pl->u.skf.total);
    pl->u.skf.inner = pl->u.skf.frag_num == 1 ? inner_type(g) : 0;
    pl->u.skf.body = rand_bytes(g, 16u * range(g, 2, 20) + 16u);
}

/* One payload of a random type, for the mixed plan. */
static void add_random(gen *g)
{
    switch (below(g, 22)) {
    case 0:
        add_sa(g, rand_proto(g), false);
        break;
    case 1:
        add_ke(g, false);
        break;
    case 2:
        add_id(g, IKH_PL_IDI, false);
        break;
    case 3:
        add_id(g, IKH_PL_IDR, false);
        break;
    case 4:
        add_cert(g, false);
        break;
    case 5:
        add_certreq(g, false);
        break;
    case 6:
        add_auth(g, false);
        break;
    case 7:
        add_nonce(g);
        break;
    case 8:
        add_notify(g, false);
        break;
    case 9:
        add_delete(g, chance(g, 2));
        break;
    case 10:
        add_vid(g);
        break;
    case 11:
        add_ts(g, IKH_PL_TSI);
        break;
    case 12:
        add_ts(g, IKH_PL_TSR);
        break;
    case 13:
        add_cp(g, (uint8_t)range(g, 1, 4), range(g, 0, 5), false);
        break;
    case 14:
        add_eap(g, false);
        break;
    case 15:
        add_opaque(g, (uint8_t)range(g, IKH_PL_GSPM, IKH_PL_KD), false);
        break;
    case 16:
        add_opaque(g, IKH_PL_PS, false);
        break;
    case 17:
        add_opaque(g, (uint8_t)range(g, 55, 255), chance(g, 2));
        break;
    case 18:
        add_opaque(g, (uint8_t)range(g, 1, 32), false);
        break;
    default:
        add_notify(g, false);
        break;
    }
}

/* ---- plans ---- */

static void plan_build(gen *g)
{
    switch (g->plan) {
    case P_SA_INIT:
        add_sa(g, IKH_PROTO_IKE, true);
        add_ke(g, true);
        add_nonce(g);
        for (int i = 0; i < 3; i++)
            add_notify(g, true);
        if (chance(g, 2))
            add_certreq(g, false);
        add_vid(g);
        break;
    case P_AUTH_I:
        add_id(g, IKH_PL_IDI, true);
        add_cert(g, true);
        add_certreq(g, true);
        if (chance(g, 2))
            add_id(g, IKH_PL_IDR, false);
        add_auth(g, true);
        add_cp(g, IKH_CFG_REQUEST, 4, true);
        add_sa(g, chance(g, 4) ? IKH_PROTO_AH : IKH_PROTO_ESP, true);
        add_ts(g, IKH_PL_TSI);
        add_ts(g, IKH_PL_TSR);
        for (int i = 0; i < 2; i++)
            add_notify(g, true);
        break;
    case P_AUTH_R:
        add_id(g, IKH_PL_IDR, true);
        add_cert(g, true);
        add_auth(g, true);
        add_cp(g, IKH_CFG_REPLY, 4, true);
        add_sa(g, IKH_PROTO_ESP, true);
        add_ts(g, IKH_PL_TSI);
        add_ts(g, IKH_PL_TSR);
        add_notify(g, true);
        add_eap(g, true);
        break;
    case P_CHILD:
        add_notify(g, true);
        add_sa(g, rand_proto(g), true);
        add_nonce(g);
        add_ke(g, true);
        add_ts(g, IKH_PL_TSI);
        add_ts(g, IKH_PL_TSR);
        break;
    case P_INFO:
        add_delete(g, true);
        add_delete(g, false);
        for (int i = 0; i < 2; i++)
            add_notify(g, true);
        add_cp(g, chance(g, 2) ? IKH_CFG_SET : IKH_CFG_ACK, 2, true);
        break;
    case P_MISC:
        for (uint8_t t = IKH_PL_GSPM; t <= IKH_PL_KD; t++)
            add_opaque(g, t, false);
        add_opaque(g, IKH_PL_PS, false);
        add_opaque(g, 200, false);
        add_opaque(g, (uint8_t)range(g, 201, 239), true);
        add_vid(g);
        add_notify(g, true);
        break;
    case P_SKF:
        add_skf(g);
        return;
    default:
        for (unsigned n = below(g, 7); n > 0 && !g->fail; n--)
            add_random(g);
        break;
    }
    if (chance(g, 3))
        add_sk(g);
}

static const uint8_t flag_sets[4] = {0x00, IKH_HDR_F_INITIATOR,
                                     IKH_HDR_F_RESPONSE,
                                     IKH_HDR_F_INITIATOR | IKH_HDR_F_RESPONSE};

size_t ikh_tl_gen_msg(ikh_msg *m, uint8_t *store, size_t store_cap,
                      uint32_t seed, unsigned index)
{
    gen g = {.store = store, .cap = store_cap, .m = m};
    g.s = ((uint64_t)seed << 32 | index) ^ 0x6a09e667f3bcc908ull;
    rnd(&g);
    ikh_wire_msg_init(m);
    g.plan = index % NPLANS;
    slots_init(&g, g.plan, index / NPLANS);

    ikh_ike_hdr *h = &m->hdr;
    unsigned e = index % 12;
    h->exch =
        (uint8_t)(e < 11 ? IKH_EXCH_IKE_SA_INIT + e : range(&g, 240, 255));
    h->flags = flag_sets[(index / 12) % 4];
    h->version = 0x20;
    h->ispi = rnd(&g) | 1;
    bool init_req =
        h->exch == IKH_EXCH_IKE_SA_INIT && !(h->flags & IKH_HDR_F_RESPONSE);
    h->rspi = init_req && !chance(&g, 8) ? 0 : rnd(&g) | 1;
    h->mid = h->exch == IKH_EXCH_IKE_SA_INIT ? 0
             : chance(&g, 8)                 ? (uint32_t)rnd(&g)
                                             : below(&g, 1000);
    plan_build(&g);
    if (g.fail)
        return 0;
    return g.used ? g.used : 1;
}
