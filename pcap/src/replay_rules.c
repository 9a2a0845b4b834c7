/* SPDX-License-Identifier: MIT */
/*
 * The message-level conformance rules of the replay (replay.h): each
 * looks at one IKE message (its outer payloads, and its inner ones when
 * they are visible) and records a verdict per rule. Exchange, SA and ESP
 * rules need the model and live in replay.c. Every rule cites its RFC
 * section; the rows with the text are in replay_rules_table.h.
 */
#include "ikh/iana.h"
#include "ikh/names.h"
#include "replay_int.h"

/* ---- helpers --------------------------------------------------------- */

const ikh_pl *rp_find(const ikh_msg *m, uint8_t type)
{
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].type == type)
            return &m->pl[i];
    return NULL;
}

const ikh_pl *rp_notify(const ikh_msg *m, uint16_t type)
{
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].type == IKH_PL_NOTIFY && m->pl[i].u.notify.type == type)
            return &m->pl[i];
    return NULL;
}

bool rp_error_answer(const ikh_msg *m)
{
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        /* §3.10.1: types below 16384 are errors */
        if (p->type == IKH_PL_NOTIFY &&
            (p->u.notify.type < 16384u || p->u.notify.type == IKH_N_COOKIE))
            return true;
    }
    return false;
}

bool rp_protected_exch(uint8_t exch)
{
    return exch == IKH_EXCH_IKE_AUTH || exch == IKH_EXCH_CREATE_CHILD_SA ||
           exch == IKH_EXCH_INFORMATIONAL || exch == IKH_EXCH_IKE_INTERMEDIATE;
}

/* Can a rule that needs the inner payloads look? Records NOKEYS (or n/a
 * for a fragment whose message is not whole yet) when it cannot. */
static bool see(rp_ctx *c, ikh_rule_id rule)
{
    if (c->view)
        return true;
    if (c->encrypted && !c->pending)
        rp_set(c->r, c->item, rule, IKH_VERDICT_NOKEYS, NULL);
    return false;
}

static bool has_sa_exch(uint8_t exch)
{
    return exch == IKH_EXCH_IKE_SA_INIT || exch == IKH_EXCH_IKE_AUTH ||
           exch == IKH_EXCH_CREATE_CHILD_SA;
}

/* ---- header (RFC 7296 §3.1, §2.2) ------------------------------------- */

static void rules_header(rp_ctx *c)
{
    const ikh_ike_hdr *h = &c->m->hdr;
    ikh_replay *r = c->r;
    size_t it = c->item;
    bool init = h->exch == IKH_EXCH_IKE_SA_INIT;
    /*= rfc7296#3.1
     *# Implementations based on this version of IKE MUST set the major
     *# version to 2.
     */
    RP_JUDGE(r, it, IKH_RULE_HDR_MAJOR, h->version >> 4 == 2,
             "major version %u", h->version >> 4);
    /* §3.1: "MUST set the minor version to 0" */
    RP_JUDGE(r, it, IKH_RULE_HDR_MINOR, (h->version & 15u) == 0,
             "minor version %u", h->version & 15u);
    /* §3.1: V "MUST clear this bit when sending"; X bits "MUST be
     * cleared when sending" */
    uint8_t bad =
        h->flags & (uint8_t) ~(IKH_HDR_F_INITIATOR | IKH_HDR_F_RESPONSE);
    RP_JUDGE(r, it, IKH_RULE_HDR_FLAGS, bad == 0, "flags 0x%02x", h->flags);
    /* §3.1: Initiator's SPI "MUST NOT be zero" */
    RP_JUDGE(r, it, IKH_RULE_HDR_ISPI, h->ispi != 0, "initiator SPI is 0");
    bool resp = (h->flags & IKH_HDR_F_RESPONSE) != 0;
    /* §3.1: Responder's SPI "MUST be zero in the first message of an IKE
     * initial exchange (including repeats of that message including a
     * cookie)" */
    if (init && !resp)
        RP_JUDGE(r, it, IKH_RULE_HDR_RSPI_INIT, h->rspi == 0,
                 "responder SPI %016llx", (unsigned long long)h->rspi);
    if (!init || (resp && c->parsed && rp_find(c->m, IKH_PL_SA) != NULL))
        RP_JUDGE(r, it, IKH_RULE_HDR_RSPI_SET, h->rspi != 0,
                 "responder SPI is 0");
    /* §3.1: Exchange Types 0-33 are reserved */
    RP_JUDGE(r, it, IKH_RULE_HDR_EXCH_RESERVED, h->exch >= 34,
             "Exchange Type %u", h->exch);
    /* §2.2: IKE_SA_INIT is the first exchange, Message ID 0 */
    if (init)
        RP_JUDGE(r, it, IKH_RULE_INIT_MID, h->mid == 0, "Message ID %u",
                 h->mid);
}

/* ---- structure (RFC 7296 §3.2, §3.14, §1.2; RFC 7383 §2.5) ------------- */

