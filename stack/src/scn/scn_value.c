/* SPDX-License-Identifier: MIT */
/*
 * Scalar values of scenario files: text, names, numbers, booleans,
 * durations, percentages, comparisons, IP addresses (our own parser: the
 * stack does not use <arpa/inet.h>), traffic selectors, identities and
 * proposal lists. Every parser works on (pointer, length) and never reads
 * past the scalar.
 */
#include <string.h>

#include "ikh/bytes.h"
#include "ikh/iana.h"
#include "scn/scn_int.h"

ikh_err scn_scalar(scn_ctx *c, yaml_node_t *n, const char **s, size_t *len)
{
    if (n->type != YAML_SCALAR_NODE)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "expected a scalar");
    *s = (const char *)n->data.scalar.value;
    *len = n->data.scalar.length;
    if (*len > 0 && memchr(*s, 0, *len) != NULL)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "NUL octet in the value");
    return IKH_OK;
}

ikh_err scn_text(scn_ctx *c, yaml_node_t *n, char *buf, size_t cap,
                 bool allow_empty)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    if (len >= cap)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "text longer than %zu octets",
                        cap - 1);
    if (len == 0 && !allow_empty)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "empty text");
    memcpy(buf, s, len);
    buf[len] = '\0';
    return IKH_OK;
}

ikh_err scn_name(scn_ctx *c, yaml_node_t *n, char *buf, size_t cap)
{
    IKH_TRY(scn_text(c, n, buf, cap, false));
    for (const char *p = buf; *p != '\0'; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                  *p == '_' || *p == '-';
        if (!ok)
            return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                            "name '%s' may only have a-z, 0-9, '_' and '-'",
                            buf);
    }
    return IKH_OK;
}

bool scn_parse_u64(const char *s, size_t len, uint64_t *v)
{
    uint64_t r = 0;
    if (len == 0 || len > 20)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (r > (UINT64_MAX - d) / 10u)
            return false;
        r = r * 10u + d;
    }
    *v = r;
    return true;
}

ikh_err scn_uint(scn_ctx *c, yaml_node_t *n, uint64_t lo, uint64_t hi,
                 uint64_t *v)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    uint64_t r;
    if (!scn_parse_u64(s, len, &r))
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "'%.*s' is not a number",
                        (int)(len > 40 ? 40 : len), s);
    if (r < lo || r > hi)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "%llu is out of range %llu..%llu",
                        (unsigned long long)r, (unsigned long long)lo,
                        (unsigned long long)hi);
    *v = r;
    return IKH_OK;
}

/* Case-insensitive equality of s[0..len) and the lower-case word w. */
static bool word_eq(const char *s, size_t len, const char *w)
{
    if (strlen(w) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != w[i])
            return false;
    }
    return true;
}

ikh_err scn_bool(scn_ctx *c, yaml_node_t *n, bool *v)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    if (word_eq(s, len, "true"))
        *v = true;
    else if (word_eq(s, len, "false"))
        *v = false;
    else
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "expected true or false, got '%.*s'",
                        (int)(len > 40 ? 40 : len), s);
    return IKH_OK;
}

ikh_err scn_duration(scn_ctx *c, yaml_node_t *n, uint64_t max, uint64_t *ms)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    size_t digits = 0;
    while (digits < len && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    const char *unit = s + digits;
    size_t ulen = len - digits;
    uint64_t mult = 0, v;
    if (ulen == 0 || (ulen == 2 && memcmp(unit, "ms", 2) == 0))
        mult = 1;
    else if (ulen == 1 && unit[0] == 's')
        mult = 1000;
    else if (ulen == 1 && unit[0] == 'm')
        mult = 60000;
    else if (ulen == 1 && unit[0] == 'h')
        mult = 3600000;
    if (mult == 0 || !scn_parse_u64(s, digits, &v))
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not a duration (250ms, 4s, 2m, 1h)",
                        (int)(len > 40 ? 40 : len), s);
    if (v > max / mult)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "duration '%.*s' too long",
                        (int)(len > 40 ? 40 : len), s);
    *ms = v * mult;
    return IKH_OK;
}

ikh_err scn_pct(scn_ctx *c, yaml_node_t *n, uint8_t *pct)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    size_t l = len;
    if (l > 0 && s[l - 1] == '%')
        l--;
    uint64_t v;
    if (!scn_parse_u64(s, l, &v) || v > 100)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not a percentage 0..100",
                        (int)(len > 40 ? 40 : len), s);
    *pct = (uint8_t)v;
    return IKH_OK;
}

