/* SPDX-License-Identifier: MIT */
/*
 * The report command's JSON reader (report_json.h): an iterative parser
 * into one array of nodes (children linked by index) and one pool of
 * decoded strings, both grown by doubling up to the caps of rjson_limits.
 */
#include "report_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF_MAX_BYTES (16u * 1024u * 1024u)
#define DEF_MAX_DEPTH 64u
#define DEF_MAX_NODES 1000000u
#define DEF_MAX_STRING (1024u * 1024u)
#define NUM_TEXT_MAX 64u /* longest number literal accepted */

typedef struct node {
    uint8_t type;
    bool is_int;
    uint32_t key, key_len; /* pool offset of the member key; len */
    uint32_t str, str_len; /* strings and number literals */
    uint32_t first, last;  /* children */
    uint32_t next;         /* sibling */
    uint32_t count;        /* children */
    double num;
    int64_t i64;
} node;

struct rjson_doc {
    node *nodes;
    size_t n_nodes, cap_nodes;
    char *pool;
    size_t n_pool, cap_pool;
};

typedef struct parser {
    const char *buf;
    size_t len, pos;
    rjson_limits lim;
    rjson_doc *d;
    rjson_error *err;
} parser;

static const char *const errc_names[] = {
    "ok",     "argument",  "too big",  "out of memory", "depth",  "nodes",
    "string", "truncated", "token",    "number",        "escape", "surrogate",
    "utf-8",  "control",   "trailing", "empty",
};

const char *rjson_errc_name(rjson_errc e)
{
    if ((unsigned)e < sizeof errc_names / sizeof errc_names[0])
        return errc_names[e];
    return "unknown";
}