static void rules_structure(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    /* errors another rule names are that rule's */
    if (c->perr == IKH_ERR_WIRE_PL_AFTER_SK)
        RP_JUDGE(r, it, IKH_RULE_SK_LAST, false, "%s", ikh_err_name(c->perr));
    else if (c->perr == IKH_ERR_WIRE_SKF_FRAG_NUM)
        RP_JUDGE(r, it, IKH_RULE_SKF_FRAG_NUM, false, "%s",
                 ikh_err_name(c->perr));
    else if (c->perr != IKH_ERR_WIRE_BAD_MAJOR)
        RP_JUDGE(r, it, IKH_RULE_MSG_WELLFORMED, c->parsed, "%s",
                 ikh_err_name(c->perr));
    if (!c->parsed)
        return;
    /* §3.2: RESERVED "MUST be sent as zero" */
    int bad = -1;
    for (size_t i = 0; i < m->n_pl && bad < 0; i++)
        if (m->pl[i].flags & 0x7fu)
            bad = (int)i;
    RP_JUDGE(r, it, IKH_RULE_PL_RESERVED, bad < 0, "payload %d flags 0x%02x",
             bad, bad >= 0 ? m->pl[bad].flags : 0);
    /* §3.2: Critical "MUST be set to zero for payload types defined in
     * this document" (SA 33 through EAP 48) */
    int crit = -1;
    for (size_t i = 0; i < m->n_pl && crit < 0; i++)
        if ((m->pl[i].flags & 0x80u) && m->pl[i].type >= IKH_PL_SA &&
            m->pl[i].type <= IKH_PL_EAP)
            crit = (int)i;
    RP_JUDGE(r, it, IKH_RULE_PL_CRITICAL, crit < 0,
             "payload %d (type %u) has the critical bit set", crit,
             crit >= 0 ? m->pl[crit].type : 0);
    const ikh_pl *sk = rp_find(m, IKH_PL_SK);
    const ikh_pl *skf = rp_find(m, IKH_PL_SKF);
    /* §3.14: parsed with SK/SKF means nothing followed it */
    if (sk != NULL || skf != NULL)
        rp_set(r, it, IKH_RULE_SK_LAST, IKH_VERDICT_PASS, NULL);
    /* §1.2: IKE_SA_INIT is not protected; RFC 7383 §2.5: not fragmented */
    if (exch == IKH_EXCH_IKE_SA_INIT)
        RP_JUDGE(r, it, IKH_RULE_INIT_CLEAR, sk == NULL && skf == NULL,
                 "IKE_SA_INIT with an Encrypted payload");
    /* §1.2: "All messages following the initial exchange are
     * cryptographically protected"; §2.21.4 lets an INVALID_IKE_SPI
     * answer go unprotected */
    if (rp_protected_exch(exch)) {
        const ikh_pl *n = rp_notify(m, IKH_N_INVALID_IKE_SPI);
        if (!(c->is_resp && n != NULL && sk == NULL && skf == NULL))
            RP_JUDGE(r, it, IKH_RULE_MSG_PROTECTED, sk != NULL || skf != NULL,
                     "%s without an Encrypted payload",
                     ikh_name(IKH_NT_EXCH, exch));
    }
    if (skf != NULL) {
        /* RFC 7383 §2.5: numbered 1..Total (parse checks it) */
        rp_set(r, it, IKH_RULE_SKF_FRAG_NUM, IKH_VERDICT_PASS, NULL);
        /* RFC 7383 §2.5: Next Payload is the first inner payload in
         * fragment 1 and 0 in the others */
        bool first = skf->u.skf.frag_num == 1;
        RP_JUDGE(r, it, IKH_RULE_SKF_NEXT, first == (skf->u.skf.inner != 0),
                 "fragment %u has Next Payload %u", skf->u.skf.frag_num,
                 skf->u.skf.inner);
    }
}

/* ---- payloads per exchange (RFC 7296 §1.2, §1.3, §2.9) ----------------- */

static bool child_sa(const ikh_msg *m)
{
    const ikh_pl *sa = rp_find(m, IKH_PL_SA);
    if (sa == NULL || sa->u.sa.count == 0)
        return false;
    uint8_t proto = m->prop[sa->u.sa.first].proto;
    return proto == IKH_PROTO_ESP || proto == IKH_PROTO_AH;
}

static void rules_payloads(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    bool has_sa = rp_find(m, IKH_PL_SA) != NULL;
    bool has_ke = rp_find(m, IKH_PL_KE) != NULL;
    bool has_n = rp_find(m, IKH_PL_NONCE) != NULL;
    if (exch == IKH_EXCH_IKE_SA_INIT && !c->is_resp)
        /* §1.2: HDR, SAi1, KEi, Ni */
        RP_JUDGE(r, it, IKH_RULE_INIT_REQ_PAYLOADS, has_sa && has_ke && has_n,
                 "SA %d KE %d Nonce %d", has_sa, has_ke, has_n);
    if (exch == IKH_EXCH_IKE_SA_INIT && c->is_resp)
        /* §1.2: HDR, SAr1, KEr, Nr; or an error / COOKIE answer (§2.6,
         * §2.21.1) */
        RP_JUDGE(r, it, IKH_RULE_INIT_RESP_PAYLOADS,
                 (has_sa && has_ke && has_n) || (!has_sa && rp_error_answer(m)),
                 "SA %d KE %d Nonce %d, no error Notify", has_sa, has_ke,
                 has_n);
    if (exch == IKH_EXCH_IKE_AUTH && c->is_resp &&
        see(c, IKH_RULE_AUTH_RESP_AUTH) && has_sa)
        /* §1.2: HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr} */
        RP_JUDGE(r, it, IKH_RULE_AUTH_RESP_AUTH,
                 rp_find(m, IKH_PL_AUTH) != NULL, "SA without AUTH");
    if ((exch == IKH_EXCH_IKE_AUTH || exch == IKH_EXCH_CREATE_CHILD_SA) &&
        see(c, IKH_RULE_CHILD_TS) && child_sa(m)) {
        /* §2.9 / §1.3: a Child SA comes with TSi and TSr */
        bool ts = rp_find(m, IKH_PL_TSI) && rp_find(m, IKH_PL_TSR);
        RP_JUDGE(r, it, IKH_RULE_CHILD_TS, ts, "Child SA without TSi/TSr");
    }
    if (exch == IKH_EXCH_CREATE_CHILD_SA && see(c, IKH_RULE_CCSA_PAYLOADS) &&
        !(c->is_resp && rp_error_answer(m)))
        /* §1.3: HDR, SK {SA, Ni, [KEi]} / HDR, SK {SA, Nr, [KEr]} */
        RP_JUDGE(r, it, IKH_RULE_CCSA_PAYLOADS, has_sa && has_n,
                 "SA %d Nonce %d", has_sa, has_n);
}

/* ---- nonces and KE (RFC 7296 §3.9, §3.4) -------------------------------- */

static void rules_nonce_ke(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    if (exch != IKH_EXCH_IKE_SA_INIT && exch != IKH_EXCH_CREATE_CHILD_SA)
        return;
    bool nonce_ok = see(c, IKH_RULE_NONCE_LEN);
    bool ke_ok = see(c, IKH_RULE_KE_GROUP);
    for (size_t i = 0; i < m->n_pl && nonce_ok; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_NONCE)
            continue;
        /*= rfc7296#3.9
         *# The size of the Nonce Data MUST be between 16 and 256 octets,
         *# inclusive.
         */
        size_t n = p->u.raw.data.len;
        RP_JUDGE(r, it, IKH_RULE_NONCE_LEN, n >= 16 && n <= 256,
                 "nonce of %zu octets", n);
    }
    const ikh_pl *ke = rp_find(m, IKH_PL_KE);
    if (!ke_ok || ke == NULL)
        return;
    /* §3.4: the group MUST match a D-H group of a proposal in the SA
     * payload of the same message */
    uint16_t g = ke->u.ke.group;
    bool found = false;
    for (size_t i = 0; i < m->n_pl && !found; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_SA)
            continue;
        for (uint16_t k = 0; k < p->u.sa.count && !found; k++) {
            const ikh_prop *pr = &m->prop[p->u.sa.first + k];
            for (uint16_t x = 0; x < pr->xf_count && !found; x++) {
                const ikh_xform *xf = &m->xf[pr->xf_first + x];
                found = xf->type == IKH_XF_KE && xf->id == g;
            }
        }
    }
    RP_JUDGE(r, it, IKH_RULE_KE_GROUP, found, "KE group %u not proposed", g);
}

