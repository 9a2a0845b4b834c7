/* SPDX-License-Identifier: MIT */
/*
 * Keys from a strongSwan charon log (capdec.h,
 * ikh_capdec_keys_parse_charon()): at ike = 4 and chd = 4 charon dumps the
 * IKE SA keys (Sk_ei ... Sk_ar) and the CHILD_SA keys ("encryption
 * initiator key" ...) as hexdumps; the selected proposals give the
 * transforms, the IKE_AUTH "octets" dump the IKE SPIs and the "adding
 * inbound/outbound ESP SA" lines the ESP SPIs and addresses. Each SA found
 * becomes a line of ike_keys.csv / esp_keys.csv and goes through that
 * file's checks (capdec_keys.c), so the two readers cannot disagree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capdec_int.h"
#include "ikh/bytes.h"
#include "ikh/iana.h"

/* IKE_SAs (the N of "<name|N>") followed at once; more is KEYS_LIMIT. */
#define CH_MAX_CTX 256u
/* Octets kept of a dump (keys; the SPIs of "octets" are its first 16). */
#define CH_DUMP_MAX IKH_KEYTAB_KEY_MAX

/* The dumps we read. */
typedef enum ch_kind {
    CH_SK_EI,
    CH_SK_ER,
    CH_SK_AI,
    CH_SK_AR,
    CH_ENC_I,
    CH_ENC_R,
    CH_INT_I,
    CH_INT_R,
    CH_OCTETS,
    CH_SK_D, /* the first IKE key charon dumps: starts an IKE SA */
    CH__KEYS = CH_OCTETS,
} ch_kind;

static const char *const ch_names[] = {
    "Sk_ei secret",
    "Sk_er secret",
    "Sk_ai secret",
    "Sk_ar secret",
    "encryption initiator key",
    "encryption responder key",
    "integrity initiator key",
    "integrity responder key",
    "octets = message + nonce + prf(Sk_px, IDx')",
    "Sk_d secret",
};

/* A selected proposal. */
typedef struct ch_prop {
    bool set;
    uint16_t encr, bits, integ;
    bool esn;
} ch_prop;

typedef struct ch_key {
    uint8_t b[CH_DUMP_MAX];
    size_t len;
    bool set;
} ch_key;

/* What one IKE_SA's lines have told so far. */
typedef struct ch_ctx {
    unsigned id;
    ch_prop ike, esp;
    bool initiator;  /* charon's role in the last IKE_AUTH/CREATE_CHILD_SA */
    bool after_init; /* the last exchange seen was IKE_SA_INIT */
    bool ike_pending, ike_initial;
    unsigned ike_line; /* where its Sk_ei was */
    ch_prop ike_prop;
    ch_key key[CH__KEYS];
    bool child_initiator;
    ch_prop child_prop;
    int want_spi; /* 0 none, 1 inbound, 2 outbound */
} ch_ctx;

/* The reader: contexts, the dump being read, the key set. */
typedef struct ch_run {
    ikh_capdec_keys *k;
    ikh_capdec_diag *diag;
    ikh_capdec_charon_stats st;
    size_t n_ike0, n_esp0;
    unsigned line;
    ch_ctx *ctx;
    size_t n_ctx;
    /* the dump being read */
    bool in_dump;
    ch_ctx *dump_ctx;
    int dump_kind; /* a ch_kind, or -1: a dump we skip */
    size_t dump_need, dump_got;
    unsigned dump_line;
    uint8_t dump[CH_DUMP_MAX];
    char buf[IKH_CAPDEC_LINE_MAX + 1];
    char out[IKH_CAPDEC_LINE_MAX + 1];
} ch_run;

__attribute__((format(printf, 4, 5))) static ikh_err
ch_fail(ch_run *r, ikh_err e, unsigned line, const char *fmt, ...)
{
    if (r->diag != NULL) {
        r->diag->err = e;
        r->diag->line = line;
        r->diag->field = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->diag->msg, sizeof r->diag->msg, fmt, ap);
        va_end(ap);
    }
    return e;
}

