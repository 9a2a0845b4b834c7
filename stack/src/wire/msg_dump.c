/* SPDX-License-Identifier: MIT */
/*
 * Renderings of parsed messages: the JSON documented in docs/decode-json.md
 * and an indented text tree. Key material is never printed here: SK bodies
 * are shown by length only (IV aside), and decrypted content is the
 * replay module's business.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikh/dump.h"
#include "ikh/names.h"

/* RFC 5952 text for an IPv6 address: lowercase, longest zero run (>= 2
 * groups, first on ties) compressed. buf must hold 40 octets. */
static void fmt_ip6(const uint8_t *a, char *buf, size_t cap)
{
    unsigned g[8];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < 8 && n < cap; i++) {
        if (i == best) {
            n += (size_t)snprintf(buf + n, cap - n, "::");
            i += best_len - 1;
            continue;
        }
        bool sep = i > 0 && !(best >= 0 && i == best + best_len);
        n += (size_t)snprintf(buf + n, cap - n, "%s%x", sep ? ":" : "", g[i]);
    }
}

/* Text form of a 4- or 16-octet address; "" for other lengths. */
static const char *fmt_addr(ikh_span s, char *buf, size_t cap)
{
    if (s.len == 4)
        snprintf(buf, cap, "%u.%u.%u.%u", s.p[0], s.p[1], s.p[2], s.p[3]);
    else if (s.len == 16)
        fmt_ip6(s.p, buf, cap);
    else
        buf[0] = '\0';
    return buf;
}

static const char *spi_hex(uint64_t v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%016llx", (unsigned long long)v);
    return buf;
}

static bool printable(ikh_span s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < 0x20 || s.p[i] > 0x7e)
            return false;
    return true;
}

static void json_name(ikh_json *j, const char *key, ikh_name_table t,
                      unsigned v)
{
    ikh_json_str(j, key, ikh_name(t, v));
}

static void json_data(ikh_json *j, ikh_span s)
{
    ikh_json_u64(j, "data_len", s.len);
    ikh_json_hex(j, "data", s);
}

static void json_sa(ikh_json *j, const ikh_msg *m, const ikh_pl *pl)
{
    ikh_json_arr_open(j, "proposals");
    for (uint16_t i = 0; i < pl->u.sa.count && pl->u.sa.first + i < m->n_prop;
         i++) {
        const ikh_prop *p = &m->prop[pl->u.sa.first + i];
        ikh_json_obj_open(j, NULL);
        ikh_json_u64(j, "num", p->num);
        ikh_json_u64(j, "proto", p->proto);
        json_name(j, "proto_name", IKH_NT_PROTO, p->proto);
        ikh_json_u64(j, "spi_size", p->spi.len);
        ikh_json_hex(j, "spi", p->spi);
        ikh_json_u64(j, "num_transforms", p->xf_count);
        ikh_json_arr_open(j, "transforms");
        for (uint16_t k = 0; k < p->xf_count && p->xf_first + k < m->n_xf;
             k++) {
            const ikh_xform *x = &m->xf[p->xf_first + k];
            uint16_t bits;
            ikh_json_obj_open(j, NULL);
            ikh_json_u64(j, "type", x->type);
            json_name(j, "type_name", IKH_NT_XFORM_TYPE, x->type);
            ikh_json_u64(j, "id", x->id);
            ikh_json_str(j, "id_name", ikh_name_xform_id(x->type, x->id));
            if (ikh_wire_xform_keylen(m, x, &bits))
                ikh_json_u64(j, "key_length", bits);
            ikh_json_arr_open(j, "attributes");
            for (uint16_t a = 0;
                 a < x->attr_count && x->attr_first + a < m->n_attr; a++) {
                const ikh_xattr *at = &m->attr[x->attr_first + a];
                ikh_json_obj_open(j, NULL);
                ikh_json_u64(j, "type", at->type);
                ikh_json_bool(j, "tv", at->tv);
                if (at->tv)
                    ikh_json_u64(j, "value", at->tv_value);
                else
                    ikh_json_hex(j, "value", at->value);
                ikh_json_obj_close(j);
            }
            ikh_json_arr_close(j);
            ikh_json_obj_close(j);
        }
        ikh_json_arr_close(j);
        ikh_json_obj_close(j);
    }
    ikh_json_arr_close(j);
}

