/* SPDX-License-Identifier: MIT */
/*
 * A bounded DER reader over ikh_rd (X.690 §8.1, §10.1: definite, minimal
 * lengths; one-octet tags) and strict PEM armor decoding (RFC 7468 §3).
 * Every failure is CRYPTO_KEY_FORMAT; nothing recurses on input.
 */
#include <string.h>

#include "ikh/keyfile.h"

#define KF IKH_ERR_CRYPTO_KEY_FORMAT

ikh_err ikh_der_next(ikh_rd *rd, uint8_t *tag, ikh_rd *body)
{
    *body = ikh_rd_init(NULL, 0);
    *tag = ikh_rd_u8(rd);
    uint8_t l0 = ikh_rd_u8(rd);
    IKH_CHECK(ikh_rd_error(rd) == IKH_OK, KF);
    IKH_CHECK((*tag & 0x1f) != 0x1f, KF); /* high tag number form */
    size_t len = l0;
    if (l0 & 0x80) {
        size_t n = l0 & 0x7f;
        /* 0x80 is the indefinite form; 0xff is reserved */
        IKH_CHECK(n >= 1 && n <= IKH_DER_LEN_OCTETS_MAX, KF);
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | ikh_rd_u8(rd);
        IKH_CHECK(ikh_rd_error(rd) == IKH_OK, KF);
        /* minimal: long form only from 128, no leading zero octet */
        IKH_CHECK(len >= 0x80 && (len >> (8 * (n - 1))) != 0, KF);
    }
    IKH_CHECK(len <= ikh_rd_left(rd), KF);
    *body = ikh_rd_sub(rd, len, KF);
    IKH_CHECK(ikh_rd_error(rd) == IKH_OK, KF);
    return IKH_OK;
}

ikh_err ikh_der_expect(ikh_rd *rd, uint8_t tag, ikh_rd *body)
{
    uint8_t got;
    IKH_TRY(ikh_der_next(rd, &got, body));
    IKH_CHECK(got == tag, KF);
    return IKH_OK;
}

ikh_err ikh_der_uint(ikh_rd *rd, ikh_span *mag)
{
    ikh_rd body;
    *mag = ikh_span_of(NULL, 0);
    IKH_TRY(ikh_der_expect(rd, IKH_DER_INTEGER, &body));
    ikh_span v = ikh_rd_rest(&body);
    IKH_CHECK(v.len >= 1 && (v.p[0] & 0x80) == 0, KF);
    if (v.len >= 2 && v.p[0] == 0) {
        IKH_CHECK(v.p[1] & 0x80, KF); /* non-minimal */
        v = ikh_span_of(v.p + 1, v.len - 1);
    } else if (v.len == 1 && v.p[0] == 0) {
        v = ikh_span_of(NULL, 0);
    }
    *mag = v;
    return IKH_OK;
}

/* Value of a base64 digit, or -1. */
static int b64_val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Is s at offset off the literal lit? */
static bool at_lit(ikh_span s, size_t off, const char *lit)
{
    size_t n = strlen(lit);
    return off <= s.len && s.len - off >= n && memcmp(s.p + off, lit, n) == 0;
}

/* Find "-----" from off; s.len when absent. */
static size_t find_dashes(ikh_span s, size_t off)
{
    for (size_t i = off; i < s.len; i++)
        if (at_lit(s, i, "-----"))
            return i;
    return s.len;
}

/* Skip whitespace from off. */
static size_t skip_ws(ikh_span s, size_t off)
{
    while (off < s.len && is_ws(s.p[off]))
        off++;
    return off;
}

/* Decode base64 text (whitespace between groups allowed, '=' only at the end).
 */
static ikh_err b64_decode(ikh_span txt, uint8_t *out, size_t cap,
                          size_t *out_len)
{
    uint32_t acc = 0;
    size_t n = 0, len = 0, pad = 0;
    for (size_t i = 0; i < txt.len; i++) {
        uint8_t c = txt.p[i];
        if (is_ws(c))
            continue;
        if (c == '=') {
            pad++;
            IKH_CHECK(pad <= 2 && n >= 2, KF);
            acc <<= 6;
            n++;
        } else {
            int v = b64_val(c);
            IKH_CHECK(v >= 0 && pad == 0, KF);
            acc = (acc << 6) | (uint32_t)v;
            n++;
        }
        if (n == 4) {
            size_t emit = 3 - pad;
            IKH_CHECK(cap - len >= emit, KF);
            uint8_t b3[3] = {(uint8_t)(acc >> 16), (uint8_t)(acc >> 8),
                             (uint8_t)acc};
            /* the bits under the padding must be zero (RFC 4648 §3.5) */
            IKH_CHECK(pad == 0 || b3[emit] == 0, KF);
            memcpy(out + len, b3, emit);
            len += emit;
            acc = 0;
            n = 0;
            if (pad > 0)
                pad = 3; /* nothing but whitespace may follow */
        }
    }
    IKH_CHECK(n == 0 && len > 0, KF);
    *out_len = len;
    return IKH_OK;
}

/* One block at off: BEGIN line, body, END line with the same label. */
static ikh_err pem_block(ikh_span t, size_t *off, ikh_span *label,
                         ikh_span *body)
{
    size_t o = *off;
    IKH_CHECK(at_lit(t, o, "-----BEGIN "), KF);
    o += 11;
    size_t lab = o, lab_end = find_dashes(t, o);
    IKH_CHECK(lab_end < t.len && lab_end > lab, KF);
    for (size_t i = lab; i < lab_end; i++)
        IKH_CHECK(t.p[i] >= 0x20 && t.p[i] < 0x7f, KF);
    *label = ikh_span_of(t.p + lab, lab_end - lab);
    o = lab_end + 5;
    size_t b = o, e = find_dashes(t, o);
    IKH_CHECK(e < t.len, KF);
    for (size_t i = b; i < e; i++)
        IKH_CHECK(t.p[i] != ':', KF); /* RFC 1421 headers: encrypted PEM */
    *body = ikh_span_of(t.p + b, e - b);
    IKH_CHECK(at_lit(t, e, "-----END "), KF);
    o = e + 9;
    IKH_CHECK(t.len - o >= label->len + 5 &&
                  memcmp(t.p + o, label->p, label->len) == 0 &&
                  at_lit(t, o + label->len, "-----"),
              KF);
    *off = o + label->len + 5;
    return IKH_OK;
}

ikh_err ikh_pem_decode(ikh_span text, ikh_span *label, uint8_t *der,
                       size_t der_cap, size_t *der_len)
{
    *der_len = 0;
    *label = ikh_span_of(NULL, 0);
    IKH_CHECK(text.p != NULL || text.len == 0, KF);
    size_t off = skip_ws(text, 0);
    ikh_span body;
    IKH_TRY(pem_block(text, &off, label, &body));
    static const char ecp[] = "EC PARAMETERS";
    if (label->len == sizeof ecp - 1 &&
        memcmp(label->p, ecp, label->len) == 0) {
        off = skip_ws(text, off);
        IKH_TRY(pem_block(text, &off, label, &body));
    }
    IKH_CHECK(skip_ws(text, off) == text.len, KF);
    return b64_decode(body, der, der_cap, der_len);
}