ikh_err scn_cmp(scn_ctx *c, yaml_node_t *n, ikh_scn_cmp *cmp, uint64_t *v)
{
    static const struct {
        const char *op;
        ikh_scn_cmp cmp;
    } ops[] = {{"==", IKH_SCN_EQ}, {"!=", IKH_SCN_NE}, {">=", IKH_SCN_GE},
               {"<=", IKH_SCN_LE}, {">", IKH_SCN_GT},  {"<", IKH_SCN_LT}};
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    size_t i = 0;
    *cmp = IKH_SCN_EQ;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t ol = strlen(ops[k].op);
        if (len >= ol && memcmp(s, ops[k].op, ol) == 0) {
            *cmp = ops[k].cmp;
            i = ol;
            break;
        }
    }
    while (i < len && s[i] == ' ')
        i++;
    if (!scn_parse_u64(s + i, len - i, v))
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not a count (2, \">= 1\", \"!= 0\", ...)",
                        (int)(len > 40 ? 40 : len), s);
    return IKH_OK;
}

/* Dotted quad at s[0..len) into out[4]. */
static bool parse_v4(const char *s, size_t len, uint8_t *out)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t st = i;
        unsigned v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - st < 3) {
            v = v * 10u + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == st || v > 255 || (i - st > 1 && s[st] == '0'))
            return false;
        out[part] = (uint8_t)v;
        if (part < 3) {
            if (i >= len || s[i] != '.')
                return false;
            i++;
        }
    }
    return i == len;
}

/* IPv6 text (RFC 4291 §2.2, with "::" and a trailing dotted quad). */
static bool parse_v6(const char *s, size_t len, uint8_t *out)
{
    uint16_t w[8];
    int nw = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return false;
    }
    while (i < len) {
        size_t st = i;
        unsigned v = 0;
        while (i < len && ikh_hex_digit(s[i]) >= 0 && i - st < 4) {
            v = v * 16u + (unsigned)ikh_hex_digit(s[i]);
            i++;
        }
        if (i < len && s[i] == '.') { /* embedded IPv4 at the end */
            if (nw > 6 || !parse_v4(s + st, len - st, out))
                return false;
            w[nw++] = (uint16_t)(out[0] << 8 | out[1]);
            w[nw++] = (uint16_t)(out[2] << 8 | out[3]);
            i = len;
            break;
        }
        if (i == st || nw >= 8)
            return false;
        w[nw++] = (uint16_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = nw;
            i++;
        } else if (i == len) {
            return false; /* trailing single ':' */
        }
    }
    if (gap < 0 && nw != 8)
        return false;
    if (gap >= 0 && nw > 7)
        return false;
    memset(out, 0, 16);
    int tail = gap >= 0 ? nw - gap : 0;
    int head = gap >= 0 ? gap : nw;
    for (int k = 0; k < head; k++) {
        out[2 * k] = (uint8_t)(w[k] >> 8);
        out[2 * k + 1] = (uint8_t)w[k];
    }
    for (int k = 0; k < tail; k++) {
        int d = 8 - tail + k;
        out[2 * d] = (uint8_t)(w[head + k] >> 8);
        out[2 * d + 1] = (uint8_t)w[head + k];
    }
    return true;
}

bool scn_parse_addr(const char *s, size_t len, ikh_addr *a)
{
    memset(a, 0, sizeof *a);
    if (len == 0 || len > 45)
        return false;
    if (memchr(s, ':', len) != NULL) {
        a->family = 6;
        return parse_v6(s, len, a->a);
    }
    a->family = 4;
    return parse_v4(s, len, a->a);
}

ikh_err scn_addr(scn_ctx *c, yaml_node_t *n, ikh_addr *a)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    if (!scn_parse_addr(s, len, a))
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not an IPv4 or IPv6 address",
                        (int)(len > 45 ? 45 : len), s);
    return IKH_OK;
}

