/* SPDX-License-Identifier: MIT */
/*
 * The capture decryption check (capdec.h): every IKE Encrypted payload (SK,
 * RFC 7296 §3.14; SKF, RFC 7383 §2.5) and every ESP packet (RFC 4303) of an
 * SA in the key set is verified and decrypted with the stack's transforms,
 * frame by frame from the capture reader. The IKE side follows the stack's
 * own opening of an SK payload (ike/sk.c) with keys from the file; the ESP
 * side is ikh_esp_sa_decap() with its window reset before every packet, so
 * a duplicated datagram is checked again instead of dropped as a replay.
 */
#include <stdlib.h>
#include <string.h>

#include "capdec_int.h"
#include "ikh/bytes.h"
#include "ikh/esp.h"
#include "ikh/iana.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"

/* Largest ESP window: the most reordering ESN inference tolerates. */
#define ESP_WINDOW IKH_ESP_WINDOW_MAX
/* IKE header: SPIs, Next Payload (RFC 7296 §3.1). */
#define SPI_PAIR_LEN 16u
/* SKF header octets after the generic header: Fragment Number, Total. */
#define SKF_EXTRA_LEN 4u

/* An SKF message being collected (RFC 7383 §2.6). */
typedef struct frag_slot {
    bool used;
    uint64_t first_frame; /* for eviction: the oldest goes */
    ikh_ike_hdr hdr;      /* of the first fragment seen */
    uint16_t total;       /* Total Fragments */
    uint16_t have;        /* fragments stored */
    uint8_t first_inner;  /* Next Payload of fragment 1 */
    bool got[IKH_CAPDEC_MAX_FRAGS];
    uint32_t off[IKH_CAPDEC_MAX_FRAGS], len[IKH_CAPDEC_MAX_FRAGS];
    size_t used_len;
    uint8_t *data; /* IKH_WIRE_MAX_MSG octets */
} frag_slot;

/* One ESP SA direction being checked. */
typedef struct esp_state {
    bool ready;   /* sa keyed */
    uint64_t top; /* highest full sequence number verified (ESN) */
    ikh_esp_sa sa;
} esp_state;

/* The decryptor (capdec.h): buffers, ESP windows, SKF slots. */
struct ikh_capdec_dec {
    const ikh_capdec_keys *k;
    ikh_msg *msg;        /* a joined SKF message */
    uint8_t *plain;      /* IKH_WIRE_MAX_MSG: decrypted SK / joined SKF */
    uint8_t *pkt;        /* IKH_WIRE_MAX_MSG: ESP packet decrypted in place */
    esp_state *esp;      /* one per ESP key */
    uint64_t incomplete; /* SKF messages given up (evicted, too large) */
    frag_slot slot[IKH_CAPDEC_MAX_REASM];
};

/* The check of a whole capture: a decryptor plus the counts. */
typedef struct capdec_run {
    ikh_capdec_dec *d;
    ikh_capdec_result *res;
    ikh_msg *msg; /* the outer message being checked */
} capdec_run;

/* ---- results ---------------------------------------------------------- */

static void note_bad(capdec_run *r, uint64_t frame, bool esp, ikh_err why)
{
    ikh_capdec_result *res = r->res;
    if (res->n_bad < IKH_CAPDEC_MAX_BAD) {
        res->bad[res->n_bad].frame = frame;
        res->bad[res->n_bad].esp = esp;
        res->bad[res->n_bad].why = why;
        res->n_bad++;
    }
    for (size_t i = 0; i < res->n_reasons; i++) {
        if (res->reasons[i].err == why) {
            res->reasons[i].count++;
            return;
        }
    }
    if (res->n_reasons < IKH_CAPDEC_MAX_REASONS) {
        res->reasons[res->n_reasons].err = why;
        res->reasons[res->n_reasons].count = 1;
        res->n_reasons++;
    }
}

/* ---- IKE -------------------------------------------------------------- */

static const capdec_ike_key *ike_find(const ikh_capdec_keys *k, uint64_t ispi,
                                      uint64_t rspi)
{
    for (size_t i = 0; i < k->n_ike; i++)
        if (!k->ike[i].unbound && k->ike[i].ispi == ispi &&
            k->ike[i].rspi == rspi)
            return &k->ike[i];
    return NULL;
}

