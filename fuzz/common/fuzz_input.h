/* SPDX-License-Identifier: MIT */
/*
 * Splitting a fuzz input into what a target needs (STYLE.md §15): small
 * integers (choices, time steps, counts), byte strings (datagrams, RNG
 * bytes) and yes/no decisions (hook and allocation failures). A cursor over
 * the input; reads past the end return zeros / empty strings, so every
 * input, however short, is a complete and deterministic program. Header
 * only (static inline): each target is one file plus this.
 *
 * Layout conventions used by the targets:
 *   - a length-prefixed byte string is a 2-octet big-endian length followed
 *     by that many octets (clamped to what is left);
 *   - fuzz_in_rest() takes everything that is left (the last datagram).
 */
#ifndef IKH_FUZZ_INPUT_H
#define IKH_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A cursor over one fuzz input (borrowed bytes). */
typedef struct fuzz_in {
    const uint8_t *p; /**< the input */
    size_t len;       /**< its length */
    size_t off;       /**< next unread octet */
} fuzz_in;

/** Start reading @p data (borrowed for the cursor's life). */
static inline void fuzz_in_init(fuzz_in *in, const uint8_t *data, size_t len)
{
    in->p = data;
    in->len = len;
    in->off = 0;
}

/** Octets not read yet. */
static inline size_t fuzz_in_left(const fuzz_in *in)
{
    return in->len - in->off;
}

/** One octet; 0 past the end. */
static inline uint8_t fuzz_in_u8(fuzz_in *in)
{
    return in->off < in->len ? in->p[in->off++] : 0;
}

/** A big-endian 16-bit value; missing octets read as 0. */
static inline uint16_t fuzz_in_u16(fuzz_in *in)
{
    uint16_t hi = fuzz_in_u8(in);
    return (uint16_t)(hi << 8 | fuzz_in_u8(in));
}

/** A big-endian 32-bit value; missing octets read as 0. */
static inline uint32_t fuzz_in_u32(fuzz_in *in)
{
    uint32_t hi = fuzz_in_u16(in);
    return hi << 16 | fuzz_in_u16(in);
}

/** A value in [0, n) from one octet (n from 1 to 256); 0 past the end. */
static inline unsigned fuzz_in_pick(fuzz_in *in, unsigned n)
{
    return n <= 1 ? 0 : fuzz_in_u8(in) % n;
}

/** A yes/no decision from one octet: true with about @p per256/256. */
static inline bool fuzz_in_chance(fuzz_in *in, unsigned per256)
{
    return fuzz_in_left(in) > 0 && fuzz_in_u8(in) < per256;
}

/**
 * A length-prefixed byte string (2-octet big-endian length, clamped to
 * what is left). Sets *p (into the input, borrowed) and returns the length.
 */
static inline size_t fuzz_in_bytes(fuzz_in *in, const uint8_t **p)
{
    size_t n = fuzz_in_u16(in);
    if (n > fuzz_in_left(in))
        n = fuzz_in_left(in);
    *p = in->p + in->off;
    in->off += n;
    return n;
}

/** Exactly @p n octets, or fewer at the end; returns how many. */
static inline size_t fuzz_in_take(fuzz_in *in, size_t n, const uint8_t **p)
{
    if (n > fuzz_in_left(in))
        n = fuzz_in_left(in);
    *p = in->p + in->off;
    in->off += n;
    return n;
}

/** Everything that is left (possibly nothing). */
static inline size_t fuzz_in_rest(fuzz_in *in, const uint8_t **p)
{
    return fuzz_in_take(in, fuzz_in_left(in), p);
}

#endif /* IKH_FUZZ_INPUT_H */
