/* SPDX-License-Identifier: MIT */
/*
 * The replay (replay.h): IKE messages and ESP packets come in one at a
 * time (from a capture or a message list), each becomes an item; the
 * model groups IKE messages into IKE SAs (following IKE SA rekeys to the
 * new SPIs) and exchanges (Message ID, request, response,
 * retransmissions), decrypts with capdec.h when it has the keys, and
 * judges the exchange, SA and ESP rules. The message rules are in
 * replay_rules.c, the reports in replay_report.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/bytes.h"
#include "ikh/iana.h"
#include "ikh/ike.h"
#include "ikh/names.h"
#include "replay_int.h"

#define SA_BUCKETS (sizeof((ikh_replay *)0)->sa_bucket / sizeof(long))

/* ---- results ------------------------------------------------------------ */

/* FAIL beats NOKEYS beats PASS beats n/a when a rule is judged twice on
 * one item (one payload passes, another fails: the item fails). */
static const uint8_t rank[4] = {0, 1, 3, 2};

static void *grow(void *p, size_t *cap, size_t elem, size_t need)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *np = realloc(p, nc * elem);
    if (np != NULL)
        *cap = nc;
    return np;
}

void rp_set(ikh_replay *r, size_t item, ikh_rule_id rule, ikh_verdict v,
            const char *fmt, ...)
{
    if (item >= r->n_items || (unsigned)rule >= IKH_RULE__COUNT ||
        (unsigned)v > IKH_VERDICT_NOKEYS)
        return;
    uint8_t *slot = &r->items[item].verdict[rule];
    if (v == IKH_VERDICT_FAIL && *slot != IKH_VERDICT_FAIL) {
        r->st.fail[ikh_replay_rule(rule)->level]++;
        void *np = grow(r->viol, &r->cap_viol, sizeof *r->viol, r->n_viol + 1);
        if (np == NULL) {
            r->nomem = true;
        } else {
            r->viol = np;
            ikh_replay_violation *vi = &r->viol[r->n_viol++];
            vi->item = item;
            vi->frame = r->items[item].frame;
            vi->rule = rule;
            vi->detail[0] = '\0';
            if (fmt != NULL) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(vi->detail, sizeof vi->detail, fmt, ap);
                va_end(ap);
            }
        }
    }
    if (rank[v] > rank[*slot])
        *slot = (uint8_t)v;
}

/* A new item, or SIZE_MAX when the limit is reached (counted) or memory
 * is out (r->nomem). */
static size_t item_new(ikh_replay *r, uint64_t frame, ikh_item_kind kind)
{
    r->cur_frame = frame;
    if (r->n_items >= IKH_REPLAY_MAX_ITEMS) {
        r->st.items_dropped++;
        if (r->limit_frame == 0)
            r->limit_frame = frame;
        return SIZE_MAX;
    }
    void *np = grow(r->items, &r->cap_items, sizeof *r->items, r->n_items + 1);
    if (np == NULL) {
        r->nomem = true;
        return SIZE_MAX;
    }
    r->items = np;
    ikh_replay_item *it = &r->items[r->n_items];
    memset(it, 0, sizeof *it);
    it->frame = frame;
    it->kind = kind;
    it->sa = -1;
    return r->n_items++;
}

ikh_err ikh_replay_record_error(ikh_replay *r, uint64_t frame, ikh_err err)
{
    IKH_CHECK(r != NULL, IKH_ERR_ARG_INVALID);
    r->st.record_errs++;
    if (r->n_rec < IKH_REPLAY_MAX_RECORD_ERRS)
        r->rec[r->n_rec++] = (ikh_replay_record_err){frame, err};
    return IKH_OK;
}

/* ---- IKE SAs ------------------------------------------------------------ */

static size_t sa_hash(uint64_t ispi)
{
    return (size_t)((ispi ^ (ispi >> 29) ^ (ispi >> 47)) % SA_BUCKETS);
}

static long sa_new(ikh_replay *r, uint64_t ispi, uint64_t rspi, bool history)
{
    if (r->n_sas >= IKH_REPLAY_MAX_SAS) {
        r->st.sas_dropped++;
        if (r->limit_frame == 0)
            r->limit_frame = r->cur_frame;
        return -1;
    }
    void *np = grow(r->sas, &r->cap_sas, sizeof *r->sas, r->n_sas + 1);
    if (np == NULL) {
        r->nomem = true;
        return -1;
    }
    r->sas = np;
    rp_sa *s = &r->sas[r->n_sas];
    memset(s, 0, sizeof *s);
    s->ispi = ispi;
    s->rspi = rspi;
    s->history = history;
    size_t b = sa_hash(ispi);
    s->next = r->sa_bucket[b];
    r->sa_bucket[b] = (long)r->n_sas;
    r->st.sas++;
    return (long)r->n_sas++;
}

static long sa_find(const ikh_replay *r, uint64_t ispi, uint64_t rspi)
{
    for (long i = r->sa_bucket[sa_hash(ispi)]; i >= 0; i = r->sas[i].next)
        if (r->sas[i].ispi == ispi && r->sas[i].rspi == rspi)
            return i;
    return -1;
}

/* An IKE_SA_INIT message's SA: the newest with this initiator SPI still
 * in its initial exchange, else the one with both SPIs. */
static long sa_find_init(const ikh_replay *r, uint64_t ispi, uint64_t rspi)
{
    for (long i = r->sa_bucket[sa_hash(ispi)]; i >= 0; i = r->sas[i].next)
        if (r->sas[i].ispi == ispi && !r->sas[i].init_done)
            return i;
    return rspi != 0 ? sa_find(r, ispi, rspi) : -1;
}

/* ---- exchanges ---------------------------------------------------------- */

static size_t ex_hash(const ikh_replay *r, long sa, uint32_t mid, bool by_init)
{
    uint64_t k = ((uint64_t)sa << 33) ^ ((uint64_t)mid << 1) ^ by_init;
    k *= 0x9e3779b97f4a7c15ull;
    return (size_t)(k >> 20) & (r->ex_buckets - 1);
}

static bool ex_rehash(ikh_replay *r, size_t buckets)
{
    long *nb = malloc(buckets * sizeof *nb);
    if (nb == NULL)
        return false;
    free(r->ex_bucket);
    r->ex_bucket = nb;
    r->ex_buckets = buckets;
    for (size_t i = 0; i < buckets; i++)
        nb[i] = -1;
    for (size_t i = 0; i < r->n_ex; i++) {
        rp_exch *x = &r->ex[i];
        size_t b = ex_hash(r, x->sa, x->mid, x->by_init);
        x->next = nb[b];
        nb[b] = (long)i;
    }
    return true;
}

