/* SPDX-License-Identifier: MIT */
/* target: ikh_esp_sa_decap, ikh_esp_replay_check, ikh_esp_replay_accept,
 *         ikh_esp_sa_seal (the sealing side of the oracle) */
/* input:
 *   u8 cfg     bits 0-1 suite: 0 AES-GCM-16-128, 1 AES-CBC-128 +
 *              HMAC-SHA2-256-128, 2 ENCR_NULL + HMAC-SHA2-256-128, 3 the
 *              fuzzing null AEAD; bit 2 ESN; bits 3-4 window 64, 128,
 *              1024, 4096
 *   u32 base   window position: sequence number of the first genuine
 *              packet (with ESN a u32 high half follows)
 *   u8 n       (n % 16) genuine packets decapsulated first, each at base
 *              plus a signed u8 offset read per packet
 *   then steps until the input ends (at most 32), each starting with u8
 *   kind % 3:
 *     0 raw     u8 flags (bit 0: the first 4 octets become the SA's SPI),
 *               the ESP packet (u16 length + octets)
 *     1 sealed  sequence number, u8 next header, u8 TFC padding (% 32),
 *               payload (u16 length + octets): sealed with
 *               ikh_esp_sa_seal() and the SA's key
 *     2 trailer sequence number, payload (u16 length + octets), trailer
 *               (u16 length + octets: padding, Pad Length, Next Header as
 *               given), sealed by hand with the SA's key, so the checks
 *               behind the ICV see arbitrary padding
 *   sequence number: u8 mode % 4: 0 one past the window top, 1 the top
 *   (a replay), 2 top minus a u16, 3 a u32 low half (the high half is the
 *   top's); with ESN the number may wrap into the next high half.
 */
/*
 * ESP decapsulation with an SA in a chosen state. Oracles (abort with one
 * line): a packet sealed with the SA's key decapsulates to exactly its
 * payload and next header whenever the replay check accepts its sequence
 * number (as inferred, RFC 4303 Appendix A) and otherwise fails with that
 * check's error; a sequence number accepted once is never accepted again;
 * a failed packet never moves the window (STYLE §10); a hand-sealed packet
 * with well-formed padding decapsulates like a sealed one. Deterministic,
 * no state between inputs, writes no files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fuzz_input.h"
#include "ikh/esp.h"
#include "ikh/iana.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(msg)                                                              \
    do {                                                                       \
        fprintf(stderr, "fuzz_esp oracle: %s\n", msg);                         \
        abort();                                                               \
    } while (0)

#define MAX_STEPS 32u
#define MAX_SEEN 128u
#define BUF_CAP (IKH_ESP_HEADROOM + 65535u + IKH_ESP_TAILROOM + 64u)

static uint8_t buf[BUF_CAP];

typedef struct esp_state {
    ikh_esp_sa in, out;
    bool esn;
    bool no_icv; /* the fuzzing null AEAD: no integrity at all */
    size_t n_seen;
    uint64_t seen[MAX_SEEN]; /* full numbers accepted (a ring) */
    size_t seen_next;
} esp_state;

static esp_state st;

static const ikh_xform_desc *find(const ikh_xform_desc *const *l, uint8_t t,
                                  uint16_t id, uint16_t bits)
{
    const ikh_xform_desc *d = ikh_crypto_find(l, t, id, bits);
    if (d == NULL)
        FAIL("transform missing from the registry");
    return d;
}