bool ikh_capdec_dec_has_ike(const ikh_capdec_dec *d, uint64_t ispi,
                            uint64_t rspi)
{
    return d != NULL && ike_find(d->k, ispi, rspi) != NULL;
}

/*
 * Verify and decrypt the Encrypted payload @p sk (the last payload) of the
 * message @p msg into d->plain; *inner_len receives the plaintext length
 * without Padding and Pad Length, *inner_off the offset of the plaintext in
 * the message.
 */
static ikh_err ike_open(ikh_capdec_dec *d, const capdec_ike_key *key,
                        const ikh_msg *m, const ikh_pl *sk, ikh_span msg,
                        size_t *inner_len, size_t *inner_off)
{
    const ikh_encr_ops *e = key->encr->encr;
    size_t iv_len = e->iv_len;
    size_t icv_len = e->aead ? e->icv_len : key->integ->integ->icv_len;
    bool skf = sk->type == IKH_PL_SKF;
    ikh_span body = skf ? sk->u.skf.body : sk->u.sk.body;
    size_t body_off = 0, end = 0;
    IKH_CHECK(ikh_add_ok(sk->offset, IKH_GENERIC_HDR_LEN + (skf ? 4u : 0u),
                         &body_off),
              IKH_ERR_WIRE_PL_AFTER_SK);
    /* RFC 7296 §3.14: the Encrypted payload MUST be the last payload. */
    IKH_CHECK(ikh_add_ok(body_off, body.len, &end) && end == msg.len,
              IKH_ERR_WIRE_PL_AFTER_SK);
    ikh_span iv, ct, icv;
    IKH_TRY(ikh_wire_sk_split(body, iv_len, icv_len, &iv, &ct, &icv));
    IKH_CHECK(ct.len >= 1 && ct.len <= IKH_WIRE_MAX_MSG,
              IKH_ERR_CRYPTO_PADDING);
    size_t block = e->block_len ? e->block_len : 1;
    IKH_CHECK(ct.len % block == 0, IKH_ERR_CRYPTO_PADDING);
    /* §3.1: the I flag is set in every message the original initiator
     * sends, so it picks SK_ei/SK_ai over SK_er/SK_ar (§2.14). */
    int dir = (m->hdr.flags & IKH_HDR_F_INITIATOR) ? 0 : 1;
    if (!e->aead) {
        /* §3.14: the ICV covers the message from the IKE header through
         * the Pad Length; checked before decryption, in constant time. */
        uint8_t mac[IKH_ICV_MAX];
        ikh_span part = ikh_span_of(msg.p, msg.len - icv_len);
        IKH_TRY(key->integ->integ->mac(key->sk_a[dir], &part, 1, mac));
        bool ok = ikh_ct_eq(mac, icv.p, icv_len);
        ikh_wipe(mac, sizeof mac);
        IKH_CHECK(ok, IKH_ERR_CRYPTO_ICV);
    }
    memcpy(d->plain, ct.p, ct.len);
    ikh_crypto_ctx ctx;
    ikh_err err = e->init(&ctx, key->sk_e[dir]);
    /* RFC 5282 §5.1 (and RFC 7634 §3, RFC 7383 §2.5 for SKF): the AAD is
     * the message from the IKE header through the Encrypted (Fragment)
     * payload header, i.e. everything before the IV. */
    if (err == IKH_OK)
        err = e->decrypt(&ctx, iv.p, ikh_span_of(msg.p, e->aead ? body_off : 0),
                         d->plain, ct.len, e->aead ? icv.p : NULL);
    e->fini(&ctx);
    ikh_wipe(&ctx, sizeof ctx);
    IKH_TRY(err);
    /* §3.14: Pad Length is the last octet; the padding octets may hold any
     * value, so only the length is checked. */
    uint8_t pad = d->plain[ct.len - 1];
    IKH_CHECK((size_t)pad + 1u <= ct.len, IKH_ERR_CRYPTO_PADDING);
    *inner_len = ct.len - pad - 1u;
    *inner_off = body_off + iv_len;
    return IKH_OK;
}