/* ---- strongSwan transform names --------------------------------------- */

typedef struct ch_name {
    const char *name;
    uint16_t id;
} ch_name;

/* ENCR names with the key length after them ("AES_CBC_128"). */
static const ch_name ch_encr_bits[] = {
    {"AES_CBC_", IKH_ENCR_AES_CBC},       {"AES_CTR_", IKH_ENCR_AES_CTR},
    {"AES_GCM_8_", IKH_ENCR_AES_GCM_8},   {"AES_GCM_12_", IKH_ENCR_AES_GCM_12},
    {"AES_GCM_16_", IKH_ENCR_AES_GCM_16}, {"AES_CCM_8_", IKH_ENCR_AES_CCM_8},
    {"AES_CCM_12_", IKH_ENCR_AES_CCM_12}, {"AES_CCM_16_", IKH_ENCR_AES_CCM_16},
};
/* ENCR names without one. */
static const ch_name ch_encr[] = {
    {"CHACHA20_POLY1305", IKH_ENCR_CHACHA20_POLY1305},
    {"3DES_CBC", IKH_ENCR_3DES},
    {"NULL", IKH_ENCR_NULL},
};
static const ch_name ch_integ[] = {
    {"HMAC_MD5_96", IKH_INTEG_HMAC_MD5_96},
    {"HMAC_SHA1_96", IKH_INTEG_HMAC_SHA1_96},
    {"AES_XCBC_96", IKH_INTEG_AES_XCBC_96},
    {"HMAC_MD5_128", IKH_INTEG_HMAC_MD5_128},
    {"HMAC_SHA1_160", IKH_INTEG_HMAC_SHA1_160},
    {"AES_CMAC_96", IKH_INTEG_AES_CMAC_96},
    {"HMAC_SHA2_256_128", IKH_INTEG_HMAC_SHA2_256_128},
    {"HMAC_SHA2_384_192", IKH_INTEG_HMAC_SHA2_384_192},
    {"HMAC_SHA2_512_256", IKH_INTEG_HMAC_SHA2_512_256},
};

#define CH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool ch_encr_of(const char *tok, uint16_t *id, uint16_t *bits)
{
    for (size_t i = 0; i < CH_COUNT(ch_encr); i++)
        if (strcmp(tok, ch_encr[i].name) == 0) {
            *id = ch_encr[i].id;
            *bits = 0;
            return true;
        }
    for (size_t i = 0; i < CH_COUNT(ch_encr_bits); i++) {
        size_t n = strlen(ch_encr_bits[i].name);
        if (strncmp(tok, ch_encr_bits[i].name, n) != 0)
            continue;
        const char *b = tok + n;
        if (strcmp(b, "128") == 0 || strcmp(b, "192") == 0 ||
            strcmp(b, "256") == 0) {
            *id = ch_encr_bits[i].id;
            *bits = (uint16_t)atoi(b);
            return true;
        }
    }
    return false;
}

/* "IKE:A/B/C" or "ESP:A/B/C" after "selected proposal: ". */
static ikh_err ch_proposal(ch_run *r, const char *p, ch_prop *out)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", p);
    ch_prop pr = {.set = true};
    char *save = NULL;
    char *tok = strtok_r(tmp, "/", &save);
    if (tok == NULL || !ch_encr_of(tok, &pr.encr, &pr.bits))
        return ch_fail(r, IKH_ERR_KEYS_TRANSFORM, r->line,
                       "selected proposal: unknown encryption algorithm "
                       "\"%.60s\"",
                       tok != NULL ? tok : "");
    while ((tok = strtok_r(NULL, "/", &save)) != NULL) {
        for (size_t i = 0; i < CH_COUNT(ch_integ); i++)
            if (strcmp(tok, ch_integ[i].name) == 0)
                pr.integ = ch_integ[i].id;
        if (strcmp(tok, "EXT_SEQ") == 0)
            pr.esn = true;
    }
    *out = pr;
    return IKH_OK;
}

/* ---- contexts --------------------------------------------------------- */