/* Length of a group's public value (RFC 7296 §3.4, RFC 3526, RFC 5114,
 * RFC 5903 §7, RFC 6954, RFC 8031 §2); 0: not known here. */
static size_t ke_len(uint16_t g)
{
    switch (g) {
    case IKH_KE_MODP768:
        return 96;
    case IKH_KE_MODP1024:
    case IKH_KE_MODP1024_160:
        return 128;
    case IKH_KE_MODP1536:
        return 192;
    case IKH_KE_MODP2048:
    case IKH_KE_MODP2048_224:
    case IKH_KE_MODP2048_256:
        return 256;
    case IKH_KE_MODP3072:
        return 384;
    case IKH_KE_MODP4096:
        return 512;
    case IKH_KE_MODP6144:
        return 768;
    case IKH_KE_MODP8192:
        return 1024;
    case IKH_KE_ECP192:
        return 48;
    case IKH_KE_ECP224:
    case IKH_KE_BRAINPOOL_P224:
        return 56;
    case IKH_KE_ECP256:
    case IKH_KE_BRAINPOOL_P256:
        return 64;
    case IKH_KE_ECP384:
    case IKH_KE_BRAINPOOL_P384:
        return 96;
    case IKH_KE_ECP521:
        return 132;
    case IKH_KE_BRAINPOOL_P512:
        return 128;
    case IKH_KE_CURVE25519:
        return 32;
    case IKH_KE_CURVE448:
        return 56;
    default:
        return 0;
    }
}

static void rules_ke_id_len(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    if (!c->view) {
        if (exch == IKH_EXCH_CREATE_CHILD_SA)
            (void)see(c, IKH_RULE_KE_LEN);
        if (exch == IKH_EXCH_IKE_AUTH)
            (void)see(c, IKH_RULE_ID_LEN);
        return;
    }
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type == IKH_PL_KE && ke_len(p->u.ke.group) != 0)
            /* §3.4; RFC 5903 §7; RFC 8031 §2 */
            RP_JUDGE(r, it, IKH_RULE_KE_LEN,
                     p->u.ke.data.len == ke_len(p->u.ke.group),
                     "group %u public value of %zu octets, want %zu",
                     p->u.ke.group, p->u.ke.data.len, ke_len(p->u.ke.group));
        if ((p->type == IKH_PL_IDI || p->type == IKH_PL_IDR) &&
            (p->u.id.id_type == IKH_ID_IPV4_ADDR ||
             p->u.id.id_type == IKH_ID_IPV6_ADDR)) {
            /* §3.5: a four- / sixteen-octet address */
            size_t want = p->u.id.id_type == IKH_ID_IPV4_ADDR ? 4u : 16u;
            RP_JUDGE(r, it, IKH_RULE_ID_LEN, p->u.id.data.len == want,
                     "ID type %u of %zu octets", p->u.id.id_type,
                     p->u.id.data.len);
        }
    }
}

/* ---- proposals (RFC 7296 §2.7, §3.3) ------------------------------------ */

static bool fixed_key(uint16_t encr)
{
    return encr == IKH_ENCR_3DES || encr == IKH_ENCR_DES ||
           encr == IKH_ENCR_NULL || encr == IKH_ENCR_CHACHA20_POLY1305 ||
           encr == IKH_ENCR_CHACHA20_POLY1305_IIV;
}

/* §3.3.5: one Key Length at most, only on ENCR, never on fixed-key ones */
static bool keylen_ok(const ikh_msg *m, const ikh_xform *x)
{
    unsigned n = 0;
    for (uint16_t a = 0; a < x->attr_count; a++) {
        const ikh_xattr *at = &m->attr[x->attr_first + a];
        if (at->type != IKH_XATTR_KEY_LENGTH)
            continue;
        if (!at->tv)
            return false;
        n++;
    }
    if (n == 0)
        return true;
    return n == 1 && x->type == IKH_XF_ENCR && !fixed_key(x->id);
}

/* §3.3.3: transform types per protocol */
static bool types_ok(const ikh_msg *m, const ikh_prop *p, uint8_t *bad)
{
    unsigned have = 0;
    for (uint16_t i = 0; i < p->xf_count; i++) {
        uint8_t t = m->xf[p->xf_first + i].type;
        bool addke = t >= IKH_XF_ADDKE1 && t <= IKH_XF_ADDKE7;
        bool ok = false;
        if (p->proto == IKH_PROTO_IKE)
            ok = t == IKH_XF_ENCR || t == IKH_XF_PRF || t == IKH_XF_INTEG ||
                 t == IKH_XF_KE || addke;
        else if (p->proto == IKH_PROTO_ESP)
            ok = t == IKH_XF_ENCR || t == IKH_XF_INTEG || t == IKH_XF_KE ||
                 t == IKH_XF_ESN || addke;
        else if (p->proto == IKH_PROTO_AH)
            ok =
                t == IKH_XF_INTEG || t == IKH_XF_KE || t == IKH_XF_ESN || addke;
        if (!ok) {
            *bad = t;
            return false;
        }
        if (t < 32)
            have |= 1u << t;
    }
    *bad = 0;
    if (p->proto == IKH_PROTO_IKE)
        return (have & (1u << IKH_XF_ENCR)) && (have & (1u << IKH_XF_PRF)) &&
               (have & (1u << IKH_XF_KE));
    if (p->proto == IKH_PROTO_ESP)
        return (have & (1u << IKH_XF_ENCR)) != 0;
    return (have & (1u << IKH_XF_INTEG)) != 0;
}