static long ex_find(const ikh_replay *r, long sa, uint32_t mid, bool by_init)
{
    if (r->ex_buckets == 0)
        return -1;
    for (long i = r->ex_bucket[ex_hash(r, sa, mid, by_init)]; i >= 0;
         i = r->ex[i].next)
        if (r->ex[i].sa == sa && r->ex[i].mid == mid &&
            r->ex[i].by_init == by_init)
            return i;
    return -1;
}

static long ex_new(ikh_replay *r, long sa, uint32_t mid, bool by_init)
{
    void *np = grow(r->ex, &r->cap_ex, sizeof *r->ex, r->n_ex + 1);
    if (np == NULL) {
        r->nomem = true;
        return -1;
    }
    r->ex = np;
    if (r->n_ex + 1 > r->ex_buckets * 2 &&
        !ex_rehash(r, r->ex_buckets ? r->ex_buckets * 4 : 1024)) {
        r->nomem = true;
        return -1;
    }
    rp_exch *x = &r->ex[r->n_ex];
    memset(x, 0, sizeof *x);
    x->sa = sa;
    x->mid = mid;
    x->by_init = by_init;
    size_t b = ex_hash(r, sa, mid, by_init);
    x->next = r->ex_bucket[b];
    r->ex_bucket[b] = (long)r->n_ex;
    r->st.exchanges++;
    return (long)r->n_ex++;
}

/* Store (or compare) one copy of a request / response. 0: first copy of
 * this fragment; 1: identical to the first; 2: different; 3: cannot tell
 * (another Total Fragments, or too many fragments). */
static int half_add(rp_half *h, uint16_t num, uint16_t total,
                    const uint8_t hash[IKH_SHA1_LEN])
{
    if (h->n_frag > 0 && h->total != total)
        return 3;
    h->total = total;
    for (uint16_t i = 0; i < h->n_frag; i++)
        if (h->frag_num[i] == num)
            return memcmp(h->frag_hash[i], hash, IKH_SHA1_LEN) == 0 ? 1 : 2;
    if (h->n_frag >= RP_MAX_FRAG_HASH)
        return 3;
    h->frag_num[h->n_frag] = num;
    memcpy(h->frag_hash[h->n_frag], hash, IKH_SHA1_LEN);
    h->n_frag++;
    return 0;
}

/* ---- ESP SPIs ----------------------------------------------------------- */

static rp_spi *spi_slot(ikh_replay *r, uint32_t spi)
{
    if (r->n_spis + 1 > r->cap_spis / 2) {
        size_t nc = r->cap_spis ? r->cap_spis * 2 : 256;
        rp_spi *ns = calloc(nc, sizeof *ns);
        if (ns == NULL) {
            r->nomem = true;
            return NULL;
        }
        for (size_t i = 0; i < r->cap_spis; i++) {
            if (!r->spis[i].used)
                continue;
            size_t k = (r->spis[i].spi * 2654435761u) & (nc - 1);
            while (ns[k].used)
                k = (k + 1) & (nc - 1);
            ns[k] = r->spis[i];
        }
        free(r->spis);
        r->spis = ns;
        r->cap_spis = nc;
    }
    size_t k = (spi * 2654435761u) & (r->cap_spis - 1);
    while (r->spis[k].used && r->spis[k].spi != spi)
        k = (k + 1) & (r->cap_spis - 1);
    if (!r->spis[k].used) {
        r->spis[k].used = true;
        r->spis[k].spi = spi;
        r->n_spis++;
    }
    return &r->spis[k];
}

/* (SPI, sequence number) -> digest of the first packet; NULL on NOMEM.
 * *fresh says whether it was just added. */
static rp_seq *seq_slot(ikh_replay *r, uint32_t spi, uint64_t seq, bool *fresh)
{
    if (r->n_seqs + 1 > r->cap_seqs / 2) {
        size_t nc = r->cap_seqs ? r->cap_seqs * 2 : 1024;
        rp_seq *ns = calloc(nc, sizeof *ns);
        if (ns == NULL) {
            r->nomem = true;
            return NULL;
        }
        for (size_t i = 0; i < r->cap_seqs; i++) {
            if (!r->seqs[i].used)
                continue;
            uint64_t h = (r->seqs[i].seq ^ ((uint64_t)r->seqs[i].spi << 32)) *
                         0x9e3779b97f4a7c15ull;
            size_t k = (size_t)(h >> 24) & (nc - 1);
            while (ns[k].used)
                k = (k + 1) & (nc - 1);
            ns[k] = r->seqs[i];
        }
        free(r->seqs);
        r->seqs = ns;
        r->cap_seqs = nc;
    }
    uint64_t h = (seq ^ ((uint64_t)spi << 32)) * 0x9e3779b97f4a7c15ull;
    size_t k = (size_t)(h >> 24) & (r->cap_seqs - 1);
    while (r->seqs[k].used && !(r->seqs[k].spi == spi && r->seqs[k].seq == seq))
        k = (k + 1) & (r->cap_seqs - 1);
    *fresh = !r->seqs[k].used;
    if (*fresh) {
        r->seqs[k].used = true;
        r->seqs[k].spi = spi;
        r->seqs[k].seq = seq;
        r->n_seqs++;
    }
    return &r->seqs[k];
}

/* Child SA SPIs set up by ESP/AH proposals (RFC 7296 §3.3.1: the SPI the
 * proposal's sender receives on). */
static void learn_child_spis(ikh_replay *r, const ikh_msg *m)
{
    for (size_t i = 0; i < m->n_prop; i++) {
        const ikh_prop *p = &m->prop[i];
        if ((p->proto != IKH_PROTO_ESP && p->proto != IKH_PROTO_AH) ||
            p->spi.len != 4)
            continue;
        ikh_rd rd = ikh_rd_init(p->spi.p, p->spi.len);
        rp_spi *s = spi_slot(r, ikh_rd_u32(&rd));
        if (s != NULL)
            s->known = true;
    }
}

/* Is @p spi a Child SA SPI some proposal set up (no insertion)? */
static bool spi_known(const ikh_replay *r, uint32_t spi)
{
    if (r->cap_spis == 0)
        return false;
    size_t k = (spi * 2654435761u) & (r->cap_spis - 1);
    while (r->spis[k].used) {
        if (r->spis[k].spi == spi)
            return r->spis[k].known;
        k = (k + 1) & (r->cap_spis - 1);
    }
    return false;
}

/* RFC 7296 §1.3.3: REKEY_SA names the Child SA being replaced. Judged
 * before the request's own proposals are learnt. */