static ikh_err ch_ctx_get(ch_run *r, unsigned id, ch_ctx **out)
{
    for (size_t i = 0; i < r->n_ctx; i++)
        if (r->ctx[i].id == id) {
            *out = &r->ctx[i];
            return IKH_OK;
        }
    if (r->n_ctx == CH_MAX_CTX)
        return ch_fail(r, IKH_ERR_KEYS_LIMIT, r->line,
                       "more than %u IKE_SAs in the log", CH_MAX_CTX);
    ch_ctx *c = &r->ctx[r->n_ctx++];
    memset(c, 0, sizeof *c);
    c->id = id;
    *out = c;
    return IKH_OK;
}

static void ch_hex(char *out, const ch_key *k)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < k->len; i++) {
        out[2 * i] = digits[k->b[i] >> 4];
        out[2 * i + 1] = digits[k->b[i] & 15];
    }
    out[2 * k->len] = '\0';
}

/* The pending IKE SA of @p c as a line of ike_keys.csv. */
static ikh_err ch_ike_flush(ch_run *r, ch_ctx *c, const uint8_t *spis)
{
    if (!c->ike_pending)
        return IKH_OK;
    c->ike_pending = false;
    char h[4][2 * CH_DUMP_MAX + 1];
    for (int i = 0; i < 4; i++)
        ch_hex(h[i], &c->key[CH_SK_EI + i]);
    uint64_t ispi = 0, rspi = 0;
    for (int i = 0; spis != NULL && i < 8; i++) {
        ispi = ispi << 8 | spis[i];
        rspi = rspi << 8 | spis[8 + i];
    }
    snprintf(r->out, sizeof r->out, "%016llx,%016llx,%s,%s,%u,%u,%s,%s,%u",
             (unsigned long long)ispi, (unsigned long long)rspi, h[0], h[1],
             c->ike_prop.encr, c->ike_prop.bits, h[2], h[3], c->ike_prop.integ);
    ikh_wipe(h, sizeof h);
    ikh_err e =
        capdec_keys_add_line(r->k, IKH_CAPDEC_FMT_IKE_CSV, r->out, c->ike_line,
                             spis == NULL, r->n_ike0, r->n_esp0, r->diag);
    ikh_wipe(r->out, sizeof r->out);
    for (int i = CH_SK_EI; i <= CH_SK_AR; i++)
        ikh_wipe(&c->key[i], sizeof c->key[i]);
    IKH_TRY(e);
    r->st.ike++;
    r->st.ike_unbound += spis == NULL;
    return IKH_OK;
}

/* "SPI 0x<8 hex>, src A dst B" of the ESP SA direction c->want_spi. */
static ikh_err ch_esp_spi(ch_run *r, ch_ctx *c, const char *m)
{
    unsigned spi = 0;
    char src[64], dst[64];
    if (sscanf(m, "SPI 0x%8x, src %63s dst %63s", &spi, src, dst) != 3)
        return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                       "expected \"SPI 0x..., src A dst B\"");
    /* inbound traffic is sent by the peer: with the peer's keys */
    bool inbound = c->want_spi == 1;
    bool use_i = inbound != c->child_initiator;
    const ch_key *ek = &c->key[use_i ? CH_ENC_I : CH_ENC_R];
    const ch_key *ak = &c->key[use_i ? CH_INT_I : CH_INT_R];
    c->want_spi = 0;
    if (!ek->set)
        return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                       "ESP SA without an \"encryption %s key\" dump before "
                       "it",
                       use_i ? "initiator" : "responder");
    if (!c->child_prop.set)
        return ch_fail(r, IKH_ERR_KEYS_TRANSFORM, r->line,
                       "ESP SA without a \"selected proposal: ESP:\" line");
    char eh[2 * CH_DUMP_MAX + 1], ah[2 * CH_DUMP_MAX + 1];
    ch_hex(eh, ek);
    ch_hex(ah, ak->set ? ak : &(ch_key){0});
    snprintf(r->out, sizeof r->out, "%s,%s,%08x,%u,%u,%s,%u,%s,%d", src, dst,
             spi, c->child_prop.encr, c->child_prop.bits, eh,
             c->child_prop.integ, ah, c->child_prop.esn ? 1 : 0);
    ikh_wipe(eh, sizeof eh);
    ikh_wipe(ah, sizeof ah);
    ikh_err e =
        capdec_keys_add_line(r->k, IKH_CAPDEC_FMT_ESP_CSV, r->out, r->line,
                             false, r->n_ike0, r->n_esp0, r->diag);
    ikh_wipe(r->out, sizeof r->out);
    IKH_TRY(e);
    r->st.esp++;
    return IKH_OK;
}

