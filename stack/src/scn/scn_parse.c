/* SPDX-License-Identifier: MIT */
/*
 * Scenario files (ikh/scenario.h, docs/scenario-format.md): the entry
 * point and the walk helpers. The text is first run through libyaml's
 * event parser to reject what the schema never needs and a hostile file
 * could abuse (NUL octets, aliases, several documents, nesting deeper
 * than SCN_MAX_DEPTH), then loaded as a document and walked key by key.
 * Every error names its line, column and the path of the key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scn/scn_int.h"

/* Append s to buf (size cap, NUL-terminated), cut short at its end. */
static void str_add(char *buf, size_t cap, const char *s)
{
    size_t len = strlen(buf), n = strlen(s);
    if (len + n >= cap)
        n = cap - 1 - len;
    memcpy(buf + len, s, n);
    buf[len + n] = '\0';
}

ikh_err scn_fail(scn_ctx *c, const yaml_node_t *n, ikh_err e, const char *fmt,
                 ...)
{
    ikh_scn_diag *d = c->diag;
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    d->err = e;
    d->line = n != NULL ? (uint32_t)n->start_mark.line + 1u : 0u;
    d->column = n != NULL ? (uint32_t)n->start_mark.column + 1u : 0u;
    d->msg[0] = '\0';
    if (n != NULL)
        snprintf(d->msg, sizeof d->msg,
                 "line %u, column %u: ", (unsigned)d->line,
                 (unsigned)d->column);
    str_add(d->msg, sizeof d->msg, c->path_len > 0 ? c->path : "(top)");
    str_add(d->msg, sizeof d->msg, ": ");
    str_add(d->msg, sizeof d->msg, what);
    for (char *q = d->msg; *q != '\0'; q++) /* one line, printable */
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = '?';
    return e;
}

/* Append text to the path, cut short when it does not fit. */
static void path_add(scn_ctx *c, const char *s)
{
    size_t n = strlen(s);
    if (c->path_len + n >= sizeof c->path)
        n = sizeof c->path - 1 - c->path_len;
    memcpy(c->path + c->path_len, s, n);
    c->path_len += n;
    c->path[c->path_len] = '\0';
}

size_t scn_push_key(scn_ctx *c, const char *name)
{
    size_t old = c->path_len;
    if (old > 0)
        path_add(c, ".");
    path_add(c, name);
    return old;
}

size_t scn_push_idx(scn_ctx *c, size_t i)
{
    size_t old = c->path_len;
    char tmp[24];
    snprintf(tmp, sizeof tmp, "[%zu]", i);
    path_add(c, tmp);
    return old;
}

void scn_pop(scn_ctx *c, size_t len)
{
    c->path_len = len;
    c->path[len] = '\0';
}

yaml_node_t *scn_node(scn_ctx *c, int idx)
{
    return yaml_document_get_node(c->doc, idx);
}

/* Name of a node kind for messages. */
static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

ikh_err scn_map(scn_ctx *c, yaml_node_t *n, const char *const *keys,
                size_t n_keys, yaml_node_t **vals, yaml_node_t **knodes)
{
    uint64_t seen = 0;
    for (size_t i = 0; i < n_keys; i++) {
        vals[i] = NULL;
        if (knodes != NULL)
            knodes[i] = NULL;
    }
    if (n->type != YAML_MAPPING_NODE)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "expected a mapping, got %s",
                        kind_name(n));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_node(c, p->key), *v = scn_node(c, p->value);
        if (k == NULL || v == NULL)
            return scn_fail(c, n, IKH_ERR_SCN_SYNTAX, "broken mapping");
        if (k->type != YAML_SCALAR_NODE)
            return scn_fail(c, k, IKH_ERR_SCN_SCHEMA, "keys must be scalars");
        const char *ks = (const char *)k->data.scalar.value;
        size_t kl = k->data.scalar.length;
        size_t i = 0;
        while (i < n_keys &&
               !(strlen(keys[i]) == kl && memcmp(keys[i], ks, kl) == 0))
            i++;
        if (i == n_keys) {
            return scn_fail(c, k, IKH_ERR_SCN_SCHEMA, "unknown key '%.*s'",
                            (int)(kl > 40 ? 40 : kl), ks);
        }
        if (seen & ((uint64_t)1 << i))
            return scn_fail(c, k, IKH_ERR_SCN_SCHEMA, "duplicate key '%s'",
                            keys[i]);
        seen |= (uint64_t)1 << i;
        vals[i] = v;
        if (knodes != NULL)
            knodes[i] = k;
    }
    return IKH_OK;
}

