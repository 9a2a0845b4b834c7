/* SPDX-License-Identifier: MIT */
/*
 * The HTML report of a run folder (report.h): reads the folder's files
 * (JSON through report_json.h, the capture through pcap.h and wire.h,
 * decrypted with capdec.h) and writes one self-contained page. Sections, in
 * file order: output helpers (every string from an input file goes through
 * html_n()/html(), every link through href()), events.jsonl, the capture
 * and its ladders, the page pieces, interop and fuzz, kind detection, the
 * index page, and the hook that sim, peer and replay call.
 */
/* realpath() */
#define _XOPEN_SOURCE 700

#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikh/capdec.h"
#include "ikh/fileio.h"
#include "ikh/names.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"
#include "report_json.h"

#define EV_KEEP_MAX 20000u /* events kept for the page */
#define EV_LINE_MAX 65536u /* longest events.jsonl line parsed */
#define EV_SHOW_MAX 500u   /* warn/error events listed */
#define LIFE_ROWS_MAX 64u  /* rows of the lifecycle chart */
#define PLS_MAX 200u       /* payload list text of one arrow */

/* ---- output helpers ---------------------------------------------------- */

/* HTML text and attribute escaping: & < > " ' always; control characters
 * other than tab and LF, and invalid UTF-8, become U+FFFD. */
static void html_n(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '&') {
            fputs("&amp;", f);
        } else if (c == '<') {
            fputs("&lt;", f);
        } else if (c == '>') {
            fputs("&gt;", f);
        } else if (c == '"') {
            fputs("&quot;", f);
        } else if (c == '\'') {
            fputs("&#39;", f);
        } else if (c < 0x20 && c != '\t' && c != '\n') {
            fputs("&#xFFFD;", f);
        } else if (c == 0x7F) {
            fputs("&#xFFFD;", f);
        } else if (c >= 0x80) {
            size_t k = c >= 0xC2 && c <= 0xDF   ? 2
                       : c >= 0xE0 && c <= 0xEF ? 3
                       : c >= 0xF0 && c <= 0xF4 ? 4
                                                : 0;
            bool ok = k > 0 && i + k <= n;
            for (size_t j = 1; ok && j < k; j++)
                ok = (p[i + j] & 0xC0) == 0x80;
            if (!ok) {
                fputs("&#xFFFD;", f);
                i++;
                continue;
            }
            fwrite(p + i, 1, k, f);
            i += k;
            continue;
        } else {
            fputc(c, f);
        }
        i++;
    }
}

static void html(FILE *f, const char *s)
{
    if (s != NULL)
        html_n(f, s, strlen(s));
}

/* A relative href: octets outside [A-Za-z0-9._~/-] percent-encoded (so no
 * quote, colon or scheme can get in). */
static void href(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' ||
            c == '/' || c == '-')
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
}

/* A JSON value's text for a table cell (strings escaped, numbers as
 * written, containers summarised). */
static void html_json(FILE *f, const rjson_doc *d, rjson_ref v)
{
    size_t n = 0;
    const char *s;
    switch (rjson_type_of(d, v)) {
    case RJSON_STRING:
        s = rjson_str(d, v, &n);
        html_n(f, s, n);
        break;
    case RJSON_NUMBER:
        s = rjson_num_text(d, v, &n);
        html_n(f, s, n);
        break;
    case RJSON_TRUE:
        fputs("true", f);
        break;
    case RJSON_FALSE:
        fputs("false", f);
        break;
    case RJSON_NULL:
        fputs("null", f);
        break;
    case RJSON_ARRAY:
        fprintf(f, "[%zu items]", rjson_count(d, v));
        break;
    case RJSON_OBJECT:
        fprintf(f, "{%zu keys}", rjson_count(d, v));
        break;
    default:
        fputs("&mdash;", f);
    }
}

/* ---- the context ------------------------------------------------------- */

typedef struct ev {
    uint32_t line; /* 1-based line in events.jsonl */
    uint64_t t;
    char lvl[8], ev[32], node[24], exch[24];
    uint64_t ispi, rspi;
    uint64_t new_ispi, new_rspi; /* ike.sa.rekey */
    int64_t spi_in;              /* ike.child.up / .delete, else -1 */
    int64_t mid;
    uint64_t frame; /* replay.rule.fail */
    char rule[48];  /* replay.rule.fail */
    char by[24];    /* ike.sa.delete */
    char error[48]; /* ike.msg.drop and others */
    char text[240]; /* the line, cut */
} ev;

/* What the simulated network did to a frame (faults.jsonl of a sim run,
 * tools/sim_faults.h). */
#define NET_LOST 1u
#define NET_DUP 2u
#define NET_DAMAGED 4u
#define NET_UNDELIVERED 8u

typedef struct arrow {
    uint64_t frame;
    uint64_t t_us; /* from the first frame */
    uint32_t mid, len;
    uint8_t exch, flags;
    bool from_left;
    uint64_t hash;
    uint64_t dup_of;  /* earlier frame with the same octets, 0 none */
    uint32_t drop_ev; /* events.jsonl line of a drop, 0 none */
    uint8_t net;      /* NET_* faults of the sim's network (faults.jsonl) */
    char pls[PLS_MAX];
    char note[96];
} arrow;

typedef struct ladder {
    uint64_t ispi, rspi;
    char left[64], right[64]; /* address:port */
    arrow *a;
    size_t n, cap;
    uint64_t not_drawn;
} ladder;

typedef struct rctx {
    const char *dir;
    FILE *f;
    char *why;
    size_t why_len;
    report_kind kind;
    rjson_doc *run, *metrics, *conf, *summary;
    char conf_note[200];
    ev *evs;
    size_t n_evs;
    uint64_t ev_lines, ev_dropped;
    bool ev_cut;
    ladder lad[REPORT_MAX_LADDERS];
    size_t n_lad;
    uint64_t lad_more_msgs; /* messages of SAs past REPORT_MAX_LADDERS */
    uint64_t lad_unparsed;
    char cap_note[300];
    char key_note[300];
    bool decrypting;
} rctx;

/* printf-style (the attribute lets -Wformat check every caller) */
__attribute__((format(printf, 2, 3))) static void why(rctx *c, const char *fmt,
                                                      ...);

static void why(rctx *c, const char *fmt, ...)
{
    if (c->why == NULL || c->why_len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_len, fmt, ap);
    va_end(ap);
}

const char *report_kind_name(report_kind k)
{
    static const char *const names[] = {"none",    "sim",  "peer",  "replay",
                                        "interop", "fuzz", "decode"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "none";
}

static bool path_exists(const char *dir, const char *name, bool want_dir)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (stat(p, &st) != 0)
        return false;
    return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* Read a whole file of at most max octets into a malloc'd buffer (the
 * caller frees it). IO_OPEN, IO_READ, IO_TOO_BIG, ENV_NOMEM. */
static ikh_err read_whole(const char *path, size_t max, uint8_t **out,
                          size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return IKH_ERR_IO_OPEN;
    ikh_err e = ikh_read_stream(f, max, out, len);
    fclose(f);
    return e;
}

/* Read DIR/name as JSON (NULL dir: name is a path). IO_OPEN when it does
 * not exist (why not set: callers decide); parse errors name
 * file:line:col. */
static ikh_err load_json(rctx *c, const char *dir, const char *name, size_t max,
                         size_t max_nodes, rjson_doc **out)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    *out = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > max) {
        /* too big: said without reading it */
        why(c, "%s: %s (%d): larger than %zu octets", p,
            ikh_err_name(IKH_ERR_IO_TOO_BIG), (int)IKH_ERR_IO_TOO_BIG, max);
        return IKH_ERR_IO_TOO_BIG;
    }
    ikh_err e = read_whole(p, max, &buf, &len);
    if (e == IKH_ERR_IO_OPEN)
        return e;
    if (e != IKH_OK) {
        why(c, "%s: %s (%d): %s", p, ikh_err_name(e), (int)e, ikh_err_str(e));
        return e;
    }
    rjson_limits lim = {.max_bytes = max, .max_nodes = max_nodes};
    rjson_error je;
    rjson_errc r = rjson_parse((const char *)buf, len, &lim, out, &je);
    free(buf);
    if (r == RJSON_E_NOMEM) {
        why(c, "%s: out of memory", p);
        return IKH_ERR_ENV_NOMEM;
    }
    if (r == RJSON_E_NODES || r == RJSON_E_TOO_BIG) {
        why(c, "%s: more JSON values than the report reads (%s)", p,
            rjson_errc_name(r));
        return IKH_ERR_IO_TOO_BIG;
    }
    if (r != RJSON_OK) {
        why(c, "%s:%u:%u: not valid JSON (%s): %s", p, je.line, je.col,
            rjson_errc_name(r), je.msg);
        return IKH_ERR_ARG_INVALID;
    }
    return IKH_OK;
}

static uint64_t hex_u64(const char *s)
{
    uint64_t v = 0;
    for (size_t i = 0; s != NULL && s[i] && i < 16; i++) {
        int d = ikh_hex_digit((unsigned char)s[i]);
        if (d < 0)
            return 0;
        v = v << 4 | (uint64_t)d;
    }
    return v;
}

static void copy_str(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* ---- events.jsonl ------------------------------------------------------ */

static bool ev_wanted(const char *name, const char *lvl)
{
    static const char *const keep[] = {
        "ike.msg.drop",       "ike.sa.rekey",     "ike.sa.delete",
        "ike.handshake.done", "replay.rule.fail", "ike.msg.retransmit",
        "ike.child.up",       "ike.child.delete", "ike.sa.error",
    };
    if (strcmp(lvl, "warn") == 0 || strcmp(lvl, "error") == 0)
        return true;
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (strcmp(name, keep[i]) == 0)
            return true;
    return false;
}

/* One line into c->evs (when wanted). */
static ikh_err ev_line(rctx *c, const char *s, size_t n, uint32_t line)
{
    rjson_doc *d = NULL;
    rjson_error je;
    rjson_limits lim = {
        .max_bytes = EV_LINE_MAX, .max_depth = 8, .max_nodes = 256};
    rjson_errc r = rjson_parse(s, n, &lim, &d, &je);
    if (r != RJSON_OK) {
        why(c, "%s/events.jsonl:%u:%u: not a JSON event (%s): %s", c->dir, line,
            je.col, rjson_errc_name(r), je.msg);
        return r == RJSON_E_NOMEM ? IKH_ERR_ENV_NOMEM : IKH_ERR_ARG_INVALID;
    }
    if (rjson_type_of(d, RJSON_ROOT) != RJSON_OBJECT) {
        rjson_free(d);
        why(c, "%s/events.jsonl:%u:1: an event must be a JSON object", c->dir,
            line);
        return IKH_ERR_ARG_INVALID;
    }
    const char *name = rjson_get_str(d, RJSON_ROOT, "ev", "");
    const char *lvl = rjson_get_str(d, RJSON_ROOT, "lvl", "");
    if (!ev_wanted(name, lvl)) {
        rjson_free(d);
        return IKH_OK;
    }
    if (c->n_evs >= EV_KEEP_MAX) {
        c->ev_dropped++;
        rjson_free(d);
        return IKH_OK;
    }
    ev *e = &c->evs[c->n_evs++];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->t = (uint64_t)rjson_get_int(d, RJSON_ROOT, "t", 0);
    copy_str(e->lvl, sizeof e->lvl, lvl);
    copy_str(e->ev, sizeof e->ev, name);
    copy_str(e->node, sizeof e->node, rjson_get_str(d, RJSON_ROOT, "node", ""));
    copy_str(e->exch, sizeof e->exch, rjson_get_str(d, RJSON_ROOT, "exch", ""));
    e->ispi = hex_u64(rjson_get_str(d, RJSON_ROOT, "ispi", ""));
    e->rspi = hex_u64(rjson_get_str(d, RJSON_ROOT, "rspi", ""));
    e->new_ispi = hex_u64(rjson_get_str(d, RJSON_ROOT, "new_ispi", ""));
    e->new_rspi = hex_u64(rjson_get_str(d, RJSON_ROOT, "new_rspi", ""));
    e->mid = rjson_get_int(d, RJSON_ROOT, "mid", -1);
    e->spi_in = rjson_get_int(d, RJSON_ROOT, "spi_in", -1);
    e->frame = (uint64_t)rjson_get_int(d, RJSON_ROOT, "frame", 0);
    copy_str(e->rule, sizeof e->rule, rjson_get_str(d, RJSON_ROOT, "rule", ""));
    copy_str(e->by, sizeof e->by, rjson_get_str(d, RJSON_ROOT, "by", ""));
    copy_str(e->error, sizeof e->error,
             rjson_get_str(d, RJSON_ROOT, "error", ""));
    size_t tn = n < sizeof e->text - 1 ? n : sizeof e->text - 1;
    /* cut on a character boundary */
    while (tn > 0 && tn < n && ((unsigned char)s[tn] & 0xC0) == 0x80)
        tn--;
    memcpy(e->text, s, tn);
    e->text[tn] = '\0';
    rjson_free(d);
    return IKH_OK;
}

static ikh_err load_events(rctx *c)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/events.jsonl", c->dir);
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return IKH_OK; /* optional */
    c->evs = calloc(EV_KEEP_MAX, sizeof *c->evs);
    char *line = malloc(EV_LINE_MAX + 2);
    ikh_err e = c->evs && line ? IKH_OK : IKH_ERR_ENV_NOMEM;
    uint64_t total = 0;
    uint32_t no = 0;
    while (e == IKH_OK) {
        size_t n = 0;
        int ch = EOF;
        while ((ch = fgetc(f)) != EOF && ch != '\n') {
            if (n <= EV_LINE_MAX)
                line[n] = (char)ch;
            n++;
        }
        if (ch == EOF && n == 0)
            break;
        no++;
        total += n + 1;
        if (total > REPORT_MAX_EVENTS) {
            c->ev_cut = true;
            break;
        }
        if (n > EV_LINE_MAX) {
            why(c, "%s:%u: line longer than %u octets", p, no, EV_LINE_MAX);
            e = IKH_ERR_IO_TOO_BIG;
            break;
        }
        if (n == 0)
            continue;
        e = ev_line(c, line, n, no);
    }
    if (e == IKH_OK && ferror(f)) {
        why(c, "%s: read error", p);
        e = IKH_ERR_IO_READ;
    }
    c->ev_lines = no;
    fclose(f);
    free(line);
    return e;
}