/* ---- dumps ------------------------------------------------------------ */

/* A finished dump of kind @p kind in context @p c. */
static ikh_err ch_dump_done(ch_run *r)
{
    ch_ctx *c = r->dump_ctx;
    int kind = r->dump_kind;
    r->in_dump = false;
    if (kind < 0)
        return IKH_OK;
    if (kind == CH_OCTETS) {
        /* the IKE_SA_INIT header's SPIs, for keys derived after it; the
         * request's octets have a zero responder SPI (RFC 7296 §3.1), the
         * response's (the other AUTH of the exchange) both */
        bool rspi = false;
        for (int i = 8; i < 16; i++)
            rspi = rspi || r->dump[i] != 0;
        if (c->ike_pending && c->ike_initial && rspi)
            return ch_ike_flush(r, c, r->dump);
        return IKH_OK;
    }
    if (kind == CH_SK_D) {
        ikh_wipe(r->dump, sizeof r->dump);
        return IKH_OK;
    }
    ch_key *k = &c->key[kind];
    memcpy(k->b, r->dump, r->dump_got);
    k->len = r->dump_got;
    k->set = true;
    ikh_wipe(r->dump, sizeof r->dump);
    return IKH_OK;
}

/* A hexdump line "OFF: XX XX ..." continuing the current dump? */
static bool ch_dump_line(ch_run *r, const char *m)
{
    while (*m == ' ')
        m++;
    char *end = NULL;
    unsigned long off = strtoul(m, &end, 10);
    if (end == m || end[0] != ':' || end[1] != ' ' || off != r->dump_got)
        return false;
    const char *p = end + 2;
    size_t want = r->dump_need - r->dump_got;
    if (want > 16)
        want = 16;
    for (size_t i = 0; i < want; i++, p += 3) {
        int hi = ikh_hex_digit(p[0]), lo = hi >= 0 ? ikh_hex_digit(p[1]) : -1;
        if (hi < 0 || lo < 0 || (p[2] != ' ' && p[2] != '\0'))
            return false;
        if (r->dump_got < sizeof r->dump)
            r->dump[r->dump_got] = (uint8_t)(hi << 4 | lo);
        r->dump_got++;
    }
    return true;
}

