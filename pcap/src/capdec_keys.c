/* SPDX-License-Identifier: MIT */
/*
 * Key files of the capture decryption check (capdec.h): ike_keys.csv and
 * esp_keys.csv, read into a key set (every field checked, every error with
 * its line and field) and written from the key hooks' data. The column
 * order follows the Wireshark tables (keytab.h) with IANA numbers in place
 * of tshark's names, so SAs tshark cannot name (ChaCha20-Poly1305, RFC
 * 7634; AES-XCBC) have a line too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capdec_int.h"
#include "ikh/bytes.h"
#include "ikh/esp.h"
#include "ikh/fileio.h"
#include "ikh/iana.h"
#include "ikh/pcap.h"

#define IKE_FIELDS 9u
#define ESP_FIELDS 9u

static const char ike_head[] = "# ispi_hex,rspi_hex,sk_ei_hex,sk_er_hex,"
                               "encr_id,encr_key_bits,sk_ai_hex,sk_ar_hex,"
                               "integ_id\n";
static const char esp_head[] = "# src,dst,spi_hex,encr_id,encr_key_bits,"
                               "enc_key_hex,integ_id,integ_key_hex,esn\n";

ikh_err ikh_capdec_keys_new(ikh_capdec_keys **out)
{
    IKH_CHECK(out != NULL, IKH_ERR_ARG_INVALID);
    *out = calloc(1, sizeof **out);
    return *out != NULL ? IKH_OK : IKH_ERR_ENV_NOMEM;
}

void ikh_capdec_keys_free(ikh_capdec_keys *k)
{
    if (k == NULL)
        return;
    ikh_wipe(k->ike, k->n_ike * sizeof *k->ike);
    ikh_wipe(k->esp, k->n_esp * sizeof *k->esp);
    free(k->ike);
    free(k->esp);
    free(k);
}

void ikh_capdec_keys_count(const ikh_capdec_keys *k, size_t *n_ike,
                           size_t *n_esp)
{
    if (n_ike != NULL)
        *n_ike = k != NULL ? k->n_ike : 0;
    if (n_esp != NULL)
        *n_esp = k != NULL ? k->n_esp : 0;
}

static void flip(uint8_t *key, size_t len)
{
    if (len > 0)
        key[0] ^= 1u;
}

void ikh_capdec_keys_flip(ikh_capdec_keys *k)
{
    if (k == NULL)
        return;
    for (size_t i = 0; i < k->n_ike; i++) {
        capdec_ike_key *s = &k->ike[i];
        for (int d = 0; d < 2; d++) {
            flip(s->sk_e[d], s->e_len);
            flip(s->sk_a[d], s->a_len);
        }
    }
    for (size_t i = 0; i < k->n_esp; i++) {
        flip(k->esp[i].ek, k->esp[i].ek_len);
        flip(k->esp[i].ak, k->esp[i].ak_len);
    }
}

/* ---- parsing ---------------------------------------------------------- */

/* One line being parsed: its fields (NUL-terminated, trimmed) and where to
 * report errors. A Wireshark line is rewritten into the fields of our own
 * format (num holds the numbers it gains); fmap then maps each of our
 * field numbers back to the column of the line as written (0: none). */
typedef struct line_ctx {
    char buf[IKH_CAPDEC_LINE_MAX + 1];
    char *field[IKE_FIELDS > ESP_FIELDS ? IKE_FIELDS : ESP_FIELDS];
    char num[3][8];
    const unsigned *fmap;
    unsigned line;
    size_t n_ike0, n_esp0; /* SAs held before this text */
    bool unbound;          /* an IKE SA whose SPIs are not known yet */
    bool esn_unknown;      /* an esp_sa line: no ESN column */
    ikh_capdec_diag *diag;
} line_ctx;

__attribute__((format(printf, 4, 5))) static ikh_err
fail(line_ctx *c, ikh_err e, unsigned field, const char *fmt, ...)
{
    if (c->fmap != NULL && field > 0)
        field = c->fmap[field - 1];
    if (c->diag != NULL) {
        c->diag->err = e;
        c->diag->line = c->line;
        c->diag->field = field;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->diag->msg, sizeof c->diag->msg, fmt, ap);
        va_end(ap);
    }
    return e;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Split c->buf at commas into exactly @p want fields. */