static const ev *ev_find_rule(const rctx *c, uint64_t frame, const char *rule)
{
    for (size_t i = 0; i < c->n_evs; i++)
        if (c->evs[i].frame == frame &&
            strcmp(c->evs[i].ev, "replay.rule.fail") == 0 &&
            strcmp(c->evs[i].rule, rule) == 0)
            return &c->evs[i];
    return NULL;
}

/* ---- the capture: one ladder per IKE SA -------------------------------- */

static uint64_t fnv64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void cat(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(dst), k = strlen(s);
    if (n + 1 >= cap)
        return;
    if (k > cap - n - 1)
        k = cap - n - 1;
    memcpy(dst + n, s, k);
    dst[n + k] = '\0';
}

/* A payload's short name; Notify as N(TYPE), RFC 7296 §3.10. */
static void pl_name(const ikh_pl *pl, char *buf, size_t cap)
{
    char nb[IKH_NAME_BUF_LEN], tb[IKH_NAME_BUF_LEN];
    const char *n = ikh_name_or(IKH_NT_PAYLOAD, pl->type, nb, sizeof nb);
    if (pl->type == IKH_PL_NOTIFY)
        snprintf(buf, cap, "N(%s)",
                 ikh_name_or(IKH_NT_NOTIFY, pl->u.notify.type, tb, sizeof tb));
    else if (pl->type == IKH_PL_SKF)
        snprintf(buf, cap, "SKF(%u/%u)", pl->u.skf.frag_num, pl->u.skf.total);
    else
        snprintf(buf, cap, "%s", n);
}

/* The list of payloads of m: outer ones, SK{inner ones}. */
static void pl_list(const ikh_msg *m, bool inner_only, char *out, size_t cap)
{
    char nm[64];
    out[0] = '\0';
    bool first = true;
    for (size_t i = 0; i < m->n_pl; i++) {
        const ikh_pl *pl = &m->pl[i];
        if (pl->in_sk != inner_only)
            continue;
        pl_name(pl, nm, sizeof nm);
        if (!first)
            cat(out, cap, ",");
        cat(out, cap, nm);
        first = false;
    }
}

static ladder *ladder_for(rctx *c, const ikh_ike_hdr *h, bool *is_new)
{
    *is_new = false;
    for (size_t i = 0; i < c->n_lad; i++) {
        ladder *l = &c->lad[i];
        if (l->ispi != h->ispi)
            continue;
        if (l->rspi == h->rspi || h->rspi == 0)
            return l;
        if (l->rspi == 0) {
            l->rspi = h->rspi;
            return l;
        }
    }
    if (c->n_lad >= REPORT_MAX_LADDERS)
        return NULL;
    ladder *l = &c->lad[c->n_lad++];
    memset(l, 0, sizeof *l);
    l->ispi = h->ispi;
    l->rspi = h->rspi;
    *is_new = true;
    return l;
}

static void endpoint(const ikh_addr *a, uint16_t port, char *buf, size_t cap)
{
    char ab[48];
    ikh_addr_str(a, ab, sizeof ab);
    snprintf(buf, cap, a->family == 6 ? "[%s]:%u" : "%s:%u", ab,
             (unsigned)port);
}

/* Describe the payloads of one message, decrypting SK/SKF when keyed. */
static void describe(rctx *c, ikh_capdec_dec *dec, ikh_msg *m, ikh_span raw,
                     uint64_t frame, arrow *a)
{
    pl_list(m, false, a->pls, sizeof a->pls);
    if (m->n_pl == 0)
        return;
    const ikh_pl *last = &m->pl[m->n_pl - 1];
    if (last->type != IKH_PL_SK && last->type != IKH_PL_SKF)
        return;
    if (dec == NULL || !ikh_capdec_dec_has_ike(dec, m->hdr.ispi, m->hdr.rspi)) {
        cat(a->pls, sizeof a->pls,
            c->decrypting ? "{no keys for this SA}" : "{encrypted}");
        return;
    }
    ikh_capdec_ike_out o;
    ikh_err e = ikh_capdec_dec_ike(dec, m, raw, frame, &o);
    char in[PLS_MAX];
    if (e != IKH_OK) {
        snprintf(in, sizeof in, "{not decrypted: %s}", ikh_err_name(e));
        cat(a->pls, sizeof a->pls, in);
        return;
    }
    if (o.kind == IKH_CAPDEC_IKE_OPENED) {
        pl_list(m, true, in, sizeof in);
    } else if (o.kind == IKH_CAPDEC_IKE_JOINED && o.joined != NULL) {
        char j[PLS_MAX - 16];
        pl_list(o.joined, true, j, sizeof j);
        snprintf(in, sizeof in, "{joined: %s}", j);
    } else if (o.kind == IKH_CAPDEC_IKE_FRAGMENT) {
        snprintf(in, sizeof in, "{fragment kept}");
    } else {
        snprintf(in, sizeof in, "{?}");
    }
    if (o.kind == IKH_CAPDEC_IKE_OPENED) {
        char b[PLS_MAX + 2];
        snprintf(b, sizeof b, "{%s}", in);
        cat(a->pls, sizeof a->pls, b);
    } else {
        cat(a->pls, sizeof a->pls, in);
    }
}

static void add_arrow(rctx *c, ikh_capdec_dec *dec, ikh_msg *m,
                      const ikh_frame *fr, uint64_t t_us)
{
    bool is_new = false;
    ladder *l = ladder_for(c, &m->hdr, &is_new);
    if (l == NULL) {
        c->lad_more_msgs++;
        return;
    }
    bool from_init = (m->hdr.flags & IKH_HDR_F_INITIATOR) != 0;
    if (is_new) {
        /* RFC 7296 §3.1: the I flag is set by the original initiator */
        const ikh_addr *la = from_init ? &fr->src : &fr->dst;
        const ikh_addr *ra = from_init ? &fr->dst : &fr->src;
        endpoint(la, from_init ? fr->sport : fr->dport, l->left,
                 sizeof l->left);
        endpoint(ra, from_init ? fr->dport : fr->sport, l->right,
                 sizeof l->right);
    }
    if (l->n >= REPORT_MAX_ARROWS) {
        l->not_drawn++;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        if (cap > REPORT_MAX_ARROWS)
            cap = REPORT_MAX_ARROWS;
        arrow *na = realloc(l->a, cap * sizeof *na);
        if (na == NULL) {
            l->not_drawn++;
            return;
        }
        l->a = na;
        l->cap = cap;
    }
    arrow *a = &l->a[l->n++];
    memset(a, 0, sizeof *a);
    a->frame = fr->index;
    a->t_us = t_us;
    a->mid = m->hdr.mid;
    a->exch = m->hdr.exch;
    a->flags = m->hdr.flags;
    a->from_left = from_init;
    a->len = (uint32_t)fr->ike.len;
    a->hash = fnv64(fr->ike.p, fr->ike.len);
    /* a retransmission repeats a message octet for octet (RFC 7296 §2.1) */
    for (size_t i = 0; i + 1 < l->n; i++) {
        const arrow *b = &l->a[i];
        if (b->hash == a->hash && b->len == a->len && b->mid == a->mid &&
            b->from_left == a->from_left) {
            a->dup_of = b->frame;
            break;
        }
    }
    describe(c, dec, m, fr->ike, fr->index, a);
}

/* A path recorded in run.json (relative to where the run was started):
 * as it is when it exists from here, else under the run folder's parent
 * folders (a run folder usually sits below that start), nearest first.
 * false when not found. */
static bool resolve(const rctx *c, const char *rec, char *out, size_t cap)
{
    struct stat st;
    snprintf(out, cap, "%s", rec);
    if (stat(rec, &st) == 0)
        return true;
    char up[PATH_MAX];
    if (rec[0] == '/' || realpath(c->dir, up) == NULL)
        return false;
    for (int depth = 0; depth < 64; depth++) {
        char *slash = strrchr(up, '/');
        if (slash == NULL)
            return false;
        *slash = '\0';
        int n = snprintf(out, cap, "%s/%s", up, rec);
        if (n > 0 && (size_t)n < cap && stat(out, &st) == 0)
            return true;
        if (up[0] == '\0')
            return false;
    }
    return false;
}

/* Key files for the capture: the run folder's, or (replay) the --keys of
 * its command line. */
static void load_keys(rctx *c, ikh_capdec_keys *k)
{
    size_t loaded = 0;
    if (path_exists(c->dir, "ike_keys.csv", false)) {
        char p[4200];
        snprintf(p, sizeof p, "%s/ike_keys.csv", c->dir);
        ikh_capdec_diag dg;
        ikh_err e = ikh_capdec_keys_load(k, p, false, &dg);
        if (e == IKH_OK)
            loaded++;
        else
            snprintf(c->key_note, sizeof c->key_note,
                     "ike_keys.csv not used: line %u: %s", dg.line, dg.msg);
    }
    const char *cmd = rjson_get_str(c->run, RJSON_ROOT, "cmdline", "");
    if (c->kind == REPORT_KIND_REPLAY && loaded == 0 && strstr(cmd, "--keys")) {
        /* the paths as the replay was given them (no spaces) */
        char buf[2048];
        copy_str(buf, sizeof buf, cmd);
        bool in_keys = false;
        for (char *t = strtok(buf, " "); t != NULL; t = strtok(NULL, " ")) {
            if (strncmp(t, "--", 2) == 0) {
                in_keys = strcmp(t, "--keys") == 0;
                continue;
            }
            if (!in_keys)
                continue;
            struct stat st;
            char p[4200], r[4096];
            if (!resolve(c, t, r, sizeof r))
                continue;
            snprintf(p, sizeof p, "%s", r);
            if (stat(r, &st) == 0 && S_ISDIR(st.st_mode))
                snprintf(p, sizeof p, "%s/ike_keys.csv", r);
            ikh_capdec_diag dg;
            ikh_capdec_fmt fmt;
            if (ikh_capdec_keys_load_any(k, p, &fmt, &dg) == IKH_OK)
                loaded++;
        }
    }
    c->decrypting = loaded > 0;
}

