/* SPDX-License-Identifier: MIT */
/*
 * The Encrypted payload (RFC 7296 §3.14, RFC 5282 for AEAD): sealing an
 * outgoing message and opening an incoming one with the IKE SA's keys.
 *
 * Seal: serialize the in_sk payloads, pad, place IV | plaintext | ICV in
 * the SK body, serialize the whole message, then encrypt in place and
 * compute the ICV over the final octets (the length fields are final by
 * then). Open: check the ICV (or the AEAD tag) first, in constant time,
 * then decrypt, check the padding and parse the inner chain.
 */
#include <string.h>

#include "ike/ike_int.h"

/* Keys of one direction: from_initiator selects SK_ei/SK_ai. */
static void dir_keys(const ikh_ike_sa *sa, bool from_initiator,
                     const ikh_secret **e, const ikh_secret **a)
{
    *e = from_initiator ? &sa->keys.sk_ei : &sa->keys.sk_er;
    *a = from_initiator ? &sa->keys.sk_ai : &sa->keys.sk_ar;
}

static size_t icv_len_of(const ikh_suite *s)
{
    return s->encr->encr->aead ? s->encr->encr->icv_len
                               : s->integ->integ->icv_len;
}

/* Seal the plaintext chain of L octets at n->plain + iv_len into the last
 * payload of @p m (SK, or SKF for a fragment) and serialize m into out. */
static ikh_err seal_last(ikh_ike_sa *sa, ikh_msg *m, size_t L, uint8_t *out,
                         size_t cap, size_t *out_len)
{
    ikh_node *n = sa->node;
    const ikh_encr_ops *e = sa->suite.encr->encr;
    size_t iv_len = e->iv_len, icv_len = icv_len_of(&sa->suite);
    size_t block = e->block_len ? e->block_len : 1;
    /* RFC 7296 §3.14: padding makes the payloads, Padding and Pad Length a
     * multiple of the encryption block size. */
    size_t pad = (block - (L + 1) % block) % block;
    IKH_CHECK(iv_len + L + pad + 1 + icv_len <= sizeof n->plain,
              IKH_ERR_IKE_MSG_TOO_BIG);
    memset(n->plain + iv_len + L, 0, pad);
    n->plain[iv_len + L + pad] = (uint8_t)pad;
    size_t ct_len = L + pad + 1;
    IKH_TRY(ikh_node_rand(n, n->plain, iv_len));
    memset(n->plain + iv_len + ct_len, 0, icv_len);
    size_t body_len = iv_len + ct_len + icv_len;
    IKH_CHECK(m->n_pl > 0, IKH_ERR_STATE);
    ikh_pl *sk = &m->pl[m->n_pl - 1];
    IKH_CHECK(sk->type == IKH_PL_SK || sk->type == IKH_PL_SKF, IKH_ERR_STATE);
    if (sk->type == IKH_PL_SK)
        sk->u.sk.body = ikh_span_of(n->plain, body_len);
    else
        sk->u.skf.body = ikh_span_of(n->plain, body_len);

    size_t total = 0;
    IKH_TRY(ikh_wire_msg_serialize(m, out, cap, &total));
    IKH_CHECK(total >= body_len, IKH_ERR_STATE);
    size_t off = total - body_len; /* the encrypted payload is last */

    const ikh_secret *ke, *ka;
    dir_keys(sa, sa->initiator, &ke, &ka);
    ikh_crypto_ctx ctx;
    ikh_err err = e->init(&ctx, ke->b);
    if (err == IKH_OK) {
        /* RFC 5282 §5.1: the AEAD associated data is the IKE message from
         * the IKE header through the Encrypted payload header. */
        ikh_span aad = e->aead ? ikh_span_of(out, off) : ikh_span_of(out, 0);
        err = e->encrypt(&ctx, out + off, aad, out + off + iv_len, ct_len,
                         e->aead ? out + off + iv_len + ct_len : NULL);
    }
    e->fini(&ctx);
    IKH_TRY(err);
    if (!e->aead) {
        /* RFC 7296 §3.14: the ICV covers the message from the IKE header
         * through the Pad Length. */
        ikh_span part = ikh_span_of(out, total - icv_len);
        IKH_TRY(sa->suite.integ->integ->mac(ka->b, &part, 1,
                                            out + total - icv_len));
    }
    *out_len = total;
    return IKH_OK;
}

static ikh_err sealable(const ikh_ike_sa *sa)
{
    IKH_CHECK(sa->have_keys && sa->suite.encr != NULL, IKH_ERR_STATE);
    IKH_CHECK(sa->suite.encr->encr->aead || sa->suite.integ != NULL,
              IKH_ERR_STATE);
    return IKH_OK;
}

/*= rfc7296#3.14
 *# The Encrypted payload, if present in a message, MUST be the last
 *# payload in the message.
 */
ikh_err ikh_exch_seal(ikh_ike_sa *sa, ikh_msg *m, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    ikh_node *n = sa->node;
    IKH_TRY(sealable(sa));
    size_t iv_len = sa->suite.encr->encr->iv_len;
    size_t L = 0;
    IKH_TRY(ikh_wire_inner_serialize(m, n->plain + iv_len,
                                     sizeof n->plain - iv_len, &L));
    bool have_sk = false;
    for (size_t i = 0; i < m->n_pl; i++)
        have_sk = have_sk || m->pl[i].type == IKH_PL_SK;
    if (!have_sk)
        IKH_CHECK(ikh_wire_pl_add(m, IKH_PL_SK) != NULL,
                  IKH_ERR_WIRE_TOO_MANY_PAYLOADS);
    return seal_last(sa, m, L, out, cap, out_len);
}

