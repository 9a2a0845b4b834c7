/* SPDX-License-Identifier: MIT */
/*
 * Proposal strings in strongSwan's syntax: keywords joined by '-', e.g.
 * "aes256gcm16-prfsha256-x25519" or "aes128-sha256-modp2048-esn"
 * (https://docs.strongswan.org/docs/latest/config/proposals.html).
 *
 * One table maps each keyword to its transform (type, IANA ID, key
 * length). The first spelling of a transform in the table is canonical and
 * is what ikh_proposal_format() writes. Rules, as strongSwan applies them:
 *  - several algorithms of one kind may be listed; order is preference;
 *  - IKE: an integrity keyword also gives the PRF of the same hash when no
 *    prf* keyword is present; in an AEAD IKE proposal integrity keywords
 *    mean that PRF only (strongSwan strips integrity from AEAD proposals);
 *    a KE group is required; "esn"/"noesn" and "null" are not allowed;
 *  - Child (ESP): no prf* keyword; AEAD and integrity do not mix; the KE
 *    group is optional (PFS); without "esn"/"noesn" ESN is "none" only;
 *  - AEAD and non-AEAD encryption do not mix; non-AEAD needs integrity;
 *  - a keyword given twice is an error.
 * On failure *bad is the offset of the keyword at fault (unknown, repeated
 * or not allowed in this kind of proposal), or strlen(s) when the keywords
 * are fine but their combination is not (no encryption, no KE, ...).
 * Pure code: no allocation, no state, no output.
 */
#include <string.h>

#include "ikh/iana.h"
#include "ikh/ike.h"

/* Keyword flags. */
#define KW_AEAD 0x01u  /* combined-mode encryption */
#define KW_CHILD 0x02u /* child (ESP) proposals only */

/* One keyword. */
typedef struct kw {
    const char *name; /* keyword (lower case) */
    uint8_t type;     /* IKH_XF_* */
    uint16_t id;      /* IANA transform ID */
    uint16_t bits;    /* key length attribute, 0: none */
    uint8_t flags;    /* KW_* */
} kw;

