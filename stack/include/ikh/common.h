/* SPDX-License-Identifier: MIT */
/**
 * @file common.h
 * @brief Types shared by every ikeharness module: byte spans, time, the
 *        must-use attribute and the two control-flow macros.
 *
 * Nothing here allocates. An ikh_span is always borrowed: it points into a
 * buffer owned by someone else (usually the datagram being parsed) and must
 * not outlive it.
 */
#ifndef IKH_COMMON_H
#define IKH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikh/err.h"

/** Marks a function whose result (usually an ::ikh_err) must be checked. */
#if defined(__GNUC__) || defined(__clang__)
#define IKH_MUST_USE __attribute__((warn_unused_result))
#else
#define IKH_MUST_USE
#endif

/** Monotonic time in milliseconds, virtual (simulator) or real (udp driver). */
typedef uint64_t ikh_time_ms;
/** A deadline that never comes. */
#define IKH_TIME_NEVER UINT64_MAX

/** A borrowed run of bytes. p may be NULL only when len is 0. */
typedef struct ikh_span {
    const uint8_t *p; /**< first byte (borrowed) */
    size_t len;       /**< number of bytes */
} ikh_span;

/** Return from the enclosing function when @p expr yields an error. */
#define IKH_TRY(expr)                                                          \
    do {                                                                       \
        ikh_err ikh_try_e_ = (expr);                                           \
        if (ikh_try_e_ != IKH_OK)                                              \
            return ikh_try_e_;                                                 \
    } while (0)

/** Return @p code from the enclosing function when @p cond is false. */
#define IKH_CHECK(cond, code)                                                  \
    do {                                                                       \
        if (!(cond))                                                           \
            return (code);                                                     \
    } while (0)

/**
 * @brief Build a span over @p len bytes at @p p.
 * @param p   first byte, borrowed (may be NULL when len is 0)
 * @param len number of bytes
 * @return the span; never fails.
 */
static inline ikh_span ikh_span_of(const uint8_t *p, size_t len)
{
    ikh_span s;
    s.p = p;
    s.len = len;
    return s;
}

/**
 * @brief Compare two spans by content.
 * @param a first span (borrowed)
 * @param b second span (borrowed)
 * @return true when both hold the same bytes. Not constant time: never use
 *         it on secrets (ikh_ct_eq() does that).
 */
bool ikh_span_eq(ikh_span a, ikh_span b);

/**
 * @brief Add two sizes, refusing overflow.
 * @param a   first term
 * @param b   second term
 * @param out receives a + b when it fits (borrowed, written only on success)
 * @return true when the sum fits in size_t; false (out untouched) otherwise.
 */
static inline bool ikh_add_ok(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return false;
    *out = a + b;
    return true;
}

#endif /* IKH_COMMON_H */