static void json_ts(ikh_json *j, const ikh_msg *m, const ikh_pl *pl)
{
    char a[48];
    ikh_json_u64(j, "num_ts", pl->u.ts.count);
    ikh_json_arr_open(j, "ts");
    for (uint16_t i = 0; i < pl->u.ts.count && pl->u.ts.first + i < m->n_ts;
         i++) {
        const ikh_ts *ts = &m->ts[pl->u.ts.first + i];
        ikh_json_obj_open(j, NULL);
        ikh_json_u64(j, "ts_type", ts->type);
        json_name(j, "ts_type_name", IKH_NT_TS_TYPE, ts->type);
        ikh_json_u64(j, "ip_proto", ts->ip_proto);
        if (ts->type == IKH_TS_IPV4_ADDR_RANGE ||
            ts->type == IKH_TS_IPV6_ADDR_RANGE) {
            ikh_json_u64(j, "length", 8 + ts->start.len + ts->end.len);
            ikh_json_u64(j, "start_port", ts->start_port);
            ikh_json_u64(j, "end_port", ts->end_port);
            ikh_json_str(j, "start", fmt_addr(ts->start, a, sizeof a));
            ikh_json_str(j, "end", fmt_addr(ts->end, a, sizeof a));
        } else {
            ikh_json_u64(j, "length", 4 + ts->opaque.len);
            ikh_json_hex(j, "data", ts->opaque);
        }
        ikh_json_obj_close(j);
    }
    ikh_json_arr_close(j);
}

static void json_sk(ikh_json *j, uint8_t inner, ikh_span body,
                    const ikh_sk_info *sk)
{
    ikh_json_u64(j, "inner", inner);
    ikh_json_str(j, "inner_name", ikh_name(IKH_NT_PAYLOAD, inner));
    ikh_json_u64(j, "body_len", body.len);
    ikh_span iv, ct, icv;
    if (sk && sk->known &&
        ikh_wire_sk_split(body, sk->iv_len, sk->icv_len, &iv, &ct, &icv) ==
            IKH_OK) {
        ikh_json_str(j, "encr", ikh_name(IKH_NT_ENCR, sk->encr));
        ikh_json_u64(j, "iv_len", iv.len);
        ikh_json_u64(j, "ct_len", ct.len);
        ikh_json_u64(j, "icv_len", icv.len);
        ikh_json_hex(j, "iv", iv);
    }
}