/* Canonical spelling first for each (type, id, bits). */
static const kw kw_table[] = {
    {"aes128", IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128, 0},
    {"aes192", IKH_XF_ENCR, IKH_ENCR_AES_CBC, 192, 0},
    {"aes256", IKH_XF_ENCR, IKH_ENCR_AES_CBC, 256, 0},
    {"aes128ctr", IKH_XF_ENCR, IKH_ENCR_AES_CTR, 128, 0},
    {"aes192ctr", IKH_XF_ENCR, IKH_ENCR_AES_CTR, 192, 0},
    {"aes256ctr", IKH_XF_ENCR, IKH_ENCR_AES_CTR, 256, 0},
    {"aes128gcm8", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 128, KW_AEAD},
    {"aes192gcm8", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 192, KW_AEAD},
    {"aes256gcm8", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 256, KW_AEAD},
    {"aes128gcm12", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 128, KW_AEAD},
    {"aes192gcm12", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 192, KW_AEAD},
    {"aes256gcm12", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 256, KW_AEAD},
    {"aes128gcm16", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128, KW_AEAD},
    {"aes192gcm16", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 192, KW_AEAD},
    {"aes256gcm16", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 256, KW_AEAD},
    {"aes128gcm64", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 128, KW_AEAD},
    {"aes192gcm64", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 192, KW_AEAD},
    {"aes256gcm64", IKH_XF_ENCR, IKH_ENCR_AES_GCM_8, 256, KW_AEAD},
    {"aes128gcm96", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 128, KW_AEAD},
    {"aes192gcm96", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 192, KW_AEAD},
    {"aes256gcm96", IKH_XF_ENCR, IKH_ENCR_AES_GCM_12, 256, KW_AEAD},
    {"aes128gcm128", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 128, KW_AEAD},
    {"aes192gcm128", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 192, KW_AEAD},
    {"aes256gcm128", IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 256, KW_AEAD},
    {"chacha20poly1305", IKH_XF_ENCR, IKH_ENCR_CHACHA20_POLY1305, 0, KW_AEAD},
    {"null", IKH_XF_ENCR, IKH_ENCR_NULL, 0, KW_CHILD},
    {"sha1", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA1_96, 0, 0},
    {"sha256", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_256_128, 0, 0},
    {"sha2_256", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_256_128, 0, 0},
    {"sha384", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_384_192, 0, 0},
    {"sha2_384", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_384_192, 0, 0},
    {"sha512", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_512_256, 0, 0},
    {"sha2_512", IKH_XF_INTEG, IKH_INTEG_HMAC_SHA2_512_256, 0, 0},
    {"aesxcbc", IKH_XF_INTEG, IKH_INTEG_AES_XCBC_96, 0, 0},
    {"prfsha1", IKH_XF_PRF, IKH_PRF_HMAC_SHA1, 0, 0},
    {"prfsha256", IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 0, 0},
    {"prfsha384", IKH_XF_PRF, IKH_PRF_HMAC_SHA2_384, 0, 0},
    {"prfsha512", IKH_XF_PRF, IKH_PRF_HMAC_SHA2_512, 0, 0},
    {"prfaesxcbc", IKH_XF_PRF, IKH_PRF_AES128_XCBC, 0, 0},
    {"prfaescmac", IKH_XF_PRF, IKH_PRF_AES128_CMAC, 0, 0},
    {"modp2048", IKH_XF_KE, IKH_KE_MODP2048, 0, 0},
    {"modp3072", IKH_XF_KE, IKH_KE_MODP3072, 0, 0},
    {"modp4096", IKH_XF_KE, IKH_KE_MODP4096, 0, 0},
    {"modp6144", IKH_XF_KE, IKH_KE_MODP6144, 0, 0},
    {"modp8192", IKH_XF_KE, IKH_KE_MODP8192, 0, 0},
    {"ecp256", IKH_XF_KE, IKH_KE_ECP256, 0, 0},
    {"ecp384", IKH_XF_KE, IKH_KE_ECP384, 0, 0},
    {"ecp521", IKH_XF_KE, IKH_KE_ECP521, 0, 0},
    {"curve25519", IKH_XF_KE, IKH_KE_CURVE25519, 0, 0},
    {"x25519", IKH_XF_KE, IKH_KE_CURVE25519, 0, 0},
    {"curve448", IKH_XF_KE, IKH_KE_CURVE448, 0, 0},
    {"x448", IKH_XF_KE, IKH_KE_CURVE448, 0, 0},
    {"esn", IKH_XF_ESN, IKH_ESN_YES, 0, KW_CHILD},
    {"noesn", IKH_XF_ESN, IKH_ESN_NO, 0, KW_CHILD},
};
#define KW_COUNT (sizeof kw_table / sizeof kw_table[0])

/* Integrity algorithm -> PRF of the same hash (strongSwan's mapping). */
static uint16_t integ_to_prf(uint16_t integ)
{
    switch (integ) {
    case IKH_INTEG_HMAC_SHA1_96:
        return IKH_PRF_HMAC_SHA1;
    case IKH_INTEG_HMAC_SHA2_256_128:
        return IKH_PRF_HMAC_SHA2_256;
    case IKH_INTEG_HMAC_SHA2_384_192:
        return IKH_PRF_HMAC_SHA2_384;
    case IKH_INTEG_HMAC_SHA2_512_256:
        return IKH_PRF_HMAC_SHA2_512;
    default:
        return IKH_PRF_AES128_XCBC; /* aesxcbc, the only other one */
    }
}

/* Type order of the canonical text and of the stored transforms. */
static const uint8_t type_order[] = {IKH_XF_ENCR, IKH_XF_INTEG, IKH_XF_PRF,
                                     IKH_XF_KE, IKH_XF_ESN};
#define N_TYPES (sizeof type_order / sizeof type_order[0])

/* Index of a transform type in type_order. */
static size_t type_slot(uint8_t type)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (type_order[i] == type)
            return i;
    return N_TYPES;
}

