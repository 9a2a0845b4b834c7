/* SPDX-License-Identifier: MIT */
/*
 * Fuzz seeds from a capture (replay_corpus.h): the IKE messages as
 * captured and, where the keys open them, in the clear.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikh/bytes.h"
#include "ikh/crypto.h"
#include "ikh/iana.h"
#include "ikh/pcap.h"
#include "ikh/replay_corpus.h"
#include "ikh/wire.h"

#define IKE_HDR_LEN 28u /* RFC 7296 §3.1 */

typedef struct ex_ctx {
    const char *dir;
    ikh_replay_extract_stats *st;
    char *errbuf;
    size_t errlen;
    uint8_t plain[IKH_WIRE_MAX_MSG + IKE_HDR_LEN];
    ikh_msg m;
} ex_ctx;

static void ex_err(ex_ctx *c, const char *what, const char *path)
{
    if (c->errbuf != NULL && c->errlen > 0)
        snprintf(c->errbuf, c->errlen, "%s %s: %s", what, path,
                 strerror(errno));
}

/* DIR/<first 16 hex digits of SHA-1(content)>; an existing file with that
 * name already holds this content (counted, not rewritten). */
static ikh_err ex_write(ex_ctx *c, const uint8_t *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t h[IKH_SHA1_LEN];
    ikh_span part = ikh_span_of(p, len);
    ikh_hash_sha1(&part, 1, h);
    char name[17];
    for (size_t i = 0; i < 8; i++) {
        name[2 * i] = hex[h[i] >> 4];
        name[2 * i + 1] = hex[h[i] & 15];
    }
    name[16] = '\0';
    char path[4200];
    int n = snprintf(path, sizeof path, "%s/%s", c->dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return IKH_ERR_ARG_RANGE;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        c->st->duplicates++;
        return IKH_OK;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        ex_err(c, "cannot create", path);
        return IKH_ERR_IO_OPEN;
    }
    bool ok = fwrite(p, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        ex_err(c, "cannot write", path);
        return IKH_ERR_IO_WRITE;
    }
    c->st->written++;
    return IKH_OK;
}

/* The plaintext form of @p m (header of @p raw, inner chain of m's in_sk
 * payloads): RFC 7296 §3.1 header with Next Payload and Length adjusted,
 * then the chain (§3.14). */
static ikh_err ex_plain(ex_ctx *c, const ikh_msg *m, ikh_span raw)
{
    uint8_t first = 0;
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].in_sk) {
            first = m->pl[i].type;
            break;
        }
    size_t chain = 0;
    if (raw.len < IKE_HDR_LEN ||
        ikh_wire_inner_serialize(m, c->plain + IKE_HDR_LEN,
                                 sizeof c->plain - IKE_HDR_LEN,
                                 &chain) != IKH_OK) {
        c->st->bad++; /* opened, but its content cannot be written again */
        return IKH_OK;
    }
    memcpy(c->plain, raw.p, IKE_HDR_LEN);
    size_t total = IKE_HDR_LEN + chain;
    c->plain[16] = first;
    c->plain[24] = (uint8_t)(total >> 24);
    c->plain[25] = (uint8_t)(total >> 16);
    c->plain[26] = (uint8_t)(total >> 8);
    c->plain[27] = (uint8_t)total;
    c->st->decrypted++;
    return ex_write(c, c->plain, total);
}

/* One IKE message: its octets, and its plaintext form when it opens. */
static ikh_err ex_ike(ex_ctx *c, ikh_capdec_dec *dec, ikh_span raw,
                      uint64_t frame)
{
    c->st->messages++;
    IKH_TRY(ex_write(c, raw.p, raw.len));
    if (dec == NULL ||
        ikh_wire_msg_parse(&c->m, raw.p, raw.len, NULL) != IKH_OK)
        return IKH_OK;
    if (c->m.n_pl == 0 || (c->m.pl[c->m.n_pl - 1].type != IKH_PL_SK &&
                           c->m.pl[c->m.n_pl - 1].type != IKH_PL_SKF))
        return IKH_OK;
    ikh_capdec_ike_out o;
    ikh_err e = ikh_capdec_dec_ike(dec, &c->m, raw, frame, &o);
    if (e != IKH_OK) {
        if (o.kind != IKH_CAPDEC_IKE_NOKEY)
            c->st->bad++;
        return IKH_OK;
    }
    if (o.kind == IKH_CAPDEC_IKE_OPENED)
        return ex_plain(c, &c->m, raw);
    if (o.kind == IKH_CAPDEC_IKE_JOINED && o.joined != NULL)
        return ex_plain(c, o.joined, raw);
    return IKH_OK;
}

ikh_err ikh_replay_extract(const char *capture, const ikh_capdec_keys *keys,
                           const char *dir, ikh_replay_extract_stats *st,
                           char *errbuf, size_t errlen)
{
    if (st != NULL)
        memset(st, 0, sizeof *st);
    if (errbuf != NULL && errlen > 0)
        errbuf[0] = '\0';
    IKH_CHECK(capture != NULL && dir != NULL && st != NULL,
              IKH_ERR_ARG_INVALID);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        if (errbuf != NULL && errlen > 0)
            snprintf(errbuf, errlen, "cannot make %s: %s", dir,
                     strerror(errno));
        return IKH_ERR_IO_OPEN;
    }
    ex_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return IKH_ERR_ENV_NOMEM;
    c->dir = dir;
    c->st = st;
    c->errbuf = errbuf;
    c->errlen = errlen;
    ikh_capdec_dec *dec = NULL;
    ikh_cap *cap = NULL;
    ikh_err e = keys != NULL ? ikh_capdec_dec_new(keys, &dec) : IKH_OK;
    if (e == IKH_OK)
        e = ikh_cap_open(capture, &cap, errbuf, errlen);
    while (e == IKH_OK) {
        ikh_frame fr;
        /* a datagram reassembly dropped has no message to write */
        ikh_err r = ikh_cap_next_nodrops(cap, &fr);
        if (r == IKH_ERR_STATE)
            break; /* end of the capture */
        if (r != IKH_OK) {
            if (errbuf != NULL && errlen > 0)
                snprintf(errbuf, errlen, "%s", ikh_cap_errmsg(cap));
            e = r;
            break;
        }
        if (fr.kind == IKH_FRAME_IKE)
            e = ex_ike(c, dec, fr.ike, fr.index);
    }
    ikh_cap_close(cap);
    ikh_capdec_dec_free(dec);
    free(c);
    return e;
}