static ikh_err split(line_ctx *c, size_t want)
{
    size_t n = 0;
    char *p = c->buf;
    for (;;) {
        char *comma = strchr(p, ',');
        if (n == want)
            return fail(c, IKH_ERR_KEYS_SYNTAX, 0,
                        "more than %zu comma-separated fields", want);
        if (comma != NULL)
            *comma = '\0';
        c->field[n++] = trim(p);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (n != want)
        return fail(c, IKH_ERR_KEYS_SYNTAX, 0,
                    "%zu comma-separated fields, expected %zu", n, want);
    return IKH_OK;
}

/* Field @p f (1-based) as hex into out (at most cap octets). */
static ikh_err field_hex(line_ctx *c, unsigned f, uint8_t *out, size_t cap,
                         size_t *len)
{
    const char *s = c->field[f - 1];
    size_t n = strlen(s);
    if (n % 2 != 0)
        return fail(c, IKH_ERR_KEYS_VALUE, f, "odd number of hex digits");
    if (n / 2 > cap)
        return fail(c, IKH_ERR_KEYS_KEY_LEN, f, "%zu octets, at most %zu",
                    n / 2, cap);
    for (size_t i = 0; i < n; i += 2) {
        int hi = ikh_hex_digit(s[i]), lo = ikh_hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0)
            return fail(c, IKH_ERR_KEYS_VALUE, f, "not a hex digit");
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return IKH_OK;
}

/* An SPI of exactly @p octets octets (16 or 8 hex digits). */
static ikh_err field_spi(line_ctx *c, unsigned f, size_t octets, uint64_t *v)
{
    uint8_t b[8];
    size_t n = 0;
    if (strlen(c->field[f - 1]) != octets * 2)
        return fail(c, IKH_ERR_KEYS_VALUE, f, "SPI must be %zu hex digits",
                    octets * 2);
    IKH_TRY(field_hex(c, f, b, octets, &n));
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x << 8 | b[i];
    *v = x;
    return IKH_OK;
}

/* A decimal number up to @p max. */
static ikh_err field_num(line_ctx *c, unsigned f, unsigned max, uint16_t *v)
{
    const char *s = c->field[f - 1];
    unsigned long x = 0;
    if (*s == '\0')
        return fail(c, IKH_ERR_KEYS_VALUE, f, "empty number");
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return fail(c, IKH_ERR_KEYS_VALUE, f, "not a decimal number");
        x = x * 10u + (unsigned long)(*s - '0');
        if (x > max)
            return fail(c, IKH_ERR_KEYS_VALUE, f, "number above %u", max);
    }
    *v = (uint16_t)x;
    return IKH_OK;
}

/* The ENCR and INTEG transforms of a line and the key lengths they take. */
static ikh_err pick_xforms(line_ctx *c, bool esp, uint16_t encr_id,
                           uint16_t bits, uint16_t integ_id,
                           const ikh_xform_desc **encr,
                           const ikh_xform_desc **integ)
{
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    const ikh_xform_desc *e = ikh_crypto_find(list, IKH_XF_ENCR, encr_id, bits);
    if (e == NULL || e->encr == NULL || !(esp ? e->esp : e->ike))
        return fail(c, IKH_ERR_KEYS_TRANSFORM, esp ? 4 : 5,
                    "ENCR %u with key length %u is not usable for %s", encr_id,
                    bits, esp ? "ESP" : "IKE");
    unsigned integ_field = esp ? 7 : 9;
    *encr = e;
    *integ = NULL;
    if (e->encr->aead) {
        if (integ_id != 0)
            return fail(c, IKH_ERR_KEYS_TRANSFORM, integ_field,
                        "AEAD transform %s takes no INTEG (integ_id 0)",
                        e->name);
        return IKH_OK;
    }
    const ikh_xform_desc *i = ikh_crypto_find(list, IKH_XF_INTEG, integ_id, 0);
    if (i == NULL || i->integ == NULL || !(esp ? i->esp : i->ike) ||
        i->integ->key_len > IKH_PRF_MAX)
        return fail(c, IKH_ERR_KEYS_TRANSFORM, integ_field,
                    "INTEG %u is not usable with %s for %s", integ_id, e->name,
                    esp ? "ESP" : "IKE");
    *integ = i;
    return IKH_OK;
}

static ikh_err check_len(line_ctx *c, unsigned f, size_t got, size_t want,
                         const char *what)
{
    if (got != want)
        return fail(c, IKH_ERR_KEYS_KEY_LEN, f, "%zu octets, %s takes %zu", got,
                    what, want);
    return IKH_OK;
}

static ikh_err grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return IKH_OK;
    size_t nc = *cap == 0 ? 16 : *cap * 2;
    if (nc > IKH_CAPDEC_MAX_SAS)
        nc = IKH_CAPDEC_MAX_SAS;
    void *p = realloc(*arr, nc * elem);
    IKH_CHECK(p != NULL, IKH_ERR_ENV_NOMEM);
    *arr = p;
    *cap = nc;
    return IKH_OK;
}

/* An SA loaded before this text with the same SPIs: KEYS_DUPLICATE unless
 * it has the same transforms and keys (a directory may hold ike_keys.csv
 * and ikev2_decryption_table for the same SAs: *same is set, nothing is
 * added). Within one text a repeat is always KEYS_DUPLICATE. */