/* Keyword of s[0..len) (case-insensitive), or NULL. */
static const kw *kw_find(const char *s, size_t len)
{
    for (size_t i = 0; i < KW_COUNT; i++) {
        const char *n = kw_table[i].name;
        if (strlen(n) != len)
            continue;
        size_t k = 0;
        while (k < len) {
            char c = s[k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != n[k])
                break;
            k++;
        }
        if (k == len)
            return &kw_table[i];
    }
    return NULL;
}

/* Canonical keyword of a transform, or NULL. */
static const kw *kw_of(const ikh_xf_ref *x)
{
    for (size_t i = 0; i < KW_COUNT; i++)
        if (kw_table[i].type == x->type && kw_table[i].id == x->id &&
            kw_table[i].bits == x->key_bits)
            return &kw_table[i];
    return NULL;
}

/* Transforms collected per type while parsing. */
typedef struct prop_lists {
    uint8_t n[N_TYPES];
    ikh_xf_ref xf[N_TYPES][IKH_IKE_MAX_XF];
} prop_lists;

/* Append a transform to its list unless already there (returns false when
 * it was there or the list is full). */
static bool lists_add(prop_lists *l, uint8_t type, uint16_t id, uint16_t bits)
{
    size_t t = type_slot(type);
    for (size_t i = 0; i < l->n[t]; i++)
        if (l->xf[t][i].id == id && l->xf[t][i].key_bits == bits)
            return false;
    if (l->n[t] >= IKH_IKE_MAX_XF)
        return false;
    ikh_xf_ref *x = &l->xf[t][l->n[t]++];
    x->type = type;
    x->id = id;
    x->key_bits = bits;
    return true;
}

/* Split s into keywords and collect them; sets *bad on an unknown, empty,
 * repeated or misplaced keyword. */
static ikh_err prop_collect(const char *s, bool child, prop_lists *l,
                            unsigned *aead, unsigned *plain, size_t *bad)
{
    size_t pos = 0;
    for (;;) {
        size_t len = 0;
        while (s[pos + len] != '\0' && s[pos + len] != '-')
            len++;
        *bad = pos;
        const kw *k = kw_find(s + pos, len);
        if (k == NULL)
            return IKH_ERR_ARG_INVALID;
        if ((k->flags & KW_CHILD) && !child)
            return IKH_ERR_ARG_INVALID;
        if (k->type == IKH_XF_PRF && child)
            return IKH_ERR_ARG_INVALID;
        if (!lists_add(l, k->type, k->id, k->bits))
            return IKH_ERR_ARG_INVALID; /* duplicate (or over the cap) */
        if (k->type == IKH_XF_ENCR)
            *((k->flags & KW_AEAD) ? aead : plain) += 1;
        pos += len;
        if (s[pos] == '\0')
            return IKH_OK;
        pos++; /* '-' */
    }
}

/* Apply the IKE / child rules to the collected lists. */
static ikh_err prop_rules(prop_lists *l, bool child, unsigned aead,
                          unsigned plain)
{
    size_t ti = type_slot(IKH_XF_INTEG), tp = type_slot(IKH_XF_PRF);
    size_t tk = type_slot(IKH_XF_KE), te = type_slot(IKH_XF_ESN);
    IKH_CHECK(aead + plain > 0, IKH_ERR_ARG_INVALID);
    IKH_CHECK(aead == 0 || plain == 0, IKH_ERR_ARG_INVALID);
    if (child) {
        IKH_CHECK(aead == 0 || l->n[ti] == 0, IKH_ERR_ARG_INVALID);
        IKH_CHECK(plain == 0 || l->n[ti] > 0, IKH_ERR_ARG_INVALID);
        if (l->n[te] == 0)
            (void)lists_add(l, IKH_XF_ESN, IKH_ESN_NO, 0);
        return IKH_OK;
    }
    IKH_CHECK(l->n[tk] > 0, IKH_ERR_ARG_INVALID);
    IKH_CHECK(l->n[ti] > 0 || l->n[tp] > 0, IKH_ERR_ARG_INVALID);
    IKH_CHECK(aead > 0 || l->n[ti] > 0, IKH_ERR_ARG_INVALID);
    if (l->n[tp] == 0)
        for (size_t i = 0; i < l->n[ti]; i++)
            (void)lists_add(l, IKH_XF_PRF, integ_to_prf(l->xf[ti][i].id), 0);
    if (aead > 0)
        l->n[ti] = 0; /* integrity keywords meant the PRF only */
    return IKH_OK;
}