static bool slot_match(const frag_slot *s, const ikh_ike_hdr *h)
{
    uint8_t dir = IKH_HDR_F_INITIATOR | IKH_HDR_F_RESPONSE;
    return s->used && s->hdr.ispi == h->ispi && s->hdr.rspi == h->rspi &&
           s->hdr.mid == h->mid && (s->hdr.flags & dir) == (h->flags & dir);
}

/* A slot for the message of @p h: its own, a free one, or the oldest
 * (whose message is then counted incomplete). */
static frag_slot *slot_get(ikh_capdec_dec *d, const ikh_ike_hdr *h,
                           uint64_t frame)
{
    frag_slot *free_s = NULL, *old = NULL;
    for (size_t i = 0; i < IKH_CAPDEC_MAX_REASM; i++) {
        frag_slot *s = &d->slot[i];
        if (slot_match(s, h))
            return s;
        if (!s->used && free_s == NULL)
            free_s = s;
        if (s->used && (old == NULL || s->first_frame < old->first_frame))
            old = s;
    }
    frag_slot *s = free_s != NULL ? free_s : old;
    if (s == old)
        d->incomplete++;
    s->used = true;
    s->first_frame = frame;
    s->hdr = *h;
    s->total = 0;
    return s;
}

static void slot_reset(frag_slot *s, uint16_t total)
{
    s->total = total;
    s->have = 0;
    s->used_len = 0;
    s->first_inner = IKH_PL_NONE;
    memset(s->got, 0, sizeof s->got);
}

/* Join the fragments of @p s in order and parse the inner chain. */
static ikh_err slot_join(ikh_capdec_dec *d, frag_slot *s)
{
    size_t n = 0;
    for (uint16_t i = 0; i < s->total; i++) {
        memcpy(d->plain + n, s->data + s->off[i], s->len[i]);
        n += s->len[i];
    }
    ikh_wire_msg_init(d->msg);
    d->msg->hdr = s->hdr;
    return ikh_wire_msg_parse_inner(d->msg, s->first_inner, d->plain, n, 0,
                                    NULL);
}

/* RFC 7383 §2.6: a verified fragment's plaintext is kept until the
 * message's Total Fragments are all there; then the joined chain must
 * parse. Retransmitted fragments (same number) are not kept twice. */
static ikh_err frag_add(ikh_capdec_dec *d, const ikh_msg *m, const ikh_pl *sk,
                        size_t inner_len, uint64_t frame,
                        ikh_capdec_ike_out *out)
{
    uint16_t num = sk->u.skf.frag_num, total = sk->u.skf.total;
    out->kind = IKH_CAPDEC_IKE_FRAGMENT;
    if (total == 0 || total > IKH_CAPDEC_MAX_FRAGS || num == 0 || num > total)
        return IKH_OK; /* checked fragment by fragment only */
    frag_slot *s = slot_get(d, &m->hdr, frame);
    if (s->total != total)
        slot_reset(s, total);
    if (s->got[num - 1])
        return IKH_OK;
    if (s->used_len + inner_len > IKH_WIRE_MAX_MSG) {
        d->incomplete++;
        s->used = false;
        return IKH_OK;
    }
    memcpy(s->data + s->used_len, d->plain, inner_len);
    s->off[num - 1] = (uint32_t)s->used_len;
    s->len[num - 1] = (uint32_t)inner_len;
    s->used_len += inner_len;
    s->got[num - 1] = true;
    s->have++;
    /* §2.5: Next Payload is the first inner payload in fragment 1 only */
    if (num == 1)
        s->first_inner = sk->u.skf.inner;
    if (s->have < s->total)
        return IKH_OK;
    s->used = false;
    out->kind = IKH_CAPDEC_IKE_JOINED;
    ikh_err e = slot_join(d, s);
    if (e == IKH_OK)
        out->joined = d->msg;
    return e;
}

/* The last payload when it is SK or SKF, else NULL. */
static const ikh_pl *sk_of(const ikh_msg *m)
{
    if (m->n_pl == 0)
        return NULL;
    const ikh_pl *p = &m->pl[m->n_pl - 1];
    return p->type == IKH_PL_SK || p->type == IKH_PL_SKF ? p : NULL;
}