static bool proto_ok(uint8_t exch, uint8_t proto)
{
    bool child = proto == IKH_PROTO_ESP || proto == IKH_PROTO_AH;
    if (exch == IKH_EXCH_IKE_SA_INIT)
        return proto == IKH_PROTO_IKE;
    if (exch == IKH_EXCH_IKE_AUTH)
        return child;
    return child || proto == IKH_PROTO_IKE;
}

/* Expected SPI Size, or -1 when the protocol has no rule here. */
static int spi_size(uint8_t exch, uint8_t proto)
{
    if (proto == IKH_PROTO_IKE)
        return exch == IKH_EXCH_IKE_SA_INIT ? 0 : 8;
    if (proto == IKH_PROTO_ESP || proto == IKH_PROTO_AH)
        return 4;
    return -1;
}

static void rules_one_proposal(rp_ctx *c, const ikh_prop *p)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    RP_JUDGE(r, it, IKH_RULE_PROP_PROTO, proto_ok(exch, p->proto),
             "protocol %u in %s", p->proto, ikh_name(IKH_NT_EXCH, exch));
    int want = spi_size(exch, p->proto);
    if (want >= 0)
        RP_JUDGE(r, it, IKH_RULE_PROP_SPI_SIZE, p->spi.len == (size_t)want,
                 "protocol %u with SPI Size %zu, want %d", p->proto, p->spi.len,
                 want);
    uint8_t bad = 0;
    if (p->proto == IKH_PROTO_IKE || p->proto == IKH_PROTO_ESP ||
        p->proto == IKH_PROTO_AH)
        RP_JUDGE(r, it, IKH_RULE_XFORM_TYPES, types_ok(m, p, &bad),
                 "proposal %u (protocol %u): transform type %u not allowed "
                 "or a mandatory type missing",
                 p->num, p->proto, bad);
    for (uint16_t i = 0; i < p->xf_count; i++) {
        const ikh_xform *x = &m->xf[p->xf_first + i];
        RP_JUDGE(r, it, IKH_RULE_XFORM_KEYLEN, keylen_ok(m, x),
                 "Key Length on transform type %u ID %u", x->type, x->id);
    }
    if (c->is_resp) {
        /* §3.3: exactly one transform of each type in the accepted suite */
        unsigned seen = 0, dup = 0;
        for (uint16_t i = 0; i < p->xf_count; i++) {
            uint8_t t = m->xf[p->xf_first + i].type;
            if (t < 32 && (seen & (1u << t)))
                dup = t;
            if (t < 32)
                seen |= 1u << t;
        }
        RP_JUDGE(r, it, IKH_RULE_PROP_ONE_EACH, dup == 0,
                 "transform type %u twice in the accepted proposal", dup);
    }
}

static void rules_proposals(rp_ctx *c)
{
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    if (!has_sa_exch(exch))
        return;
    static const ikh_rule_id inner[] = {
        IKH_RULE_PROP_NUM,     IKH_RULE_PROP_SINGLE,   IKH_RULE_PROP_ONE_EACH,
        IKH_RULE_PROP_PROTO,   IKH_RULE_PROP_SPI_SIZE, IKH_RULE_XFORM_TYPES,
        IKH_RULE_XFORM_KEYLEN,
    };
    if (!c->view) {
        for (size_t i = 0; i < sizeof inner / sizeof inner[0]; i++)
            (void)see(c, inner[i]);
        return;
    }
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *sa = &m->pl[i];
        if (sa->type != IKH_PL_SA)
            continue;
        if (c->is_resp)
            /* §2.7: "The responder MUST choose a single suite" */
            RP_JUDGE(c->r, c->item, IKH_RULE_PROP_SINGLE, sa->u.sa.count == 1,
                     "%u proposals in a response", sa->u.sa.count);
        bool seq = true;
        for (uint16_t k = 0; k < sa->u.sa.count; k++) {
            const ikh_prop *p = &m->prop[sa->u.sa.first + k];
            /*= rfc7296#3.3.1
             *# When a proposal is made, the first proposal in an SA payload
             *# MUST be 1, and subsequent proposals MUST be one more than the
             *# previous proposal
             */
            seq = seq && p->num == k + 1u;
            rules_one_proposal(c, p);
        }
        if (!c->is_resp)
            RP_JUDGE(c->r, c->item, IKH_RULE_PROP_NUM, seq,
                     "proposals not numbered 1, 2, ...");
    }
}

/* ---- reserved fields (RFC 7296 §3.3.1 - §3.13) -------------------------- */

/* Which reserved-field rules can apply to this exchange (for NOKEYS). */
static void reserved_nokeys(rp_ctx *c)
{
    uint8_t exch = c->m->hdr.exch;
    bool sa = has_sa_exch(exch);
    bool ccsa = exch == IKH_EXCH_CREATE_CHILD_SA;
    bool auth = exch == IKH_EXCH_IKE_AUTH;
    if (sa) {
        (void)see(c, IKH_RULE_PROP_RESERVED);
        (void)see(c, IKH_RULE_XFORM_RESERVED);
    }
    if (ccsa)
        (void)see(c, IKH_RULE_KE_RESERVED);
    if (auth) {
        (void)see(c, IKH_RULE_ID_RESERVED);
        (void)see(c, IKH_RULE_AUTH_RESERVED);
    }
    if (auth || ccsa)
        (void)see(c, IKH_RULE_TS_RESERVED);
    (void)see(c, IKH_RULE_NOTIFY_PROTO);
    (void)see(c, IKH_RULE_NOTIFY_CHILD_PROTO);
}

