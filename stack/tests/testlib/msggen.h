/* SPDX-License-Identifier: MIT */
/*
 * msggen: a deterministic generator of varied IKEv2 messages for codec
 * round-trip tests and the Wireshark comparison (pcap/difftest/).
 *
 * Message number `index` of a `seed` is always the same message. Over
 * consecutive indices the generator covers every exchange type (34..44
 * and a private-use one), the four I/R flag combinations, every payload
 * type 33..54 plus unknown ones (with and without the critical bit), and
 * cycles through every registered transform, KE group, ID type, notify
 * type, auth method, certificate encoding and configuration attribute
 * (see IKH_TL_GEN_COVER for how many indices a full cycle takes).
 * Messages need not obey the exchange rules, but each one serializes.
 */
#ifndef IKH_TL_MSGGEN_H
#define IKH_TL_MSGGEN_H

#include <stddef.h>
#include <stdint.h>

#include "ikh/wire.h"

/** A store of this size is always enough for one message. */
#define IKH_TL_GEN_STORE_CAP 16384u
/** A serialization buffer of this size is always enough for one message. */
#define IKH_TL_GEN_MSG_MAX 32768u
/** Indices 0..IKH_TL_GEN_COVER-1 cover every registered value listed above. */
#define IKH_TL_GEN_COVER 300u

/**
 * @brief Build message number @p index of @p seed into @p m.
 * @param m         output (caller memory); reset first
 * @param store     caller memory for every variable-length field; the
 *                  spans of m point into it, so it must outlive m
 * @param store_cap its size (IKH_TL_GEN_STORE_CAP is always enough)
 * @param seed      generator seed
 * @param index     message number
 * @return octets of store used (at least 1, even for a message with no
 *         variable bytes), or 0 when store or a codec pool
 *         was too small (m must then not be used).
 */
size_t ikh_tl_gen_msg(ikh_msg *m, uint8_t *store, size_t store_cap,
                      uint32_t seed, unsigned index);

#endif
