/* SPDX-License-Identifier: MIT */
/*
 * The bounded reader: the only code that indexes into received bytes.
 * Errors are sticky so parsers read straight through and check once.
 */
#include <string.h>

#include "ikh/bytes.h"

bool ikh_span_eq(ikh_span a, ikh_span b)
{
    if (a.len != b.len)
        return false;
    return a.len == 0 || memcmp(a.p, b.p, a.len) == 0;
}

ikh_rd ikh_rd_init(const uint8_t *p, size_t len)
{
    ikh_rd rd;
    memset(&rd, 0, sizeof rd);
    rd.p = p;
    rd.len = p ? len : 0;
    return rd;
}

ikh_err ikh_rd_fail_at(ikh_rd *rd, ikh_err code, size_t off)
{
    if (rd->err == IKH_OK) {
        rd->err = code;
        rd->err_off = off;
    }
    return rd->err;
}

/* Claim n octets; returns NULL (and sets WIRE_TRUNCATED) if not available. */
static const uint8_t *rd_take(ikh_rd *rd, size_t n)
{
    if (rd->err != IKH_OK)
        return NULL;
    if (rd->len - rd->pos < n) {
        ikh_rd_fail_at(rd, IKH_ERR_WIRE_TRUNCATED, rd->origin + rd->pos);
        return NULL;
    }
    const uint8_t *q = rd->p + rd->pos;
    rd->pos += n;
    return q;
}

uint8_t ikh_rd_u8(ikh_rd *rd)
{
    const uint8_t *q = rd_take(rd, 1);
    return q ? q[0] : 0;
}

uint16_t ikh_rd_u16(ikh_rd *rd)
{
    const uint8_t *q = rd_take(rd, 2);
    return q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
}

uint32_t ikh_rd_u24(ikh_rd *rd)
{
    const uint8_t *q = rd_take(rd, 3);
    return q ? ((uint32_t)q[0] << 16) | ((uint32_t)q[1] << 8) | q[2] : 0;
}

uint32_t ikh_rd_u32(ikh_rd *rd)
{
    const uint8_t *q = rd_take(rd, 4);
    if (!q)
        return 0;
    return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) |
           ((uint32_t)q[2] << 8) | q[3];
}

uint64_t ikh_rd_u64(ikh_rd *rd)
{
    uint64_t hi = ikh_rd_u32(rd);
    uint64_t lo = ikh_rd_u32(rd);
    return (hi << 32) | lo;
}

ikh_span ikh_rd_bytes(ikh_rd *rd, size_t n)
{
    const uint8_t *q = rd_take(rd, n);
    return q ? ikh_span_of(q, n) : ikh_span_of(NULL, 0);
}

ikh_span ikh_rd_rest(ikh_rd *rd)
{
    if (rd->err != IKH_OK)
        return ikh_span_of(NULL, 0);
    return ikh_rd_bytes(rd, rd->len - rd->pos);
}

ikh_rd ikh_rd_sub(ikh_rd *rd, size_t n, ikh_err code)
{
    ikh_rd sub;
    memset(&sub, 0, sizeof sub);
    sub.origin = rd->origin + rd->pos;
    if (rd->err != IKH_OK) {
        sub.err = rd->err;
        sub.err_off = rd->err_off;
        return sub;
    }
    if (rd->len - rd->pos < n) {
        ikh_rd_fail_at(rd, code, rd->origin + rd->pos);
        sub.err = code;
        sub.err_off = sub.origin;
        return sub;
    }
    sub.p = rd->p + rd->pos;
    sub.len = n;
    rd->pos += n;
    return sub;
}

size_t ikh_rd_left(const ikh_rd *rd)
{
    return rd->err != IKH_OK ? 0 : rd->len - rd->pos;
}

size_t ikh_rd_offset(const ikh_rd *rd)
{
    return rd->origin + rd->pos;
}

ikh_err ikh_rd_error(const ikh_rd *rd)
{
    return rd->err;
}

ikh_err ikh_rd_finish(ikh_rd *rd, ikh_err code)
{
    if (rd->err == IKH_OK && rd->pos != rd->len)
        ikh_rd_fail_at(rd, code, rd->origin + rd->pos);
    return rd->err;
}