static void rules_reserved(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    if (!c->view) {
        reserved_nokeys(c);
        return;
    }
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        switch (p->type) {
        case IKH_PL_KE: /* §3.4 */
            RP_JUDGE(r, it, IKH_RULE_KE_RESERVED, p->u.ke.reserved == 0,
                     "KE RESERVED 0x%04x", p->u.ke.reserved);
            break;
        case IKH_PL_IDI: /* §3.5 */
        case IKH_PL_IDR:
            RP_JUDGE(r, it, IKH_RULE_ID_RESERVED, p->u.id.reserved == 0,
                     "ID RESERVED 0x%06x", (unsigned)p->u.id.reserved);
            break;
        case IKH_PL_AUTH: /* §3.8 */
            RP_JUDGE(r, it, IKH_RULE_AUTH_RESERVED, p->u.auth.reserved == 0,
                     "AUTH RESERVED 0x%06x", (unsigned)p->u.auth.reserved);
            break;
        case IKH_PL_TSI: /* §3.13 */
        case IKH_PL_TSR:
            RP_JUDGE(r, it, IKH_RULE_TS_RESERVED, p->u.ts.reserved == 0,
                     "TS RESERVED 0x%06x", (unsigned)p->u.ts.reserved);
            break;
        case IKH_PL_NOTIFY: /* §3.10 */
            if (p->u.notify.spi.len == 0)
                RP_JUDGE(r, it, IKH_RULE_NOTIFY_PROTO, p->u.notify.proto == 0,
                         "Notify %u without SPI has Protocol ID %u",
                         p->u.notify.type, p->u.notify.proto);
            if (p->u.notify.spi.len == 4)
                RP_JUDGE(r, it, IKH_RULE_NOTIFY_CHILD_PROTO,
                         p->u.notify.proto == IKH_PROTO_ESP ||
                             p->u.notify.proto == IKH_PROTO_AH,
                         "Notify %u with a Child SA SPI has Protocol ID %u",
                         p->u.notify.type, p->u.notify.proto);
            break;
        case IKH_PL_SA:
            for (uint16_t k = 0; k < p->u.sa.count; k++) {
                const ikh_prop *pr = &m->prop[p->u.sa.first + k];
                /* §3.3.1 */
                RP_JUDGE(r, it, IKH_RULE_PROP_RESERVED, pr->reserved == 0,
                         "proposal %u RESERVED 0x%02x", pr->num, pr->reserved);
                for (uint16_t x = 0; x < pr->xf_count; x++) {
                    const ikh_xform *xf = &m->xf[pr->xf_first + x];
                    /* §3.3.2 */
                    RP_JUDGE(r, it, IKH_RULE_XFORM_RESERVED,
                             xf->reserved1 == 0 && xf->reserved2 == 0,
                             "transform type %u RESERVED 0x%02x 0x%02x",
                             xf->type, xf->reserved1, xf->reserved2);
                }
            }
            break;
        default:
            break;
        }
    }
}

/* ---- notifications and deletes (RFC 7296 §2.6, §3.10.1, §3.11) ---------- */

static void rules_notify_delete(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type == IKH_PL_NOTIFY && p->u.notify.type == IKH_N_COOKIE) {
            /* §2.6: "MUST be between 1 and 64 octets in length" */
            size_t n = p->u.notify.data.len;
            RP_JUDGE(r, it, IKH_RULE_COOKIE_LEN, n >= 1 && n <= 64,
                     "COOKIE of %zu octets", n);
        }
        if (p->type == IKH_PL_NOTIFY &&
            p->u.notify.type == IKH_N_INVALID_KE_PAYLOAD)
            /* §3.10.1: the data is the two-octet accepted D-H group */
            RP_JUDGE(r, it, IKH_RULE_INVALID_KE_DATA, p->u.notify.data.len == 2,
                     "INVALID_KE_PAYLOAD data of %zu octets",
                     p->u.notify.data.len);
        if (p->type == IKH_PL_DELETE) {
            /* §3.11: IKE: SPI Size 0, no SPIs; ESP/AH: 4 */
            uint8_t pr = p->u.del.proto;
            bool ok = pr == IKH_PROTO_IKE
                          ? p->u.del.spi_size == 0 && p->u.del.num_spi == 0
                      : pr == IKH_PROTO_ESP || pr == IKH_PROTO_AH
                          ? p->u.del.spi_size == 4 && p->u.del.num_spi >= 1
                          : false;
            RP_JUDGE(r, it, IKH_RULE_DELETE_SPI, ok,
                     "Delete protocol %u SPI Size %u, %u SPIs", pr,
                     p->u.del.spi_size, p->u.del.num_spi);
        }
    }
    if (m->hdr.exch == IKH_EXCH_INFORMATIONAL && !c->view)
        (void)see(c, IKH_RULE_DELETE_SPI);
}

/* ---- more payload rules (RFC 7296 §1.3 - §3.15; RFC 4303, 7383, 7427) -- */

/* Combined-mode (AEAD) ciphers: RFC 4106, 4309, 5282, 5529, 7634, 8750,
 * 9227 (ENCR_NULL_AUTH_AES_GMAC, RFC 4543, is one as well). */
static bool aead_encr(uint16_t id)
{
    switch (id) {
    case IKH_ENCR_AES_CCM_8:
    case IKH_ENCR_AES_CCM_12:
    case IKH_ENCR_AES_CCM_16:
    case IKH_ENCR_AES_GCM_8:
    case IKH_ENCR_AES_GCM_12:
    case IKH_ENCR_AES_GCM_16:
    case IKH_ENCR_NULL_AUTH_AES_GMAC:
    case IKH_ENCR_CAMELLIA_CCM_8:
    case IKH_ENCR_CAMELLIA_CCM_12:
    case IKH_ENCR_CAMELLIA_CCM_16:
    case IKH_ENCR_CHACHA20_POLY1305:
    case IKH_ENCR_AES_CCM_8_IIV:
    case IKH_ENCR_AES_GCM_16_IIV:
    case IKH_ENCR_CHACHA20_POLY1305_IIV:
    case IKH_ENCR_KUZNYECHIK_MGM_KTREE:
    case IKH_ENCR_MAGMA_MGM_KTREE:
    case IKH_ENCR_KUZNYECHIK_MGM_MAC_KTREE:
    case IKH_ENCR_MAGMA_MGM_MAC_KTREE:
        return true;
    default:
        return false;
    }
}

static bool has_keylen(const ikh_msg *m, const ikh_xform *x)
{
    for (uint16_t a = 0; a < x->attr_count; a++)
        if (m->attr[x->attr_first + a].type == IKH_XATTR_KEY_LENGTH)
            return true;
    return false;
}

static uint32_t spi_u32(ikh_span s)
{
    uint32_t v = 0;
    for (size_t i = 0; i < s.len && i < 4; i++)
        v = v << 8 | s.p[i];
    return v;
}