static void rule_rekey_sa(rp_ctx *c, const rp_sa *s, const ikh_msg *m)
{
    const ikh_pl *n = rp_notify(m, IKH_N_REKEY_SA);
    if (n == NULL || !s->history)
        return;
    uint32_t spi = 0;
    if (n->u.notify.spi.len == 4) {
        ikh_rd rd = ikh_rd_init(n->u.notify.spi.p, 4);
        spi = ikh_rd_u32(&rd);
    }
    RP_JUDGE(c->r, c->item, IKH_RULE_REKEY_SA_KNOWN,
             n->u.notify.spi.len == 4 && spi_known(c->r, spi),
             "REKEY_SA names SPI %08x (%zu octets), set up by no earlier "
             "exchange",
             spi, n->u.notify.spi.len);
}

/* ---- the replay --------------------------------------------------------- */

ikh_err ikh_replay_new(const ikh_capdec_keys *keys, ikh_replay **out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    *out = NULL;
    ikh_replay *r = calloc(1, sizeof *r);
    if (r == NULL)
        return IKH_ERR_ENV_NOMEM;
    for (size_t i = 0; i < SA_BUCKETS; i++)
        r->sa_bucket[i] = -1;
    r->keys = keys;
    r->msg = malloc(sizeof *r->msg);
    ikh_err e = r->msg != NULL ? IKH_OK : IKH_ERR_ENV_NOMEM;
    if (e == IKH_OK && keys != NULL)
        e = ikh_capdec_dec_new(keys, &r->dec);
    if (e != IKH_OK) {
        ikh_replay_free(r);
        return e;
    }
    *out = r;
    return IKH_OK;
}

void ikh_replay_free(ikh_replay *r)
{
    if (r == NULL)
        return;
    ikh_capdec_dec_free(r->dec);
    for (size_t i = 0; i < r->n_ex; i++)
        free(r->ex[i].offered);
    free(r->ex);
    free(r->ex_bucket);
    free(r->sas);
    free(r->items);
    free(r->viol);
    free(r->seqs);
    free(r->spis);
    free(r->msg);
    free(r);
}

/* ---- exchange rules ----------------------------------------------------- */

static bool addr_eq(const ikh_addr *a, const ikh_addr *b)
{
    return a->family != 0 && ikh_addr_cmp(a, b) == 0;
}

/* RFC 7296 §3.1: I is set by the original initiator, by address. */
static void rule_flag_i(rp_ctx *c, const rp_sa *s)
{
    const ikh_replay_meta *mt = c->meta;
    if (!s->addr_known || mt->src.family == 0 ||
        addr_eq(&s->init_addr, &s->resp_addr))
        return;
    bool iflag = (c->m->hdr.flags & IKH_HDR_F_INITIATOR) != 0;
    if (addr_eq(&mt->src, &s->init_addr))
        RP_JUDGE(c->r, c->item, IKH_RULE_FLAGS_I, iflag,
                 "the original initiator sent I=0");
    else if (addr_eq(&mt->src, &s->resp_addr))
        RP_JUDGE(c->r, c->item, IKH_RULE_FLAGS_I, !iflag,
                 "the original responder sent I=1");
}

static void rule_natd(rp_ctx *c)
{
    const ikh_msg *m = c->m;
    const ikh_replay_meta *mt = c->meta;
    if (mt->src.family == 0 || mt->dst.family == 0)
        return;
    uint8_t hs[IKH_SHA1_LEN], hd[IKH_SHA1_LEN];
    ikh_natd_hash(m->hdr.ispi, m->hdr.rspi, &mt->src, mt->sport, hs);
    ikh_natd_hash(m->hdr.ispi, m->hdr.rspi, &mt->dst, mt->dport, hd);
    bool any_src = false, src_ok = false, dst_bad = false, any = false;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *p = &m->pl[i];
        if (p->type != IKH_PL_NOTIFY)
            continue;
        ikh_span d = p->u.notify.data;
        bool match = false;
        if (p->u.notify.type == IKH_N_NAT_DETECTION_SOURCE_IP) {
            match = d.len == IKH_SHA1_LEN && memcmp(d.p, hs, d.len) == 0;
            any_src = any = true;
            src_ok = src_ok || match; /* one per address of a multihomed
                                         sender: one must match */
        } else if (p->u.notify.type == IKH_N_NAT_DETECTION_DESTINATION_IP) {
            match = d.len == IKH_SHA1_LEN && memcmp(d.p, hd, d.len) == 0;
            any = true;
            dst_bad = dst_bad || !match;
        }
    }
    if (any)
        RP_JUDGE(c->r, c->item, IKH_RULE_NATD_HASH,
                 (!any_src || src_ok) && !dst_bad, "%s hash does not match",
                 any_src && !src_ok ? "NAT_DETECTION_SOURCE_IP"
                                    : "NAT_DETECTION_DESTINATION_IP");
}

/* Keep the proposals a request offered (for PROP_CHOSEN). */
static void keep_offered(ikh_replay *r, rp_exch *x, const ikh_msg *m)
{
    free(x->offered);
    x->offered = NULL;
    x->n_offered = 0;
    x->offered_known = true;
    size_t n = 0;
    for (size_t i = 0; i < m->n_prop; i++)
        n += m->prop[i].xf_count;
    if (n == 0)
        return;
    x->offered = malloc(n * sizeof *x->offered);
    if (x->offered == NULL) {
        r->nomem = true;
        x->offered_known = false;
        return;
    }
    for (size_t i = 0; i < m->n_prop; i++) {
        const ikh_prop *p = &m->prop[i];
        for (uint16_t k = 0; k < p->xf_count; k++) {
            const ikh_xform *xf = &m->xf[p->xf_first + k];
            uint16_t bits = 0;
            bool kl = ikh_wire_xform_keylen(m, xf, &bits);
            x->offered[x->n_offered++] =
                (rp_xf){p->num, p->proto, xf->type, xf->id,
                        kl ? (uint32_t)bits + 1u : 0u};
        }
    }
}

/* RFC 7296 §2.7 / §3.3: the accepted proposal is one of the offered. */
static void rule_chosen(rp_ctx *c, const rp_exch *x, const ikh_msg *m)
{
    const ikh_pl *sa = rp_find(m, IKH_PL_SA);
    if (sa == NULL || sa->u.sa.count == 0 || !x->offered_known)
        return;
    const ikh_prop *p = &m->prop[sa->u.sa.first];
    unsigned offered_types = 0, got_types = 0;
    bool proto_ok = false;
    for (size_t i = 0; i < x->n_offered; i++) {
        const rp_xf *o = &x->offered[i];
        if (o->num != p->num)
            continue;
        proto_ok = o->proto == p->proto;
        if (o->type < 32)
            offered_types |= 1u << o->type;
    }
    if (!proto_ok) {
        RP_JUDGE(c->r, c->item, IKH_RULE_PROP_CHOSEN, false,
                 "proposal %u (protocol %u) was not offered", p->num, p->proto);
        return;
    }
    for (uint16_t k = 0; k < p->xf_count; k++) {
        const ikh_xform *xf = &m->xf[p->xf_first + k];
        uint16_t bits = 0;
        uint32_t kl = ikh_wire_xform_keylen(m, xf, &bits) ? bits + 1u : 0u;
        bool found = false;
        for (size_t i = 0; i < x->n_offered && !found; i++) {
            const rp_xf *o = &x->offered[i];
            found = o->num == p->num && o->type == xf->type &&
                    o->id == xf->id && o->keylen == kl;
        }
        if (!found) {
            RP_JUDGE(c->r, c->item, IKH_RULE_PROP_CHOSEN, false,
                     "transform type %u ID %u not offered in proposal %u",
                     xf->type, xf->id, p->num);
            return;
        }
        if (xf->type < 32)
            got_types |= 1u << xf->type;
    }
    RP_JUDGE(c->r, c->item, IKH_RULE_PROP_CHOSEN, got_types == offered_types,
             "accepted types 0x%x, offered 0x%x", got_types, offered_types);
}