/* RFC 7383 §2.5: the plaintext content of the Encrypted payload is split
 * into chunks, each encrypted and protected in its own Encrypted Fragment
 * payload. */
ikh_err ikh_exch_seal_frags(ikh_ike_sa *sa, ikh_msg *m, size_t chunk_max,
                            uint8_t *out, size_t cap, uint16_t *frag_len,
                            uint8_t *n_frag)
{
    ikh_node *n = sa->node;
    IKH_TRY(sealable(sa));
    size_t L = 0;
    IKH_TRY(ikh_wire_inner_serialize(m, n->chain, sizeof n->chain, &L));
    IKH_CHECK(chunk_max >= 1, IKH_ERR_ARG_RANGE);
    size_t total_frags = (L + chunk_max - 1) / chunk_max;
    if (total_frags == 0)
        total_frags = 1;
    IKH_CHECK(total_frags <= IKH_IKE_MAX_FRAGS, IKH_ERR_IKE_MSG_TOO_BIG);
    uint8_t first = IKH_PL_NONE;
    for (size_t i = 0; i < m->n_pl && first == IKH_PL_NONE; i++)
        if (m->pl[i].in_sk)
            first = m->pl[i].type;
    ikh_msg *fm = &n->fmsg;
    size_t iv_len = sa->suite.encr->encr->iv_len, off = 0;
    for (size_t k = 0; k < total_frags; k++) {
        size_t cl =
            L - k * chunk_max < chunk_max ? L - k * chunk_max : chunk_max;
        ikh_wire_msg_init(fm);
        fm->hdr = m->hdr;
        ikh_pl *p = ikh_wire_pl_add(fm, IKH_PL_SKF);
        IKH_CHECK(p != NULL, IKH_ERR_STATE);
        /* RFC 7383 §2.5: Next Payload is the first inner payload type in
         * fragment 1 and zero in the other fragments. */
        p->u.skf.inner = k == 0 ? first : IKH_PL_NONE;
        p->u.skf.frag_num = (uint16_t)(k + 1);
        p->u.skf.total = (uint16_t)total_frags;
        memcpy(n->plain + iv_len, n->chain + k * chunk_max, cl);
        size_t len = 0;
        IKH_TRY(seal_last(sa, fm, cl, out + off, cap - off, &len));
        frag_len[k] = (uint16_t)len;
        off += len;
    }
    *n_frag = (uint8_t)total_frags;
    return IKH_OK;
}

ikh_err ikh_sk_open(ikh_ike_sa *sa, const ikh_pl *sk, const uint8_t *buf,
                    size_t len, bool from_initiator, uint8_t *plain,
                    size_t plain_cap, size_t *inner_len)
{
    IKH_CHECK(sa->have_keys, IKH_ERR_IKE_UNEXPECTED);
    const ikh_encr_ops *e = sa->suite.encr->encr;
    size_t iv_len = e->iv_len, icv_len = icv_len_of(&sa->suite);
    bool skf = sk->type == IKH_PL_SKF;
    ikh_span body = skf ? sk->u.skf.body : sk->u.sk.body;
    /* header octets before the IV: generic header, plus 4 for SKF */
    size_t hdr = IKH_GENERIC_HDR_LEN + (skf ? 4u : 0u);
    size_t body_off = (size_t)sk->offset + hdr;
    IKH_CHECK(body_off + body.len == len, IKH_ERR_WIRE_PL_AFTER_SK);
    ikh_span iv, ct, icv;
    IKH_TRY(ikh_wire_sk_split(body, iv_len, icv_len, &iv, &ct, &icv));
    IKH_CHECK(ct.len >= 1 && ct.len <= plain_cap, IKH_ERR_CRYPTO_PADDING);
    size_t block = e->block_len ? e->block_len : 1;
    IKH_CHECK(ct.len % block == 0, IKH_ERR_CRYPTO_PADDING);

    const ikh_secret *ke, *ka;
    dir_keys(sa, from_initiator, &ke, &ka);
    if (!e->aead) {
        uint8_t mac[IKH_ICV_MAX];
        ikh_span part = ikh_span_of(buf, len - icv_len);
        IKH_TRY(sa->suite.integ->integ->mac(ka->b, &part, 1, mac));
        bool ok = ikh_ct_eq(mac, icv.p, icv_len);
        ikh_wipe(mac, sizeof mac);
        IKH_CHECK(ok, IKH_ERR_CRYPTO_ICV);
    }
    memcpy(plain, ct.p, ct.len);
    ikh_crypto_ctx ctx;
    ikh_err err = e->init(&ctx, ke->b);
    if (err == IKH_OK)
        err = e->decrypt(&ctx, iv.p, ikh_span_of(buf, e->aead ? body_off : 0),
                         plain, ct.len, e->aead ? icv.p : NULL);
    e->fini(&ctx);
    IKH_TRY(err);
    uint8_t pad = plain[ct.len - 1];
    IKH_CHECK((size_t)pad + 1 <= ct.len, IKH_ERR_CRYPTO_PADDING);
    *inner_len = ct.len - pad - 1;
    return IKH_OK;
}
