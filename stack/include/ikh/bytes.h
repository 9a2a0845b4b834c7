/* SPDX-License-Identifier: MIT */
/**
 * @file bytes.h
 * @brief The bounded reader (ikh_rd) and writer (ikh_wr) through which every
 *        access to packet bytes goes (../shared/STYLE.md §6).
 *
 * The reader's error is sticky: after the first failure every read returns
 * zero / an empty span and the error stays, so a parser reads straight
 * through a structure and checks once. Offsets reported by ikh_rd_offset()
 * are absolute: relative to the outermost buffer the first reader was made
 * on, so diagnostics can point at the octet in the datagram.
 *
 * The writer never grows: it writes into caller memory and fails with
 * IKH_ERR_WIRE_NOBUF when full.
 */
#ifndef IKH_BYTES_H
#define IKH_BYTES_H

#include "ikh/common.h"

/** A bounded, sticky-error reader over borrowed bytes. */
typedef struct ikh_rd {
    const uint8_t *p; /**< start of this reader's window (borrowed) */
    size_t len;       /**< window length */
    size_t pos;       /**< next octet to read, 0..len */
    size_t origin;    /**< absolute offset of p in the outermost buffer */
    ikh_err err;      /**< first error, sticky */
    size_t err_off;   /**< absolute offset where err happened */
} ikh_rd;

/**
 * @brief Make a reader over @p len bytes at @p p, at absolute offset 0.
 * @param p   bytes, borrowed for the reader's lifetime (NULL when len is 0)
 * @param len number of bytes
 * @return the reader; never fails.
 */
ikh_rd ikh_rd_init(const uint8_t *p, size_t len);

/** @brief Read one octet. @param rd reader @return the octet, 0 after an error
 * (sets WIRE_TRUNCATED at the end). */
uint8_t ikh_rd_u8(ikh_rd *rd);
/** @brief Read a big-endian 16-bit value. @param rd reader @return the value, 0
 * after an error. */
uint16_t ikh_rd_u16(ikh_rd *rd);
/** @brief Read a big-endian 24-bit value. @param rd reader @return the value, 0
 * after an error. */
uint32_t ikh_rd_u24(ikh_rd *rd);
/** @brief Read a big-endian 32-bit value. @param rd reader @return the value, 0
 * after an error. */
uint32_t ikh_rd_u32(ikh_rd *rd);
/** @brief Read a big-endian 64-bit value. @param rd reader @return the value, 0
 * after an error. */
uint64_t ikh_rd_u64(ikh_rd *rd);

/**
 * @brief Take the next @p n octets as a span.
 * @param rd reader
 * @param n  number of octets
 * @return a span borrowed from the reader's buffer; empty after an error.
 *         Sets IKH_ERR_WIRE_TRUNCATED when fewer than n octets are left.
 */
ikh_span ikh_rd_bytes(ikh_rd *rd, size_t n);

/**
 * @brief Take every octet left as a span (never fails unless already failed).
 * @param rd reader
 * @return the rest of the window, borrowed.
 */
ikh_span ikh_rd_rest(ikh_rd *rd);

/**
 * @brief Split off a sub-reader over the next @p n octets and skip them.
 * @param rd   parent reader
 * @param n    size of the sub-window
 * @param code error to set on the parent when fewer than n octets are left
 * @return the sub-reader (absolute offsets preserved); an empty, failed
 *         reader carrying @p code when the parent cannot supply n octets.
 */
ikh_rd ikh_rd_sub(ikh_rd *rd, size_t n, ikh_err code);

/** @brief Octets left to read. @param rd reader @return count, 0 after an
 * error. */
size_t ikh_rd_left(const ikh_rd *rd);

/** @brief Absolute offset of the next octet. @param rd reader @return the
 * offset. */
size_t ikh_rd_offset(const ikh_rd *rd);

/**
 * @brief Record an error found by the caller (first error wins).
 * @param rd   reader
 * @param code error to record
 * @param off  absolute offset the error refers to
 * @return @p code, or the earlier error if one was already recorded.
 */
