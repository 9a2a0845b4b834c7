/* SPDX-License-Identifier: MIT */
/*
 * The plan of a scenario file: links with fault profiles, the timeline of
 * actions (sorted by time, stable) and the expectations, each rendered
 * back to one line of text for reports.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikh/ike.h"
#include "ikh/names.h"
#include "scn/scn_int.h"

/* Fault keys. */
enum {
    F_LOSS,
    F_DUP,
    F_REORDER,
    F_REORDER_WINDOW,
    F_DELAY,
    F_JITTER,
    F_BITFLIP,
    F_CORRUPT,
    F_TRUNCATE,
    F__N
};
static const char *const fault_keys[F__N] = {
    "loss",   "dup",     "reorder", "reorder_window", "delay",
    "jitter", "bitflip", "corrupt", "truncate"};

/* Apply the keys present in a faults mapping to *f. */
static ikh_err scn_faults(scn_ctx *c, yaml_node_t *n, ikh_sim_faults *f)
{
    yaml_node_t *v[F__N];
    IKH_TRY(scn_map(c, n, fault_keys, F__N, v, NULL));
    uint8_t *pct[F__N] = {
        &f->loss_pct, &f->dup_pct,     &f->reorder_pct, NULL,         NULL,
        NULL,         &f->bitflip_pct, &f->corrupt_pct, &f->trunc_pct};
    uint32_t *ms[F__N] = {NULL,           NULL,         NULL,
                          &f->reorder_ms, &f->delay_ms, &f->jitter_ms,
                          NULL,           NULL,         NULL};
    for (size_t k = 0; k < F__N; k++) {
        if (v[k] == NULL)
            continue;
        size_t old = scn_push_key(c, fault_keys[k]);
        if (pct[k] != NULL) {
            IKH_TRY(scn_pct(c, v[k], pct[k]));
        } else {
            uint64_t x;
            IKH_TRY(scn_duration(c, v[k], UINT32_MAX, &x));
            *ms[k] = (uint32_t)x;
        }
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* between: [p, q] -> two distinct peer indices. */
static ikh_err scn_between(scn_ctx *c, yaml_node_t *n, uint8_t *a, uint8_t *b)
{
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    if (cnt != 2)
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "expected two peer names");
    int idx[2];
    for (size_t i = 0; i < 2; i++) {
        char name[IKH_IKE_NAME_MAX];
        yaml_node_t *it = scn_seq_at(c, n, i);
        size_t old = scn_push_idx(c, i);
        IKH_TRY(scn_name(c, it, name, sizeof name));
        idx[i] = scn_peer_find(c->out, name);
        if (idx[i] < 0)
            return scn_fail(c, it, IKH_ERR_SCN_REF, "no peer named '%s'", name);
        scn_pop(c, old);
    }
    if (idx[0] == idx[1])
        return scn_fail(c, n, IKH_ERR_SCN_VALUE, "a link needs two peers");
    *a = (uint8_t)idx[0];
    *b = (uint8_t)idx[1];
    return IKH_OK;
}

/* Value of key @p key in mapping n, or NULL (no checks). */
static yaml_node_t *map_find(scn_ctx *c, yaml_node_t *n, const char *key)
{
    if (n->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_node(c, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE &&
            k->data.scalar.length == strlen(key) &&
            memcmp(k->data.scalar.value, key, strlen(key)) == 0)
            return scn_node(c, p->value);
    }
    return NULL;
}

/* "<a>_to_<b>" of two peers. */
static void dir_name(const ikh_scenario *s, uint8_t a, uint8_t b, char *buf,
                     size_t cap)
{
    snprintf(buf, cap, "%s_to_%s", s->peers[a].name, s->peers[b].name);
}

/* One link. */
static ikh_err scn_link(scn_ctx *c, yaml_node_t *n, ikh_scn_link *l)
{
    ikh_scenario *s = c->out;
    yaml_node_t *bn = map_find(c, n, "between");
    if (n->type == YAML_MAPPING_NODE && bn == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'between'");
    char ab[2 * IKH_IKE_NAME_MAX + 4], ba[2 * IKH_IKE_NAME_MAX + 4];
    if (bn != NULL) {
        size_t old = scn_push_key(c, "between");
        IKH_TRY(scn_between(c, bn, &l->a, &l->b));
        scn_pop(c, old);
        dir_name(s, l->a, l->b, ab, sizeof ab);
        dir_name(s, l->b, l->a, ba, sizeof ba);
    } else {
        ab[0] = ba[0] = '\0';
    }
    const char *const keys[4] = {"between", "faults", ab, ba};
    yaml_node_t *v[4];
    IKH_TRY(scn_map(c, n, keys, 4, v, NULL));
    l->line = (uint32_t)n->start_mark.line + 1u;
    if (v[1] != NULL) {
        size_t old = scn_push_key(c, "faults");
        IKH_TRY(scn_faults(c, v[1], &l->ab));
        IKH_TRY(scn_faults(c, v[1], &l->ba));
        scn_pop(c, old);
    }
    for (size_t d = 2; d < 4; d++) {
        if (v[d] == NULL)
            continue;
        size_t old = scn_push_key(c, keys[d]);
        IKH_TRY(scn_faults(c, v[d], d == 2 ? &l->ab : &l->ba));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Index of the link between peers a and b (either order), or -1. */
static int link_find(const ikh_scenario *s, uint8_t a, uint8_t b)
{
    for (size_t i = 0; i < s->n_links; i++)
        if ((s->links[i].a == a && s->links[i].b == b) ||
            (s->links[i].a == b && s->links[i].b == a))
            return (int)i;
    return -1;
}

ikh_err scn_links(scn_ctx *c, yaml_node_t *n)
{
    ikh_scenario *s = c->out;
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *it = scn_seq_at(c, n, i);
        if (i >= IKH_SCN_MAX_LINKS)
            return scn_fail(c, it, IKH_ERR_SCN_LIMIT, "more than %u links",
                            IKH_SCN_MAX_LINKS);
        size_t old = scn_push_idx(c, i);
        ikh_scn_link *l = &s->links[i];
        IKH_TRY(scn_link(c, it, l));
        if (link_find(s, l->a, l->b) >= 0)
            return scn_fail(c, it, IKH_ERR_SCN_VALUE,
                            "a link between %s and %s exists already",
                            s->peers[l->a].name, s->peers[l->b].name);
        s->n_links++;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Step keys. */
enum {
    S_AT,
    S_DO,
    S_PEER,
    S_CHILD,
    S_IKE_SA,
    S_CHILD_SA,
    S_BETWEEN,
    S_DIR,
    S_FAULTS,
    S_FROM,
    S_TO,
    S_PROTO,
    S_COUNT,
    S_INTERVAL,
    S_SIZE,
    S_PORT,
    S__N
};
static const char *const step_keys[S__N] = {
    "at",     "do",   "peer", "child", "ike_sa", "child_sa", "between", "dir",
    "faults", "from", "to",   "proto", "count",  "interval", "size",    "port"};

/* Timeline actions and the keys each one allows (bit per S_*). */
static const struct {
    const char *name;
    ikh_scn_op op;
    unsigned keys;
} step_ops[] = {
    {"initiate", IKH_SCN_INITIATE, 1u << S_PEER | 1u << S_CHILD},
    {"rekey_child", IKH_SCN_REKEY_CHILD,
     1u << S_PEER | 1u << S_IKE_SA | 1u << S_CHILD_SA},
    {"rekey_ike", IKH_SCN_REKEY_IKE, 1u << S_PEER | 1u << S_IKE_SA},
    {"delete_child", IKH_SCN_DELETE_CHILD,
     1u << S_PEER | 1u << S_IKE_SA | 1u << S_CHILD_SA},
    {"delete_ike", IKH_SCN_DELETE_IKE, 1u << S_PEER | 1u << S_IKE_SA},
    {"liveness", IKH_SCN_LIVENESS, 1u << S_PEER | 1u << S_IKE_SA},
    {"create_child", IKH_SCN_CREATE_CHILD,
     1u << S_PEER | 1u << S_CHILD | 1u << S_IKE_SA},
    {"faults", IKH_SCN_FAULTS, 1u << S_BETWEEN | 1u << S_DIR | 1u << S_FAULTS},
    {"traffic", IKH_SCN_TRAFFIC,
     1u << S_PEER | 1u << S_FROM | 1u << S_TO | 1u << S_PROTO | 1u << S_COUNT |
         1u << S_INTERVAL | 1u << S_SIZE | 1u << S_PORT},
};
#define N_STEP_OPS (sizeof step_ops / sizeof step_ops[0])

/* peer: name -> index. */
static ikh_err scn_peer_ref(scn_ctx *c, yaml_node_t *n, uint8_t *idx)
{
    char name[IKH_IKE_NAME_MAX];
    IKH_TRY(scn_name(c, n, name, sizeof name));
    int r = scn_peer_find(c->out, name);
    if (r < 0)
        return scn_fail(c, n, IKH_ERR_SCN_REF, "no peer named '%s'", name);
    *idx = (uint8_t)r;
    return IKH_OK;
}

/* The FAULTS parts of a step: between, dir, faults. */
static ikh_err step_faults(scn_ctx *c, yaml_node_t *n, yaml_node_t **v,
                           ikh_scn_step *st)
{
    ikh_scenario *s = c->out;
    if (v[S_BETWEEN] == NULL || v[S_FAULTS] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                        "do: faults needs keys 'between' and 'faults'");
    uint8_t a, b;
    size_t old = scn_push_key(c, "between");
    IKH_TRY(scn_between(c, v[S_BETWEEN], &a, &b));
    int li = link_find(s, a, b);
    if (li < 0)
        return scn_fail(c, v[S_BETWEEN], IKH_ERR_SCN_REF,
                        "no link between %s and %s", s->peers[a].name,
                        s->peers[b].name);
    scn_pop(c, old);
    st->link = (uint8_t)li;
    st->dir = IKH_SIM_BOTH;
    if (v[S_DIR] != NULL) {
        char want[IKH_SCN_TEXT_MAX], ab[80], ba[80];
        old = scn_push_key(c, "dir");
        IKH_TRY(scn_text(c, v[S_DIR], want, sizeof want, false));
        dir_name(s, a, b, ab, sizeof ab);
        dir_name(s, b, a, ba, sizeof ba);
        bool fwd = s->links[li].a == a; /* step order = link order */
        if (strcmp(want, "both") == 0)
            st->dir = IKH_SIM_BOTH;
        else if (strcmp(want, ab) == 0)
            st->dir = fwd ? IKH_SIM_AB : IKH_SIM_BA;
        else if (strcmp(want, ba) == 0)
            st->dir = fwd ? IKH_SIM_BA : IKH_SIM_AB;
        else
            return scn_fail(c, v[S_DIR], IKH_ERR_SCN_VALUE,
                            "dir must be both, %s or %s", ab, ba);
        scn_pop(c, old);
    }
    old = scn_push_key(c, "faults");
    IKH_TRY(scn_faults(c, v[S_FAULTS], &st->faults));
    scn_pop(c, old);
    return IKH_OK;
}

/* The TRAFFIC parts of a step: from, to, proto, count, interval, size,
 * port. */
static ikh_err step_traffic(scn_ctx *c, yaml_node_t *n, yaml_node_t **v,
                            ikh_scn_step *st)
{
    if (v[S_FROM] == NULL || v[S_TO] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                        "do: traffic needs keys 'from' and 'to'");
    size_t old = scn_push_key(c, "from");
    IKH_TRY(scn_addr(c, v[S_FROM], &st->src));
    scn_pop(c, old);
    old = scn_push_key(c, "to");
    IKH_TRY(scn_addr(c, v[S_TO], &st->dst));
    scn_pop(c, old);
    if (st->src.family != st->dst.family)
        return scn_fail(c, v[S_TO], IKH_ERR_SCN_VALUE,
                        "from and to must both be IPv4 or both IPv6");
    st->proto = IKH_SCN_ICMP;
    if (v[S_PROTO] != NULL) {
        static const scn_word protos[] = {{"icmp", IKH_SCN_ICMP},
                                          {"udp", IKH_SCN_UDP}};
        uint8_t p = 0;
        old = scn_push_key(c, "proto");
        IKH_TRY(scn_word_of(c, v[S_PROTO], protos, 2, &p));
        st->proto = (ikh_scn_proto)p;
        scn_pop(c, old);
    }
    uint64_t x;
    st->count = 1;
    if (v[S_COUNT] != NULL) {
        old = scn_push_key(c, "count");
        IKH_TRY(scn_uint(c, v[S_COUNT], 1, 1000000, &x));
        st->count = (uint32_t)x;
        scn_pop(c, old);
    }
    st->interval_ms = 100;
    if (v[S_INTERVAL] != NULL) {
        old = scn_push_key(c, "interval");
        IKH_TRY(scn_duration(c, v[S_INTERVAL], 3600000, &x));
        st->interval_ms = (uint32_t)x;
        scn_pop(c, old);
    }
    st->size = 100;
    if (v[S_SIZE] != NULL) {
        old = scn_push_key(c, "size");
        IKH_TRY(scn_uint(c, v[S_SIZE], 64, 9000, &x));
        st->size = (uint16_t)x;
        scn_pop(c, old);
    }
    st->port = 9;
    if (v[S_PORT] != NULL) {
        old = scn_push_key(c, "port");
        IKH_TRY(scn_uint(c, v[S_PORT], 1, 65535, &x));
        st->port = (uint16_t)x;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* The node parts of a step: peer, child, ike_sa, child_sa. */
static ikh_err step_node(scn_ctx *c, yaml_node_t *n, yaml_node_t **v,
                         ikh_scn_step *st)
{
    if (v[S_PEER] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'peer'");
    size_t old = scn_push_key(c, "peer");
    IKH_TRY(scn_peer_ref(c, v[S_PEER], &st->peer));
    scn_pop(c, old);
    const ikh_ike_config *cfg = &c->out->peers[st->peer].cfg;
    if (v[S_CHILD] != NULL) {
        char name[IKH_IKE_NAME_MAX];
        old = scn_push_key(c, "child");
        IKH_TRY(scn_name(c, v[S_CHILD], name, sizeof name));
        size_t k = 0;
        while (k < cfg->n_children && strcmp(cfg->children[k].name, name))
            k++;
        if (k == cfg->n_children)
            return scn_fail(c, v[S_CHILD], IKH_ERR_SCN_REF,
                            "peer %s has no child '%s'",
                            c->out->peers[st->peer].name, name);
        st->child = (uint8_t)k;
        scn_pop(c, old);
    }
    uint64_t x;
    if (v[S_IKE_SA] != NULL) {
        old = scn_push_key(c, "ike_sa");
        IKH_TRY(scn_uint(c, v[S_IKE_SA], 0, UINT32_MAX, &x));
        st->ike_ref = (uint32_t)x;
        scn_pop(c, old);
    }
    if (v[S_CHILD_SA] != NULL) {
        old = scn_push_key(c, "child_sa");
        IKH_TRY(scn_uint(c, v[S_CHILD_SA], 0, UINT32_MAX, &x));
        st->child_ref = (uint32_t)x;
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* One step. */
static ikh_err scn_step(scn_ctx *c, yaml_node_t *n, ikh_scn_step *st)
{
    yaml_node_t *v[S__N];
    IKH_TRY(scn_map(c, n, step_keys, S__N, v, NULL));
    memset(st, 0, sizeof *st);
    st->line = (uint32_t)n->start_mark.line + 1u;
    if (v[S_AT] == NULL || v[S_DO] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key '%s'",
                        v[S_AT] == NULL ? "at" : "do");
    size_t old = scn_push_key(c, "at");
    IKH_TRY(scn_duration(c, v[S_AT], UINT64_MAX - 1, &st->at));
    scn_pop(c, old);
    char what[32];
    old = scn_push_key(c, "do");
    IKH_TRY(scn_text(c, v[S_DO], what, sizeof what, false));
    size_t k = 0;
    while (k < N_STEP_OPS && strcmp(step_ops[k].name, what) != 0)
        k++;
    if (k == N_STEP_OPS)
        return scn_fail(c, v[S_DO], IKH_ERR_SCN_VALUE, "unknown action '%s'",
                        what);
    scn_pop(c, old);
    st->op = step_ops[k].op;
    for (size_t i = S_PEER; i < S__N; i++)
        if (v[i] != NULL && !(step_ops[k].keys & (1u << i)))
            return scn_fail(c, v[i], IKH_ERR_SCN_SCHEMA,
                            "key '%s' does not go with do: %s", step_keys[i],
                            what);
    if (st->op == IKH_SCN_FAULTS)
        return step_faults(c, n, v, st);
    IKH_TRY(step_node(c, n, v, st));
    if (st->op == IKH_SCN_TRAFFIC)
        return step_traffic(c, n, v, st);
    return IKH_OK;
}

ikh_err scn_timeline(scn_ctx *c, yaml_node_t *n)
{
    ikh_scenario *s = c->out;
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *it = scn_seq_at(c, n, i);
        if (i >= IKH_SCN_MAX_STEPS)
            return scn_fail(c, it, IKH_ERR_SCN_LIMIT, "more than %u steps",
                            IKH_SCN_MAX_STEPS);
        size_t old = scn_push_idx(c, i);
        IKH_TRY(scn_step(c, it, &s->steps[i]));
        s->n_steps++;
        scn_pop(c, old);
    }
    /* stable insertion sort by time */
    for (size_t i = 1; i < s->n_steps; i++) {
        ikh_scn_step tmp = s->steps[i];
        size_t k = i;
        while (k > 0 && s->steps[k - 1].at > tmp.at) {
            s->steps[k] = s->steps[k - 1];
            k--;
        }
        s->steps[k] = tmp;
    }
    return IKH_OK;
}

/* Expectation keys. */
enum {
    X_AT,
    X_PEER,
    X_IKE_SA,
    X_CHILD_SA,
    X_NOTIFY,
    X_METRIC,
    X_LOG,
    X_COUNT,
    X__N
};
static const char *const expect_keys[X__N] = {
    "at", "peer", "ike_sa", "child_sa", "notify", "metric", "log", "count"};

/* Printable comparison. */
static const char *cmp_text(ikh_scn_cmp c)
{
    static const char *const t[] = {"==", "!=", ">=", "<=", ">", "<"};
    return (unsigned)c < 6u ? t[c] : "?";
}

/* state: a name of IKH_IKE_STATES / IKH_CHILD_STATES, or "any". */
static ikh_err scn_state(scn_ctx *c, yaml_node_t *n, bool child, int *state)
{
#define IKH_X_(s) #s,
    static const char *const ike_names[] = {IKH_IKE_STATES(IKH_X_)};
    static const char *const child_names[] = {IKH_CHILD_STATES(IKH_X_)};
#undef IKH_X_
    const char *const *names = child ? child_names : ike_names;
    size_t nn = child ? sizeof child_names / sizeof child_names[0]
                      : sizeof ike_names / sizeof ike_names[0];
    char want[IKH_IKE_NAME_MAX];
    IKH_TRY(scn_text(c, n, want, sizeof want, false));
    for (char *p = want; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (strcmp(want, "ANY") == 0) {
        *state = -1;
        return IKH_OK;
    }
    for (size_t i = 0; i < nn; i++) {
        if (strcmp(names[i], want) == 0) {
            *state = (int)i;
            return IKH_OK;
        }
    }
    return scn_fail(c, n, IKH_ERR_SCN_VALUE, "unknown %s state '%s'",
                    child ? "Child SA" : "IKE SA", want);
}

/* Printable state of an expectation. */
static const char *state_text(int state, bool child)
{
#define IKH_X_(s) #s,
    static const char *const ike_names[] = {IKH_IKE_STATES(IKH_X_)};
    static const char *const child_names[] = {IKH_CHILD_STATES(IKH_X_)};
#undef IKH_X_
    if (state < 0)
        return "any";
    return child ? child_names[state] : ike_names[state];
}

/* ike_sa / child_sa: {state, count, suite}. */
static ikh_err x_sa(scn_ctx *c, yaml_node_t *n, bool child, ikh_scn_expect *x,
                    yaml_node_t **count)
{
    static const char *const keys[] = {"state", "count", "suite"};
    yaml_node_t *v[3];
    IKH_TRY(scn_map(c, n, keys, 3, v, NULL));
    x->state = -1;
    x->cmp = IKH_SCN_EQ;
    x->value = 1;
    size_t old;
    if (v[0] != NULL) {
        old = scn_push_key(c, "state");
        IKH_TRY(scn_state(c, v[0], child, &x->state));
        scn_pop(c, old);
    }
    if (v[2] != NULL) {
        old = scn_push_key(c, "suite");
        IKH_TRY(scn_proposal(c, v[2], child, &x->suite));
        x->has_suite = true;
        scn_pop(c, old);
    }
    *count = v[1];
    return IKH_OK;
}

/* notify: {sent|received: NAME or number, count}. */
static ikh_err x_notify(scn_ctx *c, yaml_node_t *n, ikh_scn_expect *x,
                        yaml_node_t **count)
{
    static const char *const keys[] = {"sent", "received", "count"};
    yaml_node_t *v[3];
    IKH_TRY(scn_map(c, n, keys, 3, v, NULL));
    if ((v[0] == NULL) == (v[1] == NULL))
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                        "notify needs exactly one of sent, received");
    x->sent = v[0] != NULL;
    yaml_node_t *t = x->sent ? v[0] : v[1];
    size_t old = scn_push_key(c, x->sent ? "sent" : "received");
    char name[64];
    IKH_TRY(scn_text(c, t, name, sizeof name, false));
    unsigned num = 0;
    uint64_t u;
    if (ikh_name_lookup(IKH_NT_NOTIFY, name, &num)) {
        x->notify = (uint16_t)num;
    } else if (scn_parse_u64(name, strlen(name), &u) && u <= 65535u) {
        x->notify = (uint16_t)u;
    } else {
        return scn_fail(c, t, IKH_ERR_SCN_VALUE, "unknown notify '%s'", name);
    }
    scn_pop(c, old);
    x->cmp = IKH_SCN_GE;
    x->value = 1;
    *count = v[2];
    return IKH_OK;
}

/* metric: {name, value, label}. */
static ikh_err x_metric(scn_ctx *c, yaml_node_t *n, ikh_scn_expect *x)
{
    static const char *const keys[] = {"name", "value", "label"};
    yaml_node_t *v[3];
    IKH_TRY(scn_map(c, n, keys, 3, v, NULL));
    if (v[0] == NULL || v[1] == NULL)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key '%s'",
                        v[0] == NULL ? "name" : "value");
    size_t old = scn_push_key(c, "name");
    IKH_TRY(scn_text(c, v[0], x->metric, sizeof x->metric, false));
    scn_pop(c, old);
    old = scn_push_key(c, "value");
    IKH_TRY(scn_cmp(c, v[1], &x->cmp, &x->value));
    scn_pop(c, old);
    if (v[2] != NULL) {
        old = scn_push_key(c, "label");
        IKH_TRY(scn_text(c, v[2], x->label, sizeof x->label, false));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* log: {ev, <field>: value ...}. */
static ikh_err x_log(scn_ctx *c, yaml_node_t *n, ikh_scn_expect *x)
{
    if (n->type != YAML_MAPPING_NODE)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "expected a mapping");
    bool have_ev = false;
    x->cmp = IKH_SCN_GE;
    x->value = 1;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_node(c, p->key), *v = scn_node(c, p->value);
        if (k == NULL || v == NULL)
            return scn_fail(c, n, IKH_ERR_SCN_SYNTAX, "broken mapping");
        char key[IKH_IKE_NAME_MAX];
        IKH_TRY(scn_text(c, k, key, sizeof key, false));
        size_t old = scn_push_key(c, key);
        if (strcmp(key, "ev") == 0) {
            if (have_ev)
                return scn_fail(c, k, IKH_ERR_SCN_SCHEMA, "duplicate key 'ev'");
            IKH_TRY(scn_text(c, v, x->event, sizeof x->event, false));
            have_ev = true;
        } else {
            for (size_t i = 0; i < x->n_fields; i++)
                if (strcmp(x->fields[i].key, key) == 0)
                    return scn_fail(c, k, IKH_ERR_SCN_SCHEMA,
                                    "duplicate key '%s'", key);
            if (x->n_fields >= IKH_SCN_MAX_FIELDS)
                return scn_fail(c, k, IKH_ERR_SCN_LIMIT,
                                "more than %u log fields", IKH_SCN_MAX_FIELDS);
            ikh_scn_field *f = &x->fields[x->n_fields];
            memcpy(f->key, key, sizeof f->key);
            IKH_TRY(scn_text(c, v, f->value, sizeof f->value, true));
            x->n_fields++;
        }
        scn_pop(c, old);
    }
    if (!have_ev)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'ev'");
    return IKH_OK;
}

/* Append formatted text to buf, cut short at its end. */
static void text_add(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void text_add(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

/* One-line rendering of an expectation. */
static void x_render(const ikh_scenario *s, ikh_scn_expect *x)
{
    char *t = x->text;
    size_t cap = sizeof x->text;
    t[0] = '\0';
    text_add(t, cap, "%s", x->any_peer ? "*" : s->peers[x->peer].name);
    if (x->at != IKH_TIME_NEVER)
        text_add(t, cap, "@%llums", (unsigned long long)x->at);
    text_add(t, cap, ": ");
    bool child = x->kind == IKH_SCN_X_CHILD_SA;
    switch (x->kind) {
    case IKH_SCN_X_IKE_SA:
    case IKH_SCN_X_CHILD_SA:
        text_add(t, cap, "%s state=%s", child ? "child_sa" : "ike_sa",
                 state_text(x->state, child));
        break;
    case IKH_SCN_X_NOTIFY: {
        char nb[IKH_NAME_BUF_LEN];
        text_add(t, cap, "notify %s=%s", x->sent ? "sent" : "received",
                 ikh_name_or(IKH_NT_NOTIFY, x->notify, nb, sizeof nb));
        break;
    }
    case IKH_SCN_X_METRIC:
        text_add(t, cap, "metric %s", x->metric);
        if (x->label[0] != '\0')
            text_add(t, cap, "{%s}", x->label);
        break;
    case IKH_SCN_X_LOG:
        text_add(t, cap, "log ev=%s", x->event);
        for (size_t i = 0; i < x->n_fields; i++)
            text_add(t, cap, " %s=%s", x->fields[i].key, x->fields[i].value);
        break;
    }
    text_add(t, cap, " %s%s%llu",
             x->kind == IKH_SCN_X_METRIC ? "value" : "count", cmp_text(x->cmp),
             (unsigned long long)x->value);
    if (x->has_suite) {
        char sb[IKH_SCN_TEXT_MAX];
        if (ikh_proposal_format(&x->suite, child, sb, sizeof sb) == IKH_OK)
            text_add(t, cap, " suite=%s", sb);
    }
}

/* The kind-specific part of an expectation. */
static ikh_err x_kind(scn_ctx *c, yaml_node_t *n, yaml_node_t **v,
                      ikh_scn_expect *x)
{
    size_t which = X__N, kinds = 0;
    for (size_t k = X_IKE_SA; k <= X_LOG; k++) {
        if (v[k] != NULL) {
            which = k;
            kinds++;
        }
    }
    if (kinds != 1)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA,
                        "an expectation needs exactly one of ike_sa, "
                        "child_sa, notify, metric, log");
    yaml_node_t *inner_count = NULL;
    size_t old = scn_push_key(c, expect_keys[which]);
    switch (which) {
    case X_IKE_SA:
    case X_CHILD_SA:
        x->kind = which == X_IKE_SA ? IKH_SCN_X_IKE_SA : IKH_SCN_X_CHILD_SA;
        IKH_TRY(x_sa(c, v[which], which == X_CHILD_SA, x, &inner_count));
        break;
    case X_NOTIFY:
        x->kind = IKH_SCN_X_NOTIFY;
        IKH_TRY(x_notify(c, v[which], x, &inner_count));
        break;
    case X_METRIC:
        x->kind = IKH_SCN_X_METRIC;
        IKH_TRY(x_metric(c, v[which], x));
        break;
    default:
        x->kind = IKH_SCN_X_LOG;
        IKH_TRY(x_log(c, v[which], x));
        break;
    }
    if (inner_count != NULL) {
        size_t o2 = scn_push_key(c, "count");
        IKH_TRY(scn_cmp(c, inner_count, &x->cmp, &x->value));
        scn_pop(c, o2);
    }
    scn_pop(c, old);
    if (v[X_COUNT] != NULL) {
        if (inner_count != NULL || x->kind == IKH_SCN_X_METRIC)
            return scn_fail(c, v[X_COUNT], IKH_ERR_SCN_SCHEMA,
                            "count given twice (or with metric)");
        old = scn_push_key(c, "count");
        IKH_TRY(scn_cmp(c, v[X_COUNT], &x->cmp, &x->value));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* One expectation. */
static ikh_err scn_expect(scn_ctx *c, yaml_node_t *n, ikh_scn_expect *x)
{
    yaml_node_t *v[X__N];
    IKH_TRY(scn_map(c, n, expect_keys, X__N, v, NULL));
    memset(x, 0, sizeof *x);
    x->line = (uint32_t)n->start_mark.line + 1u;
    x->at = IKH_TIME_NEVER;
    size_t old;
    if (v[X_AT] != NULL) {
        old = scn_push_key(c, "at");
        IKH_TRY(scn_duration(c, v[X_AT], UINT64_MAX - 1, &x->at));
        scn_pop(c, old);
    }
    if (v[X_PEER] != NULL) {
        old = scn_push_key(c, "peer");
        IKH_TRY(scn_peer_ref(c, v[X_PEER], &x->peer));
        scn_pop(c, old);
    }
    IKH_TRY(x_kind(c, n, v, x));
    if (v[X_PEER] == NULL) {
        if (x->kind != IKH_SCN_X_METRIC && x->kind != IKH_SCN_X_LOG)
            return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "missing key 'peer'");
        x->any_peer = true;
    }
    x_render(c->out, x);
    return IKH_OK;
}

ikh_err scn_expects(scn_ctx *c, yaml_node_t *n)
{
    ikh_scenario *s = c->out;
    size_t cnt;
    IKH_TRY(scn_seq(c, n, &cnt));
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *it = scn_seq_at(c, n, i);
        if (i >= IKH_SCN_MAX_EXPECT)
            return scn_fail(c, it, IKH_ERR_SCN_LIMIT,
                            "more than %u expectations", IKH_SCN_MAX_EXPECT);
        size_t old = scn_push_idx(c, i);
        IKH_TRY(scn_expect(c, it, &s->expect[i]));
        s->n_expect++;
        scn_pop(c, old);
    }
    return IKH_OK;
}