/* One proposal: §3.3, §3.3.2, §3.3.3, §3.3.5, §1.3.2; RFC 4303 §2.1. */
static void more_proposal(rp_ctx *c, const ikh_prop *p)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    unsigned n_encr = 0, n_aead = 0, n_integ = 0, n_esn = 0;
    for (uint16_t i = 0; i < p->xf_count; i++) {
        const ikh_xform *x = &m->xf[p->xf_first + i];
        if (x->type == IKH_XF_ENCR) {
            n_encr++;
            n_aead += aead_encr(x->id);
        }
        n_integ += x->type == IKH_XF_INTEG && x->id != IKH_INTEG_NONE;
        n_esn += x->type == IKH_XF_ESN;
        if (x->type == IKH_XF_ENCR || x->type == IKH_XF_PRF)
            /* §3.3.2: Transform ID 0 is reserved for ENCR and PRF */
            RP_JUDGE(r, it, IKH_RULE_XFORM_ID_RESERVED, x->id != 0,
                     "transform type %u with the reserved ID 0", x->type);
        if (x->type == IKH_XF_ENCR &&
            (x->id == IKH_ENCR_AES_CBC || x->id == IKH_ENCR_AES_CTR))
            /*= rfc7296#3.3.5
             *# Some transforms specify that the Key Length attribute MUST be
             *# always included (omitting the attribute is not allowed, and
             *# proposals not containing it MUST be rejected).  For example,
             *# this includes ENCR_AES_CBC and ENCR_AES_CTR.
             */
            RP_JUDGE(r, it, IKH_RULE_XFORM_KEYLEN_REQ, has_keylen(m, x),
                     "ENCR %u without a Key Length attribute", x->id);
    }
    if (n_encr > 0 && n_aead == n_encr)
        /*= rfc7296#3.3
         *# Combined-mode ciphers include both integrity and encryption in a
         *# single encryption algorithm, and MUST either offer no integrity
         *# algorithm or a single integrity algorithm of "NONE", with no
         *# integrity algorithm being the RECOMMENDED method.
         */
        RP_JUDGE(r, it, IKH_RULE_XFORM_AEAD_INTEG, n_integ == 0,
                 "proposal %u: combined-mode cipher with %u integrity "
                 "transforms",
                 p->num, n_integ);
    if (p->proto == IKH_PROTO_IKE && n_encr > n_aead)
        /* §3.3.3: INTEG is mandatory in IKE proposals but with AEAD */
        RP_JUDGE(r, it, IKH_RULE_XFORM_IKE_INTEG, n_integ > 0,
                 "IKE proposal %u: non-AEAD cipher without integrity", p->num);
    if (p->proto == IKH_PROTO_ESP || p->proto == IKH_PROTO_AH)
        /* §3.3.3: ESN is a mandatory type for ESP and AH */
        RP_JUDGE(r, it, IKH_RULE_XFORM_ESN, n_esn > 0,
                 "proposal %u (protocol %u) without ESN", p->num, p->proto);
    if (p->proto == IKH_PROTO_ESP && p->spi.len == 4)
        /* RFC 4303 §2.1: 0 is never sent, 1-255 are reserved by IANA */
        RP_JUDGE(r, it, IKH_RULE_PROP_ESP_SPI, spi_u32(p->spi) > 255,
                 "ESP proposal SPI %u", spi_u32(p->spi));
    if (p->proto == IKH_PROTO_IKE && m->hdr.exch == IKH_EXCH_CREATE_CHILD_SA &&
        p->spi.len == 8) {
        bool zero = true;
        for (size_t i = 0; i < 8; i++)
            zero = zero && p->spi.p[i] == 0;
        /* §1.3.2: the new IKE SA's SPI is the SA payload's; §3.1: never
         * zero */
        RP_JUDGE(r, it, IKH_RULE_IKE_REKEY_SPI, !zero,
                 "IKE rekey proposal %u with SPI 0", p->num);
    }
}

/* Does the message's (first) SA payload hold a proposal of @p proto? */
static const ikh_prop *sa_prop(const ikh_msg *m, uint8_t proto)
{
    const ikh_pl *sa = rp_find(m, IKH_PL_SA);
    for (uint16_t k = 0; sa != NULL && k < sa->u.sa.count; k++)
        if (m->prop[sa->u.sa.first + k].proto == proto)
            return &m->prop[sa->u.sa.first + k];
    return NULL;
}

/* §1.3.1, §1.3.2, §1.4, §2.21.2: payloads an exchange carries. */
static void more_exchange(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t exch = m->hdr.exch;
    bool has_sa = rp_find(m, IKH_PL_SA) != NULL;
    bool has_ts = rp_find(m, IKH_PL_TSI) || rp_find(m, IKH_PL_TSR);
    bool err = false;
    for (size_t i = 0; i < m->n_pl; i++)
        err = err || (m->pl[i].type == IKH_PL_NOTIFY &&
                      m->pl[i].u.notify.type < 16384u);
    if (exch == IKH_EXCH_IKE_AUTH && c->is_resp)
        /* §2.21.2: a failed Child SA gets the error Notify instead of
         * SAr2, TSi, TSr */
        RP_JUDGE(r, it, IKH_RULE_AUTH_ERR_NO_SA, !(err && (has_sa || has_ts)),
                 "error Notify with SA %d / TS %d", has_sa, has_ts);
    if (exch == IKH_EXCH_CREATE_CHILD_SA && c->is_resp && !err && has_sa) {
        const ikh_pl *sa = rp_find(m, IKH_PL_SA);
        uint16_t g = 0;
        for (uint16_t k = 0; k < sa->u.sa.count && g == 0; k++) {
            const ikh_prop *p = &m->prop[sa->u.sa.first + k];
            for (uint16_t x = 0; x < p->xf_count; x++)
                if (m->xf[p->xf_first + x].type == IKH_XF_KE)
                    g = m->xf[p->xf_first + x].id;
        }
        /* §1.3.1: the response has "a Diffie-Hellman value in the KEr
         * payload if KEi was included in the request and the selected
         * cryptographic suite includes that group"; without KEi the
         * answer is INVALID_KE_PAYLOAD, an error */
        RP_JUDGE(r, it, IKH_RULE_CCSA_KE_PFS,
                 g == 0 || rp_find(m, IKH_PL_KE) != NULL,
                 "accepted D-H group %u without KE", g);
    }
    if (exch == IKH_EXCH_CREATE_CHILD_SA && sa_prop(m, IKH_PROTO_IKE) != NULL)
        /* §1.3.2: HDR, SK {SA, Ni, KEi} / HDR, SK {SA, Nr, KEr} */
        RP_JUDGE(r, it, IKH_RULE_IKE_REKEY_PAYLOADS,
                 rp_find(m, IKH_PL_KE) != NULL && !has_ts,
                 "IKE rekey with KE %d, TS %d", rp_find(m, IKH_PL_KE) != NULL,
                 has_ts);
    if (exch == IKH_EXCH_INFORMATIONAL) {
        /* §1.4: Notification, Delete and Configuration payloads (§3.12:
         * Vendor ID in any message) */
        int bad = -1;
        for (size_t i = 0; i < m->n_pl && bad < 0; i++) {
            uint8_t t = m->pl[i].type;
            if (t != IKH_PL_NOTIFY && t != IKH_PL_DELETE && t != IKH_PL_CP &&
                t != IKH_PL_VID && t != IKH_PL_SK && t != IKH_PL_SKF)
                bad = t;
        }
        RP_JUDGE(r, it, IKH_RULE_INFO_PAYLOADS, bad < 0,
                 "INFORMATIONAL with payload type %d", bad);
    }
}