/* Key size of a PRF (RFC 7296 §2.13: the HMAC ones take their output
 * size, RFC 4434 / RFC 4615 the AES-128 ones 16 octets); 0: unknown. */
static size_t prf_key_len(uint16_t prf)
{
    switch (prf) {
    case IKH_PRF_HMAC_MD5:
    case IKH_PRF_AES128_XCBC:
    case IKH_PRF_AES128_CMAC:
        return 16;
    case IKH_PRF_HMAC_SHA1:
        return 20;
    case IKH_PRF_HMAC_SHA2_256:
        return 32;
    case IKH_PRF_HMAC_SHA2_384:
        return 48;
    case IKH_PRF_HMAC_SHA2_512:
        return 64;
    default:
        return 0;
    }
}

/* RFC 7296 §2.10: nonces "MUST be at least half the key size of the
 * negotiated pseudorandom function (PRF)", judged on the response that
 * accepts an IKE SA (IKE_SA_INIT or an IKE SA rekey). */
static void rule_nonce_prf(rp_ctx *c, const rp_exch *x, const ikh_msg *m)
{
    const ikh_pl *sa = rp_find(m, IKH_PL_SA);
    const ikh_pl *nr = rp_find(m, IKH_PL_NONCE);
    if (sa == NULL || sa->u.sa.count == 0 || nr == NULL || x->ni_len == 0)
        return;
    const ikh_prop *p = &m->prop[sa->u.sa.first];
    if (p->proto != IKH_PROTO_IKE)
        return;
    size_t key = 0;
    for (uint16_t k = 0; k < p->xf_count; k++)
        if (m->xf[p->xf_first + k].type == IKH_XF_PRF)
            key = prf_key_len(m->xf[p->xf_first + k].id);
    if (key == 0)
        return;
    size_t n_r = nr->u.raw.data.len;
    RP_JUDGE(c->r, c->item, IKH_RULE_NONCE_PRF,
             x->ni_len * 2 >= key && n_r * 2 >= key,
             "Ni %zu / Nr %zu octets, PRF key %zu octets", x->ni_len, n_r, key);
}

static uint64_t spi64(ikh_span s)
{
    ikh_rd rd = ikh_rd_init(s.p, s.len);
    return ikh_rd_u64(&rd);
}

/* A CREATE_CHILD_SA that rekeys the IKE SA: remember the new initiator
 * SPI from the request; the response's SPI completes the new SA
 * (RFC 7296 §1.3.2, §2.18: its Message IDs start at 0 again). */
static void follow_rekey(ikh_replay *r, rp_ctx *c, rp_exch *x, const ikh_msg *m)
{
    const ikh_pl *sa = rp_find(m, IKH_PL_SA);
    if (sa == NULL || sa->u.sa.count == 0)
        return;
    const ikh_prop *p = &m->prop[sa->u.sa.first];
    if (p->proto != IKH_PROTO_IKE || p->spi.len != 8)
        return;
    if (!c->is_resp) {
        x->rekey_ike = true;
        x->rekey_ispi = spi64(p->spi);
        return;
    }
    uint64_t rspi = spi64(p->spi);
    if (!x->rekey_ike || sa_find(r, x->rekey_ispi, rspi) >= 0)
        return;
    const rp_sa old = r->sas[c->sa];
    long n = sa_new(r, x->rekey_ispi, rspi, true);
    if (n < 0)
        return;
    rp_sa *s = &r->sas[n];
    s->init_done = true;
    s->frag_req = old.frag_req;
    s->frag_resp = old.frag_resp;
    s->init_addr = x->req_src;
    s->resp_addr = c->meta->src;
    s->addr_known = x->req_src.family != 0 && c->meta->src.family != 0;
    r->st.rekeys++;
}

/* IKE_SA_INIT answers that ask for a retry (§2.6 COOKIE, §1.2
 * INVALID_KE_PAYLOAD), and the retries. */
static void init_retry(ikh_replay *r, rp_ctx *c, rp_sa *s, rp_exch *x,
                       bool new_sa)
{
    const ikh_msg *m = c->m;
    const ikh_replay_meta *mt = c->meta;
    if (c->is_resp) {
        if (rp_find(m, IKH_PL_SA) != NULL || !rp_error_answer(m))
            return;
        x->resp_err = true;
        const ikh_pl *ck = rp_notify(m, IKH_N_COOKIE);
        if (ck != NULL && ck->u.notify.data.len <= RP_COOKIE_MAX) {
            s->cookie_pending = true;
            s->cookie_len = (uint8_t)ck->u.notify.data.len;
            memcpy(s->cookie, ck->u.notify.data.p, s->cookie_len);
        }
        const ikh_pl *ke = rp_notify(m, IKH_N_INVALID_KE_PAYLOAD);
        if (ke != NULL && ke->u.notify.data.len == 2) {
            ikh_rd rd = ikh_rd_init(ke->u.notify.data.p, 2);
            s->ke_pending = true;
            s->ke_group = ikh_rd_u16(&rd);
            r->ke_hint = true;
            r->ke_hint_addr = mt->dst;
            r->ke_hint_port = mt->dport;
            r->ke_hint_group = s->ke_group;
        }
        return;
    }
    if (s->cookie_pending) {
        /* §2.6: "include the COOKIE notification containing the received
         * data as the first payload" */
        const ikh_pl *f = m->n_pl > 0 ? &m->pl[0] : NULL;
        bool ok = f != NULL && f->type == IKH_PL_NOTIFY &&
                  f->u.notify.type == IKH_N_COOKIE &&
                  f->u.notify.data.len == s->cookie_len &&
                  memcmp(f->u.notify.data.p, s->cookie, s->cookie_len) == 0;
        RP_JUDGE(r, c->item, IKH_RULE_COOKIE_RETRY, ok,
                 "retry does not start with the received COOKIE");
        s->cookie_pending = false;
    }
    bool hint = new_sa && r->ke_hint && addr_eq(&mt->src, &r->ke_hint_addr) &&
                mt->sport == r->ke_hint_port;
    if (s->ke_pending || hint) {
        uint16_t want = s->ke_pending ? s->ke_group : r->ke_hint_group;
        const ikh_pl *ke = rp_find(m, IKH_PL_KE);
        /* §1.2: retry with an element of the group the responder named */
        RP_JUDGE(r, c->item, IKH_RULE_INVALID_KE_RETRY,
                 ke != NULL && ke->u.ke.group == want,
                 "retry uses KE group %u, the responder asked for %u",
                 ke != NULL ? ke->u.ke.group : 0, want);
        s->ke_pending = false;
        r->ke_hint = false;
    }
}