ikh_err ikh_capdec_dec_ike(ikh_capdec_dec *d, ikh_msg *m, ikh_span raw,
                           uint64_t frame, ikh_capdec_ike_out *out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    out->kind = IKH_CAPDEC_IKE_NOKEY;
    out->joined = NULL;
    IKH_CHECK(d != NULL && m != NULL && raw.p != NULL, IKH_ERR_ARG_INVALID);
    const ikh_pl *sk = sk_of(m);
    IKH_CHECK(sk != NULL, IKH_ERR_ARG_INVALID);
    const capdec_ike_key *key = ike_find(d->k, m->hdr.ispi, m->hdr.rspi);
    if (key == NULL)
        return IKH_OK;
    bool skf = sk->type == IKH_PL_SKF;
    out->kind = skf ? IKH_CAPDEC_IKE_FRAGMENT : IKH_CAPDEC_IKE_OPENED;
    size_t inner_len = 0, inner_off = 0;
    IKH_TRY(ike_open(d, key, m, sk, raw, &inner_len, &inner_off));
    if (skf)
        return frag_add(d, m, sk, inner_len, frame, out);
    /* an SK chain is whole: it must parse (ikh_wire_msg_parse_inner) */
    return ikh_wire_msg_parse_inner(m, sk->u.sk.inner, d->plain, inner_len,
                                    inner_off, NULL);
}

uint64_t ikh_capdec_dec_incomplete(const ikh_capdec_dec *d)
{
    if (d == NULL)
        return 0;
    uint64_t n = d->incomplete;
    for (size_t i = 0; i < IKH_CAPDEC_MAX_REASM; i++)
        n += d->slot[i].used;
    return n;
}

static void ike_frame(capdec_run *r, const ikh_frame *fr, bool cut)
{
    ikh_capdec_result *res = r->res;
    ikh_span s = fr->ike;
    res->ike_msgs++;
    ikh_rd rd = ikh_rd_init(s.p, s.len);
    uint64_t ispi = ikh_rd_u64(&rd);
    uint64_t rspi = ikh_rd_u64(&rd);
    uint8_t first = ikh_rd_u8(&rd);
    if (ikh_rd_error(&rd) != IKH_OK) {
        res->ike_unparsed++;
        return;
    }
    bool encrypted = first == IKH_PL_SK || first == IKH_PL_SKF;
    ikh_err e = cut ? IKH_ERR_PCAP_SNAPLEN
                    : ikh_wire_msg_parse(r->msg, s.p, s.len, NULL);
    const ikh_pl *sk = e == IKH_OK ? sk_of(r->msg) : NULL;
    if (e == IKH_OK && sk == NULL) {
        res->ike_plain++;
        return;
    }
    if (e != IKH_OK && !encrypted) {
        res->ike_unparsed++;
        return;
    }
    if (!ikh_capdec_dec_has_ike(r->d, ispi, rspi)) {
        res->ike_skipped++;
        return;
    }
    bool skf = sk != NULL ? sk->type == IKH_PL_SKF : first == IKH_PL_SKF;
    res->ike_checked++;
    res->ike_skf_checked += skf;
    ikh_capdec_ike_out out = {0};
    if (e == IKH_OK)
        e = ikh_capdec_dec_ike(r->d, r->msg, s, fr->index, &out);
    if (e != IKH_OK && out.kind == IKH_CAPDEC_IKE_JOINED) {
        /* every fragment verified, the joined chain does not parse */
        res->ike_ok++;
        res->ike_skf_ok++;
        res->ike_reasm_bad++;
        note_bad(r, fr->index, false, e);
        return;
    }
    if (e != IKH_OK) {
        res->ike_bad++;
        note_bad(r, fr->index, false, e);
        return;
    }
    res->ike_ok++;
    res->ike_skf_ok += skf;
    res->ike_reassembled += out.kind == IKH_CAPDEC_IKE_JOINED;
}

/* ---- ESP -------------------------------------------------------------- */

/* The key of an ESP packet: (SPI, destination), else the only SA with
 * this SPI (addresses rewritten by a NAT). -1 when none. */
