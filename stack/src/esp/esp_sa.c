/* SPDX-License-Identifier: MIT */
/*
 * One direction of an ESP SA (RFC 4303): encapsulation and decapsulation in
 * place, in caller buffers, with the registry's ENCR and INTEG operations
 * (crypto.h). The packet is
 *
 *   SPI (4) | Sequence Number (4) | IV | ciphertext of
 *   (payload | TFC padding | Padding 1, 2, 3, ... | Pad Length | Next Header)
 *   | ICV
 *
 * AEAD transforms (AES-GCM, RFC 4106; ChaCha20-Poly1305, RFC 7634)
 * authenticate SPI | Sequence Number (with ESN: SPI | high 32 bits | low 32
 * bits) as associated data and append their tag as the ICV. The others
 * (AES-CBC, RFC 3602; AES-CTR, RFC 3686; ENCR_NULL, RFC 2410) are paired
 * with an INTEG transform whose truncated MAC covers SPI .. Next Header,
 * followed by the high 32 bits of the sequence number when ESN is on
 * (RFC 4303 §2.2.1, §3.3.2.1): those are authenticated, never sent.
 *
 * Decapsulation (../shared/STYLE.md §10): length checks -> replay check (no
 * state change) -> ICV or AEAD verification (constant time) -> decryption
 * -> padding checks -> replay accept. The window moves only for a packet
 * that passed all of them (IKH_OK) or a verified dummy packet (ESP_DUMMY),
 * and every failure is counted in sa->counters. Nothing here allocates.
 */
#include <string.h>

#include "ikh/bytes.h"
#include "ikh/esp.h"
#include "ikh/iana.h"

/* AAD: SPI | seq_low, or SPI | seq_high | seq_low with ESN (RFC 4106 §5,
 * RFC 7634 §2.1). */
#define AAD_MAX 12u
/* IV of the counter-mode and AEAD transforms: the 64-bit sequence number. */
#define SEQ_IV_LEN 8u
/* Pad Length and Next Header. */
#define TRAILER_LEN 2u

/* Default limits (esp.h): the counter never cycles (RFC 4303 §3.3.3). */
#define HARD_MAX_32 UINT64_C(0xffffffff)
#define SOFT_DEF_32 (UINT64_C(0x100000000) - UINT64_C(0x10000))
#define SOFT_DEF_64 (UINT64_C(1) << 63)

static size_t icv_len_of(const ikh_esp_sa *sa)
{
    return sa->encr->encr->aead ? sa->encr->encr->icv_len
                                : sa->integ->integ->icv_len;
}

/* RFC 4303 §2.4: the ciphertext is a multiple of the cipher's block size,
 * and Pad Length and Next Header end on a 4-octet boundary. Block sizes are
 * 1 or powers of two, so the larger of block_len and 4 is their lcm. */
static size_t align_of(const ikh_encr_ops *e)
{
    return e->block_len > 4u ? e->block_len : 4u;
}

/* The IV is the sequence number for the 8-octet-IV stream and AEAD modes
 * (RFC 4106 §3.1, RFC 7634 §2, RFC 3686 §3.1: unique per key); a block
 * cipher in CBC mode needs an unpredictable one (RFC 3602 §2.4). */
static bool iv_is_seq(const ikh_encr_ops *e)
{
    return e->iv_len == SEQ_IV_LEN && e->block_len == 1u;
}

static size_t build_aad(const ikh_esp_sa *sa, uint64_t seq,
                        uint8_t aad[AAD_MAX])
{
    ikh_wr w = ikh_wr_init(aad, AAD_MAX);
    ikh_wr_u32(&w, sa->spi);
    if (sa->esn)
        ikh_wr_u32(&w, (uint32_t)(seq >> 32));
    ikh_wr_u32(&w, (uint32_t)seq);
    return w.len;
}

/* The INTEG ICV over SPI .. Next Header (@p covered), then the high 32 bits
 * of the sequence number with ESN (RFC 4303 §2.2.1). */
static ikh_err integ_icv(const ikh_esp_sa *sa, ikh_span covered, uint64_t seq,
                         uint8_t *icv)
{
    uint8_t hi[4];
    ikh_wr w = ikh_wr_init(hi, sizeof hi);
    ikh_wr_u32(&w, (uint32_t)(seq >> 32));
    ikh_span parts[2] = {covered, ikh_span_of(hi, sizeof hi)};
    return sa->integ->integ->mac(sa->integ_key, parts, sa->esn ? 2u : 1u, icv);
}

