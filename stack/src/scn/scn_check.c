/* SPDX-License-Identifier: MIT */
/*
 * Checking a scenario's expectations (ikh/scenario.h): log and notify
 * expectations count matching JSON log lines as they are written; SA
 * counts, suites and metrics are read from the nodes and their registries
 * when an expectation is due. Shared by the simulator's runner
 * (scn_run.c) and `ikeharness peer`, which runs one node of a scenario.
 */
#include <stdio.h>
#include <string.h>

#include "ikh/iana.h"
#include "ikh/metrics.h"
#include "ikh/names.h"
#include "ikh/scenario.h"

void ikh_scn_check_init(ikh_scn_check *c, const ikh_scenario *s)
{
    memset(c, 0, sizeof *c);
    c->s = s;
}

/* The value of "key" in one of our JSON log lines, copied unquoted.
 * Our writer emits "key":"string" or "key":token with no spaces. */
static bool json_field(const char *line, size_t len, const char *key, char *out,
                       size_t cap)
{
    char pat[IKH_IKE_NAME_MAX + 4];
    int pl = snprintf(pat, sizeof pat, "\"%s\":", key);
    if (pl <= 0 || (size_t)pl >= sizeof pat)
        return false;
    for (size_t i = 0; i + (size_t)pl <= len; i++) {
        if (memcmp(line + i, pat, (size_t)pl) != 0)
            continue;
        size_t j = i + (size_t)pl, o = 0;
        bool str = j < len && line[j] == '"';
        if (str)
            j++;
        while (j < len && o + 1 < cap) {
            char c = line[j];
            if (str ? c == '"' : (c == ',' || c == '}'))
                break;
            if (str && c == '\\' && j + 1 < len)
                c = line[++j];
            out[o++] = c;
            j++;
        }
        out[o] = '\0';
        return true;
    }
    return false;
}

static bool line_matches(const ikh_scn_check *c, const ikh_scn_expect *x,
                         const char *line, size_t len)
{
    char v[IKH_SCN_TEXT_MAX];
    const char *want_ev = x->event;
    if (x->kind == IKH_SCN_X_NOTIFY)
        want_ev = x->sent ? "ike.notify.tx" : "ike.notify.rx";
    if (!json_field(line, len, "ev", v, sizeof v) || strcmp(v, want_ev) != 0)
        return false;
    if (!x->any_peer || x->kind == IKH_SCN_X_NOTIFY) {
        if (!json_field(line, len, "node", v, sizeof v) ||
            strcmp(v, c->s->peers[x->peer].name) != 0)
            return false;
    }
    if (x->kind == IKH_SCN_X_NOTIFY) {
        const char *nm = ikh_name(IKH_NT_NOTIFY, x->notify);
        char tmp[IKH_NAME_BUF_LEN];
        if (nm == NULL)
            nm = ikh_name_or(IKH_NT_NOTIFY, x->notify, tmp, sizeof tmp);
        return json_field(line, len, "type", v, sizeof v) && strcmp(v, nm) == 0;
    }
    for (size_t i = 0; i < x->n_fields; i++)
        if (!json_field(line, len, x->fields[i].key, v, sizeof v) ||
            strcmp(v, x->fields[i].value) != 0)
            return false;
    return true;
}

void ikh_scn_check_line(ikh_scn_check *c, const char *line, size_t len)
{
    for (size_t i = 0; i < c->s->n_expect; i++) {
        const ikh_scn_expect *x = &c->s->expect[i];
        if ((x->kind == IKH_SCN_X_LOG || x->kind == IKH_SCN_X_NOTIFY) &&
            line_matches(c, x, line, len))
            c->count[i]++;
    }
}

static bool cmp_ok(ikh_scn_cmp op, uint64_t got, uint64_t want)
{
    switch (op) {
    case IKH_SCN_EQ:
        return got == want;
    case IKH_SCN_NE:
        return got != want;
    case IKH_SCN_GE:
        return got >= want;
    case IKH_SCN_LE:
        return got <= want;
    case IKH_SCN_GT:
        return got > want;
    case IKH_SCN_LT:
        return got < want;
    }
    return false;
}