static void json_payload(ikh_json *j, const ikh_msg *m, size_t i,
                         const ikh_sk_info *sk)
{
    const ikh_pl *pl = &m->pl[i];
    char a[48];
    ikh_json_obj_open(j, NULL);
    ikh_json_u64(j, "type", pl->type);
    json_name(j, "name", IKH_NT_PAYLOAD, pl->type);
    ikh_json_bool(j, "critical", (pl->flags & IKH_PL_CRITICAL) != 0);
    ikh_json_u64(j, "flags", pl->flags);
    ikh_json_u64(j, "length", pl->length);
    ikh_json_u64(j, "offset", pl->offset);
    ikh_json_bool(j, "in_sk", pl->in_sk);
    switch (pl->type) {
    case IKH_PL_SA:
        json_sa(j, m, pl);
        break;
    case IKH_PL_KE:
        ikh_json_u64(j, "group", pl->u.ke.group);
        json_name(j, "group_name", IKH_NT_KE, pl->u.ke.group);
        json_data(j, pl->u.ke.data);
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        ikh_json_u64(j, "id_type", pl->u.id.id_type);
        json_name(j, "id_type_name", IKH_NT_ID_TYPE, pl->u.id.id_type);
        json_data(j, pl->u.id.data);
        if ((pl->u.id.id_type == IKH_ID_IPV4_ADDR && pl->u.id.data.len == 4) ||
            (pl->u.id.id_type == IKH_ID_IPV6_ADDR && pl->u.id.data.len == 16))
            ikh_json_str(j, "value", fmt_addr(pl->u.id.data, a, sizeof a));
        else if ((pl->u.id.id_type == IKH_ID_FQDN ||
                  pl->u.id.id_type == IKH_ID_RFC822_ADDR) &&
                 printable(pl->u.id.data))
            ikh_json_strn(j, "value", (const char *)pl->u.id.data.p,
                          pl->u.id.data.len);
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        ikh_json_u64(j, "encoding", pl->u.cert.enc);
        json_name(j, "encoding_name", IKH_NT_CERT_ENC, pl->u.cert.enc);
        json_data(j, pl->u.cert.data);
        break;
    case IKH_PL_AUTH:
        ikh_json_u64(j, "method", pl->u.auth.method);
        json_name(j, "method_name", IKH_NT_AUTH_METHOD, pl->u.auth.method);
        json_data(j, pl->u.auth.data);
        break;
    case IKH_PL_NOTIFY:
        ikh_json_u64(j, "proto", pl->u.notify.proto);
        ikh_json_u64(j, "spi_size", pl->u.notify.spi.len);
        ikh_json_hex(j, "spi", pl->u.notify.spi);
        ikh_json_u64(j, "notify_type", pl->u.notify.type);
        json_name(j, "notify_name", IKH_NT_NOTIFY, pl->u.notify.type);
        ikh_json_bool(j, "error", pl->u.notify.type < 16384u);
        json_data(j, pl->u.notify.data);
        break;
    case IKH_PL_DELETE: {
        ikh_json_u64(j, "proto", pl->u.del.proto);
        ikh_json_u64(j, "spi_size", pl->u.del.spi_size);
        ikh_json_u64(j, "num_spi", pl->u.del.num_spi);
        ikh_json_arr_open(j, "spis");
        ikh_rd rd = ikh_rd_init(pl->u.del.spis.p, pl->u.del.spis.len);
        for (uint16_t k = 0; pl->u.del.spi_size && k < pl->u.del.num_spi; k++)
            ikh_json_hex(j, NULL, ikh_rd_bytes(&rd, pl->u.del.spi_size));
        ikh_json_arr_close(j);
        break;
    }
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        json_ts(j, m, pl);
        break;
    case IKH_PL_SK:
        json_sk(j, pl->u.sk.inner, pl->u.sk.body, sk);
        break;
    case IKH_PL_SKF:
        ikh_json_u64(j, "frag_num", pl->u.skf.frag_num);
        ikh_json_u64(j, "total_frags", pl->u.skf.total);
        json_sk(j, pl->u.skf.inner, pl->u.skf.body,
                sk); /* RFC 7383 §2.5: every fragment has its own IV */
        break;
    case IKH_PL_CP:
        ikh_json_u64(j, "cfg_type", pl->u.cp.cfg_type);
        json_name(j, "cfg_type_name", IKH_NT_CFG_TYPE, pl->u.cp.cfg_type);
        ikh_json_arr_open(j, "attrs");
        for (uint16_t k = 0;
             k < pl->u.cp.count && pl->u.cp.first + k < m->n_cpa; k++) {
            const ikh_cp_attr *ca = &m->cpa[pl->u.cp.first + k];
            ikh_json_obj_open(j, NULL);
            ikh_json_u64(j, "type", ca->type);
            json_name(j, "name", IKH_NT_CFG_ATTR, ca->type);
            ikh_json_u64(j, "length", ca->value.len);
            ikh_json_hex(j, "value", ca->value);
            ikh_json_obj_close(j);
        }
        ikh_json_arr_close(j);
        break;
    case IKH_PL_EAP:
        ikh_json_u64(j, "code", pl->u.eap.code);
        json_name(j, "code_name", IKH_NT_EAP_CODE, pl->u.eap.code);
        ikh_json_u64(j, "ident", pl->u.eap.ident);
        ikh_json_u64(j, "eap_length", pl->u.eap.len);
        if (pl->u.eap.has_type)
            ikh_json_u64(j, "eap_type", pl->u.eap.eap_type);
        ikh_json_u64(j, "data_len", pl->u.eap.body.len);
        break;
    default:
        json_data(j, pl->u.raw.data);
        break;
    }
    ikh_json_obj_close(j);
}