ikh_err scn_proposal(scn_ctx *c, yaml_node_t *n, bool child,
                     ikh_proposal_cfg *p)
{
    char text[IKH_SCN_TEXT_MAX];
    IKH_TRY(scn_text(c, n, text, sizeof text, false));
    size_t bad = 0;
    ikh_err e = ikh_proposal_parse(text, child, p, &bad);
    if (e == IKH_OK)
        return IKH_OK;
    size_t kl = 0;
    while (text[bad + kl] != '\0' && text[bad + kl] != '-')
        kl++;
    if (bad >= strlen(text))
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "invalid %s proposal '%.60s' (needs encryption%s; "
                        "AEAD and integrity do not mix)",
                        child ? "child" : "IKE", text,
                        child ? "" : ", integrity or PRF and a KE group");
    char word[IKH_SCN_TEXT_MAX];
    memcpy(word, text + bad, kl);
    word[kl] = '\0';
    ikh_proposal_cfg probe;
    size_t pb1 = 0, pb2 = 0;
    ikh_err e1 = ikh_proposal_parse(word, true, &probe, &pb1);
    ikh_err e2 = ikh_proposal_parse(word, false, &probe, &pb2);
    bool known =
        kl > 0 && (e1 == IKH_OK || pb1 == kl || e2 == IKH_OK || pb2 == kl);
    if (!known)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "unknown keyword '%.40s'",
                        word);
    return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                    "keyword '%.40s' repeated or not allowed in %s proposal",
                    word, child ? "a child" : "an IKE");
}

ikh_err scn_proposals(scn_ctx *c, yaml_node_t *n, bool child,
                      ikh_proposal_cfg *props, uint8_t *n_props)
{
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    if (cnt == 0)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "no proposal");
    if (cnt > IKH_IKE_MAX_PROPOSALS)
        return scn_fail(c, n, IKH_ERR_SCN_LIMIT, "more than %u proposals",
                        IKH_IKE_MAX_PROPOSALS);
    for (size_t i = 0; i < cnt; i++) {
        size_t old = scn_push_idx(c, i);
        IKH_TRY(scn_proposal(c, scn_seq_at(c, n, i), child, &props[i]));
        scn_pop(c, old);
    }
    *n_props = (uint8_t)cnt;
    return IKH_OK;
}

/* Protocol of a selector: any|icmp|tcp|udp|icmpv6|number. */
static bool parse_proto(const char *s, size_t len, uint8_t *proto)
{
    static const struct {
        const char *name;
        uint8_t num;
    } names[] = {
        {"any", 0}, {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"icmpv6", 58}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (word_eq(s, len, names[i].name)) {
            *proto = names[i].num;
            return true;
        }
    }
    uint64_t v;
    if (!scn_parse_u64(s, len, &v) || v > 255)
        return false;
    *proto = (uint8_t)v;
    return true;
}

/* "[proto]", "[proto/port]" or "[proto/lo-hi]" (without the brackets). */
static bool parse_ts_proto(const char *s, size_t len, ikh_ts_cfg *ts)
{
    const char *slash = memchr(s, '/', len);
    size_t pl = slash != NULL ? (size_t)(slash - s) : len;
    if (!parse_proto(s, pl, &ts->ip_proto))
        return false;
    if (slash == NULL)
        return true;
    const char *p = slash + 1;
    size_t rest = len - pl - 1;
    const char *dash = memchr(p, '-', rest);
    uint64_t lo, hi;
    if (dash == NULL) {
        if (!scn_parse_u64(p, rest, &lo))
            return false;
        hi = lo;
    } else {
        size_t ll = (size_t)(dash - p);
        if (!scn_parse_u64(p, ll, &lo) ||
            !scn_parse_u64(dash + 1, rest - ll - 1, &hi))
            return false;
    }
    if (lo > hi || hi > 65535)
        return false;
    ts->start_port = (uint16_t)lo;
    ts->end_port = (uint16_t)hi;
    return true;
}

/* Address range of "a/len", "a-b" or "a". */
static bool parse_ts_addr(const char *s, size_t len, ikh_ts_cfg *ts)
{
    ikh_addr a, b;
    const char *slash = memchr(s, '/', len);
    const char *dash = memchr(s, '-', len);
    if (slash != NULL) {
        size_t al = (size_t)(slash - s);
        uint64_t plen;
        if (!scn_parse_addr(s, al, &a) ||
            !scn_parse_u64(slash + 1, len - al - 1, &plen))
            return false;
        unsigned bits = a.family == 4 ? 32u : 128u;
        if (plen > bits)
            return false;
        b = a;
        for (unsigned i = (unsigned)plen; i < bits; i++) {
            a.a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
            b.a[i / 8] |= (uint8_t)(0x80u >> (i % 8));
        }
    } else if (dash != NULL) {
        size_t al = (size_t)(dash - s);
        if (!scn_parse_addr(s, al, &a) ||
            !scn_parse_addr(dash + 1, len - al - 1, &b) ||
            a.family != b.family || memcmp(a.a, b.a, 16) > 0)
            return false;
    } else {
        if (!scn_parse_addr(s, len, &a))
            return false;
        b = a;
    }
    ts->type = a.family == 4 ? IKH_TS_IPV4_ADDR_RANGE : IKH_TS_IPV6_ADDR_RANGE;
    memcpy(ts->start, a.a, 16);
    memcpy(ts->end, b.a, 16);
    return true;
}