static ikh_err ike_dup(const ikh_capdec_keys *k, line_ctx *c,
                       const capdec_ike_key *s, bool *same)
{
    *same = false;
    for (size_t i = 0; i < k->n_ike; i++) {
        const capdec_ike_key *o = &k->ike[i];
        if (o->unbound || o->ispi != s->ispi || o->rspi != s->rspi)
            continue;
        if (i < c->n_ike0 && o->encr == s->encr && o->integ == s->integ &&
            o->e_len == s->e_len && o->a_len == s->a_len &&
            memcmp(o->sk_e, s->sk_e, sizeof o->sk_e) == 0 &&
            memcmp(o->sk_a, s->sk_a, sizeof o->sk_a) == 0) {
            *same = true;
            return IKH_OK;
        }
        return fail(c, IKH_ERR_KEYS_DUPLICATE, 1, "SPI pair listed before");
    }
    return IKH_OK;
}

static ikh_err ike_fields(ikh_capdec_keys *k, line_ctx *c)
{
    capdec_ike_key s;
    memset(&s, 0, sizeof s);
    uint16_t encr_id = 0, bits = 0, integ_id = 0;
    size_t ei = 0, er = 0, ai = 0, ar = 0;
    ikh_err e = field_spi(c, 1, 8, &s.ispi);
    if (e == IKH_OK)
        e = field_spi(c, 2, 8, &s.rspi);
    if (e == IKH_OK)
        e = field_hex(c, 3, s.sk_e[0], IKH_KEYTAB_KEY_MAX, &ei);
    if (e == IKH_OK)
        e = field_hex(c, 4, s.sk_e[1], IKH_KEYTAB_KEY_MAX, &er);
    if (e == IKH_OK)
        e = field_num(c, 5, UINT16_MAX, &encr_id);
    if (e == IKH_OK)
        e = field_num(c, 6, UINT16_MAX, &bits);
    if (e == IKH_OK)
        e = field_hex(c, 7, s.sk_a[0], IKH_PRF_MAX, &ai);
    if (e == IKH_OK)
        e = field_hex(c, 8, s.sk_a[1], IKH_PRF_MAX, &ar);
    if (e == IKH_OK)
        e = field_num(c, 9, UINT16_MAX, &integ_id);
    if (e == IKH_OK)
        e = pick_xforms(c, false, encr_id, bits, integ_id, &s.encr, &s.integ);
    size_t want_e = s.encr != NULL ? s.encr->encr->key_len : 0;
    size_t want_a = s.integ != NULL ? s.integ->integ->key_len : 0;
    if (e == IKH_OK)
        e = check_len(c, 3, ei, want_e, "the ENCR transform");
    if (e == IKH_OK)
        e = check_len(c, 4, er, want_e, "the ENCR transform");
    if (e == IKH_OK)
        e = check_len(c, 7, ai, want_a, "the INTEG transform");
    if (e == IKH_OK)
        e = check_len(c, 8, ar, want_a, "the INTEG transform");
    s.e_len = want_e;
    s.a_len = want_a;
    s.unbound = c->unbound;
    bool same = false;
    if (e == IKH_OK && !c->unbound)
        e = ike_dup(k, c, &s, &same);
    if (e == IKH_OK && same) {
        ikh_wipe(&s, sizeof s);
        return IKH_OK;
    }
    if (e == IKH_OK && k->n_ike >= IKH_CAPDEC_MAX_SAS)
        e = fail(c, IKH_ERR_KEYS_LIMIT, 0, "more than %u IKE SAs",
                 IKH_CAPDEC_MAX_SAS);
    if (e == IKH_OK)
        e = grow((void **)&k->ike, &k->cap_ike, k->n_ike, sizeof *k->ike);
    if (e == IKH_OK)
        k->ike[k->n_ike++] = s;
    ikh_wipe(&s, sizeof s);
    return e;
}

static ikh_err ike_line(ikh_capdec_keys *k, line_ctx *c)
{
    IKH_TRY(split(c, IKE_FIELDS));
    return ike_fields(k, c);
}

void capdec_esp_cfg(const capdec_esp_key *k, ikh_esp_sa_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->spi = k->spi;
    cfg->encr = k->encr;
    cfg->integ = k->integ;
    cfg->encr_key = ikh_span_of(k->ek, k->ek_len);
    cfg->integ_key = ikh_span_of(k->ak, k->ak_len);
    cfg->esn = k->esn;
}

/* Would ikh_esp_sa_init() take this SA? (It checks more than we do.) */
static ikh_err esp_try(line_ctx *c, const capdec_esp_key *s)
{
    ikh_esp_sa_config cfg;
    capdec_esp_cfg(s, &cfg);
    ikh_esp_sa *sa = malloc(sizeof *sa);
    IKH_CHECK(sa != NULL, IKH_ERR_ENV_NOMEM);
    ikh_err e = ikh_esp_sa_init(sa, &cfg);
    if (e == IKH_OK)
        ikh_esp_sa_fini(sa);
    free(sa);
    if (e != IKH_OK)
        return fail(c, IKH_ERR_KEYS_TRANSFORM, 4,
                    "the ESP code refuses %s with these keys (%s)",
                    s->encr->name, ikh_err_name(e));
    return IKH_OK;
}