ikh_err scn_seq(scn_ctx *c, yaml_node_t *n, size_t *count)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return scn_fail(c, n, IKH_ERR_SCN_SCHEMA, "expected a list, got %s",
                        kind_name(n));
    *count =
        (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    return IKH_OK;
}

yaml_node_t *scn_seq_at(scn_ctx *c, yaml_node_t *n, size_t i)
{
    return scn_node(c, n->data.sequence.items.start[i]);
}

/* Line and column (1-based) of offset off in buf. */
static void pos_of(const char *buf, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, cl = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            cl = 1;
        } else {
            cl++;
        }
    }
    *line = l;
    *col = cl;
}

/* Error from a libyaml parser (syntax). */
static ikh_err yaml_fail(scn_ctx *c, const yaml_parser_t *p)
{
    yaml_node_t fake;
    memset(&fake, 0, sizeof fake);
    fake.start_mark = p->problem_mark;
    const char *what = p->problem != NULL ? p->problem : "not YAML";
    if (p->error == YAML_MEMORY_ERROR)
        what = "out of memory";
    if (p->context != NULL)
        return scn_fail(c, &fake, IKH_ERR_SCN_SYNTAX, "%s %s", what,
                        p->context);
    return scn_fail(c, &fake, IKH_ERR_SCN_SYNTAX, "%s", what);
}

/* Event pass: depth, aliases, one document. */
static ikh_err prescan(scn_ctx *c, const char *buf, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return scn_fail(c, NULL, IKH_ERR_SCN_SYNTAX, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    ikh_err e = IKH_OK;
    unsigned depth = 0, docs = 0;
    bool done = false;
    while (!done && e == IKH_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            e = yaml_fail(c, &p);
            break;
        }
        yaml_node_t at;
        memset(&at, 0, sizeof at);
        at.start_mark = ev.start_mark;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                e = scn_fail(c, &at, IKH_ERR_SCN_SYNTAX,
                             "more than one document");
            break;
        case YAML_ALIAS_EVENT:
            e = scn_fail(c, &at, IKH_ERR_SCN_SCHEMA,
                         "aliases are not supported");
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > SCN_MAX_DEPTH)
                e = scn_fail(c, &at, IKH_ERR_SCN_LIMIT,
                             "nested deeper than %u levels", SCN_MAX_DEPTH);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return e;
}

/* Top-level keys. */
enum {
    T_NAME,
    T_DESC,
    T_SEED,
    T_DURATION,
    T_PEERS,
    T_LINKS,
    T_TIMELINE,
    T_EXPECT,
    T__N
};
static const char *const top_keys[T__N] = {"name",     "description", "seed",
                                           "duration", "peers",       "links",
                                           "timeline", "expect"};