static long esp_find(const ikh_capdec_keys *k, uint32_t spi,
                     const ikh_addr *dst)
{
    long only = -1;
    size_t n_spi = 0;
    for (size_t i = 0; i < k->n_esp; i++) {
        if (k->esp[i].spi != spi)
            continue;
        if (ikh_addr_cmp(&k->esp[i].dst, dst) == 0)
            return (long)i;
        only = (long)i;
        n_spi++;
    }
    return n_spi == 1 ? only : -1;
}

static ikh_err esp_ready(esp_state *st, const capdec_esp_key *key)
{
    if (st->ready)
        return IKH_OK;
    ikh_esp_sa_config cfg;
    capdec_esp_cfg(key, &cfg);
    cfg.window = ESP_WINDOW;
    IKH_TRY(ikh_esp_sa_init(&st->sa, &cfg));
    st->ready = true;
    return IKH_OK;
}

/* Tunnel mode: Next Header 4 / 41 must start an IPv4 / IPv6 packet whose
 * length fits the payload (TFC padding may follow it, RFC 4303 §2.7). */
static ikh_err inner_ip(uint8_t nh, ikh_span p)
{
    ikh_rd rd = ikh_rd_init(p.p, p.len);
    if (nh == IKH_ESP_NH_IPV4) {
        uint8_t v = ikh_rd_u8(&rd);
        (void)ikh_rd_u8(&rd);
        uint16_t total = ikh_rd_u16(&rd);
        IKH_CHECK(ikh_rd_error(&rd) == IKH_OK && v >> 4 == 4 &&
                      (v & 15u) >= 5 && total >= (v & 15u) * 4u &&
                      total <= p.len,
                  IKH_ERR_ESP_INNER);
    } else if (nh == IKH_ESP_NH_IPV6) {
        uint8_t v = ikh_rd_u8(&rd);
        (void)ikh_rd_bytes(&rd, 3);
        uint16_t plen = ikh_rd_u16(&rd);
        IKH_CHECK(ikh_rd_error(&rd) == IKH_OK && v >> 4 == 6 &&
                      40u + (size_t)plen <= p.len,
                  IKH_ERR_ESP_INNER);
    }
    return IKH_OK;
}

ikh_err ikh_capdec_dec_esp(ikh_capdec_dec *d, ikh_span pkt, const ikh_addr *dst,
                           ikh_capdec_esp_out *out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    memset(out, 0, sizeof *out);
    IKH_CHECK(d != NULL && dst != NULL && (pkt.p != NULL || pkt.len == 0),
              IKH_ERR_ARG_INVALID);
    uint32_t spi = 0;
    if (ikh_esp_peek_spi(pkt, &spi) != IKH_OK)
        return IKH_OK; /* no SPI: no SA to key it with */
    long idx = esp_find(d->k, spi, dst);
    if (idx < 0)
        return IKH_OK;
    out->keyed = true;
    esp_state *st = &d->esp[idx];
    IKH_TRY(esp_ready(st, &d->k->esp[idx]));
    /* A fresh window at the highest number verified so far: every number
     * passes the replay check (a duplicate is verified again), and with ESN
     * RFC 4303 Appendix A infers the high 32 bits from that top. */
    IKH_TRY(ikh_esp_replay_init(&st->sa.replay, ESP_WINDOW, st->sa.esn));
    if (st->sa.esn)
        st->sa.replay.top = st->top;
    IKH_CHECK(pkt.len <= IKH_WIRE_MAX_MSG, IKH_ERR_ESP_TRUNCATED);
    memcpy(d->pkt, pkt.p, pkt.len);
    ikh_span payload;
    uint8_t nh = 0;
    ikh_err e = ikh_esp_sa_decap(&st->sa, d->pkt, pkt.len, &payload, &nh);
    out->dummy = e == IKH_ERR_ESP_DUMMY;
    if (e != IKH_OK && !out->dummy)
        return e;
    if (st->sa.replay.top > st->top)
        st->top = st->sa.replay.top;
    out->next_header = nh;
    return out->dummy ? IKH_OK : inner_ip(nh, payload);
}