static ikh_err field_addr(line_ctx *c, unsigned f, ikh_addr *a)
{
    if (ikh_addr_parse(c->field[f - 1], a) != IKH_OK)
        return fail(c, IKH_ERR_KEYS_VALUE, f, "not an IPv4/IPv6 address");
    return IKH_OK;
}

static bool esp_same(const capdec_esp_key *a, const capdec_esp_key *b)
{
    bool esn_ok = a->esn == b->esn || a->esn_unknown || b->esn_unknown;
    return a->encr == b->encr && a->integ == b->integ && esn_ok &&
           a->ek_len == b->ek_len && a->ak_len == b->ak_len &&
           ikh_addr_cmp(&a->src, &b->src) == 0 &&
           memcmp(a->ek, b->ek, a->ek_len) == 0 &&
           memcmp(a->ak, b->ak, a->ak_len) == 0;
}

static ikh_err esp_fields(ikh_capdec_keys *k, line_ctx *c)
{
    capdec_esp_key s;
    memset(&s, 0, sizeof s);
    uint16_t encr_id = 0, bits = 0, integ_id = 0, esn = 0;
    uint64_t spi = 0;
    ikh_err e = field_addr(c, 1, &s.src);
    if (e == IKH_OK)
        e = field_addr(c, 2, &s.dst);
    if (e == IKH_OK && s.src.family != s.dst.family)
        e = fail(c, IKH_ERR_KEYS_VALUE, 2, "src and dst families differ");
    if (e == IKH_OK)
        e = field_spi(c, 3, 4, &spi);
    if (e == IKH_OK)
        e = field_num(c, 4, UINT16_MAX, &encr_id);
    if (e == IKH_OK)
        e = field_num(c, 5, UINT16_MAX, &bits);
    if (e == IKH_OK)
        e = field_hex(c, 6, s.ek, IKH_KEYTAB_KEY_MAX, &s.ek_len);
    if (e == IKH_OK)
        e = field_num(c, 7, UINT16_MAX, &integ_id);
    if (e == IKH_OK)
        e = field_hex(c, 8, s.ak, IKH_PRF_MAX, &s.ak_len);
    if (e == IKH_OK)
        e = field_num(c, 9, 1, &esn);
    if (e == IKH_OK)
        e = pick_xforms(c, true, encr_id, bits, integ_id, &s.encr, &s.integ);
    if (e == IKH_OK)
        e = check_len(c, 6, s.ek_len, s.encr->encr->key_len,
                      "the ENCR transform");
    if (e == IKH_OK)
        e = check_len(c, 8, s.ak_len,
                      s.integ != NULL ? s.integ->integ->key_len : 0,
                      "the INTEG transform");
    s.spi = (uint32_t)spi;
    s.esn = esn != 0;
    s.esn_unknown = c->esn_unknown;
    if (e == IKH_OK)
        e = esp_try(c, &s);
    bool same = false;
    for (size_t i = 0; e == IKH_OK && !same && i < k->n_esp; i++) {
        if (k->esp[i].spi != s.spi || ikh_addr_cmp(&k->esp[i].dst, &s.dst) != 0)
            continue;
        /* as ike_dup(): the same SA from an earlier file is skipped */
        if (i < c->n_esp0 && esp_same(&k->esp[i], &s)) {
            same = true;
            /* esp_keys.csv tells the ESN flag esp_sa could not */
            if (k->esp[i].esn_unknown && !s.esn_unknown) {
                k->esp[i].esn = s.esn;
                k->esp[i].esn_unknown = false;
            }
        } else
            e = fail(c, IKH_ERR_KEYS_DUPLICATE, 3,
                     "SPI and destination listed before");
    }
    if (same) {
        ikh_wipe(&s, sizeof s);
        return IKH_OK;
    }
    if (e == IKH_OK && k->n_esp >= IKH_CAPDEC_MAX_SAS)
        e = fail(c, IKH_ERR_KEYS_LIMIT, 0, "more than %u ESP SAs",
                 IKH_CAPDEC_MAX_SAS);
    if (e == IKH_OK)
        e = grow((void **)&k->esp, &k->cap_esp, k->n_esp, sizeof *k->esp);
    if (e == IKH_OK)
        k->esp[k->n_esp++] = s;
    ikh_wipe(&s, sizeof s);
    return e;
}

static ikh_err esp_line(ikh_capdec_keys *k, line_ctx *c)
{
    IKH_TRY(split(c, ESP_FIELDS));
    return esp_fields(k, c);
}

/* ---- Wireshark tables (keytab.h) ---------------------------------------- */

/* Strip the quotes tshark's UAT files put around strings. */
static char *unquote(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        return s + 1;
    }
    return s;
}

/* Strip "0x"/"0X" (esp_sa writes SPIs and keys with it). */
static char *no_0x(char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
}

/* The IANA ID (and Key Length) whose tshark name is @p name: the names
 * come from keytab.c's functions, the one table writer and reader share.
 * IKE ENCR names carry the key length; 0 is tried first, so 3DES and NULL
 * (no Key Length attribute) map to 0. */