ikh_err ikh_proposal_parse(const char *s, bool child, ikh_proposal_cfg *out,
                           size_t *bad)
{
    size_t bad_local = 0;
    size_t *badp = bad != NULL ? bad : &bad_local;
    *badp = 0;
    IKH_CHECK(s != NULL && out != NULL, IKH_ERR_ARG_INVALID);
    memset(out, 0, sizeof *out);
    prop_lists l;
    memset(&l, 0, sizeof l);
    unsigned aead = 0, plain = 0;
    IKH_TRY(prop_collect(s, child, &l, &aead, &plain, badp));
    *badp = strlen(s); /* from here on the proposal as a whole is wrong */
    IKH_TRY(prop_rules(&l, child, aead, plain));
    for (size_t t = 0; t < N_TYPES; t++) {
        for (size_t i = 0; i < l.n[t]; i++) {
            if (out->n >= IKH_IKE_MAX_XF) {
                memset(out, 0, sizeof *out);
                return IKH_ERR_ARG_INVALID;
            }
            out->xf[out->n++] = l.xf[t][i];
        }
    }
    *badp = 0;
    return IKH_OK;
}

/* Append text to buf (cap > 0); false when it did not fit (truncated). */
static bool fmt_put(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    bool fits = *len + n < cap;
    if (!fits)
        n = cap - 1 - *len;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
    return fits;
}

/* Write v in decimal into d (at least 6 octets). */
static void fmt_u16(char *d, unsigned v)
{
    char tmp[6];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && n < sizeof tmp - 1);
    for (size_t i = 0; i < n; i++)
        d[i] = tmp[n - 1 - i];
    d[n] = '\0';
}

/* Token for a transform without a keyword: "xf<type>_<id>[_<bits>]". */
static void fmt_unknown(const ikh_xf_ref *x, char *tok)
{
    memcpy(tok, "xf", 2);
    fmt_u16(tok + 2, x->type);
    size_t n = strlen(tok);
    tok[n++] = '_';
    fmt_u16(tok + n, x->id);
    if (x->key_bits != 0) {
        n = strlen(tok);
        tok[n++] = '_';
        fmt_u16(tok + n, x->key_bits);
    }
}

ikh_err ikh_proposal_format(const ikh_proposal_cfg *p, bool child, char *buf,
                            size_t cap)
{
    IKH_CHECK(p != NULL && buf != NULL && cap > 0, IKH_ERR_ARG_INVALID);
    size_t len = 0, n_esn = 0;
    bool fits = true, first = true;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && i < IKH_IKE_MAX_XF; i++)
        if (p->xf[i].type == IKH_XF_ESN)
            n_esn++;
    for (size_t t = 0; t < N_TYPES; t++) {
        for (size_t i = 0; i < p->n && i < IKH_IKE_MAX_XF; i++) {
            const ikh_xf_ref *x = &p->xf[i];
            if (x->type != type_order[t])
                continue;
            /* ESN "none" alone is a child proposal's default */
            if (child && x->type == IKH_XF_ESN && n_esn == 1 &&
                x->id == IKH_ESN_NO)
                continue;
            const kw *k = kw_of(x);
            char tok[24];
            if (k != NULL)
                memcpy(tok, k->name, strlen(k->name) + 1);
            else
                fmt_unknown(x, tok);
            if (!first)
                fits = fmt_put(buf, cap, &len, "-") && fits;
            fits = fmt_put(buf, cap, &len, tok) && fits;
            first = false;
        }
    }
    return fits ? IKH_OK : IKH_ERR_WIRE_NOBUF;
}
