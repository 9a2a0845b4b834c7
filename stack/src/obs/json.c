/* SPDX-License-Identifier: MIT */
/*
 * The bounded JSON writer (ikh/json.h): the logger, the metrics export and
 * `ikeharness decode --json` all write through it.
 *
 * Output is always ASCII, so any input bytes give valid RFC 8259 text:
 * '"' and '\\' get a backslash; control characters and DEL become \u00XX
 * (lowercase hex). Octets >= 0x80 become \u00XX in ikh_json_strn() (raw
 * bytes, e.g. from a peer: each octet reads back as the code point of the
 * same value). ikh_json_str() and keys are read as UTF-8: a well-formed
 * sequence becomes the \u escape of its code point (U+00A7 is \u00a7,
 * above U+FFFF a surrogate pair) and only octets outside one fall back to
 * \u00XX, so the error table's messages survive intact.
 *
 * Each append is all or nothing: when a piece does not fit, nothing of it
 * is written and the writer is marked truncated for good, so the buffer
 * always holds a prefix of the full text. Misuse (closing at depth 0,
 * nesting deeper than IKH_JSON_MAX_DEPTH, a second top-level value, a key
 * at top level) marks the writer bad, which is sticky too. Nothing
 * allocates; nothing here knows about stdio.
 */
#include <string.h>

#include "ikh/json.h"

static const char hex_digits[] = "0123456789abcdef";

/* Usable octets: the capacity minus the NUL. */
static size_t json_room(const ikh_json *j)
{
    return j->cap - 1 - j->len;
}

static bool json_live(const ikh_json *j)
{
    return !j->trunc && !j->bad;
}

/* Append n octets, all or nothing. */
static void json_put(ikh_json *j, const char *s, size_t n)
{
    if (!json_live(j))
        return;
    if (n > json_room(j)) {
        j->trunc = true;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
}

/* One octet, stored directly: the writer's most frequent call (commas,
 * quotes, brackets), not worth a memcpy. */
static void json_putc(ikh_json *j, char c)
{
    if (!json_live(j))
        return;
    if (json_room(j) == 0) {
        j->trunc = true;
        return;
    }
    j->buf[j->len++] = c;
}

static bool json_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Length of the run of plain octets (no escape needed) at the start of s. */
static size_t json_plain_run(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && json_plain(u[i]))
        i++;
    return i;
}

/*
 * Fast path for a piece that needs no escaping: @p pre (0 for none), '"',
 * s[0..n), '"' and @p post (0 for none), written in one go when all of it
 * fits. Returns false, writing nothing, when it does not fit, so the
 * caller's piecewise path writes what fits and marks the writer truncated
 * exactly as before: the output never depends on which path ran.
 */
static bool json_quoted_plain(ikh_json *j, char pre, const char *s, size_t n,
                              char post)
{
    size_t need = n + 2 + (pre != 0) + (post != 0);
    if (!json_live(j) || need > json_room(j))
        return false;
    char *o = j->buf + j->len;
    if (pre != 0)
        *o++ = pre;
    *o++ = '"';
    if (n > 0) /* s may be NULL when n is 0 */
        memcpy(o, s, n);
    o += n;
    *o++ = '"';
    if (post != 0)
        *o++ = post;
    j->len += need;
    return true;
}

/*
 * Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) and its code
 * point; 0 when the octets there are not one.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t min, v;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2, min = 0x80, v = s[0] & 0x1fu;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3, min = 0x800, v = s[0] & 0x0fu;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4, min = 0x10000, v = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* One \uXXXX escape into out[6]. */
static void json_u_escape(char out[6], uint32_t u)
{
    out[0] = '\\';
    out[1] = 'u';
    for (int k = 0; k < 4; k++)
        out[2 + k] = hex_digits[(u >> (12 - 4 * k)) & 15];
}

/*
 * The escaped body of a string, without quotes; runs of plain octets are
 * appended in one piece, each escape in one piece. With @p utf8, a
 * well-formed UTF-8 sequence becomes the \u escape of its code point (a
 * surrogate pair above U+FFFF); any other octet >= 0x80 becomes \u00XX.
 */
static void json_escaped(ikh_json *j, const char *s, size_t n, bool utf8)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && json_live(j)) {
        size_t run = i;
        while (run < n && json_plain(u[run]))
            run++;
        if (run > i) {
            json_put(j, s + i, run - i);
            i = run;
            continue;
        }
        char esc[12];
        uint32_t cp = u[i];
        size_t seq = utf8 && u[i] >= 0x80 ? utf8_seq(u + i, n - i, &cp) : 0;
        i += seq > 0 ? seq : 1;
        if (cp == '"' || cp == '\\') {
            esc[0] = '\\';
            esc[1] = (char)cp;
            json_put(j, esc, 2);
        } else if (cp >= 0x10000) {
            json_u_escape(esc, 0xd800 + ((cp - 0x10000) >> 10));
            json_u_escape(esc + 6, 0xdc00 + ((cp - 0x10000) & 0x3ff));
            json_put(j, esc, 12);
        } else {
            json_u_escape(esc, cp);
            json_put(j, esc, 6);
        }
    }
}

/*
 * Everything a value needs before it: the comma when it is not the first
 * at its depth, and the key. Returns false (writing nothing) when the
 * writer is dead or the call is misuse.
 */