static bool ws_encr_id(const char *name, bool esp, uint16_t *id, uint16_t *bits)
{
    static const uint16_t lens[] = {0, 128, 192, 256};
    for (uint16_t i = 0; i < 64; i++) {
        for (size_t b = 0; b < sizeof lens / sizeof lens[0]; b++) {
            const char *n = esp ? ikh_keytab_esp_encr_name(i)
                                : ikh_keytab_ike_encr_name(i, lens[b]);
            if (n != NULL && strcmp(n, name) == 0) {
                *id = i;
                *bits = lens[b];
                return true;
            }
            if (esp)
                break;
        }
    }
    return false;
}

static bool ws_integ_id(const char *name, bool esp, uint16_t *id)
{
    for (uint16_t i = 0; i < 64; i++) {
        const char *n =
            esp ? ikh_keytab_esp_integ_name(i) : ikh_keytab_ike_integ_name(i);
        if (n != NULL && strcmp(n, name) == 0) {
            *id = i;
            return true;
        }
    }
    return false;
}

/* Both Wireshark tables have eight fields, each maybe quoted. */
#define WS_FIELDS 8

/* Split a Wireshark table line into its unquoted fields. */
static ikh_err ws_split(line_ctx *c, char *ws[WS_FIELDS])
{
    IKH_TRY(split(c, WS_FIELDS));
    for (int i = 0; i < WS_FIELDS; i++)
        ws[i] = unquote(c->field[i]);
    return IKH_OK;
}

static void set_num(line_ctx *c, unsigned slot, unsigned field, unsigned v)
{
    snprintf(c->num[slot], sizeof c->num[slot], "%u", v);
    c->field[field - 1] = c->num[slot];
}

/* ikev2_decryption_table: ispi,rspi,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ"
 * rewritten into the nine fields of ike_keys.csv. */
static ikh_err ws_ike_line(ikh_capdec_keys *k, line_ctx *c)
{
    static const unsigned fmap[IKE_FIELDS] = {1, 2, 3, 4, 5, 5, 6, 7, 8};
    char *ws[WS_FIELDS];
    IKH_TRY(ws_split(c, ws));
    uint16_t encr = 0, bits = 0, integ = 0;
    if (!ws_encr_id(ws[4], false, &encr, &bits))
        return fail(c, IKH_ERR_KEYS_TRANSFORM, 5,
                    "unknown IKE encryption algorithm name \"%.60s\"", ws[4]);
    if (!ws_integ_id(ws[7], false, &integ))
        return fail(c, IKH_ERR_KEYS_TRANSFORM, 8,
                    "unknown IKE integrity algorithm name \"%.60s\"", ws[7]);
    for (int i = 0; i < 4; i++)
        c->field[i] = ws[i];
    set_num(c, 0, 5, encr);
    set_num(c, 1, 6, bits);
    c->field[6] = ws[5];
    c->field[7] = ws[6];
    set_num(c, 2, 9, integ);
    c->fmap = fmap;
    ikh_err e = ike_fields(k, c);
    c->fmap = NULL;
    return e;
}

/* The Key Length of ESP transform @p id whose key (salt included) is
 * @p len octets: esp_sa names carry no key length. */
static bool ws_esp_bits(uint16_t id, size_t len, uint16_t *bits)
{
    static const uint16_t lens[] = {0, 128, 192, 256};
    const ikh_xform_desc *const *list = ikh_crypto_default_list();
    for (size_t b = 0; b < sizeof lens / sizeof lens[0]; b++) {
        const ikh_xform_desc *x =
            ikh_crypto_find(list, IKH_XF_ENCR, id, lens[b]);
        if (x != NULL && x->encr != NULL && x->encr->key_len == len) {
            *bits = lens[b];
            return true;
        }
    }
    return false;
}

/* esp_sa: "IPv4|IPv6","src","dst","0xspi","encr","0xkey","auth","0xkey"
 * rewritten into the nine fields of esp_keys.csv (esn 0: the table has
 * no such column). */