static void esp_frame(capdec_run *r, const ikh_frame *fr, bool cut)
{
    ikh_capdec_result *res = r->res;
    res->esp_pkts++;
    uint32_t spi = 0;
    if (ikh_esp_peek_spi(fr->esp, &spi) != IKH_OK ||
        esp_find(r->d->k, spi, &fr->dst) < 0) {
        res->esp_skipped++;
        return;
    }
    res->esp_checked++;
    ikh_capdec_esp_out out = {0};
    ikh_err e = cut ? IKH_ERR_PCAP_SNAPLEN
                    : ikh_capdec_dec_esp(r->d, fr->esp, &fr->dst, &out);
    if (e != IKH_OK) {
        res->esp_bad++;
        note_bad(r, fr->index, true, e);
        return;
    }
    res->esp_ok++;
    res->esp_dummies += out.dummy;
}

/* ---- the walk --------------------------------------------------------- */

void ikh_capdec_dec_free(ikh_capdec_dec *d)
{
    if (d == NULL)
        return;
    if (d->esp != NULL) {
        for (size_t i = 0; i < d->k->n_esp; i++)
            if (d->esp[i].ready)
                ikh_esp_sa_fini(&d->esp[i].sa);
        free(d->esp);
    }
    for (size_t i = 0; i < IKH_CAPDEC_MAX_REASM; i++) {
        if (d->slot[i].data != NULL)
            ikh_wipe(d->slot[i].data, IKH_WIRE_MAX_MSG);
        free(d->slot[i].data);
    }
    if (d->plain != NULL)
        ikh_wipe(d->plain, IKH_WIRE_MAX_MSG);
    if (d->pkt != NULL)
        ikh_wipe(d->pkt, IKH_WIRE_MAX_MSG);
    free(d->plain);
    free(d->pkt);
    free(d->msg);
    free(d);
}

ikh_err ikh_capdec_dec_new(const ikh_capdec_keys *k, ikh_capdec_dec **out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    *out = NULL;
    IKH_CHECK(k != NULL, IKH_ERR_ARG_INVALID);
    ikh_capdec_dec *d = calloc(1, sizeof *d);
    if (d == NULL)
        return IKH_ERR_ENV_NOMEM;
    d->k = k;
    d->msg = malloc(sizeof *d->msg);
    d->plain = malloc(IKH_WIRE_MAX_MSG);
    d->pkt = malloc(IKH_WIRE_MAX_MSG);
    d->esp = calloc(k->n_esp + 1, sizeof *d->esp);
    bool ok = d->msg && d->plain && d->pkt && d->esp;
    for (size_t i = 0; ok && i < IKH_CAPDEC_MAX_REASM; i++) {
        d->slot[i].data = malloc(IKH_WIRE_MAX_MSG);
        ok = d->slot[i].data != NULL;
    }
    if (!ok) {
        ikh_capdec_dec_free(d);
        return IKH_ERR_ENV_NOMEM;
    }
    *out = d;
    return IKH_OK;
}

static void frame_one(capdec_run *r, const ikh_frame *fr)
{
    /* a message cut by the snap length cannot be verified: bad when its
     * SA is keyed (pcap.h: the captured part is in fr->ike / fr->esp) */
    bool cut = fr->err == IKH_ERR_PCAP_SNAPLEN;
    if (fr->kind == IKH_FRAME_IKE || (cut && fr->ike.len > 0))
        ike_frame(r, fr, cut);
    else if (fr->kind == IKH_FRAME_ESP || (cut && fr->esp.len > 0))
        esp_frame(r, fr, cut);
}

static void copy_msg(char *errbuf, size_t errbuf_len, const char *msg)
{
    if (errbuf != NULL && errbuf_len > 0)
        snprintf(errbuf, errbuf_len, "%s", msg);
}

ikh_err ikh_capdec_check(const ikh_capdec_keys *k, const char *path,
                         ikh_capdec_result *res, char *errbuf,
                         size_t errbuf_len)
{
    IKH_CHECK(k != NULL && path != NULL && res != NULL, IKH_ERR_ARG_INVALID);
    memset(res, 0, sizeof *res);
    copy_msg(errbuf, errbuf_len, "");
    ikh_cap *cap = NULL;
    IKH_TRY(ikh_cap_open(path, &cap, errbuf, errbuf_len));
    ikh_err e = ikh_capdec_check_cap(k, cap, res, errbuf, errbuf_len);
    ikh_cap_close(cap);
    return e;
}