/* §3.15.1: the length of a fixed-size attribute, -1: any. */
static int cp_attr_len(uint16_t type)
{
    switch (type) {
    case IKH_CFG_INTERNAL_IP4_ADDRESS:
    case IKH_CFG_INTERNAL_IP4_NETMASK:
    case IKH_CFG_INTERNAL_IP4_DNS:
    case IKH_CFG_INTERNAL_IP4_NBNS:
    case IKH_CFG_INTERNAL_IP4_DHCP:
        return 4;
    case IKH_CFG_INTERNAL_IP6_ADDRESS:
    case IKH_CFG_INTERNAL_IP6_SUBNET:
        return 17;
    case IKH_CFG_INTERNAL_IP6_DNS:
    case IKH_CFG_INTERNAL_IP6_DHCP:
        return 16;
    case IKH_CFG_INTERNAL_IP4_SUBNET:
        return 8;
    default:
        return -1;
    }
}

static void more_cp(rp_ctx *c, const ikh_pl *p)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    uint8_t t = p->u.cp.cfg_type;
    /* §3.15: RESERVED MUST be sent as zero */
    RP_JUDGE(r, it, IKH_RULE_CP_RESERVED, p->u.cp.reserved == 0,
             "CP RESERVED 0x%06x", (unsigned)p->u.cp.reserved);
    /* §3.15: CFG_REQUEST / CFG_SET ask, CFG_REPLY / CFG_ACK answer */
    bool ok = c->is_resp ? t == IKH_CFG_REPLY || t == IKH_CFG_ACK
                         : t == IKH_CFG_REQUEST || t == IKH_CFG_SET;
    RP_JUDGE(r, it, IKH_RULE_CP_TYPE, ok, "CFG type %u in a %s", t,
             c->is_resp ? "response" : "request");
    for (uint16_t k = 0; k < p->u.cp.count; k++) {
        const ikh_cp_attr *a = &m->cpa[p->u.cp.first + k];
        /* §3.15.1: "This bit MUST be set to zero" */
        RP_JUDGE(r, it, IKH_RULE_CP_ATTR_R, !a->reserved_bit,
                 "attribute %u with the reserved bit set", a->type);
        size_t n = a->value.len;
        int want = cp_attr_len(a->type);
        bool len_ok = a->type == IKH_CFG_SUPPORTED_ATTRIBUTES
                          ? n % 2 == 0
                          : want < 0 || n == 0 || n == (size_t)want;
        /* §3.15.1: "0 or 4 octets" and so on, per attribute */
        RP_JUDGE(r, it, IKH_RULE_CP_ATTR_LEN, len_ok,
                 "attribute %u of %zu octets", a->type, n);
    }
}

static bool id_string_ok(const ikh_pl *p)
{
    for (size_t i = 0; i < p->u.id.data.len; i++) {
        uint8_t o = p->u.id.data.p[i];
        if (o == 0 || o == '\r' || o == '\n')
            return false;
        if (p->u.id.id_type == IKH_ID_FQDN && (o < 0x20 || o > 0x7e))
            return false;
    }
    return true;
}

static int addr_cmp(ikh_span a, ikh_span b)
{
    for (size_t i = 0; i < a.len && i < b.len; i++)
        if (a.p[i] != b.p[i])
            return a.p[i] < b.p[i] ? -1 : 1;
    return 0;
}

static void more_notify(rp_ctx *c, const ikh_pl *p)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    uint16_t t = p->u.notify.type;
    size_t spi = p->u.notify.spi.len, n = p->u.notify.data.len;
    uint8_t pr = p->u.notify.proto;
    /* §3.10: 0 for the IKE SA (or none), 4 for ESP and AH */
    RP_JUDGE(r, it, IKH_RULE_NOTIFY_SPI_SIZE, spi == 0 || spi == 4,
             "Notify %u with SPI Size %zu", t, spi);
    if (t == IKH_N_REKEY_SA)
        /* §1.3.3: the SPI names the SA; §3.10.1: "There is no data." */
        RP_JUDGE(
            r, it, IKH_RULE_REKEY_SA_FORM,
            (pr == IKH_PROTO_ESP || pr == IKH_PROTO_AH) && spi == 4 && n == 0,
            "REKEY_SA protocol %u, SPI Size %zu, %zu data octets", pr, spi, n);
    if (t == IKH_N_NAT_DETECTION_SOURCE_IP ||
        t == IKH_N_NAT_DETECTION_DESTINATION_IP)
        /* §2.23: a SHA-1 digest */
        RP_JUDGE(r, it, IKH_RULE_NATD_LEN, n == 20,
                 "NAT_DETECTION data of %zu octets", n);
    if (t == IKH_N_IKEV2_FRAGMENTATION_SUPPORTED)
        /* RFC 7383 §2.3: Protocol ID and SPI Size 0, no data */
        RP_JUDGE(r, it, IKH_RULE_FRAG_SUPP_EMPTY, pr == 0 && spi == 0 && n == 0,
                 "IKEV2_FRAGMENTATION_SUPPORTED protocol %u, SPI Size %zu, "
                 "%zu data octets",
                 pr, spi, n);
    if (t == IKH_N_SIGNATURE_HASH_ALGORITHMS)
        /* RFC 7427 §4: a list of 16-bit hash algorithm identifiers */
        RP_JUDGE(r, it, IKH_RULE_SIGHASH_LIST, n > 0 && n % 2 == 0,
                 "SIGNATURE_HASH_ALGORITHMS data of %zu octets", n);
}