static ikh_err ws_esp_line(ikh_capdec_keys *k, line_ctx *c)
{
    static const unsigned fmap[ESP_FIELDS] = {2, 3, 4, 5, 5, 6, 7, 8, 0};
    char *ws[WS_FIELDS];
    IKH_TRY(ws_split(c, ws));
    int fam = strcmp(ws[0], "IPv4") == 0   ? 4
              : strcmp(ws[0], "IPv6") == 0 ? 6
                                           : 0;
    if (fam == 0)
        return fail(c, IKH_ERR_KEYS_VALUE, 1, "protocol is not IPv4 or IPv6");
    uint16_t encr = 0, bits = 0, integ = 0;
    if (!ws_encr_id(ws[4], true, &encr, &bits))
        return fail(c, IKH_ERR_KEYS_TRANSFORM, 5,
                    "unknown ESP encryption algorithm name \"%.60s\"", ws[4]);
    if (!ws_integ_id(ws[6], true, &integ))
        return fail(c, IKH_ERR_KEYS_TRANSFORM, 7,
                    "unknown ESP authentication algorithm name \"%.60s\"",
                    ws[6]);
    ikh_addr a;
    if (ikh_addr_parse(ws[1], &a) == IKH_OK && a.family != fam)
        return fail(c, IKH_ERR_KEYS_VALUE, 1, "protocol %s but %s addresses",
                    ws[0], fam == 4 ? "IPv6" : "IPv4");
    char *ek = no_0x(ws[5]);
    if (!ws_esp_bits(encr, strlen(ek) / 2, &bits))
        return fail(c, IKH_ERR_KEYS_KEY_LEN, 6,
                    "%zu octets fit no key length of \"%.60s\"", strlen(ek) / 2,
                    ws[4]);
    c->field[0] = ws[1];
    c->field[1] = ws[2];
    c->field[2] = no_0x(ws[3]);
    set_num(c, 0, 4, encr);
    set_num(c, 1, 5, bits);
    c->field[5] = ek;
    set_num(c, 2, 7, integ);
    c->field[7] = no_0x(ws[7]);
    c->field[8] = (char *)"0";
    c->fmap = fmap;
    c->esn_unknown = true;
    ikh_err e = esp_fields(k, c);
    c->fmap = NULL;
    c->esn_unknown = false;
    return e;
}

/* ---- format detection --------------------------------------------------- */

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ikh_hex_digit(s[i]) < 0)
            return false;
    return s[n] == ',' || s[n] == ' ';
}

/* strongSwan's file logger: "HH:MM:SS NN[GRP] ..." */
static bool charon_line(const char *t)
{
    size_t i = 0;
    for (; i < 8; i++)
        if (i % 3 == 2 ? t[i] != ':' : (t[i] < '0' || t[i] > '9'))
            return false;
    if (t[i++] != ' ')
        return false;
    while (t[i] >= '0' && t[i] <= '9')
        i++;
    return t[i] == '[';
}

/* The format of one line (comment lines: by our own files' headers). */
static ikh_capdec_fmt detect_line(const char *t)
{
    if (*t == '#') {
        if (strncmp(t, "# ispi_hex,", 11) == 0)
            return IKH_CAPDEC_FMT_IKE_CSV;
        if (strncmp(t, "# src,dst,spi_hex,", 18) == 0)
            return IKH_CAPDEC_FMT_ESP_CSV;
        return IKH_CAPDEC_FMT_NONE;
    }
    if (strncmp(t, "\"IPv4\",", 7) == 0 || strncmp(t, "\"IPv6\",", 7) == 0)
        return IKH_CAPDEC_FMT_WS_ESP;
    if (charon_line(t))
        return IKH_CAPDEC_FMT_CHARON;
    unsigned commas = 0;
    const char *f5 = NULL;
    for (const char *p = t; *p != '\0'; p++)
        if (*p == ',' && ++commas == 4)
            f5 = p + 1;
    while (f5 != NULL && *f5 == ' ')
        f5++;
    if (commas == 7 && f5 != NULL && *f5 == '"')
        return IKH_CAPDEC_FMT_WS_IKE;
    if (commas == 8)
        return all_hex(t, 16) ? IKH_CAPDEC_FMT_IKE_CSV : IKH_CAPDEC_FMT_ESP_CSV;
    return IKH_CAPDEC_FMT_UNKNOWN;
}

const char *ikh_capdec_fmt_name(ikh_capdec_fmt f)
{
    switch (f) {
    case IKH_CAPDEC_FMT_IKE_CSV:
        return "ike_keys.csv";
    case IKH_CAPDEC_FMT_ESP_CSV:
        return "esp_keys.csv";
    case IKH_CAPDEC_FMT_WS_IKE:
        return "ikev2_decryption_table";
    case IKH_CAPDEC_FMT_WS_ESP:
        return "esp_sa";
    case IKH_CAPDEC_FMT_CHARON:
        return "charon log";
    case IKH_CAPDEC_FMT_UNKNOWN:
        return "unknown";
    case IKH_CAPDEC_FMT_NONE:
    default:
        return "empty";
    }
}

/* ---- the line walker ---------------------------------------------------- */

static ikh_err line_of(line_ctx *c, ikh_capdec_keys *k, ikh_capdec_fmt fmt)
{
    switch (fmt) {
    case IKH_CAPDEC_FMT_IKE_CSV:
        return ike_line(k, c);
    case IKH_CAPDEC_FMT_ESP_CSV:
        return esp_line(k, c);
    case IKH_CAPDEC_FMT_WS_IKE:
        return ws_ike_line(k, c);
    case IKH_CAPDEC_FMT_WS_ESP:
        return ws_esp_line(k, c);
    default:
        return fail(c, IKH_ERR_KEYS_SYNTAX, 0, "not a key file line");
    }
}

void capdec_keys_rollback(ikh_capdec_keys *k, size_t n_ike0, size_t n_esp0)
{
    ikh_wipe(k->ike + n_ike0, (k->n_ike - n_ike0) * sizeof *k->ike);
    ikh_wipe(k->esp + n_esp0, (k->n_esp - n_esp0) * sizeof *k->esp);
    k->n_ike = n_ike0;
    k->n_esp = n_esp0;
}