ikh_err ikh_rd_fail_at(ikh_rd *rd, ikh_err code, size_t off);

/** @brief The sticky error. @param rd reader @return IKH_OK or the first error.
 */
ikh_err ikh_rd_error(const ikh_rd *rd);

/**
 * @brief Check that the reader was consumed exactly.
 * @param rd   reader
 * @param code error to record when octets are left over
 * @return the sticky error, @p code when octets are left, IKH_OK otherwise.
 */
ikh_err ikh_rd_finish(ikh_rd *rd, ikh_err code);

/** A bounded writer into caller memory. */
typedef struct ikh_wr {
    uint8_t *buf; /**< caller buffer (borrowed) */
    size_t cap;   /**< its capacity */
    size_t len;   /**< octets written */
    ikh_err err;  /**< first error, sticky */
} ikh_wr;

/**
 * @brief Make a writer over a caller buffer.
 * @param buf caller memory, borrowed for the writer's lifetime
 * @param cap its capacity in octets
 * @return the writer; never fails.
 */
ikh_wr ikh_wr_init(uint8_t *buf, size_t cap);

/** @brief Append one octet. @param w writer @param v value (sets WIRE_NOBUF
 * when full). */
void ikh_wr_u8(ikh_wr *w, uint8_t v);
/** @brief Append a big-endian 16-bit value. @param w writer @param v value. */
void ikh_wr_u16(ikh_wr *w, uint16_t v);
/** @brief Append a big-endian 24-bit value (low 24 bits of v). @param w writer
 * @param v value. */
void ikh_wr_u24(ikh_wr *w, uint32_t v);
/** @brief Append a big-endian 32-bit value. @param w writer @param v value. */
void ikh_wr_u32(ikh_wr *w, uint32_t v);
/** @brief Append a big-endian 64-bit value. @param w writer @param v value. */
void ikh_wr_u64(ikh_wr *w, uint64_t v);
/** @brief Append a span's bytes. @param w writer @param s bytes (borrowed, may
 * be empty). */
void ikh_wr_span(ikh_wr *w, ikh_span s);

/**
 * @brief Reserve a 16-bit length field to be filled by ikh_wr_len16_close().
 * @param w writer
 * @return the position of the field.
 */
size_t ikh_wr_len16_open(ikh_wr *w);

/**
 * @brief Fill a reserved 16-bit length field with the octets written since @p
 * start.
 * @param w     writer
 * @param field value returned by ikh_wr_len16_open()
 * @param start position the length counts from
 * Sets IKH_ERR_ARG_RANGE when the length does not fit in 16 bits.
 */
void ikh_wr_len16_close(ikh_wr *w, size_t field, size_t start);

/** @brief Reserve a 32-bit length field. @param w writer @return its position.
 */
size_t ikh_wr_len32_open(ikh_wr *w);

/**
 * @brief Fill a reserved 32-bit length field with the octets written since @p
 * start.
 * @param w writer @param field position from ikh_wr_len32_open() @param start
 * counting origin
 */
void ikh_wr_len32_close(ikh_wr *w, size_t field, size_t start);

/**
 * @brief Record an error found by the caller (first error wins).
 * @param w writer @param code error to record
 */
void ikh_wr_fail(ikh_wr *w, ikh_err code);

/** @brief The sticky error. @param w writer @return IKH_OK or the first error.
 */
ikh_err ikh_wr_error(const ikh_wr *w);

/** @brief The written octets. @param w writer @return a span borrowed from the
 * buffer. */
ikh_span ikh_wr_span_of(const ikh_wr *w);

/**
 * @brief The smaller of two sizes (a length clamped to a buffer's size).
 * @param a one size @param b the other
 * @return min(a, b); no error case.
 */
static inline size_t ikh_size_min(size_t a, size_t b)
{
    return a < b ? a : b;
}

/**
 * @brief Value of one hexadecimal digit (0-9, a-f, A-F).
 * @param ch a character (any int; EOF and non-ASCII give -1)
 * @return 0 to 15, or -1 when @p ch is not a hex digit.
 */
static inline int ikh_hex_digit(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

#endif /* IKH_BYTES_H */