void ikh_dump_msg_json(ikh_json *j, const ikh_msg *m, const ikh_sk_info *sk)
{
    const ikh_ike_hdr *h = &m->hdr;
    char b[24];
    ikh_json_obj_open(j, "header");
    ikh_json_str(j, "ispi", spi_hex(h->ispi, b, sizeof b));
    ikh_json_str(j, "rspi", spi_hex(h->rspi, b, sizeof b));
    ikh_json_u64(j, "next_payload", h->next_payload);
    ikh_json_u64(j, "version", h->version);
    ikh_json_u64(j, "major", h->version >> 4);
    ikh_json_u64(j, "minor", h->version & 0x0f);
    ikh_json_u64(j, "exch", h->exch);
    json_name(j, "exch_name", IKH_NT_EXCH, h->exch);
    ikh_json_u64(j, "flags", h->flags);
    ikh_json_bool(j, "initiator", (h->flags & IKH_HDR_F_INITIATOR) != 0);
    ikh_json_bool(j, "higher_version", (h->flags & IKH_HDR_F_VERSION) != 0);
    ikh_json_bool(j, "response", (h->flags & IKH_HDR_F_RESPONSE) != 0);
    ikh_json_u64(j, "mid", h->mid);
    ikh_json_u64(j, "length", h->length);
    ikh_json_obj_close(j);
    ikh_json_arr_open(j, "payloads");
    for (size_t i = 0; i < m->n_pl; i++)
        json_payload(j, m, i, sk);
    ikh_json_arr_close(j);
}

void ikh_dump_diag_json(ikh_json *j, const char *key, const ikh_diag *d)
{
    if (!d || d->err == IKH_OK) {
        ikh_json_null(j, key);
        return;
    }
    ikh_json_obj_open(j, key);
    ikh_json_u64(j, "code", (uint64_t)d->err);
    ikh_json_str(j, "error", ikh_err_name(d->err));
    ikh_json_str(j, "message", ikh_err_str(d->err));
    ikh_json_u64(j, "offset", d->offset);
    ikh_json_u64(j, "payload", d->payload);
    const char *pn = d->pl_index < 0 && d->payload == 0
                         ? "header"
                         : ikh_name(IKH_NT_PAYLOAD, d->payload);
    ikh_json_str(j, "payload_name", pn);
    ikh_json_i64(j, "index", d->pl_index);
    ikh_json_obj_close(j);
}

const char *ikh_dump_diag_text(const ikh_diag *d, char *buf, size_t cap)
{
    char nb[32];
    const char *pn =
        d->pl_index < 0 && d->payload == 0
            ? "header"
            : ikh_name_or(IKH_NT_PAYLOAD, d->payload, nb, sizeof nb);
    if (cap == 0)
        return buf;
    if (d->pl_index >= 0)
        snprintf(buf, cap, "%s (%d) at offset %zu in %s #%d: %s",
                 ikh_err_name(d->err), (int)d->err, d->offset, pn, d->pl_index,
                 ikh_err_str(d->err));
    else
        snprintf(buf, cap, "%s (%d) at offset %zu in %s: %s",
                 ikh_err_name(d->err), (int)d->err, d->offset, pn,
                 ikh_err_str(d->err));
    return buf;
}

/* ---- text tree ---- */

typedef struct txt {
    char *buf;
    size_t cap, len;
    bool full;
} txt;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
tp(txt *t, int indent, const char *fmt, ...)
{
    if (t->full)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    int n = snprintf(t->buf + t->len, t->cap - t->len, "%*s%s\n", indent * 2,
                     "", line);
    if (n < 0 || (size_t)n >= t->cap - t->len) {
        t->full = true;
        return;
    }
    t->len += (size_t)n;
}

static const char *nm(ikh_name_table tb, unsigned v, char *b, size_t cap)
{
    return ikh_name_or(tb, v, b, cap);
}