ikh_err capdec_keys_add_line(ikh_capdec_keys *k, ikh_capdec_fmt fmt,
                             const char *line, unsigned lineno, bool unbound,
                             size_t n_ike0, size_t n_esp0,
                             ikh_capdec_diag *diag)
{
    line_ctx *c = calloc(1, sizeof *c);
    IKH_CHECK(c != NULL, IKH_ERR_ENV_NOMEM);
    c->diag = diag;
    c->line = lineno;
    c->n_ike0 = n_ike0;
    c->n_esp0 = n_esp0;
    c->unbound = unbound;
    snprintf(c->buf, sizeof c->buf, "%s", line);
    ikh_err e = line_of(c, k, fmt);
    ikh_wipe(c, sizeof *c);
    free(c);
    return e;
}

/* Walk the lines of @p text; blank and '#' lines are skipped. @p fmt
 * NONE: detected from the first line that tells (*got receives it). All
 * or nothing: on error the SAs this text added are wiped and dropped. */
static ikh_err parse_text(ikh_capdec_keys *k, const char *text, size_t len,
                          ikh_capdec_fmt fmt, ikh_capdec_fmt *got,
                          ikh_capdec_diag *diag)
{
    IKH_CHECK(k != NULL && (text != NULL || len == 0), IKH_ERR_ARG_INVALID);
    if (diag != NULL)
        memset(diag, 0, sizeof *diag);
    line_ctx *c = calloc(1, sizeof *c);
    IKH_CHECK(c != NULL, IKH_ERR_ENV_NOMEM);
    c->diag = diag;
    c->n_ike0 = k->n_ike;
    c->n_esp0 = k->n_esp;
    ikh_err e = IKH_OK;
    size_t pos = 0;
    while (e == IKH_OK && pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
        c->line++;
        if (n > IKH_CAPDEC_LINE_MAX) {
            e = fail(c, IKH_ERR_KEYS_SYNTAX, 0, "line longer than %u octets",
                     IKH_CAPDEC_LINE_MAX);
            break;
        }
        if (memchr(text + pos, '\0', n) != NULL) {
            e = fail(c, IKH_ERR_KEYS_SYNTAX, 0, "NUL octet in the line");
            break;
        }
        memcpy(c->buf, text + pos, n);
        c->buf[n] = '\0';
        pos += n + (nl != NULL ? 1u : 0u);
        const char *t = trim(c->buf);
        if (fmt == IKH_CAPDEC_FMT_NONE && *t != '\0')
            fmt = detect_line(t);
        if (fmt == IKH_CAPDEC_FMT_CHARON)
            e = fail(c, IKH_ERR_KEYS_SYNTAX, 0,
                     "a strongSwan charon log, not a key table (use "
                     "--keys-from-charon-log)");
        else if (fmt == IKH_CAPDEC_FMT_UNKNOWN)
            e = fail(c, IKH_ERR_KEYS_SYNTAX, 0,
                     "in no known key file format (ike_keys.csv, "
                     "esp_keys.csv, ikev2_decryption_table, esp_sa)");
        if (e != IKH_OK || *t == '\0' || *t == '#')
            continue;
        e = line_of(c, k, fmt);
    }
    if (got != NULL)
        *got = fmt;
    size_t n_ike0 = c->n_ike0, n_esp0 = c->n_esp0;
    ikh_wipe(c, sizeof *c);
    free(c);
    if (e != IKH_OK)
        capdec_keys_rollback(k, n_ike0, n_esp0);
    return e;
}

ikh_err ikh_capdec_keys_parse_ike(ikh_capdec_keys *k, const char *text,
                                  size_t len, ikh_capdec_diag *diag)
{
    return parse_text(k, text, len, IKH_CAPDEC_FMT_IKE_CSV, NULL, diag);
}

ikh_err ikh_capdec_keys_parse_esp(ikh_capdec_keys *k, const char *text,
                                  size_t len, ikh_capdec_diag *diag)
{
    return parse_text(k, text, len, IKH_CAPDEC_FMT_ESP_CSV, NULL, diag);
}

ikh_err ikh_capdec_keys_parse_any(ikh_capdec_keys *k, const char *text,
                                  size_t len, ikh_capdec_fmt *fmt,
                                  ikh_capdec_diag *diag)
{
    if (fmt != NULL)
        *fmt = IKH_CAPDEC_FMT_NONE;
    return parse_text(k, text, len, IKH_CAPDEC_FMT_NONE, fmt, diag);
}

static ikh_err file_fail(ikh_capdec_diag *diag, ikh_err e, const char *path)
{
    if (diag != NULL) {
        memset(diag, 0, sizeof *diag);
        diag->err = e;
        snprintf(diag->msg, sizeof diag->msg, "%s: %s", path, ikh_err_str(e));
    }
    return e;
}