static void read_capture(rctx *c, const char *path)
{
    ikh_cap *cap = NULL;
    char eb[256] = "";
    ikh_err e = ikh_cap_open(path, &cap, eb, sizeof eb);
    if (e != IKH_OK) {
        snprintf(c->cap_note, sizeof c->cap_note, "capture %.200s: %s%s%.60s",
                 path, ikh_err_name(e), eb[0] ? ": " : "", eb);
        return;
    }
    ikh_capdec_keys *k = NULL;
    ikh_capdec_dec *dec = NULL;
    if (ikh_capdec_keys_new(&k) == IKH_OK) {
        load_keys(c, k);
        if (c->decrypting && ikh_capdec_dec_new(k, &dec) != IKH_OK)
            dec = NULL;
    }
    ikh_msg *m = malloc(sizeof *m);
    ikh_frame fr;
    uint64_t t0 = 0, last = 0;
    bool have_t0 = false;
    while (m != NULL && (e = ikh_cap_next_nodrops(cap, &fr)) == IKH_OK) {
        uint64_t t = fr.ts_sec * 1000000u + fr.ts_usec;
        last = fr.index;
        if (!have_t0) {
            t0 = t;
            have_t0 = true;
        }
        if (fr.kind != IKH_FRAME_IKE)
            continue;
        ikh_err pe = ikh_wire_msg_parse(m, fr.ike.p, fr.ike.len, NULL);
        if (pe != IKH_OK) {
            ikh_rd rd = ikh_rd_init(fr.ike.p, fr.ike.len);
            ikh_wire_msg_init(m);
            ikh_wire_hdr_read(&rd, &m->hdr);
            if (ikh_rd_error(&rd) != IKH_OK) {
                c->lad_unparsed++;
                continue;
            }
        }
        add_arrow(c, pe == IKH_OK ? dec : NULL, m, &fr, t >= t0 ? t - t0 : 0);
        if (pe != IKH_OK && c->n_lad > 0) {
            /* note the parse error on the arrow just drawn */
            for (size_t i = 0; i < c->n_lad; i++) {
                ladder *l = &c->lad[i];
                if (l->n > 0 && l->a[l->n - 1].frame == fr.index)
                    snprintf(l->a[l->n - 1].note, sizeof l->a[0].note,
                             "does not parse: %s", ikh_err_name(pe));
            }
        }
    }
    if (e == IKH_ERR_PCAP_RECORD)
        snprintf(c->cap_note, sizeof c->cap_note,
                 "the capture is damaged after frame %" PRIu64
                 " (PCAP_RECORD): later frames are not drawn",
                 last);
    free(m);
    ikh_capdec_dec_free(dec);
    ikh_capdec_keys_free(k);
    ikh_cap_close(cap);
}

/* Drops from the log onto the arrows: the latest message of that SA, Message
 * ID and exchange sent at or before the drop. */
static void mark_drops(rctx *c)
{
    for (size_t i = 0; i < c->n_evs; i++) {
        const ev *e = &c->evs[i];
        if (strcmp(e->ev, "ike.msg.drop") != 0 || e->mid < 0)
            continue;
        for (size_t k = 0; k < c->n_lad; k++) {
            ladder *l = &c->lad[k];
            if (l->ispi != e->ispi)
                continue;
            arrow *best = NULL;
            for (size_t j = 0; j < l->n; j++) {
                arrow *a = &l->a[j];
                char xb[IKH_NAME_BUF_LEN];
                if (a->mid != (uint64_t)e->mid ||
                    strcmp(ikh_name_or(IKH_NT_EXCH, a->exch, xb, sizeof xb),
                           e->exch) != 0)
                    continue;
                if (best == NULL || a->t_us / 1000 <= e->t)
                    best = a;
            }
            if (best != NULL && best->drop_ev == 0) {
                best->drop_ev = e->line;
                snprintf(best->note, sizeof best->note, "dropped by %s: %s",
                         e->node, e->error);
            }
        }
    }
}

static arrow *arrow_of_frame(rctx *c, uint64_t frame)
{
    for (size_t k = 0; k < c->n_lad; k++)
        for (size_t j = 0; j < c->lad[k].n; j++)
            if (c->lad[k].a[j].frame == frame)
                return &c->lad[k].a[j];
    return NULL;
}

/* The sim's network faults (faults.jsonl: {"frame":N,"t":MS,"fault":F}
 * per line) onto the arrows of those frames. Optional file; a line that is
 * not such an object is an error naming file and line. */
static ikh_err mark_faults(rctx *c)
{
    static const struct {
        const char *name;
        uint8_t bit;
        const char *note;
    } kinds[] = {
        {"lost", NET_LOST, "lost in the network (sim fault)"},
        {"duplicated", NET_DUP, "delivered more than once (sim fault)"},
        {"damaged", NET_DAMAGED, "delivered damaged (sim fault)"},
        {"undelivered", NET_UNDELIVERED, "still in flight when the run ended"},
    };
    char p[4200];
    snprintf(p, sizeof p, "%s/faults.jsonl", c->dir);
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return IKH_OK;
    char line[256];
    unsigned no = 0;
    ikh_err e = IKH_OK;
    while (e == IKH_OK && fgets(line, sizeof line, f) != NULL) {
        no++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] != '\n' && !feof(f)) {
            why(c, "%s:%u: line longer than %zu octets", p, no,
                sizeof line - 2);
            e = IKH_ERR_IO_TOO_BIG;
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        rjson_limits lim = {.max_bytes = sizeof line, .max_nodes = 16};
        rjson_doc *d = NULL;
        rjson_error je;
        const char *fault = NULL;
        int64_t frame = 0;
        if (rjson_parse(line, n, &lim, &d, &je) == RJSON_OK) {
            fault = rjson_get_str(d, RJSON_ROOT, "fault", NULL);
            frame = rjson_get_int(d, RJSON_ROOT, "frame", 0);
        }
        size_t k = 0;
        while (fault != NULL && k < sizeof kinds / sizeof kinds[0] &&
               strcmp(kinds[k].name, fault) != 0)
            k++;
        if (fault == NULL || frame <= 0 ||
            k == sizeof kinds / sizeof kinds[0]) {
            why(c,
                "%s:%u: not a fault line ({\"frame\":N,\"t\":MS,"
                "\"fault\":\"lost|duplicated|damaged|undelivered\"})",
                p, no);
            e = IKH_ERR_ARG_INVALID;
        } else {
            arrow *a = arrow_of_frame(c, (uint64_t)frame);
            if (a != NULL) {
                a->net |= kinds[k].bit;
                if (a->note[0] == '\0')
                    snprintf(a->note, sizeof a->note, "%s", kinds[k].note);
            }
        }
        rjson_free(d);
    }
    fclose(f);
    return e;
}

/* ---- page pieces ------------------------------------------------------- */

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 3em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:"
    "1px solid #ccc}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}th{background:#f0f0f0}tr.zero td{color:#999}"
    ".verdict{display:inline-block;padding:.3em 1em;font-weight:bold;"
    "font-size:1.3em;border-radius:4px;color:#fff;margin:1em 0}"
    ".pass{background:#2a7d2a}.fail{background:#b82020}.error,.unknown{"
    "background:#a06000}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;"
    "white-space:pre-wrap}.note{color:#666}code{background:#f3f3f3}"
    "li.bad{color:#b82020}li code{word-break:break-all}"
    "svg text{font:11px monospace}"
    "td.r-fail,td.r-error{color:#b82020;font-weight:bold}"
    "td.r-pass{color:#2a7d2a}";

static void head(rctx *c, const char *title, const char *verdict)
{
    FILE *f = c->f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<meta name=\"viewport\" "
          "content=\"width=device-width\">\n<title>ikeharness report: ",
          f);
    html(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    fprintf(f, "<h1>ikeharness %s run: ", report_kind_name(c->kind));
    html(f, title);
    fputs("</h1>\n<div class=\"verdict ", f);
    html(f, verdict);
    fputs("\" data-testid=\"verdict\">", f);
    html(f, verdict);
    fputs("</div>\n", f);
}

/* Links to the files of the folder that exist. */
static void files_section(rctx *c)
{
    static const char *const names[] = {
        "run.json",
        "capture.pcap",
        "ike_keys.csv",
        "esp_keys.csv",
        "ikev2_decryption_table",
        "esp_sa",
        "events.jsonl",
        "metrics.json",
        "metrics.prom",
        "junit.xml",
        "conformance.json",
        "summary.json",
        "results.tsv",
        "tshark-diff.txt",
        "ikeharness-version.txt",
        "strongswan-version.txt",
        "coverage/report.txt",
        "coverage/html/index.html",
        "coverage/coverage.json",
    };
    FILE *f = c->f;
    fputs("<h2 id=\"files\">Files</h2>\n<ul>\n", f);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!path_exists(c->dir, names[i], false))
            continue;
        fputs("<li><a href=\"", f);
        href(f, names[i]);
        fputs("\">", f);
        html(f, names[i]);
        fputs("</a></li>\n", f);
    }
    if (path_exists(c->dir, "against-stack", true))
        fputs("<li><a href=\"against-stack/\">against-stack/</a></li>\n", f);
    fputs("</ul>\n", f);
}

/* Shell-quote one word for the reproduce line. */
static void shq(char *out, size_t cap, const char *w)
{
    bool plain = *w != '\0';
    for (const char *p = w; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789_./:=,+-@%",
                       *p) != NULL;
    if (plain) {
        cat(out, cap, w);
        return;
    }
    cat(out, cap, "'");
    for (const char *p = w; *p; p++) {
        char one[2] = {*p, 0};
        cat(out, cap, *p == '\'' ? "'\\''" : one);
    }
    cat(out, cap, "'");
}

static void run_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->run;
    fputs("<h2 id=\"run\">What ran</h2>\n<table>\n", f);
    static const char *const keys[] = {
        "command", "cmdline",   "version", "scenario",   "name",
        "seed",    "input",     "rules",   "fail_on",    "role",
        "peer",    "exit_code", "end_ms",  "step_errors"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        rjson_ref v = rjson_get(d, RJSON_ROOT, keys[i]);
        if (v == RJSON_NONE)
            continue;
        fputs("<tr><th>", f);
        html(f, keys[i]);
        fputs("</th><td>", f);
        html_json(f, d, v);
        fputs("</td></tr>\n", f);
    }
    for (const char *obj = "counts"; obj;
         obj = strcmp(obj, "counts") == 0 ? "sim" : NULL) {
        rjson_ref o = rjson_get(d, RJSON_ROOT, obj);
        for (rjson_ref v = rjson_first(d, o); v != RJSON_NONE;
             v = rjson_next(d, v)) {
            fputs("<tr><th>", f);
            html(f, obj);
            fputs(".", f);
            html(f, rjson_key(d, v, NULL));
            fputs("</th><td>", f);
            html_json(f, d, v);
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</table>\n", f);
    char line[2600] = "";
    if (c->kind == REPORT_KIND_SIM) {
        char seed[32];
        snprintf(seed, sizeof seed, "%" PRId64,
                 rjson_get_int(d, RJSON_ROOT, "seed", 1));
        cat(line, sizeof line, "ikeharness sim ");
        shq(line, sizeof line, rjson_get_str(d, RJSON_ROOT, "scenario", "?"));
        cat(line, sizeof line, " --seed ");
        cat(line, sizeof line, seed);
        cat(line, sizeof line, " --out ");
        shq(line, sizeof line, c->dir);
    } else {
        cat(line, sizeof line, "ikeharness ");
        cat(line, sizeof line, rjson_get_str(d, RJSON_ROOT, "cmdline", "?"));
    }
    fputs("<p>Run it again:</p>\n<pre data-testid=\"reproduce\">", f);
    html(f, line);
    fputs("</pre>\n", f);
}

/* Frame reference: a link to the arrow when it is drawn. */
static bool frame_drawn(const rctx *c, uint64_t frame)
{
    for (size_t i = 0; i < c->n_lad; i++)
        for (size_t j = 0; j < c->lad[i].n; j++)
            if (c->lad[i].a[j].frame == frame)
                return true;
    return false;
}

static void frame_link(rctx *c, uint64_t frame)
{
    if (frame_drawn(c, frame))
        fprintf(c->f, "<a href=\"#f%" PRIu64 "\">frame %" PRIu64 "</a>", frame,
                frame);
    else
        fprintf(c->f, "frame %" PRIu64, frame);
}

static void ev_link(rctx *c, uint32_t line, const char *label)
{
    fprintf(c->f, " <a href=\"#ev-%u\">", line);
    html(c->f, label);
    fprintf(c->f, " (events.jsonl:%u)</a>", line);
}

/* Failed expectations of sim and peer runs. */
static void expectations_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->run;
    rjson_ref ex = rjson_get(d, RJSON_ROOT, "expectations");
    size_t n_bad = 0;
    fputs("<h2 id=\"failures\">Failed expectations</h2>\n"
          "<ul data-testid=\"failures\">\n",
          f);
    const char *step = rjson_get_str(d, RJSON_ROOT, "first_step_error", NULL);
    if (step != NULL) {
        fputs("<li class=\"bad\">step error: ", f);
        html(f, step);
        fputs(" <a href=\"#events\">(log events)</a></li>\n", f);
        n_bad++;
    }
    for (rjson_ref v = rjson_first(d, ex); v != RJSON_NONE;
         v = rjson_next(d, v)) {
        rjson_ref pass = rjson_get(d, v, "pass");
        if (rjson_type_of(d, pass) != RJSON_FALSE ||
            rjson_type_of(d, rjson_get(d, v, "not_checked")) == RJSON_TRUE)
            continue;
        n_bad++;
        fprintf(f, "<li class=\"bad\">scenario line %" PRId64 ": <code>",
                rjson_get_int(d, v, "line", 0));
        const char *ex_text = rjson_get_str(d, v, "expect", "");
        const char *detail = rjson_get_str(d, v, "detail", "");
        html(f, ex_text);
        fputs("</code>: ", f);
        /* the detail repeats the expectation's text first: show the rest */
        size_t el = strlen(ex_text);
        if (el > 0 && strncmp(detail, ex_text, el) == 0 &&
            strncmp(detail + el, ": ", 2) == 0)
            detail += el + 2;
        html(f, detail);
        fputs(" <a href=\"#events\">(log events)</a></li>\n", f);
    }
    fputs("</ul>\n", f);
    fprintf(f, "<p class=\"note\">%zu of %zu expectations failed.</p>\n", n_bad,
            rjson_count(d, ex));
}