/* Record NOKEYS for the rules below an undecrypted message could break. */
static void more_nokeys(rp_ctx *c)
{
    uint8_t exch = c->m->hdr.exch;
    static const ikh_rule_id sa_rules[] = {
        IKH_RULE_XFORM_AEAD_INTEG, IKH_RULE_XFORM_IKE_INTEG,
        IKH_RULE_XFORM_ESN,        IKH_RULE_XFORM_ID_RESERVED,
        IKH_RULE_XFORM_KEYLEN_REQ, IKH_RULE_PROP_ESP_SPI,
        IKH_RULE_TS_RANGE,         IKH_RULE_TS_TYPE,
    };
    if (exch == IKH_EXCH_IKE_AUTH || exch == IKH_EXCH_CREATE_CHILD_SA)
        for (size_t i = 0; i < sizeof sa_rules / sizeof sa_rules[0]; i++)
            (void)see(c, sa_rules[i]);
    if (exch == IKH_EXCH_IKE_AUTH) {
        (void)see(c, IKH_RULE_ID_FQDN);
        (void)see(c, IKH_RULE_ID_TYPE);
        (void)see(c, IKH_RULE_AUTH_METHOD);
        (void)see(c, IKH_RULE_CERT_ENC);
        if (c->is_resp)
            (void)see(c, IKH_RULE_AUTH_ERR_NO_SA);
    }
    if (exch == IKH_EXCH_CREATE_CHILD_SA) {
        (void)see(c, IKH_RULE_IKE_REKEY_PAYLOADS);
        if (c->is_resp)
            (void)see(c, IKH_RULE_CCSA_KE_PFS);
        else
            (void)see(c, IKH_RULE_REKEY_SA_FORM);
    }
    if (exch == IKH_EXCH_INFORMATIONAL)
        (void)see(c, IKH_RULE_INFO_PAYLOADS);
    (void)see(c, IKH_RULE_NOTIFY_SPI_SIZE);
}

static void rules_more(rp_ctx *c)
{
    ikh_replay *r = c->r;
    size_t it = c->item;
    const ikh_msg *m = c->m;
    if (!c->view)
        more_nokeys(c); /* the outer payloads are still judged below */
    else
        more_exchange(c);
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        switch (p->type) {
        case IKH_PL_SA:
            for (uint16_t k = 0; c->view && k < p->u.sa.count; k++)
                more_proposal(c, &m->prop[p->u.sa.first + k]);
            break;
        case IKH_PL_NOTIFY:
            more_notify(c, p);
            break;
        case IKH_PL_CP:
            more_cp(c, p);
            break;
        case IKH_PL_IDI:
        case IKH_PL_IDR: {
            uint8_t t = p->u.id.id_type;
            /* §3.5: 0, 4 and 6-8 are reserved */
            RP_JUDGE(r, it, IKH_RULE_ID_TYPE,
                     t != 0 && t != 4 && (t < 6 || t > 8),
                     "reserved ID Type %u", t);
            if (p->u.id.id_type == IKH_ID_FQDN ||
                p->u.id.id_type == IKH_ID_RFC822_ADDR)
                /*= rfc7296#3.5
                 *# The string MUST NOT contain any terminators (e.g., NULL,
                 *# CR, etc.).
                 */
                RP_JUDGE(r, it, IKH_RULE_ID_FQDN, id_string_ok(p),
                         "ID type %u with a terminator or non-ASCII octet",
                         p->u.id.id_type);
            break;
        }
        case IKH_PL_AUTH:
            /* §3.8: 0 and 4-8 are reserved and were never assigned */
            RP_JUDGE(r, it, IKH_RULE_AUTH_METHOD,
                     p->u.auth.method != 0 &&
                         (p->u.auth.method < 4 || p->u.auth.method > 8),
                     "reserved Auth Method %u", p->u.auth.method);
            break;
        case IKH_PL_CERT:
            /* §3.6: encodings 0 and 5 are reserved */
            RP_JUDGE(r, it, IKH_RULE_CERT_ENC,
                     p->u.cert.enc != 0 && p->u.cert.enc != 5,
                     "reserved Certificate Encoding %u", p->u.cert.enc);
            break;
        case IKH_PL_CERTREQ:
            RP_JUDGE(r, it, IKH_RULE_CERT_ENC,
                     p->u.cert.enc != 0 && p->u.cert.enc != 5,
                     "reserved Certificate Encoding %u", p->u.cert.enc);
            if (p->u.cert.enc == IKH_CERT_X509_SIG ||
                p->u.cert.enc == IKH_CERT_HASH_URL_X509 ||
                p->u.cert.enc == IKH_CERT_HASH_URL_BUNDLE)
                /* §3.7: a concatenated list of SHA-1 hashes */
                RP_JUDGE(r, it, IKH_RULE_CERTREQ_HASHES,
                         p->u.cert.data.len % IKH_SHA1_LEN == 0,
                         "CERTREQ encoding %u with %zu octets", p->u.cert.enc,
                         p->u.cert.data.len);
            break;
        case IKH_PL_TSI:
        case IKH_PL_TSR:
            for (uint16_t k = 0; k < p->u.ts.count; k++) {
                const ikh_ts *ts = &m->ts[p->u.ts.first + k];
                /* §3.13.1: TS Types 0-6 are reserved */
                RP_JUDGE(r, it, IKH_RULE_TS_TYPE, ts->type > 6,
                         "reserved TS Type %u", ts->type);
                if (ts->type != IKH_TS_IPV4_ADDR_RANGE &&
                    ts->type != IKH_TS_IPV6_ADDR_RANGE)
                    continue;
                /* §3.13.1: smallest to largest; OPAQUE ports are
                 * 65535..0 */
                bool opaque = ts->start_port == 65535 && ts->end_port == 0;
                bool ok = (opaque || ts->start_port <= ts->end_port) &&
                          addr_cmp(ts->start, ts->end) <= 0;
                RP_JUDGE(r, it, IKH_RULE_TS_RANGE, ok,
                         "selector ports %u..%u or addresses reversed",
                         ts->start_port, ts->end_port);
            }
            break;
        default:
            break;
        }
    }
}

void rp_rules_outer(rp_ctx *c)
{
    rules_header(c);
    rules_structure(c);
}

void rp_rules_content(rp_ctx *c)
{
    if (!c->parsed)
        return;
    rules_payloads(c);
    rules_nonce_ke(c);
    rules_ke_id_len(c);
    rules_proposals(c);
    rules_reserved(c);
    rules_notify_delete(c);
    rules_more(c);
}