/* Walk the document root. */
static ikh_err walk_root(scn_ctx *c, yaml_node_t *root)
{
    yaml_node_t *v[T__N];
    IKH_TRY(scn_map(c, root, top_keys, T__N, v, NULL));
    ikh_scenario *s = c->out;
    s->seed = 1;
    s->duration = 600000;
    size_t old;
    if (v[T_NAME] == NULL)
        return scn_fail(c, root, IKH_ERR_SCN_SCHEMA, "missing key 'name'");
    if (v[T_PEERS] == NULL)
        return scn_fail(c, root, IKH_ERR_SCN_SCHEMA, "missing key 'peers'");
    old = scn_push_key(c, "name");
    IKH_TRY(scn_text(c, v[T_NAME], s->name, sizeof s->name, false));
    scn_pop(c, old);
    if (v[T_DESC] != NULL) {
        old = scn_push_key(c, "description");
        IKH_TRY(scn_text(c, v[T_DESC], s->description, sizeof s->description,
                         true));
        scn_pop(c, old);
    }
    if (v[T_SEED] != NULL) {
        old = scn_push_key(c, "seed");
        IKH_TRY(scn_uint(c, v[T_SEED], 0, UINT64_MAX, &s->seed));
        scn_pop(c, old);
    }
    if (v[T_DURATION] != NULL) {
        old = scn_push_key(c, "duration");
        IKH_TRY(scn_duration(c, v[T_DURATION], UINT64_MAX - 1, &s->duration));
        scn_pop(c, old);
    }
    old = scn_push_key(c, "peers");
    IKH_TRY(scn_peers(c, v[T_PEERS]));
    IKH_TRY(scn_peers_resolve(c));
    scn_pop(c, old);
    if (v[T_LINKS] != NULL) {
        old = scn_push_key(c, "links");
        IKH_TRY(scn_links(c, v[T_LINKS]));
        scn_pop(c, old);
    }
    if (v[T_TIMELINE] != NULL) {
        old = scn_push_key(c, "timeline");
        IKH_TRY(scn_timeline(c, v[T_TIMELINE]));
        scn_pop(c, old);
    }
    if (v[T_EXPECT] != NULL) {
        old = scn_push_key(c, "expect");
        IKH_TRY(scn_expects(c, v[T_EXPECT]));
        scn_pop(c, old);
    }
    return IKH_OK;
}

/* Load the document and walk it. */
static ikh_err load_and_walk(scn_ctx *c, const char *buf, size_t len)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p))
        return scn_fail(c, NULL, IKH_ERR_SCN_SYNTAX, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&p, &doc)) {
        ikh_err e = yaml_fail(c, &p);
        yaml_parser_delete(&p);
        return e;
    }
    c->doc = &doc;
    ikh_err e;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL)
        e = scn_fail(c, NULL, IKH_ERR_SCN_SCHEMA, "empty file");
    else
        e = walk_root(c, root);
    c->doc = NULL;
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return e;
}

ikh_err ikh_scn_parse(const char *buf, size_t len, ikh_scenario *out,
                      ikh_scn_diag *diag)
{
    ikh_scn_diag dummy;
    scn_ctx c;
    memset(&c, 0, sizeof c);
    c.diag = diag != NULL ? diag : &dummy;
    memset(c.diag, 0, sizeof *c.diag);
    if (out == NULL || (buf == NULL && len > 0))
        return scn_fail(&c, NULL, IKH_ERR_ARG_INVALID, "no buffer");
    memset(out, 0, sizeof *out);
    c.out = out;
    if (len > IKH_SCN_FILE_MAX)
        return scn_fail(&c, NULL, IKH_ERR_IO_TOO_BIG,
                        "file larger than %u octets", IKH_SCN_FILE_MAX);
    const char *nul = len > 0 ? memchr(buf, 0, len) : NULL;
    if (nul != NULL) {
        ikh_err e = scn_fail(&c, NULL, IKH_ERR_SCN_SYNTAX, "NUL octet");
        pos_of(buf, (size_t)(nul - buf), &c.diag->line, &c.diag->column);
        snprintf(c.diag->msg, sizeof c.diag->msg,
                 "line %u, column %u: NUL octet in the file",
                 (unsigned)c.diag->line, (unsigned)c.diag->column);
        return e;
    }
    ikh_err e = prescan(&c, len > 0 ? buf : "", len);
    if (e == IKH_OK)
        e = load_and_walk(&c, len > 0 ? buf : "", len);
    if (e != IKH_OK)
        memset(out, 0, sizeof *out);
    return e;
}
