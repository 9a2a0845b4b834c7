/* SPDX-License-Identifier: MIT */
/* target: ikh_scn_parse (libyaml, scn_parse.c, scn_peer.c, scn_plan.c,
 *         scn_value.c), ikh_scn_check_init, ikh_scn_check_line,
 *         ikh_scn_check_expect, ikh_scn_traffic_packet, ikh_scn_echo_reply,
 *         ikh_scn_echo_match */
/* input: a scenario file (YAML text, docs/scenario-format.md) */
/*
 * The scenario parser works on a buffer and never touches the file system:
 * key file paths in a scenario are returned as text (scenario.h) and only
 * tools/scn_common.c resolves and loads them, so this target calls
 * ikh_scn_parse() alone and no path is ever opened.
 *
 * Oracles (abort on violation): the parse returns IKH_OK or one of its
 * documented codes (SCN_SYNTAX, SCN_SCHEMA, SCN_VALUE, SCN_REF, SCN_LIMIT,
 * IO_TOO_BIG), with the same code, a message, and a line/column inside the
 * input (or, as libyaml reports the end of a text without a final newline,
 * the line after it; column 0 only when the line is 0) in the diagnostic. A
 * scenario that parses keeps every invariant the runner relies on: counts
 * within the IKH_SCN_MAX_* limits, every text NUL-terminated, link ends, step
 * peers, links and children, and expectation peers naming existing entries,
 * steps sorted by time, definition lines inside the input. Then its
 * expectations are evaluated with no node (counts 0) after one log line, and
 * each TRAFFIC step's first packet is built, turned into an echo reply and
 * matched. Deterministic, no state between inputs, writes no files.
 */
#include <stdlib.h>
#include <string.h>

#include "ikh/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ikh_scenario scn;
static ikh_scn_check chk;
static uint8_t pkt[9216];

static void terminated(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL)
        abort();
}

static void check_lines(uint32_t line, uint32_t lines)
{
    if (line == 0 || line > lines)
        abort();
}

static void check_parsed(const ikh_scenario *s, uint32_t lines)
{
    if (s->n_peers > IKH_SCN_MAX_PEERS || s->n_links > IKH_SCN_MAX_LINKS ||
        s->n_steps > IKH_SCN_MAX_STEPS || s->n_expect > IKH_SCN_MAX_EXPECT)
        abort();
    terminated(s->name, sizeof s->name);
    terminated(s->description, sizeof s->description);
    for (size_t i = 0; i < s->n_peers; i++) {
        const ikh_scn_peer *p = &s->peers[i];
        terminated(p->name, sizeof p->name);
        terminated(p->remote, sizeof p->remote);
        terminated(p->key_path, sizeof p->key_path);
        terminated(p->peer_key_path, sizeof p->peer_key_path);
        check_lines(p->line, lines);
        if (p->remote[0] != '\0') {
            size_t k = 0;
            while (k < s->n_peers && strcmp(s->peers[k].name, p->remote) != 0)
                k++;
            if (k == s->n_peers)
                abort(); /* SCN_REF otherwise */
        }
    }
    for (size_t i = 0; i < s->n_links; i++) {
        const ikh_scn_link *l = &s->links[i];
        if (l->a >= s->n_peers || l->b >= s->n_peers)
            abort();
        check_lines(l->line, lines);
    }
    for (size_t i = 0; i < s->n_steps; i++) {
        const ikh_scn_step *st = &s->steps[i];
        if (i > 0 && st->at < s->steps[i - 1].at)
            abort(); /* sorted by time */
        check_lines(st->line, lines);
        if (st->op < IKH_SCN_INITIATE || st->op > IKH_SCN_TRAFFIC)
            abort();
        if (st->op == IKH_SCN_FAULTS) {
            if (st->link >= s->n_links)
                abort();
        } else if (st->peer >= s->n_peers) {
            abort();
        }
        if ((st->op == IKH_SCN_INITIATE || st->op == IKH_SCN_CREATE_CHILD) &&
            st->child >= s->peers[st->peer].cfg.n_children)
            abort();
    }
    for (size_t i = 0; i < s->n_expect; i++) {
        const ikh_scn_expect *x = &s->expect[i];
        check_lines(x->line, lines);
        if (x->kind < IKH_SCN_X_IKE_SA || x->kind > IKH_SCN_X_LOG ||
            x->cmp > IKH_SCN_LT || x->n_fields > IKH_SCN_MAX_FIELDS)
            abort();
        if (!x->any_peer && x->peer >= s->n_peers)
            abort();
        terminated(x->metric, sizeof x->metric);
        terminated(x->label, sizeof x->label);
        terminated(x->event, sizeof x->event);
        terminated(x->text, sizeof x->text);
        for (size_t f = 0; f < x->n_fields; f++) {
            terminated(x->fields[f].key, sizeof x->fields[f].key);
            terminated(x->fields[f].value, sizeof x->fields[f].value);
        }
    }
}

static void use_parsed(const ikh_scenario *s)
{
    static const char line[] =
        "{\"t\":0,\"lvl\":\"info\",\"ev\":\"ike.notify.rx\",\"peer\":\"a\","
        "\"notify\":\"COOKIE\",\"type\":16390}";
    ikh_scn_check_init(&chk, s);
    ikh_scn_check_line(&chk, line, sizeof line - 1);
    for (size_t i = 0; i < s->n_expect; i++) {
        ikh_scn_outcome o;
        ikh_scn_check_expect(&chk, i, &o);
        terminated(o.detail, sizeof o.detail);
    }
    for (size_t i = 0; i < s->n_steps; i++) {
        const ikh_scn_step *st = &s->steps[i];
        if (st->op != IKH_SCN_TRAFFIC)
            continue;
        size_t n = ikh_scn_traffic_packet(st, 1, pkt, sizeof pkt);
        if (n != 0 && n != st->size)
            abort();
        uint32_t seq = 0;
        if (n != 0 && ikh_scn_echo_reply(pkt, n) &&
            (!ikh_scn_echo_match(pkt, n, st, &seq) || seq != 1))
            abort(); /* our own echo request answers as itself */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikh_scn_diag d;
    memset(&d, 0xA5, sizeof d); /* must be written on every error */
    ikh_err e = ikh_scn_parse((const char *)data, size, &scn, &d);
    /* an upper bound of the YAML lines (YAML 1.1 §5.4: \n, \r, \r\n, and
     * in UTF-8 NEL U+0085, LS U+2028, PS U+2029 break lines) */
    uint32_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r' ||
                 (i > 0 && data[i - 1] == 0xC2 && data[i] == 0x85) ||
                 (i > 1 && data[i - 2] == 0xE2 && data[i - 1] == 0x80 &&
                  (data[i] == 0xA8 || data[i] == 0xA9));
    switch (e) {
    case IKH_OK:
        check_parsed(&scn, lines);
        use_parsed(&scn);
        return 0;
    case IKH_ERR_SCN_SYNTAX:
    case IKH_ERR_SCN_SCHEMA:
    case IKH_ERR_SCN_VALUE:
    case IKH_ERR_SCN_REF:
    case IKH_ERR_SCN_LIMIT:
    case IKH_ERR_IO_TOO_BIG:
        break;
    default:
        abort(); /* not a documented code */
    }
    if (d.err != e)
        abort();
    terminated(d.msg, sizeof d.msg);
    /* libyaml puts the end of a text without a final newline on the line
     * after the last one (column 1) */
    if (d.msg[0] == '\0' || d.line > lines + 1 ||
        (d.line == 0 && d.column != 0))
        abort();
    return 0;
}