/* One selector. */
static ikh_err scn_ts(scn_ctx *c, yaml_node_t *n, ikh_ts_cfg *ts)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    memset(ts, 0, sizeof *ts);
    ts->end_port = 65535;
    const char *br = memchr(s, '[', len);
    size_t al = br != NULL ? (size_t)(br - s) : len;
    bool ok = parse_ts_addr(s, al, ts);
    if (ok && br != NULL)
        ok = len - al >= 2 && s[len - 1] == ']' &&
             parse_ts_proto(br + 1, len - al - 2, ts);
    if (!ok)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not a traffic selector (prefix, range, "
                        "optional [proto/port])",
                        (int)(len > 60 ? 60 : len), s);
    return IKH_OK;
}

ikh_err scn_ts_list(scn_ctx *c, yaml_node_t *n, ikh_ts_cfg *ts, uint8_t *n_ts)
{
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    if (cnt == 0)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "no traffic selector");
    if (cnt > IKH_IKE_MAX_TS)
        return scn_fail(c, n, IKH_ERR_SCN_LIMIT,
                        "more than %u traffic selectors", IKH_IKE_MAX_TS);
    for (size_t i = 0; i < cnt; i++) {
        size_t old = scn_push_idx(c, i);
        IKH_TRY(scn_ts(c, scn_seq_at(c, n, i), &ts[i]));
        scn_pop(c, old);
    }
    *n_ts = (uint8_t)cnt;
    return IKH_OK;
}

ikh_err scn_id(scn_ctx *c, yaml_node_t *n, ikh_id_cfg *id)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    memset(id, 0, sizeof *id);
    const char *colon = memchr(s, ':', len);
    size_t tl = colon != NULL ? (size_t)(colon - s) : len;
    const char *v = colon != NULL ? colon + 1 : s + len;
    size_t vl = colon != NULL ? len - tl - 1 : 0;
    ikh_addr a;
    bool ok = colon != NULL && vl > 0 && vl <= IKH_IKE_ID_MAX;
    if (ok && word_eq(s, tl, "ipv4")) {
        ok = scn_parse_addr(v, vl, &a) && a.family == 4;
        id->type = IKH_ID_IPV4_ADDR;
        id->len = 4;
        memcpy(id->data, a.a, 4);
    } else if (ok && word_eq(s, tl, "ipv6")) {
        ok = scn_parse_addr(v, vl, &a) && a.family == 6;
        id->type = IKH_ID_IPV6_ADDR;
        id->len = 16;
        memcpy(id->data, a.a, 16);
    } else if (ok && (word_eq(s, tl, "fqdn") || word_eq(s, tl, "email"))) {
        id->type = word_eq(s, tl, "fqdn") ? IKH_ID_FQDN : IKH_ID_RFC822_ADDR;
        id->len = (uint16_t)vl;
        memcpy(id->data, v, vl);
    } else if (ok && word_eq(s, tl, "keyid")) {
        id->type = IKH_ID_KEY_ID;
        ok = vl % 2 == 0;
        for (size_t i = 0; ok && i < vl; i += 2) {
            int hi = ikh_hex_digit(v[i]), lo = ikh_hex_digit(v[i + 1]);
            ok = hi >= 0 && lo >= 0;
            if (ok)
                id->data[i / 2] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo);
        }
        id->len = (uint16_t)(vl / 2);
    } else {
        ok = false;
    }
    if (!ok) {
        memset(id, 0, sizeof *id);
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not an identity (ipv4:, ipv6:, fqdn:, "
                        "email:, keyid:<hex>)",
                        (int)(len > 60 ? 60 : len), s);
    }
    return IKH_OK;
}