static const char *cmp_str(ikh_scn_cmp op)
{
    static const char *const s[] = {"==", "!=", ">=", "<=", ">", "<"};
    return (size_t)op < 6 ? s[op] : "?";
}

/* Does the negotiated transform set contain every listed transform? */
static bool suite_has(const ikh_proposal_cfg *want, uint16_t encr,
                      uint16_t bits, uint16_t prf, uint16_t integ, uint16_t ke,
                      bool esn)
{
    for (size_t i = 0; i < want->n; i++) {
        const ikh_xf_ref *r = &want->xf[i];
        bool ok = true;
        switch (r->type) {
        case IKH_XF_ENCR:
            ok = r->id == encr && r->key_bits == bits;
            break;
        case IKH_XF_PRF:
            ok = r->id == prf;
            break;
        case IKH_XF_INTEG:
            ok = r->id == integ;
            break;
        case IKH_XF_KE:
            ok = r->id == ke;
            break;
        case IKH_XF_ESN:
            ok = (r->id == 1) == esn;
            break;
        default:
            ok = false;
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

/* One suite as IANA names: ENCR_AES_GCM_16-256/PRF_HMAC_SHA2_256/... */
static void suite_text(char *buf, size_t cap, uint16_t encr, uint16_t bits,
                       uint16_t prf, uint16_t integ, uint16_t ke, bool esn)
{
    char a[IKH_NAME_BUF_LEN], b[IKH_NAME_BUF_LEN], d[IKH_NAME_BUF_LEN],
        e[IKH_NAME_BUF_LEN];
    snprintf(buf, cap, "%s-%u%s%s%s%s%s%s%s",
             ikh_name_or(IKH_NT_ENCR, encr, a, sizeof a), (unsigned)bits,
             prf ? "/" : "",
             prf ? ikh_name_or(IKH_NT_PRF, prf, b, sizeof b) : "",
             integ ? "/" : "",
             integ ? ikh_name_or(IKH_NT_INTEG, integ, d, sizeof d) : "",
             ke ? "/" : "", ke ? ikh_name_or(IKH_NT_KE, ke, e, sizeof e) : "",
             esn ? "/ESN" : "");
}

/* The SAs of the expectation's peer in its state (and, with match_suite,
 * its suite); first (may be NULL) receives the suite of the first one
 * counted, for the note of a failed expectation. */
static uint64_t count_sas(const ikh_scn_check *c, const ikh_scn_expect *x,
                          bool match_suite, char *first, size_t first_len)
{
    const ikh_node *n = c->nodes[x->peer];
    bool suite = match_suite && x->has_suite;
    uint64_t k = 0;
    size_t nsa = ikh_node_ike_count(n);
    for (size_t i = 0; i < nsa; i++) {
        ikh_ike_info ii;
        if (ikh_node_ike_get(n, i, &ii) != IKH_OK)
            continue;
        if (x->kind == IKH_SCN_X_IKE_SA) {
            if (x->state >= 0 && (int)ii.state != x->state)
                continue;
            if (suite && !suite_has(&x->suite, ii.encr, ii.encr_bits, ii.prf,
                                    ii.integ, ii.ke, false))
                continue;
            if (k++ == 0 && first != NULL)
                suite_text(first, first_len, ii.encr, ii.encr_bits, ii.prf,
                           ii.integ, ii.ke, false);
            continue;
        }
        for (size_t j = 0; j < ii.n_children; j++) {
            ikh_child_info ci;
            if (ikh_node_child_get(n, ii.ref, j, &ci) != IKH_OK)
                continue;
            if (x->state >= 0 && (int)ci.state != x->state)
                continue;
            if (suite && !suite_has(&x->suite, ci.encr, ci.encr_bits, 0,
                                    ci.integ, ci.ke, ci.esn))
                continue;
            if (k++ == 0 && first != NULL)
                suite_text(first, first_len, ci.encr, ci.encr_bits, 0, ci.integ,
                           ci.ke, ci.esn);
        }
    }
    return k;
}

void ikh_scn_check_metrics(const ikh_scn_check *c, ikh_metrics *out)
{
    ikh_metrics_init(out);
    for (size_t i = 0; i < c->s->n_peers; i++)
        for (size_t k = 0; c->metrics[i] != NULL && k < IKH_METRICS_SLOTS; k++)
            out->v[k] += c->metrics[i]->v[k];
}

static bool metric_label(ikh_metric_id id, const char *label, unsigned *out)
{
    *out = 0;
    if (label[0] == '\0')
        return true;
    const ikh_metric_info *mi = ikh_metric_info_of(id);
    if (mi == NULL)
        return false;
    switch (mi->label) {
    case IKH_ML_ERR: {
        ikh_err e;
        if (!ikh_err_from_name(label, &e))
            return false;
        *out = (unsigned)e;
        return true;
    }
    case IKH_ML_EXCH:
        return ikh_name_lookup(IKH_NT_EXCH, label, out) == 1;
    case IKH_ML_PAYLOAD:
        return ikh_name_lookup(IKH_NT_PAYLOAD, label, out) == 1;
    default:
        return false;
    }
}

void ikh_scn_check_expect(const ikh_scn_check *c, size_t i, ikh_scn_outcome *o)
{
    const ikh_scn_expect *x = &c->s->expect[i];
    uint64_t got = 0;
    switch (x->kind) {
    case IKH_SCN_X_IKE_SA:
    case IKH_SCN_X_CHILD_SA:
        got = count_sas(c, x, true, NULL, 0);
        break;
    case IKH_SCN_X_NOTIFY:
    case IKH_SCN_X_LOG:
        got = c->count[i];
        break;
    case IKH_SCN_X_METRIC: {
        ikh_metric_id id;
        unsigned lv = 0;
        if (ikh_metric_find(x->metric, &id) != IKH_OK ||
            !metric_label(id, x->label, &lv)) {
            o->pass = false;
            snprintf(o->detail, sizeof o->detail,
                     "no metric %.120s with label '%.100s'", x->metric,
                     x->label);
            return;
        }
        ikh_metrics sum;
        const ikh_metrics *m = &sum;
        if (x->any_peer)
            ikh_scn_check_metrics(c, &sum);
        else
            m = c->metrics[x->peer];
        /* no label on a labelled counter: the sum over its series */
        ikh_err ge = m == NULL             ? IKH_ERR_ARG_INVALID
                     : x->label[0] == '\0' ? ikh_metric_total(m, id, &got)
                                           : ikh_metric_get(m, id, lv, &got);
        if (ge != IKH_OK)
            got = 0;
        break;
    }
    }
    o->got = got;
    o->pass = cmp_ok(x->cmp, got, x->value);
    char note[220] = "";
    if (!o->pass && x->has_suite &&
        (x->kind == IKH_SCN_X_IKE_SA || x->kind == IKH_SCN_X_CHILD_SA)) {
        /* what the SAs in that state have instead, so the report names
         * what was negotiated */
        char first[160] = "";
        uint64_t any = count_sas(c, x, false, first, sizeof first);
        if (any == 0)
            snprintf(note, sizeof note, " (none in that state, any suite)");
        else
            snprintf(note, sizeof note,
                     " (%llu in that state with any suite; the first has "
                     "%.150s)",
                     (unsigned long long)any, first);
    }
    snprintf(o->detail, sizeof o->detail,
             "%.180s: found %llu, expected %s %llu", x->text,
             (unsigned long long)got, cmp_str(x->cmp),
             (unsigned long long)x->value);
    /* the note, as much as fits (no format: nothing to truncate) */
    size_t n = strlen(o->detail), k = strlen(note);
    if (k > sizeof o->detail - 1 - n)
        k = sizeof o->detail - 1 - n;
    memcpy(o->detail + n, note, k);
    o->detail[n + k] = '\0';
}
