/* SPDX-License-Identifier: MIT */
/*
 * Per-exchange payload rules: which payloads each exchange and direction
 * may carry, how many, and whether they belong inside SK (RFC 7296 §1.2–1.5,
 * §2.6, §2.21, §3.14; RFC 7383 §2.5; RFC 9242 §2; RFC 9370 §2.2.2).
 * Checked by ikh_wire_msg_verify() before any IKE task sees a message.
 */
#include "wire/msg_rules.h"
#include "wire/wire_int.h"

#define ANY 0xff

typedef struct pl_rule {
    uint8_t type;
    uint8_t min, max;
} pl_rule;

typedef struct exch_rules {
    uint8_t exch;
    bool response;
    bool protected_; /* payloads must be inside SK (every exchange but the
                        first) */
    pl_rule rules[16];
} exch_rules;

/* Rules list what the exchange allows; an allowed type not listed is
 * WIRE_RULE_NOT_ALLOWED. Minimums are waived for error responses (§2.21.1:
 * a response may carry only the error Notify) and cookie/INVALID_KE
 * answers to IKE_SA_INIT (§2.6, §1.2). */
static const exch_rules rules[] = {
    /* §1.2: HDR, SAi1, KEi, Ni  -->   (N(COOKIE), N(NAT_D...), V allowed) */
    {IKH_EXCH_IKE_SA_INIT,
     false,
     false,
     {{IKH_PL_SA, 1, 1},
      {IKH_PL_KE, 1, 1},
      {IKH_PL_NONCE, 1, 1},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.2: <--  HDR, SAr1, KEr, Nr, [CERTREQ] */
    {IKH_EXCH_IKE_SA_INIT,
     true,
     false,
     {{IKH_PL_SA, 1, 1},
      {IKH_PL_KE, 1, 1},
      {IKH_PL_NONCE, 1, 1},
      {IKH_PL_CERTREQ, 0, ANY},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.2, §2.16: HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi,
     * TSr} (AUTH absent when EAP follows; later rounds carry EAP or AUTH only;
     * SA and TS absent for childless IKE_AUTH, RFC 6023) */
    {IKH_EXCH_IKE_AUTH,
     false,
     true,
     {{IKH_PL_IDI, 0, 1},
      {IKH_PL_CERT, 0, ANY},
      {IKH_PL_CERTREQ, 0, ANY},
      {IKH_PL_IDR, 0, 1},
      {IKH_PL_AUTH, 0, 1},
      {IKH_PL_SA, 0, 1},
      {IKH_PL_TSI, 0, 1},
      {IKH_PL_TSR, 0, 1},
      {IKH_PL_CP, 0, 1},
      {IKH_PL_EAP, 0, 1},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.2: <-- HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr} */
    {IKH_EXCH_IKE_AUTH,
     true,
     true,
     {{IKH_PL_IDR, 0, 1},
      {IKH_PL_CERT, 0, ANY},
      {IKH_PL_AUTH, 0, 1},
      {IKH_PL_SA, 0, 1},
      {IKH_PL_TSI, 0, 1},
      {IKH_PL_TSR, 0, 1},
      {IKH_PL_CP, 0, 1},
      {IKH_PL_EAP, 0, 1},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.3: HDR, SK {[N], SA, Ni, [KEi], [TSi, TSr]} */
    {IKH_EXCH_CREATE_CHILD_SA,
     false,
     true,
     {{IKH_PL_SA, 1, 1},
      {IKH_PL_NONCE, 1, 1},
      {IKH_PL_KE, 0, 1},
      {IKH_PL_TSI, 0, 1},
      {IKH_PL_TSR, 0, 1},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.3: <-- HDR, SK {SA, Nr, [KEr], [TSi, TSr]} */
    {IKH_EXCH_CREATE_CHILD_SA,
     true,
     true,
     {{IKH_PL_SA, 1, 1},
      {IKH_PL_NONCE, 1, 1},
      {IKH_PL_KE, 0, 1},
      {IKH_PL_TSI, 0, 1},
      {IKH_PL_TSR, 0, 1},
      {IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_VID, 0, ANY}}},
    /* §1.4: HDR, SK {[N,] [D,] [CP,] ...} both ways */
    {IKH_EXCH_INFORMATIONAL,
     false,
     true,
     {{IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_DELETE, 0, ANY},
      {IKH_PL_CP, 0, 1},
      {IKH_PL_VID, 0, ANY}}},
    {IKH_EXCH_INFORMATIONAL,
     true,
     true,
     {{IKH_PL_NOTIFY, 0, ANY},
      {IKH_PL_DELETE, 0, ANY},
      {IKH_PL_CP, 0, 1},
      {IKH_PL_VID, 0, ANY}}},
    /* RFC 9242 §2.3 IKE_INTERMEDIATE (KE per RFC 9370 §2.2.2) */
    {IKH_EXCH_IKE_INTERMEDIATE,
     false,
     true,
     {{IKH_PL_KE, 0, 1}, {IKH_PL_NOTIFY, 0, ANY}, {IKH_PL_VID, 0, ANY}}},
    {IKH_EXCH_IKE_INTERMEDIATE,
     true,
     true,
     {{IKH_PL_KE, 0, 1}, {IKH_PL_NOTIFY, 0, ANY}, {IKH_PL_VID, 0, ANY}}},
    /* RFC 9370 §2.2.4 IKE_FOLLOWUP_KE: SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)}
     */
    {IKH_EXCH_IKE_FOLLOWUP_KE,
     false,
     true,
     {{IKH_PL_KE, 1, 1}, {IKH_PL_NOTIFY, 0, ANY}, {IKH_PL_VID, 0, ANY}}},
    {IKH_EXCH_IKE_FOLLOWUP_KE,
     true,
     true,
     {{IKH_PL_KE, 1, 1}, {IKH_PL_NOTIFY, 0, ANY}, {IKH_PL_VID, 0, ANY}}},
};

static const exch_rules *rules_for(uint8_t exch, bool response)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].exch == exch && rules[i].response == response)
            return &rules[i];
    return NULL;
}

static const pl_rule *rule_for(const exch_rules *r, uint8_t type)
{
    for (size_t i = 0; i < 16 && r->rules[i].type != 0; i++)
        if (r->rules[i].type == type)
            return &r->rules[i];
    return NULL;
}

bool ikh_wire_pl_known(uint8_t type)
{
    return type >= IKH_PL_SA && type <= IKH_PL_PS;
}

/* An answer that only reports an error (§2.21.1) or asks for a cookie or
 * another KE group (§2.6, §1.2) need not carry the usual payloads. */
static bool waives_minimums(const ikh_msg *m, bool response)
{
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (pl->type != IKH_PL_NOTIFY)
            continue;
        if (pl->u.notify.type < 16384u)
            return true;
        if (response && pl->u.notify.type == IKH_N_COOKIE)
            return true;
    }
    return false;
}

static ikh_err rule_fail(ikh_diag *diag, const ikh_msg *m, ikh_err e, int idx,
                         uint8_t type)
{
    if (diag) {
        diag->err = e;
        diag->offset = idx >= 0 ? m->pl[idx].offset : 0;
        diag->payload = type;
        diag->pl_index = idx;
        diag->exch = m->hdr.exch;
    }
    return e;
}

/* Is the SK content known (decrypted payloads present), or is this
 * exchange unprotected? Then the rules below apply to those payloads. */
ikh_err ikh_wire_msg_rules_check(const ikh_msg *m, ikh_diag *diag)
{
    bool response = (m->hdr.flags & IKH_HDR_F_RESPONSE) != 0;
    const exch_rules *r = rules_for(m->hdr.exch, response);
    if (!r)
        return IKH_OK; /* exchanges without rules (GSA_*, resumption) */

    bool has_inner = false;
    int sk_idx = -1, skf_idx = -1, n_outer = 0;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (pl->in_sk) {
            has_inner = true;
            continue;
        }
        n_outer++;
        if (pl->type == IKH_PL_SK)
            sk_idx = (int)i;
        if (pl->type == IKH_PL_SKF)
            skf_idx = (int)i;
    }
    if (!r->protected_) {
        if (sk_idx >= 0 || skf_idx >= 0)
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_SK_FORBIDDEN,
                             sk_idx >= 0 ? sk_idx : skf_idx,
                             sk_idx >= 0 ? IKH_PL_SK : IKH_PL_SKF);
    } else {
        if (sk_idx < 0 && skf_idx < 0)
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_SK_MISSING, -1, 0);
        /* RFC 7383 §2.5: a message carrying SKF holds no other payload. */
        if (skf_idx >= 0 && n_outer != 1)
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_SKF_NOT_ALONE, skf_idx,
                             IKH_PL_SKF);
        for (size_t i = 0; i < m->n_pl; i++) {
            const ikh_pl *pl = &m->pl[i];
            if (!pl->in_sk && pl->type != IKH_PL_SK && pl->type != IKH_PL_SKF)
                return rule_fail(diag, m, IKH_ERR_WIRE_RULE_NEEDS_SK, (int)i,
                                 pl->type);
        }
        if (!has_inner)
            return IKH_OK; /* content unknown until decrypted */
    }

    /* Counts of the payloads that carry the exchange's content. */
    uint8_t counts[256] = {0};
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (r->protected_ != pl->in_sk)
            continue;
        if (!ikh_wire_pl_known(pl->type))
            continue; /* §2.5: unknown non-critical payloads are skipped */
        const pl_rule *pr = rule_for(r, pl->type);
        if (!pr)
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_NOT_ALLOWED, (int)i,
                             pl->type);
        if (counts[pl->type] < 0xff)
            counts[pl->type]++;
        if (pr->max != ANY && counts[pl->type] > pr->max)
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_TOO_MANY, (int)i,
                             pl->type);
    }
    if (!waives_minimums(m, response)) {
        for (size_t i = 0; i < 16 && r->rules[i].type != 0; i++)
            if (counts[r->rules[i].type] < r->rules[i].min)
                return rule_fail(diag, m, IKH_ERR_WIRE_RULE_MISSING, -1,
                                 r->rules[i].type);
        /* §2.9: TSi and TSr travel together. */
        if ((counts[IKH_PL_TSI] == 0) != (counts[IKH_PL_TSR] == 0))
            return rule_fail(diag, m, IKH_ERR_WIRE_RULE_MISSING, -1,
                             counts[IKH_PL_TSI] ? IKH_PL_TSR : IKH_PL_TSI);
    }
    return IKH_OK;
}