/* Locate (or start) the IKE SA of a parsed message. */
static long sa_of(ikh_replay *r, rp_ctx *c, bool *new_sa)
{
    const ikh_ike_hdr *h = &c->m->hdr;
    const ikh_replay_meta *mt = c->meta;
    *new_sa = false;
    if (h->exch != IKH_EXCH_IKE_SA_INIT) {
        long s = sa_find(r, h->ispi, h->rspi);
        return s >= 0 ? s : sa_new(r, h->ispi, h->rspi, false);
    }
    long s = sa_find_init(r, h->ispi, h->rspi);
    if (s < 0) {
        /* a request starts an SA whose whole history is in the capture */
        s = sa_new(r, h->ispi, 0, !c->is_resp);
        if (s < 0)
            return -1;
        *new_sa = true;
        rp_sa *n = &r->sas[s];
        n->init_addr = c->is_resp ? mt->dst : mt->src;
        n->resp_addr = c->is_resp ? mt->src : mt->dst;
        n->addr_known = mt->src.family != 0 && mt->dst.family != 0;
    }
    rp_sa *sa = &r->sas[s];
    if (c->is_resp && rp_find(c->m, IKH_PL_SA) != NULL && h->rspi != 0 &&
        !sa->init_done) {
        sa->rspi = h->rspi;
        sa->init_done = true;
    }
    /* RFC 7383 §2.3: support is announced in IKE_SA_INIT */
    if (rp_notify(c->m, IKH_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL) {
        if (c->is_resp)
            sa->frag_resp = true;
        else
            sa->frag_req = true;
    }
    return s;
}

/* The exchange rules for one parsed message; @p content is the message
 * with its inner payloads (NULL when they are not visible). */
static void model(ikh_replay *r, rp_ctx *c, const ikh_msg *content)
{
    const ikh_ike_hdr *h = &c->m->hdr;
    bool new_sa = false;
    long s = sa_of(r, c, &new_sa);
    if (s < 0)
        return;
    c->sa = s;
    r->items[c->item].sa = s;
    rp_sa *sa = &r->sas[s];
    bool iflag = (h->flags & IKH_HDR_F_INITIATOR) != 0;
    bool by_init = c->is_resp ? !iflag : iflag;
    int side = by_init ? 0 : 1;
    rule_flag_i(c, sa);
    const ikh_pl *skf = rp_find(c->m, IKH_PL_SKF);
    uint16_t num = skf ? skf->u.skf.frag_num : 0;
    uint16_t total = skf ? skf->u.skf.total : 0;
    if (skf != NULL && sa->history)
        RP_JUDGE(r, c->item, IKH_RULE_SKF_NEGOTIATED,
                 sa->frag_req && sa->frag_resp,
                 "fragment without IKEV2_FRAGMENTATION_SUPPORTED from %s",
                 !sa->frag_req ? "the initiator" : "the responder");
    uint8_t hash[IKH_SHA1_LEN];
    ikh_hash_sha1(&c->raw, 1, hash);
    long xi = ex_find(r, s, h->mid, by_init);
    bool new_req = false;
    if (!c->is_resp) {
        if (xi >= 0 && r->ex[xi].req.seen && r->ex[xi].resp_err &&
            h->exch == IKH_EXCH_IKE_SA_INIT &&
            half_add(&r->ex[xi].req, num, total, hash) != 1) {
            /* §2.6 / §1.2: a retry after COOKIE or INVALID_KE_PAYLOAD is
             * a new attempt under Message ID 0 */
            rp_exch *x = &r->ex[xi];
            memset(&x->req, 0, sizeof x->req);
            memset(&x->resp, 0, sizeof x->resp);
            x->resp_err = false;
            r->st.exchanges++;
            RP_JUDGE(r, c->item, IKH_RULE_MID_SEQ, h->mid == 0,
                     "retry with Message ID %u", h->mid);
        } else if (xi < 0 || !r->ex[xi].req.seen) {
            new_req = true;
            /* §2.2: each side numbers its requests 0, 1, 2, ... */
            if (sa->history || sa->any_req[side])
                RP_JUDGE(r, c->item, IKH_RULE_MID_SEQ,
                         h->mid == sa->next_mid[side],
                         "new request with Message ID %u, expected %u", h->mid,
                         sa->next_mid[side]);
            if (h->mid >= sa->next_mid[side])
                sa->next_mid[side] = h->mid + 1u;
            sa->any_req[side] = true;
        }
        if (xi < 0)
            xi = ex_new(r, s, h->mid, by_init);
        if (xi < 0)
            return;
        rp_exch *x = &r->ex[xi];
        if (!x->req.seen)
            x->req_src = c->meta->src;
        x->req.seen = true;
        x->req.exch = h->exch;
    } else {
        bool have_req = xi >= 0 && r->ex[xi].req.seen;
        if (!have_req && sa->history)
            RP_JUDGE(r, c->item, IKH_RULE_RESP_MATCH, false,
                     "no request with Message ID %u from the other side",
                     h->mid);
        else if (have_req)
            RP_JUDGE(r, c->item, IKH_RULE_RESP_MATCH,
                     r->ex[xi].req.exch == h->exch,
                     "answers a %s request with %s",
                     ikh_name(IKH_NT_EXCH, r->ex[xi].req.exch),
                     ikh_name(IKH_NT_EXCH, h->exch));
        if (xi < 0)
            xi = ex_new(r, s, h->mid, by_init);
        if (xi < 0)
            return;
        r->ex[xi].resp.seen = true;
        r->ex[xi].resp.exch = h->exch;
    }
    rp_exch *x = &r->ex[xi];
    rp_half *half = c->is_resp ? &x->resp : &x->req;
    int same = half_add(half, num, total, hash);
    /* §2.1: a retransmission repeats the message */
    if (same == 1 || same == 2)
        RP_JUDGE(r, c->item, IKH_RULE_RETRANS_SAME, same == 1,
                 "a %s with Message ID %u%s differs from its first copy",
                 c->is_resp ? "response" : "request", h->mid,
                 num ? " (fragment)" : "");
    if (h->exch == IKH_EXCH_IKE_SA_INIT) {
        init_retry(r, c, sa, x, new_sa);
        rule_natd(c);
    }
    if (h->exch == IKH_EXCH_IKE_AUTH && !c->is_resp &&
        (new_req || content != NULL) && !sa->auth_req_seen) {
        if (content != NULL) {
            /* §1.2: HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, ...} */
            RP_JUDGE(r, c->item, IKH_RULE_AUTH_IDI,
                     rp_find(content, IKH_PL_IDI) != NULL,
                     "first IKE_AUTH request without IDi");
            sa->auth_req_seen = true;
        } else if (!c->pending) {
            rp_set(r, c->item, IKH_RULE_AUTH_IDI, IKH_VERDICT_NOKEYS, NULL);
            sa->auth_req_seen = true;
        }
    }
    if (content == NULL) {
        /* the proposals are inside SK: PROP_CHOSEN needs keys */
        if (c->is_resp && !c->pending && c->encrypted &&
            (h->exch == IKH_EXCH_IKE_AUTH ||
             h->exch == IKH_EXCH_CREATE_CHILD_SA))
            rp_set(r, c->item, IKH_RULE_PROP_CHOSEN, IKH_VERDICT_NOKEYS, NULL);
        return;
    }
    if (!c->is_resp && h->exch == IKH_EXCH_CREATE_CHILD_SA)
        rule_rekey_sa(c, sa, content);
    learn_child_spis(r, content);
    if (!c->is_resp && rp_find(content, IKH_PL_SA) != NULL)
        keep_offered(r, x, content);
    const ikh_pl *ni = rp_find(content, IKH_PL_NONCE);
    if (!c->is_resp && ni != NULL)
        x->ni_len = ni->u.raw.data.len;
    if (c->is_resp) {
        rule_chosen(c, x, content);
        rule_nonce_prf(c, x, content);
    }
    if (h->exch == IKH_EXCH_CREATE_CHILD_SA)
        follow_rekey(r, c, x, content);
}

/* ---- IKE input ---------------------------------------------------------- */

/* RFC 3948 §2.1, §2.2: ESP in UDP shares its ports with the IKE traffic
 * that carries the non-ESP marker between the same two addresses. */
static void natt_note(ikh_replay *r, const ikh_replay_meta *m)
{
    for (size_t i = 0; i < r->n_natt; i++) {
        const rp_natt *p = &r->natt[i];
        if ((addr_eq(&p->a, &m->src) && addr_eq(&p->b, &m->dst) &&
             p->pa == m->sport && p->pb == m->dport) ||
            (addr_eq(&p->a, &m->dst) && addr_eq(&p->b, &m->src) &&
             p->pa == m->dport && p->pb == m->sport))
            return;
    }
    if (r->n_natt < RP_NATT_MAX)
        r->natt[r->n_natt++] = (rp_natt){m->src, m->dst, m->sport, m->dport};
}

static ikh_err judge_ike(ikh_replay *r, rp_ctx *c, const ikh_msg *joined)
{
    if (c->meta->non_esp_marker && c->meta->sport != 0)
        natt_note(r, c->meta);
    const ikh_ike_hdr *h = &c->m->hdr;
    c->item = item_new(r, c->meta->frame, IKH_ITEM_IKE);
    if (c->item == SIZE_MAX)
        return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
    r->st.ike_msgs++;
    ikh_replay_item *it = &r->items[c->item];
    it->ispi = h->ispi;
    it->rspi = h->rspi;
    it->mid = h->mid;
    it->exch = h->exch;
    it->flags = h->flags;
    it->encrypted = c->encrypted;
    it->decrypted = c->encrypted && (c->view || c->pending || joined);
    c->is_resp = (h->flags & IKH_HDR_F_RESPONSE) != 0;
    c->sa = -1;
    if (c->perr == IKH_ERR_WIRE_HDR_SHORT) {
        rp_set(r, c->item, IKH_RULE_MSG_WELLFORMED, IKH_VERDICT_FAIL, "%s",
               ikh_err_name(c->perr));
        return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
    }
    rp_rules_outer(c);
    if (!c->pending)
        rp_rules_content(c);
    const ikh_msg *content = c->view ? c->m : NULL;
    if (joined != NULL) {
        rp_ctx j = *c;
        j.m = joined;
        j.view = true;
        j.pending = false;
        rp_rules_content(&j);
        content = joined;
    }
    if (c->parsed)
        model(r, c, content);
    if (c->encrypted && !it->decrypted)
        r->st.undecrypted++;
    if (c->view && c->encrypted)
        r->st.decrypted++;
    if (joined != NULL)
        r->st.decrypted++;
    return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
}

ikh_err ikh_replay_msg(ikh_replay *r, const ikh_replay_meta *meta,
                       const ikh_msg *m, ikh_span raw)
{
    IKH_CHECK(r != NULL && meta != NULL && m != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(!r->finished, IKH_ERR_STATE);
    rp_ctx c = {.r = r, .meta = meta, .m = m, .raw = raw, .parsed = true};
    c.encrypted = rp_find(m, IKH_PL_SK) || rp_find(m, IKH_PL_SKF);
    c.view = !c.encrypted || meta->decrypted;
    if (c.encrypted && meta->decrypted) {
        size_t it = r->n_items;
        ikh_err e = judge_ike(r, &c, NULL);
        rp_set(r, it, IKH_RULE_SK_DECRYPT, IKH_VERDICT_PASS, NULL);
        return e;
    }
    if (c.encrypted)
        c.view = false;
    size_t it = r->n_items;
    ikh_err e = judge_ike(r, &c, NULL);
    if (c.encrypted)
        rp_set(r, it, IKH_RULE_SK_DECRYPT, IKH_VERDICT_NOKEYS, NULL);
    return e;
}

/* The UDP-encapsulation rules of one ESP packet (RFC 3948 §2.1). */
static void esp_udp_rules(ikh_replay *r, size_t it, const ikh_replay_meta *m)
{
    if (m->sport == 0 && m->dport == 0)
        return; /* ESP over IP: not encapsulated */
    bool pair = false, ports = false;
    for (size_t i = 0; i < r->n_natt && !ports; i++) {
        const rp_natt *p = &r->natt[i];
        bool fwd = addr_eq(&p->a, &m->src) && addr_eq(&p->b, &m->dst);
        bool rev = addr_eq(&p->a, &m->dst) && addr_eq(&p->b, &m->src);
        pair |= fwd || rev;
        ports = (fwd && p->pa == m->sport && p->pb == m->dport) ||
                (rev && p->pa == m->dport && p->pb == m->sport);
    }
    /*= rfc3948#2.1
     *# the Source Port and Destination Port MUST be the same as that used
     *# by IKE traffic,
     */
    /* without marked IKE between these addresses there is nothing to
     * compare with (the capture may have started later) */
    if (pair)
        RP_JUDGE(r, it, IKH_RULE_ESP_UDP_PORTS, ports,
                 "ESP in UDP on ports %u -> %u; the IKE traffic between "
                 "these addresses uses others",
                 (unsigned)m->sport, (unsigned)m->dport);
    /*= rfc3948#2.1
     *# the IPv4 UDP Checksum SHOULD be transmitted as a zero value
     */
    if (m->src.family == 4 && m->udp_csum_known)
        RP_JUDGE(r, it, IKH_RULE_ESP_UDP_CSUM, m->udp_csum == 0,
                 "IPv4 UDP checksum 0x%04x", (unsigned)m->udp_csum);
}

ikh_err ikh_replay_ike(ikh_replay *r, const ikh_replay_meta *meta,
                       const uint8_t *msg, size_t len)
{
    IKH_CHECK(r != NULL && meta != NULL && (msg != NULL || len == 0),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(!r->finished, IKH_ERR_STATE);
    ikh_msg *m = r->msg;
    ikh_span raw = ikh_span_of(msg, len);
    rp_ctx c = {.r = r, .meta = meta, .m = m, .raw = raw};
    c.perr = ikh_wire_msg_parse(m, msg, len, NULL);
    c.parsed = c.perr == IKH_OK;
    uint8_t first = len > 16 ? msg[16] : 0;
    if (!c.parsed) {
        ikh_rd rd = ikh_rd_init(msg, len);
        ikh_wire_msg_init(m);
        ikh_wire_hdr_read(&rd, &m->hdr);
        if (len < IKH_IKE_HDR_LEN)
            c.perr = IKH_ERR_WIRE_HDR_SHORT;
    }
    c.encrypted = c.parsed ? rp_find(m, IKH_PL_SK) || rp_find(m, IKH_PL_SKF)
                           : first == IKH_PL_SK || first == IKH_PL_SKF;
    c.view = !c.encrypted;
    ikh_capdec_ike_out out = {0};
    ikh_err de = IKH_OK;
    bool keyed = false;
    if (c.parsed && c.encrypted && r->dec != NULL) {
        de = ikh_capdec_dec_ike(r->dec, m, raw, meta->frame, &out);
        keyed = out.kind != IKH_CAPDEC_IKE_NOKEY;
        if (de == IKH_OK && out.kind == IKH_CAPDEC_IKE_OPENED)
            c.view = true;
        if (de == IKH_OK && out.kind == IKH_CAPDEC_IKE_FRAGMENT)
            c.pending = true;
        if (de == IKH_OK && out.kind == IKH_CAPDEC_IKE_JOINED)
            c.pending = true; /* content judged on the joined message */
    } else if (!c.parsed && c.encrypted && r->dec != NULL) {
        keyed = ikh_capdec_dec_has_ike(r->dec, m->hdr.ispi, m->hdr.rspi);
    }
    size_t it = r->n_items;
    ikh_err e = judge_ike(r, &c, de == IKH_OK ? out.joined : NULL);
    if (it < r->n_items && c.encrypted) {
        /* §3.14: the ICV / tag, the padding and the inner chain */
        if (keyed && c.parsed)
            RP_JUDGE(r, it, IKH_RULE_SK_DECRYPT, de == IKH_OK, "%s",
                     ikh_err_name(de));
        else if (!keyed)
            rp_set(r, it, IKH_RULE_SK_DECRYPT, IKH_VERDICT_NOKEYS, NULL);
    }
    return e;
}

/* ---- ESP input ---------------------------------------------------------- */

ikh_err ikh_replay_esp(ikh_replay *r, const ikh_replay_meta *meta,
                       const uint8_t *pkt, size_t len)
{
    IKH_CHECK(r != NULL && meta != NULL && (pkt != NULL || len == 0),
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(!r->finished, IKH_ERR_STATE);
    ikh_rd rd = ikh_rd_init(pkt, len);
    uint32_t spi = ikh_rd_u32(&rd);
    uint32_t seq = ikh_rd_u32(&rd);
    size_t it = item_new(r, meta->frame, IKH_ITEM_ESP);
    if (it == SIZE_MAX)
        return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
    r->st.esp_pkts++;
    r->items[it].esp_spi = spi;
    r->items[it].esp_seq = seq;
    if (ikh_rd_error(&rd) != IKH_OK)
        return IKH_OK; /* shorter than SPI and Sequence Number: no rule */
    /* RFC 4303 §2.1: SPI 0 "MUST NOT be sent on the wire", 1-255 are
     * reserved by IANA */
    RP_JUDGE(r, it, IKH_RULE_ESP_SPI_RESERVED, spi > 255, "SPI %u", spi);
    /* RFC 4303 §3.3.3: the first packet is 1; 0 is never sent */
    RP_JUDGE(r, it, IKH_RULE_ESP_SEQ_NONZERO, seq != 0, "sequence number 0");
    esp_udp_rules(r, it, meta);
    uint8_t h[IKH_SHA1_LEN];
    ikh_span whole = ikh_span_of(pkt, len);
    ikh_hash_sha1(&whole, 1, h);
    bool fresh = false;
    rp_seq *sq = seq_slot(r, spi, seq, &fresh);
    rp_spi *sp = spi_slot(r, spi);
    if (sq == NULL || sp == NULL)
        return IKH_ERR_ENV_NOMEM;
    bool dup = false;
    if (fresh) {
        memcpy(sq->digest, h, sizeof sq->digest);
        rp_set(r, it, IKH_RULE_ESP_SEQ_UNIQUE, IKH_VERDICT_PASS, NULL);
    } else {
        dup = memcmp(sq->digest, h, sizeof sq->digest) == 0;
        /* §3.3.3: a number is used once; an identical copy is the
         * network's duplicate */
        RP_JUDGE(r, it, IKH_RULE_ESP_SEQ_UNIQUE, dup,
                 "SPI %08x sequence number %u sent again with other octets",
                 spi, seq);
    }
    if (!dup) {
        RP_JUDGE(r, it, IKH_RULE_ESP_SEQ_ORDER, !sp->seen || seq > sp->top,
                 "SPI %08x sequence number %u after %llu", spi, seq,
                 (unsigned long long)sp->top);
        if (!sp->seen || seq > sp->top)
            sp->top = seq;
        sp->seen = true;
    }
    /* RFC 4303 §2.1 / RFC 7296 §2.17: SAs come from IKE */
    if (sp->known)
        rp_set(r, it, IKH_RULE_ESP_SPI_KNOWN, IKH_VERDICT_PASS, NULL);
    else if (r->st.undecrypted > 0)
        rp_set(r, it, IKH_RULE_ESP_SPI_KNOWN, IKH_VERDICT_NOKEYS, NULL);
    else if (r->st.ike_msgs > 0)
        RP_JUDGE(r, it, IKH_RULE_ESP_SPI_KNOWN, false,
                 "SPI %08x was set up by no exchange in the capture", spi);
    /* RFC 4303 §3.4.4, §2.4: ICV, then padding 1, 2, 3, ... */
    ikh_capdec_esp_out out = {0};
    ikh_err e = IKH_OK;
    if (r->dec != NULL)
        e = ikh_capdec_dec_esp(r->dec, whole, &meta->dst, &out);
    if (out.keyed) {
        r->items[it].decrypted = e == IKH_OK;
        RP_JUDGE(r, it, IKH_RULE_ESP_PADDING, e == IKH_OK, "%s",
                 ikh_err_name(e));
    } else {
        rp_set(r, it, IKH_RULE_ESP_PADDING, IKH_VERDICT_NOKEYS, NULL);
    }
    return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
}

/* ---- capture input ------------------------------------------------------ */

/* Framing errors that make a record damaged (the rest is other traffic). */
static bool damaged(ikh_err e)
{
    return e == IKH_ERR_PKT_LINK_TRUNCATED || e == IKH_ERR_PKT_IP_TRUNCATED ||
           e == IKH_ERR_PKT_IP_BAD || e == IKH_ERR_PKT_UDP_TRUNCATED ||
           e == IKH_ERR_PCAP_SNAPLEN || e == IKH_ERR_PCAP_LINKTYPE;
}

ikh_err ikh_replay_frame(ikh_replay *r, const ikh_frame *fr)
{
    IKH_CHECK(r != NULL && fr != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(!r->finished, IKH_ERR_STATE);
    r->st.frames++;
    ikh_replay_meta meta = {.frame = fr->index,
                            .src = fr->src,
                            .dst = fr->dst,
                            .sport = fr->sport,
                            .dport = fr->dport,
                            .non_esp_marker = fr->non_esp_marker,
                            .udp_csum_known = fr->udp,
                            .udp_csum = fr->udp_csum};
    switch (fr->kind) {
    case IKH_FRAME_IKE:
        return ikh_replay_ike(r, &meta, fr->ike.p, fr->ike.len);
    case IKH_FRAME_ESP:
        return ikh_replay_esp(r, &meta, fr->esp.p, fr->esp.len);
    case IKH_FRAME_NAT_KEEPALIVE:
        r->st.keepalives++;
        return IKH_OK;
    default:
        break;
    }
    if (damaged(fr->err))
        return ikh_replay_record_error(r, fr->index, fr->err);
    r->st.other++;
    return IKH_OK;
}

ikh_err ikh_replay_cap(ikh_replay *r, ikh_cap *cap, char *errbuf,
                       size_t errbuf_len)
{
    IKH_CHECK(r != NULL && cap != NULL, IKH_ERR_ARG_INVALID);
    if (errbuf != NULL && errbuf_len > 0)
        errbuf[0] = '\0';
    uint64_t last = 0;
    for (;;) {
        ikh_frame fr;
        ikh_err e = ikh_cap_next(cap, &fr);
        uint64_t first = 0;
        ikh_err why = IKH_OK;
        while (ikh_cap_reasm_report(cap, &first, &why) == IKH_OK)
            IKH_TRY(ikh_replay_record_error(r, first, why));
        if (e == IKH_ERR_STATE)
            return IKH_OK;
        if (e == IKH_ERR_PCAP_RECORD) {
            if (errbuf != NULL && errbuf_len > 0)
                snprintf(errbuf, errbuf_len, "%s", ikh_cap_errmsg(cap));
            IKH_TRY(ikh_replay_record_error(r, last + 1, e));
            return e;
        }
        IKH_TRY(e);
        last = fr.index;
        IKH_TRY(ikh_replay_frame(r, &fr));
    }
}

ikh_err ikh_replay_finish(ikh_replay *r)
{
    IKH_CHECK(r != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(!r->finished, IKH_ERR_STATE);
    /* a limit cut the judgement short: say so where damage is reported */
    if (r->st.items_dropped > 0 || r->st.sas_dropped > 0) {
        ikh_err e = ikh_replay_record_error(r, r->limit_frame,
                                            IKH_ERR_PCAP_REPLAY_LIMIT);
        (void)e; /* it fails only for a NULL replay */
    }
    r->finished = true;
    return r->nomem ? IKH_ERR_ENV_NOMEM : IKH_OK;
}

/* ---- results out -------------------------------------------------------- */

ikh_err ikh_replay_select(ikh_replay *r, const bool keep[IKH_RULE__COUNT])
{
    IKH_CHECK(r != NULL && keep != NULL, IKH_ERR_ARG_INVALID);
    IKH_CHECK(r->finished, IKH_ERR_STATE);
    for (size_t i = 0; i < r->n_items; i++)
        for (unsigned k = 0; k < IKH_RULE__COUNT; k++)
            if (!keep[k])
                r->items[i].verdict[k] = IKH_VERDICT_NA;
    size_t n = 0;
    r->st.fail[0] = r->st.fail[1] = 0;
    for (size_t i = 0; i < r->n_viol; i++) {
        if (!keep[r->viol[i].rule])
            continue;
        r->st.fail[ikh_replay_rule(r->viol[i].rule)->level]++;
        r->viol[n++] = r->viol[i];
    }
    r->n_viol = n;
    return IKH_OK;
}

const ikh_replay_stats *ikh_replay_get_stats(const ikh_replay *r)
{
    static const ikh_replay_stats none;
    return r != NULL ? &r->st : &none;
}

const ikh_replay_item *ikh_replay_items(const ikh_replay *r, size_t *n)
{
    if (n != NULL)
        *n = r != NULL ? r->n_items : 0;
    return r != NULL ? r->items : NULL;
}

const ikh_replay_violation *ikh_replay_violations(const ikh_replay *r,
                                                  size_t *n)
{
    if (n != NULL)
        *n = r != NULL ? r->n_viol : 0;
    return r != NULL ? r->viol : NULL;
}

const ikh_replay_record_err *ikh_replay_record_errs(const ikh_replay *r,
                                                    size_t *n)
{
    if (n != NULL)
        *n = r != NULL ? r->n_rec : 0;
    return r != NULL ? r->rec : NULL;
}

uint64_t ikh_replay_count(const ikh_replay *r, ikh_rule_id rule, ikh_verdict v)
{
    if (r == NULL || (unsigned)rule >= IKH_RULE__COUNT)
        return 0;
    uint64_t n = 0;
    for (size_t i = 0; i < r->n_items; i++)
        n += r->items[i].verdict[rule] == v;
    return n;
}