ikh_err capdec_read_file(const char *path, char **out, size_t *out_len,
                         ikh_capdec_diag *diag)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return file_fail(diag, IKH_ERR_IO_OPEN, path);
    uint8_t *buf = NULL;
    size_t len = 0;
    ikh_err e = ikh_read_stream(f, IKH_CAPDEC_FILE_MAX, &buf, &len);
    fclose(f);
    if (e != IKH_OK)
        return file_fail(diag, e, path);
    *out = (char *)buf;
    *out_len = len;
    return IKH_OK;
}

static ikh_err load_fmt(ikh_capdec_keys *k, const char *path,
                        ikh_capdec_fmt want, ikh_capdec_fmt *got,
                        ikh_capdec_diag *diag)
{
    IKH_CHECK(k != NULL && path != NULL, IKH_ERR_ARG_INVALID);
    char *buf = NULL;
    size_t len = 0;
    IKH_TRY(capdec_read_file(path, &buf, &len, diag));
    ikh_err e = parse_text(k, buf, len, want, got, diag);
    ikh_wipe(buf, len);
    free(buf);
    return e;
}

ikh_err ikh_capdec_keys_load(ikh_capdec_keys *k, const char *path, bool esp,
                             ikh_capdec_diag *diag)
{
    return load_fmt(k, path,
                    esp ? IKH_CAPDEC_FMT_ESP_CSV : IKH_CAPDEC_FMT_IKE_CSV, NULL,
                    diag);
}

ikh_err ikh_capdec_keys_load_any(ikh_capdec_keys *k, const char *path,
                                 ikh_capdec_fmt *fmt, ikh_capdec_diag *diag)
{
    if (fmt != NULL)
        *fmt = IKH_CAPDEC_FMT_NONE;
    return load_fmt(k, path, IKH_CAPDEC_FMT_NONE, fmt, diag);
}

/* ---- writing ---------------------------------------------------------- */

static void put_hex(FILE *f, ikh_span s)
{
    for (size_t i = 0; i < s.len; i++)
        fprintf(f, "%02x", s.p[i]);
}

static bool key_ok(ikh_span s)
{
    return s.len <= IKH_KEYTAB_KEY_MAX && (s.p != NULL || s.len == 0);
}

static ikh_err finish(FILE *f)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return IKH_ERR_IO_WRITE;
    return IKH_OK;
}

ikh_err ikh_capdec_ike_write(const char *path, const ikh_keytab_ike *e,
                             size_t n)
{
    IKH_CHECK(path != NULL && (e != NULL || n == 0), IKH_ERR_ARG_INVALID);
    for (size_t i = 0; i < n; i++)
        IKH_CHECK(key_ok(e[i].sk_ei) && key_ok(e[i].sk_er) &&
                      key_ok(e[i].sk_ai) && key_ok(e[i].sk_ar),
                  IKH_ERR_ARG_INVALID);
    FILE *f = fopen(path, "w");
    IKH_CHECK(f != NULL, IKH_ERR_IO_OPEN);
    fputs(ike_head, f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%016llx,%016llx,", (unsigned long long)e[i].ispi,
                (unsigned long long)e[i].rspi);
        put_hex(f, e[i].sk_ei);
        fputc(',', f);
        put_hex(f, e[i].sk_er);
        fprintf(f, ",%u,%u,", e[i].encr_id, e[i].encr_key_bits);
        put_hex(f, e[i].sk_ai);
        fputc(',', f);
        put_hex(f, e[i].sk_ar);
        fprintf(f, ",%u\n", e[i].integ_id);
    }
    return finish(f);
}

ikh_err ikh_capdec_esp_write(const char *path, const ikh_capdec_esp_sa *e,
                             size_t n)
{
    IKH_CHECK(path != NULL && (e != NULL || n == 0), IKH_ERR_ARG_INVALID);
    for (size_t i = 0; i < n; i++) {
        const ikh_keytab_esp *s = &e[i].sa;
        IKH_CHECK(key_ok(s->encr_key) && key_ok(s->integ_key),
                  IKH_ERR_ARG_INVALID);
        IKH_CHECK((s->src.family == 4 || s->src.family == 6) &&
                      s->dst.family == s->src.family,
                  IKH_ERR_ARG_INVALID);
    }
    FILE *f = fopen(path, "w");
    IKH_CHECK(f != NULL, IKH_ERR_IO_OPEN);
    fputs(esp_head, f);
    for (size_t i = 0; i < n; i++) {
        const ikh_keytab_esp *s = &e[i].sa;
        char src[64], dst[64];
        fprintf(f, "%s,%s,%08x,%u,%u,", ikh_addr_fmt(&s->src, src, sizeof src),
                ikh_addr_fmt(&s->dst, dst, sizeof dst), (unsigned)s->spi,
                s->encr_id, e[i].encr_key_bits);
        put_hex(f, s->encr_key);
        fprintf(f, ",%u,", s->integ_id);
        put_hex(f, s->integ_key);
        fprintf(f, ",%d\n", e[i].esn ? 1 : 0);
    }
    return finish(f);
}
