/* SPDX-License-Identifier: MIT */
/*
 * The bounded writer: the only code that stores into packet buffers.
 * It never grows; running out of room is IKH_ERR_WIRE_NOBUF (sticky).
 */
#include <string.h>

#include "ikh/bytes.h"

ikh_wr ikh_wr_init(uint8_t *buf, size_t cap)
{
    ikh_wr w;
    w.buf = buf;
    w.cap = buf ? cap : 0;
    w.len = 0;
    w.err = IKH_OK;
    return w;
}

static uint8_t *wr_take(ikh_wr *w, size_t n)
{
    if (w->err != IKH_OK)
        return NULL;
    if (w->cap - w->len < n) {
        w->err = IKH_ERR_WIRE_NOBUF;
        return NULL;
    }
    uint8_t *q = w->buf + w->len;
    w->len += n;
    return q;
}

static void wr_be(ikh_wr *w, uint64_t v, size_t n)
{
    uint8_t *q = wr_take(w, n);
    if (!q)
        return;
    for (size_t i = 0; i < n; i++)
        q[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void ikh_wr_u8(ikh_wr *w, uint8_t v)
{
    wr_be(w, v, 1);
}
void ikh_wr_u16(ikh_wr *w, uint16_t v)
{
    wr_be(w, v, 2);
}
void ikh_wr_u24(ikh_wr *w, uint32_t v)
{
    wr_be(w, v & 0xffffffu, 3);
}
void ikh_wr_u32(ikh_wr *w, uint32_t v)
{
    wr_be(w, v, 4);
}
void ikh_wr_u64(ikh_wr *w, uint64_t v)
{
    wr_be(w, v, 8);
}

void ikh_wr_span(ikh_wr *w, ikh_span s)
{
    if (s.len == 0)
        return;
    uint8_t *q = wr_take(w, s.len);
    if (q)
        memcpy(q, s.p, s.len);
}

static size_t wr_len_open(ikh_wr *w, size_t n)
{
    size_t at = w->len;
    wr_be(w, 0, n);
    return at;
}

static void wr_len_close(ikh_wr *w, size_t field, size_t start, size_t n,
                         uint64_t max)
{
    if (w->err != IKH_OK)
        return;
    uint64_t v = (uint64_t)(w->len - start);
    if (v > max) {
        w->err = IKH_ERR_ARG_RANGE;
        return;
    }
    for (size_t i = 0; i < n; i++)
        w->buf[field + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

size_t ikh_wr_len16_open(ikh_wr *w)
{
    return wr_len_open(w, 2);
}
size_t ikh_wr_len32_open(ikh_wr *w)
{
    return wr_len_open(w, 4);
}

void ikh_wr_len16_close(ikh_wr *w, size_t field, size_t start)
{
    wr_len_close(w, field, start, 2, 0xffffu);
}

void ikh_wr_len32_close(ikh_wr *w, size_t field, size_t start)
{
    wr_len_close(w, field, start, 4, 0xffffffffu);
}

void ikh_wr_fail(ikh_wr *w, ikh_err code)
{
    if (w->err == IKH_OK)
        w->err = code;
}

ikh_err ikh_wr_error(const ikh_wr *w)
{
    return w->err;
}

ikh_span ikh_wr_span_of(const ikh_wr *w)
{
    return ikh_span_of(w->buf, w->len);
}