static void sa_setup(esp_state *s, uint8_t cfg)
{
    static const uint8_t key[64] = {
        0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba,
        0xcb, 0xdc, 0xed, 0xfe, 0x0f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
        0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02,
        0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
        0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
        0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21};
    static const uint32_t windows[4] = {64, 128, 1024, 4096};
    const ikh_xform_desc *const *dl = ikh_crypto_default_list();
    ikh_esp_sa_config c;
    memset(&c, 0, sizeof c);
    c.spi = 0xc0ffee01;
    switch (cfg & 3) {
    case 0:
        c.encr = find(dl, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128);
        break;
    case 1:
        c.encr = find(dl, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128);
        c.integ = find(dl, IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_256_128, 0);
        break;
    case 2:
        c.encr = find(dl, IKH_XF_ENCR, IKH_ENCR_NULL, 0);
        c.integ = find(dl, IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_256_128, 0);
        break;
    default:
        c.encr = find(ikh_crypto_null_list(), IKH_XF_ENCR, IKH_ENCR_NULL, 0);
        break;
    }
    c.encr_key = ikh_span_of(key, c.encr->encr->key_len);
    if (c.integ != NULL)
        c.integ_key = ikh_span_of(key + 20, c.integ->integ->key_len);
    c.esn = (cfg & 4) != 0;
    c.window = windows[(cfg >> 3) & 3];
    memset(s, 0, sizeof *s);
    s->esn = c.esn;
    s->no_icv = c.encr->encr->aead && c.encr->encr->icv_len == 0;
    if (ikh_esp_sa_init(&s->in, &c) != IKH_OK)
        FAIL("inbound SA setup");
    c.outbound = true;
    if (ikh_esp_sa_init(&s->out, &c) != IKH_OK)
        FAIL("outbound SA setup");
}

static bool was_seen(const esp_state *s, uint64_t seq)
{
    size_t n = s->n_seen < MAX_SEEN ? s->n_seen : MAX_SEEN;
    for (size_t i = 0; i < n; i++)
        if (s->seen[i] == seq)
            return true;
    return false;
}

static void mark_seen(esp_state *s, uint64_t seq)
{
    s->seen[s->seen_next] = seq;
    s->seen_next = (s->seen_next + 1) % MAX_SEEN;
    s->n_seen++;
}

/* Decapsulate @p pkt; the window may move only on OK / ESP_DUMMY. */
static ikh_err decap(esp_state *s, uint8_t *pkt, size_t len, ikh_span *pl,
                     uint8_t *nh)
{
    ikh_esp_replay before = s->in.replay;
    ikh_err e = ikh_esp_sa_decap(&s->in, pkt, len, pl, nh);
    if (e != IKH_OK && e != IKH_ERR_ESP_DUMMY &&
        memcmp(&before, &s->in.replay, sizeof before) != 0)
        FAIL("a failed packet moved the replay window");
    return e;
}

/* The full sequence number a step asks for. */
static uint64_t pick_seq(esp_state *s, fuzz_in *in)
{
    uint64_t top = s->in.replay.top;
    uint64_t mask = s->esn ? UINT64_MAX : UINT32_MAX;
    switch (fuzz_in_u8(in) & 3) {
    case 0:
        return (top + 1) & mask;
    case 1:
        return top;
    case 2:
        return (top - fuzz_in_u16(in)) & mask;
    default:
        return (top & ~(uint64_t)UINT32_MAX) | fuzz_in_u32(in);
    }
}

/* A packet sealed with the SA's key: check it against the replay check
 * made beforehand (see the oracles). */
static void judge(esp_state *s, uint8_t *pkt, size_t len, uint64_t seq,
                  const uint8_t *payload, size_t pl_len, uint8_t want_nh,
                  size_t tfc)
{
    uint64_t inferred = 0;
    ikh_err rc = ikh_esp_replay_check(&s->in.replay, (uint32_t)seq, &inferred);
    ikh_span pl;
    uint8_t nh = 0;
    ikh_err e = decap(s, pkt, len, &pl, &nh);
    if (rc != IKH_OK) {
        if (e != rc)
            FAIL("a sealed packet failed otherwise than its replay check");
        return;
    }
    if (inferred != seq) {
        /* the null AEAD has no tag: nothing checks the ESN high half */
        if ((e == IKH_OK || e == IKH_ERR_ESP_DUMMY) && !s->no_icv)
            FAIL("accepted with a different inferred sequence number");
        if (e == IKH_OK || e == IKH_ERR_ESP_DUMMY)
            mark_seen(s, inferred);
        return;
    }
    if (was_seen(s, seq))
        FAIL("replay check accepted a sequence number seen before");
    ikh_err want = want_nh == IKH_ESP_NH_DUMMY ? IKH_ERR_ESP_DUMMY : IKH_OK;
    if (e != want)
        FAIL("a genuinely sealed packet did not decapsulate");
    if (nh != want_nh || pl.len != pl_len + tfc ||
        (pl_len && memcmp(pl.p, payload, pl_len) != 0))
        FAIL("decapsulated payload differs from the sealed one");
    for (size_t i = 0; i < tfc; i++)
        if (pl.p[pl_len + i] != 0)
            FAIL("TFC padding changed");
    mark_seen(s, seq);
}