/* Fill err at offset off; line and column from the text before it. */
static rjson_errc fail(parser *p, size_t off, rjson_errc code, const char *msg)
{
    if (p->err == NULL)
        return code;
    if (off > p->len)
        off = p->len;
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = (unsigned char)p->buf[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    p->err->code = code;
    p->err->line = line;
    p->err->col = col;
    p->err->offset = off;
    snprintf(p->err->msg, sizeof p->err->msg, "%s", msg);
    return code;
}

static rjson_errc new_node(parser *p, uint8_t type, uint32_t *out)
{
    rjson_doc *d = p->d;
    if (d->n_nodes >= p->lim.max_nodes)
        return fail(p, p->pos, RJSON_E_NODES, "more values than the limit");
    if (d->n_nodes == d->cap_nodes) {
        size_t cap = d->cap_nodes ? d->cap_nodes * 2 : 64;
        if (cap > p->lim.max_nodes)
            cap = p->lim.max_nodes;
        node *nn = realloc(d->nodes, cap * sizeof *nn);
        if (nn == NULL)
            return fail(p, p->pos, RJSON_E_NOMEM, "out of memory");
        d->nodes = nn;
        d->cap_nodes = cap;
    }
    node *n = &d->nodes[d->n_nodes];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->first = n->last = n->next = RJSON_NONE;
    n->key = UINT32_MAX;
    *out = (uint32_t)d->n_nodes++;
    return RJSON_OK;
}

/* Room for add more octets in the pool. */
static rjson_errc pool_reserve(parser *p, size_t add)
{
    rjson_doc *d = p->d;
    if (d->n_pool + add <= d->cap_pool)
        return RJSON_OK;
    size_t cap = d->cap_pool ? d->cap_pool : 256;
    while (cap < d->n_pool + add) {
        if (cap > (size_t)UINT32_MAX / 2)
            return fail(p, p->pos, RJSON_E_TOO_BIG, "strings too large");
        cap *= 2;
    }
    char *np = realloc(d->pool, cap);
    if (np == NULL)
        return fail(p, p->pos, RJSON_E_NOMEM, "out of memory");
    d->pool = np;
    d->cap_pool = cap;
    return RJSON_OK;
}

static void put_utf8(char *o, size_t *n, uint32_t cp)
{
    if (cp < 0x80) {
        o[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        o[(*n)++] = (char)(0xC0 | cp >> 6);
        o[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[(*n)++] = (char)(0xE0 | cp >> 12);
        o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        o[(*n)++] = (char)(0xF0 | cp >> 18);
        o[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Four hex digits at p->pos; -1 when not. */
static long hex4(const parser *p, size_t at)
{
    if (at + 4 > p->len)
        return -1;
    long v = 0;
    for (size_t i = 0; i < 4; i++) {
        char c = p->buf[at + i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* One \u escape (p->pos at the 'u'), pairs included; *cp out. */
static rjson_errc unicode_escape(parser *p, uint32_t *cp)
{
    size_t at = p->pos - 1; /* the backslash */
    long v = hex4(p, p->pos + 1);
    if (v < 0)
        return p->pos + 5 > p->len
                   ? fail(p, p->len, RJSON_E_TRUNCATED,
                          "input ends inside a \\u escape")
                   : fail(p, at, RJSON_E_ESCAPE,
                          "\\u must be followed by four hex digits");
    p->pos += 5;
    if (v >= 0xDC00 && v <= 0xDFFF)
        return fail(p, at, RJSON_E_SURROGATE,
                    "\\u escape of a low surrogate without a high one");
    if (v >= 0xD800 && v <= 0xDBFF) {
        long lo = -1;
        if (p->pos + 1 < p->len && p->buf[p->pos] == '\\' &&
            p->buf[p->pos + 1] == 'u')
            lo = hex4(p, p->pos + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(p, at, RJSON_E_SURROGATE,
                        "\\u escape of a high surrogate not followed by a "
                        "low one");
        p->pos += 6;
        *cp =
            0x10000 + (((uint32_t)v - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
        return RJSON_OK;
    }
    *cp = (uint32_t)v;
    return RJSON_OK;
}

/* Length of a valid UTF-8 sequence at s (n octets left), else 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t k;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/* A string at p->pos (the opening quote) into the pool: *off, *out_len. */
static rjson_errc parse_string(parser *p, uint32_t *off, uint32_t *out_len)
{
    size_t start = p->pos++;
    /* decoded is never longer than the source: reserve for the worst case
     * up to the string cap */
    size_t end = p->pos;
    while (end < p->len && p->buf[end] != '"') {
        if (p->buf[end] == '\\')
            end++;
        end++;
    }
    size_t room = (end < p->len ? end : p->len) - p->pos;
    if (room > p->lim.max_string + 12)
        room = p->lim.max_string + 12;
    rjson_errc e = pool_reserve(p, room + 1);
    if (e != RJSON_OK)
        return e;
    char *o = p->d->pool + p->d->n_pool;
    size_t n = 0;
    for (;;) {
        if (p->pos >= p->len)
            return fail(p, p->len, RJSON_E_TRUNCATED,
                        "input ends inside a string");
        if (n > p->lim.max_string)
            return fail(p, start, RJSON_E_STRING,
                        "string longer than the limit");
        unsigned char c = (unsigned char)p->buf[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20)
            return fail(p, p->pos, RJSON_E_CONTROL,
                        "control character in a string (escape it)");
        if (c == '\\') {
            if (p->pos + 1 >= p->len)
                return fail(p, p->len, RJSON_E_TRUNCATED,
                            "input ends inside an escape");
            char x = p->buf[++p->pos];
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *hit = x ? strchr(from, x) : NULL;
            if (hit != NULL) {
                o[n++] = to[hit - from];
                p->pos++;
            } else if (x == 'u') {
                uint32_t cp = 0;
                e = unicode_escape(p, &cp);
                if (e != RJSON_OK)
                    return e;
                put_utf8(o, &n, cp);
            } else {
                return fail(p, p->pos - 1, RJSON_E_ESCAPE,
                            "unknown escape (allowed: \\\" \\\\ \\/ \\b \\f "
                            "\\n \\r \\t \\uXXXX)");
            }
            continue;
        }
        if (c < 0x80) {
            o[n++] = (char)c;
            p->pos++;
            continue;
        }
        size_t k =
            utf8_len((const unsigned char *)p->buf + p->pos, p->len - p->pos);
        if (k == 0)
            return fail(p, p->pos, RJSON_E_UTF8, "invalid UTF-8 in a string");
        memcpy(o + n, p->buf + p->pos, k);
        n += k;
        p->pos += k;
    }
    if (n > p->lim.max_string)
        return fail(p, start, RJSON_E_STRING, "string longer than the limit");
    o[n] = '\0';
    *off = (uint32_t)p->d->n_pool;
    *out_len = (uint32_t)n;
    p->d->n_pool += n + 1;
    return RJSON_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number at p->pos into node v. */
static rjson_errc parse_number(parser *p, uint32_t v)
{
    size_t s = p->pos, i = p->pos;
    bool integral = true;
    if (i < p->len && p->buf[i] == '-')
        i++;
    if (i >= p->len)
        return fail(p, p->len, RJSON_E_TRUNCATED, "input ends inside a number");
    if (p->buf[i] == '0') {
        i++;
        if (i < p->len && is_digit(p->buf[i]))
            return fail(p, i, RJSON_E_NUMBER, "leading zero in a number");
    } else if (is_digit(p->buf[i])) {
        while (i < p->len && is_digit(p->buf[i]))
            i++;
    } else {
        return fail(p, i, RJSON_E_NUMBER, "a digit must follow '-'");
    }
    if (i < p->len && p->buf[i] == '.') {
        integral = false;
        i++;
        if (i >= p->len)
            return fail(p, p->len, RJSON_E_TRUNCATED,
                        "input ends inside a number");
        if (!is_digit(p->buf[i]))
            return fail(p, i, RJSON_E_NUMBER, "a digit must follow '.'");
        while (i < p->len && is_digit(p->buf[i]))
            i++;
    }
    if (i < p->len && (p->buf[i] == 'e' || p->buf[i] == 'E')) {
        integral = false;
        i++;
        if (i < p->len && (p->buf[i] == '+' || p->buf[i] == '-'))
            i++;
        if (i >= p->len)
            return fail(p, p->len, RJSON_E_TRUNCATED,
                        "input ends inside a number");
        if (!is_digit(p->buf[i]))
            return fail(p, i, RJSON_E_NUMBER,
                        "a digit must follow the exponent");
        while (i < p->len && is_digit(p->buf[i]))
            i++;
    }
    size_t n = i - s;
    if (n > NUM_TEXT_MAX)
        return fail(p, s, RJSON_E_NUMBER, "number literal longer than 64");
    char tmp[NUM_TEXT_MAX + 1];
    memcpy(tmp, p->buf + s, n);
    tmp[n] = '\0';
    double d = strtod(tmp, NULL);
    if (!isfinite(d))
        return fail(p, s, RJSON_E_NUMBER, "number out of the double range");
    rjson_errc e = pool_reserve(p, n + 1);
    if (e != RJSON_OK)
        return e;
    node *nd = &p->d->nodes[v];
    memcpy(p->d->pool + p->d->n_pool, tmp, n + 1);
    nd->str = (uint32_t)p->d->n_pool;
    nd->str_len = (uint32_t)n;
    p->d->n_pool += n + 1;
    nd->num = d;
    if (integral) {
        /* exact int64 when it fits */
        bool neg = tmp[0] == '-';
        uint64_t acc = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
        bool ok = true;
        for (size_t k = neg; k < n && ok; k++) {
            uint64_t dg = (uint64_t)(tmp[k] - '0');
            if (acc > (lim - dg) / 10)
                ok = false;
            else
                acc = acc * 10 + dg;
        }
        if (ok) {
            nd->is_int = true;
            nd->i64 = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                                            : -(int64_t)acc)
                          : (int64_t)acc;
        }
    }
    p->pos = i;
    return RJSON_OK;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->buf[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/* Match a literal word (true, false, null). */
static rjson_errc literal(parser *p, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++) {
        if (p->pos + i >= p->len)
            return fail(p, p->len, RJSON_E_TRUNCATED,
                        "input ends inside a literal");
        if (p->buf[p->pos + i] != w[i])
            return fail(p, p->pos, RJSON_E_TOKEN,
                        "expected a value (true, false, null, a number, a "
                        "string, [ or {)");
    }
    p->pos += n;
    return RJSON_OK;
}

/* Link child c under parent (RJSON_NONE: the root). */
static void attach(rjson_doc *d, uint32_t parent, uint32_t c)
{
    if (parent == RJSON_NONE)
        return;
    node *pn = &d->nodes[parent];
    if (pn->last == RJSON_NONE)
        pn->first = c;
    else
        d->nodes[pn->last].next = c;
    pn->last = c;
    pn->count++;
}

/* The parse loop: value, then what may follow it, with a stack of open
 * containers. */
static rjson_errc parse_doc(parser *p)
{
    uint32_t *stack = malloc((p->lim.max_depth + 1) * sizeof *stack);
    if (stack == NULL)
        return fail(p, 0, RJSON_E_NOMEM, "out of memory");
    unsigned depth = 0;
    uint32_t key = UINT32_MAX, key_len = 0;
    rjson_errc e = RJSON_OK;
    skip_ws(p);
    if (p->pos >= p->len) {
        e = fail(p, p->pos, RJSON_E_EMPTY, "no JSON value");
        goto out;
    }
value:
    skip_ws(p);
    if (p->pos >= p->len) {
        e = fail(p, p->len, RJSON_E_TRUNCATED,
                 "input ends where a value "
                 "should be");
        goto out;
    }
    {
        uint32_t parent = depth ? stack[depth - 1] : RJSON_NONE;
        char c = p->buf[p->pos];
        uint8_t t = c == '{'                    ? RJSON_OBJECT
                    : c == '['                  ? RJSON_ARRAY
                    : c == '"'                  ? RJSON_STRING
                    : c == 't'                  ? RJSON_TRUE
                    : c == 'f'                  ? RJSON_FALSE
                    : c == 'n'                  ? RJSON_NULL
                    : (c == '-' || is_digit(c)) ? RJSON_NUMBER
                                                : RJSON_ABSENT;
        if (t == RJSON_ABSENT) {
            e = fail(p, p->pos, RJSON_E_TOKEN,
                     "expected a value (true, false, null, a number, a "
                     "string, [ or {)");
            goto out;
        }
        uint32_t v = 0;
        e = new_node(p, t, &v);
        if (e != RJSON_OK)
            goto out;
        p->d->nodes[v].key = key;
        p->d->nodes[v].key_len = key_len;
        key = UINT32_MAX;
        attach(p->d, parent, v);
        if (t == RJSON_OBJECT || t == RJSON_ARRAY) {
            if (depth >= p->lim.max_depth) {
                e = fail(p, p->pos, RJSON_E_DEPTH,
                         "nesting deeper than the limit");
                goto out;
            }
            stack[depth++] = v;
            p->pos++;
            skip_ws(p);
            if (p->pos < p->len &&
                p->buf[p->pos] == (t == RJSON_OBJECT ? '}' : ']')) {
                p->pos++;
                depth--;
                goto after;
            }
            if (t == RJSON_OBJECT)
                goto member;
            goto value;
        }
        if (t == RJSON_STRING) {
            uint32_t so, sl;
            e = parse_string(p, &so, &sl);
            if (e != RJSON_OK)
                goto out;
            p->d->nodes[v].str = so;
            p->d->nodes[v].str_len = sl;
        } else if (t == RJSON_NUMBER) {
            e = parse_number(p, v);
        } else {
            e = literal(p, t == RJSON_TRUE    ? "true"
                           : t == RJSON_FALSE ? "false"
                                              : "null");
        }
        if (e != RJSON_OK)
            goto out;
    }
after:
    skip_ws(p);
    if (depth == 0) {
        if (p->pos < p->len)
            e = fail(p, p->pos, RJSON_E_TRAILING,
                     "something after the JSON value");
        goto out;
    }
    if (p->pos >= p->len) {
        e = fail(p, p->len, RJSON_E_TRUNCATED,
                 "input ends inside an array or object");
        goto out;
    }
    {
        bool obj = p->d->nodes[stack[depth - 1]].type == RJSON_OBJECT;
        char c = p->buf[p->pos];
        if (c == ',') {
            p->pos++;
            if (obj)
                goto member;
            goto value;
        }
        if (c == (obj ? '}' : ']')) {
            p->pos++;
            depth--;
            goto after;
        }
        e = fail(p, p->pos, RJSON_E_TOKEN,
                 obj ? "expected ',' or '}' after an object member"
                     : "expected ',' or ']' after an array element");
        goto out;
    }
member:
    skip_ws(p);
    if (p->pos >= p->len) {
        e = fail(p, p->len, RJSON_E_TRUNCATED, "input ends inside an object");
        goto out;
    }
    if (p->buf[p->pos] != '"') {
        e = fail(p, p->pos, RJSON_E_TOKEN, "expected a string key");
        goto out;
    }
    e = parse_string(p, &key, &key_len);
    if (e != RJSON_OK)
        goto out;
    skip_ws(p);
    if (p->pos >= p->len) {
        e = fail(p, p->len, RJSON_E_TRUNCATED, "input ends after a key");
        goto out;
    }
    if (p->buf[p->pos] != ':') {
        e = fail(p, p->pos, RJSON_E_TOKEN, "expected ':' after a key");
        goto out;
    }
    p->pos++;
    goto value;
out:
    free(stack);
    return e;
}

rjson_errc rjson_parse(const char *buf, size_t len, const rjson_limits *lim,
                       rjson_doc **out, rjson_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.err = err;
    if (err != NULL)
        memset(err, 0, sizeof *err);
    if (out == NULL || (buf == NULL && len > 0))
        return fail(&p, 0, RJSON_E_ARG, "no input or no output");
    *out = NULL;
    p.buf = buf ? buf : "";
    p.len = len;
    if (lim != NULL)
        p.lim = *lim;
    if (p.lim.max_bytes == 0)
        p.lim.max_bytes = DEF_MAX_BYTES;
    if (p.lim.max_depth == 0)
        p.lim.max_depth = DEF_MAX_DEPTH;
    if (p.lim.max_nodes == 0 || p.lim.max_nodes > RJSON_NONE - 1)
        p.lim.max_nodes = DEF_MAX_NODES;
    if (p.lim.max_string == 0)
        p.lim.max_string = DEF_MAX_STRING;
    if (len > p.lim.max_bytes)
        return fail(&p, 0, RJSON_E_TOO_BIG, "input larger than the limit");
    p.d = calloc(1, sizeof *p.d);
    if (p.d == NULL)
        return fail(&p, 0, RJSON_E_NOMEM, "out of memory");
    rjson_errc e = parse_doc(&p);
    if (e != RJSON_OK) {
        rjson_free(p.d);
        return e;
    }
    *out = p.d;
    return RJSON_OK;
}

void rjson_free(rjson_doc *d)
{
    if (d == NULL)
        return;
    free(d->nodes);
    free(d->pool);
    free(d);
}

static const node *at(const rjson_doc *d, rjson_ref v)
{
    if (d == NULL || v == RJSON_NONE || v >= d->n_nodes)
        return NULL;
    return &d->nodes[v];
}

rjson_type rjson_type_of(const rjson_doc *d, rjson_ref v)
{
    const node *n = at(d, v);
    return n ? (rjson_type)n->type : RJSON_ABSENT;
}

rjson_ref rjson_first(const rjson_doc *d, rjson_ref v)
{
    const node *n = at(d, v);
    if (n == NULL || (n->type != RJSON_ARRAY && n->type != RJSON_OBJECT))
        return RJSON_NONE;
    return n->first;
}

rjson_ref rjson_next(const rjson_doc *d, rjson_ref v)
{
    const node *n = at(d, v);
    return n ? n->next : RJSON_NONE;
}

size_t rjson_count(const rjson_doc *d, rjson_ref v)
{
    const node *n = at(d, v);
    if (n == NULL || (n->type != RJSON_ARRAY && n->type != RJSON_OBJECT))
        return 0;
    return n->count;
}

rjson_ref rjson_get(const rjson_doc *d, rjson_ref obj, const char *key)
{
    const node *n = at(d, obj);
    if (n == NULL || n->type != RJSON_OBJECT || key == NULL)
        return RJSON_NONE;
    size_t kl = strlen(key);
    for (rjson_ref c = n->first; c != RJSON_NONE; c = d->nodes[c].next) {
        const node *m = &d->nodes[c];
        if (m->key_len == kl && memcmp(d->pool + m->key, key, kl) == 0)
            return c;
    }
    return RJSON_NONE;
}

const char *rjson_key(const rjson_doc *d, rjson_ref v, size_t *len)
{
    const node *n = at(d, v);
    if (n == NULL || n->key == UINT32_MAX)
        return NULL;
    if (len)
        *len = n->key_len;
    return d->pool + n->key;
}

const char *rjson_str(const rjson_doc *d, rjson_ref v, size_t *len)
{
    const node *n = at(d, v);
    if (n == NULL || n->type != RJSON_STRING)
        return NULL;
    if (len)
        *len = n->str_len;
    return d->pool + n->str;
}

bool rjson_num(const rjson_doc *d, rjson_ref v, double *out)
{
    const node *n = at(d, v);
    if (n == NULL || n->type != RJSON_NUMBER)
        return false;
    *out = n->num;
    return true;
}

bool rjson_int(const rjson_doc *d, rjson_ref v, int64_t *out)
{
    const node *n = at(d, v);
    if (n == NULL || n->type != RJSON_NUMBER || !n->is_int)
        return false;
    *out = n->i64;
    return true;
}

const char *rjson_num_text(const rjson_doc *d, rjson_ref v, size_t *len)
{
    const node *n = at(d, v);
    if (n == NULL || n->type != RJSON_NUMBER)
        return NULL;
    if (len)
        *len = n->str_len;
    return d->pool + n->str;
}

const char *rjson_get_str(const rjson_doc *d, rjson_ref obj, const char *key,
                          const char *def)
{
    const char *s = rjson_str(d, rjson_get(d, obj, key), NULL);
    return s ? s : def;
}

int64_t rjson_get_int(const rjson_doc *d, rjson_ref obj, const char *key,
                      int64_t def)
{
    int64_t v;
    return rjson_int(d, rjson_get(d, obj, key), &v) ? v : def;
}
