/* SPDX-License-Identifier: MIT */
/*
 * AUTH payload data for shared keys (RFC 7296 §2.15): the signed octets with
 * their MACedID, and the "Key Pad for IKEv2" construction, verified in
 * constant time with ikh_ct_eq().
 */
#include <string.h>

#include "ikh/auth.h"

/* RFC 7296 §2.15: the 17 ASCII characters, no terminating NUL. */
static const uint8_t key_pad[] = {'K', 'e', 'y', ' ', 'P', 'a', 'd', ' ', 'f',
                                  'o', 'r', ' ', 'I', 'K', 'E', 'v', '2'};

/*= rfc7296#2.15
 *# InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
 *# InitiatorIDPayload = PayloadHeader | RestOfInitIDPayload
 *# RestOfInitIDPayload = IDType | RESERVED | InitIDData
 *# MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
 */
ikh_err ikh_auth_octets_init(ikh_auth_octets *o, const ikh_prf_ops *prf,
                             const ikh_secret *sk_p, ikh_span message,
                             ikh_span nonce, ikh_span id_body)
{
    IKH_CHECK(o != NULL, IKH_ERR_ARG_INVALID);
    memset(o, 0, sizeof *o);
    IKH_CHECK(prf != NULL && prf->prf != NULL && sk_p != NULL &&
                  sk_p->len <= IKH_SECRET_MAX && prf->out_len <= IKH_PRF_MAX &&
                  id_body.len >= 4,
              IKH_ERR_ARG_INVALID);
    ikh_err e =
        prf->prf(ikh_span_of(sk_p->b, sk_p->len), &id_body, 1, o->maced_id);
    if (e != IKH_OK) {
        ikh_auth_octets_fini(o);
        return e;
    }
    o->parts[0] = message;
    o->parts[1] = nonce;
    o->parts[2] = ikh_span_of(o->maced_id, prf->out_len);
    return IKH_OK;
}

void ikh_auth_octets_fini(ikh_auth_octets *o)
{
    if (o == NULL)
        return;
    ikh_wipe(o->maced_id, sizeof o->maced_id);
    memset(o->parts, 0, sizeof o->parts);
}

/*= rfc7296#2.15
 *# AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"),
 *#              <InitiatorSignedOctets>)
 */
ikh_err ikh_auth_psk_compute(const ikh_prf_ops *prf, ikh_span psk,
                             const ikh_auth_octets *o, uint8_t *out)
{
    IKH_CHECK(prf != NULL && prf->prf != NULL && o != NULL && out != NULL &&
                  psk.len > 0 && psk.p != NULL && prf->out_len <= IKH_PRF_MAX,
              IKH_ERR_ARG_INVALID);
    uint8_t padded[IKH_PRF_MAX];
    ikh_span pad = ikh_span_of(key_pad, sizeof key_pad);
    ikh_err e = prf->prf(psk, &pad, 1, padded);
    if (e == IKH_OK)
        e = prf->prf(ikh_span_of(padded, prf->out_len), o->parts, 3, out);
    ikh_wipe(padded, sizeof padded);
    if (e != IKH_OK)
        ikh_wipe(out, prf->out_len);
    return e;
}

ikh_err ikh_auth_psk_verify(const ikh_prf_ops *prf, ikh_span psk,
                            const ikh_auth_octets *o, ikh_span auth_data)
{
    uint8_t want[IKH_PRF_MAX];
    IKH_TRY(ikh_auth_psk_compute(prf, psk, o, want));
    bool ok = auth_data.len == prf->out_len &&
              ikh_ct_eq(want, auth_data.p, prf->out_len);
    ikh_wipe(want, sizeof want);
    return ok ? IKH_OK : IKH_ERR_CRYPTO_SIG_INVALID;
}