static ikh_err check_encr(const ikh_xform_desc *d)
{
    IKH_CHECK(d != NULL && d->type == IKH_XF_ENCR && d->esp && d->encr != NULL,
              IKH_ERR_ARG_INVALID);
    const ikh_encr_ops *e = d->encr;
    IKH_CHECK(e->iv_len <= IKH_ESP_HEADROOM - IKH_ESP_HDR_LEN,
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(e->block_len <= 255u && e->icv_len <= IKH_ICV_MAX,
              IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

static ikh_err check_integ(const ikh_xform_desc *d, ikh_span key)
{
    IKH_CHECK(d != NULL && d->type == IKH_XF_INTEG && d->esp &&
                  d->integ != NULL,
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(d->integ->key_len <= IKH_PRF_MAX &&
                  d->integ->icv_len <= IKH_ICV_MAX,
              IKH_ERR_ARG_INVALID);
    IKH_CHECK(key.len == d->integ->key_len && (key.p != NULL || key.len == 0),
              IKH_ERR_ARG_INVALID);
    return IKH_OK;
}

static ikh_err sa_config(ikh_esp_sa *sa, const ikh_esp_sa_config *cfg)
{
    IKH_TRY(check_encr(cfg->encr));
    const ikh_encr_ops *e = cfg->encr->encr;
    if (e->aead)
        IKH_CHECK(cfg->integ == NULL, IKH_ERR_ARG_INVALID);
    else
        IKH_TRY(check_integ(cfg->integ, cfg->integ_key));
    IKH_CHECK(cfg->encr_key.len == e->key_len &&
                  (cfg->encr_key.p != NULL || cfg->encr_key.len == 0),
              IKH_ERR_ARG_INVALID);

    sa->spi = cfg->spi;
    sa->outbound = cfg->outbound;
    sa->encr = cfg->encr;
    sa->integ = e->aead ? NULL : cfg->integ;
    sa->esn = cfg->esn;
    if (sa->integ != NULL && cfg->integ_key.len > 0) {
        memcpy(sa->integ_key, cfg->integ_key.p, cfg->integ_key.len);
        sa->integ_key_len = cfg->integ_key.len;
    }
    /* Never more than the counter can carry without cycling (§3.3.3). */
    uint64_t hard_max = cfg->esn ? UINT64_MAX : HARD_MAX_32;
    sa->hard_packets = cfg->hard_packets == 0 || cfg->hard_packets > hard_max
                           ? hard_max
                           : cfg->hard_packets;
    sa->soft_packets = cfg->soft_packets != 0 ? cfg->soft_packets
                       : cfg->esn             ? SOFT_DEF_64
                                              : SOFT_DEF_32;
    if (!cfg->outbound)
        IKH_TRY(ikh_esp_replay_init(
            &sa->replay, cfg->window != 0 ? cfg->window : IKH_ESP_WINDOW_MIN,
            cfg->esn));
    /* ENCR_NULL has no key: hand init a valid pointer anyway. */
    static const uint8_t no_key[1] = {0};
    return e->init(&sa->encr_ctx,
                   cfg->encr_key.len > 0 ? cfg->encr_key.p : no_key);
}

ikh_err ikh_esp_sa_init(ikh_esp_sa *sa, const ikh_esp_sa_config *cfg)
{
    IKH_CHECK(sa != NULL && cfg != NULL, IKH_ERR_ARG_INVALID);
    memset(sa, 0, sizeof *sa);
    ikh_err err = sa_config(sa, cfg);
    if (err != IKH_OK) {
        /* Nothing keyed stays behind, and _fini stays safe. */
        ikh_wipe(sa, sizeof *sa);
        return err;
    }
    return IKH_OK;
}

void ikh_esp_sa_fini(ikh_esp_sa *sa)
{
    if (sa == NULL)
        return;
    /* the keyed parts only: every cipher's fini wipes its own context
     * (nettle_aes.c, nettle_chacha.c; the null ciphers hold no key), then
     * the integrity key. SPI, counters and the replay window are not
     * secret; a whole-SA wipe (5 KiB, most of it the unused part of the
     * context) cost two per Child SA on every teardown. Without its
     * transforms the SA encapsulates and decapsulates nothing, and a
     * second fini does nothing more. */
    if (sa->encr != NULL && sa->encr->encr != NULL)
        sa->encr->encr->fini(&sa->encr_ctx);
    ikh_wipe(sa->integ_key, sizeof sa->integ_key);
    sa->integ_key_len = 0;
    sa->encr = NULL;
    sa->integ = NULL;
}

/* Sizes of the packet seal() builds; fails when the buffer is too small. */
typedef struct seal_plan {
    size_t start;  /* offset of the SPI in buf */
    size_t ct_len; /* payload + TFC + padding + trailer */
    size_t pad;    /* padding octets (1, 2, 3, ...) */
    size_t icv_len;
} seal_plan;

static ikh_err seal_plan_make(const ikh_esp_sa *sa, size_t cap, size_t off,
                              size_t len, size_t tfc_pad, seal_plan *p)
{
    const ikh_encr_ops *e = sa->encr->encr;
    size_t head = IKH_ESP_HDR_LEN + e->iv_len, body = 0, end = 0;
    IKH_CHECK(off >= head, IKH_ERR_ESP_NOBUF);
    IKH_CHECK(ikh_add_ok(len, tfc_pad, &body) &&
                  ikh_add_ok(body, TRAILER_LEN, &body),
              IKH_ERR_ESP_NOBUF);
    size_t align = align_of(e);
    p->pad = (align - body % align) % align;
    p->ct_len = body + p->pad;
    p->icv_len = icv_len_of(sa);
    p->start = off - head;
    IKH_CHECK(ikh_add_ok(off, p->ct_len, &end) &&
                  ikh_add_ok(end, p->icv_len, &end) && end <= cap,
              IKH_ERR_ESP_NOBUF);
    return IKH_OK;
}

ikh_err ikh_esp_sa_seal(ikh_esp_sa *sa, uint64_t seq, const uint8_t *iv,
                        uint8_t *buf, size_t cap, size_t off, size_t len,
                        uint8_t next_header, size_t tfc_pad, ikh_span *out)
{
    IKH_CHECK(sa != NULL && sa->encr != NULL && sa->outbound && buf != NULL &&
                  out != NULL,
              IKH_ERR_ARG_INVALID);
    const ikh_encr_ops *e = sa->encr->encr;
    IKH_CHECK(iv != NULL || e->iv_len == 0, IKH_ERR_ARG_INVALID);
    /* Without ESN only 32 bits exist (§2.2). */
    IKH_CHECK(sa->esn || seq <= HARD_MAX_32, IKH_ERR_ARG_INVALID);
    seal_plan p;
    IKH_TRY(seal_plan_make(sa, cap, off, len, tfc_pad, &p));

    /* RFC 4303 §2.4: TFC padding (zeros here), then the default padding
     * 1, 2, 3, ..., Pad Length and Next Header. */
    uint8_t *ct = buf + off;
    memset(ct + len, 0, tfc_pad);
    for (size_t i = 0; i < p.pad; i++)
        ct[len + tfc_pad + i] = (uint8_t)(i + 1u);
    ct[p.ct_len - 2] = (uint8_t)p.pad;
    ct[p.ct_len - 1] = next_header;

    /* §2.1, §2.2: SPI and the low 32 bits of the sequence number; the IV
     * follows (§2.3). */
    ikh_wr w = ikh_wr_init(buf + p.start, IKH_ESP_HDR_LEN + e->iv_len);
    ikh_wr_u32(&w, sa->spi);
    ikh_wr_u32(&w, (uint32_t)seq);
    ikh_wr_span(&w, ikh_span_of(iv, e->iv_len));
    IKH_TRY(ikh_wr_error(&w));
    const uint8_t *iv_in_pkt = buf + p.start + IKH_ESP_HDR_LEN;

    uint8_t *icv = ct + p.ct_len;
    if (e->aead) {
        uint8_t aad[AAD_MAX];
        size_t aad_len = build_aad(sa, seq, aad);
        IKH_TRY(e->encrypt(&sa->encr_ctx, iv_in_pkt, ikh_span_of(aad, aad_len),
                           ct, p.ct_len, icv));
    } else {
        IKH_TRY(e->encrypt(&sa->encr_ctx, iv_in_pkt, ikh_span_of(NULL, 0), ct,
                           p.ct_len, NULL));
        /* §3.3.4: the ICV covers the encrypted packet, SPI .. Next
         * Header. */
        size_t covered = IKH_ESP_HDR_LEN + e->iv_len + p.ct_len;
        IKH_TRY(integ_icv(sa, ikh_span_of(buf + p.start, covered), seq, icv));
    }
    *out = ikh_span_of(buf + p.start,
                       IKH_ESP_HDR_LEN + e->iv_len + p.ct_len + p.icv_len);
    return IKH_OK;
}

ikh_err ikh_esp_sa_encap(ikh_esp_sa *sa, uint8_t *buf, size_t cap, size_t off,
                         size_t len, uint8_t next_header, size_t tfc_pad,
                         const ikh_rand *rnd, ikh_span *out, bool *soft)
{
    if (soft != NULL)
        *soft = false;
    IKH_CHECK(sa != NULL && sa->encr != NULL && sa->outbound && out != NULL,
              IKH_ERR_ARG_INVALID);
    /* §3.3.3: the counter starts at 0 and the first packet carries 1; a
     * packet that would make it cycle (or pass the hard limit) is never
     * sent. */
    IKH_CHECK(sa->seq < sa->hard_packets, IKH_ERR_ESP_SEQ_EXHAUSTED);
    uint64_t seq = sa->seq + 1u;
    const ikh_encr_ops *e = sa->encr->encr;
    uint8_t iv[IKH_ESP_HEADROOM - IKH_ESP_HDR_LEN];
    if (iv_is_seq(e)) {
        ikh_wr w = ikh_wr_init(iv, sizeof iv);
        ikh_wr_u64(&w, seq);
    } else if (e->iv_len > 0) {
        IKH_CHECK(rnd != NULL && rnd->fn != NULL, IKH_ERR_ARG_INVALID);
        rnd->fn(rnd->user, iv, e->iv_len);
    }
    IKH_TRY(ikh_esp_sa_seal(sa, seq, iv, buf, cap, off, len, next_header,
                            tfc_pad, out));
    sa->seq = seq;
    sa->counters.packets++;
    sa->counters.octets += len;
    if (!sa->soft_reported && seq >= sa->soft_packets) {
        sa->soft_reported = true;
        if (soft != NULL)
            *soft = true;
    }
    return IKH_OK;
}

/* The regions of a received packet. */
typedef struct open_parts {
    uint32_t spi, seq_low;
    size_t ct_off, ct_len; /* ciphertext offset (after the IV) and length */
    ikh_span iv, icv;
} open_parts;

static ikh_err open_split(const ikh_esp_sa *sa, const uint8_t *pkt, size_t len,
                          open_parts *op)
{
    const ikh_encr_ops *e = sa->encr->encr;
    size_t icv_len = icv_len_of(sa);
    size_t fixed = IKH_ESP_HDR_LEN + e->iv_len + icv_len;
    /* At least the trailer, and whole cipher blocks (a packet cut inside a
     * block is a truncated one). */
    IKH_CHECK(len >= fixed + TRAILER_LEN, IKH_ERR_ESP_TRUNCATED);
    op->ct_len = len - fixed;
    IKH_CHECK(e->block_len <= 1u || op->ct_len % e->block_len == 0,
              IKH_ERR_ESP_TRUNCATED);
    ikh_rd rd = ikh_rd_init(pkt, len);
    op->spi = ikh_rd_u32(&rd);
    op->seq_low = ikh_rd_u32(&rd);
    op->iv = ikh_rd_bytes(&rd, e->iv_len);
    op->ct_off = ikh_rd_offset(&rd);
    (void)ikh_rd_bytes(&rd, op->ct_len);
    op->icv = ikh_rd_bytes(&rd, icv_len);
    IKH_CHECK(ikh_rd_finish(&rd, IKH_ERR_ESP_TRUNCATED) == IKH_OK,
              IKH_ERR_ESP_TRUNCATED);
    return IKH_OK;
}

/* Verify and decrypt in place: CRYPTO_ICV on a mismatch. */
static ikh_err open_crypto(ikh_esp_sa *sa, uint8_t *pkt, const open_parts *op,
                           uint64_t seq)
{
    const ikh_encr_ops *e = sa->encr->encr;
    uint8_t *ct = pkt + op->ct_off;
    if (e->aead) {
        /* One operation: the tag is checked (constant time) before the
         * plaintext counts; on a mismatch the ciphertext is restored. */
        uint8_t aad[AAD_MAX];
        size_t aad_len = build_aad(sa, seq, aad);
        return e->decrypt(&sa->encr_ctx, op->iv.p, ikh_span_of(aad, aad_len),
                          ct, op->ct_len, op->icv.p);
    }
    /* §3.4.4.1: the ICV first, over SPI .. Next Header (+ ESN high bits). */
    uint8_t want[IKH_ICV_MAX];
    IKH_TRY(
        integ_icv(sa, ikh_span_of(pkt, op->ct_off + op->ct_len), seq, want));
    bool ok = ikh_ct_eq(want, op->icv.p, op->icv.len);
    ikh_wipe(want, sizeof want);
    IKH_CHECK(ok, IKH_ERR_CRYPTO_ICV);
    return e->decrypt(&sa->encr_ctx, op->iv.p, ikh_span_of(NULL, 0), ct,
                      op->ct_len, NULL);
}

/* §2.4, §2.5: Pad Length within the data, padding 1, 2, 3, ... (the
 * default padding, which a receiver checks). Writes the payload length. */
static ikh_err open_trailer(const uint8_t *pt, size_t ct_len,
                            size_t *payload_len)
{
    size_t pad = pt[ct_len - 2];
    IKH_CHECK(pad + TRAILER_LEN <= ct_len, IKH_ERR_ESP_PAD_LEN);
    size_t data = ct_len - TRAILER_LEN - pad;
    for (size_t i = 0; i < pad; i++)
        IKH_CHECK(pt[data + i] == (uint8_t)(i + 1u), IKH_ERR_ESP_PADDING);
    *payload_len = data;
    return IKH_OK;
}

/* Count a failure in its counter; returns err. */
static ikh_err drop(ikh_esp_sa *sa, ikh_err err)
{
    switch (err) {
    case IKH_ERR_ESP_REPLAYED:
    case IKH_ERR_ESP_TOO_OLD:
    case IKH_ERR_ESP_SEQ_ZERO:
        sa->counters.replayed++;
        break;
    case IKH_ERR_CRYPTO_ICV:
        sa->counters.icv_failures++;
        break;
    default:
        sa->counters.malformed++;
        break;
    }
    return err;
}

ikh_err ikh_esp_sa_decap(ikh_esp_sa *sa, uint8_t *pkt, size_t len,
                         ikh_span *payload, uint8_t *next_header)
{
    IKH_CHECK(sa != NULL && sa->encr != NULL && !sa->outbound &&
                  (pkt != NULL || len == 0) && payload != NULL &&
                  next_header != NULL,
              IKH_ERR_ARG_INVALID);
    open_parts op;
    ikh_err err = open_split(sa, pkt, len, &op);
    if (err != IKH_OK)
        return drop(sa, err);
    /* The caller found the SA by this SPI (§3.4.2). */
    if (op.spi != sa->spi)
        return drop(sa, IKH_ERR_ESP_UNKNOWN_SPI);
    uint64_t seq = 0;
    err = ikh_esp_replay_check(&sa->replay, op.seq_low, &seq);
    if (err == IKH_OK)
        err = open_crypto(sa, pkt, &op, seq);
    size_t data = 0;
    if (err == IKH_OK)
        err = open_trailer(pkt + op.ct_off, op.ct_len, &data);
    if (err != IKH_OK)
        return drop(sa, err);
    /* §3.4.3: the window moves only for a packet that passed the integrity
     * check (here: and every other check). */
    ikh_esp_replay_accept(&sa->replay, seq);
    *next_header = pkt[op.ct_off + op.ct_len - 1];
    *payload = ikh_span_of(pkt + op.ct_off, data);
    /* §2.6: a dummy packet is dropped silently. */
    if (*next_header == IKH_ESP_NH_DUMMY) {
        sa->counters.dummies++;
        return IKH_ERR_ESP_DUMMY;
    }
    sa->counters.packets++;
    sa->counters.octets += data;
    return IKH_OK;
}

ikh_err ikh_esp_peek_spi(ikh_span pkt, uint32_t *spi)
{
    IKH_CHECK(spi != NULL && (pkt.p != NULL || pkt.len == 0),
              IKH_ERR_ARG_INVALID);
    ikh_rd rd = ikh_rd_init(pkt.p, pkt.len);
    uint32_t v = ikh_rd_u32(&rd);
    IKH_CHECK(ikh_rd_error(&rd) == IKH_OK, IKH_ERR_ESP_TRUNCATED);
    *spi = v;
    return IKH_OK;
}