/* "NAME => N bytes @ 0x..." starts a dump. */
static ikh_err ch_dump_start(ch_run *r, ch_ctx *c, const char *m,
                             const char *arrow)
{
    size_t name_len = (size_t)(arrow - m);
    unsigned long n = strtoul(arrow + 4, NULL, 10);
    int kind = -1;
    for (int i = 0; i < (int)CH_COUNT(ch_names); i++)
        if (strlen(ch_names[i]) == name_len &&
            strncmp(m, ch_names[i], name_len) == 0)
            kind = i;
    if (kind >= 0 && c == NULL)
        return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                       "key dump outside an IKE_SA (no <N> context)");
    if (kind >= 0 && kind < CH_OCTETS && n > CH_DUMP_MAX)
        return ch_fail(r, IKH_ERR_KEYS_KEY_LEN, r->line,
                       "%lu octets, at most %u", n, CH_DUMP_MAX);
    if (kind == CH_OCTETS && n < 16)
        return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                       "IKE_AUTH octets shorter than an IKE header");
    if (kind == CH_SK_D) {
        /* a new IKE SA: an earlier one still pending had no SPIs */
        IKH_TRY(ch_ike_flush(r, c, NULL));
        if (!c->ike.set)
            return ch_fail(r, IKH_ERR_KEYS_TRANSFORM, r->line,
                           "IKE keys without a \"selected proposal: IKE:\" "
                           "line before them");
        c->ike_pending = true;
        c->ike_initial = c->after_init;
        c->ike_line = r->line;
        c->ike_prop = c->ike;
        for (int i = CH_SK_EI; i <= CH_SK_AR; i++)
            ikh_wipe(&c->key[i], sizeof c->key[i]);
    }
    if (kind == CH_ENC_I) {
        for (int i = CH_ENC_I; i <= CH_INT_R; i++)
            ikh_wipe(&c->key[i], sizeof c->key[i]);
        c->child_initiator = c->initiator;
        c->child_prop = c->esp;
    }
    r->in_dump = true;
    r->dump_ctx = c;
    r->dump_kind = kind;
    r->dump_need = n;
    r->dump_got = 0;
    r->dump_line = r->line;
    if (n == 0)
        return ch_dump_done(r);
    return IKH_OK;
}

/* ---- lines ------------------------------------------------------------ */

/* Split "HH:MM:SS TT[GRP] <ctx> msg": *ctx_id 0 when there is no ctx. */
static bool ch_split(const char *t, unsigned *ctx_id, const char **msg)
{
    const char *p = strchr(t, '[');
    if (p == NULL || strlen(p) < 6 || p[4] != ']' || p[5] != ' ')
        return false;
    p += 6;
    *ctx_id = 0;
    if (*p == '<') {
        const char *close = strchr(p, '>');
        if (close == NULL)
            return false;
        const char *num = close;
        while (num > p + 1 && num[-1] >= '0' && num[-1] <= '9')
            num--;
        *ctx_id = (unsigned)strtoul(num, NULL, 10);
        p = close + 1;
        if (*p == ' ')
            p++;
    }
    *msg = p;
    return true;
}

/* "parsed/generating EXCH request/response": charon's role and phase. */
static void ch_exchange(ch_ctx *c, const char *m)
{
    bool gen = strncmp(m, "generating ", 11) == 0;
    if (!gen && strncmp(m, "parsed ", 7) != 0)
        return;
    const char *x = m + (gen ? 11 : 7);
    bool init = strncmp(x, "IKE_SA_INIT ", 12) == 0;
    bool auth = strncmp(x, "IKE_AUTH ", 9) == 0;
    bool child = strncmp(x, "CREATE_CHILD_SA ", 16) == 0;
    if (init)
        c->after_init = true;
    if (!auth && !child)
        return;
    const char *kind = strchr(x, ' ') + 1;
    bool req = strncmp(kind, "request", 7) == 0;
    c->initiator = gen == req;
    c->after_init = false;
}

static ikh_err ch_line(ch_run *r, const char *t)
{
    unsigned id = 0;
    const char *m = NULL;
    bool ok = ch_split(t, &id, &m);
    if (r->in_dump) {
        if (ok && ch_dump_line(r, m)) {
            if (r->dump_got == r->dump_need)
                return ch_dump_done(r);
            return IKH_OK;
        }
        if (r->dump_kind >= 0)
            return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->dump_line,
                           "hexdump of \"%s\" ends after %zu of %zu octets",
                           ch_names[r->dump_kind], r->dump_got, r->dump_need);
        r->in_dump = false;
    }
    if (!ok)
        return IKH_OK;
    ch_ctx *c = NULL;
    if (id != 0)
        IKH_TRY(ch_ctx_get(r, id, &c));
    const char *arrow = strstr(m, " => ");
    if (arrow != NULL && strstr(arrow, " bytes @ ") != NULL)
        return ch_dump_start(r, c, m, arrow);
    if (c == NULL)
        return IKH_OK;
    const char *sp = strstr(m, "selected proposal: ");
    if (sp != NULL) {
        sp += 19;
        if (strncmp(sp, "IKE:", 4) == 0)
            return ch_proposal(r, sp + 4, &c->ike);
        if (strncmp(sp, "ESP:", 4) == 0)
            return ch_proposal(r, sp + 4, &c->esp);
        return IKH_OK;
    }
    ch_exchange(c, m);
    if (strcmp(m, "adding inbound ESP SA") == 0)
        c->want_spi = 1;
    else if (strcmp(m, "adding outbound ESP SA") == 0)
        c->want_spi = 2;
    else if (c->want_spi != 0) {
        while (*m == ' ')
            m++;
        if (strncmp(m, "SPI 0x", 6) == 0)
            return ch_esp_spi(r, c, m);
    }
    return IKH_OK;
}

