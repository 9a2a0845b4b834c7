/* SPDX-License-Identifier: MIT */
/*
 * The peers of a scenario file: one mapping per peer, filled into its
 * ikh_ike_config (addresses, proposals, authentication, identities, Child
 * SA configurations, timers, NAT-T, fragmentation, configuration payload)
 * and resolved against each other by name (remote).
 */
#include <string.h>

#include "ikh/iana.h"
#include "ikh/sig.h"
#include "scn/scn_int.h"

int scn_peer_find(const ikh_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_peers; i++)
        if (strcmp(s->peers[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Keys of auth and peer_auth. */
enum {
    A_METHOD,
    A_PSK,
    A_PSK_HEX,
    A_SCHEME,
    A_KEY,
    A__N
};
static const char *const auth_keys[A__N] = {"method", "psk", "psk_hex",
                                            "scheme", "key"};

static const scn_word auth_methods[] = {
    {"psk", IKH_AUTH_SHARED_KEY_MIC},
    {"rsa", IKH_AUTH_RSA_SIG},
    {"ecdsa-256", IKH_AUTH_ECDSA_SHA256_P256},
    {"ecdsa-384", IKH_AUTH_ECDSA_SHA384_P384},
    {"ecdsa-521", IKH_AUTH_ECDSA_SHA512_P521},
    {"ds", IKH_AUTH_DIGITAL_SIGNATURE},
};

static const scn_word sig_schemes[] = {
    {"rsa-pkcs1-sha256", IKH_SIG_RSA_PKCS1_SHA256},
    {"rsa-pkcs1-sha384", IKH_SIG_RSA_PKCS1_SHA384},
    {"rsa-pkcs1-sha512", IKH_SIG_RSA_PKCS1_SHA512},
    {"rsa-pss-sha256", IKH_SIG_RSA_PSS_SHA256},
    {"ecdsa-sha256", IKH_SIG_ECDSA_SHA256},
    {"ecdsa-sha384", IKH_SIG_ECDSA_SHA384},
    {"ecdsa-sha512", IKH_SIG_ECDSA_SHA512},
};

ikh_err scn_word_of(scn_ctx *c, yaml_node_t *n, const scn_word *w, size_t nw,
                    uint8_t *num)
{
    const char *s = NULL;
    size_t len = 0;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    for (size_t i = 0; i < nw; i++) {
        if (strlen(w[i].name) == len && memcmp(w[i].name, s, len) == 0) {
            *num = w[i].num;
            return IKH_OK;
        }
    }
    return scn_fail(c, n, IKH_ERR_SCN_VALUE, "unknown value '%.*s'",
                    (int)(len > 40 ? 40 : len), s);
}

/* psk_hex: an even number of hex digits. */
static ikh_err scn_hex(scn_ctx *c, yaml_node_t *n, uint8_t *out, size_t cap,
                       uint16_t *out_len)
{
    const char *s;
    size_t len;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    bool ok = len > 0 && len % 2 == 0 && len / 2 <= cap;
    for (size_t i = 0; ok && i < len; i += 2) {
        unsigned v = 0;
        for (size_t k = 0; k < 2; k++) {
            char ch = s[i + k];
            unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                         : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                         : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                                  : 16u;
            ok = ok && d < 16u;
            v = v * 16u + (d & 15u);
        }
        out[i / 2] = (uint8_t)v;
    }
    if (!ok)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "expected 1..%zu octets as an even number of hex "
                        "digits",
                        cap);
    *out_len = (uint16_t)(len / 2);
    return IKH_OK;
}

/* auth / peer_auth mapping. */
static ikh_err scn_auth(scn_ctx *c, yaml_node_t *n, ikh_auth_cfg *a,
                        char *key_path)
{
    yaml_node_t *v[A__N];
    IKH_TRY(scn_map(c, n, auth_keys, A__N, v, NULL));
    if (v[A_METHOD] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'method'");
    size_t old = scn_push_key(c, "method");
    IKH_TRY(scn_word_of(c, v[A_METHOD], auth_methods,
                        sizeof auth_methods / sizeof auth_methods[0],
                        &a->method));
    scn_pop(c, old);
    bool psk = a->method == IKH_AUTH_SHARED_KEY_MIC;
    for (size_t i = A_PSK; i < A__N; i++) {
        bool allowed =
            psk ? (i == A_PSK || i == A_PSK_HEX)
                : (i == A_KEY ||
                   (i == A_SCHEME && a->method == IKH_AUTH_DIGITAL_SIGNATURE));
        if (v[i] != NULL && !allowed)
            return scn_fail(c, v[i], IKH_ERR_SCN_SCHEMA,
                            "key '%s' does not go with this method",
                            auth_keys[i]);
    }
    if (psk) {
        if ((v[A_PSK] == NULL) == (v[A_PSK_HEX] == NULL))
            return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                            "method psk needs exactly one of psk, psk_hex");
        if (v[A_PSK] != NULL) {
            old = scn_push_key(c, "psk");
            char tmp[IKH_IKE_PSK_MAX + 1];
            IKH_TRY(scn_text(c, v[A_PSK], tmp, sizeof tmp, false));
            a->psk_len = (uint16_t)strlen(tmp);
            memcpy(a->psk, tmp, a->psk_len);
        } else {
            old = scn_push_key(c, "psk_hex");
            IKH_TRY(
                scn_hex(c, v[A_PSK_HEX], a->psk, sizeof a->psk, &a->psk_len));
        }
        scn_pop(c, old);
        return IKH_OK;
    }
    if (v[A_KEY] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'key'");
    old = scn_push_key(c, "key");
    IKH_TRY(scn_text(c, v[A_KEY], key_path, IKH_SCN_TEXT_MAX, false));
    scn_pop(c, old);
    /* RFC 7427: the scheme is optional; our own signatures default to one
     * that fits the key, and a peer's AUTH data names its own */
    if (a->method == IKH_AUTH_DIGITAL_SIGNATURE && v[A_SCHEME] != NULL) {
        old = scn_push_key(c, "scheme");
        IKH_TRY(scn_word_of(c, v[A_SCHEME], sig_schemes,
                            sizeof sig_schemes / sizeof sig_schemes[0],
                            &a->scheme));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Child keys. */
enum {
    C_NAME,
    C_PROPOSALS,
    C_LOCAL_TS,
    C_REMOTE_TS,
    C_MODE,
    C_REKEY,
    C_LIFE,
    C_SINGLE_PAIR,
    C_SOFT_PACKETS,
    C_HARD_PACKETS,
    C_REPLAY_WINDOW,
    C__N
};
static const char *const child_keys[C__N] = {
    "name",         "proposals",    "local_ts",     "remote_ts",
    "mode",         "rekey",        "life",         "single_pair",
    "soft_packets", "hard_packets", "replay_window"};

/* The default selector: 0.0.0.0/0, any protocol and port. */
static void ts_any4(ikh_ts_cfg *ts)
{
    memset(ts, 0, sizeof *ts);
    ts->type = IKH_TS_IPV4_ADDR_RANGE;
    ts->end_port = 65535;
    memset(ts->end, 0xff, 4);
}

/* The default child: "default", aes256gcm16, 0.0.0.0/0 both sides. */
static void child_default(ikh_child_cfg *ch)
{
    memset(ch, 0, sizeof *ch);
    memcpy(ch->name, "default", sizeof "default");
    ch->n_props = 1;
    ikh_err e = ikh_proposal_parse("aes256gcm16", true, &ch->props[0], NULL);
    (void)e; /* a constant that parses */
    ch->n_local_ts = ch->n_remote_ts = 1;
    ts_any4(&ch->local_ts[0]);
    ts_any4(&ch->remote_ts[0]);
}

/* One child mapping. */
static ikh_err scn_child(scn_ctx *c, yaml_node_t *n, ikh_child_cfg *ch)
{
    yaml_node_t *v[C__N];
    IKH_TRY(scn_map(c, n, child_keys, C__N, v, NULL));
    child_default(ch);
    if (v[C_NAME] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'name'");
    size_t old = scn_push_key(c, "name");
    IKH_TRY(scn_name(c, v[C_NAME], ch->name, sizeof ch->name));
    scn_pop(c, old);
    if (v[C_PROPOSALS] != NULL) {
        old = scn_push_key(c, "proposals");
        IKH_TRY(
            scn_proposals(c, v[C_PROPOSALS], true, ch->props, &ch->n_props));
        scn_pop(c, old);
    }
    if (v[C_LOCAL_TS] != NULL) {
        old = scn_push_key(c, "local_ts");
        IKH_TRY(scn_ts_list(c, v[C_LOCAL_TS], ch->local_ts, &ch->n_local_ts));
        scn_pop(c, old);
    }
    if (v[C_REMOTE_TS] != NULL) {
        old = scn_push_key(c, "remote_ts");
        IKH_TRY(
            scn_ts_list(c, v[C_REMOTE_TS], ch->remote_ts, &ch->n_remote_ts));
        scn_pop(c, old);
    }
    if (v[C_MODE] != NULL) {
        static const scn_word modes[] = {{"tunnel", 0}, {"transport", 1}};
        uint8_t m = 0;
        old = scn_push_key(c, "mode");
        IKH_TRY(scn_word_of(c, v[C_MODE], modes, 2, &m));
        ch->transport = m == 1;
        scn_pop(c, old);
    }
    uint64_t x = 0;
    if (v[C_SOFT_PACKETS] != NULL) {
        old = scn_push_key(c, "soft_packets");
        IKH_TRY(scn_uint(c, v[C_SOFT_PACKETS], 1, UINT64_MAX - 1, &x));
        ch->soft_packets = x;
        scn_pop(c, old);
    }
    if (v[C_HARD_PACKETS] != NULL) {
        old = scn_push_key(c, "hard_packets");
        IKH_TRY(scn_uint(c, v[C_HARD_PACKETS], 1, UINT64_MAX - 1, &x));
        ch->hard_packets = x;
        scn_pop(c, old);
    }
    if (v[C_REPLAY_WINDOW] != NULL) {
        old = scn_push_key(c, "replay_window");
        IKH_TRY(scn_uint(c, v[C_REPLAY_WINDOW], 64, 4096, &x));
        if (x & (x - 1))
            return scn_fail(c, v[C_REPLAY_WINDOW], IKH_ERR_SCN_VALUE,
                            "replay_window must be a power of two");
        ch->replay_window = (uint32_t)x;
        scn_pop(c, old);
    }
    if (v[C_SINGLE_PAIR] != NULL) {
        old = scn_push_key(c, "single_pair");
        IKH_TRY(scn_bool(c, v[C_SINGLE_PAIR], &ch->single_pair));
        scn_pop(c, old);
    }
    if (v[C_REKEY] != NULL) {
        old = scn_push_key(c, "rekey");
        IKH_TRY(scn_duration(c, v[C_REKEY], UINT64_MAX - 1, &ch->rekey_ms));
        scn_pop(c, old);
    }
    if (v[C_LIFE] != NULL) {
        old = scn_push_key(c, "life");
        IKH_TRY(scn_duration(c, v[C_LIFE], UINT64_MAX - 1, &ch->life_ms));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* children: list of child mappings with distinct names. */
static ikh_err scn_children(scn_ctx *c, yaml_node_t *n, ikh_ike_config *cfg)
{
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    if (cnt == 0)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "no child");
    if (cnt > IKH_IKE_MAX_CHILD_CFG)
        return scn_fail(c, n, IKH_ERR_SCN_LIMIT, "more than %u children",
                        IKH_IKE_MAX_CHILD_CFG);
    for (size_t i = 0; i < cnt; i++) {
        size_t old = scn_push_idx(c, i);
        yaml_node_t *it = scn_seq_at(c, n, i);
        IKH_TRY(scn_child(c, it, &cfg->children[i]));
        for (size_t k = 0; k < i; k++)
            if (strcmp(cfg->children[k].name, cfg->children[i].name) == 0)
                return scn_fail(c, it, IKH_ERR_SCN_VALUE,
                                "child name '%s' used twice",
                                cfg->children[i].name);
        scn_pop(c, old);
    }
    cfg->n_children = (uint8_t)cnt;
    return IKH_OK;
}

/* retransmit: {base, factor, tries, limit}. */
static ikh_err scn_retransmit(scn_ctx *c, yaml_node_t *n, ikh_ike_config *cfg)
{
    static const char *const keys[] = {"base", "factor", "tries", "limit"};
    yaml_node_t *v[4];
    IKH_TRY(scn_map(c, n, keys, 4, v, NULL));
    size_t old;
    uint64_t x;
    if (v[0] != NULL) {
        old = scn_push_key(c, "base");
        IKH_TRY(scn_duration(c, v[0], UINT32_MAX, &x));
        cfg->retransmit_base_ms = (uint32_t)x;
        scn_pop(c, old);
    }
    if (v[1] != NULL) {
        /* "1.8" -> 1800 per mille; 1.0 .. 100 with up to 3 decimals */
        old = scn_push_key(c, "factor");
        const char *s;
        size_t len;
        IKH_TRY(scn_scalar(c, v[1], &s, &len));
        const char *dot = memchr(s, '.', len);
        size_t il = dot != NULL ? (size_t)(dot - s) : len;
        size_t fl = dot != NULL ? len - il - 1 : 0;
        uint64_t ip = 0, fp = 0;
        bool ok = scn_parse_u64(s, il, &ip) && fl <= 3 &&
                  (fl == 0 ? dot == NULL : scn_parse_u64(dot + 1, fl, &fp));
        for (size_t k = fl; k < 3; k++)
            fp *= 10u;
        if (!ok || ip > 100 || ip * 1000u + fp < 1000u ||
            ip * 1000u + fp > 100000u)
            return scn_fail(c, v[1], IKH_ERR_SCN_VALUE,
                            "factor must be a number 1..100 (e.g. 1.8)");
        cfg->retransmit_factor_pm = (uint32_t)(ip * 1000u + fp);
        scn_pop(c, old);
    }
    if (v[2] != NULL) {
        old = scn_push_key(c, "tries");
        IKH_TRY(scn_uint(c, v[2], 0, 255, &x));
        cfg->retransmit_tries = (uint8_t)x;
        scn_pop(c, old);
    }
    if (v[3] != NULL) {
        old = scn_push_key(c, "limit");
        IKH_TRY(scn_duration(c, v[3], UINT32_MAX, &x));
        cfg->retransmit_limit_ms = (uint32_t)x;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* fragmentation: true/false or {enabled, size}. */
static ikh_err scn_frag(scn_ctx *c, yaml_node_t *n, ikh_ike_config *cfg)
{
    if (n->type == YAML_SCALAR_NODE)
        return scn_bool(c, n, &cfg->fragmentation);
    static const char *const keys[] = {"enabled", "size"};
    yaml_node_t *v[2];
    IKH_TRY(scn_map(c, n, keys, 2, v, NULL));
    cfg->fragmentation = true;
    size_t old;
    if (v[0] != NULL) {
        old = scn_push_key(c, "enabled");
        IKH_TRY(scn_bool(c, v[0], &cfg->fragmentation));
        scn_pop(c, old);
    }
    if (v[1] != NULL) {
        uint64_t x;
        old = scn_push_key(c, "size");
        IKH_TRY(scn_uint(c, v[1], 256, 65535, &x));
        cfg->fragment_size = (uint16_t)x;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* request: [ip4, ip6]. */
static ikh_err scn_request(scn_ctx *c, yaml_node_t *n, ikh_ike_config *cfg)
{
    static const scn_word fam[] = {{"ip4", 4}, {"ip6", 6}};
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    for (size_t i = 0; i < cnt; i++) {
        size_t old = scn_push_idx(c, i);
        yaml_node_t *it = scn_seq_at(c, n, i);
        uint8_t f = 0;
        IKH_TRY(scn_word_of(c, it, fam, 2, &f));
        bool *flag = f == 4 ? &cfg->request_ip4 : &cfg->request_ip6;
        if (*flag)
            return scn_fail(c, it, IKH_ERR_SCN_VALUE, "listed twice");
        *flag = true;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* A pool prefix: first address, and the count to the prefix's end (capped
 * at 65535). */
static ikh_err scn_pool_prefix(scn_ctx *c, yaml_node_t *n, uint8_t family,
                               ikh_addr *first, uint16_t *size)
{
    const char *s;
    size_t len;
    IKH_TRY(scn_scalar(c, n, &s, &len));
    const char *slash = memchr(s, '/', len);
    size_t al = slash != NULL ? (size_t)(slash - s) : len;
    uint64_t plen = 0;
    unsigned bits = family == 4 ? 32u : 128u;
    bool ok = slash != NULL && scn_parse_addr(s, al, first) &&
              first->family == family &&
              scn_parse_u64(slash + 1, len - al - 1, &plen) && plen <= bits;
    if (!ok)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE,
                        "'%.*s' is not an IPv%u prefix (first/len)",
                        (int)(len > 50 ? 50 : len), s, family);
    /* count = (host part all ones) - (host part of first) + 1 */
    uint64_t host = 0;
    bool big = false;
    for (unsigned i = (unsigned)plen; i < bits; i++) {
        unsigned bit = (first->a[i / 8] >> (7 - i % 8)) & 1u;
        if (host > (UINT64_MAX >> 2)) {
            big = true;
            break;
        }
        host = host * 2u + (1u - bit); /* distance to the end */
    }
    uint64_t count = big ? 65535u : host + 1u;
    *size = (uint16_t)(count > 65535u ? 65535u : count);
    return IKH_OK;
}

/* pool: {ip4, ip6, dns}. */
static ikh_err scn_pool(scn_ctx *c, yaml_node_t *n, ikh_ike_config *cfg)
{
    static const char *const keys[] = {"ip4", "ip6", "dns"};
    yaml_node_t *v[3];
    IKH_TRY(scn_map(c, n, keys, 3, v, NULL));
    size_t old;
    if (v[0] != NULL) {
        old = scn_push_key(c, "ip4");
        IKH_TRY(scn_pool_prefix(c, v[0], 4, &cfg->pool4, &cfg->pool4_size));
        scn_pop(c, old);
    }
    if (v[1] != NULL) {
        old = scn_push_key(c, "ip6");
        IKH_TRY(scn_pool_prefix(c, v[1], 6, &cfg->pool6, &cfg->pool6_size));
        scn_pop(c, old);
    }
    if (v[2] != NULL) {
        size_t cnt;
        old = scn_push_key(c, "dns");
        IKH_TRY(scn_seq(c, v[2], &cnt));
        if (cnt > IKH_IKE_MAX_DNS)
            return scn_fail(c, v[2], IKH_ERR_SCN_LIMIT,
                            "more than %u DNS servers", IKH_IKE_MAX_DNS);
        for (size_t i = 0; i < cnt; i++) {
            size_t o2 = scn_push_idx(c, i);
            IKH_TRY(scn_addr(c, scn_seq_at(c, v[2], i), &cfg->dns[i]));
            scn_pop(c, o2);
        }
        cfg->n_dns = (uint8_t)cnt;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Peer keys. */
enum {
    P_ADDRESS,
    P_PORT,
    P_NATT_PORT,
    P_REMOTE,
    P_PROPOSALS,
    P_AUTH,
    P_PEER_AUTH,
    P_ID,
    P_PEER_ID,
    P_CHILDREN,
    P_RETRANSMIT,
    P_LIVENESS,
    P_IKE_REKEY,
    P_REAUTH,
    P_IKE_LIFE,
    P_JITTER,
    P_HALF_OPEN,
    P_COOKIE_THRESHOLD,
    P_MAX_HALF_OPEN,
    P_INITIAL_CONTACT,
    P_NATT,
    P_FRAGMENTATION,
    P_WINDOW,
    P_REQUEST,
    P_POOL,
    P_KEYINGTRIES,
    P_MAX_CHILDREN,
    P__N
};
static const char *const peer_keys[P__N] = {"address",       "port",
                                            "natt_port",     "remote",
                                            "proposals",     "auth",
                                            "peer_auth",     "id",
                                            "peer_id",       "children",
                                            "retransmit",    "liveness",
                                            "ike_rekey",     "reauth",
                                            "ike_life",      "jitter",
                                            "half_open",     "cookie_threshold",
                                            "max_half_open", "initial_contact",
                                            "natt",          "fragmentation",
                                            "window",        "request",
                                            "pool",          "keyingtries",
                                            "max_children"};

/* Durations of a peer: key index and field. */
static uint64_t *peer_duration(ikh_ike_config *cfg, size_t k)
{
    switch (k) {
    case P_LIVENESS:
        return &cfg->liveness_ms;
    case P_IKE_REKEY:
        return &cfg->ike_rekey_ms;
    case P_REAUTH:
        return &cfg->reauth_ms;
    case P_IKE_LIFE:
        return &cfg->ike_life_ms;
    case P_HALF_OPEN:
        return &cfg->half_open_ms;
    default:
        return NULL;
    }
}

/* Scalar options of a peer (numbers, booleans, words). */
static ikh_err peer_scalars(scn_ctx *c, yaml_node_t **v, ikh_ike_config *cfg)
{
    uint64_t x;
    for (size_t k = 0; k < P__N; k++) {
        if (v[k] == NULL)
            continue;
        size_t old = scn_push_key(c, peer_keys[k]);
        uint64_t *dur = peer_duration(cfg, k);
        if (dur != NULL) {
            IKH_TRY(scn_duration(c, v[k], UINT64_MAX - 1, dur));
        } else if (k == P_PORT || k == P_NATT_PORT) {
            IKH_TRY(scn_uint(c, v[k], 1, 65535, &x));
            *(k == P_PORT ? &cfg->port : &cfg->natt_port) = (uint16_t)x;
        } else if (k == P_JITTER) {
            IKH_TRY(scn_pct(c, v[k], &cfg->jitter_pct));
        } else if (k == P_COOKIE_THRESHOLD || k == P_MAX_HALF_OPEN) {
            IKH_TRY(scn_uint(c, v[k], 0, UINT32_MAX, &x));
            *(k == P_COOKIE_THRESHOLD ? &cfg->cookie_threshold
                                      : &cfg->max_half_open) = (uint32_t)x;
        } else if (k == P_INITIAL_CONTACT) {
            IKH_TRY(scn_bool(c, v[k], &cfg->initial_contact));
        } else if (k == P_NATT) {
            static const scn_word natt[] = {{"auto", 0}, {"force", 1}};
            uint8_t m = 0;
            IKH_TRY(scn_word_of(c, v[k], natt, 2, &m));
            cfg->natt_force = m == 1;
        } else if (k == P_MAX_CHILDREN) {
            IKH_TRY(scn_uint(c, v[k], 1, IKH_IKE_MAX_CHILDREN, &x));
            cfg->max_children = (uint8_t)x;
        } else if (k == P_KEYINGTRIES) {
            IKH_TRY(scn_uint(c, v[k], 1, 255, &x));
            cfg->keyingtries = (uint8_t)x;
        } else if (k == P_WINDOW) {
            IKH_TRY(scn_uint(c, v[k], 1, 255, &x));
            cfg->window = (uint8_t)x;
        }
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Structured options of a peer. */
static ikh_err peer_structs(scn_ctx *c, yaml_node_t *n, yaml_node_t **v,
                            ikh_scn_peer *p)
{
    ikh_ike_config *cfg = &p->cfg;
    size_t old;
#define SCN_SUB(key, call)                                                     \
    do {                                                                       \
        if (v[key] != NULL) {                                                  \
            old = scn_push_key(c, peer_keys[key]);                             \
            IKH_TRY(call);                                                     \
            scn_pop(c, old);                                                   \
        }                                                                      \
    } while (0)
    SCN_SUB(P_ADDRESS, scn_addr(c, v[P_ADDRESS], &cfg->addr));
    SCN_SUB(P_REMOTE, scn_name(c, v[P_REMOTE], p->remote, sizeof p->remote));
    SCN_SUB(P_PROPOSALS,
            scn_proposals(c, v[P_PROPOSALS], false, cfg->props, &cfg->n_props));
    SCN_SUB(P_AUTH, scn_auth(c, v[P_AUTH], &cfg->auth, p->key_path));
    SCN_SUB(P_PEER_AUTH,
            scn_auth(c, v[P_PEER_AUTH], &cfg->peer_auth, p->peer_key_path));
    SCN_SUB(P_ID, scn_id(c, v[P_ID], &cfg->id));
    SCN_SUB(P_PEER_ID, scn_id(c, v[P_PEER_ID], &cfg->peer_id));
    SCN_SUB(P_CHILDREN, scn_children(c, v[P_CHILDREN], cfg));
    SCN_SUB(P_RETRANSMIT, scn_retransmit(c, v[P_RETRANSMIT], cfg));
    SCN_SUB(P_FRAGMENTATION, scn_frag(c, v[P_FRAGMENTATION], cfg));
    SCN_SUB(P_REQUEST, scn_request(c, v[P_REQUEST], cfg));
    SCN_SUB(P_POOL, scn_pool(c, v[P_POOL], cfg));
#undef SCN_SUB
    if (v[P_AUTH] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'auth'");
    if (v[P_PEER_AUTH] == NULL) {
        if (cfg->auth.method != IKH_AUTH_SHARED_KEY_MIC)
            return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                            "missing key 'peer_auth' (needed when auth is "
                            "not psk)");
        cfg->peer_auth = cfg->auth;
    }
    return IKH_OK;
}

/* One peer mapping. */
static ikh_err scn_peer(scn_ctx *c, yaml_node_t *n, ikh_scn_peer *p)
{
    yaml_node_t *v[P__N];
    IKH_TRY(scn_map(c, n, peer_keys, P__N, v, NULL));
    c->remote[p - c->out->peers] = v[P_REMOTE]; /* for scn_peers_resolve */
    ikh_ike_config *cfg = &p->cfg;
    memcpy(cfg->name, p->name, sizeof cfg->name);
    cfg->n_props = 1;
    ikh_err e = ikh_proposal_parse("aes256gcm16-prfsha256-x25519", false,
                                   &cfg->props[0], NULL);
    (void)e; /* a constant that parses */
    cfg->n_children = 1;
    child_default(&cfg->children[0]);
    if (v[P_ADDRESS] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'address'");
    IKH_TRY(peer_structs(c, n, v, p));
    IKH_TRY(peer_scalars(c, v, cfg));
    return IKH_OK;
}

ikh_err scn_peers(scn_ctx *c, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                        "expected a mapping of peer names to peers");
    ikh_scenario *s = c->out;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
         pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = scn_node(c, pr->key), *v = scn_node(c, pr->value);
        if (k == NULL || v == NULL)
            return scn_fail(c, n, IKH_ERR_SCN_SYNTAX, "broken mapping");
        if (s->n_peers >= IKH_SCN_MAX_PEERS)
            return scn_fail(c, k, IKH_ERR_SCN_LIMIT, "more than %u peers",
                            IKH_SCN_MAX_PEERS);
        ikh_scn_peer *p = &s->peers[s->n_peers];
        IKH_TRY(scn_name(c, k, p->name, sizeof p->name));
        if (scn_peer_find(s, p->name) >= 0)
            return scn_fail(c, k, IKH_ERR_SCN_SCHEMA, "duplicate peer '%s'",
                            p->name);
        p->line = (uint32_t)k->start_mark.line + 1u;
        size_t old = scn_push_key(c, p->name);
        s->n_peers++;
        IKH_TRY(scn_peer(c, v, p));
        scn_pop(c, old);
    }
    if (s->n_peers == 0)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "no peer");
    return IKH_OK;
}

ikh_err scn_peers_resolve(scn_ctx *c)
{
    ikh_scenario *s = c->out;
    for (size_t i = 0; i < s->n_peers; i++) {
        ikh_scn_peer *p = &s->peers[i];
        if (p->remote[0] == '\0')
            continue;
        size_t old = scn_push_key(c, p->name);
        size_t old2 = scn_push_key(c, "remote");
        int r = scn_peer_find(s, p->remote);
        if (r < 0)
            return scn_fail(c, c->remote[i], IKH_ERR_SCN_REF,
                            "no peer named '%s'", p->remote);
        if ((size_t)r == i)
            return scn_fail(c, c->remote[i], IKH_ERR_SCN_REF,
                            "a peer cannot talk to itself");
        const ikh_ike_config *rc = &s->peers[r].cfg;
        p->cfg.peer_addr = rc->addr;
        p->cfg.peer_port = rc->port;
        p->cfg.peer_natt_port = rc->natt_port;
        scn_pop(c, old2);
        scn_pop(c, old);
    }
    return IKH_OK;
}