/* ikh_esp_sa_seal() at @p seq; returns false when it refuses. */
static bool seal(esp_state *s, uint64_t seq, const uint8_t *p, size_t len,
                 uint8_t nh, size_t tfc, ikh_span *out)
{
    static const uint8_t cbc_iv[16] = {0xa5, 1, 2,  3,  4,  5,  6,  7,
                                       8,    9, 10, 11, 12, 13, 14, 15};
    uint8_t iv[16];
    size_t iv_len = s->out.encr->encr->iv_len;
    if (iv_len == 8)
        for (int i = 0; i < 8; i++)
            iv[i] = (uint8_t)(seq >> (56 - 8 * i));
    else
        memcpy(iv, cbc_iv, sizeof iv);
    memcpy(buf + IKH_ESP_HEADROOM, p, len);
    return ikh_esp_sa_seal(&s->out, seq, iv, buf, sizeof buf, IKH_ESP_HEADROOM,
                           len, nh, tfc, out) == IKH_OK;
}

static void put32(uint8_t *p, uint64_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* RFC 4303 §2 by hand: SPI | seq | IV | E(payload | trailer) | ICV, with
 * the trailer as given (AEAD: RFC 4106 §5 AAD; INTEG: ICV over SPI ..
 * ciphertext, then the ESN high half, §2.2.1). Returns the length, 0 when
 * the cipher refuses the length. */
static size_t seal_by_hand(esp_state *s, uint64_t seq, const uint8_t *p,
                           size_t len, const uint8_t *tr, size_t tr_len)
{
    const ikh_encr_ops *e = s->out.encr->encr;
    size_t iv_len = e->iv_len, pt_len = len + tr_len;
    uint8_t *pkt = buf;
    put32(pkt, s->out.spi);
    put32(pkt + 4, seq);
    for (size_t i = 0; i < iv_len; i++)
        pkt[8 + i] =
            iv_len == 8 ? (uint8_t)(seq >> (56 - 8 * i)) : (uint8_t)(0x5a + i);
    uint8_t *ct = pkt + 8 + iv_len;
    memcpy(ct, p, len);
    memcpy(ct + len, tr, tr_len);
    if (e->block_len > 1 && pt_len % e->block_len != 0)
        return 0;
    uint8_t *icv = ct + pt_len;
    if (e->aead) {
        uint8_t aad[12];
        put32(aad, s->out.spi);
        size_t aad_len = 8;
        if (s->esn) {
            put32(aad + 4, seq >> 32);
            put32(aad + 8, seq);
            aad_len = 12;
        } else {
            put32(aad + 4, seq);
        }
        if (e->encrypt(&s->out.encr_ctx, pkt + 8, ikh_span_of(aad, aad_len), ct,
                       pt_len, icv) != IKH_OK)
            return 0;
        return 8 + iv_len + pt_len + e->icv_len;
    }
    if (e->encrypt(&s->out.encr_ctx, pkt + 8, ikh_span_of(NULL, 0), ct, pt_len,
                   NULL) != IKH_OK)
        return 0;
    uint8_t hi[4];
    put32(hi, seq >> 32);
    ikh_span parts[2] = {ikh_span_of(pkt, 8 + iv_len + pt_len),
                         ikh_span_of(hi, 4)};
    if (s->out.integ->integ->mac(s->out.integ_key, parts, s->esn ? 2u : 1u,
                                 icv) != IKH_OK)
        FAIL("integrity transform refused");
    return 8 + iv_len + pt_len + s->out.integ->integ->icv_len;
}

/* Padding 1, 2, 3, ... as RFC 4303 §2.4 defines it, Pad Length that fits. */
static bool trailer_ok(const uint8_t *tr, size_t tr_len, size_t pl_len)
{
    if (tr_len < 2)
        return false;
    size_t pad = tr[tr_len - 2];
    if (pad != tr_len - 2 || (pl_len + tr_len) % 4 != 0)
        return false;
    for (size_t i = 0; i < pad; i++)
        if (tr[i] != (uint8_t)(i + 1))
            return false;
    return true;
}

static void step_raw(esp_state *s, fuzz_in *in)
{
    uint8_t fl = fuzz_in_u8(in);
    const uint8_t *p;
    size_t len = fuzz_in_bytes(in, &p);
    memcpy(buf, p, len);
    if ((fl & 1) && len >= 4)
        put32(buf, s->in.spi);
    ikh_span pl;
    uint8_t nh;
    uint64_t top = s->in.replay.top;
    ikh_err e = decap(s, buf, len, &pl, &nh);
    if ((e == IKH_OK || e == IKH_ERR_ESP_DUMMY) && s->in.replay.top < top)
        FAIL("the window top moved back");
}

static void step_sealed(esp_state *s, fuzz_in *in)
{
    uint64_t seq = pick_seq(s, in);
    uint8_t nh = fuzz_in_u8(in);
    size_t tfc = fuzz_in_u8(in) % 32;
    const uint8_t *p;
    size_t len = fuzz_in_bytes(in, &p);
    ikh_span pkt;
    if (!seal(s, seq, p, len, nh, tfc, &pkt))
        return;
    /* p is the input (decapsulation works in place in buf) */
    judge(s, (uint8_t *)pkt.p, pkt.len, seq, p, len, nh, tfc);
}

static void step_trailer(esp_state *s, fuzz_in *in)
{
    uint64_t seq = pick_seq(s, in);
    const uint8_t *p, *tr;
    size_t len = fuzz_in_bytes(in, &p);
    size_t tr_len = fuzz_in_bytes(in, &tr);
    if (len + tr_len + 64 > BUF_CAP)
        return;
    size_t n = seal_by_hand(s, seq, p, len, tr, tr_len);
    if (n == 0)
        return;
    if (trailer_ok(tr, tr_len, len)) {
        judge(s, buf, n, seq, p, len, tr[tr_len - 1], 0);
        return;
    }
    ikh_span pl;
    uint8_t nh;
    (void)decap(s, buf, n, &pl, &nh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in;
    fuzz_in_init(&in, data, size);
    esp_state *s = &st;
    uint8_t cfg = fuzz_in_u8(&in);
    sa_setup(s, cfg);
    uint64_t base = fuzz_in_u32(&in);
    if (s->esn)
        base |= (uint64_t)fuzz_in_u32(&in) << 32;
    unsigned n = fuzz_in_u8(&in) % 16;
    static const uint8_t ping[28] = {0x45, 0, 0,  28, 0, 1, 0,  0, 64, 1,
                                     0,    0, 10, 1,  0, 1, 10, 2, 0,  1,
                                     8,    0, 0,  0,  0, 1, 0,  1};
    for (unsigned i = 0; i < n; i++) {
        uint64_t seq = base + (uint64_t)(int64_t)(int8_t)fuzz_in_u8(&in);
        if (!s->esn)
            seq &= UINT32_MAX;
        ikh_span pkt;
        if (seal(s, seq, ping, sizeof ping, IKH_ESP_NH_IPV4, 0, &pkt))
            judge(s, (uint8_t *)pkt.p, pkt.len, seq, ping, sizeof ping,
                  IKH_ESP_NH_IPV4, 0);
    }
    for (unsigned k = 0; k < MAX_STEPS && fuzz_in_left(&in) > 0; k++) {
        switch (fuzz_in_u8(&in) % 3) {
        case 0:
            step_raw(s, &in);
            break;
        case 1:
            step_sealed(s, &in);
            break;
        default:
            step_trailer(s, &in);
            break;
        }
    }
    ikh_esp_sa_fini(&s->in);
    ikh_esp_sa_fini(&s->out);
    return 0;
}