ikh_err ikh_capdec_check_cap(const ikh_capdec_keys *k, ikh_cap *cap,
                             ikh_capdec_result *res, char *errbuf,
                             size_t errbuf_len)
{
    IKH_CHECK(k != NULL && cap != NULL && res != NULL, IKH_ERR_ARG_INVALID);
    memset(res, 0, sizeof *res);
    copy_msg(errbuf, errbuf_len, "");
    capdec_run r = {.res = res};
    ikh_err e = ikh_capdec_dec_new(k, &r.d);
    r.msg = malloc(sizeof *r.msg);
    if (e == IKH_OK && r.msg == NULL)
        e = IKH_ERR_ENV_NOMEM;
    while (e == IKH_OK) {
        ikh_frame fr;
        /* drop reports of IP reassembly are not ours to judge */
        e = ikh_cap_next_nodrops(cap, &fr);
        if (e == IKH_ERR_STATE) {
            e = IKH_OK;
            break;
        }
        if (e != IKH_OK)
            break;
        res->frames++;
        frame_one(&r, &fr);
    }
    if (e == IKH_ERR_PCAP_RECORD)
        copy_msg(errbuf, errbuf_len, ikh_cap_errmsg(cap));
    res->ike_incomplete += ikh_capdec_dec_incomplete(r.d);
    ikh_capdec_dec_free(r.d);
    free(r.msg);
    return e;
}

/* ---- binding unbound IKE SAs ------------------------------------------ */

static size_t unbound_count(const ikh_capdec_keys *k)
{
    size_t n = 0;
    for (size_t i = 0; i < k->n_ike; i++)
        n += k->ike[i].unbound;
    return n;
}

/* One IKE frame: an SK/SKF message of an SPI pair without keys is tried
 * with every unbound SA; the first whose ICV/tag verifies takes it. */
static void bind_frame(ikh_capdec_keys *k, ikh_capdec_dec *d, ikh_msg *m,
                       const ikh_frame *fr)
{
    if (fr->kind != IKH_FRAME_IKE ||
        ikh_wire_msg_parse(m, fr->ike.p, fr->ike.len, NULL) != IKH_OK)
        return;
    const ikh_pl *sk = sk_of(m);
    if (sk == NULL || ike_find(k, m->hdr.ispi, m->hdr.rspi) != NULL)
        return;
    for (size_t i = 0; i < k->n_ike; i++) {
        capdec_ike_key *key = &k->ike[i];
        size_t inner_len = 0, inner_off = 0;
        if (!key->unbound ||
            ike_open(d, key, m, sk, fr->ike, &inner_len, &inner_off) != IKH_OK)
            continue;
        key->ispi = m->hdr.ispi;
        key->rspi = m->hdr.rspi;
        key->unbound = false;
        return;
    }
}

ikh_err ikh_capdec_keys_bind(ikh_capdec_keys *k, const char *path,
                             size_t *n_left, char *errbuf, size_t errbuf_len)
{
    IKH_CHECK(k != NULL && path != NULL, IKH_ERR_ARG_INVALID);
    copy_msg(errbuf, errbuf_len, "");
    if (n_left != NULL)
        *n_left = unbound_count(k);
    if (unbound_count(k) == 0)
        return IKH_OK;
    ikh_cap *cap = NULL;
    IKH_TRY(ikh_cap_open(path, &cap, errbuf, errbuf_len));
    ikh_capdec_dec *d = NULL;
    ikh_err e = ikh_capdec_dec_new(k, &d);
    ikh_msg *m = malloc(sizeof *m);
    if (e == IKH_OK && m == NULL)
        e = IKH_ERR_ENV_NOMEM;
    while (e == IKH_OK && unbound_count(k) > 0) {
        ikh_frame fr;
        e = ikh_cap_next_nodrops(cap, &fr);
        if (e == IKH_ERR_STATE) {
            e = IKH_OK;
            break;
        }
        if (e == IKH_OK)
            bind_frame(k, d, m, &fr);
    }
    if (e == IKH_ERR_PCAP_RECORD)
        copy_msg(errbuf, errbuf_len, ikh_cap_errmsg(cap));
    ikh_capdec_dec_free(d);
    free(m);
    ikh_cap_close(cap);
    if (n_left != NULL)
        *n_left = unbound_count(k);
    return e;
}