static bool json_begin_value(ikh_json *j, const char *key)
{
    if (!json_live(j))
        return false;
    if (j->depth == 0 && (key != NULL || !j->first[0])) {
        j->bad = true; /* a key at top level, or a second top-level value */
        return false;
    }
    char comma = j->first[j->depth] ? 0 : ',';
    size_t klen = key != NULL ? strlen(key) : 0;
    if (key != NULL && json_plain_run(key, klen) == klen &&
        json_quoted_plain(j, comma, key, klen, ':')) {
        /* the usual case: an identifier key, room for all of it */
    } else {
        if (comma != 0)
            json_putc(j, ',');
        if (key != NULL) {
            json_putc(j, '"');
            json_escaped(j, key, klen, true);
            json_put(j, "\":", 2);
        }
    }
    if (!json_live(j))
        return false;
    j->first[j->depth] = false;
    return true;
}

void ikh_json_init(ikh_json *j, char *buf, size_t cap)
{
    memset(j, 0, sizeof *j);
    j->buf = buf;
    j->cap = buf != NULL ? cap : 0;
    j->first[0] = true;
    if (j->cap == 0)
        j->trunc = true; /* not even room for the NUL */
    else
        j->buf[0] = '\0';
}

static void json_open(ikh_json *j, const char *key, char c)
{
    if (!json_live(j))
        return;
    if (j->depth >= IKH_JSON_MAX_DEPTH) {
        j->bad = true;
        return;
    }
    if (!json_begin_value(j, key))
        return;
    json_putc(j, c);
    if (!json_live(j))
        return;
    j->depth++;
    j->first[j->depth] = true;
}

static void json_close(ikh_json *j, char c)
{
    if (!json_live(j))
        return;
    if (j->depth == 0) {
        j->bad = true;
        return;
    }
    json_putc(j, c);
    if (json_live(j))
        j->depth--;
}

void ikh_json_obj_open(ikh_json *j, const char *key)
{
    json_open(j, key, '{');
}

void ikh_json_obj_close(ikh_json *j)
{
    json_close(j, '}');
}

void ikh_json_arr_open(ikh_json *j, const char *key)
{
    json_open(j, key, '[');
}

void ikh_json_arr_close(ikh_json *j)
{
    json_close(j, ']');
}

/* Decimal digits of v, written backwards into the end of a 20-octet buffer. */
static size_t json_fmt_u64(char out[20], uint64_t v)
{
    size_t n = 0;
    do {
        out[19 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return n;
}

void ikh_json_u64(ikh_json *j, const char *key, uint64_t v)
{
    char d[20];
    size_t n = json_fmt_u64(d, v);
    if (json_begin_value(j, key))
        json_put(j, d + sizeof d - n, n);
}

void ikh_json_i64(ikh_json *j, const char *key, int64_t v)
{
    char d[21];
    /* magnitude without overflow, INT64_MIN included */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t n = json_fmt_u64(d + 1, mag);
    if (v < 0)
        d[sizeof d - 1 - n++] = '-';
    if (json_begin_value(j, key))
        json_put(j, d + sizeof d - n, n);
}

void ikh_json_bool(ikh_json *j, const char *key, bool v)
{
    if (json_begin_value(j, key))
        json_put(j, v ? "true" : "false", v ? 4 : 5);
}

void ikh_json_null(ikh_json *j, const char *key)
{
    if (json_begin_value(j, key))
        json_put(j, "null", 4);
}

static void json_string(ikh_json *j, const char *key, const char *s, size_t n,
                        bool utf8)
{
    if (!json_begin_value(j, key))
        return;
    if (json_plain_run(s, n) == n && json_quoted_plain(j, 0, s, n, 0))
        return;
    json_putc(j, '"');
    json_escaped(j, s, n, utf8);
    json_putc(j, '"');
}

void ikh_json_str(ikh_json *j, const char *key, const char *s)
{
    if (s == NULL)
        ikh_json_null(j, key);
    else
        json_string(j, key, s, strlen(s), true);
}

void ikh_json_strn(ikh_json *j, const char *key, const char *s, size_t n)
{
    json_string(j, key, s, n, false);
}

void ikh_json_hex(ikh_json *j, const char *key, ikh_span s)
{
    if (!json_begin_value(j, key))
        return;
    json_putc(j, '"');
    if (!json_live(j))
        return;
    /* whole octets only, each two digits, as many as fit */
    size_t fit = json_room(j) / 2;
    size_t n = s.len < fit ? s.len : fit;
    char *o = j->buf + j->len;
    for (size_t i = 0; i < n; i++) {
        o[2 * i] = hex_digits[s.p[i] >> 4];
        o[2 * i + 1] = hex_digits[s.p[i] & 15];
    }
    j->len += 2 * n;
    if (n < s.len) {
        j->trunc = true;
        return;
    }
    json_putc(j, '"');
}

void ikh_json_raw(ikh_json *j, const char *key, const char *raw, size_t n)
{
    if (json_begin_value(j, key))
        json_put(j, raw, n);
}

ikh_err ikh_json_finish(ikh_json *j, size_t *len)
{
    if (j->cap > 0)
        j->buf[j->len] = '\0';
    if (len != NULL)
        *len = j->len;
    if (j->bad)
        return IKH_ERR_STATE;
    if (j->trunc)
        return IKH_ERR_WIRE_NOBUF;
    if (j->depth != 0 || j->first[0])
        return IKH_ERR_STATE; /* unclosed, or no value at all */
    return IKH_OK;
}