static void hexs(ikh_span s, char *out, size_t cap)
{
    size_t n = 0, max = s.len > 48 ? 48 : s.len;
    out[0] = '\0';
    for (size_t i = 0; i < max && n + 3 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%02x", s.p[i]);
    if (max < s.len && n + 4 < cap)
        snprintf(out + n, cap - n, "...");
}

static void text_payload(txt *t, const ikh_msg *m, size_t i,
                         const ikh_sk_info *sk)
{
    const ikh_pl *pl = &m->pl[i];
    char n1[48], n2[48], hx[128], a1[48], a2[48];
    int in = pl->in_sk ? 2 : 1;
    tp(t, in, "%s (%u)%s len %u @%u",
       nm(IKH_NT_PAYLOAD, pl->type, n1, sizeof n1), pl->type,
       (pl->flags & IKH_PL_CRITICAL) ? " critical" : "", pl->length,
       pl->offset);
    switch (pl->type) {
    case IKH_PL_SA:
        for (uint16_t p = 0;
             p < pl->u.sa.count && pl->u.sa.first + p < m->n_prop; p++) {
            const ikh_prop *pr = &m->prop[pl->u.sa.first + p];
            hexs(pr->spi, hx, sizeof hx);
            tp(t, in + 1, "proposal #%u %s spi %s", pr->num,
               nm(IKH_NT_PROTO, pr->proto, n1, sizeof n1), hx[0] ? hx : "-");
            for (uint16_t k = 0; k < pr->xf_count && pr->xf_first + k < m->n_xf;
                 k++) {
                const ikh_xform *x = &m->xf[pr->xf_first + k];
                uint16_t bits = 0;
                const char *idn = ikh_name_xform_id(x->type, x->id);
                snprintf(n2, sizeof n2, "%s", idn ? idn : "?");
                if (ikh_wire_xform_keylen(m, x, &bits))
                    tp(t, in + 2, "%s %s (%u) keylen %u",
                       nm(IKH_NT_XFORM_TYPE, x->type, n1, sizeof n1), n2, x->id,
                       bits);
                else
                    tp(t, in + 2, "%s %s (%u)",
                       nm(IKH_NT_XFORM_TYPE, x->type, n1, sizeof n1), n2,
                       x->id);
            }
        }
        break;
    case IKH_PL_KE:
        tp(t, in + 1, "group %s (%u), %zu octets",
           nm(IKH_NT_KE, pl->u.ke.group, n1, sizeof n1), pl->u.ke.group,
           pl->u.ke.data.len);
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        hexs(pl->u.id.data, hx, sizeof hx);
        if (pl->u.id.data.len == 4 || pl->u.id.data.len == 16)
            fmt_addr(pl->u.id.data, a1, sizeof a1);
        else
            a1[0] = '\0';
        tp(t, in + 1, "%s %s%s%s",
           nm(IKH_NT_ID_TYPE, pl->u.id.id_type, n1, sizeof n1), hx,
           a1[0] && (pl->u.id.id_type == IKH_ID_IPV4_ADDR ||
                     pl->u.id.id_type == IKH_ID_IPV6_ADDR)
               ? " = "
               : "",
           (pl->u.id.id_type == IKH_ID_IPV4_ADDR ||
            pl->u.id.id_type == IKH_ID_IPV6_ADDR)
               ? a1
               : "");
        break;
    case IKH_PL_AUTH:
        tp(t, in + 1, "method %s, %zu octets",
           nm(IKH_NT_AUTH_METHOD, pl->u.auth.method, n1, sizeof n1),
           pl->u.auth.data.len);
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        tp(t, in + 1, "encoding %s, %zu octets",
           nm(IKH_NT_CERT_ENC, pl->u.cert.enc, n1, sizeof n1),
           pl->u.cert.data.len);
        break;
    case IKH_PL_NOTIFY:
        hexs(pl->u.notify.spi, hx, sizeof hx);
        tp(t, in + 1, "%s (%u) proto %u spi %s data %zu octets",
           nm(IKH_NT_NOTIFY, pl->u.notify.type, n1, sizeof n1),
           pl->u.notify.type, pl->u.notify.proto, hx[0] ? hx : "-",
           pl->u.notify.data.len);
        break;
    case IKH_PL_DELETE:
        hexs(pl->u.del.spis, hx, sizeof hx);
        tp(t, in + 1, "proto %s, %u SPI(s) of %u octets %s",
           nm(IKH_NT_PROTO, pl->u.del.proto, n1, sizeof n1), pl->u.del.num_spi,
           pl->u.del.spi_size, hx);
        break;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        for (uint16_t k = 0; k < pl->u.ts.count && pl->u.ts.first + k < m->n_ts;
             k++) {
            const ikh_ts *ts = &m->ts[pl->u.ts.first + k];
            tp(t, in + 1, "%s proto %u ports %u-%u %s - %s",
               nm(IKH_NT_TS_TYPE, ts->type, n1, sizeof n1), ts->ip_proto,
               ts->start_port, ts->end_port, fmt_addr(ts->start, a1, sizeof a1),
               fmt_addr(ts->end, a2, sizeof a2));
        }
        break;
    case IKH_PL_SK:
    case IKH_PL_SKF: {
        ikh_span body = pl->type == IKH_PL_SK ? pl->u.sk.body : pl->u.skf.body;
        uint8_t inner =
            pl->type == IKH_PL_SK ? pl->u.sk.inner : pl->u.skf.inner;
        ikh_span iv, ct, icv;
        if (pl->type == IKH_PL_SKF)
            tp(t, in + 1, "fragment %u of %u", pl->u.skf.frag_num,
               pl->u.skf.total);
        if (sk && sk->known &&
            ikh_wire_sk_split(body, sk->iv_len, sk->icv_len, &iv, &ct, &icv) ==
                IKH_OK)
            tp(t, in + 1,
               "first inner %s, %s: IV %zu, ciphertext %zu, ICV %zu octets",
               nm(IKH_NT_PAYLOAD, inner, n1, sizeof n1),
               nm(IKH_NT_ENCR, sk->encr, n2, sizeof n2), iv.len, ct.len,
               icv.len);
        else
            tp(t, in + 1, "first inner %s, %zu octets (suite unknown)",
               nm(IKH_NT_PAYLOAD, inner, n1, sizeof n1), body.len);
        break;
    }
    case IKH_PL_CP:
        tp(t, in + 1, "%s",
           nm(IKH_NT_CFG_TYPE, pl->u.cp.cfg_type, n1, sizeof n1));
        for (uint16_t k = 0;
             k < pl->u.cp.count && pl->u.cp.first + k < m->n_cpa; k++) {
            const ikh_cp_attr *ca = &m->cpa[pl->u.cp.first + k];
            hexs(ca->value, hx, sizeof hx);
            tp(t, in + 2, "%s %s", nm(IKH_NT_CFG_ATTR, ca->type, n1, sizeof n1),
               hx);
        }
        break;
    case IKH_PL_EAP:
        tp(t, in + 1, "%s id %u length %u%s",
           nm(IKH_NT_EAP_CODE, pl->u.eap.code, n1, sizeof n1), pl->u.eap.ident,
           pl->u.eap.len, pl->u.eap.has_type ? " (typed)" : "");
        break;
    default:
        hexs(pl->u.raw.data, hx, sizeof hx);
        tp(t, in + 1, "%zu octets %s", pl->u.raw.data.len, hx);
        break;
    }
}

ikh_err ikh_dump_msg_text(const ikh_msg *m, const ikh_sk_info *sk, char *buf,
                          size_t cap, size_t *out_len)
{
    txt t = {buf, cap, 0, cap == 0};
    const ikh_ike_hdr *h = &m->hdr;
    char n1[48];
    if (cap > 0)
        buf[0] = '\0';
    tp(&t, 0, "%s (%u) mid %u %s%s%s ispi %016llx rspi %016llx len %u v%u.%u",
       nm(IKH_NT_EXCH, h->exch, n1, sizeof n1), h->exch, h->mid,
       (h->flags & IKH_HDR_F_RESPONSE) ? "response" : "request",
       (h->flags & IKH_HDR_F_INITIATOR) ? " [I]" : "",
       (h->flags & IKH_HDR_F_VERSION) ? " [V]" : "",
       (unsigned long long)h->ispi, (unsigned long long)h->rspi, h->length,
       h->version >> 4, h->version & 0xf);
    for (size_t i = 0; i < m->n_pl; i++)
        text_payload(&t, m, i, sk);
    if (out_len)
        *out_len = t.len;
    return t.full ? IKH_ERR_WIRE_NOBUF : IKH_OK;
}

bool ikh_dump_sk_info_of(const ikh_msg *m, ikh_sk_info *out)
{
    const ikh_ike_hdr *h = &m->hdr;
    if (h->exch != IKH_EXCH_IKE_SA_INIT || !(h->flags & IKH_HDR_F_RESPONSE))
        return false;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (pl->type != IKH_PL_SA || pl->u.sa.count == 0)
            continue;
        /* RFC 7296 §3.3: the response carries the one accepted proposal */
        const ikh_prop *p = &m->prop[pl->u.sa.first];
        uint16_t encr = 0, integ = 0;
        bool have_encr = false;
        for (uint16_t k = 0; k < p->xf_count; k++) {
            const ikh_xform *x = &m->xf[p->xf_first + k];
            if (x->type == IKH_XF_ENCR && !have_encr) {
                encr = x->id;
                have_encr = true;
            } else if (x->type == IKH_XF_INTEG && integ == 0) {
                integ = x->id;
            }
        }
        ikh_sk_info sk = {0};
        if (!have_encr ||
            !ikh_wire_sk_lengths(encr, integ, &sk.iv_len, &sk.icv_len))
            return false;
        sk.known = true;
        sk.encr = encr;
        sk.integ = integ;
        *out = sk;
        return true;
    }
    return false;
}