static ikh_err ch_walk(ch_run *r, const char *text, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
        r->line++;
        if (n > IKH_CAPDEC_LINE_MAX)
            return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                           "line longer than %u octets", IKH_CAPDEC_LINE_MAX);
        if (memchr(text + pos, '\0', n) != NULL)
            return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->line,
                           "NUL octet in the line");
        memcpy(r->buf, text + pos, n);
        r->buf[n] = '\0';
        if (n > 0 && r->buf[n - 1] == '\r')
            r->buf[n - 1] = '\0';
        pos += n + (nl != NULL ? 1u : 0u);
        IKH_TRY(ch_line(r, r->buf));
    }
    if (r->in_dump && r->dump_kind >= 0)
        return ch_fail(r, IKH_ERR_KEYS_SYNTAX, r->dump_line,
                       "hexdump of \"%s\" ends after %zu of %zu octets (end "
                       "of the log)",
                       ch_names[r->dump_kind], r->dump_got, r->dump_need);
    /* keys never followed by an IKE_AUTH "octets" dump: SPIs unknown */
    for (size_t i = 0; i < r->n_ctx; i++)
        IKH_TRY(ch_ike_flush(r, &r->ctx[i], NULL));
    return IKH_OK;
}

ikh_err ikh_capdec_keys_parse_charon(ikh_capdec_keys *k, const char *text,
                                     size_t len, ikh_capdec_charon_stats *st,
                                     ikh_capdec_diag *diag)
{
    if (st != NULL)
        memset(st, 0, sizeof *st);
    IKH_CHECK(k != NULL && (text != NULL || len == 0), IKH_ERR_ARG_INVALID);
    if (diag != NULL)
        memset(diag, 0, sizeof *diag);
    ch_run *r = calloc(1, sizeof *r);
    IKH_CHECK(r != NULL, IKH_ERR_ENV_NOMEM);
    r->ctx = calloc(CH_MAX_CTX, sizeof *r->ctx);
    if (r->ctx == NULL) {
        free(r);
        return IKH_ERR_ENV_NOMEM;
    }
    r->k = k;
    r->diag = diag;
    r->n_ike0 = k->n_ike;
    r->n_esp0 = k->n_esp;
    ikh_err e = ch_walk(r, text, len);
    if (e != IKH_OK)
        capdec_keys_rollback(k, r->n_ike0, r->n_esp0);
    else if (st != NULL)
        *st = r->st;
    ch_ctx *ctx = r->ctx;
    ikh_wipe(ctx, CH_MAX_CTX * sizeof *ctx);
    ikh_wipe(r, sizeof *r);
    free(ctx);
    free(r);
    return e;
}

ikh_err ikh_capdec_keys_load_charon(ikh_capdec_keys *k, const char *path,
                                    ikh_capdec_charon_stats *st,
                                    ikh_capdec_diag *diag)
{
    if (st != NULL)
        memset(st, 0, sizeof *st);
    IKH_CHECK(k != NULL && path != NULL, IKH_ERR_ARG_INVALID);
    char *buf = NULL;
    size_t len = 0;
    IKH_TRY(capdec_read_file(path, &buf, &len, diag));
    ikh_err e = ikh_capdec_keys_parse_charon(k, buf, len, st, diag);
    ikh_wipe(buf, len);
    free(buf);
    return e;
}