/* Violations of a replay run (conformance.json). */
static void violations_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->conf;
    fputs("<h2 id=\"failures\">Conformance violations</h2>\n", f);
    if (d == NULL) {
        /* the violations the log holds instead */
        fputs("<p class=\"note\">", f);
        html(f, c->conf_note[0] ? c->conf_note : "no conformance.json");
        fputs("; listed from events.jsonl instead (replay.rule.fail)</p>\n<ul "
              "data-testid=\"failures\">\n",
              f);
        size_t k = 0;
        for (size_t i = 0; i < c->n_evs && k < 2000; i++) {
            const ev *e = &c->evs[i];
            if (strcmp(e->ev, "replay.rule.fail") != 0)
                continue;
            k++;
            fputs("<li class=\"bad\"><b>", f);
            html(f, e->rule);
            fputs("</b> ", f);
            frame_link(c, e->frame);
            ev_link(c, e->line, "log event");
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        return;
    }
    rjson_ref vs = rjson_get(d, RJSON_ROOT, "violations");
    fputs("<ul data-testid=\"failures\">\n", f);
    size_t shown = 0;
    for (rjson_ref v = rjson_first(d, vs); v != RJSON_NONE && shown < 2000;
         v = rjson_next(d, v), shown++) {
        const char *rule = rjson_get_str(d, v, "rule", "?");
        uint64_t frame = (uint64_t)rjson_get_int(d, v, "frame", 0);
        fputs("<li class=\"bad\"><b>", f);
        html(f, rule);
        fputs("</b> [", f);
        html(f, rjson_get_str(d, v, "level", "?"));
        fputs("] ", f);
        frame_link(c, frame);
        fputs(": ", f);
        html(f, rjson_get_str(d, v, "detail", ""));
        const ev *e = ev_find_rule(c, frame, rule);
        if (e != NULL)
            ev_link(c, e->line, "log event");
        fputs("</li>\n", f);
    }
    rjson_ref re = rjson_get(d, RJSON_ROOT, "record_errors");
    for (rjson_ref v = rjson_first(d, re); v != RJSON_NONE && shown < 2000;
         v = rjson_next(d, v), shown++) {
        fputs("<li class=\"bad\">damaged record: ", f);
        frame_link(c, (uint64_t)rjson_get_int(d, v, "frame", 0));
        fputs(": ", f);
        html(f, rjson_get_str(d, v, "error", ""));
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    if (rjson_count(d, vs) + rjson_count(d, re) > shown)
        fprintf(f, "<p class=\"note\">%zu more not listed.</p>\n",
                rjson_count(d, vs) + rjson_count(d, re) - shown);
    /* the rules with results */
    fputs("<h3>Rules with failures</h3>\n<table>\n<tr><th>rule</th><th>level"
          "</th><th>RFC section</th><th>pass</th><th>fail</th><th>not "
          "checkable without keys</th></tr>\n",
          f);
    rjson_ref rules = rjson_get(d, RJSON_ROOT, "rules");
    for (rjson_ref r = rjson_first(d, rules); r != RJSON_NONE;
         r = rjson_next(d, r)) {
        if (rjson_get_int(d, r, "fail", 0) == 0)
            continue;
        fputs("<tr><td>", f);
        html(f, rjson_get_str(d, r, "id", "?"));
        fputs("</td><td>", f);
        html(f, rjson_get_str(d, r, "level", "?"));
        fprintf(f, "</td><td>RFC %" PRId64 " §", rjson_get_int(d, r, "rfc", 0));
        html(f, rjson_get_str(d, r, "section", "?"));
        fprintf(f,
                "</td><td>%" PRId64 "</td><td class=\"r-fail\">%" PRId64
                "</td><td>%" PRId64 "</td></tr>\n",
                rjson_get_int(d, r, "pass", 0), rjson_get_int(d, r, "fail", 0),
                rjson_get_int(d, r, "nokeys", 0));
    }
    fputs("</table>\n", f);
}

/* ---- the ladder SVG ---------------------------------------------------- */

#define LAD_W 1100
#define LAD_LX 150
#define LAD_RX 950
#define LAD_ROW 54
#define LAD_WRAP 112 /* characters of payload list per line */
#define LAD_TOP 56

static void ladder_svg(rctx *c, const ladder *l, size_t idx)
{
    FILE *f = c->f;
    int h = LAD_TOP + (int)l->n * LAD_ROW + 20;
    fprintf(f,
            "<h3 id=\"sa-%zu\">IKE SA %016" PRIx64 " / %016" PRIx64 "</h3>\n",
            idx + 1, l->ispi, l->rspi);
    fprintf(f,
            "<svg data-testid=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
            "<defs><marker id=\"ah%zu\" markerWidth=\"8\" markerHeight=\"8\" "
            "refX=\"8\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 "
            "z\" fill=\"#333\"/></marker></defs>\n",
            LAD_W, h, LAD_W, h, idx);
    fprintf(f, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\">initiator ",
            LAD_LX);
    html(f, l->left);
    fprintf(f,
            "</text>\n<text x=\"%d\" y=\"20\" text-anchor=\"middle\">"
            "responder ",
            LAD_RX);
    html(f, l->right);
    fprintf(f,
            "</text>\n<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" "
            "stroke=\"#888\"/>\n<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" "
            "stroke=\"#888\"/>\n",
            LAD_LX, LAD_LX, h - 10, LAD_RX, LAD_RX, h - 10);
    for (size_t i = 0; i < l->n; i++) {
        const arrow *a = &l->a[i];
        int y = LAD_TOP + (int)i * LAD_ROW + 24;
        int x1 = a->from_left ? LAD_LX : LAD_RX;
        int x2 = a->from_left ? LAD_RX : LAD_LX;
        char xb[IKH_NAME_BUF_LEN];
        /* exchange names: RFC 7296 §1.2 (IKE_SA_INIT, IKE_AUTH), §1.3
         * (CREATE_CHILD_SA), §1.4 (INFORMATIONAL) */
        const char *xn = ikh_name_or(IKH_NT_EXCH, a->exch, xb, sizeof xb);
        bool resp = (a->flags & IKH_HDR_F_RESPONSE) != 0;
        fprintf(f,
                "<g data-testid=\"ladder-msg\" id=\"f%" PRIu64
                "\" data-frame=\"%" PRIu64
                "\"%s%s%s%s%s%s>\n<title>frame %" PRIu64 ", %.3f s, %u octets",
                a->frame, a->frame, a->dup_of ? " data-retransmit=\"1\"" : "",
                a->drop_ev ? " data-drop=\"1\"" : "",
                a->net & NET_LOST ? " data-lost=\"1\"" : "",
                a->net & NET_DUP ? " data-duplicated=\"1\"" : "",
                a->net & NET_DAMAGED ? " data-damaged=\"1\"" : "",
                a->net & NET_UNDELIVERED ? " data-undelivered=\"1\"" : "",
                a->frame, (double)a->t_us / 1e6, a->len);
        fputs("</title>\n", f);
        fprintf(f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                "stroke-width=\"1.5\"%s marker-end=\"url(#ah%zu)\"/>\n",
                x1, y, x2, y,
                a->drop_ev                          ? "#b82020"
                : a->net & (NET_LOST | NET_DAMAGED) ? "#c06000"
                                                    : "#333",
                a->dup_of ? " stroke-dasharray=\"6,4\"" : "", idx);
        /* a long payload list takes two lines, split at a comma */
        size_t pn = strlen(a->pls), cut = pn;
        if (pn > LAD_WRAP) {
            cut = LAD_WRAP;
            while (cut > 0 && a->pls[cut - 1] != ',')
                cut--;
            if (cut == 0)
                cut = LAD_WRAP;
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
                (LAD_LX + LAD_RX) / 2, y - (cut < pn ? 30 : 18));
        fprintf(f, "#%" PRIu64 " ", a->frame);
        html(f, xn);
        /* flags: RFC 7296 §3.1 (I: original initiator, R: response) */
        bool ini = (a->flags & IKH_HDR_F_INITIATOR) != 0;
        fprintf(f, " mid %u flags %s %s", a->mid,
                ini && resp ? "I+R"
                : ini       ? "I"
                : resp      ? "R"
                            : "-",
                resp ? "response" : "request");
        if (a->dup_of)
            fprintf(f, " retransmission of #%" PRIu64, a->dup_of);
        fputs("</text>\n", f);
        fprintf(f,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                "fill=\"#1f4f8f\">",
                (LAD_LX + LAD_RX) / 2, y - (cut < pn ? 17 : 5));
        html_n(f, a->pls, cut);
        fputs("</text>\n", f);
        if (cut < pn) {
            fprintf(f,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                    "fill=\"#1f4f8f\">",
                    (LAD_LX + LAD_RX) / 2, y - 5);
            html_n(f, a->pls + cut, pn - cut);
            fputs("</text>\n", f);
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#666\">%.3fs</text>\n", 8,
                y + 4, (double)a->t_us / 1e6);
        if (a->net & NET_LOST) {
            /* lost on the way: a cross in the middle of the arrow */
            int xm = (x1 + x2) / 2;
            fprintf(f,
                    "<path d=\"M%d,%d l10,10 m0,-10 l-10,10\" "
                    "stroke=\"#c06000\" stroke-width=\"2.5\"/>\n",
                    xm - 5, y - 5);
        }
        if (a->drop_ev || a->note[0]) {
            int xd = x2 + (a->from_left ? -14 : 14);
            if (a->drop_ev)
                fprintf(
                    f,
                    "<path d=\"M%d,%d l8,8 m0,-8 l-8,8\" stroke=\"#b82020\" "
                    "stroke-width=\"2\"/>\n",
                    xd - 4, y - 4);
            fprintf(f,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                    "fill=\"%s\">",
                    (LAD_LX + LAD_RX) / 2, y + 14,
                    a->drop_ev ? "#b82020" : "#c06000");
            html(f, a->note);
            fputs("</text>\n", f);
        }
        fputs("</g>\n", f);
    }
    fputs("</svg>\n", f);
    for (size_t i = 0; i < l->n; i++)
        if (l->a[i].drop_ev) {
            fprintf(f, "<p class=\"note\">frame %" PRIu64 ":", l->a[i].frame);
            ev_link(c, l->a[i].drop_ev, l->a[i].note);
            fputs("</p>\n", f);
        }
    if (l->not_drawn > 0)
        fprintf(f,
                "<p class=\"note\">%" PRIu64 " more not drawn (a ladder "
                "shows at most %u messages).</p>\n",
                l->not_drawn, REPORT_MAX_ARROWS);
}

static void ladders_section(rctx *c)
{
    FILE *f = c->f;
    fputs("<h2 id=\"ladders\">IKE SAs: message ladders</h2>\n", f);
    fputs(
        "<p class=\"note\">One ladder per IKE SA from the capture; left: the "
        "original initiator (I flag, RFC 7296 §3.1). Dashed: a byte-identical "
        "repeat of an earlier message (retransmission, §2.1; compared by "
        "64-bit FNV-1a hash and length). Red: dropped by a node per "
        "events.jsonl. Orange: what the simulated network did to it "
        "(faults.jsonl: lost, with a cross; duplicated; damaged; still in "
        "flight at the end). Payloads inside {} were decrypted with the key "
        "files.</p>\n",
        f);
    if (c->cap_note[0]) {
        fputs("<p class=\"note\">", f);
        html(f, c->cap_note);
        fputs("</p>\n", f);
    }
    if (c->key_note[0]) {
        fputs("<p class=\"note\">", f);
        html(f, c->key_note);
        fputs("</p>\n", f);
    }
    if (c->n_lad == 0 && !c->cap_note[0])
        fputs("<p class=\"note\">no IKE messages in the capture</p>\n", f);
    for (size_t i = 0; i < c->n_lad; i++)
        ladder_svg(c, &c->lad[i], i);
    if (c->lad_more_msgs > 0)
        fprintf(f,
                "<p class=\"note\">%" PRIu64 " messages of more IKE SAs "
                "not drawn (at most %u ladders).</p>\n",
                c->lad_more_msgs, REPORT_MAX_LADDERS);
    if (c->lad_unparsed > 0)
        fprintf(f,
                "<p class=\"note\">%" PRIu64 " IKE messages too short "
                "for a header, not drawn.</p>\n",
                c->lad_unparsed);
}

/* ---- SA lifecycles ----------------------------------------------------- */

typedef struct life {
    char node[24];
    uint64_t ispi, rspi;
    int64_t child_spi; /* a Child SA row (its inbound SPI), else -1 */
    uint64_t start, end, rekey;
    bool has_end, has_rekey;
    char by[24];
} life;

static life *life_row(life *rows, size_t *n, const ev *e, int64_t child_spi)
{
    for (size_t i = 0; i < *n; i++)
        /* a Child SA moves to the new IKE SA on an IKE rekey: its row is
         * kept by node and inbound SPI alone */
        if (rows[i].child_spi == child_spi &&
            (child_spi >= 0 ||
             (rows[i].ispi == e->ispi && rows[i].rspi == e->rspi)) &&
            strcmp(rows[i].node, e->node) == 0)
            return &rows[i];
    if (*n >= LIFE_ROWS_MAX)
        return NULL;
    life *r = &rows[(*n)++];
    memset(r, 0, sizeof *r);
    copy_str(r->node, sizeof r->node, e->node);
    r->ispi = e->ispi;
    r->rspi = e->rspi;
    r->child_spi = child_spi;
    r->start = e->t;
    return r;
}

static void lifecycle_section(rctx *c)
{
    FILE *f = c->f;
    life rows[LIFE_ROWS_MAX];
    size_t n = 0, not_drawn = 0;
    uint64_t tmax = 1;
    for (size_t i = 0; i < c->n_evs; i++) {
        const ev *e = &c->evs[i];
        if (e->t > tmax)
            tmax = e->t;
        bool done = strcmp(e->ev, "ike.handshake.done") == 0;
        bool rekey = strcmp(e->ev, "ike.sa.rekey") == 0;
        bool del = strcmp(e->ev, "ike.sa.delete") == 0;
        bool cup = strcmp(e->ev, "ike.child.up") == 0 && e->spi_in >= 0;
        bool cdel = strcmp(e->ev, "ike.child.delete") == 0 && e->spi_in >= 0;
        if (cup || cdel) {
            life *cr = life_row(rows, &n, e, e->spi_in);
            not_drawn += cr == NULL && cup;
            if (cr != NULL && cdel) {
                cr->end = e->t;
                cr->has_end = true;
                copy_str(cr->by, sizeof cr->by, e->by);
            }
            continue;
        }
        if (!done && !rekey && !del)
            continue;
        life *r = life_row(rows, &n, e, -1);
        if (r == NULL) {
            not_drawn += done;
            continue;
        }
        if (done)
            r->start = e->t;
        if (rekey) {
            r->rekey = e->t;
            r->has_rekey = true;
            /* the new IKE SA lives from the rekey on (RFC 7296 §2.18) */
            ev ne = *e;
            ne.ispi = e->new_ispi;
            ne.rspi = e->new_rspi;
            if (ne.ispi != 0)
                (void)life_row(rows, &n, &ne, -1);
        }
        if (del) {
            r->end = e->t;
            r->has_end = true;
            copy_str(r->by, sizeof r->by, e->by);
        }
    }
    int64_t end_ms = rjson_get_int(c->run, RJSON_ROOT, "end_ms", 0);
    if (end_ms > 0 && (uint64_t)end_ms > tmax)
        tmax = (uint64_t)end_ms;
    fputs("<h2 id=\"lifecycle\">SA lifecycles</h2>\n", f);
    if (n == 0) {
        fputs("<p class=\"note\">no IKE SA was established, rekeyed or "
              "deleted according to events.jsonl</p>\n",
              f);
        return;
    }
    const int x0 = 330, x1 = 910, rowh = 22;
    int h = 40 + (int)n * rowh;
    fprintf(
        f,
        "<svg data-testid=\"lifecycle\" xmlns=\"http://www.w3.org/2000/svg\""
        " width=\"960\" height=\"%d\" viewBox=\"0 0 960 %d\">\n",
        h, h);
    for (int k = 0; k <= 4; k++) {
        int x = x0 + (x1 - x0) * k / 4;
        fprintf(
            f,
            "<line x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
            "<text x=\"%d\" y=\"12\" text-anchor=\"middle\">%" PRIu64
            " ms</text>\n",
            x, x, h, x, tmax * (uint64_t)k / 4);
    }
    for (size_t i = 0; i < n; i++) {
        const life *r = &rows[i];
        int y = 24 + (int)i * rowh;
        int xs =
            x0 + (int)((double)(x1 - x0) * (double)r->start / (double)tmax);
        uint64_t te = r->has_end ? r->end : tmax;
        int xe = x0 + (int)((double)(x1 - x0) * (double)te / (double)tmax);
        if (xe < xs + 2)
            xe = xs + 2;
        fputs("<g>", f);
        fprintf(f, "<text x=\"4\" y=\"%d\">", y + 12);
        html(f, r->node);
        if (r->child_spi >= 0)
            fprintf(f, ": Child SA, inbound SPI %08" PRIx64 "</text>",
                    (uint64_t)r->child_spi);
        else
            fprintf(f, ": IKE SA %016" PRIx64 "/%016" PRIx64 "</text>", r->ispi,
                    r->rspi);
        fprintf(f,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" "
                "fill=\"%s\"><title>%s at %" PRIu64 " ms",
                xs, y, xe - xs, r->child_spi >= 0 ? "#8fb3df" : "#7fbf7f",
                r->child_spi >= 0 ? "installed" : "established", r->start);
        if (r->has_rekey)
            fprintf(f, ", rekeyed at %" PRIu64 " ms", r->rekey);
        if (r->has_end) {
            fprintf(f, ", deleted at %" PRIu64 " ms by ", r->end);
            html(f, r->by);
        }
        fputs("</title></rect>", f);
        if (r->has_rekey) {
            int xr =
                x0 + (int)((double)(x1 - x0) * (double)r->rekey / (double)tmax);
            fprintf(f,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                    "stroke=\"#d08000\" stroke-width=\"3\"/>",
                    xr, y - 2, xr, y + 16);
        }
        if (r->has_end)
            fprintf(f,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                    "stroke=\"#b82020\" stroke-width=\"3\"/>",
                    xe, y - 2, xe, y + 16);
        fputs("</g>\n", f);
    }
    fputs("</svg>\n<p class=\"note\">Green: an IKE SA from established "
          "(ike.handshake.done, or the rekey that made it) to deleted "
          "(ike.sa.delete, red) or the end of the run; orange: rekeyed "
          "(ike.sa.rekey, RFC 7296 §2.18). Blue: a Child SA from installed "
          "(ike.child.up) to deleted (ike.child.delete). Time on the node "
          "clock (virtual for sim).",
          f);
    if (not_drawn > 0)
        fprintf(f, " %zu more SAs not drawn (at most %u rows).", not_drawn,
                LIFE_ROWS_MAX);
    fputs("</p>\n", f);
}

/* ---- metrics ----------------------------------------------------------- */

/* The samples of a labelled metric, one per line: "[label=]value: n". */
static void labelled_values(FILE *f, const rjson_doc *d, rjson_ref obj,
                            const char *label)
{
    for (rjson_ref v = rjson_first(d, obj); v != RJSON_NONE;
         v = rjson_next(d, v)) {
        if (label != NULL) {
            html(f, label);
            fputs("=", f);
        }
        html(f, rjson_key(d, v, NULL));
        fputs(": ", f);
        html_json(f, d, v);
        fputs("<br>", f);
    }
}

/* The replay's metrics.json (pcap/src/replay_report.c): one flat object,
 * each metric a number or an object of label value to number. */
static void flat_metrics(FILE *f, const rjson_doc *d)
{
    fputs("<table data-testid=\"metrics\">\n<tr><th>metric</th><th>value"
          "</th></tr>\n",
          f);
    for (rjson_ref m = rjson_first(d, RJSON_ROOT); m != RJSON_NONE;
         m = rjson_next(d, m)) {
        double num = 0;
        bool zero =
            (rjson_num(d, m, &num) && num == 0) ||
            (rjson_type_of(d, m) == RJSON_OBJECT && rjson_count(d, m) == 0);
        fprintf(f, "<tr%s><td>", zero ? " class=\"zero\"" : "");
        html(f, rjson_key(d, m, NULL));
        fputs("</td><td>", f);
        if (rjson_type_of(d, m) == RJSON_OBJECT) {
            labelled_values(f, d, m, NULL);
        } else {
            html_json(f, d, m);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void metrics_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->metrics;
    fputs("<h2 id=\"metrics\">Metrics</h2>\n", f);
    rjson_ref ms = rjson_get(d, RJSON_ROOT, "metrics");
    if (d != NULL && rjson_type_of(d, ms) != RJSON_OBJECT &&
        rjson_type_of(d, RJSON_ROOT) == RJSON_OBJECT) {
        flat_metrics(f, d);
        return;
    }
    if (d == NULL || rjson_type_of(d, ms) != RJSON_OBJECT) {
        fputs("<p class=\"note\">no metrics.json</p>\n", f);
        return;
    }
    fputs("<table data-testid=\"metrics\">\n<tr><th>metric</th><th>type</th>"
          "<th>value</th><th>help</th></tr>\n",
          f);
    for (rjson_ref m = rjson_first(d, ms); m != RJSON_NONE;
         m = rjson_next(d, m)) {
        rjson_ref val = rjson_get(d, m, "value");
        rjson_ref vals = rjson_get(d, m, "values");
        rjson_ref bk = rjson_get(d, m, "buckets");
        double num = 0;
        bool zero = (rjson_num(d, val, &num) && num == 0) ||
                    (vals != RJSON_NONE && rjson_count(d, vals) == 0) ||
                    (bk != RJSON_NONE && rjson_get_int(d, m, "count", 0) == 0);
        fprintf(f, "<tr%s><td>", zero ? " class=\"zero\"" : "");
        html(f, rjson_key(d, m, NULL));
        fputs("</td><td>", f);
        html(f, rjson_get_str(d, m, "type", ""));
        fputs("</td><td>", f);
        if (val != RJSON_NONE) {
            html_json(f, d, val);
        } else if (vals != RJSON_NONE) {
            labelled_values(f, d, vals, rjson_get_str(d, m, "label", "label"));
        } else if (bk != RJSON_NONE) {
            fputs("count ", f);
            html_json(f, d, rjson_get(d, m, "count"));
            fputs(", sum ", f);
            html_json(f, d, rjson_get(d, m, "sum"));
            fputs("<br>", f);
            for (rjson_ref v = rjson_first(d, bk); v != RJSON_NONE;
                 v = rjson_next(d, v)) {
                fputs("&le;", f);
                html(f, rjson_key(d, v, NULL));
                fputs(": ", f);
                html_json(f, d, v);
                fputs(" ", f);
            }
        }
        fputs("</td><td>", f);
        html(f, rjson_get_str(d, m, "help", ""));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* ---- events list ------------------------------------------------------- */

static void events_section(rctx *c)
{
    FILE *f = c->f;
    fputs("<h2 id=\"events\">Log events (warnings, errors, drops, SA "
          "changes)</h2>\n",
          f);
    if (c->evs == NULL) {
        fputs("<p class=\"note\">no events.jsonl</p>\n", f);
        return;
    }
    fputs("<ul>\n", f);
    size_t shown = 0;
    for (size_t i = 0; i < c->n_evs && shown < EV_SHOW_MAX; i++, shown++) {
        const ev *e = &c->evs[i];
        bool bad = strcmp(e->lvl, "warn") == 0 || strcmp(e->lvl, "error") == 0;
        fprintf(f, "<li id=\"ev-%u\"%s><code>%u: ", e->line,
                bad ? " class=\"bad\"" : "", e->line);
        html(f, e->text);
        fputs("</code></li>\n", f);
    }
    fputs("</ul>\n", f);
    fprintf(f,
            "<p class=\"note\">%" PRIu64 " lines in events.jsonl; %zu "
            "listed",
            c->ev_lines, shown);
    if (c->n_evs > shown || c->ev_dropped > 0)
        fprintf(f, "; %" PRIu64 " more not listed",
                (uint64_t)(c->n_evs - shown) + c->ev_dropped);
    if (c->ev_cut)
        fprintf(f,
                "; the file is longer than %u octets: the rest was not "
                "read",
                REPORT_MAX_EVENTS);
    fputs(".</p>\n", f);
}

/* ---- baseline ---------------------------------------------------------- */

/* Replay: rules that fail now and did not, and the other way round. */
static void baseline_replay(rctx *c, const rjson_doc *b)
{
    FILE *f = c->f;
    const rjson_doc *d = c->conf;
    rjson_ref now = rjson_get(d, RJSON_ROOT, "rules");
    rjson_ref old = rjson_get(b, RJSON_ROOT, "rules");
    for (int pass = 0; pass < 2; pass++) {
        fputs(pass == 0 ? "<h3>Newly failing rules</h3>\n<ul "
                          "class=\"newly-failing\">\n"
                        : "<h3>Newly passing rules</h3>\n<ul "
                          "class=\"newly-passing\">\n",
              f);
        size_t k = 0;
        const rjson_doc *x = pass == 0 ? d : b, *y = pass == 0 ? b : d;
        rjson_ref xs = pass == 0 ? now : old, ys = pass == 0 ? old : now;
        for (rjson_ref r = rjson_first(x, xs); r != RJSON_NONE;
             r = rjson_next(x, r)) {
            if (rjson_get_int(x, r, "fail", 0) == 0)
                continue;
            const char *id = rjson_get_str(x, r, "id", "");
            int64_t yf = -1;
            for (rjson_ref s = rjson_first(y, ys); s != RJSON_NONE;
                 s = rjson_next(y, s))
                if (strcmp(rjson_get_str(y, s, "id", ""), id) == 0)
                    yf = rjson_get_int(y, s, "fail", 0);
            if (yf > 0)
                continue;
            if (pass == 1 && yf < 0)
                continue; /* not judged now: neither */
            fputs(pass == 0 ? "<li class=\"bad\">" : "<li>", f);
            html(f, id);
            fprintf(f, " (%" PRId64 " failures %s)%s</li>\n",
                    rjson_get_int(x, r, "fail", 0),
                    pass == 0 ? "now" : "in the baseline",
                    yf < 0 ? (pass == 0 ? ", not in the baseline" : "") : "");
            k++;
        }
        if (k == 0)
            fputs("<li>none</li>\n", f);
        fputs("</ul>\n", f);
    }
}

static const char *case_result(const rjson_doc *d, const char *name)
{
    rjson_ref rs = rjson_get(d, RJSON_ROOT, "results");
    for (rjson_ref r = rjson_first(d, rs); r != RJSON_NONE;
         r = rjson_next(d, r))
        if (strcmp(rjson_get_str(d, r, "case", ""), name) == 0)
            return rjson_get_str(d, r, "result", "?");
    return NULL;
}

static bool result_bad(const char *r)
{
    return r != NULL && (strcmp(r, "fail") == 0 || strcmp(r, "error") == 0);
}

static void baseline_interop(rctx *c, const rjson_doc *b)
{
    FILE *f = c->f;
    const rjson_doc *d = c->summary;
    rjson_ref rs = rjson_get(d, RJSON_ROOT, "results");
    for (int pass = 0; pass < 2; pass++) {
        fputs(pass == 0 ? "<h3>Newly failing cases</h3>\n<ul "
                          "class=\"newly-failing\">\n"
                        : "<h3>Newly passing cases</h3>\n<ul "
                          "class=\"newly-passing\">\n",
              f);
        size_t k = 0;
        for (rjson_ref r = rjson_first(d, rs); r != RJSON_NONE;
             r = rjson_next(d, r)) {
            const char *name = rjson_get_str(d, r, "case", "");
            const char *now = rjson_get_str(d, r, "result", "?");
            const char *old = case_result(b, name);
            bool hit = pass == 0 ? result_bad(now) && !result_bad(old)
                                 : strcmp(now, "pass") == 0 && result_bad(old);
            if (!hit)
                continue;
            fputs(pass == 0 ? "<li class=\"bad\">" : "<li>", f);
            html(f, name);
            fputs(": ", f);
            html(f, old ? old : "(not in the baseline)");
            fputs(" &rarr; ", f);
            html(f, now);
            fputs("</li>\n", f);
            k++;
        }
        if (k == 0)
            fputs("<li>none</li>\n", f);
        fputs("</ul>\n", f);
    }
}

/* ---- interop and fuzz -------------------------------------------------- */

/* A case or target name usable as a relative folder name. */
static bool safe_name(const char *s)
{
    if (s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == '\\')
            return false;
    return true;
}

static void link_if(rctx *c, const char *sub, const char *file,
                    const char *label)
{
    char rel[600];
    snprintf(rel, sizeof rel, "%s/%s", sub, file);
    size_t n = strlen(rel);
    bool dir = n > 0 && rel[n - 1] == '/';
    if (dir)
        rel[n - 1] = '\0';
    if (!path_exists(c->dir, rel, dir))
        return;
    if (dir)
        rel[n - 1] = '/';
    fputs(" <a href=\"", c->f);
    href(c->f, rel);
    fputs("\">", c->f);
    html(c->f, label);
    fputs("</a>", c->f);
}

static void interop_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->summary;
    rjson_ref rs = rjson_get(d, RJSON_ROOT, "results");
    fputs("<h2 id=\"run\">Interop run</h2>\n<table>\n", f);
    static const char *const keys[] = {"cases", "pass", "fail", "error",
                                       "unsupported"};
    for (size_t i = 0; i < 5; i++) {
        fputs("<tr><th>", f);
        html(f, keys[i]);
        fputs("</th><td>", f);
        html_json(f, d, rjson_get(d, RJSON_ROOT, keys[i]));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p>Run it again:</p>\n<pre data-testid=\"reproduce\">"
          "interop/run.sh --out ",
          f);
    html(f, c->dir);
    for (rjson_ref r = rjson_first(d, rs); r != RJSON_NONE;
         r = rjson_next(d, r)) {
        fputs(" ", f);
        html(f, rjson_get_str(d, r, "case", ""));
    }
    fputs("</pre>\n", f);
    fputs("<h2 id=\"cases\">Cases</h2>\n<table data-testid=\"cases\">\n<tr><th>"
          "case</th><th>role</th><th>suite</th><th>result</th><th>seconds</th>"
          "<th>files</th></tr>\n",
          f);
    for (rjson_ref r = rjson_first(d, rs); r != RJSON_NONE;
         r = rjson_next(d, r)) {
        const char *name = rjson_get_str(d, r, "case", "");
        const char *res = rjson_get_str(d, r, "result", "?");
        fputs("<tr><td>", f);
        html(f, name);
        fputs("</td><td>", f);
        html_json(f, d, rjson_get(d, r, "role"));
        fputs("</td><td>", f);
        html_json(f, d, rjson_get(d, r, "suite"));
        fputs("</td><td class=\"r-", f);
        html(f, res);
        fputs("\">", f);
        html(f, res);
        fputs("</td><td>", f);
        double s = 0;
        if (rjson_num(d, rjson_get(d, r, "seconds"), &s))
            fprintf(f, "%.1f", s);
        fputs("</td><td>", f);
        if (safe_name(name)) {
            link_if(c, name, "result.txt", "result");
            link_if(c, name, "checks.txt", "checks");
            link_if(c, name, "ikh/index.html", "ikeharness run");
            link_if(c, name, "replay-wire/index.html", "wire replay");
            link_if(c, name, "wire.pcap", "wire.pcap");
            link_if(c, name, "charon.log", "charon.log");
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2 id=\"failures\">Failed cases</h2>\n<ul "
          "data-testid=\"failures\">\n",
          f);
    for (rjson_ref r = rjson_first(d, rs); r != RJSON_NONE;
         r = rjson_next(d, r)) {
        const char *res = rjson_get_str(d, r, "result", "?");
        if (!result_bad(res))
            continue;
        fputs("<li class=\"bad\">", f);
        html(f, rjson_get_str(d, r, "case", ""));
        fputs(": ", f);
        html(f, res);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

/* An SVG file embedded as an image (data: URI, so its content can run no
 * script in the page). */
static void embed_svg(rctx *c, const char *rel)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", c->dir, rel);
    uint8_t *buf = NULL;
    size_t n = 0;
    if (read_whole(p, REPORT_MAX_SVG, &buf, &n) != IKH_OK)
        return;
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    fputs("<p><img alt=\"coverage over time\" src=\"data:image/svg+xml;base64,",
          c->f);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)buf[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)buf[i + 1] << 8;
        if (i + 2 < n)
            v |= buf[i + 2];
        fputc(b64[v >> 18 & 63], c->f);
        fputc(b64[v >> 12 & 63], c->f);
        fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', c->f);
        fputc(i + 2 < n ? b64[v & 63] : '=', c->f);
    }
    fputs("\"></p>\n", c->f);
    free(buf);
}

static void fuzz_section(rctx *c)
{
    FILE *f = c->f;
    const rjson_doc *d = c->metrics;
    rjson_ref ts = rjson_get(d, RJSON_ROOT, "targets");
    fputs("<h2 id=\"run\">Fuzz run</h2>\n<table>\n", f);
    fputs("<tr><th>engine</th><td>", f);
    html_json(f, d, rjson_get(d, RJSON_ROOT, "engine"));
    fputs("</td></tr>\n<tr><th>seconds per target</th><td>", f);
    html_json(f, d, rjson_get(d, RJSON_ROOT, "seconds"));
    fputs("</td></tr>\n</table>\n<p>Run it again:</p>\n<pre "
          "data-testid=\"reproduce\">",
          f);
    /* the command line ci/fuzz.sh was run with (metrics.json "cmdline");
     * a folder written before it was recorded gets one rebuilt from the
     * engine, budget and targets */
    const char *cmdline = rjson_get_str(d, RJSON_ROOT, "cmdline", "");
    if (cmdline[0] != '\0') {
        html(f, cmdline);
    } else {
        fputs("ci/fuzz.sh --engine ", f);
        html(f, rjson_get_str(d, RJSON_ROOT, "engine", "libfuzzer"));
        fputs(" --seconds ", f);
        html_json(f, d, rjson_get(d, RJSON_ROOT, "seconds"));
        for (rjson_ref t = rjson_first(d, ts); t != RJSON_NONE;
             t = rjson_next(d, t)) {
            fputs(" --target ", f);
            html(f, rjson_get_str(d, t, "target", "?"));
        }
        fputs(" --out ", f);
        html(f, c->dir);
    }
    fputs("</pre>\n<h2 id=\"targets\">Targets</h2>\n<table "
          "data-testid=\"metrics\">\n<tr><th>target</th><th>status</th><th>"
          "execs</th><th>execs/s</th><th>coverage</th><th>floor</th><th>"
          "features</th><th>corpus</th><th>crashes</th><th>problems</th></tr>"
          "\n",
          f);
    static const char *const cols[] = {
        "execs",    "execs_per_sec", "coverage", "floor",
        "features", "corpus_units",  "crashes"};
    for (rjson_ref t = rjson_first(d, ts); t != RJSON_NONE;
         t = rjson_next(d, t)) {
        const char *st = rjson_get_str(d, t, "status", "?");
        fputs("<tr><td>", f);
        html(f, rjson_get_str(d, t, "target", "?"));
        fputs("</td><td class=\"r-", f);
        html(f, st);
        fputs("\">", f);
        html(f, st);
        fputs("</td>", f);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            fputs("<td>", f);
            html_json(f, d, rjson_get(d, t, cols[i]));
            fputs("</td>", f);
        }
        fputs("<td>", f);
        rjson_ref pr = rjson_get(d, t, "problems");
        for (rjson_ref p = rjson_first(d, pr); p != RJSON_NONE;
             p = rjson_next(d, p)) {
            html_json(f, d, p);
            fputs("<br>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2 id=\"failures\">Crashes and failures</h2>\n<table "
          "data-testid=\"failures\">\n<tr><th>target</th><th>status</th>"
          "<th>crashes</th><th>problems</th><th>reproducers</th></tr>\n",
          f);
    size_t n_bad = 0;
    for (rjson_ref t = rjson_first(d, ts); t != RJSON_NONE;
         t = rjson_next(d, t)) {
        const char *name = rjson_get_str(d, t, "target", "?");
        const char *st = rjson_get_str(d, t, "status", "?");
        int64_t cr = rjson_get_int(d, t, "crashes", 0);
        if (cr == 0 && !result_bad(st))
            continue;
        n_bad++;
        fputs("<tr><td>", f);
        html(f, name);
        fputs("</td><td class=\"r-", f);
        html(f, st);
        fputs("\">", f);
        html(f, st);
        fprintf(f, "</td><td>%" PRId64 "</td><td>", cr);
        rjson_ref pr = rjson_get(d, t, "problems");
        for (rjson_ref p = rjson_first(d, pr); p != RJSON_NONE;
             p = rjson_next(d, p)) {
            html_json(f, d, p);
            fputs("<br>", f);
        }
        fputs("</td><td>", f);
        char rel[600];
        snprintf(rel, sizeof rel, "%s/reproducers.txt", name);
        uint8_t *buf = NULL;
        size_t len = 0;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", c->dir, rel);
        /* the one-line reproducers, inline (the first 4 KiB) */
        if (safe_name(name) && path_exists(c->dir, rel, false) &&
            read_whole(p, 1u << 20, &buf, &len) == IKH_OK) {
            fputs("<pre>", f);
            html_n(f, (const char *)buf, len < 4096 ? len : 4096);
            fputs("</pre>", f);
            link_if(c, name, "reproducers.txt", "reproducers.txt");
        }
        free(buf);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (n_bad == 0)
        fputs("<p class=\"note\">no crash, no failing target</p>\n", f);
    rjson_ref lc = rjson_get(d, RJSON_ROOT, "line_coverage");
    if (lc != RJSON_NONE) {
        fputs("<h2 id=\"coverage\">Line coverage</h2>\n<table "
              "data-testid=\"metrics\">\n<tr><th>module</th><th>lines</th><th>"
              "covered</th><th>%</th></tr>\n",
              f);
        rjson_ref mods = rjson_get(d, lc, "modules");
        for (rjson_ref m = rjson_first(d, mods); m != RJSON_NONE;
             m = rjson_next(d, m)) {
            fputs("<tr><td>", f);
            html_json(f, d, rjson_get(d, m, "module"));
            fputs("</td><td>", f);
            html_json(f, d, rjson_get(d, m, "lines"));
            fputs("</td><td>", f);
            html_json(f, d, rjson_get(d, m, "covered"));
            fputs("</td><td>", f);
            html_json(f, d, rjson_get(d, m, "percent"));
            fputs("</td></tr>\n", f);
        }
        rjson_ref tot = rjson_get(d, lc, "total");
        fputs("<tr><th>total</th><td>", f);
        html_json(f, d, rjson_get(d, tot, "lines"));
        fputs("</td><td>", f);
        html_json(f, d, rjson_get(d, tot, "covered"));
        fputs("</td><td>", f);
        html_json(f, d, rjson_get(d, tot, "percent"));
        fputs("</td></tr>\n</table>\n", f);
    }
    fputs("<h2 id=\"coverage-time\">Coverage over time</h2>\n", f);
    for (rjson_ref t = rjson_first(d, ts); t != RJSON_NONE;
         t = rjson_next(d, t)) {
        const char *name = rjson_get_str(d, t, "target", "?");
        char rel[600];
        snprintf(rel, sizeof rel, "%s/coverage.svg", name);
        if (!safe_name(name) || !path_exists(c->dir, rel, false))
            continue;
        fputs("<h3>", f);
        html(f, name);
        fputs("</h3>\n", f);
        embed_svg(c, rel);
    }
}

/* ---- kind detection and the verdict ------------------------------------ */

static ikh_err detect(rctx *c, report_info *info)
{
    struct stat st;
    if (stat(c->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        why(c, "%s: not a folder (%s)", c->dir,
            errno ? strerror(errno) : "not a directory");
        return IKH_ERR_IO_OPEN;
    }
    ikh_err e = load_json(c, c->dir, "run.json", REPORT_MAX_JSON, 0, &c->run);
    if (e == IKH_OK) {
        if (rjson_type_of(c->run, RJSON_ROOT) != RJSON_OBJECT) {
            why(c, "%s/run.json: not a JSON object", c->dir);
            return IKH_ERR_ARG_INVALID;
        }
        const char *cmd = rjson_get_str(c->run, RJSON_ROOT, "command", NULL);
        if (cmd == NULL) {
            why(c, "%s/run.json: no \"command\" string", c->dir);
            return IKH_ERR_ARG_INVALID;
        }
        if (strcmp(cmd, "sim") == 0)
            c->kind = REPORT_KIND_SIM;
        else if (strcmp(cmd, "peer") == 0)
            c->kind = REPORT_KIND_PEER;
        else if (strcmp(cmd, "replay") == 0)
            c->kind = REPORT_KIND_REPLAY;
        else if (strcmp(cmd, "decode") == 0)
            c->kind = REPORT_KIND_DECODE;
        else {
            why(c,
                "%s/run.json: command \"%.60s\" is not sim, peer, replay or "
                "decode",
                c->dir, cmd);
            return IKH_ERR_ARG_INVALID;
        }
        copy_str(info->verdict, sizeof info->verdict,
                 rjson_get_str(c->run, RJSON_ROOT, "verdict", "unknown"));
        const char *t = rjson_get_str(c->run, RJSON_ROOT, "name", NULL);
        if (t == NULL)
            t = rjson_get_str(c->run, RJSON_ROOT, "input", "");
        copy_str(info->title, sizeof info->title, t);
        return IKH_OK;
    }
    if (e != IKH_ERR_IO_OPEN)
        return e;
    e = load_json(c, c->dir, "summary.json", REPORT_MAX_JSON, 0, &c->summary);
    if (e == IKH_OK) {
        rjson_ref rs = rjson_get(c->summary, RJSON_ROOT, "results");
        if (rjson_type_of(c->summary, rs) != RJSON_ARRAY) {
            why(c,
                "%s/summary.json: no \"results\" array (not an interop "
                "summary)",
                c->dir);
            return IKH_ERR_ARG_INVALID;
        }
        c->kind = REPORT_KIND_INTEROP;
        bool bad = rjson_get_int(c->summary, RJSON_ROOT, "fail", 0) > 0 ||
                   rjson_get_int(c->summary, RJSON_ROOT, "error", 0) > 0;
        for (rjson_ref r = rjson_first(c->summary, rs); r != RJSON_NONE;
             r = rjson_next(c->summary, r))
            bad = bad ||
                  result_bad(rjson_get_str(c->summary, r, "result", "error"));
        copy_str(info->verdict, sizeof info->verdict, bad ? "fail" : "pass");
        size_t nc = rjson_count(c->summary, rs);
        snprintf(info->title, sizeof info->title, "%zu strongSwan case%s", nc,
                 nc == 1 ? "" : "s");
        return IKH_OK;
    }
    if (e != IKH_ERR_IO_OPEN)
        return e;
    e = load_json(c, c->dir, "metrics.json", REPORT_MAX_JSON, 0, &c->metrics);
    if (e == IKH_OK) {
        rjson_ref ts = rjson_get(c->metrics, RJSON_ROOT, "targets");
        if (rjson_type_of(c->metrics, ts) != RJSON_ARRAY ||
            rjson_get(c->metrics, RJSON_ROOT, "engine") == RJSON_NONE) {
            why(c,
                "%s: not a run folder: no run.json, no summary.json, and "
                "metrics.json has no \"engine\" and \"targets\" (not a fuzz "
                "run)",
                c->dir);
            return IKH_ERR_ARG_INVALID;
        }
        c->kind = REPORT_KIND_FUZZ;
        bool bad = false;
        for (rjson_ref t = rjson_first(c->metrics, ts); t != RJSON_NONE;
             t = rjson_next(c->metrics, t))
            bad = bad ||
                  result_bad(rjson_get_str(c->metrics, t, "status", "error")) ||
                  rjson_get_int(c->metrics, t, "crashes", 0) > 0;
        copy_str(info->verdict, sizeof info->verdict, bad ? "fail" : "pass");
        size_t nt = rjson_count(c->metrics, ts);
        snprintf(info->title, sizeof info->title, "%zu fuzz target%s (%.40s)",
                 nt, nt == 1 ? "" : "s",
                 rjson_get_str(c->metrics, RJSON_ROOT, "engine", "?"));
        return IKH_OK;
    }
    if (e != IKH_ERR_IO_OPEN)
        return e;
    why(c,
        "%s: not a run folder: none of run.json (sim, peer, replay, decode), "
        "summary.json (interop) or metrics.json (fuzz) is there",
        c->dir);
    return IKH_ERR_ARG_INVALID;
}

/* Verdicts become CSS class names: only the known ones. */
static const char *verdict_class(const char *v)
{
    static const char *const ok[] = {"pass", "fail", "error"};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(v, ok[i]) == 0)
            return ok[i];
    return "unknown";
}

/* The replay's capture path: as given, else inside the run folder. */
static void replay_capture(rctx *c)
{
    const char *in = rjson_get_str(c->run, RJSON_ROOT, "input", NULL);
    if (in == NULL) {
        snprintf(c->cap_note, sizeof c->cap_note,
                 "run.json names no input capture");
        return;
    }
    char p[4096];
    if (resolve(c, in, p, sizeof p)) {
        read_capture(c, p);
        return;
    }
    snprintf(c->cap_note, sizeof c->cap_note,
             "the capture %.200s is neither at that path from here nor under "
             "the run folder's parents: no ladder",
             in);
}

static ikh_err write_page(rctx *c, const char *verdict, const char *title,
                          const rjson_doc *base)
{
    FILE *f = c->f;
    head(c, title, verdict);
    switch (c->kind) {
    case REPORT_KIND_SIM:
    case REPORT_KIND_PEER:
        run_section(c);
        expectations_section(c);
        ladders_section(c);
        lifecycle_section(c);
        metrics_section(c);
        events_section(c);
        break;
    case REPORT_KIND_REPLAY:
        run_section(c);
        violations_section(c);
        if (base != NULL) {
            fputs("<h2 id=\"baseline\">Compared with the baseline</h2>\n"
                  "<section data-testid=\"baseline\">\n",
                  f);
            baseline_replay(c, base);
            fputs("</section>\n", f);
        }
        ladders_section(c);
        metrics_section(c);
        events_section(c);
        break;
    case REPORT_KIND_INTEROP:
        interop_section(c);
        if (base != NULL) {
            fputs("<h2 id=\"baseline\">Compared with the baseline</h2>\n"
                  "<section data-testid=\"baseline\">\n",
                  f);
            baseline_interop(c, base);
            fputs("</section>\n", f);
        }
        break;
    case REPORT_KIND_FUZZ:
        fuzz_section(c);
        break;
    case REPORT_KIND_DECODE:
        /* parse and verify errors are wire.parse.error / .verify.error
         * warnings, listed with the log events */
        run_section(c);
        ladders_section(c);
        metrics_section(c);
        events_section(c);
        break;
    default:
        break;
    }
    files_section(c);
    fprintf(f,
            "<p class=\"note\">Written by ikeharness report %s.</p>\n"
            "</body>\n</html>\n",
            IKH_VERSION);
    return ferror(f) ? IKH_ERR_IO_WRITE : IKH_OK;
}

/* Load what the kind needs beyond detection. */
static ikh_err load_more(rctx *c)
{
    ikh_err e = IKH_OK;
    if (c->kind == REPORT_KIND_SIM || c->kind == REPORT_KIND_PEER ||
        c->kind == REPORT_KIND_REPLAY || c->kind == REPORT_KIND_DECODE) {
        e = load_json(c, c->dir, "metrics.json", REPORT_MAX_JSON, 0,
                      &c->metrics);
        if (e == IKH_ERR_IO_OPEN)
            e = IKH_OK;
        if (e == IKH_OK)
            e = load_events(c);
    }
    if (e == IKH_OK && c->kind == REPORT_KIND_REPLAY) {
        e = load_json(c, c->dir, "conformance.json", REPORT_MAX_CONFORMANCE,
                      REPORT_MAX_CONF_NODES, &c->conf);
        if (e == IKH_ERR_IO_OPEN) {
            snprintf(c->conf_note, sizeof c->conf_note,
                     "no conformance.json in the run folder");
            e = IKH_OK;
        } else if (e == IKH_ERR_IO_TOO_BIG) {
            snprintf(c->conf_note, sizeof c->conf_note,
                     "conformance.json is larger than the report reads (%u "
                     "octets, %u values): violations not listed",
                     REPORT_MAX_CONFORMANCE, REPORT_MAX_CONF_NODES);
            e = IKH_OK;
        }
    }
    if (e != IKH_OK)
        return e;
    if (c->kind == REPORT_KIND_SIM || c->kind == REPORT_KIND_PEER) {
        char p[4200];
        snprintf(p, sizeof p, "%s/capture.pcap", c->dir);
        if (path_exists(c->dir, "capture.pcap", false))
            read_capture(c, p);
        else
            snprintf(c->cap_note, sizeof c->cap_note,
                     "no capture.pcap in the run folder");
    } else if (c->kind == REPORT_KIND_REPLAY) {
        replay_capture(c);
    } else if (c->kind == REPORT_KIND_DECODE) {
        /* a ladder only when decode read a capture (not hex or raw) */
        const char *fmt = rjson_get_str(c->run, RJSON_ROOT, "format", "");
        if (strcmp(fmt, "pcap") == 0 || strcmp(fmt, "pcapng") == 0)
            replay_capture(c);
        else
            snprintf(c->cap_note, sizeof c->cap_note,
                     "decoded from %.40s input, not a capture: no ladder",
                     fmt[0] ? fmt : "unnamed");
    }
    mark_drops(c);
    return mark_faults(c);
}

static ikh_err load_baseline(rctx *c, const char *bdir, rjson_doc **out)
{
    *out = NULL;
    if (c->kind != REPORT_KIND_REPLAY && c->kind != REPORT_KIND_INTEROP) {
        why(c,
            "--baseline: compares interop and replay runs only; %s is a "
            "%s run",
            c->dir, report_kind_name(c->kind));
        return IKH_ERR_ARG_INVALID;
    }
    const char *name =
        c->kind == REPORT_KIND_REPLAY ? "conformance.json" : "summary.json";
    ikh_err e = load_json(c, bdir, name, REPORT_MAX_CONFORMANCE,
                          REPORT_MAX_CONF_NODES, out);
    if (e == IKH_ERR_IO_OPEN) {
        why(c, "--baseline %s: no %s (the baseline must be a %s run folder)",
            bdir, name, report_kind_name(c->kind));
        return IKH_ERR_ARG_INVALID;
    }
    if (e != IKH_OK)
        return e;
    rjson_ref need = rjson_get(
        *out, RJSON_ROOT, c->kind == REPORT_KIND_REPLAY ? "rules" : "results");
    if (rjson_type_of(*out, need) != RJSON_ARRAY) {
        why(c, "--baseline %s/%s: no \"%s\" array", bdir, name,
            c->kind == REPORT_KIND_REPLAY ? "rules" : "results");
        rjson_free(*out);
        *out = NULL;
        return IKH_ERR_ARG_INVALID;
    }
    if (c->kind == REPORT_KIND_REPLAY && c->conf == NULL) {
        why(c, "--baseline: %s has no readable conformance.json to compare",
            c->dir);
        rjson_free(*out);
        *out = NULL;
        return IKH_ERR_ARG_INVALID;
    }
    return IKH_OK;
}

static void rctx_free(rctx *c)
{
    rjson_free(c->run);
    rjson_free(c->metrics);
    rjson_free(c->conf);
    rjson_free(c->summary);
    free(c->evs);
    for (size_t i = 0; i < c->n_lad; i++)
        free(c->lad[i].a);
}

/* Write to a temporary name, then rename onto out. */
static ikh_err open_tmp(rctx *c, const char *out, char *tmp, size_t cap)
{
    snprintf(tmp, cap, "%s.tmp", out);
    c->f = fopen(tmp, "wb");
    if (c->f == NULL) {
        why(c, "%s: cannot write: %s", tmp, strerror(errno));
        return IKH_ERR_IO_WRITE;
    }
    return IKH_OK;
}

static ikh_err close_tmp(rctx *c, const char *out, const char *tmp, ikh_err e)
{
    int fc = fclose(c->f);
    c->f = NULL;
    if (e == IKH_OK && fc != 0) {
        why(c, "%s: write error: %s", tmp, strerror(errno));
        e = IKH_ERR_IO_WRITE;
    }
    if (e == IKH_OK && rename(tmp, out) != 0) {
        why(c, "%s: cannot rename to %s: %s", tmp, out, strerror(errno));
        e = IKH_ERR_IO_WRITE;
    }
    if (e != IKH_OK)
        remove(tmp);
    return e;
}

ikh_err report_write_run(const char *run_dir, const char *out_html,
                         const char *baseline_dir, report_info *info,
                         char *why_buf, size_t why_len)
{
    report_info local;
    if (info == NULL)
        info = &local;
    memset(info, 0, sizeof *info);
    copy_str(info->verdict, sizeof info->verdict, "unknown");
    if (why_buf != NULL && why_len > 0)
        why_buf[0] = '\0';
    if (run_dir == NULL)
        return IKH_ERR_ARG_INVALID;
    rctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return IKH_ERR_ENV_NOMEM;
    c->dir = run_dir;
    c->why = why_buf;
    c->why_len = why_len;
    rjson_doc *base = NULL;
    errno = 0;
    ikh_err e = detect(c, info);
    info->kind = c->kind;
    /* only the known verdicts leave here (stdout, CSS classes) */
    copy_str(info->verdict, sizeof info->verdict, verdict_class(info->verdict));
    if (e == IKH_OK)
        e = load_more(c);
    if (e == IKH_OK && baseline_dir != NULL)
        e = load_baseline(c, baseline_dir, &base);
    char out[4200], tmp[4300];
    if (out_html == NULL)
        snprintf(out, sizeof out, "%s/index.html", run_dir);
    else
        snprintf(out, sizeof out, "%s", out_html);
    if (e == IKH_OK)
        e = open_tmp(c, out, tmp, sizeof tmp);
    if (e == IKH_OK) {
        e = write_page(c, verdict_class(info->verdict), info->title, base);
        if (e != IKH_OK)
            why(c, "%s: write error", tmp);
        e = close_tmp(c, out, tmp, e);
    }
    rjson_free(base);
    rctx_free(c);
    free(c);
    return e;
}

/* ---- the index page ---------------------------------------------------- */

/* A relative path from folder from_dir to path to (both resolved); the
 * absolute resolved path when that fails. */
static void rel_path(const char *from_dir, const char *to, char *out,
                     size_t cap)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (realpath(from_dir, a) == NULL || realpath(to, b) == NULL) {
        snprintf(out, cap, "%s", to);
        return;
    }
    size_t i = 0, common = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            common = i;
        i++;
    }
    if (a[i] == '\0' && (b[i] == '/' || b[i] == '\0'))
        common = i;
    out[0] = '\0';
    /* one ".." per component of a after the common prefix */
    for (const char *p = a + common; *p; p++)
        if (*p == '/' && p[1] != '\0')
            cat(out, cap, "../");
    const char *rest = b + common;
    if (*rest == '/')
        rest++;
    cat(out, cap, *rest ? rest : ".");
}

ikh_err report_write_index(const char *out_html, const char *const *run_dirs,
                           const report_info *infos, size_t n, char *why_buf,
                           size_t why_len)
{
    if (out_html == NULL || (n > 0 && (run_dirs == NULL || infos == NULL)))
        return IKH_ERR_ARG_INVALID;
    rctx c;
    memset(&c, 0, sizeof c);
    c.why = why_buf;
    c.why_len = why_len;
    if (why_buf != NULL && why_len > 0)
        why_buf[0] = '\0';
    char tmp[4300], odir[4200];
    IKH_TRY(open_tmp(&c, out_html, tmp, sizeof tmp));
    snprintf(odir, sizeof odir, "%s", out_html);
    char *slash = strrchr(odir, '/');
    if (slash == NULL)
        snprintf(odir, sizeof odir, ".");
    else if (slash == odir)
        slash[1] = '\0';
    else
        *slash = '\0';
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += strcmp(infos[i].verdict, "pass") != 0;
    FILE *f = c.f;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
            "charset=\"utf-8\">\n<title>ikeharness runs</title>\n"
            "<style>%s</style>\n</head>\n<body>\n<h1>ikeharness: %zu "
            "runs</h1>\n<div class=\"verdict %s\" data-testid=\"verdict\">"
            "%s</div>\n",
            css, n, bad ? "fail" : "pass", bad ? "fail" : "pass");
    fputs("<table data-testid=\"runs\">\n<tr><th>run</th><th>kind</th><th>"
          "verdict</th><th>what</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        char rel[PATH_MAX + 32];
        rel_path(odir, run_dirs[i], rel, sizeof rel);
        cat(rel, sizeof rel, "/index.html");
        const char *v = verdict_class(infos[i].verdict);
        fputs("<tr><td><a href=\"", f);
        href(f, rel);
        fputs("\">", f);
        html(f, run_dirs[i]);
        fputs("</a></td><td>", f);
        html(f, report_kind_name(infos[i].kind));
        fprintf(f, "</td><td class=\"r-%s\">%s</td><td>", v, v);
        html(f, infos[i].title);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body>\n</html>\n", f);
    return close_tmp(&c, out_html, tmp, ferror(f) ? IKH_ERR_IO_WRITE : IKH_OK);
}

void report_run_hook(const char *command, const char *run_dir)
{
    char w[600];
    ikh_err e = report_write_run(run_dir, NULL, NULL, NULL, w, sizeof w);
    if (e != IKH_OK)
        fprintf(stderr,
                "ikeharness: %s: warning: index.html not written: %s (%d): "
                "%s\n",
                command, ikh_err_name(e), (int)e, w[0] ? w : ikh_err_str(e));
}
